/*
 * cmd/tag.c: berth tag, untag, image exists. The names, their
 * normalization and the events are runtime/image.c's.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/image.h"
#include "util/cleanup.h"

static const struct cmd_opt no_opts[] = { { 0 } };

/* Parses flags (none) and returns the operands. */
static int operands(struct cmd_ctx *cx, int argc, char **argv, char ***ops, int *n,
                    struct berr **err)
{
    struct opt_it it;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        ;
    if (c < 0 || it.help) {
        opt_free(&it);      /* frees the operands: *ops must not see them */
        return c < 0 ? -1 : 1;
    }
    *n = it.nargs;
    *ops = STEAL_PTR(it.args);  /* the caller keeps the operand array */
    opt_free(&it);
    return 0;
}

/* tag IMAGE NAME... and untag IMAGE [NAME...]: the image the first operand
 * names gets (or loses) the others; untag without names drops them all,
 * as podman does. */
static int retag(struct cmd_ctx *cx, int argc, char **argv, bool untag, struct berr **err)
{
    _cleanup_free_ char **ops = NULL;
    struct runtime *rt;
    _cleanup_img_ struct img *img = NULL;
    int n, r = operands(cx, argc, argv, &ops, &n, err);

    if (r)
        return r < 0 ? -1 : 0;
    if (n < (untag ? 1 : 2))
        return cmd_usage_err(cx, err, "requires at least %d arg(s), only received %d",
                             untag ? 1 : 2, n);
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || img_lookup(rt, ops[0], &img, err) < 0)
        return -1;
    if (untag && n == 1)
        return img_untag(rt, img, NULL, err);
    for (int i = 1; i < n; i++)
        if ((untag ? img_untag : img_tag)(rt, img, ops[i], err) < 0)
            return -1;
    return 0;
}

static int tag_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return retag(cx, argc, argv, false, err);
}

static int untag_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return retag(cx, argc, argv, true, err);
}

static int exists_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    _cleanup_free_ char **ops = NULL;
    struct runtime *rt;
    bool exists;
    int n, r = operands(cx, argc, argv, &ops, &n, err);

    if (r)
        return r < 0 ? -1 : 0;
    if (n != 1)
        return cmd_usage_err(cx, err, "accepts 1 arg(s), received %d", n);
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || img_exists(rt, ops[0], &exists, err) < 0)
        return -1;
    return exists ? 0 : 1;
}

const struct cmd cmd_tag = {
    .name = "tag", .summary = "Add an additional name to a local image",
    .usage = "IMAGE TARGET_NAME [TARGET_NAME...]",
    .description = "Adds names to an image. A short name gets localhost/ and a\n"
                   "missing tag :latest; a name another image had moves here.",
    .examples = "berth tag busybox localhost/box:1\nberth tag 0123456789ab mybox",
    .opts = no_opts, .fn = tag_fn, .need = RT_FULL,
};

const struct cmd cmd_untag = {
    .name = "untag", .summary = "Remove a name from a local image",
    .usage = "IMAGE [IMAGE_NAME...]",
    .description = "Removes the given names from an image, or every name when none\n"
                   "is given; the image itself stays.",
    .examples = "berth untag busybox localhost/box:1\nberth untag busybox",
    .opts = no_opts, .fn = untag_fn, .need = RT_FULL,
};

const struct cmd cmd_image_exists = {
    .name = "exists", .summary = "Check if an image exists in local storage",
    .usage = "IMAGE",
    .description = "Exits 0 when the image is in local storage, 1 when it is not, and 125\n"
                   "when the check itself failed.",
    .examples = "berth image exists busybox",
    .opts = no_opts, .fn = exists_fn, .need = RT_FULL,
};
