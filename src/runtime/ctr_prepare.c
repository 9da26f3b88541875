/*
 * runtime/ctr_prepare.c: what a container needs before conmon can start
 * it, and taking it down again: the root file system mount, the /dev/shm
 * tmpfs, networking, the generated /etc files, the OCI spec.
 * ctr_prepare() leaves its partial work on failure to the caller's
 * ctr_unprepare() (which comes after the caller has killed the conmon
 * waiting for it); ctr_unprepare() is idempotent and tolerates
 * half-prepared containers (a crash).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/cgreg.h"
#include "runtime/cgroups.h"
#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/ociruntime.h"
#include "runtime/seccache.h"
#include "runtime/userns.h"
#include "runtime/ctr_mounts.h"
#include "runtime/genfiles.h"
#include "runtime/hooks.h"
#include "runtime/pod.h"
#include "runtime/passwd.h"
#include "runtime/seccomp.h"
#include "runtime/secret.h"
#include "runtime/spec.h"
#include "runtime/user.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/fs.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

extern char **environ;

long long ctr_shm_size(struct runtime *rt, const struct ctr *c)
{
    long long n = c->cfg.shm_size;

    if (n > 0)
        return n;
    /* the config's shm_size ("65536k"), checked when the config was read;
     * podman reads it as go-units FromHumanSize (1000 units: 65536000),
     * where --shm-size is RAMInBytes (1024 units) */
    if (hum_parse_size_si(rt->cfg->shm_size, &n) == 0 && n > 0)
        return n;
    return 64LL << 20;
}

