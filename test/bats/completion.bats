# test/bats/completion.bats: the generated completion scripts.
load helpers

setup() {
    berth_setup
    b completion bash > "$BATS_TEST_TMPDIR/berth.bash"
}

# complete WORD...: runs the bash completion for a command line whose
# last word is being completed; prints the candidates, one per line.
complete_words() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _berth
             printf "%s\n" "${COMPREPLY[@]}"' _ "$BATS_TEST_TMPDIR/berth.bash" "$@"
}

@test "completion bash is a valid script and needs no runtime" {
    run -0 bash -n "$BATS_TEST_TMPDIR/berth.bash"
    # no store is created: completion runs before any runtime init
    [ ! -e "$BATS_TEST_TMPDIR/root" ]
    [ ! -e "$BATS_TEST_TMPDIR/scratch" ]
}

@test "completion zsh is a valid script" {
    command -v zsh >/dev/null || skip "zsh is not installed"
    b completion zsh > "$BATS_TEST_TMPDIR/_berth"
    run -0 zsh -n "$BATS_TEST_TMPDIR/_berth"
    run -0 b completion zsh --no-desc
    [[ $output == "#compdef berth"* ]]
}

@test "completion -f writes the script to a file" {
    run -0 b completion bash -f "$BATS_TEST_TMPDIR/out.bash"
    [ -z "$output" ]
    cmp "$BATS_TEST_TMPDIR/out.bash" "$BATS_TEST_TMPDIR/berth.bash"
}

@test "completion refuses an unknown shell" {
    run -125 --separate-stderr b completion fish
    [[ $stderr == *'invalid argument "fish"'* ]]
}

@test "flags of a command are completed" {
    if b ps --help >/dev/null 2>&1; then
        run -0 complete_words berth ps --fo
    else
        run -0 complete_words berth version --fo    # ps not built in this tree yet
    fi
    [ "$output" = "--format" ]
    run -0 complete_words berth --root /x system locks --nohe
    [ "$output" = "--noheading" ]
}

@test "top-level commands and groups are completed" {
    run -0 complete_words berth cont
    [ "$output" = "container" ]
    run -0 complete_words berth system re
    [[ $output == *refresh* && $output == *renumber* ]]
    run -0 complete_words berth help sys
    [ "$output" = "system" ]
}

@test "container l offers ls, list and logs (those that are built)" {
    run -0 complete_words berth container l
    if b container list --help >/dev/null 2>&1; then
        [[ $'\n'$output$'\n' == *$'\nlist\n'* ]]
        [[ $'\n'$output$'\n' == *$'\nls\n'* ]]
    fi
    if b container logs --help >/dev/null 2>&1; then
        [[ $'\n'$output$'\n' == *$'\nlogs\n'* ]]
    fi
    # nothing that does not start with l
    [ -z "$output" ] || ! grep -qv '^l' <<< "$output"
}

@test "hidden commands are not completed" {
    run -0 complete_words berth __
    [ -z "$output" ]
}

@test "the committed scripts match the command table" {
    local top=$BATS_TEST_DIRNAME/../..
    [ -f "$top/completions/bash/berth" ] || skip "no committed completions"
    b completion bash | cmp - "$top/completions/bash/berth"
    b completion zsh | cmp - "$top/completions/zsh/_berth"
}
