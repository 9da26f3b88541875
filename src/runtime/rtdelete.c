/*
 * runtime/rtdelete.c: the runtime delete an attached `run --rm` hands off
 * (rtdelete.h).
 *
 * The record <tmp_dir>/rtdelete/<id> holds the delete's argv and envp,
 * each string NUL-terminated, an empty string between the two lists. It
 * is written to a dot-file, locked (flock) and renamed into place, so it
 * is never seen unlocked while its maker or its child lives: the child,
 * forked as the maker exits, inherits the lock and holds it until it has
 * removed the record. A
 * record found unlocked belongs to a child that was killed: the next
 * command runs its delete (rtdelete_repair). A runtime that no longer
 * knows the container just says so; the record goes either way. The
 * directory stays once made: a mkdir for every run --rm (~0.1-0.9 ms
 * on a disk that freed inodes lately) cost more than the check of every
 * command, an opendir and readdir of an empty dir (~5 us).
 *
 * The same child then removes the staging dir of the container's root
 * file system its parent names (rtdelete_send); a removal whose delete
 * was not handed off gets a child for that alone (rtdelete_remover):
 * one detached remover, one crash story (killed, it leaves an unlocked
 * leftover that the next storage writer removes).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/cgreg.h"
#include "runtime/rtdelete.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/mounts.h"
#include "util/proc.h"
#include "util/str.h"

static char *records_dir(struct runtime *rt)
{
    return str_fmt("%s/rtdelete", rt->cfg->tmp_dir);
}

/* argv0 in place of argv[0]: the runtime's own path, not the one it is
 * run from here (rtexec.h: a mount of this namespace only) */
static int serialize(const char *argv0, char *const *argv, char *const *envp, struct sbuf *b)
{
    for (size_t i = 0; argv[i]; i++) {
        const char *a = i == 0 && argv0 ? argv0 : argv[i];
        if (sbuf_addn(b, a, strlen(a) + 1) < 0)
            return -1;
    }
    if (sbuf_addc(b, '\0') < 0)
        return -1;
    for (size_t i = 0; envp[i]; i++)
        if (sbuf_addn(b, envp[i], strlen(envp[i]) + 1) < 0)
            return -1;
    return 0;
}

/* The record, written and locked: its fd, or -1 with errno set. */
static int write_record(const char *dir, const char *tmp, const char *final,
                        const struct sbuf *b)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    /* the first of the boot (or of an older berth's, which removed the
     * directory as it emptied) makes the directory */
    if (fd < 0 && errno == ENOENT) {
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return -1;
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0 || fs_write_all(fd, b->buf, b->len) < 0 ||
        rename(tmp, final) < 0) {
        int saved = errno;
        (void) unlink(tmp);
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* After the delete: removes the staging dir sent. Its lock is the
 * parent's until it is done with it (and GC's, should the store's
 * cleanup of leftovers get there first: then it is gone or empty). */
static void remove_sent(const char *path)
{
    struct berr *e = NULL;
    struct stat sb;
    int fd;

    if (path[0] != '/')
        return;
    fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    crash_point("rm:rmtree");
    if (flock(fd, LOCK_EX) == 0 && fstat(fd, &sb) == 0 && sb.st_nlink > 0)
        (void) mounts_rm_rf(path, &e);
    berr_free(e);
    close(fd);
}

/* A hand-off made, its child forked as we exit (fork_pending): a fork
 * while run --rm still works on the container's records made every page
 * it wrote afterwards a copy-on-write fault (~50 faults, 5-10 ms of CPU
 * here), and the child has nothing to do before we are done anyway. */
struct pending {
    bool used;
    char *tmp_dir, *id, *final;
    strv argv, envp;        /* NULL: a remover, no delete to run */
    int recfd;              /* the record, locked; -1 for a remover */
    char sent[4096];        /* the staging dir to remove, "" if none */
};
static struct pending pend[2];

static void pending_free(struct pending *p)
{
    free(p->tmp_dir);
    free(p->id);
    free(p->final);
    strv_free(p->argv);
    strv_free(p->envp);
    if (p->recfd >= 0)
        close(p->recfd);
    memset(p, 0, sizeof(*p));
    p->recfd = -1;
}

/* The child: its parent's locks and files are not its to keep. */
static _Noreturn void run_handed(struct pending *p)
{
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    /* out of the way of the dup2s below, whatever their numbers */
    int rec = fcntl(p->recfd >= 0 ? p->recfd : null, F_DUPFD_CLOEXEC, 10);
    pid_t pid;
    int st;

    (void) setsid();
    if (null < 0 || rec < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
        dup2(null, 2) < 0 || dup2(rec, 3) < 0)
        _exit(1);
    /* the parent's lock files among them: a copy kept here would hold
     * their locks for as long as the delete runs */
    (void) close_range(4, ~0U, 0);
    if (!p->argv) {
        remove_sent(p->sent);
        _exit(0);
    }
    crash_point("run:handoff");
    pid = fork();
    if (pid == 0) {
        close(3);       /* the record's lock is ours, not the runtime's */
        execve(p->argv[0], p->argv, p->envp);
        _exit(127);
    }
    if (pid > 0)
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
    if (pid < 0)
        _exit(1);       /* the record stays, unlocked: the next command runs it */
    /* the cgroup registry's entry, kept while the delete had yet to
     * remove the cgroup (cgreg.h) */
    cgreg_drop_at(p->tmp_dir, p->id);
    (void) unlink(p->final);
    close(3);       /* the delete is done: settle need not wait for more */
    remove_sent(p->sent);
    _exit(0);
}

/* Forks the child of every hand-off made (at exit, or before a settle
 * that would wait for them). One whose fork fails leaves its record
 * unlocked at our exit (the next command runs it) and its staging dir
 * to the next writer of the store. */
