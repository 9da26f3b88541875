# test/bats/pull_names.bats: which image a reference means: manifest
# lists and platforms, short names (aliases, search registries, the
# short-name modes with and without a terminal), mirrors, blocked and
# insecure registries, policy.json (reg_helpers.bash).
load helpers
load images_helpers
load reg_helpers

setup_file() {
    test_images_init
    reg_setup_file
    reg_start open 5000
    reg_start basic 5001
    reg_start plain 5004
    berth_setup
    reg_setup
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5000/test/busybox:1
    reg_skopeo copy -q --dest-tls-verify=false "docker-archive:$TEST_IMAGES/busybox.docker.tar" \
        docker://127.0.0.1:5004/test/busybox:1 >/dev/null
    # a manifest list: the busybox image for amd64, one made for arm64
    MKARCHIVE_ARCH=arm64 python3 "$BATS_TEST_DIRNAME/../../bench/mkarchive.py" "$REG_DIR/arm.tar" arm 0
    reg_put "$REG_DIR/arm.tar" 127.0.0.1:5000/test/multi:arm64
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5000/test/multi:amd64
    local entries="" a v
    for a in amd64 arm64; do
        local m=$REG_DIR/m-$a.json
        v=""
        if [ $a = arm64 ]; then v=',"variant":"v8"'; fi
        reg_ns curl -s --cacert "$REG_DIR/ca.crt" -o "$m" \
            -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
            "https://127.0.0.1:5000/v2/test/multi/manifests/$a"
        entries+="${entries:+,}{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"size\":$(stat -c %s "$m"),\"digest\":\"sha256:$(sha256sum "$m" | cut -d' ' -f1)\",\"platform\":{\"architecture\":\"$a\",\"os\":\"linux\"$v}}"
    done
    printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[%s]}' \
        "$entries" > "$REG_DIR/list.json"
    reg_ns curl -sf --cacert "$REG_DIR/ca.crt" -X PUT \
        -H 'Content-Type: application/vnd.docker.distribution.manifest.list.v2+json' \
        --data-binary "@$REG_DIR/list.json" https://127.0.0.1:5000/v2/test/multi/manifests/1
}

teardown_file() { reg_teardown_file; }
setup() { reg_setup; }
teardown() { reg_teardown; }

BB_ID=0341d88d4d118064cc77791ed8bf9316d48d5de88910a345e3ff12f56a943754
conf() { printf "$@" > "$CFG/etc/containers/registries.conf"; }

@test "a manifest list: the host's platform, or the one --arch/--platform asks for" {
    list=sha256:$(sha256sum "$REG_DIR/list.json" | cut -d' ' -f1)
    amd=sha256:$(sha256sum "$REG_DIR/m-amd64.json" | cut -d' ' -f1)
    run -0 rb pull -q 127.0.0.1:5000/test/multi:1
    [ "$output" = "$BB_ID" ]
    run -0 rb image inspect --format '{{.Architecture}} {{.Digest}}' "$BB_ID"
    [ "$output" = "amd64 $amd" ]
    # the list's digest names the image too
    run -0 rb image inspect --format '{{json .RepoDigests}}' "$BB_ID"
    [[ $output == *"127.0.0.1:5000/test/multi@$list"* ]]
    [[ $output == *"127.0.0.1:5000/test/multi@$amd"* ]]
    run -0 rb image inspect --format '{{.Id}}' "127.0.0.1:5000/test/multi@$list"
    [ "$output" = "$BB_ID" ]
    run -0 rb pull -q --arch arm64 127.0.0.1:5000/test/multi:1
    arm=$output
    [ "$arm" != "$BB_ID" ]
    run -0 rb image inspect --format '{{.Architecture}}' "$arm"
    [ "$output" = arm64 ]
    run -0 rb pull -q --platform linux/arm64/v8 127.0.0.1:5000/test/multi:1
    [ "$output" = "$arm" ]
    run -0 rb pull -q --arch aarch64 127.0.0.1:5000/test/multi:1
    [ "$output" = "$arm" ]
    run -125 rb pull -q --arch s390x 127.0.0.1:5000/test/multi:1
    [[ $output == *"no image found in manifest list for architecture s390x"* ]]
    run -125 rb pull -q --platform linux/arm64 --arch arm64 127.0.0.1:5000/test/multi:1
    [[ $output == *"--platform option can not be specified with --arch or --os"* ]]
    run -125 rb pull -q --platform arm64 127.0.0.1:5000/test/multi:1
    [[ $output == *"invalid platform syntax"* ]]
    # the list by digest
    run -0 rb rmi -a
    run -0 rb pull -q "127.0.0.1:5000/test/multi@$list"
    [ "$output" = "$BB_ID" ]
    run -0 rb images --format '{{.Repository}} {{.Tag}}'
    [ "$output" = "127.0.0.1:5000/test/multi <none>" ]
}

