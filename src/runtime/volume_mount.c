/*
 * runtime/volume_mount.c: a volume's data on the host: mounting the
 * volumes whose driver options ask for it (counted users), the first
 * container's copy-up of its image's content and chown, the size.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/volume.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"

/* podman's needsMount: options other than uid/gid/size/noquota/copy/nocopy
 * (and the "o" that carries uid/gid) mean a mount. */
bool vol_needs_mount(const struct vol_config *c)
{
    static const char *const quiet[] = { "UID", "GID", "SIZE", "NOQUOTA", "nocopy", "copy" };
    size_t n = 0;

    if (!str_eq(c->driver, VOL_DRIVER_LOCAL))
        return true;
    for (size_t i = 0; i < ARRAY_SIZE(quiet); i++)
        n += json_object_get(c->options, quiet[i]) != NULL;
    if (n)
        n++;
    return json_object_size(c->options) > n;
}

/* `mount [-o O] [-t TYPE | -o bind] DEVICE MOUNTPOINT`, as podman runs it;
 * mount(8) knows every file system's option syntax. */
static int host_mount(struct vol *v, struct berr **err)
{
    const char *type = js_str(v->cfg.options, "type", "");
    const char *dev = js_str(v->cfg.options, "device", "");
    const char *o = js_str(v->cfg.options, "o", "");
    _cleanup_free_ char *mount = fs_which("mount"), *out = NULL, *errout = NULL;
    char *argv[10];
    int n = 0, status;

    if (!mount)
        return berr_msg(err, "locating 'mount' binary: executable file not found in $PATH");
    if (!*dev && *type)
        dev = type;     /* tmpfs has no device, the kernel wants something */
    argv[n++] = mount;
    if (*o) {
        argv[n++] = "-o";
        argv[n++] = (char *) o;
    }
    if (str_eq(type, "bind")) {
        argv[n++] = "-o";
        argv[n++] = "bind";
    } else if (*type) {
        argv[n++] = "-t";
        argv[n++] = (char *) type;
    }
    argv[n++] = (char *) dev;
    argv[n++] = v->cfg.mount_point;
    argv[n] = NULL;
    {
        _cleanup_free_ char *cmd = strv_join(argv + 1, " ");
        log_debug("Running mount command: %s %s", mount, cmd ? cmd : "");
    }
    if (proc_capture(argv, NULL, &out, &errout, &status, err) < 0)
        return -1;
    if (status != 0) {
        char *msg = errout && *errout ? errout : out ? out : "";
        return berr_msg(err, "%s", str_trim(msg));
    }
    log_debug("Mounted volume %s", v->name);
    return 0;
}

int vol_mount(struct runtime *rt, struct vol *v, char **path, struct berr **err)
{
    /* a local volume's data directory is made with its record; one that
     * went missing is damage system check finds and repairs */
    if (str_eq(v->cfg.driver, VOL_DRIVER_LOCAL) && v->cfg.mount_point &&
        !fs_is_dir(v->cfg.mount_point)) {
        berr_msg(err, "volume %s: its data directory %s is missing", v->name, v->cfg.mount_point);
        return berr_hint(err, "`berth system check --repair` makes it again, empty");
    }
    if (path && !(*path = str_dup(v->cfg.mount_point)))
        return berr_oom(err);
    if (!vol_needs_mount(&v->cfg))
        return 0;
    if (v->st.mount_count > 0) {
        v->st.mount_count++;
        log_debug("Volume %s mount count now at %lld", v->name, v->st.mount_count);
        return vol_save(rt, v, err);
    }
    if (host_mount(v, err) < 0)
        return -1;
    v->st.mount_count = 1;
    log_debug("Volume %s mount count now at %lld", v->name, v->st.mount_count);
    if (vol_save(rt, v, err) < 0)
        return -1;
    vol_event(rt, v->name, "mount");
    return 0;
}

