/*
 * util/tmpl_print.c: template values printed as Go's fmt prints them: %v
 * of strings raw, floats in Go's shortest form, arrays as [a b], objects
 * as map[k:v] with sorted keys; and printf, a subset of Go's verbs, flags,
 * widths and precisions with Go's %!verb(type=value) complaints.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/timefmt.h"
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

/* ---- typed nils ---- */

static json_t *nils[TMPL_NIL__N];

json_t *tmpl_nil(enum tmpl_nil kind)
{
    /* made once and kept for the process: shared by every record */
    if (!nils[kind])
        nils[kind] = kind == TMPL_NIL_SLICE ? json_array() : json_object();
    return nils[kind];
}

bool tmpl_is_typed_nil(const json_t *v)
{
    for (size_t i = 0; v && i < TMPL_NIL__N; i++)
        if (v == nils[i])
            return true;
    return false;
}

/* What tmpl_fill_fields and tmpl_json_as noted about the template's data,
 * objects and values compared by address (so the list lives only while
 * they do: tmpl_fill_done):
 *   OMITTED  obj.key was added where the JSON had none: json leaves it out
 *            (podman's omitempty);
 *   JSON_AS  the value obj is written as `as` by json (a time the template
 *            reads in Go's String form, its JSON RFC 3339);
 *   STRUCT   obj is a Go struct: printed as %v prints one. */
enum note_kind { OMITTED, JSON_AS, STRUCT };

static struct note {
    enum note_kind kind;
    const json_t *obj;
    char *key;                  /* OMITTED */
    json_t *as;                 /* JSON_AS */
} *notes;
static size_t nnotes, capnotes;

static int note(enum note_kind kind, const json_t *obj, const char *key, json_t *as)
{
    if (nnotes == capnotes) {
        size_t cap = capnotes ? capnotes * 2 : 32;
        struct note *n = realloc(notes, cap * sizeof(*n));
        if (!n)
            return -1;
        notes = n;
        capnotes = cap;
    }
    notes[nnotes] = (struct note) { kind, obj, key ? str_dup(key) : NULL, as };
    if (key && !notes[nnotes].key)
        return -1;
    nnotes++;
    return 0;
}

/* The note of this kind on obj (and, for OMITTED, key), or NULL. */
static const struct note *noted(enum note_kind kind, const json_t *obj, const char *key)
{
    for (size_t i = 0; i < nnotes; i++)
        if (notes[i].kind == kind && notes[i].obj == obj &&
            (kind != OMITTED || strcmp(notes[i].key, key) == 0))
            return &notes[i];
    return NULL;
}

int tmpl_json_as(const json_t *value, json_t *as)
{
    if (!as || note(JSON_AS, value, NULL, as) < 0) {
        json_decref(as);
        return -1;
    }
    return 0;
}

void tmpl_go_time(json_t *obj, const char *key)
{
    char buf[TIME_BUF];
    const char *s = json_string_value(json_object_get(obj, key));
    json_t *go;

    if (!s)
        return;
    /* out of memory the RFC 3339 text stays: a time still, in another form */
    if (!strcmp(s, "0001-01-01T00:00:00Z"))
        go = json_string("0001-01-01 00:00:00 +0000 UTC");
    else if (time_go_string_rfc3339(s, buf, sizeof(buf)))
        go = json_string(buf);
    else
        return;
    /* json still writes the RFC 3339 text, as Go marshals a time */
    if (go && tmpl_json_as(go, json_string(s)) == 0)
        (void) json_object_set(obj, key, go);
    json_decref(go);
}

void tmpl_fill_done(void)
{
    for (size_t i = 0; i < nnotes; i++) {
        free(notes[i].key);
        json_decref(notes[i].as);
    }
    free(notes);
    notes = NULL;
    nnotes = capnotes = 0;
}

