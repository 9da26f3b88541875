/*
 * runtime/image_tree.c: `image tree`, as libimage's Image.Tree (podman
 * 4.3.1): a header (id, tags, size), then the image's layers base first,
 * each "ID: <layer> Size: <size>" and, where it is the top layer of
 * images, " Top Layer of: [their tags]". With whatrequires, the layers
 * built on the image's top layer instead: a chain stays one level, and
 * where a layer has several children each child starts a branch.
 *
 * Layers are keyed by chain id, as berth's store keeps them. podman's
 * store also holds a writable layer per container, which its tree
 * counts as children; berth's containers have no layers, so only the
 * images' layers show.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/image.h"
#include "runtime/image_int.h"
#include "runtime/runtime.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/str.h"

#define NONE SIZE_MAX

struct lnode {
    char chain[65];
    int64_t size;               /* the uncompressed tar's bytes */
    size_t parent;              /* index, or NONE for a base layer */
    size_t *kids, nkids;        /* in the order the images' layers came */
    char **tags;                /* tags of the images whose top layer it is */
};

struct ltree {
    struct lnode *v;
    size_t n, cap;
};

static void ltree_free(struct ltree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].kids);
        strv_free(t->v[i].tags);
    }
    free(t->v);
}

static size_t ltree_find(const struct ltree *t, const char *chain)
{
    for (size_t i = 0; i < t->n; i++)
        if (str_eq(t->v[i].chain, chain))
            return i;
    return NONE;
}

/* The node of layer l under parent (NONE: a base layer), made if new. */
static int ltree_add(struct ltree *t, const struct store_layer_info *l, size_t parent,
                     size_t *out, struct berr **err)
{
    size_t i = ltree_find(t, l->chain);

    if (i == NONE) {
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 16;
            struct lnode *v = realloc(t->v, cap * sizeof(*v));
            if (!v)
                return berr_oom(err);
            t->v = v;
            t->cap = cap;
        }
        i = t->n++;
        t->v[i] = (struct lnode) { .size = l->diff_size, .parent = parent };
        snprintf(t->v[i].chain, sizeof(t->v[i].chain), "%s", l->chain);
        if (parent != NONE) {
            struct lnode *p = &t->v[parent];
            size_t *k = realloc(p->kids, (p->nkids + 1) * sizeof(*k));
            if (!k)
                return berr_oom(err);
            p->kids = k;
            p->kids[p->nkids++] = i;
        }
    }
    *out = i;
    return 0;
}

/* libimage's RepoTags: adds the names that are no digest references and
 * are not in *tags yet */
static int add_tags(strv *tags, char *const *names, struct berr **err)
{
    for (size_t i = 0; names && names[i]; i++)
        if (!strchr(names[i], '@') && !strv_contains(*tags, names[i]) &&
            strv_push(tags, names[i]) < 0)
            return berr_oom(err);
    return 0;
}

/* The layers of the image only (NULL: of every image, in store order) as
 * one tree of chain ids; each node tagged with the images whose top layer
 * it is. */
static int ltree_load(struct store *s, const struct store_image *only, struct ltree *t,
                      struct berr **err)
{
    struct store_image **imgs = NULL;
    size_t n = 0, at;
    int r = 0;

    if (store_images(s, &imgs, &n, err) < 0)
        return -1;
    for (size_t i = 0; r == 0 && i < n; i++) {
        _cleanup_free_ struct store_layer_info *ls = NULL;
        size_t nl = 0;

        if (only && !str_eq(imgs[i]->id, only->id))
            continue;
        at = NONE;
        r = store_image_layers(s, imgs[i], &ls, &nl, err);
        for (size_t k = 0; r == 0 && k < nl; k++)
            r = ltree_add(t, &ls[k], at, &at, err);
    }
    for (size_t i = 0; r == 0 && i < n; i++)
        if (imgs[i]->top_layer && (at = ltree_find(t, imgs[i]->top_layer)) != NONE)
            r = add_tags(&t->v[at].tags, imgs[i]->names, err);
    store_images_free(imgs, n);
    return r;
}

/* ---- the printed tree (gotree's shape) ---- */

struct titem {
    char *text;
    struct titem **kids;
    size_t n;
};

static void titem_free(struct titem *t)
{
    for (size_t i = 0; i < t->n; i++) {
        titem_free(t->kids[i]);
        free(t->kids[i]);
    }
    free(t->kids);
    free(t->text);
}

