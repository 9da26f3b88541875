/*
 * storage/registry/pull.c: a registry image into the store.
 *
 * The manifest (and, for a list, the entry the platform picks) and the
 * config come first, each checked against its digest. Then every layer
 * the store lacks downloads at once, all on one libcurl multi handle:
 * the bytes go to a staging file under a held tmp/ dir (st_mktemp_held,
 * so no other writer's cleanup takes it) and are hashed as they arrive,
 * while a thread per layer follows the file, decompresses, hashes the
 * tar (the diff id) and unpacks it into a staging layer dir. A layer
 * whose compressed and uncompressed digests both match is installed
 * (blob renamed into blobs/, dir renamed into layers/<chain>) at once,
 * so a pull killed later still leaves it for the next pull to reuse;
 * a layer that does not match is dropped and the pull fails naming the
 * digest. The image record is written last, under the exclusive lock:
 * before it, no image is visible.
 *
 * The vfs driver copies the parent's tree into each layer, so there the
 * layers are unpacked one after the other once their blobs are complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/internal.h"
#include "storage/load.h"
#include "storage/registry/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

/* What the unpack thread reads at a time; big reads mean few wake-ups
 * (each costs dearly in a VM). */
#define FOLLOW_BUF (512u << 10)

#define ACCEPT_MANIFESTS "Accept: " MT_OCI_MANIFEST ", " MT_DOCKER_V2S2 ", " MT_OCI_INDEX ", " \
                         MT_DOCKER_LIST

struct player {
    size_t idx;
    struct pull *p;
    char blob[72], diff_id[72];
    char chain[65], parent[65];     /* parent "" for the base layer */
    char *media_type;
    int64_t size;                   /* the manifest's, -1 unknown */
    bool have;                      /* layer and blob in the store: skipped */
    bool have_layer;                /* layer there, blob not: download, verify */
    /* the download */
    char *file;
    int fd;
    struct sha256 h;
    bool hashing;
    struct http_xfer x;
    struct http_sink sink;
    bool dl_done, dl_ok;
    struct berr *dl_err;
    /* the follower: written by the transfer, read by the unpack thread */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t written;
    bool eof, abort;
    bool waiting;                   /* the reader sleeps: wake it */
    int64_t rpos;
    char *rbuf;                     /* FOLLOW_BUF bytes */
    /* the unpack thread */
    pthread_t th;
    bool th_started;
    atomic_bool th_done;
    char *dir;                      /* staging layer dir (holds diff/) */
    char diff_got[65];
    int64_t diff_size;
    struct berr *u_err;
    bool installed;
};

struct pull {
    struct store *s;
    struct reg_client *c;
    const struct store_pull_opts *o;
    char *host, *repo, *tag, *digest, *scope;
    char *stage;
    int stage_fd;
    bool overlay;
    struct player *l;
    size_t nl;
    struct berr *first_err;         /* the first layer failure */
};

static void progress(struct pull *p, enum progress_ev ev, const char *what, int64_t done,
                     int64_t total)
{
    progress_emit(p->o->progress, ev, what, done, total);
}

/* ---- manifests and config ---- */

static bool is_list(const char *mt)
{
    return str_eq(mt, MT_OCI_INDEX) || str_eq(mt, MT_DOCKER_LIST);
}

/* The media type of a fetched manifest: the body's own, else the
 * Content-Type, else guessed from its shape. */
static const char *manifest_type(json_t *doc, const char *ctype)
{
    const char *mt = js_str(doc, "mediaType", NULL);
    static char buf[128];

    if (mt && *mt)
        return mt;
    if (ctype && *ctype) {
        snprintf(buf, sizeof(buf), "%s", ctype);
        char *semi = strchr(buf, ';');
        if (semi)
            *semi = '\0';
        if (strstr(buf, "vnd."))
            return buf;
    }
    if (json_object_get(doc, "manifests"))
        return MT_OCI_INDEX;
    if (json_object_get(doc, "fsLayers"))
        return MT_DOCKER_V2S1;
    return MT_OCI_MANIFEST;
}

