#!/usr/bin/env bats
# test/bats/repair.bats: what a damaged record or a killed berth leaves is
# converged by the next command (runtime/ctr_repair.c): rm -f removes a
# container whatever its record says, ps lists it with the reason, and each
# kill -9 window of issue 20 is finished or undone. BERTH_TEST_CRASH_AT
# (util/crashpoint.h) kills berth at a named step; crash.bats sweeps them.

load helpers
load ctr_helpers

setup() { ctr_setup; }
# an immutable file a failed test left would outlive its temp dir
teardown() {
    chattr -i "$BATS_TEST_TMPDIR"/root/tmp/del-*/f 2>/dev/null || true
    berth_teardown
}

rec() { echo "$BATS_TEST_TMPDIR/root/libpod/containers/$1/$2.json"; }

# crash POINT ARGS...: berth ARGS, killed at POINT (137)
crash() {
    run -137 env BERTH_TEST_CRASH_AT="$1" "$BERTH_BIN" "${BERTH_ARGS[@]}" "${@:2}"
}

# damage FILE HOW: breaks a record file the way HOW says
damage() {
    local f=$1
    case $2 in
    empty) : > "$f" ;;
    truncated) head -c 40 "$f" > "$f.n" && mv "$f.n" "$f" ;;
    garbage) echo 'not json at all' > "$f" ;;
    future) jq -c '.version = 99' "$f" > "$f.n" && mv "$f.n" "$f" ;;
    nolock) jq -c 'del(.lockID)' "$f" > "$f.n" && mv "$f.n" "$f" ;;
    strlock) jq -c '.lockID = "0"' "$f" > "$f.n" && mv "$f.n" "$f" ;;
    neglock) jq -c '.lockID = -5' "$f" > "$f.n" && mv "$f.n" "$f" ;;
    freelock) jq -c '.lockID = 9999' "$f" > "$f.n" && mv "$f.n" "$f" ;;
    mistyped) jq -c '.pid = "x" | .state = "running"' "$f" > "$f.n" && mv "$f.n" "$f" ;;
    cmistyped) jq -c '.stopTimeout = "x" | .name = 5' "$f" > "$f.n" && mv "$f.n" "$f" ;;
    esac
}

# running PID: the process exists and is no zombie (an orphan's zombie
# waits for this sandbox's pid 1 to reap it)
running() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
    [ "${st%% *}" != Z ]
}

# gone ID NAME: nothing of the container is left, and its name is free
gone() {
    local id=$1 name=$2 d=$BATS_TEST_TMPDIR
    [ ! -e "$d/root/libpod/containers/$id" ] || { echo "# record of $id left"; return 1; }
    [ ! -e "$d/root/containers/$id" ] || { echo "# storage of $id left"; return 1; }
    [ ! -e "$d/root/libpod/userdata/$id" ] || { echo "# bundle of $id left"; return 1; }
    [ ! -e "$d/root/libpod/names/$name" ] || { echo "# name $name left"; return 1; }
    [ -z "$(ls "$d/scratch/locks")" ] || { echo "# locks left: $(ls "$d/scratch/locks")"; return 1; }
    ! grep "$d/root" /proc/self/mounts || { echo "# mounts left"; return 1; }
    retry_until 5 bash -c "! pgrep -f '[c]onmon.*$id' >/dev/null" || { echo "# conmon of $id left"; return 1; }
    ! runc state "$id" >/dev/null 2>&1 || { echo "# runc still knows $id"; return 1; }
}

@test "rm -f removes a created container whatever its record says" {
    for how in config:empty config:truncated config:garbage config:future config:nolock \
               config:strlock config:neglock config:freelock config:cmistyped \
               state:empty state:truncated state:garbage state:future state:mistyped; do
        id=$(b create --name victim --network none $IMG sleep 100)
        damage "$(rec $id ${how%%:*})" "${how#*:}"
        run -0 --separate-stderr b rm -f victim
        [ "$output" = victim ] || { echo "# $how: $output $stderr"; false; }
        gone $id victim || { echo "# after $how"; false; }
    done
}

