/*
 * util/fs.c: file helpers.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

int fs_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

ssize_t fs_read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return -1;
    while ((n = read(fd, buf, size - 1)) < 0 && errno == EINTR)
        ;
    close(fd);
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

int fs_read_fd(int fd, char **out, size_t *len)
{
    return fs_read_fd_max(fd, SIZE_MAX - 1, out, len);
}

int fs_read_fd_max(int fd, size_t max, char **out, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);

    if (!buf)
        return -1;
    for (;;) {
        ssize_t r;
        if (cap - n < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
        r = read(fd, buf + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            free(buf);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t) r;
        if (n > max) {
            free(buf);
            errno = EFBIG;
            return -1;
        }
    }
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return 0;
}

int fs_read_file(const char *path, char **out, size_t *len, struct berr **err)
{
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return berr_sys(err, "open %s", path);
    if (fs_read_fd(fd, out, len) < 0)
        return berr_sys(err, "read %s", path);
    return 0;
}

int fs_fsync_dir(const char *dir)
{
    _cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) < 0)
        return -1;
    return 0;
}

/* rename(tmp, dst) for a write that is not synced. A rename over an
 * existing file makes ext4 (auto_da_alloc) allocate the new file's blocks
 * and start writing them at once, and the replaced file's blocks, freed,
 * are discarded on a disk mounted with discard: ~0.2 ms a write on this
 * project's machines, for a record rewritten many times a second. An
 * exchange does neither while the content is young: the old content,
 * now under tmp's name, is unlinked after (a reader that opened it reads
 * it whole; a kill in between leaves a ".name.XXXXXX" that readers skip,
 * as a kill before the rename does). A first write, or a file system
 * without exchange, renames. */
static int replace_by_exchange(const char *tmp, const char *dst)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dst, RENAME_EXCHANGE) == 0) {
        (void) unlink(tmp);
        return 0;
    }
    if (errno != ENOENT && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return -1;
    return rename(tmp, dst);
}

/* Writes name in dir through a temp file renamed over it; durable adds
 * the fsyncs of the file (before the rename) and of the dir (after). */
static int write_via_tmp(const char *dir, const char *name, const void *buf, size_t len,
                         mode_t mode, bool durable, struct berr **err)
{
    _cleanup_free_ char *tmp = str_fmt("%s/.%s.XXXXXX", dir, name);
    _cleanup_free_ char *dst = str_fmt("%s/%s", dir, name);
    _cleanup_close_ int fd = -1;

    if (!tmp || !dst)
        return berr_oom(err);
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return berr_sys(err, "create temporary file in %s", dir);
    if (fchmod(fd, mode) < 0 || fs_write_all(fd, buf, len) < 0 || (durable && fsync(fd) < 0) ||
        (durable ? rename(tmp, dst) : replace_by_exchange(tmp, dst)) < 0) {
        berr_sys(err, "write %s", dst);
        (void) unlink(tmp);
        return -1;
    }
    /* The rename lives in the directory: without this fsync a crash can
     * bring back the old record. Readers skip ".*" leftovers. */
    if (durable && fs_fsync_dir(dir) < 0)
        return berr_sys(err, "sync %s", dir);
    return 0;
}

int fs_write_atomic(const char *dir, const char *name, const void *buf, size_t len,
                    mode_t mode, struct berr **err)
{
    return write_via_tmp(dir, name, buf, len, mode, true, err);
}

int fs_write_new(const char *dir, const char *name, const void *buf, size_t len, mode_t mode,
                 bool sync, struct berr **err)
{
    _cleanup_free_ char *dst = str_fmt("%s/%s", dir, name);
    _cleanup_close_ int fd = -1;

    if (!dst)
        return berr_oom(err);
    fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return berr_sys(err, "create %s", dst);
    /* the mode exactly, whatever the umask (as mkostemp + fchmod give) */
    if (fchmod(fd, mode) < 0 || fs_write_all(fd, buf, len) < 0 || (sync && fsync(fd) < 0))
        return berr_sys(err, "write %s", dst);
    return 0;
}

int fs_write_replace(const char *dir, const char *name, const void *buf, size_t len,
                     mode_t mode, struct berr **err)
{
    return write_via_tmp(dir, name, buf, len, mode, false, err);
}

