/*
 * test/unit/test_fs.c: fs_mkdir_p (util/fs.c): what it makes, and which
 * component its error names; fs_write_replace: what a reader sees, and
 * (on ext4) that it leaves the new content's blocks to writeback.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "unit.h"
#include "util/cleanup.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/str.h"

static char base[] = "/tmp/berth-unit-fs-XXXXXX";

static const struct {
    const char *path;   /* under base */
    const char *err;    /* NULL: made; else the error's message, base cut off */
} mk_cases[] = {
    { "a/b/c",   NULL },    /* three missing */
    { "a/b/c",   NULL },    /* there already */
    { "a/b/d/",  NULL },    /* a trailing slash */
    { "a//e",    NULL },    /* a doubled one */
    { "f/x",     "create directory /f/x: not a directory" },
    { "f/x/y/z", "create directory /f/x: not a directory" },
    { "f",       "create directory /f: not a directory" },
};

static void t_mkdir_p(void)
{
    for (size_t i = 0; i < sizeof(mk_cases) / sizeof(mk_cases[0]); i++) {
        char *p = str_fmt("%s/%s", base, mk_cases[i].path);
        struct berr *e = NULL;
        int r = fs_mkdir_p(p, 0700, &e);

        if (!mk_cases[i].err) {
            CHECK_INT(r, 0);
            CHECK(fs_is_dir(p));
        } else {
            CHECK_INT(r, -1);
            CHECK(e && !strncmp(e->msg, "create directory ", 17) &&
                  !strncmp(e->msg + 17, base, strlen(base)));
            if (e && strlen(e->msg) > 17 + strlen(base)) {
                char *rest = str_fmt("create directory %s", e->msg + 17 + strlen(base));
                CHECK_STR(rest, mk_cases[i].err);
                free(rest);
            }
        }
        berr_free(e);
        free(p);
    }
}

/* Is path's first extent still delayed allocation (no block yet)? */
static bool first_extent_delalloc(const char *path)
{
    struct {
        struct fiemap fm;
        struct fiemap_extent ext[1];
    } q;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool r;

    memset(&q, 0, sizeof(q));
    q.fm.fm_length = ~0ULL;
    q.fm.fm_extent_count = 1;
    r = fd >= 0 && ioctl(fd, FS_IOC_FIEMAP, &q.fm) == 0 && q.fm.fm_mapped_extents == 1 &&
        (q.fm.fm_extents[0].fe_flags & FIEMAP_EXTENT_DELALLOC);
    if (fd >= 0)
        close(fd);
    return r;
}

static void t_write_replace(void)
{
    char *dir = str_fmt("%s/rep", base), *path = str_fmt("%s/rep/rec", base);
    struct berr *e = NULL;
    struct statfs sf;
    char buf[16] = { 0 };
    int old, n = 0;
    DIR *d;
    struct dirent *de;

    CHECK(dir && path && fs_mkdir_p(dir, 0700, &e) == 0);
    CHECK_INT(fs_write_replace(dir, "rec", "first", 5, 0600, &e), 0);     /* a first write */
    old = open(path, O_RDONLY | O_CLOEXEC);
    CHECK(old >= 0);
    CHECK_INT(fs_write_replace(dir, "rec", "second!", 7, 0600, &e), 0);
    /* an open reader keeps the old content whole; the name has the new */
    CHECK_INT(read(old, buf, sizeof(buf) - 1), 5);
    CHECK_STR(buf, "first");
    close(old);
    {
        char *text = NULL;
        size_t len = 0;
        CHECK_INT(fs_read_file(path, &text, &len, &e), 0);
        CHECK(text && len == 7 && !memcmp(text, "second!", 7));
        free(text);
    }
    /* nothing else is left in the dir: the old content went */
    if ((d = opendir(dir))) {
        while ((de = readdir(d)))
            n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
        closedir(d);
    }
    CHECK_INT(n, 1);
    /* ext4 allocates the blocks of a file renamed over another at once
     * (auto_da_alloc) and starts writing them: the exchange leaves the
     * young content to writeback */
    if (statfs(dir, &sf) == 0 && sf.f_type == EXT4_SUPER_MAGIC)
        CHECK(first_extent_delalloc(path));
    berr_free(e);
    free(dir);
    free(path);
}

/* fs_read_small: one read, NUL-terminated, cut at size - 1; -1 for a
 * file that is not there */
static void t_read_small(void)
{
    char *p = str_fmt("%s/small", base), buf[6];
    struct berr *e = NULL;

    CHECK(fs_write_atomic(base, "small", "hello world", 11, 0600, &e) == 0);
    berr_free(e);
    CHECK_INT((int) fs_read_small(p, buf, sizeof(buf)), 5);
    CHECK_STR(buf, "hello");
    {
        char big[64];
        CHECK_INT((int) fs_read_small(p, big, sizeof(big)), 11);
        CHECK_STR(big, "hello world");
    }
    CHECK_INT((int) fs_read_small("/nonexistent/berth-small", buf, sizeof(buf)), -1);
    free(p);
}

/* a cache file is read only when it is a regular file of ours that
 * nobody else may write, never through a symlink */
static void t_read_trusted(void)
{
    _cleanup_free_ char *p = str_fmt("%s/trusted", base), *l = str_fmt("%s/trusted-link", base);
    _cleanup_free_ char *gone = str_fmt("%s/no-such", base);
    struct berr *e = NULL;
    char *buf = NULL;
    size_t len = 0;

    CHECK(fs_write_atomic(base, "trusted", "cached", 6, 0600, &e) == 0);
    berr_free(e);
    CHECK_INT(fs_read_trusted(p, &buf, &len), 1);
    CHECK(buf && len == 6 && strcmp(buf, "cached") == 0);
    free(buf);
    buf = NULL;
    CHECK_INT(fs_read_trusted(gone, &buf, &len), 0);
    CHECK(symlink(p, l) == 0);
    CHECK_INT(fs_read_trusted(l, &buf, &len), -1);
    CHECK(chmod(p, 0620) == 0);
    CHECK_INT(fs_read_trusted(p, &buf, &len), -1);
    CHECK(chmod(p, 0644) == 0);
    CHECK_INT(fs_read_trusted(p, &buf, &len), 1);
    free(buf);
    CHECK_INT(fs_read_trusted(base, &buf, &len), -1);    /* a directory */
    {
        /* a FIFO: refused, not waited on */
        _cleanup_free_ char *fifo = str_fmt("%s/trusted-fifo", base);
        CHECK(mkfifo(fifo, 0600) == 0);
        CHECK_INT(fs_read_trusted(fifo, &buf, &len), -1);
    }
}

int main(void)
{
    char *f;

    if (!mkdtemp(base) || !(f = str_fmt("%s/f", base)))
        return 1;
    {
        FILE *fp = fopen(f, "w");
        if (!fp)
            return 1;
        fclose(fp);
    }
    UNIT_RUN(t_mkdir_p);
    UNIT_RUN(t_write_replace);
    UNIT_RUN(t_read_small);
    UNIT_RUN(t_read_trusted);
    {
        struct berr *e = NULL;
        (void) fs_rm_rf(base, &e);
        berr_free(e);
    }
    free(f);
    return unit_done();
}
