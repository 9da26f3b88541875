/*
 * cmd/ctr_misc.c: wait, rename, container exists and container cleanup
 * (conmon's exit command). Waiting, renaming and the cleanup are
 * runtime/ctr_lifecycle.c's; exists is runtime/ctr_get.c's.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "runtime/container.h"
#include "runtime/ctr_mounts.h"
#include "runtime/health.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

enum { O_CONDITION = 256, O_INTERVAL, O_RM, O_EXEC, O_EXTERNAL, O_LATEST = 'l', O_ALL = 'a' };

/* podman's state names for --condition */
static int condition_mask(const char *s, unsigned *mask)
{
    static const struct { const char *n; int s; } map[] = {
        { "configured", CS_CONFIGURED }, { "created", CS_CONFIGURED },
        { "initialized", CS_CREATED }, { "running", CS_RUNNING }, { "paused", CS_PAUSED },
        { "stopped", CS_STOPPED }, { "exited", CS_EXITED }, { "removing", CS_REMOVING },
        { "stopping", CS_STOPPING },
    };
    for (size_t i = 0; i < ARRAY_SIZE(map); i++)
        if (strcmp(map[i].n, s) == 0) {
            *mask |= 1u << map[i].s;
            /* "stopped" also counts a container already cleaned up */
            if (map[i].s == CS_STOPPED)
                *mask |= 1u << CS_EXITED;
            return 0;
        }
    return -1;
}

static const struct cmd_opt wait_opts[] = {
    { "condition", O_CONDITION, OPT_ARG, "stringArray", "Condition to wait on: a state, or healthy or unhealthy (default \"stopped\")", 0 },
    { "interval", 'i', OPT_ARG, "string", "Time interval to wait before polling for completion (accepted for podman compatibility; berth polls adaptively)", 0 },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { 0 }
};

static int wait_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    unsigned mask = 0;
    bool latest = false;
    const char *health = NULL;  /* --condition healthy|unhealthy (podman 4.4) */
    int c, r = 0;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == O_CONDITION && (str_eq(it.arg, "healthy") || str_eq(it.arg, "unhealthy"))) {
            health = it.arg;
            continue;
        }
        if (c == O_CONDITION && condition_mask(it.arg, &mask) < 0) {
            c = berr_kind(err, BK_INVALID, "unknown container state: %s", it.arg);
            break;
        }
        /* podman: a Go duration, else milliseconds ("5" is 5ms) */
        if (c == 'i') {
            _cleanup_free_ char *ms = str_fmt("%sms", it.arg);
            long long ns;
            if (go_duration_parse(it.arg, &ns) < 0 && (!ms || go_duration_parse(ms, &ns) < 0)) {
                c = berr_msg(err, "time: invalid duration \"%s\"", it.arg);
                break;
            }
        }
        if (c == O_LATEST)
            latest = it.bval;
    }
    if (c == 0 && !it.help && !latest && it.nargs == 0)
        c = berr_msg(err, "\"%s\" requires a name, id, or the \"--latest\" flag", cx->path);
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    if (health && mask) {
        opt_free(&it);
        return berr_msg(err, "--condition healthy or unhealthy cannot be combined with a state");
    }
    if (!mask)
        condition_mask("stopped", &mask);
    /* podman looks every name up before it waits for any: a missing one
     * fails the command at once (an --rm container's exit code, kept by
     * its full id, counts as found) */
    for (int i = 0; !latest && it.nargs > 1 && i < it.nargs; i++) {
        const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;
        char id[STATE_ID_LEN + 1];
        struct berr *e = NULL;
        int code;

        if (state_lookup(rt->st, OBJ_CONTAINER, it.args[i], ns, id, err) == 0)
            continue;
        if ((*err)->kind == BK_NO_SUCH && !health &&
            state_exit_code_get(rt->st, it.args[i], &code, &e) == 0) {
            berr_freep(err);
            continue;
        }
        berr_free(e);
        if ((*err)->kind == BK_NO_SUCH) {
            opt_free(&it);
            return -1;
        }
        berr_freep(err);
    }
    for (int i = 0; i < (latest ? 1 : it.nargs); i++) {
        char id[STATE_ID_LEN + 1];
        struct berr *e = NULL;
        int code;
        const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;

        code = -1;      /* podman's for a condition other than an exit */
        /* an --rm container removed before we looked: its full id still
         * finds its exit code (as ctr_wait finds one removed meanwhile) */
        if (!latest && !health &&
            !state_exists(rt->st, OBJ_CONTAINER, it.args[i]) &&
            state_exit_code_get(rt->st, it.args[i], &code, &e) == 0) {
            printf("%d\n", code);
            fflush(stdout);
            continue;
        }
        berr_freep(&e);
        code = -1;
        if ((latest ? ctr_latest(rt, id, &e) : state_lookup(rt->st, OBJ_CONTAINER, it.args[i], ns, id, &e)) < 0 ||
            (health ? ctr_health_wait(rt, id, health, false, &e)
                    : ctr_wait(rt, id, mask, -1, 0, &code, &e)) < 0) {
            cmd_err_next(err, e);
            r = -1;
            continue;
        }
        printf("%d\n", code);
        fflush(stdout);
    }
    opt_free(&it);
    return r;
}

