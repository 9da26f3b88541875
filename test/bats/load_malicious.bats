#!/usr/bin/env bats
# test/bats/load_malicious.bats: hostile docker-archives through `berth
# load` (issue 4, Unpacking): "..", absolute names, escaping symlinks
# written through, hard links to /etc/passwd and to a file outside, a
# symlinked parent dir, whiteouts aimed outside; the outer archive is
# hostile too. For each, with the overlay and the vfs driver: load fails
# with a clear Error (125) or succeeds with the entries inside the layer,
# and 0 bytes land outside the store (find proves nothing changed in a
# canary dir beside the graph root, in /tmp, in the test dir, or
# /etc/passwd).
load helpers
load images_helpers

setup() {
    berth_setup
    TMPC=$(mktemp -d /tmp/berth-canary.XXXXXX)
}
teardown() {
    berth_teardown
    rm -rf "${TMPC:?}"
}

# Everything outside the store that a hostile layer could touch.
outside() {
    local d=$BATS_TEST_TMPDIR
    find "$d" -mindepth 1 \( -path "$d/*/root" -o -path "$d/*/runroot" -o -path "$d/*/scratch" \) \
        -prune -o -printf '%p %y %s %n %m %l\n' | sort
    find "$TMPC" -printf '%p %y %s %n %m %l\n' | sort
    find "$d" "$TMPC" -type f ! -path "$d/*/root/*" ! -path "$d/*/runroot/*" \
        ! -path "$d/*/scratch/*" -exec md5sum {} + | sort
    stat -c '%n %h %s %Y %i' /etc/passwd
    md5sum /etc/passwd
}

# check_case CASE: loads the hostile archive CASE with both drivers.
check_case() {
    local case=$1 drv s before mnt
    for drv in overlay vfs; do
        s=$BATS_TEST_TMPDIR/$drv
        mkdir -p "$s/canary"
        echo ORIGINAL > "$s/canary/target"
        echo ORIGINAL > "$TMPC/target"
        BERTH_ARGS=(--root "$s/root" --runroot "$s/runroot" --tmpdir "$s/scratch"
                    --storage-driver "$drv")
        python3 "$BATS_TEST_DIRNAME/evil_archive.py" "$case" "$BATS_TEST_TMPDIR/evil-$drv.tar" \
            "$s/canary" "$TMPC"
        b images >/dev/null        # the store exists before the snapshot
        before=$(outside)
        run b load -i "$BATS_TEST_TMPDIR/evil-$drv.tar"
        echo "# $case/$drv: status $status: $output" >&3
        if [ "$status" -eq 0 ]; then
            [ "$output" = "Loaded image: localhost/evil:latest" ]
            # whatever was written stayed inside the layer
            run -0 b image mount evil
            mnt=$output
            case_inside "$case" "$mnt" "$s/canary"
            run -0 b image unmount evil
        else
            [ "$status" -eq 125 ]
            [[ ${lines[0]} == "Error: "* ]]
            run -0 b images -q
            [ -z "$output" ]
            [ -z "$(ls -A "$s/root/tmp")" ]
        fi
        diff <(echo "$before") <(outside)
        [ "$(cat "$s/canary/target")" = ORIGINAL ]
        [ "$(cat "$TMPC/target")" = ORIGINAL ]
    done
}

# case_inside CASE MNT CANARY: where a loaded layer's entries went.
case_inside() {
    local case=$1 m=$2 c=$3
    case $case in
    dotdot)
        [ -f "$m$c/dotdot" ]
        [ -f "$m$TMPC/dotdot" ]
        [ "$(cat "$m$c/target")" = OVERWRITTEN ] ;;
    absolute)
        [ -f "$m$c/abs" ]
        [ -f "$m$TMPC/abs" ] ;;
    symlink+skel)
        [ "$(readlink "$m/esc")" = "$c" ]
        [ -f "$m$c/through" ]           # through the link, inside the root
        [ -f "$m$TMPC/through" ]
        [ "$(cat "$m/lnk")" = OVERWRITTEN ]
        [ ! -L "$m/lnk" ]
        [ "$(cat "$m$c/target")" = INSIDE ] ;;
    hardlink+skel)
        # linked to the layer's own etc/passwd, never the host's
        [ "$(cat "$m/hl")" = INSIDE ]
        [ "$(cat "$m/hl2")" = INSIDE ]
        [ "$(stat -c %i "$m/hl")" = "$(stat -c %i "$m/etc/passwd")" ]
        [ "$(stat -c %i "$m/hl")" != "$(stat -c %i /etc/passwd)" ]
        [ "$(cat "$m/hl3")" = OVERWRITTEN ]
        [ "$(cat "$m$c/target")" = INSIDE ] ;;
    parent+skel)
        [ -L "$m/d" ]
        [ -f "$m$c/sub/file" ]
        [ "$(cat "$m$c/target")" = OVERWRITTEN ]
        [ -f "$m$TMPC/viaroot" ]
        [ -f "$m$c/viaup" ] ;;
    whiteout+skel)
        # whiteouts act on the layer's own tree: the canary paths inside
        [ -d "$m$c" ] ;;
    outer|outer-hardlink)
        [ "$(cat "$m/ok")" = ok ] ;;
    *) : ;;
    esac
}

