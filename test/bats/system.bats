# test/bats/system.bats: system df, system prune, system reset, system
# check (issue 17), against the numbers podman 4.3.1 prints.
load helpers
load ctr_helpers
load net_helpers

setup()    { ctr_setup; }
teardown() {
    # processes a test left after deleting their records by hand
    [ ! -s "$BATS_TEST_TMPDIR/orphans" ] || kill -9 $(cat "$BATS_TEST_TMPDIR/orphans") 2>/dev/null || true
    [ ! -d "$BATS_TEST_TMPDIR/root2" ] || b2 rm -af -t 0 >/dev/null 2>&1 || true
    berth_teardown
    runtime_leftovers
}

# runtime_leftovers: the OCI runtime's state (and so the cgroups) of
# containers whose records a test deleted by hand: rm cannot find them
runtime_leftovers() {
    local rt id
    for rt in runc crun; do
        command -v $rt >/dev/null || continue
        for id in $($rt list 2>/dev/null | awk -v d="$BATS_TEST_TMPDIR/" 'index($4, d) == 1 {print $1}'); do
            $rt delete -f "$id" >/dev/null 2>&1 || true
        done
    done
}

# b2: a second store on the same machine (its cgroups share /berth_parent)
b2() { "$BERTH_BIN" --root "$BATS_TEST_TMPDIR/root2" --runroot "$BATS_TEST_TMPDIR/runroot2" \
           --tmpdir "$BATS_TEST_TMPDIR/scratch2" "$@"; }

