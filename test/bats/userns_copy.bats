# test/bats/userns_copy.bats: the chowned copy of the image kept per id
# mapping, where the kernel cannot mount overlay on idmapped layers. This
# kernel can: BERTH_TEST_NO_IDMAPPED_MOUNTS=1 makes berth take it for one
# that cannot. The subordinate id files are the test's own.
load helpers
load ctr_helpers

setup() {
    ctr_setup
    mapped_root_through
    own_subids
    MAPPED=$BATS_TEST_TMPDIR/root/mapped
}
teardown() { berth_teardown; }

# the copies made so far: mapped/<top>/<key>
copies() { find "$MAPPED" -mindepth 2 -maxdepth 2 -type d 2>/dev/null | sort; }

@test "no idmapped mounts: --uidmap runs on a chowned copy, root inside, range start outside" {
    export BERTH_TEST_NO_IDMAPPED_MOUNTS=1
    run -0 b run --rm --network none --uidmap 0:100000:5000 --gidmap 0:200000:5000 $IMG \
        sh -c 'id -u; stat -c %u:%g /bin/busybox /etc; touch /x && echo wrote'
    [ "${lines[0]}" = 0 ]
    [ "${lines[1]}" = 0:0 ] && [ "${lines[2]}" = 0:0 ] || false
    [ "${lines[3]}" = wrote ]
    run -0 copies
    [ "${#lines[@]}" -eq 1 ]
    c=${lines[0]}
    [ "$(stat -c %u:%g "$c/diff/bin/busybox")" = 100000:200000 ]
    [ "$(stat -c %u:%g "$c/diff")" = 100000:200000 ]
    # the image's own layers are untouched; modes and symlinks come along
    run -0 b image mount $IMG
    [ "$(stat -c %u:%g "$output/bin/busybox")" = 0:0 ]
    [ "$(stat -c %a "$c/diff/tmp")" = "$(stat -c %a "$output/tmp")" ]
    [ "$(stat -c %a "$c/diff/bin/busybox")" = "$(stat -c %a "$output/bin/busybox")" ]
    [ "$(readlink "$c/diff/bin/sh")" = "$(readlink "$output/bin/sh")" ]
    b image unmount $IMG >/dev/null
    # the kernel's answer is not cached while the knob forces it
    [ ! -e "$BATS_TEST_TMPDIR/runroot/idmapped-lower-dir-false" ]
}

@test "no idmapped mounts: --userns auto works; the same mapping reuses the copy, another makes one" {
    export BERTH_TEST_NO_IDMAPPED_MOUNTS=1
    run -0 b run --rm --network none --userns auto:size=5000 $IMG \
        sh -c 'cat /proc/self/uid_map; stat -c %u /bin/busybox'
    [ "${lines[1]}" = 0 ]
    run -0 copies
    [ "${#lines[@]}" -eq 1 ]
    [ "$(stat -c %u "${lines[0]}/diff/bin/busybox")" = 200000 ]
    # a fixed mapping twice: one copy, the same inodes (no second copy or chown)
    run -0 b run --rm --network none --uidmap 0:100000:5000 $IMG true
    run -0 copies
    [ "${#lines[@]}" -eq 2 ]
    c=$(grep -l '100000' "$MAPPED"/*/*/map.json | xargs dirname)
    ino=$(stat -c %i:%Z "$c/diff/bin/busybox")
    run -0 b run --rm --network none --uidmap 0:100000:5000 $IMG stat -c %u /bin/busybox
    [ "$output" = 0 ]
    [ "$(stat -c %i:%Z "$c/diff/bin/busybox")" = "$ino" ]
    run -0 copies
    [ "${#lines[@]}" -eq 2 ]
    # system df counts them with the image: more than the image's layers
    run -0 b system df --format '{{.Type}} {{.RawSize}}'
    df=$(awk '$1 == "Images" { print $2 }' <<<"$output")
    run -0 b image inspect --format '{{.Size}}' $IMG
    [ "$df" -gt $((output + 2000000)) ]
    # system check accepts them
    run -0 b system check
    # rmi removes the image's copies (and nothing refuses it)
    run -0 b rmi $IMG
    run -0 copies
    [ -z "$output" ]
}

@test "no idmapped mounts: a copy killed half-made is removed and made again" {
    export BERTH_TEST_NO_IDMAPPED_MOUNTS=1
    BERTH_TEST_CRASH_AT=mapcopy:chowned run -137 b run --rm --network none --uidmap 0:100000:5000 $IMG true
    run -0 copies
    [ -z "$output" ]
    run -0 ls "$BATS_TEST_TMPDIR/root/tmp"
    [[ "$output" == *mapped-* ]]
    run -0 b system check
    run -0 b run --rm --network none --uidmap 0:100000:5000 $IMG stat -c %u /bin/busybox
    [ "$output" = 0 ]
    run -0 copies
    [ "${#lines[@]}" -eq 1 ]
    run ls "$BATS_TEST_TMPDIR/root/tmp"
    [[ "$output" != *mapped-* ]]
}

@test "idmapped mounts work: no copy, and the kernel's answer is kept for the boot" {
    unset BERTH_TEST_NO_IDMAPPED_MOUNTS
    run -0 b run --rm --network none --uidmap 0:100000:5000 $IMG stat -c %u /bin/busybox
    [ "$output" = 0 ]
    run -0 copies
    [ -z "$output" ]
    [ -e "$BATS_TEST_TMPDIR/runroot/idmapped-lower-dir-true" ]
}

@test "no idmapped mounts: the copy of a layered image is its merged tree (whiteouts, opaque dirs)" {
    export BERTH_TEST_NO_IDMAPPED_MOUNTS=1
    load_image layered
    run -0 b run --rm --network none localhost/layered sh -c 'ls -A /data /opt/old | sort; echo .'
    want=$output
    run -0 b run --rm --network none --uidmap 0:100000:5000 localhost/layered \
        sh -c 'ls -A /data /opt/old | sort; echo .'
    [ "$output" = "$want" ]
    [[ "$output" != *gone* ]]
    run -0 copies
    [ "${#lines[@]}" -eq 1 ]
    run find "${lines[0]}/diff" -name '.wh.*'
    [ -z "$output" ]
}

@test "no idmapped mounts: two first runs with one mapping at once make one copy" {
    export BERTH_TEST_NO_IDMAPPED_MOUNTS=1
    b run --rm --network none --uidmap 0:100000:5000 $IMG true & p1=$!
    b run --rm --network none --uidmap 0:100000:5000 $IMG true & p2=$!
    wait $p1
    wait $p2
    run -0 copies
    [ "${#lines[@]}" -eq 1 ]
    run -0 ls "$BATS_TEST_TMPDIR/root/tmp"
    [[ "$output" != *mapped-* ]]
}
