/*
 * runtime/records.h: records as C types. A record (a JSON object of
 * state/state.h) is described by a field table: key, kind, the offset of
 * its member in a struct. One reader fills the struct from the record,
 * checking each field's type; one writer builds the record from the
 * struct, then copies the record's keys the table does not know, so a
 * newer berth's fields live through an older one's writes. Containers
 * (ctr_records.c), volumes (volume_records.c) and pods share this.
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
/* The table's fields read straight from a record's text, owned, for
 * readers that need nothing else of it (ps, a thousand records): 0 when
 * every key is one of the table's (or "version", into *version, 0 when
 * absent), each once and of its field's type, and the text is plain JSON
 * js_pull is sure of. Else -1, the owned members freed (zero the struct
 * again) and the record is for rec_fields_get, whose errors are the only
 * ones. */
int rec_fields_scan(const struct rec_field *fs, size_t n, const char *buf, size_t len,
                    void *base, long long *version);
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
