/*
 * runtime/image_view.c: every image with the facts derived from all of
 * them (labels, containers, parent and children in the layer tree), and
 * podman's image filters (c/common libimage) over those: runtime/image.h.
 */
#include <fnmatch.h>
#include <string.h>
#include <time.h>

#include "runtime/image_int.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

void img_views_free(struct img_views *vs)
{
    for (size_t i = 0; i < vs->n; i++) {
        img_free(vs->v[i].img);
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

/* How many entries of the sorted ids equal id. */
static size_t count_sorted(char *const *ids, size_t n, const char *id)
{
    size_t lo = 0, hi = n, k = 0;

    while (lo < hi) {           /* the first entry >= id */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ids[mid], id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo + k < n && !strcmp(ids[lo + k], id))
        k++;
    return k;
}

/* Containers per image: one pass over the container root file systems. */
static int count_containers(struct store *s, struct img_views *vs, struct berr **err)
{
    _cleanup_strv_ char **used = NULL;

    if (store_ctr_images(s, &used, err) < 0)
        return -1;
    size_t n = strv_len(used);
    for (size_t i = 0; i < vs->n; i++)
        vs->v[i].ncontainers = count_sorted(used, n, vs->v[i].img->id);
    return 0;
}

static int read_configs(struct store *s, struct img_views *vs, struct berr **err)
{
    for (size_t i = 0; i < vs->n; i++) {
        struct img_view *v = &vs->v[i];
        if (store_image_config_json(s, v->img->rec, &v->config, err) < 0)
            return berr_wrap(err, "image %.12s", v->img->id);
        json_t *lab = json_object_get(json_object_get(v->config, "config"), "Labels");
        v->labels = json_is_object(lab) && json_object_size(lab) ? lab : NULL;
    }
    return 0;
}

/* The layer tree: the parent is the image whose top layer is my parent
 * layer (the first such in store order). */
static void link_tree(struct img_views *vs)
{
    for (size_t i = 0; i < vs->n; i++) {
        const char *pl = vs->v[i].img->parent_layer;
        for (size_t j = 0; pl && j < vs->n; j++) {
            if (j == i || !str_eq(vs->v[j].img->top_layer, pl))
                continue;
            if (!vs->v[i].parent)
                vs->v[i].parent = vs->v[j].img->id;
            vs->v[j].nchildren++;
        }
    }
    for (size_t i = 0; i < vs->n; i++) {
        bool unnamed = !vs->v[i].img->names[0];
        vs->v[i].dangling = unnamed && vs->v[i].nchildren == 0;
        vs->v[i].intermediate = unnamed && vs->v[i].nchildren > 0;
    }
}

int img_views_load(struct runtime *rt, unsigned what, struct img_views *out,
                   struct berr **err)
{
    struct store *s;
    struct img **imgs = NULL;
    size_t n = 0;

    out->v = NULL;
    out->n = 0;
    if (rt_store(rt, &s, err) < 0 || img_list_store(s, &imgs, &n, err) < 0)
        return -1;
    if (!(out->v = calloc(n + 1, sizeof(*out->v)))) {
        img_list_free(imgs, n);
        return berr_oom(err);
    }
    for (size_t i = 0; i < n; i++)
        out->v[i].img = STEAL_PTR(imgs[i]);
    out->n = n;
    free(imgs);
    if (((what & IMG_VIEW_CONFIG) && read_configs(s, out, err) < 0) ||
        ((what & IMG_VIEW_CONTAINERS) && count_containers(s, out, err) < 0)) {
        img_views_free(out);
        return -1;
    }
    link_tree(out);
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

json_t *img_repo_digests(const struct img *img)
{
    _cleanup_strv_ strv v = NULL;
    json_t *arr = json_array();
    size_t n;

    for (char *const *nm = img->names; arr && *nm; nm++) {
        _cleanup_free_ char *repo = name_repo(*nm);
        for (char *const *d = img->digests; arr && repo && *d; d++) {
            _cleanup_free_ char *rd = str_fmt("%s@%s", repo, *d);
            if (!rd || (!strv_contains(v, rd) && strv_push(&v, rd) < 0))
                goto oom;
        }
        if (!repo)
            goto oom;
    }
    /* libimage's order: sorted */
    strv_sort(v);
    n = strv_len(v);
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, json_string(v[i])) < 0)
            goto oom;
    return arr;
oom:
    json_decref(arr);
    return NULL;
}

/* ---- filters ---------------------------------------------------------- */

enum fkey { F_SINCE, F_BEFORE, F_CONTAINERS, F_DANGLING, F_DIGEST, F_ID, F_INTERMEDIATE,
            F_LABEL, F_MANIFEST, F_READONLY, F_REFERENCE };

struct filter {
    enum fkey key;
    char *group;                    /* the key as given ("label", "until"): podman ORs
                                       the filters of one key, negated or not */
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
        free(fs->f[i].group);
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

static int parse_one(struct runtime *rt, char *spec, struct filter *f, struct berr **err)
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
    if (!(f->value = str_dup(value)) || !(f->group = str_dup(key)))
        return berr_oom(err);
    if (!strcmp(key, "after") || !strcmp(key, "since") || !strcmp(key, "before")) {
        _cleanup_img_ struct img *img = NULL;
        f->key = key[0] == 'b' ? F_BEFORE : F_SINCE;
        if (img_lookup(rt, value, &img, err) < 0)
            return berr_wrap(err, "could not find local image for filter filter \"%s\"=\"%s\"",
                             key, value);
        f->t = img->created_unix;
    } else if (!strcmp(key, "until")) {
        struct timespec now, t;
        clock_gettime(CLOCK_REALTIME, &now);
        f->key = F_BEFORE;
        if (time_parse_filter(value, now, &t, err) < 0)
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
        _cleanup_img_ struct img *img = NULL;
        struct berr *e = NULL;
        f->key = F_REFERENCE;
        if (img_lookup(rt, value, &img, &e) == 0 && !(f->ref_id = str_dup(img->id)))
            return berr_oom(err);
        berr_free(e);
    } else {
        return berr_msg(err, "unsupported image filter \"%s\"", key);
    }
    return 0;
}

int img_filters_parse(struct runtime *rt, char *const *filters, struct img_filters **out,
                      struct berr **err)
{
    struct img_filters *fs = calloc(1, sizeof(*fs));
    size_t n = strv_len(filters);

    if (!fs || !(fs->f = calloc(n + 1, sizeof(*fs->f)))) {
        free(fs);
        return berr_oom(err);
    }
    for (size_t i = 0; i < n; i++) {
        _cleanup_free_ char *spec = str_dup(filters[i]);
        if (!spec || parse_one(rt, spec, &fs->f[fs->n++], err) < 0) {
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
static bool match_reference(const struct filter *f, const struct img *img)
{
    if (f->ref_id && !strcmp(f->ref_id, img->id))
        return true;
    for (char *const *n = img->names; *n; n++) {
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
        for (char *const *d = v->img->digests; *d; d++)
            if (str_has_prefix(*d, f->value))
                return true;
        return false;
    }
    return false;
}

/* podman's libimage: the filters of one key are OR'ed (label=a with
 * label=b, or with label!=c), the keys AND'ed. */
bool img_filters_match(const struct img_filters *fs, const struct img_view *v)
{
    for (size_t i = 0; fs && i < fs->n; i++) {
        const char *g = fs->f[i].group ? fs->f[i].group : "";
        bool seen = false, any = false;

        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(fs->f[j].group ? fs->f[j].group : "", g);
        if (seen)
            continue;
        for (size_t j = i; j < fs->n && !any; j++)
            if (!strcmp(fs->f[j].group ? fs->f[j].group : "", g))
                any = match_one(&fs->f[j], v) != fs->f[j].negate;
        if (!any)
            return false;
    }
    return true;
}
