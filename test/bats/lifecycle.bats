# test/bats/lifecycle.bats: start, stop, kill, wait, rm, restart, rename,
# init, exists, restart policies, concurrency and crashes.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

evlog() { cat "$BATS_TEST_TMPDIR/scratch/events/events.log"; }
count_events() { evlog | grep -c "\"Status\":\"$1\"" || true; }

@test "create, then start prints the name and the container runs" {
    run -0 b create --name c1 --network none $IMG sh -c 'echo started; sleep 100'
    run -0 b start c1
    [ "$output" = c1 ]
    # starting a running container again is a silent success: podman
    # leaves it alone and prints nothing
    run -0 b start c1
    [ -z "$output" ]
    run -0 b stop -t 0 c1
    [ "$output" = c1 ]
}

@test "start --attach returns the container's exit code" {
    run -0 b create --name a1 --network none $IMG sh -c 'echo out; exit 5'
    run -5 b start -a a1
    [ "$output" = out ]
}

@test "stop sends SIGTERM, then SIGKILL after the timeout" {
    run -0 b run -d --name s1 --network none $IMG sleep 100
    run -0 --separate-stderr b stop -t 1 s1
    [ "$output" = s1 ]
    [[ $stderr == *"resorting to SIGKILL"* ]]
    run -0 b wait s1
    [ "$output" = 137 ]
    # a container that traps SIGTERM exits by itself
    run -0 b run -d --name s2 --network none $IMG sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done'
    run -0 b stop -t 10 s2
    run -0 b wait s2
    [ "$output" = 7 ]
}

@test "stop on a never-started or exited container succeeds" {
    run -0 b create --name never --network none $IMG true
    run -0 b stop never
    [ "$output" = never ]
    run -0 b run --name done --network none $IMG true
    run -0 b stop done
}

@test "kill delivers a signal; SIGKILL gives 137" {
    run -0 b run -d --name k1 --network none $IMG sleep 100
    run -0 b kill k1
    [ "$output" = k1 ]
    run -0 b wait k1
    [ "$output" = 137 ]
    run -125 --separate-stderr b kill k1
    [[ $stderr == *"can only kill running containers"* ]]
    # --all: the running ones only, the exited and created passed over
    run -0 b run -d --name k2 --network none $IMG sleep 100
    k2=$output
    run -0 b create --name k3 --network none $IMG true
    run -0 --separate-stderr b kill --all
    [ "$output" = "$k2" ] && [ "$stderr" = "" ]
    run -0 b wait k2
    [ "$output" = 137 ]
}

@test "kill -s sends the named signal" {
    run -0 b run -d --name k2 --network none $IMG sh -c 'trap "exit 9" USR1; while :; do sleep 0.1; done'
    run -0 b kill -s USR1 k2
    run -0 b wait k2
    [ "$output" = 9 ]
}

@test "rm: 1 for no such container, 2 for a running one, -f removes it" {
    run -1 --separate-stderr b rm nosuch
    [[ $stderr == *'no container with name or ID "nosuch" found: no such container'* ]]
    run -0 b rm --ignore nosuch
    run -0 b run -d --name r1 --network none $IMG sleep 100
    run -2 --separate-stderr b rm r1
    [[ $stderr == *"cannot remove container"*"as it is running"* ]]
    run -0 b rm -f -t 0 r1
    [ "$output" = r1 ]          # podman echoes the name as typed
    run -1 b container exists r1
}

# podman looks every name up first: one missing fails with nothing done
@test "a missing name among several: the others are left alone" {
    run -0 b create --name e1 --network none $IMG sleep 100
    run -125 --separate-stderr b start e1 nosuch
    [ "$output" = "" ]
    [ "$stderr" = 'Error: no container with name or ID "nosuch" found: no such container' ]
    run -0 b inspect --format '{{.State.Status}}' e1
    [ "$output" = created ]
    run -0 b start e1
    for cmd in "stop -t 0" kill pause "restart -t 0"; do
        run -125 --separate-stderr b $cmd nosuch e1
        [ "$output" = "" ]
        [ "$stderr" = 'Error: no container with name or ID "nosuch" found: no such container' ]
    done
    run -125 --separate-stderr b stop nosuch1 nosuch2
    [ "$stderr" = 'Error: no container with name or ID "nosuch1" found: no such container' ]
    run -0 b inspect --format '{{.State.Status}}' e1
    [ "$output" = running ]
    run -0 b stop -t 0 --ignore nosuch e1
    [ "$output" = e1 ]
    run -1 --separate-stderr b rm e1 nosuch
    [ "$output" = "" ]
    run -0 b container exists e1
}