@test "short names: an alias, then the search registries in order" {
    conf '[aliases]\n"bb" = "127.0.0.1:5000/test/busybox"\n'
    run -0 --separate-stderr rb pull bb:1
    [ "$output" = "$BB_ID" ]
    [[ ${stderr_lines[0]} == "Resolved \"bb\" as an alias ($CFG/etc/containers/registries.conf)" ]]
    [ "${stderr_lines[1]}" = "Trying to pull 127.0.0.1:5000/test/busybox:1..." ]
    run -0 rb images --format '{{.Repository}}:{{.Tag}}'
    [ "$output" = "127.0.0.1:5000/test/busybox:1" ]
    # permissive (the default), no terminal: each search registry in turn
    conf 'unqualified-search-registries = ["127.0.0.1:5001", "127.0.0.1:5000"]\n'
    run -0 --separate-stderr rb pull test/busybox:1
    [[ ${stderr_lines[0]} == "Resolving \"test/busybox\" using unqualified-search registries ("*"registries.conf)" ]]
    [ "${stderr_lines[1]}" = "Trying to pull 127.0.0.1:5001/test/busybox:1..." ]
    [ "${stderr_lines[2]}" = "Trying to pull 127.0.0.1:5000/test/busybox:1..." ]
    run -125 --separate-stderr rb pull test/nothere:1
    [[ $stderr == *"2 errors occurred while pulling:"* ]]
    [[ $stderr == *" * initializing source docker://127.0.0.1:5001/test/nothere:1: "* ]]
    [[ $stderr == *" * initializing source docker://127.0.0.1:5000/test/nothere:1: "* ]]
    conf ''
    run -125 rb pull test/busybox:1
    [[ $output == *'short-name "test/busybox:1" did not resolve to an alias and no unqualified-search registries are defined'* ]]
}

@test "enforcing short names: no terminal fails naming the choices; a terminal prompts and records the alias" {
    conf 'short-name-mode = "enforcing"\nunqualified-search-registries = ["127.0.0.1:5001", "127.0.0.1:5000"]\n'
    run -125 --separate-stderr rb pull test/busybox:1
    [[ $stderr == *"short-name resolution enforced but cannot prompt without a TTY"* ]]
    [[ $stderr == *"127.0.0.1:5001/test/busybox:1, 127.0.0.1:5000/test/busybox:1"* ]]
    run -0 rb images -q
    [ -z "$output" ]
    # a terminal: the second name is chosen
    cmd="nsenter -t $REG_NS_PID -n $BERTH_BIN ${BERTH_ARGS[*]} pull -q test/busybox:1"
    run -0 bash -c "printf '2\n' | script -qec '$cmd' /dev/null"
    [[ $output == *"Please select an image"* ]]
    [[ $output == *"$BB_ID"* ]]
    cache=$CFG/var/cache/containers/short-name-aliases.conf
    [ "$(stat -c %a "$cache")" = 600 ]
    run -0 cat "$cache"
    [[ $output == *'"test/busybox" = "127.0.0.1:5000/test/busybox"'* ]]
    # the next pull resolves through the recorded alias, without a prompt
    run -0 --separate-stderr rb pull test/busybox:1
    [ "${stderr_lines[0]}" = "Resolved \"test/busybox\" as an alias ($cache)" ]
    # disabled: every search registry, never a prompt
    conf 'short-name-mode = "disabled"\nunqualified-search-registries = ["127.0.0.1:5001", "127.0.0.1:5000"]\n'
    rm "$cache"
    cmd="nsenter -t $REG_NS_PID -n $BERTH_BIN ${BERTH_ARGS[*]} pull test/busybox:1"
    run -0 bash -c "script -qec '$cmd' /dev/null </dev/null"
    [[ $output != *"Please select"* ]]
    [[ $output == *"Trying to pull 127.0.0.1:5000/test/busybox:1"* ]]
}

