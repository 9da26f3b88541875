/*
 * storage/registry/pull_layers.c: the layers of a pull. Every layer the
 * store lacks downloads at once on the client's multi handle into a
 * staging file, hashed as it arrives; a thread per layer follows that
 * file (waking only when it has caught up), decompresses, hashes the tar
 * (the diff id) and unpacks it into a staging layer dir. A layer whose
 * two digests match is installed at once (blob into blobs/, dir renamed
 * to layers/<chain>) under the exclusive lock; the first failure stops
 * every transfer. vfs layers, which need their parent's tree, are
 * checked and unpacked in order from the whole files instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/registry/pull_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/thread.h"

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
    if ((e = thread_spawn_away(&l->th, unpack_main, l)) != 0) {
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
    pull_progress(l->p, PROG_BYTES, l->blob, l->written, l->size);
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
    pull_progress(p, PROG_DONE, l->blob, l->written, l->size);
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
    pull_progress(p, PROG_DONE, l->blob, l->written, l->size);
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

int pull_plan_layers(struct pull *p, json_t *man, json_t *cfg, struct berr **err)
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

void pull_layers_free(struct pull *p)
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

int pull_download_layers(struct pull *p, struct berr **err)
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

