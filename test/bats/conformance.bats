# test/bats/conformance.bats: podman 4.3.1's flags, output and exit codes
# on the commands berth has (issue 19), each checked against the
# installed podman; the expected texts are podman's.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "a warning podman prints as a bare line is a bare line" {
    run -0 --separate-stderr b create --network host -p 8080:80 $IMG true
    [ "$stderr" = "Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use" ]
}

# podman accepts {{.ID}} wherever {{.Id}} works (images, containers,
# networks; ps, network ls and history know only .ID, as podman's).
@test "--format '{{.ID}}' works everywhere '{{.Id}}' does" {
    BERTH_ARGS+=(--network-config-dir "$BATS_TEST_TMPDIR/net")
    run -0 b create --name c1 $IMG true
    cid=$(b container inspect --format '{{.Id}}' c1)
    iid=$(b image inspect --format '{{.Id}}' $IMG)
    run -0 b network create n1
    nid=$(b network inspect --format '{{.Id}}' n1)
    for cmd in "ps -a" "images" "image inspect $IMG" "container inspect c1" "inspect c1" \
               "inspect $IMG" "inspect --type image $IMG" "network ls" "network inspect n1" \
               "history $IMG"; do
        if b $cmd --format '{{.Id}}' >/dev/null 2>&1; then
            run -0 b $cmd --format '{{.ID}}'
            [ -n "$output" ]
        fi
    done
    [ "$(b container inspect --format '{{.ID}}' c1)" = "$cid" ]
    [ "$(b inspect --format '{{ .ID }}' c1)" = "$cid" ]
    [ "$(b image inspect --format '{{.ID}}' $IMG)" = "$iid" ]
    [ "$(b inspect --format '{{.ID}}' $IMG)" = "$iid" ]
    [ "$(b network inspect --format '{{.ID}}' n1)" = "$nid" ]
    # podman reads a container's .ImageID as its .Image
    [ "$(b container inspect --format '{{.ImageID}}' c1)" = "$iid" ]
}

@test "info has podman's keys that scripts read" {
    run -0 b info --format json
    info=$output
    for k in .host.buildahVersion .host.conmon.package .host.ociRuntime.package \
             .host.slirp4netns.executable .host.slirp4netns.package .host.slirp4netns.version \
             .store.configFile; do
        [ "$(jq -r "$k | type" <<<"$info")" = string ] || { echo "missing $k"; false; }
    done
    [ "$(jq -c .store.graphOptions <<<"$info")" = "{}" ]
    [ "$(jq -r .store.imageStore.number <<<"$info")" = 1 ]
    # podman's uptime: "17h 1m 1.00s (Approximately 0.71 days)"
    [[ $(jq -r .host.uptime <<<"$info") =~ ^[0-9]+h\ [0-9]+m\ [0-9]+\.00s(\ \(Approximately\ [0-9]+\.[0-9][0-9]\ days\))?$ ]]
    [ "$(jq -r .store.configFile <<<"$info")" = "$TEST_CONF" ]
    [ "$(jq -r '.store.graphStatus | type' <<<"$info")" = object ]
    if [ "$(jq -r .store.graphDriverName <<<"$info")" = overlay ]; then
        [ "$(jq -r '.store.graphStatus | keys | join(",")' <<<"$info")" = \
          "Backing Filesystem,Native Overlay Diff,Supports d_type,Using metacopy" ]
    fi
    # the package the distribution installed conmon with, as podman names it
    conmon=$(jq -r .host.conmon.path <<<"$info")
    if owner=$(dpkg -S "$conmon" 2>/dev/null); then
        [ "$(jq -r .host.conmon.package <<<"$info")" = \
          "$(dpkg-query -f '${Package}_${Version}_${Architecture}' -W "${owner%%:*}")" ]
    fi
    # templates see Go's field names and print maps as Go does
    run -0 b info --format '{{.Store.GraphOptions}}|{{.Store.ImageStore.Number}}'
    [ "$output" = "map[]|1" ]
    run -0 b --storage-opt overlay.mountopt=nodev info --format '{{.Store.GraphOptions}}'
    [ "$output" = "map[overlay.mountopt:nodev]" ]
    run -0 b info --format '{{.Host.Conmon.Package}}'
    [ "$output" = "$(jq -r .host.conmon.package <<<"$info")" ]
    # podman's Go name for cgroupVersion; keys podman 4.3.1 has
    run -0 b info --format '{{.Host.CgroupsVersion}}'
    [ "$output" = "$(jq -r .host.cgroupVersion <<<"$info")" ]
    [[ $output = v[12] ]]
    run -0 b info --format '{{.Host.ServiceIsRemote}} {{.Host.Security.SELinuxEnabled}} {{.Host.Security.AppArmorEnabled}}'
    [[ $output =~ ^false\ (true|false)\ (true|false)$ ]]
    for k in .store.graphRootAllocated .store.graphRootUsed; do
        [ "$(jq -r "$k | type" <<<"$info")" = number ] || { echo "missing $k"; false; }
    done
    # the YAML has its keys sorted at every level, as podman's
    run -0 --separate-stderr b info
    [ "$(grep -E '^[a-z]+:' <<<"$output" | sed 's/:.*/:/' | tr -d '\n')" = "host:plugins:registries:store:version:" ]
    [ "$(sed -n '2,3p' <<<"$output")" = "  arch: $(jq -r .host.arch <<<"$info")
  buildahVersion: \"\"" ]
    keys=$(sed -n '/^store:/,/^version:/p' <<<"$output" | grep -E '^  [a-zA-Z]+:' | sed 's/:.*//')
    [ "$keys" = "$(sort <<<"$keys")" ]
    # and ends with a blank line, as podman's
    [ "$(b info | tail -c 2 | od -An -c | tr -d ' ')" = '\n\n' ]
    run -0 b info --format '{{json .Plugins.Log}}'
    [ "$output" = '["k8s-file","none","passthrough","journald"]' ]
    # conmon's --version as podman shows it
    run -0 b info --format '{{.Host.Conmon.Version}}'
    [[ $output == "conmon version "[0-9]*", commit: "* ]]
}

