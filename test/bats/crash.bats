#!/usr/bin/env bats
# test/bats/crash.bats: crash injection. berth is killed at every named
# crash point of create, run -d, start, stop and rm -f (BERTH_TEST_CRASH_AT,
# util/crashpoint.h), and at random moments (SIGKILL 0-300 ms in) of
# those and of load. After each kill `ps -a` agrees with what the next
# command finds and with the processes and the runtime (check_consistent),
# the next command converges, and rm -af leaves nothing (check_clean).

load helpers
load ctr_helpers
load crash_helpers

setup() { ctr_setup; }
teardown() { berth_teardown; }

# Loop variables are not i, name or body: bats's own functions set those
# without declaring them local, and `run` would change ours.

# Every crash point a `run -d` passes, in order (bridge-only ones apart).
RUN_POINTS="create:locked create:record create:storage init:conmon init:mounting
            init:mounted init:prepared init:created start:intent start:started"
STOP_POINTS="stop:stopping stop:signalled stop:stopped"
RM_POINTS="stop:stopping stop:signalled stop:stopped rm:removing rm:storage rm:record"

# converge_start NAME: whatever a killed run/create/start left, the
# next command makes it run (a create killed before its record left no
# container: it is run anew).
converge_start() {
    if b container exists "$1"; then
        run -0 b start "$1"
    else
        run -0 b run -d --name "$1" --network none $IMG sleep 1000
    fi
    run -0 b container inspect --format '{{.State.Status}}' "$1"
    [ "$output" = running ] || { echo "# $1 is $output after start"; return 1; }
}

@test "every crash point of run -d, then start converges" {
    local n=0 pt
    for pt in $RUN_POINTS; do
        n=$((n + 1))
        bg_crash $pt run -d --name r$n --network none $IMG sleep 1000
        wait $! || [ $? = 137 ] || { echo "# $pt: not killed"; false; }
    done
    check_consistent
    for ((ci = 1; ci <= n; ci++)); do converge_start r$ci; done
    remember_ids
    run -0 b rm -af -t 0
    check_clean $SEEN
}

