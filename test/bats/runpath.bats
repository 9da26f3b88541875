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
        # (LeakSanitizer cannot run under ptrace: an ASan build's leak
        # check is off here)
        ASAN_OPTIONS=detect_leaks=0 run -0 strace -f -e trace=openat,open -o "$BATS_TEST_TMPDIR/st" \
            "$BERTH_BIN" "${BERTH_ARGS[@]}" $cmd
        ! grep /dev/urandom "$BATS_TEST_TMPDIR/st" || false
    done
}

@test "run maps no locale files unless a hook's regex needs them" {
    command -v strace >/dev/null || skip "no strace"
    # (LC_ALL: a locale that has files, whatever CI's environment says)
    LC_ALL=C.UTF-8 ASAN_OPTIONS=detect_leaks=0 run -0 strace -f -e trace=openat,open \
        -o "$BATS_TEST_TMPDIR/st" "$BERTH_BIN" "${BERTH_ARGS[@]}" run --rm --network none $IMG true
    # berth's own process only (conmon and its exit command load theirs)
    local main
    main=$(head -1 "$BATS_TEST_TMPDIR/st" | cut -d' ' -f1)
    ! grep -E "^$main .*(locale-archive|/usr/lib/locale/)" "$BATS_TEST_TMPDIR/st" || false
    # a hook whose "when" holds a regex: the locale is loaded to compile it
    mkdir -p "$BATS_TEST_TMPDIR/hooks"
    printf '{"version":"1.0.0","hook":{"path":"/bin/true"},"when":{"commands":["^/bin/tr"]},"stages":["prestart"]}\n' \
        > "$BATS_TEST_TMPDIR/hooks/h.json"
    LC_ALL=C.UTF-8 ASAN_OPTIONS=detect_leaks=0 run -0 strace -f -e trace=openat,open \
        -o "$BATS_TEST_TMPDIR/st2" "$BERTH_BIN" "${BERTH_ARGS[@]}" --hooks-dir "$BATS_TEST_TMPDIR/hooks" \
        run --rm --network none $IMG true
    main=$(head -1 "$BATS_TEST_TMPDIR/st2" | cut -d' ' -f1)
    grep -qE "^$main .*(locale-archive|/usr/lib/locale/)" "$BATS_TEST_TMPDIR/st2"
}

@test "system check right after run --rm finds nothing (the handed-off delete is settled)" {
    for i in 1 2 3 4 5; do
        run -0 b run --rm --network none $IMG true
        run -0 b system check
        [ "$output" = "" ] || [[ $output == *"No problems found"* ]] || { echo "$output"; false; }
    done
}

# rec_holder NAME: a process that holds the lock of record NAME (as a
# handed-off delete's child does) until $BATS_TEST_TMPDIR/go is written
rec_holder() {
    mkfifo "$BATS_TEST_TMPDIR/go"
    flock -x "$BATS_TEST_TMPDIR/scratch/rtdelete/$1" timeout 60 sh -c "read x < '$BATS_TEST_TMPDIR/go'" &
    HOLDER=$!
    retry_until 10 bash -c "flock -n '$BATS_TEST_TMPDIR/scratch/rtdelete/$1' true; [ \$? = 1 ]"
}

@test "a locked runtime delete record: left to its child by every command, waited for by system check" {
    mkdir -p "$BATS_TEST_TMPDIR/scratch/rtdelete"
    printf '/bin/sh\0-c\0touch %s\0\0' "$BATS_TEST_TMPDIR/ran" > "$BATS_TEST_TMPDIR/scratch/rtdelete/x"
    rec_holder x
    # the child is at work: not run again, not dropped
    run -0 b ps -a
    [ ! -e "$BATS_TEST_TMPDIR/ran" ] && [ -e "$BATS_TEST_TMPDIR/scratch/rtdelete/x" ] || false
    # system check waits for it; the child dies with its record still
    # there: the check runs the delete itself, then finds nothing
    "$BERTH_BIN" "${BERTH_ARGS[@]}" system check > "$BATS_TEST_TMPDIR/check.out" 2>&1 &
    local check=$!
    # blocked in flock(2) (73 on x86_64) on the record
    retry_until 10 bash -c "[ \"\$(cut -d' ' -f1 /proc/$check/syscall)\" = 73 ]"
    [ ! -e "$BATS_TEST_TMPDIR/ran" ]
    echo go > "$BATS_TEST_TMPDIR/go"
    wait "$HOLDER"
    HOLDER=
    wait "$check"
    [ "$(cat "$BATS_TEST_TMPDIR/check.out")" = "No problems found" ]
    [ -e "$BATS_TEST_TMPDIR/ran" ]
    [ -z "$(ls -A "$BATS_TEST_TMPDIR/scratch/rtdelete")" ]
}

