/*
 * runtime/ctr_stats.c: stats, one sample of a container's resource use
 * read from its cgroup files and its network namespace.
 *
 * The cgroup is found from the container's process: /proc/PID/cgroup
 * names its cgroup per v1 hierarchy ("4:memory:/berth_parent/berth-ID",
 * mounted at /sys/fs/cgroup/<controllers>), or on a unified (v2) host
 * the one "0::" path under /sys/fs/cgroup. What is read is what podman
 * 4.3.1 reports (containers/common's cgroups package):
 *   CPU      v1 cpuacct.usage and cpuacct.stat's system ticks; v2
 *            cpu.stat usage_usec, system_usec
 *   memory   usage: v1 memory.usage_in_bytes, v2 memory.current, less
 *            the inactive file cache; limit: memory.limit_in_bytes or
 *            memory.max, never above the host's memory
 *   block IO v1 blkio.throttle.io_service_bytes_recursive Read/Write,
 *            v2 io.stat rbytes/wbytes
 *   PIDs     pids.current
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

#include "runtime/container.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/str.h"

/* The first number of file dir/name; 0 when unreadable ("max" too). */
static unsigned long long read_num(const char *dir, const char *name)
{
    _cleanup_free_ char *p = dir ? str_fmt("%s/%s", dir, name) : NULL;
    _cleanup_fclose_ FILE *f = p ? fopen(p, "re") : NULL;
    unsigned long long v = 0;

    if (!f || fscanf(f, "%llu", &v) != 1)
        return 0;
    return v;
}

/* The value of "key N" lines (the last one with that key). */
static unsigned long long read_keyed(const char *dir, const char *name, const char *key)
{
    _cleanup_free_ char *p = dir ? str_fmt("%s/%s", dir, name) : NULL;
    _cleanup_fclose_ FILE *f = p ? fopen(p, "re") : NULL;
    char k[128];
    unsigned long long v, out = 0;

    while (f && fscanf(f, "%127s %llu", k, &v) == 2)
        if (!strcmp(k, key))
            out = v;
    return out;
}

static unsigned long long host_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);

    return pages > 0 && size > 0 ? (unsigned long long) pages * (unsigned long long) size : 0;
}

/* The cgroup dirs of pid: v1 per controller, or the v2 one. */
struct cg_dirs {
    char *cpuacct, *memory, *blkio, *pids;
    char *unified;              /* a pure v2 host */
};

static void cg_dirs_free(struct cg_dirs *d)
{
    free(d->cpuacct);
    free(d->memory);
    free(d->blkio);
    free(d->pids);
    free(d->unified);
}

static bool has_ctl(const char *list, const char *ctl)
{
    size_t n = strlen(ctl);

    for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (!strncmp(p, ctl, n) && (p[n] == ',' || !p[n]))
            return true;
    return false;
}

static int cg_dirs_find(pid_t pid, struct cg_dirs *d, struct berr **err)
{
    char path[64], line[4096];
    bool v2 = fs_exists("/sys/fs/cgroup/cgroup.controllers");
    _cleanup_fclose_ FILE *f = NULL;

    snprintf(path, sizeof(path), "/proc/%d/cgroup", (int) pid);
    if (!(f = fopen(path, "re")))
        return berr_sys(err, "open %s", path);
    while (fgets(line, sizeof(line), f)) {
        char *ctls = strchr(line, ':'), *cg = ctls ? strchr(ctls + 1, ':') : NULL;
        if (!cg)
            continue;
        *cg++ = '\0';
        ctls++;
        cg[strcspn(cg, "\n")] = '\0';
        char **slot[] = { &d->cpuacct, &d->memory, &d->blkio, &d->pids };
        const char *names[] = { "cpuacct", "memory", "blkio", "pids" };
        if (!*ctls) {
            if (v2 && !d->unified && !(d->unified = str_fmt("/sys/fs/cgroup%s", cg)))
                return berr_oom(err);
            continue;
        }
        for (size_t i = 0; i < 4; i++)
            if (has_ctl(ctls, names[i]) && !*slot[i] &&
                !(*slot[i] = str_fmt("/sys/fs/cgroup/%s%s", ctls, cg)))
                return berr_oom(err);
    }
    return 0;
}

static void sample_v1(const struct cg_dirs *d, struct ctr_stats *s)
{
    long tick = sysconf(_SC_CLK_TCK);
    unsigned long long usage = read_num(d->memory, "memory.usage_in_bytes");
    unsigned long long inactive = read_keyed(d->memory, "memory.stat", "total_inactive_file");
    _cleanup_free_ char *p = d->blkio ? str_fmt("%s/blkio.throttle.io_service_bytes_recursive",
                                                d->blkio) : NULL;
    _cleanup_fclose_ FILE *f = p ? fopen(p, "re") : NULL;
    char dev[64], op[32];
    unsigned long long v;

    s->cpu_ns = read_num(d->cpuacct, "cpuacct.usage");
    s->cpu_system_ns = read_keyed(d->cpuacct, "cpuacct.stat", "system") *
                       (1000000000ULL / (unsigned long long) (tick > 0 ? tick : 100));
    s->mem_usage = inactive < usage ? usage - inactive : usage;
    s->mem_limit = read_num(d->memory, "memory.limit_in_bytes");
    s->pids = read_num(d->pids, "pids.current");
    while (f && fscanf(f, "%63s %31s %llu", dev, op, &v) == 3) {
        if (!strcmp(op, "Read"))
            s->blk_in += v;
        else if (!strcmp(op, "Write"))
            s->blk_out += v;
    }
}

static void sample_v2(const char *dir, struct ctr_stats *s)
{
    unsigned long long usage = read_num(dir, "memory.current");
    unsigned long long inactive = read_keyed(dir, "memory.stat", "inactive_file");
    _cleanup_free_ char *p = str_fmt("%s/io.stat", dir);
    _cleanup_fclose_ FILE *f = p ? fopen(p, "re") : NULL;
    char word[128];

    s->cpu_ns = read_keyed(dir, "cpu.stat", "usage_usec") * 1000;
    s->cpu_system_ns = read_keyed(dir, "cpu.stat", "system_usec") * 1000;
    s->mem_usage = inactive < usage ? usage - inactive : usage;
    s->mem_limit = read_num(dir, "memory.max");
    s->pids = read_num(dir, "pids.current");
    while (f && fscanf(f, "%127s", word) == 1) {
        unsigned long long v;
        if (sscanf(word, "rbytes=%llu", &v) == 1)
            s->blk_in += v;
        else if (sscanf(word, "wbytes=%llu", &v) == 1)
            s->blk_out += v;
    }
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
    struct timespec now;
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
    r = cg_dirs_find(c->st.pid, &d, err);
    if (r == 0) {
        s->running = true;
        if (d.unified && !d.memory)
            sample_v2(d.unified, s);
        else
            sample_v1(&d, s);
        unsigned long long host = host_memory();
        if (host && (!s->mem_limit || s->mem_limit > host))
            s->mem_limit = host;
        sample_net(c->st.pid, s);
    }
    cg_dirs_free(&d);
    return r < 0 ? berr_wrap(err, "container %s", c->id) : 0;
}
