/*
 * state/store.c: the state handle, db.json, and crash repair.
 *
 * Crash repair: records are built and removed under dot names
 * (containers/.new-<id>.XXXXXX, containers/.del-<id>.XXXXXX, see
 * record.c) and files are written through dot temp files
 * (.NAME.XXXXXX, fs_write_atomic). Readers skip every dot entry, so a
 * crash leaves garbage, never a half record. state_open() removes that
 * garbage from the small dirs, state_list() from the dir it lists; neither
 * may remove the dot dir of a create or delete that is
 * still running in another process, so a dot dir is removed only by
 * whoever wins a non-blocking flock(2) on it: its owner holds that flock
 * from birth to rename (record.c), and the kernel drops it when the owner
 * dies. Dot files carry no lock; they are removed once older than any
 * atomic write can take (STATE_STALE_TMP_SEC).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static bool is_dot_leftover(const char *name)
{
    return name[0] == '.' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* A dot dir: removed only when no process holds its flock, and only if the
 * name still names the inode we locked (its owner may have renamed it into
 * place just before we locked it). */
static void clean_dot_dir(int dfd, const char *dir, const char *name)
{
    _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    _cleanup_free_ char *path = NULL;
    _cleanup_berr_ struct berr *e = NULL;
    struct stat a, b;

    if (fd < 0)
        return;         /* gone already: another cleaner, or its owner */
    if (flock(fd, LOCK_EX | LOCK_NB) < 0)
        return;         /* a live create or delete owns it */
    if (fstat(fd, &a) < 0 || fstatat(dfd, name, &b, AT_SYMLINK_NOFOLLOW) < 0 ||
        a.st_ino != b.st_ino || a.st_dev != b.st_dev)
        return;
    path = str_fmt("%s/%s", dir, name);
    if (!path)
        return;
    log_debug("state: removing leftover %s", path);
    if (fs_rm_rf(path, &e) < 0)
        log_warn("state: remove leftover %s: %s", path, e->msg);
}

static void clean_dot_file(int dfd, const char *dir, const char *name, time_t now)
{
    struct stat sb;

    if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
        return;
    if (sb.st_mtime > now - STATE_STALE_TMP_SEC)
        return;         /* may be a write in progress */
    log_debug("state: removing leftover %s/%s", dir, name);
    if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
        log_warn("state: remove leftover %s/%s: %m", dir, name);
}

void state_clean_entry(int dfd, const char *dir, const struct dirent *de, time_t now)
{
    if (!is_dot_leftover(de->d_name))
        return;
    if (de->d_type == DT_DIR) {
        clean_dot_dir(dfd, dir, de->d_name);
    } else if (de->d_type == DT_UNKNOWN) {
        struct stat sb;
        if (fstatat(dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode))
            clean_dot_dir(dfd, dir, de->d_name);
        else
            clean_dot_file(dfd, dir, de->d_name, now);
    } else {
        clean_dot_file(dfd, dir, de->d_name, now);
    }
}

int state_clean_dir(const char *dir, const char *prefix, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(dir);
    time_t now = time(NULL);
    struct dirent *de;

    if (!d)
        return errno == ENOENT ? 0 : berr_sys(err, "open %s", dir);
    while ((errno = 0, de = readdir(d))) {
        if (prefix && !str_has_prefix(de->d_name, prefix))
            continue;
        state_clean_entry(dirfd(d), dir, de, now);
    }
    if (errno)
        return berr_sys(err, "read %s", dir);
    return 0;
}

void state_close(struct state *st)
{
    if (!st)
        return;
    free(st->dir);
    for (size_t i = 0; i < ARRAY_SIZE(st->kind_dir); i++) {
        free(st->kind_dir[i]);
        if (st->kind_fd[i] >= 0)
            close(st->kind_fd[i]);
    }
    free(st->names_dir);
    free(st->exits_dir);
    free(st);
}

static inline void state_closep(struct state **st) { state_close(*st); }

