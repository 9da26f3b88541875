/*
 * cmd/version.c: berth version. Needs no runtime.
 */
#include <sys/utsname.h>

#include "cmd/cmd.h"
#include "runtime/sysinfo.h"
#include "util/arch.h"
#include "util/cleanup.h"
#include "util/out.h"

enum { O_FORMAT = 'f' };

static const struct cmd_opt version_opts[] = {
    { "format", 'f', OPT_ARG, "string", "Change the output format to JSON or a Go template", 0 },
    { 0 }
};

static int version_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    const char *format = NULL;
    _cleanup_json_ json_t *v = NULL;
    char osarch[64];
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == O_FORMAT)
            format = it.arg;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;

    snprintf(osarch, sizeof(osarch), "linux/%s", arch_go());
    if (!format) {
        printf("Client:       berth\n"
               "Version:      %s\n"
               "API Version:  %s\n"
               "C Compiler:   %s\n"
               "Built:        %s\n"
               "OS/Arch:      %s\n",
               BERTH_VERSION, BERTH_VERSION, __VERSION__, rt_built_time, osarch);
        return 0;
    }
    /* Only a template needs the object (and the JSON code's pages). */
    v = json_pack("{s:o}", "Client", rt_version_info());
    if (!v)
        return berr_oom(err);
    if (out_is_json(format)) {
        /* podman's version prints json.Marshal's one line */
        _cleanup_free_ char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!s)
            return berr_oom(err);
        printf("%s\n", s);
        return 0;
    }
    if (out_one(stdout, format, v, NULL, err) == 0)
        return 0;
    /* As podman: a template that fails on the report is tried once more on
     * the client's part with ".Server." read as "." (docker's
     * '{{.Server.Version}}', podman 1's '{{.Version}}'); its error wins. */
    _cleanup_sbuf_ struct sbuf f2 = SBUF_INIT;
    struct berr *e2 = NULL;
    for (const char *s = format; *s;) {
        if (str_has_prefix(s, ".Server.")) {
            sbuf_addc(&f2, '.');
            s += 8;
        } else {
            sbuf_addc(&f2, *s++);
        }
    }
    if (f2.oom)
        return -1;
    if (out_one(stdout, sbuf_str(&f2), json_object_get(v, "Client"), NULL, &e2) < 0) {
        berr_free(*err);
        *err = e2;
        return -1;
    }
    berr_free(*err);
    *err = NULL;
    return 0;
}

const struct cmd cmd_version = {
    .name = "version",
    .summary = "Display the berth version information",
    .usage = "[options]",
    .description = "Prints the version of berth and how it was built.",
    .examples = "berth version\nberth version --format '{{.Client.Version}}'",
    .opts = version_opts, .fn = version_fn, .need = RT_NONE,
};
