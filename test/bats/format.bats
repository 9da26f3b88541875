# test/bats/format.bats: --format through util/out.c and util/template.c,
# on the command that needs no runtime (version).
load helpers

setup()    { berth_setup; }

@test "version --format json is valid JSON" {
    run -0 b version --format json
    echo "$output" | jq -e '.Client.Version' >/dev/null
    # one line, as podman's json.Marshal prints it
    [ "${#lines[@]}" = 1 ]
    [[ $output == '{"Client":{"APIVersion":"'* ]]
}

@test "version --format with a field prints the field" {
    run -0 b version --format '{{.Client.Version}}'
    [[ $output =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
    v=$output
    # podman retries a failing template on the client with .Server. as .
    run -0 --separate-stderr b version --format '{{.Server.Version}}'
    [ "$output" = "$v" ]
    run -0 --separate-stderr b version --format '{{.Version}} {{.Server.Os}}'
    [ "$output" = "$v linux" ]
    run -125 --separate-stderr b version extra
    [ "$stderr" = 'Error: `berth version` takes no arguments' ]
}

@test "a template gets functions, pipelines and the \\t escape" {
    run -0 b version --format '{{.Client.Os | upper}}\t{{json .Client.Os}}'
    [ "$output" = $'LINUX\t"linux"' ]
    run -0 b version --format '{{if eq .Client.Os "linux"}}yes{{else}}no{{end}}'
    [ "$output" = yes ]
}

@test "a bad template exits 125 with a template error and no output" {
    run -125 --separate-stderr b version --format '{{.Client.Version'
    [ -z "$output" ]
    [[ $stderr == "Error: template:"* ]]
    run -125 --separate-stderr b version --format '{{nosuch .Client}}'
    [[ $stderr == 'Error: template: output:1: function "nosuch" not defined' ]]
}

@test "an unknown field exits 125 and prints nothing on stdout" {
    # (the retry on the client, as podman's, renders "xlinux " before it fails)
    run -125 --separate-stderr b version --format 'x{{.Os}} {{.Foo}}'
    [ -z "$output" ]
    [[ $stderr == *"executing \"output\" at <.Foo>: can't evaluate field Foo"* ]]
}

# issue 20: the keyword was read from freed memory (the release build
# printed heap bytes); ps, images and inspect share the parser.
@test "{{template}}, {{define}} and {{block}} are refused by name" {
    local kw
    for kw in 'template "x"' 'define "x"' 'block "x" .'; do
        run -125 --separate-stderr b version --format "{{$kw}}"
        [ -z "$output" ]
        [ "$stderr" = "Error: template: output:1: {{${kw%% *}}} is not supported here" ]
    done
    run -125 --separate-stderr b ps -a --format '{{template "x"}}'
    [ "$stderr" = 'Error: template: output:1: {{template}} is not supported here' ]
    run -125 --separate-stderr b images --format '{{define "x"}}'
    [ "$stderr" = 'Error: template: output:1: {{define}} is not supported here' ]
    run -125 --separate-stderr b inspect --format '{{block "x" .}}' nothing
    [ "$stderr" = 'Error: template: output:1: {{block}} is not supported here' ]
}

@test "a field chain after a function name is a parse error" {
    run -125 --separate-stderr b version --format '{{len call.Names}}'
    [ "$stderr" = 'Error: template: output:1: unexpected . after term "call"' ]
    run -125 --separate-stderr b ps --format '{{if (call.X)}}{{end}}'
    [ "$stderr" = 'Error: template: output:1: unexpected . after term "call"' ]
}

# podman: an empty --format given is a template like any other (an empty
# line per item, one for version and info); inspect's is its JSON
@test "an empty --format prints an empty line per item, as podman's" {
    load images_helpers
    load_test_image busybox
    run -0 b version --format ''
    [ "$output" = "" ] && [ "${#lines[@]}" = 0 ]
    [ "$(b version --format '' | wc -c)" = 1 ]
    [ "$(b info --format '' | wc -c)" = 1 ]
    [ "$(b images --format '' | wc -l)" = 1 ]
    [ "$(b images --format '' | tr -d '\n' | wc -c)" = 0 ]
    [ "$(b history --format '' busybox | wc -l)" = "$(b history -q busybox | wc -l)" ]
    b create --name e1 --network none busybox true >/dev/null
    b create --name e2 --network none busybox true >/dev/null
    [ "$(b ps -a --format '' | wc -l)" = 2 ]
    [ "$(b ps -a --format '' | tr -d '\n' | wc -c)" = 0 ]
    [ "$(b volume ls --format '' | wc -c)" = 0 ]
    run -0 b container inspect --format '' e1
    [ "$(jq -r '.[0].Name' <<<"$output")" = e1 ]
    b rm -f e1 e2 >/dev/null
}

@test "version's Built line is the BuiltTime of its JSON and of info" {
    run -0 b version
    built=$(sed -n 's/^Built: *//p' <<<"$output")
    [ -n "$built" ]
    run -0 b version --format '{{.Client.BuiltTime}}'
    [ "$output" = "$built" ]
}
