/*
 * util/timefmt.h: time parsing and formatting with Go's rules, because
 * podman's users type Go layouts and durations (--since 10m) and read
 * Go's output (RFC3339Nano in files, time.Time.String() on screens).
 */
#ifndef BERTH_TIMEFMT_H
#define BERTH_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/err.h"

/* Enough for every format below. */
#define TIME_BUF 80

/* A --since/--until value, as podman's ParseInputTime: RFC3339Nano,
 * RFC3339, 2006-01-02T15:04:05, 2006-01-02T15:04:05.999999999,
 * 2006-01-02Z07:00, 2006-01-02, Unix seconds with an optional fraction,
 * or a Go duration meaning now-d (since) or now+d (until). Values
 * without a zone are local time (podman 4.3.1 reads them as UTC).
 * Error: "unable to interpret time value" (exit 125). */
int time_parse_input(const char *s, bool is_until, struct timespec now, struct timespec *out,
                     struct berr **err);
/* An until= filter value (images, volumes, networks, prune): the same
 * forms, a duration counting back from now; podman's error for these is
 * 'failed to parse value as time or duration: "VALUE"'. */
int time_parse_filter(const char *s, struct timespec now, struct timespec *out,
                      struct berr **err);

/* Go's time.ParseDuration: "300ms", "-1.5h", "1h30m10s", units ns us
 * µs μs ms s m h; "0" needs no unit. 0 or -1 (bad syntax or overflow). */
int go_duration_parse(const char *s, long long *ns);

/* An RFC3339 time with optional fraction ("...T15:04:05.93Z",
 * "...+01:00"). *offset (may be NULL) gets the zone's offset east of UTC
 * in seconds, *is_z (may be NULL) whether it was written "Z". 0 or -1. */
int time_parse_rfc3339(const char *s, struct timespec *out, int *offset, bool *is_z);

/* A time as a template shows one: time.Time.String()
 * ("2026-11-22 23:10:05.752165751 +0000 UTC") or RFC 3339. *offset (may be
 * NULL) gets its zone's offset east of UTC in seconds. 0 or -1. */
int time_parse_go(const char *s, struct timespec *out, int *offset);

/* Formatting, in local time, like Go's layouts. Each returns buf, always
 * NUL-terminated (truncated if n is too small; TIME_BUF always fits). */
/* 2006-01-02T15:04:05.999999999Z07:00: fraction without trailing zeros,
 * "Z" when the offset is zero. */
char *time_rfc3339nano(struct timespec ts, char *buf, size_t n);
/* 2006-01-02T15:04:05Z07:00 */
char *time_rfc3339(struct timespec ts, char *buf, size_t n);
/* time.Time.String(): "2026-11-22 23:10:05.752165751 +0000 UTC". */
char *time_go_string(struct timespec ts, char *buf, size_t n);
/* time.Duration.String(): "0s", "1.5ms", "10m56.445691959s", "1h0m0s". */
char *time_go_duration(long long ns, char *buf, size_t n);
/* time.Time.String() of a time Go parsed from an RFC3339 string: "Z" is
 * UTC, the local offset is local time, any other offset prints as
 * "+0100 +0100" (Go's zone without a name). NULL if s does not parse. */
char *time_go_string_rfc3339(const char *s, char *buf, size_t n);

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1-12): timegm
 * without the time zone machinery, which costs ~500 instructions a call
 * (logs parses a timestamp per line). */
long long days_from_civil(long long y, int m, int d);

/* a < b: -1, a == b: 0, a > b: 1 */
int time_cmp(struct timespec a, struct timespec b);
/* CLOCK_REALTIME in nanoseconds since the epoch, as records store times. */
long long time_now_ns(void);

#endif
