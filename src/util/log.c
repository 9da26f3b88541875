/*
 * util/log.c: the logger. Its level is process-wide state, set once by
 * main() from --log-level; everything else reads it.
 *
 * Lines look like logrus's (podman's logger) with its default text
 * formatter: on a terminal "WARN[0003] message" with the level coloured
 * and the seconds since start; otherwise key=value,
 * time="2024-05-01T10:00:00+02:00" level=warning msg="message", the
 * message quoted as Go's %q when it holds anything but [A-Za-z0-9-._/@^+].
 * Either way a control byte in a message cannot drive the terminal: it is
 * escaped (str_escape_ctl, or Go's quoting).
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
#include "util/str.h"

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

/* The length of the valid UTF-8 sequence at p (2-4), 0 if none. */
static int utf8_len(const unsigned char *p)
{
    int n = *p >= 0xf0 && *p <= 0xf4 ? 4 : *p >= 0xe0 && *p < 0xf0 ? 3 : *p >= 0xc2 && *p < 0xe0 ? 2 : 0;

    for (int i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* Go's strconv.Quote: control characters (C1 included) and bytes that are
 * no UTF-8 come out escaped; other characters as they are. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        const char *esc = strchr("\a\b\f\n\r\t\v", *p);
        int n;
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (esc)
            fprintf(f, "\\%c", "abfnrtv"[esc - "\a\b\f\n\r\t\v"]);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else if (*p < 0x80)
            fputc(*p, f);
        else if (!(n = utf8_len(p)))
            fprintf(f, "\\x%02x", *p);
        else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)        /* U+0080..U+009F */
            fprintf(f, "\\u%04x", p[1]), p++;
        else
            fwrite(p, 1, (size_t) n, f), p += n - 1;
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
        /* a name from an archive or a flag must not drive the terminal */
        char *safe = str_escape_ctl(msg);
        clock_gettime(CLOCK_MONOTONIC, &now);
        fprintf(stderr, "\x1b[%dm%s\x1b[0m[%04ld] %-44s \n", colors[l], tags[l],
                (long) (now.tv_sec - t0.tv_sec), safe ? safe : msg);
        free(safe);
        return;
    }
    /* Go-quoted, so control bytes come out escaped */
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
    const char *m;
    char *msg;
    va_list ap;
    size_t len;

    if (l > cur)
        return;
    va_start(ap, fmt);
    msg = str_vfmt(fmt, ap);
    va_end(ap);
    m = msg ? msg : fmt;        /* out of memory: the format at least */
    len = strlen(m);
    if (msg && len && msg[len - 1] == '\n')     /* as logrus: one line per entry */
        msg[len - 1] = '\0';
    put_line(l, m);
    free(msg);
}

void log_plain(const char *fmt, ...)
{
    va_list ap;
    char *msg, *safe;

    va_start(ap, fmt);
    msg = str_vfmt(fmt, ap);
    va_end(ap);
    /* a name from an archive or a flag must not drive the terminal */
    safe = msg ? str_escape_ctl(msg) : NULL;
    fprintf(stderr, "%s\n", safe ? safe : msg ? msg : fmt);
    free(safe);
    free(msg);
}
