# test/bats/pod_userns.bats: the pod create flags that shape every
# member: --userns/--uidmap/--gidmap (the infra's user namespace, which
# the members join with its maps), --shm-size (the infra's /dev/shm,
# which members sharing its IPC namespace use) and --device (every
# member gets the devices), with podman's errors. Pods use --network none.
load helpers
load ctr_helpers

setup() {
    ctr_setup
    mapped_root_through
}
teardown() {
    b pod rm -a -f -t 0 >/dev/null 2>&1 || true
    berth_teardown
}

userns_of() { readlink "/proc/$(b inspect --format '{{.State.Pid}}' "$1")/ns/user"; }

@test "pod create --uidmap: members join the infra's user namespace with its maps" {
    b pod create --name pu --network none --uidmap 0:100000:65536 >/dev/null
    b run -d --pod pu --name m1 $IMG sleep 86400 >/dev/null
    run -0 b exec m1 cat /proc/self/uid_map
    [ "$(tr -s ' ' <<<"$output" | sed 's/^ //')" = "0 100000 65536" ]
    run -0 b exec m1 cat /proc/self/gid_map
    [ "$(tr -s ' ' <<<"$output" | sed 's/^ //')" = "0 100000 65536" ]
    infra=$(b pod inspect --format '{{.InfraContainerID}}' pu)
    [ "$(userns_of m1)" = "$(userns_of "$infra")" ]
    [ "$(userns_of m1)" != "$(readlink /proc/self/ns/user)" ]
    [ "$(b inspect --format '{{.HostConfig.UsernsMode}}' m1)" = "container:$infra" ]
    # the member's root file system belongs to the mapped root
    run -0 b exec m1 stat -c %u /bin
    [ "$output" = 0 ]
    [ "$(stat -c %u "$(b inspect --format '{{.GraphDriver.Data.MergedDir}}' m1)/bin")" = 100000 ]
}

@test "pod create --userns: a member's own --userns wins; a pod without one leaves members alone" {
    b pod create --name pn --network none >/dev/null
    b run -d --pod pn --name plain $IMG sleep 86400 >/dev/null
    [ "$(userns_of plain)" = "$(readlink /proc/self/ns/user)" ]
    b pod create --name pp --network none --uidmap 0:200000:1000 >/dev/null
    b run -d --pod pp --name own --userns host $IMG sleep 86400 >/dev/null
    [ "$(userns_of own)" = "$(readlink /proc/self/ns/user)" ]
}

@test "pod create --shm-size: the members sharing its IPC namespace use the infra's /dev/shm" {
    b pod create --name ps --network none --shm-size 1m >/dev/null
    b run -d --pod ps --name w $IMG sh -c 'echo shared > /dev/shm/f; echo ready; sleep 86400' >/dev/null
    wait_for_log w ready
    run -0 b run --rm --pod ps $IMG sh -c 'df -k /dev/shm | tail -1; cat /dev/shm/f'
    [[ ${lines[0]} =~ ^shm\ +1024\  ]]
    [ "${lines[1]}" = shared ]
    infra=$(b pod inspect --format '{{.InfraContainerID}}' ps)
    [ "$(b inspect --format '{{.HostConfig.ShmSize}}' "$infra")" = 1048576 ]
}

@test "pod create --device: every member gets the pod's devices" {
    b pod create --name pd --network none --device /dev/null:/dev/mynull >/dev/null
    run -0 b run --rm --pod pd $IMG sh -c 'ls -l /dev/mynull; echo x > /dev/mynull && echo written'
    [[ ${lines[0]} == "crw-rw-rw-"*"1,   3"*"/dev/mynull" ]]
    [ "${lines[1]}" = written ]
    # with a device of its own too, once each
    run -0 b run --rm --pod pd --device /dev/zero:/dev/myzero $IMG ls /dev/mynull /dev/myzero
    [ "$output" = $'/dev/mynull\n/dev/myzero' ]
}

@test "pod create: bad --userns, --shm-size, --device: podman's words, nothing made" {
    run -125 b pod create --name pb --userns bogus
    [ "$output" = "Error: unrecognized namespace mode bogus passed" ]
    run -125 b pod create --name pb --shm-size x
    [ "$output" = "Error: unable to translate --shm-size: invalid size: 'x'" ]
    run -125 b pod create --name pb --device /nonexist
    [ "$output" = "Error: stat /nonexist: no such file or directory" ]
    run -0 b pod ps -q
    [ -z "$output" ]
}
