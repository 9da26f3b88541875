/*
 * storage/drivers.c: mounting layers (overlay) and the mount counts.
 *
 * overlay: lowerdirs are given as the short links "l/<26 chars>" relative
 * to the graph root, with the process's cwd moved there for the mount(2)
 * call, so even 100+ layers fit in one page of mount options. berth is
 * single-threaded when it mounts, so the fchdir dance is safe.
 * vfs: nothing to mount; the rootfs is a plain directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

/* A volatile mount leaves work/work/incompat/volatile behind, and the
 * kernel refuses the next mount of that upper while it is there (the
 * upper may have lost writes in a crash). A --rm container's upper holds
 * nothing anybody keeps, so berth clears the mark, as containers/storage
 * does. */
static void clear_volatile_mark(const char *work)
{
    _cleanup_free_ char *mark = str_fmt("%s/work/incompat/volatile", work);
    struct berr *e = NULL;

    if (mark && access(mark, F_OK) == 0 && fs_rm_rf(mark, &e) < 0) {
        log_debug("%s", e->msg);
        berr_free(e);
    }
}

int drv_overlay_mount(struct store *s, char **chains, const char *empty_lower,
                      const char *upper, const char *work, bool is_volatile,
                      const char *target, struct berr **err)
{
    _cleanup_strv_ char **lowers = calloc(1, sizeof(char *));

    if (!lowers)
        return berr_oom(err);
    for (size_t i = 0; chains && chains[i]; i++) {
        char *l = NULL;
        if (layer_link(s, chains[i], &l, err) < 0)
            return -1;
        if (strv_push_take(&lowers, l) < 0)
            return berr_oom(err);
    }
    return drv_overlay_mount_dirs(s, lowers, empty_lower, upper, work, is_volatile, target, err);
}

int drv_overlay_mount_dirs(struct store *s, char **lowers, const char *empty_lower,
                           const char *upper, const char *work, bool is_volatile,
                           const char *target, struct berr **err)
{
    _cleanup_sbuf_ struct sbuf opts = SBUF_INIT;
    _cleanup_close_ int cwd = -1;
    long page = sysconf(_SC_PAGESIZE);
    unsigned long flags = upper ? 0 : MS_RDONLY;
    size_t plain_len;
    int rc, e;

    if (sbuf_add(&opts, "lowerdir=") < 0)
        return berr_oom(err);
    if (!lowers || !lowers[0]) {
        if (sbuf_add(&opts, empty_lower) < 0)
            return berr_oom(err);
    }
    for (size_t i = 0; lowers && lowers[i]; i++)
        if ((i && sbuf_addc(&opts, ':') < 0) || sbuf_add(&opts, lowers[i]) < 0)
            return berr_oom(err);
    if (upper && sbuf_addf(&opts, ",upperdir=%s,workdir=%s", upper, work) < 0)
        return berr_oom(err);
    plain_len = opts.len;
    if (upper && is_volatile && sbuf_add(&opts, ",volatile") < 0)
        return berr_oom(err);
    if (opts.oom)
        return berr_oom(err);
    if ((long) opts.len >= page)
        return berr_msg(err, "overlay mount options for %s are longer than a page (%zu bytes)",
                        target, opts.len);
    if (upper)
        clear_volatile_mark(work);
    cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (cwd < 0 || chdir(s->graph) < 0)
        return berr_sys(err, "chdir %s", s->graph);
    rc = mount("overlay", target, "overlay", flags, opts.buf);
    if (rc < 0 && errno == EINVAL && opts.len != plain_len) {
        /* a kernel before 5.10: no volatile, the ordinary mount */
        opts.buf[plain_len] = '\0';
        rc = mount("overlay", target, "overlay", flags, opts.buf);
    }
    e = errno;
    if (fchdir(cwd) < 0)
        return berr_sys(err, "chdir back");
    if (rc < 0) {
        errno = e;
        return berr_sys(err, "mount overlay on %s", target);
    }
    return 0;
}

bool drv_is_mountpoint(const char *path)
{
    struct statx sx;
    struct stat a, b;

    /* STATX_ATTR_MOUNT_ROOT also sees bind mounts within one file system. */
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0, &sx) == 0 &&
        (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
        return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    _cleanup_free_ char *parent = str_fmt("%s/..", path);

    if (!parent || lstat(path, &a) < 0 || stat(parent, &b) < 0)
        return false;
    return a.st_dev != b.st_dev || a.st_ino == b.st_ino;
}

