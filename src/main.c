/*
 * main.c: global options, command lookup and dispatch. The only place
 * that prints an error (once, as "Error: ...") and picks the exit code.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/str.h"

enum {
    G_ROOT = 256, G_RUNROOT, G_TMPDIR, G_VOLUMEPATH, G_RUNTIME, G_CONMON, G_CGROUP_MANAGER,
    G_STORAGE_DRIVER, G_STORAGE_OPT, G_LOG_LEVEL, G_EVENTS_BACKEND, G_CONFIG, G_NAMESPACE,
    G_NETWORK_CONFIG_DIR, G_NETWORK_BACKEND, G_RUNTIME_FLAG, G_SYSLOG, G_CNI_CONFIG_DIR,
};

const struct cmd_opt global_opts[] = {
    { "cgroup-manager", G_CGROUP_MANAGER, OPT_ARG, "string", "Cgroup manager to use (\"cgroupfs\"|\"systemd\")", 0 },
    { "config", G_CONFIG, OPT_ARG, "string", "Read this config file instead of the default ones (also $BERTH_CONFIG)", 0 },
    { "conmon", G_CONMON, OPT_ARG, "string", "Path of the conmon binary", 0 },
    { "events-backend", G_EVENTS_BACKEND, OPT_ARG, "string", "Events backend to use (\"file\"|\"none\")", 0 },
    { "log-level", G_LOG_LEVEL, OPT_ARG, "string", "Log messages above specified level (trace, debug, info, warn, error) (default \"warn\")", 0 },
    { "namespace", G_NAMESPACE, OPT_ARG, "string", "Set the libpod namespace, used to create separate views of the containers and pods on the system", 0 },
    { "network-backend", G_NETWORK_BACKEND, OPT_ARG, "string", "Network backend to use (\"netavark\"|\"cni\")", 0 },
    { "network-config-dir", G_NETWORK_CONFIG_DIR, OPT_ARG, "string", "Path of the configuration directory for networks", 0 },
    { "cni-config-dir", G_CNI_CONFIG_DIR, OPT_ARG, "string", "Path of the configuration directory for CNI networks", OPT_HIDDEN },
    { "root", G_ROOT, OPT_ARG, "string", "Path to the root directory in which data, including images, is stored", 0 },
    { "runroot", G_RUNROOT, OPT_ARG, "string", "Path to the 'run directory' where all state information is stored", 0 },
    { "runtime", G_RUNTIME, OPT_ARG, "string", "Path to the OCI-compatible binary used to run containers, or a configured runtime name", 0 },
    { "runtime-flag", G_RUNTIME_FLAG, OPT_ARG, "stringArray", "add global flags for the container runtime", 0 },
    { "storage-driver", G_STORAGE_DRIVER, OPT_ARG, "string", "Select which storage driver is used to manage storage of images and containers", 0 },
    { "storage-opt", G_STORAGE_OPT, OPT_ARG, "stringArray", "Used to pass an option to the storage driver", 0 },
    { "syslog", G_SYSLOG, OPT_FLAG, NULL, "Output logging information to syslog as well as the console (default false)", 0 },
    { "tmpdir", G_TMPDIR, OPT_ARG, "string", "Path to the tmp directory for libpod state content", 0 },
    { "volumepath", G_VOLUMEPATH, OPT_ARG, "string", "Path to the volume directory in which volume data is stored", 0 },
    { 0 }
};

static int set_str(char **dst, const char *v, struct berr **err)
{
    char *n = str_dup(v);
    if (!n)
        return berr_oom(err);
    free(*dst);
    *dst = n;
    return 0;
}

int gopts_apply(void *gv, const struct cmd_opt *o, const char *arg, bool bval,
                struct berr **err)
{
    struct gopts *g = gv;

    switch (o->id) {
    case G_ROOT: return set_str(&g->root, arg, err);
    case G_RUNROOT: return set_str(&g->runroot, arg, err);
    case G_TMPDIR: return set_str(&g->tmpdir, arg, err);
    case G_VOLUMEPATH: return set_str(&g->volumepath, arg, err);
    case G_RUNTIME: return set_str(&g->runtime, arg, err);
    case G_CONMON: return set_str(&g->conmon, arg, err);
    case G_CGROUP_MANAGER:
        if (strcmp(arg, "cgroupfs") && strcmp(arg, "systemd"))
            return berr_new(err, BERR_ENGINE, 0,
                            "invalid cgroup manager \"%s\": must be \"cgroupfs\" or \"systemd\"", arg);
        return set_str(&g->cgroup_manager, arg, err);
    case G_STORAGE_DRIVER: return set_str(&g->storage_driver, arg, err);
    case G_STORAGE_OPT: return strv_push(&g->storage_opts, arg) < 0 ? berr_oom(err) : 0;
    case G_RUNTIME_FLAG: return strv_push(&g->runtime_flags, arg) < 0 ? berr_oom(err) : 0;
    case G_LOG_LEVEL: {
        int l = log_parse_level(arg);
        if (l < 0)
            return berr_new(err, BERR_ENGINE, 0,
                            "log level %s not recognized: must be one of trace, debug, info, warn, warning, error, fatal, panic", arg);
        g->log_level_num = l;
        log_set_level((enum log_level) l);
        return set_str(&g->log_level, arg, err);
    }
    case G_EVENTS_BACKEND:
        if (strcmp(arg, "file") && strcmp(arg, "none") && strcmp(arg, "journald"))
            return berr_new(err, BERR_ENGINE, 0,
                            "invalid events backend \"%s\": must be \"file\" or \"none\"", arg);
        return set_str(&g->events_backend, arg, err);
    case G_CONFIG: return set_str(&g->config, arg, err);
    case G_NAMESPACE: return set_str(&g->ns, arg, err);
    case G_NETWORK_CONFIG_DIR: return set_str(&g->network_config_dir, arg, err);
    case G_NETWORK_BACKEND:
        if (strcmp(arg, "netavark") && strcmp(arg, "cni"))
            return berr_new(err, BERR_ENGINE, 0,
                            "invalid network backend \"%s\": must be \"netavark\" or \"cni\"", arg);
        return set_str(&g->network_backend, arg, err);
    case G_CNI_CONFIG_DIR: return set_str(&g->cni_config_dir, arg, err);
    case G_SYSLOG: g->syslog = bval; return 0;
    }
    return 0;
}

static void gopts_free(struct gopts *g)
{
    char **strs[] = { &g->root, &g->runroot, &g->tmpdir, &g->volumepath, &g->runtime,
                      &g->conmon, &g->cgroup_manager, &g->storage_driver, &g->log_level,
                      &g->events_backend, &g->config, &g->ns, &g->network_config_dir,
                      &g->network_backend, &g->cni_config_dir };
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        free(*strs[i]);
    strv_free(g->storage_opts);
    strv_free(g->runtime_flags);
}

/* Lists the names a user can type for commands of a group. */
/* The one place errors are printed: escaped, so text that came from an
 * archive, a record or a flag cannot drive the terminal. */
static void print_error(const char *msg)
{
    _cleanup_free_ char *safe = str_escape_ctl(msg);

    fprintf(stderr, "Error: %s\n", safe ? safe : msg);
}

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

    setlocale(LC_CTYPE, "");
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
