/*
 * runtime/volume.h: named volumes (podman's libpod Volume), local driver.
 *
 * Records (state/state.h, volume kind, keyed by name), as C types below:
 *   volumes/<name>/config.json  struct vol_config: what `volume create`
 *                               (or a container's create) decided
 *   volumes/<name>/state.json   struct vol_state: mount count, copy-up
 *                               and chown still due
 * Each has one reader and one writer (volume_records.c, field tables of
 * runtime/records.h); keys they do not know survive their writes.
 *
 * Data: <volume_path>/<name>/_data (the config's mountPoint), 0755 in a
 * 0700 <name>/ dir, as podman lays it out. A volume with driver options
 * that need a mount (type=tmpfs, type=bind, device=...) is mounted on
 * _data while some container (or `volume mount`) uses it, counted in the
 * state's mountCount, and unmounted when the count drops to zero.
 *
 * Locks: one lock file per volume, <tmp_dir>/locks/volumes/<name>,
 * created when first taken and unlinked when the volume is removed (a
 * waiter that wakes up on an unlinked file takes the new one): nothing
 * is allocated, so nothing leaks or runs out. Order: container before
 * volume (a container's init locks its volumes while holding its own
 * lock; `volume rm -f` removes the users without holding the volume's).
 *
 * Containers refer to volumes by name from their spec's mounts
 * (runtime/spec.h): {type: "volume", name, destination, options}.
 * vol_resolve_mounts() turns what a user asked for (-v, --mount,
 * --volumes-from, the image's VOLUMEs) into that list at create, creating
 * volumes on first use; pods hand their volumes to members through the
 * same list.
 */
#ifndef BERTH_VOLUME_H
#define BERTH_VOLUME_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "runtime/runtime.h"
#include "util/err.h"
#include "util/flock.h"

#define VOL_DRIVER_LOCAL "local"

/* config.json. Owned values. To add a field: a member here and a line in
 * config_fields of volume_records.c (sorted by key). */
struct vol_config {
    char *name;                 /* "name" */
    char *driver;               /* "volumeDriver": "local" */
    char *mount_point;          /* "mountPoint": <volume_path>/<name>/_data */
    long long created_ns;       /* "createdNs": unix ns */
    json_t *labels;             /* "labels": {k: v}, never NULL once read */
    json_t *options;            /* "volumeOptions": {k: v} driver options (type,
                                   o, device, uid, gid, copy, nocopy, ...) */
    bool anonymous;             /* "isAnon": made for one container (-v /dst,
                                   an image VOLUME); rm -v removes it */
    int uid, gid;               /* "uid", "gid": owner of _data at create */
    json_t *rec;                /* the record as read (NULL: new) */
};

/* state.json, podman's field names. */
struct vol_state {
    long long mount_count;      /* "mountCount": users of the host mount */
    char *mount_point;          /* "mountPoint": where it is mounted when that
                                   is not the config's (no driver does yet) */
    bool needs_copy_up;         /* "notYetMounted": the first container to mount
                                   it copies its image's content in */
    bool needs_chown;           /* "notYetChowned": the first container to mount
                                   it gives _data its process's owner */
    int uid_chowned, gid_chowned;   /* "uidChowned", "gidChowned" */
    json_t *rec;
};

int vol_config_parse(json_t *rec, const char *name, struct vol_config *out, struct berr **err);
json_t *vol_config_json(const struct vol_config *c);
void vol_config_free(struct vol_config *c);
int vol_state_parse(json_t *rec, const char *name, struct vol_state *out, struct berr **err);
json_t *vol_state_json(const struct vol_state *s);
void vol_state_free(struct vol_state *s);

struct vol {
    char name[256];
    struct vol_config cfg;
    struct vol_state st;
    struct lock lock;           /* held between vol_get and vol_put */
};

/* ---- creating, finding, removing (volume.c) ---- */

struct vol_create_opts {
    const char *name;           /* NULL or "": a random 64-hex name */
    const char *driver;         /* NULL: local */
    json_t *labels;             /* {k: v} or NULL */
    json_t *options;            /* {k: v} driver options or NULL */
    bool anonymous;
    int uid, gid;               /* owner of the new _data (the container's root) */
    bool ignore_existing;       /* --ignore: an existing volume is fine */
    bool cli_options;           /* volume create -o: "o" may carry uid=, gid=
                                   (the owner; no chown at first use), size=,
                                   inodes=, noquota, timeout= (podman's rules) */
};
/* Creates a volume: checks the options as podman's local driver does,
 * makes its directories, writes its records, writes a create event.
 * *out (may be NULL) gets it locked. Existing name: BK_EXISTS "volume
 * with name N already exists: volume already exists", unless
 * ignore_existing (then *out is the existing one). */
int vol_create(struct runtime *rt, const struct vol_create_opts *o, struct vol **out,
               struct berr **err);
/* For a caller that holds volume name's lock across several steps (a
 * container's create locks every volume it uses): the lock, and a create
 * under it (o->name required; BK_EXISTS when it exists). */
int vol_lock_name(struct runtime *rt, const char *name, struct lock *l, struct berr **err);
int vol_create_held(struct runtime *rt, const struct vol_create_opts *o, struct berr **err);
/* Finds a volume (exact name, then unique prefix), locks and reads it. */
int vol_get(struct runtime *rt, const char *name_or_prefix, struct vol **out,
            struct berr **err);
