/*
 * storage/manifest.c: a layer's file manifest, layers/<chain>/manifest.json,
 * written when the layer is unpacked and compared with the unpacked tree by
 * system check, so that a file changed behind the store's back is found.
 *
 * One entry per file below diff/, keyed by its path:
 *   "f MODE UID GID SIZE SHA256"   regular file, its content's digest
 *   "d MODE UID GID"               directory
 *   "l MODE UID GID TARGET"        symbolic link
 *   "c|b|p|s MODE UID GID RDEV"    device, fifo, socket (overlay whiteouts)
 * Per-file digests rather than one digest of the whole tree: the tree has
 * to be read whole either way, and per file the check can name the file
 * that changed. Content, not mtimes or ctimes: a store copied or restored
 * from a backup keeps its content but not its inode times. Hard links are
 * hashed once (busybox's image is one file under 400 names). Extended
 * attributes are not recorded.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

#define MANIFEST_VERSION 1

struct walk {
    const char *root;
    json_t *inodes;         /* "dev:ino" -> digest, for hard links */
    json_t *out;            /* make: path -> entry */
    json_t *want;           /* verify: the manifest's entries */
    size_t seen;            /* verify: entries of want met */
    char *problem;          /* verify: the first difference */
    size_t ndiff;
};

static char *file_digest(struct walk *w, const char *full, const struct stat *st,
                         struct berr **err)
{
    char key[64], hex[65];
    const char *have;

    snprintf(key, sizeof(key), "%ju:%ju", (uintmax_t) st->st_dev, (uintmax_t) st->st_ino);
    if (st->st_nlink > 1 && (have = json_string_value(json_object_get(w->inodes, key))))
        return str_dup(have);
    if (blob_hash_file(full, hex, NULL, err) < 0)
        return NULL;
    if (st->st_nlink > 1)
        (void) json_object_set_new(w->inodes, key, json_string(hex));
    return str_dup(hex);
}

/* The entry of one file, malloc'd; NULL with *err set on failure. */
static char *entry_of(struct walk *w, int dfd, const char *name, const char *full,
                      const struct stat *st, struct berr **err)
{
    unsigned mode = st->st_mode & 07777, uid = st->st_uid, gid = st->st_gid;
    char target[4096];
    ssize_t n;

    switch (st->st_mode & S_IFMT) {
    case S_IFREG: {
        _cleanup_free_ char *d = file_digest(w, full, st, err);
        return d ? str_fmt("f %04o %u %u %jd %s", mode, uid, gid, (intmax_t) st->st_size, d)
                 : NULL;
    }
    case S_IFDIR:
        return str_fmt("d %04o %u %u", mode, uid, gid);
    case S_IFLNK:
        if ((n = readlinkat(dfd, name, target, sizeof(target) - 1)) < 0) {
            berr_sys(err, "read link %s", full);
            return NULL;
        }
        target[n] = '\0';
        return str_fmt("l %04o %u %u %s", mode, uid, gid, target);
    default:
        return str_fmt("%c %04o %u %u %u:%u", S_ISCHR(st->st_mode) ? 'c' : S_ISBLK(st->st_mode) ?
                       'b' : S_ISFIFO(st->st_mode) ? 'p' : 's', mode, uid, gid,
                       major(st->st_rdev), minor(st->st_rdev));
    }
}

/* What differs between two entries, for the report. */
static const char *what_differs(const char *want, const char *got)
{
    unsigned wm, gm, wu, gu, wg, gg;
    char wt, gt;

    if (sscanf(want, "%c %o %u %u", &wt, &wm, &wu, &wg) != 4 ||
        sscanf(got, "%c %o %u %u", &gt, &gm, &gu, &gg) != 4 || wt != gt)
        return "type changed";
    if (wm != gm)
        return "mode changed";
    if (wu != gu || wg != gg)
        return "owner changed";
    return wt == 'f' ? "content changed" : wt == 'l' ? "link target changed" : "changed";
}

static void differs(struct walk *w, const char *path, const char *how)
{
    if (!w->ndiff++)
        w->problem = str_fmt("%s: %s", path, how);
}

