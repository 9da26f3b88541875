# test/bats/inspect.bats: container inspect: podman's shape, --format,
# -l, -s, missing containers.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "container inspect of a running container: podman's keys and values" {
    b run -d --name web --network none -l app=web -e FOO=bar $IMG sleep 1000 >/dev/null
    run -0 b container inspect web
    [[ ${lines[1]} == "     {" ]]       # podman indents by five
    python3 - "$output" <<'PY'
import json, sys
(c,) = json.loads(sys.argv[1])
top = ["Id", "Created", "Path", "Args", "State", "Image", "ImageDigest", "ImageName", "Rootfs",
       "Pod", "ResolvConfPath", "HostnamePath", "HostsPath", "StaticDir", "OCIConfigPath",
       "OCIRuntime", "ConmonPidFile", "PidFile", "Name", "RestartCount", "Driver", "MountLabel",
       "ProcessLabel", "AppArmorProfile", "EffectiveCaps", "BoundingCaps", "ExecIDs",
       "GraphDriver", "Mounts", "Dependencies", "NetworkSettings", "Namespace", "IsInfra",
       "IsService", "Config", "HostConfig"]
assert list(c.keys()) == top, list(c.keys())
s = c["State"]
assert s["Status"] == "running" and s["Running"] and s["Pid"] > 0 and s["ConmonPid"] > 0
assert s["FinishedAt"] == "0001-01-01T00:00:00Z" and s["StartedAt"] > c["Created"][:10]
assert c["Path"] == "sleep" and c["Args"] == ["1000"] and c["Name"] == "web"
assert c["ImageName"] == "localhost/busybox:latest" and len(c["Image"]) == 64
assert "CAP_CHOWN" in c["EffectiveCaps"] and c["Driver"] in ("overlay", "vfs")
cfg = c["Config"]
assert cfg["Cmd"] == ["sleep", "1000"] and cfg["Labels"] == {"app": "web"}
assert "FOO=bar" in cfg["Env"] and cfg["Hostname"] == c["Id"][:12]
assert cfg["StopSignal"] == 15 and cfg["Tty"] is False and cfg["Entrypoint"] == ""
hc = c["HostConfig"]
assert hc["NetworkMode"] == "none" and hc["LogConfig"]["Type"] == "k8s-file"
assert hc["LogConfig"]["Path"].endswith("/ctr.log") and hc["RestartPolicy"]["Name"] == ""
assert hc["PidsLimit"] == 2048 and hc["AutoRemove"] is False
ns = c["NetworkSettings"]
assert ns["IPAddress"] == "" and ns["Ports"] == {}
PY
}

@test "inspect of an exited and a created container" {
    run -3 b run --name quick --network none $IMG sh -c 'exit 3'
    b create --name fresh --network none --restart on-failure:2 $IMG echo hi >/dev/null
    run -0 b container inspect --format '{{.State.Status}} {{.State.ExitCode}} {{.State.Running}}' quick fresh
    [ "$output" = $'exited 3 false\ncreated 0 false' ]
    run -0 b container inspect --format '{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}} {{json .Config.Cmd}} {{.Path}}' fresh
    [ "$output" = 'on-failure:2 ["echo","hi"] echo' ]
    run -0 b container inspect --format '{{.State.StartedAt}}' fresh
    [ "$output" = "0001-01-01 00:00:00 +0000 UTC" ]
}

# podman: the JSON leaves Networks out (omitempty); templates see map[]
@test "inspect of a container on no network: .NetworkSettings.Networks is an empty map" {
    b create --name nonet --network none $IMG true >/dev/null
    run -0 --separate-stderr b inspect --format '{{.NetworkSettings.Networks}}|{{len .NetworkSettings.Networks}}|{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' nonet
    [ "$output" = "map[]|0|" ]
    run -0 b inspect nonet
    [[ $output != *'"Networks"'* ]]
}

