/*
 * runtime/spec_linux.c: the spec's mounts (SPEC-podman.md §4.3) and its
 * linux object (§4.4): resources, cgroupsPath, namespaces, masked and
 * read-only paths, sysctls, devices. Seccomp is added by spec.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "runtime/spec_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

/* ---- mounts ---- */

static json_t *mount_new(const char *dst, const char *type, const char *src, const char *opts)
{
    _cleanup_strv_ strv o = strv_split(opts, ",");
    json_t *m;

    if (!o)
        return NULL;
    m = json_pack("{s:s, s:s, s:s, s:o}", "destination", dst, "type", type, "source", src,
                  "options", js_strv(o));
    return m;
}

static int add(json_t *list, json_t *m, struct berr **err)
{
    if (!m || json_array_append_new(list, m) < 0)
        return berr_oom(err);
    return 0;
}

static bool has_opt(json_t *opts, const char *o)
{
    size_t i;
    json_t *v;

    json_array_foreach(opts, i, v)
        if (str_eq(json_string_value(v), o))
            return true;
    return false;
}

static int opt_add(json_t *opts, const char *o)
{
    return json_array_append_new(opts, json_string(o));
}

static size_t depth(const char *path)
{
    _cleanup_free_ char *c = fs_clean(path);
    size_t n = 0;

    for (const char *p = c ? c : path; *p; p++)
        if (*p == '/' && p[1])
            n++;
    return c && strcmp(c, "/") == 0 ? 0 : n;
}

/* The generated files: /etc/hosts, /etc/hostname, /etc/resolv.conf and
 * /run/.containerenv, in podman's map order. */
static int gen_mounts(struct spec_ctx *c, json_t *list, bool ro, bool user_run,
                      struct berr **err)
{
    const struct spec_host *h = c->h;
    const char *opts = ro ? "bind,rprivate,ro,nosuid,noexec,nodev" : "bind,rprivate";
    _cleanup_free_ char *hosts = NULL, *env = NULL, *hn = NULL, *resolv = NULL;
    size_t i;
    json_t *d;

    if (!h->rundir)
        return berr_msg(err, "spec: no run directory for the generated files");
    hosts = h->hosts_file ? str_dup(h->hosts_file) : fs_join(h->rundir, "hosts");
    env = fs_join(h->rundir, ".containerenv");
    hn = fs_join(h->rundir, "hostname");
    resolv = h->resolv_file ? str_dup(h->resolv_file) : fs_join(h->rundir, "resolv.conf");
    if (!hosts || !env || !hn || !resolv)
        return berr_oom(err);
    if (!js_bool(c->ctr, "noHosts", false) &&
        add(list, mount_new("/etc/hosts", "bind", hosts, opts), err) < 0)
        return -1;
    if (!user_run && add(list, mount_new("/run/.containerenv", "bind", env, opts), err) < 0)
        return -1;
    /* podman: a container without a network has no resolv.conf */
    bool no_net = strcmp(c->ns[SPEC_NS_NET], "none") == 0;
    if (add(list, mount_new("/etc/hostname", "bind", hn, opts), err) < 0 ||
        (!no_net && add(list, mount_new("/etc/resolv.conf", "bind", resolv, opts), err) < 0))
        return -1;
    if ((h->passwd_file && add(list, mount_new("/etc/passwd", "bind", h->passwd_file, opts), err) < 0) ||
        (h->group_file && add(list, mount_new("/etc/group", "bind", h->group_file, opts), err) < 0))
        return -1;
    /* --chrootdirs: the same files in each (podman's mountIntoRootDirs) */
    json_array_foreach(json_object_get(c->ctr, "chrootDirs"), i, d) {
        static const char *const files[] = { "/etc/hosts", "/etc/resolv.conf" };
        const char *srcs[] = { hosts, resolv };
        for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
            _cleanup_free_ char *dst = str_fmt("%s%s", json_string_value(d) ? json_string_value(d) : "",
                                               files[f]);
            if ((f == 0 && js_bool(c->ctr, "noHosts", false)) || (f == 1 && no_net) ||
                str_eq(json_string_value(d), "/"))
                continue;
            if (!dst)
                return berr_oom(err);
            if (strcmp(dst, files[f]) && add(list, mount_new(dst, "bind", srcs[f], opts), err) < 0)
                return -1;
        }
    }
    return 0;
}