@test "a kill while conmon waits for its start byte takes that conmon along" {
    local pt cname cid
    # conmon is spawned before the container is prepared (its start-up
    # overlaps ours) and waits for the start byte; EOF on its start pipe
    # would start it, so it must die with berth (PR_SET_PDEATHSIG)
    for pt in init:conmon init:mounted init:prepared; do
        cname=w${pt#init:}
        bg_crash $pt run -d --name $cname --network none $IMG sleep 1000
        wait $! || [ $? = 137 ] || { echo "# $pt: not killed"; false; }
        # the id without a command that would repair the container first
        cid=$(basename "$(readlink "$BATS_TEST_TMPDIR/root/libpod/names/$cname")")
        [ ${#cid} = 64 ] || { echo "# $pt: no record of $cname"; false; }
        no_conmon $cid || { echo "# $pt: a conmon of $cid is left"; false; }
        # it never read a start byte: never forked, never ran the runtime
        [ ! -e "$BATS_TEST_TMPDIR/scratch/containers/$cid/conmon.pid" ] ||
            { echo "# $pt: conmon went on to create $cid"; false; }
        [ -z "$(runtime_status $cid)" ] || { echo "# $pt: the runtime knows $cid"; false; }
    done
    check_consistent
    # as after any kill in init: the next command undoes and starts
    for pt in conmon mounted prepared; do converge_start w$pt; done
    remember_ids
    run -0 b rm -af -t 0
    check_clean $SEEN
}

@test "a prepare that fails kills the conmon waiting for it" {
    local cid rund
    # :U on a bind source that is gone fails in ctr_prepare, after the
    # early conmon was spawned: it must be killed, not left to take the
    # EOF of its start pipe for a start byte
    mkdir "$BATS_TEST_TMPDIR/gone"
    cid=$(b create --name pf -v "$BATS_TEST_TMPDIR/gone:/x:U" --network none $IMG sleep 1000)
    rmdir "$BATS_TEST_TMPDIR/gone"
    run -125 b start pf
    [[ "$output" == *"unable to start container"* ]] || { echo "# $output"; false; }
    rund=$BATS_TEST_TMPDIR/scratch/containers/$cid
    no_conmon $cid || { echo "# a conmon of $cid is left"; false; }
    [ ! -e "$rund/conmon.pid" ] && [ ! -e "$rund/oci-log" ] ||
        { echo "# conmon went on: $(ls $rund)"; false; }
    [ -z "$(runtime_status $cid)" ]
    run -0 b container inspect --format '{{.State.Status}}' pf
    [ "$output" = created ]
    run -0 b rm pf
    check_clean $cid
}

@test "every crash point of start, stop and rm -f, then the next command converges" {
    local n=0 points pt cbody cname f
    # start of a created container: the init and start points
    for pt in $(echo $RUN_POINTS | tr ' ' '\n' | grep -v '^create:'); do
        n=$((n + 1))
        b create --name s$n --network none $IMG sleep 1000 >/dev/null
        bg_crash $pt start s$n
        wait $! || [ $? = 137 ] || { echo "# start $pt: not killed"; false; }
    done
    check_consistent
    for ((ci = 1; ci <= n; ci++)); do converge_start s$ci; done
    # stop and rm -f of running containers, one that ends at SIGTERM and
    # one that must be killed
    for cmd in stop rm; do
        [ $cmd = stop ] && points=$STOP_POINTS || points=$RM_POINTS
        for pt in $points; do
            for cbody in 'trap "exit 0" TERM; while :; do sleep 0.1; done' 'sleep 1000'; do
                n=$((n + 1))
                b run -d --name s$n --network none $IMG sh -c "$cbody" >/dev/null
                if [ $cmd = stop ]; then bg_crash $pt stop -t 1 s$n; else bg_crash $pt rm -f -t 1 s$n; fi
                wait $! || [ $? = 137 ] || { echo "# $cmd $pt: not killed"; false; }
                echo "$cmd" > "$BATS_TEST_TMPDIR/op.s$n"
            done
        done
    done
    check_consistent
    remember_ids
    for f in "$BATS_TEST_TMPDIR"/op.s*; do
        cname=${f##*.}
        b container exists $cname || continue    # rm got past its record
        if [ "$(cat "$f")" = stop ]; then
            run -0 b stop -t 0 $cname
            [ "$(b container inspect --format '{{.State.Status}}' $cname)" = exited ]
        else
            run -0 b rm -f -t 0 $cname
            run -1 b container exists $cname
        fi
    done
    run -0 b rm -af -t 0
    check_clean $SEEN
}

# rm of an exited container writes "removing" before its cleanup (one
# write where there were three): a kill there, or in the cleanup, leaves
# a record rm -f finishes. For run --rm the kill comes in run itself;
# conmon's exit command (which does not crash: its environment is
# conmon's) or the next rm -f removes the container. (The names are no
# hex: "e1" would also be a prefix of an id, found once e1 is gone.)
@test "a kill of rm, or of run --rm, while it cleans an exited container converges" {
    local n=0 pt
    for pt in rm:cleaning rm:removing; do
        n=$((n + 1))
        b run --name rm$n --network none $IMG true >/dev/null
        bg_crash $pt rm rm$n
        wait $! || [ $? = 137 ] || { echo "# rm $pt: not killed"; false; }
        run -0 b container inspect --format '{{.State.Status}}' rm$n
        [ "$output" = removing ] || { echo "# rm$n is $output after a kill at $pt"; false; }
    done
    bg_crash rm:cleaning run --rm --name rm3 --network none $IMG true
    wait $! || [ $? = 137 ] || { echo "# run --rm: not killed"; false; }
    # conmon's exit commands (container cleanup, --rm for rm3) may still
    # run, or not have begun
    store_quiet
    check_consistent
    remember_ids
    for cname in rm1 rm2 rm3; do
        if b container exists $cname; then
            run -0 b rm -f -t 0 $cname
        fi
        run -1 b container exists $cname
    done
    check_clean $SEEN
}

# A --rm container's exit, found by the process that removes it (run
# --rm's wait, or conmon's exit command), is written with the removal's
# "removing" (ctr_get.c mark_exited). A kill between the exit found and
# that write leaves the record as it was, running with its conmon gone
# and conmon's exit file there: the exit command, or the next command,
# reads the exit again. (run's wait usually finds the exit before the
# exit command does; when it does not, run is not killed.)
@test "a kill of run --rm between the exit it found and the removal converges" {
    local n rc killed=0
    for n in 1 2 3; do
        bg_crash exit:unsaved run --rm --name ex$n --network none $IMG sh -c "exit $((n + 2))"
        rc=0
        wait $! || rc=$?
        [ $rc = 137 ] && killed=$((killed + 1))
        [ $rc = 137 ] || [ $rc = $((n + 2)) ] || { echo "# run --rm ex$n: exit $rc"; false; }
        store_quiet
        check_consistent
        if b container exists ex$n; then
            run -0 b container inspect --format '{{.State.Status}} {{.State.ExitCode}}' ex$n
            [ "$output" = "exited $((n + 2))" ] || { echo "# ex$n: $output"; false; }
            run -0 b wait ex$n
            [ "$output" = $((n + 2)) ]
            run -0 b rm -f -t 0 ex$n
        fi
        run -1 b container exists ex$n
    done
    echo "# run --rm killed at exit:unsaved $killed times of 3" >&3
    remember_ids
    check_clean $SEEN
}

# conmon's exit command may come after a rm that was killed in the
# cleanup it would have done: it then finds "removing", and takes the
# runtime's container along as the next rm -f would. The exit command
# is held back: the container runs from a copy of berth (conmon's exit
# command is the binary that started it), replaced by a script that
# waits for a file before it runs berth.
@test "an exit command that comes after a killed rm leaves no runtime container behind" {
    local late=$BATS_TEST_TMPDIR/berth-late go=$BATS_TEST_TMPDIR/go d id pid
    cp "$BERTH_BIN" "$late"
    for d in "${BERTH_BIN%/*}" "${BERTH_BIN%/*}/.." "${BERTH_BIN%/*}/../.."; do
        [ -e "$d/data/seccomp.json" ] && { ln -s "$(realpath "$d/data")" "$BATS_TEST_TMPDIR/data"; break; }
    done
    run -0 "$late" "${BERTH_ARGS[@]}" run -d --name late --network none $IMG sleep 1000
    id=$output
    printf '#!/bin/sh\nwhile [ ! -e %s ]; do sleep 0.05; done\nexec %s "$@"\n' "$go" "$BERTH_BIN" >"$late.new"
    chmod +x "$late.new"
    mv "$late.new" "$late"
    pid=$(b container inspect --format '{{.State.Pid}}' late)
    kill -9 $pid
    retry_until 10 bash -c "pgrep -f '[b]erth-late .*container cleanup' >/dev/null"
    bg_crash rm:cleaning rm late
    wait $! || [ $? = 137 ] || { echo "# rm: not killed"; false; }
    run -0 b container inspect --format '{{.State.Status}}' late
    [ "$output" = removing ]
    [ "$(runtime_status $id)" = stopped ]
    touch "$go"
    store_quiet
    run -0 b container inspect --format '{{.State.Status}}' late
    [ "$output" = removing ]
    [ -z "$(runtime_status $id)" ] || { echo "# the runtime still has $id: $(runtime_status $id)"; false; }
    check_consistent
    remember_ids
    run -0 b rm -f late
    check_clean $SEEN
}

# One lifecycle per container, every transition killed at a random
# moment; the command that converges it sets up the next kill.
#   run -d | stop -t 1 | start | rm -f -t 1 | create | start | rm -f
@test "random kill -9 of create, run -d, start, stop and rm -f: hundreds of kills converge" {
    local rounds=${CRASH_ROUNDS:-4} k=6 kills=0 step ci ms
    local -a cbody=('trap "exit 0" TERM; while :; do sleep 0.1; done' 'sleep 1000')
    for ((round = 0; round < rounds; round++)); do
        for step in run stop start rm create start2 rmc; do
            for ((ci = 0; ci < k; ci++)); do
                ms=$((RANDOM % 300))
                case $step in
                run) bg_kill $ms run -d --name k$ci --network none $IMG sh -c "${cbody[ci % 2]}" ;;
                create) bg_kill $ms create --name k$ci --network none $IMG sh -c "${cbody[ci % 2]}" ;;
                stop) bg_kill $ms stop -t 1 k$ci ;;
                start | start2) bg_kill $ms start k$ci ;;
                rm) bg_kill $ms rm -f -t 1 k$ci ;;
                rmc) bg_kill $ms rm -f k$ci ;;
                esac
                kills=$((kills + 1))
            done
            wait
            check_consistent || { echo "# round $round, after killed $step"; false; }
            remember_ids
            for ((ci = 0; ci < k; ci++)); do
                case $step in
                run | create | start | start2)
                    if b container exists k$ci; then
                        run -0 b start k$ci
                    else
                        run -0 b run -d --name k$ci --network none $IMG sh -c "${cbody[ci % 2]}"
                    fi ;;
                stop) run -0 b stop -t 0 k$ci ;;
                rm | rmc) ! b container exists k$ci || run -0 b rm -f -t 0 k$ci ;;
                esac
            done
        done
        run -0 b rm -af -t 0
        check_clean $SEEN || { echo "# round $round"; false; }
    done
    echo "# $kills kills" >&3
    [ $kills -ge $((rounds * 7 * k)) ]
}

