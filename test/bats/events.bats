# test/bats/events.bats: the event log and `berth events`: the default
# lines, --format, filters, --since/--until, rotation, streaming and
# SIGINT, concurrent writers. Until container commands exist, events come
# from `system refresh`'s first-use refresh, `system renumber`, and lines
# written into the log the way podman writes them.
load helpers

setup()    { berth_setup; export TZ=UTC; }
teardown() { berth_teardown; }

log() { echo "$BATS_TEST_TMPDIR/scratch/events/events.log"; }

# The first command initialises the tmp dir and writes the refresh event.
init() { run -0 b events --stream=false; }

ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

# Sample events of every type, in 2020, in the log's own format.
add_samples() {
    cat >> "$(log)" <<EOF
{"ID":"$ID","Image":"localhost/box:latest","Name":"web","Status":"create","Time":"2020-01-01T00:00:00.5Z","Type":"container","Attributes":{"app":"web","tier":"1"}}
{"ContainerExitCode":3,"ID":"$ID","Image":"localhost/box:latest","Name":"web","Status":"died","Time":"2020-02-01T00:00:00Z","Type":"container","Attributes":{}}
{"ID":"bbbb2222","Image":"localhost/box:latest","Name":"db","Status":"create","Time":"2020-03-01T00:00:00Z","Type":"container","PodID":"pppp","Attributes":{"app":"db"}}
{"ID":"cccc3333","Name":"localhost/box","Status":"pull","Time":"2020-04-01T00:00:00Z","Type":"image","Attributes":null}
{"ID":"pppp","Name":"pod1","Status":"create","Time":"2020-05-01T00:00:00Z","Type":"pod","Attributes":null}
{"Name":"vol1","Status":"create","Time":"2020-06-01T00:00:00Z","Type":"volume","Attributes":null}
{"ID":"$ID","Name":"web","network":"net1","Status":"connect","Time":"2020-07-01T00:00:00Z","Type":"network","Attributes":null}
EOF
}

@test "the first command's refresh event is listed" {
    init
    run -0 b events --stream=false
    [ "${#lines[@]}" = 1 ]
    [[ ${lines[0]} =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]*[1-9])?\ \+0000\ UTC\ system\ refresh$ ]]
    run -0 b system events --stream=false
    [[ $output == *" system refresh" ]]
}

@test "default lines for every type, as podman prints them" {
    init
    add_samples
    run -0 b events --stream=false --since 2019-01-01 --until 2021-01-01
    [ "${lines[0]}" = "2020-01-01 00:00:00.5 +0000 UTC container create $ID (image=localhost/box:latest, name=web, app=web, tier=1)" ]
    [ "${lines[1]}" = "2020-02-01 00:00:00 +0000 UTC container died $ID (image=localhost/box:latest, name=web)" ]
    [ "${lines[2]}" = "2020-03-01 00:00:00 +0000 UTC container create bbbb2222 (image=localhost/box:latest, name=db, pod_id=pppp, app=db)" ]
    [ "${lines[3]}" = "2020-04-01 00:00:00 +0000 UTC image pull cccc3333 localhost/box" ]
    [ "${lines[4]}" = "2020-05-01 00:00:00 +0000 UTC pod create pppp (image=, name=pod1)" ]
    [ "${lines[5]}" = "2020-06-01 00:00:00 +0000 UTC volume create vol1" ]
    [ "${lines[6]}" = "2020-07-01 00:00:00 +0000 UTC network connect $ID (container=$ID, name=net1)" ]
    [ "${#lines[@]}" = 7 ]
    # --no-trunc=false shortens ids to 12
    run -0 b events --stream=false --no-trunc=false --filter event=died
    [ "$output" = "2020-02-01 00:00:00 +0000 UTC container died ${ID:0:12} (image=localhost/box:latest, name=web)" ]
    run -0 b events --stream=false --no-trunc=false --filter type=network
    [ "$output" = "2020-07-01 00:00:00 +0000 UTC network connect ${ID:0:12} (container=${ID:0:12}, name=net1)" ]
}

@test "--format json prints each event as the log has it, valid JSON" {
    init
    add_samples
    run -0 b events --stream=false --format json
    [ "$output" = "$(cat "$(log)")" ]
    while read -r line; do
        echo "$line" | jq -e . >/dev/null
    done <<< "$output"
    run -0 b events --stream=false --format '{{json .}}' --filter type=image
    [ "$output" = '{"ID":"cccc3333","Name":"localhost/box","Status":"pull","Time":"2020-04-01T00:00:00Z","Type":"image","Attributes":null}' ]
}

