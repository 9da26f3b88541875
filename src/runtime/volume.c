/*
 * runtime/volume.c: volumes' lifecycle: create (podman's local driver
 * rules), lookup and locking, reading them all, their users, removal.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/volume.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/mounts.h"
#include "util/str.h"
#include "util/timefmt.h"

static char *lock_file(struct runtime *rt, const char *name)
{
    return str_fmt("%s/locks/volumes/%s", rt->cfg->tmp_dir, name);
}

static char *vol_dir(struct runtime *rt, const char *name)
{
    return str_fmt("%s/%s", rt->cfg->volume_path, name);
}

static int vol_lock(struct runtime *rt, const char *name, struct lock *l, struct berr **err)
{
    _cleanup_free_ char *p = lock_file(rt, name);

    if (!p)
        return berr_oom(err);
    return lock_path_live(p, true, l, err);
}

void vol_event(struct runtime *rt, const char *name, const char *status)
{
    struct event ev = { .type = "volume", .status = status, .name = name };

    rt_event(rt, &ev);
}

bool vol_exists(struct runtime *rt, const char *name)
{
    return state_exists(rt->st, OBJ_VOLUME, name);
}

int vol_read(struct runtime *rt, const char *name, struct vol_config *cfg,
             struct vol_state *st, struct berr **err)
{
    _cleanup_json_ json_t *c = NULL, *s = NULL;

    if (state_read(rt->st, OBJ_VOLUME, name, cfg ? &c : NULL, st ? &s : NULL, err) < 0)
        return -1;
    if (cfg && vol_config_parse(c, name, cfg, err) < 0)
        return -1;
    if (st && vol_state_parse(s, name, st, err) < 0) {
        if (cfg)
            vol_config_free(cfg);
        return -1;
    }
    return 0;
}

void vol_put(struct vol *v)
{
    if (!v)
        return;
    lock_release(&v->lock);
    vol_config_free(&v->cfg);
    vol_state_free(&v->st);
    free(v);
}

/* Locks name and reads its records: BK_NO_SUCH when it is gone. */
static int get_locked(struct runtime *rt, const char *name, struct vol **out, struct berr **err)
{
    struct vol *v = calloc(1, sizeof(*v));

    if (!v)
        return berr_oom(err);
    v->lock.fd = -1;
    if (strlen(name) >= sizeof(v->name)) {
        free(v);
        return berr_kind(err, BK_NO_SUCH, "no volume with name \"%s\" found: no such volume", name);
    }
    strcpy(v->name, name);
    if (vol_lock(rt, name, &v->lock, err) < 0 ||
        vol_read(rt, name, &v->cfg, &v->st, err) < 0) {
        lock_release(&v->lock);
        free(v);
        /* a broken record: say what gets out of it */
        if ((*err)->kind == BK_CORRUPT)
            berr_hint(err, "`berth system check --repair` moves the broken record aside");
        return -1;
    }
    *out = v;
    return 0;
}

int vol_get_exact(struct runtime *rt, const char *name, struct vol **out, struct berr **err)
{
    if (!state_name_valid(name))
        return berr_kind(err, BK_NO_SUCH, "no volume with name \"%s\" found: no such volume", name);
    return get_locked(rt, name, out, err);
}

int vol_get(struct runtime *rt, const char *input, struct vol **out, struct berr **err)
{
    char name[256];

    if (state_lookup(rt->st, OBJ_VOLUME, input, NULL, name, err) < 0)
        return -1;
    return get_locked(rt, name, out, err);
}

int vol_save(struct runtime *rt, struct vol *v, struct berr **err)
{
    _cleanup_json_ json_t *rec = vol_state_json(&v->st);

    if (!rec)
        return berr_oom(err);
    if (state_update(rt->st, OBJ_VOLUME, v->name, rec, err) < 0)
        return -1;
    json_decref(v->st.rec);
    v->st.rec = STEAL_PTR(rec);
    return 0;
}

/* ---- create ---- */

/* podman's local driver: the keys it knows (any case), a bind device
 * that exists, no quota (berth sets no project quotas). */
