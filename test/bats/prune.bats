# test/bats/prune.bats: container prune: the question, which containers
# go (not running or paused ones), filters, errors.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

id_of() { b inspect --format '{{.Id}}' "$1"; }

@test "container prune asks, then removes created and exited containers only" {
    b create --name q1 --network none $IMG true >/dev/null
    b run --name q2 --network none $IMG true
    b run -d --name q3 --network none $IMG sleep 86400 >/dev/null
    b run -d --name q4 --network none $IMG sleep 86400 >/dev/null
    b pause q4 >/dev/null
    # the question is on stdout, as podman asks it
    run -0 --separate-stderr bash -c "echo n | '$BERTH_BIN' ${BERTH_ARGS[*]} container prune"
    [ "$output" = "WARNING! This will remove all non running containers.
Are you sure you want to continue? [y/N] " ]
    [ "$stderr" = "" ]
    run -0 b container exists q1
    i1=$(id_of q1) i2=$(id_of q2)
    run -0 bash -c "echo y | '$BERTH_BIN' ${BERTH_ARGS[*]} container prune 2>/dev/null | tail -n +2 | sed 's/^Are you sure.*\] //' | sort"
    [ "$output" = "$(printf '%s\n%s\n' "$i1" "$i2" | sort)" ]
    run -0 b ps -a --format '{{.Names}}'
    [ "$(echo "$output" | sort | tr '\n' ' ')" = "q3 q4 " ]
    grep -q '"Status":"remove"' "$BATS_TEST_TMPDIR/scratch/events/events.log"
    run -0 b container prune -f
    [ "$output" = "" ]
}

@test "container prune --filter label, label!, until" {
    b create --name l1 --network none --label tmp --label team=a $IMG true >/dev/null
    b create --name l2 --network none --label team=b $IMG true >/dev/null
    b create --name l3 --network none $IMG true >/dev/null
    i1=$(id_of l1) i2=$(id_of l2) i3=$(id_of l3)
    run -0 b container prune -f --filter label=team=a --filter label=tmp
    [ "$output" = "$i1" ]
    run -0 b container prune -f --filter until=1h
    [ "$output" = "" ]
    run -0 b container prune -f --filter label!=team --filter until=2000-01-01T00:00:00Z
    [ "$output" = "" ]
    run -0 b container prune -f --filter label=team
    [ "$output" = "$i2" ]
    run -0 b container prune -f --filter until=0s
    [ "$output" = "$i3" ]
    run -1 b container exists l3
}

@test "container prune errors: podman's words, exit 125" {
    b create --name e1 --network none $IMG true >/dev/null
    run -125 --separate-stderr b container prune -f --filter bogus=1
    [ "$stderr" = "Error: bogus is an invalid filter" ]
    run -125 --separate-stderr b container prune -f --filter until=yesterday
    [ "$stderr" = 'Error: failed to parse value as time or duration: "yesterday"' ]
    run -125 --separate-stderr b container prune -f extra
    [[ $stderr == *"takes no arguments"* ]]
    run -0 b container exists e1
}

# podman reads the answer with bufio's ReadString('\n'): stdin that ends
# before a whole line is "Error: EOF" (125) and nothing goes, even after
# a "y"; an empty line is a quiet no
@test "every prune: stdin at its end is podman's Error: EOF, nothing removed" {
    b create --name q1 --network none $IMG true >/dev/null
    b volume create pv >/dev/null
    b network create pn >/dev/null
    b pod create --network none --name pp >/dev/null
    local cmd imgs
    imgs=$(b images -q | sort)
    for cmd in "container prune" "image prune" "image prune -a" "volume prune" "network prune" \
               "pod prune" "system prune" "system prune -a --volumes"; do
        run -125 --separate-stderr b $cmd </dev/null
        [ "$stderr" = "Error: EOF" ] || { echo "# $cmd: $stderr"; false; }
        [[ $output == *"Are you sure you want to continue? [y/N] " ]]
        run -125 --separate-stderr bash -c "printf y | '$BERTH_BIN' ${BERTH_ARGS[*]} $cmd"
        [ "$stderr" = "Error: EOF" ] || { echo "# $cmd after y: $stderr"; false; }
        run -0 --separate-stderr bash -c "echo | '$BERTH_BIN' ${BERTH_ARGS[*]} $cmd"
        [[ $output == *"Are you sure you want to continue? [y/N] " ]]
        [ "$stderr" = "" ]
    done
    run -0 b container exists q1
    run -0 b volume exists pv
    run -0 b network exists pn
    run -0 b pod exists pp
    [ "$(b images -q | sort)" = "$imgs" ]
}

# The images' users are counted from one sorted list of the containers'
# image ids (store_ctr_images): it was sorted by the bytes of the pointers,
# so with several containers the counts came out 0 now and then, and
# system prune -a tried to remove images in use (exit 2).
@test "images counts every container's image; system prune -a keeps the images in use" {
    load_image confd
    local i
    for i in 1 2 3; do b create --name u$i --network none $IMG true >/dev/null; done
    b create --name c1 --network none localhost/confd true >/dev/null
    b run -d --name r1 --network none $IMG sleep 86400 >/dev/null
    # the addresses the strings land at differ from run to run
    for i in 1 2 3 4 5 6 7 8; do
        run -0 b images --format '{{.Repository}} {{.Containers}}' --sort repository
        [ "$output" = "$(printf 'localhost/busybox 4\nlocalhost/confd 1')" ]
    done
    # the created ones go first, then confd; busybox stays with r1
    run -0 --separate-stderr b system prune -a -f
    [ "$stderr" = "" ]
    run -0 b images --format '{{.Repository}} {{.Containers}}'
    [ "$output" = "localhost/busybox 1" ]
    b rm -af -t 0 >/dev/null
}
