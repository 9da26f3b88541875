/*
 * test/fuzz/fuzz_template.c: util/template.c (lexer, parser) and
 * tmpl_exec.c/tmpl_func.c (evaluation, functions, printing): any input is
 * parsed; one that parses is rendered against a fixed data object, as a
 * row and as a table header, and its fields are listed.
 */
#include <jansson.h>

#include "fuzz.h"
#include "util/template.h"

FUZZ_QUIET_INIT

/* Arrays and objects of two: nested ranges in a short template stay
 * cheap (2^depth), so a slow input means a slow engine. */
static const char data_json[] =
    "{\"ID\":\"abc123\",\"Name\":\"web\",\"Size\":1997895,\"Ratio\":0.5,\"Up\":true,"
    "\"Down\":false,\"None\":null,\"Empty\":\"\",\"List\":[\"a\",\"b\"],\"Nums\":[3,-1],"
    "\"Labels\":{\"app\":\"x\",\"tier\":\"db\"},\"Client\":{\"Version\":\"1.0\",\"Os\":\"linux\"},"
    "\"CSV\":\"a,b,,c\",\"Zero\":0,\"Neg\":-5,\"Big\":9223372036854775807,\"Float\":1e300,"
    "\"Tiny\":-1e-300,\"Min\":-9223372036854775808,\"Unicode\":\"h\\u00e9llo \\u4e16\",\"Mounts\":[{\"Src\":\"/a\",\"Dst\":\"/b\"},"
    "{\"Src\":\"/c\",\"Dst\":null}],\"Nested\":{\"A\":{\"B\":[1,\"x\"]},\"E\":[]},\"Obj\":{}}";

static const struct tmpl_alias aliases[] = { { "Names", "Name" }, { "Id", "ID" }, { 0 } };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *d, *headers;
    char *src = fuzz_str(data, size);
    struct tmpl *t = NULL;
    struct berr *err = NULL;

    if (!d) {
        d = json_loads(data_json, 0, NULL);
        headers = json_pack("{s:s, s:s, s:s, s:s}", "ID", "CONTAINER ID", "Name", "NAMES",
                            "Labels", "LABELS", "List", "LIST");
        if (!d || !headers)
            abort();
    }
    if (!src)
        return 0;
    if (tmpl_parse(src, aliases, &t, &err) < 0) {
        fuzz_drop(&err);
        free(src);
        return 0;
    }
    if (strlen(src) <= 256) {
        struct sbuf out = SBUF_INIT;
        if (tmpl_exec(t, d, &out, &err) < 0)
            fuzz_drop(&err);
        sbuf_reset(&out);
        if (tmpl_exec_header(t, headers, &out, &err) < 0)
            fuzz_drop(&err);
        sbuf_free(&out);
    }
    strv_free(tmpl_fields(t));
    tmpl_free(t);
    free(src);
    return 0;
}
