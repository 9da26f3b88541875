/*
 * util/flock.c: OFD locks on whole files (util/flock.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/flock.h"
#include "util/fs.h"

int lock_ofd(int fd, bool exclusive, bool wait)
{
    struct flock fl = {
        .l_type = exclusive ? F_WRLCK : F_RDLCK,
        .l_whence = SEEK_SET,
        .l_start = 0,
        .l_len = 0,
    };

    while (fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return 0;
}

int lock_path(const char *path, bool exclusive, struct lock *l, struct berr **err)
{
    _cleanup_close_ int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

    if (fd < 0)
        return berr_sys(err, "open lock file %s", path);
    if (lock_ofd(fd, exclusive, true) < 0)
        return berr_sys(err, "lock %s", path);
    l->fd = STEAL_FD(fd);
    l->num = 0;
    return 0;
}

int lock_path_live(const char *path, bool exclusive, struct lock *l, struct berr **err)
{
    for (int tries = 0; tries < 100; tries++) {
        _cleanup_close_ int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        struct stat a, b;

        if (fd < 0 && errno == ENOENT && tries == 0) {
            _cleanup_free_ char *dir = fs_dirname(path);
            if (!dir)
                return berr_oom(err);
            if (fs_mkdir_p(dir, 0700, err) < 0)
                return -1;
            continue;
        }
        if (fd < 0)
            return berr_sys(err, "open lock file %s", path);
        if (lock_ofd(fd, exclusive, true) < 0)
            return berr_sys(err, "lock %s", path);
        /* unlinked (or unlinked and made again) while we waited: the
         * remover held it, and whoever comes next locks the new file */
        if (fstat(fd, &a) < 0 || stat(path, &b) < 0 || a.st_ino != b.st_ino ||
            a.st_dev != b.st_dev)
            continue;
        l->fd = STEAL_FD(fd);
        l->num = 0;
        return 0;
    }
    return berr_msg(err, "lock %s: the file keeps being removed", path);
}

void lock_path_unlink(const char *path, struct lock *l)
{
    if (l->fd >= 0)
        (void) unlink(path);
    lock_release(l);
}

void lock_release(struct lock *l)
{
    if (l->fd >= 0)
        close(l->fd);   /* closing the description drops the OFD lock */
    l->fd = -1;
}
