/*
 * util/tmpl_exec.c: runs a parsed template against JSON data, with Go
 * text/template's semantics: pipelines pass their value as the last
 * argument, if/with/and/or use Go's truth, range walks arrays in order
 * and objects by sorted key, variables are scoped to their control block.
 *
 * Our data are JSON objects standing in for podman's Go structs. A
 * missing key is an error ("can't evaluate field") when the object looks
 * like a struct (every key starts with an upper-case letter), and
 * "<no value>" otherwise, as Go does for a map such as Labels.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/cleanup.h"
#include "util/timefmt.h"
#include "util/tmpl_int.h"

struct var {
    char *name;
    json_t *val;
};

struct exec {
    const struct tmpl *t;
    struct sbuf *out;
    struct var *vars;
    size_t nvars, cap;
    json_t *headers;            /* header mode: fields read as their header */
    struct berr **err;
};

enum { WALK_OK = 0, WALK_BREAK = 1, WALK_CONTINUE = 2 };

static int xerr(struct exec *E, int pos, int end, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int xerr(struct exec *E, int pos, int end, const char *fmt, ...)
{
    va_list ap;
    char *m;
    int line, col;

    va_start(ap, fmt);
    m = str_vfmt(fmt, ap);
    va_end(ap);
    if (!m)
        return berr_oom(E->err);
    tmpl_pos(E->t->src, pos, &line, &col);
    berr_new(E->err, BERR_ENGINE, 0, "template: %s:%d:%d: executing \"%s\" at <%.*s>: %s",
             TMPL_NAME, line, col, TMPL_NAME, end - pos, E->t->src + pos, m);
    free(m);
    return -1;
}

static int var_push(struct exec *E, const char *name, json_t *val)
{
    if (E->nvars == E->cap) {
        size_t n = E->cap ? E->cap * 2 : 8;
        struct var *v = realloc(E->vars, n * sizeof(*v));
        if (!v)
            return berr_oom(E->err);
        E->vars = v;
        E->cap = n;
    }
    E->vars[E->nvars].name = (char *) name;     /* borrowed from the tree */
    E->vars[E->nvars].val = json_incref(val);
    E->nvars++;
    return 0;
}

static void var_pop(struct exec *E, size_t mark)
{
    while (E->nvars > mark)
        json_decref(E->vars[--E->nvars].val);
}

static json_t *var_get(struct exec *E, const char *name)
{
    for (size_t i = E->nvars; i > 0; i--)
        if (strcmp(E->vars[i - 1].name, name) == 0)
            return E->vars[i - 1].val;
    return NULL;
}

static int var_set(struct exec *E, const char *name, json_t *val)
{
    for (size_t i = E->nvars; i > 0; i--)
        if (strcmp(E->vars[i - 1].name, name) == 0) {
            json_decref(E->vars[i - 1].val);
            E->vars[i - 1].val = json_incref(val);
            return 0;
        }
    return var_push(E, name, val);
}

static bool struct_like(json_t *o)
{
    const char *k;
    json_t *v;

    if (json_object_size(o) == 0)
        return false;
    json_object_foreach(o, k, v)
        if (!(k[0] >= 'A' && k[0] <= 'Z'))
            return false;
    return true;
}

/* Looks a field up through the alias table; borrowed or NULL. podman's
 * templates name Go struct fields (.Store.RunRoot) where its JSON, and so
 * ours, has the json tag (runRoot): an exported name that misses also
 * matches a lower-case-first key that differs only in case. */
static json_t *lookup(struct exec *E, json_t *o, const char *name)
{
    json_t *v;
    const char *k;

    for (const struct tmpl_alias *a = E->t->aliases; a && a->from; a++)
        if (strcmp(a->from, name) == 0 && (v = json_object_get(o, a->to)))
            return v;
    if ((v = json_object_get(o, name)) || !(name[0] >= 'A' && name[0] <= 'Z'))
        return v;
    json_object_foreach(o, k, v)
        if (k[0] >= 'a' && k[0] <= 'z' && strcasecmp(k, name) == 0)
            return v;
    return NULL;
}

/* A method of Go's time.Time that takes no argument, on the string a
 * template sees for a time (its String(), or RFC 3339): {{.Created.Unix}},
 * .Year, .Month, .IsZero, ... A new value, or NULL when v is no time or m
 * no such method. */
static json_t *time_method(json_t *v, const char *m)
{
    static const char *const months[] = { "January", "February", "March", "April", "May",
                                          "June", "July", "August", "September", "October",
                                          "November", "December" };
    static const char *const days[] = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
                                        "Friday", "Saturday" };
    const char *s = json_string_value(v);
    struct timespec ts;
    struct tm tm;
    int off = 0;
    time_t local;

    if (!s || time_parse_go(s, &ts, &off) < 0)
        return NULL;
    local = ts.tv_sec + off;
    if (!gmtime_r(&local, &tm))
        return NULL;
    if (!strcmp(m, "Unix"))
        return json_integer((json_int_t) ts.tv_sec);
    if (!strcmp(m, "UnixMilli"))
        return json_integer((json_int_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    if (!strcmp(m, "UnixMicro"))
        return json_integer((json_int_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
    if (!strcmp(m, "UnixNano"))
        return json_integer((json_int_t) ts.tv_sec * 1000000000 + ts.tv_nsec);
    if (!strcmp(m, "Year"))
        return json_integer(tm.tm_year + 1900);
    if (!strcmp(m, "Month"))
        return json_string(months[tm.tm_mon]);
    if (!strcmp(m, "Day"))
        return json_integer(tm.tm_mday);
    if (!strcmp(m, "YearDay"))
        return json_integer(tm.tm_yday + 1);
    if (!strcmp(m, "Weekday"))
        return json_string(days[tm.tm_wday]);
    if (!strcmp(m, "Hour"))
        return json_integer(tm.tm_hour);
    if (!strcmp(m, "Minute"))
        return json_integer(tm.tm_min);
    if (!strcmp(m, "Second"))
        return json_integer(tm.tm_sec);
    if (!strcmp(m, "Nanosecond"))
        return json_integer(ts.tv_nsec);
    if (!strcmp(m, "IsZero"))
        return json_boolean(ts.tv_sec == days_from_civil(1, 1, 1) * 86400 && !ts.tv_nsec);
    return NULL;
}

/* Walks a field chain from v (a new reference is stored in *out). */
static int walk_fields(struct exec *E, const struct targ *a, json_t *v, char **fields,
                       json_t **out)
{
    json_t *t;

    for (char **f = fields; f && *f; f++) {
        if (json_is_object(v)) {
            json_t *n = lookup(E, v, *f);
            if (!n && struct_like(v))
                return xerr(E, a->pos, a->end, "can't evaluate field %s in type %s", *f,
                            "object");
            v = n;
        } else if (json_is_string(v) && !f[1] && (t = time_method(v, *f))) {
            *out = t;           /* a time's method: the end of the chain */
            return 0;
        } else if (v && !json_is_null(v)) {
            return xerr(E, a->pos, a->end, "can't evaluate field %s in type %s", *f,
                        tmpl_type_name(v));
        } else {
            v = NULL;   /* through a null: Go's <no value> */
        }
    }
    *out = v ? json_incref(v) : json_null();
    return *out ? 0 : berr_oom(E->err);
}

static int eval_pipe(struct exec *E, const struct tpipe *p, json_t *dot, json_t **out);
static int call_func(struct exec *E, const struct tcmd *c, json_t *dot, json_t *final,
                     json_t **out);

static int eval_arg(struct exec *E, const struct targ *a, json_t *dot, json_t **out)
{
    switch (a->kind) {
    case A_DOT:
        *out = json_incref(dot);
        return 0;
    case A_FIELD:
        if (E->headers) {
            json_t *h = lookup(E, E->headers, a->fields[0]);
            *out = h ? json_incref(h) : json_string("");
            return *out ? 0 : berr_oom(E->err);
        }
        return walk_fields(E, a, dot, a->fields, out);
    case A_VAR: {
        json_t *v = var_get(E, a->name);
        if (E->headers && a->fields && strcmp(a->name, "$") == 0) {
            json_t *h = lookup(E, E->headers, a->fields[0]);
            *out = h ? json_incref(h) : json_string("");
            return *out ? 0 : berr_oom(E->err);
        }
        return walk_fields(E, a, v, a->fields, out);
    }
    case A_LIT:
        *out = a->lit ? json_incref(a->lit) : json_null();
        return 0;
    case A_PIPE: {
        _cleanup_json_ json_t *v = NULL;
        if (eval_pipe(E, a->pipe, dot, &v) < 0)
            return -1;
        return walk_fields(E, a, v, a->fields, out);
    }
    case A_FUNC: {
        /* a function name as an argument is a call without arguments */
        struct tcmd c = { .pos = a->pos, .args = (struct targ **) &a, .nargs = 1 };
        return call_func(E, &c, dot, NULL, out);
    }
    }
    return 0;
}

static int call_func(struct exec *E, const struct tcmd *c, json_t *dot, json_t *final,
                     json_t **out)
{
    const struct targ *fa = c->args[0];
    const struct tmpl_func *f = tmpl_func_find(fa->name);
    int n = c->nargs - 1 + (final ? 1 : 0);
    json_t **args;
    _cleanup_sbuf_ struct sbuf msg = SBUF_INIT;
    int r = 0, got = 0;

    if (n < f->min || (f->max >= 0 && n > f->max)) {
        if (f->max < 0)
            return xerr(E, fa->pos, fa->end, "wrong number of args for %s: want at least %d got %d",
                        f->name, f->min, n);
        return xerr(E, fa->pos, fa->end, "wrong number of args for %s: want %d got %d", f->name,
                    f->min, n);
    }
    /* and/or: evaluate left to right, stop at the deciding value */
    if (!f->fn) {
        bool is_and = f->name[0] == 'a';
        json_t *v = NULL;
        for (int i = 1; i <= n; i++) {
            json_decref(v);
            v = NULL;
            if (i < c->nargs) {
                if (eval_arg(E, c->args[i], dot, &v) < 0)
                    return -1;
            } else {
                v = json_incref(final);
            }
            if (tmpl_truth(v) != is_and)
                break;
        }
        *out = v;
        return 0;
    }
    args = calloc((size_t) n + 1, sizeof(*args));
    if (!args)
        return berr_oom(E->err);
    for (int i = 1; i < c->nargs; i++, got++)
        if ((r = eval_arg(E, c->args[i], dot, &args[got])) < 0)
            break;
    if (r == 0 && final)
        args[got++] = json_incref(final);
    if (r == 0 && f->fn(args, n, out, &msg) < 0)
        r = xerr(E, fa->pos, fa->end, "%s", sbuf_str(&msg));
    for (int i = 0; i < got; i++)
        json_decref(args[i]);
    free(args);
    return r;
}

static int eval_cmd(struct exec *E, const struct tcmd *c, json_t *dot, json_t *final,
                    json_t **out)
{
    const struct targ *a = c->args[0];

    if (a->kind == A_FUNC)
        return call_func(E, c, dot, final, out);
    if (c->nargs > 1 || final)
        return xerr(E, a->pos, a->end, "can't give argument to non-function %.*s",
                    a->end - a->pos, E->t->src + a->pos);
    return eval_arg(E, a, dot, out);
}

static int eval_pipe(struct exec *E, const struct tpipe *p, json_t *dot, json_t **out)
{
    json_t *v = NULL;

    for (int i = 0; i < p->ncmds; i++) {
        json_t *n = NULL;
        int r = eval_cmd(E, p->cmds[i], dot, v, &n);
        json_decref(v);
        if (r < 0)
            return -1;
        v = n;
    }
    *out = v;
    return 0;
}

/* A pipeline with its declarations ($x := / $x =). */
static int eval_decl_pipe(struct exec *E, const struct tpipe *p, json_t *dot, json_t **out)
{
    if (eval_pipe(E, p, dot, out) < 0)
        return -1;
    for (char **d = p->decl; d && *d; d++)
        if ((p->assign ? var_set(E, *d, *out) : var_push(E, *d, *out)) < 0)
            return -1;
    return 0;
}

static int walk(struct exec *E, const struct tnode *n, json_t *dot);

static int walk_range(struct exec *E, const struct tnode *n, json_t *dot)
{
    _cleanup_json_ json_t *v = NULL;
    char **decl = n->pipe->decl;
    size_t mark = E->nvars, count = 0;
    int r = 0;

    if (eval_pipe(E, n->pipe, dot, &v) < 0)
        return -1;
    if (json_is_array(v) || json_is_object(v) || json_is_integer(v)) {
        _cleanup_free_ const char **keys = NULL;
        size_t len = json_is_array(v) ? json_array_size(v)
                   : json_is_integer(v) ? (size_t) (json_integer_value(v) > 0 ? json_integer_value(v) : 0)
                   : json_object_size(v);
        if (json_is_object(v) && !(keys = tmpl_sorted_keys(v, &len)))
            return berr_oom(E->err);
        for (size_t i = 0; i < len; i++) {
            _cleanup_json_ json_t *key = keys ? json_string(keys[i]) : json_integer((json_int_t) i);
            json_t *elem = json_is_array(v) ? json_array_get(v, i)
                         : keys ? json_object_get(v, keys[i]) : key;
            if (!key)
                return berr_oom(E->err);
            /* one variable: the element; two: key or index, then element */
            if (decl && decl[0] &&
                (var_push(E, decl[0], decl[1] ? key : elem) < 0 ||
                 (decl[1] && var_push(E, decl[1], elem) < 0)))
                return -1;
            r = walk(E, n->list, elem);
            var_pop(E, mark);
            count++;
            if (r < 0)
                return -1;
            if (r == WALK_BREAK)
                break;
        }
    } else if (v && !json_is_null(v)) {
        _cleanup_sbuf_ struct sbuf s = SBUF_INIT;
        tmpl_print(&s, v, true);
        return xerr(E, n->pos, n->pos + 2, "range can't iterate over %s", sbuf_str(&s));
    }
    if (count == 0 && n->elselist)
        return walk(E, n->elselist, dot);
    return 0;
}

static int walk(struct exec *E, const struct tnode *n, json_t *dot)
{
    for (; n; n = n->next) {
        _cleanup_json_ json_t *v = NULL;
        size_t mark = E->nvars;
        int r;

        switch (n->kind) {
        case N_TEXT:
            if (sbuf_addn(E->out, n->text, n->len) < 0)
                return berr_oom(E->err);
            break;
        case N_ACTION:
            if (eval_decl_pipe(E, n->pipe, dot, &v) < 0)
                return -1;
            if (!n->pipe->decl && tmpl_print(E->out, v, true) < 0)
                return berr_oom(E->err);
            break;
        case N_IF:
        case N_WITH:
            if (eval_decl_pipe(E, n->pipe, dot, &v) < 0)
                return -1;
            if (tmpl_truth(v))
                r = walk(E, n->list, n->kind == N_WITH ? v : dot);
            else
                r = walk(E, n->elselist, dot);
            var_pop(E, mark);
            if (r != 0)
                return r;
            break;
        case N_RANGE:
            r = walk_range(E, n, dot);
            var_pop(E, mark);
            if (r < 0)
                return r;
            break;
        case N_BREAK:
            return WALK_BREAK;
        case N_CONTINUE:
            return WALK_CONTINUE;
        }
    }
    return WALK_OK;
}

static int run(const struct tmpl *t, json_t *data, json_t *headers, struct sbuf *out,
               struct berr **err)
{
    struct exec E = { .t = t, .out = out, .headers = headers, .err = err };
    int r;

    if (var_push(&E, "$", data) < 0)
        return -1;
    r = walk(&E, t->root, data);
    var_pop(&E, 0);
    free(E.vars);
    if (r < 0)
        return -1;
    if (out->oom)
        return berr_oom(err);
    return 0;
}

int tmpl_exec(const struct tmpl *t, json_t *data, struct sbuf *out, struct berr **err)
{
    return run(t, data, NULL, out, err);
}

int tmpl_exec_header(const struct tmpl *t, json_t *headers, struct sbuf *out,
                     struct berr **err)
{
    return run(t, headers, headers, out, err);
}
