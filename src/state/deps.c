/*
 * state/deps.c: the reverse index of container dependencies,
 * containers/<id>/dependents/<dep-id>: one empty file for each container
 * that joins a namespace of <id>, so that rm asks only <id>'s own
 * directory who depends on it (podman's "dependencies" bucket), never
 * every record.
 *
 * Crash safety comes from the order of the writes (runtime/ctr_create.c,
 * ctr_remove_records): a dependent's link is written before its record
 * and removed after its record is deleted, so every record has its
 * links. A link without a record is a create under way or a leftover of
 * a killed create or rm: the link holds a note from its writer (the
 * runtime's: who created it), and the caller's live() tells which.
 * Leftovers are dropped when found. Knows ids and notes only.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

static char *deps_dir(struct state *st, const char *id)
{
    return str_fmt("%s/%s/dependents", st->kind_dir[OBJ_CONTAINER], id);
}

int state_dep_add(struct state *st, const char *id, const char *dep, const char *note,
                  struct berr **err)
{
    _cleanup_free_ char *rec = NULL, *dir = NULL;

    if (state_check_key(OBJ_CONTAINER, id, err) < 0 ||
        state_check_key(OBJ_CONTAINER, dep, err) < 0)
        return -1;
    rec = str_fmt("%s/%s", st->kind_dir[OBJ_CONTAINER], id);
    dir = deps_dir(st, id);
    if (!rec || !dir)
        return berr_oom(err);
    if (mkdir(dir, 0700) == 0) {
        if (fs_fsync_dir(rec) < 0)
            return berr_sys(err, "sync %s", rec);
    } else if (errno == ENOENT) {
        return state_err(err, BK_NO_SUCH, "no container with ID %s found in database: no such container",
                         id);
    } else if (errno != EEXIST) {
        return berr_sys(err, "create %s", dir);
    }
    return fs_write_atomic(dir, dep, note, strlen(note), 0600, err);
}

int state_dep_remove(struct state *st, const char *id, const char *dep, struct berr **err)
{
    _cleanup_free_ char *dir = NULL, *path = NULL;

    if (state_check_key(OBJ_CONTAINER, id, err) < 0 ||
        state_check_key(OBJ_CONTAINER, dep, err) < 0)
        return -1;
    dir = deps_dir(st, id);
    path = str_fmt("%s/%s", dir ? dir : "", dep);
    if (!dir || !path)
        return berr_oom(err);
    if (unlink(path) < 0) {
        /* the target removed meanwhile (rm --depend), or a repeat: done */
        if (errno == ENOENT)
            return 0;
        return berr_sys(err, "remove %s", path);
    }
    return fs_fsync_dir(dir) < 0 ? berr_sys(err, "sync %s", dir) : 0;
}

/* A link without a record: its writer still at work (live() says so
 * from its note), or a leftover, dropped. */
static bool pending(DIR *d, const char *dir, const char *name,
                    bool (*live)(const char *note, void *arg), void *arg)
{
    _cleanup_free_ char *path = str_fmt("%s/%s", dir, name), *note = NULL;
    struct berr *e = NULL;
    size_t len;

    if (path && fs_read_file(path, &note, &len, &e) == 0 && live(note, arg))
        return true;
    berr_free(e);
    (void) unlinkat(dirfd(d), name, 0);
    return false;
}

int state_dep_list(struct state *st, const char *id, bool (*live)(const char *note, void *arg),
                   void *arg, char ***out, struct berr **err)
{
    _cleanup_free_ char *dir = NULL;
    _cleanup_strv_ char **v = calloc(1, sizeof(char *));
    DIR *d;
    struct dirent *de;

    if (state_check_key(OBJ_CONTAINER, id, err) < 0)
        return -1;
    dir = deps_dir(st, id);
    if (!dir || !v)
        return berr_oom(err);
    d = opendir(dir);
    if (!d && errno != ENOENT)
        return berr_sys(err, "open %s", dir);
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.' || !state_id_valid(de->d_name))
            continue;           /* dot: a write under way or its leftover */
        if (!state_exists(st, OBJ_CONTAINER, de->d_name) && !pending(d, dir, de->d_name, live, arg))
            continue;
        if (strv_push(&v, de->d_name) < 0) {
            closedir(d);
            return berr_oom(err);
        }
    }
    if (d)
        closedir(d);
    strv_sort(v);
    *out = STEAL_PTR(v);
    return 0;
}
