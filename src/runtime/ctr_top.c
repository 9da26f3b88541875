/*
 * runtime/ctr_top.c: top, the processes of a running container with
 * podman's (psgo's) AIX-format descriptors, read from /proc: every
 * process in the container's pid namespace, names of users and groups
 * from the container's /etc/passwd and /etc/group (read inside its root),
 * pids as the container sees them. A descriptor psgo does not know makes
 * podman run ps(1) inside the container with the arguments as given;
 * ctr_top_ps does that through an exec session.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/spec.h"
#include "runtime/user.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "util/timefmt.h"

/* One process's facts. */
struct pinfo {
    pid_t hpid, ppid_host;
    pid_t pid;                  /* in the container's pid namespace */
    char *status, *stat_after_comm, *cmdline, *comm;
    size_t cmdline_len;
    unsigned long long start;   /* clock ticks after boot */
    long nice;
    unsigned long utime, stime;
    int tty_nr;
    char state;
};

static const struct desc {
    const char *name, *header;
} descs[] = {
    { "args", "COMMAND" }, { "capamb", "AMBIENT CAPS" }, { "capbnd", "BOUNDING CAPS" },
    { "capeff", "EFFECTIVE CAPS" }, { "capinh", "INHERITED CAPS" }, { "capprm", "PERMITTED CAPS" },
    { "comm", "COMMAND" }, { "etime", "ELAPSED" }, { "group", "GROUP" }, { "groups", "GROUPS" }, { "hgroup", "HGROUP" },
    { "hgroups", "HGROUPS" },
    { "hpid", "HPID" }, { "huser", "HUSER" }, { "label", "LABEL" }, { "nice", "NI" },
    { "pcpu", "%CPU" }, { "pgid", "PGID" }, { "pid", "PID" }, { "ppid", "PPID" },
    { "rgroup", "RGROUP" }, { "rss", "RSS" }, { "ruser", "RUSER" }, { "seccomp", "SECCOMP" },
    { "state", "STATE" }, { "stime", "STIME" }, { "time", "TIME" }, { "tty", "TTY" },
    { "user", "USER" }, { "vsz", "VSZ" },
};

const char *const *ctr_top_descriptors(void)
{
    static const char *names[sizeof(descs) / sizeof(descs[0]) + 1];

    for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++)
        names[i] = descs[i].name;
    return names;
}

static const struct desc *find_desc(const char *name)
{
    for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++)
        if (!strcmp(descs[i].name, name))
            return &descs[i];
    return NULL;
}

bool ctr_top_known(char *const *descriptors)
{
    for (size_t i = 0; descriptors && descriptors[i]; i++)
        if (!find_desc(descriptors[i]))
            return false;
    return true;
}

static void pinfo_free(struct pinfo *p)
{
    free(p->status);
    free(p->cmdline);
    free(p->comm);
}

/* The value of "Key:" in /proc/PID/status (the first field with
 * field = 0), malloc'd, or NULL. */
static char *status_field(const char *status, const char *key, int field)
{
    size_t kl = strlen(key);

    for (const char *l = status; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t) (nl - l) : strlen(l);
        if (len > kl && !strncmp(l, key, kl) && l[kl] == ':') {
            _cleanup_free_ char *v = str_ndup(l + kl + 1, len - kl - 1);
            char *save = NULL, *tok = v ? strtok_r(v, " \t", &save) : NULL;
            for (int i = 0; tok && i < field; i++)
                tok = strtok_r(NULL, " \t", &save);
            return tok ? str_dup(tok) : NULL;
        }
        l = nl ? nl + 1 : NULL;
    }
    return NULL;
}

static long status_num(const char *status, const char *key, int field, long dflt)
{
    _cleanup_free_ char *v = status_field(status, key, field);

    return v ? strtol(v, NULL, 10) : dflt;
}

/* The last NSpid entry: the pid in the innermost namespace. */
static pid_t ns_pid(const char *status, pid_t dflt)
{
    for (int i = 8; i >= 0; i--) {
        _cleanup_free_ char *v = status_field(status, "NSpid", i);
        if (v)
            return (pid_t) strtol(v, NULL, 10);
    }
    return dflt;
}

