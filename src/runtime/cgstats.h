/*
 * runtime/cgstats.h: reading a process's resource use from its cgroup
 * files, v1 (a dir per controller) or v2 (one unified dir), for stats.
 * The cgroup file system's root is a parameter, so the parsers can read
 * fixture trees (test/unit/test_cgstats.c); berth passes CGSTATS_ROOT.
 */
#ifndef BERTH_CGSTATS_H
#define BERTH_CGSTATS_H

#include <stdbool.h>

#include "util/err.h"

#define CGSTATS_ROOT "/sys/fs/cgroup"

/* The cgroup dirs of a process: v1 per controller, or the v2 one. */
struct cg_dirs {
    char *cpuacct, *memory, *blkio, *pids;
    char *unified;              /* v2: root has cgroup.controllers */
};
void cg_dirs_free(struct cg_dirs *d);

/* Fills d from proc_cgroup, a /proc/PID/cgroup file: "N:ctls:/path"
 * lines name v1 dirs under root/<ctls>; the "0::/path" line names
 * root/path when root is a unified (v2) mount. */
int cg_dirs_find(const char *root, const char *proc_cgroup, struct cg_dirs *d,
                 struct berr **err);

/* One sample, as podman 4.3.1 reports it (containers/common's cgroups
 * package). An unreadable file reads as 0, and so does "max". */
struct cg_sample {
    unsigned long long cpu_ns, cpu_system_ns;
    unsigned long long mem_usage;   /* less the inactive file cache */
    unsigned long long mem_limit;   /* 0: none set */
    unsigned long long blk_in, blk_out;
    unsigned long long pids;
};
void cg_sample_read(const struct cg_dirs *d, struct cg_sample *s);

#endif
