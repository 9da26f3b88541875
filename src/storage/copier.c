/*
 * storage/copier.c: trees to tar streams (tarw_*) and tar streams to
 * trees (store_copy_put, over unpack.c), for cp and export (store.h).
 *
 * The writer walks through fds only: each entry is looked at with
 * fstatat(AT_SYMLINK_NOFOLLOW) in its parent's fd and opened with
 * O_NOFOLLOW, and what was opened is checked to be what was looked at,
 * so a tree that changes under the walk (a running container's) can make
 * it fail but never lead it through a symlink. Entries come in name
 * order, so the same tree gives the same archive.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/lazylib.h"
#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/str.h"

struct hlink {
    dev_t dev;
    ino_t ino;
    char *name;
};

/* The host's name of a uid or gid, as podman's tar writer (Go's
 * archive/tar) puts in each header: looked up once per id. */
struct idname {
    unsigned id;
    bool used;
    char name[64];              /* "" when the host has no such id */
};
#define IDNAME_CACHE 8

struct tar_writer {
    struct archive *a;
    struct archive_entry *e;
    struct hlink *links;
    size_t nlinks, caplinks;
    struct idname users[IDNAME_CACHE], groups[IDNAME_CACHE];
    unsigned nusers, ngroups;   /* next slot to replace */
};

static const char *id_name(struct idname *cache, unsigned *next, unsigned id, bool group)
{
    for (size_t i = 0; i < IDNAME_CACHE; i++)
        if (cache[i].used && cache[i].id == id)
            return cache[i].name;

    struct idname *slot = &cache[*next % IDNAME_CACHE];
    char buf[4096];

    (*next)++;
    slot->used = true;
    slot->id = id;
    slot->name[0] = '\0';
    if (group) {
        struct group g, *gp = NULL;
        if (getgrgid_r(id, &g, buf, sizeof(buf), &gp) == 0 && gp)
            snprintf(slot->name, sizeof(slot->name), "%s", gp->gr_name);
    } else {
        struct passwd pw, *pp = NULL;
        if (getpwuid_r(id, &pw, buf, sizeof(buf), &pp) == 0 && pp)
            snprintf(slot->name, sizeof(slot->name), "%s", pp->pw_name);
    }
    return slot->name;
}

int store_copy_put(int fd, int dirfd, const struct copy_put_opts *o, struct berr **err)
{
    return unpack_copy(fd, dirfd, o, err);
}

int tarw_open(int fd, struct tar_writer **out, struct berr **err)
{
    struct tar_writer *w = calloc(1, sizeof(*w));

    if (!w || !(w->a = archive_write_new()) || !(w->e = archive_entry_new())) {
        if (w && w->a)
            archive_write_free(w->a);
        free(w);
        return berr_oom(err);
    }
    archive_write_set_format_pax_restricted(w->a);
    archive_write_set_bytes_in_last_block(w->a, 1);
    if (archive_write_open_fd(w->a, fd) != ARCHIVE_OK) {
        berr_msg(err, "write archive: %s", archive_error_string(w->a));
        archive_entry_free(w->e);
        archive_write_free(w->a);
        free(w);
        return -1;
    }
    *out = w;
    return 0;
}

static void tarw_free(struct tar_writer *w)
{
    for (size_t i = 0; i < w->nlinks; i++)
        free(w->links[i].name);
    free(w->links);
    archive_entry_free(w->e);
    archive_write_free(w->a);
    free(w);
}

int tarw_close(struct tar_writer *w, struct berr **err)
{
    int r = 0;

    if (archive_write_close(w->a) != ARCHIVE_OK)
        r = berr_msg(err, "write archive: %s", archive_error_string(w->a));
    tarw_free(w);
    return r;
}

/* The name a regular file with several links was first written as, or
 * NULL (and it is remembered now). */
