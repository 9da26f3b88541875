# test/bats/ctr_network.bats: containers on bridge networks. Every test
# runs inside its own network namespace (in_netns), so bridges, veths,
# firewall rules, aardvark-dns and all traffic stay inside it; containers
# only ever talk to each other or to 127.0.0.1 of that namespace.
load helpers
load net_helpers
load ctr_helpers

setup() {
    net_setup
    load_image busybox
    export IMG S=$BATS_TEST_TMPDIR/root/libpod WWW=$BATS_TEST_TMPDIR/www
    mkdir -p "$WWW"
    echo served-by-berth > "$WWW/index.html"
    # ipof ID: the container's first address, from its recorded network status
    ipof='jq -r "[.networkStatus.results[].interfaces[].subnets[0].ipnet][0] | split(\"/\")[0]" $S/containers/$1/state.json'
}
teardown() { berth_teardown; }

@test "the default bridge gives an address, /etc/hosts names the container" {
    run in_netns '
        b run --rm --name named $IMG sh -c "ip -4 addr show eth0; cat /etc/hosts" > $BATS_TEST_TMPDIR/out
        grep -q "inet 10.87." $BATS_TEST_TMPDIR/out || fail "no 10.87 address: $(cat $BATS_TEST_TMPDIR/out)"
        grep -q "named" $BATS_TEST_TMPDIR/out || fail "name not in /etc/hosts"
        grep -q "host.containers.internal" $BATS_TEST_TMPDIR/out || fail "no host.containers.internal"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "a published port serves a file at 127.0.0.1, udp too; port lists them" {
    run in_netns '
        b run -d --name web -p 8080:80 -p 127.0.0.1:5353:53/udp -v $WWW:/www:ro $IMG httpd -f -p 80 -h /www >/dev/null
        ok=; for i in $(seq 50); do
            busybox wget -qO- http://127.0.0.1:8080/ 2>/dev/null | grep -q served-by-berth && { ok=1; break; }
            sleep 0.1
        done
        [ -n "$ok" ] || fail "nothing served on 127.0.0.1:8080"
        [ "$(b port web 80)" = "0.0.0.0:8080" ] || fail "port web 80: $(b port web 80)"
        b port web | grep -qx "53/udp -> 127.0.0.1:5353" || fail "port: $(b port web)"
        # podman: --all starts each line with the short id and a tab
        id=$(b inspect --format "{{.Id}}" web)
        [ "$(b port -a)" = "$(printf "%s\t80/tcp -> 0.0.0.0:8080\n%s\t53/udp -> 127.0.0.1:5353" ${id:0:12} ${id:0:12})" ] ||
            fail "port -a: $(b port -a)"
        [ "$(b port web 81 2>&1)" = "Error: failed to find published port \"81\"" ] || fail "port web 81"
        # a container that is not running has nothing to report
        b stop -t 0 web >/dev/null
        [ -z "$(b port web; b port web 80; b port -a)" ] || fail "port of a stopped container"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "a second container publishing a taken port fails clearly and leaves nothing" {
    run in_netns '
        b run -d --name first -p 8081:80 $IMG sleep 100 >/dev/null
        if b run -d --name second -p 8081:80 $IMG sleep 100 2>$BATS_TEST_TMPDIR/err; then fail "second started"; fi
        grep -q "8081" $BATS_TEST_TMPDIR/err || fail "error does not name the port: $(cat $BATS_TEST_TMPDIR/err)"
        grep -q "address already in use" $BATS_TEST_TMPDIR/err || fail "$(cat $BATS_TEST_TMPDIR/err)"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

# podman: a published port another process holds fails run with 126
# and start with 125 ("unable to start container ..."), in its words;
# nothing is left (the container stays Created; --rm removes it).
@test "a port another process holds: podman's error and exit codes, no leftovers" {
    run in_netns '
        python3 -c "
import socket, time
s = socket.socket(); s.bind((\"0.0.0.0\", 8082)); s.listen(); print(\"up\", flush=True); time.sleep(60)" >$BATS_TEST_TMPDIR/up &
        for i in $(seq 100); do grep -q up $BATS_TEST_TMPDIR/up && break; sleep 0.05; done
        want="Error: cannot listen on the TCP port: listen tcp4 :8082: bind: address already in use"
        b run --name r1 -p 8082:80 $IMG true 2>$BATS_TEST_TMPDIR/err && fail "r1 ran"
        rc=0; b run --name r1b -p 8082:80 $IMG true 2>/dev/null || rc=$?
        [ $rc = 126 ] || fail "run exit $rc"
        [ "$(cat $BATS_TEST_TMPDIR/err)" = "$want" ] || fail "run: $(cat $BATS_TEST_TMPDIR/err)"
        rc=0; b run -d --rm -p 8082:80 $IMG true 2>/dev/null || rc=$?
        [ $rc = 126 ] || fail "run -d --rm exit $rc"
        id=$(b create -p 8082:80 $IMG true)
        rc=0; b start $id 2>$BATS_TEST_TMPDIR/err || rc=$?
        [ $rc = 125 ] || fail "start exit $rc"
        [ "$(cat $BATS_TEST_TMPDIR/err)" = "Error: unable to start container \"$id\": ${want#Error: }" ] ||
            fail "start: $(cat $BATS_TEST_TMPDIR/err)"
        [ "$(b ps -a --format "{{.Names}} {{.Status}}" | sort | grep -c " Created$")" = 3 ] || fail "$(b ps -a)"
        [ -z "$(ls $BATS_TEST_TMPDIR/scratch/netns 2>/dev/null)" ] || fail "netns left: $(ls $BATS_TEST_TMPDIR/scratch/netns)"
        ! iptables -t nat -S 2>/dev/null | grep -q 8082 || fail "rules left: $(iptables -t nat -S)"
        [ "$(ip -o link | wc -l)" = 1 ] || fail "links left: $(ip -o link)"
        kill %1'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

# (confd's entrypoint is sh -c: its command is one string; "sleep" "100"
# ran sleep with no operand, which exits at once, and port of an exited
# container prints nothing)
@test "-P publishes the image's exposed ports on free host ports" {
    load_image confd
    run in_netns '
        b run -d --name pa -P localhost/confd "sleep 100" >/dev/null
        b port pa | grep -q "^8080/tcp -> 0.0.0.0:[0-9]" || fail "port: $(b port pa)"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "containers on one user network reach each other by name; not across networks" {
    run in_netns '
        b network create app >/dev/null
        b network create other >/dev/null
        b run -d --name srv --network app -v $WWW:/www:ro $IMG httpd -f -p 80 -h /www >/dev/null
        b run -d --name lonely --network other $IMG sleep 100 >/dev/null
        out=$(b run --rm --network app $IMG sh -c "for i in \$(seq 50); do timeout 2 wget -qO- http://srv/ 2>/dev/null && exit 0; sleep 0.1; done; exit 1")
        [ "$out" = served-by-berth ] || fail "by name: $out"
        if b run --rm --network other $IMG timeout 3 wget -qO- http://srv/ 2>/dev/null; then fail "reached srv from another network"; fi'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "--internal networks have no route out" {
    run in_netns '
        b network create --internal closed >/dev/null
        r=$(b run --rm --network closed $IMG ip route)
        echo "$r" | grep -q "^default" && fail "default route on an internal network: $r"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "network rm -f removes the containers that use the network, running or not" {
    run in_netns '
        b network create doomed >/dev/null
        b run -d --name runs --network doomed $IMG sleep 100 >/dev/null
        b create --name waits --network doomed $IMG true >/dev/null
        b create --name elsewhere --network none $IMG true >/dev/null
        b network rm -f -t 0 doomed >/dev/null || fail "network rm -f failed"
        [ "$(b ps -a --format "{{.Names}}")" = elsewhere ] || fail "left: $(b ps -a --format "{{.Names}}")"
        if b network exists doomed; then fail "network still exists"; fi
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "rm -f leaves no netns, veth, bridge address, firewall rule or address allocation" {
    run in_netns '
        id=$(b run -d -p 8082:80 $IMG sleep 100)
        [ -n "$(ls $BATS_TEST_TMPDIR/scratch/netns)" ] || fail "no netns file"
        b rm -f -t 0 $id >/dev/null
        ip link | grep -q veth && fail "veth left: $(ip link)"
        iptables-save | grep -q "$id\|10\.87\.0\.2\b\|8082" && fail "rules left: $(iptables-save | grep "$id\|10.87.0.2\|8082")"
        [ -z "$(ls $BATS_TEST_TMPDIR/scratch/netns)" ] || fail "netns left"
        grep -q "$id" $S/networks/ipam/berth.json && fail "address still allocated"
        grep -q "$BATS_TEST_TMPDIR/.*netns/netns-" /proc/self/mounts && fail "netns still mounted"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "kill -9 of berth during init, then rm -f: nothing of the container is left" {
    run in_netns '
        for i in 1 2 3 4 5 6; do
            $BERTH_BIN $BERTH_ARGS_STR run -d --name k$i $IMG sleep 100 >/dev/null 2>&1 & pid=$!
            sleep 0.0$i; kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
        done
        b rm --all --force -t 0 >/dev/null
        ip link | grep -q veth && fail "veth left"
        [ -z "$(ls $BATS_TEST_TMPDIR/scratch/netns 2>/dev/null)" ] || fail "netns left: $(ls $BATS_TEST_TMPDIR/scratch/netns)"
        # no allocation file: every kill landed before the first allocation
        [ ! -e $S/networks/ipam/berth.json ] ||
            jq -e ".allocations | length == 0" $S/networks/ipam/berth.json >/dev/null ||
            fail "allocations left: $(cat $S/networks/ipam/berth.json)"
        iptables-save | grep -q "10\.87\.0\.[0-9]" && fail "rules left: $(iptables-save | grep 10.87.0)"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "after a simulated reboot, refresh drops every allocation and the container starts again" {
    run in_netns '
        id=$(b run -d --name rb $IMG sleep 100)
        pid=$(jq .pid $S/containers/$id/state.json)
        pkill -9 -f "conmon.*$id" || true; kill -9 $pid || true
        ip link del berth0 2>/dev/null || true
        for m in $(awk "\$2 ~ \"^$BATS_TEST_TMPDIR\" {print \$2}" /proc/self/mounts | sort -r); do umount -l $m; done
        echo stale-boot > $BATS_TEST_TMPDIR/scratch/alive
        b container exists rb
        [ ! -f $S/networks/ipam/berth.json ] || jq -e ".allocations | length == 0" $S/networks/ipam/berth.json >/dev/null || fail "allocations kept over a reboot"
        b start rb >/dev/null
        b rm -f -t 0 rb >/dev/null
        ip link | grep -q veth && fail "veth left"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "network reload restores forwarding after berth's firewall chains are flushed" {
    run in_netns '
        b run -d --name rl -p 8083:80 -v $WWW:/www:ro $IMG httpd -f -p 80 -h /www >/dev/null
        get() { for i in $(seq 30); do timeout 2 busybox wget -qO- http://127.0.0.1:8083/ 2>/dev/null && return 0; sleep 0.1; done; return 1; }
        get >/dev/null || fail "not served before the flush"
        iptables -t nat -F; iptables -F
        if timeout 2 busybox wget -qO- http://127.0.0.1:8083/ >/dev/null 2>&1; then fail "still served after the flush"; fi
        b network reload rl >/dev/null || b network reload --all >/dev/null
        get >/dev/null || fail "not served after reload"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "network reload prints what it reloaded; a container not running is refused" {
    run in_netns '
        id=$(b run -d --name rl2 $IMG sleep 100)
        b create --name idle $IMG true >/dev/null
        [ "$(b network reload rl2)" = "$id" ] || fail "reload rl2: $(b network reload rl2 2>&1)"
        [ "$(b network reload --all)" = "$id" ] || fail "reload --all: $(b network reload --all 2>&1)"
        out=$(b network reload idle 2>&1) && fail "idle reloaded: $out"
        [[ $out == "Error: container "*" is not running with bridge networking"* ]] || fail "$out"
        jq -e ".networkStatus.results" $S/containers/$id/state.json >/dev/null || fail "status lost"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "network connect and disconnect a running container" {
    run in_netns '
        b network create app >/dev/null
        id=$(b run -d --name cn $IMG sleep 100)
        b network connect --alias cnalias app cn
        ip=$(jq -r ".networkStatus.results.app.interfaces[].subnets[0].ipnet" $S/containers/$id/state.json)
        ip=${ip%/*}
        [ -n "$ip" ] && [ "$ip" != null ] || fail "no address on app: $(jq -c .networkStatus.results $S/containers/$id/state.json)"
        busybox ping -c1 -W2 $ip >/dev/null || fail "cannot reach $ip"
        jq -e ".networks.app.aliases == [\"cnalias\"]" $S/containers/$id/config.json >/dev/null || fail "alias not recorded"
        [ "$(b ps --format "{{.Networks}}")" = app,berth ] || fail "ps networks: $(b ps --format "{{.Networks}}")"
        if b network connect app cn 2>/dev/null; then fail "connected twice"; fi
        b network disconnect app cn
        jq -e ".networkStatus.results.app == null" $S/containers/$id/state.json >/dev/null || fail "still on app"
        [ "$(b ps --format "{{.Networks}}")" = berth ] || fail "ps networks after disconnect: $(b ps --format "{{.Networks}}")"
        if busybox ping -c1 -W1 $ip >/dev/null 2>&1; then fail "still reachable at $ip"; fi
        grep -q "\"Status\":\"connect\"" $BATS_TEST_TMPDIR/scratch/events/events.log || fail "no connect event"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "network connect --ip6 (and --ip) take the addresses asked for" {
    run -125 --separate-stderr b network connect --ip6 bogus somenet somectr
    [ "$stderr" = $'Error: invalid argument "bogus" for "--ip6" flag: failed to parse IP: "bogus"\nSee \'berth network connect --help\'' ]
    run in_netns '
        b network create --ipv6 --subnet 10.98.0.0/24 --subnet fd00:98::/64 n6 >/dev/null
        id=$(b run -d --name c6 $IMG sleep 100)
        b network connect --ip6 fd00:98::5 --ip 10.98.0.7 n6 c6
        ips=$(jq -r ".networkStatus.results.n6.interfaces[].subnets[].ipnet" $S/containers/$id/state.json | sort | tr "\n" " ")
        [ "$ips" = "10.98.0.7/24 fd00:98::5/64 " ] || fail "running: $ips"
        # a container not running gets them when it starts
        id2=$(b create --name c7 $IMG sleep 100)
        b network connect --ip6 fd00:98::9 n6 c7
        b start c7 >/dev/null
        ips=$(jq -r ".networkStatus.results.n6.interfaces[].subnets[].ipnet" $S/containers/$id2/state.json | sort | tr "\n" " ")
        [[ $ips == *"fd00:98::9/64 "* ]] || fail "started: $ips"
        out=$(b network connect --ip6 fd00:99::1 n6 c6 2>&1) && fail "connected twice: $out"
        true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "network create --ipam-driver: host-local, none (no addresses), podman's errors" {
    run -0 b network create --ipam-driver host-local ih
    run -0 b network inspect --format '{{json .IPAMOptions}} {{len .Subnets}}' ih
    [ "$output" = '{"driver":"host-local"} 1' ]
    run -0 b network create --ipam-driver none inone
    run -0 b network inspect --format '{{json .IPAMOptions}} {{.DNSEnabled}}' inone
    [ "$output" = '{"driver":"none"} false' ]
    run -0 jq -r 'has("subnets")' "$BATS_TEST_TMPDIR/net/inone.json"
    [ "$output" = false ]
    run -125 --separate-stderr b network create --ipam-driver none --subnet 10.55.0.0/24 ix
    [ "$stderr" = "Error: none ipam driver is set but subnets are given" ]
    run -125 --separate-stderr b network create --ipam-driver dhcp ix
    [ "$stderr" = "Error: dhcp ipam driver is not yet supported with netavark" ]
    run -125 --separate-stderr b network create --ipam-driver bogus ix
    [ "$stderr" = 'Error: unsupported ipam driver "bogus"' ]
    # a container on it has its link and no address
    run in_netns '
        out=$(b run --rm --network inone $IMG ip addr show eth0) || fail "run: $out"
        [[ $out == *"eth0"* ]] || fail "no eth0: $out"
        [[ $out != *"inet "* ]] || fail "an address: $out"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "network reload --latest, and podman's words for the selection" {
    run -125 --separate-stderr b network reload
    [ "$stderr" = "Error: you must provide at least one name or id" ]
    run -125 --separate-stderr b network reload --all x
    [ "$stderr" = "Error: no arguments are needed with --all" ]
    run -125 --separate-stderr b network reload --latest x
    [ "$stderr" = "Error: --latest and containers cannot be used together" ]
    run in_netns '
        b run -d --name older $IMG sleep 100 >/dev/null
        id=$(b run -d --name newest $IMG sleep 100)
        [ "$(b network reload --latest)" = "$id" ] || fail "reload -l: $(b network reload -l 2>&1)"'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}
