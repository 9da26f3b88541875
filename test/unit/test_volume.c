/*
 * test/unit/test_volume.c: a volume's records as C types (config and
 * state: defaults, unknown keys kept, mistyped fields refused with the
 * volume named), needsMount, the inspect document, and the ls/prune
 * filters: parsing (bad input refused) and matching.
 */
#include <stdlib.h>

#include "runtime/volume.h"
#include "unit.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

static json_t *J(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    if (!j) {
        printf("# bad test JSON: %s\n", text);
        abort();
    }
    return j;
}

static void t_config_read_write(void)
{
    _cleanup_json_ json_t *rec = J(
        "{\"version\":1,\"name\":\"v\",\"volumeDriver\":\"local\",\"mountPoint\":\"/vp/v/_data\","
        "\"createdNs\":5,\"labels\":{\"a\":\"b\"},\"volumeOptions\":{\"type\":\"tmpfs\"},"
        "\"isAnon\":true,\"uid\":7,\"gid\":8,\"futureKey\":[1,2]}");
    _cleanup_json_ json_t *out = NULL;
    struct vol_config c;
    struct berr *e = NULL;

    CHECK_INT(vol_config_parse(rec, "v", &c, &e), 0);
    CHECK_STR(c.name, "v");
    CHECK_STR(c.driver, "local");
    CHECK_STR(c.mount_point, "/vp/v/_data");
    CHECK_INT(c.created_ns, 5);
    CHECK(c.anonymous);
    CHECK_INT(c.uid, 7);
    CHECK_INT(c.gid, 8);
    CHECK_STR(js_str(c.labels, "a", NULL), "b");
    CHECK_STR(js_str(c.options, "type", NULL), "tmpfs");
    out = vol_config_json(&c);
    CHECK(out && json_equal(out, rec));     /* every key back, the unknown one too */
    vol_config_free(&c);
}

static void t_config_defaults(void)
{
    _cleanup_json_ json_t *rec = J("{}");
    struct vol_config c;
    struct berr *e = NULL;

    CHECK_INT(vol_config_parse(rec, "w", &c, &e), 0);
    CHECK_STR(c.name, "w");
    CHECK_STR(c.driver, VOL_DRIVER_LOCAL);
    CHECK(json_is_object(c.labels) && json_object_size(c.labels) == 0);
    CHECK(json_is_object(c.options));
    CHECK(!vol_needs_mount(&c));
    vol_config_free(&c);
}