@test "rm, stop, kill, restart, init and start echo the name or id prefix as typed" {
    run -0 b create --name typed --network none $IMG sleep 100
    id=$(b container inspect --format '{{.Id}}' typed)
    run -0 b init ${id:0:7}
    [ "$output" = "${id:0:7}" ]
    run -0 b start typed
    [ "$output" = typed ]
    run -0 b kill -s USR1 ${id:0:5}
    [ "$output" = "${id:0:5}" ]
    run -0 b restart -t 0 typed
    [ "$output" = typed ]
    run -0 b stop -t 0 ${id:0:9}
    [ "$output" = "${id:0:9}" ]
    run -0 b rm ${id:0:6}
    [ "$output" = "${id:0:6}" ]
    run -0 b create --name byname --network none $IMG true
    run -0 b rm byname
    [ "$output" = byname ]
}

@test "start --all: podman's message with names; running containers left alone, unprinted" {
    run -125 --separate-stderr b start --all somename
    [ "$stderr" = "Error: either start all containers or the container(s) provided in the arguments" ]
    run -125 --separate-stderr b start
    [ "$stderr" = "Error: start requires at least one argument" ]
    run -0 b run -d --name up1 --network none $IMG sleep 100
    run -0 b create --name down1 --network none $IMG sleep 100
    down=$(b container inspect --format '{{.Id}}' down1)
    run -0 b start --all
    [ "$output" = "$down" ]
    run -0 b start --all
    [ -z "$output" ]
    run -0 b ps --format '{{.Names}}' --sort names
    [ "$output" = $'down1\nup1' ]
}

@test "rm -f, rmi -f and network rm -f of what does not exist: exit 0, no output" {
    BERTH_ARGS+=(--network-config-dir "$BATS_TEST_TMPDIR/net")
    for cmd in "rm -f" "rmi -f" "network rm -f"; do
        run -0 --separate-stderr b $cmd nosuch
        [ -z "$output" ] && [ -z "$stderr" ] || false
    done
    run -0 --separate-stderr b rm -f nosuch1 nosuch2
    [ -z "$output" ] && [ -z "$stderr" ] || false
    # without -f they still fail
    run -1 b rm nosuch
    run -1 b rmi nosuch
    run -1 b network rm nosuch
}

@test "kill -s takes a signal with a leading dash, as podman" {
    run -0 b run -d --name sig --network none $IMG sh -c 'trap "echo got" USR1 INT HUP; while :; do sleep 0.1; done'
    for s in -1 -INT -SIGUSR1 -usr1; do
        run -0 b kill -s "$s" sig
        [ "$output" = sig ]
    done
    run -125 --separate-stderr b kill -s --HUP sig
    [ "$stderr" = "Error: invalid signal: -HUP" ]
    run -125 --separate-stderr b kill -s -0 sig
    [ "$stderr" = "Error: invalid signal: 0" ]
    run -125 --separate-stderr b kill -s 65 sig
    [ "$stderr" = "Error: valid signals are 1 through 64" ]
}

@test "--cidfile on rm, stop, restart and kill; --filter on rm, stop, restart and start" {
    run -0 b run -d --name cf1 --cidfile "$BATS_TEST_TMPDIR/cid1" --network none $IMG sleep 100
    id=$(cat "$BATS_TEST_TMPDIR/cid1")
    run -0 b kill -s USR2 --cidfile "$BATS_TEST_TMPDIR/cid1"
    [ "$output" = "$id" ]
    run -0 b stop -t 0 --cidfile "$BATS_TEST_TMPDIR/cid1"
    [ "$output" = "$id" ]
    run -0 b restart -t 0 --cidfile "$BATS_TEST_TMPDIR/cid1"
    [ "$output" = "$id" ]
    run -125 --separate-stderr b stop --cidfile "$BATS_TEST_TMPDIR/nosuch"
    [ "$stderr" = "Error: reading CIDFile: open $BATS_TEST_TMPDIR/nosuch: no such file or directory" ]
    run -125 --separate-stderr b stop --cidfile "$BATS_TEST_TMPDIR/cid1" cf1
    [ "$stderr" = "Error: no arguments are needed with --latest or --cidfile" ]
    run -125 --separate-stderr b rm --all --cidfile "$BATS_TEST_TMPDIR/cid1"
    [ "$stderr" = "Error: --all, --latest, and --cidfile cannot be used together" ]
    run -0 b rm -f -t 0 --cidfile "$BATS_TEST_TMPDIR/cid1"
    [ "$output" = "$id" ]

    run -0 b create --name fa --label app=a --network none $IMG sleep 100
    run -0 b create --name fb --network none $IMG sleep 100
    a=$(b container inspect --format '{{.Id}}' fa)
    bid=$(b container inspect --format '{{.Id}}' fb)
    # start: the filter alone starts what it selects; with names, those of
    # them it selects
    run -0 b start --filter name=fa fb
    [ -z "$output" ]
    run -0 b start --filter label=app=a
    [ "$output" = "$a" ]
    run -0 b start -f name=fb fb
    [ "$output" = "$bid" ]
    run -0 b restart -t 0 -f name=fb
    [ "$output" = "$bid" ]
    run -125 --separate-stderr b stop --filter name=fa fa
    [ "$stderr" = "Error: --filter takes no arguments" ]
    run -0 b stop -t 0 --filter label=app=a
    [ "$output" = "$a" ]
    run -0 b stop --timeout 0 fb
    [ "$output" = fb ]
    # podman's --filter is a StringSlice: commas separate filters
    run -0 b rm --filter name=fa,name=fb
    [ "$(sort <<<"$output")" = "$(printf '%s\n' "$a" "$bid" | sort)" ]
    run -125 --separate-stderr b stop --filter bogus=1
    [[ $stderr == *"bogus is an invalid filter"* ]]
}

