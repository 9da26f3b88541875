/*
 * storage/load.c: docker-archive and oci-archive in, shared with import.
 *
 * The archive is unpacked (safely, as a layer would be) into a staging dir
 * under tmp/, its format told by content (oci-layout + index.json, or
 * manifest.json). Every file an image names is opened inside the staging
 * root and hard-linked into a staging name, then enters the blob store
 * only after its sha256 matched: a layer's compressed digest (OCI) and
 * its uncompressed digest against the config's diff_ids (both formats).
 * Layers are unpacked, then the records are written; a failure anywhere
 * drops what this load added, so the store is as it was.
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

#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"

void store_loaded_free(struct store_loaded *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        strv_free(v[i].names);
    free(v);
}

struct stage {
    struct store *s;
    char *dir;          /* tmp/load-XXXXXX */
    int xfd;            /* the unpacked archive's root */
    unsigned seq;
};

/* Hard-links the archive file rel into the staging dir; *out its path. */
static int stage_file(struct stage *g, const char *rel, char **out, struct berr **err)
{
    _cleanup_close_ int fd = unpack_open_in_root(g->xfd, rel, O_RDONLY, err);
    struct stat st;

    if (fd < 0)
        return berr_wrap(err, "archive file \"%s\"", rel);
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return berr_msg(err, "archive file \"%s\" is not a regular file", rel);
    if (!(*out = str_fmt("%s/blob-%u", g->dir, g->seq++)))
        return berr_oom(err);
    if (linkat(fd, "", AT_FDCWD, *out, AT_EMPTY_PATH) < 0)
        return berr_sys(err, "stage \"%s\"", rel);
    return 0;
}

static int read_archive_json(struct stage *g, const char *rel, json_t **out,
                             char hex[65], size_t *size, struct berr **err)
{
    _cleanup_close_ int fd = unpack_open_in_root(g->xfd, rel, O_RDONLY, err);
    _cleanup_free_ char *buf = NULL;
    json_error_t je;
    size_t len;

    if (fd < 0)
        return berr_wrap(err, "archive file \"%s\"", rel);
    if (fs_read_fd(fd, &buf, &len) < 0)
        return berr_sys(err, "read \"%s\"", rel);
    if (hex && sha256_buf(buf, len, hex, err) < 0)
        return -1;
    if (size)
        *size = len;
    if (!(*out = json_loadb(buf, len, 0, &je)))
        return berr_msg(err, "\"%s\": %s at line %d", rel, je.text, je.line);
    return 0;
}

static const char *layer_media(const char *compression, bool oci)
{
    if (!strcmp(compression, "gzip"))
        return oci ? "application/vnd.oci.image.layer.v1.tar+gzip"
                   : "application/vnd.docker.image.rootfs.diff.tar.gzip";
    if (!strcmp(compression, "zstd"))
        return oci ? "application/vnd.oci.image.layer.v1.tar+zstd"
                   : "application/vnd.docker.image.rootfs.diff.tar.zstd";
    return oci ? "application/vnd.oci.image.layer.v1.tar"
               : "application/vnd.docker.image.rootfs.diff.tar";
}

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

