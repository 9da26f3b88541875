/*
 * util/toml.c: TOML 1.0 documents into jansson trees (see toml.h).
 *
 * A recursive-descent parser over the whole text. The one part TOML makes
 * subtle is who may add to which table, so every table and array we create
 * carries flags in a side map (pointer -> flags):
 *   T_IMPLICIT  created as a prefix of a [header]; one later [header] may
 *               still define it
 *   T_EXPLICIT  defined by a [header] (or an [[array]] element)
 *   T_DOTTED    created by a dotted key; only more dotted keys of the same
 *               table may add to it, and no [header] may name it
 *   T_INLINE    an inline table: sealed once its '}' is read
 *   A_TABLES    an array of tables ([[x]]); other arrays are static
 * Scalars (numbers, dates) live in toml_scalar.c, strings in toml_string.c.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/str.h"
#include "util/toml.h"
#include "util/toml_int.h"

enum { T_IMPLICIT = 1, T_EXPLICIT = 2, T_DOTTED = 4, T_INLINE = 8, A_TABLES = 16 };
enum { MAX_DEPTH = 128 };

struct key {            /* a dotted key: parts as JSON strings (they may hold NUL) */
    json_t *parts;
    size_t pos;
};

static void key_free(struct key *k) { json_decref(k->parts); }
#define _cleanup_key_ _cleanup_(key_free)

/* ---- errors and positions ---------------------------------------------- */

int toml_err(struct tp *p, size_t pos, const char *fmt, ...)
{
    unsigned line = 1, col = 1;
    _cleanup_free_ char *msg = NULL;
    va_list ap;

    if (pos > p->n)
        pos = p->n;
    for (size_t i = 0; i < pos; i++) {
        if (p->s[i] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char) p->s[i] & 0xC0) != 0x80) {
            col++;
        }
    }
    va_start(ap, fmt);
    msg = str_vfmt(fmt, ap);
    va_end(ap);
    if (!msg)
        return berr_oom(p->err);
    return berr_msg(p->err, "%s:%u:%u: %s", p->fname, line, col, msg);
}

/* A character for a message: 'x', or U+XXXX when it is not printable. */
const char *toml_chr(struct tp *p, size_t pos)
{
    unsigned char c;

    if (pos >= p->n)
        return "end of file";
    c = (unsigned char) p->s[pos];
    if (c == '\n')
        return "newline";
    if (c > 0x20 && c < 0x7f)
        snprintf(p->cbuf, sizeof(p->cbuf), "'%c'", c);
    else
        snprintf(p->cbuf, sizeof(p->cbuf), "U+%04X", c);
    return p->cbuf;
}

/* ---- flags side map ------------------------------------------------------- */

static unsigned flags_get(struct tp *p, json_t *node)
{
    char k[32];

    snprintf(k, sizeof(k), "%p", (void *) node);
    return (unsigned) json_integer_value(json_object_get(p->meta, k));
}

static int flags_set(struct tp *p, json_t *node, unsigned f)
{
    char k[32];

    snprintf(k, sizeof(k), "%p", (void *) node);
    if (json_object_set_new(p->meta, k, json_integer(f)) < 0)
        return berr_oom(p->err);
    return 0;
}


static int skip_comment(struct tp *p)
{
    if (cur(p) != '#')
        return 0;
    for (p->i++; !at_end(p) && !at_newline(p); p->i++)
        if (is_ctl((unsigned char) cur(p)))
            return toml_err(p, p->i, "control character %s is not allowed in a comment",
                            toml_chr(p, p->i));
    return 0;
}

/* Whitespace, newlines and comments, as allowed inside arrays. */
static int skip_ws_nl(struct tp *p)
{
    for (;;) {
        skip_ws(p);
        if (cur(p) == '#') {
            if (skip_comment(p) < 0)
                return -1;
        } else if (at_newline(p)) {
            eat_newline(p);
        } else {
            return 0;
        }
    }
}

static int expect_eol(struct tp *p, const char *after)
{
    skip_ws(p);
    if (skip_comment(p) < 0)
        return -1;
    if (at_end(p))
        return 0;
    if (at_newline(p)) {
        eat_newline(p);
        return 0;
    }
    if (cur(p) == '\r')
        return toml_err(p, p->i, "bare carriage return (expected a newline)");
    return toml_err(p, p->i, "expected a newline after %s, found %s", after, toml_chr(p, p->i));
}

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF); returns
 * the position of the first bad byte or n. */
static size_t utf8_check(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = s[i];
        size_t len;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return n;
}

