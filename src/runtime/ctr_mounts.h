/*
 * runtime/ctr_mounts.h: a container's mounts beyond its root file system:
 * bind mounts, tmpfs, devpts, named and anonymous volumes, image mounts,
 * overlays (O), as podman's specgen and libpod treat them.
 *
 * At create, ctr_mounts_resolve() turns what the user asked for into the
 * list the config keeps (spec.h "mounts"): the image's VOLUMEs
 * (--image-volume), another container's mounts (--volumes-from), then
 * the user's own, each later one replacing an earlier one at the same
 * destination; options completed as podman's ProcessOptions completes
 * them; every volume named (anonymous ones get a random name) and made
 * when missing. The volumes stay locked until the container's record
 * exists, so a `volume rm` cannot slip in between.
 *
 * At init, ctr_mounts_setup() makes them real: each volume is mounted
 * (counted; names kept in the state's volumesMounted, so a crash can be
 * undone), gets its copy-up and owner the first time, U chowns, image
 * mounts are mounted (imagesMounted), overlays get a content dir under
 * the bundle; it returns the list the OCI spec is built from.
 * ctr_mounts_teardown() undoes it, idempotently.
 */
#ifndef BERTH_CTR_MOUNTS_H
#define BERTH_CTR_MOUNTS_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/container.h"

struct ctr_mounts_in {
    json_t *mounts;             /* the user's (cmd/ctropts: -v, --mount, --tmpfs) */
    json_t *volumes_from;       /* ["CTR[:ro|rw|z]"] or NULL */
    const char *image_volume;   /* "bind" (NULL), "anonymous", "tmpfs", "ignore" */
    char *const *image_volumes; /* the image's VOLUME paths, or NULL */
    int uid, gid;               /* the container's root: owner of new volumes */
};

/* What a create holds until its record is written. */
struct ctr_mounts_held {
    struct lock *locks;         /* one per volume used, in name order */
    size_t n;
    char **created;             /* volumes made by this create */
};

/* *out: the final mounts (a new array). The volumes are made and stay
 * locked in *held: ctr_mounts_release() after the record is written, or
 * with failed set (then the volumes this create made are removed). */
int ctr_mounts_resolve(struct runtime *rt, const struct ctr_mounts_in *in, json_t **out,
                       struct ctr_mounts_held *held, struct berr **err);
void ctr_mounts_release(struct runtime *rt, struct ctr_mounts_held *held, bool failed);

/* At init, with c's root file system mounted at rootfs: *spec_mounts the
 * mounts for the OCI spec (a new array). On failure what was done is
 * undone. c->st is saved as volumes get mounted. */
int ctr_mounts_setup(struct runtime *rt, struct ctr *c, const char *rootfs,
                     json_t **spec_mounts, struct berr **err);
/* Drops the volume and image mounts of c, removes its overlay content.
 * Errors are logged. The caller saves c->st. */
void ctr_mounts_teardown(struct runtime *rt, struct ctr *c);

/* rm -v, --rm: removes the container, then its anonymous volumes (those
 * still used through --volumes-from stay). */
#define CTR_RM_VOLUMES 1u
/* pod rm: a pod's infra container may go (else it is refused while its
 * pod exists, in podman's words) */
#define CTR_RM_POD 2u
int ctr_remove_flags(struct runtime *rt, struct ctr *c, bool force, long long timeout,
                     unsigned flags, struct berr **err);

#endif
