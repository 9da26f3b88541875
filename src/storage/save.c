/*
 * storage/save.c: images out, as docker-archive, oci-archive, oci-dir or
 * docker-dir.
 *
 * The bytes are the ones the image came with: the config blob unchanged
 * (so the image id survives the trip), the manifest and the ORIGINAL
 * layer blobs for the OCI and dir formats (so layer and manifest digests
 * survive), and for docker-archive the uncompressed layers named by their
 * diff ids, as docker and podman write them. A docker v2s2 manifest going
 * into an OCI layout is rewritten with OCI media types over the same
 * blobs (its digest changes; the config's and the layers' do not).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/lazylib.h"
#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"

int store_archive_fmt_parse(const char *s, enum store_archive_fmt *out, struct berr **err)
{
    static const char *const names[] = { "docker-archive", "oci-archive", "oci-dir",
                                         "docker-dir" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) {
            *out = (enum store_archive_fmt) i;
            return 0;
        }
    return berr_msg(err, "format value must be one of oci-dir oci-archive docker-dir "
                    "docker-archive");
}

/* Where files go: a tar on an fd, or a directory. */
struct sink {
    struct archive *w;
    int dfd;
    char **written;             /* names already there (blobs shared by images) */
};

static int sink_begin(struct sink *k, const char *name, int64_t size, int *fd,
                      struct berr **err)
{
    *fd = -1;
    if (k->w) {
        struct archive_entry *e = archive_entry_new();
        if (!e)
            return berr_oom(err);
        archive_entry_set_pathname(e, name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, size);
        int r = archive_write_header(k->w, e);
        archive_entry_free(e);
        if (r != ARCHIVE_OK)
            return berr_msg(err, "write %s: %s", name, archive_error_string(k->w));
        return 0;
    }
    *fd = openat(k->dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    return *fd < 0 ? berr_sys(err, "create %s", name) : 0;
}

static int sink_data(struct sink *k, int fd, const void *buf, size_t len, struct berr **err)
{
    if (k->w) {
        if (archive_write_data(k->w, buf, len) < 0)
            return berr_msg(err, "write archive: %s", archive_error_string(k->w));
        return 0;
    }
    return fs_write_all(fd, buf, len) < 0 ? berr_sys(err, "write") : 0;
}

static int sink_buf(struct sink *k, const char *name, const void *buf, size_t len,
                    struct berr **err)
{
    _cleanup_close_ int fd = -1;

    if (strv_contains(k->written, name))
        return 0;
    if (sink_begin(k, name, (int64_t) len, &fd, err) < 0 || sink_data(k, fd, buf, len, err) < 0)
        return -1;
    return strv_push(&k->written, name) < 0 ? berr_oom(err) : 0;
}

/* Copies a blob file, decompressed when decompress (its size then is
 * the layer's diff size). */
static int sink_blob(struct sink *k, const char *name, const char *path, bool decompress,
                     int64_t size, struct berr **err)
{
    _cleanup_close_ int fd = -1;
    struct archive *a = NULL;
    const void *buf;
    size_t len;
    int64_t off, total = 0;
    int r;

    if (strv_contains(k->written, name))
        return 0;
    if (!decompress) {
        struct stat st;
        if (stat(path, &st) < 0)
            return berr_sys(err, "stat %s", path);
        size = st.st_size;
    }
    if (!(a = archive_read_new()))
        return berr_oom(err);
    if (decompress)
        archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    archive_read_support_format_empty(a);
    if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK ||
        sink_begin(k, name, size, &fd, err) < 0) {
        if (!*err)
            berr_msg(err, "read %s: %s", path, archive_error_string(a));
        archive_read_free(a);
        return -1;
    }
    struct archive_entry *ae;
    r = archive_read_next_header(a, &ae);
    if (r == ARCHIVE_OK)
        while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
            if (sink_data(k, fd, buf, len, err) < 0) {
                archive_read_free(a);
                return -1;
            }
            total += (int64_t) len;
        }
    if (r != ARCHIVE_EOF || total != size) {
        berr_msg(err, "read %s: %s", path, r != ARCHIVE_EOF ? archive_error_string(a)
                                                           : "size changed");
        archive_read_free(a);
        return -1;
    }
    archive_read_free(a);
    return strv_push(&k->written, name) < 0 ? berr_oom(err) : 0;
}

