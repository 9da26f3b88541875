#!/usr/bin/env bash
# bench/mkmany.sh OUTDIR [NFILES] [BYTES]: builds OUTDIR/many.docker.tar,
# localhost/many:latest: test/images' busybox layer plus one layer of
# NFILES (default 20000) regular files of BYTES (default 2048) each, in
# directories of 500 under /usr/share/many, every fourth owned by 1000:1000
# (an image with many files, as a distribution's userland is: what a
# per-mapping chown of the image walks). Deterministic (fixed mtimes,
# numeric owners, sorted names); cached by OUTDIR/.many-key. Prints the
# archive's path.
set -euo pipefail
export LC_ALL=C

out=${1:?usage: mkmany.sh OUTDIR [NFILES] [BYTES]}
n=${2:-20000}
bytes=${3:-2048}
here=$(cd "$(dirname "$0")/.." && pwd)
MTIME=1700000000
CREATED=2023-11-14T22:13:20Z

bash "$here/test/images/build.sh" "$out" >/dev/null
out=$(cd "$out" && pwd)
key=$( { sha256sum <"$0"; sha256sum <"$out/busybox.docker.tar"; echo "$n $bytes"; } | sha256sum | cut -c1-64)
if [ -f "$out/.many-key" ] && [ "$(cat "$out/.many-key")" = "$key" ] && [ -f "$out/many.docker.tar" ]; then
    echo "$out/many.docker.tar"
    exit 0
fi
work=$(mktemp -d "$out/.many.XXXXXX")
trap 'rm -rf "$work"' EXIT
sha() { sha256sum "$1" | cut -c1-64; }

# the busybox image's one layer and config
mkdir "$work/bb"
tar -C "$work/bb" -xf "$out/busybox.docker.tar"
bbcfg=$work/bb/$(jq -r '.[0].Config' "$work/bb/manifest.json")
bblayer=$work/bb/$(jq -r '.[0].Layers[0]' "$work/bb/manifest.json")

# the many-files layer: one fixed block of BYTES, each file's number
# written over its start so no two files are the same
python3 - "$work/tree" "$n" "$bytes" <<'EOF'
import os, sys
root, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seed = bytes((i * 131 + 7) % 256 for i in range(size))
for i in range(n):
    d = os.path.join(root, "usr/share/many", "d%03d" % (i // 500))
    if i % 500 == 0:
        os.makedirs(d, exist_ok=True)
    tag = b"%08d" % i
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(tag + seed[len(tag):])
    if i % 4 == 3:
        os.lchown(os.path.join(d, "f%05d" % i), 1000, 1000)
EOF
(cd "$work/tree" && find . -mindepth 1 | sed 's|^\./||' | sort >"$work/list")
find "$work/tree" -exec touch -h -d "@$MTIME" {} +
tar --format=gnu --no-recursion --numeric-owner --mtime="@$MTIME" \
    -C "$work/tree" -cf "$work/many.tar" -T "$work/list"

# the image: busybox's config with the second layer's diff id and history
mkdir "$work/d"
l1=$(sha "$bblayer"); l2=$(sha "$work/many.tar")
cp "$bblayer" "$work/d/$l1.tar"
cp "$work/many.tar" "$work/d/$l2.tar"
jq -cS --arg id "sha256:$l2" --arg created "$CREATED" --arg n "$n" \
    '.rootfs.diff_ids += [$id] |
     .history += [{created: $created, created_by: ("bench/mkmany.sh: " + $n + " files")}]' \
    "$bbcfg" | tr -d '\n' >"$work/cfg.json"
chex=$(sha "$work/cfg.json")
mv "$work/cfg.json" "$work/d/$chex.json"
jq -cn --arg c "$chex.json" --arg a "$l1.tar" --arg b "$l2.tar" \
    '[{Config: $c, RepoTags: ["localhost/many:latest"], Layers: [$a, $b]}]' | tr -d '\n' >"$work/d/manifest.json"
(cd "$work/d" && ls | sort >"$work/dlist")
find "$work/d" -exec touch -h -d "@$MTIME" {} +
tar --format=gnu --no-recursion --numeric-owner --mtime="@$MTIME" \
    -C "$work/d" -cf "$out/many.docker.tar.tmp" -T "$work/dlist"
mv "$out/many.docker.tar.tmp" "$out/many.docker.tar"
echo "$key" >"$out/.many-key"
echo "$out/many.docker.tar"
