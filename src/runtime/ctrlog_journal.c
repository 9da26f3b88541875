/*
 * runtime/ctrlog_journal.c: `logs` of a container with the journald log
 * driver. conmon (-l journald) writes one entry per line of output with
 * CONTAINER_ID_FULL, PRIORITY 6 (stdout) or 3 (stderr) and
 * CONTAINER_PARTIAL_MESSAGE=true on a line it had to split; we read them
 * back with sd-journal and hand them to ctrlog.c's reader as records, so
 * joining, --since/--until and --tail behave as with k8s-file.
 *
 * --follow waits on the journal (250 ms at most, then asks whether the
 * container still runs) and ends after one last read once it stopped:
 * conmon has sent every line before the exit is recorded, and
 * journal_sync() makes journald write them out before that read.
 */
#include <string.h>

#include "runtime/ctrlog.h"
#include "runtime/journal.h"
#include "util/cleanup.h"
#include "util/lazysd.h"
#include "util/str.h"
#include "util/timefmt.h"

static void sink_freep(struct ctrlog_sink **s)
{
    ctrlog_sink_free(*s);
}

/* The entries after the cursor, each as a record; the sink's stop value. */
static int read_entries(sd_journal *j, struct ctrlog_sink *s)
{
    int rc = 0;

    while (rc == 0 && sd_journal_next(j) > 0) {
        char tbuf[TIME_BUF];
        struct log_rec rec = { 0 };
        uint64_t usec;

        if (!journal_field(j, "MESSAGE", &rec.content, &rec.len) ||
            sd_journal_get_realtime_usec(j, &usec) < 0)
            continue;
        /* conmon keeps a whole line's newline in MESSAGE */
        if (rec.len > 0 && rec.content[rec.len - 1] == '\n')
            rec.len--;
        rec.ts.tv_sec = (time_t) (usec / 1000000);
        rec.ts.tv_nsec = (long) (usec % 1000000) * 1000;
        rec.tstext = time_rfc3339nano(rec.ts, tbuf, sizeof(tbuf));
        rec.tslen = strlen(rec.tstext);
        rec.is_stderr = journal_field_is(j, "PRIORITY", "3");
        rec.partial = journal_field_is(j, "CONTAINER_PARTIAL_MESSAGE", "true");
        rc = ctrlog_sink_record(s, &rec);
    }
    return rc;
}

/* A journal without a single entry is one that is not there: nothing
 * berth could read, which says more than printing nothing. */
static int check_not_empty(sd_journal *j, const char *id, struct berr **err)
{
    if (sd_journal_seek_head(j) >= 0 && sd_journal_next(j) > 0)
        return 0;
    if (!journal_listening())
        return berr_msg(err, "container %.12s logs to journald, but the journal is gone: no "
                        "journal files to read, and no journald listens on "
                        "/run/systemd/journal/socket", id);
    return berr_msg(err, "container %.12s logs to journald, but the journal has no entries", id);
}

static int follow(sd_journal *j, struct ctrlog_sink *s, const struct ctrlog_opts *o)
{
    for (;;) {
        bool alive;
        int rc;

        if (o->waiting)
            o->waiting(o->arg);
        (void) sd_journal_wait(j, 250000);
        alive = o->running ? o->running(o->arg) : false;
        if (!alive)
            journal_sync();
        if ((rc = read_entries(j, s)) != 0 || !alive)
            return rc;
    }
}

int ctrlog_journal_read(const char *id, const struct ctrlog_opts *o,
                        int (*emit)(void *arg, const struct log_msg *m), void *arg,
                        struct berr **err)
{
    _cleanup_journal_ sd_journal *j = NULL;
    __attribute__((cleanup(sink_freep))) struct ctrlog_sink *s = NULL;
    _cleanup_free_ char *match = str_fmt("CONTAINER_ID_FULL=%s", id);
    int rc, r;

    if (!match)
        return berr_oom(err);
    journal_sync();
    if (journal_open_read(&j, err) < 0 || check_not_empty(j, id, err) < 0)
        return -1;
    if ((r = sd_journal_add_match(j, match, 0)) < 0)
        return berr_new(err, BERR_ENGINE, -r, "journal match %s", match);
    r = o->has_since ? sd_journal_seek_realtime_usec(j, (uint64_t) o->since.tv_sec * 1000000 +
                                                            (uint64_t) o->since.tv_nsec / 1000)
                     : sd_journal_seek_head(j);
    if (r < 0)
        return berr_new(err, BERR_ENGINE, -r, "seek in the journal");
    if (ctrlog_sink_new(o, emit, arg, &s, err) < 0)
        return -1;
    rc = read_entries(j, s);
    if (rc == 0)
        rc = ctrlog_sink_caught_up(s, !o->follow);
    if (rc == 0 && o->follow && (rc = follow(j, s, o)) == 0)
        rc = ctrlog_sink_caught_up(s, true);
    return rc > 0 ? rc : rc < 0 ? berr_oom(err) : 0;
}
