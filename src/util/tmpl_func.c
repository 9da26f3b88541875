/*
 * util/tmpl_func.c: the template's builtin functions (Go's and podman's),
 * and values printed as Go's fmt prints them: %v of strings raw, floats
 * in Go's shortest form, arrays as [a b], objects as map[k:v] with sorted
 * keys, and a printf subset with Go's %!verb(type=value) complaints.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/tmpl_int.h"

const char *tmpl_type_name(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "int";
    case JSON_REAL: return "float64";
    case JSON_TRUE: case JSON_FALSE: return "bool";
    case JSON_ARRAY: return "[]interface {}";
    case JSON_OBJECT: return "map[string]interface {}";
    default: return "<nil>";
    }
}

bool tmpl_truth(json_t *v)
{
    if (!v)
        return false;
    switch (json_typeof(v)) {
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0;
    case JSON_TRUE: return true;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_OBJECT: return json_object_size(v) > 0;
    default: return false;
    }
}

/* Go's strconv.FormatFloat(d, 'g', -1, 64), which fmt's %v uses: the
 * shortest digits that read back as d, in %e form when the exponent is
 * below -4 or at least 6 (so 1e+06, 123456, 1.5e-05). */
static void go_float(struct sbuf *b, double d)
{
    char buf[64], digits[32];
    int prec, nd = 0, exp;
    const char *p, *e;

    if (isnan(d)) {
        sbuf_add(b, "NaN");
        return;
    }
    if (isinf(d)) {
        sbuf_add(b, d > 0 ? "+Inf" : "-Inf");
        return;
    }
    if (d == 0) {
        sbuf_add(b, signbit(d) ? "-0" : "0");
        return;
    }
    for (prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    p = buf;
    if (*p == '-') {
        sbuf_addc(b, '-');
        p++;
    }
    e = strchr(p, 'e');
    for (; p < e; p++)
        if (isdigit((unsigned char) *p))
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    exp = atoi(e + 1);
    if (exp < -4 || exp >= 6) {
        sbuf_addc(b, digits[0]);
        if (nd > 1) {
            sbuf_addc(b, '.');
            sbuf_add(b, digits + 1);
        }
        sbuf_addf(b, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
    } else if (exp >= 0) {
        for (int i = 0; i <= exp; i++)
            sbuf_addc(b, i < nd ? digits[i] : '0');
        if (nd > exp + 1) {
            sbuf_addc(b, '.');
            sbuf_add(b, digits + exp + 1);
        }
    } else {
        sbuf_add(b, "0.");
        for (int i = 0; i < -exp - 1; i++)
            sbuf_addc(b, '0');
        sbuf_add(b, digits);
    }
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

const char **tmpl_sorted_keys(json_t *o, size_t *n)
{
    const char **keys = calloc(json_object_size(o) + 1, sizeof(*keys));
    const char *k;
    json_t *v;
    size_t i = 0;

    if (!keys)
        return NULL;
    json_object_foreach(o, k, v)
        keys[i++] = k;
    qsort(keys, i, sizeof(*keys), cmp_keys);
    *n = i;
    return keys;
}

int tmpl_print(struct sbuf *b, json_t *v, bool top)
{
    if (!v || json_is_null(v))
        return sbuf_add(b, top ? "<no value>" : "<nil>");
    switch (json_typeof(v)) {
    case JSON_STRING:
        return sbuf_addn(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return sbuf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    case JSON_REAL:
        go_float(b, json_real_value(v));
        return 0;
    case JSON_TRUE:
        return sbuf_add(b, "true");
    case JSON_FALSE:
        return sbuf_add(b, "false");
    case JSON_ARRAY: {
        size_t i;
        json_t *e;
        sbuf_addc(b, '[');
        json_array_foreach(v, i, e) {
            if (i)
                sbuf_addc(b, ' ');
            tmpl_print(b, e, false);
        }
        return sbuf_addc(b, ']');
    }
    case JSON_OBJECT: {
        size_t n;
        _cleanup_free_ const char **keys = tmpl_sorted_keys(v, &n);
        if (!keys)
            return -1;
        sbuf_add(b, "map[");
        for (size_t i = 0; i < n; i++) {
            if (i)
                sbuf_addc(b, ' ');
            sbuf_addf(b, "%s:", keys[i]);
            tmpl_print(b, json_object_get(v, keys[i]), false);
        }
        return sbuf_addc(b, ']');
    }
    default:
        return 0;
    }
}

/* ---- printf ---- */

static void go_quote(struct sbuf *b, const char *s, size_t n)
{
    sbuf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char) s[i];
        switch (c) {
        case '"': sbuf_add(b, "\\\""); break;
        case '\\': sbuf_add(b, "\\\\"); break;
        case '\a': sbuf_add(b, "\\a"); break;
        case '\b': sbuf_add(b, "\\b"); break;
        case '\f': sbuf_add(b, "\\f"); break;
        case '\n': sbuf_add(b, "\\n"); break;
        case '\r': sbuf_add(b, "\\r"); break;
        case '\t': sbuf_add(b, "\\t"); break;
        case '\v': sbuf_add(b, "\\v"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                sbuf_addf(b, "\\x%02x", c);
            else
                sbuf_addc(b, (char) c);
        }
    }
    sbuf_addc(b, '"');
}

static size_t utf8_len(const char *s, size_t n)
{
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char) s[i] & 0xc0) != 0x80)
            r++;
    return r;
}

