# test/bats/pod_clone.bats: pod clone (the pod, its infra and members
# cloned, podman's names, --name/NAME, -l, --start, --destroy, errors),
# container clone --pod, and a member's own --network host|none in a pod
# that shares its network (podman 4.3.1 creates it in that network).
# Pods outside a private network namespace are made with --network none.
load helpers
load net_helpers
load ctr_helpers

setup() {
    ctr_setup
    export IMG
}
teardown() {
    b pod rm -a -f -t 0 >/dev/null 2>&1 || true
    berth_teardown
}

@test "pod clone: the pod, its infra and its members, named as podman names them" {
    pid=$(b pod create --name pc --network none -l a=b)
    b create --pod pc --name c1 $IMG sleep 86400 >/dev/null
    run -0 b pod clone pc
    [[ $output =~ ^[0-9a-f]{64}$ ]]
    cid=$output
    run -0 b pod clone --name pc2 -l x=y pc
    run -0 b pod clone pc pc3
    run -0 b pod ps --format '{{.Name}} {{.Labels}} {{.NumberOfContainers}}' --sort name
    [ "$output" = $'pc map[a:b] 2\npc-clone map[a:b] 2\npc2 map[a:b x:y] 2\npc3 map[a:b] 2' ]
    run -0 b ps -a --filter pod=pc-clone --format '{{.Names}}'
    [ "$(sort <<<"$output")" = "$(printf '%s\n' c1-clone "${pid:0:12}-infra-clone" | sort)" ]
    # the clone's infra is the new pod's; its member joins it, not the original's
    infra=$(b pod inspect --format '{{.InfraContainerID}}' pc-clone)
    [ "$(b inspect --format '{{.Id}} {{.Pod}} {{.IsInfra}}' "${pid:0:12}-infra-clone")" = "$infra $cid true" ]
    [ "$(b inspect --format '{{.Pod}} {{.HostConfig.NetworkMode}}' c1-clone)" = "$cid container:$infra" ]
    b pod start pc-clone >/dev/null
    run -0 b exec c1-clone hostname
    [ "$output" = pc-clone ]
    [ "$(netns_of c1-clone)" = "$(netns_of "${pid:0:12}-infra-clone")" ]
}

@test "pod clone --start runs the clone; --destroy removes the original, members and all" {
    b pod create --name po --network none -m 64m >/dev/null
    b run -d --pod po --name w --stop-timeout 1 $IMG sleep 86400 >/dev/null
    run -0 b pod clone --start --destroy --infra-name po2-infra po po2
    run -0 b pod ps --format '{{.Name}} {{.Status}}'
    [ "$output" = "po2 Running" ]
    run -0 b ps -a --format '{{.Names}} {{.Status}}' --sort names
    [[ $output == $'po2-infra Up '*$'\nw-clone Up '* ]]
    [ "${#lines[@]}" = 2 ]
    # the pod's limit came along: it is the clone's pod cgroup's
    cgp=$(b pod inspect --format '{{.CgroupPath}}' po2)
    [ "$(cat "/sys/fs/cgroup/memory$cgp/memory.limit_in_bytes")" = 67108864 ]
}

@test "pod clone errors: podman's words, nothing made" {
    b pod create --name pe --network none >/dev/null
    b pod create --name taken --network none >/dev/null
    run -125 b pod clone nosuch
    [ "$output" = "Error: no pod with name or ID nosuch found: no such pod" ]
    run -125 b pod clone pe taken
    [ "$output" = 'Error: adding pod to state: name "taken" is in use: pod already exists' ]
    run -125 b pod clone
    [[ $output == "Error: accepts between 1 and 2 arg(s), received 0"* ]]
    run -0 b pod ps -q
    [ "${#lines[@]}" = 2 ]
    run -0 b ps -aq
    [ "${#lines[@]}" = 2 ]
}

@test "container clone --pod: the clone joins the other pod's namespaces" {
    b create --name solo --network none $IMG sleep 86400 >/dev/null
    pid=$(b pod create --name target --network none)
    run -0 --separate-stderr b container clone --pod target solo
    [[ $stderr == *"At least one namespace was reset to the default configuration"* ]]
    infra=$(b pod inspect --format '{{.InfraContainerID}}' target)
    [ "$(b inspect --format '{{.Pod}} {{.HostConfig.NetworkMode}} {{.HostConfig.UTSMode}}' solo-clone)" = "$pid container:$infra container:$infra" ]
    # out of one pod into another
    b pod create --name other --network none >/dev/null
    run -0 b container clone --pod other solo-clone moved
    infra2=$(b pod inspect --format '{{.InfraContainerID}}' other)
    [ "$(b inspect --format '{{.HostConfig.NetworkMode}} {{.HostConfig.IpcMode}}' moved)" = "container:$infra2 container:$infra2" ]
    # its cgroup is the new pod's, as a member made there has it (the old
    # pod's, kept, was left behind by that pod's removal)
    b create --pod other --name direct --network none $IMG true >/dev/null
    [ "$(b inspect --format '{{.HostConfig.CgroupParent}}' moved)" = "$(b inspect --format '{{.HostConfig.CgroupParent}}' direct)" ]
    b start moved >/dev/null
    [ "$(b exec moved hostname)" = other ]
    run -125 b container clone --pod nosuch solo
    [ "$output" = "Error: no pod with name or ID nosuch found: no such pod" ]
}

@test "a member's own --network none or host wins over the pod's network, as in podman" {
    run in_netns '
        b pod create --name pn >/dev/null
        b run -d --pod pn --name inpod $IMG sleep 86400 >/dev/null
        b run -d --pod pn --name alone --network none $IMG sleep 86400 >/dev/null
        b run -d --pod pn --name onhost --network host $IMG sleep 86400 >/dev/null
        ns() { readlink /proc/$(b inspect --format "{{.State.Pid}}" $1)/ns/net; }
        infra=$(b pod inspect --format "{{.InfraContainerID}}" pn)
        [ "$(ns inpod)" = "$(ns $infra)" ] || fail "inpod is not in the pod network"
        [ "$(ns alone)" != "$(ns $infra)" ] || fail "--network none joined the pod network"
        [ "$(ns onhost)" = "$(readlink /proc/self/ns/net)" ] || fail "--network host is not the host network"
        [ "$(b inspect --format "{{.HostConfig.NetworkMode}}" alone)" = none ] || fail "mode of alone"
        [ "$(b exec alone ip -o link | wc -l)" = 1 ] || fail "alone has more than lo"
        b create --pod pn -p 8080:80 $IMG true 2>&1 | grep -q "published or exposed ports must be defined when the pod is created" || fail "-p accepted"
        b pod rm -f -t 0 pn >/dev/null'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "pod clone --device, --shm-size: the clone's members get what the clone's infra has" {
    b pod create --name pv --network none >/dev/null
    b create --pod pv --name m $IMG sh -c 'ls /dev/mynull; df -k /dev/shm | tail -1' >/dev/null
    run -0 b pod clone --device /dev/null:/dev/mynull --shm-size 2m pv pv2
    b pod start pv2 >/dev/null
    run -0 b wait m-clone
    [ "$output" = 0 ]
    run -0 b logs m-clone
    [ "${lines[0]}" = /dev/mynull ]
    [[ ${lines[1]} =~ ^shm\ +2048\  ]]
}
