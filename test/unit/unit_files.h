/*
 * test/unit/unit_files.h: fixture trees for tests that read or write
 * files as the kernel presents them (cgroups, /proc).
 */
#ifndef BERTH_UNIT_FILES_H
#define BERTH_UNIT_FILES_H

#include <stdio.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "unit.h"

/* Writes base/rel (its directories made) holding text. */
static inline void unit_put(const char *base, const char *rel, const char *text)
{
    _cleanup_free_ char *p = str_fmt("%s/%s", base, rel);
    _cleanup_free_ char *dir = str_dup(p);
    struct berr *e = NULL;
    FILE *f;

    *strrchr(dir, '/') = '\0';
    if (fs_mkdir_p(dir, 0755, &e) < 0) {
        printf("# mkdir %s: %s\n", dir, e->msg);
        berr_free(e);
        return;
    }
    f = fopen(p, "we");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

#endif
