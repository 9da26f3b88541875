/*
 * cmd/ctropts_mounts.c: -v/--volume, --mount and --tmpfs into spec.h mount
 * objects {type, source, destination, options}.
 *
 * Options keep the user's order; what podman adds at create is added here
 * ("rw" for binds, "rw,nosuid,nodev" for tmpfs, each unless its opposite
 * was given); what the spec builder adds at init (rbind, rprivate,
 * tmpcopyup) is left to it. SELinux relabeling (z, Z, relabel=) and the
 * volume-only copy/nocopy mean nothing for a bind on this host and are
 * dropped. Overlay (O), chown (U) and idmapped mounts are refused as not
 * supported rather than silently ignored. Named and anonymous volumes wait
 * for the volume layer.
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

static bool is_one_of(const char *o, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(o, *set) == 0)
            return true;
    return false;
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

/* The options of a -v bind mount, checked; the kept ones go to out. */
static int volume_opts(const char *list, json_t *out, struct berr **err)
{
    static const char *const known[] = { "rw", "ro", "z", "Z", "O", "U", "shared", "rshared",
                                         "slave", "rslave", "private", "rprivate",
                                         "unbindable", "runbindable", "exec", "noexec", "suid",
                                         "nosuid", "dev", "nodev", "copy", "nocopy", "bind",
                                         "rbind", "idmap", NULL };
    static const char *const dropped[] = { "z", "Z", "copy", "nocopy", NULL };
    _cleanup_strv_ strv o = split_keep(list, ',');

    if (!o)
        return berr_oom(err);
    for (size_t i = 0; o[i]; i++) {
        if (!is_one_of(o[i], known) && !str_has_prefix(o[i], "idmap="))
            return cp_inval(err, "invalid option type \"%s\"", o[i]);
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
    for (size_t i = 0; o[i]; i++) {
        if (strcmp(o[i], "O") == 0)
            return cp_inval(err, "overlay volume mounts (:O) are not supported by berth");
        if (strcmp(o[i], "U") == 0)
            return cp_inval(err, "the volume option U (chown to the container user) is not supported by berth");
        if (str_has_prefix(o[i], "idmap"))
            return cp_inval(err, "idmapped mounts are not supported by berth");
        if (!is_one_of(o[i], dropped) && add_opt(out, o[i], err) < 0)
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

int cp_volume(json_t *mounts, const char *spec, struct berr **err)
{
    _cleanup_strv_ strv p = split_keep(spec, ':');
    _cleanup_free_ char *dst = NULL, *src = NULL;
    _cleanup_json_ json_t *opts = json_array();
    size_t n;

    if (!p || !opts)
        return berr_oom(err);
    n = strv_len(p);
    if (n > 3 || !*spec)
        return cp_inval(err, "%s: incorrect volume format, should be [host-dir:]ctr-dir[:option]", spec);
    if (n == 1) {
        if (check_dest(p[0], &dst, err) < 0)
            return -1;
        return cp_inval(err, "anonymous volumes are not supported yet: %s", dst);
    }
    if (!*p[0])
        return cp_inval(err, "host directory cannot be empty");
    if (check_dest(p[1], &dst, err) < 0)
        return -1;
    if (n == 3 && volume_opts(p[2], opts, err) < 0)
        return -1;
    if (p[0][0] != '/' && p[0][0] != '.')
        return cp_inval(err, "named volumes are not supported yet: %s", p[0]);
    if (bind_source(p[0], &src, err) < 0)
        return -1;
    if (!has_any(opts, "ro", "rw") && add_opt(opts, "rw", err) < 0)
        return -1;
    return append_mount(mounts, "bind", src, dst, opts, err);
}

/* ---- --mount type=...,k=v,... ---- */

struct mnt {
    const char *type, *src, *dst;
    int ro;                     /* -1 not given, 0 rw, 1 ro */
    int copyup;                 /* -1, 0 notmpcopyup, 1 tmpcopyup */
    json_t *opts;               /* in order */
};

static int mount_ro(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    int b = v ? str_to_bool(v) : 1;

    if (b < 0)
        return cp_inval(err, "'readonly', 'ro', or 'rw' must be set to true or false, instead received \"%s\": must provide an argument for option",
                        v);
    if (m->ro != -1)
        return cp_inval(err, "cannot pass 'readonly', 'ro', or 'rw' options more than once: must provide an argument for option");
    m->ro = strcmp(k, "rw") == 0 ? !b : b;
    return add_opt(m->opts, m->ro ? "ro" : "rw", err);
}

/* One key[=value] of --mount; type is already known. */
static int mount_field(struct mnt *m, const char *k, const char *v, struct berr **err)
{
    static const char *const flags[] = { "exec", "noexec", "suid", "nosuid", "dev", "nodev", NULL };
    bool bind = strcmp(m->type, "bind") == 0, tmpfs = strcmp(m->type, "tmpfs") == 0;

    if (!strcmp(k, "src") || !strcmp(k, "source")) {
        if (tmpfs)
            return cp_inval(err, "source is not supported with tmpfs mounts");
        m->src = v ? v : "";
    } else if (!strcmp(k, "dst") || !strcmp(k, "destination") || !strcmp(k, "target")) {
        m->dst = v ? v : "";
    } else if (!strcmp(k, "ro") || !strcmp(k, "readonly") || !strcmp(k, "rw")) {
        return mount_ro(m, k, v, err);
    } else if (is_one_of(k, flags) && !v) {
        return add_opt(m->opts, k, err);
    } else if (bind && !strcmp(k, "bind-propagation") && v) {
        if (!is_one_of(v, prop_opts))
            return cp_inval(err, "invalid option type \"%s\"", v);
        return add_opt(m->opts, v, err);
    } else if (bind && !strcmp(k, "bind-nonrecursive") && !v) {
        return add_opt(m->opts, "bind", err);
    } else if (bind && (!strcmp(k, "relabel") || !strcmp(k, "z") || !strcmp(k, "Z"))) {
        if (v && strcmp(v, "private") != 0 && strcmp(v, "shared") != 0)
            return cp_inval(err, "%s: invalid mount option", k);
        return 0;           /* SELinux relabeling: nothing to do here */
    } else if (bind && !strcmp(k, "consistency")) {
        return 0;           /* docker's macOS option, ignored as podman does */
    } else if (tmpfs && !strcmp(k, "tmpfs-size") && v) {
        long long sz;
        if (ctropts_parse_size(v, &sz, err) < 0)
            return berr_wrap(err, "tmpfs-size");
        _cleanup_free_ char *o = str_fmt("size=%s", v);
        return o ? add_opt(m->opts, o, err) : berr_oom(err);
    } else if (tmpfs && !strcmp(k, "tmpfs-mode") && v) {
        if (!*v || strlen(v) > 4 || strspn(v, "01234567") != strlen(v))
            return cp_inval(err, "invalid tmpfs-mode %s: must be an octal mode", v);
        _cleanup_free_ char *o = str_fmt("mode=%s", v);
        return o ? add_opt(m->opts, o, err) : berr_oom(err);
    } else if (tmpfs && (!strcmp(k, "tmpcopyup") || !strcmp(k, "notmpcopyup")) && !v) {
        if (m->copyup != -1)
            return cp_inval(err, "cannot pass 'tmpcopyup' and 'notmpcopyup' options more than once: must provide an argument for option");
        m->copyup = k[0] == 't';
        return add_opt(m->opts, k, err);
    } else if (!strcmp(k, "U") || !strcmp(k, "idmap")) {
        return cp_inval(err, "mount option %s is not supported by berth", k);
    } else {
        return cp_inval(err, "%s: invalid mount option", k);
    }
    return 0;
}

int cp_mount(json_t *mounts, const char *spec, struct berr **err)
{
    _cleanup_strv_ strv f = NULL;
    _cleanup_json_ json_t *opts = json_array();
    _cleanup_free_ char *dst = NULL, *src = NULL;
    struct mnt m = { .ro = -1, .copyup = -1 };

    if (!opts)
        return berr_oom(err);
    m.opts = opts;
    if (cp_split_csv(spec, &f, err) < 0)
        return -1;
    for (size_t i = 0; f && f[i]; i++)
        if (str_has_prefix(f[i], "type="))
            m.type = f[i] + 5;
    if (!m.type)
        return cp_inval(err, "incorrect mount format: should be --mount type=<bind|tmpfs|volume>,[src=<host-dir|volume-name>,]target=<ctr-dir>[,options]");
    if (strcmp(m.type, "volume") == 0 || strcmp(m.type, "devpts") == 0 ||
        strcmp(m.type, "image") == 0 || strcmp(m.type, "glob") == 0 || strcmp(m.type, "ramfs") == 0) {
        for (size_t i = 0; f[i]; i++)
            if (str_has_prefix(f[i], "src=") || str_has_prefix(f[i], "source="))
                m.src = strchr(f[i], '=') + 1;
        if (strcmp(m.type, "volume") == 0)
            return m.src && *m.src ? cp_inval(err, "named volumes are not supported yet: %s", m.src)
                                   : cp_inval(err, "anonymous volumes are not supported yet");
        return cp_inval(err, "mount type %s is not supported by berth", m.type);
    }
    if (strcmp(m.type, "bind") != 0 && strcmp(m.type, "tmpfs") != 0)
        return cp_inval(err, "invalid filesystem type \"%s\"", m.type);
    for (size_t i = 0; f[i]; i++) {
        char *eq = strchr(f[i], '=');
        if (str_has_prefix(f[i], "type="))
            continue;
        if (eq)
            *eq = '\0';
        if (mount_field(&m, f[i], eq ? eq + 1 : NULL, err) < 0)
            return -1;
    }
    if (!m.dst || !*m.dst)
        return cp_inval(err, "must set volume destination");
    if (check_dest(m.dst, &dst, err) < 0)
        return -1;
    if (strcmp(m.type, "tmpfs") == 0) {
        if ((m.ro == -1 && add_opt(opts, "rw", err) < 0) ||
            (!has_any(opts, "suid", "nosuid") && add_opt(opts, "nosuid", err) < 0) ||
            (!has_any(opts, "dev", "nodev") && add_opt(opts, "nodev", err) < 0))
            return -1;
        return append_mount(mounts, "tmpfs", "tmpfs", dst, opts, err);
    }
    if (!m.src || !*m.src)
        return cp_inval(err, "must set source for a bind mount (src=<host-dir>)");
    if (bind_source(m.src, &src, err) < 0)
        return -1;
    if (m.ro == -1 && add_opt(opts, "rw", err) < 0)
        return -1;
    return append_mount(mounts, "bind", src, dst, opts, err);
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
        bool ok = is_one_of(o[i], known);
        for (size_t k = 0; keyed[k] && !ok; k++)
            ok = str_has_prefix(o[i], keyed[k]) && o[i][strlen(keyed[k])];
        if (!ok)
            return cp_inval(err, "unknown mount option \"%s\": invalid mount option", o[i]);
        if (add_opt(opts, o[i], err) < 0)
            return -1;
    }
    if ((!has_any(opts, "ro", "rw") && add_opt(opts, "rw", err) < 0) ||
        (!has_any(opts, "suid", "nosuid") && add_opt(opts, "nosuid", err) < 0) ||
        (!has_any(opts, "dev", "nodev") && add_opt(opts, "nodev", err) < 0))
        return -1;
    return append_mount(mounts, "tmpfs", "tmpfs", dst, opts, err);
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
