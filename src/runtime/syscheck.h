/*
 * runtime/syscheck.h: system check, everything berth keeps, verified and
 * (repair) fixed where that loses nothing:
 *
 *   name        names/<name> not a link, or a stale one to nothing: removed;
 *               a container whose name has no link: the link made again
 *   exit code   an entry that does not parse, or (max) an old one of a
 *               removed container: removed
 *   container   a record that does not read: quarantined (state_quarantine:
 *               moved aside with a WHY note, never deleted); a record whose
 *               root file system is gone from the store, or whose image is
 *               damaged: removed only with force
 *   storage     a root file system no record names: removed
 *   pod         a record that does not read: quarantined
 *   volume      a record that does not read: quarantined; its data
 *               directory missing: made again, empty
 *   image       a layer directory missing, or (unless quick) a stored
 *               layer blob missing or not hashing to its digest: the image
 *               is removed when no container uses it (with force, the
 *               containers too)
 *   layer       (unless quick) its unpacked files differ from the manifest
 *               written at unpack while its blob is intact: unpacked again
 *   cgroup      (syscheck_res.c) the cgroupfs cgroup of a container that no
 *               longer runs (neither its process nor its conmon lives): removed;
 *               (cgreg.c) a cgroup this store made for a container or pod
 *               whose record is gone: removed when no process is in it,
 *               else reported with its pids (and its root file system and
 *               mounts are left alone too)
 *   network     the network set-up (status file: firewall rules, addresses)
 *               or namespace of such a container: torn down, removed
 *   lock        (syscheck_locks.c) a container's lock file missing: made
 *               again; a lock file no record names, unheld and older than
 *               a minute: freed
 *   mount       a mount under the graph root, run root or tmp dir that
 *               belongs to no container or image berth knows, or a network
 *               namespace no container names: detached
 */
#ifndef BERTH_RUNTIME_SYSCHECK_H
#define BERTH_RUNTIME_SYSCHECK_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/runtime.h"
#include "state/state.h"

struct check_opts {
    bool quick;             /* no hashing of blobs and layer files */
    bool repair;
    bool force;             /* repair may remove containers */
    long long max_age_sec;  /* exit codes of removed containers older: stale */
};

/* syscheck_res.c: the cgroups and network set-up (firewall rules,
 * addresses, namespace) that containers of ctr_ids which no longer run
 * left behind; repair removes them. */
int rt_check_leftovers(struct runtime *rt, const struct check_opts *o, char *const *ctr_ids,
                       state_report_fn report, void *ctx, struct berr **err);

/* syscheck_locks.c: the containers' numbered lock files, missing (made
 * again) or named by no record (freed). -1 only when the locks cannot be
 * listed (or out of memory); a repair that fails is a finding left
 * unrepaired, not an error. */
int rt_check_locks(struct runtime *rt, const struct check_opts *o, char *const *ctr_ids,
                   state_report_fn report, void *ctx, struct berr **err);

/* *items: [{"What", "Object", "Problem", "Repaired"}] in the order found. */
int rt_check(struct runtime *rt, const struct check_opts *o, json_t **items, struct berr **err);

#endif
