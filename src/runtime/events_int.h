/*
 * runtime/events_int.h: what events.c (writing) and events_read.c
 * (reading, filters) share. Not for other modules.
 */
#ifndef BERTH_EVENTS_INT_H
#define BERTH_EVENTS_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/events.h"

struct events {
    bool none;              /* backend "none": nothing written or read */
    bool journald;          /* backend "journald": events_journal.c */
    char *path;             /* <dir>/events.log */
    char *dir;
    char *lock;             /* <dir>/events.log.lock */
    long long max_size;     /* <= 0: never rotate */
};

/* The object in podman's key order as one line, without the newline,
 * with Go's escapes (encoding/json's \u003c for '<' and friends), so a
 * line reads byte for byte as podman writes it. malloc'd, NULL on OOM. */
char *events_dump(json_t *obj);
/* One of container image network pod system volume. */
bool events_type_valid(const char *type);
/* A new event as the object a file line holds (time now if unset). */
json_t *events_object(const struct event *e);

/* The parsed --filter values (events_read.c). */
struct filter_group {
    char *key;
    char **vals;
};
struct filters {
    struct filter_group *g;
    size_t n;
};
/* Whether an event (the object events_read() passes) passes them all. */
bool events_filters_match(const struct filters *f, json_t *ev);

/* The journald backend (events_journal.c). */
int events_journal_write(const struct event *e, struct berr **err);
int events_journal_read(const struct filters *f, const struct events_query *q,
                        int (*fn)(json_t *ev, void *ctx), void *ctx, struct berr **err);

#endif
