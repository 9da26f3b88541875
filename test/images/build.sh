#!/usr/bin/env bash
# test/images/build.sh OUTDIR: builds berth's test images from Debian's
# busybox-static, offline and deterministically, as docker-archive and
# oci-archive files:
#
#   OUTDIR/busybox.docker.tar  OUTDIR/busybox.oci.tar   localhost/busybox:latest
#   OUTDIR/layered.docker.tar  OUTDIR/layered.oci.tar   localhost/layered:latest
#   OUTDIR/confd.docker.tar    OUTDIR/confd.oci.tar     localhost/confd:latest
#   OUTDIR/volimg.docker.tar   OUTDIR/volimg.oci.tar    localhost/volimg:latest
#
# busybox: one layer (busybox + applet links, passwd/group with root, app
#   1000:1000 and nobody, /tmp, /root, /home/app), Cmd ["sh"].
# layered: the busybox layer plus two: the third deletes /data/gone
#   (.wh.gone) and makes /opt/old opaque (.wh..wh..opq).
# confd: the busybox layer with Entrypoint, Cmd, Env, WorkingDir, User,
#   Volumes, ExposedPorts, Labels and StopSignal set.
# volimg: the busybox layer plus one with /vdata (1000:1000, 0750: seed,
#   sub/deep, a symlink) and Volumes /vdata and /fresh (not in the image),
#   for copy-up.
#
# Fixed mtimes, numeric owners, sorted entries and `gzip -n` make every
# digest stable across runs and machines with the same busybox. The result
# is cached: OUTDIR/.key holds a hash of this script and of the busybox
# binary, and a second run with the same key does nothing. Prints OUTDIR.
set -euo pipefail
export LC_ALL=C

out=${1:?usage: build.sh OUTDIR}
bb=${BUSYBOX:-/bin/busybox}
MTIME=1700000000                      # 2023-11-14T22:13:20Z
CREATED=2023-11-14T22:13:20Z

key=$( { sha256sum <"$0"; sha256sum <"$bb"; } | sha256sum | cut -c1-64)
if [ -f "$out/.key" ] && [ "$(cat "$out/.key")" = "$key" ]; then
    echo "$out"
    exit 0
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT

sha() { sha256sum "$1" | cut -c1-64; }

# mklayer DIR OUT.tar: a reproducible tar of DIR's contents, names without "./".
mklayer() {
    local dir=$1 tarf=$2
    (cd "$dir" && find . -mindepth 1 | sed 's|^\./||' | sort >"$work/list")
    find "$dir" -exec touch -h -d "@$MTIME" {} +
    tar --format=gnu --no-recursion --numeric-owner --mtime="@$MTIME" \
        -C "$dir" -cf "$tarf" -T "$work/list"
}

# --- layer contents -----------------------------------------------------
base=$work/base
mkdir -p "$base"/{bin,etc,tmp,root,home/app}
cp "$bb" "$base/bin/busybox"
for a in $("$bb" --list); do
    [ "$a" = busybox ] || ln -s busybox "$base/bin/$a"
done
cat >"$base/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat >"$base/etc/group" <<'G'
root:x:0:
app:x:1000:
nogroup:x:65534:
G
chown -R 0:0 "$base"
chown 1000:1000 "$base/home/app"
find "$base" -type d -exec chmod 0755 {} +
chmod 0644 "$base/etc/passwd" "$base/etc/group"
chmod 0755 "$base/bin/busybox"
chmod 1777 "$base/tmp"
chmod 0700 "$base/root"

l2=$work/l2
mkdir -p "$l2"/{data,opt/old/sub,etc}
echo keep >"$l2/data/keep"
echo gone >"$l2/data/gone"
echo a >"$l2/opt/old/a"
echo b >"$l2/opt/old/sub/b"
echo two >"$l2/etc/layer2"
l3=$work/l3
mkdir -p "$l3"/{data,opt/old,etc}
: >"$l3/data/.wh.gone"
: >"$l3/opt/old/.wh..wh..opq"
echo new >"$l3/opt/old/new"
echo three >"$l3/etc/layer3"
vl=$work/vl
mkdir -p "$vl"/vdata/sub
echo seeded >"$vl/vdata/seed"
echo deep >"$vl/vdata/sub/deep"
ln -s seed "$vl/vdata/link"
for d in "$l2" "$l3" "$vl"; do
    chown -R 0:0 "$d"
    find "$d" -type d -exec chmod 0755 {} +
    find "$d" -type f -exec chmod 0644 {} +
done

chown -R 1000:1000 "$vl/vdata"
chmod 0750 "$vl/vdata"

mkdir -p "$work/layers"
mklayer "$base" "$work/layers/base.tar"
mklayer "$l2" "$work/layers/l2.tar"
mklayer "$l3" "$work/layers/l3.tar"
mklayer "$vl" "$work/layers/vl.tar"
for l in base l2 l3 vl; do
    gzip -n -9 -c "$work/layers/$l.tar" >"$work/layers/$l.tar.gz"
done

