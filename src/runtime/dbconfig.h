/*
 * runtime/dbconfig.h: adopt, validate and record the DB config (db.json).
 */
#ifndef BERTH_DBCONFIG_H
#define BERTH_DBCONFIG_H

#include "runtime/config.h"
#include "state/state.h"

/* Adopts recorded paths for fields not set explicitly, refuses explicit
 * mismatches, and records whatever was missing. *driver: a copy of the
 * graph driver db.json records (NULL when none), so that opening the
 * store need not read db.json again to compare. */
int dbconfig_merge(struct state *st, struct config *cfg, char **driver, struct berr **err);
/* Records the graph driver once the store has chosen it; a different
 * recorded driver is a mismatch. */
int dbconfig_record_driver(struct state *st, const char *driver, struct berr **err);

#endif
