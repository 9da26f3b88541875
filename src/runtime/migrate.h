/*
 * runtime/migrate.h: system migrate.
 */
#ifndef BERTH_MIGRATE_H
#define BERTH_MIGRATE_H

#include "runtime/runtime.h"

/* Stops every running or paused container, each under its lock, calling
 * stopped(id, ctx) after each one; with new_runtime (the name of a
 * configured OCI runtime, else BK_INVALID before anything is touched)
 * makes it the runtime of every container, saving the config under the
 * container's lock. A container that cannot be read or locked is skipped
 * with a warning. */
int rt_migrate(struct runtime *rt, const char *new_runtime,
               void (*stopped)(const char *id, void *ctx), void *ctx, struct berr **err);

#endif