@test "--format with a template" {
    init
    add_samples
    run -0 b events --stream=false --filter type=container --format '{{.Type}} {{.Status}} {{.Name}} {{.ContainerExitCode}} {{.PodID}}'
    [ "${lines[0]}" = "container create web 0 " ]
    [ "${lines[1]}" = "container died web 3 " ]
    [ "${lines[2]}" = "container create db 0 pppp" ]
    run -0 b events --stream=false --filter type=image --format '{{.Time}}|{{.TimeNano}}|{{.ID}}|{{.Image}}'
    [ "$output" = "2020-04-01 00:00:00 +0000 UTC|1585699200000000000|cccc3333|" ]
    run -0 b events --stream=false --filter type=network --format '{{.Network}}'
    [ "$output" = "net1" ]
    run -0 b events --stream=false --filter container=db --format '{{.Attributes.app}}'
    [ "$output" = "db" ]
}

@test "filters: same key OR'ed, different keys AND'ed, keys case-insensitive" {
    init
    add_samples
    f() { b events --stream=false --since 2019-01-01 --format '{{.Type}}:{{.Status}}:{{.Name}}' "$@" | tr '\n' ' '; }
    [ "$(f --filter type=container)" = "container:create:web container:died:web container:create:db " ]
    [ "$(f --filter container=web)" = "container:create:web container:died:web " ]
    [ "$(f --filter container=0123)" = "container:create:web container:died:web " ]
    [ "$(f --filter container=web --filter container=bbbb)" = "container:create:web container:died:web container:create:db " ]
    [ "$(f --filter container=web --filter event=died)" = "container:died:web " ]
    [ "$(f --filter STATUS=create --filter Type=pod)" = "pod:create:pod1 " ]
    [ "$(f -f event=create -f event=pull)" = "container:create:web container:create:db image:pull:localhost/box pod:create:pod1 volume:create:vol1 " ]
    [ "$(f --filter image=localhost/box)" = "image:pull:localhost/box " ]
    [ "$(f --filter image=cccc)" = "image:pull:localhost/box " ]
    [ "$(f --filter pod=pod1)" = "pod:create:pod1 " ]
    [ "$(f --filter volume=vol1)" = "volume:create:vol1 " ]
    [ "$(f --filter network=net1)" = "network:connect:web " ]
    [ "$(f --filter label=app)" = "container:create:web container:create:db " ]
    [ "$(f --filter label=app=db)" = "container:create:db " ]
    [ "$(f --filter label=tier=1 --filter label=app=db)" = "container:create:web container:create:db " ]
    [ "$(f --filter type=system)" = "system:refresh: " ]
    [ "$(f --filter label=nope)" = "" ]
}

@test "a bad filter, time or template exits 125 before any output" {
    init
    run -125 --separate-stderr b events --stream=false --filter bogus=1
    [ -z "$output" ]
    [ "$stderr" = "Error: bogus is an invalid filter" ]
    run -125 --separate-stderr b events --filter type
    [ "$stderr" = "Error: type is an invalid filter" ]
    run -125 --separate-stderr b events --since yesterday
    [ "$stderr" = "Error: unable to convert since time of yesterday: unable to interpret time value" ]
    run -125 --separate-stderr b events --until 10d
    [[ $stderr == "Error: unable to convert until time of 10d: unable to interpret time value" ]]
    run -125 --separate-stderr b events --stream=false --format '{{.Nope}'
    [ -z "$output" ]
    [[ $stderr == "Error: "* ]]
    run -125 --separate-stderr b events --stream=false extra
    [[ $stderr == "Error: "*"takes no arguments"* ]]
}

@test "--since and --until: dates, RFC3339, unix seconds and durations" {
    init
    add_samples
    f() { b events --stream=false --format '{{.Status}}:{{.Name}}' "$@" | tr '\n' ' '; }
    [ "$(f --since 2020-05-15)" = "refresh: create:vol1 connect:web " ]  # file order
    [ "$(f --since 1h)" = "refresh: " ]
    [ "$(f --since 2019-01-01 --until 2020-02-01)" = "create:web " ]
    [ "$(f --since 2020-01-01T00:00:00Z --until 2020-03-01T00:00:00.000000001Z)" = "create:web died:web create:db " ]
    [ "$(f --since 1580515200 --until 1583020800.5)" = "create:db " ]
    [ "$(f --until 2020-01-01T00:00:00.6Z)" = "create:web " ]
    [ "$(f --since 2020-06-01Z --until 2020-06-02)" = "" ]   # "after", not "at"
    [ "$(f --since 2020-05-31T23:00:00-01:00 --until 2020-06-02)" = "" ]
    [ "$(f --since 2020-05-31T23:00:00+02:00 --until 2020-06-02)" = "create:vol1 " ]
    [ "$(f --until 1h --since 2020-07-01)" = "refresh: " ]
    [ "$(f --until=-1h)" = "create:web died:web create:db pull:localhost/box create:pod1 create:vol1 connect:web " ]
}

@test "a stream with --until ends when that time passes" {
    init
    run -0 timeout 20 "$BERTH_BIN" "${BERTH_ARGS[@]}" events --until 1s
    [[ $output == *" system refresh" ]]
}

