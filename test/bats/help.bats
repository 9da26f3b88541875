# test/bats/help.bats: every command and group answers --help, and has
# a man page. The list comes from the hidden `berth __gen-man --list`.
load helpers

setup() { berth_setup; }

@test "every command and group answers --help with a Usage line" {
    local path page n=0 fails=""
    while IFS=$'\t' read -r path page; do
        read -ra words <<< "${path#berth}"
        run b "${words[@]}" --help
        if [ "$status" -ne 0 ] || [[ $output != *"Usage:"* ]]; then
            fails+="$path ($status); "
        fi
        n=$((n + 1))
    done < <(b __gen-man --list)
    echo "# checked $n commands; failures: $fails" >&3
    [ -z "$fails" ]
    [ "$n" -gt 5 ]
}

@test "berth __gen-man writes a page per command, and man renders it" {
    run -0 b __gen-man "$BATS_TEST_TMPDIR/man"
    local path page
    while IFS=$'\t' read -r path page; do
        [ -s "$BATS_TEST_TMPDIR/man/$page" ] || { echo "missing $page"; return 1; }
    done < <(b __gen-man --list)
    run -0 man -l "$BATS_TEST_TMPDIR/man/berth-version.1"
    [[ $output == *"NAME"*"berth-version"*"SYNOPSIS"*"OPTIONS"*"--format"* ]]
}

@test "the committed man pages match the command table" {
    local top=$BATS_TEST_DIRNAME/../.. path page
    [ -d "$top/man" ] || skip "no committed man pages"
    b __gen-man "$BATS_TEST_TMPDIR/man"
    while IFS=$'\t' read -r path page; do
        cmp "$BATS_TEST_TMPDIR/man/$page" "$top/man/$page"
    done < <(b __gen-man --list)
}

@test "man pages are deterministic" {
    b __gen-man "$BATS_TEST_TMPDIR/a"
    b __gen-man "$BATS_TEST_TMPDIR/b"
    diff -r "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

# One definition per command: a group's spelling of a top-level command
# (image rm is rmi, container ls is ps) shares its help, and its examples
# name the path typed, as podman's do ("podman container list -a").
@test "a group spelling shares the command's help, its examples spelled as typed" {
    run -0 b rmi --help
    [[ $output == *$'Examples:\n  berth rmi busybox\n'* ]]
    rmi=$output
    run -0 b image rm --help
    [[ $output == *$'Examples:\n  berth image rm busybox\n'* ]]
    [[ $output == *$'Aliases:\n  rm, remove\n'* ]]
    a=${output//berth image rm/berth rmi}
    [ "${a/$'\n\nAliases:\n  rm, remove'/}" = "$rmi" ]
    run -0 b container ls --help
    [[ $output == *"berth container ls -a --format"* ]]
    [[ $output != *"berth ps"* ]]
    # "berth rmi" is not an example of "berth rm"
    run -0 b container rm --help
    [[ $output != *"berth container rmi"* ]]
}

@test "a group lists its commands sorted by name" {
    run -0 b container --help
    names=$(sed -n '/^Available Commands:/,/^$/p' <<<"$output" | awk 'NF > 1 {print $1}')
    [ -n "$names" ]
    [ "$names" = "$(LC_ALL=C sort <<<"$names")" ]
}
