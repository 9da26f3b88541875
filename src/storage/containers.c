/*
 * storage/containers.c: container root file systems and image mounts
 * (API in storage/store.h).
 *
 *   containers/<id>/rootfs.json   {id, image, top_layer, driver, created, volatile}
 *   containers/<id>/diff/         overlay upper, or the vfs copy
 *   containers/<id>/work/         overlay work dir
 *   containers/<id>/merged/       overlay mountpoint
 *   containers/<id>/empty/        the lowerdir of an image without layers
 *                                 (made only for one)
 *   containers/<id>/usage         the size of diff/ while unmounted (cache)
 *   <run>/containers/<id>.mounts  mount count (per boot), see ctr_live_count
 *
 * A rootfs is assembled under tmp/ and renamed into containers/<id>, so
 * it exists whole or not at all. Nothing of it is synced (the container's
 * config.json is, and names its image): after a power loss the refresh of
 * the next boot makes a missing one again and writes a lost or torn
 * rootfs.json anew (store_ctr_repair). A count is trusted only while the
 * mount is really there: after a reboot or a foreign umount it starts over.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/internal.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

void store_rootfs_free(struct store_rootfs *r)
{
    free(r->dir);
    free(r->mountpoint);
    free(r->upper);
    memset(r, 0, sizeof(*r));
}

static bool is_overlay(const struct store *s) { return !strcmp(s->driver, "overlay"); }

int st_ctr_list_locked(struct store *s, char ***ids, struct berr **err)
{
    _cleanup_free_ char *dir = st_path(s, "containers");
    _cleanup_closedir_ DIR *d = NULL;
    _cleanup_strv_ char **v = calloc(1, sizeof(char *));
    struct dirent *de;

    if (!dir || !v)
        return berr_oom(err);
    if (!(d = opendir(dir)))
        return berr_sys(err, "open %s", dir);
    while ((de = readdir(d)))
        if (ref_is_full_id(de->d_name) && strv_push(&v, de->d_name) < 0)
            return berr_oom(err);
    strv_sort(v);
    *ids = STEAL_PTR(v);
    return 0;
}

int store_ctr_list(struct store *s, char ***ids, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;

    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    return st_ctr_list_locked(s, ids, err);
}

static int read_rootfs(struct store *s, const char *id, json_t **out, struct berr **err)
{
    _cleanup_free_ char *p = st_path(s, "containers/%s/rootfs.json", id);

    if (!ref_is_full_id(id))
        return berr_kind(err, BK_INVALID, "invalid container id \"%s\"", id);
    if (!p)
        return berr_oom(err);
    if (!fs_exists(p))
        return berr_kind(err, BK_NO_SUCH, "container %.12s has no root file system: "
                         "no such container", id);
    return js_read_file(p, out, err);
}

int store_ctr_info(struct store *s, const char *id, char **image, long long *created,
                   struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_json_ json_t *r = NULL;

    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (read_rootfs(s, id, &r, err) < 0)
        return -1;
    *created = js_int(r, "created", 0);
    return (*image = str_dup(js_str(r, "image", ""))) ? 0 : berr_oom(err);
}

int st_ctr_used_layers(struct store *s, char ***out, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL, **all = calloc(1, sizeof(char *));

    if (!all)
        return berr_oom(err);
    if (st_ctr_list_locked(s, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_json_ json_t *r = NULL;
        _cleanup_strv_ char **chain = NULL;
        struct berr *e = NULL;
        const char *top;
        if (read_rootfs(s, ids[i], &r, &e) < 0 || !(top = js_str(r, "top_layer", NULL)) ||
            layer_chain(s, top, &chain, &e) < 0) {
            /* out of memory: the list would miss layers in use */
            if (e && e->errnum == ENOMEM) {
                *err = e;
                return -1;
            }
            berr_free(e);       /* a broken rootfs record keeps nothing */
            continue;
        }
        for (size_t k = 0; chain[k]; k++)
            if (strv_push(&all, chain[k]) < 0)
                return berr_oom(err);
    }
    *out = STEAL_PTR(all);
    return 0;
}

