# bench/lib.sh: helpers and scenarios for bench/run.sh. A scenario is a
# function bench_NAME that prepares both engines and calls
# compare NAME 'podman command' 'berth command' [prepare-command].

BERTH_BIN=${BERTH_BIN:-$PWD/berth}
BENCH_RUNS=${BENCH_RUNS:-20}

bench_init() {
    W=$(mktemp -d /tmp/berth-bench.XXXXXX)
    mkdir -p "$W/p" "$W/b"
    cat > "$W/p/containers.conf" <<EOT
[containers]
default_ulimits = []
[engine]
runtime = "runc"
events_logfile_max_size = 0
[network]
network_config_dir = "$W/p/net"
EOT
    : > "$W/b/berth.conf"
    export CONTAINERS_CONF=$W/p/containers.conf
    export BERTH_CONFIG=$W/b/berth.conf
    P="podman --root $W/p/root --runroot $W/p/run --tmpdir $W/p/tmp"
    B="$BERTH_BIN --root $W/b/root --runroot $W/b/run --tmpdir $W/b/tmp"
    # first use of each store (refresh, dirs) is not what we measure
    $P info >/dev/null 2>&1 || true
    $B info >/dev/null 2>&1 || true
}

bench_cleanup() {
    $P rm -af -t 0 >/dev/null 2>&1 || true
    $B rm -af -t 0 >/dev/null 2>&1 || true
    awk -v d="$W" '$2 ~ "^"d {print $2}' /proc/self/mounts | sort -r | xargs -r umount -l 2>/dev/null || true
    rm -rf "$W"
}

# bench_list: every scenario defined here, in file order
bench_list() {
    declare -F | awk '{print $3}' | grep '^bench_' |
        grep -vE '^bench_(init|cleanup|list)$' | sed 's/^bench_//'
}

# compare NAME PODMAN_CMD BERTH_CMD: times both with hyperfine, prints a row
compare() {
    local name=$1 pc=$2 bc=$3 out=$W/$1.json
    if ! hyperfine -N -w 2 -r "$BENCH_RUNS" --export-json "$out" -n podman "$pc" -n berth "$bc" \
            >/dev/null 2>"$W/$1.err"; then
        printf '%-34s %s\n' "$name" "FAILED: $(tail -1 "$W/$1.err")"
        return 0
    fi
    jq -r --arg n "$name" '
        (.results[] | select(.command=="podman") | .mean * 1000) as $p |
        (.results[] | select(.command=="berth")  | .mean * 1000) as $b |
        "\($n)\t\($p)\t\($b)\t\($p / $b)"' "$out" |
        awk -F'\t' '{ printf "%-34s %12.2f %12.2f %8.1fx\n", $1, $2, $3, $4 }'
}

bench_version() { compare version "$P version" "$B version"; }
bench_info()    { compare info "$P info" "$B info"; }

# 10,000 events in each log (same line format), read without streaming
bench_events_10k() {
    local line='{"ID":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","Image":"localhost/busybox:latest","Name":"bench","Status":"create","Time":"2026-11-22T23:10:01.872635993Z","Type":"container","Attributes":{}}'
    mkdir -p "$W/p/tmp/events" "$W/b/tmp/events"
    yes "$line" | head -n 10000 > "$W/p/tmp/events/events.log"
    cp "$W/p/tmp/events/events.log" "$W/b/tmp/events/events.log"
    compare events_10k "$P events --stream=false" "$B events --stream=false"
}
