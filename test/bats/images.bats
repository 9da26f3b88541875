#!/usr/bin/env bats
# test/bats/images.bats: the image commands over the store: load, tag,
# untag, image exists, images, image inspect, rmi, prune, history,
# image mount, save, import.
load helpers
load images_helpers

BUSYBOX_ID=0341d88d4d118064cc77791ed8bf9316d48d5de88910a345e3ff12f56a943754
LAYERED_ID=f9e19a2a873cf9bc0d693885b9fb5b1237b12de44b503daf18ef21c08289b951
CONFD_ID=b3484b03a18694493a2fc179ab8adc6efaeef77c6a85ab5b4cdd928f2872c2d0

setup_file() { test_images_init; }
setup() { berth_setup; test_images_init; }
teardown() { berth_teardown; }

# ---- load ------------------------------------------------------------------

@test "load -i docker-archive and oci-archive print Loaded image" {
    run -0 b load -i "$TEST_IMAGES/busybox.docker.tar"
    [ "$output" = "Loaded image: localhost/busybox:latest" ]
    run -0 b load --input "$TEST_IMAGES/layered.oci.tar"
    [ "$output" = "Loaded image: localhost/layered:latest" ]
    run -0 b image load < "$TEST_IMAGES/confd.docker.tar"
    [ "$output" = "Loaded image: localhost/confd:latest" ]
    run -0 b images -q --no-trunc
    [ "${#lines[@]}" -eq 3 ]
}

@test "load of the same image in both formats keeps one image" {
    run -0 b load -i "$TEST_IMAGES/busybox.docker.tar"
    run -0 b load -i "$TEST_IMAGES/busybox.oci.tar"
    run -0 b images -q --no-trunc
    [ "$output" = "sha256:$BUSYBOX_ID" ]
}

@test "load -q prints nothing" {
    run -0 b load -q -i "$TEST_IMAGES/busybox.oci.tar"
    [ -z "$output" ]
}

@test "load from a compressed stream" {
    gzip -c "$TEST_IMAGES/layered.docker.tar" > "$BATS_TEST_TMPDIR/l.tar.gz"
    run -0 b load < "$BATS_TEST_TMPDIR/l.tar.gz"
    [ "$output" = "Loaded image: localhost/layered:latest" ]
}

@test "load refuses a terminal and operands" {
    run -125 b load extra
    [[ $output == *"accepts no arguments"* ]]
}

@test "load of a missing file: Error, 125" {
    run -125 b load -i "$BATS_TEST_TMPDIR/nope.tar"
    [[ $output == "Error: "*"no such file or directory"* ]]
}

# ---- tag / untag / exists --------------------------------------------------

@test "tag adds names; short names get localhost/ and :latest" {
    load_test_image busybox
    run -0 b tag busybox mybox foo/bar:1 quay.io/x/y:2
    run -0 b images --format '{{.Repository}}:{{.Tag}}' --sort repository
    [ "$output" = "localhost/busybox:latest
localhost/foo/bar:1
localhost/mybox:latest
quay.io/x/y:2" ]
}

@test "tag moves a name from another image" {
    load_test_image busybox
    load_test_image confd
    run -0 b tag confd busybox
    run -0 b image inspect --format '{{.RepoTags}}' busybox
    [ "$output" = "[localhost/confd:latest localhost/busybox:latest]" ]
}

@test "tag errors: unknown image, bad name, too few arguments" {
    load_test_image busybox
    run -125 b tag nope x
    [ "$output" = "Error: nope: image not known" ]
    run -125 b tag busybox 'Bad/Name'
    [[ $output == "Error: "*"invalid reference format"* || $output == *"must be lowercase"* ]]
    run -125 b tag busybox
    [[ $output == *"requires at least 2 arg"* ]]
}

@test "untag removes one name, or all" {
    load_test_image busybox
    run -0 b tag busybox a b
    run -0 b untag busybox a
    run -0 b image inspect --format '{{len .RepoTags}}' "$BUSYBOX_ID"
    [ "$output" = 2 ]
    run -125 b untag busybox nope
    [ "$output" = "Error: localhost/nope:latest: tag not known" ]
    run -0 b untag busybox
    run -0 b images --format '{{.Repository}} {{.Tag}} {{.ID}}'
    [ "$output" = "<none> <none> 0341d88d4d11" ]
}

@test "image exists: 0, 1, and by id prefix" {
    load_test_image busybox
    run -0 b image exists busybox
    run -0 b image exists localhost/busybox:latest
    run -0 b image exists 0341d8
    run -0 b image exists "sha256:$BUSYBOX_ID"
    run -1 b image exists nope
    [ -z "$output" ]
    run -125 b image exists
}

@test "tag and untag write image events" {
    load_test_image busybox
    run -0 b tag busybox t1
    run -0 b untag busybox t1
    run -0 b events --stream=false --filter type=image --format '{{.Status}} {{.Name}}'
    [ "$output" = "loadfromarchive $TEST_IMAGES/busybox.docker.tar
tag localhost/t1:latest
untag localhost/t1:latest" ]
}
