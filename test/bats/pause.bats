# test/bats/pause.bats: pause and unpause through the OCI runtime's
# freezer, the paused state everywhere it shows, and what stop, kill, rm,
# start and exec do with a paused container.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

evlog() { cat "$BATS_TEST_TMPDIR/scratch/events/events.log"; }
running() { b run -d --name "$1" --network none $IMG sh -c 'i=0; while :; do i=$((i+1)); echo $i > /tmp/t; mv /tmp/t /tmp/tick; sleep 0.1; done' >/dev/null; }
tick() { b exec "$1" cat /tmp/tick; }

@test "pause freezes the processes; unpause lets them run on" {
    running p1
    run -0 b pause p1
    [ "$output" = p1 ]
    pid=$(b inspect --format '{{.State.Pid}}' p1)
    # the container's freezer cgroup is frozen
    fz=$(awk -F: '$2 == "freezer" {print $3}' /proc/$pid/cgroup)
    [ -n "$fz" ] && [ "$fz" != / ] || false
    [ "$(cat "/sys/fs/cgroup/freezer$fz/freezer.state")" = FROZEN ]
    run -0 b inspect --format '{{.State.Status}} {{.State.Paused}} {{.State.Running}}' p1
    [ "$output" = "paused true false" ]
    run -0 b ps -a --format '{{.Names}} {{.Status}}'
    [ "$output" = "p1 Paused" ]
    # ps without -a lists running containers only, as podman's
    run -0 b ps --format '{{.Names}}'
    [ -z "$output" ]
    run -0 b ps -a --filter status=paused --format '{{.Names}}'
    [ "$output" = p1 ]
    # the loop does not advance while paused (the counter file is read
    # from the host, through the container's root)
    root=$(b inspect --format '{{.GraphDriver.Data.MergedDir}}' p1)
    t0=$(cat "$root/tmp/tick"); sleep 0.5
    [ "$(cat "$root/tmp/tick")" = "$t0" ]
    run -0 b unpause p1
    [ "$output" = p1 ]
    t1=$(tick p1); sleep 0.4; t2=$(tick p1)
    [ "$t2" -gt "$t1" ]
    run -0 b inspect --format '{{.State.Status}}' p1
    [ "$output" = running ]
    [ "$(cat "/sys/fs/cgroup/freezer$fz/freezer.state")" = THAWED ]
    [ "$(kill -0 "$pid" && echo alive)" = alive ]
    evlog | grep -q '"Status":"pause"'
    evlog | grep -q '"Status":"unpause"'
}

@test "wrong states get podman's errors" {
    running p2
    run -0 b create --name idle --network none $IMG true
    run -125 --separate-stderr b pause idle
    [ "$stderr" = 'Error: "created" is not running, can'"'"'t pause: container state improper' ]
    run -125 --separate-stderr b unpause p2
    [[ $stderr == *"is not paused, can't unpause: container state improper" ]]
    run -0 b pause p2
    run -125 --separate-stderr b pause p2
    [[ $stderr == *"is already paused: container state improper" ]]
    run -125 --separate-stderr b pause nosuch
    [[ $stderr == *'no container with name or ID "nosuch" found: no such container' ]]
    run -125 --separate-stderr b pause
    [ "$stderr" = "Error: you must provide at least one name or id" ]
    run -125 --separate-stderr b pause -a p2
    [ "$stderr" = "Error: no arguments are needed with --all" ]
    run -125 --separate-stderr b pause --filter name=p2 p2
    [ "$stderr" = "Error: --filter takes no arguments" ]
    run -125 --separate-stderr b pause --filter bogus=1
    [[ $stderr == *"bogus is an invalid filter"* ]]
    run -125 --separate-stderr b start p2
    [[ $stderr == *"must be in Created or Stopped state to be started"* ]]
    run -255 b exec p2 true
}

@test "-a pauses the running ones, --filter and --cidfile choose" {
    running p3
    running p4
    run -0 b create --name idle --network none $IMG true
    run -0 b pause --all
    [ "${#lines[@]}" = 2 ]
    run -0 b ps -a --filter status=paused --format '{{.Names}}'
    [ "$(echo "$output" | sort | tr '\n' ' ')" = "p3 p4 " ]
    run -0 b unpause --filter name=p3
    [ "$output" = "$(b inspect --format '{{.Id}}' p3)" ]
    b inspect --format '{{.Id}}' p4 > "$BATS_TEST_TMPDIR/cid"
    run -0 b unpause --cidfile "$BATS_TEST_TMPDIR/cid"
    run -0 b ps --format '{{.Names}}'
    [ "$(echo "$output" | sort | tr '\n' ' ')" = "p3 p4 " ]
    run -125 --separate-stderr b pause --cidfile "$BATS_TEST_TMPDIR/nonexistent"
    [[ $stderr == *"reading CIDFile"* ]]
    running p7
    run -0 b container pause -l
    [ "$output" = "$(b inspect --format '{{.Id}}' p7)" ]
    run -0 b container unpause p7
}

@test "a paused container: kill and rm -f end it at once, rm refuses it, stop stops it" {
    running p5
    run -0 b pause p5
    run -0 b kill p5
    run -0 b wait p5
    [ "$output" = 137 ]
    run -0 b start p5
    run -0 b pause p5
    run -2 --separate-stderr b rm p5
    [[ $stderr == *"as it is paused - running or paused containers cannot be removed without force"* ]]
    SECONDS=0
    run -0 b rm -f p5
    [ "$SECONDS" -lt 8 ]
    running p6
    run -0 b pause p6
    run -0 b stop -t 1 p6
    run -0 b inspect --format '{{.State.Status}}' p6
    [ "$output" = exited ]
}
