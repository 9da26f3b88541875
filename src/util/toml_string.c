/*
 * util/toml_string.c: TOML's four string kinds: "basic" with escapes,
 * 'literal', """multi-line basic""" (a newline right after the opening is
 * trimmed, a line-ending backslash eats the following whitespace) and
 * '''multi-line literal'''. Control characters other than tab are refused;
 * CRLF inside multi-line strings becomes LF.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/str.h"
#include "util/toml_int.h"

static int utf8_put(struct sbuf *b, uint32_t cp)
{
    char u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (char) cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char) (0xC0 | cp >> 6);
        u[1] = (char) (0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char) (0xE0 | cp >> 12);
        u[1] = (char) (0x80 | (cp >> 6 & 0x3F));
        u[2] = (char) (0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char) (0xF0 | cp >> 18);
        u[1] = (char) (0x80 | (cp >> 12 & 0x3F));
        u[2] = (char) (0x80 | (cp >> 6 & 0x3F));
        u[3] = (char) (0x80 | (cp & 0x3F));
        n = 4;
    }
    return sbuf_addn(b, u, n);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* p->i is at the backslash. */
static int parse_escape(struct tp *p, struct sbuf *b)
{
    size_t at = p->i;
    char c = ahead(p, 1);
    const char *simple = strchr("btnfr\"\\", c);
    static const char repl[] = "\b\t\n\f\r\"\\";
    int ndig;
    uint32_t cp = 0;

    if (c && simple) {
        sbuf_addc(b, repl[simple - "btnfr\"\\"]);
        p->i += 2;
        return 0;
    }
    if (c != 'u' && c != 'U') {
        p->i++;
        return toml_err(p, at, "invalid escape sequence \\%s",
                        at_end(p) || at_newline(p) || is_ctl((unsigned char) c) ? ""
                        : (snprintf(p->cbuf, sizeof(p->cbuf), "%c", c), p->cbuf));
    }
    ndig = c == 'u' ? 4 : 8;
    for (int k = 0; k < ndig; k++) {
        int h = hexval(ahead(p, 2 + (size_t) k));
        if (h < 0)
            return toml_err(p, at, "invalid escape sequence: \\%c needs %d hex digits", c, ndig);
        cp = cp << 4 | (uint32_t) h;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return toml_err(p, at, "invalid escape sequence: U+%04X is not a Unicode scalar value",
                        (unsigned) cp);
    p->i += 2 + (size_t) ndig;
    return utf8_put(b, cp);
}

static int finish_str(struct tp *p, struct sbuf *b, json_t **out)
{
    if (b->oom)
        return berr_oom(p->err);
    *out = json_stringn(sbuf_str(b), b->len);
    return *out ? 0 : berr_oom(p->err);
}

/* One-line basic ("...") or literal ('...') string. */
int toml_line_string(struct tp *p, json_t **out)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    size_t start = p->i;
    char q = cur(p);

    for (p->i++;; ) {
        unsigned char c = (unsigned char) cur(p);

        if (at_end(p) || c == '\n' || (c == '\r' && ahead(p, 1) == '\n'))
            return toml_err(p, start, "unterminated string");
        if (c == (unsigned char) q) {
            p->i++;
            return finish_str(p, &b, out);
        }
        if (c == '\\' && q == '"') {
            if (parse_escape(p, &b) < 0)
                return -1;
            continue;
        }
        if (is_ctl(c))
            return toml_err(p, p->i, "control character %s is not allowed in a string",
                            toml_chr(p, p->i));
        sbuf_addc(&b, (char) c);
        p->i++;
    }
}

/* A backslash at the end of a line in a multi-line basic string eats every
 * space, tab and newline that follows. True (and consumed) if this is one. */
static bool line_ending_backslash(struct tp *p)
{
    size_t j = p->i + 1;

    while (j < p->n && (p->s[j] == ' ' || p->s[j] == '\t'))
        j++;
    if (!(j < p->n && (p->s[j] == '\n' || (p->s[j] == '\r' && j + 1 < p->n &&
                                           p->s[j + 1] == '\n'))))
        return false;
    p->i = j;
    while (!at_end(p) && (cur(p) == ' ' || cur(p) == '\t' || at_newline(p)))
        p->i += cur(p) == '\r' ? 2 : 1;
    return true;
}

/* """...""" or '''...'''. Up to two quotes may end the content right
 * before the closing delimiter ("""a""""" is `a""`). */
static int parse_ml_string(struct tp *p, json_t **out)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    size_t start = p->i;
    char q = cur(p);

    p->i += 3;
    if (at_newline(p))           /* a newline right after the opening is trimmed */
        eat_newline(p);
    for (;;) {
        unsigned char c = (unsigned char) cur(p);

        if (at_end(p))
            return toml_err(p, start, "unterminated multi-line string");
        if (c == (unsigned char) q) {
            size_t nq = 0;

            while (ahead(p, nq) == q)
                nq++;
            if (nq >= 3) {
                if (nq > 5)
                    return toml_err(p, p->i + 5, "too many quotes at the end of a "
                                    "multi-line string");
                sbuf_addn(&b, p->s + p->i, nq - 3);
                p->i += nq;
                return finish_str(p, &b, out);
            }
            sbuf_addn(&b, p->s + p->i, nq);
            p->i += nq;
            continue;
        }
        if (c == '\\' && q == '"') {
            if (line_ending_backslash(p))
                continue;
            if (parse_escape(p, &b) < 0)
                return -1;
            continue;
        }
        if (at_newline(p)) {    /* CRLF is normalised to LF */
            sbuf_addc(&b, '\n');
            eat_newline(p);
            continue;
        }
        if (is_ctl(c))
            return toml_err(p, p->i, "%s is not allowed in a string",
                            c == '\r' ? "bare carriage return" :
                            (snprintf(p->cbuf, sizeof(p->cbuf), "control character U+%04X",
                                      c), p->cbuf));
        sbuf_addc(&b, (char) c);
        p->i++;
    }
}

int toml_string(struct tp *p, json_t **out)
{
    char q = cur(p);

    if (ahead(p, 1) == q && ahead(p, 2) == q)
        return parse_ml_string(p, out);
    return toml_line_string(p, out);
}
