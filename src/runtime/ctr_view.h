/*
 * runtime/ctr_view.h: read-only views of containers: the view of its
 * config kept in the state record, the state a reader without the lock
 * should believe (ctr_view.c), and the document of `container inspect`
 * (ctr_inspect.c). `ps` (ctr_ps.h) is built on the first two.
 *
 * A reader without the lock decides liveness cheaply (container.h): a
 * created/running/paused/stopping container whose exit file exists is
 * shown exited (code from the file, time from its mtime); one whose
 * conmon and process are both gone is shown exited with code -1.
 */
#ifndef BERTH_CTR_VIEW_H
#define BERTH_CTR_VIEW_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/container.h"

/* The view: a copy, kept in the state record, of the config fields ps
 * shows or filters on (name, image, command, created, labels, ports,
 * networks, mounts with their bind sources and volume names, the restart
 * policy, the health check),
 * so that ps reads one file per container. ctr_view_record() builds it;
 * ctr_view_sync() puts it into st and returns 1 when it changed (the
 * caller saves the state), 0 when it was current, -1 out of memory.
 * Whoever rewrites a config field in the view syncs it; ctr_get repairs a
 * view left stale by a crash between the two writes. */
/* The view's format; a view of another version is ignored (ps reads the
 * config instead) and rewritten by the next command that takes the lock. */
#define CTR_VIEW_VERSION 3     /* 3: restartPolicy, spec.healthcheck */
json_t *ctr_view_record(json_t *cfg);
int ctr_view_sync(json_t *cfg, struct ctr_runstate *st);

/* The state a reader without the lock should believe (see above), from
 * the state record st of container id: *state, and for an exit found on
 * the way *code (-1 unknown) and *finished_ns. Returns 0, or -1 out of
 * memory. */
int ctr_view_state(struct runtime *rt, const char *id, const struct ctr_runstate *st,
                   int *state, int *code, long long *finished_ns);
/* The same, reading the state record of container id first. */
int ctr_view_state_of(struct runtime *rt, const char *id, int *state, struct berr **err);

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
