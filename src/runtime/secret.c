/*
 * runtime/secret.c: secrets with podman's file driver: create, lookup,
 * read, remove, inspect. Layout and locks: runtime/secret.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/config.h"
#include "runtime/secret.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/flock.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

#define SECRET_NAME_MAX 64

static char *secrets_dir(struct runtime *rt)
{
    return fs_join(rt->cfg->static_dir, "secrets");
}

static int lock_secret(struct runtime *rt, const char *what, struct lock *l, struct berr **err)
{
    _cleanup_free_ char *p = NULL;

    if (asprintf(&p, "%s/locks/secrets/%s", rt->cfg->tmp_dir, what) < 0)
        return berr_oom(err);
    return lock_path_live(p, true, l, err);
}

static void unlock_secret(struct runtime *rt, const char *what, struct lock *l)
{
    _cleanup_free_ char *p = NULL;

    if (asprintf(&p, "%s/locks/secrets/%s", rt->cfg->tmp_dir, what) < 0) {
        lock_release(l);
        return;
    }
    lock_path_unlink(p, l);
}

/* podman's validateSecretName */
static bool name_valid(const char *n)
{
    size_t len = strlen(n);

    if (len < 1 || len > SECRET_NAME_MAX || !isalnum((unsigned char) n[0]))
        return false;
    for (size_t i = 1; i < len; i++)
        if (!isalnum((unsigned char) n[i]) && !strchr("_.-", n[i]))
            return false;
    return isalnum((unsigned char) n[len - 1]);
}

static bool id_valid(const char *s)
{
    if (strlen(s) != SECRET_ID_LEN)
        return false;
    for (; *s; s++)
        if (!strchr("0123456789abcdef", *s))
            return false;
    return true;
}

static int new_id(char *out, struct berr **err)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[SECRET_ID_LEN];

    if (getrandom(b, sizeof(b), 0) != (ssize_t) sizeof(b))
        return berr_sys(err, "generating a secret id");
    for (size_t i = 0; i < SECRET_ID_LEN; i++)
        out[i] = hex[b[i] & 15];
    out[SECRET_ID_LEN] = '\0';
    return 0;
}

