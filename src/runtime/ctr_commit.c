/*
 * runtime/ctr_commit.c: commit, a container's changes as a new image
 * (storage/commit.c stores it).
 *
 * The layer is the container's diff as `diff` computes it (ctr_diff:
 * the files every container gets are not in it), written as a tar: an
 * added or changed name as itself (a directory without its entries,
 * which come as their own changes), a deleted one as a ".wh." whiteout.
 * --squash writes the whole root file system as one layer instead. The
 * config is podman's: the image's, then the container's environment,
 * command, entrypoint, working directory, user and labels (and with
 * --include-volumes its volumes' destinations), then --change. With
 * --pause (podman's default) a running container is frozen while its
 * tree is read; the freeze is not a pause of the user's (no event, the
 * state stays running), as podman's internal pause.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "runtime/changes.h"
#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/str.h"

/* Sets "K=V" in env (an array of "K=V"), replacing K's entry if any. */
static int env_set(json_t *env, const char *kv)
{
    size_t klen = strcspn(kv, "="), i;
    json_t *v;

    json_array_foreach(env, i, v) {
        const char *s = json_string_value(v);
        if (s && !strncmp(s, kv, klen) && (s[klen] == '=' || !s[klen]))
            return json_array_set_new(env, i, json_string(kv));
    }
    return json_array_append_new(env, json_string(kv));
}

static int config_env(json_t *cfg, json_t *spec)
{
    json_t *env = json_object_get(cfg, "Env"), *v;
    size_t i;

    if (!json_is_array(env)) {
        if (json_object_set_new(cfg, "Env", json_array()) < 0)
            return -1;
        env = json_object_get(cfg, "Env");
    }
    /* what every container's environment gets, as inspect shows it */
    if (env_set(env, "TERM=xterm") < 0 || env_set(env, "container=podman") < 0)
        return -1;
    json_array_foreach(json_object_get(spec, "env"), i, v)
        if (json_is_string(v) && strchr(json_string_value(v), '=') &&
            env_set(env, json_string_value(v)) < 0)
            return -1;
    return 0;
}

/* Entrypoint and Cmd as the container runs them (create's rules). */
static int config_command(json_t *cfg, json_t *spec)
{
    json_t *ep = json_object_get(spec, "entrypoint"), *cmd = json_object_get(spec, "command");

    if (json_is_array(ep)) {
        bool none = !json_array_size(ep) ||
                    (json_array_size(ep) == 1 && !*json_string_value(json_array_get(ep, 0)));
        /* a given entrypoint drops the image's Cmd (create's rule) */
        (void) json_object_del(cfg, "Entrypoint");
        (void) json_object_del(cfg, "Cmd");
        if (!none && json_object_set(cfg, "Entrypoint", ep) < 0)
            return -1;
    }
    if (json_array_size(cmd) && json_object_set(cfg, "Cmd", cmd) < 0)
        return -1;
    return 0;
}

static int config_volumes(json_t *cfg, json_t *spec)
{
    json_t *m, *vols = json_object_get(cfg, "Volumes");
    size_t i;

    json_array_foreach(json_object_get(spec, "mounts"), i, m) {
        const char *dst = js_str(m, "destination", NULL);
        if (!str_eq(js_str(m, "type", ""), "volume") || !dst)
            continue;
        if (!json_is_object(vols)) {
            if (json_object_set_new(cfg, "Volumes", json_object()) < 0)
                return -1;
            vols = json_object_get(cfg, "Volumes");
        }
        if (json_object_set_new(vols, dst, json_object()) < 0)
            return -1;
    }
    return 0;
}

