/*
 * runtime/config_defaults.c: the built-in defaults (SPEC-podman.md §1.1,
 * with berth's own paths and network), the global flags applied on top,
 * and the final normalisation and validation.
 *
 * Root:     graph root /var/lib/berth/storage, run root /run/berth/storage,
 *           tmp dir /run/berth/libpod, networks in /etc/berth/networks.
 * Rootless: $XDG_DATA_HOME (or ~/.local/share)/berth/storage,
 *           $XDG_RUNTIME_DIR (or /run/user/UID, else /tmp/berth-run-UID)
 *           /berth/{storage,libpod}, $XDG_CONFIG_HOME (or ~/.config)/berth/networks.
 * Static dir and volume path follow the graph root (<root>/libpod,
 * <root>/volumes) unless configured.
 */
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/config_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/str.h"

#define STD_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *const default_caps[] = {
    "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_MKNOD", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP",
    "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT", NULL,
};

static const char *const conmon_paths[] = {
    "/usr/libexec/podman/conmon", "/usr/local/libexec/podman/conmon",
    "/usr/local/lib/podman/conmon", "/usr/bin/conmon", "/usr/sbin/conmon",
    "/usr/local/bin/conmon", "/usr/local/sbin/conmon", "/run/current-system/sw/bin/conmon",
    NULL,
};

/* [engine.runtimes]: podman's candidate paths, in podman's order. */
static const struct { const char *name; const char *const paths[10]; } default_runtimes[] = {
    { "crun", { "/usr/bin/crun", "/usr/sbin/crun", "/usr/local/bin/crun",
                "/usr/local/sbin/crun", "/sbin/crun", "/bin/crun",
                "/run/current-system/sw/bin/crun", NULL } },
    { "runc", { "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc",
                "/usr/local/sbin/runc", "/sbin/runc", "/bin/runc",
                "/usr/lib/cri-o-runc/sbin/runc", "/run/current-system/sw/bin/runc", NULL } },
    { "runj", { "/usr/local/bin/runj", NULL } },
    { "kata", { "/usr/bin/kata-runtime", "/usr/sbin/kata-runtime",
                "/usr/local/bin/kata-runtime", "/usr/local/sbin/kata-runtime",
                "/sbin/kata-runtime", "/bin/kata-runtime", "/usr/bin/kata-qemu",
                "/usr/bin/kata-fc", NULL } },
    { "runsc", { "/usr/bin/runsc", "/usr/sbin/runsc", "/usr/local/bin/runsc",
                 "/usr/local/sbin/runsc", "/bin/runsc", "/sbin/runsc",
                 "/run/current-system/sw/bin/runsc", NULL } },
    { "krun", { "/usr/bin/krun", "/usr/local/bin/krun", NULL } },
};

static const char *const supports_json[] = { "crun", "runc", "kata", "runsc", "krun", NULL };
static const char *const supports_nocgroups[] = { "crun", "krun", NULL };
static const char *const cni_dirs[] = {
    "/usr/local/libexec/cni", "/usr/libexec/cni", "/usr/local/lib/cni", "/usr/lib/cni",
    "/opt/cni/bin", NULL,
};
static const char *const netavark_dirs[] = {
    "/usr/local/libexec/netavark", "/usr/libexec/netavark", "/usr/local/lib/netavark",
    "/usr/lib/netavark", NULL,
};
static const char *const hooks_dirs[] = { "/usr/share/containers/oci/hooks.d", NULL };
static const char *const default_env[] = { STD_PATH, "TERM=xterm", NULL };
static const char *const conmon_env[] = { STD_PATH, NULL };
static const char *const none[] = { NULL };

/* ---- small setters -------------------------------------------------------- */

int cfg_set_str(char **dst, const char *v, struct berr **err)
{
    char *s = str_dup(v ? v : "");

    if (!s)
        return berr_oom(err);
    free(*dst);
    *dst = s;
    return 0;
}

int cfg_set_strv(char ***dst, char *const *v, struct berr **err)
{
    char **n = v ? strv_copy(v) : calloc(1, sizeof(char *));

    if (!n)
        return berr_oom(err);
    strv_free(*dst);
    *dst = n;
    return 0;
}

static int set_list(char ***dst, const char *const *v, struct berr **err)
{
    return cfg_set_strv(dst, (char *const *) v, err);
}

