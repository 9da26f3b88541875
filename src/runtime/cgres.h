/*
 * runtime/cgres.h: OCI linux.resources (memory, cpu, pids, blockIO,
 * unified) written into a cgroup berth makes itself (a pod's), as runc
 * would write them for a container: the v1 files of each hierarchy, or
 * the v2 (unified) files, with the controllers enabled on the way down.
 * The cgroup root is a parameter: CG_ROOT on a host, a fixture tree in
 * the unit tests (test_cgres.c), so the v2 writer is tested on this
 * v1 machine.
 */
#ifndef BERTH_CGRES_H
#define BERTH_CGRES_H

#include <jansson.h>
#include <stdbool.h>

#include "util/err.h"

enum cg_layout {
    CG_V1 = 1,          /* one hierarchy per controller: root/<ctl>/path */
    CG_V2 = 2,          /* unified: root/path */
};

/* The layout of the host's /sys/fs/cgroup: v2 when it is cgroup2fs. */
enum cg_layout cgres_host_layout(void);

/* Makes cgroup path ("/berth_parent/<id>") under root and writes res
 * into it. v1: in each controller's hierarchy present under root (the
 * cpuset levels filled from their parents). v2: every level made; in
 * root, each level below it and path itself, every controller the
 * level's cgroup.controllers offers and its cgroup.subtree_control
 * lacks is enabled there (path's own: for the members below it), as
 * podman's cgroupfs manager enables them for a pod. What v2
 * has no file for (swappiness, OOM-killer, realtime) is skipped with a
 * warning; what the kernel refuses is an error naming file and value. */
int cgres_apply(const char *root, enum cg_layout l, const char *path, json_t *res,
                struct berr **err);

/* Removes cgroup path under root (every v1 hierarchy, or the v2 dir):
 * 0, or -1 with *err naming what would not go. */
int cgres_remove(const char *root, enum cg_layout l, const char *path, struct berr **err);

#endif
