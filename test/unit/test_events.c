/*
 * test/unit/test_events.c: the event log: podman's line format byte for
 * byte, rotation, concurrent writers, filters, since/until, following
 * across rotations, and a clean end on SIGINT. Runs under TZ=UTC.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "runtime/events.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

static char tmpl_dir[] = "/tmp/berth-test-events-XXXXXX";
static char *base;
static int seq;

/* A fresh log path in its own (not yet existing) directory. */
static char *new_log(void)
{
    return str_fmt("%s/%d/events/events.log", base, seq++);
}

static char *slurp(const char *path)
{
    char *s = NULL;
    size_t n;
    struct berr *err = NULL;

    if (fs_read_file(path, &s, &n, &err) < 0) {
        berr_free(err);
        return NULL;
    }
    return s;
}

static struct events *open_file(const char *path, long long max)
{
    struct events *ev = NULL;
    struct berr *err = NULL;

    if (events_open("file", path, max, &ev, &err) < 0) {
        printf("#   events_open: %s\n", err->msg);
        berr_free(err);
        return NULL;
    }
    return ev;
}

static int put(struct events *ev, const struct event *e)
{
    struct berr *err = NULL;
    int r = events_write(ev, e, &err);

    if (r < 0) {
        printf("#   events_write: %s\n", err->msg);
        berr_free(err);
    }
    return r;
}

static const struct timespec T1 = { 1795389001, 872635993 };    /* 2026-11-22T23:10:01 */

/* SPEC-podman.md 5.1's observed lines, re-created byte for byte. */
static void t_line_format(void)
{
    _cleanup_free_ char *path = new_log(), *got = NULL;
    _cleanup_json_ json_t *labels = json_pack("{s:s, s:s}", "zz", "1", "a", "<&>");
    struct events *ev = open_file(path, 0);
    struct event died = {
        .type = "container", .status = "died", .id = "acf7", .image = "localhost/busybox:latest",
        .name = "ev3", .exit_code = 4, .time = T1,
    };
    struct event pull = {
        .type = "image", .status = "pull", .name = "localhost/busybox",
        .time = { 1795389000, 913470139 },
    };
    struct event refresh = { .type = "system", .status = "refresh", .time = { 1795389012, 931061170 } };
    struct event full = {
        .type = "container", .status = "health_status", .id = "", .name = "c1", .network = "net1",
        .pod_id = "p1", .health_status = "healthy", .attributes = labels, .time = { 1795389012, 0 },
    };
    struct event zero = { .type = "container", .status = "died", .id = "x", .exit_code = 0,
                          .time = { 1795389012, 100 } };
    struct stat st;

    CHECK(ev != NULL);
    if (!ev)
        return;
    CHECK_INT(put(ev, &died), 0);
    CHECK_INT(put(ev, &pull), 0);
    CHECK_INT(put(ev, &refresh), 0);
    CHECK_INT(put(ev, &full), 0);
    CHECK_INT(put(ev, &zero), 0);
    got = slurp(path);
    CHECK_STR(got,
        "{\"ContainerExitCode\":4,\"ID\":\"acf7\",\"Image\":\"localhost/busybox:latest\","
        "\"Name\":\"ev3\",\"Status\":\"died\",\"Time\":\"2026-11-22T23:10:01.872635993Z\","
        "\"Type\":\"container\",\"Attributes\":{}}\n"
        "{\"Name\":\"localhost/busybox\",\"Status\":\"pull\","
        "\"Time\":\"2026-11-22T23:10:00.913470139Z\",\"Type\":\"image\",\"Attributes\":null}\n"
        "{\"Status\":\"refresh\",\"Time\":\"2026-11-22T23:10:12.93106117Z\",\"Type\":\"system\","
        "\"Attributes\":null}\n"
        "{\"Name\":\"c1\",\"network\":\"net1\",\"Status\":\"health_status\","
        "\"Time\":\"2026-11-22T23:10:12Z\",\"Type\":\"container\",\"health_status\":\"healthy\","
        "\"PodID\":\"p1\",\"Attributes\":{\"a\":\"\\u003c\\u0026\\u003e\",\"zz\":\"1\"}}\n"
        "{\"ID\":\"x\",\"Status\":\"died\",\"Time\":\"2026-11-22T23:10:12.0000001Z\","
        "\"Type\":\"container\",\"Attributes\":{}}\n");
    /* podman's modes: the dir 0700, the log 0700 */
    {
        _cleanup_free_ char *dir = fs_dirname(path);
        CHECK_INT(stat(dir, &st), 0);
        CHECK_INT(st.st_mode & 07777, 0700);
        CHECK_INT(stat(path, &st), 0);
        CHECK_INT(st.st_mode & 07777, 0700);
    }
    events_close(ev);
}

