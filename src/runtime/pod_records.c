/*
 * runtime/pod_records.c: a pod's config.json as a C type (struct
 * pod_config): the one reader and the one writer, driven by a field table
 * (runtime/records.h). A mistyped field is an error naming the pod and
 * the field; keys the table does not know are written back as read.
 */
#include <stddef.h>
#include <string.h>

#include "runtime/pod.h"
#include "runtime/records.h"
#include "util/cleanup.h"

#define CF(key, kind, member) { key, kind, offsetof(struct pod_config, member) }
/* sorted by key (records.h) */
static const struct rec_field config_fields[] = {
    CF("cgroupParent", FK_STR, cgroup_parent),
    CF("createCommand", FK_ARR, create_command),
    CF("createInfra", FK_BOOL, create_infra),
    CF("createdNs", FK_LL, created_ns),
    CF("exitPolicy", FK_STR, exit_policy),
    CF("hostname", FK_STR, hostname),
    CF("id", FK_STR, id),
    CF("infraConfig", FK_OBJ, infra_config),
    CF("infraId", FK_STR0, infra_id),
    CF("infraVolumes", FK_BOOL, infra_volumes),
    CF("labels", FK_OBJ, labels),
    CF("name", FK_STR, name),
    CF("namespace", FK_STR, ns),
    CF("resources", FK_OBJ, resources),
    CF("share", FK_ARR, share),
    CF("shareParent", FK_BOOL, share_parent),
};

void pod_config_free(struct pod_config *c)
{
    rec_fields_free(config_fields, ARRAY_SIZE(config_fields), c);
    json_decref(c->rec);
    memset(c, 0, sizeof(*c));
}

int pod_config_parse(json_t *rec, const char *id, struct pod_config *out, struct berr **err)
{
    struct rec_who who = { "pod", id, "config.json" };

    memset(out, 0, sizeof(*out));
    if (!json_is_object(rec))
        return berr_kind(err, BK_CORRUPT, "pod %s: config.json: not a JSON object", id);
    if (rec_fields_get(config_fields, ARRAY_SIZE(config_fields), rec, out, true, &who, NULL, err) < 0)
        goto fail;
    /* absent values read as podman's defaults */
    if ((!out->labels && !(out->labels = json_object())) ||
        (!out->share && !(out->share = json_array())) ||
        (!out->exit_policy && !(out->exit_policy = strdup("continue"))) ||
        (!out->ns && !(out->ns = strdup(""))) ||
        (!out->id && !(out->id = strdup(id))) ||
        (!out->name && !(out->name = strdup(id)))) {
        berr_oom(err);
        goto fail;
    }
    out->rec = json_incref(rec);
    return 0;
fail:
    pod_config_free(out);
    return -1;
}

json_t *pod_config_json(const struct pod_config *c)
{
    return rec_fields_json(config_fields, ARRAY_SIZE(config_fields), c, c->rec);
}
