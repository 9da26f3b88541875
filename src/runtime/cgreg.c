/*
 * runtime/cgreg.c: the registry of the cgroups this store made
 * (cgreg.h), and system check's look at those whose record is gone.
 *
 * Why a registry: every store on the machine puts its containers'
 * cgroups under the same parent (/berth_parent), named by id alone, so a
 * cgroup there whose container is unknown may be another store's, alive
 * and well. Only what this store wrote down before making it is its own.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime/cgreg.h"
#include "runtime/config.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static const char *const kind_names[] = { [CGREG_CONTAINER] = "container", [CGREG_POD] = "pod" };

static char *reg_dir_at(const char *tmp_dir)
{
    return str_fmt("%s/cgroups", tmp_dir);
}

static char *reg_dir(struct runtime *rt)
{
    return reg_dir_at(rt->cfg->tmp_dir);
}

/* An absolute path with no "." or ".." component: rmdir stays inside
 * the hierarchy whatever an entry says. */
static bool path_ok(const char *p)
{
    if (!p || p[0] != '/' || strchr(p, ':'))
        return false;
    for (const char *c = p; c && *c; c = strchr(c + 1, '/')) {
        const char *s = c + 1;
        size_t n = strcspn(s, "/");
        if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
    }
    return true;
}

int cgreg_mounts(strv *out, struct berr **err)
{
    _cleanup_fclose_ FILE *f = fopen("/proc/self/mounts", "re");
    char dev[256], dir[4096], type[64];

    if (!f)
        return berr_sys(err, "open /proc/self/mounts");
    while (fscanf(f, "%255s %4095s %63s %*[^\n]", dev, dir, type) == 3)
        if ((!strcmp(type, "cgroup") || !strcmp(type, "cgroup2")) && strv_push(out, dir) < 0)
            return berr_oom(err);
    return 0;
}

int cgreg_add(struct runtime *rt, enum cgreg_kind kind, const char *id, const char *path,
              struct berr **err)
{
    _cleanup_free_ char *dir = reg_dir(rt), *name = str_fmt("%s.json", id);
    _cleanup_free_ char *file = dir && name ? str_fmt("%s/%s", dir, name) : NULL;
    _cleanup_free_ char *dump = NULL;
    _cleanup_json_ json_t *rec = NULL;

    if (!file)
        return berr_oom(err);
    if (!path_ok(path))
        return 0;
    /* written at every start: the same path each time (the parent is
     * in the immutable config), so one that exists stands */
    if (fs_exists(file))
        return 0;
    rec = json_pack("{s:s, s:s, s:s}", "kind", kind_names[kind], "id", id, "path", path);
    if (!rec || !(dump = json_dumps(rec, JSON_SORT_KEYS)))
        return berr_oom(err);
    if (fs_mkdir_p(dir, 0700, err) < 0 ||
        fs_write_replace(dir, name, dump, strlen(dump), 0600, err) < 0)
        return berr_wrap(err, "record the cgroup %s of %s %.12s", path, kind_names[kind], id);
    return 0;
}

int cgreg_dirs(char *const *cgmounts, const char *path, strv *out)
{
    for (size_t i = 0; cgmounts && cgmounts[i]; i++) {
        _cleanup_free_ char *d = str_fmt("%s%s", cgmounts[i], path);
        if (!d)
            return -1;
        if (fs_is_dir(d) && strv_push(out, d) < 0)
            return -1;
    }
    return 0;
}

bool cgreg_known(struct runtime *rt, const char *id)
{
    _cleanup_free_ char *dir = reg_dir(rt), *file = dir ? str_fmt("%s/%s.json", dir, id) : NULL;

    /* out of memory: known, so that the caller looks for the cgroup */
    return !file || fs_exists(file);
}

void cgreg_drop(struct runtime *rt, const char *id)
{
    cgreg_drop_at(rt->cfg->tmp_dir, id);
}

