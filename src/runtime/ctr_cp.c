/*
 * runtime/ctr_cp.c: cp between a container and the host (or another
 * container, or a tar stream on stdin/stdout), with docker's and
 * podman's rules for which name lands where.
 *
 * Safety: every path inside a container is opened relative to an fd of
 * the container's root with fs_open_in_root() (openat2 RESOLVE_IN_ROOT):
 * "/etc", "../../.." and symlinks pointing there resolve inside the
 * container, never on the host. The root of a running container is
 * /proc/<pid>/root, which also sees its volumes and bind mounts as the
 * container does; a stopped one's is its mounted root file system (its
 * volumes are not mounted there). What is copied travels as a tar stream
 * from a walker that never follows a symlink of the tree
 * (storage/copier.c) to an unpacker that resolves every name inside the
 * destination directory (storage/unpack.c); a thread writes the one
 * while this one reads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/user.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/thread.h"

int ctr_root_open(struct runtime *rt, struct ctr *c, struct ctr_root *r, struct berr **err)
{
    _cleanup_strv_ char **groups = NULL;
    struct ctr_user u = { 0 };
    const char *user = js_str(c->cfg.spec, "user", "");
    int st = ctr_state(c);

    memset(r, 0, sizeof(*r));
    r->fd = -1;
    snprintf(r->id, sizeof(r->id), "%s", c->id);
    if (!(r->name = str_dup(ctr_name(c))))
        return berr_oom(err);
    if ((st == CS_RUNNING || st == CS_PAUSED) && c->st.pid > 0) {
        /* what the container's processes see: its mounts included */
        if (!(r->path = str_fmt("/proc/%d/root", (int) c->st.pid)))
            return berr_oom(err);
        r->fd = open(r->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        /* the pid is still the container's: not reused after an exit */
        if (r->fd < 0 || !proc_alive(c->st.pid, c->st.pid_start)) {
            ctr_root_close(rt, r);
            return berr_msg(err, "container %s: its process is gone", c->id);
        }
    } else if (c->cfg.rootfs) {
        if (!(r->path = str_dup(c->cfg.rootfs)))
            return berr_oom(err);
    } else {
        struct store *s;
        if (rt_store(rt, &s, err) < 0 || store_ctr_mount(s, c->id, &r->path, err) < 0)
            return berr_wrap(err, "mounting container %s", c->id);
        r->mounted = true;
    }
    if (r->fd < 0 && (r->fd = open(r->path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
        berr_sys(err, "open %s", r->path);
        ctr_root_close(rt, r);
        return -1;
    }
    /* the container's user: cp --archive gives it what it copies in */
    groups = js_to_strv(json_object_get(c->cfg.spec, "groups"));
    if (user_resolve(r->path, user, groups, &u, err) < 0) {
        ctr_root_close(rt, r);
        return -1;
    }
    r->uid = u.uid;
    r->gid = u.gid;
    user_free(&u);
    return 0;
}

void ctr_root_close(struct runtime *rt, struct ctr_root *r)
{
    struct store *s;
    struct berr *e = NULL;

    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    if (r->mounted && (rt_store(rt, &s, &e) < 0 || store_ctr_unmount(s, r->id, false, &e) < 0))
        berr_free(e);
    r->mounted = false;
    free(r->path);
    free(r->name);
    r->path = r->name = NULL;
}

/* ---- one side of a copy ---- */

struct end {
    const struct cp_side *side;
    int rootfd;                 /* the container's root, or AT_FDCWD */
    char *where;                /* "on container X" / "on the host", for messages */
};

static int end_init(struct end *e, const struct cp_side *s)
{
    e->side = s;
    e->rootfd = s->root ? s->root->fd : AT_FDCWD;
    e->where = s->root ? str_fmt("on container %s", s->root->name) : str_dup("on the host");
    return e->where ? 0 : -1;
}

/* Opens path on this side (O_PATH, following a final symlink: inside
 * the container for a container's path). -1 with errno. */
static int end_open(const struct end *e, const char *path)
{
    if (e->side->root)
        return fs_open_in_root(e->rootfd, path, O_PATH);
    return open(path, O_PATH | O_CLOEXEC);
}

static int not_found(const struct end *e, const char *path, int errnum, struct berr **err)
{
    char eb[128];

    return berr_new(err, BERR_ENGINE, 0, "\"%s\" could not be found %s: %s", path, e->where,
                    berr_strerror(errnum, eb, sizeof(eb)));
}

/* The last component of a path as given ("a/b/" -> "b"); "" for "/",
 * ".", a path ending in "/." (the directory's contents: docker's rule). */
static char *base_name(const char *path)
{
    size_t n = strlen(path);

    if ((n >= 2 && !strcmp(path + n - 2, "/.")) || !strcmp(path, "."))
        return str_dup("");
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 1 && path[0] == '/')
        return str_dup("");
    size_t b = n;
    while (b > 0 && path[b - 1] != '/')
        b--;
    return str_ndup(path + b, n - b);
}

