#!/usr/bin/env python3
"""test/bats/evil_archive.py CASE OUT.tar CANARY TMPCANARY

Writes a docker-archive (localhost/evil:latest) whose one layer is a
hostile tar aimed at the directories CANARY and TMPCANARY (absolute
paths outside the store), for load_malicious.bats. "UP" is enough ../
to reach / from any directory, so a name that is not clamped at the
layer root lands exactly on the canary.
"""
import hashlib, io, json, sys, tarfile

case, out, canary, tmpc = sys.argv[1:5]
# CASE+skel: the layer first makes the canary paths and etc/passwd inside
# itself, so links resolve (inside) and the later entries run too.
skel = case.endswith("+skel")
case = case.removesuffix("+skel")
UP = "../" * 40
c_rel, t_rel = canary.lstrip("/"), tmpc.lstrip("/")


def info(name, kind=tarfile.REGTYPE, data=b"", link=""):
    ti = tarfile.TarInfo(name)
    ti.type, ti.linkname, ti.mode, ti.mtime = kind, link, 0o755 if kind == tarfile.DIRTYPE else 0o644, 0
    ti.size = len(data) if kind in (tarfile.REGTYPE, tarfile.LNKTYPE) else 0
    return ti, data


def reg(name, data=b"PWNED" * 20):
    return info(name, data=data)


def sym(name, target):
    return info(name, tarfile.SYMTYPE, link=target)


def hard(name, target, data=b""):
    return info(name, tarfile.LNKTYPE, data=data, link=target)


def dirent(name):
    return info(name, tarfile.DIRTYPE)


CASES = {
    # ".." and absolute names: clamped at the layer root or refused
    "dotdot": [reg(UP + c_rel + "/dotdot"), reg("a/../../" + UP + t_rel + "/dotdot"),
               reg("./" + UP + c_rel + "/target", b"OVERWRITTEN")],
    "absolute": [reg(canary + "/abs"), reg(tmpc + "/abs"), reg("/" + c_rel + "/target", b"OVERWRITTEN")],
    # a symlink that escapes, then a file written through it
    "symlink": [sym("esc", canary), reg("esc/through"),
                sym("esc2", UP + t_rel), reg("esc2/through"),
                sym("lnk", canary + "/target"), reg("lnk", b"OVERWRITTEN")],
    # hard links to files outside, one with data of its own
    # (hl3 is then written by name: that must replace the link, not write
    # through it; /etc/passwd is only linked, never written, even by a bug)
    "hardlink": [hard("hl", "/etc/passwd"), hard("hl2", UP + "etc/passwd"),
                 hard("hl3", canary + "/target"), reg("hl3", b"OVERWRITTEN")],
    # a symlinked parent directory, direct and via "/"
    "parent": [sym("d", canary), dirent("d/sub"), reg("d/sub/file"), reg("d/target", b"OVERWRITTEN"),
               sym("root", "/"), reg("root/" + t_rel + "/viaroot"),
               sym("up", UP), reg("up/" + c_rel + "/viaup")],
    # whiteouts aimed outside: deletions (vfs) or overlay whiteouts
    # a benign layer; the outer archive is the hostile one (below)
    "outer": [reg("ok", b"ok")],
    "outer-hardlink": [reg("ok", b"ok")],
    "whiteout": [reg(UP + c_rel + "/.wh.target", b""), sym("w", canary), reg("w/.wh.target", b""),
                 sym("o", tmpc), reg("o/.wh..wh..opq", b"")],
}


def tar_bytes(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for ti, data in entries:
            t.addfile(ti, io.BytesIO(data) if ti.size else None)
    return buf.getvalue()


def skeleton():
    out, seen = [], set()
    for p in (c_rel, t_rel):
        parts = p.split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in seen:
                seen.add(d)
                out.append(dirent(d))
    return out + [dirent("etc"), reg("etc/passwd", b"INSIDE"), reg(c_rel + "/target", b"INSIDE"),
                  reg(t_rel + "/target", b"INSIDE")]


layer = tar_bytes((skeleton() if skel else []) + CASES[case])
diff = "sha256:" + hashlib.sha256(layer).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                     "rootfs": {"type": "layers", "diff_ids": [diff]},
                     "history": [{"created_by": "evil " + case}]}).encode()
cfg_name = hashlib.sha256(config).hexdigest() + ".json"
manifest = json.dumps([{"Config": cfg_name, "RepoTags": ["localhost/evil:latest"],
                        "Layers": ["layer/layer.tar"]}]).encode()
outer = [reg("manifest.json", manifest), reg(cfg_name, config), dirent("layer"),
         reg("layer/layer.tar", layer)]
# the outer archive hostile: the staging unpack must hold as well
if case == "outer":
    outer += [reg(UP + c_rel + "/outer"), reg(tmpc + "/outer"), sym("oesc", canary),
              reg("oesc/outer2"), sym("olnk", canary + "/target"), reg("olnk", b"OVERWRITTEN")]
if case == "outer-hardlink":
    outer += [hard("ohl", "/etc/passwd"), hard("ohl2", canary + "/target", b"OVERWRITTEN")]
with open(out, "wb") as f:
    f.write(tar_bytes(outer))
