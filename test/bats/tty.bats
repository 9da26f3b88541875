# test/bats/tty.bats: -it through a real pseudo-terminal (test/tools/ptyrun.py):
# the container's tty, window size, typed input, detach keys and attach.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

pty() { python3 "$BATS_TEST_DIRNAME/../tools/ptyrun.py" "$@"; }

@test "-it gives the container a terminal of the caller's size" {
    run -0 pty --rows 33 --cols 101 -- "$BERTH_BIN" "${BERTH_ARGS[@]}" run -it --rm --network none $IMG \
        sh -c 'tty; stty -a | head -1'
    [[ $output == *"/dev/pts/"* ]]
    [[ $output == *"rows 33; columns 101"* ]]
}

@test "what is typed reaches the container; its exit code comes back" {
    run -4 pty --wait-for '#' --send 'exit 4\r' -- "$BERTH_BIN" "${BERTH_ARGS[@]}" run -it --rm --network none $IMG sh
}

@test "ctrl-p,ctrl-q detaches and leaves the container running; attach reconnects" {
    run -0 pty --wait-for '#' --send 'echo before-detach\r' --send '\x10\x11' -- \
        "$BERTH_BIN" "${BERTH_ARGS[@]}" run -it --name det --network none $IMG sh
    [[ $output == *before-detach* ]]
    id=$(b container inspect --format '{{.Id}}' det 2>/dev/null || jq -r .id "$BATS_TEST_TMPDIR"/root/libpod/containers/*/config.json)
    [ "$(jq .state "$BATS_TEST_TMPDIR/root/libpod/containers/$id/state.json")" = 3 ]
    run -0 pty --send '\r' --wait-for '#' --send 'exit 0\r' -- "$BERTH_BIN" "${BERTH_ARGS[@]}" attach det
    run -0 b wait det
    [ "$output" = 0 ]
}

@test "--detach-keys chooses another sequence" {
    run -0 pty --wait-for '#' --send '\x01\x02' -- \
        "$BERTH_BIN" "${BERTH_ARGS[@]}" run -it --detach-keys ctrl-a,ctrl-b --name dk --network none $IMG sh
    run -0 b stop -t 0 dk
}

@test "attach refuses a container that is not running" {
    run -0 b create --name idle --network none $IMG true
    run -125 --separate-stderr b attach idle
    [[ $stderr == *"you can only attach to running containers"* ]]
}
