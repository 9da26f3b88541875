/*
 * test/unit/test_ps.c: the ps item builder (runtime/ctr_ps*.c) over
 * synthetic container records in a temporary static and tmp dir: shapes,
 * liveness from exit files and /proc, filters, sorting, -n/-l, broken
 * records. No conmon, no image store.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/config.h"
#include "runtime/ctr_ps.h"
#include "runtime/ctrstate.h"
#include "runtime/runtime.h"
#include "state/state.h"
#include "unit.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/out.h"
#include "util/str.h"

static char dir[64];
static struct config cfg;
static struct runtime rt;
static char tmp_dir[128], static_dir[128];

#define NOW 2000000000.0        /* the "now" of every listing */
#define SEC 1000000000LL

static void setup(void)
{
    struct berr *e = NULL;

    snprintf(dir, sizeof(dir), "/tmp/berth-ut-ps-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(tmp_dir, sizeof(tmp_dir), "%s/tmp", dir);
    snprintf(static_dir, sizeof(static_dir), "%s/static", dir);
    mkdir(tmp_dir, 0700);
    snprintf(tmp_dir + strlen(tmp_dir), sizeof(tmp_dir) - strlen(tmp_dir), "%s", "");
    {
        _cleanup_free_ char *ex = str_fmt("%s/exits", tmp_dir);
        mkdir(ex, 0700);
    }
    memset(&cfg, 0, sizeof(cfg));
    cfg.tmp_dir = tmp_dir;
    cfg.static_dir = static_dir;
    cfg.namespace = "";
    cfg.default_network = "berth";
    memset(&rt, 0, sizeof(rt));
    rt.cfg = &cfg;
    if (state_open(static_dir, &rt.st, &e) < 0) {
        printf("# state_open: %s\n", e->msg);
        abort();
    }
}

static void teardown(void)
{
    struct berr *e = NULL;

    state_close(rt.st);
    rt.st = NULL;
    if (fs_rm_rf(dir, &e) < 0)
        berr_free(e);
}

/* A pid that is certainly dead: a reaped child's. */
static pid_t dead_pid(void)
{
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    waitpid(p, NULL, 0);
    return p;
}

struct rec {
    char prefix;                /* the id is this char repeated */
    const char *name;
    int state;
    long long created_s, started_s, finished_s;
    int exit_code;
    pid_t pid;
    const char *labels;         /* JSON object text or NULL */
    const char *image;          /* name; id = "ab..." */
    const char *cmd;            /* JSON array text */
};

static void mkrec(const struct rec *r, char *id_out)
{
    char id[STATE_ID_LEN + 1];
    struct berr *e = NULL;
    json_t *c, *s;

    memset(id, r->prefix, STATE_ID_LEN);
    id[STATE_ID_LEN] = '\0';
    c = json_pack("{s:s, s:s, s:s, s:i, s:I, s:{s:s, s:s}, s:{s:o, s:{s:s}}, s:o, s:s, s:b}",
                  "id", id, "name", r->name, "namespace", "", "lockID", 0,
                  "createdNs", (json_int_t) (r->created_s * SEC),
                  "image", "id", "abababababababababababababababababababababababababababababababab",
                  "name", r->image ? r->image : "localhost/busybox:latest",
                  "spec", "command", json_loads(r->cmd ? r->cmd : "[\"true\"]", 0, NULL),
                  "namespaces", "network", "none",
                  "labels", r->labels ? json_loads(r->labels, 0, NULL) : json_object(),
                  "logDriver", "k8s-file", "autoRemove", 0);
    s = json_pack("{s:i, s:i, s:i, s:I, s:I, s:i, s:b}", "state", r->state, "pid", (int) r->pid,
                  "conmonPid", 0, "startedNs", (json_int_t) (r->started_s * SEC),
                  "finishedNs", (json_int_t) (r->finished_s * SEC), "exitCode", r->exit_code,
                  "exited", r->state == CS_EXITED || r->state == CS_STOPPED);
    if (!c || !s || state_name_reserve(rt.st, r->name, OBJ_CONTAINER, id, &e) < 0 ||
        state_create(rt.st, OBJ_CONTAINER, id, c, s, &e) < 0) {
        printf("# mkrec %s: %s\n", r->name, e ? e->msg : "pack");
        abort();
    }
    json_decref(c);
    json_decref(s);
    if (id_out)
        memcpy(id_out, id, sizeof(id));
}

/* The usual four: a running one (our own pid), an exited one, a created
 * one and a running one whose exit file says 7. */
static void four(void)
{
    mkrec(&(struct rec) { 'a', "web", CS_RUNNING, 100, 110, 0, 0, getpid(), "{\"app\":\"web\",\"tier\":\"front\"}",
                          NULL, "[\"sleep\",\"1000\"]" }, NULL);
    mkrec(&(struct rec) { 'b', "quick", CS_EXITED, 200, 210, 220, 3, 0, "{\"app\":\"job\"}", NULL,
                          "[\"sh\",\"-c\",\"echo hi; exit 3\"]" }, NULL);
    mkrec(&(struct rec) { 'c', "fresh", CS_CONFIGURED, 300, 0, 0, 0, 0, NULL, "localhost/other:1", NULL }, NULL);
    {
        char id[STATE_ID_LEN + 1];
        mkrec(&(struct rec) { 'd', "gone", CS_RUNNING, 400, 410, 0, 0, dead_pid(), NULL, NULL, NULL }, id);
        _cleanup_free_ char *p = str_fmt("%s/exits/%s", tmp_dir, id);
        struct berr *e = NULL;
        fs_write_atomic(dir, "x", "7\n", 2, 0644, &e);
        berr_free(e);
        {
            _cleanup_free_ char *x = str_fmt("%s/x", dir);
            rename(x, p);
        }
    }
}

static json_t *list(struct ps_query q)
{
    json_t *items = NULL;
    struct berr *e = NULL;

    q.now = NOW;
    if (ctr_ps_items(&rt, &q, &items, &e) < 0) {
        printf("# ctr_ps_items: %s\n", e->msg);
        berr_free(e);
        return NULL;
    }
    return items;
}

/* "name name ..." of a listing (template or JSON shape). */
static char *names(json_t *items)
{
    struct sbuf b = SBUF_INIT;
    json_t *it;
    size_t i;

    json_array_foreach(items, i, it) {
        json_t *n = json_object_get(it, "Names");
        sbuf_addf(&b, "%s%s", i ? " " : "",
                  json_is_array(n) ? json_string_value(json_array_get(n, 0)) : json_string_value(n));
    }
    return sbuf_steal(&b);
}

static char *filtered(const char *f1, const char *f2)
{
    char *fs[3] = { (char *) f1, (char *) f2, NULL };
    _cleanup_json_ json_t *items = list((struct ps_query) { .all = true, .filters = fs });
    return items ? names(items) : str_dup("(error)");
}

static void t_json_shape(void)
{
    setup();
    four();
    _cleanup_json_ json_t *items = list((struct ps_query) { .all = true });
    json_t *web, *quick, *fresh, *gone;

    CHECK_INT(json_array_size(items), 4);
    web = json_array_get(items, 0);
    quick = json_array_get(items, 1);
    fresh = json_array_get(items, 2);
    gone = json_array_get(items, 3);
    CHECK_STR(json_string_value(json_array_get(json_object_get(web, "Names"), 0)), "web");
    CHECK_STR(js_str(web, "State", NULL), "running");
    CHECK_STR(js_str(web, "Status", NULL), "Up 63 years ago");
    CHECK_INT(js_int(web, "Pid", 0), getpid());
    CHECK_INT(js_int(web, "Created", 0), 100);
    CHECK_INT(js_int(web, "StartedAt", 0), 110);
    CHECK_INT(js_int(web, "ExitedAt", 0), -62135596800LL);
    CHECK_STR(js_str(json_object_get(web, "Labels"), "tier", NULL), "front");
    CHECK(json_is_null(json_object_get(web, "Ports")));
    CHECK(json_is_null(json_object_get(web, "Size")));
    CHECK_INT(json_array_size(json_object_get(web, "Networks")), 0);
    CHECK_STR(json_string_value(json_array_get(json_object_get(web, "Command"), 1)), "1000");

    CHECK_STR(js_str(quick, "State", NULL), "exited");
    CHECK_STR(js_str(quick, "Status", NULL), "Exited (3) 63 years ago");
    CHECK(js_bool(quick, "Exited", false));
    CHECK_INT(js_int(quick, "ExitCode", 0), 3);
    CHECK_INT(js_int(quick, "ExitedAt", 0), 220);
    CHECK_INT(js_int(quick, "Pid", -1), 0);

    CHECK_STR(js_str(fresh, "State", NULL), "created");
    CHECK_STR(js_str(fresh, "Status", NULL), "Created");
    CHECK(json_is_null(json_object_get(fresh, "Labels")));
    CHECK_STR(js_str(fresh, "Image", NULL), "localhost/other:1");
    CHECK_INT(js_int(fresh, "StartedAt", 0), -62135596800LL);

    /* the exit file wins over the recorded "running" */
    CHECK_STR(js_str(gone, "State", NULL), "exited");
    CHECK_INT(js_int(gone, "ExitCode", 0), 7);
    CHECK(js_bool(gone, "Exited", false));
    teardown();
}

static void t_running_only_and_dead_process(void)
{
    setup();
    four();
    mkrec(&(struct rec) { 'e', "lost", CS_RUNNING, 500, 510, 0, 0, dead_pid(), NULL, NULL, NULL }, NULL);
    {
        _cleanup_json_ json_t *items = list((struct ps_query) { 0 });
        _cleanup_free_ char *n = names(items);
        CHECK_STR(n, "web");
    }
    {
        _cleanup_json_ json_t *items = list((struct ps_query) { .all = true });
        json_t *lost = json_array_get(items, 4);
        CHECK_STR(js_str(lost, "State", NULL), "exited");
        CHECK_INT(js_int(lost, "ExitCode", 0), -1);
    }
    teardown();
}

static void t_filters(void)
{
    static const struct { const char *f1, *f2, *want; } cases[] = {
        { "name=^w", NULL, "web" },
        { "name=i", NULL, "quick" },
        { "name=web", "name=fresh", "web fresh" },          /* one key: OR */
        { "name=e", "status=running", "web" },              /* two keys: AND */
        { "status=exited", NULL, "quick gone" },
        { "status=stopped", NULL, "quick gone" },
        { "status=created", NULL, "fresh" },
        { "status=running", "status=created", "web fresh" },
        { "label=app", NULL, "web quick" },
        { "label=app=web", NULL, "web" },
        { "label=app=we", NULL, "" },
        { "label=app", "label=tier=front", "web" },         /* labels: AND */
        { "ancestor=localhost/busybox", NULL, "web quick gone" },
        { "ancestor=localhost/busybox:latest", NULL, "web quick gone" },
        { "ancestor=busybox", NULL, "" },
        { "ancestor=localhost/other", NULL, "" },            /* tag is not latest */
        { "ancestor=localhost/other:1", NULL, "fresh" },
        { "ancestor=abababababababababababababababababababababababababababababababab", NULL,
          "web quick fresh gone" },
        { "exited=3", NULL, "quick" },
        { "exited=7", "exited=3", "quick gone" },
        { "exited=0", NULL, "" },
        { "before=fresh", NULL, "web quick" },
        { "since=quick", NULL, "fresh gone" },
        { "id=^bbbb", NULL, "quick" },
        { "id=cccc", "id=dddd", "fresh gone" },
        { "id=[", NULL, "" },                                /* bad regex: no match */
    };

    setup();
    four();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_free_ char *got = filtered(cases[i].f1, cases[i].f2);
        if (!str_eq(got, cases[i].want))
            printf("#   filter %s %s\n", cases[i].f1, cases[i].f2 ? cases[i].f2 : "");
        CHECK_STR(got, cases[i].want);
    }
    /* a status filter lists every state, even without -a */
    {
        char *fs[] = { "status=exited", NULL };
        _cleanup_json_ json_t *items = list((struct ps_query) { .filters = fs });
        _cleanup_free_ char *n = names(items);
        CHECK_STR(n, "quick gone");
    }
    /* before= an unknown container is an error */
    {
        char *fs[] = { "before=nosuch", NULL };
        json_t *items = NULL;
        struct berr *e = NULL;
        CHECK_INT(ctr_ps_items(&rt, &(struct ps_query) { .all = true, .filters = fs }, &items, &e), -1);
        CHECK(e && strstr(e->msg, "no container with name or ID \"nosuch\" found"));
        berr_free(e);
    }
    teardown();
}

