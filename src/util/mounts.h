/*
 * util/mounts.h: the mount table as the kernel shows it to this process
 * (/proc/self/mountinfo), for what must find mounts it did not make:
 * system reset before it deletes the store, system check for leaked ones.
 */
#ifndef BERTH_UTIL_MOUNTS_H
#define BERTH_UTIL_MOUNTS_H

#include "util/err.h"
#include "util/str.h"

/* The mount points at or under dir (its canonical path; escapes
 * decoded), deepest first. */
int mounts_under(const char *dir, strv *out, struct berr **err);
/* Detaches (MNT_DETACH) every mount at or under dir, deepest first.
 * *n (may be NULL) gets how many. */
int mounts_detach_under(const char *dir, size_t *n, struct berr **err);
/* fs_rm_rf of path, never through a mount: a mount at path itself is
 * detached first; should the removal stop while mounts are under path (a
 * killed writer's, an idmapped layer's bind mount), they are detached and
 * the removal done again. The mount table is read only then. */
int mounts_rm_rf(const char *path, struct berr **err);

#endif