@test "load: '..' names stay inside the layer" { check_case dotdot; }
@test "load: absolute names stay inside the layer" { check_case absolute; }
@test "load: a file through an escaping symlink stays inside" { check_case symlink; check_case symlink+skel; }
@test "load: hard links to /etc/passwd and outside files do not leave" { check_case hardlink; check_case hardlink+skel; }
@test "load: a symlinked parent dir resolves inside the layer" { check_case parent; check_case parent+skel; }
@test "load: whiteouts aimed outside delete nothing outside" { check_case whiteout; check_case whiteout+skel; }
@test "load: a hostile outer archive ('..', escaping symlink) writes nothing outside" {
    check_case outer
}
@test "load: hard links in the outer archive do not reach outside" { check_case outer-hardlink; }

# ---- the outer archive itself (issue 20) -------------------------------------
# evil_archive.py outer:KIND builds them; each load runs under a time limit,
# since the bug was a load that never ended.

evil() { python3 "$BATS_TEST_DIRNAME/evil_archive.py" "outer:$1" "$BATS_TEST_TMPDIR/evil.tar"; }
store_empty() {
    run -0 b images -q
    [ -z "$output" ]
    [ -z "$(find "$BATS_TEST_TMPDIR/root/"{blobs/sha256,layers,tmp} -mindepth 1)" ]
}

@test "load: a FIFO or a device as a document or a layer fails at once, nothing stored" {
    local k
    for k in fifo:manifest fifo:config fifo:layer fifo:index fifo:oci-manifest fifo:oci-config \
             fifo:oci-layer chr:manifest chr:config chr:layer chr:index chr:oci-manifest \
             chr:oci-config blk:manifest blk:layer blk:oci-layer dir:config dir:oci-manifest; do
        evil "$k"
        run -125 --separate-stderr timeout 20 "$BERTH_BIN" "${BERTH_ARGS[@]}" load -i "$BATS_TEST_TMPDIR/evil.tar"
        echo "# $k: $stderr" >&3
        [[ $stderr == 'Error: archive file "'*'" is not a regular file' ]]
        store_empty
    done
}

@test "load: a document over 4 MiB is refused, not read into memory" {
    evil big
    run -125 --separate-stderr timeout 20 "$BERTH_BIN" "${BERTH_ARGS[@]}" load -i "$BATS_TEST_TMPDIR/evil.tar"
    [ "$stderr" = 'Error: archive file "manifest.json": exceeded maximum allowed size of 4194304 bytes' ]
    store_empty
}

@test "load: a multi-image archive with a broken second image stores neither" {
    local k
    for k in multi-bad multi-missing multi-unpack; do
        evil "$k"
        run -125 --separate-stderr b load -i "$BATS_TEST_TMPDIR/evil.tar"
        echo "# $k: $stderr" >&3
        [[ $stderr == "Error: "* ]]
        store_empty
        run -1 b image exists localhost/good
    done
}

@test "load: blobs are stored 0644 whatever modes the archive gives" {
    evil modes          # every file of the outer archive 06777
    run -0 b load -i "$BATS_TEST_TMPDIR/evil.tar"
    run -0 find "$BATS_TEST_TMPDIR/root/blobs/sha256" -type f -printf '%m\n'
    [ -n "$output" ]
    [ "$(echo "$output" | sort -u)" = 644 ]
    run -0 b image mount evil
    [ "$(cat "$output/ok")" = ok ]
    run -0 b image unmount evil
}

