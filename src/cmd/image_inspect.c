/*
 * cmd/image_inspect.c: berth image inspect, and the image part of the
 * top-level inspect (cmd/inspect.h). The image object is
 * runtime/image_inspect.c's; cmd/inspect.c prints it.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/inspect.h"
#include "runtime/image.h"
#include "util/cleanup.h"

/* The list of images (for the Parent field) is read at the first image
 * found: names that are all containers read nothing of the image store. */
int inspect_images(struct runtime *rt, char **names, int n, const char *format,
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
        else if (img_inspect(rt, v, !inspect_is_json(format), &o, err) < 0)
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
    cx->no_locale = true;      /* it prints records: no regex, glob or archive */
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
    return inspect_print_then_fail(format, arr, r, err);
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
