/*
 * storage/registry/push.c: an image of the store to a registry.
 *
 * The store keeps every layer's original blob, so a pulled image goes
 * back as it came: same blobs, same manifest bytes, same digest. A layer
 * stored uncompressed (load, import) is gzipped on the way, and
 * --compression-format converts; those conversions run in parallel, one
 * thread per layer, into a held staging dir, and then the manifest is
 * rebuilt for them. Each blob is first asked for (HEAD: the registry has
 * it, nothing to send), else mounted from another repository of the
 * same registry that the image has a name in, else uploaded (POST for a
 * session, a PATCH with the layer, a PUT with its digest; the config in
 * one monolithic PUT); the blobs move in parallel on the client's
 * connections. The manifest goes last.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/internal.h"
#include "storage/registry/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/thread.h"

struct pblob {
    size_t idx;
    bool is_config;
    char src[72];               /* the stored blob */
    const char *src_comp;       /* "gzip", "zstd" or "" */
    const char *target;         /* the compression it is pushed with */
    char digest[72];            /* what goes to the registry */
    int64_t size;
    const char *media_type;
    char *in;                   /* the stored blob's path */
    char *file;                 /* the file sent: in, or the staged conversion */
    /* conversion thread */
    pthread_t th;
    bool th_started;
    struct berr *err;
    /* transfer */
    bool exists, mounted;
    char *location;
    struct http_xfer x;
    int fd;
};

struct push {
    struct store *s;
    struct reg_client *c;
    const struct store_push_opts *o;
    char *host, *repo, *tag, *scope;
    char *mount_from;           /* a repository of the same registry, or NULL */
    char *stage;
    int stage_fd;
    struct pblob *b;            /* layers, then the config */
    size_t nb;
    struct http_xfer **xs;      /* room for one transfer per blob */
    json_t *rec;
    char *config, *manifest;
    size_t config_len, manifest_len;
};

/* A conversion thread: the plain tar of b->in, compressed into b->file. */
static void *convert_main(void *arg)
{
    struct pblob *b = arg;

    blob_compress(b->in, b->file, b->target, b->digest, &b->size, &b->err);
    return NULL;
}

/* ---- the image and its blobs ---- */

static const char *layer_type(bool oci, const char *comp)
{
    if (!strcmp(comp, "gzip"))
        return oci ? MT_OCI_LAYER_GZIP : MT_DOCKER_LAYER;
    if (!strcmp(comp, "zstd"))
        return oci ? MT_OCI_LAYER_ZSTD : MT_DOCKER_LAYER_ZSTD;
    return oci ? MT_OCI_LAYER : "application/vnd.docker.image.rootfs.diff.tar";
}

static int read_image(struct push *p, const char *id, struct store_layer_info **layers,
                      size_t *nl, struct berr **err)
{
    _cleanup_image_ struct store_image *img = NULL;
    char cdig[72];

    if (st_img_record_read(p->s, id, &p->rec, err) < 0 || st_img_from_record(p->rec, &img, err) < 0)
        return berr_wrap(err, "image %.12s", id);
    snprintf(cdig, sizeof(cdig), "sha256:%s", id);
    if (blob_read(p->s, cdig, &p->config, &p->config_len, err) < 0 ||
        blob_read(p->s, js_str(p->rec, "manifest", ""), &p->manifest, &p->manifest_len, err) < 0 ||
        store_image_layers(p->s, img, layers, nl, err) < 0)
        return berr_wrap(err, "image %.12s", id);
    /* a name of the image in this registry, other repository: mount source */
    for (char **n = img->names; *n && !p->mount_from; n++) {
        _cleanup_free_ char *h = NULL, *r = NULL, *t = NULL, *d = NULL;
        struct berr *e = NULL;
        if (reg_split_ref(*n, &h, &r, &t, &d, &e) == 0 && !strcmp(h, p->host) &&
            strcmp(r, p->repo))
            p->mount_from = STEAL_PTR(r);
        berr_free(e);
    }
    return 0;
}

