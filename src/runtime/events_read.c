/*
 * runtime/events_read.c: reading the event log for `berth events`
 * (SPEC-podman.md 5.2): filters, since/until, and following the file.
 *
 * Following: an inotify watch on the log's directory wakes us for writes
 * (IN_MODIFY) and for a new file under the log's name (IN_CREATE, or
 * IN_MOVED_TO when a rotation renames the trimmed copy over it). After
 * each wake-up we read the open file to its end, then compare inodes:
 * a different file at the path means it was rotated or recreated. The
 * new file starts with the newest half of the old one, which we have
 * already passed: we skip through the last line we saw, or take the file
 * from the start when that line is not in it (then all of it is new).
 * SIGINT and SIGTERM end a stream cleanly: they are blocked except inside
 * ppoll() and while callbacks run, and their handler only sets a flag.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/events_int.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

/* ---- filters ---- */

/* Values of one key are OR'ed, keys are AND'ed (podman groups them by
 * the lower-cased key, so "event" and "status" are two keys): struct
 * filters in events_int.h. */

static const char *const filter_keys[] = {
    "container", "event", "status", "image", "pod", "volume", "network", "type", "label",
};

static void filters_free(struct filters *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->g[i].key);
        strv_free(f->g[i].vals);
    }
    free(f->g);
    f->g = NULL;
    f->n = 0;
}

static int filters_add(struct filters *f, char *key, const char *val, struct berr **err)
{
    struct filter_group *g;
    size_t i;

    for (i = 0; i < f->n; i++)
        if (strcmp(f->g[i].key, key) == 0)
            break;
    if (i == f->n) {
        g = realloc(f->g, (f->n + 1) * sizeof(*g));
        if (!g)
            return berr_oom(err);
        f->g = g;
        f->g[f->n++] = (struct filter_group) { .key = str_dup(key) };
        if (!f->g[i].key)
            return berr_oom(err);
    }
    if (strv_push(&f->g[i].vals, val) < 0)
        return berr_oom(err);
    return 0;
}

static int filters_parse(char **in, struct filters *out, struct berr **err)
{
    for (size_t i = 0; in && in[i]; i++) {
        const char *eq = strchr(in[i], '=');
        _cleanup_free_ char *key = NULL;
        bool known = false;

        if (!eq) {
            filters_free(out);
            return berr_new(err, BERR_ENGINE, 0, "%s is an invalid filter", in[i]);
        }
        key = str_ndup(in[i], (size_t) (eq - in[i]));
        if (!key) {
            filters_free(out);
            return berr_oom(err);
        }
        str_lower(key);
        for (size_t k = 0; k < ARRAY_SIZE(filter_keys); k++)
            known |= strcmp(key, filter_keys[k]) == 0;
        if (!known) {
            filters_free(out);
            return berr_new(err, BERR_ENGINE, 0, "%.*s is an invalid filter",
                            (int) (eq - in[i]), in[i]);
        }
        if (filters_add(out, key, eq + 1, err) < 0) {
            filters_free(out);
            return -1;
        }
    }
    return 0;
}

int events_check_filters(char **filters, struct berr **err)
{
    struct filters f = { 0 };

    if (filters_parse(filters, &f, err) < 0)
        return -1;
    filters_free(&f);
    return 0;
}

/* Type is t and (Name equals v or ID starts with v). */
static bool name_or_id(json_t *ev, const char *t, const char *v)
{
    const char *id = js_str(ev, "ID", "");

    return str_eq(js_str(ev, "Type", ""), t) &&
           (str_eq(js_str(ev, "Name", ""), v) || str_has_prefix(id, v));
}

