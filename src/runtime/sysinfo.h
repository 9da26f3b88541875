/*
 * runtime/sysinfo.h: what `berth info` reports, as JSON in podman's shape.
 */
#ifndef BERTH_SYSINFO_H
#define BERTH_SYSINFO_H

#include <jansson.h>

#include "runtime/runtime.h"

int rt_info(struct runtime *rt, json_t **out, struct berr **err);
/* The version object of info and of `version`'s Client, podman's keys in
 * podman's order; berth is C: CVersion and Compiler where podman's binary
 * has GoVersion. NULL when out of memory. */
json_t *rt_version_info(void);
/* When this binary was built (__DATE__ __TIME__ of one file, so that
 * version's text and its JSON and info agree). */
extern const char rt_built_time[];
/* "v1" or "v2" (unified). */
const char *rt_cgroup_version(void);

#endif
