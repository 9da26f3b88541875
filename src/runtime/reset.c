/*
 * runtime/reset.c: system reset (reset.h).
 */
#include <string.h>

#include "runtime/config.h"
#include "runtime/container.h"
#include "runtime/image.h"
#include "runtime/net/net.h"
#include "runtime/pod.h"
#include "runtime/reset.h"
#include "runtime/volume.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/mounts.h"

/* Takes e over: its text joins the problems. */
static void note(strv *problems, struct berr *e)
{
    if (e && e->msg)
        (void) strv_push(problems, e->msg);
    berr_free(e);
}

static void reset_containers(struct runtime *rt, strv *problems)
{
    _cleanup_strv_ char **ids = NULL;
    struct berr *e = NULL;

    if (ctr_list_ids(rt, &ids, &e) < 0)
        return note(problems, e);
    for (size_t i = 0; ids[i]; i++)
        if (ctr_remove_id(rt, ids[i], true, 0, &e) < 0)
            note(problems, STEAL_PTR(e));
}

/* Pods with their containers, as pod rm -f would; a pod whose record does
 * not read goes with the static dir. */
static void reset_pods(struct runtime *rt, strv *problems)
{
    _cleanup_strv_ char **ids = NULL;
    struct berr *e = NULL;

    if (pod_list_ids(rt, &ids, &e) < 0)
        return note(problems, e);
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_pod_ struct pod *p = NULL;
        if (pod_get_id(rt, ids[i], &p, &e) < 0) {
            if (e->kind == BK_CORRUPT || e->kind == BK_NO_SUCH)
                berr_freep(&e);
            else
                note(problems, STEAL_PTR(e));
            continue;
        }
        if (pod_remove(rt, p, true, 0, &e) < 0)
            note(problems, STEAL_PTR(e));
    }
}

static void reset_volumes(struct runtime *rt, strv *problems)
{
    struct vol_info *vs = NULL;
    size_t n = 0;
    struct berr *e = NULL;

    if (vol_read_all(rt, false, &vs, &n, &e) < 0)
        return note(problems, e);
    for (size_t i = 0; i < n; i++) {
        _cleanup_vol_ struct vol *v = NULL;
        if (vol_get_exact(rt, vs[i].name, &v, &e) < 0 ||
            vol_remove(rt, v, true, 0, "remove", &e) < 0)
            note(problems, STEAL_PTR(e));
    }
    vol_info_free(vs, n);
}

static void reset_networks(struct runtime *rt, strv *problems)
{
    struct net_env env;
    _cleanup_json_ json_t *all = NULL;
    struct berr *e = NULL;
    json_t *def;
    size_t i;

    net_env_from_rt(rt, &env);
    if (net_list(&env, &all, &e) < 0)
        return note(problems, e);
    json_array_foreach(all, i, def) {
        const char *name = json_string_value(json_object_get(def, "name"));
        if (name && !str_eq(name, env.default_network) && net_remove(&env, name, &e) < 0)
            note(problems, STEAL_PTR(e));
    }
}

static void reset_images(struct runtime *rt, strv *problems)
{
    struct img_rm_report rep = { 0 };
    struct berr *e = NULL;

    if (img_rm_all(rt, IMG_RM_FORCE, &rep, &e) < 0)
        note(problems, STEAL_PTR(e));
    for (size_t i = 0; i < rep.nerrs; i++)
        note(problems, STEAL_PTR(rep.errs[i].err));
    img_rm_report_free(&rep);
}

int rt_reset_dirs(struct runtime *rt, strv *out, struct berr **err)
{
    const char *dirs[] = { rt->cfg->graph_root, rt->cfg->run_root, rt->cfg->tmp_dir,
                           rt->cfg->static_dir, rt->cfg->volume_path };

    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        if (dirs[i] && *dirs[i] && !strv_contains(*out, dirs[i]) && strv_push(out, dirs[i]) < 0)
            return berr_oom(err);
    return 0;
}

int rt_reset(struct runtime *rt, strv *problems, struct berr **err)
{
    _cleanup_strv_ strv dirs = NULL;

    if (rt_reset_dirs(rt, &dirs, err) < 0)
        return -1;
    reset_pods(rt, problems);
    reset_containers(rt, problems);
    reset_volumes(rt, problems);
    reset_networks(rt, problems);
    reset_images(rt, problems);
    /* A leftover mount (an image mount, a container whose removal failed)
     * would make the deletion fail with EBUSY: fs_rm_rf never crosses one. */
    for (size_t i = 0; dirs[i]; i++)
        if (mounts_detach_under(dirs[i], NULL, err) < 0 || fs_rm_rf(dirs[i], err) < 0)
            return berr_wrap(err, "reset: remove %s", dirs[i]);
    return 0;
}
