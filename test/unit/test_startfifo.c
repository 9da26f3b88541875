/*
 * test_startfifo.c: oci_start_fifo, the start of crun and runc without
 * an exec of them, against FIFOs made here the way each runtime makes
 * its own (a state dir named by --root), with a child in the part of the
 * container's init.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/str.h"
#include "unit.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char top[] = "/tmp/berth-startfifo-XXXXXX";

/* The invocation of runtime path with --root <top>/<root>, and the FIFO
 * path that state dir gives. */
static char *flags[3];
static struct oci_invoke invoke(const char *path, const char *root, char **fifo)
{
    free(flags[1]);
    flags[0] = "--root";
    flags[1] = str_fmt("%s/%s", top, root);
    flags[2] = NULL;
    *fifo = str_fmt("%s/%s/exec.fifo", flags[1], ID);
    return (struct oci_invoke) { .path = path, .name = "rt", .flags = flags, .xdg_runtime_dir = "" };
}

static void make_fifo(const char *fifo)
{
    _cleanup_free_ char *dir = str_dup(fifo);
    struct berr *e = NULL;

    *strrchr(dir, '/') = '\0';
    CHECK(fs_mkdir_p(dir, 0700, &e) == 0);
    CHECK(mkfifo(fifo, 0600) == 0);
}

static bool gone(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) < 0 && errno == ENOENT;
}

/* crun: its init holds the read end (opened at the create) and waits for
 * a byte; the start unlinks the FIFO and writes it. */
static void t_crun(void)
{
    _cleanup_free_ char *fifo = NULL;
    struct oci_invoke rt = invoke("/x/rtexec/0011/crun", "crun-state", &fifo);
    struct berr *e = NULL;
    int fd;
    char b = 'x';

    make_fifo(fifo);
    fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    CHECK(fd >= 0);
    CHECK_INT(oci_start_fifo(&rt, ID, 0, 0, &e), 1);
    CHECK(gone(fifo));
    CHECK_INT(read(fd, &b, 1), 1);
    CHECK_INT(b, 0);
    close(fd);
}

