# test/bats/journal_helpers.bash: a private systemd-journald for the test.
#
#   load journal_helpers             (after `load helpers`)
#   journal_start                    skips when systemd-journald is missing
#   jb ARGS...                       berth inside the journal's mount namespace
#   journal_kill                     stops journald only (its journal is gone)
#   journal_stop                     in teardown (also removes its containers)
#
# journald runs in a mount namespace of its own (unshare -m, everything
# made private) with tmpfs on /run/systemd (its sockets), /var/log/journal
# (its files) and /run/log: no host file changes, and the journal goes
# away with the namespace when journald and the test's containers are
# gone. /run/systemd/journal/flushed is created first so that journald
# writes straight to /var/log/journal; a drop-in under /run/systemd (the
# tmpfs) keeps the host's kernel messages out of it. Only commands run through jb (and
# conmon and the cleanup processes they start) see this journal.

JOURNALD_BIN=${JOURNALD_BIN:-/lib/systemd/systemd-journald}

journal_start() {
    [ -x "$JOURNALD_BIN" ] ||
        skip "systemd-journald is missing ($JOURNALD_BIN; Debian's systemd package has it)"
    local log=$BATS_TEST_TMPDIR/journald.log
    # unshare and sh exec into journald: $! is journald's pid
    unshare --mount --propagation private sh -c '
        set -e
        mount -t tmpfs -o mode=0755,size=32m tmpfs /run/systemd
        mkdir /run/systemd/journal /run/systemd/journald.conf.d
        touch /run/systemd/journal/flushed
        printf "[Journal]\nStorage=persistent\nReadKMsg=no\n" \
            >/run/systemd/journald.conf.d/berth-test.conf
        mount -t tmpfs -o mode=0755,size=32m tmpfs /var/log/journal
        if [ -d /run/log ]; then mount -t tmpfs -o mode=0755,size=8m tmpfs /run/log; fi
        exec "$0"' "$JOURNALD_BIN" </dev/null >"$log" 2>&1 &
    JOURNAL_PID=$!
    retry_until 10 nsenter -t "$JOURNAL_PID" -m test -S /run/systemd/journal/socket ||
        { echo "# journald did not start:" >&2; cat "$log" >&2; return 1; }
}

jb() { nsenter -t "$JOURNAL_PID" -m -- "$BERTH_BIN" "${BERTH_ARGS[@]}" "$@"; }

# journalctl on the private journal's files.
jctl() { nsenter -t "$JOURNAL_PID" -m -- journalctl -D /var/log/journal --no-pager "$@"; }

journal_kill() {
    [ -n "${JOURNAL_PID:-}" ] || return 0
    kill "$JOURNAL_PID" 2>/dev/null || true
    wait "$JOURNAL_PID" 2>/dev/null || true
    JOURNAL_PID=
}

journal_stop() {
    [ -n "${JOURNAL_PID:-}" ] || return 0
    if kill -0 "$JOURNAL_PID" 2>/dev/null; then
        jb rm --all --force --time 0 >/dev/null 2>&1 || true
        kill "$JOURNAL_PID" 2>/dev/null || true
        wait "$JOURNAL_PID" 2>/dev/null || true
    fi
    JOURNAL_PID=
}