@test "rm -f stops and removes a running container whatever its record says" {
    for how in config:garbage config:freelock state:garbage state:future state:mistyped; do
        id=$(b run -d --name victim --network none $IMG sleep 100)
        pid=$(jq .pid "$(rec $id state)")
        damage "$(rec $id ${how%%:*})" "${how#*:}"
        run -0 --separate-stderr b rm -f -t 0 victim
        [ "$output" = victim ] || { echo "# $how: $output $stderr"; false; }
        [[ $stderr == *"record is damaged"* ]]
        gone $id victim || { echo "# after $how"; false; }
        ! running $pid || false
    done
}

@test "rm -af removes damaged containers with the others" {
    for n in a b c d e; do b create --name $n --network none $IMG true >/dev/null; done
    damage "$(rec $(b inspect --format '{{.Id}}' a) config)" garbage
    damage "$(rec $(b inspect --format '{{.Id}}' b) state)" truncated
    damage "$(rec $(b inspect --format '{{.Id}}' c) config)" future
    damage "$(rec $(b inspect --format '{{.Id}}' d) config)" freelock
    run -0 b rm -af
    [ "${#lines[@]}" -ge 5 ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/names")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/scratch/locks")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/containers")" ]
    run -0 b rmi $IMG
}

@test "a damaged record: ps lists it with the reason, inspect says it, rm without -f refuses a live one" {
    id=$(b run -d --name victim --network none $IMG sleep 100)
    damage "$(rec $id state)" garbage
    run -0 b ps -a --format '{{.Names}} {{.Status}}'
    [ "$output" = "victim Error: state.json:1:3: invalid JSON: '[' or '{' expected near 'not'" ]
    run -0 b ps -a --filter name=victim --format '{{.ID}}'
    [ "$output" = "${id:0:12}" ]
    run -0 b ps -a --filter status=running --format '{{.ID}}'
    [ -z "$output" ]
    # the evidence decides its state: the runtime runs it
    run -0 b inspect --format '{{.State.Status}} {{.State.Pid}} | {{.State.Error}}' victim
    [[ $output == "running "[1-9]*" | state.json:1:3: invalid JSON"* ]]
    # what needs a sound record says why it cannot go on
    run -125 b stop victim
    [[ $output == *"container $id: "*"state.json"* ]]
    run -2 b rm victim
    [[ $output == *"cannot remove container $id as it is running"* ]]
    run -0 b rm -f -t 0 victim
    gone $id victim
}

@test "ps -a during concurrent rm -f shows no phantom rows" {
    for i in $(seq 60); do echo p$i; done |
        xargs -P4 -I{} "$BERTH_BIN" "${BERTH_ARGS[@]}" create --name {} --network none $IMG true >/dev/null
    ( for i in $(seq 60); do echo p$i; done |
        xargs -P4 -n3 "$BERTH_BIN" "${BERTH_ARGS[@]}" rm -f >/dev/null 2>&1 ) &
    rmp=$!
    n=0
    while kill -0 $rmp 2>/dev/null || [ $n -eq 0 ]; do
        run -0 b ps -a --format '{{.Names}} {{.State}}'
        for l in "${lines[@]}"; do
            [[ $l =~ ^p[0-9]+\ (Created|Removing)$ ]] || { echo "# phantom row: $l"; false; }
        done
        n=$((n + 1))
    done
    wait $rmp
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
}

# ---- the kill -9 windows of issue 20 ----

@test "a create killed before its record leaves no name; after its record, the next command finishes it" {
    crash create:locked create --name early --network none $IMG true
    run -0 b create --name early --network none $IMG true     # the name was never taken
    crash create:record create --name mid --network none $IMG true
    crash create:storage create --name late --network none $IMG true
    # visible, and whole once touched
    run -0 b ps -a --format '{{.Names}} {{.Status}}' --sort names
    [ "$output" = $'early Created\nlate Created\nmid Created' ]
    run -0 b start -a mid
    # rm -af removes every one of them with its storage; nothing holds the image
    run -0 b rm -af
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/containers")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/scratch/locks")" ]
    run -0 b rmi $IMG
}

