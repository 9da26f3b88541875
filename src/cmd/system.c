/*
 * cmd/system.c: system refresh, renumber, locks and migrate. The work is
 * runtime/refresh.c's (refresh), runtime/renumber.c's (renumber, and the
 * lock owners that locks lists) and runtime/migrate.c's (migrate).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/migrate.h"
#include "runtime/refresh.h"
#include "runtime/renumber.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/out.h"

/* Parses a command that takes no flags of its own and no operands. */
static int no_args(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        ;
    return cmd_opt_done_noargs(cx, &it, c, err);
}

static int refresh_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    char boot[64];
    int r = no_args(cx, argc, argv, err);

    if (r != 0)
        return r < 0 ? -1 : 0;
    /* Runtime init itself refreshes when the boot id changed. */
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    if (rt->refreshed)
        return 0;
    if (rt_boot_id(boot, sizeof(boot), err) < 0)
        return -1;
    return berr_msg(err, "refresh refused: the state was already refreshed for this boot (boot id %s); "
                    "containers may be running, and resetting their state would lose them. "
                    "berth refreshes by itself after a reboot", boot);
}

const struct cmd cmd_system_refresh = {
    .name = "refresh",
    .summary = "Reset container state after a reboot",
    .usage = "",
    .description =
        "Resets the runtime state of every container, pod and volume, re-creates their locks\n"
        "and per-boot directories, and writes a refresh event. berth does this by itself on the\n"
        "first command after a reboot: it keeps the boot id in the tmp dir's alive file and\n"
        "compares it with the kernel's. This command runs the same check and refuses to reset\n"
        "anything when the boot id has not changed, so it is always safe to run.\n"
        "\n"
        "After a refresh, an exited container stays exited, a stopped one becomes exited (its\n"
        "exit code and times are kept), and every other container becomes created.",
    .examples = "berth system refresh",
    .fn = refresh_fn,
    .need = RT_FULL,
};

static int renumber_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    int r = no_args(cx, argc, argv, err);

    if (r != 0)
        return r < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    return rt_renumber(rt, err);
}

const struct cmd cmd_system_renumber = {
    .name = "renumber",
    .summary = "Migrate lock numbers",
    .usage = "",
    .description =
        "Frees every lock and gives each container, pod and volume a new one, numbered from 0\n"
        "without gaps. Run it while no other berth command is working on these objects.",
    .examples = "berth system renumber",
    .fn = renumber_fn,
    .need = RT_FULL,
};

enum { O_FORMAT = 256, O_NOHEADING, O_NEW_RUNTIME };

static const struct cmd_opt locks_opts[] = {
    { "format", O_FORMAT, OPT_ARG, "string", "Pretty-print locks to JSON or using a Go template", 0 },
    { "noheading", O_NOHEADING, OPT_FLAG, NULL, "Do not print headers", 0 },
    { 0 }
};

static const struct out_header locks_headers[] = {
    { "Number", "LOCK" }, { "Type", "TYPE" }, { "ID", "OWNER ID" }, { "Name", "OWNER" },
    { "Held", "HELD" }, { "Pid", "PID" }, { 0 }
};

static const struct out_spec locks_spec = {
    .table = "table {{.Number}}\t{{.Type}}\t{{.Name}}\t{{.Held}}\t{{.Pid}}",
    .headers = locks_headers,
};

static int locks_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    const char *format = NULL;
    bool noheading = false;
    _cleanup_json_ json_t *owners = NULL, *items = NULL;
    _cleanup_free_ struct lock_info *locks = NULL;
    size_t n = 0;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == O_FORMAT)
            format = it.arg;
        else if (c == O_NOHEADING)
            noheading = it.bval;
    }
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    if (rt_lock_owners(rt, &owners, err) < 0 || lock_list(rt->locks, &locks, &n, err) < 0)
        return -1;
    if (!(items = json_array()))
        return berr_oom(err);
    for (size_t i = 0; i < n; i++) {
        char key[32];
        json_t *o;

        snprintf(key, sizeof(key), "%u", locks[i].num);
        o = json_object_get(owners, key);
        /* The holder's pid when the kernel names it, "?" when it does not. */
        json_t *pid = !locks[i].held ? json_string("")
                      : locks[i].pid > 0 ? json_integer(locks[i].pid) : json_string("?");
        if (json_array_append_new(items,
                json_pack("{s:I, s:s, s:s, s:s, s:b, s:o}",
                          "Number", (json_int_t) locks[i].num,
                          "Type", o ? js_str(o, "Type", "") : "-",
                          "ID", o ? js_str(o, "ID", "") : "",
                          "Name", o ? js_str(o, "Name", "") : "(no owner)",
                          "Held", locks[i].held, "Pid", pid)) < 0)
            return berr_oom(err);
    }
    return out_list(stdout, format, items, &locks_spec, noheading, err);
}

const struct cmd cmd_system_locks = {
    .name = "locks",
    .summary = "List the lock files, their owners and who holds them now",
    .usage = "[options]",
    .description =
        "Lists every allocated lock: its number, the container, pod or volume that owns it,\n"
        "whether a process holds it at this moment and, where the kernel says, which one.\n"
        "A lock without an owner is a leak; a lock held for long by a dead-looking command\n"
        "points at a hang. berth's locks are OFD locks on files under the tmp dir's locks/\n"
        "directory: they are released when the holder exits, however it exits.",
    .examples = "berth system locks\nberth system locks --format '{{.Number}} {{.Held}}'",
    .opts = locks_opts,
    .fn = locks_fn,
    .need = RT_FULL,
};

/* ---- system migrate ---- */

static const struct cmd_opt migrate_opts[] = {
    { "new-runtime", O_NEW_RUNTIME, OPT_ARG, "string", "Specify a new runtime for all containers", 0 },
    { 0 }
};

static void print_stopped(const char *id, void *ctx)
{
    (void) ctx;
    printf("stopped %s\n", id);
}

static int migrate_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    const char *new_rt = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == O_NEW_RUNTIME)
            new_rt = it.arg;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    return rt_migrate(rt, new_rt, print_stopped, NULL, err);
}

const struct cmd cmd_system_migrate = { .name = "migrate", .summary = "Migrate containers",
    .usage = "[options]",
    .description = "Stops every running container, printing \"stopped <id>\" for each, and\n"
                   "with --new-runtime makes a configured OCI runtime the one every container\n"
                   "uses from then on. Run it after changing the runtime or upgrading berth.",
    .examples = "berth system migrate\nberth system migrate --new-runtime crun",
    .opts = migrate_opts, .fn = migrate_fn, .need = RT_FULL };
