# test/bats/sdnotify.bats: --sdnotify with $NOTIFY_SOCKET set, as systemd
# sets it for a Type=notify service: the messages berth sends there, read
# by a datagram socket of the test's own.
load helpers
load ctr_helpers

setup() {
    ctr_setup
    SOCK=$BATS_TEST_TMPDIR/notify.sock
    python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(60)
with open(sys.argv[1] + ".log", "a") as out:
    while True:
        try:
            d = s.recv(4096)
        except Exception:
            break
        out.write(d.decode() + "|\n"); out.flush()
' "$SOCK" &
    LISTENER=$!
    for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.05; done
    [ -S "$SOCK" ]
}
teardown() { kill "$LISTENER" 2>/dev/null || true; berth_teardown; }

# got: what the listener logged (berth has sent it before exiting; the
# listener may take a moment to write it down)
got() {
    for _ in $(seq 20); do [ -s "$SOCK.log" ] && break; sleep 0.1; done
    cat "$SOCK.log" 2>/dev/null || true
}

# notified NAME MODE READY: runs NAME detached in MODE (none: the default)
# and checks the socket got conmon's MAINPID, then READY=1 if READY is set.
notified() {
    local mode=()
    [ "$2" = none ] || mode=(--sdnotify "$2")
    NOTIFY_SOCKET=$SOCK run -0 b run -d --name "$1" --network none "${mode[@]}" $IMG sleep 86400
    cpid=$(b inspect "$1" --format '{{.State.ConmonPid}}')
    run got
    [ "$output" = "$(printf 'MAINPID=%s\n%b|' "$cpid" "${3:+READY=1\n}")" ]
    run -0 b inspect "$1" --format '{{.Config.SdNotifyMode}}'
}

@test "--sdnotify conmon: MAINPID is conmon's and READY=1 once started" {
    notified n1 conmon ready
    [ "$output" = conmon ]
}

@test "--sdnotify container (the default): MAINPID only, READY is the container's" {
    notified n2 none ""
    [ "$output" = container ]
}

@test "--sdnotify ignore and no NOTIFY_SOCKET: nothing is sent" {
    NOTIFY_SOCKET=$SOCK run -0 b run --rm --network none --sdnotify ignore $IMG true
    run -0 b run --rm --network none --sdnotify conmon $IMG true
    run got
    [ -z "$output" ]
}

@test "a bad --sdnotify value gets podman's error" {
    run -125 --separate-stderr b create --sdnotify bogus $IMG true
    [ "$stderr" = 'Error: invalid config provided: invalid argument: invalid sdnotify value "bogus": must be container, conmon or ignore' ]
}

@test "the global --network-cmd-path is taken" {
    run -0 b --network-cmd-path /nonexistent/slirp4netns run --rm --network none $IMG true
}
