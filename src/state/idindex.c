/*
 * state/idindex.c: the id prefix index, ids/<kind>/<xx>/<id>, so that a
 * short id (the 12 characters `ps -q` prints, or any prefix of two hex
 * digits or more) is found by reading one small bucket instead of listing
 * every record of its kind.
 *
 * An entry is an empty file named by the full id in the bucket of its
 * first two hex digits. The index only ever proposes ids; every proposal
 * is checked against the record, so a stale entry (a delete that died
 * before removing it, a create that died before publishing) costs one
 * lstat and never answers. What must hold instead is that no record is
 * missing from a built index, or a prefix shared by two objects could
 * look unique:
 *  - ids/<kind> appears only whole: it is built in ids/.<kind>.new and
 *    renamed (or exchanged) into place;
 *  - create adds its entry under the names/ guard before it publishes
 *    the record, and a build holds the same guard: a create is either
 *    wholly before a build (its record is listed) or wholly after it (its
 *    entry goes into the built index);
 *  - entries are not synced (create pays for no extra fsync): a power
 *    loss may lose one, and the reboot's refresh builds the index anew.
 * A lookup that finds nothing in the index lists the records as before,
 * adds any entry it finds missing, and builds the index when there is
 * none yet (a store made by an older berth). `system check` reports and
 * repairs missing and stale entries.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/str.h"

/* ids/<kind>, or with a bucket and id below it; false when it does not fit */
static bool idx_path(char *buf, size_t size, struct state *st, enum obj_kind kind,
                     const char *bucket, const char *id)
{
    int n = snprintf(buf, size, "%s/ids/%s%s%.*s%s%s", st->dir, state_kind_dirname(kind),
                     bucket ? "/" : "", bucket ? STATE_IDX_BUCKET : 0, bucket ? bucket : "",
                     id ? "/" : "", id ? id : "");
    return n > 0 && (size_t) n < size;
}

static bool idx_kind(enum obj_kind kind)
{
    return kind == OBJ_CONTAINER || kind == OBJ_POD;
}

/* Adds id to the index rooted at root (no sync). 0, or -1 with errno:
 * ENOENT when root does not exist. */
