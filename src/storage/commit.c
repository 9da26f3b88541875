/*
 * storage/commit.c: a new layer on top of an image, as a new image
 * (commit). The caller writes the layer's tar into a staging file this
 * file owns (a callback, so the tar never passes through memory); it is
 * hashed, then under the exclusive lock the path is import's and load's
 * (load_commit_image): blob, layer unpacked once, config, manifest, the
 * record last. The new config carries the parent's history and diff ids
 * plus the new layer's; the manifest lists the parent's layer blobs as
 * they are stored, with media types of the format asked for (oci or
 * docker). A failure leaves the store as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/internal.h"
#include "storage/load.h"
#include "util/arch.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"
#define MT_DOCKER_LAYER "application/vnd.docker.image.rootfs.diff.tar"

/* What the parent gives the new image. */
struct parent {
    json_t *config;                 /* its config blob */
    json_t *mlayers;                /* its manifest's "layers" (borrowed from man) */
    json_t *man;
    struct store_layer_info *layers;
    size_t n;
};

static void parent_clear(struct parent *p)
{
    json_decref(p->config);
    json_decref(p->man);
    free(p->layers);
}

static int parent_read(struct store *s, const char *id, struct parent *p, struct berr **err)
{
    _cleanup_image_ struct store_image *img = NULL;

    if (store_image_lookup(s, id, &img, err) < 0 ||
        store_image_config_json(s, img, &p->config, err) < 0 ||
        store_image_layers(s, img, &p->layers, &p->n, err) < 0)
        return -1;
    struct berr *e = NULL;
    if (store_image_manifest_json(s, img, &p->man, &e) < 0)
        berr_freep(&e);         /* the layer records say enough */
    p->mlayers = json_object_get(p->man, "layers");
    if (json_array_size(p->mlayers) != p->n)
        p->mlayers = NULL;
    return 0;
}

/* A layer media type in the format asked for; compression kept. */
static const char *layer_type(const char *mt, bool docker)
{
    bool gz = mt && strstr(mt, "gzip"), zst = mt && strstr(mt, "zstd");

    if (zst)
        return "application/vnd.oci.image.layer.v1.tar+zstd";
    if (docker)
        return gz ? MT_DOCKER_LAYER ".gzip" : MT_DOCKER_LAYER;
    return gz ? MT_OCI_LAYER "+gzip" : MT_OCI_LAYER;
}

/* The manifest "layers" entry of the parent's layer i. */
static json_t *parent_layer_desc(const struct store *s, const struct parent *p, size_t i,
                                 bool docker)
{
    json_t *d = json_array_get(p->mlayers, i);
    const char *mt = js_str(d, "mediaType", NULL);
    json_int_t size = json_integer_value(json_object_get(d, "size"));

    if (!d) {
        _cleanup_free_ char *path = blob_path(s, p->layers[i].blob);
        struct stat sb;
        size = path && stat(path, &sb) == 0 ? (json_int_t) sb.st_size : p->layers[i].diff_size;
        mt = path ? blob_compression(path) : NULL;
    }
    return json_pack("{s:s, s:s, s:I}", "mediaType", layer_type(mt, docker),
                     "digest", p->layers[i].blob, "size", size);
}

