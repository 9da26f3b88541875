/*
 * storage/layers.c: the layer store, layers/<chain id>/{layer.json,diff/}.
 *
 * chain(L1) = diff_id(L1); chain(Ln) = sha256(chain(Ln-1) + " " + diff_id(Ln)),
 * as the OCI spec defines it, so a layer shared by two images (same
 * content on the same parents) is unpacked once. A layer is built in a
 * staging dir under tmp/ and renamed into place whole; layer.json inside
 * it is the proof that it is complete. overlay keeps only the layer's own
 * changes in diff/ and a short name l/<26 chars> -> ../layers/<chain>/diff;
 * vfs copies the parent's tree first, so every diff/ is a full tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

void chain_id_next(const char *parent, const char *diff_id, char out[65])
{
    if (!parent) {
        snprintf(out, 65, "%s", diff_id + 7);
        return;
    }
    char buf[160];
    struct berr *e = NULL;
    int n = snprintf(buf, sizeof(buf), "sha256:%s %s", parent, diff_id);
    if (sha256_buf(buf, (size_t) n, out, &e) < 0) {
        berr_free(e);
        out[0] = '\0';
    }
}

char *layer_diff(const struct store *s, const char *chain)
{
    return st_path(s, "layers/%s/diff", chain);
}

int layer_read(const struct store *s, const char *chain, json_t **out, struct berr **err)
{
    _cleanup_free_ char *p = st_path(s, "layers/%s/layer.json", chain);

    if (!p)
        return berr_oom(err);
    return js_read_file(p, out, err);
}

int layer_chain(const struct store *s, const char *top, char ***out, struct berr **err)
{
    _cleanup_strv_ char **v = NULL;
    _cleanup_free_ char *cur = str_dup(top);

    while (cur) {
        _cleanup_json_ json_t *l = NULL;
        if (strv_push(&v, cur) < 0)
            return berr_oom(err);
        if (strv_len(v) > 1000)
            return berr_msg(err, "layer %s: parent chain too long", top);
        if (layer_read(s, cur, &l, err) < 0)
            return berr_wrap(err, "layer %.12s", cur);
        const char *p = js_str(l, "parent", NULL);
        free(cur);
        cur = NULL;
        if (p && !(cur = str_dup(p)))
            return berr_oom(err);
    }
    *out = STEAL_PTR(v);
    return 0;
}

static int random_short(char out[27], struct berr **err)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char r[26];

    if (getrandom(r, sizeof(r), 0) != (ssize_t) sizeof(r))
        return berr_sys(err, "getrandom");
    for (int i = 0; i < 26; i++)
        out[i] = set[r[i] % 36];
    out[26] = '\0';
    return 0;
}

int layer_link(struct store *s, const char *chain, char **out, struct berr **err)
{
    _cleanup_json_ json_t *l = NULL;
    const char *sh;

    if (layer_read(s, chain, &l, err) < 0)
        return -1;
    sh = js_str(l, "short", NULL);
    if (!sh || strlen(sh) != 26 || strchr(sh, '/'))
        return berr_msg(err, "layer %.12s: no short link name", chain);
    _cleanup_free_ char *lp = st_path(s, "l/%s", sh);
    _cleanup_free_ char *target = str_fmt("../layers/%s/diff", chain);
    if (!lp || !target)
        return berr_oom(err);
    /* Made after the layer's rename; a crash in between loses only it. */
    if (symlink(target, lp) < 0 && errno != EEXIST)
        return berr_sys(err, "create %s", lp);
    if (!(*out = str_fmt("l/%s", sh)))
        return berr_oom(err);
    return 0;
}

mode_t layer_diff_mode(const struct store *s, const char *chain)
{
    _cleanup_free_ char *d = chain && *chain ? layer_diff(s, chain) : NULL;
    struct stat st;

    if (d && stat(d, &st) == 0)
        return st.st_mode & 07777;
    return 0555;
}

/* tmp/diff: the layer's tree, from blob (vfs: over a copy of the parent's). */
static int layer_build(struct store *s, const char *tmp, const char *parent, const char *blob,
                       struct berr **err)
{
    _cleanup_free_ char *diff = str_fmt("%s/diff", tmp);
    bool overlay = !strcmp(s->driver, "overlay");

