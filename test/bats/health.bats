# test/bats/health.bats: health checks without a daemon or systemd: the
# flags, healthcheck run, the per-container health process, inspect, ps,
# events, wait --condition, --health-on-failure.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

health() { b inspect --format '{{.State.Health.Status}}' "$1"; }
hpid() { b inspect --format '{{.State.HealthcheckPid}}' "$1"; }
# health_is CTR STATUS: polled with a deadline
health_is() { retry_until 20 bash -c "[ \"\$(\"$BERTH_BIN\" ${BERTH_ARGS[*]} inspect --format '{{.State.Health.Status}}' $1)\" = $2 ]"; }
state_is() { retry_until 20 bash -c "[ \"\$(\"$BERTH_BIN\" ${BERTH_ARGS[*]} inspect --format '{{.State.Status}}' $1)\" = $2 ]"; }
# a check that passes the first N times, then fails (a counter in /tmp)
fails_after() { echo "n=\$(cat /tmp/n 2>/dev/null || echo 0); echo \$((n+1)) > /tmp/n; echo run \$n; [ \$n -lt $1 ]"; }

@test "health flags are checked with podman's words" {
    run -125 --separate-stderr b create --health-on-failure bogus $IMG true
    [ "$stderr" = 'Error: invalid on-failure action "bogus" for health check: supported actions are none,kill,restart,stop' ]
    run -125 --separate-stderr b create --health-cmd true --health-retries 0 $IMG true
    [ "$stderr" = "Error: healthcheck-retries must be greater than 0" ]
    run -125 --separate-stderr b create --health-cmd true --health-timeout 0 $IMG true
    [ "$stderr" = "Error: healthcheck-timeout must be at least 1 second" ]
    run -125 --separate-stderr b create --health-cmd true --health-start-period -1s $IMG true
    [ "$stderr" = "Error: healthcheck-start-period must be 0 seconds or greater" ]
    run -125 --separate-stderr b create --no-healthcheck --health-cmd true $IMG true
    [ "$stderr" = "Error: cannot specify both --no-healthcheck and --health-cmd" ]
    run -125 --separate-stderr b create --health-cmd true --health-interval 1x $IMG true
    [[ $stderr == "Error: invalid healthcheck-interval: "* ]]
    run -0 b ps -aq
    [ -z "$output" ]
}

@test "the forms of --health-cmd, the defaults, and inspect's Config.Healthcheck" {
    run -0 b create --name s --health-cmd 'echo hi; true' $IMG sleep 9
    run -0 b inspect --format '{{json .Config.Healthcheck}} {{.Config.HealthcheckOnFailureAction}}' s
    [ "$output" = '{"Test":["CMD-SHELL","echo hi; true"],"Interval":30000000000,"Timeout":30000000000,"Retries":3} none' ]
    run -0 b create --name a --health-cmd '["ls", "/"]' --health-interval disable --health-retries 4 \
        --health-timeout 2s --health-start-period 1m --health-on-failure stop $IMG sleep 9
    run -0 b inspect --format '{{json .Config.Healthcheck}} {{.Config.HealthcheckOnFailureAction}}' a
    [ "$output" = '{"Test":["CMD","ls","/"],"Interval":0,"StartPeriod":60000000000,"Timeout":2000000000,"Retries":4} stop' ]
    # no check, shown as podman 4.3.1 shows it
    for n in none NONE; do
        run -0 b create --name $n --health-cmd $n $IMG sleep 9
        run -0 b inspect --format '{{json .Config.Healthcheck}}' $n
        [ "$output" = '{"Test":["NONE"],"Interval":30000000000,"Timeout":30000000000,"Retries":3}' ]
    done
    run -0 b create --name off --no-healthcheck $IMG sleep 9
    run -0 b inspect --format '{{json .Config.Healthcheck}} {{json .State.Health}}' off
    [ "$output" = '{"Test":["NONE"]} {"Status":"","FailingStreak":0,"Log":null}' ]
    run -125 --separate-stderr b healthcheck run none
    [[ $stderr == *"has no defined healthcheck" ]]
}

