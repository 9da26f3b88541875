/*
 * storage/store.c: opening the graph root, the storage lock, the driver
 * record and crash leftovers. Layout and rules: storage/store.h.
 *
 * The lock is one OFD lock on <graph>/storage.lock: shared while reading,
 * exclusive while changing. OFD locks of one process conflict with each
 * other across file descriptions, so the store keeps one description and
 * a nesting depth: public functions lock, internal helpers assume it held.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/mounts.h"
#include "util/str.h"

char *st_path(const struct store *s, const char *fmt, ...)
{
    va_list ap;
    _cleanup_free_ char *rel = NULL;

    va_start(ap, fmt);
    rel = str_vfmt(fmt, ap);
    va_end(ap);
    return rel ? str_fmt("%s/%s", s->graph, rel) : NULL;
}

char *st_run_path(const struct store *s, const char *fmt, ...)
{
    va_list ap;
    _cleanup_free_ char *rel = NULL;

    va_start(ap, fmt);
    rel = str_vfmt(fmt, ap);
    va_end(ap);
    return rel ? str_fmt("%s/%s", s->run, rel) : NULL;
}

int st_mktemp(struct store *s, const char *what, char **out, struct berr **err)
{
    char *p = st_path(s, "tmp/%s-XXXXXX", what);

    if (!p)
        return berr_oom(err);
    if (!mkdtemp(p)) {
        berr_sys(err, "create staging dir in %s/tmp", s->graph);
        free(p);
        return -1;
    }
    *out = p;
    return 0;
}

int st_mktemp_held(struct store *s, const char *what, char **out, int *lockfd,
                   struct berr **err)
{
    /* The cleanup of another writer may see the dir between mkdtemp and
     * flock and remove it: then the lock is refused (it holds its own) or
     * lands on a removed dir (no links left), and a new one is made. */
    for (int tries = 0; tries < 16; tries++) {
        _cleanup_free_ char *p = NULL;
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (st_mktemp(s, what, &p, err) < 0)
            return -1;
        fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &st) == 0 &&
            st.st_nlink > 0) {
            *out = STEAL_PTR(p);
            *lockfd = STEAL_FD(fd);
            return 0;
        }
        if (fd < 0 && errno != ENOENT)
            return berr_sys(err, "open %s", p);
    }
    return berr_msg(err, "cannot make a staging dir in %s/tmp", s->graph);
}

int st_gc_mark(struct store *s, bool set, struct berr **err)
{
    _cleanup_free_ char *dir = st_path(s, "images");
    _cleanup_free_ char *p = st_path(s, "images/.gc");

    if (!dir || !p)
        return berr_oom(err);
    if (set)
        return fs_write_atomic(dir, ".gc", "", 0, 0600, err);
    if (unlink(p) < 0 && errno != ENOENT)
        return berr_sys(err, "remove %s", p);
    return 0;
}

/* Locks a leftover under tmp/ for its removal: -1 when a live process
 * holds it (st_mktemp_held), else an fd to keep until it is gone. */
static int st_leftover_lock(DIR *d, const char *name)
{
    int fd = openat(dirfd(d), name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
        close(fd);
        return -1;
    }
    return fd < 0 ? -2 : fd;     /* -2: a symlink or gone, nothing to hold */
}

/* Moves path itself under tmp/, as tmp/del-XXXXXX (malloc'd in *out):
 * 1 moved, 0 there was none, -1. A dir of its own to move it into would
 * cost an inode per removal; the name is free by RENAME_NOREPLACE (a
 * plain rename would replace an empty dir of that name). */
