/*
 * runtime/ctrlog.c: the k8s-file log reader (format and rules in ctrlog.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/ctrlog.h"
#include "util/cleanup.h"
#include "util/timefmt.h"

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* The seconds of "YYYY-MM-DDTHH:MM:SS", the last one that parsed: a log's
 * lines come in runs of one second, and reading 10,000 lines spent a
 * third of its instructions parsing the same date again. */
static __thread char memo_text[19];
static __thread time_t memo_t;
static __thread bool memo_ok;

int ctrlog_parse_rfc3339(const char *s, size_t len, struct timespec *out)
{
    int Y, M, D, h = 0, m = 0, sec = 0, oh, om;
    long ns = 0;
    size_t i = 19;
    time_t t;
    bool memo_hit = len >= 20 && memo_ok && memcmp(s, memo_text, 19) == 0;

    if (!memo_hit && (len < 10 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) ||
                      s[7] != '-' || digits(s + 8, 2, &D)))
        return -1;
    if (len == 10) {
        i = 10;
    } else {
        if (!memo_hit && (len < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
                          digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &m) ||
                          s[16] != ':' || digits(s + 17, 2, &sec)))
            return -1;
        if (i < len && s[i] == '.') {
            long scale = 100000000;
            for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
                ns += (s[i] - '0') * scale;
                scale /= 10;
            }
        }
    }
    if (memo_hit) {
        t = memo_t;
    } else {
        if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
            return -1;
        t = (time_t) (days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec);
        if (len >= 20) {
            memcpy(memo_text, s, 19);
            memo_t = t;
            memo_ok = true;
        }
    }
    if (i < len) {
        if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
            /* UTC */
        } else if ((s[i] == '+' || s[i] == '-') && len - i == 6 && !digits(s + i + 1, 2, &oh) &&
                   s[i + 3] == ':' && !digits(s + i + 4, 2, &om)) {
            long off = oh * 3600L + om * 60L;
            t -= s[i] == '+' ? off : -off;
        } else {
            return -1;
        }
    } else if (len != 10) {
        return -1;
    }
    out->tv_sec = t;
    out->tv_nsec = ns;
    return 0;
}

int ctrlog_parse_line(const char *line, size_t len, struct log_rec *r)
{
    const char *sp1 = memchr(line, ' ', len), *p;
    size_t rest;

    if (!sp1)
        return -1;
    r->tstext = line;
    r->tslen = (size_t) (sp1 - line);
    if (ctrlog_parse_rfc3339(line, r->tslen, &r->ts) < 0)
        return -1;
    p = sp1 + 1;
    rest = len - (size_t) (p - line);
    if (rest >= 7 && memcmp(p, "stdout ", 7) == 0)
        r->is_stderr = false;
    else if (rest >= 7 && memcmp(p, "stderr ", 7) == 0)
        r->is_stderr = true;
    else
        return -1;
    p += 7;
    rest -= 7;
    if (rest < 1 || (p[0] != 'P' && p[0] != 'F') || (rest > 1 && p[1] != ' '))
        return -1;
    r->partial = p[0] == 'P';
    r->content = rest > 1 ? p + 2 : p + 1;
    r->len = rest > 1 ? rest - 2 : 0;
    return 0;
}

/* ---- the reader ---- */

struct pending {                /* a P chain per stream */
    struct sbuf text;
    struct timespec ts;
    char tstext[64];
    size_t tslen;
    bool active;
};

struct reader {
    const struct ctrlog_opts *o;
    int (*emit)(void *arg, const struct log_msg *m);
    void *arg;
    struct pending pend[2];
    /* tail: a ring of the last N messages before the end of the first read */
    bool collecting;
    struct log_msg *ring;
    char **ring_text;           /* owned copies of text and tstext */
    size_t ring_n, ring_head;
    int stop;
};

static bool in_range(const struct ctrlog_opts *o, struct timespec ts)
{
    if (o->has_since && (ts.tv_sec < o->since.tv_sec ||
                         (ts.tv_sec == o->since.tv_sec && ts.tv_nsec < o->since.tv_nsec)))
        return false;
    if (o->has_until && (ts.tv_sec > o->until.tv_sec ||
                         (ts.tv_sec == o->until.tv_sec && ts.tv_nsec > o->until.tv_nsec)))
        return false;
    return true;
}

