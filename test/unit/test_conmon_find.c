/*
 * test/unit/test_conmon_find.c: conmon_find() against fake conmon shell
 * scripts in a temporary directory. Each fake appends a line to a "runs"
 * file, so the tests can tell a cache hit (no exec) from a probe.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/conmon_find.h"
#include "unit.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/str.h"

static char dir[64];
static char cache[128];

static const char *at(const char *rel)
{
    static char buf[4][256];
    static int k;

    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, rel);
    return buf[k];
}

/* A fake conmon at rel that counts its runs in <rel>.runs and prints out. */
static void fake(const char *rel, const char *out)
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
    fprintf(f, "#!/bin/sh\necho run >> '%s.runs'\nprintf '%s'\n", p, out);
    fclose(f);
    chmod(p, 0755);
}

static int runs(const char *rel)
{
    char line[64], p[300];
    int n = 0;
    FILE *f;

    snprintf(p, sizeof(p), "%s.runs", at(rel));
    f = fopen(p, "r");
    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        n++;
    fclose(f);
    return n;
}

/* Runs conmon_find over the given candidates; returns the path found, or
 * NULL with *msg set to the error. Both malloc'd. */
static char *find(const char *cache_dir, char **msg, char **version, ...)
{
    struct config cfg = { 0 };
    char *path = NULL, *ver = NULL, **cands = calloc(1, sizeof(char *));
    struct berr *e = NULL;
    const char *c;
    va_list ap;

    va_start(ap, version);
    while ((c = va_arg(ap, const char *)))
        strv_push(&cands, c);
    va_end(ap);
    cfg.conmon_path = cands;
    *msg = NULL;
    if (conmon_find(&cfg, cache_dir, &path, &ver, &e) < 0) {
        *msg = strdup(e->msg);
        berr_free(e);
    }
    strv_free(cands);
    if (version)
        *version = ver;
    else
        free(ver);
    return path;
}

