# test/bats/volume_ctr.bats: volumes in containers: -v NAME:/dst, -v /dst,
# the image's VOLUMEs and their copy-up, --volumes-from, --mount
# type=volume|bind|tmpfs|devpts|image, U, O, z, rm -v, and what inspect
# says about them.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

VOLIMG=localhost/volimg

@test "a named volume is made on first use, shared, and outlives its containers" {
    run -0 b run --rm --network none -v data:/data $IMG sh -c 'echo one > /data/f'
    run -0 b volume ls -q
    [ "$output" = data ]
    run -0 b volume inspect --format '{{.Anonymous}} {{.MountCount}}' data
    [ "$output" = "false 0" ]
    # two containers at once: what one writes the other reads
    run -0 b run -d --name writer --network none -v data:/w $IMG sh -c 'echo two > /w/g; sleep 60'
    retry_until 10 test -e "$BATS_TEST_TMPDIR/root/volumes/data/_data/g"
    run -0 b run --rm --network none -v data:/r:ro $IMG cat /r/f /r/g
    [ "$output" = "$(printf 'one\ntwo')" ]
    run -1 b run --rm --network none -v data:/r:ro $IMG sh -c 'echo x > /r/h'
    b rm -f -t 0 writer >/dev/null
    [ "$(cat "$BATS_TEST_TMPDIR/root/volumes/data/_data/f")" = one ]
}

@test "anonymous volumes: made per container, rm -v and --rm remove them, rm keeps them" {
    run -0 b create --name a1 --network none -v /scratch $IMG true
    run -0 b volume ls -q
    [[ $output =~ ^[0-9a-f]{64}$ ]]
    anon=$output
    run -0 b volume inspect --format '{{.Anonymous}}' "$anon"
    [ "$output" = true ]
    run -0 b rm a1
    run -0 b volume ls -q
    [ "$output" = "$anon" ]
    run -0 b create --name a2 --network none -v /scratch -v keep:/keep $IMG true
    run -0 b rm -v a2
    run -0 b volume ls -q
    [ "$output" = "$(printf '%s\nkeep' "$anon")" ]
    run -0 b run --rm --network none -v /scratch $IMG true
    run -0 b volume ls -q
    [ "$output" = "$(printf '%s\nkeep' "$anon")" ]
}

@test "the image's VOLUMEs: copy-up of content, owner and mode, once" {
    load_image volimg
    run -0 b run --name first --network none $VOLIMG sh -c 'cat /vdata/seed /vdata/sub/deep; readlink /vdata/link; stat -c "%u:%g %a" /vdata; ls -A /fresh | wc -l; stat -c %Y /vdata /vdata/sub'
    [ "$output" = "$(printf 'seeded\ndeep\nseed\n1000:1000 750\n0\n1700000000\n1700000000')" ]
    run -0 b inspect first --format '{{range .Mounts}}{{.Destination}}={{.Name}} {{end}}'
    vdata=$(echo "$output" | tr ' ' '\n' | sed -n 's|^/vdata=||p')
    fresh=$(echo "$output" | tr ' ' '\n' | sed -n 's|^/fresh=||p')
    [ -n "$vdata" ] && [ -n "$fresh" ] || false
    run -0 b volume inspect --format '{{.Anonymous}} {{.NeedsCopyUp}} {{.NeedsChown}}' "$vdata"
    [ "$output" = "true false false" ]
    # nothing was there to copy: the next user may still bring something
    run -0 b volume inspect --format '{{.NeedsCopyUp}}' "$fresh"
    [ "$output" = true ]
    # the copy happens once: a change stays, and a second container sees it
    rm "$BATS_TEST_TMPDIR/root/volumes/$vdata/_data/seed"
    run -0 b start -a first
    [[ $output == *"No such file"* ]] || [[ $output == *"can't open"* ]]
    run -0 b run --rm --network none --volumes-from first $IMG ls /vdata
    [ "$output" = "$(printf 'link\nsub')" ]
}

