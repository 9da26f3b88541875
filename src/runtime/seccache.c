/*
 * runtime/seccache.c: crun's compiled seccomp filters (seccache.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "runtime/seccache.h"
#include "util/base64.h"
#include "util/bpfcompact.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

/* The miss handed to seccache_store: the entry's path, NUL, its header. */

static bool applies(const struct oci_runtime *r, json_t *spec, json_t **seccomp)
{
    json_t *a = json_object_get(spec, "annotations");
    const char *k;
    json_t *v;

    if (!r || !oci_is_crun(r->path))
        return false;
    *seccomp = json_object_get(json_object_get(spec, "linux"), "seccomp");
    if (!json_is_object(*seccomp) || json_object_get(*seccomp, "listenerPath"))
        return false;
    json_object_foreach(a, k, v)
        if (str_has_prefix(k, "run.oci.seccomp"))
            return false;
    return true;
}

static char *header(const struct oci_runtime *r, json_t *seccomp, const char *text)
{
    _cleanup_free_ char *own = text ? NULL : js_dumps_sorted(seccomp, 0);
    const char *js = text ? text : own;
    struct stat sc, sl;
    struct utsname u;

    if (!js || stat(r->path, &sc) < 0 || uname(&u) < 0)
        return NULL;
    if (stat("/etc/ld.so.cache", &sl) < 0)
        memset(&sl, 0, sizeof(sl));
    /* "compacted N": bpf_compact's output format; a change of what it
     * writes takes the next N, so that no entry of the old one is read */
    return str_fmt("crun %s %llu:%llu:%lld:%lld.%09ld\nld.so.cache %lld.%09ld\n%s %s %s\n"
                   "compacted 2\n%zu\n%s\n",
                   r->path, (unsigned long long) sc.st_dev, (unsigned long long) sc.st_ino,
                   (long long) sc.st_size, (long long) sc.st_mtim.tv_sec, sc.st_mtim.tv_nsec,
                   (long long) sl.st_mtim.tv_sec, sl.st_mtim.tv_nsec,
                   u.release, u.version, u.machine, strlen(js), js);
}

void seccache_annotate(const char *cache_dir, const struct oci_runtime *r, json_t *spec,
                       const char *seccomp_text, char **miss)
{
    _cleanup_free_ char *hdr = NULL, *path = NULL, *buf = NULL, *b64 = NULL;
    json_t *seccomp, *a;
    size_t hl, len = 0;

    *miss = NULL;
    if (!applies(r, spec, &seccomp) || !(hdr = header(r, seccomp, seccomp_text)) ||
        !(path = str_fmt("%s/%016llx", cache_dir, (unsigned long long) str_fnv1a(hdr))))
        return;
    hl = strlen(hdr);
    /* a filter crun is to load: only from a file of our own that nobody
     * else may write */
    int got = fs_read_trusted(path, &buf, &len);
    if (got < 0) {
        log_warn("seccomp filter cache: ignoring %s: not a file of this user's", path);
        return;
    }
    if (got == 0) {
        /* the entry to make: path, NUL, header */
        *miss = str_fmt("%s%c%s", path, '\0', hdr);
        return;
    }
    /* a filter is a whole number of 8-byte instructions */
    if (len <= hl || (len - hl) % 8 != 0 || memcmp(buf, hdr, hl) != 0)
        return;
    if (!(b64 = b64_encode(buf + hl, len - hl)))
        return;
    a = json_object_get(spec, "annotations");
    if (!json_is_object(a)) {
        a = json_object();
        if (json_object_set_new(spec, "annotations", a) < 0)
            return;
    }
    (void) json_object_set_new(a, SECCACHE_ANNOTATION, json_string(b64));
}

/* crun's state root: --root from the runtime flags, else its default */
static char *state_root(char *const *flags)
{
    for (size_t i = 0; flags && flags[i]; i++) {
        if (str_has_prefix(flags[i], "--root="))
            return str_dup(flags[i] + 7);
        if (strcmp(flags[i], "--root") == 0 && flags[i + 1])
            return str_dup(flags[i + 1]);
    }
    return geteuid() == 0 ? str_dup("/run/crun") : NULL;
}

void seccache_store(char *miss, char *const *runtime_flags, const char *id)
{
    _cleanup_free_ char *root = NULL, *bpf_path = NULL, *bpf = NULL, *dir = NULL;
    _cleanup_(sbuf_freep) struct sbuf b = { 0 };
    const char *path, *hdr;
    struct berr *e = NULL;
    size_t len = 0;

    if (!miss)
        return;
    path = miss;
    hdr = miss + strlen(miss) + 1;
    if (!(root = state_root(runtime_flags)) ||
        !(bpf_path = str_fmt("%s/%s/seccomp.bpf", root, id)) ||
        fs_read_file(bpf_path, &bpf, &len, &e) < 0 || len == 0 || len % 8 != 0 ||
        !(dir = fs_dirname(path)))
        goto out;
    /* kept compacted (bpfcompact.h): what every later create loads */
    {
        _cleanup_free_ struct sock_filter *small = NULL;
        size_t was = len / sizeof(*small), n = 0;
        if (bpf_compact((const struct sock_filter *) bpf, was, &small, &n) > 0) {
            log_debug("seccomp filter cache: %zu -> %zu instructions", was, n);
            memcpy(bpf, small, n * sizeof(*small));
            len = n * sizeof(*small);
        }
    }
    if (sbuf_add(&b, hdr) < 0 || sbuf_addn(&b, bpf, len) < 0)
        goto out;
    /* per boot, rebuilt on a miss: atomic for readers, not synced */
    if (fs_mkdir_p(dir, 0700, &e) < 0 ||
        fs_write_replace(dir, strrchr(path, '/') + 1, b.buf, b.len, 0600, &e) < 0)
        goto out;
out:
    if (e) {
        log_debug("seccomp filter cache: %s", e->msg);
        berr_free(e);
    }
    free(miss);
}
