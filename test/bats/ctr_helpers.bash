# test/bats/ctr_helpers.bash: the test images (built once per checkout by
# test/images/build.sh, cached under build/test-images) loaded into the
# current test's store.
TEST_IMAGES_DIR=${TEST_IMAGES_DIR:-$BATS_TEST_DIRNAME/../../build/test-images}
IMG=localhost/busybox

# load_image NAME: loads build/test-images/NAME.docker.tar (busybox,
# layered, confd) as localhost/NAME:latest.
load_image() {
    local name=${1:-busybox}
    if [ ! -f "$TEST_IMAGES_DIR/$name.docker.tar" ]; then
        bash "$BATS_TEST_DIRNAME/../images/build.sh" "$TEST_IMAGES_DIR" >/dev/null
    fi
    b load -q -i "$TEST_IMAGES_DIR/$name.docker.tar" >/dev/null
}

# ctr_setup: the usual setup of a container test.
ctr_setup() {
    berth_setup
    load_image busybox
}

# state_of CTR: the state number recorded for a container (no ps needed)
state_file() {
    local id
    id=$(b container inspect --format '{{.Id}}' "$1" 2>/dev/null) || return 1
    echo "$BATS_TEST_TMPDIR/root/libpod/containers/$id/state.json"
}
