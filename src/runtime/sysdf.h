/*
 * runtime/sysdf.h: `system df`, the disk usage of images, containers and
 * local volumes, as podman 4.3.1 counts it (c/common libimage DiskUsage,
 * libpod's container and volume usage). The rows are JSON objects; the
 * CLI sums them into the summary and formats both.
 */
#ifndef BERTH_RUNTIME_SYSDF_H
#define BERTH_RUNTIME_SYSDF_H

#include <jansson.h>

#include "util/err.h"

struct runtime;

/* images: one row per repo:tag (an untagged image once, as <none>):
 *   Repository, Tag, ImageID (full), Created (unix s), Size, SharedSize,
 *   UniqueSize, Containers.
 * containers: ContainerID (full), Image (image id), Command, LocalVolumes,
 *   Size (bytes written in its own layer), Created (unix s), Status,
 *   Names, Running (bool).
 * volumes: VolumeName, Links (containers using it), Size. */
struct df_report {
    json_t *images, *containers, *volumes;
};

int rt_df(struct runtime *rt, struct df_report *out, struct berr **err);
void rt_df_free(struct df_report *r);

#endif
