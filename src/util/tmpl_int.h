/*
 * util/tmpl_int.h: the template engine's insides, shared by tmpl_lex.c
 * (lexer), template.c (parser), tmpl_exec.c (evaluator), tmpl_func.c
 * (builtin functions) and tmpl_print.c (Go-style printing and printf).
 * Not for other modules.
 */
#ifndef BERTH_TMPL_INT_H
#define BERTH_TMPL_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "util/err.h"
#include "util/str.h"
#include "util/template.h"

#define TMPL_NAME "output"

enum targ_kind {
    A_DOT,          /* .                                  */
    A_FIELD,        /* .A.B: fields from dot              */
    A_VAR,          /* $x.A.B (fields optional); "$" too  */
    A_FUNC,         /* an identifier naming a function    */
    A_LIT,          /* string, number, bool, nil          */
    A_PIPE,         /* ( pipeline ) with optional .A.B    */
};

struct tpipe;

struct targ {
    enum targ_kind kind;
    int pos, end;               /* source span, for error messages */
    char *name;                 /* variable ("$x") or function name */
    char **fields;              /* NULL-terminated field chain, or NULL */
    json_t *lit;                /* A_LIT: the value (NULL is nil) */
    struct tpipe *pipe;         /* A_PIPE */
};

struct tcmd {
    int pos;
    struct targ **args;
    int nargs;
};

struct tpipe {
    int pos;
    char **decl;                /* declared/assigned variables, NULL-terminated */
    bool assign;                /* "=" rather than ":=" */
    struct tcmd **cmds;
    int ncmds;
};

enum tnode_kind { N_TEXT, N_ACTION, N_IF, N_RANGE, N_WITH, N_BREAK, N_CONTINUE };

struct tnode {
    enum tnode_kind kind;
    int pos;
    struct tnode *next;
    char *text;                 /* N_TEXT (escapes applied, trimmed) */
    size_t len;
    struct tpipe *pipe;         /* ACTION, IF, RANGE, WITH */
    struct tnode *list, *elselist;
};

struct tmpl {
    char *src;
    struct tnode *root;
    const struct tmpl_alias *aliases;
};

/* ---- tmpl_lex.c: tokens, for the parser (template.c) ---- */

enum ttype {
    T_EOF, T_RIGHT, T_FIELD, T_DOT, T_VAR, T_IDENT, T_LIT, T_PIPE, T_LPAREN, T_RPAREN,
    T_DECLARE, T_ASSIGN, T_COMMA,
};

struct ttok {
    enum ttype t;
    int pos, end;
    bool sp;                    /* whitespace came before it */
    bool trim;                  /* T_RIGHT: " -}}" */
    char *name;                 /* T_VAR, T_IDENT */
    char **fields;              /* T_FIELD, T_VAR: the chain */
    json_t *lit;                /* T_LIT */
};

struct tparser {
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

/* The next token of the action at P->p; on failure *t holds nothing. */
int tmpl_lex(struct tparser *P, struct ttok *t);
/* The next token, without consuming it. */
int tmpl_peek(struct tparser *P, struct ttok *t);
int tmpl_skip(struct tparser *P);
void tmpl_tok_free(struct ttok *t);
/* "}}", "|", ... or "term", for "unexpected X in Y" errors. */
const char *tmpl_tok_desc(const struct ttok *t);
/* A parse error, "template: output:LINE: what"; only the first counts. */
int tmpl_perr(struct tparser *P, int pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int tmpl_poom(struct tparser *P);
static inline bool tmpl_is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* "template: output:LINE:COL: executing ..." positions. */
void tmpl_pos(const char *src, int pos, int *line, int *col);

/* Go's fmt refuses a width or precision past a million (tooLarge): so do
 * printf and pad, which also keeps one %*d from asking for gigabytes. */
#define GO_FMT_MAX 1000000

/* tmpl_func.c, tmpl_print.c */
typedef int (*tmpl_fn)(json_t **args, int n, json_t **out, struct sbuf *msg);
struct tmpl_func {
    const char *name;
    int min, max;               /* max -1: variadic */
    tmpl_fn fn;
};
const struct tmpl_func *tmpl_func_find(const char *name);
bool tmpl_truth(json_t *v);
/* Go's fmt %v of v; top-level null prints "<no value>", nested "<nil>". */
int tmpl_print(struct sbuf *b, json_t *v, bool top);
/* Go's fmt.Sprintf subset. */
int tmpl_sprintf(struct sbuf *b, const char *fmt, json_t **args, int n);
const char *tmpl_type_name(json_t *v);
/* The keys of an object sorted, as Go sorts map keys for printing and
 * range; the array is malloc'd, the keys borrowed. */
const char **tmpl_sorted_keys(json_t *o, size_t *n);

#endif
