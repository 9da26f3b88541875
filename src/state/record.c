/*
 * state/record.c: object records, <kind>/<key>/{config,state}.json.
 *
 * Create builds the whole record in <kind>/.new-<key>.XXXXXX (each file
 * written by js_write_atomic), then renames the dir into place with
 * RENAME_NOREPLACE and fsyncs the parent: the record appears whole or
 * not at all. A container's record is synced after its rename, in one
 * journal commit (state_create says what a power loss may leave).
 *
 * What is synced (README "Crash safety"): what must survive a power loss
 * is durable, a config.json, the name link, a removal; a container's
 * state.json is not. It changes many times per `run` (each transition),
 * a reboot's refresh resets it anyway, and refresh rebuilds it from
 * config.json when the power loss left it missing, empty or torn
 * (state_lost). Its writes are still atomic (temp file, rename), so no
 * reader ever sees half of one while the machine is up. A pod's
 * state.json is not synced at create either (it holds nothing its
 * config and members do not say; refresh writes a lost one anew); pods'
 * config.json and volumes' records stay synced: nothing rebuilds them. Delete renames it to <kind>/.del-<key>.XXXXXX first, so it
 * vanishes at once, then removes the files. Both hold a flock(2) on the
 * dot dir the whole time it exists, which is how state_open's crash repair
 * (store.c) tells their dirs from a dead process's.
 *
 * Names (containers and pods): create checks, under the names/ guard and
 * right before the rename, that names/<config.name> points at this id,
 * reserving it if the caller did not. So a reservation taken over as
 * stale while a slow caller was still working (names.c) makes that
 * create fail cleanly instead of giving two objects one name.
 *
 * Records get "version": STATE_FORMAT_VERSION on every write; a record
 * without one reads as the current version, a newer one fails for that
 * object only (BK_CORRUPT, like a record that does not parse).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static char *record_path(struct state *st, enum obj_kind kind, const char *key)
{
    return str_fmt("%s/%s", st->kind_dir[kind], key);
}

/* A copy of obj (shallow) carrying the format version. */
static json_t *versioned(json_t *obj)
{
    json_t *c = obj ? json_copy(obj) : json_object();

    if (c && (!json_is_object(c) || js_set_int(c, "version", STATE_FORMAT_VERSION) < 0)) {
        json_decref(c);
        return NULL;
    }
    return c;
}

/* Makes <kind>/.new-<key>.XXXXXX and returns it flock'ed. The flock comes
 * after mkdtemp, so a cleaner may remove the dir in between; checking that
 * the path still names the inode we locked catches that, and we make
 * another. */
static int new_locked_dir(const char *kdir, const char *key, char **path_out, int *fd_out,
                          struct berr **err)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        _cleanup_free_ char *path = str_fmt("%s/.new-%s.XXXXXX", kdir, key);
        _cleanup_close_ int fd = -1;
        struct stat a, b;

        if (!path)
            return berr_oom(err);
        if (!mkdtemp(path))
            return berr_sys(err, "create directory in %s", kdir);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX) < 0)
            return berr_sys(err, "lock %s", path);
        if (fstat(fd, &a) < 0 || lstat(path, &b) < 0 || a.st_ino != b.st_ino ||
            a.st_dev != b.st_dev)
            continue;
        *path_out = STEAL_PTR(path);
        *fd_out = STEAL_FD(fd);
        return 0;
    }
    return berr_msg(err, "create directory in %s: removed by someone else, again and again",
                    kdir);
}

static int check_id_free(struct state *st, enum obj_kind kind, const char *key,
                         struct berr **err)
{
    if (kind == OBJ_VOLUME) {
        if (state_exists(st, OBJ_VOLUME, key))
            return state_err(err, BK_EXISTS,
                             "volume with name %s already exists: volume already exists", key);
        return 0;
    }
    /* containers and pods share one id space, as in podman */
    for (int k = OBJ_CONTAINER; k <= OBJ_POD; k++)
        if (state_exists(st, (enum obj_kind) k, key))
            return state_err(err, BK_EXISTS, "ID \"%s\" is in use: %s already exists", key,
                             state_kind_word((enum obj_kind) k));
    return 0;
}

/* A container's record renamed into place before anything of it was
 * synced: config.json (its data), the record's dir, the name link and the
 * rename, in that order; on ext4 the first fsync commits them all in one
 * journal commit and the others find nothing left to commit. */
