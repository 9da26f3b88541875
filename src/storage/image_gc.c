/*
 * storage/image_gc.c: what uses an image and what nothing uses: the
 * container root file systems made from each image, and the garbage
 * collection of the layers and blobs no image record or container rootfs
 * needs after a removal (API in storage/store.h and storage/internal.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

/* Adds the layers and blobs of one image record to the keep-lists. A
 * record that names one by a non-string cannot be trusted to name its
 * others either: -1 (with OOM, -1 too), and the GC keeps everything. */
static int gc_keep_image(const struct store_image *img, char ***keep, char ***keep_blobs,
                         struct berr **err)
{
    json_t *rec = img->record, *x;
    const char *man = js_str(rec, "manifest", NULL);
    size_t k;

    json_array_foreach(json_object_get(rec, "layers"), k, x) {
        if (!json_is_string(x))
            return berr_kind(err, BK_CORRUPT, "image %.12s: a layer that is not a chain id",
                             img->id);
        if (strv_push(keep, json_string_value(x)) < 0)
            return berr_oom(err);
    }
    json_array_foreach(json_object_get(rec, "blobs"), k, x) {
        if (!digest_valid(json_string_value(x)))
            return berr_kind(err, BK_CORRUPT, "image %.12s: a blob that is not a digest",
                             img->id);
        if (strv_push(keep_blobs, json_string_value(x) + 7) < 0)
            return berr_oom(err);
    }
    if ((man && digest_valid(man) && strv_push(keep_blobs, man + 7) < 0) ||
        strv_push(keep_blobs, img->id) < 0)
        return berr_oom(err);
    return 0;
}

/* The keep-lists: every layer and blob an image record or a container
 * rootfs uses (store lock held). Whole or -1: a failure to build them
 * (out of memory, a record that does not say) must delete nothing.
 * 0 with *unknown set: an image record does not read, so the layers and
 * blobs it names cannot be known and none may be taken for unused (they
 * are what `system check --repair` and a restored record need). */
static int gc_keep(struct store *s, char ***keep, char ***keep_blobs, bool *unknown,
                   struct berr **err)
{
    struct store_image **v = NULL;
    size_t n = 0, unreadable = 0;
    int r = 0;

    if (st_ctr_used_layers(s, keep, err) < 0 ||
        st_img_list_counted(s, &v, &n, &unreadable, err) < 0)
        return -1;
    for (size_t i = 0; r == 0 && i < n; i++)
        r = gc_keep_image(v[i], keep, keep_blobs, err);
    store_images_free(v, n);
    *unknown = unreadable > 0;
    if (*unknown)
        log_debug("%zu image record%s do%s not read: no layer or blob is taken for unused",
                  unreadable, unreadable == 1 ? "" : "s", unreadable == 1 ? "es" : "");
    return r;
}

/* Layers and blobs that no image record or container rootfs uses go. */
int st_img_gc_layers(struct store *s, struct berr **err)
{
    _cleanup_strv_ char **keep = NULL, **keep_blobs = NULL;
    _cleanup_free_ char *ldir = st_path(s, "layers"), *bdir = st_path(s, "blobs/sha256");
    _cleanup_closedir_ DIR *d = NULL, *bd = NULL;
    struct dirent *de;

    if (!ldir || !bdir)
        return berr_oom(err);
    bool unknown;

    if (gc_keep(s, &keep, &keep_blobs, &unknown, err) < 0)
        return berr_wrap(err, "clean up unused layers");
    if (unknown) {
        log_info("unused layers are kept until every image record reads "
                 "(`berth system check --repair`)");
        return 0;
    }
    if (!(d = opendir(ldir)))
        return berr_sys(err, "open %s", ldir);
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || strv_contains(keep, de->d_name))
            continue;
        log_debug("removing unused layer %s", de->d_name);
        if (layer_remove(s, de->d_name, err) < 0)
            return -1;
    }
    if (!(bd = opendir(bdir)))
        return berr_sys(err, "open %s", bdir);
    while ((de = readdir(bd))) {
        if (de->d_name[0] == '.' || strv_contains(keep_blobs, de->d_name))
            continue;
        if (unlinkat(dirfd(bd), de->d_name, 0) < 0 && errno != ENOENT)
            return berr_sys(err, "remove blob %s", de->d_name);
    }
    return 0;
}

int store_unused_layers(struct store *s, long long max_age_sec, char ***out, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_strv_ char **keep = NULL, **keep_blobs = NULL;
    _cleanup_free_ char *ldir = st_path(s, "layers");
    _cleanup_closedir_ DIR *d = NULL;
    struct dirent *de;
    time_t now = time(NULL);
    bool unknown;

    *out = NULL;
    if (!ldir)
        return berr_oom(err);
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (gc_keep(s, &keep, &keep_blobs, &unknown, err) < 0)
        return -1;
    if (unknown)
        return 0;
    if (!(d = opendir(ldir)))
        return errno == ENOENT ? 0 : berr_sys(err, "open %s", ldir);
    while ((de = readdir(d))) {
        struct stat sb;

        if (de->d_name[0] == '.' || strv_contains(keep, de->d_name) ||
            fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
            now - sb.st_mtime < max_age_sec)
            continue;
        if (strv_push(out, de->d_name) < 0)
            return berr_oom(err);
    }
    return 0;
}

int store_unused_layer_remove(struct store *s, const char *chain, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_strv_ char **keep = NULL, **keep_blobs = NULL;
    bool unknown;

    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (gc_keep(s, &keep, &keep_blobs, &unknown, err) < 0)
        return -1;
    /* used again since the check looked, or an image record broke since:
     * nothing to repair */
    return unknown || strv_contains(keep, chain) ? 0 : layer_remove(s, chain, err);
}

/* Calls fn(ctr id, image id or NULL, ctx) for every container rootfs
 * whose record reads (lock held); fn returning < 0 stops the walk. */
static int each_ctr_image(struct store *s, int (*fn)(const char *, const char *, void *),
                          void *ctx, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;

    if (st_ctr_list_locked(s, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_free_ char *p = st_path(s, "containers/%s/rootfs.json", ids[i]);
        _cleanup_json_ json_t *r = NULL;
        struct berr *e = NULL;
        if (!p)
            return berr_oom(err);
        if (js_read_file(p, &r, &e) < 0) {
            berr_free(e);
            continue;
        }
        if (fn(ids[i], js_str(r, "image", NULL), ctx) < 0)
            return berr_oom(err);
    }
    return 0;
}

struct users_of { const char *image; char ***out; };

static int add_user(const char *ctr, const char *image, void *ctx)
{
    struct users_of *u = ctx;

    return str_eq(image, u->image) ? strv_push(u->out, ctr) : 0;
}

int store_image_containers(struct store *s, const char *id, char ***ctr_ids,
                           struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_strv_ char **out = calloc(1, sizeof(char *));
    struct users_of u = { id, &out };

    if (!out)
        return berr_oom(err);
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (each_ctr_image(s, add_user, &u, err) < 0)
        return -1;
    *ctr_ids = STEAL_PTR(out);
    return 0;
}

static int add_image(const char *ctr, const char *image, void *ctx)
{
    (void) ctr;
    return strv_push((char ***) ctx, image ? image : "");
}

int store_ctr_images(struct store *s, char ***image_ids, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_strv_ char **v = calloc(1, sizeof(char *));

    if (!v)
        return berr_oom(err);
    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (each_ctr_image(s, add_image, &v, err) < 0)
        return -1;
    strv_sort(v);
    *image_ids = STEAL_PTR(v);
    return 0;
}
