# test/bats/clone.bats: container clone: the configuration copied, the
# default names, --name / NAME / IMAGE, resource flags, --run, --destroy
# with and without -f, errors.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "clone: the clone is configured as the original, named NAME-clone, -clone1" {
    b create --name orig --network none -e FOO=bar -w /tmp -m 64m -v vol1:/data --label a=b \
        $IMG sh -c 'echo $FOO; pwd; ls -d /data' >/dev/null
    run -0 b container clone orig
    [[ $output =~ ^[0-9a-f]{64}$ ]]
    id=$output
    run -0 b container clone orig
    run -0 b ps -a --format '{{.Names}} {{.Status}}' --sort names
    [ "$output" = $'orig Created\norig-clone Created\norig-clone1 Created' ]
    run -0 b inspect orig-clone --format '{{.Id}} {{.HostConfig.Memory}} {{.Config.Labels.a}} {{range .Mounts}}{{.Name}}{{end}} {{.ImageName}}'
    [ "$output" = "$id 67108864 b vol1 $IMG:latest" ]
    run -0 b start -a orig-clone
    [ "$output" = $'bar\n/tmp\n/data' ]
}

@test "clone --name, resource flags, --run; NAME and IMAGE operands" {
    b run -d --name o2 --network none -m 64m --cpus 1 $IMG sleep 86400 >/dev/null
    run -0 b container clone --name c2 -m 32m --run o2
    run -0 b inspect c2 --format '{{.State.Status}} {{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}'
    [ "$output" = "running 33554432 1000000000" ]
    run -0 b exec c2 cat /sys/fs/cgroup/memory/memory.limit_in_bytes
    [ "$output" = 33554432 ]
    b commit -q o2 localhost/other >/dev/null
    run -0 b container clone o2 c3 localhost/other
    run -0 b inspect c3 --format '{{.ImageName}}'
    [ "$output" = "localhost/other:latest" ]
}

@test "clone --destroy removes the original; a running one only with -f" {
    b run -d --name o3 --network none --stop-timeout 1 $IMG sleep 86400 >/dev/null
    run -125 b container clone --destroy o3
    [[ $output == *"cannot remove container"*"as it is running - running or paused containers cannot be removed without force: container state improper"* ]]
    # as podman: the clone was made before the removal failed
    run -0 b ps -a --format '{{.Names}}' --sort names
    [ "$output" = $'o3\no3-clone' ]
    run -0 b container clone --destroy -f o3 o3new
    run -0 b ps -a --format '{{.Names}}' --sort names
    [ "$output" = $'o3-clone\no3new' ]
}

@test "clone errors: podman's words" {
    run -125 b container clone
    [ "$output" = "Error: accepts between 1 and 3 arg(s), received 0" ]
    run -125 b container clone a b c d
    [ "$output" = "Error: accepts between 1 and 3 arg(s), received 4" ]
    run -125 b container clone nosuch
    [ "$output" = 'Error: no container with name or ID "nosuch" found: no such container' ]
    b create --name o4 $IMG true >/dev/null
    run -125 b container clone o4 x localhost/nosuchimg
    [ "$output" = "Error: localhost/nosuchimg: image not known" ]
    run -125 b container clone --memory-swap 1m o4
    [[ $output == "Error: you should always set a memory limit"* ]]
    run -0 b ps -a --format '{{.Names}}'
    [ "$output" = o4 ]
}
