/*
 * util/timefmt.c: Go's time layouts and durations, for --since/--until
 * and for the times podman prints. The civil-date arithmetic is done
 * here (days from 1970-01-01) so a value with an explicit offset never
 * depends on TZ; only zone-less values and our own output use the local
 * zone, through localtime_r()/mktime().
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/timefmt.h"

#define NS_PER_SEC 1000000000LL

int time_cmp(struct timespec a, struct timespec b)
{
    if (a.tv_sec != b.tv_sec)
        return a.tv_sec < b.tv_sec ? -1 : 1;
    if (a.tv_nsec != b.tv_nsec)
        return a.tv_nsec < b.tv_nsec ? -1 : 1;
    return 0;
}

/* ---- durations ---- */

static const struct {
    const char *name;
    long long ns;
} dur_units[] = {
    { "ns", 1 },
    { "us", 1000 },
    { "\xc2\xb5s", 1000 },      /* U+00B5 micro sign */
    { "\xce\xbcs", 1000 },      /* U+03BC Greek mu */
    { "ms", 1000000 },
    { "s", NS_PER_SEC },
    { "m", 60 * NS_PER_SEC },
    { "h", 3600 * NS_PER_SEC },
};

/* Go's ParseDuration, including its quirk of scaling the fraction through
 * a float64, so "1.1h" gives exactly the nanoseconds Go gives. */
int go_duration_parse(const char *s, long long *ns)
{
    const uint64_t max = (uint64_t) 1 << 63;
    uint64_t d = 0;
    bool neg = false;

    if (!s)
        return -1;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    if (strcmp(s, "0") == 0) {
        *ns = 0;
        return 0;
    }
    if (!*s)
        return -1;
    while (*s) {
        uint64_t v = 0, f = 0, unit = 0;
        double scale = 1;
        bool pre, post = false;
        const char *start = s;
        size_t ulen, i;

        if (!(*s == '.' || isdigit((unsigned char) *s)))
            return -1;
        for (; isdigit((unsigned char) *s); s++) {
            if (v > max / 10)       /* the next digit would overflow */
                return -1;
            v = v * 10 + (uint64_t) (*s - '0');
            if (v > max)
                return -1;
        }
        pre = s != start;
        if (*s == '.') {
            const char *fs = ++s;
            bool overflow = false;

            for (; isdigit((unsigned char) *s); s++) {
                if (overflow)
                    continue;
                if (f > (max - 1) / 10) {
                    overflow = true;    /* ignore the digits Go ignores */
                    continue;
                }
                f = f * 10 + (uint64_t) (*s - '0');
                scale *= 10;
            }
            post = s != fs;
        }
        if (!pre && !post)
            return -1;
        for (ulen = 0; s[ulen] && s[ulen] != '.' && !isdigit((unsigned char) s[ulen]); ulen++)
            ;
        if (ulen == 0)
            return -1;      /* missing unit */
        for (i = 0; i < sizeof(dur_units) / sizeof(dur_units[0]); i++)
            if (strlen(dur_units[i].name) == ulen && memcmp(dur_units[i].name, s, ulen) == 0)
                unit = (uint64_t) dur_units[i].ns;
        if (!unit)
            return -1;      /* unknown unit */
        s += ulen;
        if (v > max / unit)
            return -1;
        v *= unit;
        if (f > 0) {
            v += (uint64_t) ((double) f * ((double) unit / scale));
            if (v > max)
                return -1;
        }
        d += v;
        if (d > max)
            return -1;
    }
    if (neg) {
        *ns = d == max ? LLONG_MIN : -(long long) d;
        return 0;
    }
    if (d > max - 1)
        return -1;
    *ns = (long long) d;
    return 0;
}

/* ---- civil dates ---- */

static bool is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int m, long y)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

