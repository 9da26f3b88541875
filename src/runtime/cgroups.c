/*
 * runtime/cgroups.c: the caller's own cgroup and realtime budgets of
 * parent cgroups (cgroups.h). Only files under /sys/fs/cgroup.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "runtime/cgroups.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

int cg_own_cgroup(char **out, struct berr **err)
{
    _cleanup_free_ char *s = NULL;
    char *line, *save = NULL;

    if (fs_read_file("/proc/self/cgroup", &s, NULL, err) < 0)
        return -1;
    for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!str_has_prefix(line, "0::"))
            continue;
        if (strcmp(line + 3, "/") == 0)
            return berr_msg(err, "--cgroups split: berth runs in the root cgroup; "
                                 "there is no cgroup of its own to split");
        *out = str_dup(line + 3);
        return *out ? 0 : berr_oom(err);
    }
    return berr_msg(err, "could not find cgroup mount in \"/proc/self/cgroup\"");
}

static long long read_ll(const char *dir, const char *file)
{
    _cleanup_free_ char *p = str_fmt("%s/%s", dir, file), *s = NULL;
    struct berr *e = NULL;
    long long v = 0;

    if (!p || fs_read_file(p, &s, NULL, &e) < 0) {
        berr_free(e);
        return 0;
    }
    if (str_to_ll(str_trim(s), &v) < 0)
        v = 0;
    return v;
}

/* The children's budgets of dir, in dir's own period. */
static long long children_budget(const char *dir, long long period)
{
    _cleanup_closedir_ DIR *d = opendir(dir);
    struct dirent *e;
    long long sum = 0;

    while (d && (e = readdir(d))) {
        _cleanup_free_ char *c = NULL;
        long long rt, per;
        if (e->d_type != DT_DIR || e->d_name[0] == '.' || !(c = fs_join(dir, e->d_name)))
            continue;
        rt = read_ll(c, "cpu.rt_runtime_us");
        per = read_ll(c, "cpu.rt_period_us");
        if (rt > 0 && per > 0)
            sum += (rt * period + per - 1) / per;
    }
    return sum;
}

int cg_rt_budget(const char *parent, long long runtime, long long period, struct berr **err)
{
    _cleanup_free_ char *dir = str_fmt("/sys/fs/cgroup/cpu/%s", parent[0] == '/' ? parent + 1 : parent);
    _cleanup_free_ char *file = NULL;
    long long have, pper, need;
    char buf[32];

    if (!dir)
        return berr_oom(err);
    if (runtime <= 0)
        return 0;
    if (fs_mkdir_p(dir, 0755, err) < 0)
        return berr_wrap(err, "realtime budget for --cpu-rt-runtime");
    pper = read_ll(dir, "cpu.rt_period_us");
    if (pper <= 0)
        return berr_msg(err, "--cpu-rt-runtime: %s/cpu.rt_period_us is not there: the kernel has "
                        "no realtime group scheduling", dir);
    if (period <= 0)
        period = 1000000;
    have = read_ll(dir, "cpu.rt_runtime_us");
    need = children_budget(dir, pper) + (runtime * pper + period - 1) / period;
    if (have >= need)
        return 0;
    if (!(file = str_fmt("%s/cpu.rt_runtime_us", dir)))
        return berr_oom(err);
    snprintf(buf, sizeof(buf), "%lld", need);
    {
        FILE *f = fopen(file, "we");
        bool ok = f && fputs(buf, f) >= 0;
        int e = errno;
        if (f && fclose(f) != 0) {
            ok = false;
            e = errno;
        }
        if (!ok) {
            errno = e;
            return berr_sys(err, "--cpu-rt-runtime %lld: giving the parent cgroup %s a realtime "
                            "budget of %lldus every %lldus (more than its own parent allows?)",
                            runtime, dir, need, pper);
        }
    }
    return 0;
}
