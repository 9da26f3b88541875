/*
 * test/unit/test_lock.c: the file lock manager (src/runtime/lock.c), with
 * real processes: concurrent allocation, blocking, and a holder killed by
 * SIGKILL. Works in a fresh temporary dir under /tmp and removes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/lock.h"
#include "unit.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

static char tmpdir[64];
/* the handle under test, also reachable from file scope so that a forked
 * child's _exit() does not look like a leak to valgrind */
static struct lockmgr *volatile g_lm;

/* A child's way out: frees what it made, then _exit. */
static void child_exit(int code, struct lockmgr *cl, struct berr *e)
{
    lock_close(cl);
    berr_free(e);
    _exit(code);
}

static struct lockmgr *fresh(void)
{
    struct lockmgr *lm = NULL;
    _cleanup_berr_ struct berr *e = NULL;

    snprintf(tmpdir, sizeof(tmpdir), "/tmp/berth-ut-lock-XXXXXX");
    if (!mkdtemp(tmpdir))
        return NULL;
    if (lock_open(tmpdir, &lm, &e) < 0) {
        printf("# lock_open: %s\n", e->msg);
        return NULL;
    }
    g_lm = lm;
    return lm;
}

static void done(struct lockmgr *lm)
{
    _cleanup_berr_ struct berr *e = NULL;

    lock_close(lm);
    g_lm = NULL;
    if (fs_rm_rf(tmpdir, &e) < 0)
        printf("# cleanup %s: %s\n", tmpdir, e->msg);
}

/* Waits up to ms for one byte on fd: 1 got it, 0 timed out, -1 EOF/error. */
static int wait_byte(int fd, int ms, char *c)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r = poll(&p, 1, ms);

    if (r <= 0)
        return r;
    return read(fd, c, 1) == 1 ? 1 : -1;
}

