/*
 * util/template.c: Go text/template syntax, as podman's --format: a
 * lexer and a recursive-descent parser into the tree of tmpl_int.h.
 * Evaluation lives in tmpl_exec.c, functions and printing in tmpl_func.c.
 *
 * Two things differ from Go on purpose, both as podman's CLI does: in the
 * text between actions the two-character escapes \t and \n become a tab
 * and a newline (users type them in shells), and they are applied before
 * the trim markers "{{- " and " -}}" look at the whitespace.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/tmpl_int.h"

enum ttype {
    T_EOF, T_RIGHT, T_FIELD, T_DOT, T_VAR, T_IDENT, T_LIT, T_PIPE, T_LPAREN, T_RPAREN,
    T_DECLARE, T_ASSIGN, T_COMMA,
};

struct tok {
    enum ttype t;
    int pos, end;
    bool sp;                    /* whitespace came before it */
    bool trim;                  /* T_RIGHT: " -}}" */
    char *name;                 /* T_VAR, T_IDENT */
    char **fields;              /* T_FIELD, T_VAR: the chain */
    json_t *lit;                /* T_LIT */
};

struct parser {
    const char *src;
    size_t len;
    size_t p;                   /* lexer position */
    bool trim_next;             /* the last action ended with " -}}" */
    int action_pos;             /* where the current action began */
    strv vars;                  /* declared variables in scope */
    int range_depth;
    struct berr **err;
    bool failed;
};

static void tok_free(struct tok *t)
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

