/*
 * cmd/stats.h: what stats and pod stats share (cmd/stats.c): a sample
 * of a container with its CPU % computed against the container's
 * previous sample in this command's history, and podman's "A / B" size
 * pairs.
 */
#ifndef BERTH_CMD_STATS_H
#define BERTH_CMD_STATS_H

#include <stdbool.h>

#include "runtime/container.h"

struct stats_prev;

/* The samples taken so far, one entry per container; zeroed to start. */
struct stats_history {
    struct stats_prev *v;
    size_t n;
};
void stats_history_free(struct stats_history *h);

/* Samples locked container c into *s (ctr_stats_clear() it after) and
 * computes its CPU %: the CPU time since its previous sample over the
 * wall time between them, the first time since the container started;
 * *avg is the mean of its CPU % so far. */
int stats_take(struct runtime *rt, struct ctr *c, struct stats_history *h, struct ctr_stats *s,
               double *cpu, double *avg, struct berr **err);

/* "a / b" in go-units' HumanSize (1000 units), or BytesSize with bin
 * (1024 units); malloc'd, NULL when out of memory. */
char *stats_two_sizes(unsigned long long a, unsigned long long b, bool bin);

/* A user template (not json, not the default table) rendered once over
 * item, a row of the command's: an unknown field fails (125) before any
 * report. item NULL: out of memory. */
int stats_check_format(const char *format, json_t *item, struct berr **err);

#endif
