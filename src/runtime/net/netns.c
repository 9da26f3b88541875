/*
 * runtime/net/netns.c: persistent network namespaces, as `ip netns add`
 * makes them: an empty file <tmp_dir>/netns/netns-<uuid> with the
 * namespace bind-mounted onto it, so it outlives every process in it and
 * the container (runc joins it by path) and netavark can both open it.
 *
 * The netns dir is a shared mount of itself: a namespace mounted there
 * later is then visible in mount namespaces cloned from ours (conmon's,
 * the container's), exactly the trick of iproute2.
 *
 * The namespace is made in a forked child (unshare + bind mount + lo up),
 * so this process never changes namespace, not even for a moment.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/net/net.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

/* Makes dir a shared mount point (bind-mounting it onto itself first if
 * it is not a mount point yet). */
static int make_shared_dir(const char *dir, struct berr **err)
{
    if (fs_mkdir_p(dir, 0755, err) < 0)
        return -1;
    if (mount("", dir, NULL, MS_SHARED | MS_REC, NULL) == 0)
        return 0;
    if (errno != EINVAL)
        return berr_sys(err, "make %s shared", dir);
    if (mount(dir, dir, NULL, MS_BIND | MS_REC, NULL) < 0)
        return berr_sys(err, "bind mount %s", dir);
    if (mount("", dir, NULL, MS_SHARED | MS_REC, NULL) < 0)
        return berr_sys(err, "make %s shared", dir);
    return 0;
}

int net_ns_dir(const char *tmp_dir, struct berr **err)
{
    _cleanup_free_ char *dir = fs_join(tmp_dir, "netns");

    return dir ? make_shared_dir(dir, err) : berr_oom(err);
}

/* In the child: new netns, bound onto path, lo up. Returns 0 or the
 * step number; *e the errno. Only syscalls: we are after fork(). */
static int child_make(const char *path, int *e)
{
    struct ifreq ifr;
    int fd;

    if (unshare(CLONE_NEWNET) < 0)
        return *e = errno, 1;
    if (mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0)
        return *e = errno, 2;
    if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
        return *e = errno, 3;
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, "lo", 3);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
        return *e = errno, 3;
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
        return *e = errno, 3;
    close(fd);
    return 0;
}

int net_ns_create(const char *tmp_dir, const char *name, char **out, struct berr **err)
{
    static const char *const steps[] = { "", "unshare network namespace",
                                         "bind mount network namespace",
                                         "bring up loopback in network namespace" };
    _cleanup_free_ char *dir = fs_join(tmp_dir, "netns");
    _cleanup_free_ char *path = NULL;
    _cleanup_close_ int fd = -1;
    unsigned char u[16];
    int p[2], msg[2] = { 0, 0 }, status = 1 << 8;
    pid_t pid;
    ssize_t n;

    if (!dir)
        return berr_oom(err);
    if (make_shared_dir(dir, err) < 0)
        return -1;
    if (name) {
        /* A caller-chosen name (the container's) can always be found
         * again, even if the caller dies before recording it; a leftover
         * of such a death is replaced. */
        path = str_fmt("%s/%s", dir, name);
        if (path && fs_exists(path) && net_ns_remove(path, err) < 0)
            return -1;
    } else {
        if (getrandom(u, sizeof(u), 0) != (ssize_t) sizeof(u))
            return berr_sys(err, "read random bytes");
        u[6] = (u[6] & 0x0f) | 0x40;
        u[8] = (u[8] & 0x3f) | 0x80;
        path = str_fmt("%s/netns-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                       dir, u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
                       u[11], u[12], u[13], u[14], u[15]);
    }
    if (!path)
        return berr_oom(err);
    fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0)
        return berr_sys(err, "create %s", path);
    if (pipe2(p, O_CLOEXEC) < 0) {
        berr_sys(err, "pipe");
        (void) unlink(path);
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        berr_sys(err, "fork");
        close(p[0]);
        close(p[1]);
        (void) unlink(path);
        return -1;
    }
    if (pid == 0) {
        int e = 0, step = child_make(path, &e), m[2] = { step, e };
        close(p[0]);
        if (write(p[1], m, sizeof(m)) < 0)
            _exit(2);
        _exit(step ? 1 : 0);
    }
    close(p[1]);
    n = read(p[0], msg, sizeof(msg));
    close(p[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (n != (ssize_t) sizeof(msg) || msg[0] || !WIFEXITED(status) || WEXITSTATUS(status)) {
        int step = n == (ssize_t) sizeof(msg) && msg[0] > 0 && msg[0] < 4 ? msg[0] : 1;
        errno = n == (ssize_t) sizeof(msg) ? msg[1] : EIO;
        berr_sys(err, "%s %s", steps[step], path);
        (void) umount2(path, MNT_DETACH);
        (void) unlink(path);
        return -1;
    }
    *out = STEAL_PTR(path);
    return 0;
}

int net_ns_remove(const char *path, struct berr **err)
{
    if (!path || !*path)
        return 0;
    /* EINVAL: not a mount point (any more); ENOENT: gone already. */
    if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
        return berr_sys(err, "unmount network namespace %s", path);
    if (unlink(path) < 0 && errno != ENOENT)
        return berr_sys(err, "remove network namespace %s", path);
    return 0;
}
