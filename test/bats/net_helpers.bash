# test/bats/net_helpers.bash: networking tests run inside a private network
# and mount namespace, so bridges, veths, iptables rules, aardvark-dns and
# all traffic live and die with the test. Load after helpers.

# in_netns CMD...: runs CMD (a bash snippet or command) in a fresh netns
# with lo up, / made private, and the test's BERTH_ARGS/BERTH_BIN exported.
in_netns() {
    export BERTH_BIN BERTH_CONFIG
    BERTH_ARGS_STR="${BERTH_ARGS[*]}" unshare --net --mount --fork bash -c '
        set -e
        ip link set lo up
        mount --make-rprivate /
        b() { "$BERTH_BIN" $BERTH_ARGS_STR "$@"; }
        fail() { echo "FAIL: $*" >&2; exit 1; }
        export -f b fail
        eval "$1"' bash "$*"
}

# netns_of CTR: the network namespace of a running container's process
netns_of() { readlink "/proc/$(b inspect --format '{{.State.Pid}}' "$1")/ns/net"; }

net_setup() {
    berth_setup     # which gives the test its own --network-config-dir
}