/* A time of {0,0} means now; a bad type is refused. */
static void t_write_now_and_bad_type(void)
{
    _cleanup_free_ char *path = new_log(), *got = NULL;
    struct events *ev = open_file(path, 0);
    struct event e = { .type = "system", .status = "refresh" };
    struct event bad = { .type = "machine", .status = "x" };
    struct timespec before, t;
    struct berr *err = NULL;
    json_t *j;

    clock_gettime(CLOCK_REALTIME, &before);
    CHECK_INT(put(ev, &e), 0);
    CHECK_INT(events_write(ev, &bad, &err), -1);
    CHECK(err && strstr(err->msg, "event type machine is not valid"));
    berr_free(err);
    got = slurp(path);
    j = json_loads(got, 0, NULL);
    CHECK_INT(time_parse_rfc3339(js_str(j, "Time", ""), &t, NULL, NULL), 0);
    CHECK(time_cmp(t, before) >= 0);
    json_decref(j);
    events_close(ev);
}

static void t_none_backend(void)
{
    struct events *ev = NULL;
    struct berr *err = NULL;
    struct event e = { .type = "system", .status = "refresh" };
    struct events_query q = { .stream = true };
    _cleanup_free_ char *path = new_log();

    CHECK_INT(events_open("none", path, 0, &ev, &err), 0);
    CHECK_INT(events_write(ev, &e, &err), 0);
    /* nothing to read: podman's error, at once */
    CHECK_INT(events_read(ev, &q, NULL, NULL, &err), -1);
    CHECK(err && strcmp(err->msg, "cannot read events with the \"none\" backend") == 0);
    berr_free(err);
    err = NULL;
    CHECK(!fs_exists(path));
    events_close(ev);
    /* journald is a backend (events_journal.c, tested in journald.bats) */
    CHECK_INT(events_open("journald", path, 0, &ev, &err), 0);
    events_close(ev);
    ev = NULL;
    CHECK_INT(events_open("syslog", path, 0, &ev, &err), -1);
    CHECK(err && strstr(err->msg, "use file, journald or none") != NULL);
    berr_free(err);
}

static struct event numbered(int i, char *name, size_t n)
{
    snprintf(name, n, "e%04d", i);
    return (struct event) { .type = "container", .status = "create", .id = "0123456789abcdef",
                            .name = name, .time = { T1.tv_sec + i, 0 } };
}

/* Rotation keeps what follows the first newline past the midpoint, then
 * a log-rotation event naming the log, then the new event. */
static void t_rotation(void)
{
    _cleanup_free_ char *path = new_log(), *before = NULL, *after = NULL, *want = NULL;
    struct events *ev = open_file(path, 4000);
    char name[16];
    struct event e;
    size_t size = 0, line_len;
    const char *keep, *rot, *last;
    int i;

    /* Fill to just below the limit. */
    e = numbered(0, name, sizeof(name));
    for (i = 0;; i++) {
        struct stat st;

        e = numbered(i, name, sizeof(name));
        line_len = 0;
        if (stat(path, &st) == 0)
            size = (size_t) st.st_size;
        if (i > 0 && size + (size / (size_t) i) >= 4000)
            break;
        CHECK_INT(put(ev, &e), 0);
    }
    before = slurp(path);
    CHECK(before && strlen(before) < 4000);
    CHECK_INT(put(ev, &e), 0);
    after = slurp(path);
    CHECK(after != NULL);
    if (!before || !after)
        return;
    keep = strchr(before + strlen(before) / 2, '\n') + 1;
    CHECK(strncmp(after, keep, strlen(keep)) == 0);
    rot = after + strlen(keep);
    CHECK(str_has_prefix(rot, "{\"Name\":\""));
    want = str_fmt("\"Status\":\"log-rotation\",");
    CHECK(strstr(rot, want) != NULL);
    CHECK(strstr(rot, path) != NULL);
    last = strchr(rot, '\n') + 1;
    snprintf(name, sizeof(name), "e%04d", i);
    CHECK(strstr(last, name) != NULL);
    CHECK(strchr(last, '\n') == last + strlen(last) - 1);
    /* The first kept line is a whole line. */
    {
        json_t *j = json_loadb(after, (size_t) (strchr(after, '\n') - after), 0, NULL);
        CHECK(json_is_object(j));
        json_decref(j);
    }
    (void) line_len;
    events_close(ev);
}

