/*
 * state/state.h: flat JSON state under the static dir (DESIGN.md
 * "On-disk layout"):
 *
 *   db.json                       paths recorded at first init
 *   containers/<id>/config.json   immutable after create (rename and
 *                                 renumber rewrite it, atomically)
 *   containers/<id>/state.json    mutable runtime state
 *   containers/<id>/dependents/<dep>  a container joining <id>'s
 *                                 namespaces (state/deps.c)
 *   pods/<id>/..., volumes/<name>/config.json
 *   names/<name>                  symlink -> ../containers/<id> or ../pods/<id>;
 *                                 symlink() succeeding is the reservation
 *   exits/<id>                    exit code of a container, kept after
 *                                 removal so run/wait never lose it
 *
 * Every write is atomic (temp file, rename); a record appears whole or not
 * at all: create builds the record dir under a dot name and renames it,
 * delete renames it to a dot name first. Readers skip dot entries, and
 * state_open() removes dot leftovers of a crash. Every record carries
 * "version": STATE_FORMAT_VERSION. Knows nothing of conmon or images.
 */
#ifndef BERTH_STATE_H
#define BERTH_STATE_H

#include <jansson.h>
#include <stdbool.h>

#include "util/err.h"

#define STATE_FORMAT_VERSION 1
#define STATE_ID_LEN 64

enum obj_kind { OBJ_CONTAINER, OBJ_POD, OBJ_VOLUME };

struct state;

/* Opens (creating, 0700) the static dir and its subdirs. */
int state_open(const char *static_dir, struct state **out, struct berr **err);
void state_close(struct state *st);
const char *state_dir(const struct state *st);

/* db.json: *out is NULL when no DB config was recorded yet. */
int state_db_read(struct state *st, json_t **out, struct berr **err);
int state_db_write(struct state *st, json_t *db, struct berr **err);

/* 64 lower-case hex chars from getrandom(); re-rolled while the first 12
 * are all digits. out must hold STATE_ID_LEN + 1 bytes. */
int state_new_id(char *out, struct berr **err);
/* A docker-style adjective_surname not taken by any container or pod. */
int state_gen_name(struct state *st, char **out, struct berr **err);
/* Podman's rule: ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$ */
bool state_name_valid(const char *name);

/* Reserves name for (kind, id). Taken: BK_EXISTS,
 * "name \"N\" is in use: container already exists" (or "pod"). */
int state_name_reserve(struct state *st, const char *name, enum obj_kind kind,
                       const char *id, struct berr **err);
/* As state_name_reserve without its fsync: for a name reserved right
 * before another record's state_create, whose synced name link makes
 * this one durable too (pod create: the infra's name with the pod's). */
int state_name_reserve_unsynced(struct state *st, const char *name, enum obj_kind kind,
                                const char *id, struct berr **err);
int state_name_release(struct state *st, const char *name, struct berr **err);
/* Under no guard (takes it): removes names/<name> if it points at (kind,
 * id); with name NULL (the config was unreadable), every name that does. */
int state_names_release_id(struct state *st, const char *name, enum obj_kind kind,
                           const char *id, struct berr **err);
/* Would state_name_reserve (or state_create) give name to (kind, id)
 * now? 0 yes (free, stale or its already), else BK_EXISTS as above.
 * Nothing is reserved: state_create reserves a record's name. */
int state_name_check(struct state *st, const char *name, enum obj_kind kind, const char *id,
                     struct berr **err);

/* Creates the record; config and state get "version" added. */
int state_create(struct state *st, enum obj_kind kind, const char *id, json_t *config,
                 json_t *state, struct berr **err);
/* The bytes of a record's file (file: "state.json") into buf (*len of
 * them, in one read: a short read is the end of a record): 0; -1 for
 * anything else (not there, unreadable, empty, cap bytes or more), which
 * state_read words as an error. For readers that parse the text
 * themselves (ps). */
int state_read_bytes(struct state *st, enum obj_kind kind, const char *id, const char *file,
                     char *buf, size_t cap, size_t *len);
/* Reads config and/or state (pass NULL to skip one). A record that does
 * not parse fails with BK_CORRUPT naming the object and file. */
int state_read(struct state *st, enum obj_kind kind, const char *id, json_t **config,
               json_t **state, struct berr **err);
/* Replaces state.json atomically. A container's is not synced, at create
 * either (record.c): after a power loss it may be an older one, missing,
 * empty or torn, and the refresh of the next boot rebuilds it from
 * config.json (state_lost). Pods' and volumes' are synced here; a pod's
 * is not at create (refresh writes a lost one anew). */
int state_update(struct state *st, enum obj_kind kind, const char *id, json_t *state,
                 struct berr **err);
/* True when the record exists and its state.json is missing or does not
 * parse as a JSON object: what an unsynced write can leave after a power
 * loss. (A stale or newer-version record parses: false.) */
bool state_lost(struct state *st, enum obj_kind kind, const char *id);
/* The same for config.json: what a power loss between a container
 * record's rename and its sync can leave (record.c, state_create). */
bool state_config_lost(struct state *st, enum obj_kind kind, const char *id);
int state_update_config(struct state *st, enum obj_kind kind, const char *id,
                        json_t *config, struct berr **err);
