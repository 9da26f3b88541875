/*
 * test/unit/test_secret.c: a secret's record as a C type: every key
 * written back (unknown ones too), defaults, mistyped fields refused
 * with the secret named.
 */
#include <stdlib.h>

#include "runtime/secret.h"
#include "unit.h"
#include "util/cleanup.h"
#include "util/js.h"

static json_t *J(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    if (!j) {
        printf("# bad test JSON: %s\n", text);
        abort();
    }
    return j;
}

static void t_read_write(void)
{
    _cleanup_json_ json_t *rec = J(
        "{\"version\":1,\"id\":\"abc\",\"name\":\"pw\",\"driver\":\"file\",\"createdNs\":5,"
        "\"updatedNs\":6,\"labels\":{\"a\":\"b\"},\"driverOptions\":{\"k\":\"v\"},\"futureKey\":[1]}");
    _cleanup_json_ json_t *out = NULL;
    struct secret_config c;
    struct berr *e = NULL;

    CHECK_INT(secret_config_parse(rec, "abc", &c, &e), 0);
    CHECK_STR(c.id, "abc");
    CHECK_STR(c.name, "pw");
    CHECK_STR(c.driver, "file");
    CHECK_INT(c.created_ns, 5);
    CHECK_INT(c.updated_ns, 6);
    CHECK_STR(js_str(c.labels, "a", NULL), "b");
    CHECK_STR(js_str(c.driver_opts, "k", NULL), "v");
    out = secret_config_json(&c);
    CHECK(out && json_equal(out, rec));
    secret_config_free(&c);
}

static void t_defaults(void)
{
    _cleanup_json_ json_t *rec = J("{\"name\":\"pw\"}");
    struct secret_config c;
    struct berr *e = NULL;

    CHECK_INT(secret_config_parse(rec, "abc", &c, &e), 0);
    CHECK_STR(c.id, "abc");
    CHECK_STR(c.driver, "file");
    CHECK(json_is_object(c.labels) && json_object_size(c.labels) == 0);
    CHECK(json_is_object(c.driver_opts) && json_object_size(c.driver_opts) == 0);
    secret_config_free(&c);
}

static void t_mistyped(void)
{
    static const struct { const char *rec, *msg; } cases[] = {
        { "{\"name\":\"pw\",\"labels\":[]}", "secret s: config.json: field \"labels\" must be an object, not an array" },
        { "{\"name\":\"pw\",\"createdNs\":\"1\"}", "secret s: config.json: field \"createdNs\" must be an integer, not a string" },
        { "{}", "secret s: config.json: no name" },
        { "[]", "secret s: config.json: not a JSON object" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_json_ json_t *rec = J(cases[i].rec);
        struct secret_config c;
        struct berr *e = NULL;
        CHECK_INT(secret_config_parse(rec, "s", &c, &e), -1);
        CHECK(e && e->kind == BK_CORRUPT);
        CHECK_STR(e ? e->msg : NULL, cases[i].msg);
        berr_free(e);
    }
}

int main(void)
{
    UNIT_RUN(t_read_write);
    UNIT_RUN(t_defaults);
    UNIT_RUN(t_mistyped);
    return unit_done();
}
