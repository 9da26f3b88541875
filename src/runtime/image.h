/*
 * runtime/image.h: images, the engine's side (podman's libimage): what
 * the image commands of src/cmd ask for. The store (storage/store.h) keeps
 * records, blobs and layers; this layer adds the policy on top: which
 * image a reference means, what rmi removes (containers under -f, parents
 * left dangling), the events, the derived facts `images` shows (parent,
 * children, containers, dangling) and podman's filters over them, and the
 * JSON objects of inspect and history.
 *
 *   image.c          lookup, list, exists, names (tag, untag), events
 *   image_view.c     the list with derived facts, filters (images, prune)
 *   image_rm.c       rmi and image prune
 *   image_io.c       archives in and out: load, save, import
 *   image_pull.c     registries and the other transports: pull, push,
 *                    login, logout, search (their API: image_pull.h)
 *   image_mount.c    image mount / unmount
 *   image_inspect.c  the inspect object and the history rows
 *
 * Every call opens the store on first use (rt_store) and takes the storage
 * lock itself; none may be called with a container's lock held unless it
 * says so. Every change writes its image event (tag, untag, remove,
 * loadfromarchive, save, mount, unmount) here, never in the CLI.
 */
#ifndef BERTH_RUNTIME_IMAGE_H
#define BERTH_RUNTIME_IMAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct runtime;
struct store_image;

/* One image. The strings are borrowed from the store's record, which the
 * struct owns: they live until img_free(). */
struct img {
    char id[65];                    /* config digest hex */
    const char *digest;             /* "sha256:..." of the manifest, or "" */
    char *const *names;             /* "localhost/busybox:latest", ...; never NULL */
    char *const *digests;           /* every manifest digest known; never NULL */
    const char *manifest_type;      /* media type of the manifest, or "" */
    const char *created;            /* config "created", RFC 3339, or NULL */
    int64_t created_unix;           /* seconds; 0 when unknown */
    int64_t loaded_unix;            /* when it entered the store */
    int64_t size;                   /* unpacked size of all layers, bytes */
    const char *top_layer;          /* chain id of the top layer, or NULL */
    const char *parent_layer;       /* chain id of the layer under it, or NULL */
    json_t *names_history;          /* array of names, newest first (borrowed) */
    struct store_image *rec;        /* the store's record: the runtime's own */
};
void img_free(struct img *img);
void img_list_free(struct img **v, size_t n);
static inline void img_freep(struct img **p) { img_free(*p); }
#define _cleanup_img_ __attribute__((cleanup(img_freep)))

/* ---- image.c: lookup and names ------------------------------------------ */

/* The image a reference means: full id, "sha256:<id>", unique id prefix,
 * full name, name@digest, or short name (matching every local name that
 * ends in it at a component boundary; more than one image is an error
 * naming them). Unknown: BK_NO_SUCH, "<ref>: image not known". */
int img_lookup(struct runtime *rt, const char *ref, struct img **out, struct berr **err);
/* Does ref name exactly one local image? A failed lookup is "no"; only a
 * store that cannot be opened is an error. */
int img_exists(struct runtime *rt, const char *ref, bool *exists, struct berr **err);
/* Every image, oldest first (by load time, then id). */
int img_list(struct runtime *rt, struct img ***out, size_t *n, struct berr **err);

/* A name as the user typed it, normalized for naming a local image
 * (podman's tag/import/commit): no domain -> localhost/, no tag ->
 * :latest. Needs no runtime, so a command can check its operands first. */
int img_name_normalize(const char *name, char **out, struct berr **err);
/* Adds name (as typed; normalized here) to the image; a name another
 * image had moves here. Writes a tag event. */
int img_tag(struct runtime *rt, const struct img *img, const char *name, struct berr **err);
/* Removes name (as typed) from the image, or every name when name is
 * NULL; the image stays. An untag event per name. A name the image does
 * not have: BK_NO_SUCH. */
int img_untag(struct runtime *rt, const struct img *img, const char *name, struct berr **err);

/* ---- image_view.c: the list with derived facts, and filters -------------- */

/* An image with what the list commands derive from all images. Parent and
 * children follow c/common's libimage layer tree: image P is the parent of
 * image C when P's top layer is the layer under C's top layer. An image
 * without names is dangling when it has no children and intermediate
 * when it has some (`images` hides those without -a). */
