/*
 * cmd/update.c: update, new resource limits for a container
 * (runtime/ctr_update.c). The flags and their checks are run's
 * (cmd/resopts.c).
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/resopts.h"
#include "runtime/container.h"
#include "util/cleanup.h"

static const struct cmd_opt update_opts[] = {
    RESOPTS_BLKIO
    RESOPTS_CPU
    RESOPTS_DEVICE_IO
    RESOPTS_MEMORY
    { 0 }
};

static int update_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct resopts ro;
    _cleanup_ctr_ struct ctr *c = NULL;
    struct runtime *rt;
    int ch, r = -1;

    if (resopts_init(&ro, err) < 0)
        return -1;
    ro.update = true;
    cmd_opt_init(&it, cx);
    while ((ch = opt_next(&it, argc, argv, err)) > 0)
        if (resopts_opt(&ro, &it, err) < 0) {
            ch = -1;
            break;
        }
    if (ch == 0 && !it.help && it.nargs != 1)
        ch = cmd_usage_err(cx, err, "accepts 1 arg(s), received %d", it.nargs);
    if (ch == 0 && !it.help && resopts_finish(&ro, err) < 0)
        ch = -1;
    if (ch < 0 || it.help) {
        resopts_free(&ro);
        opt_free(&it);
        return ch < 0 ? -1 : 0;
    }
    if (cx_runtime(cx, RT_FULL, &rt, err) == 0 && ctr_get(rt, it.args[0], &c, err) == 0 &&
        ctr_update(rt, c, ro.res, err) == 0) {
        printf("%s\n", c->id);
        r = 0;
    }
    resopts_free(&ro);
    opt_free(&it);
    return r;
}

const struct cmd cmd_update = {
    .name = "update",
    .summary = "Update an existing container's resource limits",
    .usage = "[options] CONTAINER",
    .description =
        "Changes the cgroup limits of a container: the flags are run's and are\n"
        "checked the same way. The new limits are merged into the container's\n"
        "configuration (inspect's HostConfig shows them; every later start applies\n"
        "them) and a created, running or paused container gets them at once through\n"
        "the OCI runtime's update. A container that is not running is updated in\n"
        "its configuration only (podman 4.3.1 refuses it). Prints the container ID.",
    .examples = "berth update --cpus 0.5 web\n"
                "berth update --memory 256m --memory-swap 512m web",
    .opts = update_opts, .fn = update_fn, .need = RT_FULL,
};
