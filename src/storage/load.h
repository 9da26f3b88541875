/*
 * storage/load.h: one image ready to enter the store (load and import).
 */
#ifndef BERTH_STORAGE_LOAD_H
#define BERTH_STORAGE_LOAD_H

#include "storage/internal.h"

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

#endif
