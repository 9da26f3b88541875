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
#include <sys/prctl.h>
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

/* The child side of net_exec: only async-signal-safe calls. The helper
 * gets SIGKILL when we die (PR_SET_PDEATHSIG): a berth killed in the middle
 * of a setup must not leave netavark to finish it after a later teardown
 * has run, re-adding what the teardown removed. netavark's own children
 * (aardvark-dns) do not inherit the death signal. */
static void child(char *const argv[], char *const envp[], int ifd, int ofd, int efd,
                  pid_t parent, int report)
{
    sigset_t none;
    int e;

    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
        _exit(127);
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dup2(ifd, 0) < 0 || dup2(ofd, 1) < 0 || dup2(efd, 2) < 0)
        _exit(127);
    execve(argv[0], argv, envp);
    e = errno;
    (void) !write(report, &e, sizeof(e));
    _exit(127);
}

int net_exec(char *const argv[], char *const envp[], const char *in, char **out,
             char **errout, int *status, struct berr **err)
{
    _cleanup_close_ int ifd = memfd_create("stdin", MFD_CLOEXEC);
    _cleanup_close_ int ofd = memfd_create("stdout", MFD_CLOEXEC);
    _cleanup_close_ int efd = memfd_create("stderr", MFD_CLOEXEC);
    int rep[2];
    pid_t pid, parent = getpid();
    int e = 0;
    ssize_t n;

    if (ifd < 0 || ofd < 0 || efd < 0)
        return berr_sys(err, "memfd_create");
    if (in && (fs_write_all(ifd, in, strlen(in)) < 0 || lseek(ifd, 0, SEEK_SET) < 0))
        return berr_sys(err, "write stdin of %s", argv[0]);
    if (pipe2(rep, O_CLOEXEC) < 0)
        return berr_sys(err, "pipe");
    pid = fork();
    if (pid < 0) {
        close(rep[0]);
        close(rep[1]);
        return berr_sys(err, "fork for %s", argv[0]);
    }
    if (pid == 0)
        child(argv, envp, ifd, ofd, efd, parent, rep[1]);
    close(rep[1]);
    /* the report pipe closes on a successful exec: EOF, nothing read */
    while ((n = read(rep[0], &e, sizeof(e))) < 0 && errno == EINTR)
        ;
    close(rep[0]);
    if (n == (ssize_t) sizeof(e)) {
        int st;
        proc_wait(pid, &st, err);
        return berr_new(err, BERR_ENGINE, e, "exec %s", argv[0]);
    }
    if (proc_wait(pid, status, err) < 0)
        return -1;
    if ((out && read_back(ofd, out) < 0) || (errout && read_back(efd, errout) < 0))
        return berr_sys(err, "read output of %s", argv[0]);
    return 0;
}
