# test/bats/login.bats: berth login, logout and search against
# docker-registry with htpasswd Basic auth and with Bearer tokens
# (reg_helpers.bash). The auth files are the test's own.
load helpers
load images_helpers
load reg_helpers

setup_file() {
    test_images_init
    reg_setup_file
    reg_start open 5000
    reg_start basic 5001
    reg_start token 5002 5003
    berth_setup
    reg_setup
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5000/test/busybox:1
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5000/test/busybox:2
    reg_put "$TEST_IMAGES/layered.docker.tar" 127.0.0.1:5000/other/layered:1
    reg_put "$TEST_IMAGES/busybox.docker.tar" 127.0.0.1:5001/test/busybox:1
}

teardown_file() { reg_teardown_file; }
setup() { reg_setup; }
teardown() { reg_teardown; }

@test "login checks the password, writes a 0600 auth file; logout removes the entry" {
    auth=$XDG_RUNTIME_DIR/containers/auth.json
    run -125 --separate-stderr rb login -u alice -p wrong 127.0.0.1:5001
    [ "$stderr" = 'Error: logging into "127.0.0.1:5001": invalid username/password' ]
    [ ! -e "$auth" ]
    run -0 rb login -u alice -p "$REG_PASSWORD" 127.0.0.1:5001
    [ "$output" = "Login Succeeded!" ]
    [ "$(stat -c %a "$auth")" = 600 ]
    [ "$(stat -c %a "$(dirname "$auth")")" = 700 ]
    run -0 jq -r '.auths["127.0.0.1:5001"].auth' "$auth"
    [ "$output" = "$(printf 'alice:%s' "$REG_PASSWORD" | base64)" ]
    run -0 rb login --get-login 127.0.0.1:5001
    [ "$output" = alice ]
    # what login stored is what pull uses
    run -0 rb pull -q 127.0.0.1:5001/test/busybox:1
    run -0 rb logout 127.0.0.1:5001
    [ "$output" = "Removed login credentials for 127.0.0.1:5001" ]
    run -125 rb logout 127.0.0.1:5001
    [ "$output" = "Error: not logged into 127.0.0.1:5001" ]
    run -125 rb login --get-login 127.0.0.1:5001
    [ "$output" = "Error: not logged into 127.0.0.1:5001" ]
    run -0 jq -c . "$auth"
    [ "$output" = '{"auths":{}}' ]
}

@test "login: --password-stdin, --authfile, REGISTRY_AUTH_FILE, -v, namespaces; no secret printed" {
    f=$BATS_TEST_TMPDIR/mine.json
    run -0 --separate-stderr rb login -v --authfile "$f" -u alice --password-stdin \
        https://127.0.0.1:5001/ <<<"$REG_PASSWORD"
    [ "${lines[0]}" = "Used:  $f" ]
    [ "${lines[1]}" = "Login Succeeded!" ]
    [[ "$output$stderr" != *"$REG_PASSWORD"* ]]
    [ "$(stat -c %a "$f")" = 600 ]
    run -0 jq -r '.auths | keys[]' "$f"
    [ "$output" = "127.0.0.1:5001" ]
    REGISTRY_AUTH_FILE=$f run -0 rb login --get-login 127.0.0.1:5001
    [ "$output" = alice ]
    # a namespace gets an entry of its own; lookups fall back to the host
    REGISTRY_AUTH_FILE=$f run -0 rb login -u alice -p "$REG_PASSWORD" 127.0.0.1:5001/test
    run -0 jq -r '.auths | keys | join(" ")' "$f"
    [ "$output" = "127.0.0.1:5001 127.0.0.1:5001/test" ]
    REGISTRY_AUTH_FILE=$f run -0 rb logout 127.0.0.1:5001/test
    REGISTRY_AUTH_FILE=$f run -0 rb login --get-login 127.0.0.1:5001/test
    [ "$output" = alice ]
    # other keys of a file survive a login and a logout
    jq '. + {"credHelpers":{"x.io":"secretservice"}}' "$f" > "$f.new" && mv "$f.new" "$f"
    run -0 rb logout --authfile "$f" -a
    [ "$output" = "Removed login credentials for all registries" ]
    run -0 jq -c . "$f"
    [ "$output" = '{"auths":{},"credHelpers":{"x.io":"secretservice"}}' ]
    run -125 rb login -u alice -p x --password-stdin 127.0.0.1:5001 </dev/null
    [[ $output == *"can't specify both --password-stdin and --password"* ]]
    run -125 rb login --password-stdin 127.0.0.1:5001 </dev/null
    [[ $output == *"must provide --username with --password-stdin"* ]]
    # no terminal to ask on: refused, never hung
    run -125 rb login -u alice 127.0.0.1:5001 </dev/null
    [[ $output == *"reading password"* ]]
}

