/*
 * storage/unpack.c: tar layers into a directory, never outside it.
 *
 * Every name is cleaned lexically ("/", "./" and ".." clamped at the
 * root, as docker does), then its parent is opened inside the root with
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): a symlinked parent,
 * however it points, resolves inside the root. The last component is
 * created relative to that parent fd and never followed (O_NOFOLLOW,
 * O_EXCL, *at calls with AT_SYMLINK_NOFOLLOW); whatever stood there is
 * removed first. Hardlink targets resolve inside the root too, so a link
 * to /etc/shadow links to <root>/etc/shadow or fails. Without openat2
 * (kernels before 5.6) the walk is done by hand and a symlink in a parent
 * is refused with a clear error instead of being followed.
 *
 * Whiteouts (OCI): ".wh.NAME" deletes NAME of the layers below;
 * ".wh..wh..opq" hides everything below in its dir. overlay: they become
 * a 0:0 character device and trusted.overlay.opaque=y; vfs: the tree
 * already holds the layers below, so whiteouts are applied as deletions
 * in a first pass over the archive, and the second pass writes the rest.
 * trusted.overlay.* xattrs from the archive are never applied: they would
 * let a layer redirect overlay lookups.
 *
 * UNPACK_PLAIN stages an archive to be read (load): no whiteouts, no
 * owners, modes or xattrs of the archive (files 0600, dirs 0700), and no
 * device or FIFO is made: a mode-0 FIFO stands in for each (load.c reads
 * only regular files, and tells types before it opens anything).
 * UNPACK_TREE (volume import): no whiteouts; everything else as a layer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "util/lazylib.h"
#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/str.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

struct dirtime {
    char *path;
    struct timespec mtime;
};

struct unpacker {
    int rootfd;
    enum unpack_mode mode;
    int src_fd;                 /* the archive when read from an fd, else -1 */
    const struct copy_put_opts *copy;  /* UNPACK_COPY's options */
    int pass;                   /* vfs: 1 = whiteouts, 2 = the rest */
    const char *src;            /* for messages */
    struct dirtime *dirs;
    size_t ndirs, capdirs;
    char *cache_path;           /* last parent opened, and its fd */
    int cache_fd;
};

int unpack_open_in_root(int rootfd, const char *path, int flags, struct berr **err)
{
    int fd = fs_open_in_root(rootfd, path, flags);

    if (fd >= 0)
        return fd;
    if (errno == EXDEV)
        return berr_new(err, BERR_ENGINE, 0,
                        "\"%s\": a parent is a symlink, refused without openat2", path);
    return berr_sys(err, "open \"%s\" in the layer", path);
}

/* "/a/../../b/./c/" -> "b/c"; "" means the root itself. */
static char *clean_name(const char *name)
{
    _cleanup_free_ char *abs = str_fmt("/%s", name);
    _cleanup_free_ char *c = abs ? fs_clean(abs) : NULL;

    if (!c)
        return NULL;
    return str_dup(c + 1);
}

/* rm -rf of dirfd/name, never following a symlink, never into a mount
 * (EBUSY): cp into a running container's root crosses its bind mounts
 * (/proc/<pid>/root), and what a volume shows is the host's. */
