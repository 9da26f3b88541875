/*
 * test_cgres.c: a pod's limits written into its cgroup (runtime/cgres.c)
 * on fixture trees laid out as the kernel presents them: a cgroup v2
 * (unified) host, whose files this machine's v1 host cannot show, and a
 * v1 host. A cgroup file takes each write whole; the fixture's plain
 * files keep every write, one per line, so the tests see values, order
 * and what is written once only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/cgres.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "unit.h"
#include "unit_files.h"

static char tmp[] = "/tmp/berth-cgres.XXXXXX";

/* Writes tmp/rel (its directories made) holding text. */
static void put(const char *rel, const char *text)
{
    unit_put(tmp, rel, text);
}

/* The text of tmp/rel; "<missing>" when there is no such file. */
static char *got(const char *rel)
{
    _cleanup_free_ char *p = str_fmt("%s/%s", tmp, rel);
    char *s = NULL;
    struct berr *e = NULL;

    if (fs_read_file(p, &s, NULL, &e) < 0) {
        berr_free(e);
        return str_dup("<missing>");
    }
    return s;
}

#define CHECK_FILE(rel, want) do { \
        _cleanup_free_ char *file_ = got(rel); \
        CHECK_STR(file_, want); \
    } while (0)

static json_t *res_of(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);

    if (!j)
        printf("# bad fixture json: %s\n", je.text);
    return j;
}

static const char *POD = "/berth_parent/0123abcd";

/* v2: every level lists the controllers its parent enabled; a new
 * cgroup's controller files are there (empty here) once it is made. */
static void v2_fixture(const char *host, bool bfq)
{
    static const char *const files[] = {
        "cpuset.cpus", "cpuset.mems", "cpu.weight", "cpu.max", "memory.max",
        "memory.swap.max", "memory.low", "pids.max", "io.weight", "io.max",
        "cgroup.subtree_control", "cgroup.procs",
    };
    char rel[256];

    snprintf(rel, sizeof(rel), "%s/cgroup.controllers", host);
    put(rel, "cpuset cpu io memory pids\n");
    snprintf(rel, sizeof(rel), "%s/cgroup.subtree_control", host);
    put(rel, "cpu memory\n");       /* some enabled already, at boot */
    snprintf(rel, sizeof(rel), "%s/berth_parent/cgroup.controllers", host);
    put(rel, "cpuset cpu io memory pids\n");
    snprintf(rel, sizeof(rel), "%s/berth_parent/cgroup.subtree_control", host);
    put(rel, "");
    snprintf(rel, sizeof(rel), "%s%s/cgroup.controllers", host, POD);
    put(rel, "cpuset cpu io memory pids\n");
    for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
        snprintf(rel, sizeof(rel), "%s%s/%s", host, POD, files[i]);
        put(rel, "");
    }
    if (bfq) {
        snprintf(rel, sizeof(rel), "%s%s/io.bfq.weight", host, POD);
        put(rel, "");
    }
}

static const char *LIMITS =
    "{\"cpu\": {\"cpus\": \"1\", \"mems\": \"0\", \"shares\": 512,"
    "           \"period\": 100000, \"quota\": 50000},"
    " \"memory\": {\"limit\": 67108864, \"swap\": 134217728, \"reservation\": 33554432},"
    " \"pids\": {\"limit\": 100},"
    " \"blockIO\": {\"weight\": 300,"
    "   \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 1048576}],"
    "   \"throttleWriteIOPSDevice\": [{\"major\": 8, \"minor\": 16, \"rate\": 20}]}}";

static void t_v2(void)
{
    _cleanup_free_ char *root = str_fmt("%s/v2", tmp);
    _cleanup_json_ json_t *res = res_of(LIMITS);
    struct berr *e = NULL;

    v2_fixture("v2", false);
    CHECK_INT(cgres_apply(root, CG_V2, POD, res, &e), 0);
    if (e)
        printf("# %s\n", e->msg);
    /* the controllers enabled on the way down, once each */
    CHECK_FILE("v2/cgroup.subtree_control", "cpu memory\n+cpuset +io +pids\n");
    CHECK_FILE("v2/berth_parent/cgroup.subtree_control", "+cpuset +cpu +io +memory +pids\n");
    CHECK_FILE("v2/berth_parent/0123abcd/cgroup.subtree_control",
               "+cpuset +cpu +io +memory +pids\n");
    CHECK_FILE("v2/berth_parent/0123abcd/cpuset.cpus", "1\n");
    CHECK_FILE("v2/berth_parent/0123abcd/cpuset.mems", "0\n");
    /* shares 512 on runc's scale: 1 + (510 * 9999) / 262142 */
    CHECK_FILE("v2/berth_parent/0123abcd/cpu.weight", "20\n");
    CHECK_FILE("v2/berth_parent/0123abcd/cpu.max", "50000 100000\n");
    CHECK_FILE("v2/berth_parent/0123abcd/memory.max", "67108864\n");
    /* OCI's swap is memory+swap; v2's is the swap alone */
    CHECK_FILE("v2/berth_parent/0123abcd/memory.swap.max", "67108864\n");
    CHECK_FILE("v2/berth_parent/0123abcd/memory.low", "33554432\n");
    CHECK_FILE("v2/berth_parent/0123abcd/pids.max", "100\n");
    /* no BFQ: io.weight, 1 + (300 - 10) * 9999 / 990 */
    CHECK_FILE("v2/berth_parent/0123abcd/io.weight", "2930\n");
    CHECK_FILE("v2/berth_parent/0123abcd/io.max", "8:0 rbps=1048576\n8:16 wiops=20\n");
    /* no v1 file made on a v2 host */
    CHECK_FILE("v2/berth_parent/0123abcd/cpu.shares", "<missing>");
    /* a second start: nothing enabled twice */
    CHECK_INT(cgres_apply(root, CG_V2, POD, res, &e), 0);
    CHECK_FILE("v2/berth_parent/cgroup.subtree_control", "+cpuset +cpu +io +memory +pids\n");
    CHECK_FILE("v2/cgroup.subtree_control", "cpu memory\n+cpuset +io +pids\n");
    berr_free(e);
}

