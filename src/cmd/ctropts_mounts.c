/*
 * cmd/ctropts_mounts.c: -v/--volume, --mount, --tmpfs, --volumes-from and
 * --image-volume into spec.h mount objects {type, source, destination,
 * options} (runtime/spec.h lists the types).
 *
 * Options keep the user's order; what podman adds while parsing is added
 * here ("rw" for binds unless ro/rw was given); the runtime completes them
 * at create as podman's ProcessOptions does (runtime/ctr_mounts.c: rw,
 * rprivate, nosuid, nodev, tmpcopyup for tmpfs). SELinux relabeling (z,
 * Z, relabel=) has nothing to do on a host without SELinux labels: it is
 * accepted where podman accepts it and kept as z/Z (inspect shows it as
 * Mode); the runtime says in debug output that it does nothing. The volume-only
 * copy/nocopy mean nothing for a bind and are dropped there. O (overlay),
 * U (chown to the container's user) and idmap are kept for the runtime.
 * -v NAME:/dst (a name, not a path) is a named volume, -v /dst an
 * anonymous one: {type: "volume", name (absent: anonymous), destination,
 * options}.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/ctropts_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"

/* Splits on sep keeping empty fields ("a::b" -> "a", "", "b"). */
static strv split_keep(const char *s, char sep)
{
    strv v = NULL;

    for (;;) {
        const char *e = strchr(s, sep);
        size_t n = e ? (size_t) (e - s) : strlen(s);
        char *f = str_ndup(s, n);
        if (!f || strv_push_take(&v, f) < 0) {
            strv_free(v);
            return NULL;
        }
        if (!e)
            return v;
        s = e + 1;
    }
}

static const char *const prop_opts[] = { "shared", "rshared", "slave", "rslave", "private",
                                         "rprivate", "unbindable", "runbindable", NULL };

/* Option groups of which at most one member may be given (podman's words). */
static const struct {
    const char *const set[9];
    const char *what;
} groups[] = {
    { { "rw", "ro" }, "1 'rw' or 'ro' option" },
    { { "z", "Z", "O" }, "1 'z', 'Z', or 'O' option" },
    { { "shared", "rshared", "slave", "rslave", "private", "rprivate", "unbindable",
        "runbindable" },
      "1 '[r]shared', '[r]private', '[r]slave' or '[r]unbindable' option" },
    { { "exec", "noexec" }, "1 'noexec' or 'exec' option" },
    { { "suid", "nosuid" }, "1 'nosuid' or 'suid' option" },
    { { "dev", "nodev" }, "1 'nodev' or 'dev' option" },
    { { "copy", "nocopy" }, "1 'copy' or 'nocopy' option" },
    { { "bind", "rbind" }, "1 '[r]bind' option" },
    { { "U" }, "1 'U' option" },
};

static bool has_any(json_t *opts, const char *a, const char *b)
{
    json_t *v;
    size_t i;

    json_array_foreach(opts, i, v) {
        const char *s = json_string_value(v);
        if (str_eq(s, a) || str_eq(s, b))
            return true;
    }
    return false;
}

static int add_opt(json_t *opts, const char *o, struct berr **err)
{
    return json_array_append_new(opts, json_string(o)) < 0 ? berr_oom(err) : 0;
}

/* The options of -v, checked as podman's ValidateVolumeOpts; the kept
 * ones go to out. named: a volume (copy/nocopy kept), else a bind. */
static int volume_opts(const char *list, bool named, json_t *out,
                       struct berr **err)
{
    static const char *const known[] = { "rw", "ro", "z", "Z", "O", "U", "shared", "rshared",
                                         "slave", "rslave", "private", "rprivate",
                                         "unbindable", "runbindable", "exec", "noexec", "suid",
                                         "nosuid", "dev", "nodev", "copy", "nocopy", "bind",
                                         "rbind", "cached", "delegated", NULL };
    _cleanup_strv_ strv o = split_keep(list, ',');
    bool overlay = false, chown = false;
    int upper = 0, work = 0;