struct save_image {
    json_t *rec;
    char *config;
    size_t config_len;
    char *manifest;
    size_t manifest_len;
    struct store_layer_info *layers;
    size_t nlayers;
};

static void save_image_clear(struct save_image *im)
{
    json_decref(im->rec);
    free(im->config);
    free(im->manifest);
    free(im->layers);
}

static int save_image_read(struct store *s, const char *id, struct save_image *im,
                           struct berr **err)
{
    _cleanup_image_ struct store_image *img = NULL;
    char cdig[72];

    if (st_img_record_read(s, id, &im->rec, err) < 0 || st_img_from_record(im->rec, &img, err) < 0)
        return berr_wrap(err, "image %.12s", id);
    snprintf(cdig, sizeof(cdig), "sha256:%s", id);
    if (blob_read(s, cdig, &im->config, &im->config_len, err) < 0 ||
        blob_read(s, js_str(im->rec, "manifest", ""), &im->manifest, &im->manifest_len,
                  err) < 0 ||
        store_image_layers(s, img, &im->layers, &im->nlayers, err) < 0)
        return berr_wrap(err, "image %.12s", id);
    return 0;
}

/* A name of a docker-archive image: into its RepoTags, and into
 * "repositories" {"repo": {"tag": top layer}} (for legacy readers).
 * -1: out of memory. */
static int docker_name(json_t *tags, json_t *repos, const char *name,
                       const struct save_image *im)
{
    const char *colon = strrchr(name, ':');     /* normalized: it has a tag */
    _cleanup_free_ char *repo = colon ? str_ndup(name, (size_t) (colon - name)) : NULL;
    json_t *r;

    if (json_array_append_new(tags, json_string(name)) < 0)
        return -1;
    if (!colon)
        return 0;
    if (!repo)
        return -1;
    if (!(r = json_object_get(repos, repo)) &&
        (!(r = json_object()) || json_object_set_new(repos, repo, r) < 0))
        return -1;
    if (im->nlayers &&
        json_object_set_new(r, colon + 1,
                            json_string(im->layers[im->nlayers - 1].diff_id + 7)) < 0)
        return -1;
    return 0;
}

static int save_docker(struct store *s, struct sink *k, const struct store_save_item *items,
                       size_t n, struct save_image *ims, struct berr **err)
{
    _cleanup_json_ json_t *man = json_array(), *repos = json_object();

    if (!man || !repos)
        return berr_oom(err);
    for (size_t i = 0; i < n; i++) {
        struct save_image *im = &ims[i];
        _cleanup_free_ char *cname = str_fmt("%s.json", items[i].id);
        json_t *layers = json_array(), *tags = json_array();
        if (!cname || !layers || !tags)
            return json_decref(layers), json_decref(tags), berr_oom(err);
        for (size_t l = 0; l < im->nlayers; l++) {
            _cleanup_free_ char *lname = str_fmt("%s.tar", im->layers[l].diff_id + 7);
            _cleanup_free_ char *path = blob_path(s, im->layers[l].blob);
            if (!lname || !path || json_array_append_new(layers, json_string(lname)) < 0)
                return json_decref(layers), json_decref(tags), berr_oom(err);
            if (sink_blob(k, lname, path, true, im->layers[l].diff_size, err) < 0)
                return json_decref(layers), json_decref(tags), -1;
        }
        if (sink_buf(k, cname, im->config, im->config_len, err) < 0)
            return json_decref(layers), json_decref(tags), -1;
        bool oom = false;
        for (char *const *m = items[i].more_names; m && *m; m++)
            oom |= docker_name(tags, repos, *m, im) < 0;
        if (items[i].name && !strchr(items[i].name, '@'))
            oom |= docker_name(tags, repos, items[i].name, im) < 0;
        if (oom)
            return json_decref(layers), json_decref(tags), berr_oom(err);
        if (json_array_append_new(man, json_pack("{s:s, s:o, s:o}", "Config", cname,
                                                 "RepoTags", tags, "Layers", layers)) < 0)
            return berr_oom(err);
    }
    _cleanup_free_ char *mj = json_dumps(man, JSON_COMPACT | JSON_PRESERVE_ORDER);
    _cleanup_free_ char *rj = json_dumps(repos, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!mj || !rj)
        return berr_oom(err);
    if (sink_buf(k, "manifest.json", mj, strlen(mj), err) < 0)
        return -1;
    return json_object_size(repos) ? sink_buf(k, "repositories", rj, strlen(rj), err) : 0;
}