static bool match_one(const char *key, const char *v, json_t *ev)
{
    if (!strcmp(key, "container") || !strcmp(key, "image") || !strcmp(key, "pod"))
        return name_or_id(ev, key, v);
    if (!strcmp(key, "volume"))     /* podman 4.3.1 looks at the ID only: never matches */
        return name_or_id(ev, "volume", v);
    if (!strcmp(key, "network"))
        return str_eq(js_str(ev, "Type", ""), "network") &&
               (str_eq(js_str(ev, "network", ""), v) || str_has_prefix(js_str(ev, "ID", ""), v));
    if (!strcmp(key, "event") || !strcmp(key, "status"))
        return str_eq(js_str(ev, "Status", ""), v);
    if (!strcmp(key, "type"))
        return str_eq(js_str(ev, "Type", ""), v);
    if (!strcmp(key, "label")) {
        json_t *attrs = json_object_get(ev, "Attributes");
        const char *eq = strchr(v, '=');
        json_t *got;

        if (!json_is_object(attrs))
            return false;
        if (!eq)        /* label=k: the key is there, whatever its value */
            return json_object_get(attrs, v) != NULL;
        got = json_object_getn(attrs, v, (size_t) (eq - v));
        return json_is_string(got) && strcmp(json_string_value(got), eq + 1) == 0;
    }
    return false;
}

static bool filters_match(const struct filters *f, json_t *ev)
{
    for (size_t i = 0; i < f->n; i++) {
        bool any = false;

        for (char **v = f->g[i].vals; v && *v && !any; v++)
            any = match_one(f->g[i].key, *v, ev);
        if (!any)
            return false;
    }
    return true;
}

bool events_filters_match(const struct filters *f, json_t *ev)
{
    return filters_match(f, ev);
}

/* ---- lines ---- */

static volatile sig_atomic_t stop_signal;

struct reader {
    const struct events *ev;
    const struct events_query *q;
    struct filters f;
    int (*fn)(json_t *ev, void *ctx);
    void *ctx;
    int fd;                 /* the log, -1 while there is none */
    struct sbuf pending;    /* read, not yet a whole line */
    struct sbuf last;       /* stream: the last whole line seen in fd */
    int stopped;            /* fn's non-zero result */
};

/* 0 to go on (also after a skipped line), -1 on a bad event type. */
static int handle_line(struct reader *r, const char *line, size_t len, struct berr **err)
{
    _cleanup_json_ json_t *ev = NULL;
    json_error_t je;
    const char *type;
    struct timespec t;

    if (r->q->stream && (sbuf_reset(&r->last), sbuf_addn(&r->last, line, len) < 0))
        return berr_oom(err);
    if (len == 0)
        return 0;
    ev = js_loadb(line, len, 0, &je);
    if (!json_is_object(ev)) {
        log_debug("Skipping an unreadable line in %s: %s", r->ev->path,
                  ev ? "not an object" : je.text);
        return 0;
    }
    type = js_str(ev, "Type", "");
    if (!events_type_valid(type))
        return berr_new(err, BERR_ENGINE, 0, "event type %s is not valid in %s", type,
                        r->ev->path);
    if (time_parse_rfc3339(js_str(ev, "Time", ""), &t, NULL, NULL) < 0) {
        log_debug("Skipping an event with a bad time in %s: %.*s", r->ev->path, (int) len, line);
        return 0;
    }
    if (r->q->has_since && time_cmp(t, r->q->since) <= 0)
        return 0;
    if (r->q->has_until && time_cmp(t, r->q->until) >= 0)
        return 0;
    if (!filters_match(&r->f, ev))
        return 0;
    r->stopped = r->fn(ev, r->ctx);
    return 0;
}

/* Hands every whole line of pending to handle_line and keeps the rest;
 * with final, the rest too (a last line without its newline). */
static int handle_pending(struct reader *r, bool final, struct berr **err)
{
    size_t off = 0;
    char *nl;

    while (!r->stopped && !stop_signal && off < r->pending.len &&
           (nl = memchr(r->pending.buf + off, '\n', r->pending.len - off))) {
        size_t len = (size_t) (nl - (r->pending.buf + off));

        if (handle_line(r, r->pending.buf + off, len, err) < 0)
            return -1;
        off += len + 1;
    }
    if (final && !r->stopped && !stop_signal && off < r->pending.len) {
        if (handle_line(r, r->pending.buf + off, r->pending.len - off, err) < 0)
            return -1;
        off = r->pending.len;
    }
    if (off) {
        memmove(r->pending.buf, r->pending.buf + off, r->pending.len - off);
        r->pending.len -= off;
    }
    return 0;
}

