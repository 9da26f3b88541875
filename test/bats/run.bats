# test/bats/run.bats: create and run: exit codes, the OCI spec in effect
# inside real containers, --rm, flags.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "run prints the container's output and exits 0" {
    run -0 b run --rm --network none $IMG echo hello
    [ "$output" = hello ]
}

@test "run exits with the container's exit code" {
    run -3 b run --rm --network none $IMG sh -c 'exit 3'
}

@test "a command that does not exist exits 127" {
    run -127 --separate-stderr b run --rm --network none $IMG /nonexistent
    [[ $stderr == *"Error: "*"/nonexistent"*"OCI runtime attempted to invoke a command that was not found"* ]]
}

@test "a file that cannot be executed exits 126" {
    run -126 --separate-stderr b run --rm --network none $IMG /etc/passwd
    [[ $stderr == *"Error: "*"permission denied"* ]]
}

@test "an unknown image exits 125 and leaves nothing behind" {
    # --pull never: the default (missing) would try the registry
    # "localhost" first (pull.bats tests that)
    run -125 --separate-stderr b run --pull never --network none localhost/nosuch true
    [[ $stderr == "Error: "*"nosuch"*"image not known"* ]]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
}

@test "a bad flag value exits 125 before anything is created" {
    run -125 --separate-stderr b run --network none -m lots $IMG true
    [[ $stderr == *"invalid size: 'lots'"* ]]
    run -125 --separate-stderr b run --network none --restart sometimes $IMG true
    [[ $stderr == *"is not a valid restart policy"* ]]
    run -125 --separate-stderr b run --rm --restart always --network none $IMG true
    [[ $stderr == *"conflicts with --restart"* ]]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
}

@test "--rm leaves no state, mount, lock or name behind" {
    run -0 b run --rm --name gone --network none $IMG true
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/scratch/locks")" ]
    ! grep -q "$BATS_TEST_TMPDIR" /proc/self/mounts || false
    run -0 b run --rm --name gone --network none $IMG true
}

@test "--rm: the OCI runtime forgets the container, in a child run does not wait for" {
    # the delete is handed to a detached child that holds no fd of ours
    # (else $(...) would wait for it), recorded until it is done; conmon's
    # exit command held back, so that run (not it) removes the container
    # whatever the machine's load
    hold_exit_commands
    out=$(b run --rm --cidfile "$BATS_TEST_TMPDIR/cid" --network none $IMG sh -c 'echo hi; exit 3') || rc=$?
    [ "$out" = hi ] && [ "${rc:-0}" = 3 ] || false
    id=$(cat "$BATS_TEST_TMPDIR/cid")
    retry_until 10 bash -c "! runc state $id >/dev/null 2>&1"
    [ ! -e "/run/runc/$id" ] && [ ! -e "/run/crun/$id" ] || false
    # the record goes; its directory stays for the next run --rm (a new
    # inode per run costs on a disk that freed inodes lately)
    retry_until 10 bash -c "[ -z \"\$(ls -A '$BATS_TEST_TMPDIR/scratch/rtdelete')\" ]"
    [ -d "$BATS_TEST_TMPDIR/scratch/rtdelete" ]
    # the cgroup registry's entry goes once the delete has removed the cgroup
    retry_until 10 bash -c "[ -z \"\$(ls '$BATS_TEST_TMPDIR/scratch/cgroups')\" ]"
    # rm still waits for the runtime's delete itself
    run -0 b run -d --name kept --network none $IMG true
    run -0 b wait kept
    id=$(b inspect --format '{{.Id}}' kept)
    run -0 b rm kept
    ! runc state "$id" >/dev/null 2>&1 || false
    exit_commands_done
}

