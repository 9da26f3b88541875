/*
 * test/unit/test_ctrrec.c: a container's records as C types
 * (runtime/container.h): state.json's reader and writer, unknown keys
 * kept, mistyped fields refused with the container and the field named;
 * config.json's typed view, its defaults and ctr_config_set.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctr_view.h"
#include "runtime/records.h"
#include "../ctrrec_same.h"
#include "unit.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static json_t *J(const char *text)
{
    json_t *j = json_loads(text, 0, NULL);
    if (!j) {
        printf("# bad test JSON: %s\n", text);
        abort();
    }
    return j;
}

static void t_state_read_write(void)
{
    _cleanup_json_ json_t *rec = J(
        "{\"version\":1,\"state\":3,\"pid\":42,\"pidStart\":7,\"conmonPid\":41,"
        "\"conmonStart\":6,\"startedNs\":100,\"exitCode\":0,\"exited\":false,"
        "\"mounted\":true,\"mountPoint\":\"/m\",\"netNS\":\"/run/netns/x\","
        "\"networkStatus\":{\"a\":1},\"restartCount\":2,\"view\":{\"v\":1},"
        "\"healthStatus\":\"healthy\",\"execSessions\":{\"e1\":{}}}");
    _cleanup_json_ json_t *out = NULL;
    struct ctr_runstate s;
    struct berr *e = NULL;

    CHECK_INT(ctr_runstate_parse(rec, ID, &s, &e), 0);
    CHECK_INT(s.state, CS_RUNNING);
    CHECK_INT(s.pid, 42);
    CHECK_INT(s.pid_start, 7);
    CHECK_INT(s.conmon_pid, 41);
    CHECK_INT(s.conmon_start, 6);
    CHECK_INT(s.started_ns, 100);
    CHECK_INT(s.restart_count, 2);
    CHECK(s.mounted && !s.exited && !s.oom_killed && !s.shm_mounted);
    CHECK_STR(s.mount_point, "/m");
    CHECK_STR(s.net_ns, "/run/netns/x");
    CHECK_INT(js_int(s.network_status, "a", 0), 1);
    /* a change, and a member cleared: its key goes */
    s.state = CS_STOPPED;
    s.exit_code = -1;
    CHECK_INT(ctr_set_str(&s.net_ns, NULL), 0);
    json_decref(s.network_status);
    s.network_status = NULL;
    out = ctr_runstate_json(&s);
    CHECK(out != NULL);
    CHECK_INT(js_int(out, "state", 0), CS_STOPPED);
    CHECK_INT(js_int(out, "exitCode", 0), -1);
    CHECK_INT(js_int(out, "pid", 0), 42);
    CHECK(json_object_get(out, "netNS") == NULL);
    CHECK(json_object_get(out, "networkStatus") == NULL);
    CHECK_STR(js_str(out, "mountPoint", NULL), "/m");
    CHECK_INT(js_int(json_object_get(out, "view"), "v", 0), 1);
    /* a newer berth's fields survive this one's write */
    CHECK_STR(js_str(out, "healthStatus", NULL), "healthy");
    CHECK(json_is_object(json_object_get(json_object_get(out, "execSessions"), "e1")));
    CHECK_INT(js_int(out, "version", 0), 1);
    ctr_runstate_free(&s);
    CHECK(s.rec == NULL && s.mount_point == NULL);
}

static void t_state_defaults_and_nulls(void)
{
    _cleanup_json_ json_t *rec = J("{\"state\":1,\"mountPoint\":null,\"pid\":null}");
    _cleanup_json_ json_t *out = NULL;
    struct ctr_runstate s;
    struct berr *e = NULL;

    CHECK_INT(ctr_runstate_parse(rec, ID, &s, &e), 0);
    CHECK_INT(s.state, CS_CONFIGURED);
    CHECK_INT(s.pid, 0);
    CHECK(s.mount_point == NULL && s.net_ns == NULL && s.view == NULL);
    out = ctr_runstate_json(&s);
    /* every scalar is written; absent strings and objects are not, but
     * for mountPoint, "" as it always was */
    CHECK(json_is_integer(json_object_get(out, "restartCount")));
    CHECK(json_is_false(json_object_get(out, "stoppedByUser")));
    CHECK(json_object_get(out, "netNS") == NULL);
    CHECK_STR(js_str(out, "mountPoint", NULL), "");
    ctr_runstate_free(&s);
    json_decref(rec);
    rec = J("{\"mountPoint\":\"\"}");
    CHECK_INT(ctr_runstate_parse(rec, ID, &s, &e), 0);
    CHECK(s.mount_point == NULL);
    ctr_runstate_free(&s);
}

