/*
 * util/template.c: the parser of the template engine, Go text/template
 * syntax as podman's --format has it: recursive descent over the tokens
 * of tmpl_lex.c into the tree of tmpl_int.h, and the tree's field list.
 * Evaluation lives in tmpl_exec.c, functions in tmpl_func.c, printing in
 * tmpl_print.c.
 *
 * Two things differ from Go on purpose, both as podman's CLI does: in the
 * text between actions the two-character escapes \t and \n become a tab
 * and a newline (users type them in shells), and they are applied before
 * the trim markers "{{- " and " -}}" look at the whitespace.
 */
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/tmpl_int.h"

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

static void cmd_free(struct tcmd *c)
{
    if (!c)
        return;
    for (int j = 0; j < c->nargs; j++)
        arg_free(c->args[j]);
    free(c->args);
    free(c);
}

static void pipe_free(struct tpipe *p)
{
    if (!p)
        return;
    strv_free(p->decl);
    for (int i = 0; i < p->ncmds; i++)
        cmd_free(p->cmds[i]);
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

static struct tpipe *parse_pipeline(struct tparser *P, const char *context, enum ttype end,
                                    bool allow_decl, int max_decl);

static bool var_known(struct tparser *P, const char *name)
{
    return strcmp(name, "$") == 0 || strv_contains(P->vars, name);
}

static void vars_pop(struct tparser *P, size_t mark)
{
    size_t n = strv_len(P->vars);
    while (n > mark) {
        free(P->vars[--n]);
        P->vars[n] = NULL;
    }
}

/* One operand of a command. Consumes the token in *t (already lexed). */
static struct targ *parse_term(struct tparser *P, struct ttok *t)
{
    struct targ *a = calloc(1, sizeof(*a));

    if (!a) {
        tmpl_poom(P);
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
            tmpl_perr(P, t->pos, "undefined variable \"%s\"", t->name);
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
            tmpl_perr(P, t->pos, "function \"%s\" not defined", t->name);
            goto fail;
        }
        a->name = STEAL_PTR(t->name);
        break;
    case T_LPAREN: {
        struct ttok n;
        a->kind = A_PIPE;
        a->pipe = parse_pipeline(P, "parenthesized pipeline", T_RPAREN, false, 0);
        if (!a->pipe)
            goto fail;
        a->end = (int) P->p;
        /* (pipeline).Field */
        if (tmpl_peek(P, &n) == 0 && n.t == T_FIELD && !n.sp) {
            tmpl_skip(P);
            a->fields = STEAL_PTR(n.fields);
            a->end = n.end;
        }
        tmpl_tok_free(&n);
        break;
    }
    default:
        tmpl_perr(P, t->pos, "unexpected \"%s\" in operand", tmpl_tok_desc(t));
        goto fail;
    }
    tmpl_tok_free(t);
    return a;
fail:
    tmpl_tok_free(t);
    arg_free(a);
    return NULL;
}

static int cmd_add_arg(struct tparser *P, struct tcmd *c, struct targ *a)
{
    struct targ **n = realloc(c->args, sizeof(*n) * (size_t) (c->nargs + 1));
    if (!n) {
        arg_free(a);
        return tmpl_poom(P);
    }
    c->args = n;
    c->args[c->nargs++] = a;
    return 0;
}

static int pipe_add_cmd(struct tparser *P, struct tpipe *p, struct tcmd *c)
{
    struct tcmd **n = realloc(p->cmds, sizeof(*n) * (size_t) (p->ncmds + 1));
    if (!n) {
        cmd_free(c);
        return tmpl_poom(P);
    }
    p->cmds = n;
    p->cmds[p->ncmds++] = c;
    return 0;
}