@test "--rm: a runtime delete whose child died is run by the next command" {
    # the child is killed before it starts the delete; its record stays
    # for the next command (conmon's exit command may be that one)
    BERTH_TEST_CRASH_AT=run:handoff run -0 b run --rm --cidfile "$BATS_TEST_TMPDIR/cid" --network none $IMG true
    id=$(cat "$BATS_TEST_TMPDIR/cid")
    retry_until 10 bash -c "! pgrep -f '[c]onmon .*$id' >/dev/null"
    run -0 b ps -a
    ! runc state "$id" >/dev/null 2>&1 || false
    [ -z "$(ls -A "$BATS_TEST_TMPDIR/scratch/rtdelete")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/scratch/cgroups")" ]
    # the same, told apart from the exit command: a record (the runtime's
    # argv, an empty string, its env) for a container the runtime holds
    run -0 b create --name held --network none $IMG true
    run -0 b init held
    id=$(b inspect --format '{{.Id}}' held)
    runc state "$id" >/dev/null
    mkdir -p "$BATS_TEST_TMPDIR/scratch/rtdelete"
    printf '%s\0delete\0--force\0%s\0\0' "$(command -v runc)" "$id" > "$BATS_TEST_TMPDIR/scratch/rtdelete/$id"
    run -0 b ps -a
    ! runc state "$id" >/dev/null 2>&1 || false
    [ -z "$(ls -A "$BATS_TEST_TMPDIR/scratch/rtdelete")" ]
    run -0 b rm -f held
    # a record another user could have written is never run
    for how in owner mode; do
        mkdir -p "$BATS_TEST_TMPDIR/scratch/rtdelete"
        printf '/bin/sh\0-c\0touch %s\0\0' "$BATS_TEST_TMPDIR/ran" > "$BATS_TEST_TMPDIR/scratch/rtdelete/x"
        case $how in
        owner) chown 65534 "$BATS_TEST_TMPDIR/scratch/rtdelete/x" ;;
        mode) chmod 0666 "$BATS_TEST_TMPDIR/scratch/rtdelete/x" ;;
        esac
        run -0 --separate-stderr b ps -a
        [[ $stderr == *"ignoring runtime delete record x: not a file of this user's"* ]]
        [ ! -e "$BATS_TEST_TMPDIR/ran" ]
        [ -z "$(ls -A "$BATS_TEST_TMPDIR/scratch/rtdelete")" ]
    done
}

@test "--rm gets a volatile overlay (nothing synced); other containers do not" {
    # the root mount as the container sees it: fsync=volatile (or volatile)
    run -0 b run --rm --network none $IMG sh -c "grep ' / / ' /proc/self/mountinfo"
    [[ $output == *volatile* ]]
    run -0 b run --name kept --network none $IMG sh -c "grep ' / / ' /proc/self/mountinfo"
    [[ $output == *overlay* && $output != *volatile* ]]
}

@test "start -a of an --rm container returns its code and removes it" {
    run -0 b create --rm --name sa --network none $IMG sh -c 'echo out; exit 4'
    run -4 b start -a sa
    [ "$output" = out ]
    run -1 b container exists sa
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/libpod/containers")" ]
}

@test "a taken name is refused, on stderr only" {
    run -0 b create --name web --network none $IMG true
    id=$output
    run -125 --separate-stderr b create --name web --network none $IMG true
    [ -z "$output" ]
    [[ $stderr == "Error: creating container storage: the container name \"web\" is already in use by $id. You have to remove that container"* ]]
}

@test "an invalid name is refused" {
    run -125 --separate-stderr b create --name '-bad' --network none $IMG true
    [[ $stderr == *"names must match"* ]]
}

@test "environment: image, -e, --env-file, and the defaults" {
    printf 'FROM_FILE=1\n# comment\nBOTH=file\n' > "$BATS_TEST_TMPDIR/env"
    run -0 b run --rm --network none -e BOTH=flag -e X=y --env-file "$BATS_TEST_TMPDIR/env" $IMG env
    [[ $output == *"X=y"* ]]
    [[ $output == *"FROM_FILE=1"* ]]
    [[ $output == *"BOTH=flag"* ]]
    [[ $output == *"container=podman"* ]]
    [[ $output == *"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"* ]]
    [[ $output == *"HOSTNAME="* ]]
}

