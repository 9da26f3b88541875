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

#endif
