/*
 * runtime/conmon_find.c: find conmon and check its version.
 *
 * podman runs `conmon --version` in every process, `ps` included. We
 * remember what each binary said in cache_dir/conmon-probe.json, keyed by
 * its path, size, mtime, inode and device: a package upgrade changes at
 * least one of them, and then the binary is probed again.
 *
 * Minimum 2.0.24, not podman's 2.0.1: we pass --full-attach (2.0.23) and
 * --persist-dir (2.0.15) always (SPEC-podman.md §1.5).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runtime/conmon_find.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"

#define CACHE_NAME "conmon-probe.json"
#define CACHE_FORMAT 1

struct probe_ctx {
    json_t *cache;              /* { "version": 1, "entries": { path: {...} } } */
    bool dirty;
    bool outdated;              /* some candidate was too old or answered nonsense */
};

/* ---- the cache ------------------------------------------------------------ */

static json_t *cache_load(const char *dir)
{
    _cleanup_free_ char *path = dir ? fs_join(dir, CACHE_NAME) : NULL;
    struct berr *e = NULL;
    json_t *j = NULL;

    if (path && js_read_file(path, &j, &e) < 0) {
        if (e && e->errnum != ENOENT)
            log_debug("Ignoring the conmon probe cache: %s", e->msg);
        berr_free(e);
        j = NULL;
    }
    if (j && (js_int(j, "version", 0) != CACHE_FORMAT ||
              !json_is_object(json_object_get(j, "entries")))) {
        json_decref(j);
        j = NULL;
    }
    if (!j)
        j = json_pack("{s:i, s:{}}", "version", CACHE_FORMAT, "entries");
    return j;
}

static void cache_save(const char *dir, struct probe_ctx *pc)
{
    struct berr *e = NULL;

    if (!dir || !pc->cache || !pc->dirty)
        return;
    if (js_write_atomic(dir, CACHE_NAME, pc->cache, 0644, &e) < 0) {
        log_debug("Cannot write the conmon probe cache: %s", e ? e->msg : "?");
        berr_free(e);
    }
}

static bool same_file(json_t *ent, const struct stat *st)
{
    return json_is_object(ent) && js_int(ent, "size", -1) == (long long) st->st_size &&
           js_int(ent, "mtime", -1) == (long long) st->st_mtim.tv_sec &&
           js_int(ent, "mtime_nsec", -1) == (long long) st->st_mtim.tv_nsec &&
           js_int(ent, "ino", -1) == (long long) st->st_ino &&
           js_int(ent, "dev", -1) == (long long) st->st_dev;
}

/* ---- probing -------------------------------------------------------------- */

/* What `path --version` printed (first 1 KiB) and its exit status, from
 * the cache when the file is unchanged. */
static int probe_output(const char *path, const struct stat *st, struct probe_ctx *pc,
                        char **out, int *status, struct berr **err)
{
    json_t *entries = json_object_get(pc->cache, "entries");
    json_t *ent = json_object_get(entries, path);
    char *argv[] = { (char *) path, (char *) "--version", NULL };
    _cleanup_free_ char *o = NULL;

    if (same_file(ent, st)) {
        log_debug("Using the cached probe of conmon %s", path);
        *status = (int) js_int(ent, "status", 1);
        *out = str_dup(js_str(ent, "output", ""));
        return *out ? 0 : berr_oom(err);
    }
    log_debug("Probing conmon %s", path);
    if (proc_capture(argv, NULL, &o, NULL, status, err) < 0)
        return -1;
    if (strlen(o) > 1024)
        o[1024] = '\0';
    ent = json_pack("{s:I, s:I, s:I, s:I, s:I, s:i, s:s}", "size", (json_int_t) st->st_size,
                    "mtime", (json_int_t) st->st_mtim.tv_sec,
                    "mtime_nsec", (json_int_t) st->st_mtim.tv_nsec,
                    "ino", (json_int_t) st->st_ino, "dev", (json_int_t) st->st_dev,
                    "status", *status, "output", o);
    if (ent && json_object_set_new(entries, path, ent) == 0)
        pc->dirty = true;
    *out = STEAL_PTR(o);
    return 0;
}

/* "conmon version 2.1.6\ncommit: ..." -> "2.1.6" and its numbers. */
static char *parse_version(const char *out, int v[3])
{
    int n = 0;

    if (!str_has_prefix(out, "conmon version ") ||
        sscanf(out + 15, "%d.%d.%d%n", &v[0], &v[1], &v[2], &n) != 3 ||
        (out[15 + n] && out[15 + n] != '\n' && out[15 + n] != ' ' && out[15 + n] != '-'))
        return NULL;
    return str_ndup(out + 15, (size_t) n);
}

static bool new_enough(const int v[3])
{
    int min[3];

    sscanf(CONMON_MIN_VERSION, "%d.%d.%d", &min[0], &min[1], &min[2]);
    for (int i = 0; i < 3; i++)
        if (v[i] != min[i])
            return v[i] > min[i];
    return true;
}

/* 1: usable (*version set); 0: not there; -1: there but unusable (warned). */
static int try_candidate(const char *path, struct probe_ctx *pc, char **version)
{
    _cleanup_free_ char *out = NULL, *ver = NULL;
    struct berr *e = NULL;
    struct stat st;
    int status = 0, v[3];
    const char *why;

    if (stat(path, &st) < 0 || S_ISDIR(st.st_mode))
        return 0;
    if (probe_output(path, &st, pc, &out, &status, &e) < 0) {
        log_warn("Conmon at %s invalid: %s", path, e ? e->msg : "?");
        berr_free(e);
        pc->outdated = true;
        return -1;
    }
    ver = status == 0 ? parse_version(out, v) : NULL;
    if (ver && new_enough(v)) {
        *version = STEAL_PTR(ver);
        return 1;
    }
    why = status != 0 ? "`--version` failed" : ver ? "outdated conmon version"
          : "conmon version changed format";
    log_warn("Conmon at %s invalid: %s%s%s", path, why, ver ? " " : "", ver ? ver : "");
    pc->outdated = true;
    return -1;
}

int conmon_find(const struct config *cfg, const char *cache_dir, char **path, char **version,
                struct berr **err)
{
    struct probe_ctx pc = { cache_load(cache_dir), false, false };
    _cleanup_free_ char *in_path = NULL, *list = NULL;
    char *found = NULL;

    if (!pc.cache)
        return berr_oom(err);
    for (size_t i = 0; cfg->conmon_path && cfg->conmon_path[i] && !found; i++)
        if (try_candidate(cfg->conmon_path[i], &pc, version) == 1 &&
            !(found = str_dup(cfg->conmon_path[i])))
            free(*version);
    if (!found && (in_path = fs_which("conmon")) &&
        !strv_contains(cfg->conmon_path, in_path) && try_candidate(in_path, &pc, version) == 1)
        found = STEAL_PTR(in_path);
    cache_save(cache_dir, &pc);
    json_decref(pc.cache);
    if (found) {
        log_debug("Using conmon: \"%s\" (version %s)", found, *version);
        *path = found;
        return 0;
    }
    if (pc.outdated)
        return berr_msg(err, "please update to v" CONMON_MIN_VERSION
                        " or later: outdated conmon version");
    list = strv_join(cfg->conmon_path, " ");
    return berr_kind(err, BK_INVALID, "could not find a working conmon binary (configured "
                     "options: [%s])", list ? list : "");
}
