/*
 * storage/registry/regconf_int.h: the parsed registries configuration,
 * shared by regconf.c (files, merging, queries) and aliases.c (short-name
 * aliases and their cache file).
 */
#ifndef BERTH_REGISTRY_REGCONF_INT_H
#define BERTH_REGISTRY_REGCONF_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "storage/registry.h"

struct rc_endpoint {
    char *location;
    bool insecure;
    char *pull_from_mirror;     /* "all", "digest-only", "tag-only" or NULL */
};

struct rc_registry {
    char *prefix;
    struct rc_endpoint ep;
    struct rc_endpoint *mirrors;
    size_t nmirrors;
    bool blocked, by_digest_only;
};

struct rc_alias {
    char *name, *value, *origin;    /* value NULL: "" (alias disabled) */
};

struct regconf {
    struct rc_registry *regs;
    size_t nregs;
    char **search;
    bool search_set;
    char *search_origin;
    enum short_name_mode mode;
    bool mode_set;
    struct rc_alias *aliases;
    size_t naliases;
    char *sources;
};

/* Frees what c holds (c itself stays). */
void regconf_clear(struct regconf *c);
/* "loading registries configuration \"PATH\": <fmt with arg>": -1. */
int regconf_bad(struct berr **err, const char *path, const char *fmt, const char *arg);
/* Sets (or replaces) one alias; value "" disables the name. */
int regconf_add_alias(struct regconf *c, const char *name, const char *value, const char *origin,
                      struct berr **err);
/* The [aliases] table of a file (or of the cache) into c. */
int regconf_parse_aliases(const char *path, json_t *tbl, struct regconf *c, struct berr **err);

#endif