static void t_check_errors(void)
{
    static const struct { const char *sort, *filter, *want; } cases[] = {
        { "bogus", NULL, "invalid argument \"bogus\" for \"--sort\" flag: \"bogus\" is not a valid value.  "
                         "Choose from: \"command, created, id, image, names, runningfor, size, status\"" },
        { NULL, "foo=bar", "foo is an invalid filter" },
        { NULL, "name", "invalid filter \"name\"" },
        { NULL, "status=bogus", "unknown container state: bogus: invalid argument" },
        { NULL, "exited=x", "exited code out of range \"x\"" },
        { "names", "status=paused", NULL },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *fs[] = { (char *) cases[i].filter, NULL };
        struct berr *e = NULL;
        int r = ctr_ps_check(&(struct ps_query) { .sort = cases[i].sort, .filters = fs }, &e);
        CHECK_INT(r, cases[i].want ? -1 : 0);
        CHECK_STR(e ? e->msg : NULL, cases[i].want);
        berr_free(e);
    }
}

static void t_sort_and_last(void)
{
    static const struct { const char *sort, *want; } cases[] = {
        { NULL, "web quick fresh gone" },
        { "created", "web quick fresh gone" },
        { "names", "fresh gone quick web" },
        { "id", "web quick fresh gone" },
        { "command", "quick web fresh gone" },
        { "status", "fresh quick gone web" },
        { "runningfor", "fresh web quick gone" },
        { "image", "web quick gone fresh" },
        { "size", "web quick fresh gone" },     /* no sizes: stays in order */
    };

    setup();
    four();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_json_ json_t *items = list((struct ps_query) { .all = true, .sort = cases[i].sort });
        _cleanup_free_ char *got = names(items);
        CHECK_STR(got, cases[i].want);
    }
    {
        _cleanup_json_ json_t *items = list((struct ps_query) { .last = 2 });
        _cleanup_free_ char *got = names(items);
        CHECK_STR(got, "fresh gone");       /* -n counts every state */
    }
    {
        _cleanup_json_ json_t *items = list((struct ps_query) { .latest = true });
        _cleanup_free_ char *got = names(items);
        CHECK_STR(got, "gone");
    }
    {
        _cleanup_json_ json_t *items = list((struct ps_query) { .last = 2, .sort = "names" });
        _cleanup_free_ char *got = names(items);
        CHECK_STR(got, "fresh gone");
    }
    teardown();
}