static int shm_mount(struct spec_ctx *c, json_t *list, struct berr **err)
{
    long long size = js_int(c->ctr, "shmSize", 0);
    _cleanup_free_ char *opts = NULL;

    if (strcmp(c->ns[SPEC_NS_IPC], "none") == 0)
        return 0;               /* --ipc none: no /dev/shm at all, as podman */
    if (strcmp(c->ns[SPEC_NS_IPC], "host") == 0)
        return add(list, mount_new("/dev/shm", "bind", "/dev/shm", "rbind,rprivate,nosuid,noexec,nodev"), err);
    if (c->h->shm_dir)
        return add(list, mount_new("/dev/shm", "bind", c->h->shm_dir, "bind,rprivate,nosuid,noexec,nodev"), err);
    /* no shared shm dir from the caller: a private tmpfs, same limits */
    opts = size > 0 ? str_fmt("rprivate,nosuid,noexec,nodev,mode=1777,size=%lld", size)
                    : str_fmt("rprivate,nosuid,noexec,nodev,mode=1777,size=65536k");
    if (!opts)
        return berr_oom(err);
    return add(list, mount_new("/dev/shm", "tmpfs", "shm", opts), err);
}

static int default_mounts(struct spec_ctx *c, json_t *list, bool user_run, struct berr **err)
{
    bool ro = js_bool(c->ctr, "readOnly", false);
    const char *cg = c->privileged ? "rprivate,nosuid,noexec,nodev,relatime,rw"
                                   : "rprivate,nosuid,noexec,nodev,relatime,ro";

    if (add(list, mount_new("/proc", "proc", "proc", "nosuid,noexec,nodev"), err) < 0 ||
        add(list, mount_new("/dev", "tmpfs", "tmpfs", "nosuid,noexec,strictatime,mode=755,size=65536k"), err) < 0 ||
        /* in a user namespace sysfs cannot be mounted for a network
         * namespace the host's user namespace owns: podman binds it */
        add(list, c->userns ? mount_new("/sys", "bind", "/sys", c->privileged ? "rprivate,nosuid,noexec,nodev,rw,rbind"
                                                                             : "rprivate,nosuid,noexec,nodev,ro,rbind")
                  : c->privileged ? mount_new("/sys", "sysfs", "sysfs", "rprivate,nosuid,noexec,nodev,rw")
                                : mount_new("/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro"), err) < 0 ||
        add(list, mount_new("/dev/pts", "devpts", "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5"), err) < 0 ||
        add(list, mount_new("/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev"), err) < 0)
        return -1;
    if (gen_mounts(c, list, ro, user_run, err) < 0 || shm_mount(c, list, err) < 0)
        return -1;
    if (add(list, mount_new("/sys/fs/cgroup", "cgroup", "cgroup", cg), err) < 0)
        return -1;
    if (ro && js_bool(c->ctr, "readOnlyTmpfs", true)) {
        static const char *const dirs[] = { "/run", "/tmp", "/var/tmp" };
        for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
            if (add(list, mount_new(dirs[i], "tmpfs", "tmpfs", "rw,rprivate,nosuid,nodev,tmpcopyup"), err) < 0)
                return -1;
    }
    return 0;
}

static bool has_dest(json_t *list, const char *dst)
{
    size_t i;
    json_t *m;

    json_array_foreach(list, i, m)
        if (str_eq(js_str(m, "destination", NULL), dst))
            return true;
    return false;
}

/* Systemd mode (podman's setupSystemd): tmpfs on /run, /run/lock, /tmp
 * and /var/log/journal, and a writable cgroup tree for systemd: on v2 the
 * cgroup file system (its own with a cgroup namespace, else the host's
 * bound), on v1 the host's name=systemd hierarchy bound over runc's
 * read-only one, its release_agent masked. */
