# test/bats/mount.bats: mount / unmount of containers: counted mounts,
# the listing (text, --no-trunc, json), running containers' own mounts,
# --all, --latest, errors.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

mounted() { awk -v d="$1" '$2 == d' /proc/self/mounts | grep -q .; }

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

@test "an unmounted container leaves no mount count behind in the run root" {
    b create --name m5 --network none $IMG true >/dev/null
    run -0 b mount m5
    run -0 b umount m5
    run -0 ls -A "$BATS_TEST_TMPDIR/runroot/containers"
    [ "$output" = "" ]
    # a run mounts and unmounts too
    run -0 b start -a m5
    run -0 ls -A "$BATS_TEST_TMPDIR/runroot/containers"
    [ "$output" = "" ]
}

@test "a count kept where an older berth put it (<id>/mounts) still counts" {
    b create --name m6 --network none $IMG true >/dev/null
    id=$(b inspect --format '{{.Id}}' m6)
    run -0 b mount m6
    mp=$output
    b mount m6 >/dev/null
    rr=$BATS_TEST_TMPDIR/runroot/containers
    mkdir "$rr/$id"
    mv "$rr/$id.mounts" "$rr/$id/mounts"
    run -0 b umount m6
    mounted "$mp"
    [ ! -e "$rr/$id" ]
    [ "$(cat "$rr/$id.mounts")" = 1 ]
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
