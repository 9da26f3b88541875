/*
 * runtime/events.c: writing the event log (SPEC-podman.md 5.1).
 * A line is built as a JSON object in podman's key order (jansson keeps
 * insertion order; we never dump with JSON_SORT_KEYS here) and appended
 * with one write() on an O_APPEND fd, under events.log.lock. The lock is
 * for rotation: appends alone would already be atomic, but a writer must
 * never append to a file another writer is about to rename away.
 * Reading and filters live in events_read.c; the journald backend's
 * writing and reading in events_journal.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/events_int.h"
#include "runtime/lock.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

static const char *const valid_types[] = {
    "container", "image", "network", "pod", "system", "volume",
};

bool events_type_valid(const char *type)
{
    for (size_t i = 0; i < ARRAY_SIZE(valid_types); i++)
        if (str_eq(type, valid_types[i]))
            return true;
    return false;
}

int events_open(const char *backend, const char *logfile, long long max_size,
                struct events **out, struct berr **err)
{
    struct events *ev;

    if (!backend || !*backend)
        backend = "file";
    if (strcmp(backend, "file") != 0 && strcmp(backend, "none") != 0 &&
        strcmp(backend, "journald") != 0)
        return berr_msg(err, "events backend %s is not supported (use file, journald or none)",
                        backend);
    ev = calloc(1, sizeof(*ev));
    if (!ev)
        return berr_oom(err);
    if (strcmp(backend, "none") == 0 || strcmp(backend, "journald") == 0) {
        ev->none = strcmp(backend, "none") == 0;
        ev->journald = !ev->none;
        *out = ev;
        return 0;
    }
    ev->path = str_dup(logfile);
    ev->dir = fs_dirname(logfile);
    ev->lock = str_fmt("%s.lock", logfile);
    ev->max_size = max_size;
    if (!ev->path || !ev->dir || !ev->lock) {
        events_close(ev);
        return berr_oom(err);
    }
    /* 0700 like podman's; an existing dir keeps its mode. */
    if (fs_mkdir_p(ev->dir, 0700, err) < 0) {
        events_close(ev);
        return berr_wrap(err, "create events dir");
    }
    *out = ev;
    return 0;
}

void events_close(struct events *ev)
{
    if (!ev)
        return;
    free(ev->path);
    free(ev->dir);
    free(ev->lock);
    free(ev);
}

/* ---- the line ---- */

/* Go's encoding/json and jansson escape differently: Go writes '<', '>',
 * '&', U+2028 and U+2029 as \u escapes, \b and \f as \u0008/\u000c, and
 * lower-case hex. These bytes only occur inside strings, so a scan over
 * jansson's output can translate it. */
static int go_escapes(const char *s, struct sbuf *b)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;

        if (c == '\\') {
            char n = s[1];
            if (n == 'b' || n == 'f') {
                sbuf_add(b, n == 'b' ? "\\u0008" : "\\u000c");
                s++;
            } else if (n == 'u') {
                sbuf_add(b, "\\u");
                s += 2;
                for (int i = 0; i < 4 && *s; i++, s++)
                    sbuf_addc(b, (char) (*s >= 'A' && *s <= 'F' ? *s - 'A' + 'a' : *s));
                s--;
            } else if (n) {
                sbuf_addn(b, s, 2);
                s++;
            }
        } else if (c == '<' || c == '>' || c == '&') {
            sbuf_addf(b, "\\u%04x", c);
        } else if (c == 0xe2 && (unsigned char) s[1] == 0x80 &&
                   ((unsigned char) s[2] == 0xa8 || (unsigned char) s[2] == 0xa9)) {
            sbuf_add(b, (unsigned char) s[2] == 0xa8 ? "\\u2028" : "\\u2029");
            s += 2;
        } else {
            sbuf_addc(b, (char) c);
        }
    }
    return b->oom ? -1 : 0;
}

