/*
 * util/log.c: the logger. Its level is process-wide state, set once by
 * main() from --log-level; everything else reads it.
 *
 * Lines look like logrus's (podman's logger) with its default text
 * formatter: on a terminal "WARN[0003] message" with the level coloured
 * and the seconds since start; otherwise key=value,
 * time="2024-05-01T10:00:00+02:00" level=warning msg="message", the
 * message quoted as Go's %q when it holds anything but [A-Za-z0-9-._/@^+].
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static enum log_level cur = LOG_WARN;
static struct timespec t0;

void log_set_level(enum log_level l)
{
    cur = l;
    if (!t0.tv_sec && !t0.tv_nsec)
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
    /* logrus.ParseLevel lower-cases: --log-level=DEBUG is fine */
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(s, names[i].n) == 0)
            return names[i].l;
    return -1;
}

static bool needs_quoting(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("-._/@^+", *s)))
            return true;
    return false;
}

/* Go's strconv.Quote, for the ASCII range (other bytes pass as they are) */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        const char *esc = strchr("\a\b\f\n\r\t\v", *p);
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (esc)
            fprintf(f, "\\%c", "abfnrtv"[esc - "\a\b\f\n\r\t\v"]);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* time.RFC3339 in local time: 2024-05-01T10:00:00+02:00, or ...Z in UTC */
static void put_time(FILE *f)
{
    time_t now = time(NULL);
    struct tm tm;
    char buf[32];

    localtime_r(&now, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    if (tm.tm_gmtoff == 0)
        fprintf(f, "time=\"%sZ\"", buf);
    else
        fprintf(f, "time=\"%s%c%02ld:%02ld\"", buf, tm.tm_gmtoff < 0 ? '-' : '+',
                labs(tm.tm_gmtoff) / 3600, labs(tm.tm_gmtoff) % 3600 / 60);
}

static void put_line(enum log_level l, const char *msg)
{
    static const char *const tags[] = { "ERRO", "WARN", "INFO", "DEBU", "TRAC" };
    static const char *const names[] = { "error", "warning", "info", "debug", "trace" };
    static const int colors[] = { 31, 33, 36, 37, 37 };
    struct timespec now;

    if (isatty(STDERR_FILENO)) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        fprintf(stderr, "\x1b[%dm%s\x1b[0m[%04ld] %-44s \n", colors[l], tags[l],
                (long) (now.tv_sec - t0.tv_sec), msg);
        return;
    }
    put_time(stderr);
    fprintf(stderr, " level=%s msg=", names[l]);
    if (needs_quoting(msg))
        put_quoted(stderr, msg);
    else
        fputs(msg, stderr);
    fputc('\n', stderr);
}

void log_msg(enum log_level l, const char *fmt, ...)
{
    char buf[1024], *m = buf;
    va_list ap;
    int n;
    size_t len;

    if (l > cur)
        return;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n >= (int) sizeof(buf) && (m = malloc((size_t) n + 1))) {
        va_start(ap, fmt);
        vsnprintf(m, (size_t) n + 1, fmt, ap);
        va_end(ap);
    } else if (n >= (int) sizeof(buf)) {
        m = buf;            /* out of memory: the message is cut short */
    }
    len = strlen(m);
    if (len && m[len - 1] == '\n')      /* as logrus: one line per entry */
        m[len - 1] = '\0';
    put_line(l, m);
    if (m != buf)
        free(m);
}

void log_plain(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