@test "a create killed after its record whose image is gone meanwhile is removed by the next command" {
    crash create:record create --name orphan --network none $IMG true
    id=$(jq -r .id "$BATS_TEST_TMPDIR"/root/libpod/containers/*/config.json)
    # the image goes (rmi finds no root file system that uses it)
    run -0 b rmi $IMG
    run -125 b start orphan
    [[ $output == *"cannot be finished"*"no such container" ]]
    gone $id orphan
}

# create writes state.json once: its "create" intent stays until the next
# write, and the root file system in the store says that it finished
@test "a finished create's intent is cleared by the next write; ps, inspect and events see a created container" {
    local id st ino
    id=$(b create --name done1 --network none $IMG echo done)
    st=$(rec $id state)
    run -0 jq -r .intent "$st"
    [ "$output" = create ]
    ino=$(stat -c %i "$st")
    run -0 b ps -a --format '{{.Names}} {{.Status}}'
    [ "$output" = "done1 Created" ]
    # the next command that takes the lock finds the root file system:
    # nothing to finish, nothing written, no second create event
    run -0 b container inspect --format '{{.State.Status}}' done1
    [ "$output" = created ]
    [ "$(stat -c %i "$st")" = "$ino" ]
    run -0 b events --stream=false --filter event=create --format '{{.Name}}'
    [ "$output" = done1 ]
    run -0 --separate-stderr b start -a done1
    [ "$output" = done ]
    run -0 jq -r .intent "$st"
    [ "$output" = null ]
    run -0 b rm done1
    gone $id done1
}

@test "a create killed after its root file system: the next commands find it whole" {
    local id
    crash create:storage create --name late2 --network none $IMG echo late
    id=$(jq -r .id "$BATS_TEST_TMPDIR"/root/libpod/containers/*/config.json)
    [ -d "$BATS_TEST_TMPDIR/root/containers/$id" ]
    run -0 b ps -a --format '{{.Names}} {{.Status}}'
    [ "$output" = "late2 Created" ]
    run -0 --separate-stderr b start -a late2
    [ "$output" = late ]
    run -0 b rm late2
    gone $id late2
}

@test "a run -d killed with conmon and runc init alive: the first start works" {
    crash init:created run -d --name killed --network none $IMG sleep 100
    id=$(b ps -aq --no-trunc)     # not inspect: it would finish the job
    # what it left runs
    pgrep -f "[c]onmon.*$id" >/dev/null
    run -0 b ps -a --format '{{.Status}}'
    [ "$output" = Created ]
    run -0 b start killed
    run -0 b inspect --format '{{.State.Status}} {{.State.Running}}' killed
    [ "$output" = "running true" ]
    [ "$(pgrep -fc "[c]onmon.*$id")" = 1 ]
    run -0 b rm -f -t 0 killed
    gone $id killed
}

@test "a run -d killed after the runtime started it: running with its pid, start is a no-op" {
    crash start:started run -d --name killed --network none $IMG sleep 100
    run -0 b ps -a --format '{{.Status}}'
    [[ $output == "Up "* ]]
    run -0 b inspect --format '{{.State.Status}} {{.State.Running}} {{.State.Pid}}' killed
    [[ $output == "running true "[1-9]* ]]
    running "${output##* }"
    run -0 b start killed
    run -0 b stop -t 0 killed
    run -0 b inspect --format '{{.State.Status}}' killed
    [ "$output" = exited ]
}

@test "a run -d killed before runtime start: initialized, and start runs it" {
    crash start:intent run -d --name killed --network none $IMG sleep 100
    run -0 b ps -a --format '{{.Status}}'
    [ "$output" = Initialized ]
    run -0 b start killed
    run -0 b inspect --format '{{.State.Status}}' killed
    [ "$output" = running ]
}

