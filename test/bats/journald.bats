# test/bats/journald.bats: --log-driver journald and the journald events
# backend, against a real systemd-journald of the test's own
# (journal_helpers.bash: a private mount namespace, tmpfs for the journal).
# Skipped, with the reason, where systemd-journald is missing.
load helpers
load ctr_helpers
load journal_helpers

setup() {
    ctr_setup
    journal_start
}
teardown() {
    journal_stop
    berth_teardown
}

# The private journal's entries for a container, one field per line.
ctr_fields() { jctl -o verbose "CONTAINER_ID_FULL=$1" | sed 's/^ *//'; }

@test "the test bed: a private journald, read back with journalctl -D" {
    nsenter -t "$JOURNAL_PID" -m -- systemd-cat -t berth-bed echo "bed-$$"
    nsenter -t "$JOURNAL_PID" -m -- journalctl --sync
    run -0 jctl -t berth-bed -o cat
    [ "$output" = "bed-$$" ]
    # the journal lives in the namespace only
    run -0 nsenter -t "$JOURNAL_PID" -m -- findmnt -n -o FSTYPE /var/log/journal
    [ "$output" = tmpfs ]
    [ "$(findmnt -n -o FSTYPE /var/log/journal || true)" != tmpfs ]
}

@test "berth does not load libsystemd unless it reads the journal" {
    run -0 ldd "$BERTH_BIN"
    [[ $output != *libsystemd* ]]
    run -0 env LD_DEBUG=files "$BERTH_BIN" "${BERTH_ARGS[@]}" ps -a
    [[ $output != *libsystemd* ]]
}

@test "run --log-driver journald: conmon's entries carry podman's fields; logs reads them" {
    run -0 --separate-stderr jb run --name jl --network none --log-driver journald $IMG \
        sh -c 'echo out1; echo err1 >&2; printf par; sleep 0.3; echo tial; echo out2'
    id=$(jb inspect --format '{{.Id}}' jl)
    run -0 jb inspect --format '{{.HostConfig.LogConfig.Type}}' jl
    [ "$output" = journald ]
    run -0 ctr_fields "$id"
    [[ $output == *"CONTAINER_ID_FULL=$id"* ]]
    [[ $output == *"CONTAINER_ID=${id:0:12}"* ]]
    [[ $output == *"CONTAINER_NAME=jl"* ]]
    [[ $output == *"SYSLOG_IDENTIFIER=jl"* ]]
    [[ $output == *"MESSAGE=out1"* && $output == *"MESSAGE=err1"* ]]
    [[ $output == *"PRIORITY=3"* && $output == *"PRIORITY=6"* ]]
    # conmon holds a line written in pieces until it ends (it marks
    # CONTAINER_PARTIAL_MESSAGE only on lines longer than its buffer)
    [[ $output == *"MESSAGE=partial"* ]]
    # stdout to stdout, stderr to stderr
    run -0 --separate-stderr jb logs jl
    [ "$output" = $'out1\npartial\nout2' ]
    [ "$stderr" = err1 ]
    run -0 jb logs jl
    [ "$output" = $'out1\nerr1\npartial\nout2' ]
}

@test "journald: a line longer than conmon's buffer is split in the journal, whole in logs" {
    jb run --name jw --network none --log-driver journald $IMG \
        sh -c 'head -c 20000 /dev/zero | tr "\0" x; echo; echo after' >/dev/null
    id=$(jb inspect --format '{{.Id}}' jw)
    run -0 ctr_fields "$id"
    [[ $output == *"CONTAINER_PARTIAL_MESSAGE=true"* ]]
    run -0 jb logs jw
    [ "${#lines[@]}" = 2 ]
    [ "${lines[0]}" = "$(head -c 20000 /dev/zero | tr '\0' x)" ]
    [ "${lines[1]}" = after ]
}

@test "--log-opt tag: CONTAINER_TAG and SYSLOG_IDENTIFIER" {
    jb run --name jt --network none --log-driver journald --log-opt tag=mytag $IMG echo tagged >/dev/null
    id=$(jb inspect --format '{{.Id}}' jt)
    run -0 ctr_fields "$id"
    [[ $output == *"CONTAINER_TAG=mytag"* ]]
    [[ $output == *"SYSLOG_IDENTIFIER=mytag"* ]]
    run -0 jb logs jt
    [ "$output" = tagged ]
}

