/*
 * test/unit/test_timefmt.c: Go layouts, durations and output forms.
 * Runs each zone-sensitive case under TZ=UTC and TZ=Asia/Kolkata (+05:30,
 * no DST) and America/New_York (DST), so a UTC-only assumption shows.
 */
#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include "unit.h"
#include "util/timefmt.h"

static void set_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static void t_duration(void)
{
    static const struct {
        const char *in;
        int rc;
        long long ns;
    } cases[] = {
        { "0", 0, 0 },
        { "-0", 0, 0 },
        { "10m", 0, 600000000000LL },
        { "1h30s", 0, 3630000000000LL },
        { "1.5h", 0, 5400000000000LL },
        { "300ms", 0, 300000000 },
        { "-1.5h", 0, -5400000000000LL },
        { "+5s", 0, 5000000000LL },
        { "1h2m3s4ms5us6ns", 0, 3723004005006LL },
        { "2\xc2\xb5s", 0, 2000 },
        { "2\xce\xbcs", 0, 2000 },
        { ".5s", 0, 500000000 },
        { "1.s", 0, 1000000000 },
        { "1.0000000001s", 0, 1000000000 },
        { "2562047h47m16.854775807s", 0, LLONG_MAX },
        { "-2562047h47m16.854775808s", 0, LLONG_MIN },
        { "2562047h47m16.854775808s", -1, 0 },
        { "9223372036854775808ns", -1, 0 },
        { "", -1, 0 },
        { "10", -1, 0 },
        { "1d", -1, 0 },
        { "h", -1, 0 },
        { ".s", -1, 0 },
        { "1h ", -1, 0 },
        { "-", -1, 0 },
        { "1hm", -1, 0 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        long long ns = 12345;
        int rc = go_duration_parse(cases[i].in, &ns);

        if (rc != cases[i].rc || (rc == 0 && ns != cases[i].ns))
            printf("#   case \"%s\": rc %d ns %lld\n", cases[i].in, rc, ns);
        CHECK_INT(rc, cases[i].rc);
        if (rc == 0)
            CHECK_INT(ns, cases[i].ns);
    }
}

/* Absolute inputs: the instant does not depend on TZ. */
static void t_input_absolute(void)
{
    static const struct {
        const char *in;
        long long sec;
        long nsec;
    } cases[] = {
        { "2026-11-22T23:10:05.752165751Z", 1795389005, 752165751 },
        { "2026-11-22T23:10:05Z", 1795389005, 0 },
        { "2026-11-22T23:10:05.5+01:00", 1795385405, 500000000 },
        { "2026-11-22T23:10:05,25-02:30", 1795398005, 250000000 },
        { "2026-11-22T23:10:05.1234567891Z", 1795389005, 123456789 },
        { "2026-11-22Z", 1795305600, 0 },
        { "2026-11-22+05:30", 1795285800, 0 },
        { "1795389005", 1795389005, 0 },
        { "1795389005.25", 1795389005, 250000000 },
        { "1795389005.", 1795389005, 0 },
        { "0", 0, 0 },
        { "-1.25", -2, 750000000 },
        { "2000-02-29T00:00:00Z", 951782400, 0 },
    };
    static const char *zones[] = { "UTC", "Asia/Kolkata", "America/New_York" };
    struct timespec now = { 1000, 0 };

    for (size_t z = 0; z < 3; z++) {
        set_tz(zones[z]);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            struct berr *err = NULL;
            struct timespec t = { -1, -1 };
            int rc = time_parse_input(cases[i].in, false, now, &t, &err);

            if (rc != 0 || t.tv_sec != cases[i].sec || t.tv_nsec != cases[i].nsec)
                printf("#   %s \"%s\": rc %d -> %lld.%09ld\n", zones[z], cases[i].in, rc,
                       (long long) t.tv_sec, t.tv_nsec);
            CHECK_INT(rc, 0);
            CHECK_INT(t.tv_sec, cases[i].sec);
            CHECK_INT(t.tv_nsec, cases[i].nsec);
            berr_free(err);
        }
    }
    set_tz("UTC");
}

