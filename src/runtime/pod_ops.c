/*
 * runtime/pod_ops.c: a pod's lifecycle over its members (pod.h). The
 * pod's lock is held throughout (pod before container); each member is
 * locked in turn. Start goes infra first, the others in creation order
 * (a container joins only namespaces of containers made before it);
 * stop, kill and pause go the other way, the infra last.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/cgreg.h"
#include "runtime/container.h"
#include "runtime/ctr_mounts.h"
#include "runtime/pod.h"
#include "runtime/rtdelete.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

typedef int (*member_fn)(struct runtime *rt, struct ctr *c, void *arg, struct berr **err);

/* Calls fn on each member (infra first when forward, last otherwise),
 * locked; a failure is kept (the first one, naming the container) and
 * the others still go. A member gone meanwhile is passed over. */
static int each_member(struct runtime *rt, struct pod *p, bool forward, const char *verb,
                       member_fn fn, void *arg, struct berr **err)
{
    struct pod_member *m = NULL;
    size_t n = 0;
    int rc = 0;

    if (pod_members(rt, p->id, &m, &n, err) < 0)
        return -1;
    /* forward: the infra, then the others oldest first; else the others
     * newest first, then the infra */
    for (size_t k = 0; k < 2 * n; k++) {
        size_t i = forward ? k % n : n - 1 - k % n;
        bool infra_phase = (k < n) == forward;
        struct berr *e = NULL;
        struct ctr *c = NULL;

        if (m[i].infra != infra_phase)
            continue;
        if (ctr_get_id(rt, m[i].id, &c, &e) == 0 && fn(rt, c, arg, &e) == 0) {
            ctr_put(c);
            continue;
        }
        ctr_put(c);
        if (e && e->kind == BK_NO_SUCH && !c) {
            berr_free(e);
            continue;
        }
        berr_wrap(&e, "%s container %s", verb, m[i].id);
        if (rc == 0)
            *err = e;
        else
            berr_free(e);
        rc = -1;
    }
    pod_members_free(m, n);
    return rc;
}

static void pod_emit(struct runtime *rt, struct pod *p, const char *status)
{
    struct event ev = { .type = "pod", .status = status, .id = p->id, .name = p->cfg.name };

    rt_event(rt, &ev);
}

static int start_one(struct runtime *rt, struct ctr *c, void *arg, struct berr **err)
{
    (void) arg;
    return ctr_state(c) == CS_RUNNING ? 0 : ctr_start(rt, c, err);
}

/* podman: a pod without containers cannot start (nor restart) */
static int has_members(struct runtime *rt, struct pod *p, struct berr **err)
{
    struct pod_member *m = NULL;
    size_t n = 0;

    if (pod_members(rt, p->id, &m, &n, err) < 0)
        return -1;
    pod_members_free(m, n);
    if (n == 0)
        return berr_kind(err, BK_NO_SUCH, "no containers in pod %s have no dependencies, "
                         "cannot start pod: no such container", p->id);
    return 0;
}

int pod_start(struct runtime *rt, struct pod *p, struct berr **err)
{
    if (has_members(rt, p, err) < 0)
        return -1;
    if (each_member(rt, p, true, "starting", start_one, NULL, err) < 0)
        return -1;
    pod_emit(rt, p, "start");
    return 0;
}

static int stop_one(struct runtime *rt, struct ctr *c, void *arg, struct berr **err)
{
    long long t = *(long long *) arg;

    return ctr_stop(rt, c, t < 0 ? c->cfg.stop_timeout : t, err);
}

int pod_stop(struct runtime *rt, struct pod *p, long long timeout, struct berr **err)
{
    if (each_member(rt, p, false, "stopping", stop_one, &timeout, err) < 0)
        return -1;
    pod_emit(rt, p, "stop");
    return 0;
}

static int kill_one(struct runtime *rt, struct ctr *c, void *arg, struct berr **err)
{
    int st = ctr_state(c);

    if (st != CS_RUNNING && st != CS_PAUSED)
        return 0;
    return ctr_kill(rt, c, *(int *) arg, err);
}

int pod_kill(struct runtime *rt, struct pod *p, int sig, struct berr **err)
{
    /* podman: a pod with nothing running is killed without complaint */
    if (each_member(rt, p, false, "killing", kill_one, &sig, err) < 0)
        return -1;
    pod_emit(rt, p, "kill");
    return 0;
}

static int pause_one(struct runtime *rt, struct ctr *c, void *arg, struct berr **err)
{
    bool unpause = *(bool *) arg;

    if (unpause)
        return ctr_state(c) == CS_PAUSED ? ctr_unpause(rt, c, err) : 0;
    return ctr_state(c) == CS_RUNNING ? ctr_pause(rt, c, err) : 0;
}

int pod_pause(struct runtime *rt, struct pod *p, bool unpause, struct berr **err)
{
    if (each_member(rt, p, unpause, unpause ? "unpausing" : "pausing", pause_one, &unpause,
                    err) < 0)
        return -1;
    pod_emit(rt, p, unpause ? "unpause" : "pause");
    return 0;
}

int pod_restart(struct runtime *rt, struct pod *p, struct berr **err)
{
    long long t = -1;

    if (has_members(rt, p, err) < 0)
        return -1;
    if (each_member(rt, p, false, "stopping", stop_one, &t, err) < 0 ||
        each_member(rt, p, true, "starting", start_one, NULL, err) < 0)
        return -1;
    pod_emit(rt, p, "restart");
    return 0;
}

/* ---- removal ---- */

struct rm_arg {
    bool force;
    long long timeout;
    const char *pod_id;
};

