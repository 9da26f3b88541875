/*
 * util/tmpl_func.c: the template's builtin functions, Go's and podman's
 * (json, upper, join, split, truncate, pad, index, len, printf, eq ...),
 * with Go's error texts. Values print through tmpl_print.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/str.h"
#include "util/tmpl_int.h"

#define RET(v) do { json_t *r_ = (v); if (!r_) return sbuf_add(msg, "out of memory"), -1; \
                    *out = r_; return 0; } while (0)

static int fail(struct sbuf *msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct sbuf *msg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbuf_vaddf(msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* Strings are taken as they are; other values as %v prints them. */
static char *as_str(json_t *v, size_t *len)
{
    struct sbuf b = SBUF_INIT;
    char *s;

    tmpl_print(&b, v, false);
    *len = b.len;
    s = sbuf_steal(&b);
    return s;
}

static int as_int(json_t *v, long long *out, struct sbuf *msg)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v))) {
        *out = (long long) json_real_value(v);
        return 0;
    }
    return fail(msg, "wrong type for value; expected int; got %s", tmpl_type_name(v));
}

static int f_not(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    (void) n;
    RET(json_boolean(!tmpl_truth(a[0])));
}

static int f_len(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    (void) n;
    switch (json_typeof(a[0])) {
    case JSON_STRING: RET(json_integer((json_int_t) json_string_length(a[0])));
    case JSON_ARRAY: RET(json_integer((json_int_t) json_array_size(a[0])));
    case JSON_OBJECT: RET(json_integer((json_int_t) json_object_size(a[0])));
    case JSON_NULL: RET(json_integer(0));
    default: return fail(msg, "len of type %s", tmpl_type_name(a[0]));
    }
}

static int f_index(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    json_t *v = a[0];

    for (int i = 1; i < n; i++) {
        if (json_is_array(v)) {
            long long k;
            if (as_int(a[i], &k, msg) < 0)
                return -1;
            if (k < 0 || (size_t) k >= json_array_size(v))
                return fail(msg, "error calling index: index out of range: %lld", k);
            v = json_array_get(v, (size_t) k);
        } else if (json_is_object(v) || json_is_null(v)) {
            /* a missing key gives the zero value, as Go's map index */
            if (!json_is_string(a[i]))
                return fail(msg, "error calling index: value has type %s; should be string",
                            tmpl_type_name(a[i]));
            v = json_is_object(v) ? json_object_get(v, json_string_value(a[i])) : NULL;
            if (!v)
                RET(json_string(""));
        } else if (json_is_string(v)) {
            long long k;
            if (as_int(a[i], &k, msg) < 0)
                return -1;
            if (k < 0 || (size_t) k >= json_string_length(v))
                return fail(msg, "error calling index: index out of range: %lld", k);
            RET(json_integer((unsigned char) json_string_value(v)[k]));
        } else {
            return fail(msg, "error calling index: can't index item of type %s",
                        tmpl_type_name(v));
        }
    }
    RET(json_incref(v));
}

static int f_printf(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    size_t l;
    _cleanup_free_ char *fmt = as_str(a[0], &l);

    if (!fmt || tmpl_sprintf(&b, fmt, a + 1, n - 1) < 0)
        return fail(msg, "out of memory");
    RET(json_stringn_nocheck(sbuf_str(&b), b.len));
}

/* print and println: Go's Sprint adds spaces between operands when
 * neither side is a string; Sprintln always does, and ends the line. */
static int do_print(json_t **a, int n, json_t **out, struct sbuf *msg, bool ln)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    for (int i = 0; i < n; i++) {
        if (i > 0 && (ln || (!json_is_string(a[i - 1]) && !json_is_string(a[i]))))
            sbuf_addc(&b, ' ');
        tmpl_print(&b, a[i], false);
    }
    if (ln)
        sbuf_addc(&b, '\n');
    RET(json_stringn_nocheck(sbuf_str(&b), b.len));
}

static int f_print(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    return do_print(a, n, out, msg, false);
}

static int f_println(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    return do_print(a, n, out, msg, true);
}

#define REPLACEMENT "\xef\xbf\xbd"      /* U+FFFD in UTF-8 */

/* s (l bytes) into b, each byte that is no part of valid UTF-8 replaced
 * by U+FFFD, as Go's strings.Map (ToUpper, Title...) and json.Marshal
 * do; *had (may be NULL): s held a U+FFFD of its own. -1 out of memory. */
