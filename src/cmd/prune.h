/*
 * cmd/prune.h: the prunes that both their own command and `system prune`
 * run. Each removes what its filters select that nothing uses, appends
 * what it removed (ids, names) to *removed, prints nothing, and goes on
 * past a failure: *err is the last one (cmd_err_next printed the
 * others). 0 when nothing failed.
 */
#ifndef BERTH_CMD_PRUNE_H
#define BERTH_CMD_PRUNE_H

#include "cmd/cmd.h"

/* cmd/prune.c: containers not running or paused. */
int prune_containers(struct runtime *rt, char *const *filters, strv *removed,
                     struct berr **err);
/* cmd/volume.c: the volumes no container names (before the filters ran,
 * *candidates may be asked for by volume prune's question). */
int prune_volume_candidates(struct runtime *rt, char *const *filters, strv *out,
                            struct berr **err);
int prune_volumes(struct runtime *rt, char *const *names, strv *removed, struct berr **err);
/* cmd/pod.c: the pods whose containers have all exited (no filters: podman's
 * system prune runs its pod prune without them). */
int prune_pods(struct runtime *rt, strv *removed, struct berr **err);
/* cmd/network.c: the networks no container uses, never the default one. */
int prune_networks(struct runtime *rt, char *const *filters, strv *removed, struct berr **err);

#endif
