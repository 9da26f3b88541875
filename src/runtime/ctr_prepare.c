/*
 * runtime/ctr_prepare.c: what a container needs before conmon can start
 * it, and taking it down again: the root file system mount, the /dev/shm
 * tmpfs, networking, the generated /etc files, the OCI spec.
 * ctr_prepare() undoes its own partial work on failure; ctr_unprepare()
 * is idempotent and tolerates half-prepared containers (a crash).
 */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/genfiles.h"
#include "runtime/seccomp.h"
#include "runtime/spec.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

extern char **environ;

static json_t *ctr_spec(const struct ctr *c) { return json_object_get(c->cfg, "spec"); }

/* The namespace mode of the spec config: "private" when absent. */
const char *ctr_ns_mode(struct ctr *c, const char *which)
{
    json_t *ns = json_object_get(ctr_spec(c), "namespaces");
    const char *v = js_str(ns, which, NULL);
    if (v && *v)
        return v;
    return strcmp(which, "network") == 0 ? "bridge" : "private";
}

long long ctr_shm_size(struct runtime *rt, const struct ctr *c)
{
    long long n = js_int(ctr_spec(c), "shmSize", 0);

    if (n > 0)
        return n;
    /* the config's shm_size ("65536k"), checked when the config was read */
    if (hum_parse_size(rt->cfg->shm_size, &n) == 0 && n > 0)
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
    js_set_bool(c->st, "shmMounted", true);
    return 0;
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
    *out = str_fmt("/proc/%lld/ns/%s", js_int(o->st, "pid", 0), kind);
    return *out ? 0 : berr_oom(err);
}

