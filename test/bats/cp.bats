# test/bats/cp.bats: cp between containers and the host: docker's naming
# rules, tar streams, owners, running and stopped containers, volumes,
# errors, and hostile symlinks and archives in both directions.
load helpers
load ctr_helpers

setup()    { ctr_setup; H=$BATS_TEST_TMPDIR/h; mkdir -p "$H"; }
teardown() { berth_teardown; }

running() { b run -d --name "$1" --network none "${@:2}" $IMG sleep 86400 >/dev/null; }
# a tree in the container: /data/{a, sub/b, rel -> ../a}
tree() { b exec -u 0 "$1" sh -c 'mkdir -p /data/sub && echo a > /data/a && echo b > /data/sub/b && ln -s ../a /data/rel'; }
names() { (cd "$1" && find . | sort | tr '\n' ' '); }

@test "container to host: files, directories, SRC/., renames, symlinks kept" {
    running c1
    tree c1
    run -0 b cp c1:/data/a "$H/a-copy"
    [ "$(cat "$H/a-copy")" = a ]
    mkdir "$H/into"
    run -0 b cp c1:/data/a "$H/into"
    [ "$(cat "$H/into/a")" = a ]
    # a directory onto a new name, into a directory, and its contents
    run -0 b cp c1:/data "$H/new"
    [ "$(names "$H/new")" = ". ./a ./rel ./sub ./sub/b " ]
    mkdir "$H/d1" "$H/d2"
    run -0 b cp c1:/data "$H/d1"
    [ "$(names "$H/d1")" = ". ./data ./data/a ./data/rel ./data/sub ./data/sub/b " ]
    run -0 b cp c1:/data/. "$H/d2"
    [ "$(names "$H/d2")" = ". ./a ./rel ./sub ./sub/b " ]
    [ "$(readlink "$H/new/rel")" = ../a ]
    # a file onto a file replaces it
    echo old > "$H/replace"
    run -0 b cp c1:/data/sub/b "$H/replace"
    [ "$(cat "$H/replace")" = b ]
    # a final symlink of SRC is followed (inside the container); /data/rel
    # points at /a, which is not there, as podman says
    b exec c1 ln -s ../a /data/sub/up
    run -0 b cp c1:/data/sub/up "$H/followed"
    [ "$(cat "$H/followed")" = a ]
    [ ! -L "$H/followed" ]
    # a container's file named with a trailing "/" is that file (podman)
    run -0 b cp c1:/data/a/ "$H/slash"
    [ "$(cat "$H/slash")" = a ]
    run -125 --separate-stderr b cp c1:/data/rel "$H/x"
    [ "$stderr" = 'Error: "/data/rel" could not be found on container c1: no such file or directory' ]
    # container cp is the same command
    run -0 b container cp c1:/data/a "$H/again"
}

@test "host to container: names, owners with and without --archive" {
    running c2 --user 100:200
    echo hi > "$H/f"; chown 1234:5678 "$H/f"
    mkdir -p "$H/d/inner"; echo x > "$H/d/inner/x"; chown -R 777:888 "$H/d"
    run -0 b cp "$H/f" c2:/tmp/f1
    run -0 b cp -a=false "$H/f" c2:/tmp/f2
    run -0 b cp "$H/d" c2:/tmp
    run -0 b cp --archive=false "$H/d/." c2:/tmp/d2
    run -0 b exec c2 stat -c '%n %u:%g' /tmp/f1 /tmp/f2 /tmp/d /tmp/d/inner/x /tmp/d2/inner/x
    [ "${lines[0]}" = "/tmp/f1 100:200" ]
    [ "${lines[1]}" = "/tmp/f2 1234:5678" ]
    [ "${lines[2]}" = "/tmp/d 100:200" ]
    [ "${lines[3]}" = "/tmp/d/inner/x 100:200" ]
    [ "${lines[4]}" = "/tmp/d2/inner/x 777:888" ]
    run -0 b exec c2 cat /tmp/f1 /tmp/d/inner/x
    [ "$output" = $'hi\nx' ]
    # copies out to the host are ours, whatever they were in the container
    run -0 b cp c2:/tmp/f2 "$H/back"
    [ "$(stat -c %u:%g "$H/back")" = 0:0 ]
}

