#!/usr/bin/env bats
# test/bats/idindex.bats: the id prefix index (state/idindex.c,
# ids/<kind>/<xx>/<id>): short ids resolve as podman's do (name first,
# any unique prefix, podman's error for an ambiguous one), and whatever
# a crash or a damaged index leaves, the answer stays right: a stale entry
# never resolves, a missing one is found by the listing and put back, a
# missing index is built; refresh rebuilds it; system check reports and
# repairs it.

load helpers
load ctr_helpers
load crash_helpers

setup() { ctr_setup; }
teardown() { berth_teardown; }

idx() { echo "$BATS_TEST_TMPDIR/root/libpod/ids/containers"; }
entry() { echo "$(idx)/${1:0:2}/$1"; }

# two_sharing: creates containers until two ids share their first two
# digits; prints those two ids
two_sharing() {
    local -A seen
    local id n
    for n in $(seq 80); do
        id=$(b create --network none $IMG true) || return 1
        if [ -n "${seen[${id:0:2}]:-}" ]; then
            echo "${seen[${id:0:2}]} $id"
            return 0
        fi
        seen[${id:0:2}]=$id
    done
    echo "# no two of 80 ids share two digits"; return 1
}

@test "short ids: the index answers, ambiguous prefixes give podman's error, a name comes first" {
    read -r a c < <(two_sharing)
    [ -f "$(entry "$a")" ] && [ -f "$(entry "$c")" ] || false
    run -0 b container inspect --format '{{.Id}}' "${a:0:12}"
    [ "$output" = "$a" ]
    run -0 b inspect --format '{{.Id}}' "${c:0:12}"
    [ "$output" = "$c" ]
    run -0 b container inspect --format '{{.Id}}' "$c"
    [ "$output" = "$c" ]
    # the shared prefix: podman 4.3.1's words, for every lookup kind
    run -125 --separate-stderr b container inspect "${a:0:2}"
    [[ $stderr == *"more than one result for container ID ${a:0:2}: container already exists" ]]
    run -125 --separate-stderr b rm "${a:0:2}"
    [ "$stderr" = "Error: more than one result for container ID ${a:0:2}: container already exists" ]
    # a one-digit prefix is below a bucket: the listing answers it
    run -125 --separate-stderr b container inspect "${a:0:1}"
    [[ $stderr == *"more than one result for container ID ${a:0:1}"* ]]
    # a name that is also a prefix (even an ambiguous one) is the name
    n=$(b create --name "${a:0:2}" --network none $IMG true)
    run -0 b container inspect --format '{{.Id}}' "${a:0:2}"
    [ "$output" = "$n" ]
    m=$(b create --name "${c:0:12}" --network none $IMG true)
    run -0 b container inspect --format '{{.Id}}' "${c:0:12}"
    [ "$output" = "$m" ]
    # removed containers never resolve, and take their entries with them
    run -0 b rm "$a"
    [ ! -e "$(entry "$a")" ]
    run -125 --separate-stderr b container inspect "${a:0:12}"
    [[ $stderr == *"no such container ${a:0:12}"* ]]
    run -0 b container inspect --format '{{.Id}}' "${c:0:3}"
    [ "$output" = "$c" ]
}

@test "a stale entry never resolves; a missing one is found and put back" {
    id=$(b create --network none $IMG true)
    run -0 b rm "$id"
    mkdir -p "$(dirname "$(entry "$id")")" && : >"$(entry "$id")"
    run -125 --separate-stderr b container inspect "${id:0:12}"
    [[ $stderr == *"no such container ${id:0:12}"* ]]
    run -1 b container exists "${id:0:12}"
    # a missing entry: the listing finds the container and repairs the index
    id2=$(b create --network none $IMG true)
    rm "$(entry "$id2")"
    run -0 b container inspect --format '{{.Id}}' "${id2:0:12}"
    [ "$output" = "$id2" ]
    [ -f "$(entry "$id2")" ]
    # the whole index gone (a store of an older berth): the first prefix
    # lookup builds it, with every container in it
    id3=$(b create --network none $IMG true)
    rm -rf "$(idx)"
    run -0 b start "${id3:0:12}"
    [ -f "$(entry "$id2")" ] && [ -f "$(entry "$id3")" ] || false
    [ ! -e "$(entry "$id")" ]
}