    if (!o)
        return berr_oom(err);
    for (size_t i = 0; o[i]; i++) {
        if (strstr(o[i], "upperdir") || strstr(o[i], "workdir")) {
            int *n = strstr(o[i], "upperdir") ? &upper : &work;
            if (++*n > 1) {
                _cleanup_free_ char *all = strv_join(o, ", ");
                return cp_inval(err, "invalid options \"%s\", can only specify 1 %s per overlay",
                                all ? all : list, n == &upper ? "upperdir" : "workdir");
            }
            continue;
        }
        if (!str_one_of(o[i], known) && !str_has_prefix(o[i], "idmap"))
            return cp_inval(err, "invalid option type \"%s\"", o[i]);
        overlay |= strcmp(o[i], "O") == 0;
        chown |= strcmp(o[i], "U") == 0;
    }
    for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
        int n = 0;
        for (size_t i = 0; o[i]; i++)
            for (size_t k = 0; k < ARRAY_SIZE(groups[g].set) && groups[g].set[k]; k++)
                n += strcmp(o[i], groups[g].set[k]) == 0;
        if (n > 1) {
            _cleanup_free_ char *all = strv_join(o, ", ");
            return cp_inval(err, "invalid options \"%s\", can only specify %s", all ? all : list,
                            groups[g].what);
        }
    }
    /* podman: an overlay takes only U and a pair upperdir=/workdir= */
    if (overlay && !named) {
        size_t n = strv_len(o);
        if ((upper > 0) != (work > 0))
            return cp_inval(err, "must set both `upperdir` and `workdir`");
        if ((n > 2 && !(n == 3 && upper && work)) || (n == 2 && !chown))
            return cp_inval(err, "can't use 'O' with other options");
    }
    for (size_t i = 0; o[i]; i++) {
        if (!strcmp(o[i], "cached") || !strcmp(o[i], "delegated"))
            continue;       /* docker's macOS options, dropped as podman drops them */
        if (!named && (!strcmp(o[i], "copy") || !strcmp(o[i], "nocopy")))
            continue;
        if (add_opt(out, o[i], err) < 0)
            return -1;
    }
    return 0;
}

static int check_dest(const char *dst, char **clean, struct berr **err)
{
    if (dst[0] != '/')
        return cp_inval(err, "invalid container path \"%s\", must be an absolute path", dst);
    *clean = fs_clean(dst);
    return *clean ? 0 : berr_oom(err);
}

/* A bind source: absolute after resolving against the cwd, and existing. */
static int bind_source(const char *src, char **abs, struct berr **err)
{
    struct stat st;

    *abs = cp_abs_path(src);
    if (!*abs)
        return berr_oom(err);
    if (stat(*abs, &st) < 0)
        return berr_sys(err, "statfs %s", *abs);
    return 0;
}

static int append_mount(json_t *mounts, const char *type, const char *src, const char *dst,
                        json_t *opts, struct berr **err)
{
    json_t *m = json_pack("{s:s, s:s, s:s, s:O}", "type", type, "source", src, "destination",
                          dst, "options", opts);
    if (!m || json_array_append_new(mounts, m) < 0)
        return berr_oom(err);
    return 0;
}

/* {type: "volume", name (NULL: anonymous), destination, options} */
static int append_volume(json_t *mounts, const char *name, const char *dst, json_t *opts,
                         struct berr **err)
{
    json_t *m = json_pack("{s:s, s:s, s:O}", "type", "volume", "destination", dst, "options", opts);

    if (!m || (name && json_object_set_new(m, "name", json_string(name)) < 0) ||
        json_array_append_new(mounts, m) < 0) {
        json_decref(m);
        return berr_oom(err);
    }
    return 0;
}

int cp_volume(json_t *mounts, const char *spec, struct berr **err)
{
    _cleanup_strv_ strv p = split_keep(spec, ':');
    _cleanup_free_ char *dst = NULL, *src = NULL;
    _cleanup_json_ json_t *opts = json_array();
    bool named;
    size_t n;

    if (!p || !opts)
        return berr_oom(err);
    n = strv_len(p);
    if (n > 3 || !*spec)
        return cp_inval(err, "%s: incorrect volume format, should be [host-dir:]ctr-dir[:option]", spec);
    if (n == 1) {
        /* only a destination: a new anonymous volume */
        if (check_dest(p[0], &dst, err) < 0)
            return -1;
        return append_volume(mounts, NULL, dst, opts, err);
    }
    if (!*p[0])
        return cp_inval(err, "host directory cannot be empty");
    if (check_dest(p[1], &dst, err) < 0)
        return -1;
    named = p[0][0] != '/' && p[0][0] != '.';
    if (n == 3 && volume_opts(p[2], named, opts, err) < 0)
        return -1;
    if (named)
        return append_volume(mounts, p[0], dst, opts, err);
    if (bind_source(p[0], &src, err) < 0)
        return -1;
    if (!has_any(opts, "ro", "rw") && !has_any(opts, "O", "O") && add_opt(opts, "rw", err) < 0)
        return -1;
    return append_mount(mounts, "bind", src, dst, opts, err);
}