# files_bytes DIR: the sum of the sizes of the regular files and symlinks
# under DIR (podman's: /etc/mtab's 12 bytes count)
files_bytes() { find "$1" \( -type f -o -type l \) -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

@test "system df: summary counts, sizes and reclaimable as podman" {
    load_image layered
    b tag $IMG localhost/extra:1
    b run --name c1 --network none $IMG sh -c 'dd if=/dev/zero of=/f bs=1k count=100 2>/dev/null'
    b create --name c2 --network none -v vol1:/data $IMG true >/dev/null
    b volume create vol2 >/dev/null
    run -0 b system df
    [ "${lines[0]}" = "TYPE           TOTAL       ACTIVE      SIZE        RECLAIMABLE" ]
    [[ ${lines[1]} =~ ^Images\ +3\ +2\ +[0-9.]+MB\ +[0-9.]+MB\ \(34%\)$ ]]
    # c1's 100 kB, and the 12 bytes of its /etc/mtab (podman's too)
    [ "${lines[2]}" = "Containers     2           0           102.4kB     102.4kB (100%)" ]
    [ "${lines[3]}" = "Local Volumes  2           1           0B          0B (0%)" ]
    # the image total is the sum over the rows: busybox twice, layered once
    bb=$(b image inspect --format '{{.Size}}' $IMG)
    ly=$(b image inspect --format '{{.Size}}' localhost/layered)
    run -0 b system df --format '{{.Type}}={{.Total}}/{{.Active}}/{{.RawSize}}/{{.RawReclaimable}}'
    [ "${lines[0]}" = "Images=3/2/$((2 * bb + ly))/$ly" ]
    [ "${lines[1]}" = "Containers=2/0/102412/102412" ]
    [ "${lines[2]}" = "Local Volumes=2/1/0/0" ]
    run -0 b system df --format json
    run -0 jq -c '.[] | [.Type, .Total, .Active, .Size, .Reclaimable]' <<<"$output"
    [ "${lines[1]}" = '["Containers",2,0,102412,102412]' ]
    # podman's {{json .}}: each row's object, sizes in bytes
    run -0 --separate-stderr b system df --format '{{json .}}'
    [ "${lines[0]}" = "{\"Type\":\"Images\",\"Total\":3,\"Active\":2,\"Size\":$((2 * bb + ly)),\"Reclaimable\":$ly}" ]
    [ "${lines[1]}" = '{"Type":"Containers","Total":2,"Active":0,"Size":102412,"Reclaimable":102412}' ]
    [ "${lines[2]}" = '{"Type":"Local Volumes","Total":2,"Active":1,"Size":0,"Reclaimable":0}' ]
    run -0 --separate-stderr b system df --format ' json '
    [ "$output" = " json 
 json 
 json " ]
}

@test "system df: a running container is active, not reclaimable" {
    b run -d --name r1 --network none $IMG sh -c 'echo hello >/x; echo ready; sleep 86400' >/dev/null
    wait_for_log r1 ready
    b create --name c2 --network none $IMG true >/dev/null
    run -0 b system df --format '{{.Type}} {{.Total}} {{.Active}} {{.RawSize}} {{.RawReclaimable}}'
    [ "${lines[0]}" = "Images 1 1 $(b image inspect --format '{{.Size}}' $IMG) 0" ]
    [[ ${lines[1]} == "Containers 2 1 "* ]]
    [[ ${lines[1]} == *" 0" ]]
}

@test "system df -v: rows per image name, container and volume; sizes match the files" {
    b create --name c2 --network none -v vol1:/data $IMG true >/dev/null
    b run --rm --network none -v vol1:/data $IMG sh -c 'head -c 123456 /dev/zero >/data/blob'
    b volume create vol2 >/dev/null
    run -0 b system df -v
    [ "${lines[0]}" = "Images space usage:" ]
    [[ ${lines[1]} == "REPOSITORY "*"TAG "*"IMAGE ID "*"CREATED "*"SIZE "*"SHARED SIZE  UNIQUE SIZE  CONTAINERS" ]]
    [[ ${lines[2]} =~ ^localhost/busybox\ +latest\ +[0-9a-f]{12}\ .*\ 1$ ]]
    [ "${lines[3]}" = "Containers space usage:" ]
    [[ ${lines[4]} == "CONTAINER ID  IMAGE "*"COMMAND "*"LOCAL VOLUMES  SIZE "*"CREATED "*"STATUS "*"NAMES" ]]
    [[ ${lines[5]} =~ \ true\ +1\ +0B\ .*\ created\ +c2$ ]]
    [ "${lines[6]}" = "Local Volumes space usage:" ]
    [ "${lines[7]}" = "VOLUME NAME  LINKS       SIZE" ]
    [ "${lines[8]}" = "vol1         1           123.5kB" ]
    [ "${lines[9]}" = "vol2         0           0B" ]
    mp=$(b volume inspect --format '{{.Mountpoint}}' vol1)
    run -0 b system df -v --format json
    [ "$(jq '.Volumes[] | select(.VolumeName == "vol1") | .Size' <<<"$output")" = "$(files_bytes "$mp")" ]
    [ "$(jq '.Images[0].Size' <<<"$output")" = "$(b image inspect --format '{{.Size}}' $IMG)" ]
    run -125 b system df -v --format '{{.Type}}'
}

@test "system df: a container's size is what it wrote into its layer" {
    b run --name w --network none $IMG sh -c 'head -c 54321 /dev/zero >/blob; mkdir /d; echo hi >/d/x'
    run -0 b system df -v --format json
    size=$(jq '.Containers[0].Size' <<<"$output")
    [ "$size" -ge $((54321 + 3)) ]
    run -0 b ps -a -s --format json
    [ "$(jq '.[0].Size.rwSize' <<<"$output")" = "$size" ]
}

# df_size CTR: the size system df -v gives the container
df_size() { b system df -v --format json | jq --arg n "$1" '.Containers[] | select(.Names == $n) | .Size'; }

@test "system df: a container's cached size follows what it writes after a df" {
    b run -d --name w --network none $IMG sh -c 'head -c 1000 /dev/zero >/a; echo ready; sleep 86400' >/dev/null
    wait_for_log w ready
    upper=$(b inspect --format '{{.GraphDriver.Data.UpperDir}}' w)
    [ "$(df_size w)" = "$(files_bytes "$upper")" ]
    b exec w sh -c 'head -c 20000 /dev/zero >/b; mkdir -p /d/e; head -c 300 /dev/zero >/d/e/f'
    [ "$(df_size w)" = "$(files_bytes "$upper")" ]
    b stop -t 0 w >/dev/null
    # stopped: measured once, then read from its cache
    [ "$(df_size w)" = "$(files_bytes "$upper")" ]
    [ -f "$(dirname "$upper")/usage" ]
    [ "$(df_size w)" = "$(files_bytes "$upper")" ]
    # a write through cp (a mount) and a start that writes deep down
    # both invalidate it
    echo 12345 >"$BATS_TEST_TMPDIR/in"
    b cp "$BATS_TEST_TMPDIR/in" w:/d/e/in
    [ "$(df_size w)" = "$(files_bytes "$upper")" ]
    b start w >/dev/null
    b exec w sh -c 'head -c 7777 /dev/zero >/d/e/g'
    b stop -t 0 w >/dev/null
    [ "$(df_size w)" = "$(files_bytes "$upper")" ]
    [ "$(df_size w)" -ge $((1000 + 20000 + 300 + 6 + 7777)) ]
    run -0 b ps -a -s --format '{{.Size}}'
    [[ $output == *"kB (virtual "* ]]
    # a file removed by hand at the top of the upper dir: its stamp changes
    rm "$upper/b"
    [ "$(df_size w)" = "$(files_bytes "$upper")" ]
}

@test "system df: a layer added and a volume written show at the next df" {
    b volume create v >/dev/null
    run -0 b system df --format '{{.Type}} {{.Total}} {{.RawSize}}'
    [ "${lines[0]}" = "Images 1 $(b image inspect --format '{{.Size}}' $IMG)" ]
    [ "${lines[2]}" = "Local Volumes 1 0" ]
    b run --rm --network none -v v:/data $IMG sh -c 'head -c 4096 /dev/zero >/data/x'
    load_image layered
    mp=$(b volume inspect --format '{{.Mountpoint}}' v)
    run -0 b system df --format '{{.Type}} {{.Total}} {{.RawSize}}'
    [ "${lines[0]}" = "Images 2 $(($(b image inspect --format '{{.Size}}' $IMG) + $(b image inspect --format '{{.Size}}' localhost/layered)))" ]
    [ "${lines[2]}" = "Local Volumes 1 4096" ]
    b run --rm --network none -v v:/data $IMG sh -c 'mkdir -p /data/d; head -c 100 /dev/zero >/data/d/y'
    run -0 b system df --format '{{.Type}} {{.RawSize}}'
    [ "${lines[2]}" = "Local Volumes $(files_bytes "$mp")" ]
    [ "$(files_bytes "$mp")" = 4196 ]
}

@test "system prune: asks on stdout, removes nothing without a yes" {
    b create --name c1 --network none $IMG true >/dev/null
    # stdin at its end: podman's "Error: EOF", exit 125
    run -125 --separate-stderr bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} system prune </dev/null"
    [ "$stderr" = "Error: EOF" ]
    [ "${lines[0]}" = "WARNING! This command removes:" ]
    [ "${lines[1]}" = $'\t- all stopped containers' ]
    [ "${lines[3]}" = $'\t- all dangling images' ]
    [[ $output == *"Are you sure you want to continue? [y/N] " ]]
    run -0 b container exists c1
    run -0 bash -c "echo n | '$BERTH_BIN' ${BERTH_ARGS[*]} system prune -a --volumes"
    [ "${lines[3]}" = $'\t- all volumes not used by at least one container' ]
    [ "${lines[4]}" = $'\t- all images without at least one container associated with them' ]
    run -0 b container exists c1
}

@test "system prune: containers, networks, then with -a --volumes images and volumes" {
    load_image layered
    b run --name c1 --network none $IMG sh -c 'head -c 100000 /dev/zero >/f'
    b create --name c2 --network none -v vol1:/data $IMG true >/dev/null
    b run --rm --network none -v vol3:/d $IMG sh -c 'head -c 5000 /dev/zero >/d/x'
    b run -d --name keep --network none $IMG sleep 86400 >/dev/null
    b network create netx >/dev/null
    i1=$(b inspect --format '{{.Id}}' c1) i2=$(b inspect --format '{{.Id}}' c2)
    run -0 b system prune -f
    [ "${lines[0]}" = "Deleted Containers" ]
    [ "$(printf '%s\n' "${lines[1]}" "${lines[2]}" | sort)" = "$(printf '%s\n' "$i1" "$i2" | sort)" ]
    [ "${lines[3]}" = "Deleted Networks" ]
    [ "${lines[4]}" = "netx" ]
    [ "${lines[5]}" = "Total reclaimed space: 100kB" ]
    run -0 b container exists keep
    run -0 b volume exists vol1
    run -0 b image exists localhost/layered
    ly=$(b image inspect --format '{{.Id}}' localhost/layered)
    run -0 b system prune -a -f --volumes
    [ "${lines[0]}" = "Deleted Volumes" ]
    [ "${lines[1]}" = "vol1" ]
    [ "${lines[2]}" = "vol3" ]
    [ "${lines[3]}" = "Deleted Images" ]
    [ "${lines[4]}" = "$ly" ]
    [[ ${lines[5]} =~ ^Total\ reclaimed\ space:\ 2\.1[0-9]+MB$ ]]
    run -0 b image exists $IMG
    run -0 b system prune -f
    [ "$output" = "Total reclaimed space: 0B" ]
    # what is left still works
    run -0 b exec keep true
}

@test "system prune: exited pods go first, with their containers; a pod's containers are not pruned alone" {
    b pod create --network none --name live >/dev/null
    b create --pod live --name member $IMG true >/dev/null
    b pod create --infra=false --name done >/dev/null
    b create --pod done --name donec --network none $IMG true >/dev/null
    b pod start done >/dev/null
    b create --name lone --network none $IMG true >/dev/null
    pid=$(b pod inspect --format '{{.Id}}' done)
    lone=$(b inspect --format '{{.Id}}' lone)
    for _ in $(seq 50); do [ "$(b pod ps --filter name=done --format '{{.Status}}')" = Exited ] && break; sleep 0.1; done
    run -0 b system prune -f
    [ "$output" = "$(printf 'Deleted Containers\n%s\nDeleted Pods\n%s\nTotal reclaimed space: 0B' "$lone" "$pid")" ]
    # the created pod keeps its infra and member, as podman's
    run -0 b pod ps --filter name=live --format '{{.Name}} {{.NumberOfContainers}}'
    [ "$output" = "live 2" ]
    run -0 b container prune -f
    [ "$output" = "" ]
    run -0 b pod exists live
}

@test "system prune --filter label and until reach every kind" {
    b create --name old --network none --label tmp $IMG true >/dev/null
    b create --name other --network none $IMG true >/dev/null
    b network create --label tmp nt >/dev/null
    b network create nkeep >/dev/null
    b volume create --label tmp vt >/dev/null
    b volume create vkeep >/dev/null
    old=$(b inspect --format '{{.Id}}' old)
    run -0 b system prune -f --volumes --filter label=tmp
    [ "$output" = "$(printf 'Deleted Containers\n%s\nDeleted Networks\nnt\nDeleted Volumes\nvt\nTotal reclaimed space: 0B' "$old")" ]
    run -0 b system prune -f --volumes --filter until=1h
    [ "$output" = "Total reclaimed space: 0B" ]
    run -0 b container exists other
    run -0 b network exists nkeep
    run -0 b volume exists vkeep
    # podman checks the filters first: one error, nothing pruned
    b create --name left --network none --label tmp $IMG true >/dev/null
    run -125 --separate-stderr b system prune -f --filter label=tmp --filter bogus=1
    [ "$output" = "" ]
    [ "$stderr" = "Error: bogus is an invalid filter" ]
    run -125 --separate-stderr b system prune -f --filter bogus
    [ "$stderr" = "Error: filter input must be in the form of filter=value: bogus is invalid" ]
    run -125 --separate-stderr b system prune -f --filter until=yesterday
    [ "$stderr" = 'Error: failed to parse value as time or duration: "yesterday"' ]
    run -0 b container exists left
}

@test "network prune and network ls --filter until" {
    b network create n1 >/dev/null
    run -0 b network prune -f --filter until=1h
    [ "$output" = "" ]
    run -0 b network prune -f --filter until=2000-01-01T00:00:00Z
    [ "$output" = "" ]
    run -0 b network ls --format '{{.Name}}' --filter until=2100-01-01T00:00:00Z
    [[ $output == *n1* ]]
    run -0 b network prune -f --filter until=2100-01-01T00:00:00Z
    [ "$output" = "n1" ]
    run -125 b network prune -f --filter until=yesterday
    [ "$output" = 'Error: failed to parse value as time or duration: "yesterday"' ]
}

@test "system reset: podman's question; no removes nothing, no answer exits 1" {
    b create --name c1 --network none $IMG true >/dev/null
    run -0 bash -c "echo n | '$BERTH_BIN' ${BERTH_ARGS[*]} system reset"
    [ "${lines[0]}" = "WARNING! This will remove:" ]
    [ "${lines[1]}" = "        - all containers" ]
    [ "${lines[8]}" = "        - the graphRoot directory: \"$BATS_TEST_TMPDIR/root\"" ]
    [ "${lines[9]}" = "        - the runRoot directory: \"$BATS_TEST_TMPDIR/runroot\"" ]
    [ "${lines[10]}" = "Are you sure you want to continue? [y/N] " ]
    run -1 --separate-stderr bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} system reset </dev/null"
    [[ $stderr == "Error: no answer on stdin"* ]]
    run -0 b container exists c1
    run -0 b image exists $IMG
}

