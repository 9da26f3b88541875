/*
 * storage/load_dir.c: images from directories (the oci: and dir:
 * transports) into the store. Each becomes the OCI-archive tar load
 * already reads, written into a held staging dir, and goes through
 * store_load: one path verifies every blob, stages and commits.
 *   oci:DIR[:REF]   an OCI image layout; with REF only the index entries
 *                   whose org.opencontainers.image.ref.name is REF
 *   dir:DIR         containers/image's "dir" layout: manifest.json, the
 *                   other blobs named by their hex digest, a version file
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/lazylib.h"
#include "util/log.h"
#include "util/str.h"

static int tar_buf(struct archive *w, const char *name, const void *buf, size_t len,
                   struct berr **err)
{
    struct archive_entry *e = archive_entry_new();
    int r;

    if (!e)
        return berr_oom(err);
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t) len);
    r = archive_write_header(w, e);
    archive_entry_free(e);
    if (r != ARCHIVE_OK || (len && archive_write_data(w, buf, len) < 0))
        return berr_msg(err, "stage %s: %s", name, archive_error_string(w));
    return 0;
}

/* Copies the regular file at path into the tar as name. */
static int tar_file(struct archive *w, const char *name, const char *path, struct berr **err)
{
    _cleanup_close_ int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct archive_entry *e;
    struct stat st;
    char buf[1 << 16];
    ssize_t n;
    int r;

    if (fd < 0)
        return berr_sys(err, "open %s", path);
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return berr_msg(err, "%s is not a regular file", path);
    if (!(e = archive_entry_new()))
        return berr_oom(err);
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, st.st_size);
    r = archive_write_header(w, e);
    archive_entry_free(e);
    if (r != ARCHIVE_OK)
        return berr_msg(err, "stage %s: %s", name, archive_error_string(w));
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return berr_sys(err, "read %s", path);
        if (archive_write_data(w, buf, (size_t) n) < 0)
            return berr_msg(err, "stage %s: %s", name, archive_error_string(w));
    }
    return 0;
}

static int oci_tar(struct archive *w, const char *dir, const char *ref, struct berr **err)
{
    _cleanup_free_ char *layout = fs_join(dir, "oci-layout"), *idxp = fs_join(dir, "index.json");
    _cleanup_free_ char *bdir = fs_join(dir, "blobs/sha256");
    _cleanup_json_ json_t *idx = NULL;
    _cleanup_closedir_ DIR *d = NULL;
    struct dirent *de;

    if (!layout || !idxp || !bdir)
        return berr_oom(err);
    if (js_read_file(idxp, &idx, err) < 0 || tar_file(w, "oci-layout", layout, err) < 0)
        return -1;
    if (ref) {
        json_t *keep = json_array(), *m;
        size_t i;
        if (!keep)
            return berr_oom(err);
        json_array_foreach(json_object_get(idx, "manifests"), i, m)
            if (str_eq(js_str(json_object_get(m, "annotations"),
                              "org.opencontainers.image.ref.name", NULL), ref))
                json_array_append(keep, m);
        if (json_array_size(keep) == 0) {
            json_decref(keep);
            return berr_kind(err, BK_NO_SUCH, "no descriptor found for reference \"%s\"", ref);
        }
        json_object_set_new(idx, "manifests", keep);
    }
    _cleanup_free_ char *ij = json_dumps(idx, JSON_COMPACT);
    if (!ij || tar_buf(w, "index.json", ij, strlen(ij), err) < 0)
        return ij ? -1 : berr_oom(err);
    if (!(d = opendir(bdir)))
        return berr_sys(err, "open %s", bdir);
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        _cleanup_free_ char *p = fs_join(bdir, de->d_name);
        _cleanup_free_ char *n = str_fmt("blobs/sha256/%s", de->d_name);
        if (!p || !n)
            return berr_oom(err);
        if (tar_file(w, n, p, err) < 0)
            return -1;
    }
    return 0;
}

