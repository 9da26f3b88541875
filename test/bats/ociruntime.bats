# test/bats/ociruntime.bats: which OCI runtime a container gets. As
# podman, crun by default where it can run; runc on a hybrid cgroup host
# whose cgroup2 mount holds a controller (this machine kind), where crun
# refuses. In a private mount namespace without that mount the host is
# plain cgroup v1 and crun runs. The choice is recorded at create, so a
# container keeps its runtime whatever a later command's layout says.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

# crun_ns CMD: CMD in a private mount namespace without the cgroup2 mount
crun_ns() {
    unshare -m bash -c 'mount --make-rprivate / &&
        { ! mountpoint -q /sys/fs/cgroup/unified || umount /sys/fs/cgroup/unified; } && eval "$1"' _ "$1"
}

host_default() {
    if [ -e /sys/fs/cgroup/cgroup.controllers ] ||
        [ -z "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
        echo crun
    else
        echo runc
    fi
}

@test "the default runtime follows the cgroup layout and is recorded at create" {
    id=$(b create --network none $IMG true)
    run -0 b inspect --format '{{.OCIRuntime}}' $id
    [ "$output" = "$(host_default)" ]
    run -0 b info --format '{{.Host.OCIRuntime.Name}}'
    [ "$output" = "$(host_default)" ]
}

@test "without the cgroup2 mount crun is the default and runs the container" {
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG
    run -0 crun_ns '
        b() { $BERTH_BIN $BERTH_ARGS_STR "$@"; }
        b info --format "{{.Host.OCIRuntime.Name}}"
        id=$(b create --network none $IMG echo ran) &&
        b inspect --format "{{.OCIRuntime}}" $id && b start -a $id'
    [ "${lines[0]}" = crun ] && [ "${lines[1]}" = crun ] && [ "${lines[2]}" = ran ]
}

@test "a container keeps the runtime it was created with" {
    [ "$(host_default)" = runc ] || skip "this host runs crun by default"
    id=$(b create --network none $IMG echo kept)
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG id
    run -0 crun_ns '
        b() { $BERTH_BIN $BERTH_ARGS_STR "$@"; }
        b start -a $id && b inspect --format "{{.OCIRuntime}}" $id'
    [ "$output" = $'kept\nrunc' ]
}