    if (!diff)
        return berr_oom(err);
    if (mkdir(diff, 0755) < 0 || chmod(diff, layer_diff_mode(s, parent)) < 0)
        return berr_sys(err, "create %s", diff);
    if (!overlay && parent) {
        _cleanup_free_ char *pd = layer_diff(s, parent);
        if (!pd)
            return berr_oom(err);
        if (copy_tree(pd, diff, err) < 0)
            return berr_wrap(err, "copy layer %.12s", parent);
    }
    return unpack_tar(blob, diff, overlay ? UNPACK_OVERLAY : UNPACK_VFS, err);
}

int layer_ensure(struct store *s, const char *parent, const struct layer_in *in,
                 char chain[65], struct berr **err)
{
    _cleanup_free_ char *dst = NULL, *tmp = NULL, *blob = NULL;
    bool overlay = !strcmp(s->driver, "overlay");

    if (!digest_valid(in->diff_id))
        return berr_msg(err, "invalid layer diff id \"%s\"", in->diff_id);
    chain_id_next(parent, in->diff_id, chain);
    if (!(dst = st_path(s, "layers/%s", chain)) || !(blob = blob_path(s, in->blob)))
        return berr_oom(err);
    _cleanup_free_ char *have = str_fmt("%s/layer.json", dst);
    if (!have)
        return berr_oom(err);
    if (fs_exists(have)) {
        _cleanup_free_ char *l = NULL;
        return overlay ? layer_link(s, chain, &l, err) : 0;
    }
    if (st_mktemp(s, "layer", &tmp, err) < 0 || layer_build(s, tmp, parent, blob, err) < 0)
        return berr_wrap(err, "unpack layer %s", in->diff_id);
    return layer_install(s, tmp, parent, in, chain, err);
}

int layer_reunpack(struct store *s, const char *chain, struct berr **err)
{
    _cleanup_json_ json_t *meta = NULL;
    _cleanup_free_ char *tmp = NULL, *old = NULL, *blob = NULL;
    _cleanup_free_ char *dst = st_path(s, "layers/%s", chain);
    const char *parent;

    if (!dst)
        return berr_oom(err);
    if (layer_read(s, chain, &meta, err) < 0)
        return berr_wrap(err, "layer %.12s", chain);
    parent = js_str(meta, "parent", NULL);
    if (!digest_valid(js_str(meta, "blob", NULL)) ||
        !(blob = blob_path(s, js_str(meta, "blob", NULL))))
        return berr_msg(err, "layer %.12s: no blob to unpack", chain);
    if (st_mktemp(s, "layer", &tmp, err) < 0 || layer_build(s, tmp, parent, blob, err) < 0 ||
        layer_manifest_write(tmp, err) < 0 ||
        js_write_atomic(tmp, "layer.json", meta, 0600, err) < 0)
        return berr_wrap(err, "layer %.12s", chain);
    /* the old tree goes aside first: a crash between leaves the layer
     * missing, which the next check reports, never half of each */
    if (st_mktemp(s, "layer-old", &old, err) < 0)
        return -1;
    if (rmdir(old) < 0 || rename(dst, old) < 0 || rename(tmp, dst) < 0)
        return berr_sys(err, "replace layer %.12s", chain);
    return fs_rm_rf(old, err);
}

