/*
 * runtime/spec_int.h: shared between spec.c, spec_linux.c and
 * spec_util.c only; the API is spec.h.
 */
#ifndef BERTH_SPEC_INT_H
#define BERTH_SPEC_INT_H

#include "runtime/spec.h"
#include "util/str.h"

struct spec_ctx {
    const struct config *cfg;
    json_t *ctr, *image;
    const struct spec_host *h;
    const char *id;
    bool privileged;
    const char *ns[SPEC_NS__COUNT];     /* mode strings, never NULL */
    char **bounding;                    /* the container's bounding set */
    char *init_path;                    /* set when --init */
    char **masked, **unmasked;          /* mask=, unmask= paths */
    bool unmask_all;                    /* unmask=ALL */
    bool userns;                        /* a user namespace of its own or joined */
    bool systemd;                       /* systemd mode (spec "systemdMode") */
};

const char *spec_rlimit_type(int resource);
/* "host", "ns:/p", "container:x" (with h->ns_path), "private": the
 * namespace entry for this kind, or none for host. */
int spec_add_mounts(struct spec_ctx *c, json_t *spec, struct berr **err);
/* linux.uidMappings/gidMappings of a user namespace of its own (user
 * mode "private"): the spec's "uidMap"/"gidMap" ("C:H:S" strings). */
int spec_idmappings(json_t *ctr, const char *usermode, json_t *lin, struct berr **err);
int spec_add_linux(struct spec_ctx *c, json_t *spec, struct berr **err);

#endif