/* Reads fd to its current end into pending. */
static int fill(struct reader *r, struct berr **err)
{
    char buf[65536];

    while (r->fd >= 0) {
        ssize_t n = read(r->fd, buf, sizeof(buf));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berr_sys(err, "read %s", r->ev->path);
        if (n == 0)
            break;
        if (sbuf_addn(&r->pending, buf, (size_t) n) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int drain(struct reader *r, bool final, struct berr **err)
{
    if (fill(r, err) < 0)
        return -1;
    return handle_pending(r, final, err);
}

static int open_log(struct reader *r, struct berr **err)
{
    r->fd = open(r->ev->path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0 && errno != ENOENT)
        return berr_sys(err, "open %s", r->ev->path);
    return 0;
}

/* Streaming without since/until starts at the end of the log. The last
 * whole line before that point becomes the mark a rotation is matched
 * against; a line still being written is read when it completes. */
static int seek_end(struct reader *r, struct berr **err)
{
    char buf[65536];
    struct stat st;
    off_t start;
    ssize_t n;
    char *nl, *prev;

    if (r->fd < 0)
        return 0;
    if (fstat(r->fd, &st) < 0)
        return berr_sys(err, "stat %s", r->ev->path);
    start = st.st_size > (off_t) sizeof(buf) ? st.st_size - (off_t) sizeof(buf) : 0;
    n = pread(r->fd, buf, (size_t) (st.st_size - start), start);
    if (n < 0)
        return berr_sys(err, "read %s", r->ev->path);
    nl = memrchr(buf, '\n', (size_t) n);
    if (!nl) {
        if (lseek(r->fd, st.st_size, SEEK_SET) < 0)
            return berr_sys(err, "seek %s", r->ev->path);
        return 0;
    }
    prev = memrchr(buf, '\n', (size_t) (nl - buf));
    prev = prev ? prev + 1 : buf;
    if (prev > buf || start == 0)   /* a whole line, not a cut-off one */
        if (sbuf_addn(&r->last, prev, (size_t) (nl - prev)) < 0)
            return berr_oom(err);
    if (lseek(r->fd, start + (nl + 1 - buf), SEEK_SET) < 0)
        return berr_sys(err, "seek %s", r->ev->path);
    return 0;
}

/* The file at the path is no longer the one we read: finish the old one,
 * open the new one and skip what we saw before the rotation. */
static int reopen(struct reader *r, struct berr **err)
{
    if (drain(r, false, err) < 0)
        return -1;
    if (r->stopped || stop_signal)
        return 0;
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    sbuf_reset(&r->pending);    /* a cut-off last line of the old file */
    if (open_log(r, err) < 0 || fill(r, err) < 0)
        return -1;
    if (r->last.len > 0 && r->pending.len > 0) {
        const char *buf = r->pending.buf, *end = buf + r->pending.len, *p = buf;
        size_t nlen = r->last.len;

        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t) (end - p));

            if (!nl)
                break;
            if ((size_t) (nl - p) == nlen && memcmp(p, r->last.buf, nlen) == 0) {
                size_t skip = (size_t) (nl + 1 - buf);

                memmove(r->pending.buf, r->pending.buf + skip, r->pending.len - skip);
                r->pending.len -= skip;
                break;
            }
            p = nl + 1;
        }
    }
    return handle_pending(r, false, err);
}

/* Whether the path now names another file than the one open. */
static bool replaced(const struct reader *r)
{
    struct stat a, b;

    if (stat(r->ev->path, &a) < 0)
        return false;           /* gone: wait for the next one */
    if (r->fd < 0 || fstat(r->fd, &b) < 0)
        return true;
    return a.st_ino != b.st_ino || a.st_dev != b.st_dev;
}

/* ---- following ---- */

static void on_stop(int sig)
{
    (void) sig;
    stop_signal = 1;
}

struct sigsave {
    struct sigaction oint, oterm;
    sigset_t omask;         /* the mask before we blocked INT/TERM */
    sigset_t waitmask;      /* omask without INT/TERM, for ppoll */
    sigset_t stopset;
};

static void sig_setup(struct sigsave *s)
{
    /* No SA_RESTART: a signal interrupts a blocked read or write. */
    struct sigaction sa = { .sa_handler = on_stop };

    sigemptyset(&sa.sa_mask);
    sigemptyset(&s->stopset);
    sigaddset(&s->stopset, SIGINT);
    sigaddset(&s->stopset, SIGTERM);
    stop_signal = 0;
    sigprocmask(SIG_BLOCK, &s->stopset, &s->omask);
    s->waitmask = s->omask;
    sigdelset(&s->waitmask, SIGINT);
    sigdelset(&s->waitmask, SIGTERM);
    sigaction(SIGINT, &sa, &s->oint);
    sigaction(SIGTERM, &sa, &s->oterm);
}

