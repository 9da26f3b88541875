/*
 * util/yaml.h: prints JSON as YAML, the way podman prints `info`
 * (block style, two-space indent, lists as "- x", strings quoted only
 * when YAML would read them as something else, multi-line strings as |-).
 */
#ifndef BERTH_YAML_H
#define BERTH_YAML_H

#include <jansson.h>

#include "util/str.h"

int yaml_render(json_t *v, struct sbuf *out);

#endif