/* Lines of a file, each parsed; -1 if any line is not a JSON object. */
static int count_lines(const char *path, int (*each)(json_t *, void *), void *ctx)
{
    _cleanup_free_ char *s = slurp(path);
    char *p = s, *nl;
    int n = 0;

    if (!s)
        return -1;
    while ((nl = strchr(p, '\n'))) {
        json_t *j = json_loadb(p, (size_t) (nl - p), 0, NULL);

        if (!json_is_object(j)) {
            printf("#   broken line: %.*s\n", (int) (nl - p), p);
            json_decref(j);
            return -1;
        }
        if (each)
            each(j, ctx);
        json_decref(j);
        n++;
        p = nl + 1;
    }
    return *p ? -1 : n;
}

struct seen {
    unsigned char mark[10][200];
    int dupes;
    int last_k;         /* k of the last line */
};

static int mark_seen(json_t *j, void *ctx)
{
    struct seen *s = ctx;
    int w, k;

    if (sscanf(js_str(j, "Name", ""), "w%d-%d", &w, &k) == 2 && w >= 0 && w < 10 && k >= 0 &&
        k < 200) {
        if (s->mark[w][k])
            s->dupes++;
        s->last_k = k;
        s->mark[w][k] = 1;
    }
    return 0;
}

static void run_writers(const char *path, long long max)
{
    pid_t pids[10];

    for (int w = 0; w < 10; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            struct events *ev = open_file(path, max);
            char name[32];
            int bad = 0;

            for (int k = 0; k < 200 && ev; k++) {
                struct event e = { .type = "container", .status = "start", .id = "abc",
                                   .name = name, .image = "localhost/x:latest" };
                snprintf(name, sizeof(name), "w%d-%d", w, k);
                bad |= put(ev, &e) < 0;
            }
            events_close(ev);
            _exit(ev && !bad ? 0 : 1);
        }
    }
    for (int w = 0; w < 10; w++) {
        int st;
        CHECK(pids[w] > 0 && waitpid(pids[w], &st, 0) == pids[w]);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
}

static void t_concurrent_writers(void)
{
    _cleanup_free_ char *path = new_log(), *dir = fs_dirname(path);
    struct seen *s = calloc(1, sizeof(*s));
    struct berr *err = NULL;
    int all = 1;

    CHECK_INT(fs_mkdir_p(dir, 0700, &err), 0);
    run_writers(path, 0);
    CHECK_INT(count_lines(path, mark_seen, s), 2000);
    for (int w = 0; w < 10; w++)
        for (int k = 0; k < 200; k++)
            all &= s->mark[w][k];
    CHECK(all);
    CHECK_INT(s->dupes, 0);
    free(s);
}

/* With rotation racing the writers, every line is still whole. */
static void t_concurrent_rotation(void)
{
    _cleanup_free_ char *path = new_log();
    struct seen *s = calloc(1, sizeof(*s));
    int n;

    run_writers(path, 30000);
    n = count_lines(path, mark_seen, s);
    CHECK(n > 50);
    CHECK_INT(s->dupes, 0);
    CHECK_INT(s->last_k, 199);     /* the newest line survives */
    free(s);
}

/* ---- reading ---- */

struct collect {
    struct sbuf out;
    int stop_after;     /* fn returns 1 after this many (0: never) */
    int n;
    int notify_fd;      /* write a byte per event (-1: no) */
};

