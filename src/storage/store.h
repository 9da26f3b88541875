/*
 * storage/store.h: the image store (DESIGN.md "Images and storage").
 *
 * On disk, under the graph root:
 *
 *   storage.lock          the storage lock: shared for reads, exclusive
 *                         while images, layers or container rootfs change
 *   storage.json          {"driver": "overlay"|"vfs"}, recorded at first use
 *   blobs/sha256/<hex>    content-addressed blobs: manifests, configs and the
 *                         ORIGINAL (compressed) layer blobs, so save/push
 *                         reproduce the digests an image came with
 *   images/<id>.json      one record per image (id = config digest hex):
 *                         names, digests, manifest, config, layer chain,
 *                         created, size, loaded
 *   images/names.json     names index {"localhost/x:latest": "<id>", ...},
 *                         derived from the records (see store.c)
 *   layers/<chain>/       one dir per layer, keyed by chain id: layer.json and
 *                         diff/ (overlay: the layer's own changes with overlay
 *                         whiteouts; vfs: the full tree up to this layer)
 *   l/<short>             overlay only: short symlinks to layers/<chain>/diff,
 *                         so a mount option string with many lowerdirs stays
 *                         under a page
 *   containers/<id>/      container root filesystems: rootfs.json, diff/
 *                         (overlay upper or vfs copy), work/, merged/
 *   tmp/                  staging; anything here is a leftover of a crash and
 *                         is removed by the next writer
 *
 * and under the run root (per boot): containers/<id>/mounts and
 * images/<id>/mounts, the mount counts.
 *
 * Crash safety: every new layer, record and rootfs is built under tmp/ or a
 * dot name and renamed into place; an image record is written only after all
 * its blobs and layers exist, so no partial image is ever visible. A writer
 * removes the leftovers under the exclusive lock.
 *
 * Locking: every function below takes the storage lock itself (shared or
 * exclusive) for its duration; none may be called while the caller already
 * holds it. Lock order (DESIGN.md): pod, container, then storage.
 */
#ifndef BERTH_STORE_H
#define BERTH_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"

struct store;

struct store_opts {
    const char *graph_root;
    const char *run_root;
    const char *driver;             /* "overlay", "vfs", or NULL/"" = the one
                                       recorded, else overlay if the kernel
                                       mounts it on the graph root, else vfs */
    char *const *driver_opts;       /* "overlay.mount_program=..." (ignored) */
};

/* Creates the directories if needed. A driver that differs from the one
 * recorded in storage.json is refused (naming both). */
int store_open(const struct store_opts *o, struct store **out, struct berr **err);
void store_close(struct store *s);
const char *store_driver(const struct store *s);      /* "overlay" or "vfs" */
const char *store_graph_root(const struct store *s);
/* Does the kernel mount overlay on this directory? (no error: false) */
bool store_overlay_supported(const char *dir);
/* What `info` shows of the driver (store.graphStatus), as containers/
 * storage reports it: overlay's "Backing Filesystem", "Native Overlay
 * Diff", "Supports d_type" and "Using metacopy"; nothing for vfs. */
int store_driver_status(struct store *s, json_t **out, struct berr **err);

/* ---- images ------------------------------------------------------------ */

/* One image, as the record says. All strings owned by the struct. */
struct store_image {
    char id[65];                    /* config digest hex */
    char *digest;                   /* "sha256:..." of the manifest */
    char **names;                   /* "localhost/busybox:latest", ... */
    char **digests;                 /* every manifest digest known */
    char *manifest_type;            /* media type of the manifest */
    char *created;                  /* config "created", RFC 3339, or NULL */
    int64_t created_unix;           /* seconds; 0 when unknown */
    int64_t loaded_unix;            /* when it entered the store */
    int64_t size;                   /* unpacked size of all layers, bytes */
    char *top_layer;                /* chain id hex of the top layer, NULL if none */
    size_t nlayers;
    json_t *record;                 /* the whole record (owned) */
};
void store_image_free(struct store_image *img);
void store_images_free(struct store_image **v, size_t n);
static inline void store_image_freep(struct store_image **p) { store_image_free(*p); }
#define _cleanup_image_ __attribute__((cleanup(store_image_freep)))