static int fill_rootfs(struct store *s, const char *id, struct store_rootfs *out,
                       struct berr **err)
{
    out->dir = st_path(s, "containers/%s", id);
    out->upper = st_path(s, "containers/%s/diff", id);
    out->mountpoint = is_overlay(s) ? st_path(s, "containers/%s/merged", id)
                                    : st_path(s, "containers/%s/diff", id);
    if (!out->dir || !out->upper || !out->mountpoint) {
        store_rootfs_free(out);
        return berr_oom(err);
    }
    return 0;
}

static const char *const rootfs_subdirs[] = { "diff", "work", "merged", "empty" };

/* The subdirs of a rootfs in dir (top: the image's top layer or NULL);
 * with exist_ok one already there is left as it is. empty/ is made for
 * an image without layers only: the mount's lowerdir is the layers when
 * there are any (a mkdir and a chmod less per create). */
static int make_subdirs(struct store *s, const char *dir, const char *top, bool exist_ok,
                        struct berr **err)
{
    for (size_t i = 0; i < ARRAY_SIZE(rootfs_subdirs); i++) {
        if (top && !strcmp(rootfs_subdirs[i], "empty"))
            continue;
        _cleanup_free_ char *p = str_fmt("%s/%s", dir, rootfs_subdirs[i]);
        if (!p)
            return berr_oom(err);
        mode_t m = !strcmp(rootfs_subdirs[i], "work") ? 0700
                   : !strcmp(rootfs_subdirs[i], "diff") ? layer_diff_mode(s, top) : 0755;
        if (mkdir(p, 0755) < 0 ? !exist_ok || errno != EEXIST : chmod(p, m) < 0)
            return berr_sys(err, "create %s", p);
    }
    return 0;
}

/* A new rootfs record (NULL: out of memory). */
static json_t *rootfs_meta(struct store *s, const char *ctr_id, const char *image_id,
                           const char *top, bool is_volatile)
{
    return json_pack("{s:s, s:s?, s:s?, s:s, s:I, s:i, s:b}", "id", ctr_id,
                     "image", image_id && *image_id ? image_id : NULL, "top_layer", top,
                     "driver", s->driver, "created", (json_int_t) time(NULL),
                     "version", STORE_VERSION, "volatile", is_volatile);
}

bool store_ctr_exists_at(const char *graph_root, const char *ctr_id)
{
    _cleanup_free_ char *graph = ref_is_full_id(ctr_id) ? fs_clean(graph_root) : NULL;
    _cleanup_free_ char *dir = graph ? str_fmt("%s/containers/%s", graph, ctr_id) : NULL;

    return dir && fs_exists(dir);
}

bool store_ctr_exists(struct store *s, const char *ctr_id)
{
    return store_ctr_exists_at(s->graph, ctr_id);
}

int store_ctr_create(struct store *s, const char *image_id, const char *ctr_id,
                     bool is_volatile, struct store_rootfs *out, struct berr **err)
{
    return store_ctr_create_mapped(s, image_id, ctr_id, is_volatile, NULL, NULL, out, err);
}

/* store_ctr_create_mapped's work; known: the image's record as the
 * caller read it (NULL: read here, under the lock). */
