/*
 * runtime/dbconfig.c: the paths recorded at first init (db.json) and the
 * merge/validate rule of SPEC-podman.md section 1.3, done as DESIGN.md
 * step 3 says: a recorded value is adopted only for a field that no file,
 * environment or flag set; an explicit value that differs from the
 * recorded one is refused, naming both. Unlike podman 4.3.1, --tmpdir and
 * --volumepath count as explicit.
 */
#include <string.h>

#include "runtime/dbconfig.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

struct dbfield {
    const char *key;            /* db.json key (podman's bolt key) */
    const char *label;          /* the name in podman's mismatch message */
    enum cfg_field bit;
    size_t off;                 /* offset of the char * in struct config */
    bool clean;                 /* compare cleaned paths */
};

#define F(k, l, b, m, c) { k, l, b, offsetof(struct config, m), c }
static const struct dbfield fields[] = {
    F("static-dir", "libpod root directory (staticdir)", CF_STATIC_DIR, static_dir, true),
    F("tmp-dir", "libpod temporary files directory (tmpdir)", CF_TMP_DIR, tmp_dir, true),
    F("run-root", "storage temporary directory (runroot)", CF_RUN_ROOT, run_root, true),
    F("graph-root", "storage graph root directory (graphroot)", CF_GRAPH_ROOT, graph_root, true),
    F("graph-driver-name", "storage graph driver", CF_GRAPH_DRIVER, graph_driver, false),
    F("volume-path", "volume path", CF_VOLUME_PATH, volume_path, true),
};
#undef F

static char **field_ptr(struct config *cfg, const struct dbfield *f)
{
    return (char **) ((char *) cfg + f->off);
}

static int set_field(struct config *cfg, const struct dbfield *f, const char *v,
                     struct berr **err)
{
    char **p = field_ptr(cfg, f);
    char *n = str_dup(v);

    if (!n)
        return berr_oom(err);
    free(*p);
    *p = n;
    return 0;
}

/* Compares the way podman does: paths cleaned, the driver as is. */
static bool same(const struct dbfield *f, const char *a, const char *b)
{
    _cleanup_free_ char *ca = NULL, *cb = NULL;

    if (!f->clean)
        return str_eq(a, b);
    ca = fs_clean(a);
    cb = fs_clean(b);
    return ca && cb && strcmp(ca, cb) == 0;
}

int dbconfig_merge(struct state *st, struct config *cfg, char **driver, struct berr **err)
{
    _cleanup_json_ json_t *db = NULL;
    bool dirty = false;
    const char *recorded;

    if (state_db_read(st, &db, err) < 0)
        return -1;
    recorded = js_str(db, "graph-driver-name", NULL);
    free(*driver);
    *driver = NULL;
    if (recorded && *recorded && !(*driver = str_dup(recorded)))
        return berr_oom(err);
    if (!db) {
        db = json_object();
        if (!db)
            return berr_oom(err);
        dirty = true;
    }
    if (!str_eq(js_str(db, "os", "linux"), "linux"))
        return berr_msg(err, "database OS \"%s\" does not match our OS \"linux\": database configuration mismatch",
                        js_str(db, "os", ""));
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        const struct dbfield *f = &fields[i];
        const char *rec = js_str(db, f->key, NULL);
        char **cur = field_ptr(cfg, f);

        if (rec && *rec && !cfg_is_set(cfg, f->bit)) {
            if (!str_eq(*cur, rec))
                log_debug("Overriding %s \"%s\" with \"%s\" from database", f->key,
                          *cur ? *cur : "", rec);
            if (set_field(cfg, f, rec, err) < 0)
                return -1;
            continue;
        }
        if (rec && *rec && *cur && **cur && !same(f, rec, *cur))
            return berr_msg(err, "database %s \"%s\" does not match our %s \"%s\": database configuration mismatch",
                            f->label, rec, f->label, *cur);
        /* Record what is missing. The graph driver may be unknown until the
         * store opens; dbconfig_record_driver() records it then. */
        if ((!rec || !*rec) && *cur && **cur) {
            if (js_set_str(db, f->key, *cur) < 0)
                return berr_oom(err);
            dirty = true;
        }
    }
    if (!json_object_get(db, "os")) {
        if (js_set_str(db, "os", "linux") < 0)
            return berr_oom(err);
        dirty = true;
    }
    if (dirty && state_db_write(st, db, err) < 0)
        return berr_wrap(err, "record database configuration");
    return 0;
}

int dbconfig_record_driver(struct state *st, const char *driver, struct berr **err)
{
    _cleanup_json_ json_t *db = NULL;
    const char *rec;

    if (state_db_read(st, &db, err) < 0)
        return -1;
    if (!db && !(db = json_object()))
        return berr_oom(err);
    rec = js_str(db, "graph-driver-name", NULL);
    if (rec && *rec) {
        if (strcmp(rec, driver) != 0)
            return berr_msg(err, "database storage graph driver \"%s\" does not match our storage graph driver \"%s\": database configuration mismatch",
                            rec, driver);
        return 0;
    }
    if (js_set_str(db, "graph-driver-name", driver) < 0)
        return berr_oom(err);
    return state_db_write(st, db, err);
}
