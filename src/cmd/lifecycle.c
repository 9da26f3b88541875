/*
 * cmd/lifecycle.c: start, stop, kill, restart, rm and init: one operation
 * over several containers (cmd/ctr_each.c), each printing the name given.
 * The operations are runtime/ctr_lifecycle.c's (start --attach also
 * runtime/ctr_attach.c's).
 */
#include <signal.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "runtime/container.h"
#include "runtime/ctr_mounts.h"
#include "runtime/ctr_ps.h"
#include "runtime/pod.h"
#include "runtime/renumber.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

enum { O_TIME = 't', O_ALL = 'a', O_LATEST = 'l', O_IGNORE = 'i', O_FORCE = 'f',
       O_SIGNAL = 's', O_VOLUMES = 'v', O_CONDITION = 256, O_INTERVAL, O_RM, O_RUNNING,
       O_START_ALL, O_DETACH_KEYS, O_SIG_PROXY, O_CIDFILE, O_DEPEND, O_FILTER };

/* The flags of the multi-container commands, parsed. */
struct each_args {
    bool all, latest, ignore, force, volumes, running, attach, interactive, sig_proxy, depend;
    bool start;                 /* start's words and its --filter with names */
    const char *detach_keys;
    long long time;             /* -1: the container's stop timeout */
    int signal;
    char **cidfiles;            /* --cidfile, repeatable */
    char **filters;             /* --filter, repeatable: ps's filters */
    char **names;
    int n;
};

#define CIDFILE_OPT { "cidfile", O_CIDFILE, OPT_ARG, "stringArray", "Read the container ID from the file", 0 }
#define FILTER_HELP "Filter output based on conditions given (ps's filters: id, name, status, label, ...)"

/* kill --signal: podman drops one leading dash (-HUP, -9) and takes
 * numbers 1 to 64 */
static int kill_signal(const char *arg, int *sig, struct berr **err)
{
    const char *b = arg[0] == '-' ? arg + 1 : arg;
    long long n;

    if (str_to_ll(b, &n) == 0) {
        if (n == 0)
            return berr_msg(err, "invalid signal: %s", b);
        if (n < 1 || n > 64)
            return berr_msg(err, "valid signals are 1 through 64");
        *sig = (int) n;
        return 0;
    }
    *sig = spec_signal_parse(b);
    if (*sig <= 0 || *sig > 64)
        return berr_msg(err, "invalid signal: %s", b);
    return 0;
}

/* podman's checks of --all, --latest, --cidfile, --filter and operands
 * (ctr_each_check); start has words of its own. */
static int check_selection(struct cmd_ctx *cx, const struct each_args *a, struct berr **err)
{
    bool has_cidfile = opt_find_long(cx->cmd->opts, "cidfile") != NULL;
    bool idfile = a->cidfiles != NULL;

    if (a->start) {
        if (a->n > 0 && a->latest)
            return berr_msg(err, "--latest and containers cannot be used together");
        if (a->all && a->latest)
            return berr_msg(err, "--all and --latest cannot be used together");
        if (a->n > 0 && a->all)
            return berr_msg(err, "either start all containers or the container(s) provided in the arguments");
        if (a->n == 0 && !a->all && !a->latest && !a->filters)
            return berr_msg(err, "start requires at least one argument");
        return 0;
    }
    return ctr_each_check(a->all, a->latest, a->n, has_cidfile, idfile, a->filters != NULL, err);
}

/* --filter is podman's StringSlice: "a=1,b=2" is two filters */
static int push_filters(char ***v, const char *arg)
{
    _cleanup_strv_ strv f = strv_split(arg, ",");

    if (!f)
        return -1;
    for (size_t i = 0; f[i]; i++)
        if (strv_push(v, f[i]) < 0)
            return -1;
    return 0;
}

/* One option of the multi-container commands. Letters mean different
 * flags in different commands (-a, -i, -f): the name tells. */
