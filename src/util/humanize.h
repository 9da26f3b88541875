/*
 * util/humanize.h: sizes and durations the way podman prints them
 * (docker/go-units, as vendored by podman 4.3.1).
 */
#ifndef BERTH_HUMANIZE_H
#define BERTH_HUMANIZE_H

/* go-units HumanSizeWithPrecision(bytes, 3) with podman's space before
 * the unit, as `images` SIZE: "2 MB", "5.86 kB", "0 B". malloc'd. */
char *hum_size(double bytes);
/* The same with a given precision and text between number and unit:
 * go-units HumanSize is (bytes, 4, ""), as inspect's LogConfig.Size. */
char *hum_size_prec(double bytes, int precision, const char *sep);
/* go-units BytesSize: 1024 units, four significant digits, no space:
 * "252KiB", "23.54GiB" (stats' MemUsageBytes). malloc'd. */
char *hum_size_bin(double bytes);
/* go-units HumanDuration: "Less than a second", "1 second", "About a
 * minute", "3 minutes", "About an hour", "2 hours", "2 days", "3 weeks",
 * "5 months", "2 years". Negative durations count as zero. malloc'd. */
char *hum_duration(double seconds);
/* Room for hum_duration's longest text and its NUL. */
#define HUM_DURATION_BUF 32
/* hum_duration(now - when) + " ago", as `ps` CREATED and `images`
 * CREATED; when is unix time in seconds (fractions allowed). */
char *hum_ago(double when);
/* The same against a given "now", for tests and for one consistent
 * "now" across a listing. */
char *hum_ago_at(double when, double now);
#define HUM_AGO_BUF (HUM_DURATION_BUF + 4)
const char *hum_ago_buf(char buf[HUM_AGO_BUF], double when, double now);

/* go-units RAMInBytes, as podman reads --shm-size, --memory and the
 * config's shm_size: "10", "10b", "1.5k", "10KB", "1g", "2 MiB" (1024
 * units, case-insensitive). 0, or -1 when s is no such size. */
int hum_parse_size(const char *s, long long *out);
/* go-units FromHumanSize, as podman reads --log-opt max-size: the same
 * syntax in 1000 units ("5.081m" is 5081000 bytes, shown as 5.081MB). */
int hum_parse_size_si(const char *s, long long *out);

#endif
