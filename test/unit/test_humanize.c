/*
 * test/unit/test_humanize.c: hum_size and hum_duration against go-units'
 * own test tables (thresholds included) and podman's observed output.
 */
#include <stdlib.h>

#include "unit.h"
#include "util/humanize.h"

static void t_size(void)
{
    static const struct { double in; const char *want; } cases[] = {
        { 0, "0 B" },
        { 1, "1 B" },
        { 999, "999 B" },
        { 1000, "1 kB" },
        { 1024, "1.02 kB" },
        { 5860, "5.86 kB" },
        { 1997895, "2 MB" },          /* podman images, busybox import */
        { 1450000, "1.45 MB" },
        { 999499, "999 kB" },
        { 999500, "1e+03 kB" },       /* Go's %.3g, kept as podman prints it */
        { 1e9, "1 GB" },
        { 123456789012.0, "123 GB" },
        { 1e15, "1 PB" },
        { 1e24, "1 YB" },
        { 1e27, "1e+03 YB" },
        { 1e30, "1e+06 YB" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = hum_size(cases[i].in);
        CHECK_STR(s, cases[i].want);
        free(s);
    }
}

/* go-units BytesSize, as stats' MemUsageBytes (values from podman 4.3.1) */
static void t_size_bin(void)
{
    static const struct { double in; const char *want; } cases[] = {
        { 0, "0B" }, { 1023, "1023B" }, { 258048, "252KiB" }, { 67108864, "64MiB" },
        { 25276157952.0, "23.54GiB" }, { 1024.0 * 1024 * 1024 * 1024 * 1024 * 1024 * 1024 * 1024 * 2048, "2048YiB" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = hum_size_bin(cases[i].in);
        CHECK_STR(s, cases[i].want);
        free(s);
    }
}

static void t_duration(void)
{
    const double m = 60, h = 3600, d = 24 * h, w = 7 * d, mo = 30 * d, y = 365 * d;
    const struct { double in; const char *want; } src[] = {
        { 0.45, "Less than a second" },
        { -5, "Less than a second" },
        { 1, "1 second" },
        { 1.9, "1 second" },
        { 45, "45 seconds" },
        { 59, "59 seconds" },
        { 60, "About a minute" },
        { 119, "About a minute" },
        { 3 * m, "3 minutes" },
        { 35 * m + 40, "35 minutes" },
        { 59 * m, "59 minutes" },
        { 1 * h, "About an hour" },
        { 1 * h + 29 * m, "About an hour" },
        { 1 * h + 31 * m, "2 hours" },
        { 3 * h + 29 * m, "3 hours" },
        { 3 * h + 31 * m, "4 hours" },
        { 24 * h, "24 hours" },
        { 1 * d + 12 * h, "36 hours" },
        { 2 * d, "2 days" },
        { 2 * d + 17 * h, "3 days" },
        { 13 * d + 12 * h, "14 days" },
        { 2 * w, "2 weeks" },
        { 2 * w + 4 * d, "3 weeks" },
        { 1 * mo, "4 weeks" },
        { 8 * w + 3 * d, "8 weeks" },
        { 2 * mo, "2 months" },
        { 3 * mo + 20 * d, "4 months" },
        { 24 * mo, "24 months" },
        { 24 * mo + 2 * w, "2 years" },
        { 3 * y + 2 * mo, "3 years" },
        { 3 * y + 8 * mo, "4 years" },
        /* as Go's time.Since, saturated at the largest Duration (once
         * undefined behaviour: a double past long long's range) */
        { 1e300, "292 years" },
        { 1e300 * 1e300, "292 years" },
        { 0.0 / 0.0 * -1, "Less than a second" },
    };
    for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
        char *s = hum_duration(src[i].in);
        if (!s || strcmp(s, src[i].want) != 0)
            printf("#   case %zu (%.0f s)\n", i, src[i].in);
        CHECK_STR(s, src[i].want);
        free(s);
    }
}

static void t_ago(void)
{
    char *s = hum_ago_at(1000, 1000.2);
    CHECK_STR(s, "Less than a second ago");
    free(s);
    s = hum_ago_at(1000, 1000 + 3 * 60 + 5);
    CHECK_STR(s, "3 minutes ago");
    free(s);
    s = hum_ago(0);
    CHECK(s && strstr(s, " years ago"));
    free(s);
}

static void t_parse_size(void)
{
    static const struct { const char *in; long long want; } cases[] = {
        { "10", 10 }, { "10b", 10 }, { "1.5k", 1536 }, { "10KB", 10240 },
        { "65536k", 65536LL << 10 }, { "64m", 64LL << 20 }, { "1g", 1LL << 30 },
        { "2 MiB", 2LL << 20 }, { "1t", 1LL << 40 }, { "0", 0 },
        /* invalid: -1 */
        { "", -1 }, { "abc", -1 }, { "-1k", -1 }, { "1.2.3m", -1 }, { "1e5", -1 },
        { "0x10", -1 }, { "10 kk", -1 }, { "1x", -1 }, { "99999999999p", -1 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        long long v = -1;
        int r = hum_parse_size(cases[i].in, &v);
        if ((cases[i].want < 0 ? r != -1 : r != 0 || v != cases[i].want))
            printf("#   \"%s\": r %d, v %lld\n", cases[i].in, r, v);
        CHECK_INT(r < 0 ? -1 : v, cases[i].want);
    }
    CHECK_INT(hum_parse_size(NULL, &(long long) { 0 }), -1);
}

int main(void)
{
    UNIT_RUN(t_parse_size);
    UNIT_RUN(t_size);
    UNIT_RUN(t_size_bin);
    UNIT_RUN(t_duration);
    UNIT_RUN(t_ago);
    return unit_done();
}
