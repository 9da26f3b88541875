# test/bats/logs.bats: logs: whole and partial lines, stdout/stderr,
# -t, --tail, --since/--until, -f, several containers, -n, log drivers.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "logs prints stdout and stderr, joining a line written in pieces" {
    b run --name lg --network none $IMG sh -c 'echo one; echo two >&2; printf par; sleep 0.3; echo tial; printf tail' >/dev/null 2>&1
    run -0 --separate-stderr b logs lg
    [ "$output" = $'one\npartial\ntail' ]
    [ "$stderr" = two ]
}

@test "stdout and stderr on one destination keep the log's order; many lines stay whole" {
    b run --name lg --network none $IMG sh -c 'for i in 1 2 3; do echo out$i; sleep 0.05; echo err$i >&2; sleep 0.05; done; seq 5000' >/dev/null 2>&1
    # the order conmon recorded the first six lines in, stream by stream
    want=$(awk 'NR <= 6 { print $4 }' "$(b inspect --format '{{.HostConfig.LogConfig.Path}}' lg)")
    run -0 b logs lg
    [ "$(printf '%s\n' "${lines[@]:0:6}")" = "$want" ]
    [[ $want == *err3* ]]
    [ "${#lines[@]}" -eq 5006 ] && [ "${lines[6]}" = 1 ] && [ "${lines[-1]}" = 5000 ] || false
    [ "$(printf '%s\n' "${lines[@]:6}")" = "$(seq 5000)" ]
}

@test "logs -t, --tail, -n" {
    b run --name lg --network none $IMG sh -c 'for i in 1 2 3 4; do echo l$i; done' >/dev/null
    run -0 b logs --tail 2 lg
    [ "$output" = $'l3\nl4' ]
    run -0 b logs --tail 0 lg
    [ -z "$output" ]
    run -0 b logs -t --tail 1 lg
    [[ $output =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[-+][0-9:]+)\ l4$ ]]
    # podman: -n prefixes only when there are several containers
    run -0 b logs -n --tail 1 lg
    [ "$output" = "l4" ]
    run -0 b logs -n --latest
    [ "$output" = $'l1\nl2\nl3\nl4' ]
}

@test "logs --since and --until" {
    b run --name lg --network none $IMG echo old >/dev/null
    run -0 b logs --since 10m lg
    [ "$output" = old ]
    run -0 b logs --until 2000-01-01T00:00:00Z lg
    [ -z "$output" ]
    run -0 b logs --since "$(($(date +%s) + 3600))" lg
    [ -z "$output" ]
    run -125 --separate-stderr b logs --since bogus lg
    [ "$stderr" = 'Error: parsing --since "bogus": unable to interpret time value' ]
    run -125 --separate-stderr b logs --until "2026-12-07 09:00:00" lg
    [ "$stderr" = 'Error: parsing --until "2026-12-07 09:00:00": unable to interpret time value' ]
}

@test "logs of several containers prefix the short id, or the name with -n" {
    b run --name one --network none $IMG echo a >/dev/null
    b run --name two --network none $IMG echo b >/dev/null
    id1=$(b container inspect --format '{{.Id}}' one)
    run -0 b logs one two
    [ "${lines[0]}" = "${id1:0:12} a" ]
    run -0 b logs -n one two
    [ "$output" = $'one a\ntwo b' ]
}

@test "logs -f follows until the container stops" {
    b run -d --name fl --network none $IMG sh -c 'echo first; sleep 1; echo second' >/dev/null
    run -0 timeout 20 "$BERTH_BIN" "${BERTH_ARGS[@]}" logs -f fl
    [ "$output" = $'first\nsecond' ]
    b run -d --name f2 --network none $IMG sh -c 'sleep 0.5; echo x' >/dev/null
    b run -d --name f3 --network none $IMG sh -c 'sleep 0.2; echo y' >/dev/null
    run -0 timeout 20 "$BERTH_BIN" "${BERTH_ARGS[@]}" logs -f -n f2 f3
    [[ $output == *"f2 x"* && $output == *"f3 y"* ]]
}

@test "logs -l, a created container, and errors" {
    b create --name fresh --network none $IMG true >/dev/null
    run -0 b logs -l
    [ -z "$output" ]
    run -125 --separate-stderr b logs
    [ "$stderr" = "Error: specify at least one container name or ID to log" ]
    run -125 --separate-stderr b logs nosuch
    [ "$stderr" = 'Error: no container with name or ID "nosuch" found: no such container' ]
    b run --name nolog --log-driver none --network none $IMG echo hi >/dev/null
    run -125 --separate-stderr b logs nolog
    [ "$stderr" = "Error: this container is using the 'none' log driver, cannot read logs: this container is not logging output" ]
}