static int move_aside(struct store *s, const char *path, char **out, struct berr **err)
{
    for (int tries = 0; tries < 16; tries++) {
        unsigned char r[6];
        char *dst;

        if (getrandom(r, sizeof(r), 0) != (ssize_t) sizeof(r))
            return berr_sys(err, "getrandom");
        dst = st_path(s, "tmp/del-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5]);
        if (!dst)
            return berr_oom(err);
        int rc = renameat2(AT_FDCWD, path, AT_FDCWD, dst, RENAME_NOREPLACE);
        /* a file system without the flag (EINVAL): a random name not
         * there a moment ago will do */
        if (rc < 0 && errno == EINVAL && !fs_exists(dst))
            rc = rename(path, dst);
        if (rc == 0) {
            *out = dst;
            return 1;
        }
        int e = errno;
        free(dst);
        /* ENOENT: path is gone, unless tmp/ is (then it is an error) */
        if (e == ENOENT && !fs_exists(path))
            return 0;
        if (e != EEXIST) {
            errno = e;
            return berr_sys(err, "remove %s", path);
        }
    }
    return berr_msg(err, "remove %s: no free name in %s/tmp", path, s->graph);
}

int st_remove_tree(struct store *s, const char *path, struct berr **err)
{
    _cleanup_free_ char *tmp = NULL;
    int r = move_aside(s, path, &tmp, err);

    return r <= 0 ? r : mounts_rm_rf(tmp, err);
}

int st_remove_tree_held(struct store *s, const char *path, char **held, int *lockfd,
                        struct berr **err)
{
    _cleanup_close_ int fd = -1;
    int r;

    *held = NULL;
    *lockfd = -1;
    /* locked before it enters tmp/, so the leftover cleanup of another
     * writer never sees it unlocked while we live */
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : berr_sys(err, "open %s", path);
    if (flock(fd, LOCK_EX | LOCK_NB) < 0)
        return berr_sys(err, "lock %s", path);
    r = move_aside(s, path, held, err);
    if (r <= 0)
        return r;
    crash_point("rm:aside");
    *lockfd = STEAL_FD(fd);
    return 0;
}

/* Removes what a killed writer left: staging dirs under tmp/ (those made
 * under the exclusive lock, and held ones whose process died). A names
 * index that may be out of date (a writer died between record and index)
 * is rebuilt; blobs and layers a writer stored before dying ahead of the
 * record that would name them (images/.gc still there) are collected. */
static int st_cleanup(struct store *s, struct berr **err)
{
    _cleanup_free_ char *tmp = st_path(s, "tmp");
    _cleanup_free_ char *dirty = st_path(s, "images/.dirty");
    _cleanup_free_ char *gc = st_path(s, "images/.gc");
    _cleanup_closedir_ DIR *d = NULL;
    struct dirent *de;

    if (!tmp || !dirty || !gc)
        return berr_oom(err);
    d = opendir(tmp);
    if (!d)
        return berr_sys(err, "open %s", tmp);
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        int held = st_leftover_lock(d, de->d_name);
        if (held == -1) {
            log_debug("staging dir %s/%s is in use", tmp, de->d_name);
            continue;
        }
        _cleanup_free_ char *p = str_fmt("%s/%s", tmp, de->d_name);
        struct berr *e = NULL;
        if (!p) {
            if (held >= 0)
                close(held);
            return berr_oom(err);
        }
        /* a leftover that will not go (a file made immutable, a mount
         * that will not detach) is said, not fatal: it must not stop
         * every writer of the store */
        if (mounts_rm_rf(p, &e) < 0) {
            /* said once a command (the cleanup runs at each lock) */
            static bool said;
            if (said)
                log_debug("storage leftover %s is left: %s", p, e->msg);
            else
                log_warn("storage leftover %s is left: %s", p, e->msg);
            said = true;
            berr_free(e);
        } else {
            log_debug("removed storage leftover %s", p);
        }
        if (held >= 0)
            close(held);
    }
    if (fs_exists(dirty)) {
        log_debug("rebuilding the image names index");
        if (st_img_names_rebuild(s, err) < 0)
            return -1;
        if (unlink(dirty) < 0 && errno != ENOENT)
            return berr_sys(err, "remove %s", dirty);
    }
    if (fs_exists(gc)) {
        log_debug("collecting the blobs and layers of an interrupted writer");
        if (st_img_gc_layers(s, err) < 0 || st_gc_mark(s, false, err) < 0)
            return -1;
    }
    return 0;
}

int st_lock(struct store *s, bool exclusive, struct berr **err)
{
    if (s->depth > 0) {
        if (exclusive && !s->excl)
            return berr_msg(err, "internal error: storage lock upgrade");
        s->depth++;
        return 0;
    }
    _cleanup_free_ char *p = st_path(s, "storage.lock");
    if (!p)
        return berr_oom(err);
    if (lock_path(p, exclusive, &s->lk, err) < 0)
        return -1;
    s->depth = 1;
    s->excl = exclusive;
    if (exclusive && !s->cleaned) {
        if (st_cleanup(s, err) < 0) {
            st_unlock(s);
            return berr_wrap(err, "storage %s", s->graph);
        }
        s->cleaned = true;
    }
    return 0;
}

void st_unlock(struct store *s)
{
    if (s->depth > 0 && --s->depth == 0)
        lock_release(&s->lk);
}

