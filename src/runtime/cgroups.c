/*
 * runtime/cgroups.c: the caller's own cgroup, realtime budgets of
 * parent cgroups, and the v1 cgroups berth makes itself (cgroups.h).
 * Only files under /sys/fs/cgroup.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- v1 cgroups of berth's own ---- */

int cg_write_file(const char *dir, const char *file, const char *value, struct berr **err)
{
    _cleanup_free_ char *p = fs_join(dir, file);
    _cleanup_free_ char *line = str_fmt("%s\n", value);
    _cleanup_close_ int fd = -1;
    size_t len = line ? strlen(line) : 0;

    if (!p || !line)
        return berr_oom(err);
    /* O_APPEND is nothing to the kernel (a cgroup file takes each write
     * whole, as echo VALUE >> FILE does) but keeps every write in a
     * fixture tree's plain file, in order, for the unit tests */
    fd = open(p, O_WRONLY | O_APPEND | O_CLOEXEC);
    /* one write(2): the kernel takes or refuses the value whole */
    if (fd < 0 || write(fd, line, len) != (ssize_t) len)
        return berr_sys(err, "write %s to %s", value, p);
    return 0;
}

/* cpuset.cpus or .mems of dir, from its parent's when empty */
static int cpuset_inherit(const char *parent, const char *dir, const char *file,
                          struct berr **err)
{
    _cleanup_free_ char *mine = fs_join(dir, file), *theirs = fs_join(parent, file);
    _cleanup_free_ char *v = NULL, *pv = NULL;

    if (!mine || !theirs)
        return berr_oom(err);
    if (fs_read_file(mine, &v, NULL, err) < 0)
        return -1;
    if (*str_trim(v))
        return 0;
    if (fs_read_file(theirs, &pv, NULL, err) < 0)
        return -1;
    return cg_write_file(dir, file, str_trim(pv), err);
}

int cg_mkdir_levels(char *dir, size_t top_len,
                    int (*each)(const char *dir, void *arg, struct berr **err), void *arg,
                    struct berr **err)
{
    for (char *s = dir + top_len + 1;; s++) {
        char c = *s;
        int rc = 0;
        if (c != '/' && c != '\0')
            continue;
        *s = '\0';
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
            rc = berr_sys(err, "create cgroup %s", dir);
        else if (each)
            rc = each(dir, arg, err);
        *s = c;
        if (rc < 0 || c == '\0')
            return rc;
    }
}

/* cpuset: a new level gets its parent's cpus and mems */
static int cpuset_fill(const char *dir, void *arg, struct berr **err)
{
    const char *up = strrchr(dir, '/');
    _cleanup_free_ char *parent = up ? strndup(dir, (size_t) (up - dir)) : NULL;

    (void) arg;
    if (!parent)
        return berr_oom(err);
    if (cpuset_inherit(parent, dir, "cpuset.cpus", err) < 0 ||
        cpuset_inherit(parent, dir, "cpuset.mems", err) < 0)
        return -1;
    return 0;
}

int cg_v1_mkdir(const char *root, const char *ctl, const char *path, struct berr **err)
{
    _cleanup_free_ char *dir = str_fmt("%s/%s/%s", root, ctl, path[0] == '/' ? path + 1 : path);

    if (!dir)
        return berr_oom(err);
    if (!str_eq(ctl, "cpuset"))
        return fs_mkdir_p(dir, 0755, err);
    /* level by level, each filled from the one above */
    return cg_mkdir_levels(dir, strlen(root) + 1 + strlen(ctl), cpuset_fill, NULL, err);
}

int cg_v1_write(const char *root, const char *ctl, const char *path, const char *file,
                const char *value, struct berr **err)
{
    _cleanup_free_ char *dir = str_fmt("%s/%s/%s", root, ctl, path[0] == '/' ? path + 1 : path);

    if (!dir)
        return berr_oom(err);
    return cg_write_file(dir, file, value, err);
}

int cg_v1_rmdir(const char *root, const char *path, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(root);
    struct dirent *e;
    int rc = 0;

    if (!d)
        return 0;
    while ((e = readdir(d))) {
        _cleanup_free_ char *dir = NULL;
        if (e->d_name[0] == '.')
            continue;
        dir = str_fmt("%s/%s/%s", root, e->d_name, path[0] == '/' ? path + 1 : path);
        if (!dir)
            return berr_oom(err);
        /* cpu and cpuacct may be one hierarchy under two names: ENOENT */
        if (rmdir(dir) < 0 && errno != ENOENT && errno != ENOTDIR && rc == 0)
            rc = berr_sys(err, "remove cgroup %s", dir);
    }
    return rc;
}

bool cg_v1_has(const char *ctl, const char *file)
{
    char p[128];
    int n = file ? snprintf(p, sizeof(p), CG_ROOT "/%s/%s", ctl, file)
                 : snprintf(p, sizeof(p), CG_ROOT "/%s", ctl);

    return n > 0 && (size_t) n < sizeof(p) && access(p, F_OK) == 0;
}