static void t_template_shape(void)
{
    setup();
    four();
    {
        _cleanup_json_ json_t *items = list((struct ps_query) { .all = true, .shape = PS_TEMPLATE });
        json_t *web = json_array_get(items, 0), *quick = json_array_get(items, 1);
        CHECK_STR(js_str(web, "ID", NULL), "aaaaaaaaaaaa");
        CHECK_STR(js_str(web, "Names", NULL), "web");
        CHECK_STR(js_str(web, "Command", NULL), "sleep 1000");
        CHECK_STR(js_str(web, "State", NULL), "Up 63 years ago");
        CHECK_STR(js_str(web, "Status", NULL), "Up 63 years ago");
        CHECK_STR(js_str(web, "ImageID", NULL), "abababababab");
        CHECK_STR(js_str(web, "RunningFor", NULL), "63 years ago");
        CHECK_STR(js_str(web, "CreatedHuman", NULL), "63 years ago");
        CHECK(str_has_suffix(js_str(web, "Created", ""), " UTC") ||
              strchr(js_str(web, "Created", ""), ' '));
        CHECK_STR(js_str(json_object_get(web, "Labels"), "app", NULL), "web");
        CHECK_STR(js_str(web, "Ports", NULL), "");
        CHECK_STR(js_str(web, "Size", NULL), "");
        CHECK_STR(js_str(quick, "Command", NULL), "sh -c echo hi; ex...");
        CHECK_STR(js_str(quick, "Status", NULL), "Exited (3) 63 years ago");
    }
    {
        _cleanup_json_ json_t *items = list((struct ps_query) { .all = true, .shape = PS_TEMPLATE,
                                                                .no_trunc = true });
        json_t *quick = json_array_get(items, 1);
        CHECK_INT(strlen(js_str(quick, "ID", "")), 64);
        CHECK_STR(js_str(quick, "Command", NULL), "sh -c echo hi; exit 3");
    }
    teardown();
}

