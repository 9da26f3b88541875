/*
 * test_ctrlog.c: the k8s-file log reader: line parsing, P joining,
 * tail across P records, since/until, timestamps, follow mode.
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "runtime/ctrlog.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "unit.h"

static char dir[] = "/tmp/berth-log-XXXXXX";

static const char *LOG =
    "2024-05-01T10:00:00.100000000+00:00 stdout F first\n"
    "2024-05-01T10:00:01.000000000+00:00 stdout P abc\n"
    "2024-05-01T10:00:01.500000000+00:00 stderr F an error\n"
    "2024-05-01T10:00:02.000000000+00:00 stdout P def\n"
    "2024-05-01T10:00:03.000000000+00:00 stdout F ghi\n"
    "garbage line\n"
    "2024-05-01T10:00:04.000000000+00:00 stdout F \n"
    "2024-05-01T10:00:05.000000000+00:00 stdout F last\n"
    "2024-05-01T10:00:06.000000000+00:00 stdout P tail\n";   /* conmon ends P records with \n too */

struct collect { struct sbuf out; bool ts; int stop_after; int n; };

static int emit(void *arg, const struct log_msg *m)
{
    struct collect *c = arg;
    ctrlog_format(&c->out, m, c->ts, m->is_stderr ? "E:" : NULL);
    if (c->stop_after && ++c->n >= c->stop_after)
        return 7;
    return 0;
}

static char *write_log(const char *name, const char *text)
{
    struct berr *err = NULL;
    char *p = fs_join(dir, name);
    if (fs_write_atomic(dir, name, text, strlen(text), 0600, &err) < 0)
        berr_free(err);
    return p;
}

static char *run(const char *path, struct ctrlog_opts *o, bool ts, int *rc)
{
    struct collect c = { .out = SBUF_INIT, .ts = ts };
    struct berr *err = NULL;

    *rc = ctrlog_read(path, o, emit, &c, &err);
    if (err)
        printf("# %s\n", err->msg);
    berr_free(err);
    return sbuf_steal(&c.out);
}

static void t_parse_line(void)
{
    struct log_rec r;
    const char *l = "2024-05-01T12:00:00.5+02:00 stderr P some text";

    CHECK(ctrlog_parse_line(l, strlen(l), &r) == 0);
    CHECK(r.is_stderr && r.partial);
    CHECK_INT(r.len, 9);
    CHECK(memcmp(r.content, "some text", 9) == 0);
    CHECK_INT(r.ts.tv_sec, 1714557600);
    CHECK_INT(r.ts.tv_nsec, 500000000);
    CHECK(ctrlog_parse_line("x stdout F a", 12, &r) < 0);
    CHECK(ctrlog_parse_line("2024-05-01T12:00:00Z stdin F a", 30, &r) < 0);
    CHECK(ctrlog_parse_line("2024-05-01T12:00:00Z stdout X a", 31, &r) < 0);
    CHECK(ctrlog_parse_line("2024-05-01T12:00:00Z stdout F", 29, &r) == 0 && r.len == 0);
}

static void t_parse_rfc3339(void)
{
    struct timespec t;

    CHECK(ctrlog_parse_rfc3339("2024-05-01T10:00:00Z", 20, &t) == 0 && t.tv_sec == 1714557600);
    CHECK(ctrlog_parse_rfc3339("2024-05-01", 10, &t) == 0 && t.tv_sec == 1714521600);
    CHECK(ctrlog_parse_rfc3339("2024-05-01T10:00:00.25-01:30", 28, &t) == 0 &&
          t.tv_sec == 1714557600 + 5400 && t.tv_nsec == 250000000);
    CHECK(ctrlog_parse_rfc3339("2024-13-01", 10, &t) < 0);
    CHECK(ctrlog_parse_rfc3339("2024-05-01T10:00:00", 19, &t) < 0);
    CHECK(ctrlog_parse_rfc3339("2024-05-01T10:00:00+0100", 24, &t) < 0);
    /* the seconds of the last date are remembered: a neighbour, a broken
     * one and the same again must still read right */
    CHECK(ctrlog_parse_rfc3339("2024-05-01T10:00:01Z", 20, &t) == 0 && t.tv_sec == 1714557601);
    CHECK(ctrlog_parse_rfc3339("2024-05-01X10:00:01Z", 20, &t) < 0);
    CHECK(ctrlog_parse_rfc3339("2024-05-01T10:00:01.5Z", 22, &t) == 0 &&
          t.tv_sec == 1714557601 && t.tv_nsec == 500000000);
}

