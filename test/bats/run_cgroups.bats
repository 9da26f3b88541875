# test/bats/run_cgroups.bats: run/create's cgroup flags, read back from
# the container's own cgroup files (runc mounts each v1 controller's
# container cgroup at /sys/fs/cgroup/<controller> inside). This host is
# cgroup v1 (hybrid): v2-only flags are refused here, as podman does.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() {
    berth_teardown
    # --cgroups split test: the v2 cgroup it made and runc's v1 copies
    if [ -n "${SPLIT_CG:-}" ]; then
        for d in /sys/fs/cgroup/*/"$SPLIT_CG" /sys/fs/cgroup/unified/"$SPLIT_CG"; do
            [ -d "$d" ] && rmdir "$d" 2>/dev/null || true
        done
    fi
}

v2_host() { [ -e /sys/fs/cgroup/cgroup.controllers ]; }

# cg_run FLAG... -- FILE...: the files' contents inside a fresh container
cg_run() {
    local flags=()
    while [ "$1" != -- ]; do flags+=("$1"); shift; done
    shift
    b run --rm --network none "${flags[@]}" $IMG cat "$@"
}

@test "memory flags: limit, swap, reservation, swappiness, OOM killer" {
    v2_host && skip "cgroup v1 files"
    run -0 cg_run -m 20m --memory-reservation 10m --memory-swappiness 10 --oom-kill-disable -- \
        /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes \
        /sys/fs/cgroup/memory/memory.soft_limit_in_bytes /sys/fs/cgroup/memory/memory.swappiness \
        /sys/fs/cgroup/memory/memory.oom_control
    [ "${lines[0]}" = 20971520 ]
    [ "${lines[1]}" = 41943040 ]     # swap defaults to as much as memory
    [ "${lines[2]}" = 10485760 ]
    [ "${lines[3]}" = 10 ]
    [ "${lines[4]}" = "oom_kill_disable 1" ]
}

@test "cpu flags: CFS period and quota, realtime budget, cpusets" {
    v2_host && skip "cgroup v1 files"
    run -0 cg_run --cpu-period 50000 --cpu-quota 20000 --cpu-rt-period 10000 --cpu-rt-runtime 1000 --cpuset-cpus 0 --cpuset-mems 0 -c 256 -- \
        /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.cfs_quota_us \
        /sys/fs/cgroup/cpu/cpu.rt_period_us /sys/fs/cgroup/cpu/cpu.rt_runtime_us \
        /sys/fs/cgroup/cpuset/cpuset.cpus /sys/fs/cgroup/cpuset/cpuset.mems /sys/fs/cgroup/cpu/cpu.shares
    [ "$output" = $'50000\n20000\n10000\n1000\n0\n0\n256' ]
    # --cpus is period 100000 and a quota to match
    run -0 cg_run --cpus 1.5 -- /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.cfs_quota_us
    [ "$output" = $'100000\n150000' ]
}

@test "block IO throttling of a block device; a character device is refused by name" {
    v2_host && skip "cgroup v1 files"
    dev=$(awk '$2 == "/" {print $1}' /proc/self/mounts | head -1)
    [ -b "$dev" ] || dev=/dev/loop0
    mm=$(stat -c '%t %T' "$(readlink -f "$dev")" | { read -r a b; echo "$((16#$a)):$((16#$b))"; })
    run -0 cg_run --device-read-bps $dev:1mb --device-write-bps $dev:2m --device-read-iops $dev:100 --device-write-iops $dev:200 -- \
        /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device \
        /sys/fs/cgroup/blkio/blkio.throttle.read_iops_device /sys/fs/cgroup/blkio/blkio.throttle.write_iops_device
    [ "$output" = "$mm 1048576"$'\n'"$mm 2097152"$'\n'"$mm 100"$'\n'"$mm 200" ]
    run -125 --separate-stderr b run --rm --network none --device-read-bps /dev/null:1mb $IMG true
    [[ $stderr == "Error: --device-read-bps /dev/null: not a block device"* ]]
    run -125 --separate-stderr b create --device-write-iops /dev/nonexistent:5 $IMG true
    [ "$stderr" = "Error: could not parse throttle device at /dev/nonexistent: stat /dev/nonexistent: no such file or directory" ]
}

@test "blkio weights the kernel cannot apply are dropped with podman's warning" {
    [ -e /sys/fs/cgroup/blkio/blkio.weight ] && skip "this kernel has blkio weights"
    run -0 --separate-stderr b run --rm --network none --blkio-weight 300 $IMG true
    [[ $stderr == *"Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."* ]]
}

@test "--device-cgroup-rule opens a device in the devices cgroup" {
    v2_host && skip "cgroup v1 files"
    run -0 cg_run --device-cgroup-rule 'c 42:7 rw' -- /sys/fs/cgroup/devices/devices.list
    [[ $output == *"c 42:7 rw"* ]]
    run -0 cg_run  -- /sys/fs/cgroup/devices/devices.list
    [[ $output != *"c 42:7"* ]]
}

@test "--cgroupns private hides the host's cgroup paths; host shows them" {
    run -0 b run --rm --network none --cgroupns private $IMG cat /proc/self/cgroup
    [[ $output != *berth-* ]]
    run -0 b run --rm --network none --cgroupns host $IMG cat /proc/self/cgroup
    [[ $output == *"/berth_parent/berth-"* ]]
}

@test "--cgroups split puts the container under the caller's cgroup" {
    [ -d /sys/fs/cgroup/unified ] || v2_host || skip "no unified hierarchy"
    root=/sys/fs/cgroup/unified
    v2_host && root=/sys/fs/cgroup
    SPLIT_CG=bats-split-$$
    mkdir "$root/$SPLIT_CG"
    run -0 bash -c 'echo $BASHPID > "$1/cgroup.procs" && shift && "$@"' _ "$root/$SPLIT_CG" \
        "$BERTH_BIN" "${BERTH_ARGS[@]}" run --rm --network none --cgroups split $IMG cat /proc/self/cgroup
    [[ $output == *"/$SPLIT_CG/berth-payload-"* ]]
    run -126 --separate-stderr b run --rm --network none --cgroups split $IMG true
    [[ $stderr == *"--cgroups split: berth runs in the root cgroup"* ]]
    run -125 --separate-stderr b create --cgroups split --cgroup-parent /x $IMG true
    [[ $stderr == *"cannot specify --cgroup-mode=split with a cgroup-parent"* ]]
}

@test "--cgroups disabled: no cgroup of its own (crun), refused with runc" {
    run -125 --separate-stderr b create --runtime runc --cgroups disabled $IMG true
    [ "$stderr" = "Error: requested OCI runtime runc is not compatible with NoCgroups: invalid argument" ]
    run -125 --separate-stderr b create --runtime crun --cgroups disabled --pid host $IMG true
    [[ $stderr == *"must create a private PID namespace"* ]]
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG
    run -0 unshare -m bash -c 'mount --make-rprivate / &&
        { ! mountpoint -q /sys/fs/cgroup/unified || umount /sys/fs/cgroup/unified; } &&
        $BERTH_BIN $BERTH_ARGS_STR run --rm --network none --runtime crun --cgroups disabled $IMG cat /proc/self/cgroup'
    [[ $output != *berth-* ]]
}

@test "resource values the host cannot give are refused with podman's words" {
    run -125 --separate-stderr b create --cpuset-cpus 4000 $IMG true
    [[ $stderr == "Error: requested CPUs are not available - requested 4000, available: "* ]]
    run -125 --separate-stderr b create --cpuset-mems 4000 $IMG true
    [[ $stderr == "Error: requested memory nodes are not available - requested 4000, available: "* ]]
    if ! v2_host; then
        run -125 --separate-stderr b create --cgroup-conf memory.high=1m $IMG true
        [ "$stderr" = "Error: cannot use --cgroup-conf without cgroup v2" ]
    fi
    run -125 --separate-stderr b create --cpus 2 --cpu-quota 5000 $IMG true
    [ "$stderr" = "Error: --cpu-quota and --cpus cannot be set together" ]
    run -125 --separate-stderr b create -m 10m --memory-reservation 20m $IMG true
    [ "$stderr" = "Error: minimum memory limit cannot be less than memory reservation limit, see usage" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
}

@test "inspect shows the resource flags under podman's HostConfig names" {
    id=$(b create --cpu-period 50000 --cpu-quota 20000 --memory-reservation 10m --memory-swappiness 10 \
        --oom-kill-disable --cpuset-mems 0 --cpu-rt-runtime 500 --device-read-bps /dev/loop0:1mb \
        --cgroupns private $IMG true)
    run -0 b inspect --format '{{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.MemoryReservation}} {{.HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}} {{.HostConfig.CpusetMems}} {{.HostConfig.CpuRealtimeRuntime}} {{.HostConfig.CgroupMode}}' $id
    [ "$output" = "50000 20000 10485760 10 true 0 500 private" ]
    run -0 b inspect --format '{{json .HostConfig.BlkioDeviceReadBps}}' $id
    [ "$output" = '[{"Path":"/dev/loop0","Rate":1048576}]' ]
}
