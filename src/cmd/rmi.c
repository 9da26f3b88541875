/*
 * cmd/rmi.c: berth rmi / image rm, and image prune, as podman 4.3.1.
 *
 * rmi NAME on an image with other names only untags NAME; the last name,
 * or an id, removes the image (an id with several names wants -f). A
 * container using the image refuses the removal (exit 2) unless -f, which
 * removes those containers first. A removed image's parent that is left
 * without names and children goes too. Output: "Untagged: NAME" lines,
 * then "Deleted: ID" lines. Exit codes: 1 when an image was not known
 * (and nothing worse), 2 when one is in use, 125 otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/img_view.h"
#include "runtime/container.h"
#include "runtime/runtime.h"
#include "storage/reference.h"
#include "util/cleanup.h"

struct rmi_report {
    char **untagged;
    char **deleted;
    struct berr *last;          /* the error main() prints */
    int exit_code;              /* 0, 1, 2 or 125 (the worst wins) */
};

static void report_error(struct rmi_report *rep, struct berr *e, int code)
{
    if (rep->last) {            /* podman prints every error: the earlier ones here */
        fprintf(stderr, "Error: %s\n", rep->last->msg);
        berr_free(rep->last);
    }
    rep->last = e;
    if (code == 125 || rep->exit_code == 0 || (code == 2 && rep->exit_code == 1))
        rep->exit_code = code;
}

/* Removes the containers made from the image (rmi -f). */
static int remove_users(struct runtime *rt, struct store *s, const char *id, bool force,
                        struct berr **err)
{
    _cleanup_strv_ char **users = NULL;

    if (store_image_containers(s, id, &users, err) < 0)
        return -1;
    if (users[0] && !force)
        return berr_new(err, 2, 0, "image used by %s: image is in use by a container: "
                        "consider listing external containers and force-removing image",
                        users[0]);
    for (size_t i = 0; users[i]; i++) {
        struct ctr *c = NULL;
        if (ctr_get_id(rt, users[i], &c, err) < 0) {
            if ((*err)->kind != BK_NO_SUCH)
                return -1;
            /* a rootfs without a container record: drop the rootfs */
            berr_free(*err);
            *err = NULL;
            if (store_ctr_delete(s, users[i], err) < 0)
                return -1;
            continue;
        }
        int r = ctr_remove(rt, c, true, 0, err);
        ctr_put(c);
        if (r < 0)
            return -1;
    }
    return 0;
}

static void image_event(struct runtime *rt, const char *status, const char *id,
                        const char *name)
{
    struct event e = { .type = "image", .status = status, .id = id, .name = name };
    rt_event(rt, &e);
}

/* Removes the whole image: its containers (force), every name, the record. */
static int remove_image(struct runtime *rt, struct store *s, const struct store_image *img,
                        bool force, struct rmi_report *rep, struct berr **err)
{
    if (remove_users(rt, s, img->id, force, err) < 0 ||
        store_image_remove(s, img->id, force, err) < 0)
        return -1;
    for (char **n = img->names; *n; n++) {
        strv_push(&rep->untagged, *n);
        image_event(rt, "untag", img->id, *n);
    }
    strv_push(&rep->deleted, img->id);
    image_event(rt, "remove", img->id, img->names[0] ? img->names[0] : img->id);
    return 0;
}

/* After a removal: a parent left without names, children and containers goes. */
static void remove_parents(struct runtime *rt, struct store *s, const char *parent,
                           struct rmi_report *rep)
{
    _cleanup_free_ char *id = str_dup(parent);

    while (id) {
        struct img_views vs = { 0 };
        struct berr *e = NULL;
        if (img_views_load(s, &vs, &e) < 0) {
            berr_free(e);
            return;
        }
        struct img_view *v = img_views_find(&vs, id);
        free(id);
        id = NULL;
        if (v && v->dangling && v->ncontainers == 0) {
            id = str_dup(v->parent);
            if (remove_image(rt, s, v->img, false, rep, &e) < 0) {
                berr_free(e);
                free(id);
                id = NULL;
            }
        }
        img_views_free(&vs);
    }
}

