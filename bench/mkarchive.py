#!/usr/bin/env python3
"""bench/mkarchive.py OUT.tar LABEL SIZE_MB [SIZE_MB...]: writes a
docker-archive with one layer per SIZE_MB (a file of that many MB of
pseudo-random bytes, seeded by LABEL, so two calls with one LABEL give the
same image and different LABELs give different ones) and the busybox
binary in the first layer. $MKARCHIVE_ARCH sets the config's architecture
(default amd64). For benchmarks and tests."""
import hashlib, io, json, os, random, sys, tarfile

out, label, sizes = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
rng = random.Random(label)

def layer(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, mode in files:
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = mode; ti.mtime = 0
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()

layers = []
for i, mb in enumerate(sizes):
    files = [(f"data/blob{i}", rng.randbytes(mb << 20), 0o644)]
    if i == 0:
        files.append(("bin/busybox", open("/bin/busybox", "rb").read(), 0o755))
    layers.append(layer(files))
diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
config = json.dumps({"architecture": os.environ.get("MKARCHIVE_ARCH", "amd64"), "os": "linux",
                     "config": {"Cmd": ["/bin/busybox", "true"], "Labels": {"bench": label}},
                     "rootfs": {"type": "layers", "diff_ids": diff_ids},
                     "history": [{"created_by": "bench"} for _ in layers]}, sort_keys=True).encode()
cid = hashlib.sha256(config).hexdigest()
with tarfile.open(out, "w") as t:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0
        t.addfile(ti, io.BytesIO(data))
    names = []
    for l, d in zip(layers, diff_ids):
        n = d[7:] + "/layer.tar"; names.append(n); add(n, l)
    add(cid + ".json", config)
    add("manifest.json", json.dumps([{"Config": cid + ".json", "RepoTags": [f"localhost/bench-{label}:latest"],
                                      "Layers": names}]).encode())