@test "system reset -f removes everything and leaves a store that works" {
    b run -d --name r --network none -v vol1:/data $IMG sleep 86400 >/dev/null
    b create --name c2 --network none $IMG true >/dev/null
    b network create netx >/dev/null
    b volume create vol2 >/dev/null
    b image mount $IMG >/dev/null
    pid=$(b inspect --format '{{.State.Pid}}' r)
    run -0 bash -c "echo y | '$BERTH_BIN' ${BERTH_ARGS[*]} system reset"
    retry_until 5 bash -c "! kill -0 $pid 2>/dev/null"
    [ ! -e "$BATS_TEST_TMPDIR/root" ]
    [ ! -e "$BATS_TEST_TMPDIR/runroot" ]
    run -0 awk -v d="$BATS_TEST_TMPDIR/" 'index($2, d) == 1' /proc/self/mounts
    [ "$output" = "" ]
    run -0 b ps -a -q
    [ "$output" = "" ]
    run -0 b images -q
    [ "$output" = "" ]
    run -0 b volume ls -q
    [ "$output" = "" ]
    run -0 b network ls --format '{{.Name}}'
    [ "$output" = "berth" ]
    load_image busybox
    run -0 b run --rm --network none -v vol1:/data $IMG sh -c 'echo works; ls /data | wc -l'
    [ "$output" = "$(printf 'works\n0')" ]
    run -0 b system reset -f
    run -0 b system df --format '{{.Total}}'
    [ "$output" = "$(printf '0\n0\n0')" ]
}

