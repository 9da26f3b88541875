# test/bats/commit.bats: commit / container commit: the layer (added,
# changed, deleted files), the config (container's, --change, author,
# message), formats, --squash, --pause, --iidfile, names, events, errors.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

CHANGES='echo hi > /newfile; rm /bin/vi; mkdir -p /d/e; echo x > /d/e/f; chmod 600 /etc/group'

@test "commit: the image has the container's changes, deletions included, and runs" {
    b run --network none --name c1 $IMG sh -c "$CHANGES"
    run -0 --separate-stderr b commit c1 img1
    [[ $output =~ ^[0-9a-f]{64}$ ]]
    id=$output
    [[ $stderr == *"Writing manifest to image destination"* ]]
    run -0 b images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
    [[ $output == *"localhost/img1:latest ${id:0:12}"* ]]
    run -0 b run --network none --rm img1 sh -c 'cat /newfile /d/e/f; stat -c %a /etc/group; ls /bin/vi 2>/dev/null || echo gone'
    [ "${lines[0]}" = hi ]
    [ "${lines[1]}" = x ]
    [ "${lines[2]}" = 600 ]
    [ "${lines[-1]}" = gone ]
    # the parent's layers plus one; the history says where it came from
    run -0 b image inspect img1 --format '{{len .RootFS.Layers}} {{.Parent}}'
    parent=$(b image inspect $IMG --format '{{.Id}}')
    [ "$output" = "2 $parent" ]
    run -0 b history --format '{{.CreatedBy}}|{{.Comment}}' img1
    [ "${lines[0]}" = "/bin/sh|FROM $IMG:latest" ]
}

