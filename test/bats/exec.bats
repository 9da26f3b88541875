# test/bats/exec.bats: exec through conmon's exec mode (-i, -t, -d) or,
# plain, berth driving the runtime's exec itself: what the process
# shares with the container, the flags, exit codes, terminals, detached
# sessions and their records and events.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

pty() { python3 "$BATS_TEST_DIRNAME/../tools/ptyrun.py" "$@"; }
evlog() { cat "$BATS_TEST_TMPDIR/scratch/events/events.log"; }
running() { b run -d --name "$1" --network none "${@:2}" $IMG sleep 86400 >/dev/null; }

@test "exec runs a command in the container and returns its output and code" {
    running e1
    run -0 b exec e1 echo hello
    [ "$output" = hello ]
    run -3 b exec e1 sh -c 'echo out; echo err >&2; exit 3'
    [[ $output == *out* && $output == *err* ]]
    run -0 --separate-stderr b exec e1 sh -c 'echo err >&2'
    [ -z "$output" ] && [ "$stderr" = err ] || false
    run -137 b exec e1 sh -c 'kill -9 $$'
    # container exec is the same command
    run -0 b container exec e1 true
}

@test "the process joins the container's namespaces, cgroup, user and seccomp" {
    running e2 --hostname box --user 1:1
    run -0 b exec e2 hostname
    [ "$output" = box ]
    # the same PID namespace: its PID 1 is the container's sleep
    run -0 b exec e2 cat /proc/1/cmdline
    [[ $output == sleep* ]]
    pid=$(b inspect --format '{{.State.Pid}}' e2)
    run -0 b exec e2 cat /proc/self/cgroup
    [ "$output" = "$(sed 's/^0::.*//' /proc/$pid/cgroup)" ] || [ "$output" = "$(cat /proc/$pid/cgroup)" ]
    [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ]
    run -0 b exec e2 id -u
    [ "$output" = 1 ]
    run -0 b exec e2 grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status
    [[ $output == *"Seccomp:"*2* ]]
    # the container's capabilities: the same CapBnd as its PID 1
    [ "$(b exec e2 grep CapBnd /proc/self/status)" = "$(grep CapBnd /proc/$pid/status)" ]
}

@test "environment, working directory and user come from the container unless given" {
    b run -d --name e3 --network none -e FROM_RUN=1 -w /tmp $IMG sleep 86400 >/dev/null
    run -0 b exec e3 sh -c 'echo $FROM_RUN $PWD $HOME'
    [ "$output" = "1 /tmp /root" ]
    printf 'FILE_VAR=f\nBOTH=file\n' > "$BATS_TEST_TMPDIR/env"
    run -0 b exec -e FROM_RUN=2 -e BOTH=flag --env-file "$BATS_TEST_TMPDIR/env" -w /etc e3 \
        sh -c 'echo $FROM_RUN $FILE_VAR $BOTH $PWD'
    [ "$output" = "2 f flag /etc" ]
    # "-e NAME" alone takes berth's own value
    HOST_ONLY=here run -0 b exec -e HOST_ONLY e3 sh -c 'echo $HOST_ONLY'
    [ "$output" = here ]
    run -0 b exec -u nobody e3 id
    [ "$output" = "uid=65534(nobody) gid=65534(nogroup)" ]
    run -0 b exec -u 1234:55 e3 id
    [ "$output" = "uid=1234 gid=55" ]
    run -255 --separate-stderr b exec -u nosuchuser e3 true
    [[ $stderr == *"unable to find user nosuchuser: no matching entries in passwd file"* ]]
}

@test "--privileged gives the process all capabilities, only to it" {
    running e4
    base=$(b exec e4 grep CapEff /proc/self/status)
    priv=$(b exec --privileged e4 grep CapEff /proc/self/status)
    [ "$base" != "$priv" ]
    [ "$priv" = "$(grep CapBnd /proc/self/status | sed 's/CapBnd/CapEff/')" ]
    # a user other than root named with -u keeps no effective capabilities
    run -0 b exec -u 1000 e4 grep CapEff /proc/self/status
    [[ $output == *0000000000000000 ]]
}

