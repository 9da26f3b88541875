#!/usr/bin/env bash
# tools/demo.sh: `make demo`. Builds the busybox test image locally (no
# registry needed), loads it into a throwaway store under /tmp and runs a
# few real containers. Leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
B0=$PWD/berth
D=$(mktemp -d /tmp/berth-demo.XXXXXX)
export BERTH_CONFIG=$D/berth.conf
: > "$BERTH_CONFIG"
B=("$B0" --root "$D/root" --runroot "$D/run" --tmpdir "$D/tmp")
cleanup() {
    "${B[@]}" rm --all --force --time 0 >/dev/null 2>&1 || true
    awk -v d="$D" '$2 ~ "^"d {print $2}' /proc/self/mounts | sort -r | xargs -r umount -l 2>/dev/null || true
    rm -rf "$D"
}
trap cleanup EXIT
say() { printf '\n\033[1m$ berth %s\033[0m\n' "$*"; }

bash test/images/build.sh build/test-images >/dev/null
say load -i build/test-images/busybox.docker.tar
"${B[@]}" load -i build/test-images/busybox.docker.tar
say run --rm --network none localhost/busybox echo "hello from a berth container"
"${B[@]}" run --rm --network none localhost/busybox echo "hello from a berth container"
say run -d --name demo --network none localhost/busybox sh -c 'echo up; sleep 30'
"${B[@]}" run -d --name demo --network none localhost/busybox sh -c 'echo up; sleep 30'
if "${B[@]}" ps --help >/dev/null 2>&1; then
    say ps
    "${B[@]}" ps
fi
say stop -t 1 demo
"${B[@]}" stop -t 1 demo 2>/dev/null
say wait demo
"${B[@]}" wait demo
say rm demo
"${B[@]}" rm demo
echo
echo "demo: done (store was $D, now removed)"
