# test/bats/pull.bats: berth pull against Debian's docker-registry (TLS,
# Basic and Bearer auth) and a misbehaving proxy, all on 127.0.0.1 inside
# a private network namespace (reg_helpers.bash).
load helpers
load images_helpers
load reg_helpers

setup_file() {
    test_images_init
    reg_setup_file
    reg_start open 5000
    reg_start basic 5001
    reg_start token 5002 5003
    REG_TOKEN_ARGS="--expired 1" reg_start token 5010 5011 5002
    REG_TOKEN_ARGS="--expired -1" reg_start token 5012 5013 5002
    # what the tests pull: put there by skopeo (gzip layers, v2s2)
    berth_setup
    reg_setup
    python3 "$BATS_TEST_DIRNAME/../../bench/mkarchive.py" "$REG_DIR/big3.tar" pulltest 1 1 1
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5000/test/busybox:1
    reg_put "$TEST_IMAGES/layered.docker.tar" 127.0.0.1:5000/test/layered:1
    reg_put "$REG_DIR/big3.tar" 127.0.0.1:5000/test/big3:1
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5001/test/busybox:1
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5002/test/busybox:1
}

teardown_file() { reg_teardown_file; }
setup() { reg_setup; }
teardown() { reg_teardown; }

BB_ID=0341d88d4d118064cc77791ed8bf9316d48d5de88910a345e3ff12f56a943754

