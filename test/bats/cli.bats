# test/bats/cli.bats: the command line itself: help, unknown commands and
# flags, exit codes.
load helpers

setup()    { berth_setup; }

@test "--version prints the version" {
    run -0 b --version
    [[ $output == "berth version "* ]]
}

@test "version prints client information" {
    run -0 b version
    [[ $output == *"Version:"* ]]
    [[ $output == *"OS/Arch:      linux/"* ]]
}

@test "an unknown command fails with 125 and says so" {
    run -125 --separate-stderr b nosuchcommand
    [ -z "$output" ]
    [[ $stderr == *"Error: unrecognized command \`berth nosuchcommand\`"* ]]
}

@test "an unknown flag fails with 125 and names the flag" {
    run -125 --separate-stderr b version --bogus
    [[ $stderr == *"Error: unknown flag: --bogus"* ]]
    [[ $stderr == *"See 'berth version --help'"* ]]
}

@test "an unknown shorthand flag names the letter" {
    run -125 --separate-stderr b version -x
    [[ $stderr == *"Error: unknown shorthand flag: 'x' in -x"* ]]
}

@test "a flag missing its value says so" {
    run -125 --separate-stderr b version --format
    [[ $stderr == *"Error: flag needs an argument: --format"* ]]
}

@test "berth with no command prints the command list" {
    run -0 b
    [[ $output == *"Available Commands:"* ]]
    [[ $output == *"version"* ]]
}

@test "help COMMAND is the same as COMMAND --help" {
    run -0 b help version
    a=$output
    run -0 b version --help
    [ "$a" = "$output" ]
    [[ $output == *"Usage:"*"berth version [options]"* ]]
}

# issue 20: the operand array was freed twice when parsing failed or
# printed help after an operand (the release build aborted with 134).
@test "an unknown flag or --help after the operands: 125 or help, no crash" {
    local c
    for c in tag untag "image tag" "image untag" "image exists"; do
        run -125 --separate-stderr b $c localhost/busybox -x
        [[ $stderr == "Error: unknown shorthand flag: 'x' in -x"* ]]
        run -125 --separate-stderr b $c localhost/busybox other --bogus
        [[ $stderr == "Error: unknown flag: --bogus"* ]]
        run -0 b $c localhost/busybox --help
        [[ $output == *"Usage:"* ]]
    done
}

@test "help lists a command's aliases after its name, comma-separated" {
    run -0 b container ls --help
    [[ $output == *$'Aliases:\n  ls, list, ps\n'* ]]
    run -0 b network rm --help
    [[ $output == *$'Aliases:\n  rm, remove\n'* ]]
}

@test "container cleanup has podman's flags only: --rm is long-only" {
    run -125 --separate-stderr b container cleanup -n x
    [[ $stderr == *"unknown shorthand flag: 'n' in -n"* ]]
    run -125 --separate-stderr b container cleanup -m x
    [[ $stderr == *"unknown shorthand flag: 'm' in -m"* ]]
}

# test/data/podman-flags.tsv is podman 4.3.1's --help, read by
# tools/podman-flags.sh. A short letter that podman does not give the same
# flag is an accident (an option enum that ran into letters).
@test "every short letter of every command is the one podman gives that flag" {
    run -0 b __gen-man --flags
    run -0 awk -F'\t' '
        FNR == NR {                               # podman: commands, aliases, flags
            if ($2 == "@") {                      # "podman container list  @  list, ls"
                n = split($3, a, ", "); par = $1; sub(/ [^ ]+$/, "", par)
                for (i = 1; i <= n; i++) canon[par " " a[i]] = $1
            } else { cmd[$1] = 1; short[$1 "|" $3] = $2 }
            next
        }
        $2 == "-" || $2 == "@" { next }
        {
            p = "podman" substr($1, 6)
            if (!(p in cmd) && (p in canon)) p = canon[p]
            if (!(p in cmd)) next                 # a command podman lacks
            if (short[p "|" $3] != $2)
                printf "%s: -%s, --%s (podman: %s)\n", $1, $2, $3, \
                    (p "|" $3) in short ? "-" short[p "|" $3] : "no such flag"
        }' "$BATS_TEST_DIRNAME/../data/podman-flags.tsv" <(printf '%s\n' "$output")
    [ -z "$output" ]
}