/* The path's parent as given ("a/b" -> "a", "b" -> ".", "/b" -> "/"). */
static char *parent_of(const char *path)
{
    size_t n = strlen(path);

    while (n > 1 && path[n - 1] == '/')
        n--;
    while (n > 0 && path[n - 1] != '/')
        n--;
    while (n > 1 && path[n - 1] == '/')
        n--;
    return n == 0 ? str_dup(".") : str_ndup(path, n);
}

/* ---- the copy: a writer thread and this reader ---- */

struct writer {
    int srcfd, outfd;
    const char *name;
    struct berr *err;
};

static void *write_tar(void *arg)
{
    struct writer *w = arg;
    struct tar_writer *tw;

    if (tarw_open(w->outfd, &tw, &w->err) == 0) {
        int r = tarw_add(tw, w->srcfd, w->name, &w->err);
        struct berr *e = NULL;
        if (tarw_close(tw, r < 0 ? &e : &w->err) < 0 && r < 0)
            berr_free(e);
    }
    close(w->outfd);    /* the reader sees the end */
    return NULL;
}

/* Copies the tree at srcfd, named name, into the directory dstfd. */
static int copy_tree(int srcfd, const char *name, int dstfd, const struct copy_put_opts *po,
                     struct berr **err)
{
    struct writer w = { .srcfd = srcfd, .name = name };
    pthread_t t;
    int p[2], r;

    if (pipe2(p, O_CLOEXEC) < 0)
        return berr_sys(err, "pipe");
    w.outfd = p[1];
    if (thread_spawn_away(&t, write_tar, &w) != 0) {
        close(p[0]);
        close(p[1]);
        return berr_msg(err, "start the copy thread");
    }
    r = store_copy_put(p[0], dstfd, po, err);
    close(p[0]);        /* a writer still writing gets EPIPE and ends */
    pthread_join(t, NULL);
    if (r < 0) {
        berr_free(w.err);
        return -1;
    }
    if (w.err) {
        *err = w.err;
        return -1;
    }
    return 0;
}

static void put_opts(const struct end *dst, const struct ctr_cp_opts *o, struct copy_put_opts *po)
{
    *po = (struct copy_put_opts) { .overwrite = o->overwrite };
    if (!dst->side->root)
        po->owner = COPY_OWNER_CREATOR;     /* podman: ours, with or without -a */
    else if (o->archive) {
        po->owner = COPY_OWNER_FIXED;       /* the container's user */
        po->uid = dst->side->root->uid;
        po->gid = dst->side->root->gid;
    } else {
        po->owner = COPY_OWNER_ARCHIVE;
    }
}

/* Where a source of this kind goes at dst: the directory fd and the name
 * its top entry takes there (docker's and podman's rules). is_dir: the
 * source is a directory; from_tar: a stream (its entries keep their names). */
static int place(const struct end *dst, const char *path, bool is_dir, bool from_tar,
                 const char *src_name, int *dirfd, char **name, struct berr **err)
{
    _cleanup_close_ int fd = end_open(dst, path);
    _cleanup_free_ char *parent = NULL, *base = NULL;
    struct stat st;

    if (fd >= 0) {
        if (fstat(fd, &st) < 0)
            return berr_sys(err, "stat \"%s\"", path);
        if (S_ISDIR(st.st_mode)) {
            /* into it, under the source's own name */
            if (!(*name = str_dup(from_tar ? "" : src_name)))
                return berr_oom(err);
            *dirfd = STEAL_FD(fd);
            return 0;
        }
        if (from_tar)
            return berr_msg(err, "destination must be a directory when copying from stdin");
        if (is_dir)
            return berr_msg(err, "destination must be a directory when copying a directory");
    } else if (errno != ENOENT) {
        return not_found(dst, path, errno, err);
    } else if (from_tar) {
        return berr_msg(err, "destination must be a directory when copying from stdin");
    } else if (path[strlen(path) - 1] == '/') {
        return not_found(dst, path, ENOENT, err);   /* a directory that is not there */
    }
    /* a file replaced, or a new name in an existing directory */
    if (!(parent = parent_of(path)) || !(base = base_name(path)))
        return berr_oom(err);
    *dirfd = end_open(dst, parent);
    if (*dirfd < 0)
        return not_found(dst, path, errno, err);
    if (fstat(*dirfd, &st) < 0 || !S_ISDIR(st.st_mode))
        return not_found(dst, path, ENOTDIR, err);
    *name = STEAL_PTR(base);
    return 0;
}