/* ---- --mount type=...,k=v,... (podman's specgenutil/volumes.go) ---- */

struct mnt {
    const char *type, *src, *dst;
    bool src_set;
    int ro;                     /* -1 not given, 0 rw, 1 ro */
    int copyup;                 /* -1, 0 notmpcopyup, 1 tmpcopyup */
    bool suid, dev, exec, chown, relabel;   /* given once already */
    json_t *opts;               /* in order */
};

#define ERR_OPTION_ARG "must provide an argument for option"

static int mount_ro(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    int b = v ? str_to_bool(v) : 1;

    if (b < 0)
        return cp_inval(err, "'readonly', 'ro', or 'rw' must be set to true or false, instead received \"%s\": " ERR_OPTION_ARG,
                        v);
    if (m->ro != -1)
        return cp_inval(err, "cannot pass 'readonly', 'ro', or 'rw' options more than once: " ERR_OPTION_ARG);
    m->ro = strcmp(k, "rw") == 0 ? !b : b;
    return add_opt(m->opts, m->ro ? "ro" : "rw", err);
}

/* nosuid/suid, nodev/dev, noexec/exec: one of each pair */
static int mount_flag(struct mnt *m, const char *k, struct berr **err)
{
    const char *base = str_has_prefix(k, "no") ? k + 2 : k;
    bool *seen = !strcmp(base, "suid") ? &m->suid : !strcmp(base, "dev") ? &m->dev : &m->exec;

    if (*seen)
        return cp_inval(err, "cannot pass 'no%s' and '%s' options more than once: " ERR_OPTION_ARG,
                        base, base);
    *seen = true;
    return add_opt(m->opts, k, err);
}

/* U or chown[=true|false] */
static int mount_chown(struct mnt *m, const char *v, struct berr **err)
{
    int b = v ? str_to_bool(v) : 1;

    if (m->chown)
        return cp_inval(err, "cannot pass 'U' or 'chown' option more than once: " ERR_OPTION_ARG);
    m->chown = true;
    if (b < 0)
        return cp_inval(err, "'U' or 'chown' must be set to true or false, instead received \"%s\": " ERR_OPTION_ARG, v);
    return b ? add_opt(m->opts, "U", err) : 0;
}

static int mount_dst(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    if (!v)
        return cp_inval(err, "%s: " ERR_OPTION_ARG, k);
    if (v[0] != '/')
        return cp_inval(err, "invalid container path \"%s\", must be an absolute path", v);
    m->dst = v;
    return 0;
}

static int bind_field(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    if (!strcmp(k, "src") || !strcmp(k, "source")) {
        if (!v)
            return cp_inval(err, "%s: " ERR_OPTION_ARG, k);
        if (!*v)
            return cp_inval(err, "host directory cannot be empty: " ERR_OPTION_ARG);
        m->src = v;
        m->src_set = true;
    } else if (!strcmp(k, "bind-propagation") && v) {
        if (!str_one_of(v, prop_opts))
            return cp_inval(err, "invalid option type \"%s\"", v);
        return add_opt(m->opts, v, err);
    } else if (!strcmp(k, "bind-propagation")) {
        return cp_inval(err, "%s: " ERR_OPTION_ARG, k);
    } else if (!strcmp(k, "bind-nonrecursive") && !v) {
        return add_opt(m->opts, "bind", err);
    } else if (str_one_of(k, prop_opts) && !v) {
        return add_opt(m->opts, k, err);
    } else if (!strcmp(k, "relabel") || !strcmp(k, "z") || !strcmp(k, "Z")) {
        if (!strcmp(k, "relabel") && m->relabel)
            return cp_inval(err, "cannot pass 'relabel' option more than once: " ERR_OPTION_ARG);
        m->relabel = true;
        if (!strcmp(k, "relabel") && !str_eq(v, "private") && !str_eq(v, "shared"))
            return cp_inval(err, "%s mount option must be 'private' or 'shared': invalid mount option", k);
        if (v && strcmp(k, "relabel") != 0 && strcmp(v, "private") != 0 && strcmp(v, "shared") != 0)
            return cp_inval(err, "%s: invalid mount option", k);
        /* kept, as podman keeps it (inspect's Mode); relabel=shared is z */
        return add_opt(m->opts, strcmp(k, "relabel") ? k : str_eq(v, "shared") ? "z" : "Z", err);
    } else if (!strcmp(k, "idmap")) {
        _cleanup_free_ char *o = v ? str_fmt("idmap=%s", v) : str_dup("idmap");
        return o ? add_opt(m->opts, o, err) : berr_oom(err);
    } else {
        return cp_inval(err, "%s: invalid mount option", k);
    }
    return 0;
}