static int systemd_mounts(struct spec_ctx *c, json_t *list, struct berr **err)
{
    static const char *const tmpfs[] = { "/run", "/run/lock", "/tmp", "/var/log/journal" };
    struct statfs sfs;

    for (size_t i = 0; i < ARRAY_SIZE(tmpfs); i++)
        if (!has_dest(list, tmpfs[i]) &&
            add(list, mount_new(tmpfs[i], "tmpfs", "tmpfs", "rw,rprivate,nosuid,nodev,tmpcopyup"), err) < 0)
            return -1;
    if (c->h->cgroup_v2) {
        for (size_t i = 0; i < json_array_size(list); i++)
            if (str_eq(js_str(json_array_get(list, i), "destination", NULL), "/sys/fs/cgroup"))
                json_array_remove(list, i--);
        if (strcmp(c->ns[SPEC_NS_CGROUP], "private") == 0)
            return add(list, mount_new("/sys/fs/cgroup", "cgroup", "cgroup", "private,rw"), err);
        return add(list, mount_new("/sys/fs/cgroup", "bind", "/sys/fs/cgroup", "bind,private,rw"), err);
    }
    if (statfs("/sys/fs/cgroup/systemd", &sfs) < 0)
        return 0;       /* the host has no name=systemd hierarchy to give */
    {
        _cleanup_free_ char *opts = str_fmt("bind,rprivate%s%s%s%s",
                                            sfs.f_flags & ST_NODEV ? ",nodev" : "",
                                            sfs.f_flags & ST_NOEXEC ? ",noexec" : "",
                                            sfs.f_flags & ST_NOSUID ? ",nosuid" : "",
                                            sfs.f_flags & ST_RDONLY ? ",ro" : "");
        if (!opts || strv_push(&c->masked, "/sys/fs/cgroup/systemd/release_agent") < 0)
            return berr_oom(err);
        return add(list, mount_new("/sys/fs/cgroup/systemd", "bind", "/sys/fs/cgroup/systemd", opts), err);
    }
}

static bool is_propagation(const char *o)
{
    static const char *const p[] = { "private", "rprivate", "shared", "rshared", "slave",
                                     "rslave", "unbindable", "runbindable" };
    for (size_t i = 0; i < ARRAY_SIZE(p); i++)
        if (strcmp(o, p[i]) == 0)
            return true;
    return false;
}

static json_t *arr_or_new(json_t *a)
{
    return json_is_array(a) ? json_incref(a) : json_array();
}

/* A user mount in the spec's form (options completed as spec.h says). */
static int user_mount(json_t *um, json_t **out, struct berr **err)
{
    const char *type = js_str(um, "type", "bind"), *src = js_str(um, "source", "");
    const char *dst = js_str(um, "destination", "");
    _cleanup_json_ json_t *opts = json_array();
    bool prop = false, tmpfs = strcmp(type, "tmpfs") == 0;
    size_t i;
    json_t *v;

    if (!opts)
        return berr_oom(err);
    if (dst[0] != '/')
        return berr_kind(err, BK_INVALID, "invalid container path %s, must be an absolute path", dst);
    /* made by the runtime (ctr_mounts.c): an overlay (volume or bind with
     * O, a writable image mount) or a devpts, passed on as they are */
    if (strcmp(type, "overlay") == 0 || strcmp(type, "devpts") == 0) {
        *out = json_pack("{s:s, s:s, s:s, s:o}", "destination", dst, "type", type, "source",
                         type, "options", arr_or_new(json_object_get(um, "options")));
        return *out ? 0 : berr_oom(err);
    }
    if (!tmpfs && strcmp(type, "bind") != 0 && strcmp(type, "volume") != 0)
        return berr_kind(err, BK_INVALID, "invalid mount type %s", type);
    json_array_foreach(json_object_get(um, "options"), i, v) {
        const char *o = json_string_value(v);
        if (!o || (tmpfs && strcmp(o, "notmpcopyup") == 0))
            continue;
        prop |= is_propagation(o);
        if (json_array_append(opts, v) < 0)
            return berr_oom(err);
    }
    if (tmpfs) {
        src = "tmpfs";
        if (!has_opt(json_object_get(um, "options"), "notmpcopyup") && !has_opt(opts, "tmpcopyup") &&
            opt_add(opts, "tmpcopyup") < 0)
            return berr_oom(err);
    } else {
        struct stat st;
        if (src[0] != '/')
            return berr_kind(err, BK_INVALID, "invalid host path %s, must be an absolute path", src);
        if (stat(src, &st) < 0)
            return berr_sys(err, "statfs %s", src);
        if (!has_opt(opts, "bind") && !has_opt(opts, "rbind") && opt_add(opts, "rbind") < 0)
            return berr_oom(err);
        type = "bind";
    }
    if (!prop && opt_add(opts, "rprivate") < 0)
        return berr_oom(err);
    *out = json_pack("{s:s, s:s, s:s, s:O}", "destination", dst, "type", type, "source", src,
                     "options", opts);
    return *out ? 0 : berr_oom(err);
}

