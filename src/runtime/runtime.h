/*
 * runtime/runtime.h: the engine's entry point (podman's libpod Runtime).
 * rt_open() runs the init steps of DESIGN.md up to the level asked for:
 * RT_OPEN_CONFIG reads config only; RT_OPEN_FULL also opens the state,
 * adopts/validates the DB config, runs the alive check (and refresh) and
 * sets up locks and events.
 */
#ifndef BERTH_RUNTIME_H
#define BERTH_RUNTIME_H

#include "runtime/options.h"
#include "util/err.h"

enum rt_open_level { RT_OPEN_CONFIG, RT_OPEN_FULL };

struct runtime;

int rt_open(const struct gopts *g, enum rt_open_level level, const char *argv0,
            struct runtime **out, struct berr **err);
void rt_close(struct runtime *rt);

#endif
