/*
 * runtime/syscheck.c: system check (syscheck.h). The state checks its
 * own indexes (state/check.c), the store its layers (storage/check.c);
 * this file checks what ties them together and does the repairs that
 * need the runtime (removing containers and images the ordinary way).
 */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "runtime/cgreg.h"
#include "runtime/config.h"
#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/image.h"
#include "runtime/pod.h"
#include "runtime/rtdelete.h"
#include "runtime/syscheck.h"
#include "runtime/volume.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/mounts.h"
#include "util/str.h"

struct ck {
    struct runtime *rt;
    const struct check_opts *o;
    json_t *items;
    strv ctr_ids;           /* every container record, readable or not */
    strv netns;             /* the network namespaces readable records name */
    bool damaged_left;      /* an unreadable record stays: leaks unknowable */
    json_t *bad_images;     /* {id: problem} */
};

static void report(void *ctx, const char *what, const char *object, const char *problem,
                   bool repaired)
{
    struct ck *k = ctx;

    (void) json_array_append_new(k->items, json_pack("{s:s, s:s, s:s, s:b}", "What", what,
                                 "Object", object, "Problem", problem, "Repaired", repaired));
}

/* Reports, and with repair runs fix (0: fixed); its error joins the text. */
static void finding(struct ck *k, const char *what, const char *object, const char *problem,
                    bool may_fix, int (*fix)(struct ck *, const char *, void *), void *arg)
{
    _cleanup_free_ char *text = NULL;
    bool fixed = false;

    if (k->o->repair && may_fix && fix) {
        fixed = fix(k, object, arg) == 0;
        if (!fixed)
            text = str_fmt("%s (repair failed)", problem);
    }
    report(k, what, object, text ? text : problem, fixed);
}

/* ---- containers ---- */

/* A record that does not read, moved aside with why (state_quarantine). */
static int quarantine(struct ck *k, enum obj_kind kind, const char *id, const char *why)
{
    struct berr *e = NULL;
    int r = state_quarantine(k->rt->st, kind, id, why, NULL, &e);

    berr_free(e);
    return r;
}

static int quarantine_ctr(struct ck *k, const char *id, void *why)
{
    return quarantine(k, OBJ_CONTAINER, id, why);
}

static int remove_ctr(struct ck *k, const char *id, void *unused)
{
    struct berr *e = NULL;
    int r;

    (void) unused;
    r = ctr_remove_id(k->rt, id, true, 0, &e);
    berr_free(e);
    return r;
}

/* What the next command to take its lock would do: finish a killed
 * create (make its root file system, or remove it without its image). */
static int finish_ctr(struct ck *k, const char *id, void *unused)
{
    struct ctr *c = NULL;
    struct berr *e = NULL;
    int r;

    (void) unused;
    r = ctr_get_id(k->rt, id, &c, &e) < 0 || ctr_sync(k->rt, c, &e) < 0 ? -1 : 0;
    if (r < 0 && e->kind == BK_NO_SUCH)
        r = 0;      /* removed: its image is gone too */
    if (c)
        ctr_put(c);
    berr_free(e);
    return r;
}

static int relink_name(struct ck *k, const char *id, void *name)
{
    struct berr *e = NULL;
    int r = state_name_reserve(k->rt->st, name, OBJ_CONTAINER, id, &e);

    berr_free(e);
    return r;
}

static void check_container(struct ck *k, const char *id, char *const *rootfs,
                            json_t *img_of)
{
    struct ctr_config cfg;
    struct ctr_runstate st;
    _cleanup_free_ char *damage = NULL, *problem = NULL;
    struct berr *e = NULL;
    bool lost_create;

    if (ctr_read_salvage(k->rt, id, &cfg, &st, &damage, &e) < 0) {
        berr_free(e);       /* gone meanwhile */
        return;
    }
    if (damage) {
        problem = str_fmt("unreadable record: %s", damage);
        finding(k, "container", id, problem, true, quarantine_ctr, damage);
        k->damaged_left |= !k->o->repair;
        goto out;
    }
    if (st.net_ns && strv_push(&k->netns, st.net_ns) < 0)
        goto out;
    if (cfg.name && !state_name_exists(k->rt->st, cfg.name)) {
        problem = str_fmt("its name \"%s\" is missing from the name index", cfg.name);
        finding(k, "container", id, problem, true, relink_name, (void *) cfg.name);
    }
    /* a create leaves its intent for the next write to clear: with its
     * owner gone, a missing root file system is a create that did not
     * finish or one the store lost; the next use makes it (finish_create) */
    lost_create = str_eq(st.intent, "create") && cfg.image_id && !cfg.rootfs &&
                  ctr_intent_abandoned(&st, false);
    if (lost_create && !strv_contains(rootfs, id)) {
        free(problem);
        problem = str_fmt("its root file system is missing (a create killed half way, or lost "
                          "from the store); --repair makes it again from its image");
        finding(k, "container", id, problem, true, finish_ctr, NULL);
    } else if (!st.intent && !strv_contains(rootfs, id)) {
        free(problem);
        problem = str_fmt("its root file system is gone from the store%s",
                          k->o->force ? "" : "; --repair --force removes the container");
        finding(k, "container", id, problem, k->o->force, remove_ctr, NULL);
    } else if (json_object_get(k->bad_images, json_string_value(json_object_get(img_of, id)) ?: "")) {
        free(problem);
        problem = str_fmt("its image %.12s is damaged%s",
                          json_string_value(json_object_get(img_of, id)),
                          k->o->force ? "" : "; --repair --force removes the container");
        finding(k, "container", id, problem, k->o->force, remove_ctr, NULL);
    }
out:
    ctr_config_free(&cfg);
    ctr_runstate_free(&st);
}

