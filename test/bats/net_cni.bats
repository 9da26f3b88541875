# test/bats/net_cni.bats: the essential bridge networking tests of
# ctr_network.bats with the CNI backend (--network-backend cni). Every
# test runs inside its own network namespace (in_netns): bridges, veths,
# iptables rules and all traffic stay inside it. No DNS with CNI
# (aardvark-dns is netavark's): containers reach each other by IP.
load helpers
load net_helpers
load ctr_helpers

setup() {
    net_setup
    BERTH_ARGS+=(--network-backend cni)
    load_image busybox
    export IMG S=$BATS_TEST_TMPDIR/root/libpod WWW=$BATS_TEST_TMPDIR/www
    mkdir -p "$WWW"
    echo served-by-berth > "$WWW/index.html"
}
teardown() { berth_teardown; }

@test "cni: the default bridge gives an address, /etc/hosts names the container" {
    run in_netns '
        b run --rm --name named $IMG sh -c "ip -4 addr show eth0; ip route; cat /etc/hosts" > $BATS_TEST_TMPDIR/out
        grep -q "inet 10.87." $BATS_TEST_TMPDIR/out || fail "no 10.87 address: $(cat $BATS_TEST_TMPDIR/out)"
        grep -q "^default via 10.87.0.1" $BATS_TEST_TMPDIR/out || fail "no default route: $(cat $BATS_TEST_TMPDIR/out)"
        grep -q "named" $BATS_TEST_TMPDIR/out || fail "name not in /etc/hosts"
        grep -q "host.containers.internal" $BATS_TEST_TMPDIR/out || fail "no host.containers.internal"
        [ -f $BATS_TEST_TMPDIR/scratch/networks/cni/berth.conflist ] || fail "no conflist written"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: the status has netavark's result shape; --mac-address is applied" {
    run in_netns '
        id=$(b run -d --mac-address 02:42:ac:11:00:09 $IMG sleep 100)
        st=$S/containers/$id/state.json
        jq -e ".networkStatus.backend == \"cni\"" $st >/dev/null || fail "backend: $(jq .networkStatus.backend $st)"
        r=$(jq -c ".networkStatus.results.berth" $st)
        echo "$r" | jq -e ".interfaces.eth0.mac_address == \"02:42:ac:11:00:09\"" >/dev/null || fail "mac: $r"
        echo "$r" | jq -e ".interfaces.eth0.subnets[0].ipnet | test(\"^10\\\\.87\\\\.[0-9.]+/16$\")" >/dev/null || fail "ipnet: $r"
        echo "$r" | jq -e ".interfaces.eth0.subnets[0].gateway == \"10.87.0.1\"" >/dev/null || fail "gateway: $r"
        echo "$r" | jq -e ".dns_server_ips == []" >/dev/null || fail "dns: $r"
        [ "$(b inspect --format "{{.NetworkSettings.MacAddress}}" $id)" = 02:42:ac:11:00:09 ] || fail "inspect mac"
        m=$(b run --rm --mac-address 02:42:ac:11:00:0a $IMG cat /sys/class/net/eth0/address)
        [ "$m" = 02:42:ac:11:00:0a ] || fail "mac in the container: $m"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: a published port serves a file at 127.0.0.1" {
    run in_netns '
        b run -d --name web -p 8080:80 -v $WWW:/www:ro $IMG httpd -f -p 80 -h /www >/dev/null
        ok=; for i in $(seq 50); do
            timeout 2 busybox wget -qO- http://127.0.0.1:8080/ 2>/dev/null | grep -q served-by-berth && { ok=1; break; }
            sleep 0.1
        done
        [ -n "$ok" ] || fail "nothing served on 127.0.0.1:8080: $(iptables-save -t nat)"
        [ "$(b port web 80)" = "0.0.0.0:8080" ] || fail "port web 80: $(b port web 80)"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: containers on one user network reach each other by IP" {
    run in_netns '
        b network create app >/dev/null
        id=$(b run -d --name srv --network app -v $WWW:/www:ro $IMG httpd -f -p 80 -h /www)
        ip=$(jq -r ".networkStatus.results.app.interfaces.eth0.subnets[0].ipnet | split(\"/\")[0]" $S/containers/$id/state.json)
        [ -n "$ip" ] && [ "$ip" != null ] || fail "no address recorded"
        out=$(b run --rm --network app $IMG sh -c "for i in \$(seq 50); do timeout 2 wget -qO- http://$ip/ 2>/dev/null && exit 0; sleep 0.1; done; exit 1")
        [ "$out" = served-by-berth ] || fail "by IP $ip: $out"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: --internal networks have no route out" {
    run in_netns '
        b network create --internal closed >/dev/null
        r=$(b run --rm --network closed $IMG ip route)
        echo "$r" | grep -q "^default" && fail "default route on an internal network: $r"
        echo "$r" | grep -q "10.89." || fail "no subnet route: $r"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: rm -f leaves no netns, veth, bridge, firewall rule or address allocation" {
    run in_netns '
        id=$(b run -d -p 8082:80 $IMG sleep 100)
        ip=$(jq -r ".networkStatus.results.berth.interfaces.eth0.subnets[0].ipnet | split(\"/\")[0]" $S/containers/$id/state.json)
        iptables-save | grep -q "$ip" || fail "no rule names $ip before rm: $(iptables-save)"
        b rm -f -t 0 $id >/dev/null
        ip link | grep -q "veth\|berth0" && fail "veth or bridge left: $(ip link)"
        iptables-save | grep -q "$id\|$ip\b\|8082" && fail "rules left: $(iptables-save | grep "$id\|$ip\|8082")"
        [ -z "$(ls $BATS_TEST_TMPDIR/scratch/netns)" ] || fail "netns left"
        grep -q "$id" $S/networks/ipam/berth.json && fail "address still allocated"
        grep -q "$BATS_TEST_TMPDIR/.*netns/netns-" /proc/self/mounts && fail "netns still mounted"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: teardown after the container's netns vanished still removes its rules" {
    run in_netns '
        id=$(b run -d -p 8084:80 $IMG sleep 100)
        ip=$(jq -r ".networkStatus.results.berth.interfaces.eth0.subnets[0].ipnet | split(\"/\")[0]" $S/containers/$id/state.json)
        ns=$(jq -r .networkStatus.netns $S/containers/$id/state.json)
        umount -l $ns
        b rm -f -t 0 $id >/dev/null
        iptables-save | grep -q "$id\|$ip\b\|8084" && fail "rules left: $(iptables-save | grep "$id\|$ip\|8084")"
        grep -q "$id" $S/networks/ipam/berth.json && fail "address still allocated"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: kill -9 of berth during init, then rm -f: nothing of the container is left" {
    run in_netns '
        for i in 1 2 3 4 5 6; do
            $BERTH_BIN $BERTH_ARGS_STR run -d --name k$i $IMG sleep 100 >/dev/null 2>&1 & pid=$!
            sleep 0.0$i; kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
        done
        b rm --all --force -t 0 >/dev/null
        ip link | grep -q veth && fail "veth left"
        [ -z "$(ls $BATS_TEST_TMPDIR/scratch/netns 2>/dev/null)" ] || fail "netns left: $(ls $BATS_TEST_TMPDIR/scratch/netns)"
        [ ! -f $S/networks/ipam/berth.json ] || jq -e ".allocations | length == 0" $S/networks/ipam/berth.json >/dev/null || fail "allocations left: $(cat $S/networks/ipam/berth.json)"
        iptables-save | grep -q "10\.87\.0\.[0-9]" && fail "rules left: $(iptables-save | grep 10.87.0)"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: after a simulated reboot the container starts again" {
    run in_netns '
        id=$(b run -d --name rb $IMG sleep 100)
        pid=$(jq .pid $S/containers/$id/state.json)
        pkill -9 -f "conmon.*$id" || true; kill -9 $pid || true
        ip link del berth0 2>/dev/null || true
        iptables -F; iptables -t nat -F; iptables -X; iptables -t nat -X
        for m in $(awk "\$2 ~ \"^$BATS_TEST_TMPDIR\" {print \$2}" /proc/self/mounts | sort -r); do umount -l $m; done
        echo stale-boot > $BATS_TEST_TMPDIR/scratch/alive
        b start rb >/dev/null
        b rm -f -t 0 rb >/dev/null
        ip link | grep -q veth && fail "veth left"
        iptables-save | grep -q "10\.87\.0\.[0-9]" && fail "rules left: $(iptables-save | grep 10.87.0)"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: a network with DNS enabled works, without DNS" {
    run in_netns '
        b network create withdns >/dev/null
        [ "$(b network inspect --format "{{.DNSEnabled}}" withdns)" = true ] || fail "dns not enabled"
        out=$(b run --rm --network withdns $IMG cat /etc/resolv.conf)
        echo "$out" | grep -q "dns.podman" && fail "search dns.podman without a DNS server: $out"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "cni: a failing plugin is reported and leaves nothing behind" {
    mkdir -p "$BATS_TEST_TMPDIR/cnibin"
    for p in bridge portmap tuning; do ln -s /usr/lib/cni/$p "$BATS_TEST_TMPDIR/cnibin/$p"; done
    ln -s /usr/lib/cni/static "$BATS_TEST_TMPDIR/cnibin/static"
    printf '#!/bin/sh\necho "{\\"code\\": 999, \\"msg\\": \\"firewall says no\\"}"\nexit 1\n' \
        > "$BATS_TEST_TMPDIR/cnibin/firewall"
    chmod +x "$BATS_TEST_TMPDIR/cnibin/firewall"
    printf '[network]\ncni_plugin_dirs = ["%s"]\n' "$BATS_TEST_TMPDIR/cnibin" > "$BERTH_CONFIG"
    run in_netns '
        if b run --rm -p 8085:80 $IMG true 2>$BATS_TEST_TMPDIR/err; then fail "run succeeded"; fi
        grep -q "cni: firewall (ADD): firewall says no" $BATS_TEST_TMPDIR/err || fail "error: $(cat $BATS_TEST_TMPDIR/err)"
        ip link | grep -q veth && fail "veth left: $(ip link)"
        iptables-save | grep -q "10\.87\.0\.\|8085" && fail "rules left: $(iptables-save | grep "10.87.0\|8085")"
        jq -e ".allocations | length == 0" $S/networks/ipam/berth.json >/dev/null || fail "allocations left"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}
