/*
 * storage/idmap_copy.c: the overlay of a container with an id mapping
 * where the kernel cannot mount overlay on idmapped lower layers (before
 * Linux 5.19): a copy of the image's merged layers, every file lchowned
 * into the mapping, made once per (top layer, uid map, gid map) and kept
 * until the layer goes (as containers/storage's mapped top layers of
 * podman 4.3.1). The container's overlay has it as its one lower dir.
 *
 *   <run>/idmapped-lower-dir-true|false   what the first mount found (per boot)
 *   mapped/<top>/<key>/diff/               the chowned copy (key: hash of the maps)
 *   mapped/<top>/<key>/map.json            {top_layer, uidmap, gidmap}
 *
 * A copy is built in a staging dir under tmp/ (a killed maker leaves only
 * that, which the next writer removes) and renamed into place, under the
 * store's exclusive lock: two first runs make it once.
 *
 * Test knob: BERTH_TEST_NO_IDMAPPED_MOUNTS=1 takes this kernel for one
 * without idmapped mounts (as podman's _TEST_FORCE_SUPPORT_SHIFTING).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
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
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

enum idmapped { IDM_UNKNOWN, IDM_YES, IDM_NO };

static enum idmapped idmapped_support(struct store *s)
{
    const char *knob = getenv("BERTH_TEST_NO_IDMAPPED_MOUNTS");
    _cleanup_free_ char *yes = st_run_path(s, "idmapped-lower-dir-true");
    _cleanup_free_ char *no = st_run_path(s, "idmapped-lower-dir-false");

    if (knob && !strcmp(knob, "1"))
        return IDM_NO;
    if (yes && fs_exists(yes))
        return IDM_YES;
    if (no && fs_exists(no))
        return IDM_NO;
    return IDM_UNKNOWN;
}

static void idmapped_record(struct store *s, bool works)
{
    _cleanup_free_ char *name = str_fmt("idmapped-lower-dir-%s", works ? "true" : "false");
    struct berr *e = NULL;

    if (name && (fs_mkdir_p(s->run, 0700, &e) < 0 ||
                 fs_write_atomic(s->run, name, "", 0, 0600, &e) < 0)) {
        log_debug("record %s: %s", name, e->msg);
    }
    berr_free(e);
}

/* What a kernel without idmapped mounts (or without overlay on them)
 * answers open_tree, mount_setattr or the overlay mount. */
static bool unsupported_errno(int e)
{
    return e == EINVAL || e == ENOSYS || e == EPERM || e == EOPNOTSUPP;
}

/* FNV-1a of the maps: the copy's directory name. */
static char *maps_key(json_t *r)
{
    uint64_t h = 1469598103934665603ULL;
    const char *keys[] = { "uidmap", "gidmap" };

    for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(r, keys[k]), i, e) {
            const char *v = json_is_string(e) ? json_string_value(e) : "";
            for (const char *p = v; ; p++) {
                h = (h ^ (unsigned char) *p) * 1099511628211ULL;
                if (!*p)
                    break;
            }
        }
        h = (h ^ '|') * 1099511628211ULL;
    }
    return str_fmt("%016llx", (unsigned long long) h);
}

/* dir, made if missing, lets the mapped root through (search only). */
static int passable_dir(const char *dir, struct berr **err)
{
    struct stat st;

    if (mkdir(dir, 0711) < 0 && errno != EEXIST)
        return berr_sys(err, "create %s", dir);
    if (stat(dir, &st) < 0 || ((st.st_mode & 0011) != 0011 &&
                               chmod(dir, (st.st_mode & 07777) | 0011) < 0))
        return berr_sys(err, "let the user namespace through %s", dir);
    return 0;
}

