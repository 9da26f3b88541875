# test/bats/mount.bats: mount / unmount of containers: counted mounts,
# the listing (text, --no-trunc, json), running containers' own mounts,
# --all, --latest, errors.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

mounted() { awk -v d="$1" '$2 == d' /proc/self/mounts | grep -q .; }

# mounted_n NAME N: a container NAME created and mounted N times (berth
# mount); sets id and mp (its mount point)
mounted_n() {
    local i
    b create --name "$1" --network none $IMG true >/dev/null
    id=$(b inspect --format '{{.Id}}' "$1")
    mp=$(b mount "$1")
    for ((i = 1; i < $2; i++)); do b mount "$1" >/dev/null; done
}

@test "mount prints the mount point, lists it, and unmount drops it" {
    b create --name m1 --network none $IMG true >/dev/null
    id=$(b inspect --format '{{.Id}}' m1)
    run -0 b mount
    [ "$output" = "" ]
    run -0 b mount m1
    mp=$output
    [ -x "$mp/bin/busybox" ]
    mounted "$mp"
    run -0 b mount
    [ "$output" = "${id:0:12}  $mp" ]
    run -0 b container mount --no-trunc
    [ "$output" = "$id  $mp" ]
    run -0 b mount --format json
    run -0 python3 -c 'import json,sys; v=json.loads(sys.argv[1]); print(v[0]["id"], v[0]["Names"][0], v[0]["mountpoint"], len(v))' "$output"
    [ "$output" = "$id m1 $mp 1" ]
    # counted: two mounts want two unmounts
    run -0 b mount m1
    run -0 b umount m1
    [ "$output" = m1 ]
    mounted "$mp"
    run -0 b container unmount m1
    ! mounted "$mp" || false
    run -0 b mount
    [ "$output" = "" ]
    # not mounted: nothing to do, as podman
    run -0 b unmount m1
    [ "$output" = m1 ]
    grep -q '"Status":"mount"' "$BATS_TEST_TMPDIR/scratch/events/events.log"
    grep -q '"Status":"unmount"' "$BATS_TEST_TMPDIR/scratch/events/events.log"
}

@test "mount counts of 0 and 1 (every run's) keep no file in the run root" {
    b create --name m5 --network none $IMG sleep 100 >/dev/null
    # (the dir itself is made only for a count of 2)
    rr=$BATS_TEST_TMPDIR/runroot/containers
    run -0 b mount m5
    mp=$output
    [ -z "$(ls -A "$rr" 2>/dev/null)" ]
    # a second mount is counted in a file, dropped again at one
    run -0 b mount m5
    [ -n "$(ls -A "$rr")" ]
    run -0 b umount m5
    mounted "$mp"
    [ -z "$(ls -A "$rr" 2>/dev/null)" ]
    run -0 b umount m5
    ! mounted "$mp" || false
    # a running container's own mount: no file either
    run -0 b start m5
    run -0 b mount
    [[ $output == *"$mp"* ]]
    [ -z "$(ls -A "$rr" 2>/dev/null)" ]
    run -0 b stop -t 0 m5
    ! mounted "$mp" || false
    [ -z "$(ls -A "$rr" 2>/dev/null)" ]
}

@test "a mount with no count (a kill before its count) reads as one mount" {
    mounted_n m7 2
    # the count lost (what a kill between a first mount and its count's
    # write left, in older berths): the mount there reads as one
    rm -f "$BATS_TEST_TMPDIR/runroot/containers/$id.mounts"
    run -0 b mount
    [ "$output" = "${id:0:12}  $mp" ]
    run -0 b umount m7
    ! mounted "$mp" || false
}

@test "a count kept where an older berth put it (<id>/mounts) still counts" {
    mounted_n m6 3
    rr=$BATS_TEST_TMPDIR/runroot/containers
    mkdir "$rr/$id"
    mv "$rr/$id.mounts" "$rr/$id/mounts"
    run -0 b umount m6
    mounted "$mp"
    [ ! -e "$rr/$id" ]
    [ "$(cat "$rr/$id.mounts")" = 2 ]
    run -0 b umount m6
    mounted "$mp"
    run -0 b umount m6
    ! mounted "$mp" || false
    run -0 ls -A "$rr"
    [ "$output" = "" ]
}

@test "--force drops every mount; a file written there is in the container" {
    b create --name m2 --network none $IMG cat /from-mount >/dev/null
    run -0 b mount m2
    mp=$output
    b mount m2 >/dev/null
    echo written > "$mp/from-mount"
    run -0 b umount -f m2
    ! mounted "$mp" || false
    run -0 b start -a m2
    [ "$output" = written ]
}

@test "a running container keeps its own mount" {
    b run -d --name m3 --network none $IMG sleep 86400 >/dev/null
    id=$(b inspect --format '{{.Id}}' m3)
    run -0 b mount
    [[ $output == "${id:0:12}  "* ]]
    run -125 --separate-stderr b umount m3
    [ "$stderr" = "Error: cannot unmount storage for container $id as it is running or paused: container state improper" ]
    run -0 b mount m3
    mp=$output
    run -0 b umount -f m3
    mounted "$mp"
    run -0 b exec m3 true
    # --all passes over it
    run -0 b umount -a
    [ "$output" = "" ]
    run -0 b stop -t 0 m3
    ! mounted "$mp" || false
}

@test "mount --all, --latest, unmount --all" {
    b create --name m4 --network none $IMG true >/dev/null
    b create --name m5 --network none $IMG true >/dev/null
    run -0 b mount -a
    [ "${#lines[@]}" = 2 ]
    run -0 b mount -l
    [[ $output == *"/merged" ]]
    run -0 b umount --all
    [ "${#lines[@]}" = 2 ]
    run -0 b umount -l
    run -0 b mount
    [ "$output" = "" ]
}

@test "mount errors: podman's words, exit 125" {
    run -125 --separate-stderr b mount nosuch
    [ "$stderr" = 'Error: no container with name or ID "nosuch" found: no such container' ]
    run -125 --separate-stderr b umount nosuch
    [ "$stderr" = 'Error: no container with name or ID "nosuch" found: no such container' ]
    run -125 --separate-stderr b umount
    [ "$stderr" = "Error: you must provide at least one name or id" ]
    run -125 --separate-stderr b mount --format '{{.ID}}'
    [ "$stderr" = 'Error: unknown --format argument: "{{.ID}}"' ]
}
