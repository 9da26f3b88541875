/*
 * storage/load.c: docker-archive and oci-archive in; the commit of an
 * image is shared with import.
 *
 * Two phases. Staging takes no storage lock, since reading the input may
 * wait on a pipe for as long as the writer likes: the archive is copied
 * (when it is not a regular file) and unpacked (safely, as a layer would
 * be, FIFOs and devices never made) into a staging dir under tmp/ that
 * this process holds (st_mktemp_held); its format is told by content
 * (oci-layout + index.json, or manifest.json). Every image is planned
 * from the JSON documents (load_docs.c), each read into memory capped and
 * only from a regular file; every layer is hard-linked into a staging
 * name and checked: its compressed digest (OCI) and its uncompressed
 * digest against the config's diff_ids (both formats). Nothing in the
 * store changed so far, so a broken image anywhere fails the whole load.
 *
 * The commit, under the exclusive lock: every blob moves into the store
 * and every layer of every image is unpacked, then the records are
 * written, so a layer that does not unpack fails the load before any
 * image appears. images/.gc is set for the commit's duration: a load
 * killed half-way leaves blobs and layers no record names, and the next
 * writer collects them (store.c, st_cleanup).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/internal.h"
#include "storage/load.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

void store_loaded_free(struct store_loaded *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        strv_free(v[i].names);
    free(v);
}

struct stage {
    struct store *s;
    char *dir;          /* tmp/load-XXXXXX, held through lockfd */
    int lockfd;
    int xfd;            /* the unpacked archive's root */
    unsigned seq;
    size_t held;        /* bytes of documents kept for the commit */
};

/* ---- reading the unpacked archive ---- */

/* "dir/target" of a symlink at path, cleaned lexically: it resolves
 * inside the root whatever it says (RESOLVE_IN_ROOT does the rest). */
static char *link_target(const char *path, const char *target)
{
    const char *slash = strrchr(path, '/');
    _cleanup_free_ char *abs = target[0] == '/' ? str_fmt("%s", target)
                                                : str_fmt("/%.*s/%s", slash ? (int) (slash - path)
                                                                            : 0, path, target);
    _cleanup_free_ char *c = abs ? fs_clean(abs) : NULL;

    return c ? str_dup(c + 1) : NULL;
}

/* Opens the regular file rel of the unpacked archive, and nothing else.
 * Its type is told from an O_PATH fd, which opens nothing; only then is
 * it opened O_NOFOLLOW|O_NONBLOCK, and must still be that file. A
 * symlink (docker save links a layer two images share) is followed by
 * hand inside the root, a few hops at most. */
static int open_regular(struct stage *g, const char *rel, struct berr **err)
{
    _cleanup_free_ char *path = str_dup(rel), *erel = str_escape(rel);

    if (!path || !erel)
        return berr_oom(err);
    for (int hops = 0; hops < 16; hops++) {
        struct berr *e = NULL;
        _cleanup_close_ int pfd = unpack_open_in_root(g->xfd, path, O_PATH | O_NOFOLLOW, &e);
        struct stat st, st2;
        char target[4096];
        ssize_t n;

        if (pfd < 0 && (e->errnum == ENOENT || e->errnum == ENOTDIR)) {
            berr_free(e);
            return berr_msg(err, "archive file \"%s\" is missing", erel);
        }
        if (pfd < 0) {
            *err = e;
            return berr_wrap(err, "archive file \"%s\"", erel);
        }
        if (fstat(pfd, &st) < 0)
            return berr_sys(err, "archive file \"%s\"", erel);
        if (S_ISREG(st.st_mode)) {
            int fd = unpack_open_in_root(g->xfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, err);
            if (fd < 0)
                return berr_wrap(err, "archive file \"%s\"", erel);
            if (fstat(fd, &st2) == 0 && st2.st_dev == st.st_dev && st2.st_ino == st.st_ino)
                return fd;
            close(fd);
            return berr_msg(err, "archive file \"%s\" changed while it was opened", erel);
        }
        if (!S_ISLNK(st.st_mode))
            return berr_msg(err, "archive file \"%s\" is not a regular file", erel);
        if ((n = readlinkat(pfd, "", target, sizeof(target) - 1)) < 0)
            return berr_sys(err, "archive file \"%s\"", erel);
        target[n] = '\0';
        char *next = link_target(path, target);
        free(path);
        if (!(path = next))
            return berr_oom(err);
    }
    return berr_msg(err, "archive file \"%s\": too many levels of symbolic links", erel);
}