static void fork_pending(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(pend); i++) {
        if (!pend[i].used)
            continue;
        if (fork() == 0)
            run_handed(&pend[i]);
        pending_free(&pend[i]);     /* the child's copy keeps the lock */
    }
}

int rtdelete_handoff(struct runtime *rt, const struct oci_invoke *cli, const char *runtime_path,
                     const char *id, int *h, struct berr **err)
{
    static bool hooked;
    _cleanup_free_ char *dir = NULL, *tmp = NULL;
    _cleanup_(sbuf_freep) struct sbuf b = { 0 };
    struct pending *p = NULL;

    *h = -1;
    for (size_t i = 0; i < ARRAY_SIZE(pend) && !p; i++)
        if (!pend[i].used)
            p = &pend[i];
    if (!p)
        return berr_msg(err, "too many runtime deletes handed off");
    memset(p, 0, sizeof(*p));
    p->recfd = -1;
    if (!hooked && atexit(fork_pending) != 0)
        return berr_msg(err, "cannot hand the runtime delete off at exit");
    hooked = true;
    if (!(p->tmp_dir = strdup(rt->cfg->tmp_dir)) || !(p->id = strdup(id)) ||
        !(dir = records_dir(rt)) || !(p->final = str_fmt("%s/%s", dir, id)) ||
        !(tmp = str_fmt("%s/.%s.%d", dir, id, (int) getpid()))) {
        pending_free(p);
        return berr_oom(err);
    }
    if (cli && (oci_delete_call(cli, id, &p->argv, &p->envp, err) < 0 ||
                (serialize(runtime_path, p->argv, p->envp, &b) < 0 && berr_oom(err)))) {
        pending_free(p);
        return -1;
    }
    if (cli && (p->recfd = write_record(dir, tmp, p->final, &b)) < 0) {
        berr_sys(err, "recording the runtime delete of container %s in %s", id, dir);
        pending_free(p);
        return -1;
    }
    p->used = true;
    *h = (int) (p - pend);
    return 0;
}

int rtdelete_remover(struct runtime *rt, const char *id, int *h, struct berr **err)
{
    return rtdelete_handoff(rt, NULL, NULL, id, h, err);
}

bool rtdelete_send(int h, const char *dir)
{
    struct pending *p = h >= 0 && h < (int) ARRAY_SIZE(pend) ? &pend[h] : NULL;

    if (!p || !p->used || strlen(dir) >= sizeof(p->sent))
        return false;
    strcpy(p->sent, dir);
    return true;
}

/* A record's two lists, pointing into buf. */
static int parse_record(char *buf, size_t len, strv *argv, strv *envp)
{
    strv *into = argv;
    size_t i = 0;

    if (len == 0 || buf[len - 1] != '\0')
        return -1;
    while (i < len) {
        size_t n = strlen(buf + i);
        if (n == 0 && into == argv) {
            into = envp;
        } else if (n > 0 && strv_push(into, buf + i) < 0) {
            return -1;
        }
        i += n + 1;
    }
    return *argv && (*argv)[0] ? 0 : -1;
}

/* Runs the delete of record name (fd open on it, its lock ours: its
 * child is gone), then drops the record. */
static void repair_one(struct runtime *rt, int dfd, int fd, const char *name)
{
    _cleanup_free_ char *buf = NULL, *eout = NULL;
    _cleanup_strv_ strv argv = calloc(1, sizeof(char *)), envp = calloc(1, sizeof(char *));
    struct berr *e = NULL;
    size_t len = 0;
    int st;
    struct stat sb;

    /* a command line to run: only from a file of our own that nobody
     * else may write */
    if (fstat(fd, &sb) < 0 || !fs_stat_ours(&sb, S_IFREG, 022)) {
        log_warn("ignoring runtime delete record %s: not a file of this user's", name);
        (void) unlinkat(dfd, name, 0);
        return;
    }
    if (name[0] != '.') {
        if (!argv || !envp || fs_read_fd(fd, &buf, &len) < 0 ||
            parse_record(buf, len, &argv, &envp) < 0) {
            log_warn("dropping unreadable runtime delete record %s", name);
        } else if (proc_capture(argv, envp, NULL, &eout, &st, &e) < 0) {
            log_debug("container %s: runtime delete: %s", name, e->msg);
            berr_free(e);
        } else if (st != 0) {
            log_debug("container %s: runtime delete: %s", name, eout ? eout : "");
        }
        cgreg_drop(rt, name);
    }
    /* a dot-file unlocked is a hand-off killed before its rename */
    (void) unlinkat(dfd, name, 0);
}

/* The one walk of the records: those whose child died are run. With
 * wait, a record still locked is waited for (its child holds the lock
 * until it has removed the record); dot-files are then left alone (a
 * hand-off under way renames one into place). */
static void walk(struct runtime *rt, bool wait)
{
    _cleanup_free_ char *dir = records_dir(rt);
    DIR *d;
    struct dirent *de;

    if (!dir || !(d = opendir(dir)))
        return;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            (wait && de->d_name[0] == '.'))
            continue;
        _cleanup_close_ int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        struct stat sb;
        /* once the lock is ours, a record still linked is one whose
         * child died; one unlinked meanwhile was done by its child */
        if (fd >= 0 && flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) == 0 &&
            fstat(fd, &sb) == 0 && sb.st_nlink > 0)
            repair_one(rt, dirfd(d), fd, de->d_name);
    }
    closedir(d);
}

void rtdelete_repair(struct runtime *rt)
{
    walk(rt, false);
}

void rtdelete_settle(struct runtime *rt)
{
    /* a hand-off of ours holds its record's lock until its child is
     * forked: waiting for that record would wait for ourselves */
    fork_pending();
    walk(rt, true);
}
