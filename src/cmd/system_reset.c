/*
 * cmd/system_reset.c: system reset, podman 4.3.1's question and exit
 * codes over runtime/reset.c, which does the removing.
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "runtime/config.h"
#include "runtime/reset.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"

static const struct cmd_opt reset_opts[] = {
    { "force", 'f', OPT_FLAG, NULL, "Do not prompt for confirmation", 0 },
    { 0 }
};

/* podman's question on stdout; 1 yes, 0 no, -1 no answer (end of input). */
static int confirm(struct runtime *rt)
{
    struct berr *e = NULL;
    int r;

    printf("WARNING! This will remove:\n"
           "        - all containers\n"
           "        - all pods\n"
           "        - all images\n"
           "        - all networks\n"
           "        - all build cache\n"
           "        - all machines\n"
           "        - all volumes\n"
           "        - the graphRoot directory: \"%s\"\n"
           "        - the runRoot directory: \"%s\"\n"
           "Are you sure you want to continue? [y/N] ",
           rt->cfg->graph_root, rt->cfg->run_root);
    r = cmd_answer(&e);
    berr_free(e);       /* the caller says what an EOF means here */
    return r;
}

static int reset_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_strv_ strv problems = NULL;
    struct berr *last = NULL;
    bool force = false;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == 'f')
            force = it.bval;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    if (!force && (c = confirm(rt)) <= 0) {
        /* podman: EOF is an error (exit 1), "n" a quiet no */
        if (c < 0)
            return berr_new(err, 1, 0, "no answer on stdin (end of input): nothing was "
                            "removed; --force resets without asking");
        return 0;
    }
    if (rt_reset(rt, &problems, err) < 0)
        return -1;
    for (size_t i = 0; problems && problems[i]; i++) {
        struct berr *e = NULL;
        berr_new(&e, BERR_ENGINE, 0, "%s", problems[i]);
        cmd_err_next(&last, e);
    }
    if (last) {
        *err = last;
        return -1;
    }
    return 0;
}

const struct cmd cmd_system_reset = {
    .name = "reset",
    .summary = "Reset berth storage",
    .usage = "[options]",
    .description =
        "Removes every container (stopping running ones at once), pod, volume, network but the\n"
        "default one, and image, then deletes the graph root, run root, tmp dir, static dir and\n"
        "volume path with the paths recorded there, unmounting whatever was left mounted under\n"
        "them. The next command starts a fresh, empty store. Asks first unless --force: \"y\"\n"
        "resets, any other answer leaves everything (exit 0), no answer at all (stdin at its\n"
        "end) exits 1. An object that could not be removed is reported and the reset goes on\n"
        "(exit 125 then).",
    .examples = "berth system reset\nberth system reset -f",
    .opts = reset_opts, .fn = reset_fn, .need = RT_FULL,
};