@test "user, workdir and entrypoint" {
    run -0 b run --rm --network none -u app -w /tmp $IMG sh -c 'id -u; id -g; pwd'
    [ "${lines[0]}" = 1000 ]
    [ "${lines[1]}" = 1000 ]
    [ "${lines[2]}" = /tmp ]
    run -0 b run --rm --network none -u 1000:0 $IMG id -g
    [ "$output" = 0 ]
    run -0 b run --rm --network none --entrypoint echo $IMG from entrypoint
    [ "$output" = "from entrypoint" ]
    run -126 --separate-stderr b run --rm --network none -u nosuchuser $IMG true
    [[ $stderr == *"nosuchuser"* ]]
}

@test "the image's entrypoint, env, workdir and user apply" {
    load_image confd
    run -0 b run --rm --network none localhost/confd
    [ -n "$output" ]
    run -0 b run --rm --network none --entrypoint '' localhost/confd sh -c 'pwd; id -u'
    [ "${lines[1]}" = 1000 ]
}

@test "--read-only makes / read-only, --tmpfs gives a writable dir" {
    run -1 b run --rm --network none --read-only $IMG touch /x
    run -0 b run --rm --network none --read-only --tmpfs /scratch $IMG sh -c 'touch /scratch/x && echo ok'
    [ "$output" = ok ]
    run -0 b run --rm --network none --read-only $IMG sh -c 'touch /tmp/y && echo tmp-ok'
    [ "$output" = tmp-ok ]
}

@test "capabilities: defaults, --cap-drop, --cap-add, --privileged" {
    run -0 b run --rm --network none $IMG grep CapEff /proc/self/status
    [[ $output == *"00000000a80425fb" ]]
    run -0 b run --rm --network none --cap-drop ALL $IMG grep CapEff /proc/self/status
    [[ $output == *"0000000000000000" ]]
    run -0 b run --rm --network none --cap-drop all --cap-add net_admin $IMG grep CapEff /proc/self/status
    [[ $output == *"0000000000001000" ]]
    run -0 b run --rm --network none --privileged $IMG grep CapEff /proc/self/status
    [[ $output != *"00000000a80425fb" ]]
}

@test "seccomp: the default profile is in force, unconfined and custom profiles work" {
    run -0 b run --rm --network none $IMG grep Seccomp: /proc/self/status
    [[ $output == *2 ]]
    run -0 b run --rm --network none --security-opt seccomp=unconfined $IMG grep Seccomp: /proc/self/status
    [[ $output == *0 ]]
    echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}' \
        > "$BATS_TEST_TMPDIR/nomkdir.json"
    run -1 b run --rm --network none --security-opt "seccomp=$BATS_TEST_TMPDIR/nomkdir.json" $IMG mkdir /tmp/x
    [[ $output == *"Operation not permitted"* ]]
}

@test "seccomp: a profile's converted form is kept, and a changed profile is converted again" {
    local p=$BATS_TEST_TMPDIR/prof.json
    echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}' > "$p"
    # (a profile changed in the last two seconds is converted, not kept)
    sleep 2.2
    run -1 b run --rm --network none --security-opt "seccomp=$p" $IMG mkdir /tmp/x
    [[ $output == *"Operation not permitted"* ]]
    ls "$BATS_TEST_TMPDIR"/scratch/seccomp/oci-* >/dev/null
    # the same length, rewritten in place: the next start sees the new rule
    echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["rmdir","symlink"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}' > "$p"
    run -0 b run --rm --network none --security-opt "seccomp=$p" $IMG mkdir /tmp/x
    run -1 b run --rm --network none --security-opt "seccomp=$p" $IMG sh -c 'mkdir /tmp/y && rmdir /tmp/y'
    [[ $output == *"Operation not permitted"* ]]
    if command -v strace >/dev/null; then
        # the default profile, converted by the first run, is taken from
        # its entry by the second: looked up, not converted and kept again
        run -0 b run --rm --network none $IMG true
        ASAN_OPTIONS=detect_leaks=0 run -0 strace -e trace=openat,open -o "$BATS_TEST_TMPDIR/st" \
            "$BERTH_BIN" "${BERTH_ARGS[@]}" run --rm --network none $IMG true
        grep -q '/seccomp/oci-' "$BATS_TEST_TMPDIR/st"
        ! grep -q '/seccomp/\.oci-' "$BATS_TEST_TMPDIR/st" || false
    fi
}

