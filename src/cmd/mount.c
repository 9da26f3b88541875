/*
 * cmd/mount.c: mount / unmount (umount) of containers' root file systems,
 * and the list of mounted ones (runtime/ctr_mount.c).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "runtime/container.h"
#include "util/cleanup.h"

enum { M_ALL = 'a', M_LATEST = 'l', M_FORCE = 'f', M_FORMAT = 256, M_NOTRUNC, M_NOTRUNCATE };

static const struct cmd_opt mount_opts[] = {
    { "all", M_ALL, OPT_FLAG, NULL, "Mount all containers", 0 },
    { "format", M_FORMAT, OPT_ARG, "string", "Print the mounted containers in specified format (json)", 0 },
    { "latest", M_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "no-trunc", M_NOTRUNC, OPT_FLAG, NULL, "Do not truncate output", 0 },
    { "notruncate", M_NOTRUNCATE, OPT_FLAG, NULL, "Same as --no-trunc", OPT_HIDDEN },   /* podman's */
    { 0 }
};

static const struct cmd_opt unmount_opts[] = {
    { "all", M_ALL, OPT_FLAG, NULL, "Unmount all of the currently mounted containers", 0 },
    { "force", M_FORCE, OPT_FLAG, NULL, "Force the complete unmount of the specified mounted containers", 0 },
    { "latest", M_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { 0 }
};

struct mount_args {
    bool all, latest, force, notrunc;
    const char *format;
    json_t *list;               /* the listing: [{"id","Names","mountpoint"}] */
};

static int mount_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    _cleanup_free_ char *mp = NULL;

    (void) input;
    if (ctr_mount(e->rt, c, &mp, err) < 0)
        return -1;
    printf("%s\n", mp);
    return 0;
}

static int list_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct mount_args *a = e->arg;
    _cleanup_free_ char *mp = NULL;
    json_t *o;

    (void) input;
    if (ctr_mounted(e->rt, c, &mp, err) < 0)
        return -1;
    if (!mp)
        return 0;
    o = json_pack("{s:s, s:[s], s:s}", "id", c->id, "Names", ctr_name(c), "mountpoint", mp);
    if (!o || json_array_append_new(a->list, o) < 0)
        return berr_oom(err);
    return 0;
}

static int unmount_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct mount_args *a = e->arg;
    struct berr *e1 = NULL;
    bool done;

    if (ctr_unmount(e->rt, c, a->force, &done, &e1) < 0) {
        /* --all passes over the running containers' own mounts */
        if (a->all && e1->kind == BK_STATE) {
            berr_free(e1);
            return 0;
        }
        *err = e1;
        return -1;
    }
    if (done || !a->all)
        printf("%s\n", input);
    return 0;
}

static int by_id(const void *x, const void *y)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *) x, "id")),
                  json_string_value(json_object_get(*(json_t *const *) y, "id")));
}

