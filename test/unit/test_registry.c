/*
 * test/unit/test_registry.c: the registry client's parsers: the
 * WWW-Authenticate challenge, registry error bodies, base64,
 * registries.conf (files, drop-ins, prefixes, mirrors, aliases and their
 * cache), auth.json (lookup order, writes, modes), policy.json and the
 * platform choice of manifest lists. Files live in a temp dir, and
 * BERTH_CONFIG_ROOT, HOME and XDG_* point there: nothing of the host's
 * is read or written.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/registry/internal.h"
#include "unit.h"
#include "util/base64.h"
#include "util/fs.h"
#include "util/str.h"

static char dir[] = "/tmp/berth-test-registry-XXXXXX";

static void put(const char *rel, const char *text)
{
    char *p = str_fmt("%s/%s", dir, rel), *d = fs_dirname(p);
    struct berr *e = NULL;

    if (fs_mkdir_p(d, 0700, &e) < 0 || fs_write_atomic(d, strrchr(p, '/') + 1, text,
                                                      strlen(text), 0600, &e) < 0)
        printf("# put %s: %s\n", rel, e->msg);
    berr_free(e);
    free(p);
    free(d);
}

static char *path(const char *rel)
{
    return str_fmt("%s/%s", dir, rel);
}

static void t_challenge(void)
{
    static const struct { const char *in, *scheme, *realm, *service, *scope; } cases[] = {
        { "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
          "scope=\"repository:samalba/my-app:pull,push\"", "bearer",
          "https://auth.docker.io/token", "registry.docker.io", "repository:samalba/my-app:pull,push" },
        { "Basic realm=\"basic-realm\"", "basic", "basic-realm", NULL, NULL },
        { "basic realm=x", "basic", "x", NULL, NULL },
        { "Bearer realm=\"a\\\"b\", service=svc", "bearer", "a\"b", "svc", NULL },
        { "Basic realm=\"r\", Bearer realm=\"t\",service=\"s\"", "bearer", "t", "s", NULL },
        { "  Bearer   realm = \"http://127.0.0.1:5002/token\" ", "bearer",
          "http://127.0.0.1:5002/token", NULL, NULL },
        { "Negotiate", NULL, NULL, NULL, NULL },
        { "", NULL, NULL, NULL, NULL },
        { "Bearer realm=\"unterminated", NULL, NULL, NULL, NULL },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct reg_challenge c;
        int r = reg_challenge_parse(cases[i].in, &c);
        if (!cases[i].scheme) {
            CHECK_INT(r, -1);
            continue;
        }
        CHECK_INT(r, 0);
        CHECK_STR(c.scheme, cases[i].scheme);
        CHECK_STR(c.realm, cases[i].realm);
        CHECK_STR(c.service, cases[i].service);
        CHECK_STR(c.scope, cases[i].scope);
        reg_challenge_clear(&c);
    }
    CHECK_INT(reg_challenge_parse(NULL, &(struct reg_challenge) { 0 }), -1);
}

static void t_error_text(void)
{
    const char *one = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest "
                      "unknown\",\"detail\":{\"Tag\":\"nope\"}}]}";
    const char *two = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication "
                      "required\"},{\"code\":\"DENIED\",\"message\":\"no\"}]}";
    char *s = reg_error_text(one, strlen(one));
    CHECK_STR(s, "manifest unknown: manifest unknown");
    free(s);
    s = reg_error_text(two, strlen(two));
    CHECK_STR(s, "errors:\nunauthorized: authentication required\ndenied: no\n");
    free(s);
    CHECK(reg_error_text("not json", 8) == NULL);
    CHECK(reg_error_text("{}", 2) == NULL);
    CHECK(reg_error_text(NULL, 0) == NULL);
}

static void t_base64(void)
{
    static const struct { const char *plain, *enc; } cases[] = {
        { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
        { "alice:s3cret", "YWxpY2U6czNjcmV0" }, { "a:b:c", "YTpiOmM=" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *e = b64_encode(cases[i].plain, strlen(cases[i].plain)), *d = NULL;
        size_t n = 0;
        CHECK_STR(e, cases[i].enc);
        CHECK_INT(b64_decode(cases[i].enc, &d, &n), 0);
        CHECK_STR(d, cases[i].plain);
        CHECK_INT(n, strlen(cases[i].plain));
        free(e);
        free(d);
    }
    char *d = NULL;
    size_t n;
    CHECK_INT(b64_decode("Zm9v", &d, &n), 0);      /* no padding is fine */
    free(d);
    CHECK_INT(b64_decode("Zm9", &d, &n), 0);
    CHECK_STR(d, "fo");
    free(d);
    CHECK_INT(b64_decode("Z", &d, &n), -1);
    CHECK_INT(b64_decode("Zm9v!", &d, &n), -1);
}

