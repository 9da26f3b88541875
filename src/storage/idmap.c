/*
 * storage/idmap.c: a container root file system owned by a user
 * namespace's ids (--userns, --uidmap). podman's storage chowns a copy of
 * the image per mapping on first use; we do not copy: with overlay each
 * image layer becomes a lower dir through an idmapped mount (kernel 5.19
 * and later), so a file the image owns as 0 reads as the mapped host id,
 * and the container's upper dir is made owned by the mapped root. What
 * the container writes lands in its upper dir with host ids. The vfs
 * driver's copy is the container's own: its ids are shifted in place.
 *
 *   containers/<id>/rootfs.json   gains "uidmap", "gidmap": ["C:H:S", ...]
 *   containers/<id>/idmap/<n>     the idmapped layer mounts, only while the
 *                                 overlay is being mounted (overlay keeps
 *                                 its own private clones of its layers)
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/fs.h"
#include "util/idmap.h"
#include "util/js.h"
#include "util/log.h"
#include "util/mounts.h"
#include "util/str.h"

struct maps {
    struct idmap *uid, *gid;
    size_t nuid, ngid;
};

static void maps_free(struct maps *m)
{
    free(m->uid);
    free(m->gid);
}

static int maps_from_json(json_t *arr, struct idmap **out, size_t *n, struct berr **err)
{
    size_t i;
    json_t *e;

    *n = 0;
    if (!(*out = calloc(json_array_size(arr) + 1, sizeof(**out))))
        return berr_oom(err);
    json_array_foreach(arr, i, e) {
        if (!json_is_string(e) || idmap_parse(json_string_value(e), &(*out)[i]) < 0)
            return berr_msg(err, "invalid id mapping in the root file system record");
        (*n)++;
    }
    return 0;
}

static int maps_read(json_t *r, struct maps *m, struct berr **err)
{
    return maps_from_json(json_object_get(r, "uidmap"), &m->uid, &m->nuid, err) < 0 ||
                   maps_from_json(json_object_get(r, "gidmap"), &m->gid, &m->ngid, err) < 0
               ? -1 : 0;
}

/* nftw has no user pointer: the vfs shift runs under the store lock, one
 * at a time in this process. */
static const struct maps *shift_maps;

static int shift_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    long long u = idmap_to_host(shift_maps->uid, shift_maps->nuid, st->st_uid);
    long long g = idmap_to_host(shift_maps->gid, shift_maps->ngid, st->st_gid);

    (void) flag;
    (void) f;
    /* lchown drops set-id bits: put the mode back (not for symlinks) */
    if (lchown(path, u < 0 ? (uid_t) -1 : (uid_t) u, g < 0 ? (gid_t) -1 : (gid_t) g) < 0)
        return -1;
    if (!S_ISLNK(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)) &&
        chmod(path, st->st_mode & 07777) < 0)
        return -1;
    return 0;
}

/* The OCI runtime mounts the root file system as the mapped root, who
 * is nobody to the host: the dirs above it must let others through
 * (search only, as c/storage makes them 0711 for a mapping). */
static int let_through(struct store *s, const char *dir, struct berr **err)
{
    _cleanup_free_ char *c = st_path(s, "containers");
    const char *dirs[] = { s->graph, c, dir };
    struct stat st;

    if (!c)
        return berr_oom(err);
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
        if (stat(dirs[i], &st) < 0 || ((st.st_mode & 0011) != 0011 &&
                                       chmod(dirs[i], (st.st_mode & 07777) | 0011) < 0))
            return berr_sys(err, "let the user namespace through %s", dirs[i]);
    return 0;
}

int st_idmap_shift_tree(const char *dir, json_t *rec, struct berr **err)
{
    _cleanup_(maps_free) struct maps m = { 0 };

    if (maps_read(rec, &m, err) < 0)
        return -1;
    shift_maps = &m;
    if (nftw(dir, shift_one, 64, FTW_PHYS) != 0)
        return berr_sys(err, "change the owner of the files of %s", dir);
    return 0;
}

