/*
 * runtime/cgstats.c: see cgstats.h. What is read, per version:
 *   CPU      v1 cpuacct.usage and cpuacct.stat's system ticks; v2
 *            cpu.stat usage_usec, system_usec
 *   memory   usage: v1 memory.usage_in_bytes, v2 memory.current, less
 *            the inactive file cache (memory.stat's total_inactive_file,
 *            inactive_file); limit: memory.limit_in_bytes or memory.max
 *   block IO v1 blkio.throttle.io_service_bytes_recursive Read/Write,
 *            v2 io.stat rbytes/wbytes, summed over devices
 *   PIDs     pids.current
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/cgstats.h"
#include "util/cleanup.h"
#include "util/fs.h"
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

void cg_dirs_free(struct cg_dirs *d)
{
    free(d->cpuacct);
    free(d->memory);
    free(d->blkio);
    free(d->pids);
    free(d->unified);
    memset(d, 0, sizeof(*d));
}

static bool has_ctl(const char *list, const char *ctl)
{
    size_t n = strlen(ctl);

    for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (!strncmp(p, ctl, n) && (p[n] == ',' || !p[n]))
            return true;
    return false;
}

int cg_dirs_find(const char *root, const char *proc_cgroup, struct cg_dirs *d,
                 struct berr **err)
{
    _cleanup_free_ char *ctlfile = str_fmt("%s/cgroup.controllers", root);
    _cleanup_fclose_ FILE *f = NULL;
    char line[4096];
    bool v2;

    if (!ctlfile)
        return berr_oom(err);
    v2 = fs_exists(ctlfile);
    if (!(f = fopen(proc_cgroup, "re")))
        return berr_sys(err, "open %s", proc_cgroup);
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
            if (v2 && !d->unified && !(d->unified = str_fmt("%s%s", root, cg)))
                return berr_oom(err);
            continue;
        }
        for (size_t i = 0; i < 4; i++)
            if (has_ctl(ctls, names[i]) && !*slot[i] &&
                !(*slot[i] = str_fmt("%s/%s%s", root, ctls, cg)))
                return berr_oom(err);
    }
    return 0;
}

static void sample_v1(const struct cg_dirs *d, struct cg_sample *s)
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

static void sample_v2(const char *dir, struct cg_sample *s)
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

void cg_sample_read(const struct cg_dirs *d, struct cg_sample *s)
{
    memset(s, 0, sizeof(*s));
    if (d->unified && !d->memory)
        sample_v2(d->unified, s);
    else
        sample_v1(d, s);
}
