/*
 * cmd/volume.h: the volume part of the top-level `inspect` (cmd/volume.c).
 */
#ifndef BERTH_CMD_VOLUME_H
#define BERTH_CMD_VOLUME_H

#include <jansson.h>
#include <stdbool.h>

#include "util/err.h"

struct runtime;

/* Appends one element per name to out_array: the volume's inspect object
 * (with a template format, CreatedAt as Go prints it), or, when
 * quiet_missing, leaves an element that is not JSON null as it is and
 * fills a null with the volume when there is one. Without quiet_missing,
 * missing names are skipped and -1 returned with podman's "no such volume
 * NAME" once all were tried. */
int inspect_volumes(struct runtime *rt, char **names, int n, const char *format,
                    bool quiet_missing, json_t *out_array, struct berr **err);

#endif