@test "memory and pids limits reach the container's cgroup" {
    run -0 b run --rm --network none -m 64m --pids-limit 50 $IMG \
        sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max'
    [ "${lines[0]}" = 67108864 ]
    [ "${lines[1]}" = 50 ]
}

@test "--shm-size sizes /dev/shm" {
    run -0 b run --rm --network none --shm-size 8m $IMG df -k /dev/shm
    [[ $output == *" 8192 "* ]]
}

@test "/dev/shm and inspect's ShmSize: --shm-size, else the config's shm_size" {
    # podman reads the config's shm_size in 1000 units (FromHumanSize),
    # --shm-size in 1024 units: the default 65536k is 65536000 bytes
    run -0 b run --name dflt0 --network none $IMG df -k /dev/shm
    [[ $output == *" 64000 "* ]]
    run -0 b inspect --format '{{.HostConfig.ShmSize}}' dflt0
    [ "$output" = 65536000 ]
    printf '[containers]\nshm_size = "16384k"\n' > "$BERTH_CONFIG"
    run -0 b run --name dflt --network none $IMG df -k /dev/shm
    [[ $output == *" 16000 "* ]]
    run -0 b inspect --format '{{.HostConfig.ShmSize}}' dflt
    [ "$output" = 16384000 ]
    run -0 b create --name given --network none --shm-size 1.5m $IMG true
    run -0 b inspect --format '{{.HostConfig.ShmSize}}' given
    [ "$output" = 1572864 ]
}

@test "-v binds a host directory, read-only with :ro; a missing host path is an error" {
    mkdir -p "$BATS_TEST_TMPDIR/data"
    echo content > "$BATS_TEST_TMPDIR/data/f"
    run -0 b run --rm --network none -v "$BATS_TEST_TMPDIR/data:/data" $IMG cat /data/f
    [ "$output" = content ]
    run -1 b run --rm --network none -v "$BATS_TEST_TMPDIR/data:/data:ro" $IMG touch /data/g
    run -125 --separate-stderr b run --rm --network none -v "$BATS_TEST_TMPDIR/nope:/data" $IMG true
    [[ $stderr == *"nope"*"no such file or directory"* ]]
}

@test "--hostname, --add-host, --no-hosts and the generated /etc files" {
    run -0 b run --rm --network none --hostname box --add-host db:10.1.2.3 $IMG \
        sh -c 'hostname; cat /etc/hostname; echo; grep db /etc/hosts'
    [ "${lines[0]}" = box ]
    [ "${lines[1]}" = box ]
    [[ ${lines[2]} == "10.1.2.3"*"db"* ]]
    run -0 b run --rm --network none $IMG cat /run/.containerenv
    [ -z "$output" ]
    # podman: no network, no resolv.conf (not generated, not mounted)
    run -0 b run --name nonet --network none $IMG sh -c 'ls /etc/resolv.conf 2>&1; grep -c resolv /proc/mounts; true'
    [ "$output" = "$(printf 'ls: /etc/resolv.conf: No such file or directory\n0')" ]
    run -0 b inspect --format '{{.ResolvConfPath}}|{{.HostsPath}}' nonet
    [[ $output == "|/"*"/hosts" ]]
    b rm nonet >/dev/null
}

@test "--init runs catatonit as PID 1" {
    run -0 b run --rm --network none --init $IMG cat /proc/1/cmdline
    [[ $output == /run/podman-init* ]]
}

@test "--ulimit is applied, clamped to the host's hard limit" {
    run -0 b run --rm --network none --ulimit nofile=100:200 $IMG sh -c 'ulimit -n; ulimit -Hn'
    [ "${lines[0]}" = 100 ]
    [ "${lines[1]}" = 200 ]
}