@test "random kill -9 of load: images stays readable, the next load converges" {
    local tar=$TEST_IMAGES_DIR/layered.docker.tar
    [ -f "$tar" ] || bash "$BATS_TEST_DIRNAME/../images/build.sh" "$TEST_IMAGES_DIR" >/dev/null
    run -0 b rmi -a
    for ((ci = 0; ci < 12; ci++)); do
        bg_kill $((RANDOM % 300)) load -q -i "$tar"
        wait
        run -0 b images --format '{{.Repository}}:{{.Tag}}'
        [ -z "$output" ] || [ "$output" = localhost/layered:latest ]
        if ((ci % 3 == 2)); then
            run -0 b load -q -i "$tar"
            run -0 b run --rm --network none localhost/layered:latest true
            run -0 b rmi -a
        fi
    done
    run -0 b load -q -i "$tar"
    run -0 b rmi -a
    # nothing but the (empty) name index: no image, layer, blob or
    # half-unpacked leftover of the killed loads
    local r=$BATS_TEST_TMPDIR/root
    [ -z "$(ls "$r/images" | grep -vx names.json)" ] || { ls -l "$r/images"; false; }
    [ -z "$(ls "$r/layers")" ] || { ls -l "$r/layers"; false; }
    [ -z "$(ls "$r/blobs/sha256")" ] || { ls -l "$r/blobs/sha256"; false; }
    [ -z "$(ls "$r/tmp")" ] || { ls -l "$r/tmp"; false; }
}

