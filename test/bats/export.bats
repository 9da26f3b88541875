# test/bats/export.bats: export of running and stopped containers, -o,
# stdout, the terminal refusal, errors, and an import round trip.
load helpers
load ctr_helpers

setup()    { ctr_setup; H=$BATS_TEST_TMPDIR/h; mkdir -p "$H"; }
teardown() { berth_teardown; }

@test "export of a running container: its changes, no volumes, symlinks and owners kept" {
    mkdir "$H/vol"; echo in-volume > "$H/vol/v"
    b run -d --name x1 --network none -v "$H/vol:/mnt/vol" $IMG sleep 86400 >/dev/null
    b exec x1 sh -c 'mkdir -p /data/sub && echo hello > /data/sub/f && ln -s /etc/passwd /data/link &&
        chown 12:34 /data/sub/f && rm /bin/ls'
    # owners are numbers and, as podman's (Go's archive/tar), the host's
    # names of those ids where it has them
    local un gn
    un=$(getent passwd 12 | cut -d: -f1); gn=$(getent group 34 | cut -d: -f1)
    run -0 bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} export x1 > '$H/x1.tar'"
    run -0 tar tvf "$H/x1.tar"
    [[ $output == *" ${un:-12}/${gn:-34} "*"data/sub/f"* ]]
    [[ $output == *" root/root "*"bin/busybox"* ]]
    run -0 tar --numeric-owner -tvf "$H/x1.tar"
    [[ $output == *" 12/34 "*"data/sub/f"* ]]
    [[ $output == *"data/link -> /etc/passwd"* ]]
    run -0 tar tf "$H/x1.tar"
    [[ $output == *$'\nbin/busybox\n'* ]]
    [[ $output != *"bin/ls"$'\n'* ]]
    [[ $output != *mnt/vol/v* ]]
    [[ $output != ./* ]]
    mkdir "$H/out" && tar -C "$H/out" -xf "$H/x1.tar"
    [ "$(cat "$H/out/data/sub/f")" = hello ]
    # the same with -o, and container export
    run -0 b container export -o "$H/x1-o.tar" x1
    [ "$(tar tf "$H/x1-o.tar")" = "$(tar tf "$H/x1.tar")" ]
}

@test "export of a stopped container mounts its root and unmounts it after" {
    b run --name x2 --network none $IMG sh -c 'echo made > /made' >/dev/null
    run -0 b export -o "$H/x2.tar" x2
    run -0 tar -xOf "$H/x2.tar" made
    [ "$output" = made ]
    ! grep -q "$BATS_TEST_TMPDIR/root" /proc/self/mounts || false
    run -0 grep -c '"Status":"mount"' "$BATS_TEST_TMPDIR/scratch/events/events.log"
}

@test "an exported container imports as an image with its files" {
    b run --name x3 --network none $IMG sh -c 'echo round > /trip' >/dev/null
    run -0 b export -o "$H/x3.tar" x3
    run -0 b import -q "$H/x3.tar" localhost/exported:1
    run -0 b run --rm --network none localhost/exported:1 cat /trip
    [ "$output" = round ]
}

@test "export errors: podman's words, exit 125" {
    run -125 --separate-stderr b export nosuch
    [ "$stderr" = 'Error: no container with name or ID "nosuch" found: no such container' ]
    run -125 --separate-stderr b export
    [ "$stderr" = "Error: accepts 1 arg(s), received 0" ]
    b create --name x4 --network none $IMG true >/dev/null
    run -125 --separate-stderr b export -o "$H/nodir/x.tar" x4
    [ "$stderr" = "Error: creating file \"$H/nodir/x.tar\": open $H/nodir/x.tar: no such file or directory" ]
    run -125 --separate-stderr python3 "$BATS_TEST_DIRNAME/../tools/ptyrun.py" -- "$BERTH_BIN" "${BERTH_ARGS[@]}" export x4
    [[ $output == *"Error: refusing to export to terminal. Use -o flag or redirect"* ]]
}