@test "rm --all removes every container" {
    b create --network none $IMG true >/dev/null
    b run -d --network none $IMG sleep 100 >/dev/null
    run -0 b rm --all --force -t 0
    [ ${#lines[@]} -eq 2 ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/scratch/locks")" ]
}

@test "wait prints the exit code and exits 0; unknown containers fail" {
    run -0 b run -d --name w1 --network none $IMG sh -c 'exit 4'
    run -0 b wait w1
    [ "$output" = 4 ]
    run -125 b wait nosuch
    # podman looks every name up first: a missing one fails at once,
    # before any wait (the running one would block)
    run -0 b run -d --name w2 --network none $IMG sleep 100
    run -125 --separate-stderr timeout 10 "$BERTH_BIN" "${BERTH_ARGS[@]}" wait w1 w2 nosuch
    [ "$output" = "" ]
    [ "$stderr" = 'Error: no container with name or ID "nosuch" found: no such container' ]
}

@test "the exit code of an --rm container stays reachable for wait" {
    id=$(b run -d --rm --network none $IMG sh -c 'exit 6')
    run -0 b wait "$id"
    [ "$output" = 6 ]
    # removed before wait looks: its full id still finds the code
    id=$(b run -d --rm --network none $IMG sh -c 'exit 7')
    retry_until 10 bash -c "! '$BERTH_BIN' ${BERTH_ARGS[*]} container exists $id"
    run -0 b wait "$id"
    [ "$output" = 7 ]
    run -125 b wait "${id:0:12}"
}

@test "conmon's persist files (exit, oom) live in the run dir; an older berth's dir is still read" {
    run -0 b run -d --name p1 --network none $IMG sleep 100
    id=$(b inspect --format '{{.Id}}' p1)
    # no dir of their own: one inode less per start
    [ -d "$BATS_TEST_TMPDIR/scratch/containers/$id" ]
    [ ! -e "$BATS_TEST_TMPDIR/scratch/persist/$id" ]
    run -0 b rm -f -t 0 p1
    # the oom mark is read from there
    run -137 b run --name p2 -m 10m --memory-swap 10m --network none $IMG \
        sh -c 'x=$(head -c 60000000 /dev/zero | tr "\0" a); echo survived'
    run -0 b inspect --format '{{.State.OOMKilled}} {{.State.ExitCode}}' p2
    [ "$output" = "true 137" ]
    run -0 b rm p2
    # a conmon an older berth started wrote to <tmp>/persist/<id>
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    cat > "$BATS_TEST_TMPDIR/bin/conmon" <<EOF
#!/bin/bash
a=()
while [ \$# -gt 0 ]; do
    if [ "\$1" = --persist-dir ]; then
        d=$BATS_TEST_TMPDIR/scratch/persist/\$(basename "\$2")
        mkdir -p "\$d"
        a+=(--persist-dir "\$d")
        shift 2
    else
        a+=("\$1")
        shift
    fi
done
exec /usr/bin/conmon "\${a[@]}"
EOF
    chmod 755 "$BATS_TEST_TMPDIR/bin/conmon"
    printf '[engine]\nconmon_path = ["%s"]\n' "$BATS_TEST_TMPDIR/bin/conmon" >> "$TEST_CONF"
    run -137 b run --name p3 -m 10m --memory-swap 10m --network none $IMG \
        sh -c 'x=$(head -c 60000000 /dev/zero | tr "\0" a); echo survived'
    id=$(b inspect --format '{{.Id}}' p3)
    run -0 b inspect --format '{{.State.OOMKilled}} {{.State.ExitCode}}' p3
    [ "$output" = "true 137" ]
    run -0 b rm p3
    [ ! -e "$BATS_TEST_TMPDIR/scratch/persist/$id" ]
}

@test "restart stops and starts again" {
    run -0 b run -d --name rs --network none $IMG sleep 100
    run -0 b restart -t 0 rs
    [ "$output" = rs ]
    [ "$(count_events restart)" = 1 ]
    run -0 b container exists rs
}

@test "rename frees the old name and takes the new one" {
    run -0 b create --name old --network none $IMG true
    run -0 b rename old new
    run -1 b container exists old
    run -0 b container exists new
    run -0 b create --name old --network none $IMG true
    id=$(b inspect --format '{{.Id}}' new)
    run -125 --separate-stderr b rename new old
    [ "$stderr" = "Error: renaming container $id: name old already in use, cannot rename container $id: container already exists" ]
    run -125 --separate-stderr b rename new
    [ "$stderr" = "Error: accepts 2 arg(s), received 1" ]
}

@test "init prepares a container that start then runs" {
    run -0 b create --name i1 --network none $IMG sh -c 'exit 2'
    run -0 b init i1
    [ "$output" = i1 ]
    run -125 --separate-stderr b init i1
    [[ $stderr == *"already been created"* ]]
    run -2 b start -a i1
}

@test "restart policy on-failure:2 restarts twice, then stops" {
    run -0 b run -d --name rp --restart on-failure:2 --network none $IMG sh -c 'exit 1'
    retry_until 20 bash -c "[ \$(grep -c '\"Status\":\"restart\"' '$BATS_TEST_TMPDIR/scratch/events/events.log') -ge 2 ]"
    run -0 b wait rp
    [ "$output" = 1 ]
    # settle: the last cleanup has run
    retry_until 10 bash -c "grep -q '\"Status\":\"cleanup\"' '$BATS_TEST_TMPDIR/scratch/events/events.log'"
    [ "$(count_events restart)" = 2 ]
    [ "$(count_events start)" = 3 ]
}

@test "events of a run --rm: create init start attach died remove" {
    run -0 b run --rm --name ev --network none $IMG true
    retry_until 10 bash -c "grep -q '\"Status\":\"remove\"' '$BATS_TEST_TMPDIR/scratch/events/events.log'"
    run -0 bash -c "grep '\"Name\":\"ev\"' '$BATS_TEST_TMPDIR/scratch/events/events.log' | jq -r .Status | tr '\n' ' '"
    [[ $output == "create init start attach died "*"remove "* ]]
}

@test "30 parallel run -d and rm -f lose and duplicate nothing" {
    for i in $(seq 30); do b run -d --name p$i --network none $IMG sleep 100 >/dev/null & done
    wait
    [ "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers" | wc -l)" = 30 ]
    for i in $(seq 30); do run -0 b container exists p$i; done
    [ "$(ls "$BATS_TEST_TMPDIR/scratch/locks" | sort -n | tr '\n' ' ')" = "$(seq 0 29 | tr '\n' ' ')" ]
    for i in $(seq 30); do b rm -f -t 0 p$i >/dev/null & done
    wait
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/scratch/locks")" ]
    ! grep -q "$BATS_TEST_TMPDIR/root" /proc/self/mounts || false
}

@test "a container whose conmon and process were killed is not stuck running" {
    id=$(b run -d --name orphan --network none $IMG sleep 100)
    f=$BATS_TEST_TMPDIR/root/libpod/containers/$id/state.json
    pkill -9 -f "conmon.*$id" || true
    kill -9 "$(jq .pid "$f")" || true
    retry_until 5 bash -c "! kill -0 $(jq .pid "$f") 2>/dev/null"
    run -0 b stop -t 0 orphan
    run -0 b rm -f orphan
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
}

@test "stop and kill of a container whose conmon was killed: it ends exited" {
    # nobody will write an exit file: the exit-file wait ends on conmon's
    # death (or is not entered) and the exit is recorded as unknown,
    # whether the sandbox's pid 1 has reaped the orphaned process yet or not
    id=$(b run -d --name lone --network none $IMG sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done')
    pkill -9 -f "conmon.*$id"
    retry_until 5 bash -c "! pgrep -f '[c]onmon.*$id' >/dev/null"
    run -0 --separate-stderr b stop -t 10 lone
    [ "$output" = lone ]
    run -0 b inspect --format '{{.State.Status}} {{.State.ExitCode}}' lone
    [ "$output" = "exited -1" ]
    # kill: SIGKILL, then the same wait
    id=$(b run -d --name lone2 --network none $IMG sleep 100)
    pkill -9 -f "conmon.*$id"
    retry_until 5 bash -c "! pgrep -f '[c]onmon.*$id' >/dev/null"
    run -0 b kill lone2
    # at once: a zombie not reaped yet is no running process
    run -0 b inspect --format '{{.State.Status}}' lone2
    [ "$output" = exited ]
    run -0 --separate-stderr b wait lone2
    [ "$output" = -1 ]
    run -0 b inspect --format '{{.State.Status}}' lone2
    [ "$output" = exited ]
}

@test "simulated reboot: containers are reset, start again, nothing leaks" {
    up=$(b run -d --name up --network none $IMG sleep 100)
    run -3 b run --name down --network none $IMG sh -c 'exit 3'
    # the reboot: every process gone, every mount gone, a new boot id
    pid=$(jq .pid "$BATS_TEST_TMPDIR/root/libpod/containers/$up/state.json")
    pkill -9 -f "conmon.*$up" || true
    kill -9 "$pid" || true
    awk -v d="$BATS_TEST_TMPDIR" '$2 ~ "^"d {print $2}' /proc/self/mounts | sort -r | xargs -r umount -l
    echo 00000000-dead-beef-0000-000000000000 > "$BATS_TEST_TMPDIR/scratch/alive"
    rm -rf "$BATS_TEST_TMPDIR/scratch/exits" "$BATS_TEST_TMPDIR/runroot"
    run -0 b container exists up
    [ "$(count_events refresh)" = 2 ]
    [ "$(jq .state "$BATS_TEST_TMPDIR/root/libpod/containers/$up/state.json")" = 1 ]
    run -0 b start up
    run -0 b rm -f -t 0 up
    run -0 b rm down
    [ -z "$(ls "$BATS_TEST_TMPDIR/scratch/locks")" ]
    ! grep -q "$BATS_TEST_TMPDIR/root" /proc/self/mounts || false
}

@test "kill -9 of berth during create and start: rm -f converges" {
    for i in 1 2 3 4 5; do
        # berth itself in the background (not the function b, whose subshell
        # would be what gets killed while berth carries on)
        "$BERTH_BIN" "${BERTH_ARGS[@]}" run -d --name crash$i --network none $IMG sleep 100 >/dev/null 2>&1 &
        pid=$!
        sleep 0.0$i
        kill -9 $pid 2>/dev/null || true
        wait $pid 2>/dev/null || true
    done
    run -0 b rm --all --force -t 0
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/scratch/locks")" ]
    ! grep -q "$BATS_TEST_TMPDIR/root/.*merged" /proc/self/mounts || false
    # no monitor (and so no container process) of this test survives
    retry_until 5 bash -c "! pgrep -f '[c]onmon.*$BATS_TEST_TMPDIR' >/dev/null"
}

@test "system migrate stops running containers and switches their runtime" {
    id=$(b run -d --name mg --network none $IMG sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done')
    run -0 --separate-stderr b system migrate --new-runtime runc
    [ "$output" = "stopped $id" ]
    [ "$(jq -r .runtime "$BATS_TEST_TMPDIR/root/libpod/containers/$id/config.json")" = runc ]
    run -0 b start mg
    run -125 --separate-stderr b system migrate --new-runtime nosuch
    [[ $stderr == *'change to runtime "nosuch" requested but no such runtime is defined'* ]]
}

# conmon's exit command of an --rm container that another depends on:
# the removal is refused (podman's words), and the container is cleaned
# up all the same (unmounted, its runtime state gone), as podman leaves it
@test "an --rm container others depend on is cleaned up at its exit, not removed" {
    run -0 b run -d --rm --name ra --network none $IMG sleep 1
    id=$output
    run -0 b create --name rb --ipc container:ra --network none $IMG true
    mp=$BATS_TEST_TMPDIR/root/containers/$id/merged
    run -0 b wait ra
    # the exit command runs after the exit, maybe not begun yet: its
    # conmon (whose child it is until its exec) and it are both gone
    retry_until 10 bash -c '! pgrep -f "[c]onmon.*$0|[c]ontainer cleanup --rm $0"' "$id"
    run -0 b container inspect --format '{{.State.Status}}' ra
    [ "$output" = exited ]
    ! awk -v d="$mp" '$2 == d' /proc/self/mounts | grep -q . || { echo "# $mp still mounted"; false; }
    run -0 b events --since 0 --until 1s --filter container=ra --format '{{.Status}}'
    [[ $output == *cleanup* ]] || { echo "# events: $output"; false; }
    run -0 b rm rb
    run -0 b rm ra
}
