/*
 * runtime/config.h: berth's configuration, in the containers.conf schema.
 *
 * Layering (DESIGN.md step 1): built-in defaults, then the config files
 * (/usr/share/berth/berth.conf, /etc/berth/berth.conf, /etc/berth/
 * berth.conf.d/ *.conf, rootless $XDG_CONFIG_HOME/berth/berth.conf; all
 * under the sysroot $BERTH_CONFIG_ROOT when set; or only --config,
 * $BERTH_CONFIG or $CONTAINERS_CONF, the first set, which must exist; then
 * $CONTAINERS_CONF_OVERRIDE when set), then the environment, then global
 * flags. A later
 * file overrides a key of an earlier one; arrays replace, [engine.runtimes]
 * merges per key. Every field a file, the environment or a flag names gets
 * its "set" bit: the DB-config merge adopts recorded values only for
 * fields that are not set.
 *
 * berth addition: a [storage] table (driver, graphroot, runroot, options)
 * with storage.conf's key names, since berth has no separate storage.conf.
 */
#ifndef BERTH_CONFIG_H
#define BERTH_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/options.h"
#include "util/err.h"

/* Fields that have a "set" bit. */
enum cfg_field {
    CF_STATIC_DIR, CF_TMP_DIR, CF_VOLUME_PATH, CF_GRAPH_ROOT, CF_RUN_ROOT,
    CF_GRAPH_DRIVER, CF_RUNTIME, CF_CONMON_PATH, CF_CGROUP_MANAGER, CF_EVENTS_LOGGER,
    CF_NETWORK_BACKEND, CF_NETWORK_CONFIG_DIR, CF_EVENTS_LOGFILE_PATH,
    CF__COUNT
};

struct cfg_runtime {            /* one [engine.runtimes] entry */
    char *name;
    char **paths;
};

struct config {
    /* [containers] */
    char **default_capabilities;    /* normalised: upper-case, CAP_ prefix */
    char **env;                     /* containers.conf env */
    char **default_ulimits;         /* "nofile=1024:2048" */
    char **default_sysctls;
    char **devices;
    char **dns_servers, **dns_searches, **dns_options;
    char **annotations;             /* "k=v" */
    bool http_proxy;
    bool init;                      /* --init by default */
    char *init_path;
    char *log_driver;               /* "k8s-file" */
    long long log_size_max;         /* -1: no limit */
    long long pids_limit;           /* 2048 */
    char *shm_size;                 /* "65536k" */
    char *umask;                    /* "0022" */
    char *seccomp_profile;          /* "" = berth's own */
    char *base_hosts_file;
    char *host_containers_internal_ip;
    bool no_hosts;
    char *tz;
    char *cgroupns, *ipcns, *pidns, *utsns, *netns, *userns;
    char *cgroups;                  /* "enabled" */

    /* [engine] */
    char *cgroup_manager;           /* cgroupfs | systemd */
    char **conmon_path;             /* candidates */
    char **conmon_env_vars;
    char *events_logger;            /* file | none | journald */
    char *events_logfile_path;      /* "" = <tmp_dir>/events/events.log */
    long long events_logfile_max_size;
    char *runtime;                  /* default runtime: name or absolute path */
    struct cfg_runtime *runtimes;   /* [engine.runtimes], n_runtimes entries */
    int n_runtimes;
    char **runtime_supports_json;
    char **runtime_supports_nocgroups;
    char **runtime_flags;           /* --runtime-flag values as given ("debug");
                                       callers add the leading "--" */
    char *static_dir, *tmp_dir, *volume_path;
    char *namespace;                /* libpod namespace ("" = none) */
    long long stop_timeout;         /* 10 */
    char *detach_keys;              /* "ctrl-p,ctrl-q" */
    bool no_pivot_root;
    bool enable_port_reservation;
    char **hooks_dir;
    long long num_locks;
    char **engine_env;              /* [engine] env */
    char *infra_image;
    char *image_volume_mode;        /* bind | tmpfs | ignore */

    /* [network] */
    char *network_backend;          /* netavark | cni */
    char **cni_plugin_dirs;
    char **netavark_plugin_dirs;
    char *default_network;          /* "berth" */
    char *default_subnet;           /* distinct from podman's 10.88.0.0/16 */
    char *network_config_dir;
    char *network_cmd_path;

    /* [storage] (berth; storage.conf's names) */
    char *graph_driver;             /* overlay | vfs | "" = pick */
    char *graph_root, *run_root;
    char **graph_driver_options;

    /* bookkeeping */
    char **files;                   /* config files read, in order */
    uint32_t set;                   /* bit (1u << cf_field) per field set */
    char *log_level;                /* from --log-level, for exit commands */
    bool syslog;
};

static inline bool cfg_is_set(const struct config *c, enum cfg_field f)
{
    return c->set & (1u << f);
}

/* Builds the config from defaults, files, environment and the flags in g. */
int config_load(const struct gopts *g, struct config **out, struct berr **err);
void config_free(struct config *c);

#endif