#define WAIT_DESC "Blocks until each container reaches a condition (by default: it has\n" \
    "stopped) and prints its exit code. The exit code of a container removed by\n" \
    "--rm is still reported: while waiting, or when given by its full ID."
const struct cmd cmd_wait = { .name = "wait", .summary = "Block on one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = WAIT_DESC,
    .examples = "berth wait web\nberth wait --condition running web", .opts = wait_opts,
    .fn = wait_fn, .need = RT_FULL };

static int rename_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    _cleanup_ctr_ struct ctr *ct = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        ;
    if (c == 0 && !it.help && it.nargs != 2)
        c = cmd_usage_err(cx, err, "accepts 2 arg(s), received %d", it.nargs);
    if (c < 0 || it.help) {
        opt_free(&it);
        return c;
    }
    c = cx_runtime(cx, RT_FULL, &rt, err) < 0 || ctr_get(rt, it.args[0], &ct, err) < 0 ||
        ctr_rename(rt, ct, it.args[1], err) < 0 ? -1 : 0;
    opt_free(&it);
    return c;
}

#define RENAME_DESC "Gives a container a new name. The old name is free again afterwards."
const struct cmd cmd_rename = { .name = "rename", .summary = "Rename an existing container",
    .usage = "CONTAINER NAME", .description = RENAME_DESC, .examples = "berth rename web web-old",
    .fn = rename_fn, .need = RT_FULL };

static const struct cmd_opt exists_opts[] = {
    { "external", O_EXTERNAL, OPT_FLAG, NULL, "Check external storage containers as well as berth containers", 0 },
    { 0 }
};

static int exists_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    bool external = false, exists = false;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == O_EXTERNAL)
            external = it.bval;
    if (c == 0 && !it.help && it.nargs != 1)
        c = cmd_usage_err(cx, err, "accepts 1 arg(s), received %d", it.nargs);
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    c = ctr_exists(rt, it.args[0], external, &exists, err);
    opt_free(&it);
    return c < 0 ? -1 : exists ? 0 : 1;
}

const struct cmd cmd_container_exists = { .name = "exists", .summary = "Check if a container exists in local storage",
    .usage = "[options] CONTAINER",
    .description = "Exits 0 when the container exists, 1 when it does not, 125 on other errors.\n"
                   "--external also counts a root file system in storage that no berth\n"
                   "container owns (made by another tool, or left by a killed create).",
    .examples = "berth container exists web", .opts = exists_opts, .fn = exists_fn,
    .need = RT_FULL };

/* ---- container cleanup (conmon's exit command) ---- */