/* mkdir p, its missing parents first: from the bottom up, so that a
 * new dir in an existing one (a container's, at every create and
 * start) is one mkdir, not one per component from the root. */
static int mkdir_up(char *p, mode_t mode, struct berr **err)
{
    char *slash;
    int r;

    if (mkdir(p, mode) == 0 || errno == EEXIST)
        return 0;
    /* ENOTDIR too: the error then names the component that is no dir */
    if ((errno != ENOENT && errno != ENOTDIR) || !(slash = strrchr(p, '/')) || slash == p)
        return berr_sys(err, "create directory %s", p);
    *slash = '\0';
    r = mkdir_up(p, mode, err);
    *slash = '/';
    if (r < 0)
        return -1;
    if (mkdir(p, mode) < 0 && errno != EEXIST)
        return berr_sys(err, "create directory %s", p);
    return 0;
}

int fs_mkdir_p(const char *path, mode_t mode, struct berr **err)
{
    _cleanup_free_ char *p = NULL;

    /* The common case, on every command: it is there already. One stat
     * instead of a mkdir for each component. */
    if (fs_is_dir(path))
        return 0;
    if (!(p = str_dup(path)))
        return berr_oom(err);
    if (mkdir_up(p, mode, err) < 0)
        return -1;
    if (!fs_is_dir(path))
        return berr_new(err, BERR_ENGINE, ENOTDIR, "create directory %s", path);
    return 0;
}

void fs_spread_subdirs(const char *dir)
{
    _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int flags = 0;

    if (fd >= 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && !(flags & FS_TOPDIR_FL)) {
        flags |= FS_TOPDIR_FL;
        (void) ioctl(fd, FS_IOC_SETFLAGS, &flags);
    }
}

int fs_mkdir_spread(const char *path, mode_t mode, struct berr **err)
{
    if (fs_is_dir(path))
        return 0;
    if (fs_mkdir_p(path, mode, err) < 0)
        return -1;
    fs_spread_subdirs(path);
    return 0;
}

static bool mount_root(const struct statx *sx)
{
    return (sx->stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
           (sx->stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

bool fs_fd_other_mount(int fd, dev_t dev)
{
    struct statx sx;

    if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, &sx) < 0)
        return true;        /* unknown: not to be walked into */
    return mount_root(&sx) || (dev && makedev(sx.stx_dev_major, sx.stx_dev_minor) != dev);
}

bool fs_is_mount_root(const char *path)
{
    struct statx sx;

    return statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &sx) == 0 && mount_root(&sx);
}

static int rm_rf_at(int dfd, const char *name, dev_t dev, bool top, struct berr **err)
{
    struct statx sx;

    if (statx(dfd, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &sx) < 0)
        return errno == ENOENT ? 0 : berr_sys(err, "stat %s", name);
    if (S_ISDIR(sx.stx_mode)) {
        _cleanup_close_ int fd = -1;
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;

        fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return berr_sys(err, "open %s", name);
        /* never into another mount below the dir asked for: a bind
         * mount of this file system shares its device number, and
         * removing through it would remove its source. Judged on what
         * was opened, so a mount made since the statx is not walked. */
        if (!top && fs_fd_other_mount(fd, dev))
            return berr_new(err, BERR_ENGINE, EBUSY, "remove %s: a mount point", name);
        d = fdopendir(fd);
        if (!d)
            return berr_sys(err, "open %s", name);
        fd = -1;
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            if (rm_rf_at(dirfd(d), de->d_name, dev, false, err) < 0)
                return berr_wrap(err, "%s", name);
        }
        if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
            return berr_sys(err, "remove %s", name);
        return 0;
    }
    if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
        return berr_sys(err, "remove %s", name);
    return 0;
}

int fs_rm_rf(const char *path, struct berr **err)
{
    struct stat st;

    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : berr_sys(err, "stat %s", path);
    return rm_rf_at(AT_FDCWD, path, st.st_dev, true, err);
}

bool fs_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

bool fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *fs_dirname(const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s)
        return str_dup(".");
    if (s == path)
        return str_dup("/");
    return str_ndup(path, (size_t) (s - path));
}

char *fs_join(const char *a, const char *b)
{
    size_t n = strlen(a);
    while (*b == '/')
        b++;
    if (n && a[n - 1] == '/')
        return str_fmt("%s%s", a, b);
    return str_fmt("%s/%s", a, b);
}

