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
    [ "${lines[0]}" = crun ] && [ "${lines[1]}" = crun ] && [ "${lines[2]}" = ran ] || false
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

@test "crun: the filter crun compiled is handed back, compacted, at the next create, for that profile only" {
    # the default profile less mkdir and mkdirat (the default action then:
    # ENOSYS), and a small profile of its own
    jq '(.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names) -= ["mkdir", "mkdirat"]' \
        "$BATS_TEST_DIRNAME/../../data/seccomp.json" > "$BATS_TEST_TMPDIR/nomkdir.json"
    echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["rmdir"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}' \
        > "$BATS_TEST_TMPDIR/normdir.json"
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG T=$BATS_TEST_TMPDIR
    run -0 crun_ns '
        b() { $BERTH_BIN $BERTH_ARGS_STR "$@"; }
        bpf() { # NAME: the filter crun loaded (hash, size), and whether berth handed it over
            local id; id=$(b inspect --format "{{.Id}}" $1)
            echo "$1 $(sha256sum < /run/crun/$id/seccomp.bpf | cut -c1-16) $(stat -c %s /run/crun/$id/seccomp.bpf)" \
                "$(jq -r "if .annotations[\"run.oci.seccomp_bpf_data\"] then \"handed\" else \"compiled\" end" \
                    "$(b inspect --format "{{.OCIConfigPath}}" $1)")"
        }
        for n in d1 d2 d3; do b run -d --name $n --network none $IMG sleep 100 >/dev/null; bpf $n; done
        for n in m1 m2; do
            b run -d --name $n --network none --security-opt seccomp=$T/nomkdir.json $IMG sleep 100 >/dev/null; bpf $n
        done
        b run -d --name r1 --network none --security-opt seccomp=$T/normdir.json $IMG sleep 100 >/dev/null; bpf r1
        b exec m2 mkdir /tmp/x 2>&1; echo "m2 mkdir $?"
        b exec m2 sh -c "touch /tmp/y && rm /tmp/y && ls / >/dev/null && echo m2 files ok"
        b exec r1 mkdir /tmp/x; echo "r1 mkdir $?"
        b exec d3 grep Seccomp: /proc/self/status
        b exec d3 sh -c "mkdir /tmp/y && rmdir /tmp/y && echo d3 files ok"
        b inspect --format "{{json .Config.Annotations}}" d3
        b rm -f -t 0 d1 d2 d3 m1 m2 r1 >/dev/null'
    set -- $output
    # d1 compiled; d2 got it back compacted (a third of its size or
    # less), d3 the same bytes again
    [ "$1 $4" = "d1 compiled" ] && [ "$5 $8" = "d2 handed" ] && [ "$9 ${12}" = "d3 handed" ] || false
    [ "$6" != "$2" ] && [ "${10}" = "$6" ] && [ $(( $7 * 3 )) -le "$3" ] || false
    # m1 compiled its own; m2 got it back compacted, not d's
    [ "${13} ${16}" = "m1 compiled" ] && [ "${17} ${20}" = "m2 handed" ] || false
    [ "${18}" != "${14}" ] && [ "${18}" != "$6" ] && [ $(( ${19} * 3 )) -le "${15}" ] || false
    # normdir is another profile: compiled anew, not m's filter
    [ "${21} ${24}" = "r1 compiled" ] && [ "${22}" != "${14}" ] && [ "${22}" != "$2" ] || false
    # the compacted filters decide as crun's did: mkdir denied by m's
    # default action, all else of the profile allowed
    [[ $output == *"Function not implemented"*"m2 mkdir 1"*"m2 files ok"* ]]
    [[ $output == *"r1 mkdir 0"* ]]
    [[ $output == *"Seccomp:"*2*"d3 files ok"* ]]
    [[ $output != *seccomp_bpf_data* ]]
}

# crun_copy: a copy of crun under the test dir (named crun: berth knows
# crun by its file name), so that a failed protection below could only
# ever write the copy
crun_copy() {
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    cp /usr/bin/crun "$BATS_TEST_TMPDIR/bin/crun"
    export CRUN=$BATS_TEST_TMPDIR/bin/crun
}

