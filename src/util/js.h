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
/* An object's members pulled one by one, scalars without a jansson value
 * (ps reads a thousand records). It is strict, as js_loadb's fast path:
 * ASCII strings, integers that fit, no escapes in keys, no duplicates in
 * the trees it builds. -1 from any call means "not sure": the caller
 * reads the text with js_loadb, which judges it. */
#define JS_PULL_DEPTH 8
struct js_pull {
    const char *p, *end;
    bool reject_dups;
    char *sb;                   /* scratch for strings with escapes */
    size_t sb_cap;
    unsigned depth;             /* objects entered and not ended */
    size_t members[JS_PULL_DEPTH];  /* pulled so far, in each */
};
enum js_vkind { JSV_NULL, JSV_BOOL, JSV_INT, JSV_STR, JSV_TREE };
struct js_val {
    enum js_vkind kind;
    bool b;
    long long i;
    const char *s;              /* JSV_STR: len bytes (no NUL), until the next call */
    size_t len;
    json_t *tree;               /* JSV_TREE: an object or array, the caller's */
};
/* Starts at buf's object: js_pull_enter. */
int js_pull_begin(struct js_pull *j, const char *buf, size_t len);
/* At an object (the whole text's, or a member's value): into it, 0. */
int js_pull_enter(struct js_pull *j);
/* The next value's first character (0 at the end): '{' for an object. */
char js_pull_peek(struct js_pull *j);
/* The next member's key of the object entered last (klen bytes, no NUL,
 * borrowed from buf): 1; 0 past its end, where the outermost object's
 * end must be the text's but for whitespace. */
int js_pull_key(struct js_pull *j, const char **k, size_t *klen);
/* Its value. */
int js_pull_value(struct js_pull *j, struct js_val *v);
void js_pull_free(struct js_pull *j);
/* Parses a JSON file; the error names the file and the position. The
 * error's kind is BK_CORRUPT for a parse failure. */
int js_read_file(const char *path, json_t **out, struct berr **err);
/* The same for an open fd (from its offset); path is for messages. */
int js_read_fd(int fd, const char *path, json_t **out, struct berr **err);
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
/* A new object with o's members, its keys inserted in byte order, as Go
 * writes a map (an empty object for a non-object); NULL out of memory. */
json_t *js_sorted_copy(json_t *o);
/* A new JSON array of strings from a strv (NULL -> empty array). */
json_t *js_strv(char *const *v);
/* A new strv from a JSON array of strings (non-strings skipped). */
char **js_to_strv(json_t *arr);

#endif
