# bench/lib.sh: helpers and scenarios for bench/run.sh. A scenario is a
# function bench_NAME that prepares both engines and calls
# compare NAME 'podman command' 'berth command' [prepare-command].

BERTH_BIN=${BERTH_BIN:-$PWD/berth}
BENCH_RUNS=${BENCH_RUNS:-20}

# bench_in_ns SCRIPT ARGS...: re-executes the script once in private
# mount and network namespaces (lo up, a /dev/shm of its own), so the
# bridges, firewall rules and traffic of the networking scenarios never
# reach the host and podman's SHM lock table is its own; returns in the
# re-executed one
bench_in_ns() {
    [ -n "${BENCH_IN_NS:-}" ] && return 0
    export BENCH_IN_NS=1
    exec unshare -m --net bash -c 'ip link set lo up && mount --make-rprivate / &&
        mount -t tmpfs tmpfs /dev/shm && exec bash "$0" "$@"' "$@"
}

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
    # runc by default on both sides, as podman's containers.conf says: once a
    # crun scenario has made crun usable here (crun_ready), berth would
    # choose it by default, and the runc rows after it would time crun
    printf '[engine]\nruntime = "runc"\n' > "$W/b/berth.conf"
    export CONTAINERS_CONF=$W/p/containers.conf
    export BERTH_CONFIG=$W/b/berth.conf
    P="podman --root $W/p/root --runroot $W/p/run --tmpdir $W/p/tmp"
    B="$BERTH_BIN --root $W/b/root --runroot $W/b/run --tmpdir $W/b/tmp"
    # first use of each store (refresh, dirs) is not what we measure
    $P info >/dev/null 2>&1 || true
    $B info >/dev/null 2>&1 || true
}

bench_cleanup() {
    local p
    for p in "$W"/reg/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
    $P rm -af -t 0 >/dev/null 2>&1 || true
    $B rm -af -t 0 >/dev/null 2>&1 || true
    awk -v d="$W" '$2 ~ "^"d {print $2}' /proc/self/mounts | sort -r | xargs -r umount -l 2>/dev/null || true
    rm -rf "$W"
}

# bench_list: every scenario defined here, in file order
bench_list() {
    declare -F | awk '{print $3}' | grep '^bench_' |
        grep -vE '^bench_(init|cleanup|list|in_ns)$' | sed 's/^bench_//'
}

# timed NAME HYPERFINE-ARGS...: runs hyperfine (commands named podman and
# berth) and prints NAME's row: both means and the ratio podman/berth.
# Each series starts after a sync: the second engine should not pay for
# writing back the dirty pages the first one left (this VM's disk makes
# fsyncs wait behind them for seconds after a podman series).
timed() {
    local name=$1 out=$W/$1.json
    shift
    if ! hyperfine -N -s sync -r "$BENCH_RUNS" --export-json "$out" "$@" >/dev/null 2>"$W/$name.err"; then
        printf '%-34s %s\n' "$name" "FAILED: $(tail -1 "$W/$name.err")"
        return 0
    fi
    jq -r --arg n "$name" '
        (.results[] | select(.command=="podman") | .mean * 1000) as $p |
        (.results[] | select(.command=="berth")  | .mean * 1000) as $b |
        "\($n)\t\($p)\t\($b)\t\($p / $b)"' "$out" |
        awk -F'\t' '{ printf "%-34s %12.2f %12.2f %8.1fx\n", $1, $2, $3, $4 }'
}

# compare NAME PODMAN_CMD BERTH_CMD: times both, prints a row
compare() { timed "$1" -w 2 -n podman "$2" -n berth "$3"; }

# compare_prepared NAME PODMAN_PREP PODMAN_CMD BERTH_PREP BERTH_CMD: as
# compare, each timed run preceded by its engine's untimed prepare command
compare_prepared() { timed "$1" -w 1 --prepare "$2" -n podman "$3" --prepare "$4" -n berth "$5"; }

bench_version() { compare version "$P version" "$B version"; }
# the floor of any command: the exec of /bin/true, printed in the podman
# column beside berth version (the aim: berth version within 1.5x of it,
# a ratio of 0.67x or more)
bench_true_floor() { compare true_floor_vs_berth_version /bin/true "$B version"; }
bench_info()    { compare info "$P info" "$B info"; }