/* Which compression each layer goes with; whether any must be converted. */
static int plan(struct push *p, struct store_layer_info *ls, size_t nl, bool oci,
                const char *want, bool *converted, struct berr **err)
{
    *converted = false;
    if (!(p->b = calloc(nl + 2, sizeof(*p->b))) || !(p->xs = calloc(nl + 2, sizeof(*p->xs))))
        return berr_oom(err);
    for (size_t i = 0; i < nl; i++) {
        struct pblob *b = &p->b[i];
        struct stat st;
        b->idx = i;
        b->fd = -1;
        snprintf(b->src, sizeof(b->src), "%s", ls[i].blob);
        if (!(b->in = blob_path(p->s, b->src)))
            return berr_oom(err);
        if (stat(b->in, &st) < 0)
            return berr_sys(err, "layer %s", b->src);
        b->src_comp = blob_compression(b->in);
        b->target = want ? want : *b->src_comp ? b->src_comp : "gzip";
        if (!oci && !strcmp(b->target, "zstd"))
            b->target = "gzip";         /* v2s2 has no zstd layers */
        if (strcmp(b->target, b->src_comp)) {
            *converted = true;
            if (!(b->file = str_fmt("%s/layer-%zu.%s", p->stage, i, b->target)))
                return berr_oom(err);
        } else {
            snprintf(b->digest, sizeof(b->digest), "%s", b->src);
            b->size = st.st_size;
            if (!(b->file = str_dup(b->in)))
                return berr_oom(err);
        }
        b->media_type = layer_type(oci, b->target);
    }
    struct pblob *cb = &p->b[nl];
    char hex[65];
    cb->idx = nl;
    cb->fd = -1;
    cb->is_config = true;
    if (sha256_buf(p->config, p->config_len, hex, err) < 0)
        return -1;
    snprintf(cb->digest, sizeof(cb->digest), "sha256:%s", hex);
    snprintf(cb->src, sizeof(cb->src), "%s", cb->digest);
    cb->size = (int64_t) p->config_len;
    cb->media_type = oci ? MT_OCI_CFG : MT_DOCKER_CFG;
    p->nb = nl + 1;
    return 0;
}

static int convert_all(struct push *p, struct berr **err)
{
    int e;

    for (size_t i = 0; i + 1 < p->nb; i++) {
        struct pblob *b = &p->b[i];
        if (b->file == b->in || !strcmp(b->file, b->in))
            continue;
        if ((e = thread_spawn_away(&b->th, convert_main, b)) != 0) {
            errno = e;
            berr_sys(err, "start compressing layer %s", b->src);
            break;
        }
        b->th_started = true;
    }
    for (size_t i = 0; i + 1 < p->nb; i++) {
        struct pblob *b = &p->b[i];
        if (!b->th_started)
            continue;
        pthread_join(b->th, NULL);
        b->th_started = false;
        if (b->err && !*err)
            *err = STEAL_PTR(b->err);
    }
    return *err ? -1 : 0;
}

/* The manifest as Go's encoding/json writes these structs. */
static char *build_manifest(struct push *p, bool oci)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    const struct pblob *cb = &p->b[p->nb - 1];

    sbuf_addf(&b, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":",
              oci ? MT_OCI_MANIFEST : MT_DOCKER_V2S2);
    for (size_t i = 0; i < p->nb; i++) {
        const struct pblob *x = i == 0 ? cb : &p->b[i - 1];
        if (oci)
            sbuf_addf(&b, "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}", x->media_type,
                      x->digest, (long long) x->size);
        else
            sbuf_addf(&b, "{\"mediaType\":\"%s\",\"size\":%lld,\"digest\":\"%s\"}", x->media_type,
                      (long long) x->size, x->digest);
        sbuf_add(&b, i == 0 ? ",\"layers\":[" : i + 1 < p->nb ? "," : "");
    }
    sbuf_add(&b, "]}");
    return sbuf_steal(&b);
}

/* ---- the transfers ---- */

/* Runs xs with the push scope; the ones answered 401 once more with a
 * new token (an expired one). */
static int run_all(struct push *p, struct http_xfer **xs, size_t n, struct berr **err)
{
    for (int round = 0; round < 2 && n; round++) {
        _cleanup_free_ char *auth = NULL;
        if (reg_auth_header(p->c, p->host, p->scope, &auth, err) < 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            free(xs[i]->auth);
            xs[i]->auth = auth ? str_dup(auth) : NULL;
        }
        if (http_run(reg_http(p->c), xs, n, err) < 0)
            return -1;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (xs[i]->status == 401)
                xs[k++] = xs[i];
        if (k == 0)
            return 0;
        reg_auth_forget(p->c, p->host, p->scope);
        n = k;
    }
    return 0;
}