@test "load: a RepoTag with terminal escapes is printed escaped" {
    evil escape
    run -0 --separate-stderr b load -i "$BATS_TEST_TMPDIR/evil.tar"
    [ "$output" = "Loaded image: localhost/evil:latest" ]
    # a warning on a pipe is logrus's key=value line: the (escaped) name is
    # Go-quoted once more inside msg="..."
    [[ $stderr == *'level=warning msg="ignoring invalid image name \"\\x1b[31mRED\\x1b]0;owned\\x07:latest\" in the archive'* ]]
    [[ $stderr != *$'\e'* && $stderr != *$'\a'* ]]
}

@test "load: a layer entry named with terminal escapes fails with them escaped" {
    evil escape-entry
    run -125 --separate-stderr b load -i "$BATS_TEST_TMPDIR/evil.tar"
    [[ $stderr == "Error: "*'hardlink "\x1b]0;owned\x07evil": '* ]]
    [[ $stderr != *$'\e'* && $stderr != *$'\a'* ]]
}

@test "load: a layer linked to another image's, as docker save writes it, loads" {
    evil symlinked-layer
    run -0 b load -i "$BATS_TEST_TMPDIR/evil.tar"
    [ "$output" = "Loaded image: localhost/one:latest
Loaded image: localhost/two:latest" ]
}

@test "load and import read a slow pipe without holding the storage lock" {
    load_test_image busybox
    # the loader waits 3 s for its input; meanwhile a writer gets through
    (sleep 3; cat "$TEST_IMAGES/layered.docker.tar") | b load -q &
    local pid=$!
    sleep 0.5
    run -0 timeout 2 "$BERTH_BIN" "${BERTH_ARGS[@]}" tag busybox during-load
    wait "$pid"
    run -0 b image exists localhost/layered
    mkdir "$BATS_TEST_TMPDIR/rootfs" && echo hi > "$BATS_TEST_TMPDIR/rootfs/hi"
    tar -C "$BATS_TEST_TMPDIR/rootfs" -cf "$BATS_TEST_TMPDIR/rootfs.tar" .
    (sleep 3; cat "$BATS_TEST_TMPDIR/rootfs.tar") | b import - imported &
    pid=$!
    sleep 0.5
    run -0 timeout 2 "$BERTH_BIN" "${BERTH_ARGS[@]}" tag busybox during-import
    wait "$pid"
    run -0 b image exists localhost/imported
}

# Blobs and layers no image record names, by name.
unreferenced() {
    local r=$BATS_TEST_TMPDIR/root want
    want=$(cat "$r"/images/*.json 2>/dev/null |
           jq -r '.id, .manifest, (.blobs[]?), (.manifests[]?), (.layers[]?)' | sed 's/^sha256://' | sort -u)
    comm -23 <( (ls "$r/blobs/sha256"; ls "$r/layers") | sort -u) <(echo "$want")
}

@test "load killed in its commit: the next command collects its blobs and layers" {
    load_test_image busybox
    local r=$BATS_TEST_TMPDIR/root first
    first=$(evil slow)
    "$BERTH_BIN" "${BERTH_ARGS[@]}" load -q -i "$BATS_TEST_TMPDIR/evil.tar" &
    local pid=$!
    # kill it once its first layer is in and the big one is unpacking
    # (a builtin test: the poll forks nothing and lands within microseconds)
    while [ ! -e "$r/layers/$first/layer.json" ] && kill -0 "$pid" 2>/dev/null; do :; done
    kill -9 "$pid"
    wait "$pid" || true
    [ -e "$r/images/.gc" ]
    [ -n "$(unreferenced)" ]            # the kill left something behind
    # every command opening the store takes its exclusive lock once (to
    # check the driver) and cleans up there: even images collects it
    run -0 b images -q
    [ "$output" = 0341d88d4d11 ]
    [ -z "$(unreferenced)" ]
    [ ! -e "$r/images/.gc" ]
    [ -z "$(ls -A "$r/tmp")" ]
    run -0 b load -q -i "$BATS_TEST_TMPDIR/evil.tar"
    run -0 b image exists localhost/slow
}