@test "journald logs: --tail, -t, --since, --until, --names with several containers" {
    jb run --name ja --network none --log-driver journald $IMG sh -c 'for i in 1 2 3 4; do echo a$i; done' >/dev/null
    run -0 jb logs --tail 2 ja
    [ "$output" = $'a3\na4' ]
    run -0 jb logs --tail 0 ja
    [ -z "$output" ]
    run -0 jb logs -t --tail 1 ja
    [[ $output =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[-+][0-9:]+)\ a4$ ]]
    run -0 jb logs --since 10m ja
    [ "${#lines[@]}" = 4 ]
    run -0 jb logs --until 10m ja
    [ "${#lines[@]}" = 4 ]
    run -0 jb logs --since 2000-01-01 --until 2000-01-02 ja
    [ -z "$output" ]
    run -0 jb logs --since "$(date -d '+1 min' +%s)" ja
    [ -z "$output" ]
    jb run --name jb2 --network none --log-driver journald $IMG echo b1 >/dev/null
    run -0 jb logs --names --tail 1 ja jb2
    [ "$output" = $'ja a4\njb2 b1' ]
    idb=$(jb inspect --format '{{.Id}}' jb2)
    run -0 jb logs --tail 1 ja jb2
    [[ ${lines[1]} == "${idb:0:12} b1" ]]
}

@test "journald logs -f follows new lines and ends when the container exits" {
    jb run -d --name jf --network none --log-driver journald $IMG \
        sh -c 'echo first; read x < /dev/null; sleep 1; echo second; sleep 0.5; echo third' >/dev/null
    run -0 timeout 30 nsenter -t "$JOURNAL_PID" -m -- "$BERTH_BIN" "${BERTH_ARGS[@]}" logs -f jf
    [ "$output" = $'first\nsecond\nthird' ]
    run -0 jb inspect --format '{{.State.Status}}' jf
    [ "$output" = exited ]
}

@test "log_driver = \"journald\" in the config file" {
    printf '[containers]\nlog_driver = "journald"\n' >> "$TEST_CONF"
    jb run --name jc --network none $IMG echo from-conf >/dev/null
    run -0 jb inspect --format '{{.HostConfig.LogConfig.Type}}' jc
    [ "$output" = journald ]
    run -0 jb logs jc
    [ "$output" = from-conf ]
    # --log-driver still wins over the config
    jb run --name jk --network none --log-driver k8s-file $IMG echo file >/dev/null
    run -0 jb inspect --format '{{.HostConfig.LogConfig.Type}}' jk
    [ "$output" = k8s-file ]
}

@test "journald logs of a container whose journal is gone say so" {
    jb run --name jg --network none --log-driver journald $IMG echo bye >/dev/null
    run -0 jb logs jg
    [ "$output" = bye ]
    journal_kill
    # outside that namespace there is no journal (unless the host runs one)
    if [ -S /run/systemd/journal/socket ]; then
        skip "the host runs a journal of its own"
    fi
    run -125 --separate-stderr b logs jg
    [[ $stderr == "Error: container "*" logs to journald, but the journal is gone: "*"no journald listens on /run/systemd/journal/socket" ]]
    # create keeps podman's error
    run -125 --separate-stderr b create --network none --log-driver journald $IMG true
    [[ $stderr == "Error: failed to initialize journal: write unixgram @"*"->/run/systemd/journal/socket: sendmsg: "* ]]
}

