/*
 * runtime/ociruntime.c: from a runtime name (or path) to its binary.
 *
 * podman builds every [engine.runtimes] entry at startup, stat'ing each
 * candidate of each runtime. We resolve one name when a command needs a
 * runtime, and nothing at all for `ps`, `inspect` and friends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/ociruntime.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/str.h"

static const struct cfg_runtime *table_get(const struct config *cfg, const char *name);
static int find_binary(const struct cfg_runtime *rt, char **path, struct berr **err);

/* crun runs on a cgroup v2 host, on a pure v1 host, and on a hybrid host
 * whose cgroup2 mount (/sys/fs/cgroup/unified) has no controller; it
 * refuses a hybrid host whose v2 mount holds one ("cgroups in hybrid mode
 * not supported, drop all controllers from cgroupv2"). */
bool oci_crun_can_run(const char *cgroup_root)
{
    _cleanup_free_ char *v2 = str_fmt("%s/cgroup.controllers", cgroup_root);
    _cleanup_free_ char *hy = str_fmt("%s/unified/cgroup.controllers", cgroup_root);
    _cleanup_close_ int fd = -1;
    char c;

    if (!v2 || !hy)
        return false;
    if (access(v2, F_OK) == 0)
        return true;
    fd = open(hy, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT;         /* no cgroup2 mount: plain v1 */
    /* the file is empty without a controller; any byte names one */
    return read(fd, &c, 1) == 0;
}

bool oci_is_crun(const char *path)
{
    const char *base = path ? strrchr(path, '/') : NULL;

    return base && strcmp(base + 1, "crun") == 0;
}

const char *oci_runtime_default_name(const struct config *cfg)
{
    /* decided once per process and config: create asks while it settles
     * the cgroups and again for the record (the cgroup probe and crun's
     * search cost system calls each time) */
    static const struct config *seen;
    static const char *decided;
    const struct cfg_runtime *crun;
    _cleanup_free_ char *path = NULL;
    struct berr *e = NULL;

    if (cfg->runtime && *cfg->runtime)
        return cfg->runtime;
    if (seen == cfg && decided)
        return decided;
    /* as podman, crun first; runc where crun cannot run or is missing */
    if (!oci_crun_can_run("/sys/fs/cgroup") || !(crun = table_get(cfg, "crun"))) {
        decided = "runc";
    } else {
        if (find_binary(crun, &path, &e) < 0)
            berr_free(e);
        decided = path ? "crun" : "runc";
    }
    seen = cfg;
    return decided;
}

void oci_runtime_free(struct oci_runtime *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->path);
    free(r);
}

static const struct cfg_runtime *table_get(const struct config *cfg, const char *name)
{
    for (int i = 0; i < cfg->n_runtimes; i++)
        if (!strcmp(cfg->runtimes[i].name, name))
            return &cfg->runtimes[i];
    return NULL;
}

/* 1: a regular file; 0: absent (or not a regular file); -1: stat failed
 * otherwise (a real error, like podman). */
static int regular_file(const char *path, struct berr **err)
{
    struct stat st;

    if (stat(path, &st) < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        return berr_sys(err, "cannot stat OCI runtime %s", path);
    }
    return S_ISREG(st.st_mode) ? 1 : 0;
}

/* The binary of a named runtime: its first existing candidate, else the
 * name in $PATH; *path stays NULL when there is none. */
static int find_binary(const struct cfg_runtime *rt, char **path, struct berr **err)
{
    for (size_t i = 0; rt->paths && rt->paths[i]; i++) {
        int r = regular_file(rt->paths[i], err);

        if (r < 0)
            return -1;
        if (r) {
            *path = str_dup(rt->paths[i]);
            return *path ? 0 : berr_oom(err);
        }
    }
    *path = fs_which(rt->name);
    if (!*path)
        log_debug("Configured OCI runtime %s initialization failed: no valid executable "
                  "found for OCI runtime %s: invalid argument", rt->name, rt->name);
    return 0;
}

static int not_found(bool dflt, const char *name, struct berr **err)
{
    if (dflt)
        return berr_kind(err, BK_INVALID, "default OCI runtime \"%s\" not found", name);
    return berr_kind(err, BK_INVALID, "requested OCI runtime %s is not available", name);
}

int oci_runtime_resolve(const struct config *cfg, const char *requested,
                        struct oci_runtime **out, struct berr **err)
{
    bool dflt = !requested || !*requested;
    const char *name = !dflt ? requested : oci_runtime_default_name(cfg);
    _cleanup_free_ char *path = NULL;
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    struct oci_runtime *r;

    if (name[0] == '/') {
        int f = regular_file(name, err);

        if (f < 0)
            return -1;
        if (!f)
            return not_found(dflt, name, err);
        path = str_dup(name);
        if (!path)
            return berr_oom(err);
    } else {
        const struct cfg_runtime *rt = table_get(cfg, name);

        if (!rt)
            return not_found(dflt, name, err);
        if (find_binary(rt, &path, err) < 0)
            return -1;
        if (!path)
            return not_found(dflt, name, err);
    }
    r = calloc(1, sizeof(*r));
    if (!r || !(r->name = str_dup(name))) {
        free(r);
        return berr_oom(err);
    }
    r->path = STEAL_PTR(path);
    r->supports_json = strv_contains(cfg->runtime_supports_json, base);
    r->supports_nocgroups = strv_contains(cfg->runtime_supports_nocgroups, base);
    log_debug("Using OCI runtime \"%s\"", r->path);
    *out = r;
    return 0;
}