static const struct cmd_opt cleanup_opts[] = {
    { "all", O_ALL, OPT_FLAG, NULL, "Cleans up all containers", 0 },
    { "exec", O_EXEC, OPT_ARG, "string", "Clean up the given exec session instead of the container", OPT_HIDDEN },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "rm", O_RM, OPT_FLAG, NULL, "After cleanup, remove the container entirely", 0 },
    { 0 }
};

struct cleanup_args {
    bool rm;
    const char *exec;           /* --exec SESSION */
};

static int cleanup_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct cleanup_args *a = e->arg;
    bool rm = a->rm;
    int st = ctr_state(c);

    if (a->exec)
        return ctr_exec_cleanup(e->rt, c, a->exec, err);
    /* Already cleaned up by a stop or rm: nothing to do. */
    if (st == CS_RUNNING || st == CS_PAUSED)
        return 0;
    /* --rm of an exited container that stays exited: the removal cleans
     * it up on its way (one state write where a cleanup first made three).
     * A removal refused before it cleaned (containers that depend on
     * this one) leaves it exited: then the cleanup runs as without --rm,
     * and the removal is tried again below for its error. */
    if (rm && (st == CS_STOPPED || st == CS_EXITED) && !ctr_restart_due(c)) {
        struct berr *re = NULL;
        if (ctr_remove_flags(e->rt, c, false, 0, CTR_RM_VOLUMES, &re) == 0) {
            printf("%s\n", input ? input : c->id);   /* podman: as typed */
            return 0;
        }
        st = ctr_state(c);
        if (st != CS_STOPPED && st != CS_EXITED) {
            *err = re;
            return -1;
        }
        berr_free(re);
    }
    if (ctr_cleanup(e->rt, c, err) < 0)
        return -1;
    /* --rm: remove, unless the restart policy just started it again */
    if (rm && ctr_state(c) != CS_RUNNING &&
        ctr_remove_flags(e->rt, c, false, 0, CTR_RM_VOLUMES, err) < 0)
        return -1;
    printf("%s\n", input ? input : c->id);
    return 0;
}

static int cleanup_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct cleanup_args a = { 0 };
    bool all = false, latest = false;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == O_RM)
            a.rm = it.bval;
        else if (c == O_ALL)
            all = it.bval;
        else if (c == O_LATEST)
            latest = it.bval;
        else if (c == O_EXEC)
            a.exec = it.arg;
    }
    if (c == 0 && !it.help && !all && !latest && it.nargs == 0)
        c = berr_msg(err, "you must provide at least one container name or id");
    if (c == 0 && !it.help && a.exec && (all || latest || it.nargs != 1))
        c = berr_msg(err, "--exec and --all, --latest or more than one container cannot be used together");
    if (c == 0 && !it.help && cx_runtime(cx, RT_FULL, &rt, err) == 0) {
        /* A container already removed (by rm, or a foreground run --rm) is fine. */
        struct ctr_each e = { .rt = rt, .all = all, .latest = latest, .ignore = true,
                              .fn = cleanup_one, .arg = &a };
        /* --rm: the exit is written with the removal (cleanup_one) */
        rt->removal_next = a.rm && !a.exec;
        c = ctr_each_run(&e, it.args, it.nargs, err);
        if (c < 0 && *err)
            log_error("Running container cleanup: %s", (*err)->msg);
    } else if (c == 0 && !it.help) {
        c = -1;
    }
    opt_free(&it);
    return c < 0 ? -1 : 0;
}

const struct cmd cmd_container_cleanup = { .name = "cleanup", .summary = "Clean up network and mountpoints of one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]",
    .description = "conmon runs this when a container's process exits: it records the exit,\n"
                   "tears down networking, unmounts the root file system and, with --rm,\n"
                   "removes the container. It can also be run by hand.",
    .examples = "berth container cleanup web", .opts = cleanup_opts, .fn = cleanup_fn,
    .need = RT_FULL };