char *fs_clean(const char *path)
{
    _cleanup_strv_ strv parts = strv_split(path, "/");
    strv out = NULL;
    bool abs = path[0] == '/';
    struct sbuf b = SBUF_INIT;
    size_t n = 0;

    if (!parts)
        return NULL;
    out = calloc(strv_len(parts) + 1, sizeof(char *));
    if (!out)
        return NULL;
    for (size_t i = 0; parts[i]; i++) {
        if (!strcmp(parts[i], "."))
            continue;
        if (!strcmp(parts[i], "..")) {
            if (n && strcmp(out[n - 1], ".."))
                n--;
            else if (!abs)
                out[n++] = parts[i];
            continue;
        }
        out[n++] = parts[i];
    }
    if (abs)
        sbuf_addc(&b, '/');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_addc(&b, '/');
        sbuf_add(&b, out[i]);
    }
    free(out);
    if (!abs && n == 0)
        sbuf_addc(&b, '.');
    return sbuf_steal(&b);
}

char *fs_which(const char *name)
{
    const char *path = getenv("PATH");
    _cleanup_strv_ strv dirs = NULL;

    if (strchr(name, '/'))
        return access(name, X_OK) == 0 ? str_dup(name) : NULL;
    if (!path)
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    dirs = strv_split(path, ":");
    for (size_t i = 0; dirs && dirs[i]; i++) {
        char *p = fs_join(dirs[i], name);
        struct stat st;
        if (p && stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0)
            return p;
        free(p);
    }
    return NULL;
}

DIR *fs_opendir_fd(int dfd)
{
    int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
    DIR *d = fd < 0 ? NULL : fdopendir(fd);

    if (!d) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        errno = e;
        return NULL;
    }
    rewinddir(d);
    return d;
}

static int openat2_works = -1;

/* Without openat2: component by component, refusing any symlink on the
 * way, the last one included (EXDEV, so callers can say why). */
static int walk_in_root(int rootfd, const char *path, int flags)
{
    _cleanup_free_ char *abs = str_fmt("/%s", path);
    _cleanup_free_ char *clean = abs ? fs_clean(abs) : NULL;
    _cleanup_close_ int cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
    char *save = NULL, *comp;

    if (!clean || cur < 0) {
        if (!clean)
            errno = ENOMEM;
        return -1;
    }
    if (!clean[1])
        return openat(rootfd, ".", flags | O_CLOEXEC);
    /* clean: absolute, no "." or "..": ".." at the top is clamped */
    comp = strtok_r(clean + 1, "/", &save);
    while (comp) {
        char *next = strtok_r(NULL, "/", &save);
        int fd = openat(cur, comp, (next ? O_PATH | O_DIRECTORY : flags) | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            if (errno == ELOOP || (errno == ENOTDIR && next))
                errno = EXDEV;
            return -1;
        }
        close(cur);
        cur = fd;
        comp = next;
    }
    return STEAL_FD(cur);
}

int fs_open_in_root(int rootfd, const char *path, int flags)
{
    if (!*path || !strcmp(path, "."))
        return openat(rootfd, ".", flags | O_CLOEXEC);
    if (openat2_works != 0) {
        struct open_how how = {
            .flags = (uint64_t) (flags | O_CLOEXEC),
            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
        if (fd >= 0) {
            openat2_works = 1;
            return (int) fd;
        }
        if (errno != ENOSYS)
            return -1;
        openat2_works = 0;
    }
    return walk_in_root(rootfd, path, flags);
}

bool fs_stat_ours(const struct stat *st, mode_t type, mode_t deny)
{
    return (st->st_mode & S_IFMT) == type && st->st_uid == geteuid() && !(st->st_mode & deny);
}

int fs_read_trusted(const char *path, char **out, size_t *len)
{
    /* O_NONBLOCK: a FIFO there must not hang the open (no effect on the
     * regular file it has to be) */
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    struct stat sb;

    if (fd < 0)
        return errno == ELOOP ? -1 : 0;
    if (fstat(fd, &sb) < 0 || !fs_stat_ours(&sb, S_IFREG, 022))
        return -1;
    return fs_read_fd(fd, out, len) < 0 ? 0 : 1;
}
