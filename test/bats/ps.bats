# test/bats/ps.bats: ps / container ls: STATUS strings, filters, sort,
# --format (json and templates), -q/-l/-n, --no-trunc, -s.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

# three containers: running (label app=web), exited 3, created
three() {
    b run -d --name runner --network none -l app=web $IMG sleep 1000 >/dev/null
    run -3 b run --name quick --network none -l app=job $IMG sh -c 'exit 3'
    b create --name fresh --network none $IMG true >/dev/null
}

@test "ps shows running containers, ps -a all, with podman's columns" {
    three
    run -0 b ps
    [ "${lines[0]}" = "CONTAINER ID  IMAGE                     COMMAND               CREATED                 STATUS                     PORTS       NAMES" ] ||
        [[ ${lines[0]} == "CONTAINER ID  IMAGE "*"COMMAND "*"CREATED "*"STATUS "*"PORTS "*"NAMES" ]]
    [ "${#lines[@]}" -eq 2 ]
    [[ ${lines[1]} == *"localhost/busybox:latest"*"sleep 1000"*"Up "*" ago"*"runner" ]]
    run -0 b ps -a --format '{{.Names}}|{{.Status}}|{{.State}}'
    [ "${#lines[@]}" -eq 3 ]
    [[ ${lines[0]} == "runner|Up "*" ago|Up "*" ago" ]]
    [[ ${lines[1]} == "quick|Exited (3) "*" ago|Exited (3) "*" ago" ]]
    [ "${lines[2]}" = "fresh|Created|Created" ]
}

@test "ps --format json has podman's keys and values" {
    three
    run -0 b ps -a --format json
    python3 - "$output" <<'PY'
import json, sys
items = json.loads(sys.argv[1])
assert [i["Names"] for i in items] == [["runner"], ["quick"], ["fresh"]], items
r, q, f = items
keys = ["AutoRemove", "Command", "CreatedAt", "Exited", "ExitedAt", "ExitCode", "Id", "Image",
        "ImageID", "IsInfra", "Labels", "Mounts", "Names", "Namespaces", "Networks", "Pid", "Pod",
        "PodName", "Ports", "Size", "StartedAt", "State", "Status", "Created"]
assert list(r.keys()) == keys, list(r.keys())
assert r["State"] == "running" and r["Pid"] > 0 and r["Labels"] == {"app": "web"}
assert r["Command"] == ["sleep", "1000"] and r["Status"].startswith("Up ")
assert q["State"] == "exited" and q["ExitCode"] == 3 and q["Exited"] is True
assert q["Status"].startswith("Exited (3) ")
assert f["State"] == "created" and f["Status"] == "Created" and f["Labels"] is None
assert f["StartedAt"] == -62135596800 and f["ExitedAt"] == -62135596800
assert r["Networks"] == [] and r["Ports"] is None and r["Size"] is None
assert len(r["Id"]) == 64 and r["CreatedAt"].endswith(" ago")
PY
}

# same_as_template ARGS...: ps ARGS (the default table, made straight
# from the rows) prints what the same table as an explicit template (the
# template engine's path) prints. The two run side by side, so that both
# read the clock in the same second (one after the other, a slow build on
# a busy machine crossed a second each time: "Less than a second ago"
# against "1 second ago"); tried again if a second passed between.
same_as_template() {
    local t='table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}'
    local want got f=$BATS_TEST_TMPDIR/same
    [[ " $* " == *" --pod "* ]] && t+='\t{{.Pod}}\t{{.PodName}}'
    for _ in 1 2 3 4 5; do
        b ps "$@" > "$f.got" & b ps "$@" --format "$t" > "$f.want" || return 1
        wait $! || return 1
        got=$(cat "$f.got") && want=$(cat "$f.want")
        [ "$got" = "$want" ] && return 0
    done
    diff <(echo "$want") <(echo "$got")
}

