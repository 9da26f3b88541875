# test/bats/images_helpers.bash: the test images of test/images/build.sh,
# built once (cached under build/test-images, keyed by the script and the
# busybox binary) and loaded into the current test's store on demand.
#
#   load images_helpers              (after `load helpers`)
#   test_images_init                 sets TEST_IMAGES and TEST_IMAGE_* paths
#   load_test_image NAME [FMT]       loads NAME (busybox, layered, confd) as
#                                    localhost/NAME:latest; FMT docker|oci
#
# Other bats files may export TEST_IMAGE for their containers: after
# load_test_image busybox, "localhost/busybox:latest" (or just busybox).

TEST_IMAGES_DIR=${TEST_IMAGES_DIR:-$BATS_TEST_DIRNAME/../../build/test-images}

test_images_init() {
    local d=$TEST_IMAGES_DIR
    if [ ! -f "$d/.key" ] || [ ! -f "$d/busybox.docker.tar" ] || [ -z "${TEST_IMAGES:-}" ]; then
        mkdir -p "$d"
        # one builder at a time when bats runs tests in parallel
        flock "$d/.lock" bash "$BATS_TEST_DIRNAME/../images/build.sh" "$d" >/dev/null ||
            { echo "# building the test images failed" >&2; return 1; }
    fi
    TEST_IMAGES=$(cd "$d" && pwd)
    export TEST_IMAGES
    export TEST_IMAGE_BUSYBOX=$TEST_IMAGES/busybox.docker.tar
    export TEST_IMAGE_LAYERED=$TEST_IMAGES/layered.docker.tar
    export TEST_IMAGE_CONFD=$TEST_IMAGES/confd.docker.tar
}

load_test_image() {
    local name=$1 fmt=${2:-docker}
    test_images_init || return 1
    "$BERTH_BIN" "${BERTH_ARGS[@]}" load -q -i "$TEST_IMAGES/$name.$fmt.tar" >/dev/null ||
        { echo "# loading $name.$fmt.tar failed" >&2; return 1; }
    TEST_IMAGE=localhost/$name:latest
}

# The image id as berth prints it in full.
image_id() { "$BERTH_BIN" "${BERTH_ARGS[@]}" image inspect --format '{{.Id}}' "$1"; }