@test "commit prints podman's copy lines on stderr, a blob per layer; -q none" {
    b run --network none --name cp1 $IMG sh -c 'echo x > /f'
    run -0 --separate-stderr b commit cp1 pimg
    id=$output
    [[ $id =~ ^[0-9a-f]{64}$ ]]
    layers=($(b image inspect pimg --format '{{range .RootFS.Layers}}{{.}} {{end}}'))
    [ ${#layers[@]} -eq 2 ]
    want="Getting image source signatures
Copying blob ${layers[0]}
Copying blob ${layers[1]}
Copying config sha256:$id
Writing manifest to image destination
Storing signatures"
    [ "$stderr" = "$want" ]
    # squash: the one layer
    run -0 --separate-stderr b commit --squash cp1 psq
    sq=$(b image inspect psq --format '{{range .RootFS.Layers}}{{.}}{{end}}')
    [ "${stderr_lines[1]}" = "Copying blob $sq" ]
    [ "${stderr_lines[2]}" = "Copying config sha256:$output" ]
    [ ${#stderr_lines[@]} -eq 5 ]
    run -0 --separate-stderr b commit -q cp1 pq
    [[ $output =~ ^[0-9a-f]{64}$ ]]
    [ -z "$stderr" ]
}

@test "commit on a terminal: the parent's layers skipped, the new one done" {
    command -v script >/dev/null || skip "no script(1)"
    b run --network none --name cp2 $IMG sh -c 'echo y > /g'
    run -0 script -qec "stty cols 120 rows 40; $(printf '%q ' "$BERTH_BIN" "${BERTH_ARGS[@]}") commit cp2 timg" /dev/null
    base=$(b image inspect $IMG --format '{{range .RootFS.Layers}}{{.}}{{end}}')
    layers=($(b image inspect timg --format '{{range .RootFS.Layers}}{{.}} {{end}}'))
    new=${layers[1]}
    [[ $output == *"Copying blob ${base:7:12} skipped: already exists"* ]]
    [[ $output == *"Copying blob ${new:7:12} done"* ]]
    [[ $output == *"Copying config "*" done"* ]]
    [[ $output == *"Storing signatures"* ]]
}

@test "commit: the config is the container's, then --change; author and message" {
    b run --network none --name c2 -e FOO=bar -w /tmp --label team=a $IMG sh -c 'echo x > /f'
    run -0 b commit -q -a 'Jo Doe' -c 'ENV A=1' -c 'LABEL k=v' c2 img2
    run -0 b image inspect img2 --format '{{json .Config.Env}}|{{.Config.WorkingDir}}|{{json .Config.Cmd}}|{{.Author}}|{{.Config.Labels.team}} {{.Config.Labels.k}}|{{.ManifestType}}'
    [ "$output" = '["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm","container=podman","FOO=bar","A=1"]|/tmp|["sh","-c","echo x \u003e /f"]|Jo Doe|a v|application/vnd.oci.image.manifest.v1+json' ] ||
    [ "$output" = '["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm","container=podman","FOO=bar","A=1"]|/tmp|["sh","-c","echo x > /f"]|Jo Doe|a v|application/vnd.oci.image.manifest.v1+json' ]
    # CMD from --change wins; the image runs it
    run -0 b commit -q -c 'CMD ["cat", "/f"]' c2 img3
    run -0 b run --network none --rm img3
    [ "$output" = x ]
    # a message needs the docker format, as in podman
    run -125 b commit -q -m msg c2 img4
    [ "$output" = "Error: messages are only compatible with the docker image format (-f docker)" ]
    run -0 b commit -q -f docker -m msg c2 img4
    run -0 b image inspect img4 --format '{{.Comment}} {{.ManifestType}}'
    [ "$output" = "msg application/vnd.docker.distribution.manifest.v2+json" ]
    run -0 b run --network none --rm img4 cat /f
    [ "$output" = x ]
}

@test "commit --squash: one layer holding the whole tree" {
    b run --network none --name c3 $IMG sh -c "$CHANGES"
    run -0 b commit -q --squash c3 sq
    run -0 b image inspect sq --format '{{len .RootFS.Layers}}'
    [ "$output" = 1 ]
    run -0 b run --network none --rm sq sh -c 'cat /newfile; ls /bin/vi 2>/dev/null || echo gone; ls /bin/sh'
    [ "${lines[0]}" = hi ]
    [ "${lines[1]}" = gone ]
    [ "${lines[2]}" = /bin/sh ]
}

@test "commit of a running container (paused meanwhile, or not); --iidfile; no name" {
    b run --network none -d --name c4 $IMG sh -c 'echo run > /r; sleep 86400' >/dev/null
    wait_for_file() { for _ in $(seq 100); do b exec c4 test -f /r && return 0; done; return 1; }
    wait_for_file
    run -0 b commit -q --iidfile "$BATS_TEST_TMPDIR/iid" c4
    id=$output
    [ "$(cat "$BATS_TEST_TMPDIR/iid")" = "$id" ]
    run -0 b inspect c4 --format '{{.State.Status}}'
    [ "$output" = running ]
    run -0 b images --format '{{.ID}} {{.Repository}}' --filter dangling=true
    [ "$output" = "${id:0:12} <none>" ]
    run -0 b run --network none --rm "$id" cat /r
    [ "$output" = run ]
    run -0 b commit -q --pause=false c4 nopause
    run -0 b run --network none --rm nopause cat /r
    [ "$output" = run ]
}

@test "commit --include-volumes makes the container's volumes image volumes" {
    b run --network none --name c5 -v vol1:/data $IMG true
    run -0 b commit -q c5 novol
    run -0 b image inspect novol --format '{{json .Config}}'
    [[ $output != *Volumes* ]]
    run -0 b commit -q --include-volumes c5 withvol
    run -0 b image inspect withvol --format '{{json .Config.Volumes}}'
    [ "$output" = '{"/data":{}}' ]
}

@test "commit writes a commit event for the container" {
    b run --network none --name c6 $IMG true
    run -0 b commit -q c6 evimg
    run -0 b events --stream=false --filter event=commit --format '{{.Type}} {{.Status}} {{.Name}}'
    [ "$output" = "container commit c6" ]
}

@test "commit errors: as podman words them, before anything is written" {
    b create --name c7 $IMG true >/dev/null
    run -125 b commit
    [ "$output" = "Error: accepts between 1 and 2 arg(s), received 0" ]
    run -125 b commit c7 a b
    [ "$output" = "Error: accepts between 1 and 2 arg(s), received 3" ]
    run -125 b commit -f foo c7 x
    [ "$output" = 'Error: unrecognized image format "foo"' ]
    run -125 b commit -c 'FOO bar' c7 x
    [ "$output" = 'Error: invalid change "FOO bar" - invalid instruction FOO' ]
    run -125 b commit -c 'HEALTHCHECK NONE' c7 x
    [ "$output" = 'Error: invalid change "HEALTHCHECK NONE" - invalid instruction HEALTHCHECK' ]
    run -125 b commit nosuch x
    [[ $output == 'Error: no container with name or ID "nosuch" found: no such container' ]]
    run -0 b images -q
    [ "${#lines[@]}" = 1 ]
    # a never-started container commits too (an empty change layer)
    run -0 b commit -q c7 fresh
}

@test "image diff: a committed image's layer against its parent, or two images" {
    b run --network none --name d1 $IMG sh -c "$CHANGES"
    b commit -q d1 dimg >/dev/null
    want='C /bin
D /bin/vi
A /d
A /d/e
A /d/e/f
C /etc
C /etc/group
A /newfile'
    run -0 b image diff dimg
    [ "$output" = "$want" ]
    # diff takes an image when no container has the name
    run -0 b diff dimg
    [ "$output" = "$want" ]
    run -0 b image diff --format json dimg
    [ "$(jq -c . <<<"$output")" = '{"changed":["/bin","/etc","/etc/group"],"added":["/d","/d/e","/d/e/f","/newfile"],"deleted":["/bin/vi"]}' ]
    # two images: the first one's tree against the second's
    run -0 b image diff $IMG dimg
    [ "$output" = 'C /bin
A /bin/vi
D /d
C /etc
C /etc/group
D /newfile' ]
    # a one-layer image: everything is added
    run -0 b image diff $IMG
    [ "${lines[0]}" = "A /bin" ]
    [[ $output != *"C "* ]]
    # nothing is left mounted
    ! grep -q "$BATS_TEST_TMPDIR/root/tmp" /proc/self/mounts || false
    run -125 b image diff nosuch
    [ "$output" = "Error: nosuch not found: nosuch: image not known" ]
    run -125 b diff nosuch
    [ "$output" = "Error: nosuch not found: layer not known" ]
    run -125 b image diff
    [ "$output" = "Error: accepts between 1 and 2 arg(s), received 0" ]
}

@test "image diff with the vfs driver" {
    BERTH_ARGS+=(--storage-driver vfs --root "$BATS_TEST_TMPDIR/root-vfs")
    load_image busybox
    b run --network none --name v1 $IMG sh -c 'rm /bin/vi; echo y > /y'
    b commit -q v1 vimg >/dev/null
    # the container's diff (vfs: its mount points changed /etc) is the layer's
    run -0 b diff v1
    want=$output
    [[ $want == *"D /bin/vi"*"A /y" ]]
    run -0 b image diff vimg
    [ "$output" = "$want" ]
    run -0 b run --network none --rm vimg cat /y
    [ "$output" = y ]
}

# the chain id of an image's top layer, from its diff ids (the OCI rule)
top_chain() {
    local d chain=
    for d in $(b image inspect --format '{{range .RootFS.Layers}}{{.}} {{end}}' "$1"); do
        if [ -z "$chain" ]; then chain=${d#sha256:}
        else chain=$(printf 'sha256:%s %s' "$chain" "$d" | sha256sum | cut -c1-64); fi
    done
    echo "${chain:0:12}"
}

@test "image tree: the layers base first; --whatrequires branches where a layer has several children" {
    local base a a1 a2 b
    b run --name wa --network none $IMG sh -c 'echo a > /a' >/dev/null
    b commit -q wa ta >/dev/null
    b run --name wb --network none $IMG sh -c 'echo b > /b' >/dev/null
    b commit -q wb tb >/dev/null
    b run --name wa1 --network none ta sh -c 'echo 1 > /1' >/dev/null
    b commit -q wa1 ta1 >/dev/null
    b run --name wa2 --network none ta sh -c 'echo 2 > /2' >/dev/null
    b commit -q wa2 ta2 >/dev/null
    b tag ta1 ta1:also
    base=$(top_chain $IMG) a=$(top_chain ta) a1=$(top_chain ta1) a2=$(top_chain ta2) b=$(top_chain tb)
    id=$(b image inspect --format '{{.Id}}' ta1)
    sz() { b image inspect --format '{{.Size}}' "$1"; }
    run -0 b image tree ta1
    [ "${lines[0]}" = "Image ID: ${id:0:12}" ]
    [ "${lines[1]}" = "Tags:     [localhost/ta1:latest localhost/ta1:also]" ]
    [[ ${lines[2]} =~ ^"Size:     "[0-9.]+(B|kB|MB)$ ]]
    [ "${lines[3]}" = "Image Layers" ]
    [[ ${lines[4]} == "├── ID: $base Size:  2.13MB Top Layer of: [$IMG:latest]" ]]
    [[ ${lines[5]} =~ ^"├── ID: $a Size: "\ *[0-9.]+(B|kB)" Top Layer of: [localhost/ta:latest]"$ ]]
    [[ ${lines[6]} =~ ^"└── ID: $a1 Size: "\ *[0-9.]+(B|kB)" Top Layer of: [localhost/ta1:latest localhost/ta1:also]"$ ]]
    [ "${#lines[@]}" = 7 ]
    # podman's Println: a blank line ends the tree
    [ "$(b image tree ta1 | tail -n 1)" = "" ]
    run -0 b image tree --whatrequires $IMG
    [ "${lines[3]}" = "Image Layers" ]
    [[ ${lines[4]} == "├── ID: $base "* ]]
    [[ ${lines[5]} == "├── ID: $a "*"[localhost/ta:latest]" ]]
    [[ ${lines[6]} == "│   ├── ID: $a1 "*"[localhost/ta1:latest localhost/ta1:also]" ]]
    [[ ${lines[7]} == "│   └── ID: $a2 "*"[localhost/ta2:latest]" ]]
    [[ ${lines[8]} == "└── ID: $b "*"[localhost/tb:latest]" ]]
    [ "${#lines[@]}" = 9 ]
    run -0 b image tree --whatrequires ta
    [[ ${lines[4]} == "└── ID: $a "* ]]
    [[ ${lines[5]} == "    ├── ID: $a1 "* ]]
    [[ ${lines[6]} == "    └── ID: $a2 "* ]]
    # one child: the chain stays on one level
    run -0 b image tree --whatrequires tb
    [[ ${lines[4]} == "└── ID: $b "* ]]
    [ "${#lines[@]}" = 5 ]
    run -125 --separate-stderr b image tree nosuch
    [ "$stderr" = "Error: nosuch: image not known" ]
    run -125 --separate-stderr b image tree
    [[ $stderr == "Error: accepts 1 arg(s), received 0"* ]]
}
