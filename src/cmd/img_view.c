/*
 * cmd/img_view.c: images with their derived facts (labels, containers,
 * parent/children), and podman's image filters (c/common libimage).
 */
#include <fnmatch.h>
#include <string.h>
#include <time.h>

#include "cmd/img_view.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

void img_views_free(struct img_views *vs)
{
    for (size_t i = 0; i < vs->n; i++) {
        store_image_free(vs->v[i].img);
        json_decref(vs->v[i].config);
    }
    free(vs->v);
    vs->v = NULL;
    vs->n = 0;
}

struct img_view *img_views_find(struct img_views *vs, const char *id)
{
    for (size_t i = 0; i < vs->n; i++)
        if (!strcmp(vs->v[i].img->id, id))
            return &vs->v[i];
    return NULL;
}

/* The chain id of the layer under the image's top layer, or NULL. */
static const char *parent_layer(const struct store_image *img)
{
    json_t *l = json_object_get(img->record, "layers");
    size_t n = json_array_size(l);

    return n >= 2 ? json_string_value(json_array_get(l, n - 2)) : NULL;
}

int img_views_load(struct store *s, struct img_views *out, struct berr **err)
{
    struct store_image **imgs = NULL;
    size_t n = 0;

    out->v = NULL;
    out->n = 0;
    if (store_images(s, &imgs, &n, err) < 0)
        return -1;
    if (!(out->v = calloc(n + 1, sizeof(*out->v)))) {
        store_images_free(imgs, n);
        return berr_oom(err);
    }
    for (size_t i = 0; i < n; i++)
        out->v[i].img = STEAL_PTR(imgs[i]);
    out->n = n;
    free(imgs);
    for (size_t i = 0; i < n; i++) {
        struct img_view *v = &out->v[i];
        _cleanup_strv_ char **ctrs = NULL;

        if (store_image_config_json(s, v->img, &v->config, err) < 0 ||
            store_image_containers(s, v->img->id, &ctrs, err) < 0) {
            img_views_free(out);
            return berr_wrap(err, "image %.12s", v->img->id);
        }
        v->ncontainers = strv_len(ctrs);
        json_t *lab = json_object_get(json_object_get(v->config, "config"), "Labels");
        v->labels = json_is_object(lab) && json_object_size(lab) ? lab : NULL;
    }
    /* the layer tree: parent = the image whose top layer is my parent layer */
    for (size_t i = 0; i < n; i++) {
        const char *pl = parent_layer(out->v[i].img);
        for (size_t j = 0; pl && j < n; j++) {
            if (j == i || !str_eq(out->v[j].img->top_layer, pl))
                continue;
            if (!out->v[i].parent)
                out->v[i].parent = out->v[j].img->id;
            out->v[j].nchildren++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bool unnamed = !out->v[i].img->names[0];
        out->v[i].dangling = unnamed && out->v[i].nchildren == 0;
        out->v[i].intermediate = unnamed && out->v[i].nchildren > 0;
    }
    return 0;
}

/* "domain/path" of a stored name ("domain/path:tag" or "...@digest"). */
static char *name_repo(const char *name)
{
    const char *at = strchr(name, '@');
    size_t len = at ? (size_t) (at - name) : strlen(name);
    const char *slash = memrchr(name, '/', len);
    const char *colon = memrchr(slash ? slash : name, ':', len - (size_t) ((slash ? slash : name) - name));

    if (colon)
        len = (size_t) (colon - name);
    return str_ndup(name, len);
}

json_t *img_repo_digests(const struct store_image *img)
{
    json_t *arr = json_array();

    if (!arr)
        return NULL;
    for (char **n = img->names; *n; n++) {
        _cleanup_free_ char *repo = name_repo(*n);
        for (char **d = img->digests; repo && *d; d++) {
            _cleanup_free_ char *rd = str_fmt("%s@%s", repo, *d);
            bool dup = false;
            size_t k;
            json_t *x;
            json_array_foreach(arr, k, x)
                dup |= str_eq(json_string_value(x), rd);
            if (rd && !dup)
                json_array_append_new(arr, json_string(rd));
        }
    }
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return json_null();
    }
    return arr;
}

