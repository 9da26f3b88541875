/*
 * runtime/ctr_view.c: what a reader without the lock sees of a container
 * (ctr_view.h): the view of its config kept in the state record, and its
 * liveness decided from the exit file and /proc.
 */
#include <stdlib.h>
#include <time.h>

#include "runtime/conmon.h"
#include "runtime/ctr_int.h"
#include "runtime/ctr_view.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/timefmt.h"

/* ---- the view: what ps needs of the config, kept in the state ---- */

/* to[key] = a copy of from[key], if there is one: 0, or -1 out of memory */
static int view_copy(json_t *to, json_t *from, const char *key)
{
    json_t *v = json_object_get(from, key);

    return !v || json_object_set_new(to, key, json_deep_copy(v)) == 0 ? 0 : -1;
}

/* The spec's part of the view: entrypoint, command, the health check,
 * the network mode and the mounts' types, destinations, bind sources and volume names. */
static json_t *view_spec(json_t *spec)
{
    _cleanup_json_ json_t *vs = json_object();
    json_t *net = json_object_get(json_object_get(spec, "namespaces"), "network");
    json_t *mounts = json_object_get(spec, "mounts"), *m;
    size_t i;

    if (!vs || view_copy(vs, spec, "entrypoint") < 0 || view_copy(vs, spec, "command") < 0 ||
        view_copy(vs, spec, "healthcheck") < 0)     /* ps: (healthy), --filter health= */
        return NULL;
    if (net && json_object_set_new(vs, "namespaces", json_pack("{s:O}", "network", net)) < 0)
        return NULL;
    if (json_is_array(mounts)) {
        json_t *ms = json_array();
        if (json_object_set_new(vs, "mounts", ms) < 0)
            return NULL;
        json_array_foreach(mounts, i, m) {
            /* a bind's source and a volume's name: ps --filter volume= */
            const char *t = js_str(m, "type", ""), *src = js_str(m, "source", NULL);
            const char *name = js_str(m, "name", NULL);
            json_t *vm = json_pack("{s:s, s:s}", "type", t, "destination",
                                   js_str(m, "destination", ""));
            if (!vm || (str_eq(t, "bind") && src && js_set_str(vm, "source", src) < 0) ||
                (name && js_set_str(vm, "name", name) < 0) || json_array_append_new(ms, vm) < 0)
                return NULL;
        }
    }
    return STEAL_PTR(vs);
}

json_t *ctr_view_record(json_t *cfg)
{
    static const char *const keys[] = {
        "name", "image", "command", "commandStart", "createdNs", "labels", "portMappings", "networks",
        "autoRemove", "namespace", "pod", "isInfra", "restartPolicy",
    };
    _cleanup_json_ json_t *v = json_object();

    if (!v || json_object_set_new(v, "v", json_integer(CTR_VIEW_VERSION)) < 0)
        return NULL;
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        if (view_copy(v, cfg, keys[i]) < 0)
            return NULL;
    if (json_object_set_new(v, "spec", view_spec(json_object_get(cfg, "spec"))) < 0)
        return NULL;
    return STEAL_PTR(v);
}

int ctr_view_sync(json_t *cfg, struct ctr_runstate *st)
{
    json_t *v = ctr_view_record(cfg);

    if (!v)
        return -1;
    if (json_equal(v, st->view)) {
        json_decref(v);
        return 0;
    }
    json_decref(st->view);
    st->view = v;
    return 1;
}

/* ---- liveness without a lock ---- */

static bool live_state(int s)
{
    return s == CS_CREATED || s == CS_RUNNING || s == CS_PAUSED || s == CS_STOPPING;
}

int ctr_view_state(struct runtime *rt, const char *id, const struct ctr_runstate *st,
                   int *state, int *code, long long *finished_ns)
{
    _cleanup_free_ char *exits = NULL;
    struct timespec when = { 0, 0 };
    struct berr *e = NULL;
    int c = 0, r;

    *state = (int) st->state;
    *code = st->exit_code;
    *finished_ns = st->finished_ns;
    /* a killed command's transition: what its recovery will find (a
     * create's is the state it wrote, whoever owns it: no process
     * check, and every container create made carries one) */
    if (st->intent && !str_eq(st->intent, "create") && ctr_intent_abandoned(st, false))
        *state = ctr_intent_view(rt, id, st);
    if (!live_state(*state))
        return 0;
    exits = str_fmt("%s/exits", rt->cfg->tmp_dir);
    if (!exits)
        return -1;
    r = conmon_read_exit_file(exits, id, &c, &when, &e);
    berr_free(e);
    if (r == 1) {
        *state = CS_EXITED;
        *code = c;
        *finished_ns = (long long) when.tv_sec * 1000000000LL + when.tv_nsec;
        return 0;
    }
    if ((st->conmon_pid <= 0 && st->pid <= 0) ||
        (st->conmon_pid > 0 && proc_alive(st->conmon_pid, st->conmon_start)) ||
        (st->pid > 0 && proc_alive(st->pid, st->pid_start)))
        return 0;
    /* Nobody is left to write an exit file: the exit is unknown. */
    *state = CS_EXITED;
    *code = -1;
    *finished_ns = time_now_ns();
    return 0;
}

int ctr_view_state_of(struct runtime *rt, const char *id, int *state, struct berr **err)
{
    struct ctr_runstate st;
    long long fin;
    int code, r;

    if (ctr_read(rt, id, NULL, &st, err) < 0)
        return -1;
    r = ctr_view_state(rt, id, &st, state, &code, &fin);
    ctr_runstate_free(&st);
    return r < 0 ? berr_oom(err) : 0;
}
