# test/bats/volume.bats: the volume commands on their own: create, ls,
# inspect, rm, prune, exists, mount/unmount, export/import, reload.
# Volumes used by containers: volume_ctr.bats.
load helpers

setup()    { berth_setup; }
teardown() { berth_teardown; }

@test "volume create makes the data dir and the record podman's inspect shows" {
    run -0 b volume create -l app=web,tier -l x=y data
    [ "$output" = data ]
    [ -d "$BATS_TEST_TMPDIR/root/volumes/data/_data" ]
    [ "$(stat -c %a "$BATS_TEST_TMPDIR/root/volumes/data")" = 700 ]
    [ "$(stat -c %a "$BATS_TEST_TMPDIR/root/volumes/data/_data")" = 755 ]
    run -0 b volume inspect data
    [[ $output == "["* ]]
    run -0 b volume inspect --format '{{.Name}} {{.Driver}} {{.Scope}} {{.Mountpoint}} {{.MountCount}} {{.NeedsCopyUp}} {{.Anonymous}}' data
    [ "$output" = "data local local $BATS_TEST_TMPDIR/root/volumes/data/_data 0 true false" ]
    run -0 b volume inspect --format '{{.Labels.app}}|{{.Labels.tier}}|{{.Labels.x}}|{{json .Options}}' data
    [ "$output" = "web||y|{}" ]
    # JSON keys in podman's order; omitted when empty, as podman does
    run -0 b volume inspect data
    keys=$(echo "$output" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)[0].keys()))')
    [ "$keys" = "Name Driver Mountpoint CreatedAt Labels Scope Options MountCount NeedsCopyUp NeedsChown" ]
    # a name is generated when none is given
    run -0 b volume create
    [[ $output =~ ^[0-9a-f]{64}$ ]]
}

@test "volume create refuses what podman refuses" {
    run -0 b volume create v1
    run -125 --separate-stderr b volume create v1
    [ "$stderr" = "Error: volume with name v1 already exists: volume already exists" ]
    run -0 b volume create --ignore v1
    [ "$output" = v1 ]
    run -125 --separate-stderr b volume create 'bad name'
    [[ $stderr == *"names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"* ]]
    run -125 --separate-stderr b volume create -o foo=bar x1
    [ "$stderr" = "Error: invalid mount option foo for driver 'local': invalid argument" ]
    run -125 --separate-stderr b volume create --driver foo x2
    [[ $stderr == *"volume x2 uses volume plugin foo but it could not be retrieved"* ]]
    run -125 --separate-stderr b volume create -o type=bind -o device=/nonexistent x3
    [[ $stderr == *"invalid volume option device for driver 'local': stat /nonexistent: no such file or directory" ]]
    run -125 --separate-stderr b volume create -o o=size=10m x4
    [[ $stderr == *"Filesystem does not support Project Quota"* ]]
    run -125 --separate-stderr b volume create a b
    [[ $stderr == *"accepts at most 1 arg(s), received 2"* ]]
    run -0 b volume ls -q
    [ "$output" = v1 ]
}

@test "volume ls: table, quiet, json, templates; nothing at all when empty" {
    run -0 b volume ls
    [ -z "$output" ]
    run -0 b volume ls --format json
    [ "$output" = "[]" ]
    b volume create b2 >/dev/null
    b volume create a1 >/dev/null
    run -0 b volume ls
    [ "${lines[0]}" = "DRIVER      VOLUME NAME" ]
    [ "${lines[1]}" = "local       a1" ]
    [ "${lines[2]}" = "local       b2" ]
    run -0 b volume ls --noheading
    [ "${lines[0]}" = "local       a1" ]
    run -0 b volume ls -q
    [ "$output" = "$(printf 'a1\nb2')" ]
    run -0 b volume ls --format '{{.Name}}:{{.Mountpoint}}'
    [ "${lines[0]}" = "a1:$BATS_TEST_TMPDIR/root/volumes/a1/_data" ]
    run -0 b volume ls --format 'table {{.Name}} {{.Scope}}'
    [ "${lines[0]}" = "VOLUME NAME  SCOPE" ] || [[ ${lines[0]} == "VOLUME NAME"*"SCOPE" ]]
    run -0 b volume ls --format json
    [ "$(echo "$output" | python3 -c 'import json,sys; print([v["Name"] for v in json.load(sys.stdin)])')" = "['a1', 'b2']" ]
    run -125 --separate-stderr b volume ls -q --format '{{.Name}}'
    [ "$stderr" = "Error: quiet and format flags cannot be used together" ]
    run -125 --separate-stderr b volume ls extra
    [[ $stderr == *"takes no arguments"* ]]
}