/* Declarations at the start of a pipeline: "$x :=", "$x =", "$i, $e :=". */
static int parse_decl(struct tparser *P, struct tpipe *p, int max_decl)
{
    size_t save = P->p;
    struct ttok v, op;
    int n = 0;

    for (;;) {
        if (tmpl_lex(P, &v) < 0)
            return -1;
        if (v.t != T_VAR || v.fields) {
            tmpl_tok_free(&v);
            break;
        }
        if (tmpl_lex(P, &op) < 0) {
            tmpl_tok_free(&v);
            return -1;
        }
        if (op.t == T_DECLARE || op.t == T_ASSIGN || (op.t == T_COMMA && max_decl > 1)) {
            if (op.t == T_ASSIGN && !var_known(P, v.name)) {
                tmpl_perr(P, v.pos, "undefined variable \"%s\"", v.name);
                tmpl_tok_free(&v);
                return -1;
            }
            if (strv_push_take(&p->decl, STEAL_PTR(v.name)) < 0)
                return tmpl_poom(P);
            tmpl_tok_free(&v);
            n++;
            if (op.t == T_COMMA) {
                if (n >= max_decl)
                    return tmpl_perr(P, op.pos, "too many declarations in range");
                continue;
            }
            p->assign = op.t == T_ASSIGN;
            /* declared names come into scope after the pipeline */
            return 0;
        }
        tmpl_tok_free(&v);
        tmpl_tok_free(&op);
        break;
    }
    if (n > 0)
        return tmpl_perr(P, (int) P->p, "missing := after variable list");
    P->p = save;
    return 0;
}

/* One operand token t of the command *c (made at its first operand);
 * t is consumed. */
static int add_operand(struct tparser *P, struct tcmd **c, struct ttok *t)
{
    struct targ *a;

    if (*c && (*c)->nargs > 0 && !t->sp && t->t != T_LPAREN) {
        tmpl_perr(P, t->pos, "missing space?");
        tmpl_tok_free(t);
        return -1;
    }
    if (!*c && !(*c = calloc(1, sizeof(**c)))) {
        tmpl_tok_free(t);
        return tmpl_poom(P);
    }
    if (!(*c)->nargs)
        (*c)->pos = t->pos;
    if (!(a = parse_term(P, t)))
        return -1;
    return cmd_add_arg(P, *c, a);
}

/* At "|" or the pipeline's end: the command so far joins the pipeline. */
static int end_command(struct tparser *P, struct tpipe *p, struct tcmd **c,
                       const struct ttok *t, const char *context, enum ttype end)
{
    int r;

    if (!*c || (*c)->nargs == 0) {
        if (t->t == end && !*c && p->ncmds == 0)
            return tmpl_perr(P, t->pos, "missing value for %s", context);
        return tmpl_perr(P, t->pos, "missing value for command");
    }
    r = pipe_add_cmd(P, p, *c);     /* frees the command if it fails */
    *c = NULL;
    return r;
}

/* A whole pipeline: its variables come into scope, and (Go) a literal
 * cannot take the previous stage's value. */
static int pipeline_done(struct tparser *P, struct tpipe *p)
{
    for (char **d = p->decl; d && *d; d++)
        if (!p->assign && strv_push(&P->vars, *d) < 0)
            return tmpl_poom(P);
    for (int i = 1; i < p->ncmds; i++)
        if (p->cmds[i]->args[0]->kind == A_LIT)
            return tmpl_perr(P, p->cmds[i]->pos, "non executable command in pipeline stage %d",
                             i + 1);
    return 0;
}

static bool is_operand(enum ttype t)
{
    return t == T_LIT || t == T_FIELD || t == T_VAR || t == T_DOT || t == T_IDENT ||
           t == T_LPAREN;
}