static int mend_utf8(struct sbuf *b, const char *str, size_t l, bool *had)
{
    const unsigned char *s = (const unsigned char *) str;

    for (size_t i = 0; i < l;) {
        size_t n = s[i] < 0x80 ? 1 : str_utf8_len(s + i, l - i);
        if (had && n == 3 && memcmp(s + i, REPLACEMENT, 3) == 0)
            *had = true;
        if (n == 0)
            sbuf_addn(b, REPLACEMENT, 3);
        else
            sbuf_addn(b, str + i, n);
        i += n ? n : 1;
    }
    return b->oom ? -1 : 0;
}

/* A copy of v whose strings have each byte that is no part of valid
 * UTF-8 replaced by U+FFFD, as Go's json.Marshal writes it (jansson
 * refuses such a string); *had: v held a U+FFFD of its own. NULL when
 * out of memory. */
static json_t *utf8_mended(json_t *v, bool *had)
{
    json_t *r, *e;
    const char *k;
    size_t i;

    switch (json_typeof(v)) {
    case JSON_STRING: {
        _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
        if (mend_utf8(&b, json_string_value(v), json_string_length(v), had) < 0)
            return NULL;
        return json_stringn(sbuf_str(&b), b.len);
    }
    case JSON_ARRAY:
        if (!(r = json_array()))
            return NULL;
        json_array_foreach(v, i, e)
            if (json_array_append_new(r, utf8_mended(e, had)) < 0)
                return json_decref(r), NULL;
        return r;
    case JSON_OBJECT:
        if (!(r = json_object()))
            return NULL;
        json_object_foreach(v, k, e)
            if (json_object_set_new(r, k, utf8_mended(e, had)) < 0)
                return json_decref(r), NULL;
        return r;
    default:
        return json_incref(v);
    }
}

static int f_json(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    /* Go's json.Marshal without HTML escaping: compact, "<" kept */
    const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17);
    _cleanup_json_ json_t *plain = tmpl_plain_json(a[0]);
    _cleanup_free_ char *s = plain ? json_dumps(plain, flags) : NULL;

    (void) n;
    if (!plain)
        return fail(msg, "out of memory");
    if (!s) {
        /* a string that is not UTF-8 (template strings are bytes, as
         * Go's): each bad byte is \ufffd, as Go writes it; a U+FFFD of
         * the value's own stays as it is (then the mended ones do too) */
        bool had = false;
        _cleanup_json_ json_t *m = utf8_mended(plain, &had);
        _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
        const char *p, *hit;

        if (!m || !(s = json_dumps(m, flags)))
            return fail(msg, "out of memory");
        if (!had) {
            for (p = s; (hit = strstr(p, REPLACEMENT)); p = hit + 3) {
                sbuf_addn(&b, p, (size_t) (hit - p));
                sbuf_add(&b, "\\ufffd");
            }
            sbuf_add(&b, p);
            if (b.oom)
                return fail(msg, "out of memory");
            RET(json_stringn(sbuf_str(&b), b.len));
        }
    }
    RET(json_string(s));
}

/* The string of a for strings.Map's functions: mended (mend_utf8). */
static int mapped_str(json_t *a, struct sbuf *b)
{
    size_t l;
    _cleanup_free_ char *s = as_str(a, &l);

    return s ? mend_utf8(b, s, l, NULL) : -1;
}

static int map_str(json_t **a, json_t **out, struct sbuf *msg, int (*f)(int))
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    if (mapped_str(a[0], &b) < 0)
        return fail(msg, "out of memory");
    for (size_t i = 0; i < b.len; i++)
        if ((unsigned char) b.buf[i] < 0x80)
            b.buf[i] = (char) f((unsigned char) b.buf[i]);
    RET(json_stringn(sbuf_str(&b), b.len));
}

static int f_upper(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    (void) n;
    return map_str(a, out, msg, toupper);
}

static int f_lower(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    (void) n;
    return map_str(a, out, msg, tolower);
}

/* strings.Title: upper-case the first letter of every word; letters,
 * digits, '_' and non-ASCII bytes are word characters. */
static int f_title(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    bool sep = true;

    (void) n;
    if (mapped_str(a[0], &b) < 0)
        return fail(msg, "out of memory");
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char) b.buf[i];
        if (sep && c < 0x80)
            b.buf[i] = (char) toupper(c);
        sep = c < 0x80 && !isalnum(c) && c != '_' && c != '\'';
    }
    RET(json_stringn(sbuf_str(&b), b.len));
}

