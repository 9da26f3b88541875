/*
 * runtime/health.h: health checks without a daemon and without systemd.
 *
 * The check a container runs is settled at create (health_settle): the
 * --health-* flags over the image's HEALTHCHECK, kept in the create-time
 * config as "healthcheck" {Test, Interval, Timeout, StartPeriod, Retries}
 * (docker's names, durations in ns) and "healthOnFailure". Its results
 * live in state.json ("health": {Status, FailingStreak, Log}, the last 5
 * results), written under the container's lock like every state write.
 *
 * Scheduling (health_proc.c): one small process per running container
 * with a check and an interval, berth itself re-executed as the hidden
 * `container __health ID`, double-forked and in a session of its own so
 * that it outlives the command that started the container. It sleeps on
 * the container process's pidfd (no lock held), runs the check at each
 * interval through the exec path, and ends when the container does, or
 * when the record names another process as its health process. stop,
 * rm -f, container cleanup and the reboot refresh kill it.
 */
#ifndef BERTH_HEALTH_H
#define BERTH_HEALTH_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/container.h"

/* podman's values */
#define HEALTH_LOG_MAX 5                /* results kept */
#define HEALTH_OUTPUT_MAX 500           /* bytes of output kept per result */
#define HEALTH_DEFAULT_NS 30000000000LL /* interval and timeout */
#define HEALTH_DEFAULT_RETRIES 3

/* At create: spec's "healthcheck" (the flags) merged over image_hc (the
 * image's Healthcheck, may be NULL) with the defaults, or removed when
 * there is no check (none anywhere, NONE, --no-healthcheck). */
int health_settle(json_t *spec, json_t *image_hc, struct berr **err);

/* The container's settled check (borrowed from its config), NULL none. */
json_t *ctr_health_config(const struct ctr_config *cfg);
/* Its status: "starting", "healthy", "unhealthy", "" without a check. */
const char *ctr_health_status(const struct ctr_config *cfg, const struct ctr_runstate *st);

/* healthcheck run: runs the check once in running container c (locked;
 * the lock is released while the check runs), records the result, writes
 * the health_status event and applies --health-on-failure when the
 * container is unhealthy. *healthy: the check passed; *timeout (if not
 * NULL): the check ran past its timeout and was killed (a failure,
 * podman's exit code -1 in the log), its length there. Errors: podman's
 * "container ID has no defined healthcheck", "container ID is not
 * running". */
int ctr_health_run(struct runtime *rt, struct ctr *c, bool *healthy, long long *timeout,
                   struct berr **err);

/* The startup check (--health-startup-cmd, podman 4.4) while its phase
 * lasts (borrowed), NULL when there is none or it has passed. */
json_t *ctr_health_startup(const struct ctr_config *cfg, const struct ctr_runstate *st);
/* The health process's check at each interval: the startup check while
 * its phase lasts, then the health check (ctr_health_run). */
int ctr_health_tick(struct runtime *rt, struct ctr *c, struct berr **err);

/* wait --condition healthy|unhealthy: polls container id's record
 * (without its lock) until its status is want; with running, fails
 * once the container is not running or is unhealthy (--requires). */
int ctr_health_wait(struct runtime *rt, const char *id, const char *want, bool running,
                    struct berr **err);

/* health_proc.c. At start (c locked, state running, c->st not yet
 * saved): resets the status to "starting" and starts the health process
 * when the check has an interval, recording its pid in c->st. */
void ctr_health_started(struct runtime *rt, struct ctr *c);
/* Kills the health process s names (unless it is this process) and
 * clears its pid in s (the caller saves); one that owns s's intent (its
 * --health-on-failure stop under way) is left to finish and end itself. */
void ctr_health_end(struct ctr_runstate *s);
/* The health process's body: returns when the container has ended. */
int ctr_health_loop(struct runtime *rt, const char *id, struct berr **err);

#endif
