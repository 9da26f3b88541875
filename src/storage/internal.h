/*
 * storage/internal.h: what the files of src/storage share and nobody
 * else sees: the store struct, the lock guard, blobs, layers, unpacking,
 * the driver and the image records.
 */
#ifndef BERTH_STORAGE_INTERNAL_H
#define BERTH_STORAGE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "storage/store.h"
#include "util/err.h"
#include "util/flock.h"

#define STORE_VERSION 1

struct store {
    char *graph, *run;
    char *driver;
    struct lock lk;
    int depth;              /* nesting of st_lock() within one call chain */
    bool excl;
    bool cleaned;           /* leftovers removed by this process */
};

/* ---- store.c: locking, paths, leftovers ---- */
int st_lock(struct store *s, bool exclusive, struct berr **err);
void st_unlock(struct store *s);
static inline void st_unlockp(struct store **s) { if (*s) st_unlock(*s); }
/* _cleanup_stlock_ struct store *held = NULL; st_lock(s,..) then held = s */
#define _cleanup_stlock_ __attribute__((cleanup(st_unlockp)))
char *st_path(const struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *st_run_path(const struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A fresh staging dir under tmp/ (malloc'd path). */
int st_mktemp(struct store *s, const char *what, char **out, struct berr **err);
/* Same, for work done without the storage lock (reading an archive from a
 * pipe): *lockfd holds a flock on the dir, and the leftover cleanup of
 * other writers leaves it alone until the fd is closed or the process
 * dies. */
int st_mktemp_held(struct store *s, const char *what, char **out, int *lockfd,
                   struct berr **err);
/* A writer storing blobs or layers before the record that names them sets
 * images/.gc first and clears it after the record; when it is killed in
 * between, the next exclusive locker collects what no record uses. */
int st_gc_mark(struct store *s, bool set, struct berr **err);
/* Moves path under tmp/ (renamed to tmp/del-XXXXXX) and removes it, so a
 * crash half-way never leaves a half-deleted object at its real name. */
int st_remove_tree(struct store *s, const char *path, struct berr **err);
/* Only moves path under tmp/, as a staging dir held as st_mktemp_held's
 * (*held its new path, *lockfd); *held NULL when path did not exist. The
 * caller removes it; a process killed before that leaves an unlocked
 * leftover that the next writer's cleanup removes. */
int st_remove_tree_held(struct store *s, const char *path, char **held, int *lockfd,
                        struct berr **err);
/* Now in RFC 3339 with nanoseconds, UTC, as Go's time.Time marshals
 * (image configs' "created"; storage/import.c). */
void st_now_rfc3339(char out[40]);

/* ---- blobs.c ---- */
typedef struct evp_md_ctx_st EVP_MD_CTX;
struct sha256 { EVP_MD_CTX *ctx; };
int sha256_init(struct sha256 *h, struct berr **err);
void sha256_update(struct sha256 *h, const void *buf, size_t len);
void sha256_final(struct sha256 *h, char hex[65]);     /* frees the ctx */
void sha256_free(struct sha256 *h);
int sha256_buf(const void *buf, size_t len, char hex[65], struct berr **err);
/* "sha256:<64 hex>"? */
bool digest_valid(const char *d);
/* Hashes a whole file. */
int blob_hash_file(const char *path, char hex[65], int64_t *size, struct berr **err);
/* Hashes the decompressed stream of a (gzip/zstd/xz/plain) blob. */
int blob_diff_digest(const char *path, char hex[65], int64_t *size, struct berr **err);
char *blob_path(const struct store *s, const char *digest);
bool blob_exists(const struct store *s, const char *digest);
/* Moves file src into the blob store after checking its digest (want may
 * be NULL: digest computed). *got gets "sha256:<hex>" when non-NULL. */
int blob_put_file(struct store *s, const char *src, const char *want, char got[72],
                  struct berr **err);
/* Moves the file src, whose sha256 is hex, into the blob store (0644). */
int blob_put_staged(struct store *s, const char *src, const char *hex, struct berr **err);
int blob_put_buf(struct store *s, const void *buf, size_t len, char got[72],
                 struct berr **err);
int blob_read(const struct store *s, const char *digest, char **buf, size_t *len,
              struct berr **err);
int blob_read_json(const struct store *s, const char *digest, json_t **out,
                   struct berr **err);
/* "gzip", "zstd" or "" (plain) from the magic bytes. */
const char *blob_compression(const char *path);

/* ---- unpack.c ---- */
enum unpack_mode {
    UNPACK_OVERLAY,     /* whiteouts become overlay whiteouts */
    UNPACK_VFS,         /* whiteouts delete from the tree (applied first) */
    UNPACK_PLAIN,       /* no whiteout handling (archive staging) */
    UNPACK_TREE,        /* no whiteout handling, owners kept (volume import) */
    UNPACK_COPY,        /* cp: no whiteouts; owners and type changes as
                           struct copy_put_opts says (store.h) */
};
/* Unpacks the tar at path (any compression) into dir; nothing is ever
 * written outside dir. */
int unpack_tar(const char *path, const char *dir, enum unpack_mode mode, struct berr **err);
/* Unpacks the tar stream on fd into the directory dirfd (UNPACK_COPY). */
struct copy_put_opts;
int unpack_copy(int fd, int dirfd, const struct copy_put_opts *o, struct berr **err);
/* A stream to unpack: read() points *buf at the next bytes and returns
 * their count, 0 at the end, -1 on failure (the source keeps its error). */
struct unpack_src {
    ssize_t (*read)(void *ctx, const void **buf);
    void *ctx;
    const char *name;           /* for messages */
};
/* Unpacks the tar (any compression) read from src into dir as it
 * arrives (UNPACK_OVERLAY or UNPACK_PLAIN: vfs needs two passes), and
 * hashes its uncompressed bytes: diff_hex, diff_size. */
int unpack_tar_stream(const struct unpack_src *src, const char *dir, enum unpack_mode mode,
                      char diff_hex[65], int64_t *diff_size, struct berr **err);
/* Opens path inside root (never escaping it), like openat2 RESOLVE_IN_ROOT. */
int unpack_open_in_root(int rootfd, const char *path, int flags, struct berr **err);

/* ---- layers.c ---- */
struct layer_in {
    const char *diff_id;        /* "sha256:..." of the uncompressed tar */
    const char *blob;           /* digest of the stored blob */
    const char *media_type;
    int64_t diff_size;          /* bytes of the uncompressed tar */
};
void chain_id_next(const char *parent_chain, const char *diff_id, char out[65]);
/* Makes sure layer chain (with parent) exists, unpacking its blob. */
int layer_ensure(struct store *s, const char *parent, const struct layer_in *in,
                 char chain[65], struct berr **err);
/* Installs a layer built in the staging dir tmp (its diff/ complete) as
 * layers/<chain>: layer.json, then one rename (a twin installed meanwhile
 * wins, same content), then the overlay short link. Exclusive lock held. */
int layer_install(struct store *s, const char *tmp, const char *parent,
                  const struct layer_in *in, const char chain[65], struct berr **err);
int layer_read(const struct store *s, const char *chain, json_t **out, struct berr **err);
/* Unpacks layer chain's blob again and puts it in place of the old tree,
 * keeping its layer.json (and so its short link). */
int layer_reunpack(struct store *s, const char *chain, struct berr **err);
int layer_remove(struct store *s, const char *chain, struct berr **err);
/* ---- manifest.c: what a layer's unpacked files were ---- */
/* Writes layer_dir/manifest.json from layer_dir/diff. */
int layer_manifest_write(const char *layer_dir, struct berr **err);
/* *problem: the files of the layer that differ from its manifest (NULL:
 * none). A layer without a manifest gets one made from its tree now. */
int layer_manifest_verify(const struct store *s, const char *chain, char **problem,
                          struct berr **err);
/* Absolute path of a layer's diff dir. */
char *layer_diff(const struct store *s, const char *chain);
/* The mode a new diff directory above layer `chain` gets: that layer's
 * diff's, or 0555 with none (c/storage's overlay defaultPerms), so a
 * container's root directory has its image's mode, as podman's does. */
mode_t layer_diff_mode(const struct store *s, const char *chain);
/* Overlay short link name l/<short> (recreated if missing); malloc'd "l/X". */
int layer_link(struct store *s, const char *chain, char **out, struct berr **err);
/* The chain ids from the top layer down to the base (NULL-terminated). */
int layer_chain(const struct store *s, const char *top, char ***out, struct berr **err);
/* Copies a tree (vfs): dirs, files, links, devices, owners, modes, xattrs. */
int copy_tree(const char *src, const char *dst, struct berr **err);

/* ---- drivers.c ---- */
/* Mounts the overlay of layers (top first; chains NULL or empty: the one
 * directory empty_lower) with upper/work (NULL: read-only). is_volatile
 * adds "volatile" where the kernel has it (5.10+). */
int drv_overlay_mount(struct store *s, char **chains, const char *empty_lower,
                      const char *upper, const char *work, bool is_volatile,
                      const char *target, struct berr **err);
/* The same with the lower dirs given (relative to the graph root or
 * absolute), top first; the idmapped mounts of storage/idmap.c. */
int drv_overlay_mount_dirs(struct store *s, char **lowers, const char *empty_lower,
                           const char *upper, const char *work, bool is_volatile,
                           const char *target, struct berr **err);
/* ---- idmap.c ---- */
/* idmap.c, for store_ctr_create_mapped: the container's staged root file
 * system at dir (diff, work) and its record rec go to the mapping (rec
 * gains uidmap and gidmap; overlay: diff and work owned by the mapped
 * root; vfs: the copy's owners shifted); dir (its mode goes with it into
 * place) and the dirs above containers/ let the mapped root through. */
int st_ctr_idmap_stage(struct store *s, const char *dir, json_t *rec, json_t *uidmap,
                       json_t *gidmap, struct berr **err);
/* The rootfs record (rootfs.json) has an id mapping (store_ctr_create_mapped). */
bool st_ctr_idmapped(json_t *rootfs_rec);
/* drv_overlay_mount() of a container whose record r has an id mapping:
 * the layers of chain become idmapped lower dirs. */
int st_ctr_mount_idmapped(struct store *s, const char *ctr_id, json_t *r, char **chain,
                          const char *empty, const char *upper, const char *work,
                          const char *target, struct berr **err);
/* Every file under dir lchowned from the ids of the image to the host
 * ids of rec's "uidmap"/"gidmap" (set-id bits kept). */
int st_idmap_shift_tree(const char *dir, json_t *rec, struct berr **err);

/* ---- idmap_copy.c ---- */
/* Mounts the overlay of a container with an id mapping: idmapped lower
 * layers where the kernel can, else the image's chowned copy for this
 * mapping (made once, kept under mapped/<top>/<key>/) as its lower dir. */
int st_ctr_mount_mapped(struct store *s, const char *ctr_id, json_t *r, char **chain,
                        const char *empty, const char *upper, const char *work,
                        const char *target, struct berr **err);
/* Removes the chowned copies made of layer chain (layer_remove). */
int st_mapped_copies_remove(struct store *s, const char *chain, struct berr **err);

bool drv_is_mountpoint(const char *path);
/* Unmounts path (lazily) until it is no mountpoint; none is fine. */
int drv_unmount(const char *path, struct berr **err);
/* Mount count files in the run root: get is -1 (and *n 0) when there
 * is none; set 0 removes the file. */
int mount_count_get(const char *file, int *n);
int mount_count_set(const char *file, int n, struct berr **err);

/* ---- images.c ---- */
/* Writes or replaces an image record (names moved away from other
 * images first). Lock held exclusively by the caller. */
int st_img_record_commit(struct store *s, json_t *rec, struct berr **err);
int st_img_record_read(const struct store *s, const char *id, json_t **out, struct berr **err);
int st_img_ids(const struct store *s, char ***out, struct berr **err);
int st_img_from_record(json_t *rec, struct store_image **out, struct berr **err);
/* Locked variants for callers holding the lock. */
int st_img_list_locked(struct store *s, struct store_image ***out, size_t *n, struct berr **err);
/* The same, and how many records did not read (their layers are unknown). */
int st_img_list_counted(struct store *s, struct store_image ***out, size_t *n,
                        size_t *unreadable, struct berr **err);
int st_img_lookup_locked(struct store *s, const char *ref, struct store_image **out,
                      struct berr **err);
/* Rebuilds images/names.json from the records. */
int st_img_names_rebuild(struct store *s, struct berr **err);

/* ---- image_gc.c ---- */
/* Removes the layers and blobs no image or container references; a
 * keep-list it cannot build whole deletes nothing (-1). */
int st_img_gc_layers(struct store *s, struct berr **err);

/* ---- containers.c ---- */
int st_ctr_list_locked(struct store *s, char ***ids, struct berr **err);
/* Every layer chain in use by a container (NULL-terminated). */
int st_ctr_used_layers(struct store *s, char ***out, struct berr **err);

#endif
