/*
 * runtime/secret.h: secrets (podman's `secret`, file driver only).
 *
 * Records, under <static_dir>/secrets/ (their own name space: a secret
 * may share a name with a container, pod or volume, as in podman):
 *   <id>/config.json   struct secret_config (secret_records.c's field
 *                      table); id: 25 hex chars, as podman's
 *   <id>/data          the secret's bytes, mode 0600
 *   names/<name>       symlink -> <id>; the name index
 * A record dir is built under .new-<id> and renamed into place; removal
 * renames it to .del-<id> first. Creates and removals take
 * <tmp_dir>/locks/secrets/.names (the name index); a secret's own lock,
 * <tmp_dir>/locks/secrets/<id>, is created when first taken and unlinked
 * with the secret. A container's record holds a secret's id, never its
 * data; a secret that a container names cannot be removed.
 */
#ifndef BERTH_SECRET_H
#define BERTH_SECRET_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "runtime/runtime.h"
#include "util/err.h"
#include "util/flock.h"
#include "util/str.h"

#define SECRET_ID_LEN 25
#define SECRET_MAX_SIZE 512000

/* config.json. Owned values. */
struct secret_config {
    char *id;                   /* "id" */
    char *name;                 /* "name" */
    char *driver;               /* "driver": "file" */
    json_t *driver_opts;        /* "driverOptions": {k: v}, never NULL once read */
    json_t *labels;             /* "labels": {k: v}, never NULL once read */
    long long created_ns;       /* "createdNs" */
    long long updated_ns;       /* "updatedNs" */
    json_t *rec;
};

int secret_config_parse(json_t *rec, const char *id, struct secret_config *out,
                        struct berr **err);
json_t *secret_config_json(const struct secret_config *c);
void secret_config_free(struct secret_config *c);

struct secret_create_opts {
    const char *name;
    const char *driver;         /* NULL: file */
    json_t *driver_opts;        /* may be NULL */
    json_t *labels;             /* may be NULL */
    const void *data;
    size_t len;
};
/* Creates a secret; id_out gets its id (SECRET_ID_LEN + 1 bytes).
 * podman's errors: an invalid name, "N: secret name in use", a size out
 * of (0, 512000). */
int secret_create(struct runtime *rt, const struct secret_create_opts *o, char *id_out,
                  struct berr **err);
/* Finds a secret by exact name, then full id or unique id prefix.
 * BK_NO_SUCH "no secret with name or id \"X\": no such secret". */
int secret_lookup(struct runtime *rt, const char *name_or_id, char *id_out, struct berr **err);
/* The BK_NO_SUCH error above for name; returns -1. */
int secret_err_no_such(struct berr **err, const char *name);
/* One secret's record. */
int secret_read(struct runtime *rt, const char *id, struct secret_config *out, struct berr **err);
/* The secret's bytes. */
int secret_data(struct runtime *rt, const char *id, char **data, size_t *len, struct berr **err);
/* Every secret, sorted by id. */
int secret_read_all(struct runtime *rt, struct secret_config **out, size_t *n, struct berr **err);
void secret_config_free_all(struct secret_config *v, size_t n);
/* Takes the names lock (exclusive) into *l: a create holds it from
 * resolving its secrets until its record is written, so secret_remove,
 * which checks the users under it, never misses one. */
int secret_hold(struct runtime *rt, struct lock *l, struct berr **err);
/* Removes a secret by id. BK_STATE "secret NAME is in use by container(s)
 * ID[, ID]: remove them first" when a container names it (nothing is
 * removed). */
int secret_remove(struct runtime *rt, const char *id, struct berr **err);
/* podman's inspect object (ID, CreatedAt, UpdatedAt, Spec{Name, Driver{Name,
 * Options}, Labels}). */
json_t *secret_inspect_json(struct runtime *rt, const struct secret_config *c);

/* ---- containers' secrets (ctr_secrets.c) ----
 * A create spec's "secrets": [{name, type: "mount"|"env", target, uid,
 * gid, mode}] as run --secret gave them. */
/* At create: each name looked up (podman's error when there is none) and
 * its id recorded in the spec; no data is ever copied into a container's
 * record (unlike podman 4.3.1). Called under secret_hold(). */
int ctr_secrets_resolve(struct runtime *rt, json_t *spec, struct berr **err);
/* At init: each secret's data read from the store by the id recorded at
 * create (not by name: a secret re-created under the name is another
 * secret). A mount secret is written under <rundir>/secrets with its
 * owner and mode and bound read-only at /run/secrets/NAME (or its
 * target), appended to the spec input's "mounts"; an env secret is
 * appended to its "env". An id gone from the store: BK_NO_SUCH "secret
 * NAME (id ID) of container CTR has been removed: no such secret". */
int ctr_secrets_apply(struct runtime *rt, json_t *spec, const char *ctr, const char *rundir,
                      json_t *in, struct berr **err);
/* The ids of the containers (any state) whose record names secret_id,
 * sorted; *out NULL when none. Call under secret_hold(). */
int ctr_secrets_users(struct runtime *rt, const char *secret_id, strv *out, struct berr **err);
/* Whether kv ("VAR=value") sets a variable an env secret of the spec
 * gives: inspect leaves it out. */
bool ctr_secrets_env_var(json_t *spec, const char *kv);
/* inspect's Config.Secrets (the mount secrets: Name, ID, UID, GID,
 * Mode), a new reference; NULL when there are none. */
json_t *ctr_secrets_inspect(json_t *spec);

#endif
