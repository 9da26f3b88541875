/*
 * cmd/table.c: the command tree. Every command is defined once, as
 * "const struct cmd cmd_<name>" in its file under src/cmd/; this table
 * lists each one once, with where it appears: at the top level, in a
 * group, or both, where the group may spell it differently (podman's
 * `container ls` is ps, `image rm` is rmi). The references are strong:
 * a command listed here that no file defines fails the link, and a
 * command is listed only once it exists (berth says "unrecognized
 * command", as podman does, for one it lacks).
 *
 * Adding a command: its file (src/cmd/NAME.c, naming the runtime file
 * that does the work) and one line below.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "util/cleanup.h"

#define TOP true        /* a top-level command (as well) */
#define SUB false       /* only in its group */

/*   definition              top-level  group          name, aliases in the group
 *                                                     (default: the definition's) */
#define COMMANDS(X)                                                                       \
    X(cmd_attach,            TOP,       CG_CONTAINER)                                     \
    X(cmd_commit,            TOP,       CG_CONTAINER)                                     \
    X(cmd_completion,        TOP,       CG_NONE)                                          \
    X(cmd_container,         TOP,       CG_NONE)                                          \
    X(cmd_container_cleanup, SUB,       CG_CONTAINER)                                     \
    X(cmd_container_clone,   SUB,       CG_CONTAINER)                                     \
    X(cmd_container_exists,  SUB,       CG_CONTAINER)                                     \
    X(cmd_container_health,  SUB,       CG_CONTAINER)                                     \
    X(cmd_container_inspect, SUB,       CG_CONTAINER)                                     \
    X(cmd_container_prune,   SUB,       CG_CONTAINER)                                     \
    X(cmd_cp,                TOP,       CG_CONTAINER)                                     \
    X(cmd_create,            TOP,       CG_CONTAINER)                                     \
    X(cmd_diff,              TOP,       CG_CONTAINER)                                     \
    X(cmd_events,            TOP,       CG_SYSTEM)                                        \
    X(cmd_exec,              TOP,       CG_CONTAINER)                                     \
    X(cmd_export,            TOP,       CG_CONTAINER)                                     \
    X(cmd_gen_man,           TOP,       CG_NONE)                                          \
    X(cmd_healthcheck,       TOP,       CG_NONE)                                          \
    X(cmd_healthcheck_run,   SUB,       CG_HEALTHCHECK)                                   \
    X(cmd_help,              TOP,       CG_NONE)                                          \
    X(cmd_history,           TOP,       CG_IMAGE)                                         \
    X(cmd_image,             TOP,       CG_NONE)                                          \
    X(cmd_image_diff,        SUB,       CG_IMAGE)                                         \
    X(cmd_image_exists,      SUB,       CG_IMAGE)                                         \
    X(cmd_image_inspect,     SUB,       CG_IMAGE)                                         \
    X(cmd_image_mount,       SUB,       CG_IMAGE)                                         \
    X(cmd_image_prune,       SUB,       CG_IMAGE)                                         \
    X(cmd_image_tree,        SUB,       CG_IMAGE)                                         \
    X(cmd_image_unmount,     SUB,       CG_IMAGE)                                         \
    X(cmd_images,            TOP,       CG_IMAGE,      "list", "ls")                      \
    X(cmd_import,            TOP,       CG_IMAGE)                                         \
    X(cmd_info,              TOP,       CG_SYSTEM)                                        \
    X(cmd_init,              TOP,       CG_CONTAINER)                                     \
    X(cmd_inspect,           TOP,       CG_NONE)                                          \
    X(cmd_kill,              TOP,       CG_CONTAINER)                                     \
    X(cmd_load,              TOP,       CG_IMAGE)                                         \
    X(cmd_login,             TOP,       CG_NONE)                                          \
    X(cmd_logout,            TOP,       CG_NONE)                                          \
    X(cmd_logs,              TOP,       CG_CONTAINER)                                     \
    X(cmd_mount,             TOP,       CG_CONTAINER)                                     \
    X(cmd_net_test,          TOP,       CG_NONE)                                          \
    X(cmd_network,           TOP,       CG_NONE)                                          \
    X(cmd_network_connect,   SUB,       CG_NETWORK)                                       \
    X(cmd_network_create,    SUB,       CG_NETWORK)                                       \
    X(cmd_network_disconnect, SUB,      CG_NETWORK)                                       \
    X(cmd_network_exists,    SUB,       CG_NETWORK)                                       \
    X(cmd_network_inspect,   SUB,       CG_NETWORK)                                       \
    X(cmd_network_list,      SUB,       CG_NETWORK)                                       \
    X(cmd_network_prune,     SUB,       CG_NETWORK)                                       \
    X(cmd_network_reload,    SUB,       CG_NETWORK)                                       \
    X(cmd_network_rm,        SUB,       CG_NETWORK)                                       \
    X(cmd_pause,             TOP,       CG_CONTAINER)                                     \
    X(cmd_pod,               TOP,       CG_NONE)                                          \
    X(cmd_pod_clone,         SUB,       CG_POD)                                           \
    X(cmd_pod_create,        SUB,       CG_POD)                                           \
    X(cmd_pod_exists,        SUB,       CG_POD)                                           \
    X(cmd_pod_inspect,       SUB,       CG_POD)                                           \
    X(cmd_pod_kill,          SUB,       CG_POD)                                           \
    X(cmd_pod_logs,          SUB,       CG_POD)                                           \
    X(cmd_pod_pause,         SUB,       CG_POD)                                           \
    X(cmd_pod_prune,         SUB,       CG_POD)                                           \
    X(cmd_pod_ps,            SUB,       CG_POD)                                           \
    X(cmd_pod_restart,       SUB,       CG_POD)                                           \
    X(cmd_pod_rm,            SUB,       CG_POD)                                           \
    X(cmd_pod_start,         SUB,       CG_POD)                                           \
    X(cmd_pod_stats,         SUB,       CG_POD)                                           \
    X(cmd_pod_stop,          SUB,       CG_POD)                                           \
    X(cmd_pod_top,           SUB,       CG_POD)                                           \
    X(cmd_pod_unpause,       SUB,       CG_POD)                                           \
    X(cmd_port,              TOP,       CG_CONTAINER)                                     \
    X(cmd_ps,                TOP,       CG_CONTAINER,  "ls", "list ps")                   \
    X(cmd_pull,              TOP,       CG_IMAGE)                                         \
    X(cmd_push,              TOP,       CG_IMAGE)                                         \
    X(cmd_rename,            TOP,       CG_CONTAINER)                                     \
    X(cmd_restart,           TOP,       CG_CONTAINER)                                     \
    X(cmd_rm,                TOP,       CG_CONTAINER,  "rm", "remove")                    \
    X(cmd_rmi,               TOP,       CG_IMAGE,      "rm", "remove")                    \
    X(cmd_run,               TOP,       CG_CONTAINER)                                     \
    X(cmd_save,              TOP,       CG_IMAGE)                                         \
    X(cmd_search,            TOP,       CG_IMAGE)                                         \
    X(cmd_secret,            TOP,       CG_NONE)                                          \
    X(cmd_secret_create,     SUB,       CG_SECRET)                                        \
    X(cmd_secret_inspect,    SUB,       CG_SECRET)                                        \
    X(cmd_secret_list,       SUB,       CG_SECRET)                                        \
    X(cmd_secret_rm,         SUB,       CG_SECRET)                                        \
    X(cmd_start,             TOP,       CG_CONTAINER)                                     \
    X(cmd_stats,             TOP,       CG_CONTAINER)                                     \
    X(cmd_stop,              TOP,       CG_CONTAINER)                                     \
    X(cmd_system,            TOP,       CG_NONE)                                          \
    X(cmd_system_boot,       SUB,       CG_SYSTEM)                                        \
    X(cmd_system_check,      SUB,       CG_SYSTEM)                                        \
    X(cmd_system_df,         SUB,       CG_SYSTEM)                                        \
    X(cmd_system_locks,      SUB,       CG_SYSTEM)                                        \
    X(cmd_system_migrate,    SUB,       CG_SYSTEM)                                        \
    X(cmd_system_prune,      SUB,       CG_SYSTEM)                                        \
    X(cmd_system_refresh,    SUB,       CG_SYSTEM)                                        \
    X(cmd_system_renumber,   SUB,       CG_SYSTEM)                                        \
    X(cmd_system_reset,      SUB,       CG_SYSTEM)                                        \
    X(cmd_tag,               TOP,       CG_IMAGE)                                         \
    X(cmd_top,               TOP,       CG_CONTAINER)                                     \
    X(cmd_unmount,           TOP,       CG_CONTAINER)                                     \
    X(cmd_unpause,           TOP,       CG_CONTAINER)                                     \
    X(cmd_untag,             TOP,       CG_IMAGE)                                         \
    X(cmd_update,            TOP,       CG_CONTAINER)                                     \
    X(cmd_version,           TOP,       CG_NONE)                                          \
    X(cmd_volume,            TOP,       CG_NONE)                                          \
    X(cmd_volume_create,     SUB,       CG_VOLUME)                                        \
    X(cmd_volume_exists,     SUB,       CG_VOLUME)                                        \
    X(cmd_volume_export,     SUB,       CG_VOLUME)                                        \
    X(cmd_volume_import,     SUB,       CG_VOLUME)                                        \
    X(cmd_volume_inspect,    SUB,       CG_VOLUME)                                        \
    X(cmd_volume_list,       SUB,       CG_VOLUME)                                        \
    X(cmd_volume_mount,      SUB,       CG_VOLUME)                                        \
    X(cmd_volume_prune,      SUB,       CG_VOLUME)                                        \
    X(cmd_volume_reload,     SUB,       CG_VOLUME)                                        \
    X(cmd_volume_rm,         SUB,       CG_VOLUME)                                        \
    X(cmd_volume_unmount,    SUB,       CG_VOLUME)                                        \
    X(cmd_wait,              TOP,       CG_CONTAINER)