@test "crun: each crun process is exec'd once, from a read-only mount of itself" {
    crun_copy
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG T=$BATS_TEST_TMPDIR
    run -0 crun_ns '
        b() { $BERTH_BIN $BERTH_ARGS_STR "$@"; }
        # (LeakSanitizer cannot run under ptrace: an ASan build leaves it off here)
        ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,execveat -e signal=none -o $T/execs \
            $BERTH_BIN $BERTH_ARGS_STR --runtime $CRUN run --rm --network none $IMG echo ran &&
        b --runtime $CRUN run -d --name s --network none $IMG sleep 100 >/dev/null &&
        ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,execveat -e signal=none -o $T/execs2 $BERTH_BIN $BERTH_ARGS_STR exec s true &&
        b rm -f -t 0 s >/dev/null &&
        awk -v d="$T/scratch/rtexec/" "index(\$5, d) == 1 {print \$1, \$4, \$5, \$6}" /proc/self/mountinfo'
    # one mount, read-only, of the copy
    [ "${lines[0]}" = ran ]
    set -- ${lines[1]}
    [ "$#" = 4 ] && [ "$2" = "$CRUN" ] && [[ $3 == "$BATS_TEST_TMPDIR/scratch/rtexec/"*/crun ]] || false
    [[ $4 == ro,* ]]
    mp=$3
    # create (by conmon), delete and exec: from the mount, and never
    # again from a copy of itself (the start is berth's: exec FIFO)
    grep -E 'execve(at)?\(' "$BATS_TEST_TMPDIR/execs" "$BATS_TEST_TMPDIR/execs2" > "$BATS_TEST_TMPDIR/all"
    for verb in create delete exec; do
        grep -q "execve(\"$mp\", .*\"$verb\"" "$BATS_TEST_TMPDIR/all" || { echo "# no $verb:"; cat "$BATS_TEST_TMPDIR/all"; false; }
    done
    run grep -c "\"$CRUN\"\|execveat\|/proc/self/fd\|/dev/fd/" "$BATS_TEST_TMPDIR/all"
    [ "$output" = 0 ]
}

@test "crun: the binary cannot be written through /proc/<pid>/exe of a crun process" {
    crun_copy
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG T=$BATS_TEST_TMPDIR
    # a createRuntime hook, run by `crun create`, does what CVE-2019-5736
    # does from a container: keeps a handle on its runtime's binary and,
    # once the runtime has exited, reopens it for writing
    cat > "$T/hook.sh" <<'HOOK'
#!/bin/sh
readlink /proc/$PPID/exe > "$1/exe"
exec 3< /proc/$PPID/exe
(
    # busy while a crun process (create, the container's init before its
    # exec, start, delete) runs it; the exploit waits that out
    for i in $(seq 200); do
        if echo pwned 2> "$1/err" >> /proc/self/fd/3; then echo written; exit; fi
        grep -q "Text file busy" "$1/err" || break
        sleep 0.05
    done
    cat "$1/err"; echo refused
) > "$1/attack.tmp" 2>&1 < /dev/null && mv "$1/attack.tmp" "$1/attack" &
HOOK
    chmod +x "$T/hook.sh"
    mkdir -p "$T/hooks"
    printf '{"version":"1.0.0","hook":{"path":"%s","args":["hook.sh","%s"]},"when":{"always":true},"stages":["createRuntime"]}\n' \
        "$T/hook.sh" "$T" > "$T/hooks/attack.json"
    run -0 crun_ns '
        $BERTH_BIN $BERTH_ARGS_STR --hooks-dir $T/hooks --runtime $CRUN run --rm --network none $IMG echo ran'
    [ "$output" = ran ]
    retry_until 10 test -s "$T/attack"
    [[ $(cat "$T/exe") == "$T/scratch/rtexec/"*/crun ]]
    run cat "$T/attack"
    [[ $output == *"Read-only file system"*refused* ]]
    cmp "$CRUN" /usr/bin/crun
}

@test "crun: an upgraded crun gets a new read-only mount, reset removes it; runc gets none" {
    crun_copy
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG T=$BATS_TEST_TMPDIR
    run -0 crun_ns '
        b() { $BERTH_BIN $BERTH_ARGS_STR "$@"; }
        b --runtime runc run --rm --network none $IMG true && ls $T/scratch/rtexec 2>&1
        b --runtime $CRUN run --rm --network none $IMG true && stat -c %i $T/scratch/rtexec/*/crun
        # an upgrade replaces the file: a new inode
        cp $CRUN $CRUN.new && mv $CRUN.new $CRUN && stat -c %i $CRUN &&
        b --runtime $CRUN run --rm --network none $IMG echo ran && stat -c %i $T/scratch/rtexec/*/crun
        grep -c " $T/scratch/rtexec/" /proc/self/mountinfo
        b system reset --force >/dev/null && { grep -c " $T/scratch/rtexec/" /proc/self/mountinfo || true; }'
    [[ ${lines[0]} == *"No such file or directory"* ]]
    [ "${lines[3]}" = ran ] && [ "${lines[4]}" = "${lines[2]}" ] && [ "${lines[1]}" != "${lines[2]}" ] || false
    # the stale mount was replaced, not covered; reset detaches the mount
    [ "${lines[5]}" = 1 ] && [ "${lines[6]}" = 0 ] || false
}

