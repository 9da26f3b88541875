/*
 * runtime/syscheck_locks.c: system check's look at the containers'
 * numbered lock files (<tmp dir>/locks/N, lock.h): a container whose
 * lock file is missing (every command on it would fail) gets it made
 * again; a lock file no container record names, held by nobody and
 * older than a minute (younger: a create between its lock and its
 * record), is freed.
 *
 * While some container record does not read at all, which lock it names
 * is unknowable: then no lock is called leaked. A quarantined record's
 * number (its config.json moved aside) still counts as named: rm -f of
 * its id frees it.
 */
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "runtime/config.h"
#include "runtime/container.h"
#include "runtime/lock.h"
#include "runtime/syscheck.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

#define LOCK_YOUNG_SEC 60

struct named {
    struct lock_info *li;
    size_t n;
    bool *used;
};

static int cmp_num(const void *a, const void *b)
{
    unsigned x = ((const struct lock_info *) a)->num, y = ((const struct lock_info *) b)->num;

    return x < y ? -1 : x > y;
}

/* nm->li is sorted by number (rt_check_locks): a container's number is
 * found in log(locks) steps, not by a scan per container. */
static struct lock_info *find(struct named *nm, long long num)
{
    struct lock_info key;

    if (num < 0 || num > (long long) UINT_MAX)
        return NULL;
    key.num = (unsigned) num;
    return nm->n ? bsearch(&key, nm->li, nm->n, sizeof(*nm->li), cmp_num) : NULL;
}

static void mark(struct named *nm, long long num)
{
    struct lock_info *l = find(nm, num);

    if (l)
        nm->used[l - nm->li] = true;
}

/* The numbers quarantined container records name. */
static void mark_quarantined(struct runtime *rt, struct named *nm)
{
    _cleanup_free_ char *pat = str_fmt("%s/quarantine/containers-*/config.json",
                                       rt->cfg->static_dir);
    glob_t g;

    if (!pat || glob(pat, 0, NULL, &g) != 0)
        return;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        _cleanup_json_ json_t *rec = NULL;
        struct berr *e = NULL;
        if (js_read_file(g.gl_pathv[i], &rec, &e) == 0 && json_is_integer(json_object_get(rec, "lockID")))
            mark(nm, json_integer_value(json_object_get(rec, "lockID")));
        berr_free(e);
    }
    globfree(&g);
}

static bool lock_young(struct runtime *rt, unsigned num)
{
    _cleanup_free_ char *p = str_fmt("%s/locks/%u", rt->cfg->tmp_dir, num);
    struct stat st;

    return !p || stat(p, &st) < 0 || time(NULL) - st.st_mtime < LOCK_YOUNG_SEC;
}

/* Each container's own number: missing ones reported (repair: made). */
static bool check_named(struct runtime *rt, const struct check_opts *o, char *const *ctr_ids,
                        struct named *nm, state_report_fn report, void *ctx)
{
    bool all_known = true;

    for (size_t i = 0; ctr_ids && ctr_ids[i]; i++) {
        struct ctr_config cfg;
        struct ctr_runstate st;
        _cleanup_free_ char *damage = NULL;
        struct berr *e = NULL;

        if (ctr_read_salvage(rt, ctr_ids[i], &cfg, &st, &damage, &e) < 0) {
            berr_free(e);
            all_known = false;
            continue;
        }
        if (cfg.lock_id < 0) {
            all_known = all_known && !damage;
        } else if (find(nm, cfg.lock_id)) {
            mark(nm, cfg.lock_id);
        } else {
            char p[96];
            bool fixed = o->repair && lock_alloc_num(rt->locks, (unsigned) cfg.lock_id, &e) == 0;
            berr_free(e);
            snprintf(p, sizeof(p), "its lock %lld is missing", cfg.lock_id);
            report(ctx, "lock", ctr_ids[i], p, fixed);
        }
        ctr_config_free(&cfg);
        ctr_runstate_free(&st);
    }
    return all_known;
}

int rt_check_locks(struct runtime *rt, const struct check_opts *o, char *const *ctr_ids,
                   state_report_fn report, void *ctx, struct berr **err)
{
    struct named nm = { 0 };

    if (lock_list(rt->locks, &nm.li, &nm.n, err) < 0)
        return -1;
    if (nm.n)
        qsort(nm.li, nm.n, sizeof(*nm.li), cmp_num);
    if (!(nm.used = calloc(nm.n ? nm.n : 1, sizeof(bool)))) {
        free(nm.li);
        return berr_oom(err);
    }
    mark_quarantined(rt, &nm);
    if (check_named(rt, o, ctr_ids, &nm, report, ctx))
        for (size_t i = 0; i < nm.n; i++) {
            char obj[16];
            struct berr *e = NULL;
            bool fixed;
            if (nm.used[i] || nm.li[i].held || lock_young(rt, nm.li[i].num))
                continue;
            fixed = o->repair && lock_free(rt->locks, nm.li[i].num, &e) == 0;
            berr_free(e);
            snprintf(obj, sizeof(obj), "%u", nm.li[i].num);
            report(ctx, "lock", obj, "a container lock no record names", fixed);
        }
    free(nm.used);
    free(nm.li);
    return 0;
}
