#!/usr/bin/env bats
# test/bats/config_podman.bats: podman's configuration environment
# (CONTAINERS_CONF, CONTAINERS_CONF_OVERRIDE), the containers.conf keys
# that shape /etc/resolv.conf and /etc/hosts, and podman's name for the
# default network.

load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "CONTAINERS_CONF is the one file when BERTH_CONFIG and --config are unset" {
    local pc=$BATS_TEST_TMPDIR/containers.conf
    printf '[engine]\nevents_logger = "none"\n' > "$pc"
    printf '[engine]\nevents_logger = "file"\n' > "$TEST_CONF"
    # BERTH_CONFIG wins over CONTAINERS_CONF
    CONTAINERS_CONF=$pc run -0 b info --format '{{.Host.EventLogger}}'
    [ "$output" = file ]
    unset BERTH_CONFIG
    CONTAINERS_CONF=$pc run -0 b info --format '{{.Host.EventLogger}} {{json .Host.ConfigFiles}}'
    [ "$output" = "none [\"$pc\"]" ]
    # --config wins over both
    CONTAINERS_CONF=$pc run -0 b --config "$TEST_CONF" info --format '{{.Host.EventLogger}}'
    [ "$output" = file ]
}

@test "a missing CONTAINERS_CONF file is an error naming it" {
    unset BERTH_CONFIG
    CONTAINERS_CONF=$BATS_TEST_TMPDIR/nope.conf run -125 --separate-stderr b info
    [[ $stderr == "Error: reading CONTAINERS_CONF file $BATS_TEST_TMPDIR/nope.conf: "*"no such file or directory"* ]]
}

@test "CONTAINERS_CONF_OVERRIDE is read last, on top of the others" {
    local ov=$BATS_TEST_TMPDIR/override.conf
    printf '[engine]\nevents_logger = "file"\nstop_timeout = 7\n' > "$TEST_CONF"
    printf '[engine]\nevents_logger = "none"\n' > "$ov"
    CONTAINERS_CONF_OVERRIDE=$ov run -0 b info --format '{{.Host.EventLogger}}'
    [ "$output" = none ]
    run -0 b info --format '{{.Host.EventLogger}}'
    [ "$output" = file ]
    CONTAINERS_CONF_OVERRIDE=$BATS_TEST_TMPDIR/nope.conf run -125 --separate-stderr b info
    [[ $stderr == *"CONTAINERS_CONF_OVERRIDE file"*"nope.conf"* ]]
}

@test "dns_servers, dns_searches and dns_options come before the container's own" {
    printf '[containers]\ndns_servers = ["10.9.9.9"]\ndns_searches = ["conf.example"]\ndns_options = ["ndots:3"]\n' > "$TEST_CONF"
    run -0 b run --rm --network host $IMG cat /etc/resolv.conf
    [[ $output == *"search conf.example"* ]]
    [[ $output == *"nameserver 10.9.9.9"* ]]
    [[ $output == *"options ndots:3"* ]]
    run -0 b run --rm --network host --dns 1.1.1.1 --dns-search x.y --dns-option debug $IMG cat /etc/resolv.conf
    # podman 4.3.1 writes exactly these lines for the same config and flags
    [ "${lines[0]}" = "search conf.example x.y" ]
    [ "${lines[1]}" = "nameserver 10.9.9.9" ]
    [ "${lines[2]}" = "nameserver 1.1.1.1" ]
    [ "${lines[3]}" = "options ndots:3 debug" ]
}

@test "base_hosts_file: the host's by default, none, image, or a file" {
    local f=$BATS_TEST_TMPDIR/hosts.base
    run -0 b run --rm --network none --name h1 $IMG cat /etc/hosts
    [[ $output == *"h1"* ]]
    while read -r ip names; do
        case $ip in ''|\#*) continue ;; esac
        [[ $output == *"$ip"*"${names%% *}"* ]]
    done < /etc/hosts

    printf '[containers]\nbase_hosts_file = "none"\n' > "$TEST_CONF"
    run -0 b run --rm --network none --name h2 $IMG cat /etc/hosts
    [ "${lines[0]}" = "127.0.0.1	localhost" ]
    [ "${lines[1]}" = "::1	localhost" ]
    [[ ${lines[2]} == "127.0.0.1	"*" h2" ]]
    [ "${#lines[@]}" -eq 3 ]

    printf '10.1.2.3 fromfile\n' > "$f"
    printf '[containers]\nbase_hosts_file = "%s"\n' "$f" > "$TEST_CONF"
    run -0 b run --rm --network none $IMG cat /etc/hosts
    [[ $output == *"10.1.2.3	fromfile"* ]]

    printf '[containers]\nbase_hosts_file = "%s"\n' "$BATS_TEST_TMPDIR/none-here" > "$TEST_CONF"
    run -127 --separate-stderr b run --rm --network none $IMG true
    [[ $stderr == "Error: "*"base_hosts_file $BATS_TEST_TMPDIR/none-here"* ]]

    # "image": the root file system's /etc/hosts, its symlinks resolved
    # inside it (an absolute link stays in the container's root)
    local r=$BATS_TEST_TMPDIR/rootfs
    mkdir -p "$r/bin" "$r/etc"
    cp /bin/busybox "$r/bin/"
    printf '10.7.7.7 imagehost\n' > "$r/etc/hosts.real"
    ln -s /etc/hosts.real "$r/etc/hosts"
    printf '[containers]\nbase_hosts_file = "image"\n' > "$TEST_CONF"
    run -0 b run --rm --network none --rootfs "$r" /bin/busybox cat /etc/hosts
    [[ $output == *"10.7.7.7	imagehost"* ]]
    [[ $output == *"127.0.0.1	localhost"* ]]
}

@test "the default network answers to podman's name 'podman'" {
    run -0 b network inspect --format '{{.Name}}' podman
    [ "$output" = berth ]
    run -0 b create --name c1 --network podman $IMG true
    run -0 b ps -a --filter name=c1 --format '{{.Networks}}'
    [ "$output" = berth ]
    # a network really named podman is that network
    run -0 b network create podman
    run -0 b network inspect --format '{{.Name}}' podman
    [ "$output" = podman ]
    run -0 b create --name c2 --network podman $IMG true
    run -0 b ps -a --filter name=c2 --format '{{.Networks}}'
    [ "$output" = podman ]
}
