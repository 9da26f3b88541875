/*
 * cmd/image_tree.c: berth image tree, as podman 4.3.1's (the text is
 * runtime/image_tree.c's).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "runtime/image.h"
#include "util/cleanup.h"

enum { O_WHATREQUIRES = 256 };

static const struct cmd_opt tree_opts[] = {
    { "whatrequires", O_WHATREQUIRES, OPT_FLAG, NULL,
      "Show all child images and layers of the specified image", 0 },
    { 0 }
};

static int tree_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    _cleanup_free_ char *text = NULL;
    bool whatrequires = false;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == O_WHATREQUIRES)
            whatrequires = it.bval;
    if ((c = cmd_begin(cx, &it, c, 1, 1, &rt, err)) <= 0)
        return c;
    c = img_tree(rt, it.args[0], whatrequires, &text, err);
    opt_free(&it);
    if (c < 0)
        return -1;
    /* podman prints the tree's text with Println: a blank line ends it */
    printf("%s\n", text);
    return 0;
}

const struct cmd cmd_image_tree = {
    .name = "tree", .summary = "Prints layer hierarchy of an image in a tree format",
    .usage = "[options] IMAGE",
    .description =
        "Prints the image's id, tags and size, then its layers, base first: each\n"
        "layer's id (its chain id), its size, and the tags of the images whose top\n"
        "layer it is. --whatrequires prints instead the layers built on the image's\n"
        "top layer, the images that require it: a chain of layers stays on one\n"
        "level, and where a layer has several children each starts a branch. (In\n"
        "podman's store each container has a layer of its own, which podman's tree\n"
        "lists among the children too; berth's containers have none.)",
    .examples = "berth image tree busybox\n"
                "berth image tree --whatrequires busybox",
    .opts = tree_opts, .fn = tree_fn, .need = RT_FULL,
};