#define DECLARE(def, ...) extern const struct cmd def;
COMMANDS(DECLARE)

struct row {
    const struct cmd *cmd;
    bool top;
    enum cmd_group group;
    const char *name, *aliases;     /* in group; NULL: the definition's */
};

#define ROW(def, top, ...) { &def, top, __VA_ARGS__ },
static const struct row rows[] = { COMMANDS(ROW) };

#define GROUP(var, nm, sum, g)                                                 \
    const struct cmd var = {                                                   \
        .name = nm, .summary = sum, .usage = "[command]",                      \
        .description = sum, .group = g, .need = RT_NONE,                       \
    }

GROUP(cmd_container, "container", "Manage containers", CG_CONTAINER);
GROUP(cmd_healthcheck, "healthcheck", "Manage health checks on containers", CG_HEALTHCHECK);
GROUP(cmd_image, "image", "Manage images", CG_IMAGE);
GROUP(cmd_network, "network", "Manage networks", CG_NETWORK);
GROUP(cmd_pod, "pod", "Manage pods", CG_POD);
GROUP(cmd_secret, "secret", "Manage secrets", CG_SECRET);
GROUP(cmd_system, "system", "Manage berth", CG_SYSTEM);
GROUP(cmd_volume, "volume", "Manage volumes", CG_VOLUME);