# 10,000 events in each log (same line format), read without streaming
bench_events_10k() {
    local line='{"ID":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","Image":"localhost/busybox:latest","Name":"bench","Status":"create","Time":"2026-11-22T23:10:01.872635993Z","Type":"container","Attributes":{}}'
    mkdir -p "$W/p/tmp/events" "$W/b/tmp/events"
    yes "$line" | head -n 10000 > "$W/p/tmp/events/events.log" || true   # yes: SIGPIPE
    cp "$W/p/tmp/events/events.log" "$W/b/tmp/events/events.log"
    compare events_10k "$P events --stream=false" "$B events --stream=false"
}

# ---- containers (issue 5) -------------------------------------------------
# Both stores get the same locally built busybox image.
bench_images_ready=
images_ready() {
    [ -n "$bench_images_ready" ] && return 0
    bash test/images/build.sh build/test-images >/dev/null
    $P load -q -i build/test-images/busybox.docker.tar >/dev/null 2>&1
    $B load -q -i build/test-images/busybox.docker.tar >/dev/null 2>&1
    bench_images_ready=1
}

# ensure_ctrs N: both stores hold exactly N created containers named bN-i
ensure_ctrs() {
    local n=$1 have
    images_ready
    have=$($B ps -aq | wc -l)
    if [ "$have" -gt "$n" ]; then
        $P rm -af -t 0 >/dev/null 2>&1; $B rm -af -t 0 >/dev/null 2>&1; have=0
    fi
    for ((i = have; i < n; i++)); do
        $P create --network none localhost/busybox true >/dev/null 2>&1
        $B create --network none localhost/busybox true >/dev/null 2>&1
    done
}

bench_run_rm() {
    images_ready
    compare run_rm_true "$P run --rm --network none localhost/busybox true" \
        "$B --runtime runc run --rm --network none localhost/busybox true"
}

# --userns auto: a user namespace from the "containers" ranges. The
# subordinate id files are the bench's own: podman reads /etc/subuid, so a
# file of ours is bound over it (this script runs in a private mount
# namespace); berth reads $BERTH_SUBUID_FILE. The mapped root must be let
# through the directories above both stores.
subids_are_ready=
subids_ready() {
    [ -n "$subids_are_ready" ] && return 0
    echo "containers:200000:1000000" > "$W/subuid"
    echo "containers:200000:1000000" > "$W/subgid"
    mount --bind "$W/subuid" /etc/subuid && mount --bind "$W/subgid" /etc/subgid
    chmod o+x "$W" "$W/p" "$W/b"
    export BERTH_SUBUID_FILE=$W/subuid BERTH_SUBGID_FILE=$W/subgid
    subids_are_ready=1
}

# berth pins its runtime in the runc rows: after a crun scenario has
# unmounted the cgroup2 mount, its default would be crun (podman's
# containers.conf here says runc)
bench_run_rm_userns_auto() {
    images_ready; subids_ready
    compare run_rm_userns_auto "$P run --rm --network none --userns auto localhost/busybox true" \
        "$B --runtime runc run --rm --network none --userns auto localhost/busybox true"
}

# the floor: a bare `runc run` of the same rootfs, no engine at all
# (runc's own default config: no seccomp, all of its defaults)
bench_runc_floor() {
    local bundle=$W/runc-bundle
    mkdir -p "$bundle/rootfs/bin"
    cp /bin/busybox "$bundle/rootfs/bin/"
    ln -sf busybox "$bundle/rootfs/bin/true"
    (cd "$bundle" && runc spec && jq '.process.args=["/bin/true"] | .process.terminal=false' config.json > c && mv c config.json)
    images_ready
    compare runc_floor_vs_berth_run "runc run --bundle $bundle bench-floor" \
        "$B run --rm --network none localhost/busybox true"
}

# same_config_bundle BUNDLE [RUNTIME]: a bundle whose config.json is the one berth wrote for
# a `run --network none localhost/busybox true` (seccomp profile, masks,
# mounts, cgroup), with its own copy of the rootfs and of the files berth
# bind-mounts, so runc alone does what it does under berth
same_config_bundle() {
    local bundle=$1 id cfg src
    mkdir -p "$bundle/files"
    # crun: a first run keeps crun's compiled filter, which the config of
    # every later create then hands back (runtime/seccache.h), as berth's
    # own runs in the comparison get it
    [ "${2:-}" != crun ] || $B --runtime crun run --rm --network none localhost/busybox true >/dev/null
    id=$($B ${2:+--runtime $2} create --network none localhost/busybox true)
    $B init "$id" >/dev/null
    cfg=$($B inspect --format '{{.OCIConfigPath}}' "$id")
    src=$(jq -r .root.path "$cfg")
    cp -a "$src" "$bundle/rootfs"
    jq -r '.mounts[] | select(.type == "bind") | .source' "$cfg" | while read -r f; do
        cp -a "$f" "$bundle/files/"
    done
    jq --arg b "$bundle" '.root.path = ($b + "/rootfs") | .process.terminal = false |
        .linux.cgroupsPath = "/berth_parent/bench-same-config" |
        .mounts |= map(if .type == "bind" then .source = ($b + "/files/" + (.source | split("/") | last)) else . end)' \
        "$cfg" > "$bundle/config.json"
    $B rm -f "$id" >/dev/null
}