static void t_v2_unlimited_and_bfq(void)
{
    _cleanup_free_ char *root = str_fmt("%s/v2u", tmp);
    _cleanup_json_ json_t *res = res_of(
        "{\"cpu\": {\"period\": 100000, \"quota\": -1},"
        " \"memory\": {\"limit\": -1, \"swap\": -1, \"swappiness\": 10},"
        " \"pids\": {\"limit\": 0},"
        " \"blockIO\": {\"weight\": 300, \"weightDevice\": [{\"major\": 8, \"minor\": 0, \"weight\": 50}]},"
        " \"unified\": {\"memory.high\": \"50000000\"}}");
    struct berr *e = NULL;

    v2_fixture("v2u", true);
    put("v2u/berth_parent/0123abcd/memory.high", "");
    CHECK_INT(cgres_apply(root, CG_V2, POD, res, &e), 0);
    if (e)
        printf("# %s\n", e->msg);
    CHECK_FILE("v2u/berth_parent/0123abcd/cpu.max", "max 100000\n");
    CHECK_FILE("v2u/berth_parent/0123abcd/memory.max", "max\n");
    CHECK_FILE("v2u/berth_parent/0123abcd/memory.swap.max", "max\n");
    CHECK_FILE("v2u/berth_parent/0123abcd/pids.max", "max\n");
    /* BFQ takes blkio's own scale */
    CHECK_FILE("v2u/berth_parent/0123abcd/io.bfq.weight", "300\n8:0 50\n");
    CHECK_FILE("v2u/berth_parent/0123abcd/io.weight", "");
    /* --cgroup-conf's files as given; swappiness has none on v2 */
    CHECK_FILE("v2u/berth_parent/0123abcd/memory.high", "50000000\n");
    CHECK_FILE("v2u/berth_parent/0123abcd/memory.swappiness", "<missing>");
    /* nothing asked: nothing written */
    CHECK_FILE("v2u/berth_parent/0123abcd/cpu.weight", "");
    CHECK_FILE("v2u/berth_parent/0123abcd/memory.low", "");
    berr_free(e);
}

static void t_v2_refused_and_removed(void)
{
    _cleanup_free_ char *root = str_fmt("%s/v2r", tmp);
    _cleanup_free_ char *gone = str_fmt("%s/v2r/berth_parent/empty", tmp);
    _cleanup_json_ json_t *res = res_of("{\"pids\": {\"limit\": 5}}");
    _cleanup_free_ char *pids = NULL;
    struct berr *e = NULL;

    v2_fixture("v2r", false);
    pids = str_fmt("%s/v2r%s/pids.max", tmp, POD);
    CHECK_INT(unlink(pids), 0);     /* a kernel without the pids controller */
    CHECK_INT(cgres_apply(root, CG_V2, POD, res, &e), -1);
    CHECK(e && strstr(e->msg, "write 5 to ") && strstr(e->msg, "/pids.max"));
    berr_free(e);
    e = NULL;
    CHECK_INT(mkdir(gone, 0755), 0);
    CHECK_INT(cgres_remove(root, CG_V2, "/berth_parent/empty", &e), 0);
    CHECK(access(gone, F_OK) < 0);
    /* already gone: nothing to do */
    CHECK_INT(cgres_remove(root, CG_V2, "/berth_parent/empty", &e), 0);
    berr_free(e);
}

/* v1: one hierarchy per controller; cpuset levels are filled from their
 * parents before anything else is written. */