/* Which of the image's names the user's reference means (NULL: the id). */
static const char *named_by(const struct store_image *img, const char *ref)
{
    _cleanup_ref_ struct ref r = { 0 };
    struct berr *e = NULL;
    const char *hex = str_has_prefix(ref, "sha256:") ? ref + 7 : ref;

    if (ref_is_hex(hex) && str_has_prefix(img->id, hex))
        return NULL;
    for (char **n = img->names; *n; n++)
        if (!strcmp(*n, ref))
            return *n;
    if (ref_parse(ref, &r, &e) < 0) {
        berr_free(e);
        return NULL;
    }
    if (r.domain) {
        _cleanup_free_ char *full = NULL;
        if (ref_normalize_str(ref, "docker.io", &full, &e) == 0)
            for (char **n = img->names; *n; n++)
                if (!strcmp(*n, full))
                    return *n;
        berr_free(e);
        return NULL;
    }
    for (char **n = img->names; *n; n++)
        if (ref_short_matches(&r, *n))
            return *n;
    return NULL;
}

static void rmi_one(struct runtime *rt, struct store *s, const char *ref, bool force,
                    bool ignore, struct rmi_report *rep)
{
    _cleanup_image_ struct store_image *img = NULL;
    struct berr *e = NULL;

    if (store_image_lookup(s, ref, &img, &e) < 0) {
        if (e->kind == BK_NO_SUCH && ignore) {
            berr_free(e);
            return;
        }
        report_error(rep, e, e->kind == BK_NO_SUCH ? 1 : 125);
        return;
    }
    const char *name = named_by(img, ref);
    size_t nnames = strv_len(img->names);
    if (name && nnames > 1) {           /* one of several names: untag only */
        _cleanup_free_ char *n = str_dup(name);
        if (!n || store_image_untag(s, img->id, n, &e) < 0) {
            report_error(rep, e ? e : (berr_oom(&e), e), 125);
            return;
        }
        strv_push(&rep->untagged, n);
        image_event(rt, "untag", img->id, n);
        return;
    }
    if (!name && nnames > 1 && !force) {
        _cleanup_free_ char *list = strv_join(img->names, " ");
        berr_msg(&e, "unable to delete image \"%s\" by ID with more than one tag ([%s]): "
                 "please force removal", img->id, list ? list : "");
        report_error(rep, e, 125);
        return;
    }
    struct img_views vs = { 0 };
    _cleanup_free_ char *parent = NULL;
    if (img_views_load(s, &vs, &e) == 0) {
        struct img_view *v = img_views_find(&vs, img->id);
        parent = v && v->parent ? str_dup(v->parent) : NULL;
        img_views_free(&vs);
    } else {
        berr_free(e);
        e = NULL;
    }
    if (remove_image(rt, s, img, force, rep, &e) < 0) {
        report_error(rep, e, e->exit_code == 2 ? 2 : 125);
        return;
    }
    if (parent)
        remove_parents(rt, s, parent, rep);
}

static int rmi_finish(struct rmi_report *rep, struct berr **err)
{
    for (char **u = rep->untagged; u && *u; u++)
        printf("Untagged: %s\n", *u);
    for (char **d = rep->deleted; d && *d; d++)
        printf("Deleted: %s\n", *d);
    strv_free(rep->untagged);
    strv_free(rep->deleted);
    if (!rep->last)
        return 0;
    rep->last->exit_code = rep->exit_code;
    *err = rep->last;
    return -1;
}

enum { O_IGNORE = 'i' };

static const struct cmd_opt rmi_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Remove all images", 0 },
    { "force", 'f', OPT_FLAG, NULL, "Force Removal of the image (removes the containers "
      "using it, and an image referenced by id with several names)", 0 },
    { "ignore", O_IGNORE, OPT_FLAG, NULL, "Ignore errors if a specified image does not exist", 0 },
    { 0 }
};

static int rmi_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct store *s;
    struct rmi_report rep = { 0 };
    bool all = false, force = false, ignore = false;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': all = it.bval; break;
        case 'f': force = it.bval; break;
        case O_IGNORE: ignore = it.bval; break;
        }
    }
    if (c == 0 && !it.help) {
        if (all && it.nargs > 0)
            c = berr_msg(err, "when using the --all switch, you may not pass any images names "
                         "or IDs");
        else if (!all && it.nargs == 0)
            c = berr_msg(err, "image name or ID must be specified");
    }
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0 || rt_store(rt, &s, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    if (all) {
        struct store_image **v = NULL;
        size_t n = 0;
        if (store_images(s, &v, &n, err) < 0) {
            opt_free(&it);
            return -1;
        }
        /* newest first, so children go before their parents */
        for (size_t i = n; i-- > 0;) {
            struct berr *e = NULL;
            if (store_image_exists(s, v[i]->id) && remove_image(rt, s, v[i], force, &rep, &e) < 0)
                report_error(&rep, e, e->exit_code == 2 ? 2 : 125);
        }
        store_images_free(v, n);
    } else {
        for (int i = 0; i < it.nargs; i++)
            rmi_one(rt, s, it.args[i], force, ignore, &rep);
    }
    opt_free(&it);
    return rmi_finish(&rep, err);
}

