# test/bats/pod.bats: pods (pod create and the pod commands, run --pod).
# Tests that need the network run inside their own network namespace
# (in_netns): containers talk only to each other or to 127.0.0.1 there.
# Every other pod is made with --network none: its infra container must
# never put a bridge or firewall rules into the host's network namespace.
load helpers
load net_helpers
load ctr_helpers

setup() {
    net_setup
    load_image busybox
    export IMG WWW=$BATS_TEST_TMPDIR/www
    mkdir -p "$WWW"
    echo served-by-pod > "$WWW/index.html"
}
# pod_status_is POD STATUS: pod ps shows that status now
pod_status_is() { [ "$(b pod ps --filter "name=^$1\$" --format '{{.Status}}')" = "$2" ]; }

teardown() {
    b pod rm -a -f -t 0 >/dev/null 2>&1 || true
    berth_teardown
}

@test "pod create makes an infra container from the local pause image" {
    run -0 b pod create --network none --name p1
    id=$output
    [[ $id =~ ^[0-9a-f]{64}$ ]]
    run -0 b images --format '{{.Repository}}:{{.Tag}}'
    [[ $output == *"localhost/berth-pause:"* ]]
    # COMMAND is podman's: the infra's argv is all entrypoint (catatonit -P)
    run -0 b ps -a --format '{{.Names}}|{{.Command}}|{{.IsInfra}}|{{.PodName}}'
    [ "$output" = "${id:0:12}-infra||true|p1" ]
    run -0 b pod ps --format '{{.Name}} {{.Status}} {{.NumberOfContainers}} {{.InfraID}}'
    infra=$(b pod inspect --format '{{.InfraContainerID}}' p1)
    [ "$output" = "p1 Created 1 ${infra:0:12}" ]
    run -0 b pod inspect p1
    [ "$(jq -r '.SharedNamespaces | join(",")' <<<"$output")" = "ipc,net,uts" ]
    [ "$(jq -r '.Containers[0].Name' <<<"$output")" = "${id:0:12}-infra" ]
    [ "$(jq -r .ExitPolicy <<<"$output")" = continue ]
    run -0 b pod exists p1
    run -1 b pod exists nope
    run -125 --separate-stderr b rm -f "$infra"
    [ "$stderr" = "Error: container $infra is the infra container of pod $id and cannot be removed without removing the pod" ]
}

@test "pods and containers share one name space, as in podman" {
    run -0 b pod create --network none --name shared
    run -125 --separate-stderr b create --name shared "$IMG" true
    [[ $stderr == *'name "shared" is in use: pod already exists'* ]]
    run -0 b create --name ctr1 "$IMG" true
    run -125 --separate-stderr b pod create --name ctr1
    [[ $stderr == *"already"* ]]
    run -125 --separate-stderr b pod create --name shared
    [[ $stderr == *'adding pod to state: name "shared" is in use: pod already exists'* ]]
}

@test "members share the pod's network, IPC and UTS namespaces; the host name is the pod's" {
    b pod create --network none --name share >/dev/null
    b run -d --pod share --name m1 "$IMG" sleep 100 >/dev/null
    run -0 b run --rm --pod share "$IMG" sh -c 'hostname; for n in net ipc uts; do readlink /proc/self/ns/$n; done'
    mine=$output
    run -0 b exec m1 sh -c 'hostname; for n in net ipc uts; do readlink /proc/self/ns/$n; done'
    [ "$output" = "$mine" ]
    [ "${lines[0]}" = share ]
    # a pid namespace is not shared by default
    run -0 b exec m1 readlink /proc/self/ns/pid
    other=$(b run --rm --pod share "$IMG" readlink /proc/self/ns/pid)
    [ "$output" != "$other" ]
    run -0 b inspect --format '{{.Pod}}' m1
    [ "$output" = "$(b pod inspect --format '{{.Id}}' share)" ]
}

