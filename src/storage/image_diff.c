/*
 * storage/image_diff.c: what an image's top layer changed against the
 * layers under it, or what one image's tree has against another's
 * (image diff). treediff.c compares the two trees; this file makes
 * them: a vfs layer, and an overlay image of one layer, is its whole
 * tree as it is; an overlay stack is mounted read-only in a staging dir
 * for the comparison and unmounted after. The storage lock is held
 * shared throughout, so no layer compared goes away meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

struct view {
    char *dir;                      /* staging dir of a mount, or NULL */
    char *mnt;
    int lockfd;
    int fd;                         /* the tree; -1: none (no layers) */
};

static void view_close(struct view *v)
{
    struct berr *e = NULL;

    if (v->fd >= 0)
        close(v->fd);
    if (v->mnt && drv_unmount(v->mnt, &e) < 0)
        berr_freep(&e);
    if (v->dir && fs_rm_rf(v->dir, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
    }
    if (v->lockfd >= 0)
        close(v->lockfd);
    free(v->dir);
    free(v->mnt);
    *v = (struct view) { .fd = -1, .lockfd = -1 };
}

/* The tree of the layers chain (top first; NULL or empty: none). */
static int view_open(struct store *s, char **chain, struct view *v, struct berr **err)
{
    *v = (struct view) { .fd = -1, .lockfd = -1 };
    if (!chain || !*chain)
        return 0;
    if (strcmp(s->driver, "overlay") || !chain[1]) {
        _cleanup_free_ char *dir = layer_diff(s, chain[0]);
        if (!dir)
            return berr_oom(err);
        if ((v->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
            return berr_sys(err, "open %s", dir);
        return 0;
    }
    if (st_mktemp_held(s, "diff", &v->dir, &v->lockfd, err) < 0)
        return -1;
    if (!(v->mnt = str_fmt("%s/merged", v->dir)))
        return berr_oom(err);
    if (fs_mkdir_p(v->mnt, 0755, err) < 0 ||
        drv_overlay_mount(s, chain, NULL, NULL, NULL, false, v->mnt, err) < 0) {
        free(v->mnt);
        v->mnt = NULL;
        return -1;
    }
    if ((v->fd = open(v->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return berr_sys(err, "open %s", v->mnt);
    return 0;
}

/* The layer chain of image id, top first (an image without layers: an
 * empty list). */
static int image_chain(struct store *s, const char *id, char ***out, struct berr **err)
{
    _cleanup_json_ json_t *rec = NULL;
    const char *top;

    if (st_img_record_read(s, id, &rec, err) < 0)
        return -1;
    top = js_str(rec, "top_layer", NULL);
    if (top)
        return layer_chain(s, top, out, err);
    if (!(*out = calloc(1, sizeof(char *))))
        return berr_oom(err);
    return 0;
}

int store_image_changes(struct store *s, const char *id, const char *other,
                        struct store_change **out, size_t *n, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_strv_ char **chain = NULL, **ochain = NULL;
    struct view upper, lower = { .fd = -1, .lockfd = -1 };
    int r;

    if (st_lock(s, false, err) < 0)
        return -1;
    held = s;
    if (image_chain(s, id, &chain, err) < 0 ||
        (other && image_chain(s, other, &ochain, err) < 0))
        return -1;
    if (view_open(s, chain, &upper, err) < 0) {
        view_close(&upper);
        return -1;
    }
    r = view_open(s, other ? ochain : chain[0] ? chain + 1 : NULL, &lower, err);
    *out = NULL;
    *n = 0;
    if (r == 0 && upper.fd >= 0)
        r = store_tree_changes(lower.fd, upper.fd, out, n, err);
    view_close(&lower);
    view_close(&upper);
    return r;
}
