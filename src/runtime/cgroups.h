/*
 * runtime/cgroups.h: what berth itself does to cgroups (the OCI runtime
 * creates and fills a container's own): finding the caller's cgroup for
 * --cgroups split, and giving a parent cgroup the realtime budget a
 * container's --cpu-rt-runtime needs on cgroup v1.
 */
#ifndef BERTH_CGROUPS_H
#define BERTH_CGROUPS_H

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

#endif
