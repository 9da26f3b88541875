# test/bats/runtime.bats: runtime init: config layering, the DB config,
# the alive file and refresh, locks.
load helpers

setup()    { berth_setup; }
teardown() { berth_teardown; }

d() { echo "$BATS_TEST_TMPDIR"; }

count_events() {  # count_events STATUS
    grep -c "\"Status\":\"$1\"" "$(d)/scratch/events/events.log" || true
}

@test "first use creates the dirs, the alive file with the boot id, and a refresh event" {
    run -0 b system locks
    [ -d "$(d)/root/libpod" ]
    [ "$(stat -c %a "$(d)/root/libpod")" = 700 ]
    [ "$(cat "$(d)/scratch/alive")" = "$(cat /proc/sys/kernel/random/boot_id)" ]
    [ "$(count_events refresh)" = 1 ]
    # later commands of the same boot do not refresh again
    run -0 b system locks
    [ "$(count_events refresh)" = 1 ]
}

@test "the DB records the paths of the first init" {
    run -0 b system locks
    run -0 jq -r '."tmp-dir", ."run-root", ."graph-root", ."static-dir"' "$(d)/root/libpod/db.json"
    [ "${lines[0]}" = "$(d)/scratch" ]
    [ "${lines[1]}" = "$(d)/runroot" ]
    [ "${lines[2]}" = "$(d)/root" ]
    [ "${lines[3]}" = "$(d)/root/libpod" ]
}

@test "an explicit path that differs from the recorded one is refused, naming both" {
    run -0 b system locks
    run -125 --separate-stderr "$BERTH_BIN" --root "$(d)/root" --runroot "$(d)/runroot2" \
        --tmpdir "$(d)/scratch" system locks
    [[ $stderr == *'Error: database storage temporary directory (runroot) "'"$(d)"'/runroot" does not match our storage temporary directory (runroot) "'"$(d)"'/runroot2": database configuration mismatch'* ]]
}

@test "--tmpdir is honoured, unlike podman 4.3.1: a different one is a mismatch" {
    run -0 b system locks
    run -125 --separate-stderr "$BERTH_BIN" --root "$(d)/root" --runroot "$(d)/runroot" \
        --tmpdir "$(d)/other" system locks
    [[ $stderr == *'libpod temporary files directory (tmpdir) "'"$(d)"'/scratch" does not match'* ]]
}

@test "paths not given explicitly are adopted from the DB" {
    run -0 b system locks
    # only --root: run root and tmp dir come from the DB, not the defaults
    run -0 "$BERTH_BIN" --root "$(d)/root" info --format '{{.Store.RunRoot}} {{.Store.TmpDir}}'
    [ "$output" = "$(d)/runroot $(d)/scratch" ]
}

@test "config file paths count as explicit too" {
    run -0 b system locks
    printf '[engine]\ntmp_dir = "%s/elsewhere"\n' "$(d)" > "$TEST_CONF"
    run -125 --separate-stderr "$BERTH_BIN" --root "$(d)/root" --runroot "$(d)/runroot" system locks
    [[ $stderr == *'tmpdir) "'"$(d)"'/scratch" does not match'*'"'"$(d)"'/elsewhere"'* ]]
}

@test "a deleted alive file makes the next command refresh" {
    run -0 b system locks
    rm "$(d)/scratch/alive"
    run -0 b system locks
    [ "$(count_events refresh)" = 2 ]
    [ -f "$(d)/scratch/alive" ]
}

@test "a changed boot id makes the next command refresh" {
    run -0 b system locks
    echo 00000000-0000-0000-0000-000000000000 > "$(d)/scratch/alive"
    run -0 b system locks
    [ "$(count_events refresh)" = 2 ]
    [ "$(cat "$(d)/scratch/alive")" = "$(cat /proc/sys/kernel/random/boot_id)" ]
}

@test "20 concurrent first commands refresh exactly once" {
    run -0 b system locks       # create the state, then pretend a reboot
    echo stale-boot > "$(d)/scratch/alive"
    for i in $(seq 20); do b system locks >/dev/null 2>&1 & done
    wait
    [ "$(count_events refresh)" = 2 ]
}

@test "system refresh refuses when the boot id has not changed" {
    run -0 b system locks
    run -125 --separate-stderr b system refresh
    [[ $stderr == *"Error: refresh refused"*"$(cat /proc/sys/kernel/random/boot_id)"* ]]
    [ "$(count_events refresh)" = 1 ]
}

@test "system refresh runs after a reboot" {
    run -0 b system locks
    echo stale-boot > "$(d)/scratch/alive"
    run -0 b system refresh
    [ "$(count_events refresh)" = 2 ]
}

@test "system locks lists nothing on a fresh store and takes no operands" {
    run -0 b system locks --format '{{.Number}}'
    [ -z "$output" ]
    run -125 --separate-stderr b system locks extra
    [[ $stderr == *"takes no arguments"* ]]
}

@test "system renumber writes a renumber event" {
    run -0 b system renumber
    [ "$(count_events renumber)" = 1 ]
}

@test "a missing --config file is an error" {
    run -125 --separate-stderr b --config "$(d)/nope.conf" system locks
    [[ $stderr == *"Error: "*"nope.conf"*"no such file or directory"* ]]
}

@test "a malformed config file names file, line and column" {
    printf '[engine]\nstop_timeout = = 3\n' > "$TEST_CONF"
    run -125 --separate-stderr b system locks
    [[ $stderr == "Error: $TEST_CONF:2:"* ]]
}

@test "layering: later files override earlier keys, info lists the files in order" {
    local r=$(d)/sysroot
    mkdir -p "$r/usr/share/berth" "$r/etc/berth/berth.conf.d"
    printf '[engine]\nevents_logger = "none"\nstop_timeout = 3\n' > "$r/usr/share/berth/berth.conf"
    printf '[engine]\nevents_logger = "file"\n' > "$r/etc/berth/berth.conf"
    printf '[containers]\nlog_driver = "none"\n' > "$r/etc/berth/berth.conf.d/10-log.conf"
    unset BERTH_CONFIG
    BERTH_CONFIG_ROOT=$r run -0 b info --format '{{.Host.EventLogger}} {{.Host.LogDriver}} {{json .Host.ConfigFiles}}'
    [ "$output" = "file none [\"$r/usr/share/berth/berth.conf\",\"$r/etc/berth/berth.conf\",\"$r/etc/berth/berth.conf.d/10-log.conf\"]" ]
}

@test "flags beat config files" {
    printf '[engine]\nevents_logger = "none"\n' > "$TEST_CONF"
    run -0 b --events-backend file info --format '{{.Host.EventLogger}}'
    [ "$output" = file ]
}
