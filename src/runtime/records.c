/*
 * runtime/records.c: the reader and the writer behind every record's C
 * type (runtime/records.h), driven by field tables.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/records.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

static const char *json_kind_name(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

int rec_field_err(const struct rec_who *who, const char *key, const char *want, json_t *v,
                  struct berr **err)
{
    return berr_kind(err, BK_CORRUPT, "%s %s: %s: field \"%s\" must be %s, not %s", who->what,
                     who->id ? who->id : "?", who->file, key, want, json_kind_name(v));
}

/* Reads v into the member at base + f->off. */
static int field_get(const struct rec_field *f, json_t *v, char *base, bool own,
                     const struct rec_who *who, struct berr **err)
{
    void *m = base + f->off;
    json_int_t i;

    if (json_is_null(v))
        return 0;
    switch (f->kind) {
    case FK_BOOL:
        if (!json_is_boolean(v))
            return rec_field_err(who, f->key, "a boolean", v, err);
        *(bool *) m = json_is_true(v);
        return 0;
    case FK_INT:
    case FK_LL:
    case FK_ULL:
        if (!json_is_integer(v))
            return rec_field_err(who, f->key, "an integer", v, err);
        i = json_integer_value(v);
        if (f->kind == FK_INT && (i < INT_MIN || i > INT_MAX))
            return rec_field_err(who, f->key, "an integer of int's range", v, err);
        if (f->kind == FK_ULL && i < 0)
            return rec_field_err(who, f->key, "an integer >= 0", v, err);
        if (f->kind == FK_INT)
            *(int *) m = (int) i;
        else if (f->kind == FK_LL)
            *(long long *) m = i;
        else
            *(unsigned long long *) m = (unsigned long long) i;
        return 0;
    case FK_STR:
    case FK_STR0:
        if (!json_is_string(v))
            return rec_field_err(who, f->key, "a string", v, err);
        if (f->kind == FK_STR0 && !*json_string_value(v))
            return 0;
        if (!own) {
            *(const char **) m = json_string_value(v);
            return 0;
        }
        if (!(*(char **) m = str_dup(json_string_value(v))))
            return berr_oom(err);
        return 0;
    case FK_OBJ:
    case FK_ARR:
        if (f->kind == FK_OBJ && !json_is_object(v))
            return rec_field_err(who, f->key, "an object", v, err);
        if (f->kind == FK_ARR && !json_is_array(v))
            return rec_field_err(who, f->key, "an array", v, err);
        *(json_t **) m = own ? json_incref(v) : v;
        return 0;
    }
    return 0;
}

const struct rec_field *rec_field_find(const struct rec_field *fs, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (fs[i].key[0] == key[0] && strcmp(fs[i].key, key) == 0)
            return &fs[i];
    return NULL;
}

/* strcmp's order; most keys differ in their first character */
static inline int key_cmp(const char *a, const char *b)
{
    return a[0] != b[0] ? (unsigned char) a[0] - (unsigned char) b[0] : strcmp(a, b);
}

/* ps reads a thousand records in a few milliseconds, so this is a merge:
 * records are written with their keys sorted and read back in that
 * order, and the tables are sorted too (test_ctrrec reads every field of
 * a sorted record), so one walk over both finds every field. A key out
 * of step (a record edited by hand) is looked for from the start. A
 * record with many more keys than the table (the whole spec) is asked
 * for the table's keys instead. */
/* field_get; read leniently (problem not NULL), a mistyped field is left
 * as it was (its default) and the first such error kept in *problem. */
static int field_get_or_note(const struct rec_field *f, json_t *v, void *base, bool own,
                             const struct rec_who *who, char **problem, struct berr **err)
{
    struct berr *e = NULL;

    if (field_get(f, v, base, own, who, problem ? &e : err) == 0)
        return 0;
    if (!problem)
        return -1;
    if (e->kind != BK_CORRUPT) {
        berr_free(*err);
        *err = e;
        return -1;
    }
    if (!*problem)
        *problem = STEAL_PTR(e->msg);   /* a BK_CORRUPT error is never the static one */
    berr_free(e);
    return 0;
}

