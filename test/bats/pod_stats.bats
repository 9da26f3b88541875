# test/bats/pod_stats.bats: pod stats: podman 4.3.1's columns, its "--"
# for containers not running, its JSON keys, the header it puts over a
# user template, the pods it picks (all, named, --latest) and its errors.
# Every pod here is made with --network none.
load helpers
load ctr_helpers

setup() { ctr_setup; }
teardown() {
    b pod rm -a -f -t 0 >/dev/null 2>&1 || true
    berth_teardown
}

@test "pod stats --no-stream: a row per member, infra included; -- for those not running" {
    run -0 b pod stats --no-stream
    [ "$(tr -s ' ' <<<"${lines[0]}")" = "POD CID NAME CPU % MEM USAGE/ LIMIT MEM % NET IO BLOCK IO PIDS" ]
    [ "$(tr -s ' ' <<<"${lines[1]}")" = "-- -- -- -- -- -- -- -- --" ]
    pid=$(b pod create --network none --name ps1 -m 64m)
    b run -d --pod ps1 --name live $IMG sleep 86400 >/dev/null
    b create --pod ps1 --name idle $IMG true >/dev/null
    run -0 b pod stats --no-stream ps1
    [ "${#lines[@]}" = 4 ]
    [[ ${lines[0]} == "POD           CID           NAME"* ]]
    live=$(b inspect --format '{{.Id}}' live)
    idle=$(b inspect --format '{{.Id}}' idle)
    infra=$(b pod inspect --format '{{.InfraContainerID}}' ps1)
    # the pod's -m is its pod cgroup's limit, not the member's own (as
    # podman's): the member's limit is its own cgroup's
    re_live="${pid:0:12} +${live:0:12} +live +[0-9.]+% +[0-9.]+[kM]?B / [0-9.]+[kMGT]?B +[0-9.]+% +-- / -- +[^ ].* +1"
    re_idle="${pid:0:12} +${idle:0:12} +idle +-- +-- / -- +-- +-- / -- +-- / -- +--"
    [[ $output =~ $re_live ]]
    [[ $output =~ $re_idle ]]
    [[ $output == *"${infra:0:12}  ${pid:0:12}-infra "* ]]
    # not a terminal: the screen is not cleared, as podman's
    [[ $output != *$'\033['* ]]
}

@test "pod stats: every pod by default or with -a, the named ones, --latest" {
    b pod create --network none --name pa >/dev/null
    b pod create --network none --name pb >/dev/null
    run -0 b pod stats --no-stream --format '{{.Name}}'
    [ "${lines[0]}" = NAME ]
    [ "${#lines[@]}" = 3 ]
    run -0 b pod stats --no-stream -a --format '{{.Pod}}'
    [ "${#lines[@]}" = 3 ]
    run -0 b pod stats --no-stream --format '{{.Name}}' pa
    [ "$output" = $'NAME\n'"$(b pod inspect --format '{{.Id}}' pa | cut -c1-12)-infra" ]
    run -0 b pod stats --no-stream --latest --format '{{.Name}}'
    [ "${lines[1]}" = "$(b pod inspect --format '{{.Id}}' pb | cut -c1-12)-infra" ]
    # a user template with no row prints nothing, not even its header
    b pod rm -a -f >/dev/null
    run -0 b pod stats --no-stream --format '{{.Name}}'
    [ -z "$output" ]
}

@test "pod stats --format: json with podman's keys; templates with a header, table aligned" {
    b pod create --network none --name pj >/dev/null
    b run -d --pod pj --name j1 $IMG sleep 86400 >/dev/null
    run -0 b pod stats --no-stream --format json pj
    [ "$(jq -r '.[0] | keys_unsorted | join(",")' <<<"$output")" = "CPU,MemUsage,MemUsageBytes,Mem,NetIO,BlockIO,PIDS,Pod,CID,Name" ]
    # (once failed under a full ASan run's load: the JSON goes to the log)
    [ "$(jq -r '.[] | select(.Name == "j1") | .PIDS + " " + (.MemUsageBytes | test("^[0-9.]+(B|KiB|MiB) / [0-9.]+GiB$") | tostring)' <<<"$output")" = "1 true" ] ||
        { echo "$output"; false; }
    # podman indents by five spaces
    [ "${lines[1]}" = "     {" ]
    run -0 b pod stats --no-stream --format '{{.Name}} {{.Mem}} {{.NetIO}} {{.MemUsage}} {{.CPU}}' pj
    [ "${lines[0]}" = "NAME MEM NET IO MEM USAGE/ LIMIT CPU %" ]
    re="j1 [0-9.]+% -- / -- [0-9.]+[kM]?B / [0-9.]+GB [0-9.]+%"
    [[ $(grep "^j1 " <<<"$output") =~ ^$re$ ]]
    run -0 b pod stats --no-stream --format 'table {{.Name}} {{.PIDS}}' pj
    [ "${lines[0]}" = "NAME                PIDS" ]
    [[ $output == *$'\n'"j1                  1"* ]]
}

@test "pod stats errors: podman's words, before any output" {
    b pod create --network none --name pe >/dev/null
    run -125 --separate-stderr b pod stats --no-stream nosuch
    [ "$stderr" = "Error: unable to get list of pods: no pod with name or ID nosuch found: no such pod" ]
    [ -z "$output" ]
    run -125 b pod stats --no-stream -a pe
    [ "$output" = "Error: --all, --latest and arguments cannot be used together" ]
    run -125 b pod stats --no-stream -a -l
    [ "$output" = "Error: --all, --latest and arguments cannot be used together" ]
    run -125 --separate-stderr b pod stats --no-stream --format '{{.Foo}}'
    [ -z "$output" ]
    [[ $stderr == *"can't evaluate field Foo"* ]]
}

@test "pod stats streams a report every second until interrupted" {
    b pod create --network none --name pst >/dev/null
    run -124 timeout 2.5 "$BERTH_BIN" "${BERTH_ARGS[@]}" pod stats --format '{{.Pod}}' pst
    [ "${#lines[@]}" -ge 4 ]
    [ "${lines[0]}" = POD ]
    [ "${lines[2]}" = POD ]
}
