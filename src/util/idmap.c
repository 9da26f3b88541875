/*
 * util/idmap.c: id mappings (see idmap.h). The user namespace is made by
 * a child that unshares one and waits; we write its maps from outside
 * (as root, no setgroups dance is needed), open its ns file, and let it go.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/idmap.h"
#include "util/str.h"

static int parse_u32(const char *s, size_t n, uint32_t *out)
{
    unsigned long long v = 0;

    if (n == 0 || n > 10)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned) (s[i] - '0');
    }
    if (v > UINT32_MAX)
        return -1;
    *out = (uint32_t) v;
    return 0;
}

int idmap_parse(const char *s, struct idmap *m)
{
    const char *a = strchr(s, ':'), *b = a ? strchr(a + 1, ':') : NULL;

    if (!a || !b || strchr(b + 1, ':'))
        return -1;
    if (parse_u32(s, (size_t) (a - s), &m->ctr) < 0 ||
        parse_u32(a + 1, (size_t) (b - a - 1), &m->host) < 0 ||
        parse_u32(b + 1, strlen(b + 1), &m->size) < 0 || m->size == 0)
        return -1;
    return 0;
}

long long idmap_to_host(const struct idmap *maps, size_t n, uint32_t c)
{
    for (size_t i = 0; i < n; i++)
        if (c >= maps[i].ctr && (uint64_t) c < (uint64_t) maps[i].ctr + maps[i].size)
            return (long long) maps[i].host + (c - maps[i].ctr);
    return -1;
}

static int write_map(pid_t pid, const char *which, const struct idmap *m, size_t n,
                     struct berr **err)
{
    _cleanup_free_ char *path = str_fmt("/proc/%d/%s", (int) pid, which);
    struct sbuf b = SBUF_INIT;
    _cleanup_close_ int fd = -1;
    int rc = 0;

    if (!path)
        return berr_oom(err);
    for (size_t i = 0; i < n; i++)
        sbuf_addf(&b, "%u %u %u\n", m[i].ctr, m[i].host, m[i].size);
    if (b.oom) {
        sbuf_free(&b);
        return berr_oom(err);
    }
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, b.buf, b.len) != (ssize_t) b.len)
        rc = berr_sys(err, "write %s", path);
    sbuf_free(&b);
    return rc;
}

int ns_child_start(bool (*prep)(int), int arg, struct ns_child *ch, struct berr **err)
{
    int go[2], ready[2];
    char c = 0;

    ch->pid = -1;
    ch->go = -1;
    if (pipe2(go, O_CLOEXEC) < 0)
        return berr_sys(err, "pipe");
    if (pipe2(ready, O_CLOEXEC) < 0) {
        close(go[0]);
        close(go[1]);
        return berr_sys(err, "pipe");
    }
    ch->pid = fork();
    if (ch->pid == 0) {
        /* async-signal-safe only: prepare, say so, wait to be let go */
        char r = prep(arg) ? 'y' : 'n';
        close(go[1]);
        close(ready[0]);
        if (write(ready[1], &r, 1) != 1 || read(go[0], &r, 1) < 0)
            _exit(1);
        _exit(0);
    }
    close(go[0]);
    close(ready[1]);
    ch->go = go[1];
    if (ch->pid < 0) {
        close(ready[0]);
        ns_child_end(ch);
        return berr_sys(err, "fork");
    }
    if (read(ready[0], &c, 1) != 1 || c != 'y') {
        close(ready[0]);
        ns_child_end(ch);
        return berr_new(err, BERR_ENGINE, EPERM, "prepare a namespace");
    }
    close(ready[0]);
    return 0;
}

void ns_child_end(struct ns_child *ch)
{
    int st;

    if (ch->go >= 0)
        close(ch->go);      /* the child reads EOF and exits */
    ch->go = -1;
    while (ch->pid > 0 && waitpid(ch->pid, &st, 0) < 0 && errno == EINTR)
        ;
    ch->pid = -1;
}

static bool new_userns(int unused)
{
    (void) unused;
    return unshare(CLONE_NEWUSER) == 0;
}

int idmap_userns_fd(const struct idmap *uid, size_t nuid, const struct idmap *gid, size_t ngid,
                    int *fd, struct berr **err)
{
    _cleanup_free_ char *ns = NULL;
    struct ns_child ch;
    int rc = 0;

    if (ns_child_start(new_userns, 0, &ch, err) < 0)
        return berr_wrap(err, "create a user namespace for the id mapping");
    if (!(ns = str_fmt("/proc/%d/ns/user", (int) ch.pid)))
        rc = berr_oom(err);
    else if (write_map(ch.pid, "uid_map", uid, nuid, err) < 0 ||
             write_map(ch.pid, "gid_map", gid, ngid, err) < 0)
        rc = -1;
    else if ((*fd = open(ns, O_RDONLY | O_CLOEXEC)) < 0)
        rc = berr_sys(err, "open %s", ns);
    ns_child_end(&ch);
    return rc;
}
