/*
 * test_jsfast.c: js_loadb() must give exactly what json_loadb() gives:
 * the same value for valid input (compared with json_equal and by dump,
 * so integer/real kinds and key sets match), NULL and the same error for
 * invalid input. Hand-picked cases, then thousands of mutations of a real
 * container record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "util/js.h"

static int mismatches;

/* Both parsers on buf; 1 when they agree. */
static int agree(const char *buf, size_t len, size_t flags)
{
    json_error_t e1, e2;
    json_t *a = js_loadb(buf, len, flags, &e1);
    json_t *b = json_loadb(buf, len, flags, &e2);
    int ok;

    if (!a || !b) {
        ok = !a && !b && strcmp(e1.text, e2.text) == 0 && e1.line == e2.line &&
             e1.column == e2.column;
    } else {
        char *da = json_dumps(a, JSON_SORT_KEYS | JSON_ENCODE_ANY);
        char *db = json_dumps(b, JSON_SORT_KEYS | JSON_ENCODE_ANY);
        ok = json_equal(a, b) && da && db && strcmp(da, db) == 0;
        free(da);
        free(db);
    }
    if (!ok && mismatches++ < 5)
        printf("# disagree on: %.*s\n", (int) (len > 200 ? 200 : len), buf);
    json_decref(a);
    json_decref(b);
    return ok;
}

static const char *const cases[] = {
    "{}", "[]", " { } ", "\n[ 1 , 2 ]\t", "{\"a\":1}", "{\"a\":\"b\",\"c\":[true,false,null]}",
    "{\"n\":-0}", "{\"n\":0}", "{\"n\":9223372036854775807}", "{\"n\":-9223372036854775808}",
    "{\"n\":9223372036854775808}", "{\"n\":-9223372036854775809}",
    "{\"n\":12345678901234567890}", "{\"n\":1795474246907352113}",
    "{\"r\":1.5}", "{\"r\":-1.5e10}", "{\"r\":1E400}", "{\"r\":1e-400}", "{\"r\":0.1}",
    "{\"r\":1.}", "{\"r\":.5}", "{\"r\":01}", "{\"r\":-}", "{\"r\":1e}", "{\"r\":1e+}",
    "{\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}", "{\"s\":\"\\u0041\\u00e9\\u20ac\"}",
    "{\"s\":\"\\ud83d\\ude00\"}", "{\"s\":\"\\ud83d\"}", "{\"s\":\"\\ude00\"}",
    "{\"s\":\"\\u0000\"}", "{\"s\":\"\\uzzzz\"}", "{\"s\":\"\\x\"}",
    "{\"s\":\"caf\xc3\xa9\"}", "{\"s\":\"bad\xff\"}", "{\"s\":\"tab\there\"}",
    "{\"a\":1,\"a\":2}", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}", "{a:1}", "{\"a\":1",
    "[", "]", "", "   ", "1", "\"str\"", "true", "null", "{} x", "{}{}", "{\"a\":tru}",
    "{\"a\":truex}", "{\"a\":nul}", "{\"k\\u00e9y\":1}", "{\"\":1}",
    "{\"a\":{\"b\":{\"c\":[[[]]]}}}",
};

static void t_cases(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CHECK(agree(cases[i], strlen(cases[i]), 0));
        CHECK(agree(cases[i], strlen(cases[i]), JSON_REJECT_DUPLICATES));
        CHECK(agree(cases[i], strlen(cases[i]), JSON_DECODE_ANY));
    }
}

static void t_depth(void)
{
    size_t n = 3000;
    char *deep = malloc(2 * n + 1);

    if (!deep)
        { CHECK(deep); return; }
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    CHECK(agree(deep, 2 * n, 0));
    CHECK(agree(deep, 600, 0));
    free(deep);
}

/* A real config record; every single-byte edit, deletion and truncation
 * of it must be judged alike. */