@test "--image-volume tmpfs and ignore; nocopy; a volume that is not empty gets no copy" {
    load_image volimg
    # a tmpfs gets the image's content (tmpcopyup), as podman's does
    run -0 b run --rm --network none --image-volume tmpfs $VOLIMG sh -c 'grep " /vdata " /proc/mounts | cut -d" " -f3; ls /vdata | wc -l'
    [ "$output" = "$(printf 'tmpfs\n3')" ]
    run -0 b run --rm --network none --image-volume ignore $VOLIMG cat /vdata/seed
    [ "$output" = seeded ]
    run -0 b volume ls -q
    [ -z "$output" ]
    run -0 b run --rm --network none -v nc:/vdata:nocopy $VOLIMG ls /vdata
    [ -z "$output" ]
    run -0 b volume inspect --format '{{.NeedsCopyUp}}' nc
    [ "$output" = true ]
    b volume create full >/dev/null
    echo mine > "$BATS_TEST_TMPDIR/root/volumes/full/_data/mine"
    run -0 b run --rm --network none -v full:/vdata $VOLIMG ls /vdata
    [ "$output" = mine ]
    run -125 --separate-stderr b run --rm --network none --image-volume foo $VOLIMG true
    [[ $stderr == *'invalid image volume mode "foo"'* ]]
}

@test "--volumes-from takes the named volumes and binds, :ro makes them read-only" {
    mkdir "$BATS_TEST_TMPDIR/hostdir"
    echo host > "$BATS_TEST_TMPDIR/hostdir/h"
    run -0 b create --name src --network none -v shared:/s -v /anon -v "$BATS_TEST_TMPDIR/hostdir:/h" --tmpfs /t $IMG true
    run -0 b run --rm --network none --volumes-from src $IMG sh -c 'echo w > /s/x && echo a > /anon/y && cat /h/h && test ! -e /t/. -o "$(grep -c " /t " /proc/mounts)" = 0 && echo ok'
    [ "$output" = "$(printf 'host\nok')" ]
    run -1 b run --rm --network none --volumes-from src:ro $IMG sh -c 'touch /s/z'
    run -0 b run --rm --network none --volumes-from src:ro $IMG cat /s/x /anon/y
    [ "$output" = "$(printf 'w\na')" ]
    run -0 b create --name vf --network none --volumes-from src:ro $IMG true
    run -0 b inspect vf --format '{{json .HostConfig.VolumesFrom}} {{index .Config.Annotations "io.podman.annotations.volumes-from"}}'
    [ "$output" = '["src:ro"] ' ] || [ "$output" = '["src:ro"] <no value>' ]
    # the volumes are in use by both: rm -v of one leaves the anonymous one
    run -0 b rm -v vf
    run -0 b volume ls -q
    [ "${#lines[@]}" = 2 ]
    run -125 --separate-stderr b create --network none --volumes-from nosuch $IMG true
    [[ $stderr == *'looking up container "nosuch" for volumes-from'*"no such container"* ]]
}

