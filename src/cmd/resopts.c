/*
 * cmd/resopts.c: the resource flags of run/create and update (see
 * resopts.h) into a runtime/spec.h "resources" object. Error texts are
 * podman 4.3.1's (checked against the installed podman), berth's own
 * where podman lets a value through to fail in the OCI runtime (a
 * throttled character device).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cmd/resopts.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/str.h"

static int inval(struct berr **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int inval(struct berr **err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    berr_vplain(err, BK_INVALID, fmt, ap);
    va_end(ap);
    return -1;
}

static int set_new(json_t *o, const char *key, json_t *v, struct berr **err)
{
    return !v || json_object_set_new(o, key, v) < 0 ? berr_oom(err) : 0;
}

int resopts_init(struct resopts *r, struct berr **err)
{
    memset(r, 0, sizeof(*r));
    r->res = json_object();
    return r->res ? 0 : berr_oom(err);
}

void resopts_free(struct resopts *r)
{
    json_decref(r->res);
    memset(r, 0, sizeof(*r));
}

/* ---- block IO devices ---- */

static const char *const rate_help_bps =
    ". The correct format is <device-path>:<number>[<unit>]. Number must be a positive "
    "integer. Unit is optional and can be kb, mb, or gb";
static const char *const rate_help_iops =
    ". The correct format is <device-path>:<number>. Number must be a positive integer";

/* The value of one "PATH:VALUE" of kind bps, iops or weight. */
static int blkio_value(const char *kind, const char *item, const char *v, long long *out,
                       struct berr **err)
{
    unsigned long long u;

    if (strcmp(kind, "bps") == 0) {
        if (hum_parse_size(v, out) < 0 || *out < 0)
            return inval(err, "invalid rate for device: %s%s", item, rate_help_bps);
    } else if (strcmp(kind, "iops") == 0) {
        if (str_to_ull(v, &u) < 0 || u > (unsigned long long) LLONG_MAX)
            return inval(err, "invalid rate for device: %s%s", item, rate_help_iops);
        *out = (long long) u;
    } else {
        if (str_to_ull(v, &u) < 0 || (u > 0 && (u < 10 || u > 1000)))
            return inval(err, "invalid weight for device: %s", item);
        *out = (long long) u;
    }
    return 0;
}

int resopts_blkio_devices(const char *flag, const char *kind, const char *list, json_t *arr,
                          struct berr **err)
{
    _cleanup_strv_ strv items = strv_split(list, ",");
    bool weight = strcmp(kind, "weight") == 0;

