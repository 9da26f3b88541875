/*
 * cmd/clone.c: container clone, a new container configured as another
 * (runtime/ctr_clone.c). Resource flags are run's (cmd/resopts.c).
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/resopts.h"
#include "runtime/container.h"
#include "util/cleanup.h"

enum { C_DESTROY = 256, C_NAME, C_POD, C_RUN };

/* podman 4.3.1's set: run's resource flags without --device-*-iops */
static const struct cmd_opt clone_opts[] = {
    RESOPTS_BLKIO
    RESOPTS_CPU
    { "destroy", C_DESTROY, OPT_FLAG, NULL, "Remove the original container after cloning it", 0 },
    { "device-read-bps", R_DEVICE_READ_BPS, OPT_ARG, "strings", "Read rate limit of a block device: /dev/sda:1mb", 0 },
    { "device-write-bps", R_DEVICE_WRITE_BPS, OPT_ARG, "strings", "Write rate limit of a block device: /dev/sda:1mb", 0 },
    { "force", 'f', OPT_FLAG, NULL, "With --destroy, remove the original even if it is running", 0 },
    RESOPTS_MEMORY
    { "name", C_NAME, OPT_ARG, "string", "Name of the clone (default: NAME-clone, NAME-clone1...)", 0 },
    { "pod", C_POD, OPT_ARG, "string", "The pod (name or id) the clone joins (default: the original's)", 0 },
    { "run", C_RUN, OPT_FLAG, NULL, "Start the clone", 0 },
    { 0 }
};

static int clone_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct resopts ro;
    struct ctr_clone_opts o = { 0 };
    _cleanup_ctr_ struct ctr *c = NULL;
    struct runtime *rt;
    char id[STATE_ID_LEN + 1];
    int ch, r = -1;

    if (resopts_init(&ro, err) < 0)
        return -1;
    cmd_opt_init(&it, cx);
    while ((ch = opt_next(&it, argc, argv, err)) > 0) {
        switch (ch) {
        case C_DESTROY: o.destroy = it.bval; break;
        case 'f': o.force = it.bval; break;
        case C_NAME: o.name = it.arg; break;
        case C_POD: o.pod = it.arg; break;
        case C_RUN: o.run = it.bval; break;
        default:
            if (resopts_opt(&ro, &it, err) < 0)
                ch = -1;
        }
        if (ch < 0)
            break;
    }
    if (ch == 0 && !it.help && (it.nargs < 1 || it.nargs > 3))
        ch = cmd_usage_err(cx, err, "accepts between 1 and 3 arg(s), received %d", it.nargs);
    if (ch == 0 && !it.help && resopts_finish(&ro, err) < 0)
        ch = -1;
    if (ch < 0 || it.help) {
        resopts_free(&ro);
        opt_free(&it);
        return ch < 0 ? -1 : 0;
    }
    /* podman: the second operand names the clone (--name wins), the
     * third is the image to make it from */
    if (!o.name && it.nargs >= 2)
        o.name = it.args[1];
    o.image = it.nargs == 3 ? it.args[2] : NULL;
    o.resources = ro.res;
    if (cx_runtime(cx, RT_FULL, &rt, err) == 0 && ctr_get(rt, it.args[0], &c, err) == 0 &&
        ctr_clone(rt, c, &o, id, err) == 0) {
        printf("%s\n", id);
        r = 0;
    }
    resopts_free(&ro);
    opt_free(&it);
    return r;
}

const struct cmd cmd_container_clone = {
    .name = "clone",
    .summary = "Clone an existing container",
    .usage = "[options] CONTAINER [NAME [IMAGE]]",
    .description =
        "Creates a new container configured as CONTAINER was at its create: its\n"
        "command, environment, mounts and volumes, networks (without static\n"
        "addresses), published ports, log, restart and resource settings, from the\n"
        "same image or IMAGE, with the resource flags given merged over its limits.\n"
        "The clone is named NAME or --name, else CONTAINER-clone (then -clone1,\n"
        "-clone2...). --run starts it; --destroy then removes the original (-f even\n"
        "when it is running). --pod puts the clone in another pod, where it joins\n"
        "that pod's shared namespaces instead of its original pod's. Prints the\n"
        "clone's ID.",
    .examples = "berth container clone web\n"
                "berth container clone --name web2 -m 512m --run web\n"
                "berth container clone web web-next localhost/web:v2\n"
                "berth container clone --pod other web",
    .opts = clone_opts, .fn = clone_fn, .need = RT_FULL,
};
