/*
 * runtime/rt_store.c: the image store, opened on first use.
 * Paths and driver come from the config after the DB merge; the driver
 * the store settles on ("" = overlay where the kernel mounts it on the
 * graph root, else vfs) is recorded in the DB config, and a different
 * recorded one is a mismatch error.
 */
#include "runtime/dbconfig.h"
#include "runtime/runtime.h"
#include "storage/store.h"
#include "util/str.h"

int rt_store(struct runtime *rt, struct store **out, struct berr **err)
{
    struct store_opts o = { 0 };
    struct store *s = NULL;

    if (rt->store) {
        *out = rt->store;
        return 0;
    }
    o.graph_root = rt->cfg->graph_root;
    o.run_root = rt->cfg->run_root;
    o.driver = rt->cfg->graph_driver;
    o.driver_opts = rt->cfg->graph_driver_options;
    if (!o.graph_root || !o.run_root)
        return berr_msg(err, "no storage graph root or run root configured");
    if (store_open(&o, &s, err) < 0)
        return -1;
    /* db.json already says this driver (read at open): nothing to do */
    if (rt->st && !str_eq(rt->db_driver, store_driver(s)) &&
        dbconfig_record_driver(rt->st, store_driver(s), err) < 0) {
        store_close(s);
        return -1;
    }
    rt->store = s;
    *out = s;
    return 0;
}