static void t_broken_record(void)
{
    char id[STATE_ID_LEN + 1];

    setup();
    four();
    mkrec(&(struct rec) { 'f', "broken", CS_RUNNING, 600, 0, 0, 0, 0, NULL, NULL, NULL }, id);
    {
        _cleanup_free_ char *p = str_fmt("%s/containers/%s/state.json", static_dir, id);
        FILE *f = fopen(p, "we");
        if (f) {
            fputs("{not json", f);
            fclose(f);
        }
    }
    {
        _cleanup_json_ json_t *items = list((struct ps_query) { .all = true });
        json_t *b = NULL, *it;
        size_t i;
        json_array_foreach(items, i, it)
            if (str_eq(js_str(it, "Id", ""), id))
                b = it;
        CHECK_INT(json_array_size(items), 5);
        CHECK(b != NULL);
        CHECK_STR(js_str(b, "State", NULL), "error");
        CHECK(str_has_prefix(js_str(b, "Status", ""), "Error: "));
        CHECK_STR(js_str(b, "Id", NULL), id);
    }
    {
        /* not without -a, and never through a filter */
        _cleanup_json_ json_t *items = list((struct ps_query) { 0 });
        CHECK_INT(json_array_size(items), 1);
        _cleanup_free_ char *n = filtered("status=running", NULL);
        CHECK_STR(n, "web");
    }
    teardown();
}