@test "rm --depend removes the containers that join its namespaces first" {
    run -0 b create --name da --network none $IMG sleep 100
    run -0 b create --name db --network container:da $IMG sleep 100
    run -0 b create --name dc --pid container:db --network none $IMG sleep 100
    run -0 b create --name other --network none $IMG true
    ida=$(b container inspect --format '{{.Id}}' da)
    idb=$(b container inspect --format '{{.Id}}' db)
    idc=$(b container inspect --format '{{.Id}}' dc)
    run -0 b rm --depend da
    [ "$output" = "$(printf '%s\n' "$idc" "$idb" "$ida")" ]
    run -0 b ps -a --format '{{.Names}}'
    [ "$output" = other ]
}

# podman: a container another joins (--network/--pid/--ipc/--uts
# container:X) is not removed before it, --force or not (125, its words,
# the dependents' full ids sorted); --volumes-from makes no dependency.
@test "rm refuses a container that others join, even with --force" {
    run -0 b create --name pa --network none $IMG sleep 100
    run -0 b create --name pb --network container:pa $IMG sleep 100
    run -0 b create --name pc --ipc container:pa --uts container:pa --network none $IMG sleep 100
    run -0 b create --name pv --volumes-from pa --network none $IMG true
    ida=$(b container inspect --format '{{.Id}}' pa)
    deps=$(printf '%s\n' "$(b container inspect --format '{{.Id}}' pb)" \
                         "$(b container inspect --format '{{.Id}}' pc)" | sort | paste -sd, | sed 's/,/, /')
    for f in "" -f; do
        run -125 --separate-stderr b rm $f pa
        [ -z "$output" ]
        [ "$stderr" = "Error: container $ida has dependent containers which must be removed before it: $deps: container already exists" ]
    done
    run -0 b rm pb
    run -125 b rm pa
    run -0 b rm pc
    run -0 b rm pa
    [ "$output" = pa ]
    run -0 b ps -a --format '{{.Names}}'
    [ "$output" = pv ]
}

@test "rm --all removes containers that others join, dependents first" {
    run -0 b create --name qa --network none $IMG sleep 100
    run -0 b create --name qb --pid container:qa --network none $IMG sleep 100
    run -0 b create --name qc --network container:qb $IMG sleep 100
    run -0 b rm --all
    [ "$(wc -l <<<"$output")" = 3 ]
    run -0 b ps -a --format '{{.Names}}'
    [ -z "$output" ]
}

# The reverse index: a dependent's link is written before its record and
# dropped after its record is deleted; a link without a record counts
# while its writer lives. So a killed create or rm leaves nothing that
# blocks a removal or lets a wrong one through.
@test "the dependency index survives a killed create and a killed rm" {
    run -0 b create --name ka --network none $IMG sleep 100
    # killed between the link and the record: the link is a leftover
    BERTH_TEST_CRASH_AT=create:linked run -137 b create --name kz --network container:ka $IMG sleep 100
    # killed after the record: the record has its link
    BERTH_TEST_CRASH_AT=create:record run -137 b create --name kb --network container:ka $IMG sleep 100
    kb=$(b container inspect --format '{{.Id}}' kb)
    run -125 --separate-stderr b rm ka
    [[ $stderr == *"has dependent containers which must be removed before it: $kb: container already exists" ]]
    # killed after the dependent's record is gone, before its link goes
    BERTH_TEST_CRASH_AT=rm:record run -137 b rm kb
    run -0 b rm ka
    [ "$output" = ka ]
    run -0 b ps -a --format '{{.Names}}'
    [ -z "$output" ]
}

# mid_image: localhost/mid, the image of layered's first two layers, so
# that it is layered's parent (a docker-archive made from layered's).
mid_image() {
    local d=$BATS_TEST_TMPDIR/mid src=$TEST_IMAGES_DIR/layered.docker.tar cfg third id
    mkdir -p "$d" && tar -xf "$src" -C "$d"
    cfg=$(jq -r '.[0].Config' "$d/manifest.json")
    third=$(jq -r '.[0].Layers[2]' "$d/manifest.json")
    jq -c '.rootfs.diff_ids |= .[:2] | .history |= .[:2]' "$d/$cfg" > "$d/mid.json"
    id=$(sha256sum "$d/mid.json" | cut -d' ' -f1)
    mv "$d/mid.json" "$d/$id.json"
    jq -c --arg c "$id.json" '[.[0] | .Config = $c | .RepoTags = ["localhost/mid:latest"] |
        .Layers |= .[:2]]' "$d/manifest.json" > "$d/m.json"
    mv "$d/m.json" "$d/manifest.json"
    rm -f "$d/$cfg" "$d/repositories" "$d/$third"
    tar -cf "$d.tar" -C "$d" .
    b load -q -i "$d.tar" >/dev/null
    echo "$id"
}