void cgreg_drop_at(const char *tmp_dir, const char *id)
{
    _cleanup_free_ char *dir = reg_dir_at(tmp_dir), *file = dir ? str_fmt("%s/%s.json", dir, id) : NULL;
    _cleanup_json_ json_t *rec = NULL;
    _cleanup_strv_ strv mounts = NULL, dirs = NULL;
    struct berr *e = NULL;

    if (!file || !fs_exists(file))
        return;
    if (js_read_file(file, &rec, &e) == 0 && path_ok(js_str(rec, "path", NULL)) &&
        (cgreg_mounts(&mounts, &e) < 0 || cgreg_dirs(mounts, js_str(rec, "path", ""), &dirs) < 0 ||
         dirs))
        goto out;       /* still there (or unknowable): system check's to find */
    if (unlink(file) < 0 && errno != ENOENT)
        log_debug("remove %s: %s", file, strerror(errno));
out:
    berr_free(e);
}

/* ---- system check ---- */

static bool id_ok(const char *id)
{
    return id && strlen(id) == STATE_ID_LEN && strspn(id, "0123456789abcdef") == STATE_ID_LEN;
}

/* The pids in cgroup dir d and its sub-cgroups, appended to *pids. */
static int tasks_in(const char *d, strv *pids)
{
    _cleanup_free_ char *procs = str_fmt("%s/cgroup.procs", d);
    _cleanup_fclose_ FILE *f = procs ? fopen(procs, "re") : NULL;
    _cleanup_closedir_ DIR *dd = NULL;
    struct dirent *de;
    char line[32];

    if (!procs)
        return -1;
    while (f && fgets(line, sizeof(line), f)) {
        str_trim(line);
        if (*line && !strv_contains(*pids, line) && strv_push(pids, line) < 0)
            return -1;
    }
    if (!(dd = opendir(d)))
        return 0;
    while ((de = readdir(dd))) {
        if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        _cleanup_free_ char *sub = str_fmt("%s/%s", d, de->d_name);
        if (!sub || tasks_in(sub, pids) < 0)
            return -1;
    }
    return 0;
}

/* rmdir of d after its sub-cgroups (a pod's holds its members'). */
static int remove_tree(const char *d)
{
    _cleanup_closedir_ DIR *dd = opendir(d);
    struct dirent *de;
    int rc = 0;

    while (dd && (de = readdir(dd))) {
        if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        _cleanup_free_ char *sub = str_fmt("%s/%s", d, de->d_name);
        if (!sub || remove_tree(sub) < 0)
            rc = -1;
    }
    if (rmdir(d) < 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

bool cgreg_busy(struct runtime *rt, const char *id)
{
    _cleanup_free_ char *dir = reg_dir(rt), *file = dir ? str_fmt("%s/%s.json", dir, id) : NULL;
    _cleanup_json_ json_t *rec = NULL;
    _cleanup_strv_ strv mounts = NULL, dirs = NULL, pids = NULL;
    struct berr *e = NULL;

    if (!file || js_read_file(file, &rec, &e) < 0 || !path_ok(js_str(rec, "path", NULL)) ||
        cgreg_mounts(&mounts, &e) < 0 || cgreg_dirs(mounts, js_str(rec, "path", ""), &dirs) < 0) {
        berr_free(e);
        return false;
    }
    for (size_t i = 0; dirs && dirs[i]; i++)
        if (tasks_in(dirs[i], &pids) < 0)
            return true;    /* cannot tell: leave it */
    return pids != NULL;
}

struct entry {
    char *file;
    json_t *rec;
};

static int check_one(struct runtime *rt, const struct check_opts *o, char *const *cgmounts,
                     const struct entry *en, state_report_fn report, void *ctx)
{
    const char *kind = js_str(en->rec, "kind", ""), *id = js_str(en->rec, "id", "");
    const char *path = js_str(en->rec, "path", "");
    enum obj_kind ok = str_eq(kind, "pod") ? OBJ_POD : OBJ_CONTAINER;
    _cleanup_strv_ strv dirs = NULL, pids = NULL;
    _cleanup_free_ char *p = NULL, *list = NULL;
    bool fixed = false;

    if (state_exists(rt->st, ok, id) || state_quarantined(rt->st, ok, id))
        return 0;       /* its record's own checks look at it */
    if (cgreg_dirs(cgmounts, path, &dirs) < 0)
        return -1;
    if (!dirs) {
        if (o->repair && unlink(en->file) < 0 && errno != ENOENT)
            log_debug("remove %s: %s", en->file, strerror(errno));
        return 0;
    }
    for (size_t i = 0; dirs[i]; i++)
        if (tasks_in(dirs[i], &pids) < 0)
            return -1;
    if (pids) {
        if (!(list = strv_join(pids, " ")))
            return -1;
        p = str_fmt("its cgroup %s of a %s whose record is gone still holds process%s %s: "
                    "left alone", path, kind, strv_len(pids) == 1 ? "" : "es", list);
    } else {
        p = str_fmt("its cgroup %s is left in %zu hierarch%s by a %s whose record is gone",
                    path, strv_len(dirs), strv_len(dirs) == 1 ? "y" : "ies", kind);
        if (o->repair) {
            fixed = true;
            for (size_t i = 0; dirs[i]; i++)
                if (remove_tree(dirs[i]) < 0)
                    fixed = false;
            if (fixed && unlink(en->file) < 0 && errno != ENOENT)
                log_debug("remove %s: %s", en->file, strerror(errno));
        }
    }
    if (!p)
        return -1;
    report(ctx, "cgroup", id, p, fixed);
    return 0;
}

static void entries_free(struct entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].file);
        json_decref(v[i].rec);
    }
    free(v);
}

