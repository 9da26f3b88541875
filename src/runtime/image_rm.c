/*
 * runtime/image_rm.c: removing images with podman 4.3.1's rmi policy, and
 * image prune (runtime/image.h).
 *
 * A name of an image with other names only untags; the last name, or the
 * id, removes the image. Containers using it refuse the removal unless
 * forced, which removes them first (rmi -f). The store deletes the record
 * and the layers nothing else uses; here a removed image's parent left
 * without names, children and containers goes too. Events: untag per
 * name, then remove.
 */
#include <string.h>

#include "runtime/container.h"
#include "runtime/image_int.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/str.h"

void img_rm_report_free(struct img_rm_report *rep)
{
    strv_free(rep->untagged);
    strv_free(rep->deleted);
    for (size_t i = 0; i < rep->nerrs; i++)
        berr_free(rep->errs[i].err);
    free(rep->errs);
    memset(rep, 0, sizeof(*rep));
}

/* Records the failure e (taken over) of one image with its exit code. */
static int rep_err(struct img_rm_report *rep, struct berr *e, int code, struct berr **err)
{
    struct img_rm_err *n = realloc(rep->errs, (rep->nerrs + 1) * sizeof(*n));

    if (!n) {
        berr_free(e);
        return berr_oom(err);
    }
    rep->errs = n;
    rep->errs[rep->nerrs++] = (struct img_rm_err) { e, code };
    return 0;
}

/* Removes the containers made from the image (forced), or refuses. */
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

/* Removes the whole image: its containers (force), every name, the record. */
static int remove_image(struct runtime *rt, struct store *s, const struct img *img, bool force,
                        struct img_rm_report *rep, struct berr **err)
{
    if (remove_users(rt, s, img->id, force, err) < 0 ||
        store_image_remove(s, img->id, force, err) < 0)
        return -1;
    for (char *const *n = img->names; *n; n++) {
        img_event(rt, "untag", img->id, *n);
        if (strv_push(&rep->untagged, *n) < 0)
            return berr_oom(err);
    }
    img_event(rt, "remove", img->id, img->names[0] ? img->names[0] : img->id);
    return strv_push(&rep->deleted, img->id) < 0 ? berr_oom(err) : 0;
}

/* podman's rmi exit code for a failed removal: 2 in use, else 125. */
static int removal_code(const struct berr *e)
{
    return e->exit_code == 2 ? 2 : BERR_ENGINE;
}

/* After a removal: a parent left without names, children and containers
 * goes, and then its parent. Failures end the walk quietly, as podman's. */
static int remove_parents(struct runtime *rt, struct store *s, const char *parent,
                          struct img_rm_report *rep, struct berr **err)
{
    _cleanup_free_ char *id = str_dup(parent);

    if (!id)
        return berr_oom(err);
    while (id) {
        struct img_views vs = { 0 };
        struct berr *e = NULL;
        if (img_views_load(rt, IMG_VIEW_CONTAINERS, &vs, &e) < 0) {
            berr_free(e);
            return 0;
        }
        struct img_view *v = img_views_find(&vs, id);
        free(STEAL_PTR(id));
        if (v && v->dangling && v->ncontainers == 0) {
            if (v->parent && !(id = str_dup(v->parent))) {
                img_views_free(&vs);
                return berr_oom(err);
            }
            if (remove_image(rt, s, v->img, false, rep, &e) < 0) {
                berr_free(e);
                free(STEAL_PTR(id));
            }
        }
        img_views_free(&vs);
    }
    return 0;
}

/* Which of the image's names the user's reference means (NULL: the id). */
static const char *named_by(const struct img *img, const char *ref)
{
    _cleanup_ref_ struct ref r = { 0 };
    struct berr *e = NULL;
    const char *hex = str_has_prefix(ref, "sha256:") ? ref + 7 : ref;

    if (ref_is_hex(hex) && str_has_prefix(img->id, hex))
        return NULL;
    for (char *const *n = img->names; *n; n++)
        if (!strcmp(*n, ref))
            return *n;
    if (ref_parse(ref, &r, &e) < 0) {
        berr_free(e);
        return NULL;
    }
    if (r.domain) {
        _cleanup_free_ char *full = NULL;
        if (ref_normalize_str(ref, "docker.io", &full, &e) == 0)
            for (char *const *n = img->names; *n; n++)
                if (!strcmp(*n, full))
                    return *n;
        berr_free(e);
        return NULL;
    }
    for (char *const *n = img->names; *n; n++)
        if (ref_short_matches(&r, *n))
            return *n;
    return NULL;
}

/* The parent image of id (a copy), or NULL when none or unknown. */
static int parent_of(struct runtime *rt, const char *id, char **out, struct berr **err)
{
    struct img_views vs = { 0 };
    struct berr *e = NULL;

    *out = NULL;
    if (img_views_load(rt, 0, &vs, &e) < 0) {
        berr_free(e);           /* no parent pass, as podman when it cannot tell */
        return 0;
    }
    struct img_view *v = img_views_find(&vs, id);
    int r = v && v->parent && !(*out = str_dup(v->parent)) ? berr_oom(err) : 0;
    img_views_free(&vs);
    return r;
}

/* A name of several: untag that one only. */
static int untag_one(struct runtime *rt, struct store *s, const struct img *img, const char *name,
                     struct img_rm_report *rep, struct berr **err)
{
    _cleanup_free_ char *n = str_dup(name);
    struct berr *e = NULL;