/* nothing there to start through: the runtime's own start decides */
static void t_crun_not_here(void)
{
    _cleanup_free_ char *fifo = NULL;
    struct oci_invoke rt = invoke("/usr/bin/crun", "crun-none", &fifo);
    struct berr *e = NULL;
    char *slash;

    /* no state dir, no FIFO */
    CHECK_INT(oci_start_fifo(&rt, ID, 0, 0, &e), 0);
    /* a FIFO no init waits on (the init died): left for crun start */
    make_fifo(fifo);
    CHECK_INT(oci_start_fifo(&rt, ID, 0, 0, &e), 0);
    CHECK(!gone(fifo));
    /* a regular file is never written to */
    CHECK(unlink(fifo) == 0);
    {
        int fd = open(fifo, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        CHECK(fd >= 0);
        close(fd);
    }
    CHECK_INT(oci_start_fifo(&rt, ID, 0, 0, &e), 0);
    {
        struct stat sb;
        CHECK(stat(fifo, &sb) == 0 && sb.st_size == 0);
    }
    /* a symlink to a waiting FIFO is not followed */
    CHECK(unlink(fifo) == 0);
    slash = str_fmt("%s/elsewhere", top);
    CHECK(mkfifo(slash, 0600) == 0);
    CHECK(symlink(slash, fifo) == 0);
    {
        int fd = open(slash, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        CHECK_INT(oci_start_fifo(&rt, ID, 0, 0, &e), 0);
        close(fd);
    }
    free(slash);
    CHECK(e == NULL);
}

/* A child in the part of runc's init: named as runc names it until its
 * exec, it opens fifo for writing (blocking until a reader comes),
 * writes "0" if byte, and exits (its write end closes, as at the exec). */
static pid_t runc_init_child(const char *fifo, bool byte)
{
    pid_t pid = fork();

    if (pid == 0) {
        int fd;

        prctl(PR_SET_NAME, (unsigned long) "runc:[2:INIT]", 0, 0, 0);
        fd = open(fifo, O_WRONLY | O_CLOEXEC);
        _exit(fd >= 0 && (!byte || write(fd, "0", 1) == 1) ? 0 : 1);
    }
    return pid;
}

/* runc: its init opens the FIFO for writing (blocking until a reader),
 * writes "0" and execs (the write end closes); the start reads to EOF
 * and removes the FIFO. */
static void t_runc(void)
{
    _cleanup_free_ char *fifo = NULL;
    struct oci_invoke rt = invoke("/usr/sbin/runc", "runc-state", &fifo);
    struct berr *e = NULL;
    unsigned long long start = 0;
    pid_t pid;
    int ws;

    make_fifo(fifo);
    pid = runc_init_child(fifo, true);
    CHECK(proc_start_time(pid, &start) == 0);
    CHECK_INT(oci_start_fifo(&rt, ID, pid, start, &e), 1);
    CHECK(e == NULL);
    CHECK(gone(fifo));
    CHECK(waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
}

/* runc: an init that dies before it opens the FIFO is found dead at the
 * next check (runc's words), and so is one that closes it without a
 * byte and dies. */
static void t_runc_dead(void)
{
    _cleanup_free_ char *fifo = NULL;
    struct oci_invoke rt = invoke("/usr/sbin/runc", "runc-dead", &fifo);
    struct berr *e = NULL;
    unsigned long long start = 0;
    pid_t pid;
    int ws;

    make_fifo(fifo);
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    CHECK(proc_start_time(pid, &start) == 0);
    kill(pid, SIGKILL);
    CHECK(waitpid(pid, &ws, 0) == pid);
    CHECK_INT(oci_start_fifo(&rt, ID, pid, start, &e), -1);
    CHECK(e && strstr(e->msg, "container process is already dead"));
    berr_freep(&e);
    CHECK(!gone(fifo));

    {
        /* a reader of the test's lets it open and go; it is a zombie
         * (not reaped: its pid stays its own) before the start looks */
        int rd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        siginfo_t si;

        pid = runc_init_child(fifo, false);
        (void) proc_start_time(pid, &start);
        CHECK(waitid(P_PID, (id_t) pid, &si, WEXITED | WNOWAIT) == 0);
        CHECK_INT(oci_start_fifo(&rt, ID, pid, start, &e), -1);
        CHECK(e && strstr(e->msg, "container process is already dead"));
        berr_freep(&e);
        CHECK(waitpid(pid, &ws, 0) == pid);
        close(rd);
    }
}

/* runc: a FIFO left by a start killed before its unlink, its init
 * already the command: nothing will write; it is running, the FIFO goes */
static void t_runc_stale(void)
{
    _cleanup_free_ char *fifo = NULL;
    struct oci_invoke rt = invoke("/usr/sbin/runc", "runc-stale", &fifo);
    struct berr *e = NULL;
    unsigned long long start = 0;
    int up[2], down[2], ws;
    char c = 0;
    pid_t pid;

    make_fifo(fifo);
    CHECK(pipe(up) == 0 && pipe(down) == 0);
    pid = fork();
    if (pid == 0) {
        /* runc's init names itself so until its exec */
        prctl(PR_SET_NAME, (unsigned long) "runc:[2:INIT]", 0, 0, 0);
        if (write(up[1], "i", 1) != 1 || read(down[0], &c, 1) != 1)
            _exit(1);
        prctl(PR_SET_NAME, (unsigned long) "sleep", 0, 0, 0);
        if (write(up[1], "e", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    CHECK(read(up[0], &c, 1) == 1 && c == 'i');
    CHECK(proc_start_time(pid, &start) == 0);
    CHECK(write(down[1], "x", 1) == 1);
    CHECK(read(up[0], &c, 1) == 1 && c == 'e');
    CHECK_INT(oci_start_fifo(&rt, ID, pid, start, &e), 1);
    CHECK(e == NULL);
    CHECK(gone(fifo));
    kill(pid, SIGKILL);
    CHECK(waitpid(pid, &ws, 0) == pid);
    close(up[0]);
    close(up[1]);
    close(down[0]);
    close(down[1]);
    /* runc with no known init pid: runc start's to do */
    make_fifo(fifo);
    CHECK_INT(oci_start_fifo(&rt, ID, 0, 0, &e), 0);
    CHECK(!gone(fifo));
}

/* only crun and runc (by the binary's name); the state dir from --root
 * or --root=, else XDG_RUNTIME_DIR/<name>, else /run/<name> */
static void t_which(void)
{
    _cleanup_free_ char *fifo = NULL, *root = NULL, *fifo2 = NULL;
    struct oci_invoke rt = invoke("/usr/bin/kata", "kata", &fifo);
    char *eqflags[] = { "--debug", NULL, NULL };
    struct berr *e = NULL;
    int fd;

    make_fifo(fifo);
    fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    CHECK_INT(oci_start_fifo(&rt, ID, 0, 0, &e), 0);
    CHECK(!gone(fifo));
    close(fd);

    root = str_fmt("--root=%s/eq", top);
    eqflags[1] = root;
    fifo2 = str_fmt("%s/eq/%s/exec.fifo", top, ID);
    make_fifo(fifo2);
    fd = open(fifo2, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    rt = (struct oci_invoke) { .path = "crun", .name = "crun", .flags = eqflags, .xdg_runtime_dir = "" };
    CHECK_INT(oci_start_fifo(&rt, ID, 0, 0, &e), 1);
    CHECK(gone(fifo2));
    close(fd);

    free(fifo2);
    fifo2 = str_fmt("%s/xdg/crun/%s/exec.fifo", top, ID);
    make_fifo(fifo2);
    fd = open(fifo2, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    free(root);
    root = str_fmt("%s/xdg", top);
    rt = (struct oci_invoke) { .path = "/usr/bin/crun", .name = "crun", .xdg_runtime_dir = root };
    CHECK_INT(oci_start_fifo(&rt, ID, 0, 0, &e), 1);
    CHECK(gone(fifo2));
    close(fd);
    CHECK(e == NULL);
}

int main(void)
{
    _cleanup_free_ char *cmd = NULL;

    if (!mkdtemp(top)) {
        perror("mkdtemp");
        return 1;
    }
    UNIT_RUN(t_crun);
    UNIT_RUN(t_crun_not_here);
    UNIT_RUN(t_runc);
    UNIT_RUN(t_runc_dead);
    UNIT_RUN(t_runc_stale);
    UNIT_RUN(t_which);
    free(flags[1]);
    cmd = str_fmt("rm -rf %s", top);
    if (cmd && system(cmd) != 0)
        return 1;
    return unit_done();
}