/* ctr_ps_texts renders each row as it is read (on every CPU from 128
 * rows on): the same bytes as the items printed by out_list, in every
 * order and with -n (rows rendered late), and a template's error is the
 * first row's. */
static int render(void *ctx, json_t *item, char **text, struct berr **err)
{
    return out_rows_render(ctx, item, text, err);
}

static char *print_both(const char *format, struct ps_query q, bool texts)
{
    static const struct out_spec spec = {
        .table = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Status}}\t{{.Names}}" };
    char *buf = NULL, **tv = NULL;
    size_t len = 0, n = 0;
    FILE *f = open_memstream(&buf, &len);
    struct out_rows *rows = NULL;
    json_t *items = NULL;
    struct berr *e = NULL;
    int r;

    q.now = NOW;
    q.shape = PS_TEMPLATE;
    q.tmpl = format ? format : spec.table;
    if (texts) {
        r = out_rows_new(format, &spec, false, &rows, &e);
        CHECK(r < 0 || rows != NULL);
        q.render = render;
        q.render_ctx = rows;
        if (r == 0 && rows && (r = ctr_ps_texts(&rt, &q, &tv, &n, &e)) == 0)
            r = out_rows_print(rows, f, tv, n, &e);
        strv_free(tv);
        out_rows_free(rows);
    } else {
        r = ctr_ps_items(&rt, &q, &items, &e);
        if (r == 0)
            r = out_list(f, format, items, &spec, false, &e);
        json_decref(items);
    }
    fclose(f);
    if (r < 0) {
        free(buf);
        buf = str_fmt("ERR:%s", e->msg);
        berr_free(e);
    }
    return buf;
}

static void t_texts(void)
{
    static const char *const formats[] = { NULL, "table {{.Names}} {{.ID}}", "{{.Names}}",
                                           "{{.Nope}}" };
    struct berr *e = NULL;

    setup();
    for (int i = 0; i < 200; i++) {
        char id[STATE_ID_LEN + 1], name[16];
        json_t *c, *st;

        snprintf(id, sizeof(id), "%016x%016x%016x%016x", i + 1, i, i, i);
        snprintf(name, sizeof(name), "c%03d", (i * 7) % 200);
        c = json_pack("{s:s, s:s, s:s, s:i, s:I, s:{s:s, s:s}, s:{s:[s,i], s:{s:s}}, s:{}, s:s}",
                      "id", id, "name", name, "namespace", "", "lockID", 0,
                      "createdNs", (json_int_t) ((100 + i) * SEC), "image", "id",
                      "abababababababababababababababababababababababababababababababab",
                      "name", "localhost/busybox:latest", "spec", "command", "sleep", i,
                      "namespaces", "network", "none", "labels", "logDriver", "k8s-file");
        st = json_pack("{s:i, s:b, s:i}", "state", i % 3 ? CS_EXITED : CS_CONFIGURED, "exited",
                       i % 3 != 0, "exitCode", i % 5);
        if (!c || !st || state_create(rt.st, OBJ_CONTAINER, id, c, st, &e) < 0) {
            printf("# record %d: %s\n", i, e ? e->msg : "pack");
            abort();
        }
        json_decref(c);
        json_decref(st);
    }
    for (size_t k = 0; k < sizeof(formats) / sizeof(formats[0]); k++) {
        struct ps_query qs[] = { { .all = true }, { .all = true, .sort = "names" },
                                 { .all = true, .last = 5 }, { .all = true, .sort = "status" } };
        for (size_t j = 0; j < sizeof(qs) / sizeof(qs[0]); j++) {
            char *a = print_both(formats[k], qs[j], false), *b = print_both(formats[k], qs[j], true);
            CHECK_STR(b, a);
            if (k == 0 && j == 0)
                CHECK(strstr(a, "c199") != NULL);
            free(a);
            free(b);
        }
    }
    teardown();
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    UNIT_RUN(t_json_shape);
    UNIT_RUN(t_running_only_and_dead_process);
    UNIT_RUN(t_filters);
    UNIT_RUN(t_check_errors);
    UNIT_RUN(t_sort_and_last);
    UNIT_RUN(t_template_shape);
    UNIT_RUN(t_broken_record);
    UNIT_RUN(t_texts);
    return unit_done();
}
