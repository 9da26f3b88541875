#!/usr/bin/env bash
# test/run.sh: runs the unit tests and the bats suite, prints their TAP,
# and ends with one line "N passed, N failed, N skipped". Exit 1 on failure.
#   BERTH_BIN  the binary under test (default ./berth)
#   UNIT_DIR   where the unit test binaries are (default build/unit)
#   BATS_FILTER / BATS_FILES   narrow the bats run (optional)
#   FUZZ_DIR / FUZZ_RUNS       run the fuzz targets there (make check-asan)
set -u
cd "$(dirname "$0")/.."
export BERTH_BIN=${BERTH_BIN:-$PWD/berth}
UNIT_DIR=${UNIT_DIR:-build/unit}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$UNIT_DIR"/test_*; do
    [ -x "$t" ] || continue
    echo "# unit: $(basename "$t")"
    rc=0
    "$t" >>"$log.u" 2>&1 || rc=$?
    # a unit binary that crashes before printing its plan counts as a failure,
    # and so does one that fails after it (a sanitizer's leak report at exit)
    if ! grep -q '^1\.\.' "$log.u"; then echo "not ok - $(basename "$t") crashed" >>"$log.u"
    elif [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$log.u"; then
        echo "not ok - $(basename "$t") exited $rc" >>"$log.u"
    fi
    cat "$log.u"; cat "$log.u" >>"$log"; rm -f "$log.u"
done

# Fuzz targets (make check-asan): each runs its corpus and FUZZ_RUNS
# seeded mutations, and prints one TAP line; a crash prints none.
for t in "${FUZZ_DIR:-/nonexistent}"/fuzz_*; do
    [ -n "${FUZZ_DIR:-}" ] && [ -x "$t" ] || continue
    n=$(basename "$t")
    echo "# fuzz: $n"
    rc=0
    mkdir -p "$FUZZ_DIR/artifacts"
    "$t" -runs="${FUZZ_RUNS:-1000}" -seed=1 -max_len=4096 -timeout=30 \
        -artifact_prefix="$FUZZ_DIR/artifacts/" \
        $( [ -f "test/fuzz/$n.dict" ] && echo "-dict=test/fuzz/$n.dict" ) \
        "test/fuzz/corpus/$n" >"$log.u" 2>&1 || rc=$?
    if ! grep -q '^1\.\.' "$log.u"; then echo "not ok - $n crashed" >>"$log.u"
    elif [ "$rc" -ne 0 ]; then echo "not ok - $n exited $rc" >>"$log.u"
    fi
    cat "$log.u"; cat "$log.u" >>"$log"; rm -f "$log.u"
done

files=${BATS_FILES:-test/bats}
args=(--tap)
[ -n "${BATS_FILTER:-}" ] && args+=(--filter "$BATS_FILTER")
if command -v parallel >/dev/null 2>&1 && [ "${BATS_JOBS:-1}" -gt 1 ]; then
    args+=(--jobs "$BATS_JOBS")
fi
echo "# bats: $files"
bats "${args[@]}" $files 2>&1 | tee -a "$log"

skipped=$(grep -cE '^ok [0-9]+.* # (skip|SKIP)' "$log")
passed=$(grep -cE '^ok ' "$log")
passed=$((passed - skipped))
failed=$(grep -cE '^not ok ' "$log")
# bats that died before its plan, or a plan count that does not match
planned=$(grep -E '^1\.\.[0-9]+' "$log" | sed 's/^1\.\.//' | awk '{s+=$1} END {print s+0}')
ran=$((passed + skipped + failed))
if [ "$ran" -lt "$planned" ]; then
    failed=$((failed + planned - ran))
fi
summary="$passed passed, $failed failed, $skipped skipped"
echo "$summary" > "${SUMMARY_FILE:-/dev/null}"
echo "$summary"
[ "$failed" -eq 0 ] && [ "$ran" -gt 0 ]
