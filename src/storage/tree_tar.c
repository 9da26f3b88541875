/*
 * storage/tree_tar.c: a directory tree as a tar stream and back (volume
 * export and import). Entries are named relative to the tree ("sub/f",
 * no "./" and no entry for the top), as podman's volume export writes
 * them; hard links are written once and then as links; the stream is
 * not padded past its end blocks. Reading back is unpack_tar()'s: no
 * entry ever lands outside the directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/lazylib.h"
#include "util/str.h"

struct seen {
    dev_t dev;
    ino_t ino;
    char *name;
};

struct tarw {
    struct archive *w;
    struct seen *links;
    size_t n, cap;
};

static int write_data(struct tarw *t, int fd, const char *name, struct berr **err)
{
    char buf[1 << 16];
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) > 0)
        if (archive_write_data(t->w, buf, (size_t) n) < 0)
            return berr_msg(err, "write %s: %s", name, archive_error_string(t->w));
    return n < 0 ? berr_sys(err, "read %s", name) : 0;
}

/* The first name a multiply linked inode was written under, or NULL
 * (then it is remembered under name). */
static const char *link_of(struct tarw *t, const struct stat *st, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->links[i].dev == st->st_dev && t->links[i].ino == st->st_ino)
            return t->links[i].name;
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 16;
        struct seen *nl = realloc(t->links, nc * sizeof(*nl));
        if (!nl)
            return NULL;
        t->links = nl;
        t->cap = nc;
    }
    t->links[t->n++] = (struct seen) { st->st_dev, st->st_ino, str_dup(name) };
    return NULL;
}

static int tar_dir(struct tarw *t, int dfd, const char *prefix, struct berr **err);

static int tar_entry(struct tarw *t, int dfd, const char *base, const char *name,
                     struct berr **err)
{
    struct archive_entry *e;
    struct stat st;
    const char *first = NULL;
    _cleanup_close_ int fd = -1;
    int r;

    if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return berr_sys(err, "stat %s", name);
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1)
        first = link_of(t, &st, name);
    if (S_ISREG(st.st_mode) && !first) {
        fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return berr_sys(err, "open %s", name);
    }
    if (!(e = archive_entry_new()))
        return berr_oom(err);
    archive_entry_copy_stat(e, &st);
    if (S_ISDIR(st.st_mode)) {
        _cleanup_free_ char *d = str_fmt("%s/", name);
        if (!d) {
            archive_entry_free(e);
            return berr_oom(err);
        }
        archive_entry_set_pathname(e, d);
    } else {
        archive_entry_set_pathname(e, name);
    }
    if (first) {
        archive_entry_set_hardlink(e, first);
        archive_entry_set_size(e, 0);
    } else if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX + 1];
        ssize_t n = readlinkat(dfd, base, target, PATH_MAX);
        if (n < 0) {
            archive_entry_free(e);
            return berr_sys(err, "readlink %s", name);
        }
        target[n] = '\0';
        archive_entry_set_symlink(e, target);
    } else if (!S_ISREG(st.st_mode)) {
        archive_entry_set_size(e, 0);
    }
    r = archive_write_header(t->w, e);
    archive_entry_free(e);
    if (r < ARCHIVE_WARN)
        return berr_msg(err, "write %s: %s", name, archive_error_string(t->w));
    if (fd >= 0 && write_data(t, fd, name, err) < 0)
        return -1;
    if (S_ISDIR(st.st_mode)) {
        _cleanup_close_ int sub = openat(dfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                         O_CLOEXEC);
        if (sub < 0)
            return berr_sys(err, "open %s", name);
        return tar_dir(t, sub, name, err);
    }
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The entries of directory dfd, sorted (a stable archive for one tree). */
static int tar_dir(struct tarw *t, int dfd, const char *prefix, struct berr **err)
{
    DIR *d = fs_opendir_fd(dfd);
    _cleanup_strv_ strv names = NULL;
    struct dirent *de;

    if (!d)
        return berr_sys(err, "read %s", *prefix ? prefix : ".");
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
            strv_push(&names, de->d_name) < 0) {
            closedir(d);
            return berr_oom(err);
        }
    closedir(d);
    if (names)
        qsort(names, strv_len(names), sizeof(char *), cmp_name);
    for (size_t i = 0; names && names[i]; i++) {
        _cleanup_free_ char *name = *prefix ? str_fmt("%s/%s", prefix, names[i])
                                            : str_dup(names[i]);
        if (!name)
            return berr_oom(err);
        if (tar_entry(t, dfd, names[i], name, err) < 0)
            return -1;
    }
    return 0;
}

int store_tar_tree(const char *dir, int out_fd, struct berr **err)
{
    _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct tarw t = { 0 };
    int rc;

    if (dfd < 0)
        return berr_sys(err, "open %s", dir);
    if (!(t.w = archive_write_new()))
        return berr_oom(err);
    archive_write_set_format_pax_restricted(t.w);
    archive_write_set_bytes_in_last_block(t.w, 1);
    if (archive_write_open_fd(t.w, out_fd) != ARCHIVE_OK) {
        rc = berr_msg(err, "write archive: %s", archive_error_string(t.w));
        archive_write_free(t.w);
        return rc;
    }
    rc = tar_dir(&t, dfd, "", err);
    if (rc == 0 && archive_write_close(t.w) != ARCHIVE_OK)
        rc = berr_msg(err, "write archive: %s", archive_error_string(t.w));
    archive_write_free(t.w);
    for (size_t i = 0; i < t.n; i++)
        free(t.links[i].name);
    free(t.links);
    return rc;
}

int store_untar_tree(const char *tar_path, const char *dir, struct berr **err)
{
    return unpack_tar(tar_path, dir, UNPACK_TREE, err);
}