int cfg_set_runtime(struct config *c, const char *name, char *const *paths,
                    struct berr **err)
{
    struct cfg_runtime *r;

    for (int i = 0; i < c->n_runtimes; i++)
        if (!strcmp(c->runtimes[i].name, name))
            return cfg_set_strv(&c->runtimes[i].paths, paths, err);
    r = realloc(c->runtimes, sizeof(*r) * (size_t) (c->n_runtimes + 1));
    if (!r)
        return berr_oom(err);
    c->runtimes = r;
    r = &c->runtimes[c->n_runtimes];
    r->name = str_dup(name);
    r->paths = NULL;
    if (!r->name)
        return berr_oom(err);
    c->n_runtimes++;    /* counted first: config_free() frees a half-made entry */
    return cfg_set_strv(&r->paths, paths, err);
}

/* ---- the host ------------------------------------------------------------- */

static bool pid1_is_systemd(void)
{
    _cleanup_fclose_ FILE *f = fopen("/proc/1/comm", "re");
    char buf[32] = "";

    return f && fgets(buf, sizeof(buf), f) && !strcmp(buf, "systemd\n");
}

static bool cgroup2_unified(void)
{
    return access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
}

static char *home_dir(void)
{
    const char *h = getenv("HOME");
    struct passwd pw, *res = NULL;
    char buf[4096];

    if (h && *h)
        return str_dup(h);
    if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
        return str_dup(res->pw_dir);
    return str_dup("/");
}

/* $VAR if set and absolute, else $HOME/fallback. */
static char *xdg_dir(const char *var, const char *fallback)
{
    const char *v = getenv(var);
    _cleanup_free_ char *home = NULL;

    if (v && v[0] == '/')
        return str_dup(v);
    home = home_dir();
    return home ? fs_join(home, fallback) : NULL;
}

static char *runtime_dir(void)
{
    const char *v = getenv("XDG_RUNTIME_DIR");
    char *d;

    if (v && v[0] == '/')
        return str_dup(v);
    d = str_fmt("/run/user/%u", (unsigned) geteuid());
    if (d && fs_is_dir(d))
        return d;
    free(d);
    return str_fmt("/tmp/berth-run-%u", (unsigned) geteuid());
}

static int set_rootless_paths(struct config *c, struct berr **err)
{
    _cleanup_free_ char *data = xdg_dir("XDG_DATA_HOME", ".local/share");
    _cleanup_free_ char *conf = xdg_dir("XDG_CONFIG_HOME", ".config");
    _cleanup_free_ char *run = runtime_dir();

    if (!data || !conf || !run)
        return berr_oom(err);
    /* the fallback in /tmp: anyone could have made it first, and exit
     * files, sockets and commands are kept under it */
    if (!getenv("XDG_RUNTIME_DIR") && str_has_prefix(run, "/tmp/")) {
        struct stat sb;
        if (mkdir(run, 0700) < 0 && errno != EEXIST)
            return berr_sys(err, "create %s", run);
        if (lstat(run, &sb) < 0)
            return berr_sys(err, "%s", run);
        if (!fs_stat_ours(&sb, S_IFDIR, 077))
            return berr_new(err, BERR_ENGINE, EPERM,
                            "%s is not a directory of the current user's that only it can use: "
                            "set XDG_RUNTIME_DIR", run);
    }
    free(c->graph_root);
    free(c->run_root);
    free(c->tmp_dir);
    free(c->network_config_dir);
    c->graph_root = str_fmt("%s/berth/storage", data);
    c->run_root = str_fmt("%s/berth/storage", run);
    c->tmp_dir = str_fmt("%s/berth/libpod", run);
    c->network_config_dir = str_fmt("%s/berth/networks", conf);
    if (!c->graph_root || !c->run_root || !c->tmp_dir || !c->network_config_dir)
        return berr_oom(err);
    return 0;
}

/* ---- defaults ------------------------------------------------------------- */

