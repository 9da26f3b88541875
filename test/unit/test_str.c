/*
 * test/unit/test_str.c: str_escape and str_escape_ctl (untrusted text on
 * a terminal), fs_read_fd_max (untrusted files read into memory) and
 * str_rune_count (table widths).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "util/fs.h"
#include "util/str.h"

static void t_escape(void)
{
    static const struct { const char *in, *want; } cases[] = {
        { "localhost/evil:latest", "localhost/evil:latest" },
        { "", "" },
        { "\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m" },
        { "a\nb\tc\rd", "a\\nb\\tc\\rd" },
        { "q\"uote\\", "q\\\"uote\\\\" },
        { "del\x7f", "del\\x7f" },
        { "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3" },
        { "c1\xc2\x9b" "2J", "c1\\u009b2J" },          /* C1 CSI as UTF-8 */
        { "raw\x9b" "2J", "raw\\x9b2J" },               /* a lone 8-bit CSI */
        { "cut\xe2\x82", "cut\\xe2\\x82" },             /* truncated sequence */
        { "over\xc0\xaf", "over\\xc0\\xaf" },           /* overlong '/' */
        { "sur\xed\xa0\x80", "sur\\xed\\xa0\\x80" },    /* a UTF-16 surrogate */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = str_escape(cases[i].in);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
}

static void t_escape_ctl(void)
{
    static const struct { const char *in, *want; } cases[] = {
        { "Error: \"a\\b\"\nSee 'x'\tok", "Error: \"a\\b\"\nSee 'x'\tok" },
        { "name \"\x1b]0;t\x07\"\r", "name \"\\x1b]0;t\\x07\"\\r" },
        { "c1 \xc2\x9b raw \x9b utf8 \xc3\xa9", "c1 \\u009b raw \\x9b utf8 \xc3\xa9" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = str_escape_ctl(cases[i].in);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
}

/* Runes are bytes that are not UTF-8 continuations; eight at a time, so
 * cases around 8 and 16 bytes, continuations at the word edges. */
static void t_rune_count(void)
{
    static const struct { const char *in; size_t want; } cases[] = {
        { "", 0 },
        { "a", 1 },
        { "abcdefg", 7 },
        { "abcdefgh", 8 },
        { "abcdefghi", 9 },
        { "caf\xc3\xa9", 4 },
        { "abcdefg\xc3\xa9", 8 },                   /* across the word's edge */
        { "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 3 },
        { "\xf0\x9f\x90\xb3\xf0\x9f\x90\xb3x", 3 },
        { "\x80\x80\x80\x80\x80\x80\x80\x80\x80", 0 },   /* continuations only */
        { "\xff\xfe\xc0\x41\xbf\x7f\x40\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xb3z", 10 },
        { "localhost/busybox:latest  Exited (3) 2 seconds ago", 50 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_INT(str_rune_count(cases[i].in, strlen(cases[i].in)), cases[i].want);
}

static void t_read_max(void)
{
    int p[2];
    char *buf = NULL;
    size_t len = 0;

    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "0123456789", 10) == 10);
    close(p[1]);
    CHECK(fs_read_fd_max(p[0], 9, &buf, &len) == -1 && errno == EFBIG && !buf);
    close(p[0]);

    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "0123456789", 10) == 10);
    close(p[1]);
    CHECK(fs_read_fd_max(p[0], 10, &buf, &len) == 0);
    CHECK(len == 10);
    CHECK_STR(buf, "0123456789");
    free(buf);
    close(p[0]);
}

int main(void)
{
    UNIT_RUN(t_escape);
    UNIT_RUN(t_escape_ctl);
    UNIT_RUN(t_read_max);
    UNIT_RUN(t_rune_count);
    return unit_done();
}
