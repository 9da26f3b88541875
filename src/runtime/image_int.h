/*
 * runtime/image_int.h: what the image files of the runtime share
 * (runtime/image.h is the API).
 */
#ifndef BERTH_RUNTIME_IMAGE_INT_H
#define BERTH_RUNTIME_IMAGE_INT_H

#include "runtime/image.h"
#include "runtime/runtime.h"
#include "storage/store.h"

/* A store record as a struct img: takes si over (freed on failure too). */
int img_wrap(struct store_image *si, struct img **out, struct berr **err);
/* img_lookup with the store already open. */
int img_lookup_store(struct store *s, const char *ref, struct img **out, struct berr **err);
/* img_list with the store already open. */
int img_list_store(struct store *s, struct img ***out, size_t *n, struct berr **err);
/* Writes an image event (a failure is a warning, never fatal). */
void img_event(struct runtime *rt, const char *status, const char *id, const char *name);

#endif
