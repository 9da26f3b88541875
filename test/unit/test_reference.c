/* test/unit/test_reference.c: image reference parsing and normalization. */
#include <stdlib.h>

#include "storage/reference.h"
#include "unit.h"
#include "util/str.h"

static const struct {
    const char *in, *dom, *want;    /* want NULL: refused */
} norm_cases[] = {
    { "busybox",                        "docker.io", "docker.io/library/busybox:latest" },
    { "busybox",                        "localhost", "localhost/busybox:latest" },
    { "busybox:1.36",                   "docker.io", "docker.io/library/busybox:1.36" },
    { "library/busybox",                "docker.io", "docker.io/library/busybox:latest" },
    { "docker.io/busybox",              "localhost", "docker.io/library/busybox:latest" },
    { "index.docker.io/busybox",        "localhost", "docker.io/library/busybox:latest" },
    { "localhost/x",                    "docker.io", "localhost/x:latest" },
    { "localhost:5000/tools/box:1.2",   "docker.io", "localhost:5000/tools/box:1.2" },
    { "registry.local/app",             "docker.io", "registry.local/app:latest" },
    { "Registry.Local/app",             "docker.io", "Registry.Local/app:latest" },
    { "quay.io/a/b/c:v1.0-rc_1",        "docker.io", "quay.io/a/b/c:v1.0-rc_1" },
    { "a__b/c-d.e---f",                 "localhost", "localhost/a__b/c-d.e---f:latest" },
    { "[::1]:5000/x",                   "docker.io", "[::1]:5000/x:latest" },
    { "x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "localhost",
      "localhost/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },
    { "x:t@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "localhost",
      "localhost/x:t@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },
    { "Tools/Box",                      "docker.io", NULL },   /* upper case path */
    { "busybox:",                       "docker.io", NULL },
    { ":tag",                           "docker.io", NULL },
    { "",                               "docker.io", NULL },
    { "a//b",                           "docker.io", NULL },
    { "a/",                             "docker.io", NULL },
    { "-a",                             "docker.io", NULL },
    { "a_-b",                           "docker.io", NULL },
    { "a...b",                          "docker.io", NULL },
    { "x:.tag",                         "docker.io", NULL },
    { "x@sha256:abc",                   "docker.io", NULL },
    { "x@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "docker.io", NULL },
    { "host:port/x",                    "docker.io", NULL },
    { "-host.com/x",                    "docker.io", NULL },
    { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "localhost", NULL },
};

static void t_normalize(void)
{
    for (size_t i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++) {
        struct berr *e = NULL;
        char *got = NULL;
        int rc = ref_normalize_str(norm_cases[i].in, norm_cases[i].dom, &got, &e);
        if (norm_cases[i].want) {
            CHECK_INT(rc, 0);
            CHECK_STR(got, norm_cases[i].want);
        } else {
            if (rc == 0)
                printf("#   accepted \"%s\" as \"%s\"\n", norm_cases[i].in, got);
            CHECK(rc < 0);
            CHECK(e && str_has_prefix(e->msg, "invalid reference format"));
        }
        free(got);
        berr_free(e);
    }
}

/* The 255-character limit is on the normalized name, domain included, as
 * docker/distribution and podman have it (fuzz_reference found a short
 * name that normalized to a name that no longer parsed). */
static void t_length_normalized(void)
{
    char name[300];
    char *got = NULL;
    struct berr *e = NULL;

    memset(name, 'a', 245);
    name[245] = '\0';              /* localhost/ + 245 = 255: fine */
    CHECK_INT(ref_normalize_str(name, "localhost", &got, &e), 0);
    CHECK(got && strlen(got) == 255 + strlen(":latest"));
    free(got);
    got = NULL;
    CHECK(ref_normalize_str(name, "docker.io", &got, &e) < 0);   /* docker.io/library/ */
    CHECK_STR(e ? e->msg : NULL,
              "invalid reference format: repository name must not be more than 255 characters");
    berr_free(e);
    e = NULL;
    name[245] = 'a';
    name[246] = '\0';
    CHECK(ref_normalize_str(name, "localhost", &got, &e) < 0);
    berr_free(e);
}

static void t_lowercase_message(void)
{
    struct berr *e = NULL;
    struct ref r;
    CHECK(ref_parse("Busybox", &r, &e) < 0);
    CHECK_STR(e ? e->msg : NULL, "invalid reference format: repository name must be lowercase");
    CHECK_INT(e ? (int) e->kind : -1, BK_INVALID);
    berr_free(e);
}

static void t_short_match(void)
{
    static const struct { const char *shortref, *full; bool want; } cases[] = {
        { "busybox",          "localhost/busybox:latest",          true },
        { "busybox",          "docker.io/library/busybox:latest",  true },
        { "busybox",          "quay.io/mybusybox:latest",          false },
        { "busybox",          "localhost/busybox:1",               false },
        { "busybox:1",        "localhost/busybox:1",               true },
        { "library/busybox",  "docker.io/library/busybox:latest",  true },
        { "library/busybox",  "localhost/busybox:latest",          false },
        { "box",              "localhost/tools/box:latest",        true },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct berr *e = NULL;
        struct ref r;
        CHECK_INT(ref_parse(cases[i].shortref, &r, &e), 0);
        if (ref_short_matches(&r, cases[i].full) != cases[i].want)
            printf("#   case %zu: %s vs %s\n", i, cases[i].shortref, cases[i].full);
        CHECK(ref_short_matches(&r, cases[i].full) == cases[i].want);
        ref_free(&r);
    }
}

static void t_ids(void)
{
    CHECK(ref_is_full_id("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    CHECK(!ref_is_full_id("0123456789abcdef"));
    CHECK(ref_is_hex("0123ab"));
    CHECK(!ref_is_hex("0123AB"));
    CHECK(!ref_is_hex(""));
}

int main(void)
{
    UNIT_RUN(t_normalize);
    UNIT_RUN(t_length_normalized);
    UNIT_RUN(t_lowercase_message);
    UNIT_RUN(t_short_match);
    UNIT_RUN(t_ids);
    return unit_done();
}