/* Every image, oldest first (by load time, then id). */
int store_images(struct store *s, struct store_image ***out, size_t *n, struct berr **err);

/* Finds an image by full id, "sha256:<id>", unique id prefix, full name,
 * name@digest, or short name. A short name ("busybox", "tools/box:1")
 * matches every local name ending in it at a component boundary
 * (localhost/busybox, docker.io/library/busybox); more than one image is
 * an error listing the candidates. Unknown: BK_NO_SUCH,
 * "<ref>: image not known". */
int store_image_lookup(struct store *s, const char *ref, struct store_image **out,
                       struct berr **err);
bool store_image_exists(struct store *s, const char *ref);

/* The image's OCI/docker config (the whole JSON blob), a new reference. */
int store_image_config_json(struct store *s, const struct store_image *img, json_t **out,
                            struct berr **err);
/* The manifest as stored, a new reference. */
int store_image_manifest_json(struct store *s, const struct store_image *img, json_t **out,
                              struct berr **err);

/* The image's layers, base first, as layer.json records them. */
struct store_layer_info {
    char chain[65];                 /* chain id hex: the layer's store key */
    char diff_id[72];               /* "sha256:..." of the uncompressed tar */
    char blob[72];                  /* "sha256:..." of the stored (original) blob */
    int64_t diff_size;              /* bytes of the uncompressed tar */
};
int store_image_layers(struct store *s, const struct store_image *img,
                       struct store_layer_info **out, size_t *n, struct berr **err);
/* system check (storage/check.c): the images whose layers are damaged,
 * {id: "what is wrong"}: a layer record or directory missing, or (unless
 * quick) a stored layer blob missing or not hashing to its digest, or
 * files changed in a layer that has no blob to unpack again. *changed
 * (unless quick): the layers whose unpacked files differ from their
 * manifest while their blob is intact, {chain: {"Problem": "...",
 * "Images": [id, ...]}}: store_layer_reunpack repairs those. */
int store_check_images(struct store *s, bool quick, json_t **damaged, json_t **changed,
                       struct berr **err);
/* Unpacks a layer's (intact) blob again in place of its changed files. */
int store_layer_reunpack(struct store *s, const char *chain, struct berr **err);
/* The image records that do not read, {id: why}: `images` lists them,
 * system check quarantines them. */
int store_images_broken(struct store *s, json_t **out, struct berr **err);
/* system check (podman 5.2's --max): the layers no image record or
 * container rootfs uses whose directory is max_age_sec old or older (a
 * younger one may be a writer's still); *out a NULL-ended list, maybe
 * NULL. store_unused_layer_remove removes one under the exclusive lock
 * unless something uses it by then. */
int store_unused_layers(struct store *s, long long max_age_sec, char ***out, struct berr **err);
int store_unused_layer_remove(struct store *s, const char *chain, struct berr **err);
/* Moves images/<id>.json to <graph root>/quarantine/images-<id>-<unix
 * time>/ with a WHY note, and rebuilds the names index. The layers only
 * it used are left to the next removal's garbage collection. */
int store_image_quarantine(struct store *s, const char *id, const char *why, struct berr **err);

/* podman's GraphDriver object for the image: {"Name": driver, "Data":
 * {LowerDir, UpperDir, WorkDir}} for overlay (Data null for vfs). */
json_t *store_image_graph_driver(struct store *s, const struct store_image *img);
/* The overlay lowerdir list of the image's layer dirs, top first, joined
 * by ':' ("" for none); top: with the image's own top layer (a
 * container's view). NULL when out of memory. */
char *store_image_lowerdir(struct store *s, const struct store_image *img, bool top);

/* The parts of an image config a container needs. Missing fields are
 * NULL (or 0 entries); arrays are NULL-terminated. */