static const char *oci_layer_media(const char *path)
{
    const char *c = blob_compression(path);
    return !strcmp(c, "gzip") ? "application/vnd.oci.image.layer.v1.tar+gzip"
           : !strcmp(c, "zstd") ? "application/vnd.oci.image.layer.v1.tar+zstd"
           : "application/vnd.oci.image.layer.v1.tar";
}

/* The manifest to write into an OCI layout: the stored one when it is
 * OCI already, else the same blobs under OCI media types. malloc'd. */
static int oci_manifest(struct store *s, const char *id, struct save_image *im, char **out,
                        size_t *len, struct berr **err)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    if (str_eq(js_str(im->rec, "manifest_type", ""), MT_OCI_MANIFEST)) {
        if (!(*out = str_ndup(im->manifest, im->manifest_len)))
            return berr_oom(err);
        *len = im->manifest_len;
        return 0;
    }
    sbuf_addf(&b, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
              "\"digest\":\"sha256:%s\",\"size\":%zu},\"layers\":[", MT_OCI_MANIFEST,
              MT_OCI_CONFIG, id, im->config_len);
    for (size_t l = 0; l < im->nlayers; l++) {
        _cleanup_free_ char *path = blob_path(s, im->layers[l].blob);
        struct stat st;
        if (!path)
            return berr_oom(err);
        if (stat(path, &st) < 0)
            return berr_sys(err, "stat %s", path);
        sbuf_addf(&b, "%s{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}", l ? "," : "",
                  oci_layer_media(path), im->layers[l].blob, (long long) st.st_size);
    }
    sbuf_add(&b, "]}");
    if (b.oom)
        return berr_oom(err);
    *len = b.len;
    *out = sbuf_steal(&b);
    return 0;
}

