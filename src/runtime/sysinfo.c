/*
 * runtime/sysinfo.c: host and store facts for `berth info`. This is the
 * one command allowed to exec helpers (conmon/runtime --version): it is
 * not on any hot path.
 */
#include <string.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "runtime/conmon_find.h"
#include "runtime/container.h"
#include "runtime/image_reg_int.h"
#include "runtime/ctrstate.h"
#include "runtime/image.h"
#include "runtime/ociruntime.h"
#include "runtime/pkginfo.h"
#include "runtime/runtime.h"
#include "runtime/sysinfo.h"
#include "storage/store.h"
#include "util/arch.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"

const char *rt_cgroup_version(void)
{
    return access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 ? "v2" : "v1";
}

/* ID, VERSION_ID, VERSION_CODENAME from /etc/os-release. */
static json_t *distribution(void)
{
    _cleanup_free_ char *s = NULL;
    struct berr *e = NULL;
    json_t *d = json_object();
    static const struct { const char *key, *field; } keys[] = {
        /* podman's order */
        { "ID=", "distribution" }, { "VERSION_ID=", "version" }, { "VERSION_CODENAME=", "codename" },
    };

    if (fs_read_file("/etc/os-release", &s, NULL, &e) < 0) {
        berr_free(e);
        return d;
    }
    for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
        for (char *line = s; line && *line;) {
            char *nl = strchr(line, '\n');
            size_t l = nl ? (size_t) (nl - line) : strlen(line);
            if (strncmp(line, keys[k].key, strlen(keys[k].key)) == 0) {
                _cleanup_free_ char *v = str_ndup(line + strlen(keys[k].key), l - strlen(keys[k].key));
                char *p = v;
                if (p && *p == '"') {
                    p++;
                    if (*p && p[strlen(p) - 1] == '"')
                        p[strlen(p) - 1] = '\0';
                }
                js_set_str(d, keys[k].field, p);
            }
            line = nl ? nl + 1 : NULL;
        }
    }
    return d;
}

static json_t *cgroup_controllers(void)
{
    _cleanup_free_ char *s = NULL;
    struct berr *e = NULL;
    json_t *a = json_array();

    if (fs_read_file("/proc/cgroups", &s, NULL, &e) < 0) {
        berr_free(e);
        return a;
    }
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        char name[64];
        int hier, num, enabled;
        if (line[0] == '#' || sscanf(line, "%63s %d %d %d", name, &hier, &num, &enabled) != 4)
            continue;
        if (enabled)
            json_array_append_new(a, json_string(name));
    }
    return a;
}

static char *version_of(const char *path)
{
    char *argv[] = { (char *) path, (char *) "--version", NULL };
    char *out = NULL;
    struct berr *e = NULL;
    int st;

    if (proc_capture(argv, NULL, &out, NULL, &st, &e) < 0) {
        berr_free(e);
        return str_dup("");
    }
    str_trim(out);
    return out;
}

