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

# hold_exit_commands: conmon waits a second before it runs its exit
# command (container cleanup), so that an attached run --rm, not that
# command, removes the container, whatever the machine's load.
# exit_commands_done waits until every conmon of the test has ended.
hold_exit_commands() {
    mkdir -p "$BATS_TEST_TMPDIR/bin"
    printf '#!/bin/sh\nexec /usr/bin/conmon --exit-delay 1 "$@"\n' > "$BATS_TEST_TMPDIR/bin/conmon"
    chmod 755 "$BATS_TEST_TMPDIR/bin/conmon"
    printf '[engine]\nconmon_path = ["%s"]\n' "$BATS_TEST_TMPDIR/bin/conmon" >> "$TEST_CONF"
}
exit_commands_done() {
    retry_until 15 bash -c "! pgrep -f '[c]onmon .*$BATS_TEST_TMPDIR/' >/dev/null"
}

# state_of CTR: the state number recorded for a container (no ps needed)
state_file() {
    local id
    id=$(b container inspect --format '{{.Id}}' "$1" 2>/dev/null) || return 1
    echo "$BATS_TEST_TMPDIR/root/libpod/containers/$id/state.json"
}

# A mapped root (--userns, --uidmap) is nobody to the host: it must be
# let through the directories above the store (as /var/lib is), which
# bats makes 0700.
mapped_root_through() {
    local d=$BATS_TEST_TMPDIR
    while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
}

# The test's own subordinate id files (never the host's): the containers
# user gets uids 200000 and gids 300000, 100000 of each.
own_subids() {
    export BERTH_SUBUID_FILE=$BATS_TEST_TMPDIR/subuid BERTH_SUBGID_FILE=$BATS_TEST_TMPDIR/subgid
    echo "containers:200000:100000" > "$BERTH_SUBUID_FILE"
    echo "containers:300000:100000" > "$BERTH_SUBGID_FILE"
}
