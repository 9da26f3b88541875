/*
 * runtime/ctr_mount.c: mount / unmount of a container's root file system
 * by the user. The store counts mounts, so the user's mounts and the
 * container's own (while it runs) never unmount each other: a running
 * container's last mount is its own and is not given up here. Events:
 * mount, unmount.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/str.h"

int ctr_mount(struct runtime *rt, struct ctr *c, char **mountpoint, struct berr **err)
{
    struct store *s;

    if (c->cfg.rootfs) {
        if (!(*mountpoint = str_dup(c->cfg.rootfs)))
            return berr_oom(err);
    } else if (rt_store(rt, &s, err) < 0 || store_ctr_mount(s, c->id, mountpoint, err) < 0) {
        return -1;
    }
    ctr_emit(rt, c, "mount");
    return 0;
}

int ctr_unmount(struct runtime *rt, struct ctr *c, bool force, bool *done, struct berr **err)
{
    struct store *s;
    int st = ctr_state(c), n;

    *done = false;
    if (c->cfg.rootfs)
        return 0;
    if (rt_store(rt, &s, err) < 0 || store_ctr_mount_count(s, c->id, &n, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    if ((st == CS_RUNNING || st == CS_PAUSED) && n <= 1)
        return berr_kind(err, BK_STATE,
                         "cannot unmount storage for container %s as it is running or paused",
                         c->id);
    /* a running container keeps its own mount, even forced */
    if (force && (st == CS_RUNNING || st == CS_PAUSED)) {
        while (n-- > 1)
            if (store_ctr_unmount(s, c->id, false, err) < 0)
                return -1;
    } else if (store_ctr_unmount(s, c->id, force, err) < 0) {
        return -1;
    }
    *done = true;
    ctr_emit(rt, c, "unmount");
    return 0;
}

int ctr_mounted(struct runtime *rt, struct ctr *c, char **mountpoint, struct berr **err)
{
    struct store *s;

    *mountpoint = NULL;
    if (c->cfg.rootfs)
        return 0;
    return rt_store(rt, &s, err) < 0 ? -1 : store_ctr_mounted(s, c->id, mountpoint, err);
}