static int rootfs_create(struct store *s, const char *image_id, const struct store_image *known,
                         const char *ctr_id, bool is_volatile, json_t *uidmap, json_t *gidmap,
                         struct store_rootfs *out, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_free_ char *dst = NULL, *tmp = NULL;
    _cleanup_json_ json_t *img = NULL, *meta = NULL;
    const char *top = NULL;

    memset(out, 0, sizeof(*out));
    if (!ref_is_full_id(ctr_id))
        return berr_kind(err, BK_INVALID, "invalid container id \"%s\"", ctr_id);
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (!(dst = st_path(s, "containers/%s", ctr_id)))
        return berr_oom(err);
    if (fs_exists(dst))
        return berr_kind(err, BK_EXISTS, "container %.12s already has a root file system",
                         ctr_id);
    if (known) {
        /* an image's layers follow from its id: the record read before
         * the lock says them; under the lock only that it is still there
         * (an rmi in between finds no root file system using it) */
        _cleanup_free_ char *rec = st_path(s, "images/%s.json", image_id);
        if (!rec)
            return berr_oom(err);
        if (!fs_exists(rec))
            return berr_new(err, BERR_ENGINE, ENOENT, "image %.12s: open %s", image_id, rec);
        top = known->top_layer;
    } else if (image_id && *image_id) {
        if (st_img_record_read(s, image_id, &img, err) < 0)
            return berr_wrap(err, "image %.12s", image_id);
        top = js_str(img, "top_layer", NULL);
    }
    if (st_mktemp(s, "ctr", &tmp, err) < 0 || make_subdirs(s, tmp, top, false, err) < 0)
        return -1;
    if (!is_overlay(s) && top) {
        _cleanup_free_ char *src = layer_diff(s, top), *d = str_fmt("%s/diff", tmp);
        if (!src || !d)
            return berr_oom(err);
        if (copy_tree(src, d, err) < 0)
            return berr_wrap(err, "copy image %.12s", image_id);
    }
    if (!(meta = rootfs_meta(s, ctr_id, image_id, top, is_volatile)))
        return berr_oom(err);
    if (json_array_size(uidmap) && st_ctr_idmap_stage(s, tmp, meta, uidmap, gidmap, err) < 0)
        return -1;
    /* tmp/ is storage's own: written in place; not synced (a power loss
     * is repaired by store_ctr_repair from the container's record) */
    if (js_write_new(tmp, "rootfs.json", meta, 0600, false, err) < 0)
        return -1;
    if (rename(tmp, dst) < 0)
        return berr_sys(err, "create root file system of %.12s", ctr_id);
    return fill_rootfs(s, ctr_id, out, err);
}

int store_ctr_create_mapped(struct store *s, const char *image_id, const char *ctr_id,
                            bool is_volatile, json_t *uidmap, json_t *gidmap,
                            struct store_rootfs *out, struct berr **err)
{
    return rootfs_create(s, image_id, NULL, ctr_id, is_volatile, uidmap, gidmap, out, err);
}

int store_ctr_create_from(struct store *s, const struct store_image *img, const char *ctr_id,
                          bool is_volatile, json_t *uidmap, json_t *gidmap,
                          struct store_rootfs *out, struct berr **err)
{
    return rootfs_create(s, img->id, img, ctr_id, is_volatile, uidmap, gidmap, out, err);
}

/* The record of a rootfs that exists: whole and naming ctr_id. */
static bool rootfs_record_ok(struct store *s, const char *ctr_id)
{
    _cleanup_json_ json_t *r = NULL;
    struct berr *e = NULL;

    if (read_rootfs(s, ctr_id, &r, &e) < 0) {
        berr_free(e);
        return false;
    }
    return json_is_object(r) && str_eq(js_str(r, "id", NULL), ctr_id) &&
           str_eq(js_str(r, "driver", NULL), s->driver);
}

int store_ctr_repair(struct store *s, const char *image_id, const char *ctr_id,
                     bool is_volatile, json_t *uidmap, json_t *gidmap, bool *repaired,
                     struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_free_ char *dir = NULL;
    _cleanup_json_ json_t *img = NULL, *meta = NULL;
    struct store_rootfs rf = { 0 };
    const char *top = NULL;

    *repaired = false;
    if (!ref_is_full_id(ctr_id))
        return berr_kind(err, BK_INVALID, "invalid container id \"%s\"", ctr_id);
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (!(dir = st_path(s, "containers/%s", ctr_id)))
        return berr_oom(err);
    if (!fs_exists(dir)) {
        if (store_ctr_create_mapped(s, image_id, ctr_id, is_volatile, uidmap, gidmap, &rf,
                                    err) < 0)
            return -1;
        store_rootfs_free(&rf);
        *repaired = true;
        return 0;
    }
    if (rootfs_record_ok(s, ctr_id))
        return 0;
    if (image_id && *image_id) {
        if (st_img_record_read(s, image_id, &img, err) < 0)
            return berr_wrap(err, "image %.12s", image_id);
        top = js_str(img, "top_layer", NULL);
    }
    /* the directories were made before the rename that a lost record
     * followed; one gone all the same is made again, empty */
    if (make_subdirs(s, dir, top, true, err) < 0)
        return -1;
    if (!(meta = rootfs_meta(s, ctr_id, image_id, top, is_volatile)))
        return berr_oom(err);
    /* the owners of diff/ and work/ are set again (overlay: idempotent);
     * a vfs copy was shifted before the rename and is not shifted twice */
    if (json_array_size(uidmap)) {
        if (is_overlay(s) ? st_ctr_idmap_stage(s, dir, meta, uidmap, gidmap, err) < 0
            : json_object_set(meta, "uidmap", uidmap) < 0 ||
              json_object_set(meta, "gidmap", gidmap) < 0)
            return *err ? -1 : berr_oom(err);
    }
    if (js_write_atomic(dir, "rootfs.json", meta, 0600, err) < 0)
        return -1;
    *repaired = true;
    return 0;
}