static int check_local_options(json_t *opts, struct berr **err)
{
    static const char *const known[] = { "o", "type", "uid", "gid", "size", "inodes",
                                         "noquota", "copy", "nocopy", NULL };
    const char *k;
    json_t *v;
    bool quota = false, noquota = false;

    json_object_foreach(opts, k, v) {
        _cleanup_free_ char *lk = str_dup(k);
        bool ok = false;

        if (!lk || !json_is_string(v))
            return lk ? berr_plain(err, BK_INVALID, "volume option %s: not a string", k)
                      : berr_oom(err);
        str_lower(lk);
        if (str_eq(lk, "device")) {
            struct stat sb;
            const char *type = js_str(opts, "type", "");
            if (strcasecmp(type, "bind") == 0 && stat(json_string_value(v), &sb) < 0)
                return berr_new(err, BERR_ENGINE, errno,
                                "invalid volume option %s for driver 'local': stat %s", k,
                                json_string_value(v));
            continue;
        }
        for (size_t i = 0; known[i] && !ok; i++)
            ok = str_eq(lk, known[i]);
        if (!ok)
            return berr_plain(err, BK_INVALID,
                             "invalid mount option %s for driver 'local': invalid argument", k);
        quota |= str_eq(lk, "size") || str_eq(lk, "inodes");
        noquota |= str_eq(lk, "noquota");
    }
    if (quota && noquota)
        return berr_plain(err, BK_INVALID, "volume options size and inodes cannot be used without quota");
    /* a tmpfs takes its size as a mount option (later podman's rule;
     * 4.3.1 wanted a project quota even there) */
    if (str_eq(js_str(opts, "type", ""), "tmpfs")) {
        if (json_object_get(opts, "INODES"))
            return berr_plain(err, BK_INVALID, "volume option inodes not supported on tmpfs filesystem");
        return 0;
    }
    if (quota)
        return berr_plain(err, BK_INVALID,
                         "volume options size and inodes not supported. Filesystem does not support Project Quota");
    return 0;
}

/* volume create's "o": uid=/gid= become the owner (and UID/GID keys),
 * size=/inodes= SIZE/INODES (then refused: no quotas), noquota NOQUOTA,
 * timeout= is dropped (plugins only); the rest stays in "o". */
static int cli_o_option(json_t *opts, int *uid, int *gid, struct berr **err)
{
    const char *o = js_str(opts, "o", NULL);
    _cleanup_strv_ strv parts = o ? strv_split(o, ",") : NULL;
    _cleanup_strv_ strv kept = NULL;

    if (!o)
        return 0;
    for (size_t i = 0; parts && parts[i]; i++) {
        char *eq = strchr(parts[i], '=');
        _cleanup_free_ char *k = str_ndup(parts[i], eq ? (size_t) (eq - parts[i]) : strlen(parts[i]));
        const char *val = eq ? eq + 1 : NULL;
        long long n;

        if (!k)
            return berr_oom(err);
        str_lower(k);
        if (str_eq(k, "uid") || str_eq(k, "gid")) {
            if (!val)
                return berr_plain(err, BK_INVALID, "%s option must provide a %s: invalid argument", k,
                                 k[0] == 'u' ? "UID" : "GID");
            if (str_to_ll(val, &n) < 0 || n < 0 || n > 0x7fffffffLL)
                return berr_plain(err, BK_INVALID, "cannot convert %s %s to integer: strconv.Atoi: parsing \"%s\": invalid syntax",
                                 k[0] == 'u' ? "UID" : "GID", val, val);
            *(k[0] == 'u' ? uid : gid) = (int) n;
            if (js_set_str(opts, k[0] == 'u' ? "UID" : "GID", val) < 0)
                return berr_oom(err);
        } else if (str_eq(k, "size") || str_eq(k, "inodes")) {
            if (js_set_str(opts, k[0] == 's' ? "SIZE" : "INODES", val ? val : "") < 0)
                return berr_oom(err);
        } else if (str_eq(k, "noquota")) {
            if (js_set_str(opts, "NOQUOTA", "true") < 0)
                return berr_oom(err);
            continue;
        } else if (str_eq(k, "timeout")) {
            if (!val || str_to_ll(val, &n) < 0 || n < 0)
                return berr_plain(err, BK_INVALID, "timeout option must provide a valid timeout in seconds: invalid argument");
            continue;
        }
        if (strv_push(&kept, parts[i]) < 0)
            return berr_oom(err);
    }
    if (!kept) {
        json_object_del(opts, "o");
        return 0;
    }
    _cleanup_free_ char *joined = strv_join(kept, ",");
    return joined && js_set_str(opts, "o", joined) == 0 ? 0 : berr_oom(err);
}

