# test/bats/userns.bats: user namespaces (--userns, --uidmap, --gidmap,
# --subuidname, --subgidname): the maps the container sees, the owners
# of its files seen from inside and from the host (idmapped layers), auto
# allocation without overlaps, podman's errors. The subordinate id files
# are the test's own (BERTH_SUBUID_FILE, BERTH_SUBGID_FILE), never the
# host's.
load helpers
load ctr_helpers
load net_helpers

setup() {
    ctr_setup
    mapped_root_through
    own_subids
    printf 'other:500000:2000\nother:600000:1000\n' >> "$BERTH_SUBUID_FILE"
    printf 'other:700000:3000\n' >> "$BERTH_SUBGID_FILE"
}
teardown() { berth_teardown; }

maps() { tr -s ' ' <<<"$1" | sed 's/^ //'; }

@test "--uidmap/--gidmap: the maps inside, root inside, the image's files owned by root" {
    run -0 b run --rm --network none --uidmap 0:100000:5000 --gidmap 0:200000:5000 $IMG \
        sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; stat -c %u:%g /bin/sh /etc /etc/mtab'
    [ "$(maps "${lines[0]}")" = "0 100000 5000" ]
    [ "$(maps "${lines[1]}")" = "0 200000 5000" ]
    [ "${lines[2]}" = 0 ] && [ "${lines[3]}" = 0 ] || false
    [ "${lines[4]}" = 0:0 ] && [ "${lines[5]}" = 0:0 ] && [ "${lines[6]}" = 0:0 ] || false
}

@test "files the container writes are owned by the mapped ids on the host; the image's read mapped" {
    run -0 b run -d --name m1 --network none --uidmap 0:100000:5000 --gidmap 0:200000:5000 $IMG \
        sh -c 'touch /newfile; chown 7:8 /newfile; mkdir /d; sleep 86400'
    id=$output
    wait_until_file() { for _ in $(seq 50); do [ -e "$1" ] && return 0; sleep 0.1; done; false; }
    diff=$BATS_TEST_TMPDIR/root/containers/$id/diff
    wait_until_file "$diff/d"
    [ "$(stat -c %u:%g "$diff/newfile")" = 100007:200008 ]
    [ "$(stat -c %u:%g "$diff/d")" = 100000:200000 ]
    [ "$(stat -c %u:%g "$diff")" = 100000:200000 ]
    run -0 b mount m1
    [ "$(stat -c %u:%g "$output/bin/sh")" = 100000:200000 ]
    # the image's layer itself is untouched: no chown of the image
    run -0 b image mount $IMG
    [ "$(stat -c %u:%g "$output/bin/sh")" = 0:0 ]
    b image unmount $IMG >/dev/null
    # inside, the file reads with the container's ids
    run -0 b exec m1 stat -c %u:%g /newfile
    [ "$output" = 7:8 ]
}

@test "--uidmap alone serves as the gid map too, and --gidmap alone as the uid map" {
    run -0 b run --rm --network none --uidmap 0:100000:5000 $IMG cat /proc/self/gid_map
    [ "$(maps "$output")" = "0 100000 5000" ]
    run -0 b run --rm --network none --gidmap 0:200000:500 $IMG cat /proc/self/uid_map
    [ "$(maps "$output")" = "0 200000 500" ]
    run -0 b run --rm --network none --uidmap 0:100000:100 --uidmap 100:300000:10 $IMG cat /proc/self/uid_map
    [ "$(maps "${lines[0]}")" = "0 100000 100" ]
    [ "$(maps "${lines[1]}")" = "100 300000 10" ]
}

@test "inspect shows UsernsMode and IDMappings as podman does" {
    run -0 b create --name i1 --uidmap 0:100000:10 $IMG true
    run -0 b inspect i1 --format '{{.HostConfig.UsernsMode}} {{json .HostConfig.IDMappings}}'
    [ "$output" = 'private {"UidMap":["0:100000:10"],"GidMap":["0:100000:10"]}' ]
    run -0 b create --name i2 --userns host $IMG true
    run -0 b inspect i2 --format '[{{.HostConfig.UsernsMode}}]'
    [ "$output" = "[]" ]
}