static int read_pinfo(pid_t hpid, struct pinfo *p)
{
    char path[64];
    _cleanup_free_ char *stat = NULL;
    size_t n;

    memset(p, 0, sizeof(*p));
    p->hpid = hpid;
    snprintf(path, sizeof(path), "/proc/%d/status", (int) hpid);
    if (fs_read_file(path, &p->status, NULL, NULL) < 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int) hpid);
    if (fs_read_file(path, &stat, NULL, NULL) < 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int) hpid);
    if (fs_read_file(path, &p->cmdline, &n, NULL) < 0)
        return -1;
    p->cmdline_len = n;
    /* stat: pid (comm) state ppid pgrp session tty_nr ... */
    char *open_p = strchr(stat, '('), *close_p = strrchr(stat, ')');
    if (!open_p || !close_p || close_p < open_p)
        return -1;
    p->comm = str_ndup(open_p + 1, (size_t) (close_p - open_p - 1));
    char *f[64] = { 0 }, *save = NULL, *tok = strtok_r(close_p + 1, " ", &save);
    for (int i = 0; tok && i < 64; i++, tok = strtok_r(NULL, " ", &save))
        f[i] = tok;
    /* f[0] = state (field 3), f[1] = ppid, f[4] = tty_nr, f[11] utime,
     * f[12] stime, f[16] nice, f[19] starttime */
    if (!p->comm || !f[19])
        return -1;
    p->state = f[0][0];
    p->ppid_host = (pid_t) strtol(f[1], NULL, 10);
    p->tty_nr = (int) strtol(f[4], NULL, 10);
    p->utime = strtoul(f[11], NULL, 10);
    p->stime = strtoul(f[12], NULL, 10);
    p->nice = strtol(f[16], NULL, 10);
    p->start = strtoull(f[19], NULL, 10);
    p->pid = ns_pid(p->status, hpid);
    return 0;
}

/* The processes in the pid namespace of host pid init, sorted by pid. */
static int list_procs(pid_t init, struct pinfo **out, size_t *n, struct berr **err)
{
    char path[64], ns[64], other[64];
    _cleanup_(closedirp) DIR *d = opendir("/proc");
    struct pinfo *v = NULL;
    size_t cnt = 0, cap = 0;
    struct dirent *de;
    ssize_t l;

    snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int) init);
    if (!d || (l = readlink(path, ns, sizeof(ns) - 1)) < 0)
        return berr_sys(err, "read %s", d ? path : "/proc");
    ns[l] = '\0';
    while ((de = readdir(d))) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
        if ((l = readlink(path, other, sizeof(other) - 1)) < 0)
            continue;
        other[l] = '\0';
        if (strcmp(ns, other))
            continue;
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            struct pinfo *nv = realloc(v, cap * sizeof(*nv));
            if (!nv)
                goto oom;
            v = nv;
        }
        if (read_pinfo((pid_t) pid, &v[cnt]) < 0) {
            pinfo_free(&v[cnt]);    /* it ended while read */
            continue;
        }
        cnt++;
    }
    *out = v;
    *n = cnt;
    return 0;
oom:
    for (size_t i = 0; i < cnt; i++)
        pinfo_free(&v[i]);
    free(v);
    return berr_oom(err);
}