@test "pull prints podman's progress on stderr and the id on stdout" {
    run -0 --separate-stderr rb pull 127.0.0.1:5000/test/busybox:1
    [ "$output" = "$BB_ID" ]
    [[ ${lines[*]} != *Copying* ]]
    [ "${stderr_lines[0]}" = "Trying to pull 127.0.0.1:5000/test/busybox:1..." ]
    [ "${stderr_lines[1]}" = "Getting image source signatures" ]
    [[ ${stderr_lines[2]} == "Copying blob sha256:"* ]]
    [ "${stderr_lines[3]}" = "Copying config sha256:$BB_ID" ]
    [ "${stderr_lines[4]}" = "Writing manifest to image destination" ]
    [ "${stderr_lines[5]}" = "Storing signatures" ]
    run -0 rb images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    [ "$output" = "127.0.0.1:5000/test/busybox:1 ${BB_ID:0:12}" ]
    # the digest is the registry's manifest digest
    want=$(reg_ns curl -s --cacert "$REG_DIR/ca.crt" -o /dev/null -w '%header{docker-content-digest}' \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        https://127.0.0.1:5000/v2/test/busybox/manifests/1)
    run -0 rb image inspect --format '{{.Digest}} {{index .RepoDigests 0}}' 127.0.0.1:5000/test/busybox:1
    [ "$output" = "$want 127.0.0.1:5000/test/busybox@$want" ]
    # a pull event, with the name as given
    run -0 rb events --stream=false --filter event=pull --format '{{.Status}} {{.Name}} {{.ID}}'
    [ "$output" = "pull 127.0.0.1:5000/test/busybox:1 $BB_ID" ]
}

@test "pull -q prints only the id; docker:// is the default transport" {
    run -0 --separate-stderr rb pull -q docker://127.0.0.1:5000/test/busybox:1
    [ "$output" = "$BB_ID" ]
    [ -z "$stderr" ]
}

@test "a multi-layer pull: diff ids match the loaded image, layers unpacked" {
    run -0 rb pull -q 127.0.0.1:5000/test/layered:1
    id=$output
    run -0 rb image inspect --format '{{json .RootFS.Layers}}' "$id"
    pulled=$output
    run -0 rb load -q -i "$TEST_IMAGES/layered.docker.tar"
    run -0 rb image inspect --format '{{.Id}} {{json .RootFS.Layers}}' localhost/layered:latest
    [ "$output" = "$id $pulled" ]
    run -0 rb image inspect --format '{{len .RootFS.Layers}}' "$id"
    [ "$output" = 3 ]
    store_layers_whole
}

@test "a second pull reuses the layers it has" {
    run -0 rb pull -q 127.0.0.1:5000/test/big3:1
    ino1=$(stat -c %i "$BATS_TEST_TMPDIR"/root/layers/*/diff | sort | tr '\n' ' ')
    run -0 rb pull -q 127.0.0.1:5000/test/big3:1
    ino2=$(stat -c %i "$BATS_TEST_TMPDIR"/root/layers/*/diff | sort | tr '\n' ' ')
    [ "$ino1" = "$ino2" ]
    run -0 rb images -q
    [ "${#lines[@]}" -eq 1 ]
}

@test "an unknown tag or repository fails with the registry's words, nothing stored" {
    run -125 --separate-stderr rb pull 127.0.0.1:5000/test/busybox:nope
    [[ $stderr == *"Error: initializing source docker://127.0.0.1:5000/test/busybox:nope: reading manifest nope in 127.0.0.1:5000/test/busybox: manifest unknown"* ]]
    run -125 --separate-stderr rb pull 127.0.0.1:5000/test/nothere:1
    [[ $stderr == *"reading manifest 1 in 127.0.0.1:5000/test/nothere:"* ]]
    run -0 rb images -q
    [ -z "$output" ]
}

@test "TLS: an unknown CA is refused; certs.d, --cert-dir and --tls-verify=false" {
    # localhost:5000 is the same server, but no certs.d trusts its CA
    run -125 --separate-stderr rb pull localhost:5000/test/busybox:1
    [[ $stderr == *"pinging container registry localhost:5000"*"x509: certificate signed by unknown authority"* ]]
    run -0 rb images -q
    [ -z "$output" ]
    run -0 rb pull -q --cert-dir "$CFG/etc/containers/certs.d/127.0.0.1:5000" localhost:5000/test/busybox:1
    [ "$output" = "$BB_ID" ]
    run -0 rb pull -q --tls-verify=false localhost:5000/test/busybox:1
    # /etc/docker/certs.d counts too
    mkdir -p "$CFG/etc/docker/certs.d/localhost:5000"
    cp "$REG_DIR/ca.crt" "$CFG/etc/docker/certs.d/localhost:5000/"
    run -0 rb pull -q localhost:5000/test/busybox:1
    # --tls-verify=true beats an insecure registries.conf entry
    printf '[[registry]]\nlocation = "localhost:5010"\ninsecure = true\n' > "$CFG/etc/containers/registries.conf"
    run -125 rb pull -q --tls-verify=true localhost:5010/test/busybox:1
    [[ $output == *"x509: certificate signed by unknown authority"* ]]
}

@test "Basic auth: refused without credentials or with a wrong password; --creds and auth files" {
    run -125 --separate-stderr rb pull 127.0.0.1:5001/test/busybox:1
    [[ $stderr == *"reading manifest 1 in 127.0.0.1:5001/test/busybox: unauthorized: authentication required"* ]]
    run -125 --separate-stderr rb pull --creds alice:wrong 127.0.0.1:5001/test/busybox:1
    [[ $stderr == *"unauthorized"* ]]
    [[ $stderr != *wrong* ]]
    run -0 rb pull -q --creds "alice:$REG_PASSWORD" 127.0.0.1:5001/test/busybox:1
    [ "$output" = "$BB_ID" ]
    # an auth file: --authfile, REGISTRY_AUTH_FILE, then the default one
    auth=$(printf 'alice:%s' "$REG_PASSWORD" | base64)
    printf '{"auths":{"127.0.0.1:5001":{"auth":"%s"}}}' "$auth" > "$BATS_TEST_TMPDIR/a.json"
    run -0 rb rmi -a
    run -0 rb pull -q --authfile "$BATS_TEST_TMPDIR/a.json" 127.0.0.1:5001/test/busybox:1
    REGISTRY_AUTH_FILE=$BATS_TEST_TMPDIR/a.json run -0 rb pull -q 127.0.0.1:5001/test/busybox:1
    mkdir -p "$XDG_RUNTIME_DIR/containers"
    cp "$BATS_TEST_TMPDIR/a.json" "$XDG_RUNTIME_DIR/containers/auth.json"
    run -0 rb pull -q 127.0.0.1:5001/test/busybox:1
    # docker's config.json, read when nothing else has the registry
    rm "$XDG_RUNTIME_DIR/containers/auth.json"
    mkdir -p "$HOME/.docker"
    cp "$BATS_TEST_TMPDIR/a.json" "$HOME/.docker/config.json"
    run -0 rb pull -q 127.0.0.1:5001/test/busybox:1
}

@test "Bearer auth: tokens from the realm; a wrong password is refused" {
    run -125 --separate-stderr rb pull 127.0.0.1:5002/test/busybox:1
    [[ $stderr == *"unable to retrieve auth token: invalid username/password"* ]]
    run -125 --separate-stderr rb pull --creds alice:wrong 127.0.0.1:5002/test/busybox:1
    [[ $stderr == *"invalid username/password"* ]]
    [[ $stderr != *wrong* ]]
    run -0 --separate-stderr rb --log-level debug pull -q --creds "alice:$REG_PASSWORD" 127.0.0.1:5002/test/busybox:1
    [ "$output" = "$BB_ID" ]
    # no secret in any log line
    [[ $stderr != *"$REG_PASSWORD"* ]]
    [[ $stderr != *"eyJ"* ]]
    [[ $stderr != *"$(printf 'alice:%s' "$REG_PASSWORD" | base64)"* ]]
}

@test "Bearer auth: an expired token is renewed once; tokens that stay expired fail clearly" {
    run -0 rb pull -q --creds "alice:$REG_PASSWORD" 127.0.0.1:5010/test/busybox:1
    [ "$output" = "$BB_ID" ]
    run -125 --separate-stderr rb pull --creds "alice:$REG_PASSWORD" 127.0.0.1:5012/test/busybox:1
    [[ $stderr == *"reading manifest 1 in 127.0.0.1:5012/test/busybox: unauthorized: authentication required"* ]]
    run -0 rb images -q
    [ "$output" = "${BB_ID:0:12}" ]     # only the first one
}

@test "a corrupted blob: digest mismatch named, nothing of the image stored" {
    reg_fake corrupt 5020 5000
    run -125 --separate-stderr rb pull --tls-verify=false 127.0.0.1:5020/test/big3:1
    [[ $stderr == *"digest mismatch"* ]]
    [[ $stderr =~ sha256:[0-9a-f]{64} ]]
    run -0 rb images -q
    [ -z "$output" ]
    store_layers_whole
    # the blob that did not match is nowhere in the store
    bad=$(grep -o 'blobs/sha256:[0-9a-f]*' "$FAKE_STATE/requests" | tail -1 | cut -d: -f2)
    [ -n "$bad" ]
    [ ! -e "$BATS_TEST_TMPDIR/root/blobs/sha256/$bad" ]
    run -0 rb pull -q 127.0.0.1:5000/test/big3:1
}

@test "a cut connection is resumed with a Range request; a 503 is retried" {
    reg_fake cut-once 5021 5000
    run -0 rb pull -q --tls-verify=false 127.0.0.1:5021/test/big3:1
    run grep -c ' big$' "$FAKE_STATE/requests"
    [ "$output" -ge 4 ]             # three layers, one of them twice
    reg_fake_stop
    run -0 rb rmi -a
    reg_fake 503-once 5022 5000
    run -0 rb pull -q --tls-verify=false 127.0.0.1:5022/test/big3:1
    run grep -c ' 200 big$' "$FAKE_STATE/requests"
    [ "$output" -eq 6 ]             # each layer twice: the 503, then the blob
}

@test "a server that ignores Range starts the blob over" {
    reg_fake norange 5023 5000
    run -0 rb pull -q --tls-verify=false 127.0.0.1:5023/test/big3:1
    run -0 rb image inspect --format '{{len .RootFS.Layers}}' 127.0.0.1:5023/test/big3:1
    [ "$output" = 3 ]
}

@test "kill -9 in the middle of a layer: no image, no half layer; the next pull reuses the rest" {
    reg_fake stall 5024 5000
    rb_bg pull -q --tls-verify=false 127.0.0.1:5024/test/big3:1
    pid=$RB_PID
    retry_until 20 test -f "$FAKE_STATE/stalled"
    # let the two layers that did arrive be installed
    retry_until 10 sh -c "[ \$(ls '$BATS_TEST_TMPDIR/root/layers' | wc -l) -eq 2 ]"
    [ "$(cat /proc/$pid/comm)" = berth ]
    kill -9 $pid
    wait $pid || true
    run -0 rb images -q
    [ -z "$output" ]
    store_layers_whole
    before=$(ls "$BATS_TEST_TMPDIR/root/layers" | sort)
    [ -n "$before" ]
    ino=$(stat -c %i "$BATS_TEST_TMPDIR/root/layers/$(echo "$before" | head -1)/diff")
    run -0 rb pull 127.0.0.1:5000/test/big3:1
    [ "$(stat -c %i "$BATS_TEST_TMPDIR/root/layers/$(echo "$before" | head -1)/diff")" = "$ino" ]
    run -0 rb image inspect --format '{{len .RootFS.Layers}}' 127.0.0.1:5000/test/big3:1
    [ "$output" = 3 ]
    # the staging dir of the killed pull went with the next writer
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/tmp")" ]
}

