/*
 * runtime/pod.c: pods (pod.h): creating one with its infra container,
 * finding and locking one, its members and the status podman derives
 * from them. The lifecycle over the members is pod_ops.c; the infra
 * image is pod_infra.c.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctr_view.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

static char *lock_file(struct runtime *rt, const char *id)
{
    return str_fmt("%s/locks/pods/%s", rt->cfg->tmp_dir, id);
}

static const char *lns(struct runtime *rt)
{
    return rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;
}

int pod_read(struct runtime *rt, const char *id, struct pod_config *cfg, struct berr **err)
{
    _cleanup_json_ json_t *c = NULL;

    if (state_read(rt->st, OBJ_POD, id, &c, NULL, err) < 0)
        return -1;
    return pod_config_parse(c, id, cfg, err);
}

void pod_put(struct pod *p)
{
    if (!p)
        return;
    lock_release(&p->lock);
    pod_config_free(&p->cfg);
    free(p);
}

int pod_get_id(struct runtime *rt, const char *id, struct pod **out, struct berr **err)
{
    _cleanup_free_ char *lf = lock_file(rt, id);
    struct pod *p = calloc(1, sizeof(*p));

    if (!lf || !p) {
        free(p);
        return berr_oom(err);
    }
    p->lock = (struct lock) LOCK_INIT;
    snprintf(p->id, sizeof(p->id), "%s", id);
    /* a pod removed while we waited: its record is gone */
    if (lock_path_live(lf, true, &p->lock, err) < 0 || pod_read(rt, id, &p->cfg, err) < 0) {
        if (*err && (*err)->kind == BK_NO_SUCH) {
            berr_freep(err);
            berr_kind(err, BK_NO_SUCH, "no pod with name or ID %s found: no such pod", id);
        }
        pod_put(p);
        return -1;
    }
    *out = p;
    return 0;
}

int pod_get(struct runtime *rt, const char *name_or_id, struct pod **out, struct berr **err)
{
    char id[STATE_ID_LEN + 1];

    if (state_lookup(rt->st, OBJ_POD, name_or_id, lns(rt), id, err) < 0)
        return -1;
    if (pod_get_id(rt, id, out, err) < 0) {
        if ((*err)->kind == BK_CORRUPT)
            berr_hint(err, "`berth system check --repair` moves the broken record aside");
        return -1;
    }
    return 0;
}

bool pod_exists(struct runtime *rt, const char *name_or_id)
{
    char id[STATE_ID_LEN + 1];
    struct berr *e = NULL;
    bool ok = state_lookup(rt->st, OBJ_POD, name_or_id, lns(rt), id, &e) == 0;

    berr_free(e);
    return ok;
}

char *pod_name(struct runtime *rt, const char *id)
{
    struct pod_config cfg;
    struct berr *e = NULL;
    char *name;

    if (pod_read(rt, id, &cfg, &e) < 0) {
        berr_free(e);
        return str_dup("");
    }
    name = str_dup(cfg.name);
    pod_config_free(&cfg);
    return name;
}

int pod_list_ids(struct runtime *rt, char ***ids, struct berr **err)
{
    char **all = NULL;
    size_t k = 0;

    if (state_list(rt->st, OBJ_POD, &all, err) < 0)
        return -1;
    if (!lns(rt)) {
        *ids = all;
        return 0;
    }
    for (size_t i = 0; all[i]; i++) {
        struct pod_config cfg;
        struct berr *e = NULL;
        if (pod_read(rt, all[i], &cfg, &e) == 0 && str_eq(cfg.ns, lns(rt)))
            all[k++] = all[i];
        else
            free(all[i]);
        pod_config_free(&cfg);
        berr_free(e);
    }
    all[k] = NULL;
    *ids = all;
    return 0;
}

int pod_latest(struct runtime *rt, char id[STATE_ID_LEN + 1], struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    long long best = -1;

    if (pod_list_ids(rt, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        struct pod_config cfg;
        struct berr *e = NULL;
        if (pod_read(rt, ids[i], &cfg, &e) < 0) {
            berr_free(e);
            continue;
        }
        if (cfg.created_ns > best) {
            best = cfg.created_ns;
            snprintf(id, STATE_ID_LEN + 1, "%s", ids[i]);
        }
        pod_config_free(&cfg);
    }
    if (best < 0)
        return berr_kind(err, BK_NO_SUCH, "no pods to act on: no such pod");
    return 0;
}

/* ---- members ---- */

void pod_members_free(struct pod_member *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(m[i].name);
    free(m);
}

static int by_created(const void *a, const void *b)
{
    const struct pod_member *x = a, *y = b;

    return x->created_ns < y->created_ns ? -1 : x->created_ns > y->created_ns;
}

/* Member id of pod pod_id? Read from the view in its state record; a
 * record without a view (or one that does not parse) is read whole. */
static int member_of(struct runtime *rt, const char *id, const char *pod_id,
                     struct pod_member *m)
{
    struct ctr_runstate st;
    struct ctr_config cfg;
    struct berr *e = NULL;
    char *damage = NULL;
    json_t *v;
    int r = 0;

    if (ctr_read_salvage(rt, id, &cfg, &st, &damage, &e) < 0) {
        berr_free(e);
        return 0;
    }
    free(damage);
    v = cfg.rec;
    if (str_eq(js_str(v, "pod", ""), pod_id)) {
        int code;
        long long fin;
        snprintf(m->id, sizeof(m->id), "%s", id);
        m->name = str_dup(cfg.name ? cfg.name : id);
        m->infra = js_bool(v, "isInfra", false);
        m->created_ns = cfg.created_ns;
        if (ctr_view_state(rt, id, &st, &m->state, &code, &fin) < 0 || !m->name)
            r = -1;
        else
            r = 1;
    }
    ctr_config_free(&cfg);
    ctr_runstate_free(&st);
    return r;
}

int pod_members(struct runtime *rt, const char *id, struct pod_member **out, size_t *n,
                struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    struct pod_member *v = NULL;
    size_t k = 0, cap;
    int r = state_members_list(rt->st, id, &ids, err);

    /* the pod's member index, else (an older pod) every record */
    if (r < 0 || (r > 0 && state_list(rt->st, OBJ_CONTAINER, &ids, err) < 0))
        return -1;
    cap = strv_len(ids);
    v = calloc(cap + 1, sizeof(*v));
    if (!v)
        return berr_oom(err);
    for (size_t i = 0; ids[i]; i++) {
        int r = member_of(rt, ids[i], id, &v[k]);
        if (r < 0) {
            pod_members_free(v, k + 1);
            return berr_oom(err);
        }
        k += (size_t) r;
    }
    qsort(v, k, sizeof(*v), by_created);
    *out = v;
    *n = k;
    return 0;
}

const char *pod_status(const struct pod_member *m, size_t n)
{
    size_t running = 0, paused = 0, stopped = 0, error = 0;

    if (n == 0)
        return "Created";
    for (size_t i = 0; i < n; i++)
        switch (m[i].state) {
        case CS_RUNNING:                    running++; break;
        case CS_PAUSED:                     paused++; break;
        case CS_EXITED: case CS_STOPPED:    stopped++; break;
        case CS_CREATED: case CS_CONFIGURED: break;
        default:                            error++; break;
        }
    if (running == n)
        return "Running";
    if (running > 0)
        return "Degraded";
    if (paused == n)
        return "Paused";
    if (stopped == n)
        return "Exited";
    if (stopped > 0)
        return "Stopped";
    if (error > 0)
        return "Error";
    return "Created";
}