@test "ps's default table and -q are byte for byte their templates'" {
    three
    b run --name zero --network none $IMG true
    b create --name long --network none $IMG sh -c 'echo a long command line, longer than twenty' >/dev/null
    b create --name tabbed --network none $IMG printf 'a\tb' >/dev/null
    # the 17-byte cut splits the "é" (bytes c3 a9): podman prints the c3
    b create --name split --network none $IMG sh -c 'echo 12345é6789012345' >/dev/null
    b pod create --network none --name pp >/dev/null
    b create --pod pp --name inpod --network none $IMG true >/dev/null
    b create --name brk --network none $IMG true >/dev/null
    id=$(b ps -aq --no-trunc --filter name=brk)
    echo '{broken' > "$BATS_TEST_TMPDIR/root/libpod/containers/$id/state.json"
    run -0 b ps -a
    [ "${#lines[@]}" -eq 11 ]
    [[ $output == *"Error: "* ]]
    for args in "" "-a" "-a --no-trunc" "-a --pod" "-a --pod --no-trunc" "-n 3" "-a --sort names" \
                "-a --noheading" "-a --filter status=exited"; do
        # shellcheck disable=SC2086
        same_as_template $args
    done
    run -0 b ps -a --format table
    [ "$output" = "$(b ps -a)" ] || [ "$output" = "$(b ps -a --format table)" ]
    # -q, made straight from the rows too, is its template's
    [ "$(b ps -aq)" = "$(b ps -a --format '{{.ID}}')" ]
    [ "$(b ps -aq --no-trunc)" = "$(b ps -a --no-trunc --format '{{.ID}}')" ]
    [ "$(b ps -q)" = "$(b ps --format '{{.ID}}')" ]
    # the templates print the cut's bytes too, not "out of memory"
    run -0 b ps -a --filter name=split --format '{{.Command}}'
    [ "$output" = $'sh -c echo 12345\xc3...' ]
    # podman's upper (Go's strings.ToUpper) writes the bad byte as U+FFFD
    run -0 b ps -a --filter name=split --format '{{upper .Command}}'
    [ "$output" = $'SH -C ECHO 12345\xef\xbf\xbd...' ]
    # json writes the bad byte as Go's json.Marshal does
    run -0 b ps -a --filter name=split --format '{{json .Command}}'
    [ "$output" = '"sh -c echo 12345\ufffd..."' ]
    run -0 b ps -a -s
    b pod rm -f -t 0 pp >/dev/null
}

@test "ps -q, --no-trunc, -l, -n" {
    three
    run -0 b ps -q
    [ "${#lines[@]}" -eq 1 ] && [ "${#lines[0]}" -eq 12 ] || false
    run -0 b ps -aq --no-trunc
    [ "${#lines[@]}" -eq 3 ] && [ "${#lines[0]}" -eq 64 ] || false
    run -0 b ps -l --format '{{.Names}}'
    [ "$output" = fresh ]
    run -0 b ps -n 2 --format '{{.Names}}'
    [ "$output" = $'quick\nfresh' ]
    run -0 b ps -a --noheading --format 'table {{.Names}}'
    [ "$output" = $'runner\nquick\nfresh' ]
}

# podman: {{json .}} (report.IsJSON) is --format json, and a --format
# wins over -q
@test "ps --format '{{json .}}' is --format json; -q with --format uses the format" {
    three
    run -0 b ps -a --format json
    want=$output
    for f in '{{json .}}' '{{ json . }}' '{{json}}' ' json '; do
        run -0 b ps -a --format "$f"
        [ "$output" = "$want" ]
    done
    run -0 b ps -q --format json
    [[ ${lines[0]} == "[" ]]
    run -0 b ps -q --format '{{.Names}}'
    [ "$output" = runner ]
    run -0 b ps -q --format 'table {{.Names}}'
    [ "$output" = $'NAMES\nrunner' ]
}

