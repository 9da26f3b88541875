# test/bats/runpath.bats: what `run --rm` leaves to others once it has
# returned (the handed-off runtime delete, the removed storage) and what
# it does on its way (issue 11).
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() {
    # rec_holder's process and its child, when a test failed before it
    # released them
    [ -z "${HOLDER:-}" ] || { pkill -P "$HOLDER"; kill "$HOLDER"; } 2>/dev/null || true
    berth_teardown
}

@test "jansson is seeded before the first JSON object: no /dev/urandom" {
    command -v strace >/dev/null || skip "no strace"
    # create and run build JSON while parsing their options, before the
    # runtime opens: a seed made after that is ignored
    for cmd in "create --network none $IMG true" "ps -a" "inspect --type image $IMG"; do
        run -0 strace -f -e trace=openat,open -o "$BATS_TEST_TMPDIR/st" "$BERTH_BIN" "${BERTH_ARGS[@]}" $cmd
        ! grep /dev/urandom "$BATS_TEST_TMPDIR/st"
    done
}