/* The data directories, owned by uid:gid. A directory already there
 * without a record is what a removal that crashed left: it goes, so a
 * new volume starts empty. */
static int make_dirs(struct runtime *rt, const char *name, int uid, int gid, char **data,
                     struct berr **err)
{
    _cleanup_free_ char *dir = vol_dir(rt, name);
    _cleanup_free_ char *d = dir ? str_fmt("%s/_data", dir) : NULL;

    if (!d)
        return berr_oom(err);
    if (fs_exists(dir) && mounts_rm_rf(dir, err) < 0)
        return berr_wrap(err, "removing the leftovers of volume %s", name);
    if (fs_mkdir_p(rt->cfg->volume_path, 0700, err) < 0)
        return -1;
    if (mkdir(dir, 0700) < 0)
        return berr_sys(err, "creating volume directory \"%s\"", dir);
    if (mkdir(d, 0755) < 0 || chmod(d, 0755) < 0)
        return berr_sys(err, "creating volume directory \"%s\"", d);
    if (chown(dir, (uid_t) uid, (gid_t) gid) < 0 || chown(d, (uid_t) uid, (gid_t) gid) < 0)
        return berr_sys(err, "chowning volume directory \"%s\" to %d:%d", d, uid, gid);
    *data = STEAL_PTR(d);
    return 0;
}

/* The records of a new volume; NULL when out of memory. */
static int new_records(const struct vol_create_opts *o, const char *name, const char *data,
                       json_t **cfg_out, json_t **st_out)
{
    struct vol_config c = {
        .name = (char *) name, .driver = VOL_DRIVER_LOCAL, .mount_point = (char *) data,
        .created_ns = time_now_ns(), .anonymous = o->anonymous, .uid = o->uid, .gid = o->gid,
    };
    /* podman: uid=/gid= in the options set the owner and skip the chown */
    bool owned = json_object_get(o->options, "UID") || json_object_get(o->options, "GID");
    struct vol_state s = { .needs_copy_up = true, .needs_chown = !owned };
    _cleanup_json_ json_t *labels = o->labels ? json_deep_copy(o->labels) : json_object();
    _cleanup_json_ json_t *opts = o->options ? json_deep_copy(o->options) : json_object();

    c.driver = (char *) (o->driver && *o->driver ? o->driver : VOL_DRIVER_LOCAL);
    c.labels = labels;
    c.options = opts;
    *cfg_out = labels && opts ? vol_config_json(&c) : NULL;
    *st_out = vol_state_json(&s);
    return *cfg_out && *st_out ? 0 : -1;
}

/* Checks the name, the driver and the options; o gets a checked copy of
 * the options (*opts_out, owned). */
static int check_create(const struct vol_create_opts *in, struct vol_create_opts *o,
                        json_t **opts_out, char gen[STATE_ID_LEN + 1], struct berr **err)
{
    const char *drv = in->driver && *in->driver ? in->driver : VOL_DRIVER_LOCAL;
    _cleanup_json_ json_t *opts = in->options ? json_deep_copy(in->options) : json_object();

    *o = *in;
    if (!opts)
        return berr_oom(err);
    if (!o->name || !*o->name) {
        if (state_new_id(gen, err) < 0)
            return -1;
        o->name = gen;
    } else if (!state_name_valid(o->name) || strlen(o->name) > 255) {
        return berr_plain(err, BK_INVALID,
                          "running volume create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");
    }
    if (o->cli_options && cli_o_option(opts, &o->uid, &o->gid, err) < 0)
        return -1;
    if (strcmp(drv, VOL_DRIVER_LOCAL) != 0)
        return berr_plain(err, BK_INVALID,
                          "volume %s uses volume plugin %s but it could not be retrieved: no volume plugin with name %s available: required plugin missing",
                          o->name, drv, drv);
    log_debug("Validating options for local driver");
    if (check_local_options(opts, err) < 0)
        return -1;
    o->options = opts;
    *opts_out = STEAL_PTR(opts);
    return 0;
}