static int collect(json_t *j, void *ctx)
{
    struct collect *c = ctx;

    if (c->out.len)
        sbuf_addc(&c->out, ' ');
    sbuf_addf(&c->out, "%s:%s", js_str(j, "Status", "-"), js_str(j, "Name", "-"));
    c->n++;
    if (c->notify_fd >= 0 && write(c->notify_fd, "x", 1) != 1)
        return -1;
    return c->stop_after && c->n >= c->stop_after ? 1 : 0;
}

static struct events *sample_log(void)
{
    static char *path;
    _cleanup_json_ json_t *l1 = json_pack("{s:s, s:s}", "app", "web", "tier", "1");
    _cleanup_json_ json_t *l2 = json_pack("{s:s}", "app", "db");
    struct event evs[] = {
        { .type = "container", .status = "create", .id = "aaaa1111", .name = "web",
          .image = "img", .attributes = l1 },
        { .type = "container", .status = "start", .id = "aaaa1111", .name = "web",
          .image = "img", .attributes = l1 },
        { .type = "container", .status = "create", .id = "bbbb2222", .name = "db",
          .image = "img", .attributes = l2 },
        { .type = "image", .status = "pull", .id = "cccc3333", .name = "img" },
        { .type = "pod", .status = "create", .id = "dddd4444", .name = "pod1" },
        { .type = "volume", .status = "create", .name = "vol1" },
        { .type = "network", .status = "connect", .id = "aaaa1111", .network = "net1",
          .name = "web" },
        { .type = "system", .status = "refresh" },
    };
    struct events *ev;

    free(path);
    path = new_log();
    ev = open_file(path, 0);
    for (size_t i = 0; i < ARRAY_SIZE(evs); i++) {
        evs[i].time = (struct timespec) { T1.tv_sec + (time_t) i, 0 };
        put(ev, &evs[i]);
    }
    return ev;
}

static char *query(struct events *ev, char **filters, const char *since, const char *until)
{
    struct collect c = { SBUF_INIT, 0, 0, -1 };
    struct events_query q = { .filters = filters, .stream = false };
    struct berr *err = NULL;
    struct timespec now = { T1.tv_sec + 100, 0 };

    if (since) {
        q.has_since = true;
        CHECK_INT(time_parse_input(since, false, now, &q.since, &err), 0);
    }
    if (until) {
        q.has_until = true;
        CHECK_INT(time_parse_input(until, true, now, &q.until, &err), 0);
    }
    if (events_read(ev, &q, collect, &c, &err) < 0) {
        char *msg = str_fmt("ERR %s", err->msg);
        berr_free(err);
        sbuf_free(&c.out);
        return msg;
    }
    return sbuf_steal(&c.out);
}

#define Q(want, since, until, ...) do { \
    char *f_[] = { __VA_ARGS__, NULL }; \
    char *got_ = query(ev, f_[0] ? f_ : NULL, since, until); \
    CHECK_STR(got_, want); \
    free(got_); \
} while (0)

static void t_filters(void)
{
    struct events *ev = sample_log();
    const char *all = "create:web start:web create:db pull:img create:pod1 create:vol1 "
                      "connect:web refresh:-";

    Q(all, NULL, NULL, NULL);
    Q("create:web start:web create:db", NULL, NULL, "type=container");
    Q("create:web start:web", NULL, NULL, "container=web");
    Q("create:web start:web", NULL, NULL, "container=aaaa");
    Q("create:web start:web create:db", NULL, NULL, "container=web", "container=bbbb2222");
    Q("create:web", NULL, NULL, "container=web", "event=create");
    Q("create:web create:db create:pod1 create:vol1", NULL, NULL, "event=create");
    Q("create:web create:db create:pod1 create:vol1", NULL, NULL, "STATUS=create");
    Q("", NULL, NULL, "status=create", "event=start");  /* two keys: AND */
    Q("pull:img", NULL, NULL, "image=img");     /* not the containers made from it */
    Q("pull:img", NULL, NULL, "Image=cccc");
    Q("create:pod1", NULL, NULL, "pod=pod1");
    Q("create:pod1", NULL, NULL, "pod=dddd");
    Q("create:vol1", NULL, NULL, "volume=vol1");
    Q("connect:web", NULL, NULL, "network=net1");
    Q("", NULL, NULL, "network=web");
    Q("refresh:-", NULL, NULL, "type=system");
    Q("pull:img refresh:-", NULL, NULL, "type=system", "type=image");
    Q("create:web start:web create:db", NULL, NULL, "label=app");
    Q("create:db", NULL, NULL, "label=app=db");
    Q("create:web start:web create:db", NULL, NULL, "label=app=db", "label=tier=1");
    Q("", NULL, NULL, "label=app=db", "type=image");
    Q("", NULL, NULL, "label=nope");
    Q("ERR bogus is an invalid filter", NULL, NULL, "bogus=1");
    Q("ERR Bogus is an invalid filter", NULL, NULL, "type=system", "Bogus=1");
    Q("ERR container is an invalid filter", NULL, NULL, "container");
    events_close(ev);

    {
        struct berr *err = NULL;
        char *ok[] = { "type=container", "LABEL=a=b", NULL }, *bad[] = { "x=1", NULL };

        CHECK_INT(events_check_filters(ok, &err), 0);
        CHECK_INT(events_check_filters(NULL, &err), 0);
        CHECK_INT(events_check_filters(bad, &err), -1);
        CHECK_STR(err ? err->msg : NULL, "x is an invalid filter");
        CHECK_INT(err ? err->exit_code : 0, 125);
        berr_free(err);
    }
}