# ---- system check ----

static_dir() { echo "$BATS_TEST_TMPDIR/root/libpod"; }
hex64() { printf "$1%.0s" {1..64}; }

@test "system check: a clean store is clean" {
    b create --name c1 --network none $IMG true >/dev/null
    b volume create v1 >/dev/null
    run -0 b system check
    [ "$output" = "No problems found" ]
    run -0 b system check --quick --repair
    [ "$output" = "No problems found" ]
    run -125 b system check --max soon
}

@test "system check: damaged records, names and exit codes; --repair quarantines and fixes" {
    S=$(static_dir)
    b create --name good --network none $IMG true >/dev/null
    bad=$(b create --name bad --network none $IMG true)
    b volume create v1 >/dev/null
    b volume create v2 >/dev/null
    printf '{"trunc' >"$S/containers/$bad/config.json"
    echo garbage >"$S/volumes/v2/config.json"
    ln -s "../containers/$(hex64 a)" "$S/names/ghost"
    touch -h -d '2 minutes ago' "$S/names/ghost"
    echo junk >"$S/exits/$(hex64 b)"
    run -1 b system check
    [[ $output == *"container $bad: unreadable record: config.json"* ]]
    [[ $output == *"volume v2: unreadable record: "* ]]
    [[ $output == *"name ghost: points at container aaaaaaaaaaaa, which does not exist"* ]]
    [[ $output == *"exit code $(hex64 b): "* ]]
    [[ ${lines[-1]} == "4 problems found, 0 repaired, 4 left; berth system check --repair fixes what it can" ]]
    # the listings go on past the broken ones
    run -0 b ps -a --format '{{.Names}}'
    [[ $output == *good* ]]
    run -0 b system check --repair
    [ "${lines[-1]}" = "4 problems found, 4 repaired, 0 left" ]
    run -0 b system check
    [ "$output" = "No problems found" ]
    # quarantined, with the reason, not deleted
    run -0 cat "$S"/quarantine/containers-"$bad"-*/WHY
    [[ $output == "container $bad: config.json:"* ]]
    [ -f "$(echo "$S"/quarantine/containers-"$bad"-*/config.json)" ]
    [ -f "$(echo "$S"/quarantine/volumes-v2-*/WHY)" ]
    [ ! -e "$S/names/ghost" ]
    # the undamaged ones still work; the quarantined one's rootfs goes with rm -f
    run -0 b start -a good
    run -0 b volume ls -q
    [ "$output" = "v1" ]
    run -0 b create --name bad --network none $IMG true
    run -0 b rm -f "$bad"
    run -0 b system check
    [ "$output" = "No problems found" ]
}

@test "system check: a fresh dangling name is a create in progress, not damage" {
    ln -s "../containers/$(hex64 a)" "$(static_dir)/names/young"
    run -0 b system check
    [ "$output" = "No problems found" ]
}

@test "system check: a created container whose root file system the store lost is reported" {
    id=$(b create --name lostfs --network none $IMG true)
    run -0 b system check
    rm -rf "$BATS_TEST_TMPDIR/root/containers/$id"
    run -1 b system check
    [[ $output == *"container $id: its root file system is missing (a create killed half way, or lost from the store); --repair makes it again from its image"* ]]
    run -0 b system check --repair
    [[ $output == *"container $id: its root file system is missing"*"(repaired)"* ]]
    [ -d "$BATS_TEST_TMPDIR/root/containers/$id" ]
    run -0 b system check
    [ "$output" = "No problems found" ]
    run -0 b start lostfs
}

@test "system check --repair: a missing name link is made again" {
    b create --name c1 --network none $IMG true >/dev/null
    rm "$(static_dir)/names/c1"
    run -1 b system check
    [[ $output == *": its name \"c1\" is missing from the name index"* ]]
    run -0 b system check --repair
    run -0 b system check
    run -0 b inspect --format '{{.Name}}' c1
    [ "$output" = "c1" ]
    # -f alone repairs too, as podman 5.2's --force (lossy repair) does
    rm "$(static_dir)/names/c1"
    run -0 b system check -f
    [[ $output == *": its name \"c1\" is missing from the name index (repaired)"* ]]
    run -0 b system check
    [ "$output" = "No problems found" ]
}

@test "system check: a container's missing lock file is made again; a lock no record names is freed" {
    T=$BATS_TEST_TMPDIR/scratch
    b create --name c1 --network none $IMG true >/dev/null
    b create --name c2 --network none $IMG true >/dev/null
    n=$(jq .lockID "$(static_dir)/containers/$(b inspect --format '{{.Id}}' c1)/config.json")
    rm "$T/locks/$n"
    # a leaked one, and a young one (a create between lock and record)
    touch -d '2 minutes ago' "$T/locks/77"
    touch "$T/locks/78"
    run -1 b system check --quick
    [[ $output == *"lock $(b inspect --format '{{.Id}}' c1): its lock $n is missing"* ]]
    [[ $output == *"lock 77: a container lock no record names"* ]]
    [[ $output != *"lock 78"* ]]
    run -0 b system check --quick --repair
    [[ $output == *"lock 77: a container lock no record names (repaired)"* ]]
    [ -e "$T/locks/$n" ]
    [ ! -e "$T/locks/77" ]
    run -0 b system check --quick
    [ "$output" = "No problems found" ]
    run -0 b start -a c1
    run -0 b rm c1 c2
}