/* A new last child of parent, holding text (taken, even on failure). */
static struct titem *titem_add(struct titem *parent, char *text)
{
    struct titem *c = text ? calloc(1, sizeof(*c)) : NULL;
    struct titem **k = c ? realloc(parent->kids, (parent->n + 1) * sizeof(*k)) : NULL;

    if (!k) {
        free(c);
        free(text);
        return NULL;
    }
    c->text = text;
    parent->kids = k;
    parent->kids[parent->n++] = c;
    return c;
}

static void titem_print(struct sbuf *b, const struct titem *t, struct sbuf *prefix)
{
    for (size_t i = 0; i < t->n; i++) {
        bool last = i + 1 == t->n;
        size_t keep = prefix->len;

        sbuf_addf(b, "%s%s%s\n", sbuf_str(prefix), last ? "└── " : "├── ", t->kids[i]->text);
        sbuf_add(prefix, last ? "    " : "│   ");
        titem_print(b, t->kids[i], prefix);
        prefix->len = keep;
        if (prefix->buf)
            prefix->buf[keep] = '\0';
    }
}

/* "ID: <12> Size: <%7v> Top Layer of: [tags]" */
static char *layer_line(const struct lnode *n)
{
    _cleanup_free_ char *size = hum_size_prec((double) n->size, 4, "");
    _cleanup_free_ char *tags = NULL;

    if (!size)
        return NULL;
    if (n->tags && n->tags[0]) {
        _cleanup_free_ char *j = strv_join(n->tags, " ");
        if (!j || !(tags = str_fmt(" Top Layer of: [%s]", j)))
            return NULL;
    }
    return str_fmt("ID: %.12s Size: %7s%s", n->chain, size, tags ? tags : "");
}

/* libimage's imageTreeTraverseChildren: a node whose parent has one
 * child goes on at its parent's level, else it starts a branch. */
static int add_children(const struct ltree *t, size_t i, struct titem *parent)
{
    const struct lnode *n = &t->v[i];
    bool linear = n->parent == NONE || t->v[n->parent].nkids <= 1;
    struct titem *at = titem_add(parent, layer_line(n));

    if (!at)
        return -1;
    if (linear)
        at = parent;
    for (size_t k = 0; k < n->nkids; k++)
        if (add_children(t, n->kids[k], at) < 0)
            return -1;
    return 0;
}

int img_tree(struct runtime *rt, const char *ref, bool whatrequires, char **out,
             struct berr **err)
{
    _cleanup_img_ struct img *img = NULL;
    _cleanup_free_ char *size = NULL, *tags = NULL;
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT, prefix = SBUF_INIT;
    struct ltree t = { 0 };
    struct titem root = { 0 };
    struct store *s;
    size_t top = NONE;
    int r = 0;
    strv names = NULL;

    *out = NULL;
    /* --whatrequires: the layers of every image, for the children */
    if (rt_store(rt, &s, err) < 0 || img_lookup_store(s, ref, &img, err) < 0 ||
        ltree_load(s, whatrequires ? NULL : img->rec, &t, err) < 0) {
        ltree_free(&t);
        return -1;
    }
    r = add_tags(&names, img->names, err);
    if (r == 0 && (!(size = hum_size_prec((double) img->size, 4, "")) ||
                   !(tags = names ? strv_join(names, " ") : str_dup(""))))
        r = berr_oom(err);
    strv_free(names);
    if (r == 0 && img->top_layer)
        top = ltree_find(&t, img->top_layer);
    if (r == 0) {
        sbuf_addf(&b, "Image ID: %.12s\nTags:     [%s]\nSize:     %s\n%s\n", img->id, tags, size,
                  img->top_layer ? "Image Layers" : "No Image Layers");
        if (top != NONE && whatrequires) {
            r = add_children(&t, top, &root);
        } else if (top != NONE) {
            /* base first: walk down from the top, then add in reverse */
            size_t depth = 0, *chain = NULL;
            for (size_t i = top; i != NONE; i = t.v[i].parent)
                depth++;
            if (!(chain = calloc(depth, sizeof(*chain))))
                r = -1;
            for (size_t i = top, k = depth; r == 0 && i != NONE; i = t.v[i].parent)
                chain[--k] = i;
            for (size_t k = 0; r == 0 && k < depth; k++)
                if (!titem_add(&root, layer_line(&t.v[chain[k]])))
                    r = -1;
            free(chain);
        }
        if (r < 0)
            r = berr_oom(err);
    }
    if (r == 0) {
        titem_print(&b, &root, &prefix);
        if (prefix.oom || !(*out = sbuf_steal(&b)))
            r = berr_oom(err);
    }
    titem_free(&root);
    ltree_free(&t);
    return r;
}
