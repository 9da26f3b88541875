/*
 * test/unit/test_ociruntime.c: oci_runtime_resolve() over a runtime table
 * of fake binaries in a temporary directory.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/ociruntime.h"
#include "unit.h"
#include "util/fs.h"
#include "util/str.h"

static char dir[64];
static struct config cfg;

static const char *at(const char *rel)
{
    static char buf[8][256];
    static int k;

    k = (k + 1) % 8;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, rel);
    return buf[k];
}

static void touch_exe(const char *rel)
{
    const char *p = at(rel);
    char *d = fs_dirname(p);
    struct berr *e = NULL;
    FILE *f;

    if (fs_mkdir_p(d, 0755, &e) < 0)
        abort();
    free(d);
    f = fopen(p, "w");
    if (!f)
        abort();
    fputs("#!/bin/sh\nexit 0\n", f);
    fclose(f);
    chmod(p, 0755);
}

static void add_runtime(const char *name, const char *rel1, const char *rel2, const char *rel3)
{
    struct cfg_runtime *r;

    cfg.runtimes = realloc(cfg.runtimes, sizeof(*r) * (size_t) (cfg.n_runtimes + 1));
    r = &cfg.runtimes[cfg.n_runtimes++];
    r->name = strdup(name);
    r->paths = calloc(1, sizeof(char *));
    if (rel1)
        strv_push(&r->paths, at(rel1));
    if (rel2)
        strv_push(&r->paths, at(rel2));
    if (rel3)
        strv_push(&r->paths, at(rel3));
}

static void setup(void)
{
    strcpy(dir, "/tmp/berth-test-oci.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    touch_exe("runc-fake");
    touch_exe("crun-fake");
    touch_exe("bin/myrt");
    touch_exe("abs/runc");
    mkdir(at("adir"), 0755);
    if (symlink(at("loop"), at("loop")) < 0)
        abort();
    setenv("PATH", at("bin"), 1);
    add_runtime("runc", "missing", "adir", "runc-fake");
    add_runtime("crun", "crun-fake", NULL, NULL);
    add_runtime("myrt", "nothere", NULL, NULL);        /* found in $PATH */
    add_runtime("ghost", "nothere", NULL, NULL);       /* found nowhere */
    add_runtime("broken", "loop", "crun-fake", NULL);  /* stat fails: ELOOP */
    cfg.runtime_supports_json = strv_split("crun runc", " ");
    cfg.runtime_supports_nocgroups = strv_split("crun", " ");
    cfg.runtime = strdup("");
}

static void teardown(void)
{
    struct berr *e = NULL;

    for (int i = 0; i < cfg.n_runtimes; i++) {
        free(cfg.runtimes[i].name);
        strv_free(cfg.runtimes[i].paths);
    }
    free(cfg.runtimes);
    strv_free(cfg.runtime_supports_json);
    strv_free(cfg.runtime_supports_nocgroups);
    free(cfg.runtime);
    fs_rm_rf(dir, &e);
    berr_free(e);
}

/* Resolves; on success returns the runtime, else NULL with *msg set. */
static struct oci_runtime *resolve(const char *req, char **msg)
{
    struct oci_runtime *r = NULL;
    struct berr *e = NULL;

    *msg = NULL;
    if (oci_runtime_resolve(&cfg, req, &r, &e) < 0) {
        CHECK_INT(e->exit_code, 125);
        *msg = strdup(e->msg);
        berr_free(e);
        return NULL;
    }
    return r;
}

static void t_by_name(void)
{
    char *msg;
    struct oci_runtime *r = resolve("runc", &msg);

    CHECK_STR(msg, NULL);
    if (r) {
        CHECK_STR(r->name, "runc");
        CHECK_STR(r->path, at("runc-fake"));       /* missing and a dir skipped */
        CHECK(r->supports_json && !r->supports_nocgroups);
    }
    oci_runtime_free(r);

    r = resolve("crun", &msg);
    if (r) {
        CHECK_STR(r->path, at("crun-fake"));
        CHECK(r->supports_json && r->supports_nocgroups);
    }
    oci_runtime_free(r);

    r = resolve("myrt", &msg);
    if (r) {
        CHECK_STR(r->path, at("bin/myrt"));
        CHECK(!r->supports_json && !r->supports_nocgroups);
    }
    oci_runtime_free(r);
}

static void t_missing(void)
{
    char *msg;

    CHECK(resolve("ghost", &msg) == NULL);
    CHECK_STR(msg, "requested OCI runtime ghost is not available: invalid argument");
    free(msg);
    CHECK(resolve("unknown", &msg) == NULL);      /* not in the table: $PATH not asked */
    CHECK_STR(msg, "requested OCI runtime unknown is not available: invalid argument");
    free(msg);
    CHECK(resolve(at("nothere"), &msg) == NULL);
    {
        char want[512];
        snprintf(want, sizeof(want), "requested OCI runtime %s is not available: invalid "
                 "argument", at("nothere"));
        CHECK_STR(msg, want);
    }
    free(msg);
    CHECK(resolve(at("adir"), &msg) == NULL);
    free(msg);
}