/* A document (manifest or config) into memory: GET path; a digest it
 * was asked by must match. *digest gets the content's; *ctype the
 * Content-Type (malloc'd, may be NULL). what names it in errors
 * ("reading manifest 1 in host/repo"). */
static int fetch_doc(struct pull *p, const char *path, const char *accept, const char *want,
                     const char *what, char **body, size_t *len, char digest[72],
                     char **ctype, struct berr **err)
{
    struct http_xfer x;
    char hex[65];
    int rc = -1;

    if (reg_xfer(p->c, p->host, &x, "GET", path, err) < 0)
        return -1;
    x.max_body = REG_DOC_MAX;
    x.follow = true;            /* a config may live in a blob store */
    if (accept && http_xfer_header(&x, "%s", accept) < 0) {
        http_xfer_clear(&x);
        return berr_oom(err);
    }
    if (reg_do(p->c, p->host, p->scope, &x, err) < 0)
        goto out;
    if (!http_ok(&x)) {
        _cleanup_free_ char *why = x.too_big ? str_dup("too big") : reg_why(&x);
        berr_msg(err, "%s: %s", what, why ? why : "failed");
        goto out;
    }
    if (sha256_buf(sbuf_str(&x.resp_body), x.resp_body.len, hex, err) < 0)
        goto out;
    snprintf(digest, 72, "sha256:%s", hex);
    if (want && strcmp(want, digest)) {
        berr_msg(err, "%s: digest mismatch: the registry sent content with %s", what, digest);
        goto out;
    }
    if (ctype && x.content_type && !(*ctype = str_dup(x.content_type))) {
        berr_oom(err);
        goto out;
    }
    *len = x.resp_body.len;
    *body = sbuf_steal(&x.resp_body);
    rc = *body ? 0 : berr_oom(err);
out:
    http_xfer_clear(&x);
    return rc;
}

/* GET manifests/<ref>; checks the digest when the reference has one.
 * *digest gets the manifest's own digest. */
static int get_manifest(struct pull *p, const char *ref, char **body, size_t *len,
                        json_t **doc, char **mtype, char digest[72], struct berr **err)
{
    _cleanup_free_ char *path = str_fmt("%s/manifests/%s", p->repo, ref);
    _cleanup_free_ char *what = str_fmt("reading manifest %s in %s/%s", ref, p->host, p->repo);
    _cleanup_free_ char *ctype = NULL;
    json_error_t je;

    if (!path || !what)
        return berr_oom(err);
    if (fetch_doc(p, path, ACCEPT_MANIFESTS, str_has_prefix(ref, "sha256:") ? ref : NULL, what,
                  body, len, digest, &ctype, err) < 0)
        return -1;
    if (!(*doc = json_loadb(*body, *len, 0, &je)) || !json_is_object(*doc))
        return berr_msg(err, "%s: not JSON: %s", what, je.text);
    return (*mtype = str_dup(manifest_type(*doc, ctype))) ? 0 : berr_oom(err);
}

/* A small blob (the config) into memory, checked against its digest. */
static int get_small_blob(struct pull *p, const char *digest, char **body, size_t *len,
                          struct berr **err)
{
    _cleanup_free_ char *path = str_fmt("%s/blobs/%s", p->repo, digest);
    _cleanup_free_ char *what = str_fmt("fetching blob %s", digest);
    char got[72];

    if (!path || !what)
        return berr_oom(err);
    return fetch_doc(p, path, NULL, digest, what, body, len, got, NULL, err);
}

/* ---- the follower and the unpack thread ---- */

static ssize_t follow_read(void *ctx, const void **buf)
{
    struct player *l = ctx;
    int64_t avail;
    bool abort;

    pthread_mutex_lock(&l->mu);
    while (l->rpos == l->written && !l->eof && !l->abort) {
        l->waiting = true;
        pthread_cond_wait(&l->cv, &l->mu);
    }
    l->waiting = false;
    abort = l->abort;
    avail = l->written - l->rpos;
    pthread_mutex_unlock(&l->mu);
    if (abort)
        return -1;
    if (avail == 0)
        return 0;
    size_t want = avail > (int64_t) FOLLOW_BUF ? FOLLOW_BUF : (size_t) avail;
    ssize_t n;
    do
        n = pread(l->fd, l->rbuf, want, l->rpos);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return -1;
    l->rpos += n;
    *buf = l->rbuf;
    return n;
}

