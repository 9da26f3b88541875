# test/bats/pod_infra.bats: a pod's infra container and its cgroup: the
# network the user or the config asked for, the pod's own cgroup (cgroup
# v1 files on this host). Pods outside a private network namespace are
# made with --network none (or a config whose netns is none).
load helpers
load net_helpers
load ctr_helpers

setup() {
    net_setup
    load_image busybox
    export IMG
}

teardown() {
    b pod rm -a -f -t 0 >/dev/null 2>&1 || true
    berth_teardown
}

infra_of() { b pod inspect --format '{{.InfraContainerID}}' "$1"; }
netmode_of() { b inspect --format '{{.HostConfig.NetworkMode}}' "$1"; }

@test "run --pod new:NAME --network none gives the new pod's infra network none" {
    run -0 b run --rm --pod new:rn --network none "$IMG" sh -c 'ls /sys/class/net'
    [ "$output" = lo ]
    run -0 netmode_of "$(infra_of rn)"
    [ "$output" = none ]
    run -0 b pod inspect rn
    [ "$(jq -c .InfraConfig.Networks <<<"$output")" = null ]     # podman 4.3.1: a nil list
    [ "$(jq -r .InfraConfig.HostNetwork <<<"$output")" = false ]
}

@test "create --pod new:NAME moves the network and host name to the pod" {
    run -0 b create --pod new:cn --network none --hostname hn --name member "$IMG" hostname
    run -0 netmode_of "$(infra_of cn)"
    [ "$output" = none ]
    # the member joins the infra's network namespace
    run -0 netmode_of member
    [ "$output" = "container:$(infra_of cn)" ]
    run -0 b pod inspect --format '{{.Hostname}}' cn
    [ "$output" = hn ]
    run -0 b start -a member
    [ "$output" = hn ]
}

@test "the config's [containers] netns is the infra's network when none is given" {
    printf '[containers]\nnetns = "none"\n' > "$BERTH_CONFIG"
    run -0 b pod create --name cfgnone
    run -0 netmode_of "$(infra_of cfgnone)"
    [ "$output" = none ]
    run -0 b run --rm --pod cfgnone "$IMG" ls /sys/class/net
    [ "$output" = lo ]
    # a flag still wins over the config; a container alone gets it too
    run -0 b pod create --name flaghost --network host
    run -0 netmode_of "$(infra_of flaghost)"
    [ "$output" = host ]
    run -0 b create --name plain "$IMG" true
    run -0 netmode_of plain
    [ "$output" = none ]
}

@test "a bridge infra joins the config's default_network" {
    run in_netns '
        printf "[network]\ndefault_network = \"podnet\"\n" > "$BERTH_CONFIG"
        b pod create --name br >/dev/null
        nets=$(b pod inspect br | jq -c .InfraConfig.Networks)
        [ "$nets" = "[\"podnet\"]" ] || fail "networks $nets"
        out=$(b run --rm --pod br '"$IMG"' ip -4 -o addr show eth0)
        [[ $out == *inet* ]] || fail "no address: $out"
        b network ls --format "{{.Name}}" | grep -qx podnet || fail "no podnet network"
        b pod rm -f br >/dev/null'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

# cg FILE POD: a v1 file of the pod's cgroup ("memory/memory.limit_in_bytes")
cg() { cat "/sys/fs/cgroup/${1%%/*}$(b pod inspect --format '{{.CgroupPath}}' "$2")/${1#*/}"; }

@test "a pod has its own cgroup under its parent; its limits are written there once" {
    run -0 b pod create --network none --name lim --memory 64m --cpus 0.5
    id=$output
    run -0 b pod inspect --format '{{.CgroupParent}} {{.CgroupPath}}' lim
    [ "$output" = "/berth_parent /berth_parent/$id" ]
    b run -d --pod lim --name m1 "$IMG" sleep 100 >/dev/null
    # the members and the infra are under it; the limits are the pod's,
    # not copied into each member
    run -0 b inspect --format '{{.HostConfig.CgroupParent}} {{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}' m1 "$(infra_of lim)"
    [ "${lines[0]}" = "/berth_parent/$id 0 0" ]
    [ "${lines[1]}" = "/berth_parent/$id 0 0" ]
    run -0 b exec m1 cat /proc/self/cgroup
    [[ $output == *":memory:/berth_parent/$id/berth-"* ]]
    [[ $output == *":cpu"*":/berth_parent/$id/berth-"* ]]
    run -0 cg memory/memory.limit_in_bytes lim
    [ "$output" = 67108864 ]
    run -0 cg cpu/cpu.cfs_quota_us lim
    [ "$output" = 50000 ]
    # a second member shares the one limit
    b run -d --pod lim --name m2 "$IMG" sleep 100 >/dev/null
    run -0 b exec m2 cat /proc/self/cgroup
    [[ $output == *":memory:/berth_parent/$id/berth-"* ]]
    run -0 b pod rm -f -t 0 lim
    for h in memory cpu pids; do
        [ ! -e "/sys/fs/cgroup/$h/berth_parent/$id" ] || { echo "# cgroup $h left"; false; }
    done
}

# podman 4.3.1 fails at pod create, unable to reach systemd for the pod's
# machine-libpod_pod_<id>.slice; berth refuses the manager without
# systemd as PID 1 before anything is made.
@test "pod create with the systemd cgroup manager and no systemd: refused, nothing made" {
    [ "$(cat /proc/1/comm)" != systemd ] || skip "systemd is PID 1 here"
    run -125 --separate-stderr b --cgroup-manager systemd pod create --network none --name sd -m 64m
    [ "$stderr" = "Error: the systemd cgroup manager needs systemd as PID 1 (use --cgroup-manager cgroupfs): invalid argument" ]
    run -0 b pod ps -q
    [ -z "$output" ]
    run -0 b pod create --network none --name sd -m 64m
}

@test "pod create --cgroup-parent puts the pod's cgroup under it; share-parent=false does not" {
    parent=/berth-test-$$-$BATS_TEST_NUMBER
    run -0 b pod create --network none --name par --cgroup-parent "$parent" --memory 32m
    id=$output
    run -0 b pod inspect --format '{{.CgroupParent}} {{.CgroupPath}}' par
    [ "$output" = "$parent $parent/$id" ]
    run -0 b run --rm --pod par "$IMG" cat /proc/self/cgroup
    [[ $output == *":memory:$parent/$id/berth-"* ]]
    run -0 cg memory/memory.limit_in_bytes par
    [ "$output" = 33554432 ]
    b pod rm -f -t 0 par >/dev/null
    [ ! -e "/sys/fs/cgroup/memory$parent/$id" ]
    # not under the pod's cgroup: each member gets the pod's limits
    run -0 b pod create --network none --name nopar --share-parent=false --memory 32m
    run -0 b create --pod nopar --name own "$IMG" true
    run -0 b inspect --format '{{.HostConfig.Memory}}' own
    [ "$output" = 33554432 ]
    b pod rm -f -t 0 nopar >/dev/null
    for h in /sys/fs/cgroup/*; do rmdir "$h$parent" 2>/dev/null || true; done
}
