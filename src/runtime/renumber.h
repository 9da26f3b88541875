/*
 * runtime/renumber.h: lock renumbering and lock ownership.
 */
#ifndef BERTH_RENUMBER_H
#define BERTH_RENUMBER_H

#include <jansson.h>

#include "runtime/runtime.h"

int rt_renumber(struct runtime *rt, struct berr **err);
/* A map "N" -> {Type, ID, Name} of the objects that own lock N. */
int rt_lock_owners(struct runtime *rt, json_t **out, struct berr **err);

/* Frees lock files that no container, pod or volume owns and no process
 * holds: left by a berth killed between allocating a lock and writing
 * the record. */
int rt_lock_gc(struct runtime *rt, struct berr **err);

#endif