int vol_unmount(struct runtime *rt, struct vol *v, bool force, struct berr **err)
{
    if (!vol_needs_mount(&v->cfg))
        return 0;
    if (v->st.mount_count == 0) {
        log_debug("Volume %s already unmounted", v->name);
        return 0;
    }
    v->st.mount_count = force ? 0 : v->st.mount_count - 1;
    log_debug("Volume %s mount count now at %lld", v->name, v->st.mount_count);
    if (v->st.mount_count == 0) {
        if (umount2(v->cfg.mount_point, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
            return berr_sys(err, "unmounting volume %s", v->name);
        log_debug("Unmounted volume %s", v->name);
        if (vol_save(rt, v, err) < 0)
            return -1;
        vol_event(rt, v->name, "unmount");
        return 0;
    }
    return vol_save(rt, v, err);
}

int64_t vol_size(const struct vol_config *c)
{
    return c->mount_point ? store_dir_usage(c->mount_point) : 0;
}

/* ---- what the first container does to a new volume ---- */

/* Is directory fd empty? */
static bool dir_empty(int fd)
{
    DIR *d = fs_opendir_fd(fd);
    struct dirent *de;
    bool empty = true;

    if (!d)
        return false;   /* unreadable: do not copy into it */
    while (empty && (de = readdir(d)))
        empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
    closedir(d);
    return empty;
}

int vol_copy_up(struct runtime *rt, struct vol *v, const char *rootfs, const char *dest,
                struct berr **err)
{
    _cleanup_close_ int root = -1, src = -1, dst = -1;
    const char *rel = dest;
    struct stat sb;

    if (!v->st.needs_copy_up || json_object_get(v->cfg.options, "nocopy"))
        return 0;
    while (*rel == '/')
        rel++;
    root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return berr_sys(err, "open %s", rootfs);
    /* what is not there (or not a directory) has nothing to copy, and a
     * later container may still bring something */
    src = fs_open_in_root(root, rel, O_RDONLY | O_DIRECTORY);
    if (src < 0)
        return 0;
    if (fstat(src, &sb) < 0 || !S_ISDIR(sb.st_mode) || dir_empty(src))
        return 0;
    dst = open(v->cfg.mount_point, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dst < 0)
        return berr_sys(err, "listing contents of volume %s mountpoint", v->name);
    /* Something put there from outside: never copy over it
     * (CVE-2020-1726). */
    if (!dir_empty(dst))
        return 0;
    /* cleared first: a copy that fails half-way is not redone over what
     * it left */
    v->st.needs_copy_up = false;
    if (vol_save(rt, v, err) < 0)
        return -1;
    log_info("About to copy up into volume %s", v->name);
    if (store_copy_tree_at(src, dst, v->cfg.mount_point, err) < 0)
        return berr_wrap(err, "copying up to volume %s", v->name);
    return 0;
}

int vol_fix_owner(struct runtime *rt, struct vol *v, int uid, int gid, const char *rootfs,
                  const char *dest, struct berr **err)
{
    const char *mp = v->cfg.mount_point, *rel = dest;
    _cleanup_close_ int root = -1, target = -1;
    struct stat sb;

    if (!v->st.needs_chown || !str_eq(v->cfg.driver, VOL_DRIVER_LOCAL))
        return 0;
    v->st.needs_chown = false;
    v->st.uid_chowned = uid;
    v->st.gid_chowned = gid;
    if (vol_save(rt, v, err) < 0)
        return -1;
    if (lchown(mp, (uid_t) uid, (gid_t) gid) < 0)
        return berr_sys(err, "chown %s", mp);
    /* Like podman (its issue 10188): the volume takes the owner and mode
     * of the directory it covers in the image. */
    while (*rel == '/')
        rel++;
    root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return berr_sys(err, "open %s", rootfs);
    target = fs_open_in_root(root, rel, O_PATH);
    if (target < 0)
        return 0;
    if (fstat(target, &sb) < 0)
        return 0;
    if (lchown(mp, sb.st_uid, sb.st_gid) < 0 || chmod(mp, sb.st_mode & 07777) < 0)
        return berr_sys(err, "chown %s", mp);
    {
        struct timespec ts[2] = { sb.st_atim, { 0, UTIME_OMIT } };
        (void) utimensat(AT_FDCWD, mp, ts, 0);
    }
    return 0;
}
