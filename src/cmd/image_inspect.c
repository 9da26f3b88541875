/*
 * cmd/image_inspect.c: berth image inspect, and the top-level inspect
 * (--type image|container|all) that finds containers and images.
 *
 * The object is podman's (libimage ImageData): Id, Digest, RepoTags,
 * RepoDigests, Parent, Comment, Created, Config (OCI ImageConfig in Go's
 * field order), Version, Author, Architecture, Os, Size, VirtualSize,
 * GraphDriver, RootFS, Labels, Annotations, ManifestType, User, History,
 * NamesHistory. JSON prints as a five-space indented array, as podman's.
 */
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/img_view.h"
#include "cmd/inspect_ctr.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/timefmt.h"

/* Copies the listed keys of src in this order (Go struct order). */
static json_t *ordered(json_t *src, const char *const *keys)
{
    json_t *o = json_object();

    for (size_t i = 0; o && keys[i]; i++) {
        json_t *v = json_object_get(src, keys[i]);
        if (v && !json_is_null(v))
            json_object_set(o, keys[i], v);
    }
    return o;
}

static const char *const config_keys[] = {
    "User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels",
    "StopSignal", "ArgsEscaped", NULL
};
static const char *const history_keys[] = {
    "created", "author", "created_by", "comment", "empty_layer", NULL
};

/* Go prints times in templates as its time.String(); JSON as RFC 3339. */
static json_t *created_value(const struct store_image *img, bool json)
{
    struct timespec ts = { 0 };
    char buf[TIME_BUF];

    if (img->created && time_parse_rfc3339(img->created, &ts, NULL, NULL) == 0)
        return json_string(json ? img->created : time_go_string(ts, buf, sizeof(buf)));
    ts.tv_sec = img->created_unix;
    return json_string(json ? time_rfc3339nano(ts, buf, sizeof(buf))
                            : time_go_string(ts, buf, sizeof(buf)));
}

static int image_inspect_json(struct store *s, const struct img_view *v, bool json, json_t **out,
                       struct berr **err)
{
    const struct store_image *img = v->img;
    json_t *cfg = v->config, *c = json_object_get(cfg, "config");
    _cleanup_json_ json_t *man = NULL, *hist = json_array();
    json_t *layers = json_array(), *x;
    size_t k;

    if (store_image_manifest_json(s, img, &man, err) < 0)
        return -1;
    if (!hist || !layers)
        return json_decref(layers), berr_oom(err);
    json_array_foreach(json_object_get(json_object_get(cfg, "rootfs"), "diff_ids"), k, x)
        json_array_append(layers, x);
    json_array_foreach(json_object_get(cfg, "history"), k, x)
        json_array_append_new(hist, ordered(x, history_keys));
    const char *comment = js_str(cfg, "comment", NULL);
    if (!comment)
        comment = js_str(json_array_get(json_object_get(cfg, "history"), 0), "comment", "");
    json_t *ann = json_object_get(man, "annotations");
    json_t *nh = json_object_get(img->record, "names_history");
    json_t *o = json_pack(
        "{s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:I, s:I, s:o,"
        " s:{s:s, s:o}, s:O?, s:o, s:s, s:s, s:O, s:o}",
        "Id", img->id, "Digest", img->digest ? img->digest : "",
        "RepoTags", js_strv(img->names), "RepoDigests", img_repo_digests(img),
        "Parent", v->parent ? v->parent : "", "Comment", comment,
        "Created", created_value(img, json),
        "Config", c ? ordered(c, config_keys) : json_object(),
        "Version", js_str(cfg, "docker_version", ""), "Author", js_str(cfg, "author", ""),
        "Architecture", js_str(cfg, "architecture", ""), "Os", js_str(cfg, "os", ""),
        "Size", (json_int_t) img->size, "VirtualSize", (json_int_t) img->size,
        "GraphDriver", store_image_graph_driver(s, img),
        "RootFS", "Type", js_str(json_object_get(cfg, "rootfs"), "type", "layers"),
        "Layers", layers,
        "Labels", v->labels,
        "Annotations", json_is_object(ann) ? json_incref(ann) : json_object(),
        "ManifestType", img->manifest_type, "User", js_str(c, "User", ""),
        "History", hist, "NamesHistory", json_array_size(nh) ? json_incref(nh) : json_array());
    if (!o)
        return berr_oom(err);
    if (!v->labels)     /* a nil map: null in JSON, map[] in a template */
        json_object_set_new(o, "Labels", json ? json_null() : json_object());
    if (json_array_size(json_object_get(o, "RepoDigests")) == 0)
        json_object_set_new(o, "RepoDigests", json_array());
    *out = o;
    return 0;
}

static bool is_json(const char *format)
{
    return !format || !*format || !strcmp(format, "json");
}

/* Appends the inspect object of each name that is an image; names that
 * are not stay as JSON null when keep_missing, else the first miss is
 * returned in *err after all names were tried. */
static int inspect_images(struct runtime *rt, char **names, int n, const char *format,
                          json_t *arr, bool fill_nulls, struct berr **err)
{
    struct store *s;
    struct img_views vs = { 0 };
    struct berr *miss = NULL;

    if (rt_store(rt, &s, err) < 0 || img_views_load(s, &vs, err) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        _cleanup_image_ struct store_image *img = NULL;
        struct berr *e = NULL;
        json_t *o = NULL;

        if (fill_nulls && !json_is_null(json_array_get(arr, (size_t) i)))
            continue;
        if (store_image_lookup(s, names[i], &img, &e) < 0) {
            if (e->kind != BK_NO_SUCH && !fill_nulls) {     /* e.g. ambiguous */
                berr_free(miss);
                img_views_free(&vs);
                *err = e;
                return -1;
            }
            if (!miss)
                miss = e;
            else
                berr_free(e);
            continue;
        }
        struct img_view *v = img_views_find(&vs, img->id);
        if (!v || image_inspect_json(s, v, is_json(format), &o, err) < 0) {
            berr_free(miss);
            img_views_free(&vs);
            return v ? -1 : berr_kind(err, BK_NO_SUCH, "%s: image not known", names[i]);
        }
        if (fill_nulls)
            json_array_set_new(arr, (size_t) i, o);
        else
            json_array_append_new(arr, o);
    }
    img_views_free(&vs);
    if (miss && !fill_nulls) {
        *err = miss;
        return berr_wrap(err, "inspecting object");
    }
    berr_free(miss);
    return 0;
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
    { "type", 't', OPT_ARG, "string", "Specify inspect-object type: image, container or all "
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
        if (strcmp(type, "image") && strcmp(type, "container") && strcmp(type, "all"))
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
    } else {
        /* all: containers first (a null per miss), then images fill the
         * nulls; what is neither is podman's "no such object" */
        r = inspect_containers(cx, rt, it.args, it.nargs, format, size, true, arr, err);
        if (r == 0)
            r = inspect_images(rt, it.args, it.nargs, format, arr, true, err);
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
    .usage = "[options] {CONTAINER|IMAGE} [...]",
    .description =
        "Displays the low-level information on containers and images identified by\n"
        "name or ID. With --type all (the default) each name is looked up as a\n"
        "container first, then as an image; a name that is neither fails with\n"
        "\"no such object\" after the others were printed. --type image or\n"
        "container restricts the lookup. The output is podman's JSON array, or a\n"
        "Go template with --format.",
    .examples = "berth inspect busybox\n"
                "berth inspect --type image --format '{{.Id}}' busybox\n"
                "berth inspect --format '{{.State.Status}}' web",
    .opts = inspect_opts, .fn = inspect_fn, .need = RT_FULL,
};
