/*
 * runtime/ctr_secrets.c: run/create --secret: the secrets a container
 * is given, resolved to ids at create and read by id and put in place at
 * every init; the containers that use a secret (runtime/secret.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/secret.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/idmap.h"
#include "util/js.h"
#include "util/str.h"

#define SECRET_DEFAULT_MODE 0444

static bool is_env(json_t *v)
{
    return str_eq(js_str(v, "type", "mount"), "env");
}

/* Unlike podman 4.3.1, which copies a mount secret's data into the
 * container: only the secret's id (with name, type, target, uid, gid,
 * mode) is recorded; the data stays in the secret store and is read by
 * that id at every init (ctr_secrets_apply). The caller holds the names
 * lock (secret_hold) until the record is written, so a secret rm either
 * sees this container or has removed the secret before the lookup. */
int ctr_secrets_resolve(struct runtime *rt, json_t *spec, struct berr **err)
{
    json_t *list = json_object_get(spec, "secrets"), *v;
    size_t i;

    json_array_foreach(list, i, v) {
        char id[SECRET_ID_LEN + 1];

        if (secret_lookup(rt, js_str(v, "name", ""), id, err) < 0)
            return -1;
        if (js_set_str(v, "id", id) < 0)
            return berr_oom(err);
    }
    return 0;
}

/* The data of the container's secret v, by the id recorded at create.
 * Gone (a record removed by hand, or by a berth that allowed removing a
 * secret in use): the container cannot start; the secret is not looked
 * up by name again, as a secret re-created under that name is another
 * secret. */
static int data_by_id(struct runtime *rt, json_t *v, const char *ctr, char **data, size_t *len,
                      struct berr **err)
{
    const char *id = js_str(v, "id", "");
    struct berr *e = NULL;

    if (strlen(id) == SECRET_ID_LEN && secret_data(rt, id, data, len, &e) == 0)
        return 0;
    if (e && e->errnum != ENOENT) {
        *err = e;
        return -1;
    }
    berr_free(e);
    return berr_plain(err, BK_NO_SUCH, "secret %s (id %s) of container %s has been removed: no such secret",
                      js_str(v, "name", ""), *id ? id : "none recorded", ctr);
}

