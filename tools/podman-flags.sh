#!/usr/bin/env bash
# tools/podman-flags.sh > test/data/podman-flags.tsv: every command of the
# installed podman with its flags, read from --help, one line per flag:
#   <command path>\t<short letter or ->\t<long name>
# and one line "<command path>\t@\t<alias,...>" per command with aliases.
# The table is what test/bats/cli.bats checks berth's option tables against
# (a short letter podman does not give that flag is an accident).
set -euo pipefail
walk() {
    local help cmd
    help=$(podman "$@" --help 2>/dev/null) || return 0
    awk -v path="podman${*:+ $*}" '
        /^Aliases:/ { al = 1; next }
        al && /^ / { sub(/^ +/, ""); print path "\t@\t" $0; al = 0; next }
        /^[A-Z][a-z ]*:$/ { sect = $0; next }
        sect == "Options:" && /^ +-/ {
            line = $0; sub(/^ +/, "", line)
            short = "-"
            if (line ~ /^-[a-zA-Z0-9], --/) { short = substr(line, 2, 1); line = substr(line, 5); sub(/^--/, "", line) }
            else sub(/^--/, "", line)
            split(line, w, /[ =]/); print path "\t" short "\t" w[1]
        }' <<<"$help"
    for cmd in $(awk '/^Available Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}' <<<"$help"); do
        [ "$cmd" = help ] && continue
        walk "$@" "$cmd"
    done
}
walk
# hidden from podman's command list, but real
walk completion