struct spec {
    bool minus, plus, sharp, space, zero;
    int width, prec;
};

static void pad_add(struct sbuf *b, const struct spec *sp, const char *s, size_t n)
{
    size_t w = utf8_len(s, n);
    size_t pad = sp->width > 0 && (size_t) sp->width > w ? (size_t) sp->width - w : 0;

    if (!sp->minus)
        for (size_t i = 0; i < pad; i++)
            sbuf_addc(b, ' ');
    sbuf_addn(b, s, n);
    if (sp->minus)
        for (size_t i = 0; i < pad; i++)
            sbuf_addc(b, ' ');
}

static void bad_verb(struct sbuf *b, char verb, json_t *v)
{
    sbuf_addf(b, "%%!%c(", verb);
    if (!v || json_is_null(v)) {
        sbuf_add(b, "<nil>)");
        return;
    }
    sbuf_addf(b, "%s=", tmpl_type_name(v));
    tmpl_print(b, v, false);
    sbuf_addc(b, ')');
}

/* A C format for one number with the spec's flags. */
static void cfmt(char *out, size_t sz, const struct spec *sp, const char *len, char conv)
{
    int n = snprintf(out, sz, "%%%s%s%s%s%s", sp->minus ? "-" : "", sp->plus ? "+" : "",
                     sp->sharp ? "#" : "", sp->space ? " " : "", sp->zero ? "0" : "");
    if (sp->width >= 0)
        n += snprintf(out + n, sz - (size_t) n, "%d", sp->width);
    if (sp->prec >= 0)
        n += snprintf(out + n, sz - (size_t) n, ".%d", sp->prec);
    snprintf(out + n, sz - (size_t) n, "%s%c", len, conv);
}

