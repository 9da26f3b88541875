/*
 * test/fuzz/fuzz_jsfast.c: util/jsfast.c, the fast JSON path, against
 * jansson: for every input and flag set, js_loadb must accept exactly what
 * json_loadb accepts and build an equal value.
 */
#include <jansson.h>

#include "fuzz.h"
#include "util/js.h"

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t flags[] = { 0, JSON_REJECT_DUPLICATES, JSON_DECODE_ANY,
                                    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES };
    const char *buf = (const char *) data;

    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        json_error_t je1, je2;
        json_t *fast = js_loadb(buf, size, flags[i], &je1);
        json_t *ref = json_loadb(buf, size, flags[i], &je2);
        if (!fast != !ref || (ref && !json_equal(fast, ref)))
            abort();
        json_decref(fast);
        json_decref(ref);
    }
    return 0;
}