@test "inspect -l, -s and a missing container" {
    b create --name a --network none $IMG true >/dev/null
    b create --name z --network none $IMG true >/dev/null
    run -0 b container inspect -l --format '{{.Name}}'
    [ "$output" = z ]
    run -0 b container inspect -s --format '{{.SizeRw}} {{.SizeRootFs}}' a
    [[ $output =~ ^[0-9]+\ [1-9][0-9]*$ ]]
    run -125 --separate-stderr b container inspect nosuch
    [ "$output" = "[]" ]
    [ "$stderr" = "Error: inspecting object: no such container nosuch" ]
    run -125 --separate-stderr b container inspect --format '{{.Name}}' a nosuch
    [ "$output" = a ]
    run -125 --separate-stderr b container inspect
    [[ $stderr == *"requires a name, id, or the \"--latest\" flag"* ]]
}

@test "inspect by id prefix and a bad template" {
    id=$(b create --name p --network none $IMG true)
    run -0 b container inspect --format '{{.Id}}' "${id:0:8}"
    [ "$output" = "$id" ]
    run -125 --separate-stderr b container inspect --format '{{.Nope}}' p
    [[ $stderr == *"can't evaluate field Nope"* ]] && [ -z "$output" ] || false
}

# podman records the command line that made a container (os.Args) and
# shows the image's layer dirs under the container's in GraphDriver
@test "inspect: Config.CreateCommand is the create's command line; GraphDriver has the image's LowerDir" {
    b create --name cc --network none -l a=b $IMG sleep 100 >/dev/null
    run -0 b container inspect --format '{{json .Config.CreateCommand}}' cc
    want=$(printf '%s\n' "$BERTH_BIN" "${BERTH_ARGS[@]}" create --name cc --network none -l a=b $IMG sleep 100 | jq -Rsc 'split("\n")[:-1]')
    [ "$output" = "$want" ]
    run -0 b run --name rc --network none $IMG true
    run -0 b container inspect --format '{{range .Config.CreateCommand}}{{.}} {{end}}' rc
    [ "$output" = "$BERTH_BIN ${BERTH_ARGS[*]} run --name rc --network none $IMG true " ]
    if [ "$(b info --format '{{.Store.GraphDriverName}}')" = overlay ]; then
        lower=$(b image inspect --format '{{.GraphDriver.Data.UpperDir}}' $IMG)
        run -0 b container inspect --format '{{.GraphDriver.Data.LowerDir}}' cc
        [ "$output" = "$lower" ]
        [ -d "$output" ]
    fi
}