static int fill_at(json_t *o, const char *path, const struct tmpl_field *f)
{
    const char *dot = strchr(path, '.');
    size_t kl = dot ? (size_t) (dot - path) : strlen(path);
    _cleanup_free_ char *key = str_ndup(path, kl);
    json_t *v;

    if (!key)
        return -1;
    /* "*" of a list: each element (Mounts.*.Name) */
    if (json_is_array(o) && !tmpl_is_typed_nil(o) && strcmp(key, "*") == 0) {
        size_t i;
        json_array_foreach(o, i, v)
            if (dot && fill_at(v, dot + 1, f) < 0)
                return -1;
        return 0;
    }
    /* never into a shared typed nil */
    if (!json_is_object(o) || tmpl_is_typed_nil(o))
        return 0;
    if (strcmp(key, "*") == 0) {
        const char *k;
        json_object_foreach(o, k, v) {
            if (dot && fill_at(v, dot + 1, f) < 0)
                return -1;
            /* "X.*" with nothing after: each value of X itself */
            if (!dot && f->nil == TMPL_EMPTY_STRUCT && json_is_object(v) &&
                json_object_size(v) == 0 && !tmpl_is_typed_nil(v) &&
                json_object_set(o, k, tmpl_nil(TMPL_EMPTY_STRUCT)) < 0)
                return -1;
        }
        return 0;
    }
    if (dot)
        return fill_at(json_object_get(o, key), dot + 1, f);
    v = json_object_get(o, key);
    if (f->nil == TMPL_STRUCT)
        return json_is_object(v) && !tmpl_is_typed_nil(v) ? note(STRUCT, v, NULL, NULL) : 0;
    if (v && !json_is_null(v))
        return 0;
    if (!v && note(OMITTED, o, key, NULL) < 0)
        return -1;
    if (f->zero)
        return json_object_set_new(o, key, f->zero());
    v = tmpl_nil(f->nil);
    return v ? json_object_set(o, key, v) : -1;
}

int tmpl_fill_fields(json_t *o, const struct tmpl_field *fs)
{
    for (; fs && fs->path; fs++)
        if (fill_at(o, fs->path, fs) < 0)
            return -1;
    return 0;
}

json_t *tmpl_zero_str(void) { return json_string(""); }
json_t *tmpl_zero_int(void) { return json_integer(0); }

/* whether v holds a typed nil, an OMITTED field or a JSON_AS value */
static bool needs_plain(json_t *v)
{
    const char *k;
    json_t *x;
    size_t i;

    if (tmpl_is_typed_nil(v) || noted(JSON_AS, v, NULL))
        return true;
    if (json_is_object(v))
        json_object_foreach(v, k, x)
            if (noted(OMITTED, v, k) || needs_plain(x))
                return true;
    if (json_is_array(v))
        json_array_foreach(v, i, x)
            if (needs_plain(x))
                return true;
    return false;
}

json_t *tmpl_plain_json(json_t *v)
{
    const struct note *as;
    const char *k;
    json_t *x, *c;
    size_t i;

    if (!needs_plain(v))
        return json_incref(v);
    if ((as = noted(JSON_AS, v, NULL)))
        return json_incref(as->as);
    if (v == nils[TMPL_EMPTY_STRUCT])
        return json_object();
    if (tmpl_is_typed_nil(v))
        return json_null();
    c = json_is_object(v) ? json_object() : json_array();
    if (!c)
        return NULL;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x)
            if (!noted(OMITTED, v, k) && json_object_set_new(c, k, tmpl_plain_json(x)) < 0)
                return json_decref(c), NULL;
    } else {
        json_array_foreach(v, i, x)
            if (json_array_append_new(c, tmpl_plain_json(x)) < 0)
                return json_decref(c), NULL;
    }
    return c;
}