/* ---- keys ----------------------------------------------------------------- */

static bool is_bare(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

/* bare, "basic" or 'literal' parts joined by dots (whitespace allowed
 * around the dots). */
static int parse_key(struct tp *p, struct key *k)
{
    k->pos = p->i;
    k->parts = json_array();
    if (!k->parts)
        return berr_oom(p->err);
    for (;;) {
        json_t *part = NULL;

        if (cur(p) == '"' || cur(p) == '\'') {
            if (ahead(p, 1) == cur(p) && ahead(p, 2) == cur(p))
                return toml_err(p, p->i, "a key cannot be a multi-line string");
            if (toml_line_string(p, &part) < 0)
                return -1;
        } else {
            size_t s = p->i;

            while (is_bare(cur(p)))
                p->i++;
            if (p->i == s)
                return toml_err(p, p->i, "expected a key, found %s", toml_chr(p, p->i));
            part = json_stringn(p->s + s, p->i - s);
        }
        if (json_array_append_new(k->parts, part) < 0)
            return berr_oom(p->err);
        skip_ws(p);
        if (cur(p) != '.')
            return 0;
        p->i++;
        skip_ws(p);
    }
}

/* The key as written for messages: parts joined by dots, quoted where they
 * are not bare. Borrowed from p, valid until the next call with the same
 * slot (0 or 1: one message may show two keys). */
static const char *key_text(struct tp *p, json_t *parts, size_t upto, int slot)
{
    struct sbuf b = SBUF_INIT;
    size_t i;
    json_t *v;

    json_array_foreach(parts, i, v) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        bool bare = n > 0;

        if (i > upto)
            break;
        for (size_t j = 0; j < n; j++)
            bare = bare && is_bare(s[j]);
        if (i)
            sbuf_addc(&b, '.');
        if (bare) {
            sbuf_addn(&b, s, n);
        } else {
            sbuf_addc(&b, '"');
            for (size_t j = 0; j < n; j++)
                if (s[j] == '"' || s[j] == '\\')
                    sbuf_addf(&b, "\\%c", s[j]);
                else if (is_ctl((unsigned char) s[j]))
                    sbuf_addf(&b, "\\u%04X", (unsigned char) s[j]);
                else
                    sbuf_addc(&b, s[j]);
            sbuf_addc(&b, '"');
        }
    }
    free(p->ktext[slot]);
    p->ktext[slot] = sbuf_steal(&b);
    return p->ktext[slot] ? p->ktext[slot] : "?";
}

static json_t *part_get(json_t *t, json_t *part)
{
    return json_object_getn(t, json_string_value(part), json_string_length(part));
}

static int part_set(struct tp *p, json_t *t, json_t *part, json_t *v)
{
    if (json_object_setn_new_nocheck(t, json_string_value(part), json_string_length(part),
                                     v) < 0)
        return berr_oom(p->err);
    return 0;
}

static int new_table(struct tp *p, json_t *parent, json_t *part, unsigned flags,
                     json_t **out)
{
    json_t *t = json_object();

    if (!t)
        return berr_oom(p->err);
    if (part_set(p, parent, part, t) < 0 || flags_set(p, t, flags) < 0)
        return -1;
    *out = t;
    return 0;
}

static const char *kind_of(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "table";
    case JSON_ARRAY:  return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "float";
    default: return "boolean";
    }
}

/* ---- values --------------------------------------------------------------- */

static int parse_value(struct tp *p, json_t **out);

/* Sets a dotted key to v inside table t (v is stolen). Dotted keys may
 * create tables and walk into tables made by dotted keys, nothing else. */
static int set_dotted(struct tp *p, json_t *t, struct key *k, json_t *v)
{
    size_t n = json_array_size(k->parts);

    for (size_t i = 0; i + 1 < n; i++) {
        json_t *part = json_array_get(k->parts, i), *c = part_get(t, part);
        unsigned f;

        if (!c) {
            if (new_table(p, t, part, T_DOTTED, &c) < 0)
                goto fail;
        } else {
            f = flags_get(p, c);
            if (!json_is_object(c) || !(f & T_DOTTED) || (f & T_INLINE)) {
                toml_err(p, k->pos, "cannot set key %s: %s is already defined as %s",
                         key_text(p, k->parts, n, 0), key_text(p, k->parts, i, 1),
                         !json_is_object(c) ? kind_of(c) : (f & T_INLINE) ? "an inline table"
                         : "a table elsewhere");
                goto fail;
            }
        }
        t = c;
    }
    if (part_get(t, json_array_get(k->parts, n - 1))) {
        toml_err(p, k->pos, "duplicate key %s", key_text(p, k->parts, n, 0));
        goto fail;
    }
    return part_set(p, t, json_array_get(k->parts, n - 1), v);
fail:
    json_decref(v);
    return -1;
}

