/*
 * runtime/lock.c: the file lock manager (numbered locks).
 * Lock N of the manager is <tmp_dir>/locks/N: the file existing is the
 * allocation (O_CREAT|O_EXCL on the lowest free number), unlinking it is
 * the free, and an OFD write lock on it (util/flock.h) is the lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/lock.h"
#include "util/cleanup.h"
#include "util/str.h"

/*
 * The manager. Lock N is the file <tmp_dir>/locks/N (decimal, no padding,
 * as podman's file lock manager). The file's existence is the allocation;
 * its OFD lock is the lock.
 */
struct lockmgr {
    char *dir;
    int dfd;
};

void lock_close(struct lockmgr *lm)
{
    if (!lm)
        return;
    if (lm->dfd >= 0)
        close(lm->dfd);
    free(lm->dir);
    free(lm);
}

int lock_open(const char *tmp_dir, struct lockmgr **out, struct berr **err)
{
    struct lockmgr *lm = calloc(1, sizeof(*lm));

    if (!lm)
        return berr_oom(err);
    lm->dfd = -1;
    lm->dir = str_fmt("%s/locks", tmp_dir);
    if (!lm->dir) {
        lock_close(lm);
        return berr_oom(err);
    }
    /* 0711: others may reach a lock by number but not list them */
    if (mkdir(lm->dir, 0711) == 0)
        (void) chmod(lm->dir, 0711);    /* whatever the umask said */
    else if (errno != EEXIST) {
        berr_sys(err, "create lock directory %s", lm->dir);
        lock_close(lm);
        return -1;
    }
    lm->dfd = open(lm->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lm->dfd < 0) {
        berr_sys(err, "open lock directory %s", lm->dir);
        lock_close(lm);
        return -1;
    }
    *out = lm;
    return 0;
}

/* "0", "17": decimal without leading zeros, fitting an unsigned. */
static bool parse_num(const char *s, unsigned *out)
{
    unsigned long long v = 0;

    if (!*s || (s[0] == '0' && s[1]))
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (unsigned) (*s - '0');
        if (v > UINT_MAX)
            return false;
    }
    *out = (unsigned) v;
    return true;
}

static int cmp_uint(const void *a, const void *b)
{
    unsigned x = *(const unsigned *) a, y = *(const unsigned *) b;
    return x < y ? -1 : x > y;
}

/* Every allocated number, in the directory's order. */
static int list_nums(struct lockmgr *lm, unsigned **out, size_t *n, struct berr **err)
{
    _cleanup_close_ int fd = openat(lm->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    _cleanup_closedir_ DIR *d = NULL;
    _cleanup_free_ unsigned *v = NULL;
    size_t len = 0, cap = 0;
    struct dirent *de;

    /* a DIR of its own: readdir on lm->dfd would share its offset */
    if (fd < 0 || !(d = fdopendir(fd)))
        return berr_sys(err, "open lock directory %s", lm->dir);
    fd = -1;    /* d owns it now */
    while ((errno = 0, de = readdir(d))) {
        unsigned num;
        if (!parse_num(de->d_name, &num))
            continue;
        if (len == cap) {
            unsigned *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));
            if (!nv)
                return berr_oom(err);
            v = nv;
        }
        v[len++] = num;
    }
    if (errno)
        return berr_sys(err, "read lock directory %s", lm->dir);
    *out = STEAL_PTR(v);
    *n = len;
    return 0;
}

int lock_alloc(struct lockmgr *lm, unsigned *num, struct berr **err)
{
    _cleanup_free_ unsigned *used = NULL;
    _cleanup_free_ unsigned char *taken = NULL;
    size_t n = 0;

    /* One directory read finds the lowest gap: with n numbers taken it
     * is at most n, so a map of 0..n marks them (no sort). O_EXCL
     * settles races: a loser moves on to the next number not known to
     * be taken. */
    if (list_nums(lm, &used, &n, err) < 0)
        return -1;
    if (!(taken = calloc(n + 1, 1)))
        return berr_oom(err);
    for (size_t i = 0; i < n; i++)
        if (used[i] <= n)
            taken[used[i]] = 1;
    for (unsigned cand = 0;; cand++) {
        char name[16];
        int fd;

        if (cand <= n && taken[cand])
            continue;
        if (cand == UINT_MAX)
            return berr_msg(err, "allocate a lock in %s: every number is taken", lm->dir);
        snprintf(name, sizeof(name), "%u", cand);
        fd = openat(lm->dfd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            close(fd);
            *num = cand;
            return 0;
        }
        if (errno != EEXIST)
            return berr_sys(err, "allocate lock %s/%s", lm->dir, name);
    }
}