static void t_since_until(void)
{
    struct events *ev = sample_log();

    /* T1 is 23:10:01.872635993; events at whole seconds from 23:10:01 */
    Q("create:pod1 create:vol1 connect:web refresh:-", "2026-11-22T23:10:04Z", NULL, NULL);
    Q("create:web start:web create:db", NULL, "2026-11-22T23:10:04Z", NULL);
    Q("start:web create:db", "2026-11-22T23:10:01Z", "2026-11-22T23:10:04Z", NULL);
    Q("create:pod1 create:vol1", "1795389004", "1795389007", "type=pod", "type=volume");
    Q("create:db pull:img", "2026-11-22T23:10:02.5Z", "2026-11-22T23:10:04.5Z", NULL);
    /* now is T1+100s: 98.5s ago is between the 2nd and the 3rd event;
     * 98s ago is the 3rd, which is not "after" itself */
    Q("create:db pull:img create:pod1 create:vol1 connect:web refresh:-", "98.5s", NULL, NULL);
    Q("pull:img create:pod1 create:vol1 connect:web refresh:-", "98s", NULL, NULL);
    Q("create:web start:web", NULL, "-98s", NULL);
    Q("", "2026-11-23", NULL, NULL);
    Q("create:web start:web create:db pull:img create:pod1 create:vol1 connect:web refresh:-",
      "2026-11-22", "2026-11-23", NULL);
    events_close(ev);
}

static void append_raw(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);

    CHECK(fd >= 0);
    CHECK(write(fd, s, strlen(s)) == (ssize_t) strlen(s));
    close(fd);
}

static void t_bad_lines(void)
{
    _cleanup_free_ char *path = new_log();
    struct events *ev = open_file(path, 0);
    struct event e = { .type = "system", .status = "refresh", .time = T1 };
    struct collect c = { SBUF_INIT, 0, 0, -1 };
    struct events_query q = { .stream = false };
    struct berr *err = NULL;

    put(ev, &e);
    append_raw(path, "not json\n\n[1]\n{\"Status\":\"x\",\"Time\":\"bad\",\"Type\":\"system\"}\n");
    put(ev, &e);
    CHECK_INT(events_read(ev, &q, collect, &c, &err), 0);
    CHECK_STR(sbuf_str(&c.out), "refresh:- refresh:-");
    sbuf_free(&c.out);

    append_raw(path, "{\"Status\":\"x\",\"Time\":\"2026-11-22T23:10:01Z\",\"Type\":\"machine\"}\n");
    put(ev, &e);
    c = (struct collect) { SBUF_INIT, 0, 0, -1 };
    CHECK_INT(events_read(ev, &q, collect, &c, &err), -1);
    if (err) {
        char *want = str_fmt("event type machine is not valid in %s", path);
        CHECK_STR(err->msg, want);
        free(want);
    }
    berr_free(err);
    err = NULL;
    CHECK_STR(sbuf_str(&c.out), "refresh:- refresh:-");
    sbuf_free(&c.out);

    /* fn stops the read and its value comes back */
    c = (struct collect) { SBUF_INIT, 1, 0, -1 };
    CHECK_INT(events_read(ev, &q, collect, &c, &err), 1);
    CHECK_INT(c.n, 1);
    sbuf_free(&c.out);
    events_close(ev);

    /* no log yet: nothing, no error */
    {
        _cleanup_free_ char *p2 = new_log();
        struct events *ev2 = open_file(p2, 0);
        c = (struct collect) { SBUF_INIT, 0, 0, -1 };
        CHECK_INT(events_read(ev2, &q, collect, &c, &err), 0);
        CHECK_INT(c.n, 0);
        sbuf_free(&c.out);
        events_close(ev2);
    }
}

