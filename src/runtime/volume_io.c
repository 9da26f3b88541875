/*
 * runtime/volume_io.c: volume export and import, a volume's data as a
 * tar stream (storage/tree_tar.c). podman's rule: a volume whose options
 * name a file system type other than tmpfs must be mounted (by a
 * container or `volume mount`) for its data to be there.
 */
#include "runtime/volume.h"
#include "storage/store.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static int check_mounted(struct vol *v, struct berr **err)
{
    const char *type = js_str(v->cfg.options, "type", NULL);

    if (!v->cfg.mount_point || !*v->cfg.mount_point)
        return berr_msg(err, "volume is not mounted anywhere on host");
    if (type && !str_eq(type, "tmpfs") && v->st.mount_count == 0)
        return berr_msg(err, "volume is using a driver %s and volume is not mounted on %s",
                        v->cfg.driver, v->cfg.mount_point);
    return 0;
}

int vol_export(struct runtime *rt, struct vol *v, int fd, struct berr **err)
{
    (void) rt;
    if (check_mounted(v, err) < 0)
        return -1;
    log_debug("Exporting volume data from %s", v->cfg.mount_point);
    return store_tar_tree(v->cfg.mount_point, fd, err);
}

int vol_import(struct runtime *rt, struct vol *v, const char *path, struct berr **err)
{
    (void) rt;
    if (check_mounted(v, err) < 0)
        return -1;
    return store_untar_tree(path, v->cfg.mount_point, err);
}
