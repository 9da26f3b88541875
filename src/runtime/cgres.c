/*
 * runtime/cgres.c: OCI resources into a cgroup of berth's own, v1 or v2
 * (cgres.h). One table says which OCI key goes to which controller's
 * file, through which conversion, on which layout: the two writers
 * share the rows whose shape is the same (cpuset.cpus, pids.max, ...)
 * and each has its own where the kernel's differ (cpu.shares against
 * cpu.weight, the quota and period against cpu.max). Device lists
 * (block I/O) are lines of their own, written beside the table.
 * Conversions are runc's (libcontainer/cgroups/utils.go), so a pod's
 * limits read as a container's would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/cgres.h"
#include "runtime/cgroups.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

enum cg_layout cgres_host_layout(void)
{
    return spec_cgroup2_unified() ? CG_V2 : CG_V1;
}

/* ---- the table ---- */

/* Fills out with the file's value from OCI section sect (key: the row's
 * key, NULL for rows that read several); false: nothing to write. */
typedef bool (*cg_conv)(json_t *sect, const char *key, char *out, size_t n);

static bool conv_str(json_t *s, const char *key, char *out, size_t n)
{
    snprintf(out, n, "%s", js_str(s, key, ""));
    return true;
}

static bool conv_int(json_t *s, const char *key, char *out, size_t n)
{
    snprintf(out, n, "%lld", js_int(s, key, 0));
    return true;
}

/* pids.max, memory.max: a positive number, else unlimited */
static bool conv_max(json_t *s, const char *key, char *out, size_t n)
{
    long long v = js_int(s, key, 0);

    if (v > 0)
        snprintf(out, n, "%lld", v);
    else
        snprintf(out, n, "max");
    return true;
}

static bool conv_true(json_t *s, const char *key, char *out, size_t n)
{
    snprintf(out, n, "1");
    return js_bool(s, key, false);
}

/* cpu.shares [2, 262144] -> cpu.weight [1, 10000], as runc maps it */
static bool conv_weight(json_t *s, const char *key, char *out, size_t n)
{
    long long shares = js_int(s, key, 0);

    if (shares == 0)
        return false;
    snprintf(out, n, "%lld", 1 + ((shares - 2) * 9999) / 262142);
    return true;
}

/* cpu.max "QUOTA PERIOD": "max" for no quota; the period when given */
static bool conv_cpu_max(json_t *s, const char *key, char *out, size_t n)
{
    long long quota = js_int(s, "quota", 0), period = js_int(s, "period", 0);
    int len;

    (void) key;
    if (quota == 0 && period == 0)
        return false;
    len = quota > 0 ? snprintf(out, n, "%lld", quota) : snprintf(out, n, "max");
    if (period != 0 && len > 0 && (size_t) len < n)
        snprintf(out + len, n - (size_t) len, " %lld", period);
    return true;
}

/* OCI's swap is memory+swap (v1's memsw); v2's memory.swap.max is the
 * swap alone: the difference, "max" for unlimited (with an unlimited
 * memory and no swap given too, as runc does). */
static bool conv_swap_v2(json_t *s, const char *key, char *out, size_t n)
{
    long long swap = js_int(s, "swap", 0), mem = js_int(s, "limit", 0);

    (void) key;
    if (swap == -1 || (mem == -1 && swap == 0)) {
        snprintf(out, n, "max");
        return true;
    }
    /* no swap given, or one spec_resources_check would have refused */
    if (swap == 0 || mem <= 0 || swap < mem)
        return false;
    snprintf(out, n, "%lld", swap - mem);
    return true;
}

#define ON_V1 (1u << CG_V1)
#define ON_V2 (1u << CG_V2)