int layer_install(struct store *s, const char *tmp, const char *parent,
                  const struct layer_in *in, const char chain[65], struct berr **err)
{
    _cleanup_free_ char *dst = st_path(s, "layers/%s", chain);
    _cleanup_json_ json_t *meta = NULL;
    char shortname[27] = "";
    int64_t size = in->diff_size;
    bool overlay = !strcmp(s->driver, "overlay");

    if (!dst)
        return berr_oom(err);
    if (overlay && random_short(shortname, err) < 0)
        return -1;
    meta = json_pack("{s:s, s:s?, s:s, s:s, s:s?, s:I, s:s?, s:I, s:i}",
                     "id", chain, "parent", parent, "diff_id", in->diff_id, "blob", in->blob,
                     "media_type", in->media_type, "diff_size", (json_int_t) size,
                     "short", overlay ? shortname : NULL, "created", (json_int_t) time(NULL),
                     "version", STORE_VERSION);
    if (!meta)
        return berr_oom(err);
    /* before layer.json, which proves the layer complete */
    if (layer_manifest_write(tmp, err) < 0 ||
        js_write_atomic(tmp, "layer.json", meta, 0600, err) < 0)
        return -1;
    if (rename(tmp, dst) < 0) {
        if (errno != EEXIST && errno != ENOTEMPTY)
            return berr_sys(err, "store layer %.12s", chain);
        return fs_rm_rf(tmp, err);      /* made meanwhile: same content */
    }
    _cleanup_free_ char *layers = st_path(s, "layers");
    if (layers)
        (void) fs_fsync_dir(layers);
    if (overlay) {
        _cleanup_free_ char *l = NULL;
        return layer_link(s, chain, &l, err);
    }
    return 0;
}

int layer_remove(struct store *s, const char *chain, struct berr **err)
{
    _cleanup_json_ json_t *l = NULL;
    _cleanup_free_ char *dir = st_path(s, "layers/%s", chain);
    struct berr *e = NULL;

    if (!dir)
        return berr_oom(err);
    if (layer_read(s, chain, &l, &e) == 0) {
        const char *sh = js_str(l, "short", NULL);
        if (sh && !strchr(sh, '/') && *sh) {
            _cleanup_free_ char *lp = st_path(s, "l/%s", sh);
            if (lp)
                (void) unlink(lp);
        }
    }
    berr_free(e);
    if (st_mapped_copies_remove(s, chain, err) < 0)
        return -1;
    return st_remove_tree(s, dir, err);
}

/* ---- copying trees (vfs) ---- */

struct inode_map {
    dev_t dev;
    ino_t ino;
    char *path;
};

struct copier {
    struct inode_map *links;
    size_t n, cap;
};

static void copy_xattrs(int sfd, int dfd)
{
    char names[4096], val[4096];
    ssize_t n = flistxattr(sfd, names, sizeof(names));

    for (ssize_t i = 0; i < n; i += (ssize_t) strlen(names + i) + 1) {
        ssize_t vn = fgetxattr(sfd, names + i, val, sizeof(val));
        if (vn >= 0)
            (void) fsetxattr(dfd, names + i, val, (size_t) vn, 0);
    }
}

static int copy_data(int sfd, int dfd)
{
    char buf[1 << 16];
    ssize_t n;

    for (;;) {
        ssize_t c = copy_file_range(sfd, NULL, dfd, NULL, 1 << 30, 0);
        if (c == 0)
            return 0;
        if (c < 0)
            break;
    }
    while ((n = read(sfd, buf, sizeof(buf))) > 0)
        if (fs_write_all(dfd, buf, (size_t) n) < 0)
            return -1;
    return n < 0 ? -1 : 0;
}

static int copy_at(struct copier *c, int sdir, int ddir, const char *dpath, struct berr **err);

