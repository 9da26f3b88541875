/*
 * runtime/ctrlog.h: reading conmon's k8s-file logs for `berth logs`
 * (SPEC-podman.md §2.6).
 *
 * A record is "<timestamp> <stdout|stderr> <P|F> <content>\n"; P
 * (partial) records are joined with the following records of the same
 * stream up to and including the next F into one message. A P record
 * still pending at the end of the log (the container died mid-line) is
 * emitted as it is, without a newline, once the log is final.
 *
 * Filters: since/until compare the message's first timestamp; tail keeps
 * the last N whole messages (a P chain counts once). Follow mode reads
 * to the end, then waits with inotify (and a 250 ms poll) for more,
 * reopening the file when conmon replaced it (--log-size-max), and ends
 * when the caller's running() says the container stopped (after one
 * last read).
 */
#ifndef BERTH_CTRLOG_H
#define BERTH_CTRLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/err.h"
#include "util/str.h"

struct log_rec {
    struct timespec ts;
    const char *tstext;         /* the timestamp as written; tslen bytes */
    size_t tslen;
    bool is_stderr;
    bool partial;
    const char *content;        /* not NUL-terminated; len bytes, no newline */
    size_t len;
};

/* Parses one line (without its newline). -1 when malformed. The pointers
 * point into line. */
int ctrlog_parse_line(const char *line, size_t len, struct log_rec *r);

/* "2006-01-02T15:04:05.999999999Z07:00" (fraction optional, Z or
 * +HH:MM), also "2006-01-02"; -1 when it is neither. */
int ctrlog_parse_rfc3339(const char *s, size_t len, struct timespec *out);
/* --since/--until values are parsed by the caller with util/timefmt.h's
 * time_parse_input() (podman's rules), then put into ctrlog_opts. */

struct log_msg {
    struct timespec ts;
    const char *tstext;         /* of the first record; tslen bytes */
    size_t tslen;
    bool is_stderr;
    const char *text;           /* the joined content */
    size_t len;
    bool newline;               /* false only for a trailing partial line */
};

struct ctrlog_opts {
    bool has_since, has_until;
    struct timespec since, until;
    long tail;                  /* < 0: everything */
    bool follow;
    bool (*running)(void *arg); /* follow: is the container still running? */
    void (*waiting)(void *arg); /* follow: called before each wait for more
                                   (the caller flushes its output there) */
    void *arg;
};

/* Reads path and calls emit for every message passing the filters, in
 * file order. emit returns 0 to go on, or a positive value to stop the
 * read (ctrlog_read then returns that value). -1 with *err on failure. */
int ctrlog_read(const char *path, const struct ctrlog_opts *o,
                int (*emit)(void *arg, const struct log_msg *m), void *arg, struct berr **err);

/* The reader above fed with records from another source (the journal,
 * ctrlog_journal.c): the same joining of partial records, since/until
 * and tail. ctrlog_sink_record() and ctrlog_sink_caught_up() return the
 * reader's stop value: 0 to go on, emit's positive value, or -1 when out
 * of memory. caught_up: the records so far are all there was (tail's
 * ring is emitted now); with final, a pending partial line too. */
struct ctrlog_sink;
int ctrlog_sink_new(const struct ctrlog_opts *o, int (*emit)(void *arg, const struct log_msg *m),
                    void *arg, struct ctrlog_sink **out, struct berr **err);
int ctrlog_sink_record(struct ctrlog_sink *s, const struct log_rec *rec);
int ctrlog_sink_caught_up(struct ctrlog_sink *s, bool final);
void ctrlog_sink_free(struct ctrlog_sink *s);

/* The journald log driver (ctrlog_journal.c): the entries conmon wrote
 * for container id (CONTAINER_ID_FULL), with the same options. Fails
 * clearly when the journal has no files at all. */
int ctrlog_journal_read(const char *id, const struct ctrlog_opts *o,
                        int (*emit)(void *arg, const struct log_msg *m), void *arg,
                        struct berr **err);

/* Appends a message as `logs` prints it: [prefix][timestamp ]text[\n],
 * the timestamp in local time as Go's RFC3339Nano (time_rfc3339nano). */
void ctrlog_format(struct sbuf *b, const struct log_msg *m, bool timestamps, const char *prefix);

#endif