static int perr(struct parser *P, int pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int perr(struct parser *P, int pos, const char *fmt, ...)
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

static int poom(struct parser *P)
{
    P->failed = true;
    return berr_oom(P->err);
}

/* ---- lexer ---- */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static bool is_ident_start(char c) { return isalpha((unsigned char) c) || c == '_'; }
static bool is_ident(char c) { return isalnum((unsigned char) c) || c == '_'; }

static int lex_chain(struct parser *P, struct tok *t)
{
    const char *s = P->src;

    while (s[P->p] == '.' && is_ident_start(s[P->p + 1])) {
        size_t b = ++P->p;
        while (is_ident(s[P->p]))
            P->p++;
        if (strv_push_take(&t->fields, str_ndup(s + b, P->p - b)) < 0)
            return poom(P);
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
static int lex_quoted(struct parser *P, char q, struct sbuf *b, int start)
{
    const char *s = P->src;

    for (;;) {
        char c = s[P->p];
        if (c == '\0' || c == '\n')
            return perr(P, start, q == '"' ? "unterminated quoted string"
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
                    return perr(P, start, "invalid syntax in quoted string");
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
            return perr(P, start, "invalid syntax in quoted string");
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
static int lex_number(struct parser *P, struct tok *t)
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
        return poom(P);
    errno = 0;
    if (real) {
        double d = strtod(sbuf_str(&digits), &end);
        if (*end || errno)
            return perr(P, (int) b, "bad number syntax: \"%.*s\"", (int) (P->p - b), s + b);
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
            return perr(P, (int) b, "bad number syntax: \"%.*s\"", (int) (P->p - b), s + b);
        t->lit = json_integer(neg ? -v : v);
    }
    return t->lit ? 0 : poom(P);
}

/* The next token inside an action (lex() frees it on failure). */
static int lex_token(struct parser *P, struct tok *t)
{
    const char *s = P->src;
    size_t b;

    memset(t, 0, sizeof(*t));
    while (is_space(s[P->p])) {
        t->sp = true;
        P->p++;
    }
    /* " -}}": a right delimiter that trims; the space is required */
    if (t->sp && s[P->p] == '-' && s[P->p + 1] == '}' && s[P->p + 2] == '}') {
        t->t = T_RIGHT;
        t->trim = true;
        t->pos = (int) P->p;
        P->p += 3;
        return 0;
    }
    b = P->p;
    t->pos = (int) b;
    char c = s[P->p];
    if (c == '\0')
        return perr(P, P->action_pos, "unclosed action");
    if (c == '}' && s[P->p + 1] == '}') {
        t->t = T_RIGHT;
        P->p += 2;
    } else if (c == '.' && is_ident_start(s[P->p + 1])) {
        t->t = T_FIELD;
        if (lex_chain(P, t) < 0)
            return -1;
    } else if (c == '.' && !isdigit((unsigned char) s[P->p + 1])) {
        t->t = T_DOT;
        P->p++;
    } else if (c == '$') {
        P->p++;
        while (is_ident(s[P->p]))
            P->p++;
        t->t = T_VAR;
        if (!(t->name = str_ndup(s + b, P->p - b)) || lex_chain(P, t) < 0)
            return poom(P);
    } else if (c == '"' || c == '\'') {
        _cleanup_sbuf_ struct sbuf v = SBUF_INIT;
        P->p++;
        if (lex_quoted(P, c, &v, (int) b) < 0)
            return -1;
        if (v.oom)
            return poom(P);
        t->t = T_LIT;
        if (c == '"') {
            t->lit = json_stringn(sbuf_str(&v), v.len);
        } else {
            if (v.len == 0)
                return perr(P, (int) b, "empty character constant");
            t->lit = json_integer((json_int_t) utf8_first(sbuf_str(&v), v.len));
        }
        if (!t->lit)
            return poom(P);
    } else if (c == '`') {
        const char *e = strchr(s + P->p + 1, '`');
        if (!e)
            return perr(P, (int) b, "unterminated raw quoted string");
        t->t = T_LIT;
        t->lit = json_stringn(s + P->p + 1, (size_t) (e - s - P->p - 1));
        P->p = (size_t) (e - s) + 1;
        if (!t->lit)
            return poom(P);
    } else if (isdigit((unsigned char) c) || (c == '.' && isdigit((unsigned char) s[P->p + 1])) ||
               ((c == '-' || c == '+') && (isdigit((unsigned char) s[P->p + 1]) ||
                                           s[P->p + 1] == '.'))) {
        t->t = T_LIT;
        if (lex_number(P, t) < 0)
            return -1;
    } else if (is_ident_start(c)) {
        while (is_ident(s[P->p]))
            P->p++;
        t->name = str_ndup(s + b, P->p - b);
        if (!t->name)
            return poom(P);
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
            return perr(P, (int) b, "unexpected . after term \"%s\"", t->name);
    } else if (c == '|') {
        t->t = T_PIPE;
        P->p++;
    } else if (c == '(') {
        t->t = T_LPAREN;
        P->p++;
    } else if (c == ')') {
        t->t = T_RPAREN;
        P->p++;
    } else if (c == ':' && s[P->p + 1] == '=') {
        t->t = T_DECLARE;
        P->p += 2;
    } else if (c == '=') {
        t->t = T_ASSIGN;
        P->p++;
    } else if (c == ',') {
        t->t = T_COMMA;
        P->p++;
    } else {
        unsigned long cp = utf8_first(s + P->p, strlen(s + P->p));
        if (c == '{')
            return perr(P, (int) b, "unexpected \"{\" in command");
        return perr(P, (int) b, "bad character U+%04lX '%.*s'", cp,
                    (int) ((unsigned char) c < 0x80 ? 1 : (unsigned char) c >= 0xf0 ? 4
                           : (unsigned char) c >= 0xe0 ? 3 : 2), s + P->p);
    }
    t->end = (int) P->p;
    return 0;
}

/* The next token; on failure *t holds nothing to free. */
static int lex(struct parser *P, struct tok *t)
{
    if (lex_token(P, t) == 0)
        return 0;
    tok_free(t);
    return -1;
}

/* Looks at the next token without consuming it. */
static int peek(struct parser *P, struct tok *t)
{
    size_t save = P->p;
    int r = lex(P, t);
    P->p = save;
    return r;
}

static int skip(struct parser *P)
{
    struct tok t;
    int r = lex(P, &t);
    tok_free(&t);
    return r;
}

static const char *tok_desc(const struct tok *t)
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

/* ---- tree ---- */

static void pipe_free(struct tpipe *p);

static void arg_free(struct targ *a)
{
    if (!a)
        return;
    free(a->name);
    strv_free(a->fields);
    json_decref(a->lit);
    pipe_free(a->pipe);
    free(a);
}

static void pipe_free(struct tpipe *p)
{
    if (!p)
        return;
    strv_free(p->decl);
    for (int i = 0; i < p->ncmds; i++) {
        for (int j = 0; j < p->cmds[i]->nargs; j++)
            arg_free(p->cmds[i]->args[j]);
        free(p->cmds[i]->args);
        free(p->cmds[i]);
    }
    free(p->cmds);
    free(p);
}

static void nodes_free(struct tnode *n)
{
    while (n) {
        struct tnode *next = n->next;
        free(n->text);
        pipe_free(n->pipe);
        nodes_free(n->list);
        nodes_free(n->elselist);
        free(n);
        n = next;
    }
}

/* ---- parser ---- */

static struct tpipe *parse_pipeline(struct parser *P, const char *context, enum ttype end,
                                    bool allow_decl, int max_decl);

static bool var_known(struct parser *P, const char *name)
{
    return strcmp(name, "$") == 0 || strv_contains(P->vars, name);
}

static void vars_pop(struct parser *P, size_t mark)
{
    size_t n = strv_len(P->vars);
    while (n > mark) {
        free(P->vars[--n]);
        P->vars[n] = NULL;
    }
}

/* One operand of a command. Consumes the token in *t (already lexed). */
static struct targ *parse_term(struct parser *P, struct tok *t)
{
    struct targ *a = calloc(1, sizeof(*a));

    if (!a) {
        poom(P);
        return NULL;
    }
    a->pos = t->pos;
    a->end = t->end;
    switch (t->t) {
    case T_DOT:
        a->kind = A_DOT;
        break;
    case T_FIELD:
        a->kind = A_FIELD;
        a->fields = STEAL_PTR(t->fields);
        break;
    case T_VAR:
        a->kind = A_VAR;
        if (!var_known(P, t->name)) {
            perr(P, t->pos, "undefined variable \"%s\"", t->name);
            goto fail;
        }
        a->name = STEAL_PTR(t->name);
        a->fields = STEAL_PTR(t->fields);
        break;
    case T_LIT:
        a->kind = A_LIT;
        a->lit = STEAL_PTR(t->lit);
        break;
    case T_IDENT:
        a->kind = A_FUNC;
        if (!tmpl_func_find(t->name)) {
            perr(P, t->pos, "function \"%s\" not defined", t->name);
            goto fail;
        }
        a->name = STEAL_PTR(t->name);
        break;
    case T_LPAREN: {
        struct tok n;
        a->kind = A_PIPE;
        a->pipe = parse_pipeline(P, "parenthesized pipeline", T_RPAREN, false, 0);
        if (!a->pipe)
            goto fail;
        a->end = (int) P->p;
        /* (pipeline).Field */
        if (peek(P, &n) == 0 && n.t == T_FIELD && !n.sp) {
            skip(P);
            a->fields = STEAL_PTR(n.fields);
            a->end = n.end;
        }
        tok_free(&n);
        break;
    }
    default:
        perr(P, t->pos, "unexpected \"%s\" in operand", tok_desc(t));
        goto fail;
    }
    tok_free(t);
    return a;
fail:
    tok_free(t);
    arg_free(a);
    return NULL;
}

static int cmd_add_arg(struct parser *P, struct tcmd *c, struct targ *a)
{
    struct targ **n = realloc(c->args, sizeof(*n) * (size_t) (c->nargs + 1));
    if (!n) {
        arg_free(a);
        return poom(P);
    }
    c->args = n;
    c->args[c->nargs++] = a;
    return 0;
}

static int pipe_add_cmd(struct parser *P, struct tpipe *p, struct tcmd *c)
{
    struct tcmd **n = realloc(p->cmds, sizeof(*n) * (size_t) (p->ncmds + 1));
    if (!n) {
        for (int j = 0; j < c->nargs; j++)
            arg_free(c->args[j]);
        free(c->args);
        free(c);
        return poom(P);
    }
    p->cmds = n;
    p->cmds[p->ncmds++] = c;
    return 0;
}

/* Declarations at the start of a pipeline: "$x :=", "$x =", "$i, $e :=". */
static int parse_decl(struct parser *P, struct tpipe *p, int max_decl)
{
    size_t save = P->p;
    struct tok v, op;
    int n = 0;

    for (;;) {
        if (lex(P, &v) < 0)
            return -1;
        if (v.t != T_VAR || v.fields) {
            tok_free(&v);
            break;
        }
        if (lex(P, &op) < 0) {
            tok_free(&v);
            return -1;
        }
        if (op.t == T_DECLARE || op.t == T_ASSIGN || (op.t == T_COMMA && max_decl > 1)) {
            if (op.t == T_ASSIGN && !var_known(P, v.name)) {
                perr(P, v.pos, "undefined variable \"%s\"", v.name);
                tok_free(&v);
                return -1;
            }
            if (strv_push_take(&p->decl, STEAL_PTR(v.name)) < 0)
                return poom(P);
            tok_free(&v);
            n++;
            if (op.t == T_COMMA) {
                if (n >= max_decl)
                    return perr(P, op.pos, "too many declarations in range");
                continue;
            }
            p->assign = op.t == T_ASSIGN;
            /* declared names come into scope after the pipeline */
            return 0;
        }
        tok_free(&v);
        tok_free(&op);
        break;
    }
    if (n > 0)
        return perr(P, (int) P->p, "missing := after variable list");
    P->p = save;
    return 0;
}

/* pipeline := [decl] command { "|" command }, up to the token "end". */
static struct tpipe *parse_pipeline(struct parser *P, const char *context, enum ttype end,
                                    bool allow_decl, int max_decl)
{
    struct tpipe *p = calloc(1, sizeof(*p));
    struct tcmd *c = NULL;
    struct tok t;

    if (!p) {
        poom(P);
        return NULL;
    }
    p->pos = (int) P->p;
    if (allow_decl && parse_decl(P, p, max_decl) < 0)
        goto fail;
    for (;;) {
        if (lex(P, &t) < 0)
            goto fail;
        if (t.t == end || t.t == T_PIPE) {
            if (!c || c->nargs == 0) {
                if (t.t == end && !c && p->ncmds == 0)
                    perr(P, t.pos, "missing value for %s", context);
                else
                    perr(P, t.pos, "missing value for command");
                tok_free(&t);
                goto fail;
            }
            if (pipe_add_cmd(P, p, c) < 0)
                goto fail_nocmd;
            c = NULL;
            if (t.t == end) {
                if (end == T_RIGHT)
                    P->trim_next = t.trim;
                tok_free(&t);
                break;
            }
            tok_free(&t);
            continue;
        }
        if (t.t == T_RIGHT || t.t == T_RPAREN) {
            perr(P, t.pos, t.t == T_RPAREN ? "unexpected right paren" : "unclosed left paren");
            tok_free(&t);
            goto fail;
        }
        if (t.t == T_LIT || t.t == T_FIELD || t.t == T_VAR || t.t == T_DOT || t.t == T_IDENT ||
            t.t == T_LPAREN) {
            struct targ *a;
            if (c && c->nargs > 0 && !t.sp && t.t != T_LPAREN) {
                perr(P, t.pos, "missing space?");
                tok_free(&t);
                goto fail;
            }
            if (!c && !(c = calloc(1, sizeof(*c)))) {
                tok_free(&t);
                poom(P);
                goto fail;
            }
            if (!c->nargs)
                c->pos = t.pos;
            if (!(a = parse_term(P, &t)) || cmd_add_arg(P, c, a) < 0)
                goto fail;
            continue;
        }
        perr(P, t.pos, "unexpected \"%s\" in %s", tok_desc(&t), context);
        tok_free(&t);
        goto fail;
    }
    /* Variables are visible from the end of the declaring pipeline. */
    for (char **d = p->decl; d && *d; d++)
        if (!p->assign && strv_push(&P->vars, *d) < 0) {
            poom(P);
            goto fail_nocmd;
        }
    /* Go: a literal cannot take the previous stage's value */
    for (int i = 1; i < p->ncmds; i++) {
        enum targ_kind k = p->cmds[i]->args[0]->kind;
        if (k == A_LIT) {
            perr(P, p->cmds[i]->pos, "non executable command in pipeline stage %d", i + 1);
            goto fail_nocmd;
        }
    }
    return p;
fail:
    if (c) {
        for (int j = 0; j < c->nargs; j++)
            arg_free(c->args[j]);
        free(c->args);
        free(c);
    }
fail_nocmd:
    pipe_free(p);
    return NULL;
}

enum term { TERM_EOF, TERM_END, TERM_ELSE };

static int parse_list(struct parser *P, struct tnode **out, enum term *term);

static struct tnode *node_new(struct parser *P, enum tnode_kind k, int pos)
{
    struct tnode *n = calloc(1, sizeof(*n));
    if (!n) {
        poom(P);
        return NULL;
    }
    n->kind = k;
    n->pos = pos;
    return n;
}

/* After the keyword of if/range/with: the pipeline, the list, the else. */
static struct tnode *parse_control(struct parser *P, enum tnode_kind k, int pos,
                                   const char *kw)
{
    struct tnode *n = node_new(P, k, pos);
    size_t mark = strv_len(P->vars);
    enum term term;

    if (!n)
        return NULL;
    if (k == N_RANGE)
        P->range_depth++;
    n->pipe = parse_pipeline(P, kw, T_RIGHT, true, k == N_RANGE ? 2 : 1);
    if (!n->pipe || parse_list(P, &n->list, &term) < 0)
        goto fail;
    if (k == N_RANGE)
        P->range_depth--;
    if (term == TERM_ELSE) {
        struct tok t;
        if (peek(P, &t) < 0)
            goto fail;
        if (t.t == T_IDENT && k != N_RANGE &&
            (!strcmp(t.name, "if") || !strcmp(t.name, "with"))) {
            /* {{else if x}} is {{else}}{{if x}}...{{end}}, sharing the end */
            enum tnode_kind k2 = !strcmp(t.name, "if") ? N_IF : N_WITH;
            int p2 = t.pos;
            tok_free(&t);
            skip(P);
            if (!(n->elselist = parse_control(P, k2, p2, k2 == N_IF ? "if" : "with")))
                goto fail;
            vars_pop(P, mark);
            return n;
        }
        tok_free(&t);
        if (lex(P, &t) < 0)
            goto fail;
        if (t.t != T_RIGHT) {
            perr(P, t.pos, "unexpected \"%s\" in else", tok_desc(&t));
            tok_free(&t);
            goto fail;
        }
        P->trim_next = t.trim;
        if (parse_list(P, &n->elselist, &term) < 0)
            goto fail;
        if (term == TERM_ELSE) {
            perr(P, (int) P->p, "expected end; found {{else}}");
            goto fail;
        }
    }
    if (term == TERM_EOF) {
        perr(P, (int) P->len, "unexpected EOF");
        goto fail;
    }
    vars_pop(P, mark);
    return n;
fail:
    nodes_free(n);
    return NULL;
}

/* Text between actions: \t and \n escapes, then the trim markers. */
static struct tnode *text_node(struct parser *P, size_t b, size_t e, bool ltrim, bool rtrim)
{
    struct sbuf s = SBUF_INIT;
    struct tnode *n;
    size_t i = b, start = 0;

    while (i < e) {
        if (P->src[i] == '\\' && i + 1 < e && (P->src[i + 1] == 't' || P->src[i + 1] == 'n')) {
            sbuf_addc(&s, P->src[i + 1] == 't' ? '\t' : '\n');
            i += 2;
        } else {
            sbuf_addc(&s, P->src[i++]);
        }
    }
    if (s.oom) {
        sbuf_free(&s);
        poom(P);
        return NULL;
    }
    if (ltrim)
        while (start < s.len && is_space(s.buf[start]))
            start++;
    if (rtrim)
        while (s.len > start && is_space(s.buf[s.len - 1]))
            s.len--;
    if (s.len == start) {
        sbuf_free(&s);
        return NULL;        /* nothing to print: no node */
    }
    n = node_new(P, N_TEXT, (int) b);
    if (!n) {
        sbuf_free(&s);
        return NULL;
    }
    n->text = str_ndup(s.buf + start, s.len - start);
    n->len = s.len - start;
    sbuf_free(&s);
    if (!n->text) {
        free(n);
        poom(P);
        return NULL;
    }
    return n;
}

/* Skips a comment action; P->p is at the slash. */
static int parse_comment(struct parser *P, int pos)
{
    const char *e = strstr(P->src + P->p + 2, "*/");
    if (!e)
        return perr(P, pos, "unclosed comment");
    P->p = (size_t) (e - P->src) + 2;
    if (!strncmp(P->src + P->p, " -}}", 4)) {
        P->trim_next = true;
        P->p += 4;
    } else if (!strncmp(P->src + P->p, "}}", 2)) {
        P->trim_next = false;
        P->p += 2;
    } else {
        return perr(P, pos, "comment ends before closing delimiter");
    }
    return 0;
}

/* One action after "{{". Sets *node (may stay NULL) or *term. */
static int parse_action(struct parser *P, int pos, struct tnode **node, enum term *term)
{
    struct tok t;

    *node = NULL;
    if (P->src[P->p] == '/' && P->src[P->p + 1] == '*')
        return parse_comment(P, pos);
    if (peek(P, &t) < 0)
        return -1;
    if (t.t == T_IDENT) {
        const char *k = t.name;
        if (!strcmp(k, "end") || !strcmp(k, "else")) {
            bool end = k[0] == 'e' && k[1] == 'n';
            tok_free(&t);
            skip(P);
            if (end) {
                if (lex(P, &t) < 0)
                    return -1;
                if (t.t != T_RIGHT) {
                    perr(P, t.pos, "unexpected \"%s\" in end", tok_desc(&t));
                    tok_free(&t);
                    return -1;
                }
                P->trim_next = t.trim;
                tok_free(&t);
            }
            *term = end ? TERM_END : TERM_ELSE;
            return 1;
        }
        if (!strcmp(k, "if") || !strcmp(k, "range") || !strcmp(k, "with")) {
            enum tnode_kind nk = k[0] == 'i' ? N_IF : k[0] == 'r' ? N_RANGE : N_WITH;
            char kw[8];
            snprintf(kw, sizeof(kw), "%s", k);
            tok_free(&t);
            skip(P);
            *node = parse_control(P, nk, pos, kw);
            return *node ? 0 : -1;
        }
        if (!strcmp(k, "break") || !strcmp(k, "continue")) {
            bool brk = k[0] == 'b';
            tok_free(&t);
            skip(P);
            if (P->range_depth == 0)
                return perr(P, pos, "{{%s}} outside {{range}}", brk ? "break" : "continue");
            if (lex(P, &t) < 0)
                return -1;
            if (t.t != T_RIGHT) {
                perr(P, t.pos, "unexpected token in {{%s}}", brk ? "break" : "continue");
                tok_free(&t);
                return -1;
            }
            P->trim_next = t.trim;
            tok_free(&t);
            *node = node_new(P, brk ? N_BREAK : N_CONTINUE, pos);
            return *node ? 0 : -1;
        }
        if (!strcmp(k, "define") || !strcmp(k, "template") || !strcmp(k, "block")) {
            perr(P, pos, "{{%s}} is not supported here", k);   /* k dies with t */
            tok_free(&t);
            return -1;
        }
    }
    tok_free(&t);
    *node = node_new(P, N_ACTION, pos);
    if (!*node)
        return -1;
    (*node)->pipe = parse_pipeline(P, "command", T_RIGHT, true, 1);
    if (!(*node)->pipe) {
        nodes_free(STEAL_PTR(*node));
        return -1;
    }
    return 0;
}

/* Text and actions up to EOF, {{end}} or {{else}}. */
static int parse_list(struct parser *P, struct tnode **out, enum term *term)
{
    struct tnode **tail = out;

    *out = NULL;
    for (;;) {
        const char *l = strstr(P->src + P->p, "{{");
        size_t b = P->p, e = l ? (size_t) (l - P->src) : P->len;
        bool ltrim = P->trim_next;
        bool rtrim = l && l[2] == '-' && is_space(l[3]);
        struct tnode *n = NULL;
        int r;

        P->trim_next = false;
        if (e > b || ltrim) {
            n = text_node(P, b, e, ltrim, rtrim);
            if (P->failed)
                return -1;
            if (n) {
                *tail = n;
                tail = &n->next;
            }
        }
        if (!l) {
            P->p = P->len;
            *term = TERM_EOF;
            return 0;
        }
        P->p = e + 2 + (rtrim ? 2 : 0);
        P->action_pos = (int) e;
        r = parse_action(P, (int) e, &n, term);
        if (r < 0)
            return -1;
        if (r > 0)
            return 0;
        if (n) {
            *tail = n;
            tail = &n->next;
        }
    }
}

int tmpl_parse(const char *src, const struct tmpl_alias *aliases, struct tmpl **out,
               struct berr **err)
{
    struct parser P = { .err = err };
    struct tmpl *t = calloc(1, sizeof(*t));
    enum term term;

    if (!t || !(t->src = str_dup(src ? src : ""))) {
        free(t);
        return berr_oom(err);
    }
    t->aliases = aliases;
    P.src = t->src;
    P.len = strlen(t->src);
    if (parse_list(&P, &t->root, &term) == 0 && term != TERM_EOF)
        perr(&P, (int) P.p - 1, "unexpected {{%s}}", term == TERM_END ? "end" : "else");
    strv_free(P.vars);
    if (P.failed) {
        tmpl_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

void tmpl_free(struct tmpl *t)
{
    if (!t)
        return;
    nodes_free(t->root);
    free(t->src);
    free(t);
}

/* ---- fields, for table headers ---- */

static int fields_pipe(const struct tpipe *p, strv *out);

static int fields_arg(const struct targ *a, strv *out)
{
    if (a->kind == A_FIELD || (a->kind == A_VAR && !strcmp(a->name, "$") && a->fields)) {
        if (!strv_contains(*out, a->fields[0]) && strv_push(out, a->fields[0]) < 0)
            return -1;
    }
    return a->pipe ? fields_pipe(a->pipe, out) : 0;
}

static int fields_pipe(const struct tpipe *p, strv *out)
{
    for (int i = 0; p && i < p->ncmds; i++)
        for (int j = 0; j < p->cmds[i]->nargs; j++)
            if (fields_arg(p->cmds[i]->args[j], out) < 0)
                return -1;
    return 0;
}

static int fields_nodes(const struct tnode *n, strv *out)
{
    for (; n; n = n->next) {
        if (fields_pipe(n->pipe, out) < 0)
            return -1;
        /* inside range and with, dot is something else: skip their bodies */
        if (n->kind == N_RANGE || n->kind == N_WITH)
            continue;
        if (fields_nodes(n->list, out) < 0 || fields_nodes(n->elselist, out) < 0)
            return -1;
    }
    return 0;
}

char **tmpl_fields(const struct tmpl *t)
{
    strv out = calloc(1, sizeof(char *));

    if (!out || fields_nodes(t->root, &out) < 0) {
        strv_free(out);
        return NULL;
    }
    return out;
}
