/*
 * cmd/cp.c: cp, files between containers and the host (runtime/ctr_cp.c
 * does the copying).
 */
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "runtime/container.h"
#include "util/cleanup.h"

enum { C_ARCHIVE = 'a', C_OVERWRITE = 256, C_PAUSE };

static const struct cmd_opt cp_opts[] = {
    { "archive", C_ARCHIVE, OPT_FLAG, NULL, "Chown copied files to the primary uid/gid of the destination container. (default true)", 0 },
    { "overwrite", C_OVERWRITE, OPT_FLAG, NULL, "Allow to overwrite directories with non-directories and vice versa", 0 },
    /* podman's, hidden: it pauses nothing either (a no-op since 4.0) */
    { "pause", C_PAUSE, OPT_FLAG, NULL, "Pause the container while copying (accepted; nothing is paused)", OPT_HIDDEN },
    { 0 }
};

/* podman's reading of an operand: an absolute path (or "-") is the
 * host's; "NAME:PATH" is a container's; anything else the host's. */
static void split(const char *arg, char **ctr, const char **path)
{
    const char *colon = strchr(arg, ':');

    *ctr = NULL;
    *path = arg;
    if (arg[0] == '/' || !colon)
        return;
    *ctr = str_ndup(arg, (size_t) (colon - arg));
    *path = colon + 1;
}

/* Opens the root of the named container and lets go of its lock. */
static int open_root(struct runtime *rt, const char *name, struct ctr_root *root,
                     struct berr **err)
{
    _cleanup_ctr_ struct ctr *c = NULL;

    if (!*name)
        return berr_msg(err, "name or ID cannot be empty");
    if (ctr_get(rt, name, &c, err) < 0) {
        if ((*err)->kind == BK_NO_SUCH) {
            berr_freep(err);
            return berr_kind(err, BK_NO_SUCH, "container \"%s\" does not exist", name);
        }
        return -1;
    }
    return ctr_root_open(rt, c, root, err);
}

static int cp_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt = NULL;
    struct ctr_cp_opts o = { .archive = true, .in_fd = STDIN_FILENO, .out_fd = STDOUT_FILENO };
    struct ctr_root roots[2] = { { .fd = -1 }, { .fd = -1 } };
    struct cp_side sides[2] = { { 0 } };
    _cleanup_free_ char *ctr0 = NULL, *ctr1 = NULL;
    int c, r = -1;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == C_ARCHIVE)
            o.archive = it.bval;
        else if (c == C_OVERWRITE)
            o.overwrite = it.bval;
    }
    if (c == 0 && !it.help && it.nargs != 2)
        c = cmd_usage_err(cx, err, "accepts 2 arg(s), received %d", it.nargs);
    if (c < 0 || it.help) {
        opt_free(&it);
        return c < 0 ? -1 : 0;
    }
    split(it.args[0], &ctr0, &sides[0].path);
    split(it.args[1], &ctr1, &sides[1].path);
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        goto out;
    /* two host paths: podman looks up a container without a name */
    if (!ctr0 && !ctr1) {
        berr_msg(err, "name or ID cannot be empty");
        goto out;
    }
    /* one container's lock at a time: two cp's in opposite directions
     * between the same two containers must not wait for each other */
    if ((ctr0 && open_root(rt, ctr0, &roots[0], err) < 0) ||
        (ctr1 && open_root(rt, ctr1, &roots[1], err) < 0))
        goto out;
    sides[0].root = ctr0 ? &roots[0] : NULL;
    sides[1].root = ctr1 ? &roots[1] : NULL;
    r = ctr_cp(&sides[0], &sides[1], &o, err);
out:
    ctr_root_close(rt, &roots[0]);
    ctr_root_close(rt, &roots[1]);
    opt_free(&it);
    return r;
}

#define CP_DESC "Copies files and directories between a container and the host, either way,\n" \
    "or between two containers: CONTAINER:PATH names a path in a container (running\n" \
    "or not), anything else a path on the host; \"-\" is a tar stream on stdin (into\n" \
    "a container's directory) or stdout. Docker's rules: a file onto a file replaces\n" \
    "it, into a directory keeps its name; a directory onto a name that does not\n" \
    "exist takes that name, into a directory goes under its own name, and SRC/.\n" \
    "copies a directory's contents. A final symlink of SRC is followed.\n" \
    "\n" \
    "Paths in a container are resolved inside its root file system: a symlink in\n" \
    "the container, however it points (\"/etc\", \"../../..\"), never reaches a host\n" \
    "file, and symlinks that are copied stay symlinks. A running container's paths\n" \
    "are the ones its processes see (its volumes and bind mounts included); a\n" \
    "stopped container's are those of its root file system, mounted for the copy."

const struct cmd cmd_cp = { .name = "cp", .summary = "Copy files/folders between a container and the local filesystem",
    .usage = "[options] [CONTAINER:]SRC_PATH [CONTAINER:]DEST_PATH", .description = CP_DESC,
    .examples = "berth cp web:/etc/hosts ./hosts\nberth cp ./site web:/www\nberth cp web:/var/log - | tar t",
    .opts = cp_opts, .fn = cp_fn, .need = RT_FULL };
