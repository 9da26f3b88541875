/*
 * runtime/runtime.c: runtime init (DESIGN.md steps 1-7). Being built.
 */
#include <stdlib.h>

#include "runtime/runtime.h"

int rt_open(const struct gopts *g, enum rt_open_level level, const char *argv0,
            struct runtime **out, struct berr **err)
{
    (void) g; (void) level; (void) argv0; (void) out;
    return berr_msg(err, "runtime init is not built yet");
}

void rt_close(struct runtime *rt)
{
    free(rt);
}
