/*
 * cmd/diff.c: diff / container diff, a container's changes to its root
 * file system (runtime/ctr_diff.c).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/container.h"
#include "runtime/image.h"
#include "util/cleanup.h"

enum { D_FORMAT = 256, D_LATEST = 'l' };

static const struct cmd_opt diff_opts[] = {
    { "format", D_FORMAT, OPT_ARG, "string", "Change the output format (json)", 0 },
    { "latest", D_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { 0 }
};

static int print_json(const struct ctr_change *v, size_t n, struct berr **err)
{
    static const struct { const char *key; char kind; } groups[] = {
        { "changed", 'C' }, { "added", 'A' }, { "deleted", 'D' },
    };
    json_t *o = json_object();
    char *text;

    if (!o)
        return berr_oom(err);
    for (size_t g = 0; g < 3; g++) {
        json_t *a = NULL;
        for (size_t i = 0; i < n; i++) {
            if (v[i].kind != groups[g].kind)
                continue;
            if (!a && (!(a = json_array()) || json_object_set_new(o, groups[g].key, a) < 0))
                goto oom;
            if (json_array_append_new(a, json_string(v[i].path)) < 0)
                goto oom;
        }
    }
    if (!(text = json_dumps(o, JSON_INDENT(5) | JSON_PRESERVE_ORDER)))
        goto oom;
    printf("%s\n", text);
    free(text);
    json_decref(o);
    return 0;
oom:
    json_decref(o);
    return berr_oom(err);
}

/* "KIND PATH" lines, or with format (json) the grouped object. */
static int print_changes(const struct ctr_change *v, size_t n, const char *format,
                         struct berr **err)
{
    if (format)
        return print_json(v, n, err);
    for (size_t i = 0; i < n; i++)
        printf("%c %s\n", v[i].kind, v[i].path);
    return 0;
}

static int diff_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    _cleanup_ctr_ struct ctr *c = NULL;
    struct ctr_change *v = NULL;
    const char *format = NULL;
    bool latest = false;
    char id[STATE_ID_LEN + 1];
    size_t n = 0;
    int ch, r = -1;

    cmd_opt_init(&it, cx);
    while ((ch = opt_next(&it, argc, argv, err)) > 0) {
        if (ch == D_FORMAT)
            format = it.arg;
        else if (ch == D_LATEST)
            latest = it.bval;
    }
    if (ch == 0 && !it.help && format && strcmp(format, "json"))
        ch = berr_msg(err, "only supported value for '--format' is 'json'");
    if (ch == 0 && !it.help && !latest && it.nargs == 0)
        ch = berr_msg(err, "\"%s\" requires a name, id, or the \"--latest\" flag", cx->path);
    if (ch == 0 && !it.help && latest && it.nargs > 0)
        ch = berr_msg(err, "--latest and containers cannot be used together");
    if (ch == 0 && !it.help && it.nargs > 2)
        ch = cmd_usage_err(cx, err, "accepts between 1 and 2 arg(s), received %d", it.nargs);
    if (ch < 0 || it.help) {
        opt_free(&it);
        return ch < 0 ? -1 : 0;
    }
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        goto out;
    if (latest && ctr_latest(rt, id, err) < 0)
        goto out;
    if (it.nargs == 2) {
        /* podman's second object: the changes of the first against it
         * (images; a container is compared with its own image only) */
        if (img_diff(rt, it.args[0], it.args[1], &v, &n, err) < 0) {
            if ((*err)->kind == BK_NO_SUCH)
                berr_wrap(err, "%s not found", !strstr((*err)->msg, it.args[0]) ? it.args[1]
                                                                              : it.args[0]);
            goto out;
        }
    } else if (ctr_get(rt, latest ? id : it.args[0], &c, err) < 0) {
        if (latest || (*err)->kind != BK_NO_SUCH)
            goto out;
        /* podman looks for an image (and a layer) too */
        berr_freep(err);
        if (img_diff(rt, it.args[0], NULL, &v, &n, err) < 0) {
            if ((*err)->kind != BK_NO_SUCH)
                goto out;
            berr_freep(err);
            berr_kind(err, BK_NO_SUCH, "%s not found: layer not known", it.args[0]);
            goto out;
        }
    } else if (ctr_diff(rt, c, &v, &n, err) < 0) {
        goto out;
    }
    r = print_changes(v, n, format, err);