long long days_from_civil(long long y, int m, int d)
{
    long long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char) (*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

/* "Z" or "+hh:mm"/"-hh:mm" (Go's Z07:00). */
static bool parse_zone(const char **p, int *offset, bool *is_z)
{
    int sign, hh, mm;

    if (**p == 'Z') {
        (*p)++;
        *offset = 0;
        *is_z = true;
        return true;
    }
    if (**p != '+' && **p != '-')
        return false;
    sign = **p == '-' ? -1 : 1;
    (*p)++;
    if (!digits(p, 2, &hh) || **p != ':')
        return false;
    (*p)++;
    if (!digits(p, 2, &mm) || hh > 24 || mm > 59)
        return false;
    *offset = sign * (hh * 3600 + mm * 60);
    *is_z = false;
    return true;
}

struct civil {
    int y, mo, d, h, mi, s;
    long nsec;
    bool has_zone, is_z;
    int offset;
};

/* The six layouts of ParseInputTime share one grammar:
 *   DATE [ZONE] | DATE "T" hh:mm:ss [FRACTION] [ZONE]
 * Go accepts a fraction after the seconds even where the layout has
 * none, so RFC3339 and RFC3339Nano are the same thing on input. */
static bool parse_layouts(const char *s, struct civil *c, bool need_zone)
{
    const char *p = s;

    memset(c, 0, sizeof(*c));
    if (!digits(&p, 4, &c->y) || *p++ != '-' || !digits(&p, 2, &c->mo) || *p++ != '-' ||
        !digits(&p, 2, &c->d))
        return false;
    if (c->mo < 1 || c->mo > 12 || c->d < 1 || c->d > days_in(c->mo, c->y))
        return false;
    if (*p == 'T') {
        p++;
        if (!digits(&p, 2, &c->h) || *p++ != ':' || !digits(&p, 2, &c->mi) || *p++ != ':' ||
            !digits(&p, 2, &c->s))
            return false;
        if (c->h > 23 || c->mi > 59 || c->s > 59)
            return false;
        if ((*p == '.' || *p == ',') && isdigit((unsigned char) p[1])) {
            long scale = 100000000;

            for (p++; isdigit((unsigned char) *p); p++, scale /= 10)
                c->nsec += (*p - '0') * scale;  /* digits past the 9th add 0 */
        }
    } else if (need_zone && *p != 'Z' && *p != '+' && *p != '-') {
        return false;
    }
    if (*p) {
        if (!parse_zone(&p, &c->offset, &c->is_z))
            return false;
        c->has_zone = true;
    }
    if (need_zone && !c->has_zone)
        return false;
    return *p == '\0';
}

static int civil_to_ts(const struct civil *c, struct timespec *out)
{
    if (c->has_zone) {
        long long days = days_from_civil(c->y, c->mo, c->d);
        out->tv_sec = (time_t) (days * 86400 + c->h * 3600 + c->mi * 60 + c->s - c->offset);
    } else {
        struct tm tm = {
            .tm_year = c->y - 1900, .tm_mon = c->mo - 1, .tm_mday = c->d,
            .tm_hour = c->h, .tm_min = c->mi, .tm_sec = c->s, .tm_isdst = -1,
        };
        time_t t;

        errno = 0;
        t = mktime(&tm);
        if (t == (time_t) -1 && errno)
            return -1;
        out->tv_sec = t;
    }
    out->tv_nsec = c->nsec;
    return 0;
}

int time_parse_rfc3339(const char *s, struct timespec *out, int *offset, bool *is_z)
{
    struct civil c;

    if (!s || !strchr(s, 'T') || !parse_layouts(s, &c, true) || civil_to_ts(&c, out) < 0)
        return -1;
    if (offset)
        *offset = c.offset;
    if (is_z)
        *is_z = c.is_z;
    return 0;
}

int time_parse_go(const char *s, struct timespec *out, int *offset)
{
    char buf[TIME_BUF];
    const char *sp, *zone;
    size_t n;

    if (time_parse_rfc3339(s, out, offset, NULL) == 0)
        return 0;
    /* "2006-01-02 15:04:05[.frac] -0700 MST" -> "2006-01-02T15:04:05[.frac]-07:00" */
    if (!s || strlen(s) < 25 || s[10] != ' ' || !(sp = strchr(s + 11, ' ')))
        return -1;
    zone = sp + 1;
    if ((zone[0] != '+' && zone[0] != '-') || strlen(zone) < 5)
        return -1;
    n = (size_t) (sp - s);
    if (n + 7 >= sizeof(buf))
        return -1;
    memcpy(buf, s, n);
    buf[10] = 'T';
    snprintf(buf + n, sizeof(buf) - n, "%c%c%c:%c%c", zone[0], zone[1], zone[2], zone[3], zone[4]);
    return time_parse_rfc3339(buf, out, offset, NULL);
}

/* Unix seconds with an optional fraction: "1700000000", "1700000000.5",
 * "-1.25". Exact to the nanosecond (podman goes through a float64). */
static bool parse_unix(const char *s, struct timespec *out)
{
    bool neg = false, any = false;
    long long sec = 0, nsec = 0, scale = 100000000;

    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; isdigit((unsigned char) *s); s++) {
        if (sec > (LLONG_MAX - 9) / 10)
            return false;
        sec = sec * 10 + (*s - '0');
        any = true;
    }
    if (*s == '.') {
        for (s++; isdigit((unsigned char) *s); s++, scale /= 10) {
            nsec += (*s - '0') * scale;
            any = true;
        }
    }
    if (!any || *s)
        return false;
    if (neg && nsec) {
        sec = -sec - 1;
        nsec = NS_PER_SEC - nsec;
    } else if (neg) {
        sec = -sec;
    }
    out->tv_sec = (time_t) sec;
    out->tv_nsec = (long) nsec;
    return true;
}

