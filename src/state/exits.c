/*
 * state/exits.c: the exit-code table, exits/<id> holding
 * {"code":N,"time":<unix ns>,"version":1}. It outlives the container
 * (podman's table, for run/wait after --rm): cleanup writes the code,
 * a waiter reads it even once the record is gone, and entries older
 * than a few minutes are pruned at each cleanup. Each entry is one
 * atomically written file, so writers never contend.
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
    if (js_write_atomic(st->exits_dir, id, rec, 0600, err) < 0)
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

/* Removes the entries older than older_than_ns, or all of them. */
static int sweep(struct state *st, long long older_than_ns, bool all, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(st->exits_dir);
    long long cutoff = now_ns() - older_than_ns;
    struct dirent *de;

    if (!d)
        return berr_sys(err, "open %s", st->exits_dir);
    while ((errno = 0, de = readdir(d))) {
        _cleanup_json_ json_t *rec = NULL;
        _cleanup_berr_ struct berr *e = NULL;
        bool drop = all;

        if (de->d_name[0] == '.' || !state_id_valid(de->d_name))
            continue;
        if (!drop) {
            if (read_entry(st, de->d_name, &rec, &e) == 0)
                drop = js_int(rec, "time", 0) < cutoff;
            else if (e->errnum != ENOENT) {
                /* unreadable: judge it by the file's own age */
                struct stat sb;
                drop = fstatat(dirfd(d), de->d_name, &sb, 0) == 0 &&
                       (long long) sb.st_mtime * 1000000000LL < cutoff;
                if (drop)
                    log_warn("state: removing unreadable exit code %s: %s", de->d_name, e->msg);
            }
        }
        if (drop && unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT)
            return berr_sys(err, "remove exit code %s/%s", st->exits_dir, de->d_name);
    }
    if (errno)
        return berr_sys(err, "read %s", st->exits_dir);
    if (fs_fsync_dir(st->exits_dir) < 0)
        return berr_sys(err, "sync %s", st->exits_dir);
    return 0;
}

int state_exit_codes_prune(struct state *st, long long older_than_sec, struct berr **err)
{
    if (older_than_sec < 0)
        older_than_sec = 0;
    if (older_than_sec > 1000000000LL)  /* ~31 years; keeps the ns product in range */
        older_than_sec = 1000000000LL;
    return sweep(st, older_than_sec * 1000000000LL, false, err);
}

int state_exit_codes_clear(struct state *st, struct berr **err)
{
    return sweep(st, 0, true, err);
}