static int sync_published(struct state *st, enum obj_kind kind, const char *dst, bool link,
                          struct berr **err)
{
    _cleanup_free_ char *cfg = str_fmt("%s/config.json", dst);
    _cleanup_close_ int fd = -1;

    if (!cfg)
        return berr_oom(err);
    if ((fd = open(cfg, O_RDONLY | O_CLOEXEC)) < 0 || fsync(fd) < 0)
        return berr_sys(err, "sync %s", cfg);
    if (fs_fsync_dir(dst) < 0)
        return berr_sys(err, "sync %s", dst);
    if (link && fs_fsync_dir(st->names_dir) < 0)
        return berr_sys(err, "sync %s", st->names_dir);
    if (fs_fsync_dir(st->kind_dir[kind]) < 0)
        return berr_sys(err, "sync %s", st->kind_dir[kind]);
    return 0;
}

/* The last step of create: the rename, made atomic with respect to name
 * take-overs by the names/ guard its caller holds. */
static int publish(struct state *st, enum obj_kind kind, const char *key, const char *tmp,
                   const char *dst, bool *renamed, bool synced, struct berr **err)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_NOREPLACE) < 0) {
        if (errno == EEXIST || errno == ENOTEMPTY)
            return state_err(err, BK_EXISTS, "ID \"%s\" is in use: %s already exists", key,
                             state_kind_word(kind));
        return berr_new(err, BERR_ENGINE, errno, "rename %s to %s", tmp, dst);
    }
    *renamed = true;
    if (!synced)
        return 0;
    if (fs_fsync_dir(st->kind_dir[kind]) < 0)
        return berr_sys(err, "sync %s", st->kind_dir[kind]);
    return 0;
}

