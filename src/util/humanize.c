/*
 * util/humanize.c: go-units' size and duration wording, and its size
 * parser (RAMInBytes).
 * Sizes are decimal (1000), three significant digits, Go's %g; durations
 * truncate below an hour and round half up from an hour on, as go-units'
 * roundDuration does.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "util/humanize.h"
#include "util/str.h"

char *hum_size_prec(double bytes, int precision, const char *sep)
{
    static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };
    size_t i = 0;

    while (bytes >= 1000.0 && i < sizeof(units) / sizeof(units[0]) - 1) {
        bytes /= 1000.0;
        i++;
    }
    /* C's %.*g and Go's agree here: both drop trailing zeros and switch
     * to an exponent ("1e+03") at the same point. */
    return str_fmt("%.*g%s%s", precision, bytes, sep, units[i]);
}

char *hum_size_bin(double bytes)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB",
                                         "YiB" };
    size_t i = 0;

    while (bytes >= 1024.0 && i < sizeof(units) / sizeof(units[0]) - 1) {
        bytes /= 1024.0;
        i++;
    }
    return str_fmt("%.4g%s", bytes, units[i]);
}

char *hum_size(double bytes)
{
    return hum_size_prec(bytes, 3, " ");
}

/* go-units roundDuration: int(d/unit + 0.5) */
static long long round_unit(double seconds, double unit)
{
    return (long long) (seconds / unit + 0.5);
}

/* hum_duration into buf (or a constant): no malloc, for a thousand rows */
static const char *hum_duration_buf(char buf[HUM_DURATION_BUF], double s)
{
    const double hour = 3600, day = 24 * hour, week = 7 * day, month = 30 * day,
                 year = 365 * day;
    long long secs, mins, hours, n;
    const char *unit;

    if (!(s >= 0))              /* negative or NaN: clock skew */
        s = 0;
    /* Go's time.Since saturates at the largest Duration (~292 years): so
     * does this, and the conversions below stay in range (an archive may
     * say its image was created in year 1, or 10^240). */
    if (s > 9223372036.854775807)
        s = 9223372036.854775807;
    secs = (long long) s;
    if (secs < 1)
        return "Less than a second";
    if (secs == 1)
        return "1 second";
    mins = (long long) (s / 60);
    hours = round_unit(s, hour);
    if (secs < 60)
        n = secs, unit = "seconds";
    else if (mins == 1)
        return "About a minute";
    else if (mins < 60)
        n = mins, unit = "minutes";
    else if (hours == 1)
        return "About an hour";
    else if (hours < 48)
        n = hours, unit = "hours";
    else if (s < 2 * week)
        n = round_unit(s, day), unit = "days";
    else if (s < 2 * month)
        n = round_unit(s, week), unit = "weeks";
    else if (s < 2 * year)
        n = round_unit(s, month), unit = "months";
    else
        n = round_unit(s, year), unit = "years";
    snprintf(buf, HUM_DURATION_BUF, "%lld %s", n, unit);
    return buf;
}

char *hum_duration(double s)
{
    char buf[HUM_DURATION_BUF];

    return str_dup(hum_duration_buf(buf, s));
}

const char *hum_ago_buf(char buf[HUM_AGO_BUF], double when, double now)
{
    char d[HUM_DURATION_BUF];

    snprintf(buf, HUM_AGO_BUF, "%s ago", hum_duration_buf(d, now - when));
    return buf;
}

char *hum_ago_at(double when, double now)
{
    char buf[HUM_AGO_BUF];

    return str_dup(hum_ago_buf(buf, when, now));
}

char *hum_ago(double when)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return hum_ago_at(when, (double) ts.tv_sec + ts.tv_nsec / 1e9);
}

/* go-units RAMInBytes: ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$ */
static bool size_syntax(const char *s, double base, size_t *numlen, double *mult)
{
    static const char units[] = "kmgtp";
    const char *p = s, *u;
    int dots = 0;

    if (!isdigit((unsigned char) *p))
        return false;
    while (isdigit((unsigned char) *p) || (*p == '.' && isdigit((unsigned char) p[1]))) {
        dots += *p == '.';
        p++;
    }
    *numlen = (size_t) (p - s);
    *mult = 1;
    if (*p == ' ')
        p++;
    if (*p && (u = strchr(units, tolower((unsigned char) *p)))) {
        for (long i = 0; i <= u - units; i++)
            *mult *= base;
        p++;
    }
    if (*p == 'i' || *p == 'I')
        p++;
    if (*p == 'b' || *p == 'B')
        p++;
    return !*p && dots <= 1;
}

static int parse_size(const char *s, double base, long long *out)
{
    size_t numlen;
    double v, mult;
    char *end;

    if (!s || !size_syntax(s, base, &numlen, &mult))
        return -1;
    /* the syntax check leaves nothing after the digits that strtod would
     * take (no exponent, no hex): it stops where the number ends */
    errno = 0;
    v = strtod(s, &end);
    if (errno || end != s + numlen || !isfinite(v * mult) || v * mult > 9.2e18)
        return -1;
    *out = (long long) (v * mult);
    return 0;
}

int hum_parse_size(const char *s, long long *out)
{
    return parse_size(s, 1024, out);
}

int hum_parse_size_si(const char *s, long long *out)
{
    return parse_size(s, 1000, out);
}