static int rm_at(int at, const char *name)
{
    if (unlinkat(at, name, 0) == 0 || errno == ENOENT)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return -1;
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fs_fd_other_mount(fd, 0)) {
        close(fd);
        errno = EBUSY;
        return -1;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            rc |= rm_at(dirfd(d), de->d_name);
    closedir(d);
    if (rc < 0)
        return -1;
    return unlinkat(at, name, AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : -1;
}

/* Empties a directory (vfs opaque whiteout). */
static int empty_dir(int dfd)
{
    DIR *d = fs_opendir_fd(dfd);
    struct dirent *de;
    int rc = 0;

    if (!d)
        return -1;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            rc |= rm_at(dfd, de->d_name);
    closedir(d);
    return rc;
}

/* Opens (creating as needed, 0755 root-owned) the directory dir inside
 * the root, as an O_PATH fd; cached for runs of entries in one dir. */
static int parent_fd(struct unpacker *u, const char *dir, struct berr **err)
{
    if (u->cache_path && !strcmp(u->cache_path, dir))
        return u->cache_fd;
    if (u->cache_path) {
        free(u->cache_path);
        close(u->cache_fd);
        u->cache_path = NULL;
        u->cache_fd = -1;
    }
    struct berr *e = NULL;
    int fd = unpack_open_in_root(u->rootfd, dir, O_PATH | O_DIRECTORY, &e);
    if (fd < 0 && e->errnum == ENOENT) {
        /* Create the missing components one by one, each inside the root. */
        berr_free(e);
        e = NULL;
        _cleanup_free_ char *prefix = str_dup(dir);
        if (!prefix)
            return berr_oom(err);
        for (char *p = prefix;; p++) {
            if (*p != '/' && *p != '\0')
                continue;
            char saved = *p;
            *p = '\0';
            char *slash = strrchr(prefix, '/');
            const char *base = slash ? slash + 1 : prefix;
            _cleanup_free_ char *up = slash ? str_ndup(prefix, (size_t) (slash - prefix))
                                            : str_dup("");
            if (!up)
                return berr_oom(err);
            _cleanup_close_ int ufd = unpack_open_in_root(u->rootfd, up, O_PATH | O_DIRECTORY, err);
            if (ufd < 0)
                return -1;
            if (mkdirat(ufd, base, 0755) < 0 && errno != EEXIST)
                return berr_sys(err, "create directory \"%s\" in the layer", prefix);
            *p = saved;
            if (!saved)
                break;
        }
        fd = unpack_open_in_root(u->rootfd, dir, O_PATH | O_DIRECTORY, err);
    } else if (fd < 0) {
        *err = e;
        return -1;
    }
    if (fd < 0)
        return -1;
    if (!(u->cache_path = str_dup(dir))) {
        close(fd);
        return berr_oom(err);
    }
    u->cache_fd = fd;
    return fd;
}

static void apply_xattrs(struct archive_entry *ae, int fd, const char *name)
{
    const char *k;
    const void *v;
    size_t n;

    archive_entry_xattr_reset(ae);
    while (archive_entry_xattr_next(ae, &k, &v, &n) == ARCHIVE_OK) {
        if (str_has_prefix(k, "trusted.overlay."))
            continue;
        if (fsetxattr(fd, k, v, n, 0) < 0)
            log_debug("%s: xattr %s not set: %s", name, k, strerror(errno));
    }
}

/* Owner, mode and xattrs of a file or dir as the archive says; a staged
 * archive (UNPACK_PLAIN) keeps ours: 0600 files, 0700 dirs, no xattrs. */
/* The owner an entry gets: the archive's, or cp's choice; false: keep
 * ours (the creator's). */
static bool entry_owner(const struct unpacker *u, struct archive_entry *ae, uid_t *uid,
                        gid_t *gid)
{
    if (u->mode == UNPACK_PLAIN || (u->copy && u->copy->owner == COPY_OWNER_CREATOR))
        return false;
    if (u->copy && u->copy->owner == COPY_OWNER_FIXED) {
        *uid = u->copy->uid;
        *gid = u->copy->gid;
        return true;
    }
    *uid = (uid_t) archive_entry_uid(ae);
    *gid = (gid_t) archive_entry_gid(ae);
    return true;
}

static int set_owner_mode(int fd, struct archive_entry *ae, const char *name,
                          struct unpacker *u, struct berr **err)
{
    uid_t uid;
    gid_t gid;

    if (u->mode == UNPACK_PLAIN)
        return 0;
    if (entry_owner(u, ae, &uid, &gid) && fchown(fd, uid, gid) < 0) {
        if (errno != EPERM && errno != EINVAL)
            return berr_sys(err, "chown \"%s\"", name);
        log_debug("%s: chown: %s", name, strerror(errno));
    }
    if (fchmod(fd, archive_entry_perm(ae) & 07777) < 0)
        return berr_sys(err, "chmod \"%s\"", name);
    apply_xattrs(ae, fd, name);
    return 0;
}

static int write_file(struct archive *a, int fd, const char *name, struct berr **err)
{
    const void *buf;
    size_t len;
    int64_t off, end = 0;
    int r;

    while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
        const char *p = buf;
        while (len > 0) {
            ssize_t w = pwrite(fd, p, len, off);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                return berr_sys(err, "write \"%s\"", name);
            }
            p += w;
            len -= (size_t) w;
            off += w;
        }
        if (off > end)
            end = off;
    }
    if (r != ARCHIVE_EOF)
        return berr_msg(err, "read \"%s\": %s", name, archive_error_string(a));
    return 0;
}