    if (!n)
        return berr_oom(err);
    if (store_image_untag(s, img->id, n, &e) < 0)
        return rep_err(rep, e, BERR_ENGINE, err);
    img_event(rt, "untag", img->id, n);
    return strv_push_take(&rep->untagged, STEAL_PTR(n)) < 0 ? berr_oom(err) : 0;
}

int img_rm(struct runtime *rt, const char *ref, unsigned flags, struct img_rm_report *rep,
           struct berr **err)
{
    _cleanup_img_ struct img *img = NULL;
    _cleanup_free_ char *parent = NULL;
    bool force = flags & IMG_RM_FORCE;
    struct berr *e = NULL;
    struct store *s;

    if (rt_store(rt, &s, err) < 0)
        return -1;
    if (img_lookup_store(s, ref, &img, &e) < 0) {
        /* as podman's libimage: --force also ignores an unknown image */
        if (e->kind == BK_NO_SUCH && (flags & (IMG_RM_IGNORE | IMG_RM_FORCE))) {
            berr_free(e);
            return 0;
        }
        return rep_err(rep, e, e->kind == BK_NO_SUCH ? 1 : BERR_ENGINE, err);
    }
    const char *name = named_by(img, ref);
    size_t nnames = strv_len(img->names);
    if (name && nnames > 1)
        return untag_one(rt, s, img, name, rep, err);
    if (!name && nnames > 1 && !force) {
        _cleanup_free_ char *list = strv_join(img->names, " ");
        berr_msg(&e, "unable to delete image \"%s\" by ID with more than one tag ([%s]): "
                 "please force removal", img->id, list ? list : "");
        return rep_err(rep, e, BERR_ENGINE, err);
    }
    if (parent_of(rt, img->id, &parent, err) < 0)
        return -1;
    if (remove_image(rt, s, img, force, rep, &e) < 0)
        return rep_err(rep, e, removal_code(e), err);
    return parent && !(flags & IMG_RM_NO_PRUNE) ? remove_parents(rt, s, parent, rep, err) : 0;
}

int img_rm_all(struct runtime *rt, unsigned flags, struct img_rm_report *rep,
               struct berr **err)
{
    struct store *s;
    struct img **v = NULL;
    size_t n = 0;
    int r = 0;

    if (rt_store(rt, &s, err) < 0 || img_list_store(s, &v, &n, err) < 0)
        return -1;
    /* newest first, so children go before their parents */
    for (size_t i = n; r == 0 && i-- > 0;) {
        struct berr *e = NULL;
        if (store_image_exists(s, v[i]->id) &&
            remove_image(rt, s, v[i], flags & IMG_RM_FORCE, rep, &e) < 0)
            r = rep_err(rep, e, removal_code(e), err);
    }
    img_list_free(v, n);
    return r;
}

/* image prune --external: are the image's users all root file systems
 * that no record knows (external)? */
static bool only_external_users(struct store *s, const char *id, char *const *external)
{
    _cleanup_strv_ char **users = NULL;
    struct berr *e = NULL;

    if (store_image_containers(s, id, &users, &e) < 0) {
        berr_free(e);
        return false;
    }
    for (size_t i = 0; users[i]; i++)
        if (!strv_contains(external, users[i]))
            return false;
    return true;
}

/* One pass of prune: *removed counts what went. external (--external, else
 * NULL): the root file systems no record knows, which do not keep an image
 * and go with it. */
static int prune_pass(struct runtime *rt, struct store *s, char *const *filters, bool all,
                      char *const *external, struct img_rm_report *rep, size_t *removed,
                      struct berr **err)
{
    struct img_views vs = { 0 };
    struct img_filters *fs = NULL;
    int r = 0;

    *removed = 0;
    if (img_views_load(rt, IMG_VIEW_CONFIG | IMG_VIEW_CONTAINERS, &vs, err) < 0)
        return -1;
    if (img_filters_parse(rt, filters, &fs, err) < 0) {
        img_views_free(&vs);
        return -1;
    }
    /* newest first, so children go before their parents */
    for (size_t i = vs.n; r == 0 && i-- > 0;) {
        struct img_view *v = &vs.v[i];
        struct berr *e = NULL;
        if ((v->ncontainers && !(external && only_external_users(s, v->img->id, external))) ||
            !img_filters_match(fs, v) || (!all && !v->dangling))
            continue;
        /* forced when external root file systems use it: they go first */
        if (remove_image(rt, s, v->img, v->ncontainers > 0, rep, &e) < 0)
            r = rep_err(rep, e, BERR_ENGINE, err);
        else
            (*removed)++;
    }
    img_filters_free(fs);
    img_views_free(&vs);
    return r;
}

int img_prune(struct runtime *rt, bool all, bool external, char *const *filters,
              struct img_rm_report *rep, struct berr **err)
{
    _cleanup_strv_ char **ext = NULL;
    struct store *s;
    size_t removed, nerrs = rep->nerrs;

    if (rt_store(rt, &s, err) < 0 || (external && ctr_external_ids(rt, &ext, err) < 0))
        return -1;
    /* removing an image can leave its parent dangling: repeat until stable */
    do {
        if (prune_pass(rt, s, filters, all, ext, rep, &removed, err) < 0)
            return -1;
    } while (removed > 0 && rep->nerrs == nerrs);
    /* prune reports the removed ids only */
    strv_free(STEAL_PTR(rep->untagged));
    return 0;
}