struct store_image_cfg {
    char **entrypoint;
    char **cmd;
    char **env;                     /* "K=V" */
    char *working_dir;
    char *user;
    char *stop_signal;              /* "SIGTERM", "15", or NULL */
    char **exposed_ports;           /* "8080/tcp" */
    char **volumes;                 /* "/data" */
    json_t *labels;                 /* object (owned), never NULL */
    char *architecture, *os;
    json_t *healthcheck;            /* config's Healthcheck {Test, Interval, ...}
                                       (docker format), NULL none */
};
int store_image_cfg(struct store *s, const struct store_image *img,
                    struct store_image_cfg *out, struct berr **err);
void store_image_cfg_free(struct store_image_cfg *c);

/* Adds a normalized name (the caller normalizes, e.g. with
 * ref_normalize_str(..., "localhost", ...)). The name moves from any other
 * image that had it. Tagging a name it already has is a no-op; a name
 * with a digest is refused ("NAME: tag by digest not supported"). */
int store_image_tag(struct store *s, const char *id, const char *name, struct berr **err);
/* Removes one name, or every name when name is NULL. A name the image
 * does not have: BK_NO_SUCH, "<name>: tag not known". */
int store_image_untag(struct store *s, const char *id, const char *name, struct berr **err);

/* Which storage containers (rootfs) are made from the image. */
int store_image_containers(struct store *s, const char *id, char ***ctr_ids,
                           struct berr **err);
/* The image of every container rootfs in one pass ("" for none), sorted:
 * how many containers each image has, without a pass per image. */
int store_ctr_images(struct store *s, char ***image_ids, struct berr **err);
/* Deletes the image record and every layer no other image or container
 * uses. Refuses (BK_STATE) while a container rootfs uses the image: the
 * runtime removes those containers first (rmi -f). The image must not be
 * mounted (image mount) unless force. */
int store_image_remove(struct store *s, const char *id, bool force, struct berr **err);

/* Image mount (read-only view of the layers): mount counted per image. */
int store_image_mount(struct store *s, const char *id, char **mountpoint, struct berr **err);
int store_image_unmount(struct store *s, const char *id, bool force, bool *unmounted,
                        struct berr **err);
/* The mountpoint of a mounted image, or NULL when not mounted. */
int store_image_mounted(struct store *s, const char *id, char **mountpoint,
                        struct berr **err);

/* ---- archives (storage/load.c, storage/save.c, storage/import.c) ------- */

enum store_archive_fmt {
    SAF_DOCKER_ARCHIVE,             /* docker save's tar */
    SAF_OCI_ARCHIVE,                /* OCI image layout, as a tar */
    SAF_OCI_DIR,                    /* OCI image layout, a directory */
    SAF_DOCKER_DIR,                 /* docker "dir:" layout (manifest + blobs) */
};
/* Parses "docker-archive", "oci-archive", "oci-dir", "docker-dir". */
int store_archive_fmt_parse(const char *s, enum store_archive_fmt *out, struct berr **err);

/* One image that came out of a load. */
struct store_loaded {
    char id[65];
    char **names;                   /* names it got (may be none) */
};
void store_loaded_free(struct store_loaded *v, size_t n);

/* Loads every image of a docker-archive or oci-archive (detected by
 * content; the outer tar may be compressed) read from fd. Every blob is
 * verified against its digest; layers are unpacked once. A failure leaves
 * the store as it was. */
int store_load(struct store *s, int fd, struct store_loaded **out, size_t *n,
               struct berr **err);

/* Loads the images of a directory as store_load does an archive's:
 * SAF_OCI_DIR, an OCI image layout (with ref: only the index entries
 * whose ref.name annotation is ref), or SAF_DOCKER_DIR, the "dir:"
 * layout (manifest.json, blobs named by hex digest). */
int store_load_dir(struct store *s, const char *dir, enum store_archive_fmt fmt,
                   const char *ref, struct store_loaded **out, size_t *n, struct berr **err);

/* Saves images to path (an archive file, "-" for stdout... the caller opens
 * it: out_fd for the archive formats; dir for the *-dir formats). refs are
 * the names the user gave (kept as RepoTags / ref.name); ids the images.
 * More than one image is allowed for docker-archive (multi-image) and
 * oci-archive/oci-dir (one index entry each). */