static int each_opt(struct opt_it *it, struct each_args *a, struct berr **err)
{
    unsigned long long u;
    const char *name = it->opt->name;

    switch (it->opt->id) {
    case O_ALL:
        if (strcmp(name, "attach") == 0)
            a->attach = it->bval;
        else
            a->all = it->bval;
        return 0;
    case O_START_ALL: a->all = it->bval; return 0;
    case O_LATEST: a->latest = it->bval; return 0;
    case O_IGNORE:
        if (strcmp(name, "interactive") == 0)
            a->interactive = it->bval;
        else
            a->ignore = it->bval;
        return 0;
    case O_FORCE:       /* -f: rm's --force; --filter of stop, restart, start */
        if (strcmp(name, "force") == 0)
            a->force = it->bval;
        else if (push_filters(&a->filters, it->arg) < 0)
            return berr_oom(err);
        return 0;
    case O_FILTER:
        return push_filters(&a->filters, it->arg) < 0 ? berr_oom(err) : 0;
    case O_CIDFILE: return strv_push(&a->cidfiles, it->arg) < 0 ? berr_oom(err) : 0;
    case O_DEPEND: a->depend = it->bval; return 0;
    case O_VOLUMES: a->volumes = it->bval; return 0;
    case O_RUNNING: a->running = it->bval; return 0;
    case O_DETACH_KEYS: a->detach_keys = it->arg; return 0;
    case O_SIG_PROXY: a->sig_proxy = it->bval; return 0;
    case O_TIME:
        if (opt_uint(it, &u, err) < 0)
            return -1;
        a->time = (long long) u;
        return 0;
    case O_SIGNAL: return kill_signal(it->arg, &a->signal, err);
    }
    return 0;
}

/* Parses flags for the multi-container commands; returns 1 after --help. */
static int parse_each(struct cmd_ctx *cx, int argc, char **argv, struct each_args *a,
                      struct opt_it *it, struct berr **err)
{
    int c;

    a->time = -1;
    a->signal = SIGKILL;
    cmd_opt_init(it, cx);
    while ((c = opt_next(it, argc, argv, err)) > 0)
        if (each_opt(it, a, err) < 0)
            return -1;
    if (c < 0)
        return -1;
    if (it->help)
        return 1;
    a->names = it->args;
    a->n = it->nargs;
    return check_selection(cx, a, err);
}

static void each_args_free(struct each_args *a)
{
    strv_free(a->cidfiles);
    strv_free(a->filters);
}

static int print_input(const char *input)
{
    printf("%s\n", input);
    return 0;
}

/* --cidfile: the id each file holds (podman trims it); 125 for a file
 * that does not read. */
static int read_cidfiles(char **files, char ***ids, struct berr **err)
{
    for (char **f = files; f && *f; f++) {
        _cleanup_free_ char *s = NULL;
        if (fs_read_file(*f, &s, NULL, err) < 0) {
            int en = (*err)->errnum;
            berr_freep(err);
            return berr_new(err, BERR_ENGINE, en, "reading CIDFile: open %s", *f);
        }
        if (strv_push(ids, str_trim(s)) < 0)
            return berr_oom(err);
    }
    return 0;
}

/* start --filter NAME...: the ids of the typed names the filter selects
 * (an id or a name, exactly: podman's rule). */
static int start_filtered(char **typed, int n, char **ids, char **names, char ***out,
                          struct berr **err)
{
    for (int i = 0; i < n; i++)
        for (size_t j = 0; ids[j]; j++)
            if (str_eq(typed[i], ids[j]) || str_eq(typed[i], names[j])) {
                if (strv_push(out, ids[j]) < 0)
                    return berr_oom(err);
                break;
            }
    return 0;
}

static int rm_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err);

/* Runs one() over the containers of parsed args. Exit codes per failure
 * kind: rm's 1 and 2; 0 means 125. */
static int each_parsed(struct cmd_ctx *cx, struct each_args *a,
                       int (*one)(struct ctr_each *, struct ctr *, const char *, struct berr **),
                       int code_no_such, int code_state, struct berr **err)
{
    struct runtime *rt;
    struct ctr_each e = { .all = a->all, .latest = a->latest, .ignore = a->ignore, .fn = one,
                          .arg = a, .code_no_such = code_no_such, .code_state = code_state,
                          .any = one == rm_one, .external = one == rm_one && a->force };
    _cleanup_strv_ char **list = NULL, **ids = NULL, **names = NULL;

    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    e.rt = rt;
    if (a->filters) {
        /* the filter picks the containers; --all adds nothing */
        e.all = e.latest = false;
        if (ctr_ps_select(rt, a->filters, &ids, &names, err) < 0)
            return -1;
        if (a->start && !a->all && a->n > 0) {
            if (start_filtered(a->names, a->n, ids, names, &list, err) < 0)
                return -1;
        } else {
            list = STEAL_PTR(ids);
        }
        e.listed = true;                /* full ids: one gone meanwhile is skipped */
        return ctr_each_run(&e, list, (int) strv_len(list), err) < 0 ? -1 : 0;
    }
    if (a->cidfiles) {
        if (read_cidfiles(a->cidfiles, &list, err) < 0)
            return -1;
        return ctr_each_run(&e, list, (int) strv_len(list), err) < 0 ? -1 : 0;
    }
    return ctr_each_run(&e, a->names, a->n, err) < 0 ? -1 : 0;
}