@test "system check: an image with a missing layer or a changed blob; --force takes its containers" {
    load_image layered
    S=$BATS_TEST_TMPDIR/root
    ly=$(b image inspect --format '{{.Id}}' localhost/layered)
    top=$(jq -r '.layers[-1]' "$S/images/$ly.json")
    blob=$(jq -r '.blobs[0]' "$S/images/$(b image inspect --format '{{.Id}}' $IMG).json")
    b create --name user --network none localhost/layered true >/dev/null
    rm -rf "$S/layers/$top/diff"
    run -1 b system check --quick
    [[ $output == *"image $ly: layer ${top:0:12}: its directory "*" is missing"* ]]
    [[ $output == *"its image ${ly:0:12} is damaged; --repair --force removes the container"* ]]
    run -1 b system check --repair
    run -0 b container exists user
    run -0 b system check --repair --force
    run -1 b container exists user
    run -1 b image exists localhost/layered
    run -0 b system check
    [ "$output" = "No problems found" ]
    # a stored blob changed behind the store's back: found unless --quick
    [ -n "$blob" ] && [ "$blob" != null ] || false
    echo tampered >>"$S/blobs/sha256/${blob#sha256:}"
    run -0 b system check --quick
    run -1 b system check
    [[ $output == *"its blob does not match its digest $blob"* ]]
}

@test "system check: a layer with a changed file is unpacked again; without its blob the image goes" {
    S=$BATS_TEST_TMPDIR/root
    id=$(b image inspect --format '{{.Id}}' $IMG)
    top=$(jq -r '.layers[-1]' "$S/images/$id.json")
    D=$S/layers/$top/diff
    [ "$(jq -r '.version' "$S/layers/$top/manifest.json")" = 1 ]
    f=$(cd "$D" && find . -type f -links 1 | sort | head -1)
    f=${f#./}
    [ -n "$f" ]
    cp -a "$D/$f" "$BATS_TEST_TMPDIR/orig"
    echo tampered >>"$D/$f"
    run -0 b system check --quick
    run -1 b system check
    [[ $output == *"layer $top: its files differ from what was unpacked: $f: content changed (image ${id:0:12})"* ]]
    run -0 b system check --repair
    [[ $output == *"layer $top: "*" (repaired)"* ]]
    cmp "$D/$f" "$BATS_TEST_TMPDIR/orig"
    run -0 b system check
    [ "$output" = "No problems found" ]
    run -0 b run --rm --network none $IMG true
    # a file added, a mode changed: both named, counted
    touch "$D/added-by-hand"
    chmod 0600 "$D/$f"
    run -1 b system check
    [[ $output == *"layer $top: its files differ from what was unpacked: 2 files differ from its manifest, first "* ]]
    # a layer unpacked before manifests: one made, nothing reported
    run -0 b system check --repair
    rm "$S/layers/$top/manifest.json"
    run -0 b system check
    [ "$output" = "No problems found" ]
    [ -f "$S/layers/$top/manifest.json" ]
    # changed, and its blob gone: the image is removed as for a missing blob
    echo tampered >>"$D/$f"
    rm "$S/blobs/sha256/$(jq -r '.blob' "$S/layers/$top/layer.json" | cut -d: -f2)"
    run -1 b system check
    [[ $output == *"image $id: layer ${top:0:12}: its blob sha256:"*" is missing"* ]]
    run -0 b system check --repair
    run -1 b image exists $IMG
    run -0 b system check
    [ "$output" = "No problems found" ]
}

@test "system check: a leaked mount, a stale netns, an orphan root file system" {
    S=$BATS_TEST_TMPDIR
    orphan=$S/root/containers/$(hex64 c)/merged
    mkdir -p "$orphan" "$S/scratch/netns"
    mount -t tmpfs tmpfs "$orphan"
    touch "$S/scratch/netns/netns-leak"
    mount --bind /proc/self/ns/net "$S/scratch/netns/netns-leak"
    run -1 b system check
    [[ $output == *"mount $orphan: a mount of no container or image berth knows"* ]]
    [[ $output == *"mount $S/scratch/netns/netns-leak: a network namespace no container names"* ]]
    [[ $output == *"storage $(hex64 c): a container root file system no record names"* ]]
    run -0 b system check --repair
    run -0 b system check
    [ "$output" = "No problems found" ]
    run -1 grep -F -e "$orphan" -e netns-leak /proc/self/mounts
}

@test "system check: the cgroup a container killed with its conmon left; --repair removes it" {
    id=$(b run -d --name victim --network none $IMG sleep 86400)
    b run -d --name alive --network none $IMG sleep 86400 >/dev/null
    pid=$(b inspect --format '{{.State.Pid}}' victim)
    conmon=$(b inspect --format '{{.State.ConmonPid}}' victim)
    cg=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/$pid/cgroup)
    [ "$cg" = "/berth_parent/berth-$id" ]
    kill -9 "$conmon" "$pid"
    retry_until 10 bash -c "! grep -qs '^[^ ]* [^ ]* [RSD]' /proc/$pid/stat"
    [ -d "/sys/fs/cgroup/memory$cg" ]
    run -1 b system check --quick
    [[ $output == *"cgroup $id: its cgroup $cg is left in "*" by a container that no longer runs"* ]]
    [ "${#lines[@]}" = 2 ]
    run -0 b system check --repair --quick
    [ ! -e "/sys/fs/cgroup/memory$cg" ]
    run -0 b system check --quick
    [ "$output" = "No problems found" ]
    # the running one kept its cgroup, and the dead one goes as usual
    run -0 b inspect --format '{{.State.Status}}' alive
    [ "$output" = running ]
    run -0 b rm -f -t 0 victim
}

# dead PID...: waits until none of them runs (zombies count as gone)
dead() { retry_until 10 bash -c "! grep -qs '^[^ ]* [^ ]* [RSD]' $(printf '/proc/%s/stat ' "$@")"; }
# forget STATIC ID NAME: deletes a container's record and name by hand
forget() { rm -rf "$1/containers/$2" "$1/names/$3"; }