bool store_overlay_supported(const char *dir)
{
    _cleanup_free_ char *base = str_fmt("%s/.overlay-probe-XXXXXX", dir);
    bool ok = false;

    if (!base || !mkdtemp(base))
        return false;
    _cleanup_free_ char *lo = str_fmt("%s/lower", base), *up = str_fmt("%s/upper", base);
    _cleanup_free_ char *wk = str_fmt("%s/work", base), *mnt = str_fmt("%s/merged", base);
    if (lo && up && wk && mnt && mkdir(lo, 0700) == 0 && mkdir(up, 0700) == 0 &&
        mkdir(wk, 0700) == 0 && mkdir(mnt, 0700) == 0) {
        _cleanup_free_ char *opts = str_fmt("lowerdir=%s,upperdir=%s,workdir=%s", lo, up, wk);
        if (opts && mount("overlay", mnt, "overlay", 0, opts) == 0) {
            ok = true;
            (void) umount2(mnt, MNT_DETACH);
        }
    }
    struct berr *e = NULL;
    (void) fs_rm_rf(base, &e);
    berr_free(e);
    return ok;
}

/* The recorded driver wins when none is asked for; a different explicit
 * one is refused rather than silently hiding every image. */
static int st_pick_driver(struct store *s, const char *want, struct berr **err)
{
    _cleanup_free_ char *dir = st_path(s, ".");
    _cleanup_free_ char *file = st_path(s, "storage.json");
    _cleanup_json_ json_t *rec = NULL;
    const char *have = NULL;

    if (!dir || !file)
        return berr_oom(err);
    if (fs_exists(file)) {
        if (js_read_file(file, &rec, err) < 0)
            return -1;
        have = js_str(rec, "driver", NULL);
    }
    if (want && *want && strcmp(want, "overlay") && strcmp(want, "overlay2") &&
        strcmp(want, "vfs"))
        return berr_kind(err, BK_INVALID, "unknown storage driver \"%s\" (overlay or vfs)", want);
    if (want && !strcmp(want, "overlay2"))
        want = "overlay";
    if (have && want && *want && strcmp(have, want))
        return berr_msg(err, "storage driver \"%s\" does not match the driver \"%s\" "
                        "recorded in %s: remove the storage to change drivers",
                        want, have, file);
    if (have)
        return (s->driver = str_dup(have)) ? 0 : berr_oom(err);
    if (want && *want)
        s->driver = str_dup(want);
    else
        s->driver = str_dup(store_overlay_supported(s->graph) ? "overlay" : "vfs");
    if (!s->driver)
        return berr_oom(err);
    rec = json_pack("{s:s, s:i}", "driver", s->driver, "version", STORE_VERSION);
    if (!rec)
        return berr_oom(err);
    return js_write_atomic(s->graph, "storage.json", rec, 0600, err);
}

int store_open(const struct store_opts *o, struct store **out, struct berr **err)
{
    static const char *const dirs[] = { "blobs/sha256", "images", "layers", "l",
                                        "containers", "tmp" };
    struct store *s = calloc(1, sizeof(*s));

    if (!s)
        return berr_oom(err);
    s->lk.fd = -1;
    s->graph = fs_clean(o->graph_root);
    s->run = fs_clean(o->run_root);
    if (!s->graph || !s->run) {
        store_close(s);
        return berr_oom(err);
    }
    /* spread: the dirs made in them are each placed apart (fs.h) */
    if (fs_mkdir_spread(s->graph, 0700, err) < 0) {
        store_close(s);
        return -1;
    }
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
        _cleanup_free_ char *p = st_path(s, "%s", dirs[i]);
        if (!p || fs_mkdir_spread(p, 0700, err) < 0) {
            store_close(s);
            return p ? -1 : berr_oom(err);
        }
    }
    if (fs_mkdir_spread(s->run, 0700, err) < 0) {
        store_close(s);
        return -1;
    }
    /* The driver choice is made once, under the exclusive lock, so two
     * first commands cannot record different drivers. */
    if (st_lock(s, true, err) < 0 || st_pick_driver(s, o->driver, err) < 0) {
        store_close(s);
        return -1;
    }
    st_unlock(s);
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    s->depth = 1;
    st_unlock(s);
    free(s->graph);
    free(s->run);
    free(s->driver);
    free(s);
}

const char *store_driver(const struct store *s) { return s->driver; }
const char *store_graph_root(const struct store *s) { return s->graph; }