/* The body every multi-container command shares: parse, then each_parsed. */
static int run_each(struct cmd_ctx *cx, int argc, char **argv,
                    int (*one)(struct ctr_each *, struct ctr *, const char *, struct berr **),
                    int code_no_such, int code_state, struct berr **err)
{
    struct opt_it it;
    struct each_args a = { .sig_proxy = true };
    int r = parse_each(cx, argc, argv, &a, &it, err);

    if (r == 0)
        r = each_parsed(cx, &a, one, code_no_such, code_state, err);
    opt_free(&it);
    each_args_free(&a);
    return r < 0 ? -1 : 0;
}

/* ---- start ---- */

static int start_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    /* podman leaves a running container alone and does not print it */
    if (ctr_state(c) == CS_RUNNING)
        return 0;
    if (ctr_start(e->rt, c, err) < 0) {
        /* start's own failures are engine errors (podman: 125), in
         * podman's words */
        if (*err)
            (*err)->exit_code = BERR_ENGINE;
        return berr_wrap(err, "unable to start container \"%s\"", c->id);
    }
    return print_input(input);
}

static const struct cmd_opt start_opts[] = {
    { "all", O_START_ALL, OPT_FLAG, NULL, "Start all containers regardless of their state or configuration", 0 },
    { "attach", 'a', OPT_FLAG, NULL, "Attach container's STDOUT and STDERR", 0 },
    { "detach-keys", O_DETACH_KEYS, OPT_ARG, "string", "Select the key sequence for detaching a container (default \"ctrl-p,ctrl-q\")", 0 },
    { "filter", 'f', OPT_ARG, "strings", FILTER_HELP "; with names, those of them it selects", 0 },
    { "interactive", 'i', OPT_FLAG, NULL, "Make STDIN available to the contained process", 0 },
    { "sig-proxy", O_SIG_PROXY, OPT_FLAG, NULL, "Proxy received signals to the process (default true if attaching, false otherwise)", 0 },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { 0 }
};

/* start --attach: one container, its exit code becomes ours. */
static int start_attached(struct runtime *rt, struct each_args *a, struct berr **err)
{
    _cleanup_ctr_ struct ctr *c = NULL;
    struct ctr_attach_opts o = { .out = true, .err = true, .sig_proxy = a->sig_proxy,
                                 .detach_keys = a->detach_keys, .start = true };
    char id[STATE_ID_LEN + 1];
    bool detached;
    int code;

    if (a->n != 1 && !a->latest)
        return berr_msg(err, "you cannot start and attach multiple containers at once");
    if ((a->latest ? ctr_latest(rt, id, err) == 0 ? ctr_get_id(rt, id, &c, err) : -1
                   : ctr_get(rt, a->names[0], &c, err)) < 0)
        return -1;
    if (ctr_state(c) == CS_RUNNING)
        return berr_kind(err, BK_STATE, "container %s is already running", c->id);
    o.in = a->interactive && c->cfg.stdin_open;
    if (ctr_attach(rt, c, &o, &detached, err) < 0) {
        if (*err)
            (*err)->exit_code = BERR_ENGINE;
        return -1;
    }
    if (detached)
        return 0;
    if (ctr_wait(rt, c->id, 1u << CS_EXITED, -1, CTR_WAIT_AUTOREMOVE, &code, err) < 0)
        return -1;
    return code & 0xff;         /* -1 is 255, as run's */
}

static int start_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct each_args a = { .sig_proxy = true, .start = true };
    struct runtime *rt;
    int r = parse_each(cx, argc, argv, &a, &it, err);

    if (r == 1)         /* --help was printed */
        r = 0;
    else if (r == 0 && a.attach)    /* one container, whose exit code becomes ours */
        r = cx_runtime(cx, RT_FULL, &rt, err) < 0 ? -1 : start_attached(rt, &a, err);
    else if (r == 0)
        r = each_parsed(cx, &a, start_one, 0, 0, err);
    opt_free(&it);
    each_args_free(&a);
    return r;
}

