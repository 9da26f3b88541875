#!/usr/bin/env bats
# test/bats/images.bats: the image commands over the store: load, tag,
# untag, image exists, images, image inspect, rmi, prune, history,
# image mount, save, import.
load helpers
load images_helpers

BUSYBOX_ID=0341d88d4d118064cc77791ed8bf9316d48d5de88910a345e3ff12f56a943754
LAYERED_ID=f9e19a2a873cf9bc0d693885b9fb5b1237b12de44b503daf18ef21c08289b951
CONFD_ID=b3484b03a18694493a2fc179ab8adc6efaeef77c6a85ab5b4cdd928f2872c2d0

setup_file() { test_images_init; }
setup() { berth_setup; test_images_init; }
teardown() { berth_teardown; }

# ---- load ------------------------------------------------------------------

@test "load -i docker-archive and oci-archive print Loaded image" {
    run -0 b load -i "$TEST_IMAGES/busybox.docker.tar"
    [ "$output" = "Loaded image: localhost/busybox:latest" ]
    run -0 b load --input "$TEST_IMAGES/layered.oci.tar"
    [ "$output" = "Loaded image: localhost/layered:latest" ]
    run -0 b image load < "$TEST_IMAGES/confd.docker.tar"
    [ "$output" = "Loaded image: localhost/confd:latest" ]
    run -0 b images -q --no-trunc
    [ "${#lines[@]}" -eq 3 ]
}

@test "load of the same image in both formats keeps one image" {
    run -0 b load -i "$TEST_IMAGES/busybox.docker.tar"
    run -0 b load -i "$TEST_IMAGES/busybox.oci.tar"
    run -0 b images -q --no-trunc
    [ "$output" = "sha256:$BUSYBOX_ID" ]
}

@test "load -q still prints Loaded image, as podman's (it quiets progress only)" {
    run -0 --separate-stderr b load -q -i "$TEST_IMAGES/busybox.oci.tar"
    [ "$output" = "Loaded image: localhost/busybox:latest" ]
    [ -z "$stderr" ]
}

@test "load from a compressed stream" {
    gzip -c "$TEST_IMAGES/layered.docker.tar" > "$BATS_TEST_TMPDIR/l.tar.gz"
    run -0 b load < "$BATS_TEST_TMPDIR/l.tar.gz"
    [ "$output" = "Loaded image: localhost/layered:latest" ]
}

@test "load refuses a terminal and operands" {
    run -125 --separate-stderr b load extra
    [ "$stderr" = 'Error: `berth load` takes no arguments' ]
}

@test "load of a missing file: Error, 125" {
    run -125 --separate-stderr b load -i "$BATS_TEST_TMPDIR/nope.tar"
    [ "$stderr" = "Error: stat $BATS_TEST_TMPDIR/nope.tar: no such file or directory" ]
}

# ---- tag / untag / exists --------------------------------------------------