int load_commit_image(struct store *s, const struct load_image *im, struct berr **err)
{
    char parent[65] = "", chain[65] = "";
    _cleanup_json_ json_t *rec = NULL, *old = NULL, *layers = json_array(), *blobs = json_array();
    _cleanup_json_ json_t *cfg = json_loadb(im->config, im->config_len, 0, NULL);
    struct berr *e = NULL;
    char mdig[72], cdig[72];
    int64_t size = 0;

    if (!layers || !blobs)
        return berr_oom(err);
    if (!cfg)
        return berr_msg(err, "image config is not JSON");
    if (blob_put_buf(s, im->config, im->config_len, cdig, err) < 0 ||
        blob_put_buf(s, im->manifest, im->manifest_len, mdig, err) < 0)
        return -1;
    for (size_t i = 0; i < im->nlayers; i++) {
        if (layer_ensure(s, i ? parent : NULL, &im->layers[i], chain, err) < 0)
            return -1;
        snprintf(parent, sizeof(parent), "%s", chain);
        size += im->layers[i].diff_size;
        if (json_array_append_new(layers, json_string(chain)) < 0 ||
            json_array_append_new(blobs, json_string(im->layers[i].blob)) < 0)
            return berr_oom(err);
    }
    /* As containers/storage counts it: the layers' diffs plus the image's
     * big data, where the manifest is stored twice ("manifest" and
     * "manifest-<digest>"), so `images` SIZE matches podman's. */
    size += (int64_t) (im->config_len + 2 * im->manifest_len);
    const char *created = js_str(cfg, "created", NULL);
    rec = json_pack("{s:i, s:s, s:s, s:[s], s:s, s:s, s:s, s:[s], s:O, s:s?, s:s?, s:O,"
                    " s:I, s:I, s:I, s:o}",
                    "version", STORE_VERSION, "id", cdig + 7, "digest", mdig,
                    "digests", mdig, "manifest", mdig, "manifest_type", im->manifest_type,
                    "config", cdig, "manifests", mdig, "layers", layers,
                    "top_layer", im->nlayers ? chain : NULL, "created", created,
                    "blobs", blobs, "created_unix", (json_int_t) parse_time(created),
                    "loaded", (json_int_t) time(NULL), "size", (json_int_t) size,
                    "names", json_array());
    if (!rec)
        return berr_oom(err);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (js_set_int(rec, "loaded", (long long) now.tv_sec) < 0 ||
        js_set_int(rec, "loaded_ns", (long long) now.tv_nsec) < 0)
        return berr_oom(err);
    json_t *names = json_object_get(rec, "names");
    /* Loaded again: keep the names and digests it had, add the new ones. */
    if (st_img_record_read(s, cdig + 7, &old, &e) == 0) {
        size_t k;
        json_t *v;
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
    berr_free(e);
    for (char **n = im->names; n && *n; n++) {
        size_t k;
        json_t *v;
        bool have = false;
        json_array_foreach(names, k, v)
            have |= str_eq(json_string_value(v), *n);
        if (!have && json_array_append_new(names, json_string(*n)) < 0)
            return berr_oom(err);
        /* Names history, newest first, as c/storage keeps it. */
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
    /* Extra manifests are blobs to keep too. */
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(rec, "manifests"), k, v)
        json_array_append(blobs, v);
    return st_img_record_commit(s, rec, err);
}

/* Names from the archive: normalized like podman (docker.io for
 * docker-archive RepoTags; bare names in OCI ref.name get localhost). */
static int add_name(char ***names, const char *n, const char *dflt, struct berr **err)
{
    _cleanup_free_ char *full = NULL;
    struct berr *e = NULL;

    if (ref_normalize_str(n, dflt, &full, &e) < 0) {
        log_warn("ignoring invalid image name \"%s\" in the archive: %s", n, e->msg);
        berr_free(e);
        return 0;
    }
    if (strchr(full, '@'))
        return 0;
    return strv_contains(*names, full) ? 0 : strv_push(names, full) < 0 ? berr_oom(err) : 0;
}

static int stage_layer(struct stage *g, const char *rel, const char *want_blob,
                       const char *want_diff, bool oci, struct layer_in *out,
                       char **owned, struct berr **err)
{
    _cleanup_free_ char *path = NULL;
    char hex[65], got[72];
    int64_t dsize;

    if (stage_file(g, rel, &path, err) < 0)
        return -1;
    const char *comp = blob_compression(path);
    if (blob_diff_digest(path, hex, &dsize, err) < 0)
        return berr_wrap(err, "layer \"%s\"", rel);
    if (!want_diff || strcmp(want_diff + 7, hex))
        return berr_msg(err, "layer \"%s\": digest mismatch: the config says %s, the content "
                        "is sha256:%s", rel, want_diff ? want_diff : "nothing", hex);
    if (blob_put_file(g->s, path, want_blob, got, err) < 0)
        return berr_wrap(err, "layer \"%s\"", rel);
    owned[0] = str_dup(got);
    owned[1] = str_dup(want_diff);
    if (!owned[0] || !owned[1])
        return berr_oom(err);
    out->blob = owned[0];
    out->diff_id = owned[1];
    out->media_type = layer_media(comp, oci);
    out->diff_size = dsize;
    return 0;
}

/* The docker v2s2 manifest of a docker-archive image, serialized as
 * Go's encoding/json does (compact, struct field order). */
static char *docker_manifest(const char *cdig, size_t clen, struct layer_in *l, size_t n,
                             const int64_t *sizes)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    sbuf_addf(&b, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
              "\"size\":%zu,\"digest\":\"%s\"},\"layers\":[", MT_DOCKER_MANIFEST,
              MT_DOCKER_CONFIG, clen, cdig);
    for (size_t i = 0; i < n; i++)
        sbuf_addf(&b, "%s{\"mediaType\":\"%s\",\"size\":%lld,\"digest\":\"%s\"}", i ? "," : "",
                  l[i].media_type, (long long) sizes[i], l[i].blob);
    sbuf_add(&b, "]}");
    return sbuf_steal(&b);
}

