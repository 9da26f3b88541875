/*
 * runtime/cgreg.h: the cgroups this store made, so that system check can
 * tell its own from other stores' under the shared parent
 * (/berth_parent): one file per cgroup, <tmp_dir>/cgroups/<id>.json,
 * {"kind": "container"|"pod", "id", "path"}.
 *
 * Crash-safe order: the entry is written before the OCI runtime (or
 * pod_cgroup.c) makes the cgroup, and dropped only after the object's
 * record is gone and its cgroup with it. An entry whose record is gone
 * while its cgroup stays is a cgroup this store left behind. Per boot
 * like the cgroups themselves: not synced (a power loss takes both).
 */
#ifndef BERTH_RUNTIME_CGREG_H
#define BERTH_RUNTIME_CGREG_H

#include "runtime/syscheck.h"
#include "util/str.h"

enum cgreg_kind { CGREG_CONTAINER, CGREG_POD };

/* Every cgroup hierarchy's mount point (v1 controllers and v2). */
int cgreg_mounts(strv *out, struct berr **err);
/* The directories of cgroup path (absolute within each hierarchy) in
 * the hierarchies mounted at cgmounts (cgreg_mounts): each mount + path
 * that exists is pushed to *out. -1: out of memory. */
int cgreg_dirs(char *const *cgmounts, const char *path, strv *out);
/* Records that object id's cgroup is path (absolute within each
 * hierarchy, "/berth_parent/berth-<id>"). A path that is no cgroupfs
 * path (a systemd unit, "slice:berth:id") is not recorded. */
int cgreg_add(struct runtime *rt, enum cgreg_kind kind, const char *id, const char *path,
              struct berr **err);
/* Has this store recorded a cgroup of id (since the tmp dir was made)?
 * None recorded: none was made, as the entry precedes the cgroup. */
bool cgreg_known(struct runtime *rt, const char *id);
/* After id's record is removed: drops its entry unless its cgroup is
 * still there in some hierarchy (then system check finds it). */
void cgreg_drop(struct runtime *rt, const char *id);
/* The same for the store whose tmp dir is tmp_dir (a runtime not at hand). */
void cgreg_drop_at(const char *tmp_dir, const char *id);
/* Does id's registered cgroup hold a process (in any hierarchy)? What
 * its record lost must not be pulled from under it (system check). */
bool cgreg_busy(struct runtime *rt, const char *id);
/* system check: the registry's cgroups whose container or pod record is
 * gone. Repair removes those without a process in them (sub-cgroups
 * first); one with processes is reported with their pids and left. An
 * entry whose cgroup is gone everywhere is dropped by repair, unreported. */
int cgreg_check(struct runtime *rt, const struct check_opts *o, char *const *cgmounts,
                state_report_fn report, void *ctx, struct berr **err);

#endif
