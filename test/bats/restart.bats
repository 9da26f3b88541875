# test/bats/restart.bats: restart policies applied by the exit path (no
# daemon), their back-off, podman's start --all --filter
# restart-policy=always, and system boot after a (simulated) reboot.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

insp() { b inspect --format "$1" "$2"; }
# until_eq SECONDS 'FORMAT' CTR VALUE: polls inspect with a deadline
until_eq() { retry_until "$1" bash -c "[ \"\$(\"$BERTH_BIN\" ${BERTH_ARGS[*]} inspect --format '$2' $3)\" = '$4' ]"; }
sfile() { echo "$BATS_TEST_TMPDIR/root/libpod/containers/$(insp '{{.Id}}' "$1")/state.json"; }

# the reboot of lifecycle.bats: every process and mount gone, a new boot id
simulate_reboot() {
    local id pid
    for id in $(b ps -q --no-trunc); do
        pid=$(insp '{{.State.Pid}}' "$id")
        pkill -9 -f "conmon.*$id" || true
        [ "$pid" -gt 0 ] 2>/dev/null && kill -9 "$pid" || true
    done
    awk -v d="$BATS_TEST_TMPDIR" '$2 ~ "^"d {print $2}' /proc/self/mounts | sort -r | xargs -r umount -l
    echo 00000000-dead-beef-0000-000000000000 > "$BATS_TEST_TMPDIR/scratch/alive"
    rm -rf "$BATS_TEST_TMPDIR/scratch/exits" "$BATS_TEST_TMPDIR/runroot"
}

@test "on-failure:2 gives exactly two restarts, counted in inspect" {
    run -0 b run -d --name of --restart on-failure:2 --network none $IMG sh -c 'exit 3'
    until_eq 20 '{{.RestartCount}} {{.State.Status}}' of "2 exited"
    run -0 insp '{{.RestartCount}} {{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' of
    [ "$output" = "2 3 on-failure 2" ]
    run -0 b events --stream=false --filter event=restart --format '{{.Name}}'
    [ "$output" = "$(printf 'of\nof')" ]
    # on-failure leaves a clean exit alone
    run -0 b run -d --name ok --restart on-failure --network none $IMG true
    until_eq 20 '{{.State.Status}}' ok exited
    run -0 insp '{{.RestartCount}}' ok
    [ "$output" = 0 ]
}

@test "always restarts after the process exits, with a growing back-off, but not after stop" {
    run -0 b run -d --name al --restart always --network none $IMG sh -c 'sleep 0.2; exit 0'
    retry_until 30 bash -c "[ \$(\"$BERTH_BIN\" ${BERTH_ARGS[*]} inspect --format '{{.RestartCount}}' al) -ge 3 ]"
    # docker's back-off: 100 ms, doubled while the runs stay short
    d=$(jq .restartDelayMs "$(sfile al)")
    [ "$d" -ge 400 ]
    run -0 b stop -t 0 al
    run -0 insp '{{.State.Status}}' al
    [ "$output" = exited ]
    n=$(insp '{{.RestartCount}}' al)
    # stopped by the user: the exit path leaves it stopped, and a restart
    # pending in its back-off is called off (a negative: wait it out)
    sleep 1
    run -0 insp '{{.State.Status}} {{.RestartCount}}' al
    [ "$output" = "exited $n" ]
    [ "$(jq .stoppedByUser "$(sfile al)")" = true ]
}

@test "unless-stopped restarts after an exit, not after kill" {
    run -0 b run -d --name us --restart unless-stopped --network none $IMG sh -c 'sleep 0.3; exit 1'
    retry_until 20 bash -c "[ \$(\"$BERTH_BIN\" ${BERTH_ARGS[*]} inspect --format '{{.RestartCount}}' us) -ge 1 ]"
    run -0 b run -d --name k --restart unless-stopped --network none $IMG sleep 4242
    run -0 b kill k
    until_eq 20 '{{.State.Status}}' k exited
    run -0 insp '{{.RestartCount}}' k
    [ "$output" = 0 ]
}

@test "ps and start --all filter on the restart policy (podman's values)" {
    run -0 b create --name a1 --restart always --network none $IMG sleep 4242
    run -0 b create --name u1 --restart unless-stopped --network none $IMG sleep 4242
    run -0 b create --name n1 --network none $IMG sleep 4242
    run -0 b ps -a --filter restart-policy=always --format '{{.Names}}'
    [ "$output" = a1 ]
    run -0 b ps -a --filter restart-policy=none --format '{{.Names}}'
    [ "$output" = n1 ]
    # --restart no is recorded as given: "no", not podman's none ("")
    run -0 b create --name o1 --restart no --network none $IMG true
    run -0 b ps -a --filter restart-policy=no --format '{{.Names}}'
    [ "$output" = o1 ]
    run -0 b inspect --format '{{.HostConfig.RestartPolicy}}|{{.HostConfig.RestartPolicy}}' o1 n1
    [ "$output" = "$(printf '{no 0}|{no 0}\n{ 0}|{ 0}')" ]
    run -125 --separate-stderr b ps -a --filter restart-policy=bogus
    [ "$stderr" = "Error: bogus invalid restart policy" ]
    run -0 b start --all --filter restart-policy=always
    run -0 b ps --format '{{.Names}}'
    [ "$output" = a1 ]
}

