/*
 * util/js.h: our jansson helpers (js_*; json_* is jansson's).
 */
#ifndef BERTH_JS_H
#define BERTH_JS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "util/err.h"

/* json_loadb() with a fast path (jsfast.c) for the plain ASCII JSON our
 * records are made of; jansson parses whatever the fast path declines, so
 * values, validity and errors are jansson's. */
json_t *js_loadb(const char *buf, size_t len, size_t flags, json_error_t *je);
/* Parses a JSON file; the error names the file and the position. The
 * error's kind is BK_CORRUPT for a parse failure. */
int js_read_file(const char *path, json_t **out, struct berr **err);
/* The same for rel under dirfd (a shorter path walk); path is the whole
 * path, for messages. */
int js_read_fileat(int dirfd, const char *rel, const char *path, json_t **out,
                   struct berr **err);
/* Dumps with JSON_SORT_KEYS|JSON_COMPACT and writes atomically. */
int js_write_atomic(const char *dir, const char *name, json_t *j, mode_t mode,
                    struct berr **err);
/* The same through fs_write_replace(): atomic for readers, not synced. */
int js_write_replace(const char *dir, const char *name, json_t *j, mode_t mode,
                     struct berr **err);
/* The same through fs_write_new(): a new file in a dir nobody reads yet. */
int js_write_new(const char *dir, const char *name, json_t *j, mode_t mode, bool sync,
                 struct berr **err);
/* Seeds jansson's hash function with getrandom(2) (one system call)
 * instead of letting its first object open and read /dev/urandom (three).
 * Only a call before the process's first JSON object counts: main()
 * makes it before the command runs. */
void js_seed(void);
/* Borrowed getters with defaults for absent or mistyped members. */
const char *js_str(json_t *o, const char *key, const char *dflt);
long long js_int(json_t *o, const char *key, long long dflt);
bool js_bool(json_t *o, const char *key, bool dflt);
/* Sets o[key] to a new string, or null when s is NULL. */
int js_set_str(json_t *o, const char *key, const char *s);
int js_set_int(json_t *o, const char *key, long long v);
int js_set_bool(json_t *o, const char *key, bool v);
/* json_dumpf(j, f, JSON_INDENT(indent) | JSON_ENCODE_ANY |
 * JSON_REAL_PRECISION(17)), the same bytes, buffered (jsdump.c). -1 on a
 * write error or a string that is not UTF-8. */
int js_dump_pretty(FILE *f, const json_t *j, int indent);
/* json_dumps(j, JSON_INDENT(indent) | JSON_SORT_KEYS), or with indent 0
 * json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS): the same bytes (reals
 * with 17 digits, jansson's default), a third of the instructions
 * (jsdump.c). NULL when out of memory or a string is not UTF-8. */
char *js_dumps_sorted(const json_t *j, int indent);
/* A new JSON array of strings from a strv (NULL -> empty array). */
json_t *js_strv(char *const *v);
/* A new strv from a JSON array of strings (non-strings skipped). */
char **js_to_strv(json_t *arr);

#endif
