/*
 * runtime/ctr_mounts.c: a container's mounts at create (resolution) and
 * at init (setup) and when it stops (teardown); runtime/ctr_mounts.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "runtime/ctr_int.h"
#include "runtime/ctr_mounts.h"
#include "runtime/image.h"
#include "runtime/user.h"
#include "runtime/volume.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static bool opt_has(json_t *opts, const char *o)
{
    json_t *v;
    size_t i;

    json_array_foreach(opts, i, v)
        if (str_eq(json_string_value(v), o))
            return true;
    return false;
}

static int push(json_t *arr, const char *s)
{
    return json_array_append_new(arr, json_string(s));
}

/* ---- podman's ProcessOptions ---- */

static const char *const prop_opts[] = { "private", "rprivate", "slave", "rslave", "shared",
                                         "rshared", "unbindable", "runbindable", NULL };

static int dupe(struct berr **err, const char *what)
{
    return berr_plain(err, BK_INVALID, "%s: duplicate mount option passed", what);
}

/* A mount's options completed as podman's ProcessOptions does at create:
 * rw and rprivate unless given; for a bind the noexec/nosuid/nodev its
 * source's file system has (for a volume: nosuid and nodev); for tmpfs
 * nosuid, nodev and tmpcopyup; rbind for binds and volumes. Each class
 * of option at most once. */
static int process_options(json_t *in, bool tmpfs, const char *source, json_t **out,
                           struct berr **err)
{
    _cleanup_json_ json_t *o = json_array();
    bool w = false, prop = false, ex = false, suid = false, dev = false, copyup = false;
    bool bind = false, z = false, u = false, copy = false, size = false, mode = false;
    bool idmap = false, noexec = false, nosuid = true, nodev = true;
    json_t *v;
    size_t i;

