/*
 * runtime/rtexec.c: crun exec'd from a read-only bind mount of itself
 * (rtexec.h says why and what it keeps safe).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "runtime/ociruntime.h"
#include "runtime/rtexec.h"
#include "util/cleanup.h"
#include "util/flock.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/str.h"

/* The mount shows the binary itself (its device and inode) read-only:
 * what crun's is_self_cloned() accepts. */
static bool valid(const char *target, const struct stat *bin)
{
    struct stat st;
    struct statvfs vs;

    return stat(target, &st) == 0 && st.st_dev == bin->st_dev && st.st_ino == bin->st_ino &&
           statvfs(target, &vs) == 0 && (vs.f_flag & ST_RDONLY);
}

/* Under the lock: (re)make the mount. A stale one (crun upgraded: its
 * old inode, deleted; the kernel mounts nothing on a deleted file) is
 * detached first: a command that found the old mount valid an instant
 * before and execs it now finds the empty placeholder and fails (exec
 * format error); that window exists only while crun is being replaced. */
static int make_mount(const char *dir, const char *target, const char *bin, struct berr **err)
{
    _cleanup_close_ int fd = -1;

    if (fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    while (umount2(target, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
        ;
    fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0500);
    if (fd < 0)
        return berr_sys(err, "create %s", target);
    if (mount(bin, target, NULL, MS_BIND, NULL) < 0)
        return berr_sys(err, "bind mount %s on %s", bin, target);
    if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
              NULL) < 0) {
        berr_sys(err, "remount %s read-only", target);
        (void) umount2(target, MNT_DETACH);
        return -1;
    }
    return 0;
}

/* <tmp_dir>/rtexec is this user's own directory, not a link, that no one
 * else may write: what is mounted and exec'd below it is ours. */
static bool own_dir(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 && fs_stat_ours(&st, S_IFDIR, 022);
}

/* Is target (in dir) a valid mount of bin_path now, made here if need be? */
static bool ensure(const char *tmp_dir, const char *dir, const char *target, const char *bin_path,
                   const struct stat *bin, struct berr **err)
{
    _cleanup_free_ char *lck = str_fmt("%s/rtexec/lock", tmp_dir);
    _cleanup_free_ char *top = str_fmt("%s/rtexec", tmp_dir);
    _cleanup_(lock_releasep) struct lock l = LOCK_INIT;

    if (!lck || !top) {
        berr_oom(err);
        return false;
    }
    if (own_dir(top) && valid(target, bin))
        return true;
    /* first use this boot, or crun changed: one berth makes it */
    if (fs_mkdir_p(dir, 0700, err) < 0)
        return false;
    if (!own_dir(top)) {
        berr_new(err, BERR_ENGINE, 0, "%s: not a directory of this user's that only it may write",
                 top);
        return false;
    }
    if (lock_path(lck, true, &l, err) < 0)
        return false;
    if (valid(target, bin))
        return true;
    if (make_mount(dir, target, bin_path, err) < 0)
        return false;
    if (valid(target, bin))
        return true;
    berr_new(err, BERR_ENGINE, 0, "%s: not a read-only mount of %s after mounting", target,
             bin_path);
    return false;
}

int rtexec_path(const char *tmp_dir, const char *runtime_path, char **out, struct berr **err)
{
    _cleanup_free_ char *dir = NULL, *target = NULL;
    struct berr *e = NULL;
    struct stat bin;

    *out = NULL;
    if (geteuid() == 0 && tmp_dir && *tmp_dir && oci_is_crun(runtime_path) &&
        stat(runtime_path, &bin) == 0 && S_ISREG(bin.st_mode)) {
        dir = str_fmt("%s/rtexec/%016llx", tmp_dir, (unsigned long long) str_fnv1a(runtime_path));
        target = str_fmt("%s/crun", dir ? dir : "");
        if (!dir || !target)
            return berr_oom(err);
        if (ensure(tmp_dir, dir, target, runtime_path, &bin, &e)) {
            *out = STEAL_PTR(target);
            return 0;
        }
        log_debug("running %s from its own path: %s", runtime_path, e ? e->msg : "");
        berr_free(e);
    }
    *out = str_dup(runtime_path);
    return *out ? 0 : berr_oom(err);
}
