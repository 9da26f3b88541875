/*
 * util/opt.c: a pflag-compatible option parser. We do not use getopt_long:
 * pflag accepts "--flag=false" for booleans and words its errors in ways
 * podman users' scripts already match, and getopt does neither.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/opt.h"
#include "util/str.h"

void opt_init(struct opt_it *it, const struct cmd_opt *opts)
{
    memset(it, 0, sizeof(*it));
    it->opts = opts;
    it->idx = 1;
    it->h_is_help = true;
}

void opt_free(struct opt_it *it)
{
    free(it->args);
    it->args = NULL;
    it->nargs = 0;
}

const struct cmd_opt *opt_find_long(const struct cmd_opt *opts, const char *name)
{
    for (const struct cmd_opt *o = opts; o && o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

static const struct cmd_opt *find_short(const struct cmd_opt *opts, int c)
{
    for (const struct cmd_opt *o = opts; o && o->name; o++)
        if (o->id == c)
            return o;
    return NULL;
}

static int push_arg(struct opt_it *it, char *a)
{
    char **n = realloc(it->args, sizeof(char *) * (size_t) (it->nargs + 2));
    if (!n)
        return -1;
    it->args = n;
    it->args[it->nargs++] = a;
    it->args[it->nargs] = NULL;
    return 0;
}

static int see_help(struct opt_it *it, struct berr **err)
{
    (void) err;
    if (it->help_fn)
        it->help_fn(it->help_ctx);
    it->help = true;
    it->done = true;
    return 0;
}

static int usage_err(struct opt_it *it, struct berr **err, const char *fmt, const char *a,
                     const char *b)
{
    char *m = str_fmt(fmt, a, b);
    if (!m)
        return berr_oom(err);
    if (it->cmdpath)
        berr_new(err, BERR_ENGINE, 0, "%s\nSee '%s --help'", m, it->cmdpath);
    else
        berr_new(err, BERR_ENGINE, 0, "%s", m);
    free(m);
    return -1;
}

/* Delivers option o: global ones go to the callback and parsing goes on. */
static int deliver(struct opt_it *it, const struct cmd_opt *o, bool is_global, const char *arg,
                   bool bval, struct berr **err)
{
    if (is_global) {
        if (it->gfn && it->gfn(it->gctx, o, arg, bval, err) < 0)
            return -1;
        return 1;   /* consumed; caller loops */
    }
    it->opt = o;
    it->arg = arg;
    it->bval = bval;
    return 0;
}

static int parse_long(struct opt_it *it, int argc, char **argv, const char *body,
                      struct berr **err)
{
    const char *eq = strchr(body, '=');
    char name[128];
    size_t n = eq ? (size_t) (eq - body) : strlen(body);
    const struct cmd_opt *o;
    bool global = false;

    if (n >= sizeof(name))
        n = sizeof(name) - 1;
    memcpy(name, body, n);
    name[n] = '\0';
    if (strcmp(name, "help") == 0)
        return 2;
    o = opt_find_long(it->opts, name);
    if (!o) {
        o = opt_find_long(it->gopts, name);
        global = o != NULL;
    }
    if (!o)
        return usage_err(it, err, "unknown flag: --%s%s", name, "");
    if (o->kind == OPT_FLAG) {
        int b = 1;
        if (eq) {
            b = str_to_bool(eq + 1);
            if (b < 0) {
                char *m = str_fmt("invalid argument \"%s\" for \"--%s\" flag: strconv.ParseBool: parsing \"%s\": invalid syntax",
                                  eq + 1, name, eq + 1);
                if (!m)
                    return berr_oom(err);
                usage_err(it, err, "%s%s", m, "");
                free(m);
                return -1;
            }
        }
        return deliver(it, o, global, NULL, b, err);
    }
    if (eq)
        return deliver(it, o, global, eq + 1, true, err);
    if (it->idx >= argc)
        return usage_err(it, err, "flag needs an argument: --%s%s", name, "");
    return deliver(it, o, global, argv[it->idx++], true, err);
}

static int parse_short(struct opt_it *it, int argc, char **argv, struct berr **err)
{
    int c = (unsigned char) *it->bundle++;
    const struct cmd_opt *o = find_short(it->opts, c);
    bool global = false;
    char cs[2] = { (char) c, 0 };

    if (!o && c == 'h' && it->h_is_help) {
        it->bundle = NULL;
        return 2;
    }
    if (!o) {
        o = find_short(it->gopts, c);
        global = o != NULL;
    }
    if (!o) {
        /* pflag names the whole bundle: "'x' in -ax" */
        return usage_err(it, err, "unknown shorthand flag: '%s' in %s", cs,
                         argv[it->idx - 1]);
    }
    if (o->kind == OPT_FLAG) {
        int b = 1;
        if (*it->bundle == '=') {
            b = str_to_bool(it->bundle + 1);
            it->bundle = NULL;
            if (b < 0)
                return usage_err(it, err, "invalid argument for flag -%s%s", cs, "");
        }
        if (it->bundle && !*it->bundle)
            it->bundle = NULL;
        return deliver(it, o, global, NULL, b, err);
    }
    if (*it->bundle) {
        const char *v = it->bundle;
        if (*v == '=')
            v++;
        it->bundle = NULL;
        return deliver(it, o, global, v, true, err);
    }
    it->bundle = NULL;
    if (it->idx >= argc)
        return usage_err(it, err, "flag needs an argument: '%s' in -%s", cs, cs);
    return deliver(it, o, global, argv[it->idx++], true, err);
}