static int tz_mount(struct spec_ctx *c, json_t *list, struct berr **err)
{
    const char *tz = js_str(c->ctr, "timezone", NULL);
    _cleanup_free_ char *src = NULL;

    if (!tz || !*tz)
        return 0;
    if (strcmp(tz, "local") == 0)
        src = realpath("/etc/localtime", NULL);
    else if (strstr(tz, "..") == NULL && tz[0] != '/')
        src = str_fmt("/usr/share/zoneinfo/%s", tz);
    if (!src || access(src, R_OK) < 0)
        return berr_kind(err, BK_INVALID, "finding timezone: unknown time zone %s", tz);
    return add(list, mount_new("/etc/localtime", "bind", src, "bind,rprivate,ro"), err);
}

static int cmp_depth(const void *a, const void *b)
{
    const struct { json_t *m; size_t d, i; } *x = a, *y = b;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;      /* stable */
}

int spec_add_mounts(struct spec_ctx *c, json_t *spec, struct berr **err)
{
    _cleanup_json_ json_t *user = json_array(), *all = json_array();
    _cleanup_free_ struct { json_t *m; size_t d, i; } *v = NULL;
    json_t *um, *m, *sorted;
    size_t i, j, n;
    bool user_run = false;

    if (!user || !all)
        return berr_oom(err);
    json_array_foreach(json_object_get(c->ctr, "mounts"), i, um) {
        json_t *conv = NULL;
        const char *dst;
        if (user_mount(um, &conv, err) < 0)
            return -1;
        if (json_array_append_new(user, conv) < 0)
            return berr_oom(err);
        dst = js_str(conv, "destination", "");
        for (j = 0; j < i; j++)
            if (str_eq(js_str(json_array_get(user, j), "destination", NULL), dst))
                return berr_kind(err, BK_INVALID, "%s: duplicate mount destination", dst);
        if (c->init_path && strcmp(dst, "/run/podman-init") == 0)
            return berr_kind(err, BK_INVALID, "\"/run/podman-init\" is reserved for the init binary");
        user_run |= strcmp(dst, "/run") == 0 || strcmp(dst, "/run/.containerenv") == 0;
    }
    if (default_mounts(c, all, user_run, err) < 0 || tz_mount(c, all, err) < 0)
        return -1;
    if (c->systemd && systemd_mounts(c, all, err) < 0)
        return -1;
    if (c->init_path &&
        add(all, mount_new("/run/podman-init", "bind", c->init_path, "bind,ro,rprivate"), err) < 0)
        return -1;
    /* a user mount on a default's destination replaces it */
    for (i = 0; i < json_array_size(all);) {
        const char *dst = js_str(json_array_get(all, i), "destination", "");
        bool over = false;
        json_array_foreach(user, j, um)
            over |= str_eq(js_str(um, "destination", NULL), dst);
        if (over) {
            log_debug("User mount overriding libpod mount at \"%s\"", dst);
            json_array_remove(all, i);
        } else {
            i++;
        }
    }
    if (json_array_extend(all, user) < 0)
        return berr_oom(err);
    n = json_array_size(all);
    v = calloc(n ? n : 1, sizeof(*v));
    sorted = json_array();
    if (!v || !sorted || json_object_set_new(spec, "mounts", sorted) < 0)
        return berr_oom(err);
    json_array_foreach(all, i, m) {
        v[i].m = m;
        v[i].d = depth(js_str(m, "destination", "/"));
        v[i].i = i;
    }
    qsort(v, n, sizeof(*v), cmp_depth);
    for (i = 0; i < n; i++)
        if (json_array_append(sorted, v[i].m) < 0)
            return berr_oom(err);
    return 0;
}

