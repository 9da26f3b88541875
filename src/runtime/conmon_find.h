/*
 * runtime/conmon_find.h: finding conmon and checking its version
 * (DESIGN.md init step 2, SPEC-podman.md §1.5).
 */
#ifndef BERTH_CONMON_FIND_H
#define BERTH_CONMON_FIND_H

#include "runtime/config.h"
#include "util/err.h"

#define CONMON_MIN_VERSION "2.0.24"

/* Tries cfg->conmon_path in order (missing entries and directories are
 * skipped), then "conmon" in $PATH; the first whose `--version` says
 * "conmon version X.Y.Z" with X.Y.Z >= 2.0.24 wins. *path and *version
 * ("2.1.6") are malloc'd. The probe result is cached in
 * cache_dir/conmon-probe.json keyed by path, size, mtime, inode and
 * device, so conmon is exec'd only when the binary changed; cache_dir NULL
 * disables the cache, and a cache that cannot be read or written is only
 * a debug message. */
int conmon_find(const struct config *cfg, const char *cache_dir, char **path, char **version,
                struct berr **err);

#endif
