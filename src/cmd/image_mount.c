/*
 * cmd/image_mount.c: berth image mount / image unmount, as podman 4.3.1.
 * Mounts are counted by the store: every mount wants one unmount, or
 * unmount --force. The mounts and their events are runtime/image_mount.c's.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/image.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/out.h"

enum { O_FORMAT = 256 };

static const struct cmd_opt mount_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Mount all images", 0 },
    { "format", O_FORMAT, OPT_ARG, "string", "Print the mounted images in the specified format "
      "(json)", 0 },
    { 0 }
};

/* No operands: the mounted images, "NAME  MOUNTPOINT" or JSON. */
static int list_mounted(struct runtime *rt, const char *format, struct berr **err)
{
    struct img_mounted *v = NULL;
    size_t n = 0;
    _cleanup_json_ json_t *arr = json_array();
    struct tbl *t = tbl_new();
    int r = 0;

    if (!arr || !t || img_mounted_list(rt, &v, &n, err) < 0) {
        tbl_free(t);
        return arr && t ? -1 : berr_oom(err);
    }
    for (size_t i = 0; i < n && r == 0; i++) {
        const struct img *img = v[i].img;
        char *cells[] = { img->names[0] ? img->names[0] : (char *) img->id, v[i].mountpoint, NULL };
        if (tbl_add_row(t, cells) < 0 ||
            json_array_append_new(arr, json_pack("{s:s, s:[s], s:o, s:s}", "id", img->id,
                                                 "Names", img->digest, "Repositories",
                                                 js_strv(img->names), "mountpoint",
                                                 v[i].mountpoint)) < 0)
            r = berr_oom(err);
    }
    img_mounted_free(v, n);
    if (r == 0 && out_is_json(format)) {
        _cleanup_free_ char *js = json_dumps(arr, JSON_INDENT(1));
        printf("%s\n", js ? js : "[]");
    } else if (r == 0) {
        tbl_print(t, stdout);
    }
    tbl_free(t);
    return r;
}

/* After mount's or unmount's option loop (c as opt_next left it): the
 * image operands, or with all every image's ID, into *refs, and the
 * runtime. 1: go on; else what the command returns (it is freed either way). */
static int images_named(struct cmd_ctx *cx, struct opt_it *it, int c, bool all, char ***refs,
                        struct runtime **rt, struct berr **err)
{
    bool help = it->help;

    for (int i = 0; c == 0 && i < it->nargs; i++)
        if (strv_push(refs, it->args[i]) < 0)
            c = berr_oom(err);
    opt_free(it);
    if (c < 0 || help)
        return c;
    if (cx_runtime(cx, RT_FULL, rt, err) < 0)
        return -1;
    if (all) {
        struct img **v = NULL;
        size_t n = 0;
        if (img_list(*rt, &v, &n, err) < 0)
            return -1;
        for (size_t i = 0; i < n && c == 0; i++)
            if (strv_push(refs, v[i]->id) < 0)
                c = berr_oom(err);
        img_list_free(v, n);
        if (c < 0)
            return -1;
    }
    return 1;
}

static int mount_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    const char *format = NULL;
    bool all = false;
    _cleanup_strv_ char **refs = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == 'a')
            all = it.bval;
        else if (c == O_FORMAT)
            format = it.arg;
    }
    if ((c = images_named(cx, &it, c, all, &refs, &rt, err)) <= 0)
        return c;
    if (!refs)
        return list_mounted(rt, format, err);
    /* podman's: one image its path; more (or --all) a table of each
     * image's first name (its id without one) and path */
    bool table = all || (refs[0] && refs[1]);
    struct tbl *t = table ? tbl_new() : NULL;
    if (table && !t)
        return berr_oom(err);
    c = 0;
    for (size_t i = 0; c == 0 && refs[i]; i++) {
        _cleanup_free_ char *mnt = NULL;
        _cleanup_img_ struct img *img = NULL;
        char id[65];
        if (img_mount(rt, refs[i], id, &mnt, err) < 0) {
            c = -1;
        } else if (!table) {
            printf("%s\n", mnt);
        } else if (img_lookup(rt, id, &img, err) < 0) {
            c = -1;
        } else {
            char *cells[] = { img->names[0] ? img->names[0] : id, mnt, NULL };
            if (tbl_add_row(t, cells) < 0)
                c = berr_oom(err);
        }
    }
    if (t && c == 0 && tbl_print(t, stdout) < 0)
        c = berr_oom(err);
    tbl_free(t);
    return c;
}

const struct cmd cmd_image_mount = {
    .name = "mount", .summary = "Mount an image's root filesystem",
    .usage = "[options] [IMAGE...]",
    .description =
        "Mounts the images' layers read-only and prints the mountpoint of one image;\n"
        "of several (or with --all), a table of each image's first name (its ID\n"
        "without one) and mountpoint. Without an image, lists the mounted images as\n"
        "NAME and MOUNTPOINT, or JSON with --format json. Mounts are counted: each\n"
        "mount wants one `image unmount`.",
    .examples = "berth image mount busybox\nberth image mount\nberth image mount --all",
    .opts = mount_opts, .fn = mount_fn, .need = RT_FULL,
};

static const struct cmd_opt unmount_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Unmount all of the currently mounted images", 0 },
    { "force", 'f', OPT_FLAG, NULL, "Force the complete unmount of the specified mounted images", 0 },
    { 0 }
};

static int unmount_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    bool all = false, force = false;
    _cleanup_strv_ char **refs = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == 'a')
            all = it.bval;
        else if (c == 'f')
            force = it.bval;
    }
    if (c == 0 && !it.help && !all && it.nargs == 0)
        c = berr_msg(err, "image name or ID must be specified");
    if (c == 0 && !it.help && all && it.nargs > 0)
        c = berr_msg(err, "when using the --all switch, you may not pass any image names "
                     "or IDs");
    if ((c = images_named(cx, &it, c, all, &refs, &rt, err)) <= 0)
        return c;
    if (all)
        force = true;
    for (size_t i = 0; refs && refs[i]; i++) {
        bool done = false;
        char id[65];
        if (img_unmount(rt, refs[i], force, id, &done, err) < 0)
            return -1;
        if (done)
            printf("%s\n", id);
    }
    return 0;
}

const struct cmd cmd_image_unmount = {
    .name = "unmount", .aliases = "umount", .summary = "Unmount an image's root filesystem",
    .usage = "[options] IMAGE [IMAGE...]",
    .description =
        "Drops one mount of each image and prints the ids of the images that were\n"
        "really unmounted (their last user went). --force unmounts at once;\n"
        "--all unmounts every mounted image.",
    .examples = "berth image unmount busybox\nberth image unmount --all",
    .opts = unmount_opts, .fn = unmount_fn, .need = RT_FULL,
};