/* A JSON document of the archive into memory: capped, and counted
 * against what the whole archive may hold until the commit. */
static int read_doc(struct stage *g, const char *rel, char **buf, size_t *len,
                    struct berr **err)
{
    _cleanup_close_ int fd = open_regular(g, rel, err);

    if (fd < 0)
        return -1;
    if (fs_read_fd_max(fd, LOAD_DOC_MAX, buf, len) < 0) {
        _cleanup_free_ char *erel = str_escape(rel);
        if (errno == EFBIG)
            return berr_msg(err, "archive file \"%s\": exceeded maximum allowed size of %u "
                            "bytes", erel ? erel : "", LOAD_DOC_MAX);
        return berr_sys(err, "read \"%s\"", erel ? erel : "");
    }
    g->held += *len;
    if (g->held > LOAD_HELD_MAX)
        return berr_msg(err, "the archive's configs and manifests exceed %u bytes",
                        LOAD_HELD_MAX);
    return 0;
}

/* Reads a document whose sha256 is hex (when want is "", it is set). */
static int read_doc_digest(struct stage *g, const char *rel, const char *what, char want[72],
                           char **buf, size_t *len, struct berr **err)
{
    char hex[65];

    if (read_doc(g, rel, buf, len, err) < 0 || sha256_buf(*buf, *len, hex, err) < 0)
        return -1;
    if (!want[0]) {
        snprintf(want, 72, "sha256:%s", hex);
        return 0;
    }
    if (strcmp(want + 7, hex))
        return berr_msg(err, "%s %s: digest mismatch: content has sha256:%s", what, want, hex);
    return 0;
}

static const char *layer_media(const char *compression)
{
    if (!strcmp(compression, "gzip"))
        return "application/vnd.oci.image.layer.v1.tar+gzip";
    if (!strcmp(compression, "zstd"))
        return "application/vnd.oci.image.layer.v1.tar+zstd";
    return "application/vnd.oci.image.layer.v1.tar";
}

/* Links a layer file into a staging name and checks both its digests. */
static int stage_layer(struct stage *g, struct load_layer *l, bool oci, struct berr **err)
{
    _cleanup_close_ int fd = open_regular(g, l->file, err);
    _cleanup_free_ char *erel = str_escape(l->file);
    char hex[65];
    struct stat st;

    if (fd < 0)
        return -1;
    if (!erel || !(l->staged = str_fmt("%s/blob-%u", g->dir, g->seq++)))
        return berr_oom(err);
    if (linkat(fd, "", AT_FDCWD, l->staged, AT_EMPTY_PATH) < 0 || fstat(fd, &st) < 0)
        return berr_sys(err, "stage \"%s\"", erel);
    l->size = st.st_size;
    if (blob_hash_file(l->staged, hex, NULL, err) < 0)
        return berr_wrap(err, "layer \"%s\"", erel);
    if (oci && strcmp(l->blob + 7, hex))
        return berr_msg(err, "layer \"%s\": digest mismatch: the manifest says %s, the content "
                        "is sha256:%s", erel, l->blob, hex);
    snprintf(l->blob, sizeof(l->blob), "sha256:%s", hex);
    if (blob_diff_digest(l->staged, hex, &l->diff_size, err) < 0)
        return berr_wrap(err, "layer \"%s\"", erel);
    if (strcmp(l->diff_id + 7, hex))
        return berr_msg(err, "layer \"%s\": digest mismatch: the config says %s, the content "
                        "is sha256:%s", erel, l->diff_id, hex);
    /* c/image's docker-archive source calls every layer a schema2 gzip
     * layer whatever it holds; so do we, so that the manifest (and the
     * image's digest) is byte for byte podman's. */
    const char *mt = !oci ? MT_DOCKER_LAYER_GZIP : l->media_type ? NULL
                   : layer_media(blob_compression(l->staged));
    if (mt && !l->media_type && !(l->media_type = str_dup(mt)))
        return berr_oom(err);
    return 0;
}