static int reap(pid_t pid)
{
    int ws;

    if (waitpid(pid, &ws, 0) < 0)
        return -1;
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

static void t_alloc_lowest(void)
{
    struct lockmgr *lm = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    _cleanup_free_ struct lock_info *li = NULL;
    unsigned n = 99;
    size_t cnt = 0;
    struct stat sb;

    if (!lm) {
        CHECK(lm);
        return;
    }
    {
        _cleanup_free_ char *d = str_fmt("%s/locks", tmpdir);
        CHECK(stat(d, &sb) == 0 && (sb.st_mode & 0777) == 0711);
    }
    for (unsigned i = 0; i < 3; i++) {
        CHECK_INT(lock_alloc(lm, &n, &e), 0);
        CHECK_INT(n, i);
    }
    CHECK_INT(lock_free(lm, 1, &e), 0);
    CHECK_INT(lock_free(lm, 1, &e), 0);     /* freeing twice is fine */
    CHECK_INT(lock_alloc(lm, &n, &e), 0);
    CHECK_INT(n, 1);                        /* the hole is reused */
    CHECK_INT(lock_alloc(lm, &n, &e), 0);
    CHECK_INT(n, 3);
    CHECK_INT(lock_alloc_num(lm, 10, &e), 0);
    CHECK_INT(lock_alloc_num(lm, 10, &e), 0);   /* an existing file is fine */
    CHECK_INT(lock_free(lm, 0, &e), 0);
    CHECK_INT(lock_list(lm, &li, &cnt, &e), 0);
    CHECK_INT(cnt, 4);
    if (cnt == 4) {
        CHECK_INT(li[0].num, 1);
        CHECK_INT(li[1].num, 2);
        CHECK_INT(li[2].num, 3);
        CHECK_INT(li[3].num, 10);
        for (size_t i = 0; i < cnt; i++)
            CHECK(!li[i].held && li[i].pid == 0);
    }
    /* files that are not lock numbers are ignored */
    {
        _cleanup_free_ char *p = str_fmt("%s/locks/007", tmpdir);
        _cleanup_free_ char *q = str_fmt("%s/locks/x1", tmpdir);
        int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        close(fd);
        fd = open(q, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        close(fd);
        CHECK_INT(lock_alloc(lm, &n, &e), 0);
        CHECK_INT(n, 0);
    }
    /* opening again keeps what is there */
    {
        struct lockmgr *lm2 = NULL;
        CHECK_INT(lock_open(tmpdir, &lm2, &e), 0);
        CHECK_INT(lock_alloc(lm2, &n, &e), 0);
        CHECK_INT(n, 4);
        lock_close(lm2);
    }
    CHECK_INT(lock_free_all(lm, &e), 0);
    free(li);
    li = NULL;
    CHECK_INT(lock_list(lm, &li, &cnt, &e), 0);
    CHECK_INT(cnt, 0);
    CHECK_INT(lock_alloc(lm, &n, &e), 0);
    CHECK_INT(n, 0);
    done(lm);
}

static void t_alloc_concurrent(void)
{
    struct lockmgr *lm = fresh();
    enum { N = 20 };
    pid_t pids[N];
    int go[2], res[2];
    bool seen[N] = { false };
    int got = 0;

    if (!lm) {
        CHECK(lm);
        return;
    }
    CHECK(pipe2(go, O_CLOEXEC) == 0 && pipe2(res, O_CLOEXEC) == 0);
    for (int i = 0; i < N; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            struct lockmgr *cl = NULL;
            struct berr *e = NULL;
            unsigned n;
            char c;

            close(go[1]);
            close(res[0]);
            if (lock_open(tmpdir, &cl, &e) < 0)
                child_exit(2, cl, e);
            (void) !read(go[0], &c, 1);
            if (lock_alloc(cl, &n, &e) < 0)
                child_exit(3, cl, e);
            if (write(res[1], &n, sizeof(n)) != sizeof(n))
                child_exit(4, cl, e);
            child_exit(0, cl, e);
        }
    }
    close(go[0]);
    close(go[1]);
    close(res[1]);
    for (;;) {
        unsigned n;
        ssize_t r = read(res[0], &n, sizeof(n));
        if (r != sizeof(n))
            break;
        CHECK(n < N);
        if (n < N) {
            CHECK(!seen[n]);
            seen[n] = true;
        }
        got++;
    }
    close(res[0]);
    for (int i = 0; i < N; i++)
        CHECK_INT(reap(pids[i]), 0);
    CHECK_INT(got, N);
    done(lm);
}

/* A child that takes lock num, says 'L', and waits to be killed. */
static pid_t holder(unsigned num, int *ready_fd)
{
    int p[2];
    pid_t pid;

    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        struct lockmgr *cl = NULL;
        struct berr *e = NULL;
        struct lock l = LOCK_INIT;

        close(p[0]);
        if (lock_open(tmpdir, &cl, &e) < 0 || lock_acquire(cl, num, &l, &e) < 0)
            child_exit(2, cl, e);
        (void) !write(p[1], "L", 1);
        for (;;)
            pause();
    }
    close(p[1]);
    *ready_fd = p[0];
    return pid;
}

/* A child that blocks in lock_acquire, then says 'G' (got it) or 'F'. */
static pid_t waiter(unsigned num, int *res_fd)
{
    int p[2];
    pid_t pid;

    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        struct lockmgr *cl = NULL;
        struct berr *e = NULL;
        struct lock l = LOCK_INIT;

        close(p[0]);
        if (lock_open(tmpdir, &cl, &e) < 0)
            child_exit(2, cl, e);
        if (lock_acquire(cl, num, &l, &e) < 0) {
            (void) !write(p[1], "F", 1);
            child_exit(e && e->kind == BK_NO_SUCH ? 1 : 2, cl, e);
        }
        (void) !write(p[1], "G", 1);
        lock_release(&l);
        child_exit(0, cl, e);
    }
    close(p[1]);
    *res_fd = p[0];
    return pid;
}

