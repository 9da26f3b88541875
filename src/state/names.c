/*
 * state/names.c: the name index, names/<name> symlinks to
 * ../containers/<id> or ../pods/<id>. Containers and pods share it, so a
 * name is unique across both. symlink(2) succeeding is the reservation;
 * EEXIST means taken. Knows ids and names only.
 *
 * A reservation can outlive its owner: a process killed between
 * state_name_reserve() and state_create(), or in state_delete() between
 * the record's rename and the name's removal, leaves a link whose record
 * does not exist. Such a dangling link still blocks the name while it is
 * younger than STATE_NAME_STALE_SEC (its owner may be busy); after that,
 * a reservation takes it over. Containers avoid the first case: create
 * only checks the name early (state_name_check, podman's error before any
 * work) and state_create() reserves it with the record, so a killed create
 * leaves no name behind; the record never appears without its link. Take-
 * over is safe because:
 *   - it is a check-then-change, done under the names/ guard (an
 *     exclusive flock on the names/ dir), as are releases; plain
 *     reservations need no guard: while a link exists their symlink()
 *     fails, and once it is unlinked exactly one symlink() wins;
 *   - state_create() re-checks, under the same guard and right before
 *     the record appears, that the name still points at it: a slow owner
 *     whose name was taken over gets "name is in use" instead of two
 *     objects sharing one name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/str.h"

static char *link_target(enum obj_kind kind, const char *id)
{
    return str_fmt("../%s/%s", state_kind_dirname(kind), id);
}

static int parse_target(const char *t, enum obj_kind *kind, char *id_out)
{
    const char *id;

    if (str_has_prefix(t, "../containers/")) {
        *kind = OBJ_CONTAINER;
        id = t + strlen("../containers/");
    } else if (str_has_prefix(t, "../pods/")) {
        *kind = OBJ_POD;
        id = t + strlen("../pods/");
    } else
        return -1;
    if (!state_id_valid(id))
        return -1;
    memcpy(id_out, id, STATE_ID_LEN + 1);
    return 0;
}

int state_name_resolve(struct state *st, const char *name, enum obj_kind *kind, char *id_out,
                       struct berr **err)
{
    _cleanup_free_ char *path = NULL;
    char buf[PATH_MAX];
    ssize_t n;

    if (!state_name_valid(name))
        return 1;
    path = str_fmt("%s/%s", st->names_dir, name);
    if (!path)
        return berr_oom(err);
    n = readlink(path, buf, sizeof(buf) - 1);
    if (n < 0 && errno == ENOENT)
        return 1;
    if (n < 0 && errno != EINVAL)
        return berr_sys(err, "read name link %s", path);
    if (n >= 0)
        buf[n] = '\0';
    if (n < 0 || parse_target(buf, kind, id_out) < 0)
        return state_err(err, BK_CORRUPT, "%s: not a link to a container or pod", path);
    return 0;
}

static int in_use(struct berr **err, const char *name, enum obj_kind holder)
{
    return state_err(err, BK_EXISTS, "name \"%s\" is in use: %s already exists", name,
                     state_kind_word(holder));
}

static bool link_is_stale(struct state *st, const char *name)
{
    _cleanup_free_ char *path = str_fmt("%s/%s", st->names_dir, name);
    struct stat sb;

    return path && lstat(path, &sb) == 0 && sb.st_mtime < time(NULL) - STATE_NAME_STALE_SEC;
}

/* Did the owner of a dangling link die? Its create or delete leaves
 * <kind>/.new-<id>.* or .del-<id>.*, flock'ed while it lives: true when
 * there is such a dir and no process holds any of them. No such dir: a
 * plain reservation whose record may still come, so false. */
static bool owner_dead(struct state *st, enum obj_kind kind, const char *id)
{
    _cleanup_closedir_ DIR *d = opendir(st->kind_dir[kind]);
    struct dirent *de;
    bool found = false;

    while (d && (de = readdir(d))) {
        const char *n = de->d_name;
        _cleanup_close_ int fd = -1;
        char nid[STATE_ID_LEN + 1];

        if (!state_dot_record_id(n, nid) || strcmp(nid, id) != 0)
            continue;
        fd = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;           /* gone meanwhile: its owner finished */
        if (flock(fd, LOCK_SH | LOCK_NB) < 0)
            return false;       /* alive */
        found = true;
    }
    return found;
}