#define START_DESC "Starts one or more containers that were created or have stopped.\n" \
    "A running container is left alone and not printed. Prints each name as\n" \
    "given (the full id with --all and --filter)."
const struct cmd cmd_start = {
    .name = "start", .summary = "Start one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = START_DESC,
    .examples = "berth start web\nberth start --latest",
    .opts = start_opts, .fn = start_fn, .need = RT_FULL,
};

/* ---- stop ---- */

static int stop_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct each_args *a = e->arg;

    if (ctr_stop(e->rt, c, a->time, err) < 0)
        return -1;
    return print_input(input);
}

static const struct cmd_opt stop_opts[] = {
    { "all", O_ALL, OPT_FLAG, NULL, "Stop all running containers", 0 },
    CIDFILE_OPT,
    { "filter", 'f', OPT_ARG, "strings", FILTER_HELP, 0 },
    { "ignore", O_IGNORE, OPT_FLAG, NULL, "Ignore errors when a specified container is missing", 0 },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "time", O_TIME, OPT_ARG, "uint", "Seconds to wait for stop before killing the container (default 10)", 0 },
    /* podman reads --timeout as --time (not listed) */
    { "timeout", O_TIME, OPT_ARG, "uint", "Seconds to wait for stop before killing the container", OPT_HIDDEN },
    { 0 }
};

static int stop_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return run_each(cx, argc, argv, stop_one, 0, 0, err);
}

#define STOP_DESC "Stops running containers: sends the stop signal (SIGTERM unless the\n" \
    "container says otherwise), waits up to --time seconds, then sends SIGKILL.\n" \
    "Stopping a container that is not running succeeds and prints its name."
const struct cmd cmd_stop = {
    .name = "stop", .summary = "Stop one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = STOP_DESC,
    .examples = "berth stop web\nberth stop -t 0 --all",
    .opts = stop_opts, .fn = stop_fn, .need = RT_FULL,
};

/* ---- kill ---- */

static int kill_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct each_args *a = e->arg;

    /* podman's kill --all: the running ones, the others passed over */
    if (e->all && ctr_state(c) != CS_RUNNING)
        return 0;
    if (ctr_kill(e->rt, c, a->signal, err) < 0)
        return -1;
    return print_input(input);
}

static const struct cmd_opt kill_opts[] = {
    { "all", O_ALL, OPT_FLAG, NULL, "Signal all running containers", 0 },
    CIDFILE_OPT,
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "signal", O_SIGNAL, OPT_ARG, "string", "Signal to send to the container (default \"KILL\")", 0 },
    { 0 }
};

static int kill_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return run_each(cx, argc, argv, kill_one, 0, 0, err);
}

#define KILL_DESC "Sends a signal (SIGKILL unless --signal says otherwise) to the main\n" \
    "process of each running container."
const struct cmd cmd_kill = {
    .name = "kill", .summary = "Kill one or more running containers with a specific signal",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = KILL_DESC,
    .examples = "berth kill web\nberth kill -s HUP web",
    .opts = kill_opts, .fn = kill_fn, .need = RT_FULL,
};

/* ---- rm ---- */

static int rm_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct each_args *a = e->arg;
    unsigned flags = a->volumes ? CTR_RM_VOLUMES : 0;
    _cleanup_strv_ char **removed = NULL;
    int r;

    if (!a->depend && !e->all) {
        if (ctr_remove_flags(e->rt, c, a->force, a->time, flags, err) < 0)
            return -1;
        return print_input(input);      /* podman echoes what was typed */
    }
    /* --depend: the full id of each one removed, dependents first; so
     * too with --all, which removes them all whatever the order */
    r = ctr_remove_depend(e->rt, c, a->force, a->time, flags, &removed, err);
    for (char **id = removed; id && *id; id++)
        print_input(*id);
    return r;
}

static const struct cmd_opt rm_opts[] = {
    { "all", O_ALL, OPT_FLAG, NULL, "Remove all containers", 0 },
    CIDFILE_OPT,
    { "depend", O_DEPEND, OPT_FLAG, NULL, "Remove container and all containers that depend on the selected container", 0 },
    { "filter", O_FILTER, OPT_ARG, "strings", FILTER_HELP, 0 },
    { "force", O_FORCE, OPT_FLAG, NULL, "Force removal of a running or paused container", 0 },
    { "ignore", O_IGNORE, OPT_FLAG, NULL, "Ignore errors when a specified container is missing", 0 },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "time", O_TIME, OPT_ARG, "uint", "Seconds to wait for stop before killing the container (default 10)", 0 },
    { "volumes", O_VOLUMES, OPT_FLAG, NULL, "Remove anonymous volumes associated with the container", 0 },
    { 0 }
};

