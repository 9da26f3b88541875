/*
 * storage/blobs.c: content-addressed blobs under blobs/sha256/<hex>.
 * A blob enters the store only after its sha256 matched, by rename(2)
 * from a staging file on the same file system, so a reader sees a whole
 * blob or none. Hashing is OpenSSL's libcrypto (loaded on first use, util/lazylib.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/lazylib.h"
#include "storage/internal.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

int sha256_init(struct sha256 *h, struct berr **err)
{
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        sha256_free(h);
        return berr_msg(err, "sha256: cannot initialise libcrypto");
    }
    return 0;
}

void sha256_update(struct sha256 *h, const void *buf, size_t len)
{
    EVP_DigestUpdate(h->ctx, buf, len);
}

void sha256_final(struct sha256 *h, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;

    EVP_DigestFinal_ex(h->ctx, md, &n);
    for (unsigned i = 0; i < n && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[64] = '\0';
    sha256_free(h);
}

void sha256_free(struct sha256 *h)
{
    EVP_MD_CTX_free(h->ctx);
    h->ctx = NULL;
}

int sha256_buf(const void *buf, size_t len, char hex[65], struct berr **err)
{
    struct sha256 h;

    if (sha256_init(&h, err) < 0)
        return -1;
    sha256_update(&h, buf, len);
    sha256_final(&h, hex);
    return 0;
}

bool digest_valid(const char *d)
{
    return d && str_has_prefix(d, "sha256:") && ref_is_full_id(d + 7);
}

int blob_hash_file(const char *path, char hex[65], int64_t *size, struct berr **err)
{
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct sha256 h;
    static char buf[1 << 16];
    int64_t total = 0;
    ssize_t n;

    if (fd < 0)
        return berr_sys(err, "open %s", path);
    if (sha256_init(&h, err) < 0)
        return -1;
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            sha256_free(&h);
            return berr_sys(err, "read %s", path);
        }
        sha256_update(&h, buf, (size_t) n);
        total += n;
    }
    sha256_final(&h, hex);
    if (size)
        *size = total;
    return 0;
}

int blob_diff_digest(const char *path, char hex[65], int64_t *size, struct berr **err)
{
    struct archive *a = archive_read_new();
    struct archive_entry *ae;
    struct sha256 h;
    int64_t total = 0;
    const void *buf;
    size_t len;
    int64_t off;
    int r;

    if (!a)
        return berr_oom(err);
    archive_read_support_filter_all(a);
    archive_read_support_format_raw(a);
    archive_read_support_format_empty(a);
    if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
        berr_msg(err, "read %s: %s", path, archive_error_string(a));
        archive_read_free(a);
        return -1;
    }
    if (sha256_init(&h, err) < 0) {
        archive_read_free(a);
        return -1;
    }
    r = archive_read_next_header(a, &ae);
    if (r == ARCHIVE_OK) {
        while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
            sha256_update(&h, buf, len);
            total += (int64_t) len;
        }
    }
    if (r != ARCHIVE_EOF) {
        berr_msg(err, "decompress %s: %s", path, archive_error_string(a));
        sha256_free(&h);
        archive_read_free(a);
        return -1;
    }
    archive_read_free(a);
    sha256_final(&h, hex);
    if (size)
        *size = total;
    return 0;
}

const char *blob_compression(const char *path)
{
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
    unsigned char m[4] = { 0 };

    if (fd < 0 || read(fd, m, sizeof(m)) < 2)
        return "";
    if (m[0] == 0x1f && m[1] == 0x8b)
        return "gzip";
    if (m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
        return "zstd";
    return "";
}

char *blob_path(const struct store *s, const char *digest)
{
    if (!digest_valid(digest))
        return NULL;
    return str_fmt("%s/blobs/sha256/%s", s->graph, digest + 7);
}

bool blob_exists(const struct store *s, const char *digest)
{
    _cleanup_free_ char *p = blob_path(s, digest);
    return p && fs_exists(p);
}

int blob_put_staged(struct store *s, const char *src, const char *hex, struct berr **err)
{
    _cleanup_free_ char *dst = str_fmt("%s/blobs/sha256/%s", s->graph, hex);
    _cleanup_close_ int fd = -1;

    if (!dst)
        return berr_oom(err);
    if (fs_exists(dst)) {               /* content-addressed: same bytes */
        (void) unlink(src);
        return 0;
    }
    /* Whatever mode the file came with (an archive's 06777), a blob is
     * plain data: the store's 0700 dirs keep it private. */
    fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fchmod(fd, 0644) < 0 || fsync(fd) < 0 || rename(src, dst) < 0)
        return berr_sys(err, "store blob sha256:%s", hex);
    return 0;
}

int blob_put_file(struct store *s, const char *src, const char *want, char got[72],
                  struct berr **err)
{
    char hex[65];

    if (want && !digest_valid(want))
        return berr_msg(err, "invalid digest \"%s\"", want);
    if (blob_hash_file(src, hex, NULL, err) < 0)
        return -1;
    if (want && strcmp(want + 7, hex))
        return berr_msg(err, "blob %s: digest mismatch: content has sha256:%s", want, hex);
    if (got)
        snprintf(got, 72, "sha256:%s", hex);
    return blob_put_staged(s, src, hex, err);
}

int blob_put_buf(struct store *s, const void *buf, size_t len, char got[72],
                 struct berr **err)
{
    char hex[65];
    _cleanup_free_ char *dir = st_path(s, "blobs/sha256");
    _cleanup_free_ char *dst = NULL;

    if (!dir || sha256_buf(buf, len, hex, err) < 0)
        return dir ? -1 : berr_oom(err);
    if (got)
        snprintf(got, 72, "sha256:%s", hex);
    if (!(dst = str_fmt("%s/%s", dir, hex)))
        return berr_oom(err);
    if (fs_exists(dst))
        return 0;
    return fs_write_atomic(dir, hex, buf, len, 0644, err);
}

int blob_read(const struct store *s, const char *digest, char **buf, size_t *len,
              struct berr **err)
{
    _cleanup_free_ char *p = blob_path(s, digest);

    if (!p)
        return berr_msg(err, "invalid digest \"%s\"", digest ? digest : "");
    return fs_read_file(p, buf, len, err);
}

int blob_read_json(const struct store *s, const char *digest, json_t **out,
                   struct berr **err)
{
    _cleanup_free_ char *buf = NULL;
    json_error_t je;
    size_t len;

    if (blob_read(s, digest, &buf, &len, err) < 0)
        return -1;
    *out = json_loadb(buf, len, 0, &je);
    if (!*out)
        return berr_kind(err, BK_CORRUPT, "blob %s: %s", digest, je.text);
    return 0;
}