@test "ps filters: one key ORs, different keys AND" {
    three
    run -0 b ps -a --format '{{.Names}}' --filter status=exited
    [ "$output" = quick ]
    run -0 b ps --format '{{.Names}}' --filter status=created --filter status=running
    [ "$output" = $'runner\nfresh' ]
    run -0 b ps -a --format '{{.Names}}' --filter name=^r --filter name=^f
    [ "$output" = $'runner\nfresh' ]
    # podman's --filter is a StringSlice: commas separate filters
    run -0 b ps -a --format '{{.Names}}' --filter name=^r,name=^f
    [ "$output" = $'runner\nfresh' ]
    run -125 --separate-stderr b ps --filter status=running,exited
    [ "$stderr" = 'Error: invalid filter "exited"' ]
    run -0 b ps -a --format '{{.Names}}' --filter label=app --filter name=ick
    [ "$output" = quick ]
    run -0 b ps -a --format '{{.Names}}' --filter label=app=web
    [ "$output" = runner ]
    run -0 b ps -a --format '{{.Names}}' --filter exited=3
    [ "$output" = quick ]
    run -0 b ps -a --format '{{.Names}}' --filter ancestor=$IMG
    [ "${#lines[@]}" -eq 3 ]
    run -0 b ps -a --format '{{.Names}}' --filter before=quick
    [ "$output" = runner ]
    run -0 b ps -a --format '{{.Names}}' --filter since=quick
    [ "$output" = fresh ]
    id=$(b ps -aq --no-trunc --filter name=fresh)
    run -0 b ps -a --format '{{.Names}}' --filter id=${id:0:10}
    [ "$output" = fresh ]
}

@test "ps rejects bad filters and sort keys before printing" {
    run -125 --separate-stderr b ps -a --filter foo=bar
    [ "$stderr" = "Error: foo is an invalid filter" ] && [ -z "$output" ] || false
    run -125 --separate-stderr b ps -a --filter name
    [ "$stderr" = 'Error: invalid filter "name"' ]
    run -125 --separate-stderr b ps -a --filter status=bogus
    [ "$stderr" = "Error: unknown container state: bogus: invalid argument" ]
    run -125 --separate-stderr b ps -a --filter status=configured
    [ "$stderr" = "Error: unknown container state: configured: invalid argument" ]
    run -125 --separate-stderr b ps --sort bogus
    [[ $stderr == 'Error: invalid argument "bogus" for "--sort" flag'* ]]
    b create --name one --network none $IMG true >/dev/null
    run -125 --separate-stderr b ps -a --format '{{.Nope}}'
    [[ $stderr == *"can't evaluate field Nope"* ]]
}

@test "ps --sort" {
    three
    run -0 b ps -a --sort names --format '{{.Names}}'
    [ "$output" = $'fresh\nquick\nrunner' ]
    run -0 b ps -a --sort command --format '{{.Names}}'
    [ "$output" = $'quick\nrunner\nfresh' ]
    run -0 b ps -a --sort status --format '{{.Names}}'
    [ "$output" = $'fresh\nquick\nrunner' ]
}

@test "ps template fields differ from the JSON keys as podman's do" {
    three
    run -0 b ps -a --filter name=quick --format '{{.ID}} {{.Command}} {{.Labels}} {{.Mounts}} {{.Exited}} {{.ExitCode}}'
    [[ $output =~ ^[0-9a-f]{12}\ sh\ -c\ exit\ 3\ map\[app:job\]\ \[\]\ true\ 3$ ]]
    run -0 b ps -a --filter name=quick --format '{{.Labels.app}} {{.RunningFor}} {{.CreatedHuman}}'
    [[ $output == "job "*" ago "*" ago" ]]
    run -0 b ps -a --filter name=quick --format '{{.Created}}'
    [[ $output =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9:.]+\ [-+][0-9]{4}\ [A-Z]+$ ]]
    run -0 b ps -a --filter name=quick --format 'table {{.ID}} {{.Names}} {{.ImageID}} {{.RunningFor}}'
    [[ ${lines[0]} == "CONTAINER ID  NAMES       IMAGE ID      RUNNING FOR" ]]
}

@test "ps -s adds SIZE" {
    three
    run -0 b ps -a -s
    [[ ${lines[0]} == *"NAMES"*"SIZE" ]]
    [[ ${lines[1]} == *"B (virtual "*"B)" ]]
    run -0 b ps -a --format '{{.Names}} {{.Size}}' --filter name=fresh
    [[ $output == "fresh "*"B (virtual "*")" ]]
}

@test "a container killed behind berth's back shows as exited" {
    b run -d --name victim --network none $IMG sleep 1000 >/dev/null
    pid=$(b container inspect --format '{{.State.Pid}}' victim)
    cpid=$(b container inspect --format '{{.State.ConmonPid}}' victim)
    kill -9 "$pid"
    retry_until 10 sh -c "! kill -0 $cpid 2>/dev/null"
    run -0 b ps -a --format '{{.Names}} {{.Status}}'
    [[ $output == "victim Exited (137) "* ]]
}

