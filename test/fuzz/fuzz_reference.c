/*
 * test/fuzz/fuzz_reference.c: storage/reference.c, image references: the
 * input is parsed, normalized both ways, printed and matched, and
 * whatever normalizes must parse again to the same string.
 */
#include "fuzz.h"
#include "storage/reference.h"

FUZZ_QUIET_INIT

static void normalized(const char *s, const char *dflt)
{
    struct berr *err = NULL;
    char *out = NULL, *again = NULL;

    if (ref_normalize_str(s, dflt, &out, &err) < 0) {
        fuzz_drop(&err);
        return;
    }
    /* a normalized name is a fixed point */
    if (ref_normalize_str(out, dflt, &again, &err) < 0 || strcmp(out, again) != 0)
        abort();
    free(out);
    free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const full[] = {
        "docker.io/library/busybox:latest", "localhost/busybox:latest",
        "quay.io/a/b:1", "localhost:5000/x/y:z",
    };
    char *s = fuzz_str(data, size);
    struct ref r = { 0 };
    struct berr *err = NULL;

    if (!s)
        return 0;
    (void) ref_is_hex(s);
    (void) ref_is_full_id(s);
    if (ref_parse(s, &r, &err) == 0) {
        for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++)
            (void) ref_short_matches(&r, full[i]);
        if (ref_normalize(&r, "localhost", &err) == 0) {
            free(ref_string(&r));
            free(ref_repo(&r));
        } else {
            fuzz_drop(&err);
        }
        ref_free(&r);
    } else {
        fuzz_drop(&err);
    }
    normalized(s, "docker.io");
    normalized(s, "localhost");
    free(s);
    return 0;
}
