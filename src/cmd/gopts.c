/*
 * cmd/gopts.c: the global options (--root, --runroot, --log-level, ...):
 * their table and how each one lands in struct gopts. main.c parses them
 * before the command name; cmd_opt_init() lets every command take them
 * after its name too, as podman does. What depends on all of them (the
 * log level, --debug, --noout) is settled once they are all read, in
 * gopts_finish(), as podman does in its PersistentPreRun.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/str.h"

enum {
    G_ROOT = 256, G_RUNROOT, G_TMPDIR, G_VOLUMEPATH, G_RUNTIME, G_CONMON, G_CGROUP_MANAGER,
    G_STORAGE_DRIVER, G_STORAGE_OPT, G_LOG_LEVEL, G_EVENTS_BACKEND, G_CONFIG, G_NAMESPACE,
    G_NETWORK_CONFIG_DIR, G_NETWORK_BACKEND, G_RUNTIME_FLAG, G_SYSLOG, G_CNI_CONFIG_DIR,
    G_NOOUT, G_HOOKS_DIR, G_NETWORK_CMD_PATH, G_DEBUG = 'D',
};

#define LOG_LEVELS "trace, debug, info, warn, warning, error, fatal, panic"

const struct cmd_opt global_opts[] = {
    { "cgroup-manager", G_CGROUP_MANAGER, OPT_ARG, "string", "Cgroup manager to use (\"cgroupfs\"|\"systemd\")", 0 },
    { "config", G_CONFIG, OPT_ARG, "string", "Read this config file instead of the default ones (also $BERTH_CONFIG, then $CONTAINERS_CONF)", 0 },
    { "conmon", G_CONMON, OPT_ARG, "string", "Path of the conmon binary", 0 },
    { "debug", G_DEBUG, OPT_FLAG, NULL, "Log at level debug (as podman, not listed)", OPT_HIDDEN },
    { "events-backend", G_EVENTS_BACKEND, OPT_ARG, "string", "Events backend to use (\"file\"|\"journald\"|\"none\")", 0 },
    { "hooks-dir", G_HOOKS_DIR, OPT_ARG, "stringArray", "Set the OCI hooks directory path (may be set multiple times; a later one wins a file name) (default [/usr/share/containers/oci/hooks.d])", 0 },
    { "log-level", G_LOG_LEVEL, OPT_ARG, "string", "Log messages above specified level (" LOG_LEVELS ") (default \"warn\")", 0 },
    { "namespace", G_NAMESPACE, OPT_ARG, "string", "Set the libpod namespace, used to create separate views of the containers and pods on the system", 0 },
    { "network-backend", G_NETWORK_BACKEND, OPT_ARG, "string", "Network backend to use (\"netavark\"|\"cni\")", 0 },
    { "network-cmd-path", G_NETWORK_CMD_PATH, OPT_ARG, "string", "Path to the slirp4netns binary for rootless networking (the config's network_cmd_path); berth runs as root with bridge networks and never starts it", 0 },
    { "network-config-dir", G_NETWORK_CONFIG_DIR, OPT_ARG, "string", "Path of the configuration directory for networks", 0 },
    { "cni-config-dir", G_CNI_CONFIG_DIR, OPT_ARG, "string", "Path of the configuration directory for CNI networks", OPT_HIDDEN },
    { "noout", G_NOOUT, OPT_FLAG, NULL, "do not output to stdout", 0 },
    { "root", G_ROOT, OPT_ARG, "string", "Path to the root directory in which data, including images, is stored", 0 },
    { "runroot", G_RUNROOT, OPT_ARG, "string", "Path to the 'run directory' where all state information is stored", 0 },
    { "runtime", G_RUNTIME, OPT_ARG, "string", "Path to the OCI-compatible binary used to run containers, or a configured runtime name", 0 },
    { "runtime-flag", G_RUNTIME_FLAG, OPT_ARG, "stringArray", "add global flags for the container runtime", 0 },
    { "storage-driver", G_STORAGE_DRIVER, OPT_ARG, "string", "Select which storage driver is used to manage storage of images and containers", 0 },
    { "storage-opt", G_STORAGE_OPT, OPT_ARG, "stringArray", "Used to pass an option to the storage driver", 0 },
    { "syslog", G_SYSLOG, OPT_FLAG, NULL, "Output logging information to syslog as well as the console (default false)", 0 },
    { "tmpdir", G_TMPDIR, OPT_ARG, "string", "Path to the tmp directory for libpod state content", 0 },
    { "volumepath", G_VOLUMEPATH, OPT_ARG, "string", "Path to the volume directory in which volume data is stored", 0 },
    { 0 }
};

static int set_str(char **dst, const char *v, struct berr **err)
{
    char *n = str_dup(v);
    if (!n)
        return berr_oom(err);
    free(*dst);
    *dst = n;
    return 0;
}

int gopts_apply(void *gv, const struct cmd_opt *o, const char *arg, bool bval,
                struct berr **err)
{
    struct gopts *g = gv;

    switch (o->id) {
    case G_ROOT: return set_str(&g->root, arg, err);
    case G_RUNROOT: return set_str(&g->runroot, arg, err);
    case G_TMPDIR: return set_str(&g->tmpdir, arg, err);
    case G_VOLUMEPATH: return set_str(&g->volumepath, arg, err);
    case G_RUNTIME: return set_str(&g->runtime, arg, err);
    case G_CONMON: return set_str(&g->conmon, arg, err);
    case G_CGROUP_MANAGER:
        if (strcmp(arg, "cgroupfs") && strcmp(arg, "systemd"))
            return berr_new(err, BERR_ENGINE, 0,
                            "invalid cgroup manager \"%s\": must be \"cgroupfs\" or \"systemd\"", arg);
        return set_str(&g->cgroup_manager, arg, err);
    case G_STORAGE_DRIVER: return set_str(&g->storage_driver, arg, err);
    case G_STORAGE_OPT: return strv_push(&g->storage_opts, arg) < 0 ? berr_oom(err) : 0;
    case G_RUNTIME_FLAG: return strv_push(&g->runtime_flags, arg) < 0 ? berr_oom(err) : 0;
    case G_HOOKS_DIR: return strv_push(&g->hooks_dirs, arg) < 0 ? berr_oom(err) : 0;
    case G_LOG_LEVEL: return set_str(&g->log_level, arg, err);     /* checked in gopts_finish */
    case G_DEBUG: g->debug = bval; return 0;
    case G_NOOUT: g->noout = bval; return 0;
    case G_EVENTS_BACKEND:
        if (strcmp(arg, "file") && strcmp(arg, "none") && strcmp(arg, "journald"))
            return berr_new(err, BERR_ENGINE, 0,
                            "invalid events backend \"%s\": must be \"file\", \"journald\" or \"none\"", arg);
        return set_str(&g->events_backend, arg, err);
    case G_CONFIG: return set_str(&g->config, arg, err);
    case G_NAMESPACE: return set_str(&g->ns, arg, err);
    case G_NETWORK_CONFIG_DIR: return set_str(&g->network_config_dir, arg, err);
    case G_NETWORK_CMD_PATH: return set_str(&g->network_cmd_path, arg, err);
    case G_NETWORK_BACKEND:
        if (strcmp(arg, "netavark") && strcmp(arg, "cni"))
            return berr_new(err, BERR_ENGINE, 0,
                            "invalid network backend \"%s\": must be \"netavark\" or \"cni\"", arg);
        return set_str(&g->network_backend, arg, err);
    case G_CNI_CONFIG_DIR: return set_str(&g->cni_config_dir, arg, err);
    case G_SYSLOG: g->syslog = bval; return 0;
    }
    return 0;
}

