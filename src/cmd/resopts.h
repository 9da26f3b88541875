/*
 * cmd/resopts.h: the resource flags (cgroup limits) shared by run/create
 * and update: their option-table entries, the parser of one flag, and
 * the resources object (runtime/spec.h "resources") they add up to.
 *
 *     struct resopts r;
 *     resopts_init(&r);
 *     while ((c = opt_next(&it, ...)) > 0)
 *         if ((rc = resopts_opt(&r, &it, err)) != RESOPTS_NOT_MINE) ... ;
 *     resopts_finish(&r, err);      // cross-flag checks; r.res is the object
 *     resopts_free(&r);
 *
 * Values are checked as podman 4.3.1 checks them at the command line and
 * at create (ranges, formats, --cpus against --cpu-period/--cpu-quota), with
 * its words. What depends on the host (is the controller there, are those
 * CPUs and memory nodes there, cgroup v1 or v2) is checked by the runtime
 * (spec_resources_check) when the container is created or updated.
 */
#ifndef BERTH_RESOPTS_H
#define BERTH_RESOPTS_H

#include <jansson.h>
#include <stdbool.h>

#include "util/err.h"
#include "util/opt.h"

/* Option ids: -c (--cpu-shares) and -m (--memory) are letters; the
 * long-only flags count from 512, above the commands' own ids. */
enum {
    R_BLKIO_WEIGHT = 512, R_BLKIO_WEIGHT_DEVICE, R_CPU_PERIOD, R_CPU_QUOTA, R_CPU_RT_PERIOD,
    R_CPU_RT_RUNTIME, R_CPUS, R_CPUSET_CPUS, R_CPUSET_MEMS, R_DEVICE_READ_BPS,
    R_DEVICE_READ_IOPS, R_DEVICE_WRITE_BPS, R_DEVICE_WRITE_IOPS, R_MEMORY_RESERVATION,
    R_MEMORY_SWAP, R_MEMORY_SWAPPINESS, R_OOM_KILL_DISABLE, R_PIDS_LIMIT,
};

/* Table entries, in podman's alphabetical places: a command's table puts
 * each group where its names sort. */
#define RESOPTS_BLKIO                                                                           \
    { "blkio-weight", R_BLKIO_WEIGHT, OPT_ARG, "uint", "Block IO relative weight, 10 to 1000 (0: no weight)", 0 }, \
    { "blkio-weight-device", R_BLKIO_WEIGHT_DEVICE, OPT_ARG, "strings", "Block IO relative weight of a device: /dev/sda:500", 0 },
#define RESOPTS_CPU                                                                             \
    { "cpu-period", R_CPU_PERIOD, OPT_ARG, "uint", "CFS period in microseconds, 1000 to 1000000", 0 }, \
    { "cpu-quota", R_CPU_QUOTA, OPT_ARG, "int", "CFS quota in microseconds per period (at least 1000)", 0 }, \
    { "cpu-rt-period", R_CPU_RT_PERIOD, OPT_ARG, "uint", "Realtime scheduling period in microseconds (cgroup v1)", 0 }, \
    { "cpu-rt-runtime", R_CPU_RT_RUNTIME, OPT_ARG, "int", "Realtime runtime in microseconds per period (cgroup v1); berth gives the parent cgroup the budget", 0 }, \
    { "cpu-shares", 'c', OPT_ARG, "uint", "Relative CPU weight", 0 },                           \
    { "cpus", R_CPUS, OPT_ARG, "float", "How many CPUs the container may use (0: no limit)", 0 }, \
    { "cpuset-cpus", R_CPUSET_CPUS, OPT_ARG, "string", "CPUs the container may run on (0-3, 0,1)", 0 }, \
    { "cpuset-mems", R_CPUSET_MEMS, OPT_ARG, "string", "Memory nodes the container may use (0-3, 0,1; NUMA only)", 0 },
#define RESOPTS_DEVICE_IO                                                                       \
    { "device-read-bps", R_DEVICE_READ_BPS, OPT_ARG, "strings", "Read rate limit of a block device: /dev/sda:1mb", 0 }, \
    { "device-read-iops", R_DEVICE_READ_IOPS, OPT_ARG, "strings", "Read operations per second of a block device: /dev/sda:1000", 0 }, \
    { "device-write-bps", R_DEVICE_WRITE_BPS, OPT_ARG, "strings", "Write rate limit of a block device: /dev/sda:1mb", 0 }, \
    { "device-write-iops", R_DEVICE_WRITE_IOPS, OPT_ARG, "strings", "Write operations per second of a block device: /dev/sda:1000", 0 },
#define RESOPTS_MEMORY                                                                          \
    { "memory", 'm', OPT_ARG, "<number>[<unit>]", "Memory limit; units b, k, m, g (1024-based)", 0 }, \
    { "memory-reservation", R_MEMORY_RESERVATION, OPT_ARG, "<number>[<unit>]", "Memory soft limit; units b, k, m, g", 0 }, \
    { "memory-swap", R_MEMORY_SWAP, OPT_ARG, "string", "Memory plus swap limit; -1 for unlimited swap", 0 }, \
    { "memory-swappiness", R_MEMORY_SWAPPINESS, OPT_ARG, "int", "How willingly the kernel swaps the container's pages out, 0 to 100 (-1: the host's)", 0 },
#define RESOPTS_OOM                                                                             \
    { "oom-kill-disable", R_OOM_KILL_DISABLE, OPT_FLAG, NULL, "Do not let the OOM killer kill the container's processes (cgroup v1)", 0 },
#define RESOPTS_PIDS                                                                            \
    { "pids-limit", R_PIDS_LIMIT, OPT_ARG, "int", "Most processes the container may have (-1: no limit)", 0 },

struct resopts {
    json_t *res;                /* the resources object, only what was given */
    long long memory, swap;
    bool memory_set, swap_set, cpus_set, period_set, quota_set;
    bool update;                /* update: a swap limit may go with the
                                   container's memory limit (checked with it
                                   by ctr_update) */
};

#define RESOPTS_NOT_MINE 1

int resopts_init(struct resopts *r, struct berr **err);
/* One flag of the iterator: 0, -1 with *err, or RESOPTS_NOT_MINE. */
int resopts_opt(struct resopts *r, struct opt_it *it, struct berr **err);
/* Checks across flags (memory against swap and reservation, --cpus with
 * --cpu-period/--cpu-quota) and completes r->res. */
int resopts_finish(struct resopts *r, struct berr **err);
/* The first of resopts_finish's checks: --cpus with --cpu-period or
 * --cpu-quota (podman checks it before any value). */
int resopts_conflicts(const struct resopts *r, struct berr **err);
void resopts_free(struct resopts *r);

/* A comma list of "PATH:VALUE" for one of the block IO flags (flag its
 * name, for errors), parsed as podman does; exposed for the unit tests.
 * kind: "bps", "iops" or "weight". Appends {path, major, minor,
 * rate|weight} objects to arr; a path given again replaces the earlier. */
int resopts_blkio_devices(const char *flag, const char *kind, const char *list, json_t *arr,
                          struct berr **err);

#endif