static const struct cg_row {
    unsigned on;                /* ON_V1, ON_V2 or both */
    const char *sect, *key;     /* linux.resources.<sect>.<key>; NULL: conv reads sect */
    const char *ctl, *file;     /* controller (the v1 hierarchy), file */
    cg_conv conv;
} rows[] = {
    /* in the order the kernel takes them: cpus and mems before anything
     * joins, v1's period before its quota, its memory limit before
     * memory+swap */
    { ON_V1 | ON_V2, "cpu", "cpus", "cpuset", "cpuset.cpus", conv_str },
    { ON_V1 | ON_V2, "cpu", "mems", "cpuset", "cpuset.mems", conv_str },
    { ON_V1, "cpu", "shares", "cpu", "cpu.shares", conv_int },
    { ON_V2, "cpu", "shares", "cpu", "cpu.weight", conv_weight },
    { ON_V1, "cpu", "period", "cpu", "cpu.cfs_period_us", conv_int },
    { ON_V1, "cpu", "quota", "cpu", "cpu.cfs_quota_us", conv_int },
    { ON_V2, "cpu", NULL, "cpu", "cpu.max", conv_cpu_max },
    { ON_V1, "cpu", "realtimePeriod", "cpu", "cpu.rt_period_us", conv_int },
    { ON_V1, "cpu", "realtimeRuntime", "cpu", "cpu.rt_runtime_us", conv_int },
    { ON_V1, "memory", "limit", "memory", "memory.limit_in_bytes", conv_int },
    { ON_V2, "memory", "limit", "memory", "memory.max", conv_max },
    { ON_V1, "memory", "swap", "memory", "memory.memsw.limit_in_bytes", conv_int },
    { ON_V2, "memory", NULL, "memory", "memory.swap.max", conv_swap_v2 },
    { ON_V1, "memory", "reservation", "memory", "memory.soft_limit_in_bytes", conv_int },
    { ON_V2, "memory", "reservation", "memory", "memory.low", conv_int },
    { ON_V1, "memory", "swappiness", "memory", "memory.swappiness", conv_int },
    { ON_V1, "memory", "disableOOMKiller", "memory", "memory.oom_control", conv_true },
    { ON_V1 | ON_V2, "pids", "limit", "pids", "pids.max", conv_max },
    { ON_V1, "blockIO", "weight", "blkio", "blkio.weight", conv_int },
};

/* What cgroup v2 has no file for: said, not written (podman warns at
 * create for realtime and the OOM killer already). */
