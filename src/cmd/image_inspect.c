/*
 * cmd/image_inspect.c: berth image inspect, and the top-level inspect
 * (--type image|container|all) that finds containers and images. The
 * image object is runtime/image_inspect.c's; the container one
 * runtime/ctr_inspect.c's (through cmd/inspect_ctr.c). JSON prints as a
 * five-space indented array, as podman's.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/inspect_ctr.h"
#include "cmd/volume.h"
#include "runtime/image.h"
#include "util/cleanup.h"

static bool is_json(const char *format)
{
    return !format || !*format || !strcmp(format, "json");
}

/* Appends the inspect object of each name that is an image. fill_nulls
 * (the top-level inspect, after the containers): only the JSON nulls of
 * arr are looked up, and filled where an image is found. Else the first
 * miss is returned in *err after all names were tried. The list of images
 * (for the Parent field) is read at the first image found: names that
 * are all containers read nothing of the image store. */
static int inspect_images(struct runtime *rt, char **names, int n, const char *format,
                          json_t *arr, bool fill_nulls, struct berr **err)
{
    struct img_views vs = { 0 };
    bool loaded = false;
    struct berr *miss = NULL;
    int r = 0;

    for (int i = 0; r == 0 && i < n; i++) {
        _cleanup_img_ struct img *img = NULL;
        struct berr *e = NULL;
        json_t *o = NULL;

        if (fill_nulls && !json_is_null(json_array_get(arr, (size_t) i)))
            continue;
        if (img_lookup(rt, names[i], &img, &e) < 0) {
            if (e->kind != BK_NO_SUCH && !fill_nulls) {     /* e.g. ambiguous */
                *err = e;
                r = -1;
            } else if (!miss) {
                miss = e;
            } else {
                berr_free(e);
            }
            continue;
        }
        if (!loaded && img_views_load(rt, 0, &vs, err) < 0) {
            r = -1;
            break;
        }
        loaded = true;
        struct img_view *v = img_views_find(&vs, img->id);
        if (!v)
            r = berr_kind(err, BK_NO_SUCH, "%s: image not known", names[i]);
        else if (img_inspect(rt, v, !is_json(format), &o, err) < 0)
            r = -1;
        else if ((fill_nulls ? json_array_set_new(arr, (size_t) i, o)
                             : json_array_append_new(arr, o)) < 0)
            r = berr_oom(err);
    }
    img_views_free(&vs);
    if (r == 0 && miss && !fill_nulls) {
        *err = miss;
        return berr_wrap(err, "inspecting object");
    }
    berr_free(miss);
    return r;
}

/* podman prints what it found, then fails for the rest. */
static int print_then_fail(const char *format, json_t *arr, int r, struct berr **err)
{
    struct berr *pe = NULL;

    if (r < 0 && (!*err || (*err)->kind != BK_NO_SUCH))
        return -1;
    if (inspect_print(stdout, format, arr, &pe) < 0) {
        berr_free(*err);
        *err = pe;
        return -1;
    }
    return r;
}

enum { O_TYPE = 256 };

static const struct cmd_opt iinspect_opts[] = {
    { "format", 'f', OPT_ARG, "string", "Format the output to a Go template or json (default \"json\")", 0 },
    { 0 }
};

static int iinspect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    const char *format = NULL;
    _cleanup_json_ json_t *arr = json_array();
    int c, r;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == 'f')
            format = it.arg;
    if (c == 0 && !it.help && it.nargs == 0)
        c = berr_msg(err, "no names or ids specified");
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    if (!arr) {
        opt_free(&it);
        return berr_oom(err);
    }
    r = inspect_images(rt, it.args, it.nargs, format, arr, false, err);
    opt_free(&it);
    return print_then_fail(format, arr, r, err);
}

const struct cmd cmd_image_inspect = {
    .name = "inspect", .summary = "Display the configuration of an image",
    .usage = "[options] IMAGE [IMAGE...]",
    .description =
        "Displays the low-level information on images identified by name or ID, as a\n"
        "JSON array in podman's shape (Id, Digest, RepoTags, RepoDigests, Config,\n"
        "RootFS, GraphDriver, History, NamesHistory, ...). --format takes a Go\n"
        "template over the same fields, e.g. '{{.Config.Cmd}}' or '{{json .RootFS}}'.\n"
        "Images that are found are printed even when another name is unknown; the\n"
        "command then fails with 125.",
    .examples = "berth image inspect busybox\n"
                "berth image inspect --format '{{.Id}} {{.Size}}' busybox\n"
                "berth image inspect --format '{{json .Config}}' localhost/confd",
    .opts = iinspect_opts, .fn = iinspect_fn, .need = RT_FULL,
};