@test "crash points of create and rm: the index never gives a wrong answer" {
    # create killed with its entry made and its record not published
    bg_crash state:indexed create --name half --network none $IMG true
    wait $! || true
    run -0 b ps -aq --no-trunc
    [ -z "$output" ]
    [ "$(ls "$(idx)"/*/ | grep -c .)" = 1 ]
    half=$(basename "$(ls -d "$(idx)"/*/* | head -1)")
    run -125 b container inspect "${half:0:12}"
    # the name was released; a create of it now works
    id=$(b create --name half --network none $IMG true)
    run -0 b container inspect --format '{{.Id}}' "${id:0:12}"
    [ "$output" = "$id" ]
    # rm killed with the record renamed away and the entry left
    bg_crash state:deleted rm "$id"
    wait $! || true
    [ -f "$(entry "$id")" ]
    run -125 --separate-stderr b container inspect "${id:0:12}"
    [[ $stderr == *"no such container ${id:0:12}"* ]]
    run -0 b create --name half --network none $IMG true
}

@test "building the index beside a killed create's leftover does not wait for itself" {
    id=$(b create --network none $IMG true)
    bg_crash state:indexed create --name half --network none $IMG true
    wait $! || true
    ls -a "$BATS_TEST_TMPDIR/root/libpod/containers" | grep -q '^\.new-'
    rm -rf "$(idx)"
    # the listing finds id and builds the index, the leftover still there
    run -0 timeout 60 "$BERTH_BIN" "${BERTH_ARGS[@]}" container inspect --format '{{.Id}}' "${id:0:12}"
    [ "$output" = "$id" ]
    [ -f "$(entry "$id")" ]
    run -0 b create --name half --network none $IMG true
}

@test "refresh rebuilds the index; system check reports and repairs it" {
    a=$(b create --network none $IMG true)
    c=$(b create --network none $IMG true)
    gone=$(b create --network none $IMG true)
    run -0 b rm "$gone"
    rm "$(entry "$a")"
    : >"$(entry "$c")x"
    mkdir -p "$(dirname "$(entry "$gone")")" && : >"$(entry "$gone")"
    # a fresh stale entry may be a create under way: not reported yet
    run -1 b system check
    [[ $output == *"id index ${c:0:2}/${c}x: not an entry of the container id index"* ]]
    [[ $output == *"id index $a: missing from the id index"* ]]
    [[ $output != *"$gone"* ]]
    [[ ${lines[-1]} == "2 problems found, 0 repaired, 2 left;"* ]]
    touch -d '2 minutes ago' "$(entry "$gone")"
    run -1 b system check
    [[ $output == *"id index ${gone:0:2}/$gone: container id index entry for container ${gone:0:12}, which does not exist"* ]]
    run -0 b system check --repair
    [ "${lines[-1]}" = "3 problems found, 3 repaired, 0 left" ]
    [ -f "$(entry "$a")" ] && [ ! -e "$(entry "$gone")" ] && [ ! -e "$(entry "$c")x" ] || false
    run -0 b system check
    [ "$output" = "No problems found" ]
    # a reboot's refresh (no alive file) builds the index anew
    rm "$(entry "$a")" "$(entry "$c")"
    rm "$BATS_TEST_TMPDIR/scratch/alive"
    run -0 b ps -a
    [ -f "$(entry "$a")" ] && [ -f "$(entry "$c")" ] || false
}

@test "a record quarantined by system check --repair leaves the index with it" {
    bad=$(b create --network none $IMG true)
    printf '{"trunc' >"$BATS_TEST_TMPDIR/root/libpod/containers/$bad/config.json"
    [ -f "$(entry "$bad")" ]
    run -0 b system check --repair
    [[ $output == *"container $bad: unreadable record"* ]]
    [[ $output != *"id index"* ]]
    [ ! -e "$(entry "$bad")" ]
    run -125 b container inspect "${bad:0:12}"
}

@test "pods: short ids through the index" {
    p=$(b pod create --infra=false --name pp)
    run -0 b pod inspect --format '{{.Id}}' "${p:0:12}"    # builds the pods' index
    run -0 b pod inspect --format '{{.Id}}' "${p:0:12}"
    [ "$output" = "$p" ]
    [ -f "$BATS_TEST_TMPDIR/root/libpod/ids/pods/${p:0:2}/$p" ]
    run -0 b pod rm "${p:0:12}"
    [ ! -e "$BATS_TEST_TMPDIR/root/libpod/ids/pods/${p:0:2}/$p" ]
    run -125 b pod inspect "${p:0:12}"
}