/* hosts (unless --no-hosts), resolv.conf, hostname, .containerenv */
static int etc_texts(struct ctr *c, const struct ctr_net_info *ni, const char *hostname,
                     bool private_net, char *out[4], struct berr **err)
{
    json_t *spec = ctr_spec(c);
    json_t *dns = json_object_get(c->cfg, "dns");
    _cleanup_strv_ char **add = js_to_strv(json_object_get(c->cfg, "addHosts"));
    _cleanup_strv_ char **servers = js_to_strv(json_object_get(dns, "servers"));
    _cleanup_strv_ char **search = js_to_strv(json_object_get(dns, "search"));
    _cleanup_strv_ char **options = js_to_strv(json_object_get(dns, "options"));
    _cleanup_free_ char *base = NULL, *host_resolv = NULL;
    struct berr *e = NULL;

    if (!js_bool(spec, "noHosts", false)) {
        struct hosts_opts ho = {
            .add_hosts = add, .hostname = hostname, .name = ctr_name(c),
            .aliases = ni->aliases, .ips = ni->ips, .host_ip = ni->host_ip,
        };
        if (fs_read_file("/etc/hosts", &base, NULL, &e) < 0)
            berr_freep(&e);     /* no host file: start from nothing */
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
            .image = js_str(json_object_get(c->cfg, "image"), "name", ""),
            .image_id = js_str(json_object_get(c->cfg, "image"), "id", ""),
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
        r = etc_texts(c, &ni, hostname, private_net, texts, err);
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
    json_t *img = json_object_get(c->cfg, "image");
    struct store *s;
    _cleanup_image_ struct store_image *si = NULL;
    _cleanup_json_ json_t *full = NULL;

    *out = NULL;
    if (!img)
        return 0;
    if (rt_store(rt, &s, err) < 0 || store_image_lookup(s, js_str(img, "id", ""), &si, err) < 0 ||
        store_image_config_json(s, si, &full, err) < 0)
        return berr_wrap(err, "container %s: image", ctr_name(c));
    *out = json_incref(json_object_get(full, "config"));
    return 0;
}

static int build_spec(struct runtime *rt, struct ctr *c, const char *rootfs, const char *rundir,
                      const char *bundle, struct berr **err)
{
    struct spec_host h;
    _cleanup_json_ json_t *img = NULL, *spec = NULL;
    _cleanup_free_ char *shm = str_fmt("%s/shm", bundle), *seccomp = NULL;
    _cleanup_free_ char *nsp[SPEC_NS__COUNT] = { NULL };
    _cleanup_free_ char *dump = NULL;
    static const char *const ns_names[SPEC_NS__COUNT] = { "network", "pid", "ipc", "uts" };
    static const char *const ns_kinds[SPEC_NS__COUNT] = { "net", "pid", "ipc", "uts" };
    int r = -1;

    if (image_config(rt, c, &img, err) < 0)
        return -1;
    if (seccomp_default_path(rt->argv0, &seccomp, err) < 0)
        return -1;
    if (spec_host_probe(&h, environ, err) < 0)
        return -1;
    for (int i = 0; i < SPEC_NS__COUNT; i++) {
        const char *m = ctr_ns_mode(c, ns_names[i]);
        if (str_has_prefix(m, "container:")) {
            if (other_ns_path(rt, m + 10, ns_kinds[i], &nsp[i], err) < 0)
                goto out;
        } else if (str_has_prefix(m, "ns:")) {
            nsp[i] = str_dup(m + 3);
        } else if (i == SPEC_NS_NET && strcmp(m, "bridge") == 0) {
            nsp[i] = str_dup(js_str(c->st, "netNS", ""));
        }
        h.ns_path[i] = nsp[i];
    }
    h.cgroup_manager = rt->cfg->cgroup_manager;
    h.cgroup_parent = js_str(c->cfg, "cgroupParent", NULL);
    h.rootfs = rootfs;
    h.rundir = rundir;
    h.shm_dir = strcmp(ctr_ns_mode(c, "ipc"), "host") ? shm : NULL;
    h.seccomp_default = seccomp;
    /* The spec builder also wants who the container is. */
    {
        long long ns = js_int(c->cfg, "createdNs", 0);
        struct timespec ts = { (time_t) (ns / 1000000000LL), (long) (ns % 1000000000LL) };
        char created[TIME_BUF];
        json_t *in = json_deep_copy(ctr_spec(c));
        int b;

        if (!in) {
            berr_oom(err);
            goto out;
        }
        time_rfc3339nano(ts, created, sizeof(created));
        js_set_str(in, "id", c->id);
        js_set_str(in, "name", ctr_name(c));
        js_set_str(in, "createdTime", created);
        b = spec_build(rt->cfg, in, img, &h, &spec, err);
        json_decref(in);
        if (b < 0)
            goto out;
    }
    dump = spec_dump(spec);
    if (!dump) {
        berr_oom(err);
        goto out;
    }
    r = fs_write_replace(bundle, "config.json", dump, strlen(dump), 0644, err);
out:
    spec_host_free(&h);
    return r;
}

int ctr_prepare(struct runtime *rt, struct ctr *c, struct berr **err)
{
    _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *rundir = ctr_run_dir(rt, c->id);
    _cleanup_free_ char *shm = NULL, *mp = NULL, *hostname = NULL;
    const char *rootfs = js_str(c->cfg, "rootfs", NULL);
    bool private_net;

    if (!bundle || !rundir || !(shm = str_fmt("%s/shm", bundle)))
        return berr_oom(err);
    if (fs_mkdir_p(bundle, 0700, err) < 0 || fs_mkdir_p(rundir, 0700, err) < 0)
        return -1;
    /* root file system */
    if (!js_bool(c->st, "mounted", false)) {
        if (rootfs) {
            mp = str_dup(rootfs);
        } else {
            struct store *s;
            if (rt_store(rt, &s, err) < 0 || store_ctr_mount(s, c->id, &mp, err) < 0)
                goto fail;
        }
        js_set_bool(c->st, "mounted", true);
        js_set_str(c->st, "mountPoint", mp);
        if (ctr_save(rt, c, err) < 0)
            goto fail;
    }
    if (strcmp(ctr_ns_mode(c, "ipc"), "host") != 0 && !js_bool(c->st, "shmMounted", false) &&
        mount_shm(rt, c, shm, err) < 0)
        goto fail;
    if (ctr_net_setup(rt, c, err) < 0)
        goto fail;
    if (ctr_save(rt, c, err) < 0)
        goto fail;
    hostname = str_dup(js_str(ctr_spec(c), "hostname", NULL));
    if (!hostname)
        hostname = str_ndup(c->id, 12);
    private_net = strcmp(ctr_ns_mode(c, "network"), "host") != 0;
    if (write_etc_files(rt, c, rundir, hostname, private_net, err) < 0)
        goto fail;
    if (build_spec(rt, c, js_str(c->st, "mountPoint", ""), rundir, bundle, err) < 0)
        goto fail;
    return 0;
fail:
    ctr_unprepare(rt, c);
    return -1;
}

void ctr_unprepare(struct runtime *rt, struct ctr *c)
{
    _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id);
    struct berr *e = NULL;

    ctr_net_teardown(rt, c);
    if (js_bool(c->st, "shmMounted", false) && bundle) {
        _cleanup_free_ char *shm = str_fmt("%s/shm", bundle);
        if (shm && umount2(shm, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
            log_warn("container %s: unmount shm: %s", c->id, strerror(errno));
        js_set_bool(c->st, "shmMounted", false);
    }
    if (js_bool(c->st, "mounted", false)) {
        if (!js_str(c->cfg, "rootfs", NULL)) {
            struct store *s;
            if (rt_store(rt, &s, &e) < 0 || store_ctr_unmount(s, c->id, false, &e) < 0)
                log_warn("container %s: unmount rootfs: %s", c->id, e->msg);
            berr_freep(&e);
        }
        js_set_bool(c->st, "mounted", false);
        js_set_str(c->st, "mountPoint", "");
    }
    if (ctr_save(rt, c, &e) < 0) {
        log_warn("container %s: %s", c->id, e->msg);
        berr_free(e);
    }
}