static int remove_rootfs(struct ck *k, const char *id, void *unused)
{
    struct berr *e = NULL;
    int r;

    (void) unused;
    r = ctr_remove_external(k->rt, id, &e) == 1 ? 0 : -1;
    berr_free(e);
    return r;
}

/* The store's container root file systems, and which image each is of. */
static int rootfs_list(struct ck *k, strv *ids, json_t **img_of, struct berr **err)
{
    struct store *s;

    if (rt_store(k->rt, &s, err) < 0 || store_ctr_list(s, ids, err) < 0)
        return -1;
    if (!(*img_of = json_object()))
        return berr_oom(err);
    for (size_t i = 0; *ids && (*ids)[i]; i++) {
        _cleanup_free_ char *image = NULL;
        long long created = 0;
        struct berr *e = NULL;
        if (store_ctr_info(s, (*ids)[i], &image, &created, &e) == 0 && image)
            json_object_set_new(*img_of, (*ids)[i], json_string(image));
        berr_free(e);
    }
    return 0;
}

static int check_containers(struct ck *k, struct berr **err)
{
    _cleanup_strv_ strv rootfs = NULL;
    _cleanup_json_ json_t *img_of = NULL;

    if (state_list_raw(k->rt->st, OBJ_CONTAINER, &k->ctr_ids, err) < 0 ||
        rootfs_list(k, &rootfs, &img_of, err) < 0)
        return -1;
    for (size_t i = 0; k->ctr_ids && k->ctr_ids[i]; i++)
        check_container(k, k->ctr_ids[i], rootfs, img_of);
    /* a quarantined record's root file system stays with it: rm -f of
     * the id removes both */
    for (size_t i = 0; rootfs && rootfs[i]; i++)
        if (!strv_contains(k->ctr_ids, rootfs[i]) &&
            !state_quarantined(k->rt->st, OBJ_CONTAINER, rootfs[i])) {
            bool busy = cgreg_busy(k->rt, rootfs[i]);
            finding(k, "storage", rootfs[i], busy ? "a container root file system no record "
                    "names, in use by its processes: left alone"
                    : "a container root file system no record names", !busy, remove_rootfs, NULL);
        }
    return 0;
}

/* ---- volumes ---- */

static int quarantine_vol(struct ck *k, const char *name, void *why)
{
    return quarantine(k, OBJ_VOLUME, name, why);
}

static int make_dir(struct ck *k, const char *name, void *path)
{
    struct berr *e = NULL;
    int r = fs_mkdir_p(path, 0755, &e);

    (void) k;
    (void) name;
    berr_free(e);
    return r;
}

static int check_volumes(struct ck *k, struct berr **err)
{
    _cleanup_strv_ strv names = NULL;

    if (state_list_raw(k->rt->st, OBJ_VOLUME, &names, err) < 0)
        return -1;
    for (size_t i = 0; names && names[i]; i++) {
        struct vol_config cfg = { 0 };
        _cleanup_free_ char *problem = NULL;
        struct berr *e = NULL;

        if (vol_read(k->rt, names[i], &cfg, NULL, &e) < 0) {
            if (e->kind != BK_NO_SUCH) {
                problem = str_fmt("unreadable record: %s", e->msg);
                finding(k, "volume", names[i], problem, true, quarantine_vol, e->msg);
            }
            berr_free(e);
            continue;
        }
        if (cfg.mount_point && str_eq(cfg.driver, "local") && !fs_is_dir(cfg.mount_point)) {
            problem = str_fmt("its data directory %s is missing", cfg.mount_point);
            finding(k, "volume", names[i], problem, true, make_dir, cfg.mount_point);
        }
        vol_config_free(&cfg);
    }
    return 0;
}

/* ---- pods ---- */

static int quarantine_pod(struct ck *k, const char *id, void *why)
{
    return quarantine(k, OBJ_POD, id, why);
}