@test "kill -9 at random points of a pull, then a pull that succeeds" {
    for delay in 0.02 0.05 0.1 0.15 0.2 0.3 0.4; do
        rb_bg pull -q 127.0.0.1:5000/test/big3:1
        pid=$RB_PID
        sleep $delay
        kill -9 $pid 2>/dev/null || true
        wait $pid || true
        store_layers_whole
        run -0 rb images --format '{{.ID}}'
        # either no image, or the whole one
        if [ -n "$output" ]; then
            run -0 rb image inspect --format '{{len .RootFS.Layers}}' 127.0.0.1:5000/test/big3:1
            [ "$output" = 3 ]
            run -0 rb rmi -a
        fi
    done
    run -0 rb pull -q 127.0.0.1:5000/test/big3:1
    run -0 rb images -q
    [ "${#lines[@]}" -eq 1 ]
}

@test "run and create pull a missing image; --pull always, never and newer" {
    run -0 --separate-stderr rb run --rm --network none 127.0.0.1:5000/test/busybox:1 echo pulled
    [ "$output" = pulled ]
    [ "${stderr_lines[0]}" = "Trying to pull 127.0.0.1:5000/test/busybox:1..." ]
    run -0 rb ps -a --format '{{.Image}}'
    run -0 rb images --format '{{.Repository}}:{{.Tag}}'
    [ "$output" = "127.0.0.1:5000/test/busybox:1" ]
    # present now: no pull, no output on stderr
    run -0 --separate-stderr rb create --name c1 127.0.0.1:5000/test/busybox:1 true
    [ -z "$stderr" ]
    run -0 rb inspect --format '{{.ImageName}}' c1
    [ "$output" = "127.0.0.1:5000/test/busybox:1" ]
    run -0 --separate-stderr rb create --pull always -q 127.0.0.1:5000/test/busybox:1 true
    [ -z "$stderr" ]
    run -0 --separate-stderr rb create --pull always 127.0.0.1:5000/test/busybox:1 true
    [[ $stderr == "Trying to pull"* ]]
    # newer: the registry has the same manifest, nothing is pulled
    run -0 --separate-stderr rb create --pull newer 127.0.0.1:5000/test/busybox:1 true
    [ -z "$stderr" ]
    run -125 --separate-stderr rb create --pull never 127.0.0.1:5000/test/layered:1 true
    [[ $stderr == *"image not known"* ]]
    run -125 --separate-stderr rb create 127.0.0.1:5000/test/nothere:1 true
    [[ $stderr == *"manifest unknown"* ]]
    run -0 rb create -q --platform linux/amd64 --tls-verify=false --authfile /dev/null \
        127.0.0.1:5000/test/layered:1 true
}

