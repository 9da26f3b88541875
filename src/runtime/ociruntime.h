/*
 * runtime/ociruntime.h: the OCI runtime table (SPEC-podman.md §1.6),
 * resolved lazily: only the runtime a command needs is looked up, so `ps`
 * never stats a runtime binary.
 */
#ifndef BERTH_OCIRUNTIME_H
#define BERTH_OCIRUNTIME_H

#include <stdbool.h>

#include "runtime/config.h"
#include "util/err.h"

struct oci_runtime {
    char *name;                 /* as configured or requested ("runc", or a path) */
    char *path;                 /* the binary */
    bool supports_json;         /* basename(name) in runtime_supports_json */
    bool supports_nocgroups;    /* basename(name) in runtime_supports_nocgroups */
};

/* requested NULL or "" means the default runtime: cfg->runtime, or when
 * that is empty oci_runtime_default_name()'s choice.
 * A name is looked up in [engine.runtimes]: its first candidate that is a
 * regular file, else the name in $PATH. An absolute path is its own entry
 * and must exist. Errors (podman's words):
 *   default OCI runtime "X" not found: invalid argument
 *   requested OCI runtime X is not available: invalid argument */
int oci_runtime_resolve(const struct config *cfg, const char *requested,
                        struct oci_runtime **out, struct berr **err);
void oci_runtime_free(struct oci_runtime *r);
/* The default runtime's name: cfg->runtime when set; else, as podman,
 * "crun" where crun can run here and is installed, "runc" otherwise.
 * Looks at the cgroup layout and stats crun's candidates: callers record
 * the answer (create) rather than ask on hot paths; asked again in the
 * same process with the same config, the first answer. */
const char *oci_runtime_default_name(const struct config *cfg);
/* Can crun run on the cgroup layout under cgroup_root (/sys/fs/cgroup)? */
bool oci_crun_can_run(const char *cgroup_root);
/* Is the runtime at path crun? By its file name, as berth knows runtimes. */
bool oci_is_crun(const char *path);

#endif
