# test/bats/stats.bats: stats / container stats: podman's columns and
# units, values from the container's cgroup (a memory limit, a busy
# process's CPU time), --format json and templates, -a, --no-stream,
# streaming with --interval and --no-reset, errors.
load helpers
load ctr_helpers

setup()    { ctr_setup; }
teardown() { berth_teardown; }

@test "stats --no-stream: podman's columns, only running containers" {
    b run -d --name s1 --network none -m 64m $IMG sleep 86400 >/dev/null
    b create --name s2 $IMG true >/dev/null
    run -0 b stats --no-stream
    [ "$(tr -s ' ' <<<"${lines[0]}")" = "ID NAME CPU % MEM USAGE / LIMIT MEM % NET IO BLOCK IO PIDS CPU TIME AVG CPU %" ]
    [[ ${lines[0]} == "ID            NAME        CPU %       MEM USAGE / LIMIT  MEM %       "* ]]
    [ "${#lines[@]}" = 2 ]
    id=$(b inspect s1 --format '{{.Id}}')
    [[ ${lines[1]} =~ ^${id:0:12}\ +s1\ +[0-9.]+%\ +[0-9.]+[kM]?B\ /\ 67.11MB\ +[0-9.]+%\ +0B\ /\ 0B\ +.*\ +1\ +[0-9.]+(ms|s|µs)\ +[0-9.]+%$ ]]
    # -a: the one not running too, in zeros
    run -0 b stats --no-stream -a --format '{{.Name}} {{.MemUsage}} {{.PIDs}} {{.UpTime}} {{.CPUPerc}}'
    [[ $output == *"s2 0B / 0B 0 0s 0.00%"* ]]
    [ "${#lines[@]}" = 2 ]
}

@test "stats reads the cgroup: memory limit, binary units, a busy process's CPU" {
    b run -d --name busy --network none -m 32m $IMG sh -c 'while :; do :; done' >/dev/null
    run -0 b stats --no-stream --format '{{.MemLimit}} {{.MemUsageBytes}} {{.PIDs}}' busy
    [[ $output =~ ^33554432\ [0-9.]+(B|KiB|MiB)\ /\ 32MiB\ 1$ ]]
    # CPU time grows between two reports; CPU % of a busy loop is large
    run -0 b stats --no-stream --format '{{.CPUNano}}' busy
    a=$output
    run -0 b stats --no-stream --format '{{.CPUNano}} {{.CPUPerc}} {{.ContainerID}}' busy
    read -r bn perc cid <<<"$output"
    [ "$bn" -gt "$a" ]
    [ "${perc%%.*}" -ge 5 ]
    [ "$cid" = "$(b inspect busy --format '{{.Id}}')" ]
    run -0 b stats --no-stream --no-trunc --format '{{.ID}}' busy
    [ "$output" = "$cid" ]
}

@test "stats --format json: podman's keys, all strings" {
    b run -d --name j1 --network none $IMG sleep 86400 >/dev/null
    run -0 b stats --no-stream --format json
    [ "$(jq -r '.[0] | keys_unsorted | join(",")' <<<"$output")" = "id,name,cpu_time,cpu_percent,avg_cpu,mem_usage,mem_percent,net_io,block_io,pids" ]
    [ "$(jq -r '.[0].name + " " + .[0].pids' <<<"$output")" = "j1 1" ]
    # podman indents by one space
    [ "${lines[1]}" = " {" ]
}

@test "stats streams every --interval; the screen is cleared unless --no-reset" {
    b run -d --name st --network none $IMG sleep 86400 >/dev/null
    run -124 timeout 3.5 "$BERTH_BIN" "${BERTH_ARGS[@]}" stats -i 1 --no-reset --format '{{.Name}}' st
    [ "${#lines[@]}" -ge 3 ]
    [ "${lines[0]}" = st ]
    [[ $output != *$'\033[2J'* ]]
    run -124 timeout 1.5 "$BERTH_BIN" "${BERTH_ARGS[@]}" stats -i 1 --format '{{.Name}}' st
    [[ $output == *$'\033[2J'* ]]
}

@test "stats errors: podman's words" {
    run -125 b stats --no-stream nosuch
    [ "$output" = 'Error: unable to get list of containers: unable to look up container nosuch: no container with name or ID "nosuch" found: no such container' ]
    run -125 b stats -i 0 --no-stream
    [ "$output" = "Error: invalid interval, must be a positive number greater zero" ]
    run -125 b stats -a -l --no-stream
    [ "$output" = "Error: --all, --latest and containers cannot be used together" ]
    run -125 b stats -a x --no-stream
    [ "$output" = "Error: --all, --latest and containers cannot be used together" ]
    run -125 b stats --no-stream --format '{{.Foo}}'
    [[ $output == *"can't evaluate field Foo"* ]]
}