static const char *hardlink_of(struct tar_writer *w, const struct stat *st, const char *name)
{
    if (st->st_nlink < 2)
        return NULL;
    for (size_t i = 0; i < w->nlinks; i++)
        if (w->links[i].dev == st->st_dev && w->links[i].ino == st->st_ino)
            return w->links[i].name;
    if (w->nlinks == w->caplinks) {
        size_t n = w->caplinks ? 2 * w->caplinks : 16;
        struct hlink *nl = realloc(w->links, n * sizeof(*nl));
        if (!nl)
            return NULL;
        w->links = nl;
        w->caplinks = n;
    }
    if ((w->links[w->nlinks].name = str_dup(name))) {
        w->links[w->nlinks].dev = st->st_dev;
        w->links[w->nlinks].ino = st->st_ino;
        w->nlinks++;
    }
    return NULL;
}

/* One header (and a regular file's data from datafd). */
static int put_entry(struct tar_writer *w, const char *name, const struct stat *st,
                     const char *symlink, const char *hardlink, int datafd, struct berr **err)
{
    struct archive_entry *e = w->e;
    mode_t t = st->st_mode & S_IFMT;

    archive_entry_clear(e);
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, t == S_IFDIR ? AE_IFDIR : t == S_IFLNK ? AE_IFLNK :
                                  t == S_IFCHR ? AE_IFCHR : t == S_IFBLK ? AE_IFBLK :
                                  t == S_IFIFO ? AE_IFIFO : AE_IFREG);
    archive_entry_set_perm(e, st->st_mode & 07777);
    archive_entry_set_uid(e, st->st_uid);
    archive_entry_set_gid(e, st->st_gid);
    const char *un = id_name(w->users, &w->nusers, st->st_uid, false);
    const char *gn = id_name(w->groups, &w->ngroups, st->st_gid, true);
    if (*un)
        archive_entry_set_uname(e, un);
    if (*gn)
        archive_entry_set_gname(e, gn);
    archive_entry_set_mtime(e, st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
    if (symlink)
        archive_entry_set_symlink(e, symlink);
    if (hardlink) {
        archive_entry_set_hardlink(e, hardlink);
        archive_entry_set_size(e, 0);
    } else if (t == S_IFREG) {
        archive_entry_set_size(e, st->st_size);
    }
    if (t == S_IFCHR || t == S_IFBLK) {
        archive_entry_set_rdevmajor(e, major(st->st_rdev));
        archive_entry_set_rdevminor(e, minor(st->st_rdev));
    }
    if (archive_write_header(w->a, e) < ARCHIVE_WARN)
        return berr_msg(err, "write archive entry \"%s\": %s", name, archive_error_string(w->a));
    if (datafd >= 0 && !hardlink) {
        char buf[65536];
        off_t left = st->st_size;
        while (left > 0) {
            ssize_t n = read(datafd, buf, sizeof(buf));
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return berr_sys(err, "read \"%s\"", name);
            if (n == 0)
                break;      /* shrank while read: the header's size pads it */
            if (n > left)
                n = (ssize_t) left;
            if (archive_write_data(w->a, buf, (size_t) n) < 0)
                return berr_msg(err, "write archive: %s", archive_error_string(w->a));
            left -= n;
        }
    }
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The names in directory fd, sorted. */
static int dir_names(int fd, strv *out, struct berr **err)
{
    int dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    DIR *d = dup < 0 ? NULL : fdopendir(dup);
    _cleanup_strv_ strv v = calloc(1, sizeof(char *));
    struct dirent *de;

    if (!d) {
        if (dup >= 0)
            close(dup);
        return berr_sys(err, "read directory");
    }
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && (!v || strv_push(&v, de->d_name) < 0)) {
            closedir(d);
            return berr_oom(err);
        }
    closedir(d);
    if (!v)
        return berr_oom(err);
    qsort(v, strv_len(v), sizeof(char *), name_cmp);
    *out = STEAL_PTR(v);
    return 0;
}

static int add_at(struct tar_writer *w, int dirfd, const char *base, const char *name,
                  bool deep, struct berr **err);