static void setup(void)
{
    strcpy(dir, "/tmp/berth-test-conmon.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(cache, sizeof(cache), "%s/cache", dir);
    mkdir(cache, 0700);
    mkdir(at("empty"), 0755);
    mkdir(at("adir"), 0755);
    setenv("PATH", at("empty"), 1);     /* no real conmon from $PATH */
    fake("good", "conmon version 2.1.6\\ncommit: abc\\n");
    fake("old", "conmon version 2.0.20\\ncommit: abc\\n");
    fake("min", "conmon version 2.0.24\\n");
    fake("below", "conmon version 2.0.23\\n");
    fake("garbage", "hello world\\n");
    fake("rs", "version: 0.4.0\\n");
    fake("bin/conmon", "conmon version 2.2.0\\n");
}

static void t_finds_good(void)
{
    char *msg, *ver = NULL;
    char *p = find(cache, &msg, &ver, at("missing"), at("adir"), at("good"), NULL);

    CHECK_STR(p, at("good"));
    CHECK_STR(ver, "2.1.6");
    CHECK_STR(msg, NULL);
    CHECK_INT(runs("adir"), 0);
    CHECK_INT(runs("good"), 1);
    free(p);
    free(ver);
    free(msg);
}

static void t_cache_hit_and_change(void)
{
    char *msg, *ver = NULL, *p;
    char cf[300];
    struct stat st;

    /* t_finds_good probed once; the same binary again: no exec */
    p = find(cache, &msg, &ver, at("good"), NULL);
    CHECK_STR(p, at("good"));
    CHECK_STR(ver, "2.1.6");
    CHECK_INT(runs("good"), 1);
    snprintf(cf, sizeof(cf), "%s/conmon-probe.json", cache);
    CHECK(stat(cf, &st) == 0);
    free(p);
    free(ver);
    free(msg);

    /* the binary changes (an upgrade): probed again, new version seen */
    fake("good", "conmon version 2.1.10\\n");
    p = find(cache, &msg, &ver, at("good"), NULL);
    CHECK_STR(ver, "2.1.10");
    CHECK_INT(runs("good"), 2);
    free(p);
    free(ver);
    free(msg);
    p = find(cache, &msg, &ver, at("good"), NULL);
    CHECK_INT(runs("good"), 2);
    free(p);
    free(ver);
    free(msg);

    /* without a cache dir every call probes */
    p = find(NULL, &msg, NULL, at("good"), NULL);
    p = (free(p), find(NULL, &msg, NULL, at("good"), NULL));
    CHECK_INT(runs("good"), 4);
    free(p);
    free(msg);

    /* a corrupt cache is ignored and rewritten */
    {
        FILE *f = fopen(cf, "w");
        fputs("{not json", f);
        fclose(f);
    }
    p = find(cache, &msg, NULL, at("good"), NULL);
    CHECK_STR(p, at("good"));
    CHECK_INT(runs("good"), 5);
    free(p);
    free(msg);
    p = find(cache, &msg, NULL, at("good"), NULL);
    CHECK_INT(runs("good"), 5);
    free(p);
    free(msg);
}

static void t_versions(void)
{
    char *msg, *ver = NULL, *p;

    p = find(cache, &msg, &ver, at("min"), NULL);
    CHECK_STR(p, at("min"));
    CHECK_STR(ver, "2.0.24");
    free(p);
    free(ver);
    free(msg);

    p = find(cache, &msg, NULL, at("below"), NULL);
    CHECK_STR(p, NULL);
    CHECK_STR(msg, "please update to v2.0.24 or later: outdated conmon version");
    free(msg);
    p = find(cache, &msg, NULL, at("old"), at("garbage"), at("rs"), NULL);
    CHECK_STR(p, NULL);
    CHECK_STR(msg, "please update to v2.0.24 or later: outdated conmon version");
    free(msg);
    p = find(cache, &msg, NULL, at("garbage"), NULL);
    CHECK_STR(msg, "please update to v2.0.24 or later: outdated conmon version");
    free(msg);

    /* an old one first does not stop the search */
    p = find(cache, &msg, &ver, at("old"), at("good"), NULL);
    CHECK_STR(p, at("good"));
    free(p);
    free(ver);
    free(msg);
}

static void t_none_and_path(void)
{
    char *msg, *ver = NULL, *p;
    char want[512];

    p = find(cache, &msg, NULL, at("missing"), at("adir"), NULL);
    CHECK_STR(p, NULL);
    snprintf(want, sizeof(want), "could not find a working conmon binary (configured options: "
             "[%s %s]): invalid argument", at("missing"), at("adir"));
    CHECK_STR(msg, want);
    free(msg);

    setenv("PATH", at("bin"), 1);
    p = find(cache, &msg, &ver, at("missing"), NULL);
    CHECK_STR(p, at("bin/conmon"));
    CHECK_STR(ver, "2.2.0");
    free(p);
    free(ver);
    free(msg);
    setenv("PATH", at("empty"), 1);
}

/* The host's conmon, when installed, parses. */
static void t_real(void)
{
    char *msg, *ver = NULL, *p;

    if (access("/usr/bin/conmon", X_OK) != 0) {
        printf("# skip: no /usr/bin/conmon\n");
        return;
    }
    p = find(cache, &msg, &ver, "/usr/bin/conmon", NULL);
    CHECK_STR(p, "/usr/bin/conmon");
    CHECK_STR(msg, NULL);
    CHECK(ver && strchr(ver, '.'));
    printf("# host conmon %s\n", ver ? ver : "?");
    free(p);
    free(ver);
    free(msg);
}

int main(void)
{
    struct berr *e = NULL;

    log_set_level(LOG_ERROR);   /* the "Conmon at X invalid" warnings are expected */
    setup();
    UNIT_RUN(t_finds_good);
    UNIT_RUN(t_cache_hit_and_change);
    UNIT_RUN(t_versions);
    UNIT_RUN(t_none_and_path);
    UNIT_RUN(t_real);
    fs_rm_rf(dir, &e);
    berr_free(e);
    return unit_done();
}
