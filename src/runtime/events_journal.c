/*
 * runtime/events_journal.c: the journald events backend
 * (events_logger = "journald", --events-backend journald).
 *
 * Writing: one journal entry per event with podman's fields
 * (libpod/events/journal_linux.go): SYSLOG_IDENTIFIER=podman,
 * PODMAN_EVENT, PODMAN_TYPE, PODMAN_TIME (RFC3339Nano), and by type
 * PODMAN_ID, PODMAN_NAME, PODMAN_IMAGE, PODMAN_EXIT_CODE (when not 0),
 * PODMAN_POD_ID, PODMAN_LABELS (the labels as a JSON object, when there
 * are any), PODMAN_HEALTH_STATUS, PODMAN_NETWORK_NAME. MESSAGE is a
 * short line for journalctl readers ("container start ID (name=N)");
 * podman's is its human-readable event line, which nothing reads back.
 *
 * Reading: the entries with SYSLOG_IDENTIFIER=podman, turned back into
 * the object a file line holds, so filters, --format and json print the
 * same as with the file backend. Like podman, an entry that does not
 * decode is skipped, and a stream without --since/--until starts at the
 * journal's end. A stream waits on the journal until --until passes;
 * SIGINT and SIGTERM end it with 0, as they end a stream of the file
 * (their handler sets a flag; the wait wakes at least every 250 ms).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/events_int.h"
#include "runtime/journal.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/lazysd.h"
#include "util/str.h"
#include "util/timefmt.h"

/* ---- writing ---- */

static bool is_ctr_or_pod(const char *type)
{
    return str_eq(type, "container") || str_eq(type, "pod");
}

int events_journal_write(const struct event *e, struct berr **err)
{
    _cleanup_free_ char *labels = NULL, *msg = NULL;
    char tbuf[TIME_BUF], code[16];
    struct timespec ts = e->time;
    const char *t = e->type;
    bool cp = is_ctr_or_pod(t), net = str_eq(t, "network");
    const char *id = cp || net || str_eq(t, "image") ? e->id : NULL;
    const char *name = cp || str_eq(t, "image") || str_eq(t, "volume") ? e->name : NULL;

    if (ts.tv_sec == 0 && ts.tv_nsec == 0)
        clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(code, sizeof(code), "%d", e->exit_code);
    if (cp && e->attributes && json_object_size(e->attributes) > 0 &&
        !(labels = json_dumps(e->attributes, JSON_COMPACT | JSON_SORT_KEYS)))
        return berr_oom(err);
    msg = str_fmt("%s %s%s%s%s%s%s", t, e->status, id && *id ? " " : "", id ? id : "",
                  name && *name ? " (name=" : "", name && *name ? name : "",
                  name && *name ? ")" : "");
    if (!msg)
        return berr_oom(err);
    const struct journal_field f[] = {
        { "MESSAGE", msg },
        { "PRIORITY", "6" },
        { "SYSLOG_IDENTIFIER", "podman" },
        { "PODMAN_EVENT", e->status },
        { "PODMAN_TYPE", t },
        { "PODMAN_TIME", time_rfc3339nano(ts, tbuf, sizeof(tbuf)) },
        { "PODMAN_ID", id },
        { "PODMAN_NAME", name },
        { "PODMAN_IMAGE", cp ? (e->image ? e->image : "") : NULL },
        { "PODMAN_EXIT_CODE", cp && e->exit_code ? code : NULL },
        { "PODMAN_POD_ID", cp && e->pod_id && *e->pod_id ? e->pod_id : NULL },
        { "PODMAN_LABELS", labels },
        /* podman 4.3 writes it for every container and pod event */
        { "PODMAN_HEALTH_STATUS", cp ? (e->health_status ? e->health_status : "") : NULL },
        { "PODMAN_NETWORK_NAME", net ? (e->network ? e->network : "") : NULL },
    };
    return journal_send(f, ARRAY_SIZE(f), err);
}

/* ---- reading ---- */

/* The current entry as a file line's object; NULL when it does not
 * decode (no valid type or time) or out of memory. */
