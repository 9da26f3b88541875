/*
 * cmd/table.c: the command tree. Each command is defined in its own file
 * under src/cmd/ as "const struct cmd cmd_<name>"; here they are referenced
 * weakly, so a command that is not built yet is simply absent (berth then
 * says "unrecognized command", as podman does for one it lacks) rather
 * than a stub that pretends to work.
 */
#include <stddef.h>

#include "cmd/cmd.h"
#include "util/cleanup.h"

#define W(x) extern const struct cmd x __attribute__((weak));

/* top level */
W(cmd_attach) W(cmd_commit) W(cmd_completion) W(cmd_cp) W(cmd_create) W(cmd_diff) W(cmd_events) W(cmd_exec)
W(cmd_export) W(cmd_help) W(cmd_history) W(cmd_images) W(cmd_import) W(cmd_info)
W(cmd_init) W(cmd_inspect) W(cmd_kill) W(cmd_load) W(cmd_logs) W(cmd_mount)
W(cmd_pause) W(cmd_port) W(cmd_ps) W(cmd_pull) W(cmd_push) W(cmd_rename) W(cmd_restart)
W(cmd_rm) W(cmd_rmi) W(cmd_run) W(cmd_save) W(cmd_start) W(cmd_stop) W(cmd_tag)
W(cmd_top) W(cmd_unmount) W(cmd_unpause) W(cmd_untag) W(cmd_version) W(cmd_wait)
W(cmd_gen_man) W(cmd_net_test)

/* container */
W(cmd_container_attach) W(cmd_container_cleanup) W(cmd_container_commit)
W(cmd_container_cp) W(cmd_container_create) W(cmd_container_diff) W(cmd_container_exec) W(cmd_container_exists)
W(cmd_container_export) W(cmd_container_init) W(cmd_container_inspect)
W(cmd_container_kill) W(cmd_container_list) W(cmd_container_logs) W(cmd_container_mount)
W(cmd_container_pause) W(cmd_container_port) W(cmd_container_prune)
W(cmd_container_rename) W(cmd_container_restart) W(cmd_container_rm)
W(cmd_container_run) W(cmd_container_start) W(cmd_container_stop) W(cmd_container_top)
W(cmd_container_unmount) W(cmd_container_unpause) W(cmd_container_wait)

/* image */
W(cmd_image_exists) W(cmd_image_history) W(cmd_image_import) W(cmd_image_inspect)
W(cmd_image_list) W(cmd_image_load) W(cmd_image_mount) W(cmd_image_prune)
W(cmd_image_pull) W(cmd_image_push) W(cmd_image_rm) W(cmd_image_save) W(cmd_image_tag)
W(cmd_image_unmount) W(cmd_image_untag)

/* system */
W(cmd_system_events) W(cmd_system_info) W(cmd_system_locks) W(cmd_system_migrate)
W(cmd_system_prune) W(cmd_system_refresh) W(cmd_system_renumber) W(cmd_system_reset)

/* network */
W(cmd_network_connect) W(cmd_network_create) W(cmd_network_disconnect)
W(cmd_network_exists) W(cmd_network_inspect) W(cmd_network_list) W(cmd_network_prune)
W(cmd_network_reload) W(cmd_network_rm)

#define GROUP(var, nm, sum, arr)                                               \
    const struct cmd var = {                                                   \
        .name = nm, .summary = sum, .usage = "[command]",                      \
        .description = sum, .subs = arr, .nsubs = (int) ARRAY_SIZE(arr),       \
        .need = RT_NONE,                                                       \
    }

static const struct cmd *const container_subs[] = {
    &cmd_container_attach, &cmd_container_cleanup, &cmd_container_commit,
    &cmd_container_cp, &cmd_container_create, &cmd_container_diff, &cmd_container_exec, &cmd_container_exists,
    &cmd_container_export, &cmd_container_init, &cmd_container_inspect,
    &cmd_container_kill, &cmd_container_list, &cmd_container_logs, &cmd_container_mount,
    &cmd_container_pause, &cmd_container_port, &cmd_container_prune,
    &cmd_container_rename, &cmd_container_restart, &cmd_container_rm,
    &cmd_container_run, &cmd_container_start, &cmd_container_stop, &cmd_container_top,
    &cmd_container_unmount, &cmd_container_unpause, &cmd_container_wait,
};
GROUP(cmd_container, "container", "Manage containers", container_subs);

static const struct cmd *const image_subs[] = {
    &cmd_image_exists, &cmd_image_history, &cmd_image_import, &cmd_image_inspect,
    &cmd_image_list, &cmd_image_load, &cmd_image_mount, &cmd_image_prune,
    &cmd_image_pull, &cmd_image_push, &cmd_image_rm, &cmd_image_save, &cmd_image_tag,
    &cmd_image_unmount, &cmd_image_untag,
};
GROUP(cmd_image, "image", "Manage images", image_subs);

static const struct cmd *const system_subs[] = {
    &cmd_system_events, &cmd_system_info, &cmd_system_locks, &cmd_system_migrate,
    &cmd_system_prune, &cmd_system_refresh, &cmd_system_renumber, &cmd_system_reset,
};
GROUP(cmd_system, "system", "Manage berth", system_subs);

static const struct cmd *const network_subs[] = {
    &cmd_network_connect, &cmd_network_create, &cmd_network_disconnect,
    &cmd_network_exists, &cmd_network_inspect, &cmd_network_list, &cmd_network_prune,
    &cmd_network_reload, &cmd_network_rm,
};
GROUP(cmd_network, "network", "Manage networks", network_subs);

static const struct cmd *const root_subs[] = {
    &cmd_attach, &cmd_commit, &cmd_completion, &cmd_container, &cmd_cp, &cmd_create, &cmd_diff, &cmd_events,
    &cmd_exec, &cmd_export, &cmd_help, &cmd_history, &cmd_image, &cmd_images,
    &cmd_import, &cmd_info, &cmd_init, &cmd_inspect, &cmd_kill, &cmd_load, &cmd_logs,
    &cmd_mount, &cmd_network, &cmd_pause, &cmd_port, &cmd_ps, &cmd_pull, &cmd_push,
    &cmd_rename, &cmd_restart, &cmd_rm, &cmd_rmi, &cmd_run, &cmd_save, &cmd_start,
    &cmd_stop, &cmd_system, &cmd_tag, &cmd_top, &cmd_unmount, &cmd_unpause, &cmd_untag,
    &cmd_version, &cmd_wait, &cmd_gen_man, &cmd_net_test,
};

const struct cmd cmd_root = {
    .name = "berth",
    .summary = "Manage containers, images and networks without a daemon",
    .usage = "[options] [command]",
    .description = "berth is a daemonless container engine with podman's command line.",
    .subs = root_subs,
    .nsubs = (int) ARRAY_SIZE(root_subs),
    .need = RT_NONE,
};
