#!/usr/bin/env python3
"""test/bats/evil_archive.py CASE OUT.tar CANARY TMPCANARY
   test/bats/evil_archive.py outer:KIND OUT.tar

Writes a docker-archive (localhost/evil:latest) whose one layer is a
hostile tar aimed at the directories CANARY and TMPCANARY (absolute
paths outside the store), for load_malicious.bats. "UP" is enough ../
to reach / from any directory, so a name that is not clamped at the
layer root lands exactly on the canary.

outer:KIND writes an archive whose outer tar is the hostile part (see
OUTER below): FIFOs and devices where documents and layers belong,
oversized documents, broken second images, odd modes and names.
"""
import hashlib, io, json, sys, tarfile

case, out = sys.argv[1:3]
canary, tmpc = sys.argv[3:5] if len(sys.argv) >= 5 else ("/nonexistent-canary", "/nonexistent-tmp")
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


def sha(b):
    return hashlib.sha256(b).hexdigest()


def image(layer_datas, tags, history="evil"):
    """A config and its digest for layers (uncompressed tars)."""
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(l) for l in layer_datas]},
                      "history": [{"created_by": history}]}).encode()
    return cfg


def docker_outer(images, mode=0o644):
    """images: [(tags, [layer bytes])] -> (entries, names by role)."""
    ents, man, names = [], [], {}
    for n, (tags, layers) in enumerate(images):
        cfg = image(layers, tags, "evil %d" % n)
        cname = sha(cfg) + ".json"
        lnames = []
        for k, l in enumerate(layers):
            ln = "layer%d-%d/layer.tar" % (n, k)
            ents += [dirent("layer%d-%d" % (n, k)), reg(ln, l)]
            lnames.append(ln)
        ents.append(reg(cname, cfg))
        man.append({"Config": cname, "RepoTags": tags, "Layers": lnames})
        names.setdefault("config", cname)
        names.setdefault("layer", lnames[0] if lnames else None)
    ents.insert(0, reg("manifest.json", json.dumps(man).encode()))
    names["manifest"] = "manifest.json"
    for ti, _ in ents:
        if ti.type == tarfile.REGTYPE:
            ti.mode = mode
    return ents, names


def oci_outer(layers, name="localhost/evil:latest"):
    cfg = image(layers, [])
    ents = [reg("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), dirent("blobs"), dirent("blobs/sha256")]
    ldesc = []
    for l in layers:
        ents.append(reg("blobs/sha256/" + sha(l), l))
        ldesc.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + sha(l),
                      "size": len(l)})
    ents.append(reg("blobs/sha256/" + sha(cfg), cfg))
    man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                 "digest": "sha256:" + sha(cfg), "size": len(cfg)},
                      "layers": ldesc}).encode()
    ents.append(reg("blobs/sha256/" + sha(man), man))
    idx = json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + sha(man),
         "size": len(man), "annotations": {"org.opencontainers.image.ref.name": name}}]}).encode()
    ents.append(reg("index.json", idx))
    names = {"index": "index.json", "oci-manifest": "blobs/sha256/" + sha(man),
             "oci-config": "blobs/sha256/" + sha(cfg), "oci-layer": "blobs/sha256/" + sha(layers[0])}
    return ents, names


def replace(ents, name, ti):
    """The entry called name becomes ti (a FIFO, a device, a dir...)."""
    ti.name = name
    return [(ti, None) if e[0].name == name else e for e in ents]


def special(kind):
    t = tarfile.TarInfo("x")
    if kind == "fifo":
        t.type = tarfile.FIFOTYPE
    elif kind in ("chr", "blk"):
        # /dev/zero, and the first loop device: read "forever" / a disk
        t.type = tarfile.CHRTYPE if kind == "chr" else tarfile.BLKTYPE
        t.devmajor, t.devminor = (1, 5) if kind == "chr" else (7, 0)
    elif kind == "dir":
        t.type = tarfile.DIRTYPE
    t.mode = 0o666
    return t


OK_LAYER = tar_bytes([reg("ok", b"ok")])


def outer_case(kind):
    """outer:KIND[:WHERE]"""
    parts = kind.split(":")
    what, where = parts[0], (parts[1] if len(parts) > 1 else None)
    if what in ("fifo", "chr", "blk", "dir"):
        if where in ("index", "oci-manifest", "oci-config", "oci-layer"):
            ents, names = oci_outer([OK_LAYER])
        else:
            ents, names = docker_outer([(["localhost/evil:latest"], [OK_LAYER])])
        return replace(ents, names[where], special(what))
    if what == "big":
        # a valid manifest.json padded past the 4 MiB cap with blanks
        ents, names = docker_outer([(["localhost/evil:latest"], [OK_LAYER])])
        man = [e for e in ents if e[0].name == "manifest.json"][0][1]
        return [reg("manifest.json", man + b" " * (5 << 20)) if e[0].name == "manifest.json" else e
                for e in ents]
    if what == "multi-bad":
        # the second image's layer does not match its diff id
        ents, _ = docker_outer([(["localhost/good:latest"], [OK_LAYER]),
                                (["localhost/bad:latest"], [tar_bytes([reg("bad", b"bad")])])])
        return [reg(e[0].name, e[1] + b"tampered") if e[0].name == "layer1-0/layer.tar" else e
                for e in ents]
    if what == "multi-missing":
        ents, _ = docker_outer([(["localhost/good:latest"], [OK_LAYER]),
                                (["localhost/bad:latest"], [tar_bytes([reg("bad", b"bad")])])])
        return [e for e in ents if e[0].name != "layer1-0/layer.tar"]
    if what == "multi-unpack":
        # the second image's layer is a tar whose entry cannot be unpacked
        # (a hard link to nothing): it fails only when layers are unpacked
        bad = tar_bytes([hard("hl", "nothing/there")])
        ents, _ = docker_outer([(["localhost/good:latest"], [OK_LAYER]), (["localhost/bad:latest"], [bad])])
        return ents
    if what == "modes":
        ents, _ = docker_outer([(["localhost/evil:latest"], [OK_LAYER])], mode=0o6777)
        return ents
    if what == "escape":
        ents, _ = docker_outer([(["\x1b[31mRED\x1b]0;owned\x07:latest", "localhost/evil:latest"], [OK_LAYER])])
        return ents
    if what == "escape-entry":
        # a layer entry whose name sets the terminal title, and fails
        bad = tar_bytes([hard("\x1b]0;owned\x07evil", "nothing/there")])
        ents, _ = docker_outer([(["localhost/evil:latest"], [bad])])
        return ents
    if what == "symlinked-layer":
        # docker save links a layer two images share
        ents, _ = docker_outer([(["localhost/one:latest"], [OK_LAYER]), (["localhost/two:latest"], [OK_LAYER])])
        return [info("layer1-0/layer.tar", tarfile.SYMTYPE, link="../layer0-0/layer.tar")
                if e[0].name == "layer1-0/layer.tar" else e for e in ents]
    if what == "slow":
        # a small layer, then one of 20000 files that takes a while to
        # unpack; the small one's diff id (its layer's name) goes to stdout
        big = tar_bytes([dirent("d")] + [reg("d/%05d" % i, b"") for i in range(20000)])
        ents, _ = docker_outer([(["localhost/slow:latest"], [OK_LAYER, big])])
        print(sha(OK_LAYER))
        return ents
    raise SystemExit("unknown outer case " + kind)


if case.startswith("outer:"):
    with open(out, "wb") as f:
        f.write(tar_bytes(outer_case(case[len("outer:"):])))
    sys.exit(0)

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