/* The new image's "config": the image's, the container's, the changes. */
static int commit_config(struct runtime *rt, struct ctr *c, const struct ctr_commit_opts *o,
                         json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL;
    json_t *spec = c->cfg.spec;
    const char *wd = js_str(spec, "workdir", NULL), *user = js_str(spec, "user", NULL);
    struct store *s;

    if (c->cfg.image_id && *c->cfg.image_id) {
        _cleanup_image_ struct store_image *img = NULL;
        _cleanup_json_ json_t *full = NULL;
        if (rt_store(rt, &s, err) < 0 || store_image_lookup(s, c->cfg.image_id, &img, err) < 0 ||
            store_image_config_json(s, img, &full, err) < 0)
            return berr_wrap(err, "image of container %s", c->id);
        cfg = json_deep_copy(json_object_get(full, "config"));
    }
    if (!json_is_object(cfg)) {
        json_decref(cfg);
        cfg = json_object();
    }
    if (!cfg || config_env(cfg, spec) < 0 || config_command(cfg, spec) < 0 ||
        (user && *user && js_set_str(cfg, "User", user) < 0) ||
        js_set_str(cfg, "WorkingDir", wd && *wd ? wd : js_str(cfg, "WorkingDir", "/")[0]
                                                      ? js_str(cfg, "WorkingDir", "/") : "/") < 0 ||
        (o->include_volumes && config_volumes(cfg, spec) < 0))
        return berr_oom(err);
    if (json_object_size(c->cfg.labels)) {
        json_t *l = json_object_get(cfg, "Labels");
        if (!json_is_object(l) ? json_object_set(cfg, "Labels", c->cfg.labels) < 0
                               : json_object_update(l, c->cfg.labels) < 0)
            return berr_oom(err);
    }
    return changes_apply(cfg, o->changes, out, err);
}

/* What storage writes the layer with. */
struct layer_src {
    struct runtime *rt;
    struct ctr *c;
    const struct ctr_commit_opts *o;
};

static int write_changes(struct tar_writer *w, int rootfd, struct ctr_change *v, size_t n,
                         struct berr **err)
{
    for (size_t i = 0; i < n; i++) {
        const char *rel = v[i].path + 1;
        if (v[i].kind != 'D') {
            if (tarw_add_one(w, rootfd, v[i].path, rel, err) < 0)
                return -1;
            continue;
        }
        const char *base = strrchr(v[i].path, '/') + 1;
        _cleanup_free_ char *wh = str_fmt("%.*s.wh.%s", (int) (base - rel), rel, base);
        if (!wh)
            return berr_oom(err);
        if (tarw_add_whiteout(w, wh, err) < 0)
            return -1;
    }
    return 0;
}

/* The storage's view of the root file system (not /proc/PID/root: a
 * running container's mounts, /proc and volumes, are not its files). */
static int write_layer(void *arg, int fd, struct berr **err)
{
    struct layer_src *src = arg;
    struct ctr *c = src->c;
    struct ctr_change *v = NULL;
    _cleanup_free_ char *root = NULL;
    _cleanup_close_ int rfd = -1;
    struct tar_writer *w = NULL;
    struct store *s = NULL;
    bool mounted = false;
    size_t n = 0;
    int r = -1;

    if (!src->o->squash && ctr_diff(src->rt, c, &v, &n, err) < 0)
        return -1;
    if (c->cfg.rootfs) {
        if (!(root = str_dup(c->cfg.rootfs))) {
            berr_oom(err);
            goto out;
        }
    } else if (rt_store(src->rt, &s, err) < 0 || store_ctr_mount(s, c->id, &root, err) < 0) {
        berr_wrap(err, "mounting container %s", c->id);
        goto out;
    } else {
        mounted = true;
    }
    if ((rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        berr_sys(err, "open %s", root);
        goto out;
    }
    if (tarw_open(fd, &w, err) < 0)
        goto out;
    r = src->o->squash ? tarw_add(w, rfd, "", err) : write_changes(w, rfd, v, n, err);
    struct berr *e = NULL;
    if (tarw_close(w, r < 0 ? &e : err) < 0 && r == 0)
        r = -1;
    berr_free(e);
out:
    if (mounted) {
        struct berr *e = NULL;
        if (store_ctr_unmount(s, c->id, false, &e) < 0)
            berr_freep(&e);
    }
    ctr_changes_free(v, n);
    return r;
}

static bool has_layer(const struct store_layer_info *v, size_t n, const char *chain)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].chain, chain))
            return true;
    return false;
}

/* podman's copy from its temporary image into the store, as lines: each
 * layer of the new image (the parent's "skipped: already exists" on a
 * terminal), the config, the manifest. Our layer went straight into the
 * store, so these come once it is there; a failure to read them back
 * only shortens the report. */