/* The directories and the records, the name's lock held. */
static int create_held(struct runtime *rt, const struct vol_create_opts *o, struct berr **err)
{
    _cleanup_free_ char *data = NULL;
    _cleanup_json_ json_t *cfg = NULL, *st = NULL;

    if (vol_exists(rt, o->name))
        return berr_kind(err, BK_EXISTS, "volume with name %s already exists: volume already exists",
                         o->name);
    if (make_dirs(rt, o->name, o->uid, o->gid, &data, err) < 0)
        return -1;
    if (new_records(o, o->name, data, &cfg, &st) < 0)
        return berr_oom(err);
    if (state_create(rt->st, OBJ_VOLUME, o->name, cfg, st, err) < 0) {
        _cleanup_free_ char *dir = vol_dir(rt, o->name);
        struct berr *e = NULL;
        if (dir && mounts_rm_rf(dir, &e) < 0)
            berr_free(e);
        return -1;
    }
    vol_event(rt, o->name, "create");
    return 0;
}

int vol_lock_name(struct runtime *rt, const char *name, struct lock *l, struct berr **err)
{
    return vol_lock(rt, name, l, err);
}

int vol_create_held(struct runtime *rt, const struct vol_create_opts *in, struct berr **err)
{
    struct vol_create_opts o;
    _cleanup_json_ json_t *opts = NULL;
    char gen[STATE_ID_LEN + 1];

    if (!in->name || !*in->name)
        return berr_msg(err, "vol_create_held: no name");
    if (check_create(in, &o, &opts, gen, err) < 0)
        return -1;
    return create_held(rt, &o, err);
}

int vol_create(struct runtime *rt, const struct vol_create_opts *in, struct vol **out,
               struct berr **err)
{
    struct vol_create_opts o;
    _cleanup_json_ json_t *opts = NULL;
    _cleanup_lock_ struct lock l = LOCK_INIT;
    char gen[STATE_ID_LEN + 1];

    if (check_create(in, &o, &opts, gen, err) < 0)
        return -1;
    /* The name's lock first: two creates of one name take turns, and the
     * second finds the first's volume. */
    if (vol_lock(rt, o.name, &l, err) < 0)
        return -1;
    if (o.ignore_existing && vol_exists(rt, o.name)) {
        lock_release(&l);
        return out ? vol_get_exact(rt, o.name, out, err) : 0;
    }
    if (create_held(rt, &o, err) < 0)
        return -1;
    if (!out)
        return 0;
    lock_release(&l);
    /* A remover may slip in here; then the caller sees no such volume,
     * which is the truth by then. */
    return vol_get_exact(rt, o.name, out, err);
}

/* ---- reading them all ---- */

void vol_info_free(struct vol_info *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].broken);
        vol_config_free(&v[i].cfg);
        vol_state_free(&v[i].st);
    }
    free(v);
}

int vol_read_all(struct runtime *rt, bool want_state, struct vol_info **out, size_t *n,
                 struct berr **err)
{
    return vol_read_all_ex(rt, want_state, false, out, n, err);
}

int vol_read_all_ex(struct runtime *rt, bool want_state, bool with_broken, struct vol_info **out,
                    size_t *n, struct berr **err)
{
    _cleanup_strv_ char **names = NULL;
    struct vol_info *v;
    size_t len = 0;

    if (state_list(rt->st, OBJ_VOLUME, &names, err) < 0)
        return -1;
    v = calloc(strv_len(names) + 1, sizeof(*v));
    if (!v)
        return berr_oom(err);
    for (size_t i = 0; names[i]; i++) {
        struct berr *e = NULL;

        if (vol_read(rt, names[i], &v[len].cfg, want_state ? &v[len].st : NULL, &e) < 0) {
            /* removed since the listing: not there; broken: say so, go on */
            if (e->kind != BK_NO_SUCH)
                log_warn("%s", e->msg);
            if (e->kind != BK_NO_SUCH && with_broken) {
                memset(&v[len].cfg, 0, sizeof(v[len].cfg));
                memset(&v[len].st, 0, sizeof(v[len].st));
                v[len].broken = str_dup(e->msg);
                v[len++].name = STEAL_PTR(names[i]);
            }
            berr_free(e);
            continue;
        }
        v[len++].name = STEAL_PTR(names[i]);
    }
    *out = v;
    *n = len;
    return 0;
}

