/*
 * storage/load.h: images entering the store from archives (load.c, with
 * their JSON documents parsed by load_docs.c) and tarballs (import.c).
 */
#ifndef BERTH_STORAGE_LOAD_H
#define BERTH_STORAGE_LOAD_H

#include "storage/internal.h"

#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MT_DOCKER_LAYER_GZIP "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"

/* One JSON document of an archive read into memory: at most c/image's
 * limit for manifests and configs. All of an archive's configs and
 * manifests are held until the commit: at most LOAD_HELD_MAX together. */
#define LOAD_DOC_MAX (4u << 20)
#define LOAD_HELD_MAX (64u << 20)

struct load_image {
    char *config;               /* bytes, as they are hashed */
    size_t config_len;
    char *manifest;
    size_t manifest_len;
    const char *manifest_type;
    struct layer_in *layers;    /* blobs already in the store */
    size_t nlayers;
    char **names;               /* normalized */
};

/* Unpacks the layers and writes the record (exclusive lock held). A record
 * with this id already there keeps its names and gains the new ones. */
int load_commit_image(struct store *s, const struct load_image *im, struct berr **err);

/* One layer of an archive's image: what the documents say, then what
 * staging found. */
struct load_layer {
    char *file;                 /* its path in the archive */
    char *media_type;           /* OCI: the descriptor's (or NULL) */
    char blob[72];              /* OCI: the descriptor's digest; else of the content */
    char diff_id[72];           /* the config's */
    char *staged;               /* the staging file, once staged */
    int64_t size, diff_size;
};

/* One image of an archive. */
struct load_plan {
    char *manifest_file;        /* OCI: the manifest blob; docker: NULL */
    char manifest_digest[72];   /* OCI: the index's */
    char *config_file;
    char config_digest[72];     /* OCI: the manifest's; docker: of the content */
    char *manifest_type;        /* OCI: the manifest's mediaType, or NULL */
    struct load_layer *layers;
    size_t nlayers;
    char **names;               /* normalized; never NULL once parsed */
    char *config, *manifest;    /* the bytes, once read */
    size_t config_len, manifest_len;
};
void load_plan_clear(struct load_plan *p);
void load_plans_free(struct load_plan *v, size_t n);

/* ---- load_docs.c: the archives' JSON documents, each parsed from a
 * buffer (so a fuzzer can feed them); errors name the document, and any
 * text from the archive in them is escaped. */
/* A docker-archive's manifest.json: one plan per entry (config file,
 * layer files, RepoTags normalized with docker.io). */
int load_docker_manifest(const char *buf, size_t len, struct load_plan **out, size_t *n,
                         struct berr **err);
/* An oci-archive's index.json: one plan per manifest descriptor (its
 * digest and blob path, ref.name normalized with localhost). */
int load_oci_index(const char *buf, size_t len, struct load_plan **out, size_t *n,
                   struct berr **err);
/* An OCI image manifest: p's config and layers (digests, blob paths). */
int load_oci_manifest(const char *buf, size_t len, struct load_plan *p, struct berr **err);
/* An image config: its diff ids, one per layer p already has. */
int load_config(const char *buf, size_t len, struct load_plan *p, struct berr **err);
/* The docker v2s2 manifest of a staged docker-archive plan, serialized as
 * Go's encoding/json does; NULL on OOM. */
char *load_docker_v2s2(const struct load_plan *p);

#endif