@test "--userns auto: two containers get disjoint ranges; rm frees a range" {
    run -0 b run -d --name a1 --network none --userns auto $IMG sleep 86400
    run -0 b run -d --name a2 --network none --userns auto:size=500 $IMG sleep 86400
    run -0 b exec a1 cat /proc/self/uid_map /proc/self/gid_map
    [ "$(maps "${lines[0]}")" = "0 200000 1024" ]
    [ "$(maps "${lines[1]}")" = "0 300000 1024" ]
    run -0 b exec a2 cat /proc/self/uid_map /proc/self/gid_map
    [ "$(maps "${lines[0]}")" = "0 201024 500" ]
    [ "$(maps "${lines[1]}")" = "0 301024 500" ]
    run -0 b inspect a2 --format '{{.HostConfig.UsernsMode}} {{json .HostConfig.IDMappings}}'
    [ "$output" = 'private {"UidMap":["0:201024:500"],"GidMap":["0:301024:500"]}' ]
    # a1's range is free again once a1 is removed; a2's is still taken
    run -0 b rm -f -t 0 a1
    run -0 b run --rm --network none --userns auto:size=2000 $IMG cat /proc/self/uid_map
    [ "$(maps "$output")" = "0 201524 2000" ]
    run -0 b run --rm --network none --userns auto:size=100 $IMG cat /proc/self/uid_map
    [ "$(maps "$output")" = "0 200000 100" ]
}

@test "--userns auto: uidmapping/gidmapping are kept, the rest allocated; too big fails" {
    run -0 b run --rm --network none --userns auto:size=20,uidmapping=5:1000:5 $IMG cat /proc/self/uid_map
    [ "$(maps "${lines[0]}")" = "0 200000 5" ]
    [ "$(maps "${lines[1]}")" = "5 1000 5" ]
    [ "$(maps "${lines[2]}")" = "10 200005 10" ]
    run -0 b run --rm --network none --userns auto:size=10,gidmapping=0:1000:10 $IMG cat /proc/self/gid_map
    [ "$(maps "$output")" = "0 1000 10" ]
    run -125 --separate-stderr b run --rm --userns auto:size=1000000 $IMG true
    [ "$stderr" = "Error: creating container storage: could not find enough available IDs" ]
    BERTH_SUBUID_FILE=$BATS_TEST_TMPDIR/none run -125 --separate-stderr b run --rm --userns auto $IMG true
    [[ $stderr == *'Cannot find mappings for user \"containers\"'* ]]
    [[ $stderr == *"Error: creating container storage: could not find enough available IDs" ]]
}

@test "--subuidname/--subgidname map the named ranges one after another" {
    run -0 b run --rm --network none --subuidname other --subgidname other $IMG cat /proc/self/uid_map /proc/self/gid_map
    [ "$(maps "${lines[0]}")" = "0 500000 2000" ]
    [ "$(maps "${lines[1]}")" = "2000 600000 1000" ]
    [ "$(maps "${lines[2]}")" = "0 700000 3000" ]
    # one name stands for both
    run -0 b run --rm --network none --subuidname containers $IMG cat /proc/self/gid_map
    [ "$(maps "$output")" = "0 300000 100000" ]
    run -125 --separate-stderr b run --rm --subuidname nobody $IMG true
    [ "$stderr" = "Error: no subuid ranges found for user \"nobody\" in $BERTH_SUBUID_FILE" ]
}

@test "--userns container:X and ns:PATH join another container's user namespace" {
    run -0 b run -d --name owner --network none --uidmap 0:100000:5000 $IMG sleep 86400
    run -0 b run --rm --network none --userns container:owner $IMG cat /proc/self/uid_map
    [ "$(maps "$output")" = "0 100000 5000" ]
    pid=$(b inspect owner --format '{{.State.Pid}}')
    run -0 b run --rm --network none --userns ns:/proc/$pid/ns/user $IMG cat /proc/self/uid_map
    [ "$(maps "$output")" = "0 100000 5000" ]
    run -0 b create --name j1 --userns container:owner $IMG true
    run -0 b inspect j1 --format '{{.HostConfig.UsernsMode}}'
    [[ $output == container:* ]]
}

@test "--userns host and the default: the host's user namespace" {
    run -0 b run --rm --network none --userns host $IMG cat /proc/self/uid_map
    [ "$(maps "$output")" = "0 0 4294967295" ]
    run -0 b run --rm --network none --userns "" $IMG cat /proc/self/uid_map
    [ "$(maps "$output")" = "0 0 4294967295" ]
}