@test "healthcheck run: exit 0 healthy, 1 unhealthy, podman's errors" {
    run -0 b run -d --name ok --network none --health-cmd 'echo fine' --health-interval disable $IMG sleep 100
    run -0 b run -d --name bad --network none --health-cmd 'echo broken >&2; exit 3' --health-interval disable $IMG sleep 100
    run -0 b run -d --name plain --network none $IMG sleep 100
    run -0 b create --name idle --health-cmd true $IMG sleep 100
    run -0 b healthcheck run ok
    [ -z "$output" ]
    run -1 b healthcheck run bad
    [ "$output" = unhealthy ]
    okid=$(b inspect --format '{{.Id}}' plain)
    run -125 --separate-stderr b healthcheck run plain
    [ "$stderr" = "Error: container $okid has no defined healthcheck" ]
    idleid=$(b inspect --format '{{.Id}}' idle)
    run -125 --separate-stderr b healthcheck run idle
    [ "$stderr" = "Error: container $idleid is not running" ]
    run -125 --separate-stderr b healthcheck run nosuch
    [[ $stderr == "Error: unable to look up nosuch to perform a health check: "*"no such container"* ]]
    # the results are kept: podman's field names, exit code 1 for a failure
    run -0 b inspect --format '{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}' ok
    [ "$output" = "healthy 0 0 fine" ]
    run -0 b inspect --format '{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}' bad
    [ "$output" = "starting 1 1 broken" ]
    # no interval: no health process
    [ "$(hpid ok)" = 0 ]
}

@test "a check that starts failing turns the container unhealthy after the retries" {
    run -0 b run -d --name w --network none --health-cmd "$(fails_after 3)" \
        --health-interval 0.2s --health-retries 2 $IMG sleep 100
    pid=$(hpid w)
    [ "$pid" -gt 0 ]
    kill -0 "$pid"
    grep -q "__health" /proc/$pid/cmdline
    run -0 b wait --condition healthy w
    [ "$output" = -1 ]
    run -0 b ps --format '{{.Names}} {{.Status}}'
    [[ $output == "w Up "*" (healthy)" ]]
    run -0 b wait --condition unhealthy w
    run -0 b inspect --format '{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{len .State.Health.Log}}' w
    [[ $output == "unhealthy "[2-9]" 5" ]]
    # the last result is the second failure in a row; older ones went
    run -0 b inspect --format '{{range .State.Health.Log}}{{.ExitCode}}{{end}}' w
    [[ $output == *11 ]]
    run -0 b ps --filter health=unhealthy --format '{{.Names}} {{.Status}}'
    [[ $output == "w Up "*" (unhealthy)" ]]
    run -0 b ps --filter health=healthy --format '{{.Names}}'
    [ -z "$output" ]
    run -0 b events --stream=false --filter event=health_status --format '{{.Name}} {{.HealthStatus}}'
    [[ $output == *"w healthy"* ]]
    [[ $output == *"w unhealthy"* ]]
    # none: still running, the default action
    run -0 b inspect --format '{{.State.Status}}' w
    [ "$output" = running ]
}

@test "--health-on-failure kill and stop end the container" {
    run -0 b run -d --name k --network none --health-cmd false --health-interval 0.2s \
        --health-retries 1 --health-on-failure kill $IMG sleep 100
    run -0 b run -d --name s --network none --health-cmd false --health-interval 0.2s \
        --health-retries 1 --health-on-failure stop --stop-timeout 1 $IMG sleep 100
    state_is k exited
    state_is s exited
    run -0 b inspect --format '{{.State.ExitCode}} {{.State.Health.Status}}' k
    [ "$output" = "137 unhealthy" ]
    run -0 b ps -a --format '{{.Names}} {{.Status}}' --filter name=s
    [[ $output == "s Exited ("* ]]
    # the stop's event follows its exit: written by the health process's
    # stop once the exit is recorded, a moment after the state says so
    # (under a full ASan run's load, after this line's first look)
    stop_event() { b events --stream=false --filter event=stop --format '{{.Name}}' | grep -qx s; }
    retry_until 10 stop_event
}

@test "--health-on-failure restart restarts it through the exit path" {
    # passes, fails once (the files stay in its root file system), then passes
    run -0 b run -d --name r --network none --health-interval 0.2s --health-retries 1 \
        --health-cmd 'test -e /tmp/b && exit 0; test -e /tmp/a && touch /tmp/b && exit 1; touch /tmp/a' \
        --health-on-failure restart $IMG sleep 100
    first=$(b inspect --format '{{.State.Pid}}' r)
    [ "$(b inspect --format '{{.RestartCount}}' r)" = 0 ]
    retry_until 20 bash -c "[ \"\$(\"$BERTH_BIN\" ${BERTH_ARGS[*]} inspect --format '{{.RestartCount}}' r)\" = 1 ]"
    health_is r healthy
    run -0 b inspect --format '{{.State.Status}} {{.RestartCount}}' r
    [ "$output" = "running 1" ]
    [ "$(b inspect --format '{{.State.Pid}}' r)" != "$first" ]
    # a new health process watches the new run
    pid=$(hpid r)
    [ "$pid" -gt 0 ]
    kill -0 "$pid"
}

