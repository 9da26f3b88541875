# test/bats/hooks.bats: OCI hook files (schema 1.0.0) from --hooks-dir and
# the hooks_dir config key, run by the OCI runtime at each stage. Each hook
# appends its name to a marker file; the test dir is bound into the
# container at the same path so startContainer (run inside) finds it.
load helpers
load ctr_helpers

setup() {
    ctr_setup
    H=$BATS_TEST_TMPDIR/hk
    mkdir -p "$H/hooks" "$H/out"
    printf '#!/bin/sh\necho "$1" >> "$2"\n' > "$H/hook.sh"
    chmod +x "$H/hook.sh"
}
teardown() { berth_teardown; }

# hook FILE NAME WHEN STAGES: a hook file in $H/hooks writing NAME
hook() {
    local dir=${DIR:-$H/hooks}
    mkdir -p "$dir"
    printf '{"version":"1.0.0","hook":{"path":"%s","args":["hook.sh","%s","%s"]},"when":%s,"stages":%s}\n' \
        "$H/hook.sh" "$2" "$H/out/marker" "$3" "$4" > "$dir/$1"
}

markers() { tr '\n' ' ' < "$H/out/marker" 2>/dev/null; }

@test "a hook at each stage runs, in the runtime's order" {
    n=0
    for s in prestart createRuntime createContainer startContainer poststart poststop; do
        n=$((n + 1))
        hook "0$n-$s.json" $s '{"always":true}' "[\"$s\"]"
    done
    run -0 b --hooks-dir "$H/hooks" run --rm --network none -v "$H:$H" $IMG true
    retry_until 10 grep -q poststop "$H/out/marker"
    [ "$(markers)" = "prestart createRuntime createContainer poststart startContainer poststop " ]
}

@test "when: annotations, commands and hasBindMounts must all hold" {
    hook 10-ann.json annotation '{"annotations":{"^com\\.example\\.x$":"^y"}}' '["prestart"]'
    hook 11-cmd.json command '{"commands":["^/bin/tr"]}' '["prestart"]'
    hook 12-bind.json bind '{"hasBindMounts":true}' '["prestart"]'
    hook 13-both.json both '{"always":true,"commands":["nomatch"]}' '["prestart"]'
    hook 14-empty.json empty '{}' '["prestart"]'
    run -0 b --hooks-dir "$H/hooks" run --rm --network none --annotation com.example.x=yes $IMG /bin/true
    [ "$(markers)" = "annotation command " ]
    rm "$H/out/marker"
    run -0 b --hooks-dir "$H/hooks" run --rm --network none -v "$H:/mnt" $IMG echo
    [ "$(markers)" = "bind " ]
}

@test "hook files are taken by lower-cased name; a later directory masks a name" {
    hook b.json b '{"always":true}' '["prestart"]'
    hook A.json A '{"always":true}' '["prestart"]'
    hook c.json c-first '{"always":true}' '["prestart"]'
    DIR=$H/second hook c.json c-second '{"always":true}' '["prestart"]'
    run -0 b --hooks-dir "$H/hooks" --hooks-dir "$H/second" run --rm --network none $IMG true
    [ "$(markers)" = "A b c-second " ]
}

@test "the hooks_dir config key; a missing directory is no error" {
    hook a.json from-config '{"always":true}' '["prestart"]'
    printf '[engine]\nhooks_dir = ["%s", "%s/none"]\n' "$H/hooks" "$H" > "$TEST_CONF"
    run -0 b run --rm --network none $IMG true
    [ "$(markers)" = "from-config " ]
    # the flag replaces the config's list
    rm "$H/out/marker"
    run -0 b --hooks-dir "$H/none" run --rm --network none $IMG true
    [ ! -e "$H/out/marker" ]
}

@test "bad hook files are errors naming the file" {
    DIR=$H/v hook a.json x '{"always":true}' '["prestart"]'
    sed -i 's/1.0.0/2.0.0/' "$H/v/a.json"
    # podman reads the hooks when the container starts: run exits 126
    run -126 --separate-stderr b --hooks-dir "$H/v" run --rm --network none $IMG true
    [ "$stderr" = "Error: setting up OCI Hooks: parsing hook \"$H/v/a.json\": unrecognized hook version: \"2.0.0\"" ]
    DIR=$H/s hook a.json x '{"always":true}' '["nope"]'
    run -126 --separate-stderr b --hooks-dir "$H/s" run --rm --network none $IMG true
    [[ $stderr == *"unknown stage \"nope\""* ]]
    DIR=$H/p hook a.json x '{"always":true}' '["prestart"]'
    sed -i "s|$H/hook.sh|$H/missing.sh|" "$H/p/a.json"
    # a hook whose program is not there is passed over, as podman does
    run -0 b --hooks-dir "$H/p" run --rm --network none $IMG true
    [ ! -e "$H/out/marker" ]
}
