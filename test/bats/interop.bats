# test/bats/interop.bats: berth and podman 4.3.1 through one registry.
# The registry (Debian's docker-registry, TLS with a throw-away CA) runs
# inside the network namespace of tools/podman-ref's sandbox (a sandbox
# of this file's own), and berth is run in that namespace too.
load helpers
load images_helpers
load reg_helpers

setup_file() {
    test_images_init
    export PODMAN_REF_DIR=$BATS_FILE_TMPDIR/pref
    PREF=$BATS_TEST_DIRNAME/../../tools/podman-ref
    "$PREF" info >/dev/null
    export REG_DIR=$BATS_FILE_TMPDIR/reg
    mkdir -p "$REG_DIR"
    reg_make_ca "$REG_DIR"
    export REG_NS_PID=$(cat "$PODMAN_REF_DIR/holder.pid")
    reg_start open 5000
    mkdir -p "$REG_DIR/certs"
    cp "$REG_DIR/ca.crt" "$REG_DIR/certs/"
}

teardown_file() {
    reg_teardown_file
    "$BATS_TEST_DIRNAME/../../tools/podman-ref" --stop
}

setup() { reg_setup; }
teardown() { reg_teardown; }

P() { "$BATS_TEST_DIRNAME/../../tools/podman-ref" "$@"; }

@test "berth pulls what podman pushed: the same image id and layers" {
    run -0 P load -q -i "$TEST_IMAGES/layered.docker.tar"
    run -0 P push -q --cert-dir "$REG_DIR/certs" localhost/layered:latest 127.0.0.1:5000/pod/layered:1
    run -0 P image inspect --format '{{.Id}} {{json .RootFS.Layers}}' localhost/layered:latest
    want=$output
    run -0 rb pull -q 127.0.0.1:5000/pod/layered:1
    run -0 rb image inspect --format '{{.Id}} {{json .RootFS.Layers}}' 127.0.0.1:5000/pod/layered:1
    [ "$output" = "$want" ]
    run -0 rb run --rm --network none 127.0.0.1:5000/pod/layered:1 true
}

@test "podman pulls what berth pushed: the same id; skopeo agrees on the digest" {
    run -0 rb load -q -i "$TEST_IMAGES/busybox.docker.tar"
    run -0 rb image inspect --format '{{.Id}} {{json .RootFS.Layers}}' localhost/busybox
    want=$output
    run -0 rb push -q --digestfile "$BATS_TEST_TMPDIR/d" localhost/busybox 127.0.0.1:5000/berth/busybox:1
    run -0 P pull -q --cert-dir "$REG_DIR/certs" 127.0.0.1:5000/berth/busybox:1
    run -0 P image inspect --format '{{.Id}} {{json .RootFS.Layers}}' 127.0.0.1:5000/berth/busybox:1
    [ "$output" = "$want" ]
    run -0 P image inspect --format '{{.Digest}}' 127.0.0.1:5000/berth/busybox:1
    [ "$output" = "$(cat "$BATS_TEST_TMPDIR/d")" ]
    run -0 P run --rm 127.0.0.1:5000/berth/busybox:1 echo from-berth
    [ "$output" = from-berth ]
    run -0 reg_skopeo inspect --cert-dir "$REG_DIR/certs" --format '{{.Digest}}' \
        docker://127.0.0.1:5000/berth/busybox:1
    [ "$output" = "$(cat "$BATS_TEST_TMPDIR/d")" ]
    # and the zstd OCI flavour
    run -0 rb push -q --compression-format zstd localhost/busybox 127.0.0.1:5000/berth/busybox:zstd
    run -0 P pull -q --cert-dir "$REG_DIR/certs" 127.0.0.1:5000/berth/busybox:zstd
    [ "$output" = "${want:0:64}" ]
}
