/*
 * storage/load_docs.c: the JSON documents of docker-archives and
 * oci-archives (manifest.json, index.json, OCI manifests, image configs),
 * parsed from buffers into load plans (storage/load.h). Nothing here
 * touches a file: load.c reads the documents (capped, regular files
 * only) and stages what the plans name. Every document comes from an
 * untrusted archive: each field is type-checked before use, every digest
 * is checked for form, and text from the archive is escaped before it
 * reaches an error or a warning.
 */
#include <string.h>

#include "storage/load.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

void load_plan_clear(struct load_plan *p)
{
    for (size_t k = 0; p->layers && k < p->nlayers; k++) {
        free(p->layers[k].file);
        free(p->layers[k].media_type);
        free(p->layers[k].staged);
    }
    free(p->layers);
    free(p->manifest_file);
    free(p->config_file);
    free(p->manifest_type);
    strv_free(p->names);
    free(p->config);
    free(p->manifest);
    memset(p, 0, sizeof(*p));
}

void load_plans_free(struct load_plan *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        load_plan_clear(&v[i]);
    free(v);
}

static int parse(const char *what, const char *buf, size_t len, json_t **out,
                 struct berr **err)
{
    json_error_t je;

    if (!(*out = json_loadb(buf, len, 0, &je))) {
        _cleanup_free_ char *why = str_escape(je.text);
        return berr_msg(err, "%s: %s at line %d", what, why ? why : "invalid JSON", je.line);
    }
    return 0;
}

/* A digest field: "sha256:<64 hex>" or an error naming what has it. */
static int take_digest(const char *what, json_t *v, char out[72], struct berr **err)
{
    const char *d = json_string_value(v);

    if (!digest_valid(d)) {
        _cleanup_free_ char *e = str_escape(d);
        return berr_msg(err, "%s: invalid digest \"%s\"", what, e ? e : "");
    }
    snprintf(out, 72, "%s", d);
    return 0;
}

/* Names from the archive: normalized like podman (docker.io for
 * docker-archive RepoTags; bare names in OCI ref.name get localhost);
 * an invalid one is a warning, a digested one is dropped. */
static int add_name(char ***names, const char *n, const char *dflt, struct berr **err)
{
    _cleanup_free_ char *full = NULL;
    struct berr *e = NULL;

    if (ref_normalize_str(n, dflt, &full, &e) < 0) {
        _cleanup_free_ char *en = str_escape(n), *ee = str_escape(e->msg);
        log_warn("ignoring invalid image name \"%s\" in the archive: %s", en ? en : "",
                 ee ? ee : "");
        berr_free(e);
        return 0;
    }
    if (strchr(full, '@'))
        return 0;
    return strv_contains(*names, full) ? 0 : strv_push(names, full) < 0 ? berr_oom(err) : 0;
}

static struct load_plan *plans_new(size_t n, struct berr **err)
{
    struct load_plan *v = calloc(n + 1, sizeof(*v));

    if (!v)
        berr_oom(err);
    for (size_t i = 0; v && i < n; i++)
        if (!(v[i].names = calloc(1, sizeof(char *)))) {
            load_plans_free(v, n);
            berr_oom(err);
            return NULL;
        }
    return v;
}

/* One entry of manifest.json: {"Config": F, "RepoTags": [..], "Layers": [F..]}. */
static int docker_entry(json_t *ent, size_t i, struct load_plan *p, struct berr **err)
{
    json_t *layers = json_object_get(ent, "Layers"), *tags = json_object_get(ent, "RepoTags");
    const char *cfg = js_str(ent, "Config", NULL);
    size_t k;
    json_t *x;

    if (!json_is_object(ent))
        return berr_msg(err, "docker archive: image %zu is not an object", i);
    if (!cfg)
        return berr_msg(err, "docker archive: image %zu has no Config", i);
    if ((layers && !json_is_array(layers)) || (tags && !json_is_array(tags)))
        return berr_msg(err, "docker archive: image %zu: Layers and RepoTags must be lists", i);
    if (!(p->config_file = str_dup(cfg)))
        return berr_oom(err);
    if (!(p->layers = calloc(json_array_size(layers) + 1, sizeof(*p->layers))))
        return berr_oom(err);
    p->nlayers = json_array_size(layers);
    json_array_foreach(layers, k, x) {
        if (!json_is_string(x))
            return berr_msg(err, "docker archive: a layer path is not a string");
        if (!(p->layers[k].file = str_dup(json_string_value(x))))
            return berr_oom(err);
    }
    json_array_foreach(tags, k, x)
        if (json_is_string(x) && add_name(&p->names, json_string_value(x), "docker.io", err) < 0)
            return -1;
    return 0;
}

int load_docker_manifest(const char *buf, size_t len, struct load_plan **out, size_t *n,
                         struct berr **err)
{
    _cleanup_json_ json_t *man = NULL;
    struct load_plan *v;
    size_t i, nv;
    json_t *ent;