# runc with the very config berth generates: what is left of `run` is
# berth's (and conmon's) share. `runc run` is one Go process; an engine
# driving runc through conmon needs three (create, start, delete), which
# the second line times: the floor for any conmon-based engine.
bench_runc_same_config() {
    local bundle=$W/same-config
    images_ready
    same_config_bundle "$bundle"
    compare runc_same_config_vs_berth_run "runc run --bundle $bundle bench-same" \
        "$B run --rm --network none localhost/busybox true"
    compare runc_create_start_delete_vs_berth \
        "sh -c 'runc create --bundle $bundle bench-csd >/dev/null && runc start bench-csd && runc delete -f bench-csd'" \
        "$B run --rm --network none localhost/busybox true"
}

# the same with crun (its bench namespace, as bench_crun_floor): a bare
# `crun run` of berth's own config (seccomp filter, masks, mounts, the
# cgroup and its limits) against berth's crun run --rm, and the three
# crun processes conmon needs for one run
bench_crun_same_config() {
    local bundle=$W/crun-same-config
    images_ready; crun_ready
    same_config_bundle "$bundle" crun
    compare crun_same_config_vs_berth_run "crun run --bundle $bundle bench-crun-same" \
        "$B --runtime crun run --rm --network none localhost/busybox true"
    compare crun_create_start_delete_vs_berth \
        "sh -c 'crun create --bundle $bundle bench-crun-csd >/dev/null && crun start bench-crun-csd && crun delete -f bench-crun-csd'" \
        "$B --runtime crun run --rm --network none localhost/busybox true"
}

bench_create() {
    images_ready
    compare create "$P create --network none localhost/busybox true" \
        "$B create --network none localhost/busybox true"
    $P rm -af >/dev/null 2>&1; $B rm -af >/dev/null 2>&1
}

bench_start_stop() {
    images_ready
    $P create --name pss --network none localhost/busybox sleep 1000 >/dev/null
    $B create --name bss --network none localhost/busybox sleep 1000 >/dev/null
    compare start_stop_t0 "sh -c '$P start pss >/dev/null && $P stop -t 0 pss >/dev/null'" \
        "sh -c '$B start bss >/dev/null && $B stop -t 0 bss >/dev/null'"
    $P rm -f pss >/dev/null 2>&1; $B rm -f bss >/dev/null 2>&1
}

bench_ps_0()    { ensure_ctrs 0;    compare ps_a_0    "$P ps -a" "$B ps -a"; }
bench_ps_100()  { ensure_ctrs 100;  compare ps_a_100  "$P ps -a" "$B ps -a"; }
bench_ps_1000() { ensure_ctrs 1000; compare ps_a_1000 "$P ps -a" "$B ps -a"; }

bench_inspect_1000() {
    ensure_ctrs 1000
    local pid bid
    # awk reads it all: head would close the pipe early, and under
    # pipefail the writer's SIGPIPE would end the whole run
    pid=$($P ps -aq | awk 'NR == 1'); bid=$($B ps -aq | awk 'NR == 1')
    compare inspect_of_1000 "$P container inspect $pid" "$B container inspect $bid"
}

# plain `inspect NAME` (no --type): a container is found first, and
# nothing about the other 1000 containers or the images may be read
bench_inspect_plain_1000() {
    ensure_ctrs 1000
    local pid bid
    pid=$($P ps -aq | awk 'NR == 1'); bid=$($B ps -aq | awk 'NR == 1')
    compare inspect_plain_of_1000 "$P inspect $pid" "$B inspect $bid"
}

bench_logs_10k() {
    images_ready
    $P run --name plog --network none localhost/busybox sh -c 'seq 10000' >/dev/null
    $B run --name blog --network none localhost/busybox sh -c 'seq 10000' >/dev/null
    compare logs_10k_lines "$P logs plog" "$B logs blog"
    $P rm -f plog >/dev/null 2>&1; $B rm -f blog >/dev/null 2>&1
}