@test "volume ls --filter: values of a key OR (label too, as podman's ls), keys AND; bad filters refused" {
    b volume create -l env=prod -l team=a p1 >/dev/null
    b volume create -l env=dev q1 >/dev/null
    b volume create -o type=tmpfs -o device=tmpfs t1 >/dev/null
    run -0 b volume ls -q --filter label=env
    [ "$output" = "$(printf 'p1\nq1')" ]
    run -0 b volume ls -q --filter label=env=dev
    [ "$output" = q1 ]
    run -0 b volume ls -q --filter label=env --filter label=team
    [ "$output" = "$(printf 'p1\nq1')" ]
    run -0 b volume ls -q --filter label=env=dev --filter label=team=a
    [ "$output" = "$(printf 'p1\nq1')" ]
    run -0 b volume ls -q --filter 'label!=env'
    [ "$output" = t1 ]
    run -0 b volume ls -q --filter name=1 --filter label=env=prod
    [ "$output" = p1 ]
    run -0 b volume ls -q --filter name=^p --filter name=^t
    [ "$output" = "$(printf 'p1\nt1')" ]
    run -0 b volume ls -q --filter opt=type=tmpfs
    [ "$output" = t1 ]
    run -0 b volume ls -q --filter driver=local --filter scope=local
    [ "${#lines[@]}" = 3 ]
    run -0 b volume ls -q --filter dangling=true
    [ "${#lines[@]}" = 3 ]
    run -0 b volume ls -q --filter dangling=false
    [ -z "$output" ]
    run -0 b volume ls -q --filter until=2000-01-01
    [ -z "$output" ]
    run -0 b volume ls -q --filter until=1h --filter name=q
    [ -z "$output" ]
    run -0 b volume ls -q --filter until=-1h --filter name=q
    [ "$output" = q1 ]
    run -125 --separate-stderr b volume ls --filter bogus=1
    [ "$stderr" = 'Error: "bogus" is an invalid volume filter' ]
    run -125 --separate-stderr b volume ls --filter until=yesterday
    [ "$stderr" = 'Error: failed to parse value as time or duration: "yesterday"' ]
    run -125 --separate-stderr b volume ls --filter dangling=maybe
    [ "$stderr" = 'Error: "maybe" is not a valid value for the "dangling" filter - must be true or false' ]
    run -125 --separate-stderr b volume ls --filter name
    [ "$stderr" = "Error: filter input must be in the form of filter=value: name is invalid" ]
}

@test "volume inspect: prefixes, --all, missing names after the found ones" {
    b volume create alpha >/dev/null
    b volume create beta >/dev/null
    run -0 b volume inspect --format '{{.Name}}' al
    [ "$output" = alpha ]
    run -0 b volume inspect --all --format '{{.Name}}'
    [ "$output" = "$(printf 'alpha\nbeta')" ]
    run -125 --separate-stderr b volume inspect --format '{{.Name}}' alpha nosuch
    [ "$output" = alpha ]
    [ "$stderr" = "Error: inspecting object: no such volume nosuch" ]
    run -125 --separate-stderr b volume inspect
    [ "$stderr" = "Error: provide one or more volume names or use --all" ]
    run -125 --separate-stderr b volume inspect -a alpha
    [ "$stderr" = "Error: provide one or more volume names or use --all" ]
    run -125 b volume inspect --format '{{.Nope}}' alpha
    [[ $output == *"can't evaluate field Nope"* ]]
}

@test "the top-level inspect finds volumes: --type volume, and after containers and images" {
    b volume create alpha >/dev/null
    run -0 b inspect --format '{{.Name}} {{.Driver}}' alpha
    [ "$output" = "alpha local" ]
    run -125 --separate-stderr b inspect --type volume --format '{{.Name}}' alpha nosuch
    [ "$output" = alpha ]
    [ "$stderr" = "Error: inspecting object: no such volume nosuch" ]
    run -125 --separate-stderr b inspect --format '{{.Name}}' alpha nosuch
    [ "$output" = alpha ]
    [ "$stderr" = 'Error: inspecting object: no such object: "nosuch"' ]
    run -125 --separate-stderr b inspect --type image alpha
    [[ $stderr == *alpha* ]]
}

