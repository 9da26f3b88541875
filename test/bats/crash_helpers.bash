# test/bats/crash_helpers.bash: killing berth and judging what it left,
# for crash.bats. Load after helpers and ctr_helpers.

CTRS=$BATS_TEST_TMPDIR/root/libpod/containers

# bg_crash POINT ARGS...: berth ARGS in the background, dying at crash
# point POINT (BERTH_TEST_CRASH_AT); its pid in $!
bg_crash() {
    BERTH_TEST_CRASH_AT=$1 "$BERTH_BIN" "${BERTH_ARGS[@]}" "${@:2}" >/dev/null 2>&1 &
}

# bg_kill MS ARGS...: berth ARGS in the background, SIGKILLed after MS ms
# (if it has not ended by then)
bg_kill() {
    local ms=$1
    shift
    (
        "$BERTH_BIN" "${BERTH_ARGS[@]}" "$@" >/dev/null 2>&1 &
        p=$!
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
        kill -9 $p 2>/dev/null
        wait $p 2>/dev/null
    ) &
}

# running PID: the process exists and is no zombie (an orphan's zombie
# waits for the sandbox's pid 1 to reap it)
running() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
    [ "${st%% *}" != Z ]
}

# no_conmon ID: no conmon of the container is left (conmon ends a moment
# after its container, once its exit command has run)
no_conmon() {
    retry_until 10 bash -c "! pgrep -f '[c]onmon .*-c $1' >/dev/null"
}

# store_quiet: no process of this test's store is left: no conmon, no
# exit command, no detached remover (each names the store's root in its
# arguments; the bracket keeps the pattern from matching its own shell)
store_quiet() {
    local r=${BERTH_ARGS[1]}
    retry_until 10 bash -c "! pgrep -f -- '[${r:0:1}]${r:1}' >/dev/null"
}

# runtime_status ID: what the OCI runtime (runc, or crun where it is
# the default) says of the container ("" when neither knows it)
runtime_status() {
    local rt s
    for rt in runc crun; do
        command -v $rt >/dev/null || continue
        s=$($rt state "$1" 2>/dev/null | jq -r .status 2>/dev/null) || continue
        [ -z "$s" ] || { echo "$s"; return 0; }
    done
}

# check_consistent: after kills, `ps -a` has one row per record (no
# phantom, none missing) and says what the next command finds: inspect
# (which takes the lock and finishes or undoes a killed command's work)
# gives the same state, or one the container's process moved on to by
# exiting meanwhile. Then the processes and the runtime agree with it.
check_consistent() {
    local rows id st want got pid rt
    declare -A ps_state
    rows=$(b ps -a --format json | jq -r '.[] | "\(.Id) \(.State)"') ||
        { echo "# ps -a failed"; return 1; }
    while read -r id st; do
        [ -n "$id" ] || continue
        [ -z "${ps_state[$id]:-}" ] || { echo "# ps: two rows for $id"; return 1; }
        ps_state[$id]=$st
    done <<<"$rows"
    for id in $(ls "$CTRS"); do
        want=${ps_state[$id]:-}
        [ -n "$want" ] || { echo "# ps: no row for $id"; return 1; }
        unset "ps_state[$id]"
        got=$(b container inspect --format '{{.State.Status}} {{.State.Pid}}' "$id") ||
            { echo "# inspect $id failed"; return 1; }
        pid=${got#* }
        got=${got%% *}
        # an exit between the two looks is no disagreement
        if [ "$got" = stopping ]; then
            retry_until 10 bash -c "[ \"\$('$BERTH_BIN' ${BERTH_ARGS[*]} container inspect --format '{{.State.Status}}' $id)\" = exited ]" ||
                { echo "# $id stays stopping"; return 1; }
            got=exited
        fi
        if [ "$got" != "$want" ] &&
            ! { [ "$got" = exited ] && [[ $want =~ ^(running|stopping|paused|initialized)$ ]]; }; then
            echo "# $id: ps said $want, the next command found $got"
            return 1
        fi
        rt=$(runtime_status "$id")
        case $got in
        running | paused)
            running "$pid" || { echo "# $id is $got but process $pid is gone"; return 1; } ;;
        initialized)
            [ "$rt" = created ] || { echo "# $id is initialized, runc says '$rt'"; return 1; } ;;
        created | removing)
            [ -z "$rt" ] || { echo "# $id is $got, runc says '$rt'"; return 1; }
            ! pgrep -f "[c]onmon .*-c $id" >/dev/null || { echo "# $id is $got, its conmon runs"; return 1; } ;;
        exited)
            [ "$rt" != running ] || { echo "# $id is exited, runc runs it"; return 1; }
            no_conmon "$id" || { echo "# $id is exited, its conmon runs"; return 1; } ;;
        *)
            echo "# $id: unexpected state $got"; return 1 ;;
        esac
    done
    for id in "${!ps_state[@]}"; do
        echo "# ps: a row for $id, which has no record"
        return 1
    done
}

# check_clean IDS...: after rm -af, nothing is left: no record, root file
# system, bundle, name, lock, mount, network namespace, conmon, runtime
# container (of the ids given), run dir or exit file.
check_clean() {
    local d=$BATS_TEST_TMPDIR id
    [ -z "$(ls "$CTRS")" ] || { echo "# records left: $(ls "$CTRS")"; return 1; }
    [ -z "$(ls "$d/root/containers" 2>/dev/null)" ] || { echo "# storage left: $(ls "$d/root/containers")"; return 1; }
    [ -z "$(ls "$d/root/libpod/userdata" 2>/dev/null)" ] || { echo "# bundles left"; return 1; }
    [ -z "$(ls "$d/root/libpod/names")" ] || { echo "# names left: $(ls "$d/root/libpod/names")"; return 1; }
    [ -z "$(ls "$d/scratch/locks" | grep -vx pods)" ] || { echo "# locks left: $(ls "$d/scratch/locks")"; return 1; }
    [ -z "$(ls "$d/scratch/locks/pods" 2>/dev/null)" ] || { echo "# pod locks left: $(ls "$d/scratch/locks/pods")"; return 1; }
    [ -z "$(ls "$d/scratch/netns" 2>/dev/null)" ] || { echo "# netns left"; return 1; }
    [ -z "$(ls "$d/scratch/containers" 2>/dev/null)" ] || { echo "# run dirs left"; return 1; }
    [ -z "$(ls "$d/scratch/exits" 2>/dev/null)" ] || { echo "# exit files left"; return 1; }
    ! awk -v d="$d" '$2 ~ "^"d && $2 != d"/scratch/netns" {print $2; f=1} END {exit !f}' /proc/self/mounts ||
        { echo "# mounts left"; return 1; }
    retry_until 10 bash -c "! pgrep -f '[c]onmon .*$d' >/dev/null" || { echo "# conmon left"; return 1; }
    for id in "$@"; do
        [ -z "$(runtime_status "$id")" ] || { echo "# runc still has $id"; return 1; }
    done
}

# remember_ids: adds the container ids that have records now to $SEEN
# (every id this test has seen, for check_clean)
remember_ids() {
    SEEN="${SEEN:-} $(ls "$CTRS" | tr '\n' ' ')"
}