@test "pull --all-tags pulls every tag of the repository" {
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5000/tags/bb:a
    reg_put "$TEST_IMAGES/layered.docker.tar" 127.0.0.1:5000/tags/bb:b
    run -0 rb pull -q --all-tags 127.0.0.1:5000/tags/bb
    [ "${#lines[@]}" -eq 2 ]
    run -0 rb images --format '{{.Repository}}:{{.Tag}}' --sort repository
    [[ $output == *"127.0.0.1:5000/tags/bb:a"* ]]
    [[ $output == *"127.0.0.1:5000/tags/bb:b"* ]]
    run -125 rb pull -q --all-tags 127.0.0.1:5000/tags/bb:a
    [[ $output == *"tag can't be used with --all-tags/-a"* ]]
}

@test "on a terminal, pull draws live bars that end done or skipped" {
    cmd="stty cols 100; nsenter -t $REG_NS_PID -n $BERTH_BIN ${BERTH_ARGS[*]} pull 127.0.0.1:5000/test/big3:1"
    run -0 script -qec "$cmd" /dev/null </dev/null
    [[ $output == *"Copying blob "[0-9a-f]*" ["* ]]
    [[ $output == *"Copying blob "[0-9a-f]*" done"* ]]
    [[ $output == *"Copying config "[0-9a-f]*" done"* ]]
    [[ $output == *"Writing manifest to image destination"* ]]
    run -0 script -qec "$cmd" /dev/null </dev/null
    [[ $output == *"skipped: already exists"* ]]
    # -q draws nothing, terminal or not
    run -0 script -qec "$cmd -q" /dev/null </dev/null
    [[ $output != *Copying* ]]
}

