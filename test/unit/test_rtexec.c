/*
 * test/unit/test_rtexec.c: rtexec_path() over a
 * fake crun (a copy of /bin/true named crun) in a temporary directory.
 * The mounting cases run as root only, in a private mount namespace of
 * this process (nothing is left mounted when it exits).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "runtime/rtexec.h"
#include "unit.h"
#include "util/fs.h"
#include "util/str.h"

static char dir[64];
static bool ns_ok;

static char *at(const char *rel)
{
    return str_fmt("%s/%s", dir, rel);
}

static void copy_true(const char *rel)
{
    char *p = at(rel), *tmp = str_fmt("%s.new", p), *text = NULL;
    struct berr *e = NULL;
    size_t len = 0;
    int fd;

    if (!p || !tmp || fs_read_file("/bin/true", &text, &len, &e) < 0)
        abort();
    /* a new inode each time, renamed into place as a package upgrade does */
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, text, len) != (ssize_t) len || close(fd) < 0 || rename(tmp, p) < 0)
        abort();
    free(text);
    free(tmp);
    free(p);
}

static int mounts_of(const char *path)
{
    char *text = NULL, *needle = str_fmt(" %s ", path);
    struct berr *e = NULL;
    int n = 0;

    if (!needle || fs_read_file("/proc/self/mountinfo", &text, NULL, &e) < 0)
        abort();
    for (char *p = text; (p = strstr(p, needle)); p++)
        n++;
    free(text);
    free(needle);
    return n;
}

static void setup(void)
{
    char *tmp, *bin;

    strcpy(dir, "/tmp/berth-test-rtexec.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    bin = at("bin");
    tmp = at("tmp");
    if (!tmp || !bin || mkdir(tmp, 0751) < 0 || mkdir(bin, 0755) < 0)
        abort();
    free(tmp);
    free(bin);
    copy_true("bin/crun");
    copy_true("bin/runc");
    ns_ok = geteuid() == 0 && unshare(CLONE_NEWNS) == 0 &&
            mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

static void t_plain(void)
{
    char *tmp = at("tmp"), *runc = at("bin/runc"), *gone = at("bin/nothere/crun"), *out = NULL;
    struct berr *e = NULL;

    CHECK_INT(rtexec_path(tmp, runc, &out, &e), 0);
    CHECK_STR(out, runc);
    free(out);
    CHECK_INT(rtexec_path(tmp, gone, &out, &e), 0);
    CHECK_STR(out, gone);
    free(out);
    CHECK_INT(rtexec_path("", "/usr/bin/crun", &out, &e), 0);
    CHECK_STR(out, "/usr/bin/crun");
    free(out);
    free(tmp);
    free(runc);
    free(gone);
}

static void t_mount(void)
{
    char *tmp = at("tmp"), *crun = at("bin/crun"), *out = NULL, *again = NULL, *prefix;
    struct berr *e = NULL;
    struct stat a, b;
    struct statvfs vs;
    int fd;

    if (!ns_ok) {
        printf("# not root or no private mount namespace: skipped\n");
        free(tmp);
        free(crun);
        return;
    }
    prefix = str_fmt("%s/rtexec/", tmp);
    CHECK_INT(rtexec_path(tmp, crun, &out, &e), 0);
    CHECK(out && str_has_prefix(out, prefix) && str_has_suffix(out, "/crun"));
    CHECK(stat(out, &a) == 0 && stat(crun, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev);
    CHECK(statvfs(out, &vs) == 0 && (vs.f_flag & ST_RDONLY));
    fd = open(out, O_WRONLY | O_APPEND);
    CHECK(fd < 0 && errno == EROFS);
    if (fd >= 0)
        close(fd);
    CHECK_INT(mounts_of(out), 1);
    /* valid: the next call mounts nothing */
    CHECK_INT(rtexec_path(tmp, crun, &again, &e), 0);
    CHECK_STR(again, out);
    CHECK_INT(mounts_of(out), 1);
    free(again);
    /* an upgrade: the stale mount is replaced, not covered */
    copy_true("bin/crun");
    CHECK_INT(rtexec_path(tmp, crun, &again, &e), 0);
    CHECK_STR(again, out);
    CHECK(stat(out, &a) == 0 && stat(crun, &b) == 0 && a.st_ino == b.st_ino);
    CHECK_INT(mounts_of(out), 1);
    free(again);
    CHECK(umount2(out, MNT_DETACH) == 0);
    free(prefix);
    free(out);
    free(tmp);
    free(crun);
}

/* <tmp>/rtexec planted as a link to someone else's directory: nothing is
 * made or mounted there, crun runs from its own path */
static void t_planted(void)
{
    char *tmp = at("tmp2"), *crun = at("bin/crun"), *evil = at("evil"), *link = at("tmp2/rtexec");
    char *out = NULL;
    struct berr *e = NULL;

    if (!ns_ok) {
        printf("# not root or no private mount namespace: skipped\n");
    } else {
        CHECK(mkdir(tmp, 0751) == 0 && mkdir(evil, 0777) == 0 && symlink(evil, link) == 0);
        CHECK_INT(rtexec_path(tmp, crun, &out, &e), 0);
        CHECK_STR(out, crun);
        free(out);
        /* nor a directory of ours that others may write */
        CHECK(unlink(link) == 0 && mkdir(link, 0777) == 0 && chmod(link, 0777) == 0);
        CHECK_INT(rtexec_path(tmp, crun, &out, &e), 0);
        CHECK_STR(out, crun);
        free(out);
    }
    free(tmp);
    free(crun);
    free(evil);
    free(link);
}

int main(void)
{
    setup();
    UNIT_RUN(t_plain);
    UNIT_RUN(t_mount);
    UNIT_RUN(t_planted);
    {
        char *cmd = str_fmt("rm -rf %s", dir);
        if (cmd && system(cmd) != 0)
            printf("# could not remove %s\n", dir);
        free(cmd);
    }
    return unit_done();
}