static int parse_keyval(struct tp *p, json_t *t)
{
    _cleanup_key_ struct key k = { NULL, 0 };
    json_t *v = NULL;

    if (parse_key(p, &k) < 0)
        return -1;
    if (cur(p) != '=')
        return toml_err(p, p->i, "expected '=' after key %s, found %s",
                        key_text(p, k.parts, SIZE_MAX, 0), toml_chr(p, p->i));
    p->i++;
    skip_ws(p);
    if (at_end(p) || at_newline(p) || cur(p) == '#')
        return toml_err(p, p->i, "missing value for key %s", key_text(p, k.parts, SIZE_MAX, 0));
    if (parse_value(p, &v) < 0)
        return -1;
    return set_dotted(p, t, &k, v);
}

static int parse_array(struct tp *p, json_t **out)
{
    _cleanup_json_ json_t *a = json_array();

    if (!a)
        return berr_oom(p->err);
    p->i++;
    for (;;) {
        json_t *v = NULL;

        if (skip_ws_nl(p) < 0)
            return -1;
        if (cur(p) == ']')
            break;
        if (at_end(p))
            return toml_err(p, p->i, "unterminated array");
        if (cur(p) == ',')
            return toml_err(p, p->i, "expected a value in the array, found ','");
        if (parse_value(p, &v) < 0)
            return -1;
        if (json_array_append_new(a, v) < 0)
            return berr_oom(p->err);
        if (skip_ws_nl(p) < 0)
            return -1;
        if (cur(p) == ',') {
            p->i++;
            continue;
        }
        if (cur(p) == ']')
            break;
        if (at_end(p))
            return toml_err(p, p->i, "unterminated array");
        return toml_err(p, p->i, "expected ',' or ']' in an array, found %s",
                        toml_chr(p, p->i));
    }
    p->i++;
    *out = STEAL_PTR(a);
    return 0;
}

/* { k = v, ... } on one line, no trailing comma (TOML 1.0). Sealed after. */
static int parse_inline_table(struct tp *p, json_t **out)
{
    _cleanup_json_ json_t *t = json_object();

    if (!t)
        return berr_oom(p->err);
    p->i++;
    skip_ws(p);
    if (cur(p) != '}') {
        for (;;) {
            if (at_end(p) || at_newline(p))
                return toml_err(p, p->i, "unterminated inline table (newlines are not "
                                "allowed in inline tables)");
            if (parse_keyval(p, t) < 0)
                return -1;
            skip_ws(p);
            if (cur(p) == '}')
                break;
            if (cur(p) != ',') {
                if (at_end(p) || at_newline(p))
                    return toml_err(p, p->i, "unterminated inline table (newlines are not "
                                    "allowed in inline tables)");
                return toml_err(p, p->i, "expected ',' or '}' in an inline table, found %s",
                                toml_chr(p, p->i));
            }
            p->i++;
            skip_ws(p);
            if (cur(p) == '}')
                return toml_err(p, p->i, "trailing comma not allowed in an inline table");
        }
    }
    p->i++;
    if (flags_set(p, t, T_INLINE) < 0)
        return -1;
    *out = STEAL_PTR(t);
    return 0;
}

static int parse_value(struct tp *p, json_t **out)
{
    int r;

    if (++p->depth > MAX_DEPTH) {
        p->depth--;
        return toml_err(p, p->i, "values nested too deeply");
    }
    switch (cur(p)) {
    case '"':
    case '\'':
        r = toml_string(p, out);
        break;
    case '[':
        r = parse_array(p, out);
        break;
    case '{':
        r = parse_inline_table(p, out);
        break;
    default:
        r = toml_scalar(p, out);
        break;
    }
    p->depth--;
    return r;
}

/* ---- headers -------------------------------------------------------------- */

/* Walks the prefix of a [header]: creates implicit tables, enters the last
 * element of an array of tables, refuses static arrays and inline tables. */