/* ---- devices ---- */

static int device_entry(const char *src, const char *dst, const char *perms, json_t *devs,
                        json_t *allow, bool must, struct berr **err)
{
    struct stat st;
    const char *type;
    json_t *d;
    size_t i;

    if (stat(src, &st) < 0)
        return must ? berr_sys(err, "stat %s", src) : 0;
    if (S_ISCHR(st.st_mode))
        type = "c";
    else if (S_ISBLK(st.st_mode))
        type = "b";
    else
        return must ? berr_kind(err, BK_INVALID, "%s is not a device", src) : 0;
    json_array_foreach(devs, i, d)
        if (str_eq(js_str(d, "path", NULL), dst))
            return 0;
    d = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "path", dst, "type", type,
                  "major", (json_int_t) major(st.st_rdev), "minor", (json_int_t) minor(st.st_rdev),
                  "fileMode", (json_int_t) (st.st_mode & 0777), "uid", (json_int_t) 0,
                  "gid", (json_int_t) 0);
    if (!d || json_array_append_new(devs, d) < 0)
        return berr_oom(err);
    if (allow) {
        d = json_pack("{s:b, s:s, s:I, s:I, s:s}", "allow", 1, "type", type,
                      "major", (json_int_t) major(st.st_rdev), "minor", (json_int_t) minor(st.st_rdev),
                      "access", perms);
        if (!d || json_array_append_new(allow, d) < 0)
            return berr_oom(err);
    }
    return 0;
}

static bool perms_ok(const char *s)
{
    return *s && strspn(s, "rwm") == strlen(s);
}

/* "/dev/x", "/dev/x:/dev/y", "/dev/x:rw", "/dev/x:/dev/y:rwm" */
static int user_device(const char *spec, json_t *devs, json_t *allow, struct berr **err)
{
    _cleanup_strv_ strv p = strv_split(spec, ":");
    const char *src, *dst, *perms = "rwm";
    size_t n;

    if (!p)
        return berr_oom(err);
    n = strv_len(p);
    if (n < 1 || n > 3)
        return berr_kind(err, BK_INVALID, "invalid device specification: %s", spec);
    src = dst = p[0];
    if (n == 2) {
        if (perms_ok(p[1]))
            perms = p[1];
        else
            dst = p[1];
    } else if (n == 3) {
        dst = p[1];
        perms = p[2];
        if (!perms_ok(perms))
            return berr_kind(err, BK_INVALID, "invalid device mode: %s", perms);
    }
    if (src[0] != '/' || dst[0] != '/')
        return berr_kind(err, BK_INVALID, "invalid device specification: %s", spec);
    return device_entry(src, dst, perms, devs, allow, true, err);
}

/* --privileged: every device of the host's /dev, as runc's GetDevices
 * walks it (skipping pts, shm, mqueue, fd and the console). */