    if (!o)
        return berr_oom(err);
    json_array_foreach(in, i, v) {
        const char *s = json_string_value(v);
        if (!s)
            continue;
        if (str_has_prefix(s, "idmap")) {
            if (idmap)
                return dupe(err, "the 'idmap' option can only be set once");
            idmap = true;
        } else if (str_has_prefix(s, "upperdir") || str_has_prefix(s, "workdir") ||
                   str_has_prefix(s, "volume-opt") || !strcmp(s, "O")) {
            /* overlay and driver options: kept for the runtime */
        } else if (!strcmp(s, "copy") || !strcmp(s, "nocopy")) {
            if (copy)
                return dupe(err, "only one of 'nocopy' and 'copy' can be used");
            copy = true;
        } else if (!strcmp(s, "exec") || !strcmp(s, "noexec")) {
            if (ex)
                return dupe(err, "only one of 'noexec' and 'exec' can be used");
            ex = true;
        } else if (!strcmp(s, "suid") || !strcmp(s, "nosuid")) {
            if (suid)
                return dupe(err, "only one of 'nosuid' and 'suid' can be used");
            suid = true;
        } else if (!strcmp(s, "dev") || !strcmp(s, "nodev")) {
            if (dev)
                return dupe(err, "only one of 'nodev' and 'dev' can be used");
            dev = true;
        } else if (!strcmp(s, "rw") || !strcmp(s, "ro")) {
            if (w)
                return dupe(err, "only one of 'rw' and 'ro' can be used");
            w = true;
        } else if (str_one_of(s, prop_opts)) {
            if (prop)
                return dupe(err, "only one root propagation mode can be used");
            prop = true;
        } else if (tmpfs && (str_has_prefix(s, "size=") || str_has_prefix(s, "mode="))) {
            bool *seen = s[0] == 's' ? &size : &mode;
            if (*seen)
                return dupe(err, s[0] == 's' ? "only one tmpfs size can be specified"
                                             : "only one tmpfs mode can be specified");
            *seen = true;
        } else if (tmpfs && (!strcmp(s, "tmpcopyup") || !strcmp(s, "notmpcopyup"))) {
            if (copyup)
                return dupe(err, "the 'tmpcopyup' or 'notmpcopyup' option can only be set once");
            copyup = true;
        } else if (!tmpfs && (!strcmp(s, "bind") || !strcmp(s, "rbind"))) {
            if (bind)
                return dupe(err, "only one of 'rbind' and 'bind' can be used");
            bind = true;
        } else if (!tmpfs && (!strcmp(s, "z") || !strcmp(s, "Z"))) {
            if (z)
                return dupe(err, "only one of 'z' and 'Z' can be used");
            z = true;
        } else if (!strcmp(s, "U")) {
            if (u)
                return dupe(err, "the 'U' option can only be set once");
            u = true;
        } else if (!strcmp(s, "consistency")) {
            continue;
        } else if (tmpfs && strchr(s, '=')) {
            /* uid=, gid=, nr_inodes=... of --tmpfs: the kernel's to judge */
        } else if (tmpfs && (!strcmp(s, "sync") || !strcmp(s, "async") || strstr(s, "atime") ||
                             !strcmp(s, "dirsync") || !strcmp(s, "mand") || !strcmp(s, "nomand"))) {
        } else {
            return berr_plain(err, BK_INVALID, "unknown mount option \"%s\": invalid mount option", s);
        }
        if (push(o, s) < 0)
            return berr_oom(err);
    }
    if (source && *source) {
        struct statvfs sv;
        if (statvfs(source, &sv) < 0)
            return berr_sys(err, "statfs %s", source);
        noexec = sv.f_flag & ST_NOEXEC;
        nosuid = sv.f_flag & ST_NOSUID;
        nodev = sv.f_flag & ST_NODEV;
    }
    if ((!w && push(o, "rw") < 0) || (!prop && push(o, "rprivate") < 0) ||
        (!ex && noexec && push(o, "noexec") < 0) || (!suid && nosuid && push(o, "nosuid") < 0) ||
        (!dev && nodev && push(o, "nodev") < 0) ||
        (tmpfs && !copyup && push(o, "tmpcopyup") < 0) || (!tmpfs && !bind && push(o, "rbind") < 0))
        return berr_oom(err);
    *out = STEAL_PTR(o);
    return 0;
}

/* ---- create: what the mounts are ---- */

/* dest -> mount, the later replacing the earlier */
static int put_at(json_t *map, json_t *m, struct berr **err)
{
    _cleanup_free_ char *d = fs_clean(js_str(m, "destination", ""));

    if (!d)
        return berr_oom(err);
    if (js_set_str(m, "destination", d) < 0 || json_object_set(map, d, m) < 0)
        return berr_oom(err);
    return 0;
}

/* The image's VOLUMEs: new anonymous volumes, tmpfs, or nothing. */
static int image_volumes(const struct ctr_mounts_in *in, json_t *map, struct berr **err)
{
    const char *mode = in->image_volume && *in->image_volume ? in->image_volume : "bind";

    if (str_eq(mode, "ignore"))
        return 0;
    for (size_t i = 0; in->image_volumes && in->image_volumes[i]; i++) {
        bool tmpfs = str_eq(mode, "tmpfs");
        _cleanup_json_ json_t *m = json_pack("{s:s, s:s, s:[ssss]}", "type", tmpfs ? "tmpfs" : "volume",
                                             "destination", in->image_volumes[i], "options",
                                             "rprivate", "rw", "nodev", "exec");
        if (!m || (tmpfs && js_set_str(m, "source", "tmpfs") < 0))
            return berr_oom(err);
        log_debug("Adding %s image volume at \"%s\"", tmpfs ? "tmpfs" : "anonymous",
                  in->image_volumes[i]);
        if (put_at(map, m, err) < 0)
            return -1;
    }
    return 0;
}

/* --volumes-from CTR[:opts]: the other container's binds and volumes,
 * with opts (z dropped: no labels here) instead of theirs when given. */