static void load_image_clear(struct load_image *im, char **owned, size_t nowned)
{
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    free(owned);
    free(im->layers);
    free(im->config);
    free(im->manifest);
    strv_free(im->names);
    memset(im, 0, sizeof(*im));
}

static int load_docker(struct stage *g, struct store_loaded **out, size_t *nout,
                       struct berr **err)
{
    _cleanup_json_ json_t *man = NULL;
    size_t i;
    json_t *ent;

    if (read_archive_json(g, "manifest.json", &man, NULL, NULL, err) < 0)
        return -1;
    if (!json_is_array(man) || json_array_size(man) == 0)
        return berr_msg(err, "docker archive: manifest.json lists no images");
    json_array_foreach(man, i, ent) {
        struct load_image im = { 0 };
        _cleanup_json_ json_t *cfg = NULL;
        char chex[65];
        size_t clen;
        const char *cpath = js_str(ent, "Config", NULL);
        json_t *lpaths = json_object_get(ent, "Layers"), *diffs, *x;
        size_t k, nl = json_array_size(lpaths);
        char **owned = calloc(2 * nl + 1, sizeof(char *));
        int64_t *sizes = calloc(nl + 1, sizeof(int64_t));
        int rc = -1;

        if (!owned || !sizes) {
            free(owned);
            free(sizes);
            return berr_oom(err);
        }
        if (!cpath) {
            berr_msg(err, "docker archive: image %zu has no Config", i);
            goto next;
        }
        if (read_archive_json(g, cpath, &cfg, chex, &clen, err) < 0)
            goto next;
        diffs = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
        if (json_array_size(diffs) != nl) {
            berr_msg(err, "docker archive: image %.12s has %zu layers but its config %zu",
                     chex, nl, json_array_size(diffs));
            goto next;
        }
        if (!(im.layers = calloc(nl + 1, sizeof(*im.layers))))
            goto oom;
        im.nlayers = nl;
        json_array_foreach(lpaths, k, x) {
            const char *lp = json_string_value(x);
            if (!lp) {
                berr_msg(err, "docker archive: a layer path is not a string");
                goto next;
            }
            if (stage_layer(g, lp, NULL, json_string_value(json_array_get(diffs, k)), false,
                            &im.layers[k], owned + 2 * k, err) < 0)
                goto next;
            /* c/image's docker-archive source calls every layer a schema2
             * gzip layer whatever it holds; so do we, so that the manifest
             * (and the image's digest) is byte for byte podman's. */
            im.layers[k].media_type = "application/vnd.docker.image.rootfs.diff.tar.gzip";
            _cleanup_free_ char *bp = blob_path(g->s, im.layers[k].blob);
            struct stat st;
            sizes[k] = bp && stat(bp, &st) == 0 ? st.st_size : 0;
        }
        {
            _cleanup_close_ int cfd = unpack_open_in_root(g->xfd, cpath, O_RDONLY, err);
            if (cfd < 0 || fs_read_fd(cfd, &im.config, &im.config_len) < 0)
                goto next;
        }
        char cdig[72];
        snprintf(cdig, sizeof(cdig), "sha256:%s", chex);
        if (!(im.manifest = docker_manifest(cdig, clen, im.layers, nl, sizes)))
            goto oom;
        im.manifest_len = strlen(im.manifest);
        im.manifest_type = MT_DOCKER_MANIFEST;
        if (!(im.names = calloc(1, sizeof(char *))))
            goto oom;
        json_array_foreach(json_object_get(ent, "RepoTags"), k, x)
            if (json_string_value(x) && add_name(&im.names, json_string_value(x), "docker.io", err) < 0)
                goto next;
        if (load_commit_image(g->s, &im, err) < 0)
            goto next;
        {
            struct store_loaded *nv = realloc(*out, (*nout + 1) * sizeof(**out));
            if (!nv)
                goto oom;
            *out = nv;
            snprintf(nv[*nout].id, sizeof(nv[*nout].id), "%s", chex);
            nv[*nout].names = STEAL_PTR(im.names);
            (*nout)++;
        }
        rc = 0;
        goto next;
oom:
        berr_oom(err);
next:
        load_image_clear(&im, owned, 2 * nl);
        free(sizes);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int load_oci_manifest(struct stage *g, json_t *desc, struct store_loaded **out,
                             size_t *nout, struct berr **err)
{
    const char *mdig = js_str(desc, "digest", NULL);
    _cleanup_free_ char *mrel = NULL, *crel = NULL;
    _cleanup_json_ json_t *man = NULL, *cfg = NULL;
    struct load_image im = { 0 };
    char hex[65];
    size_t len, k;
    json_t *x, *diffs;
    char **owned = NULL;
    size_t nl = 0;
    int rc = -1;

    if (!digest_valid(mdig))
        return berr_msg(err, "oci archive: invalid manifest digest \"%s\"", mdig ? mdig : "");
    if (!(mrel = str_fmt("blobs/sha256/%s", mdig + 7)))
        return berr_oom(err);
    if (read_archive_json(g, mrel, &man, hex, &len, err) < 0)
        return -1;
    if (strcmp(hex, mdig + 7))
        return berr_msg(err, "manifest %s: digest mismatch: content has sha256:%s", mdig, hex);
    if (str_eq(js_str(man, "mediaType", NULL), MT_OCI_INDEX) || json_object_get(man, "manifests"))
        return berr_msg(err, "oci archive: nested image indexes are not supported");
    const char *cd = js_str(json_object_get(man, "config"), "digest", NULL);
    if (!digest_valid(cd))
        return berr_msg(err, "manifest %s: invalid config digest", mdig);
    if (!(crel = str_fmt("blobs/sha256/%s", cd + 7)))
        return berr_oom(err);
    if (read_archive_json(g, crel, &cfg, hex, NULL, err) < 0)
        return -1;
    if (strcmp(hex, cd + 7))
        return berr_msg(err, "config %s: digest mismatch: content has sha256:%s", cd, hex);
    json_t *ldesc = json_object_get(man, "layers");
    diffs = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
    nl = json_array_size(ldesc);
    if (json_array_size(diffs) != nl)
        return berr_msg(err, "image %.12s has %zu layers but its config %zu", hex, nl,
                        json_array_size(diffs));
    if (!(owned = calloc(2 * nl + 1, sizeof(char *))) ||
        !(im.layers = calloc(nl + 1, sizeof(*im.layers))) ||
        !(im.names = calloc(1, sizeof(char *)))) {
        berr_oom(err);
        goto out;
    }
    im.nlayers = nl;
    json_array_foreach(ldesc, k, x) {
        const char *ld = js_str(x, "digest", NULL);
        _cleanup_free_ char *lrel = digest_valid(ld) ? str_fmt("blobs/sha256/%s", ld + 7) : NULL;
        if (!lrel) {
            berr_msg(err, "manifest %s: invalid layer digest", mdig);
            goto out;
        }
        if (stage_layer(g, lrel, ld, json_string_value(json_array_get(diffs, k)), true,
                        &im.layers[k], owned + 2 * k, err) < 0)
            goto out;
        if (js_str(x, "mediaType", NULL))
            im.layers[k].media_type = js_str(x, "mediaType", NULL);
    }
    {
        _cleanup_close_ int cfd = unpack_open_in_root(g->xfd, crel, O_RDONLY, err);
        _cleanup_close_ int mfd = unpack_open_in_root(g->xfd, mrel, O_RDONLY, err);
        if (cfd < 0 || mfd < 0 || fs_read_fd(cfd, &im.config, &im.config_len) < 0 ||
            fs_read_fd(mfd, &im.manifest, &im.manifest_len) < 0) {
            if (!*err)
                berr_sys(err, "read manifest %s", mdig);
            goto out;
        }
    }
    im.manifest_type = js_str(man, "mediaType", MT_OCI_MANIFEST);
    json_t *ann = json_object_get(desc, "annotations");
    const char *n = js_str(ann, "io.containerd.image.name", NULL);
    if (!n)
        n = js_str(ann, "org.opencontainers.image.ref.name", NULL);
    if (n && add_name(&im.names, n, "localhost", err) < 0)
        goto out;
    if (load_commit_image(g->s, &im, err) < 0)
        goto out;
    struct store_loaded *nv = realloc(*out, (*nout + 1) * sizeof(**out));
    if (!nv) {
        berr_oom(err);
        goto out;
    }
    *out = nv;
    snprintf(nv[*nout].id, sizeof(nv[*nout].id), "%s", cd + 7);
    nv[*nout].names = STEAL_PTR(im.names);
    (*nout)++;
    rc = 0;
out:
    im.manifest_type = NULL;
    load_image_clear(&im, owned, 2 * nl);
    return rc;
}

static int load_oci(struct stage *g, struct store_loaded **out, size_t *nout, struct berr **err)
{
    _cleanup_json_ json_t *idx = NULL;
    size_t i;
    json_t *d;

    if (read_archive_json(g, "index.json", &idx, NULL, NULL, err) < 0)
        return -1;
    if (json_array_size(json_object_get(idx, "manifests")) == 0)
        return berr_msg(err, "oci archive: index.json lists no images");
    json_array_foreach(json_object_get(idx, "manifests"), i, d)
        if (load_oci_manifest(g, d, out, nout, err) < 0)
            return -1;
    return 0;
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

int store_load(struct store *s, int fd, struct store_loaded **out, size_t *n,
               struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_free_ char *in = NULL, *x = NULL, *p1 = NULL, *p2 = NULL, *p3 = NULL;
    struct stage g = { .s = s, .xfd = -1 };
    struct store_loaded *v = NULL;
    size_t nv = 0;
    int rc = -1;

    *out = NULL;
    *n = 0;
    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (st_mktemp(s, "load", &g.dir, err) < 0)
        return -1;
    if (!(x = str_fmt("%s/x", g.dir)) || !(p1 = str_fmt("%s/oci-layout", x)) ||
        !(p2 = str_fmt("%s/index.json", x)) || !(p3 = str_fmt("%s/manifest.json", x))) {
        berr_oom(err);
        goto out;
    }
    if (input_path(&g, fd, &in, err) < 0)
        goto out;
    if (mkdir(x, 0700) < 0) {
        berr_sys(err, "create %s", x);
        goto out;
    }
    if (unpack_tar(in, x, UNPACK_PLAIN, err) < 0) {
        berr_wrap(err, "payload does not match any of the supported image formats "
                  "(oci-archive, docker-archive)");
        goto out;
    }
    if ((g.xfd = open(x, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        berr_sys(err, "open %s", x);
        goto out;
    }
    if (fs_exists(p1) && fs_exists(p2))
        rc = load_oci(&g, &v, &nv, err);
    else if (fs_exists(p3))
        rc = load_docker(&g, &v, &nv, err);
    else
        rc = berr_msg(err, "payload does not match any of the supported image formats "
                      "(oci-archive, docker-archive)");
out:
    if (g.xfd >= 0)
        close(g.xfd);
    if (g.dir) {
        struct berr *e = NULL;
        if (fs_rm_rf(g.dir, &e) < 0) {
            log_warn("%s", e->msg);
            berr_free(e);
        }
        free(g.dir);
    }
    if (rc < 0) {
        /* Whatever this load added and no record uses goes again. */
        struct berr *e = NULL;
        if (st_img_gc_layers(s, &e) < 0) {
            log_warn("%s", e->msg);
            berr_free(e);
        }
        store_loaded_free(v, nv);
        return -1;
    }
    *out = v;
    *n = nv;
    return 0;
}