/* The same by exact name. */
int vol_get_exact(struct runtime *rt, const char *name, struct vol **out, struct berr **err);
void vol_put(struct vol *v);
static inline void vol_putp(struct vol **v) { vol_put(*v); }
#define _cleanup_vol_ __attribute__((cleanup(vol_putp)))
/* Writes v->st (vol_state_json) atomically. */
int vol_save(struct runtime *rt, struct vol *v, struct berr **err);
bool vol_exists(struct runtime *rt, const char *name);
/* Writes a volume event (create, remove, prune, mount, unmount). */
void vol_event(struct runtime *rt, const char *name, const char *status);

/* Every volume, read without locks (ls, system df): names sorted. With
 * want_state the state records are read too (else st is zeroed). A
 * record that does not parse is skipped with a warning naming it. */
struct vol_info {
    char *name;
    struct vol_config cfg;
    struct vol_state st;
    char *broken;           /* vol_read_all_ex with_broken: why the record
                               does not read (cfg and st zeroed); else NULL */
};
int vol_read_all(struct runtime *rt, bool want_state, struct vol_info **out, size_t *n,
                 struct berr **err);
/* The same; with_broken: a record that does not read is listed too, its
 * broken field saying why (ls shows it as its own row). */
int vol_read_all_ex(struct runtime *rt, bool want_state, bool with_broken, struct vol_info **out,
                    size_t *n, struct berr **err);
void vol_info_free(struct vol_info *v, size_t n);
/* One volume's records without its lock (either may be NULL). */
int vol_read(struct runtime *rt, const char *name, struct vol_config *cfg,
             struct vol_state *st, struct berr **err);

/* The ids of the containers whose config names volume `name` (sorted). */
int vol_users(struct runtime *rt, const char *name, char ***ids, struct berr **err);
/* {volume name: [container ids]} for every volume some container names. */
int vol_users_all(struct runtime *rt, json_t **out, struct berr **err);

/* Removes v (locked; the caller still vol_put()s it). In use: BK_STATE
 * "volume N is being used by the following container(s): ID, ID: volume
 * is being used", unless force, which removes those containers first
 * (stopping them, timeout < 0: their stop timeout). status: "remove" or
 * "prune", the event written. */
int vol_remove(struct runtime *rt, struct vol *v, bool force, long long timeout,
               const char *status, struct berr **err);
/* rm -v: removes the anonymous volumes among names; one in use by
 * another container (--volumes-from) stays. Errors only logged. */
void vol_remove_anonymous(struct runtime *rt, char *const *names);
/* After a reboot (refresh): nothing is mounted any more. */
int vol_refresh(struct runtime *rt, const char *name, struct berr **err);

/* ---- the data (volume_mount.c) ---- */

/* Whether the driver options need a mount (podman's needsMount). */
bool vol_needs_mount(const struct vol_config *c);
/* Mounts v on its mount point if its options need it and it is not
 * mounted yet; counts the user. Locked v. *path gets the mount point
 * (malloc'd; may be NULL). */
int vol_mount(struct runtime *rt, struct vol *v, char **path, struct berr **err);
/* Drops a user; unmounts at zero (force: at once). Locked v. */
int vol_unmount(struct runtime *rt, struct vol *v, bool force, struct berr **err);
/* The first container to use a new volume: if the volume still wants
 * it, copies what the image has at dest (inside the mounted root file
 * system rootfs) into the empty volume, once (podman's copy-up; the
 * volume option nocopy, or the mount's, skips it: the caller checks the
 * mount's). Locked v. */
int vol_copy_up(struct runtime *rt, struct vol *v, const char *rootfs, const char *dest,
                struct berr **err);
/* Once per volume: _data gets the container process's uid:gid, or the
 * owner and mode of what it covers at dest in rootfs (podman's
 * fixVolumePermissions). Locked v. */
int vol_fix_owner(struct runtime *rt, struct vol *v, int uid, int gid, const char *rootfs,
                  const char *dest, struct berr **err);
/* Bytes of the files under the volume's data (st_size of files and
 * links, as podman's SizeOfPath), for prune reports and system df. */
int64_t vol_size(const struct vol_config *c);

/* ---- export/import (volume_io.c) ---- */

/* Writes a tar of the volume's data to fd. */
int vol_export(struct runtime *rt, struct vol *v, int fd, struct berr **err);
/* Unpacks the tar at path ("/dev/stdin" for -) into the volume's data. */
int vol_import(struct runtime *rt, struct vol *v, const char *path, struct berr **err);

/* ---- views (volume_view.c) ---- */

/* podman's InspectVolumeData of a volume. go_times: CreatedAt as Go's
 * time.String() (templates) rather than RFC 3339 (JSON). */
json_t *vol_inspect_json(struct runtime *rt, const struct vol_config *c,
                         const struct vol_state *s, bool go_times);

/* volume ls/prune --filter: name (regex), label / label! (key or
 * key=value), driver, scope, opt, until, dangling. Values of one key OR,
 * keys AND (podman 4.3.1 ORed every filter together, a bug later podman
 * fixed). Parsed once, checked before any volume is read. */
struct vol_filter;
int vol_filter_parse(char *const *filters, struct vol_filter **out, struct berr **err);
/* volume ls: label= values OR'ed, as podman's ls (prune keeps them AND'ed) */
void vol_filter_labels_any(struct vol_filter *f);
void vol_filter_free(struct vol_filter *f);
static inline void vol_filter_freep(struct vol_filter **f) { vol_filter_free(*f); }
/* users: vol_users_all()'s map, needed only when the filter asks for
 * dangling (vol_filter_needs_users). */
bool vol_filter_needs_users(const struct vol_filter *f);
bool vol_filter_match(const struct vol_filter *f, const struct vol_info *v, json_t *users);

#endif
