/*
 * runtime/pod_why.c: a pod's broken record, for every reader that must
 * go on past it: pod ps's broken row (pod_damage), pod inspect --why and
 * inspect --why of a pod (pod_why). Read without the pod's lock.
 */
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctrstate.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/str.h"

int pod_damage(struct runtime *rt, const char *id, char **damage, struct berr **err)
{
    struct pod_config cfg;
    struct berr *e = NULL;

    *damage = NULL;
    if (pod_read(rt, id, &cfg, &e) == 0) {
        pod_config_free(&cfg);
        return 0;
    }
    if (e->kind != BK_CORRUPT) {
        berr_free(*err);
        *err = e;
        return -1;
    }
    /* the path is the record's directory's business: say the file */
    const char *at = strstr(e->msg, "config.json");
    *damage = str_dup(at ? at : e->msg);
    berr_free(e);
    return *damage ? 0 : berr_oom(err);
}

int pod_why(struct runtime *rt, const char *input, json_t **out, struct berr **err)
{
    char id[STATE_ID_LEN + 1];
    _cleanup_free_ char *damage = NULL, *rec = NULL, *name = NULL;
    struct pod_member *m = NULL;
    size_t n = 0;
    json_t *members, *o;

    if (state_lookup(rt->st, OBJ_POD, input, NULL, id, err) < 0 ||
        pod_damage(rt, id, &damage, err) < 0 || pod_members(rt, id, &m, &n, err) < 0)
        return -1;
    rec = str_fmt("%s/pods/%s", state_dir(rt->st), id);
    name = pod_name(rt, id);
    members = json_array();
    for (size_t i = 0; members && i < n; i++)
        (void) json_array_append_new(members, json_pack("{s:s, s:s, s:s, s:b}", "Id", m[i].id,
                                     "Name", m[i].name ? m[i].name : "", "State",
                                     ctr_state_name(m[i].state), "Infra", m[i].infra));
    pod_members_free(m, n);
    o = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:o*}", "Id", id, "Kind", "pod",
                  "Name", name ? name : "", "Record", "Path", rec ? rec : "",
                  "Damage", damage ? damage : "", "Members", members);
    if (!o)
        return berr_oom(err);
    *out = o;
    return 0;
}
