#!/usr/bin/env bats
# test/bats/create_checks.bats: values no start could use are refused by
# create (and run) at once, 125, in podman's words where podman has them
# (runtime/ctr_create.c check_params, runtime/spec_util.c spec_check), and
# nothing of the container is left.

load helpers
load ctr_helpers

setup() { ctr_setup; }
teardown() { berth_teardown; }

# refused ARGS... : create ARGS exits 125, the message on stderr, no
# container, root file system, name or lock left; run does the same
refused() {
    run -125 --separate-stderr b create "$@" $IMG true
    [ -z "$output" ]
    msg=$stderr
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/containers")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/names")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/scratch/locks")" ]
    run -125 --separate-stderr b run "$@" $IMG true
    [ "$stderr" = "$msg" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
}

# podman's makeCommand: nothing to run is refused at create, not at start
@test "--entrypoint '' without a command is refused at create" {
    for cmd in create run; do
        run -125 --separate-stderr b $cmd --network none --entrypoint '' $IMG
        [ -z "$output" ]
        [ "$stderr" = "Error: no command or entrypoint provided, and no CMD or ENTRYPOINT from image" ]
        [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
    done
    run -0 b run --rm --network none --entrypoint '' $IMG echo hi
    [ "$output" = hi ]
}

@test "-p 99999:80 and -p abc are refused with --network none too" {
    refused -p 99999:80 --network none
    [ "$msg" = "Error: parsing host port: port numbers must be between 1 and 65535 (inclusive), got 99999" ]
    refused -p abc --network none
    [ "$msg" = 'Error: parsing container port: invalid port number: strconv.Atoi: parsing "abc": invalid syntax' ]
    refused -p 8080:80/xyz --network host
    [ "$msg" = 'Error: unrecognized protocol "xyz" in port mapping' ]
    # a good one is dropped there, with podman's warning
    run -0 --separate-stderr b create -p 8080:80 --network none $IMG true
    [[ $stderr == *"Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use" ]]
    [ "$(b inspect --format '{{len .HostConfig.PortBindings}}' "$output")" = 0 ]
}

@test "--memory below 4MB is refused at create; 4MB runs, as in podman" {
    refused --memory=1b --network none
    [ "$msg" = "Error: minimum memory limit allowed is 4MB" ]
    refused --memory=4194303b --network none
    run -0 b run --rm --memory=4m --network none $IMG true
}

@test "--network naming no network is refused at create" {
    refused --network bogus
    [ "$msg" = "Error: unable to find network with name or ID bogus: network not found" ]
}

@test "a namespace of a container that does not exist is refused at create" {
    for ns in pid ipc uts; do
        refused --network none --$ns container:nope
        [ "$msg" = "Error: looking up container to share $ns namespace with: no container with name or ID \"nope\" found: no such container" ]
    done
    refused --network container:nope
    [ "$msg" = 'Error: looking up container to share net namespace with: no container with name or ID "nope" found: no such container' ]
    # one that exists is fine, running or not
    run -0 b create --name there --network none $IMG true
    run -0 b create --network none --pid container:there $IMG true
}

@test "a relative -w is refused at create" {
    refused -w relative --network none
    [ "$msg" = 'Error: workdir "relative" is not an absolute path' ]
    run -0 b run --rm -w /tmp --network none $IMG pwd
    [ "$output" = /tmp ]
}

@test "a --hostname longer than the kernel takes is refused at create" {
    refused --hostname "$(printf 'h%.0s' $(seq 300))" --network none
    [ "$msg" = "Error: invalid hostname: it is 300 characters long, the kernel takes at most 64" ]
    name=$(printf 'h%.0s' $(seq 64))
    run -0 b run --rm --hostname $name --network none $IMG hostname
    [ "$output" = $name ]
}

@test "--cpus below zero or under the kernel's 1 ms quota is refused; 0 means no limit" {
    refused --cpus=-1 --network none
    [ "$msg" = "Error: invalid value for cpus -1: it cannot be negative" ]
    refused --cpus=0.001 --network none
    [ "$msg" = "Error: CPU cfs quota cannot be less than 1ms (i.e. 1000)" ]
    run -0 b create --cpus=0 --network none $IMG true
    run -0 b create --cpus=0.5 --network none $IMG true
    [ "$(b inspect --format '{{.HostConfig.NanoCpus}}' "$output")" = 500000000 ]
}

@test "a name longer than 255 characters is refused as too long, not as misspelled" {
    refused --name "$(printf 'n%.0s' $(seq 256))" --network none
    [ "$msg" = "Error: running container create option: names may be at most 255 characters long, not 256: invalid argument" ]
    name=$(printf 'n%.0s' $(seq 255))
    run -0 b create --name $name --network none $IMG true
    run -125 b rename $name "$(printf 'r%.0s' $(seq 300))"
    [ "$output" = "Error: names may be at most 255 characters long, not 300: invalid argument" ]
    run -0 b container exists $name
}

# Two bad flags: the error podman 4.3.1 prints first (its pflag type
# errors before any value check, then its own order of checks, whatever
# the order on the line), each pair tried both ways round.
@test "of two bad flags, the one podman names is named" {
    local mem="invalid value for memory: invalid size: '1x'"
    local cases=(
        "--memory 1x|--cpus abc|invalid argument \"abc\" for \"--cpus\" flag: strconv.ParseFloat: parsing \"abc\": invalid syntax"
        "--memory 1x|--pids-limit x|invalid argument \"x\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"
        "--memory 1x|--cpu-quota 10 --cpus 2|--cpu-quota and --cpus cannot be set together"
        "--shm-size x|--cpu-quota 10 --cpus 2|--cpu-quota and --cpus cannot be set together"
        "--memory 1x|--shm-size x|unable to translate --shm-size: invalid size: 'x'"
        "--shm-size x|--stop-signal BAD|invalid signal: BAD"
        "--memory 1x|--stop-signal BAD|invalid signal: BAD"
        "--blkio-weight 5|--memory 1x|$mem"
        "--memory-swappiness 200|--memory 1x|$mem"
        "--cpuset-cpus x|--memory 1x|$mem"
        "--oom-score-adj 5000|--memory 1x|$mem"
        "--device-read-bps /dev/null:x|--memory 1x|$mem"
        "--ulimit x|--memory 1x|$mem"
        "--restart bad|--memory 1x|$mem"
        "--log-opt max-size=x|--memory 1x|$mem"
        "--name a.b!|--memory 1x|$mem"
        "--memory-swappiness 200|--blkio-weight x|invalid value for blkio-weight: strconv.ParseUint: parsing \"x\": invalid syntax"
        "--memory-swappiness 200|--blkio-weight-device x|bad format: x"
        "--blkio-weight 5|--memory-swappiness 200|invalid value: 200, valid memory swappiness range is 0-100"
        "--cpuset-cpus x|--blkio-weight 5|invalid value x for cpuset cpus"
        "--restart bad|--ulimit x|ulimit option \"x\" requires name=SOFT:HARD, failed to be parsed: invalid ulimit argument: x"
        "--restart bad|--log-opt max-size=x|invalid size: 'x'"
        "--ulimit x|--log-opt max-size=x|ulimit option \"x\" requires name=SOFT:HARD, failed to be parsed: invalid ulimit argument: x"
        "--cpuset-cpus x|--ulimit x|ulimit option \"x\" requires name=SOFT:HARD, failed to be parsed: invalid ulimit argument: x"
        "--cpuset-cpus x|--restart bad|invalid value x for cpuset cpus"
        "--cpu-quota 10|--restart bad|CPU cfs quota cannot be less than 1ms (i.e. 1000)"
        "--oom-score-adj 5000|--cpu-period 10|CPU cfs period cannot be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)"
        "--name a.b!|--restart bad|running container create option: \"bad\" is not a valid restart policy: invalid argument"
    )
    for c in "${cases[@]}"; do
        IFS='|' read -r a z want <<<"$c"
        for args in "$a $z" "$z $a"; do
            # shellcheck disable=SC2086  # each flag and its value are words
            run -125 --separate-stderr b create $args $IMG true
            [ "${stderr%%$'\n'See *}" = "Error: $want" ] || { echo "$args: $stderr"; false; }
        done
    done
}
