# test/bats/net_slirp.bats: --network slirp4netns[:OPTIONS]. Every test
# that runs a container runs inside its own network namespace
# (in_netns): slirp4netns's tap0, its forwarded ports and all traffic
# stay there, and only 127.0.0.1 of that namespace is ever contacted.
load helpers
load net_helpers
load ctr_helpers

setup() {
    net_setup
    load_image busybox
    export IMG S=$BATS_TEST_TMPDIR/root/libpod T=$BATS_TEST_TMPDIR/scratch
}
teardown() { berth_teardown; }

@test "slirp4netns: tap0 is 10.0.2.100/24, slirp's gateway and DNS, the name in /etc/hosts" {
    run in_netns '
        b run --rm --name sl --network slirp4netns $IMG sh -c "ip -4 addr show tap0; ip route; head -1 /etc/resolv.conf; grep sl /etc/hosts"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [[ $output == *"mtu 65520 "* ]]
    [[ $output == *"inet 10.0.2.100/24 "*"scope global tap0"* ]]
    [[ $output == *"default via 10.0.2.2 dev tap0"* ]]
    [[ $output == *"nameserver 10.0.2.3"* ]]
    [[ $output == *"10.0.2.100"*" sl"* ]]
}

@test "slirp4netns: -p answers on 127.0.0.1; slirp4netns ends with the container" {
    mkdir -p "$BATS_TEST_TMPDIR/www"
    echo served-through-slirp > "$BATS_TEST_TMPDIR/www/index.html"
    run in_netns '
        id=$(b run -d --name web --network slirp4netns -p 8085:80 -v '"$BATS_TEST_TMPDIR"'/www:/www:ro $IMG httpd -f -p 80 -h /www)
        ok=; for i in $(seq 50); do
            busybox wget -qO- http://127.0.0.1:8085/ 2>/dev/null | grep -q served-through-slirp && { ok=1; break; }
            sleep 0.1
        done
        [ -n "$ok" ] || fail "nothing served on 127.0.0.1:8085"
        [ "$(b port web 80)" = "0.0.0.0:8085" ] || fail "port web 80: $(b port web 80)"
        pid=$(jq -r .slirp4netns.pid $S/containers/$id/state.json)
        [ -S $T/$id.net ] || fail "no API socket"
        tr "\0" " " < /proc/$pid/cmdline | grep -q -- "--disable-host-loopback --mtu=65520 --enable-sandbox --enable-seccomp --enable-ipv6 --api-socket $T/$id.net -c -r 3 --netns-type=path $T/netns/netns-$id tap0" ||
            fail "cmdline: $(tr "\0" " " < /proc/$pid/cmdline)"
        b stop -t 0 web >/dev/null
        # ended (a zombie at most, until init reaps it), its socket gone
        st=$(awk "{print \$3}" /proc/$pid/stat 2>/dev/null || true)
        [ -z "$st" ] || [ "$st" = Z ] || fail "slirp4netns still running: $st"
        [ ! -e $T/$id.net ] || fail "API socket left"
        [ "$(jq -r ".slirp4netns // empty" $S/containers/$id/state.json)" = "" ] || fail "still recorded"
        # and it comes back with a start
        b start web >/dev/null
        ok=; for i in $(seq 50); do
            busybox wget -qO- http://127.0.0.1:8085/ 2>/dev/null | grep -q served-through-slirp && { ok=1; break; }
            sleep 0.1
        done
        [ -n "$ok" ] || fail "nothing served after a restart"
        b rm -f -t 0 web >/dev/null'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "slirp4netns options: mtu, cidr; allow_host_loopback reaches the host's 127.0.0.1" {
    mkdir -p "$BATS_TEST_TMPDIR/www"
    echo on-host-loopback > "$BATS_TEST_TMPDIR/www/index.html"
    run in_netns '
        b run --rm --network slirp4netns:mtu=1500,cidr=10.5.0.0/24 $IMG sh -c "ip -4 addr show tap0; head -1 /etc/resolv.conf"
        # in the foreground, our child: it ends with this test
        busybox httpd -f -p 127.0.0.1:8086 -h '"$BATS_TEST_TMPDIR"'/www </dev/null >/dev/null 2>&1 &
        hp=$!
        trap "kill $hp" EXIT
        for i in $(seq 50); do busybox wget -qO- http://127.0.0.1:8086/ >/dev/null 2>&1 && break; sleep 0.1; done
        b run --rm --network slirp4netns:allow_host_loopback=true $IMG wget -qO- http://10.0.2.2:8086/
        if b run --rm --network slirp4netns $IMG wget -T 3 -qO- http://10.0.2.2:8086/ 2>&1; then fail "host loopback reached by default"; fi'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [[ $output == *"mtu 1500 "*"inet 10.5.0.100/24 "*"nameserver 10.5.0.3"* ]]
    [[ $output == *"on-host-loopback"* ]]
}

@test "slirp4netns: bad options get podman's errors at start; pasta is a network name" {
    # podman 4.3.1 takes any options at create and checks them at start
    for o in "foo=1|unknown option for slirp4netns: \"foo=1\"" \
             "mtu=abc|invalid mtu \"abc\"" \
             "cidr=bad|invalid cidr \"bad\"" \
             "allow_host_loopback=maybe|invalid value of allow_host_loopback for slirp4netns: \"maybe\"" \
             "enable_ipv6=x|invalid value of enable_ipv6 for slirp4netns: \"x\"" \
             "port_handler=x|unknown port_handler for slirp4netns: \"x\"" \
             "outbound_addr=zz|invalid outbound_addr \"zz\""; do
        run -0 b create --network "slirp4netns:${o%%|*}" $IMG true
        run -126 --separate-stderr b run --rm --network "slirp4netns:${o%%|*}" $IMG true
        [ "$stderr" = "Error: ${o#*|}" ] || { echo "${o%%|*}: $stderr"; false; }
    done
    # pasta is podman 4.4's: 4.3.1 looks for a network of that name
    run -125 --separate-stderr b create --network pasta $IMG true
    [ "$stderr" = "Error: unable to find network with name or ID pasta: network not found" ]
}

@test "pod create --network slirp4netns:OPTS: members share its tap0, -p on the pod answers" {
    mkdir -p "$BATS_TEST_TMPDIR/www"
    echo served-by-a-slirp-pod > "$BATS_TEST_TMPDIR/www/index.html"
    run in_netns '
        b pod create --name sp --network slirp4netns:mtu=1500,enable_ipv6=false -p 8087:80 >/dev/null
        [ "$(b pod inspect sp --format "{{json .InfraConfig.NetworkOptions}}")" = "{\"slirp4netns\":[\"mtu=1500\",\"enable_ipv6=false\"]}" ] ||
            fail "NetworkOptions: $(b pod inspect sp --format "{{json .InfraConfig.NetworkOptions}}")"
        [ "$(b pod inspect sp --format "{{json .InfraConfig.Networks}}")" = null ] || fail "Networks"
        infra=$(b pod inspect sp --format "{{.InfraContainerID}}")
        [ "$(b inspect $infra --format "{{.HostConfig.NetworkMode}}")" = slirp4netns ] || fail "infra mode"
        b run -d --pod sp --name web -v '"$BATS_TEST_TMPDIR"'/www:/www:ro $IMG httpd -f -p 80 -h /www >/dev/null
        [ "$(b inspect web --format "{{.HostConfig.NetworkMode}}")" = "container:$infra" ] || fail "member mode"
        ok=; for i in $(seq 50); do
            busybox wget -qO- http://127.0.0.1:8087/ 2>/dev/null | grep -q served-by-a-slirp-pod && { ok=1; break; }
            sleep 0.1
        done
        [ -n "$ok" ] || fail "nothing served on 127.0.0.1:8087"
        out=$(b run --rm --pod sp --name m2 $IMG sh -c "ip addr show tap0; head -1 /etc/resolv.conf; grep 10.0.2.100 /etc/hosts")
        [[ $out == *"mtu 1500 "* ]] || fail "mtu: $out"
        [[ $out == *"inet 10.0.2.100/24 "* ]] || fail "address: $out"
        [[ $out == *"nameserver 10.0.2.3"* ]] || fail "dns: $out"
        [[ $out == *"10.0.2.100"?"sp m2"* ]] || fail "hosts: $out"
        pid=$(jq -r .slirp4netns.pid $S/containers/$infra/state.json)
        tr "\0" " " < /proc/$pid/cmdline | grep -q -- "--mtu=1500 " || fail "cmdline: $(tr "\0" " " < /proc/$pid/cmdline)"
        tr "\0" " " < /proc/$pid/cmdline | grep -q -- "--enable-ipv6" && fail "ipv6 left on"
        b pod stop -t 0 sp >/dev/null
        st=$(awk "{print \$3}" /proc/$pid/stat 2>/dev/null || true)
        [ -z "$st" ] || [ "$st" = Z ] || fail "slirp4netns still running: $st"
        [ ! -e $T/$infra.net ] || fail "API socket left"
        b pod rm -f -t 0 sp >/dev/null'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "run --pod new:NAME --network slirp4netns:OPTS moves the options to the new pod" {
    run in_netns '
        out=$(b run --rm --pod new:np --network slirp4netns:mtu=1400 $IMG sh -c "ip addr show tap0; head -1 /etc/resolv.conf")
        [[ $out == *"mtu 1400 "* ]] || fail "mtu: $out"
        [[ $out == *"nameserver 10.0.2.3"* ]] || fail "dns: $out"
        [ "$(b pod inspect np --format "{{json .InfraConfig.NetworkOptions}}")" = "{\"slirp4netns\":[\"mtu=1400\"]}" ] ||
            fail "NetworkOptions: $(b pod inspect np --format "{{json .InfraConfig.NetworkOptions}}")"
        b pod rm -f -t 0 np >/dev/null'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "pod create --network slirp4netns: a bad option fails its start as podman's does" {
    run -0 b pod create --name bad --network slirp4netns:mtu=x
    infra=$(b pod inspect bad --format '{{.InfraContainerID}}')
    run -125 --separate-stderr b pod start bad
    [ "$stderr" = "Error: starting container $infra: invalid mtu \"x\"" ] || { echo "$stderr"; false; }
    run -0 b pod rm -f bad
}

@test "info shows the slirp4netns that --network slirp4netns runs" {
    run -0 b info --format '{{.Host.Slirp4NetNS.Executable}}'
    [ "$output" = "$(command -v slirp4netns)" ]
    run -0 b info --format json
    [[ $(jq -r .host.slirp4netns.version <<<"$output") == "slirp4netns version "* ]]
    run -0 b info --format json
    [ "$(jq -r .host.slirp4netns.package <<<"$output")" = "$(dpkg-query -W -f '${Package}_${Version}_${Architecture}' slirp4netns)" ]
    run -0 b --network-cmd-path /bin/true info --format '{{.Host.Slirp4NetNS.Executable}}'
    [ "$output" = /bin/true ]
}

@test "--network-cmd-path names slirp4netns only: a bridge network still runs netavark" {
    run in_netns '
        b --network-cmd-path /bin/false run --rm $IMG sh -c "ip -4 addr show eth0"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
    [[ $output == *"inet 10."* ]]
}