@test "inspect shows volumes as podman does: Mounts, Binds, Tmpfs" {
    mkdir "$BATS_TEST_TMPDIR/b"
    run -0 b create --name ins --network none -v v1:/data:ro,nocopy -v /anon \
        -v "$BATS_TEST_TMPDIR/b:/host:z" --mount type=volume,src=v3,dst=/v3,ro --tmpfs /tm \
        --mount type=tmpfs,dst=/tn,notmpcopyup $IMG true
    run -0 b inspect ins --format '{{json .Mounts}}'
    python3 - "$output" "$BATS_TEST_TMPDIR" <<'EOF'
import json, sys
m = json.loads(sys.argv[1]); root = sys.argv[2] + "/root/volumes/"
assert [x["Type"] for x in m] == ["volume", "volume", "volume", "bind"], m
v1 = m[0]
assert v1["Name"] == "v1" and v1["Source"] == root + "v1/_data" and v1["Destination"] == "/data", v1
assert v1["Driver"] == "local" and v1["Mode"] == "" and v1["RW"] is False, v1
assert v1["Options"] == ["nocopy", "nosuid", "nodev", "rbind"] and v1["Propagation"] == "rprivate", v1
assert len(m[1]["Name"]) == 64 and m[1]["RW"] is True and m[1]["Options"] == ["nosuid", "nodev", "rbind"]
assert m[2]["Name"] == "v3" and m[2]["RW"] is False
b = m[3]
assert b["Source"] == sys.argv[2] + "/b" and b["Options"] == ["rbind"] and b["Driver"] == "", b
assert b["Mode"] == "z" and b["RW"] is True and b["Propagation"] == "rprivate", b
assert list(v1.keys()) == ["Type", "Name", "Source", "Destination", "Driver", "Mode", "Options", "RW", "Propagation"]
EOF
    run -0 b inspect ins --format '{{json .HostConfig.Binds}}'
    [[ $output == '["v1:/data:ro,nocopy,rprivate,nosuid,nodev,rbind",'*',"v3:/v3:ro,rprivate,nosuid,nodev,rbind","'"$BATS_TEST_TMPDIR"'/b:/host:z,rw,rprivate,rbind"]' ]]
    run -0 b inspect ins --format '{{json .HostConfig.Tmpfs}}'
    [ "$output" = '{"/tm":"rw,rprivate,nosuid,nodev,tmpcopyup","/tn":"rw,rprivate,nosuid,nodev"}' ]
}

@test "a tmpfs volume is mounted while a container uses it" {
    run -0 b volume create -o type=tmpfs -o device=tmpfs -o o=size=2m tv
    mp=$BATS_TEST_TMPDIR/root/volumes/tv/_data
    run -0 b run -d --name user1 --network none -v tv:/t $IMG sleep 60
    grep -q " $mp tmpfs " /proc/self/mounts
    run -0 b run --rm --network none -v tv:/t $IMG sh -c 'df -k /t | tail -1'
    [[ $output == *" 2048 "* ]]
    run -0 b volume inspect --format '{{.MountCount}}' tv
    [ "$output" = 1 ]
    run -0 b stop -t 0 user1
    ! grep -q " $mp tmpfs " /proc/self/mounts || false
    run -0 b volume inspect --format '{{.MountCount}}' tv
    [ "$output" = 0 ]
    # mount and unmount: when the host mount comes and goes, not per user
    run -0 b events --stream=false --filter type=volume --format '{{.Status}}'
    [ "$output" = "$(printf 'create\nmount\nunmount')" ]
}

@test "a bind volume and a volume made by --mount type=volume,volume-opt=" {
    mkdir "$BATS_TEST_TMPDIR/srv"
    echo from-host > "$BATS_TEST_TMPDIR/srv/file"
    run -0 b volume create -o type=bind -o device="$BATS_TEST_TMPDIR/srv" srv
    run -0 b run --rm --network none -v srv:/srv $IMG sh -c 'cat /srv/file; echo back > /srv/new'
    [ "$output" = from-host ]
    [ "$(cat "$BATS_TEST_TMPDIR/srv/new")" = back ]
    run -0 b run --rm --network none --mount type=volume,src=tmpv,dst=/m,volume-opt=type=tmpfs,volume-opt=device=tmpfs $IMG sh -c 'grep " /m " /proc/mounts | cut -d" " -f3'
    [ "$output" = tmpfs ]
    run -0 b volume inspect --format '{{json .Options}}' tmpv
    [ "$output" = '{"device":"tmpfs","type":"tmpfs"}' ]
}

@test "volume rm of a volume in use: refused (exit 2), or with -f the containers go too" {
    run -0 b create --name holder --network none -v busy:/b $IMG true
    cid=$(b inspect --format '{{.Id}}' holder)
    run -2 --separate-stderr b volume rm busy
    [ "$stderr" = "Error: volume busy is being used by the following container(s): $cid: volume is being used" ]
    run -0 b volume prune -f
    [ -z "$output" ]
    run -0 b volume ls -q --filter dangling=false
    [ "$output" = busy ]
    run -0 b run -d --name runner --network none -v busy:/b $IMG sleep 60
    run -0 b volume rm -f -t 0 busy
    [ "$output" = busy ]
    run -0 b ps -aq
    [ -z "$output" ]
}

