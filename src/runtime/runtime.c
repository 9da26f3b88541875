/*
 * runtime/runtime.c: runtime init, in the order of DESIGN.md:
 *
 *   1. config: defaults, files, environment, flags (config_load)
 *   2. conmon: found and probed lazily, by the commands that start one
 *      (a podman process probes it on every command, ps included; we
 *      keep the hot path free of helper execs)
 *   3. static dir (0700), state, DB config merge/validate/record
 *   4. tmp dir (0751), events dir and log
 *   5. OCI runtimes: resolved lazily by the commands that call one
 *   6. lock manager, then the alive check (refresh needs the locks)
 *
 * RT_OPEN_CONFIG stops after step 1 and creates nothing on disk.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/dbconfig.h"
#include "runtime/refresh.h"
#include "runtime/rtdelete.h"
#include "runtime/runtime.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static int open_events(struct runtime *rt, struct berr **err)
{
    struct config *c = rt->cfg;
    _cleanup_free_ char *dir = NULL;

    if (c->events_logfile_path && *c->events_logfile_path)
        rt->events_log = str_dup(c->events_logfile_path);
    else
        rt->events_log = str_fmt("%s/events/events.log", c->tmp_dir);
    if (!rt->events_log || !(dir = fs_dirname(rt->events_log)))
        return berr_oom(err);
    if (strcmp(c->events_logger, "none") != 0 && fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    return events_open(c->events_logger, rt->events_log, c->events_logfile_max_size, &rt->ev,
                       err);
}

static int open_full(struct runtime *rt, struct berr **err)
{
    struct config *c = rt->cfg;
    bool refreshed = false;

    /* spread: the dirs made in them are each placed apart (fs.h) */
    if (fs_mkdir_spread(c->static_dir, 0700, err) < 0)
        return -1;
    if (state_open(c->static_dir, &rt->st, err) < 0)
        return -1;
    if (dbconfig_merge(rt->st, c, &rt->db_driver, err) < 0)
        return -1;
    log_debug("Using graph driver %s", c->graph_driver ? c->graph_driver : "");
    log_debug("Using graph root %s", c->graph_root);
    log_debug("Using run root %s", c->run_root);
    log_debug("Using static dir %s", c->static_dir);
    log_debug("Using tmp dir %s", c->tmp_dir);
    log_debug("Using volume path %s", c->volume_path);
    if (fs_mkdir_spread(c->tmp_dir, 0751, err) < 0)
        return -1;
    if (open_events(rt, err) < 0)
        return -1;
    if (lock_open(c->tmp_dir, &rt->locks, err) < 0)
        return -1;
    if (rt_alive_check(rt, &refreshed, err) < 0)
        return -1;
    rt->refreshed = refreshed;
    rtdelete_repair(rt);
    return 0;
}

int rt_open(const struct gopts *g, enum rt_open_level level, const char *argv0,
            struct runtime **out, struct berr **err)
{
    struct runtime *rt = calloc(1, sizeof(*rt));

    if (!rt)
        return berr_oom(err);
    rt->g = g;
    rt->argv0 = str_dup(argv0);
    if (!rt->argv0 || config_load(g, &rt->cfg, err) < 0 ||
        (level == RT_OPEN_FULL && open_full(rt, err) < 0)) {
        rt_close(rt);
        return -1;
    }
    *out = rt;
    return 0;
}

void rt_close(struct runtime *rt)
{
    if (!rt)
        return;
    store_close(rt->store);
    events_close(rt->ev);
    lock_close(rt->locks);
    state_close(rt->st);
    config_free(rt->cfg);
    free(rt->events_log);
    free(rt->db_driver);
    free(rt->argv0);
    free(rt);
}
