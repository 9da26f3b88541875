/*
 * runtime/renumber.c: system renumber (SPEC-podman.md 1.10): free every
 * lock, then give each container and pod a fresh one (0, 1, 2, ...) and
 * rewrite its config's lockID. Volumes have no numbered lock (their lock
 * files are made on demand, runtime/volume.h). Runs under the alive lock so it cannot
 * race a refresh. Like podman's, it assumes no other berth is working on
 * these objects at the same moment.
 */
#include "runtime/renumber.h"
#include "runtime/ctrstate.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static int renumber_kind(struct runtime *rt, enum obj_kind kind, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;

    if (state_list(rt->st, kind, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_json_ json_t *cfg = NULL;
        unsigned num;

        if (state_read(rt->st, kind, ids[i], &cfg, NULL, err) < 0)
            return -1;
        if (lock_alloc(rt->locks, &num, err) < 0)
            return -1;
        if (js_set_int(cfg, "lockID", num) < 0)
            return berr_oom(err);
        if (state_update_config(rt->st, kind, ids[i], cfg, err) < 0)
            return -1;
    }
    return 0;
}

int rt_renumber(struct runtime *rt, struct berr **err)
{
    _cleanup_free_ char *lck = str_fmt("%s/alive.lck", rt->cfg->tmp_dir);
    _cleanup_lock_ struct lock l = LOCK_INIT;
    struct event ev = { .type = "system", .status = "renumber" };

    if (!lck)
        return berr_oom(err);
    if (lock_path(lck, true, &l, err) < 0)
        return -1;
    if (lock_free_all(rt->locks, err) < 0)
        return -1;
    if (renumber_kind(rt, OBJ_CONTAINER, err) < 0 || renumber_kind(rt, OBJ_POD, err) < 0)
        return berr_wrap(err, "renumber");
    rt_event(rt, &ev);
    return 0;
}

int rt_lock_owners(struct runtime *rt, json_t **out, struct berr **err)
{
    static const enum obj_kind kinds[] = { OBJ_CONTAINER, OBJ_POD, OBJ_VOLUME };
    static const char *const names[] = { "container", "pod", "volume" };
    _cleanup_json_ json_t *map = json_object();

    if (!map)
        return berr_oom(err);
    for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
        _cleanup_strv_ char **ids = NULL;

        if (state_list(rt->st, kinds[k], &ids, err) < 0)
            return -1;
        for (size_t i = 0; ids[i]; i++) {
            _cleanup_json_ json_t *cfg = NULL;
            struct berr *e = NULL;
            char key[32];
            long long n;

            if (state_read(rt->st, kinds[k], ids[i], &cfg, NULL, &e) < 0) {
                berr_free(e);   /* a broken record owns no lock we can name */
                continue;
            }
            n = js_int(cfg, "lockID", -1);
            if (n < 0)
                continue;
            snprintf(key, sizeof(key), "%lld", n);
            /* an owner left out would let rt_lock_gc free a lock in use */
            if (json_object_set_new(map, key,
                                    json_pack("{s:s, s:s, s:s}", "Type", names[k], "ID", ids[i],
                                              "Name", js_str(cfg, "name", ids[i]))) < 0)
                return berr_oom(err);
        }
    }
    *out = STEAL_PTR(map);
    return 0;
}

int rt_lock_gc(struct runtime *rt, struct berr **err)
{
    _cleanup_json_ json_t *owners = NULL;
    _cleanup_free_ struct lock_info *locks = NULL;
    size_t n = 0;

    if (rt_lock_owners(rt, &owners, err) < 0 || lock_list(rt->locks, &locks, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct lock l = LOCK_INIT;
        struct berr *e = NULL;
        char key[32];

        snprintf(key, sizeof(key), "%u", locks[i].num);
        if (json_object_get(owners, key))
            continue;
        /* A create in progress holds its new lock: only a lock nobody
         * holds and no record names is an orphan (its creator died). */
        if (lock_try(rt->locks, locks[i].num, &l, &e) != 0) {
            berr_free(e);
            continue;
        }
        if (lock_free(rt->locks, locks[i].num, &e) < 0) {
            log_warn("freeing orphaned lock %u: %s", locks[i].num, e->msg);
            berr_free(e);
        }
        lock_release(&l);
    }
    return 0;
}
