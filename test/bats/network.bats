#!/usr/bin/env bats
# network create/ls/inspect/rm/prune/exists: definitions only (no bridge
# is made by these commands, but they run in a private netns anyway).
load helpers
load net_helpers

setup()    { net_setup; }
teardown() { berth_teardown; }

@test "the default network exists implicitly" {
    run -0 b network ls
    [ "${lines[0]}" = "NETWORK ID    NAME        DRIVER" ]
    [[ ${lines[1]} == "5c2f64c7f21e  berth       bridge" ]]
    run -0 b network exists berth
    run -0 b network inspect berth --format '{{.Name}} {{.NetworkInterface}} {{.DNSEnabled}}'
    [ "$output" = "berth berth0 false" ]
}

@test "create picks the first free subnet and bridge; file in podman's format" {
    run -0 b network create mynet
    [ "$output" = mynet ]
    f=$BATS_TEST_TMPDIR/net/mynet.json
    [ -f "$f" ]
    run -0 jq -r '[.name, .driver, .network_interface, .subnets[0].subnet, .subnets[0].gateway, .dns_enabled, .ipam_options.driver] | join(" ")' "$f"
    [ "$output" = "mynet bridge berth1 10.89.0.0/24 10.89.0.1 true host-local" ]
    run -0 b network create other
    run -0 b network inspect other --format '{{.NetworkInterface}}'
    [ "$output" = berth2 ]
    run -0 jq -r '.[0].subnets[0].subnet' <(b network inspect other)
    [ "$output" = 10.89.1.0/24 ]
    # no name: podman's, the first berthN that is no network's name or
    # bridge, the same for both
    run -0 b network create berth4
    run -0 b network inspect --format '{{.NetworkInterface}}' berth4
    [ "$output" = berth3 ]
    run -0 b network create
    [ "$output" = berth5 ]
    run -0 b network create
    [ "$output" = berth6 ]
    run -0 b network inspect --format '{{.Name}} {{.NetworkInterface}}' berth5 berth6
    [ "$output" = "$(printf 'berth5 berth5\nberth6 berth6')" ]
}

@test "create with subnet, gateway, range, labels, options, internal" {
    run -0 b network create --subnet 10.99.0.0/24 --gateway 10.99.0.254 --ip-range 10.99.0.128/25 \
        --label a=b --label c -o mtu=1400 --internal --disable-dns net2
    run -0 b network inspect net2
    # podman starts a range one after its own address (10.99.0.129); it
    # ends it at the subnet's broadcast (.255), berth one before
    echo "$output" | jq -e '.[0].subnets[0].lease_range.start_ip == "10.99.0.129" and
        .[0].subnets[0].lease_range.end_ip == "10.99.0.254" and .[0].internal and
        (.[0].dns_enabled | not) and .[0].labels.a == "b" and .[0].options.mtu == "1400"'
}

# podman 4.3.1's: --ipv6 with IPv6 subnets only adds an IPv4 one; an
# internal network without DNS gets no gateway unless one is given
@test "create: --ipv6 with an IPv6 subnet only adds IPv4; --internal --disable-dns has no gateway" {
    run -0 b network create --ipv6 --subnet fd00:1234::/64 n6
    run -0 b network inspect n6
    [ "$(jq -c '[.[0].subnets[] | .subnet]' <<<"$output")" = '["fd00:1234::/64","10.89.0.0/24"]' ]
    run -0 b network create --subnet fd00:99::/64 n6b
    run -0 b network inspect n6b
    [ "$(jq -c '[(.[0].subnets | length), .[0].ipv6_enabled]' <<<"$output")" = '[1,true]' ]
    run -0 b network create --internal --disable-dns nid
    run -0 b network inspect nid
    [ "$(jq -c '.[0].subnets[0] | has("gateway")' <<<"$output")" = false ]
    run -0 b network create --internal ni
    run -0 b network inspect ni
    [ "$(jq -c '.[0].subnets[0] | has("gateway")' <<<"$output")" = true ]
    run -0 b network create --internal --disable-dns --subnet 10.77.0.0/24 --gateway 10.77.0.5 nig
    run -0 b network inspect nig
    [ "$(jq -r '.[0].subnets[0].gateway' <<<"$output")" = 10.77.0.5 ]
}

