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
