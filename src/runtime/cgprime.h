/*
 * runtime/cgprime.h: taking the kernel's cgroup-migration latency off the
 * path of a container's start.
 *
 * Every OCI runtime puts the container's process into its cgroup by
 * writing its pid into cgroup.procs (crun, runc: create; exec: the
 * exec'd process). The kernel serialises such writes with a global
 * per-cpu rw-semaphore (cgroup_threadgroup_rwsem); its first writer after
 * a quiet spell waits for an RCU grace period (rcu_sync_enter: 5-15 ms
 * on the development VM, measured), and a writer that comes within about
 * one grace period of the last one does not wait (0.1 ms). A bare `crun
 * run` pays the wait once; so did every berth run, inside `crun create`,
 * while berth and conmon sat waiting for it.
 *
 * The primer pays it in a thread of berth's own while the start's other
 * work goes on (the record, the mounts, conmon's and the runtime's own
 * start-up), and keeps the semaphore in its "recently written" state
 * (a write every 2 ms) until the runtime has placed the container:
 * then the runtime's write does not wait. What it writes moves nothing:
 * the primer thread's own id into the "tasks" file (cgroup v1) or
 * "cgroup.threads" (v2) of the cgroup that thread is in, as
 * /proc/thread-self/cgroup names it. Should that name lead elsewhere (a
 * cgroup namespace whose view does not match the mounted hierarchy),
 * only the primer thread itself would move, and it stops: nothing of
 * berth's inherits from it. Not for a non-root user (no write access)
 * or where nothing is writable: then nothing happens.
 */
#ifndef BERTH_CGPRIME_H
#define BERTH_CGPRIME_H

#include <stdbool.h>
#include <stddef.h>

/* Starts the primer unless it runs already (again once its time is up);
 * it runs at most CGPRIME_MAX_MS. Called as early as a start is known to
 * come (run: before the create), and again right before it. */
void cgprime_begin(void);
/* Stops it (nothing when it does not run); its thread is joined as the
 * process exits (or by the next begin), not here: waiting for it to
 * wake on the other CPU cost the start up to a millisecond or more. */
void cgprime_end(void);
/* Writes the primer made so far (for the debug log and the tests). */
unsigned cgprime_writes(void);

#define CGPRIME_MAX_MS 250
#define CGPRIME_EVERY_MS 2

/* The file the primer writes its thread id into, from the text of
 * /proc/thread-self/cgroup, under root (CG_ROOT; a fixture in the unit
 * tests): the first cgroup v1 hierarchy's "tasks" (named hierarchies'
 * names without "name="), else the unified hierarchy's "cgroup.threads"
 * (root itself, or root/unified on a hybrid host: whichever has
 * cgroup.threads). false: none fits in out (size bytes). */
bool cgprime_file(const char *proc_cgroup, const char *root, char *out, size_t size);

#endif