@test "bad input: overlapping subnet, names, driver, gateway without subnet" {
    run -0 b network create --subnet 10.99.0.0/24 n1
    run -125 b network create --subnet 10.99.0.0/16 n2
    [ "$output" = "Error: subnet 10.99.0.0/16 is already used on the host or by another config" ]
    run -125 b network create --subnet 10.87.5.0/24 n2
    [[ $output == *"already used"* ]]
    run -125 b network create n1
    [ "$output" = "Error: network name n1 already used: network already exists" ]
    run -0 b network create --ignore n1
    run -125 b network create "bad name"
    [[ $output == "Error: network name bad name invalid: names must match"* ]]
    run -125 b network create -d macvlanx n3
    [ "$output" = "Error: unsupported driver macvlanx: invalid argument" ]
    run -125 b network create --gateway 10.1.1.1 n3
    [ "$output" = "Error: cannot set gateway or range without subnet" ]
    run -125 b network create --subnet 10.98.0.0/24 --gateway 10.98.0.1 --gateway 10.98.0.2 n3
    [ "$output" = "Error: cannot set more gateways than subnets" ]
    run -125 b network create --subnet foo n3
    [ "$output" = "Error: invalid CIDR address: foo" ]
    run -125 b network create --subnet 10.98.0.0/24 --ip-range foo n3
    [ "$output" = "Error: invalid CIDR address: foo" ]
    run -125 b network create --subnet 10.98.0.0/24 --gateway 10.97.0.1 n3
    [ "$output" = "Error: gateway 10.97.0.1 not in subnet 10.98.0.0/24" ]
    run -125 b network create --subnet 10.98.0.0/24 --ip-range 10.97.0.0/28 n3
    [ "$output" = "Error: lease range start ip 10.97.0.1 not in subnet 10.98.0.0/24" ]
    run -125 b network create --subnet 10.98.0.0/24 --ip-range 10.98.0.0/16 n3
    [ "$output" = "Error: lease range end ip 10.98.255.255 not in subnet 10.98.0.0/24" ]
    run -125 b network create -o bogus=1 n3
    [[ $output == *"unsupported bridge network option bogus"* ]]
    run -1 b network exists n3
}

@test "ls filters, quiet, format, no-trunc" {
    b network create --label env=test a1 >/dev/null
    b network create --label env=prod a2 >/dev/null
    run -0 b network ls -q
    [ "$output" = $'a1\na2\nberth' ]
    run -0 b network ls -q --filter label=env=test
    [ "$output" = a1 ]
    run -0 b network ls -q --filter label=env
    [ "$output" = $'a1\na2' ]
    # labels must all match (podman's MatchLabelFilters); names OR
    run -0 b network ls -q --filter label=env=test --filter label=env=prod
    [ "$output" = "" ]
    run -0 b network ls -q --filter label=env --filter label=env=prod
    [ "$output" = a2 ]
    run -0 b network ls -q --filter name=^a
    [ "$output" = $'a1\na2' ]
    run -0 b network ls -q --filter name=a1 --filter name=a2
    [ "$output" = $'a1\na2' ]
    run -0 b network ls -q --filter dangling=true --filter driver=bridge
    [ "$output" = $'a1\na2\nberth' ]
    id=$(b network inspect a2 --format '{{.ID}}')
    run -0 b network ls -q --filter id=${id:0:10}
    [ "$output" = a2 ]
    run -0 b network ls --no-trunc --format '{{.ID}}' --filter name=a2
    [ "$output" = "$id" ]
    run -0 b network ls --format json
    echo "$output" | jq -e 'length == 3 and .[0].name == "a1"'
    run -125 --separate-stderr b network ls --filter bogus=1
    [ "$stderr" = 'Error: invalid filter "bogus"' ]
    run -125 --separate-stderr b network ls --filter bogus
    [ "$stderr" = 'Error: filter input must be in the form of filter=value: bogus is invalid' ]
    run -125 --separate-stderr b network ls --filter dangling=x
    [ "$stderr" = 'Error: invalid dangling filter value "x"' ]
    run -125 --separate-stderr b network prune -f --filter bogus=1
    [ "$stderr" = 'Error: invalid filter "bogus"' ]
}

