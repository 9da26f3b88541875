/*
 * state/ids.c: object ids and the checks on ids and names.
 * An id is 32 bytes from getrandom(2) in lower-case hex, like podman's
 * (containers/storage stringid): the short id is its first 12 chars, and
 * a short id made only of digits is re-rolled, since something that
 * parses as a number breaks host names and confuses lookups.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/random.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/str.h"

int state_random(void *buf, size_t len, struct berr **err)
{
    unsigned char *p = buf;

    while (len) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return berr_sys(err, "read random bytes");
        }
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int state_new_id(char *out, struct berr **err)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[STATE_ID_LEN / 2];

    do {
        if (state_random(raw, sizeof(raw), err) < 0)
            return -1;
        for (size_t i = 0; i < sizeof(raw); i++) {
            out[2 * i] = hex[raw[i] >> 4];
            out[2 * i + 1] = hex[raw[i] & 15];
        }
        out[STATE_ID_LEN] = '\0';
    } while (all_digits(out, 12));
    return 0;
}

bool state_id_valid(const char *id)
{
    /* every read checks its id: ps checks a thousand, by table */
    static const bool hex[256] = {
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
        ['7'] = 1, ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
        ['e'] = 1, ['f'] = 1,
    };
    size_t i;

    for (i = 0; hex[(unsigned char) id[i]]; i++)
        ;
    return i == STATE_ID_LEN && id[i] == '\0';
}

bool state_name_valid(const char *name)
{
    static const char more[] = "_.-";

    if (!name || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
                   (name[0] >= '0' && name[0] <= '9')))
        return false;
    for (const char *p = name + 1; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr(more, c)))
            return false;
    }
    /* not podman's rule, but NAME_MAX is the file system's */
    return strlen(name) <= 255;
}

int state_check_key(enum obj_kind kind, const char *key, struct berr **err)
{
    if (kind == OBJ_VOLUME) {
        if (!state_name_valid(key))
            return state_err(err, BK_INVALID, "invalid volume name \"%s\": invalid argument",
                             key ? key : "");
        return 0;
    }
    if (!key || !state_id_valid(key))
        return state_err(err, BK_INVALID, "invalid %s ID \"%s\": invalid argument",
                         state_kind_word(kind), key ? key : "");
    return 0;
}

const char *state_kind_dirname(enum obj_kind kind)
{
    switch (kind) {
    case OBJ_CONTAINER: return "containers";
    case OBJ_POD:       return "pods";
    case OBJ_VOLUME:    return "volumes";
    }
    return "containers";
}

const char *state_kind_word(enum obj_kind kind)
{
    switch (kind) {
    case OBJ_CONTAINER: return "container";
    case OBJ_POD:       return "pod";
    case OBJ_VOLUME:    return "volume";
    }
    return "container";
}

int state_err(struct berr **err, enum berr_kind kind, const char *fmt, ...)
{
    _cleanup_free_ char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = str_vfmt(fmt, ap);
    va_end(ap);
    if (!msg)
        return berr_oom(err);
    berr_msg(err, "%s", msg);
    /* the out-of-memory error is a shared static object: never touch it */
    if (err && *err && (*err)->msg && (*err)->errnum != ENOMEM)
        (*err)->kind = kind;
    return -1;
}
