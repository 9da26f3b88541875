/*
 * util/js.c: JSON file I/O through jansson.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

static int read_parse(int fd, const char *path, json_t **out, struct berr **err)
{
    _cleanup_free_ char *heap = NULL;
    char small[4096];
    const char *buf = small;
    size_t len = 0;
    json_error_t je;
    json_t *j;

    /* Records are small: read them on the stack (a 4 KiB malloc per file
     * made glibc consolidate its free lists every time), spill to the
     * heap for anything bigger. One page, not four: the parser runs below
     * the buffer, and a deeper stack is fresh pages (3-5 page faults of
     * create and inspect); records are well under it (state.json with
     * its view: ~0.8 KB). */
    for (;;) {
        ssize_t r = read(fd, small + len, sizeof(small) - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return berr_sys(err, "read %s", path);
        if (r == 0)
            break;
        len += (size_t) r;
        /* A short read of a local regular file means its end: a record
         * that parses is taken without the read that would return 0. If
         * it does not parse, we read on and judge the whole file. */
        if (len < sizeof(small) && len == (size_t) r &&
            (j = js_loadb(small, len, JSON_REJECT_DUPLICATES, NULL)) != NULL) {
            *out = j;
            return 0;
        }
        if (len == sizeof(small)) {     /* too big for the stack: again, whole */
            if (lseek(fd, 0, SEEK_SET) < 0 || fs_read_fd(fd, &heap, &len) < 0)
                return berr_sys(err, "read %s", path);
            buf = heap;
            break;
        }
    }
    j = js_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        berr_kind(err, BK_CORRUPT, "%s:%d:%d: invalid JSON: %s", path, je.line, je.column,
                  je.text);
        return -1;
    }
    *out = j;
    return 0;
}

int js_read_fileat(int dirfd, const char *rel, const char *path, json_t **out, struct berr **err)
{
    _cleanup_close_ int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return berr_sys(err, "open %s", path);
    return read_parse(fd, path, out, err);
}

int js_read_fd(int fd, const char *path, json_t **out, struct berr **err)
{
    return read_parse(fd, path, out, err);
}

int js_read_file(const char *path, json_t **out, struct berr **err)
{
    return js_read_fileat(AT_FDCWD, path, path, out, err);
}

int js_write_atomic(const char *dir, const char *name, json_t *j, mode_t mode,
                    struct berr **err)
{
    _cleanup_free_ char *s = js_dumps_sorted(j, 0);
    int r;

    if (!s)
        return berr_oom(err);
    r = fs_write_atomic(dir, name, s, strlen(s), mode, err);
    return r;
}

int js_write_replace(const char *dir, const char *name, json_t *j, mode_t mode,
                     struct berr **err)
{
    _cleanup_free_ char *s = js_dumps_sorted(j, 0);

    if (!s)
        return berr_oom(err);
    return fs_write_replace(dir, name, s, strlen(s), mode, err);
}

int js_write_new(const char *dir, const char *name, json_t *j, mode_t mode, bool sync,
                 struct berr **err)
{
    _cleanup_free_ char *s = js_dumps_sorted(j, 0);

    if (!s)
        return berr_oom(err);
    return fs_write_new(dir, name, s, strlen(s), mode, sync, err);
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

void js_seed(void)
{
    size_t seed = 0;

    /* 0 (no bytes, or all zero) leaves jansson to seed itself */
    if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t) sizeof(seed) && seed)
        json_object_seed(seed);
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

json_t *js_sorted_copy(json_t *o)
{
    json_t *out = json_object();
    const char **keys;
    const char *k;
    json_t *v;
    size_t n = 0;

    if (!out || !json_is_object(o))
        return out;
    keys = calloc(json_object_size(o) + 1, sizeof(*keys));
    if (!keys) {
        json_decref(out);
        return NULL;
    }
    json_object_foreach(o, k, v)
        keys[n++] = k;
    qsort(keys, n, sizeof(*keys), cmp_key);
    for (size_t i = 0; i < n; i++)
        if (json_object_set(out, keys[i], json_object_get(o, keys[i])) < 0) {
            json_decref(out);
            out = NULL;
            break;
        }
    free(keys);
    return out;
}
