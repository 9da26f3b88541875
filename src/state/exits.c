/*
 * state/exits.c: the exit-code table, exits/<id> holding
 * {"code":N,"time":<unix ns>,"version":1}. It outlives the container
 * (podman's table, for run/wait after --rm): cleanup writes the code,
 * a waiter reads it even once the record is gone, and entries older
 * than a few minutes are pruned by cleanups, at most once in
 * EXITS_PRUNE_EVERY_SEC (the file "pruned" keeps the time). Each entry
 * is one atomically written file, so writers never contend; crash
 * leftovers are removed by the pruning sweep, which reads the dir anyway.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

#define EXITS_PRUNE_MARK "pruned"      /* not an id: never taken for an entry */
#define EXITS_PRUNE_EVERY_SEC 30

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int state_exit_code_set(struct state *st, const char *id, int code, struct berr **err)
{
    _cleanup_json_ json_t *rec = NULL;

    if (state_check_key(OBJ_CONTAINER, id, err) < 0)
        return -1;
    rec = json_pack("{s:i, s:I, s:i}", "code", code, "time", (json_int_t) now_ns(), "version",
                    STATE_FORMAT_VERSION);
    if (!rec)
        return berr_oom(err);
    /* Not synced: the code is for the run or wait of this boot; the
     * refresh of the next one empties the table anyway. */
    if (js_write_replace(st->exits_dir, id, rec, 0600, err) < 0)
        return berr_wrap(err, "record exit code of container %s", id);
    return 0;
}

static int read_entry(struct state *st, const char *id, json_t **out, struct berr **err)
{
    _cleanup_free_ char *path = str_fmt("%s/%s", st->exits_dir, id);
    _cleanup_json_ json_t *rec = NULL;

    if (!path)
        return berr_oom(err);
    if (js_read_file(path, &rec, err) < 0)
        return -1;
    if (!json_is_integer(json_object_get(rec, "code")) ||
        !json_is_integer(json_object_get(rec, "time")))
        return state_err(err, BK_CORRUPT, "%s: want {\"code\":N,\"time\":N}", path);
    if (js_int(rec, "version", STATE_FORMAT_VERSION) > STATE_FORMAT_VERSION)
        return state_err(err, BK_CORRUPT,
                         "%s: record format version %lld is newer than this berth understands (%d)",
                         path, js_int(rec, "version", 0), STATE_FORMAT_VERSION);
    *out = STEAL_PTR(rec);
    return 0;
}

int state_exit_code_get(struct state *st, const char *id, int *code, struct berr **err)
{
    _cleanup_json_ json_t *rec = NULL;

    if (state_check_key(OBJ_CONTAINER, id, err) < 0)
        return -1;
    if (read_entry(st, id, &rec, err) < 0) {
        if ((*err)->errnum == ENOENT)
            return state_err(err, BK_NO_SUCH,
                             "getting exit code of container %s from DB: no such exit code", id);
        return berr_wrap(err, "getting exit code of container %s", id);
    }
    *code = (int) js_int(rec, "code", 0);
    return 0;
}

/* Removes the entries older than older_than_ns (by the file's mtime: an
 * entry is written once, atomically, so that is the time it records),
 * or all of them; crash leftovers (dot files) go too. */
static int sweep(struct state *st, long long older_than_ns, bool all, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(st->exits_dir);
    long long cutoff = now_ns() - older_than_ns;
    time_t now = time(NULL);
    bool removed = false;
    struct dirent *de;

    if (!d)
        return berr_sys(err, "open %s", st->exits_dir);
    while ((errno = 0, de = readdir(d))) {
        struct stat sb;
        bool drop = all;

        if (de->d_name[0] == '.') {
            state_clean_entry(dirfd(d), st->exits_dir, de, now);
            continue;
        }
        if (!state_id_valid(de->d_name))
            continue;
        if (!drop)
            drop = fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
                   (long long) sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec < cutoff;
        if (drop) {
            if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT)
                return berr_sys(err, "remove exit code %s/%s", st->exits_dir, de->d_name);
            removed = true;
        }
    }
    if (errno)
        return berr_sys(err, "read %s", st->exits_dir);
    if (removed && fs_fsync_dir(st->exits_dir) < 0)
        return berr_sys(err, "sync %s", st->exits_dir);
    return 0;
}

int state_exit_codes_prune(struct state *st, long long older_than_sec, struct berr **err)
{
    _cleanup_free_ char *mark = str_fmt("%s/%s", st->exits_dir, EXITS_PRUNE_MARK);
    time_t now = time(NULL);
    struct stat sb;
    int fd;

    if (!mark)
        return berr_oom(err);
    if (older_than_sec < 0)
        older_than_sec = 0;
    if (older_than_sec > 1000000000LL)  /* ~31 years; keeps the ns product in range */
        older_than_sec = 1000000000LL;
    /* Every container's cleanup prunes; one sweep per EXITS_PRUNE_EVERY_SEC
     * is enough, and keeps a busy host from reading the whole table at
     * every exit. The mark's mtime says when the last sweep began (a
     * mark from the future, after a clock change, does not count). */
    if (stat(mark, &sb) == 0 && sb.st_mtime <= now && sb.st_mtime > now - EXITS_PRUNE_EVERY_SEC)
        return 0;
    fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        (void) futimens(fd, NULL);
        close(fd);
    }
    return sweep(st, older_than_sec * 1000000000LL, false, err);
}

int state_exit_codes_clear(struct state *st, struct berr **err)
{
    return sweep(st, 0, true, err);
}