static int save_oci(struct store *s, struct sink *k, const struct store_save_item *items,
                    size_t n, struct save_image *ims, struct berr **err)
{
    _cleanup_json_ json_t *mans = json_array();

    if (!mans)
        return berr_oom(err);
    if (sink_buf(k, "oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}", 31, err) < 0)
        return -1;
    if (!k->w && (mkdirat(k->dfd, "blobs", 0755) < 0 && errno != EEXIST))
        return berr_sys(err, "create blobs");
    if (!k->w && (mkdirat(k->dfd, "blobs/sha256", 0755) < 0 && errno != EEXIST))
        return berr_sys(err, "create blobs/sha256");
    for (size_t i = 0; i < n; i++) {
        struct save_image *im = &ims[i];
        _cleanup_free_ char *man = NULL, *mname = NULL, *cname = NULL;
        size_t mlen = 0;
        char mhex[65];

        if (oci_manifest(s, items[i].id, im, &man, &mlen, err) < 0 ||
            sha256_buf(man, mlen, mhex, err) < 0)
            return -1;
        for (size_t l = 0; l < im->nlayers; l++) {
            _cleanup_free_ char *path = blob_path(s, im->layers[l].blob);
            _cleanup_free_ char *name = str_fmt("blobs/sha256/%s", im->layers[l].blob + 7);
            if (!path || !name)
                return berr_oom(err);
            if (sink_blob(k, name, path, false, 0, err) < 0)
                return -1;
        }
        if (!(cname = str_fmt("blobs/sha256/%s", items[i].id)) ||
            !(mname = str_fmt("blobs/sha256/%s", mhex)))
            return berr_oom(err);
        if (sink_buf(k, cname, im->config, im->config_len, err) < 0 ||
            sink_buf(k, mname, man, mlen, err) < 0)
            return -1;
        json_t *d = json_pack("{s:s, s:s+, s:I}", "mediaType", MT_OCI_MANIFEST,
                              "digest", "sha256:", mhex, "size", (json_int_t) mlen);
        if (!d)
            return berr_oom(err);
        if (items[i].name &&
            json_object_set_new(d, "annotations", json_pack("{s:s}",
                                "org.opencontainers.image.ref.name", items[i].name)) < 0) {
            json_decref(d);
            return berr_oom(err);
        }
        if (json_array_append_new(mans, d) < 0)
            return berr_oom(err);
    }
    _cleanup_json_ json_t *idx = json_pack("{s:i, s:O}", "schemaVersion", 2, "manifests", mans);
    _cleanup_free_ char *ij = idx ? json_dumps(idx, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (!ij)
        return berr_oom(err);
    return sink_buf(k, "index.json", ij, strlen(ij), err);
}

/* docker-dir ("dir:" transport): manifest.json, version, blobs by hex. */
static int save_dir(struct store *s, struct sink *k, const struct store_save_item *items,
                    struct save_image *im, struct berr **err)
{
    static const char version[] = "Directory Transport Version: 1.1\n";

    for (size_t l = 0; l < im->nlayers; l++) {
        _cleanup_free_ char *path = blob_path(s, im->layers[l].blob);
        if (!path)
            return berr_oom(err);
        if (sink_blob(k, im->layers[l].blob + 7, path, false, 0, err) < 0)
            return -1;
    }
    if (sink_buf(k, items[0].id, im->config, im->config_len, err) < 0 ||
        sink_buf(k, "manifest.json", im->manifest, im->manifest_len, err) < 0)
        return -1;
    return sink_buf(k, "version", version, sizeof(version) - 1, err);
}

int store_save(struct store *s, const struct store_save_item *items, size_t n,
               enum store_archive_fmt fmt, int out_fd, const char *dir, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    struct save_image *ims = calloc(n + 1, sizeof(*ims));
    struct sink k = { .dfd = -1 };
    int r = -1;

    if (!ims)
        return berr_oom(err);
    if (fmt == SAF_DOCKER_DIR && n != 1) {
        free(ims);
        return berr_msg(err, "docker-dir holds one image, %zu given", n);
    }
    if (st_lock(s, false, err) < 0) {
        free(ims);
        return -1;
    }
    held = s;
    for (size_t i = 0; i < n; i++)
        if (save_image_read(s, items[i].id, &ims[i], err) < 0)
            goto out;
    if (fmt == SAF_OCI_DIR || fmt == SAF_DOCKER_DIR) {
        if (fs_mkdir_p(dir, 0755, err) < 0)
            goto out;
        if ((k.dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
            berr_sys(err, "open %s", dir);
            goto out;
        }
    } else {
        if (!(k.w = archive_write_new())) {
            berr_oom(err);
            goto out;
        }
        archive_write_set_format_pax_restricted(k.w);
        archive_write_set_bytes_in_last_block(k.w, 1);
        if (archive_write_open_fd(k.w, out_fd) != ARCHIVE_OK) {
            berr_msg(err, "write archive: %s", archive_error_string(k.w));
            goto out;
        }
    }
    switch (fmt) {
    case SAF_DOCKER_ARCHIVE: r = save_docker(s, &k, items, n, ims, err); break;
    case SAF_OCI_ARCHIVE:
    case SAF_OCI_DIR:        r = save_oci(s, &k, items, n, ims, err); break;
    case SAF_DOCKER_DIR:     r = save_dir(s, &k, items, &ims[0], err); break;
    }
    if (r == 0 && k.w && archive_write_close(k.w) != ARCHIVE_OK)
        r = berr_msg(err, "write archive: %s", archive_error_string(k.w));
out:
    if (k.w)
        archive_write_free(k.w);
    if (k.dfd >= 0)
        close(k.dfd);
    strv_free(k.written);
    for (size_t i = 0; i < n; i++)
        save_image_clear(&ims[i]);
    free(ims);
    return r;
}
