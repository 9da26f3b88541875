/*
 * util/jsfast.c: a fast path in front of jansson's parser (js_loadb), and
 * the same parser as a pull interface (js_pull_*: an object's members one
 * by one, scalars without a jansson value; runtime/records.c reads ps's
 * records with it).
 *
 * jansson's lexer reads through a character stream and costs ~200
 * instructions per byte; `ps -a` over 1000 containers spent half its time
 * there. This parser builds the same jansson values straight from the
 * buffer. It accepts only what it is sure of: strict JSON, ASCII strings
 * (escapes included, \u0000 and lone surrogates excepted), integers that
 * fit a long long, finite reals. Anything else (non-ASCII text, a
 * duplicate key when duplicates are rejected, a syntax error, deep
 * nesting) makes it give up, and jansson parses the input again (js_loadb
 * does; a pull's caller reads the text with js_loadb): jansson stays the
 * one judge of what is valid and the one author of errors.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/js.h"

#define MAX_DEPTH 512

/* Byte classes, a test per byte: C_WS, JSON whitespace (' ', '\n',
 * '\t', '\r'); C_PLAIN, a byte a string holds as it is (0x20..0x7f but
 * the quote and the backslash). A row per 16 bytes. */
enum { C_WS = 1, C_PLAIN = 2 };
static const unsigned char cclass[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    3, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* (A local pointer: a char load may alias j->p, so a loop over j->p
 * itself stores and reloads it at every byte.) */
static inline void skip_ws(struct js_pull *j)
{
    const char *p = j->p;

    while (p < j->end && (cclass[(unsigned char) *p] & C_WS))
        p++;
    j->p = p;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;

    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned) (c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned) (c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned) (c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static int sb_reserve(struct js_pull *j, size_t need)
{
    if (need <= j->sb_cap)
        return 0;
    size_t cap = j->sb_cap ? j->sb_cap : 256;
    while (cap < need)
        cap *= 2;
    char *n = realloc(j->sb, cap);
    if (!n)
        return -1;
    j->sb = n;
    j->sb_cap = cap;
    return 0;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Whether one of the 8 bytes at s ends a plain run of a string: a quote,
 * a backslash, a control or a non-ASCII byte. Never false when one does
 * (a false true only costs the byte loop). */
static inline bool word_stops(const char *s)
{
    unsigned long long x, q, b;

    memcpy(&x, s, 8);
    q = x ^ (ONES * '"');
    b = x ^ (ONES * '\\');
    return ((x & HIGHS) | ((x - ONES * 0x20) & ~x & HIGHS) | ((q - ONES) & ~q & HIGHS) |
            ((b - ONES) & ~b & HIGHS)) != 0;
}

/* At the opening quote. On success *s and *len are the decoded text (in the
 * input, or in j->sb when it had escapes) and j->p is past the quote. */
static int parse_string(struct js_pull *j, const char **s, size_t *len)
{
    const char *start = ++j->p, *q = start;
    size_t n = 0;

    /* the common case: no escapes; eight plain bytes at a time */
    while (j->end - q >= 8 && !word_stops(q))
        q += 8;
    {
        const char *end = j->end;
        while (q < end && (cclass[(unsigned char) *q] & C_PLAIN))
            q++;
    }
    if (q >= j->end || (*q != '"' && *q != '\\'))     /* a control or non-ASCII byte */
        return -1;
    if (*q == '"') {
        *s = start;
        *len = (size_t) (q - start);
        j->p = q + 1;
        return 0;
    }
    /* escapes: decode into the scratch buffer (never longer than input) */
    if (sb_reserve(j, (size_t) (j->end - start) + 1) < 0)
        return -1;
    memcpy(j->sb, start, (size_t) (q - start));
    n = (size_t) (q - start);
    while (q < j->end && *q != '"') {
        unsigned char c = (unsigned char) *q;
        if (c < 0x20 || c >= 0x80)
            return -1;
        if (c != '\\') {
            j->sb[n++] = (char) c;
            q++;
            continue;
        }
        if (++q >= j->end)
            return -1;
        switch (*q) {
        case '"': j->sb[n++] = '"'; break;
        case '\\': j->sb[n++] = '\\'; break;
        case '/': j->sb[n++] = '/'; break;
        case 'b': j->sb[n++] = '\b'; break;
        case 'f': j->sb[n++] = '\f'; break;
        case 'n': j->sb[n++] = '\n'; break;
        case 'r': j->sb[n++] = '\r'; break;
        case 't': j->sb[n++] = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (j->end - q < 5 || hex4(q + 1, &cp) < 0 || cp == 0)
                return -1;
            q += 4;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return -1;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (j->end - q < 7 || q[1] != '\\' || q[2] != 'u' || hex4(q + 3, &lo) < 0 ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return -1;
                q += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            /* at most 4 bytes from 6 or 12 input bytes: fits */
            if (cp < 0x80) {
                j->sb[n++] = (char) cp;
            } else if (cp < 0x800) {
                j->sb[n++] = (char) (0xC0 | (cp >> 6));
                j->sb[n++] = (char) (0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                j->sb[n++] = (char) (0xE0 | (cp >> 12));
                j->sb[n++] = (char) (0x80 | ((cp >> 6) & 0x3F));
                j->sb[n++] = (char) (0x80 | (cp & 0x3F));
            } else {
                j->sb[n++] = (char) (0xF0 | (cp >> 18));
                j->sb[n++] = (char) (0x80 | ((cp >> 12) & 0x3F));
                j->sb[n++] = (char) (0x80 | ((cp >> 6) & 0x3F));
                j->sb[n++] = (char) (0x80 | (cp & 0x3F));
            }
            break;
        }
        default:
            return -1;
        }
        q++;
    }
    if (q >= j->end)
        return -1;
    j->sb[n] = '\0';
    *s = j->sb;
    *len = n;
    j->p = q + 1;
    return 0;
}

/* A number: an integer that fits a long long into *iv, else (*real) a
 * finite real into *dv. -1 for anything else. */
static int scan_number(struct js_pull *j, bool *real, long long *iv, double *dv)
{
    const char *s = j->p, *q = s;
    size_t digits = 0;

    *real = false;
    if (q < j->end && *q == '-')
        q++;
    if (q >= j->end || *q < '0' || *q > '9')
        return -1;
    if (*q == '0') {
        q++;
        digits = 1;
        if (q < j->end && *q >= '0' && *q <= '9')
            return -1;
    } else {
        while (q < j->end && *q >= '0' && *q <= '9')
            q++, digits++;
    }
    if (q < j->end && *q == '.') {
        *real = true;
        if (++q >= j->end || *q < '0' || *q > '9')
            return -1;
        while (q < j->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < j->end && (*q == 'e' || *q == 'E')) {
        *real = true;
        if (++q < j->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= j->end || *q < '0' || *q > '9')
            return -1;
        while (q < j->end && *q >= '0' && *q <= '9')
            q++;
    }
    j->p = q;
    if (!*real) {
        unsigned long long v = 0;
        bool neg = *s == '-';
        if (digits > 19)        /* cannot fit: jansson says so */
            return -1;
        for (const char *d = neg ? s + 1 : s; d < q; d++)
            v = v * 10 + (unsigned long long) (*d - '0');     /* < 10^19 < 2^64 */
        if (v > (unsigned long long) LLONG_MAX + neg)
            return -1;
        *iv = neg ? (long long) (0 - v) : (long long) v;
        return 0;
    }
    {
        char buf[64];
        size_t n = (size_t) (q - s);
        if (n >= sizeof(buf))
            return -1;
        memcpy(buf, s, n);
        buf[n] = '\0';
        *dv = strtod(buf, NULL);
        return isfinite(*dv) ? 0 : -1;
    }
}

static json_t *parse_number(struct js_pull *j)
{
    bool real;
    long long iv = 0;
    double dv = 0;

    if (scan_number(j, &real, &iv, &dv) < 0)
        return NULL;
    return real ? json_real(dv) : json_integer(iv);
}

static json_t *parse_value(struct js_pull *j, int depth);

static json_t *parse_object(struct js_pull *j, int depth)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    j->p++;
    skip_ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        return o;
    }
    for (;;) {
        const char *k;
        size_t klen;
        char *key;
        json_t *v;

        if (j->p >= j->end || *j->p != '"' || parse_string(j, &k, &klen) < 0)
            goto fail;
        /* the value may reuse the scratch buffer: keep the key */
        key = k == j->sb ? strndup(k, klen) : NULL;
        if (k == j->sb && !key)
            goto fail;
        skip_ws(j);
        if (j->p >= j->end || *j->p != ':') {
            free(key);
            goto fail;
        }
        j->p++;
        v = parse_value(j, depth + 1);
        if (!v) {
            free(key);
            goto fail;
        }
        {
            size_t before = json_object_size(o);
            int r = json_object_setn_new_nocheck(o, key ? key : k, klen, v);
            free(key);
            if (r < 0 || (j->reject_dups && json_object_size(o) == before))
                goto fail;
        }
        skip_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            skip_ws(j);
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            return o;
        }
        goto fail;
    }
fail:
    json_decref(o);
    return NULL;
}

static json_t *parse_array(struct js_pull *j, int depth)
{
    json_t *a = json_array();

    if (!a)
        return NULL;
    j->p++;
    skip_ws(j);
    if (j->p < j->end && *j->p == ']') {
        j->p++;
        return a;
    }
    for (;;) {
        json_t *v = parse_value(j, depth + 1);
        if (!v || json_array_append_new(a, v) < 0)
            goto fail;
        skip_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            return a;
        }
        goto fail;
    }
fail:
    json_decref(a);
    return NULL;
}

static bool word(struct js_pull *j, const char *w, size_t n)
{
    if ((size_t) (j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return false;
    j->p += n;
    return true;
}

static json_t *parse_value(struct js_pull *j, int depth)
{
    if (depth > MAX_DEPTH)
        return NULL;
    skip_ws(j);
    if (j->p >= j->end)
        return NULL;
    switch (*j->p) {
    case '{':
        return parse_object(j, depth);
    case '[':
        return parse_array(j, depth);
    case '"': {
        const char *s;
        size_t len;
        if (parse_string(j, &s, &len) < 0)
            return NULL;
        return json_stringn_nocheck(s, len);
    }
    case 't':
        return word(j, "true", 4) ? json_true() : NULL;
    case 'f':
        return word(j, "false", 5) ? json_false() : NULL;
    case 'n':
        return word(j, "null", 4) ? json_null() : NULL;
    default:
        return parse_number(j);
    }
}

/* ---- pulling an object's members (util/js.h) ---- */

int js_pull_begin(struct js_pull *j, const char *buf, size_t len)
{
    *j = (struct js_pull) { .p = buf, .end = buf + len, .reject_dups = true };
    return js_pull_enter(j);
}

int js_pull_enter(struct js_pull *j)
{
    skip_ws(j);
    if (j->p >= j->end || *j->p != '{' || j->depth >= JS_PULL_DEPTH)
        return -1;
    j->p++;
    j->members[j->depth++] = 0;
    return 0;
}

char js_pull_peek(struct js_pull *j)
{
    skip_ws(j);
    return j->p < j->end ? *j->p : 0;
}

int js_pull_key(struct js_pull *j, const char **k, size_t *klen)
{
    if (!j->depth)
        return -1;
    skip_ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        if (--j->depth)
            return 0;
        skip_ws(j);     /* the outermost object: nothing may follow */
        return j->p == j->end ? 0 : -1;
    }
    if (j->members[j->depth - 1] && (j->p >= j->end || *j->p++ != ','))
        return -1;
    skip_ws(j);
    /* plain keys only: one with escapes would sit in the scratch the
     * value may reuse */
    if (j->p >= j->end || *j->p != '"')
        return -1;
    {
        const char *s = j->p + 1, *q = s, *end = j->end;
        while (q < end && (cclass[(unsigned char) *q] & C_PLAIN))
            q++;
        if (q >= end || *q != '"')
            return -1;
        *k = s;
        *klen = (size_t) (q - s);
        j->p = q + 1;
    }
    skip_ws(j);
    if (j->p >= j->end || *j->p != ':')
        return -1;
    j->p++;
    j->members[j->depth - 1]++;
    return 1;
}

int js_pull_value(struct js_pull *j, struct js_val *v)
{
    *v = (struct js_val) { .kind = JSV_NULL };
    skip_ws(j);
    if (j->p >= j->end)
        return -1;
    switch (*j->p) {
    case '{':
    case '[':
        v->kind = JSV_TREE;
        return (v->tree = parse_value(j, 1)) ? 0 : -1;
    case '"':
        v->kind = JSV_STR;
        return parse_string(j, &v->s, &v->len);
    case 't':
    case 'f':
        v->kind = JSV_BOOL;
        v->b = *j->p == 't';
        return word(j, v->b ? "true" : "false", v->b ? 4 : 5) ? 0 : -1;
    case 'n':
        return word(j, "null", 4) ? 0 : -1;
    default: {
        /* integers only: no field read this way is a real */
        bool real;
        double d;
        v->kind = JSV_INT;
        return scan_number(j, &real, &v->i, &d) < 0 || real ? -1 : 0;
    }
    }
}

void js_pull_free(struct js_pull *j)
{
    free(j->sb);
    j->sb = NULL;
}

json_t *js_loadb(const char *buf, size_t len, size_t flags, json_error_t *je)
{
    struct js_pull j = { .p = buf, .end = buf + len,
                         .reject_dups = flags & JSON_REJECT_DUPLICATES };
    json_t *v;

    skip_ws(&j);
    if (j.p < j.end && (*j.p == '{' || *j.p == '[' || (flags & JSON_DECODE_ANY))) {
        v = parse_value(&j, 0);
        skip_ws(&j);
        if (v && j.p == j.end) {
            free(j.sb);
            return v;
        }
        json_decref(v);
    }
    free(j.sb);
    return json_loadb(buf, len, flags, je);
}
