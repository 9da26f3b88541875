/*
 * cmd/boot.c: `system boot`, the one-shot start of the containers that
 * should run after a reboot (runtime/ctr_lifecycle.c decides which and
 * starts them). There is no daemon to remember them: the restart
 * policies in the records are the memory, and the unit or init script
 * `make install` puts in place runs this once at boot.
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "runtime/container.h"

static const struct cmd_opt boot_opts[] = { { 0 } };

static int boot_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    (void) input;
    if (!ctr_boot_wanted(c))
        return 0;
    if (ctr_start(e->rt, c, err) < 0) {
        if (*err)
            (*err)->exit_code = BERR_ENGINE;
        return -1;
    }
    printf("%s\n", ctr_name(c));
    return 0;
}

static int boot_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        ;
    c = cmd_opt_done_noargs(cx, &it, c, err);
    if (c != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    struct ctr_each e = { .rt = rt, .all = true, .ignore = true, .fn = boot_one };
    return ctr_each_run(&e, NULL, 0, err) < 0 ? -1 : 0;
}

#define BOOT_DESC "Starts, once, every container that should run after a reboot: those\n" \
    "with the restart policy always, and those with unless-stopped that the\n" \
    "user did not stop (stop or kill) before. Prints the name of each one it\n" \
    "starts. The first berth command after a reboot resets the state (see\n" \
    "system refresh); this command then brings the containers back. `make\n" \
    "install` installs a systemd unit (berth-boot.service) and a plain init\n" \
    "script (/etc/init.d/berth-boot) that run it at boot. podman's way,\n" \
    "`berth start --all --filter restart-policy=always`, works too."

const struct cmd cmd_system_boot = {
    .name = "boot", .summary = "Start the containers that should run after a reboot",
    .usage = "", .description = BOOT_DESC, .examples = "berth system boot",
    .opts = boot_opts, .fn = boot_fn, .need = RT_FULL,
};