@test "a stop -t 5 or rm -f killed while waiting: running again, not stopping forever" {
    for cmd in "stop -t 5" "rm -f -t 5"; do
        b run -d --name slow --network none $IMG sh -c 'trap "" TERM; sleep 100' >/dev/null
        crash stop:stopping $cmd slow
        run -0 b inspect --format '{{.State.Status}} {{.State.Pid}}' slow
        [[ $output == "running "[1-9]* ]]
        running "${output##* }"
        run -0 b ps -a --format '{{.Status}}'
        [[ $output == "Up "* ]]
        # the next stop and rm -f work
        run -0 b stop -t 0 slow
        run -0 b rm slow
    done
}

@test "a rm -f killed midway is finished by the next rm -f" {
    for point in rm:removing rm:storage; do
        id=$(b run -d --name half --network none $IMG sleep 100)
        crash $point rm -f -t 0 half
        run -0 b ps -a --format '{{.Names}} {{.Status}}'
        [ "$output" = "half Removing" ]
        run -0 b rm -f half
        gone $id half
    done
}

@test "rm -f of its id removes a root file system that no record names, as podman does" {
    # what an older berth's killed create left: storage, no record
    id=$(b create --name orphan --network none $IMG true)
    rm -rf "$BATS_TEST_TMPDIR/root/libpod/containers/$id" "$BATS_TEST_TMPDIR/root/libpod/names/orphan"
    run -0 b ps -a --external --format '{{.ID}} {{.Status}}'
    [ "$output" = "${id:0:12} Storage" ]
    run -2 b rmi $IMG
    # without --force it is no container; with it, the store's one goes
    run -1 b rm ${id:0:12}
    [[ $output == *"no container with name or ID \"${id:0:12}\" found: no such container" ]]
    run -0 --separate-stderr b rm -f ${id:0:12}
    [ "$output" = "${id:0:12}" ]
    [ ! -e "$BATS_TEST_TMPDIR/root/containers/$id" ]
    run -0 b ps -a --external --format '{{.ID}}'
    [ -z "$output" ]
    # a container with a record is never taken for one
    keep=$(b create --name keep --network none $IMG true)
    run -0 b rm -f ${keep:0:12}
    run -1 b container exists keep
    run -0 b rmi $IMG
}

# ---- mounts and leftovers in the store's trees (util/mounts.h) ----