@test "mirrors are tried first; a blocked registry is refused; an insecure one may speak HTTP" {
    conf '[[registry]]\nprefix = "example.test/mirrored"\nlocation = "example.test/mirrored"\n[[registry.mirror]]\nlocation = "127.0.0.1:5000/test"\n'
    run -0 rb pull -q example.test/mirrored/busybox:1
    [ "$output" = "$BB_ID" ]
    run -0 rb images --format '{{.Repository}}:{{.Tag}}'
    [ "$output" = "example.test/mirrored/busybox:1" ]
    conf '[[registry]]\nlocation = "127.0.0.1:5000"\nblocked = true\n'
    run -125 rb pull -q 127.0.0.1:5000/test/busybox:1
    [[ $output == *"registry 127.0.0.1:5000 is blocked in $CFG/etc/containers/registries.conf"* ]]
    conf ''
    run -125 rb pull -q 127.0.0.1:5004/test/busybox:1
    conf '[[registry]]\nlocation = "127.0.0.1:5004"\ninsecure = true\n'
    run -0 rb pull -q 127.0.0.1:5004/test/busybox:1
    [ "$output" = "$BB_ID" ]
    # CONTAINERS_REGISTRIES_CONF names the file instead
    printf 'unqualified-search-registries = ["127.0.0.1:5000"]\n' > "$BATS_TEST_TMPDIR/r.conf"
    CONTAINERS_REGISTRIES_CONF=$BATS_TEST_TMPDIR/r.conf run -0 rb pull -q test/busybox:1
    CONTAINERS_REGISTRIES_CONF=$BATS_TEST_TMPDIR/none.conf run -125 rb pull -q test/busybox:1
    [[ $output == *"none.conf"* ]]
}

@test "policy.json: reject refuses, a signature requirement is not supported, a scope can open" {
    p=$CFG/etc/containers/policy.json
    echo '{"default":[{"type":"reject"}]}' > "$p"
    run -125 rb pull -q 127.0.0.1:5000/test/busybox:1
    [ "$output" = "Error: Source image rejected: Running image docker://127.0.0.1:5000/test/busybox:1 is rejected by policy." ]
    echo '{"default":[{"type":"reject"}],"transports":{"docker":{"127.0.0.1:5000/test":[{"type":"signedBy","keyType":"GPGKeys","keyPath":"/nope"}],"127.0.0.1:5000/test/busybox:1":[{"type":"insecureAcceptAnything"}]}}}' > "$p"
    run -125 rb pull -q 127.0.0.1:5000/test/multi:1
    [[ $output == *'requires "signedBy", and berth cannot verify signatures: not supported'* ]]
    run -0 rb pull -q 127.0.0.1:5000/test/busybox:1
    run -0 rb pull -q --signature-policy /dev/null 127.0.0.1:5000/test/busybox:1 || true
    echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$BATS_TEST_TMPDIR/open.json"
    echo '{"default":[{"type":"reject"}]}' > "$p"
    run -0 rb pull -q --signature-policy "$BATS_TEST_TMPDIR/open.json" 127.0.0.1:5000/test/busybox:1
    rm "$p"
    run -125 rb pull -q 127.0.0.1:5000/test/busybox:1
    [[ $output == *"policy.json"*"no such file or directory"* ]]
}

@test "info shows the unqualified-search registries" {
    conf 'unqualified-search-registries = ["127.0.0.1:5001", "127.0.0.1:5000"]\n'
    run -0 rb info --format '{{json .Registries}}'
    [ "$output" = '{"search":["127.0.0.1:5001","127.0.0.1:5000"]}' ]
}