@test "run --rm: the root file system goes in a detached child; a killed one leaves garbage the next writer removes" {
    run -0 b run --rm --cidfile "$BATS_TEST_TMPDIR/cid" --network none $IMG true
    id=$(cat "$BATS_TEST_TMPDIR/cid")
    # gone from the store at once (its bundle too), its staging copy soon
    [ ! -e "$BATS_TEST_TMPDIR/root/containers/$id" ]
    [ ! -e "$BATS_TEST_TMPDIR/root/libpod/userdata/$id" ]
    retry_until 10 bash -c "[ -z \"\$(ls '$BATS_TEST_TMPDIR/root/tmp')\" ]"
    # the child killed before it removed anything: an unlocked leftover,
    # which the next writer (conmon's exit command may be that one) removes
    BERTH_TEST_CRASH_AT=rm:rmtree run -0 b run --rm --cidfile "$BATS_TEST_TMPDIR/cid2" --network none $IMG true
    id=$(cat "$BATS_TEST_TMPDIR/cid2")
    [ ! -e "$BATS_TEST_TMPDIR/root/containers/$id" ]
    run -0 b create --network none $IMG true
    retry_until 10 bash -c "[ -z \"\$(ls '$BATS_TEST_TMPDIR/root/tmp')\" ]"
    # a leftover as a killed child leaves it: no problem for system
    # check, nothing of a container's in df
    mkdir -p "$BATS_TEST_TMPDIR/root/tmp/del-left/diff/etc" "$BATS_TEST_TMPDIR/root/tmp/del-left/bundle"
    echo x > "$BATS_TEST_TMPDIR/root/tmp/del-left/bundle/config.json"
    run -0 b system check
    [ "$output" = "No problems found" ]
    run -0 b system df --format '{{.Type}} {{.Total}}'
    [[ $output == *"Containers 1"* ]]
    # one held by a live process (a remover still at work) stays
    mkdir -p "$BATS_TEST_TMPDIR/root/tmp/del-held/a"
    mkfifo "$BATS_TEST_TMPDIR/go"
    flock -x "$BATS_TEST_TMPDIR/root/tmp/del-held" timeout 60 sh -c "read x < '$BATS_TEST_TMPDIR/go'" &
    HOLDER=$!
    retry_until 10 bash -c "flock -n '$BATS_TEST_TMPDIR/root/tmp/del-held' true; [ \$? = 1 ]"
    # the next writer of the store removes the garbage
    run -0 b create --network none $IMG true
    [ ! -e "$BATS_TEST_TMPDIR/root/tmp/del-left" ]
    [ -d "$BATS_TEST_TMPDIR/root/tmp/del-held/a" ]
    echo go > "$BATS_TEST_TMPDIR/go"
    wait "$HOLDER"
    HOLDER=
}

@test "run --rm: the root file system dir itself is the staging dir; killed once it moved, rm -f finishes" {
    # a conmon without its exit command: nothing but this test's commands
    # touches the store after the kill
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    cat > "$BATS_TEST_TMPDIR/bin/conmon" <<'EOF'
#!/bin/bash
a=()
while [ $# -gt 0 ]; do
    case $1 in
    --exit-command|--exit-command-arg) shift 2 ;;
    *) a+=("$1"); shift ;;
    esac
