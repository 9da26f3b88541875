/*
 * cmd/img_view.h: what the image commands (images, image prune, rmi,
 * inspect) know about each image beyond its store record: labels, the
 * containers made from it, its parent and children in the layer tree,
 * and podman's image filters over all of that.
 *
 * Parent and children follow c/common's libimage layer tree: image P is
 * the parent of image C when P's top layer is the parent layer of C's top
 * layer. An image without names is dangling when it has no children and
 * intermediate when it has some (`images` hides those without -a).
 */
#ifndef BERTH_CMD_IMG_VIEW_H
#define BERTH_CMD_IMG_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "storage/store.h"
#include "util/err.h"

struct img_view {
    struct store_image *img;        /* owned */
    json_t *config;                 /* the image config blob (owned) */
    json_t *labels;                 /* borrowed from config, or NULL */
    size_t ncontainers;
    const char *parent;             /* id of the parent image, or NULL */
    size_t nchildren;
    bool dangling, intermediate;
};

struct img_views {
    struct img_view *v;
    size_t n;
};

/* Every image of the store with the derived facts, in store order. */
int img_views_load(struct store *s, struct img_views *out, struct berr **err);
void img_views_free(struct img_views *vs);
/* The view of the image with this full id, or NULL. */
struct img_view *img_views_find(struct img_views *vs, const char *id);

/* Compiled --filter list (libimage's keys: after/since, before, containers,
 * dangling, digest, id, intermediate, label, manifest, readonly, reference,
 * until; "key!=value" negates). All filters must match. */
struct img_filters;
int img_filters_parse(struct store *s, struct img_views *vs, char **filters,
                      struct img_filters **out, struct berr **err);
bool img_filters_match(const struct img_filters *f, const struct img_view *v);
void img_filters_free(struct img_filters *f);

/* "repo@digest" for each name and each digest of the image, as libimage's
 * RepoDigests. A new JSON array, or null when there are none. */
json_t *img_repo_digests(const struct store_image *img);

#endif