@test "a broken record is listed with its error, the others still are" {
    three
    id=$(b ps -aq --no-trunc --filter name=fresh)
    echo '{broken' > "$BATS_TEST_TMPDIR/root/libpod/containers/$id/state.json"
    run -0 b ps -a --format '{{.ID}} {{.State}}'
    [ "${#lines[@]}" -eq 3 ]
    [[ $output == *"${id:0:12} Error: "* ]]
    [[ $output == *"Up "* ]]
}

@test "container ls, list and ps are ps" {
    three
    for c in ls list ps; do
        run -0 b container $c -a --format '{{.Names}}'
        [ "$output" = $'runner\nquick\nfresh' ]
    done
}

@test "ps reads the config's view kept in the state record; old and stale views are handled" {
    id=$(b create --name viewed --label k=v --network none $IMG sleep 5)
    st="$BATS_TEST_TMPDIR/root/libpod/containers/$id/state.json"
    [ "$(jq -r .view.name "$st")" = viewed ]
    [ "$(jq -c .view.labels "$st")" = '{"k":"v"}' ]
    # rename rewrites the config and the view
    b rename viewed seen
    [ "$(jq -r .view.name "$st")" = seen ]
    run -0 b ps -a --filter label=k=v --format '{{.Names}} {{.Command}}'
    [ "$output" = "seen sleep 5" ]
    # a record from before views: ps reads the config instead
    jq -c 'del(.view)' "$st" > "$st.new" && mv "$st.new" "$st"
    run -0 b ps -a --format '{{.Names}} {{.Labels}}'
    [ "$output" = "seen map[k:v]" ]
    # a crash between a config write and its view: ps shows what the view
    # says until the next command that takes the container's lock repairs it
    b inspect seen >/dev/null
    jq -c '.view.name = "stale"' "$st" > "$st.new" && mv "$st.new" "$st"
    run -0 b ps -a --format '{{.Names}}'
    [ "$output" = stale ]
    b inspect seen >/dev/null
    [ "$(jq -r .view.name "$st")" = seen ]
    run -0 b ps -a --format '{{.Names}}'
    [ "$output" = seen ]
}

@test "state.json: keys this berth does not know survive its writes; a mistyped field is named, not fatal" {
    id=$(b create --name keep --network none $IMG true)
    st="$BATS_TEST_TMPDIR/root/libpod/containers/$id/state.json"
    # fields a newer berth may write; rename and init write the state
    jq -c '.healthStatus = "healthy" | .futureSessions = {"e1": {"pid": 1}}' "$st" > "$st.new" && mv "$st.new" "$st"
    b rename keep kept
    b init kept >/dev/null
    [ "$(jq -r .state "$st")" = 2 ]
    [ "$(jq -r .healthStatus "$st")" = healthy ]
    [ "$(jq -c .futureSessions "$st")" = '{"e1":{"pid":1}}' ]
    [ "$(jq -r .view.name "$st")" = kept ]
    b rm -f kept >/dev/null

    id=$(b create --name bad --network none $IMG true)
    st="$BATS_TEST_TMPDIR/root/libpod/containers/$id/state.json"
    jq -c '.pid = "12"' "$st" > "$st.new" && mv "$st.new" "$st"
    want="state.json: field \"pid\" must be an integer, not a string"
    run -0 b ps -a --format '{{.State}}'
    [ "$output" = "Error: $want" ]
    # inspect shows what can be read and says what is wrong
    run -0 b inspect --format '{{.Name}} {{.State.Status}} {{.State.Error}}' bad
    [ "$output" = "bad created $want" ]
    # the commands that need a sound record name it
    run -125 b start bad
    [[ $output == "Error: container $id: $want (\`berth system check --repair\` moves the broken record aside)" ]]
    run -0 --separate-stderr b rm bad
    [ "$output" = bad ]
    # a log line: its quotes are escaped
    [[ $stderr == *"record is damaged (${want//\"/\\\"})"* ]]
}

