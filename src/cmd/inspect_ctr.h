/*
 * cmd/inspect_ctr.h: the container part of `inspect`, shared by
 * `container inspect` (cmd/inspect.c) and the top-level `inspect`, which
 * also finds images.
 *
 * Plugging it into the top-level inspect (--type container|image|all):
 *
 *     json_t *arr = json_array();
 *     int r = inspect_containers(cx, rt, names, n, format, size,
 *                                type_is_all, arr, err);
 *     // with type_is_all, a name that is no container left a JSON null at
 *     // its index: look it up as an image and json_array_set_new() it;
 *     // still missing -> podman's "no such object: \"NAME\"" error
 *     // (after printing the others)
 *     inspect_print(stdout, format, arr, err);
 */
#ifndef BERTH_INSPECT_CTR_H
#define BERTH_INSPECT_CTR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "cmd/cmd.h"

struct runtime;

/* Appends one element per name to out_array: the container's inspect
 * object (podman's shape; with a template format its times read as Go
 * prints them), or, when quiet_missing, JSON null for a name that is no
 * container. Without quiet_missing, missing names are skipped and the
 * call returns -1 with podman's "no such container NAME" error once all
 * names were tried (the caller prints what was found first). size: SizeRw
 * and SizeRootFs. */
int inspect_containers(struct cmd_ctx *cx, struct runtime *rt, char **names, int n,
                       const char *format, bool size, bool quiet_missing, json_t *out_array,
                       struct berr **err);

/* Prints inspect results as podman does: "json" (or NULL/"") as one JSON
 * array indented by five spaces; a template once per element (nulls
 * skipped). A bad template fails before anything is printed. */
int inspect_print(FILE *f, const char *format, json_t *arr, struct berr **err);

#endif