static int add_dirtime(struct unpacker *u, const char *path, struct archive_entry *ae)
{
    if (u->ndirs == u->capdirs) {
        size_t nc = u->capdirs ? 2 * u->capdirs : 64;
        struct dirtime *nd = realloc(u->dirs, nc * sizeof(*nd));
        if (!nd)
            return -1;
        u->dirs = nd;
        u->capdirs = nc;
    }
    if (!(u->dirs[u->ndirs].path = str_dup(path)))
        return -1;
    u->dirs[u->ndirs].mtime.tv_sec = archive_entry_mtime(ae);
    u->dirs[u->ndirs].mtime.tv_nsec = archive_entry_mtime_nsec(ae);
    u->ndirs++;
    return 0;
}

static int do_whiteout(struct unpacker *u, int pfd, const char *dir, const char *base,
                       struct berr **err)
{
    if (!strcmp(base, WH_OPAQUE)) {
        _cleanup_close_ int dfd = unpack_open_in_root(u->rootfd, dir, O_RDONLY | O_DIRECTORY, err);
        if (dfd < 0)
            return -1;
        if (u->mode == UNPACK_VFS)
            return empty_dir(dfd) < 0 ? berr_sys(err, "opaque whiteout of \"/%s\"", dir) : 0;
        if (fsetxattr(dfd, "trusted.overlay.opaque", "y", 1, 0) < 0)
            return berr_sys(err, "opaque whiteout of \"/%s\"", dir);
        return 0;
    }
    if (str_has_prefix(base, WH_PREFIX WH_PREFIX))
        return 0;       /* other AUFS metadata (.wh..wh.plnk): nothing to do */
    const char *victim = base + strlen(WH_PREFIX);
    if (!*victim || !strcmp(victim, ".") || !strcmp(victim, ".."))
        return berr_msg(err, "invalid whiteout \"%s/%s\"", dir, base);
    if (rm_at(pfd, victim) < 0)
        return berr_sys(err, "whiteout \"%s/%s\"", dir, victim);
    if (u->mode == UNPACK_OVERLAY && mknodat(pfd, victim, S_IFCHR | 0, makedev(0, 0)) < 0)
        return berr_sys(err, "whiteout \"%s/%s\"", dir, victim);
    return 0;
}

/* An entry's place: its clean name, its parent dir (an fd inside the
 * root) and its base name there. */
struct entry {
    struct archive_entry *ae;
    const char *name, *dir, *base;
    int pfd;
};

static void entry_times(struct archive_entry *ae, struct timespec ts[2])
{
    ts[0].tv_sec = ts[1].tv_sec = archive_entry_mtime(ae);
    ts[0].tv_nsec = ts[1].tv_nsec = archive_entry_mtime_nsec(ae);
}

/* Whatever stands at the name goes, except a dir replaced by a dir; if
 * the cached parent was inside what went, e->pfd is opened again. */
