/*
 * storage/registry/compress.c: a layer blob recompressed for push: its
 * plain tar (read through libarchive, whatever the blob's compression)
 * into gzip (zlib, a gzip member) or zstd (libzstd, level 3), hashed as
 * it is written. zlib and libzstd load on first use (util/lazyzip.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "storage/internal.h"
#include "storage/registry/internal.h"
#include "util/fs.h"
#include "util/lazylib.h"
#include "util/lazyzip.h"

struct zout {
    int fd;
    struct sha256 h;
    int64_t size;
};

static int zout_write(struct zout *z, const void *buf, size_t len, struct berr **err)
{
    if (fs_write_all(z->fd, buf, len) < 0)
        return berr_sys(err, "write a compressed layer");
    sha256_update(&z->h, buf, len);
    z->size += (int64_t) len;
    return 0;
}

/* Feeds the plain tar of path (any compression) to a compressor. */
static int plain_blocks(const char *path, int (*fn)(void *ctx, const void *buf, size_t len, bool end,
                                                   struct berr **err),
                        void *ctx, struct berr **err)
{
    struct archive *a = archive_read_new();
    struct archive_entry *ae;
    const void *buf;
    size_t len;
    la_int64_t off;
    int r, rc = -1;

    if (!a)
        return berr_oom(err);
    archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    archive_read_support_format_empty(a);
    if (archive_read_open_filename(a, path, 1 << 17) != ARCHIVE_OK) {
        berr_msg(err, "read %s: %s", path, archive_error_string(a));
        goto out;
    }
    r = archive_read_next_header(a, &ae);
    if (r == ARCHIVE_OK)
        while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK)
            if (fn(ctx, buf, len, false, err) < 0)
                goto out;
    if (r != ARCHIVE_EOF) {
        berr_msg(err, "read %s: %s", path, archive_error_string(a));
        goto out;
    }
    rc = fn(ctx, NULL, 0, true, err);
out:
    archive_read_free(a);
    return rc;
}

struct gz {
    struct zout *z;
    z_stream zs;
};

static int gz_feed(void *ctx, const void *buf, size_t len, bool end, struct berr **err)
{
    struct gz *g = ctx;
    unsigned char out[1 << 16];

    g->zs.next_in = (Bytef *) buf;
    g->zs.avail_in = (uInt) len;
    do {
        g->zs.next_out = out;
        g->zs.avail_out = sizeof(out);
        int r = deflate(&g->zs, end ? Z_FINISH : Z_NO_FLUSH);
        if (r == Z_STREAM_ERROR)
            return berr_msg(err, "gzip: compression failed");
        if (zout_write(g->z, out, sizeof(out) - g->zs.avail_out, err) < 0)
            return -1;
    } while (g->zs.avail_out == 0 || (end && g->zs.avail_in == 0 && g->zs.avail_out == 0));
    return 0;
}

struct zs {
    struct zout *z;
    ZSTD_CCtx *cc;
};

static int zs_feed(void *ctx, const void *buf, size_t len, bool end, struct berr **err)
{
    struct zs *q = ctx;
    unsigned char out[1 << 16];
    ZSTD_inBuffer in = { buf, len, 0 };
    size_t left;

    do {
        ZSTD_outBuffer ob = { out, sizeof(out), 0 };
        left = ZSTD_compressStream2(q->cc, &ob, &in, end ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left))
            return berr_msg(err, "zstd: %s", ZSTD_getErrorName(left));
        if (zout_write(q->z, out, ob.pos, err) < 0)
            return -1;
    } while (end ? left != 0 : in.pos < in.size);
    return 0;
}

int blob_compress(const char *in, const char *out, const char *target, char digest[72],
                  int64_t *size, struct berr **err)
{
    struct zout z = { .fd = -1 };
    char hex[65];
    int rc = -1;

    z.fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (z.fd < 0)
        return berr_sys(err, "create %s", out);
    if (sha256_init(&z.h, err) < 0) {
        close(z.fd);
        return -1;
    }
    if (!strcmp(target, "gzip")) {
        struct gz g = { .z = &z };
        /* windowBits 16+15: a gzip member, as every registry client reads */
        if (deflateInit2(&g.zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK) {
            berr_msg(err, "gzip: cannot initialise zlib");
        } else {
            rc = plain_blocks(in, gz_feed, &g, err);
            deflateEnd(&g.zs);
        }
    } else {
        struct zs q = { .z = &z, .cc = ZSTD_createCCtx() };
        if (!q.cc) {
            berr_msg(err, "zstd: cannot initialise libzstd");
        } else {
            ZSTD_CCtx_setParameter(q.cc, ZSTD_c_compressionLevel, 3);
            rc = plain_blocks(in, zs_feed, &q, err);
            ZSTD_freeCCtx(q.cc);
        }
    }
    if (rc == 0 && fsync(z.fd) < 0)
        rc = berr_sys(err, "write %s", out);
    close(z.fd);
    if (rc < 0) {
        sha256_free(&z.h);
        return -1;
    }
    sha256_final(&z.h, hex);
    snprintf(digest, 72, "sha256:%s", hex);
    *size = z.size;
    return 0;
}