static void t_to_json(void)
{
    const char *line = "{\"Attributes\":{\"b\":\"2\",\"a\":\"<\"},\"Type\":\"container\","
                       "\"Time\":\"2026-11-22T23:10:01Z\",\"Status\":\"died\","
                       "\"ContainerExitCode\":3,\"ID\":\"i\",\"PodID\":\"\"}";
    json_t *j = json_loads(line, 0, NULL);
    char *out = NULL;
    struct berr *err = NULL;

    CHECK_INT(events_to_json(j, &out, &err), 0);
    CHECK_STR(out, "{\"ContainerExitCode\":3,\"ID\":\"i\",\"Status\":\"died\","
                   "\"Time\":\"2026-11-22T23:10:01Z\",\"Type\":\"container\","
                   "\"Attributes\":{\"a\":\"\\u003c\",\"b\":\"2\"}}");
    free(out);
    json_decref(j);
}

/* ---- streaming ---- */

static void t_stream_until(void)
{
    _cleanup_free_ char *path = new_log();
    struct events *ev = open_file(path, 0);
    struct event e = { .type = "system", .status = "refresh", .time = T1 };
    struct collect c = { SBUF_INIT, 0, 0, -1 };
    struct events_query q = { .stream = true, .has_until = true };
    struct berr *err = NULL;
    struct timespec start, end;

    put(ev, &e);
    clock_gettime(CLOCK_REALTIME, &start);
    CHECK_INT(time_parse_input("300ms", true, start, &q.until, &err), 0);
    CHECK_INT(events_read(ev, &q, collect, &c, &err), 0);
    clock_gettime(CLOCK_REALTIME, &end);
    /* from the start (until given), ends when until passes */
    CHECK_STR(sbuf_str(&c.out), "refresh:-");
    CHECK(time_cmp(end, q.until) >= 0);
    CHECK(end.tv_sec - start.tv_sec < 3);
    sbuf_free(&c.out);
    events_close(ev);
}

/* Follow-mode reader in a child: acknowledges the first "ping" (so the
 * writer knows it watches), records container events, stops at e0299. */
struct follower {
    struct sbuf out;
    int ack_fd;
};

static int follow_cb(json_t *j, void *ctx)
{
    struct follower *f = ctx;
    const char *name = js_str(j, "Name", "");

    if (str_eq(js_str(j, "Status", ""), "ping")) {
        if (f->ack_fd >= 0 && write(f->ack_fd, "x", 1) == 1) {
            close(f->ack_fd);
            f->ack_fd = -1;
        }
        return 0;
    }
    if (!str_eq(js_str(j, "Type", ""), "container"))
        return 0;
    sbuf_addf(&f->out, "%s ", name);
    return strcmp(name, "e0299") == 0 ? 1 : 0;
}

/* Pings until the follower child acknowledges one. */
static bool ping_until_ack(struct events *ev, int ack_fd)
{
    char b;

    for (int i = 0; i < 500; i++) {
        struct event e = { .type = "system", .status = "ping" };
        struct pollfd pf = { .fd = ack_fd, .events = POLLIN };

        put(ev, &e);
        if (poll(&pf, 1, 20) == 1)
            return read(ack_fd, &b, 1) == 1;
    }
    return false;
}

/* We rotate the log many times while a child follows it: the events
 * arrive in order and never twice, the last one arrives, and the ones
 * written before it started do not. (Events in a half dropped before the
 * reader got to them are lost, as with podman.) */