static int default_lists(struct config *c, struct berr **err)
{
    if (set_list(&c->default_capabilities, default_caps, err) < 0 ||
        set_list(&c->env, default_env, err) < 0 ||
        /* berth clamps rlimits to the hard limits anyway: none by default */
        set_list(&c->default_ulimits, none, err) < 0 ||
        set_list(&c->default_sysctls, none, err) < 0 || set_list(&c->devices, none, err) < 0 ||
        set_list(&c->dns_servers, none, err) < 0 || set_list(&c->dns_searches, none, err) < 0 ||
        set_list(&c->dns_options, none, err) < 0 || set_list(&c->annotations, none, err) < 0 ||
        set_list(&c->conmon_path, conmon_paths, err) < 0 ||
        set_list(&c->conmon_env_vars, conmon_env, err) < 0 ||
        set_list(&c->runtime_supports_json, supports_json, err) < 0 ||
        set_list(&c->runtime_supports_nocgroups, supports_nocgroups, err) < 0 ||
        set_list(&c->runtime_flags, none, err) < 0 || set_list(&c->hooks_dir, hooks_dirs, err) < 0 ||
        set_list(&c->engine_env, none, err) < 0 ||
        set_list(&c->cni_plugin_dirs, cni_dirs, err) < 0 ||
        set_list(&c->netavark_plugin_dirs, netavark_dirs, err) < 0 ||
        set_list(&c->graph_driver_options, none, err) < 0 || set_list(&c->files, none, err) < 0)
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(default_runtimes); i++)
        if (cfg_set_runtime(c, default_runtimes[i].name,
                            (char *const *) default_runtimes[i].paths, err) < 0)
            return -1;
    return 0;
}

