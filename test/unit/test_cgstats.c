/*
 * test_cgstats.c: the stats reader's cgroup parsing on fixture trees
 * (runtime/cgstats.c): a cgroup v2 (unified) host, whose files this
 * machine's v1 host cannot show, a v1 host and a hybrid one; "max", a
 * missing file and several io.stat devices.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/cgstats.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "unit.h"
#include "unit_files.h"

static char tmp[] = "/tmp/berth-cgstats.XXXXXX";

/* Writes tmp/rel (its directories made) holding text. */
static void put(const char *rel, const char *text)
{
    unit_put(tmp, rel, text);
}

static char *path(const char *rel)
{
    return str_fmt("%s/%s", tmp, rel);
}

static const char *V2_CG = "v2/machine.slice/berth-0123.scope";

static void v2_fixture(const char *max)
{
    _cleanup_free_ char *d = str_fmt("%s/", V2_CG);
    char rel[256];

    put("v2/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
    put("proc-v2", "0::/machine.slice/berth-0123.scope\n");
#define F(name, text) (snprintf(rel, sizeof(rel), "%s%s", d, name), put(rel, text))
    F("memory.current", "26214400\n");
    F("memory.max", max);
    F("memory.stat", "anon 1048576\nfile 8388608\nkernel_stack 16384\n"
                     "active_file 2097152\ninactive_file 4194304\nslab 65536\n");
    F("cpu.stat", "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n"
                  "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
    F("io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n"
                 "253:0 rbytes=1000 wbytes=24 rios=3 wios=1 dbytes=0 dios=0\n");
    F("pids.current", "7\n");
#undef F
}

static void t_v2(void)
{
    _cleanup_free_ char *root = path("v2"), *proc = path("proc-v2");
    _cleanup_free_ char *want = path(V2_CG);
    struct cg_dirs d = { 0 };
    struct cg_sample s;
    struct berr *e = NULL;

    v2_fixture("268435456\n");
    CHECK_INT(cg_dirs_find(root, proc, &d, &e), 0);
    CHECK_STR(d.unified, want);
    CHECK(!d.memory && !d.cpuacct && !d.blkio && !d.pids);
    cg_sample_read(&d, &s);
    CHECK_INT(s.mem_usage, 26214400 - 4194304);
    CHECK_INT(s.mem_limit, 268435456);
    CHECK_INT(s.cpu_ns, 1500000000ULL);
    CHECK_INT(s.cpu_system_ns, 500000000ULL);
    CHECK_INT(s.blk_in, 5096);
    CHECK_INT(s.blk_out, 8216);
    CHECK_INT(s.pids, 7);
    cg_dirs_free(&d);
    berr_free(e);
}

/* memory.max "max": no limit (0; ctr_stats caps it at the host's);
 * a missing pids.current and io.stat read as 0 */
static void t_v2_max_and_missing(void)
{
    _cleanup_free_ char *root = path("v2"), *proc = path("proc-v2");
    _cleanup_free_ char *pids = NULL, *io = NULL;
    struct cg_dirs d = { 0 };
    struct cg_sample s;
    struct berr *e = NULL;

    v2_fixture("max\n");
    pids = str_fmt("%s/%s/pids.current", tmp, V2_CG);
    io = str_fmt("%s/%s/io.stat", tmp, V2_CG);
    unlink(pids);
    unlink(io);
    CHECK_INT(cg_dirs_find(root, proc, &d, &e), 0);
    cg_sample_read(&d, &s);
    CHECK_INT(s.mem_limit, 0);
    CHECK_INT(s.mem_usage, 26214400 - 4194304);
    CHECK_INT(s.pids, 0);
    CHECK_INT(s.blk_in, 0);
    CHECK_INT(s.blk_out, 0);
    CHECK_INT(s.cpu_ns, 1500000000ULL);
    cg_dirs_free(&d);
    berr_free(e);
}

/* inactive file cache above usage (a racy read): usage as it is */
static void t_v2_inactive_above_usage(void)
{
    _cleanup_free_ char *root = path("v2"), *proc = path("proc-v2");
    struct cg_dirs d = { 0 };
    struct cg_sample s;
    struct berr *e = NULL;
    char rel[256];

    v2_fixture("max\n");
    snprintf(rel, sizeof(rel), "%s/memory.current", V2_CG);
    put(rel, "1000\n");
    CHECK_INT(cg_dirs_find(root, proc, &d, &e), 0);
    cg_sample_read(&d, &s);
    CHECK_INT(s.mem_usage, 1000);
    cg_dirs_free(&d);
    berr_free(e);
}

static void v1_fixture(const char *root)
{
    char rel[256];
    const char *cg = "berth_parent/berth-42";

#define F(ctl, name, text) (snprintf(rel, sizeof(rel), "%s/%s/%s/%s", root, ctl, cg, name), \
                            put(rel, text))
    F("memory", "memory.usage_in_bytes", "10485760\n");
    F("memory", "memory.limit_in_bytes", "134217728\n");
    F("memory", "memory.stat", "cache 4096\nrss 8192\ninactive_file 1\n"
                               "total_inactive_file 2097152\n");
    F("cpu,cpuacct", "cpuacct.usage", "123456789\n");
    F("cpu,cpuacct", "cpuacct.stat", "user 20\nsystem 10\n");
    F("blkio", "blkio.throttle.io_service_bytes_recursive",
      "8:0 Read 4096\n8:0 Write 512\n8:0 Sync 0\n8:0 Async 4608\n8:0 Total 4608\n"
      "8:16 Read 100\n8:16 Write 0\nTotal 4708\n");
    F("pids", "pids.current", "3\n");
#undef F
}

static void t_v1_and_hybrid(void)
{
    static const char *const hosts[] = { "v1", "hybrid" };
    long tick = sysconf(_SC_CLK_TCK);

    put("proc-v1", "12:pids:/berth_parent/berth-42\n11:blkio:/berth_parent/berth-42\n"
                   "5:memory:/berth_parent/berth-42\n4:cpu,cpuacct:/berth_parent/berth-42\n"
                   "1:name=systemd:/berth_parent/berth-42\n0::/berth_parent/berth-42\n");
    for (size_t i = 0; i < 2; i++) {
        _cleanup_free_ char *root = path(hosts[i]), *proc = path("proc-v1");
        _cleanup_free_ char *mem = str_fmt("%s/memory/berth_parent/berth-42", root);
        struct cg_dirs d = { 0 };
        struct cg_sample s;
        struct berr *e = NULL;

        v1_fixture(hosts[i]);
        if (i == 1)     /* hybrid: the unified mount is elsewhere; v1 is read */
            put("hybrid/unified/cgroup.controllers", "\n");
        CHECK_INT(cg_dirs_find(root, proc, &d, &e), 0);
        CHECK_STR(d.memory, mem);
        CHECK(d.unified == NULL);
        cg_sample_read(&d, &s);
        CHECK_INT(s.mem_usage, 10485760 - 2097152);
        CHECK_INT(s.mem_limit, 134217728);
        CHECK_INT(s.cpu_ns, 123456789);
        CHECK_INT(s.cpu_system_ns, 10ULL * (1000000000ULL / (unsigned long long) tick));
        CHECK_INT(s.blk_in, 4196);
        CHECK_INT(s.blk_out, 512);
        CHECK_INT(s.pids, 3);
        cg_dirs_free(&d);
        berr_free(e);
    }
}

static void t_no_proc_file(void)
{
    _cleanup_free_ char *root = path("v2"), *proc = path("no-such-proc");
    struct cg_dirs d = { 0 };
    struct berr *e = NULL;

    CHECK_INT(cg_dirs_find(root, proc, &d, &e), -1);
    CHECK(e && strstr(e->msg, "no-such-proc"));
    cg_dirs_free(&d);
    berr_free(e);
}

int main(void)
{
    struct berr *e = NULL;

    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    UNIT_RUN(t_v2);
    UNIT_RUN(t_v2_max_and_missing);
    UNIT_RUN(t_v2_inactive_above_usage);
    UNIT_RUN(t_v1_and_hybrid);
    UNIT_RUN(t_no_proc_file);
    if (fs_rm_rf(tmp, &e) < 0)
        berr_free(e);
    return unit_done();
}
