/*
 * runtime/ctr_requires.c: --requires (see ctr_requires.h).
 */
#include <string.h>

#include "runtime/ctr_int.h"
#include "runtime/ctr_requires.h"
#include "runtime/health.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

int ctr_requires_resolve(struct runtime *rt, json_t *spec, struct berr **err)
{
    const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;
    json_t *req = json_object_get(spec, "requires"), *v;
    _cleanup_json_ json_t *out = json_array();
    size_t i;

    if (!json_array_size(req))
        return 0;
    if (!out)
        return berr_oom(err);
    json_array_foreach(req, i, v) {
        const char *s = json_string_value(v);
        _cleanup_free_ char *name = str_dup(s ? s : "");
        char id[STATE_ID_LEN + 1], *colon;
        bool healthy = false;

        if (!name)
            return berr_oom(err);
        if ((colon = strrchr(name, ':')) && !strcmp(colon, ":healthy")) {
            *colon = '\0';
            healthy = true;
        }
        if (state_lookup(rt->st, OBJ_CONTAINER, name, ns, id, err) < 0)
            return berr_wrap(err, "\"%s\" is not a valid container, cannot be used as a dependency", name);
        if (json_array_append_new(out, json_pack("{s:s, s:b}", "id", id, "healthy", healthy)) < 0)
            return berr_oom(err);
    }
    return json_object_set(spec, "requires", out) < 0 ? berr_oom(err) : 0;
}

json_t *ctr_requires_ids(const struct ctr_config *cfg)
{
    json_t *out = json_array(), *v;
    size_t i;

    json_array_foreach(json_object_get(cfg->spec, "requires"), i, v)
        if (out && js_str(v, "id", NULL))
            (void) json_array_append_new(out, json_string(js_str(v, "id", "")));
    return out;
}

/* Starts one required container (its lock taken after ours: a container
 * can only require one that existed before it, so there is no cycle). */
static int start_one(struct runtime *rt, const char *id, struct berr **err)
{
    _cleanup_ctr_ struct ctr *d = NULL;

    if (ctr_get_id(rt, id, &d, err) < 0)
        return berr_wrap(err, "dependency container %.12s", id);
    if (ctr_state(d) == CS_RUNNING)
        return 0;
    if (ctr_requires_start(rt, d, err) < 0 || ctr_start(rt, d, err) < 0)
        return berr_wrap(err, "starting dependency container %.12s", id);
    return 0;
}

int ctr_requires_start(struct runtime *rt, struct ctr *c, struct berr **err)
{
    _cleanup_json_ json_t *req = json_deep_copy(json_object_get(c->cfg.spec, "requires"));
    bool wait = false;
    json_t *v;
    size_t i;

    json_array_foreach(req, i, v) {
        if (start_one(rt, js_str(v, "id", ""), err) < 0)
            return -1;
        wait |= js_bool(v, "healthy", false);
    }
    if (!wait)
        return 0;
    /* never hold our lock while waiting for another container */
    lock_release(&c->lock);
    json_array_foreach(req, i, v)
        if (js_bool(v, "healthy", false) &&
            ctr_health_wait(rt, js_str(v, "id", ""), "healthy", true, err) < 0) {
            berr_wrap(err, "waiting for dependency container %.12s to be healthy", js_str(v, "id", ""));
            struct berr *e = NULL;
            if (ctr_relock(rt, c, &e) < 0)
                berr_free(e);
            return -1;
        }
    return ctr_relock(rt, c, err);
}
