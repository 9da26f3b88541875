# test/bats/run_process.bats: run/create's process and file flags, seen
# from inside real containers (what podman 4.3.1 shows for the same flags
# is in the comments where it is not obvious).
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

# env_of FLAG...: the container's sorted environment, HOSTNAME left out
env_of() {
    b run --rm --network none "$@" $IMG /bin/env | grep -v '^HOSTNAME=' | sort
}

@test "--env-merge rewrites a default variable with \${VAR} references" {
    run -0 env_of --env-merge 'PATH=/opt/bin:${PATH}' --env-merge 'TERM=${TERM}-256color'
    [[ $output == *"PATH=/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"* ]]
    [[ $output == *"TERM=xterm-256color"* ]]
    # only variables the defaults have; ${X:-word} takes the word
    run -0 env_of --env-merge FOO=bar --env-merge 'TERM=${NOPE:-dumb}'
    [[ $output != *FOO* && $output == *"TERM=dumb"* ]]
    run -126 --separate-stderr b run --rm --network none --env-merge TERM $IMG true
    [[ $stderr == *"--env-merge TERM"* ]]
}

@test "--unsetenv and --unsetenv-all drop defaults, not -e or --env-host" {
    run -0 env_of --unsetenv TERM --unsetenv container
    [[ $output != *TERM=* && $output != *container=* && $output == *PATH=* ]]
    run -0 env_of --unsetenv-all
    [ "$output" = "HOME=/root" ]
    run -0 env_of --unsetenv-all -e A=1
    [ "$output" = $'A=1\nHOME=/root' ]
    BERTH_TEST_VAR=kept run -0 env_of --unsetenv BERTH_TEST_VAR --env-host
    [[ $output == *"BERTH_TEST_VAR=kept"* ]]
    run -0 env_of -e A=1 --unsetenv A
    [[ $output == *"A=1"* ]]
}

@test "a numeric --user gets /etc/passwd and /etc/group entries" {
    run -0 b run --rm --network none --user 1234:5678 $IMG sh -c 'tail -1 /etc/passwd; tail -1 /etc/group; id -un'
    [ "${lines[0]}" = "1234:*:1234:5678:container user:/:/bin/sh" ]
    [ "${lines[1]}" = "5678:x:5678:1234" ]
    [ "${lines[2]}" = 1234 ]
    # the home is the working directory
    run -0 b run --rm --network none --user 4321 -w /tmp $IMG sh -c 'tail -1 /etc/passwd; tail -1 /etc/group'
    [ "$output" = $'4321:*:4321:0:container user:/tmp:/bin/sh\n4321:x:4321:4321' ]
    # a user the image has is left alone
    run -0 b run --rm --network none --user 65534 $IMG sh -c 'grep -c 65534 /etc/passwd'
    [ "$output" = 1 ]
}

# podman's additional gids: the primary group first, then the user's
# groups and --group-add's
@test "the process's groups start with its primary group, as podman's" {
    run -0 b run --rm --network none $IMG id -G
    [ "$output" = 0 ]
    run -0 b run --rm --network none -u 1000:1000 $IMG id -G
    [ "$output" = 1000 ]
    run -0 b run --rm --network none -u nobody $IMG id -G
    [ "$output" = 65534 ]
    run -0 b run --rm --network none --group-add 10 $IMG id -G
    [ "$output" = "0 10" ]
}

@test "--passwd=false adds nothing; create has no --passwd" {
    run -0 b run --rm --network none --passwd=false --user 1234 --hostuser mail $IMG cat /etc/passwd
    [[ $output != *1234* && $output != *mail* ]]
    run -125 --separate-stderr b create --passwd $IMG true
    [[ $stderr == *"unknown flag: --passwd"* ]]
}

@test "--passwd-entry is the template of the added line" {
    run -0 b run --rm --network none --user 1234 --passwd-entry '$USERNAME:x:$UID:$GID:$NAME:$HOME:/bin/false' $IMG tail -1 /etc/passwd
    [ "$output" = "1234:x:1234:0:container user:/:/bin/false" ]
}

@test "a restarted container does not get the entries twice" {
    b create --name twice --network none --user 1234 $IMG grep -c 1234 /etc/passwd
    run -0 b start -a twice
    [ "$output" = 1 ]
    run -0 b start -a twice
    [ "$output" = 1 ]
}

@test "with a read-only root the entries are bound over /etc/passwd and /etc/group" {
    run -0 b run --rm --network none --read-only --user 1234 $IMG sh -c 'tail -1 /etc/passwd; tail -1 /etc/group; grep -c " /etc/passwd " /proc/self/mounts'
    [ "$output" = $'1234:*:1234:0:container user:/:/bin/sh\n1234:x:1234:1234\n1' ]
    # the image's lines are kept
    run -0 b run --rm --network none --read-only --user 1234 $IMG grep -c '^root:' /etc/passwd
    [ "$output" = 1 ]
}