struct store_save_item {
    const char *id;
    const char *name;               /* normalized name to record, or NULL */
    char *const *more_names;        /* docker-archive: names recorded before
                                       name (save without -m), or NULL */
};
int store_save(struct store *s, const struct store_save_item *items, size_t n,
               enum store_archive_fmt fmt, int out_fd, const char *dir, struct berr **err);

/* Imports a root file system tarball (any compression libarchive reads)
 * as a one-layer image. The layer is stored uncompressed, as podman does,
 * so its blob digest is its diff id. A failure leaves the store as it was. */
struct store_import_opts {
    json_t *config;                 /* the OCI config's "config" object
                                       (borrowed), NULL: {} */
    const char *comment;            /* history comment (--message); NULL:
                                       "imported from tarball" */
    const char *name;               /* normalized, or NULL: no name */
    const char *arch, *os, *variant;    /* NULL: the host's (no variant) */
};
int store_import(struct store *s, int fd, const struct store_import_opts *o,
                 char out_id[65], struct berr **err);

/* Commits a new layer on top of image parent (NULL: none) as a new image
 * (storage/commit.c). write() fills fd (a staging file) with the layer's
 * tar, uncompressed; it runs with no storage lock held. The config gets
 * the parent's architecture, os, history and diff ids (squash: only the
 * new layer and its history entry) and config as the "config" object. */
struct store_commit_opts {
    const char *parent;             /* image id, or NULL */
    json_t *config;                 /* the "config" object (borrowed) */
    const char *author;             /* "author" and the history's, or NULL */
    const char *comment;            /* docker format: "comment" (--message) */
    const char *created_by;         /* history; NULL: "/bin/sh" */
    const char *history_comment;    /* history "comment" ("FROM image"), or NULL */
    const char *name;               /* normalized, or NULL: no name */
    bool docker;                    /* docker v2s2 manifest and media types */
    bool squash;                    /* the tar is the whole tree: one layer */
    int (*write)(void *arg, int fd, struct berr **err);
    void *arg;
};
int store_commit(struct store *s, const struct store_commit_opts *o, char out_id[65],
                 struct berr **err);

/* ---- container root file systems ------------------------------------- */
/*
 * The containers work's API. A container rootfs is made from an image's
 * top layer: overlay gets an empty upper (diff/) and work dir and mounts
 * the image layers as lowerdirs on merged/; vfs copies the image's tree
 * into diff/, which is used directly (no mount).
 *
 * Mounts are counted in the run root, so two users (start and
 * `berth mount`, say) never unmount each other: every successful
 * store_ctr_mount() wants one store_ctr_unmount(). The count resets when
 * the mount is gone (a reboot or someone's umount).
 */
struct store_rootfs {
    char *dir;                      /* containers/<id>: per-container dir */
    char *mountpoint;               /* where the rootfs appears when mounted */
    char *upper;                    /* overlay upper (diff/), vfs tree */
};
void store_rootfs_free(struct store_rootfs *r);

/* Does ctr_id have a root file system? It is renamed into place whole, so
 * one that exists was made to the end (a stat, no lock: only the
 * container's own remover deletes it, under the container's lock). */
bool store_ctr_exists(struct store *s, const char *ctr_id);
/* The same for the store at graph_root, without opening it (which takes
 * the storage lock a moment): for readers that must not wait. */
bool store_ctr_exists_at(const char *graph_root, const char *ctr_id);
/* Creates the rootfs of container ctr_id (64 hex) from image_id (full id;
 * NULL or "" for an empty rootfs, as --rootfs-less scratch). Fails with
 * BK_EXISTS when ctr_id already has one. Nothing is mounted yet.
 * is_volatile (for --rm containers, as containers/storage does): the
 * overlay is mounted with "volatile", so nothing of the upper dir is ever
 * synced to disk (not even at unmount); after a crash its content is
 * undefined, which a container removed on exit never reads. */
