#!/usr/bin/env bats
# test/bats/import.bats: berth import / image import, a rootfs tarball
# made here from busybox-static into a one-layer image.
load helpers

setup() {
    berth_setup
    R=$BATS_TEST_TMPDIR/rootfs
    mkdir -p "$R/bin" "$R/etc"
    cp /bin/busybox "$R/bin/busybox"
    for a in sh echo cat ls id pwd env; do ln -s busybox "$R/bin/$a"; done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$R/etc/passwd"
    echo 'root:x:0:' > "$R/etc/group"
    tar --owner=0 --group=0 --mtime=@0 --sort=name -C "$R" -cf "$BATS_TEST_TMPDIR/rootfs.tar" .
    TAR=$BATS_TEST_TMPDIR/rootfs.tar
    DIFF_ID=sha256:$(sha256sum < "$TAR" | cut -d' ' -f1)
}
teardown() { berth_teardown; }

# What the store holds, to prove a failure left it as it was.
snap() { (cd "$BATS_TEST_TMPDIR/root" && find images layers blobs l 2>/dev/null | sort); }

@test "import FILE: sha256:<id>, no name, the tar as its one layer" {
    run -0 --separate-stderr b import "$TAR"
    [[ $output =~ ^sha256:[0-9a-f]{64}$ ]]
    [ -z "$stderr" ]
    id=${output#sha256:}
    run -0 b images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    [ "$output" = "<none>:<none> ${id:0:12}" ]
    run -0 b image inspect --format '{{.Id}} {{.RootFS.Layers}} {{.Architecture}} {{.Os}} {{.ManifestType}}' "$id"
    [ "$output" = "$id [$DIFF_ID] $(uname -m | sed 's/x86_64/amd64/;s/aarch64/arm64/') linux application/vnd.oci.image.manifest.v1+json" ]
    run -0 b history --no-trunc --format '{{.CreatedBy}}|{{.Comment}}' "$id"
    [ "$output" = "/bin/sh -c #(nop) ADD file:${DIFF_ID#sha256:} in /|imported from tarball" ]
    # the layer blob is the plain tar, so its digest is the diff id
    cmp "$TAR" "$BATS_TEST_TMPDIR/root/blobs/sha256/${DIFF_ID#sha256:}"
    run -0 b events --stream=false --filter type=image --format '{{.Status}}'
    [ -z "$output" ]    # podman 4.3.1 writes no event for an unnamed import
}

@test "import - NAME from stdin (gzip): localhost/NAME, same layer, tag event" {
    gzip -c "$TAR" > "$BATS_TEST_TMPDIR/rootfs.tgz"
    run -0 b image import -q - imp < "$BATS_TEST_TMPDIR/rootfs.tgz"
    [[ $output =~ ^sha256:[0-9a-f]{64}$ ]]
    id=${output#sha256:}
    run -0 b images --format '{{.Repository}}:{{.Tag}}'
    [ "$output" = "localhost/imp:latest" ]
    run -0 b image inspect --format '{{.RootFS.Layers}}' imp
    [ "$output" = "[$DIFF_ID]" ]
    run -0 b events --stream=false --filter type=image --format '{{.Status}} {{.ID}} {{.Name}}'
    [ "$output" = "tag $id imp" ]
    # zstd and a full name too; a name moves to the newer image
    zstd -q -c "$TAR" > "$BATS_TEST_TMPDIR/rootfs.tar.zst"
    run -0 b import "$BATS_TEST_TMPDIR/rootfs.tar.zst" quay.io/x/imp:v1
    run -0 b import "$TAR" imp
    id2=${output#sha256:}
    run -0 b images --sort repository --format '{{.Repository}}:{{.Tag}}'
    [ "${lines[0]}" = "<none>:<none>" ]
    [ "${lines[1]}" = "localhost/imp:latest" ]
    [ "${lines[2]}" = "quay.io/x/imp:v1" ]
    run -0 b image inspect --format '{{.Id}}' imp
    [ "$output" = "$id2" ]
}

@test "import --change and --message show in image inspect and history" {
    run -0 b import -m "from the test" \
        -c 'CMD ["/bin/sh", "-c", "echo hi"]' -c 'ENTRYPOINT /bin/env' \
        -c 'ENV A=1 B="x y"' -c 'ENV K some value' -c 'EXPOSE 80 53/udp' \
        -c 'LABEL a=b "c d"=e' -c 'USER 1:2' -c 'VOLUME /data /cache' -c 'VOLUME ["/v"]' \
        -c 'WORKDIR /w' -c 'STOPSIGNAL SIGINT' -c 'ONBUILD RUN true' "$TAR" chg
    run -0 b image inspect --format '{{json .Config}}' chg
    [ "$output" = '{"User":"1:2","ExposedPorts":{"53/udp":{},"80/tcp":{}},"Env":["A=1","B=x y","K=some value"],"Entrypoint":["/bin/sh","-c","/bin/env"],"Cmd":["/bin/sh","-c","echo hi"],"Volumes":{"/cache":{},"/data":{},"/v":{}},"WorkingDir":"/w","Labels":{"a":"b","c d":"e"},"StopSignal":"2"}' ]
    run -0 b image inspect --format '{{.Comment}}|{{.User}}|{{.Labels}}' chg
    [ "$output" = 'from the test|1:2|map[a:b c d:e]' ]
    run -0 b history --format '{{.Comment}}' chg
    [ "$output" = "from the test" ]
}

@test "import --arch --os --variant are recorded" {
    run -0 b import --arch arm64 --os freebsd --variant v8 "$TAR" other
    run -0 b image inspect --format '{{.Architecture}} {{.Os}}' other
    [ "$output" = "arm64 freebsd" ]
}

@test "an imported image runs a container" {
    run -0 b import -c 'ENV GREETING=hello' -c 'WORKDIR /tmp' "$TAR" runme
    run -0 b run --rm --network none runme /bin/busybox echo ok
    [ "$output" = ok ]
    run -0 b run --rm --network none runme /bin/sh -c 'echo $GREETING $(pwd)'
    [ "$output" = "hello /tmp" ]
}

@test "import of bad input: clear Error, 125, store unchanged" {
    run -0 b import "$TAR" keep
    before=$(snap)
    run -125 b import "$BATS_TEST_TMPDIR/missing.tar"
    [ "$output" = "Error: open $BATS_TEST_TMPDIR/missing.tar: no such file or directory" ]
    head -c 3000 /dev/urandom > "$BATS_TEST_TMPDIR/junk.tar"
    run -125 b import "$BATS_TEST_TMPDIR/junk.tar" junk
    [[ $output == "Error: "*"Unrecognized archive format"* ]]
    head -c 5000 "$TAR" > "$BATS_TEST_TMPDIR/trunc.tar"
    run -125 b import "$BATS_TEST_TMPDIR/trunc.tar"
    [[ $output == "Error: "*"Truncated tar archive"* ]]
    gzip -c "$TAR" | head -c 20000 > "$BATS_TEST_TMPDIR/trunc.tgz"
    run -125 b import - < "$BATS_TEST_TMPDIR/trunc.tgz"
    [[ $output == "Error: "* ]]
    run -125 b import -c 'FROM scratch' "$TAR"
    [ "$output" = 'Error: invalid change "FROM scratch" - invalid instruction FROM' ]
    run -125 b import -c 'EXPOSE http' "$TAR"
    [[ $output == 'Error: invalid change "EXPOSE http" - '* ]]
    run -125 b import -c 'USER' "$TAR"
    [ "$output" = 'Error: invalid change "USER" - must be formatted as KEY VALUE' ]
    run -125 b import "$TAR" 'Bad Name'
    [[ $output == 'Error: normalizing name "Bad Name": '*'invalid reference format'* ]]
    run -125 b import
    [[ $output == "Error: "*"accepts between 1 and 2 arg(s), received 0"* ]]
    run -125 b import a b c
    [[ $output == "Error: "*"received 3"* ]]
    [ "$(snap)" = "$before" ]
    run -0 b images --format '{{.Repository}}'
    [ "$output" = localhost/keep ]
    [ -z "$(ls -A "$BATS_TEST_TMPDIR/root/tmp")" ]
}

# ---- hostile tarballs (issue 20) ---------------------------------------------

@test "import: FIFOs and devices in the tarball are layer content, never opened" {
    python3 - "$BATS_TEST_TMPDIR/dev.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    for name, kind, dev in (("fifo", tarfile.FIFOTYPE, (0, 0)), ("zero", tarfile.CHRTYPE, (1, 5)),
                            ("loop", tarfile.BLKTYPE, (7, 0))):
        i = tarfile.TarInfo(name); i.type = kind; i.devmajor, i.devminor = dev; i.mode = 0o666
        t.addfile(i)
    i = tarfile.TarInfo("ok"); i.size = 2; t.addfile(i, io.BytesIO(b"ok"))
PY
    run -0 timeout 20 "$BERTH_BIN" "${BERTH_ARGS[@]}" import "$BATS_TEST_TMPDIR/dev.tar" devs
    run -0 b image mount devs
    [ -p "$output/fifo" ]
    [ -c "$output/zero" ]
    [ -b "$output/loop" ]
    [ "$(stat -c '%t,%T' "$output/zero")" = 1,5 ]
    [ "$(cat "$output/ok")" = ok ]
    run -0 b image unmount devs
}

@test "import: blobs are stored 0644 whatever the input's mode" {
    chmod 06777 "$TAR"
    run -0 b import "$TAR" modes
    run -0 find "$BATS_TEST_TMPDIR/root/blobs/sha256" -type f -printf '%m\n'
    [ "$(echo "$output" | sort -u)" = 644 ]
}

@test "import killed in its commit: the next command collects its blob" {
    local r=$BATS_TEST_TMPDIR/root big=$BATS_TEST_TMPDIR/big hex
    mkdir -p "$big/d"
    (cd "$big/d" && seq -w 1 20000 | xargs touch)
    tar -C "$big" -cf "$BATS_TEST_TMPDIR/big.tar" d
    hex=$(sha256sum < "$BATS_TEST_TMPDIR/big.tar" | cut -d' ' -f1)
    run -0 b import "$TAR" keep
    "$BERTH_BIN" "${BERTH_ARGS[@]}" import "$BATS_TEST_TMPDIR/big.tar" big &
    local pid=$!
    # the blob is in; its layer takes a second to unpack; no record yet
    while [ ! -e "$r/blobs/sha256/$hex" ] && kill -0 "$pid" 2>/dev/null; do :; done
    kill -9 "$pid"
    wait "$pid" || true
    [ -e "$r/images/.gc" ]
    [ -e "$r/blobs/sha256/$hex" ]
    run -0 b images --format '{{.Repository}}'
    [ "$output" = localhost/keep ]
    [ ! -e "$r/blobs/sha256/$hex" ]
    [ ! -e "$r/layers/$hex" ]
    [ ! -e "$r/images/.gc" ]
    [ -z "$(ls -A "$r/tmp")" ]
}