static void t_stream_follow_rotation(void)
{
    _cleanup_free_ char *path = new_log(), *res = NULL;
    _cleanup_free_ char *out = str_fmt("%s/follow.out", base);
    struct events *ev = open_file(path, 3000);
    char name[16];
    struct event old = numbered(9999, name, sizeof(name));
    int pfd[2], st, prev = -1, inorder = 1, n = 0;
    pid_t pid;
    char *p;

    for (int i = 0; i < 10; i++)
        put(ev, &old);
    CHECK_INT(pipe2(pfd, O_CLOEXEC), 0);
    pid = fork();
    if (pid == 0) {
        struct follower f = { SBUF_INIT, pfd[1] };
        struct events_query q = { .stream = true };
        struct berr *err = NULL;
        int r;

        close(pfd[0]);
        r = events_read(ev, &q, follow_cb, &f, &err);
        if (r == 1)
            r = fs_write_atomic(base, "follow.out", sbuf_str(&f.out), f.out.len, 0600, &err);
        events_close(ev);
        sbuf_free(&f.out);
        berr_free(err);
        free(path);     /* _exit runs no cleanup attributes */
        free(out);
        _exit(r == 0 ? 0 : 1);
    }
    close(pfd[1]);
    CHECK(ping_until_ack(ev, pfd[0]));
    close(pfd[0]);
    for (int i = 0; i < 300; i++) {
        struct event e = numbered(i, name, sizeof(name));
        e.time = (struct timespec) { 0, 0 };
        put(ev, &e);
    }
    CHECK_INT(waitpid(pid, &st, 0), pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    res = slurp(out);
    for (p = res; p && (p = strchr(p, 'e')); p++) {
        int k = atoi(p + 1);
        if (k <= prev)
            inorder = 0;
        prev = k;
        n++;
    }
    CHECK(inorder);
    CHECK_INT(prev, 299);
    CHECK(n > 0 && n <= 300);
    printf("# followed %d of 300 events across rotations\n", n);
    events_close(ev);
}

/* SIGINT ends a stream with 0, and promptly. */
static void t_stream_sigint(void)
{
    _cleanup_free_ char *path = new_log();
    struct events *ev = open_file(path, 0);
    int pfd[2];
    pid_t pid;
    int st;
    struct timespec t0, t1;

    CHECK_INT(pipe2(pfd, O_CLOEXEC), 0);
    pid = fork();
    if (pid == 0) {
        struct collect c = { SBUF_INIT, 0, 0, pfd[1] };
        struct events_query q = { .stream = true };
        struct berr *err = NULL;
        int r;

        close(pfd[0]);
        r = events_read(ev, &q, collect, &c, &err);
        events_close(ev);
        sbuf_free(&c.out);
        berr_free(err);
        free(path);     /* _exit runs no cleanup attributes */
        _exit(r == 0 && c.n >= 1 ? 0 : 1);
    }
    close(pfd[1]);
    CHECK(ping_until_ack(ev, pfd[0]));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kill(pid, SIGINT);
    CHECK_INT(waitpid(pid, &st, 0), pid);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(t1.tv_sec - t0.tv_sec < 2);
    CHECK(WIFEXITED(st));
    CHECK_INT(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
    close(pfd[0]);
    events_close(ev);
}

int main(void)
{
    struct berr *err = NULL;

    setenv("TZ", "UTC", 1);
    tzset();
    base = mkdtemp(tmpl_dir);
    if (!base)
        return 1;
    UNIT_RUN(t_line_format);
    UNIT_RUN(t_write_now_and_bad_type);
    UNIT_RUN(t_none_backend);
    UNIT_RUN(t_rotation);
    UNIT_RUN(t_concurrent_writers);
    UNIT_RUN(t_concurrent_rotation);
    UNIT_RUN(t_filters);
    UNIT_RUN(t_since_until);
    UNIT_RUN(t_bad_lines);
    UNIT_RUN(t_to_json);
    UNIT_RUN(t_stream_until);
    UNIT_RUN(t_stream_follow_rotation);
    UNIT_RUN(t_stream_sigint);
    fs_rm_rf(base, &err);
    berr_free(err);
    return unit_done();
}
