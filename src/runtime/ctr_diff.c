/*
 * runtime/ctr_diff.c: diff, what a container changed in its root file
 * system against its image (storage/treediff.c compares the trees).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/str.h"

/* What every container has that is not its own change (podman's
 * initInodes: mount points it made, the files it writes). */
static const char *const init_inodes[] = {
    "/dev", "/etc/hostname", "/etc/hosts", "/etc/mtab", "/etc/resolv.conf", "/proc", "/run",
    "/run/.containerenv", "/run/notify", "/run/secrets", "/sys", NULL,
};

static bool is_init_inode(const char *path)
{
    for (size_t i = 0; init_inodes[i]; i++)
        if (!strcmp(init_inodes[i], path))
            return true;
    return false;
}

void ctr_changes_free(struct ctr_change *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].path);
    free(v);
}

int ctr_diff(struct runtime *rt, struct ctr *c, struct ctr_change **out, size_t *n,
             struct berr **err)
{
    struct store_change *v = NULL;
    size_t nv = 0;
    _cleanup_free_ char *root = NULL, *img = NULL;
    _cleanup_close_ int rfd = -1, ifd = -1;
    struct store *s = NULL;
    bool ctr_mounted = false, img_mounted = false;
    struct berr *e = NULL;
    size_t k = 0;
    int r = -1;

    *out = NULL;
    *n = 0;
    if (!c->cfg.rootfs && rt_store(rt, &s, err) < 0)
        return -1;
    if (c->cfg.rootfs) {
        if (!(root = str_dup(c->cfg.rootfs)))
            return berr_oom(err);
    } else if (store_ctr_mount(s, c->id, &root, err) < 0) {
        return berr_wrap(err, "mounting container %s", c->id);
    } else {
        ctr_mounted = true;
    }
    if (c->cfg.image_id && *c->cfg.image_id) {
        if (store_image_mount(s, c->cfg.image_id, &img, err) < 0) {
            berr_wrap(err, "mounting image %s", c->cfg.image_id);
            goto out;
        }
        img_mounted = true;
        if ((ifd = open(img, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
            berr_sys(err, "open %s", img);
            goto out;
        }
    }
    if ((rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        berr_sys(err, "open %s", root);
        goto out;
    }
    if (store_tree_changes(ifd, rfd, &v, &nv, err) < 0)
        goto out;
    if (nv && !(*out = calloc(nv, sizeof(**out)))) {
        store_changes_free(v, nv);
        r = berr_oom(err);
        goto out;
    }
    for (size_t i = 0; i < nv; i++) {
        if (is_init_inode(v[i].path))
            continue;
        (*out)[k].path = STEAL_PTR(v[i].path);
        (*out)[k++].kind = v[i].kind;
    }
    *n = k;
    store_changes_free(v, nv);
    r = 0;
out:
    if (img_mounted) {
        bool gone;
        if (store_image_unmount(s, c->cfg.image_id, false, &gone, &e) < 0)
            berr_freep(&e);
    }
    if (ctr_mounted && store_ctr_unmount(s, c->id, false, &e) < 0)
        berr_freep(&e);
    return r;
}
