/*
 * runtime/image.c: images by reference, the list, and names (tag,
 * untag): runtime/image.h. The store finds records; this file turns them
 * into struct img, normalizes the names users type and writes the events.
 */
#include <errno.h>
#include <string.h>

#include "runtime/image_int.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/str.h"
#include "util/js.h"

void img_free(struct img *img)
{
    if (!img)
        return;
    store_image_free(img->rec);
    free(img);
}

void img_list_free(struct img **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        img_free(v[i]);
    free(v);
}

/* The chain id of the layer under the image's top layer, or NULL. */
static const char *parent_layer(json_t *record)
{
    json_t *l = json_object_get(record, "layers");
    size_t n = json_array_size(l);

    return n >= 2 ? json_string_value(json_array_get(l, n - 2)) : NULL;
}

int img_wrap(struct store_image *si, struct img **out, struct berr **err)
{
    struct img *img = calloc(1, sizeof(*img));
    json_t *nh;

    if (!img) {
        store_image_free(si);
        return berr_oom(err);
    }
    memcpy(img->id, si->id, sizeof(img->id));
    img->digest = si->digest;
    img->names = si->names;
    img->digests = si->digests;
    img->manifest_type = si->manifest_type;
    img->created = si->created;
    img->created_unix = si->created_unix;
    img->loaded_unix = si->loaded_unix;
    img->size = si->size;
    img->top_layer = si->top_layer;
    img->parent_layer = parent_layer(si->record);
    nh = json_object_get(si->record, "names_history");
    if (!json_is_array(nh)) {
        /* an old record without one: an empty history of its own */
        if (!(nh = json_array()) || json_object_set_new(si->record, "names_history", nh) < 0) {
            store_image_free(si);
            free(img);
            return berr_oom(err);
        }
    }
    img->names_history = nh;
    img->rec = si;
    *out = img;
    return 0;
}

void img_event(struct runtime *rt, const char *status, const char *id, const char *name)
{
    struct event e = { .type = "image", .status = status, .id = id, .name = name };

    rt_event(rt, &e);
}

int img_lookup_store(struct store *s, const char *ref, struct img **out, struct berr **err)
{
    struct store_image *si = NULL;

    if (store_image_lookup(s, ref, &si, err) < 0)
        return -1;
    return img_wrap(si, out, err);
}

int img_lookup(struct runtime *rt, const char *ref, struct img **out, struct berr **err)
{
    struct store *s;

    if (rt_store(rt, &s, err) < 0)
        return -1;
    return img_lookup_store(s, ref, out, err);
}

int img_exists(struct runtime *rt, const char *ref, bool *exists, struct berr **err)
{
    struct store *s;

    if (rt_store(rt, &s, err) < 0)
        return -1;
    *exists = store_image_exists(s, ref);
    return 0;
}

int img_list_store(struct store *s, struct img ***out, size_t *n, struct berr **err)
{
    struct store_image **v = NULL;
    struct img **imgs;
    size_t k = 0;

    if (store_images(s, &v, n, err) < 0)
        return -1;
    if (!(imgs = calloc(*n + 1, sizeof(*imgs)))) {
        store_images_free(v, *n);
        return berr_oom(err);
    }
    for (; k < *n; k++)
        if (img_wrap(STEAL_PTR(v[k]), &imgs[k], err) < 0)
            break;
    if (k < *n) {
        store_images_free(v, *n);       /* the ones not wrapped yet */
        img_list_free(imgs, k);
        return -1;
    }
    free(v);
    *out = imgs;
    return 0;
}

int img_list(struct runtime *rt, struct img ***out, size_t *n, struct berr **err)
{
    struct store *s;

    if (rt_store(rt, &s, err) < 0)
        return -1;
    return img_list_store(s, out, n, err);
}

int img_name_normalize(const char *name, char **out, struct berr **err)
{
    return ref_normalize_str(name, "localhost", out, err);
}

/* tag and untag's name, with podman's words when it is bad (libimage
 * wraps reference.Parse's error twice: 'normalizing name "N": normalizing
 * name "N": repository name must be lowercase'). */
static int tag_name(const char *name, char **full, struct berr **err)
{
    struct berr *e = NULL;
    const char *m, *inner, *slash = strchr(name, '/');

    if (img_name_normalize(name, full, &e) == 0) {
        /* docker's split takes an upper-case first component for a
         * domain; podman's is only one with '.' or ':' (or localhost),
         * so "A/b" is localhost/A/b there, which is not lower case */
        size_t dl = slash ? (size_t) (slash - name) : 0;
        bool upper = false;
        for (size_t i = 0; i < dl; i++)
            upper |= name[i] >= 'A' && name[i] <= 'Z';
        if (upper && !memchr(name, '.', dl) && !memchr(name, ':', dl)) {
            free(*full);
            *full = NULL;
            return berr_msg(err, "normalizing name \"%s\": invalid reference format: repository "
                            "name must be lowercase", name);
        }
        return 0;
    }
    m = e && e->errnum != ENOMEM ? e->msg : NULL;
    if (!m) {
        *err = e;
        return -1;
    }
    inner = !*name ? "repository name must have at least one component"
            : str_has_prefix(m, "invalid reference format: ") ? m + 26 : m;
    berr_msg(err, "normalizing name \"%s\": normalizing name \"%s\": %s", name, name, inner);
    berr_free(e);
    return -1;
}

int img_tag(struct runtime *rt, const struct img *img, const char *name, struct berr **err)
{
    _cleanup_free_ char *full = NULL;
    struct store *s;

    if (tag_name(name, &full, err) < 0)
        return -1;
    /* podman names the digest as given */
    if (strchr(name, '@'))
        return berr_msg(err, "%s: tag by digest not supported", name);
    if (rt_store(rt, &s, err) < 0 || store_image_tag(s, img->id, full, err) < 0)
        return -1;
    img_event(rt, "tag", img->id, full);
    return 0;
}

int img_untag(struct runtime *rt, const struct img *img, const char *name, struct berr **err)
{
    _cleanup_free_ char *full = NULL;
    struct store *s;

    if ((name && tag_name(name, &full, err) < 0) || rt_store(rt, &s, err) < 0 ||
        store_image_untag(s, img->id, full, err) < 0)
        return -1;
    if (full) {
        img_event(rt, "untag", img->id, full);
        return 0;
    }
    for (char *const *nm = img->names; *nm; nm++)
        img_event(rt, "untag", img->id, *nm);
    return 0;
}

int img_broken(struct runtime *rt, json_t **out, struct berr **err)
{
    struct store *s;

    if (rt_store(rt, &s, err) < 0)
        return -1;
    return store_images_broken(s, out, err);
}
