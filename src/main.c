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
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

/* Lists the names a user can type for commands of a group. */
static void print_did_you_mean(const struct cmd *group, const char *name)
{
    size_t n = strlen(name);
    bool any = false;

    cmd_foreach_sub(group, s) {
        if (s.cmd->flags & CMD_HIDDEN)
            continue;
        if (n >= 2 && strncmp(s.name, name, 2) == 0) {
            if (!any)
                fprintf(stderr, "\nDid you mean this?\n");
            fprintf(stderr, "\t%s\n", s.name);
            any = true;
        }
    }
}

static void print_version_short(const char *prog)
{
    printf("%s version %s\n", prog, BERTH_VERSION);
}

/* Finds the command named by argv (*cur: as its group spells it); *pos
 * moves past its name. */
static int resolve(int argc, char **argv, int *pos, struct cmd_sub *cur, struct sbuf *path,
                   struct berr **err)
{
    *cur = (struct cmd_sub) { &cmd_root, sbuf_str(path), NULL };
    while (*pos < argc && cur->cmd->group) {
        const char *name = argv[*pos];
        struct cmd_sub c;

        if (name[0] == '-')
            break;
        if (!cmd_find(cur->cmd, name, &c)) {
            berr_new(err, BERR_ENGINE, 0, "unrecognized command `%s %s`", sbuf_str(path), name);
            cmd_print_error((*err)->msg);
            print_did_you_mean(cur->cmd, name);
            fprintf(stderr, "\nTry '%s --help' for more information\n", sbuf_str(path));
            (*err)->exit_code = -BERR_ENGINE;   /* already printed */
            return -1;
        }
        sbuf_addc(path, ' ');
        sbuf_add(path, c.name);
        *cur = c;
        (*pos)++;
    }
    return 0;
}

/* -D (and any other one-letter global flag), alone or bundled: -Dv */
static int short_globals(struct gopts *g, const char *prog, const char *a, bool *help,
                         bool *version, struct berr **err)
{
    for (const char *p = a + 1; *p; p++) {
        const struct cmd_opt *o = NULL;

        if (*p == 'h' || *p == 'v') {
            *(*p == 'h' ? help : version) = true;
            continue;
        }
        for (const struct cmd_opt *q = global_opts; q->name; q++)
            if (q->id == *p && q->kind == OPT_FLAG)
                o = q;
        if (!o)
            return berr_new(err, BERR_ENGINE, 0, "unknown shorthand flag: '%c' in %s\nSee '%s --help'",
                            *p, a, prog);
        if (gopts_apply(g, o, NULL, true, err) < 0)
            return -1;
    }
    return 0;
}

/* Global options before the command name. */
static int parse_globals(struct gopts *g, const char *prog, int argc, char **argv, int *pos,
                         bool *help, bool *version, struct berr **err)
{
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
        if (a[1] != '-') {
            if (short_globals(g, prog, a, help, version, err) < 0)
                return -1;
            (*pos)++;
            continue;
        }
        eq = strchr(a + 2, '=');
        snprintf(name, sizeof(name), "%.*s", (int) (eq ? (size_t) (eq - a - 2) : strlen(a + 2)),
                 a + 2);
        o = opt_find_long(global_opts, name);
        if (!o)
            return berr_new(err, BERR_ENGINE, 0, "unknown flag: --%s\nSee '%s --help'", name, prog);
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
    struct cmd_sub sub;
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

    cx.all_argv = argv;
    /* as podman (cobra's root command is filepath.Base(os.Args[0])), help
     * and errors name the binary as it was invoked */
    cx.prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    if (!*cx.prog)
        cx.prog = "berth";
    sbuf_add(&path, cx.prog);
    if (parse_globals(&g, cx.prog, argc, argv, &pos, &help, &version, &err) < 0)
        goto out;
    if (version && pos >= argc) {
        print_version_short(cx.prog);
        goto out;
    }
    if (resolve(argc, argv, &pos, &sub, &path, &err) < 0)
        goto out;
    c = cx.cmd = sub.cmd;
    cx.name = sub.name;
    cx.aliases = sub.aliases;
    cx.path = path.buf;
    if (help || (c->group && !c->fn)) {
        /* "berth", "berth container" or "--help": the group's help. A group
         * given an unknown flag still fails like podman. */
        if (!help && c->group && pos < argc && argv[pos][0] == '-') {
            struct opt_it it;
            cmd_opt_init(&it, &cx);
            rc = opt_next(&it, argc - pos + 1, argv + pos - 1, &err);
            opt_free(&it);
            if (rc < 0 || it.help)
                goto out;
        }
        cmd_print_help(stdout, &sub, cx.path);
        /* podman: a group without its command is an error, after its help */
        if (!help)
            berr_msg(&err, "missing command '%s COMMAND'", cx.path);
        goto out;
    }
    /* before any command's option parsing builds its first JSON object
     * (create's and run's do, before the runtime opens) */
    js_seed();
    /* argv[pos-1] is the command name: commands see it as their argv[0] */
    rc = c->fn(&cx, argc - pos + 1, argv + pos - 1, &err);

out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (!err && errno != EPIPE)
            berr_sys(&err, "write output");
    }
    if (err) {
        if (err->exit_code >= 0) {
            cmd_print_error(err->msg);
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
