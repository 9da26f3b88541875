/*
 * test_cgprime.c: the cgroup primer (runtime/cgprime.c): which file it
 * writes, on fixture trees laid out as the kernel presents them (a v1
 * host with named and co-mounted hierarchies, a hybrid host, a pure v2
 * host), and a real run on this machine's own cgroups when root.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/cgprime.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "unit.h"
#include "unit_files.h"

static char tmp[] = "/tmp/berth-cgprime.XXXXXX";

/* The file cgprime_file picks under tmp, relative to tmp; "<none>". */
static char *pick(const char *proc_cgroup)
{
    char out[4096];

    if (!cgprime_file(proc_cgroup, tmp, out, sizeof(out)))
        return str_dup("<none>");
    return str_dup(out + strlen(tmp));
}

#define CHECK_PICK(text, want) do { \
        _cleanup_free_ char *p_ = pick(text); \
        CHECK_STR(p_, want); \
    } while (0)

/* v1: the first hierarchy whose tasks file is there; a named hierarchy
 * by its name, co-mounted controllers by their joined dir, "/" adding
 * nothing to the path */
static void t_v1(void)
{
    unit_put(tmp, "v1/systemd/user.slice/tasks", "");
    unit_put(tmp, "v1/cpu,cpuacct/tasks", "");
    unit_put(tmp, "v1/pids/a/b/tasks", "");

    {
        _cleanup_free_ char *root = str_fmt("%s/v1", tmp);
        char out[4096];
        CHECK(cgprime_file("9:name=systemd:/user.slice\n8:pids:/a/b\n0::/\n", root, out,
                           sizeof(out)));
        CHECK_STR(out + strlen(root), "/systemd/user.slice/tasks");
        CHECK(cgprime_file("4:cpu,cpuacct:/\n9:name=systemd:/x\n", root, out, sizeof(out)));
        CHECK_STR(out + strlen(root), "/cpu,cpuacct/tasks");
        /* a hierarchy not mounted there (its file missing) is passed over */
        CHECK(cgprime_file("3:memory:/m\n8:pids:/a/b", root, out, sizeof(out)));
        CHECK_STR(out + strlen(root), "/pids/a/b/tasks");
    }
}

/* v2: the unified hierarchy at the root, or at root/unified (hybrid,
 * when no v1 hierarchy's file is there) */
static void t_v2(void)
{
    unit_put(tmp, "u/x.slice/cgroup.threads", "");
    CHECK_PICK("0::/u/x.slice\n", "/u/x.slice/cgroup.threads");
    unit_put(tmp, "unified/h/cgroup.threads", "");
    CHECK_PICK("0::/h\n", "/unified/h/cgroup.threads");
    CHECK_PICK("0::/nowhere\n", "<none>");
    CHECK_PICK("", "<none>");
    CHECK_PICK("garbage without colons", "<none>");
}

/* Waits (up to 2 s: a first write waits for a grace period, longer on
 * a loaded machine) until the primer has made more than n writes. */
static bool writes_above(unsigned n)
{
    struct timespec t = { 0, 5 * 1000000L };

    for (int i = 0; i < 400; i++) {
        if (cgprime_writes() > n)
            return true;
        nanosleep(&t, NULL);
    }
    return false;
}

/* Whether every thread of ours but this one blocks SIGINT (SigBlk in
 * /proc/self/task/<tid>/status); false when there is no other thread. */
static bool others_block_sigint(void)
{
    _cleanup_closedir_ DIR *d = opendir("/proc/self/task");
    struct dirent *de;
    int others = 0;

    if (!d)
        return false;
    while ((de = readdir(d))) {
        char path[300], buf[4096], *p;
        unsigned long long blk;
        FILE *f;
        if (de->d_name[0] == '.' || atoi(de->d_name) == (int) gettid())
            continue;
        snprintf(path, sizeof(path), "/proc/self/task/%s/status", de->d_name);
        if (!(f = fopen(path, "re")))
            continue;
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = '\0';
        if (!(p = strstr(buf, "\nSigBlk:")) || sscanf(p + 8, "%llx", &blk) != 1 ||
            !(blk & (1ULL << (SIGINT - 1))))
            return false;
        others++;
    }
    return others > 0;
}

/* on this machine, as root: the primer finds its file and writes until
 * stopped (what makes the runtime's cgroup write cheap is measured in
 * bench/, not here) */
static void t_live(void)
{
    struct timespec ts = { 0, 20 * 1000000L };

    if (geteuid() != 0 || access("/sys/fs/cgroup", W_OK) != 0) {
        printf("# skipped t_live: not root or no writable /sys/fs/cgroup\n");
        return;
    }
    cgprime_begin();
    CHECK(writes_above(1));
    /* a signal to the process never lands on the primer */
    CHECK(others_block_sigint());
    cgprime_end();
    /* stopped, not waited for: a write under way may still count */
    nanosleep(&ts, NULL);
    {
        unsigned n = cgprime_writes();
        cgprime_end();              /* stopped already: nothing */
        nanosleep(&ts, NULL);
        CHECK_INT((int) cgprime_writes(), (int) n);
    }
    /* a stopped one is started again by the next begin */
    {
        unsigned n = cgprime_writes();
        cgprime_begin();
        CHECK(writes_above(n));
        cgprime_end();
    }
    /* one that ran out of time is started again by the next begin */
    {
        struct timespec past = { 0, (CGPRIME_MAX_MS + 50) * 1000000L };
        unsigned n;
        cgprime_begin();
        nanosleep(&past, NULL);
        n = cgprime_writes();
        CHECK(n >= 2);
        nanosleep(&ts, NULL);
        CHECK_INT((int) cgprime_writes(), (int) n);     /* stopped itself */
        cgprime_begin();
        CHECK(writes_above(n));
        cgprime_end();
    }
}

int main(void)
{
    struct berr *e = NULL;

    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    UNIT_RUN(t_v1);
    UNIT_RUN(t_v2);
    UNIT_RUN(t_live);
    if (fs_rm_rf(tmp, &e) < 0)
        berr_free(e);
    return unit_done();
}