static json_t *entry_event(sd_journal *j)
{
    _cleanup_free_ char *type = journal_field_dup(j, "PODMAN_TYPE");
    _cleanup_free_ char *status = journal_field_dup(j, "PODMAN_EVENT");
    _cleanup_free_ char *time = journal_field_dup(j, "PODMAN_TIME");
    _cleanup_free_ char *id = journal_field_dup(j, "PODMAN_ID");
    _cleanup_free_ char *name = journal_field_dup(j, "PODMAN_NAME");
    _cleanup_free_ char *image = journal_field_dup(j, "PODMAN_IMAGE");
    _cleanup_free_ char *code = journal_field_dup(j, "PODMAN_EXIT_CODE");
    _cleanup_free_ char *pod = journal_field_dup(j, "PODMAN_POD_ID");
    _cleanup_free_ char *labels = journal_field_dup(j, "PODMAN_LABELS");
    _cleanup_free_ char *health = journal_field_dup(j, "PODMAN_HEALTH_STATUS");
    _cleanup_free_ char *network = journal_field_dup(j, "PODMAN_NETWORK_NAME");
    _cleanup_json_ json_t *attrs = NULL;
    struct event e = { 0 };
    bool cp;

    if (!type || !status || !events_type_valid(type) || !time ||
        time_parse_rfc3339(time, &e.time, NULL, NULL) < 0)
        return NULL;
    cp = is_ctr_or_pod(type);
    e.type = type;
    e.status = status;
    e.name = name;
    if (cp || str_eq(type, "network") || str_eq(type, "image"))
        e.id = id;
    if (cp) {
        e.image = image;
        e.pod_id = pod;
        e.health_status = health && *health ? health : NULL;
        e.exit_code = code ? atoi(code) : 0;
        if (labels && *labels) {
            attrs = json_loads(labels, 0, NULL);
            if (!json_is_object(attrs))
                return NULL;
            e.attributes = attrs;
        }
    } else if (str_eq(type, "network")) {
        e.network = network;
    }
    /* an entry written at t=0 would read as "now": not one of ours */
    if (e.time.tv_sec == 0 && e.time.tv_nsec == 0)
        return NULL;
    return events_object(&e);
}

struct jreader {
    sd_journal *j;
    const struct filters *f;
    const struct events_query *q;
    int (*fn)(json_t *ev, void *ctx);
    void *ctx;
};

/* The entries after the cursor; fn's non-zero result stops. */
static int read_entries(struct jreader *r)
{
    while (sd_journal_next(r->j) > 0) {
        _cleanup_json_ json_t *ev = entry_event(r->j);
        struct timespec t;
        int rc;

        if (!ev || time_parse_rfc3339(js_str(ev, "Time", ""), &t, NULL, NULL) < 0)
            continue;
        if (r->q->has_since && time_cmp(t, r->q->since) <= 0)
            continue;
        if (r->q->has_until && time_cmp(t, r->q->until) >= 0)
            continue;
        if (!events_filters_match(r->f, ev))
            continue;
        if ((rc = r->fn(ev, r->ctx)) != 0)
            return rc;
    }
    return 0;
}

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    (void) sig;
    stop_signal = 1;
}

static bool until_passed(const struct events_query *q)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    return q->has_until && time_cmp(now, q->until) >= 0;
}

static int stream(struct jreader *r)
{
    struct sigaction sa = { .sa_handler = on_stop }, oint, oterm;
    int rc;

    sigemptyset(&sa.sa_mask);
    stop_signal = 0;
    sigaction(SIGINT, &sa, &oint);
    sigaction(SIGTERM, &sa, &oterm);
    while ((rc = read_entries(r)) == 0 && !stop_signal && !until_passed(r->q)) {
        fflush(stdout);
        (void) sd_journal_wait(r->j, 250000);
    }
    sigaction(SIGINT, &oint, NULL);
    sigaction(SIGTERM, &oterm, NULL);
    return rc;
}

int events_journal_read(const struct filters *f, const struct events_query *q,
                        int (*fn)(json_t *ev, void *ctx), void *ctx, struct berr **err)
{
    _cleanup_journal_ sd_journal *j = NULL;
    struct jreader r = { .f = f, .q = q, .fn = fn, .ctx = ctx };
    int rc;

    journal_sync();
    if (journal_open_read(&j, err) < 0)
        return -1;
    r.j = j;
    if ((rc = sd_journal_add_match(j, "SYSLOG_IDENTIFIER=podman", 0)) < 0)
        return berr_new(err, BERR_ENGINE, -rc, "failed to add journal filter for event log");
    if (q->stream && !q->has_since && !q->has_until) {
        /* new events only: past the last one there is */
        if ((rc = sd_journal_seek_tail(j)) < 0)
            return berr_new(err, BERR_ENGINE, -rc, "failed to seek end of journal");
        (void) sd_journal_previous(j);
    } else if ((rc = sd_journal_seek_head(j)) < 0) {
        return berr_new(err, BERR_ENGINE, -rc, "failed to seek start of journal");
    }
    if (!q->stream)
        return read_entries(&r);
    return stream(&r);
}
