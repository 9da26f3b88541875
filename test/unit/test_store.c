/*
 * test/unit/test_store.c: the image store end to end below the CLI: load
 * the test images (test/images/build.sh, built into build/test-images),
 * look them up, check whiteouts, make and mount a container rootfs, and
 * remove. Needs root (overlay mounts); skipped otherwise.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "storage/store.h"
#include "unit.h"
#include "util/fs.h"
#include "util/str.h"

static char root[] = "/tmp/berth-test-store-XXXXXX";
static const char *imgdir = "build/test-images";

/* A store under <root>/<sub>. */
static struct store *open_store_in(const char *sub, const char *driver)
{
    char g[512], r[512];
    struct store *s = NULL;
    struct berr *e = NULL;
    snprintf(g, sizeof(g), "%s/%s/graph", root, sub);
    snprintf(r, sizeof(r), "%s/%s/run", root, sub);
    struct store_opts o = { .graph_root = g, .run_root = r, .driver = driver };
    if (store_open(&o, &s, &e) < 0)
        printf("# store_open: %s\n", e->msg);
    berr_free(e);
    return s;
}

static struct store *open_store(const char *driver) { return open_store_in(driver, driver); }

static int load(struct store *s, const char *file, size_t *n, struct berr **e)
{
    char p[512];
    struct store_loaded *v = NULL;
    snprintf(p, sizeof(p), "%s/%s", imgdir, file);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    int rc = store_load(s, fd, &v, n, e);
    if (rc < 0)
        printf("# load %s: %s\n", file, (*e)->msg);
    store_loaded_free(v, *n);
    close(fd);
    return rc;
}

/* The super options of the mount at mnt, from /proc/self/mountinfo. */
static bool mount_has_opt(const char *mnt, const char *opt)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[8192], point[4096], *sep;
    bool found = false;

    while (f && !found && fgets(line, sizeof(line), f))
        if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 && !strcmp(point, mnt) &&
            (sep = strstr(line, " - ")))
            found = strstr(sep, opt) != NULL;
    if (f)
        fclose(f);
    return found;
}

/* --rm containers: the overlay is volatile (the kernel shows ",volatile"
 * or, since 6.x, "fsync=volatile"), and the kernel's mark of a
 * volatile mount does not stop the next mount. */
static void volatile_rootfs(struct store *s, const char *image_id)
{
    const char *cid = "2222222222222222222222222222222222222222222222222222222222222222";
    struct store_rootfs rf;
    struct berr *e = NULL;
    char *mnt = NULL, p[4096];

    CHECK_INT(store_ctr_create(s, image_id, cid, true, &rf, &e), 0);
    CHECK_INT(store_ctr_mount(s, cid, &mnt, &e), 0);
    CHECK(mnt && mount_has_opt(mnt, "volatile"));
    CHECK(mnt && fs_write_atomic(mnt, "written", "x", 1, 0644, &e) == 0);
    CHECK_INT(store_ctr_unmount(s, cid, false, &e), 0);
    snprintf(p, sizeof(p), "%s/work/work/incompat/volatile", rf.dir);
    CHECK(fs_exists(p));
    free(mnt);
    mnt = NULL;
    CHECK_INT(store_ctr_mount(s, cid, &mnt, &e), 0);
    if (e)
        printf("# %s\n", e->msg);
    snprintf(p, sizeof(p), "%s/written", mnt ? mnt : "");
    CHECK(fs_exists(p));
    CHECK_INT(store_ctr_delete(s, cid, &e), 0);
    free(mnt);
    store_rootfs_free(&rf);
}