#define RMI_CMD(var, nm, al)                                                             \
    const struct cmd var = {                                                             \
        .name = nm, .aliases = al, .summary = "Remove one or more images from local storage", \
        .usage = "[options] IMAGE [IMAGE...]",                                           \
        .description =                                                                   \
            "Removes images. A name of an image that has other names only untags it;\n"  \
            "its last name or its id removes the image and every layer nothing else\n"   \
            "uses, then a parent image left without names. An image used by a\n"        \
            "container is refused (exit 2) unless --force, which removes those\n"        \
            "containers first. Prints \"Untagged: NAME\" and \"Deleted: ID\" lines. Exit\n" \
            "codes: 0 all removed, 1 an image was not known, 2 an image is in use, 125\n" \
            "any other failure.",                                                        \
        .examples = "berth rmi busybox\nberth rmi -f 0341d88d4d11\nberth rmi --all --force", \
        .opts = rmi_opts, .fn = rmi_fn, .need = RT_FULL,                                 \
    }
RMI_CMD(cmd_rmi, "rmi", NULL);
RMI_CMD(cmd_image_rm, "rm", "remove");

/* ---- image prune --------------------------------------------------------- */

enum { O_FILTER = 256 };

static const struct cmd_opt prune_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Remove all images not in use by containers, not just "
      "dangling ones", 0 },
    { "filter", O_FILTER, OPT_ARG, "stringArray", "Provide filter values (e.g. 'label=<key>=<value>', "
      "'until=10m')", 0 },
    { "force", 'f', OPT_FLAG, NULL, "Do not prompt for confirmation", 0 },
    { 0 }
};

static bool confirm(bool all)
{
    char line[64] = "";

    fprintf(stderr, "WARNING! This command removes all %s.\nAre you sure you want to "
            "continue? [y/N] ", all ? "images without at least one container associated "
            "with them" : "dangling images");
    fflush(stderr);
    if (!fgets(line, sizeof(line), stdin))
        return false;
    return line[0] == 'y' || line[0] == 'Y';
}

static int prune_pass(struct runtime *rt, struct store *s, char **filters, bool all,
                      struct rmi_report *rep, size_t *removed, struct berr **err)
{
    struct img_views vs = { 0 };
    struct img_filters *fs = NULL;

    *removed = 0;
    if (img_views_load(s, &vs, err) < 0)
        return -1;
    if (img_filters_parse(s, &vs, filters, &fs, err) < 0) {
        img_views_free(&vs);
        return -1;
    }
    /* newest first, so children go before their parents */
    for (size_t i = vs.n; i-- > 0;) {
        struct img_view *v = &vs.v[i];
        struct berr *e = NULL;
        if (v->ncontainers || !img_filters_match(fs, v) || (!all && !v->dangling))
            continue;
        if (remove_image(rt, s, v->img, false, rep, &e) < 0) {
            report_error(rep, e, 125);
            continue;
        }
        (*removed)++;
    }
    img_filters_free(fs);
    img_views_free(&vs);
    return 0;
}

static int prune_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct store *s;
    struct rmi_report rep = { 0 };
    bool all = false, force = false;
    _cleanup_strv_ char **filters = NULL;
    size_t removed;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': all = it.bval; break;
        case 'f': force = it.bval; break;
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
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || rt_store(rt, &s, err) < 0)
        return -1;
    if (!force && !confirm(all))
        return 0;
    /* removing an image can leave its parent dangling: repeat until stable */
    do {
        if (prune_pass(rt, s, filters, all, &rep, &removed, err) < 0) {
            strv_free(rep.untagged);
            strv_free(rep.deleted);
            berr_free(rep.last);
            return -1;
        }
    } while (removed > 0 && !rep.last);
    /* prune prints the removed ids only */
    for (char **d = rep.deleted; d && *d; d++)
        printf("%s\n", *d);
    strv_free(rep.untagged);
    strv_free(rep.deleted);
    rep.untagged = rep.deleted = NULL;
    return rmi_finish(&rep, err);
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
