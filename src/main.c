/*
 * main.c: parses the global options (cmd/gopts.c has their table), finds
 * the command and dispatches to it. The only place that prints an error
 * (once, as "Error: ...") and picks the exit code.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/str.h"

/* The one place errors are printed: escaped, so text that came from an
 * archive, a record or a flag cannot drive the terminal. */
static void print_error(const char *msg)
{
    _cleanup_free_ char *safe = str_escape_ctl(msg);

    fprintf(stderr, "Error: %s\n", safe ? safe : msg);
}

/* Lists the names a user can type for commands of a group. */
static void print_did_you_mean(const struct cmd *group, const char *name)
{
    const struct cmd *c;
    size_t n = strlen(name);
    bool any = false;

    cmd_foreach_sub(group, c) {
        if (c->flags & CMD_HIDDEN)
            continue;
        if (n >= 2 && strncmp(c->name, name, 2) == 0) {
            if (!any)
                fprintf(stderr, "\nDid you mean this?\n");
            fprintf(stderr, "\t%s\n", c->name);
            any = true;
        }
    }
}

static void print_version_short(void)
{
    printf("berth version %s\n", BERTH_VERSION);
}

/* Finds the command named by argv; returns the index of its name. */
static const struct cmd *resolve(int argc, char **argv, int *pos, struct sbuf *path,
                                 struct berr **err)
{
    const struct cmd *cur = &cmd_root;

    while (*pos < argc && cur->subs) {
        const char *name = argv[*pos];
        const struct cmd *c;

        if (name[0] == '-')
            break;
        c = cmd_find(cur, name);
        if (!c) {
            if (cur == &cmd_root) {
                berr_new(err, BERR_ENGINE, 0, "unrecognized command `%s %s`", sbuf_str(path),
                         name);
            } else {
                berr_new(err, BERR_ENGINE, 0, "unrecognized command `%s %s`", sbuf_str(path),
                         name);
            }
            print_error((*err)->msg);
            print_did_you_mean(cur, name);
            fprintf(stderr, "\nTry '%s --help' for more information\n", sbuf_str(path));
            (*err)->exit_code = -BERR_ENGINE;   /* already printed */
            return NULL;
        }
        sbuf_addc(path, ' ');
        sbuf_add(path, c->name);
        cur = c;
        (*pos)++;
    }
    return cur;
}

/* Global options before the command name. */
static int parse_globals(struct gopts *g, int argc, char **argv, int *pos, bool *help,
                         bool *version, struct berr **err)
{
    static const struct cmd_opt root_only[] = {
        { "version", 'v', OPT_FLAG, NULL, "version for berth", 0 },
        { 0 }
    };
    while (*pos < argc) {
        const char *a = argv[*pos];
        const char *eq;
        const struct cmd_opt *o;
        char name[64];

        if (a[0] != '-' || a[1] == '\0')
            break;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = true;
            (*pos)++;
            continue;
        }
        if (strcmp(a, "--version") == 0 || strcmp(a, "-v") == 0) {
            *version = true;
            (*pos)++;
            continue;
        }
        (void) root_only;
        if (a[1] != '-')
            return berr_new(err, BERR_ENGINE, 0, "unknown shorthand flag: '%c' in %s", a[1], a);
        eq = strchr(a + 2, '=');
        snprintf(name, sizeof(name), "%.*s", (int) (eq ? (size_t) (eq - a - 2) : strlen(a + 2)),
                 a + 2);
        o = opt_find_long(global_opts, name);
        if (!o)
            return berr_new(err, BERR_ENGINE, 0, "unknown flag: --%s\nSee 'berth --help'", name);
        (*pos)++;
        if (o->kind == OPT_FLAG) {
            int b = eq ? str_to_bool(eq + 1) : 1;
            if (b < 0)
                return berr_new(err, BERR_ENGINE, 0, "invalid argument \"%s\" for \"--%s\" flag",
                                eq + 1, name);
            if (gopts_apply(g, o, NULL, b, err) < 0)
                return -1;
            continue;
        }
        if (eq) {
            if (gopts_apply(g, o, eq + 1, true, err) < 0)
                return -1;
            continue;
        }
        if (*pos >= argc)
            return berr_new(err, BERR_ENGINE, 0, "flag needs an argument: --%s", name);
        if (gopts_apply(g, o, argv[(*pos)++], true, err) < 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct gopts g = { .log_level_num = LOG_WARN };
    struct cmd_ctx cx = { .g = &g };
    struct berr *err = NULL;
    struct sbuf path = SBUF_INIT;
    const struct cmd *c;
    bool help = false, version = false;
    int pos = 1, rc = 0;
    char exe[PATH_MAX];
    ssize_t n;

    log_set_level(LOG_WARN);
    /* The exit command must run this very binary. */
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        cx.argv0 = exe;
    } else {
        cx.argv0 = argv[0];
    }

    sbuf_add(&path, "berth");
    if (parse_globals(&g, argc, argv, &pos, &help, &version, &err) < 0)
        goto out;
    if (version && pos >= argc) {
        print_version_short();
        goto out;
    }
    c = resolve(argc, argv, &pos, &path, &err);
    if (!c)
        goto out;
    cx.cmd = c;
    cx.path = path.buf;
    if (help || (c->subs && !c->fn)) {
        /* "berth", "berth container" or "--help": the group's help. A group
         * given an unknown flag still fails like podman. */
        if (!help && c->subs && pos < argc && argv[pos][0] == '-') {
            struct opt_it it;
            cmd_opt_init(&it, &cx);
            rc = opt_next(&it, argc - pos + 1, argv + pos - 1, &err);
            opt_free(&it);
            if (rc < 0 || it.help)
                goto out;
        }
        cmd_print_help(stdout, c, cx.path);
        goto out;
    }
    /* argv[pos-1] is the command name: commands see it as their argv[0] */
    rc = c->fn(&cx, argc - pos + 1, argv + pos - 1, &err);

out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (!err && errno != EPIPE)
            berr_sys(&err, "write output");
    }
    if (err) {
        if (err->exit_code >= 0) {
            print_error(err->msg);
            rc = err->exit_code ? err->exit_code : BERR_ENGINE;
        } else {
            rc = -err->exit_code;
        }
        berr_free(err);
    } else if (rc < 0) {
        rc = BERR_ENGINE;
    }
    cmd_ctx_release(&cx);
    sbuf_free(&path);
    gopts_free(&g);
    return rc;
}
