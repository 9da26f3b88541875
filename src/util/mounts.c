/*
 * util/mounts.c: mount points read from /proc/self/mountinfo (mounts.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/mounts.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
    char *w = s;

    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
            r[3] >= '0' && r[3] <= '7') {
            *w++ = (char) ((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
            r += 3;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static bool at_or_under(const char *p, const char *dir, size_t n)
{
    return !strncmp(p, dir, n) && (p[n] == '\0' || p[n] == '/');
}

static int deeper_first(const void *a, const void *b)
{
    return strcmp(*(char *const *) b, *(char *const *) a);
}

int mounts_under(const char *dir, strv *out, struct berr **err)
{
    _cleanup_(fclosep) FILE *f = fopen("/proc/self/mountinfo", "re");
    _cleanup_free_ char *line = NULL;
    /* mountinfo names mount points by their canonical paths */
    _cleanup_free_ char *real = realpath(dir, NULL);
    size_t cap = 0, n;

    if (real)
        dir = real;
    n = strlen(dir);

    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (!f)
        return berr_sys(err, "open /proc/self/mountinfo");
    while (getline(&line, &cap, f) > 0) {
        /* id parent major:minor root mountpoint ... */
        char *save = NULL, *tok = strtok_r(line, " ", &save);
        for (int i = 0; tok && i < 4; i++)
            tok = strtok_r(NULL, " ", &save);
        if (!tok)
            continue;
        unescape(tok);
        if (at_or_under(tok, dir, n) && !strv_contains(*out, tok) && strv_push(out, tok) < 0)
            return berr_oom(err);
    }
    /* a child's path sorts after its parent's: reversed, children first */
    if (*out)
        qsort(*out, strv_len(*out), sizeof(char *), deeper_first);
    return 0;
}

/* Detaches the mount points listed (mounts_under's order); mounts
 * stacked on one point are listed once: detached until none is left
 * there (EINVAL), within reason. *n (may be NULL) counts them. */
static int detach_all(char *const *mps, size_t *n, struct berr **err)
{
    for (size_t i = 0; mps && mps[i]; i++) {
        int k = 0;
        while (k < 64 && umount2(mps[i], MNT_DETACH) == 0) {
            k++;
            if (n)
                (*n)++;
        }
        if (k == 0 && errno != EINVAL && errno != ENOENT)
            return berr_sys(err, "unmount %s", mps[i]);
    }
    return 0;
}

int mounts_detach_under(const char *dir, size_t *n, struct berr **err)
{
    _cleanup_strv_ strv mps = NULL;

    if (n)
        *n = 0;
    if (mounts_under(dir, &mps, err) < 0)
        return -1;
    return detach_all(mps, n, err);
}

int mounts_rm_rf(const char *path, struct berr **err)
{
    _cleanup_strv_ strv mps = NULL;
    struct berr *e = NULL, *e2 = NULL;

    /* a mount at path itself: its contents are its source's */
    if (fs_is_mount_root(path) && mounts_detach_under(path, NULL, &e) < 0)
        berr_freep(&e);
    if (fs_rm_rf(path, &e) == 0)
        return 0;
    /* whatever stopped it (a mount, or a file that will not go before
     * the walk got to one), the mounts under path go, then once more */
    if (mounts_under(path, &mps, &e2) < 0 || !mps || !mps[0]) {
        berr_free(e2);
        if (err) {
            berr_free(*err);
            *err = e;
        } else {
            berr_free(e);
        }
        return -1;
    }
    berr_free(e);
    if (detach_all(mps, NULL, err) < 0)
        return -1;
    return fs_rm_rf(path, err);
}
