#!/usr/bin/env bash
# bench/phases.sh [RUNTIME]: where the time of `run --rm IMAGE true` goes,
# for berth and for podman 4.3.1 with the same OCI runtime (crun by
# default, or runc), beside a bare `crun run` of crun's default bundle.
#
# The phases come from the kernel's own process events (perf's
# sched_process_fork/exec/exit tracepoints, recorded system-wide while
# the runs happen), so nothing in berth or podman is instrumented: the
# engine's exec, the runtime's create (its exec to its exit), the gap to
# the runtime's start, the start up to the container command's exec, the
# command itself, and the tail from the command's exit to the engine's.
# "front" (the engine's work up to the runtime's create) and "tail" are
# the engine's own share; the rest is the runtime's and conmon's. Work
# left to processes that outlive the engine (conmon's exit command, a
# detached removal, the runtime's delete) is shown apart: it costs CPU
# but no wall time of the command.
#
#   PHASE_RUNS=N      runs per engine (default 20), medians printed
#   PHASE_PAUSE=S     seconds between runs (default 0.05: the kernel's
#                     cgroup semaphore and idle CPUs as a user meets them)
#   BERTH_BIN=path    the berth binary (default ./berth)
#   PHASE_KEEP=1      keep the temp dir (perf data, the event lists)
# Needs perf (Debian: linux-perf). Runs as root, in private mount and
# network namespaces, like bench/run.sh.
set -euo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/.."

. bench/lib.sh
bench_in_ns "$self" "$@"

RT=${1:-crun}
RUNS=${PHASE_RUNS:-20}
PAUSE=${PHASE_PAUSE:-0.05}
command -v perf >/dev/null || { echo "bench/phases.sh: needs perf (apt-get install linux-perf)" >&2; exit 2; }
case $RT in crun|runc) ;; *) echo "bench/phases.sh: runtime crun or runc, not $RT" >&2; exit 2 ;; esac

bench_init
trap "${PHASE_KEEP:+:} bench_cleanup" EXIT
images_ready
if [ "$RT" = crun ]; then crun_ready; fi

# record RUNNER-SCRIPT OUT: the runs under perf, system-wide
record() {
    if ! perf record -q -o "$W/$2.data" -e sched:sched_process_fork -e sched:sched_process_exec \
        -e sched:sched_process_exit -a -- bash "$1" >/dev/null 2>"$W/$2.err"; then
        echo "bench/phases.sh: perf record failed: $(tail -3 "$W/$2.err")" >&2
        exit 1
    fi
    perf script -i "$W/$2.data" -F comm,pid,tid,time,event,trace > "$W/$2.txt" 2>/dev/null
}

# loop NAME COMMAND: a script running COMMAND three times (not timed:
# first uses) and then RUNS times, PAUSE apart, under perf
loop() {
    local f=$W/loop-$1.sh
    printf '%s >/dev/null 2>&1\n' "$2" "$2" "$2" > "$W/warm-$1.sh"
    printf 'for i in $(seq %s); do %s >/dev/null 2>&1; sleep %s; done\n' "$RUNS" "$2" "$PAUSE" > "$f"
    bash "$W/warm-$1.sh"
    record "$f" "$1"
}

loop berth "$B --runtime $RT run --rm --network none localhost/busybox true"
loop podman "$P --runtime $RT run --rm --network none localhost/busybox true"

# the floor: a bare crun run of crun's own default bundle (bench_crun_floor)
floor=
if [ "$RT" = crun ]; then
    crun_bundle_ready
    loop floor "crun run --bundle $W/crun-bundle phases-floor"
    floor=$W/floor.txt
fi

python3 bench/phases.py "$RT" "$RUNS" "$BERTH_BIN" "$W/berth.txt" "$(command -v podman)" "$W/podman.txt" "$floor"