static int f_join(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    size_t l, i;
    _cleanup_free_ char *sep = as_str(a[1], &l);
    json_t *e;

    (void) n;
    if (!sep)
        return fail(msg, "out of memory");
    if (json_is_null(a[0]))
        RET(json_string(""));
    if (!json_is_array(a[0])) {
        if (json_is_string(a[0]))
            RET(json_incref(a[0]));
        return fail(msg, "wrong type for value; expected []string; got %s",
                    tmpl_type_name(a[0]));
    }
    json_array_foreach(a[0], i, e) {
        if (i)
            sbuf_addn(&b, sep, l);
        tmpl_print(&b, e, false);
    }
    RET(json_stringn_nocheck(sbuf_str(&b), b.len));
}

static int f_split(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    size_t l, sl;
    _cleanup_free_ char *s = as_str(a[0], &l);
    _cleanup_free_ char *sep = as_str(a[1], &sl);
    _cleanup_json_ json_t *r = json_array();
    const char *p, *e;

    (void) n;
    if (!s || !sep || !r)
        return fail(msg, "out of memory");
    if (sl == 0) {
        /* Go splits into UTF-8 sequences */
        for (size_t i = 0; i < l;) {
            size_t j = i + 1;
            while (j < l && ((unsigned char) s[j] & 0xc0) == 0x80)
                j++;
            if (json_array_append_new(r, json_stringn_nocheck(s + i, j - i)) < 0)
                return fail(msg, "out of memory");
            i = j;
        }
        RET(json_incref(r));
    }
    for (p = s; (e = memmem(p, l - (size_t) (p - s), sep, sl)); p = e + sl)
        if (json_array_append_new(r, json_stringn_nocheck(p, (size_t) (e - p))) < 0)
            return fail(msg, "out of memory");
    if (json_array_append_new(r, json_stringn_nocheck(p, l - (size_t) (p - s))) < 0)
        return fail(msg, "out of memory");
    RET(json_incref(r));
}

/* podman's truncate: the first N bytes, or the string when shorter. */
static int f_truncate(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    size_t l;
    long long k;
    _cleanup_free_ char *s = NULL;

    (void) n;
    if (as_int(a[1], &k, msg) < 0)
        return -1;
    if (!(s = as_str(a[0], &l)))
        return fail(msg, "out of memory");
    if (k < 0)
        return fail(msg, "error calling truncate: slice bounds out of range [:%lld]", k);
    RET(json_stringn_nocheck(s, (size_t) k < l ? (size_t) k : l));
}

/* podman's pad: N spaces before, M after. */
static int f_pad(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    long long pre, post;
    size_t l;
    _cleanup_free_ char *s = NULL;

    (void) n;
    if (as_int(a[1], &pre, msg) < 0 || as_int(a[2], &post, msg) < 0)
        return -1;
    /* Go's strings.Repeat panics on a negative count; a huge one runs
     * podman out of memory: refused past printf's own limit. */
    if (pre < 0 || post < 0)
        return fail(msg, "error calling pad: strings: negative Repeat count");
    if (pre > GO_FMT_MAX || post > GO_FMT_MAX)
        return fail(msg, "error calling pad: strings: Repeat count larger than %d", GO_FMT_MAX);
    if (!(s = as_str(a[0], &l)))
        return fail(msg, "out of memory");
    for (long long i = 0; i < pre; i++)
        sbuf_addc(&b, ' ');
    sbuf_addn(&b, s, l);
    for (long long i = 0; i < post; i++)
        sbuf_addc(&b, ' ');
    RET(json_stringn_nocheck(sbuf_str(&b), b.len));
}

static int f_contains(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    size_t l, sl;
    _cleanup_free_ char *s = as_str(a[0], &l);
    _cleanup_free_ char *sub = as_str(a[1], &sl);

    (void) n;
    if (!s || !sub)
        return fail(msg, "out of memory");
    RET(json_boolean(sl == 0 || memmem(s, l, sub, sl) != NULL));
}