@test "a full disk: the pull fails, nothing half stored; with room again it succeeds" {
    root=$BATS_TEST_TMPDIR/root
    mkdir -p "$root"
    # one mount namespace for the whole story: the store on a 2 MB tmpfs
    run reg_ns unshare -m sh -c '
        root=$0 B=$1
        mount --make-rprivate / && mount -t tmpfs -o size=2m tmpfs "$root" || exit 99
        $B pull -q 127.0.0.1:5000/test/big3:1; echo "rc=$?"
        $B images -q | wc -l
        for l in "$root"/layers/*; do [ -e "$l" ] || continue; [ -f "$l/layer.json" ] || echo HALF; done
        mount -o remount,size=64m "$root"
        $B pull -q 127.0.0.1:5000/test/big3:1; echo "rc=$?"
        ls "$root/tmp" | wc -l' "$root" "$BERTH_BIN ${BERTH_ARGS[*]}"
    [[ ${lines[0]} == *"no space left on device"* ]]
    [ "${lines[1]}" = "rc=125" ]
    [ "${lines[2]}" = 0 ]
    [[ $output != *HALF* ]]
    [[ $output == *"rc=0"* ]]
    [ "${lines[-1]}" = 0 ]
}

@test "credentials stay out of the events log and of error texts" {
    run -0 rb pull -q --creds "alice:$REG_PASSWORD" 127.0.0.1:5001/test/busybox:1
    run -125 rb pull -q --creds "alice:wrong-$REG_PASSWORD" 127.0.0.1:5001/test/busybox:1
    [[ $output != *"$REG_PASSWORD"* ]]
    ! grep -rq -- "$REG_PASSWORD" "$BATS_TEST_TMPDIR/scratch" "$BATS_TEST_TMPDIR/root" || false
}

@test "the vfs driver: layers unpacked in order from the whole blobs" {
    BERTH_ARGS+=(--storage-driver vfs)
    run -0 rb pull -q 127.0.0.1:5000/test/layered:1
    run -0 rb image inspect --format '{{.GraphDriver.Name}} {{len .RootFS.Layers}}' 127.0.0.1:5000/test/layered:1
    [ "$output" = "vfs 3" ]
    run -0 rb run --rm --network none 127.0.0.1:5000/test/layered:1 true
    store_layers_whole
}

# reg_blob_put REPO FILE: uploads FILE as a blob to the open registry
reg_blob_put() {
    local d loc
    d=sha256:$(sha256sum "$2" | cut -d' ' -f1)
    loc=$(reg_ns curl -s --cacert "$REG_DIR/ca.crt" -X POST -D - -o /dev/null \
        "https://127.0.0.1:5000/v2/$1/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
    reg_ns curl -sf --cacert "$REG_DIR/ca.crt" -X PUT -H 'Content-Type: application/octet-stream' \
        --data-binary "@$2" "$loc&digest=$d" >/dev/null
    echo "$d"
}

@test "a layer whose content is not the config's diff id: named, nothing stored" {
    # the busybox layer, with a config that claims another diff id
    man=$(reg_ns curl -s --cacert "$REG_DIR/ca.crt" \
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
        https://127.0.0.1:5000/v2/test/busybox/manifests/1)
    layer=$(jq -r '.layers[0].digest' <<<"$man")
    lsize=$(jq -r '.layers[0].size' <<<"$man")
    bad=sha256:$(printf 'not the layer' | sha256sum | cut -d' ' -f1)
    printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["%s"]}}' \
        "$bad" > "$BATS_TEST_TMPDIR/cfg.json"
    cfg=$(reg_blob_put test/busybox "$BATS_TEST_TMPDIR/cfg.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%s,"digest":"%s"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":%s,"digest":"%s"}]}' \
        "$(stat -c %s "$BATS_TEST_TMPDIR/cfg.json")" "$cfg" "$lsize" "$layer" > "$BATS_TEST_TMPDIR/man.json"
    reg_ns curl -sf --cacert "$REG_DIR/ca.crt" -X PUT \
        -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
        --data-binary "@$BATS_TEST_TMPDIR/man.json" https://127.0.0.1:5000/v2/test/busybox/manifests/baddiff
    run -125 --separate-stderr rb pull 127.0.0.1:5000/test/busybox:baddiff
    [[ $stderr == *"layer $layer: digest mismatch: the config says its content is $bad, it is sha256:"* ]]
    run -0 rb images -q
    [ -z "$output" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/layers")" ]
    [ ! -e "$BATS_TEST_TMPDIR/root/blobs/sha256/${layer#sha256:}" ]
}

# podman 4.3.1's pull takes several images: each is pulled in turn and
# its id printed; a failure does not stop the rest, every error but the
# last is printed and the last is the command's (exit 125)
@test "pull of several images: each in turn, the errors as podman's" {
    run -0 --separate-stderr rb pull -q 127.0.0.1:5000/test/busybox:1 127.0.0.1:5000/test/layered:1
    [ "${lines[0]}" = "$BB_ID" ]
    [ "${lines[1]}" = "$(rb image inspect --format '{{.Id}}' 127.0.0.1:5000/test/layered:1)" ]
    [ "${#lines[@]}" = 2 ]
    rb rmi -a -f >/dev/null
    run -125 --separate-stderr rb pull -q 127.0.0.1:5000/test/nosuch:1 127.0.0.1:5000/test/busybox:1 127.0.0.1:5000/test/gone:2
    [ "$output" = "$BB_ID" ]
    [ "${#stderr_lines[@]}" = 2 ]
    [[ ${stderr_lines[0]} == "Error: "*"test/nosuch"* ]]
    [[ ${stderr_lines[1]} == "Error: "*"test/gone"* ]]
    run -0 rb image exists 127.0.0.1:5000/test/busybox:1
}
