/*
 * util/tmpl_int.h: the template engine's insides, shared by template.c
 * (lexer and parser), tmpl_exec.c (evaluator) and tmpl_func.c (builtin
 * functions and Go-style value printing). Not for other modules.
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

/* "template: output:LINE:COL: executing ..." positions. */
void tmpl_pos(const char *src, int pos, int *line, int *col);

/* tmpl_func.c */
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
