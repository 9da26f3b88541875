/*
 * storage/treediff.c: what a container changed, by comparing its root
 * file system with its image's tree (store.h, store_tree_changes). One
 * comparison for both drivers: an overlay's merged view shows its upper
 * dir's attributes, a vfs copy its own.
 *
 * The rules are containers/storage's: a name only in the container is
 * added (and everything under it), only in the image deleted (not what
 * is under it), in both changed when its kind, mode, owner, size, mtime,
 * device or link target differ (a directory: kind, mode, owner, mtime);
 * the parent of an added or deleted name is changed. Both trees are
 * walked through fds without following a symlink.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/store.h"
#include "util/cleanup.h"
#include "util/str.h"

struct changes {
    struct store_change *v;
    size_t n, cap;
};

static int push(struct changes *c, const char *path, char kind)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        struct store_change *v = realloc(c->v, cap * sizeof(*v));
        if (!v)
            return -1;
        c->v = v;
        c->cap = cap;
    }
    if (!(c->v[c->n].path = str_dup(path)))
        return -1;
    c->v[c->n++].kind = kind;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The names in directory fd (-1: none), sorted. */
static int names_of(int fd, strv *out, struct berr **err)
{
    _cleanup_strv_ strv v = calloc(1, sizeof(char *));
    int dup = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 3);
    DIR *d = dup < 0 ? NULL : fdopendir(dup);
    struct dirent *de;

    if (!v) {
        if (d)
            closedir(d);
        return berr_oom(err);
    }
    if (fd >= 0 && !d) {
        if (dup >= 0)
            close(dup);
        return berr_sys(err, "read directory");
    }
    while (d && (de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strv_push(&v, de->d_name) < 0) {
            closedir(d);
            return berr_oom(err);
        }
    if (d)
        closedir(d);
    qsort(v, strv_len(v), sizeof(char *), by_name);
    *out = STEAL_PTR(v);
    return 0;
}

static bool same_link(int lfd, int ufd, const char *name)
{
    char a[PATH_MAX + 1], b[PATH_MAX + 1];
    ssize_t na = readlinkat(lfd, name, a, PATH_MAX), nb = readlinkat(ufd, name, b, PATH_MAX);

    return na >= 0 && na == nb && !memcmp(a, b, (size_t) na);
}

static bool differs(const struct stat *l, const struct stat *u, int lfd, int ufd,
                    const char *name)
{
    if ((l->st_mode & S_IFMT) != (u->st_mode & S_IFMT) || l->st_mode != u->st_mode ||
        l->st_uid != u->st_uid || l->st_gid != u->st_gid ||
        l->st_mtim.tv_sec != u->st_mtim.tv_sec || l->st_mtim.tv_nsec != u->st_mtim.tv_nsec)
        return true;
    if (S_ISDIR(u->st_mode))
        return false;
    if (l->st_size != u->st_size || l->st_rdev != u->st_rdev)
        return true;
    return S_ISLNK(u->st_mode) && !same_link(lfd, ufd, name);
}

/* *marked: dir itself is already listed (added or changed) */
static int added_or_deleted(struct changes *c, const char *dir, bool *marked, const char *path,
                            char kind)
{
    /* the parent counts as changed ("/" is not listed) */
    if (!*marked && strcmp(dir, "/") && push(c, dir, 'C') < 0)
        return -1;
    *marked = true;
    return push(c, path, kind);
}

/* Compares directory ufd (the container's, at dir) with lfd (the
 * image's; -1: nothing there). */
static int walk(struct changes *c, int lfd, int ufd, const char *dir, bool marked,
                struct berr **err)
{
    _cleanup_strv_ strv ln = NULL, un = NULL;
    size_t i = 0, j = 0;

    if (names_of(lfd, &ln, err) < 0 || names_of(ufd, &un, err) < 0)
        return berr_wrap(err, "\"%s\"", dir);
    while (ln[i] || un[j]) {
        int cmp = !ln[i] ? 1 : !un[j] ? -1 : strcmp(ln[i], un[j]);
        const char *name = cmp < 0 ? ln[i] : un[j];
        _cleanup_free_ char *path = str_fmt("%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name);
        struct stat ls, us;
        bool recurse = false, listed = true;
        _cleanup_close_ int lsub = -1, usub = -1;

        if (!path)
            return berr_oom(err);
        if (cmp < 0) {              /* only in the image */
            i++;
            if (added_or_deleted(c, dir, &marked, path, 'D') < 0)
                return berr_oom(err);
            continue;
        }
        j++;
        if (cmp == 0)
            i++;
        if (fstatat(ufd, name, &us, AT_SYMLINK_NOFOLLOW) < 0)
            return berr_sys(err, "stat \"%s\"", path);
        if (cmp > 0 || fstatat(lfd, name, &ls, AT_SYMLINK_NOFOLLOW) < 0) {
            if (added_or_deleted(c, dir, &marked, path, 'A') < 0)
                return berr_oom(err);
            recurse = S_ISDIR(us.st_mode);
        } else {
            listed = differs(&ls, &us, lfd, ufd, name);
            if (listed && push(c, path, 'C') < 0)
                return berr_oom(err);
            recurse = S_ISDIR(us.st_mode);
            if (recurse && S_ISDIR(ls.st_mode) &&
                (lsub = openat(lfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                return berr_sys(err, "open \"%s\" in the image", path);
        }
        if (recurse) {
            if ((usub = openat(ufd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                return berr_sys(err, "open \"%s\"", path);
            if (walk(c, lsub, usub, path, listed, err) < 0)
                return -1;
        }
    }
    return 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct store_change *) a)->path, ((const struct store_change *) b)->path);
}

int store_tree_changes(int lowerfd, int upperfd, struct store_change **out, size_t *n,
                       struct berr **err)
{
    struct changes c = { 0 };

    if (walk(&c, lowerfd, upperfd, "/", true, err) < 0) {
        store_changes_free(c.v, c.n);
        return -1;
    }
    if (c.n)
        qsort(c.v, c.n, sizeof(*c.v), by_path);
    *out = c.v;
    *n = c.n;
    return 0;
}

void store_changes_free(struct store_change *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].path);
    free(v);
}