static void sig_restore(struct sigsave *s)
{
    sigaction(SIGINT, &s->oint, NULL);
    sigaction(SIGTERM, &s->oterm, NULL);
    sigprocmask(SIG_SETMASK, &s->omask, NULL);
}

/* Until the deadline: remaining time into *rel; false once it passed. */
static bool time_left(const struct events_query *q, struct timespec *rel)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    if (time_cmp(now, q->until) >= 0)
        return false;
    rel->tv_sec = q->until.tv_sec - now.tv_sec;
    rel->tv_nsec = q->until.tv_nsec - now.tv_nsec;
    if (rel->tv_nsec < 0) {
        rel->tv_nsec += 1000000000L;
        rel->tv_sec--;
    }
    return true;
}

static int wait_inotify(int ifd, struct berr **err)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));

    for (;;) {
        ssize_t n = read(ifd, buf, sizeof(buf));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return 0;
        if (n < 0)
            return berr_sys(err, "read inotify events");
        if (n == 0)
            return 0;
        /* The contents do not matter: every wake-up drains and checks. */
    }
}

static int follow(struct reader *r, struct sigsave *ss, int ifd, struct berr **err)
{
    for (;;) {
        struct pollfd pfd = { .fd = ifd, .events = POLLIN };
        struct timespec rel;
        int n;

        /* Signals may arrive while we read and while callbacks print. */
        sigprocmask(SIG_SETMASK, &ss->waitmask, NULL);
        if (replaced(r)) {
            if (reopen(r, err) < 0)
                return -1;
        } else if (drain(r, false, err) < 0) {
            return -1;
        }
        sigprocmask(SIG_BLOCK, &ss->stopset, NULL);
        if (r->stopped || stop_signal)
            return 0;
        if (r->q->has_until && !time_left(r->q, &rel))
            return 0;
        n = ppoll(&pfd, 1, r->q->has_until ? &rel : NULL, &ss->waitmask);
        if (n < 0 && errno != EINTR)
            return berr_sys(err, "wait for events");
        if (n > 0 && wait_inotify(ifd, err) < 0)
            return -1;
    }
}

static int read_stream(struct reader *r, bool from_start, struct berr **err)
{
    _cleanup_close_ int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    struct sigsave ss;
    int rc;

    if (ifd < 0)
        return berr_sys(err, "inotify");
    /* Watch first, then open: a write in between is seen either way. */
    if (inotify_add_watch(ifd, r->ev->dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
        return berr_sys(err, "watch %s", r->ev->dir);
    if (open_log(r, err) < 0)
        return -1;
    if (!from_start && seek_end(r, err) < 0)
        return -1;
    sig_setup(&ss);
    rc = follow(r, &ss, ifd, err);
    sig_restore(&ss);
    return rc;
}

int events_read(struct events *ev, const struct events_query *q,
                int (*fn)(json_t *ev, void *ctx), void *ctx, struct berr **err)
{
    struct reader r = { .ev = ev, .q = q, .fn = fn, .ctx = ctx, .fd = -1,
                        .pending = SBUF_INIT, .last = SBUF_INIT };
    int rc;

    if (filters_parse(q->filters, &r.f, err) < 0)
        return -1;
    if (!ev || ev->none) {
        filters_free(&r.f);
        /* podman's: nothing was written, and it says so */
        return berr_msg(err, "cannot read events with the \"none\" backend");
    }
    stop_signal = 0;
    if (ev->journald) {
        rc = events_journal_read(&r.f, q, fn, ctx, err);
        filters_free(&r.f);
        return rc;
    }
    if (q->stream) {
        rc = read_stream(&r, q->has_since || q->has_until, err);
    } else {
        rc = open_log(&r, err);
        if (rc == 0)
            rc = drain(&r, true, err);
    }
    if (r.fd >= 0)
        close(r.fd);
    filters_free(&r.f);
    sbuf_free(&r.pending);
    sbuf_free(&r.last);
    if (rc < 0)
        return -1;
    return r.stopped;
}