int drv_unmount(const char *path, struct berr **err)
{
    /* MNT_DETACH: a process still inside never blocks the unmount; and
     * every mount stacked on the path goes (someone may have mounted over
     * ours) */
    while (drv_is_mountpoint(path)) {
        if (umount2(path, MNT_DETACH) == 0)
            continue;
        if (errno == EINVAL || errno == ENOENT)     /* gone meanwhile */
            return 0;
        return berr_sys(err, "unmount %s", path);
    }
    return 0;
}

int mount_count_get(const char *file, int *n)
{
    _cleanup_free_ char *buf = NULL;
    struct berr *e = NULL;
    size_t len;
    long long v = 0;

    *n = 0;
    if (fs_read_file(file, &buf, &len, &e) < 0) {
        berr_free(e);
        return -1;
    }
    if (str_to_ll(str_trim(buf), &v) == 0 && v > 0 && v < 1 << 30)
        *n = (int) v;
    return 0;
}

int mount_count_set(const char *file, int n, struct berr **err)
{
    _cleanup_free_ char *dir = fs_dirname(file);
    const char *base = strrchr(file, '/');
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%d\n", n);

    if (!dir)
        return berr_oom(err);
    /* No file reads as 0: an unlink frees an inode where a rewrite
     * would take a new one (one mount and unmount per run). */
    if (n <= 0) {
        if (unlink(file) < 0 && errno != ENOENT)
            return berr_sys(err, "remove %s", file);
        return 0;
    }
    if (fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    return fs_write_replace(dir, base ? base + 1 : file, buf, (size_t) len, 0600, err);
}

/* ---- the driver's status, for `info` ---------------------------------------- */

/* containers/storage's names for the file systems it knows (statfs f_type) */
static const char *fs_name(unsigned long type)
{
    static const struct { unsigned long magic; const char *name; } names[] = {
        { 0x61756673, "aufs" }, { 0x9123683e, "btrfs" }, { 0x28cd3d45, "cramfs" },
        { 0xf15f, "ecryptfs" }, { 0xef53, "extfs" }, { 0xf2f52010, "f2fs" },
        { 0x47504653, "gpfs" }, { 0x72b6, "jffs2" }, { 0x3153464a, "jfs" },
        { 0x6969, "nfs" }, { 0x858458f6, "ramfs" }, { 0x52654973, "reiserfs" },
        { 0x517b, "smb" }, { 0x73717368, "squashfs" }, { 0x01021994, "tmpfs" },
        { 0xa501fcf5, "vxfs" }, { 0x58465342, "xfs" }, { 0x2fc12fc1, "zfs" },
        { 0x794c7630, "overlayfs" }, { 0x65735546, "fuse" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (names[i].magic == type)
            return names[i].name;
    return "<unknown>";
}

/* an overlay module parameter (redirect_dir, metacopy) set to Y */
static bool overlay_param(const char *name)
{
    _cleanup_free_ char *path = str_fmt("/sys/module/overlay/parameters/%s", name);
    _cleanup_free_ char *v = NULL;
    struct berr *e = NULL;

    if (!path || fs_read_file(path, &v, NULL, &e) < 0) {
        berr_free(e);
        return false;
    }
    return v[0] == 'Y';
}

/* Does readdir(3) give entry types here? (containers/storage refuses
 * overlay without.) */
static bool supports_d_type(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    bool ok = true;

    if (!d)
        return false;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && de->d_type == DT_UNKNOWN)
            ok = false;
    closedir(d);
    return ok;
}

int store_driver_status(struct store *s, json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *o = json_object();
    struct statfs sf;
    bool metacopy = overlay_param("metacopy");

    if (!o)
        return berr_oom(err);
    if (strcmp(s->driver, "overlay") == 0) {
        if (statfs(s->graph, &sf) < 0)
            return berr_sys(err, "statfs %s", s->graph);
        /* the upper directory is the layer's diff unless the kernel
         * redirects renamed directories or copies up metadata only */
        if (js_set_str(o, "Backing Filesystem", fs_name((unsigned long) sf.f_type)) < 0 ||
            js_set_str(o, "Native Overlay Diff",
                       overlay_param("redirect_dir") || metacopy ? "false" : "true") < 0 ||
            js_set_str(o, "Supports d_type", supports_d_type(s->graph) ? "true" : "false") < 0 ||
            js_set_str(o, "Using metacopy", metacopy ? "true" : "false") < 0)
            return berr_oom(err);
    }
    *out = STEAL_PTR(o);
    return 0;
}