static void usage_uncache(struct store *s, const char *ctr_id);

/* The live count: 0 when the mount is not really there. */
static int live_count(struct store *s, const char *countfile, const char *mnt, bool needs_mount)
{
    int n = 0;

    (void) s;
    (void) mount_count_get(countfile, &n);     /* no count file: no mount (n stays 0) */
    if (n > 0 && needs_mount && !drv_is_mountpoint(mnt))
        n = 0;
    return n;
}

/* A container's count costs no inode while it is 0 or 1, the count of
 * every run (an inode costs on a disk whose inodes were freed lately):
 * with overlay the mount itself says whether it is there, so no file
 * and a mount is 1, and a file is kept only from 2 up; vfs has no mount
 * to look at and keeps a file from 1. The file is one of its own in
 * <run>/containers. Berths before kept <run>/containers/<id>/mounts
 * (also for 1, and 0 after an unmount): read while the new one is
 * missing (a container mounted across an upgrade), removed by the next
 * write. */
struct ctr_count {
    char *file, *legacy_dir, *legacy;
    bool from_legacy;
};

static void ctr_count_free(struct ctr_count *k)
{
    free(k->file);
    free(k->legacy_dir);
    free(k->legacy);
}
#define _cleanup_count_ _cleanup_(ctr_count_free)

static int ctr_count_init(struct store *s, const char *ctr_id, struct ctr_count *k)
{
    k->file = st_run_path(s, "containers/%s.mounts", ctr_id);
    k->legacy_dir = st_run_path(s, "containers/%s", ctr_id);
    k->legacy = st_run_path(s, "containers/%s/mounts", ctr_id);
    k->from_legacy = false;
    return k->file && k->legacy_dir && k->legacy ? 0 : -1;
}

static int ctr_live_count(struct store *s, struct ctr_count *k, const char *mnt)
{
    int n = 0;

    if (mount_count_get(k->file, &n) < 0 && mount_count_get(k->legacy, &n) == 0)
        k->from_legacy = true;
    if (!is_overlay(s))
        return n;
    /* a mount with no count (or a stale 0) is one: also what a kill
     * between the mount and the count's write leaves */
    if (!drv_is_mountpoint(mnt))
        return 0;
    return n > 1 ? n : 1;
}

static int ctr_count_set(struct store *s, struct ctr_count *k, int n, struct berr **err)
{
    struct berr *e = NULL;

    if (mount_count_set(k->file, is_overlay(s) && n == 1 ? 0 : n, err) < 0)
        return -1;
    if (k->from_legacy && fs_rm_rf(k->legacy_dir, &e) < 0) {
        log_debug("%s", e->msg);
        berr_free(e);
    }
    return 0;
}

/* A mount that failed for a layer directory gone from the store: say so,
 * and what gets out of it (system check --repair --force removes the
 * damaged image with its containers). */
static void missing_layer_hint(struct store *s, char **chain, struct berr **err)
{
    for (size_t i = 0; chain && chain[i]; i++) {
        _cleanup_free_ char *d = layer_diff(s, chain[i]);
        if (d && !fs_is_dir(d)) {
            berr_free(*err);
            *err = NULL;
            berr_kind(err, BK_CORRUPT, "layer %.12s: its directory %s is missing", chain[i], d);
            berr_hint(err, "`berth system check --repair --force` removes its image and the "
                      "containers using it");
            return;
        }
    }
}