/* ---- top-level inspect ------------------------------------------------ */

static const struct cmd_opt inspect_opts[] = {
    { "format", 'f', OPT_ARG, "string", "Format the output to a Go template or json (default \"json\")", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "size", 's', OPT_FLAG, NULL, "Display total file size (containers)", 0 },
    { "type", 't', OPT_ARG, "string", "Specify inspect-object type: image, container, volume or all "
      "(default \"all\")", 0 },
    { 0 }
};

static int inspect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    const char *format = NULL, *type = "all";
    bool size = false, latest = false;
    _cleanup_json_ json_t *arr = json_array();
    int c, r;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'f': format = it.arg; break;
        case 'l': latest = it.bval; break;
        case 's': size = it.bval; break;
        case 't': type = it.arg; break;
        }
    }
    if (c == 0 && !it.help) {
        if (strcmp(type, "image") && strcmp(type, "container") && strcmp(type, "volume") &&
            strcmp(type, "all"))
            c = berr_msg(err, "invalid type \"%s\": must be \"image\", \"container\", \"pod\", "
                         "\"network\", \"volume\", or \"all\"", type);
        else if (latest && it.nargs > 0)
            c = berr_msg(err, "--latest and containers cannot be used together");
        else if (latest && !strcmp(type, "image"))
            c = berr_msg(err, "latest is not supported for type \"image\"");
        else if (!latest && it.nargs == 0)
            c = berr_msg(err, "no names or ids specified");
    }
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    if (!arr) {
        opt_free(&it);
        return berr_oom(err);
    }
    if (latest) {
        /* --latest: the container side (cmd/inspect.c) owns it */
        opt_free(&it);
        return berr_msg(err, "use \"berth container inspect --latest\"");
    }
    if (!strcmp(type, "image")) {
        r = inspect_images(rt, it.args, it.nargs, format, arr, false, err);
    } else if (!strcmp(type, "container")) {
        r = inspect_containers(cx, rt, it.args, it.nargs, format, size, false, arr, err);
    } else if (!strcmp(type, "volume")) {
        r = inspect_volumes(rt, it.args, it.nargs, format, false, arr, err);
    } else {
        /* all: containers first (a null per miss), then images, then
         * volumes fill the nulls; what is none is podman's "no such
         * object" */
        r = inspect_containers(cx, rt, it.args, it.nargs, format, size, true, arr, err);
        if (r == 0)
            r = inspect_images(rt, it.args, it.nargs, format, arr, true, err);
        if (r == 0)
            r = inspect_volumes(rt, it.args, it.nargs, format, true, arr, err);
        for (int i = 0; r == 0 && i < it.nargs; i++)
            if (json_is_null(json_array_get(arr, (size_t) i))) {
                r = berr_kind(err, BK_NO_SUCH, "no such object: \"%s\"", it.args[i]);
                berr_wrap(err, "inspecting object");
            }
        /* print only what was found */
        for (size_t i = json_array_size(arr); i-- > 0;)
            if (json_is_null(json_array_get(arr, i)))
                json_array_remove(arr, i);
    }
    opt_free(&it);
    return print_then_fail(format, arr, r, err);
}

const struct cmd cmd_inspect = {
    .name = "inspect", .summary = "Display the configuration of object denoted by ID",
    .usage = "[options] {CONTAINER|IMAGE|VOLUME} [...]",
    .description =
        "Displays the low-level information on containers, images and volumes\n"
        "identified by name or ID. With --type all (the default) each name is looked\n"
        "up as a container first, then as an image, then as a volume; a name that is\n"
        "none fails with \"no such object\" after the others were printed. --type\n"
        "image, container or volume restricts the lookup. The output is podman's\n"
        "JSON array, or a Go template with --format.",
    .examples = "berth inspect busybox\n"
                "berth inspect --type image --format '{{.Id}}' busybox\n"
                "berth inspect --format '{{.State.Status}}' web",
    .opts = inspect_opts, .fn = inspect_fn, .need = RT_FULL,
};
