/*
 * test/unit/test_rmrf.c: fs_rm_rf never removes through a mount below
 * the dir it was given (a bind mount of the same file system shares its
 * device number: only the mount-root attribute tells it), and
 * mounts_rm_rf detaches such mounts and removes the rest. Runs in a
 * mount namespace of its own (root; skipped otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/mounts.h"
#include "util/str.h"

static char base[] = "/tmp/berth-unit-rmrf-XXXXXX";
static char canon[4096];

static char *at(const char *rel)
{
    static char buf[4][4200];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", base, rel);
    return buf[k];
}

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f)
        fclose(f);
}

static size_t mounts_at(const char *rel)
{
    char dir[4200];
    strv m = NULL;
    struct berr *e = NULL;
    size_t n;

    snprintf(dir, sizeof(dir), "%s/%s", canon, rel);
    if (mounts_under(dir, &m, &e) < 0) {
        berr_free(e);
        return (size_t) -1;
    }
    n = strv_len(m);
    strv_free(m);
    return n;
}

/* tree/ with a file and a bind mount of src/ in it (same file system,
 * same device number); with tmpfs, a tmpfs mounted beside them */
static void make_tree(bool tmpfs)
{
    CHECK(mkdir(at("src"), 0755) == 0 || errno == EEXIST);
    touch(at("src/keep"));
    CHECK(mkdir(at("tree"), 0755) == 0);
    CHECK(mkdir(at("tree/d"), 0755) == 0);
    touch(at("tree/d/file"));
    CHECK(mkdir(at("tree/d/bind"), 0755) == 0);
    CHECK(mount(at("src"), at("tree/d/bind"), NULL, MS_BIND, NULL) == 0);
    if (!tmpfs)
        return;
    CHECK(mkdir(at("tree/tmp"), 0755) == 0);
    CHECK(mount("tmpfs", at("tree/tmp"), "tmpfs", 0, "size=64k") == 0);
    touch(at("tree/tmp/x"));
}

static void t_not_through_a_bind_mount(void)
{
    struct berr *e = NULL;

    make_tree(false);
    CHECK_INT(mounts_at("tree"), 1);
    CHECK_INT(fs_rm_rf(at("tree"), &e), -1);
    CHECK(e && e->errnum == EBUSY);
    berr_free(e);
    e = NULL;
    /* what the bind mount shows is its source's, and stays */
    CHECK(access(at("src/keep"), F_OK) == 0);
    CHECK(access(at("tree/d/bind/keep"), F_OK) == 0);
    CHECK_INT(mounts_at("tree"), 1);
    /* detached, then removed; the source untouched */
    CHECK_INT(mounts_rm_rf(at("tree"), &e), 0);
    CHECK(e == NULL);
    CHECK(access(at("tree"), F_OK) < 0 && errno == ENOENT);
    CHECK(access(at("src/keep"), F_OK) == 0);
    CHECK_INT(mounts_at("tree"), 0);
}

/* another file system below: not entered either; both detached */
static void t_two_mounts(void)
{
    struct berr *e = NULL;

    make_tree(true);
    CHECK_INT(mounts_at("tree"), 2);
    CHECK_INT(fs_rm_rf(at("tree"), &e), -1);
    CHECK(e && e->errnum == EBUSY);
    berr_free(e);
    e = NULL;
    CHECK(access(at("src/keep"), F_OK) == 0);
    CHECK_INT(mounts_rm_rf(at("tree"), &e), 0);
    CHECK(access(at("tree"), F_OK) < 0 && access(at("src/keep"), F_OK) == 0);
    CHECK_INT(mounts_at("tree"), 0);
}

/* the dir asked for may itself be a mount's root: fs_rm_rf empties it
 * (what it was asked); mounts_rm_rf detaches it first, so a bind
 * mount's source stays whole */
