/*
 * util/js.c: JSON file I/O through jansson.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

int js_read_file(const char *path, json_t **out, struct berr **err)
{
    _cleanup_free_ char *buf = NULL;
    size_t len = 0;
    json_error_t je;
    json_t *j;

    if (fs_read_file(path, &buf, &len, err) < 0)
        return -1;
    j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        berr_kind(err, BK_CORRUPT, "%s:%d:%d: invalid JSON: %s", path, je.line, je.column,
                  je.text);
        return -1;
    }
    *out = j;
    return 0;
}

int js_write_atomic(const char *dir, const char *name, json_t *j, mode_t mode,
                    struct berr **err)
{
    _cleanup_free_ char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    int r;

    if (!s)
        return berr_oom(err);
    r = fs_write_atomic(dir, name, s, strlen(s), mode, err);
    return r;
}

const char *js_str(json_t *o, const char *key, const char *dflt)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

long long js_int(json_t *o, const char *key, long long dflt)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? json_integer_value(v) : dflt;
}

bool js_bool(json_t *o, const char *key, bool dflt)
{
    json_t *v = json_object_get(o, key);
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

int js_set_str(json_t *o, const char *key, const char *s)
{
    return json_object_set_new(o, key, s ? json_string(s) : json_null());
}

int js_set_int(json_t *o, const char *key, long long v)
{
    return json_object_set_new(o, key, json_integer(v));
}

int js_set_bool(json_t *o, const char *key, bool v)
{
    return json_object_set_new(o, key, json_boolean(v));
}

json_t *js_strv(char *const *v)
{
    json_t *a = json_array();
    for (size_t i = 0; a && v && v[i]; i++)
        if (json_array_append_new(a, json_string(v[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

char **js_to_strv(json_t *arr)
{
    char **v = calloc(1, sizeof(char *));
    size_t i;
    json_t *e;

    if (!v)
        return NULL;
    json_array_foreach(arr, i, e) {
        if (json_is_string(e) && strv_push(&v, json_string_value(e)) < 0) {
            strv_free(v);
            return NULL;
        }
    }
    return v;
}
