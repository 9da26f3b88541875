/*
 * cmd/cmd.c: what every command shares: help, option setup, errors and
 * the lazily made runtime (runtime/runtime.c's rt_open). The command
 * tree and its lookup are cmd/table.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/str.h"

static void print_indented(FILE *f, const char *text)
{
    const char *p = text;
    while (p && *p) {
        size_t l = strcspn(p, "\n");
        fprintf(f, "  %.*s\n", (int) l, p);
        p += l;
        if (*p)
            p++;
    }
}

void cmd_print_names(FILE *f, const struct cmd_sub *s)
{
    fputs(s->name, f);
    for (const char *a = s->aliases; a && *a;) {
        size_t l = strcspn(a, " ");
        if (l)
            fprintf(f, ", %.*s", (int) l, a);
        a += l + (a[l] == ' ');
    }
}

/* "berth NAME" at a word's end: followed by nothing, a blank or a quote */
static bool at_word_end(const char *p)
{
    return !*p || *p == ' ' || *p == '\n' || *p == '\t' || *p == '\'' || *p == '"';
}

char *cmd_examples(const struct cmd *c, const char *path, bool *oom)
{
    _cleanup_free_ char *home = NULL;
    struct sbuf b = SBUF_INIT;
    const char *p = c->examples, *m;

    *oom = false;
    if (!p)
        return NULL;
    /* a top-level command's examples are written as "berth NAME ..." */
    if (cmd_is_top(c) && !(home = str_fmt("berth %s", c->name))) {
        *oom = true;
        return NULL;
    }
    while (home && strcmp(home, path) != 0 && (m = strstr(p, home))) {
        size_t n = (size_t) (m - p) + strlen(home);
        if (at_word_end(p + n)) {
            sbuf_addn(&b, p, (size_t) (m - p));
            sbuf_add(&b, path);
        } else {
            sbuf_addn(&b, p, n);        /* "berth rmi" is not "berth rm" */
        }
        p += n;
    }
    sbuf_add(&b, p);
    if (b.oom) {
        sbuf_free(&b);
        *oom = true;
        return NULL;
    }
    return sbuf_steal(&b);
}

void cmd_print_help(FILE *f, const struct cmd_sub *sp, const char *path)
{
    const struct cmd *c = sp->cmd;
    _cleanup_free_ char *examples = NULL;
    bool oom;
    size_t w = 0;

    fprintf(f, "%s\n\n", c->summary ? c->summary : "");
    if (c->description) {
        fprintf(f, "Description:\n");
        print_indented(f, c->description);
        fputc('\n', f);
    }
    fprintf(f, "Usage:\n  %s %s\n", path, c->usage ? c->usage : "[options]");
    if (sp->aliases) {
        fputs("\nAliases:\n  ", f);
        cmd_print_names(f, sp);
        fputc('\n', f);
    }
    /* out of memory: the help goes without its examples */
    if ((examples = cmd_examples(c, path, &oom))) {
        fprintf(f, "\nExamples:\n");
        print_indented(f, examples);
    }
    if (c->group) {
        cmd_foreach_sub(c, s)
            if (!(s.cmd->flags & CMD_HIDDEN) && strlen(s.name) > w)
                w = strlen(s.name);
        fprintf(f, "\nAvailable Commands:\n");
        cmd_foreach_sub(c, s)
            if (!(s.cmd->flags & CMD_HIDDEN))
                fprintf(f, "  %-*s %s\n", (int) (w < 11 ? 11 : w), s.name, s.cmd->summary);
    }
    if (c->opts && c->opts->name) {
        fprintf(f, "\nOptions:\n");
        opt_print_table(f, c->opts);
    }
    if (c == &cmd_root) {
        fprintf(f, "\nOptions:\n");
        opt_print_table(f, global_opts);
        fprintf(f, "  -v, --version                 version for %s\n", path);
    }
}

static void help_cb(void *ctx)
{
    struct cmd_ctx *cx = ctx;
    struct cmd_sub s = { cx->cmd, cx->name, cx->aliases };

    cmd_print_help(stdout, &s, cx->path);
}

/* The end of a command's options: the global ones are all in. */
static int opts_done(void *ctx, struct berr **err)
{
    struct cmd_ctx *cx = ctx;

    if (cx->gopts_finished)
        return 0;
    cx->gopts_finished = true;
    return gopts_finish(cx->g, cx->prog ? cx->prog : "berth", err);
}

