/*
 * cmd/inspect.c: berth inspect, which finds containers and images
 * (--type container|image|all), and the printing all three inspect
 * commands share (cmd/inspect.h). The objects are runtime/ctr_inspect.c's
 * and runtime/image_inspect.c's, collected by cmd/inspect_ctr.c and
 * cmd/image_inspect.c. JSON prints as a five-space indented array, as
 * podman's.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/inspect.h"
#include "util/cleanup.h"
#include "util/out.h"

bool inspect_is_json(const char *format)
{
    return !format || !*format || strcmp(format, "json") == 0;
}

/* podman's inspect templates see Go structs whose field is ID where the
 * JSON says "Id", and podman reads docker's older names as its own
 * (inspectNormalize): both spellings work. */
static const struct tmpl_alias inspect_aliases[] = {
    { "ID", "Id" },
    { "ImageID", "Image" },
    { "Src", "Source" },
    { "Dst", "Destination" },
    { 0 }
};

/* "json": one JSON array indented by five spaces; a template: once per
 * element (nulls skipped). A bad template fails before anything is
 * printed. */
static int inspect_print(FILE *f, const char *format, json_t *arr, struct berr **err)
{
    static const struct out_spec spec = { .aliases = inspect_aliases };
    _cleanup_json_ json_t *items = NULL;
    json_t *v;
    size_t i;

    if (inspect_is_json(format)) {
        _cleanup_free_ char *s = json_dumps(arr, JSON_INDENT(5) | JSON_ENCODE_ANY |
                                                     JSON_REAL_PRECISION(17));
        if (!s)
            return berr_oom(err);
        fprintf(f, "%s\n", s);
        return 0;
    }
    /* render everything first: a bad template prints nothing */
    if (!(items = json_array()))
        return berr_oom(err);
    json_array_foreach(arr, i, v)
        if (!json_is_null(v) && json_array_append(items, v) < 0)
            return berr_oom(err);
    return out_list(f, format, items, &spec, true, err);
}

int inspect_print_then_fail(const char *format, json_t *arr, int r, struct berr **err)
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
        /* --latest: the container side (cmd/inspect_ctr.c) owns it */
        opt_free(&it);
        return berr_msg(err, "use \"%s container inspect --latest\"", cx->prog);
    }
    if (!strcmp(type, "image")) {
        r = inspect_images(rt, it.args, it.nargs, format, arr, false, err);
    } else if (!strcmp(type, "container")) {
        r = inspect_containers(rt, it.args, it.nargs, format, size, false, arr, err);
    } else {
        /* all: containers first (a null per miss), then images fill the
         * nulls; what is neither is podman's "no such object" */
        r = inspect_containers(rt, it.args, it.nargs, format, size, true, arr, err);
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
    return inspect_print_then_fail(format, arr, r, err);
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
