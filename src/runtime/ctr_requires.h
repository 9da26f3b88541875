/*
 * runtime/ctr_requires.h: --requires, containers started before this one
 * (podman's dependencies). At create each NAME[:healthy] of the spec's
 * "requires" is resolved to {id, healthy}; at every start the required
 * containers are started first, and with :healthy (berth's, beyond
 * podman 4.3) the start waits until the health check of that container
 * has passed, holding no lock meanwhile.
 */
#ifndef BERTH_CTR_REQUIRES_H
#define BERTH_CTR_REQUIRES_H

#include <jansson.h>

#include "runtime/container.h"

/* spec's "requires" (["NAME[:healthy]"]) made [{id, healthy}]; podman's
 * error for a name no container has. */
int ctr_requires_resolve(struct runtime *rt, json_t *spec, struct berr **err);
/* Starts c's required containers (c locked: its lock is released while
 * waiting for health and taken again). */
int ctr_requires_start(struct runtime *rt, struct ctr *c, struct berr **err);
/* inspect's Dependencies: the ids (a new array). */
json_t *ctr_requires_ids(const struct ctr_config *cfg);

#endif