static int rm_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct each_args a = { .sig_proxy = true };
    struct runtime *rt;
    int r = parse_each(cx, argc, argv, &a, &it, err);

    /* podman: --force also ignores a container that is not there */
    a.ignore = a.ignore || a.force;
    /* podman: --all removes the pods too (an infra goes with its pod) */
    if (r == 0 && a.all && !it.help) {
        _cleanup_strv_ char **gone = NULL;
        r = cx_runtime(cx, RT_FULL, &rt, err) < 0 ? -1 : pod_remove_all(rt, a.force, a.time, &gone, err);
        for (char **id = gone; id && *id; id++)
            print_input(*id);
    }
    /* podman: no such container -> 1, running without -f -> 2 */
    if (r == 0)
        r = each_parsed(cx, &a, rm_one, 1, 2, err);
    /* --all also frees locks a killed create left without an owner */
    if (r == 0 && a.all && cx_runtime(cx, RT_FULL, &rt, err) == 0 && rt_lock_gc(rt, err) < 0)
        r = -1;
    opt_free(&it);
    each_args_free(&a);
    return r < 0 ? -1 : 0;
}

#define RM_DESC "Removes containers, with their root file system, logs and generated\n" \
    "files. A running container is removed only with --force, which stops it\n" \
    "first; --force also passes over a container that does not exist, and\n" \
    "removes a root file system in the store that no container record names\n" \
    "(see ps --external) given its id. A container whose record is damaged\n" \
    "is removed too, with a warning naming the damage. A container whose\n" \
    "namespaces others join (--network container:NAME and the like) is not\n" \
    "removed while they exist, even with --force: --depend removes them\n" \
    "first, and --all removes every container, dependents first. Prints each name as\n" \
    "given (full ids with --all, --filter and --depend). Exit status 1 when\n" \
    "a container does not exist, 2 when one is running."
const struct cmd cmd_rm = {
    .name = "rm", .summary = "Remove one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = RM_DESC,
    .examples = "berth rm web\nberth rm -f -t 0 web\nberth rm --all --force",
    .opts = rm_opts, .fn = rm_fn, .need = RT_FULL,
};

/* ---- restart ---- */

static int restart_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct each_args *a = e->arg;

    if (a->running && ctr_state(c) != CS_RUNNING)
        return 0;
    if (ctr_restart(e->rt, c, a->time, err) < 0)
        return -1;
    return print_input(input);
}

static const struct cmd_opt restart_opts[] = {
    { "all", O_ALL, OPT_FLAG, NULL, "Restart all non-running containers", 0 },
    CIDFILE_OPT,
    { "filter", 'f', OPT_ARG, "strings", FILTER_HELP, 0 },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "running", O_RUNNING, OPT_FLAG, NULL, "Restart only running containers", 0 },
    { "time", O_TIME, OPT_ARG, "uint", "Seconds to wait for stop before killing the container (default 10)", 0 },
    { 0 }
};

static int restart_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return run_each(cx, argc, argv, restart_one, 0, 0, err);
}

#define RESTART_DESC "Stops (if running) and starts each container again."
const struct cmd cmd_restart = {
    .name = "restart", .summary = "Restart one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = RESTART_DESC,
    .examples = "berth restart web",
    .opts = restart_opts, .fn = restart_fn, .need = RT_FULL,
};

/* ---- init ---- */

static int init_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    if (ctr_init(e->rt, c, err) < 0)
        return -1;
    return print_input(input);
}

static const struct cmd_opt init_opts[] = {
    { "all", O_ALL, OPT_FLAG, NULL, "Initialize all containers", 0 },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { 0 }
};

static int init_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return run_each(cx, argc, argv, init_one, 0, 0, err);
}

#define INIT_DESC "Prepares containers without starting them: mounts the root file system,\n" \
    "writes the OCI spec and runs the runtime's create through conmon.\n" \
    "The container is then \"initialized\" and `start` only has to run it."
const struct cmd cmd_init = {
    .name = "init", .summary = "Initialize one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = INIT_DESC,
    .examples = "berth init web",
    .opts = init_opts, .fn = init_fn, .need = RT_FULL,
};