@test "templates: ls .Labels is k=v,..., inspect .Labels a map; labels sorted; .Created as Go prints it" {
    run -0 b network create --label k=v --label a=1 --label c n1
    run -0 b network create n2
    run -0 b network ls --filter name=n --format '{{.Name}} [{{.Labels}}]'
    [ "$output" = "n1 [a=1,c=,k=v]
n2 []" ]
    run -0 b network inspect --format '{{.Labels}} {{.Options}}' n1 n2
    [ "$output" = "map[a:1 c: k:v] map[]
map[] map[]" ]
    run -0 jq -c .labels "$BATS_TEST_TMPDIR/net/n1.json"
    [ "$output" = '{"a":"1","c":"","k":"v"}' ]
    run -0 b network ls --filter name=n1 --format '{{.Created}}'
    [[ $output =~ ^20[0-9-]+\ [0-9:.]+\ \+0000\ UTC$ ]]
    run -0 b network inspect --format '{{.Created}}' n1
    [[ $output =~ ^20[0-9-]+\ [0-9:.]+\ \+0000\ UTC$ ]]
}

@test "argument count errors as podman's" {
    run -125 --separate-stderr b network inspect
    [ "$stderr" = "Error: requires at least 1 arg(s), only received 0" ]
    run -125 --separate-stderr b network rm
    [ "$stderr" = "Error: requires at least 1 arg(s), only received 0" ]
    run -125 --separate-stderr b network create a b
    [ "$stderr" = "Error: accepts at most 1 arg(s), received 2" ]
    run -125 --separate-stderr b network connect
    [ "$stderr" = "Error: accepts 2 arg(s), received 0" ]
    run -125 --separate-stderr b network disconnect x
    [ "$stderr" = "Error: accepts 2 arg(s), received 1" ]
}

@test "inspect, exists and rm by name, id and prefix; missing ones" {
    b network create n1 >/dev/null
    id=$(b network inspect n1 --format '{{.ID}}')
    run -0 b network exists ${id:0:12}
    run -1 b network exists nope
    run -125 b network inspect nope
    [ "$output" = "[]
Error: inspecting object: network nope: unable to find network with name or ID nope: network not found" ]
    # podman prints the networks found, the other missing ones as "error"
    # lines, then fails with the first
    # (names no id can begin with: "a" and "c" are hex digits, and a
    # network whose id began with one was found by it)
    run -125 --separate-stderr b network inspect --format '{{.Name}}' xa n1 xc
    [ "$output" = n1 ]
    [ "$stderr" = "error inspecting object: network xc: unable to find network with name or ID xc: network not found
Error: inspecting object: network xa: unable to find network with name or ID xa: network not found" ]
    run -1 b network rm nope
    [ "$output" = "Error: unable to find network with name or ID nope: network not found" ]
    run -0 b network rm ${id:0:12}
    run -1 b network exists n1
    run -125 b network rm berth
    [ "$output" = "Error: default network berth cannot be removed" ]
}

@test "rm refuses a network that a container record uses" {
    b network create used >/dev/null
    # A container record as the container layer writes it ("networks" key).
    d=$BATS_TEST_TMPDIR/root/libpod/containers/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    mkdir -p "$d"
    echo '{"version":1,"id":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","networks":{"used":{}}}' >"$d/config.json"
    run -2 b network rm used
    [ "$output" = 'Error: "used" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used' ]
    run -0 b network prune -f
    [ "$output" = "" ]
    run -0 b network ls -q --filter dangling=false
    [ "$output" = used ]
    rm -rf "$d"
}

@test "prune removes unused networks, never the default" {
    b network create p1 >/dev/null
    b network create --label keep=1 p2 >/dev/null
    run -0 b network prune -f --filter label!=keep=1
    [ "$output" = p1 ]
    run -0 b network prune -f
    [ "$output" = p2 ]
    run -0 b network ls -q
    [ "$output" = berth ]
}
