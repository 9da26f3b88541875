/*
 * runtime/runtime.h: the engine's entry point (podman's libpod Runtime).
 * rt_open() runs the init steps of DESIGN.md up to the level asked for:
 * RT_OPEN_CONFIG reads config only; RT_OPEN_FULL also opens the state,
 * adopts/validates the DB config, runs the alive check (and refresh) and
 * sets up locks and events. Image storage opens lazily (rt_store).
 */
#ifndef BERTH_RUNTIME_H
#define BERTH_RUNTIME_H

#include "runtime/config.h"
#include "runtime/events.h"
#include "runtime/lock.h"
#include "runtime/options.h"
#include "state/state.h"
#include "util/err.h"

enum rt_open_level { RT_OPEN_CONFIG, RT_OPEN_FULL };

struct store;

struct runtime {
    const struct gopts *g;
    char *argv0;                /* absolute path of berth, for exit commands */
    struct config *cfg;         /* paths final after the DB merge */
    struct state *st;           /* FULL */
    struct lockmgr *locks;      /* FULL */
    struct events *ev;          /* FULL */
    struct store *store;        /* rt_store() */
    char *events_log;           /* resolved events log path */
    char *db_driver;            /* the graph driver db.json recorded at open, or NULL */
    bool refreshed;             /* this process ran refresh() */
    bool removal_next;          /* the container got next is removed at once
                                   if it is --rm: an exit its sync finds is
                                   written by the removal's "removing"
                                   (ctr_get.c mark_exited) */
    unsigned preserve_fds;      /* run --preserve-fds: our fds 3.. to the containers we start */
};

int rt_open(const struct gopts *g, enum rt_open_level level, const char *argv0,
            struct runtime **out, struct berr **err);
void rt_close(struct runtime *rt);
/* The image store, opened on first use (graph root, run root, driver). */
int rt_store(struct runtime *rt, struct store **out, struct berr **err);

#endif
