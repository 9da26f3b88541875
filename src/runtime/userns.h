/*
 * runtime/userns.h: a container's user namespace, settled at create.
 *
 * The spec (spec.h) as create/run give it:
 *   namespaces.user  "host" (default), "private" (with mappings), "auto",
 *                    "ns:PATH", "container:X"
 *   uidMap, gidMap   ["C:H:S", ...] from --uidmap/--gidmap
 *   subuidName, subgidName   --subuidname/--subgidname
 *   usernsAuto       {size, uidmapping: [...], gidmapping: [...]} (auto)
 * and as the record keeps it: namespaces.user "private" with uidMap and
 * gidMap set (usernsAuto: true when allocated by auto), "ns:PATH",
 * "container:X" (with X's maps, so its root file system matches), or host.
 *
 * /etc/subuid and /etc/subgid are read where shadow-utils keeps them;
 * $BERTH_SUBUID_FILE and $BERTH_SUBGID_FILE name other files (tests).
 * --userns auto takes ranges of the "containers" user in them, as podman
 * does; the allocation is recorded in the container's config and made
 * under <static dir>/userns.lck, held by create until the
 * record is written; a removed container's ranges are free again.
 */
#ifndef BERTH_USERNS_H
#define BERTH_USERNS_H

#include <jansson.h>

#include "runtime/runtime.h"
#include "util/flock.h"

/* Rewrites spec's user namespace fields into the record's form. For
 * auto, *held is the allocation lock, to be released once the record is
 * written (lock_release). Errors in podman's words, 125. */
int userns_settle(struct runtime *rt, json_t *spec, struct lock *held, struct berr **err);

struct ctr;
/* Where a container's user namespace is kept while its bridge network
 * namespace (owned by it) exists; malloc'd. */
char *userns_path(struct runtime *rt, const char *ctr_id);
/* The network namespace <tmp>/netns/<name> of a container with a user
 * namespace of its own, owned by that (new, kept) user namespace. */
int userns_netns_create(struct runtime *rt, struct ctr *c, const char *name, char **out,
                        struct berr **err);
/* Drops the kept user namespace (at network teardown); warns on failure. */
void userns_netns_remove(struct runtime *rt, const char *ctr_id);

#endif