static int fail(struct pblob *b, const char *what, struct berr **err)
{
    _cleanup_free_ char *why = reg_why(&b->x);
    return berr_msg(err, "%s %s: %s", what, b->digest, why ? why : "failed");
}

/* An absolute URL for an upload Location (it may be a path). */
static char *upload_url(const struct http_xfer *x, const char *loc, const char *digest)
{
    _cleanup_free_ char *base = NULL;

    if (!str_has_prefix(loc, "http://") && !str_has_prefix(loc, "https://")) {
        const char *u = x->effective_url ? x->effective_url : x->url;
        const char *slash = strchr(strstr(u, "://") + 3, '/');
        base = str_ndup(u, slash ? (size_t) (slash - u) : strlen(u));
        if (!base)
            return NULL;
    }
    if (!digest)
        return str_fmt("%s%s", base ? base : "", loc);
    return str_fmt("%s%s%cdigest=%s", base ? base : "", loc, strchr(loc, '?') ? '&' : '?', digest);
}

static int blobs_check(struct push *p, struct berr **err)
{
    struct http_xfer **xs = p->xs;

    for (size_t i = 0; i < p->nb; i++) {
        _cleanup_free_ char *path = str_fmt("%s/blobs/%s", p->repo, p->b[i].digest);
        if (!path)
            return berr_oom(err);
        if (reg_xfer(p->c, p->host, &p->b[i].x, "HEAD", path, err) < 0)
            return -1;
        xs[i] = &p->b[i].x;
    }
    if (run_all(p, xs, p->nb, err) < 0)
        return -1;
    for (size_t i = 0; i < p->nb; i++) {
        struct pblob *b = &p->b[i];
        if (b->x.status == 200)
            b->exists = true;
        else if (b->x.status != 404)
            return fail(b, "checking whether the registry has blob", err);
        http_xfer_clear(&b->x);
    }
    return 0;
}

/* POST for an upload session, or a mount from another repository. */
static int blobs_start(struct push *p, struct berr **err)
{
    struct http_xfer **xs = p->xs;
    size_t n = 0;

    for (size_t i = 0; i < p->nb; i++) {
        struct pblob *b = &p->b[i];
        _cleanup_free_ char *path = NULL;
        if (b->exists)
            continue;
        path = p->mount_from && !b->is_config
               ? str_fmt("%s/blobs/uploads/?mount=%s&from=%s", p->repo, b->digest, p->mount_from)
               : str_fmt("%s/blobs/uploads/", p->repo);
        if (!path)
            return berr_oom(err);
        if (reg_xfer(p->c, p->host, &b->x, "POST", path, err) < 0)
            return -1;
        xs[n++] = &b->x;
    }
    if (run_all(p, xs, n, err) < 0)
        return -1;
    for (size_t i = 0; i < p->nb; i++) {
        struct pblob *b = &p->b[i];
        if (b->exists)
            continue;
        if (b->x.status == 201) {
            b->mounted = true;
        } else if (b->x.status == 202 && b->x.location) {
            if (!(b->location = upload_url(&b->x, str_trim(b->x.location), NULL)))
                return berr_oom(err);
        } else {
            return fail(b, "initiating the upload of blob", err);
        }
        http_xfer_clear(&b->x);
    }
    return 0;
}

/* A transfer to an upload session URL (the registry's TLS). */
static int session_xfer(struct push *p, struct pblob *b, const char *method, const char *url,
                        struct berr **err)
{
    struct http_xfer probe;

    if (http_xfer_init(&b->x, method, url, err) < 0)
        return -1;
    if (reg_xfer(p->c, p->host, &probe, "GET", "", err) < 0)
        return -1;
    b->x.tls = probe.tls;
    http_xfer_clear(&probe);
    return http_xfer_header(&b->x, "Content-Type: application/octet-stream") < 0
           ? berr_oom(err) : 0;
}

