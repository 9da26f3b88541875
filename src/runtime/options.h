/*
 * runtime/options.h: the global command-line options. main.c fills one
 * struct gopts; the runtime receives it as a parameter (never a global).
 * A NULL string means "not given".
 */
#ifndef BERTH_OPTIONS_H
#define BERTH_OPTIONS_H

#include <stdbool.h>

struct gopts {
    char *root, *runroot, *tmpdir, *volumepath, *runtime, *conmon, *cgroup_manager,
         *storage_driver, *log_level, *events_backend, *config, *ns,
         *network_config_dir, *network_backend, *cni_config_dir,
         *network_cmd_path;
    char **storage_opts;        /* --storage-opt, repeatable */
    char **runtime_flags;       /* --runtime-flag, repeatable */
    char **hooks_dirs;          /* --hooks-dir, repeatable */
    bool syslog;
    bool debug;                 /* --debug/-D: log level debug */
    bool noout;                 /* --noout: stdout goes to /dev/null */
    int log_level_num;          /* 0 error .. 4 trace; default 1 (warn) */
};

#endif