@test "exit codes: 126 cannot invoke, 127 not found, 255 not running, 125 no such container" {
    running e5
    run -127 --separate-stderr b exec e5 /nonexistent
    [[ $stderr == *"OCI runtime attempted to invoke a command that was not found"* ]]
    run -126 --separate-stderr b exec e5 /etc/passwd
    [[ $stderr == *"OCI permission denied"* ]]
    run -255 --separate-stderr b exec -w relative e5 pwd
    [[ $stderr == "Error: OCI runtime error: "* ]]
    run -125 --separate-stderr b exec nosuch true
    [[ $stderr == *'no container with name or ID "nosuch" found: no such container'* ]]
    run -255 --separate-stderr b exec e5
    [[ $stderr == *"must provide a non-empty command to start an exec session"* ]]
    run -125 --separate-stderr b exec
    [[ $stderr == *"exec requires the name or ID of a container or the --latest flag"* ]]
    run -0 b create --name idle --network none $IMG true
    run -255 --separate-stderr b exec idle true
    [ "$stderr" = "Error: can only create exec sessions on running containers: container state improper" ]
    run -125 --separate-stderr b exec --detach-keys ctrl-zz e5 true
    run -125 --separate-stderr b exec --preserve-fds 60 e5 true
    [[ $stderr == *"file descriptor "*" is not available - the preserve-fds option requires that file descriptors must be passed"* ]]
    # nothing was left behind by the failures
    run -0 b inspect --format '{{len .ExecIDs}}' e5
    [ "$output" = 0 ]
    id=$(b inspect --format '{{.Id}}' e5)
    retry_until 5 sh -c "[ \$(ls '$BATS_TEST_TMPDIR/root/libpod/userdata/$id' | grep -c '^[0-9a-f]\{64\}\$') = 0 ]"
}

@test "-i passes stdin; without it the process reads nothing" {
    running e6
    run -0 bash -c "echo piped | '$BERTH_BIN' ${BERTH_ARGS[*]} exec -i e6 cat"
    [ "$output" = piped ]
    run -0 bash -c "echo piped | '$BERTH_BIN' ${BERTH_ARGS[*]} exec e6 cat"
    [ -z "$output" ]
}

@test "--preserve-fds passes our fds on" {
    running e7
    echo through-fd3 > "$BATS_TEST_TMPDIR/fd3"
    run -0 bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} exec --preserve-fds 1 e7 cat /proc/self/fd/3 3<'$BATS_TEST_TMPDIR/fd3'"
    [ "$output" = through-fd3 ]
}

@test "-it gives a terminal of the caller's size; typed input and the exit code pass" {
    running e8
    run -0 pty --rows 31 --cols 97 -- "$BERTH_BIN" "${BERTH_ARGS[@]}" exec -it e8 sh -c 'tty; stty size'
    [[ $output == *"/dev/pts/"* ]]
    [[ $output == *"31 97"* ]]
    run -5 pty --wait-for '#' --send 'exit 5\r' -- "$BERTH_BIN" "${BERTH_ARGS[@]}" exec -it e8 sh
    # -t without -i: a terminal, no input
    run -0 b exec -t e8 sh -c 'test -t 1 && echo tty'
    [ "${output%$'\r'}" = tty ]
}

@test "detach keys leave an -it session running; it is reaped when it ends" {
    running e9
    run -0 pty --wait-for '#' --send 'echo before\r' --send '\x10\x11' -- \
        "$BERTH_BIN" "${BERTH_ARGS[@]}" exec -it e9 sh
    [[ $output == *before* ]]
    run -0 b inspect --format '{{len .ExecIDs}}' e9
    [ "$output" = 1 ]
    # the session's shell is still there, a child of its conmon
    run -0 b exec e9 sh -c 'ps | grep -c "[s]h$"'
}

@test "exec -d prints the session, records it, and it is reaped when it ends" {
    running e10
    run -0 b exec -d e10 sh -c 'sleep 1; exit 4'
    sid=$output
    [[ $sid =~ ^[0-9a-f]{64}$ ]]
    run -0 b inspect --format '{{json .ExecIDs}}' e10
    [ "$output" = "[\"$sid\"]" ]
    retry_until 10 sh -c "[ \"\$('$BERTH_BIN' ${BERTH_ARGS[*]} inspect --format '{{len .ExecIDs}}' e10)\" = 0 ]"
    # exec, then exec_died with the code and (unlike podman 4.3.1) the session
    evlog | grep '"Status":"exec_died"' | grep -q "\"ContainerExitCode\":4,.*\"execID\":\"$sid\""
    run -0 b exec -d -l true
    [[ $output =~ ^[0-9a-f]{64}$ ]]
}