@test "system check: cgroups of containers whose record is gone; another store's are never touched" {
    S=$(static_dir)
    b2 load -q -i "$TEST_IMAGES_DIR/busybox.docker.tar" >/dev/null
    live=$(b run -d --name live --network none $IMG sleep 86400)
    gone=$(b run -d --name gone --network none $IMG sleep 86400)
    other=$(b2 run -d --name other --network none $IMG sleep 86400)
    otherdead=$(b2 run -d --name otherdead --network none $IMG sleep 86400)
    live_pid=$(b inspect --format '{{.State.Pid}}' live)
    echo "$live_pid" >"$BATS_TEST_TMPDIR/orphans"
    kill -9 $(b inspect --format '{{.State.ConmonPid}} {{.State.Pid}}' gone) \
        $(b2 inspect --format '{{.State.ConmonPid}} {{.State.Pid}}' otherdead)
    dead $(b inspect --format '{{.State.Pid}}' gone) $(b2 inspect --format '{{.State.Pid}}' otherdead)
    # the records go by hand: a running and a dead container here, a dead one there
    forget "$S" "$live" live
    forget "$S" "$gone" gone
    forget "$BATS_TEST_TMPDIR/root2/libpod" "$otherdead" otherdead
    M=/sys/fs/cgroup/memory/berth_parent
    [ -d "$M/berth-$live" ] && [ -d "$M/berth-$gone" ] && [ -d "$M/berth-$otherdead" ] || false
    run -1 b system check --quick
    [[ $output == *"cgroup $gone: its cgroup /berth_parent/berth-$gone is left in "*" hierarchies by a container whose record is gone"$'\n'* ]]
    [[ $output == *"cgroup $live: its cgroup /berth_parent/berth-$live of a container whose record is gone still holds process $live_pid: left alone"* ]]
    [[ $output != *"$other"* && $output != *"$otherdead"* ]]
    # repair takes the empty one; the one with a process stays, as do
    # its root file system and mounts
    run -1 b system check --quick --repair
    [[ $output == *"cgroup $gone: "*"whose record is gone (repaired)"* ]]
    [[ $output == *"cgroup $live: "*"still holds process $live_pid: left alone"$'\n'* ]]
    [[ $output == *"storage $live: a container root file system no record names, in use by its processes: left alone"* ]]
    [ ! -e "$M/berth-$gone" ]
    [ -d "$M/berth-$live" ]
    kill -0 "$live_pid"
    [ -d "$M/berth-$otherdead" ]
    # its process gone, its cgroup and the rest go too
    kill -9 "$live_pid"
    dead "$live_pid"
    run -0 b system check --quick --repair
    [[ $output == *"cgroup $live: its cgroup /berth_parent/berth-$live is left in "*" (repaired)"* ]]
    [ ! -e "$M/berth-$live" ]
    run -0 b system check --quick
    [ "$output" = "No problems found" ]
    # the other store: untouched, and its own check finds its own
    [ -d "$M/berth-$otherdead" ]
    run -0 b2 inspect --format '{{.State.Status}}' other
    [ "$output" = running ]
    run -1 b2 system check --quick
    [[ $output == *"cgroup $otherdead: its cgroup /berth_parent/berth-$otherdead is left in "* ]]
    [[ $output != *"$live"* && $output != *"$gone"* ]]
    run -0 b2 system check --quick --repair
    [ ! -e "$M/berth-$otherdead" ]
    [ -d "$M/berth-$other" ]
}

@test "system check: the cgroup of a pod whose record is gone; --repair removes it" {
    S=$(static_dir)
    pod=$(b pod create --infra=false --name p)
    b run -d --pod p --name m1 --network none $IMG sleep 86400 >/dev/null
    m1=$(b inspect --format '{{.Id}}' m1)
    M=/sys/fs/cgroup/memory/berth_parent
    [ -d "$M/$pod/berth-$m1" ]
    b stop -t 0 m1 >/dev/null
    [ -d "$M/$pod" ]
    rm -rf "$S/pods/$pod" "$S/names/p"
    forget "$S" "$m1" m1
    run -1 b system check --quick
    [[ $output == *"cgroup $pod: its cgroup /berth_parent/$pod is left in "*" by a pod whose record is gone"* ]]
    run -0 b system check --quick --repair
    [[ $output == *"cgroup $pod: "*"(repaired)"* ]]
    for h in memory cpu pids; do
        [ ! -e "/sys/fs/cgroup/$h/berth_parent/$pod" ] || { echo "# cgroup $h left"; false; }
    done
    run -0 b system check --quick
    [ "$output" = "No problems found" ]
    # a pod removed the ordinary way leaves no entry behind
    b pod create --infra=false --name q >/dev/null
    b run --rm --pod q --network none $IMG true
    b pod rm -f q >/dev/null
    run -0 ls -A "$BATS_TEST_TMPDIR/scratch/cgroups"
    [ -z "$output" ]
}

