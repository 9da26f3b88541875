/*
 * bench/vmhwm.c: LD_PRELOAD'ed into a berth process by bench_rss, prints
 * the process's own peak resident size (VmHWM) to the file named by
 * $VMHWM_OUT at exit. getrusage(RUSAGE_CHILDREN) would report the largest
 * process of the whole tree instead, which for berth is runc or crun.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void report(void)
{
    const char *out = getenv("VMHWM_OUT");
    char line[256];
    FILE *f, *o;

    if (!out || !(f = fopen("/proc/self/status", "re")))
        return;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "VmHWM:", 6) == 0 && (o = fopen(out, "ae"))) {
            fprintf(o, "%ld\n", strtol(line + 6, NULL, 10));
            fclose(o);
        }
    fclose(f);
}

__attribute__((constructor)) static void init(void)
{
    atexit(report);
}