@test "system boot after a reboot starts always, and unless-stopped unless the user stopped it" {
    for n in al als us uss of no; do
        case $n in
        al|als) p=always ;; us|uss) p=unless-stopped ;; of) p=on-failure ;; no) p=no ;;
        esac
        run -0 b run -d --name $n --restart $p --network none $IMG sleep 4242
    done
    run -0 b stop -t 0 als uss
    simulate_reboot
    run -0 b ps -a --format '{{.Names}} {{.State}}' --sort names
    [[ $output != *running* ]]
    run -0 b system boot
    run -0 sort <<<"$output"
    [ "$output" = "$(printf 'al\nals\nus')" ]
    run -0 b ps --format '{{.Names}}' --sort names
    [ "$output" = "$(printf 'al\nals\nus')" ]
    # once they run, a second boot has nothing to do
    run -0 b system boot
    [ -z "$output" ]
}

@test "make install puts the boot unit and init script in place" {
    top=$BATS_TEST_DIRNAME/../..
    run -0 make -s -C "$top" boot-files BUILD="$BATS_TEST_TMPDIR/build" PREFIX=/usr
    unit=$BATS_TEST_TMPDIR/build/berth-boot.service
    init=$BATS_TEST_TMPDIR/build/berth-boot.init
    grep -qx 'ExecStart=/usr/bin/berth system boot' "$unit"
    sh -n "$init"
    grep -q '^BERTH=/usr/bin/berth$' "$init"
    grep -q '"$BERTH" system boot' "$init"
    run -0 make -s -n -C "$top" install DESTDIR=/nowhere PREFIX=/usr
    [[ $output == *"/nowhere/usr/lib/systemd/system/berth-boot.service"* ]]
    [[ $output == *"/nowhere/etc/init.d/berth-boot"* ]]
}

@test "--requires starts the named containers first; :healthy waits for the check" {
    run -125 --separate-stderr b create --requires nosuch $IMG true
    [[ $stderr == 'Error: "nosuch" is not a valid container, cannot be used as a dependency: '*"no such container" ]]
    run -0 b create --name db --network none $IMG sleep 4242
    run -0 b create --name app --network none --requires db $IMG sleep 4242
    dbid=$(insp '{{.Id}}' db)
    run -0 insp '{{json .Dependencies}}' app
    [ "$output" = "[\"$dbid\"]" ]
    run -0 b start app
    [ "$output" = app ]
    run -0 insp '{{.State.Status}}' db
    [ "$output" = running ]
    # db started before app
    [ "$(insp '{{.State.StartedAt}}' db)" \< "$(insp '{{.State.StartedAt}}' app)" ]
    # :healthy: the check fails once, then passes; app starts only then
    run -0 b create --name hc --network none --health-interval 0.3s --health-retries 5 \
        --health-cmd 'test -e /tmp/ok || { touch /tmp/ok; exit 1; }' $IMG sleep 4242
    run -0 b run --rm --network none --requires hc:healthy $IMG echo after-healthy
    [ "$output" = after-healthy ]
    run -0 insp '{{.State.Health.Status}} {{len .State.Health.Log}}' hc
    [ "$output" = "healthy 2" ] || [ "$output" = "healthy 3" ]
    # a required container that turns unhealthy fails the start
    run -0 b create --name bad --network none --health-cmd false --health-interval 0.2s \
        --health-retries 1 $IMG sleep 4242
    run -0 b create --name needy --network none --requires bad:healthy $IMG sleep 4242
    run -125 --separate-stderr b start needy
    [[ $stderr == *"waiting for dependency container"*"to be healthy"* ]]
    run -0 insp '{{.State.Status}}' needy
    [ "$output" = created ]
}

@test "a required container cannot be removed before the one that requires it, as podman" {
    run -0 b create --name db --network none $IMG sleep 4242
    run -0 b create --name app --network none --requires db $IMG sleep 4242
    dbid=$(insp '{{.Id}}' db)
    appid=$(insp '{{.Id}}' app)
    run -125 --separate-stderr b rm -f db
    [ "$stderr" = "Error: container $dbid has dependent containers which must be removed before it: $appid: container already exists" ]
    run -0 b container exists db
    run -0 b rm --depend db
    [ "$output" = "$(printf '%s\n%s' "$appid" "$dbid")" ]
    run -1 b container exists app
}
