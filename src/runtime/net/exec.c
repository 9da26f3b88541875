/*
 * runtime/net/exec.c: runs a network helper (netavark, a CNI plugin) with
 * JSON on stdin and its stdout/stderr captured. All three are memfds, not
 * pipes: a daemon the helper leaves behind (aardvark-dns) may inherit
 * them without making us wait for its exit, and nothing can deadlock on
 * a full pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/net/netint.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/str.h"

static int read_back(int fd, char **out)
{
    size_t len;

    if (lseek(fd, 0, SEEK_SET) < 0)
        return -1;
    return fs_read_fd(fd, out, &len);
}

int net_exec(char *const argv[], char *const envp[], const char *in, char **out,
             char **errout, int *status, struct berr **err)
{
    _cleanup_close_ int ifd = memfd_create("stdin", MFD_CLOEXEC);
    _cleanup_close_ int ofd = memfd_create("stdout", MFD_CLOEXEC);
    _cleanup_close_ int efd = memfd_create("stderr", MFD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    pid_t pid;
    int rc;

    if (ifd < 0 || ofd < 0 || efd < 0)
        return berr_sys(err, "memfd_create");
    if (in && (fs_write_all(ifd, in, strlen(in)) < 0 || lseek(ifd, 0, SEEK_SET) < 0))
        return berr_sys(err, "write stdin of %s", argv[0]);
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, ifd, 0);
    posix_spawn_file_actions_adddup2(&fa, ofd, 1);
    posix_spawn_file_actions_adddup2(&fa, efd, 2);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawn(&pid, argv[0], &fa, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc) {
        errno = rc;
        return berr_sys(err, "exec %s", argv[0]);
    }
    if (proc_wait(pid, status, err) < 0)
        return -1;
    if ((out && read_back(ofd, out) < 0) || (errout && read_back(efd, errout) < 0))
        return berr_sys(err, "read output of %s", argv[0]);
    return 0;
}