# --- image configs -------------------------------------------------------
# mkconfig NAME CONFIG_JSON LAYER...: writes $work/NAME.config.json
mkconfig() {
    local name=$1 cfg=$2; shift 2
    local ids=() hist=() l
    for l in "$@"; do
        ids+=("sha256:$(sha "$work/layers/$l.tar")")
        hist+=("{\"created\":\"$CREATED\",\"created_by\":\"test/images/build.sh: layer $l\"}")
    done
    jq -cS -n --argjson c "$cfg" --arg created "$CREATED" \
        --argjson ids "$(printf '%s\n' "${ids[@]}" | jq -R . | jq -s .)" \
        --argjson hist "$(printf '%s\n' "${hist[@]}" | jq -s .)" \
        '{architecture: "amd64", os: "linux", created: $created, config: $c,
          rootfs: {type: "layers", diff_ids: $ids}, history: $hist}' \
        | tr -d '\n' >"$work/$name.config.json"
}

PATHENV='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
mkconfig busybox "{\"Env\":[\"$PATHENV\"],\"Cmd\":[\"sh\"]}" base
mkconfig layered "{\"Env\":[\"$PATHENV\"],\"Cmd\":[\"sh\"]}" base l2 l3
mkconfig confd "$(jq -cn --arg p "$PATHENV" '{
    Entrypoint: ["/bin/sh", "-c"], Cmd: ["echo hello from confd"],
    Env: [$p, "GREETING=hello", "EMPTY="], WorkingDir: "/home/app", User: "app",
    Volumes: {"/data": {}}, ExposedPorts: {"8080/tcp": {}},
    Labels: {"org.berth.test": "confd", "maintainer": "berth"},
    StopSignal: "SIGQUIT"}')" base
mkconfig volimg "{\"Env\":[\"$PATHENV\"],\"Cmd\":[\"sh\"],\"Volumes\":{\"/vdata\":{},\"/fresh\":{}}}" base vl

# --- archives --------------------------------------------------------------
# docker-archive: manifest.json, <config hex>.json, <diff id hex>.tar (uncompressed)
docker_archive() {
    local name=$1; shift
    local d=$work/d-$name cfg chex l lhex layers=()
    mkdir -p "$d"
    cfg=$work/$name.config.json
    chex=$(sha "$cfg")
    cp "$cfg" "$d/$chex.json"
    for l in "$@"; do
        lhex=$(sha "$work/layers/$l.tar")
        cp "$work/layers/$l.tar" "$d/$lhex.tar"
        layers+=("$lhex.tar")
    done
    jq -cn --arg c "$chex.json" --arg n "localhost/$name:latest" \
        --argjson l "$(printf '%s\n' "${layers[@]}" | jq -R . | jq -s .)" \
        '[{Config: $c, RepoTags: [$n], Layers: $l}]' | tr -d '\n' >"$d/manifest.json"
    jq -cn --arg n "localhost/$name" --arg id "${layers[-1]%.tar}" \
        '{($n): {latest: $id}}' | tr -d '\n' >"$d/repositories"
    mklayer "$d" "$work/$name.docker.tar"
}

# oci-archive: oci-layout, index.json, blobs/sha256/* (gzip layers)
oci_archive() {
    local name=$1; shift
    local d=$work/o-$name cfg chex l lhex layers=() m mhex
    mkdir -p "$d/blobs/sha256"
    cfg=$work/$name.config.json
    chex=$(sha "$cfg")
    cp "$cfg" "$d/blobs/sha256/$chex"
    for l in "$@"; do
        lhex=$(sha "$work/layers/$l.tar.gz")
        cp "$work/layers/$l.tar.gz" "$d/blobs/sha256/$lhex"
        layers+=("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$lhex\",\"size\":$(stat -c %s "$work/layers/$l.tar.gz")}")
    done
    m=$work/$name.manifest.json
    jq -cn --arg c "sha256:$chex" --argjson cs "$(stat -c %s "$cfg")" \
        --argjson l "$(printf '%s\n' "${layers[@]}" | jq -s .)" \
        '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
          config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
          layers: $l}' | tr -d '\n' >"$m"
    mhex=$(sha "$m")
    cp "$m" "$d/blobs/sha256/$mhex"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
    jq -cn --arg m "sha256:$mhex" --argjson ms "$(stat -c %s "$m")" \
        --arg n "localhost/$name:latest" \
        '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: $m, size: $ms, annotations: {"org.opencontainers.image.ref.name": $n}}]}' \
        | tr -d '\n' >"$d/index.json"
    mklayer "$d" "$work/$name.oci.tar"
}

docker_archive busybox base
docker_archive layered base l2 l3
docker_archive confd base
docker_archive volimg base vl
oci_archive busybox base
oci_archive layered base l2 l3
oci_archive confd base
oci_archive volimg base vl

# Publish: each file renamed into place, the key last, so a concurrent
# or interrupted run never leaves a half-written archive behind a valid key.
for n in busybox layered confd volimg; do
    for f in docker oci; do
        mv -f "$work/$n.$f.tar" "$out/$n.$f.tar"
    done
done
echo "$key" >"$work/key"
mv -f "$work/key" "$out/.key"
echo "$out"