int state_create(struct state *st, enum obj_kind kind, const char *id, json_t *config,
                 json_t *state, struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL, *stj = NULL;
    _cleanup_free_ char *tmp = NULL, *dst = NULL;
    _cleanup_close_ int tfd = -1, guard = -1;
    const char *name = NULL;
    const char *kdir = st->kind_dir[kind];
    int r = 0, made = 0;
    bool renamed = false;

    if (state_check_key(kind, id, err) < 0)
        return -1;
    if (!json_is_object(config) || (state && !json_is_object(state)))
        return state_err(err, BK_INVALID, "%s %s: a record must be a JSON object",
                         state_kind_word(kind), id);
    if (kind != OBJ_VOLUME) {
        name = js_str(config, "name", NULL);
        if (name && !state_name_valid(name))
            return state_err(err, BK_INVALID,
                             "names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");
    }
    cfg = versioned(config);
    stj = versioned(state);
    dst = record_path(st, kind, id);
    if (!cfg || !stj || !dst)
        return berr_oom(err);
    if (check_id_free(st, kind, id, err) < 0)
        return -1;
    if (new_locked_dir(kdir, id, &tmp, &tfd, err) < 0)
        return berr_wrap(err, "create %s %s", state_kind_word(kind), id);
    /* The name first, under the names/ guard until the rename: its link
     * dangles until then, and judge() leaves it alone while our .new- dir
     * is locked. It is made unsynced so that config.json's fsync commits it
     * with the record's files; the fsync of names/ that must precede the
     * rename then finds nothing left to commit (one journal commit fewer).
     * Nobody reads a .new- dir (and a dead creator's is removed whole), so
     * the files are written in place. A container's and a pod's state.json
     * needs no fsync of its own (see the top: refresh rebuilds one that a
     * power loss took) and comes first: config.json's fsync then commits
     * both entries, and the dir's fsync finds nothing left to commit (one
     * journal commit where the temp files and renames took two). A
     * volume's state is synced.
     * A container's record is renamed into place first and synced after
     * (sync_published): one journal commit for the whole record where
     * syncing before the rename took two. A power loss between the rename
     * and the sync may leave a record whose config.json is empty or torn
     * and whose state says "create" (or is lost): the create never
     * returned, and the refresh of the next boot removes what it left
     * (ctr_unfinished_create), as a kill before the rename leaves
     * nothing. The name link was made before the rename, so a journal
     * that commits in order (ext4, xfs) never keeps the rename without
     * the link. Pods and volumes keep the order: nothing rebuilds them. */
    bool late = kind == OBJ_CONTAINER;
    if ((name || kind != OBJ_VOLUME) && (guard = state_names_guard(st, err)) < 0)
        r = -1;
    if (r == 0 && name && (made = state_name_ensure_locked(st, name, kind, id, false, err)) < 0)
        r = -1;
    /* the id index's entry comes before the record, under the guard
     * (idindex.c), unsynced: config.json's fsync commits it on ext4, and
     * refresh rebuilds the index after a power loss anyway */
    if (r == 0) {
        state_idx_add(st, kind, id);
        crash_point("state:indexed");
    }
    /* a pod's member index is there from the moment its record is: a
     * member created at once must not find "no index" (state/members.c) */
    if (r == 0 && kind == OBJ_POD) {
        _cleanup_free_ char *members = str_fmt("%s/members", tmp);
        if (!members)
            r = berr_oom(err);
        else if (mkdir(members, 0700) < 0)
            r = berr_sys(err, "create %s", members);
    }
    if (r == 0)
        r = js_write_new(tmp, "state.json", stj, 0600, kind == OBJ_VOLUME, err);
    if (r == 0)
        r = js_write_new(tmp, "config.json", cfg, 0600, !late, err);
    if (r == 0 && !late && fs_fsync_dir(tmp) < 0)
        r = berr_sys(err, "sync %s", tmp);
    if (r == 0 && !late && made > 0 && fs_fsync_dir(st->names_dir) < 0)
        r = berr_sys(err, "sync %s", st->names_dir);
    if (r == 0)
        r = publish(st, kind, id, tmp, dst, &renamed, !late, err);
    if (r == 0 && late && sync_published(st, kind, dst, made > 0, err) < 0) {
        /* the record is in place and whole in memory: what a power loss
         * now takes of it, the next boot's refresh removes as a create
         * that never returned (ctr_unfinished_create), as if it came
         * before the sync; failing here would leave a record whose
         * creator frees its lock */
        log_warn("%s %s: %s", state_kind_word(kind), id, (*err)->msg);
        berr_freep(err);
    }
    if (r < 0) {
        _cleanup_berr_ struct berr *e = NULL;
        if (made > 0 && !renamed) {
            _cleanup_free_ char *link = str_fmt("%s/%s", st->names_dir, name);
            if (link)
                (void) unlink(link);
        }
        if (!renamed && !state_exists(st, kind, id))
            state_idx_remove(st, kind, id);
        (void) fs_rm_rf(tmp, &e);       /* still ours: we hold its flock */
        if ((*err)->kind == BK_EXISTS)
            return -1;                  /* podman's words, unwrapped */
        return berr_wrap(err, "create %s %s", state_kind_word(kind), id);
    }
    return 0;
}

/* a/b/c into buf (snprintf's work without its cost: ps reads a thousand
 * records); its length, or -1 when it does not fit. */
static int path_join3(char *buf, size_t size, const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);

    if (la + lb + lc + 3 > size)
        return -1;
    memcpy(buf, a, la);
    buf[la] = '/';
    memcpy(buf + la + 1, b, lb);
    buf[la + 1 + lb] = '/';
    memcpy(buf + la + 2 + lb, c, lc + 1);
    return (int) (la + lb + lc + 2);
}

