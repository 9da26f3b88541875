/*
 * runtime/ctr_view.c: what a reader without the lock sees of a container
 * (ctr_view.h): the view of its config kept in the state record, and its
 * liveness decided from the exit file and /proc.
 */
#include <stdlib.h>
#include <time.h>

#include "runtime/conmon.h"
#include "runtime/ctr_view.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/timefmt.h"

/* ---- the view: what ps needs of the config, kept in the state ---- */

static void view_copy(json_t *to, json_t *from, const char *key)
{
    json_t *v = json_object_get(from, key);
    if (v)
        json_object_set_new(to, key, json_deep_copy(v));
}

json_t *ctr_view_record(json_t *cfg)
{
    json_t *v = json_object(), *spec = json_object_get(cfg, "spec"), *vs = json_object();
    json_t *ns = json_object_get(spec, "namespaces"), *mounts = json_object_get(spec, "mounts");
    static const char *const keys[] = {
        "name", "image", "command", "createdNs", "labels", "portMappings", "networks",
        "autoRemove", "namespace",
    };

    if (!v || !vs)
        return json_decref(v), json_decref(vs), NULL;
    json_object_set_new(v, "v", json_integer(CTR_VIEW_VERSION));
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        view_copy(v, cfg, keys[i]);
    view_copy(vs, spec, "entrypoint");
    view_copy(vs, spec, "command");
    if (json_object_get(ns, "network"))
        json_object_set_new(vs, "namespaces", json_pack("{s:O}", "network",
                                                        json_object_get(ns, "network")));
    if (json_is_array(mounts)) {
        json_t *ms = json_array(), *m;
        size_t i;
        json_array_foreach(mounts, i, m)
            json_array_append_new(ms, json_pack("{s:s, s:s}", "type", js_str(m, "type", ""),
                                                "destination", js_str(m, "destination", "")));
        json_object_set_new(vs, "mounts", ms);
    }
    json_object_set_new(v, "spec", vs);
    return v;
}

int ctr_view_sync(json_t *cfg, json_t *st)
{
    json_t *v = ctr_view_record(cfg);

    if (!v)
        return -1;
    if (json_equal(v, json_object_get(st, "view"))) {
        json_decref(v);
        return 0;
    }
    json_object_set_new(st, "view", v);
    return 1;
}

/* ---- liveness without a lock ---- */

static bool live_state(int s)
{
    return s == CS_CREATED || s == CS_RUNNING || s == CS_PAUSED || s == CS_STOPPING;
}

int ctr_view_state(struct runtime *rt, const char *id, json_t *st, int *state, int *code,
                   long long *finished_ns)
{
    _cleanup_free_ char *exits = NULL;
    struct timespec when = { 0, 0 };
    struct berr *e = NULL;
    int s = (int) js_int(st, "state", CS_UNKNOWN), c = 0, r;

    *state = s;
    *code = (int) js_int(st, "exitCode", 0);
    *finished_ns = js_int(st, "finishedNs", 0);
    if (!live_state(s))
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
    {
        pid_t cpid = (pid_t) js_int(st, "conmonPid", 0), pid = (pid_t) js_int(st, "pid", 0);
        unsigned long long cs = (unsigned long long) js_int(st, "conmonStart", 0);
        unsigned long long ps = (unsigned long long) js_int(st, "pidStart", 0);

        if ((cpid <= 0 && pid <= 0) || (cpid > 0 && proc_alive(cpid, cs)) ||
            (pid > 0 && proc_alive(pid, ps)))
            return 0;
    }
    /* Nobody is left to write an exit file: the exit is unknown. */
    *state = CS_EXITED;
    *code = -1;
    *finished_ns = time_now_ns();
    return 0;
}