@test "rmi --no-prune leaves the dangling parent; without it the parent goes" {
    mid=$(mid_image)
    load_image layered
    run -0 b untag localhost/mid
    run -0 b rmi --no-prune localhost/layered
    [[ $output == *"Deleted: "* ]]
    [[ $output != *"Deleted: $mid"* ]]
    run -0 b image exists "$mid"
    # again, without --no-prune: podman removes the parent left without names
    run -0 b rmi -f "$mid"
    mid=$(mid_image)
    load_image layered
    run -0 b untag localhost/mid
    run -0 b rmi localhost/layered
    [[ $output == *"Deleted: $mid"* ]]
    run -1 b image exists "$mid"
}

# external_ctr: a root file system in storage that no berth record owns,
# as another tool (or a killed create) leaves one: made by create, then
# its records taken away. Prints its id.
external_ctr() {
    local id
    id=$(b create --network none $IMG true) || return 1
    rm -rf "$BATS_TEST_TMPDIR/root/libpod/containers/$id"
    echo "$id"
}

@test "ps --external, container exists --external, image prune --external" {
    run -0 b create --name mine --network none $IMG true
    # with none, the same list
    [ "$(b ps -a --external --format '{{.Names}}')" = "$(b ps -a --format '{{.Names}}')" ]
    ext=$(external_ctr)
    run -0 b ps -a --format '{{.Names}}'
    [ "$output" = mine ]
    run -0 b ps --external --format '{{.ID}} {{.Names}} {{.Image}} {{.Command}} {{.Status}} {{.State}}'
    # podman's template .State and .Status: the state, title-cased
    [ "$output" = "${ext:0:12} unknown $IMG:latest storage Storage Storage" ]
    run -0 b ps -a --external --format json
    [ "$(jq -r '.[] | select(.Id == "'$ext'") | .State + " " + .Names[0]' <<<"$output")" = "storage unknown" ]
    run -1 b container exists "$ext"
    run -0 b container exists --external "$ext"
    run -0 b container exists --external "${ext:0:12}"
    run -0 b container exists --external mine
    run -1 b container exists --external nosuch
    # an image an external container uses is kept, unless --external
    run -0 b rm mine
    run -0 b image prune -a -f
    [ -z "$output" ]
    run -0 b image exists $IMG
    iid=$(b image inspect --format '{{.Id}}' $IMG)
    run -0 b image prune -a -f --external
    [ "$output" = "$iid" ]
    run -1 b image exists $IMG
    run -0 b ps -a --external --format '{{.ID}}'
    [ -z "$output" ]
}

@test "ps --ns shows the namespaces of running containers, as podman" {
    run -0 b run -d --name nsrun --network none $IMG sleep 100
    pid=$(b inspect --format '{{.State.Pid}}' nsrun)
    pidns=$(stat -L -c %i /proc/$pid/ns/pid)
    run -0 b ps --ns
    [ "${lines[0]}" = "CONTAINER ID  NAMES       PID         CGROUPNS    IPC         MNT         NET         PIDNS       USERNS      UTS" ]
    [[ ${lines[1]} == *" $pid "*" $pidns "* ]]
    run -0 b ps --ns --format '{{.PIDNS}} {{.Namespaces}}'
    [[ $output == "$pidns {"*" $pidns "*"}" ]]
    run -0 b ps --ns --format json
    [ "$(jq -r '.[0].Namespaces.Pidns' <<<"$output")" = "$pidns" ]
    # without --ns, podman's empty fields
    run -0 b ps --format '{{.PIDNS}}|{{.Namespaces}}'
    [ "$output" = "|{      }" ]
}

@test "ps --watch prints the listing again every N seconds" {
    run -0 b create --name w --network none $IMG true
    run -124 timeout 2.5 "$BERTH_BIN" "${BERTH_ARGS[@]}" ps -a --watch 1
    [ "$(grep -c 'CONTAINER ID' <<<"$output")" -ge 2 ]
    [[ $output != *$'\e['* ]]           # a pipe: no screen clearing
    # -q and json print once, as podman's
    run -0 timeout 5 "$BERTH_BIN" "${BERTH_ARGS[@]}" ps -a -q --watch 1
    [ "${#lines[@]}" -eq 1 ]
    run -125 --separate-stderr b ps --watch -1
    [[ $stderr == *'invalid argument "-1" for "-w, --watch" flag'* ]]
}