/* The dir of kind's records, opened once; -1 when it cannot be. */
static int kind_dirfd(struct state *st, enum obj_kind kind)
{
    /* readers may run in threads (ps): the first to open the dir wins */
    int dfd = __atomic_load_n(&st->kind_fd[kind], __ATOMIC_ACQUIRE);

    if (dfd < 0) {
        int fd = open(st->kind_dir[kind], O_PATH | O_DIRECTORY | O_CLOEXEC), none = -1;
        if (fd >= 0 && !__atomic_compare_exchange_n(&st->kind_fd[kind], &none, fd, false,
                                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            close(fd);
        dfd = __atomic_load_n(&st->kind_fd[kind], __ATOMIC_ACQUIRE);
    }
    return dfd;
}

/* Where file of record key is: its path (for errors) into path, and
 * what to open: *rel under *dfd, the dir of kind's records (no walk of
 * the whole path for each of ps's thousand records), or the whole path
 * when that dir cannot be opened. -1 when the path does not fit. */
static int record_at(struct state *st, enum obj_kind kind, const char *key, const char *file,
                     char path[PATH_MAX], int *dfd, const char **rel)
{
    int fd = kind_dirfd(st, kind);

    if (path_join3(path, PATH_MAX, st->kind_dir[kind], key, file) < 0)
        return -1;
    *dfd = fd >= 0 ? fd : AT_FDCWD;
    *rel = fd >= 0 ? path + strlen(st->kind_dir[kind]) + 1 : path;
    return 0;
}

static int read_one(struct state *st, enum obj_kind kind, const char *key, const char *file,
                    json_t **out, struct berr **err)
{
    char path[PATH_MAX];
    _cleanup_json_ json_t *j = NULL;
    const char *what = state_kind_word(kind), *rel;
    json_t *v;
    int dfd;

    if (record_at(st, kind, key, file, path, &dfd, &rel) < 0)
        return berr_new(err, BERR_ENGINE, ENAMETOOLONG, "%s %s: path too long", what, key);
    if (js_read_fileat(dfd, rel, path, &j, err) < 0) {
        if ((*err)->errnum == ENOENT && !state_exists(st, kind, key)) {
            if (kind == OBJ_VOLUME)
                return state_err(err, BK_NO_SUCH, "no volume with name \"%s\" found: no such volume",
                                 key);
            return state_err(err, BK_NO_SUCH, "no %s with ID %s found in database: no such %s",
                             what, key, what);
        }
        if ((*err)->errnum == ENOENT)   /* the dir is there, the file not */
            (*err)->kind = BK_CORRUPT;
        return berr_wrap(err, "%s %s", what, key);
    }
    if (!json_is_object(j))
        return state_err(err, BK_CORRUPT, "%s %s: %s: not a JSON object", what, key, path);
    v = json_object_get(j, "version");
    if (v && !json_is_integer(v))
        return state_err(err, BK_CORRUPT, "%s %s: %s: \"version\" is not an integer", what, key,
                         path);
    if (v && json_integer_value(v) > STATE_FORMAT_VERSION)
        return state_err(err, BK_CORRUPT,
                         "%s %s: %s: record format version %lld is newer than this berth "
                         "understands (%d)",
                         what, key, path, (long long) json_integer_value(v),
                         STATE_FORMAT_VERSION);
    *out = STEAL_PTR(j);
    return 0;
}

int state_read_bytes(struct state *st, enum obj_kind kind, const char *id, const char *file,
                     char *buf, size_t cap, size_t *len)
{
    char path[PATH_MAX];
    const char *rel;
    _cleanup_close_ int fd = -1;
    struct berr *e = NULL;
    int dfd;

    *len = 0;
    if (state_check_key(kind, id, &e) < 0) {
        berr_free(e);
        return -1;
    }
    if (record_at(st, kind, id, file, path, &dfd, &rel) < 0 ||
        (fd = openat(dfd, rel, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    /* One read: a record is replaced by rename(2), never grown, so a
     * short read of it is its end (as js_read_fileat takes it), and ps
     * is spared a thousand reads that would return 0. A read that fills
     * buf may not be the end: too big. */
    for (;;) {
        ssize_t r = read(fd, buf, cap);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || (size_t) r == cap)
            return -1;
        *len = (size_t) r;
        return 0;
    }
}

int state_read(struct state *st, enum obj_kind kind, const char *id, json_t **config,
               json_t **state, struct berr **err)
{
    _cleanup_json_ json_t *c = NULL, *s = NULL;

    if (state_check_key(kind, id, err) < 0)
        return -1;
    if (config && read_one(st, kind, id, "config.json", &c, err) < 0)
        return -1;
    if (state && read_one(st, kind, id, "state.json", &s, err) < 0)
        return -1;
    if (config)
        *config = STEAL_PTR(c);
    if (state)
        *state = STEAL_PTR(s);
    return 0;
}

static int write_one(struct state *st, enum obj_kind kind, const char *key, const char *file,
                     json_t *obj, bool sync, struct berr **err)
{
    _cleanup_free_ char *dir = record_path(st, kind, key);
    _cleanup_json_ json_t *rec = NULL;
    const char *what = state_kind_word(kind);

    if (state_check_key(kind, key, err) < 0)
        return -1;
    if (!json_is_object(obj))
        return state_err(err, BK_INVALID, "%s %s: a record must be a JSON object", what, key);
    rec = versioned(obj);
    if (!dir || !rec)
        return berr_oom(err);
    if (!state_exists(st, kind, key))
        return state_err(err, BK_NO_SUCH, "no %s with ID %s found in database: no such %s", what,
                         key, what);
    if ((sync ? js_write_atomic(dir, file, rec, 0600, err)
              : js_write_replace(dir, file, rec, 0600, err)) < 0) {
        if ((*err)->errnum == ENOENT)   /* removed under us */
            return state_err(err, BK_NO_SUCH, "no %s with ID %s found in database: no such %s",
                             what, key, what);
        return berr_wrap(err, "%s %s", what, key);
    }
    return 0;
}

int state_update(struct state *st, enum obj_kind kind, const char *id, json_t *state,
                 struct berr **err)
{
    /* a container's state.json: see the top of this file */
    return write_one(st, kind, id, "state.json", state, kind != OBJ_CONTAINER, err);
}

int state_update_config(struct state *st, enum obj_kind kind, const char *id, json_t *config,
                        struct berr **err)
{
    return write_one(st, kind, id, "config.json", config, true, err);
}

static bool file_lost(struct state *st, enum obj_kind kind, const char *id, const char *file)
{
    char path[PATH_MAX];
    _cleanup_free_ char *text = NULL;
    _cleanup_json_ json_t *j = NULL;
    struct berr *e = NULL;

    if (path_join3(path, sizeof(path), st->kind_dir[kind], id, file) < 0)
        return false;
    if (fs_read_file(path, &text, NULL, &e) < 0) {
        bool missing = e->errnum == ENOENT && state_exists(st, kind, id);
        berr_free(e);
        return missing;
    }
    /* a record that parses is stale at worst (refresh resets it), or a
     * newer berth's: not ours to replace */
    j = json_loads(text, 0, NULL);
    return !json_is_object(j);
}

bool state_lost(struct state *st, enum obj_kind kind, const char *id)
{
    return file_lost(st, kind, id, "state.json");
}

bool state_config_lost(struct state *st, enum obj_kind kind, const char *id)
{
    return file_lost(st, kind, id, "config.json");
}

/* The name this record holds, from its config (NULL if none or unreadable). */
static char *record_name(struct state *st, enum obj_kind kind, const char *key)
{
    _cleanup_json_ json_t *cfg = NULL;
    _cleanup_berr_ struct berr *e = NULL;

    if (kind == OBJ_VOLUME || read_one(st, kind, key, "config.json", &cfg, &e) < 0)
        return NULL;
    return str_dup(js_str(cfg, "name", NULL));
}

int state_delete(struct state *st, enum obj_kind kind, const char *id, struct berr **err)
{
    return state_delete_aside(st, kind, id, NULL, err);
}

int state_delete_aside(struct state *st, enum obj_kind kind, const char *id, const char *aside,
                       struct berr **err)
{
    _cleanup_free_ char *path = NULL, *gone = NULL, *name = NULL;
    _cleanup_close_ int fd = -1;
    const char *what = state_kind_word(kind);
    char suffix[8];

    if (state_check_key(kind, id, err) < 0)
        return -1;
    path = record_path(st, kind, id);
    if (!path)
        return berr_oom(err);
    fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return state_err(err, BK_NO_SUCH, "no %s with ID %s found in database: no such %s", what,
                         id, what);
    if (fd < 0)
        return berr_sys(err, "remove %s %s: open %s", what, id, path);
    /* The flock marks the .del- dir as owned until we have emptied it. */
    if (flock(fd, LOCK_EX) < 0)
        return berr_sys(err, "remove %s %s: lock %s", what, id, path);
    name = record_name(st, kind, id);
    {
        unsigned char r[3];
        if (state_random(r, sizeof(r), err) < 0)
            return -1;
        snprintf(suffix, sizeof(suffix), "%02x%02x%02x", r[0], r[1], r[2]);
    }
    gone = str_fmt("%s/.del-%s.%s", st->kind_dir[kind], id, suffix);
    if (!gone)
        return berr_oom(err);
    if (rename(path, gone) < 0) {
        if (errno == ENOENT)    /* a concurrent delete won */
            return state_err(err, BK_NO_SUCH, "no %s with ID %s found in database: no such %s",
                             what, id, what);
        return berr_sys(err, "remove %s %s: rename %s", what, id, path);
    }
    if (fs_fsync_dir(st->kind_dir[kind]) < 0)
        return berr_sys(err, "remove %s %s: sync %s", what, id, st->kind_dir[kind]);
    crash_point("state:deleted");
    /* From here the record is gone for every reader; the rest is cleanup
     * that state_open redoes if we die. A name whose record is gone is
     * released here, or taken over later once stale (names.c). */
    if (kind != OBJ_VOLUME && state_names_release_id(st, name, kind, id, err) < 0)
        return berr_wrap(err, "remove %s %s", what, id);
    state_idx_remove(st, kind, id);
    if (aside && rename(gone, aside) == 0)
        return 0;
    if (fs_rm_rf(gone, err) < 0)
        return berr_wrap(err, "remove %s %s", what, id);
    return 0;
}

bool state_exists(struct state *st, enum obj_kind kind, const char *id)
{
    _cleanup_free_ char *path = NULL;
    struct stat sb;

    if (!id || (kind == OBJ_VOLUME ? !state_name_valid(id) : !state_id_valid(id)))
        return false;
    path = record_path(st, kind, id);
    return path && lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

bool state_dot_record_id(const char *dname, char *id_out)
{
    if ((!str_has_prefix(dname, ".new-") && !str_has_prefix(dname, ".del-")) ||
        strlen(dname) < 5 + STATE_ID_LEN + 1 || dname[5 + STATE_ID_LEN] != '.')
        return false;
    memcpy(id_out, dname + 5, STATE_ID_LEN);
    id_out[STATE_ID_LEN] = '\0';
    return true;
}

/* A .new-/.del- dir whose owner died (a create killed after the name's
 * link, a delete killed before unlinking it): the name its record had is
 * released before the sweep removes the dir, so it is free at once rather
 * than after STATE_NAME_STALE_SEC. */
static void release_leftover_name(struct state *st, enum obj_kind kind, int dfd,
                                  const char *dname)
{
    _cleanup_close_ int fd = -1, cf = -1;
    _cleanup_free_ char *text = NULL;
    _cleanup_json_ json_t *cfg = NULL;
    _cleanup_berr_ struct berr *e = NULL;
    char id[STATE_ID_LEN + 1];

    if (kind == OBJ_VOLUME || !state_dot_record_id(dname, id))
        return;
    fd = openat(dfd, dname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0 || state_exists(st, kind, id))
        return;                 /* gone, owned by a live process, or published */
    cf = openat(fd, "config.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (cf >= 0 && fs_read_fd(cf, &text, NULL) == 0)
        cfg = json_loads(text, 0, NULL);
    /* no readable name: release_scan finds the links to this id */
    if (state_names_release_id(st, js_str(cfg, "name", NULL), kind, id, &e) < 0)
        log_warn("state: releasing the name of leftover %s: %s", dname, e->msg);
}

int state_list(struct state *st, enum obj_kind kind, char ***ids, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(st->kind_dir[kind]);
    _cleanup_strv_ strv v = calloc(64, sizeof(char *));
    size_t n = 0, cap = 64;     /* strv_push would count the list at every push */
    struct dirent *de;
    time_t now = 0;

    if (!v)
        return berr_oom(err);
    if (!d)
        return berr_sys(err, "list %ss: open %s", state_kind_word(kind), st->kind_dir[kind]);
    while ((errno = 0, de = readdir(d))) {
        const char *name = de->d_name;
        /* dot entries are records being born or dying (crash leftovers
         * are removed on the way); anything else that is not a valid key
         * is not ours */
        if (name[0] == '.') {
            if (now == 0)
                now = time(NULL);
            release_leftover_name(st, kind, dirfd(d), name);
            state_clean_entry(dirfd(d), st->kind_dir[kind], de, now);
            errno = 0;
            continue;
        }
        if (kind == OBJ_VOLUME ? !state_name_valid(name) : !state_id_valid(name))
            continue;
        if (n + 1 == cap) {
            strv nv = realloc(v, 2 * cap * sizeof(char *));
            if (!nv)
                return berr_oom(err);
            v = nv;
            cap *= 2;
        }
        if (!(v[n] = str_dup(name)))
            return berr_oom(err);
        v[++n] = NULL;
    }
    if (errno)
        return berr_sys(err, "list %ss: read %s", state_kind_word(kind), st->kind_dir[kind]);
    strv_sort_n(v, n);
    *ids = STEAL_PTR(v);
    return 0;
}
