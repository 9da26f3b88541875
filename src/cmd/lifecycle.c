/*
 * cmd/lifecycle.c: start, stop, kill, restart, rm, init, rename, wait,
 * container exists, container cleanup.
 */
#include <signal.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "runtime/container.h"
#include "runtime/ctr_mounts.h"
#include "runtime/renumber.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/js.h"

enum { O_TIME = 't', O_ALL = 'a', O_LATEST = 'l', O_IGNORE = 'i', O_FORCE = 'f',
       O_SIGNAL = 's', O_VOLUMES = 'v', O_CONDITION = 256, O_INTERVAL, O_RM, O_RUNNING,
       O_START_ALL, O_DETACH_KEYS, O_SIG_PROXY };

/* Parses flags for the multi-container commands; returns 1 after --help. */
struct each_args {
    bool all, latest, ignore, force, volumes, running, attach, interactive, sig_proxy;
    const char *detach_keys;
    long long time;             /* -1: the container's stop timeout */
    int signal;
    char **names;
    int n;
};

static int parse_each(struct cmd_ctx *cx, int argc, char **argv, struct each_args *a,
                      struct opt_it *it, struct berr **err)
{
    int c;

    a->time = -1;
    a->signal = SIGKILL;
    cmd_opt_init(it, cx);
    while ((c = opt_next(it, argc, argv, err)) > 0) {
        unsigned long long u;
        switch (c) {
        /* -a is --all for most commands, --attach for start */
        case O_ALL:
            if (strcmp(it->opt->name, "attach") == 0)
                a->attach = it->bval;
            else
                a->all = it->bval;
            break;
        case O_START_ALL: a->all = it->bval; break;
        case O_LATEST: a->latest = it->bval; break;
        case O_IGNORE:      /* -i: --ignore, or start's --interactive */
            if (strcmp(it->opt->name, "interactive") == 0)
                a->interactive = it->bval;
            else
                a->ignore = it->bval;
            break;
        case O_FORCE: a->force = it->bval; break;
        case O_VOLUMES: a->volumes = it->bval; break;
        case O_RUNNING: a->running = it->bval; break;
        case O_DETACH_KEYS: a->detach_keys = it->arg; break;
        case O_SIG_PROXY: a->sig_proxy = it->bval; break;
        case O_TIME:
            if (opt_uint(it, &u, err) < 0)
                return -1;
            a->time = (long long) u;
            break;
        case O_SIGNAL:
            a->signal = spec_signal_parse(it->arg);
            if (a->signal <= 0 || a->signal >= 65)
                return berr_msg(err, "invalid signal: %s", it->arg);
            break;
        }
    }
    if (c < 0)
        return -1;
    if (it->help)
        return 1;
    a->names = it->args;
    a->n = it->nargs;
    if ((a->all || a->latest) && a->n > 0)
        return berr_msg(err, "--all, --latest and containers cannot be used together");
    if (!a->all && !a->latest && a->n == 0)
        return berr_msg(err, "you must provide at least one container name or id");
    return 0;
}

static int print_input(const char *input)
{
    printf("%s\n", input);
    return 0;
}

/* Runs one() over the containers of parsed args. Exit codes per failure
 * kind: rm's 1 and 2; 0 means 125. */
static int each_parsed(struct cmd_ctx *cx, struct each_args *a,
                       int (*one)(struct ctr_each *, struct ctr *, const char *, struct berr **),
                       int code_no_such, int code_state, struct berr **err)
{
    struct runtime *rt;
    struct ctr_each e = { .all = a->all, .latest = a->latest, .ignore = a->ignore, .fn = one,
                          .arg = a, .code_no_such = code_no_such, .code_state = code_state };

    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    e.rt = rt;
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
    return r < 0 ? -1 : 0;
}

/* ---- start ---- */

static int start_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    if (ctr_state(c) != CS_RUNNING && ctr_start(e->rt, c, err) < 0) {
        /* start's own failures are engine errors (podman: 125) */
        if (*err)
            (*err)->exit_code = BERR_ENGINE;
        return -1;
    }
    return print_input(input);
}

static const struct cmd_opt start_opts[] = {
    { "all", O_START_ALL, OPT_FLAG, NULL, "Start all containers regardless of their state or configuration", 0 },
    { "attach", 'a', OPT_FLAG, NULL, "Attach container's STDOUT and STDERR", 0 },
    { "detach-keys", O_DETACH_KEYS, OPT_ARG, "string", "Select the key sequence for detaching a container (default \"ctrl-p,ctrl-q\")", 0 },
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
    return code;
}

static int start_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct each_args a = { .sig_proxy = true };
    struct runtime *rt;
    int r = parse_each(cx, argc, argv, &a, &it, err);

    if (r == 1)         /* --help was printed */
        r = 0;
    else if (r == 0 && a.attach)    /* one container, whose exit code becomes ours */
        r = cx_runtime(cx, RT_FULL, &rt, err) < 0 ? -1 : start_attached(rt, &a, err);
    else if (r == 0)
        r = each_parsed(cx, &a, start_one, 0, 0, err);
    opt_free(&it);
    return r;
}