static int add_dir(struct tar_writer *w, int fd, const char *name, struct berr **err)
{
    _cleanup_strv_ strv names = NULL;

    if (dir_names(fd, &names, err) < 0)
        return berr_wrap(err, "\"%s\"", *name ? name : ".");
    for (size_t i = 0; names[i]; i++) {
        _cleanup_free_ char *child = *name ? str_fmt("%s/%s", name, names[i]) : str_dup(names[i]);
        if (!child)
            return berr_oom(err);
        if (add_at(w, fd, names[i], child, true, err) < 0)
            return -1;
    }
    return 0;
}

/* Opens what (dirfd, base) named as a regular file or a directory and
 * checks it is the inode looked at; base "" is dirfd itself (any fd). */
static int reopen(int dirfd, const char *base, const struct stat *st, int flags,
                  struct berr **err)
{
    char self[64];
    struct stat now;
    int fd;

    if (*base) {
        fd = openat(dirfd, base, flags | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    } else {
        /* our own fd's magic link: the very inode, whatever its path now */
        snprintf(self, sizeof(self), "/proc/self/fd/%d", dirfd);
        fd = open(self, flags | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    }
    if (fd < 0)
        return berr_sys(err, "open \"%s\"", base);
    if (fstat(fd, &now) < 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
        close(fd);
        return berr_new(err, BERR_ENGINE, EAGAIN, "\"%s\" changed while it was read", base);
    }
    return fd;
}

static int add_at(struct tar_writer *w, int dirfd, const char *base, const char *name,
                  bool deep, struct berr **err)
{
    int flags = *base ? AT_SYMLINK_NOFOLLOW : AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;
    _cleanup_close_ int fd = -1;
    struct stat st;

    if (fstatat(dirfd, base, &st, flags) < 0)
        return berr_sys(err, "stat \"%s\"", *name ? name : ".");
    switch (st.st_mode & S_IFMT) {
    case S_IFDIR:
        if ((fd = reopen(dirfd, base, &st, O_RDONLY | O_DIRECTORY, err)) < 0)
            return -1;
        if (*name && put_entry(w, name, &st, NULL, NULL, -1, err) < 0)
            return -1;
        return deep ? add_dir(w, fd, name, err) : 0;
    case S_IFREG: {
        const char *hl = hardlink_of(w, &st, name);
        if (!hl && (fd = reopen(dirfd, base, &st, O_RDONLY, err)) < 0)
            return -1;
        return put_entry(w, name, &st, NULL, hl, fd, err);
    }
    case S_IFLNK: {
        char target[PATH_MAX + 1];
        ssize_t n = readlinkat(dirfd, base, target, PATH_MAX);
        if (n < 0)
            return berr_sys(err, "read link \"%s\"", name);
        target[n] = '\0';
        return put_entry(w, name, &st, target, NULL, -1, err);
    }
    case S_IFCHR: case S_IFBLK: case S_IFIFO:
        return put_entry(w, name, &st, NULL, NULL, -1, err);
    default:
        return 0;       /* sockets are not content */
    }
}

int tarw_add(struct tar_writer *w, int fd, const char *name, struct berr **err)
{
    return add_at(w, fd, "", name, true, err);
}

int tarw_add_one(struct tar_writer *w, int rootfd, const char *path, const char *name,
                 struct berr **err)
{
    _cleanup_free_ char *dir = str_dup(path);
    _cleanup_close_ int dfd = -1;
    char *slash;

    if (!dir)
        return berr_oom(err);
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    dfd = slash && *dir ? unpack_open_in_root(rootfd, dir, O_PATH | O_DIRECTORY, err)
                        : fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
    if (dfd < 0)
        return slash && *dir ? -1 : berr_sys(err, "open \"%s\"", path);
    return add_at(w, dfd, slash ? slash + 1 : dir, name, false, err);
}

int tarw_add_whiteout(struct tar_writer *w, const char *name, struct berr **err)
{
    struct stat st = { .st_mode = S_IFREG };

    return put_entry(w, name, &st, NULL, NULL, -1, err);
}