static int add_at(const char *root, const char *id)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof(path), "%s/%.*s", root, STATE_IDX_BUCKET, id);

    if (n < 0 || (size_t) n + 1 + STATE_ID_LEN >= sizeof(path))
        return errno = ENAMETOOLONG, -1;
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return -1;
    snprintf(path + n, sizeof(path) - (size_t) n, "/%s", id);
    if (mknod(path, S_IFREG | 0600, 0) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

void state_idx_add(struct state *st, enum obj_kind kind, const char *id)
{
    char root[PATH_MAX];

    if (!idx_kind(kind) || !state_id_valid(id) || !idx_path(root, sizeof(root), st, kind, NULL, NULL))
        return;
    /* no index yet: the lookup that builds it will list this record */
    if (add_at(root, id) < 0 && errno != ENOENT) {
        char gone[PATH_MAX + 32];
        struct berr *e = NULL;

        /* an index without this id could call a prefix it shares with
         * another unique: the index goes, and lookups list the records
         * (and build it anew) until it is whole again */
        log_warn("state: adding %.12s to the id index %s: %s: the index is dropped",
                 id, root, strerror(errno));
        snprintf(gone, sizeof(gone), "%s.dropped-%ld", root, (long) getpid());
        if (rename(root, gone) < 0 || fs_rm_rf(gone, &e) < 0)
            log_warn("state: dropping the id index %s: %s", root, e ? e->msg : strerror(errno));
        berr_free(e);
    }
}

void state_idx_remove(struct state *st, enum obj_kind kind, const char *id)
{
    char path[PATH_MAX];

    if (!idx_kind(kind) || !state_id_valid(id) || !idx_path(path, sizeof(path), st, kind, id, id))
        return;
    /* a stale entry is harmless (lookups check the record), so a failure
     * here only costs system check a line */
    (void) unlink(path);
}

int state_idx_build(struct state *st, enum obj_kind kind, struct berr **err)
{
    char top[PATH_MAX], root[PATH_MAX], tmp[PATH_MAX];
    _cleanup_close_ int guard = -1;
    _cleanup_strv_ strv ids = NULL;

    if (!idx_kind(kind))
        return 0;
    if (snprintf(top, sizeof(top), "%s/ids", st->dir) >= (int) sizeof(top) ||
        !idx_path(root, sizeof(root), st, kind, NULL, NULL) ||
        snprintf(tmp, sizeof(tmp), "%s/.%s.new", top, state_kind_dirname(kind)) >= (int) sizeof(tmp))
        return berr_new(err, BERR_ENGINE, ENAMETOOLONG, "build the id index of %s", st->dir);
    /* no create publishes a record while we list (see the top) */
    if ((guard = state_names_guard(st, err)) < 0)
        return -1;
    if ((mkdir(top, 0700) < 0 && errno != EEXIST) || fs_rm_rf(tmp, err) < 0 ||
        mkdir(tmp, 0700) < 0)
        return berr_sys(err, "build the id index %s", root);
    /* not state_list: its crash repair of a dead creator's .new- dir
     * releases the name under the guard we hold (a second flock of ours
     * would wait for us forever) */
    if (state_list_raw(st, kind, &ids, err) < 0)
        return berr_wrap(err, "build the id index %s", root);
    for (size_t i = 0; ids && ids[i]; i++)
        if (state_id_valid(ids[i]) && add_at(tmp, ids[i]) < 0)
            return berr_sys(err, "build the id index %s: add %.12s", root, ids[i]);
    if (rename(tmp, root) == 0)
        return 0;
    if ((errno != EEXIST && errno != ENOTEMPTY) ||
        renameat2(AT_FDCWD, tmp, AT_FDCWD, root, RENAME_EXCHANGE) < 0)
        return berr_sys(err, "build the id index: rename %s to %s", tmp, root);
    return fs_rm_rf(tmp, err);  /* the old index */
}

/* Verifies name as a match of prefix in ns: what the index proposes is
 * only a hint. */
static bool idx_match(struct state *st, enum obj_kind kind, const char *name, const char *prefix,
                      size_t plen, const char *ns, bool (*in_ns)(struct state *, enum obj_kind,
                                                                  const char *, const char *))
{
    return strncmp(name, prefix, plen) == 0 && state_id_valid(name) &&
           state_exists(st, kind, name) && in_ns(st, kind, name, ns);
}

int state_idx_find(struct state *st, enum obj_kind kind, const char *prefix, const char *ns,
                   bool (*in_ns)(struct state *, enum obj_kind, const char *, const char *),
                   char *match, int *count)
{
    char path[PATH_MAX];
    size_t plen = strlen(prefix);
    _cleanup_closedir_ DIR *d = NULL;
    struct dirent *de;

    *count = 0;
    if (!idx_kind(kind) || plen < STATE_IDX_BUCKET ||
        !idx_path(path, sizeof(path), st, kind, prefix, NULL))
        return -1;
    if (!(d = opendir(path)))
        return 0;   /* no such bucket, or no index: the caller lists */
    while ((errno = 0, de = readdir(d))) {
        if (de->d_name[0] == '.' || !idx_match(st, kind, de->d_name, prefix, plen, ns, in_ns))
            continue;
        if (++*count == 1)
            memcpy(match, de->d_name, STATE_ID_LEN + 1);
        else
            return 0;   /* ambiguous */
    }
    if (errno) {
        *count = 0;
        return -1;
    }
    return 0;
}

void state_idx_ensure(struct state *st, enum obj_kind kind)
{
    char root[PATH_MAX];
    struct stat sb;
    _cleanup_berr_ struct berr *e = NULL;

    if (!idx_kind(kind) || !idx_path(root, sizeof(root), st, kind, NULL, NULL) ||
        stat(root, &sb) == 0 || errno != ENOENT)
        return;
    if (state_idx_build(st, kind, &e) < 0)
        log_warn("state: %s", e->msg);
}

/* The ids in the buckets of root, "<bucket>/<entry>", sorted. */
static int list_entries(const char *root, strv *out, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(root);
    struct dirent *de;

    if (!d)
        return errno == ENOENT ? 1 : berr_sys(err, "open %s", root);
    while ((de = readdir(d))) {
        _cleanup_free_ char *bdir = NULL;
        _cleanup_closedir_ DIR *b = NULL;
        struct dirent *be;

        if (de->d_name[0] == '.')
            continue;
        if (!(bdir = str_fmt("%s/%s", root, de->d_name)))
            return berr_oom(err);
        if (!(b = opendir(bdir))) {
            if (strv_push(out, de->d_name) < 0)     /* not a bucket */
                return berr_oom(err);
            continue;
        }
        while ((be = readdir(b))) {
            _cleanup_free_ char *rel = NULL;
            if (be->d_name[0] == '.')
                continue;
            if (!(rel = str_fmt("%s/%s", de->d_name, be->d_name)) || strv_push(out, rel) < 0)
                return berr_oom(err);
        }
    }
    return 0;
}

static bool entry_ok(const char *rel, char *id)
{
    const char *slash = strchr(rel, '/');

    if (!slash || (size_t) (slash - rel) != STATE_IDX_BUCKET || !state_id_valid(slash + 1) ||
        strncmp(rel, slash + 1, STATE_IDX_BUCKET) != 0)
        return false;
    memcpy(id, slash + 1, STATE_ID_LEN + 1);
    return true;
}

static int check_kind(struct state *st, enum obj_kind kind, bool repair, state_report_fn report,
                      void *ctx, struct berr **err)
{
    char root[PATH_MAX];
    _cleanup_strv_ strv entries = NULL, ids = NULL;
    const char *word = state_kind_word(kind);
    time_t now = time(NULL);
    int r;

    if (!idx_path(root, sizeof(root), st, kind, NULL, NULL))
        return berr_new(err, BERR_ENGINE, ENAMETOOLONG, "check the id index of %s", st->dir);
    if ((r = list_entries(root, &entries, err)) < 0)
        return -1;
    if (r == 1)
        return 0;       /* not built yet: the first lookup that needs it builds it */
    if (state_list(st, kind, &ids, err) < 0)
        return -1;
    for (size_t i = 0; entries && entries[i]; i++) {
        _cleanup_free_ char *path = str_fmt("%s/%s", root, entries[i]), *problem = NULL;
        char id[STATE_ID_LEN + 1];
        struct stat sb;

        if (!path)
            return berr_oom(err);
        if (!entry_ok(entries[i], id))
            problem = str_fmt("not an entry of the %s id index", word);
        else if (!state_exists(st, kind, id) &&
                 /* a fresh one may be a create whose record comes next */
                 lstat(path, &sb) == 0 && sb.st_mtime < now - STATE_NAME_STALE_SEC)
            problem = str_fmt("%s id index entry for %s %.12s, which does not exist", word, word,
                              id);
        if (!problem)
            continue;
        _cleanup_berr_ struct berr *e = NULL;
        bool fixed = repair && fs_rm_rf(path, &e) == 0;
        report(ctx, "id index", entries[i], problem, fixed);
    }
    for (size_t i = 0; ids[i]; i++) {
        char path[PATH_MAX];
        struct stat sb;

        if (!idx_path(path, sizeof(path), st, kind, ids[i], ids[i]) || lstat(path, &sb) == 0)
            continue;
        bool fixed = repair && (state_idx_add(st, kind, ids[i]), lstat(path, &sb) == 0);
        report(ctx, "id index", ids[i], "missing from the id index", fixed);
    }
    return 0;
}

int state_check_idindex(struct state *st, bool repair, state_report_fn report, void *ctx,
                        struct berr **err)
{
    if (check_kind(st, OBJ_CONTAINER, repair, report, ctx, err) < 0)
        return -1;
    return check_kind(st, OBJ_POD, repair, report, ctx, err);
}