#define CTR_CMD(var, nm, al, sum, use, desc, ex, o, f) \
    const struct cmd var = { .name = nm, .aliases = al, .summary = sum, .usage = use, \
                             .description = desc, .examples = ex, .opts = o, .fn = f, \
                             .need = RT_FULL }

#define START_DESC "Starts one or more containers that were created or have stopped.\n" \
    "A running container is skipped silently. Prints each name as given."
CTR_CMD(cmd_start, "start", NULL, "Start one or more containers", "[options] CONTAINER [CONTAINER...]",
        START_DESC, "berth start web\nberth start --latest", start_opts, start_fn);
CTR_CMD(cmd_container_start, "start", NULL, "Start one or more containers",
        "[options] CONTAINER [CONTAINER...]", START_DESC, "berth container start web", start_opts,
        start_fn);

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
    { "ignore", O_IGNORE, OPT_FLAG, NULL, "Ignore errors when a specified container is missing", 0 },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "time", O_TIME, OPT_ARG, "uint", "Seconds to wait for stop before killing the container (default 10)", 0 },
    { 0 }
};

static int stop_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return run_each(cx, argc, argv, stop_one, 0, 0, err);
}

#define STOP_DESC "Stops running containers: sends the stop signal (SIGTERM unless the\n" \
    "container says otherwise), waits up to --time seconds, then sends SIGKILL.\n" \
    "Stopping a container that is not running succeeds and prints its name."
CTR_CMD(cmd_stop, "stop", NULL, "Stop one or more containers", "[options] CONTAINER [CONTAINER...]",
        STOP_DESC, "berth stop web\nberth stop -t 0 --all", stop_opts, stop_fn);
CTR_CMD(cmd_container_stop, "stop", NULL, "Stop one or more containers",
        "[options] CONTAINER [CONTAINER...]", STOP_DESC, "berth container stop web", stop_opts,
        stop_fn);

/* ---- kill ---- */

static int kill_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct each_args *a = e->arg;

    if (ctr_kill(e->rt, c, a->signal, err) < 0)
        return -1;
    return print_input(input);
}

static const struct cmd_opt kill_opts[] = {
    { "all", O_ALL, OPT_FLAG, NULL, "Signal all running containers", 0 },
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
CTR_CMD(cmd_kill, "kill", NULL, "Kill one or more running containers with a specific signal",
        "[options] CONTAINER [CONTAINER...]", KILL_DESC, "berth kill web\nberth kill -s HUP web",
        kill_opts, kill_fn);
CTR_CMD(cmd_container_kill, "kill", NULL, "Kill one or more running containers with a specific signal",
        "[options] CONTAINER [CONTAINER...]", KILL_DESC, "berth container kill web", kill_opts,
        kill_fn);

/* ---- rm ---- */

static int rm_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct each_args *a = e->arg;

    (void) input;
    if (ctr_remove_flags(e->rt, c, a->force, a->time, a->volumes ? CTR_RM_VOLUMES : 0, err) < 0)
        return -1;
    /* podman prints the full id of each removed container */
    printf("%s\n", c->id);
    return 0;
}

static const struct cmd_opt rm_opts[] = {
    { "all", O_ALL, OPT_FLAG, NULL, "Remove all containers", 0 },
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

    /* podman: no such container -> 1, running without -f -> 2 */
    if (r == 0)
        r = each_parsed(cx, &a, rm_one, 1, 2, err);
    /* --all also frees locks a killed create left without an owner */
    if (r == 0 && a.all && cx_runtime(cx, RT_FULL, &rt, err) == 0 && rt_lock_gc(rt, err) < 0)
        r = -1;
    opt_free(&it);
    return r < 0 ? -1 : 0;
}

#define RM_DESC "Removes containers, with their root file system, logs and generated\n" \
    "files. A running container is removed only with --force, which stops it\n" \
    "first. Exit status 1 when a container does not exist, 2 when one is running."
CTR_CMD(cmd_rm, "rm", NULL, "Remove one or more containers", "[options] CONTAINER [CONTAINER...]",
        RM_DESC, "berth rm web\nberth rm -f -t 0 web\nberth rm --all --force", rm_opts, rm_fn);
CTR_CMD(cmd_container_rm, "rm", "remove", "Remove one or more containers",
        "[options] CONTAINER [CONTAINER...]", RM_DESC, "berth container rm web", rm_opts, rm_fn);

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
CTR_CMD(cmd_restart, "restart", NULL, "Restart one or more containers",
        "[options] CONTAINER [CONTAINER...]", RESTART_DESC, "berth restart web", restart_opts,
        restart_fn);
CTR_CMD(cmd_container_restart, "restart", NULL, "Restart one or more containers",
        "[options] CONTAINER [CONTAINER...]", RESTART_DESC, "berth container restart web",
        restart_opts, restart_fn);

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
CTR_CMD(cmd_init, "init", NULL, "Initialize one or more containers", "[options] CONTAINER [CONTAINER...]",
        INIT_DESC, "berth init web", init_opts, init_fn);
CTR_CMD(cmd_container_init, "init", NULL, "Initialize one or more containers",
        "[options] CONTAINER [CONTAINER...]", INIT_DESC, "berth container init web", init_opts,
        init_fn);