static void *unpack_main(void *arg)
{
    struct player *l = arg;
    _cleanup_free_ char *diff = str_fmt("%s/diff", l->dir);
    struct unpack_src src = { .read = follow_read, .ctx = l, .name = l->blob };

    if (!diff)
        berr_oom(&l->u_err);
    else if (unpack_tar_stream(&src, diff, UNPACK_OVERLAY, l->diff_got, &l->diff_size,
                               &l->u_err) < 0 && !l->u_err)
        berr_msg(&l->u_err, "layer %s: unpacking stopped", l->blob);
    atomic_store(&l->th_done, true);
    http_wakeup(reg_http(l->p->c));
    return NULL;
}

static int layer_dir_fresh(struct player *l, struct berr **err)
{
    _cleanup_free_ char *diff = NULL;

    if (l->dir && fs_rm_rf(l->dir, err) < 0)
        return -1;
    free(l->dir);
    if (!(l->dir = str_fmt("%s/layer-%zu", l->p->stage, l->idx)) ||
        !(diff = str_fmt("%s/diff", l->dir)))
        return berr_oom(err);
    if (mkdir(l->dir, 0700) < 0 || mkdir(diff, 0755) < 0 || chmod(diff, 0755) < 0)
        return berr_sys(err, "create %s", diff);
    return 0;
}

static int thread_start(struct player *l, struct berr **err)
{
    int e;

    if (!l->rbuf && !(l->rbuf = malloc(FOLLOW_BUF)))
        return berr_oom(err);
    if (layer_dir_fresh(l, err) < 0)
        return -1;
    atomic_store(&l->th_done, false);
    l->abort = l->eof = false;
    if ((e = pthread_create(&l->th, NULL, unpack_main, l)) != 0) {
        errno = e;
        return berr_sys(err, "start the unpacking of layer %s", l->blob);
    }
    l->th_started = true;
    return 0;
}

static void thread_stop(struct player *l, bool abort)
{
    if (!l->th_started)
        return;
    pthread_mutex_lock(&l->mu);
    if (abort)
        l->abort = true;
    else
        l->eof = true;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->th, NULL);
    l->th_started = false;
}

/* ---- the download sink ---- */

static bool streams(const struct player *l)
{
    return l->p->overlay && !l->have_layer;
}

static int sink_write(void *ctx, const void *buf, size_t len)
{
    struct player *l = ctx;

    if (l->size >= 0 && l->written + (int64_t) len > l->size) {
        berr_msg(&l->dl_err, "fetching blob %s: the registry sent more than the %lld bytes "
                 "the manifest says", l->blob, (long long) l->size);
        return -1;
    }
    if (streams(l) && !l->th_started && thread_start(l, &l->dl_err) < 0)
        return -1;
    if (fs_write_all(l->fd, buf, len) < 0) {
        berr_sys(&l->dl_err, "write %s", l->file);
        return -1;
    }
    sha256_update(&l->h, buf, len);
    pthread_mutex_lock(&l->mu);
    l->written += (int64_t) len;
    if (l->waiting)
        pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
    progress(l->p, PROG_BYTES, l->blob, l->written, l->size);
    return 0;
}

/* The server answered a resumed request with the whole blob: again. */
static int sink_reset(void *ctx)
{
    struct player *l = ctx;

    thread_stop(l, true);
    if (l->hashing)
        sha256_free(&l->h);
    l->hashing = false;
    l->written = l->rpos = 0;
    if (ftruncate(l->fd, 0) < 0 || lseek(l->fd, 0, SEEK_SET) < 0) {
        berr_sys(&l->dl_err, "truncate %s", l->file);
        return -1;
    }
    if (sha256_init(&l->h, &l->dl_err) < 0)
        return -1;
    l->hashing = true;
    return 0;
}

