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

#endif