@test "the log rotates at events_logfile_max_size, keeping the newest half" {
    printf '[engine]\nevents_logfile_max_size = 600\n' > "$TEST_CONF"
    init
    for i in $(seq 12); do
        run -0 b system renumber
    done
    run -0 b events --stream=false --filter event=log-rotation --format '{{.Type}} {{.Name}}'
    [ "${lines[0]}" = "system $(log)" ]
    # at most the limit plus a log-rotation line and one event
    [ "$(stat -c %s "$(log)")" -lt 1000 ]
    # every line whole, the newest last
    run -0 jq -c . "$(log)"
    [ "${#lines[@]}" = "$(wc -l < "$(log)")" ]
    [ "$(tail -n 1 "$(log)" | jq -r .Status)" = renumber ]
    [ "$(grep -c refresh "$(log)")" = 0 ]
}

@test "a streaming events ends with 0 on SIGINT, promptly" {
    init
    out=$BATS_TEST_TMPDIR/stream.out
    "$BERTH_BIN" "${BERTH_ARGS[@]}" events --format '{{.Status}}' > "$out" 2>&1 &
    pid=$!
    # It starts at the end of the log: poke it until it shows a new event.
    seen=
    for i in $(seq 100); do
        b system renumber
        if grep -q renumber "$out"; then seen=1; break; fi
        sleep 0.1
    done
    [ -n "$seen" ]
    ! grep -q refresh "$out" || false
    kill -INT "$pid"
    retry_until 5 bash -c "! kill -0 $pid 2>/dev/null"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" = 0 ]
}

@test "a streaming events also ends with 0 on SIGTERM" {
    init
    out=$BATS_TEST_TMPDIR/stream.out
    "$BERTH_BIN" "${BERTH_ARGS[@]}" events --since 1h --format '{{.Status}}' > "$out" 2>&1 &
    pid=$!
    retry_until 10 grep -q refresh "$out"
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" = 0 ]
}

@test "20 concurrent writers keep every line intact" {
    init
    for i in $(seq 20); do
        b system renumber &
    done
    wait
    [ "$(grep -c '"Status":"renumber"' "$(log)")" = 20 ]
    run -0 jq -c . "$(log)"
    [ "${#lines[@]}" = 21 ]
    run -0 b events --stream=false --filter event=renumber --format json
    [ "${#lines[@]}" = 20 ]
}

@test "a line with an unknown type stops the read, naming the log" {
    init
    echo '{"Status":"x","Time":"2020-01-01T00:00:00Z","Type":"bogus","Attributes":null}' >> "$(log)"
    run -125 --separate-stderr b events --stream=false
    [ "$stderr" = "Error: event type bogus is not valid in $(log)" ]
}

@test "the none backend writes nothing, and reading it fails as podman's" {
    run -0 b --events-backend none info
    run -125 --separate-stderr b --events-backend none events --stream=false
    [ -z "$output" ]
    [ "$stderr" = 'Error: cannot read events with the "none" backend' ]
    [ ! -e "$(log)" ]
}

# podman 4.3.1's events of a removal: its stop and cleanup are part of it
# (names that are no hex: a container= filter also takes an id prefix)
# (rm -f of a running one: died, remove; run --rm: died, remove); a
# container the exit command cleaned up shows that one cleanup only
@test "a removal's own stop and cleanup emit no events, as podman's" {
    load ctr_helpers
    load_image busybox
    f() { b events --stream=false --filter container=$1 --format '{{.Status}}' | tr '\n' ' '; }
    b run --name rx1 --network none $IMG true
    # conmon's exit command cleans it up after run returns: let it
    for _ in $(seq 100); do
        [ -n "$(b events --stream=false --filter container=rx1 --filter event=cleanup)" ] && break
        sleep 0.1
    done
    b rm rx1 >/dev/null
    b run --rm --name rx3 --network none $IMG true
    b create --name rx4 --network none $IMG true >/dev/null
    b rm rx4 >/dev/null
    b run -d --name rx5 --network none $IMG sleep 100 >/dev/null
    b rm -f -t 0 rx5 >/dev/null
    [ "$(f rx1)" = "create init start attach died cleanup remove " ]
    [ "$(f rx3)" = "create init start attach died remove " ]
    [ "$(f rx4)" = "create remove " ]
    # the exit command may take the lock between the kill and the removal
    # and clean up on its own (podman's has the same race)
    run f rx5
    [ "$output" = "create init start died remove " ] ||
        [ "$output" = "create init start died cleanup remove " ] || { echo "# rx5: $output"; false; }
    # container cleanup echoes the name as typed, as podman's
    b run --name rx6 --network none $IMG true
    run -0 b container cleanup rx6
    [ "$output" = rx6 ]
    run -0 b container cleanup --rm rx6
    [ "$output" = rx6 ]
    run -1 b container exists rx6
}
