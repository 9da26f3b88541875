#!/usr/bin/env bash
# bench/run.sh [SCENARIO...]: runs podman 4.3.1 and berth side by side on
# the same machine in one run, each with its own fresh root, and prints the
# mean time of each and the ratio podman/berth (higher is better for berth).
#
# podman runs inside a private mount namespace with its own /dev/shm (its
# SHM lock table is host-wide), with its own --root/--runroot/--tmpdir and
# a CONTAINERS_CONF of its own. The whole script re-executes itself once in
# private mount and network namespaces (lo up), so the bridges, firewall
# rules and traffic of the networking scenarios never reach the host.
#
#   BENCH_RUNS=N      hyperfine runs per command (default 20)
#   BERTH_BIN=path    the berth binary (default ./berth)
#   BENCH_VOLUMES=N   volumes for the volume_ls scenario (default 1000)
set -euo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/.."

. bench/lib.sh
bench_in_ns "$self" "$@"
bench_init
trap bench_cleanup EXIT

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=($(bench_list))
printf '%-34s %12s %12s %9s\n' SCENARIO "PODMAN ms" "BERTH ms" RATIO
for s in "${scenarios[@]}"; do
    "bench_$s"
done