static int tmpfs_field(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    if (!strcmp(k, "src") || !strcmp(k, "source")) {
        return cp_inval(err, "source is not supported with tmpfs mounts");
    } else if (!strcmp(k, "tmpfs-size") && v) {
        long long sz;
        if (ctropts_parse_size(v, &sz, err) < 0)
            return berr_wrap(err, "tmpfs-size");
        _cleanup_free_ char *o = str_fmt("size=%s", v);
        return o ? add_opt(m->opts, o, err) : berr_oom(err);
    } else if (!strcmp(k, "tmpfs-mode") && v) {
        if (!*v || strlen(v) > 4 || strspn(v, "01234567") != strlen(v))
            return cp_inval(err, "invalid tmpfs-mode %s: must be an octal mode", v);
        _cleanup_free_ char *o = str_fmt("mode=%s", v);
        return o ? add_opt(m->opts, o, err) : berr_oom(err);
    } else if (!strcmp(k, "tmpfs-size") || !strcmp(k, "tmpfs-mode")) {
        return cp_inval(err, "%s: " ERR_OPTION_ARG, k);
    } else if ((!strcmp(k, "tmpcopyup") || !strcmp(k, "notmpcopyup")) && !v) {
        if (m->copyup != -1)
            return cp_inval(err, "cannot pass 'tmpcopyup' and 'notmpcopyup' options more than once: " ERR_OPTION_ARG);
        m->copyup = k[0] == 't';
        return add_opt(m->opts, k, err);
    }
    return cp_inval(err, "%s: invalid mount option", k);
}

static int volume_field(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    if (!strcmp(k, "src") || !strcmp(k, "source")) {
        if (!v)
            return cp_inval(err, "%s: " ERR_OPTION_ARG, k);
        m->src = v;     /* "" -> anonymous */
        m->src_set = true;
        return 0;
    }
    if (!strcmp(k, "volume-opt")) {
        _cleanup_free_ char *o = v ? str_fmt("volume-opt=%s", v) : NULL;
        const char *eq = v ? strchr(v, '=') : NULL;
        if (!eq || eq == v)
            return cp_inval(err, "cannot parse driver opts: invalid mount option");
        return o ? add_opt(m->opts, o, err) : berr_oom(err);
    }
    if (!strcmp(k, "volume-label"))
        return cp_inval(err, "the --volume-label option is not presently implemented");
    /* volume-nocopy (docker's) is not podman 4.3.1's: refused as it is */
    return cp_inval(err, "%s: invalid mount option", k);
}

static int devpts_field(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    static const char *const ok[] = { "uid", "gid", "mode", "ptxmode", "newinstance", "max", NULL };

    if (!str_one_of(k, ok))
        return cp_inval(err, "%s: invalid mount option", k);
    _cleanup_free_ char *o = v ? str_fmt("%s=%s", k, v) : str_dup(k);
    return o ? add_opt(m->opts, o, err) : berr_oom(err);
}

static int image_field(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    if (!strcmp(k, "src") || !strcmp(k, "source")) {
        if (!v)
            return cp_inval(err, "%s: " ERR_OPTION_ARG, k);
        m->src = v;
        return 0;
    }
    if (!strcmp(k, "rw") || !strcmp(k, "readwrite")) {
        int b = v ? str_to_bool(v) : -1;
        if (!v || (strcmp(v, "true") && strcmp(v, "false")))
            return cp_inval(err, "invalid rw value \"%s\": invalid mount option", v ? v : "");
        m->ro = !b;
        return 0;
    }
    return cp_inval(err, "%s: invalid mount option", k);
}