static void t_top_is_a_mount(void)
{
    struct berr *e = NULL;

    CHECK(mkdir(at("top"), 0755) == 0);
    CHECK(mount("tmpfs", at("top"), "tmpfs", 0, "size=64k") == 0);
    touch(at("top/f"));
    CHECK(mkdir(at("top/sub"), 0755) == 0);
    CHECK_INT(fs_rm_rf(at("top"), &e), -1);     /* the dir itself: busy */
    berr_free(e);
    e = NULL;
    CHECK(access(at("top/f"), F_OK) < 0 && access(at("top/sub"), F_OK) < 0);
    CHECK_INT(mounts_rm_rf(at("top"), &e), 0);
    CHECK(access(at("top"), F_OK) < 0);
    CHECK_INT(mounts_at("top"), 0);

    CHECK(mkdir(at("src"), 0755) == 0 || errno == EEXIST);
    touch(at("src/keep"));
    CHECK(mkdir(at("btop"), 0755) == 0);
    CHECK(mount(at("src"), at("btop"), NULL, MS_BIND, NULL) == 0);
    CHECK(fs_is_mount_root(at("btop")) && !fs_is_mount_root(at("src")));
    CHECK_INT(mounts_rm_rf(at("btop"), &e), 0);
    CHECK(access(at("btop"), F_OK) < 0 && access(at("src/keep"), F_OK) == 0);
    CHECK_INT(mounts_at("btop"), 0);
}

/* two mounts stacked on one point: both go */
static void t_stacked(void)
{
    struct berr *e = NULL;

    make_tree(false);
    CHECK(mount(at("src"), at("tree/d/bind"), NULL, MS_BIND, NULL) == 0);
    CHECK_INT(mounts_rm_rf(at("tree"), &e), 0);
    CHECK(e == NULL);
    CHECK(access(at("tree"), F_OK) < 0 && access(at("src/keep"), F_OK) == 0);
    CHECK_INT(mounts_at("tree"), 0);
}

/* another error first (an immutable file, whatever the order the walk
 * meets it in): the removal fails, but the mounts under it are gone and
 * their source is whole */
static void t_other_error_first(void)
{
    struct berr *e = NULL;
    int fd, flags = FS_IMMUTABLE_FL;

    make_tree(false);
    touch(at("tree/d/0"));
    touch(at("tree/d/zz"));
    if ((fd = open(at("tree/d/0"), O_RDONLY)) < 0 || ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0) {
        printf("# no immutable files here: skipped\n");
        if (fd >= 0)
            close(fd);
        CHECK_INT(mounts_rm_rf(at("tree"), &e), 0);
        return;
    }
    CHECK_INT(mounts_rm_rf(at("tree"), &e), -1);
    CHECK(e && e->errnum == EPERM);
    berr_free(e);
    e = NULL;
    CHECK_INT(mounts_at("tree"), 0);
    CHECK(access(at("src/keep"), F_OK) == 0);
    flags = 0;
    CHECK(ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0);
    close(fd);
    CHECK_INT(mounts_rm_rf(at("tree"), &e), 0);
    CHECK(access(at("tree"), F_OK) < 0 && access(at("src/keep"), F_OK) == 0);
}

/* relative paths and trees with no mount; a missing one is success */
static void t_plain(void)
{
    struct berr *e = NULL;
    char cwd[4096];

    CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
    CHECK(mkdir(at("p"), 0755) == 0 && mkdir(at("p/q"), 0755) == 0);
    touch(at("p/q/r"));
    CHECK(chdir(base) == 0);
    CHECK_INT(mounts_rm_rf("p", &e), 0);
    CHECK(access("p", F_OK) < 0);
    CHECK_INT(mounts_rm_rf("p", &e), 0);
    make_tree(true);
    CHECK_INT(mounts_rm_rf("tree", &e), 0);     /* relative: resolved */
    CHECK(access("tree", F_OK) < 0 && access("src/keep", F_OK) == 0);
    CHECK(chdir(cwd) == 0);
    CHECK(e == NULL);
}

int main(void)
{
    if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        printf("1..0 # skip: needs root and a mount namespace\n");
        return 0;
    }
    if (!mkdtemp(base) || !realpath(base, canon))
        return 1;
    UNIT_RUN(t_not_through_a_bind_mount);
    UNIT_RUN(t_two_mounts);
    UNIT_RUN(t_top_is_a_mount);
    UNIT_RUN(t_stacked);
    UNIT_RUN(t_other_error_first);
    UNIT_RUN(t_plain);
    {
        struct berr *e = NULL;
        (void) mounts_rm_rf(base, &e);
        berr_free(e);
    }
    return unit_done();
}