int rec_fields_get(const struct rec_field *fs, size_t n, json_t *rec, void *base, bool own,
                   const struct rec_who *who, char **problem, struct berr **err)
{
    size_t cur = 0;

    if (json_object_size(rec) > 2 * n) {
        json_t *v;
        for (size_t i = 0; i < n; i++)
            if ((v = json_object_get(rec, fs[i].key)) &&
                field_get_or_note(&fs[i], v, base, own, who, problem, err) < 0)
                return -1;
        return 0;
    }
    /* the iterator itself: json_object_foreach makes five calls a key */
    for (void *it = json_object_iter(rec); it; it = json_object_iter_next(rec, it)) {
        const char *k = json_object_iter_key(it);
        json_t *v = json_object_iter_value(it);
        const struct rec_field *f;
        int c = 1;

        while (cur < n && (c = key_cmp(fs[cur].key, k)) < 0)
            cur++;
        if (cur < n && c == 0)
            f = &fs[cur++];
        else if (cur > 0 && key_cmp(fs[cur - 1].key, k) >= 0)
            f = rec_field_find(fs, n, k);   /* out of step: not sorted */
        else
            continue;                       /* between two of the table's keys: not one */
        if (f && field_get_or_note(f, v, base, own, who, problem, err) < 0)
            return -1;
    }
    return 0;
}

/* A string of the text, owned: its own malloc, or (strs) a copy in the
 * block. NULL out of memory. */
static char *scan_str(struct rec_strs *strs, const char *s, size_t n)
{
    char *c;

    if (!strs)
        return strndup(s, n);
    if (strs->cap - strs->used < n + 1)
        return NULL;
    c = strs->buf + strs->used;
    memcpy(c, s, n);
    c[n] = '\0';
    strs->used += n + 1;
    return c;
}

/* field_get of a value pulled from the text, owned: 0, or -1 when it is
 * not what the field must be (field_get words that error) or out of
 * memory. A tree moves into the member or is dropped. */
static int field_scan(const struct rec_field *f, struct js_val *v, char *base,
                      struct rec_strs *strs)
{
    void *m = base + f->off;

    switch (v->kind) {
    case JSV_NULL:
        return 0;
    case JSV_BOOL:
        if (f->kind != FK_BOOL)
            return -1;
        *(bool *) m = v->b;
        return 0;
    case JSV_INT:
        if (f->kind == FK_INT && v->i >= INT_MIN && v->i <= INT_MAX)
            *(int *) m = (int) v->i;
        else if (f->kind == FK_LL)
            *(long long *) m = v->i;
        else if (f->kind == FK_ULL && v->i >= 0)
            *(unsigned long long *) m = (unsigned long long) v->i;
        else
            return -1;
        return 0;
    case JSV_STR:
        if (f->kind != FK_STR && f->kind != FK_STR0)
            return -1;
        if (f->kind == FK_STR0 && !v->len)
            return 0;
        return (*(char **) m = scan_str(strs, v->s, v->len)) ? 0 : -1;
    case JSV_TREE:
        if ((f->kind == FK_OBJ && json_is_object(v->tree)) ||
            (f->kind == FK_ARR && json_is_array(v->tree))) {
            *(json_t **) m = v->tree;
            return 0;
        }
        json_decref(v->tree);
        return -1;
    }
    return -1;
}

/* strcmp's order of table key a and text key k (n bytes, no NUL in it) */
static int keyn_cmp(const char *a, const char *k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != k[i])       /* a's end included: its NUL is below any byte of k */
            return (unsigned char) a[i] - (unsigned char) k[i];
    return a[n] != '\0';
}

int rec_fields_pull(const struct rec_field *fs, size_t n, struct js_pull *j, void *base,
                    struct rec_strs *strs, const struct rec_scan_hook *hooks, size_t nhooks)
{
    uint64_t seen = 0;
    size_t cur = 0;
    int r;

