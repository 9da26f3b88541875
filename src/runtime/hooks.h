/*
 * runtime/hooks.h: OCI hooks from hook JSON files (podman's oci-hooks(5),
 * schema 1.0.0), added to a container's config.json at each start.
 *
 * Every *.json file of the directories (the config's hooks_dir, or the
 * global --hooks-dir flags) is read; a file name in a later directory masks
 * the same name in an earlier one. Files are taken in the order of their
 * lower-cased names. A hook applies when all the conditions its "when"
 * sets hold: always true; every annotations key/value regex pair matching
 * an annotation; a commands regex matching process.args[0]; hasBindMounts
 * true and the container has bind mounts. Its "hook" object (path, args,
 * env, timeout) is appended to spec.hooks.<stage> for each of its stages
 * (prestart, createRuntime, createContainer, startContainer, poststart,
 * poststop); a "when" without conditions never matches. A missing
 * directory is skipped; a bad file is an error naming it.
 */
#ifndef BERTH_HOOKS_H
#define BERTH_HOOKS_H

#include <jansson.h>
#include <stdbool.h>

#include "util/err.h"

int hooks_apply(char *const *dirs, json_t *spec, bool has_bind_mounts, struct berr **err);

#endif