# Every crash point a `pod create` passes, in order: its own, then the
# infra container's create.
POD_POINTS="podcreate:infraname podcreate:record create:locked create:linked create:record
            create:storage"

@test "every crash point of pod create: system check finds the half-made pods, the next commands converge" {
    local n=0 pt S=$BATS_TEST_TMPDIR/root/libpod
    for pt in $POD_POINTS; do
        n=$((n + 1))
        bg_crash $pt pod create --network none --name pc$n
        wait $! || [ $? = 137 ] || { echo "# $pt: not killed"; false; }
    done
    # killed before its record: no pod, the infra's name reserved for
    # nobody (stale once a minute old, as any name a killed create left)
    run -1 b pod exists pc1
    [ "$(ls "$S/names" | grep -c -- '-infra$')" -ge 1 ] || { echo "# no infra name reserved"; false; }
    # killed before the infra's record: a pod without its infra, which
    # system check finds and --repair removes
    run -0 b pod exists pc2
    infra=$(jq -r .infraId "$S"/pods/$(b pod inspect --format '{{.Id}}' pc2)/config.json)
    run -1 b system check
    [[ $output == *"pod "*": its infra container ${infra:0:12} does not exist (a pod create killed half way)"* ]] ||
        { echo "$output"; false; }
    touch -h -d '2 minutes ago' "$S"/names/*
    run -0 b system check --repair
    run -1 b pod exists pc2
    run -0 b system check
    [ "$output" = "No problems found" ]
    # every name is free again or its pod works: a pod rm -f, then a new
    # create of the same name that starts
    for ((ci = 1; ci <= n; ci++)); do
        if b pod exists pc$ci; then run -0 b pod rm -f -t 0 pc$ci; fi
        run -0 b pod create --network none --name pc$ci
        run -0 b pod start pc$ci
    done
    check_consistent
    remember_ids
    run -0 b pod rm -af -t 0
    # rm --all frees the locks the killed infra creates took (rt_lock_gc)
    run -0 b rm -af -t 0
    run -0 b system check
    [ "$output" = "No problems found" ]
    check_clean $SEEN
}