static int host_devices(const char *dir, json_t *devs, int lvl, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(dir);
    struct dirent *e;

    if (!d || lvl > 4)
        return 0;
    while ((e = readdir(d))) {
        static const char *const skip[] = { ".", "..", "pts", "shm", "mqueue", "fd", "console",
                                            ".lxc", ".lxd-mounts", ".udev" };
        _cleanup_free_ char *p = NULL;
        bool sk = false;
        for (size_t i = 0; i < ARRAY_SIZE(skip); i++)
            sk |= strcmp(e->d_name, skip[i]) == 0;
        if (sk)
            continue;
        if (!(p = fs_join(dir, e->d_name)))
            return berr_oom(err);
        if (e->d_type == DT_DIR) {
            if (host_devices(p, devs, lvl + 1, err) < 0)
                return -1;
        } else if (e->d_type == DT_CHR || e->d_type == DT_BLK) {
            if (device_entry(p, p, "rwm", devs, NULL, false, err) < 0)
                return -1;
        }
    }
    return 0;
}

/* ---- resources ---- */

static int build_resources(struct spec_ctx *c, json_t *lin, json_t *devs, struct berr **err)
{
    json_t *res = json_object(), *allow = json_array();
    json_t *r = json_object_get(c->ctr, "resources"), *v;
    long long pids = c->cfg->pids_limit;
    size_t i;

    if (!res || !allow || json_object_set_new(lin, "resources", res) < 0 ||
        json_object_set_new(res, "devices", allow) < 0)
        return berr_oom(err);
    if (json_array_append_new(allow, json_pack("{s:b, s:s}", "allow", c->privileged ? 1 : 0,
                                               "access", "rwm")) < 0)
        return berr_oom(err);
    json_array_foreach(json_object_get(c->ctr, "devices"), i, v)
        if (json_is_string(v) &&
            user_device(json_string_value(v), devs, c->privileged ? NULL : allow, err) < 0)
            return -1;
    if (c->privileged && host_devices("/dev", devs, 0, err) < 0)
        return -1;

    if (json_object_get(r, "pidsLimit"))
        pids = js_int(r, "pidsLimit", 0) > 0 ? js_int(r, "pidsLimit", 0) : -1;
    if (pids != 0 && json_object_set_new(res, "pids", json_pack("{s:I}", "limit", (json_int_t) pids)) < 0)
        return berr_oom(err);
    return spec_resources_oci(r, c->h->swap_accounting, res, err);
}

/* --device-cgroup-rule "c 1:3 rwm": an allow entry after the deny-all one
 * (podman adds none in a user namespace or when privileged). */
static int device_rules(struct spec_ctx *c, json_t *lin, struct berr **err)
{
    json_t *allow = json_object_get(json_object_get(lin, "resources"), "devices"), *v;
    size_t i;

    if (c->privileged || c->userns)
        return 0;
    json_array_foreach(json_object_get(c->ctr, "deviceCgroupRules"), i, v) {
        _cleanup_strv_ strv w = strv_split(json_string_value(v) ? json_string_value(v) : "", " ");
        char *colon;
        json_t *d;
        if (!w)
            return berr_oom(err);
        if (strv_len(w) != 3)
            return berr_kind(err, BK_INVALID, "invalid device cgroup rule %s", json_string_value(v));
        colon = strchr(w[1], ':');
        if (colon)
            *colon++ = '\0';
        d = json_pack("{s:b, s:s, s:s}", "allow", 1, "type", w[0], "access", w[2]);
        if (!d || json_array_append_new(allow, d) < 0)
            return berr_oom(err);
        /* "*" is an absent number */
        if ((strcmp(w[1], "*") && json_object_set_new(d, "major", json_integer(atoll(w[1]))) < 0) ||
            (colon && strcmp(colon, "*") && json_object_set_new(d, "minor", json_integer(atoll(colon))) < 0))
            return berr_oom(err);
    }
    return 0;
}

/* ---- namespaces ---- */

static int ns_entry(struct spec_ctx *c, json_t *arr, enum spec_ns k, const char *type,
                    struct berr **err)
{
    const char *mode = c->ns[k], *path = NULL;
    json_t *o;