@test "--cidfile writes the id and refuses an existing file" {
    run -0 b create --cidfile "$BATS_TEST_TMPDIR/cid" --network none $IMG true
    [ "$(cat "$BATS_TEST_TMPDIR/cid")" = "$output" ]
    run -125 --separate-stderr b create --cidfile "$BATS_TEST_TMPDIR/cid" --network none $IMG true
    [[ $stderr == *"container id file exists"* ]]
}

@test "--rootfs runs a directory as the root file system" {
    mkdir -p "$BATS_TEST_TMPDIR/rootfs/bin"
    cp /bin/busybox "$BATS_TEST_TMPDIR/rootfs/bin/"
    ln -s busybox "$BATS_TEST_TMPDIR/rootfs/bin/sh"
    run -0 b run --rm --network none --rootfs "$BATS_TEST_TMPDIR/rootfs" /bin/busybox echo from-rootfs
    [ "$output" = from-rootfs ]
}

# podman's /etc/mtab: a symlink to /proc/mounts where the image has none,
# owned by the container's root (userns.bats: a mapped one); an /etc
# that is a symlink is never followed out of the root file system
@test "/etc/mtab is podman's symlink to /proc/mounts; a symlinked /etc is left alone" {
    run -0 b run --rm --network none $IMG sh -c 'readlink /etc/mtab; stat -c %u:%g /etc/mtab; grep -c " /proc proc " /etc/mtab'
    [ "$output" = "$(printf '/proc/mounts\n0:0\n1')" ]
    local r=$BATS_TEST_TMPDIR/rootfs
    mkdir -p "$r/bin" "$BATS_TEST_TMPDIR/outside"
    cp /bin/busybox "$r/bin/"
    ln -s /bin/busybox "$r/bin/sh"
    ln -s "$BATS_TEST_TMPDIR/outside" "$r/etc"
    run -0 b run --rm --network none --rootfs "$r" /bin/busybox true
    [ ! -e "$BATS_TEST_TMPDIR/outside/mtab" ] && [ ! -L "$BATS_TEST_TMPDIR/outside/mtab" ]
}

@test "-i passes stdin to the container" {
    run -0 bash -c "echo piped | $BERTH_BIN ${BERTH_ARGS[*]} run --rm -i --network none $IMG cat"
    [ "$output" = piped ]
}

@test "--device makes a host device appear in the container" {
    run -0 b run --rm --network none --device /dev/null:/dev/mynull $IMG sh -c 'ls -l /dev/mynull; echo x > /dev/mynull && echo writable'
    [[ ${lines[0]} == c* ]]
    [ "${lines[1]}" = writable ]
}

@test "--log-driver none keeps no log; passthrough hands the container our stdio" {
    run -0 b run --name nolog --network none --log-driver none $IMG echo shown-but-not-kept
    [ "$output" = shown-but-not-kept ]
    run -125 --separate-stderr b logs nolog
    [[ $stderr == *"none"* ]]
    run -4 b run --rm --network none --log-driver passthrough $IMG sh -c 'echo straight-through; exit 4'
    [ "$output" = straight-through ]
    # detached, the container keeps our stdout: give it a file, not bats' pipe
    b run -d --name pt --network none --log-driver passthrough $IMG sleep 100 \
        </dev/null >"$BATS_TEST_TMPDIR/pt.out"
    run -125 --separate-stderr b attach pt
    [[ $stderr == *"passthrough"* ]]
    # detached, it still writes to our stdout: a pipe reader (as $(...))
    # gets its output after the id, and EOF only once it has exited
    out=$(b run -d --name pt2 --network none --log-driver passthrough $IMG \
          sh -c 'sleep 1; echo from-detached' </dev/null | cat)
    [ "$(printf '%s\n' "$out" | tail -n 1)" = from-detached ]
    [ "$(printf '%s\n' "$out" | head -n 1)" = "$(b inspect --format '{{.Id}}' pt2)" ]
    run -0 b wait pt2
    [ "$output" = 0 ]
}