static int dir_tar(struct archive *w, const char *dir, struct berr **err)
{
    _cleanup_free_ char *mp = fs_join(dir, "manifest.json"), *man = NULL;
    _cleanup_json_ json_t *m = NULL;
    size_t len;
    char hex[65];

    if (!mp)
        return berr_oom(err);
    if (fs_read_file(mp, &man, &len, err) < 0)
        return -1;
    if (!(m = json_loadb(man, len, 0, NULL)) || sha256_buf(man, len, hex, err) < 0)
        return *err ? -1 : berr_msg(err, "%s is not JSON", mp);
    const char *mt = js_str(m, "mediaType", "application/vnd.oci.image.manifest.v1+json");
    _cleanup_free_ char *idx = str_fmt("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"%s\","
                                       "\"digest\":\"sha256:%s\",\"size\":%zu}]}", mt, hex, len);
    _cleanup_free_ char *mname = str_fmt("blobs/sha256/%s", hex);
    if (!idx || !mname)
        return berr_oom(err);
    if (tar_buf(w, "oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}", 31, err) < 0 ||
        tar_buf(w, "index.json", idx, strlen(idx), err) < 0 ||
        tar_buf(w, mname, man, len, err) < 0)
        return -1;
    json_t *descs[64];
    size_t nd = 0, i;
    json_t *l;
    descs[nd++] = json_object_get(m, "config");
    json_array_foreach(json_object_get(m, "layers"), i, l)
        if (nd < 64)
            descs[nd++] = l;
    if (json_array_size(json_object_get(m, "layers")) > 63)
        return berr_msg(err, "%s: too many layers", mp);
    for (i = 0; i < nd; i++) {
        const char *dg = js_str(descs[i], "digest", NULL);
        if (!digest_valid(dg))
            return berr_msg(err, "%s: invalid digest \"%s\"", mp, dg ? dg : "");
        _cleanup_free_ char *p = fs_join(dir, dg + 7), *n = str_fmt("blobs/sha256/%s", dg + 7);
        if (!p || !n)
            return berr_oom(err);
        if (tar_file(w, n, p, err) < 0)
            return -1;
    }
    return 0;
}

int store_load_dir(struct store *s, const char *dir, enum store_archive_fmt fmt, const char *ref,
                   struct store_loaded **out, size_t *n, struct berr **err)
{
    _cleanup_free_ char *stage = NULL, *tarp = NULL;
    _cleanup_close_ int lfd = -1, fd = -1;
    struct archive *w = NULL;
    int rc = -1;

    if (fmt != SAF_OCI_DIR && fmt != SAF_DOCKER_DIR)
        return berr_msg(err, "internal error: %s is not a directory format", dir);
    if (!fs_is_dir(dir))
        return berr_msg(err, "%s: not a directory", dir);
    if (st_mktemp_held(s, "loaddir", &stage, &lfd, err) < 0)
        return -1;
    if (!(tarp = str_fmt("%s/in.tar", stage))) {
        berr_oom(err);
        goto out;
    }
    fd = open(tarp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || !(w = archive_write_new())) {
        fd < 0 ? berr_sys(err, "create %s", tarp) : berr_oom(err);
        goto out;
    }
    archive_write_set_format_pax_restricted(w);
    archive_write_set_bytes_in_last_block(w, 1);
    if (archive_write_open_fd(w, fd) != ARCHIVE_OK) {
        berr_msg(err, "stage %s: %s", dir, archive_error_string(w));
        goto out;
    }
    if ((fmt == SAF_OCI_DIR ? oci_tar(w, dir, ref, err) : dir_tar(w, dir, err)) < 0)
        goto out;
    if (archive_write_close(w) != ARCHIVE_OK) {
        berr_msg(err, "stage %s: %s", dir, archive_error_string(w));
        goto out;
    }
    if (lseek(fd, 0, SEEK_SET) < 0) {
        berr_sys(err, "seek %s", tarp);
        goto out;
    }
    rc = store_load(s, fd, out, n, err);
out:
    if (w)
        archive_write_free(w);
    if (stage) {
        struct berr *e = NULL;
        if (fs_rm_rf(stage, &e) < 0) {
            log_warn("%s", e->msg);
            berr_free(e);
        }
    }
    return rc;
}
