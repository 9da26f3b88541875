# test/bats/helpers.bash: every test gets fresh --root/--runroot/--tmpdir
# under its own temp dir, and cleans up what it started.
bats_require_minimum_version 1.5.0

BERTH_BIN=${BERTH_BIN:-$BATS_TEST_DIRNAME/../../berth}

berth_setup() {
    local d=$BATS_TEST_TMPDIR
    # A config file of our own so the host's /etc/berth cannot leak in.
    TEST_CONF=$d/berth.conf
    export BERTH_CONFIG=$TEST_CONF
    net_guard "$d/netguard"
    printf '[network]\nnetavark_plugin_dirs = ["%s"]\n' "$d/netguard" > "$TEST_CONF"
    # Network definitions too: the default dir is the host's /etc/berth/networks.
    BERTH_ARGS=(--root "$d/root" --runroot "$d/runroot" --tmpdir "$d/scratch"
                --network-config-dir "$d/net")
}

b() { "$BERTH_BIN" "${BERTH_ARGS[@]}" "$@"; }

# net_guard DIR: puts a netavark into DIR that refuses to run in the
# network namespace the test started in. A test whose container gets a
# bridge network outside in_netns (net_helpers.bash) would otherwise put
# bridges and firewall chains into the host's namespace: it fails instead,
# naming the cause. Tests that write their own config lose the guard.
net_guard() {
    local dir=$1 real
    real=$(command -v /usr/libexec/podman/netavark /usr/lib/podman/netavark \
           /usr/local/libexec/podman/netavark netavark 2>/dev/null | head -n1)
    mkdir -p "$dir"
    cat > "$dir/netavark" <<EOF
#!/bin/sh
if [ "\$(readlink /proc/self/ns/net)" = "$(readlink /proc/self/ns/net)" ]; then
    echo "netavark refused: the test runs it in the host's network namespace (use in_netns or --network none)" >&2
    exit 1
fi
exec ${real:-/usr/lib/podman/netavark} "\$@"
EOF
    chmod +x "$dir/netavark"
}

berth_teardown() {
    if [ -n "${BERTH_ARGS:-}" ] && [ -d "$BATS_TEST_TMPDIR/root/libpod/containers" ]; then
        # in a network namespace of its own: a container whose bridge
        # network was made in in_netns's namespace (gone now) must not
        # have its teardown's firewall rules and chains done in the host's
        unshare --net "$BERTH_BIN" "${BERTH_ARGS[@]}" rm --all --force --time 0 >/dev/null 2>&1 || true
    fi
    # Nothing of ours may stay mounted below the test dir.
    if [ -n "${BATS_TEST_TMPDIR:-}" ]; then
        awk -v d="$BATS_TEST_TMPDIR" '$2 ~ "^"d {print $2}' /proc/self/mounts | sort -r |
            while read -r m; do umount -l "$m" 2>/dev/null || true; done
    fi
}

# wait_for_log CTR TEXT [SECONDS]: polls the log with a deadline; prints it
# when it gives up, so the failure says what the container did say.
wait_for_log() {
    local ctr=$1 text=$2 t=${3:-10} i
    for ((i = 0; i < t * 10; i++)); do
        b logs "$ctr" 2>&1 | grep -qF -- "$text" && return 0
        sleep 0.1
    done
    echo "# timed out waiting for '$text' in the log of $ctr:" >&2
    b logs "$ctr" >&2 || true
    return 1
}

# retry_until SECONDS CMD...: runs CMD until it succeeds or time is up.
retry_until() {
    local t=$1 i
    shift
    for ((i = 0; i < t * 10; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}
