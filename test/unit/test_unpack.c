/*
 * test/unit/test_unpack.c: hostile layer tarballs (made with python3's
 * tarfile) never write outside the layer dir. Each case unpacks into
 * <sandbox>/layer and then checks that <sandbox> holds nothing but the
 * layer dir and the tar, and that absolute targets were not touched.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "storage/internal.h"
#include "unit.h"
#include "util/fs.h"
#include "util/str.h"

static char box[] = "/tmp/berth-test-unpack-XXXXXX";

/* Python snippet that adds members to tarfile t. */
static int make_tar(const char *path, const char *members)
{
    char *cmd = str_fmt("python3 - <<'PY'\n"
                        "import tarfile, io\n"
                        "def f(t, name, data=b'x', **kw):\n"
                        "    i = tarfile.TarInfo(name); i.size = len(data)\n"
                        "    for k, v in kw.items(): setattr(i, k, v)\n"
                        "    t.addfile(i, io.BytesIO(data))\n"
                        "def l(t, name, target, kind=tarfile.SYMTYPE):\n"
                        "    i = tarfile.TarInfo(name); i.type = kind; i.linkname = target\n"
                        "    t.addfile(i)\n"
                        "def d(t, name):\n"
                        "    i = tarfile.TarInfo(name); i.type = tarfile.DIRTYPE; i.mode = 0o755\n"
                        "    t.addfile(i)\n"
                        "with tarfile.open('%s', 'w', format=tarfile.GNU_FORMAT) as t:\n"
                        "%s\n"
                        "PY", path, members);
    int rc = cmd ? system(cmd) : -1;
    free(cmd);
    return rc;
}