/* The layers go as c/image sends them, in one PATCH to the session, the
 * digest coming with a PUT after it; the config, being small, in one
 * monolithic PUT. */
static int blobs_patch(struct push *p, struct berr **err)
{
    struct http_xfer **xs = p->xs;
    size_t n = 0;

    for (size_t i = 0; i < p->nb; i++) {
        struct pblob *b = &p->b[i];
        if (b->exists || b->mounted || b->is_config)
            continue;
        if (session_xfer(p, b, "PATCH", b->location, err) < 0)
            return -1;
        b->fd = open(b->file, O_RDONLY | O_CLOEXEC);
        if (b->fd < 0)
            return berr_sys(err, "open %s", b->file);
        b->x.body_fd = b->fd;
        b->x.body_len = (size_t) b->size;
        xs[n++] = &b->x;
    }
    if (run_all(p, xs, n, err) < 0)
        return -1;
    for (size_t i = 0; i < p->nb; i++) {
        struct pblob *b = &p->b[i];
        if (b->exists || b->mounted || b->is_config)
            continue;
        if (b->x.status != 202 || !b->x.location)
            return fail(b, "uploading blob", err);
        char *next = upload_url(&b->x, str_trim(b->x.location), NULL);
        if (!next)
            return berr_oom(err);
        free(b->location);
        b->location = next;
        http_xfer_clear(&b->x);
        close(b->fd);
        b->fd = -1;
    }
    return 0;
}

static int blobs_upload(struct push *p, struct berr **err)
{
    struct http_xfer **xs = p->xs;
    size_t n = 0;

    if (blobs_patch(p, err) < 0)
        return -1;
    for (size_t i = 0; i < p->nb; i++) {
        struct pblob *b = &p->b[i];
        if (b->exists || b->mounted)
            continue;
        _cleanup_free_ char *url = upload_url(&b->x, b->location, b->digest);
        if (!url)
            return berr_oom(err);
        if (session_xfer(p, b, "PUT", url, err) < 0)
            return -1;
        if (b->is_config) {
            b->x.body = p->config;
            b->x.body_len = p->config_len;
        }
        xs[n++] = &b->x;
    }
    if (run_all(p, xs, n, err) < 0)
        return -1;
    for (size_t i = 0; i < p->nb; i++) {
        struct pblob *b = &p->b[i];
        if (b->exists || b->mounted)
            continue;
        if (b->x.status != 201 && b->x.status != 204)
            return fail(b, "uploading blob", err);
        if (b->x.digest && strcmp(str_trim(b->x.digest), b->digest))
            return berr_msg(err, "uploading blob %s: the registry stored it as %s", b->digest,
                            b->x.digest);
        http_xfer_clear(&b->x);
    }
    return 0;
}

static int put_manifest(struct push *p, const char *man, size_t len, const char *mt,
                        struct berr **err)
{
    _cleanup_free_ char *path = str_fmt("%s/manifests/%s", p->repo, p->tag);
    struct http_xfer x;
    int rc = 0;

    if (!path)
        return berr_oom(err);
    if (reg_xfer(p->c, p->host, &x, "PUT", path, err) < 0)
        return -1;
    x.body = man;
    x.body_len = len;
    if (http_xfer_header(&x, "Content-Type: %s", mt) < 0) {
        http_xfer_clear(&x);
        return berr_oom(err);
    }
    if (reg_do(p->c, p->host, p->scope, &x, err) < 0)
        rc = -1;
    else if (!http_ok(&x)) {
        _cleanup_free_ char *why = reg_why(&x);
        rc = berr_msg(err, "writing manifest %s in %s/%s: %s", p->tag, p->host, p->repo,
                      why ? why : "failed");
    }
    http_xfer_clear(&x);
    return rc;
}

static void push_clear(struct push *p)
{
    for (size_t i = 0; i < p->nb; i++) {
        struct pblob *b = &p->b[i];
        if (b->th_started)
            pthread_join(b->th, NULL);
        berr_free(b->err);
        http_xfer_clear(&b->x);
        if (b->fd >= 0)
            close(b->fd);
        free(b->in);
        free(b->file);
        free(b->location);
    }
    free(p->b);
    free(p->xs);
    if (p->stage) {
        struct berr *e = NULL;
        if (fs_rm_rf(p->stage, &e) < 0) {
            log_warn("%s", e->msg);
            berr_free(e);
        }
        free(p->stage);
    }
    if (p->stage_fd >= 0)
        close(p->stage_fd);
    json_decref(p->rec);
    free(p->config);
    free(p->manifest);
    free(p->host);
    free(p->repo);
    free(p->tag);
    free(p->scope);
    free(p->mount_from);
}

