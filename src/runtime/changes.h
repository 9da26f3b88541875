/*
 * runtime/changes.h: Dockerfile instructions as `import --change` (and
 * later `commit --change`) take them, applied to an image config's
 * "config" object.
 */
#ifndef BERTH_CHANGES_H
#define BERTH_CHANGES_H

#include <jansson.h>

#include "util/err.h"

/* Applies each change ("CMD [\"sh\"]", "ENV K=V", "LABEL a=b c=d", ...)
 * in order to base (borrowed, may be NULL) and returns a new "config"
 * object in *out, its keys in the order docker/podman write them. A bad
 * change: -1 with `invalid change "<change>" - <why>`. */
int changes_apply(json_t *base, char *const *changes, json_t **out, struct berr **err);

#endif