/* Looks at a name whose symlink() failed with EEXIST. 0: it is ours
 * already; 1: dangling and stale, may be taken over; 2: it vanished, try
 * again; -1: in use (or an error). */
static int judge(struct state *st, const char *name, enum obj_kind kind, const char *id,
                 struct berr **err)
{
    _cleanup_berr_ struct berr *e = NULL;
    enum obj_kind hk = OBJ_CONTAINER;
    char hid[STATE_ID_LEN + 1];
    int r = state_name_resolve(st, name, &hk, hid, &e);

    if (r == 1)
        return 2;
    if (r < 0 && e->kind != BK_CORRUPT) {
        berr_free(*err);
        *err = STEAL_PTR(e);
        return -1;
    }
    if (r == 0 && hk == kind && strcmp(hid, id) == 0)
        return 0;
    /* a malformed entry is nobody's record: stale once old, like a dangling
     * one; a dangling one whose creator or remover died is free at once */
    if (r == 0 && state_exists(st, hk, hid))
        return in_use(err, name, hk);
    if (!link_is_stale(st, name) && !(r == 0 && owner_dead(st, hk, hid)))
        return in_use(err, name, hk);
    return 1;
}

static int make_link(struct state *st, const char *name, enum obj_kind kind, const char *id,
                     bool sync, struct berr **err)
{
    _cleanup_free_ char *target = link_target(kind, id);
    _cleanup_free_ char *path = str_fmt("%s/%s", st->names_dir, name);

    if (!target || !path)
        return berr_oom(err);
    if (symlink(target, path) < 0) {
        if (errno == EEXIST)
            return 1;
        return berr_sys(err, "reserve name \"%s\"", name);
    }
    /* The record that will point back at this name is fsync'd; the name
     * must survive a crash as well as the record does (without sync the
     * caller syncs names/ before it publishes the record). */
    if (sync && fs_fsync_dir(st->names_dir) < 0)
        return berr_sys(err, "sync %s", st->names_dir);
    return 0;
}