static int by_pid(const void *a, const void *b)
{
    const struct pinfo *x = a, *y = b;

    return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The name of id in a passwd/group text (field 0 name, field 2 id). */
static char *name_of(const char *text, unsigned long id)
{
    for (const char *l = text; l && *l;) {
        const char *nl = strchr(l, '\n');
        _cleanup_free_ char *line = nl ? str_ndup(l, (size_t) (nl - l)) : str_dup(l);
        char *save = NULL, *name = line ? strtok_r(line, ":", &save) : NULL;
        char *pw = name ? strtok_r(NULL, ":", &save) : NULL;
        char *num = pw ? strtok_r(NULL, ":", &save) : NULL;
        if (num && strtoul(num, NULL, 10) == id)
            return str_dup(name);
        l = nl ? nl + 1 : NULL;
    }
    return str_fmt("%lu", id);
}

static char *caps_of(const char *status, const char *key)
{
    _cleanup_free_ char *hex = status_field(status, key, 0);
    unsigned long long mask = hex ? strtoull(hex, NULL, 16) : 0;
    _cleanup_strv_ char **names = NULL;
    char *out;

    if (!mask)
        return str_dup("none");
    if (!(names = spec_caps_from_mask(mask)))
        return NULL;
    /* every capability the kernel has: psgo says "full" */
    {
        _cleanup_free_ char *last = NULL;
        long lastcap = -1;
        if (fs_read_file("/proc/sys/kernel/cap_last_cap", &last, NULL, NULL) == 0)
            lastcap = strtol(last, NULL, 10);
        if (lastcap > 0 && lastcap < 63 && mask == (1ULL << (lastcap + 1)) - 1)
            return str_dup("full");
    }
    for (size_t i = 0; names[i]; i++)
        memmove(names[i], names[i] + 4, strlen(names[i] + 4) + 1);     /* no CAP_ */
    out = strv_join(names, ",");
    return out;
}

static char *tty_of(int tty_nr)
{
    unsigned major = ((unsigned) tty_nr >> 8) & 0xfff;
    unsigned minor = ((unsigned) tty_nr & 0xff) | (((unsigned) tty_nr >> 12) & 0xfff00);

    if (!tty_nr)
        return str_dup("?");
    if (major >= 136 && major <= 143)
        return str_fmt("pts/%u", minor + (major - 136) * 256);
    if (major == 4 && minor < 64)
        return str_fmt("tty%u", minor);
    if (major == 4)
        return str_fmt("ttyS%u", minor - 64);
    return str_dup("?");
}

struct top_ctx {
    const char *passwd, *group;         /* the container's */
    const char *hpasswd, *hgroup;       /* the host's */
    long clk;
    double uptime;
    time_t boot;
    const struct pinfo *all;
    size_t n;
};

static char *cell(const struct top_ctx *t, const struct pinfo *p, const char *d)
{
    char buf[128];
    double secs = t->uptime - (double) p->start / (double) t->clk;
    double cpu = (double) (p->utime + p->stime) / (double) t->clk;

    if (secs < 0)
        secs = 0;
    if (!strcmp(d, "pid"))
        return str_fmt("%d", (int) p->pid);
    if (!strcmp(d, "hpid"))
        return str_fmt("%d", (int) p->hpid);
    if (!strcmp(d, "ppid")) {
        for (size_t i = 0; i < t->n; i++)
            if (t->all[i].hpid == p->ppid_host)
                return str_fmt("%d", (int) t->all[i].pid);
        return str_dup("0");        /* its parent is outside the container */
    }
    if (!strcmp(d, "pgid")) {
        _cleanup_free_ char *v = status_field(p->status, "NSpgid", 0);
        return str_dup(v ? v : "?");
    }
    if (!strcmp(d, "user") || !strcmp(d, "ruser") || !strcmp(d, "huser"))
        return name_of(!strcmp(d, "huser") ? t->hpasswd : t->passwd,
                       (unsigned long) status_num(p->status, "Uid", !strcmp(d, "ruser") ? 0 : 1, 0));
    if (!strcmp(d, "group") || !strcmp(d, "rgroup") || !strcmp(d, "hgroup"))
        return name_of(!strcmp(d, "hgroup") ? t->hgroup : t->group,
                       (unsigned long) status_num(p->status, "Gid", !strcmp(d, "rgroup") ? 0 : 1, 0));
    if (!strcmp(d, "groups") || !strcmp(d, "hgroups")) {
        _cleanup_strv_ char **names = calloc(1, sizeof(char *));
        for (int i = 0; names; i++) {
            _cleanup_free_ char *g = status_field(p->status, "Groups", i);
            if (!g)
                break;
            if (strv_push_take(&names, name_of(!strcmp(d, "hgroups") ? t->hgroup : t->group,
                                               strtoul(g, NULL, 10))) < 0)
                return NULL;
        }
        return !names ? NULL : names[0] ? strv_join(names, ",") : str_dup("none");
    }
    if (!strcmp(d, "pcpu"))
        return str_fmt("%.3f", secs > 0 ? cpu / secs * 100 : 0.0);
    if (!strcmp(d, "etime"))
        return str_dup(time_go_duration((long long) (secs * 1e9), buf, sizeof(buf)));
    if (!strcmp(d, "time"))
        return str_dup(time_go_duration((long long) cpu * 1000000000LL, buf, sizeof(buf)));
    if (!strcmp(d, "tty"))
        return tty_of(p->tty_nr);
    if (!strcmp(d, "comm"))
        return str_dup(p->comm);
    if (!strcmp(d, "args")) {
        if (!p->cmdline_len)
            return str_fmt("[%s]", p->comm);
        _cleanup_free_ char *s = malloc(p->cmdline_len + 1);
        if (!s)
            return NULL;
        memcpy(s, p->cmdline, p->cmdline_len);
        s[p->cmdline_len] = '\0';
        for (size_t i = 0; s && i < p->cmdline_len; i++)
            if (!s[i])
                s[i] = ' ';
        return STEAL_PTR(s);
    }
    if (!strcmp(d, "nice"))
        return str_fmt("%ld", p->nice);
    if (!strcmp(d, "vsz") || !strcmp(d, "rss"))
        return str_fmt("%ld", status_num(p->status, !strcmp(d, "vsz") ? "VmSize" : "VmRSS", 0, 0));
    if (!strcmp(d, "state"))
        return str_fmt("%c", p->state);
    if (!strcmp(d, "stime")) {
        struct timespec ts = { .tv_sec = t->boot + (time_t) (p->start / (unsigned long long) t->clk) };
        struct tm tm;
        char z[16], off[8];
        localtime_r(&ts.tv_sec, &tm);
        strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
        strftime(off, sizeof(off), "%z", &tm);
        strftime(z, sizeof(z), "%Z", &tm);
        return str_fmt("%s %s %s", buf, off, z);
    }
    if (!strcmp(d, "seccomp")) {
        long m = status_num(p->status, "Seccomp", 0, 0);
        return str_dup(m == 2 ? "filter" : m == 1 ? "strict" : "disabled");
    }
    if (!strcmp(d, "label")) {
        char path[64];
        _cleanup_free_ char *l = NULL;
        snprintf(path, sizeof(path), "/proc/%d/attr/current", (int) p->hpid);
        /* SELinux only, as psgo: anything else is "?" */
        if (access("/sys/fs/selinux/enforce", F_OK) == 0 &&
            fs_read_file(path, &l, NULL, NULL) == 0 && *str_trim(l))
            return str_dup(str_trim(l));
        return str_dup("?");
    }
    if (!strncmp(d, "cap", 3)) {
        const char *key = !strcmp(d, "capamb") ? "CapAmb" : !strcmp(d, "capbnd") ? "CapBnd" :
                          !strcmp(d, "capeff") ? "CapEff" : !strcmp(d, "capinh") ? "CapInh"
                                                                               : "CapPrm";
        return caps_of(p->status, key);
    }
    return str_dup("?");
}

int ctr_top(struct runtime *rt, struct ctr *c, char *const *descriptors, char ****rows,
            struct berr **err)
{
    static char *const dflt[] = { "user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args", NULL };
    char *const *d = descriptors && descriptors[0] ? descriptors : dflt;
    _cleanup_free_ char *root = NULL, *passwd = NULL, *group = NULL, *hp = NULL, *hg = NULL;
    _cleanup_free_ char *st = NULL;
    struct pinfo *v = NULL;
    size_t n = 0, nd = strv_len((char **) d);
    char ***out = NULL;
    int r = -1;

    (void) rt;
    *rows = NULL;
    /* podman's: not a paused one either */
    if (ctr_state(c) != CS_RUNNING)
        return berr_plain(err, BK_STATE, "top can only be used on running containers");
    for (size_t i = 0; i < nd; i++)
        if (!find_desc(d[i]))
            return berr_msg(err, "unknown descriptor: %s", d[i]);
    if (!(root = str_fmt("/proc/%d/root", (int) c->st.pid)))
        return berr_oom(err);
    if (user_read_in_root(root, "/etc/passwd", &passwd, err) < 0 ||
        user_read_in_root(root, "/etc/group", &group, err) < 0)
        return -1;
    (void) fs_read_file("/etc/passwd", &hp, NULL, NULL);
    (void) fs_read_file("/etc/group", &hg, NULL, NULL);
    struct top_ctx t = { .passwd = passwd ? passwd : "", .group = group ? group : "",
                         .hpasswd = hp ? hp : "", .hgroup = hg ? hg : "",
                         .clk = sysconf(_SC_CLK_TCK) };
    if (fs_read_file("/proc/stat", &st, NULL, err) < 0)
        return -1;
    {
        struct timespec now;
        clock_gettime(CLOCK_BOOTTIME, &now);
        t.uptime = (double) now.tv_sec + (double) now.tv_nsec / 1e9;
    }
    {
        const char *b = strstr(st, "\nbtime ");
        t.boot = b ? (time_t) strtoll(b + 7, NULL, 10) : 0;
    }
    if (list_procs(c->st.pid, &v, &n, err) < 0)
        return -1;
    qsort(v, n, sizeof(*v), by_pid);
    t.all = v;
    t.n = n;
    if (!(out = calloc(n + 2, sizeof(*out))))
        goto oom;
    for (size_t row = 0; row <= n; row++) {
        if (!(out[row] = calloc(nd + 1, sizeof(char *))))
            goto oom;
        for (size_t i = 0; i < nd; i++)
            if (!(out[row][i] = row == 0 ? str_dup(find_desc(d[i])->header)
                                         : cell(&t, &v[row - 1], d[i])))
                goto oom;
    }
    *rows = out;
    out = NULL;
    r = 0;
    goto done;
oom:
    r = berr_oom(err);
done:
    for (size_t i = 0; out && out[i]; i++)
        strv_free(out[i]);
    free(out);
    for (size_t i = 0; i < n; i++)
        pinfo_free(&v[i]);
    free(v);
    return r;
}

int ctr_top_ps(struct runtime *rt, struct ctr *c, char *const *args, char **out,
               struct berr **err)
{
    _cleanup_strv_ char **cmd = NULL;
    _cleanup_close_ int mfd = -1, saved = -1;
    _cleanup_free_ char *joined = NULL, *text = NULL;
    int code = 0, r;
    size_t len;

    *out = NULL;
    if (ctr_state(c) != CS_RUNNING)
        return berr_msg(err, "top can only be used on running containers");
    if (strv_push(&cmd, "ps") < 0 || !(joined = strv_join(args, " ")))
        return berr_oom(err);
    for (size_t i = 0; args && args[i]; i++)
        if (strv_push(&cmd, args[i]) < 0)
            return berr_oom(err);
    /* the exec session writes to our stdout: a memory file for the time */
    fflush(stdout);
    if ((mfd = memfd_create("berth-top", MFD_CLOEXEC)) < 0 ||
        (saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) < 0 || dup2(mfd, STDOUT_FILENO) < 0)
        return berr_sys(err, "capture the output of ps(1)");
    struct ctr_exec_opts o = { .cmd = cmd };
    r = ctr_exec(rt, c, &o, &code, NULL, err);
    (void) dup2(saved, STDOUT_FILENO);
    if (r < 0)
        return berr_wrap(err, "executing ps(1) in the container");
    if (code)
        return berr_msg(err, "executing ps(1) in the container: exit status %d", code);
    if (lseek(mfd, 0, SEEK_SET) < 0 || fs_read_fd(mfd, &text, &len) < 0)
        return berr_sys(err, "read the output of ps(1)");
    /* podman's trick: drop ps's own line (it has the arguments) */
    _cleanup_free_ char *kept = calloc(1, len + 1);
    size_t k = 0;
    if (!kept)
        return berr_oom(err);
    for (char *l = text; l && *l;) {
        char *nl = strchr(l, '\n');
        size_t ll = nl ? (size_t) (nl - l + 1) : strlen(l);
        char save = l[ll - (nl ? 1 : 0)];
        l[ll - (nl ? 1 : 0)] = '\0';
        bool own = *joined && strstr(l, joined);
        l[ll - (nl ? 1 : 0)] = save;
        if (!own) {
            memcpy(kept + k, l, ll);
            k += ll;
        }
        l = nl ? nl + 1 : NULL;
    }
    *out = STEAL_PTR(kept);
    return 0;
}
