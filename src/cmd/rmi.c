/*
 * cmd/rmi.c: berth rmi / image rm, and image prune, as podman 4.3.1.
 *
 * rmi NAME on an image with other names only untags NAME; the last name,
 * or an id, removes the image (an id with several names wants -f). A
 * container using the image refuses the removal (exit 2) unless -f, which
 * removes those containers first. A removed image's parent that is left
 * without names and children goes too. Output: "Untagged: NAME" lines,
 * then "Deleted: ID" lines. Exit codes: 1 when an image was not known
 * (and nothing worse), 2 when one is in use, 125 otherwise. The policy
 * and the events are runtime/image_rm.c's; this file parses and prints.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/image.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"

/* Prints what the removal did; returns the failure with podman's exit
 * code: the worst of 1 (not known), 2 (in use) and 125 wins. For rmi,
 * several failures are one error, as podman's errorhandling.JoinErrors
 * makes it: "N errors occurred:" and a "\t* MSG" line each; prune prints
 * the earlier ones and returns the last. rmi_lines: rmi's "Untagged:"
 * and "Deleted:" lines; else (prune) the deleted ids only. */
static int rmi_finish(struct img_rm_report *rep, bool rmi_lines, struct berr **err)
{
    _cleanup_sbuf_ struct sbuf joined = SBUF_INIT;
    struct berr *last = NULL;
    bool join = rmi_lines && rep->nerrs > 1;
    int code = 0;

    if (join)
        sbuf_addf(&joined, "%zu errors occurred:", rep->nerrs);
    for (size_t i = 0; i < rep->nerrs; i++) {
        int c = rep->errs[i].code;
        if (join) {
            sbuf_addf(&joined, "\n\t* %s", rep->errs[i].err ? rep->errs[i].err->msg : "");
            berr_free(last);
            last = STEAL_PTR(rep->errs[i].err);
        } else {
            cmd_err_next(&last, STEAL_PTR(rep->errs[i].err));
        }
        if (c == BERR_ENGINE || code == 0 || (c == 2 && code == 1))
            code = c;
    }
    for (char **u = rep->untagged; rmi_lines && u && *u; u++)
        printf("Untagged: %s\n", *u);
    for (char **d = rep->deleted; d && *d; d++)
        printf(rmi_lines ? "Deleted: %s\n" : "%s\n", *d);
    img_rm_report_free(rep);
    if (!last)
        return 0;
    /* the same message with the command's exit code (a fresh object: the
     * out-of-memory one is shared) */
    berr_new(err, code, 0, "%s", join && !joined.oom ? sbuf_str(&joined) : last->msg);
    berr_free(last);
    return -1;
}

enum { O_IGNORE = 'i', O_NO_PRUNE = 256 };

static const struct cmd_opt rmi_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Remove all images", 0 },
    { "force", 'f', OPT_FLAG, NULL, "Force Removal of the image (removes the containers "
      "using it, and an image referenced by id with several names)", 0 },
    { "ignore", O_IGNORE, OPT_FLAG, NULL, "Ignore errors if a specified image does not exist", 0 },
    { "no-prune", O_NO_PRUNE, OPT_FLAG, NULL, "Do not remove dangling parent images", 0 },
    { 0 }
};

static int rmi_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct img_rm_report rep = { 0 };
    bool all = false, force = false, ignore = false, no_prune = false;
    int c, r = 0;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': all = it.bval; break;
        case 'f': force = it.bval; break;
        case O_IGNORE: ignore = it.bval; break;
        case O_NO_PRUNE: no_prune = it.bval; break;
        }
    }
    if (c == 0 && !it.help) {
        if (all && it.nargs > 0)
            c = berr_msg(err, "when using the --all switch, you may not pass any images names "
                         "or IDs");
        else if (!all && it.nargs == 0)
            c = berr_msg(err, "image name or ID must be specified");
    }
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    unsigned flags = (force ? IMG_RM_FORCE : 0) | (ignore ? IMG_RM_IGNORE : 0) |
                     (no_prune ? IMG_RM_NO_PRUNE : 0);
    if (all)
        r = img_rm_all(rt, flags, &rep, err);
    for (int i = 0; r == 0 && i < it.nargs; i++)
        r = img_rm(rt, it.args[i], flags, &rep, err);
    opt_free(&it);
    if (r < 0) {
        img_rm_report_free(&rep);
        return -1;
    }
    return rmi_finish(&rep, true, err);
}