static void fmt_one(struct sbuf *b, char verb, const struct spec *sp, json_t *v)
{
    _cleanup_sbuf_ struct sbuf t = SBUF_INIT;
    char f[48];

    if (json_is_array(v) && strchr("sdqxXvfegt", verb)) {
        size_t i;
        json_t *e;
        struct spec inner = *sp;
        inner.width = -1;
        sbuf_addc(&t, '[');
        json_array_foreach(v, i, e) {
            if (i)
                sbuf_addc(&t, ' ');
            fmt_one(&t, verb, &inner, e);
        }
        sbuf_addc(&t, ']');
        pad_add(b, sp, sbuf_str(&t), t.len);
        return;
    }
    switch (verb) {
    case 'v':
        if (json_is_integer(v)) {
            cfmt(f, sizeof(f), sp, "ll", 'd');
            sbuf_addf(b, f, (long long) json_integer_value(v));
            return;
        }
        tmpl_print(&t, v, false);
        pad_add(b, sp, sbuf_str(&t), t.len);
        return;
    case 's':
        if (json_is_string(v)) {
            const char *s = json_string_value(v);
            size_t n = json_string_length(v);
            if (sp->prec >= 0) {
                size_t i = 0;
                int runes = 0;
                while (i < n && runes < sp->prec) {
                    i++;
                    while (i < n && ((unsigned char) s[i] & 0xc0) == 0x80)
                        i++;
                    runes++;
                }
                n = i;
            }
            pad_add(b, sp, s, n);
            return;
        }
        if (json_is_object(v)) {
            tmpl_print(&t, v, false);
            pad_add(b, sp, sbuf_str(&t), t.len);
            return;
        }
        break;
    case 'q':
        if (json_is_string(v)) {
            go_quote(&t, json_string_value(v), json_string_length(v));
            pad_add(b, sp, sbuf_str(&t), t.len);
            return;
        }
        if (json_is_integer(v)) {
            char c = (char) json_integer_value(v);
            sbuf_addf(&t, "'%c'", c);
            pad_add(b, sp, sbuf_str(&t), t.len);
            return;
        }
        break;
    case 'd': case 'o': case 'b': case 'c': case 'U':
        if (!json_is_integer(v))
            break;
        if (verb == 'd' || verb == 'o') {
            cfmt(f, sizeof(f), sp, "ll", verb);
            sbuf_addf(b, f, (long long) json_integer_value(v));
        } else if (verb == 'c') {
            char c[2] = { (char) json_integer_value(v), 0 };
            pad_add(b, sp, c, 1);
        } else if (verb == 'U') {
            sbuf_addf(&t, "U+%04llX", (long long) json_integer_value(v));
            pad_add(b, sp, sbuf_str(&t), t.len);
        } else {
            unsigned long long u = (unsigned long long) json_integer_value(v);
            char bits[80];
            int i = (int) sizeof(bits) - 1;
            bits[i] = '\0';
            do {
                bits[--i] = (char) ('0' + (u & 1));
                u >>= 1;
            } while (u);
            pad_add(b, sp, bits + i, strlen(bits + i));
        }
        return;
    case 'x': case 'X':
        if (json_is_integer(v)) {
            long long n = json_integer_value(v);
            cfmt(f, sizeof(f), sp, "ll", verb);
            if (n < 0) {
                struct spec s2 = *sp;
                s2.width = -1;
                cfmt(f, sizeof(f), &s2, "ll", verb);
                sbuf_add(&t, "-");
                sbuf_addf(&t, f, 0ULL - (unsigned long long) n);   /* LLONG_MIN too */
                pad_add(b, sp, sbuf_str(&t), t.len);
            } else {
                sbuf_addf(b, f, n);
            }
            return;
        }
        if (json_is_string(v)) {
            const unsigned char *s = (const unsigned char *) json_string_value(v);
            for (size_t i = 0; i < json_string_length(v); i++)
                sbuf_addf(&t, verb == 'x' ? "%02x" : "%02X", s[i]);
            pad_add(b, sp, sbuf_str(&t), t.len);
            return;
        }
        break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
        if (!json_is_real(v))
            break;
        if ((verb == 'g' || verb == 'G') && sp->prec < 0) {
            go_float(&t, json_real_value(v));
            pad_add(b, sp, sbuf_str(&t), t.len);
            return;
        }
        cfmt(f, sizeof(f), sp, "", verb);
        sbuf_addf(b, f, json_real_value(v));
        return;
    case 't':
        if (!json_is_boolean(v))
            break;
        pad_add(b, sp, json_is_true(v) ? "true" : "false", json_is_true(v) ? 4 : 5);
        return;
    }
    bad_verb(b, verb, v);
}

/* Go's fmt refuses a width or precision past a million (tooLarge): so
 * does this, which also keeps one %*d from asking for gigabytes. */
#define GO_FMT_MAX 1000000

/* Go's parsenum: the digits at *p. Past GO_FMT_MAX the number and the
 * rest of the format are given up (*p at its end), as Go does. */
static bool parse_num(const char **p, int *out)
{
    int num = 0;

    while (isdigit((unsigned char) **p)) {
        if (num > GO_FMT_MAX) {
            *p += strlen(*p);
            return false;
        }
        num = num * 10 + (*(*p)++ - '0');
    }
    *out = num;
    return true;
}

/* Go's intFromArg: a '*' takes the next argument, an int within limits. */
static bool star_arg(json_t **args, int n, int *ai, int *out)
{
    json_t *v = *ai < n ? args[(*ai)++] : NULL;
    json_int_t x;

    if (!json_is_integer(v))
        return false;
    x = json_integer_value(v);
    if (x > GO_FMT_MAX || x < -GO_FMT_MAX)
        return false;
    *out = (int) x;
    return true;
}