int gopts_finish(struct gopts *g, const char *prog, struct berr **err)
{
    int l;

    if (g->debug && set_str(&g->log_level, "debug", err) < 0)
        return -1;
    if (g->log_level) {
        if ((l = log_parse_level(g->log_level)) < 0) {
            /* podman's words, as a bare line, and exit 1 */
            fprintf(stderr, "Log Level \"%s\" is not supported, choose from: " LOG_LEVELS "\n",
                    g->log_level);
            return berr_new(err, -1, 0, "log level %s is not supported", g->log_level);
        }
        for (char *p = g->log_level; *p; p++)
            *p = (char) tolower((unsigned char) *p);
        g->log_level_num = l;
        log_set_level((enum log_level) l);
        log_info("%s filtering at log level %s", prog, g->log_level);
    }
    if (g->noout) {
        /* podman swaps os.Stdout for /dev/null: results go nowhere, errors
         * and warnings still show. fd 1 stays: an attached container's
         * output still comes through, as with podman. */
        FILE *null = fopen("/dev/null", "we");
        if (!null)
            return berr_sys(err, "--noout: open /dev/null");
        fflush(stdout);
        stdout = null;          /* lives until exit, like stdout itself */
    }
    return 0;
}

void gopts_free(struct gopts *g)
{
    char **strs[] = { &g->root, &g->runroot, &g->tmpdir, &g->volumepath, &g->runtime,
                      &g->conmon, &g->cgroup_manager, &g->storage_driver, &g->log_level,
                      &g->events_backend, &g->config, &g->ns, &g->network_config_dir,
                      &g->network_backend, &g->cni_config_dir, &g->network_cmd_path };
    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        free(*strs[i]);
    strv_free(g->storage_opts);
    strv_free(g->runtime_flags);
    strv_free(g->hooks_dirs);
}