static int clear_place(struct unpacker *u, struct entry *e, mode_t type, struct berr **err)
{
    struct stat st;

    if (fstatat(e->pfd, e->base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
        (S_ISDIR(st.st_mode) && type == AE_IFDIR))
        return 0;
    /* cp: a directory and a non-directory replace each other only when
     * asked to (--overwrite), as podman's copier does */
    if (u->copy && !u->copy->overwrite && S_ISDIR(st.st_mode) != (type == AE_IFDIR))
        return berr_new(err, BERR_ENGINE, EEXIST, "creating \"%s\"", e->name);
    if (rm_at(e->pfd, e->base) < 0)
        return berr_sys(err, "replace \"%s\"", e->name);
    if (u->cache_path && (!strcmp(u->cache_path, e->name) ||
                          (str_has_prefix(u->cache_path, e->name) &&
                           u->cache_path[strlen(e->name)] == '/'))) {
        free(u->cache_path);
        u->cache_path = NULL;
        close(u->cache_fd);
        u->cache_fd = -1;
        if ((e->pfd = parent_fd(u, e->dir, err)) < 0)
            return -1;
    }
    return 0;
}

/* A hard link: its target resolves inside the root, or the entry fails. */
static int make_hardlink(struct unpacker *u, const struct entry *e, const char *hl,
                         struct berr **err)
{
    _cleanup_free_ char *target = clean_name(hl);

    if (!target)
        return berr_oom(err);
    if (!*target)
        return berr_msg(err, "hardlink \"%s\" to the layer root", e->name);
    _cleanup_close_ int tfd = unpack_open_in_root(u->rootfd, target, O_PATH | O_NOFOLLOW, err);
    if (tfd < 0)
        return berr_wrap(err, "hardlink \"%s\"", e->name);
    if (linkat(tfd, "", e->pfd, e->base, AT_EMPTY_PATH) < 0)
        return berr_sys(err, "hardlink \"%s\" to \"%s\"", e->name, target);
    return 0;
}

static int make_file(struct unpacker *u, struct archive *a, const struct entry *e,
                     struct berr **err)
{
    _cleanup_close_ int fd = openat(e->pfd, e->base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                    O_CLOEXEC, 0600);
    struct timespec ts[2];

    if (fd < 0)
        return berr_sys(err, "create \"%s\"", e->name);
    if (write_file(a, fd, e->name, err) < 0)
        return -1;
    if (ftruncate(fd, archive_entry_size(e->ae)) < 0)
        return berr_sys(err, "write \"%s\"", e->name);
    if (set_owner_mode(fd, e->ae, e->name, u, err) < 0)
        return -1;
    entry_times(e->ae, ts);
    if (futimens(fd, ts) < 0)
        return berr_sys(err, "set times of \"%s\"", e->name);
    return 0;
}

/* A directory; its time is set at the end (creating its entries changes it). */
static int make_dir(struct unpacker *u, const struct entry *e, struct berr **err)
{
    if (mkdirat(e->pfd, e->base, 0700) < 0 && errno != EEXIST)
        return berr_sys(err, "create directory \"%s\"", e->name);
    _cleanup_close_ int fd = openat(e->pfd, e->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                    O_CLOEXEC);
    if (fd < 0)
        return berr_sys(err, "open directory \"%s\"", e->name);
    if (set_owner_mode(fd, e->ae, e->name, u, err) < 0)
        return -1;
    if (add_dirtime(u, e->name, e->ae) < 0)
        return berr_oom(err);
    return 0;
}

/* A symlink, device or FIFO, with owner and times set without following. */
static int make_node(struct unpacker *u, const struct entry *e, mode_t type, struct berr **err)
{
    struct archive_entry *ae = e->ae;
    mode_t perm = archive_entry_perm(ae) & 07777;
    struct timespec ts[2];

    if (type == AE_IFLNK) {
        const char *target = archive_entry_symlink(ae);
        if (!target)
            return berr_msg(err, "symlink \"%s\" without a target", e->name);
        if (symlinkat(target, e->pfd, e->base) < 0)
            return berr_sys(err, "create symlink \"%s\"", e->name);
    } else if (u->mode == UNPACK_PLAIN) {
        /* An archive's own files are read, and a FIFO or a device
         * (/dev/zero as manifest.json) would block or never end: no
         * device is made, and a mode-0 FIFO stands in for either, so that
         * the reader, which checks types before it opens anything, can
         * say what it found. */
        if (mknodat(e->pfd, e->base, S_IFIFO, 0) < 0)
            return berr_sys(err, "create \"%s\"", e->name);
        return 0;
    } else {
        mode_t m = (type == AE_IFCHR ? S_IFCHR : type == AE_IFBLK ? S_IFBLK : S_IFIFO) | perm;
        dev_t dev = type == AE_IFIFO ? 0 : makedev(archive_entry_rdevmajor(ae),
                                                   archive_entry_rdevminor(ae));
        if (mknodat(e->pfd, e->base, m, dev) < 0)
            return berr_sys(err, "create device \"%s\"", e->name);
        if (fchmodat(e->pfd, e->base, perm, 0) < 0)
            return berr_sys(err, "chmod \"%s\"", e->name);
    }
    {
        uid_t uid;
        gid_t gid;
        if (entry_owner(u, ae, &uid, &gid) &&
            fchownat(e->pfd, e->base, uid, gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EPERM &&
            errno != EINVAL)
            return berr_sys(err, "chown \"%s\"", e->name);
    }
    if (type != AE_IFLNK && u->mode != UNPACK_PLAIN)
        (void) fchmodat(e->pfd, e->base, perm, 0);     /* after chown */
    entry_times(ae, ts);
    if (utimensat(e->pfd, e->base, ts, AT_SYMLINK_NOFOLLOW) < 0)
        return berr_sys(err, "set times of \"%s\"", e->name);
    return 0;
}

static int do_entry(struct unpacker *u, struct archive *a, struct archive_entry *ae,
                    struct berr **err)
{
    const char *raw = archive_entry_pathname(ae), *hl = archive_entry_hardlink(ae);
    _cleanup_free_ char *name = raw ? clean_name(raw) : NULL;
    mode_t type = archive_entry_filetype(ae);

    if (!raw)
        return berr_msg(err, "an entry without a name");
    if (!name)
        return berr_oom(err);
    if (!*name)                         /* the root itself: keep our own */
        return 0;
    char *slash = strrchr(name, '/');
    _cleanup_free_ char *dir = slash ? str_ndup(name, (size_t) (slash - name)) : str_dup("");
    struct entry e = { .ae = ae, .name = name, .dir = dir, .base = slash ? slash + 1 : name };
    if (!dir)
        return berr_oom(err);
    bool wh = (u->mode == UNPACK_OVERLAY || u->mode == UNPACK_VFS) &&
              str_has_prefix(e.base, WH_PREFIX);
    if ((u->pass == 1 && !wh) || (u->pass == 2 && wh))
        return 0;
    if ((e.pfd = parent_fd(u, dir, err)) < 0)
        return -1;
    if (wh)
        return do_whiteout(u, e.pfd, dir, e.base, err);
    if (clear_place(u, &e, type, err) < 0)
        return -1;
    if (hl)
        return make_hardlink(u, &e, hl, err);
    switch (type) {
    case AE_IFREG:
        return make_file(u, a, &e, err);
    case AE_IFDIR:
        return make_dir(u, &e, err);
    case AE_IFLNK: case AE_IFCHR: case AE_IFBLK: case AE_IFIFO:
        return make_node(u, &e, type, err);
    case AE_IFSOCK:
        return 0;       /* sockets are not content */
    default:
        return berr_msg(err, "\"%s\": unknown entry type %o", name, (unsigned) type);
    }
}

/* Every entry of the open archive a. */
static int entries(struct unpacker *u, struct archive *a, struct berr **err)
{
    struct archive_entry *ae;
    int r;

    while ((r = archive_read_next_header(a, &ae)) != ARCHIVE_EOF) {
        if (r < ARCHIVE_WARN)
            return berr_msg(err, "%s: %s", u->src, archive_error_string(a));
        if (do_entry(u, a, ae, err) < 0)
            return -1;
    }
    return 0;
}

static int one_pass(struct unpacker *u, const char *path, struct berr **err)
{
    struct archive *a = archive_read_new();
    int rc;

    if (!a)
        return berr_oom(err);
    archive_read_support_filter_all(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    archive_read_support_format_empty(a);
    if ((u->src_fd >= 0 ? archive_read_open_fd(a, u->src_fd, 1 << 16)
                        : archive_read_open_filename(a, path, 1 << 16)) != ARCHIVE_OK) {
        berr_msg(err, "%s: %s", u->src, archive_error_string(a));
        archive_read_free(a);
        return -1;
    }
    rc = entries(u, a, err);
    archive_read_free(a);
    return rc;
}

/* Directory times last: creating their entries changed them. */
static void set_dir_times(struct unpacker *u)
{
    for (size_t i = u->ndirs; i-- > 0;) {
        struct berr *e = NULL;
        int fd = unpack_open_in_root(u->rootfd, u->dirs[i].path, O_RDONLY | O_DIRECTORY, &e);
        struct timespec ts[2] = { u->dirs[i].mtime, u->dirs[i].mtime };
        if (fd >= 0) {
            (void) futimens(fd, ts);
            close(fd);
        }
        berr_free(e);
    }
}

static void unpacker_clear(struct unpacker *u)
{
    for (size_t i = 0; i < u->ndirs; i++)
        free(u->dirs[i].path);
    free(u->dirs);
    free(u->cache_path);
    if (u->cache_fd >= 0)
        close(u->cache_fd);
    close(u->rootfd);
}

int unpack_tar(const char *path, const char *dir, enum unpack_mode mode, struct berr **err)
{
    struct unpacker u = { .mode = mode, .cache_fd = -1, .src = path, .src_fd = -1 };
    int rc = -1;

    u.rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (u.rootfd < 0)
        return berr_sys(err, "open %s", dir);
    if (mode == UNPACK_VFS) {
        u.pass = 1;
        if (one_pass(&u, path, err) < 0)
            goto out;
        u.pass = 2;
    }
    if (one_pass(&u, path, err) < 0)
        goto out;
    set_dir_times(&u);
    rc = 0;
out:
    unpacker_clear(&u);
    return rc;
}

/* ---- streaming: a compressed tar from a reader, hashed as it goes ---- */

/* Two libarchive readers in a chain: the outer one only decompresses
 * (format "raw"), the inner one reads tar from what the outer yields,
 * through this callback, which also hashes and counts those bytes: the
 * layer's diff id, computed while it is unpacked. */
struct chain {
    const struct unpack_src *src;
    struct archive *outer;
    struct sha256 h;
    int64_t total;
    bool src_failed;
    char *why;                  /* the outer reader's error, if it failed */
};

static la_ssize_t outer_read(struct archive *a, void *ud, const void **buf)
{
    struct chain *c = ud;
    ssize_t n = c->src->read(c->src->ctx, buf);

    (void) a;
    if (n < 0)
        c->src_failed = true;
    return n < 0 ? ARCHIVE_FATAL : n;
}

static la_ssize_t inner_read(struct archive *a, void *ud, const void **buf)
{
    struct chain *c = ud;
    size_t len = 0;
    la_int64_t off;
    int r = archive_read_data_block(c->outer, buf, &len, &off);

    (void) a;
    if (r == ARCHIVE_EOF)
        return 0;
    if (r != ARCHIVE_OK) {
        if (!c->why)
            c->why = str_dup(archive_error_string(c->outer));
        return ARCHIVE_FATAL;
    }
    sha256_update(&c->h, *buf, len);
    c->total += (int64_t) len;
    return (la_ssize_t) len;
}

static int stream_pass(struct unpacker *u, struct chain *c, struct berr **err)
{
    struct archive *in = archive_read_new();
    int rc;

    if (!in)
        return berr_oom(err);
    archive_read_support_format_tar(in);
    archive_read_support_format_gnutar(in);
    archive_read_support_format_empty(in);
    if (archive_read_open(in, c, NULL, inner_read, NULL) != ARCHIVE_OK) {
        rc = berr_msg(err, "%s: %s", u->src, c->why ? c->why : archive_error_string(in));
    } else {
        rc = entries(u, in, err);
        if (rc < 0 && (c->why || c->src_failed)) {
            /* The cause is the stream, not the tar: say that instead. */
            berr_free(*err);
            *err = NULL;
            rc = c->src_failed ? -1 : berr_msg(err, "%s: %s", u->src, c->why);
        }
    }
    archive_read_free(in);
    if (rc < 0)
        return -1;
    /* The diff id covers the whole stream, past the tar's end marker. */
    const void *buf;
    while (inner_read(NULL, c, &buf) > 0)
        ;
    if (c->why || c->src_failed)
        return c->src_failed ? -1 : berr_msg(err, "%s: %s", u->src, c->why);
    return 0;
}

int unpack_tar_stream(const struct unpack_src *src, const char *dir, enum unpack_mode mode,
                      char diff_hex[65], int64_t *diff_size, struct berr **err)
{
    struct unpacker u = { .mode = mode, .cache_fd = -1, .src = src->name };
    struct chain c = { .src = src };
    int rc = -1;

    if (mode == UNPACK_VFS)
        return berr_msg(err, "internal error: vfs layers cannot be unpacked from a stream");
    if (sha256_init(&c.h, err) < 0)
        return -1;
    u.rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (u.rootfd < 0) {
        sha256_free(&c.h);
        return berr_sys(err, "open %s", dir);
    }
    if (!(c.outer = archive_read_new())) {
        berr_oom(err);
        goto out;
    }
    archive_read_support_filter_all(c.outer);
    archive_read_support_format_raw(c.outer);
    archive_read_support_format_empty(c.outer);
    struct archive_entry *ae;
    int r = archive_read_open(c.outer, &c, NULL, outer_read, NULL);
    if (r == ARCHIVE_OK)
        r = archive_read_next_header(c.outer, &ae);
    if (c.src_failed)
        goto out;
    if (r == ARCHIVE_EOF) {             /* an empty stream: nothing to unpack */
        rc = 0;
        goto done;
    }
    if (r != ARCHIVE_OK) {
        berr_msg(err, "%s: %s", u.src, archive_error_string(c.outer));
        goto out;
    }
    if (stream_pass(&u, &c, err) < 0)
        goto out;
    set_dir_times(&u);
    rc = 0;
done:
    sha256_final(&c.h, diff_hex);
    *diff_size = c.total;
out:
    if (rc < 0)
        sha256_free(&c.h);
    if (c.outer)
        archive_read_free(c.outer);
    free(c.why);
    unpacker_clear(&u);
    return rc;
}

int unpack_copy(int fd, int dirfd, const struct copy_put_opts *o, struct berr **err)
{
    struct unpacker u = { .mode = UNPACK_COPY, .cache_fd = -1, .src = "the archive",
                          .src_fd = fd, .copy = o };
    int rc = -1;

    u.rootfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
    if (u.rootfd < 0)
        return berr_sys(err, "dup");
    if (one_pass(&u, NULL, err) == 0) {
        set_dir_times(&u);
        rc = 0;
    }
    unpacker_clear(&u);
    return rc;
}