/* ---- users ---- */

/* Calls fn for each volume name in container cfg's mounts. */
static int each_volume_of(json_t *cfg, int (*fn)(const char *vol, void *ctx), void *ctx)
{
    json_t *m;
    size_t i;

    json_array_foreach(json_object_get(json_object_get(cfg, "spec"), "mounts"), i, m) {
        const char *name = js_str(m, "name", NULL);
        if (str_eq(js_str(m, "type", ""), "volume") && name && fn(name, ctx) < 0)
            return -1;
    }
    return 0;
}

/* Reads every container's config and calls fn with each of its volumes
 * (ctx_of gives fn's context for the container's id). */
struct users_walk {
    const char *want;           /* vol_users: the one volume */
    const char *id;             /* the container being read */
    bool hit;
    json_t *map;                /* vol_users_all */
};

static int note_one(const char *vol, void *ctx)
{
    struct users_walk *w = ctx;

    w->hit |= str_eq(vol, w->want);
    return 0;
}

static int note_all(const char *vol, void *ctx)
{
    struct users_walk *w = ctx;
    json_t *ids = json_object_get(w->map, vol);

    if (!ids && json_object_set_new(w->map, vol, ids = json_array()) < 0)
        return -1;
    /* one container may mount a volume twice */
    if (json_array_size(ids) &&
        str_eq(json_string_value(json_array_get(ids, json_array_size(ids) - 1)), w->id))
        return 0;
    return json_array_append_new(ids, json_string(w->id));
}

