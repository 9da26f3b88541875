/*
 * runtime/spec_resources.c: a container's resources object (spec.h:
 * memory, CPU, block IO, pids, cgroup v2 files) as the OCI spec's
 * linux.resources, and the create-time checks of those resources against
 * this host's cgroups (podman's verifyContainerResources): what a
 * controller here cannot do is dropped with podman's warning, what can
 * never work is refused with its words.
 */
#include <errno.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "runtime/cgroups.h"
#include "runtime/spec_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

#define CGROUP2_MAGIC 0x63677270

static int put_int(json_t *o, const char *key, json_t *r, const char *from, struct berr **err)
{
    json_t *v = json_object_get(r, from);

    if (!json_is_integer(v))
        return 0;
    return json_object_set(o, key, v) < 0 ? berr_oom(err) : 0;
}

/* An object under key in res, made on first use. */
static json_t *sub(json_t *res, const char *key)
{
    json_t *o = json_object_get(res, key);

    if (!o && (o = json_object()) && json_object_set_new(res, key, o) < 0)
        return NULL;
    return o;
}

static int build_memory(json_t *r, bool swap_accounting, json_t *res, struct berr **err)
{
    long long mem = js_int(r, "memory", 0), swap = js_int(r, "memorySwap", 0);
    bool swap_given = json_object_get(r, "memorySwap") != NULL;
    json_t *m;

    if (mem <= 0 && !swap_given && !json_object_get(r, "memoryReservation") &&
        !json_object_get(r, "memorySwappiness") && !js_bool(r, "oomKillDisable", false))
        return 0;
    if (!(m = sub(res, "memory")))
        return berr_oom(err);
    if (mem > 0 && js_set_int(m, "limit", mem) < 0)
        return berr_oom(err);
    if (!swap_given && mem > 0)
        swap = 2 * mem;             /* podman/docker: as much swap as memory */
    if (swap && swap_accounting && js_set_int(m, "swap", swap) < 0)
        return berr_oom(err);
    if (swap && !swap_accounting)
        log_plain("Your kernel does not support swap limit capabilities or the cgroup is "
                  "not mounted. Memory limited without swap.");
    if (put_int(m, "reservation", r, "memoryReservation", err) < 0 ||
        put_int(m, "swappiness", r, "memorySwappiness", err) < 0)
        return -1;
    if (js_bool(r, "oomKillDisable", false) && js_set_bool(m, "disableOOMKiller", true) < 0)
        return berr_oom(err);
    return 0;
}

static int build_cpu(json_t *r, json_t *res, struct berr **err)
{
    static const struct { const char *from, *to; } ints[] = {
        { "cpuShares", "shares" }, { "cpuPeriod", "period" }, { "cpuQuota", "quota" },
        { "cpuRtPeriod", "realtimePeriod" }, { "cpuRtRuntime", "realtimeRuntime" },
    };
    json_t *cpus = json_object_get(r, "cpus"), *c = NULL;
    double n = json_is_number(cpus) ? json_number_value(cpus) : 0;
    bool any = n > 0 || js_str(r, "cpusetCpus", NULL) || js_str(r, "cpusetMems", NULL);

    for (size_t i = 0; i < ARRAY_SIZE(ints); i++)
        any |= json_is_integer(json_object_get(r, ints[i].from));
    if (!any)
        return 0;
    if (!(c = sub(res, "cpu")))
        return berr_oom(err);
    /* podman's CoresToPeriodAndQuota */
    if (n > 0 && (js_set_int(c, "quota", (long long) (n * 100000 + 0.5)) < 0 ||
                  js_set_int(c, "period", 100000) < 0))
        return berr_oom(err);
    for (size_t i = 0; i < ARRAY_SIZE(ints); i++)
        if (put_int(c, ints[i].to, r, ints[i].from, err) < 0)
            return -1;
    if (js_str(r, "cpusetCpus", NULL) && js_set_str(c, "cpus", js_str(r, "cpusetCpus", "")) < 0)
        return berr_oom(err);
    if (js_str(r, "cpusetMems", NULL) && js_set_str(c, "mems", js_str(r, "cpusetMems", "")) < 0)
        return berr_oom(err);
    return 0;
}