static struct regconf *load_conf(const char *file, struct berr **e)
{
    struct regconf *c = NULL;
    char *p = file ? path(file) : NULL;
    int r = regconf_load(p, &c, e);
    free(p);
    return r < 0 ? NULL : c;
}

static void check_sources(struct regconf *c, const char *ref, const char *want)
{
    struct reg_source *v = NULL;
    size_t n = 0;
    struct berr *e = NULL;
    struct sbuf b = SBUF_INIT;

    if (regconf_pull_sources(c, ref, &v, &n, &e) < 0) {
        sbuf_addf(&b, "error: %s", e->msg);
    } else {
        for (size_t i = 0; i < n; i++)
            sbuf_addf(&b, "%s%s%s%s", i ? " " : "", v[i].ref, v[i].insecure ? "!" : "",
                      v[i].mirror ? "(m)" : "");
    }
    /* an error is compared up to the end of want */
    bool same = str_has_prefix(want, "error:") ? str_has_prefix(sbuf_str(&b), want)
                                               : !strcmp(sbuf_str(&b), want);
    CHECK(same);
    if (!same)
        printf("#   for %s\n#   got:  %s\n#   want: %s\n", ref, sbuf_str(&b), want);
    sbuf_free(&b);
    berr_free(e);
    reg_sources_free(v, n);
}

