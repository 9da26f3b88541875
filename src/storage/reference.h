/*
 * storage/reference.h: image references, docker/distribution's grammar.
 *
 *   [domain/]path[:tag][@algo:hex]
 *
 * A domain is the first component when it holds '.' or ':', is
 * "localhost", or has upper-case letters; path components are lower-case
 * [a-z0-9] joined by '.', '_', '__' or dashes; a tag is [\w][\w.-]{0,127};
 * a digest is sha256:<64 hex>. Errors are podman's: "invalid reference
 * format", "...: repository name must be lowercase".
 *
 * Normalization (ref_normalize): no domain -> the default domain given
 * (docker.io when pulling, localhost when naming local images, as podman's
 * tag/import/commit do); docker.io with a one-component path gets
 * "library/"; no tag and no digest -> "latest".
 */
#ifndef BERTH_REFERENCE_H
#define BERTH_REFERENCE_H

#include <stdbool.h>

#include "util/err.h"

struct ref {
    char *domain;       /* NULL when the input had none (a short name) */
    char *path;         /* "library/busybox" */
    char *tag;          /* NULL when none */
    char *digest;       /* "sha256:<hex>" or NULL */
};

/* Parses s as written; nothing is added. BK_INVALID on a bad reference. */
int ref_parse(const char *s, struct ref *out, struct berr **err);
/* Fills the defaults: domain (if none), library/ for docker.io, latest. */
int ref_normalize(struct ref *r, const char *default_domain, struct berr **err);
/* Parses and normalizes with default_domain; *out is "domain/path:tag",
 * "domain/path@digest" or both, malloc'd. */
int ref_normalize_str(const char *s, const char *default_domain, char **out,
                      struct berr **err);
/* "domain/path[:tag][@digest]" of a normalized reference; NULL on OOM. */
char *ref_string(const struct ref *r);
/* "domain/path" (the repository). */
char *ref_repo(const struct ref *r);
void ref_free(struct ref *r);
static inline void ref_freep(struct ref *r) { ref_free(r); }
#define _cleanup_ref_ __attribute__((cleanup(ref_freep)))

/* true for 64 lower-case hex characters. */
bool ref_is_full_id(const char *s);
/* true for 1..64 lower-case hex characters (a possible id prefix). */
bool ref_is_hex(const char *s);
/* Does a stored full name (normalized) match a short reference (no
 * domain; tag as given or "latest"; a digest is the caller's to compare)?
 * "busybox:latest" matches
 * "localhost/busybox:latest" and "docker.io/library/busybox:latest", at a
 * component boundary only. */
bool ref_short_matches(const struct ref *shortref, const char *fullname);

#endif
