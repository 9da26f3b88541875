/*
 * storage/import.c: a root file system tarball in, a one-layer image out.
 *
 * The input (a file or a pipe, any compression libarchive knows) is
 * decompressed once into a staging file under tmp/ while it is hashed,
 * with no storage lock held (a pipe may take its time): like podman, the
 * layer is kept as a plain tar, so its blob digest is its diff id. Then,
 * under the exclusive lock, it is load's path (load_commit_image): the
 * blob enters the store, the layer is unpacked once by layer_ensure (with
 * unpack.c's safety), then the config, the manifest and the record are
 * written, the record last. A failure removes the staging dir and
 * whatever no record uses, so the store is as it was; a kill leaves
 * images/.gc for the next writer to do the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/lazylib.h"
#include "storage/internal.h"
#include "storage/load.h"
#include "util/arch.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

#define MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"

static void archive_freep(struct archive **a)
{
    if (*a)
        archive_read_free(*a);
}

/* Decompresses fd into the new file path; hex and size of what was written. */
static int decompress(int fd, const char *path, char hex[65], int64_t *size,
                      struct berr **err)
{
    __attribute__((cleanup(archive_freep))) struct archive *a = archive_read_new();
    _cleanup_close_ int out = -1;
    struct archive_entry *ae;
    struct sha256 h;
    const void *buf;
    size_t len;
    int64_t off, total = 0;
    int r;

    if (!a)
        return berr_oom(err);
    archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    archive_read_support_format_empty(a);
    if (archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK)
        return berr_msg(err, "read tarball: %s", archive_error_string(a));
    out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0)
        return berr_sys(err, "create %s", path);
    if (sha256_init(&h, err) < 0)
        return -1;
    r = archive_read_next_header(a, &ae);
    if (r == ARCHIVE_OK)
        while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
            sha256_update(&h, buf, len);
            total += (int64_t) len;
            if (fs_write_all(out, buf, len) < 0) {
                sha256_free(&h);
                return berr_sys(err, "write %s", path);
            }
        }
    if (r != ARCHIVE_EOF) {
        sha256_free(&h);
        return berr_msg(err, "read tarball: %s", archive_error_string(a));
    }
    sha256_final(&h, hex);
    *size = total;
    return 0;
}

void st_now_rfc3339(char out[40])
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 40 - n, ".%09ldZ", ts.tv_nsec);
}

/* The image config, compact, its keys in podman's order. */
static char *import_config(const struct store_import_opts *o, const char *diff_id)
{
    char created[40], by[140];
    _cleanup_json_ json_t *cfg = json_object();

    st_now_rfc3339(created);
    snprintf(by, sizeof(by), "/bin/sh -c #(nop) ADD file:%s in /", diff_id + 7);
    if (!cfg || js_set_str(cfg, "created", created) < 0 ||
        js_set_str(cfg, "architecture", o->arch ? o->arch : arch_go()) < 0 ||
        (o->variant && *o->variant && js_set_str(cfg, "variant", o->variant) < 0) ||
        js_set_str(cfg, "os", o->os ? o->os : "linux") < 0 ||
        json_object_set_new(cfg, "config", o->config ? json_deep_copy(o->config)
                                                     : json_object()) < 0 ||
        json_object_set_new(cfg, "rootfs", json_pack("{s:s, s:[s]}", "type", "layers",
                                                     "diff_ids", diff_id)) < 0 ||
        json_object_set_new(cfg, "history",
                            json_pack("[{s:s, s:s, s:s}]", "created", created, "created_by", by,
                                      "comment", o->comment ? o->comment
                                                            : "imported from tarball")) < 0)
        return NULL;
    return json_dumps(cfg, JSON_COMPACT);
}

/* The OCI manifest, byte for byte the shape podman writes. */
static char *import_manifest(const char *config, const char *layer, int64_t layer_size,
                             struct berr **err)
{
    char cdig[65];

    if (sha256_buf(config, strlen(config), cdig, err) < 0)
        return NULL;
    char *m = str_fmt("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"%s\",\"digest\":"
                      "\"sha256:%s\",\"size\":%zu},\"layers\":[{\"mediaType\":\"%s\","
                      "\"digest\":\"%s\",\"size\":%lld}]}", MT_OCI_CONFIG, cdig,
                      strlen(config), MT_OCI_LAYER, layer, (long long) layer_size);
    if (!m)
        berr_oom(err);
    return m;
}

/* The staged layer, its config and manifest, and the record (exclusive
 * lock held). */
static int import_commit(struct store *s, const char *tar, const char *hex, int64_t size,
                         const struct store_import_opts *o, char out_id[65], struct berr **err)
{
    _cleanup_free_ char *config = NULL, *manifest = NULL, *name = str_dup(o->name);
    char dig[72];

    if (o->name && !name)
        return berr_oom(err);
    snprintf(dig, sizeof(dig), "sha256:%s", hex);
    if (blob_put_staged(s, tar, hex, err) < 0)
        return -1;
    if (!(config = import_config(o, dig)))
        return berr_oom(err);
    if (!(manifest = import_manifest(config, dig, size, err)))
        return -1;
    struct layer_in layer = { .diff_id = dig, .blob = dig, .media_type = MT_OCI_LAYER,
                              .diff_size = size };
    char *names[] = { name, NULL };
    struct load_image im = {
        .config = config, .config_len = strlen(config),
        .manifest = manifest, .manifest_len = strlen(manifest),
        .manifest_type = MT_OCI_MANIFEST, .layers = &layer, .nlayers = 1,
        .names = names,
    };
    if (load_commit_image(s, &im, err) < 0)
        return -1;
    return sha256_buf(config, strlen(config), out_id, err);
}

static int import_locked(struct store *s, const char *tar, const char *hex, int64_t size,
                         const struct store_import_opts *o, char out_id[65], struct berr **err)
{
    _cleanup_stlock_ struct store *held = NULL;
    struct berr *e = NULL;

    if (st_lock(s, true, err) < 0)
        return -1;
    held = s;
    if (st_gc_mark(s, true, err) < 0)
        return -1;
    if (import_commit(s, tar, hex, size, o, out_id, err) == 0)
        return st_gc_mark(s, false, err);
    /* The blob and the layer of a failed import go again. */
    if (st_img_gc_layers(s, &e) < 0 || st_gc_mark(s, false, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
    }
    return -1;
}

int store_import(struct store *s, int fd, const struct store_import_opts *o,
                 char out_id[65], struct berr **err)
{
    _cleanup_free_ char *dir = NULL, *tar = NULL;
    _cleanup_close_ int lockfd = -1;
    struct berr *e = NULL;
    char hex[65];
    int64_t size = 0;
    int rc;

    /* The input may be a pipe that takes its time: it is read into a
     * staging dir this process holds, with no storage lock. */
    if (st_mktemp_held(s, "import", &dir, &lockfd, err) < 0)
        return -1;
    if (!(tar = str_fmt("%s/layer.tar", dir)))
        rc = berr_oom(err);
    else
        rc = decompress(fd, tar, hex, &size, err);
    if (rc == 0)
        rc = import_locked(s, tar, hex, size, o, out_id, err);
    if (fs_rm_rf(dir, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
    }
    return rc;
}