int store_ctr_mount(struct store *s, const char *ctr_id, char **mountpoint,
                    struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_json_ json_t *r = NULL;
    _cleanup_count_ struct ctr_count cnt = { 0 };
    struct store_rootfs rf = { 0 };
    int n;

    if (ctr_count_init(s, ctr_id, &cnt) < 0)
        return berr_oom(err);
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (read_rootfs(s, ctr_id, &r, err) < 0 || fill_rootfs(s, ctr_id, &rf, err) < 0)
        return -1;
    n = ctr_live_count(s, &cnt, rf.mountpoint);
    usage_uncache(s, ctr_id);   /* before anything can write (see store_ctr_size) */
    if (n == 0 && is_overlay(s)) {
        const char *top = js_str(r, "top_layer", NULL);
        _cleanup_strv_ char **chain = NULL;
        _cleanup_free_ char *work = st_path(s, "containers/%s/work", ctr_id);
        _cleanup_free_ char *empty = st_path(s, "containers/%s/empty", ctr_id);
        if (!work || !empty) {
            store_rootfs_free(&rf);
            return berr_oom(err);
        }
        int rc = top && layer_chain(s, top, &chain, err) < 0 ? -1
                 : st_ctr_idmapped(r) ? st_ctr_mount_mapped(s, ctr_id, r, chain, empty, rf.upper,
                                                            work, rf.mountpoint, err)
                 : drv_overlay_mount(s, chain, empty, rf.upper, work,
                                     js_bool(r, "volatile", false), rf.mountpoint, err);
        if (rc < 0) {
            store_rootfs_free(&rf);
            missing_layer_hint(s, chain, err);
            return berr_wrap(err, "mount container %.12s", ctr_id);
        }
    }
    if (ctr_count_set(s, &cnt, n + 1, err) < 0) {
        store_rootfs_free(&rf);
        return -1;
    }
    *mountpoint = STEAL_PTR(rf.mountpoint);
    store_rootfs_free(&rf);
    return 0;
}

int store_ctr_mounted(struct store *s, const char *ctr_id, char **mountpoint,
                      struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_json_ json_t *r = NULL;
    _cleanup_count_ struct ctr_count cnt = { 0 };
    struct store_rootfs rf = { 0 };

    *mountpoint = NULL;
    if (ctr_count_init(s, ctr_id, &cnt) < 0)
        return berr_oom(err);
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (read_rootfs(s, ctr_id, &r, err) < 0 || fill_rootfs(s, ctr_id, &rf, err) < 0)
        return -1;
    if (ctr_live_count(s, &cnt, rf.mountpoint) > 0)
        *mountpoint = STEAL_PTR(rf.mountpoint);
    store_rootfs_free(&rf);
    return 0;
}

int store_ctr_mount_count(struct store *s, const char *ctr_id, int *count, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_json_ json_t *r = NULL;
    _cleanup_count_ struct ctr_count cnt = { 0 };
    _cleanup_free_ char *mnt = st_path(s, "containers/%s/merged", ctr_id);

    *count = 0;
    if (ctr_count_init(s, ctr_id, &cnt) < 0 || !mnt)
        return berr_oom(err);
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (read_rootfs(s, ctr_id, &r, err) < 0)
        return -1;
    *count = ctr_live_count(s, &cnt, mnt);
    return 0;
}

int store_ctr_unmount(struct store *s, const char *ctr_id, bool force, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_json_ json_t *r = NULL;
    _cleanup_count_ struct ctr_count cnt = { 0 };
    _cleanup_free_ char *mnt = st_path(s, "containers/%s/merged", ctr_id);
    int n;

    if (ctr_count_init(s, ctr_id, &cnt) < 0 || !mnt)
        return berr_oom(err);
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (read_rootfs(s, ctr_id, &r, err) < 0)
        return -1;
    n = ctr_live_count(s, &cnt, mnt);
    n = force || n <= 1 ? 0 : n - 1;
    if (n == 0 && is_overlay(s) && drv_unmount(mnt, err) < 0)
        return -1;
    return ctr_count_set(s, &cnt, n, err);
}

/* store_ctr_delete, or with held its _held variant. */
static int ctr_delete(struct store *s, const char *ctr_id, char **held, int *lockfd,
                      struct berr **err)
{
    _cleanup_stlock_ struct store *h = NULL;
    _cleanup_free_ char *dir = st_path(s, "containers/%s", ctr_id);
    _cleanup_free_ char *mnt = st_path(s, "containers/%s/merged", ctr_id);
    _cleanup_count_ struct ctr_count cnt = { 0 };