static void t_acquire_and_kill(void)
{
    struct lockmgr *lm = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    struct lock l = LOCK_INIT;
    unsigned n;
    int hfd = -1, wfd = -1;
    pid_t h, w;
    char c = 0;

    if (!lm) {
        CHECK(lm);
        return;
    }
    CHECK_INT(lock_alloc(lm, &n, &e), 0);
    CHECK_INT(lock_alloc(lm, &n, &e), 0);   /* lock 1; lock 0 stays free */
    h = holder(1, &hfd);
    CHECK(h > 0);
    CHECK_INT(wait_byte(hfd, 5000, &c), 1);
    CHECK(c == 'L');

    /* busy for a try, from this process too */
    CHECK_INT(lock_try(lm, 1, &l, &e), 1);
    CHECK(l.fd < 0);
    CHECK_INT(lock_try(lm, 0, &l, &e), 0);
    lock_release(&l);
    {
        _cleanup_free_ struct lock_info *li = NULL;
        size_t cnt = 0;
        CHECK_INT(lock_list(lm, &li, &cnt, &e), 0);
        CHECK_INT(cnt, 2);
        if (cnt == 2) {
            CHECK(!li[0].held);
            CHECK(li[1].held);
            CHECK_INT(li[1].pid, h);
        }
    }
    /* a second process blocks ... */
    w = waiter(1, &wfd);
    CHECK(w > 0);
    CHECK_INT(wait_byte(wfd, 300, &c), 0);
    /* ... until the holder dies without unlocking */
    kill(h, SIGKILL);
    CHECK_INT(reap(h), 128 + SIGKILL);
    CHECK_INT(wait_byte(wfd, 10000, &c), 1);
    CHECK(c == 'G');
    CHECK_INT(reap(w), 0);
    close(hfd);
    close(wfd);
    /* and now it is free for us */
    CHECK_INT(lock_acquire(lm, 1, &l, &e), 0);
    CHECK(l.fd >= 0 && l.num == 1);
    {
        _cleanup_free_ struct lock_info *li = NULL;
        size_t cnt = 0;
        CHECK_INT(lock_list(lm, &li, &cnt, &e), 0);
        CHECK(cnt == 2 && li[1].held && li[1].pid == getpid());
    }
    {
        _cleanup_lock_ struct lock l2 = LOCK_INIT;
        CHECK_INT(lock_try(lm, 1, &l2, &e), 1);
    }
    lock_release(&l);
    CHECK(l.fd < 0);
    CHECK_INT(lock_try(lm, 1, &l, &e), 0);
    lock_release(&l);
    done(lm);
}

static void t_unallocated(void)
{
    struct lockmgr *lm = fresh();
    _cleanup_berr_ struct berr *e = NULL;
    struct lock l = LOCK_INIT;
    unsigned n;
    int hfd = -1, wfd = -1;
    pid_t h, w;
    char c = 0;

    if (!lm) {
        CHECK(lm);
        return;
    }
    CHECK_INT(lock_acquire(lm, 5, &l, &e), -1);
    CHECK(e && e->kind == BK_NO_SUCH && strstr(e->msg, "lock 5 is not allocated"));
    CHECK_INT(lock_try(lm, 5, &l, &e), -1);
    {
        _cleanup_free_ char *p = str_fmt("%s/locks/5", tmpdir);
        CHECK(!fs_exists(p));       /* a locker never creates the file */
    }
    /* freed while someone waits for it: the waiter fails, never holds a
     * number that now belongs to nobody (or to the next owner) */
    CHECK_INT(lock_alloc(lm, &n, &e), 0);
    h = holder(n, &hfd);
    CHECK_INT(wait_byte(hfd, 5000, &c), 1);
    w = waiter(n, &wfd);
    CHECK_INT(wait_byte(wfd, 300, &c), 0);
    CHECK_INT(lock_free(lm, n, &e), 0);
    CHECK_INT(lock_alloc(lm, &n, &e), 0);   /* reallocated: a new file */
    kill(h, SIGKILL);
    CHECK_INT(reap(h), 128 + SIGKILL);
    CHECK_INT(wait_byte(wfd, 10000, &c), 1);
    CHECK(c == 'F');
    CHECK_INT(reap(w), 1);
    close(hfd);
    close(wfd);
    done(lm);
}

static void t_lock_path(void)
{
    _cleanup_berr_ struct berr *e = NULL;
    _cleanup_free_ char *p = NULL;
    struct lock a = LOCK_INIT, b = LOCK_INIT;

    snprintf(tmpdir, sizeof(tmpdir), "/tmp/berth-ut-lock-XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
    p = str_fmt("%s/alive.lck", tmpdir);
    CHECK_INT(lock_path(p, false, &a, &e), 0);
    CHECK_INT(lock_path(p, false, &b, &e), 0);  /* shared + shared */
    lock_release(&a);
    lock_release(&b);
    CHECK_INT(lock_path(p, true, &a, &e), 0);
    lock_release(&a);
    fs_rm_rf(tmpdir, &e);
}

int main(void)
{
    UNIT_RUN(t_alloc_lowest);
    UNIT_RUN(t_alloc_concurrent);
    UNIT_RUN(t_acquire_and_kill);
    UNIT_RUN(t_unallocated);
    UNIT_RUN(t_lock_path);
    return unit_done();
}