@test "crun: a handed-off delete's record names crun's own path, not the mount's" {
    # a crun whose delete waits, so that the record is there to read
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    printf '#!/bin/sh\nfor a; do [ "$a" = delete ] && sleep 2; done\nexec /usr/bin/crun "$@"\n' \
        > "$BATS_TEST_TMPDIR/bin/crun"
    chmod 755 "$BATS_TEST_TMPDIR/bin/crun"
    # run, not conmon's exit command, removes it: the delete is handed off
    hold_exit_commands
    export W=$BATS_TEST_TMPDIR/bin/crun BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG T=$BATS_TEST_TMPDIR
    # the mount of the wrapper is the one whose bytes are its own (crun's
    # own mount would be there too, had a command resolved plain crun)
    run -0 crun_ns '
        $BERTH_BIN $BERTH_ARGS_STR --runtime $W run --rm --cidfile $T/cid --network none $IMG echo ran &&
        for m in $T/scratch/rtexec/*/crun; do if cmp -s $m $W; then echo $m; fi; done &&
        tr "\0" "\n" < $T/scratch/rtdelete/$(cat $T/cid) | head -1
        for i in $(seq 100); do [ -n "$(ls -A $T/scratch/rtdelete)" ] || break; sleep 0.1; done'
    # crun ran from the mount; its record names the binary itself
    [ "${lines[0]}" = ran ] && [[ ${lines[1]} == "$BATS_TEST_TMPDIR/scratch/rtexec/"*/crun ]] &&
        [ "${lines[2]}" = "$W" ] && [ "${#lines[@]}" = 3 ] || { printf '%s\n' "$output"; false; }
    [ -z "$(ls -A "$BATS_TEST_TMPDIR/scratch/rtdelete")" ]
    exit_commands_done
}

# the runtimes' verbs exec'd in file F of strace's (its execve lines)
verbs() { grep -oE 'execve\("[^"]*/(crun|runc)", \[[^]]*' "$1" | grep -oE '"(create|start|delete|exec|run)"' | tr -d '"' | sort -u | tr '\n' ' '; }

@test "crun and runc: a container is started through its exec FIFO, without the runtime's start" {
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG T=$BATS_TEST_TMPDIR
    st() { ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve -e signal=none -o "$@"; }
    export -f st
    for rt in runc crun; do
        run -0 crun_ns "
            b() { \$BERTH_BIN \$BERTH_ARGS_STR \"\$@\"; }
            st \$T/$rt-run \$BERTH_BIN \$BERTH_ARGS_STR --runtime $rt run --rm --network none \$IMG echo ran-$rt &&
            b --runtime $rt run -d --name d-$rt --network none \$IMG sleep 100 >/dev/null &&
            id=\$(b inspect --format '{{.Id}}' d-$rt) &&
            b inspect --format '{{.State.Status}}' d-$rt &&
            $rt state \$id | jq -r .status &&
            { [ ! -e /run/$rt/\$id/exec.fifo ] && echo no-fifo; } &&
            b rm -f -t 0 d-$rt >/dev/null"
        [ "${lines[0]}" = ran-$rt ] && [ "${lines[1]}" = running ] && [ "${lines[2]}" = running ] &&
            [ "${lines[3]}" = no-fifo ] || false
        run verbs "$BATS_TEST_TMPDIR/$rt-run"
        [ "$output" = "create delete " ]
    done
}

@test "a container whose spec has a poststart hook is started by the runtime's own start, which runs it" {
    H=$BATS_TEST_TMPDIR/hk
    mkdir -p "$H/hooks"
    printf '#!/bin/sh\necho "$1" >> "$2"\n' > "$H/hook.sh"
    chmod +x "$H/hook.sh"
    printf '{"version":"1.0.0","hook":{"path":"%s","args":["hook.sh","post","%s"]},"when":{"always":true},"stages":["poststart"]}\n' \
        "$H/hook.sh" "$H/marker" > "$H/hooks/post.json"
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG T=$BATS_TEST_TMPDIR H
    for rt in runc crun; do
        rm -f "$H/marker"
        run -0 crun_ns "
            ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve -e signal=none -o \$T/$rt-post \
                \$BERTH_BIN \$BERTH_ARGS_STR --hooks-dir \$H/hooks --runtime $rt run --rm --network none \$IMG echo ran"
        [ "$output" = ran ]
        [ "$(cat "$H/marker")" = post ]
        run verbs "$BATS_TEST_TMPDIR/$rt-post"
        [ "$output" = "create delete start " ]
    done
}
