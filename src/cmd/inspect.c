/*
 * cmd/inspect.c: berth container inspect (the container part lives in
 * inspect_ctr.c so the top-level `inspect` can share it).
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "cmd/inspect_ctr.h"
#include "runtime/container.h"
#include "util/cleanup.h"

static const struct cmd_opt cinspect_opts[] = {
    { "format", 'f', OPT_ARG, "string", "Format the output to a Go template or json (default \"json\")", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "size", 's', OPT_FLAG, NULL, "Display total file size", 0 },
    { 0 }
};

static int cinspect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    const char *format = NULL;
    bool latest = false, size = false;
    _cleanup_json_ json_t *arr = NULL;
    char latest_id[STATE_ID_LEN + 1], *lp = latest_id;
    int c, r;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'f': format = it.arg; break;
        case 'l': latest = it.bval; break;
        case 's': size = it.bval; break;
        }
    }
    if (c == 0 && !it.help && !latest && it.nargs == 0)
        c = berr_msg(err, "%s requires a name, id, or the \"--latest\" flag", cx->path);
    if (c == 0 && !it.help && latest && it.nargs > 0)
        c = berr_msg(err, "--latest and containers cannot be used together");
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    arr = json_array();
    if (!arr) {
        opt_free(&it);
        return berr_oom(err);
    }
    if (latest)
        r = ctr_latest(rt, latest_id, err) < 0 ? -1
            : inspect_containers(cx, rt, &lp, 1, format, size, false, arr, err);
    else
        r = inspect_containers(cx, rt, it.args, it.nargs, format, size, false, arr, err);
    opt_free(&it);
    /* podman prints what it found, then fails for what it did not */
    if (r == 0 || (*err && (*err)->kind == BK_NO_SUCH)) {
        struct berr *pe = NULL;
        if (inspect_print(stdout, format, arr, &pe) < 0) {
            berr_free(*err);
            *err = pe;
            return -1;
        }
    }
    return r;
}

const struct cmd cmd_container_inspect = {
    .name = "inspect", .summary = "Display the configuration of a container",
    .usage = "[options] CONTAINER [CONTAINER...]",
    .description = "Displays the low-level information on a container identified by name or ID,\n"
                   "in podman's JSON shape (State, Config, HostConfig, GraphDriver, ...).\n"
                   "--format takes a Go template over the same fields, e.g.\n"
                   "'{{.State.Status}}' or '{{json .Config.Cmd}}'; times in templates read\n"
                   "as Go prints them. -s adds SizeRw and SizeRootFs.",
    .examples = "berth container inspect web\n"
                "berth container inspect -l --format '{{.Id}} {{.Config.Labels}}'\n"
                "berth container inspect --size --format '{{.SizeRw}}' web",
    .opts = cinspect_opts, .fn = cinspect_fn, .need = RT_FULL,
};