static int remove_pod(struct ck *k, const char *id, void *unused)
{
    _cleanup_pod_ struct pod *p = NULL;
    struct berr *e = NULL;
    int r;

    (void) unused;
    r = pod_get_id(k->rt, id, &p, &e);
    if (r == 0)
        r = pod_remove(k->rt, p, true, 0, &e);
    berr_free(e);
    return r;
}

/* A pod whose infra container was never made: its create was killed
 * between the pod's record and the infra's (pod_create.c). Judged
 * under the pod's lock, which a create at work holds from right after
 * its record (a check in that instant would take the pod for a
 * half-made one). */
static char *half_made(struct ck *k, const char *id)
{
    _cleanup_pod_ struct pod *p = NULL;
    struct berr *e = NULL;

    if (pod_get_id(k->rt, id, &p, &e) < 0) {
        berr_free(e);
        return NULL;
    }
    if (!p->cfg.infra_id || state_exists(k->rt->st, OBJ_CONTAINER, p->cfg.infra_id))
        return NULL;
    return str_fmt("its infra container %.12s does not exist (a pod create killed half way)",
                   p->cfg.infra_id);
}

static int check_pods(struct ck *k, struct berr **err)
{
    _cleanup_strv_ strv ids = NULL;

    if (state_list_raw(k->rt->st, OBJ_POD, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids && ids[i]; i++) {
        _cleanup_free_ char *damage = NULL, *problem = NULL;
        struct berr *e = NULL;

        if (pod_damage(k->rt, ids[i], &damage, &e) < 0) {
            berr_free(e);       /* gone meanwhile */
            continue;
        }
        if (!damage) {
            if ((problem = half_made(k, ids[i])))
                finding(k, "pod", ids[i], problem, true, remove_pod, NULL);
            continue;
        }
        if (!(problem = str_fmt("unreadable record: %s", damage)))
            return berr_oom(err);
        finding(k, "pod", ids[i], problem, true, quarantine_pod, damage);
    }
    return 0;
}

/* ---- images ---- */

static int remove_image(struct ck *k, const char *id, void *unused)
{
    struct img_rm_report rep = { 0 };
    struct berr *e = NULL;
    int r;

    (void) unused;
    r = img_rm(k->rt, id, k->o->force ? IMG_RM_FORCE : 0, &rep, &e);
    if (r == 0 && rep.nerrs)
        r = -1;
    img_rm_report_free(&rep);
    berr_free(e);
    return r;
}

static int quarantine_image(struct ck *k, const char *id, void *why)
{
    struct store *s;
    struct berr *e = NULL;
    int r = rt_store(k->rt, &s, &e) < 0 ? -1 : store_image_quarantine(s, id, why, &e);

    berr_free(e);
    return r;
}

static int reunpack_layer(struct ck *k, const char *chain, void *unused)
{
    struct store *s;
    struct berr *e = NULL;
    int r;

    (void) unused;
    r = rt_store(k->rt, &s, &e) < 0 ? -1 : store_layer_reunpack(s, chain, &e);
    berr_free(e);
    return r;
}

/* A layer whose files changed while its blob is intact: unpacked again. */
static void changed_layer(struct ck *k, const char *chain, json_t *what)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    size_t i;
    json_t *img;

    sbuf_addf(&b, "its files differ from what was unpacked: %s (image%s", js_str(what, "Problem", ""),
              json_array_size(json_object_get(what, "Images")) == 1 ? "" : "s");
    json_array_foreach(json_object_get(what, "Images"), i, img)
        sbuf_addf(&b, "%s %.12s", i ? "," : "", json_string_value(img));
    sbuf_addf(&b, ")");
    finding(k, "layer", chain, b.oom ? "its files differ from what was unpacked" : b.buf, true,
            reunpack_layer, NULL);
}

static int remove_unused_layer(struct ck *k, const char *chain, void *unused)
{
    struct store *s;
    struct berr *e = NULL;
    int r;

    (void) unused;
    r = rt_store(k->rt, &s, &e) < 0 ? -1 : store_unused_layer_remove(s, chain, &e);
    berr_free(e);
    return r;
}

/* Layers nothing uses, --max old or older (podman 5.2's meaning of
 * --max). Not while an image record does not read: its layers would
 * look unused. */
static int check_unused_layers(struct ck *k, struct store *s, bool images_broken,
                               struct berr **err)
{
    _cleanup_strv_ char **unused = NULL;

    if (images_broken)
        return 0;
    if (store_unused_layers(s, k->o->max_age_sec, &unused, err) < 0)
        return -1;
    for (size_t i = 0; unused && unused[i]; i++)
        finding(k, "layer", unused[i], "a layer no image or container uses", true,
                remove_unused_layer, NULL);
    return 0;
}