@test "--hostuser adds the host's account; its home only when mounted" {
    getent passwd mail >/dev/null || skip "no host user mail"
    IFS=: read -r name _ uid gid gecos home _ < <(getent passwd mail)
    run -0 b run --rm --network none --hostuser mail $IMG tail -1 /etc/passwd
    [ "$output" = "mail:*:$uid:$gid:$gecos:/:/bin/sh" ]
    mkdir -p "$BATS_TEST_TMPDIR/home"
    run -0 b run --rm --network none --hostuser "$uid" -v "$BATS_TEST_TMPDIR/home:$home" $IMG tail -1 /etc/passwd
    [ "$output" = "mail:*:$uid:$gid:$gecos:$home:/bin/sh" ]
    run -0 b run --rm --network none --hostuser mail -w /tmp --passwd-entry 'E:$USERNAME:$UID:$HOME' $IMG tail -1 /etc/passwd
    [ "$output" = "E:mail:$uid:/tmp" ]
    run -126 --separate-stderr b run --rm --network none --hostuser no-such-user-x $IMG true
    [[ $stderr == *"creating temporary passwd file for container "*": user: unknown user no-such-user-x" ]]
}

@test "--personality LINUX32 under crun; bad domains are refused" {
    run -0 unshare -m bash -c 'mount --make-rprivate / &&
        { ! mountpoint -q /sys/fs/cgroup/unified || umount /sys/fs/cgroup/unified; } &&
        "$@"' _ "$BERTH_BIN" "${BERTH_ARGS[@]}" run --rm --runtime crun --network none --personality linux32 $IMG uname -m
    [ "$output" = i686 ]
    run -125 --separate-stderr b create --personality bogus $IMG true
    [[ $stderr == *'invalid personality domain "bogus"'* ]]
}

@test "--chrootdirs get the generated hosts and resolv.conf" {
    run -0 b run --rm --network host --chrootdirs /jail,j2 $IMG sh -c 'ls /jail/etc; ls /j2/etc; cat /jail/etc/hosts'
    [[ ${lines[0]} == hosts && ${lines[1]} == resolv.conf && ${lines[2]} == hosts && ${lines[3]} == resolv.conf ]]
    [[ $output == *localhost* ]]
    # without a network there is no resolv.conf to give them (podman's)
    run -0 b run --rm --network none --chrootdirs /jail $IMG ls /jail/etc
    [ "$output" = hosts ]
    id=$(b create --chrootdirs /jail $IMG true)
    run -0 b inspect --format '{{.Config.ChrootDirs}}' $id
    [ "$output" = "[/jail]" ]
}

@test "--seccomp-policy: image needs the image's profile label; bad values refused" {
    run -125 --separate-stderr b create --seccomp-policy image $IMG true
    [ "$stderr" = "Error: no seccomp policy defined by image" ]
    run -125 --separate-stderr b create --seccomp-policy bogus $IMG true
    [[ $stderr == *'invalid seccomp policy "bogus": valid policies are ["default" "image"]'* ]]
    run -0 b run --rm --network none --seccomp-policy default $IMG true
}

@test "--systemd always: tmpfs mounts, the systemd cgroup, container_uuid, SIGRTMIN+3" {
    run -0 b run --rm --network none --systemd always $IMG sh -c 'for d in /run /run/lock /tmp /var/log/journal; do awk -v d=$d "\$2 == d {print \$3}" /proc/self/mounts; done; echo $container_uuid'
    [ "${lines[0]}" = tmpfs ] && [ "${lines[1]}" = tmpfs ] && [ "${lines[2]}" = tmpfs ] && [ "${lines[3]}" = tmpfs ] || false
    [[ ${lines[4]} =~ ^[0-9a-f]{32}$ ]]
    if [ ! -e /sys/fs/cgroup/cgroup.controllers ] && [ -d /sys/fs/cgroup/systemd ]; then
        run -0 b run --rm --network none --systemd always $IMG awk '$2 == "/sys/fs/cgroup/systemd" {print $4}' /proc/self/mounts
        [[ ${lines[-1]} == rw,* ]]
    fi
    id=$(b create --systemd always $IMG true)
    run -0 b inspect --format '{{.Config.StopSignal}} {{.Config.SystemdMode}}' $id
    [ "$output" = "37 true" ]
}

