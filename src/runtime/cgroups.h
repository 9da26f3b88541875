/*
 * runtime/cgroups.h: what berth itself does to cgroups (the OCI runtime
 * creates and fills a container's own): finding the caller's cgroup for
 * --cgroups split, and giving a parent cgroup the realtime budget a
 * container's --cpu-rt-runtime needs on cgroup v1.
 */
#ifndef BERTH_CGROUPS_H
#define BERTH_CGROUPS_H

#include <stdbool.h>

#include "util/err.h"

/* The cgroup this process is in, as the unified ("0::") line of
 * /proc/self/cgroup names it; "/" for the root. Refused when there is no
 * such line (a pure cgroup v1 host) or it is the root cgroup, as podman
 * refuses --cgroups split there. */
int cg_own_cgroup(char **out, struct berr **err);

/* cgroup v1: raises cpu.rt_runtime_us of the parent cgroup (made when
 * missing) so that its children's budgets plus runtime us every period
 * us fit, as the kernel demands before runc can give a container a
 * realtime budget. The kernel refuses more than the grandparent has:
 * then the error names the cgroup, the budget and the kernel's reason. */
int cg_rt_budget(const char *parent, long long runtime, long long period, struct berr **err);

/* cgroup v1, for a cgroup berth makes itself (a pod's, pod_cgroup.c):
 * root is where the hierarchies are mounted (CG_ROOT on a host, a
 * fixture tree in the unit tests); path is absolute within each
 * hierarchy ("/berth_parent/<id>").
 * cg_v1_mkdir makes it in hierarchy ctl ("memory", "cpuset", ...) with
 * its parents; in cpuset every new level gets its parent's cpus and
 * mems, as the kernel wants before a task or a child may use it.
 * cg_v1_write writes value into file of it (the kernel's errno named).
 * cg_v1_rmdir removes it from every hierarchy it is in: 0, or -1 with
 * *err naming the first that would not go (a cgroup still holding a
 * task or a child is busy). */
int cg_v1_mkdir(const char *root, const char *ctl, const char *path, struct berr **err);
int cg_v1_write(const char *root, const char *ctl, const char *path, const char *file,
                const char *value, struct berr **err);
int cg_v1_rmdir(const char *root, const char *path, struct berr **err);

/* Makes dir (a path below a hierarchy's top, whose first top_len bytes
 * name that top) level by level, calling each(level, arg) after each
 * level is there, old or new: a level's controllers or cpus come from
 * the one above. */
int cg_mkdir_levels(char *dir, size_t top_len,
                    int (*each)(const char *dir, void *arg, struct berr **err), void *arg,
                    struct berr **err);

/* Writes value (and a newline, as echo does) into dir/file in one
 * write(2), appending: the kernel's errno named on failure. */
int cg_write_file(const char *dir, const char *file, const char *value, struct berr **err);

#define CG_ROOT "/sys/fs/cgroup"

/* cgroup v1: controller ctl is mounted at /sys/fs/cgroup/CTL and, when
 * file is not NULL, its root cgroup has that file. */
bool cg_v1_has(const char *ctl, const char *file);

#endif