@test "the start period: failures do not count until it is over" {
    run -0 b run -d --name sp --network none --health-cmd false --health-interval 0.2s \
        --health-retries 1 --health-start-period 60s $IMG sleep 100
    retry_until 20 bash -c "[ \"\$(\"$BERTH_BIN\" ${BERTH_ARGS[*]} inspect --format '{{len .State.Health.Log}}' sp)\" -ge 3 ]"
    run -0 b inspect --format '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' sp
    [ "$output" = "starting 0" ]
    run -1 b healthcheck run sp
    [ "$(health sp)" = starting ]
    # the same check without a start period: unhealthy at the first failure
    run -0 b run -d --name nsp --network none --health-cmd false --health-interval disable \
        --health-retries 1 $IMG sleep 100
    run -1 b healthcheck run nsp
    [ "$(health nsp)" = unhealthy ]
}

# podman's: exit code -1 in the log with what the check printed, and
# healthcheck run fails with its error (125); berth kills the check there
@test "a check longer than --health-timeout is killed and fails" {
    run -0 b run -d --name t --network none --health-cmd 'echo started; sleep 30' --health-interval disable \
        --health-timeout 1s $IMG sleep 100
    SECONDS=0
    run -125 --separate-stderr b healthcheck run t
    [ "$stderr" = "Error: healthcheck command exceeded timeout of 1s" ] && [ "$output" = "" ]
    [ "$SECONDS" -lt 10 ]
    run -0 b inspect --format '{{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}} {{.State.Health.FailingStreak}}' t
    [ "$output" = "-1 started 1" ]
}

@test "the health process ends with stop, rm -f, the container's exit and a reboot" {
    for n in a b c; do
        run -0 b run -d --name $n --network none --health-cmd true --health-interval 0.3s $IMG sleep 100
    done
    # d's process sleeps (no lock held) for its whole interval
    run -0 b run -d --name d --network none --health-cmd true --health-interval 60s $IMG sleep 100
    pa=$(hpid a); pb=$(hpid b); pc=$(hpid c); pd=$(hpid d)
    for p in $pa $pb $pc $pd; do kill -0 $p; done
    # one process per container, none for a container without a check
    run -0 b run -d --name plain --network none $IMG sleep 100
    [ "$(pgrep -f 'container __health' | wc -l)" -ge 4 ]
    ! pgrep -f "container __health $(b inspect --format '{{.Id}}' plain)" || false
    run -0 b stop -t 0 a
    # SIGKILLed by stop, not waited for: gone (and reaped) a moment after
    retry_until 5 bash -c "! kill -0 $pa 2>/dev/null"
    run -0 b rm -f -t 0 b
    retry_until 5 bash -c "! kill -0 $pb 2>/dev/null"
    # the container's own exit: its process notices (pidfd) and ends
    kill -9 "$(b inspect --format '{{.State.Pid}}' c)"
    retry_until 20 bash -c "! kill -0 $pc 2>/dev/null"
    # a simulated reboot (as lifecycle.bats's): the health process is
    # frozen while it sleeps, so that only the refresh can end it
    retry_until 10 grep -q poll /proc/$pd/wchan
    kill -STOP $pd
    did=$(b inspect --format '{{.Id}}' d)
    pkill -9 -f "conmon.*$did" || true
    kill -9 "$(b inspect --format '{{.State.Pid}}' d)" || true
    awk -v d="$BATS_TEST_TMPDIR" '$2 ~ "^"d {print $2}' /proc/self/mounts | sort -r | xargs -r umount -l
    echo 00000000-dead-beef-0000-000000000000 > "$BATS_TEST_TMPDIR/scratch/alive"
    rm -rf "$BATS_TEST_TMPDIR/scratch/exits" "$BATS_TEST_TMPDIR/runroot"
    run -0 b inspect --format '{{.State.Status}} {{.State.HealthcheckPid}} {{.State.Health.Status}}' d
    [ "$output" = "created 0 " ] || [ "$output" = "configured 0 " ]
    retry_until 5 bash -c "! kill -0 $pd 2>/dev/null"
    run -0 b start a
    pa2=$(hpid a)
    [ "$pa2" -gt 0 ] && [ "$pa2" != "$pa" ] || false
    kill -0 $pa2
    run -0 b inspect --format '{{.State.Health.Status}}' a
    [ "$output" = starting ] || [ "$output" = healthy ]
}

