/*
 * test/unit/unit.h: a tiny TAP-producing unit test harness.
 *
 *   static void t_parse(void) { CHECK(x == 1); CHECK_STR(s, "a"); }
 *   int main(void) { UNIT_RUN(t_parse); return unit_done(); }
 *
 * Each UNIT_RUN is one TAP test ("ok N - t_parse"); CHECK failures print
 * where they happened and mark the test failed.
 */
#ifndef BERTH_UNIT_H
#define BERTH_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_n, unit_failed_tests, unit_cur_failed;
static const char *unit_file = __FILE__;

#define CHECK(cond) do { \
    if (!(cond)) { \
        printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
        unit_cur_failed = 1; \
    } \
} while (0)

#define CHECK_STR(got, want) do { \
    const char *g_ = (got), *w_ = (want); \
    if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0)) { \
        printf("#   %s:%d: %s\n#     got:  \"%s\"\n#     want: \"%s\"\n", __FILE__, __LINE__, \
               #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
        unit_cur_failed = 1; \
    } \
} while (0)

#define CHECK_INT(got, want) do { \
    long long g_ = (long long) (got), w_ = (long long) (want); \
    if (g_ != w_) { \
        printf("#   %s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); \
        unit_cur_failed = 1; \
    } \
} while (0)

static inline void unit_run(const char *name, void (*fn)(void))
{
    unit_cur_failed = 0;
    fn();
    unit_n++;
    if (unit_cur_failed)
        unit_failed_tests++;
    printf("%s %d - %s\n", unit_cur_failed ? "not ok" : "ok", unit_n, name);
    fflush(stdout);
}

#define UNIT_RUN(fn) unit_run(#fn, fn)

static inline int unit_done(void)
{
    (void) unit_file;
    printf("1..%d\n", unit_n);
    return unit_failed_tests ? 1 : 0;
}

#endif