bench_rm() {
    images_ready
    # each timed run removes a container created by the prepare command
    compare_prepared rm "$P create --name prm --network none localhost/busybox true" "$P rm prm" \
        "$B create --name brm --network none localhost/busybox true" "$B rm brm"
}

# peak resident memory (KiB) of one command's process tree: the largest
# process of it, as wait4 reports. GNU time forks from a ~2 MB process;
# python's fork (what this used before) counted python's own 14 MB for
# any command smaller than that.
peak_rss() {
    /usr/bin/time -f %M -o "$W/rss.out" "$@" >/dev/null 2>&1
    tail -1 "$W/rss.out"
}

# own_rss CMD...: the peak resident size (KiB) of the engine's own process,
# not of its children: bench/vmhwm.so reports VmHWM at exit. (For podman,
# a Go program that exits without atexit, peak_rss stands in: podman is
# the largest process of its tree.)
own_rss() {
    [ -f "$W/vmhwm.so" ] || cc -shared -fPIC -O2 -o "$W/vmhwm.so" bench/vmhwm.c
    : > "$W/vmhwm.out"
    VMHWM_OUT=$W/vmhwm.out LD_PRELOAD=$W/vmhwm.so "$@" >/dev/null 2>&1
    sort -n "$W/vmhwm.out" | tail -1
}

bench_rss() {
    ensure_ctrs 100
    local p b
    # shellcheck disable=SC2086
    p=$(peak_rss $P ps -a); b=$(peak_rss $B ps -a)
    printf '%-34s %9s KiB %9s KiB %8.1fx\n' "peak_rss_ps_a_100" "$p" "$b" "$(echo "$p / $b" | bc -l)"
    # the whole tree: runc's own size dominates berth's side
    # shellcheck disable=SC2086
    p=$(peak_rss $P run --rm --network none localhost/busybox true)
    b=$(peak_rss $B run --rm --network none localhost/busybox true)
    printf '%-34s %9s KiB %9s KiB %8.1fx\n' "peak_rss_run_rm_tree" "$p" "$b" "$(echo "$p / $b" | bc -l)"
    # shellcheck disable=SC2086
    b=$(own_rss $B run --rm --network none localhost/busybox true)
    printf '%-34s %9s KiB %9s KiB %8.1fx\n' "peak_rss_run_rm_engine" "$p" "$b" "$(echo "$p / $b" | bc -l)"
}

# ---- networking (issue 6) -------------------------------------------------
bench_run_rm_bridge() {
    images_ready
    compare run_rm_bridge "$P run --rm localhost/busybox true" "$B run --rm localhost/busybox true"
}

bench_run_p_rm() {
    images_ready
    compare run_d_publish_rm_f \
        "sh -c '$P run -d --name pp -p 18080:80 localhost/busybox sleep 100 >/dev/null && $P rm -f -t 0 pp >/dev/null'" \
        "sh -c '$B run -d --name bp -p 18081:80 localhost/busybox sleep 100 >/dev/null && $B rm -f -t 0 bp >/dev/null'"
}

bench_network_ls_50() {
    local i
    for i in $(seq 50); do
        $P network create "bn$i" >/dev/null 2>&1
        $B network create "bn$i" >/dev/null 2>&1
    done
    compare network_ls_50 "$P network ls" "$B network ls"
}

# ---- images (issue 4) -----------------------------------------------------
bench_load_100mb() {
    python3 bench/mkarchive.py "$W/big.tar" big 40 30 30
    # each run loads into an emptied store, so layers are really unpacked
    compare_prepared load_100mb_3_layers "$P rmi -af" "$P load -q -i $W/big.tar" \
        "$B rmi -af" "$B load -q -i $W/big.tar"
    bench_images_ready=     # the stores were emptied: the next scenario loads again
}

bench_images_200() {
    local i
    for i in $(seq 200); do
        python3 bench/mkarchive.py "$W/i$i.tar" "i$i" 0
        $P load -q -i "$W/i$i.tar" >/dev/null 2>&1
        $B load -q -i "$W/i$i.tar" >/dev/null 2>&1
        rm -f "$W/i$i.tar"
    done
    compare images_200 "$P images" "$B images"
    compare image_inspect_of_200 "$P image inspect localhost/bench-i100" "$B image inspect localhost/bench-i100"
}