static int layer_start(struct pull *p, struct player *l, const char *auth, struct berr **err)
{
    _cleanup_free_ char *path = str_fmt("%s/blobs/%s", p->repo, l->blob);

    if (!path || !(l->file = str_fmt("%s/blob-%zu", p->stage, l->idx)))
        return berr_oom(err);
    l->fd = open(l->file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (l->fd < 0)
        return berr_sys(err, "create %s", l->file);
    if (sha256_init(&l->h, err) < 0)
        return -1;
    l->hashing = true;
    if (reg_xfer(p->c, p->host, &l->x, "GET", path, err) < 0)
        return -1;
    l->x.follow = true;
    l->sink = (struct http_sink) { .write = sink_write, .reset = sink_reset, .ctx = l };
    l->x.sink = &l->sink;
    if (auth && !(l->x.auth = str_dup(auth)))
        return berr_oom(err);
    return 0;
}

/* ---- checking and installing layers ---- */

static void layer_fail(struct pull *p, struct player *l, struct berr *e)
{
    (void) l;
    if (!p->first_err)
        p->first_err = e;
    else
        berr_free(e);
}

/* A finished transfer: its status and the compressed digest. */
static void download_done(struct pull *p, struct player *l)
{
    struct berr *e = NULL;
    char hex[65];

    l->dl_done = true;
    if (l->dl_err) {
        thread_stop(l, true);
        layer_fail(p, l, STEAL_PTR(l->dl_err));
        return;
    }
    if (!http_ok(&l->x)) {
        _cleanup_free_ char *why = reg_why(&l->x);
        thread_stop(l, true);
        berr_msg(&e, "fetching blob %s: %s", l->blob, why ? why : "failed");
        layer_fail(p, l, e);
        return;
    }
    sha256_final(&l->h, hex);
    l->hashing = false;
    if (strcmp(hex, l->blob + 7)) {
        thread_stop(l, true);
        berr_msg(&e, "fetching blob %s: digest mismatch: the registry sent content with "
                 "sha256:%s", l->blob, hex);
        layer_fail(p, l, e);
        return;
    }
    if (l->size >= 0 && l->written != l->size) {
        thread_stop(l, true);
        berr_msg(&e, "fetching blob %s: %lld bytes, the manifest says %lld", l->blob,
                 (long long) l->written, (long long) l->size);
        layer_fail(p, l, e);
        return;
    }
    l->dl_ok = true;
    if (streams(l)) {
        /* A blob with no bytes never started its thread. */
        if (!l->th_started && thread_start(l, &e) < 0) {
            layer_fail(p, l, e);
            return;
        }
        pthread_mutex_lock(&l->mu);
        l->eof = true;
        pthread_cond_broadcast(&l->cv);
        pthread_mutex_unlock(&l->mu);
    }
}

static int diff_check(struct player *l, const char *got, struct berr **err)
{
    if (strcmp(got, l->diff_id + 7))
        return berr_msg(err, "layer %s: digest mismatch: the config says its content is %s, "
                        "it is sha256:%s", l->blob, l->diff_id, got);
    return 0;
}

/* Under the exclusive lock: the blob into blobs/, the layer into layers/. */
static int install(struct pull *p, struct player *l, struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    struct layer_in in = { .diff_id = l->diff_id, .blob = l->blob, .media_type = l->media_type,
                           .diff_size = l->diff_size };
    char chain[65];

    if (st_lock(p->s, true, err) < 0)
        return -1;
    held = p->s;
    if (blob_put_staged(p->s, l->file, l->blob + 7, err) < 0)
        return -1;
    if (streams(l)) {
        if (layer_install(p->s, l->dir, l->parent[0] ? l->parent : NULL, &in, l->chain, err) < 0)
            return -1;
    } else if (!l->have_layer) {
        /* vfs: the parent's tree is needed, so here, in order */
        if (layer_ensure(p->s, l->parent[0] ? l->parent : NULL, &in, chain, err) < 0)
            return -1;
    }
    l->installed = true;
    return 0;
}

/* A layer whose thread finished: check its diff id, install it. */
static void unpack_done(struct pull *p, struct player *l)
{
    struct berr *e = NULL;

    thread_stop(l, false);
    if (l->u_err) {
        layer_fail(p, l, STEAL_PTR(l->u_err));
        return;
    }
    if (diff_check(l, l->diff_got, &e) < 0 || install(p, l, &e) < 0) {
        layer_fail(p, l, e);
        return;
    }
    progress(p, PROG_DONE, l->blob, l->written, l->size);
}

/* The layers not streamed (vfs, or a layer the store has without its
 * blob): verified from the complete file, then installed in order. */
static void finish_from_file(struct pull *p, struct player *l)
{
    struct berr *e = NULL;
    char hex[65];
    int64_t dsize;

    if (blob_diff_digest(l->file, hex, &dsize, &e) < 0 || diff_check(l, hex, &e) < 0) {
        layer_fail(p, l, e);
        return;
    }
    l->diff_size = dsize;
    if (install(p, l, &e) < 0) {
        layer_fail(p, l, e);
        return;
    }
    progress(p, PROG_DONE, l->blob, l->written, l->size);
}

static int tick(void *ctx, struct berr **err)
{
    struct pull *p = ctx;

    (void) err;
    for (size_t i = 0; i < p->nl; i++) {
        struct player *l = &p->l[i];
        if (l->have || l->installed)
            continue;
        if (l->x.done && !l->dl_done && l->x.status != 401)
            download_done(p, l);
        if (l->dl_ok && streams(l) && l->th_started && atomic_load(&l->th_done))
            unpack_done(p, l);
    }
    /* One failure is enough: stop the others at once. */
    if (p->first_err) {
        *err = STEAL_PTR(p->first_err);
        return -1;
    }
    return 0;
}

/* ---- the layers as a whole ---- */

static int plan_layers(struct pull *p, json_t *man, json_t *cfg, struct berr **err)
{
    json_t *ls = json_object_get(man, "layers"), *d;
    json_t *diffs = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
    size_t i;

    if (!json_is_array(ls))
        return berr_msg(err, "the manifest lists no layers");
    if (json_array_size(diffs) != json_array_size(ls))
        return berr_msg(err, "the image has %zu layers but its config %zu diff ids",
                        json_array_size(ls), json_array_size(diffs));
    p->nl = json_array_size(ls);
    if (!(p->l = calloc(p->nl + 1, sizeof(*p->l))))
        return berr_oom(err);
    json_array_foreach(ls, i, d) {
        struct player *l = &p->l[i];
        const char *dg = js_str(d, "digest", NULL), *df = json_string_value(json_array_get(diffs, i));
        const char *mt = js_str(d, "mediaType", MT_OCI_LAYER_GZIP);
        l->idx = i;
        l->p = p;
        l->fd = -1;
        pthread_mutex_init(&l->mu, NULL);
        pthread_cond_init(&l->cv, NULL);
        if (!digest_valid(dg) || !digest_valid(df))
            return berr_msg(err, "layer %zu: invalid digest \"%s\"", i, digest_valid(dg) ? df : dg);
        if (json_object_get(d, "urls") || str_eq(mt, MT_DOCKER_FOREIGN) ||
            strstr(mt, "nondistributable"))
            return berr_msg(err, "layer %s: foreign (non-distributable) layers are not "
                            "supported", dg);
        if (strcmp(mt, MT_DOCKER_LAYER) && strcmp(mt, MT_DOCKER_LAYER_ZSTD) &&
            strcmp(mt, MT_OCI_LAYER) && strcmp(mt, MT_OCI_LAYER_GZIP) && strcmp(mt, MT_OCI_LAYER_ZSTD) &&
            strcmp(mt, "application/vnd.docker.image.rootfs.diff.tar"))
            return berr_msg(err, "layer %s: unsupported media type \"%s\"", dg, mt);
        snprintf(l->blob, sizeof(l->blob), "%s", dg);
        snprintf(l->diff_id, sizeof(l->diff_id), "%s", df);
        if (!(l->media_type = str_dup(mt)))
            return berr_oom(err);
        l->size = json_is_integer(json_object_get(d, "size")) ? js_int(d, "size", -1) : -1;
        if (i)
            snprintf(l->parent, sizeof(l->parent), "%s", p->l[i - 1].chain);
        chain_id_next(i ? l->parent : NULL, l->diff_id, l->chain);
        _cleanup_free_ char *lj = st_path(p->s, "layers/%s/layer.json", l->chain);
        if (!lj)
            return berr_oom(err);
        l->have_layer = fs_exists(lj);
        l->have = l->have_layer && blob_exists(p->s, l->blob);
    }
    return 0;
}

static void layers_free(struct pull *p)
{
    for (size_t i = 0; i < p->nl; i++) {
        struct player *l = &p->l[i];
        thread_stop(l, true);
        if (l->hashing)
            sha256_free(&l->h);
        if (l->fd >= 0)
            close(l->fd);
        http_xfer_clear(&l->x);
        berr_free(l->dl_err);
        berr_free(l->u_err);
        free(l->file);
        free(l->dir);
        free(l->rbuf);
        free(l->media_type);
        pthread_mutex_destroy(&l->mu);
        pthread_cond_destroy(&l->cv);
    }
    free(p->l);
    p->l = NULL;
    p->nl = 0;
}

static int download_layers(struct pull *p, struct berr **err)
{
    _cleanup_free_ struct http_xfer **xs = calloc(p->nl + 1, sizeof(*xs));
    _cleanup_free_ char *auth = NULL;
    size_t n = 0;

    if (!xs)
        return berr_oom(err);
    for (size_t i = 0; i < p->nl; i++)
        if (!p->l[i].have)
            n++;
    if (n == 0)
        return 0;
    if (reg_auth_header(p->c, p->host, p->scope, &auth, err) < 0)
        return -1;
    for (int round = 0; round < 2; round++) {
        n = 0;
        for (size_t i = 0; i < p->nl; i++) {
            struct player *l = &p->l[i];
            if (l->have || l->dl_done)
                continue;
            if (round == 0 && layer_start(p, l, auth, err) < 0)
                return -1;
            if (round == 1) {
                /* A 401 mid-way: the token expired; once more with a new one. */
                free(l->x.auth);
                l->x.auth = auth ? str_dup(auth) : NULL;
            }
            xs[n++] = &l->x;
        }
        if (n == 0)
            break;
        if (http_run_tick(reg_http(p->c), xs, n, tick, p, err) < 0)
            return -1;
        bool again = false;
        for (size_t i = 0; i < p->nl; i++)
            again |= !p->l[i].have && !p->l[i].dl_done && p->l[i].x.status == 401;
        if (!again || round == 1)
            break;
        reg_auth_forget(p->c, p->host, p->scope);
        free(auth);
        auth = NULL;
        if (reg_auth_header(p->c, p->host, p->scope, &auth, err) < 0)
            return -1;
    }
    /* 401s left, and the threads that finish after the transfers. */
    for (size_t i = 0; i < p->nl; i++) {
        struct player *l = &p->l[i];
        if (!l->have && !l->dl_done)
            download_done(p, l);
        if (p->first_err)
            break;
        if (l->dl_ok && streams(l) && !l->installed) {
            thread_stop(l, false);
            atomic_store(&l->th_done, true);
            unpack_done(p, l);
        }
    }
    for (size_t i = 0; i < p->nl && !p->first_err; i++)
        if (p->l[i].dl_ok && !p->l[i].installed)
            finish_from_file(p, &p->l[i]);
    if (p->first_err) {
        *err = STEAL_PTR(p->first_err);
        return -1;
    }
    return 0;
}

/* ---- the record ---- */

static int commit(struct pull *p, const char *cfg, size_t cfg_len, const char *man,
                  size_t man_len, const char *mtype, const char *list_digest, char id[65],
                  struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    _cleanup_free_ struct layer_in *ins = calloc(p->nl + 1, sizeof(*ins));
    struct load_image im = {
        .config = (char *) cfg, .config_len = cfg_len, .manifest = (char *) man,
        .manifest_len = man_len, .manifest_type = mtype, .layers = ins, .nlayers = p->nl,
        .names = (char **) p->o->names,
    };
    char hex[65];

    if (!ins)
        return berr_oom(err);
    if (st_lock(p->s, true, err) < 0)
        return -1;
    held = p->s;
    for (size_t i = 0; i < p->nl; i++) {
        struct player *l = &p->l[i];
        _cleanup_free_ char *lj = st_path(p->s, "layers/%s/layer.json", l->chain);
        _cleanup_json_ json_t *meta = NULL;
        if (!lj)
            return berr_oom(err);
        /* Another command may have collected a layer installed earlier. */
        if (!fs_exists(lj) || !blob_exists(p->s, l->blob))
            return berr_msg(err, "layer %s was removed while it was being pulled; pull again",
                            l->blob);
        if (layer_read(p->s, l->chain, &meta, err) < 0)
            return -1;
        ins[i] = (struct layer_in) { .diff_id = l->diff_id, .blob = l->blob,
                                     .media_type = l->media_type,
                                     .diff_size = js_int(meta, "diff_size", l->diff_size) };
    }
    if (load_commit_image(p->s, &im, err) < 0)
        return -1;
    if (sha256_buf(cfg, cfg_len, hex, err) < 0)
        return -1;
    snprintf(id, 65, "%s", hex);
    if (!list_digest)
        return 0;
    /* The list's digest names the image too (RepoDigests), as c/image
     * records it; its bytes are kept as a blob so they stay verifiable. */
    _cleanup_json_ json_t *rec = NULL;
    if (st_img_record_read(p->s, id, &rec, err) < 0)
        return -1;
    json_t *digs = json_object_get(rec, "digests"), *mans = json_object_get(rec, "manifests");
    if (!json_is_array(digs) || !json_is_array(mans))
        return berr_msg(err, "image %.12s: record without digests", id);
    bool have = false;
    size_t k;
    json_t *v;
    json_array_foreach(digs, k, v)
        have |= str_eq(json_string_value(v), list_digest);
    if (!have && (json_array_append_new(digs, json_string(list_digest)) < 0 ||
                  json_array_append_new(mans, json_string(list_digest)) < 0 ||
                  json_array_append_new(json_object_get(rec, "blobs"), json_string(list_digest)) < 0))
        return berr_oom(err);
    return have ? 0 : st_img_record_commit(p->s, rec, err);
}

/* ---- the whole pull ---- */

static void pull_clear(struct pull *p)
{
    layers_free(p);
    if (p->stage) {
        struct berr *e = NULL;
        if (fs_rm_rf(p->stage, &e) < 0) {
            log_warn("%s", e->msg);
            berr_free(e);
        }
    }
    if (p->stage_fd >= 0)
        close(p->stage_fd);
    free(p->stage);
    free(p->host);
    free(p->repo);
    free(p->tag);
    free(p->digest);
    free(p->scope);
    berr_free(p->first_err);
}

/* The manifest of the platform wanted: the list's pick, or itself. */
static int resolve_manifest(struct pull *p, char **man, size_t *man_len, json_t **mdoc,
                            char **mtype, char mdig[72], char list_digest[72], struct berr **err)
{
    const char *ref = p->digest ? p->digest : p->tag;

    list_digest[0] = '\0';
    if (get_manifest(p, ref, man, man_len, mdoc, mtype, mdig, err) < 0)
        return -1;
    if (!is_list(*mtype))
        return 0;
    struct platform want = { p->o->os, p->o->arch, p->o->variant };
    struct platform host;
    platform_host(&host);
    if (!want.os || !*want.os)
        want.os = host.os;
    if (!want.arch || !*want.arch)
        want.arch = host.arch;
    platform_normalize(&want);
    int i = platform_pick(*mdoc, &want, err);
    if (i < 0)
        return -1;
    const char *inst = js_str(json_array_get(json_object_get(*mdoc, "manifests"), (size_t) i),
                              "digest", NULL);
    if (!digest_valid(inst))
        return berr_msg(err, "manifest list %s: invalid entry digest", mdig);
    snprintf(list_digest, 72, "%s", mdig);
    _cleanup_free_ char *copy = str_dup(inst);
    free(*man);
    free(*mtype);
    json_decref(*mdoc);
    *man = NULL;
    *mtype = NULL;
    *mdoc = NULL;
    if (!copy)
        return berr_oom(err);
    if (get_manifest(p, copy, man, man_len, mdoc, mtype, mdig, err) < 0)
        return -1;
    if (is_list(*mtype))
        return berr_msg(err, "manifest list %s: an entry is a list itself", list_digest);
    return 0;
}

int store_pull(struct store *s, struct reg_client *c, const char *ref,
               const struct store_pull_opts *o, char id[65], struct berr **err)
{
    struct pull p = { .s = s, .c = c, .o = o, .stage_fd = -1 };
    _cleanup_free_ char *man = NULL, *mtype = NULL, *cfg = NULL;
    _cleanup_json_ json_t *mdoc = NULL, *cdoc = NULL;
    size_t man_len = 0, cfg_len = 0;
    char mdig[72], list_digest[72];
    int rc = -1;

    if (reg_split_ref(ref, &p.host, &p.repo, &p.tag, &p.digest, err) < 0)
        return -1;
    if (!p.tag && !p.digest && !(p.tag = str_dup("latest")))
        goto oom;
    if (!(p.scope = str_fmt("repository:%s:pull", p.repo)))
        goto oom;
    p.overlay = !strcmp(store_driver(s), "overlay");
    if (resolve_manifest(&p, &man, &man_len, &mdoc, &mtype, mdig, list_digest, err) < 0) {
        berr_wrap(err, "initializing source docker://%s", ref);
        goto out;
    }
    if (str_eq(mtype, MT_DOCKER_V2S1) || str_eq(mtype, MT_DOCKER_V2S1_SIGNED)) {
        berr_msg(err, "%s: docker schema 1 manifests are not supported", ref);
        goto out;
    }
    if (js_int(mdoc, "schemaVersion", 0) != 2 || !json_is_object(json_object_get(mdoc, "config"))) {
        berr_msg(err, "%s: unsupported manifest (media type \"%s\")", ref, mtype);
        goto out;
    }
    const char *cdig = js_str(json_object_get(mdoc, "config"), "digest", NULL);
    if (!digest_valid(cdig)) {
        berr_msg(err, "%s: the manifest has no valid config digest", ref);
        goto out;
    }
    progress(&p, PROG_MSG, "Getting image source signatures", 0, 0);
    if (get_small_blob(&p, cdig, &cfg, &cfg_len, err) < 0)
        goto out;
    if (!(cdoc = json_loadb(cfg, cfg_len, 0, NULL)) || !json_is_object(cdoc)) {
        berr_msg(err, "config %s is not JSON", cdig);
        goto out;
    }
    if (plan_layers(&p, mdoc, cdoc, err) < 0)
        goto out;
    for (size_t i = 0; i < p.nl; i++)
        progress(&p, p.l[i].have ? PROG_SKIPPED : PROG_BLOB, p.l[i].blob, 0, p.l[i].size);
    if (st_mktemp_held(s, "pull", &p.stage, &p.stage_fd, err) < 0 ||
        download_layers(&p, err) < 0)
        goto out;
    progress(&p, PROG_CONFIG, cdig, 0, (int64_t) cfg_len);
    progress(&p, PROG_DONE, cdig, (int64_t) cfg_len, (int64_t) cfg_len);
    progress(&p, PROG_MSG, "Writing manifest to image destination", 0, 0);
    if (commit(&p, cfg, cfg_len, man, man_len, mtype, list_digest[0] ? list_digest : NULL, id,
               err) < 0)
        goto out;
    progress(&p, PROG_MSG, "Storing signatures", 0, 0);
    rc = 0;
    goto out;
oom:
    berr_oom(err);
out:
    pull_clear(&p);
    return rc;
}

int store_pull_tags(struct reg_client *c, const char *repo_ref, char ***tags, struct berr **err)
{
    _cleanup_free_ char *host = NULL, *repo = NULL, *tag = NULL, *digest = NULL;

    if (reg_split_ref(repo_ref, &host, &repo, &tag, &digest, err) < 0)
        return -1;
    return reg_list_tags(c, host, repo, tags, err);
}