static int volumes_from(struct runtime *rt, const char *spec, json_t *map, struct berr **err)
{
    const char *colon = strchr(spec, ':');
    _cleanup_free_ char *ref = str_ndup(spec, colon ? (size_t) (colon - spec) : strlen(spec));
    _cleanup_strv_ strv opts = colon ? strv_split(colon + 1, ",") : NULL;
    const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;
    char id[STATE_ID_LEN + 1];
    struct ctr_config cfg;
    json_t *m;
    size_t i;

    if (!ref || (colon && !opts))
        return berr_oom(err);
    if (state_lookup(rt->st, OBJ_CONTAINER, ref, ns, id, err) < 0 ||
        ctr_read(rt, id, &cfg, NULL, err) < 0)
        return berr_wrap(err, "looking up container \"%s\" for volumes-from", ref);
    log_debug("Adding volumes from container %s", id);
    json_array_foreach(json_object_get(cfg.spec, "mounts"), i, m) {
        const char *t = js_str(m, "type", "");
        _cleanup_json_ json_t *c = NULL;
        if (!str_eq(t, "bind") && !str_eq(t, "volume"))
            continue;
        if (!(c = json_deep_copy(m)))
            goto oom;
        if (opts) {
            json_t *o = json_array();
            for (size_t k = 0; opts[k]; k++) {
                if (str_eq(opts[k], "z"))
                    log_debug("SELinux relabeling (z) of the volumes from %s: this host applies "
                              "no SELinux labels, nothing to do", ref);
                else if (push(o, opts[k]) < 0)
                    goto oom;
            }
            if (json_object_set_new(c, "options", o) < 0)
                goto oom;
        }
        if (put_at(map, c, err) < 0) {
            ctr_config_free(&cfg);
            return -1;
        }
    }
    ctr_config_free(&cfg);
    return 0;
oom:
    ctr_config_free(&cfg);
    return berr_oom(err);
}

/* Options completed, volumes named: the mount as the config keeps it. */
static int settle(json_t *m, json_t *anon, struct berr **err)
{
    const char *t = js_str(m, "type", "");
    json_t *opts = json_object_get(m, "options"), *v;
    _cleanup_json_ json_t *done = NULL;
    size_t i;

    if (str_eq(t, "volume") && !js_str(m, "name", NULL)) {
        char name[STATE_ID_LEN + 1];
        if (state_new_id(name, err) < 0 || js_set_str(m, "name", name) < 0 ||
            json_object_set_new(anon, name, json_true()) < 0)
            return *err ? -1 : berr_oom(err);
    }
    json_array_foreach(opts, i, v)
        if (str_eq(json_string_value(v), "z") || str_eq(json_string_value(v), "Z"))
            log_debug("SELinux relabeling (%s) of %s: this host applies no SELinux labels, "
                      "nothing to do", json_string_value(v),
                      js_str(m, str_eq(t, "volume") ? "name" : "source", ""));
    if (str_eq(t, "devpts") || str_eq(t, "image") || opt_has(opts, "O"))
        return 0;       /* theirs as given (podman processes neither) */
    if (process_options(opts, str_eq(t, "tmpfs"), str_eq(t, "bind") ? js_str(m, "source", "") : NULL,
                        &done, err) < 0)
        return berr_wrap(err, "%s mount at \"%s\"", t, js_str(m, "destination", ""));
    return json_object_set_new(m, "options", STEAL_PTR(done)) < 0 ? berr_oom(err) : 0;
}

