/*
 * runtime/image_mount.c: image mount / unmount (runtime/image.h). The
 * store mounts the layers read-only and counts the mounts, so every mount
 * wants one unmount (or a forced one). Events: mount, unmount.
 */
#include <string.h>

#include "runtime/image_int.h"
#include "util/cleanup.h"
#include "util/str.h"

int img_mount(struct runtime *rt, const char *ref, char id[65], char **mountpoint,
              struct berr **err)
{
    _cleanup_img_ struct img *img = NULL;
    struct store *s;

    if (rt_store(rt, &s, err) < 0 || img_lookup_store(s, ref, &img, err) < 0 ||
        store_image_mount(s, img->id, mountpoint, err) < 0)
        return -1;
    memcpy(id, img->id, 65);
    img_event(rt, "mount", img->id, img->id);
    return 0;
}

int img_unmount(struct runtime *rt, const char *ref, bool force, char id[65], bool *unmounted,
                struct berr **err)
{
    _cleanup_img_ struct img *img = NULL;
    struct store *s;

    if (rt_store(rt, &s, err) < 0 || img_lookup_store(s, ref, &img, err) < 0 ||
        store_image_unmount(s, img->id, force, unmounted, err) < 0)
        return -1;
    memcpy(id, img->id, 65);
    if (*unmounted)
        img_event(rt, "unmount", img->id, img->id);
    return 0;
}

void img_mounted_free(struct img_mounted *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        img_free(v[i].img);
        free(v[i].mountpoint);
    }
    free(v);
}

int img_mounted_list(struct runtime *rt, struct img_mounted **out, size_t *n,
                     struct berr **err)
{
    struct store *s;
    struct img **v = NULL;
    struct img_mounted *res;
    size_t nv = 0, k = 0;
    int r = 0;

    if (rt_store(rt, &s, err) < 0 || img_list_store(s, &v, &nv, err) < 0)
        return -1;
    if (!(res = calloc(nv + 1, sizeof(*res)))) {
        img_list_free(v, nv);
        return berr_oom(err);
    }
    for (size_t i = 0; i < nv && r == 0; i++) {
        char *mnt = NULL;
        if ((r = store_image_mounted(s, v[i]->id, &mnt, err)) < 0 || !mnt)
            continue;
        res[k].img = STEAL_PTR(v[i]);
        res[k++].mountpoint = mnt;
    }
    img_list_free(v, nv);
    if (r < 0) {
        img_mounted_free(res, k);
        return -1;
    }
    *out = res;
    *n = k;
    return 0;
}
