/*
 * runtime/config_int.h: what config.c (files, decoding) and
 * config_defaults.c (built-in defaults, flags, validation) share.
 */
#ifndef BERTH_CONFIG_INT_H
#define BERTH_CONFIG_INT_H

#include "runtime/config.h"

/* Built-in defaults (paths depend on root vs rootless and the host). */
int cfg_defaults(struct config *c, struct berr **err);
/* After the files: paths derived from the graph root unless set. */
int cfg_derive(struct config *c, struct berr **err);
/* Global flags, last; each one given sets its field's bit. */
int cfg_apply_flags(struct config *c, const struct gopts *g, struct berr **err);
/* Normalisation and checks (SPEC-podman.md §1.1 step 4). */
int cfg_validate(struct config *c, struct berr **err);

/* Replaces *dst with a copy of v. */
int cfg_set_str(char **dst, const char *v, struct berr **err);
/* Replaces *dst with a copy of the NULL-terminated list v. */
int cfg_set_strv(char ***dst, char *const *v, struct berr **err);
/* Sets the paths of runtime name, adding the entry if missing. */
int cfg_set_runtime(struct config *c, const char *name, char *const *paths,
                    struct berr **err);

static inline void cfg_mark(struct config *c, enum cfg_field f) { c->set |= 1u << f; }

#endif