static void t_driver(const char *driver)
{
    struct store *s = open_store(driver);
    struct berr *e = NULL;
    struct store_image *img = NULL, **all = NULL;
    size_t n = 0;
    char p[1024];

    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(load(s, "busybox.docker.tar", &n, &e), 0);
    CHECK_INT(n, 1);
    CHECK_INT(load(s, "busybox.oci.tar", &n, &e), 0);     /* same image id */
    CHECK_INT(load(s, "layered.oci.tar", &n, &e), 0);
    CHECK_INT(load(s, "confd.docker.tar", &n, &e), 0);
    CHECK_INT(store_images(s, &all, &n, &e), 0);
    CHECK_INT(n, 3);
    store_images_free(all, n);

    CHECK_INT(store_image_lookup(s, "busybox", &img, &e), 0);
    CHECK(img && str_eq(img->names[0], "localhost/busybox:latest"));
    CHECK(img && strv_len(img->digests) == 2);      /* docker and OCI manifests */
    char id[65];
    snprintf(id, sizeof(id), "%s", img ? img->id : "");
    store_image_free(img);
    img = NULL;
    char pre[8];
    snprintf(pre, sizeof(pre), "%.7s", id);
    CHECK_INT(store_image_lookup(s, pre, &img, &e), 0);
    store_image_free(img);
    img = NULL;
    CHECK(store_image_exists(s, "localhost/busybox:latest"));
    CHECK(!store_image_exists(s, "docker.io/library/busybox"));
    CHECK(!store_image_exists(s, "nosuch"));
    CHECK_INT(store_image_lookup(s, "nosuch", &img, &e), -1);
    CHECK_STR(e ? e->msg : NULL, "nosuch: image not known");
    berr_free(e);
    e = NULL;

    /* ambiguity: the same short name on two different images */
    CHECK_INT(store_image_tag(s, id, "docker.io/library/confd:latest", &e), 0);
    CHECK_INT(store_image_lookup(s, "confd", &img, &e), -1);
    CHECK(e && strstr(e->msg, "ambiguous") && strstr(e->msg, "localhost/confd:latest"));
    berr_free(e);
    e = NULL;
    CHECK_INT(store_image_untag(s, id, "docker.io/library/confd:latest", &e), 0);
    CHECK_INT(store_image_lookup(s, "confd", &img, &e), 0);
    struct store_image_cfg cfg;
    CHECK_INT(img ? store_image_cfg(s, img, &cfg, &e) : -1, 0);
    CHECK_STR(cfg.user, "app");
    CHECK_STR(cfg.working_dir, "/home/app");
    CHECK_STR(cfg.entrypoint ? cfg.entrypoint[0] : NULL, "/bin/sh");
    CHECK_STR(cfg.exposed_ports[0], "8080/tcp");
    CHECK_STR(cfg.volumes[0], "/data");
    CHECK_STR(cfg.stop_signal, "SIGQUIT");
    store_image_cfg_free(&cfg);
    store_image_free(img);
    img = NULL;

    /* a container rootfs from the layered image */
    CHECK_INT(store_image_lookup(s, "layered", &img, &e), 0);
    const char *cid = "1111111111111111111111111111111111111111111111111111111111111111";
    struct store_rootfs rf;
    char *mnt = NULL, *mnt2 = NULL;
    CHECK_INT(store_ctr_create(s, img->id, cid, false, &rf, &e), 0);
    CHECK_INT(store_ctr_mount(s, cid, &mnt, &e), 0);
    CHECK_INT(store_ctr_mount(s, cid, &mnt2, &e), 0);
    snprintf(p, sizeof(p), "%s/data/keep", mnt);
    CHECK(fs_exists(p));
    snprintf(p, sizeof(p), "%s/data/gone", mnt);
    CHECK(!fs_exists(p));                       /* whiteout */
    snprintf(p, sizeof(p), "%s/opt/old/a", mnt);
    CHECK(!fs_exists(p));                       /* opaque dir */
    snprintf(p, sizeof(p), "%s/opt/old/new", mnt);
    CHECK(fs_exists(p));
    snprintf(p, sizeof(p), "%s/bin/sh", mnt);
    CHECK(fs_exists(p));
    snprintf(p, sizeof(p), "%s/home/app", mnt);
    struct stat st;
    CHECK(stat(p, &st) == 0 && st.st_uid == 1000);
    /* rmi refuses while a container uses it */
    CHECK_INT(store_image_remove(s, img->id, false, &e), -1);
    berr_free(e);
    e = NULL;
    CHECK_INT(store_ctr_unmount(s, cid, false, &e), 0);
    char *m3 = NULL;
    CHECK_INT(store_ctr_mounted(s, cid, &m3, &e), 0);
    CHECK(m3 != NULL);                          /* one user left */
    free(m3);
    CHECK_INT(store_ctr_unmount(s, cid, false, &e), 0);
    if (!strcmp(driver, "overlay")) {
        CHECK_INT(store_ctr_mounted(s, cid, &m3, &e), 0);
        CHECK(m3 == NULL);
        free(m3);
    }
    CHECK_INT(store_ctr_delete(s, cid, &e), 0);
    if (!strcmp(driver, "overlay"))
        volatile_rootfs(s, img->id);
    CHECK_INT(store_image_remove(s, img->id, false, &e), 0);
    if (e)
        printf("# %s\n", e->msg);
    store_rootfs_free(&rf);
    free(mnt);
    free(mnt2);
    store_image_free(img);
    img = NULL;
    CHECK(!store_image_exists(s, "layered"));
    CHECK(store_image_exists(s, "busybox"));    /* shares the base layer */
    store_close(s);
}

