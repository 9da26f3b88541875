/*
 * runtime/pod_clone.c: pod clone (pod.h): a new pod configured as
 * another, with the changes asked for, made as podman makes it: the
 * pod's record copied, its infra container cloned (runtime/ctr_clone.c)
 * as the new pod's infra, then each other member cloned into the new
 * pod, oldest first (the clones named NAME-clone, as container clone
 * names them). A failure part way removes the new pod and what it has.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

/* What the infra flags make the members do (pod_create.c's keys): join
 * its user namespace, get its devices, mount its volumes. */
static int infra_keys(json_t *c, json_t *infra)
{
    const char *user = js_str(json_object_get(infra, "namespaces"), "user", NULL);
    json_t *devs = json_object_get(infra, "devices"), *have;
    int bad = 0;

    if (user && !str_eq(user, "host"))
        bad |= json_object_set_new(c, "infraUserns", json_true());
    if (json_array_size(devs)) {
        if (!json_is_array(have = json_object_get(c, "devices")))
            bad |= json_object_set_new(c, "devices", have = json_array());
        bad |= json_array_extend(json_object_get(c, "devices"), devs);
    }
    if (json_array_size(json_object_get(infra, "mounts")) ||
        json_array_size(json_object_get(infra, "volumesFrom")))
        bad |= json_object_set_new(c, "infraVolumes", json_true());
    return bad ? -1 : 0;
}

/* The new pod's record: src's with its own id, name and the changes. */
static json_t *clone_record(const struct pod *src, const struct pod_clone_opts *o,
                            const char *id, const char *name)
{
    _cleanup_json_ json_t *c = json_deep_copy(src->cfg.rec);
    json_t *labels, *res;
    int bad = 0;

    if (!c)
        return NULL;
    (void) json_object_del(c, "infraId");
    bad |= js_set_str(c, "id", id) | js_set_str(c, "name", name);
    bad |= json_object_set_new(c, "createdNs", json_integer(time_now_ns()));
    if (o->create_command)
        bad |= json_object_set(c, "createCommand", o->create_command);
    if (!json_is_object(labels = json_object_get(c, "labels")))
        bad |= json_object_set_new(c, "labels", labels = json_object());
    if (o->labels)
        bad |= json_object_update(json_object_get(c, "labels"), o->labels);
    if (o->hostname)
        bad |= js_set_str(c, "hostname", o->hostname);
    if (o->cgroup_parent)
        bad |= js_set_str(c, "cgroupParent", o->cgroup_parent);
    if (o->resources && json_object_size(o->resources)) {
        if (!json_is_object(res = json_object_get(c, "resources")))
            bad |= json_object_set_new(c, "resources", res = json_object());
        bad |= ctr_resources_merge(json_object_get(c, "resources"), o->resources);
    }
    bad |= infra_keys(c, o->infra_spec);
    return bad ? NULL : STEAL_PTR(c);
}

/* What the clone of the infra gets over the original's spec: the pod's
 * host name (the new pod's name unless one was given), then o's. */
static json_t *infra_over(const struct pod *src, const struct pod_clone_opts *o,
                          const char *name)
{
    _cleanup_json_ json_t *s = o->infra_spec ? json_deep_copy(o->infra_spec) : json_object();
    bool uts = false;
    size_t i;
    json_t *e;

    if (!s)
        return NULL;
    json_array_foreach(src->cfg.share, i, e)
        uts |= str_eq(json_string_value(e), "uts");
    if (uts && !js_str(src->cfg.rec, "infraUts", NULL) && !json_object_get(s, "hostname") &&
        js_set_str(s, "hostname", o->hostname ? o->hostname
                                  : src->cfg.hostname ? src->cfg.hostname : name) < 0)
        return NULL;
    return STEAL_PTR(s);
}

