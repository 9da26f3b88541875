/*
 * state/members.c: the member index of a pod, pods/<id>/members/<ctr-id>:
 * one empty file for each container made in the pod (its infra too), so
 * that pod rm, start, ps and the rest read their members' records only,
 * never every container's.
 *
 * Order, as the dependents index (state/deps.c): a member's entry is
 * made before its record and removed after its record is gone, so every
 * record has its entry. An entry without a record (a create under way,
 * or a leftover of a killed create or rm) is skipped by the reader and
 * goes with the pod. Nothing here is synced: a power loss can take an
 * entry whose record it kept, and the refresh that the next boot runs
 * before any other command adds every member's entry again
 * (runtime/refresh.c). A pod whose members/ is missing (made by an
 * older berth, or a power loss took the directory) has no index: the
 * caller reads every container record, as before it.
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
#include "util/str.h"

static char *members_dir(struct state *st, const char *pod_id)
{
    return str_fmt("%s/%s/members", st->kind_dir[OBJ_POD], pod_id);
}

int state_members_init(struct state *st, const char *pod_id, struct berr **err)
{
    _cleanup_free_ char *dir = NULL;

    if (state_check_key(OBJ_POD, pod_id, err) < 0)
        return -1;
    if (!(dir = members_dir(st, pod_id)))
        return berr_oom(err);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return berr_sys(err, "create %s", dir);
    return 0;
}

int state_member_add(struct state *st, const char *pod_id, const char *ctr_id,
                     struct berr **err)
{
    _cleanup_free_ char *dir = NULL, *path = NULL;
    int fd;

    if (state_check_key(OBJ_POD, pod_id, err) < 0 ||
        state_check_key(OBJ_CONTAINER, ctr_id, err) < 0)
        return -1;
    dir = members_dir(st, pod_id);
    path = dir ? str_fmt("%s/%s", dir, ctr_id) : NULL;
    if (!path)
        return berr_oom(err);
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 && errno == ENOENT) {
        /* no index (an older pod's): its readers read every record */
        return 0;
    }
    if (fd < 0)
        return berr_sys(err, "create %s", path);
    close(fd);
    return 0;
}

void state_member_remove(struct state *st, const char *pod_id, const char *ctr_id)
{
    _cleanup_free_ char *dir = NULL, *path = NULL;
    struct berr *e = NULL;

    if (state_check_key(OBJ_POD, pod_id, &e) < 0 || state_check_key(OBJ_CONTAINER, ctr_id, &e) < 0) {
        berr_free(e);
        return;
    }
    dir = members_dir(st, pod_id);
    path = dir ? str_fmt("%s/%s", dir, ctr_id) : NULL;
    if (path)
        (void) unlink(path);
}

int state_members_list(struct state *st, const char *pod_id, char ***out, struct berr **err)
{
    _cleanup_free_ char *dir = NULL;
    _cleanup_strv_ char **v = calloc(1, sizeof(char *));
    DIR *d;
    struct dirent *de;

    *out = NULL;
    if (state_check_key(OBJ_POD, pod_id, err) < 0)
        return -1;
    dir = members_dir(st, pod_id);
    if (!dir || !v)
        return berr_oom(err);
    d = opendir(dir);
    if (!d && errno == ENOENT)
        return 1;
    if (!d)
        return berr_sys(err, "open %s", dir);
    while ((de = readdir(d))) {
        if (!state_id_valid(de->d_name))
            continue;
        if (strv_push(&v, de->d_name) < 0) {
            closedir(d);
            return berr_oom(err);
        }
    }
    closedir(d);
    *out = STEAL_PTR(v);
    return 0;
}