@test "a mount left in a container's storage (a kill while its idmapped layers were mounted) is detached, never removed through" {
    id=$(b create --name lm --network none $IMG true)
    layer=$(ls -d "$BATS_TEST_TMPDIR"/root/layers/*/diff | head -1)
    before=$(find "$layer" | wc -l)
    # what a kill between the idmapped layer mounts and their drop
    # leaves: a bind mount of the image's layer (same file system, same
    # device number) inside the container's storage dir
    mkdir -p "$BATS_TEST_TMPDIR/root/containers/$id/idmap/0"
    mount --bind "$layer" "$BATS_TEST_TMPDIR/root/containers/$id/idmap/0"
    run -0 b rm lm
    [ "$(find "$layer" | wc -l)" = "$before" ]
    gone $id lm
    run -0 b run --rm --network none $IMG true
}

@test "a storage leftover that will not go is said, and stops no writer of the store" {
    run -0 b images -q      # the store exists
    left=$BATS_TEST_TMPDIR/root/tmp/del-00000000beef
    mkdir -p "$left/m"
    touch "$left/f"
    chattr +i "$left/f" || skip "no immutable files on this file system"
    mount -t tmpfs tmpfs "$left/m"
    run -0 --separate-stderr b create --name w1 --network none $IMG true
    [[ $stderr == *"storage leftover $left is left: "*"remove f: operation not permitted"* ]]
    # said once, however often the command locks the store
    [ "$(grep -c 'storage leftover' <<<"$stderr")" = 1 ]
    # its mount was detached all the same, and the next writer finishes
    ! grep -q "$left" /proc/self/mounts || false
    chattr -i "$left/f"
    run -0 --separate-stderr b create --name w2 --network none $IMG true
    [ -z "$stderr" ]
    [ ! -e "$left" ]
    run -0 b ps -a --format '{{.Names}}'
    [ "$output" = $'w1\nw2' ] || [ "$output" = $'w2\nw1' ]
}

# ---- power loss: a container's state.json is not synced (state/record.c) ----

# reboot ID...: what a power loss leaves of this boot (no conmon of these
# containers, no mount, a new boot id); the next command refreshes. The
# tests stop their containers' processes first: a broad pkill would hit
# other test runs on the machine.
reboot() {
    local id
    for id in "$@"; do pkill -9 -f "[c]onmon.*$id" || true; done
    awk -v d="$BATS_TEST_TMPDIR" '$2 ~ "^"d {print $2}' /proc/self/mounts | sort -r | xargs -r umount -l
    echo 00000000-dead-beef-0000-000000000000 > "$BATS_TEST_TMPDIR/scratch/alive"
    rm -rf "$BATS_TEST_TMPDIR/scratch/exits" "$BATS_TEST_TMPDIR/runroot"
}

@test "a state.json a power loss left missing, empty or torn is rebuilt from the config by the next boot" {
    for how in missing empty truncated garbage; do
        id=$(b create --name lost --network none $IMG sh -c 'echo ran; exit 3')
        case $how in
        missing) rm "$(rec $id state)" ;;
        *) damage "$(rec $id state)" $how ;;
        esac
        # this boot: a damaged record, as any
        run -0 b ps -a --format '{{.Names}} {{.Status}}'
        [[ $output == "lost Error"* ]] || { echo "# $how: $output"; false; }
        reboot $id
        run -0 --separate-stderr b ps -a --format '{{.Names}} {{.Status}}'
        [ "$output" = "lost Created" ] || { echo "# $how: $output"; false; }
        [[ $stderr == *"container $id: its state was lost"*"rebuilt from its config"* ]]
        jq -e '.state == 1 and .view.name == "lost"' "$(rec $id state)" >/dev/null
        run -3 b start -a lost
        [ "$output" = ran ]
        run -0 b rm lost
        gone $id lost
    done
}

# the same in one boot: create's own state.json keeps its intent until
# the next write, and the next command makes what went missing
@test "after a power loss the rebuilt state finishes the create: a lost root file system is made again" {
    for how in reboot sameboot; do
        id=$(b create --name bare --network none $IMG echo made)
        if [ $how = reboot ]; then
            rm "$(rec $id state)"
            rm -rf "$BATS_TEST_TMPDIR/root/containers/$id"
            reboot $id
        else
            rm -rf "$BATS_TEST_TMPDIR/root/containers/$id"
        fi
        run -0 --separate-stderr b start -a bare
        [ "$output" = made ] || { echo "# $how: $output"; false; }
        [ -d "$BATS_TEST_TMPDIR/root/containers/$id" ]
        run -0 b rm bare
        gone $id bare
    done
}

# create does not sync the root file system's storage record nor its
# directory (storage/containers.c): a power loss may take either
@test "a root file system or its storage record a power loss took or tore is made whole by the next boot" {
    local f want
    for how in gone missing empty truncated garbage; do
        id=$(b create --name lostfs --network none $IMG sh -c 'cat /kept 2>/dev/null; echo kept > /kept')
        run -0 b start -a lostfs
        [ "$output" = "" ]
        reboot $id
        f=$BATS_TEST_TMPDIR/root/containers/$id/rootfs.json
        case $how in
        gone) rm -rf "${f%/*}" ;;
        missing) rm "$f" ;;
        *) damage "$f" $how ;;
        esac
        run -0 --separate-stderr b ps -a --format '{{.Names}} {{.Status}}'
        [[ $output == "lostfs Exited (0)"* ]] || { echo "# $how: $output"; false; }
        [[ $stderr == *"container $id: its root file system or its record was lost"*"made again from its image"* ]] ||
            { echo "# $how: $stderr"; false; }
        jq -e --arg id $id '.id == $id and (.top_layer | length) == 64' "$f" >/dev/null
        # the container's own changes are kept unless its directory went
        want=kept; [ $how = gone ] && want=""
        run -0 b start -a lostfs
        [ "$output" = "$want" ] || { echo "# $how: $output"; false; }
        run -0 b rm lostfs
        gone $id lostfs
    done
}

# a container's record is renamed into place before its sync (one journal
# commit, state/record.c): a power loss in between may leave config.json
# empty or torn while the state says "create" or is lost too
@test "a create a power loss cut between its record's rename and its sync is removed by the next boot" {
    local d keep
    keep=$(b create --name keep --network none $IMG true)
    # STATE:CONFIG, what the power loss left of each
    for how in intent:empty intent:truncated empty:garbage missing:empty; do
        id=$(b create --name half --network none $IMG true)
        d=$BATS_TEST_TMPDIR/root/libpod/containers/$id
        case ${how%:*} in
        # cut before its sync, the create never made its root file system
        intent) jq -c '.intent = "create"' "$d/state.json" > "$d/s" && mv "$d/s" "$d/state.json"
                rm -rf "$BATS_TEST_TMPDIR/root/containers/$id" ;;
        empty) : > "$d/state.json" ;;
        missing) rm "$d/state.json" ;;
        esac
        damage "$d/config.json" "${how#*:}"
        reboot $id
        run -0 --separate-stderr b ps -a --format '{{.Names}} {{.Status}}'
        [ "$output" = "keep Created" ] || { echo "# $how: $output"; false; }
        [[ $stderr == *"container $id: its create did not finish before a power loss: removing what it left"* ]] ||
            { echo "# $how: $stderr"; false; }
        [ ! -e "$d" ] && [ ! -e "$BATS_TEST_TMPDIR/root/containers/$id" ] || false
        # its name is free again
        id=$(b create --name half --network none $IMG true)
        run -0 b rm half
    done
    # a torn config.json with a finished create's state stays a damaged
    # record (rm -f removes it), not removed behind the user's back
    id=$(b create --name torn --network none $IMG true)
    damage "$(rec $id config)" truncated
    reboot $id
    run -0 --separate-stderr b ps -a --format '{{.Names}} {{.Status}}'
    [[ $stderr != *"did not finish"* ]]
    [ -e "$BATS_TEST_TMPDIR/root/libpod/containers/$id" ]
    run -0 b rm -f $id
    run -0 b rm keep
}

# pod create writes its infra's root file system without a sync
# (ctr_create): the next boot makes again one a power loss took or tore.
@test "a pod infra's root file system a power loss took or tore is made again by the next boot" {
    for how in missing norecord empty garbage; do
        id=$(b pod create --network none --name lostfs)
        infra=$(b pod inspect --format '{{.InfraContainerID}}' lostfs)
        fs=$BATS_TEST_TMPDIR/root/containers/$infra
        [ -f "$fs/rootfs.json" ]
        case $how in
        missing) rm -rf "$fs" ;;
        norecord) rm "$fs/rootfs.json" ;;
        *) damage "$fs/rootfs.json" $how ;;
        esac
        reboot $infra
        run -0 --separate-stderr b pod ps --format '{{.Name}} {{.Status}}'
        [ "$output" = "lostfs Created" ] || { echo "# $how: $output"; false; }
        [[ $stderr == *"container $infra: its root file system or its record was lost"*"made again"* ]] ||
            { echo "# $how: $stderr"; false; }
        jq -e --arg i "$infra" '.id == $i' "$fs/rootfs.json" >/dev/null
        run -0 b system check
        run -0 b pod start lostfs
        run -0 b pod inspect --format '{{.State}}' lostfs
        [ "$output" = Running ]
        run -0 b pod rm -f -t 0 lostfs
        # the pods' lock directory stays, empty
        rmdir "$BATS_TEST_TMPDIR/scratch/locks/pods"
        gone $infra "${id:0:12}-infra"
    done
}

# A pod's member index (pods/<id>/members/, state/members.c) is not
# synced: the next boot adds again what a power loss took, and a pod
# without one (an older berth's) is read from every container record.
@test "a pod's member index a power loss took is made again by the next boot; a pod without one still works" {
    id=$(b pod create --network none --name idx)
    m1=$(b create --pod idx --name m1 $IMG true)
    m2=$(b create --pod idx --name m2 $IMG true)
    idx=$BATS_TEST_TMPDIR/root/libpod/pods/$id/members
    [ -f "$idx/$m1" ] && [ -f "$idx/$m2" ] || false
    rm "$idx/$m1"
    reboot "$(b pod inspect --format '{{.InfraContainerID}}' idx)"
    run -0 b pod ps --format '{{.Name}} {{.NumberOfContainers}}'
    [ "$output" = "idx 3" ]
    [ -f "$idx/$m1" ]
    # an entry whose record is gone (a killed rm) is skipped
    touch "$idx/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    run -0 b pod inspect --format '{{.NumContainers}}' idx
    [ "$output" = 3 ]
    # no index at all: every record is read
    rm -rf "$idx"
    run -0 b pod inspect --format '{{.NumContainers}}' idx
    [ "$output" = 3 ]
    run -0 b pod rm -f -t 0 idx
    rmdir "$BATS_TEST_TMPDIR/scratch/locks/pods"
    gone $m1 m1
    gone $m2 m2
    [ ! -e "$BATS_TEST_TMPDIR/root/libpod/pods/$id" ]
}

@test "a stale state.json a power loss brought back (the last transitions lost) is reset by the next boot" {
    # the state of create (its intent still set) and of a running container
    id=$(b create --name old --network none $IMG sh -c 'echo ran; exit 3')
    cp "$(rec $id state)" "$BATS_TEST_TMPDIR/old.json"
    run -3 b start -a old
    up=$(b run -d --name up --network none $IMG sleep 100)
    cp "$(rec $up state)" "$BATS_TEST_TMPDIR/up.json"
    run -0 b stop -t 0 up
    # conmon's exit commands (container cleanup) write their state first
    retry_until 10 bash -c "! pgrep -f '[ ]$id|[ ]$up' >/dev/null"
    cp "$BATS_TEST_TMPDIR/old.json" "$(rec $id state)"
    cp "$BATS_TEST_TMPDIR/up.json" "$(rec $up state)"
    reboot $id $up
    run -0 b ps -a --format '{{.Names}} {{.Status}}' --sort names
    [ "$output" = $'old Created\nup Created' ]
    run -3 b start -a old
    [ "$output" = ran ]
    run -0 b start up
    run -0 b ps --format '{{.Names}} {{.Status}}'
    [[ $output == "up Up "* ]]
    run -0 b rm -f -t 0 up
    run -0 b rm old
    gone $id old
    gone $up up
}

@test "a pod's state.json a power loss left missing or torn is written anew by the next boot" {
    for how in missing empty garbage; do
        id=$(b pod create --network none --name lostpod)
        f=$BATS_TEST_TMPDIR/root/libpod/pods/$id/state.json
        case $how in
        missing) rm "$f" ;;
        *) damage "$f" $how ;;
        esac
        reboot "$(b pod inspect --format '{{.InfraContainerID}}' lostpod)"
        run -0 --separate-stderr b pod ps --format '{{.Name}} {{.Status}}'
        [ "$output" = "lostpod Created" ] || { echo "# $how: $output"; false; }
        [[ $stderr == *"pod $id: its state record was lost"* ]] || { echo "# $how: $stderr"; false; }
        jq -e 'type == "object"' "$f" >/dev/null
        run -0 b pod rm lostpod
        [ ! -e "$BATS_TEST_TMPDIR/root/libpod/pods/$id" ]
    done
}