static void v1_fixture(void)
{
    static const char *const ctls[] = { "cpu", "cpuacct", "memory", "pids", "blkio" };
    char rel[256];

    put("v1/cpuset/cpuset.cpus", "0-3\n");
    put("v1/cpuset/cpuset.mems", "0\n");
    put("v1/cpuset/berth_parent/cpuset.cpus", "");
    put("v1/cpuset/berth_parent/cpuset.mems", "");
    put("v1/cpuset/berth_parent/0123abcd/cpuset.cpus", "");
    put("v1/cpuset/berth_parent/0123abcd/cpuset.mems", "");
    for (size_t i = 0; i < ARRAY_SIZE(ctls); i++) {
        snprintf(rel, sizeof(rel), "v1/%s/berth_parent/0123abcd/cgroup.procs", ctls[i]);
        put(rel, "");
    }
    put("v1/cpu/berth_parent/0123abcd/cpu.shares", "");
    put("v1/cpu/berth_parent/0123abcd/cpu.cfs_period_us", "");
    put("v1/cpu/berth_parent/0123abcd/cpu.cfs_quota_us", "");
    put("v1/memory/berth_parent/0123abcd/memory.limit_in_bytes", "");
    put("v1/memory/berth_parent/0123abcd/memory.memsw.limit_in_bytes", "");
    put("v1/memory/berth_parent/0123abcd/memory.soft_limit_in_bytes", "");
    put("v1/pids/berth_parent/0123abcd/pids.max", "");
    put("v1/blkio/berth_parent/0123abcd/blkio.weight", "");
    put("v1/blkio/berth_parent/0123abcd/blkio.throttle.read_bps_device", "");
    put("v1/blkio/berth_parent/0123abcd/blkio.throttle.write_iops_device", "");
}

static void t_v1(void)
{
    _cleanup_free_ char *root = str_fmt("%s/v1", tmp);
    _cleanup_json_ json_t *res = res_of(LIMITS);
    struct berr *e = NULL;

    v1_fixture();
    CHECK_INT(cgres_apply(root, CG_V1, POD, res, &e), 0);
    if (e)
        printf("# %s\n", e->msg);
    /* inherited level by level, then the pod's own */
    CHECK_FILE("v1/cpuset/berth_parent/cpuset.cpus", "0-3\n");
    CHECK_FILE("v1/cpuset/berth_parent/0123abcd/cpuset.cpus", "0-3\n1\n");
    CHECK_FILE("v1/cpuset/berth_parent/0123abcd/cpuset.mems", "0\n0\n");
    CHECK_FILE("v1/cpu/berth_parent/0123abcd/cpu.shares", "512\n");
    CHECK_FILE("v1/cpu/berth_parent/0123abcd/cpu.cfs_period_us", "100000\n");
    CHECK_FILE("v1/cpu/berth_parent/0123abcd/cpu.cfs_quota_us", "50000\n");
    CHECK_FILE("v1/memory/berth_parent/0123abcd/memory.limit_in_bytes", "67108864\n");
    CHECK_FILE("v1/memory/berth_parent/0123abcd/memory.memsw.limit_in_bytes", "134217728\n");
    CHECK_FILE("v1/memory/berth_parent/0123abcd/memory.soft_limit_in_bytes", "33554432\n");
    CHECK_FILE("v1/pids/berth_parent/0123abcd/pids.max", "100\n");
    CHECK_FILE("v1/blkio/berth_parent/0123abcd/blkio.weight", "300\n");
    CHECK_FILE("v1/blkio/berth_parent/0123abcd/blkio.throttle.read_bps_device", "8:0 1048576\n");
    CHECK_FILE("v1/blkio/berth_parent/0123abcd/blkio.throttle.write_iops_device", "8:16 20\n");
    /* no v2 file made on a v1 host */
    CHECK_FILE("v1/cpu/berth_parent/0123abcd/cpu.max", "<missing>");
    CHECK_FILE("v1/memory/berth_parent/0123abcd/memory.max", "<missing>");
    berr_free(e);
}

static void t_v1_remove(void)
{
    _cleanup_free_ char *root = str_fmt("%s/v1rm", tmp);
    _cleanup_free_ char *mem = str_fmt("%s/v1rm/memory/berth_parent/dead", tmp);
    _cleanup_free_ char *cpu = str_fmt("%s/v1rm/cpu/berth_parent/dead", tmp);
    _cleanup_free_ char *keep = str_fmt("%s/.keep", mem);
    struct berr *e = NULL;

    put("v1rm/memory/berth_parent/dead/.keep", "");
    put("v1rm/cpu/berth_parent/x", "");
    CHECK_INT(mkdir(cpu, 0755), 0);
    /* a hierarchy holding something below it: named, the rest removed */
    CHECK_INT(cgres_remove(root, CG_V1, "/berth_parent/dead", &e), -1);
    CHECK(e && strstr(e->msg, "remove cgroup ") && strstr(e->msg, "memory/berth_parent/dead"));
    CHECK(access(cpu, F_OK) < 0);
    berr_free(e);
    e = NULL;
    CHECK_INT(unlink(keep), 0);
    CHECK_INT(cgres_remove(root, CG_V1, "/berth_parent/dead", &e), 0);
    CHECK(access(mem, F_OK) < 0);
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
    UNIT_RUN(t_v2_unlimited_and_bfq);
    UNIT_RUN(t_v2_refused_and_removed);
    UNIT_RUN(t_v1);
    UNIT_RUN(t_v1_remove);
    if (fs_rm_rf(tmp, &e) < 0)
        berr_free(e);
    return unit_done();
}