    if (!dir || !mnt || ctr_count_init(s, ctr_id, &cnt) < 0)
        return berr_oom(err);
    if (!ref_is_full_id(ctr_id))
        return berr_kind(err, BK_INVALID, "invalid container id \"%s\"", ctr_id);
    if (st_lock(s, true, err) < 0)
        return -1;
    h = s;
    if (drv_unmount(mnt, err) < 0 ||
        (held ? st_remove_tree_held(s, dir, held, lockfd, err) : st_remove_tree(s, dir, err)) < 0 ||
        mount_count_set(cnt.file, 0, err) < 0 || fs_rm_rf(cnt.legacy_dir, err) < 0)
        return -1;
    return 0;
}

int store_ctr_delete(struct store *s, const char *ctr_id, struct berr **err)
{
    return ctr_delete(s, ctr_id, NULL, NULL, err);
}

int store_ctr_delete_held(struct store *s, const char *ctr_id, char **held, int *lockfd,
                          struct berr **err)
{
    *held = NULL;
    *lockfd = -1;
    return ctr_delete(s, ctr_id, held, lockfd, err);
}

/* ---- the size of a container's own changes, cached ----
 *
 * As in containers/storage, a rootfs changes only while it is mounted
 * (run, start, cp, mount: every writer goes through store_ctr_mount).
 * containers/<id>/usage is "<bytes> <ino> <mtime ns> <ctime ns>" of
 * diff/, written (not synced: a lost one is measured again) by the first
 * reader that measures an unmounted rootfs, and unlinked by every mount
 * before it mounts. Both hold the storage lock (the mount exclusive, the
 * reader shared), so a usage file that exists was measured after the
 * last mount ended: nothing has written since but a hand in diff/, whose
 * top level the stamp of diff/ catches. A mounted rootfs is measured
 * every time. */