int store_ctr_create(struct store *s, const char *image_id, const char *ctr_id,
                     bool is_volatile, struct store_rootfs *out, struct berr **err);
/* Mounts (or counts one more user of) the rootfs; *mountpoint malloc'd. */
/* store_ctr_create for a container in a user namespace: uidmap and
 * gidmap are arrays of "CONTAINER:HOST:SIZE" (podman's form), recorded
 * with the root file system when it is made (one durable write). Its
 * mounts show the image's files with the mapped ids (idmapped layers with
 * overlay; vfs: the copy's owners shifted before it is in place). NULL or
 * empty uidmap: store_ctr_create. */
int store_ctr_create_mapped(struct store *s, const char *image_id, const char *ctr_id,
                            bool is_volatile, json_t *uidmap, json_t *gidmap,
                            struct store_rootfs *out, struct berr **err);
/* The same from an image record the caller has read (store_image_lookup):
 * its layers are taken from it, and under the lock only the record's
 * existence is checked, not read again (create: one read of the record). */
int store_ctr_create_from(struct store *s, const struct store_image *img, const char *ctr_id,
                          bool is_volatile, json_t *uidmap, json_t *gidmap,
                          struct store_rootfs *out, struct berr **err);
/* The rootfs record (rootfs.json) and its directory are written without
 * fsync (one journal commit less per create): after a power loss either
 * may be missing, empty or torn. Makes sure ctr_id's root file system and
 * its record are whole again from what the container's own record says
 * (the arguments of store_ctr_create_mapped): a missing one is made, a
 * record that does not read (or names another container) is written anew
 * and synced, keeping diff/ (the container's changes). *repaired: whether
 * anything was done. Fails (the image gone) with what is wrong. */
int store_ctr_repair(struct store *s, const char *image_id, const char *ctr_id,
                     bool is_volatile, json_t *uidmap, json_t *gidmap, bool *repaired,
                     struct berr **err);
int store_ctr_mount(struct store *s, const char *ctr_id, char **mountpoint,
                    struct berr **err);
/* Drops one user; unmounts at zero, or at once when force. */
int store_ctr_unmount(struct store *s, const char *ctr_id, bool force, struct berr **err);
/* The mountpoint when mounted (count > 0 and really mounted), else NULL. */
int store_ctr_mounted(struct store *s, const char *ctr_id, char **mountpoint,
                      struct berr **err);
/* How many users the rootfs mount has (0: not mounted). */
int store_ctr_mount_count(struct store *s, const char *ctr_id, int *count, struct berr **err);
/* Unmounts (force) and deletes the rootfs; unknown ids succeed. */
int store_ctr_delete(struct store *s, const char *ctr_id, struct berr **err);
/* The same, but the rootfs is only moved under tmp/ (gone from the store
 * at once, unmounted): the caller removes *held (NULL: there was none)
 * while it keeps *lockfd open, or leaves it to the next writer's cleanup
 * of leftovers. */
int store_ctr_delete_held(struct store *s, const char *ctr_id, char **held, int *lockfd,
                          struct berr **err);
/* Every container rootfs id, sorted. */
int store_ctr_list(struct store *s, char ***ids, struct berr **err);
/* What a rootfs's record says: the image it was made from (*image
 * malloc'd, "" none) and when (unix seconds). BK_NO_SUCH if none. */
int store_ctr_info(struct store *s, const char *id, char **image, long long *created,
                   struct berr **err);
/* Bytes used by the container's own changes (upper dir / vfs copy),
 * cached while the rootfs is not mounted (containers.c). */
int store_ctr_size(struct store *s, const char *ctr_id, int64_t *size, struct berr **err);
/* The same for many containers under one lock, with the size of each
 * one's image (image_id a full id, "" or NULL none; 0 when not found),
 * each image read once: ps -s and system df. */
struct store_size_req {
    const char *ctr_id, *image_id;
    int64_t *rw, *image;
};
int store_ctr_sizes(struct store *s, const struct store_size_req *v, size_t n,
                    struct berr **err);

