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
 * The layers are pull_layers.c's; here the manifest, the config and the
 * record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/internal.h"
#include "storage/load.h"
#include "storage/registry/internal.h"
#include "storage/registry/pull_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

#define ACCEPT_MANIFESTS "Accept: " MT_OCI_MANIFEST ", " MT_DOCKER_V2S2 ", " MT_OCI_INDEX ", " \
                         MT_DOCKER_LIST

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
    pull_layers_free(p);
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
    pull_progress(&p, PROG_MSG, "Getting image source signatures", 0, 0);
    if (get_small_blob(&p, cdig, &cfg, &cfg_len, err) < 0)
        goto out;
    if (!(cdoc = json_loadb(cfg, cfg_len, 0, NULL)) || !json_is_object(cdoc)) {
        berr_msg(err, "config %s is not JSON", cdig);
        goto out;
    }
    if (pull_plan_layers(&p, mdoc, cdoc, err) < 0)
        goto out;
    for (size_t i = 0; i < p.nl; i++)
        pull_progress(&p, p.l[i].have ? PROG_SKIPPED : PROG_BLOB, p.l[i].blob, 0, p.l[i].size);
    if (st_mktemp_held(s, "pull", &p.stage, &p.stage_fd, err) < 0 ||
        pull_download_layers(&p, err) < 0)
        goto out;
    pull_progress(&p, PROG_CONFIG, cdig, 0, (int64_t) cfg_len);
    pull_progress(&p, PROG_DONE, cdig, (int64_t) cfg_len, (int64_t) cfg_len);
    pull_progress(&p, PROG_MSG, "Writing manifest to image destination", 0, 0);
    if (commit(&p, cfg, cfg_len, man, man_len, mtype, list_digest[0] ? list_digest : NULL, id,
               err) < 0)
        goto out;
    pull_progress(&p, PROG_MSG, "Storing signatures", 0, 0);
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