/* volume-opt=K=V of a mount: the driver options of a volume it makes */
static json_t *driver_opts(json_t *m)
{
    json_t *out = json_object(), *v;
    size_t i;

    json_array_foreach(json_object_get(m, "options"), i, v) {
        const char *s = json_string_value(v), *eq;
        if (!out || !s || !str_has_prefix(s, "volume-opt=") || !(eq = strchr(s + 11, '=')))
            continue;
        _cleanup_free_ char *k = str_ndup(s + 11, (size_t) (eq - s - 11));
        if (!k || json_object_set_new(out, k, json_string(eq + 1)) < 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* Locks every volume the mounts name, in name order (two creates never
 * wait on each other crosswise), and makes those that do not exist. */
static int lock_volumes(struct runtime *rt, const struct ctr_mounts_in *in, json_t *mounts,
                        json_t *anon, struct ctr_mounts_held *h, struct berr **err)
{
    _cleanup_strv_ strv names = NULL;
    json_t *m;
    size_t i, n;

    json_array_foreach(mounts, i, m)
        if (str_eq(js_str(m, "type", ""), "volume") && !strv_contains(names, js_str(m, "name", "")) &&
            strv_push(&names, js_str(m, "name", "")) < 0)
            return berr_oom(err);
    n = strv_len(names);
    if (!n)
        return 0;
    strv_sort_n(names, n);
    if (!(h->locks = calloc(n, sizeof(*h->locks))))
        return berr_oom(err);
    for (i = 0; i < n; i++) {
        h->locks[i].fd = -1;
        if (vol_lock_name(rt, names[i], &h->locks[i], err) < 0)
            return -1;
        h->n = i + 1;
        if (vol_exists(rt, names[i]))
            continue;
        /* made on first use, as podman makes it: owned by the container's
         * root, with the driver options of the first mount naming it */
        json_t *first = NULL;
        size_t k;
        json_array_foreach(mounts, k, m)
            if (str_eq(js_str(m, "name", NULL), names[i])) {
                first = m;
                break;
            }
        _cleanup_json_ json_t *dopts = driver_opts(first);
        struct vol_create_opts vo = { .name = names[i], .options = dopts,
                                      .anonymous = json_object_get(anon, names[i]) != NULL,
                                      .uid = in->uid, .gid = in->gid };
        if (!dopts)
            return berr_oom(err);
        log_debug("Creating new volume %s for container", names[i]);
        if (vol_create_held(rt, &vo, err) < 0)
            return berr_wrap(err, "creating named volume \"%s\"", names[i]);
        if (strv_push(&h->created, names[i]) < 0)
            return berr_oom(err);
    }
    return 0;
}

int ctr_mounts_resolve(struct runtime *rt, const struct ctr_mounts_in *in, json_t **out,
                       struct ctr_mounts_held *held, struct berr **err)
{
    _cleanup_json_ json_t *map = json_object(), *list = json_array(), *anon = json_object();
    const char *dest;
    json_t *m, *v;
    size_t i;

    memset(held, 0, sizeof(*held));
    if (!map || !list || !anon)
        return berr_oom(err);
    /* lowest first: the image's, then --volumes-from, then the user's */
    if (image_volumes(in, map, err) < 0)
        return -1;
    json_array_foreach(in->volumes_from, i, v)
        if (volumes_from(rt, json_string_value(v), map, err) < 0)
            return -1;
    json_array_foreach(in->mounts, i, m) {
        _cleanup_json_ json_t *c = json_deep_copy(m);
        if (!c)
            return berr_oom(err);
        if (put_at(map, c, err) < 0)
            return -1;
    }
    json_object_foreach(map, dest, m) {
        if (settle(m, anon, err) < 0)
            return -1;
        if (json_array_append(list, m) < 0)
            return berr_oom(err);
    }
    if (lock_volumes(rt, in, list, anon, held, err) < 0) {
        ctr_mounts_release(rt, held, true);
        return -1;
    }
    *out = STEAL_PTR(list);
    return 0;
}

void ctr_mounts_release(struct runtime *rt, struct ctr_mounts_held *h, bool failed)
{
    for (size_t i = 0; i < h->n; i++)
        lock_release(&h->locks[i]);
    free(h->locks);
    h->locks = NULL;
    h->n = 0;
    /* a failed create takes back the volumes it made (nobody else can
     * have started to use them: they were locked until now, and a user
     * that came since keeps them) */
    for (size_t i = 0; failed && h->created && h->created[i]; i++) {
        struct vol *v = NULL;
        struct berr *e = NULL;
        if (vol_get_exact(rt, h->created[i], &v, &e) < 0 ||
            vol_remove(rt, v, false, -1, "remove", &e) < 0)
            log_debug("cleaning up volume %s: %s", h->created[i], e->msg);
        berr_free(e);
        vol_put(v);
    }
    strv_free(h->created);
    h->created = NULL;
}

/* ---- names ---- */

/* The names of the volumes in a container config's mounts (NULL-terminated,
 * no duplicates); anonymous_only: only those made for this container. */
static char **volume_names(struct runtime *rt, const struct ctr_config *cfg, bool anonymous_only)
{
    strv out = calloc(1, sizeof(char *));
    json_t *m;
    size_t i;

    json_array_foreach(json_object_get(cfg->spec, "mounts"), i, m) {
        const char *name = js_str(m, "name", NULL);
        if (!out || !str_eq(js_str(m, "type", ""), "volume") || !name || strv_contains(out, name))
            continue;
        if (anonymous_only) {
            struct vol_config vc;
            struct berr *e = NULL;
            bool anon = false;
            if (vol_read(rt, name, &vc, NULL, &e) == 0) {
                anon = vc.anonymous;
                vol_config_free(&vc);
            }
            berr_free(e);
            if (!anon)
                continue;
        }
        if (strv_push(&out, name) < 0) {
            strv_free(out);
            return NULL;
        }
    }
    return out;
}

int ctr_remove_flags(struct runtime *rt, struct ctr *c, bool force, long long timeout,
                     unsigned flags, struct berr **err)
{
    _cleanup_strv_ char **anon = NULL;

    if (!(flags & CTR_RM_POD) && js_bool(c->cfg.rec, "isInfra", false) &&
        js_str(c->cfg.rec, "pod", NULL) && state_exists(rt->st, OBJ_POD, js_str(c->cfg.rec, "pod", "")))
        return berr_msg(err, "container %s is the infra container of pod %s and cannot "
                         "be removed without removing the pod", c->id, js_str(c->cfg.rec, "pod", ""));
    if ((flags & CTR_RM_VOLUMES) && !(anon = volume_names(rt, &c->cfg, true)))
        return berr_oom(err);
    if (ctr_remove(rt, c, force, timeout, err) < 0) {
        /* refused before its first write: the exit its getter found
         * (rt->removal_next) is written now */
        struct berr *e = NULL;
        if (c->exit_unsaved && ctr_save(rt, c, &e) < 0) {
            log_warn("container %s: %s", c->id, e->msg);
            berr_free(e);
        }
        return -1;
    }
    vol_remove_anonymous(rt, anon);
    return 0;
}

/* ---- init: making them real ---- */

/* podman's DangerousHostPath: trees U never chowns. */
static bool dangerous(const char *path)
{
    static const char *const no[] = { "/", "/bin", "/boot", "/dev", "/etc", "/etc/passwd",
                                      "/etc/pki", "/etc/shadow", "/home", "/lib", "/lib64",
                                      "/media", "/opt", "/proc", "/root", "/run", "/sbin",
                                      "/srv", "/sys", "/tmp", "/usr", "/var", "/var/lib",
                                      "/var/log", NULL };
    _cleanup_free_ char *real = realpath(path, NULL);
    const char *home = getenv("HOME");

    if (!real)
        return true;
    return str_one_of(real, no) || (home && *home && str_eq(real, home));
}

static int chown_at(int dfd, uid_t uid, gid_t gid)
{
    DIR *d = fs_opendir_fd(dfd);
    struct dirent *de;
    int rc = 0;

    if (!d)
        return -1;
    while (rc == 0 && (de = readdir(d))) {
        struct stat st;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if ((st.st_uid != uid || st.st_gid != gid) &&
            fchownat(dfd, de->d_name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
            rc = -1;
        if (rc == 0 && S_ISDIR(st.st_mode)) {
            int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            rc = sub < 0 ? -1 : chown_at(sub, uid, gid);
            if (sub >= 0)
                close(sub);
        }
    }
    closedir(d);
    return rc;
}

/* The U option: the tree at path becomes uid:gid. After the first init
 * a tree whose top already is uid:gid is left alone (podman's rule). */
static int chown_tree(const char *path, uid_t uid, gid_t gid, bool first, struct berr **err)
{
    _cleanup_close_ int fd = -1;
    struct stat st;

    if (dangerous(path))
        return berr_msg(err, "chowning host path \"%s\" is not allowed. You can manually `chown -R %u:%u %s`",
                        path, uid, gid, path);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0)
        return berr_sys(err, "failed to get host path information: %s", path);
    if (!first && st.st_uid == uid && st.st_gid == gid)
        return 0;
    if ((st.st_uid != uid || st.st_gid != gid) && fchown(fd, uid, gid) < 0)
        return berr_sys(err, "failed to chown host path %s", path);
    if (S_ISDIR(st.st_mode) && chown_at(fd, uid, gid) < 0)
        return berr_sys(err, "failed to chown recursively host path %s", path);
    return 0;
}

/* An overlay of lower at the mount's destination: the OCI runtime mounts
 * it inside the container. Its upper and work dirs: the mount's
 * upperdir=/workdir= (kept), else fresh ones under the bundle (gone when
 * the container stops, as podman's). */
static int overlay_mount(struct runtime *rt, struct ctr *c, size_t idx, const char *lower,
                         json_t *m, json_t **out, struct berr **err)
{
    json_t *opts = json_object_get(m, "options"), *v;
    const char *upper = NULL, *work = NULL;
    _cleanup_free_ char *base = NULL, *up = NULL, *wk = NULL, *lo = NULL, *u2 = NULL, *w2 = NULL;
    size_t i;

    json_array_foreach(opts, i, v) {
        const char *s = json_string_value(v);
        if (s && str_has_prefix(s, "upperdir="))
            upper = s + 9;
        else if (s && str_has_prefix(s, "workdir="))
            work = s + 8;
    }
    if (!upper) {
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id);
        base = bundle ? str_fmt("%s/overlay/%zu", bundle, idx) : NULL;
        up = base ? str_fmt("%s/upper", base) : NULL;
        wk = base ? str_fmt("%s/work", base) : NULL;
        if (!up || !wk)
            return berr_oom(err);
        if ((fs_exists(base) && fs_rm_rf(base, err) < 0) || fs_mkdir_p(up, 0755, err) < 0 ||
            fs_mkdir_p(wk, 0755, err) < 0)
            return -1;
        upper = up;
        work = wk;
    }
    lo = str_fmt("lowerdir=%s", lower);
    u2 = str_fmt("upperdir=%s", upper);
    w2 = str_fmt("workdir=%s", work);
    if (!lo || !u2 || !w2)
        return berr_oom(err);
    *out = json_pack("{s:s, s:s, s:s, s:[ssss]}", "type", "overlay", "source", "overlay",
                     "destination", js_str(m, "destination", ""), "options", lo, u2, w2, "private");
    return *out ? 0 : berr_oom(err);
}

/* The options that reach the OCI runtime: ours (U, copy, volume-opt=,
 * z/Z, O and its dirs) taken out. */
static json_t *runtime_options(json_t *opts)
{
    json_t *out = json_array(), *v;
    size_t i;

    json_array_foreach(opts, i, v) {
        const char *s = json_string_value(v);
        if (!out || !s || !strcmp(s, "U") || !strcmp(s, "copy") || !strcmp(s, "nocopy") ||
            !strcmp(s, "z") || !strcmp(s, "Z") || !strcmp(s, "O") ||
            str_has_prefix(s, "volume-opt") || str_has_prefix(s, "upperdir") ||
            str_has_prefix(s, "workdir"))
            continue;
        if (push(out, s) < 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

struct setup {
    struct runtime *rt;
    struct ctr *c;
    const char *rootfs;
    struct ctr_user user;
    bool have_user, first;
};

static int need_user(struct setup *s, struct berr **err)
{
    if (s->have_user)
        return 0;
    if (user_resolve(s->rootfs, js_str(s->c->cfg.spec, "user", ""), NULL, &s->user, err) < 0)
        return -1;
    s->have_user = true;
    return 0;
}

static int note(struct runtime *rt, struct ctr *c, json_t **arr, const char *what,
                struct berr **err)
{
    if (!*arr && !(*arr = json_array()))
        return berr_oom(err);
    if (push(*arr, what) < 0)
        return berr_oom(err);
    return ctr_save(rt, c, err);
}

/* A volume: mounted (counted), its first container's copy-up and owner,
 * U, then a bind (or an overlay with O) of its data. */
static int setup_volume(struct setup *s, size_t idx, json_t *m, json_t **out, struct berr **err)
{
    const char *name = js_str(m, "name", ""), *dst = js_str(m, "destination", "");
    json_t *opts = json_object_get(m, "options");
    _cleanup_vol_ struct vol *v = NULL;
    _cleanup_free_ char *path = NULL;

    if (vol_get_exact(s->rt, name, &v, err) < 0)
        return berr_wrap(err, "retrieving named volume %s for container %s", name, s->c->id);
    if (need_user(s, err) < 0 || vol_mount(s->rt, v, &path, err) < 0)
        return berr_wrap(err, "mounting volume %s for container %s", name, s->c->id);
    if (note(s->rt, s->c, &s->c->st.volumes_mounted, name, err) < 0)
        return -1;
    if (!opt_has(opts, "nocopy")) {
        log_debug("Copying up contents from container %s to volume %s", s->c->id, name);
        if (vol_copy_up(s->rt, v, s->rootfs, dst, err) < 0)
            return -1;
    }
    if (vol_fix_owner(s->rt, v, (int) s->user.uid, (int) s->user.gid, s->rootfs, dst, err) < 0)
        return -1;
    if (opt_has(opts, "U") && chown_tree(path, s->user.uid, s->user.gid, s->first, err) < 0)
        return -1;
    if (opt_has(opts, "O"))
        return overlay_mount(s->rt, s->c, idx, path, m, out, err);
    *out = json_pack("{s:s, s:s, s:s, s:o}", "type", "bind", "source", path, "destination", dst,
                     "options", runtime_options(opts));
    return *out ? 0 : berr_oom(err);
}

/* --mount type=image: the image mounted read-only; rw=true puts an
 * overlay on it, changes gone when the container stops. */
static int setup_image(struct setup *s, size_t idx, json_t *m, json_t **out, struct berr **err)
{
    char id[65];
    _cleanup_free_ char *mp = NULL;

    if (img_mount(s->rt, js_str(m, "source", ""), id, &mp, err) < 0)
        return berr_wrap(err, "mounting image volume %s:%s", js_str(m, "source", ""),
                         js_str(m, "destination", ""));
    if (note(s->rt, s->c, &s->c->st.images_mounted, id, err) < 0)
        return -1;
    if (opt_has(json_object_get(m, "options"), "rw"))
        return overlay_mount(s->rt, s->c, idx, mp, m, out, err);
    *out = json_pack("{s:s, s:s, s:s, s:[sss]}", "type", "bind", "source", mp, "destination",
                     js_str(m, "destination", ""), "options", "ro", "rbind", "rprivate");
    return *out ? 0 : berr_oom(err);
}

static int setup_one(struct setup *s, size_t idx, json_t *m, json_t **out, struct berr **err)
{
    const char *t = js_str(m, "type", "");
    json_t *opts = json_object_get(m, "options");

    if (str_eq(t, "volume"))
        return setup_volume(s, idx, m, out, err);
    if (str_eq(t, "image"))
        return setup_image(s, idx, m, out, err);
    if (str_eq(t, "bind") && opt_has(opts, "U")) {
        if (need_user(s, err) < 0 ||
            chown_tree(js_str(m, "source", ""), s->user.uid, s->user.gid, s->first, err) < 0)
            return -1;
    }
    if (str_eq(t, "bind") && opt_has(opts, "O"))
        return overlay_mount(s->rt, s->c, idx, js_str(m, "source", ""), m, out, err);
    if (!(*out = json_deep_copy(m)))
        return berr_oom(err);
    if (str_eq(t, "tmpfs") && opt_has(opts, "U")) {
        /* a tmpfs made for the container's user */
        char ids[2][32];
        if (need_user(s, err) < 0)
            return -1;
        snprintf(ids[0], sizeof(ids[0]), "uid=%u", (unsigned) s->user.uid);
        snprintf(ids[1], sizeof(ids[1]), "gid=%u", (unsigned) s->user.gid);
        json_t *o = runtime_options(opts);
        if (!o || push(o, ids[0]) < 0 || push(o, ids[1]) < 0 ||
            json_object_set_new(*out, "options", o) < 0)
            return berr_oom(err);
        return 0;
    }
    if (opt_has(opts, "U") || opt_has(opts, "z") || opt_has(opts, "Z"))
        return json_object_set_new(*out, "options", runtime_options(opts)) < 0 ? berr_oom(err) : 0;
    return 0;
}

int ctr_mounts_setup(struct runtime *rt, struct ctr *c, const char *rootfs,
                     json_t **spec_mounts, struct berr **err)
{
    struct setup s = { .rt = rt, .c = c, .rootfs = rootfs, .first = ctr_state(c) == CS_CONFIGURED };
    _cleanup_json_ json_t *out = json_array();
    json_t *m;
    size_t i;
    int r = 0;

    if (!out)
        return berr_oom(err);
    json_array_foreach(json_object_get(c->cfg.spec, "mounts"), i, m) {
        json_t *sm = NULL;
        if ((r = setup_one(&s, i, m, &sm, err)) < 0)
            break;
        if (json_array_append_new(out, sm) < 0) {
            r = berr_oom(err);
            break;
        }
    }
    if (s.have_user)
        user_free(&s.user);
    if (r < 0)
        return -1;
    *spec_mounts = STEAL_PTR(out);
    return 0;
}

void ctr_mounts_teardown(struct runtime *rt, struct ctr *c)
{
    _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id);
    _cleanup_free_ char *ov = bundle ? str_fmt("%s/overlay", bundle) : NULL;
    json_t *v;
    size_t i;

    json_array_foreach(c->st.volumes_mounted, i, v) {
        struct vol *vol = NULL;
        struct berr *e = NULL;
        if (vol_get_exact(rt, json_string_value(v), &vol, &e) == 0)
            vol_unmount(rt, vol, false, &e);
        if (e && e->kind != BK_NO_SUCH)
            log_warn("container %s: unmounting volume %s: %s", c->id, json_string_value(v), e->msg);
        berr_free(e);
        vol_put(vol);
    }
    json_decref(c->st.volumes_mounted);
    c->st.volumes_mounted = NULL;
    json_array_foreach(c->st.images_mounted, i, v) {
        char id[65];
        bool gone;
        struct berr *e = NULL;
        if (img_unmount(rt, json_string_value(v), false, id, &gone, &e) < 0) {
            log_warn("container %s: unmounting image %s: %s", c->id, json_string_value(v), e->msg);
            berr_free(e);
        }
    }
    json_decref(c->st.images_mounted);
    c->st.images_mounted = NULL;
    if (ov && fs_exists(ov)) {
        struct berr *e = NULL;
        if (fs_rm_rf(ov, &e) < 0) {
            log_warn("container %s: %s", c->id, e->msg);
            berr_free(e);
        }
    }
}
