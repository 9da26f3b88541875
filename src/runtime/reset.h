/*
 * runtime/reset.h: system reset, as podman 4.3.1's: every container
 * (stopped first), volume, network but the default, and image goes the
 * ordinary way (their events written, conmon and mounts cleaned up); then
 * whatever is still mounted under the store's directories is detached and
 * the directories themselves (graph root, run root, tmp dir, static dir,
 * volume path) are deleted, recorded paths (db.json) included. The next
 * command finds no state and starts a fresh one.
 */
#ifndef BERTH_RUNTIME_RESET_H
#define BERTH_RUNTIME_RESET_H

#include "runtime/runtime.h"
#include "util/str.h"

/* The directories reset deletes, in the order it deletes them. */
int rt_reset_dirs(struct runtime *rt, strv *out, struct berr **err);
/* Removes everything; a failure to remove one object does not stop the
 * rest (podman's): each is appended to *problems as text. -1 only when
 * the directories could not be deleted. */
int rt_reset(struct runtime *rt, strv *problems, struct berr **err);

#endif