int cfg_defaults(struct config *c, struct berr **err)
{
    bool rootless = geteuid() != 0;
    const struct { char **dst; const char *v; } strs[] = {
        { &c->init_path, "/usr/libexec/podman/catatonit" },
        { &c->log_driver, "k8s-file" },
        { &c->shm_size, "65536k" },
        { &c->umask, "0022" },
        { &c->seccomp_profile, "" },
        { &c->base_hosts_file, "" },
        { &c->host_containers_internal_ip, "" },
        { &c->tz, "" },
        { &c->cgroupns, cgroup2_unified() ? "private" : "host" },
        { &c->ipcns, "shareable" },
        { &c->pidns, "private" },
        { &c->utsns, "private" },
        { &c->netns, "private" },
        { &c->userns, "host" },
        { &c->cgroups, "enabled" },
        { &c->cgroup_manager, pid1_is_systemd() && !(rootless && !cgroup2_unified())
                              ? "systemd" : "cgroupfs" },
        { &c->events_logger, "file" },
        { &c->events_logfile_path, "" },
        { &c->runtime, "" },
        { &c->tmp_dir, "/run/berth/libpod" },
        { &c->namespace, "" },
        { &c->detach_keys, "ctrl-p,ctrl-q" },
        { &c->infra_image, "" },
        { &c->image_volume_mode, "bind" },
        { &c->network_backend, "netavark" },
        { &c->default_network, "berth" },
        { &c->default_subnet, "10.87.0.0/16" },
        { &c->network_config_dir, "/etc/berth/networks" },
        { &c->network_cmd_path, "" },
        { &c->graph_driver, "" },
        { &c->graph_root, "/var/lib/berth/storage" },
        { &c->run_root, "/run/berth/storage" },
        { &c->log_level, "" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        if (cfg_set_str(strs[i].dst, strs[i].v, err) < 0)
            return -1;
    c->http_proxy = true;
    c->log_size_max = -1;
    c->pids_limit = rootless ? 0 : 2048;
    c->events_logfile_max_size = 1000000;
    c->stop_timeout = 10;
    c->enable_port_reservation = true;
    c->num_locks = 2048;
    if (default_lists(c, err) < 0)
        return -1;
    return rootless ? set_rootless_paths(c, err) : 0;
}

int cfg_derive(struct config *c, struct berr **err)
{
    if (!cfg_is_set(c, CF_STATIC_DIR)) {
        free(c->static_dir);
        c->static_dir = fs_join(c->graph_root, "libpod");
    }
    if (!cfg_is_set(c, CF_VOLUME_PATH)) {
        free(c->volume_path);
        c->volume_path = fs_join(c->graph_root, "volumes");
    }
    return c->static_dir && c->volume_path ? 0 : berr_oom(err);
}

/* ---- flags ---------------------------------------------------------------- */

static int flag_str(struct config *c, const char *v, char **dst, int bit, struct berr **err)
{
    if (!v)
        return 0;
    if (cfg_set_str(dst, v, err) < 0)
        return -1;
    if (bit >= 0)
        cfg_mark(c, (enum cfg_field) bit);
    return 0;
}

int cfg_apply_flags(struct config *c, const struct gopts *g, struct berr **err)
{
    const char *netdir = g->network_config_dir ? g->network_config_dir : g->cni_config_dir;

    /* --root moves the state and the volumes with it, like podman's
     * WithStorageConfig: a test's --root never touches the host's state. */
    if (g->root) {
        _cleanup_free_ char *sd = fs_join(g->root, "libpod");
        _cleanup_free_ char *vp = fs_join(g->root, "volumes");

        if (!sd || !vp)
            return berr_oom(err);
        if (flag_str(c, g->root, &c->graph_root, CF_GRAPH_ROOT, err) < 0 ||
            flag_str(c, sd, &c->static_dir, CF_STATIC_DIR, err) < 0 ||
            flag_str(c, vp, &c->volume_path, CF_VOLUME_PATH, err) < 0)
            return -1;
    }
    if (flag_str(c, g->runroot, &c->run_root, CF_RUN_ROOT, err) < 0 ||
        flag_str(c, g->tmpdir, &c->tmp_dir, CF_TMP_DIR, err) < 0 ||
        flag_str(c, g->volumepath, &c->volume_path, CF_VOLUME_PATH, err) < 0 ||
        flag_str(c, g->runtime, &c->runtime, CF_RUNTIME, err) < 0 ||
        flag_str(c, g->cgroup_manager, &c->cgroup_manager, CF_CGROUP_MANAGER, err) < 0 ||
        flag_str(c, g->storage_driver, &c->graph_driver, CF_GRAPH_DRIVER, err) < 0 ||
        flag_str(c, g->events_backend, &c->events_logger, CF_EVENTS_LOGGER, err) < 0 ||
        flag_str(c, g->ns, &c->namespace, -1, err) < 0 ||
        flag_str(c, netdir, &c->network_config_dir, CF_NETWORK_CONFIG_DIR, err) < 0 ||
        flag_str(c, g->network_backend, &c->network_backend, CF_NETWORK_BACKEND, err) < 0 ||
        flag_str(c, g->network_cmd_path, &c->network_cmd_path, -1, err) < 0 ||
        flag_str(c, g->log_level, &c->log_level, -1, err) < 0)
        return -1;
    if (g->conmon) {
        char *one[] = { g->conmon, NULL };

        if (cfg_set_strv(&c->conmon_path, one, err) < 0)
            return -1;
        cfg_mark(c, CF_CONMON_PATH);
    }
    if (g->storage_opts && cfg_set_strv(&c->graph_driver_options, g->storage_opts, err) < 0)
        return -1;
    if (g->runtime_flags && cfg_set_strv(&c->runtime_flags, g->runtime_flags, err) < 0)
        return -1;
    if (g->hooks_dirs && cfg_set_strv(&c->hooks_dir, g->hooks_dirs, err) < 0)
        return -1;
    c->syslog = g->syslog;
    return 0;
}

/* ---- validation ----------------------------------------------------------- */

static int normalise_caps(struct config *c, struct berr **err)
{
    for (size_t i = 0; c->default_capabilities[i]; i++) {
        char *cap = c->default_capabilities[i];

        for (char *s = cap; *s; s++)
            *s = (char) toupper((unsigned char) *s);
        if (!str_has_prefix(cap, "CAP_")) {
            char *n = str_fmt("CAP_%s", cap);

            if (!n)
                return berr_oom(err);
            free(cap);
            c->default_capabilities[i] = n;
        }
    }
    return 0;
}

static int check_abs(const char *what, const char *path, struct berr **err)
{
    if (!path || path[0] != '/')
        return berr_msg(err, "%s must be an absolute path - instead got \"%s\"", what,
                        path ? path : "");
    return 0;
}

/* "1024", "64k", "1m", "2g" (optionally followed by "b"), as shm_size. */
static bool valid_size(const char *s)
{
    char *end;

    errno = 0;
    if (!isdigit((unsigned char) *s) || (strtoull(s, &end, 10), errno))
        return false;
    if (*end && strchr("bkmgBKMG", *end))
        end++;
    if (*end == 'b' || *end == 'B')
        end++;
    return *end == '\0';
}

static bool valid_umask(const char *s)
{
    char *end;
    unsigned long v;

    if (!*s)
        return false;
    v = strtoul(s, &end, 8);
    return *end == '\0' && v <= 0777;
}

/* "name=soft[:hard]"; -1 is unlimited. The name is checked by the code
 * that applies it; here only the shape. */
static bool valid_ulimit(const char *s)
{
    const char *eq = strchr(s, '=');
    char *end;

    if (!eq || eq == s)
        return false;
    for (const char *p = eq + 1;; p = end + 1) {
        errno = 0;
        (void) strtoll(p, &end, 10);
        if (end == p || errno)
            return false;
        if (*end == '\0')
            return true;
        if (*end != ':' || p != eq + 1)
            return false;
    }
}

static int check_values(struct config *c, struct berr **err)
{
    if (c->log_size_max >= 0 && c->log_size_max < 8192)
        return berr_msg(err, "log size max should be negative or above 8192 (got %lld)",
                        c->log_size_max);
    if (!valid_umask(c->umask))
        return berr_msg(err, "invalid umask \"%s\": an octal value up to 0777", c->umask);
    if (strcmp(c->image_volume_mode, "bind") && strcmp(c->image_volume_mode, "tmpfs") &&
        strcmp(c->image_volume_mode, "ignore"))
        return berr_msg(err, "invalid image volume mode \"%s\" required value: bind, tmpfs, "
                        "ignore", c->image_volume_mode);
    if (!valid_size(c->shm_size))
        return berr_msg(err, "invalid shm_size \"%s\": a size like 65536k", c->shm_size);
    for (size_t i = 0; c->default_ulimits[i]; i++)
        if (!valid_ulimit(c->default_ulimits[i]))
            return berr_msg(err, "invalid ulimit \"%s\": want type=soft[:hard]",
                            c->default_ulimits[i]);
    if (strcmp(c->cgroup_manager, "cgroupfs") && strcmp(c->cgroup_manager, "systemd"))
        return berr_kind(err, BK_INVALID, "cgroup manager must be one of systemd and "
                         "cgroupfs, not \"%s\"", c->cgroup_manager);
    if (!strcmp(c->cgroup_manager, "systemd") && !pid1_is_systemd())
        return berr_kind(err, BK_INVALID, "the systemd cgroup manager needs systemd as PID 1 "
                         "(use --cgroup-manager cgroupfs)");
    if (strcmp(c->events_logger, "file") && strcmp(c->events_logger, "none") &&
        strcmp(c->events_logger, "journald"))
        return berr_kind(err, BK_INVALID, "invalid events backend \"%s\" (use \"file\", "
                         "\"journald\" or \"none\")", c->events_logger);
    if (strcmp(c->network_backend, "netavark") && strcmp(c->network_backend, "cni"))
        return berr_kind(err, BK_INVALID, "unsupported network backend \"%s\" (use "
                         "\"netavark\" or \"cni\")", c->network_backend);
    if (strcmp(c->graph_driver, "") && strcmp(c->graph_driver, "overlay") &&
        strcmp(c->graph_driver, "vfs"))
        return berr_kind(err, BK_INVALID, "unsupported storage driver \"%s\" (use "
                         "\"overlay\" or \"vfs\")", c->graph_driver);
    return 0;
}

/* podman rejects a --runroot longer than 50 characters (a socket path
 * limit of its own); berth does not, its sockets live elsewhere. */
int cfg_validate(struct config *c, struct berr **err)
{
    if (normalise_caps(c, err) < 0)
        return -1;
    if (check_abs("graph root", c->graph_root, err) < 0 ||
        check_abs("run root", c->run_root, err) < 0 ||
        check_abs("static directory", c->static_dir, err) < 0 ||
        check_abs("temporary directory", c->tmp_dir, err) < 0 ||
        check_abs("volume path", c->volume_path, err) < 0 ||
        (c->events_logfile_path[0] &&
         check_abs("events log file path", c->events_logfile_path, err) < 0))
        return -1;
    if (c->log_level[0] && log_parse_level(c->log_level) < 0)
        return berr_msg(err, "invalid log level \"%s\"", c->log_level);
    return check_values(c, err);
}
