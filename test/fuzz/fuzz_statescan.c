/*
 * test/fuzz/fuzz_statescan.c: ctr_runstate_scan, ps's reader of
 * state.json's text (and of the config's view in it), against the way
 * every other reader goes (jansson, ctr_runstate_parse, ctr_config_parse
 * of the view): whatever text it takes, they must take too and read
 * alike. What it declines, they judge.
 */
#include <jansson.h>

#include "../ctrrec_same.h"
#include "fuzz.h"

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* what the scan takes, the others read alike (ctrrec_same.h) */
    if (scan_vs_parse((const char *) data, size, false) > 0 ||
        scan_vs_parse((const char *) data, size, true) > 0)
        abort();
    return 0;
}