    if (strcmp(mode, "host") == 0)
        return 0;
    if (str_has_prefix(mode, "ns:")) {
        path = mode + 3;
        if (path[0] != '/')
            return berr_kind(err, BK_INVALID, "invalid namespace path %s", path);
    } else if (str_has_prefix(mode, "container:")) {
        path = c->h->ns_path[k];
        if (!path)
            return berr_msg(err, "%s namespace of %s: no path given", type, mode);
    } else if ((k == SPEC_NS_NET && (strcmp(mode, "bridge") == 0 || strcmp(mode, "none") == 0 ||
                                     strcmp(mode, "private") == 0 ||
                                     strcmp(mode, "slirp4netns") == 0)) ||
               (k == SPEC_NS_USER && strcmp(mode, "private") == 0)) {
        path = c->h->ns_path[k];
    } else if (strcmp(mode, "private") != 0 &&
               !(k == SPEC_NS_IPC && (strcmp(mode, "none") == 0 || strcmp(mode, "shareable") == 0))) {
        return berr_kind(err, BK_INVALID, "%s namespace mode \"%s\" is not supported", type, mode);
    }
    o = path ? json_pack("{s:s, s:s}", "type", type, "path", path) : json_pack("{s:s}", "type", type);
    if (!o || json_array_append_new(arr, o) < 0)
        return berr_oom(err);
    return 0;
}

static int build_namespaces(struct spec_ctx *c, json_t *lin, struct berr **err)
{
    json_t *arr = json_array();

    if (!arr || json_object_set_new(lin, "namespaces", arr) < 0)
        return berr_oom(err);
    if (ns_entry(c, arr, SPEC_NS_PID, "pid", err) < 0 ||
        ns_entry(c, arr, SPEC_NS_NET, "network", err) < 0 ||
        ns_entry(c, arr, SPEC_NS_IPC, "ipc", err) < 0 ||
        ns_entry(c, arr, SPEC_NS_UTS, "uts", err) < 0)
        return -1;
    if (json_array_append_new(arr, json_pack("{s:s}", "type", "mount")) < 0)
        return berr_oom(err);
    if (ns_entry(c, arr, SPEC_NS_CGROUP, "cgroup", err) < 0 ||
        ns_entry(c, arr, SPEC_NS_USER, "user", err) < 0)
        return -1;
    return spec_idmappings(c->ctr, c->ns[SPEC_NS_USER], lin, err);
}

/* ---- masked / read-only paths, sysctls ---- */

