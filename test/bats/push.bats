# test/bats/push.bats: berth push to docker-registry (TLS, Basic and Bearer
# auth) and to the archive and directory transports; what berth pushed is
# read back by skopeo and by berth pull (reg_helpers.bash).
load helpers
load images_helpers
load reg_helpers

setup_file() {
    test_images_init
    reg_setup_file
    reg_start open 5000
    reg_start basic 5001
    reg_start token 5002 5003
    berth_setup
    reg_setup
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5000/test/busybox:1
}

teardown_file() { reg_teardown_file; }
setup() { reg_setup; }
teardown() { reg_teardown; }

CD() { echo "$CFG/etc/containers/certs.d/127.0.0.1:5000"; }

# the manifest digest the registry serves for REPO:TAG on PORT
remote_digest() {
    reg_ns curl -s --cacert "$REG_DIR/ca.crt" -o /dev/null -w '%header{docker-content-digest}' \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
        "https://127.0.0.1:${3:-5000}/v2/$1/manifests/$2"
}

@test "push a loaded image: gzipped on the way, read back by skopeo and by pull" {
    run -0 rb load -q -i "$TEST_IMAGES/layered.docker.tar"
    run -0 rb image inspect --format '{{.Id}} {{json .RootFS.Layers}}' localhost/layered
    want=$output
    run -0 --separate-stderr rb push localhost/layered 127.0.0.1:5000/t1/layered:1
    [ -z "$output" ]
    [ "${stderr_lines[0]}" = "Getting image source signatures" ]
    [[ ${stderr_lines[1]} == "Copying blob sha256:"* ]]
    [[ ${stderr_lines[4]} == "Copying config sha256:${want:0:64}" ]]
    [ "${stderr_lines[5]}" = "Writing manifest to image destination" ]
    [ "${stderr_lines[6]}" = "Storing signatures" ]
    run -0 reg_skopeo inspect --cert-dir "$(CD)" --raw docker://127.0.0.1:5000/t1/layered:1
    [[ $output == *'"mediaType":"application/vnd.docker.distribution.manifest.v2+json"'* ]]
    [[ $output == *"application/vnd.docker.image.rootfs.diff.tar.gzip"* ]]
    run -0 reg_skopeo inspect --cert-dir "$(CD)" --config docker://127.0.0.1:5000/t1/layered:1
    # a fresh store pulls it back: same id, same diff ids
    run -0 rb rmi -a
    run -0 rb pull -q 127.0.0.1:5000/t1/layered:1
    run -0 rb image inspect --format '{{.Id}} {{json .RootFS.Layers}}' 127.0.0.1:5000/t1/layered:1
    [ "$output" = "$want" ]
    run -0 rb events --stream=false --filter event=push --format '{{.Status}} {{.Name}} {{.ID}}'
    [ "$output" = "push 127.0.0.1:5000/t1/layered:1 ${want:0:64}" ]
}

@test "a pulled image goes back as it came: same digest, blobs mounted, not uploaded" {
    run -0 rb pull -q 127.0.0.1:5000/test/busybox:1
    src=$(remote_digest test/busybox 1)
    reg_fake pass 5020 5000
    # the same registry under another name (the fake proxy): mount from test/busybox
    run -0 rb tag 127.0.0.1:5000/test/busybox:1 127.0.0.1:5020/test/busybox:1
    run -0 rb push --tls-verify=false --digestfile "$BATS_TEST_TMPDIR/d" 127.0.0.1:5020/test/busybox:1 127.0.0.1:5020/copy/busybox:2
    [ "$(cat "$BATS_TEST_TMPDIR/d")" = "$src" ]
    [ "$(remote_digest copy/busybox 2)" = "$src" ]
    run grep -c '^POST .*mount=' "$FAKE_STATE/requests"
    [ "$output" -ge 1 ]
    run grep -c '^PUT .*/blobs/' "$FAKE_STATE/requests"
    [ "$output" = 1 ]               # the config only
    # pushed again: every blob is there already, nothing goes up
    : > "$FAKE_STATE/requests"
    run -0 rb push --tls-verify=false 127.0.0.1:5020/test/busybox:1 127.0.0.1:5020/copy/busybox:2
    run grep -c '^PUT .*/blobs/\|^POST' "$FAKE_STATE/requests"
    [ "$output" = 0 ]
}

