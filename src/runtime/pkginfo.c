/*
 * runtime/pkginfo.c: the package a program came from (pkginfo.h), asked
 * the way podman asks (containers/common's version.Package): `rpm -q -f
 * PATH`, else `dpkg -S PATH` and then `dpkg-query -W -f
 * '${Package}_${Version}_${Architecture}' PACKAGE`; "Unknown" when no
 * package manager owns the file.
 *
 * dpkg -S reads every file list of the system (0.1-0.5 s), so an answer
 * is kept in cache_dir/package-probe.json, keyed by the program's size,
 * mtime, inode and device and by the mtime of the package databases: an
 * install or upgrade changes one of them and the program is asked about
 * again. Only `info` asks.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/pkginfo.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"

#define CACHE_NAME "package-probe.json"
#define UNKNOWN "Unknown"

static const char *const databases[] = { "/var/lib/dpkg/status", "/var/lib/rpm" };

/* "size:mtime.nsec:ino:dev" of the program, then the databases' mtimes */
static char *cache_key(const char *path)
{
    struct sbuf b = SBUF_INIT;
    struct stat st;

    if (stat(path, &st) < 0)
        return NULL;
    sbuf_addf(&b, "%lld:%lld.%ld:%llu:%llu", (long long) st.st_size,
              (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (unsigned long long) st.st_ino,
              (unsigned long long) st.st_dev);
    for (size_t i = 0; i < ARRAY_SIZE(databases); i++)
        if (stat(databases[i], &st) == 0)
            sbuf_addf(&b, ":%lld.%ld", (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (b.oom) {
        sbuf_free(&b);
        return NULL;
    }
    return sbuf_steal(&b);
}

/* The first line of what argv prints, if it exits 0; else NULL. */
static char *first_line(char *const argv[])
{
    char *out = NULL;
    struct berr *e = NULL;
    int status;

    if (access(argv[0], X_OK) < 0)
        return NULL;
    if (proc_capture(argv, NULL, &out, NULL, &status, &e) < 0 || status != 0) {
        berr_free(e);
        free(out);
        return NULL;
    }
    out[strcspn(out, "\n")] = '\0';
    return out;
}

static char *ask(const char *path)
{
    char *rpm[] = { (char *) "/usr/bin/rpm", (char *) "-q", (char *) "-f", (char *) path, NULL };
    char *dpkg[] = { (char *) "/usr/bin/dpkg", (char *) "-S", (char *) path, NULL };
    _cleanup_free_ char *owner = NULL;
    char *r;

    if ((r = first_line(rpm)))
        return r;
    if (!(owner = first_line(dpkg)))
        return str_dup(UNKNOWN);
    /* "conmon: /usr/bin/conmon" (or "pkg:arch: ...") */
    if (strstr(owner, ": "))
        *strstr(owner, ": ") = '\0';
    {
        char *q[] = { (char *) "/usr/bin/dpkg-query", (char *) "-f",
                      (char *) "${Package}_${Version}_${Architecture}", (char *) "-W", owner,
                      NULL };
        /* podman keeps dpkg -S's line when dpkg-query fails */
        return (r = first_line(q)) ? r : STEAL_PTR(owner);
    }
}

char *pkg_of(const char *path, const char *cache_dir)
{
    _cleanup_free_ char *key = path && *path ? cache_key(path) : NULL;
    _cleanup_free_ char *file = cache_dir ? fs_join(cache_dir, CACHE_NAME) : NULL;
    _cleanup_json_ json_t *cache = NULL;
    struct berr *e = NULL;
    json_t *ent;
    char *r;

    if (!key)       /* no such program: no package owns it */
        return str_dup(UNKNOWN);
    if (file && js_read_file(file, &cache, &e) < 0) {
        berr_free(e);
        e = NULL;
    }
    if (!json_is_object(cache)) {
        json_decref(cache);
        cache = json_object();
    }
    ent = json_object_get(cache, path);
    if (str_eq(js_str(ent, "key", NULL), key))
        return str_dup(js_str(ent, "package", UNKNOWN));
    if (!(r = ask(path)))
        return NULL;
    if (cache && file &&
        json_object_set_new(cache, path, json_pack("{s:s, s:s}", "key", key, "package", r)) == 0 &&
        js_write_atomic(cache_dir, CACHE_NAME, cache, 0644, &e) < 0) {
        log_debug("Cannot write the package probe cache: %s", e ? e->msg : "?");
        berr_free(e);
    }
    return r;
}
