/*
 * runtime/image_push.c: push, as podman's libimage does it: the local
 * image by any name or id, to its own name or to DEST, which a bare name
 * makes docker:// (normalized as podman normalizes: docker.io and
 * library/ for short names, :latest). The transfer itself is
 * storage/registry/push.c's; here the names, the digest file and the
 * event.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "runtime/image_int.h"
#include "runtime/image_pull.h"
#include "runtime/image_reg_int.h"
#include "runtime/runtime.h"
#include "storage/reference.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

static int write_digestfile(const char *path, const char *digest, struct berr **err)
{
    _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0 || fs_write_all(fd, digest, strlen(digest)) < 0)
        return berr_sys(err, "writing digest file %s", path);
    return 0;
}

int img_push(struct runtime *rt, const char *src, const char *dest,
             const struct img_push_opts *o, struct berr **err)
{
    _cleanup_img_ struct img *img = NULL;
    _cleanup_free_ char *name = NULL;
    struct store_push_opts po = { .format = o->format, .compression = o->compression,
                                  .progress = o->progress };
    struct store *s;
    struct img_reg reg;
    char digest[72];
    int rc;

    if (o->format && strcmp(o->format, "oci") && strcmp(o->format, "v2s2"))
        return berr_kind(err, BK_INVALID, "unsupported manifest type \"%s\": use oci or v2s2%s",
                         o->format, !strcmp(o->format, "v2s1") ? " (schema 1 is not supported)" : "");
    if (o->compression && strcmp(o->compression, "gzip") && strcmp(o->compression, "zstd"))
        return berr_kind(err, BK_INVALID, "unsupported compression format \"%s\": use gzip or "
                         "zstd", o->compression);
    if (rt_store(rt, &s, err) < 0 || img_lookup_store(s, src, &img, err) < 0)
        return -1;
    if (!dest) {
        if (ref_is_hex(str_has_prefix(src, "sha256:") ? src + 7 : src))
            return berr_kind(err, BK_INVALID, "%s: an image id names no destination; give one",
                             src);
        dest = src;
    }
    if (str_has_prefix(dest, "docker://"))
        dest += 9;
    else if (img_transport_of(dest))
        return img_push_transport(rt, img->id, src, dest, o, err);
    if (ref_normalize_str(dest, "docker.io", &name, err) < 0)
        return berr_wrap(err, "%s", dest);
    if (img_reg_open(&o->reg, &reg, err) < 0)
        return -1;
    rc = store_push(s, reg.client, img->id, name, &po, digest, err);
    img_reg_clear(&reg);
    if (rc < 0)
        return -1;
    img_event(rt, "push", img->id, name);
    if (o->digestfile && write_digestfile(o->digestfile, digest, err) < 0)
        return -1;
    return 0;
}