int tmpl_print(struct sbuf *b, json_t *v, bool top)
{
    if (!v || json_is_null(v))
        return sbuf_add(b, top ? "<no value>" : "<nil>");
    if (v == nils[TMPL_NIL_PTR])
        return sbuf_add(b, "<nil>");
    if (v == nils[TMPL_EMPTY_STRUCT])
        return sbuf_add(b, "{}");
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
        if (noted(STRUCT, v, NULL)) {
            /* Go's %v of a struct: its fields' values in order */
            const char *k;
            json_t *x;
            bool first = true;
            sbuf_addc(b, '{');
            json_object_foreach(v, k, x) {
                if (!first)
                    sbuf_addc(b, ' ');
                first = false;
                tmpl_print(b, x, false);
            }
            return sbuf_addc(b, '}');
        }
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

struct spec {
    bool minus, plus, sharp, space, zero;
    int width, prec;
};

static void pad_add(struct sbuf *b, const struct spec *sp, const char *s, size_t n)
{
    size_t w = str_rune_count(s, n);
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

static void fmt_one(struct sbuf *b, char verb, const struct spec *sp, json_t *v);

/* Each verb's formatter: false when the value is not one it formats
 * (the caller then writes Go's "%!v(type=value)"). */

/* Go formats each element of a slice and brackets them. */
static void fmt_array(struct sbuf *b, char verb, const struct spec *sp, json_t *v)
{
    _cleanup_sbuf_ struct sbuf t = SBUF_INIT;
    struct spec inner = *sp;
    size_t i;
    json_t *e;

    inner.width = -1;
    sbuf_addc(&t, '[');
    json_array_foreach(v, i, e) {
        if (i)
            sbuf_addc(&t, ' ');
        fmt_one(&t, verb, &inner, e);
    }
    sbuf_addc(&t, ']');
    pad_add(b, sp, sbuf_str(&t), t.len);
}

static bool fmt_v(struct sbuf *b, const struct spec *sp, json_t *v)
{
    _cleanup_sbuf_ struct sbuf t = SBUF_INIT;
    char f[48];

    if (json_is_integer(v)) {
        cfmt(f, sizeof(f), sp, "ll", 'd');
        sbuf_addf(b, f, (long long) json_integer_value(v));
        return true;
    }
    tmpl_print(&t, v, false);
    pad_add(b, sp, sbuf_str(&t), t.len);
    return true;
}

/* %s: a precision counts runes, not bytes. */
static bool fmt_s(struct sbuf *b, const struct spec *sp, json_t *v)
{
    _cleanup_sbuf_ struct sbuf t = SBUF_INIT;

    if (json_is_object(v)) {
        tmpl_print(&t, v, false);
        pad_add(b, sp, sbuf_str(&t), t.len);
        return true;
    }
    if (!json_is_string(v))
        return false;
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
    return true;
}

static bool fmt_q(struct sbuf *b, const struct spec *sp, json_t *v)
{
    _cleanup_sbuf_ struct sbuf t = SBUF_INIT;

    if (json_is_string(v))
        go_quote(&t, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v))
        sbuf_addf(&t, "'%c'", (char) json_integer_value(v));
    else
        return false;
    pad_add(b, sp, sbuf_str(&t), t.len);
    return true;
}

/* %d %o %b %c %U of an integer. */
static bool fmt_int(struct sbuf *b, char verb, const struct spec *sp, json_t *v)
{
    _cleanup_sbuf_ struct sbuf t = SBUF_INIT;
    char f[48];

    if (!json_is_integer(v))
        return false;
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
    return true;
}

/* %x %X: an integer (Go writes a sign, not two's complement) or the
 * bytes of a string. */
static bool fmt_hex(struct sbuf *b, char verb, const struct spec *sp, json_t *v)
{
    _cleanup_sbuf_ struct sbuf t = SBUF_INIT;
    char f[48];

    if (json_is_integer(v)) {
        long long n = json_integer_value(v);
        if (n >= 0) {
            cfmt(f, sizeof(f), sp, "ll", verb);
            sbuf_addf(b, f, n);
            return true;
        }
        struct spec s2 = *sp;
        s2.width = -1;
        cfmt(f, sizeof(f), &s2, "ll", verb);
        sbuf_add(&t, "-");
        sbuf_addf(&t, f, 0ULL - (unsigned long long) n);   /* LLONG_MIN too */
    } else if (json_is_string(v)) {
        const unsigned char *s = (const unsigned char *) json_string_value(v);
        for (size_t i = 0; i < json_string_length(v); i++)
            sbuf_addf(&t, verb == 'x' ? "%02x" : "%02X", s[i]);
    } else {
        return false;
    }
    pad_add(b, sp, sbuf_str(&t), t.len);
    return true;
}

/* %f %F %e %E %g %G of a float; %g without a precision is Go's shortest. */
static bool fmt_float(struct sbuf *b, char verb, const struct spec *sp, json_t *v)
{
    _cleanup_sbuf_ struct sbuf t = SBUF_INIT;
    char f[48];

    if (!json_is_real(v))
        return false;
    if ((verb == 'g' || verb == 'G') && sp->prec < 0) {
        go_float(&t, json_real_value(v));
        pad_add(b, sp, sbuf_str(&t), t.len);
        return true;
    }
    cfmt(f, sizeof(f), sp, "", verb);
    sbuf_addf(b, f, json_real_value(v));
    return true;
}

static bool fmt_t(struct sbuf *b, const struct spec *sp, json_t *v)
{
    if (!json_is_boolean(v))
        return false;
    pad_add(b, sp, json_is_true(v) ? "true" : "false", json_is_true(v) ? 4 : 5);
    return true;
}

static void fmt_one(struct sbuf *b, char verb, const struct spec *sp, json_t *v)
{
    bool done = false;

    if (json_is_array(v) && strchr("sdqxXvfegt", verb)) {
        fmt_array(b, verb, sp, v);
        return;
    }
    switch (verb) {
    case 'v': done = fmt_v(b, sp, v); break;
    case 's': done = fmt_s(b, sp, v); break;
    case 'q': done = fmt_q(b, sp, v); break;
    case 'd': case 'o': case 'b': case 'c': case 'U': done = fmt_int(b, verb, sp, v); break;
    case 'x': case 'X': done = fmt_hex(b, verb, sp, v); break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
        done = fmt_float(b, verb, sp, v);
        break;
    case 't': done = fmt_t(b, sp, v); break;
    }
    if (!done)
        bad_verb(b, verb, v);
}

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

/* The flags, width and precision after a '%', *p moved past them; a '*'
 * takes the next argument (*ai). Go's complaints go into b as they come. */
static struct spec parse_spec(const char **p, json_t **args, int n, int *ai, struct sbuf *b)
{
    struct spec sp = { .width = -1, .prec = -1 };

    for (;; (*p)++) {
        if (**p == '-') sp.minus = true;
        else if (**p == '+') sp.plus = true;
        else if (**p == '#') sp.sharp = true;
        else if (**p == ' ') sp.space = true;
        else if (**p == '0') sp.zero = !sp.minus;
        else break;
    }
    if (**p == '*') {
        (*p)++;
        if (!star_arg(args, n, ai, &sp.width)) {
            sp.width = -1;
            sbuf_add(b, "%!(BADWIDTH)");
        } else if (sp.width < 0) {      /* Go: a negative width pads on the right */
            sp.width = -sp.width;
            sp.minus = true;
            sp.zero = false;
        }
    } else if (isdigit((unsigned char) **p) && !parse_num(p, &sp.width)) {
        sp.width = -1;
    }
    if (**p != '.')
        return sp;
    (*p)++;
    if (**p == '*') {
        (*p)++;
        if (!star_arg(args, n, ai, &sp.prec) || sp.prec < 0) {
            sp.prec = -1;
            sbuf_add(b, "%!(BADPREC)");
        }
    } else if (!parse_num(p, &sp.prec)) {
        sp.prec = 0;
    }
    return sp;
}

/* Go's "%!(EXTRA type=value, ...)" for arguments no verb took. */
static void extra_args(struct sbuf *b, json_t **args, int from, int n)
{
    sbuf_add(b, "%!(EXTRA ");
    for (int i = from; i < n; i++) {
        if (i > from)
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

int tmpl_sprintf(struct sbuf *b, const char *fmt, json_t **args, int n)
{
    int ai = 0;
    const char *p = fmt;

    while (*p) {
        if (*p != '%') {
            sbuf_addc(b, *p++);
            continue;
        }
        p++;
        struct spec sp = parse_spec(&p, args, n, &ai, b);
        if (!*p) {
            sbuf_add(b, "%!(NOVERB)");
            break;
        }
        char verb = *p++;
        if (verb == '%')
            sbuf_addc(b, '%');
        else if (ai >= n)
            sbuf_addf(b, "%%!%c(MISSING)", verb);
        else
            fmt_one(b, verb, &sp, args[ai++]);
    }
    if (ai < n)
        extra_args(b, args, ai, n);
    return b->oom ? -1 : 0;
}