int lock_alloc_num(struct lockmgr *lm, unsigned num, struct berr **err)
{
    char name[16];
    int fd;

    snprintf(name, sizeof(name), "%u", num);
    fd = openat(lm->dfd, name, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return berr_sys(err, "allocate lock %s/%s", lm->dir, name);
    close(fd);
    return 0;
}

int lock_free(struct lockmgr *lm, unsigned num, struct berr **err)
{
    char name[16];

    /* Freeing a free lock is fine: a removal interrupted after the free
     * must be able to run again. A process that still holds (or waits
     * for) the freed lock keeps its file description; lock_acquire
     * notices the unlink and fails rather than lock a dead number. */
    snprintf(name, sizeof(name), "%u", num);
    if (unlinkat(lm->dfd, name, 0) < 0 && errno != ENOENT)
        return berr_sys(err, "free lock %s/%s", lm->dir, name);
    return 0;
}

int lock_free_all(struct lockmgr *lm, struct berr **err)
{
    _cleanup_free_ unsigned *used = NULL;
    size_t n = 0;

    if (list_nums(lm, &used, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (lock_free(lm, used[i], err) < 0)
            return -1;
    return 0;
}

/* Opens lock num without creating it: a late locker must not bring back
 * the file of a lock freed meanwhile. */
static int open_num(struct lockmgr *lm, unsigned num, struct berr **err)
{
    char name[16];
    int fd;

    snprintf(name, sizeof(name), "%u", num);
    fd = openat(lm->dfd, name, O_RDWR | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return berr_kind(err, BK_NO_SUCH, "lock %u is not allocated (no file %s/%s)", num,
                         lm->dir, name);
    if (fd < 0)
        return berr_sys(err, "open lock %s/%s", lm->dir, name);
    return fd;
}

/* After the lock is ours: is the file still lock num? It may have been
 * freed (and even allocated again, a new file) while we waited. */
static bool still_allocated(struct lockmgr *lm, unsigned num, int fd)
{
    char name[16];
    struct stat a, b;

    snprintf(name, sizeof(name), "%u", num);
    return fstat(fd, &a) == 0 && fstatat(lm->dfd, name, &b, 0) == 0 && a.st_ino == b.st_ino &&
           a.st_dev == b.st_dev;
}

static int take(struct lockmgr *lm, unsigned num, struct lock *l, bool wait, struct berr **err)
{
    _cleanup_close_ int fd = open_num(lm, num, err);

    if (fd < 0)
        return -1;
    if (lock_ofd(fd, true, wait) < 0) {
        if (!wait && (errno == EAGAIN || errno == EACCES))
            return 1;
        return berr_sys(err, "lock %s/%u", lm->dir, num);
    }
    if (!still_allocated(lm, num, fd))
        return berr_kind(err, BK_NO_SUCH, "lock %u was freed while waiting for it", num);
    l->fd = STEAL_FD(fd);
    l->num = num;
    return 0;
}

int lock_acquire(struct lockmgr *lm, unsigned num, struct lock *l, struct berr **err)
{
    return take(lm, num, l, true, err);
}

int lock_try(struct lockmgr *lm, unsigned num, struct lock *l, struct berr **err)
{
    return take(lm, num, l, false, err);
}

/*
 * Who holds a lock. F_OFD_GETLK answers "held or not" exactly, but an OFD
 * lock belongs to an open file description, not to a process: its l_pid
 * is always -1, and so is the pid /proc/locks prints for it on current
 * kernels (before 4.14 it printed the process that took the lock, which
 * we use when we see it). Otherwise, like lslocks, we look for the
 * holder: a process with an fd on the lock file whose
 * /proc/PID/fdinfo/FD lists a "lock:" (the kernel prints there only the
 * locks held through that very description). Caveats: a description
 * shared after fork() or passed over a socket is found in every process
 * that has it, and we report the first (lowest pid); an unprivileged
 * caller cannot read other users' /proc/PID/fd. So the pid is an aid to
 * diagnosis, and 0 means "unknown".
 */
struct holder {
    dev_t dev;
    ino_t ino;
    pid_t pid;
};

/* Pids from /proc/locks, filled into the wanted entries still at 0. */
static void pids_from_proc_locks(struct holder *want, size_t nw)
{
    _cleanup_fclose_ FILE *f = fopen("/proc/locks", "re");
    _cleanup_free_ char *line = NULL;
    size_t lcap = 0;

    if (!f)
        return;
    while (getline(&line, &lcap, f) > 0) {
        char type[16], adv[16], mode[16];
        unsigned maj, min;
        unsigned long long ino;
        long pid;

        /* "1: OFDLCK ADVISORY WRITE 1234 08:01:5678 0 EOF"; blocked
         * waiters are "1: -> OFDLCK ..." and fail the pattern */
        if (sscanf(line, "%*d: %15s %15s %15s %ld %x:%x:%llu", type, adv, mode, &pid, &maj, &min,
                   &ino) != 7 || pid <= 0)
            continue;
        /* the device here is the inode's super block, which can differ
         * from st_dev (overlayfs, btrfs): the inode number decides */
        for (size_t i = 0; i < nw; i++)
            if (!want[i].pid && want[i].ino == (ino_t) ino)
                want[i].pid = (pid_t) pid;
    }
}

static bool fdinfo_has_lock(const char *pid, const char *fd)
{
    _cleanup_free_ char *p = str_fmt("/proc/%s/fdinfo/%s", pid, fd);
    _cleanup_fclose_ FILE *f = p ? fopen(p, "re") : NULL;
    _cleanup_free_ char *line = NULL;
    size_t lcap = 0;

    while (f && getline(&line, &lcap, f) > 0)
        if (str_has_prefix(line, "lock:"))
            return true;
    return false;
}

static int cmp_pid_name(const void *a, const void *b)
{
    long x = atol(*(char *const *) a), y = atol(*(char *const *) b);
    return x < y ? -1 : x > y;
}

static void scan_pid_fds(const char *pid, struct holder *want, size_t nw)
{
    _cleanup_free_ char *dir = str_fmt("/proc/%s/fd", pid);
    _cleanup_closedir_ DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *de;

    while (d && (de = readdir(d))) {
        struct stat sb;

        if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &sb, 0) < 0)
            continue;
        for (size_t i = 0; i < nw; i++)
            if (!want[i].pid && want[i].ino == sb.st_ino && want[i].dev == sb.st_dev &&
                fdinfo_has_lock(pid, de->d_name))
                want[i].pid = (pid_t) atol(pid);
    }
}

/* The fdinfo walk over every process, in pid order. */
static void pids_from_fdinfo(struct holder *want, size_t nw)
{
    _cleanup_closedir_ DIR *d = opendir("/proc");
    _cleanup_strv_ strv pids = NULL;
    struct dirent *de;
    size_t np;

    while (d && (de = readdir(d)))
        if (de->d_name[0] >= '1' && de->d_name[0] <= '9' && strv_push(&pids, de->d_name) < 0)
            return;
    np = strv_len(pids);
    if (np)
        qsort(pids, np, sizeof(char *), cmp_pid_name);
    for (size_t p = 0; p < np; p++) {
        bool missing = false;
        for (size_t i = 0; i < nw; i++)
            missing |= want[i].pid == 0;
        if (!missing)
            return;
        scan_pid_fds(pids[p], want, nw);
    }
}

int lock_list(struct lockmgr *lm, struct lock_info **out, size_t *n, struct berr **err)
{
    _cleanup_free_ unsigned *nums = NULL;
    _cleanup_free_ struct holder *want = NULL;
    _cleanup_free_ size_t *idx = NULL;
    _cleanup_free_ struct lock_info *v = NULL;
    size_t cnt = 0, nw = 0;

    if (list_nums(lm, &nums, &cnt, err) < 0)
        return -1;
    if (cnt)
        qsort(nums, cnt, sizeof(*nums), cmp_uint);
    v = calloc(cnt ? cnt : 1, sizeof(*v));
    want = calloc(cnt ? cnt : 1, sizeof(*want));
    idx = calloc(cnt ? cnt : 1, sizeof(*idx));
    if (!v || !want || !idx)
        return berr_oom(err);
    for (size_t i = 0; i < cnt; i++) {
        char name[16];
        _cleanup_close_ int fd = -1;
        struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
        struct stat sb;

        v[i].num = nums[i];
        snprintf(name, sizeof(name), "%u", nums[i]);
        fd = openat(lm->dfd, name, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;   /* freed since the listing: not held */
        if (fcntl(fd, F_OFD_GETLK, &fl) < 0)
            return berr_sys(err, "query lock %s/%s", lm->dir, name);
        if (fl.l_type == F_UNLCK)
            continue;
        v[i].held = true;
        if (fstat(fd, &sb) < 0)
            continue;
        want[nw].dev = sb.st_dev;
        want[nw].ino = sb.st_ino;
        idx[nw++] = i;
    }
    if (nw) {
        pids_from_proc_locks(want, nw);
        pids_from_fdinfo(want, nw);
        for (size_t w = 0; w < nw; w++)
            v[idx[w]].pid = want[w].pid;
    }
    *out = STEAL_PTR(v);
    *n = cnt;
    return 0;
}
