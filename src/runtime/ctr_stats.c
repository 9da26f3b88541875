/*
 * runtime/ctr_stats.c: stats, one sample of a container's resource use
 * read from its cgroup files and its network namespace.
 *
 * The cgroup is found from the container's process: /proc/PID/cgroup
 * names its cgroup per v1 hierarchy ("4:memory:/berth_parent/berth-ID",
 * mounted at /sys/fs/cgroup/<controllers>), or on a unified (v2) host
 * the one "0::" path under /sys/fs/cgroup. What is read is what podman
 * 4.3.1 reports; cgstats.c reads the cgroup files (CPU, memory, block
 * IO, PIDs); here:
 *   memory   the limit never above the host's memory
 *   network  the interfaces of the container's network namespace other
 *            than lo (/proc/PID/net/dev), input being what the
 *            container sent, as podman counts it on the host's side
 * A container without a live process samples as zeros.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/cgstats.h"
#include "runtime/container.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/str.h"

static unsigned long long host_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);

    return pages > 0 && size > 0 ? (unsigned long long) pages * (unsigned long long) size : 0;
}

static void sample_net(pid_t pid, struct ctr_stats *s)
{
    char path[64], line[512];
    _cleanup_fclose_ FILE *f = NULL;

    snprintf(path, sizeof(path), "/proc/%d/net/dev", (int) pid);
    if (!(f = fopen(path, "re")))
        return;
    while (fgets(line, sizeof(line), f)) {
        char name[64];
        unsigned long long rx, tx, skip;
        if (sscanf(line, " %63[^:]: %llu %llu %llu %llu %llu %llu %llu %llu %llu", name, &rx,
                   &skip, &skip, &skip, &skip, &skip, &skip, &skip, &tx) != 10 ||
            !strcmp(name, "lo"))
            continue;
        s->net_in += tx;
        s->net_out += rx;
    }
}

void ctr_stats_clear(struct ctr_stats *s)
{
    free(s->name);
    memset(s, 0, sizeof(*s));
}

int ctr_stats_sample(struct runtime *rt, struct ctr *c, struct ctr_stats *s, struct berr **err)
{
    struct cg_dirs d = { 0 };
    struct cg_sample cs;
    struct timespec now;
    char proc_cgroup[64];
    int st = ctr_state(c), r;

    (void) rt;
    memset(s, 0, sizeof(*s));
    snprintf(s->id, sizeof(s->id), "%s", c->id);
    if (!(s->name = str_dup(ctr_name(c))))
        return berr_oom(err);
    clock_gettime(CLOCK_REALTIME, &now);
    s->sampled_ns = (long long) now.tv_sec * 1000000000LL + now.tv_nsec;
    s->started_ns = c->st.started_ns;
    if ((st != CS_RUNNING && st != CS_PAUSED) || c->st.pid <= 0 ||
        !proc_alive(c->st.pid, c->st.pid_start))
        return 0;
    snprintf(proc_cgroup, sizeof(proc_cgroup), "/proc/%d/cgroup", (int) c->st.pid);
    r = cg_dirs_find(CGSTATS_ROOT, proc_cgroup, &d, err);
    if (r == 0) {
        s->running = true;
        cg_sample_read(&d, &cs);
        s->cpu_ns = cs.cpu_ns;
        s->cpu_system_ns = cs.cpu_system_ns;
        s->mem_usage = cs.mem_usage;
        s->mem_limit = cs.mem_limit;
        s->blk_in = cs.blk_in;
        s->blk_out = cs.blk_out;
        s->pids = cs.pids;
        unsigned long long host = host_memory();
        if (host && (!s->mem_limit || s->mem_limit > host))
            s->mem_limit = host;
        sample_net(c->st.pid, s);
    }
    cg_dirs_free(&d);
    return r < 0 ? berr_wrap(err, "container %s", c->id) : 0;
}
