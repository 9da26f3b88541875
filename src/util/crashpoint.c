/*
 * util/crashpoint.c: BERTH_TEST_CRASH_AT (see crashpoint.h).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/crashpoint.h"

int crash_point_armed = -1;

static const char *want;        /* the point's name, up to want_len */
static size_t want_len;
static long hits_left = 1;      /* die when this reaches 0 */

static void arm(void)
{
    const char *v = getenv("BERTH_TEST_CRASH_AT");
    const char *colon;

    crash_point_armed = v && *v;
    if (!crash_point_armed)
        return;
    want = v;
    colon = strrchr(v, ':');
    /* "<point>:<n>": a trailing count; a point's own colon is followed
     * by its step name, not a number */
    if (colon && colon[1] >= '1' && colon[1] <= '9' && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        want_len = (size_t) (colon - v);
        hits_left = atol(colon + 1);
    } else {
        want_len = strlen(v);
    }
}

void crash_point_check(const char *name)
{
    if (crash_point_armed < 0)
        arm();
    if (!crash_point_armed || strlen(name) != want_len || strncmp(name, want, want_len) != 0)
        return;
    if (--hits_left > 0)
        return;
    /* exactly what kill -9 does: no atexit, no flush, no cleanup */
    kill(getpid(), SIGKILL);
    _exit(137);
}