done
exec /usr/bin/conmon "${a[@]}"
EOF
    chmod 755 "$BATS_TEST_TMPDIR/bin/conmon"
    printf '[engine]\nconmon_path = ["%s"]\n' "$BATS_TEST_TMPDIR/bin/conmon" >> "$TEST_CONF"
    BERTH_TEST_CRASH_AT=rm:aside run -137 b run --rm --name aside --cidfile "$BATS_TEST_TMPDIR/cid" --network none $IMG true
    id=$(cat "$BATS_TEST_TMPDIR/cid")
    [ ! -e "$BATS_TEST_TMPDIR/root/containers/$id" ]
    # one staging dir: the rootfs dir renamed, no dir made to hold it
    run -0 ls "$BATS_TEST_TMPDIR/root/tmp"
    [[ $output == del-* ]] && [ "${#lines[@]}" = 1 ]
    stage=$BATS_TEST_TMPDIR/root/tmp/$output
    [ -f "$stage/rootfs.json" ] && [ -d "$stage/diff" ]
    run -0 b ps -a --format '{{.Names}} {{.Status}}'
    [ "$output" = "aside Removing" ]
    run -0 b rm -f aside
    run -1 b container exists aside
    [ ! -e "$stage" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/tmp")" ]
    [ ! -e "$BATS_TEST_TMPDIR/root/libpod/userdata/$id" ]
}

@test "run --rm whose runtime delete is not handed off: the same kind of child removes the root file system" {
    # no records dir can be made: the delete runs in run itself (run,
    # not conmon's exit command, removes the container)
    hold_exit_commands
    : > "$BATS_TEST_TMPDIR/scratch/rtdelete"
    out=$(b --log-level debug run --rm --cidfile "$BATS_TEST_TMPDIR/cid" --network none $IMG echo hi 2>"$BATS_TEST_TMPDIR/err")
    [ "$out" = hi ]
    grep -q "runtime delete not handed off" "$BATS_TEST_TMPDIR/err"
    id=$(cat "$BATS_TEST_TMPDIR/cid")
    [ ! -e "$BATS_TEST_TMPDIR/root/containers/$id" ]
    ! runc state "$id" >/dev/null 2>&1 || false
    ! crun state "$id" >/dev/null 2>&1 || false
    retry_until 10 bash -c "[ -z \"\$(ls '$BATS_TEST_TMPDIR/root/tmp')\" ]"
    # killed before it removed anything: a leftover the next writer removes
    BERTH_TEST_CRASH_AT=rm:rmtree run -0 b run --rm --network none $IMG true
    run -0 b create --network none $IMG true
    retry_until 10 bash -c "[ -z \"\$(ls '$BATS_TEST_TMPDIR/root/tmp')\" ]"
    exit_commands_done
    rm "$BATS_TEST_TMPDIR/scratch/rtdelete"
}

@test "run --rm: the handed-off runtime delete starts only once run has removed the container" {
    # a runc that notes, for a delete by run's hand-off child (a fork of
    # the run process: its parent's command line), whether the
    # container's record was still there when the delete began
    T=$BATS_TEST_TMPDIR
    mkdir -p "$T/bin"
    cat > "$T/bin/runc" <<EOF2
#!/bin/sh
for a; do id=\$a; done
case " \$* " in *" delete "*)
    case "\$(tr '\0' ' ' < /proc/\$PPID/cmdline)" in *" run --rm "*)
        [ -e "$T/root/libpod/containers/\$id" ] && echo "\$id" >> "$T/early"
        echo "\$id" >> "$T/handed";;
    esac;;
esac
exec /usr/bin/runc "\$@"
EOF2
    chmod 755 "$T/bin/runc"
    # run, not conmon's exit command, removes the container
    hold_exit_commands
    for i in 1 2 3; do
        run -0 b --runtime "$T/bin/runc" run --rm --network none $IMG echo ran
        [ "$output" = ran ]
    done
    # system check waits for handed-off deletes
    run -0 b system check
    [ "$(wc -l < "$T/handed")" = 3 ]
    [ ! -e "$T/early" ] || { cat "$T/early"; false; }
    exit_commands_done
}