void cmd_opt_init(struct opt_it *it, struct cmd_ctx *cx)
{
    opt_init(it, cx->cmd->opts);
    it->gopts = global_opts;
    it->gfn = gopts_apply;
    it->gctx = cx->g;
    it->help_fn = help_cb;
    it->help_ctx = cx;
    it->done_fn = opts_done;
    it->done_ctx = cx;
    it->cmdpath = cx->path;
    it->stop_at_operand = cx->cmd->flags & CMD_STOP_AT_OPERAND;
    it->h_is_help = !(cx->cmd->flags & CMD_H_NOT_HELP);
}

int cmd_opt_done_noargs(struct cmd_ctx *cx, struct opt_it *it, int c, struct berr **err)
{
    if (c == 0 && !it->help && it->nargs > 0)
        c = berr_msg(err, "`%s` takes no arguments", cx->path);
    opt_free(it);
    return c < 0 ? -1 : it->help ? 1 : 0;
}

int cmd_begin(struct cmd_ctx *cx, struct opt_it *it, int c, int min, int max,
              struct runtime **rt, struct berr **err)
{
    if (c == 0 && !it->help) {
        if (min == max && it->nargs != min)
            c = berr_msg(err, "accepts %d arg(s), received %d", min, it->nargs);
        else if (it->nargs < min)
            c = berr_msg(err, "requires at least %d arg(s), only received %d", min, it->nargs);
        else if (max >= 0 && it->nargs > max)
            c = berr_msg(err, "accepts at most %d arg(s), received %d", max, it->nargs);
    }
    if (c == 0 && !it->help && cx_runtime(cx, RT_FULL, rt, err) < 0)
        c = -1;
    if (c < 0 || it->help) {
        opt_free(it);
        return c;
    }
    return 1;
}

int cmd_exists_run(struct cmd_ctx *cx, int argc, char **argv,
                   bool (*exists)(struct runtime *rt, const char *name), struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        ;
    if ((c = cmd_begin(cx, &it, c, 1, 1, &rt, err)) <= 0)
        return c;
    c = exists(rt, it.args[0]) ? 0 : 1;
    opt_free(&it);
    return c;
}

int cmd_usage_err(struct cmd_ctx *cx, struct berr **err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    berr_vplain(err, BK_NONE, fmt, ap);
    va_end(ap);
    (void) cx;
    return -1;
}

int cx_runtime(struct cmd_ctx *cx, enum rt_level level, struct runtime **rt, struct berr **err)
{
    /* The user's character set, for libarchive's path names and the
     * regular expressions of filters. Loading it maps the locale files:
     * ~7 page faults that version, help, completion and inspect need not
     * pay. */
    if (!cx->rt && !cx->no_locale)
        str_locale_load();
    if (!cx->rt || cx->rt_level < level) {
        struct runtime *n = NULL;
        if (rt_open(cx->g, level == RT_FULL ? RT_OPEN_FULL : RT_OPEN_CONFIG, cx->argv0, &n,
                    err) < 0)
            return -1;
        rt_close(cx->rt);
        cx->rt = n;
        cx->rt_level = level;
    }
    *rt = cx->rt;
    return 0;
}

int cmd_answer(struct berr **err)
{
    int ch, first = EOF;

    fflush(stdout);
    while ((ch = getchar()) != EOF && ch != '\n')
        if (first == EOF)
            first = ch;
    /* podman's bufio ReadString('\n') fails on an input that ends
     * before its line does, even "y" */
    if (ch == EOF)
        return berr_msg(err, "EOF");
    return first == 'y' || first == 'Y';
}

int cmd_confirm(const char *warning, struct berr **err)
{
    /* on stdout, as podman asks */
    printf("WARNING! %s\nAre you sure you want to continue? [y/N] ", warning);
    return cmd_answer(err);
}

void cmd_print_error(const char *msg)
{
    _cleanup_free_ char *safe = str_escape_ctl(msg);

    fprintf(stderr, "Error: %s\n", safe ? safe : msg);
}

void cmd_err_next(struct berr **last, struct berr *e)
{
    if (*last)
        cmd_print_error((*last)->msg);
    berr_free(*last);
    *last = e;
}

void cmd_err_first(struct berr **first, struct berr *e)
{
    if (!*first) {
        *first = e;
        return;
    }
    fprintf(stderr, "error %s\n", e ? e->msg : "");
    berr_free(e);
}

void cmd_ctx_release(struct cmd_ctx *cx)
{
    rt_close(cx->rt);
    cx->rt = NULL;
}

void cmd_debug(struct cmd_ctx *cx, const char *fmt, ...)
{
    va_list ap;
    char *m;

    (void) cx;
    if (log_get_level() < LOG_DEBUG)
        return;
    va_start(ap, fmt);
    m = str_vfmt(fmt, ap);
    va_end(ap);
    if (m)
        log_debug("%s", m);
    free(m);
}
