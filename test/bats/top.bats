# test/bats/top.bats: top's descriptors read from /proc, the ps(1)
# fallback, errors.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "top: podman's default columns with plausible values" {
    b run -d --name t1 --network none $IMG sleep 86400 >/dev/null
    b exec -d t1 sleep 4321 >/dev/null
    run -0 b top t1
    [[ ${lines[0]} =~ ^USER\ +PID\ +PPID\ +%CPU\ +ELAPSED\ +TTY\ +TIME\ +COMMAND$ ]]
    [ "${#lines[@]}" = 3 ]
    [[ ${lines[1]} =~ ^root\ +1\ +0\ +[0-9]+\.[0-9]{3}\ +[0-9.hms]+s\ +\?\ +0s\ +sleep\ 86400\ $ ]]
    [[ ${lines[2]} =~ ^root\ +[0-9]+\ +0\ +[0-9.]+\ +[0-9.µmhs]+s\ +\?\ +0s\ +sleep\ 4321\ $ ]]
    run -0 b container top t1
}

@test "top descriptors: names, host view, capabilities, seccomp, comma lists" {
    b run -d --name t2 --network none --user 100:200 --cap-drop all --cap-add chown $IMG sleep 86400 >/dev/null
    hpid=$(b inspect --format '{{.State.Pid}}' t2)
    run -0 b top t2 pid comm user group nice state hpid huser seccomp capeff capbnd label
    [[ ${lines[0]} =~ ^PID\ +COMMAND\ +USER\ +GROUP\ +NI\ +STATE\ +HPID\ +HUSER\ +SECCOMP\ +EFFECTIVE\ CAPS\ +BOUNDING\ CAPS\ +LABEL$ ]]
    read -r -a f <<< "${lines[1]}"
    [ "${f[0]}" = 1 ] && [ "${f[1]}" = sleep ] && [ "${f[2]}" = 100 ] && [ "${f[3]}" = 200 ] || false
    # huser: the host's name of uid 100, if it has one
    hname=$(awk -F: '$3 == 100 {print $1; exit}' /etc/passwd)
    [ "${f[4]}" = 0 ] && [ "${f[5]}" = S ] && [ "${f[6]}" = "$hpid" ] && [ "${f[7]}" = "${hname:-100}" ] || false
    # as podman 4.3.1: a --cap-add of a non-root user is effective too
    [ "${f[8]}" = filter ] && [ "${f[9]}" = CHOWN ] && [ "${f[10]}" = CHOWN ] && [ "${f[11]}" = '?' ] || false
    run -0 b top t2 pid,vsz rss
    [[ ${lines[0]} =~ ^PID\ +VSZ\ +RSS$ ]]
    read -r -a f <<< "${lines[1]}"
    [ "${f[1]}" -gt 0 ] && [ "${f[2]}" -gt 0 ] || false
    run -0 b top --list-descriptors
    [[ $output == *$'\nhpid\n'* ]]
}

@test "top with ps(1) arguments runs ps in the container" {
    b run -d --name t3 --network none $IMG sleep 86400 >/dev/null
    run -0 b top t3 -o pid,args
    [ "${lines[0]}" = "PID   COMMAND" ]
    [[ ${lines[1]} =~ ^\ +1\ sleep\ 86400$ ]]
    [[ $output != *"ps -o"* ]]
    # the exec session of ps is gone after
    run -0 b inspect --format '{{len .ExecIDs}}' t3
    [ "$output" = 0 ]
}

@test "top errors: podman's words, exit 125" {
    run -125 --separate-stderr b top
    [ "$stderr" = "Error: you must provide the name or id of a running container" ]
    run -125 --separate-stderr b top nosuch
    [ "$stderr" = 'Error: unable to look up requested container: no container with name or ID "nosuch" found: no such container' ]
    b create --name t4 --network none $IMG true >/dev/null
    run -125 --separate-stderr b top t4
    [ "$stderr" = "Error: top can only be used on running containers" ]
    # podman: a paused container is not running either
    b run -d --name t5 --network none $IMG sleep 100 >/dev/null
    b pause t5 >/dev/null
    run -125 --separate-stderr b top t5
    [ "$stderr" = "Error: top can only be used on running containers" ]
}
