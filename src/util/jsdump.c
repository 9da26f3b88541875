/*
 * util/jsdump.c: json_dumpf(j, f, JSON_INDENT(n) | JSON_ENCODE_ANY |
 * JSON_REAL_PRECISION(17)), byte for byte, at a fraction of its cost.
 *
 * jansson writes each token through a callback (an fwrite each: keys,
 * quotes, separators, every run of indentation) and keeps a hash table of
 * the containers it is inside to catch loops. That was a third of the
 * instructions of `container inspect`. Here the text goes into a page-
 * sized buffer on the stack, written out when full; a tree built by our own code has
 * no loops. Reals, rare in what we print, are formatted by jansson itself
 * so their digits stay jansson's. test_jsdump.c compares the two.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/js.h"
#include "util/str.h"

struct dbuf {
    FILE *f;
    size_t used;
    int indent;
    bool failed;
    bool compact;       /* JSON_COMPACT: "," and ":", no newlines */
    bool sorted;        /* JSON_SORT_KEYS */
    char data[4096];
};

static void flush(struct dbuf *b)
{
    if (b->used && fwrite(b->data, 1, b->used, b->f) != b->used)
        b->failed = true;
    b->used = 0;
}

static void put(struct dbuf *b, const char *s, size_t n)
{
    if (b->used + n > sizeof(b->data)) {
        flush(b);
        if (n > sizeof(b->data)) {
            if (fwrite(s, 1, n, b->f) != n)
                b->failed = true;
            return;
        }
    }
    memcpy(b->data + b->used, s, n);
    b->used += n;
}

static void newline(struct dbuf *b, int depth)
{
    static const char spaces[] = "                                ";
    size_t n = (size_t) depth * (size_t) b->indent;

    if (b->compact)
        return;
    put(b, "\n", 1);
    for (; n > 0;) {
        size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
        put(b, spaces, k);
        n -= k;
    }
}

static int put_string(struct dbuf *b, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *) str;
    size_t run = 0, i = 0;

    put(b, "\"", 1);
    while (i < len) {
        unsigned char c = s[i];
        char esc[8];
        const char *e = NULL;

        if (c >= 0x80) {
            size_t n = str_utf8_len(s + i, len - i);
            if (!n)
                return -1;
            i += n;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        put(b, str + run, i - run);
        switch (c) {
        case '"':  e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\b': e = "\\b"; break;
        case '\f': e = "\\f"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        default:
            snprintf(esc, sizeof(esc), "\\u%04X", c);
            e = esc;
        }
        put(b, e, strlen(e));
        run = ++i;
    }
    put(b, str + run, len - run);
    put(b, "\"", 1);
    return 0;
}

static int put_value(struct dbuf *b, const json_t *j, int depth);

struct member {
    const char *key;
    size_t len;
    json_t *value;
};

/* jansson's order for JSON_SORT_KEYS: bytes, then length */
static int member_cmp(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    int r = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);

    return r ? r : (x->len > y->len) - (x->len < y->len);
}

/* One member of an object: its comma (but for the first), its line, its
 * key and its value. */
static int put_member(struct dbuf *b, bool first, const char *key, size_t len, const json_t *v,
                      int depth)
{
    if (!first)
        put(b, ",", 1);
    newline(b, depth + 1);
    if (put_string(b, key, len) < 0)
        return -1;
    put(b, b->compact ? ":" : ": ", b->compact ? 1 : 2);
    return put_value(b, v, depth + 1);
}

/* A non-empty object, its members in key order. */
static int put_sorted(struct dbuf *b, const json_t *j, int depth)
{
    struct member few[32], *m = few;
    size_t n = json_object_size(j), i = 0;
    int r = 0;

    if (n > sizeof(few) / sizeof(few[0]) && !(m = malloc(n * sizeof(*m))))
        return -1;
    for (void *it = json_object_iter((json_t *) j); it && i < n;
         it = json_object_iter_next((json_t *) j, it), i++)
        m[i] = (struct member) { json_object_iter_key(it), json_object_iter_key_len(it),
                                 json_object_iter_value(it) };
    /* a record read back and written again is in order already: one
     * pass instead of a sort */
    for (size_t k = 1; k < i; k++)
        if (member_cmp(&m[k - 1], &m[k]) > 0) {
            qsort(m, i, sizeof(*m), member_cmp);
            break;
        }
    put(b, "{", 1);
    for (size_t k = 0; k < i && r == 0; k++)
        r = put_member(b, k == 0, m[k].key, m[k].len, m[k].value, depth);
    if (m != few)
        free(m);
    if (r < 0)
        return -1;
    newline(b, depth);
    put(b, "}", 1);
    return 0;
}

static int put_value(struct dbuf *b, const json_t *j, int depth)
{
    char num[32];
    int n;

    switch (json_typeof(j)) {
    case JSON_NULL:  put(b, "null", 4); return 0;
    case JSON_TRUE:  put(b, "true", 4); return 0;
    case JSON_FALSE: put(b, "false", 5); return 0;
    case JSON_INTEGER:
        n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        put(b, num, (size_t) n);
        return 0;
    case JSON_REAL: {
        char *s = json_dumps(j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
        if (!s)
            return -1;
        put(b, s, strlen(s));
        free(s);
        return 0;
    }
    case JSON_STRING:
        return put_string(b, json_string_value(j), json_string_length(j));
    case JSON_ARRAY: {
        size_t count = json_array_size(j);
        if (count == 0) {
            put(b, "[]", 2);
            return 0;
        }
        put(b, "[", 1);
        for (size_t i = 0; i < count; i++) {
            if (i)
                put(b, ",", 1);
            newline(b, depth + 1);
            if (put_value(b, json_array_get(j, i), depth + 1) < 0)
                return -1;
        }
        newline(b, depth);
        put(b, "]", 1);
        return 0;
    }
    case JSON_OBJECT: {
        void *it = json_object_iter((json_t *) j);
        if (!it) {
            put(b, "{}", 2);
            return 0;
        }
        if (b->sorted)
            return put_sorted(b, j, depth);
        put(b, "{", 1);
        for (bool first = true; it; it = json_object_iter_next((json_t *) j, it), first = false)
            if (put_member(b, first, json_object_iter_key(it), json_object_iter_key_len(it),
                           json_object_iter_value(it), depth) < 0)
                return -1;
        newline(b, depth);
        put(b, "}", 1);
        return 0;
    }
    }
    return -1;
}

int js_dump_pretty(FILE *f, const json_t *j, int indent)
{
    struct dbuf b = { .f = f, .indent = indent };
    int r;

    if (!j || indent < 1 || indent > 31)
        return -1;
    r = put_value(&b, j, 0);
    /* jansson writes out what it made before a failure too */
    flush(&b);
    return r < 0 || b.failed ? -1 : 0;
}

char *js_dumps_sorted(const json_t *j, int indent)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f;
    int r;

    if (!j || indent < 0 || indent > 31 || !(f = open_memstream(&text, &size)))
        return NULL;
    {
        struct dbuf b = { .f = f, .indent = indent, .compact = indent == 0, .sorted = true };
        r = put_value(&b, j, 0);
        flush(&b);
        if (b.failed)
            r = -1;
    }
    if (fclose(f) != 0 || r < 0) {
        free(text);
        return NULL;
    }
    return text;
}