/* pipeline := [decl] command { "|" command }, up to the token "end". */
static struct tpipe *parse_pipeline(struct tparser *P, const char *context, enum ttype end,
                                    bool allow_decl, int max_decl)
{
    struct tpipe *p = calloc(1, sizeof(*p));
    struct tcmd *c = NULL;
    struct ttok t;
    int r = 0;

    if (!p) {
        tmpl_poom(P);
        return NULL;
    }
    p->pos = (int) P->p;
    if (allow_decl)
        r = parse_decl(P, p, max_decl);
    while (r == 0) {
        if (tmpl_lex(P, &t) < 0) {
            r = -1;
        } else if (t.t == end || t.t == T_PIPE) {
            r = end_command(P, p, &c, &t, context, end);
            if (r == 0 && t.t == end) {
                if (end == T_RIGHT)
                    P->trim_next = t.trim;
                tmpl_tok_free(&t);
                break;
            }
            tmpl_tok_free(&t);
        } else if (is_operand(t.t)) {
            r = add_operand(P, &c, &t);
        } else {
            if (t.t == T_RIGHT || t.t == T_RPAREN)
                tmpl_perr(P, t.pos, t.t == T_RPAREN ? "unexpected right paren"
                                                    : "unclosed left paren");
            else
                tmpl_perr(P, t.pos, "unexpected \"%s\" in %s", tmpl_tok_desc(&t), context);
            tmpl_tok_free(&t);
            r = -1;
        }
    }
    if (r == 0 && pipeline_done(P, p) == 0)
        return p;
    cmd_free(c);
    pipe_free(p);
    return NULL;
}

enum term { TERM_EOF, TERM_END, TERM_ELSE };

static int parse_list(struct tparser *P, struct tnode **out, enum term *term);

static struct tnode *node_new(struct tparser *P, enum tnode_kind k, int pos)
{
    struct tnode *n = calloc(1, sizeof(*n));
    if (!n) {
        tmpl_poom(P);
        return NULL;
    }
    n->kind = k;
    n->pos = pos;
    return n;
}

/* After the keyword of if/range/with: the pipeline, the list, the else. */
static struct tnode *parse_control(struct tparser *P, enum tnode_kind k, int pos,
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
        struct ttok t;
        if (tmpl_peek(P, &t) < 0)
            goto fail;
        if (t.t == T_IDENT && k != N_RANGE &&
            (!strcmp(t.name, "if") || !strcmp(t.name, "with"))) {
            /* {{else if x}} is {{else}}{{if x}}...{{end}}, sharing the end */
            enum tnode_kind k2 = !strcmp(t.name, "if") ? N_IF : N_WITH;
            int p2 = t.pos;
            tmpl_tok_free(&t);
            tmpl_skip(P);
            if (!(n->elselist = parse_control(P, k2, p2, k2 == N_IF ? "if" : "with")))
                goto fail;
            vars_pop(P, mark);
            return n;
        }
        tmpl_tok_free(&t);
        if (tmpl_lex(P, &t) < 0)
            goto fail;
        if (t.t != T_RIGHT) {
            tmpl_perr(P, t.pos, "unexpected \"%s\" in else", tmpl_tok_desc(&t));
            tmpl_tok_free(&t);
            goto fail;
        }
        P->trim_next = t.trim;
        if (parse_list(P, &n->elselist, &term) < 0)
            goto fail;
        if (term == TERM_ELSE) {
            tmpl_perr(P, (int) P->p, "expected end; found {{else}}");
            goto fail;
        }
    }
    if (term == TERM_EOF) {
        tmpl_perr(P, (int) P->len, "unexpected EOF");
        goto fail;
    }
    vars_pop(P, mark);
    return n;
fail:
    nodes_free(n);
    return NULL;
}

/* Text between actions: \t and \n escapes, then the trim markers. */
static struct tnode *text_node(struct tparser *P, size_t b, size_t e, bool ltrim, bool rtrim)
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
        tmpl_poom(P);
        return NULL;
    }
    if (ltrim)
        while (start < s.len && tmpl_is_space(s.buf[start]))
            start++;
    if (rtrim)
        while (s.len > start && tmpl_is_space(s.buf[s.len - 1]))
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
        tmpl_poom(P);
        return NULL;
    }
    return n;
}

