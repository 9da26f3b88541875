/*
 * runtime/ctr_deps.c: which containers depend on which. A container
 * that joins another's namespace (--network/--pid/--ipc/--uts/--cgroupns/
 * --userns container:X) or requires it (--requires X) depends on X, as in
 * podman (--volumes-from makes no dependency there either): X cannot be
 * removed before it, even with --force; rm --depend removes the
 * dependents first.
 *
 * The index is state/deps.c's (containers/<X>/dependents/<id>), so rm
 * reads X's own directory, not every record. Create links a container
 * before its record is written, under X's lock, refusing an X being
 * removed; rm unlinks after the record is deleted. A link notes the
 * process that wrote it (pid and start time): while it has no record,
 * it counts as long as that process lives (a create under way), and is
 * dropped once it is gone (a killed create or rm).
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"

static const char *const join_keys[] = { "network", "pid", "ipc", "uts", "cgroup", "user" };

/* The ids of the containers whose namespaces spec (a container config's
 * "spec") joins, each once; a name that no longer resolves is skipped. */
static int join_targets(struct runtime *rt, json_t *spec, char ***out, struct berr **err)
{
    const char *lns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;
    json_t *ns = json_object_get(spec, "namespaces");
    _cleanup_strv_ char **v = calloc(1, sizeof(char *));

    if (!v)
        return berr_oom(err);
    for (size_t i = 0; i < ARRAY_SIZE(join_keys); i++) {
        const char *mode = js_str(ns, join_keys[i], "");
        char id[STATE_ID_LEN + 1];
        struct berr *e = NULL;

        if (!str_has_prefix(mode, "container:"))
            continue;
        if (state_lookup(rt->st, OBJ_CONTAINER, mode + strlen("container:"), lns, id, &e) < 0) {
            berr_free(e);
            continue;
        }
        if (!strv_contains(v, id) && strv_push(&v, id) < 0)
            return berr_oom(err);
    }
    /* --requires (ctr_requires.c: resolved to ids at create) */
    json_t *r;
    size_t i;
    json_array_foreach(json_object_get(spec, "requires"), i, r) {
        const char *id = js_str(r, "id", NULL);

        if (id && !strv_contains(v, id) && strv_push(&v, id) < 0)
            return berr_oom(err);
    }
    *out = STEAL_PTR(v);
    return 0;
}

/* The note of a link: who writes it, "PID START". */
static char *self_note(void)
{
    unsigned long long t = 0;

    (void) proc_start_time(getpid(), &t);
    return str_fmt("%d %llu", (int) getpid(), t);
}

static bool writer_alive(const char *note, void *arg)
{
    unsigned long long t;
    int pid;

    (void) arg;
    return sscanf(note, "%d %llu", &pid, &t) == 2 && pid > 0 && proc_running(pid, t);
}

int ctr_deps_link(struct runtime *rt, const char *id, json_t *spec, struct berr **err)
{
    _cleanup_strv_ char **targets = NULL;
    _cleanup_free_ char *note = NULL;

    if (join_targets(rt, spec, &targets, err) < 0)
        return -1;
    /* read from /proc only when there is something to link (rarely) */
    if (targets[0] && !(note = self_note()))
        return berr_oom(err);
    for (size_t i = 0; targets[i]; i++) {
        _cleanup_ctr_ struct ctr *x = NULL;

        if (ctr_get_id(rt, targets[i], &x, err) < 0)
            return -1;
        /* a remover holding x's lock decided before us, or will see us */
        if (ctr_state(x) == CS_REMOVING)
            return berr_kind(err, BK_NO_SUCH, "container %s is being removed", x->id);
        if (state_dep_add(rt->st, x->id, id, note, err) < 0)
            return -1;
    }
    return 0;
}

void ctr_deps_unlink(struct runtime *rt, const struct ctr *c)
{
    _cleanup_strv_ char **targets = NULL;
    struct berr *e = NULL;

    /* a link left behind is dropped by the next state_dep_list */
    if (!c->cfg.spec || join_targets(rt, c->cfg.spec, &targets, &e) < 0) {
        berr_free(e);
        return;
    }
    for (size_t i = 0; targets[i]; i++)
        if (state_dep_remove(rt->st, targets[i], c->id, &e) < 0) {
            log_debug("container %s: dropping its link from %s: %s", c->id, targets[i], e->msg);
            berr_freep(&e);
        }
}

int ctr_dependents(struct runtime *rt, const char *id, char ***out, struct berr **err)
{
    return state_dep_list(rt->st, id, writer_alive, NULL, out, err);
}

int ctr_deps_refuse(struct runtime *rt, const struct ctr *c, struct berr **err)
{
    _cleanup_strv_ char **deps = NULL;
    _cleanup_free_ char *list = NULL;

    if (ctr_dependents(rt, c->id, &deps, err) < 0)
        return -1;
    if (!deps[0])
        return 0;
    list = strv_join(deps, ", ");
    if (!list)
        return berr_oom(err);
    return berr_kind(err, BK_EXISTS,
                     "container %s has dependent containers which must be removed before it: %s: "
                     "container already exists", c->id, list);
}