static int stage_layers(struct stage *g, struct load_plan *p, bool oci, struct berr **err)
{
    for (size_t k = 0; k < p->nlayers; k++)
        if (stage_layer(g, &p->layers[k], oci, err) < 0)
            return -1;
    return 0;
}

static int stage_docker(struct stage *g, struct load_plan *p, struct berr **err)
{
    if (read_doc_digest(g, p->config_file, "config", p->config_digest, &p->config,
                        &p->config_len, err) < 0)
        return -1;
    if (load_config(p->config, p->config_len, p, err) < 0)
        return berr_wrap(err, "docker archive: image %.12s", p->config_digest + 7);
    if (stage_layers(g, p, false, err) < 0)
        return -1;
    if (!(p->manifest = load_docker_v2s2(p)))
        return berr_oom(err);
    p->manifest_len = strlen(p->manifest);
    return 0;
}

static int stage_oci(struct stage *g, struct load_plan *p, struct berr **err)
{
    if (read_doc_digest(g, p->manifest_file, "manifest", p->manifest_digest, &p->manifest,
                        &p->manifest_len, err) < 0 ||
        load_oci_manifest(p->manifest, p->manifest_len, p, err) < 0 ||
        read_doc_digest(g, p->config_file, "config", p->config_digest, &p->config,
                        &p->config_len, err) < 0)
        return -1;
    if (load_config(p->config, p->config_len, p, err) < 0)
        return berr_wrap(err, "image %.12s", p->config_digest + 7);
    return stage_layers(g, p, true, err);
}

/* The input as a path libarchive can open: the file itself when fd is a
 * regular file, else a copy in the staging dir (a pipe). */
static int input_path(struct stage *g, int fd, char **out, struct berr **err)
{
    struct stat st;
    char buf[1 << 16];
    ssize_t n;

    if (fstat(fd, &st) < 0)
        return berr_sys(err, "stat input");
    if (S_ISREG(st.st_mode))
        return (*out = str_fmt("/proc/self/fd/%d", fd)) ? 0 : berr_oom(err);
    if (!(*out = str_fmt("%s/input", g->dir)))
        return berr_oom(err);
    _cleanup_close_ int o = open(*out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (o < 0)
        return berr_sys(err, "create %s", *out);
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berr_sys(err, "read input");
        if (fs_write_all(o, buf, (size_t) n) < 0)
            return berr_sys(err, "write %s", *out);
    }
    return 0;
}

