/*
 * util/err.h: the one error object that travels up the stack.
 * Functions that can fail return -1 and fill *err; callers add context with
 * berr_wrap(); only main() prints it, once, as "Error: <msg>".
 */
#ifndef BERTH_ERR_H
#define BERTH_ERR_H

#include <stdarg.h>
#include <stdbool.h>

enum {
    BERR_ENGINE = 125,          /* berth itself failed */
    BERR_CANNOT_INVOKE = 126,   /* the container command could not be invoked */
    BERR_NOT_FOUND = 127,       /* the container command was not found */
};

/* What went wrong, for callers that react to a class of error (rm -> 1/2). */
enum berr_kind {
    BK_NONE = 0,
    BK_NO_SUCH,         /* no such container/image/pod/volume/network */
    BK_EXISTS,          /* name in use, ambiguous prefix ("already exists") */
    BK_STATE,           /* container state improper */
    BK_INVALID,         /* invalid argument */
    BK_CORRUPT,         /* a record failed to parse */
};

struct berr {
    int exit_code;
    int errnum;
    enum berr_kind kind;
    char *msg;
};

int berr_new(struct berr **err, int exit_code, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Like berr_new with a kind; message gets podman's suffix for the kind when
 * fmt does not end with it already (": no such container", ...). */
int berr_kind(struct berr **err, enum berr_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An engine error (125) of this kind, the message as formatted, with no
 * suffix: for wrappers taking their own variadic arguments. */
int berr_vplain(struct berr **err, enum berr_kind kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* A kind, and the message exactly as given (no suffix). */
int berr_plain(struct berr **err, enum berr_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define berr_sys(err, ...) berr_new(err, BERR_ENGINE, errno, __VA_ARGS__)
#define berr_msg(err, ...) berr_new(err, BERR_ENGINE, 0, __VA_ARGS__)
/* Prefix the existing message with "fmt: ". Returns -1. */
int berr_wrap(struct berr **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends " (fmt)" to the existing message: the one command that gets out
 * of it ("`berth system check --repair` moves ..."). Returns -1. */
int berr_hint(struct berr **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int berr_oom(struct berr **err);
void berr_free(struct berr *e);
static inline void berr_freep(struct berr **e) { berr_free(*e); *e = 0; }
#define _cleanup_berr_ __attribute__((cleanup(berr_freep)))
/* Go-style errno text: lower-case first letter ("no such file or directory"). */
const char *berr_strerror(int errnum, char *buf, unsigned len);

#endif
