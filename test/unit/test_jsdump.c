/*
 * test_jsdump.c: js_dump_pretty() must write exactly what json_dumpf()
 * with JSON_INDENT(n) | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17) writes:
 * hand-picked values (escapes, control characters, non-ASCII, empty and
 * nested containers, integers at their limits, reals), several indents,
 * and a container record shaped like inspect's output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/js.h"

static const size_t FLAGS = JSON_ENCODE_ANY | JSON_REAL_PRECISION(17);

/* 1 when both dumps of j agree at this indent */
static int same(const json_t *j, int indent)
{
    char *a = NULL, *want = json_dumps(j, FLAGS | JSON_INDENT(indent));
    size_t alen = 0;
    FILE *f = open_memstream(&a, &alen);
    int r = f ? js_dump_pretty(f, j, indent) : -1;
    int ok;

    if (f)
        fclose(f);
    ok = want ? r == 0 && a && strcmp(a, want) == 0 : r < 0;
    if (!ok)
        printf("# indent %d:\n# want: %s\n# got:  %s\n", indent, want ? want : "(fails)",
               a ? a : "(none)");
    free(a);
    free(want);
    return ok;
}

static const char *const docs[] = {
    "{}", "[]", "[[]]", "{\"a\":{}}", "[{}, [], [[]], {\"x\":[]}]", "1", "-9223372036854775808",
    "9223372036854775807", "0", "true", "false", "null", "\"\"", "1.5", "-0.0", "0.1",
    "1e300", "123456789.123456789", "[1.0, 2.5e-7]",
    "{\"s\":\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\"}", "{\"s\":\"\\u0001\\u001f\\u007f \\u0000x\"}",
    "{\"s\":\"caf\\u00e9 \\u20ac \\ud83d\\ude00\"}", "{\"k\\u00e9y\\n\":\"v\", \"\":1}",
    "{\"Id\":\"abc\",\"Created\":\"2026-12-06T13:40:24.1+00:00\",\"Args\":[\"sh\",\"-c\","
    "\"echo \\\"hi\\\"\"],\"State\":{\"Status\":\"created\",\"Running\":false,\"Pid\":0,"
    "\"Health\":{\"Log\":null}},\"Config\":{\"Env\":[\"A=1\",\"PATH=/bin\"],"
    "\"Labels\":{},\"Annotations\":{\"io.x\":\"y\"}},\"Mounts\":[],\"Size\":-1}",
};

static void t_docs(void)
{
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        json_error_t je;
        json_t *j = json_loads(docs[i], JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);

        CHECK(j != NULL);
        for (int indent = 1; j && indent <= 31; indent += (indent < 6 ? 1 : 25))
            CHECK(same(j, indent));
        json_decref(j);
    }
}

/* js_dumps_sorted against json_dumps with JSON_SORT_KEYS, indented and
 * compact */
static int same_sorted(const json_t *j, int indent)
{
    size_t flags = JSON_SORT_KEYS | (indent ? JSON_INDENT(indent) : JSON_COMPACT);
    char *want = json_dumps(j, flags), *got = js_dumps_sorted(j, indent);
    int ok = want && got && strcmp(want, got) == 0;

    if (!ok)
        printf("# sorted, indent %d:\n# want: %s\n# got:  %s\n", indent,
               want ? want : "(fails)", got ? got : "(fails)");
    free(want);
    free(got);
    return ok;
}

static void t_sorted(void)
{
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        json_error_t je;
        json_t *j = json_loads(docs[i], JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);

        CHECK(j != NULL);
        if (json_is_object(j) || json_is_array(j))
            for (int indent = 0; indent <= 4; indent++)
                CHECK(same_sorted(j, indent));
        json_decref(j);
    }
    /* more members than the stack's room, keys that are prefixes of
     * others, a NUL inside a key, nesting: an OCI spec's shape */
    {
        json_t *o = json_object(), *rules = json_array();
        char key[16];
        for (int k = 97; k >= 0; k--) {
            snprintf(key, sizeof(key), "k%d", (k * 37) % 98);
            json_object_set_new(o, key, json_integer(k));
        }
        json_object_set_new(o, "k", json_string("short"));
        json_object_setn_new(o, "k\0z", 3, json_true());
        for (int r = 0; r < 3; r++)
            json_array_append_new(rules, json_pack("{s:[s,s],s:s,s:{s:i}}", "names", "b", "a",
                                                   "action", "SCMP_ACT_ALLOW", "args", "z", r));
        json_object_set_new(o, "seccomp", rules);
        for (int indent = 0; indent <= 2; indent++)
            CHECK(same_sorted(o, indent));
        json_decref(o);
    }
    /* what jansson refuses, refused */
    {
        json_t *bad = json_object();
        json_object_set_new(bad, "s", json_stringn_nocheck("\xff", 1));
        CHECK(js_dumps_sorted(bad, 1) == NULL);
        json_decref(bad);
    }
}

static void t_deep_and_long(void)
{
    json_t *root = json_array(), *cur = root;
    char *big = malloc(40000);

    for (int d = 0; d < 40; d++) {   /* indentation past jansson's 32-space run */
        json_t *o = json_object();
        json_object_set_new(o, "k", json_integer(d));
        json_array_append_new(cur, o);
        json_object_set_new(o, "next", json_array());
        cur = json_object_get(o, "next");
    }
    CHECK(same(root, 5));
    /* a string longer than the buffer, with escapes across its edges */
    for (size_t i = 0; i < 39999; i++)
        big[i] = i % 97 == 0 ? '\n' : (i % 89 == 0 ? '"' : 'a' + (char) (i % 26));
    big[39999] = '\0';
    json_array_append_new(root, json_string(big));
    CHECK(same(root, 5));
    json_decref(root);
    free(big);
}

static void t_not_utf8(void)
{
    /* jansson refuses to dump a string that is not UTF-8: so do we */
    static const char *const bad[] = { "a\xff", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82", "\xf5\x80\x80\x80" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *j = json_stringn_nocheck(bad[i], strlen(bad[i]));
        CHECK(same(j, 5));
        json_decref(j);
    }
}

int main(void)
{
    UNIT_RUN(t_docs);
    UNIT_RUN(t_sorted);
    UNIT_RUN(t_deep_and_long);
    UNIT_RUN(t_not_utf8);
    return unit_done();
}