@test "system check: the netns and firewall rules a killed bridge container left; --repair removes them" {
    export IMG S=$(static_dir) T=$BATS_TEST_TMPDIR/scratch
    run in_netns '
        b run --name done $IMG true
        b create --name made $IMG true >/dev/null
        b run -d --name alive $IMG sleep 86400 >/dev/null
        id=$(b run -d --name victim -p 8080:80 $IMG sleep 86400)
        ns=$(jq -r .netNS $S/containers/$id/state.json)
        ip=$(jq -r "[.networkStatus.results[].interfaces[].subnets[0].ipnet][0]" $S/containers/$id/state.json | cut -d/ -f1)
        [ -f "$T/networks/status/$id.json" ] || fail "no status file"
        iptables-save | grep -q "$ip" || fail "no firewall rule names $ip"
        pid=$(b inspect --format "{{.State.Pid}}" victim)
        kill -9 $(b inspect --format "{{.State.ConmonPid}}" victim) $pid
        for i in $(seq 100); do grep -qs "^[^ ]* [^ ]* [RSD]" /proc/$pid/stat || break; sleep 0.1; done
        out=$(b system check --quick) && fail "check found nothing: $out"
        echo "$out" | grep -qF "network $id: its network set-up (firewall rules, addresses) and its network namespace of a container that no longer runs are left" || fail "check: $out"
        b system check --quick --repair >/dev/null || fail "repair failed: $(b system check --quick)"
        [ "$(b system check --quick)" = "No problems found" ] || fail "not clean: $(b system check --quick)"
        grep -qF "$ns" /proc/self/mounts && fail "$ns still mounted"
        [ ! -e "$T/networks/status/$id.json" ] || fail "status file left"
        iptables-save | grep -q "$ip" && fail "a firewall rule still names $ip: $(iptables-save | grep "$ip")"
        [ "$(b inspect --format "{{.State.Status}}" alive)" = running ] || fail "alive is not running"
        b rm -f -t 0 victim >/dev/null
        # a record removed by hand under a running container: its set-up is an orphan
        id=$(b inspect --format "{{.Id}}" alive)
        pid=$(b inspect --format "{{.State.Pid}}" alive)
        ip=$(jq -r "[.networkStatus.results[].interfaces[].subnets[0].ipnet][0]" $S/containers/$id/state.json | cut -d/ -f1)
        kill -9 $(b inspect --format "{{.State.ConmonPid}}" alive) $pid
        rm -rf "$S/containers/$id" "$S/names/alive"
        out=$(b system check --quick) && fail "check found nothing: $out"
        echo "$out" | grep -qF "network $id: the network set-up (firewall rules, addresses) of a container that no longer exists is left" || fail "check: $out"
        b system check --quick --repair >/dev/null || fail "repair failed: $(b system check --quick)"
        [ ! -e "$T/networks/status/$id.json" ] || fail "orphan status file left"
        b run --rm $IMG true'
    [ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "system check --max: an old exit code of a removed container is stale" {
    id=$(hex64 d)
    b run --rm --network none $IMG true
    printf '{"code": 3, "time": 1000000000000000000, "version": 1}' >"$(static_dir)/exits/$id"
    run -0 b system check --max 1000000h
    run -1 b system check
    [[ $output == *"exit code $id: exit code 3 of a container removed "*"s ago (older than --max)"* ]]
    run -0 b system check --repair
    [ ! -e "$(static_dir)/exits/$id" ]
}

@test "system check --max: a layer nothing uses is reported and removed once it is --max old" {
    S=$BATS_TEST_TMPDIR/root
    top=$(jq -r '.layers[-1]' "$S/images/$(b image inspect --format '{{.Id}}' $IMG).json")
    stray=$(hex64 e)
    cp -a "$S/layers/$top" "$S/layers/$stray"
    # young: it may be a writer's, not reported
    run -0 b system check
    [ "$output" = "No problems found" ]
    touch -d '3 days ago' "$S/layers/$stray"
    run -0 b system check --max 100h
    run -1 b system check
    [[ $output == *"layer $stray: a layer no image or container uses"* ]]
    [[ $output != *"$top"* ]]
    run -0 b system check --repair --max 48h
    [[ $output == *"layer $stray: a layer no image or container uses (repaired)"* ]]
    [ ! -e "$S/layers/$stray" ]
    [ -d "$S/layers/$top/diff" ]
    run -0 b system check
    [ "$output" = "No problems found" ]
    run -0 b run --rm --network none $IMG echo ok
}

@test "listings show broken volumes and images as rows of their own; the error names the fix" {
    load_image layered
    b volume create v1 >/dev/null
    b volume create v2 >/dev/null
    echo garbage >"$(static_dir)/volumes/v2/config.json"
    ly=$(b image inspect --format '{{.Id}}' localhost/layered)
    echo '{"bad' >"$BATS_TEST_TMPDIR/root/images/$ly.json"
    run -0 --separate-stderr b volume ls
    [ "$output" = "$(printf 'DRIVER      VOLUME NAME\nlocal       v1\n(broken)    v2')" ]
    [[ $stderr == *"volume v2: "*"invalid JSON"* ]]
    run -0 --separate-stderr b volume ls -q
    [ "$output" = "$(printf 'v1\nv2')" ]
    run -0 --separate-stderr b volume ls --format json
    [ "$(jq -r '.[1].Broken' <<<"$output")" != null ]
    run -125 --separate-stderr b volume inspect v2
    [[ $stderr == *"invalid JSON"*"(\`berth system check --repair\` moves the broken record aside)" ]]
    run -0 --separate-stderr b images
    [[ ${lines[2]} =~ ^\<broken\>\ +\<broken\>\ +${ly:0:12}\ +broken\ record ]]
    run -0 --separate-stderr b images -q
    [[ $output == *"${ly:0:12}"* ]]
    run -1 b system check
    [[ $output == *"image $ly: unreadable record: "* ]]
    run -0 b system check --repair
    run -0 b system check
    [ -f "$(echo "$BATS_TEST_TMPDIR"/root/quarantine/images-"$ly"-*/"$ly".json)" ]
    run -0 --separate-stderr b images -q
    [ "$output" = "$(b image inspect --format '{{.Id}}' $IMG | cut -c1-12)" ]
    run -0 b run --rm --network none $IMG echo ok
}

@test "rmi while another image's record does not read keeps that image's layers; the restored record works" {
    load_image layered
    S=$BATS_TEST_TMPDIR/root
    ly=$(b image inspect --format '{{.Id}}' localhost/layered)
    mapfile -t layers < <(jq -r '.layers[]' "$S/images/$ly.json")
    [ "${#layers[@]}" -eq 3 ]
    cp "$S/images/$ly.json" "$BATS_TEST_TMPDIR/good.json"
    echo '{"bad' >"$S/images/$ly.json"
    # busybox's one layer is layered's first: with layered unreadable,
    # nothing may be taken for unused
    run -0 --separate-stderr b --log-level info rmi $IMG
    [[ $stderr == *"unused layers are kept until every image record reads"* ]]
    for l in "${layers[@]}"; do [ -d "$S/layers/$l/diff" ]; done
    run -1 b system check --max 0s
    [[ $output == *"image $ly: unreadable record: "* ]]
    [[ $output != *"no image or container uses"* ]]
    run -0 b system check --repair
    [ -f "$(echo "$S"/quarantine/images-"$ly"-*/"$ly".json)" ]
    # the record put back whole (a backup, or the quarantined one mended)
    cp "$BATS_TEST_TMPDIR/good.json" "$S/images/$ly.json"
    run -0 b system check
    [ "$output" = "No problems found" ]
    run -0 b run --rm --network none $ly sh -c 'test ! -e /data/gone && echo ok'
    [ "$output" = ok ]
    # once every record reads, the next removal collects again
    run -0 b rmi $ly
    for l in "${layers[@]}"; do [ ! -e "$S/layers/$l" ]; done
}

@test "the error about a damaged container record or a missing layer names system check --repair" {
    bad=$(b create --name bad --network none $IMG true)
    b create --name c1 --network none $IMG true >/dev/null
    printf '{"trunc' >"$(static_dir)/containers/$bad/config.json"
    run -125 --separate-stderr b start bad
    [[ $stderr == "Error: container $bad: "*"invalid JSON"*" (\`berth system check --repair\` moves the broken record aside)" ]]
    run -0 b system check --repair
    run -0 b system check
    top=$(jq -r '.layers[-1]' "$BATS_TEST_TMPDIR/root/images/$(b image inspect --format '{{.Id}}' $IMG).json")
    rm -rf "$BATS_TEST_TMPDIR/root/layers/$top/diff"
    run -125 --separate-stderr b start c1
    [[ $stderr == *"layer ${top:0:12}: its directory "*" is missing (\`berth system check --repair --force\` removes its image and the containers using it)" ]]
    run -0 b system check --repair --force
    run -1 b container exists c1
}

@test "a broken pod record: a row in pod ps, pod inspect --why says why, check --repair quarantines it; reset removes pods" {
    b pod create --name good --infra=false >/dev/null
    bad=$(b pod create --name bad --infra=false)
    b create --pod bad --name m1 --network none $IMG true >/dev/null
    printf '{"trunc' >"$(static_dir)/pods/$bad/config.json"
    run -0 b pod ps --format '{{.ID}} {{.Name}} {{.Status}}'
    [[ $output == *"${bad:0:12} <broken> Error: config.json:1:7: invalid JSON"* ]]
    [[ $output == *" good Created"* ]]
    run -0 b pod ps -q
    [ "$(wc -l <<<"$output")" = 2 ]
    run -125 --separate-stderr b pod inspect bad
    [[ $stderr == *"invalid JSON"*"(\`berth system check --repair\` moves the broken record aside)" ]]
    run -0 b pod inspect --why --format '{{.Record.Damage}} {{len .Members}}' bad
    [[ $output == "config.json:1:7: invalid JSON"*" 1" ]]
    run -0 b inspect --why --format '{{.Kind}} {{.Id}}' "$bad"
    [ "$output" = "pod $bad" ]
    run -0 b pod inspect --why --format '{{.Record.Damage}}' good
    [ "$output" = "" ]
    run -1 b system check
    [[ $output == *"pod $bad: unreadable record: config.json:1:7: invalid JSON"* ]]
    run -0 b system check --repair
    run -0 b system check
    [ "$output" = "No problems found" ]
    [ -f "$(echo "$(static_dir)"/quarantine/pods-"$bad"-*/WHY)" ]
    run -0 b pod ps --format '{{.Name}}'
    [ "$output" = good ]
    # system reset removes pods, and their containers with them
    b create --pod good --name m2 --network none $IMG true >/dev/null
    run -0 b system reset -f
    run -0 b pod ps -q
    [ "$output" = "" ]
    run -0 b ps -aq
    [ "$output" = "" ]
}

@test "inspect --why: the evidence behind running, exited and damaged containers" {
    b run -d --name r --network none $IMG sleep 86400 >/dev/null
    b run --name e --network none $IMG sh -c 'exit 3' || true
    b wait e >/dev/null
    bad=$(b create --name bad --network none $IMG true)
    printf '{"trunc' >"$(static_dir)/containers/$bad/state.json"
    run -0 b inspect --why --format '{{.Record.State}} {{.Conmon.Alive}} {{.Conmon.SameStart}} {{.Process.Alive}} {{.RootFS.MountedNow}} {{.Lock.Number}}' r
    [[ $output =~ ^running\ true\ true\ true\ true\ [0-9]+$ ]]
    pid=$(b inspect --format '{{.State.Pid}}' r)
    run -0 b inspect --why --format '{{.Process.Pid}}' r
    [ "$output" = "$pid" ]
    retry_until 10 bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} inspect --why --format '{{.Exit.ExitCodeRecord}} {{.Process.Alive}} {{.Conmon.Alive}} {{.Lock.Held}}' e | grep -qx '3 false false false'"
    run -0 b inspect --why --format '{{.Record.Damage}}' bad
    [[ $output == "state.json:"*"invalid JSON"* ]]
    run -0 b inspect --why r e
    [ "$(jq length <<<"$output")" = 2 ]
    run -125 b inspect --why nosuch
    [[ $output == *"no such container"* ]]
}

@test "inspect --why: a finished create has no pending intent; a killed one has" {
    # create leaves its intent on disk; its root file system is the
    # evidence that it finished, as the next locked command finds it
    b create --name done --network none $IMG true >/dev/null
    run -0 b inspect --why --format '{{.Record.State}} [{{.Record.Intent}}] {{.Record.IntentPid}}' done
    [ "$output" = "created [] 0" ]
    # killed once its root file system was made: finished all the same
    BERTH_TEST_CRASH_AT=create:storage run -137 b create --name late --network none $IMG true
    run -0 b inspect --why --format '[{{.Record.Intent}}] {{.Record.IntentPid}}' late
    [ "$output" = "[] 0" ]
    # killed before it: pending, with the process that left it
    BERTH_TEST_CRASH_AT=create:record run -137 b create --name early --network none $IMG true
    run -0 b inspect --why --format '{{.Record.Intent}} {{.Record.IntentPid}}' early
    [[ $output =~ ^create\ [1-9][0-9]*$ ]] || { echo "$output"; false; }
    # the next locked command finishes it: then there is none
    run -0 b init early
    run -0 b inspect --why --format '[{{.Record.Intent}}]' early
    [ "$output" = "[]" ]
}
