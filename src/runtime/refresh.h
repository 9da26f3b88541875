/*
 * runtime/refresh.h: the alive check and refresh() (SPEC-podman.md 1.8,
 * with DESIGN.md's boot-id check).
 */
#ifndef BERTH_REFRESH_H
#define BERTH_REFRESH_H

#include <stdbool.h>

#include "runtime/runtime.h"

/* Reads the current boot id into buf (37 bytes). */
int rt_boot_id(char *buf, size_t len, struct berr **err);
/* Runs refresh() when <tmp>/alive is missing or names another boot.
 * *did says whether it ran. Concurrent callers: exactly one refreshes. */
int rt_alive_check(struct runtime *rt, bool *did, struct berr **err);

#endif