@test "U gives the volume or bind to the container's user; O overlays it" {
    run -0 b run --rm --network none --user 1000:1000 -v owned:/o:U $IMG sh -c 'stat -c "%u:%g" /o; touch /o/mine'
    [ "$output" = 1000:1000 ]
    mkdir -p "$BATS_TEST_TMPDIR/ub/sub"
    touch "$BATS_TEST_TMPDIR/ub/sub/f"
    run -0 b run --rm --network none --user 1000 -v "$BATS_TEST_TMPDIR/ub:/ub:U" $IMG stat -c %u /ub/sub/f
    [ "$output" = 1000 ]
    [ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/ub/sub/f")" = 1000:1000 ]
    run -0 b run --rm --network none --user 1000 --mount type=tmpfs,dst=/tu,U $IMG stat -c %u /tu
    [ "$output" = 1000 ]
    # O: the container writes into an overlay; the host directory stays as it was
    mkdir "$BATS_TEST_TMPDIR/ov"
    echo base > "$BATS_TEST_TMPDIR/ov/base"
    run -0 b run --rm --network none -v "$BATS_TEST_TMPDIR/ov:/ov:O" $IMG sh -c 'echo new > /ov/added; rm /ov/base; ls /ov'
    [ "$output" = added ]
    [ "$(ls "$BATS_TEST_TMPDIR/ov")" = base ]
    run -0 b run --rm --network none -v ovvol:/ov:O $IMG sh -c 'echo x > /ov/y; cat /ov/y'
    [ "$output" = x ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/volumes/ovvol/_data")" ]
    run -126 --separate-stderr b run --rm --network none -v /etc:/e:U $IMG true
    [[ $stderr == *'chowning host path "/etc" is not allowed'* ]]
}

@test "z and Z are accepted and say in debug output that there is nothing to label" {
    mkdir "$BATS_TEST_TMPDIR/zz"
    run -0 --separate-stderr b --log-level debug run --rm --network none -v "$BATS_TEST_TMPDIR/zz:/zz:z" -v zv:/zv:Z $IMG true
    [[ $stderr == *"SELinux relabeling (z) of $BATS_TEST_TMPDIR/zz"*"nothing to do"* ]]
    [[ $stderr == *"SELinux relabeling (Z) of zv"* ]]
}

@test "--mount type=devpts and type=image" {
    run -0 b run --rm --network none --mount type=devpts,dst=/dev/pts2,newinstance $IMG sh -c 'grep " /dev/pts2 " /proc/mounts | cut -d" " -f3'
    [ "$output" = devpts ]
    load_image volimg
    run -0 b run --rm --network none --mount type=image,src=$VOLIMG,dst=/img $IMG sh -c 'cat /img/vdata/seed; touch /img/x 2>/dev/null || echo ro'
    [ "$output" = "$(printf 'seeded\nro')" ]
    run -0 b run --rm --network none --mount type=image,src=$VOLIMG,dst=/img,rw=true $IMG sh -c 'touch /img/x && echo rw'
    [ "$output" = rw ]
    # nothing stays mounted once they are gone
    run -0 b image mount
    [ -z "$output" ]
    run -0 b create --name im --network none --mount type=image,src=$VOLIMG,dst=/img $IMG true
    run -0 b inspect im --format '{{range .Mounts}}{{.Type}} {{.Source}} {{.Destination}} {{.RW}}{{end}}'
    [ "$output" = "image $VOLIMG /img false" ]
}