char *events_dump(json_t *obj)
{
    _cleanup_free_ char *raw = json_dumps(obj, JSON_COMPACT);
    struct sbuf b = SBUF_INIT;

    if (!raw || go_escapes(raw, &b) < 0) {
        sbuf_free(&b);
        return NULL;
    }
    return sbuf_steal(&b);
}

/* A string member, omitted when empty (Go's omitempty). */
static int put_opt(json_t *o, const char *key, const char *s)
{
    if (!s || !*s)
        return 0;
    return json_object_set_new(o, key, json_string(s));
}

/* The fields in podman's order: ContainerExitCode ID Image Name network
 * Status Time Type health_status PodID Attributes. attrs: a borrowed
 * object (copied with sorted keys) or NULL for null. */
static json_t *build(long long code, const char *id, const char *image, const char *name,
                     const char *network, const char *status, const char *time,
                     const char *type, const char *health, const char *pod_id, json_t *attrs)
{
    json_t *o = json_object();
    int r = 0;

    if (!o)
        return NULL;
    if (code)
        r |= json_object_set_new(o, "ContainerExitCode", json_integer(code));
    r |= put_opt(o, "ID", id);
    r |= put_opt(o, "Image", image);
    r |= put_opt(o, "Name", name);
    r |= put_opt(o, "network", network);
    r |= json_object_set_new(o, "Status", json_string(status ? status : ""));
    r |= json_object_set_new(o, "Time", json_string(time ? time : ""));
    r |= json_object_set_new(o, "Type", json_string(type ? type : ""));
    r |= put_opt(o, "health_status", health);
    r |= put_opt(o, "PodID", pod_id);
    r |= json_object_set_new(o, "Attributes", attrs ? js_sorted_copy(attrs) : json_null());
    if (r) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The line for a new event, without the newline. */
static char *event_line(const struct event *e)
{
    _cleanup_json_ json_t *o = events_object(e);

    return o ? events_dump(o) : NULL;
}

json_t *events_object(const struct event *e)
{
    _cleanup_json_ json_t *empty = NULL;
    json_t *attrs = e->attributes;
    struct timespec ts = e->time;
    char tbuf[TIME_BUF];

    if (ts.tv_sec == 0 && ts.tv_nsec == 0)
        clock_gettime(CLOCK_REALTIME, &ts);
    /* Container events carry the labels, an empty map when there are none. */
    if (!attrs && str_eq(e->type, "container")) {
        empty = json_object();
        if (!empty)
            return NULL;
        attrs = empty;
    }
    return build(e->exit_code, e->id, e->image, e->name, e->network, e->status,
                 time_rfc3339nano(ts, tbuf, sizeof(tbuf)), e->type, e->health_status, e->pod_id,
                 attrs);
}

int events_to_json(json_t *ev, char **out, struct berr **err)
{
    _cleanup_json_ json_t *o = NULL;
    json_t *attrs = json_object_get(ev, "Attributes");

    o = build(js_int(ev, "ContainerExitCode", 0), js_str(ev, "ID", NULL),
              js_str(ev, "Image", NULL), js_str(ev, "Name", NULL), js_str(ev, "network", NULL),
              js_str(ev, "Status", ""), js_str(ev, "Time", ""), js_str(ev, "Type", ""),
              js_str(ev, "health_status", NULL), js_str(ev, "PodID", NULL),
              json_is_object(attrs) ? attrs : NULL);
    if (!o || !(*out = events_dump(o)))
        return berr_oom(err);
    return 0;
}

/* ---- appending and rotation ---- */

static int open_log(const struct events *ev, int *fd, struct berr **err)
{
    if (*fd >= 0)
        close(*fd);
    *fd = open(ev->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0700);
    return *fd < 0 ? berr_sys(err, "open %s", ev->path) : 0;
}

/* One write() on an O_APPEND fd: the kernel places it at the end as a
 * whole, so lines from concurrent writers never interleave. */
static int append(const struct events *ev, int fd, const char *line, size_t len,
                  struct berr **err)
{
    ssize_t n;

    do
        n = write(fd, line, len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return berr_sys(err, "write %s", ev->path);
    if ((size_t) n != len)
        return berr_new(err, BERR_ENGINE, ENOSPC, "short write to %s", ev->path);
    return 0;
}

/* Keeps the part of the log after the first newline at or past its
 * midpoint (podman's truncate), through a temp file renamed over it so a
 * reader sees the old file or the new one. Returns 1 when rotated. fd:
 * the log open for appending (its size is read there: one open for the
 * check and the line). */
static int rotate(const struct events *ev, int afd, size_t line_len, struct berr **err)
{
    _cleanup_close_ int fd = -1, tfd = -1;
    _cleanup_free_ char *buf = NULL, *tmp = NULL;
    struct stat st;
    off_t mid;
    size_t n = 0;
    char *keep;

    if (fstat(afd, &st) < 0)
        return berr_sys(err, "stat %s", ev->path);
    if ((unsigned long long) st.st_size + line_len < (unsigned long long) ev->max_size)
        return 0;
    fd = open(ev->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return berr_sys(err, "open %s", ev->path);
    mid = st.st_size / 2;
    buf = malloc((size_t) (st.st_size - mid) + 1);
    if (!buf)
        return berr_oom(err);
    while (n < (size_t) (st.st_size - mid)) {
        ssize_t r = pread(fd, buf + n, (size_t) (st.st_size - mid) - n, mid + (off_t) n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return berr_sys(err, "read %s", ev->path);
        if (r == 0)
            break;
        n += (size_t) r;
    }
    keep = memchr(buf, '\n', n);
    keep = keep ? keep + 1 : buf + n;
    tmp = str_fmt("%s/.events.log.XXXXXX", ev->dir);
    if (!tmp)
        return berr_oom(err);
    tfd = mkostemp(tmp, O_CLOEXEC);
    if (tfd < 0)
        return berr_sys(err, "create temporary file in %s", ev->dir);
    if (fchmod(tfd, 0700) < 0 || fs_write_all(tfd, keep, (size_t) (buf + n - keep)) < 0 ||
        rename(tmp, ev->path) < 0) {
        berr_sys(err, "rotate %s", ev->path);
        (void) unlink(tmp);
        return -1;
    }
    return 1;
}

static int write_line(const struct events *ev, int fd, const char *line, struct berr **err)
{
    _cleanup_free_ char *nl = str_fmt("%s\n", line);

    if (!nl)
        return berr_oom(err);
    return append(ev, fd, nl, strlen(nl), err);
}

int events_write(struct events *ev, const struct event *e, struct berr **err)
{
    _cleanup_free_ char *line = NULL;
    _cleanup_lock_ struct lock lk = LOCK_INIT;
    _cleanup_close_ int fd = -1;
    int r;

    if (!ev || ev->none)
        return 0;
    if (!events_type_valid(e->type))
        return berr_msg(err, "event type %s is not valid", e->type ? e->type : "");
    if (ev->journald)
        return events_journal_write(e, err);
    line = event_line(e);
    if (!line)
        return berr_oom(err);
    if (lock_path(ev->lock, true, &lk, err) < 0 || open_log(ev, &fd, err) < 0)
        return -1;
    if (ev->max_size > 0) {
        r = rotate(ev, fd, strlen(line), err);
        if (r < 0)
            return -1;
        if (r > 0) {
            struct event rot = { .type = "system", .status = "log-rotation", .name = ev->path };
            _cleanup_free_ char *rl = event_line(&rot);

            if (!rl)
                return berr_oom(err);
            /* the rename left fd on the old file */
            if (open_log(ev, &fd, err) < 0 || write_line(ev, fd, rl, err) < 0)
                return -1;
        }
    }
    return write_line(ev, fd, line, err);
}

void rt_event(struct runtime *rt, const struct event *e)
{
    struct berr *err = NULL;

    if (!rt->ev)
        return;
    if (events_write(rt->ev, e, &err) < 0) {
        log_warn("Unable to write %s event: %s", e->status, err->msg);
        berr_free(err);
    }
}