@test "events: exec then exec_died with the session id" {
    running e11 --label team=a
    run -0 b exec e11 sh -c 'exit 2' || true
    evlog | grep -c '"Status":"exec"' | grep -qx 1
    line=$(evlog | grep '"Status":"exec_died"')
    [[ $line == *'"ContainerExitCode":2'* ]]
    [[ $line == *'"team":"a"'* && $line == *'"execID":"'* ]]
}

@test "stopping the container ends and reaps its exec sessions" {
    running e12
    run -0 b exec -d e12 sleep 86400
    run -0 b stop -t 0 e12
    retry_until 10 sh -c "[ \"\$('$BERTH_BIN' ${BERTH_ARGS[*]} inspect --format '{{len .ExecIDs}}' e12)\" = 0 ]"
    id=$(b inspect --format '{{.Id}}' e12)
    retry_until 10 sh -c "! ls '$BATS_TEST_TMPDIR/root/libpod/userdata/$id' | grep -q '^[0-9a-f]\{64\}\$'"
    # started again, exec works as before
    run -0 b start e12
    run -0 b exec e12 echo again
    [ "$output" = again ]
}
@test "a plain exec runs without conmon: berth waits for it and reaps it at once" {
    running e14
    id=$(b inspect --format '{{.Id}}' e14)
    "$BERTH_BIN" "${BERTH_ARGS[@]}" exec e14 sh -c 'exec sleep 86397' >/dev/null 2>&1 &
    bpid=$!
    retry_until 10 sh -c "[ \"\$('$BERTH_BIN' ${BERTH_ARGS[*]} inspect --format '{{len .ExecIDs}}' e14)\" = 1 ]"
    sid=$(b inspect --format '{{range .ExecIDs}}{{.}}{{end}}' e14)
    # the process is berth's child (berth is the subreaper), no conmon runs for it
    pid=$(pgrep -P $bpid -x sleep)
    [ -n "$pid" ]
    grep -q 86397 /proc/$pid/cmdline
    ! pgrep -f "conmon.*$sid" || false
    kill $pid
    rc=0
    wait $bpid || rc=$?
    [ $rc = 143 ]
    # reaped by the exec itself: record, directory, exec_died
    run -0 b inspect --format '{{len .ExecIDs}}' e14
    [ "$output" = 0 ]
    [ ! -e "$BATS_TEST_TMPDIR/root/libpod/userdata/$id/$sid" ]
    evlog | grep '"Status":"exec_died"' | grep -q "\"ContainerExitCode\":143,.*\"execID\":\"$sid\""
    run -0 b exec e14 true
    [ ! -e "$BATS_TEST_TMPDIR/root/libpod/userdata/$id/$sid" ]
    run -0 bash -c "ls '$BATS_TEST_TMPDIR/root/libpod/userdata/$id' | grep -c '^[0-9a-f]\{64\}\$' || true"
    [ "$output" = 0 ]
}

@test "a plain exec's output comes on pipes; the runtime's own words are not shown" {
    running e15
    # stdout a terminal: the process still sees a pipe, as through conmon
    run -0 script -qec "$(printf '%q ' "$BERTH_BIN" "${BERTH_ARGS[@]}") exec e15 sh -c '[ -t 1 ] && echo tty || echo pipe'" /dev/null
    [[ $output == pipe* ]]
    # a failed start: podman's one line, with and without conmon (-i)
    run -127 --separate-stderr b exec e15 /nonexistent
    [ ${#stderr_lines[@]} -eq 1 ]
    [[ $stderr == "Error: "*"OCI runtime attempted to invoke a command that was not found" ]]
    direct=$stderr
    run -127 --separate-stderr b exec -i e15 /nonexistent </dev/null
    [ "$stderr" = "$direct" ]
    # much output, in order, through to the end
    run -0 bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} exec e15 seq 1 200000 | tail -n 2"
    [ "$output" = $'199999\n200000' ]
    run -0 --separate-stderr b exec e15 sh -c 'seq 1 3; seq 4 6 >&2'
    [ "$output" = $'1\n2\n3' ]
    [ "$stderr" = $'4\n5\n6' ]
}

@test "exec into a paused container is refused with podman's message" {
    running e13
    run -0 b pause e13
    run -255 --separate-stderr b exec e13 true
    [ "$stderr" = "Error: can only create exec sessions on running containers: container state improper" ]
    run -0 b unpause e13
    run -0 b exec e13 true
}
