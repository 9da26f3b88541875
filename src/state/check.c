/*
 * state/check.c: what `system check` asks of the state's own files: the
 * name index, the exit-code table, and moving an unreadable record aside
 * (quarantine) instead of deleting it. Knows nothing of what the records
 * mean; the runtime checks their contents (runtime/syscheck.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The entries of dir that are not dot entries, sorted. */
static int list_dir(const char *dir, strv *out, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(dir);
    struct dirent *de;

    if (!d)
        return errno == ENOENT ? 0 : berr_sys(err, "open %s", dir);
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' && strv_push(out, de->d_name) < 0)
            return berr_oom(err);
    if (*out)
        qsort(*out, strv_len(*out), sizeof(char *), by_name);
    return 0;
}

int state_check_names(struct state *st, bool repair, state_report_fn report, void *ctx,
                      struct berr **err)
{
    _cleanup_strv_ strv names = NULL;

    if (list_dir(st->names_dir, &names, err) < 0)
        return -1;
    for (size_t i = 0; names && names[i]; i++) {
        _cleanup_free_ char *problem = NULL, *path = str_fmt("%s/%s", st->names_dir, names[i]);
        char id[STATE_ID_LEN + 1];
        enum obj_kind kind;
        struct berr *e = NULL;
        struct stat sb;
        int r = state_name_resolve(st, names[i], &kind, id, &e);

        if (!path)
            return berr_oom(err);
        if (r < 0) {
            problem = str_dup(e->msg);
            berr_free(e);
        } else if (r == 0 && !state_exists(st, kind, id) &&
                   /* a fresh one may be a create whose record comes next */
                   lstat(path, &sb) == 0 && sb.st_mtime < time(NULL) - STATE_NAME_STALE_SEC) {
            problem = str_fmt("points at %s %.12s, which does not exist", state_kind_word(kind), id);
        }
        if (!problem)
            continue;
        bool fixed = repair && (unlink(path) == 0 || errno == ENOENT);
        report(ctx, "name", names[i], problem, fixed);
    }
    return 0;
}

/* The time an exit-code entry was written (unix seconds), -1 unknown. */
static long long entry_time(const char *path)
{
    _cleanup_json_ json_t *rec = NULL;
    struct berr *e = NULL;

    if (js_read_file(path, &rec, &e) < 0) {
        berr_free(e);
        return -1;
    }
    return js_int(rec, "time", -1000000000LL) / 1000000000LL;
}

int state_check_exits(struct state *st, long long max_age_sec, bool repair,
                      state_report_fn report, void *ctx, struct berr **err)
{
    _cleanup_strv_ strv ids = NULL;
    long long now = (long long) time(NULL);

    if (list_dir(st->exits_dir, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids && ids[i]; i++) {
        _cleanup_free_ char *path = str_fmt("%s/%s", st->exits_dir, ids[i]), *problem = NULL;
        struct berr *e = NULL;
        long long t;
        int code;

        if (!path)
            return berr_oom(err);
        if (!state_id_valid(ids[i]))
            continue;       /* the prune mark and the like */
        if (state_exit_code_get(st, ids[i], &code, &e) < 0) {
            if (e->kind != BK_NO_SUCH)  /* one that does not parse tells nothing */
                problem = str_dup(e->msg);
            berr_free(e);
        } else if (max_age_sec >= 0 && !state_exists(st, OBJ_CONTAINER, ids[i]) &&
                   (t = entry_time(path)) >= 0 && now - t > max_age_sec) {
            problem = str_fmt("exit code %d of a container removed %llds ago (older than --max)",
                              code, now - t);
        }
        if (!problem)
            continue;
        bool fixed = repair && (unlink(path) == 0 || errno == ENOENT);
        report(ctx, "exit code", ids[i], problem, fixed);
    }
    return 0;
}

int state_list_raw(struct state *st, enum obj_kind kind, strv *out, struct berr **err)
{
    return list_dir(st->kind_dir[kind], out, err);
}

int state_quarantine(struct state *st, enum obj_kind kind, const char *id, const char *why,
                     char **where, struct berr **err)
{
    _cleanup_free_ char *qdir = str_fmt("%s/quarantine", st->dir);
    _cleanup_free_ char *src = str_fmt("%s/%s", st->kind_dir[kind], id);
    _cleanup_free_ char *dst = str_fmt("%s/quarantine/%s-%s-%lld", st->dir, state_kind_dirname(kind),
                                       id, (long long) time(NULL));
    _cleanup_free_ char *note = str_fmt("%s %s: %s\n", state_kind_word(kind), id, why);

    if (!qdir || !src || !dst || !note)
        return berr_oom(err);
    if (state_check_key(kind, id, err) < 0 || fs_mkdir_p(qdir, 0700, err) < 0)
        return -1;
    /* the names go first: a name left pointing at nothing would be
     * taken over by the next create anyway, but not before a minute */
    if (kind != OBJ_VOLUME && state_names_release_id(st, NULL, kind, id, err) < 0)
        return -1;
    if (rename(src, dst) < 0)
        return berr_sys(err, "quarantine %s %s: move %s to %s", state_kind_word(kind), id, src, dst);
    state_idx_remove(st, kind, id);
    if (fs_fsync_dir(st->kind_dir[kind]) < 0)
        return berr_sys(err, "sync %s", st->kind_dir[kind]);
    if (fs_write_atomic(dst, "WHY", note, strlen(note), 0600, err) < 0)
        return -1;
    if (where)
        *where = STEAL_PTR(dst);
    return 0;
}

bool state_name_exists(struct state *st, const char *name)
{
    char id[STATE_ID_LEN + 1];
    enum obj_kind kind;
    struct berr *e = NULL;
    int r = state_name_resolve(st, name, &kind, id, &e);

    berr_free(e);
    return r != 1;      /* a malformed link is there too */
}

bool state_quarantined(struct state *st, enum obj_kind kind, const char *id)
{
    _cleanup_free_ char *qdir = str_fmt("%s/quarantine", st->dir);
    _cleanup_free_ char *prefix = str_fmt("%s-%s-", state_kind_dirname(kind), id);
    _cleanup_closedir_ DIR *d = qdir ? opendir(qdir) : NULL;
    struct dirent *de;

    while (d && prefix && (de = readdir(d)))
        if (str_has_prefix(de->d_name, prefix))
            return true;
    return false;
}