static int check_images(struct ck *k, struct berr **err)
{
    _cleanup_json_ json_t *broken = NULL, *changed = NULL;
    struct store *s;
    const char *id;
    json_t *why;

    if (rt_store(k->rt, &s, err) < 0 || store_images_broken(s, &broken, err) < 0)
        return -1;
    json_object_foreach(broken, id, why) {
        _cleanup_free_ char *problem = str_fmt("unreadable record: %s", json_string_value(why));
        finding(k, "image", id, problem ? problem : "unreadable record", true, quarantine_image,
                (void *) json_string_value(why));
    }
    if (store_check_images(s, k->o->quick, &k->bad_images, &changed, err) < 0)
        return -1;
    json_object_foreach(changed, id, why)
        changed_layer(k, id, why);
    json_object_foreach(k->bad_images, id, why)
        finding(k, "image", id, json_string_value(why), true, remove_image, NULL);
    return check_unused_layers(k, s, json_object_size(broken) > 0, err);
}

/* ---- mounts and network namespaces ---- */

/* The 64-hex path component of a mount point, or NULL. */
static const char *id_in(const char *path, char id[65])
{
    for (const char *p = path; (p = strchr(p, '/')); p++) {
        size_t n = strcspn(p + 1, "/");
        if (n == 64 && strspn(p + 1, "0123456789abcdef") >= 64) {
            memcpy(id, p + 1, 64);
            id[64] = '\0';
            return id;
        }
    }
    return NULL;
}

static int detach(struct ck *k, const char *path, void *unused)
{
    (void) k;
    (void) unused;
    return umount2(path, MNT_DETACH) == 0 || errno == EINVAL ? 0 : -1;
}

static bool image_known(struct ck *k, const char *id)
{
    struct store *s;
    struct berr *e = NULL;

    if (rt_store(k->rt, &s, &e) < 0) {
        berr_free(e);
        return true;        /* cannot tell: not a leak */
    }
    return store_image_exists(s, id);
}

static int check_mounts(struct ck *k, struct berr **err)
{
    const struct config *c = k->rt->cfg;
    const char *roots[] = { c->graph_root, c->run_root, c->tmp_dir };
    _cleanup_free_ char *nsdir = str_fmt("%s/netns/", c->tmp_dir);
    _cleanup_strv_ strv seen = NULL;

    if (!nsdir)
        return berr_oom(err);
    /* an unreadable record left in place may own any mount */
    if (k->damaged_left)
        return 0;
    for (size_t r = 0; r < 3; r++) {
        _cleanup_strv_ strv mps = NULL;
        if (mounts_under(roots[r], &mps, err) < 0)
            return -1;
        for (size_t i = 0; mps && mps[i]; i++) {
            char id[65];
            const char *problem = NULL;

            if (strv_contains(seen, mps[i]) || strv_push(&seen, mps[i]) < 0)
                continue;
            if (str_has_prefix(mps[i], nsdir)) {
                if (!strv_contains(k->netns, mps[i]))
                    problem = "a network namespace no container names";
            } else if (id_in(mps[i], id) && !strv_contains(k->ctr_ids, id) && !image_known(k, id) &&
                       !state_quarantined(k->rt->st, OBJ_CONTAINER, id)) {
                problem = cgreg_busy(k->rt, id) ? "a mount of a container with no record whose "
                          "processes still run: left alone"
                          : "a mount of no container or image berth knows";
            }
            if (problem)
                finding(k, "mount", mps[i], problem, !strstr(problem, "left alone"), detach, NULL);
        }
    }
    return 0;
}

int rt_check(struct runtime *rt, const struct check_opts *o, json_t **items, struct berr **err)
{
    struct ck k = { .rt = rt, .o = o, .items = json_array() };
    int rc = -1;

    if (!k.items)
        return berr_oom(err);
    /* a run --rm that just returned may have handed its runtime delete
     * off: its cgroup goes with that delete, not a leftover (as pod rm) */
    rtdelete_settle(rt);
    /* images first: a container of a damaged image is reported with it */
    if (check_images(&k, err) < 0 || check_containers(&k, err) < 0 ||
        rt_check_leftovers(rt, o, k.ctr_ids, report, &k, err) < 0 ||
        rt_check_locks(rt, o, k.ctr_ids, report, &k, err) < 0 ||
        state_check_names(rt->st, o->repair, report, &k, err) < 0 ||
        state_check_idindex(rt->st, o->repair, report, &k, err) < 0 ||
        state_check_exits(rt->st, o->max_age_sec, o->repair, report, &k, err) < 0 ||
        check_pods(&k, err) < 0 || check_volumes(&k, err) < 0 || check_mounts(&k, err) < 0)
        goto out;
    *items = STEAL_PTR(k.items);
    rc = 0;
out:
    json_decref(k.items);
    json_decref(k.bad_images);
    strv_free(k.ctr_ids);
    strv_free(k.netns);
    return rc;
}
