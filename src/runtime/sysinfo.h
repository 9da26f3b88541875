/*
 * runtime/sysinfo.h: what `berth info` reports, as JSON in podman's shape.
 */
#ifndef BERTH_SYSINFO_H
#define BERTH_SYSINFO_H

#include <jansson.h>

#include "runtime/runtime.h"

int rt_info(struct runtime *rt, json_t **out, struct berr **err);
/* "v1" or "v2" (unified). */
const char *rt_cgroup_version(void);

#endif
