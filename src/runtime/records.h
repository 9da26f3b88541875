/*
 * runtime/records.h: records as C types. A record (a JSON object of
 * state/state.h) is described by a field table: key, kind, the offset of
 * its member in a struct. A reader fills the struct from the record (a
 * jansson tree), checking each field's type; one writer builds the
 * record from the struct, then copies the record's keys the table does
 * not know, so a newer berth's fields live through an older one's writes.
 * Containers (ctr_records.c), volumes (volume_records.c) and pods share
 * this. A second reader (rec_fields_scan/_pull, for ps) fills the struct
 * straight from the record's text, and only for a record it is sure of:
 * anything else it leaves to the first, the one judge of errors.
 *
 * Tables MUST be sorted by key (strcmp order): records are written with
 * their keys sorted (js_write_atomic) and the reader merges the two in
 * one walk.
 */
#ifndef BERTH_RECORDS_H
#define BERTH_RECORDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/js.h"

/* How a field is stored: the C type of its member and the JSON type of
 * its value. */
enum rec_fkind {
    FK_BOOL,        /* bool, true/false */
    FK_INT,         /* int (and pid_t, enums), an integer in int's range */
    FK_LL,          /* long long, an integer */
    FK_ULL,         /* unsigned long long, an integer >= 0 */
    FK_STR,         /* owned: char *; borrowed: const char * */
    FK_STR0,        /* char *, where "" and absent mean the same: read as
                       NULL, written as "" */
    FK_OBJ,         /* json_t *, an object */
    FK_ARR,         /* json_t *, an array */
};

struct rec_field {
    const char *key;
    enum rec_fkind kind;
    size_t off;
};

/* Who a record belongs to, for errors: "container ID: state.json: field
 * \"pid\" must be an integer, not a string" (BK_CORRUPT). */
struct rec_who {
    const char *what;           /* "container", "volume" */
    const char *id;
    const char *file;           /* "state.json", "config.json: spec" */
};

/* Reads each field of the table found in rec into the struct at base.
 * own: strings are copied and JSON values referenced (free with
 * rec_fields_free); else both are borrowed from rec. A null value reads
 * as absent (the member keeps what it had: a default). Owned members are
 * overwritten, not freed: read into a zeroed struct. problem NULL: a
 * mistyped field is an error; else (read leniently, for commands that must
 * work whatever a record says) it reads as absent and the first such error
 * is kept in *problem. */
int rec_fields_get(const struct rec_field *fs, size_t n, json_t *rec, void *base, bool own,
                   const struct rec_who *who, char **problem, struct berr **err);
/* Reading the table's fields straight from a record's text, for readers
 * that need nothing else of it (ps, a thousand records): only when every
 * key is the table's or a hook's, each once, each of its field's type,
 * and the text is plain JSON js_pull is sure of. Anything else is -1:
 * the record is for rec_fields_get, whose errors are the only ones. */

/* Where a scan's strings go: each its own malloc (strs NULL), or copies
 * in one block of cap bytes (a record's text is as long as all of them). */
struct rec_strs {
    char *buf;
    size_t cap, used;
};
/* A key that is no field of the table, whose value the reader takes from
 * the text itself ("version", or a nested record). */
struct rec_scan_hook {
    const char *key;
    int (*fn)(struct js_pull *j, void *ctx);    /* pulls the value: 0, or -1 */
    void *ctx;
};
/* The members of the object j entered last, to its end, into base:
 * strings owned (strs), trees owned. On -1 free what was read
 * (rec_fields_free, or rec_fields_drop_trees and the block). */
int rec_fields_pull(const struct rec_field *fs, size_t n, struct js_pull *j, void *base,
                    struct rec_strs *strs, const struct rec_scan_hook *hooks, size_t nhooks);
/* The record in buf, strings each their own: 0; -1 with what was read
 * freed (zero the struct again). */
int rec_fields_scan(const struct rec_field *fs, size_t n, const char *buf, size_t len,
                    void *base, const struct rec_scan_hook *hooks, size_t nhooks);
/* Drops base's JSON members (a scan into a block of strings). */
void rec_fields_drop_trees(const struct rec_field *fs, size_t n, void *base);
/* The record of an owned struct: every scalar, every string and JSON
 * value that is not NULL (FK_STR0: always), then keep's keys the table
 * does not know. NULL when out of memory. */
json_t *rec_fields_json(const struct rec_field *fs, size_t n, const void *base, json_t *keep);
/* Frees the owned strings and drops the JSON references of base. */
void rec_fields_free(const struct rec_field *fs, size_t n, void *base);
const struct rec_field *rec_field_find(const struct rec_field *fs, size_t n, const char *key);
/* The BK_CORRUPT error of a field whose value v is not what it must be. */
int rec_field_err(const struct rec_who *who, const char *key, const char *want, json_t *v,
                  struct berr **err);

#endif
