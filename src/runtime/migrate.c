/*
 * runtime/migrate.c: system migrate (runtime/migrate.h): every container
 * stopped, and optionally moved to another configured OCI runtime.
 */
#include "runtime/container.h"
#include "runtime/migrate.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static bool runtime_known(const struct config *cfg, const char *name)
{
    for (int i = 0; i < cfg->n_runtimes; i++)
        if (str_eq(cfg->runtimes[i].name, name))
            return true;
    return false;
}

/* One container, locked: stopped if it runs, its runtime changed. */
static int migrate_one(struct runtime *rt, struct ctr *c, const char *new_runtime,
                       void (*stopped)(const char *id, void *ctx), void *ctx, struct berr **err)
{
    if (ctr_state(c) == CS_RUNNING || ctr_state(c) == CS_PAUSED) {
        if (ctr_stop(rt, c, -1, err) < 0)
            return -1;
        stopped(c->id, ctx);
    }
    if (!new_runtime)
        return 0;
    if (ctr_config_set(c, "runtime", json_string(new_runtime), err) < 0)
        return -1;
    return ctr_save_config(rt, c, err);
}

int rt_migrate(struct runtime *rt, const char *new_runtime,
               void (*stopped)(const char *id, void *ctx), void *ctx, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;

    /* podman: it must be a configured runtime */
    if (new_runtime && !runtime_known(rt->cfg, new_runtime))
        return berr_kind(err, BK_INVALID, "change to runtime \"%s\" requested but no such "
                         "runtime is defined", new_runtime);
    if (ctr_list_ids(rt, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_ctr_ struct ctr *c = NULL;
        struct berr *e = NULL;

        if (ctr_get_id(rt, ids[i], &c, &e) < 0) {
            log_warn("migrate: container %s: %s", ids[i], e->msg);
            berr_free(e);
            continue;
        }
        if (migrate_one(rt, c, new_runtime, stopped, ctx, err) < 0)
            return -1;
    }
    return 0;
}