/*
 * Trees of files, for the runtime's volumes (copy-up, size). The store
 * copies and measures layer trees the same way.
 */
/* Copies the tree under directory sfd into directory dfd: directories,
 * files, hard links, symlinks, devices; owners, modes, times, xattrs.
 * dpath names dfd in errors. */
int store_copy_tree_at(int sfd, int dfd, const char *dpath, struct berr **err);
/* Bytes of the files and symlinks under path (0 when unreadable). */
int64_t store_dir_usage(const char *path);
/* Bytes used by the chowned copies of an image per id mapping, kept where
 * idmapped mounts do not work (storage/idmap_copy.c); 0 none. */
int64_t store_img_mapped_usage(struct store *s, const char *top_layer);
/* The tree under dir as a tar stream on out_fd (entries relative to
 * dir; owners, modes, times, links, devices). */
int store_tar_tree(const char *dir, int out_fd, struct berr **err);
/* Unpacks the tar at tar_path (any compression; "/dev/stdin" reads
 * stdin) into dir, never writing outside it. */
int store_untar_tree(const char *tar_path, const char *dir, struct berr **err);

/* ---- trees to and from tar streams (storage/copier.c): cp, export ---- *
 *
 * Neither side ever follows a symlink of the tree it walks or makes: a
 * tree is walked through fds (openat with O_NOFOLLOW), symlinks are
 * written as symlinks; a stream is unpacked with every name resolved
 * inside the target directory (unpack.c), so a hostile stream or tree
 * cannot reach outside it. */
enum copy_owner {
    COPY_OWNER_ARCHIVE,             /* the owners the archive says */
    COPY_OWNER_FIXED,               /* uid:gid for every entry */
    COPY_OWNER_CREATOR,             /* ours: no chown at all */
};
struct copy_put_opts {
    enum copy_owner owner;
    uid_t uid;                      /* COPY_OWNER_FIXED */
    gid_t gid;
    bool overwrite;                 /* a directory and a non-directory may
                                       replace each other; else "creating X:
                                       file exists" */
};
/* Unpacks the tar stream on fd into the directory dirfd. */
int store_copy_put(int fd, int dirfd, const struct copy_put_opts *o, struct berr **err);

/* What a tree changed against another (storage/treediff.c): each path
 * ("/etc/passwd") with 'A' added, 'C' changed or 'D' deleted, sorted by
 * path. lowerfd: the image's tree, -1 for none (all added); upperfd: the
 * container's (the mounted rootfs). Pure file system work: no lock. */
struct store_change {
    char *path;
    char kind;
};
int store_tree_changes(int lowerfd, int upperfd, struct store_change **out, size_t *n,
                       struct berr **err);
void store_changes_free(struct store_change *v, size_t n);
/* What image id's top layer changed against the layers under it (other
 * NULL; a one-layer image: all added), or image id's tree against image
 * other's (storage/image_diff.c). Full ids. */
int store_image_changes(struct store *s, const char *id, const char *other,
                        struct store_change **out, size_t *n, struct berr **err);

struct tar_writer;
/* A tar (pax) written on fd; tarw_close() ends it (and frees w). */
int tarw_open(int fd, struct tar_writer **out, struct berr **err);
/* Adds the file or tree open at fd (any kind of fd, O_PATH included; it
 * is not followed if it is a symlink) as name; a directory's entries come
 * after it as name/child... With name "" the directory's entries are
 * added as if at the top (a tree's "contents"). Hard links within what
 * one writer wrote are written as links. */
int tarw_add(struct tar_writer *w, int fd, const char *name, struct berr **err);
/* Adds the one entry path (relative) of the tree open at rootfd as name,
 * a directory without its entries. */
int tarw_add_one(struct tar_writer *w, int rootfd, const char *path, const char *name,
                 struct berr **err);
/* Adds an empty whiteout file name (".wh.X" in a layer deletes X). */
int tarw_add_whiteout(struct tar_writer *w, const char *name, struct berr **err);
int tarw_close(struct tar_writer *w, struct berr **err);

#endif
