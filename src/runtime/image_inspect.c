/*
 * runtime/image_inspect.c: what inspect and history show of an image
 * (runtime/image.h).
 *
 * The inspect object is podman's (libimage ImageData): Id, Digest,
 * RepoTags, RepoDigests, Parent, Comment, Created, Config (OCI ImageConfig
 * in Go's field order), Version, Author, Architecture, Os, Size,
 * VirtualSize, GraphDriver, RootFS, Labels, Annotations, ManifestType,
 * User, History, NamesHistory.
 */
#include <string.h>
#include <time.h>

#include "runtime/image_int.h"
#include "util/cleanup.h"
#include "util/str.h"
#include "util/js.h"
#include "util/timefmt.h"

/* Copies the listed keys of src in this order (Go struct order). */
static json_t *ordered(json_t *src, const char *const *keys)
{
    json_t *o = json_object();

    for (size_t i = 0; o && keys[i]; i++) {
        json_t *v = json_object_get(src, keys[i]);
        if (v && !json_is_null(v) && json_object_set(o, keys[i], v) < 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static const char *const config_keys[] = {
    "User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels",
    "StopSignal", "ArgsEscaped", NULL
};
static const char *const history_keys[] = {
    "created", "author", "created_by", "comment", "empty_layer", NULL
};

/* Go prints times in templates as its time.String(); JSON as RFC 3339. */
static json_t *created_value(const struct img *img, bool go_times)
{
    struct timespec ts = { 0 };
    char buf[TIME_BUF];

    if (img->created && time_parse_rfc3339(img->created, &ts, NULL, NULL) == 0)
        return json_string(go_times ? time_go_string(ts, buf, sizeof(buf)) : img->created);
    ts.tv_sec = img->created_unix;
    return json_string(go_times ? time_go_string(ts, buf, sizeof(buf))
                                : time_rfc3339nano(ts, buf, sizeof(buf)));
}

/* The config's rootfs.diff_ids and its history (Go's field order). */
static int layers_and_history(json_t *cfg, json_t **layers, json_t **hist, struct berr **err)
{
    json_t *x;
    size_t k;

    *layers = json_array();
    *hist = json_array();
    if (!*layers || !*hist)
        goto oom;
    json_array_foreach(json_object_get(json_object_get(cfg, "rootfs"), "diff_ids"), k, x)
        if (json_array_append(*layers, x) < 0)
            goto oom;
    json_array_foreach(json_object_get(cfg, "history"), k, x)
        if (json_array_append_new(*hist, ordered(x, history_keys)) < 0)
            goto oom;
    return 0;
oom:
    json_decref(STEAL_PTR(*layers));
    json_decref(STEAL_PTR(*hist));
    return berr_oom(err);
}

static int inspect_object(struct store *s, const struct img_view *v, json_t *cfg, bool go_times,
                          json_t **out, struct berr **err)
{
    const struct img *img = v->img;
    json_t *c = json_object_get(cfg, "config");
    _cleanup_json_ json_t *man = NULL;
    json_t *layers, *hist, *lab = json_object_get(c, "Labels");

    if (store_image_manifest_json(s, img->rec, &man, err) < 0 ||
        layers_and_history(cfg, &layers, &hist, err) < 0)
        return -1;
    const char *comment = js_str(cfg, "comment", NULL);
    if (!comment)
        comment = js_str(json_array_get(json_object_get(cfg, "history"), 0), "comment", "");
    json_t *ann = json_object_get(man, "annotations");
    json_t *nh = img->names_history;
    /* a nil map: null in JSON, map[] in a template */
    json_t *labels = json_is_object(lab) && json_object_size(lab) ? json_incref(lab)
                     : go_times ? json_object() : json_null();
    json_t *digests = img_repo_digests(img);
    json_t *o = json_pack(
        "{s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:I, s:I, s:o,"
        " s:{s:s, s:o}, s:o, s:o, s:s, s:s, s:o, s:o}",
        "Id", img->id, "Digest", img->digest,
        "RepoTags", js_strv(img->names), "RepoDigests", digests,
        "Parent", v->parent ? v->parent : "", "Comment", comment,
        "Created", created_value(img, go_times),
        "Config", c ? ordered(c, config_keys) : json_object(),
        "Version", js_str(cfg, "docker_version", ""), "Author", js_str(cfg, "author", ""),
        "Architecture", js_str(cfg, "architecture", ""), "Os", js_str(cfg, "os", ""),
        "Size", (json_int_t) img->size, "VirtualSize", (json_int_t) img->size,
        "GraphDriver", store_image_graph_driver(s, img->rec),
        "RootFS", "Type", js_str(json_object_get(cfg, "rootfs"), "type", "layers"),
        "Layers", layers,
        "Labels", labels,
        "Annotations", json_is_object(ann) ? json_incref(ann) : json_object(),
        "ManifestType", img->manifest_type, "User", js_str(c, "User", ""),
        "History", hist, "NamesHistory", json_array_size(nh) ? json_incref(nh) : json_array());
    if (!o)
        return berr_oom(err);
    *out = o;
    return 0;
}

int img_inspect(struct runtime *rt, const struct img_view *v, bool go_times, json_t **out,
                struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL;
    struct store *s;

    if (rt_store(rt, &s, err) < 0)
        return -1;
    if (v->config)
        cfg = json_incref(v->config);
    else if (store_image_config_json(s, v->img->rec, &cfg, err) < 0)
        return berr_wrap(err, "image %.12s", v->img->id);
    return inspect_object(s, v, cfg, go_times, out, err);
}

/* ---- history ------------------------------------------------------------ */

void img_history_free(struct img_history *h)
{
    free(h->rows);
    json_decref(h->config);
    strv_free(h->ids);
    memset(h, 0, sizeof(*h));
}

/* The id of the first image (store order) whose top layer is chain, if
 * not used before ("always use the first one"); NULL otherwise. */
static int node_image(const struct img_views *vs, const char *chain, char ***used,
                      const char **out, struct berr **err)
{
    *out = NULL;
    for (size_t i = 0; i < vs->n; i++) {
        const struct img *img = vs->v[i].img;
        if (!str_eq(img->top_layer, chain))
            continue;
        if (strv_contains(*used, img->id))
            return 0;
        if (strv_push(used, img->id) < 0)
            return berr_oom(err);
        *out = (*used)[strv_len(*used) - 1];
        return 0;
    }
    return 0;
}

static int history_rows(struct store *s, const struct img_views *vs, const struct img *img,
                        struct img_history *h, struct berr **err)
{
    _cleanup_free_ struct store_layer_info *layers = NULL;
    json_t *hist = json_object_get(h->config, "history");
    size_t nl = 0, nh = json_array_size(hist);
    ssize_t li;

    if (store_image_layers(s, img->rec, &layers, &nl, err) < 0)
        return -1;
    if (!(h->rows = calloc(nh + 1, sizeof(*h->rows))) || !(h->ids = calloc(1, sizeof(char *))))
        return berr_oom(err);
    li = (ssize_t) nl - 1;
    for (ssize_t x = (ssize_t) nh - 1; x >= 0; x--) {
        json_t *e = json_array_get(hist, (size_t) x);
        struct img_history_row *row = &h->rows[h->n++];
        bool empty = js_bool(e, "empty_layer", false);

        *row = (struct img_history_row) {
            .id = x == (ssize_t) nh - 1 ? h->id : "<missing>",
            .created = js_str(e, "created", ""),
            .created_by = js_str(e, "created_by", ""),
            .comment = js_str(e, "comment", ""),
        };
        if (li < 0)
            continue;
        const char *nid;
        if (!empty)
            row->size = layers[li].diff_size;
        if (node_image(vs, layers[li].chain, &h->ids, &nid, err) < 0)
            return -1;
        if (nid)
            row->id = nid;
        if (!empty)
            li--;
    }
    return 0;
}

int img_history_load(struct runtime *rt, const char *ref, struct img_history *out,
                     struct berr **err)
{
    _cleanup_img_ struct img *img = NULL;
    struct img_views vs = { 0 };
    struct store *s;
    int r;

    memset(out, 0, sizeof(*out));
    if (rt_store(rt, &s, err) < 0 || img_lookup_store(s, ref, &img, err) < 0 ||
        img_views_load(rt, 0, &vs, err) < 0)
        return -1;
    struct img_view *v = img_views_find(&vs, img->id);
    memcpy(out->id, img->id, sizeof(out->id));
    if (!v)
        r = berr_kind(err, BK_NO_SUCH, "%s: image not known", ref);
    else if (store_image_config_json(s, v->img->rec, &out->config, err) < 0)
        r = berr_wrap(err, "image %.12s", v->img->id);
    else
        r = history_rows(s, &vs, v->img, out, err);
    img_views_free(&vs);
    if (r < 0)
        img_history_free(out);
    return r;
}
