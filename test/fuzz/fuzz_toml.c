/*
 * test/fuzz/fuzz_toml.c: util/toml*.c, the config file parser: any input,
 * exactly its bytes (no NUL after them); what parses is dumped as JSON.
 */
#include <jansson.h>

#include "fuzz.h"
#include "util/toml.h"

FUZZ_QUIET_INIT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *out = NULL;
    struct berr *err = NULL;

    if (toml_parse((const char *) data, size, "fuzz.toml", &out, &err) < 0) {
        fuzz_drop(&err);
        return 0;
    }
    free(json_dumps(out, JSON_SORT_KEYS | JSON_ENCODE_ANY));
    json_decref(out);
    return 0;
}
