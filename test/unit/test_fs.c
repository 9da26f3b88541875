/*
 * test/unit/test_fs.c: fs_mkdir_p (util/fs.c): what it makes, and which
 * component its error names.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
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
    {
        struct berr *e = NULL;
        (void) fs_rm_rf(base, &e);
        berr_free(e);
    }
    free(f);
    return unit_done();
}