static void t_state_mistyped(void)
{
    static const struct { const char *rec, *want; } cases[] = {
        { "{\"pid\":\"42\"}", "field \"pid\" must be an integer, not a string" },
        { "{\"state\":1.5}", "field \"state\" must be an integer, not a real number" },
        { "{\"pidStart\":-1}", "field \"pidStart\" must be an integer >= 0, not an integer" },
        { "{\"pid\":4294967296}", "field \"pid\" must be an integer of int's range, not an integer" },
        { "{\"exited\":1}", "field \"exited\" must be a boolean, not an integer" },
        { "{\"mountPoint\":{}}", "field \"mountPoint\" must be a string, not an object" },
        { "{\"networkStatus\":[]}", "field \"networkStatus\" must be an object, not an array" },
        { "[]", "not a JSON object" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_json_ json_t *rec = J(cases[i].rec);
        _cleanup_free_ char *want = str_fmt("container " ID ": state.json: %s", cases[i].want);
        struct ctr_runstate s;
        struct berr *e = NULL;

        CHECK_INT(ctr_runstate_parse(rec, ID, &s, &e), -1);
        CHECK_STR(e ? e->msg : NULL, want);
        CHECK(e && e->kind == BK_CORRUPT);
        CHECK(s.rec == NULL && s.mount_point == NULL);
        berr_free(e);
    }
}

static void t_config_view(void)
{
    _cleanup_json_ json_t *rec = J(
        "{\"id\":\"" ID "\",\"name\":\"web\",\"namespace\":\"\",\"lockID\":3,"
        "\"createdNs\":5,\"image\":{\"id\":\"abc\",\"name\":\"localhost/busybox:latest\"},"
        "\"spec\":{\"namespaces\":{\"network\":\"none\",\"ipc\":\"host\"},\"stopSignal\":2,"
        "\"hostname\":\"h\",\"shmSize\":1024},\"labels\":{\"k\":\"v\"},\"logDriver\":\"json-file\","
        "\"restartPolicy\":\"always\",\"stopTimeout\":3,\"stdin\":true,\"terminal\":false,"
        "\"autoRemove\":true,\"portMappings\":[],\"runtime\":\"crun\"}");
    struct ctr_config c;
    struct berr *e = NULL;

    CHECK_INT(ctr_config_parse(rec, ID, &c, &e), 0);
    CHECK_STR(c.name, "web");
    CHECK_INT(c.lock_id, 3);
    CHECK_INT(c.created_ns, 5);
    CHECK_STR(c.image_id, "abc");
    CHECK_STR(c.image_name, "localhost/busybox:latest");
    CHECK_STR(c.ns_mode[SPEC_NS_NET], "none");
    CHECK_STR(c.ns_mode[SPEC_NS_IPC], "host");
    CHECK_STR(c.ns_mode[SPEC_NS_PID], "private");
    CHECK_INT(c.stop_signal, 2);
    CHECK_STR(c.hostname, "h");
    CHECK_INT(c.shm_size, 1024);
    CHECK_STR(js_str(c.labels, "k", NULL), "v");
    CHECK_STR(c.log_driver, "json-file");
    CHECK_STR(c.restart_policy, "always");
    CHECK_INT(c.stop_timeout, 3);
    CHECK(c.stdin_open && !c.terminal && c.auto_remove);
    CHECK(json_is_array(c.port_mappings));
    CHECK_STR(c.runtime, "crun");
    CHECK(c.rootfs == NULL && c.networks == NULL && c.log_path == NULL);
    ctr_config_free(&c);
}

static void t_config_defaults(void)
{
    _cleanup_json_ json_t *rec = J("{\"spec\":{\"namespaces\":{\"network\":\"\"}}}");
    struct ctr_config c;
    struct berr *e = NULL;

    CHECK_INT(ctr_config_parse(rec, ID, &c, &e), 0);
    CHECK(c.name == NULL && c.image_id == NULL && c.image_name == NULL);
    CHECK_STR(c.ns, "");
    CHECK_INT(c.lock_id, -1);
    CHECK_STR(c.log_driver, "k8s-file");
    CHECK_INT(c.log_size_max, -1);
    CHECK_STR(c.restart_policy, "no");
    CHECK_INT(c.stop_timeout, 10);
    CHECK_INT(c.stop_signal, SIGTERM);
    CHECK_STR(c.runtime, "");
    CHECK_STR(c.ns_mode[SPEC_NS_NET], "bridge");     /* "" is the default too */
    CHECK_STR(c.ns_mode[SPEC_NS_UTS], "private");
    ctr_config_free(&c);
}

static void t_config_mistyped(void)
{
    static const struct { const char *rec, *want; } cases[] = {
        { "{\"labels\":[]}", "config.json: field \"labels\" must be an object, not an array" },
        { "{\"lockID\":\"3\"}", "config.json: field \"lockID\" must be an integer, not a string" },
        { "{\"image\":\"busybox\"}", "config.json: field \"image\" must be an object, not a string" },
        { "{\"image\":{\"id\":1}}", "config.json: image: field \"id\" must be a string, not an integer" },
        { "{\"spec\":{\"namespaces\":{\"network\":1}}}",
          "config.json: spec.namespaces: field \"network\" must be a string, not an integer" },
        { "{\"spec\":{\"stopSignal\":\"TERM\"}}",
          "config.json: spec: field \"stopSignal\" must be an integer, not a string" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_json_ json_t *rec = J(cases[i].rec);
        _cleanup_free_ char *want = str_fmt("container " ID ": %s", cases[i].want);
        struct ctr_config c;
        struct berr *e = NULL;

        CHECK_INT(ctr_config_parse(rec, ID, &c, &e), -1);
        CHECK_STR(e ? e->msg : NULL, want);
        CHECK(c.rec == NULL);
        berr_free(e);
    }
}

static void t_config_set(void)
{
    struct ctr c = { .id = ID };
    struct berr *e = NULL;
    json_t *rec = J("{\"name\":\"old\",\"lockID\":1}");

    CHECK_INT(ctr_config_parse(rec, ID, &c.cfg, &e), 0);
    json_decref(rec);
    CHECK_INT(ctr_config_set(&c, "name", json_string("new"), &e), 0);
    CHECK_STR(ctr_name(&c), "new");
    CHECK_STR(js_str(c.cfg.rec, "name", NULL), "new");
    /* a value of the wrong type is refused; record and view stay */
    CHECK_INT(ctr_config_set(&c, "name", json_integer(5), &e), -1);
    CHECK(e && strstr(e->msg, "field \"name\" must be a string"));
    berr_freep(&e);
    CHECK_STR(ctr_name(&c), "new");
    CHECK_STR(js_str(c.cfg.rec, "name", NULL), "new");
    CHECK_INT(ctr_config_set(&c, "labels", json_array(), &e), -1);
    berr_freep(&e);
    CHECK(json_object_get(c.cfg.rec, "labels") == NULL);
    CHECK_INT(ctr_config_set(&c, "labels", json_pack("{s:s}", "a", "b"), &e), 0);
    CHECK_STR(js_str(c.cfg.labels, "a", NULL), "b");
    ctr_config_free(&c.cfg);
}


/* Every field, written and read back from a record with sorted keys as
 * js_write_atomic writes them: the reader's merge walk finds each field
 * only when its table is sorted, so this also checks that. */
static void t_state_every_field(void)
{
    struct ctr_runstate a = {
        .state = CS_PAUSED, .pid = 11, .pid_start = 12, .conmon_pid = 13, .conmon_start = 14,
        .started_ns = 15, .finished_ns = 16, .exit_code = 17, .exited = true,
        .oom_killed = true, .mounted = true, .shm_mounted = true, .stopped_by_user = true,
        .restart_policy_match = true, .restart_count = 18, .intent_pid = 19,
        .intent_start = 20, .health_pid = 21, .health_start = 22, .health_restart = true,
    }, b;
    _cleanup_json_ json_t *j = NULL, *back = NULL;
    _cleanup_free_ char *text = NULL;
    struct berr *e = NULL;

    CHECK_INT(ctr_set_str(&a.mount_point, "/mp"), 0);
    CHECK_INT(ctr_set_str(&a.net_ns, "/ns"), 0);
    CHECK_INT(ctr_set_str(&a.intent, "stop"), 0);
    a.network_status = json_pack("{s:i}", "s", 1);
    a.view = json_pack("{s:i}", "v", 1);
    a.health = json_pack("{s:s}", "Status", "healthy");
    j = ctr_runstate_json(&a);
    text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    back = text ? json_loads(text, 0, NULL) : NULL;
    CHECK_INT(ctr_runstate_parse(back, ID, &b, &e), 0);
    CHECK_INT(b.state, CS_PAUSED);
    CHECK_INT(b.pid, 11);
    CHECK_INT(b.pid_start, 12);
    CHECK_INT(b.conmon_pid, 13);
    CHECK_INT(b.conmon_start, 14);
    CHECK_INT(b.started_ns, 15);
    CHECK_INT(b.finished_ns, 16);
    CHECK_INT(b.exit_code, 17);
    CHECK(b.exited && b.oom_killed && b.mounted && b.shm_mounted && b.stopped_by_user &&
          b.restart_policy_match);
    CHECK_INT(b.restart_count, 18);
    CHECK_STR(b.mount_point, "/mp");
    CHECK_STR(b.net_ns, "/ns");
    CHECK_STR(b.intent, "stop");
    CHECK_INT(b.intent_pid, 19);
    CHECK_INT(b.intent_start, 20);
    CHECK(json_equal(b.network_status, a.network_status));
    CHECK(json_equal(b.view, a.view));
    CHECK_INT(b.health_pid, 21);
    CHECK_INT(b.health_start, 22);
    CHECK(b.health_restart && json_equal(b.health, a.health));
    /* every key of the record is one of the table's */
    CHECK_INT(json_object_size(j), 27);
    ctr_runstate_free(&a);
    ctr_runstate_free(&b);
}

static void t_config_every_field(void)
{
    _cleanup_json_ json_t *rec = J(
        "{\"addHosts\":[\"h:1.2.3.4\"],\"autoRemove\":true,\"cgroupParent\":\"cg\","
        "\"cidFile\":\"/cid\",\"command\":[\"c\"],\"createCommand\":[\"cc\"],"
        "\"createdNs\":1,\"dns\":{},\"id\":\"i\",\"image\":{\"id\":\"ii\",\"name\":\"in\"},"
        "\"labels\":{},\"lockID\":2,\"logDriver\":\"ld\",\"logPath\":\"lp\","
        "\"logSizeMax\":3,\"logTag\":\"lt\",\"name\":\"n\",\"namespace\":\"ns\","
        "\"networks\":{},\"portMappings\":[],\"restartPolicy\":\"rp\",\"restartRetries\":4,"
        "\"rootfs\":\"/r\",\"runtime\":\"rt\",\"spec\":{\"hostname\":\"hn\","
        "\"namespaces\":{\"ipc\":\"a\",\"network\":\"b\",\"pid\":\"c\",\"uts\":\"d\"},"
        "\"shmSize\":5,\"stopSignal\":6},\"stdin\":true,\"stopTimeout\":7,"
        "\"terminal\":true,\"timeout\":8,\"version\":1}");
    struct ctr_config c;
    struct berr *e = NULL;

    CHECK_INT(ctr_config_parse(rec, ID, &c, &e), 0);
    CHECK(json_is_array(c.add_hosts) && c.auto_remove && c.stdin_open && c.terminal);
    CHECK_STR(c.cgroup_parent, "cg");
    CHECK_STR(c.cid_file, "/cid");
    CHECK(json_is_array(c.command) && json_is_array(c.create_command));
    CHECK_INT(c.created_ns, 1);
    CHECK(json_is_object(c.dns) && json_is_object(c.labels) && json_is_object(c.networks));
    CHECK(json_is_array(c.port_mappings) && json_is_object(c.spec));
    CHECK_STR(c.id, "i");
    CHECK_STR(c.image_id, "ii");
    CHECK_STR(c.image_name, "in");
    CHECK_INT(c.lock_id, 2);
    CHECK_STR(c.log_driver, "ld");
    CHECK_STR(c.log_path, "lp");
    CHECK_INT(c.log_size_max, 3);
    CHECK_STR(c.log_tag, "lt");
    CHECK_STR(c.name, "n");
    CHECK_STR(c.ns, "ns");
    CHECK_STR(c.restart_policy, "rp");
    CHECK_INT(c.restart_retries, 4);
    CHECK_STR(c.rootfs, "/r");
    CHECK_STR(c.runtime, "rt");
    CHECK_STR(c.hostname, "hn");
    CHECK_STR(c.ns_mode[SPEC_NS_IPC], "a");
    CHECK_STR(c.ns_mode[SPEC_NS_NET], "b");
    CHECK_STR(c.ns_mode[SPEC_NS_PID], "c");
    CHECK_STR(c.ns_mode[SPEC_NS_UTS], "d");
    CHECK_INT(c.shm_size, 5);
    CHECK_INT(c.stop_signal, 6);
    CHECK_INT(c.stop_timeout, 7);
    CHECK_INT(c.timeout, 8);
    ctr_config_free(&c);
}

/* Keys out of order (a record edited by hand) are all found too. */
static void t_unsorted_record(void)
{
    _cleanup_json_ json_t *rec = J("{\"view\":{},\"state\":3,\"pid\":5,\"exited\":true,"
                                   "\"conmonPid\":4,\"zz\":1,\"aa\":2}");
    struct ctr_runstate s;
    struct berr *e = NULL;

    CHECK_INT(ctr_runstate_parse(rec, ID, &s, &e), 0);
    CHECK_INT(s.state, CS_RUNNING);
    CHECK_INT(s.pid, 5);
    CHECK_INT(s.conmon_pid, 4);
    CHECK(s.exited && s.view);
    ctr_runstate_free(&s);
}

/* The lenient readers: a mistyped field reads as its default, the first
 * problem is kept, and the rest of the record is read. */
static void t_salvage(void)
{
    _cleanup_json_ json_t *cfg = J(
        "{\"id\":\"" ID "\",\"image\":\"not an object\",\"lockID\":7,\"name\":5,"
        "\"spec\":{\"namespaces\":[],\"stopSignal\":\"TERM\"},\"stopTimeout\":\"x\"}");
    _cleanup_json_ json_t *st = J("{\"exitCode\":3,\"pid\":\"x\",\"state\":\"running\"}");
    _cleanup_json_ json_t *arr = J("[1]");
    struct ctr_config c;
    struct ctr_runstate r;
    struct berr *e = NULL;
    char *problem = NULL;

    CHECK_INT(ctr_config_parse(cfg, ID, &c, &e), -1);
    CHECK(e && e->kind == BK_CORRUPT);
    berr_freep(&e);
    CHECK_INT(ctr_config_parse_salvage(cfg, ID, &c, &problem, &e), 0);
    CHECK_STR(problem, "container " ID ": config.json: field \"name\" must be a string, not an integer");
    CHECK_INT(c.lock_id, 7);
    CHECK(c.name == NULL && c.image_id == NULL);
    CHECK_INT(c.stop_timeout, 10);
    CHECK_INT(c.stop_signal, SIGTERM);
    CHECK_STR(c.ns_mode[SPEC_NS_NET], "bridge");
    ctr_config_free(&c);
    free(problem);
    problem = NULL;

    CHECK_INT(ctr_runstate_parse_salvage(st, ID, &r, &problem, &e), 0);
    CHECK_STR(problem, "container " ID ": state.json: field \"pid\" must be an integer, not a string");
    CHECK_INT(r.state, CS_UNKNOWN);
    CHECK_INT(r.pid, 0);
    CHECK_INT(r.exit_code, 3);
    ctr_runstate_free(&r);
    /* a problem already noted is kept */
    CHECK_INT(ctr_config_parse_salvage(cfg, ID, &c, &problem, &e), 0);
    CHECK(str_has_prefix(problem, "container " ID ": state.json"));
    ctr_config_free(&c);
    free(problem);
    problem = NULL;

    /* not an object: nothing to salvage from */
    CHECK_INT(ctr_runstate_parse_salvage(arr, ID, &r, &problem, &e), -1);
    CHECK(e && e->kind == BK_CORRUPT && problem == NULL);
    berr_freep(&e);
}

/* ps's reader of the text: a record it takes reads as ctr_runstate_parse
 * reads it; anything else (-1) it leaves to that reader. */
static void t_state_scan(void)
{
    static const struct { const char *text; int want; } cases[] = {
        { "{}", 0 },
        { "{\"conmonPid\":3,\"conmonStart\":4,\"exitCode\":-1,\"exited\":true,"
          "\"finishedNs\":9,\"intent\":\"start\",\"intentPid\":5,\"mountPoint\":\"\","
          "\"mounted\":false,\"networkStatus\":{\"a\":[1,{\"b\":null}]},\"pid\":0,"
          "\"state\":4,\"version\":1,\"view\":{\"name\":\"x\",\"v\":3},"
          "\"volumesMounted\":[\"v\"]}", 0 },
        { "{\"view\":{\"v\":3},\"state\":2,\"pid\":7,\"version\":1}", 0 },   /* unsorted */
        { " {\n  \"pid\" : 7 ,\n  \"mountPoint\": \"/a\\\"b\\u00e9\"\n}\n", 0 },
        { "{\"pid\":null,\"view\":null,\"intent\":null}", 0 },
        { "{\"healthStatus\":\"healthy\"}", -1 },              /* not the table's */
        { "{\"pid\":\"12\"}", -1 },
        { "{\"pid\":1.5}", -1 },
        { "{\"pid\":3000000000}", -1 },
        { "{\"pidStart\":-1}", -1 },
        { "{\"exited\":1}", -1 },
        { "{\"intent\":true}", -1 },
        { "{\"view\":[]}", -1 },
        { "{\"imagesMounted\":{}}", -1 },
        { "{\"startedNs\":99999999999999999999}", -1 },
        { "{\"pid\":1,\"pid\":1}", -1 },
        { "{\"view\":{\"a\":1,\"a\":2}}", -1 },
        { "{\"version\":2}", -1 },
        { "{\"version\":\"1\"}", -1 },
        { "{\"version\":null}", -1 },
        { "{\"intent\":\"\xc3\xa9\"}", -1 },                   /* not ASCII */
        { "{\"p\\u0069d\":1}", -1 },                          /* an escaped key */
        { "{broken", -1 },
        { "[]", -1 },
        { "", -1 },
        { "{}x", -1 },
        { "{\"pid\":1,}", -1 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct ctr_runstate a, b;
        struct berr *e = NULL;
        int got = ctr_runstate_scan(cases[i].text, strlen(cases[i].text), &a, NULL);

        if (got != cases[i].want)
            printf("# case %zu: %s\n", i, cases[i].text);
        CHECK_INT(got, cases[i].want);
        if (got < 0) {
            CHECK(a.view == NULL && a.intent == NULL && a.pid == 0 && a.rec == NULL);
            continue;
        }
        {
            _cleanup_json_ json_t *rec = J(cases[i].text);
            _cleanup_json_ json_t *ja = NULL, *jb = NULL;
            CHECK_INT(ctr_runstate_parse(rec, ID, &b, &e), 0);
            ja = ctr_runstate_json(&a);
            jb = ctr_runstate_json(&b);
            json_object_del(jb, "version");
            CHECK(ja && jb && json_equal(ja, jb));
            ctr_runstate_free(&b);
        }
        ctr_runstate_free(&a);
    }
}

/* Each single-byte edit (to a byte of subst), deletion and truncation of
 * record through scan_vs_parse (with the view or not): how many were
 * read differently (the first few printed); *taken how many the scan did
 * not decline. */
static int mutations(const char *record, bool view, int *taken)
{
    static const char subst[] = "{}[]\":,\\ 0-9.eE+tfnu\x01\xc3";
    size_t len = strlen(record);
    _cleanup_free_ char *buf = malloc(len + 1);
    int bad = 0;

    *taken = 0;
    for (size_t i = 0; buf && i <= len; i++) {
        for (size_t k = 0; k < sizeof(subst) + 1; k++) {
            size_t n = len;
            int r;

            memcpy(buf, record, len);
            if (k == sizeof(subst) - 1) {
                n = i;                                  /* truncation */
            } else if (k == sizeof(subst)) {
                if (i == len)
                    continue;
                memmove(buf + i, buf + i + 1, len - i - 1); /* deletion */
                n = len - 1;
            } else if (i < len) {
                buf[i] = subst[k];
            } else {
                continue;
            }
            r = scan_vs_parse(buf, n, view);
            *taken += r >= 0;
            if (r > 0 && bad++ < 5)
                printf("# differ: %.*s\n", (int) n, buf);
        }
    }
    CHECK(buf != NULL);
    return bad;
}

/* Every mutation of a real state record: what the scan takes,
 * ctr_runstate_parse reads alike. */
static void t_state_scan_mutations(void)
{
    static const char record[] =
        "{\"conmonPid\":21993,\"conmonStart\":35145,\"exitCode\":0,\"exited\":false,"
        "\"finishedNs\":0,\"intent\":\"create\",\"mountPoint\":\"\",\"pid\":0,"
        "\"pidStart\":0,\"state\":1,\"version\":1,\"view\":{\"autoRemove\":false,"
        "\"command\":[\"true\"],\"createdNs\":1796607194620040951,\"image\":{\"id\":"
        "\"0341d88d4d118064cc77791ed8bf9316d48d5de88910a345e3ff12f56a943754\",\"name\":"
        "\"localhost/busybox:latest\"},\"labels\":{},\"name\":\"devoted_thompson\"}}";
    int taken;

    CHECK_INT(mutations(record, false, &taken), 0);
    CHECK(taken > 100);
}

#define VIEW_REC(view) "{\"pid\":0,\"state\":1,\"version\":1,\"view\":" view "}"

/* ps reads the view straight from the text too: as ctr_config_parse reads
 * it, or not at all (-1). */
static void t_view_scan(void)
{
    static const struct { const char *text; int want; } cases[] = {
        { VIEW_REC("{\"autoRemove\":true,\"command\":[\"sh\",\"-c\",\"x\\ty\"],"
                   "\"createdNs\":17,\"image\":{\"id\":\"abc\",\"name\":\"localhost/b:1\"},"
                   "\"labels\":{\"a\":\"b\"},\"name\":\"web\",\"namespace\":\"\","
                   "\"networks\":{\"n1\":{}},\"portMappings\":[{\"host_port\":8080}],"
                   "\"restartPolicy\":\"always\",\"spec\":{\"command\":[\"x\"],"
                   "\"namespaces\":{\"network\":\"none\"},\"healthcheck\":{\"test\":[]}},"
                   "\"v\":3}"), 0 },
        { VIEW_REC("{\"v\":3,\"name\":\"unsorted\",\"image\":null,\"spec\":{}}"), 0 },
        { VIEW_REC("{}"), 0 },
        { VIEW_REC("null"), 0 },
        { "{\"state\":1}", 0 },                                  /* no view */
        { VIEW_REC("{\"v\":2,\"name\":\"old\"}"), 0 },              /* another version */
        { VIEW_REC("{\"v\":3,\"spec\":{\"hostname\":\"h\",\"stopSignal\":9}}"), 0 },
        { VIEW_REC("{\"pod\":\"p\",\"v\":3}"), -1 },                /* read whole */
        { VIEW_REC("{\"isInfra\":true,\"v\":3}"), -1 },
        { VIEW_REC("{\"other\":1,\"v\":3}"), -1 },
        { VIEW_REC("{\"name\":7,\"v\":3}"), -1 },
        { VIEW_REC("{\"image\":[],\"v\":3}"), -1 },
        { VIEW_REC("{\"image\":{\"id\":1},\"v\":3}"), -1 },
        { VIEW_REC("{\"image\":{\"tag\":\"x\"},\"v\":3}"), -1 },
        { VIEW_REC("{\"spec\":{\"namespaces\":[]},\"v\":3}"), -1 },
        { VIEW_REC("{\"spec\":{\"stopSignal\":\"KILL\"},\"v\":3}"), -1 },
        { VIEW_REC("{\"name\":\"a\",\"name\":\"b\"}"), -1 },
        { VIEW_REC("{\"image\":{\"id\":\"a\",\"id\":\"b\"}}"), -1 },
        { VIEW_REC("{\"labels\":{\"a\":1,\"a\":2}}"), -1 },
        { VIEW_REC("[]"), -1 },
        { VIEW_REC("{\"v\":3"), -1 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int got = scan_vs_parse(cases[i].text, strlen(cases[i].text), true);
        if (got != cases[i].want)
            printf("# case %zu: %s\n", i, cases[i].text);
        CHECK_INT(got, cases[i].want);
    }
}

/* A value of a field of kind k. */
static json_t *value_of_kind(enum rec_fkind k)
{
    switch (k) {
    case FK_BOOL: return json_true();
    case FK_INT:
    case FK_LL:
    case FK_ULL: return json_integer(7);
    case FK_STR:
    case FK_STR0: return json_string("s");
    case FK_OBJ: return json_pack("{s:{}}", "k");
    case FK_ARR: return json_pack("[s]", "a");
    }
    return NULL;
}

/* A config with every field of its table (but the view's own "v"), an
 * image and a spec with all that the view keeps of it; in no pod (a view
 * with "pod" or "isInfra" is read whole, by design: t_view_scan). */
static json_t *full_config(void)
{
    size_t n;
    const struct rec_field *fs = ctr_config_fields(false, &n);
    json_t *cfg = J("{\"version\":1,\"image\":{\"id\":\"ii\",\"name\":\"in\"}}");

    for (size_t i = 0; i < n; i++)
        if (strcmp(fs[i].key, "v") != 0)
            json_object_set_new(cfg, fs[i].key, value_of_kind(fs[i].kind));
    json_object_set_new(cfg, "spec", J(
        "{\"entrypoint\":[\"e\"],\"command\":[\"c\"],\"healthcheck\":{\"test\":[\"x\"]},"
        "\"hostname\":\"h\",\"shmSize\":5,\"stopSignal\":9,"
        "\"namespaces\":{\"network\":\"none\",\"pid\":\"host\"},"
        "\"mounts\":[{\"type\":\"bind\",\"source\":\"/s\",\"destination\":\"/d\"},"
        "{\"type\":\"volume\",\"name\":\"vol\",\"destination\":\"/v\"}]}"));
    return cfg;
}

/* The view's keys (ctr_view_record) and the scan's table of them in
 * step: a key added to the view only would send every record to the slow
 * reader, and nothing would say so. */
static void t_view_fields_in_step(void)
{
    size_t nc, nv;
    const struct rec_field *cf = ctr_config_fields(false, &nc);
    const struct rec_field *vf = ctr_config_fields(true, &nv);
    _cleanup_json_ json_t *cfg = full_config(), *view = NULL, *st = NULL;
    _cleanup_free_ char *text = NULL;
    const char *k;
    json_t *v;

    /* each entry of the view's table is the config's for that key; both
     * sorted, as the scan's merge needs */
    for (size_t i = 0; i < nv; i++) {
        const struct rec_field *c = rec_field_find(cf, nc, vf[i].key);
        if (!c || c->kind != vf[i].kind || c->off != vf[i].off)
            printf("# view field \"%s\" is not the config's\n", vf[i].key);
        CHECK(c && c->kind == vf[i].kind && c->off == vf[i].off);
        CHECK(i == 0 || strcmp(vf[i - 1].key, vf[i].key) < 0);
    }
    for (size_t i = 1; i < nc; i++)
        CHECK(strcmp(cf[i - 1].key, cf[i].key) < 0);
    /* every key of a full config's view is the table's ("image" is a hook) */
    view = ctr_view_record(cfg);
    CHECK(view != NULL);
    json_object_foreach(view, k, v) {
        bool known = strcmp(k, "image") == 0 || rec_field_find(vf, nv, k);
        if (!known)
            printf("# view key \"%s\" is not in view_fields\n", k);
        CHECK(known);
    }
    /* and the scan takes it, reading it as ctr_config_parse does */
    st = json_pack("{s:i, s:i, s:O}", "state", 1, "version", 1, "view", view);
    text = js_dumps_sorted(st, 0);
    CHECK(text != NULL);
    CHECK_INT(text ? scan_vs_parse(text, strlen(text), true) : -2, 0);
}

/* Every mutation of a real state record with its view: what the scan
 * takes, the other readers read alike. */
static void t_view_scan_mutations(void)
{
    static const char record[] = VIEW_REC(
        "{\"autoRemove\":false,\"command\":[\"true\"],\"createdNs\":1796607194620040951,"
        "\"image\":{\"id\":\"0341d88d4d11\",\"name\":\"localhost/busybox:latest\"},"
        "\"labels\":{},\"name\":\"devoted_thompson\",\"namespace\":\"\",\"networks\":{},"
        "\"portMappings\":[],\"restartPolicy\":\"no\",\"spec\":{\"command\":[\"true\"],"
        "\"namespaces\":{\"network\":\"none\"}},\"v\":3}");
    int taken;

    CHECK_INT(mutations(record, true, &taken), 0);
    CHECK(taken > 100);
}

int main(void)
{
    UNIT_RUN(t_view_scan);
    UNIT_RUN(t_view_fields_in_step);
    UNIT_RUN(t_view_scan_mutations);
    UNIT_RUN(t_state_scan_mutations);
    UNIT_RUN(t_state_scan);
    UNIT_RUN(t_state_every_field);
    UNIT_RUN(t_config_every_field);
    UNIT_RUN(t_unsorted_record);
    UNIT_RUN(t_state_read_write);
    UNIT_RUN(t_state_defaults_and_nulls);
    UNIT_RUN(t_state_mistyped);
    UNIT_RUN(t_config_view);
    UNIT_RUN(t_config_defaults);
    UNIT_RUN(t_config_mistyped);
    UNIT_RUN(t_config_set);
    UNIT_RUN(t_salvage);
    return unit_done();
}
