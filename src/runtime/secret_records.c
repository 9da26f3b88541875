/*
 * runtime/secret_records.c: a secret's config.json as a C type (struct
 * secret_config), one reader and one writer driven by a field table
 * (runtime/records.h); keys the table does not know are written back.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/records.h"
#include "runtime/secret.h"
#include "util/cleanup.h"

#define CF(key, kind, member) { key, kind, offsetof(struct secret_config, member) }
/* sorted by key (records.h) */
static const struct rec_field config_fields[] = {
    CF("createdNs", FK_LL, created_ns),
    CF("driver", FK_STR, driver),
    CF("driverOptions", FK_OBJ, driver_opts),
    CF("id", FK_STR, id),
    CF("labels", FK_OBJ, labels),
    CF("name", FK_STR, name),
    CF("updatedNs", FK_LL, updated_ns),
};

void secret_config_free(struct secret_config *c)
{
    rec_fields_free(config_fields, ARRAY_SIZE(config_fields), c);
    json_decref(c->rec);
    memset(c, 0, sizeof(*c));
}

int secret_config_parse(json_t *rec, const char *id, struct secret_config *out,
                        struct berr **err)
{
    struct rec_who who = { "secret", id, "config.json" };

    memset(out, 0, sizeof(*out));
    if (!json_is_object(rec))
        return berr_kind(err, BK_CORRUPT, "secret %s: config.json: not a JSON object", id);
    if (rec_fields_get(config_fields, ARRAY_SIZE(config_fields), rec, out, true, &who, NULL, err) < 0)
        goto fail;
    if (!out->name) {
        berr_kind(err, BK_CORRUPT, "secret %s: config.json: no name", id);
        goto fail;
    }
    if ((!out->labels && !(out->labels = json_object())) ||
        (!out->driver_opts && !(out->driver_opts = json_object())) ||
        (!out->driver && !(out->driver = strdup("file"))) ||
        (!out->id && !(out->id = strdup(id)))) {
        berr_oom(err);
        goto fail;
    }
    out->rec = json_incref(rec);
    return 0;
fail:
    secret_config_free(out);
    return -1;
}

json_t *secret_config_json(const struct secret_config *c)
{
    return rec_fields_json(config_fields, ARRAY_SIZE(config_fields), c, c->rec);
}