# hc_image: localhost/hcimg, the busybox image with a docker HEALTHCHECK
# (its config rewritten in a copy of the docker-archive)
hc_image() {
    local w=$BATS_TEST_TMPDIR/hcimg cfg new
    mkdir -p "$w"
    tar -C "$w" -xf "$TEST_IMAGES_DIR/busybox.docker.tar"
    cfg=$(jq -r '.[0].Config' "$w/manifest.json")
    jq -c '.config.Healthcheck = {"Test":["CMD-SHELL","echo from-image"],"Interval":200000000,"Retries":2}' \
        "$w/$cfg" > "$w/new.json"
    new=$(sha256sum "$w/new.json" | cut -c1-64).json
    mv "$w/new.json" "$w/$new"
    rm "$w/$cfg" "$w/repositories"
    jq -c --arg c "$new" '.[0].Config = $c | .[0].RepoTags = ["localhost/hcimg:latest"]' \
        "$w/manifest.json" > "$w/m" && mv "$w/m" "$w/manifest.json"
    tar -C "$w" -cf "$BATS_TEST_TMPDIR/hcimg.tar" manifest.json "$new" $(jq -r '.[0].Layers[]' "$w/manifest.json")
    b load -q -i "$BATS_TEST_TMPDIR/hcimg.tar" >/dev/null
}

@test "the image's HEALTHCHECK is the default; flags change it, none or --no-healthcheck drop it" {
    hc_image
    run -0 b run -d --name img --network none localhost/hcimg sleep 100
    run -0 b inspect --format '{{json .Config.Healthcheck}}' img
    [ "$output" = '{"Test":["CMD-SHELL","echo from-image"],"Interval":200000000,"Timeout":30000000000,"Retries":2}' ]
    health_is img healthy
    run -0 b inspect --format '{{(index .State.Health.Log 0).Output}}' img
    [ "$output" = from-image ]
    run -0 b create --name over --health-retries 7 localhost/hcimg sleep 100
    run -0 b inspect --format '{{json .Config.Healthcheck.Test}} {{.Config.Healthcheck.Retries}}' over
    [ "$output" = '["CMD-SHELL","echo from-image"] 7' ]
    run -0 b create --name none --health-cmd none localhost/hcimg sleep 100
    run -0 b create --name nohc --no-healthcheck localhost/hcimg sleep 100
    run -0 b inspect --format '{{json .Config.Healthcheck.Test}}' none
    [ "$output" = '["NONE"]' ]
    run -0 b inspect --format '{{json .Config.Healthcheck}}' nohc
    [ "$output" = '{"Test":["NONE"]}' ]
}

@test "a startup check (podman 4.4) runs first; its retries restart the container" {
    run -125 --separate-stderr b create --health-startup-interval 1s $IMG true
    [ "$stderr" = "Error: --health-startup-* flags need --health-startup-cmd" ]
    run -125 --separate-stderr b create --health-startup-cmd true $IMG true
    [[ $stderr == "Error: startup healthchecks require a healthcheck"* ]]
    # fails once, then passes: the health check takes over
    run -0 b run -d --name st --network none --health-startup-interval 0.2s \
        --health-startup-cmd 'test -e /tmp/s || { touch /tmp/s; echo early; exit 1; }' \
        --health-cmd 'echo regular' --health-interval 0.3s $IMG sleep 100
    run -0 b inspect --format '{{json .Config.StartupHealthCheck.Test}} {{.State.Health.Status}}' st
    [[ $output == '["CMD-SHELL",'*'] starting' ]]
    health_is st healthy
    run -0 b inspect --format '{{range .State.Health.Log}}{{.Output}} {{end}}' st
    [[ $output == "early  "*"regular "* ]]
    # a startup check that keeps failing: restarted after its retries
    run -0 b run -d --name sf --network none --health-startup-cmd false --health-startup-interval 0.2s \
        --health-startup-retries 2 --health-cmd true $IMG sleep 100
    retry_until 20 bash -c "[ \"\$(\"$BERTH_BIN\" ${BERTH_ARGS[*]} inspect --format '{{.RestartCount}}' sf)\" -ge 1 ]"
    [ "$(health sf)" = starting ]
}