@test "volume rm: goes on after a missing one (exit 1), --all, --force, --time" {
    b volume create r1 >/dev/null
    b volume create r2 >/dev/null
    run -1 --separate-stderr b volume rm nosuch r1 nosuch2
    [ "$output" = r1 ]
    [ "${#stderr_lines[@]}" = 2 ]
    [ "${stderr_lines[0]}" = 'Error: no volume with name "nosuch" found: no such volume' ]
    [ "${stderr_lines[1]}" = 'Error: no volume with name "nosuch2" found: no such volume' ]
    [ ! -e "$BATS_TEST_TMPDIR/root/volumes/r1" ]
    run -0 b volume rm -f nosuch
    [ -z "$output" ]
    run -125 --separate-stderr b volume rm
    [ "$stderr" = "Error: choose either one or more volumes or all" ]
    run -125 --separate-stderr b volume rm -a r2
    [ "$stderr" = "Error: choose either one or more volumes or all" ]
    run -125 --separate-stderr b volume rm -t 3 r2
    [ "$stderr" = "Error: --force option must be specified to use the --time option" ]
    b volume create r3 >/dev/null
    run -0 b volume rm --all
    [ "$output" = "$(printf 'r2\nr3')" ]
    run -0 b volume ls -q
    [ -z "$output" ]
}

@test "volume prune: only unused ones, filters, and the question without -f" {
    b volume create -l keep=1 k1 >/dev/null
    b volume create -l tmp=1 t1 >/dev/null
    b volume create -l tmp=1 t2 >/dev/null
    run -0 b volume prune -f --filter label=tmp
    [ "$output" = "$(printf 't1\nt2')" ]
    run -0 b volume ls -q
    [ "$output" = k1 ]
    # no answer: nothing goes, podman's "Error: EOF"
    run -125 --separate-stderr b volume prune < /dev/null
    [[ $output == *"The following volumes will be removed:"*"k1"*"[y/N]"* ]]
    [ "$stderr" = "Error: EOF" ]
    run -0 b volume prune <<< n
    run -0 b volume ls -q
    [ "$output" = k1 ]
    run -0 b volume ls -q
    [ "$output" = k1 ]
    run -0 b volume prune <<< y
    [[ $output == *"[y/N] k1" ]]
    run -0 b volume prune -f
    [ -z "$output" ]
    run -0 b volume prune --filter label=x < /dev/null
    [[ $output == *"No dangling volumes found" ]]
}

@test "volume exists and reload" {
    b volume create here >/dev/null
    run -0 b volume exists here
    run -1 b volume exists her
    run -1 b volume exists nosuch
    run -125 --separate-stderr b volume exists
    [[ $stderr == *"accepts 1 arg(s), received 0"* ]]
    run -0 --separate-stderr b volume reload
    [ -z "$output" ]
    [[ $stderr == *"no volume plugins"* ]]
}

@test "a tmpfs volume is mounted while in use, counted, and exported" {
    run -0 b volume create -o type=tmpfs -o device=tmpfs -o o=size=4m,mode=0750 tv
    run -0 b volume mount tv
    mp=$BATS_TEST_TMPDIR/root/volumes/tv/_data
    [ "$output" = "$mp" ]
    grep -q " $mp tmpfs " /proc/self/mounts
    [ "$(stat -c %a "$mp")" = 750 ]
    run -0 b volume mount tv
    run -0 b volume inspect --format '{{.MountCount}}' tv
    [ "$output" = 2 ]
    mkdir "$mp/sub"; echo hello > "$mp/sub/f"; ln -s f "$mp/sub/l"; ln "$mp/sub/f" "$mp/hard"
    run -0 b volume unmount tv
    [ "$output" = tv ]
    grep -q " $mp tmpfs " /proc/self/mounts
    b volume export tv > "$BATS_TEST_TMPDIR/tv.tar"
    run -0 tar -tf "$BATS_TEST_TMPDIR/tv.tar"
    [ "$output" = "$(printf 'hard\nsub/\nsub/f\nsub/l')" ]
    run -0 b volume unmount tv
    ! grep -q " $mp tmpfs " /proc/self/mounts || false
    run -0 b volume inspect --format '{{.MountCount}}' tv
    [ "$output" = 0 ]
    # unmounting what is not mounted is no error
    run -0 b volume unmount tv
}

@test "volume export and import round trip, through a file and stdin" {
    b volume create src >/dev/null
    b volume create dst >/dev/null
    b volume create dst2 >/dev/null
    d=$BATS_TEST_TMPDIR/root/volumes/src/_data
    mkdir -p "$d/a/b"; echo one > "$d/a/b/f"; chmod 640 "$d/a/b/f"; ln -s b/f "$d/a/l"
    mkfifo "$d/fifo"; chown 12:34 "$d/a/b/f"
    run -0 b volume export -o "$BATS_TEST_TMPDIR/src.tar" src
    [ -z "$output" ]
    run -0 b volume import dst "$BATS_TEST_TMPDIR/src.tar"
    e=$BATS_TEST_TMPDIR/root/volumes/dst/_data
    [ "$(cat "$e/a/b/f")" = one ]
    [ "$(stat -c '%a %u %g' "$e/a/b/f")" = "640 12 34" ]
    [ "$(readlink "$e/a/l")" = b/f ]
    [ -p "$e/fifo" ]
    b volume export src | b volume import dst2 -
    [ "$(cat "$BATS_TEST_TMPDIR/root/volumes/dst2/_data/a/b/f")" = one ]
    run -125 --separate-stderr b volume export nosuch
    [ "$stderr" = "Error: no such volume nosuch" ]
    run -125 --separate-stderr b volume import dst /nonexistent
    [ "$stderr" = "Error: open /nonexistent: no such file or directory" ]
    run -125 --separate-stderr b volume import dst
    [[ $stderr == *"accepts 2 arg(s), received 1"* ]]
}

