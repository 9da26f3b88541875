# test/bats/diff.bats: diff / container diff of running and stopped
# containers with both storage drivers, --format json, --latest, errors.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

CHANGES='mkdir -p /data/sub && echo x > /data/sub/f && rm /bin/ls && echo y >> /etc/group &&
    mkdir /tmp/t && rm -rf /home/app && chmod 700 /etc/passwd && mkdir /run/foo'
EXPECTED='C /bin
D /bin/ls
A /data
A /data/sub
A /data/sub/f
C /etc
C /etc/group
C /etc/passwd
C /home
D /home/app
A /run/foo
C /tmp
A /tmp/t'

@test "diff of a running container: A, C, D as podman lists them" {
    b run -d --name f1 --network none $IMG sleep 86400 >/dev/null
    # the mount points of /etc/hosts, /etc/hostname... changed /etc (podman too)
    run -0 b diff f1
    [ "$output" = "C /etc" ]
    b exec f1 sh -c "$CHANGES"
    run -0 b diff f1
    [ "$output" = "$EXPECTED" ]
    run -0 b container diff f1
    [ "$output" = "$EXPECTED" ]
    ! grep -q "$BATS_TEST_TMPDIR/root/.*images" /proc/self/mounts || false
}

@test "diff of a stopped container, with the vfs driver too" {
    for drv in overlay vfs; do
        BERTH_ARGS+=(--storage-driver "$drv" --root "$BATS_TEST_TMPDIR/root-$drv")
        load_image busybox
        b run --name "f2-$drv" --network none $IMG sh -c "$CHANGES"
        run -0 b diff "f2-$drv"
        [ "$output" = "$EXPECTED" ]
        ! grep -q "$BATS_TEST_TMPDIR/root-$drv" /proc/self/mounts || false
        b rm -f "f2-$drv" >/dev/null
    done
}

@test "diff --format json groups the paths; --latest" {
    b run --name f3 --network none $IMG sh -c 'echo > /new && rm /bin/cat' >/dev/null
    run -0 b diff --format json f3
    [ "$output" = '{
     "changed": [
          "/bin",
          "/etc"
     ],
     "added": [
          "/new"
     ],
     "deleted": [
          "/bin/cat"
     ]
}' ]
    b create --name f4 --network none $IMG true >/dev/null
    run -0 b diff --format json -l
    [ "$output" = "{}" ]
}

@test "diff errors: podman's words, exit 125" {
    run -125 --separate-stderr b diff nosuch
    [ "$stderr" = "Error: nosuch not found: layer not known" ]
    run -125 --separate-stderr b diff
    [ "$stderr" = 'Error: "berth diff" requires a name, id, or the "--latest" flag' ]
    b create --name f5 --network none $IMG true >/dev/null
    run -125 --separate-stderr b diff --format yaml f5
    [ "$stderr" = "Error: only supported value for '--format' is 'json'" ]
    run -125 --separate-stderr b diff a b c
    [ "$stderr" = "Error: accepts between 1 and 2 arg(s), received 3" ]
}

# podman's second object: one image's changes against another
@test "diff IMAGE IMAGE: the first one's changes against the second" {
    load_image volimg
    run -0 b diff $IMG localhost/volimg
    [ "$output" = "D /vdata" ]
    run -0 b diff localhost/volimg $IMG
    [ "${lines[0]}" = "A /vdata" ]
    [ "$output" = "$(b image diff localhost/volimg $IMG)" ]
    run -125 --separate-stderr b diff $IMG nosuch
    [ "$stderr" = "Error: nosuch not found: nosuch: image not known" ]
}