int tmpl_sprintf(struct sbuf *b, const char *fmt, json_t **args, int n)
{
    int ai = 0;
    const char *p = fmt;

    while (*p) {
        struct spec sp = { .width = -1, .prec = -1 };
        char verb;

        if (*p != '%') {
            sbuf_addc(b, *p++);
            continue;
        }
        p++;
        for (;; p++) {
            if (*p == '-') sp.minus = true;
            else if (*p == '+') sp.plus = true;
            else if (*p == '#') sp.sharp = true;
            else if (*p == ' ') sp.space = true;
            else if (*p == '0') sp.zero = !sp.minus;
            else break;
        }
        if (*p == '*') {
            p++;
            if (!star_arg(args, n, &ai, &sp.width)) {
                sp.width = -1;
                sbuf_add(b, "%!(BADWIDTH)");
            } else if (sp.width < 0) {      /* Go: a negative width pads on the right */
                sp.width = -sp.width;
                sp.minus = true;
                sp.zero = false;
            }
        } else if (isdigit((unsigned char) *p) && !parse_num(&p, &sp.width)) {
            sp.width = -1;
        }
        if (*p == '.') {
            p++;
            if (*p == '*') {
                p++;
                if (!star_arg(args, n, &ai, &sp.prec) || sp.prec < 0) {
                    sp.prec = -1;
                    sbuf_add(b, "%!(BADPREC)");
                }
            } else if (!parse_num(&p, &sp.prec)) {
                sp.prec = 0;
            }
        }
        if (!*p) {
            sbuf_add(b, "%!(NOVERB)");
            break;
        }
        verb = *p++;
        if (verb == '%') {
            sbuf_addc(b, '%');
            continue;
        }
        if (ai >= n) {
            sbuf_addf(b, "%%!%c(MISSING)", verb);
            continue;
        }
        fmt_one(b, verb, &sp, args[ai++]);
    }
    if (ai < n) {
        sbuf_add(b, "%!(EXTRA ");
        for (int i = ai; i < n; i++) {
            if (i > ai)
                sbuf_add(b, ", ");
            if (json_is_null(args[i])) {
                sbuf_add(b, "<nil>");
                continue;
            }
            sbuf_addf(b, "%s=", tmpl_type_name(args[i]));
            tmpl_print(b, args[i], false);
        }
        sbuf_addc(b, ')');
    }
    return b->oom ? -1 : 0;
}

/* ---- functions ---- */

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
    RET(json_stringn(sbuf_str(&b), b.len));
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
    RET(json_stringn(sbuf_str(&b), b.len));
}

static int f_print(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    return do_print(a, n, out, msg, false);
}

static int f_println(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    return do_print(a, n, out, msg, true);
}

static int f_json(json_t **a, int n, json_t **out, struct sbuf *msg)
{
    /* Go's json.Marshal without HTML escaping: compact, "<" kept */
    _cleanup_free_ char *s = json_dumps(a[0], JSON_COMPACT | JSON_ENCODE_ANY |
                                                  JSON_REAL_PRECISION(17));
    (void) n;
    if (!s)
        return fail(msg, "out of memory");
    RET(json_string(s));
}

static int map_str(json_t **a, json_t **out, struct sbuf *msg, int (*f)(int))
{
    size_t l;
    _cleanup_free_ char *s = as_str(a[0], &l);

    if (!s)
        return fail(msg, "out of memory");
    for (size_t i = 0; i < l; i++)
        if ((unsigned char) s[i] < 0x80)
            s[i] = (char) f((unsigned char) s[i]);
    RET(json_stringn(s, l));
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
    size_t l;
    _cleanup_free_ char *s = as_str(a[0], &l);
    bool sep = true;

    (void) n;
    if (!s)
        return fail(msg, "out of memory");
    for (size_t i = 0; i < l; i++) {
        unsigned char c = (unsigned char) s[i];
        if (sep && c < 0x80)
            s[i] = (char) toupper(c);
        sep = c < 0x80 && !isalnum(c) && c != '_' && c != '\'';
    }
    RET(json_stringn(s, l));
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
    RET(json_stringn(sbuf_str(&b), b.len));
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
            if (json_array_append_new(r, json_stringn(s + i, j - i)) < 0)
                return fail(msg, "out of memory");
            i = j;
        }
        RET(json_incref(r));
    }
    for (p = s; (e = memmem(p, l - (size_t) (p - s), sep, sl)); p = e + sl)
        if (json_array_append_new(r, json_stringn(p, (size_t) (e - p))) < 0)
            return fail(msg, "out of memory");
    if (json_array_append_new(r, json_stringn(p, l - (size_t) (p - s))) < 0)
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
    RET(json_stringn(s, (size_t) k < l ? (size_t) k : l));
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
    RET(json_stringn(sbuf_str(&b), b.len));
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
        RET(json_stringn(s, l));
    for (p = s; (e = memmem(p, l - (size_t) (p - s), old, ol)); p = e + ol) {
        sbuf_addn(&b, p, (size_t) (e - p));
        sbuf_addn(&b, new, nl);
    }
    sbuf_addn(&b, p, l - (size_t) (p - s));
    RET(json_stringn(sbuf_str(&b), b.len));
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