/* Builds the copy in tmp/ and renames it to dst (store lock held). */
static int copy_make(struct store *s, json_t *r, const char *top, char **chain,
                     const char *empty, const char *dst, struct berr **err)
{
    _cleanup_free_ char *tmp = NULL, *merged = NULL, *diff = NULL, *parent = NULL;
    _cleanup_json_ json_t *meta = NULL;
    int rc;

    if (st_mktemp(s, "mapped", &tmp, err) < 0)
        return -1;
    merged = str_fmt("%s/merged", tmp);
    diff = str_fmt("%s/diff", tmp);
    parent = st_path(s, "mapped/%s", top);
    if (!merged || !diff || !parent)
        return berr_oom(err);
    if (mkdir(merged, 0700) < 0 || mkdir(diff, 0700) < 0)
        return berr_sys(err, "create %s", diff);
    if (!chain[1]) {
        /* one layer: its diff is the tree (a read-only overlay needs two) */
        _cleanup_free_ char *src = layer_diff(s, top);
        rc = src ? copy_tree(src, diff, err) : berr_oom(err);
    } else {
        /* the merged view resolves whiteouts and opaque dirs of the layers */
        if (drv_overlay_mount(s, chain, empty, NULL, NULL, false, merged, err) < 0)
            return berr_wrap(err, "mount layer %.12s to copy it", top);
        rc = copy_tree(merged, diff, err);
        if (rc == 0)
            rc = drv_unmount(merged, err);
        else
            (void) umount2(merged, MNT_DETACH);
    }
    if (rc < 0)
        return berr_wrap(err, "copy layer %.12s for the id mapping", top);
    (void) rmdir(merged);
    if (st_idmap_shift_tree(diff, r, err) < 0)
        return -1;
    crash_point("mapcopy:chowned");
    meta = json_pack("{s:s, s:O, s:O}", "top_layer", top, "uidmap", json_object_get(r, "uidmap"),
                     "gidmap", json_object_get(r, "gidmap"));
    if (!meta)
        return berr_oom(err);
    if (js_write_atomic(tmp, "map.json", meta, 0600, err) < 0)
        return -1;
    if (chmod(tmp, 0711) < 0)
        return berr_sys(err, "chmod %s", tmp);
    /* a copy is whole when it is in place, a power loss included */
    _cleanup_close_ int tfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (tfd < 0 || syncfs(tfd) < 0)
        return berr_sys(err, "sync %s", tmp);
    if (passable_dir(parent, err) < 0)
        return -1;
    if (rename(tmp, dst) < 0)
        return berr_sys(err, "move the mapped copy of layer %.12s into place", top);
    if (fs_fsync_dir(parent) < 0)
        return berr_sys(err, "sync %s", parent);
    return 0;
}

/* The copy's map.json must name the maps of r (a hash collision or a
 * damaged copy is refused, not used). */
static int copy_check(const char *dst, json_t *r, struct berr **err)
{
    _cleanup_free_ char *p = str_fmt("%s/map.json", dst);
    _cleanup_json_ json_t *m = NULL;

    if (!p)
        return berr_oom(err);
    if (js_read_file(p, &m, err) < 0)
        return berr_wrap(err, "mapped copy %s", dst);
    if (!json_equal(json_object_get(m, "uidmap"), json_object_get(r, "uidmap")) ||
        !json_equal(json_object_get(m, "gidmap"), json_object_get(r, "gidmap")))
        return berr_kind(err, BK_CORRUPT, "mapped copy %s was made for other id maps", dst);
    return 0;
}

static int mount_copy(struct store *s, json_t *r, char **chain, const char *empty,
                      const char *upper, const char *work, const char *target,
                      struct berr **err)
{
    const char *top = chain[0];
    _cleanup_free_ char *key = maps_key(r), *mapped = st_path(s, "mapped");
    _cleanup_free_ char *dst = NULL, *rel = NULL;
    char *lowers[2] = { NULL, NULL };

    if (!key || !mapped)
        return berr_oom(err);
    dst = st_path(s, "mapped/%s/%s", top, key);
    rel = str_fmt("mapped/%s/%s/diff", top, key);
    if (!dst || !rel)
        return berr_oom(err);
    if (passable_dir(mapped, err) < 0)
        return -1;
    if (!fs_is_dir(dst)) {
        log_debug("no idmapped mounts: chowning a copy of layer %.12s", top);
        if (copy_make(s, r, top, chain, empty, dst, err) < 0)
            return -1;
    }
    if (copy_check(dst, r, err) < 0)
        return -1;
    lowers[0] = rel;
    return drv_overlay_mount_dirs(s, lowers, empty, upper, work, js_bool(r, "volatile", false),
                                  target, err);
}

int st_ctr_mount_mapped(struct store *s, const char *ctr_id, json_t *r, char **chain,
                        const char *empty, const char *upper, const char *work,
                        const char *target, struct berr **err)
{
    enum idmapped sup = idmapped_support(s);
    int rc;

    if (!chain || !chain[0] || sup != IDM_NO) {
        rc = st_ctr_mount_idmapped(s, ctr_id, r, chain, empty, upper, work, target, err);
        if (!chain || !chain[0] || sup == IDM_YES)
            return rc;
        if (rc == 0) {
            idmapped_record(s, true);
            return 0;
        }
        if (!*err || !unsupported_errno((*err)->errnum))
            return rc;
        log_debug("idmapped mount refused (%s): using chowned copies", (*err)->msg);
        berr_free(*err);
        *err = NULL;
        idmapped_record(s, false);
    }
    return mount_copy(s, r, chain, empty, upper, work, target, err);
}

int st_mapped_copies_remove(struct store *s, const char *chain, struct berr **err)
{
    _cleanup_free_ char *dir = st_path(s, "mapped/%s", chain);

    if (!dir)
        return berr_oom(err);
    return st_remove_tree(s, dir, err);
}

int64_t store_img_mapped_usage(struct store *s, const char *chain)
{
    _cleanup_free_ char *dir = chain && *chain && !strchr(chain, '/')
                               ? st_path(s, "mapped/%s", chain) : NULL;

    return dir && fs_is_dir(dir) ? store_dir_usage(dir) : 0;
}