static int mount_shm(struct runtime *rt, struct ctr *c, const char *dir, struct berr **err)
{
    char data[64];

    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return berr_sys(err, "create %s", dir);
    snprintf(data, sizeof(data), "mode=1777,size=%lld", ctr_shm_size(rt, c));
    if (mount("shm", dir, "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, data) < 0)
        return berr_sys(err, "mount shm tmpfs %s", dir);
    return 0;
}

/* The shm tmpfs of the bundle, unmounted whatever the record says: a
 * process killed between the mount and its record would leave it. Not
 * a mount point (EINVAL) or no dir (ENOENT): nothing was there. */
void ctr_unmount_shm(struct runtime *rt, const char *id)
{
    _cleanup_free_ char *bundle = ctr_bundle_dir(rt, id);
    _cleanup_free_ char *shm = bundle ? str_fmt("%s/shm", bundle) : NULL;

    if (shm && umount2(shm, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
        log_warn("container %s: unmount shm: %s", id, strerror(errno));
}

/* /proc/<pid>/ns/<kind> of another running container, for container:X. */
static int other_ns_path(struct runtime *rt, const char *ref, const char *kind, char **out,
                         struct berr **err)
{
    _cleanup_ctr_ struct ctr *o = NULL;

    if (ctr_get(rt, ref, &o, err) < 0)
        return -1;
    if (ctr_state(o) != CS_RUNNING && ctr_state(o) != CS_CREATED)
        return berr_kind(err, BK_STATE, "cannot join namespace of container %s: it is not running", o->id);
    *out = str_fmt("/proc/%d/ns/%s", (int) o->st.pid, kind);
    return *out ? 0 : berr_oom(err);
}

/* hosts (unless --no-hosts), resolv.conf, hostname, .containerenv */
/* The config's list (dns_servers, ...) then the container's, as podman
 * 4.3 joins them when it writes resolv.conf. */
static strv dns_list(char *const *conf, json_t *dns, const char *key)
{
    _cleanup_strv_ strv mine = js_to_strv(json_object_get(dns, key));
    strv v = conf ? strv_copy(conf) : calloc(1, sizeof(char *));

    for (size_t i = 0; v && mine && mine[i]; i++)
        if (strv_push(&v, mine[i]) < 0) {
            strv_free(v);
            return NULL;
        }
    if (!mine) {
        strv_free(v);
        return NULL;
    }
    return v;
}

/* The text /etc/hosts starts from, by the config's base_hosts_file: the
 * host's /etc/hosts ("" or unset; none there is nothing), "image" (the
 * image's /etc/hosts, resolved inside the root file system), "none", or a
 * file of the host, which must be readable. *out NULL: start from nothing. */
static int hosts_base(struct runtime *rt, struct ctr *c, char **out, struct berr **err)
{
    const char *b = rt->cfg->base_hosts_file;
    struct berr *e = NULL;

    *out = NULL;
    if (!b || !*b) {
        if (fs_read_file("/etc/hosts", out, NULL, &e) < 0)
            berr_freep(&e);     /* no host file: start from nothing */
        return 0;
    }
    if (str_eq(b, "none"))
        return 0;
    if (str_eq(b, "image"))
        return c->st.mount_point ? user_read_in_root(c->st.mount_point, "etc/hosts", out, err)
                                 : 0;
    if (fs_read_file(b, out, NULL, err) < 0)
        return berr_wrap(err, "base_hosts_file %s", b);
    return 0;
}

static int etc_texts(struct runtime *rt, struct ctr *c, const struct ctr_net_info *ni,
                     const char *hostname, bool private_net, char *out[4], struct berr **err)
{
    json_t *spec = c->cfg.spec, *dns = c->cfg.dns;
    _cleanup_strv_ char **add = js_to_strv(c->cfg.add_hosts);
    _cleanup_strv_ char **servers = dns_list(rt->cfg->dns_servers, dns, "servers");
    _cleanup_strv_ char **search = dns_list(rt->cfg->dns_searches, dns, "search");
    _cleanup_strv_ char **options = dns_list(rt->cfg->dns_options, dns, "options");
    _cleanup_free_ char *base = NULL, *host_resolv = NULL;

    if (!add || !servers || !search || !options)
        return berr_oom(err);
    if (!js_bool(spec, "noHosts", false)) {
        struct hosts_opts ho = {
            .add_hosts = add, .hostname = hostname, .name = ctr_name(c),
            .aliases = ni->aliases, .ips = ni->ips, .host_ip = ni->host_ip,
        };
        if (hosts_base(rt, c, &base, err) < 0)
            return -1;
        ho.base = base;
        if (!(out[0] = genfiles_hosts(&ho)))
            return berr_oom(err);
    }
    if (genfiles_read_host_resolv(&host_resolv, err) < 0)
        return -1;
    {
        struct resolv_opts ro = {
            .host = host_resolv, .private_netns = private_net,
            .servers = servers, .searches = search, .options = options,
            .net_servers = ni->dns_servers,
        };
        out[1] = genfiles_resolv(&ro);
    }
    out[2] = genfiles_hostname(hostname);
    {
        struct containerenv ce = {
            .privileged = js_bool(spec, "privileged", false), .name = ctr_name(c), .id = c->id,
            .image = ctr_image_name(c), .image_id = c->cfg.image_id ? c->cfg.image_id : "",
            .rootless = geteuid() != 0,
        };
        out[3] = genfiles_containerenv(&ce);
    }
    return out[1] && out[2] && out[3] ? 0 : berr_oom(err);
}

static int write_etc_files(struct runtime *rt, struct ctr *c, const char *rundir,
                           const char *hostname, bool private_net, struct berr **err)
{
    static const char *const names[4] = { "hosts", "resolv.conf", "hostname", ".containerenv" };
    struct ctr_net_info ni;
    char *texts[4] = { NULL };
    int r = ctr_net_etc_info(rt, c, &ni, err);

    if (r == 0)
        r = etc_texts(rt, c, &ni, hostname, private_net, texts, err);
    /* podman: no resolv.conf at all without a network */
    if (str_eq(ctr_ns_mode(c, SPEC_NS_NET), "none")) {
        free(texts[1]);
        texts[1] = NULL;
    }
    for (int i = 0; i < 4 && r == 0; i++)
        if (texts[i])
            r = genfiles_write(rundir, names[i], texts[i], 0644, err);
    for (int i = 0; i < 4; i++)
        free(texts[i]);
    ctr_net_info_free(&ni);
    return r;
}

static int image_config(struct runtime *rt, struct ctr *c, json_t **out, struct berr **err)
{
    const char *img = c->cfg.image_id;
    struct store *s;
    _cleanup_image_ struct store_image *si = NULL;
    _cleanup_json_ json_t *full = NULL;

    *out = NULL;
    if (!img)
        return 0;
    if (rt_store(rt, &s, err) < 0 || store_image_lookup(s, img, &si, err) < 0 ||
        store_image_config_json(s, si, &full, err) < 0)
        return berr_wrap(err, "container %s: image", ctr_name(c));
    *out = json_incref(json_object_get(full, "config"));
    return 0;
}

/* The namespaces the container joins rather than creates: another
 * container's (container:<id>), a path (ns:<path>), its own bridge-mode
 * network namespace. path[i] is NULL for a namespace of its own. */
static int ns_paths(struct runtime *rt, struct ctr *c, char *path[SPEC_NS__COUNT],
                    struct berr **err)
{
    static const char *const kinds[SPEC_NS__COUNT] = {
        [SPEC_NS_NET] = "net", [SPEC_NS_PID] = "pid", [SPEC_NS_IPC] = "ipc", [SPEC_NS_UTS] = "uts",
        [SPEC_NS_CGROUP] = "cgroup", [SPEC_NS_USER] = "user",
    };

    for (int i = 0; i < SPEC_NS__COUNT; i++) {
        const char *m = ctr_ns_mode(c, (enum spec_ns) i), *want = NULL;

        if (str_has_prefix(m, "container:")) {
            if (other_ns_path(rt, m + 10, kinds[i], &path[i], err) < 0)
                return -1;
            continue;
        }
        if (str_has_prefix(m, "ns:"))
            want = m + 3;
        else if (i == SPEC_NS_NET && (str_eq(m, "bridge") || str_eq(m, "slirp4netns")))
            want = c->st.net_ns ? c->st.net_ns : "";
        else if (i == SPEC_NS_USER && str_eq(m, "private") && c->st.net_ns) {
            /* the kept user namespace owning the bridge netns (userns.h) */
            if (!(path[i] = userns_path(rt, c->id)))
                return berr_oom(err);
            continue;
        }
        /* a path lost to out-of-memory would give the container a
         * namespace of its own instead of the one it should join */
        if (want && !(path[i] = str_dup(want)))
            return berr_oom(err);
    }
    return 0;
}

/* The create-time configuration, with who the container is and its
 * mounts made real (ctr_mounts_setup), as the spec builder takes it.
 * NULL when out of memory. */
static json_t *spec_input(struct ctr *c, json_t *mounts)
{
    long long ns = c->cfg.created_ns;
    struct timespec ts = { (time_t) (ns / 1000000000LL), (long) (ns % 1000000000LL) };
    char created[TIME_BUF];
    _cleanup_json_ json_t *in = c->cfg.spec ? json_deep_copy(c->cfg.spec) : json_object();

    time_rfc3339nano(ts, created, sizeof(created));
    if (!in || json_object_set(in, "mounts", mounts) < 0 ||
        json_object_set_new(in, "id", json_string(c->id)) < 0 ||
        json_object_set_new(in, "name", json_string(ctr_name(c))) < 0 ||
        json_object_set_new(in, "createdTime", json_string(created)) < 0)
        return NULL;
    return STEAL_PTR(in);
}

/* For hooks' hasBindMounts: a host path bound in by the user. */
static bool has_bind_mounts(const struct ctr *c)
{
    size_t i;
    json_t *m;

    json_array_foreach(json_object_get(c->cfg.spec, "mounts"), i, m)
        if (str_eq(js_str(m, "type", "bind"), "bind"))
            return true;
    return false;
}

/* The shm tmpfs bound at /dev/shm: own (in the bundle), or with --ipc
 * container:X (a pod's members) X's, as podman shares it: they see the
 * same files and the pod's --shm-size. */
static int shm_of(struct runtime *rt, const struct ctr *c, char **shm, struct berr **err)
{
    const char *mode = ctr_ns_mode(c, SPEC_NS_IPC);
    _cleanup_ctr_ struct ctr *o = NULL;
    _cleanup_free_ char *b = NULL;

    if (!str_has_prefix(mode, "container:"))
        return 0;
    if (ctr_get(rt, mode + 10, &o, err) < 0)
        return -1;
    if (!(b = ctr_bundle_dir(rt, o->id)))
        return berr_oom(err);
    free(*shm);
    *shm = str_fmt("%s/shm", b);
    return *shm ? 0 : berr_oom(err);
}

static int build_spec(struct runtime *rt, struct ctr *c, const struct oci_runtime *ort,
                      const char *rootfs, const char *rundir, const char *bundle, json_t *mounts,
                      struct berr **err)
{
    struct spec_host h;
    _cleanup_json_ json_t *img = NULL, *spec = NULL, *in = NULL;
    _cleanup_free_ char *shm = str_fmt("%s/shm", bundle), *seccomp = NULL;
    char *nsp[SPEC_NS__COUNT] = { NULL };     /* freed at out */
    _cleanup_free_ char *dump = NULL, *own = NULL, *pw_bind = NULL, *gr_bind = NULL;
    _cleanup_free_ char *seccache_dir = NULL, *seccomp_text = NULL;
    int r = -1;

    if (!shm)
        return berr_oom(err);
    if (shm_of(rt, c, &shm, err) < 0)
        return -1;
    if (str_eq(js_str(c->cfg.spec, "cgroupsMode", NULL), "split") && cg_own_cgroup(&own, err) < 0)
        return -1;
    if (image_config(rt, c, &img, err) < 0)
        return -1;
    {
        struct passwd_gen pg = { .spec = c->cfg.spec, .image = img, .rootfs = rootfs,
                                 .rundir = rundir, .id = c->id };
        if (passwd_generate(&pg, &pw_bind, &gr_bind, err) < 0)
            return -1;
    }
    if (seccomp_default_path(rt->argv0, &seccomp, err) < 0)
        return -1;
    if (spec_host_probe(&h, environ, err) < 0)
        return -1;
    if (ns_paths(rt, c, nsp, err) < 0)
        goto out;
    for (int i = 0; i < SPEC_NS__COUNT; i++)
        h.ns_path[i] = nsp[i];
    h.cgroup_manager = rt->cfg->cgroup_manager;
    h.cgroup_parent = c->cfg.cgroup_parent;
    h.own_cgroup = own;
    h.rootfs = rootfs;
    h.rundir = rundir;
    h.passwd_file = pw_bind;
    h.group_file = gr_bind;
    h.shm_dir = strcmp(ctr_ns_mode(c, SPEC_NS_IPC), "host") ? shm : NULL;
    h.seccomp_default = seccomp;
    if (!(h.seccomp_cache = seccache_dir = str_fmt("%s/seccomp", rt->cfg->tmp_dir))) {
        berr_oom(err);
        goto out;
    }
    h.seccomp_text = &seccomp_text;
    if (!(in = spec_input(c, mounts))) {
        berr_oom(err);
        goto out;
    }
    if (ctr_secrets_apply(rt, c->cfg.spec, ctr_name(c), rundir, in, err) < 0 ||
        ctr_sdnotify_spec(c, bundle, in, err) < 0)
        goto out;
    if (spec_build(rt->cfg, in, img, &h, &spec, err) < 0 ||
        hooks_apply(rt->cfg->hooks_dir, spec, has_bind_mounts(c), err) < 0)
        goto out;
    /* this store's before the runtime makes it (system check, cgreg.h) */
    if (cgreg_add(rt, CGREG_CONTAINER, c->id,
                  js_str(json_object_get(spec, "linux"), "cgroupsPath", NULL), err) < 0)
        goto out;
    /* crun: its filter compiled at an earlier create, if any */
    free(c->seccache_miss);
    c->seccache_miss = NULL;
    if (ort)
        seccache_annotate(seccache_dir, ort, spec, seccomp_text, &c->seccache_miss);
    dump = spec_dump(spec);
    if (!dump) {
        berr_oom(err);
        goto out;
    }
    /* an env secret's value is in it: for root alone then */
    r = fs_write_replace(bundle, "config.json", dump, strlen(dump),
                         json_array_size(json_object_get(c->cfg.spec, "secrets")) ? 0600 : 0644, err);
out:
    for (int i = 0; i < SPEC_NS__COUNT; i++)
        free(nsp[i]);
    spec_host_free(&h);
    return r;
}

/* --cpu-rt-runtime on cgroup v1: the parent cgroup must hold the budget
 * before runc can hand it on (podman leaves that to the user). */
static int rt_budget(struct runtime *rt, struct ctr *c, struct berr **err)
{
    json_t *r = json_object_get(c->cfg.spec, "resources");
    const char *mode = js_str(c->cfg.spec, "cgroupsMode", "enabled");

    if (js_int(r, "cpuRtRuntime", 0) <= 0 || spec_cgroup2_unified() ||
        !strcmp(mode, "disabled") || !strcmp(mode, "split") ||
        str_eq(rt->cfg->cgroup_manager, "systemd"))
        return 0;
    return cg_rt_budget(c->cfg.cgroup_parent && *c->cfg.cgroup_parent ? c->cfg.cgroup_parent
                                                                       : SPEC_CGROUPFS_PARENT,
                        js_int(r, "cpuRtRuntime", 0), js_int(r, "cpuRtPeriod", 0), err);
}

/* The root file system, mounted (or the --rootfs directory). */
static int mount_rootfs(struct runtime *rt, struct ctr *c, struct berr **err)
{
    _cleanup_free_ char *mp = NULL;
    struct store *s;

    if (c->cfg.rootfs)
        mp = str_dup(c->cfg.rootfs);
    else if (rt_store(rt, &s, err) < 0 || store_ctr_mount(s, c->id, &mp, err) < 0)
        return -1;
    if (!mp)
        return berr_oom(err);
    if (ctr_set_str(&c->st.mount_point, mp) < 0)
        return berr_oom(err);
    return 0;
}

/* podman's /etc/mtab where the root file system has none: a symlink to
 * /proc/mounts (what mount, df and findmnt --mtab read), owned by the
 * container's root. Made through the root's fds, never through a
 * symlink: an /etc that is one (it may point anywhere on the host) is
 * left alone. Best effort, as the files are the image's. */
static void make_mtab(struct ctr *c, const char *root)
{
    _cleanup_close_ int rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), efd = -1;
    long long uid = ctr_host_id(c->cfg.spec, "uidMap", 0);
    long long gid = ctr_host_id(c->cfg.spec, "gidMap", 0);

    if (rfd < 0)
        return;
    efd = openat(rfd, "etc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (efd < 0 && errno == ENOENT && mkdirat(rfd, "etc", 0755) == 0) {
        efd = openat(rfd, "etc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (efd >= 0 && uid >= 0 && gid >= 0)
            (void) fchownat(efd, "", (uid_t) uid, (gid_t) gid, AT_EMPTY_PATH);
    }
    if (efd < 0)
        return;
    if (symlinkat("/proc/mounts", efd, "mtab") == 0 && uid >= 0 && gid >= 0 &&
        fchownat(efd, "mtab", (uid_t) uid, (gid_t) gid, AT_SYMLINK_NOFOLLOW) < 0)
        log_debug("container %s: chown /etc/mtab: %s", c->id, strerror(errno));
}

int ctr_prepare(struct runtime *rt, struct ctr *c, const struct oci_runtime *ort,
                struct berr **err)
{
    _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *rundir = ctr_run_dir(rt, c->id);
    _cleanup_free_ char *shm = NULL, *hostname = NULL;
    _cleanup_json_ json_t *mounts = NULL;
    bool private_net, want_root, want_shm;
    uint64_t net_before;

    if (!bundle || !rundir || !(shm = str_fmt("%s/shm", bundle)))
        return berr_oom(err);
    if (fs_mkdir_p(bundle, 0700, err) < 0 || fs_mkdir_p(rundir, 0700, err) < 0)
        return -1;
    want_root = !c->st.mounted;
    want_shm = !str_eq(ctr_ns_mode(c, SPEC_NS_IPC), "host") &&
               !str_eq(ctr_ns_mode(c, SPEC_NS_IPC), "none") &&
               !str_has_prefix(ctr_ns_mode(c, SPEC_NS_IPC), "container:") && !c->st.shm_mounted;
    /* The mounts are recorded before they are made: a process killed in
     * between leaves a record that says to unmount them, and unmounting
     * what was never mounted is harmless. (With it, any intent set.) */
    c->st.mounted = true;
    c->st.shm_mounted |= want_shm;
    if (ctr_save(rt, c, err) < 0)
        goto fail;
    crash_point("init:mounting");
    if (want_root && mount_rootfs(rt, c, err) < 0) {
        c->st.mounted = false;      /* a failed mount leaves no user to drop */
        goto fail;
    }
    if (want_root && c->st.mount_point)
        make_mtab(c, c->st.mount_point);
    if (want_shm && mount_shm(rt, c, shm, err) < 0) {
        c->st.shm_mounted = false;
        goto fail;
    }
    crash_point("init:mounted");
    /* What networking set up is recorded before the runtime's create; the
     * mount point alone waits for the next write (undoing finds it again
     * from the id): with no networking, one write fewer (ctr_save). */
    net_before = ctr_runstate_hash(&c->st);
    if (ctr_net_setup(rt, c, err) < 0)
        goto fail;
    if (ctr_runstate_hash(&c->st) != net_before && ctr_save(rt, c, err) < 0)
        goto fail;
    hostname = c->cfg.hostname ? str_dup(c->cfg.hostname) : str_ndup(c->id, 12);
    if (!hostname) {
        berr_oom(err);
        goto fail;
    }
    private_net = strcmp(ctr_ns_mode(c, SPEC_NS_NET), "host") != 0;
    if (write_etc_files(rt, c, rundir, hostname, private_net, err) < 0 || rt_budget(rt, c, err) < 0)
        goto fail;
    /* a pod member's parent cgroup is the pod's, holding its limits */
    if (js_str(c->cfg.rec, "pod", NULL) && c->cfg.cgroup_parent &&
        pod_cgroup_ensure(rt, js_str(c->cfg.rec, "pod", ""), c->cfg.cgroup_parent, err) < 0)
        goto fail;
    if (ctr_mounts_setup(rt, c, c->st.mount_point ? c->st.mount_point : "", &mounts, err) < 0)
        goto fail;
    if (build_spec(rt, c, ort, c->st.mount_point ? c->st.mount_point : "", rundir, bundle,
                   mounts, err) < 0)
        goto fail;
    return 0;
fail:
    return -1;     /* the caller's ctr_unprepare() undoes what was done */
}

void ctr_unprepare(struct runtime *rt, struct ctr *c)
{
    struct berr *e = NULL;

    ctr_net_teardown(rt, c);
    ctr_mounts_teardown(rt, c);
    ctr_unmount_shm(rt, c->id);
    c->st.shm_mounted = false;
    if (c->st.mounted) {
        if (!c->cfg.rootfs) {
            struct store *s;
            if (rt_store(rt, &s, &e) < 0 || store_ctr_unmount(s, c->id, false, &e) < 0)
                log_warn("container %s: unmount rootfs: %s", c->id, e->msg);
            berr_freep(&e);
        }
        c->st.mounted = false;
        (void) ctr_set_str(&c->st.mount_point, NULL);  /* NULL: nothing to copy */
    }
    if (ctr_save(rt, c, &e) < 0) {
        log_warn("container %s: %s", c->id, e->msg);
        berr_free(e);
    }
}