static void report_copy(struct store *s, const char *parent, const char *id,
                        const struct progress *p)
{
    _cleanup_image_ struct store_image *img = NULL, *par = NULL;
    _cleanup_free_ struct store_layer_info *v = NULL, *pv = NULL;
    _cleanup_json_ json_t *man = NULL;
    _cleanup_free_ char *cfg = str_fmt("sha256:%s", id);
    size_t n = 0, pn = 0;
    struct berr *e = NULL;

    if (!p || !cfg)
        return;
    if (store_image_lookup(s, id, &img, &e) < 0 || store_image_layers(s, img, &v, &n, &e) < 0 ||
        (parent && *parent && (store_image_lookup(s, parent, &par, &e) < 0 ||
                               store_image_layers(s, par, &pv, &pn, &e) < 0))) {
        log_debug("commit progress: %s", e->msg);
        berr_free(e);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (has_layer(pv, pn, v[i].chain)) {
            progress_emit(p, PROG_SKIPPED, v[i].diff_id, 0, v[i].diff_size);
            continue;
        }
        progress_emit(p, PROG_BLOB, v[i].diff_id, 0, v[i].diff_size);
        progress_emit(p, PROG_BYTES, v[i].diff_id, v[i].diff_size, v[i].diff_size);
        progress_emit(p, PROG_DONE, v[i].diff_id, v[i].diff_size, v[i].diff_size);
    }
    if (store_image_manifest_json(s, img, &man, &e) < 0)
        berr_freep(&e);
    json_int_t size = json_integer_value(json_object_get(json_object_get(man, "config"), "size"));
    progress_emit(p, PROG_CONFIG, cfg, 0, size);
    progress_emit(p, PROG_BYTES, cfg, size, size);
    progress_emit(p, PROG_DONE, cfg, size, size);
    progress_emit(p, PROG_MSG, "Writing manifest to image destination", 0, 0);
    progress_emit(p, PROG_MSG, "Storing signatures", 0, 0);
}

int ctr_commit(struct runtime *rt, struct ctr *c, const struct ctr_commit_opts *o,
               char id[65], struct berr **err)
{
    _cleanup_json_ json_t *config = NULL;
    _cleanup_free_ char *from = NULL;
    struct layer_src src = { rt, c, o };
    struct ctr_rtcall x = { 0 };
    struct store *s;
    bool frozen = false;
    int r;

    if (ctr_state(c) == CS_REMOVING)
        return berr_kind(err, BK_STATE, "container %s is being removed", c->id);
    if (commit_config(rt, c, o, &config, err) < 0 || rt_store(rt, &s, err) < 0)
        return -1;
    if (c->cfg.image_id && *c->cfg.image_id &&
        !(from = str_fmt("FROM %s", ctr_image_name(c))))
        return berr_oom(err);
    if (o->pause && ctr_state(c) == CS_RUNNING) {
        if (ctr_rtcall_get(rt, &c->cfg, &x, err) < 0 || oci_pause(&x.cli, c->id, err) < 0) {
            ctr_rtcall_free(&x);
            return berr_wrap(err, "pausing container %s", c->id);
        }
        frozen = true;
    }
    struct store_commit_opts so = {
        .parent = c->cfg.image_id, .config = config, .author = o->author,
        .comment = o->message, .history_comment = from, .name = o->name,
        .docker = o->docker, .squash = o->squash, .write = write_layer, .arg = &src,
    };
    progress_emit(o->progress, PROG_MSG, "Getting image source signatures", 0, 0);
    r = store_commit(s, &so, id, err);
    if (frozen) {
        struct berr *e = NULL;
        if (oci_resume(&x.cli, c->id, &e) < 0) {
            log_warn("unpausing container %s: %s", c->id, e->msg);
            berr_free(e);
        }
    }
    ctr_rtcall_free(&x);
    if (r < 0)
        return berr_wrap(err, "committing container %s", c->id);
    report_copy(s, c->cfg.image_id, id, o->progress);
    /* podman 4.3.1 writes the container's event only, no image tag */
    ctr_emit(rt, c, "commit");
    return 0;
}