/* Only what is asked for is looked at: the broken entry fails alone. */
static void t_lazy(void)
{
    char *msg, want[512];
    struct oci_runtime *r = resolve("crun", &msg);

    CHECK(r != NULL);
    oci_runtime_free(r);
    CHECK(resolve("broken", &msg) == NULL);
    snprintf(want, sizeof(want), "cannot stat OCI runtime %s: too many levels of symbolic "
             "links", at("loop"));
    CHECK_STR(msg, want);
    free(msg);
}

static void t_absolute(void)
{
    char *msg;
    struct oci_runtime *r = resolve(at("abs/runc"), &msg);

    CHECK_STR(msg, NULL);
    if (r) {
        CHECK_STR(r->name, at("abs/runc"));
        CHECK_STR(r->path, at("abs/runc"));
        CHECK(r->supports_json);                    /* by basename */
    }
    oci_runtime_free(r);
}

static void t_default(void)
{
    char *msg, want[512];
    struct oci_runtime *r;
    const char *dflt = oci_runtime_default_name(&cfg);

    /* runtime = "": crun where this host's cgroups let it run (its fake
     * binary exists), else runc */
    CHECK_STR(dflt, oci_crun_can_run("/sys/fs/cgroup") ? "crun" : "runc");
    r = resolve(NULL, &msg);
    if (r) {
        CHECK_STR(r->name, dflt);
        CHECK_STR(r->path, at(!strcmp(dflt, "crun") ? "crun-fake" : "runc-fake"));
    }
    oci_runtime_free(r);

    free(cfg.runtime);
    cfg.runtime = strdup("crun");
    r = resolve("", &msg);
    if (r)
        CHECK_STR(r->path, at("crun-fake"));
    oci_runtime_free(r);

    free(cfg.runtime);
    cfg.runtime = strdup(at("abs/runc"));
    r = resolve(NULL, &msg);
    if (r)
        CHECK_STR(r->path, at("abs/runc"));
    oci_runtime_free(r);

    free(cfg.runtime);
    cfg.runtime = strdup("ghost");
    CHECK(resolve(NULL, &msg) == NULL);
    CHECK_STR(msg, "default OCI runtime \"ghost\" not found: invalid argument");
    free(msg);

    free(cfg.runtime);
    cfg.runtime = strdup(at("nothere"));
    CHECK(resolve(NULL, &msg) == NULL);
    snprintf(want, sizeof(want), "default OCI runtime \"%s\" not found: invalid argument",
             at("nothere"));
    CHECK_STR(msg, want);
    free(msg);

    /* a request beats the default */
    r = resolve("runc", &msg);
    if (r)
        CHECK_STR(r->path, at("runc-fake"));
    oci_runtime_free(r);
    free(cfg.runtime);
    cfg.runtime = strdup("");
}

static void write_file(const char *rel, const char *text)
{
    const char *p = at(rel);
    char *d = fs_dirname(p);
    struct berr *e = NULL;
    FILE *f;

    if (fs_mkdir_p(d, 0755, &e) < 0)
        abort();
    free(d);
    if (!(f = fopen(p, "w")))
        abort();
    fputs(text, f);
    fclose(f);
}

/* The cgroup layouts crun runs on, as fake /sys/fs/cgroup trees. */
static void t_crun_layouts(void)
{
    CHECK(oci_crun_can_run(at("cg-v1")));                   /* nothing: plain v1 */
    write_file("cg-v1/memory/tasks", "");
    CHECK(oci_crun_can_run(at("cg-v1")));
    write_file("cg-v2/cgroup.controllers", "cpu io memory pids\n");
    CHECK(oci_crun_can_run(at("cg-v2")));                   /* unified */
    write_file("cg-hybrid-empty/unified/cgroup.controllers", "");
    CHECK(oci_crun_can_run(at("cg-hybrid-empty")));         /* v2 mount, no controller */
    write_file("cg-hybrid/unified/cgroup.controllers", "hugetlb\n");
    CHECK(!oci_crun_can_run(at("cg-hybrid")));              /* this host: crun refuses */
}

/* Without crun installed the default is runc, whatever the layout. */
static void t_default_without_crun(void)
{
    struct cfg_runtime *crun = NULL;

    for (int i = 0; i < cfg.n_runtimes; i++)
        if (!strcmp(cfg.runtimes[i].name, "crun"))
            crun = &cfg.runtimes[i];
    CHECK(crun != NULL);
    if (!crun)
        return;
    free(crun->name);
    crun->name = strdup("crun-renamed");        /* no "crun" entry, none in PATH here */
    CHECK_STR(oci_runtime_default_name(&cfg), "runc");
    free(crun->name);
    crun->name = strdup("crun");
}

int main(void)
{
    setup();
    UNIT_RUN(t_by_name);
    UNIT_RUN(t_missing);
    UNIT_RUN(t_lazy);
    UNIT_RUN(t_absolute);
    UNIT_RUN(t_default);
    UNIT_RUN(t_crun_layouts);
    UNIT_RUN(t_default_without_crun);
    teardown();
    return unit_done();
}