bench_rmi() {
    python3 bench/mkarchive.py "$W/r.tar" rmi 1
    compare_prepared rmi "$P load -q -i $W/r.tar" "$P rmi localhost/bench-rmi" \
        "$B load -q -i $W/r.tar" "$B rmi localhost/bench-rmi"
}

# ---- system (issue 17) ----------------------------------------------------
# system df over the images the images scenario loaded (BENCH_DF_IMAGES,
# default 200, made here when fewer are there) and BENCH_DF_CTRS (default
# 1000) created containers; -v sums the same rows per object.
bench_system_df() {
    local i have n=${BENCH_DF_IMAGES:-200}
    images_ready
    have=$($B images -q | wc -l)
    for ((i = have; i < n; i++)); do
        python3 bench/mkarchive.py "$W/df$i.tar" "df$i" 0
        $P load -q -i "$W/df$i.tar" >/dev/null 2>&1
        $B load -q -i "$W/df$i.tar" >/dev/null 2>&1
        rm -f "$W/df$i.tar"
    done
    ensure_ctrs "${BENCH_DF_CTRS:-1000}"
    compare system_df "$P system df" "$B system df"
    compare system_df_v "$P system df -v" "$B system df -v"
}

# ---- crun (issue 11) ------------------------------------------------------
# crun refuses this hybrid host only because its cgroup2 mount
# (/sys/fs/cgroup/unified) holds a controller. bench/run.sh runs in a
# private mount namespace: without that mount the host is plain cgroup v1
# and crun works, for podman and for berth. These scenarios come last, so
# the runc ones above measure the host as it is.
crun_is_ready=
crun_ready() {
    [ -n "$crun_is_ready" ] && return 0
    if [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
        umount /sys/fs/cgroup/unified
    fi
    crun_is_ready=1
}

bench_crun_run_rm() {
    images_ready; crun_ready
    compare run_rm_true_crun "$P --runtime crun run --rm --network none localhost/busybox true" \
        "$B --runtime crun run --rm --network none localhost/busybox true"
}

# the crun floor: a bare `crun run` of a busybox bundle (crun's own default
# config), printed in the podman column beside berth with crun
crun_bundle_ready() {
    local bundle=$W/crun-bundle
    images_ready; crun_ready
    [ -f "$bundle/config.json" ] && return 0
    mkdir -p "$bundle/rootfs/bin"
    cp /bin/busybox "$bundle/rootfs/bin/"
    ln -sf busybox "$bundle/rootfs/bin/true"
    (cd "$bundle" && crun spec && jq '.process.args=["/bin/true"] | .process.terminal=false' config.json > c && mv c config.json)
}

bench_crun_floor() {
    local bundle=$W/crun-bundle
    crun_bundle_ready
    compare crun_floor_vs_berth_crun "crun run --bundle $bundle bench-crun-floor" \
        "$B --runtime crun run --rm --network none localhost/busybox true"
}

# the same at a person's or a script's pace: 50 ms between runs (not
# timed), so each run meets the kernel's cgroup semaphore idle, as a
# command typed or run now and then does (back to back, as above, the
# previous run left it warm: a bare crun then pays no grace period on its
# cgroup move; berth pays none either way, runtime/cgprime.h)
bench_crun_floor_paced() {
    local bundle=$W/crun-bundle
    crun_bundle_ready
    compare_prepared crun_floor_paced_vs_berth_crun \
        "sleep 0.05" "crun run --bundle $bundle bench-crun-floor" \
        "sleep 0.05" "$B --runtime crun run --rm --network none localhost/busybox true"
}

# --userns auto with crun on both sides (the subordinate ids as in
# bench_run_rm_userns_auto)
bench_run_rm_userns_auto_crun() {
    images_ready; crun_ready; subids_ready
    compare run_rm_userns_auto_crun \
        "$P --runtime crun run --rm --network none --userns auto localhost/busybox true" \
        "$B --runtime crun run --rm --network none --userns auto localhost/busybox true"
}

# The first --userns auto run of a freshly loaded image: before each timed
# run, each engine's image is removed and loaded again (untimed), so podman
# has no copy of its layers for that mapping yet and makes one (it chowns
# the image's files into the new range); berth maps the same layers with
# idmapped mounts. busybox is ~400 files: the copy costs more with more
# files.
bench_run_rm_userns_auto_first() {
    images_ready; crun_ready; subids_ready
    local t=$PWD/build/test-images/busybox.docker.tar
    printf '#!/bin/sh\n%s rmi -f localhost/busybox >/dev/null 2>&1\nexec %s load -q -i %s >/dev/null\n' "$P" "$P" "$t" > "$W/p/reload.sh"
    printf '#!/bin/sh\n%s rmi -f localhost/busybox >/dev/null 2>&1\nexec %s load -q -i %s >/dev/null\n' "$B" "$B" "$t" > "$W/b/reload.sh"
    chmod +x "$W/p/reload.sh" "$W/b/reload.sh"
    compare_prepared run_rm_userns_auto_fresh_image_crun \
        "$W/p/reload.sh" "$P --runtime crun run --rm --network none --userns auto localhost/busybox true" \
        "$W/b/reload.sh" "$B --runtime crun run --rm --network none --userns auto localhost/busybox true"
}

# ---- --userns auto on an image with many files (issue 18's aim) ----------
# localhost/many (bench/mkmany.sh): busybox plus 20,000 files of 2 KiB,
# 40 MB. podman 4.3.1 chowns a copy of an image per mapping only where its
# storage driver cannot shift ids (containers/storage 1.43's
# SupportsShifting): the vfs driver always; overlay only without idmapped
# lower layers (kernel < 5.19) and without a mount_program. On this kernel
# its overlay uses idmapped mounts, so the chowning podman is the one
# configured with the vfs driver (storage.conf `driver = "vfs"`, or
# --storage-driver vfs as here: podman's choice where overlay cannot be
# used, e.g. inside another container). Every timed run is the image's
# first with a mapping: before it, the image is removed and loaded again
# and the load's 53 MB written back (untimed). Few runs (BENCH_MANY_RUNS, default 3): a vfs run takes tens
# of seconds.
bench_many_ready=
many_ready() {
    [ -n "$bench_many_ready" ] && return 0
    MANY_TAR=$(bash bench/mkmany.sh build/test-images)
    mkdir -p "$W/pv" "$W/bv"
    chmod o+x "$W/pv" "$W/bv"
    PV="podman --storage-driver vfs --root $W/pv/root --runroot $W/pv/run --tmpdir $W/pv/tmp"
    BV="$BERTH_BIN --storage-driver vfs --root $W/bv/root --runroot $W/bv/run --tmpdir $W/bv/tmp"
    local e
    for e in P B PV BV; do
        ${!e} load -q -i "$MANY_TAR" >/dev/null 2>&1
        printf '#!/bin/sh\n%s rmi -f localhost/many >/dev/null 2>&1\n%s load -q -i %s >/dev/null && exec sync\n' \
            "${!e}" "${!e}" "$MANY_TAR" > "$W/reload-many-$e.sh"
        chmod +x "$W/reload-many-$e.sh"
    done
    bench_many_ready=1
}

# many_first NAME PODMAN BERTH: the first --userns auto run of localhost/many
# with engines PODMAN and BERTH (variable names: P, PV, B, BV), runc on both
many_first() {
    local p=${!2} b=${!3}
    BENCH_RUNS=${BENCH_MANY_RUNS:-3} timed "$1" -w 0 \
        --prepare "$W/reload-many-$2.sh" -n podman "$p run --rm --network none --userns auto localhost/many true" \
        --prepare "$W/reload-many-$3.sh" -n berth "$b --runtime runc run --rm --network none --userns auto localhost/many true"
}

# podman chowning (vfs) against berth as it ships (overlay, idmapped mounts)
bench_run_rm_userns_auto_many_first() {
    images_ready; subids_ready; many_ready
    many_first run_rm_userns_auto_many_podman_vfs PV B
}

# both on overlay: neither chowns (podman 4.3.1 uses idmapped mounts here too)
bench_run_rm_userns_auto_many_first_overlay() {
    images_ready; subids_ready; many_ready
    many_first run_rm_userns_auto_many_overlay P B
}

# both on vfs: podman chowns a mapped copy of the image's layer and copies
# it for the container; berth copies the image for the container (vfs has
# no layers to share) and shifts that copy's ids in place
bench_run_rm_userns_auto_many_first_vfs() {
    images_ready; subids_ready; many_ready
    many_first run_rm_userns_auto_many_vfs PV BV
}

bench_crun_rss() {
    local p b
    images_ready; crun_ready
    # shellcheck disable=SC2086
    p=$(peak_rss $P --runtime crun run --rm --network none localhost/busybox true)
    b=$(peak_rss $B --runtime crun run --rm --network none localhost/busybox true)
    printf '%-34s %9s KiB %9s KiB %8.1fx\n' "peak_rss_run_rm_crun_tree" "$p" "$b" "$(echo "$p / $b" | bc -l)"
    # shellcheck disable=SC2086
    b=$(own_rss $B --runtime crun run --rm --network none localhost/busybox true)
    printf '%-34s %9s KiB %9s KiB %8.1fx\n' "peak_rss_run_rm_crun_engine" "$p" "$b" "$(echo "$p / $b" | bc -l)"
}

# ---- into containers (issue 14) -------------------------------------------
bench_exec() {
    images_ready
    $P run -d --name pex --network none localhost/busybox sleep 1000 >/dev/null
    $B --runtime runc run -d --name bex --network none localhost/busybox sleep 1000 >/dev/null
    compare exec_true "$P exec pex true" "$B exec bex true"
    # the floor: the OCI runtime's own exec of the same process. bex runs
    # under runc (pinned above): once a crun scenario has unmounted the
    # cgroup2 mount, berth's default is crun, and `runc exec` of a crun
    # container fails ("container does not exist", exit 255).
    local id cfg
    id=$($B inspect --format '{{.Id}}' bex)
    cfg=$($B inspect --format '{{.OCIConfigPath}}' bex)
    jq '.process | .args = ["true"]' "$cfg" > "$W/exec-process.json"
    compare runc_exec_floor_vs_berth_exec "runc exec --process $W/exec-process.json $id" "$B exec bex true"
    $P rm -f -t 0 pex >/dev/null 2>&1; $B rm -f -t 0 bex >/dev/null 2>&1
}

bench_crun_exec() {
    images_ready; crun_ready
    $P --runtime crun run -d --name pexc --network none localhost/busybox sleep 1000 >/dev/null
    $B --runtime crun run -d --name bexc --network none localhost/busybox sleep 1000 >/dev/null
    compare exec_true_crun "$P exec pexc true" "$B exec bexc true"
    # the floor: crun's own exec of the same process
    local id cfg
    id=$($B inspect --format '{{.Id}}' bexc)
    cfg=$($B inspect --format '{{.OCIConfigPath}}' bexc)
    jq '.process | .args = ["true"]' "$cfg" > "$W/exec-process-crun.json"
    compare crun_exec_floor_vs_berth_exec "crun exec --process $W/exec-process-crun.json $id" "$B exec bexc true"
    $P rm -f -t 0 pexc >/dev/null 2>&1; $B rm -f -t 0 bexc >/dev/null 2>&1
}

# a container's change of one file as a new image; the images go after
bench_commit() {
    images_ready
    $P run --name pcm --network none localhost/busybox sh -c 'echo x > /f' >/dev/null
    $B run --name bcm --network none localhost/busybox sh -c 'echo x > /f' >/dev/null
    compare commit_q "$P commit -q pcm" "$B commit -q bcm"
    $P rm -f pcm >/dev/null 2>&1; $B rm -f bcm >/dev/null 2>&1
    $P image prune -f >/dev/null 2>&1; $B image prune -f >/dev/null 2>&1
}

# one report of two running containers
bench_stats() {
    images_ready
    local i
    for i in 1 2; do
        $P run -d --name pst$i --network none localhost/busybox sleep 1000 >/dev/null
        $B run -d --name bst$i --network none localhost/busybox sleep 1000 >/dev/null
    done
    compare stats_no_stream_2 "$P stats --no-stream" "$B stats --no-stream"
    $P rm -f -t 0 pst1 pst2 >/dev/null 2>&1; $B rm -f -t 0 bst1 bst2 >/dev/null 2>&1
}

# ---- registries (issue 13) --------------------------------------------------
# Debian's docker-registry on 127.0.0.1 inside the bench's network
# namespace, TLS with a throw-away CA: "src" (5001) holds a ~100 MB image
# of three layers of incompressible data (gzip layers, as a registry
# serves them); "dst" (5002) is emptied and restarted before every timed
# push, so every push really uploads. podman's blob-info cache goes to a
# tmpfs (this namespace only): the host's stays untouched.
reg_ready=
registry_ready() {
    [ -n "$reg_ready" ] && return 0
    local R=$W/reg n
    mkdir -p "$R/certs"
    (
        cd "$R"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench-ca -keyout ca.key -out ca.crt
        openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr
        printf 'subjectAltName=IP:127.0.0.1\n' > ext.cnf
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
            -extfile ext.cnf -out server.crt
    ) >/dev/null 2>&1
    cp "$R/ca.crt" "$R/certs/"
    [ -d /var/lib/containers ] && mount -t tmpfs tmpfs /var/lib/containers
    for n in src:5001 dst:5002; do
        cat > "$R/${n%:*}.yml" <<EOT
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $R/data-${n%:*}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${n#*:}
  tls:
    certificate: $R/server.crt
    key: $R/server.key
EOT
    done
    cat > "$R/start.sh" <<EOT
#!/bin/bash
# starts registry \$1 (src|dst) on port \$2, emptied first when \$3 is "fresh"
[ -f "$R/\$1.pid" ] && kill \$(cat "$R/\$1.pid") 2>/dev/null && sleep 0.1
[ "\${3:-}" = fresh ] && rm -rf "$R/data-\$1"
docker-registry serve "$R/\$1.yml" </dev/null >"$R/\$1.log" 2>&1 &
echo \$! > "$R/\$1.pid"
for i in \$(seq 100); do
    curl -s -o /dev/null --cacert "$R/ca.crt" "https://127.0.0.1:\$2/v2/" && exit 0
    sleep 0.05
done
exit 1
EOT
    chmod +x "$R/start.sh"
    printf '#!/bin/bash\nexec %s/start.sh dst 5002 fresh\n' "$R" > "$R/fresh-dst.sh"
    chmod +x "$R/fresh-dst.sh"
    "$R/start.sh" src 5001
    "$R/start.sh" dst 5002
    python3 bench/mkarchive.py "$W/regbig.tar" regbig 34 33 33
    $B load -q -i "$W/regbig.tar" >/dev/null
    $B push -q --cert-dir "$R/certs" localhost/bench-regbig:latest 127.0.0.1:5001/bench/big:1
    $B rmi -af >/dev/null
    bench_images_ready=
    rm -f "$W/regbig.tar"
    REG_CERTS=$R/certs
    reg_ready=1
}

# each timed pull starts from an empty store: every layer downloads
bench_pull_100mb() {
    registry_ready
    compare_prepared pull_100mb_3_layers \
        "$P rmi -af" "$P pull -q --cert-dir $REG_CERTS 127.0.0.1:5001/bench/big:1" \
        "$B rmi -af" "$B pull -q --cert-dir $REG_CERTS 127.0.0.1:5001/bench/big:1"
    bench_images_ready=
}

# the pulled image pushed to an emptied registry: every layer uploads
bench_push_100mb() {
    registry_ready
    $P pull -q --cert-dir "$REG_CERTS" 127.0.0.1:5001/bench/big:1 >/dev/null
    $B pull -q --cert-dir "$REG_CERTS" 127.0.0.1:5001/bench/big:1 >/dev/null
    compare_prepared push_100mb_3_layers \
        "$W/reg/fresh-dst.sh" "$P push -q --cert-dir $REG_CERTS 127.0.0.1:5001/bench/big:1 127.0.0.1:5002/bench/big:1" \
        "$W/reg/fresh-dst.sh" "$B push -q --cert-dir $REG_CERTS 127.0.0.1:5001/bench/big:1 127.0.0.1:5002/bench/big:1"
}

# ---- volumes (issue 15) ---------------------------------------------------
# volume ls among BENCH_VOLUMES (default 1000) volumes, and the inspect of
# one of them. podman takes one SHM lock per volume (and per container) out
# of 2048: the containers of the earlier scenarios are removed first.
bench_volume_ls() {
    local i n=${BENCH_VOLUMES:-1000}
    $P rm -af -t 0 >/dev/null 2>&1 || true
    $B rm -af -t 0 >/dev/null 2>&1 || true
    for i in $(seq "$n"); do
        $P volume create "bv$i" >/dev/null
        $B volume create "bv$i" >/dev/null
    done
    compare "volume_ls_$n" "$P volume ls" "$B volume ls"
    compare "volume_inspect_among_$n" "$P volume inspect bv$((n / 2 + 1))" "$B volume inspect bv$((n / 2 + 1))"
}

# ---- pods (issue 15) ------------------------------------------------------
# pod create + pod rm of a pod with its infra container (created, never
# started). Each engine's pause image is built by a first, untimed pod
# create (podman's podman-pause, berth's berth-pause).
bench_pod_create_rm() {
    images_ready
    $P pod create --name bench-warm >/dev/null && $P pod rm bench-warm >/dev/null
    $B pod create --name bench-warm >/dev/null && $B pod rm bench-warm >/dev/null
    compare pod_create_rm "sh -c '$P pod create --name bp >/dev/null && $P pod rm bp >/dev/null'" \
        "sh -c '$B pod create --name bp >/dev/null && $B pod rm bp >/dev/null'"
}