@test "--systemd true turns on for an init command only; false never" {
    id=$(b create $IMG /sbin/init)
    run -0 b inspect --format '{{.Config.StopSignal}}' $id
    [ "$output" = 37 ]
    id=$(b create --systemd false $IMG /sbin/init)
    run -0 b inspect --format '{{.Config.StopSignal}}' $id
    [ "$output" = 15 ]
    id=$(b create --stop-signal SIGUSR1 $IMG /usr/lib/systemd/systemd)
    run -0 b inspect --format '{{.Config.StopSignal}}' $id
    [ "$output" = 10 ]
    run -0 b run --rm --network none $IMG awk '$2 == "/run" {print $3}' /proc/self/mounts
    [ -z "$output" ]
}

@test "--systemd: bad values and --init with always exit 125" {
    run -125 --separate-stderr b create --systemd bogus $IMG true
    [[ $stderr == *'--systemd values must be one of "true, false, always"'* ]]
    run -125 --separate-stderr b create --systemd always --init $IMG true
    [[ $stderr == *"cannot use container-init binary with systemd=always"* ]]
}

@test "--pidfile and --conmon-pidfile get the container's and conmon's PIDs" {
    cd "$BATS_TEST_TMPDIR"
    id=$(b run -d --network none --pidfile pf --conmon-pidfile "$BATS_TEST_TMPDIR/cpf" $IMG sleep 30)
    run -0 b inspect --format '{{.State.Pid}} {{.State.ConmonPid}} {{.PidFile}} {{.ConmonPidFile}}' $id
    [ "$output" = "$(cat pf) $(cat cpf) $BATS_TEST_TMPDIR/pf $BATS_TEST_TMPDIR/cpf" ]
    # the pid is the container's sleep
    [ "$(cat /proc/$(cat pf)/cmdline | tr '\0' ' ')" = "sleep 30 " ]
    b rm -f -t 0 $id
    # left behind, as podman leaves them
    [ -f pf ] && [ -f cpf ] || false
    run -125 --separate-stderr b create --conmon-pidfile "$BATS_TEST_TMPDIR/nodir/x" $IMG true
    [[ $stderr == *"invalid --conmon-pidfile"*"nodir is not a directory"* ]]
    run -125 --separate-stderr b create --pidfile /nonexistent-dir/x $IMG true
    [[ $stderr == *"invalid --pidfile /nonexistent-dir/x"* ]]
    # without them: the run dir's files
    id=$(b create $IMG true)
    run -0 b inspect --format '{{.PidFile}} {{.ConmonPidFile}}' $id
    [ "$output" = "$BATS_TEST_TMPDIR/scratch/containers/$id/pidfile $BATS_TEST_TMPDIR/scratch/containers/$id/conmon.pid" ]
}

@test "run --preserve-fds passes our fds 3.. to the container; checked open" {
    run -0 b run --rm --network none --preserve-fds 2 $IMG sh -c 'readlink /proc/self/fd/3; cat <&4; [ -e /proc/self/fd/5 ] || echo no5' 3<"$BATS_TEST_FILENAME" 4<<<"four"
    [[ ${lines[0]} == *run_process.bats && ${lines[1]} == four && ${lines[2]} == no5 ]]
    # without the flag nothing of ours leaks in
    run -0 b run --rm --network none $IMG sh -c '[ -e /proc/self/fd/3 ] && echo leaked || echo none' 3<"$BATS_TEST_FILENAME"
    [ "$output" = none ]
    run -125 --separate-stderr bash -c 'exec 4<&-; "$@"' _ "$BERTH_BIN" "${BERTH_ARGS[@]}" run --rm --network none --preserve-fds 2 $IMG true 3<"$BATS_TEST_FILENAME"
    [ "$stderr" = "Error: file descriptor 4 is not available - the preserve-fds option requires that file descriptors must be passed" ]
    run -125 --separate-stderr b create --preserve-fds 1 $IMG true
    [[ $stderr == *"unknown flag: --preserve-fds"* ]]
}

@test "global --noout silences berth's output, not the container's or errors" {
    run -0 --separate-stderr b --noout images
    [ -z "$output" ]
    run -0 --separate-stderr b --noout run -d --network none $IMG true
    [ -z "$output" ]
    run -0 --separate-stderr b run --noout --rm --network none $IMG echo from-container
    [ "$output" = from-container ]
    run -1 --separate-stderr b --noout rm nosuch
    [ -z "$output" ] && [[ $stderr == *"no such container"* ]] || false
}

# podman appends HOME, then HOSTNAME, after the defaults, the image's and -e
@test "the environment ends with HOME and then HOSTNAME, as podman's" {
    run -0 b run --rm --network none -e FOO=1 $IMG /bin/env
    [ "${lines[-2]}" = "HOME=/root" ]
    [[ ${lines[-1]} =~ ^HOSTNAME=[0-9a-f]{12}$ ]]
    [ "${lines[-3]}" = "FOO=1" ]
}