struct img_view {
    struct img *img;                /* owned */
    json_t *config;                 /* IMG_VIEW_CONFIG: the config blob (owned) */
    json_t *labels;                 /* borrowed from config; NULL when none */
    size_t ncontainers;             /* IMG_VIEW_CONTAINERS: containers made from it */
    const char *parent;             /* id of the parent image, or NULL */
    size_t nchildren;
    bool dangling, intermediate;
};
struct img_views {
    struct img_view *v;
    size_t n;
};
/* What img_views_load reads beyond the image records (each costs a read
 * per image or per container): the config blobs (labels, and the label
 * filters), the container root file systems (ncontainers). */
enum { IMG_VIEW_CONFIG = 1u << 0, IMG_VIEW_CONTAINERS = 1u << 1 };
/* Every image with the derived facts, in store order (img_list's). */
int img_views_load(struct runtime *rt, unsigned what, struct img_views *out,
                   struct berr **err);
void img_views_free(struct img_views *vs);
/* The view of the image with this full id, or NULL. */
struct img_view *img_views_find(struct img_views *vs, const char *id);

/* A compiled --filter list (libimage's keys: after/since, before,
 * containers, dangling, digest, id, intermediate, label, manifest,
 * readonly, reference, until; "key!=value" negates). All must match. The
 * views matched need IMG_VIEW_CONFIG | IMG_VIEW_CONTAINERS. */
struct img_filters;
int img_filters_parse(struct runtime *rt, char *const *filters, struct img_filters **out,
                      struct berr **err);
bool img_filters_match(const struct img_filters *f, const struct img_view *v);
void img_filters_free(struct img_filters *f);

/* The image records that do not read, {id: why} (a new object): the
 * listings show them as rows of their own; system check --repair moves
 * them aside. */
int img_broken(struct runtime *rt, json_t **out, struct berr **err);

/* "repo@digest" for each name and each digest of the image, as libimage's
 * RepoDigests, sorted: a new JSON array ([] for none), NULL on OOM. */
json_t *img_repo_digests(const struct img *img);

/* ---- image_rm.c: rmi and image prune ----------------------------------- */

/* What a removal did, in order, and what failed on the way. A failure
 * of one image does not stop the others; its code is podman's rmi exit
 * code for it: 1 the image was not known, 2 it is in use by a container,
 * 125 anything else. */
struct img_rm_err {
    struct berr *err;
    int code;
};
struct img_rm_report {
    char **untagged;                /* names untagged */
    char **deleted;                 /* ids deleted */
    struct img_rm_err *errs;
    size_t nerrs;
};
void img_rm_report_free(struct img_rm_report *rep);

enum {
    IMG_RM_FORCE = 1u << 0,         /* remove the containers using it; an id
                                       with several names goes whole; an
                                       unknown reference is no failure */
    IMG_RM_IGNORE = 1u << 1,        /* an unknown reference is no failure */
    IMG_RM_NO_PRUNE = 1u << 2,      /* leave a parent without names in place */
};
/* rmi REF, podman's policy: a name of an image that has other names only
 * untags it; its last name, or its id, removes the image (an id with
 * several names wants IMG_RM_FORCE). Containers using it refuse the
 * removal (code 2) unless IMG_RM_FORCE, which removes them first. Then
 * the image's parent goes if it is left without names, children and
 * containers, and so on up. -1 only when nothing could be tried. */
int img_rm(struct runtime *rt, const char *ref, unsigned flags, struct img_rm_report *rep,
           struct berr **err);
/* rmi --all: every image, newest first (children before parents). */
int img_rm_all(struct runtime *rt, unsigned flags, struct img_rm_report *rep,
               struct berr **err);
/* image prune: the dangling images (with all, every image no container
 * uses) that match the filters, repeated until nothing more goes. Only the
 * deleted ids are reported. external (--external): root file systems no
 * berth container owns do not keep an image, and go with it. -1: the
 * filters or the list failed. */
int img_prune(struct runtime *rt, bool all, bool external, char *const *filters,
              struct img_rm_report *rep, struct berr **err);

/* ---- image_io.c: archives in and out ----------------------------------- */

/* One image that came out of a load. */
struct img_loaded {
    char id[65];
    char **names;                   /* the names it got (may be none) */
};
void img_loaded_free(struct img_loaded *v, size_t n);
/* Loads every image of a docker-archive or oci-archive (told apart by
 * content, maybe compressed) read from fd; a bad archive leaves the store
 * as it was. source names the input in the loadfromarchive events. */
int img_load(struct runtime *rt, int fd, const char *source, struct img_loaded **out,
             size_t *n, struct berr **err);
/* The same from a directory (podman's load -i DIR): an OCI layout
 * (oci-layout) or a docker-dir (manifest.json), as save writes them. */
int img_load_dir(struct runtime *rt, const char *dir, struct img_loaded **out, size_t *n,
                 struct berr **err);