static int build_paths(struct spec_ctx *c, json_t *lin, struct berr **err)
{
    static const char *const masked[] = {
        "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/fs/selinux", "/sys/dev/block",
    };
    static const char *const ro[] = {
        "/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    };
    json_t *m = json_array(), *r = json_array();

    if (!m || !r || json_object_set_new(lin, "maskedPaths", m) < 0 ||
        json_object_set_new(lin, "readonlyPaths", r) < 0)
        return berr_oom(err);
    if (!c->privileged && !c->unmask_all) {
        for (size_t i = 0; i < ARRAY_SIZE(masked); i++)
            if (!strv_contains(c->unmasked, masked[i]) && json_array_append_new(m, json_string(masked[i])) < 0)
                return berr_oom(err);
        for (size_t i = 0; i < ARRAY_SIZE(ro); i++)
            if (!strv_contains(c->unmasked, ro[i]) && json_array_append_new(r, json_string(ro[i])) < 0)
                return berr_oom(err);
    }
    for (size_t i = 0; c->masked && c->masked[i]; i++)
        if (json_array_append_new(m, json_string(c->masked[i])) < 0)
            return berr_oom(err);
    return 0;
}

/* Which namespace a sysctl lives in; NULL for one no namespace protects. */
static enum spec_ns sysctl_ns(const char *k, bool *known)
{
    *known = true;
    if (str_has_prefix(k, "net."))
        return SPEC_NS_NET;
    if (str_has_prefix(k, "kernel.msg") || str_has_prefix(k, "kernel.sem") ||
        str_has_prefix(k, "kernel.shm") || str_has_prefix(k, "fs.mqueue."))
        return SPEC_NS_IPC;
    if (strcmp(k, "kernel.hostname") == 0 || strcmp(k, "kernel.domainname") == 0)
        return SPEC_NS_UTS;
    *known = false;
    return SPEC_NS_NET;
}

static int build_sysctls(struct spec_ctx *c, json_t *lin, struct berr **err)
{
    static const char *const nsname[] = { "Network", "IPC", "PID", "UTS" };
    json_t *s = json_object(), *v;
    const char *k;
    bool known;

    if (!s)
        return berr_oom(err);
    if (json_object_set_new(lin, "sysctl", s) < 0)
        return berr_oom(err);
    for (size_t i = 0; c->cfg->default_sysctls && c->cfg->default_sysctls[i]; i++) {
        _cleanup_free_ char *kv = str_dup(c->cfg->default_sysctls[i]);
        char *eq = kv ? strchr(kv, '=') : NULL;
        enum spec_ns ns;
        if (!kv)
            return berr_oom(err);
        if (!eq)
            continue;
        *eq = '\0';
        ns = sysctl_ns(str_trim(kv), &known);
        if (known && strcmp(c->ns[ns], "host") == 0)
            continue;           /* defaults quietly skip a shared namespace */
        if (js_set_str(s, str_trim(kv), str_trim(eq + 1)) < 0)
            return berr_oom(err);
    }
    json_object_foreach(json_object_get(c->ctr, "sysctls"), k, v) {
        enum spec_ns ns = sysctl_ns(k, &known);
        if (known && strcmp(c->ns[ns], "host") == 0)
            return berr_kind(err, BK_INVALID,
                             "sysctl \"%s\" cannot be set since %s Namespace set to host", k,
                             nsname[ns]);
        if (!json_is_string(v) || json_object_set(s, k, v) < 0)
            return berr_oom(err);
    }
    if (!json_object_size(s))
        (void) json_object_del(lin, "sysctl");
    return 0;
}

/* NULL with cgroups disabled ("" out of memory). */
static char *cgroups_path(struct spec_ctx *c)
{
    const char *parent = c->h->cgroup_parent, *mode = js_str(c->ctr, "cgroupsMode", "");

    if (strcmp(mode, "disabled") == 0)
        return NULL;
    if (strcmp(mode, "split") == 0)
        return str_fmt("%s/berth-payload-%s", c->h->own_cgroup && strcmp(c->h->own_cgroup, "/")
                                              ? c->h->own_cgroup : "", c->id);

    if (str_eq(c->h->cgroup_manager, "systemd")) {
        const char *slice = parent && *parent ? parent : "machine.slice";
        const char *base = strrchr(slice, '/');
        return str_fmt("%s:berth:%s", base ? base + 1 : slice, c->id);
    }
    if (!parent || !*parent)
        parent = SPEC_CGROUPFS_PARENT;
    return str_fmt("%s/berth-%s", parent, c->id);
}

int spec_add_linux(struct spec_ctx *c, json_t *spec, struct berr **err)
{
    json_t *lin = json_object(), *devs = json_array();
    _cleanup_free_ char *cg = cgroups_path(c);
    bool no_cgroups = strcmp(js_str(c->ctr, "cgroupsMode", ""), "disabled") == 0;

    if (!lin || !devs || (!cg && !no_cgroups) || json_object_set_new(spec, "linux", lin) < 0 ||
        json_object_set_new(lin, "devices", devs) < 0)
        return berr_oom(err);
    if (build_resources(c, lin, devs, err) < 0 || device_rules(c, lin, err) < 0)
        return -1;
    if (!json_array_size(devs))
        (void) json_object_del(lin, "devices");
    if (cg && js_set_str(lin, "cgroupsPath", cg) < 0)
        return berr_oom(err);
    if (build_namespaces(c, lin, err) < 0 || build_paths(c, lin, err) < 0 ||
        build_sysctls(c, lin, err) < 0)
        return -1;
    if (js_str(c->ctr, "personality", NULL) &&
        json_object_set_new(lin, "personality",
                            json_pack("{s:s}", "domain", js_str(c->ctr, "personality", ""))) < 0)
        return berr_oom(err);
    return 0;
}