int ctr_secrets_users(struct runtime *rt, const char *secret_id, strv *out, struct berr **err)
{
    _cleanup_strv_ strv ids = NULL;

    *out = NULL;
    if (state_list(rt->st, OBJ_CONTAINER, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids && ids[i]; i++) {
        _cleanup_json_ json_t *cfg = NULL;
        struct berr *e = NULL;
        json_t *v;
        size_t k;

        if (state_read(rt->st, OBJ_CONTAINER, ids[i], &cfg, NULL, &e) < 0) {
            berr_free(e);   /* removed since the listing, or not readable */
            continue;
        }
        json_array_foreach(json_object_get(json_object_get(cfg, "spec"), "secrets"), k, v) {
            if (!str_eq(js_str(v, "id", ""), secret_id))
                continue;
            if (strv_push(out, ids[i]) < 0)
                return berr_oom(err);
            break;
        }
    }
    return 0;
}

/* /run/secrets/NAME; a relative target under /run/secrets, an absolute
 * one as it is (podman's). */
static char *mount_dest(json_t *v)
{
    const char *t = js_str(v, "target", "");

    if (!*t)
        return str_fmt("/run/secrets/%s", js_str(v, "name", ""));
    return t[0] == '/' ? str_dup(t) : str_fmt("/run/secrets/%s", t);
}

long long ctr_host_id(json_t *spec, const char *key, long long id)
{
    json_t *maps = json_object_get(spec, key), *v;
    struct idmap m[64];
    size_t i, n = 0;

    json_array_foreach(maps, i, v)
        if (n < ARRAY_SIZE(m) && json_string_value(v) && idmap_parse(json_string_value(v), &m[n]) == 0)
            n++;
    return n ? idmap_to_host(m, n, (uint32_t) id) : id;
}

static int put_file(json_t *spec, const char *dir, size_t idx, json_t *v, const char *data,
                    size_t len, char **path, struct berr **err)
{
    _cleanup_free_ char *name = str_fmt("%zu", idx);
    long long uid = ctr_host_id(spec, "uidMap", js_int(v, "uid", 0));
    long long gid = ctr_host_id(spec, "gidMap", js_int(v, "gid", 0));
    mode_t mode = (mode_t) js_int(v, "mode", SECRET_DEFAULT_MODE);

    if (!name || !(*path = fs_join(dir, name)))
        return berr_oom(err);
    if (uid < 0 || gid < 0)
        return berr_kind(err, BK_INVALID, "secret %s: uid %lld or gid %lld is not mapped in the container's user namespace",
                         js_str(v, "name", ""), js_int(v, "uid", 0), js_int(v, "gid", 0));
    /* written 0600, then given to its owner and mode */
    if (fs_write_replace(dir, name, data, len, 0600, err) < 0)
        return -1;
    if (chown(*path, (uid_t) uid, (gid_t) gid) < 0 || chmod(*path, mode & 07777) < 0)
        return berr_sys(err, "secret %s: setting owner and mode", js_str(v, "name", ""));
    return 0;
}

int ctr_secrets_apply(struct runtime *rt, json_t *spec, const char *ctr, const char *rundir,
                      json_t *in, struct berr **err)
{
    json_t *list = json_object_get(spec, "secrets"), *v;
    json_t *mounts = json_object_get(in, "mounts"), *env = json_object_get(in, "env");
    _cleanup_free_ char *dir = NULL;
    size_t i;

    if (!json_array_size(list))
        return 0;
    if (!(dir = fs_join(rundir, "secrets")))
        return berr_oom(err);
    if (fs_rm_rf(dir, err) < 0 || fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    /* a copy: the caller's list stays as it was */
    mounts = json_is_array(mounts) ? json_copy(mounts) : json_array();
    if (!mounts || json_object_set_new(in, "mounts", mounts) < 0)
        return berr_oom(err);
    if (!json_is_array(env) && json_object_set_new(in, "env", env = json_array()) < 0)
        return berr_oom(err);
    json_array_foreach(list, i, v) {
        const char *name = js_str(v, "name", "");
        _cleanup_free_ char *data = NULL, *path = NULL, *dest = NULL;
        size_t len = 0;
        int r;

        if (data_by_id(rt, v, ctr, &data, &len, err) < 0)
            return -1;
        if (is_env(v)) {
            const char *t = js_str(v, "target", "");
            _cleanup_free_ char *kv = str_fmt("%s=%.*s", *t ? t : name, (int) len, data);
            explicit_bzero(data, len);
            if (!kv || json_array_append_new(env, json_string(kv)) < 0)
                return berr_oom(err);
            continue;
        }
        r = put_file(spec, dir, i, v, data, len, &path, err);
        explicit_bzero(data, len);
        if (r < 0)
            return -1;
        if (!(dest = mount_dest(v)) ||
            json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:[s]}", "destination", dest,
                                                    "type", "bind", "source", path, "options",
                                                    "ro")) < 0)
            return berr_oom(err);
    }
    return 0;
}

bool ctr_secrets_env_var(json_t *spec, const char *kv)
{
    json_t *list = json_object_get(spec, "secrets"), *v;
    const char *eq = kv ? strchr(kv, '=') : NULL;
    size_t i;

    json_array_foreach(list, i, v) {
        const char *t = js_str(v, "target", "");
        const char *var = *t ? t : js_str(v, "name", "");

        if (eq && is_env(v) && strlen(var) == (size_t) (eq - kv) && !strncmp(kv, var, (size_t) (eq - kv)))
            return true;
    }
    return false;
}

json_t *ctr_secrets_inspect(json_t *spec)
{
    json_t *list = json_object_get(spec, "secrets"), *v, *out = NULL;
    size_t i;

    json_array_foreach(list, i, v) {
        if (is_env(v))
            continue;
        if (!out && !(out = json_array()))
            return NULL;
        json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I, s:I}", "Name", js_str(v, "name", ""),
                                             "ID", js_str(v, "id", ""), "UID", js_int(v, "uid", 0),
                                             "GID", js_int(v, "gid", 0),
                                             "Mode", js_int(v, "mode", SECRET_DEFAULT_MODE)));
    }
    return out;
}