@test "a directory and a non-directory replace each other only with --overwrite" {
    running c3
    b exec c3 sh -c 'mkdir /data && echo file > /data/d && mkdir -p /data/f/inner'
    mkdir "$H/d"; echo x > "$H/d/x"; echo f > "$H/f"
    run -125 --separate-stderr b cp "$H/d" c3:/data/
    [[ $stderr == *'creating "d": file exists'* ]]
    run -125 --separate-stderr b cp "$H/f" c3:/data/
    [[ $stderr == *'creating "f": file exists'* ]]
    run -0 b cp --overwrite "$H/d" c3:/data/
    run -0 b cp --overwrite "$H/f" c3:/data/
    run -0 b exec c3 sh -c 'cat /data/d/x /data/f'
    [ "$output" = $'x\nf' ]
    run -125 --separate-stderr b cp "$H/d" c3:/data/f
    [ "$stderr" = "Error: destination must be a directory when copying a directory" ]
}

@test "tar streams: - on stdout and on stdin" {
    running c4
    tree c4
    run -0 bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} cp c4:/data - | tar t | sort | tr '\n' ' '"
    [ "$output" = "data/ data/a data/rel data/sub/ data/sub/b " ]
    run -0 bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} cp c4:/data/. - | tar t | sort | tr '\n' ' '"
    [ "$output" = "a rel sub/ sub/b " ]
    mkdir -p "$H/t/in"; echo s > "$H/t/in/s"
    run -0 bash -c "tar -C '$H/t' -cf - in | '$BERTH_BIN' ${BERTH_ARGS[*]} cp - c4:/tmp"
    run -0 b exec c4 cat /tmp/in/s
    [ "$output" = s ]
    run -125 --separate-stderr bash -c "tar -C '$H/t' -cf - in | '$BERTH_BIN' ${BERTH_ARGS[*]} cp - c4:/data/a"
    [ "$stderr" = "Error: destination must be a directory when copying from stdin" ]
}

@test "a stopped container is copied to and from; its root is unmounted after" {
    b create --name c5 --network none $IMG true >/dev/null
    echo stopped > "$H/s"
    run -0 b cp "$H/s" c5:/s
    run -0 b cp c5:/s "$H/s-back"
    [ "$(cat "$H/s-back")" = stopped ]
    ! grep -q "$BATS_TEST_TMPDIR/root" /proc/self/mounts || false
    # the file is there when it runs
    run -0 b start -a c5
    b run --name c6 --network none $IMG true
    run -0 b cp c6:/etc/hostname "$H/hn"
}

@test "a running container's volumes and bind mounts are what its processes see" {
    mkdir "$H/bind"; echo on-the-host > "$H/bind/file"
    running c7 -v "$H/bind:/mnt/bind"
    run -0 b cp c7:/mnt/bind/file "$H/from-bind"
    [ "$(cat "$H/from-bind")" = on-the-host ]
    echo into > "$H/in"
    run -0 b cp "$H/in" c7:/mnt/bind/
    [ "$(cat "$H/bind/in")" = into ]
}

@test "container to container" {
    running c8
    running c9
    tree c8
    run -0 b cp c8:/data c9:/copied
    run -0 b exec c9 cat /copied/sub/b
    [ "$output" = b ]
}

@test "errors: podman's words, exit 125" {
    running c10
    run -125 --separate-stderr b cp c10:/nonexistent "$H/x"
    [ "$stderr" = 'Error: "/nonexistent" could not be found on container c10: no such file or directory' ]
    run -125 --separate-stderr b cp "$H/nonexistent" c10:/tmp
    [ "$stderr" = "Error: \"$H/nonexistent\" could not be found on the host: no such file or directory" ]
    run -125 --separate-stderr b cp c10:/etc/hostname "$H/nodir/"
    [[ $stderr == *'nodir/" could not be found on the host: no such file or directory' ]]
    run -125 --separate-stderr b cp c10:/etc/hostname "$H/nodir/x"
    [[ $stderr == *'nodir/x" could not be found on the host'* ]]
    touch "$H/f"
    run -125 --separate-stderr b cp "$H/f" c10:/nonexistent/x
    [[ $stderr == *'"/nonexistent/x" could not be found on container c10'* ]]
    run -125 --separate-stderr b cp "$H/f" nosuch:/x
    [ "$stderr" = 'Error: container "nosuch" does not exist' ]
    run -125 --separate-stderr b cp "$H/f" "$H/g"
    [ "$stderr" = "Error: name or ID cannot be empty" ]
    run -125 --separate-stderr b cp "$H/f"
    [[ $stderr == *"accepts 2 arg(s), received 1"* ]]
}

