/*
 * runtime/sysdf.c: the rows of `system df` (sysdf.h). Images come from
 * the image views (parent/children as libimage's layer tree), containers
 * from ps's items with sizes, volumes from their records and the
 * container-to-volume map. Nothing is locked or written: like ps, a
 * reader's snapshot.
 */
#include <string.h>

#include "runtime/ctr_ps.h"
#include "runtime/image.h"
#include "runtime/sysdf.h"
#include "runtime/volume.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

void rt_df_free(struct df_report *r)
{
    json_decref(r->images);
    json_decref(r->containers);
    json_decref(r->volumes);
    memset(r, 0, sizeof(*r));
}

static int64_t view_size(struct img_views *vs, const char *id)
{
    struct img_view *v = id ? img_views_find(vs, id) : NULL;

    return v ? v->img->size : 0;
}

/* One row per name, as libimage's NamedRepoTags: "repo:tag" names only;
 * an image with none is one <none> row. */
static int image_rows(struct img_views *vs, struct img_view *v, int64_t mapped, json_t *rows)
{
    int64_t size = v->img->size, shared = 0, unique = size;
    size_t nrows = 0;

    /* libimage: with children everything is shared; else the parent's
     * size is. */
    if (v->nchildren > 0) {
        shared = size;
        unique = 0;
    } else if (v->parent) {
        shared = view_size(vs, v->parent);
        unique = size - shared;
    }
    /* the chowned copies of the image per id mapping are its own */
    size += mapped;
    unique += mapped;
    for (size_t i = 0; ; i++) {
        const char *name = v->img->names[i];
        _cleanup_free_ char *repo = NULL;
        const char *tag = "<none>", *slash, *colon;

        if (name) {
            if (strchr(name, '@'))
                continue;
            slash = strrchr(name, '/');
            colon = strrchr(slash ? slash : name, ':');
            if (!colon)
                continue;
            repo = str_ndup(name, (size_t) (colon - name));
            tag = colon + 1;
        } else if (nrows > 0) {
            break;
        }
        if (json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
                "Repository", repo ? repo : "<none>", "Tag", tag, "ImageID", v->img->id,
                "Created", (json_int_t) v->img->created_unix, "Size", (json_int_t) size,
                "SharedSize", (json_int_t) shared, "UniqueSize", (json_int_t) unique,
                "Containers", (json_int_t) v->ncontainers)) < 0)
            return -1;
        nrows++;
        if (!name)
            break;
    }
    return 0;
}

static int df_images(struct runtime *rt, json_t *rows, struct berr **err)
{
    struct img_views vs = { 0 };
    int rc = 0;

    struct store *s = NULL;
    struct berr *e = NULL;

    if (img_views_load(rt, IMG_VIEW_CONTAINERS, &vs, err) < 0)
        return -1;
    if (rt_store(rt, &s, &e) < 0) {
        berr_free(e);
        s = NULL;
    }
    for (size_t i = 0; rc == 0 && i < vs.n; i++)
        if (image_rows(&vs, &vs.v[i], s ? store_img_mapped_usage(s, vs.v[i].img->top_layer) : 0,
                       rows) < 0)
            rc = berr_oom(err);
    img_views_free(&vs);
    return rc;
}

/* How many of the named volumes a container uses (users: vol_users_all). */
static json_int_t local_volumes(json_t *users, const char *id)
{
    const char *vol;
    json_t *ids, *one;
    json_int_t n = 0;
    size_t i;

    json_object_foreach(users, vol, ids)
        json_array_foreach(ids, i, one)
            if (str_eq(json_string_value(one), id)) {
                n++;
                break;
            }
    return n;
}

static char *join_command(json_t *cmd)
{
    _cleanup_strv_ strv words = NULL;
    json_t *w;
    size_t i;

    json_array_foreach(cmd, i, w)
        if (strv_push(&words, json_string_value(w) ? json_string_value(w) : "") < 0)
            return NULL;
    return strv_join(words, " ");
}

static int container_row(json_t *it, json_t *users, json_t *rows)
{
    const char *id = js_str(it, "Id", ""), *state = js_str(it, "State", "");
    _cleanup_free_ char *cmd = join_command(json_object_get(it, "Command"));
    json_t *size = json_object_get(it, "Size");

    if (!cmd)
        return -1;
    return json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:b}",
        "ContainerID", id, "Image", js_str(it, "ImageID", ""), "Command", cmd,
        "LocalVolumes", local_volumes(users, id),
        "Size", (json_int_t) js_int(size, "rwSize", 0),
        "Created", (json_int_t) js_int(it, "Created", 0), "Status", state,
        "Names", json_string_value(json_array_get(json_object_get(it, "Names"), 0))
                 ? json_string_value(json_array_get(json_object_get(it, "Names"), 0)) : "",
        "Running", str_eq(state, "running") || str_eq(state, "paused")));
}

static int df_containers(struct runtime *rt, json_t *users, json_t *rows, struct berr **err)
{
    struct ps_query q = { .all = true, .size = true, .shape = PS_JSON };
    _cleanup_json_ json_t *items = NULL;
    json_t *it;
    size_t i;

    if (ctr_ps_items(rt, &q, &items, err) < 0)
        return -1;
    json_array_foreach(items, i, it)
        if (container_row(it, users, rows) < 0)
            return berr_oom(err);
    return 0;
}

static int df_volumes(struct runtime *rt, json_t *users, json_t *rows, struct berr **err)
{
    struct vol_info *vs = NULL;
    size_t n = 0;
    int rc = 0;

    if (vol_read_all(rt, false, &vs, &n, err) < 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (json_array_append_new(rows, json_pack("{s:s, s:I, s:I}", "VolumeName", vs[i].name,
                "Links", (json_int_t) json_array_size(json_object_get(users, vs[i].name)),
                "Size", (json_int_t) vol_size(&vs[i].cfg))) < 0)
            rc = berr_oom(err);
    vol_info_free(vs, n);
    return rc;
}

int rt_df(struct runtime *rt, struct df_report *out, struct berr **err)
{
    _cleanup_json_ json_t *users = NULL;

    memset(out, 0, sizeof(*out));
    out->images = json_array();
    out->containers = json_array();
    out->volumes = json_array();
    if (!out->images || !out->containers || !out->volumes) {
        rt_df_free(out);
        return berr_oom(err);
    }
    if (vol_users_all(rt, &users, err) < 0 || df_images(rt, out->images, err) < 0 ||
        df_containers(rt, users, out->containers, err) < 0 ||
        df_volumes(rt, users, out->volumes, err) < 0) {
        rt_df_free(out);
        return -1;
    }
    return 0;
}
