/*
 * runtime/events.h: the event log (SPEC-podman.md section 5).
 * Backend "file": <tmp_dir>/events/events.log, one JSON object per line
 * with podman's keys and order, appended with one write() under O_APPEND
 * (so concurrent writers never interleave), rotated at max size keeping
 * the newest half. Backend "journald": one journal entry per event with
 * podman's PODMAN_* fields (events_journal.c). Backend "none": writes
 * nothing, reads nothing.
 */
#ifndef BERTH_EVENTS_H
#define BERTH_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "util/err.h"

struct event {
    const char *type;           /* container image network pod system volume */
    const char *status;         /* create, died, pull, refresh, ... */
    const char *id;             /* NULL/"" omitted */
    const char *name;
    const char *image;
    const char *network;
    const char *pod_id;
    const char *health_status;
    int exit_code;              /* written only when non-zero */
    json_t *attributes;         /* container labels (borrowed); NULL -> null
                                   ({} for container events) */
    struct timespec time;       /* {0,0}: now */
};

struct events;

/* backend: "file", "journald" or "none". logfile: the log path. max_size <= 0: never rotate. */
int events_open(const char *backend, const char *logfile, long long max_size,
                struct events **out, struct berr **err);
void events_close(struct events *ev);
int events_write(struct events *ev, const struct event *e, struct berr **err);
/* Writes an event to the runtime's log (rt->ev); a failure is logged as a
 * warning, never fatal: the event log is no reason to fail a command. */
struct runtime;
void rt_event(struct runtime *rt, const struct event *e);

/* Reading (berth events). */
struct events_query {
    char **filters;             /* "key=value" as the user gave them */
    bool has_since, has_until;
    struct timespec since, until;
    bool stream;                /* follow after EOF (inotify) */
};
/* Calls fn for each matching event (a JSON object in podman's shape,
 * borrowed for the call). fn returning non-zero stops the read, and
 * events_read() returns that value (a negative one without touching
 * *err: the caller keeps its own error). A stream ends on SIGINT/SIGTERM
 * (returns 0) or when "until" passes. With the "none" backend there is
 * nothing to read: podman's error. */
int events_read(struct events *ev, const struct events_query *q,
                int (*fn)(json_t *ev, void *ctx), void *ctx, struct berr **err);
/* An event as read (the object events_read() passes) as podman prints
 * it with --format json: its file line, re-marshalled in podman's key
 * order and escapes, without the newline. *out is malloc'd. */
int events_to_json(json_t *ev, char **out, struct berr **err);
/* Validates filters without reading: "<key> is an invalid filter". */
int events_check_filters(char **filters, struct berr **err);

#endif
