/*
 * test/fuzz/fuzz.h: what the fuzz targets share. Each target is a
 * libFuzzer entry point (LLVMFuzzerTestOneInput) over one parser of
 * berth; test/fuzz/driver.c runs it without libFuzzer.
 */
#ifndef BERTH_FUZZ_H
#define BERTH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a C string: up to the first NUL, in a buffer of exactly
 * that size plus the NUL (so a read past it is caught). NULL on OOM. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
    size_t n = strnlen((const char *) data, size);
    char *s = malloc(n + 1);

    if (s) {
        memcpy(s, data, n);
        s[n] = '\0';
    }
    return s;
}

/* Errors are expected: drop them. */
static inline void fuzz_drop(struct berr **err)
{
    berr_free(*err);
    *err = NULL;
}

/* Warnings about bad input are expected too: keep stderr for crashes. */
#define FUZZ_QUIET_INIT                                                   \
    int LLVMFuzzerInitialize(int *argc, char ***argv)                     \
    {                                                                     \
        (void) argc;                                                      \
        (void) argv;                                                      \
        log_set_level(LOG_ERROR);                                         \
        return 0;                                                         \
    }

#endif
