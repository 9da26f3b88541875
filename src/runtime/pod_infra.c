/*
 * runtime/pod_infra.c: the infra containers' image, podman's
 * localhost/podman-pause trick without a registry: a one-layer image
 * holding the host's catatonit as /catatonit, entrypoint `/catatonit -P`
 * (catatonit's pause mode: it sleeps until a signal ends it), imported
 * locally the first time a pod needs it and named
 * localhost/berth-pause:<version>.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/image.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

/* A ustar header of a regular file at the root of the archive. */
static void tar_header(char h[512], const char *name, size_t size, unsigned mode)
{
    unsigned sum = 0;

    memset(h, 0, 512);
    snprintf(h, 100, "%s", name);
    snprintf(h + 100, 8, "%07o", mode);
    snprintf(h + 108, 8, "%07o", 0);
    snprintf(h + 116, 8, "%07o", 0);
    snprintf(h + 124, 12, "%011zo", size);
    snprintf(h + 136, 12, "%011o", 0);
    h[156] = '0';
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    for (int i = 0; i < 512; i++)
        sum += (unsigned char) h[i];
    snprintf(h + 148, 8, "%06o", sum);
}

/* The archive of the layer, in a memfd: catatonit, padding, two zero
 * blocks. */
static int layer_tar(const char *catatonit, int *out, struct berr **err)
{
    _cleanup_free_ char *data = NULL;
    _cleanup_close_ int fd = -1;
    static const char zeros[1024];
    size_t len = 0;
    char h[512];

    if (fs_read_file(catatonit, &data, &len, err) < 0)
        return berr_wrap(err, "building the pod infra image: catatonit");
    fd = memfd_create("berth-pause", MFD_CLOEXEC);
    if (fd < 0)
        return berr_sys(err, "building the pod infra image: memfd");
    tar_header(h, "catatonit", len, 0755);
    if (fs_write_all(fd, h, sizeof(h)) < 0 || fs_write_all(fd, data, len) < 0 ||
        fs_write_all(fd, zeros, (512 - len % 512) % 512) < 0 ||
        fs_write_all(fd, zeros, sizeof(zeros)) < 0 || lseek(fd, 0, SEEK_SET) < 0)
        return berr_sys(err, "building the pod infra image: write");
    *out = STEAL_FD(fd);
    return 0;
}

char *pod_infra_image_name(void)
{
    return str_fmt("%s:%s", POD_INFRA_IMAGE_REPO, BERTH_VERSION);
}

int pod_infra_image_build(struct runtime *rt, const char *ref, struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL;
    _cleanup_close_ int fd = -1;
    const char *cat = rt->cfg->init_path && *rt->cfg->init_path ? rt->cfg->init_path
                                                                : "/usr/libexec/podman/catatonit";
    struct img_import_opts o = { .comment = "berth pod infra image (catatonit -P)" };
    char id[65];

    cfg = json_pack("{s:[s,s], s:[s]}", "Entrypoint", "/catatonit", "-P",
                    "Env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    if (!cfg)
        return berr_oom(err);
    o.config = cfg;
    o.name = ref;
    if (layer_tar(cat, &fd, err) < 0 || img_import(rt, fd, &o, id, err) < 0)
        return -1;
    return 0;
}