@test "bad volume input is refused before anything is made" {
    run -125 --separate-stderr b run --rm --network none -v 'bad name:/x' $IMG true
    [ "$stderr" = 'Error: creating named volume "bad name": running volume create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument' ]
    run -125 --separate-stderr b run --rm --network none -v _bad:/x $IMG true
    [[ $stderr == *'creating named volume "_bad"'*"names must match"* ]]
    run -0 b volume ls -q
    [ -z "$output" ]
    run -125 --separate-stderr b run --rm --network none -v vol:relative $IMG true
    [[ $stderr == *'invalid container path "relative", must be an absolute path'* ]]
    run -125 --separate-stderr b run --rm --network none --mount type=volume,dst=/x,foo $IMG true
    [[ $stderr == *"foo: invalid mount option"* ]]
    run -0 b ps -aq
    [ -z "$output" ]
}

@test "a failed create takes back the volumes it made, not those it found" {
    b volume create old >/dev/null
    # volumes are made in name order: new1 and the anonymous one exist
    # when "zz!" fails
    run -125 --separate-stderr b create --network none -v old:/o -v new1:/n -v /anon -v 'zz!:/z' $IMG true
    [[ $stderr == *'creating named volume "zz!"'* ]]
    run -0 b volume ls -q
    [ "$output" = old ]
    run -0 b ps -aq
    [ -z "$output" ]
}

@test "ps --filter volume= finds containers by volume name or bind source" {
    mkdir "$BATS_TEST_TMPDIR/bs"
    b create --name pv1 --network none -v vol1:/a $IMG true >/dev/null
    b create --name pv2 --network none -v "$BATS_TEST_TMPDIR/bs:/b" $IMG true >/dev/null
    b create --name pv3 --network none $IMG true >/dev/null
    run -0 b ps -a --filter volume=vol1 --format '{{.Names}}'
    [ "$output" = pv1 ]
    run -0 b ps -a --filter volume=vol1:/a --format '{{.Names}}'
    [ "$output" = pv1 ]
    run -0 b ps -a --filter volume=vol1:/b --format '{{.Names}}'
    [ -z "$output" ]
    run -0 b ps -a --filter "volume=$BATS_TEST_TMPDIR/bs" --format '{{.Names}}'
    [ "$output" = pv2 ]
    run -0 b ps -a --format '{{.Names}} {{.Mounts}}' --filter name=pv1
    [ "$output" = "pv1 [/a]" ]
}

@test "image_volume_mode in the config is --image-volume's default; a bad value is refused" {
    load_image volimg
    printf '[engine]\nimage_volume_mode = "tmpfs"\n' > "$TEST_CONF"
    run -0 b run --rm --network none $VOLIMG sh -c 'grep " /vdata " /proc/mounts | cut -d" " -f3'
    [ "$output" = tmpfs ]
    # the flag wins over the config
    run -0 b run --rm --network none --image-volume ignore $VOLIMG sh -c 'grep -c " /vdata " /proc/mounts || true'
    [ "$output" = 0 ]
    run -0 b volume ls -q
    [ -z "$output" ]
    printf '[engine]\nimage_volume_mode = "foo"\n' > "$TEST_CONF"
    run -125 --separate-stderr b ps
    [[ $stderr == 'Error: '*'invalid image volume mode "foo" required value: bind, tmpfs, ignore'* ]]
}

@test "a volume whose data directory went missing: the error names it and the repair" {
    run -0 b volume create gone
    rm -rf "$BATS_TEST_TMPDIR/root/volumes/gone/_data"
    want="volume gone: its data directory $BATS_TEST_TMPDIR/root/volumes/gone/_data is missing (\`berth system check --repair\` makes it again, empty)"
    run -0 b create --name usesgone --network none -v gone:/x $IMG true
    run -125 --separate-stderr b start usesgone
    [[ $stderr == *"$want"* ]]
    run -126 --separate-stderr b run --rm --network none -v gone:/x $IMG true
    [[ $stderr == *"$want"* ]]
    run -0 b system check --repair
    run -0 b run --rm --network none -v gone:/x $IMG ls -a /x
}