static int make_dir(const char *path, struct berr **err)
{
    /* one stat where the store exists (every command but the first) */
    if (fs_is_dir(path))
        return 0;
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return berr_sys(err, "create directory %s", path);
    if (!fs_is_dir(path))
        return berr_new(err, BERR_ENGINE, ENOTDIR, "create directory %s", path);
    fs_spread_subdirs(path);    /* one record dir per object (fs.h) */
    return 0;
}

int state_open(const char *static_dir, struct state **out, struct berr **err)
{
    __attribute__((cleanup(state_closep))) struct state *st = calloc(1, sizeof(*st));
    const char *dirs[5];

    if (!st)
        return berr_oom(err);
    for (size_t i = 0; i < ARRAY_SIZE(st->kind_fd); i++)
        st->kind_fd[i] = -1;
    if (!(st->dir = str_dup(static_dir)))
        return berr_oom(err);
    for (int k = OBJ_CONTAINER; k <= OBJ_VOLUME; k++)
        if (!(st->kind_dir[k] = str_fmt("%s/%s", static_dir, state_kind_dirname(k))))
            return berr_oom(err);
    st->names_dir = str_fmt("%s/names", static_dir);
    st->exits_dir = str_fmt("%s/exits", static_dir);
    if (!st->names_dir || !st->exits_dir)
        return berr_oom(err);
    if (fs_mkdir_p(static_dir, 0700, err) < 0)
        return berr_wrap(err, "open state");
    dirs[0] = st->kind_dir[OBJ_CONTAINER];
    dirs[1] = st->kind_dir[OBJ_POD];
    dirs[2] = st->kind_dir[OBJ_VOLUME];
    dirs[3] = st->names_dir;
    dirs[4] = st->exits_dir;
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
        if (make_dir(dirs[i], err) < 0)
            return berr_wrap(err, "open state");
    /* Crash repair is best effort: garbage is invisible to readers, so a
     * failure to remove it must not stop the command. The container dir
     * (the big one) is repaired by state_list() as it lists, exits/ (as
     * big under churn) by the exit-code pruning; names/ never holds dot
     * entries. The small dirs are swept here. */
    const char *sweep[] = { st->kind_dir[OBJ_POD], st->kind_dir[OBJ_VOLUME] };
    for (size_t i = 0; i < ARRAY_SIZE(sweep); i++) {
        _cleanup_berr_ struct berr *e = NULL;
        if (state_clean_dir(sweep[i], NULL, &e) < 0)
            log_warn("state: %s", e->msg);
    }
    {
        _cleanup_berr_ struct berr *e = NULL;
        /* the static dir is shared: only our own temp files */
        if (state_clean_dir(static_dir, ".db.json.", &e) < 0)
            log_warn("state: %s", e->msg);
    }
    *out = STEAL_PTR(st);
    return 0;
}

const char *state_dir(const struct state *st)
{
    return st->dir;
}

int state_db_read(struct state *st, json_t **out, struct berr **err)
{
    _cleanup_free_ char *path = str_fmt("%s/db.json", st->dir);
    _cleanup_json_ json_t *db = NULL;

    if (!path)
        return berr_oom(err);
    if (js_read_file(path, &db, err) < 0) {
        if ((*err)->errnum != ENOENT)
            return -1;
        berr_freep(err);
        *out = NULL;
        return 0;
    }
    if (!json_is_object(db))
        return state_err(err, BK_CORRUPT, "%s: not a JSON object", path);
    if (js_int(db, "version", STATE_FORMAT_VERSION) > STATE_FORMAT_VERSION)
        return state_err(err, BK_CORRUPT,
                         "%s: format version %lld is newer than this berth understands (%d)",
                         path, js_int(db, "version", 0), STATE_FORMAT_VERSION);
    *out = STEAL_PTR(db);
    return 0;
}

int state_db_write(struct state *st, json_t *db, struct berr **err)
{
    _cleanup_json_ json_t *rec = json_copy(db);

    if (!rec || js_set_int(rec, "version", STATE_FORMAT_VERSION) < 0)
        return berr_oom(err);
    return js_write_atomic(st->dir, "db.json", rec, 0600, err);
}