int state_names_guard(struct state *st, struct berr **err)
{
    _cleanup_close_ int fd = open(st->names_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return berr_sys(err, "open %s", st->names_dir);
    while (flock(fd, LOCK_EX) < 0)
        if (errno != EINTR)
            return berr_sys(err, "lock %s", st->names_dir);
    return STEAL_FD(fd);
}

int state_name_ensure_locked(struct state *st, const char *name, enum obj_kind kind,
                             const char *id, bool sync, struct berr **err)
{
    for (int attempt = 0; attempt < 4; attempt++) {
        _cleanup_free_ char *path = NULL;
        int r = make_link(st, name, kind, id, sync, err);

        if (r <= 0)
            return r < 0 ? -1 : 1;
        r = judge(st, name, kind, id, err);
        if (r <= 0)
            return r;
        if (r == 2)
            continue;
        path = str_fmt("%s/%s", st->names_dir, name);
        if (!path)
            return berr_oom(err);
        log_info("state: taking over name \"%s\": its record is gone", name);
        if (unlink(path) < 0 && errno != ENOENT)
            return berr_sys(err, "remove stale name link %s", path);
    }
    return in_use(err, name, kind);
}

static int check_args(const char *name, enum obj_kind kind, const char *id, struct berr **err)
{
    if (!state_name_valid(name))
        return state_err(err, BK_INVALID,
                         "names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");
    if (kind == OBJ_VOLUME)
        return state_err(err, BK_INVALID,
                         "volume names are not in the name index: invalid argument");
    return state_check_key(kind, id, err);
}

static int reserve(struct state *st, const char *name, enum obj_kind kind, const char *id,
                   bool sync, struct berr **err)
{
    _cleanup_close_ int guard = -1;

    if (check_args(name, kind, id, err) < 0)
        return -1;
    /* the fast path, no guard: almost every name is free or live */
    for (int attempt = 0; attempt < 4; attempt++) {
        int r = make_link(st, name, kind, id, sync, err);

        if (r <= 0)
            return r;
        r = judge(st, name, kind, id, err);
        if (r <= 0)
            return r;
        if (r == 1)
            break;
    }
    guard = state_names_guard(st, err);
    if (guard < 0)
        return -1;
    return state_name_ensure_locked(st, name, kind, id, sync, err) < 0 ? -1 : 0;
}

int state_name_reserve(struct state *st, const char *name, enum obj_kind kind,
                       const char *id, struct berr **err)
{
    return reserve(st, name, kind, id, true, err);
}

/* No fsync of its own: the link is made durable by the caller's next
 * synced name (the state_create that follows). A power loss before
 * that loses it or keeps it pointing at no record, which judge() takes
 * over like any a killed create left. */
int state_name_reserve_unsynced(struct state *st, const char *name, enum obj_kind kind,
                                const char *id, struct berr **err)
{
    return reserve(st, name, kind, id, false, err);
}

int state_name_check(struct state *st, const char *name, enum obj_kind kind, const char *id,
                     struct berr **err)
{
    if (check_args(name, kind, id, err) < 0)
        return -1;
    /* ours, stale or vanished: free for the taking */
    return judge(st, name, kind, id, err) < 0 ? -1 : 0;
}

/* sync: whether the unlink must survive a power loss. A name released
 * with its record's removal need not: a link that a power loss brings
 * back points at a record that is gone (the removal was synced), and
 * judge() takes such a name over (its remover's .del- dir is unowned, or
 * the link is older than STATE_NAME_STALE_SEC). A name released from a
 * live record (rename) must: back, it would point at that record. */
static int unlink_name(struct state *st, const char *name, bool sync, struct berr **err)
{
    _cleanup_free_ char *path = str_fmt("%s/%s", st->names_dir, name);

    if (!path)
        return berr_oom(err);
    if (unlink(path) < 0) {
        if (errno == ENOENT)
            return 0;
        return berr_sys(err, "release name \"%s\"", name);
    }
    if (sync && fs_fsync_dir(st->names_dir) < 0)
        return berr_sys(err, "sync %s", st->names_dir);
    return 0;
}

int state_name_release(struct state *st, const char *name, struct berr **err)
{
    _cleanup_close_ int guard = -1;

    if (!state_name_valid(name))
        return 0;       /* such a name was never reserved */
    guard = state_names_guard(st, err);
    if (guard < 0)
        return -1;
    return unlink_name(st, name, true, err);
}

/* Without the name (a record whose config does not parse), every link
 * pointing at the id goes: a scan, but only on this rare path. */
static int release_scan(struct state *st, const char *target, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(st->names_dir);
    struct dirent *de;
    char buf[PATH_MAX];

    if (!d)
        return berr_sys(err, "open %s", st->names_dir);
    while ((errno = 0, de = readdir(d))) {
        ssize_t n;

        if (de->d_name[0] == '.')
            continue;
        n = readlinkat(dirfd(d), de->d_name, buf, sizeof(buf) - 1);
        if (n < 0)
            continue;
        buf[n] = '\0';
        if (strcmp(buf, target) == 0 && unlinkat(dirfd(d), de->d_name, 0) < 0 &&
            errno != ENOENT)
            return berr_sys(err, "release name \"%s\"", de->d_name);
    }
    if (errno)
        return berr_sys(err, "read %s", st->names_dir);
    return 0;   /* not synced: only removals come here (unlink_name) */
}

int state_names_release_id(struct state *st, const char *name, enum obj_kind kind,
                           const char *id, struct berr **err)
{
    _cleanup_close_ int guard = state_names_guard(st, err);
    _cleanup_free_ char *target = link_target(kind, id);
    _cleanup_berr_ struct berr *e = NULL;
    enum obj_kind hk;
    char hid[STATE_ID_LEN + 1];

    if (guard < 0)
        return -1;
    if (!target)
        return berr_oom(err);
    if (!name)
        return release_scan(st, target, err);
    /* only if it is still ours: it may have been taken over already */
    if (state_name_resolve(st, name, &hk, hid, &e) == 0 && hk == kind && strcmp(hid, id) == 0)
        return unlink_name(st, name, false, err);
    return 0;
}