@test "tag adds names; short names get localhost/ and :latest" {
    load_test_image busybox
    run -0 b tag busybox mybox foo/bar:1 quay.io/x/y:2
    run -0 b images --format '{{.Repository}}:{{.Tag}}' --sort repository
    [ "$output" = "localhost/busybox:latest
localhost/foo/bar:1
localhost/mybox:latest
quay.io/x/y:2" ]
}

@test "tag moves a name from another image" {
    load_test_image busybox
    load_test_image confd
    run -0 b tag confd busybox
    run -0 b image inspect --format '{{.RepoTags}}' busybox
    [ "$output" = "[localhost/confd:latest localhost/busybox:latest]" ]
}

@test "tag errors: unknown image, bad name, too few arguments" {
    load_test_image busybox
    run -125 b tag nope x
    [ "$output" = "Error: nope: image not known" ]
    run -125 b tag busybox 'Bad/Name'
    [[ $output == "Error: "*"invalid reference format"* || $output == *"must be lowercase"* ]]
    run -125 --separate-stderr b tag busybox BAD:x
    [ "$stderr" = 'Error: normalizing name "BAD:x": normalizing name "BAD:x": repository name must be lowercase' ]
    run -125 --separate-stderr b tag busybox A/b
    [ "$stderr" = 'Error: normalizing name "A/b": invalid reference format: repository name must be lowercase' ]
    run -125 --separate-stderr b tag busybox 'a b'
    [ "$stderr" = 'Error: normalizing name "a b": normalizing name "a b": invalid reference format' ]
    run -125 --separate-stderr b untag busybox ''
    [ "$stderr" = 'Error: normalizing name "": normalizing name "": repository name must have at least one component' ]
    run -125 --separate-stderr b tag busybox
    [ "$stderr" = "Error: requires at least 2 arg(s), only received 1" ]
    run -125 --separate-stderr b tag
    [ "$stderr" = "Error: requires at least 2 arg(s), only received 0" ]
    run -125 --separate-stderr b untag
    [ "$stderr" = "Error: requires at least 1 arg(s), only received 0" ]
}

@test "untag removes one name, or all" {
    load_test_image busybox
    run -0 b tag busybox a b
    run -0 b untag busybox a
    run -0 b image inspect --format '{{len .RepoTags}}' "$BUSYBOX_ID"
    [ "$output" = 2 ]
    run -125 b untag busybox nope
    [ "$output" = "Error: localhost/nope:latest: tag not known" ]
    run -0 b untag busybox
    run -0 b images --format '{{.Repository}} {{.Tag}} {{.ID}}'
    [ "$output" = "<none> <none> 0341d88d4d11" ]
}

@test "image exists: 0, 1, and by id prefix" {
    load_test_image busybox
    run -0 b image exists busybox
    run -0 b image exists localhost/busybox:latest
    run -0 b image exists 0341d8
    run -0 b image exists "sha256:$BUSYBOX_ID"
    run -1 b image exists nope
    [ -z "$output" ]
    run -125 b image exists
}

@test "image exists, history, search, pull: podman's argument count errors" {
    run -125 --separate-stderr b image exists
    [ "$stderr" = "Error: accepts 1 arg(s), received 0" ]
    run -125 --separate-stderr b image exists a b
    [ "$stderr" = "Error: accepts 1 arg(s), received 2" ]
    run -125 --separate-stderr b history
    [ "$stderr" = "Error: accepts 1 arg(s), received 0" ]
    run -125 --separate-stderr b history a b
    [ "$stderr" = "Error: accepts 1 arg(s), received 2" ]
    run -125 --separate-stderr b search
    [ "$stderr" = "Error: accepts 1 arg(s), received 0" ]
    run -125 --separate-stderr b pull
    [ "$stderr" = "Error: requires at least 1 arg(s), only received 0" ]
    # several are pulled each in turn (pull.bats); none answers here, the
    # last error is the command's
    run -125 --separate-stderr b pull --tls-verify=false 127.0.0.1:1/a 127.0.0.1:1/b
    errs=$(grep '^Error: ' <<<"$stderr")
    [ "$(wc -l <<<"$errs")" = 2 ]
    [[ $(head -1 <<<"$errs") == "Error: "*"127.0.0.1:1/a"* ]]
    [[ $(tail -1 <<<"$errs") == "Error: "*"127.0.0.1:1/b"* ]]
}

@test "tag and untag write image events" {
    load_test_image busybox
    run -0 b tag busybox t1
    run -0 b untag busybox t1
    run -0 b events --stream=false --filter type=image --format '{{.Status}} {{.Name}}'
    [ "$output" = "loadfromarchive $TEST_IMAGES/busybox.docker.tar
tag localhost/t1:latest
untag localhost/t1:latest" ]
}

# ---- images / image ls ----------------------------------------------------

load_three() {
    load_test_image busybox
    load_test_image layered oci
    load_test_image confd
}

@test "images: podman's columns, one row per name, load order kept" {
    load_three
    run -0 b tag busybox foo:1
    run -0 b images
    [ "${lines[0]}" = "REPOSITORY         TAG         IMAGE ID      CREATED      SIZE" ]
    [[ ${lines[1]} == "localhost/busybox  latest      0341d88d4d11  "*" ago  2.13 MB" ]]
    [[ ${lines[2]} == "localhost/foo      1           0341d88d4d11  "* ]]
    [[ ${lines[3]} == "localhost/layered  latest      f9e19a2a873c  "*"  2.15 MB" ]]
    [[ ${lines[4]} == "localhost/confd    latest      b3484b03a186  "* ]]
    run -0 b image ls --noheading
    [ "${#lines[@]}" -eq 4 ]
    run -0 b image list -n --format '{{.Repository}}'
    [ "${lines[0]}" = localhost/busybox ]
}

@test "images -q dedups ids; --no-trunc adds sha256:" {
    load_three
    run -0 b tag busybox foo:1
    run -0 b images -q
    [ "$output" = "0341d88d4d11
f9e19a2a873c
b3484b03a186" ]
    run -0 b images -q --no-trunc
    [ "${lines[0]}" = "sha256:$BUSYBOX_ID" ]
    run -0 b images --no-trunc --noheading --format '{{.ID}}'
    [ "${lines[0]}" = "sha256:$BUSYBOX_ID" ]
}

@test "images --digests shows the manifest digest (podman's for a docker-archive)" {
    load_test_image busybox
    run -0 b images --digests
    [[ ${lines[0]} == "REPOSITORY"*"TAG"*"DIGEST"*"IMAGE ID"*"CREATED"*"SIZE" ]]
    [[ ${lines[1]} == *"sha256:55315a3e285b496da048c6240f248bb5961a7fae1c92705543606f536f14d031"* ]]
}

@test "images --format json: podman's ImageSummary, one per row" {
    load_three
    run -0 b images --format json
    echo "$output" | jq -e 'length == 3'
    echo "$output" | jq -e '.[0] | keys_unsorted == ["Id","ParentId","RepoTags","RepoDigests","Size","SharedSize","VirtualSize","Labels","Containers","Names","Digest","History","Created","CreatedAt"]'
    echo "$output" | jq -e '.[0].Size == 2131153 and .[0].RepoTags == null and .[0].Created == 1700000000'
    echo "$output" | jq -e '.[0].CreatedAt == "2023-11-14T22:13:20Z"'
    echo "$output" | jq -e '.[2].Labels == {"maintainer":"berth","org.berth.test":"confd"}'
    echo "$output" | jq -e '.[0].RepoDigests == ["localhost/busybox@sha256:55315a3e285b496da048c6240f248bb5961a7fae1c92705543606f536f14d031"]'
}

@test "images --format templates: podman's reporter fields" {
    load_test_image confd
    run -0 b images --format '{{.Id}}|{{.Tag}}|{{.CreatedAt}}|{{.Size}}|{{.VirtualSize}}|{{.Labels}}|{{.Names}}|{{.History}}|{{.Containers}}|{{.Dangling}}'
    [ "$output" = "$CONFD_ID|latest|2023-11-14 22:13:20 +0000 UTC|2.13 MB|2131400|map[maintainer:berth org.berth.test:confd]|[localhost/confd:latest]|localhost/confd:latest|0|false" ]
    run -0 b images --format 'table {{.ID}} {{.CreatedSince}}'
    [[ ${lines[0]} == "IMAGE ID      CREATED SINCE" ]]
    run -125 b images --format '{{.Nope}}'
    [[ $output == "Error: template:"*"Nope"* ]]
}

@test "images --sort created|id|repository|size|tag, and a bad key" {
    load_three
    run -0 b images --sort repository --format '{{.Repository}}'
    [ "$output" = "localhost/busybox
localhost/confd
localhost/layered" ]
    run -0 b images --sort size --format '{{.ID}}'
    [ "$output" = "0341d88d4d11
b3484b03a186
f9e19a2a873c" ]
    run -0 b images --sort id -q
    [ "$output" = "0341d88d4d11
b3484b03a186
f9e19a2a873c" ]
    run -0 b tag busybox busybox:a
    run -0 b images --sort tag --format '{{.Tag}}'
    [ "${lines[0]}" = a ]
    run -125 b images --sort nope
    [[ $output == 'Error: "nope" is not a valid field for sorting'* ]]
}

@test "images filters: reference, label, id, digest, dangling, before/since, until" {
    load_three
    run -0 b tag busybox foo:1
    run -0 b images -q --filter reference=busy*
    [ "$output" = 0341d88d4d11 ]
    run -0 b images -q --filter 'reference=*/foo:1'
    [ "$output" = 0341d88d4d11 ]
    run -0 b images -q --filter reference=localhost/layered:latest
    [ "$output" = f9e19a2a873c ]
    run -0 b images -q busybox
    [ "$output" = 0341d88d4d11 ]
    run -0 b images -q --filter label=maintainer
    [ "$output" = b3484b03a186 ]
    # podman ORs the filters of one key (label!= too), ANDs the keys
    run -0 b images -q --filter reference=busybox --filter reference=layered
    [ "$output" = $'0341d88d4d11\nf9e19a2a873c' ]
    run -0 b images -q --filter label=maintainer=berth --filter label=nomatch
    [ "$output" = b3484b03a186 ]
    run -0 b images -q --filter label=maintainer --filter 'label!=maintainer'
    [ "${#lines[@]}" = 3 ]
    run -0 b images -q --filter reference=busybox --filter label=maintainer
    [ "$output" = "" ]
    run -0 b images -q --filter label=maintainer=berth
    [ "$output" = b3484b03a186 ]
    run -0 b images -q --filter label=maintainer=x
    [ -z "$output" ]
    run -0 b images -q --filter label!=maintainer
    [ "$output" = "0341d88d4d11
f9e19a2a873c" ]
    run -0 b images -q --filter id=f9e
    [ "$output" = f9e19a2a873c ]
    run -0 b images -q --filter digest=sha256:55315a
    [ "$output" = 0341d88d4d11 ]
    run -0 b images -q --filter dangling=true
    [ -z "$output" ]
    run -0 b images -q --filter dangling=false
    [ "${#lines[@]}" -eq 3 ]
    run -0 b images -q --filter since=busybox
    [ -z "$output" ]          # all created at the same second
    run -0 b images -q --filter before=busybox
    [ -z "$output" ]
    run -0 b images -q --filter until=1h
    [ "${#lines[@]}" -eq 3 ]
    run -0 b images -q --filter containers=false
    [ "${#lines[@]}" -eq 3 ]
    run -0 b images -q --filter reference=busybox --filter label=maintainer
    [ -z "$output" ]
}

@test "images: an untagged image is <none> and dangling" {
    load_three
    run -0 b untag layered
    run -0 b images --filter dangling=true
    [[ ${lines[1]} == "<none>      <none>      f9e19a2a873c  "* ]]
    run -0 b images --format json
    echo "$output" | jq -e '.[1] | .Dangling == true and (has("Names") | not) and .RepoDigests == []'
}

@test "RepoDigests are sorted, as libimage's" {
    load_test_image busybox
    run -0 b tag busybox localhost/zz localhost/aa
    local d=sha256:55315a3e285b496da048c6240f248bb5961a7fae1c92705543606f536f14d031
    run -0 b image inspect --format '{{json .RepoDigests}}' busybox
    [ "$output" = "[\"localhost/aa@$d\",\"localhost/busybox@$d\",\"localhost/zz@$d\"]" ]
    run -0 b images --format json
    [ "$(jq -c '.[0].RepoDigests' <<<"$output")" = "[\"localhost/aa@$d\",\"localhost/busybox@$d\",\"localhost/zz@$d\"]" ]
}

@test "images filter errors as podman's" {
    load_test_image busybox
    run -125 b images --filter nope=1
    [ "$output" = 'Error: unsupported image filter "nope"' ]
    run -125 b images --filter nope
    [ "$output" = 'Error: invalid image filter "nope": must be in the format "filter=value or filter!=value"' ]
    run -125 b images --filter dangling=maybe
    [ "$output" = 'Error: non-boolean value "dangling" for maybe filter: strconv.ParseBool: parsing "maybe": invalid syntax' ]
    run -125 b images --filter before=nope
    [ "$output" = 'Error: could not find local image for filter filter "before"="nope": nope: image not known' ]
    run -125 b images -f dangling=true busybox
    [ "$output" = "Error: cannot specify an image and a filter(s)" ]
    run -125 b images -f until=yesterday
    [ "$output" = 'Error: failed to parse value as time or duration: "yesterday"' ]
}

@test "images in an empty store prints the header only" {
    run -0 b images
    [ "$output" = "REPOSITORY  TAG         IMAGE ID    CREATED     SIZE" ]
    run -0 b images --format json
    [ "$output" = "[]" ]
}

# ---- image inspect / inspect -------------------------------------------------

@test "image inspect: podman's JSON shape and values" {
    load_test_image confd
    run -0 b image inspect confd
    echo "$output" | jq -e 'length == 1'
    echo "$output" | jq -e '.[0] | keys_unsorted == ["Id","Digest","RepoTags","RepoDigests","Parent","Comment","Created","Config","Version","Author","Architecture","Os","Size","VirtualSize","GraphDriver","RootFS","Labels","Annotations","ManifestType","User","History","NamesHistory"]'
    echo "$output" | jq -e ".[0].Id == \"$CONFD_ID\""
    echo "$output" | jq -e '.[0].Config | keys_unsorted == ["User","ExposedPorts","Env","Entrypoint","Cmd","Volumes","WorkingDir","Labels","StopSignal"]'
    echo "$output" | jq -e '.[0] | .User == "app" and .Created == "2023-11-14T22:13:20Z" and .Size == 2131400'
    echo "$output" | jq -e '.[0].RootFS == {"Type":"layers","Layers":["sha256:99be70254653814f3575aa3cef0c61e0a9b8f59e607dcb851c5d2b5758fc1d41"]}'
    echo "$output" | jq -e '.[0].ManifestType == "application/vnd.docker.distribution.manifest.v2+json"'
    # podman indents inspect output by five spaces
    [[ ${lines[1]} == "     {" ]]
}

@test "image inspect: layers, GraphDriver and history of a layered image" {
    load_test_image layered oci
    run -0 b image inspect layered
    echo "$output" | jq -e '.[0].RootFS.Layers | length == 3'
    echo "$output" | jq -e '.[0].History | length == 3'
    echo "$output" | jq -e '.[0].ManifestType == "application/vnd.oci.image.manifest.v1+json"'
    if [ "$(b info --format '{{.Store.GraphDriverName}}' 2>/dev/null)" = overlay ]; then
        echo "$output" | jq -e '.[0].GraphDriver.Name == "overlay"'
        echo "$output" | jq -e '.[0].GraphDriver.Data.LowerDir | split(":") | length == 2'
    fi
}

@test "image inspect --format templates" {
    load_test_image busybox
    run -0 b image inspect --format '{{.Id}} {{.Config.Cmd}} {{.Labels}} {{.Created}}' busybox
    [ "$output" = "$BUSYBOX_ID [sh] map[] 2023-11-14 22:13:20 +0000 UTC" ]
    run -0 b image inspect --format '{{json .RepoTags}}' busybox
    [ "$output" = '["localhost/busybox:latest"]' ]
}

@test "image inspect: found images print, then the error; exit 125" {
    load_test_image busybox
    run -125 b image inspect --format '{{.Id}}' nope busybox
    [ "${lines[0]}" = "$BUSYBOX_ID" ]
    [ "${lines[1]}" = "Error: inspecting object: nope: image not known" ]
    run -125 b image inspect
    [ "$output" = "Error: no names or ids specified" ]
}

@test "inspect finds images; --type; unknown objects" {
    load_test_image busybox
    run -0 b inspect --format '{{.Id}}' busybox
    [ "$output" = "$BUSYBOX_ID" ]
    run -0 b inspect --type image --format '{{.Id}}' 0341d8
    [ "$output" = "$BUSYBOX_ID" ]
    run -125 b inspect nope
    [ "${lines[0]}" = "[]" ]
    [ "${lines[1]}" = 'Error: inspecting object: no such object: "nope"' ]
    run -125 b inspect --type foo busybox
    [[ $output == 'Error: invalid type "foo": must be "image", "container"'* ]]
}

# ---- history ------------------------------------------------------------------

@test "history: ids from the layer tree, sizes, <missing>" {
    load_test_image confd
    load_test_image layered
    run -0 b history layered
    [ "${lines[0]}" = "ID            CREATED      CREATED BY                        SIZE        COMMENT" ]
    [[ ${lines[1]} == "f9e19a2a873c  "*" ago  test/images/build.sh: layer l3    10.2 kB     " ]]
    [[ ${lines[2]} == "<missing>     "* ]]
    [[ ${lines[3]} == "b3484b03a186  "*"2.13 MB"* ]]
    run -0 b history -q layered
    [ "$output" = "f9e19a2a873c
<missing>
b3484b03a186" ]
    run -0 b history --no-trunc --format '{{.ID}}' confd
    [ "$output" = "$CONFD_ID" ]
}

@test "history --human=false and --format json as podman" {
    load_test_image layered
    run -0 b history --human=false --format '{{.Created}}|{{.CreatedAt}}|{{.Size}}' layered
    [ "${lines[0]}" = "2023-11-14T22:13:20Z|2023-11-14 22:13:20 +0000 UTC|10.2 kB" ]
    run -0 b history --format json layered
    [[ $output == '[{"id":"'$LAYERED_ID'","created":"2023-11-14T22:13:20Z","CreatedBy":"test/images/build.sh: layer l3","size":10240,"Created":"2023-11-14T22:13:20Z"},{"id":"\u003cmissing\u003e",'* ]]
    run -125 b history nope
    [ "$output" = "Error: nope: image not known" ]
}

# ---- rmi / image rm -----------------------------------------------------------

@test "rmi of one of several names untags; the last name deletes" {
    load_test_image busybox
    run -0 b tag busybox foo:2
    run -0 b rmi foo:2
    [ "$output" = "Untagged: localhost/foo:2" ]
    run -0 b image rm busybox
    [ "$output" = "Untagged: localhost/busybox:latest
Deleted: $BUSYBOX_ID" ]
    run -0 b images -q
    [ -z "$output" ]
    # nothing of the image is left in the store
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/layers")" ]
    [ -z "$(ls "$BATS_TEST_TMPDIR/root/blobs/sha256")" ]
}

@test "rmi: unknown image exits 1; --ignore; the others still go" {
    load_test_image busybox
    run -1 b rmi nope
    [ "$output" = "Error: nope: image not known" ]
    run -1 b rmi nope busybox
    [[ $output == *"Deleted: $BUSYBOX_ID"* ]]
    [[ $output == *"Error: nope: image not known"* ]]
    load_test_image busybox
    run -0 b rmi --ignore nope busybox
    [ "${lines[1]}" = "Deleted: $BUSYBOX_ID" ]
    # several failures are one error, as podman's JoinErrors writes it
    run -1 --separate-stderr b rmi nope nope2
    [ "$stderr" = "Error: 2 errors occurred:
	* nope: image not known
	* nope2: image not known" ]
}

@test "rmi by id with several names wants -f" {
    load_test_image busybox
    run -0 b tag busybox b2
    run -125 b rmi 0341d88d4d11
    [ "$output" = "Error: unable to delete image \"$BUSYBOX_ID\" by ID with more than one tag ([localhost/busybox:latest localhost/b2:latest]): please force removal" ]
    run -0 b rmi -f 0341d88d4d11
    [ "$output" = "Untagged: localhost/busybox:latest
Untagged: localhost/b2:latest
Deleted: $BUSYBOX_ID" ]
}

@test "rmi refuses an image a container uses (exit 2); -f removes the container" {
    load_test_image confd
    run -0 b create --name c1 confd
    run -2 b rmi confd
    [[ $output == "Error: image used by "*": image is in use by a container: consider listing external containers and force-removing image" ]]
    run -0 b images -q
    [ "$output" = b3484b03a186 ]
    run -0 b rmi -f confd
    [ "${lines[-1]}" = "Deleted: $CONFD_ID" ]
    run -0 b ps -aq
    [ -z "$output" ]
}

@test "rmi -a removes every image; errors without names" {
    load_test_image busybox
    load_test_image layered
    run -0 b rmi -a
    [ "${#lines[@]}" -eq 4 ]
    run -0 b images -aq
    [ -z "$output" ]
    run -125 b rmi
    [ "$output" = "Error: image name or ID must be specified" ]
    run -125 b rmi -a busybox
    [[ $output == "Error: when using the --all switch"* ]]
}

@test "rmi and untag write remove and untag events" {
    load_test_image busybox
    run -0 b rmi busybox
    run -0 b events --stream=false --filter type=image --format '{{.Status}} {{.ID}}'
    [[ $output == *"untag $BUSYBOX_ID"*"remove $BUSYBOX_ID" ]]
}

# ---- image prune ------------------------------------------------------------

@test "image prune removes dangling images only; -a the unused ones" {
    load_test_image busybox
    load_test_image layered
    load_test_image confd
    run -0 b create --name c1 confd
    run -0 b untag layered
    run -0 b image prune -f
    [ "$output" = "$LAYERED_ID" ]
    run -0 b image prune -f
    [ -z "$output" ]
    run -0 b image prune -a -f
    [ "$output" = "$BUSYBOX_ID" ]
    run -0 b images -q
    [ "$output" = b3484b03a186 ]
}

@test "image prune --filter label, and the confirmation prompt" {
    load_test_image busybox
    load_test_image confd
    run -0 b image prune -a -f --filter label=maintainer=berth
    [ "$output" = "$CONFD_ID" ]
    run -0 b image prune -a <<< "n"
    [[ $output == *"Are you sure you want to continue? [y/N]"* ]]
    run -0 b images -q
    [ "$output" = 0341d88d4d11 ]
    run -0 b image prune -a <<< "y"
    [[ $output == *"$BUSYBOX_ID"* ]]
    run -125 b image prune -f --filter nope=1
    [ "$output" = 'Error: unsupported image filter "nope"' ]
}

# ---- image mount / unmount ----------------------------------------------------

@test "image mount shows the merged layers read-only; unmount counts" {
    load_test_image layered
    run -0 b image mount layered
    mnt=$output
    [ "$(cat "$mnt/data/keep")" = keep ]
    [ ! -e "$mnt/data/gone" ]
    [ "$(ls "$mnt/opt/old")" = new ]
    run ! touch "$mnt/x"
    run -0 b image mount layered
    [ "$output" = "$mnt" ]
    run -0 b image mount
    [[ $output == "localhost/layered:latest  $mnt" ]]
    run -0 b image unmount layered
    [ -z "$output" ]            # one user left
    run -0 b image unmount layered
    [ "$output" = "$LAYERED_ID" ]
    run -0 b image mount
    [ -z "$output" ]
    run -0 b events --stream=false --filter type=image --format '{{.Status}}'
    [[ $output == *"mount"*"mount"*"unmount" ]]
}

@test "image mount errors and --all" {
    load_test_image busybox
    run -125 b image mount nope
    [ "$output" = "Error: nope: image not known" ]
    # podman's table: each image's first name (its id without one), path
    run -0 b image mount --all
    [[ $output =~ ^localhost/busybox:latest\ \ /.*/merged$ ]]
    run -0 b image unmount --all
    [ "$output" = "$BUSYBOX_ID" ]
    run -125 b image unmount
    load_test_image confd
    run -0 b image mount busybox confd
    [[ ${lines[0]} =~ ^localhost/busybox:latest\ \ /.*/merged$ ]]
    [[ ${lines[1]} =~ ^localhost/confd:latest\ {4}/.*/merged$ ]]
    run -0 b image mount busybox
    [[ $output =~ ^/.*/merged$ ]]
    run -0 b image unmount --all
}

# ---- save ---------------------------------------------------------------------

@test "save -> load round trip keeps ids and digests (docker-archive and oci-archive)" {
    load_test_image busybox
    load_test_image layered oci
    run -0 b images --digests --no-trunc --format '{{.ID}} {{.Digest}}'
    before=$output
    run -0 b save -o "$BATS_TEST_TMPDIR/bb.tar" busybox
    [ -z "$output" ]
    run -0 b save --format oci-archive -o "$BATS_TEST_TMPDIR/l.tar" layered
    run -0 b rmi -a
    run -0 b load -i "$BATS_TEST_TMPDIR/bb.tar"
    [ "$output" = "Loaded image: localhost/busybox:latest" ]
    run -0 b load -i "$BATS_TEST_TMPDIR/l.tar"
    run -0 b images --digests --no-trunc --format '{{.ID}} {{.Digest}}'
    [ "$output" = "$before" ]
    # the OCI archive holds the very blobs the image came with
    diff <(tar tf "$TEST_IMAGES/layered.oci.tar" | grep '^blobs/sha256/.' | sort) \
         <(tar tf "$BATS_TEST_TMPDIR/l.tar" | grep '^blobs/sha256/.' | sort)
}

@test "save: docker-archive layout as podman's; stdout; multi-image" {
    load_test_image busybox
    load_test_image confd
    run -0 b save -o "$BATS_TEST_TMPDIR/bb.tar" busybox
    run -0 tar xOf "$BATS_TEST_TMPDIR/bb.tar" manifest.json
    [ "$output" = '[{"Config":"'$BUSYBOX_ID'.json","RepoTags":["localhost/busybox:latest"],"Layers":["99be70254653814f3575aa3cef0c61e0a9b8f59e607dcb851c5d2b5758fc1d41.tar"]}]' ]
    b save busybox > "$BATS_TEST_TMPDIR/stdout.tar"
    cmp "$BATS_TEST_TMPDIR/stdout.tar" "$BATS_TEST_TMPDIR/bb.tar"
    run -0 b save -m -o "$BATS_TEST_TMPDIR/two.tar" busybox confd
    run -0 b rmi -a
    run -0 b load -i "$BATS_TEST_TMPDIR/two.tar"
    [ "$output" = "Loaded image: localhost/busybox:latest
Loaded image: localhost/confd:latest" ]
}

# podman's save without -m: the first image, the other names its tags
# (normalized, not looked up), before its own; -m only in a docker-archive;
# a docker-archive never over a file that has data; --compress for
# docker-dir only
@test "save without -m: the names after the first tag it; podman's refusals" {
    load_test_image busybox
    load_test_image confd
    local d=$BATS_TEST_TMPDIR
    run -0 b save -o "$d/t.tar" busybox confd foo:bar
    run -0 tar xOf "$d/t.tar" manifest.json
    [ "$(jq -c '[length, .[0].Config, .[0].RepoTags]' <<<"$output")" = '[1,"'$BUSYBOX_ID'.json",["localhost/confd:latest","localhost/foo:bar","localhost/busybox:latest"]]' ]
    run -0 b rmi -a
    run -0 b load -i "$d/t.tar"
    run -0 b images --format '{{.Repository}}:{{.Tag}} {{.ID}}' --sort repository
    [ "$output" = "localhost/busybox:latest ${BUSYBOX_ID:0:12}
localhost/confd:latest ${BUSYBOX_ID:0:12}
localhost/foo:bar ${BUSYBOX_ID:0:12}" ]
    load_test_image confd
    # OCI: the first image only
    run -0 b save --format oci-archive -o "$d/o.tar" busybox confd
    run -0 tar xOf "$d/o.tar" index.json
    [ "$(jq '.manifests | length' <<<"$output")" = 1 ]
    run -125 --separate-stderr b save -m --format oci-archive -o "$d/o2.tar" busybox confd
    [ "$stderr" = 'Error: unsupported format "oci-archive" for saving multiple images (only docker-archive)' ]
    run -125 --separate-stderr b save -m --format docker-dir -o "$d/dd" busybox confd
    [ "$stderr" = 'Error: unsupported format "docker-dir" for saving multiple images (only docker-archive)' ]
    run -0 b save -m --format oci-archive -o "$d/o3.tar" busybox
    # over an archive: refused, the file as it was; an empty file is no archive
    cp "$d/t.tar" "$d/t.orig"
    run -125 --separate-stderr b save -o "$d/t.tar" busybox
    [ "$stderr" = "Error: docker-archive doesn't support modifying existing images" ]
    cmp "$d/t.tar" "$d/t.orig"
    : > "$d/empty.tar"
    run -0 b save -o "$d/empty.tar" busybox
    run -0 b save --format oci-archive -o "$d/o.tar" busybox
    run -125 --separate-stderr b save --compress -o "$d/c.tar" busybox
    [ "$stderr" = "Error: --compress can only be set when --format is 'docker-dir'" ]
    run -0 b save --compress --format docker-dir -o "$d/cd" busybox
}

@test "save --format oci-dir and docker-dir" {
    load_test_image confd oci
    run -0 b save --format oci-dir -o "$BATS_TEST_TMPDIR/od" confd
    [ -f "$BATS_TEST_TMPDIR/od/oci-layout" ]
    [ -f "$BATS_TEST_TMPDIR/od/blobs/sha256/$CONFD_ID" ]
    run -0 b save --format docker-dir -o "$BATS_TEST_TMPDIR/dd" confd
    [ -f "$BATS_TEST_TMPDIR/dd/manifest.json" ]
    [ -f "$BATS_TEST_TMPDIR/dd/$CONFD_ID" ]
    # an oci-dir tarred up loads back
    tar -C "$BATS_TEST_TMPDIR/od" -cf "$BATS_TEST_TMPDIR/od.tar" .
    run -0 b rmi -a
    run -0 b load -i "$BATS_TEST_TMPDIR/od.tar"
    [ "$output" = "Loaded image: localhost/confd:latest" ]
    # and the directories themselves, as podman's load -i DIR
    run -0 b rmi -a
    run -0 b load -i "$BATS_TEST_TMPDIR/od"
    [ "$output" = "Loaded image: localhost/confd:latest" ]
    run -0 b rmi -a
    run -0 b load -i "$BATS_TEST_TMPDIR/dd"
    [ "$output" = "Loaded image: sha256:$CONFD_ID" ]
    run -125 --separate-stderr b load -i "$BATS_TEST_TMPDIR"
    [[ $stderr == *"neither an OCI layout"* ]]
}

@test "save errors: unknown image, bad format, no output; event written" {
    load_test_image busybox
    run -125 b save -o "$BATS_TEST_TMPDIR/x.tar" nope
    [ "$output" = "Error: nope: image not known" ]
    [ ! -e "$BATS_TEST_TMPDIR/x.tar" ]
    run -125 --separate-stderr b save --format zip -o "$BATS_TEST_TMPDIR/x.tar" busybox
    [ "$stderr" = "Error: format value must be one of oci-dir oci-archive docker-dir docker-archive" ]
    run -125 --separate-stderr b save
    [ "$stderr" = "Error: need at least 1 argument" ]
    run -125 b save --format oci-dir busybox
    [[ $output == "Error: "*"-o DIR"* ]]
    run -0 b save -o "$BATS_TEST_TMPDIR/y.tar" busybox
    run -0 b events --stream=false --filter event=save --format '{{.Status}} {{.Name}}'
    [ "$output" = "save $BATS_TEST_TMPDIR/y.tar" ]
}

# ---- bad input to load ------------------------------------------------------------

@test "load of bad input: clear Error, 125, store unchanged" {
    load_test_image busybox
    snap() { (cd "$BATS_TEST_TMPDIR/root" && find images layers blobs | sort); }
    before=$(snap)
    head -c 300000 "$TEST_IMAGES/layered.docker.tar" > "$BATS_TEST_TMPDIR/trunc.tar"
    run -125 b load -i "$BATS_TEST_TMPDIR/trunc.tar"
    [[ $output == "Error: "* ]]
    echo "not an archive" > "$BATS_TEST_TMPDIR/junk.tar"
    run -125 b load -i "$BATS_TEST_TMPDIR/junk.tar"
    [[ $output == "Error: "*"payload does not match any of the supported image formats"* ]]
    # a layer that does not match its diff id
    mkdir -p "$BATS_TEST_TMPDIR/x" && tar -C "$BATS_TEST_TMPDIR/x" -xf "$TEST_IMAGES/confd.docker.tar"
    l=$(ls "$BATS_TEST_TMPDIR/x"/*.tar)
    echo tampered >> "$l"
    tar -C "$BATS_TEST_TMPDIR/x" -cf "$BATS_TEST_TMPDIR/bad.tar" .
    run -125 b load -i "$BATS_TEST_TMPDIR/bad.tar"
    [[ $output == "Error: "*"digest mismatch"* ]]
    [ "$(snap)" = "$before" ]
    run -0 b images -q
    [ "$output" = 0341d88d4d11 ]
}

@test "five concurrent loads of one archive leave one consistent image" {
    test_images_init
    for i in 1 2 3 4 5; do
        b load -q -i "$TEST_IMAGES/layered.oci.tar" & 
    done
    wait
    run -0 b images -q --no-trunc
    [ "$output" = "sha256:$LAYERED_ID" ]
    run -0 b image mount layered
    [ "$(cat "$output/data/keep")" = keep ]
    run -0 b image unmount layered
}

@test "kill -9 during load: the next images lists without error" {
    test_images_init
    gzip -c "$TEST_IMAGES/layered.docker.tar" > "$BATS_TEST_TMPDIR/l.tar.gz"
    for delay in 0.05 0.1 0.2; do
        "$BERTH_BIN" "${BERTH_ARGS[@]}" load -q -i "$BATS_TEST_TMPDIR/l.tar.gz" &
        pid=$!
        sleep "$delay"
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" || true
        run -0 --separate-stderr b images
        [ -z "$stderr" ]
    done
    run -0 b load -q -i "$BATS_TEST_TMPDIR/l.tar.gz"
    run -0 b images -q
    [ "$output" = f9e19a2a873c ]
}

@test "interop: berth's archive loads in podman with the same id, and back" {
    command -v podman >/dev/null || skip "podman not installed"
    load_test_image layered
    run -0 b save -o "$BATS_TEST_TMPDIR/l.tar" layered
    P=$BATS_TEST_TMPDIR/pm
    mkdir -p "$P/net"
    printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n[network]\nnetwork_config_dir = "%s/net"\n' "$P" > "$P/containers.conf"
    pm() { CONTAINERS_CONF=$P/containers.conf unshare -m sh -c 'mount -t tmpfs tmpfs /dev/shm && exec podman --root "$0/root" --runroot "$0/run" --tmpdir "$0/tmp" "$@"' "$P" "$@"; }
    run -0 pm load -q -i "$BATS_TEST_TMPDIR/l.tar"
    run -0 pm image inspect --format '{{.Id}} {{.RootFS.Layers}}' layered
    want=$output
    run -0 b image inspect --format '{{.Id}} {{.RootFS.Layers}}' layered
    [ "$output" = "$want" ]
    run -0 pm save -o "$BATS_TEST_TMPDIR/pm.tar" layered
    run -0 b rmi -a
    run -0 b load -i "$BATS_TEST_TMPDIR/pm.tar"
    run -0 b image inspect --format '{{.Id}} {{.RootFS.Layers}}' layered
    [ "$output" = "$want" ]
    pm rmi -a -f >/dev/null 2>&1 || true
    umount -R "$P/root/overlay" 2>/dev/null || true
}

# issue 20: a digest names content, never an image; podman refuses it too
@test "tag refuses a name with a digest, as podman does" {
    load_test_image busybox
    local d=sha256:0123456789012345678901234567890123456789012345678901234567890123
    run -125 --separate-stderr b tag busybox "localhost/foo@$d"
    [ "$stderr" = "Error: localhost/foo@$d: tag by digest not supported" ]
    run -125 --separate-stderr b tag busybox "foo:1@$d"
    [ "$stderr" = "Error: foo:1@$d: tag by digest not supported" ]
    run -125 b tag busybox ok "bar@$d"
    run -0 b images --format '{{.Repository}}:{{.Tag}}' --sort repository
    [ "$output" = "localhost/busybox:latest
localhost/ok:latest" ]
}
