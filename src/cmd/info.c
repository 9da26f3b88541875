/*
 * cmd/info.c: berth info (also system info). The facts are
 * runtime/sysinfo.c's; this file prints them as podman's YAML or JSON.
 */
#include "cmd/cmd.h"
#include "runtime/runtime.h"
#include "runtime/sysinfo.h"
#include "util/cleanup.h"
#include "util/out.h"
#include "util/yaml.h"

static const struct cmd_opt info_opts[] = {
    { "format", 'f', OPT_ARG, "string", "Change the output format to JSON or a Go template", 0 },
    { 0 }
};

/* Go field names whose JSON key is spelled otherwise */
static const struct tmpl_alias info_aliases[] = {
    { "CgroupsVersion", "cgroupVersion" },
    { 0 }
};

static int info_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    const char *format = NULL;
    struct runtime *rt;
    _cleanup_json_ json_t *info = NULL;
    _cleanup_sbuf_ struct sbuf y = SBUF_INIT;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == 'f')
            format = it.arg;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    if (rt_info(rt, &info, err) < 0)
        return -1;
    if (format && *format)
        return out_one(stdout, format, info, info_aliases, err);
    if (yaml_render(info, &y) < 0)
        return berr_oom(err);
    fputs(sbuf_str(&y), stdout);
    return 0;
}

const struct cmd cmd_info = {
    .name = "info",
    .summary = "Display berth system information",
    .usage = "[options]",
    .description =
        "Shows the host (kernel, cgroups, conmon and OCI runtime with their\n"
        "versions and the packages they came from, events backend, log driver),\n"
        "the store (graph root, run root, driver with its status and options,\n"
        "container and image counts, the config file that set it) and the config\n"
        "files that were read, in order. The keys are podman's; templates name\n"
        "them as podman's do ('{{.Store.GraphOptions}}', '{{.Host.Conmon.Package}}').",
    .examples = "berth info\nberth info --format json\n"
                "berth info --format '{{.Host.Kernel}}'",
    .opts = info_opts, .fn = info_fn, .need = RT_FULL,
};
