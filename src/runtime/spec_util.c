/*
 * runtime/spec_util.c: the small tables behind the spec builder:
 * capability names, signal names, ulimit parsing, the host probe, and
 * the create-time check of the values it will be given.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "runtime/spec_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/idmap.h"
#include "util/js.h"
#include "util/str.h"

/* Indexed by capability number (linux/capability.h). */
static const char *const cap_names[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
    "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
    "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

const char *spec_cap_name(const char *s)
{
    if (!s)
        return NULL;
    if (strncasecmp(s, "CAP_", 4) == 0)
        s += 4;
    for (size_t i = 0; i < ARRAY_SIZE(cap_names); i++)
        if (strcasecmp(cap_names[i] + 4, s) == 0)
            return cap_names[i];
    return NULL;
}

char **spec_caps_from_mask(uint64_t mask)
{
    strv v = calloc(1, sizeof(char *));

    for (size_t i = 0; v && i < ARRAY_SIZE(cap_names); i++)
        if ((mask >> i) & 1 && strv_push(&v, cap_names[i]) < 0) {
            strv_free(v);
            return NULL;
        }
    if (v)
        strv_sort(v);
    return v;
}

int spec_signal_parse(const char *s)
{
    static const struct { const char *n; int v; } sigs[] = {
        { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
        { "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
        { "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
        { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
        { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CLD", SIGCHLD }, { "CONT", SIGCONT },
        { "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
        { "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM },
        { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL },
        { "PWR", SIGPWR }, { "SYS", SIGSYS },
    };
    long long n;

    if (!s || !*s)
        return -1;
    if (str_to_ll(s, &n) == 0)
        return n > 0 && n <= 64 ? (int) n : -1;
    if (strncasecmp(s, "SIG", 3) == 0)
        s += 3;
    if (strncasecmp(s, "RTMIN", 5) == 0 || strncasecmp(s, "RTMAX", 5) == 0) {
        bool max = strncasecmp(s, "RTMAX", 5) == 0;
        long long off = 0;
        if (s[5] && (str_to_ll(s + 5, &off) < 0 || (max ? off > 0 : off < 0)))
            return -1;
        n = (max ? SIGRTMAX : SIGRTMIN) + off;
        return n >= SIGRTMIN && n <= SIGRTMAX ? (int) n : -1;
    }
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
        if (strcasecmp(sigs[i].n, s) == 0)
            return sigs[i].v;
    return -1;
}

static const struct { const char *n; int r; } ulimit_names[] = {
    { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU }, { "data", RLIMIT_DATA },
    { "fsize", RLIMIT_FSIZE }, { "locks", RLIMIT_LOCKS }, { "memlock", RLIMIT_MEMLOCK },
    { "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE },
    { "nproc", RLIMIT_NPROC }, { "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO },
    { "rttime", RLIMIT_RTTIME }, { "sigpending", RLIMIT_SIGPENDING },
    { "stack", RLIMIT_STACK }, { "as", RLIMIT_AS },
};

static int ulimit_value(const char *s, uint64_t *out)
{
    unsigned long long v;

    if (strcmp(s, "-1") == 0 || strcmp(s, "unlimited") == 0) {
        *out = RLIM_INFINITY;
        return 0;
    }
    if (str_to_ull(s, &v) < 0)
        return -1;
    *out = v;
    return 0;
}

int spec_ulimit_parse(const char *s, int *resource, uint64_t *soft, uint64_t *hard,
                      struct berr **err)
{
    _cleanup_free_ char *copy = str_dup(s);
    char *eq, *colon;
    size_t i;

    if (!copy)
        return berr_oom(err);
    eq = strchr(copy, '=');
    if (!eq)
        return berr_kind(err, BK_INVALID, "invalid ulimit argument: %s", s);
    *eq++ = '\0';
    for (i = 0; i < ARRAY_SIZE(ulimit_names); i++)
        if (strcmp(ulimit_names[i].n, copy) == 0)
            break;
    if (i == ARRAY_SIZE(ulimit_names))
        return berr_kind(err, BK_INVALID, "invalid ulimit type: %s", copy);
    *resource = ulimit_names[i].r;
    colon = strchr(eq, ':');
    if (colon)
        *colon++ = '\0';
    if (ulimit_value(eq, soft) < 0 || (colon && ulimit_value(colon, hard) < 0))
        return berr_kind(err, BK_INVALID, "invalid ulimit argument: %s", s);
    if (!colon)
        *hard = *soft;
    if (*soft > *hard)
        return berr_kind(err, BK_INVALID,
                         "ulimit soft limit must be less than or equal to hard limit: %s", s);
    return 0;
}


const char *spec_rlimit_type(int resource)
{
    static const struct { int r; const char *t; } types[] = {
        { RLIMIT_CORE, "RLIMIT_CORE" }, { RLIMIT_CPU, "RLIMIT_CPU" },
        { RLIMIT_DATA, "RLIMIT_DATA" }, { RLIMIT_FSIZE, "RLIMIT_FSIZE" },
        { RLIMIT_LOCKS, "RLIMIT_LOCKS" }, { RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK" },
        { RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE" }, { RLIMIT_NICE, "RLIMIT_NICE" },
        { RLIMIT_NOFILE, "RLIMIT_NOFILE" }, { RLIMIT_NPROC, "RLIMIT_NPROC" },
        { RLIMIT_RSS, "RLIMIT_RSS" }, { RLIMIT_RTPRIO, "RLIMIT_RTPRIO" },
        { RLIMIT_RTTIME, "RLIMIT_RTTIME" }, { RLIMIT_SIGPENDING, "RLIMIT_SIGPENDING" },
        { RLIMIT_STACK, "RLIMIT_STACK" }, { RLIMIT_AS, "RLIMIT_AS" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(types); i++)
        if (types[i].r == resource)
            return types[i].t;
    return NULL;
}

/* One "CapXxx:\t<hex>" line of /proc/self/status. */
static int status_caps(const char *status, const char *key, uint64_t *out)
{
    const char *p = strstr(status, key);
    unsigned long long v;

    if (!p)
        return -1;
    p += strlen(key);
    while (*p == ':' || *p == '\t' || *p == ' ')
        p++;
    errno = 0;
    v = strtoull(p, NULL, 16);
    if (errno)
        return -1;
    *out = v;
    return 0;
}

int spec_host_probe(struct spec_host *h, char **envp, struct berr **err)
{
    _cleanup_free_ char *status = NULL;
    uint64_t bnd = 0, eff = 0;
    struct statfs sfs;

    memset(h, 0, sizeof(*h));
    if (fs_read_file("/proc/self/status", &status, NULL, err) < 0)
        return -1;
    if (status_caps(status, "\nCapBnd", &bnd) < 0 || status_caps(status, "\nCapEff", &eff) < 0)
        return berr_msg(err, "reading capabilities from /proc/self/status");
    h->bounding = spec_caps_from_mask(bnd);
    if (!h->bounding)
        return berr_oom(err);
    h->cap_sys_resource = (eff >> 24) & 1;
    for (int r = 0; r < RLIM_NLIMITS; r++)
        if (getrlimit(r, &h->rlimits[r]) < 0)
            h->rlimits[r].rlim_cur = h->rlimits[r].rlim_max = RLIM_INFINITY;
    h->cgroup_v2 = statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == 0x63677270;
    h->swap_accounting = h->cgroup_v2 ||
                         fs_exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
    if (gethostname(h->hostname, sizeof(h->hostname) - 1) < 0)
        h->hostname[0] = '\0';
    h->environ = envp;
    return 0;
}

void spec_host_free(struct spec_host *h)
{
    strv_free(h->bounding);
    h->bounding = NULL;
}

/* ---- create-time check ---- */

/* Under this no runtime gets its init going: runc's own usage at
 * start is about 2.6 MiB, and podman 4.3.1 fails at start below 4 MiB
 * ("unable to set memory limit to 1") while 4 MiB runs. docker's floor
 * is 6 MB, but podman runs 4 and 5 MiB, so we refuse only what cannot
 * run. */
#define SPEC_MIN_MEMORY (4LL << 20)

int spec_check(json_t *ctr, struct berr **err)
{
    json_t *r = json_object_get(ctr, "resources"), *cpus = json_object_get(r, "cpus");
    const char *wd = js_str(ctr, "workdir", NULL), *hn = js_str(ctr, "hostname", NULL);
    long long mem = js_int(r, "memory", 0);

    if (mem > 0 && mem < SPEC_MIN_MEMORY)
        return berr_msg(err, "minimum memory limit allowed is 4MB");
    if (json_is_number(cpus)) {
        double n = json_number_value(cpus);
        if (n < 0)
            return berr_msg(err, "invalid value for cpus %g: it cannot be negative", n);
        /* podman's words: the quota is cpus * the 100 ms period */
        if (n > 0 && n * 100000 < 1000)
            return berr_msg(err, "CPU cfs quota cannot be less than 1ms (i.e. 1000)");
    }
    if (wd && *wd && *wd != '/')
        return berr_msg(err, "workdir \"%s\" is not an absolute path", wd);
    /* HOST_NAME_MAX: sethostname(2) refuses more */
    if (hn && strlen(hn) > 64)
        return berr_msg(err, "invalid hostname: it is %zu characters long, the kernel takes at most 64",
                        strlen(hn));
    return 0;
}

/* key: the "C:H:S" strings of ctr's from, as OCI idmapping objects. */
static int idmap_array(json_t *lin, const char *key, json_t *from, struct berr **err)
{
    json_t *arr = json_array(), *e;
    size_t i;

    if (!arr || json_object_set_new(lin, key, arr) < 0)
        return berr_oom(err);
    json_array_foreach(from, i, e) {
        struct idmap m;
        if (!json_is_string(e) || idmap_parse(json_string_value(e), &m) < 0)
            return berr_kind(err, BK_INVALID, "invalid id mapping in the container's record");
        if (json_array_append_new(arr, json_pack("{s:I, s:I, s:I}", "containerID", (json_int_t) m.ctr,
                                                 "hostID", (json_int_t) m.host,
                                                 "size", (json_int_t) m.size)) < 0)
            return berr_oom(err);
    }
    return 0;
}

int spec_idmappings(json_t *ctr, const char *usermode, json_t *lin, struct berr **err)
{
    /* joined namespaces too: the OCI runtime wants their maps */
    if (!json_array_size(json_object_get(ctr, "uidMap")) || str_eq(usermode, "host"))
        return 0;
    if (idmap_array(lin, "uidMappings", json_object_get(ctr, "uidMap"), err) < 0 ||
        idmap_array(lin, "gidMappings", json_object_get(ctr, "gidMap"), err) < 0)
        return -1;
    return 0;
}