static void usage_stamp(const struct stat *st, char *buf, size_t len)
{
    snprintf(buf, len, "%llu %lld.%09ld %lld.%09ld", (unsigned long long) st->st_ino,
             (long long) st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
             (long long) st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

/* 0 with *size from a usage file matching stamp; -1 none or stale */
static int usage_cached(const char *file, const char *stamp, int64_t *size)
{
    _cleanup_free_ char *buf = NULL;
    struct berr *e = NULL;
    char *sp;
    long long v;
    size_t len;

    if (fs_read_file(file, &buf, &len, &e) < 0) {
        berr_free(e);
        return -1;
    }
    str_trim(buf);
    if (!(sp = strchr(buf, ' ')) || strcmp(sp + 1, stamp))
        return -1;
    *sp = '\0';
    if (str_to_ll(buf, &v) < 0 || v < 0)
        return -1;
    *size = v;
    return 0;
}

static void usage_uncache(struct store *s, const char *ctr_id)
{
    _cleanup_free_ char *f = st_path(s, "containers/%s/usage", ctr_id);

    if (f && unlink(f) < 0 && errno != ENOENT)
        log_debug("remove %s: %s", f, strerror(errno));
}

/* Under the storage lock (shared at least). */
static int ctr_size_locked(struct store *s, const char *ctr_id, int64_t *size)
{
    _cleanup_free_ char *dir = st_path(s, "containers/%s", ctr_id);
    _cleanup_free_ char *d = st_path(s, "containers/%s/diff", ctr_id);
    _cleanup_count_ struct ctr_count cnt = { 0 };
    _cleanup_free_ char *mnt = st_path(s, "containers/%s/merged", ctr_id);
    struct berr *e = NULL;
    struct stat st;
    char stamp[128], buf[160];
    int len;

    if (!dir || !d || ctr_count_init(s, ctr_id, &cnt) < 0 || !mnt)
        return -1;
    if (stat(d, &st) < 0) {
        *size = 0;
        return 0;
    }
    usage_stamp(&st, stamp, sizeof(stamp));
    _cleanup_free_ char *file = str_fmt("%s/usage", dir);
    if (!file)
        return -1;
    if (usage_cached(file, stamp, size) == 0)
        return 0;
    *size = store_dir_usage(d);
    if (ctr_live_count(s, &cnt, mnt) > 0)
        return 0;
    len = snprintf(buf, sizeof(buf), "%lld %s\n", (long long) *size, stamp);
    if (fs_write_replace(dir, "usage", buf, (size_t) len, 0600, &e) < 0) {
        log_debug("%s", e->msg);
        berr_free(e);
    }
    return 0;
}

int store_ctr_size(struct store *s, const char *ctr_id, int64_t *size, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;

    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    return ctr_size_locked(s, ctr_id, size) < 0 ? berr_oom(err) : 0;
}

int store_ctr_sizes(struct store *s, const struct store_size_req *v, size_t n,
                    struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_json_ json_t *img_sizes = json_object();

    if (!img_sizes)
        return berr_oom(err);
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    for (size_t i = 0; i < n; i++) {
        const char *img = v[i].image_id;
        json_t *known = img && *img ? json_object_get(img_sizes, img) : NULL;
        struct store_image *si = NULL;
        struct berr *e = NULL;

        if (ctr_size_locked(s, v[i].ctr_id, v[i].rw) < 0)
            return berr_oom(err);
        *v[i].image = 0;
        if (known) {
            *v[i].image = json_integer_value(known);
        } else if (img && *img && st_img_lookup_locked(s, img, &si, &e) == 0) {
            *v[i].image = si->size;
            if (json_object_set_new(img_sizes, img, json_integer(si->size)) < 0) {
                store_image_free(si);
                return berr_oom(err);
            }
        }
        store_image_free(si);
        berr_free(e);
    }
    return 0;
}

/* ---- image mounts: a read-only view under <run>/images/<id>/merged ---- */

int store_image_mounted(struct store *s, const char *id, char **mountpoint,
                        struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_free_ char *cnt = st_run_path(s, "images/%s/mounts", id);
    _cleanup_free_ char *mnt = st_run_path(s, "images/%s/merged", id);

    *mountpoint = NULL;
    if (!cnt || !mnt)
        return berr_oom(err);
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (live_count(s, cnt, mnt, true) > 0)
        *mountpoint = STEAL_PTR(mnt);
    return 0;
}

int store_image_mount(struct store *s, const char *id, char **mountpoint, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_free_ char *cnt = st_run_path(s, "images/%s/mounts", id);
    _cleanup_free_ char *mnt = st_run_path(s, "images/%s/merged", id);
    _cleanup_json_ json_t *rec = NULL;
    _cleanup_strv_ char **chain = NULL;
    int n;

    if (!cnt || !mnt)
        return berr_oom(err);
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (st_img_record_read(s, id, &rec, err) < 0)
        return -1;
    n = live_count(s, cnt, mnt, true);
    if (n == 0) {
        const char *top = js_str(rec, "top_layer", NULL);
        if (!top)
            return berr_msg(err, "image %.12s has no layers to mount", id);
        if (fs_mkdir_p(mnt, 0755, err) < 0 || layer_chain(s, top, &chain, err) < 0)
            return -1;
        if (is_overlay(s) && strv_len(chain) > 1) {
            if (drv_overlay_mount(s, chain, NULL, NULL, NULL, false, mnt, err) < 0)
                return -1;
        } else {
            /* One layer (or vfs, whose top layer is the whole tree): a
             * read-only bind mount. */
            _cleanup_free_ char *src = layer_diff(s, top);
            if (!src)
                return berr_oom(err);
            if (mount(src, mnt, NULL, MS_BIND, NULL) < 0)
                return berr_sys(err, "mount image %.12s", id);
            if (mount(NULL, mnt, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0) {
                berr_sys(err, "mount image %.12s read-only", id);
                (void) umount2(mnt, MNT_DETACH);
                return -1;
            }
        }
    }
    if (mount_count_set(cnt, n + 1, err) < 0)
        return -1;
    *mountpoint = STEAL_PTR(mnt);
    return 0;
}

int store_image_unmount(struct store *s, const char *id, bool force, bool *unmounted,
                        struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_free_ char *cnt = st_run_path(s, "images/%s/mounts", id);
    _cleanup_free_ char *mnt = st_run_path(s, "images/%s/merged", id);
    int n;

    if (!cnt || !mnt)
        return berr_oom(err);
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    n = live_count(s, cnt, mnt, true);
    if (unmounted)
        *unmounted = false;
    if (n == 0)
        return 0;
    n = force ? 0 : n - 1;
    if (n == 0) {
        if (drv_unmount(mnt, err) < 0)
            return -1;
        if (unmounted)
            *unmounted = true;
    }
    return mount_count_set(cnt, n, err);
}
