# test/bats/sdnotify.bats: --sdnotify with $NOTIFY_SOCKET set, as systemd
# sets it for a Type=notify service: the messages berth sends there, read
# by a datagram socket of the test's own.
load helpers
load ctr_helpers

# notify_send (test/tools/notify_send.c), static: it runs in busybox
setup_file() {
    cc -static -O1 -o "$BATS_FILE_TMPDIR/notify_send" "$BATS_TEST_DIRNAME/../tools/notify_send.c"
}

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

# got_until TEXT: the listener's log once it holds TEXT (60 s at most)
got_until() {
    for _ in $(seq 600); do grep -qF -- "$1" "$SOCK.log" 2>/dev/null && break; sleep 0.1; done
    cat "$SOCK.log"
}

@test "--sdnotify container: the container's READY=1 reaches NOTIFY_SOCKET through conmon" {
    NOTIFY_SOCKET=$SOCK run -0 b run -d --name n3 --network none \
        -v "$BATS_FILE_TMPDIR/notify_send:/usr/local/bin/notify_send:ro" $IMG \
        sh -c 'echo "$NOTIFY_SOCKET $(stat -c %F $NOTIFY_SOCKET)"; notify_send STATUS=starting &&
               notify_send "STATUS=up
READY=1" && echo sent; sleep 86400'
    wait_for_log n3 sent
    run -0 b logs n3
    [ "$output" = "/run/notify/notify.sock socket
sent" ]
    cpid=$(b inspect n3 --format '{{.State.ConmonPid}}')
    run -0 got_until 'READY=1|'
    # conmon relays READY=1 alone, as the OCI runtimes do; STATUS= is dropped
    [ "$(sort <<<"$output")" = "$(printf 'MAINPID=%s\nREADY=1|\n|' "$cpid" | sort)" ]
    # the socket is conmon's, in the bundle, bound at /run/notify
    run -0 b exec n3 sh -c 'grep " /run/notify " /proc/self/mountinfo | wc -l'
    [ "$output" = 1 ]
}

@test "--sdnotify conmon and ignore, or no NOTIFY_SOCKET: the container has no socket" {
    NOTIFY_SOCKET=$SOCK run -0 b run --rm --network none --sdnotify conmon $IMG sh -c 'echo "[$NOTIFY_SOCKET]"; [ ! -e /run/notify ]'
    [ "$output" = "[]" ]
    NOTIFY_SOCKET=$SOCK run -0 b run --rm --network none --sdnotify ignore $IMG sh -c 'echo "[$NOTIFY_SOCKET]"; [ ! -e /run/notify ]'
    [ "$output" = "[]" ]
    run -0 b run --rm --network none $IMG sh -c 'echo "[$NOTIFY_SOCKET]"; [ ! -e /run/notify ]'
    [ "$output" = "[]" ]
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