static bool has(struct stage *g, const char *name)
{
    struct stat st;
    return fstatat(g->xfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* podman's words: the header, then why each format did not read */
#define NO_FORMAT "payload does not match any of the supported image formats:"

/* Unpacks the input and stages every image it holds; the store is not
 * touched and no storage lock is taken. */
static int stage_archive(struct stage *g, int fd, struct load_plan **v, size_t *nv,
                         struct berr **err)
{
    _cleanup_free_ char *in = NULL, *x = str_fmt("%s/x", g->dir), *doc = NULL;
    size_t len;
    bool oci;

    if (!x)
        return berr_oom(err);
    if (input_path(g, fd, &in, err) < 0)
        return -1;
    if (mkdir(x, 0700) < 0)
        return berr_sys(err, "create %s", x);
    if (unpack_tar(in, x, UNPACK_PLAIN, err) < 0) {
        /* the cause, without the name of our input (a /proc/self/fd path) */
        const char *m = (*err)->msg;
        _cleanup_free_ char *why = str_dup(str_has_prefix(m, in) && str_has_prefix(m + strlen(in), ": ")
                                           ? m + strlen(in) + 2 : m);
        return berr_new(err, BERR_ENGINE, 0, "%s\n * oci-archive: untarring the archive: %s\n"
                        " * docker-archive: loading tar component manifest.json: %s", NO_FORMAT,
                        why ? why : "", why ? why : "");
    }
    if ((g->xfd = open(x, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return berr_sys(err, "open %s", x);
    oci = has(g, "oci-layout") && has(g, "index.json");
    if (!oci && !has(g, "manifest.json"))
        return berr_msg(err, "%s\n * oci-archive: loading index: open index.json: no such file or "
                        "directory\n * docker-archive: loading tar component manifest.json: file "
                        "does not exist", NO_FORMAT);
    if (read_doc(g, oci ? "index.json" : "manifest.json", &doc, &len, err) < 0 ||
        (oci ? load_oci_index : load_docker_manifest)(doc, len, v, nv, err) < 0)
        return -1;
    for (size_t i = 0; i < *nv; i++)
        if ((oci ? stage_oci : stage_docker)(g, &(*v)[i], err) < 0)
            return -1;
    return 0;
}

/* ---- the commit ---- */

/* Parses an RFC 3339 time into Unix seconds (0 if it does not parse). */
static int64_t parse_time(const char *s)
{
    struct tm tm = { 0 };
    const char *p;
    int64_t t;

    if (!s || !(p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)))
        return 0;
    t = (int64_t) timegm(&tm);
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if ((*p == '+' || *p == '-') && strlen(p) >= 6) {
        int off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600 + ((p[4] - '0') * 10 + (p[5] - '0')) * 60;
        t += *p == '+' ? -off : off;
    }
    return t;
}

/* The config and manifest blobs and every layer, in the store. */
static int put_content(struct store *s, const struct load_image *im, json_t *layers,
                       json_t *blobs, char mdig[72], char cdig[72], char top[65],
                       struct berr **err)
{
    char parent[65] = "";

    if (blob_put_buf(s, im->config, im->config_len, cdig, err) < 0 ||
        blob_put_buf(s, im->manifest, im->manifest_len, mdig, err) < 0)
        return -1;
    for (size_t i = 0; i < im->nlayers; i++) {
        if (layer_ensure(s, i ? parent : NULL, &im->layers[i], top, err) < 0)
            return -1;
        snprintf(parent, sizeof(parent), "%s", top);
        if (layers && (json_array_append_new(layers, json_string(top)) < 0 ||
                       json_array_append_new(blobs, json_string(im->layers[i].blob)) < 0))
            return berr_oom(err);
    }
    return 0;
}

/* Loaded again: keep the names and digests it had, add the new ones. */
static void merge_old(json_t *rec, json_t *old, const char *mdig)
{
    json_t *names = json_object_get(rec, "names"), *v;
    size_t k;

    json_array_foreach(json_object_get(old, "names"), k, v)
        json_array_append(names, v);
    json_array_foreach(json_object_get(old, "manifests"), k, v)
        if (!str_eq(json_string_value(v), mdig))
            json_array_append(json_object_get(rec, "manifests"), v);
    json_array_foreach(json_object_get(old, "digests"), k, v)
        if (!str_eq(json_string_value(v), mdig))
            json_array_append(json_object_get(rec, "digests"), v);
    json_object_set(rec, "loaded", json_object_get(old, "loaded"));
    json_object_set(rec, "loaded_ns", json_object_get(old, "loaded_ns"));
    if (json_object_get(old, "names_history"))
        json_object_set(rec, "names_history", json_object_get(old, "names_history"));
    /* The manifest the image came with first stays its main one. */
    json_object_set(rec, "digest", json_object_get(old, "digest"));
    json_object_set(rec, "manifest", json_object_get(old, "manifest"));
    json_object_set(rec, "manifest_type", json_object_get(old, "manifest_type"));
}

/* The new names, and the names history, newest first, as c/storage keeps it.
 * As podman's load, the names added come first, in their order, before
 * the ones the image had (one it had moves to the front). */
static int add_names(json_t *rec, char **add, struct berr **err)
{
    json_t *names = json_object_get(rec, "names");
    size_t front = 0;

    for (char **n = add; n && *n; n++) {
        size_t k;
        json_t *v;
        bool placed = false;    /* given twice: the first one is in front */
        json_array_foreach(names, k, v)
            if (str_eq(json_string_value(v), *n)) {
                placed = k < front;
                if (!placed)
                    json_array_remove(names, k);
                break;
            }
        if (!placed && json_array_insert_new(names, front++, json_string(*n)) < 0)
            return berr_oom(err);
        json_t *hist = json_object_get(rec, "names_history");
        if (!hist && (!(hist = json_array()) || json_object_set_new(rec, "names_history", hist) < 0))
            return berr_oom(err);
        json_array_foreach(hist, k, v)
            if (str_eq(json_string_value(v), *n)) {
                json_array_remove(hist, k);
                break;
            }
        if (json_array_insert_new(hist, 0, json_string(*n)) < 0)
            return berr_oom(err);
    }
    return 0;
}

int load_commit_image(struct store *s, const struct load_image *im, struct berr **err)
{
    char top[65] = "";
    _cleanup_json_ json_t *rec = NULL, *old = NULL, *layers = json_array(), *blobs = json_array();
    _cleanup_json_ json_t *cfg = json_loadb(im->config, im->config_len, 0, NULL);
    struct berr *e = NULL;
    char mdig[72], cdig[72];
    int64_t size = 0;

    if (!layers || !blobs)
        return berr_oom(err);
    if (!cfg)
        return berr_msg(err, "image config is not JSON");
    if (put_content(s, im, layers, blobs, mdig, cdig, top, err) < 0)
        return -1;
    for (size_t i = 0; i < im->nlayers; i++)
        size += im->layers[i].diff_size;
    /* As containers/storage counts it: the layers' diffs plus the image's
     * big data, where the manifest is stored twice ("manifest" and
     * "manifest-<digest>"), so `images` SIZE matches podman's. */
    size += (int64_t) (im->config_len + 2 * im->manifest_len);
    const char *created = js_str(cfg, "created", NULL);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    rec = json_pack("{s:i, s:s, s:s, s:[s], s:s, s:s, s:s, s:[s], s:O, s:s?, s:s?, s:O,"
                    " s:I, s:I, s:I, s:I, s:o}",
                    "version", STORE_VERSION, "id", cdig + 7, "digest", mdig,
                    "digests", mdig, "manifest", mdig, "manifest_type", im->manifest_type,
                    "config", cdig, "manifests", mdig, "layers", layers,
                    "top_layer", im->nlayers ? top : NULL, "created", created,
                    "blobs", blobs, "created_unix", (json_int_t) parse_time(created),
                    "loaded", (json_int_t) now.tv_sec, "loaded_ns", (json_int_t) now.tv_nsec,
                    "size", (json_int_t) size, "names", json_array());
    if (!rec)
        return berr_oom(err);
    if (st_img_record_read(s, cdig + 7, &old, &e) == 0)
        merge_old(rec, old, mdig);
    berr_free(e);
    if (add_names(rec, im->names, err) < 0)
        return -1;
    /* Extra manifests are blobs to keep too. */
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(rec, "manifests"), k, v)
        json_array_append(blobs, v);
    return st_img_record_commit(s, rec, err);
}

/* The plan as load_commit_image takes it; im->layers is malloc'd. */
static int plan_image(const struct load_plan *p, struct load_image *im, struct berr **err)
{
    *im = (struct load_image) {
        .config = p->config, .config_len = p->config_len,
        .manifest = p->manifest, .manifest_len = p->manifest_len,
        .manifest_type = p->manifest_type ? p->manifest_type
                       : p->manifest_file ? MT_OCI_MANIFEST : MT_DOCKER_MANIFEST,
        .nlayers = p->nlayers, .names = p->names,
        .layers = calloc(p->nlayers + 1, sizeof(struct layer_in)),
    };
    if (!im->layers)
        return berr_oom(err);
    for (size_t k = 0; k < p->nlayers; k++)
        im->layers[k] = (struct layer_in) {
            .diff_id = p->layers[k].diff_id, .blob = p->layers[k].blob,
            .media_type = p->layers[k].media_type, .diff_size = p->layers[k].diff_size,
        };
    return 0;
}

/* Every image's content (blobs, layers) in; no record is written yet. */
static int commit_content(struct store *s, struct load_plan *v, size_t n, struct berr **err)
{
    for (size_t i = 0; i < n; i++) {
        struct load_image im;
        for (size_t k = 0; k < v[i].nlayers; k++)
            if (blob_put_staged(s, v[i].layers[k].staged, v[i].layers[k].blob + 7, err) < 0)
                return -1;
        if (plan_image(&v[i], &im, err) < 0)
            return -1;
        char mdig[72], cdig[72], top[65];
        int rc = put_content(s, &im, NULL, NULL, mdig, cdig, top, err);
        free(im.layers);
        if (rc < 0)
            return berr_wrap(err, "image %.12s", v[i].config_digest + 7);
    }
    return 0;
}

/* The records, all or none: a failure (an I/O error by now: every layer
 * unpacked) removes the records this load made. Not undone: a name an
 * image that was there before gained, and a name a removed record had
 * taken from another image (st_img_record_commit moves names). */
static int commit_records(struct store *s, struct load_plan *v, size_t n, struct berr **err)
{
    _cleanup_free_ bool *fresh = calloc(n + 1, sizeof(bool));
    size_t i;

    if (!fresh)
        return berr_oom(err);
    for (i = 0; i < n; i++) {
        _cleanup_free_ char *p = st_path(s, "images/%s.json", v[i].config_digest + 7);
        if (!p)
            return berr_oom(err);
        fresh[i] = !fs_exists(p);
    }
    for (i = 0; i < n; i++) {
        struct load_image im;
        int rc = plan_image(&v[i], &im, err);
        if (rc == 0)
            rc = load_commit_image(s, &im, err);
        free(im.layers);
        if (rc < 0)
            break;
    }
    if (i == n)
        return 0;
    for (size_t j = 0; j <= i && j < n; j++) {
        _cleanup_free_ char *p = st_path(s, "images/%s.json", v[j].config_digest + 7);
        if (fresh[j] && p)
            (void) unlink(p);
    }
    struct berr *e = NULL;
    if (st_img_names_rebuild(s, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
    }
    return -1;
}

static int commit_all(struct store *s, struct load_plan *v, size_t n, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    struct berr *e = NULL;

    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (st_gc_mark(s, true, err) < 0)
        return -1;
    if (commit_content(s, v, n, err) == 0 && commit_records(s, v, n, err) == 0)
        return st_gc_mark(s, false, err);
    /* Whatever this load added and no record uses goes again. */
    if (st_img_gc_layers(s, &e) < 0 || st_gc_mark(s, false, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
    }
    return -1;
}

static int loaded_list(struct load_plan *v, size_t n, struct store_loaded **out,
                       struct berr **err)
{
    if (!(*out = calloc(n + 1, sizeof(**out))))
        return berr_oom(err);
    for (size_t i = 0; i < n; i++) {
        snprintf((*out)[i].id, sizeof((*out)[i].id), "%s", v[i].config_digest + 7);
        (*out)[i].names = STEAL_PTR(v[i].names);
    }
    return 0;
}

int store_load(struct store *s, int fd, struct store_loaded **out, size_t *n,
               struct berr **err)
{
    struct stage g = { .s = s, .xfd = -1, .lockfd = -1 };
    struct load_plan *v = NULL;
    size_t nv = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (st_mktemp_held(s, "load", &g.dir, &g.lockfd, err) < 0)
        return -1;
    rc = stage_archive(&g, fd, &v, &nv, err);
    if (rc == 0)
        rc = commit_all(s, v, nv, err);
    if (rc == 0 && (rc = loaded_list(v, nv, out, err)) == 0)
        *n = nv;
    load_plans_free(v, nv);
    if (g.xfd >= 0)
        close(g.xfd);
    struct berr *e = NULL;
    if (fs_rm_rf(g.dir, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
    }
    free(g.dir);
    close(g.lockfd);
    return rc;
}