/* One key[=value] of --mount; the type is known. */
static int mount_field(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    bool bind = !strcmp(m->type, "bind"), tmpfs = !strcmp(m->type, "tmpfs");
    bool vol = !strcmp(m->type, "volume");

    if (!strcmp(k, "consistency"))
        return 0;           /* docker's macOS option, ignored as podman does */
    if (!strcmp(k, "dst") || !strcmp(k, "destination") || !strcmp(k, "target"))
        return mount_dst(m, k, v, err);
    if (!strcmp(m->type, "devpts"))
        return devpts_field(m, k, v, err);
    if (!strcmp(m->type, "image"))
        return image_field(m, k, v, err);
    if ((bind && (!strcmp(k, "ro") || !strcmp(k, "readonly") || !strcmp(k, "rw"))) ||
        ((tmpfs || vol) && (!strcmp(k, "ro") || !strcmp(k, "rw"))))
        return mount_ro(m, k, v, err);
    if (!v && (!strcmp(k, "suid") || !strcmp(k, "nosuid") || !strcmp(k, "dev") ||
               !strcmp(k, "nodev") || !strcmp(k, "exec") || !strcmp(k, "noexec")))
        return mount_flag(m, k, err);
    if (!strcmp(k, "U") || !strcmp(k, "chown"))
        return mount_chown(m, v, err);
    if (bind)
        return bind_field(m, k, v, err);
    if (tmpfs)
        return tmpfs_field(m, k, v, err);
    return volume_field(m, k, v, err);
}

/* podman's findMountType: the first "type=X"; the rest are the tokens. */
static const char *mount_type(strv f)
{
    for (size_t i = 0; f && f[i]; i++)
        if (str_has_prefix(f[i], "type=") && !strchr(f[i] + 5, '='))
            return f[i] + 5;
    return NULL;
}

static int finish_mount(struct mnt *m, json_t *mounts, struct berr **err)
{
    _cleanup_free_ char *dst = NULL, *src = NULL;

    if (!m->dst || !*m->dst)
        return cp_inval(err, "must set volume destination");
    if (check_dest(m->dst, &dst, err) < 0)
        return -1;
    if (!strcmp(m->type, "tmpfs"))
        return append_mount(mounts, "tmpfs", "tmpfs", dst, m->opts, err);
    if (!strcmp(m->type, "devpts"))
        return append_mount(mounts, "devpts", "devpts", dst, m->opts, err);
    if (!strcmp(m->type, "volume"))
        return append_volume(mounts, m->src && *m->src ? m->src : NULL, dst, m->opts, err);
    if (!strcmp(m->type, "image")) {
        if (!m->src || !*m->src)
            return cp_inval(err, "must set source and destination for image volume");
        if (add_opt(m->opts, m->ro == 0 ? "rw" : "ro", err) < 0)
            return -1;
        return append_mount(mounts, "image", m->src, dst, m->opts, err);
    }
    /* bind: no source means the destination's path on the host (podman) */
    if (bind_source(m->src_set ? m->src : dst, &src, err) < 0)
        return -1;
    if (m->ro == -1 && add_opt(m->opts, "rw", err) < 0)
        return -1;
    return append_mount(mounts, "bind", src, dst, m->opts, err);
}

int cp_mount(json_t *mounts, const char *spec, struct berr **err)
{
    static const char *const types[] = { "bind", "tmpfs", "volume", "devpts", "image", NULL };
    _cleanup_strv_ strv f = NULL;
    _cleanup_json_ json_t *opts = json_array();
    struct mnt m = { .ro = -1, .copyup = -1 };
    bool type_seen = false;

    if (!opts)
        return berr_oom(err);
    m.opts = opts;
    if (cp_split_csv(spec, &f, err) < 0)
        return -1;
    m.type = mount_type(f);
    if (!m.type)
        return cp_inval(err, "incorrect mount format: should be --mount type=<bind|tmpfs|volume>,[src=<host-dir|volume-name>,]target=<ctr-dir>[,options]");
    if (!str_one_of(m.type, types))
        return cp_inval(err, "invalid filesystem type \"%s\"", m.type);
    for (size_t i = 0; f[i]; i++) {
        char *eq = strchr(f[i], '=');
        if (!type_seen && f[i] + 5 == m.type) {
            type_seen = true;
            continue;
        }
        if (eq)
            *eq = '\0';
        if (mount_field(&m, f[i], eq ? eq + 1 : NULL, err) < 0)
            return -1;
    }
    return finish_mount(&m, mounts, err);
}