int st_ctr_idmap_stage(struct store *s, const char *dir, json_t *rec, json_t *uidmap,
                       json_t *gidmap, struct berr **err)
{
    _cleanup_free_ char *diff = str_fmt("%s/diff", dir), *work = str_fmt("%s/work", dir);
    _cleanup_(maps_free) struct maps m = { 0 };
    long long ru, rg;

    if (!diff || !work)
        return berr_oom(err);
    if (json_object_set(rec, "uidmap", uidmap) < 0 || json_object_set(rec, "gidmap", gidmap) < 0)
        return berr_oom(err);
    if (maps_read(rec, &m, err) < 0)
        return -1;
    ru = idmap_to_host(m.uid, m.nuid, 0);
    rg = idmap_to_host(m.gid, m.ngid, 0);
    if (strcmp(s->driver, "overlay") != 0) {
        if (st_idmap_shift_tree(diff, rec, err) < 0)
            return -1;
    } else if (lchown(diff, ru < 0 ? (uid_t) -1 : (uid_t) ru, rg < 0 ? (gid_t) -1 : (gid_t) rg) < 0 ||
               lchown(work, ru < 0 ? (uid_t) -1 : (uid_t) ru, rg < 0 ? (gid_t) -1 : (gid_t) rg) < 0) {
        return berr_sys(err, "change the owner of %s", diff);
    }
    return let_through(s, dir, err);
}

bool st_ctr_idmapped(json_t *rootfs_rec)
{
    return json_array_size(json_object_get(rootfs_rec, "uidmap")) > 0;
}

/* Undoes the idmapped layer mounts: the overlay has its own clones. */
static void idmap_dirs_drop(char **dirs)
{
    for (size_t i = 0; dirs && dirs[i]; i++) {
        if (umount2(dirs[i], MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
            log_debug("unmount %s: %s", dirs[i], strerror(errno));
        (void) rmdir(dirs[i]);
    }
}

/* One layer's diff, idmapped, attached at dst. */
static int idmap_layer(const char *diff, int userns, const char *dst, struct berr **err)
{
    struct mount_attr a = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t) userns };
    _cleanup_close_ int t = open_tree(AT_FDCWD, diff, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

    if (t < 0)
        return berr_sys(err, "clone the mount of %s", diff);
    if (mount_setattr(t, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0)
        return berr_sys(err, "idmapped mount of %s", diff);
    if (mkdir(dst, 0700) < 0 && errno != EEXIST)
        return berr_sys(err, "create %s", dst);
    if (move_mount(t, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        return berr_sys(err, "attach the idmapped mount of %s", diff);
    return 0;
}

int st_ctr_mount_idmapped(struct store *s, const char *ctr_id, json_t *r, char **chain,
                          const char *empty, const char *upper, const char *work,
                          const char *target, struct berr **err)
{
    _cleanup_(maps_free) struct maps m = { 0 };
    _cleanup_close_ int userns = -1;
    _cleanup_strv_ char **lowers = calloc(1, sizeof(char *)), **abs = calloc(1, sizeof(char *));
    _cleanup_free_ char *base = st_path(s, "containers/%s/idmap", ctr_id);
    int rc = 0;

    if (!lowers || !abs || !base)
        return berr_oom(err);
    if (maps_read(r, &m, err) < 0 ||
        idmap_userns_fd(m.uid, m.nuid, m.gid, m.ngid, &userns, err) < 0)
        return -1;
    if (mkdir(base, 0700) < 0) {
        struct berr *e = NULL;
        if (errno != EEXIST)
            return berr_sys(err, "create %s", base);
        /* removed after every mount: a killed mount's (crash point
         * mount:idmapped), whose layer mounts would stay under ours */
        if (mounts_detach_under(base, NULL, &e) < 0) {
            log_debug("%s", e->msg);
            berr_free(e);
        }
    }
    for (size_t i = 0; chain && chain[i] && rc == 0; i++) {
        _cleanup_free_ char *diff = layer_diff(s, chain[i]);
        char *dst = str_fmt("%s/%zu", base, i);
        /* relative to the graph root, where the mount is made: short
         * options fit more layers in a page */
        char *rel = str_fmt("containers/%s/idmap/%zu", ctr_id, i);
        if (!diff || !dst || !rel || strv_push_take(&abs, dst) < 0 || strv_push_take(&lowers, rel) < 0)
            rc = berr_oom(err);
        else
            rc = idmap_layer(diff, userns, dst, err);
    }
    /* killed here, the idmapped layers stay mounted in the container's
     * dir: its removal detaches them, never removes through them
     * (mounts_rm_rf) */
    crash_point("mount:idmapped");
    if (rc == 0)
        rc = drv_overlay_mount_dirs(s, lowers, empty, upper, work, false, target, err);
    idmap_dirs_drop(abs);
    (void) rmdir(base);
    return rc;
}
