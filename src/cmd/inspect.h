/*
 * cmd/inspect.h: what the three inspect commands share: the top-level
 * `inspect` (cmd/inspect.c), which finds containers and images,
 * `container inspect` (cmd/inspect_ctr.c) and `image inspect`
 * (cmd/image_inspect.c). The objects are runtime/ctr_inspect.c's and
 * runtime/image_inspect.c's; these functions collect and print them.
 */
#ifndef BERTH_INSPECT_H
#define BERTH_INSPECT_H

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
int inspect_containers(struct runtime *rt, char **names, int n, const char *format, bool size,
                       bool quiet_missing, json_t *out_array, struct berr **err);

/* Appends the inspect object of each name that is an image. fill_nulls
 * (the top-level inspect, after the containers): only the JSON nulls of
 * arr are looked up, and filled where an image is found. Else the first
 * miss is returned in *err after all names were tried. */
int inspect_images(struct runtime *rt, char **names, int n, const char *format, json_t *arr,
                   bool fill_nulls, struct berr **err);

/* "json", NULL or "": the JSON array; anything else is a template. */
bool inspect_is_json(const char *format);

/* Prints what was found (arr), then returns r: podman prints the objects
 * it found before it fails for a name it did not find. A failure other
 * than "no such" prints nothing. */
int inspect_print_then_fail(const char *format, json_t *arr, int r, struct berr **err);

#endif
