/*
 * util/tmpl_lex.c: the lexer of the template engine: the tokens inside
 * an action ("{{" ... "}}"), Go's literal syntax (interpreted, raw and
 * character strings, numbers in every base), and the parse errors with
 * Go's wording and line numbers. The parser (template.c) drives it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/tmpl_int.h"

void tmpl_tok_free(struct ttok *t)
{
    free(t->name);
    strv_free(t->fields);
    json_decref(t->lit);
    memset(t, 0, sizeof(*t));
}

void tmpl_pos(const char *src, int pos, int *line, int *col)
{
    int l = 1, c = 0;

    for (int i = 0; i < pos && src[i]; i++) {
        if (src[i] == '\n') {
            l++;
            c = 0;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

int tmpl_perr(struct tparser *P, int pos, const char *fmt, ...)
{
    va_list ap;
    char *m;
    int line, col;

    if (P->failed)
        return -1;
    P->failed = true;
    va_start(ap, fmt);
    m = str_vfmt(fmt, ap);
    va_end(ap);
    if (!m)
        return berr_oom(P->err);
    tmpl_pos(P->src, pos, &line, &col);
    berr_new(P->err, BERR_ENGINE, 0, "template: %s:%d: %s", TMPL_NAME, line, m);
    free(m);
    return -1;
}

int tmpl_poom(struct tparser *P)
{
    P->failed = true;
    return berr_oom(P->err);
}

/* ---- tokens ---- */

static bool is_ident_start(char c) { return isalpha((unsigned char) c) || c == '_'; }
static bool is_ident(char c) { return isalnum((unsigned char) c) || c == '_'; }