@test "a run killed while its idmapped layers are mounted: rm -f removes it, the image's layers untouched" {
    layer=$(ls -d "$BATS_TEST_TMPDIR"/root/layers/*/diff | head -1)
    before=$(find "$layer" | wc -l)
    for cname in km1 km2; do
        run -137 env BERTH_TEST_CRASH_AT=mount:idmapped "$BERTH_BIN" "${BERTH_ARGS[@]}" \
            run -d --name $cname --network none --userns auto $IMG true
        # the window is real: the layers' idmapped mounts are still there
        grep -q "$BATS_TEST_TMPDIR/root/containers/[0-9a-f]*/idmap/0" /proc/self/mounts
        if [ $cname = km2 ]; then
            # the next start converges: its mount is made again, the
            # killed one's layer mounts detached first
            run -0 b start --attach $cname
            ! grep -q "$BATS_TEST_TMPDIR/root/containers/[0-9a-f]*/idmap" /proc/self/mounts || false
        fi
        # km1: removed with the layer mounts still in its storage dir
        run -0 b rm -f $cname
        [ "$(find "$layer" | wc -l)" = "$before" ]
        ! grep -q "$BATS_TEST_TMPDIR/root" /proc/self/mounts || false
    done
    run -0 b run --rm --network none --userns auto $IMG sh -c 'test -x /bin/busybox'
}

@test "bad --userns values and map combinations get podman's errors" {
    err() { run -125 --separate-stderr b create "$@" $IMG true; [ "$stderr" = "Error: $want" ] || { echo "$stderr"; false; }; }
    want="keep-id is only supported in rootless mode" err --userns keep-id
    want="keep-id is only supported in rootless mode" err --userns keep-id:uid=5
    want="nomap is only supported in rootless mode" err --userns nomap
    want="unrecognized namespace mode bogus passed" err --userns bogus
    want="must provide at least one UID or GID mapping to configure a user namespace" err --userns private
    want="--userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive" err --userns host --uidmap 0:1:2
    want="--userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive" err --userns auto --subuidname x
    want='initializing ID mappings: UID setting is malformed expected ["uint32:uint32:uint32"]: ["bad"]' err --uidmap bad
    want='initializing ID mappings: GID setting is malformed expected ["uint32:uint32:uint32"]: ["0:100000"]' err --gidmap 0:100000
    want='unknown option specified: "bad"' err --userns auto:bad=1
    want='strconv.ParseUint: parsing "abc": invalid syntax' err --userns auto:size=abc
    want='failed to create ParseUIDMap UID=[bad]: initializing ID mappings: UID setting is malformed expected ["uint32:uint32:uint32"]: ["bad"]' err --userns auto:uidmapping=bad
    want="invalid config provided: namespace mode path requires a value" err --userns ns:
    want="cannot find specified user namespace path: stat /nonexistent: no such file or directory" err --userns ns:/nonexistent
    want='looking up container to share user namespace with: no container with name or ID "nope" found: no such container' err --userns container:nope
    run -0 b ps -a -q
    [ -z "$output" ]
}

@test "a bridge network with a user namespace: address, exec, clean removal" {
    run in_netns '
        b run -d --name un --uidmap 0:100000:5000 '"$IMG"' sleep 86400 >/dev/null
        b exec un sh -c "cat /proc/self/uid_map; ip -4 addr show eth0" > $BATS_TEST_TMPDIR/out
        grep -q "inet 10.87." $BATS_TEST_TMPDIR/out || fail "no address: $(cat $BATS_TEST_TMPDIR/out)"
        grep -q "100000" $BATS_TEST_TMPDIR/out || fail "no map: $(cat $BATS_TEST_TMPDIR/out)"
        b rm -f -t 0 un >/dev/null
        [ -z "$(ls $BATS_TEST_TMPDIR/scratch/netns)" ] || fail "left: $(ls $BATS_TEST_TMPDIR/scratch/netns)"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "vfs: the container's own copy is shifted to the mapped ids, the image's is not" {
    local d=$BATS_TEST_TMPDIR
    BERTH_ARGS=(--root "$d/vroot" --runroot "$d/vrunroot" --tmpdir "$d/vscratch"
                --network-config-dir "$d/net" --storage-driver vfs)
    load_image busybox
    run -0 b create --name v1 --network none --uidmap 0:100000:5000 --gidmap 0:200000:5000 $IMG \
        sh -c 'stat -c %u:%g /bin/sh; touch /x; stat -c %u /x'
    id=$output
    [ "$(stat -c %u:%g "$d/vroot/containers/$id/diff/bin/sh")" = 100000:200000 ]
    run -0 b start -a v1
    [ "${lines[0]}" = 0:0 ] && [ "${lines[1]}" = 0 ] || false
    [ "$(stat -c %u "$d/vroot/containers/$id/diff/x")" = 100000 ]
    run -0 b run --rm --network none $IMG stat -c %u:%g /bin/sh
    [ "$output" = 0:0 ]
}
