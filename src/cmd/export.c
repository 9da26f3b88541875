/*
 * cmd/export.c: export, a container's root file system as a tar archive
 * (runtime/ctr_cp.c writes it).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "runtime/container.h"
#include "util/cleanup.h"

enum { E_OUTPUT = 'o' };

static const struct cmd_opt export_opts[] = {
    { "output", E_OUTPUT, OPT_ARG, "string", "Write to a specified file (default: stdout, which must be redirected)", 0 },
    { 0 }
};

static int export_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    _cleanup_ctr_ struct ctr *c = NULL;
    _cleanup_close_ int fd = -1;
    const char *output = NULL;
    int ch, r = -1;

    cmd_opt_init(&it, cx);
    while ((ch = opt_next(&it, argc, argv, err)) > 0)
        if (ch == E_OUTPUT)
            output = it.arg;
    if (ch == 0 && !it.help && it.nargs != 1)
        ch = cmd_usage_err(cx, err, "accepts 1 arg(s), received %d", it.nargs);
    if (ch == 0 && !it.help && !output && isatty(STDOUT_FILENO))
        ch = berr_msg(err, "refusing to export to terminal. Use -o flag or redirect");
    if (ch < 0 || it.help) {
        opt_free(&it);
        return ch < 0 ? -1 : 0;
    }
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || ctr_get(rt, it.args[0], &c, err) < 0)
        goto out;
    if (output && (fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
        berr_sys(err, "creating file \"%s\": open %s", output, output);
        goto out;
    }
    r = ctr_export(rt, c, output ? fd : STDOUT_FILENO, err);
out:
    opt_free(&it);
    return r;
}

#define EXPORT_DESC "Exports the container's root file system, as its processes would see it\n" \
    "without its volumes and bind mounts, as a tar archive: to the file named by\n" \
    "-o, or to stdout when that is not a terminal. The container may be running\n" \
    "or not; its root is mounted for the export and unmounted after. Symlinks,\n" \
    "hard links, devices, owners, modes and times are kept; `berth import` or\n" \
    "`podman import` makes an image of it."

const struct cmd cmd_export = { .name = "export", .summary = "Export container's filesystem contents as a tar archive",
    .usage = "[options] CONTAINER", .description = EXPORT_DESC,
    .examples = "berth export ctrID > myCtr.tar\nberth export --output=myCtr.tar ctrID",
    .opts = export_opts, .fn = export_fn, .need = RT_FULL };