@test "events_logger = \"journald\": podman's fields, read back with filters and --format" {
    printf '[engine]\nevents_logger = "journald"\n' >> "$TEST_CONF"
    start=$(date +%s)
    jb run --name je --label team=blue --network none $IMG sh -c 'exit 3' || true
    id=$(jb inspect --format '{{.Id}}' je)
    # nothing of it in the file backend's log
    ! grep -q '"Name":"je"' "$BATS_TEST_TMPDIR/scratch/events/events.log" || false
    nsenter -t "$JOURNAL_PID" -m -- journalctl --sync
    run -0 jctl -o verbose SYSLOG_IDENTIFIER=podman PODMAN_EVENT=died
    [[ $output == *"PODMAN_TYPE=container"* ]]
    [[ $output == *"PODMAN_ID=$id"* ]]
    [[ $output == *"PODMAN_NAME=je"* ]]
    [[ $output == *"PODMAN_IMAGE=localhost/busybox:latest"* ]]
    [[ $output == *"PODMAN_EXIT_CODE=3"* ]]
    [[ $output == *'PODMAN_LABELS={"team":"blue"}'* ]]
    [[ $output =~ PODMAN_TIME=[0-9]{4}-[0-9]{2}-[0-9]{2}T ]]
    run -0 jb events --stream=false --filter container=je --format '{{.Status}}'
    [ "$output" = $'create\ninit\nstart\nattach\ndied\ncleanup' ] || [ "$output" = $'create\ninit\nstart\nattach\ncleanup\ndied' ]
    run -0 jb events --stream=false --filter event=died --format json
    [ "$(jq -r .ContainerExitCode <<<"$output")" = 3 ]
    [ "$(jq -r .Attributes.team <<<"$output")" = blue ]
    [ "$(jq -r .ID <<<"$output")" = "$id" ]
    run -0 jb events --stream=false --filter label=team=blue --filter event=start
    [[ $output == *" container start $id (image=localhost/busybox:latest, name=je, team=blue)" ]]
    run -0 jb events --stream=false --filter label=team=red
    [ -z "$output" ]
    run -0 jb events --since "$start" --until 1s --filter event=create --format '{{.Name}}'
    [ "$output" = je ]
    run -0 jb events --stream=false --until "$((start - 5))"
    [ -z "$output" ]
    run -125 jb events --stream=false --filter bogus=1
    [ "$output" = "Error: bogus is an invalid filter" ]
}

@test "--events-backend journald: also for the cleanup process; other event types" {
    jb --events-backend journald volume create jv >/dev/null
    jb --events-backend journald run --rm --network none $IMG true
    run -0 jb --events-backend journald events --stream=false --format '{{.Type}} {{.Status}} {{.Name}}'
    [[ $output == *"volume create jv"* ]]
    [[ $output == *"container died "* ]]
    [[ $output == *"container remove "* ]]
    run -0 jb --events-backend journald events --stream=false --filter type=volume --format '{{.Name}}'
    [ "$output" = jv ]
    # the file backend saw none of it
    run -0 jb events --stream=false --filter type=volume
    [ -z "$output" ]
}

@test "journald events: health_status keeps its status" {
    jb --events-backend journald run -d --name jh --network none --health-cmd 'exit 0' \
        --health-interval 0 $IMG sleep 100 >/dev/null
    run -0 jb --events-backend journald healthcheck run jh
    run -0 jb --events-backend journald events --stream=false --filter event=health_status \
        --format '{{.Name}} {{.HealthStatus}}'
    [ "$output" = "jh healthy" ]
    nsenter -t "$JOURNAL_PID" -m -- journalctl --sync
    run -0 jctl -o verbose SYSLOG_IDENTIFIER=podman PODMAN_EVENT=health_status
    [[ $output == *"PODMAN_HEALTH_STATUS=healthy"* ]]
    run -0 jctl -o verbose SYSLOG_IDENTIFIER=podman PODMAN_EVENT=create
    [[ $output == *"PODMAN_HEALTH_STATUS="* ]]
}

@test "journald events stream: new events only, ends on SIGINT with 0" {
    out=$BATS_TEST_TMPDIR/stream.out
    jb --events-backend journald volume create old >/dev/null
    nsenter -t "$JOURNAL_PID" -m -- "$BERTH_BIN" "${BERTH_ARGS[@]}" --events-backend journald \
        events --format '{{.Type}} {{.Status}} {{.Name}}' >"$out" 2>&1 &
    pid=$!
    seen=
    for i in $(seq 100); do
        jb --events-backend journald volume create "v$i" >/dev/null
        if grep -q "volume create v" "$out"; then seen=1; break; fi
        sleep 0.1
    done
    [ -n "$seen" ]
    ! grep -q "create old" "$out" || false
    kill -INT "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" = 0 ]
}