static struct timespec ts_add_ns(struct timespec t, long long ns)
{
    long long sec = ns / NS_PER_SEC, rem = ns % NS_PER_SEC;

    t.tv_sec += (time_t) sec;
    t.tv_nsec += (long) rem;
    if (t.tv_nsec < 0) {
        t.tv_nsec += NS_PER_SEC;
        t.tv_sec--;
    } else if (t.tv_nsec >= NS_PER_SEC) {
        t.tv_nsec -= NS_PER_SEC;
        t.tv_sec++;
    }
    return t;
}

int time_parse_filter(const char *s, struct timespec now, struct timespec *out,
                      struct berr **err)
{
    struct berr *e = NULL;

    if (time_parse_input(s, false, now, out, &e) == 0)
        return 0;
    berr_free(e);
    return berr_new(err, BERR_ENGINE, 0, "failed to parse value as time or duration: \"%s\"", s);
}

int time_parse_input(const char *s, bool is_until, struct timespec now, struct timespec *out,
                     struct berr **err)
{
    struct civil c;
    long long d;

    if (s && parse_layouts(s, &c, false) && civil_to_ts(&c, out) == 0)
        return 0;
    if (s && parse_unix(s, out))
        return 0;
    if (s && go_duration_parse(s, &d) == 0) {
        if (!is_until)
            d = d == LLONG_MIN ? LLONG_MAX : -d;
        *out = ts_add_ns(now, d);
        return 0;
    }
    return berr_new(err, BERR_ENGINE, 0, "unable to interpret time value");
}

/* ---- formatting ---- */

/* ".999999999" with trailing zeros dropped; "" for a whole second. */
static void fraction(long nsec, char out[16])
{
    int n;

    out[0] = '\0';
    if (nsec <= 0)
        return;
    snprintf(out, 16, ".%09ld", nsec % 1000000000L);
    for (n = 9; out[n] == '0'; n--)
        out[n] = '\0';
}

static bool local_tm(time_t t, struct tm *tm)
{
    return localtime_r(&t, tm) != NULL;
}

static char *fmt_rfc3339(struct timespec ts, bool nano, char *buf, size_t n)
{
    struct tm tm;
    char frac[16] = "", zone[16] = "Z";
    long off;

    if (!n)
        return buf;
    if (!local_tm(ts.tv_sec, &tm)) {
        buf[0] = '\0';
        return buf;
    }
    if (nano)
        fraction(ts.tv_nsec, frac);
    off = tm.tm_gmtoff;
    if (off != 0)
        snprintf(zone, sizeof(zone), "%c%02d:%02d", off < 0 ? '-' : '+',
                 (int) ((off < 0 ? -off : off) / 3600 % 100),
                 (int) ((off < 0 ? -off : off) % 3600 / 60));
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac, zone);
    return buf;
}

