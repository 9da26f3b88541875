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
        [ "$(cat "$m/lnk")" = OVERWRITTEN ] && [ ! -L "$m/lnk" ]
        [ "$(cat "$m$c/target")" = INSIDE ] ;;
    hardlink+skel)
        # linked to the layer's own etc/passwd, never the host's
        [ "$(cat "$m/hl")" = INSIDE ] && [ "$(cat "$m/hl2")" = INSIDE ]
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