static int f_replace(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    size_t l, ol, nl;
    _cleanup_free_ char *s = as_str(a[0], &l);
    _cleanup_free_ char *old = as_str(a[1], &ol);
    _cleanup_free_ char *new = as_str(a[2], &nl);
    const char *p, *e;

    (void) n;
    if (!s || !old || !new)
        return fail(msg, "out of memory");
    if (ol == 0)
        RET(json_stringn_nocheck(s, l));
    for (p = s; (e = memmem(p, l - (size_t) (p - s), old, ol)); p = e + ol) {
        sbuf_addn(&b, p, (size_t) (e - p));
        sbuf_addn(&b, new, nl);
    }
    sbuf_addn(&b, p, l - (size_t) (p - s));
    RET(json_stringn_nocheck(sbuf_str(&b), b.len));
}

/* Comparison: 0 ok with *c = <0/0/>0; -1 with msg. Numbers compare as
 * numbers whatever their JSON kind; strings as bytes. */
static int compare(json_t *x, json_t *y, bool order, int *c, struct sbuf *msg)
{
    if (json_is_number(x) && json_is_number(y)) {
        if (json_is_integer(x) && json_is_integer(y)) {
            json_int_t a = json_integer_value(x), b = json_integer_value(y);
            *c = a < b ? -1 : a > b;
        } else {
            double a = json_number_value(x), b = json_number_value(y);
            *c = a < b ? -1 : a > b;
        }
        return 0;
    }
    if (json_is_string(x) && json_is_string(y)) {
        *c = strcmp(json_string_value(x), json_string_value(y));
        return 0;
    }
    if (!order) {
        if (json_is_boolean(x) && json_is_boolean(y)) {
            *c = json_is_true(x) != json_is_true(y);
            return 0;
        }
        if (json_is_null(x) || json_is_null(y)) {
            *c = !(json_is_null(x) && json_is_null(y));
            return 0;
        }
        if (json_is_array(x) || json_is_object(x) || json_is_array(y) || json_is_object(y))
            return fail(msg, "error calling eq: non-comparable type");
        return fail(msg, "error calling eq: incompatible types for comparison");
    }
    if (json_typeof(x) != json_typeof(y) && (json_is_number(x) || json_is_string(x)) &&
        (json_is_number(y) || json_is_string(y)))
        return fail(msg, "incompatible types for comparison");
    return fail(msg, "invalid type for comparison");
}

static int f_eq(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    for (int i = 1; i < n; i++) {
        int c;
        if (compare(a[0], a[i], false, &c, msg) < 0)
            return -1;
        if (c == 0)
            RET(json_true());
    }
    RET(json_false());
}

static int f_ne(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    int c;
    (void) n;
    if (compare(a[0], a[1], false, &c, msg) < 0)
        return -1;
    RET(json_boolean(c != 0));
}

#define ORDER(name, op)                                                          \
    static int f_##name(json_t **a, int n, json_t **out, struct sbuf *msg)       \
    {                                                                            \
        int c;                                                                   \
        (void) n;                                                                \
        if (compare(a[0], a[1], true, &c, msg) < 0)                              \
            return -1;                                                           \
        RET(json_boolean(c op 0));                                               \
    }
ORDER(lt, <)
ORDER(le, <=)
ORDER(gt, >)
ORDER(ge, >=)

static const struct tmpl_func funcs[] = {
    { "and", 1, -1, NULL },         /* evaluated lazily in tmpl_exec.c */
    { "or", 1, -1, NULL },
    { "not", 1, 1, f_not },
    { "len", 1, 1, f_len },
    { "index", 1, -1, f_index },
    { "printf", 1, -1, f_printf },
    { "print", 0, -1, f_print },
    { "println", 0, -1, f_println },
    { "json", 1, 1, f_json },
    { "upper", 1, 1, f_upper },
    { "lower", 1, 1, f_lower },
    { "title", 1, 1, f_title },
    { "join", 2, 2, f_join },
    { "split", 2, 2, f_split },
    { "truncate", 2, 2, f_truncate },
    { "pad", 3, 3, f_pad },
    { "contains", 2, 2, f_contains },
    { "replace", 3, 3, f_replace },
    { "eq", 2, -1, f_eq },
    { "ne", 2, 2, f_ne },
    { "lt", 2, 2, f_lt },
    { "le", 2, 2, f_le },
    { "gt", 2, 2, f_gt },
    { "ge", 2, 2, f_ge },
};

const struct tmpl_func *tmpl_func_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(funcs); i++)
        if (strcmp(funcs[i].name, name) == 0)
            return &funcs[i];
    return NULL;
}
