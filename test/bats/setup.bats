# test/bats/setup.bats: the README's two set-up commands on a bare machine.
# A copy of the tree (tracked files as they are now) is built with PATH
# shims that make pkg-config and dpkg-query answer "not installed" until
# the install step (apt-get, also a shim: the packages are really here)
# has run, the way a fresh Debian machine answers.
load helpers

setup() {
    SRC=$BATS_TEST_DIRNAME/../..
    T=$BATS_TEST_TMPDIR
    mkdir -p "$T/tree" "$T/shims"
    (cd "$SRC" && git ls-files -z | xargs -0 cp -a --parents -t "$T/tree")
    cat > "$T/shims/apt-get" <<EOT
#!/bin/sh
echo "apt-get \$*" >> "$T/apt.log"
touch "$T/installed"
EOT
    for tool in pkg-config dpkg-query; do
        cat > "$T/shims/$tool" <<EOT
#!/bin/sh
[ -e "$T/installed" ] || exit 1
exec /usr/bin/$tool "\$@"
EOT
    done
    chmod +x "$T/shims"/*
}

# make in the copy, with the shims first in a plain PATH and none of this
# bats run's variables or PATH entries (a nested bats would take them for
# its own).
bare_make() {
    env -i PATH="$T/shims:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        HOME="$HOME" LANG=C.UTF-8 make -C "$T/tree" -j2 "$@"
}

@test "make on a bare machine says in one line to run make deps" {
    run -2 --separate-stderr bare_make
    [[ $stderr == *"the build packages are not installed"*"run 'make deps' as root, or 'make demo'"* ]]
    [ "$(grep -c 'undefined reference\|error:' <<<"$stderr")" -eq 0 ]
}

@test "make demo works the first time on a bare machine" {
    run -0 bare_make demo
    grep -q '^apt-get install' "$T/apt.log"
    [[ $output == *"hello from a berth container"* ]]
    [[ $output == *"demo: done"* ]]
}

@test "make check works the first time on a bare machine" {
    run -0 bare_make check BATS_FILES=test/bats/help.bats
    grep -q '^apt-get install' "$T/apt.log"
    grep -qE '^[1-9][0-9]* passed, 0 failed' <<<"$output"
}