# "+ns": podman's defaults (ipc, net, uts) and ns
@test "pod create --share +NS adds to the default namespaces" {
    b pod create --network none --name plus --share +pid >/dev/null
    run -0 b pod inspect --format '{{json .SharedNamespaces}}' plus
    [ "$output" = '["ipc","net","pid","uts"]' ]
    b pod create --network none --name cg --share +cgroup --share-parent=false >/dev/null
    run -0 b pod inspect --format '{{json .SharedNamespaces}}' cg
    [ "$output" = '["cgroup","ipc","net","uts"]' ]
    b pod rm -f plus cg >/dev/null
}

@test "--share pid: members see each other's processes" {
    b pod create --network none --name pids --share pid,ipc >/dev/null
    b run -d --pod pids --name sleeper --network none "$IMG" sleep 77 >/dev/null
    run -0 b run --rm --pod pids --network none "$IMG" ps -o args
    [[ $output == *"sleep 77"* ]]
    [[ $output == *"/catatonit -P"* ]]
}

@test "two containers of a pod talk over localhost; a published pod port answers on 127.0.0.1" {
    run in_netns '
        b pod create --name web -p 8080:80 >/dev/null
        b run -d --pod web --name srv -v $WWW:/www:ro $IMG httpd -f -p 80 -h /www >/dev/null
        ok=; for i in $(seq 50); do
            b run --rm --pod web $IMG wget -qO- http://127.0.0.1:80/ 2>/dev/null | grep -q served-by-pod && { ok=1; break; }
            sleep 0.1
        done
        [ -n "$ok" ] || fail "the member did not reach 127.0.0.1:80 of the pod"
        busybox wget -qO- http://127.0.0.1:8080/ | grep -q served-by-pod || fail "nothing on 127.0.0.1:8080"
        b run --rm --pod web $IMG sh -c "echo hi | nc -w1 127.0.0.1 9 ; true" >/dev/null'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

# podman 4.3.1: only a member without --network of its own is refused
# these (pod_net.bats: a member with one gets its own network)
@test "a member in the pod's network cannot publish ports or join networks: podman's errors" {
    b pod create --network none --name np >/dev/null
    run -125 --separate-stderr b create --pod np -p 8080:80 "$IMG" true
    [ "$stderr" = "Error: invalid config provided: published or exposed ports must be defined when the pod is created: network cannot be configured when it is shared with a pod" ]
    run -125 --separate-stderr b create --pod np --network-alias web "$IMG" true
    [[ $stderr == *"networks must be defined when the pod is created"* ]]
    run -125 --separate-stderr b create --pod np --network mynet "$IMG" true
    [ "$stderr" = "Error: unable to find network with name or ID mynet: network not found" ]
    run -125 --separate-stderr b create --pod nope "$IMG" true
    [[ $stderr == *"no pod with name or ID nope found: no such pod"* ]]
    run -0 b ps -a --filter pod=np --format '{{.Names}}'
    [ "${#lines[@]}" -eq 1 ]
}

@test "run --pod new:NAME makes the pod; --pod-id-file names one" {
    # the new pod's infra has the default (bridge) network: in a netns of its own
    run in_netns '
        h=$(b run --rm --pod new:fresh $IMG hostname)
        b pod rm -f fresh >/dev/null
        [ "$h" = fresh ] || fail "hostname $h"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    run -0 b pod create --network none --name byfile --pod-id-file "$BATS_TEST_TMPDIR/pod.id"
    [ "$(cat "$BATS_TEST_TMPDIR/pod.id")" = "$output" ]
    run -0 b create --pod-id-file "$BATS_TEST_TMPDIR/pod.id" --name viafile "$IMG" true
    run -0 b ps -a --pod --format '{{.Names}} {{.PodName}}' --filter name=viafile
    [ "$output" = "viafile byfile" ]
}

@test "ps --pod and --filter pod= show the members" {
    b pod create --network none --name fp >/dev/null
    b create --pod fp --name inpod "$IMG" true >/dev/null
    b create --name outside "$IMG" true >/dev/null
    run -0 b ps -a --filter pod=fp --format '{{.Names}}'
    [[ $output == *inpod* && $output != *outside* ]]
    run -0 b ps -a --pod
    [[ ${lines[0]} == *"POD ID"*"PODNAME" ]]
    [[ $output == *"inpod"*"fp"* ]]
    run -0 b ps -a --filter pod=nosuchpod --format '{{.Names}}'
    [ -z "$output" ]
}

@test "starting a member starts the infra first; pod start/stop/restart" {
    b pod create --network none --name life >/dev/null
    b create --pod life --name a "$IMG" sh -c 'trap exit TERM; sleep 100 & wait' >/dev/null
    run -0 b start a
    run -0 b pod ps --format '{{.Status}}' --ctr-status
    [ "$output" = Running ]
    run -0 b pod stop -t 0 life
    [ "$output" = "$(b pod inspect --format '{{.Id}}' life)" ]
    run -0 b pod ps --format '{{.Status}} {{.ContainerStatuses}}'
    [ "$output" = "Exited exited,exited" ]
    run -0 b pod start life
    run -0 b pod ps --format '{{.Status}}'
    [ "$output" = Running ]
    b create --pod life --name never "$IMG" true >/dev/null
    run -0 b pod ps --format '{{.Status}}'
    [ "$output" = Degraded ]
    run -0 b pod restart life
    run -0 b inspect --format '{{.State.Status}}' a
    [ "$output" = running ]
}

@test "pod pause/unpause and kill act on the running members" {
    b pod create --network none --name pz >/dev/null
    b run -d --pod pz --name s "$IMG" sleep 100 >/dev/null
    run -0 b pod pause pz
    run -0 b pod ps --format '{{.Status}}'
    [ "$output" = Paused ]
    run -0 b pod unpause pz
    run -0 b pod ps --format '{{.Status}}'
    [ "$output" = Running ]
    run -0 b pod kill pz
    retry_until 10 pod_status_is pz Exited
}

@test "pod rm refuses running members without -f; -f removes members in every state" {
    b pod create --network none --name rmp >/dev/null
    b create --pod rmp --name created "$IMG" true >/dev/null
    b run -d --pod rmp --name running "$IMG" sleep 100 >/dev/null
    b run --pod rmp --name exited "$IMG" true
    b run -d --pod rmp --name paused "$IMG" sleep 100 >/dev/null
    b pause paused >/dev/null
    run -125 --separate-stderr b pod rm rmp
    [[ $stderr == *"running or paused containers cannot be removed without force: container state improper"* ]]
    run -0 b pod rm -f -t 0 rmp
    run -0 b ps -a -q
    [ -z "$output" ]
    run -0 b pod ps -q
    [ -z "$output" ]
    run -1 --separate-stderr b pod rm rmp
    [ "$stderr" = "Error: no pod with name or ID rmp found: no such pod" ]
    # podman: -f makes a missing pod no error
    run -0 --separate-stderr b pod rm -f rmp
    [ "$output" = "" ]
    [ "$stderr" = "" ]
    run -0 b pod rm --ignore rmp
}

@test "pod rm -f converges when a member's create was killed half way" {
    b pod create --network none --name half >/dev/null
    BERTH_TEST_CRASH_AT=create:record "$BERTH_BIN" "${BERTH_ARGS[@]}" create --pod half --name halfctr "$IMG" true >/dev/null 2>&1 || true
    run -0 b pod rm -f -t 0 half
    run -0 b ps -a -q
    [ -z "$output" ]
}

@test "--exit-policy stop stops the pod when its last container exits" {
    b pod create --network none --name ep --exit-policy stop >/dev/null
    run -0 b run --pod ep --name once "$IMG" true
    retry_until 10 pod_status_is ep Exited
    b pod create --network none --name cont >/dev/null
    run -0 b run --pod cont --name once2 "$IMG" true
    run -0 b pod ps --filter name=cont --format '{{.Status}}'
    [ "$output" = Degraded ]
}

@test "pod prune removes the pods whose containers all exited" {
    gone=$(b pod create --network none --name gone)
    b run --pod gone "$IMG" true
    b pod stop gone >/dev/null
    b pod create --network none --name stays >/dev/null
    run -0 b pod prune -f
    [ "$output" = "$gone" ]
    run -0 b pod ps --format '{{.Name}}'
    [ "$output" = stays ]
}

@test "pod ps: --ctr-names, --ctr-ids, -q, --no-trunc, --sort, --filter" {
    b pod create --network none --name zz -l tier=back >/dev/null
    b pod create --name aa --infra=false >/dev/null
    run -0 b pod ps --format '{{.Name}}'
    [ "$output" = $'aa\nzz' ]
    run -0 b pod ps --sort name --format '{{.Name}}'
    [ "$output" = $'aa\nzz' ]
    run -0 b pod ps --sort number --format '{{.Name}} {{.NumberOfContainers}}'
    [ "$output" = $'aa 0\nzz 1' ]
    run -0 b pod ps --filter label=tier=back --format '{{.Name}}'
    [ "$output" = zz ]
    run -0 b pod ps --filter name=a --format '{{.Name}}'
    [ "$output" = aa ]
    run -0 b pod ps --filter ctr-number=0 --format '{{.Name}}'
    [ "$output" = aa ]
    run -0 b pod ps -q --no-trunc
    [[ ${lines[0]} =~ ^[0-9a-f]{64}$ ]]
    run -125 --separate-stderr b pod ps -q --format '{{.Name}}'
    [ "$stderr" = "Error: quiet and format cannot be used together" ]
    # podman's -q is the full id without --no-trunc too
    run -0 b pod ps -q --filter name=aa
    [ "$output" = "$(b pod inspect --format '{{.Id}}' aa)" ]
    [[ $output =~ ^[0-9a-f]{64}$ ]]
    run -0 b pod ps --ctr-names --ctr-ids --filter name=zz
    [[ ${lines[0]} == *"IDS"*"NAMES" ]]
    [[ ${lines[1]} == *"-infra" ]]
    run -0 b pod ps --format json
    [ "$(jq -r '.[1].Labels.tier' <<<"$output")" = back ]
    run -125 --separate-stderr b pod ps --sort bogus
    [ "$stderr" = "Error: invalid option for --sort, options are: id, names, or number" ]
    run -125 --separate-stderr b pod ps --filter bogus=1
    [ "$stderr" = "Error: bogus is an invalid filter" ]
    run -125 --separate-stderr b pod ps --filter name
    [ "$stderr" = "Error: filter input must be in the form of filter=value: name is invalid" ]
    run -125 --separate-stderr b pod ps --filter status=Running
    [ "$stderr" = "Error: Running is not a valid pod status" ]
    run -125 --separate-stderr b pod ps --filter ctr-status=up
    [ "$stderr" = "Error: up is not a valid status" ]
    run -0 b pod ps --filter status=degraded --filter ctr-status=exited -q
    # until=: pods made before; a bad value matches none, as podman's
    run -0 b pod ps --filter until=2100-01-01 --format '{{.Name}}'
    [ "$output" = $'aa\nzz' ]
    run -0 b pod ps --filter until=1h --format '{{.Name}}'
    [ "$output" = "" ]
    run -0 b pod ps --filter until=yesterday --format '{{.Name}}'
    [ "$output" = "" ]
}

@test "pod inspect of several pods: an array; the missing ones fail after the others print" {
    b pod create --network none --name i1 >/dev/null
    b pod create --name i2 --infra=false >/dev/null
    run -0 b pod inspect i1
    [ "${lines[0]}" = "{" ]
    run -0 b pod inspect i1 i2
    run -0 jq -r '.[].Name' <<<"$output"
    [ "$output" = $'i1\ni2' ]
    run -0 b pod inspect --format '{{.Name}} {{.NumContainers}}' i1 i2
    [ "$output" = $'i1 1\ni2 0' ]
    run -125 --separate-stderr b pod inspect --format '{{.Name}}' nope i2 nope2
    [ "$output" = i2 ]
    [ "$stderr" = "error inspecting object: no such pod nope2
Error: inspecting object: no such pod nope" ]
    run -125 --separate-stderr b pod inspect nope i1
    [ "${lines[0]}" = "{" ]
}

@test "pod inspect templates: podman's empty fields are zero values; CreateCommand is the whole command line" {
    b pod create --name t1 --infra=false >/dev/null
    run -0 --separate-stderr b pod inspect --format '{{.Labels}}|{{.Namespace}}|{{.InfraContainerID}}|{{.SharedNamespaces}}|{{.Containers}}' t1
    [ "$output" = "map[]|||[]|[]" ]
    run -0 b pod inspect --format '{{range .CreateCommand}}{{.}}
{{end}}' t1
    [ "$output" = "$(printf '%s\n' "$BERTH_BIN" "${BERTH_ARGS[@]}" pod create --name t1 --infra=false)" ]
}

@test "pod create: bad input is refused with podman's words, leaving nothing" {
    run -125 --separate-stderr b pod create --share bogus
    [ "$stderr" = "Error: invalid kernel namespace to share: bogus. Options are: cgroup, ipc, net, pid, uts or none" ]
    run -125 --separate-stderr b pod create --infra=false --share net
    [ "$stderr" = "Error: cannot set share(net) namespaces without an infra container" ]
    # podman 4.3.1: no infra, no network mode and no ports; ports only on
    # a bridge or slirp4netns
    run -125 --separate-stderr b pod create --infra=false --network none
    [ "$stderr" = "Error: NoInfra and network modes cannot be used together" ]
    run -125 --separate-stderr b pod create --infra=false -p 9001:80
    [ "$stderr" = "Error: you must have an infra container to publish port bindings to the host" ]
    run -125 --separate-stderr b pod create --network none -p 9000:80
    [ "$stderr" = "Error: PortMappings can only be used with Bridge or slirp4netns networking" ]
    run -125 --separate-stderr b pod create --share none --network none
    [ "$stderr" = "Error: NoInfra and network modes cannot be used together" ]
    # the pod is its members' cgroup parent unless --share-parent=false:
    # joining the infra's cgroup namespace too is refused, before the words
    run -125 --separate-stderr b pod create --share cgroup,bogus
    [ "$stderr" = "Error: cannot define the pod as the cgroup parent at the same time as joining the infra container's cgroupNS: invalid argument" ]
    run -125 --separate-stderr b pod create --share pid,+ipc
    [ "$stderr" = "Error: invalid kernel namespace to share: +ipc. Options are: cgroup, ipc, net, pid, uts or none" ]
    run -125 --separate-stderr b pod create --exit-policy sometimes
    [ "$stderr" = 'Error: invalid pod exit policy: "sometimes"' ]
    run -125 --separate-stderr b pod create --name 'bad name'
    [[ $stderr == *"names must match"* ]]
    run -125 --separate-stderr b pod create a b
    [ "$stderr" = "Error: accepts at most 1 arg(s), received 2" ]
    run -125 --separate-stderr b pod stop
    [ "$stderr" = "Error: you must provide at least one name or id" ]
    run -125 --separate-stderr b pod start -a -l
    [ "$stderr" = "Error: --all and --latest cannot be used together" ]
    run -125 --separate-stderr b pod kill -s BOGUS x
    [ "$stderr" = "Error: invalid signal: BOGUS" ]
    run -125 --separate-stderr b pod inspect
    [ "$stderr" = "Error: no names or ids specified" ]
    run -125 --separate-stderr b pod inspect nope
    [ "$output" = "[]" ]
    [ "$stderr" = "Error: inspecting object: no such pod nope" ]
    run -125 --separate-stderr b pod start nope
    [ "$stderr" = "Error: no pod with name or ID nope found: no such pod" ]
    run -0 b pod ps -q
    [ -z "$output" ]
    run -0 b ps -a -q
    [ -z "$output" ]
}

@test "pod create --infra=false: a pod with no container cannot start; infra flags are kept" {
    b pod create --name empty --infra=false >/dev/null
    run -125 --separate-stderr b pod start empty
    [[ $stderr == *"have no dependencies, cannot start pod: no such container" ]]
    id=$(b pod inspect --format '{{.Id}}' empty)
    run -125 --separate-stderr b pod restart empty
    [ "$output" = "" ]
    [ "$stderr" = "Error: no containers in pod $id have no dependencies, cannot start pod: no such container" ]
    run -0 b pod create --network none --name named --infra-name myinfra --infra-image "$IMG" --infra-command "sleep 1000" --hostname hn \
        --infra-conmon-pidfile "$BATS_TEST_TMPDIR/conmon.pid"
    # --infra-command is the infra's entrypoint: no COMMAND, as podman's
    run -0 b ps -a --format '{{.Names}}|{{.Command}}' --filter pod=named
    [ "$output" = "myinfra|" ]
    run -0 b inspect --format '{{json .Config.Entrypoint}}' myinfra
    [ "$output" = '"sleep 1000"' ]
    run -0 b run --rm --pod named "$IMG" hostname
    [ "$output" = hn ]
    [ -s "$BATS_TEST_TMPDIR/conmon.pid" ]
    run -0 b pod create --network none --name named --replace
    run -0 b ps -a --format '{{.Names}}' --filter pod=named
    [[ $output == *"-infra" ]]
}

@test "pod create -m: the limit is the pod cgroup's, not copied into members" {
    # as podman: the member shows no limit of its own; its parent cgroup,
    # the pod's, holds it (pod_infra.bats checks the cgroup files)
    id=$(b pod create --network none --name lim -m 64m)
    run -0 b create --pod lim --name lm "$IMG" true
    run -0 b inspect --format '{{.HostConfig.Memory}} {{.HostConfig.CgroupParent}}' lm
    [ "$output" = "0 /berth_parent/$id" ]
}

@test "pod top lists the processes of the pod's running containers under one header" {
    b pod create --network none --name tp >/dev/null
    run -0 b pod top tp
    [ -z "$output" ]
    b run -d --pod tp "$IMG" sleep 99 >/dev/null
    run -0 b pod top tp pid args
    [ "${lines[0]}" = "PID         COMMAND" ]
    [[ ${lines[1]} == *"sleep 99"* ]]
    [[ ${lines[2]} == *"/catatonit -P"* ]]
    [ "${#lines[@]}" -eq 3 ]
}

@test "pod logs: the members' logs, prefixed when there are several; -c picks one" {
    b pod create --network none --name lg >/dev/null
    b run --pod lg --name l1 "$IMG" echo one >/dev/null
    b run --pod lg --name l2 "$IMG" echo two >/dev/null
    run -0 b pod logs --names lg
    [ "$output" = $'l1 one\nl2 two' ]
    run -0 b pod logs -c l2 lg
    [ "$output" = two ]
    run -125 --separate-stderr b pod logs -c zz lg
    [ "$stderr" = "Error: container zz is not in pod lg: no such container" ]
    run -125 --separate-stderr b pod logs
    [ "$stderr" = "Error: specify at least one pod name or ID to log" ]
    run -125 --separate-stderr b pod logs lg lg
    [ "$stderr" = "Error: requires exactly 1 arg" ]
}

@test "rm --all --force removes the pods too, as podman's (an infra goes with its pod)" {
    b pod create --network none --name ra >/dev/null
    b run -d --pod ra "$IMG" sleep 100 >/dev/null
    b create --name solo "$IMG" true >/dev/null
    run -0 b rm -a -f -t 0
    [ "${#lines[@]}" -eq 3 ]
    run -0 b ps -a -q
    [ -z "$output" ]
    run -0 b pod ps -q
    [ -z "$output" ]
}

@test "pod create -v: every container of the pod mounts the pod's volumes" {
    mkdir -p "$BATS_TEST_TMPDIR/share"
    echo hello > "$BATS_TEST_TMPDIR/share/f"
    b pod create --network none --name pv -v "$BATS_TEST_TMPDIR/share:/data:ro" -v podvol:/vol >/dev/null
    run -0 b run --rm --pod pv "$IMG" sh -c 'cat /data/f; echo x > /vol/y'
    [ "$output" = hello ]
    run -0 b run --rm --pod pv "$IMG" cat /vol/y
    [ "$output" = x ]
    run -1 b run --rm --pod pv "$IMG" sh -c 'echo no > /data/g'
}

@test "pod create --sysctl, --uts host: the infra's settings; no member renames the host" {
    before=$(hostname)
    b pod create --network none --name sy --sysctl net.ipv4.ip_forward=1 >/dev/null
    run -0 b run --rm --pod sy "$IMG" cat /proc/sys/net/ipv4/ip_forward
    [ "$output" = 1 ]
    b pod create --network none --name hu --uts host >/dev/null
    run -0 b run --rm --pod hu "$IMG" hostname
    [ "$output" = "$before" ]
    [ "$(hostname)" = "$before" ]
}

@test "pod create + pod rm of a pod never started: podman's events, no cleanup" {
    since=$(date +%s)
    run -0 b pod create --network none --name evp
    pid=$output
    infra=$(b pod inspect evp --format '{{.InfraContainerID}}')
    run -0 b create --network none --name evc $IMG true
    run -0 b rm evc
    run -0 b pod rm evp
    run -0 b events --since "$since" --stream=false --filter type=container --filter type=pod \
        --format '{{.Type}} {{.Status}} {{.ID}}'
    cid=$(grep '^container create' <<<"$output" | grep -v "$infra" | awk '{print $3}')
    [ "$output" = "container create $infra
pod create $pid
container create $cid
container remove $cid
container remove $infra
pod remove $pid" ] || { echo "$output"; false; }
}

# podman's pod inspect: empty DNS lists are null in the JSON (nil
# slices), [] to a template; the same through --latest
@test "pod inspect: nil lists and maps as podman's, by name and with --latest" {
    b pod create --network none --name nl >/dev/null
    run -0 b pod inspect nl
    jq -e '.InfraConfig | .DNSServer == null and .DNSSearch == null and .DNSOption == null and .HostAdd == null and .NetworkOptions == null' <<<"$output"
    for sel in nl --latest; do
        run -0 b pod inspect --format '{{.InfraConfig.DNSServer}}|{{json .InfraConfig.DNSServer}}|{{.InfraConfig.NetworkOptions}}|{{.Labels}}|{{json .Labels}}|{{.InfraConfig.HostAdd}}' $sel
        [ "$output" = "[]|null|map[]|map[]|{}|[]" ] || { echo "$sel: $output"; false; }
    done
    # a bridge pod is only created here (nothing runs, no netns needed)
    b pod create --name nd --dns 10.0.0.1 >/dev/null
    run -0 b pod inspect --format '{{.InfraConfig.DNSServer}}|{{json .InfraConfig.DNSServer}}' nd
    [ "$output" = '[10.0.0.1]|["10.0.0.1"]' ]
}

# podman's pod filter network=: the networks the pod's infra joins (by
# name or id); a network that does not exist matches nothing
@test "pod ps --filter network=" {
    b network create pnet >/dev/null
    b pod create --name pa --network pnet >/dev/null
    b pod create --name pb --network none >/dev/null
    run -0 b pod ps --filter network=pnet --format '{{.Name}}'
    [ "$output" = pa ]
    id=$(b network inspect --format '{{.Id}}' pnet)
    run -0 b pod ps --filter network=${id:0:12} --format '{{.Name}}'
    [ "$output" = pa ]
    run -0 b pod ps --filter network=nosuch --format '{{.Name}}'
    [ -z "$output" ]
    run -0 b pod ps --filter network=pnet --filter network=nosuch --filter name=p --format '{{.Name}}'
    [ "$output" = pa ]
}

# podman 4.3.1's InspectPodData: the limits under their JSON names (the
# OCI values: --cpus as period and quota, swap twice the memory), and a
# template reads the Go names, zero where the JSON leaves them out
@test "pod inspect: limits in podman's keys; templates read podman's Go field names and times" {
    run -0 b pod create --network none --name lim --cpus 1 --cpuset-cpus 0 --memory 64m
    run -0 b pod inspect lim
    [ "$(jq -c '[.cpu_period, .cpu_quota, .cpuset_cpus, .memory_limit, .memory_swap]' <<<"$output")" = '[100000,100000,"0",67108864,134217728]' ]
    [ "$(jq -c '[.InfraConfig.cpu_period, .InfraConfig.cpu_quota, .InfraConfig.cpuset_cpus, .InfraConfig.Networks, .InfraConfig.memory_limit]' <<<"$output")" = '[100000,100000,"0",null,null]' ]
    [ "$(jq -r 'keys_unsorted | .[-5:] | join(",")' <<<"$output")" = "cpu_period,cpu_quota,cpuset_cpus,memory_limit,memory_swap" ]
    id=$(jq -r .Id <<<"$output")
    created=$(jq -r .Created <<<"$output")
    run -0 b pod inspect --format '{{.ID}} {{.CPUPeriod}} {{.CPUQuota}} {{.CPUShares}} {{.CPUSetCPUs}}|{{.CPUSetMems}}|{{.MemoryLimit}} {{.MemorySwap}} {{.BlkioWeight}} {{.Mounts}} {{.Devices}} {{.VolumesFrom}} {{.SecurityOpts}} {{.BlkioDeviceReadBps}} {{.BlkioWeightDevice}}' lim
    [ "$output" = "$id 100000 100000 0 0||67108864 134217728 0 [] [] [] [] [] []" ]
    run -0 b pod inspect --format '{{.InfraConfig.PidNS}} {{.InfraConfig.UtsNS}} {{.InfraConfig.UserNS}} {{.InfraConfig.CPUPeriod}} {{.InfraConfig.Networks}}' lim
    [ "$output" = "private private host 100000 []" ]
    # a Go time in a template, RFC 3339 in json
    run -0 b pod inspect --format '{{.Created}}|{{json .Created}}' lim
    [[ $output == "${created:0:10} ${created:11:8}."*" +0000 UTC|\"$created\"" ]]
    # no limits: none of the keys
    run -0 b pod create --network none --name nolim
    run -0 b pod inspect nolim
    [ "$(jq -c '[has("cpu_period"), has("memory_limit"), (.InfraConfig | has("cpu_quota"))]' <<<"$output")" = '[false,false,false]' ]
    run -0 b pod inspect --format '{{.CPUQuota}} {{.MemoryLimit}} {{.CPUSetCPUs}}.' nolim
    [ "$output" = "0 0 ." ]
}

# podman's --share none (or ""): a pod with no infra container
@test "pod create --share none makes no infra container" {
    run -0 b pod create --name sn --share none
    run -0 b pod inspect --format '{{.CreateInfra}} {{json .SharedNamespaces}} {{.NumContainers}} {{.InfraContainerID}}.' sn
    [ "$output" = "false null 0 ." ]
    run -0 b pod create --name se --share ''
    run -0 b pod inspect --format '{{.CreateInfra}}' se
    [ "$output" = false ]
}

# podman 4.3.1's pod of no infra: no network of its own in pod ps, and no
# SharedNamespaces or Containers keys while they are empty (omitempty)
@test "a pod without an infra container: no networks, empty lists left out" {
    run -0 b pod create --name nf --infra=false
    run -0 b pod ps --format json
    [ "$(jq -c '.[0].Networks' <<<"$output")" = "[]" ]
    run -0 b pod inspect nf
    [ "$(jq -c '[has("SharedNamespaces"), has("Containers"), .NumContainers]' <<<"$output")" = "[false,false,0]" ]
    run -0 b pod inspect --format '{{.SharedNamespaces}} {{.Containers}}' nf
    [ "$output" = "[] []" ]
}