    if (!items)
        return berr_oom(err);
    for (size_t i = 0; items[i]; i++) {
        const char *it = items[i], *colon = strchr(it, ':');
        _cleanup_free_ char *path = colon ? str_ndup(it, (size_t) (colon - it)) : NULL;
        struct stat st;
        long long v;
        json_t *e, *old;
        size_t k;

        if (!colon)
            return inval(err, "bad format: %s", it);
        if (!path)
            return berr_oom(err);
        if (!str_has_prefix(path, "/dev/"))
            return inval(err, "bad format for device path: %s", it);
        if (blkio_value(kind, it, colon + 1, &v, err) < 0)
            return -1;
        /* podman stats the device at create; berth now, and refuses what
         * the kernel would refuse later with a bare "no such device" */
        if (stat(path, &st) < 0) {
            if (weight)
                return berr_sys(err, "failed to inspect '%s' in --%s: stat %s", path, flag, path);
            return berr_sys(err, "could not parse throttle device at %s: stat %s", path, path);
        }
        if (!S_ISBLK(st.st_mode))
            return inval(err, "--%s %s: not a block device (the kernel weighs and throttles "
                         "the IO of block devices only)", flag, path);
        json_array_foreach(arr, k, old)
            if (str_eq(js_str(old, "path", NULL), path)) {
                json_array_remove(arr, k);      /* podman: the last one wins */
                break;
            }
        e = json_pack("{s:s, s:I, s:I, s:I}", "path", path, "major", (json_int_t) major(st.st_rdev),
                      "minor", (json_int_t) minor(st.st_rdev),
                      weight ? "weight" : "rate", (json_int_t) v);
        if (!e || json_array_append_new(arr, e) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int blkio_flag(struct resopts *r, struct opt_it *it, const char *key, const char *kind,
                      struct berr **err)
{
    json_t *arr = json_object_get(r->res, key);

    if (!arr && set_new(r->res, key, arr = json_array(), err) < 0)
        return -1;
    return resopts_blkio_devices(it->opt->name, kind, it->arg, arr, err);
}

/* ---- one flag ---- */

static int size_flag(const char *v, long long *out, struct berr **err)
{
    if (hum_parse_size(v, out) < 0)
        return inval(err, "invalid value for memory: invalid size: '%s'", v);
    return 0;
}

static int cpus_flag(struct resopts *r, struct opt_it *it, struct berr **err)
{
    const char *v = it->arg;
    char *end;
    double d;

    errno = 0;
    d = strtod(v, &end);
    if (!*v || *end || errno || !isfinite(d)) {
        /* pflag's words, the reason before the usage hint */
        return inval(err, "invalid argument \"%s\" for \"--%s\" flag: strconv.ParseFloat: "
                     "parsing \"%s\": invalid syntax\nSee '%s --help'", v, it->opt->name, v,
                     it->cmdpath ? it->cmdpath : "berth");
    }
    r->cpus_set = true;
    /* podman: 0 is no limit; a negative count is refused at create
     * (runtime/spec.h spec_check) */
    if (d == 0) {
        json_object_del(r->res, "cpus");
        return 0;
    }
    return set_new(r->res, "cpus", json_real(d), err);
}

/* cpuset lists: "0-3,5"; ranges must go up. */
static int cpuset_check(const char *s, const char *what, struct berr **err)
{
    const char *p = s;

    if (!*s)
        return 0;
    for (;;) {
        char *end;
        unsigned long a, b;
        if (*p < '0' || *p > '9')
            goto bad;
        a = strtoul(p, &end, 10);
        b = a;
        p = end;
        if (*p == '-') {
            if (p[1] < '0' || p[1] > '9')
                goto bad;
            b = strtoul(p + 1, &end, 10);
            p = end;
        }
        if (b < a)
            goto bad;
        if (!*p)
            return 0;
        if (*p != ',')
            goto bad;
        p++;
    }
bad:
    return inval(err, "invalid value %s for cpuset %s", s, what);
}

static int cpu_flag(struct resopts *r, struct opt_it *it, struct berr **err)
{
    const char *v = it->arg;
    unsigned long long u;
    long long n;

    switch (it->opt->id) {
    case 'c':
        if (opt_uint(it, &u, err) < 0)
            return -1;
        return u ? set_new(r->res, "cpuShares", json_integer((json_int_t) u), err) : 0;
    case R_CPUS: return cpus_flag(r, it, err);
    case R_CPU_PERIOD:
        if (opt_uint(it, &u, err) < 0)
            return -1;
        r->period_set = true;
        if (u && (u < 1000 || u > 1000000))
            return inval(err, "CPU cfs period cannot be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        return u ? set_new(r->res, "cpuPeriod", json_integer((json_int_t) u), err) : 0;
    case R_CPU_QUOTA:
        if (opt_int(it, &n, err) < 0)
            return -1;
        r->quota_set = true;
        if (n > 0 && n < 1000)
            return inval(err, "CPU cfs quota cannot be less than 1ms (i.e. 1000)");
        return n > 0 ? set_new(r->res, "cpuQuota", json_integer(n), err) : 0;
    case R_CPU_RT_PERIOD:
        if (opt_uint(it, &u, err) < 0)
            return -1;
        return u ? set_new(r->res, "cpuRtPeriod", json_integer((json_int_t) u), err) : 0;
    case R_CPU_RT_RUNTIME:
        if (opt_int(it, &n, err) < 0)
            return -1;
        return n > 0 ? set_new(r->res, "cpuRtRuntime", json_integer(n), err) : 0;
    case R_CPUSET_CPUS:
    case R_CPUSET_MEMS: {
        bool cpus = it->opt->id == R_CPUSET_CPUS;
        if (cpuset_check(v, cpus ? "cpus" : "mems", err) < 0)
            return -1;
        if (!*v) {
            json_object_del(r->res, cpus ? "cpusetCpus" : "cpusetMems");
            return 0;
        }
        return set_new(r->res, cpus ? "cpusetCpus" : "cpusetMems", json_string(v), err);
    }
    }
    return RESOPTS_NOT_MINE;
}

static int memory_flag(struct resopts *r, struct opt_it *it, struct berr **err)
{
    const char *v = it->arg;
    long long n;

    switch (it->opt->id) {
    case 'm':
        r->memory_set = true;
        return size_flag(v, &r->memory, err);
    case R_MEMORY_RESERVATION:
        if (size_flag(v, &n, err) < 0)
            return -1;
        return n > 0 ? set_new(r->res, "memoryReservation", json_integer(n), err) : 0;
    case R_MEMORY_SWAP:
        r->swap_set = true;
        if (strcmp(v, "-1") == 0) {
            r->swap = -1;
            return 0;
        }
        return size_flag(v, &r->swap, err);
    case R_MEMORY_SWAPPINESS:
        if (opt_int(it, &n, err) < 0)
            return -1;
        if (n < 0) {            /* podman's default, -1: the kernel's */
            json_object_del(r->res, "memorySwappiness");
            return 0;
        }
        if (n > 100)
            return inval(err, "invalid value: %lld, valid memory swappiness range is 0-100", n);
        return set_new(r->res, "memorySwappiness", json_integer(n), err);
    case R_OOM_KILL_DISABLE:
        if (!it->bval) {
            json_object_del(r->res, "oomKillDisable");
            return 0;
        }
        return set_new(r->res, "oomKillDisable", json_true(), err);
    }
    return RESOPTS_NOT_MINE;
}

int resopts_opt(struct resopts *r, struct opt_it *it, struct berr **err)
{
    const char *v = it->arg;
    unsigned long long u;
    long long n;
    int rc;

    if ((rc = cpu_flag(r, it, err)) != RESOPTS_NOT_MINE ||
        (rc = memory_flag(r, it, err)) != RESOPTS_NOT_MINE)
        return rc;
    switch (it->opt->id) {
    case R_BLKIO_WEIGHT:
        if (str_to_ull(v, &u) < 0)
            return inval(err, "invalid value for blkio-weight: strconv.ParseUint: parsing \"%s\": invalid syntax", v);
        if (u > 65535)
            return inval(err, "invalid value for blkio-weight: strconv.ParseUint: parsing \"%s\": value out of range", v);
        if (u && (u < 10 || u > 1000))
            return inval(err, "range of blkio weight is from 10 to 1000");
        if (!u) {
            json_object_del(r->res, "blkioWeight");
            return 0;
        }
        return set_new(r->res, "blkioWeight", json_integer((json_int_t) u), err);
    case R_BLKIO_WEIGHT_DEVICE: return blkio_flag(r, it, "blkioWeightDevice", "weight", err);
    case R_DEVICE_READ_BPS: return blkio_flag(r, it, "blkioReadBps", "bps", err);
    case R_DEVICE_WRITE_BPS: return blkio_flag(r, it, "blkioWriteBps", "bps", err);
    case R_DEVICE_READ_IOPS: return blkio_flag(r, it, "blkioReadIops", "iops", err);
    case R_DEVICE_WRITE_IOPS: return blkio_flag(r, it, "blkioWriteIops", "iops", err);
    case R_PIDS_LIMIT:
        if (opt_int(it, &n, err) < 0)
            return -1;
        return set_new(r->res, "pidsLimit", json_integer(n), err);
    }
    return RESOPTS_NOT_MINE;
}

int resopts_conflicts(const struct resopts *r, struct berr **err)
{
    if (r->cpus_set && r->period_set)
        return inval(err, "--cpu-period and --cpus cannot be set together");
    if (r->cpus_set && r->quota_set)
        return inval(err, "--cpu-quota and --cpus cannot be set together");
    return 0;
}

int resopts_finish(struct resopts *r, struct berr **err)
{
    long long resv = js_int(r->res, "memoryReservation", 0);

    if (resopts_conflicts(r, err) < 0)
        return -1;
    if (r->memory_set && r->memory > 0 && set_new(r->res, "memory", json_integer(r->memory), err) < 0)
        return -1;
    if (r->swap_set) {
        /* update: a swap limit alone is checked with the container's
         * memory limit (ctr_update) */
        if ((!r->update || (r->memory_set && r->memory > 0)) &&
            spec_memory_swap_check(r->memory_set ? r->memory : 0, r->swap, err) < 0)
            return -1;
        if (set_new(r->res, "memorySwap", json_integer(r->swap), err) < 0)
            return -1;
    }
    if (r->memory_set && r->memory > 0 && resv > 0 && r->memory < resv)
        return inval(err, "minimum memory limit cannot be less than memory reservation limit, see usage");
    return 0;
}