static void t_mistyped(void)
{
    static const struct { const char *rec, *msg; } cases[] = {
        { "{\"labels\":[]}", "volume v: config.json: field \"labels\" must be an object, not an array" },
        { "{\"isAnon\":1}", "volume v: config.json: field \"isAnon\" must be a boolean, not an integer" },
        { "{\"uid\":\"0\"}", "volume v: config.json: field \"uid\" must be an integer, not a string" },
        { "[]", "volume v: config.json: not a JSON object" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_json_ json_t *rec = J(cases[i].rec);
        struct vol_config c;
        struct berr *e = NULL;
        CHECK_INT(vol_config_parse(rec, "v", &c, &e), -1);
        CHECK(e && e->kind == BK_CORRUPT);
        CHECK_STR(e ? e->msg : NULL, cases[i].msg);
        berr_free(e);
    }
    {
        _cleanup_json_ json_t *rec = J("{\"mountCount\":\"2\"}");
        struct vol_state s;
        struct berr *e = NULL;
        CHECK_INT(vol_state_parse(rec, "v", &s, &e), -1);
        CHECK_STR(e ? e->msg : NULL,
                  "volume v: state.json: field \"mountCount\" must be an integer, not a string");
        berr_free(e);
    }
}

static void t_state_read_write(void)
{
    _cleanup_json_ json_t *rec = J("{\"mountCount\":2,\"mountPoint\":\"\",\"notYetMounted\":true,"
                                   "\"notYetChowned\":false,\"uidChowned\":3,\"gidChowned\":4,"
                                   "\"later\":\"x\"}");
    _cleanup_json_ json_t *out = NULL;
    struct vol_state s;
    struct berr *e = NULL;

    CHECK_INT(vol_state_parse(rec, "v", &s, &e), 0);
    CHECK_INT(s.mount_count, 2);
    CHECK(s.mount_point == NULL);
    CHECK(s.needs_copy_up && !s.needs_chown);
    s.mount_count = 0;
    s.needs_copy_up = false;
    out = vol_state_json(&s);
    CHECK_INT(js_int(out, "mountCount", -1), 0);
    CHECK(!js_bool(out, "notYetMounted", true));
    CHECK_STR(js_str(out, "mountPoint", NULL), "");
    CHECK_STR(js_str(out, "later", NULL), "x");
    CHECK_INT(js_int(out, "uidChowned", 0), 3);
    vol_state_free(&s);
}

static void t_needs_mount(void)
{
    static const struct { const char *opts; bool want; } cases[] = {
        { "{}", false },
        { "{\"nocopy\":\"\"}", false },
        { "{\"UID\":\"1\",\"o\":\"uid=1\"}", false },
        { "{\"UID\":\"1\",\"GID\":\"2\",\"o\":\"uid=1,gid=2\"}", false },
        { "{\"type\":\"tmpfs\",\"device\":\"tmpfs\"}", true },
        { "{\"type\":\"tmpfs\",\"device\":\"tmpfs\",\"o\":\"size=1m\",\"SIZE\":\"1m\"}", true },
        { "{\"device\":\"/dev/sdz\"}", true },
        { "{\"o\":\"nodev\"}", true },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vol_config c = { .driver = VOL_DRIVER_LOCAL, .options = J(cases[i].opts) };
        if (vol_needs_mount(&c) != cases[i].want)
            printf("#   case %zu: %s\n", i, cases[i].opts);
        CHECK(vol_needs_mount(&c) == cases[i].want);
        json_decref(c.options);
    }
}

static void t_inspect_json(void)
{
    struct vol_config c = { .name = "v", .driver = VOL_DRIVER_LOCAL, .mount_point = "/m",
                            .created_ns = 1000000000LL, .labels = J("{}"),
                            .options = J("{}"), .anonymous = true, .uid = 5 };
    struct vol_state s = { .mount_count = 1, .needs_chown = true };
    _cleanup_json_ json_t *j = vol_inspect_json(NULL, &c, &s, false);
    _cleanup_json_ json_t *g = vol_inspect_json(NULL, &c, &s, true);
    const char *k;
    json_t *v;
    _cleanup_strv_ strv keys = NULL;

    CHECK(j && g);
    json_object_foreach(j, k, v)
        strv_push(&keys, k);
    _cleanup_free_ char *all = strv_join(keys, " ");
    CHECK_STR(all, "Name Driver Mountpoint CreatedAt Labels Scope Options UID Anonymous "
                   "MountCount NeedsChown");
    CHECK_STR(js_str(j, "Mountpoint", NULL), "/m");
    /* templates see every field of podman's struct, zero or not */
    CHECK(json_object_get(g, "GID") && json_object_get(g, "NeedsCopyUp") &&
          json_object_get(g, "Status") && json_object_get(g, "Timeout"));
    CHECK(str_has_suffix(js_str(g, "CreatedAt", ""), " UTC") ||
          strchr(js_str(g, "CreatedAt", ""), ' '));
    json_decref(c.labels);
    json_decref(c.options);
}

static void t_filter_parse_errors(void)
{
    static const struct { const char *f, *msg; } cases[] = {
        { "bogus=1", "\"bogus\" is an invalid volume filter" },
        { "name", "filter input must be in the form of filter=value: name is invalid" },
        { "dangling=maybe",
          "\"maybe\" is not a valid value for the \"dangling\" filter - must be true or false" },
        { "until=soon", "failed to parse value as time or duration: \"soon\"" },
        { "name=(", NULL },     /* a bad regex: refused, whatever the words */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *fs[] = { (char *) cases[i].f, NULL };
        struct vol_filter *f = NULL;
        struct berr *e = NULL;
        CHECK_INT(vol_filter_parse(fs, &f, &e), -1);
        CHECK(f == NULL && e);
        if (cases[i].msg)
            CHECK_STR(e ? e->msg : NULL, cases[i].msg);
        berr_free(e);
    }
}

static bool matches(const char *const *filters, struct vol_info *vi, json_t *users)
{
    struct vol_filter *f = NULL;
    struct berr *e = NULL;
    bool m;

    if (vol_filter_parse((char *const *) filters, &f, &e) < 0) {
        printf("#   parse: %s\n", e->msg);
        berr_free(e);
        return false;
    }
    m = vol_filter_match(f, vi, users);
    vol_filter_free(f);
    return m;
}

static void t_filter_match(void)
{
    struct vol_info vi = { .name = "web-data" };
    _cleanup_json_ json_t *users = J("{\"web-data\":[\"abc\"]}");
    _cleanup_json_ json_t *none = J("{}");

    vi.cfg = (struct vol_config) { .name = "web-data", .driver = VOL_DRIVER_LOCAL,
                                   .created_ns = time_now_ns() - 7200LL * 1000000000LL,
                                   .labels = J("{\"env\":\"prod\",\"team\":\"a\"}"),
                                   .options = J("{\"type\":\"tmpfs\"}") };
#define M(...) matches((const char *const[]) { __VA_ARGS__, NULL }, &vi, users)
    CHECK(M("name=web"));
    CHECK(M("name=^web-d"));
    CHECK(!M("name=^data"));
    CHECK(M("name=nope", "name=data"));             /* one key: any value */
    CHECK(!M("name=web", "label=env=dev"));         /* two keys: both */
    CHECK(M("label=env", "label=team=a"));          /* labels: all */
    CHECK(!M("label=env", "label=other"));
    CHECK(M("label=te*"));
    CHECK(!M("label!=env"));
    CHECK(M("label!=other"));
    CHECK(M("driver=local"));
    CHECK(!M("driver=nfs"));
    CHECK(M("scope=local"));
    CHECK(M("opt=type=tmpfs"));
    CHECK(M("opt=type"));
    CHECK(!M("opt=type=bind"));
    CHECK(M("until=1h"));                           /* created 2h ago */
    CHECK(!M("until=3h"));
    CHECK(M("dangling=false"));
    CHECK(!M("dangling=true"));
    CHECK(!M("dangling=true", "dangling=false"));
    CHECK(matches((const char *const[]) { "dangling=1", NULL }, &vi, none));
#undef M
    json_decref(vi.cfg.labels);
    json_decref(vi.cfg.options);
}

int main(void)
{
    UNIT_RUN(t_config_read_write);
    UNIT_RUN(t_config_defaults);
    UNIT_RUN(t_mistyped);
    UNIT_RUN(t_state_read_write);
    UNIT_RUN(t_needs_mount);
    UNIT_RUN(t_inspect_json);
    UNIT_RUN(t_filter_parse_errors);
    UNIT_RUN(t_filter_match);
    return unit_done();
}
