/*
 * util/log.c: the logger. Its level is process-wide state, set once by
 * main() from --log-level; everything else reads it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "util/str.h"

static enum log_level cur = LOG_WARN;
static struct timespec t0;

void log_set_level(enum log_level l)
{
    cur = l;
    clock_gettime(CLOCK_MONOTONIC, &t0);
}

enum log_level log_get_level(void) { return cur; }

int log_parse_level(const char *s)
{
    static const struct { const char *n; int l; } names[] = {
        { "panic", LOG_ERROR }, { "fatal", LOG_ERROR }, { "error", LOG_ERROR },
        { "warn", LOG_WARN }, { "warning", LOG_WARN }, { "info", LOG_INFO },
        { "debug", LOG_DEBUG }, { "trace", LOG_TRACE },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i].n) == 0)
            return names[i].l;
    return -1;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
    static const char *const tags[] = { "ERRO", "WARN", "INFO", "DEBU", "TRAC" };
    struct timespec now;
    va_list ap;

    if (l > cur)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    va_start(ap, fmt);
    char *msg = str_vfmt(fmt, ap);
    va_end(ap);
    /* a name from an archive or a flag must not drive the terminal */
    char *safe = msg ? str_escape_ctl(msg) : NULL;
    fprintf(stderr, "%s[%04ld] %s\n", tags[l], (long) (now.tv_sec - t0.tv_sec),
            safe ? safe : msg ? msg : fmt);
    free(safe);
    free(msg);
}
