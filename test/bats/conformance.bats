# test/bats/conformance.bats: podman 4.3.1's flags, output and exit codes
# on the commands berth has (issue 19), each checked against the
# installed podman; the expected texts are podman's.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "a warning podman prints as a bare line is a bare line" {
    run -0 --separate-stderr b create --network host -p 8080:80 $IMG true
    [ "$stderr" = "Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use" ]
}

# podman accepts {{.ID}} wherever {{.Id}} works (images, containers,
# networks; ps, network ls and history know only .ID, as podman's).
@test "--format '{{.ID}}' works everywhere '{{.Id}}' does" {
    BERTH_ARGS+=(--network-config-dir "$BATS_TEST_TMPDIR/net")
    run -0 b create --name c1 $IMG true
    cid=$(b container inspect --format '{{.Id}}' c1)
    iid=$(b image inspect --format '{{.Id}}' $IMG)
    run -0 b network create n1
    nid=$(b network inspect --format '{{.Id}}' n1)
    for cmd in "ps -a" "images" "image inspect $IMG" "container inspect c1" "inspect c1" \
               "inspect $IMG" "inspect --type image $IMG" "network ls" "network inspect n1" \
               "history $IMG"; do
        if b $cmd --format '{{.Id}}' >/dev/null 2>&1; then
            run -0 b $cmd --format '{{.ID}}'
            [ -n "$output" ]
        fi
    done
    [ "$(b container inspect --format '{{.ID}}' c1)" = "$cid" ]
    [ "$(b inspect --format '{{ .ID }}' c1)" = "$cid" ]
    [ "$(b image inspect --format '{{.ID}}' $IMG)" = "$iid" ]
    [ "$(b inspect --format '{{.ID}}' $IMG)" = "$iid" ]
    [ "$(b network inspect --format '{{.ID}}' n1)" = "$nid" ]
    # podman reads a container's .ImageID as its .Image
    [ "$(b container inspect --format '{{.ImageID}}' c1)" = "$iid" ]
}

@test "info has podman's keys that scripts read" {
    run -0 b info --format json
    info=$output
    for k in .host.buildahVersion .host.conmon.package .host.ociRuntime.package \
             .host.slirp4netns.executable .host.slirp4netns.package .host.slirp4netns.version \
             .store.configFile; do
        [ "$(jq -r "$k | type" <<<"$info")" = string ] || { echo "missing $k"; false; }
    done
    [ "$(jq -c .store.graphOptions <<<"$info")" = "{}" ]
    [ "$(jq -r .store.imageStore.number <<<"$info")" = 1 ]
    [ "$(jq -r .store.configFile <<<"$info")" = "$TEST_CONF" ]
    [ "$(jq -r '.store.graphStatus | type' <<<"$info")" = object ]
    if [ "$(jq -r .store.graphDriverName <<<"$info")" = overlay ]; then
        [ "$(jq -r '.store.graphStatus | keys | join(",")' <<<"$info")" = \
          "Backing Filesystem,Native Overlay Diff,Supports d_type,Using metacopy" ]
    fi
    # the package the distribution installed conmon with, as podman names it
    conmon=$(jq -r .host.conmon.path <<<"$info")
    if owner=$(dpkg -S "$conmon" 2>/dev/null); then
        [ "$(jq -r .host.conmon.package <<<"$info")" = \
          "$(dpkg-query -f '${Package}_${Version}_${Architecture}' -W "${owner%%:*}")" ]
    fi
    # templates see Go's field names and print maps as Go does
    run -0 b info --format '{{.Store.GraphOptions}}|{{.Store.ImageStore.Number}}'
    [ "$output" = "map[]|1" ]
    run -0 b --storage-opt overlay.mountopt=nodev info --format '{{.Store.GraphOptions}}'
    [ "$output" = "map[overlay.mountopt:nodev]" ]
    run -0 b info --format '{{.Host.Conmon.Package}}'
    [ "$output" = "$(jq -r .host.conmon.package <<<"$info")" ]
}