static int deliver(struct reader *r, const struct log_msg *m)
{
    if (!in_range(r->o, m->ts))
        return 0;
    if (r->collecting && r->o->tail >= 0) {
        size_t cap = (size_t) r->o->tail, slot;
        char *copy;
        if (!cap)
            return 0;
        slot = (r->ring_head + r->ring_n) % cap;
        if (r->ring_n == cap) {
            slot = r->ring_head;
            r->ring_head = (r->ring_head + 1) % cap;
        } else {
            r->ring_n++;
        }
        copy = malloc(m->tslen + m->len + 2);
        if (!copy)
            return -1;
        memcpy(copy, m->tstext, m->tslen);
        memcpy(copy + m->tslen + 1, m->text, m->len);
        free(r->ring_text[slot]);
        r->ring_text[slot] = copy;
        r->ring[slot] = *m;
        r->ring[slot].tstext = copy;
        r->ring[slot].text = copy + m->tslen + 1;
        return 0;
    }
    return r->emit(r->arg, m);
}

static int on_record(struct reader *r, const struct log_rec *rec)
{
    struct pending *p = &r->pend[rec->is_stderr];
    struct log_msg m = { .is_stderr = rec->is_stderr, .newline = true };

    if (!p->active) {
        p->active = true;
        p->ts = rec->ts;
        p->tslen = rec->tslen < sizeof(p->tstext) ? rec->tslen : sizeof(p->tstext) - 1;
        memcpy(p->tstext, rec->tstext, p->tslen);
        sbuf_reset(&p->text);
    }
    sbuf_addn(&p->text, rec->content, rec->len);
    if (p->text.oom)
        return -1;
    if (rec->partial)
        return 0;
    m.ts = p->ts;
    m.tstext = p->tstext;
    m.tslen = p->tslen;
    m.text = sbuf_str(&p->text);
    m.len = p->text.len;
    p->active = false;
    return deliver(r, &m);
}

/* The log is final: pending partial lines come out without a newline. */
static int flush_partial(struct reader *r)
{
    for (int s = 0; s < 2; s++) {
        struct pending *p = &r->pend[s];
        struct log_msg m = { .is_stderr = s == 1, .newline = false };
        int rc;
        if (!p->active)
            continue;
        m.ts = p->ts;
        m.tstext = p->tstext;
        m.tslen = p->tslen;
        m.text = sbuf_str(&p->text);
        m.len = p->text.len;
        p->active = false;
        if ((rc = deliver(r, &m)) != 0)
            return rc;
    }
    return 0;
}

