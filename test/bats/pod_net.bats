# test/bats/pod_net.bats: a member of a pod that shares its network but
# names a network mode of its own with --network (bridge, private, a named
# network, ns:PATH, slirp4netns, container:CTR). podman 4.3.1 creates it in
# that mode: its own namespace, ports and addresses; the other members
# stay in the infra's. Only a member without --network is refused -p,
# --ip and --network-alias. Bridge networks run inside in_netns.
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

@test "pod member --network NAME|bridge|private: its own interface, the others share the infra's" {
    run in_netns '
        trap "b pod rm -a -f -t 0 >/dev/null 2>&1" EXIT
        b network create --subnet 10.91.0.0/24 n1 >/dev/null
        b pod create --name pw >/dev/null
        b run -d --pod pw --name inpod $IMG sleep 86400 >/dev/null
        b run -d --pod pw --name own --network n1 --ip 10.91.0.50 $IMG sleep 86400 >/dev/null
        b run -d --pod pw --name br --network bridge $IMG sleep 86400 >/dev/null
        b run -d --pod pw --name pr --network private $IMG sleep 86400 >/dev/null
        b run -d --pod pw --name second $IMG sleep 86400 >/dev/null
        ns() { readlink /proc/$(b inspect --format "{{.State.Pid}}" $1)/ns/net; }
        infra=$(b pod inspect --format "{{.InfraContainerID}}" pw)
        [ "$(ns inpod)" = "$(ns $infra)" ] || fail "inpod is not in the pod network"
        [ "$(ns second)" = "$(ns $infra)" ] || fail "second is not in the pod network"
        for c in own br pr; do
            [ "$(ns $c)" != "$(ns $infra)" ] || fail "$c joined the pod network"
        done
        [ "$(ns br)" != "$(ns pr)" ] || fail "br and pr share a namespace"
        b exec own ip -4 -o addr show eth0 | grep -q "inet 10.91.0.50/24" || fail "own: $(b exec own ip -4 -o addr)"
        b exec inpod ip -4 -o addr show | grep -q "10.91.0" && fail "inpod got an n1 address"
        [ "$(b inspect --format "{{.NetworkSettings.Networks.n1.IPAddress}}" own)" = 10.91.0.50 ] || fail "inspect own ip"
        for c in own br pr; do
            [ "$(b inspect --format "{{.HostConfig.NetworkMode}}" $c)" = bridge ] || fail "NetworkMode of $c"
        done
        [ "$(b inspect --format "{{.HostConfig.NetworkMode}}" inpod)" = "container:$infra" ] || fail "NetworkMode of inpod"
        net=$(b pod inspect --format "{{range .InfraConfig.Networks}}{{.}}{{end}}" pw)
        [ "$(b inspect --format "{{range \$k, \$v := .NetworkSettings.Networks}}{{\$k}} {{end}}" br)" = "$net " ] || fail "networks of br"
        [ "$(b inspect --format "{{.NetworkSettings.IPAddress}}" br)" != "$(b inspect --format "{{.NetworkSettings.IPAddress}}" $infra)" ] || fail "br has the infra address"
        # the pod localhost belongs to the members that share it
        b exec -d inpod nc -l -p 7071 -e echo pod-here
        sleep_until() { for i in $(seq 50); do "$@" && return 0; sleep 0.1; done; return 1; }
        hears() { b exec $1 nc 127.0.0.1 7071 </dev/null | grep -q pod-here; }
        sleep_until hears second || fail "pod localhost"
        hears br && fail "br reached the pod localhost"
        # the pod is what podman shows: its infra, its network, its members
        [ "$(b pod inspect --format "{{.InfraConfig.Networks}}" pw)" = "[$net]" ] || fail "pod networks"
        [ "$(b pod inspect --format "{{.NumContainers}}" pw)" = 6 ] || fail "pod members"
        b pod stop -t 0 pw >/dev/null
        b pod start pw >/dev/null
        [ "$(ns own)" != "$(ns $infra)" ] || fail "own joined the pod network after pod start"
        [ "$(ns second)" = "$(ns $infra)" ] || fail "second left the pod network after pod start"
        b exec own ip -4 -o addr show eth0 | grep -q "inet 10.91.0.50/24" || fail "own after restart"
        b pod rm -f -t 0 pw >/dev/null'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "pod member with its own network publishes its own ports" {
    run in_netns '
        trap "b pod rm -a -f -t 0 >/dev/null 2>&1" EXIT
        b pod create --name pp -p 8080:80 >/dev/null
        b run -d --pod pp --name podweb $IMG sh -c "echo pod > /tmp/index.html; httpd -f -p 80 -h /tmp" >/dev/null
        b run -d --pod pp --name ownweb --network bridge -p 8081:80 $IMG sh -c "echo own > /tmp/index.html; httpd -f -p 80 -h /tmp" >/dev/null
        get() { for i in $(seq 50); do out=$(wget -q -O - http://127.0.0.1:$1/ 2>/dev/null) && { echo "$out"; return 0; }; sleep 0.1; done; return 1; }
        [ "$(get 8080)" = pod ] || fail "pod port"
        [ "$(get 8081)" = own ] || fail "member port"
        [ "$(b port ownweb)" = "80/tcp -> 0.0.0.0:8081" ] || fail "port ownweb: $(b port ownweb)"
        b pod rm -f -t 0 pp >/dev/null'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "pod member --network ns:PATH, container:CTR, slirp4netns: created in that mode" {
    b pod create --name pm --network none >/dev/null
    b run -d --network none --name outsider $IMG sleep 86400 >/dev/null
    # podman: a member joins namespaces of its own pod's containers only
    run -125 --separate-stderr b create --pod pm --network container:outsider $IMG true
    [ "$stderr" = "Error: running container create option: container has joined pod $(b pod inspect --format '{{.Id}}' pm) and dependency container $(b inspect --format '{{.Id}}' outsider) is not a member of the pod: invalid argument" ]
    b run -d --pod pm --network none --name donor $IMG sleep 86400 >/dev/null
    donor=$(b inspect --format '{{.Id}}' donor)
    run -0 b run -d --pod pm --name byctr --network container:donor $IMG sleep 86400
    run -0 b pod inspect --format '{{.InfraContainerID}}' pm
    infra=$output
    [ "$(netns_of byctr)" = "$(netns_of donor)" ]
    [ "$(netns_of byctr)" != "$(netns_of "$infra")" ]
    # by id, as podman shows it
    run -0 b inspect --format '{{.HostConfig.NetworkMode}}' byctr
    [ "$output" = "container:$donor" ]
    run -0 b create --pod pm --name bypath --network "ns:/proc/$(b inspect --format '{{.State.Pid}}' donor)/ns/net" $IMG true
    run -0 b inspect --format '{{.HostConfig.NetworkMode}}' bypath
    [[ $output == ns:/proc/*/ns/net ]]
    run -0 b create --pod pm --name slirp --network slirp4netns $IMG true
    run -0 b inspect --format '{{.HostConfig.NetworkMode}}' slirp
    [ "$output" = slirp4netns ]
    run -125 --separate-stderr b create --pod pm --network container:nosuch $IMG true
    [[ $stderr == *"nosuch"* ]]
    run -125 --separate-stderr b create --pod pm --network nosuchnet $IMG true
    [ "$stderr" = "Error: unable to find network with name or ID nosuchnet: network not found" ]
}

@test "pod member without --network: -p, --ip, --network-alias refused with podman's words" {
    b pod create --name pr --network none >/dev/null
    run -125 --separate-stderr b create --pod pr -p 8080:80 $IMG true
    [ "$stderr" = "Error: invalid config provided: published or exposed ports must be defined when the pod is created: network cannot be configured when it is shared with a pod" ]
    for f in "--ip 10.88.0.50" "--network-alias foo"; do
        run -125 --separate-stderr b create --pod pr $f $IMG true
        [ "$stderr" = "Error: invalid config provided: networks must be defined when the pod is created: network cannot be configured when it is shared with a pod" ]
    done
}

@test "pod member --network slirp4netns runs with a tap0 of its own, as in podman" {
    run in_netns '
        trap "b pod rm -a -f -t 0 >/dev/null 2>&1" EXIT
        b pod create --name psl --network none >/dev/null
        b run --rm --pod psl --network slirp4netns $IMG ip -4 -o addr show tap0 | grep -q "inet 10.0.2.100/24" || fail "no tap0 in the member"
        [ "$(b run --rm --pod psl $IMG ip -o link | wc -l)" = 1 ] || fail "the pod network has more than lo"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}
