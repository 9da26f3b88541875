/*
 * test/fuzz/fuzz_time.c: util/timefmt.c's parsers (--since/--until
 * values, Go durations, RFC 3339) with what they parse formatted again,
 * and util/humanize.c's formatters over the first 8 bytes as a double.
 */
#include <math.h>
#include <time.h>

#include "fuzz.h"
#include "util/humanize.h"
#include "util/timefmt.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    setenv("TZ", "UTC", 1);         /* the same answers on every machine */
    tzset();
    log_set_level(LOG_ERROR);
    return 0;
}

static void show(struct timespec ts)
{
    char buf[TIME_BUF];

    time_rfc3339nano(ts, buf, sizeof(buf));
    time_rfc3339(ts, buf, sizeof(buf));
    time_go_string(ts, buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct timespec now = { 1700000000, 123456789 };
    char *s = fuzz_str(data, size);
    struct berr *err = NULL;
    struct timespec ts;
    long long ns;
    int off;
    bool z;
    char buf[TIME_BUF];

    if (!s)
        return 0;
    for (int until = 0; until < 2; until++) {
        if (time_parse_input(s, until, now, &ts, &err) == 0)
            show(ts);
        else
            fuzz_drop(&err);
    }
    (void) go_duration_parse(s, &ns);
    if (time_parse_rfc3339(s, &ts, &off, &z) == 0)
        show(ts);
    (void) time_go_string_rfc3339(s, buf, sizeof(buf));
    free(s);

    if (size >= sizeof(double)) {
        double d;
        memcpy(&d, data, sizeof(d));
        free(hum_size(d));
        free(hum_duration(d));
        free(hum_ago_at(d, 1700000000.0));
    }
    return 0;
}
