#!/usr/bin/env bats
# The networking library end to end, through the hidden `__net-test`
# command, inside a private network namespace (net_helpers' in_netns):
# netns, netavark setup on the default network, veth/bridge/IP, ping,
# a published port reaching a listener in the container netns via
# 127.0.0.1, teardown, and nothing left behind.
load helpers
load net_helpers

setup()    { net_setup; }
teardown() { berth_teardown; }

ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

@test "setup, traffic, published port, teardown leaves nothing" {
    mkdir -p "$BATS_TEST_TMPDIR/www"
    echo hello >"$BATS_TEST_TMPDIR/www/index.html"
    export ID WWW=$BATS_TEST_TMPDIR/www IPAM=$BATS_TEST_TMPDIR/root/libpod/networks/ipam
    run in_netns '
        ns=$(b __net-test netns-create)
        grep -q " $ns nsfs " /proc/self/mounts
        b __net-test setup $ID web $ns -p 8080:80 -p 127.0.0.1:9090:90/udp >/dev/null
        ip -4 addr show berth0 | grep -q "inet 10.87.0.1/16"
        ip link | grep -q "master berth0"
        nsenter --net=$ns ip -4 addr show eth0 | grep -q "inet 10.87.0.2/16"
        busybox ping -c1 -W2 10.87.0.2 >/dev/null
        nsenter --net=$ns busybox httpd -f -p 80 -h $WWW & hp=$!
        ok=; for i in $(seq 50); do
            if busybox wget -qO- http://127.0.0.1:8080/index.html 2>/dev/null | grep -q hello; then ok=1; break; fi
            sleep 0.1
        done
        kill $hp; wait $hp || true
        [ -n "$ok" ]
        b __net-test settings $ID | jq -e ".IPAddress == \"10.87.0.2\" and .Ports[\"80/tcp\"][0].HostPort == \"8080\" and .Networks.berth.Gateway == \"10.87.0.1\""
        grep -q 10.87.0.2 $IPAM/berth.json
        iptables-save | grep -q "10.87.0.2:80"
        b __net-test teardown $ID $ns
        b __net-test netns-remove $ns
        ip link | grep -q "veth\|berth0" && fail "left over: ip link | grep -q 'veth\|berth0'"
        iptables-save | grep -q "10.87\|$ID" && fail "left over: iptables-save | grep -q '10.87\|$ID'"
        grep -q 10.87.0.2 $IPAM/berth.json && fail "left over: grep -q 10.87.0.2 $IPAM/berth.json"
        grep -q " $ns " /proc/self/mounts && fail "left over: grep -q ' $ns ' /proc/self/mounts"
        [ ! -e $ns ]
        echo done'
    echo "$output"; [ "$status" -eq 0 ] && [ "${lines[-1]}" = done ]
}

@test "teardown converges without a status (setup killed midway) and twice" {
    export ID
    run in_netns '
        ns=$(b __net-test netns-create)
        b __net-test setup $ID web $ns >/dev/null
        # The netns vanished (e.g. after a crash): teardown still removes the rules.
        b __net-test netns-remove $ns
        b __net-test teardown $ID
        b __net-test teardown $ID
        iptables-save | grep -q "10.87" && fail "left over: iptables-save | grep -q '10.87'"
        echo done'
    echo "$output"; [ "$status" -eq 0 ] && [ "${lines[-1]}" = done ]
}

@test "two containers on a user network resolve each other (aardvark-dns)" {
    export ID ID2=${ID/0123/4567} TMPD=$BATS_TEST_TMPDIR/scratch
    run in_netns '
        b network create --subnet 10.91.0.0/24 dnsnet >/dev/null
        ns1=$(b __net-test netns-create); ns2=$(b __net-test netns-create)
        b __net-test setup $ID one $ns1 --network dnsnet >/dev/null
        b __net-test setup $ID2 two $ns2 --network dnsnet=10.91.0.50 >/dev/null
        b __net-test resolv $ID | grep -q "nameserver 10.91.0.1"
        b __net-test resolv $ID | grep -q "search dns.podman"
        ok=; for i in $(seq 30); do
            if nsenter --net=$ns1 busybox nslookup two 10.91.0.1 2>/dev/null | grep -q 10.91.0.50; then ok=1; break; fi
            sleep 0.1
        done
        [ -n "$ok" ]
        # A taken static address is refused with podman'"'"'s words.
        ns3=$(b __net-test netns-create)
        b __net-test setup ${ID/0/9} three $ns3 --network dnsnet=10.91.0.50 2>$BATS_TEST_TMPDIR/err && fail "taken ip accepted"
        grep -q "IPAM error: requested ip address 10.91.0.50 is already allocated to container ID $ID2" $BATS_TEST_TMPDIR/err
        b __net-test netns-remove $ns3
        b __net-test teardown $ID $ns1; b __net-test teardown $ID2 $ns2
        b __net-test netns-remove $ns1; b __net-test netns-remove $ns2
        pf=$TMPD/networks/aardvark-dns/aardvark.pid
        gone=; for i in $(seq 50); do
            if [ ! -s $pf ] || ! kill -0 $(cat $pf) 2>/dev/null; then gone=1; break; fi
            sleep 0.1
        done
        [ -n "$gone" ] || fail "aardvark-dns still running"
        ip link | grep -q berth && fail "left over: ip link | grep -q berth"
        echo done'
    echo "$output"; [ "$status" -eq 0 ] && [ "${lines[-1]}" = done ]
}
