# test/bats/secret.bats: secret create, ls, inspect, rm, and run/create
# --secret, with podman 4.3.1's output, words and exit codes.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

SDIR() { echo "$BATS_TEST_TMPDIR/root/libpod/secrets"; }

@test "secret create keeps the data 0600 and a record podman's inspect shows" {
    printf hunter2 > "$BATS_TEST_TMPDIR/pw"
    run -0 b secret create --label app=web -d file --driver-opts a=b pw "$BATS_TEST_TMPDIR/pw"
    [[ $output =~ ^[0-9a-f]{25}$ ]]
    id=$output
    [ "$(stat -c %a "$(SDIR)/$id/data")" = 600 ]
    [ "$(cat "$(SDIR)/$id/data")" = hunter2 ]
    [ "$(readlink "$(SDIR)/names/pw")" = "$id" ]
    run -0 b secret inspect pw
    keys=$(echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(" ".join(d.keys()), " ".join(d["Spec"].keys()))')
    [ "$keys" = "ID CreatedAt UpdatedAt Spec Name Driver Labels" ]
    [[ ${lines[1]} == '    {' ]]          # four spaces, as podman's secret inspect
    run -0 b secret inspect --format '{{.ID}} {{.Spec.Name}} {{.Spec.Driver.Name}} {{.Spec.Labels}} {{.Spec.Driver.Options.a}}' pw
    [ "$output" = "$id pw file map[app:web] b" ]
    run -0 b secret inspect --pretty "${id:0:6}"
    [ "${lines[0]}" = "ID:              $id" ]
    [ "${lines[1]}" = "Name:              pw" ]
    [ "${lines[2]}" = "Driver:            file" ]
    [[ ${lines[3]} =~ ^Created\ at:\ +[0-9-]+\ [0-9:.]+\ \+0000\ UTC$ ]]
    # the data is never shown
    run -0 b secret inspect pw
    [[ $output != *hunter2* ]]
}

@test "secret create reads stdin (a pipe), --env, and refuses what podman refuses" {
    printf data > "$BATS_TEST_TMPDIR/f"
    run -0 bash -c 'printf piped | "$0" "${@}" secret create s1 -' "$BERTH_BIN" "${BERTH_ARGS[@]}"
    [ "$(cat "$(SDIR)/$output/data")" = piped ]
    run -125 --separate-stderr b secret create s2 - < "$BATS_TEST_TMPDIR/f"
    [ "$stderr" = 'Error: if `-` is used, data must be passed into stdin' ]
    MYSECRET=fromenv run -0 b secret create --env s3 MYSECRET
    [ "$(cat "$(SDIR)/$output/data")" = fromenv ]
    run -125 --separate-stderr b secret create --env s4 BERTH_NO_SUCH_VAR
    [ "$stderr" = "Error: cannot create store secret data: environment variable BERTH_NO_SUCH_VAR is not set" ]
    run -125 --separate-stderr b secret create s1 "$BATS_TEST_TMPDIR/f"
    [ "$stderr" = "Error: s1: secret name in use" ]
    run -125 --separate-stderr b secret create bad/name "$BATS_TEST_TMPDIR/f"
    [ "$stderr" = "Error: only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]: bad/name: invalid secret name" ]
    run -125 --separate-stderr b secret create a- "$BATS_TEST_TMPDIR/f"
    [[ $stderr == *": a-: invalid secret name" ]]
    run -125 --separate-stderr b secret create "$(printf 'b%.0s' $(seq 65))" "$BATS_TEST_TMPDIR/f"
    [[ $stderr == *": invalid secret name" ]]
    run -0 b secret create "$(printf 'a%.0s' $(seq 64))" "$BATS_TEST_TMPDIR/f"
    : > "$BATS_TEST_TMPDIR/empty"
    run -125 --separate-stderr b secret create s5 "$BATS_TEST_TMPDIR/empty"
    [ "$stderr" = "Error: secret data must be larger than 0 and less than 512000 bytes" ]
    head -c 512000 /dev/zero > "$BATS_TEST_TMPDIR/big"
    run -125 --separate-stderr b secret create s5 "$BATS_TEST_TMPDIR/big"
    [ "$stderr" = "Error: secret data must be larger than 0 and less than 512000 bytes" ]
    run -125 --separate-stderr b secret create s5 "$BATS_TEST_TMPDIR/nonexistent"
    [ "$stderr" = "Error: open $BATS_TEST_TMPDIR/nonexistent: no such file or directory" ]
    run -125 --separate-stderr b secret create -d foo s5 "$BATS_TEST_TMPDIR/f"
    [ "$stderr" = "Error: invalid driver" ]
    run -125 --separate-stderr b secret create s5
    [ "$stderr" = "Error: accepts 2 arg(s), received 1" ]
}

@test "secrets have their own names: a container, a volume and a secret may share one" {
    printf x > "$BATS_TEST_TMPDIR/f"
    run -0 b volume create shared
    run -0 b create --name shared --network none $IMG true
    run -0 b secret create shared "$BATS_TEST_TMPDIR/f"
    run -0 b secret ls --format '{{.Name}}'
    [ "$output" = shared ]
}

@test "secret ls: podman's table, -q, --noheading, --format and --filter" {
    printf x > "$BATS_TEST_TMPDIR/f"
    run -0 b secret ls
    [ "$output" = "ID          NAME        DRIVER      CREATED     UPDATED" ]
    run -0 b secret create alpha "$BATS_TEST_TMPDIR/f"; a=$output
    run -0 b secret create beta "$BATS_TEST_TMPDIR/f"; bb=$output
    run -0 b secret ls
    [[ ${lines[0]} =~ ^ID\ +NAME\ +DRIVER\ +CREATED\ +UPDATED$ ]]
    [ "${#lines[@]}" = 3 ]
    [[ $output =~ $a\ +alpha\ +file\ +Less\ than\ a\ second\ ago ]] || [[ $output =~ $a\ +alpha\ +file\ +[0-9]+\ seconds?\ ago ]]
    run -0 b secret ls --noheading
    [ "${#lines[@]}" = 2 ]
    run -0 b secret ls -q
    [ "$output" = "$(printf '%s\n' "$a" "$bb" | sort)" ]
    run -0 b secret ls --format '{{.Name}}={{.ID}}' --filter name=alp
    [ "$output" = "alpha=$a" ]
    run -0 b secret ls -q --filter id="${bb:0:5}"
    [ "$output" = "$bb" ]
    run -0 b secret ls -q --filter name=alpha --filter name=beta
    [ "${#lines[@]}" = 2 ]
    run -0 b secret ls -q --filter name=alpha --filter id="$bb"
    [ "$output" = "" ]
    run -125 --separate-stderr b secret ls --filter foo=bar
    [ "$stderr" = 'Error: invalid filter "foo"' ]
    # podman 4.3.1's secret ls knows no json format: {{json .}} is one
    # compact object a line, "json" a template of its own
    run -0 b secret ls --format '{{json .}}' --filter name=alpha
    [ "$(jq -c '[.ID, .Name, .Driver]' <<<"$output")" = "[\"$a\",\"alpha\",\"file\"]" ]
    [ "${#lines[@]}" = 1 ]
    run -0 b secret ls --format '{{json .}}'
    [ "${#lines[@]}" = 2 ]
    run -0 b secret ls --format json
    [ "$output" = "$(printf 'json\njson')" ]
    # inspect's times: Go times to a template, RFC 3339 in json
    run -0 b secret inspect --format '{{.CreatedAt}}|{{json .UpdatedAt}}' alpha
    [[ $output =~ ^[0-9-]{10}\ [0-9:]{8}\.[0-9]+\ \+0000\ UTC\|\"[0-9-]{10}T[0-9:]{8}\.[0-9]+Z\"$ ]]
}

@test "secret inspect and rm: podman's errors for what is not there" {
    printf x > "$BATS_TEST_TMPDIR/f"
    run -0 b secret create s1 "$BATS_TEST_TMPDIR/f"; id=$output
    run -125 --separate-stderr b secret inspect s1 nope
    [ "$stderr" = 'Error: inspecting secret: no secret with name or id "nope": no such secret' ]
    [[ $output == *"\"ID\": \"$id\""* ]]
    run -125 --separate-stderr b secret rm nope
    [ "$stderr" = 'Error: no secret with name or id "nope": no such secret' ]
    run -125 --separate-stderr b secret rm
    [ "$stderr" = 'Error: `berth secret rm` requires one argument, or the --all flag' ]
    run -125 --separate-stderr b secret rm -a s1
    [ "$stderr" = 'Error: `berth secret rm` requires one argument, or the --all flag' ]
    run -0 b secret rm s1
    [ "$output" = "$id" ]
    [ ! -e "$(SDIR)/$id" ]
    [ ! -e "$(SDIR)/names/s1" ]
    # the name is free again
    run -0 b secret create s1 "$BATS_TEST_TMPDIR/f"
    run -0 b secret create s2 "$BATS_TEST_TMPDIR/f"
    run -0 b secret rm --all
    [ "${#lines[@]}" = 2 ]
    run -0 b secret ls -q
    [ "$output" = "" ]
    [ -z "$(ls "$(SDIR)/names")" ]
}

@test "run --secret: a read-only file at /run/secrets/NAME or target, owner and mode as given" {
    printf hunter2 > "$BATS_TEST_TMPDIR/f"
    run -0 b secret create pw "$BATS_TEST_TMPDIR/f"; id=$output
    run -0 b run --rm --network none --secret pw $IMG sh -c 'stat -c "%a %u %g" /run/secrets/pw; cat /run/secrets/pw; echo; (echo x > /run/secrets/pw) 2>&1; true'
    [ "${lines[0]}" = "444 0 0" ]
    [ "${lines[1]}" = hunter2 ]
    [[ ${lines[2]} == *"Read-only file system"* ]]
    run -0 b run --rm --network none --secret pw,type=mount,target=/etc/pw,uid=5,gid=6,mode=0400 --secret pw,target=sub $IMG \
        sh -c 'stat -c "%a %u %g" /etc/pw; cat /etc/pw; echo; cat /run/secrets/sub'
    [ "${lines[0]}" = "400 5 6" ]
    [ "${lines[1]}" = hunter2 ]
    [ "${lines[2]}" = hunter2 ]
    run -0 b create --name c1 --network none --secret pw --secret pw,type=env,target=X $IMG true
    run -0 b inspect --format '{{json .Config.Secrets}}' c1
    [ "$output" = "[{\"Name\":\"pw\",\"ID\":\"$id\",\"UID\":0,\"GID\":0,\"Mode\":292}]" ]
    # env secrets are not in Config.Env
    run -0 b inspect --format '{{json .Config.Env}}' c1
    [[ $output != *hunter2* ]]
    run -0 b create --name c2 --network none $IMG true
    run -0 b inspect --format '{{json .Config.Secrets}}' c2
    [ "$output" = null ]
}

@test "run --secret type=env sets the variable; podman's parse errors" {
    printf hunter2 > "$BATS_TEST_TMPDIR/f"
    run -0 b secret create pw "$BATS_TEST_TMPDIR/f"
    run -0 b run --rm --network none --secret pw,type=env $IMG sh -c 'echo $pw; ls /run/secrets 2>&1; true'
    [ "${lines[0]}" = hunter2 ]
    [[ ${lines[1]} == *"No such file or directory"* ]]
    run -0 b run --rm --network none --secret pw,type=env,target=PASSWORD $IMG sh -c 'echo $PASSWORD'
    [ "$output" = hunter2 ]
    run -125 --separate-stderr b create --secret nope $IMG true
    [ "$stderr" = 'Error: no secret with name or id "nope": no such secret' ]
    for a in "pw,foo=bar|option foo=bar invalid" "pw,type=bad|type bad is invalid" \
             "pw,type=env,uid=1|UID, GID, Mode options cannot be set with secret type env" \
             "pw,uid=x|UID x invalid" "pw,gid=-1|GID -1 invalid" "pw,mode=999x|mode 999x invalid" \
             ",type=env|no source found ,type=env"; do
        run -125 --separate-stderr b create --secret "${a%%|*}" $IMG true
        [ "$stderr" = "Error: ${a#*|}: parsing secret" ]
    done
}

@test "secret rm of a secret in use is refused; a container reads its secret by id at each start" {
    printf one > "$BATS_TEST_TMPDIR/one"
    printf two > "$BATS_TEST_TMPDIR/two"
    run -0 b secret create s9 "$BATS_TEST_TMPDIR/one"; sid=$output
    run -0 b secret create s10 "$BATS_TEST_TMPDIR/two"; sid10=$output
    run -0 b create --name c --network none --secret s9 --secret s9,type=env $IMG sh -c 'cat /run/secrets/s9; echo; echo $s9'
    cid=$output
    run -125 --separate-stderr b secret rm s9
    [ "$stderr" = "Error: secret s9 is in use by container(s) $cid: remove them first" ]
    [ "$output" = "" ]
    # --all removes what is unused, refuses (and keeps) what is in use
    run -125 --separate-stderr b secret rm --all
    [ "$output" = "$sid10" ]
    [ "$stderr" = "Error: secret s9 is in use by container(s) $cid: remove them first" ]
    run -0 b secret ls -q
    [ "$output" = "$sid" ]
    run -0 b start -a c
    [ "$output" = "$(printf 'one\none')" ]
    # exited, and a running one: still in use, both named
    run -0 b run -d --name r --network none --secret s9 $IMG sleep 100; rid=$output
    run -125 --separate-stderr b secret rm "${sid:0:8}"
    [[ $stderr == "Error: secret s9 is in use by container(s) "*"$cid"*": remove them first" ]]
    [[ $stderr == *"$rid"* ]]
    run -0 b rm -f -t 0 r
    # the id is what counts: with the secret's record gone by hand, a
    # secret re-created under its name is not the container's
    rm -rf "$(SDIR)/$sid" "$(SDIR)/names/s9"
    run -0 b secret create s9 "$BATS_TEST_TMPDIR/two"
    run -125 --separate-stderr b start -a c
    [ "$stderr" = "Error: secret s9 (id $sid) of container c has been removed: no such secret" ]
    run -0 b rm c
    run -0 b secret rm s9
}

@test "a secret's data is in no container record, inspect, event or log" {
    local dm="S3cr3t-m-$RANDOM-$RANDOM" de="S3cr3t-e-$RANDOM-$RANDOM"
    printf %s "$dm" > "$BATS_TEST_TMPDIR/m"
    printf %s "$de" > "$BATS_TEST_TMPDIR/e"
    run -0 b secret create sm "$BATS_TEST_TMPDIR/m"
    run -0 b secret create se "$BATS_TEST_TMPDIR/e"
    run -0 b create --name c --network none --secret sm --secret se,type=env,target=X $IMG \
        sh -c 'echo $(wc -c < /run/secrets/sm) ${#X} $(md5sum < /run/secrets/sm | cut -c1-8)'
    cid=$output
    run -0 b start -a c
    [ "$output" = "${#dm} ${#de} $(printf %s "$dm" | md5sum | cut -c1-8)" ]
    local out=$output
    # the whole static dir but the secret store: a mount secret's data
    # nowhere; an env secret's only in the OCI runtime's config, root's alone
    run grep -rl --exclude-dir=secrets -F "$dm" "$BATS_TEST_TMPDIR/root"
    [ "$status" -eq 1 ]
    run -0 grep -rl --exclude-dir=secrets -F "$de" "$BATS_TEST_TMPDIR/root"
    [ "$output" = "$BATS_TEST_TMPDIR/root/libpod/userdata/$cid/config.json" ]
    [ "$(stat -c %a "$output")" = 600 ]
    [ -d "$BATS_TEST_TMPDIR/root/libpod/containers/$cid" ]
    run -0 b inspect c
    [[ $output == *'"Secrets"'* ]]
    [[ $output != *"$dm"* && $output != *"$de"* ]]
    [[ $output != *'"X='* ]]
    run -0 b events --stream=false
    [[ $output != *"$dm"* && $output != *"$de"* ]]
    run -0 b logs c
    [ "$output" = "$out" ]
}

@test "run --secret with --uidmap: the file's owner is the mapped one" {
    mapped_root_through
    printf one > "$BATS_TEST_TMPDIR/f"
    run -0 b secret create u1 "$BATS_TEST_TMPDIR/f"
    run -0 b run --rm --network none --uidmap 0:100000:5000 --secret u1,uid=5,gid=6 $IMG \
        stat -c '%a %u %g' /run/secrets/u1
    [ "$output" = "444 5 6" ]
    run -126 --separate-stderr b run --rm --network none --uidmap 0:100000:5000 --secret u1,uid=6000 $IMG true
    [[ $stderr == *"secret u1: uid 6000 or gid 0 is not mapped in the container's user namespace"* ]]
}