static int copy_entry(struct copier *c, int sdir, int ddir, const char *name,
                      const char *dpath, struct berr **err)
{
    struct stat st;
    struct timespec ts[2];

    if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return berr_sys(err, "stat %s/%s", dpath, name);
    ts[0] = st.st_atim;
    ts[1] = st.st_mtim;
    _cleanup_free_ char *full = str_fmt("%s/%s", dpath, name);
    if (!full)
        return berr_oom(err);
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
        for (size_t i = 0; i < c->n; i++)
            if (c->links[i].dev == st.st_dev && c->links[i].ino == st.st_ino) {
                if (linkat(AT_FDCWD, c->links[i].path, ddir, name, 0) < 0)
                    return berr_sys(err, "link %s", full);
                return 0;
            }
        if (c->n == c->cap) {
            size_t nc = c->cap ? c->cap * 2 : 32;
            struct inode_map *nl = realloc(c->links, nc * sizeof(*nl));
            if (!nl)
                return berr_oom(err);
            c->links = nl;
            c->cap = nc;
        }
        c->links[c->n++] = (struct inode_map) { st.st_dev, st.st_ino, str_dup(full) };
    }
    if (S_ISDIR(st.st_mode)) {
        if (mkdirat(ddir, name, 0700) < 0 && errno != EEXIST)
            return berr_sys(err, "create %s", full);
        _cleanup_close_ int s2 = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        _cleanup_close_ int d2 = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (s2 < 0 || d2 < 0)
            return berr_sys(err, "open %s", full);
        if (copy_at(c, s2, d2, full, err) < 0)
            return -1;
        if (fchown(d2, st.st_uid, st.st_gid) < 0 || fchmod(d2, st.st_mode & 07777) < 0)
            return berr_sys(err, "chown %s", full);
        copy_xattrs(s2, d2);
        (void) futimens(d2, ts);
        return 0;
    }
    if (S_ISREG(st.st_mode)) {
        _cleanup_close_ int s2 = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        _cleanup_close_ int d2 = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                        O_CLOEXEC, 0600);
        if (s2 < 0 || d2 < 0 || copy_data(s2, d2) < 0)
            return berr_sys(err, "copy %s", full);
        if (fchown(d2, st.st_uid, st.st_gid) < 0 || fchmod(d2, st.st_mode & 07777) < 0)
            return berr_sys(err, "chown %s", full);
        copy_xattrs(s2, d2);
        (void) futimens(d2, ts);
        return 0;
    }
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX + 1];
        ssize_t n = readlinkat(sdir, name, target, PATH_MAX);
        if (n < 0)
            return berr_sys(err, "readlink %s", full);
        target[n] = '\0';
        if (symlinkat(target, ddir, name) < 0)
            return berr_sys(err, "symlink %s", full);
    } else if (mknodat(ddir, name, st.st_mode, st.st_rdev) < 0) {
        return berr_sys(err, "mknod %s", full);
    }
    if (fchownat(ddir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
        return berr_sys(err, "chown %s", full);
    if (!S_ISLNK(st.st_mode))
        (void) fchmodat(ddir, name, st.st_mode & 07777, 0);
    (void) utimensat(ddir, name, ts, AT_SYMLINK_NOFOLLOW);
    return 0;
}

static int copy_at(struct copier *c, int sdir, int ddir, const char *dpath, struct berr **err)
{
    DIR *d = fs_opendir_fd(sdir);
    struct dirent *de;
    int rc = 0;

    if (!d)
        return berr_sys(err, "read %s", dpath);
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
            (rc = copy_entry(c, sdir, ddir, de->d_name, dpath, err)) < 0)
            break;
    closedir(d);
    return rc;
}

int store_copy_tree_at(int sfd, int ddfd, const char *dpath, struct berr **err)
{
    struct copier c = { 0 };
    struct stat st;
    int rc = copy_at(&c, sfd, ddfd, dpath, err);

    if (rc == 0 && fstat(sfd, &st) == 0) {
        const struct timespec t[2] = { st.st_atim, st.st_mtim };
        (void) fchown(ddfd, st.st_uid, st.st_gid);
        (void) fchmod(ddfd, st.st_mode & 07777);
        (void) futimens(ddfd, t);    /* its times too, as its entries' (podman's) */
    }
    for (size_t i = 0; i < c.n; i++)
        free(c.links[i].path);
    free(c.links);
    return rc;
}

int copy_tree(const char *src, const char *dst, struct berr **err)
{
    _cleanup_close_ int s = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    _cleanup_close_ int d = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (s < 0 || d < 0)
        return berr_sys(err, "copy %s to %s", src, dst);
    return store_copy_tree_at(s, d, dst, err);
}

static int64_t usage_at(int dfd)
{
    DIR *d = fs_opendir_fd(dfd);
    struct dirent *de;
    int64_t total = 0;

    if (!d)
        return 0;
    while ((de = readdir(d))) {
        struct stat st;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                total += usage_at(sub);
                close(sub);
            }
        } else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
            total += st.st_size;
        }
    }
    closedir(d);
    return total;
}

int64_t store_dir_usage(const char *path)
{
    _cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return fd < 0 ? 0 : usage_at(fd);
}