/* Containers before pods: a pod's cgroup is its members' parent. */
static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    int px = str_eq(js_str(x->rec, "kind", ""), "pod"), py = str_eq(js_str(y->rec, "kind", ""), "pod");

    return px != py ? px - py : strcmp(x->file, y->file);
}

/* Every entry that reads; one that does not is reported (repair: gone). */
static int read_entries(struct runtime *rt, const struct check_opts *o, state_report_fn report,
                        void *ctx, struct entry **out, size_t *n, struct berr **err)
{
    _cleanup_free_ char *dir = reg_dir(rt);
    _cleanup_closedir_ DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *de;

    if (!dir)
        return berr_oom(err);
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json"))
            continue;
        _cleanup_free_ char *file = str_fmt("%s/%s", dir, de->d_name);
        _cleanup_json_ json_t *rec = NULL;
        struct berr *e = NULL;
        if (!file)
            return berr_oom(err);
        if (js_read_file(file, &rec, &e) < 0 || !path_ok(js_str(rec, "path", NULL)) ||
            !id_ok(js_str(rec, "id", NULL))) {
            bool fixed = o->repair && unlink(file) == 0;
            berr_free(e);
            report(ctx, "cgroup", de->d_name, "an entry of the cgroup registry that does not "
                   "read", fixed);
            continue;
        }
        struct entry *v = realloc(*out, (*n + 1) * sizeof(**out));
        if (!v)
            return berr_oom(err);
        *out = v;
        v[(*n)++] = (struct entry) { STEAL_PTR(file), STEAL_PTR(rec) };
    }
    return 0;
}

int cgreg_check(struct runtime *rt, const struct check_opts *o, char *const *cgmounts,
                state_report_fn report, void *ctx, struct berr **err)
{
    struct entry *v = NULL;
    size_t n = 0;
    int rc = 0;

    if (read_entries(rt, o, report, ctx, &v, &n, err) < 0) {
        entries_free(v, n);
        return -1;
    }
    if (n)
        qsort(v, n, sizeof(*v), entry_cmp);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (check_one(rt, o, cgmounts, &v[i], report, ctx) < 0)
            rc = berr_oom(err);
    entries_free(v, n);
    return rc;
}
