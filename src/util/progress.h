/*
 * util/progress.h: what a copy (pull, push) reports as it goes, for the
 * CLI to draw: podman's lines ("Copying blob sha256:...", "Writing
 * manifest to image destination") or, on a terminal, live bars. The
 * layers below call fn; they never print.
 */
#ifndef BERTH_PROGRESS_H
#define BERTH_PROGRESS_H

#include <stdint.h>

enum progress_ev {
    PROG_MSG,                   /* a line: what is a message */
    PROG_BLOB,                  /* a blob starts: what its digest, total (-1 unknown) */
    PROG_CONFIG,                /* the config starts: digest, total */
    PROG_BYTES,                 /* what: done of total */
    PROG_DONE,                  /* what finished */
    PROG_SKIPPED,               /* what: "already exists" */
};

struct progress {
    void (*fn)(void *ctx, enum progress_ev ev, const char *what, int64_t done, int64_t total);
    void *ctx;
};

static inline void progress_emit(const struct progress *p, enum progress_ev ev,
                                 const char *what, int64_t done, int64_t total)
{
    if (p && p->fn)
        p->fn(p->ctx, ev, what, done, total);
}

#endif