@test "volume import never writes outside the volume" {
    b volume create jail >/dev/null
    python3 - "$BATS_TEST_TMPDIR/evil.tar" <<'EOF'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name in ("../escaped", "/abs-escaped"):
        ti = tarfile.TarInfo(name); data = b"x"; ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    ti = tarfile.TarInfo("link"); ti.type = tarfile.SYMTYPE; ti.linkname = "/"
    t.addfile(ti)
    ti = tarfile.TarInfo("link/through"); ti.size = 1
    t.addfile(ti, io.BytesIO(b"x"))
EOF
    b volume import jail "$BATS_TEST_TMPDIR/evil.tar" || true
    [ ! -e "$BATS_TEST_TMPDIR/root/volumes/jail/escaped" ]
    [ ! -e "$BATS_TEST_TMPDIR/root/volumes/escaped" ]
    [ ! -e /abs-escaped ] && [ ! -e /through ] || false
}

@test "a bind volume shows its host directory while mounted" {
    mkdir "$BATS_TEST_TMPDIR/host"
    echo there > "$BATS_TEST_TMPDIR/host/file"
    run -0 b volume create -o type=bind -o device="$BATS_TEST_TMPDIR/host" bv
    run -0 b volume mount bv
    [ "$(cat "$output/file")" = there ]
    run -0 b volume unmount bv
    [ ! -e "$BATS_TEST_TMPDIR/root/volumes/bv/_data/file" ]
}

@test "o=uid=,gid= set the owner of the data, as podman's" {
    run -0 b volume create -o o=uid=1234,gid=5678 owned
    [ "$(stat -c '%u %g' "$BATS_TEST_TMPDIR/root/volumes/owned/_data")" = "1234 5678" ]
    run -0 b volume inspect --format '{{.UID}} {{.GID}} {{.NeedsChown}} {{json .Options}}' owned
    [ "$output" = '1234 5678 false {"GID":"5678","UID":"1234","o":"uid=1234,gid=5678"}' ]
    run -125 --separate-stderr b volume create -o o=uid=x bad
    [[ $stderr == *"cannot convert UID x to integer"* ]]
}

@test "volume events: create, remove, prune, mount, unmount" {
    b volume create e1 >/dev/null
    b volume create -o type=tmpfs -o device=tmpfs e2 >/dev/null
    b volume mount e2 >/dev/null
    b volume unmount e2 >/dev/null
    b volume rm e1 >/dev/null
    b volume prune -f >/dev/null
    run -0 b events --stream=false --filter type=volume --format '{{.Status}} {{.Name}}'
    [ "$output" = "$(printf 'create e1\ncreate e2\nmount e2\nunmount e2\nremove e1\nremove e2\nprune e2')" ]
    run -0 b events --stream=false --filter type=volume --format json
    [[ ${lines[0]} == '{"Name":"e1","Status":"create","Time":"'*'","Type":"volume","Attributes":null}' ]]
}

@test "two creates of one name race cleanly: one wins, one is told" {
    for i in 1 2 3 4; do b volume create same >/dev/null 2>&1 & done
    wait
    run -0 b volume ls -q
    [ "$output" = same ]
    [ -d "$BATS_TEST_TMPDIR/root/volumes/same/_data" ]
}

@test "a bind volume's mount a kill left on _data: volume rm detaches it, the host dir untouched" {
    host=$BATS_TEST_TMPDIR/host
    mkdir -p "$host/data"
    echo keep > "$host/data/file"
    run -0 b volume create -o type=none -o o=bind -o device="$host" v1
    # what a kill between the volume's mount and its record leaves: the
    # host dir bind-mounted on _data, the record saying it is not mounted
    mount --bind "$host" "$BATS_TEST_TMPDIR/root/volumes/v1/_data"
    run -0 b volume rm v1
    [ "$(cat "$host/data/file")" = keep ]
    ! grep -q "$BATS_TEST_TMPDIR/root/volumes" /proc/self/mounts || false
    [ ! -e "$BATS_TEST_TMPDIR/root/volumes/v1" ]
    run -0 b volume create -o type=none -o o=bind -o device="$host" v1
    run -0 b volume rm v1
    [ "$(cat "$host/data/file")" = keep ]
}