int ctr_cp(const struct cp_side *src, const struct cp_side *dst, const struct ctr_cp_opts *o,
           struct berr **err)
{
    struct end s = { 0 }, d = { 0 };
    _cleanup_close_ int srcfd = -1, dirfd = -1;
    _cleanup_free_ char *src_name = NULL, *name = NULL;
    bool from_tar = !strcmp(src->path, "-"), to_tar = !strcmp(dst->path, "-");
    struct copy_put_opts po;
    struct stat st = { 0 };
    int r = -1;

    if (end_init(&s, src) < 0 || end_init(&d, dst) < 0) {
        r = berr_oom(err);
        goto out;
    }
    if (from_tar && to_tar) {
        r = berr_msg(err, "copying from stdin to stdout is not supported");
        goto out;
    }
    if (!from_tar) {
        /* podman reads a container's "FILE/" as FILE (the host's is an
         * error, as the kernel says) */
        _cleanup_free_ char *trimmed = str_dup(src->path);
        size_t n = trimmed ? strlen(trimmed) : 0;
        if (!trimmed) {
            r = berr_oom(err);
            goto out;
        }
        while (src->root && n > 1 && trimmed[n - 1] == '/')
            trimmed[--n] = '\0';
        srcfd = end_open(&s, trimmed);
        if (srcfd < 0 || fstat(srcfd, &st) < 0) {
            r = not_found(&s, src->path, errno, err);
            goto out;
        }
        if (!(src_name = base_name(src->path))) {
            r = berr_oom(err);
            goto out;
        }
        if (!*src_name && !S_ISDIR(st.st_mode)) {
            r = not_found(&s, src->path, ENOTDIR, err);
            goto out;
        }
    }
    if (to_tar) {
        struct tar_writer *tw;
        if (tarw_open(o->out_fd, &tw, err) < 0)
            goto out;
        r = tarw_add(tw, srcfd, src_name, err);
        struct berr *e = NULL;
        if (tarw_close(tw, r < 0 ? &e : err) < 0 && r == 0)
            r = -1;
        berr_free(e);
        goto out;
    }
    if (place(&d, dst->path, S_ISDIR(st.st_mode), from_tar, src_name, &dirfd, &name, err) < 0)
        goto out;
    put_opts(&d, o, &po);
    if (from_tar)
        r = store_copy_put(o->in_fd, dirfd, &po, err);
    else
        r = copy_tree(srcfd, name, dirfd, &po, err);
    if (r < 0)
        berr_wrap(err, "copying %s", d.side->root ? "to container" : "from container");
out:
    free(s.where);
    free(d.where);
    return r;
}

int ctr_export(struct runtime *rt, struct ctr *c, int out_fd, struct berr **err)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_close_ int fd = -1;
    struct store *s = NULL;
    struct tar_writer *tw;
    struct berr *e = NULL;
    int r = -1;

    if (c->cfg.rootfs) {
        if (!(path = str_dup(c->cfg.rootfs)))
            return berr_oom(err);
    } else if (rt_store(rt, &s, err) < 0 || store_ctr_mount(s, c->id, &path, err) < 0) {
        return berr_wrap(err, "mounting container %s", c->id);
    }
    ctr_emit(rt, c, "mount");
    if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
        berr_sys(err, "open %s", path);
    else if (tarw_open(out_fd, &tw, err) == 0) {
        r = tarw_add(tw, fd, "", err);
        if (tarw_close(tw, r < 0 ? &e : err) < 0 && r == 0)
            r = -1;
        berr_free(e);
    }
    if (s && store_ctr_unmount(s, c->id, false, r < 0 ? &e : err) < 0 && r == 0)
        r = -1;
    berr_free(e);
    return r;
}