@test "the dirs that hold one dir per container are spread (ext4's +T) and run --rm writes state.json at most 4 times" {
    local d=$BATS_TEST_TMPDIR dir n
    run -0 b run --rm --network none $IMG true
    if [ "$(stat -f -c %T "$d")" = ext2/ext3 ] && command -v lsattr >/dev/null; then
        for dir in root/libpod/containers root/libpod/userdata root/containers root/tmp \
                   scratch/containers; do
            run -0 lsattr -d "$d/$dir"
            [[ ${output%% *} == *T* ]] || { echo "# $dir: $output"; false; }
        done
    fi
    command -v strace >/dev/null || skip "no strace"
    # the renames of berth's state.json (not runc's): one per write
    ASAN_OPTIONS=detect_leaks=0 run -0 strace -f -e trace=rename,renameat,renameat2 \
        -o "$d/st" "$BERTH_BIN" "${BERTH_ARGS[@]}" run --rm --network none $IMG true
    n=$(grep -c 'libpod/containers/.*/state\.json"' "$d/st")
    [ "$n" -le 4 ] || { echo "# $n writes of state.json"; grep 'state\.json"' "$d/st"; false; }
}

@test "the cgroup primer runs beside a start (cgprime.h) and is stopped once the runtime placed the container" {
    [ "$(id -u)" = 0 ] && [ -w /sys/fs/cgroup ] || skip "needs root and a writable /sys/fs/cgroup"
    run -0 b --log-level debug run --rm --network none $IMG true
    # it was stopped (the debug line is its stop's, with the writes made
    # so far: its first may still wait for the grace period on a loaded
    # machine), within its cap of 250 ms at one write per 2 ms
    [[ $output =~ "cgroup primer: "([0-9]+)" writes" ]] || { echo "$output"; false; }
    [ "${BASH_REMATCH[1]}" -le 126 ]
    # a second start of the same process's kind starts it again: start
    run -0 b create --network none $IMG true
    run -0 b --log-level debug start "$output"
    [[ $output == *"cgroup primer: "* ]] || { echo "$output"; false; }
    # not for a command that starts nothing
    run -0 b --log-level debug ps -a
    [[ $output != *"cgroup primer"* ]]
}

@test "run --rm: the run dir and the record's files go to the detached child with the root file system" {
    # the exit command held back: run, not conmon's cleanup, removes it;
    # the child killed before it removed anything shows what it was given
    hold_exit_commands
    BERTH_TEST_CRASH_AT=rm:rmtree run -0 b run --rm --name handed --cidfile "$BATS_TEST_TMPDIR/cid" --network none $IMG true
    id=$(cat "$BATS_TEST_TMPDIR/cid")
    run -1 b container exists handed
    # nothing of it left in its usual places
    [ ! -e "$BATS_TEST_TMPDIR/root/libpod/containers/$id" ]
    [ -z "$(ls -A "$BATS_TEST_TMPDIR/root/libpod/containers" | grep -v '^\.' || true)" ]
    [ ! -e "$BATS_TEST_TMPDIR/root/libpod/userdata/$id" ]
    [ ! -e "$BATS_TEST_TMPDIR/runroot/containers/$id" ] && [ ! -e "$BATS_TEST_TMPDIR/scratch/containers/$id" ]
    # one staging dir with all of it (the test's dirs share a file system)
    run -0 ls "$BATS_TEST_TMPDIR/root/tmp"
    [[ $output == del-* ]] && [ "${#lines[@]}" = 1 ]
    stage=$BATS_TEST_TMPDIR/root/tmp/$output
    [ -f "$stage/rootfs.json" ] && [ -d "$stage/bundle" ]
    [ -f "$stage/record/config.json" ]
    [ -d "$stage/run" ]
    # the name is free at once, and the next writer removes the rest
    run -0 b create --name handed --network none $IMG true
    exit_commands_done
    retry_until 10 bash -c "[ -z \"\$(ls '$BATS_TEST_TMPDIR/root/tmp')\" ]"
    run -0 b system check
    [ "$output" = "No problems found" ]
}