/* The new image config, compact, keys in podman's order. */
static char *commit_config(const struct store_commit_opts *o, const struct parent *p,
                           const char *diff_id)
{
    char created[40];
    _cleanup_json_ json_t *cfg = json_object(), *ids = json_array(), *hist = NULL;
    json_t *pc = p->config, *h;

    st_now_rfc3339(created);
    hist = o->squash ? json_array() : json_deep_copy(json_object_get(pc, "history"));
    if (!hist)
        hist = json_array();
    if (!o->squash)
        json_array_extend(ids, json_object_get(json_object_get(pc, "rootfs"), "diff_ids"));
    h = json_pack("{s:s, s:s, s:s?, s:s?}", "created", created,
                  "created_by", o->created_by ? o->created_by : "/bin/sh",
                  "author", o->author && *o->author ? o->author : NULL,
                  "comment", o->history_comment);
    if (!cfg || !ids || !hist || json_array_append_new(hist, h) < 0 ||
        json_array_append_new(ids, json_string(diff_id)) < 0 ||
        js_set_str(cfg, "created", created) < 0 ||
        (o->author && *o->author && js_set_str(cfg, "author", o->author) < 0) ||
        js_set_str(cfg, "architecture", js_str(pc, "architecture", arch_go())) < 0 ||
        (js_str(pc, "variant", NULL) && js_set_str(cfg, "variant", js_str(pc, "variant", ""))) ||
        js_set_str(cfg, "os", js_str(pc, "os", "linux")) < 0 ||
        (o->docker && o->comment && js_set_str(cfg, "comment", o->comment) < 0) ||
        json_object_set_new(cfg, "config", o->config ? json_deep_copy(o->config)
                                                     : json_object()) < 0 ||
        json_object_set_new(cfg, "rootfs", json_pack("{s:s, s:O}", "type", "layers",
                                                     "diff_ids", ids)) < 0 ||
        json_object_set(cfg, "history", hist) < 0)
        return NULL;
    return json_dumps(cfg, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

static char *commit_manifest(const struct store *s, const struct store_commit_opts *o,
                             const struct parent *p, const char *config, const char *layer,
                             int64_t size, struct berr **err)
{
    _cleanup_json_ json_t *m = NULL, *layers = json_array();
    char cdig[65], dig[72];

    if (sha256_buf(config, strlen(config), cdig, err) < 0)
        return NULL;
    snprintf(dig, sizeof(dig), "sha256:%s", cdig);
    for (size_t i = 0; !o->squash && layers && i < p->n; i++)
        if (json_array_append_new(layers, parent_layer_desc(s, p, i, o->docker)) < 0) {
            berr_oom(err);
            return NULL;
        }
    m = json_pack("{s:i, s:s?, s:{s:s, s:s, s:I}, s:O}", "schemaVersion", 2,
                  "mediaType", o->docker ? MT_DOCKER_MANIFEST : NULL,
                  "config", "mediaType", o->docker ? MT_DOCKER_CONFIG : MT_OCI_CONFIG,
                  "digest", dig, "size", (json_int_t) strlen(config), "layers", layers);
    if (!m || json_array_append_new(layers, json_pack("{s:s, s:s, s:I}", "mediaType",
                                                      o->docker ? MT_DOCKER_LAYER : MT_OCI_LAYER,
                                                      "digest", layer, "size",
                                                      (json_int_t) size)) < 0 ||
        json_object_set(m, "layers", layers) < 0) {
        berr_oom(err);
        return NULL;
    }
    char *out = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!out)
        berr_oom(err);
    return out;
}

/* Exclusive lock held: the staged layer in, then the image. */
static int commit_image(struct store *s, const char *tar, const char *hex, int64_t size,
                        const struct store_commit_opts *o, const struct parent *p,
                        char out_id[65], struct berr **err)
{
    _cleanup_free_ char *config = NULL, *manifest = NULL, *name = str_dup(o->name);
    _cleanup_free_ struct layer_in *layers = NULL;
    size_t nl = o->squash ? 0 : p->n, k = 0;
    char dig[72];

    if ((o->name && !name) || !(layers = calloc(nl + 1, sizeof(*layers))))
        return berr_oom(err);
    snprintf(dig, sizeof(dig), "sha256:%s", hex);
    if (blob_put_staged(s, tar, hex, err) < 0)
        return -1;
    if (!(config = commit_config(o, p, dig)))
        return berr_oom(err);
    if (!(manifest = commit_manifest(s, o, p, config, dig, size, err)))
        return -1;
    for (; k < nl; k++)
        layers[k] = (struct layer_in) {
            .diff_id = p->layers[k].diff_id, .blob = p->layers[k].blob,
            .media_type = layer_type(js_str(json_array_get(p->mlayers, k), "mediaType", NULL),
                                     o->docker),
            .diff_size = p->layers[k].diff_size,
        };
    layers[k++] = (struct layer_in) { .diff_id = dig, .blob = dig, .diff_size = size,
                                      .media_type = o->docker ? MT_DOCKER_LAYER : MT_OCI_LAYER };
    char *names[] = { name, NULL };
    struct load_image im = {
        .config = config, .config_len = strlen(config),
        .manifest = manifest, .manifest_len = strlen(manifest),
        .manifest_type = o->docker ? MT_DOCKER_MANIFEST : MT_OCI_MANIFEST,
        .layers = layers, .nlayers = k, .names = names,
    };
    if (load_commit_image(s, &im, err) < 0)
        return -1;
    return sha256_buf(config, strlen(config), out_id, err);
}

static int commit_locked(struct store *s, const char *tar, const char *hex, int64_t size,
                         const struct store_commit_opts *o, const struct parent *p,
                         char out_id[65], struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    struct berr *e = NULL;

    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (st_gc_mark(s, true, err) < 0)
        return -1;
    if (commit_image(s, tar, hex, size, o, p, out_id, err) == 0)
        return st_gc_mark(s, false, err);
    if (st_img_gc_layers(s, &e) < 0 || st_gc_mark(s, false, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
    }
    return -1;
}

int store_commit(struct store *s, const struct store_commit_opts *o, char out_id[65],
                 struct berr **err)
{
    _cleanup_free_ char *dir = NULL, *tar = NULL;
    _cleanup_close_ int lockfd = -1;
    struct parent p = { 0 };
    struct berr *e = NULL;
    char hex[65];
    int64_t size = 0;
    int rc = 0;

    if (o->parent && *o->parent && parent_read(s, o->parent, &p, err) < 0) {
        parent_clear(&p);
        return -1;
    }
    /* The tar is written with no storage lock held: a big tree takes its
     * time, and the staging dir is ours alone. */
    if (st_mktemp_held(s, "commit", &dir, &lockfd, err) < 0) {
        parent_clear(&p);
        return -1;
    }
    if (!(tar = str_fmt("%s/layer.tar", dir)))
        rc = berr_oom(err);
    if (rc == 0) {
        _cleanup_close_ int fd = open(tar, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            rc = berr_sys(err, "create %s", tar);
        else
            rc = o->write(o->arg, fd, err);
    }
    if (rc == 0)
        rc = blob_hash_file(tar, hex, &size, err);
    if (rc == 0)
        rc = commit_locked(s, tar, hex, size, o, &p, out_id, err);
    if (fs_rm_rf(dir, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
    }
    parent_clear(&p);
    return rc;
}