static const char record[] =
    "{\"addHosts\":[],\"autoRemove\":false,\"command\":[\"sh\",\"-c\",\"echo \\\"hi\\\"\\n\"],"
    "\"createdNs\":1795474246907352113,\"dns\":{\"options\":[],\"search\":[],\"servers\":[]},"
    "\"id\":\"00249f0f20620a8e6a67e6c2916feb1dceb504bdf290f16bf30230eeb6a758e5\","
    "\"image\":{\"id\":\"0341d88d4d11\",\"name\":\"localhost/busybox:latest\"},"
    "\"labels\":{\"a\":\"b\"},\"lockID\":7,\"ratio\":0.25,\"name\":\"dapper_aiken\","
    "\"portMappings\":[{\"host_port\":8080,\"container_port\":80}],\"stdin\":null,"
    "\"spec\":{\"namespaces\":{\"network\":\"none\"}},\"version\":1}";

static void t_mutations(void)
{
    static const char subst[] = "{}[]\":,\\ 0-9.eE+tfnu\x01\xc3";
    size_t len = sizeof(record) - 1;
    char *buf = malloc(len + 2);
    int bad = 0;

    if (!buf)
        { CHECK(buf); return; }
    for (size_t i = 0; i <= len; i++) {
        /* truncation */
        bad += !agree(record, i, JSON_REJECT_DUPLICATES);
        if (i == len)
            break;
        /* deletion */
        memcpy(buf, record, i);
        memcpy(buf + i, record + i + 1, len - i - 1);
        bad += !agree(buf, len - 1, JSON_REJECT_DUPLICATES);
        /* substitution */
        for (size_t k = 0; k < sizeof(subst) - 1; k++) {
            memcpy(buf, record, len);
            buf[i] = subst[k];
            bad += !agree(buf, len, JSON_REJECT_DUPLICATES);
        }
    }
    CHECK_INT(bad, 0);
    free(buf);
}

/* js_read_file: records on the stack, bigger files whole from the heap,
 * a broken one reported with its path. */
static void t_read_file(void)
{
    char dir[] = "/tmp/test_jsfast.XXXXXX", path[64];
    struct berr *e = NULL;
    json_t *big = json_array(), *got = NULL;
    char *text;
    FILE *f;

    if (!mkdtemp(dir))
        { CHECK(0); return; }
    snprintf(path, sizeof(path), "%s/r.json", dir);
    for (int i = 0; i < 4000; i++)
        json_array_append_new(big, json_integer(1000000 + i));
    text = json_dumps(big, JSON_COMPACT);
    CHECK(text && strlen(text) > 16384);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    CHECK_INT(js_read_file(path, &got, &e), 0);
    CHECK(got && json_equal(got, big));
    json_decref(got);
    got = NULL;
    /* around the stack buffer's size: the same value, padded to exactly
     * len bytes with trailing blanks */
    {
        static const size_t lens[] = { 100, 4095, 4096, 4097, 8192, 16384, 16385 };
        json_t *small = json_array();
        char *st;
        for (int i = 0; i < 10; i++)
            json_array_append_new(small, json_integer(i));
        st = json_dumps(small, JSON_COMPACT);
        for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
            f = fopen(path, "w");
            fputs(st, f);
            for (size_t n = strlen(st); n < lens[k]; n++)
                fputc(' ', f);
            fclose(f);
            CHECK_INT(js_read_file(path, &got, &e), 0);
            CHECK(got && json_equal(got, small));
            json_decref(got);
            got = NULL;
        }
        free(st);
        json_decref(small);
    }
    f = fopen(path, "w");
    fputs("{\"a\":[1,2", f);
    fclose(f);
    CHECK_INT(js_read_file(path, &got, &e), -1);
    CHECK(e && e->kind == BK_CORRUPT && strstr(e->msg, path));
    berr_free(e);
    unlink(path);
    rmdir(dir);
    free(text);
    json_decref(big);
}

int main(void)
{
    UNIT_RUN(t_read_file);
    UNIT_RUN(t_cases);
    UNIT_RUN(t_depth);
    UNIT_RUN(t_mutations);
    return unit_done();
}