out:
    ctr_changes_free(v, n);
    opt_free(&it);
    return r;
}

#define DIFF_DESC "Lists what a container changed in its root file system against its image,\n" \
    "one \"KIND PATH\" line each, sorted by path: A added, C changed (content, mode,\n" \
    "owner or time; the parent of an added or deleted name), D deleted (what was\n" \
    "under a deleted directory is not listed). Volumes, bind mounts and the files\n" \
    "every container gets (/etc/hosts, /etc/resolv.conf, /run/.containerenv, the\n" \
    "mount points /dev, /proc, /sys, /run) are not changes. --format json prints\n" \
    "{\"changed\": [...], \"added\": [...], \"deleted\": [...]}, empty lists left out.\n" \
    "A name that is no container's is looked up as an image: its top layer's\n" \
    "changes against the layers under it are listed (`berth image diff`); with a\n" \
    "second image, the first one's changes against it."

const struct cmd cmd_diff = { .name = "diff", .summary = "Display the changes to the object's file system",
    .usage = "[options] {CONTAINER|IMAGE} [IMAGE]", .description = DIFF_DESC,
    .examples = "berth diff ctrID\nberth diff --format json ctrID",
    .opts = diff_opts, .fn = diff_fn, .need = RT_FULL };

static int image_diff_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct ctr_change *v = NULL;
    const char *format = NULL;
    size_t n = 0;
    int ch, r = -1;

    cmd_opt_init(&it, cx);
    while ((ch = opt_next(&it, argc, argv, err)) > 0)
        if (ch == D_FORMAT)
            format = it.arg;
    if (ch == 0 && !it.help && format && strcmp(format, "json"))
        ch = berr_msg(err, "only supported value for '--format' is 'json'");
    if (ch == 0 && !it.help && (it.nargs < 1 || it.nargs > 2))
        ch = cmd_usage_err(cx, err, "accepts between 1 and 2 arg(s), received %d", it.nargs);
    if (ch < 0 || it.help) {
        opt_free(&it);
        return ch < 0 ? -1 : 0;
    }
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 ||
        img_diff(rt, it.args[0], it.nargs == 2 ? it.args[1] : NULL, &v, &n, err) < 0) {
        /* podman's words: "X not found: X: image not known" */
        if (*err && (*err)->kind == BK_NO_SUCH)
            berr_wrap(err, "%s not found", it.nargs == 2 && !strstr((*err)->msg, it.args[0])
                                               ? it.args[1] : it.args[0]);
        goto out;
    }
    r = print_changes(v, n, format, err);
out:
    ctr_changes_free(v, n);
    opt_free(&it);
    return r;
}

static const struct cmd_opt image_diff_opts[] = {
    { "format", D_FORMAT, OPT_ARG, "string", "Change the output format (json)", 0 },
    { 0 }
};

const struct cmd cmd_image_diff = { .name = "diff",
    .summary = "Inspect changes to the image's file system",
    .usage = "[options] IMAGE [IMAGE]",
    .description =
        "Lists what an image's top layer changed against the layers under it, one\n"
        "\"KIND PATH\" line each, sorted by path (A added, C changed, D deleted; a\n"
        "one-layer image: all added), or with a second IMAGE what the first one's\n"
        "tree has against the second's. --format json prints {\"changed\": [...],\n"
        "\"added\": [...], \"deleted\": [...]}, empty lists left out.",
    .examples = "berth image diff localhost/web:v2\nberth image diff --format json web:v2 web:v1",
    .opts = image_diff_opts, .fn = image_diff_fn, .need = RT_FULL };