static json_t *conmon_info(struct runtime *rt)
{
    _cleanup_free_ char *path = NULL, *version = NULL, *pkg = NULL;
    struct berr *e = NULL;

    if (conmon_find(rt->cfg, rt->cfg->static_dir, &path, &version, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
        return json_pack("{s:s, s:s, s:s}", "package", "", "path", "", "version", "");
    }
    pkg = pkg_of(path, rt->cfg->static_dir);
    /* podman shows conmon's --version with its first line break as ", "
     * ("conmon version 2.1.6, commit: unknown") */
    _cleanup_free_ char *full = version_of(path);
    _cleanup_sbuf_ struct sbuf sv = SBUF_INIT;
    if (full && *full) {
        size_t l = strcspn(full, "\n");
        sbuf_addn(&sv, full, l);
        if (full[l])
            sbuf_addf(&sv, ", %s", full + l + 1);
    }
    return json_pack("{s:s, s:s, s:s}", "package", pkg ? pkg : "", "path", path,
                     "version", sv.len && !sv.oom ? sbuf_str(&sv) : version);
}

/* host.slirp4netns: the binary --network slirp4netns runs (the
 * network_cmd_path, else $PATH's), its package and --version output. */
static json_t *slirp_info(struct runtime *rt)
{
    const char *cmd = rt->cfg->network_cmd_path;
    _cleanup_free_ char *path = cmd && *cmd ? str_dup(cmd) : fs_which("slirp4netns");
    _cleanup_free_ char *v = NULL, *pkg = NULL;

    if (!path || access(path, X_OK) < 0)
        return json_pack("{s:s, s:s, s:s}", "executable", "", "package", "", "version", "");
    v = version_of(path);
    pkg = pkg_of(path, rt->cfg->static_dir);
    return json_pack("{s:s, s:s, s:s}", "executable", path, "package", pkg ? pkg : "",
                     "version", v ? v : "");
}

static json_t *runtime_info(struct runtime *rt)
{
    struct oci_runtime *o = NULL;
    struct berr *e = NULL;
    _cleanup_free_ char *v = NULL, *pkg = NULL;
    json_t *j;

    if (oci_runtime_resolve(rt->cfg, NULL, &o, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
        return json_pack("{s:s, s:s, s:s, s:s}", "name", "", "package", "", "path", "",
                         "version", "");
    }
    v = version_of(o->path);
    pkg = pkg_of(o->path, rt->cfg->static_dir);
    j = json_pack("{s:s, s:s, s:s, s:s}", "name", o->name, "package", pkg ? pkg : "",
                  "path", o->path, "version", v ? v : "");
    oci_runtime_free(o);
    return j;
}

static json_t *container_store(struct runtime *rt)
{
    _cleanup_strv_ char **ids = NULL;
    struct berr *e = NULL;
    long long total = 0, running = 0, paused = 0, stopped = 0;

    if (state_list(rt->st, OBJ_CONTAINER, &ids, &e) < 0) {
        berr_free(e);
        ids = NULL;
    }
    for (size_t i = 0; ids && ids[i]; i++) {
        struct ctr_runstate st;
        total++;
        if (ctr_read(rt, ids[i], NULL, &st, &e) < 0) {
            berr_free(e);
            e = NULL;
            continue;
        }
        switch (st.state) {
        case CS_RUNNING: running++; break;
        case CS_PAUSED: paused++; break;
        default: stopped++; break;
        }
        ctr_runstate_free(&st);
    }
    return json_pack("{s:I, s:I, s:I, s:I}", "number", total, "paused", paused, "running",
                     running, "stopped", stopped);
}

/* As podman's apparmor.IsEnabled: the module says Y (berth does not
 * apply AppArmor profiles; podman shows the host's state). */
static bool apparmor_enabled(void)
{
    char buf[4] = "";
    FILE *f = fopen("/sys/module/apparmor/parameters/enabled", "re");

    if (!f)
        return false;
    if (!fgets(buf, sizeof(buf), f))
        buf[0] = '\0';
    fclose(f);
    return buf[0] == 'Y';
}

/* podman's getCPUUtilization: user, system and idle time since boot
 * (/proc/stat's first line, columns 1, 3 and 4) as percents of their
 * sum, rounded to two decimals. */
static double pct2(double part, double total)
{
    return (double) (long long) (10000 * part / total + 0.5) / 100;     /* Go's math.Round */
}

static json_t *cpu_utilization(void)
{
    double user = 0, nice = 0, sys = 0, idle = 0, total;
    FILE *f = fopen("/proc/stat", "re");

    if (f) {
        if (fscanf(f, "cpu %lf %lf %lf %lf", &user, &nice, &sys, &idle) != 4)
            user = sys = idle = 0;
        fclose(f);
    }
    total = user + sys + idle;
    if (total <= 0)
        total = 1;
    return json_pack("{s:f, s:f, s:f}", "userPercent", pct2(user, total),
                     "systemPercent", pct2(sys, total), "idlePercent", pct2(idle, total));
}

static json_t *host_info(struct runtime *rt)
{
    struct config *c = rt->cfg;
    struct utsname u;
    struct sysinfo si;
    char host[256] = "";
    char up[96];
    _cleanup_free_ char *caps = strv_join(c->default_capabilities, ",");

    uname(&u);
    sysinfo(&si);
    gethostname(host, sizeof(host) - 1);
    /* podman's, with its "(Approximately N days)" once an hour is up */
    if (si.uptime >= 3600)
        snprintf(up, sizeof(up), "%ldh %ldm %ld.00s (Approximately %.2f days)", si.uptime / 3600,
                 (si.uptime / 60) % 60, si.uptime % 60, (double) (si.uptime / 3600) / 24.0);
    else
        snprintf(up, sizeof(up), "%ldh %ldm %ld.00s", si.uptime / 3600, (si.uptime / 60) % 60,
                 si.uptime % 60);
    /* podman's order (its struct's); berth's own configFiles last. No
     * remoteSocket: berth has no API service. */
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:s, s:s, s:{s:n, s:n},"
                     " s:s, s:s, s:I, s:I, s:s, s:o, s:s, s:b,"
                     " s:{s:b, s:s, s:b, s:b, s:s, s:b}, s:o, s:I, s:I, s:s, s:s, s:o}",
                     "arch", arch_go(),
                     /* berth builds no images: no buildah in it */
                     "buildahVersion", "",
                     "cgroupManager", c->cgroup_manager,
                     "cgroupVersion", rt_cgroup_version(),
                     "cgroupControllers", cgroup_controllers(),
                     "conmon", conmon_info(rt),
                     "cpus", (json_int_t) sysconf(_SC_NPROCESSORS_ONLN),
                     "cpuUtilization", cpu_utilization(),
                     "distribution", distribution(),
                     "eventLogger", c->events_logger,
                     "hostname", host,
                     /* root: no mappings (podman's nil slices) */
                     "idMappings", "gidmap", "uidmap",
                     "kernel", u.release,
                     "logDriver", c->log_driver,
                     "memFree", (json_int_t) si.freeram * si.mem_unit,
                     "memTotal", (json_int_t) si.totalram * si.mem_unit,
                     "networkBackend", c->network_backend,
                     "ociRuntime", runtime_info(rt),
                     "os", "linux",
                     /* berth has no API service: nothing is remote */
                     "serviceIsRemote", false,
                     "security", "apparmorEnabled", apparmor_enabled(),
                     "capabilities", caps ? caps : "",
                     "rootless", geteuid() != 0, "seccompEnabled", true,
                     "seccompProfilePath", c->seccomp_profile ? c->seccomp_profile : "",
                     "selinuxEnabled", access("/sys/fs/selinux/enforce", F_OK) == 0,
                     "slirp4netns", slirp_info(rt),
                     "swapFree", (json_int_t) si.freeswap * si.mem_unit,
                     "swapTotal", (json_int_t) si.totalswap * si.mem_unit,
                     "uptime", up,
                     /* a C binary linked to its libraries, as podman's "dynamic" */
                     "linkmode", "dynamic",
                     "configFiles", js_strv(c->files));
}

/* store.graphOptions: the driver options as "key": "value", and a
 * mount_program as podman shows it (its path, package and version). */
static json_t *graph_options(struct runtime *rt)
{
    json_t *o = json_object();

    for (char **p = rt->cfg->graph_driver_options; o && p && *p; p++) {
        _cleanup_free_ char *k = str_dup(*p);
        char *eq = k ? strchr(k, '=') : NULL;
        const char *v = eq ? eq + 1 : "";
        json_t *val;

        if (eq)
            *eq = '\0';
        if (k && str_has_suffix(k, "mount_program")) {
            _cleanup_free_ char *ver = version_of(v), *pkg = pkg_of(v, rt->cfg->static_dir);
            val = json_pack("{s:s, s:s, s:s}", "Executable", v, "Package", pkg ? pkg : "",
                            "Version", ver ? ver : "");
        } else {
            val = json_string(v);
        }
        if (!k || json_object_set_new(o, k, val) < 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* The store, in podman's order: the driver's status and options, the
 * image count, the file that configured it (berth's storage settings are
 * the [storage] table of its config files: the last file read wins), the
 * graph root's file system size and use; then berth's own staticDir and
 * tmpDir. Image copies are staged in the store's tmp/. */
static int store_info(struct runtime *rt, json_t **out, struct berr **err)
{
    struct config *c = rt->cfg;
    struct store *s;
    struct img **imgs = NULL;
    size_t n = 0, nfiles = c->files ? strv_len(c->files) : 0;
    json_t *status = NULL;
    struct statfs sf;
    uint64_t total = 0, used = 0;
    _cleanup_free_ char *copy_tmp = str_fmt("%s/tmp", c->graph_root);

    if (rt_store(rt, &s, err) < 0 || store_driver_status(s, &status, err) < 0)
        return -1;
    if (img_list(rt, &imgs, &n, err) < 0) {
        json_decref(status);
        return -1;
    }
    img_list_free(imgs, n);
    /* podman: the graph root's file system, size and used bytes */
    if (statfs(c->graph_root, &sf) == 0) {
        total = sf.f_blocks * (uint64_t) sf.f_bsize;
        used = (sf.f_blocks - sf.f_bfree) * (uint64_t) sf.f_bsize;
    }
    *out = json_pack("{s:s, s:o, s:s, s:o, s:s, s:I, s:I, s:o, s:s, s:{s:I}, s:s, s:s, s:s, s:s}",
                     "configFile", nfiles ? c->files[nfiles - 1] : "",
                     "containerStore", container_store(rt),
                     "graphDriverName", c->graph_driver ? c->graph_driver : "",
                     "graphOptions", graph_options(rt),
                     "graphRoot", c->graph_root,
                     "graphRootAllocated", (json_int_t) total, "graphRootUsed", (json_int_t) used,
                     "graphStatus", status,
                     "imageCopyTmpDir", copy_tmp ? copy_tmp : "",
                     "imageStore", "number", (json_int_t) n,
                     "runRoot", c->run_root, "volumePath", c->volume_path,
                     "staticDir", c->static_dir, "tmpDir", c->tmp_dir);
    return *out ? 0 : berr_oom(err);
}

const char rt_built_time[] = __DATE__ " " __TIME__;

json_t *rt_version_info(void)
{
    char osarch[32];

    snprintf(osarch, sizeof(osarch), "linux/%s", arch_go());
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "APIVersion", BERTH_VERSION,
                     "Version", BERTH_VERSION, "CVersion", __VERSION__, "GitCommit", "",
                     "BuiltTime", rt_built_time, "Compiler", "gcc",
                     "Built", (json_int_t) 0, "OsArch", osarch, "Os", "linux");
}

int rt_info(struct runtime *rt, json_t **out, struct berr **err)
{
    json_t *store = NULL, *info;
    struct regconf *rc = NULL;
    struct berr *e = NULL;

    if (store_info(rt, &store, err) < 0)
        return -1;
    /* podman's order: host, store, registries, plugins, version */
    info = json_pack("{s:o, s:o, s:{}, s:{s:[s], s:[s], s:[s,s,s,s], s:n}, s:o}",
                     "host", host_info(rt), "store", store, "registries",
                     /* the log drivers berth has, journald too (as podman
                      * built with systemd) */
                     "plugins", "volume", "local", "network", "bridge",
                     "log", "k8s-file", "none", "passthrough", "journald", "authorization",
                     "version", rt_version_info());
    if (!info)
        return berr_oom(err);
    /* registries: the unqualified-search registries, as podman shows them */
    if (img_regconf(&rc, &e) == 0) {
        char *const *regs = regconf_search_registries(rc);
        if (regs[0] &&
            json_object_set_new(json_object_get(info, "registries"), "search", js_strv(regs)) < 0) {
            regconf_free(rc);
            json_decref(info);
            return berr_oom(err);
        }
        regconf_free(rc);
    } else {
        log_warn("registries: %s", e->msg);
    }
    berr_free(e);
    *out = info;
    return 0;
}