/* The layer and blob GC deletes nothing when it cannot tell what is in
 * use: here a record whose layer list holds a non-string. */
static void t_gc_keeps_all(void)
{
    struct store *s = open_store_in("vfs-gc", "vfs");
    struct berr *e = NULL;
    struct store_image *bb = NULL, *ly = NULL;
    char rec[1024], blob[1024], bak[1024 + 8];
    size_t n = 0;

    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(load(s, "busybox.docker.tar", &n, &e), 0);
    CHECK_INT(load(s, "layered.docker.tar", &n, &e), 0);
    CHECK_INT(store_image_lookup(s, "busybox", &bb, &e), 0);
    CHECK_INT(store_image_lookup(s, "layered", &ly, &e), 0);
    if (!bb || !ly) {
        store_image_free(bb);
        store_image_free(ly);
        store_close(s);
        return;
    }
    snprintf(rec, sizeof(rec), "%s/vfs-gc/graph/images/%s.json", root, ly->id);
    snprintf(bak, sizeof(bak), "%s.bak", rec);
    snprintf(blob, sizeof(blob), "%s/vfs-gc/graph/blobs/sha256/%s", root, bb->id);
    json_t *j = json_load_file(rec, 0, NULL);
    CHECK(j && rename(rec, bak) == 0);
    CHECK_INT(json_array_append_new(json_object_get(j, "layers"), json_integer(7)), 0);
    CHECK_INT(json_dump_file(j, rec, 0), 0);
    json_decref(j);
    /* busybox goes, but the GC after it keeps every layer and blob */
    CHECK_INT(store_image_remove(s, bb->id, false, &e), -1);
    CHECK(e && strstr(e->msg, "clean up unused layers") && strstr(e->msg, "not a chain id"));
    if (e)
        printf("# %s\n", e->msg);
    berr_free(e);
    e = NULL;
    CHECK(!store_image_exists(s, bb->id));
    CHECK(fs_exists(blob));
    /* with the record whole again, the next removal cleans up */
    CHECK(rename(bak, rec) == 0);
    CHECK_INT(store_image_remove(s, ly->id, false, &e), 0);
    CHECK(!fs_exists(blob));
    store_image_free(bb);
    store_image_free(ly);
    store_close(s);
}

static void t_overlay(void) { t_driver("overlay"); }
static void t_vfs(void) { t_driver("vfs"); }

int main(void)
{
    char cmd[512];
    if (geteuid() != 0) {
        printf("1..0 # SKIP needs root\n");
        return 0;
    }
    snprintf(cmd, sizeof(cmd), "test/images/build.sh %s >/dev/null", imgdir);
    if (system(cmd) != 0 || !mkdtemp(root)) {
        printf("not ok 1 - cannot build the test images\n1..1\n");
        return 1;
    }
    UNIT_RUN(t_overlay);
    UNIT_RUN(t_vfs);
    UNIT_RUN(t_gc_keeps_all);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
    (void) system(cmd);
    return unit_done();
}
