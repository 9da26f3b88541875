/*
 * runtime/image_diff.c: image diff, an image's changes against its
 * parent layers or another image (storage/image_diff.c compares).
 */
#include <stdlib.h>

#include "runtime/container.h"
#include "runtime/image.h"
#include "storage/store.h"
#include "util/cleanup.h"

int img_diff(struct runtime *rt, const char *ref, const char *other, struct ctr_change **out,
             size_t *n, struct berr **err)
{
    _cleanup_img_ struct img *a = NULL, *b = NULL;
    struct store_change *v = NULL;
    struct store *s;
    size_t nv = 0;

    *out = NULL;
    *n = 0;
    if (img_lookup(rt, ref, &a, err) < 0 || (other && img_lookup(rt, other, &b, err) < 0) ||
        rt_store(rt, &s, err) < 0)
        return -1;
    if (store_image_changes(s, a->id, b ? b->id : NULL, &v, &nv, err) < 0)
        return -1;
    if (nv && !(*out = calloc(nv, sizeof(**out)))) {
        store_changes_free(v, nv);
        return berr_oom(err);
    }
    for (size_t i = 0; i < nv; i++) {
        (*out)[i].path = STEAL_PTR(v[i].path);
        (*out)[i].kind = v[i].kind;
    }
    *n = nv;
    store_changes_free(v, nv);
    return 0;
}