static int remove_member(struct runtime *rt, struct pod_member *m, const struct rm_arg *a,
                         struct berr **err)
{
    _cleanup_ctr_ struct ctr *c = NULL;
    struct berr *e = NULL;

    /* whatever its records say: a member half-created by a killed
     * command goes too */
    if (ctr_get_id_any(rt, m->id, &c, &e) < 0) {
        if (e->kind == BK_NO_SUCH) {
            berr_free(e);
            return 0;
        }
        *err = e;
        return -1;
    }
    if (ctr_remove_flags(rt, c, a->force, a->timeout, CTR_RM_VOLUMES | CTR_RM_POD, err) < 0)
        return berr_wrap(err, "removing container %s from pod %s", m->id, a->pod_id);
    return 0;
}

int pod_remove(struct runtime *rt, struct pod *p, bool force, long long timeout,
               struct berr **err)
{
    _cleanup_free_ char *lf = str_fmt("%s/locks/pods/%s", rt->cfg->tmp_dir, p->id);
    struct rm_arg a = { force, timeout, p->id };
    struct pod_member *m = NULL;
    size_t n = 0;
    int rc = 0;

    if (!lf)
        return berr_oom(err);
    if (pod_members(rt, p->id, &m, &n, err) < 0)
        return -1;
    if (!force)
        for (size_t i = 0; i < n; i++)
            if (m[i].state == CS_RUNNING || m[i].state == CS_PAUSED || m[i].state == CS_STOPPING) {
                rc = berr_kind(err, BK_STATE, "removing container %s from pod %s: cannot remove "
                               "container %s as it is %s - running or paused containers cannot "
                               "be removed without force: container state improper", m[i].id,
                               p->id, m[i].id, m[i].state == CS_PAUSED ? "paused" : "running");
                break;
            }
    /* the others first (newest first), the infra whose namespaces they
     * hold last */
    for (size_t k = 0; rc == 0 && k < 2 * n; k++) {
        size_t i = n - 1 - k % n;
        if ((k < n) == m[i].infra)
            continue;
        rc = remove_member(rt, &m[i], &a, err);
    }
    pod_members_free(m, n);
    if (rc < 0)
        return -1;
    if (state_delete(rt->st, OBJ_POD, p->id, err) < 0)
        return -1;
    /* the registry's entry is written before the cgroup is made: a pod
     * none of whose members ever started has none to remove */
    if (cgreg_known(rt, p->id)) {
        /* a member's cgroup inside it may still be going with a run
         * --rm's handed-off runtime delete */
        rtdelete_settle(rt);
        pod_cgroup_remove(&p->cfg);
        cgreg_drop(rt, p->id);
    }
    pod_emit(rt, p, "remove");
    lock_path_unlink(lf, &p->lock);
    return 0;
}

int pod_remove_all(struct runtime *rt, bool force, long long timeout, char ***removed,
                   struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    int rc = 0;

    if (pod_list_ids(rt, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_pod_ struct pod *p = NULL;
        struct pod_member *m = NULL;
        struct berr *e = NULL;
        size_t n = 0;

        if (pod_get_id(rt, ids[i], &p, &e) < 0 || pod_members(rt, p->id, &m, &n, &e) < 0 ||
            pod_remove(rt, p, force, timeout, &e) < 0) {
            if (e && e->kind == BK_NO_SUCH && !p) {
                berr_free(e);
            } else {
                berr_free(rc < 0 ? STEAL_PTR(*err) : NULL);
                *err = e;
                rc = -1;
            }
            pod_members_free(m, n);
            continue;
        }
        for (size_t k = 0; k < n; k++)
            if (strv_push(removed, m[k].id) < 0)
                rc = berr_oom(err);
        pod_members_free(m, n);
    }
    return rc;
}

/* ---- what members' commands call ---- */

int pod_start_infra(struct runtime *rt, const char *pod_id, struct berr **err)
{
    struct pod_config cfg;
    _cleanup_ctr_ struct ctr *c = NULL;
    int r = 0;

    if (pod_read(rt, pod_id, &cfg, err) < 0)
        return berr_wrap(err, "pod %s", pod_id);
    if (cfg.infra_id && ctr_get_id(rt, cfg.infra_id, &c, err) == 0) {
        if (ctr_state(c) != CS_RUNNING && ctr_state(c) != CS_PAUSED)
            r = ctr_start(rt, c, err);
    } else if (cfg.infra_id) {
        r = -1;
    }
    pod_config_free(&cfg);
    return r < 0 ? berr_wrap(err, "starting infra container of pod %s", pod_id) : 0;
}

void pod_exit_policy(struct runtime *rt, const char *pod_id)
{
    struct pod_config cfg;
    struct pod_member *m = NULL;
    struct berr *e = NULL;
    size_t n = 0, live = 0;
    _cleanup_ctr_ struct ctr *c = NULL;

    if (pod_read(rt, pod_id, &cfg, &e) < 0) {
        berr_free(e);
        return;
    }
    if (!str_eq(cfg.exit_policy, "stop") || !cfg.infra_id || pod_members(rt, pod_id, &m, &n, &e) < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        live += !m[i].infra && (m[i].state == CS_RUNNING || m[i].state == CS_PAUSED ||
                                m[i].state == CS_STOPPING || m[i].state == CS_CREATED);
    /* podman: the pod stops when its last container has exited */
    if (live == 0 && ctr_get_id(rt, cfg.infra_id, &c, &e) == 0 && ctr_state(c) == CS_RUNNING &&
        ctr_stop(rt, c, c->cfg.stop_timeout, &e) < 0)
        log_warn("pod %s: exit policy stop: %s", pod_id, e->msg);
out:
    berr_free(e);
    pod_members_free(m, n);
    pod_config_free(&cfg);
}
