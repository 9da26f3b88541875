/*
 * cmd/healthcheck.c: `healthcheck run` and the hidden `container
 * __health`, the health process of one container (runtime/health.c and
 * runtime/health_proc.c do the work).
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "runtime/container.h"
#include "runtime/health.h"
#include "util/cleanup.h"
#include "util/timefmt.h"

static const struct cmd_opt run_opts[] = { { 0 } };

/* Both commands take one container and no flags: 1 when --help was
 * printed, 0 with *rt ready and it->args[0] the container (free it). */
static int one_ctr(struct cmd_ctx *cx, int argc, char **argv, struct opt_it *it,
                   struct runtime **rt, struct berr **err)
{
    int r;

    cmd_opt_init(it, cx);
    r = opt_next(it, argc, argv, err);
    if (r == 0 && !it->help && it->nargs != 1)
        r = berr_msg(err, "accepts 1 arg(s), received %d", it->nargs);
    if (r < 0 || it->help || cx_runtime(cx, RT_FULL, rt, err) < 0) {
        opt_free(it);
        return r < 0 || !it->help ? -1 : 1;
    }
    return 0;
}

static int run_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    _cleanup_ctr_ struct ctr *c = NULL;
    struct opt_it it;
    struct runtime *rt;
    bool healthy = false;
    long long timeout = 0;
    int r = one_ctr(cx, argc, argv, &it, &rt, err);

    if (r != 0)
        return r < 0 ? -1 : 0;
    r = ctr_get(rt, it.args[0], &c, err);
    if (r < 0)
        berr_wrap(err, "unable to look up %s to perform a health check", it.args[0]);
    opt_free(&it);
    if (r < 0 || ctr_health_run(rt, c, &healthy, &timeout, err) < 0)
        return -1;
    if (healthy)
        return 0;
    if (timeout > 0) {
        /* podman's: an error (125), not "unhealthy" */
        char d[64];
        return berr_msg(err, "healthcheck command exceeded timeout of %s",
                        time_go_duration(timeout, d, sizeof(d)));
    }
    printf("unhealthy\n");
    return 1;
}

#define RUN_DESC "Runs the container's health check once, as its health process does at\n" \
    "each interval, and records the result (inspect's .State.Health). Exits 0\n" \
    "when the check passed; prints \"unhealthy\" and exits 1 when it failed. A check\n" \
    "that runs past --health-timeout is killed, logged with exit code -1, and fails\n" \
    "with podman's \"healthcheck command exceeded timeout\" (exit 125)."

const struct cmd cmd_healthcheck_run = { .name = "run", .summary = "Run the health check of a container",
    .usage = "CONTAINER", .description = RUN_DESC, .examples = "berth healthcheck run web",
    .opts = run_opts, .fn = run_fn, .need = RT_FULL, .group = CG_NONE };

static int loop_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    int r = one_ctr(cx, argc, argv, &it, &rt, err);

    if (r != 0)
        return r < 0 ? -1 : 0;
    r = ctr_health_loop(rt, it.args[0], err);
    opt_free(&it);
    return r;
}

const struct cmd cmd_container_health = { .name = "__health", .summary = "The health check process of a container",
    .usage = "CONTAINER",
    .description = "Started by berth with a container that has a health check; runs the\n"
                   "check at its interval until the container ends. Not for people.",
    .opts = run_opts, .fn = loop_fn, .need = RT_FULL, .flags = CMD_HIDDEN };