@test "load -i of a bad file: podman's message, then why each format did not read" {
    echo "not an archive" > "$BATS_TEST_TMPDIR/junk.tar"
    run -125 --separate-stderr b load -i "$BATS_TEST_TMPDIR/junk.tar"
    [ "${stderr_lines[0]}" = "Error: payload does not match any of the supported image formats:" ]
    [[ ${stderr_lines[1]} == " * oci-archive: "* ]]
    [[ ${stderr_lines[2]} == " * docker-archive: "* ]]
    # a tar that holds no image
    tar -cf "$BATS_TEST_TMPDIR/plain.tar" -C "$BATS_TEST_TMPDIR" junk.tar
    run -125 --separate-stderr b load -i "$BATS_TEST_TMPDIR/plain.tar"
    [ "$stderr" = "Error: payload does not match any of the supported image formats:
 * oci-archive: loading index: open index.json: no such file or directory
 * docker-archive: loading tar component manifest.json: file does not exist" ]
}

@test "load puts the names it brings first in RepoTags; tag appends, as podman's" {
    run -0 b tag $IMG localhost/a:1
    run -0 b tag $IMG localhost/b:2 localhost/c:3
    run -0 b image inspect --format '{{.RepoTags}}' $IMG
    [ "$output" = "[$IMG:latest localhost/a:1 localhost/b:2 localhost/c:3]" ]
    run -0 b save -o "$BATS_TEST_TMPDIR/b2.tar" localhost/b:2
    run -0 b untag $IMG localhost/b:2
    run -0 b load -q -i "$BATS_TEST_TMPDIR/b2.tar"
    run -0 b image inspect --format '{{.RepoTags}}' $IMG
    [ "$output" = "[localhost/b:2 $IMG:latest localhost/a:1 localhost/c:3]" ]
    # loading a name it already has moves it to the front
    run -0 b load -q -i "$TEST_IMAGES_DIR/busybox.docker.tar"
    run -0 b image inspect --format '{{.RepoTags}}' $IMG
    [ "$output" = "[$IMG:latest localhost/b:2 localhost/a:1 localhost/c:3]" ]
}

@test "--log-opt max-size counts in 1000s and shows as podman's HumanSize" {
    run -0 b create --name l1 --log-opt max-size=5.081m $IMG true
    run -0 b create --name l2 --log-opt max-size=1.23456m $IMG true
    run -0 b create --name l3 --log-opt max-size=2MiB $IMG true
    run -0 b inspect --format '{{.HostConfig.LogConfig.Size}}' l1 l2 l3
    [ "$output" = "$(printf '5.081MB\n1.235MB\n2MB')" ]
}

@test "--security-opt no-new-privileges takes =VALUE and :VALUE" {
    run -0 b run --rm --network none --security-opt no-new-privileges:true $IMG grep NoNewPrivs /proc/self/status
    [[ $output == *"NoNewPrivs:"*1 ]]
    run -0 b run --rm --network none --security-opt no-new-privileges=false $IMG grep NoNewPrivs /proc/self/status
    [[ $output == *"NoNewPrivs:"*0 ]]
    run -125 --separate-stderr b run --rm --network none --security-opt no-new-privileges=maybe $IMG true
    [[ $stderr == *"invalid --security-opt 2"* ]]
}

@test "wait on a container that never ran returns 0 at once" {
    run -0 b create --name w1 $IMG true
    run -0 timeout 10 "$BERTH_BIN" "${BERTH_ARGS[@]}" wait w1
    [ "$output" = 0 ]
    # a condition it has not reached is still waited for
    run -124 timeout 2 "$BERTH_BIN" "${BERTH_ARGS[@]}" wait --condition running w1
}

# podman's wait answers -1 for a condition other than an exit
# podman's words for a wrong operand count (cobra's, or the command's own)
@test "container exists, wait, create and run without operands: podman's words" {
    run -125 --separate-stderr b container exists
    [ "$stderr" = "Error: accepts 1 arg(s), received 0" ]
    run -125 --separate-stderr b container exists a b
    [ "$stderr" = "Error: accepts 1 arg(s), received 2" ]
    run -125 --separate-stderr b wait
    [ "$stderr" = 'Error: "berth wait" requires a name, id, or the "--latest" flag' ]
    run -125 --separate-stderr b container wait
    [ "$stderr" = 'Error: "berth container wait" requires a name, id, or the "--latest" flag' ]
    for cmd in create run "container create"; do
        run -125 --separate-stderr b $cmd
        [ "$stderr" = "Error: requires at least 1 arg(s), only received 0" ]
    done
}

# podman's port: its argument checks and words; PORT parsed by ParseUint
@test "port: podman's argument errors" {
    run -0 b create --name p1 -p 8080:80 $IMG true
    run -125 --separate-stderr b port
    [ "$stderr" = "Error: you must supply a running container name or id" ]
    run -125 --separate-stderr b port p1 80 90
    [ "$stderr" = 'Error: `port` accepts at most 2 arguments' ]
    run -125 --separate-stderr b port -a p1
    [ "$stderr" = "Error: no arguments are needed with --all" ]
    run -125 --separate-stderr b port -a -l
    [ "$stderr" = "Error: --all and --latest cannot be used together" ]
    run -125 --separate-stderr b port nosuch abc
    [ "$stderr" = 'Error: strconv.ParseUint: parsing "abc": invalid syntax' ]
    run -125 --separate-stderr b port p1 70000
    [ "$stderr" = 'Error: strconv.ParseUint: parsing "70000": value out of range' ]
    run -125 --separate-stderr b port p1 80/tcp/x
    [ "$stderr" = "Error: port formats are port/protocol. '80/tcp/x' is invalid" ]
    # not running: nothing to report, and no error
    run -0 --separate-stderr b port p1 80
    [ -z "$output" ] && [ -z "$stderr" ] || false
    run -0 b port p1
    [ -z "$output" ]
}

@test "wait --condition running or paused prints -1" {
    run -0 b run -d --name w1 --network none $IMG sleep 100
    run -0 --separate-stderr b wait --condition running w1
    [ "$output" = -1 ]
    run -0 b pause w1
    run -0 --separate-stderr b wait --condition paused --condition exited w1
    [ "$output" = -1 ]
}

@test "wait: a bad --condition or --interval in podman's words" {
    run -0 b create --name w1 $IMG true
    run -125 --separate-stderr b wait --condition bogus w1
    [ "$stderr" = "Error: unknown container state: bogus: invalid argument" ]
    run -125 --separate-stderr b wait -i bogus w1
    [ "$stderr" = 'Error: time: invalid duration "bogus"' ]
    # a number is milliseconds
    run -0 b wait -i 5 w1
    [ "$output" = 0 ]
}

@test "--dns-opt is --dns-option; --kernel-memory is a no-op with podman's warning" {
    run -0 b run --rm --network host --dns-opt ndots:7 $IMG grep options /etc/resolv.conf
    [[ $output == *"ndots:7"* ]]
    run -0 --separate-stderr b run --rm --network none --kernel-memory 10m $IMG true
    [[ $stderr == *"The --kernel-memory flag is no longer supported. This flag is a noop."* ]]
}

@test "--ipc none: a private IPC namespace without /dev/shm; shareable and private run" {
    run -0 b run --rm --network none --ipc none $IMG sh -c 'test -e /dev/shm && echo has-shm; readlink /proc/self/ns/ipc'
    [[ $output != *has-shm* ]]
    [[ $output != "$(readlink /proc/self/ns/ipc)" ]]
    run -0 b create --name i1 --ipc none $IMG true
    run -0 b inspect --format '{{.HostConfig.IpcMode}}' i1
    [ "$output" = none ]
    run -0 b run --rm --network none --ipc shareable $IMG test -d /dev/shm
    run -0 b run --rm --network none --ipc private $IMG test -d /dev/shm
}

# podman: --ipc container:X needs X's IPC shareable (the default, or
# --ipc shareable); --ipc private refuses at create, in its words.
@test "--ipc container:X joins a shareable IPC namespace and refuses a private one" {
    run -0 b create --name dpriv --network none --ipc private $IMG sleep 100
    idp=$(b container inspect --format '{{.Id}}' dpriv)
    run -125 --separate-stderr b create --name j1 --network none --ipc container:dpriv $IMG true
    [ "$stderr" = "Error: joining IPC of container $idp is not allowed: non-shareable IPC (hint: use IpcMode:shareable for the donor container)" ]
    run -0 b run -d --name dshare --network none --ipc shareable $IMG sleep 100
    run -0 b run -d --name ddef --network none $IMG sleep 100
    for d in dshare ddef; do
        want=$(b exec $d readlink /proc/self/ns/ipc)
        run -0 b run --rm --network none --ipc container:$d $IMG readlink /proc/self/ns/ipc
        [ "$output" = "$want" ]
    done
    run -0 b ps -a --format '{{.Names}}'
    [[ $output != *j1* ]]
}

# podman 4.3.1 opens the journal at create with --log-driver journald:
# with nothing on its socket (this host) that fails, 125, in its words.
# With a journal listening (a fake one in a private mount namespace)
# create succeeds and writes nothing to it: only conmon logs there
# (journald.bats runs a real systemd-journald).
@test "--log-driver journald: podman's error without a journal; create with one" {
    run -125 --separate-stderr b create --name jl --network none --log-driver journald $IMG true
    [[ $stderr =~ ^"Error: failed to initialize journal: write unixgram @"[0-9a-f]+"->/run/systemd/journal/socket: sendmsg: no such file or directory"$ ]]
    run -125 --separate-stderr b run --rm --network none --log-driver journald $IMG true
    [[ $stderr == "Error: failed to initialize journal: "* ]]
    export BERTH_BIN BERTH_ARGS_STR="${BERTH_ARGS[*]}" IMG
    run unshare --mount --fork bash -c '
        set -e
        mount --make-rprivate /
        mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal
        python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(\"/run/systemd/journal/socket\")
print(\"up\", flush=True); s.settimeout(5)
try: print(\"got:\", s.recv(4096))
except socket.timeout: print(\"nothing\")" >"$BATS_TEST_TMPDIR/listener" &
        while ! grep -q up "$BATS_TEST_TMPDIR/listener" 2>/dev/null; do sleep 0.05; done
        rc=0; "$BERTH_BIN" $BERTH_ARGS_STR create --name jl --network none --log-driver journald $IMG true || rc=$?
        wait
        cat "$BATS_TEST_TMPDIR/listener"; echo "rc=$rc"'
    [ "$status" -eq 0 ]
    [[ $output == *nothing* && $output == *rc=0* ]]
    run -0 b ps -a --format '{{.Names}}'
    [ "$output" = jl ]
}

@test "a --workdir that is not in the container: podman's error, exit 126" {
    run -126 --separate-stderr b run --rm --network none -w /does/not/exist $IMG pwd
    [[ $stderr == "Error: workdir \"/does/not/exist\" does not exist on container "* ]]
    run -0 b run --rm --network none -w /tmp $IMG pwd
    [ "$output" = /tmp ]
    # below a mount's destination it is the mount's to have
    run -0 b run --rm --network none --tmpfs /scratch -w /scratch/a $IMG pwd
    [ "$output" = /scratch/a ]
}

@test "run --attach stderr shows only stderr; --attach stdin only prints the id" {
    run -0 --separate-stderr b run --rm --network none --attach stderr $IMG sh -c 'echo out; echo err >&2'
    [ "$output" = "" ]
    [ "$stderr" = err ]
    run -0 --separate-stderr b run --rm --network none -a stdout $IMG sh -c 'echo out; echo err >&2'
    [ "$output" = out ]
    [ "$stderr" = "" ]
    run -3 --separate-stderr bash -c "echo hi | $BERTH_BIN ${BERTH_ARGS[*]} run -i --name s1 --network none --attach stdin $IMG sh -c 'cat > /tmp/got; cat /tmp/got; exit 3'"
    run -0 b inspect --format '{{.Id}}' s1
    id=$output
    run -0 b logs s1
    [ "$output" = hi ]
    run -3 --separate-stderr bash -c "echo hi | $BERTH_BIN ${BERTH_ARGS[*]} run -i --rm --network none --attach stdin $IMG sh -c 'exit 3'"
    [[ $output =~ ^[0-9a-f]{64}$ ]]
}

@test "the root directory of a container has its image's mode, as podman's" {
    # podman 4.3.1 shows 555 for this image: c/storage makes a layer's
    # root 0555 unless its parent's (or the layer's own ./ entry) says else
    run -0 b run --rm --network none $IMG stat -c %a /
    [ "$output" = 555 ]
}

@test "run --timeout: the killed container's run exits 255, as podman's" {
    run -255 b run --name t1 --network none --timeout 1 $IMG sleep 20
    run -0 b inspect --format '{{.State.ExitCode}} {{.State.Status}}' t1
    [ "$output" = "-1 exited" ]
    run -255 b start -a t1
}

@test "run -it with stdin not a terminal: podman's warning" {
    run -0 --separate-stderr bash -c "echo | $BERTH_BIN ${BERTH_ARGS[*]} run --rm -it --network none $IMG true"
    [[ $stderr == *"The input device is not a TTY. The --tty and --interactive flags might not work properly"* ]]
}

# podman's report.IsJSON: "json", "{{json .}}", "{{ json }}", " json "
# all print the command's JSON, not a template run once per row.
@test "--format '{{json .}}' prints the same JSON as --format json" {
    BERTH_ARGS+=(--network-config-dir "$BATS_TEST_TMPDIR/net")
    run -0 b volume create v1
    run -0 b network create n1
    run -0 b pod create --name p1
    for cmd in "images" "history $IMG" "volume ls" "network ls" "pod ps" "ps -a" \
               "image inspect $IMG" "volume inspect v1" "network inspect n1" "pod inspect p1"; do
        # the default network's "created" is the time of the call, ps's
        # "CreatedAt" a time ago (a slow run crosses a second)
        want=$(b $cmd --format json | grep -v '"created": \|"CreatedAt": ')
        [ "${want:0:1}" = "[" ] || [ "${want:0:1}" = "{" ]
        for f in '{{json .}}' '{{ json . }}' '{{json}}' ' json ' ' {{json .}}'; do
            run -0 --separate-stderr b $cmd --format "$f"
            [ "$(grep -v '"created": \|"CreatedAt": ' <<<"$output")" = "$want" ]
        done
    done
    # anything more is a template again
    run -0 --separate-stderr b volume ls --format '{{json .}}x'
    [ "${output:0:9}" = '{"Name":"' ]
    [ "${output: -1}" = "x" ]
}

# info's JSON in podman 4.3.1's order (its structs'), with the keys it
# has that berth lacked; berth's own keys last (no remoteSocket: berth
# has no API service; CVersion where podman's binary says GoVersion)
@test "info --format json: podman's keys in podman's order" {
    run -0 b info --format json
    info=$output
    keys() { jq -r "$1 | keys_unsorted | join(\",\")" <<<"$info"; }
    [ "$(keys .)" = "host,store,registries,plugins,version" ]
    [ "$(keys .host)" = "arch,buildahVersion,cgroupManager,cgroupVersion,cgroupControllers,conmon,cpus,cpuUtilization,distribution,eventLogger,hostname,idMappings,kernel,logDriver,memFree,memTotal,networkBackend,ociRuntime,os,serviceIsRemote,security,slirp4netns,swapFree,swapTotal,uptime,linkmode,configFiles" ]
    [ "$(keys .host.distribution)" = "distribution,version,codename" ] || [ "$(keys .host.distribution)" = "distribution,version" ]
    [ "$(keys .store)" = "configFile,containerStore,graphDriverName,graphOptions,graphRoot,graphRootAllocated,graphRootUsed,graphStatus,imageCopyTmpDir,imageStore,runRoot,volumePath,staticDir,tmpDir" ]
    [ "$(jq -c .plugins <<<"$info")" = '{"volume":["local"],"network":["bridge"],"log":["k8s-file","none","passthrough","journald"],"authorization":null}' ]
    [ "$(keys .version)" = "APIVersion,Version,CVersion,GitCommit,BuiltTime,Compiler,Built,OsArch,Os" ]
    [ "$(jq -c .version <<<"$info")" = "$(b version --format json | jq -c .Client)" ]
    [ "$(jq -c .host.idMappings <<<"$info")" = '{"gidmap":null,"uidmap":null}' ]
    [ "$(jq -r .host.linkmode <<<"$info")" = dynamic ]
    [ "$(jq -r .store.imageCopyTmpDir <<<"$info")" = "$BATS_TEST_TMPDIR/root/tmp" ]
    # podman's getCPUUtilization: shares of user+system+idle since boot
    jq -e '.host.cpuUtilization | (.userPercent + .systemPercent + .idlePercent) as $t |
           $t > 99.9 and $t < 100.1 and .idlePercent > 0' <<<"$info"
    run -0 b info --format '{{.Host.CPUUtilization.IdlePercent}}'
    [ "$output" != "<no value>" ]
}

# podman's commands indent their JSON differently (MarshalIndent): ps,
# network ls, pod ps, volume ls and info by 2, pod inspect by 5, inspect
# by 5 inside its array, images by 4
@test "--format json indents as podman's command does" {
    b create --name ij --network none $IMG true >/dev/null
    b network create ijn >/dev/null
    b pod create --network none --name ijp >/dev/null
    b volume create ijv >/dev/null
    indent() { "$@" | sed -n 2p | sed -E 's/^( *).*/\1/' | awk '{print length($0)}'; }
    [ "$(indent b ps -a --format json)" = 2 ]
    [ "$(indent b ps -a --format '{{json .}}')" = 2 ]
    [ "$(indent b network ls --format json)" = 2 ]
    [ "$(indent b pod ps --format json)" = 2 ]
    [ "$(indent b info --format json)" = 2 ]
    [ "$(indent b pod inspect ijp)" = 5 ]
    [ "$(indent b pod inspect --latest)" = 5 ]
    [ "$(indent b container inspect ij)" = 5 ]
    [ "$(indent b images --format json)" = 4 ]
    [ "$(indent b volume ls --format json)" = 2 ]
    [ "$(b pod inspect ijp | sed -n 3p | sed -E 's/^( *).*/\1/' | awk '{print length($0)}')" = 5 ]
}

# inspect's values as podman 4.3.1 records them (the sweep of 2026-12-07)
@test "inspect: Path and Args, --init, memory swap, SecurityOpt, Umask, Timezone, devices as podman's" {
    run -0 b create --name one --network none $IMG true
    run -0 b inspect --format '{{.Path}} {{json .Args}} {{.HostConfig.Init}}' one
    [ "$output" = 'true ["true"] false' ]
    run -0 b create --name two --network none $IMG echo hi
    run -0 b inspect --format '{{.Path}} {{json .Args}}' two
    [ "$output" = 'echo ["hi"]' ]
    run -0 b create --name ini --network none --init $IMG sleep 1
    run -0 b inspect --format '{{.Path}} {{json .Args}} {{.HostConfig.Init}} {{json .HostConfig.Init}}' ini
    [ "$output" = '/run/podman-init ["--","sleep","1"] true true' ]
    run -0 b create --name mem --network none --memory 64m $IMG true
    run -0 b inspect --format '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemorySwappiness}}' mem one
    [ "$output" = "$(printf '67108864 134217728 -1\n0 0 0')" ]
    run -0 b create --name sec --network none --security-opt no-new-privileges --umask 77 --tz UTC \
        --device /dev/null:/dev/nul2 $IMG true
    run -0 b inspect --format '{{json .HostConfig.SecurityOpt}} {{.Config.Umask}} {{.Config.Timezone}} {{(index .HostConfig.Devices 0).CgroupPermissions}}.' sec
    [ "$output" = '["no-new-privileges"] 0077 UTC .' ]
    run -0 b inspect --format '{{.Config.Timezone}}|{{.Config.SystemdMode}}' one
    [ "$output" = '|false' ]
    # a bind mount's Name: empty to a template, left out of its JSON
    mkdir -p "$BATS_TEST_TMPDIR/src"
    run -0 b create --name mnt --network none -v "$BATS_TEST_TMPDIR/src:/b" $IMG true
    run -0 b inspect --format '{{range .Mounts}}[{{.Name}}]{{.Destination}}{{end}} {{json .Mounts}}' mnt
    [[ $output == "[]/b ["* ]] && [[ $output != *'"Name"'* ]]
    # capabilities: sorted, null when none; a user other than root has only
    # the added ones effective; --cap-drop all drops the default set
    run -0 b create --name cap1 --network none --cap-add SYS_ADMIN $IMG true
    run -0 b inspect --format '{{json .EffectiveCaps}}' cap1
    [ "$(jq -r '. == sort and index("CAP_SYS_ADMIN") != null' <<<"$output")" = true ]
    run -0 b create --name cap2 --network none -u 1000 --cap-add NET_ADMIN $IMG true
    run -0 b inspect --format '{{json .EffectiveCaps}}' cap2
    [ "$output" = '["CAP_NET_ADMIN"]' ]
    run -0 b create --name cap3 --network none --cap-drop all $IMG true
    run -0 b inspect --format '{{json .EffectiveCaps}} {{json .BoundingCaps}} {{len .HostConfig.CapDrop}}' cap3
    [[ $output == "null null "[1-9]* ]]
    # ulimits as the spec asks for them, podman's names and defaults
    run -0 b create --name ul --network none --ulimit nofile=10:20 $IMG true
    run -0 b inspect --format '{{json .HostConfig.Ulimits}} {{json .HostConfig.Ulimits}}' ul one
    [ "$output" = "$(printf '%s\n%s' '[{"Name":"RLIMIT_NOFILE","Soft":10,"Hard":20},{"Name":"RLIMIT_NPROC","Soft":1048576,"Hard":1048576}] [{"Name":"RLIMIT_NOFILE","Soft":10,"Hard":20},{"Name":"RLIMIT_NPROC","Soft":1048576,"Hard":1048576}]' '[] []')" ]
    # --log-driver json-file: recorded as given, k8s-file's log all the same
    run -0 b run --name lj --network none --log-driver json-file $IMG echo hi
    run -0 b logs lj
    [ "$output" = hi ]
    run -0 b inspect --format '{{.HostConfig.LogConfig.Type}}' lj
    [ "$output" = json-file ]
    # a Go time's methods on the times templates see
    run -0 b inspect --format '{{.State.StartedAt.IsZero}} {{.State.FinishedAt.Year}} {{.Created.IsZero}}' one
    [ "$output" = "true 1 false" ]
    run -0 b image inspect --format '{{.Created.Unix}} {{.Created.Year}} {{.Created.Month}} {{.Created.Day}} {{.Created.Weekday}}' $IMG
    [ "$output" = "1700000000 2023 November 14 Tuesday" ]
    run -125 --separate-stderr b inspect --format '{{.Created.Bogus}}' one
    [[ $stderr == *"can't evaluate field Bogus in type string" ]]
    # --name "" is no name; ps -p is --pod
    run -0 b create --name '' --network none $IMG true
    run -0 b ps -a -l -p --format '{{.Names}} {{.PodName}}.'
    [[ $output =~ ^[a-z]+_[a-z]+\ \.$ ]]
    b rm -af >/dev/null
}

@test "podman's hidden flags: cp --pause, mount --notruncate" {
    b create --name hf --network none $IMG true >/dev/null
    echo x > "$BATS_TEST_TMPDIR/f"
    run -0 b cp --pause=false "$BATS_TEST_TMPDIR/f" hf:/f
    run -0 b mount hf
    run -0 b mount --notruncate
    [[ $output == "$(b inspect --format '{{.Id}}' hf) "* ]]
    run -0 b unmount hf
    b rm hf >/dev/null
}