int store_push(struct store *s, struct reg_client *c, const char *id, const char *ref,
               const struct store_push_opts *o, char digest[72], struct berr **err)
{
    struct push p = { .s = s, .c = c, .o = o, .stage_fd = -1 };
    _cleanup_free_ struct store_layer_info *ls = NULL;
    _cleanup_free_ char *dg = NULL, *built = NULL;
    size_t nl = 0;
    bool converted;
    int rc = -1;
    char hex[65];

    if (reg_split_ref(ref, &p.host, &p.repo, &p.tag, &dg, err) < 0)
        return -1;
    if (dg) {
        berr_kind(err, BK_INVALID, "%s: a digest cannot be pushed to; use a tag", ref);
        goto out;
    }
    if (!p.tag && !(p.tag = str_dup("latest")))
        goto oom;
    if (read_image(&p, id, &ls, &nl, err) < 0)
        goto out;
    const char *own = js_str(p.rec, "manifest_type", MT_DOCKER_V2S2);
    const char *fmt = o->format;
    if (o->compression && !strcmp(o->compression, "zstd")) {
        if (fmt && !strcmp(fmt, "v2s2")) {
            berr_kind(err, BK_INVALID, "zstd compression needs the oci format, not v2s2");
            goto out;
        }
        fmt = "oci";
    }
    bool oci = fmt ? !strcmp(fmt, "oci") : !strcmp(own, MT_OCI_MANIFEST);
    if (!(p.scope = p.mount_from ? str_fmt("repository:%s:pull,push repository:%s:pull", p.repo,
                                           p.mount_from)
                                 : str_fmt("repository:%s:pull,push", p.repo)))
        goto oom;
    if (st_mktemp_held(s, "push", &p.stage, &p.stage_fd, err) < 0 ||
        plan(&p, ls, nl, oci, o->compression, &converted, err) < 0)
        goto out;
    progress_emit(o->progress, PROG_MSG, "Getting image source signatures", 0, 0);
    for (size_t i = 0; i + 1 < p.nb; i++)
        progress_emit(o->progress, PROG_BLOB, p.b[i].src, 0, p.b[i].size ? p.b[i].size : -1);
    if (convert_all(&p, err) < 0 || blobs_check(&p, err) < 0 || blobs_start(&p, err) < 0 ||
        blobs_upload(&p, err) < 0)
        goto out;
    for (size_t i = 0; i + 1 < p.nb; i++)
        progress_emit(o->progress, p.b[i].exists ? PROG_SKIPPED : PROG_DONE, p.b[i].src,
                      p.b[i].size, p.b[i].size);
    progress_emit(o->progress, PROG_CONFIG, p.b[p.nb - 1].digest, 0, (int64_t) p.config_len);
    progress_emit(o->progress, PROG_DONE, p.b[p.nb - 1].digest, (int64_t) p.config_len,
                  (int64_t) p.config_len);
    progress_emit(o->progress, PROG_MSG, "Writing manifest to image destination", 0, 0);
    /* Unchanged blobs and format: the very manifest the image came with. */
    const char *mt = oci ? MT_OCI_MANIFEST : MT_DOCKER_V2S2;
    const char *man = p.manifest;
    size_t mlen = p.manifest_len;
    if (converted || strcmp(mt, own)) {
        if (!(built = build_manifest(&p, oci)))
            goto oom;
        man = built;
        mlen = strlen(built);
    }
    if (put_manifest(&p, man, mlen, mt, err) < 0 || sha256_buf(man, mlen, hex, err) < 0)
        goto out;
    snprintf(digest, 72, "sha256:%s", hex);
    progress_emit(o->progress, PROG_MSG, "Storing signatures", 0, 0);
    rc = 0;
    goto out;
oom:
    berr_oom(err);
out:
    push_clear(&p);
    return rc;
}