static int header_walk(struct tp *p, struct key *k, json_t **out)
{
    json_t *t = p->root;
    size_t n = json_array_size(k->parts);

    for (size_t i = 0; i + 1 < n; i++) {
        json_t *part = json_array_get(k->parts, i), *c = part_get(t, part);

        if (!c) {
            if (new_table(p, t, part, T_IMPLICIT, &c) < 0)
                return -1;
        } else if (json_is_array(c) && (flags_get(p, c) & A_TABLES)) {
            c = json_array_get(c, json_array_size(c) - 1);
        } else if (!json_is_object(c) || (flags_get(p, c) & T_INLINE)) {
            return toml_err(p, k->pos, "cannot define table %s: %s is %s",
                            key_text(p, k->parts, n, 0), key_text(p, k->parts, i, 1),
                            json_is_object(c) ? "an inline table" : json_is_array(c) ?
                            "a static array" : "not a table");
        }
        t = c;
    }
    *out = t;
    return 0;
}

static int parse_header(struct tp *p)
{
    _cleanup_key_ struct key k = { NULL, 0 };
    bool aot = ahead(p, 1) == '[';
    json_t *parent = NULL, *last, *c, *t = NULL;
    size_t n;

    p->i += aot ? 2 : 1;
    skip_ws(p);
    if (parse_key(p, &k) < 0)
        return -1;
    if (cur(p) != ']' || (aot && ahead(p, 1) != ']'))
        return toml_err(p, p->i, "expected '%s' to end the table header, found %s",
                        aot ? "]]" : "]", toml_chr(p, p->i));
    p->i += aot ? 2 : 1;
    if (header_walk(p, &k, &parent) < 0)
        return -1;
    n = json_array_size(k.parts);
    last = json_array_get(k.parts, n - 1);
    c = part_get(parent, last);
    if (aot) {
        if (!c) {
            c = json_array();
            if (!c || part_set(p, parent, last, c) < 0 || flags_set(p, c, A_TABLES) < 0)
                return c ? -1 : berr_oom(p->err);
        } else if (!json_is_array(c) || !(flags_get(p, c) & A_TABLES)) {
            return toml_err(p, k.pos, "cannot append to %s: it is %s, not an array of tables",
                            key_text(p, k.parts, n, 0), json_is_array(c) ? "a static array"
                            : json_is_object(c) ? "a table" : "a value");
        }
        t = json_object();
        if (!t || json_array_append_new(c, t) < 0 || flags_set(p, t, T_EXPLICIT) < 0)
            return berr_oom(p->err);
    } else if (!c) {
        if (new_table(p, parent, last, T_EXPLICIT, &t) < 0)
            return -1;
    } else if (json_is_object(c) && flags_get(p, c) == T_IMPLICIT) {
        if (flags_set(p, c, T_EXPLICIT) < 0)
            return -1;
        t = c;
    } else {
        return toml_err(p, k.pos, json_is_object(c) ? "table %s is already defined"
                        : "cannot define table %s: the key is already defined as %s",
                        key_text(p, k.parts, n, 0), !json_is_array(c) ? kind_of(c) :
                        (flags_get(p, c) & A_TABLES) ? "an array of tables" : "an array");
    }
    p->cur = t;
    return expect_eol(p, "the table header");
}

/* ---- document ------------------------------------------------------------- */

static int parse_doc(struct tp *p)
{
    if (p->n >= 3 && !memcmp(p->s, "\xEF\xBB\xBF", 3))
        p->i = 3;
    for (;;) {
        skip_ws(p);
        if (at_end(p))
            return 0;
        if (cur(p) == '#') {
            if (expect_eol(p, "a comment") < 0)
                return -1;
        } else if (at_newline(p)) {
            eat_newline(p);
        } else if (cur(p) == '\r') {
            return toml_err(p, p->i, "bare carriage return (expected a newline)");
        } else if (cur(p) == '[') {
            if (parse_header(p) < 0)
                return -1;
        } else {
            if (parse_keyval(p, p->cur) < 0 || expect_eol(p, "a value") < 0)
                return -1;
        }
    }
}

int toml_parse(const char *text, size_t len, const char *fname, json_t **out,
               struct berr **err)
{
    struct tp p = { .s = text, .n = len, .fname = fname ? fname : "<toml>", .err = err };
    _cleanup_json_ json_t *root = json_object();
    _cleanup_json_ json_t *meta = json_object();
    size_t bad;
    int r;

    if (!root || !meta)
        return berr_oom(err);
    bad = utf8_check((const unsigned char *) text, len);
    if (bad < len)
        return toml_err(&p, bad, "invalid UTF-8");
    p.root = p.cur = root;
    p.meta = meta;
    r = parse_doc(&p);
    free(p.ktext[0]);
    free(p.ktext[1]);
    if (r < 0)
        return -1;
    *out = STEAL_PTR(root);
    return 0;
}
