/*
 * runtime/ctr_view.h: read-only views of containers, in podman's shapes:
 * the items of `ps` and the document of `container inspect`.
 *
 * ps takes no lock and writes nothing: it reads each record as it is and
 * decides liveness cheaply (container.h): a created/running/paused/stopping
 * container whose exit file exists is shown exited (code from the file,
 * time from its mtime); one whose conmon and process are both gone is
 * shown exited with code -1. A record that does not parse is listed with
 * State "error" and the problem in Status; it never stops the listing.
 * The store is opened only for sizes (-s).
 */
#ifndef BERTH_CTR_VIEW_H
#define BERTH_CTR_VIEW_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/container.h"

enum ps_shape {
    PS_JSON,        /* `ps --format json`: podman's ListContainer JSON */
    PS_TEMPLATE,    /* the fields podman's ps templates and tables see */
};

struct ps_query {
    bool all;               /* -a: not only running containers */
    bool size;              /* -s: Size from the store */
    long long last;         /* -n N: the N last created, any state; <= 0 off */
    bool latest;            /* -l: -n 1 */
    const char *sort;       /* command created id image names runningfor size
                               status; NULL: created */
    char **filters;         /* "key=value" strv, or NULL */
    enum ps_shape shape;
    bool no_trunc;          /* PS_TEMPLATE: full ids, whole commands */
    const char *tmpl;       /* PS_TEMPLATE: the template that will read the
                               items (only its fields are built); NULL: all */
    double now;             /* unix seconds for "ago"; 0: the clock */
};

/* Checks the sort key and the filter syntax (podman's errors) without
 * touching the state, so a bad flag fails before runtime init. */
int ctr_ps_check(const struct ps_query *q, struct berr **err);

/* One object per container, oldest first (or as q->sort says), after
 * -a, the filters and -n/-l. *items is a new array. */
int ctr_ps_items(struct runtime *rt, const struct ps_query *q, json_t **items,
                 struct berr **err);

/* The view: a copy, kept in the state record, of the config fields ps
 * shows (name, image, command, created, labels, ports, networks, mounts),
 * so that ps reads one file per container. ctr_view_record() builds it;
 * ctr_view_sync() puts it into st and returns 1 when it changed (the
 * caller saves the state), 0 when it was current, -1 out of memory.
 * Whoever rewrites a config field in the view syncs it; ctr_get repairs a
 * view left stale by a crash between the two writes. */
json_t *ctr_view_record(json_t *cfg);
int ctr_view_sync(json_t *cfg, json_t *st);

/* The state a reader without the lock should believe (see above), from
 * the records of container id: *state, and for an exit found on the way
 * *code (-1 unknown) and *finished_ns. Returns 0, or -1 when the records
 * cannot be read. */
int ctr_view_state(struct runtime *rt, const char *id, json_t *st, int *state, int *code,
                   long long *finished_ns);

/* podman's `container inspect` object for a (locked, synced) container.
 * size: SizeRw and SizeRootFs from the store. *out is a new object.
 * NetworkSettings: podman's empty shape for none/host/container:/ns:,
 * runtime/net's rendering of the stored status in bridge mode. */
int ctr_inspect_json(struct runtime *rt, struct ctr *c, bool size, json_t **out,
                     struct berr **err);
/* The time fields of an inspect object (Created, State.StartedAt, ...)
 * rewritten as Go prints a time.Time in a template ("2006-01-02
 * 15:04:05.999999999 -0700 MST"), for --format templates. In place. */
void ctr_inspect_template_times(json_t *obj);

#endif