const struct cmd cmd_rmi = {
    .name = "rmi", .summary = "Remove one or more images from local storage",
    .usage = "[options] IMAGE [IMAGE...]",
    .description =
        "Removes images. A name of an image that has other names only untags it;\n"
        "its last name or its id removes the image and every layer nothing else\n"
        "uses, then a parent image left without names. An image used by a\n"
        "container is refused (exit 2) unless --force, which removes those\n"
        "containers first. Prints \"Untagged: NAME\" and \"Deleted: ID\" lines. Exit\n"
        "codes: 0 all removed, 1 an image was not known, 2 an image is in use, 125\n"
        "any other failure.",
    .examples = "berth rmi busybox\nberth rmi -f 0341d88d4d11\nberth rmi --all --force",
    .opts = rmi_opts, .fn = rmi_fn, .need = RT_FULL,
};

/* ---- image prune --------------------------------------------------------- */

enum { O_FILTER = 256, O_EXTERNAL };

static const struct cmd_opt prune_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Remove all images not in use by containers, not just "
      "dangling ones", 0 },
    { "external", O_EXTERNAL, OPT_FLAG, NULL, "Remove images even when they are used by external "
      "containers (root file systems no berth container owns), and those with them", 0 },
    { "filter", O_FILTER, OPT_ARG, "stringArray", "Provide filter values (e.g. 'label=<key>=<value>', "
      "'until=10m')", 0 },
    { "force", 'f', OPT_FLAG, NULL, "Do not prompt for confirmation", 0 },
    { 0 }
};

static int confirm(bool all, struct berr **err)
{
    printf("WARNING! This command removes all %s.\nAre you sure you want to "
           "continue? [y/N] ", all ? "images without at least one container associated "
           "with them" : "dangling images");
    return cmd_answer(err);
}

static int prune_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct img_rm_report rep = { 0 };
    bool all = false, force = false, external = false;
    _cleanup_strv_ char **filters = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': all = it.bval; break;
        case 'f': force = it.bval; break;
        case O_EXTERNAL: external = it.bval; break;
        case O_FILTER:
            if (strv_push(&filters, it.arg) < 0)
                c = berr_oom(err);
            break;
        }
        if (c < 0)
            break;
    }
    if (c == 0 && !it.help && it.nargs > 0)
        c = cmd_usage_err(cx, err, "accepts 0 arg(s), received %d", it.nargs);
    opt_free(&it);
    if (c < 0 || it.help)
        return c;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    if (!force && (c = confirm(all, err)) <= 0)
        return c;
    if (img_prune(rt, all, external, filters, &rep, err) < 0) {
        img_rm_report_free(&rep);
        return -1;
    }
    return rmi_finish(&rep, false, err);
}

const struct cmd cmd_image_prune = {
    .name = "prune", .summary = "Remove unused images",
    .usage = "[options]",
    .description =
        "Removes dangling images (no names, no child images), or with --all every\n"
        "image no container uses, repeating until nothing more goes, and prints the\n"
        "ids removed. --filter narrows the candidates (label=KEY[=VALUE], label!=...,\n"
        "until=TIME and the other `images` filters). Asks for confirmation on stdin\n"
        "unless --force.",
    .examples = "berth image prune -f\nberth image prune -a -f\n"
                "berth image prune -a -f --filter label=stage=build",
    .opts = prune_opts, .fn = prune_fn, .need = RT_FULL,
};