static int visit(struct walk *w, const char *path, const char *entry, struct berr **err)
{
    const char *want;

    if (w->out)
        return json_object_set_new(w->out, path, json_string(entry)) < 0 ? berr_oom(err) : 0;
    if (!(want = json_string_value(json_object_get(w->want, path)))) {
        differs(w, path, "added");
        return 0;
    }
    w->seen++;
    if (strcmp(want, entry))
        differs(w, path, what_differs(want, entry));
    return 0;
}

static int walk_dir(struct walk *w, int dfd, const char *rel, struct berr **err)
{
    _cleanup_closedir_ DIR *d = fdopendir(dfd);
    struct dirent *de;

    if (!d) {
        close(dfd);
        return berr_sys(err, "open %s/%s", w->root, rel);
    }
    while ((errno = 0, de = readdir(d))) {
        struct stat st;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        _cleanup_free_ char *path = *rel ? str_fmt("%s/%s", rel, de->d_name) : str_dup(de->d_name);
        _cleanup_free_ char *full = path ? str_fmt("%s/%s", w->root, path) : NULL;
        _cleanup_free_ char *entry = NULL;
        if (!full)
            return berr_oom(err);
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            return berr_sys(err, "stat %s", full);
        if (!(entry = entry_of(w, dirfd(d), de->d_name, full, &st, err)) ||
            visit(w, path, entry, err) < 0)
            return -1;
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0)
                return berr_sys(err, "open %s", full);
            if (walk_dir(w, sub, path, err) < 0)
                return -1;
        }
    }
    return errno ? berr_sys(err, "read %s/%s", w->root, rel) : 0;
}

static int walk(struct walk *w, struct berr **err)
{
    int fd = open(w->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return berr_sys(err, "open %s", w->root);
    if (!(w->inodes = json_object()))
        return close(fd), berr_oom(err);
    return walk_dir(w, fd, "", err);
}

int layer_manifest_write(const char *layer_dir, struct berr **err)
{
    _cleanup_free_ char *diff = str_fmt("%s/diff", layer_dir);
    _cleanup_json_ json_t *doc = NULL;
    struct walk w = { .root = diff, .out = json_object() };
    int r;

    if (!diff || !w.out) {
        json_decref(w.out);
        return berr_oom(err);
    }
    r = walk(&w, err);
    json_decref(w.inodes);
    if (r < 0) {
        json_decref(w.out);
        return berr_wrap(err, "layer manifest");
    }
    if (!(doc = json_pack("{s:o, s:i}", "files", w.out, "version", MANIFEST_VERSION)))
        return berr_oom(err);
    return js_write_atomic(layer_dir, "manifest.json", doc, 0600, err);
}

int layer_manifest_verify(const struct store *s, const char *chain, char **problem,
                          struct berr **err)
{
    _cleanup_free_ char *dir = st_path(s, "layers/%s", chain);
    _cleanup_free_ char *diff = dir ? str_fmt("%s/diff", dir) : NULL;
    _cleanup_free_ char *path = dir ? str_fmt("%s/manifest.json", dir) : NULL;
    _cleanup_json_ json_t *doc = NULL;
    struct walk w = { .root = diff };
    int r;

    *problem = NULL;
    if (!path || !diff)
        return berr_oom(err);
    /* A layer unpacked before manifests existed: take the tree as it is
     * now (the blob beneath it was just verified), so later changes show. */
    if (!fs_exists(path))
        return layer_manifest_write(dir, err);
    if (js_read_file(path, &doc, err) < 0)
        return -1;
    if (!json_is_object(w.want = json_object_get(doc, "files")))
        return berr_msg(err, "%s: no \"files\" object", path);
    r = walk(&w, err);
    json_decref(w.inodes);
    if (r < 0) {
        free(w.problem);
        return -1;
    }
    if (w.seen < json_object_size(w.want)) {
        const char *p;
        json_t *v;
        json_object_foreach(w.want, p, v) {
            _cleanup_free_ char *full = str_fmt("%s/%s", diff, p);
            struct stat st;
            if (full && lstat(full, &st) < 0)
                differs(&w, p, "missing");
        }
    }
    if (w.ndiff > 1)
        *problem = str_fmt("%zu files differ from its manifest, first %s", w.ndiff, w.problem);
    else
        *problem = STEAL_PTR(w.problem);
    free(w.problem);
    return 0;
}
