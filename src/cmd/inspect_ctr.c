/*
 * cmd/inspect_ctr.c: berth container inspect, and the container part of
 * the top-level inspect (cmd/inspect.h). The container object is
 * runtime/ctr_inspect.c's; cmd/inspect.c prints it.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "cmd/inspect.h"
#include "runtime/container.h"
#include "runtime/ctr_view.h"
#include "util/cleanup.h"
#include "util/str.h"

int inspect_containers(struct runtime *rt, char **names, int n, const char *format, bool size,
                       bool quiet_missing, json_t *out_array, struct berr **err)
{
    struct berr *missing = NULL;

    for (int i = 0; i < n; i++) {
        _cleanup_ctr_ struct ctr *c = NULL;
        json_t *obj = NULL;
        struct berr *e = NULL;

        /* a damaged record too: State.Error says what is wrong */
        if (ctr_get_any(rt, names[i], &c, &e) < 0) {
            if (e->kind != BK_NO_SUCH) {
                berr_free(missing);
                *err = e;
                return -1;
            }
            berr_free(e);
            if (quiet_missing) {
                if (json_array_append_new(out_array, json_null()) < 0) {
                    berr_free(missing);
                    return berr_oom(err);
                }
            } else {
                e = NULL;
                berr_kind(&e, BK_NO_SUCH, "inspecting object: no such container %s", names[i]);
                cmd_err_next(&missing, e);
            }
            continue;
        }
        if (ctr_inspect_json(rt, c, size, &obj, err) < 0) {
            berr_free(missing);
            return -1;
        }
        if (!inspect_is_json(format))
            ctr_inspect_template_times(obj);
        if (json_array_append_new(out_array, obj) < 0) {
            berr_free(missing);
            return berr_oom(err);
        }
    }
    if (missing) {
        *err = missing;
        return -1;
    }
    return 0;
}

/* ---- container inspect ---- */

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
    cx->no_locale = true;      /* it prints records: no regex, glob or archive */
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
            : inspect_containers(rt, &lp, 1, format, size, false, arr, err);
    else
        r = inspect_containers(rt, it.args, it.nargs, format, size, false, arr, err);
    opt_free(&it);
    return inspect_print_then_fail(format, arr, r, err);
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