const struct cmd cmd_root = {
    .name = "berth",
    .summary = "Manage containers, images and networks without a daemon",
    .usage = "[options] [command]",
    .description = "berth is a daemonless container engine with podman's command line.",
    .group = CG_ROOT,
    .need = RT_NONE,
};

/* Row r as group g lists it; false if g does not list it. */
static bool spell(const struct row *r, const struct cmd *g, struct cmd_sub *s)
{
    if (g->group == CG_ROOT ? !r->top : g->group == CG_NONE || r->group != g->group)
        return false;
    s->cmd = r->cmd;
    s->name = g->group != CG_ROOT && r->name ? r->name : r->cmd->name;
    s->aliases = g->group != CG_ROOT && r->name ? r->aliases : r->cmd->aliases;
    return true;
}

static bool has_alias(const char *aliases, const char *name)
{
    size_t n = strlen(name);

    for (const char *a = aliases; a && *a;) {
        size_t l = strcspn(a, " ");
        if (l == n && strncmp(a, name, n) == 0)
            return true;
        a += l + (a[l] == ' ');
    }
    return false;
}

bool cmd_find(const struct cmd *group, const char *name, struct cmd_sub *out)
{
    struct cmd_sub s;

    /* a name wins over another command's alias */
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        if (spell(&rows[i], group, &s) && strcmp(s.name, name) == 0) {
            *out = s;
            return true;
        }
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        if (spell(&rows[i], group, &s) && has_alias(s.aliases, name)) {
            *out = s;
            return true;
        }
    return false;
}

bool cmd_sub_next(const struct cmd *group, struct cmd_sub *s)
{
    struct cmd_sub c, best = { 0 };

    /* the smallest name after s's: a group has a few dozen commands */
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        if (spell(&rows[i], group, &c) && (!s->name || strcmp(c.name, s->name) > 0) &&
            (!best.name || strcmp(c.name, best.name) < 0))
            best = c;
    if (!best.name)
        return false;
    *s = best;
    return true;
}

bool cmd_is_top(const struct cmd *c)
{
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
        if (rows[i].cmd == c)
            return rows[i].top;
    return false;
}