@test "push --format oci and --compression-format zstd convert; pull reads them back" {
    run -0 rb load -q -i "$TEST_IMAGES/busybox.docker.tar"
    run -0 rb image inspect --format '{{.Id}} {{json .RootFS.Layers}}' localhost/busybox
    want=$output
    run -0 rb push -q --format oci localhost/busybox 127.0.0.1:5000/t3/oci:1
    run -0 reg_skopeo inspect --cert-dir "$(CD)" --raw docker://127.0.0.1:5000/t3/oci:1
    [[ $output == *'"mediaType":"application/vnd.oci.image.manifest.v1+json"'* ]]
    [[ $output == *"application/vnd.oci.image.layer.v1.tar+gzip"* ]]
    run -0 rb push -q --compression-format zstd localhost/busybox 127.0.0.1:5000/t3/zstd:1
    run -0 reg_skopeo inspect --cert-dir "$(CD)" --raw docker://127.0.0.1:5000/t3/zstd:1
    [[ $output == *"application/vnd.oci.image.layer.v1.tar+zstd"* ]]
    run -125 rb push -q --compression-format zstd --format v2s2 localhost/busybox 127.0.0.1:5000/t3/x:1
    [[ $output == *"zstd compression needs the oci format"* ]]
    run -125 rb push -q --format v2s1 localhost/busybox 127.0.0.1:5000/t3/x:1
    run -0 rb rmi -a
    run -0 rb pull -q 127.0.0.1:5000/t3/zstd:1
    run -0 rb image inspect --format '{{.Id}} {{json .RootFS.Layers}}' 127.0.0.1:5000/t3/zstd:1
    [ "$output" = "$want" ]
    run -0 rb pull -q 127.0.0.1:5000/t3/oci:1
    [ "$output" = "${want:0:64}" ]
    run -0 rb run --rm --network none 127.0.0.1:5000/t3/zstd:1 echo zstd works
    [ "$output" = "zstd works" ]
}

@test "push needs credentials where the registry asks; Basic and Bearer" {
    run -0 rb load -q -i "$TEST_IMAGES/busybox.docker.tar"
    run -125 --separate-stderr rb push -q localhost/busybox 127.0.0.1:5001/t4/bb:1
    [[ $stderr == *"unauthorized: authentication required"* ]]
    run -0 rb push -q --creds "alice:$REG_PASSWORD" localhost/busybox 127.0.0.1:5001/t4/bb:1
    run -125 --separate-stderr rb push -q --creds alice:nope localhost/busybox 127.0.0.1:5002/t4/bb:1
    [[ $stderr == *"invalid username/password"* ]]
    [[ $stderr != *nope* ]]
    run -0 rb push -q --creds "alice:$REG_PASSWORD" localhost/busybox 127.0.0.1:5002/t4/bb:1
    run -0 reg_skopeo inspect --cert-dir "$(CD)" --creds "alice:$REG_PASSWORD" --raw docker://127.0.0.1:5002/t4/bb:1
}

@test "push: the image and destination are checked first" {
    run -125 rb push -q nothere 127.0.0.1:5000/x:1
    [[ $output == *"nothere: image not known"* ]]
    run -0 rb load -q -i "$TEST_IMAGES/busybox.docker.tar"
    id=$(rb images -q --no-trunc | head -1)
    run -125 rb push -q "${id#sha256:}"
    [[ $output == *"names no destination"* ]]
    run -125 rb push -q localhost/busybox '127.0.0.1:5000/Bad:1'
    [[ $output == *"invalid reference format"* ]]
    run -125 rb push --sign-by me localhost/busybox 127.0.0.1:5000/x:1
    [[ $output == *"cannot sign"* ]]
    run -125 rb push
    [[ $output == *"requires at least 1"* ]]
}

@test "push to and pull from docker-archive, oci-archive, oci and dir" {
    run -0 rb load -q -i "$TEST_IMAGES/layered.docker.tar"
    run -0 rb image inspect --format '{{.Id}}' localhost/layered
    id=$output
    d=$BATS_TEST_TMPDIR
    run -0 rb push -q localhost/layered "docker-archive:$d/a.tar:x/y:1"
    run -0 rb push -q localhost/layered "oci-archive:$d/b.tar:v1"
    run -0 rb push -q localhost/layered "oci:$d/lay:v2"
    run -0 rb push -q localhost/layered "dir:$d/dir"
    run -0 rb rmi -a
    run -0 rb pull -q "docker-archive:$d/a.tar"
    [ "$output" = "$id" ]
    run -0 rb images --format '{{.Repository}}:{{.Tag}}'
    [ "$output" = "docker.io/x/y:1" ]
    run -0 rb rmi -a
    run -0 rb pull -q "oci-archive:$d/b.tar"
    [ "$output" = "$id" ]
    run -0 rb rmi -a
    run -0 rb pull -q "oci:$d/lay:v2"
    [ "$output" = "$id" ]
    run -125 rb pull -q "oci:$d/lay:nope"
    [[ $output == *'no descriptor found for reference "nope"'* ]]
    run -0 rb rmi -a
    run -0 rb pull -q "dir:$d/dir"
    [ "$output" = "$id" ]
    run -0 rb run --rm --network none "$id" true
    # the policy applies to every transport
    echo '{"default":[{"type":"reject"}]}' > "$CFG/etc/containers/policy.json"
    run -125 rb pull -q "docker-archive:$d/a.tar"
    [[ $output == *"Source image rejected"* ]]
}

@test "a layer goes up as a PATCH then a PUT with its digest; the config in one PUT" {
    run -0 rb load -q -i "$TEST_IMAGES/layered.docker.tar"
    reg_fake pass 5021 5000
    run -0 rb push -q --tls-verify=false localhost/layered 127.0.0.1:5021/t7/layered:1
    run grep -c '^PATCH .*/blobs/uploads/' "$FAKE_STATE/requests"
    [ "$output" = 3 ]
    run grep -c '^PUT .*/blobs/uploads/.*digest=sha256' "$FAKE_STATE/requests"
    [ "$output" = 4 ]
    run grep -c '^PUT .*/manifests/1 201' "$FAKE_STATE/requests"
    [ "$output" = 1 ]
}