/* Zone-less layouts are local time. */
static void t_input_local(void)
{
    struct timespec now = { 0, 0 }, t;
    struct berr *err = NULL;

    set_tz("UTC");
    CHECK_INT(time_parse_input("2026-11-22", false, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 1795305600);
    CHECK_INT(time_parse_input("2026-11-22T23:10:05", false, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 1795389005);
    CHECK_INT(time_parse_input("2026-11-22T23:10:05.000000009", true, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 1795389005);
    CHECK_INT(t.tv_nsec, 9);

    set_tz("Asia/Kolkata");
    CHECK_INT(time_parse_input("2026-11-22", false, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 1795305600 - 19800);
    CHECK_INT(time_parse_input("2026-11-22T23:10:05", false, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 1795389005 - 19800);

    set_tz("America/New_York");     /* EST in November, EDT in July */
    CHECK_INT(time_parse_input("2026-11-22T23:10:05", false, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 1795389005 + 5 * 3600);
    CHECK_INT(time_parse_input("2026-07-01T00:00:00", false, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 1782864000 + 4 * 3600);
    CHECK(err == NULL);
    set_tz("UTC");
}

static void t_input_duration(void)
{
    struct timespec now = { 1000, 500 }, t;
    struct berr *err = NULL;

    CHECK_INT(time_parse_input("10m", false, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 400);
    CHECK_INT(t.tv_nsec, 500);
    CHECK_INT(time_parse_input("10m", true, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 1600);
    CHECK_INT(time_parse_input("1us", false, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 999);
    CHECK_INT(t.tv_nsec, 999999500);
    CHECK_INT(time_parse_input("-1h", false, now, &t, &err), 0);
    CHECK_INT(t.tv_sec, 4600);
    CHECK(err == NULL);
}

static void t_input_bad(void)
{
    static const char *bad[] = {
        "", "xx", "2026-13-01", "2026-02-29", "2026-11-22T24:00:00Z", "2026-11-22T23:10Z",
        "2026-11-22T23:10:05+0100", "2026-11-22T23:10:05Zjunk", "2026-11-22 23:10:05",
        "1.2.3", "10d", "2026-1-22", "2026-11-22T23:10:60Z", "1e9", "+", ".",
    };
    struct timespec now = { 0, 0 }, t;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct berr *err = NULL;
        int rc = time_parse_input(bad[i], false, now, &t, &err);

        if (rc != -1)
            printf("#   accepted \"%s\"\n", bad[i]);
        CHECK_INT(rc, -1);
        CHECK(err != NULL);
        if (err) {
            CHECK_STR(err->msg, "unable to interpret time value");
            CHECK_INT(err->exit_code, 125);
        }
        berr_free(err);
    }
}

static void t_format_utc(void)
{
    char buf[TIME_BUF];
    struct timespec a = { 1795389005, 752165751 }, b = { 1795389012, 931061170 },
                    c = { 1795389012, 0 }, d = { 1795389012, 100000000 };

    set_tz("UTC");
    CHECK_STR(time_rfc3339nano(a, buf, sizeof(buf)), "2026-11-22T23:10:05.752165751Z");
    CHECK_STR(time_rfc3339nano(b, buf, sizeof(buf)), "2026-11-22T23:10:12.93106117Z");
    CHECK_STR(time_rfc3339nano(c, buf, sizeof(buf)), "2026-11-22T23:10:12Z");
    CHECK_STR(time_rfc3339nano(d, buf, sizeof(buf)), "2026-11-22T23:10:12.1Z");
    CHECK_STR(time_rfc3339(a, buf, sizeof(buf)), "2026-11-22T23:10:05Z");
    CHECK_STR(time_go_string(a, buf, sizeof(buf)), "2026-11-22 23:10:05.752165751 +0000 UTC");
    CHECK_STR(time_go_string(b, buf, sizeof(buf)), "2026-11-22 23:10:12.93106117 +0000 UTC");
    CHECK_STR(time_go_string(c, buf, sizeof(buf)), "2026-11-22 23:10:12 +0000 UTC");
    /* truncation keeps the buffer terminated */
    CHECK_STR(time_rfc3339(a, buf, 5), "2026");
}

static void t_format_zones(void)
{
    char buf[TIME_BUF];
    struct timespec a = { 1795389005, 752165751 }, summer = { 1782864000, 5 };

    set_tz("Asia/Kolkata");
    CHECK_STR(time_rfc3339nano(a, buf, sizeof(buf)), "2026-11-23T04:40:05.752165751+05:30");
    CHECK_STR(time_rfc3339(a, buf, sizeof(buf)), "2026-11-23T04:40:05+05:30");
    CHECK_STR(time_go_string(a, buf, sizeof(buf)), "2026-11-23 04:40:05.752165751 +0530 IST");

    set_tz("America/New_York");
    CHECK_STR(time_rfc3339nano(a, buf, sizeof(buf)), "2026-11-22T18:10:05.752165751-05:00");
    CHECK_STR(time_go_string(a, buf, sizeof(buf)), "2026-11-22 18:10:05.752165751 -0500 EST");
    CHECK_STR(time_rfc3339nano(summer, buf, sizeof(buf)), "2026-06-30T20:00:00.000000005-04:00");
    CHECK_STR(time_go_string(summer, buf, sizeof(buf)),
              "2026-06-30 20:00:00.000000005 -0400 EDT");
    set_tz("UTC");
}

/* What Go prints for a Time it parsed out of the event log. */
static void t_go_string_rfc3339(void)
{
    char buf[TIME_BUF];

    set_tz("Asia/Kolkata");
    CHECK_STR(time_go_string_rfc3339("2026-11-22T23:10:05.75Z", buf, sizeof(buf)),
              "2026-11-22 23:10:05.75 +0000 UTC");
    CHECK_STR(time_go_string_rfc3339("2026-11-23T04:40:05+05:30", buf, sizeof(buf)),
              "2026-11-23 04:40:05 +0530 IST");
    CHECK_STR(time_go_string_rfc3339("2026-11-23T00:10:05.1+01:00", buf, sizeof(buf)),
              "2026-11-23 00:10:05.1 +0100 +0100");
    CHECK(time_go_string_rfc3339("2026-11-23", buf, sizeof(buf)) == NULL);
    CHECK(time_go_string_rfc3339("garbage", buf, sizeof(buf)) == NULL);
    set_tz("UTC");
    CHECK_STR(time_go_string_rfc3339("2026-11-22T23:10:05+00:00", buf, sizeof(buf)),
              "2026-11-22 23:10:05 +0000 UTC");
}

static void t_rfc3339_round_trip(void)
{
    static const char *zones[] = { "UTC", "Asia/Kolkata", "America/New_York" };
    char buf[TIME_BUF];

    for (size_t z = 0; z < 3; z++) {
        set_tz(zones[z]);
        for (long long s = 1700000000; s < 1800000000; s += 7777777) {
            struct timespec a = { (time_t) s, (long) (s % 1000000000) }, b;

            time_rfc3339nano(a, buf, sizeof(buf));
            CHECK_INT(time_parse_rfc3339(buf, &b, NULL, NULL), 0);
            CHECK_INT(time_cmp(a, b), 0);
        }
    }
    set_tz("UTC");
}

static void t_go_duration(void)
{
    char buf[64];

    CHECK_STR(time_go_duration(0, buf, sizeof(buf)), "0s");
    CHECK_STR(time_go_duration(999, buf, sizeof(buf)), "999ns");
    CHECK_STR(time_go_duration(1500, buf, sizeof(buf)), "1.5\u00b5s");
    CHECK_STR(time_go_duration(445691959, buf, sizeof(buf)), "445.691959ms");
    CHECK_STR(time_go_duration(1445979776, buf, sizeof(buf)), "1.445979776s");
    CHECK_STR(time_go_duration(656445691959LL, buf, sizeof(buf)), "10m56.445691959s");
    CHECK_STR(time_go_duration(120000000000LL, buf, sizeof(buf)), "2m0s");
    CHECK_STR(time_go_duration(3600000000000LL, buf, sizeof(buf)), "1h0m0s");
    CHECK_STR(time_go_duration(-1500000000LL, buf, sizeof(buf)), "-1.5s");
}

int main(void)
{
    UNIT_RUN(t_go_duration);
    UNIT_RUN(t_duration);
    UNIT_RUN(t_input_absolute);
    UNIT_RUN(t_input_local);
    UNIT_RUN(t_input_duration);
    UNIT_RUN(t_input_bad);
    UNIT_RUN(t_format_utc);
    UNIT_RUN(t_format_zones);
    UNIT_RUN(t_go_string_rfc3339);
    UNIT_RUN(t_rfc3339_round_trip);
    return unit_done();
}
