/*
 * runtime/rtdelete.h: the OCI runtime's delete of a container that an
 * attached `run --rm` removes, handed to a detached child so that run
 * returns the container's exit code without waiting for it (DESIGN.md,
 * "Containers and the OCI runtime").
 */
#ifndef BERTH_RTDELETE_H
#define BERTH_RTDELETE_H

#include "runtime/conmon.h"
#include "runtime/runtime.h"

/* Records the hand-off in <tmp_dir>/rtdelete/<id> (locked) and, as this
 * process exits, forks a child (in its own session, every fd of ours
 * closed) that runs the runtime's `delete --force <id>`, then removes
 * the record and the staging dir rtdelete_send named. The child holds
 * the record's lock while it works. -1 (nothing recorded): the caller
 * deletes the usual way. *h: a handle for rtdelete_send (-1 on
 * failure). The record names the runtime by runtime_path (its own
 * binary), the child runs cli's. */
int rtdelete_handoff(struct runtime *rt, const struct oci_invoke *cli, const char *runtime_path,
                     const char *id, int *h, struct berr **err);
/* The same child with no runtime delete to run (nothing recorded): it
 * only removes what rtdelete_send names, for a caller whose delete was
 * not handed off. -1: none (the caller removes it itself). */
int rtdelete_remover(struct runtime *rt, const char *id, int *h, struct berr **err);
/* Names the staging dir (under a flock of the caller's) the child removes
 * once the delete (if any) is done: it takes the dir's lock first, so it
 * starts when the caller lets go. false: not taken. */
bool rtdelete_send(int h, const char *dir);
/* Runs every recorded delete whose child died before it finished (its
 * record is not locked), then drops its record. One failing opendir()
 * before the first run --rm of the boot, then the read of an empty dir
 * when there is none: rt_open calls it on every full runtime init. */
void rtdelete_repair(struct runtime *rt);
/* Waits until every handed-off delete has ended (its child holds the
 * record's lock until then; this process's own are forked first),
 * running those whose child died: for a caller about to remove what a
 * container's cgroup lives in (pod rm).
 * The read of an empty dir (or none) when there is none. */
void rtdelete_settle(struct runtime *rt);

#endif