/* Checks a save before anything is opened, in podman's order: the format
 * ("docker-archive", "oci-archive", "oci-dir", "docker-dir"), several
 * images (multi, save -m) only in a docker-archive, a directory (output)
 * for the *-dir formats, no docker-archive over a file that has data. */
int img_save_check(const char *format, size_t n, const char *output, bool multi,
                   struct berr **err);
/* Saves the images refs name in format (img_save_check'ed): to the
 * directory output (the *-dir formats), to the file output (written under
 * a temporary name and renamed over it, so a failure leaves no torso), or
 * with output NULL to out_fd. Each reference's own name of the image is
 * recorded (RepoTags / ref.name); an id records none. Without multi only
 * the first image is saved, the other references (normalized, not looked
 * up) its additional names in a docker-archive, as podman's. A save event
 * per image. */
int img_save(struct runtime *rt, char *const *refs, size_t n, const char *format,
             const char *output, int out_fd, bool multi, struct berr **err);

/* The name an import gets, from the one typed: normalized (localhost/,
 * :latest), refused with a digest. No runtime needed: a command checks
 * it before it touches anything. */
int img_import_name(const char *typed, char **out, struct berr **err);

/* image diff (runtime/image_diff.c): what image ref's top layer changed
 * against the layers under it, or (other) what its tree has against
 * image other's; sorted by path, kinds 'A', 'C', 'D' (container.h). */
struct ctr_change;
int img_diff(struct runtime *rt, const char *ref, const char *other, struct ctr_change **out,
             size_t *n, struct berr **err);
/* Imports a root file system tarball read from fd as a one-layer image;
 * with a name, a tag event. */
struct img_import_opts {
    json_t *config;                 /* the OCI config's "config" (borrowed), NULL: {} */
    const char *comment;            /* history comment; NULL: "imported from tarball" */
    const char *name;               /* img_import_name()'s, or NULL: no name */
    const char *name_typed;         /* as typed, for the event */
    const char *arch, *os, *variant;    /* NULL or "": the host's (no variant) */
};
int img_import(struct runtime *rt, int fd, const struct img_import_opts *o, char id[65],
               struct berr **err);

/* ---- image_mount.c: image mount / unmount ------------------------------ */

/* Mounts the image ref names read-only (counted: each mount wants one
 * unmount); its id in id, the mountpoint malloc'd. A mount event. */
int img_mount(struct runtime *rt, const char *ref, char id[65], char **mountpoint,
              struct berr **err);
/* Drops one mount (force: every one). *unmounted: it really went (and an
 * unmount event was written). */
int img_unmount(struct runtime *rt, const char *ref, bool force, char id[65], bool *unmounted,
                struct berr **err);
/* The mounted images, in store order. */
struct img_mounted {
    struct img *img;
    char *mountpoint;
};
int img_mounted_list(struct runtime *rt, struct img_mounted **out, size_t *n,
                     struct berr **err);
void img_mounted_free(struct img_mounted *v, size_t n);

/* ---- image_inspect.c: the inspect object and history ------------------- */

/* podman's inspect object of an image (libimage ImageData, in Go's field
 * order), from its view (img_views_load, any `what`: the config is read
 * here when the view has none). go_times: Created as Go's time.String()
 * and Labels {} for none (what a template sees) instead of RFC 3339 and
 * null (what JSON shows). */
int img_inspect(struct runtime *rt, const struct img_view *v, bool go_times, json_t **out,
                struct berr **err);

/* The history of an image, newest entry first. As libimage does, an
 * entry gets the id of the first image (store order) whose top layer is
 * the layer the entry made, each id used once, the image's own id on the
 * newest entry, "<missing>" otherwise; an empty_layer entry has size 0 and
 * does not step down the layer chain. Strings borrowed from the history. */
struct img_history_row {
    const char *id;                 /* full id or "<missing>" */
    const char *created;            /* RFC 3339 as recorded, or "" */
    const char *created_by, *comment;   /* "" when none */
    int64_t size;                   /* bytes of the layer it made */
};
struct img_history {
    char id[65];                    /* the image's */
    struct img_history_row *rows;
    size_t n;
    json_t *config;                 /* owns the strings */
    char **ids;                     /* owns the ids */
};
/* image tree (runtime/image_tree.c): libimage's Tree text of the image,
 * its layers base first, or with whatrequires the layers built on its
 * top layer. */
int img_tree(struct runtime *rt, const char *ref, bool whatrequires, char **out,
             struct berr **err);

int img_history_load(struct runtime *rt, const char *ref, struct img_history *out,
                     struct berr **err);
void img_history_free(struct img_history *h);

#endif
