/*
 * runtime/volume_records.c: a volume's records as C types: the one reader
 * and the one writer of config.json (struct vol_config) and of state.json
 * (struct vol_state), driven by field tables (runtime/records.h). A
 * mistyped field is an error naming the volume, the file and the field;
 * keys the tables do not know are written back as they were read.
 */
#include <stddef.h>
#include <string.h>

#include "runtime/records.h"
#include "runtime/volume.h"
#include "util/cleanup.h"

#define CF(key, kind, member) { key, kind, offsetof(struct vol_config, member) }
/* sorted by key (records.h) */
static const struct rec_field config_fields[] = {
    CF("createdNs", FK_LL, created_ns),
    CF("gid", FK_INT, gid),
    CF("isAnon", FK_BOOL, anonymous),
    CF("labels", FK_OBJ, labels),
    CF("mountPoint", FK_STR, mount_point),
    CF("name", FK_STR, name),
    CF("uid", FK_INT, uid),
    CF("volumeDriver", FK_STR, driver),
    CF("volumeOptions", FK_OBJ, options),
};

#define SF(key, kind, member) { key, kind, offsetof(struct vol_state, member) }
static const struct rec_field state_fields[] = {
    SF("gidChowned", FK_INT, gid_chowned),
    SF("mountCount", FK_LL, mount_count),
    SF("mountPoint", FK_STR0, mount_point),
    SF("notYetChowned", FK_BOOL, needs_chown),
    SF("notYetMounted", FK_BOOL, needs_copy_up),
    SF("uidChowned", FK_INT, uid_chowned),
};

void vol_config_free(struct vol_config *c)
{
    rec_fields_free(config_fields, ARRAY_SIZE(config_fields), c);
    json_decref(c->rec);
    memset(c, 0, sizeof(*c));
}

int vol_config_parse(json_t *rec, const char *name, struct vol_config *out, struct berr **err)
{
    struct rec_who who = { "volume", name, "config.json" };

    memset(out, 0, sizeof(*out));
    if (!json_is_object(rec))
        return berr_kind(err, BK_CORRUPT, "volume %s: config.json: not a JSON object", name);
    if (rec_fields_get(config_fields, ARRAY_SIZE(config_fields), rec, out, true, &who, NULL, err) < 0)
        goto fail;
    /* absent maps read as empty ones, as podman's do; the driver and the
     * name as they must be */
    if ((!out->labels && !(out->labels = json_object())) ||
        (!out->options && !(out->options = json_object())) ||
        (!out->driver && !(out->driver = strdup(VOL_DRIVER_LOCAL))) ||
        (!out->name && !(out->name = strdup(name)))) {
        berr_oom(err);
        goto fail;
    }
    out->rec = json_incref(rec);
    return 0;
fail:
    vol_config_free(out);
    return -1;
}

json_t *vol_config_json(const struct vol_config *c)
{
    return rec_fields_json(config_fields, ARRAY_SIZE(config_fields), c, c->rec);
}

void vol_state_free(struct vol_state *s)
{
    rec_fields_free(state_fields, ARRAY_SIZE(state_fields), s);
    json_decref(s->rec);
    memset(s, 0, sizeof(*s));
}

int vol_state_parse(json_t *rec, const char *name, struct vol_state *out, struct berr **err)
{
    struct rec_who who = { "volume", name, "state.json" };

    memset(out, 0, sizeof(*out));
    if (!json_is_object(rec))
        return berr_kind(err, BK_CORRUPT, "volume %s: state.json: not a JSON object", name);
    if (rec_fields_get(state_fields, ARRAY_SIZE(state_fields), rec, out, true, &who, NULL, err) < 0) {
        vol_state_free(out);
        return -1;
    }
    out->rec = json_incref(rec);
    return 0;
}

json_t *vol_state_json(const struct vol_state *s)
{
    return rec_fields_json(state_fields, ARRAY_SIZE(state_fields), s, s->rec);
}