/* ---- filters ---------------------------------------------------------- */

enum fkey { F_SINCE, F_BEFORE, F_CONTAINERS, F_DANGLING, F_DIGEST, F_ID, F_INTERMEDIATE,
            F_LABEL, F_MANIFEST, F_READONLY, F_REFERENCE };

struct filter {
    enum fkey key;
    bool negate;
    char *value;
    bool bval;
    int64_t t;                      /* since/before/until: unix seconds */
    char *ref_id;                   /* reference: the image it names, if any */
};

struct img_filters {
    struct filter *f;
    size_t n;
};

void img_filters_free(struct img_filters *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->f[i].value);
        free(fs->f[i].ref_id);
    }
    free(fs->f);
    free(fs);
}

static int parse_bool(const char *key, const char *value, bool *out, struct berr **err)
{
    int b = str_to_bool(value);

    if (b < 0)
        return berr_msg(err, "non-boolean value \"%s\" for %s filter: "
                         "strconv.ParseBool: parsing \"%s\": invalid syntax", key, value, value);
    *out = b;
    return 0;
}

static int parse_one(struct store *s, char *spec, struct filter *f, struct berr **err)
{
    char *eq = strstr(spec, "!=");
    const char *key, *value;

    if (eq) {
        f->negate = true;
        *eq = 0;
        value = eq + 2;
    } else if ((eq = strchr(spec, '='))) {
        *eq = 0;
        value = eq + 1;
    } else {
        return berr_msg(err, "invalid image filter \"%s\": must be in the format "
                         "\"filter=value or filter!=value\"", spec);
    }
    key = spec;
    if (!(f->value = str_dup(value)))
        return berr_oom(err);
    if (!strcmp(key, "after") || !strcmp(key, "since") || !strcmp(key, "before")) {
        _cleanup_image_ struct store_image *img = NULL;
        f->key = key[0] == 'b' ? F_BEFORE : F_SINCE;
        if (store_image_lookup(s, value, &img, err) < 0)
            return berr_wrap(err, "could not find local image for filter filter \"%s\"=\"%s\"",
                             key, value);
        f->t = img->created_unix;
    } else if (!strcmp(key, "until")) {
        struct timespec now, t;
        clock_gettime(CLOCK_REALTIME, &now);
        f->key = F_BEFORE;
        if (time_parse_input(value, false, now, &t, err) < 0)
            return -1;
        f->t = t.tv_sec;
    } else if (!strcmp(key, "containers")) {
        f->key = F_CONTAINERS;
        if (strcmp(value, "true") && strcmp(value, "false") && strcmp(value, "external"))
            return berr_msg(err, "unsupported value \"%s\" for containers filter",
                             value);
        f->bval = !strcmp(value, "true");
    } else if (!strcmp(key, "dangling") || !strcmp(key, "intermediate") ||
               !strcmp(key, "readonly") || !strcmp(key, "manifest")) {
        f->key = key[0] == 'd' ? F_DANGLING : key[0] == 'i' ? F_INTERMEDIATE
                 : key[0] == 'r' ? F_READONLY : F_MANIFEST;
        if (parse_bool(key, value, &f->bval, err) < 0)
            return -1;
    } else if (!strcmp(key, "id")) {
        f->key = F_ID;
        if (str_has_prefix(value, "sha256:"))
            memmove(f->value, f->value + 7, strlen(f->value + 7) + 1);
    } else if (!strcmp(key, "digest")) {
        f->key = F_DIGEST;
        if (!str_has_prefix(value, "sha256:"))
            return berr_msg(err, "invalid value \"%s\" for digest filter", value);
    } else if (!strcmp(key, "label")) {
        f->key = F_LABEL;
    } else if (!strcmp(key, "reference")) {
        _cleanup_image_ struct store_image *img = NULL;
        struct berr *e = NULL;
        f->key = F_REFERENCE;
        if (store_image_lookup(s, value, &img, &e) == 0 && !(f->ref_id = str_dup(img->id)))
            return berr_oom(err);
        berr_free(e);
    } else {
        return berr_msg(err, "unsupported image filter \"%s\"", key);
    }
    return 0;
}