/* Only "layer" and "t.tar" may exist in the sandbox. */
static int outside_entries(void)
{
    DIR *d = opendir(box);
    struct dirent *de;
    int n = 0;

    while (d && (de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
            strcmp(de->d_name, "layer") && strcmp(de->d_name, "t.tar")) {
            printf("#   found outside the layer: %s\n", de->d_name);
            n++;
        }
    if (d)
        closedir(d);
    return n;
}

static int run_case(const char *members, enum unpack_mode mode, struct berr **e)
{
    char tar[256], layer[256];
    snprintf(tar, sizeof(tar), "%s/t.tar", box);
    snprintf(layer, sizeof(layer), "%s/layer", box);
    struct berr *x = NULL;
    fs_rm_rf(layer, &x);
    berr_free(x);
    mkdir(layer, 0755);
    if (make_tar(tar, members) != 0)
        return -2;
    return unpack_tar(tar, layer, mode, e);
}

static void t_dotdot_and_absolute(void)
{
    struct berr *e = NULL;
    int rc = run_case("    f(t, '../../escape1')\n    f(t, '/escape2')\n"
                      "    f(t, 'a/../../../escape3')\n", UNPACK_OVERLAY, &e);
    CHECK_INT(rc, 0);       /* normalized into the root */
    CHECK(fs_exists("/tmp/berth-test-unpack-escape1") == false);
    CHECK(!fs_exists("/escape2"));
    char p[300];
    snprintf(p, sizeof(p), "%s/layer/escape1", box);
    CHECK(fs_exists(p));
    snprintf(p, sizeof(p), "%s/layer/escape2", box);
    CHECK(fs_exists(p));
    CHECK_INT(outside_entries(), 0);
    berr_free(e);
}

static void t_symlink_parent(void)
{
    struct berr *e = NULL;
    char m[1024];
    /* evil -> the sandbox (absolute) and up -> ../..: files written
     * through them must land inside the layer. */
    snprintf(m, sizeof(m), "    l(t, 'evil', '%s')\n    f(t, 'evil/pwned1')\n"
             "    l(t, 'up', '../../..')\n    f(t, 'up/pwned2')\n"
             "    l(t, 'etc', '/etc')\n    f(t, 'etc/berth-pwned3')\n", box);
    int rc = run_case(m, UNPACK_OVERLAY, &e);
    if (rc < 0)
        printf("#   %s\n", e->msg);
    CHECK_INT(outside_entries(), 0);
    CHECK(!fs_exists("/etc/berth-pwned3"));
    berr_free(e);
}

static void t_symlink_replaced_file(void)
{
    struct berr *e = NULL;
    /* a symlink to outside, then a regular file of the same name: the
     * file replaces the link, never writes through it */
    char m[1024];
    snprintf(m, sizeof(m), "    l(t, 'x', '%s/outside')\n    f(t, 'x', b'data')\n", box);
    CHECK_INT(run_case(m, UNPACK_OVERLAY, &e), 0);
    CHECK_INT(outside_entries(), 0);
    berr_free(e);
}

static void t_hardlink_outside(void)
{
    struct berr *e = NULL;
    /* /etc/passwd resolves to <layer>/etc/passwd, which is not there */
    int rc = run_case("    l(t, 'pw', '/etc/passwd', tarfile.LNKTYPE)\n", UNPACK_OVERLAY, &e);
    CHECK_INT(rc, -1);
    CHECK(e && strstr(e->msg, "hardlink"));
    CHECK_INT(outside_entries(), 0);
    berr_free(e);
    e = NULL;
    rc = run_case("    f(t, 'a')\n    l(t, 'b', '../../a', tarfile.LNKTYPE)\n", UNPACK_OVERLAY, &e);
    CHECK_INT(rc, 0);       /* clamped: links the layer's own a */
    CHECK_INT(outside_entries(), 0);
    berr_free(e);
}

static void t_whiteouts(void)
{
    struct berr *e = NULL;
    char p[300];
    struct stat st;
    CHECK_INT(run_case("    d(t, 'dir')\n    f(t, 'dir/.wh..wh..opq', b'')\n"
                       "    f(t, '.wh.gone', b'')\n", UNPACK_OVERLAY, &e), 0);
    snprintf(p, sizeof(p), "%s/layer/gone", box);
    CHECK(lstat(p, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0);
    snprintf(p, sizeof(p), "%s/layer/dir", box);
    char v[4] = "";
    CHECK(lgetxattr(p, "trusted.overlay.opaque", v, sizeof(v)) == 1 && v[0] == 'y');
    /* a whiteout may not escape either */
    CHECK_INT(run_case("    f(t, '../.wh.layer', b'')\n", UNPACK_VFS, &e), 0);
    snprintf(p, sizeof(p), "%s/layer", box);
    CHECK(fs_is_dir(p));
    CHECK_INT(outside_entries(), 0);
    berr_free(e);
}

static void t_corrupt(void)
{
    struct berr *e = NULL;
    char tar[256], layer[256];
    snprintf(tar, sizeof(tar), "%s/t.tar", box);
    snprintf(layer, sizeof(layer), "%s/layer", box);
    CHECK_INT(make_tar(tar, "    f(t, 'big', b'y' * 100000)\n"), 0);
    CHECK_INT(truncate(tar, 20000), 0);
    CHECK_INT(unpack_tar(tar, layer, UNPACK_OVERLAY, &e), -1);
    CHECK(e != NULL);
    berr_free(e);
}

int main(void)
{
    if (geteuid() != 0) {
        printf("1..0 # SKIP needs root\n");
        return 0;
    }
    if (!mkdtemp(box))
        return 1;
    UNIT_RUN(t_dotdot_and_absolute);
    UNIT_RUN(t_symlink_parent);
    UNIT_RUN(t_symlink_replaced_file);
    UNIT_RUN(t_hardlink_outside);
    UNIT_RUN(t_whiteouts);
    UNIT_RUN(t_corrupt);
    struct berr *e = NULL;
    fs_rm_rf(box, &e);
    berr_free(e);
    return unit_done();
}