/* Reads whatever is new; lines without their newline yet stay in *carry. */
static int read_more(struct reader *r, int fd, struct sbuf *carry)
{
    for (;;) {
        ssize_t n;
        size_t start = 0;
        /* straight into carry's tail: a 64 KiB stack buffer cost 16 page
         * faults to touch and a copy of every byte */
        if (sbuf_reserve(carry, 65536) < 0)
            return -1;
        n = read(fd, carry->buf + carry->len, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        carry->len += (size_t) n;
        carry->buf[carry->len] = '\0';
        for (;;) {
            char *nl = memchr(carry->buf + start, '\n', carry->len - start);
            struct log_rec rec;
            int rc;
            if (!nl)
                break;
            if (ctrlog_parse_line(carry->buf + start, (size_t) (nl - carry->buf) - start, &rec) == 0 &&
                (rc = on_record(r, &rec)) != 0) {
                r->stop = rc;
                return 0;
            }
            start = (size_t) (nl - carry->buf) + 1;
        }
        memmove(carry->buf, carry->buf + start, carry->len - start);
        carry->len -= start;
    }
}

static int emit_ring(struct reader *r)
{
    size_t cap = r->o->tail > 0 ? (size_t) r->o->tail : 0;

    r->collecting = false;
    for (size_t i = 0; i < r->ring_n; i++) {
        int rc = r->emit(r->arg, &r->ring[(r->ring_head + i) % cap]);
        if (rc)
            return rc;
    }
    return 0;
}

static bool replaced(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && (stat(path, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev ||
                                  b.st_size < a.st_size);
}

static int follow(struct reader *r, const char *path, int *fd, struct sbuf *carry, struct berr **err)
{
    _cleanup_close_ int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    int wd = -1;

    for (;;) {
        struct pollfd p = { .fd = in, .events = POLLIN };
        bool alive;

        if (in >= 0 && wd < 0)
            wd = inotify_add_watch(in, path, IN_MODIFY | IN_MOVE_SELF | IN_DELETE_SELF | IN_ATTRIB);
        if (r->o->waiting)
            r->o->waiting(r->o->arg);
        if (in >= 0 && poll(&p, 1, 250) > 0) {
            char ev[4096];
            while (read(in, ev, sizeof(ev)) > 0)
                ;
        } else if (in < 0) {
            struct timespec d = { 0, 250000000 };
            nanosleep(&d, NULL);
        }
        alive = r->o->running ? r->o->running(r->o->arg) : false;
        if (read_more(r, *fd, carry) < 0)
            return berr_sys(err, "read %s", path);
        if (r->stop)
            return 0;
        if (replaced(*fd, path)) {
            int nfd = open(path, O_RDONLY | O_CLOEXEC);
            if (nfd >= 0) {
                close(*fd);
                *fd = nfd;
                sbuf_reset(carry);
                if (wd >= 0)
                    inotify_rm_watch(in, wd);
                wd = -1;
                if (read_more(r, *fd, carry) < 0)
                    return berr_sys(err, "read %s", path);
            }
        }
        if (!alive)
            return 0;
    }
}

int ctrlog_read(const char *path, const struct ctrlog_opts *o,
                int (*emit)(void *arg, const struct log_msg *m), void *arg, struct berr **err)
{
    struct reader r = { .o = o, .emit = emit, .arg = arg, .collecting = o->tail >= 0 };
    _cleanup_sbuf_ struct sbuf carry = SBUF_INIT;
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc = 0;

    r.pend[0].text = (struct sbuf) SBUF_INIT;
    r.pend[1].text = (struct sbuf) SBUF_INIT;
    if (fd < 0)
        return berr_sys(err, "open log file %s", path);
    if (o->tail > 0) {
        r.ring = calloc((size_t) o->tail, sizeof(*r.ring));
        r.ring_text = calloc((size_t) o->tail, sizeof(char *));
        if (!r.ring || !r.ring_text) {
            rc = berr_oom(err);
            goto out;
        }
    }
    if (read_more(&r, fd, &carry) < 0) {
        rc = berr_sys(err, "read %s", path);
        goto out;
    }
    /* without follow the log is final now; with it, a pending P waits */
    if (!r.stop && !o->follow)
        r.stop = flush_partial(&r);
    if (!r.stop)
        r.stop = emit_ring(&r);
    if (!r.stop && o->follow) {
        if (follow(&r, path, &fd, &carry, err) < 0) {
            rc = -1;
            goto out;
        }
        if (!r.stop)
            r.stop = flush_partial(&r);
    }
    rc = r.stop > 0 ? r.stop : r.stop < 0 ? berr_oom(err) : 0;
out:
    for (long i = 0; r.ring_text && i < o->tail; i++)
        free(r.ring_text[i]);
    free(r.ring_text);
    free(r.ring);
    sbuf_free(&r.pend[0].text);
    sbuf_free(&r.pend[1].text);
    return rc;
}

void ctrlog_format(struct sbuf *b, const struct log_msg *m, bool timestamps, const char *prefix)
{
    char buf[TIME_BUF];

    if (prefix)
        sbuf_add(b, prefix);
    if (timestamps)
        sbuf_addf(b, "%s ", time_rfc3339nano(m->ts, buf, sizeof(buf)));
    sbuf_addn(b, m->text, m->len);
    if (m->newline)
        sbuf_addc(b, '\n');
}

/* ---- the same reader over records from elsewhere (ctrlog_journal.c) ---- */

struct ctrlog_sink {
    struct reader r;
};

int ctrlog_sink_new(const struct ctrlog_opts *o, int (*emit)(void *arg, const struct log_msg *m),
                    void *arg, struct ctrlog_sink **out, struct berr **err)
{
    struct ctrlog_sink *s = calloc(1, sizeof(*s));

    if (!s)
        return berr_oom(err);
    s->r = (struct reader) { .o = o, .emit = emit, .arg = arg, .collecting = o->tail >= 0 };
    s->r.pend[0].text = (struct sbuf) SBUF_INIT;
    s->r.pend[1].text = (struct sbuf) SBUF_INIT;
    if (o->tail > 0) {
        s->r.ring = calloc((size_t) o->tail, sizeof(*s->r.ring));
        s->r.ring_text = calloc((size_t) o->tail, sizeof(char *));
        if (!s->r.ring || !s->r.ring_text) {
            ctrlog_sink_free(s);
            return berr_oom(err);
        }
    }
    *out = s;
    return 0;
}

int ctrlog_sink_record(struct ctrlog_sink *s, const struct log_rec *rec)
{
    if (!s->r.stop)
        s->r.stop = on_record(&s->r, rec);
    return s->r.stop;
}

int ctrlog_sink_caught_up(struct ctrlog_sink *s, bool final)
{
    if (!s->r.stop && final)
        s->r.stop = flush_partial(&s->r);
    if (!s->r.stop && s->r.collecting)
        s->r.stop = emit_ring(&s->r);
    return s->r.stop;
}

void ctrlog_sink_free(struct ctrlog_sink *s)
{
    if (!s)
        return;
    for (long i = 0; s->r.ring_text && i < s->r.o->tail; i++)
        free(s->r.ring_text[i]);
    free(s->r.ring_text);
    free(s->r.ring);
    sbuf_free(&s->r.pend[0].text);
    sbuf_free(&s->r.pend[1].text);
    free(s);
}