/* The infra's clone, recorded as the new pod's infra. */
static int clone_infra(struct runtime *rt, const struct pod *src, const struct pod_clone_opts *o,
                       const char *id, const char *name, struct berr **err)
{
    _cleanup_json_ json_t *over = infra_over(src, o, name);
    _cleanup_ctr_ struct ctr *c = NULL;
    _cleanup_pod_ struct pod *np = NULL;
    struct ctr_clone_opts co = {
        .name = o->infra_name, .pod = id, .infra = true, .spec = over, .resources = o->resources,
    };
    char infra[STATE_ID_LEN + 1];

    if (!over)
        return berr_oom(err);
    if (ctr_get_id(rt, src->cfg.infra_id, &c, err) < 0 || ctr_clone(rt, c, &co, infra, err) < 0)
        return berr_wrap(err, "cloning the infra container of pod %s", src->id);
    if (pod_get_id(rt, id, &np, err) < 0)
        return -1;
    if (js_set_str(np->cfg.rec, "infraId", infra) < 0)
        return berr_oom(err);
    return state_update_config(rt->st, OBJ_POD, id, np->cfg.rec, err);
}

/* Every member but the infra, into pod id. */
static int clone_members(struct runtime *rt, const struct pod *src, const char *id,
                         struct berr **err)
{
    struct pod_member *m = NULL;
    size_t n = 0;
    int r = 0;

    if (pod_members(rt, src->id, &m, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n && r == 0; i++) {
        _cleanup_ctr_ struct ctr *c = NULL;
        struct ctr_clone_opts co = { .pod = id };
        char cid[STATE_ID_LEN + 1];
        if (m[i].infra)
            continue;
        if (ctr_get_id(rt, m[i].id, &c, err) < 0 || ctr_clone(rt, c, &co, cid, err) < 0)
            r = berr_wrap(err, "cloning container %s of pod %s", m[i].id, src->id);
    }
    pod_members_free(m, n);
    return r;
}

static void undo(struct runtime *rt, const char *id)
{
    _cleanup_pod_ struct pod *p = NULL;
    struct berr *e = NULL;

    if (pod_get_id(rt, id, &p, &e) < 0 || pod_remove(rt, p, true, 0, &e) < 0)
        log_warn("pod %s: removing the unfinished clone: %s", id, e->msg);
    berr_free(e);
}

static int start_new(struct runtime *rt, const char *id, struct berr **err)
{
    _cleanup_pod_ struct pod *p = NULL;

    return pod_get_id(rt, id, &p, err) < 0 ? -1 : pod_start(rt, p, err);
}

int pod_clone(struct runtime *rt, struct pod *src, const struct pod_clone_opts *o,
              char id[STATE_ID_LEN + 1], struct berr **err)
{
    _cleanup_free_ char *name = NULL;
    _cleanup_json_ json_t *rec = NULL, *st = json_object();
    struct event ev = { .type = "pod", .status = "create" };

    if (!st)
        return berr_oom(err);
    if (o->name ? ctr_name_check(o->name, err) < 0 || !(name = str_dup(o->name))
                : ctr_clone_name(rt, src->cfg.name, &name, err) < 0)
        return *err ? -1 : berr_oom(err);
    if (state_new_id(id, err) < 0)
        return -1;
    if (!(rec = clone_record(src, o, id, name)))
        return berr_oom(err);
    if (state_create(rt->st, OBJ_POD, id, rec, st, err) < 0)
        return berr_wrap(err, "adding pod to state");
    if ((src->cfg.infra_id && clone_infra(rt, src, o, id, name, err) < 0) ||
        clone_members(rt, src, id, err) < 0) {
        undo(rt, id);
        return -1;
    }
    ev.id = id;
    ev.name = name;
    rt_event(rt, &ev);
    if (o->start && start_new(rt, id, err) < 0)
        return berr_wrap(err, "starting the clone %s", id);
    /* podman's order: the clone is made (and started) before the
     * original goes, members and all */
    if (o->destroy && pod_remove(rt, src, true, -1, err) < 0)
        return -1;
    return 0;
}