@test "login against a Bearer token registry; TLS flags" {
    run -125 --separate-stderr rb login -u alice -p nope 127.0.0.1:5002
    [[ $stderr == *"invalid username/password"* ]]
    [[ $stderr != *nope* ]]
    run -0 rb login -u alice -p "$REG_PASSWORD" 127.0.0.1:5002
    run -0 rb pull -q 127.0.0.1:5002/test/busybox:1 2>/dev/null || true
    # the CA of localhost:5001 is not trusted, unless told
    run -125 rb login -u alice -p "$REG_PASSWORD" localhost:5001
    [[ $output == *"x509: certificate signed by unknown authority"* ]]
    run -0 rb login --tls-verify=false -u alice -p "$REG_PASSWORD" localhost:5001
    run -0 rb login --cert-dir "$CFG/etc/containers/certs.d/127.0.0.1:5000" -u alice -p "$REG_PASSWORD" localhost:5001
}

@test "logout of credentials docker's config.json holds says so" {
    mkdir -p "$HOME/.docker"
    printf '{"auths":{"127.0.0.1:5001":{"auth":"%s"}}}' "$(printf 'alice:%s' "$REG_PASSWORD" | base64)" \
        > "$HOME/.docker/config.json"
    run -0 rb login --get-login 127.0.0.1:5001
    [ "$output" = alice ]
    run -125 rb logout 127.0.0.1:5001
    [[ $output == *"Existing credentials were established via docker login"* ]]
}

@test "search lists a registry's catalog, matches names, lists tags" {
    run -0 rb search 127.0.0.1:5000/
    [ "${lines[0]}" = "$(printf '%-30s%s' NAME DESCRIPTION)" ]
    [ "${lines[1]}" = "$(printf '%-30s' 127.0.0.1:5000/other/layered)" ]
    [ "${lines[2]}" = "$(printf '%-30s' 127.0.0.1:5000/test/busybox)" ]
    run -0 rb search 127.0.0.1:5000/busy
    [ "${#lines[@]}" -eq 2 ]
    [[ ${lines[1]} == "127.0.0.1:5000/test/busybox"* ]]
    # podman's image search is search
    run -0 rb image search 127.0.0.1:5000/busy
    [[ ${lines[1]} == "127.0.0.1:5000/test/busybox"* ]]
    run -0 rb search --limit 1 127.0.0.1:5000/
    [ "${#lines[@]}" -eq 2 ]
    run -0 rb search --format '{{.Name}}|{{.Index}}|{{.Stars}}|{{.Official}}' 127.0.0.1:5000/
    [ "${lines[0]}" = "127.0.0.1:5000/other/layered|127.0.0.1:5000|0|" ]
    run -0 rb search --format json 127.0.0.1:5000/busy
    run -0 jq -r '.[0] | "\(.Index) \(.Name) \(.Stars) \(.Tag)"' <<<"$output"
    [ "$output" = "127.0.0.1:5000 127.0.0.1:5000/test/busybox 0 " ]
    run -0 rb search --compatible 127.0.0.1:5000/busy
    [[ ${lines[0]} == "NAME"*"DESCRIPTION"*"STARS"*"OFFICIAL"*"AUTOMATED" ]]
    run -0 rb search --list-tags 127.0.0.1:5000/test/busybox
    [ "${lines[0]}" = "$(printf '%-29s%s' NAME TAG)" ]
    # in the registry's order
    [ "$(printf '%s\n' "${lines[@]:1}" | sort | tr '\n' ,)" = \
      "$(printf '%-29s%s,%-29s%s,' 127.0.0.1:5000/test/busybox 1 127.0.0.1:5000/test/busybox 2)" ]
    run -125 rb search --list-tags 127.0.0.1:5000/test/busybox:1
    [[ $output == *"must not have a tag"* ]]
    run -0 rb search --filter stars=1 127.0.0.1:5000/
    [ -z "$output" ]
    run -0 rb search --filter is-official=false 127.0.0.1:5000/busy
    [ "${#lines[@]}" -eq 2 ]
    run -125 rb search --filter bogus=1 127.0.0.1:5000/
    [[ $output == *'invalid filter type "bogus"'* ]]
    # the search registries of registries.conf for a bare term
    printf 'unqualified-search-registries = ["127.0.0.1:5000"]\n' > "$CFG/etc/containers/registries.conf"
    run -0 rb search layered
    [[ ${lines[1]} == "127.0.0.1:5000/other/layered"* ]]
    # a registry that needs credentials: from the auth file
    run -125 rb search 127.0.0.1:5001/
    [[ $output == *"couldn't search registry \"127.0.0.1:5001\""*"unauthorized"* ]]
    run -0 rb login -u alice -p "$REG_PASSWORD" 127.0.0.1:5001
    run -0 rb search 127.0.0.1:5001/
    [[ ${lines[1]} == "127.0.0.1:5001/test/busybox"* ]]
}

@test "pull --creds USER asks for the password on a terminal, refuses without one" {
    cmd="nsenter -t $REG_NS_PID -n $BERTH_BIN ${BERTH_ARGS[*]} pull -q --creds alice 127.0.0.1:5001/test/busybox:1"
    run -0 bash -c "printf '%s\n' '$REG_PASSWORD' | script -qec '$cmd' /dev/null"
    [[ $output == *"Password: "* ]]
    [[ $output == *0341d88d4d11* ]]
    run -125 rb pull -q --creds alice 127.0.0.1:5001/test/busybox:1 </dev/null
    [[ $output == *"reading password: stdin is not a terminal"* ]]
}
