/*
 * util/err.c: struct berr. Out of memory returns a static object so that
 * reporting it cannot fail in turn.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

static struct berr oom_err = { BERR_ENGINE, ENOMEM, BK_NONE, (char *) "out of memory" };

const char *berr_strerror(int errnum, char *buf, unsigned len)
{
    const char *s = strerror_r(errnum, buf, len);
    if (s != buf) {
        snprintf(buf, len, "%s", s);
    }
    if (buf[0] && isupper((unsigned char) buf[0]) && !isupper((unsigned char) buf[1]))
        buf[0] = (char) tolower((unsigned char) buf[0]);
    return buf;
}

static int berr_vnew(struct berr **err, int exit_code, int errnum, enum berr_kind kind,
                     const char *suffix, const char *fmt, va_list ap)
{
    char *msg = NULL, *full = NULL;
    char ebuf[128];
    struct berr *e;

    if (!err)
        return -1;
    if (vasprintf(&msg, fmt, ap) < 0)
        return berr_oom(err);
    if (errnum) {
        if (asprintf(&full, "%s: %s", msg, berr_strerror(errnum, ebuf, sizeof(ebuf))) < 0)
            full = NULL;
        free(msg);
        msg = full;
    } else if (suffix) {
        size_t ml = strlen(msg), sl = strlen(suffix);
        if (ml < sl || strcmp(msg + ml - sl, suffix) != 0) {
            if (asprintf(&full, "%s%s", msg, suffix) < 0)
                full = NULL;
            free(msg);
            msg = full;
        }
    }
    if (!msg)
        return berr_oom(err);
    e = calloc(1, sizeof(*e));
    if (!e) {
        free(msg);
        return berr_oom(err);
    }
    e->exit_code = exit_code;
    e->errnum = errnum;
    e->kind = kind;
    e->msg = msg;
    berr_free(*err);     /* a later error replaces an earlier one */
    *err = e;
    return -1;
}

int berr_new(struct berr **err, int exit_code, int errnum, const char *fmt, ...)
{
    va_list ap;
    int r;
    int saved = errnum;

    va_start(ap, fmt);
    r = berr_vnew(err, exit_code, saved, BK_NONE, NULL, fmt, ap);
    va_end(ap);
    return r;
}

int berr_kind(struct berr **err, enum berr_kind kind, const char *fmt, ...)
{
    static const char *const suffixes[] = {
        [BK_NONE] = NULL,
        [BK_NO_SUCH] = NULL,
        [BK_EXISTS] = NULL,
        [BK_STATE] = ": container state improper",
        [BK_INVALID] = ": invalid argument",
        [BK_CORRUPT] = NULL,
    };
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = berr_vnew(err, BERR_ENGINE, 0, kind, suffixes[kind], fmt, ap);
    va_end(ap);
    return r;
}

int berr_vplain(struct berr **err, enum berr_kind kind, const char *fmt, va_list ap)
{
    return berr_vnew(err, BERR_ENGINE, 0, kind, NULL, fmt, ap);
}

int berr_plain(struct berr **err, enum berr_kind kind, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = berr_vnew(err, BERR_ENGINE, 0, kind, NULL, fmt, ap);
    va_end(ap);
    return r;
}

int berr_wrap(struct berr **err, const char *fmt, ...)
{
    char *pre = NULL, *full = NULL;
    va_list ap;

    if (!err || !*err || *err == &oom_err)
        return -1;
    va_start(ap, fmt);
    if (vasprintf(&pre, fmt, ap) < 0)
        pre = NULL;
    va_end(ap);
    if (!pre)
        return -1;
    if (asprintf(&full, "%s: %s", pre, (*err)->msg) >= 0) {
        free((*err)->msg);
        (*err)->msg = full;
    }
    free(pre);
    return -1;
}

int berr_hint(struct berr **err, const char *fmt, ...)
{
    char *hint = NULL, *full = NULL;
    va_list ap;

    if (!err || !*err || *err == &oom_err)
        return -1;
    va_start(ap, fmt);
    if (vasprintf(&hint, fmt, ap) < 0)
        hint = NULL;
    va_end(ap);
    if (!hint)
        return -1;
    if (asprintf(&full, "%s (%s)", (*err)->msg, hint) >= 0) {
        free((*err)->msg);
        (*err)->msg = full;
    }
    free(hint);
    return -1;
}

int berr_oom(struct berr **err)
{
    if (err) {
        berr_free(*err);
        *err = &oom_err;
    }
    return -1;
}

void berr_free(struct berr *e)
{
    if (!e || e == &oom_err)
        return;
    free(e->msg);
    free(e);
}