static int lex_chain(struct tparser *P, struct ttok *t)
{
    const char *s = P->src;

    while (s[P->p] == '.' && is_ident_start(s[P->p + 1])) {
        size_t b = ++P->p;
        while (is_ident(s[P->p]))
            P->p++;
        if (strv_push_take(&t->fields, str_ndup(s + b, P->p - b)) < 0)
            return tmpl_poom(P);
    }
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char) tolower((unsigned char) c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void put_utf8(struct sbuf *b, unsigned long cp)
{
    if (cp < 0x80) {
        sbuf_addc(b, (char) cp);
    } else if (cp < 0x800) {
        sbuf_addc(b, (char) (0xc0 | (cp >> 6)));
        sbuf_addc(b, (char) (0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        sbuf_addc(b, (char) (0xe0 | (cp >> 12)));
        sbuf_addc(b, (char) (0x80 | ((cp >> 6) & 0x3f)));
        sbuf_addc(b, (char) (0x80 | (cp & 0x3f)));
    } else {
        sbuf_addc(b, (char) (0xf0 | (cp >> 18)));
        sbuf_addc(b, (char) (0x80 | ((cp >> 12) & 0x3f)));
        sbuf_addc(b, (char) (0x80 | ((cp >> 6) & 0x3f)));
        sbuf_addc(b, (char) (0x80 | (cp & 0x3f)));
    }
}

/* A Go interpreted string or char literal body, starting after the quote;
 * returns the decoded bytes, P->p after the closing quote. */
static int lex_quoted(struct tparser *P, char q, struct sbuf *b, int start)
{
    const char *s = P->src;

    for (;;) {
        char c = s[P->p];
        if (c == '\0' || c == '\n')
            return tmpl_perr(P, start, q == '"' ? "unterminated quoted string"
                                           : "unterminated character constant");
        P->p++;
        if (c == q)
            return 0;
        if (c != '\\') {
            sbuf_addc(b, c);
            continue;
        }
        c = s[P->p++];
        switch (c) {
        case 'a': sbuf_addc(b, '\a'); break;
        case 'b': sbuf_addc(b, '\b'); break;
        case 'f': sbuf_addc(b, '\f'); break;
        case 'n': sbuf_addc(b, '\n'); break;
        case 'r': sbuf_addc(b, '\r'); break;
        case 't': sbuf_addc(b, '\t'); break;
        case 'v': sbuf_addc(b, '\v'); break;
        case '\\': sbuf_addc(b, '\\'); break;
        case '\'': case '"': sbuf_addc(b, c); break;
        case 'x': case 'u': case 'U': {
            int n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            unsigned long v = 0;
            for (int i = 0; i < n; i++) {
                int h = hexval(s[P->p]);
                if (h < 0)
                    return tmpl_perr(P, start, "invalid syntax in quoted string");
                v = v * 16 + (unsigned long) h;
                P->p++;
            }
            if (c == 'x')
                sbuf_addc(b, (char) v);
            else
                put_utf8(b, v);
            break;
        }
        default:
            if (c >= '0' && c <= '7' && s[P->p] >= '0' && s[P->p] <= '7' &&
                s[P->p + 1] >= '0' && s[P->p + 1] <= '7') {
                sbuf_addc(b, (char) ((c - '0') * 64 + (s[P->p] - '0') * 8 + (s[P->p + 1] - '0')));
                P->p += 2;
                break;
            }
            return tmpl_perr(P, start, "invalid syntax in quoted string");
        }
    }
}

static unsigned long utf8_first(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *) s;
    if (n == 0)
        return 0;
    if (u[0] < 0x80 || n < 2)
        return u[0];
    if ((u[0] & 0xe0) == 0xc0)
        return ((u[0] & 0x1fUL) << 6) | (u[1] & 0x3f);
    if ((u[0] & 0xf0) == 0xe0 && n >= 3)
        return ((u[0] & 0x0fUL) << 12) | ((u[1] & 0x3fUL) << 6) | (u[2] & 0x3f);
    if (n >= 4)
        return ((u[0] & 0x07UL) << 18) | ((u[1] & 0x3fUL) << 12) | ((u[2] & 0x3fUL) << 6) |
               (u[3] & 0x3f);
    return u[0];
}

/* Go number syntax: decimal, 0x/0o/0b, underscores, floats. */
static int lex_number(struct tparser *P, struct ttok *t)
{
    const char *s = P->src;
    size_t b = P->p;
    _cleanup_sbuf_ struct sbuf digits = SBUF_INIT;
    bool real = false, hex = false;
    char *end;

    if (s[P->p] == '+' || s[P->p] == '-')
        sbuf_addc(&digits, s[P->p++]);
    if (s[P->p] == '0' && s[P->p + 1] && strchr("xX", s[P->p + 1]))
        hex = true;
    while (isalnum((unsigned char) s[P->p]) || s[P->p] == '_' || s[P->p] == '.' ||
           ((s[P->p] == '+' || s[P->p] == '-') && !hex && strchr("eE", s[P->p - 1]))) {
        if (!hex && (s[P->p] == '.' || s[P->p] == 'e' || s[P->p] == 'E'))
            real = true;
        if (s[P->p] != '_')
            sbuf_addc(&digits, s[P->p]);
        P->p++;
    }
    if (digits.oom)
        return tmpl_poom(P);
    errno = 0;
    if (real) {
        double d = strtod(sbuf_str(&digits), &end);
        if (*end || errno)
            return tmpl_perr(P, (int) b, "bad number syntax: \"%.*s\"", (int) (P->p - b), s + b);
        t->lit = json_real(d);
    } else {
        const char *d = sbuf_str(&digits);
        int base = 10;
        bool neg = *d == '-';
        if (*d == '-' || *d == '+')
            d++;
        if (d[0] == '0' && d[1] && strchr("xXoObB", d[1])) {
            base = strchr("xX", d[1]) ? 16 : strchr("oO", d[1]) ? 8 : 2;
            d += 2;
        } else if (d[0] == '0' && d[1]) {
            base = 8;
        }
        long long v = strtoll(d, &end, base);
        if (*end || errno || !*d)
            return tmpl_perr(P, (int) b, "bad number syntax: \"%.*s\"", (int) (P->p - b), s + b);
        t->lit = json_integer(neg ? -v : v);
    }
    return t->lit ? 0 : tmpl_poom(P);
}

/* Punctuation; "}}" and ":=" are the only two-character ones. */
static const struct { const char *s; enum ttype t; } punct[] = {
    { "}}", T_RIGHT }, { ":=", T_DECLARE }, { "|", T_PIPE }, { "(", T_LPAREN },
    { ")", T_RPAREN }, { "=", T_ASSIGN }, { ",", T_COMMA },
};

static bool lex_punct(struct tparser *P, struct ttok *t)
{
    for (size_t i = 0; i < ARRAY_SIZE(punct); i++) {
        size_t n = strlen(punct[i].s);
        if (!strncmp(P->src + P->p, punct[i].s, n)) {
            t->t = punct[i].t;
            P->p += n;
            return true;
        }
    }
    return false;
}

/* $name (just "$" too), then an optional field chain. */
static int lex_var(struct tparser *P, struct ttok *t)
{
    size_t b = P->p++;

    while (is_ident(P->src[P->p]))
        P->p++;
    t->t = T_VAR;
    if (!(t->name = str_ndup(P->src + b, P->p - b)))
        return tmpl_poom(P);
    return lex_chain(P, t);
}

/* "interpreted", 'c'haracter (a number, as in Go) or `raw`. */
static int lex_string(struct tparser *P, struct ttok *t)
{
    _cleanup_sbuf_ struct sbuf v = SBUF_INIT;
    const char *s = P->src;
    size_t b = P->p;
    char q = s[P->p++];

    t->t = T_LIT;
    if (q == '`') {
        const char *e = strchr(s + P->p, '`');
        if (!e)
            return tmpl_perr(P, (int) b, "unterminated raw quoted string");
        t->lit = json_stringn_nocheck(s + P->p, (size_t) (e - s) - P->p);
        P->p = (size_t) (e - s) + 1;
        return t->lit ? 0 : tmpl_poom(P);
    }
    if (lex_quoted(P, q, &v, (int) b) < 0)
        return -1;
    if (v.oom)
        return tmpl_poom(P);
    if (q == '"')
        t->lit = json_stringn_nocheck(sbuf_str(&v), v.len);
    else if (v.len == 0)
        return tmpl_perr(P, (int) b, "empty character constant");
    else
        t->lit = json_integer((json_int_t) utf8_first(sbuf_str(&v), v.len));
    return t->lit ? 0 : tmpl_poom(P);
}

/* A function name, or true, false, nil. */
static int lex_ident(struct tparser *P, struct ttok *t)
{
    const char *s = P->src;
    size_t b = P->p;

    while (is_ident(s[P->p]))
        P->p++;
    if (!(t->name = str_ndup(s + b, P->p - b)))
        return tmpl_poom(P);
    t->t = T_IDENT;
    if (!strcmp(t->name, "true") || !strcmp(t->name, "false")) {
        t->t = T_LIT;
        t->lit = json_boolean(t->name[0] == 't');
    } else if (!strcmp(t->name, "nil")) {
        t->t = T_LIT;
        t->lit = json_null();
    }
    /* a field chain after an identifier is not Go syntax; refuse it */
    if (s[P->p] == '.' && is_ident_start(s[P->p + 1]))
        return tmpl_perr(P, (int) b, "unexpected . after term \"%s\"", t->name);
    return 0;
}

static bool number_start(const char *s)
{
    return isdigit((unsigned char) s[0]) || (s[0] == '.' && isdigit((unsigned char) s[1])) ||
           ((s[0] == '-' || s[0] == '+') && (isdigit((unsigned char) s[1]) || s[1] == '.'));
}

static int lex_bad(struct tparser *P)
{
    const char *s = P->src + P->p;
    unsigned char c = (unsigned char) *s;

    if (c == '{')
        return tmpl_perr(P, (int) P->p, "unexpected \"{\" in command");
    return tmpl_perr(P, (int) P->p, "bad character U+%04lX '%.*s'", utf8_first(s, strlen(s)),
                     c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2, s);
}

/* The next token inside an action (tmpl_lex() frees it on failure). */
static int lex_token(struct tparser *P, struct ttok *t)
{
    const char *s = P->src;
    int r = 0;
    char c;

    memset(t, 0, sizeof(*t));
    while (tmpl_is_space(s[P->p])) {
        t->sp = true;
        P->p++;
    }
    t->pos = (int) P->p;
    /* " -}}": a right delimiter that trims; the space is required */
    if (t->sp && !strncmp(s + P->p, "-}}", 3)) {
        t->t = T_RIGHT;
        t->trim = true;
        P->p += 3;
        return 0;
    }
    c = s[P->p];
    if (c == '\0')
        return tmpl_perr(P, P->action_pos, "unclosed action");
    if (lex_punct(P, t)) {
        ;
    } else if (c == '.' && is_ident_start(s[P->p + 1])) {
        t->t = T_FIELD;
        r = lex_chain(P, t);
    } else if (c == '.' && !isdigit((unsigned char) s[P->p + 1])) {
        t->t = T_DOT;
        P->p++;
    } else if (c == '$') {
        r = lex_var(P, t);
    } else if (c == '"' || c == '\'' || c == '`') {
        r = lex_string(P, t);
    } else if (number_start(s + P->p)) {
        t->t = T_LIT;
        r = lex_number(P, t);
    } else if (is_ident_start(c)) {
        r = lex_ident(P, t);
    } else {
        return lex_bad(P);
    }
    t->end = (int) P->p;
    return r;
}

int tmpl_lex(struct tparser *P, struct ttok *t)
{
    if (lex_token(P, t) == 0)
        return 0;
    tmpl_tok_free(t);
    return -1;
}

int tmpl_peek(struct tparser *P, struct ttok *t)
{
    size_t save = P->p;
    int r = tmpl_lex(P, t);

    P->p = save;
    return r;
}

int tmpl_skip(struct tparser *P)
{
    struct ttok t;
    int r = tmpl_lex(P, &t);

    tmpl_tok_free(&t);
    return r;
}

const char *tmpl_tok_desc(const struct ttok *t)
{
    switch (t->t) {
    case T_RIGHT: return "}}";
    case T_PIPE: return "|";
    case T_LPAREN: return "(";
    case T_RPAREN: return ")";
    case T_DECLARE: return ":=";
    case T_ASSIGN: return "=";
    case T_COMMA: return ",";
    default: return "term";
    }
}
