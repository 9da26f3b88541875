/*
 * runtime/rtexec.h: the path berth (and conmon) exec an OCI runtime by.
 *
 * crun 1.8.1 protects the host's binary against CVE-2019-5736 in a
 * constructor (libcrun_rexec -> ensure_cloned_binary): unless
 * /proc/self/exe is a fully sealed memfd or lies on a read-only mount,
 * every crun process bind-mounts itself read-only (root) or copies itself
 * into a sealed memfd and execs itself a second time: a second exec and a
 * second dynamic load of its libraries in each of create, start, kill,
 * delete, exec. berth makes that read-only mount once instead: a bind
 * mount of the crun binary over <tmp_dir>/rtexec/<hash of its path>/crun,
 * remounted MS_RDONLY, and execs crun there. crun sees a read-only
 * /proc/self/exe and runs at once; the container can no more write the
 * host's binary through /proc/self/exe than through crun's own copy (a
 * handle on that file reopened for writing gets EROFS; the mount belongs
 * to berth's mount namespace, which the container cannot remount).
 *
 * The mount is valid when the path shows the runtime binary's own device
 * and inode on a read-only mount; a crun upgrade (a new inode) gets the
 * stale mount replaced. It is per boot (tmp_dir is a tmpfs) and
 * per mount namespace; `system reset` detaches it with everything under
 * tmp_dir. Where it cannot be made (not root, not crun, mount refused)
 * the plain path is used and crun clones itself as before.
 */
#ifndef BERTH_RTEXEC_H
#define BERTH_RTEXEC_H

#include "util/err.h"

/* *out (new string): the read-only mount of runtime_path under tmp_dir
 * when runtime_path is crun and the mount is or can be made, else a copy
 * of runtime_path. Fails only for lack of memory. */
int rtexec_path(const char *tmp_dir, const char *runtime_path, char **out, struct berr **err);

#endif
