/*
 * runtime/ctr_secrets.c: run/create --secret: the secrets a container
 * is given, resolved at create and put in place at every init
 * (runtime/secret.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/secret.h"
#include "util/base64.h"
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

/* The data of the secret named name now. */
static int data_by_name(struct runtime *rt, const char *name, char *id, char **data, size_t *len,
                        struct berr **err)
{
    struct berr *e = NULL;

    if (secret_lookup(rt, name, id, err) < 0)
        return -1;
    if (secret_data(rt, id, data, len, &e) == 0)
        return 0;
    if (e->errnum != ENOENT) {
        *err = e;
        return -1;
    }
    berr_free(e);   /* removed since the lookup */
    return secret_err_no_such(err, name);
}

/* As podman 4.3.1: a mount secret's data is copied into the container's
 * config at create (a later rm or re-create of the secret does not
 * change what the container sees); an env secret is looked up by name at
 * every start. */
int ctr_secrets_resolve(struct runtime *rt, json_t *spec, struct berr **err)
{
    json_t *list = json_object_get(spec, "secrets"), *v;
    size_t i;

    json_array_foreach(list, i, v) {
        char id[SECRET_ID_LEN + 1];
        _cleanup_free_ char *data = NULL, *b64 = NULL;
        size_t len = 0;

        if (data_by_name(rt, js_str(v, "name", ""), id, &data, &len, err) < 0)
            return -1;
        if (js_set_str(v, "id", id) < 0)
            return berr_oom(err);
        if (is_env(v))
            continue;
        if (!(b64 = b64_encode(data, len)) || js_set_str(v, "data", b64) < 0)
            return berr_oom(err);
        explicit_bzero(data, len);
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

/* The host id of container id id under the spec's uidMap or gidMap (its
 * own user namespace); as it is without one. -1: not mapped. */
static long long host_id(json_t *spec, const char *key, long long id)
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
    long long uid = host_id(spec, "uidMap", js_int(v, "uid", 0));
    long long gid = host_id(spec, "gidMap", js_int(v, "gid", 0));
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

int ctr_secrets_apply(struct runtime *rt, json_t *spec, const char *rundir, json_t *in,
                      struct berr **err)
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
        char id[SECRET_ID_LEN + 1];
        size_t len = 0;

        if (is_env(v) ? data_by_name(rt, name, id, &data, &len, err) < 0
                      : b64_decode(js_str(v, "data", ""), &data, &len) < 0)
            return is_env(v) ? -1 : berr_kind(err, BK_CORRUPT, "secret %s: the container's copy does not decode", name);
        if (is_env(v)) {
            const char *t = js_str(v, "target", "");
            _cleanup_free_ char *kv = str_fmt("%s=%.*s", *t ? t : name, (int) len, data);
            if (!kv || json_array_append_new(env, json_string(kv)) < 0)
                return berr_oom(err);
            continue;
        }
        if (put_file(spec, dir, i, v, data, len, &path, err) < 0)
            return -1;
        if (!(dest = mount_dest(v)) ||
            json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:[s]}", "destination", dest,
                                                    "type", "bind", "source", path, "options",
                                                    "ro")) < 0)
            return berr_oom(err);
    }
    return 0;
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
