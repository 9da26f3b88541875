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
    [ "$(jq -c .InfraConfig.Networks <<<"$output")" = "[]" ]
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