static void t_regconf(void)
{
    struct berr *e = NULL;
    struct regconf *c;

    put("r1.conf",
        "unqualified-search-registries = [\"reg.one:5000\", \"docker.io\"]\n"
        "short-name-mode = \"enforcing\"\n"
        "[[registry]]\nlocation = \"reg.one:5000\"\ninsecure = true\n"
        "[[registry]]\nprefix = \"example.com/foo\"\nlocation = \"mirror.local/bar/\"\n"
        "[[registry.mirror]]\nlocation = \"m1.local:5000/x\"\n"
        "[[registry.mirror]]\nlocation = \"m2.local\"\npull-from-mirror = \"digest-only\"\n"
        "[[registry]]\nprefix = \"example.com\"\nlocation = \"example.com\"\nblocked = true\n"
        "[[registry]]\nprefix = \"*.wild.io\"\nlocation = \"\"\ninsecure = true\n"
        "[aliases]\nbox = \"reg.one:5000/tools/box\"\nhub = \"docker.io/busybox\"\noff = \"\"\n");
    put("etc/containers/registries.conf.d/20-b.conf",
        "[aliases]\nbox = \"reg.two/box\"\n");
    put("etc/containers/registries.conf.d/10-a.conf",
        "unqualified-search-registries = [\"reg.two\"]\n[aliases]\nbox = \"reg.three/box\"\n");
    put("etc/containers/registries.conf.d/ignored.txt", "not = toml = at all");
    c = load_conf("r1.conf", &e);
    CHECK(c != NULL);
    if (!c) {
        printf("# %s\n", e->msg);
        berr_free(e);
        return;
    }
    CHECK_INT(regconf_short_name_mode(c), SNM_ENFORCING);
    /* the drop-in 10-a set the search list; 20-b's alias came last */
    CHECK_INT(strv_len(regconf_search_registries(c)), 1);
    CHECK_STR(regconf_search_registries(c)[0], "reg.two");
    CHECK(str_has_suffix(regconf_search_origin(c), "10-a.conf"));
    check_sources(c, "reg.one:5000/a/b:1", "reg.one:5000/a/b:1!");
    check_sources(c, "reg.one:50001/a:1", "reg.one:50001/a:1");
    check_sources(c, "example.com/foo/app:1", "m1.local:5000/x/app:1(m) mirror.local/bar/app:1");
    check_sources(c, "example.com/foo/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                  "m1.local:5000/x/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef(m) "
                  "m2.local/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef(m) "
                  "mirror.local/bar/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    check_sources(c, "example.com/foobar:1", "error: registry example.com is blocked in ");
    check_sources(c, "example.com/other:1", "error: registry example.com is blocked in ");
    check_sources(c, "a.wild.io/x:1", "a.wild.io/x:1!");
    check_sources(c, "wild.io/x:1", "wild.io/x:1");
    check_sources(c, "quay.io/x:1", "quay.io/x:1");

    char *v = NULL, *o = NULL, *cache = path("cache/aliases.conf");
    CHECK_INT(regconf_alias(c, cache, "box", &v, &o, &e), 0);
    CHECK_STR(v, "reg.two/box");
    CHECK(o && str_has_suffix(o, "20-b.conf"));
    free(v);
    free(o);
    CHECK_INT(regconf_alias(c, cache, "hub", &v, &o, &e), 0);
    CHECK_STR(v, "docker.io/library/busybox");
    free(v);
    free(o);
    CHECK_INT(regconf_alias(c, cache, "off", &v, &o, &e), 0);
    CHECK(v == NULL && o != NULL);
    free(o);
    CHECK_INT(regconf_alias(c, cache, "none", &v, &o, &e), 0);
    CHECK(v == NULL && o == NULL);
    CHECK_INT(regconf_alias(c, cache, "reg.x/box", &v, &o, &e), -1);
    berr_free(e);
    e = NULL;
    /* The cache file wins over the configuration, and is 0600. */
    CHECK_INT(regconf_alias_record(cache, "box", "reg.four:5000/box", &e), 0);
    CHECK_INT(regconf_alias_record(cache, "new", "docker.io/new", &e), 0);
    CHECK_INT(regconf_alias(c, cache, "box", &v, &o, &e), 0);
    CHECK_STR(v, "reg.four:5000/box");
    CHECK_STR(o, cache);
    free(v);
    free(o);
    CHECK_INT(regconf_alias(c, cache, "new", &v, &o, &e), 0);
    CHECK_STR(v, "docker.io/library/new");
    free(v);
    free(o);
    struct stat st;
    CHECK(stat(cache, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK_INT(regconf_alias_record(cache, "x", "notqualified", &e), -1);
    berr_free(e);
    e = NULL;
    free(cache);
    regconf_free(c);

    /* errors name the file */
    static const struct { const char *text, *want; } bad[] = {
        { "[[registry]]\nlocation = \"https://x.io\"\n", "URI schemes are not supported" },
        { "[[registry]]\ninsecure = true\n", "both location and prefix are unset" },
        { "short-name-mode = \"loud\"\n", "invalid short-name mode: \"loud\"" },
        { "unqualified-search-registries = [\"x.io/ns\"]\n", "Invalid unqualified-search-registries entry" },
        { "[[registry]]\nlocation = \"a.io\"\ninsecure = true\n[[registry]]\nprefix = \"a.io/x\"\nlocation = \"a.io\"\n",
          "conflicting 'insecure' setting" },
        { "[registries.search]\nregistries = [\"a.io\"]\n[[registry]]\nlocation = \"b.io\"\n",
          "mixing sysregistry v1/v2 is not supported" },
        { "[aliases]\n\"a:1\" = \"x.io/a\"\n", "must not contain tag" },
        { "[aliases]\na = \"x.io/a:1\"\n", "must not contain tag" },
        { "this is = not toml =", "bad.conf" },
        { "[[registry]]\nprefix = \"*.x.io/ns\"\n", "Wildcarded prefix" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        put("bad.conf", bad[i].text);
        c = load_conf("bad.conf", &e);
        CHECK(c == NULL);
        CHECK(e && strstr(e->msg, bad[i].want));
        if (e && !strstr(e->msg, bad[i].want))
            printf("#   got: %s\n", e->msg);
        berr_free(e);
        e = NULL;
        regconf_free(c);
    }
    /* v1 is converted */
    put("v1.conf", "[registries.search]\nregistries = [\"a.io\", \"b.io\"]\n"
        "[registries.insecure]\nregistries = [\"b.io\"]\n[registries.block]\nregistries = [\"c.io\"]\n");
    c = load_conf("v1.conf", &e);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(strv_len(regconf_search_registries(c)), 1);     /* 10-a.conf overrides */
        check_sources(c, "b.io/x:1", "b.io/x:1!");
        check_sources(c, "c.io/x:1", "error: registry c.io is blocked in ");
        regconf_free(c);
    }
    berr_free(e);
    e = NULL;
    /* An explicit file must exist; the default one need not. */
    CHECK(load_conf("missing.conf", &e) == NULL);
    CHECK(e && strstr(e->msg, "missing.conf"));
    berr_free(e);
    e = NULL;
    c = load_conf(NULL, &e);
    CHECK(c != NULL);
    if (c)
        CHECK_STR(regconf_search_registries(c)[0], "reg.two");
    regconf_free(c);
    berr_free(e);
}

static void check_get(const char *override, const char *key, const char *want)
{
    char *u = NULL, *p = NULL, *from = NULL, got[256];
    struct berr *e = NULL;
    int r = authfile_get(override, key, &u, &p, &from, &e);

    if (r < 0)
        snprintf(got, sizeof(got), "error: %s", e->msg);
    else if (r == 0)
        snprintf(got, sizeof(got), "none");
    else
        snprintf(got, sizeof(got), "%s:%s@%s", u, p, strrchr(from, '/') + 1);
    bool same = str_has_prefix(want, "error:") ? str_has_prefix(got, want) : !strcmp(got, want);
    CHECK(same);
    if (!same)
        printf("#   for %s\n#   got:  %s\n#   want: %s\n", key, got, want);
    free(u);
    free(p);
    free(from);
    berr_free(e);
}

static void t_authfile(void)
{
    struct berr *e = NULL;
    char *primary = path("run/containers/auth.json");
    struct stat st;

    char *run = path("run");
    setenv("XDG_RUNTIME_DIR", run, 1);
    free(run);
    unsetenv("XDG_CONFIG_HOME");
    char *def = authfile_primary(NULL);
    CHECK_STR(def, primary);
    free(def);
    def = authfile_primary("/x/a.json");
    CHECK_STR(def, "/x/a.json");
    free(def);

    check_get(NULL, "r.io", "none");
    CHECK_INT(authfile_set(primary, "r.io", "alice", "s3:cret", &e), 0);
    CHECK(stat(primary, &st) == 0 && (st.st_mode & 0777) == 0600);
    char *rd = path("run/containers");
    CHECK(stat(rd, &st) == 0 && (st.st_mode & 0777) == 0700);
    free(rd);
    char *text = NULL;
    size_t len;
    CHECK_INT(fs_read_file(primary, &text, &len, &e), 0);
    CHECK_STR(text, "{\n\t\"auths\": {\n\t\t\"r.io\": {\n\t\t\t\"auth\": \"YWxpY2U6czM6Y3JldA==\"\n\t\t}\n\t}\n}");
    free(text);
    check_get(NULL, "r.io", "alice:s3:cret@auth.json");
    check_get(NULL, "r.io/ns/app", "alice:s3:cret@auth.json");
    check_get(NULL, "r.io:5000", "none");
    CHECK_INT(authfile_set(primary, "r.io/ns", "bob", "pw", &e), 0);
    check_get(NULL, "r.io/ns/app", "bob:pw@auth.json");
    check_get(NULL, "r.io/nsx/app", "alice:s3:cret@auth.json");

    /* docker's file, its legacy keys, and ~/.dockercfg */
    put("home/.docker/config.json", "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"ZDpw\"},"
        "\"http://q.io:5000/v2/\":{\"auth\":\"cTpy\"},\"bad.io\":{\"auth\":\"!!\"}},\"credsStore\":\"x\"}");
    put("home/.dockercfg", "{\"old.io\":{\"auth\":\"bzpw\"}}");
    check_get(NULL, "docker.io/library/busybox", "d:p@config.json");
    check_get(NULL, "q.io:5000/x", "q:r@config.json");
    check_get(NULL, "old.io", "o:p@.dockercfg");
    check_get(NULL, "bad.io", "error: ");
    /* an explicit file comes first, the others still count */
    char *other = path("other.json");
    CHECK_INT(authfile_set(other, "r.io", "carol", "x", &e), 0);
    check_get(other, "r.io", "carol:x@other.json");
    check_get(other, "q.io:5000", "q:r@config.json");

    CHECK_INT(authfile_remove(primary, "r.io", &e), 0);
    check_get(NULL, "r.io", "none");
    check_get(NULL, "r.io/ns/a", "bob:pw@auth.json");
    CHECK_INT(authfile_remove(primary, "r.io", &e), -1);
    CHECK(e && !strcmp(e->msg, "not logged into r.io") && e->kind == BK_NO_SUCH);
    berr_free(e);
    e = NULL;
    /* other keys of a file survive */
    put("keep.json", "{\"auths\":{\"a.io\":{\"auth\":\"YTpi\"}},\"credHelpers\":{\"z.io\":\"zz\"}}");
    char *keep = path("keep.json");
    CHECK_INT(authfile_set(keep, "b.io", "u", "p", &e), 0);
    CHECK_INT(fs_read_file(keep, &text, &len, &e), 0);
    CHECK(strstr(text, "\"credHelpers\"") && strstr(text, "\"a.io\"") && strstr(text, "\"b.io\""));
    free(text);
    CHECK_INT(authfile_remove_all(keep, &e), 0);
    CHECK_INT(fs_read_file(keep, &text, &len, &e), 0);
    CHECK_STR(text, "{\n\t\"auths\": {},\n\t\"credHelpers\": {\n\t\t\"z.io\": \"zz\"\n\t}\n}");
    free(text);
    free(keep);
    free(other);
    free(primary);
    berr_free(e);
}

static void check_policy(const char *text, const char *transport, const char *scope,
                         const char *want)
{
    struct policy *p = NULL;
    struct berr *e = NULL;
    char got[512];

    put("policy.json", text);
    char *pp = path("policy.json");
    if (policy_load(pp, &p, &e) < 0)
        snprintf(got, sizeof(got), "load: %s", e->msg);
    else if (policy_allows(p, transport, scope, &e) < 0)
        snprintf(got, sizeof(got), "%s", e->msg);
    else
        snprintf(got, sizeof(got), "ok");
    CHECK(!strncmp(got, want, strlen(want)));
    if (strncmp(got, want, strlen(want)))
        printf("#   got: %s\n#   want: %s\n", got, want);
    free(pp);
    berr_free(e);
    policy_free(p);
}

static void t_policy(void)
{
    const char *open_ = "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}";
    const char *reject = "{\"default\":[{\"type\":\"reject\"}]}";
    const char *scoped = "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{"
        "\"r.io/ok\":[{\"type\":\"insecureAcceptAnything\"}],"
        "\"r.io/ok/no\":[{\"type\":\"reject\"}],"
        "\"*.wild.io\":[{\"type\":\"insecureAcceptAnything\"}],"
        "\"s.io/signed\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"/k\"}]},"
        "\"docker-archive\":{\"\":[{\"type\":\"insecureAcceptAnything\"}]}}}";

    check_policy(open_, "docker", "r.io/a:1", "ok");
    check_policy(reject, "docker", "r.io/a:1",
                 "Source image rejected: Running image docker://r.io/a:1 is rejected by policy.");
    check_policy(scoped, "docker", "r.io/ok/app:1", "ok");
    check_policy(scoped, "docker", "r.io/ok:1", "ok");
    check_policy(scoped, "docker", "r.io/ok/no:1", "Source image rejected");
    check_policy(scoped, "docker", "r.io/oknot:1", "Source image rejected");
    check_policy(scoped, "docker", "a.b.wild.io:5000/x:1", "ok");
    check_policy(scoped, "docker", "s.io/signed:1", "Source image rejected: the policy");
    check_policy(scoped, "docker", "s.io/signed:1", "");
    check_policy(scoped, "docker-archive", "/tmp/x.tar", "ok");
    check_policy(scoped, "oci-archive", "/tmp/x.tar", "Source image rejected");
    check_policy("{}", "docker", "x", "load: invalid policy");
    check_policy("{\"default\":[{\"type\":\"maybe\"}]}", "docker", "x",
                 "load: invalid policy in");
    check_policy("{\"default\":[]}", "docker", "x", "load: invalid policy in");
    check_policy("[", "docker", "x", "load: invalid policy in");
}

static void check_pick(const char *list, const char *os, const char *arch, const char *variant,
                       int want)
{
    json_t *j = json_loads(list, 0, NULL);
    struct platform p = { os, arch, variant };
    struct berr *e = NULL;

    platform_normalize(&p);
    int got = platform_pick(j, &p, &e);
    CHECK_INT(got, want);
    if (got != want && e)
        printf("#   %s\n", e->msg);
    if (want < 0)
        CHECK(e && strstr(e->msg, "no image found in"));
    berr_free(e);
    json_decref(j);
}

static void t_platform(void)
{
    const char *list = "{\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\","
        "\"manifests\":["
        "{\"digest\":\"a\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v6\"}},"
        "{\"digest\":\"b\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
        "{\"digest\":\"c\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
        "{\"digest\":\"d\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}},"
        "{\"digest\":\"e\",\"platform\":{\"os\":\"windows\",\"architecture\":\"amd64\"}}]}";
    const char *index = "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        "\"manifests\":[{\"digest\":\"x\",\"platform\":{\"os\":\"linux\",\"architecture\":\"s390x\"}},"
        "{\"digest\":\"y\"}]}";

    check_pick(list, "linux", "amd64", NULL, 1);
    check_pick(list, "linux", "x86_64", NULL, 1);
    check_pick(list, "windows", "amd64", NULL, 4);
    check_pick(list, "linux", "arm64", NULL, 2);
    check_pick(list, "linux", "aarch64", "", 2);
    check_pick(list, "linux", "arm", NULL, 3);          /* "" first, then v8, v7 */
    check_pick(list, "linux", "arm", "v7", 3);
    check_pick(list, "linux", "arm", "v6", 0);
    check_pick(list, "linux", "armhf", NULL, 3);
    check_pick(list, "linux", "ppc64le", NULL, -1);
    check_pick(index, "linux", "s390x", NULL, 0);
    check_pick(index, "linux", "amd64", NULL, 1);       /* the entry without platform */
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    char *home = path("home");
    setenv("HOME", home, 1);
    setenv("BERTH_CONFIG_ROOT", dir, 1);
    UNIT_RUN(t_challenge);
    UNIT_RUN(t_error_text);
    UNIT_RUN(t_base64);
    UNIT_RUN(t_regconf);
    UNIT_RUN(t_authfile);
    UNIT_RUN(t_policy);
    UNIT_RUN(t_platform);
    struct berr *e = NULL;
    fs_rm_rf(dir, &e);
    berr_free(e);
    free(home);
    return unit_done();
}
