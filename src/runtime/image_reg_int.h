/*
 * runtime/image_reg_int.h: what image_pull.c, image_push.c and
 * image_registry.c share.
 */
#ifndef BERTH_RUNTIME_IMAGE_REG_INT_H
#define BERTH_RUNTIME_IMAGE_REG_INT_H

#include "runtime/image_pull.h"
#include "storage/registry.h"

/* A client for one command, and the configuration it was made with. */
struct img_reg {
    struct regconf *conf;
    struct reg_client *client;
};
int img_reg_open(const struct img_reg_opts *o, struct img_reg *r, struct berr **err);
void img_reg_clear(struct img_reg *r);
/* registries.conf as $CONTAINERS_REGISTRIES_CONF says, or the default. */
int img_regconf(struct regconf **out, struct berr **err);
/* --authfile, else $REGISTRY_AUTH_FILE, else NULL (the default). */
const char *img_authfile(const struct img_reg_opts *o);

/* ---- image_transport.c: the transports other than docker:// ---- */
/* "docker-archive", "oci-archive", "oci" or "dir" when ref starts with
 * that transport and a colon; NULL for docker:// and bare names. */
const char *img_transport_of(const char *ref);
int img_pull_transport(struct runtime *rt, const char *ref, const struct img_pull_opts *o,
                       char ***ids, struct berr **err);
/* Writes the image (full id; src as the user named it) to dest. */
int img_push_transport(struct runtime *rt, const char *id, const char *src, const char *dest,
                       const struct img_push_opts *o, struct berr **err);

#endif