static int next(struct opt_it *it, int argc, char **argv, struct berr **err)
{
    for (;;) {
        int r;

        if (it->done)
            return 0;
        if (it->bundle) {
            r = parse_short(it, argc, argv, err);
        } else {
            const char *a;
            if (it->idx >= argc) {
                it->done = true;
                return 0;
            }
            a = argv[it->idx++];
            if (strcmp(a, "--") == 0) {
                while (it->idx < argc)
                    if (push_arg(it, argv[it->idx++]) < 0)
                        return berr_oom(err);
                it->done = true;
                return 0;
            }
            if (a[0] != '-' || a[1] == '\0') {
                if (push_arg(it, (char *) a) < 0)
                    return berr_oom(err);
                if (it->stop_at_operand) {
                    while (it->idx < argc)
                        if (push_arg(it, argv[it->idx++]) < 0)
                            return berr_oom(err);
                    it->done = true;
                    return 0;
                }
                continue;
            }
            if (a[1] == '-') {
                r = parse_long(it, argc, argv, a + 2, err);
            } else {
                it->bundle = a + 1;
                r = parse_short(it, argc, argv, err);
            }
        }
        if (r < 0)
            return -1;
        if (r == 2)
            return see_help(it, err);
        if (r == 1)
            continue;   /* a global option, handled */
        return it->opt->id;
    }
}

int opt_next(struct opt_it *it, int argc, char **argv, struct berr **err)
{
    int r = next(it, argc, argv, err);

    /* the end of the options, once, unless --help ended them */
    if (r == 0 && !it->help && it->done_fn && !it->done_called) {
        it->done_called = true;
        if (it->done_fn(it->done_ctx, err) < 0)
            return -1;
    }
    return r;
}

static char *flag_label(const struct cmd_opt *o)
{
    if (o->id > 0 && o->id < 256)
        return str_fmt("-%c, --%s", o->id, o->name);
    return str_fmt("    --%s", o->name);
}

int opt_bad_value(struct opt_it *it, const char *why, struct berr **err)
{
    char *label = flag_label(it->opt);
    const char *l = label ? label : "";
    int r;

    while (*l == ' ')
        l++;
    r = usage_err(it, err, "invalid argument \"%s\" for \"%s\" flag: ", it->arg ? it->arg : "", l);
    free(label);
    if (why && *why && *err) {
        /* the reason goes before the "See ..." line */
        char *nl = strchr((*err)->msg, '\n');
        char *m = nl ? str_fmt("%.*s%s%s", (int) (nl - (*err)->msg), (*err)->msg, why, nl)
                     : str_fmt("%s%s", (*err)->msg, why);
        if (m) {
            free((*err)->msg);
            (*err)->msg = m;
        }
    }
    return r;
}

/* pflag's words for a number that does not parse, e.g.
 * invalid argument "x" for "-t, --time" flag: strconv.ParseUint: parsing "x": invalid syntax */
static int bad_number(struct opt_it *it, const char *parser, struct berr **err)
{
    char *why = str_fmt("strconv.%s: parsing \"%s\": invalid syntax", parser, it->arg);

    opt_bad_value(it, why, err);
    free(why);
    return -1;
}

int opt_uint(struct opt_it *it, unsigned long long *out, struct berr **err)
{
    return str_to_ull(it->arg, out) == 0 ? 0 : bad_number(it, "ParseUint", err);
}

int opt_int(struct opt_it *it, long long *out, struct berr **err)
{
    return str_to_ll(it->arg, out) == 0 ? 0 : bad_number(it, "ParseInt", err);
}

void opt_print_table(FILE *f, const struct cmd_opt *opts)
{
    size_t width = 0;

    for (const struct cmd_opt *o = opts; o && o->name; o++) {
        size_t w;
        if (o->flags & OPT_HIDDEN)
            continue;
        w = 8 + strlen(o->name);
        if (o->kind == OPT_ARG)
            w += 1 + strlen(o->argname ? o->argname : "string");
        if (w > width)
            width = w;
    }
    for (const struct cmd_opt *o = opts; o && o->name; o++) {
        char lead[160];
        const char *h = o->help ? o->help : "";
        if (o->flags & OPT_HIDDEN)
            continue;
        if (o->id > 0 && o->id < 256)
            snprintf(lead, sizeof(lead), "  -%c, --%s", o->id, o->name);
        else
            snprintf(lead, sizeof(lead), "      --%s", o->name);
        if (o->kind == OPT_ARG) {
            size_t l = strlen(lead);
            snprintf(lead + l, sizeof(lead) - l, " %s", o->argname ? o->argname : "string");
        }
        fprintf(f, "%-*s   ", (int) width, lead);
        /* continuation lines of a multi-line help align under the text */
        for (const char *p = h; *p; p++) {
            fputc(*p, f);
            if (*p == '\n')
                fprintf(f, "%-*s   ", (int) width, "");
        }
        fputc('\n', f);
    }
}
