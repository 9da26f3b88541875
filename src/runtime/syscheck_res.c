/*
 * runtime/syscheck_res.c: system check's look at what containers that no
 * longer run left behind on the host (syscheck.h): their cgroups (the
 * cgroupfs path berth gave the OCI runtime, in every hierarchy mounted),
 * their network setup (firewall rules and addresses, known by the status
 * file written before the backend ran, and the network namespace).
 *
 * Only containers of this store are looked at, never a cgroup by its name
 * alone: other stores' containers share the host's cgroup tree. Those
 * whose record is gone are known by the store's cgroup registry (cgreg.c). A
 * container no longer runs when neither its process nor its conmon runs
 * (same pid and start time, not a zombie): while conmon lives, its exit command
 * still cleans up. Containers with an unfinished intent are left alone.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime/cgreg.h"
#include "runtime/config.h"
#include "runtime/container.h"
#include "runtime/net/net.h"
#include "runtime/spec.h"
#include "runtime/syscheck.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/proc.h"
#include "util/str.h"

/* The cgroupfs path the container's spec named, NULL when berth named
 * none it owns (systemd manager, split, disabled). */
static char *cgroup_of(struct runtime *rt, const struct ctr_config *cfg, const char *id)
{
    const char *mode = js_str(cfg->rec, "cgroupsMode", "");
    const char *parent = cfg->cgroup_parent && *cfg->cgroup_parent ? cfg->cgroup_parent
                                                                   : SPEC_CGROUPFS_PARENT;

    if (str_eq(rt->cfg->cgroup_manager, "systemd") || str_eq(mode, "disabled") ||
        str_eq(mode, "split"))
        return NULL;
    return str_fmt("%s/berth-%s", parent, id);
}

struct leftover {
    struct runtime *rt;
    const char *id;
    strv dirs;                      /* cgroup directories */
    const char *netns;
    json_t *status;
};

static int remove_cgroups(struct leftover *l)
{
    int rc = 0;

    for (size_t i = 0; l->dirs && l->dirs[i]; i++)
        if (rmdir(l->dirs[i]) < 0 && errno != ENOENT)
            rc = -1;
    return rc;
}

static int remove_network(struct leftover *l)
{
    struct berr *e = NULL;
    int rc = net_teardown(l->rt, l->id, l->status, l->netns, &e);

    if (rc == 0 && l->netns && fs_exists(l->netns))
        rc = net_ns_remove(l->netns, &e);
    berr_free(e);
    return rc;
}

static void leftovers_of(struct runtime *rt, const struct check_opts *o, char *const *cgmounts,
                         const char *id, state_report_fn report, void *ctx)
{
    struct ctr_config cfg;
    struct ctr_runstate st;
    _cleanup_free_ char *damage = NULL, *cg = NULL, *status_file = NULL;
    struct leftover l = { .rt = rt, .id = id };
    struct berr *e = NULL;

    if (ctr_read_salvage(rt, id, &cfg, &st, &damage, &e) < 0) {
        berr_free(e);
        return;
    }
    if (damage || st.intent || (st.pid > 0 && proc_running(st.pid, st.pid_start)) ||
        (st.conmon_pid > 0 && proc_running(st.conmon_pid, st.conmon_start)))
        goto out;
    if ((cg = cgroup_of(rt, &cfg, id)))
        (void) cgreg_dirs(cgmounts, cg, &l.dirs);
    if (l.dirs) {
        _cleanup_free_ char *p = str_fmt("its cgroup %s is left in %zu hierarch%s by a container "
                                         "that no longer runs", cg, strv_len(l.dirs),
                                         strv_len(l.dirs) == 1 ? "y" : "ies");
        bool fixed = o->repair && remove_cgroups(&l) == 0;
        report(ctx, "cgroup", id, p ? p : "its cgroup is left", fixed);
    }
    status_file = str_fmt("%s/networks/status/%s.json", rt->cfg->tmp_dir, id);
    l.netns = st.net_ns && fs_exists(st.net_ns) ? st.net_ns : NULL;
    l.status = st.network_status;
    if (l.netns || (status_file && fs_exists(status_file))) {
        _cleanup_free_ char *p = str_fmt("%s%s%s of a container that no longer runs %s left",
                                         status_file && fs_exists(status_file)
                                         ? "its network set-up (firewall rules, addresses)" : "",
                                         l.netns && status_file && fs_exists(status_file)
                                         ? " and " : "",
                                         l.netns ? "its network namespace" : "",
                                         l.netns && status_file && fs_exists(status_file)
                                         ? "are" : "is");
        bool fixed = o->repair && remove_network(&l) == 0;
        report(ctx, "network", id, p ? p : "its network set-up is left", fixed);
    }
out:
    strv_free(l.dirs);
    ctr_config_free(&cfg);
    ctr_runstate_free(&st);
}

/* Network status files of containers with no record (removed while
 * their set-up stayed, or a record deleted by hand): a record is written
 * before any network set-up, so none is being born. */
static int orphan_networks(struct runtime *rt, const struct check_opts *o, char *const *ctr_ids,
                           state_report_fn report, void *ctx, struct berr **err)
{
    _cleanup_free_ char *dir = str_fmt("%s/networks/status", rt->cfg->tmp_dir);
    _cleanup_closedir_ DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *de;

    if (!dir)
        return berr_oom(err);
    while (d && (de = readdir(d))) {
        _cleanup_free_ char *id = NULL;
        size_t n = strlen(de->d_name);
        if (n != STATE_ID_LEN + 5 || strcmp(de->d_name + STATE_ID_LEN, ".json") ||
            strspn(de->d_name, "0123456789abcdef") != STATE_ID_LEN ||
            !(id = str_ndup(de->d_name, STATE_ID_LEN)) ||
            strv_contains(ctr_ids, id) || state_quarantined(rt->st, OBJ_CONTAINER, id))
            continue;
        struct leftover l = { .rt = rt, .id = id };
        bool fixed = o->repair && remove_network(&l) == 0;
        report(ctx, "network", id, "the network set-up (firewall rules, addresses) of a container "
               "that no longer exists is left", fixed);
    }
    return 0;
}

int rt_check_leftovers(struct runtime *rt, const struct check_opts *o, char *const *ctr_ids,
                       state_report_fn report, void *ctx, struct berr **err)
{
    _cleanup_strv_ strv cgmounts = NULL;

    if (cgreg_mounts(&cgmounts, err) < 0)
        return -1;
    for (size_t i = 0; ctr_ids && ctr_ids[i]; i++)
        leftovers_of(rt, o, cgmounts, ctr_ids[i], report, ctx);
    if (cgreg_check(rt, o, cgmounts, report, ctx, err) < 0)
        return -1;
    return orphan_networks(rt, o, ctr_ids, report, ctx, err);
}