static int walk_users(struct runtime *rt, struct users_walk *w, strv *hits, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;

    if (state_list(rt->st, OBJ_CONTAINER, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_json_ json_t *cfg = NULL;
        struct berr *e = NULL;

        if (state_read(rt->st, OBJ_CONTAINER, ids[i], &cfg, NULL, &e) < 0) {
            berr_free(e);   /* gone, or broken: ps reports those */
            continue;
        }
        w->id = ids[i];
        w->hit = false;
        if (each_volume_of(cfg, w->map ? note_all : note_one, w) < 0)
            return berr_oom(err);
        if (w->hit && strv_push(hits, ids[i]) < 0)
            return berr_oom(err);
    }
    return 0;
}

int vol_users(struct runtime *rt, const char *name, char ***ids, struct berr **err)
{
    struct users_walk w = { .want = name };
    _cleanup_strv_ strv hits = calloc(1, sizeof(char *));

    if (!hits)
        return berr_oom(err);
    if (walk_users(rt, &w, &hits, err) < 0)
        return -1;
    *ids = STEAL_PTR(hits);
    return 0;
}

int vol_users_all(struct runtime *rt, json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *map = json_object();
    struct users_walk w = { .map = map };
    _cleanup_strv_ strv none = NULL;

    if (!map)
        return berr_oom(err);
    if (walk_users(rt, &w, &none, err) < 0)
        return -1;
    *out = STEAL_PTR(map);
    return 0;
}

/* ---- remove ---- */

static int in_use_err(struct vol *v, char **users, struct berr **err)
{
    _cleanup_free_ char *list = strv_join(users, ", ");

    if (!list)
        return berr_oom(err);
    return berr_plain(err, BK_STATE,
                     "volume %s is being used by the following container(s): %s: volume is being used",
                     v->name, list);
}

/* rm -f: the users go first, each under its own lock and without the
 * volume's (container before volume); then the volume is locked again.
 * A container created meanwhile is removed on the next round. */
static int remove_users(struct runtime *rt, struct vol *v, long long timeout, struct berr **err)
{
    for (int round = 0; round < 10; round++) {
        _cleanup_strv_ char **users = NULL;

        if (vol_users(rt, v->name, &users, err) < 0)
            return -1;
        if (!users[0])
            return 0;
        lock_release(&v->lock);
        for (size_t i = 0; users[i]; i++) {
            struct berr *e = NULL;
            log_debug("Removing container %s (depends on volume \"%s\")", users[i], v->name);
            if (ctr_remove_id(rt, users[i], true, timeout, &e) < 0) {
                if (e->kind == BK_NO_SUCH) {
                    berr_free(e);
                    continue;
                }
                *err = e;
                return berr_wrap(err, "removing container %s that depends on volume %s",
                                 users[i], v->name);
            }
        }
        vol_config_free(&v->cfg);
        vol_state_free(&v->st);
        if (vol_lock(rt, v->name, &v->lock, err) < 0 ||
            vol_read(rt, v->name, &v->cfg, &v->st, err) < 0)
            return -1;
    }
    return berr_msg(err, "volume %s: containers using it keep appearing", v->name);
}

int vol_remove(struct runtime *rt, struct vol *v, bool force, long long timeout,
               const char *status, struct berr **err)
{
    _cleanup_strv_ char **users = NULL;
    _cleanup_free_ char *dir = vol_dir(rt, v->name), *lf = lock_file(rt, v->name);
    struct berr *e = NULL;

    if (!dir || !lf)
        return berr_oom(err);
    if (vol_users(rt, v->name, &users, err) < 0)
        return -1;
    if (users[0] && !force)
        return in_use_err(v, users, err);
    if (users[0] && remove_users(rt, v, timeout, err) < 0)
        return -1;
    if (vol_unmount(rt, v, true, &e) < 0) {
        if (!force) {
            *err = e;
            return berr_wrap(err, "unmounting volume %s", v->name);
        }
        log_error("Unmounting volume %s: %s", v->name, e->msg);
        berr_freep(&e);
    }
    if (state_delete(rt->st, OBJ_VOLUME, v->name, err) < 0)
        return berr_wrap(err, "removing volume %s", v->name);
    /* From here the volume is gone for everyone; its data is cleanup
     * (vol_create clears what a crash here leaves). */
    if (mounts_rm_rf(dir, &e) < 0) {
        log_error("Cleaning up volume storage for volume \"%s\": %s", v->name, e->msg);
        berr_freep(&e);
    }
    vol_event(rt, v->name, "remove");
    if (status && strcmp(status, "remove") != 0)
        vol_event(rt, v->name, status);
    lock_path_unlink(lf, &v->lock);
    log_debug("Removed volume %s", v->name);
    return 0;
}

void vol_remove_anonymous(struct runtime *rt, char *const *names)
{
    for (size_t i = 0; names && names[i]; i++) {
        struct vol *v = NULL;
        struct berr *e = NULL;

        if (vol_get_exact(rt, names[i], &v, &e) == 0 && v->cfg.anonymous &&
            vol_remove(rt, v, false, -1, "remove", &e) < 0) {
            /* still used (--volumes-from): it stays, as podman's does */
            if (e->kind == BK_STATE)
                log_debug("Cleaning up volume not possible since volume is in use (%s)", names[i]);
            else
                log_error("Cleaning up volume (%s): %s", names[i], e->msg);
        } else if (e && e->kind != BK_NO_SUCH) {
            log_error("Cleaning up volume (%s): %s", names[i], e->msg);
        }
        berr_free(e);
        vol_put(v);
    }
}

int vol_refresh(struct runtime *rt, const char *name, struct berr **err)
{
    struct vol_state st;
    _cleanup_json_ json_t *rec = NULL;
    int r;

    if (vol_read(rt, name, NULL, &st, err) < 0)
        return -1;
    st.mount_count = 0;
    free(st.mount_point);
    st.mount_point = NULL;
    rec = vol_state_json(&st);
    r = rec ? state_update(rt->st, OBJ_VOLUME, name, rec, err) : berr_oom(err);
    vol_state_free(&st);
    return r;
}