# podman's COMMAND is its config's Command: the argv without its
# entrypoint (the image's or the user's), null when that leaves none
@test "ps COMMAND is the command without the entrypoint, as podman's" {
    b create --name base --network none $IMG true >/dev/null
    b commit -q -c 'ENTRYPOINT ["/bin/echo", "ep"]' -c 'CMD ["a", "b"]' base epimg >/dev/null
    b create --name c1 --network none --entrypoint '["/bin/sh","-c"]' $IMG "echo hello from container" >/dev/null
    b create --name c2 --network none --entrypoint /bin/echo $IMG hi there >/dev/null
    b create --name c3 --network none --entrypoint /bin/true $IMG >/dev/null
    b create --name c4 --network none $IMG >/dev/null
    b create --name c5 --network none epimg >/dev/null
    b create --name c6 --network none epimg x y >/dev/null
    run -0 b start c2 c4 c5
    run -0 b ps -a --sort names --filter name=c --format '{{.Names}}|{{.Command}}'
    [ "$output" = "c1|echo hello from c...
c2|hi there
c3|
c4|sh
c5|a b
c6|x y" ] || { echo "$output"; false; }
    run -0 b ps -a --format json --sort names --filter name=c
    [ "$(jq -c '[.[] | .Command]' <<<"$output")" = '[["echo hello from container"],["hi","there"],null,["sh"],["a","b"],["x","y"]]' ]
    # a record from before commandStart: the user's command, else the argv
    for n in c5 c6; do
        id=$(b inspect --format '{{.Id}}' $n)
        for f in config.json state.json; do
            p="$BATS_TEST_TMPDIR/root/libpod/containers/$id/$f"
            jq -c 'del(.commandStart) | del(.view.commandStart)' "$p" > "$p.new" && mv "$p.new" "$p"
        done
    done
    run -0 b ps -a --sort names --filter name=c5 --filter name=c6 --format '{{.Names}}|{{.Command}}'
    [ "$output" = "c5|/bin/echo ep a b
c6|x y" ] || { echo "$output"; false; }
}

# podman's network= and until= filters (definitions only: nothing runs)
@test "ps --filter network= and until=, as podman's" {
    b network create n1 >/dev/null
    b network create n2 >/dev/null
    b create --name a1 --network n1 $IMG true >/dev/null
    b create --name a2 --network n1 --network n2 $IMG true >/dev/null
    b create --name a3 --network none $IMG true >/dev/null
    b create --name a4 --network container:a1 $IMG true >/dev/null
    names() { run -0 b ps -a --sort names "$@" --format '{{.Names}}'; echo "${lines[*]}"; }
    [ "$(names --filter network=n1)" = "a1 a2" ]
    [ "$(names --filter network=n2)" = "a2" ]
    n2=$(b network inspect --format '{{.Id}}' n2)
    [ "$(names --filter network=${n2:0:12})" = "a2" ]
    [ "$(names --filter network=$n2)" = "a2" ]
    [ "$(names --filter network=n1 --filter network=n2)" = "a1 a2" ]
    [ "$(names --filter network=nosuch)" = "" ]
    [ "$(names --filter network=container:a1)" = "a4" ]
    a1=$(b inspect --format '{{.Id}}' a1)
    [ "$(names --filter network=container:${a1:0:12})" = "a4" ]
    [ "$(names --filter network=container:nosuch)" = "" ]
    # keys AND: a2 is on n2 but has no name a1
    [ "$(names --filter network=n2 --filter name=a1)" = "" ]
    # until: created before the time (a duration counts back from now)
    sleep 1.1
    t=$(date +%s.%N)
    b create --name a5 --network none $IMG true >/dev/null
    [ "$(names --filter until=$t)" = "a1 a2 a3 a4" ]
    [ "$(names --filter until=0s)" = "a1 a2 a3 a4 a5" ]
    [ "$(names --filter until=1h)" = "" ]
    [ "$(names --filter until=$(date -u -d @${t%.*} +%Y-%m-%dT%H:%M:%SZ))" = "a1 a2 a3 a4" ]
    run -125 --separate-stderr b ps -a --filter until=1h --filter until=2h
    [ "$stderr" = "Error: specify exactly one timestamp for until" ]
    run -125 --separate-stderr b ps -a --filter until=garbage
    [ "$stderr" = 'Error: failed to parse value as time or duration: "garbage"' ]
}