int img_filters_parse(struct store *s, struct img_views *vs, char **filters,
                      struct img_filters **out, struct berr **err)
{
    struct img_filters *fs = calloc(1, sizeof(*fs));
    size_t n = strv_len(filters);

    (void) vs;
    if (!fs || !(fs->f = calloc(n + 1, sizeof(*fs->f)))) {
        free(fs);
        return berr_oom(err);
    }
    for (size_t i = 0; i < n; i++) {
        _cleanup_free_ char *spec = str_dup(filters[i]);
        if (!spec || parse_one(s, spec, &fs->f[fs->n++], err) < 0) {
            if (!spec)
                berr_oom(err);
            img_filters_free(fs);
            return -1;
        }
    }
    *out = fs;
    return 0;
}

/* label=KEY or label=KEY=VALUE (containers/common MatchLabelFilters). */
static bool match_label(const char *spec, json_t *labels)
{
    const char *eq = strchr(spec, '=');
    _cleanup_free_ char *key = eq ? str_ndup(spec, (size_t) (eq - spec)) : str_dup(spec);
    json_t *v = key ? json_object_get(labels, key) : NULL;

    if (!v)
        return false;
    return !eq || str_eq(json_string_value(v), eq + 1);
}

/* path.Match against the forms libimage tries for each name: the full
 * name, without domain, the last component, each with and without tag. */
static bool match_reference(const struct filter *f, const struct store_image *img)
{
    if (f->ref_id && !strcmp(f->ref_id, img->id))
        return true;
    for (char **n = img->names; *n; n++) {
        _cleanup_free_ char *repo = name_repo(*n);
        if (!repo)
            return false;
        const char *tagpart = *n + strlen(repo);           /* ":tag" or "@digest" */
        const char *slash = strchr(repo, '/');
        const char *path = slash ? slash + 1 : repo;        /* without the domain */
        const char *last = strrchr(repo, '/');
        last = last ? last + 1 : repo;
        _cleanup_free_ char *path_tag = str_fmt("%s%s", path, tagpart);
        _cleanup_free_ char *last_tag = str_fmt("%s%s", last, tagpart);
        const char *cand[] = { *n, path, last_tag, repo, path_tag, last };
        for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++)
            if (cand[i] && fnmatch(f->value, cand[i], FNM_PATHNAME) == 0)
                return true;
    }
    return false;
}

static bool match_one(const struct filter *f, const struct img_view *v)
{
    switch (f->key) {
    case F_SINCE:        return v->img->created_unix > f->t;
    case F_BEFORE:       return v->img->created_unix < f->t;
    case F_CONTAINERS:   return !strcmp(f->value, "external") ? false
                                : (v->ncontainers > 0) == f->bval;
    case F_DANGLING:     return v->dangling == f->bval;
    case F_INTERMEDIATE: return v->intermediate == f->bval;
    case F_READONLY:     return !f->bval;
    case F_MANIFEST:     return !f->bval;
    case F_ID:           return str_has_prefix(v->img->id, f->value);
    case F_LABEL:        return match_label(f->value, v->labels);
    case F_REFERENCE:    return match_reference(f, v->img);
    case F_DIGEST:
        for (char **d = v->img->digests; *d; d++)
            if (str_has_prefix(*d, f->value))
                return true;
        return false;
    }
    return false;
}

bool img_filters_match(const struct img_filters *fs, const struct img_view *v)
{
    for (size_t i = 0; fs && i < fs->n; i++)
        if (match_one(&fs->f[i], v) == fs->f[i].negate)
            return false;
    return true;
}