char *time_rfc3339nano(struct timespec ts, char *buf, size_t n)
{
    return fmt_rfc3339(ts, true, buf, n);
}

char *time_rfc3339(struct timespec ts, char *buf, size_t n)
{
    return fmt_rfc3339(ts, false, buf, n);
}

/* Go's String() for an instant shown at a given offset, with the zone's
 * name, or with the numeric offset again when the zone has no name. */
static char *fmt_go(struct timespec ts, long off, const char *name, char *buf, size_t n)
{
    struct tm tm;
    time_t t = ts.tv_sec + off;
    char frac[16], num[16];
    long a = off < 0 ? -off : off;

    if (!n)
        return buf;
    if (!gmtime_r(&t, &tm)) {
        buf[0] = '\0';
        return buf;
    }
    fraction(ts.tv_nsec, frac);
    snprintf(num, sizeof(num), "%c%02d%02d", off < 0 ? '-' : '+', (int) (a / 3600 % 100),
             (int) (a % 3600 / 60));
    snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d%s %s %s", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac, num,
             name && *name ? name : num);
    return buf;
}

char *time_go_string(struct timespec ts, char *buf, size_t n)
{
    struct tm tm;

    if (!local_tm(ts.tv_sec, &tm))
        return fmt_go(ts, 0, "UTC", buf, n);
    return fmt_go(ts, tm.tm_gmtoff, tm.tm_zone, buf, n);
}

char *time_go_string_rfc3339(const char *s, char *buf, size_t n)
{
    struct timespec ts;
    struct tm tm;
    int off;
    bool is_z;

    if (time_parse_rfc3339(s, &ts, &off, &is_z) < 0)
        return NULL;
    if (is_z)
        return fmt_go(ts, 0, "UTC", buf, n);
    if (local_tm(ts.tv_sec, &tm) && tm.tm_gmtoff == off)
        return fmt_go(ts, off, tm.tm_zone, buf, n);
    return fmt_go(ts, off, NULL, buf, n);
}

long long time_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* "<whole>.<frac>" with the fraction's trailing zeros dropped */
static int frac_str(char *buf, size_t n, long long v, long long unit, const char *suffix)
{
    long long whole = v / unit, frac = v % unit;
    int digits = 0;
    char f[32];

    for (long long u = unit; u > 1; u /= 10)
        digits++;
    if (!frac)
        return snprintf(buf, n, "%lld%s", whole, suffix);
    snprintf(f, sizeof(f), "%0*lld", digits & 15, frac);
    for (size_t k = strlen(f); k > 0 && f[k - 1] == '0'; k--)
        f[k - 1] = '\0';
    return snprintf(buf, n, "%lld.%s%s", whole, f, suffix);
}

char *time_go_duration(long long ns, char *buf, size_t n)
{
    const char *sign = ns < 0 ? "-" : "";
    unsigned long long u = ns < 0 ? (unsigned long long) -(ns + 1) + 1 : (unsigned long long) ns;
    char tail[64];
    long long v = (long long) u;

    if (u == 0) {
        snprintf(buf, n, "0s");
        return buf;
    }
    if (u < 1000ULL)
        snprintf(tail, sizeof(tail), "%lldns", v);
    else if (u < 1000000ULL)
        frac_str(tail, sizeof(tail), v, 1000, "\u00b5s");
    else if (u < 1000000000ULL)
        frac_str(tail, sizeof(tail), v, 1000000, "ms");
    else {
        long long h = v / 3600000000000LL, m = v / 60000000000LL % 60;
        char s[40];
        frac_str(s, sizeof(s), v % 60000000000LL, 1000000000, "s");
        if (h)
            snprintf(tail, sizeof(tail), "%lldh%lldm%s", h, m, s);
        else if (m)
            snprintf(tail, sizeof(tail), "%lldm%s", m, s);
        else
            snprintf(tail, sizeof(tail), "%s", s);
    }
    snprintf(buf, n, "%s%s", sign, tail);
    return buf;
}