/* The id names/<name> points at, if its record exists. */
static bool name_to_id(const char *dir, const char *name, char *id)
{
    _cleanup_free_ char *link = NULL, *rec = NULL;
    char buf[64];
    ssize_t n;

    if (asprintf(&link, "%s/names/%s", dir, name) < 0)
        return false;
    n = readlink(link, buf, sizeof(buf) - 1);
    if (n < 0)
        return false;
    buf[n] = '\0';
    if (!id_valid(buf) || asprintf(&rec, "%s/%s/config.json", dir, buf) < 0 || !fs_exists(rec))
        return false;
    memcpy(id, buf, SECRET_ID_LEN + 1);
    return true;
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static int list_ids(const char *dir, char ***out, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(dir);
    _cleanup_strv_ strv ids = NULL;
    size_t n = 0;
    struct dirent *de;

    *out = NULL;
    if (!d)
        return errno == ENOENT ? 0 : berr_sys(err, "reading %s", dir);
    while ((de = readdir(d))) {
        if (!id_valid(de->d_name))
            continue;
        char **t = realloc(ids, (n + 2) * sizeof(*ids));
        if (!t)
            return berr_oom(err);
        ids = t;
        if (!(ids[n] = strdup(de->d_name)))
            return berr_oom(err);
        ids[++n] = NULL;
    }
    if (n)
        qsort(ids, n, sizeof(*ids), cmp_id);
    *out = STEAL_PTR(ids);
    return 0;
}

int secret_err_no_such(struct berr **err, const char *name)
{
    return berr_plain(err, BK_NO_SUCH, "no secret with name or id \"%s\": no such secret", name);
}

int secret_lookup(struct runtime *rt, const char *in, char *id_out, struct berr **err)
{
    _cleanup_free_ char *dir = secrets_dir(rt);
    _cleanup_strv_ strv ids = NULL;
    const char *found = NULL;

    if (!dir)
        return berr_oom(err);
    if (name_to_id(dir, in, id_out))
        return 0;
    if (list_ids(dir, &ids, err) < 0)
        return -1;
    for (size_t i = 0; *in && ids && ids[i]; i++) {
        if (strncmp(ids[i], in, strlen(in)))
            continue;
        if (found)
            return berr_plain(err, BK_EXISTS,
                              "more than one result secret with prefix %s: secret already exists", in);
        found = ids[i];
    }
    if (!found)
        return secret_err_no_such(err, in);
    memcpy(id_out, found, SECRET_ID_LEN + 1);
    return 0;
}

int secret_read(struct runtime *rt, const char *id, struct secret_config *out, struct berr **err)
{
    _cleanup_free_ char *dir = secrets_dir(rt), *p = NULL;
    _cleanup_json_ json_t *j = NULL;

    if (!dir || asprintf(&p, "%s/%s/config.json", dir, id) < 0)
        return berr_oom(err);
    if (js_read_file(p, &j, err) < 0)
        return -1;
    return secret_config_parse(j, id, out, err);
}

int secret_data(struct runtime *rt, const char *id, char **data, size_t *len, struct berr **err)
{
    _cleanup_free_ char *dir = secrets_dir(rt), *p = NULL;

    if (!dir || asprintf(&p, "%s/%s/data", dir, id) < 0)
        return berr_oom(err);
    return fs_read_file(p, data, len, err);
}

void secret_config_free_all(struct secret_config *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        secret_config_free(&v[i]);
    free(v);
}

int secret_read_all(struct runtime *rt, struct secret_config **out, size_t *n, struct berr **err)
{
    _cleanup_free_ char *dir = secrets_dir(rt);
    _cleanup_strv_ strv ids = NULL;
    struct secret_config *v;
    size_t cnt, k = 0;

    *out = NULL;
    *n = 0;
    if (!dir)
        return berr_oom(err);
    if (list_ids(dir, &ids, err) < 0)
        return -1;
    cnt = ids ? strv_len(ids) : 0;
    v = calloc(cnt + 1, sizeof(*v));
    if (!v)
        return berr_oom(err);
    for (size_t i = 0; i < cnt; i++) {
        struct berr *e = NULL;

        if (secret_read(rt, ids[i], &v[k], &e) < 0) {
            /* removed since the listing, or broken: skipped with a word */
            if (e->errnum != ENOENT)
                log_warn("%s", e->msg);
            berr_free(e);
            continue;
        }
        k++;
    }
    *out = v;
    *n = k;
    return 0;
}

static int write_record(const char *dir, const struct secret_create_opts *o, const char *id,
                        struct berr **err)
{
    _cleanup_free_ char *tmp = NULL, *final = NULL;
    _cleanup_json_ json_t *rec = NULL;
    long long now = time_now_ns();
    struct secret_config c = {
        .id = (char *) id, .name = (char *) o->name,
        .driver = (char *) (o->driver ? o->driver : "file"),
        .driver_opts = o->driver_opts, .labels = o->labels,
        .created_ns = now, .updated_ns = now,
    };
    _cleanup_json_ json_t *empty = json_object();

    if (!empty)
        return berr_oom(err);
    if (!c.driver_opts)
        c.driver_opts = empty;
    if (!c.labels)
        c.labels = empty;
    if (asprintf(&tmp, "%s/.new-%s", dir, id) < 0 || asprintf(&final, "%s/%s", dir, id) < 0 ||
        !(rec = secret_config_json(&c)) || js_set_int(rec, "version", STATE_FORMAT_VERSION) < 0)
        return berr_oom(err);
    if (mkdir(tmp, 0700) < 0)
        return berr_sys(err, "creating secret %s", o->name);
    if (fs_write_atomic(tmp, "data", o->data, o->len, 0600, err) < 0 ||
        js_write_atomic(tmp, "config.json", rec, 0600, err) < 0)
        goto fail;
    if (rename(tmp, final) < 0) {
        berr_sys(err, "creating secret %s", o->name);
        goto fail;
    }
    fs_fsync_dir(dir);
    return 0;
fail:
    fs_rm_rf(tmp, NULL);
    return -1;
}

/* names/<name> -> id; a link whose record is gone (a crash) is replaced.
 * Under the names lock. */
static int link_name(const char *dir, const char *name, const char *id, struct berr **err)
{
    _cleanup_free_ char *ndir = NULL, *link = NULL, *tmp = NULL;
    char cur[SECRET_ID_LEN + 1];

    if (asprintf(&ndir, "%s/names", dir) < 0 || asprintf(&link, "%s/%s", ndir, name) < 0 ||
        asprintf(&tmp, "%s/.new-%s", ndir, id) < 0)
        return berr_oom(err);
    if (fs_mkdir_p(ndir, 0700, err) < 0)
        return -1;
    if (name_to_id(dir, name, cur))
        return berr_plain(err, BK_EXISTS, "%s: secret name in use", name);
    unlink(tmp);
    if (symlink(id, tmp) < 0 || rename(tmp, link) < 0) {
        berr_sys(err, "naming secret %s", name);
        unlink(tmp);
        return -1;
    }
    fs_fsync_dir(ndir);
    return 0;
}

int secret_create(struct runtime *rt, const struct secret_create_opts *o, char *id_out,
                  struct berr **err)
{
    _cleanup_free_ char *dir = secrets_dir(rt), *final = NULL;
    _cleanup_(lock_releasep) struct lock names = LOCK_INIT;
    char id[SECRET_ID_LEN + 1];

    if (!dir)
        return berr_oom(err);
    if (!name_valid(o->name))
        return berr_plain(err, BK_INVALID,
                          "only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]: %s: invalid secret name",
                          o->name);
    if (o->driver && !str_eq(o->driver, "file"))
        return berr_plain(err, BK_INVALID, "invalid driver");
    if (o->len == 0 || o->len >= SECRET_MAX_SIZE)
        return berr_plain(err, BK_INVALID, "secret data must be larger than 0 and less than 512000 bytes");
    if (fs_mkdir_p(dir, 0700, err) < 0 || lock_secret(rt, ".names", &names, err) < 0)
        return -1;
    char cur[SECRET_ID_LEN + 1];
    if (name_to_id(dir, o->name, cur))
        return berr_plain(err, BK_EXISTS, "%s: secret name in use", o->name);
    do {
        if (new_id(id, err) < 0)
            return -1;
        free(final);
        if (asprintf(&final, "%s/%s", dir, id) < 0)
            return berr_oom(err);
    } while (fs_exists(final));
    if (write_record(dir, o, id, err) < 0)
        return -1;
    if (link_name(dir, o->name, id, err) < 0) {
        fs_rm_rf(final, NULL);
        return -1;
    }
    memcpy(id_out, id, SECRET_ID_LEN + 1);
    return 0;
}

int secret_hold(struct runtime *rt, struct lock *l, struct berr **err)
{
    _cleanup_free_ char *dir = secrets_dir(rt);

    if (!dir)
        return berr_oom(err);
    if (fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    return lock_secret(rt, ".names", l, err);
}

static int check_unused(struct runtime *rt, const struct secret_config *c, struct berr **err)
{
    _cleanup_strv_ strv users = NULL;
    _cleanup_free_ char *list = NULL;

    if (ctr_secrets_users(rt, c->id, &users, err) < 0)
        return -1;
    if (!users)
        return 0;
    if (!(list = strv_join(users, ", ")))
        return berr_oom(err);
    return berr_plain(err, BK_STATE, "secret %s is in use by container(s) %s: remove them first",
                      c->name, list);
}

int secret_remove(struct runtime *rt, const char *id, struct berr **err)
{
    _cleanup_free_ char *dir = secrets_dir(rt), *rec = NULL, *del = NULL, *link = NULL;
    _cleanup_(lock_releasep) struct lock names = LOCK_INIT;
    struct lock l = LOCK_INIT;
    struct secret_config c = { 0 };
    char cur[SECRET_ID_LEN + 1];

    if (!dir || asprintf(&rec, "%s/%s", dir, id) < 0 || asprintf(&del, "%s/.del-%s", dir, id) < 0)
        return berr_oom(err);
    if (lock_secret(rt, ".names", &names, err) < 0 || lock_secret(rt, id, &l, err) < 0)
        return -1;
    if (secret_read(rt, id, &c, err) < 0) {
        lock_release(&l);
        if ((*err)->errnum == ENOENT) {
            berr_free(*err);
            *err = NULL;
            return secret_err_no_such(err, id);
        }
        return -1;
    }
    if (check_unused(rt, &c, err) < 0) {
        secret_config_free(&c);
        lock_release(&l);
        return -1;
    }
    if (asprintf(&link, "%s/names/%s", dir, c.name) < 0) {
        secret_config_free(&c);
        lock_release(&l);
        return berr_oom(err);
    }
    if (name_to_id(dir, c.name, cur) && str_eq(cur, id))
        unlink(link);
    secret_config_free(&c);
    if (rename(rec, del) < 0) {
        lock_release(&l);
        return berr_sys(err, "removing secret %s", id);
    }
    fs_fsync_dir(dir);
    fs_rm_rf(del, NULL);
    unlock_secret(rt, id, &l);
    return 0;
}

static json_t *time_json(long long ns)
{
    struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };
    char buf[64];

    return json_string(time_rfc3339nano(ts, buf, sizeof(buf)));
}

json_t *secret_inspect_json(struct runtime *rt, const struct secret_config *c)
{
    _cleanup_free_ char *dir = secrets_dir(rt);
    json_t *opts = json_deep_copy(c->driver_opts);

    if (!dir || !opts || json_object_set_new(opts, "path", json_string(dir)) < 0) {
        json_decref(opts);
        return NULL;
    }
    return json_pack("{s:s, s:o, s:o, s:{s:s, s:{s:s, s:o}, s:O}}",
                     "ID", c->id, "CreatedAt", time_json(c->created_ns),
                     "UpdatedAt", time_json(c->updated_ns),
                     "Spec", "Name", c->name, "Driver", "Name", c->driver, "Options", opts,
                     "Labels", c->labels);
}