static int print_list(struct mount_args *a, struct berr **err)
{
    size_t n = json_array_size(a->list), i;
    json_t **v = calloc(n ? n : 1, sizeof(*v)), *o;

    if (!v)
        return berr_oom(err);
    json_array_foreach(a->list, i, o)
        v[i] = o;
    qsort(v, n, sizeof(*v), by_id);
    if (a->format) {
        _cleanup_json_ json_t *sorted = json_array();
        char *text;
        for (i = 0; sorted && i < n; i++)
            json_array_append(sorted, v[i]);
        text = sorted ? json_dumps(sorted, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
        free(v);
        if (!text)
            return berr_oom(err);
        printf("%s\n", text);
        free(text);
        return 0;
    }
    for (i = 0; i < n; i++) {
        const char *id = json_string_value(json_object_get(v[i], "id"));
        printf("%.*s  %s\n", a->notrunc ? 64 : 12, id,
               json_string_value(json_object_get(v[i], "mountpoint")));
    }
    free(v);
    return 0;
}

/* The options and podman's checks of mount (unmount: false) or unmount.
 * 0: go on; 1: --help printed; -1: error. it is freed unless 0. */
static int parse(struct cmd_ctx *cx, int argc, char **argv, bool unmount, struct opt_it *it,
                 struct mount_args *a, struct berr **err)
{
    int c;

    cmd_opt_init(it, cx);
    while ((c = opt_next(it, argc, argv, err)) > 0) {
        switch (c) {
        case M_ALL: a->all = it->bval; break;
        case M_LATEST: a->latest = it->bval; break;
        case M_NOTRUNC: case M_NOTRUNCATE: a->notrunc = it->bval; break;
        case M_FORMAT: a->format = it->arg; break;
        case M_FORCE: a->force = it->bval; break;
        }
    }
    if (c == 0 && !it->help && a->format && strcmp(a->format, "json"))
        c = berr_msg(err, "unknown --format argument: \"%s\"", a->format);
    if (c == 0 && !it->help && a->all && a->latest)
        c = berr_msg(err, "--all and --latest cannot be used together");
    if (c == 0 && !it->help && (a->all || a->latest) && it->nargs)
        c = berr_msg(err, "%s", a->all ? "no arguments are needed with --all"
                                       : "--latest and containers cannot be used together");
    if (c == 0 && !it->help && unmount && !a->all && !a->latest && !it->nargs)
        c = berr_msg(err, "you must provide at least one name or id");
    if (c < 0 || it->help) {
        opt_free(it);
        return c < 0 ? -1 : 1;
    }
    return 0;
}

static int mount_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct mount_args a = { 0 };
    int c = parse(cx, argc, argv, false, &it, &a, err), r = -1;

    if (c != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        goto out;
    {
        bool listing = !a.all && !a.latest && !it.nargs;
        struct ctr_each e = { .rt = rt, .all = a.all || listing, .latest = a.latest,
                              .quiet = true, .fn = listing ? list_one : mount_one, .arg = &a };
        if (listing && !(a.list = json_array())) {
            r = berr_oom(err);
            goto out;
        }
        r = ctr_each_run(&e, it.args, it.nargs, err);
        if (r == 0 && listing)
            r = print_list(&a, err);
    }
out:
    json_decref(a.list);
    opt_free(&it);
    return r < 0 ? -1 : 0;
}

static int unmount_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct mount_args a = { 0 };
    int c = parse(cx, argc, argv, true, &it, &a, err), r = -1;

    if (c != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) == 0) {
        struct ctr_each e = { .rt = rt, .all = a.all, .latest = a.latest, .quiet = true,
                              .fn = unmount_one, .arg = &a };
        r = ctr_each_run(&e, it.args, it.nargs, err);
    }
    opt_free(&it);
    return r < 0 ? -1 : 0;
}

#define MOUNT_DESC "Mounts the root file system of each container named (or all of them, or\n" \
    "the latest) where berth can reach it and prints the mount point. Without a\n" \
    "container it lists the mounted ones: short ID and mount point, or with\n" \
    "--format json the full ID, names and mount point of each. Mounts are counted\n" \
    "in the store: each mount wants one unmount, and the container's own mount\n" \
    "while it runs is never dropped by the user's unmount."
#define UNMOUNT_DESC "Drops one mount of each container's root file system; the file system is\n" \
    "unmounted when no user is left, or at once with --force. A running or\n" \
    "paused container keeps its own mount: unmounting it with nothing else\n" \
    "mounted is an error (with --all it is passed over)."

const struct cmd cmd_mount = { .name = "mount", .summary = "Mount a working container's root filesystem",
    .usage = "[options] [CONTAINER...]", .description = MOUNT_DESC,
    .examples = "berth mount\nberth mount ctrID\nberth mount --format json",
    .opts = mount_opts, .fn = mount_fn, .need = RT_FULL };
const struct cmd cmd_unmount = { .name = "unmount", .aliases = "umount",
    .summary = "Unmounts working container's root filesystem",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = UNMOUNT_DESC,
    .examples = "berth unmount ctrID\nberth umount --all", .opts = unmount_opts,
    .fn = unmount_fn, .need = RT_FULL };