/* Skips a comment action; P->p is at the slash. */
static int parse_comment(struct tparser *P, int pos)
{
    const char *e = strstr(P->src + P->p + 2, "*/");
    if (!e)
        return tmpl_perr(P, pos, "unclosed comment");
    P->p = (size_t) (e - P->src) + 2;
    if (!strncmp(P->src + P->p, " -}}", 4)) {
        P->trim_next = true;
        P->p += 4;
    } else if (!strncmp(P->src + P->p, "}}", 2)) {
        P->trim_next = false;
        P->p += 2;
    } else {
        return tmpl_perr(P, pos, "comment ends before closing delimiter");
    }
    return 0;
}

/* One action after "{{". Sets *node (may stay NULL) or *term. */
static int parse_action(struct tparser *P, int pos, struct tnode **node, enum term *term)
{
    struct ttok t;

    *node = NULL;
    if (P->src[P->p] == '/' && P->src[P->p + 1] == '*')
        return parse_comment(P, pos);
    if (tmpl_peek(P, &t) < 0)
        return -1;
    if (t.t == T_IDENT) {
        const char *k = t.name;
        if (!strcmp(k, "end") || !strcmp(k, "else")) {
            bool end = k[0] == 'e' && k[1] == 'n';
            tmpl_tok_free(&t);
            tmpl_skip(P);
            if (end) {
                if (tmpl_lex(P, &t) < 0)
                    return -1;
                if (t.t != T_RIGHT) {
                    tmpl_perr(P, t.pos, "unexpected \"%s\" in end", tmpl_tok_desc(&t));
                    tmpl_tok_free(&t);
                    return -1;
                }
                P->trim_next = t.trim;
                tmpl_tok_free(&t);
            }
            *term = end ? TERM_END : TERM_ELSE;
            return 1;
        }
        if (!strcmp(k, "if") || !strcmp(k, "range") || !strcmp(k, "with")) {
            enum tnode_kind nk = k[0] == 'i' ? N_IF : k[0] == 'r' ? N_RANGE : N_WITH;
            char kw[8];
            snprintf(kw, sizeof(kw), "%s", k);
            tmpl_tok_free(&t);
            tmpl_skip(P);
            *node = parse_control(P, nk, pos, kw);
            return *node ? 0 : -1;
        }
        if (!strcmp(k, "break") || !strcmp(k, "continue")) {
            bool brk = k[0] == 'b';
            tmpl_tok_free(&t);
            tmpl_skip(P);
            if (P->range_depth == 0)
                return tmpl_perr(P, pos, "{{%s}} outside {{range}}", brk ? "break" : "continue");
            if (tmpl_lex(P, &t) < 0)
                return -1;
            if (t.t != T_RIGHT) {
                tmpl_perr(P, t.pos, "unexpected token in {{%s}}", brk ? "break" : "continue");
                tmpl_tok_free(&t);
                return -1;
            }
            P->trim_next = t.trim;
            tmpl_tok_free(&t);
            *node = node_new(P, brk ? N_BREAK : N_CONTINUE, pos);
            return *node ? 0 : -1;
        }
        if (!strcmp(k, "define") || !strcmp(k, "template") || !strcmp(k, "block")) {
            tmpl_perr(P, pos, "{{%s}} is not supported here", k);   /* k dies with t */
            tmpl_tok_free(&t);
            return -1;
        }
    }
    tmpl_tok_free(&t);
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
static int parse_list(struct tparser *P, struct tnode **out, enum term *term)
{
    struct tnode **tail = out;

    *out = NULL;
    for (;;) {
        const char *l = strstr(P->src + P->p, "{{");
        size_t b = P->p, e = l ? (size_t) (l - P->src) : P->len;
        bool ltrim = P->trim_next;
        bool rtrim = l && l[2] == '-' && tmpl_is_space(l[3]);
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
    struct tparser P = { .err = err };
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
        tmpl_perr(&P, (int) P.p - 1, "unexpected {{%s}}", term == TERM_END ? "end" : "else");
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