/* ---- --tmpfs /dir[:opts] ---- */

int cp_tmpfs(json_t *mounts, const char *spec, struct berr **err)
{
    static const char *const known[] = {
        "ro", "rw", "exec", "noexec", "suid", "nosuid", "dev", "nodev", "sync", "async",
        "dirsync", "atime", "noatime", "diratime", "nodiratime", "relatime", "norelatime",
        "strictatime", "nostrictatime", "mand", "nomand", "tmpcopyup", "notmpcopyup",
        "shared", "rshared", "slave", "rslave", "private", "rprivate", "unbindable",
        "runbindable", NULL };
    static const char *const keyed[] = { "size=", "mode=", "uid=", "gid=", "nr_inodes=",
                                         "nr_blocks=", NULL };
    const char *colon = strchr(spec, ':');
    _cleanup_free_ char *d = str_ndup(spec, colon ? (size_t) (colon - spec) : strlen(spec));
    _cleanup_free_ char *dst = NULL;
    _cleanup_strv_ strv o = NULL;
    _cleanup_json_ json_t *opts = json_array();

    if (!d || !opts)
        return berr_oom(err);
    if (check_dest(d, &dst, err) < 0)
        return -1;
    if (colon && cp_split_csv(colon + 1, &o, err) < 0)
        return -1;
    for (size_t i = 0; o && o[i]; i++) {
        bool ok = str_one_of(o[i], known);
        for (size_t k = 0; keyed[k] && !ok; k++)
            ok = str_has_prefix(o[i], keyed[k]) && o[i][strlen(keyed[k])];
        if (!ok)
            return cp_inval(err, "unknown mount option \"%s\": invalid mount option", o[i]);
        if (add_opt(opts, o[i], err) < 0)
            return -1;
    }
    return append_mount(mounts, "tmpfs", "tmpfs", dst, opts, err);
}

/* ---- --volumes-from, --image-volume ---- */

int cp_volumes_from(json_t *vf, const char *spec, struct berr **err)
{
    const char *colon = strchr(spec, ':');

    if (colon) {
        _cleanup_strv_ strv o = split_keep(colon + 1, ',');
        bool z = false, rw = false;
        if (!o)
            return berr_oom(err);
        for (size_t i = 0; o[i]; i++) {
            if (!strcmp(o[i], "z")) {
                if (z)
                    return cp_inval(err, "cannot set :z more than once in mount options");
                z = true;
            } else if (!strcmp(o[i], "ro") || !strcmp(o[i], "rw")) {
                if (rw)
                    return cp_inval(err, "cannot set ro or rw options more than once");
                rw = true;
            } else {
                return cp_inval(err, "invalid option \"%s\" specified - volumes from another container can only use z,ro,rw options",
                                o[i]);
            }
        }
    }
    return json_array_append_new(vf, json_string(spec)) < 0 ? berr_oom(err) : 0;
}

int cp_image_volume(const char *mode, struct berr **err)
{
    static const char *const modes[] = { "bind", "tmpfs", "ignore", NULL };

    if (*mode && !str_one_of(mode, modes))
        return cp_inval(err, "invalid image volume mode \"%s\" required value: bind, tmpfs, ignore", mode);
    return 0;
}

int cp_mounts_dedup(json_t *mounts, struct berr **err)
{
    for (size_t i = 0; i < json_array_size(mounts); i++) {
        json_t *a = json_array_get(mounts, i);
        for (size_t j = i + 1; j < json_array_size(mounts);) {
            json_t *b = json_array_get(mounts, j);
            if (!str_eq(js_str(a, "destination", ""), js_str(b, "destination", ""))) {
                j++;
            } else if (json_equal(a, b)) {
                json_array_remove(mounts, j);   /* -v a:/x twice: podman accepts it */
            } else {
                return cp_inval(err, "%s: duplicate mount destination",
                                js_str(a, "destination", ""));
            }
        }
    }
    return 0;
}
