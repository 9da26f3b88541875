#!/usr/bin/env bash
# test/fuzz/run.sh [SECONDS]: `make fuzz`. Every fuzz target for SECONDS
# (60 by default): coverage-guided by clang's libFuzzer when clang can
# link it (build-fuzz/, corpus grown in build-fuzz/corpus/<target>), else
# test/fuzz/driver.c on gcc's ASan+UBSan build (build-asan/) with a seed
# from the clock. Crashing inputs land in build-fuzz/crash-*: fix the bug,
# then add the input to test/fuzz/corpus/<target>/ as regress-<what>.
# FUZZ_ENGINE=driver uses the driver even where clang is.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}
san='-fsanitize=address,undefined -fno-sanitize-recover=undefined'
opt='-O1 -g -fno-omit-frame-pointer'
mkdir -p build-fuzz

engine=${FUZZ_ENGINE:-auto}     # FUZZ_ENGINE=driver skips clang
if [ "$engine" != driver ] && command -v clang >/dev/null &&
   echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }' |
   clang -x c -fsanitize=fuzzer - -o build-fuzz/.probe 2>/dev/null; then
    engine=libfuzzer
    make -s BUILD=build-fuzz CC=clang OPT="$opt" SANITIZE="$san -fsanitize=fuzzer-no-link" \
        FUZZ_MAIN= FUZZ_LDFLAGS=-fsanitize=fuzzer fuzzers >/dev/null || exit 1
    dir=build-fuzz/fuzz
else
    engine=driver
    make -s BUILD=build-asan OPT="$opt" SANITIZE="$san" fuzzers >/dev/null || exit 1
    dir=build-asan/fuzz
fi
echo "# fuzzing with $engine, $secs s a target"
failed=0
for t in "$dir"/fuzz_*; do
    n=$(basename "$t")
    dict=(); [ -f "test/fuzz/$n.dict" ] && dict=(-dict="test/fuzz/$n.dict")
    mkdir -p "build-fuzz/corpus/$n"
    if [ "$engine" = libfuzzer ]; then
        "$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
            "${dict[@]}" -artifact_prefix=build-fuzz/ "build-fuzz/corpus/$n" "test/fuzz/corpus/$n" \
            >"build-fuzz/$n.log" 2>&1
    else
        "$t" -max_total_time="$secs" -seed="$(date +%s)" -timeout=20 "${dict[@]}" \
            -artifact_prefix=build-fuzz/ "test/fuzz/corpus/$n" >"build-fuzz/$n.log" 2>&1
    fi
    rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "ok - $n: $(grep -E '^(ok 1|stat::number_of_executed_units)' "build-fuzz/$n.log" | tail -1)"
    else
        failed=$((failed + 1))
        echo "not ok - $n (exit $rc): see build-fuzz/$n.log"
        grep -E 'ERROR|runtime error|saved|Test unit written' "build-fuzz/$n.log" | head -5 | sed 's/^/#   /'
    fi
done
[ "$failed" -eq 0 ]