    if (n + nhooks >= 64)
        return -1;
    for (;;) {
        const struct rec_field *f = NULL;
        const struct rec_scan_hook *h = NULL;
        struct js_val v;
        const char *k;
        size_t klen, bit;
        int c = 1;

        if ((r = js_pull_key(j, &k, &klen)) <= 0)
            return r;
        for (size_t i = 0; i < nhooks && !h; i++)
            if (hooks[i].key[0] == k[0] && keyn_cmp(hooks[i].key, k, klen) == 0)
                h = &hooks[i];
        if (!h) {
            /* keys come sorted, as the table: one walk (rec_fields_get) */
            while (cur < n && (c = keyn_cmp(fs[cur].key, k, klen)) < 0)
                cur++;
            if (cur < n && c == 0) {
                f = &fs[cur++];
            } else {
                for (size_t i = 0; i < n && !f; i++)    /* out of step */
                    if (keyn_cmp(fs[i].key, k, klen) == 0)
                        f = &fs[i];
            }
        }
        /* a key neither knows, or one seen before: not sure */
        if (!h && !f)
            return -1;
        bit = h ? n + (size_t) (h - hooks) : (size_t) (f - fs);
        if (seen & (1ULL << bit))
            return -1;
        seen |= 1ULL << bit;
        if (h ? h->fn(j, h->ctx) < 0
              : js_pull_value(j, &v) < 0 || field_scan(f, &v, base, strs) < 0)
            return -1;
    }
}

int rec_fields_scan(const struct rec_field *fs, size_t n, const char *buf, size_t len,
                    void *base, const struct rec_scan_hook *hooks, size_t nhooks)
{
    struct js_pull j;
    int r = -1;

    if (js_pull_begin(&j, buf, len) == 0)
        r = rec_fields_pull(fs, n, &j, base, NULL, hooks, nhooks);
    js_pull_free(&j);
    if (r == 0)
        return 0;
    rec_fields_free(fs, n, base);
    return -1;
}

void rec_fields_drop_trees(const struct rec_field *fs, size_t n, void *base)
{
    for (size_t i = 0; i < n; i++) {
        if (fs[i].kind == FK_OBJ || fs[i].kind == FK_ARR) {
            json_t **m = (json_t **) ((char *) base + fs[i].off);
            json_decref(*m);
            *m = NULL;
        }
    }
}

/* The JSON value of a member; NULL: leave the key out. */
static json_t *field_json(const struct rec_field *f, const void *base)
{
    const char *m = (const char *) base + f->off;

    switch (f->kind) {
    case FK_BOOL: return json_boolean(*(const bool *) m);
    case FK_INT: return json_integer(*(const int *) m);
    case FK_LL: return json_integer(*(const long long *) m);
    case FK_ULL: return json_integer((json_int_t) *(const unsigned long long *) m);
    case FK_STR: return *(char *const *) m ? json_string(*(char *const *) m) : NULL;
    case FK_STR0: return json_string(*(char *const *) m ? *(char *const *) m : "");
    default: return *(json_t *const *) m ? json_incref(*(json_t *const *) m) : NULL;
    }
}

json_t *rec_fields_json(const struct rec_field *fs, size_t n, const void *base, json_t *keep)
{
    _cleanup_json_ json_t *o = json_object();
    const char *k;
    json_t *v;

    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const struct rec_field *f = &fs[i];
        bool absent = (f->kind == FK_STR || f->kind == FK_OBJ || f->kind == FK_ARR) &&
                      !*(void *const *) ((const char *) base + f->off);
        /* our own ASCII keys: no UTF-8 check */
        if (!absent && json_object_set_new_nocheck(o, f->key, field_json(f, base)) < 0)
            return NULL;
    }
    /* forward compatibility: what a newer berth wrote stays */
    json_object_foreach(keep, k, v)
        if (!rec_field_find(fs, n, k) && json_object_set(o, k, v) < 0)
            return NULL;
    return STEAL_PTR(o);
}

void rec_fields_free(const struct rec_field *fs, size_t n, void *base)
{
    for (size_t i = 0; i < n; i++) {
        void *m = (char *) base + fs[i].off;
        switch (fs[i].kind) {
        case FK_STR:
        case FK_STR0:
            free(*(char **) m);
            *(char **) m = NULL;
            break;
        case FK_OBJ:
        case FK_ARR:
            json_decref(*(json_t **) m);
            *(json_t **) m = NULL;
            break;
        default:
            break;
        }
    }
}