# podman's templates see Go structs: a nil map prints map[], a nil slice
# [], a nil pointer <nil>, fields its JSON leaves out their zero values;
# json still writes null (podman 4.3.1, side by side)
@test "inspect templates: typed nils and template-only fields print as podman's" {
    b create --name tn --network none $IMG true >/dev/null
    run -0 b inspect --format '{{.Config.Labels}}|{{.Config.Volumes}}|{{.HostConfig.LogConfig.Config}}|{{.HostConfig.CgroupConf}}|{{.NetworkSettings.Networks}}' tn
    [ "$output" = "map[]|map[]|map[]|map[]|map[]" ]
    run -0 b inspect --format '{{.State.Health.Log}}|{{.HostConfig.VolumesFrom}}|{{.HostConfig.Links}}|{{.HostConfig.BlkioWeightDevice}}|{{.Config.Secrets}}' tn
    [ "$output" = "[]|[]|[]|[]|[]" ]
    run -0 b inspect --format '{{.Config.Healthcheck}}|{{.Config.OnBuild}}|{{.SizeRw}}|{{.HostConfig.IDMappings}}' tn
    [ "$output" = "<nil>|<nil>|<nil>|<nil>" ]
    run -0 b inspect --format '{{.State.Checkpointed}}|{{.State.Restored}}|{{.SizeRootFs}}|{{.State.ConmonPid}}|{{.HostConfig.Init}}' tn
    [ "$output" = "false|false|0|0|false" ]
    # whole structs print as Go's %v: their fields' values in order
    run -0 b inspect --format '{{.HostConfig.RestartPolicy}}|{{.State.Health}}|{{json .HostConfig.RestartPolicy}}' tn
    [ "$output" = '{ 0}|{ 0 []}|{"Name":"","MaximumRetryCount":0}' ]
    b create --name tr --network none --restart on-failure:2 $IMG true >/dev/null
    run -0 b inspect --format '{{.HostConfig.RestartPolicy}}|{{.GraphDriver.Name}}' tr
    [[ $output == "{on-failure 2}|"* ]]
    run -0 b inspect --format '{{.HostConfig.LogConfig}}' tr
    [[ $output =~ ^\{k8s-file\ map\[\]\ /.*/ctr\.log\ \ 0B\}$ ]]
    # they stay nil to json, len, if and range
    run -0 b inspect --format '{{json .Config.Labels}}|{{json .SizeRw}}|{{len .Config.Labels}}|{{if .Config.Healthcheck}}y{{else}}n{{end}}|{{range .HostConfig.Links}}x{{end}}' tn
    [ "$output" = "null|null|0|n|" ]
    run -0 b inspect --format '{{json .HostConfig.LogConfig}}' tn
    [[ $output == '{"Type":"k8s-file","Config":null,'* ]]
    # json leaves out what podman's JSON leaves out, and writes times as
    # RFC 3339 where templates print Go's String
    run -0 b inspect --format '{{json .State}}' tn
    [ "$(jq -c 'has("Checkpointed"), has("ConmonPid"), .CheckpointedAt' <<<"$output" | tr '\n' ' ')" = 'false false "0001-01-01T00:00:00Z" ' ]
    [ "$(b inspect --format '{{json .State}}' tn | jq -c 'del(.HealthcheckPid)')" = "$(b inspect tn | jq -c '.[0].State | del(.HealthcheckPid)')" ]
    run -0 b inspect --format '{{.Created}}|{{json .Created}}' tn
    [[ $output =~ ^[0-9-]+\ [0-9:.]+\ \+0000\ UTC\|\"[0-9-]+T[0-9:.]+Z\"$ ]]
    # the JSON is podman's: null, and no template-only keys
    run -0 b inspect tn
    jq -e '.[0] | .HostConfig.BlkioWeightDevice == null and .Config.Labels == null and (has("SizeRw") | not) and (.State | has("Checkpointed") | not)' <<<"$output"
    # a label or a health check is there as given
    b create --name tl --network none -l a=b --health-cmd true $IMG true >/dev/null
    run -0 b inspect --format '{{.Config.Labels}}|{{.Config.Healthcheck.Test}}' tl
    [ "$output" = "map[a:b]|[CMD-SHELL true]" ]
}

# a container not started shows the networks it will join, with no
# addresses (podman's), and the short id among their aliases
@test "inspect of a created container on a bridge network lists its networks" {
    b network create tnet >/dev/null
    id=$(b create --name tb --network tnet $IMG true)
    run -0 b inspect tb
    jq -e --arg s "${id:0:12}" '.[0].NetworkSettings.Networks.tnet | .NetworkID == "tnet" and .IPAddress == "" and .Aliases == [$s] and .Links == null' <<<"$output"
    run -0 b inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.Links}} {{$v.DriverOpts}}{{end}}' tb
    [ "$output" = "tnet [] map[]" ]
}

# podman's image Config is the OCI image config, whole: templates see the
# fields its JSON leaves out, Volumes' and ExposedPorts' values print {}
@test "image inspect templates: the image config's omitted fields and empty structs" {
    load_image confd
    run -0 b image inspect --format '{{.Config.Labels}}|{{.Config.Volumes}}|{{.Config.ExposedPorts}}|{{.Config.Entrypoint}}|{{.Config.User}}|{{.Config.ArgsEscaped}}|{{.HealthCheck}}' $IMG
    [ "$output" = "map[]|map[]|map[]|[]||false|<nil>" ]
    run -0 b image inspect --format '{{.Config.Volumes}}|{{.Config.ExposedPorts}}|{{json .Config.Volumes}}' localhost/confd
    [ "$output" = 'map[/data:{}]|map[8080/tcp:{}]|{"/data":{}}' ]
    # json is the JSON's: nothing added
    [ "$(b image inspect --format '{{json .Config}}' $IMG)" = "$(b image inspect $IMG | jq -c '.[0].Config')" ]
    run -0 b image inspect --format '{{json .Config.Labels}}' $IMG
    [ "$output" = null ]
}
