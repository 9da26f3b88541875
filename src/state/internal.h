/*
 * state/internal.h: what the files of src/state share and nobody else
 * sees: the state handle, the per-kind directory names, id checks, the
 * guard lock of the names/ index and the dot-leftover rules.
 */
#ifndef BERTH_STATE_INTERNAL_H
#define BERTH_STATE_INTERNAL_H

#include <stdbool.h>
#include <time.h>

#include "state/state.h"

struct state {
    char *dir;                  /* the static dir */
    char *kind_dir[3];          /* <dir>/containers, pods, volumes */
    int kind_fd[3];             /* O_PATH fds of those, opened on first read; -1 */
    char *names_dir;            /* <dir>/names */
    char *exits_dir;            /* <dir>/exits */
};

/* A dot temp file (fs_write_atomic's .NAME.XXXXXX) older than this is a
 * crash leftover: an atomic write never takes that long. */
#define STATE_STALE_TMP_SEC 60
/* A name symlink whose record does not exist and which is older than this
 * may be taken over (see names.c). */
#define STATE_NAME_STALE_SEC 60

/* Fills buf from getrandom(2). */
int state_random(void *buf, size_t len, struct berr **err);

/* "containers", "pods", "volumes" */
const char *state_kind_dirname(enum obj_kind kind);
/* "container", "pod", "volume": how errors name an object. */
const char *state_kind_word(enum obj_kind kind);
/* 64 lower-case hex chars. */
bool state_id_valid(const char *id);
/* An id (containers, pods) or a volume name that is safe as a path
 * component; fills *err with BK_INVALID otherwise. */
int state_check_key(enum obj_kind kind, const char *key, struct berr **err);
/* berr_msg with a kind, the message used exactly as given. */
int state_err(struct berr **err, enum berr_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The names/ guard: an exclusive flock on the names/ directory, held for
 * the few operations that must check-then-change a name (steal, release,
 * and create's final check). Plain reservations never take it. Returns an
 * fd to close, or -1 with *err. */
int state_names_guard(struct state *st, struct berr **err);
/* Under the guard: makes sure names/<name> points at (kind, id), taking it
 * when free or stale. BK_EXISTS when someone else holds it. 1: the link
 * was made, synced only with sync (else the caller syncs names_dir). */
int state_name_ensure_locked(struct state *st, const char *name, enum obj_kind kind,
                             const char *id, bool sync, struct berr **err);

/* Resolves names/<name>: 0 and *kind and id_out (id_out holds STATE_ID_LEN + 1)
 * when it is a well-formed link, whether or not the record exists; 1 when
 * there is no such name; -1 on error. */
int state_name_resolve(struct state *st, const char *name, enum obj_kind *kind, char *id_out,
                       struct berr **err);

/* The dir name of a record being created (.new-<id>.XXXXXX) or deleted
 * (.del-<id>.XXXXXX), record.c: true with its id in id_out (STATE_ID_LEN
 * + 1 bytes); false for any other name. */
bool state_dot_record_id(const char *dname, char *id_out);

/* Removes dot leftovers of a crash from dir (only entries starting with
 * prefix, when given): dot directories nobody holds a flock on, and dot
 * files older than STATE_STALE_TMP_SEC. */
int state_clean_dir(const char *dir, const char *prefix, struct berr **err);
/* The same for one entry of dir (open as dfd); not a dot entry: nothing. */
struct dirent;
void state_clean_entry(int dfd, const char *dir, const struct dirent *de, time_t now);

/* The id prefix index (idindex.c): ids/<kind>/<first STATE_IDX_BUCKET
 * hex digits>/<id>. Containers and pods only; other kinds: nothing. */
#define STATE_IDX_BUCKET 2
/* Adds id (unsynced; nothing when the index is not built). Create calls
 * it under the names/ guard, before the record is published. */
void state_idx_add(struct state *st, enum obj_kind kind, const char *id);
/* Removes id's entry, after its record is gone. */
void state_idx_remove(struct state *st, enum obj_kind kind, const char *id);
/* The ids the index has for prefix, each checked against its record and
 * in_ns: *count 0, 1 (match filled, STATE_ID_LEN + 1 bytes) or 2 (more
 * than one). -1 when the index cannot answer (prefix shorter than a
 * bucket, unreadable bucket). *count 0 may also mean a missing entry:
 * the caller lists the records then. */
int state_idx_find(struct state *st, enum obj_kind kind, const char *prefix, const char *ns,
                   bool (*in_ns)(struct state *, enum obj_kind, const char *, const char *),
                   char *match, int *count);
/* Builds the index when there is none (best effort, warns). */
void state_idx_ensure(struct state *st, enum obj_kind kind);

#endif