/* [{path, major, minor, rate|weight}] -> [{major, minor, rate|weight}] */
static int blkio_list(json_t *r, const char *from, const char *valkey, json_t *bio,
                      const char *to, struct berr **err)
{
    json_t *in = json_object_get(r, from), *out, *e;
    size_t i;

    if (!json_array_size(in))
        return 0;
    if (!(out = json_array()) || json_object_set_new(bio, to, out) < 0)
        return berr_oom(err);
    json_array_foreach(in, i, e) {
        json_t *o = json_pack("{s:I, s:I, s:I}", "major", (json_int_t) js_int(e, "major", 0),
                              "minor", (json_int_t) js_int(e, "minor", 0), valkey,
                              (json_int_t) js_int(e, valkey, 0));
        if (!o || json_array_append_new(out, o) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int build_blkio(json_t *r, json_t *res, struct berr **err)
{
    static const struct { const char *from, *val, *to; } lists[] = {
        { "blkioWeightDevice", "weight", "weightDevice" },
        { "blkioReadBps", "rate", "throttleReadBpsDevice" },
        { "blkioWriteBps", "rate", "throttleWriteBpsDevice" },
        { "blkioReadIops", "rate", "throttleReadIOPSDevice" },
        { "blkioWriteIops", "rate", "throttleWriteIOPSDevice" },
    };
    bool any = json_is_integer(json_object_get(r, "blkioWeight"));
    json_t *bio;

    for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
        any |= json_array_size(json_object_get(r, lists[i].from)) > 0;
    if (!any)
        return 0;
    if (!(bio = sub(res, "blockIO")))
        return berr_oom(err);
    if (put_int(bio, "weight", r, "blkioWeight", err) < 0)
        return -1;
    for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
        if (blkio_list(r, lists[i].from, lists[i].val, bio, lists[i].to, err) < 0)
            return -1;
    return 0;
}

int spec_resources_oci(json_t *r, bool swap_accounting, json_t *res, struct berr **err)
{
    json_t *u = json_object_get(r, "unified");

    if (build_memory(r, swap_accounting, res, err) < 0 || build_cpu(r, res, err) < 0 ||
        build_blkio(r, res, err) < 0)
        return -1;
    if (json_object_size(u) && json_object_set(res, "unified", u) < 0)
        return berr_oom(err);
    return 0;
}

/* ---- create-time checks ---- */

int spec_memory_swap_check(long long memory, long long swap, struct berr **err)
{
    if (swap == -1)
        return 0;
    if (memory <= 0)
        return berr_plain(err, BK_INVALID, "you should always set a memory limit when using a memoryswap limit, see usage");
    if (swap < memory)
        return berr_plain(err, BK_INVALID, "minimum memoryswap limit should be larger than memory limit, see usage");
    return 0;
}

bool spec_cgroup2_unified(void)
{
    struct statfs sfs;

    return statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_MAGIC;
}

/* "0-3,5" -> bits; false when it does not parse or is past max. */
static bool cpuset_bits(const char *s, unsigned char *bits, size_t max)
{
    const char *p = s;

    memset(bits, 0, max);
    while (*p && *p != '\n') {
        char *end;
        unsigned long a, b;
        errno = 0;
        a = strtoul(p, &end, 10);
        if (end == p || errno)
            return false;
        b = a;
        p = end;
        if (*p == '-') {
            b = strtoul(p + 1, &end, 10);
            if (end == p + 1 || errno)
                return false;
            p = end;
        }
        if (b < a || b >= max)
            return false;
        for (unsigned long i = a; i <= b; i++)
            bits[i] = 1;
        if (*p == ',')
            p++;
        else if (*p && *p != '\n')
            return false;
    }
    return true;
}

/* The CPUs or memory nodes this host offers, as the cpuset cgroup of the
 * root says (v1) or the kernel (v2, no cpuset at the root). */
static char *available_set(bool v2, bool cpus)
{
    const char *file = v2 ? (cpus ? "/sys/devices/system/cpu/online" : "/sys/devices/system/node/online")
                          : (cpus ? "/sys/fs/cgroup/cpuset/cpuset.cpus" : "/sys/fs/cgroup/cpuset/cpuset.mems");
    char *s = NULL;
    struct berr *e = NULL;

    if (fs_read_file(file, &s, NULL, &e) < 0) {
        berr_free(e);
        return str_dup(cpus ? "" : "0");
    }
    return s;
}

static int check_cpuset(json_t *r, const char *key, bool v2, struct berr **err)
{
    enum { MAX = 4096 };
    bool cpus = strcmp(key, "cpusetCpus") == 0;
    const char *want = js_str(r, key, NULL);
    _cleanup_free_ unsigned char *w = calloc(MAX, 1), *have = calloc(MAX, 1);
    _cleanup_free_ char *avail = NULL;

    if (!want || !*want)
        return 0;
    if (!w || !have || !(avail = available_set(v2, cpus)))
        return berr_oom(err);
    str_trim(avail);
    if (!cpuset_bits(want, w, MAX))
        return berr_kind(err, BK_INVALID, "invalid value %s for cpuset %s", want, cpus ? "cpus" : "mems");
    if (!cpuset_bits(avail, have, MAX))
        return 0;       /* cannot tell: let the kernel judge */
    for (size_t i = 0; i < MAX; i++)
        if (w[i] && !have[i])
            return berr_new(err, BERR_ENGINE, 0, "requested %s are not available - requested %s, available: %s",
                            cpus ? "CPUs" : "memory nodes", want, avail);
    return 0;
}

/* Drops key from r with podman's warning when the host lacks the file. */
static void drop_unless(json_t *r, const char *key, bool have, const char *warning)
{
    json_t *v = json_object_get(r, key);

    if (!v || have || (json_is_array(v) && !json_array_size(v)))
        return;
    log_warn("%s", warning);
    json_object_del(r, key);
}

static int check_v1(json_t *r, struct berr **err)
{
    if (json_object_get(r, "unified"))
        return berr_msg(err, "cannot use --cgroup-conf without cgroup v2");
    drop_unless(r, "memorySwappiness", cg_v1_has("memory", "memory.swappiness"),
                "Your kernel does not support memory swappiness capabilities, or the cgroup is not mounted. Memory swappiness discarded.");
    drop_unless(r, "memoryReservation", cg_v1_has("memory", "memory.soft_limit_in_bytes"),
                "Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.");
    drop_unless(r, "oomKillDisable", cg_v1_has("memory", "memory.oom_control"),
                "Your kernel does not support OomKillDisable. OomKillDisable discarded.");
    drop_unless(r, "cpuPeriod", cg_v1_has("cpu", "cpu.cfs_period_us"),
                "Your kernel does not support CPU cfs period or the cgroup is not mounted. Period discarded.");
    drop_unless(r, "cpuQuota", cg_v1_has("cpu", "cpu.cfs_quota_us"),
                "Your kernel does not support CPU cfs quota or the cgroup is not mounted. Quota discarded.");
    drop_unless(r, "cpuRtPeriod", cg_v1_has("cpu", "cpu.rt_period_us"),
                "Your kernel does not support CPU realtime scheduler or the cgroup is not mounted. Realtime period discarded.");
    drop_unless(r, "cpuRtRuntime", cg_v1_has("cpu", "cpu.rt_runtime_us"),
                "Your kernel does not support CPU realtime scheduler or the cgroup is not mounted. Realtime runtime discarded.");
    drop_unless(r, "blkioWeight", cg_v1_has("blkio", "blkio.weight"),
                "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
    drop_unless(r, "blkioWeightDevice", cg_v1_has("blkio", "blkio.weight_device"),
                "Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.");
    drop_unless(r, "blkioReadBps", cg_v1_has("blkio", "blkio.throttle.read_bps_device"),
                "Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read limit discarded");
    drop_unless(r, "blkioWriteBps", cg_v1_has("blkio", "blkio.throttle.write_bps_device"),
                "Your kernel does not support BPS Block I/O write limit or the cgroup is not mounted. Block I/O BPS write limit discarded.");
    drop_unless(r, "blkioReadIops", cg_v1_has("blkio", "blkio.throttle.read_iops_device"),
                "Your kernel does not support IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read limit discarded.");
    drop_unless(r, "blkioWriteIops", cg_v1_has("blkio", "blkio.throttle.write_iops_device"),
                "Your kernel does not support IOPS Block I/O write limit or the cgroup is not mounted. Block I/O IOPS write limit discarded.");
    return 0;
}

static int check_v2(json_t *r)
{
    drop_unless(r, "cpuRtPeriod", false, "Realtime period not supported on cgroups V2 systems");
    drop_unless(r, "cpuRtRuntime", false, "Realtime runtime not supported on cgroups V2 systems");
    drop_unless(r, "oomKillDisable", false, "Your kernel does not support OomKillDisable. OomKillDisable discarded.");
    return 0;
}

int spec_resources_check(json_t *r, struct berr **err)
{
    bool v2 = spec_cgroup2_unified();
    long long mem = js_int(r, "memory", 0), resv = js_int(r, "memoryReservation", 0);

    if (!json_is_object(r))
        return 0;
    if (mem > 0 && resv > 0 && mem < resv)
        return berr_msg(err, "minimum memory limit cannot be less than memory reservation limit, see usage");
    if ((v2 ? check_v2(r) : check_v1(r, err)) < 0)
        return -1;
    if (check_cpuset(r, "cpusetCpus", v2, err) < 0 || check_cpuset(r, "cpusetMems", v2, err) < 0)
        return -1;
    return 0;
}