@test "hostile symlinks in the container never reach host files, reading" {
    running c11
    b exec c11 sh -c 'mkdir /data && echo container-secret > /etc/secret &&
        ln -s /etc /data/abs && ln -s ../../../../../../../etc /data/up && ln -s /etc/secret /data/file'
    echo host-secret > "$H/secret"
    for p in /data/abs/secret /data/up/secret /data/file /data/up/../../../etc/secret; do
        run -0 b cp "c11:$p" "$H/out"
        [ "$(cat "$H/out")" = container-secret ]
    done
    # /data/abs/hostname is the container's, not the host's
    run -0 b cp c11:/data/abs/hostname "$H/hn"
    [ "$(cat "$H/hn")" = "$(b exec c11 hostname)" ]
    # symlinks inside a copied tree stay symlinks and are never followed
    run -0 b cp c11:/data "$H/tree"
    [ "$(readlink "$H/tree/abs")" = /etc ]
    [ ! -e "$H/tree/secret" ]
    run -0 bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} cp c11:/data - | tar tv"
    [[ $output == *"data/abs -> /etc"* ]]
    [[ $output != *passwd* ]]
}

@test "hostile symlinks and archives never write host files" {
    running c12
    marker=berth-cp-hostile-$$-$RANDOM
    b exec c12 sh -c "mkdir /data && ln -s /tmp /data/abs && ln -s ../../../../../../../tmp /data/up &&
        ln -s /tmp/$marker /data/dangling"
    echo payload > "$H/p"
    run -0 b cp "$H/p" c12:/data/abs/$marker
    run -0 b cp "$H/p" c12:/data/up/$marker-2
    run -0 b cp "$H/p" c12:/data/dangling
    [ ! -e /tmp/$marker ] && [ ! -e /tmp/$marker-2 ] || false
    run -0 b exec c12 cat /tmp/$marker /tmp/$marker-2
    [ "$output" = $'payload\npayload' ]
    # a tar with "..", absolute names, a symlink to / used as a parent, and a
    # hard link out of the tree: all land inside the destination or fail
    python3 - "$H/evil.tar" "$marker" <<'EOF'
import io, sys, tarfile
t = tarfile.open(sys.argv[1], "w")
def add(name, data=b"evil", **kw):
    ti = tarfile.TarInfo(name)
    for k, v in kw.items():
        setattr(ti, k, v)
    if ti.type == tarfile.REGTYPE:
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    else:
        t.addfile(ti)
m = sys.argv[2]
add("../../../../../../tmp/" + m + "-dotdot")
add("/tmp/" + m + "-abs")
add("link", type=tarfile.SYMTYPE, linkname="/")
add("link/tmp/" + m + "-link")
t.close()
EOF
    b exec c12 mkdir /drop
    run -0 bash -c "'$BERTH_BIN' ${BERTH_ARGS[*]} cp - c12:/drop < '$H/evil.tar'"
    ! ls /tmp/$marker-* 2>/dev/null || false
    run -0 b exec c12 sh -c "ls /drop/tmp | sort"
    [ "$output" = "$marker-abs"$'\n'"$marker-dotdot"$'\n'"$marker-link" ]
    # into the host, a tree from the container is written inside the target
    b exec c12 sh -c "mkdir -p /t/sub && ln -s /tmp /t/sub/escape && echo x > /t/sub/f"
    run -0 b cp c12:/t "$H/t"
    [ -L "$H/t/sub/escape" ] && [ "$(cat "$H/t/sub/f")" = x ] || false
}

@test "--overwrite never removes through a running container's bind mount" {
    mkdir -p "$H/vol"
    echo keep > "$H/vol/keep"
    running c9 -v "$H/vol:/d/v"
    # a file named d replaces the dir /d, which holds the bind mount
    echo f > "$H/d"
    run -125 --separate-stderr b cp --overwrite "$H/d" c9:/
    [[ $stderr == *'replace "d": device or resource busy'* ]]
    [ "$(cat "$H/vol/keep")" = keep ]
    run -0 b exec c9 cat /d/v/keep
    [ "$output" = keep ]
}