int state_delete(struct state *st, enum obj_kind kind, const char *id, struct berr **err);
/* state_delete, the record's files left to whoever removes aside (a
 * path on the same file system, not there yet): the record is moved
 * there once it is gone for every reader (renamed away and synced, its
 * name released) instead of being removed here. When that rename fails,
 * as state_delete. */
int state_delete_aside(struct state *st, enum obj_kind kind, const char *id, const char *aside,
                       struct berr **err);
bool state_exists(struct state *st, enum obj_kind kind, const char *id);
/* All ids (names for volumes) of a kind, sorted; *ids NULL-terminated. */
int state_list(struct state *st, enum obj_kind kind, char ***ids, struct berr **err);

/* The reverse index of container dependencies (state/deps.c):
 * containers/<id>/dependents/<dep>, one file for each container that
 * joins a namespace of id, holding its writer's note. add: BK_NO_SUCH
 * when id has no record; remove: a link already gone is fine; list: the
 * dependents whose record exists or whose note live() finds alive (a
 * create under way), sorted; other links are dropped. */
int state_dep_add(struct state *st, const char *id, const char *dep, const char *note,
                  struct berr **err);
int state_dep_remove(struct state *st, const char *id, const char *dep, struct berr **err);
int state_dep_list(struct state *st, const char *id, bool (*live)(const char *note, void *arg),
                   void *arg, char ***out, struct berr **err);

/* The member index of a pod (state/members.c): pods/<id>/members/<ctr>,
 * one empty file per member, unsynced (refresh adds lost ones again).
 * init: made with the pod, before any member. add: before the member's
 * record (none when the pod has no index); remove: after it. list: the
 * entries, unsorted, some maybe without a record; 1 and *out NULL when
 * the pod has no index (read every record then). */
int state_members_init(struct state *st, const char *pod_id, struct berr **err);
int state_member_add(struct state *st, const char *pod_id, const char *ctr_id,
                     struct berr **err);
void state_member_remove(struct state *st, const char *pod_id, const char *ctr_id);
int state_members_list(struct state *st, const char *pod_id, char ***out, struct berr **err);

/* Finds a container or pod by full id, exact name, or unique id prefix,
 * in podman's order and with podman's errors:
 *   no container with name or ID "X" found: no such container   (BK_NO_SUCH)
 *   more than one result for container ID X: container already exists (BK_EXISTS)
 *   "X" is a pod, not a container: no such container
 *   name or ID cannot be empty
 * ns: only objects whose config "namespace" equals it (NULL = all).
 * id_out holds STATE_ID_LEN + 1 bytes; for OBJ_VOLUME (the key is the
 * name, matched exactly, then by unique prefix) it holds 256. */
int state_lookup(struct state *st, enum obj_kind kind, const char *input, const char *ns,
                 char *id_out, struct berr **err);

/* The exit-code table (podman's, for run/wait after --rm). */
int state_exit_code_set(struct state *st, const char *id, int code, struct berr **err);
/* 0 and *code set; BK_NO_SUCH when there is none. */
int state_exit_code_get(struct state *st, const char *id, int *code, struct berr **err);
int state_exit_codes_prune(struct state *st, long long older_than_sec, struct berr **err);
int state_exit_codes_clear(struct state *st, struct berr **err);

/* system check's part in the state's own files (state/check.c). Each
 * problem is passed to report (kind word, object, problem, whether it was
 * repaired); with repair the state fixes what it safely can. */
typedef void (*state_report_fn)(void *ctx, const char *what, const char *object,
                                const char *problem, bool repaired);
/* names/<name>: not a link to a container or pod, or (older than a
 * minute: a younger one may be a create in progress) pointing at a record
 * that does not exist. Repair: the link is removed. */
int state_check_names(struct state *st, bool repair, state_report_fn report, void *ctx,
                      struct berr **err);
/* ids/<kind>/ (state/idindex.c), the id prefix index of containers and
 * pods: entries whose record does not exist (older than a minute: a
 * younger one may be a create in progress) and records without an entry.
 * Repair: the entry is removed or added. An index not built yet is fine. */
int state_check_idindex(struct state *st, bool repair, state_report_fn report, void *ctx,
                        struct berr **err);
/* Builds ids/<kind>/ anew from the records, under the names/ guard
 * (refresh: unsynced entries may be lost with a power loss). */
int state_idx_build(struct state *st, enum obj_kind kind, struct berr **err);
/* exits/<id> that does not parse, or (max_age_sec >= 0) that is older
 * than that and whose container is gone. Repair: removed. */
int state_check_exits(struct state *st, long long max_age_sec, bool repair,
                      state_report_fn report, void *ctx, struct berr **err);
/* Was a record of (kind, id) moved aside by state_quarantine? */
bool state_quarantined(struct state *st, enum obj_kind kind, const char *id);
/* Is there a names/<name> entry, well-formed or not? */
bool state_name_exists(struct state *st, const char *name);
/* Every entry of a kind's directory but dot entries, whether or not it
 * holds a readable record (state_list's view may skip broken ones). */
int state_list_raw(struct state *st, enum obj_kind kind, char ***out, struct berr **err);
/* Moves the record (kind, id) aside to <dir>/quarantine/<kind>-<id>-<unix
 * time>/ and writes a WHY file there saying why; its names are released.
 * Nothing is deleted. *where (may be NULL) gets the new path. */
int state_quarantine(struct state *st, enum obj_kind kind, const char *id, const char *why,
                     char **where, struct berr **err);

#endif