static void warn_v2_unsupported(json_t *res)
{
    static const struct { const char *sect, *key, *what; } none[] = {
        { "memory", "swappiness", "memory swappiness" },
        { "memory", "disableOOMKiller", "disabling the OOM killer" },
        { "cpu", "realtimePeriod", "a realtime period" },
        { "cpu", "realtimeRuntime", "a realtime runtime" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(none); i++)
        if (json_object_get(json_object_get(res, none[i].sect), none[i].key))
            log_warn("cgroup v2 has no file for %s: not set", none[i].what);
}

/* Every row of layout l whose key res has. v1: path is the cgroup's
 * within each hierarchy under root; v2: its directory. */
static int write_rows(const char *root, enum cg_layout l, const char *path, json_t *res,
                      struct berr **err)
{
    char v[64];

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        const struct cg_row *r = &rows[i];
        json_t *sect = json_object_get(res, r->sect);
        if (!(r->on & (1u << l)) || !sect || (r->key && !json_object_get(sect, r->key)) ||
            !r->conv(sect, r->key, v, sizeof(v)))
            continue;
        if (l == CG_V1 ? cg_v1_write(root, r->ctl, path, r->file, v, err) < 0
                       : cg_write_file(path, r->file, v, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- block I/O: one line per device ---- */

static const struct {
    const char *key, *v1_file, *v2_word;
} io_limits[] = {
    { "throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps" },
    { "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps" },
    { "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops" },
    { "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops" },
};

static int write_blkio_v1(const char *root, const char *path, json_t *bio, struct berr **err)
{
    char v[96];
    size_t i;
    json_t *e;

    json_array_foreach(json_object_get(bio, "weightDevice"), i, e) {
        snprintf(v, sizeof(v), "%lld:%lld %lld", js_int(e, "major", 0), js_int(e, "minor", 0),
                 js_int(e, "weight", 0));
        if (cg_v1_write(root, "blkio", path, "blkio.weight_device", v, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < ARRAY_SIZE(io_limits); k++)
        json_array_foreach(json_object_get(bio, io_limits[k].key), i, e) {
            snprintf(v, sizeof(v), "%lld:%lld %lld", js_int(e, "major", 0),
                     js_int(e, "minor", 0), js_int(e, "rate", 0));
            if (cg_v1_write(root, "blkio", path, io_limits[k].v1_file, v, err) < 0)
                return -1;
        }
    return 0;
}

/* runc's: blkio.weight [10, 1000] -> io.weight [1, 10000] */
static long long io_weight(long long w)
{
    return 1 + (w - 10) * 9999 / 990;
}

/* v2: weights go to io.bfq.weight as they are when the BFQ scheduler
 * offers it, else to io.weight converted; limits are io.max lines. */
static int write_io_v2(const char *dir, json_t *bio, struct berr **err)
{
    _cleanup_free_ char *bfq_path = fs_join(dir, "io.bfq.weight");
    bool bfq;
    char v[96];
    size_t i;
    json_t *e;

    if (!bfq_path)
        return berr_oom(err);
    bfq = fs_exists(bfq_path);
    if (js_int(bio, "weight", 0) > 0) {
        long long w = js_int(bio, "weight", 0);
        snprintf(v, sizeof(v), "%lld", bfq ? w : io_weight(w));
        if (cg_write_file(dir, bfq ? "io.bfq.weight" : "io.weight", v, err) < 0)
            return -1;
    }
    json_array_foreach(json_object_get(bio, "weightDevice"), i, e) {
        long long w = js_int(e, "weight", 0);
        snprintf(v, sizeof(v), "%lld:%lld %lld", js_int(e, "major", 0), js_int(e, "minor", 0),
                 bfq ? w : io_weight(w));
        if (cg_write_file(dir, bfq ? "io.bfq.weight" : "io.weight", v, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < ARRAY_SIZE(io_limits); k++)
        json_array_foreach(json_object_get(bio, io_limits[k].key), i, e) {
            snprintf(v, sizeof(v), "%lld:%lld %s=%lld", js_int(e, "major", 0),
                     js_int(e, "minor", 0), io_limits[k].v2_word, js_int(e, "rate", 0));
            if (cg_write_file(dir, "io.max", v, err) < 0)
                return -1;
        }
    return 0;
}

/* ---- v1 ---- */

static int apply_v1(const char *root, const char *path, json_t *res, struct berr **err)
{
    static const char *const ctls[] = { "cpuset", "cpu", "cpuacct", "memory", "pids", "blkio" };

    for (size_t i = 0; i < ARRAY_SIZE(ctls); i++) {
        _cleanup_free_ char *h = fs_join(root, ctls[i]);
        if (!h)
            return berr_oom(err);
        if (fs_exists(h) && cg_v1_mkdir(root, ctls[i], path, err) < 0)
            return -1;
    }
    if (write_rows(root, CG_V1, path, res, err) < 0)
        return -1;
    return write_blkio_v1(root, path, json_object_get(res, "blockIO"), err);
}

/* ---- v2 ---- */

/* Adds to dir's cgroup.subtree_control every controller its
 * cgroup.controllers offers and it has not enabled yet, in one write,
 * as podman's cgroupfs manager enables them for a pod's cgroup. */
static int enable_controllers(const char *dir, void *arg, struct berr **err)
{
    _cleanup_free_ char *cp = fs_join(dir, "cgroup.controllers");
    _cleanup_free_ char *sp = fs_join(dir, "cgroup.subtree_control");
    _cleanup_free_ char *have = NULL, *on = NULL, *add = NULL;
    char *save = NULL;
    size_t len = 0;

    (void) arg;
    if (!cp || !sp)
        return berr_oom(err);
    if (fs_read_file(cp, &have, NULL, err) < 0 || fs_read_file(sp, &on, NULL, err) < 0)
        return berr_wrap(err, "cgroup %s", dir);
    if (!(add = calloc(1, strlen(have) * 2 + 2)))
        return berr_oom(err);
    for (char *c = strtok_r(have, " \n", &save); c; c = strtok_r(NULL, " \n", &save)) {
        bool enabled = false;
        char *dup = str_dup(on), *s2 = NULL;
        if (!dup)
            return berr_oom(err);
        for (char *o = strtok_r(dup, " \n+", &s2); o; o = strtok_r(NULL, " \n+", &s2))
            enabled |= str_eq(o, c);
        free(dup);
        if (!enabled)
            len += (size_t) sprintf(add + len, "%s+%s", len ? " " : "", c);
    }
    return len ? cg_write_file(dir, "cgroup.subtree_control", add, err) : 0;
}

static int apply_v2(const char *root, const char *path, json_t *res, struct berr **err)
{
    _cleanup_free_ char *dir = fs_join(root, path[0] == '/' ? path + 1 : path);
    json_t *u = json_object_get(res, "unified"), *v;
    const char *k;

    if (!dir)
        return berr_oom(err);
    /* level by level: a child's controllers are what its parent enabled */
    if (enable_controllers(root, NULL, err) < 0 ||
        cg_mkdir_levels(dir, strlen(root), enable_controllers, NULL, err) < 0)
        return -1;
    warn_v2_unsupported(res);
    if (write_rows(root, CG_V2, dir, res, err) < 0 ||
        write_io_v2(dir, json_object_get(res, "blockIO"), err) < 0)
        return -1;
    /* --cgroup-conf KEY=VALUE: the file, as given */
    json_object_foreach(u, k, v)
        if (cg_write_file(dir, k, json_string_value(v) ? json_string_value(v) : "", err) < 0)
            return -1;
    return 0;
}

int cgres_apply(const char *root, enum cg_layout l, const char *path, json_t *res,
                struct berr **err)
{
    return l == CG_V2 ? apply_v2(root, path, res, err) : apply_v1(root, path, res, err);
}

int cgres_remove(const char *root, enum cg_layout l, const char *path, struct berr **err)
{
    _cleanup_free_ char *dir = NULL;

    if (l == CG_V1)
        return cg_v1_rmdir(root, path, err);
    if (!(dir = fs_join(root, path[0] == '/' ? path + 1 : path)))
        return berr_oom(err);
    if (rmdir(dir) < 0 && errno != ENOENT)
        return berr_sys(err, "remove cgroup %s", dir);
    return 0;
}