static void t_join_partial(void)
{
    _cleanup_free_ char *p = write_log("a.log", LOG), *out = NULL, *ts = NULL;
    struct ctrlog_opts o = { .tail = -1 };
    int rc;

    out = run(p, &o, false, &rc);
    CHECK_INT(rc, 0);
    CHECK_STR(out, "first\nE:an error\nabcdefghi\n\nlast\ntail");
    ts = run(p, &o, true, &rc);
    CHECK_STR(ts, "2024-05-01T10:00:00.1Z first\nE:2024-05-01T10:00:01.5Z an error\n"
                  "2024-05-01T10:00:01Z abcdefghi\n2024-05-01T10:00:04Z \n"
                  "2024-05-01T10:00:05Z last\n2024-05-01T10:00:06Z tail");
}

static void t_tail(void)
{
    _cleanup_free_ char *p = write_log("b.log", LOG), *a = NULL, *b = NULL, *c = NULL;
    struct ctrlog_opts o = { .tail = 3 };
    int rc;

    a = run(p, &o, false, &rc);
    CHECK_STR(a, "\nlast\ntail");
    o.tail = 5;
    b = run(p, &o, false, &rc);
    /* the P chain abc+def+ghi counts as one message */
    CHECK_STR(b, "E:an error\nabcdefghi\n\nlast\ntail");
    o.tail = 0;
    c = run(p, &o, false, &rc);
    CHECK_STR(c, "");
}

static void t_since_until(void)
{
    _cleanup_free_ char *p = write_log("c.log", LOG), *a = NULL;
    struct ctrlog_opts o = { .tail = -1, .has_since = true, .since = { 1714557601, 0 },
                             .has_until = true, .until = { 1714557604, 0 } };
    int rc;

    a = run(p, &o, false, &rc);
    CHECK_STR(a, "E:an error\nabcdefghi\n\n");
}

static void t_stop(void)
{
    _cleanup_free_ char *p = write_log("d.log", LOG), *a = NULL;
    struct ctrlog_opts o = { .tail = -1 };
    struct collect c = { .out = SBUF_INIT, .stop_after = 2 };
    struct berr *err = NULL;
    int rc = ctrlog_read(p, &o, emit, &c, &err);

    CHECK_INT(rc, 7);
    a = sbuf_steal(&c.out);
    CHECK_STR(a, "first\nE:an error\n");
    CHECK(ctrlog_read("/nonexistent.log", &o, emit, &c, &err) < 0);
    berr_free(err);
}

/* follow: running() appends the rest of a P chain and a new line on its
 * first call and says "stopped" on the third. */
static int calls;
static char *follow_path;

static bool running(void *arg)
{
    (void) arg;
    if (++calls == 1) {
        FILE *f = fopen(follow_path, "ae");
        fputs("2024-05-01T10:00:06.500000000+00:00 stdout F  more\n", f);
        fputs("2024-05-01T10:00:07.000000000+00:00 stdout F done\n", f);
        fputs("2024-05-01T10:00:08.000000000+00:00 stderr P cut\n", f);
        fclose(f);
    }
    return calls < 3;
}

static void t_follow(void)
{
    _cleanup_free_ char *a = NULL;
    struct ctrlog_opts o = { .tail = 2, .follow = true, .running = running };
    int rc;

    follow_path = write_log("e.log", LOG);
    a = run(follow_path, &o, false, &rc);
    CHECK_INT(rc, 0);
    /* tail 2 of the first read: "" and "last" (the pending "tail" P waits) */
    CHECK_STR(a, "\nlast\ntail more\ndone\nE:cut");
    CHECK_INT(calls, 3);
    free(follow_path);
}

int main(void)
{
    struct berr *err = NULL;
    int rc;

    setenv("TZ", "UTC", 1);     /* -t prints local time */
    tzset();
    if (!mkdtemp(dir))
        return 1;
    UNIT_RUN(t_parse_line);
    UNIT_RUN(t_parse_rfc3339);
    UNIT_RUN(t_join_partial);
    UNIT_RUN(t_tail);
    UNIT_RUN(t_since_until);
    UNIT_RUN(t_stop);
    UNIT_RUN(t_follow);
    rc = unit_done();
    fs_rm_rf(dir, &err);
    berr_free(err);
    return rc;
}