    if (parse("manifest.json", buf, len, &man, err) < 0)
        return -1;
    if (!json_is_array(man) || json_array_size(man) == 0)
        return berr_msg(err, "docker archive: manifest.json lists no images");
    nv = json_array_size(man);
    if (!(v = plans_new(nv, err)))
        return -1;
    json_array_foreach(man, i, ent)
        if (docker_entry(ent, i, &v[i], err) < 0) {
            load_plans_free(v, nv);
            return -1;
        }
    *out = v;
    *n = nv;
    return 0;
}

static char *blob_file(const char *digest)
{
    return str_fmt("blobs/sha256/%s", digest + 7);
}

int load_oci_index(const char *buf, size_t len, struct load_plan **out, size_t *n,
                   struct berr **err)
{
    _cleanup_json_ json_t *idx = NULL;
    struct load_plan *v;
    json_t *mans, *d;
    size_t i, nv;

    if (parse("index.json", buf, len, &idx, err) < 0)
        return -1;
    mans = json_object_get(idx, "manifests");
    if (!json_is_array(mans) || json_array_size(mans) == 0)
        return berr_msg(err, "oci archive: index.json lists no images");
    nv = json_array_size(mans);
    if (!(v = plans_new(nv, err)))
        return -1;
    json_array_foreach(mans, i, d) {
        json_t *ann = json_object_get(d, "annotations");
        const char *name = js_str(ann, "io.containerd.image.name", NULL);
        if (!name)
            name = js_str(ann, "org.opencontainers.image.ref.name", NULL);
        if (take_digest("oci archive: manifest", json_object_get(d, "digest"),
                        v[i].manifest_digest, err) < 0 ||
            (!(v[i].manifest_file = blob_file(v[i].manifest_digest)) && berr_oom(err)) ||
            (name && add_name(&v[i].names, name, "localhost", err) < 0)) {
            load_plans_free(v, nv);
            return -1;
        }
    }
    *out = v;
    *n = nv;
    return 0;
}

int load_oci_manifest(const char *buf, size_t len, struct load_plan *p, struct berr **err)
{
    _cleanup_json_ json_t *man = NULL;
    char what[96];
    json_t *layers, *x;
    size_t k;

    snprintf(what, sizeof(what), "manifest %.19s", p->manifest_digest);
    if (parse(what, buf, len, &man, err) < 0)
        return -1;
    const char *mt = js_str(man, "mediaType", NULL);
    if (str_eq(mt, MT_OCI_INDEX) || json_object_get(man, "manifests"))
        return berr_msg(err, "oci archive: nested image indexes are not supported");
    if (mt && !(p->manifest_type = str_dup(mt)))
        return berr_oom(err);
    snprintf(what, sizeof(what), "manifest %.19s: config", p->manifest_digest);
    if (take_digest(what, json_object_get(json_object_get(man, "config"), "digest"),
                    p->config_digest, err) < 0)
        return -1;
    if (!(p->config_file = blob_file(p->config_digest)))
        return berr_oom(err);
    layers = json_object_get(man, "layers");
    if (layers && !json_is_array(layers))
        return berr_msg(err, "manifest %.19s: layers is not a list", p->manifest_digest);
    if (!(p->layers = calloc(json_array_size(layers) + 1, sizeof(*p->layers))))
        return berr_oom(err);
    p->nlayers = json_array_size(layers);
    snprintf(what, sizeof(what), "manifest %.19s: layer", p->manifest_digest);
    json_array_foreach(layers, k, x) {
        struct load_layer *l = &p->layers[k];
        const char *lmt = js_str(x, "mediaType", NULL);
        if (take_digest(what, json_object_get(x, "digest"), l->blob, err) < 0)
            return -1;
        if (!(l->file = blob_file(l->blob)) || (lmt && !(l->media_type = str_dup(lmt))))
            return berr_oom(err);
    }
    return 0;
}

int load_config(const char *buf, size_t len, struct load_plan *p, struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL;
    json_t *diffs, *x;
    size_t k;

    if (parse("image config", buf, len, &cfg, err) < 0)
        return -1;
    if (!json_is_object(cfg))
        return berr_msg(err, "image config is not an object");
    diffs = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
    if (json_array_size(diffs) != p->nlayers)
        return berr_msg(err, "%zu layers but %zu diff ids in its config", p->nlayers,
                        json_array_size(diffs));
    json_array_foreach(diffs, k, x)
        if (take_digest("image config: diff id", x, p->layers[k].diff_id, err) < 0)
            return -1;
    return 0;
}

char *load_docker_v2s2(const struct load_plan *p)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    sbuf_addf(&b, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
              "\"size\":%zu,\"digest\":\"%s\"},\"layers\":[", MT_DOCKER_MANIFEST,
              MT_DOCKER_CONFIG, p->config_len, p->config_digest);
    for (size_t i = 0; i < p->nlayers; i++)
        sbuf_addf(&b, "%s{\"mediaType\":\"%s\",\"size\":%lld,\"digest\":\"%s\"}", i ? "," : "",
                  MT_DOCKER_LAYER_GZIP, (long long) p->layers[i].size, p->layers[i].blob);
    sbuf_add(&b, "]}");
    return sbuf_steal(&b);
}
