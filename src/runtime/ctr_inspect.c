/*
 * runtime/ctr_inspect.c: `container inspect` in podman 4.3.1's shape
 * (ctr_view.h). Keys are inserted in podman's order (jansson keeps it).
 * Once the container was initialised, the bundle's OCI config.json is
 * the truth for the process (args, env, capabilities, annotations);
 * before that, the create-time configuration and the image's config
 * stand in, as podman's own spec does.
 */
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/seccache.h"
#include "runtime/ctr_int.h"
#include "runtime/ctr_requires.h"
#include "runtime/secret.h"
#include "runtime/health.h"
#include "runtime/ociruntime.h"
#include "runtime/ctr_view.h"
#include "runtime/net/net.h"
#include "runtime/net/ports.h"
#include "runtime/spec.h"
#include "runtime/volume.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/str.h"
#include "util/template.h"
#include "util/timefmt.h"

#define GO_ZERO_TIME "0001-01-01T00:00:00Z"

struct insp {
    struct runtime *rt;
    struct ctr *c;
    json_t *spec;               /* create-time config (borrowed) */
    json_t *oci;                /* bundle config.json, or NULL */
    json_t *img;                /* image config "config", or NULL */
    struct store_image *si;     /* or NULL */
    int state, code;
    long long finished_ns;
    char *bundle, *rundir;
    bool oom;                   /* a setter failed: the object is not whole */
};

/* The object is built by some two hundred setters. Each failure (out of
 * memory, a NULL value from a failed constructor included) is remembered
 * in in->oom, and ctr_inspect_json fails rather than print an object with
 * a key left out. */
static void put(struct insp *in, json_t *o, const char *key, json_t *v)
{
    if (json_object_set_new(o, key, v) < 0)
        in->oom = true;
}

static void add(struct insp *in, json_t *a, json_t *v)
{
    if (json_array_append_new(a, v) < 0)
        in->oom = true;
}

static void extend(struct insp *in, json_t *a, json_t *more)
{
    if (json_array_extend(a, more) < 0)
        in->oom = true;
}

static json_t *rfc3339(long long ns)
{
    char buf[TIME_BUF];
    struct timespec ts = { (time_t) (ns / 1000000000LL), (long) (ns % 1000000000LL) };

    return json_string(ns > 0 ? time_rfc3339nano(ts, buf, sizeof(buf)) : GO_ZERO_TIME);
}

static json_t *arr_or_empty(json_t *v)
{
    return json_is_array(v) ? json_incref(v) : json_array();
}

static json_t *obj_or_null(json_t *v)
{
    return json_object_size(v) ? json_incref(v) : json_null();
}

static char *path_if_exists(const char *dir, const char *name)
{
    char *p = str_fmt("%s/%s", dir, name);
    struct stat sb;

    if (p && stat(p, &sb) < 0) {
        free(p);
        return str_dup("");
    }
    return p;
}

/* entrypoint and cmd as the container runs them */
static void resolve_command(struct insp *in, json_t **ep, json_t **cmd)
{
    json_t *sep = json_object_get(in->spec, "entrypoint");
    json_t *scmd = json_object_get(in->spec, "command");

    if (json_is_array(sep)) {
        *ep = json_array_size(sep) == 1 && !*json_string_value(json_array_get(sep, 0))
                  ? json_array() : json_incref(sep);
        *cmd = arr_or_empty(scmd);      /* podman: a given entrypoint drops the image's Cmd */
        return;
    }
    *ep = arr_or_empty(json_object_get(in->img, "Entrypoint"));
    *cmd = json_is_array(scmd) ? json_incref(scmd) : arr_or_empty(json_object_get(in->img, "Cmd"));
}

static json_t *process_args(struct insp *in)
{
    json_t *a = json_object_get(json_object_get(in->oci, "process"), "args");
    json_t *ep, *cmd, *out;

    if (json_is_array(a))
        return json_incref(a);
    resolve_command(in, &ep, &cmd);
    out = json_array();
    /* --init: the command as the spec will have it, under podman's init */
    if (js_bool(in->spec, "init", false)) {
        add(in, out, json_string("/run/podman-init"));
        add(in, out, json_string("--"));
    }
    extend(in, out, ep);
    extend(in, out, cmd);
    json_decref(ep);
    json_decref(cmd);
    return out;
}

/* .Config.Healthcheck in podman's key order (a zero StartPeriod is left
 * out, as podman's omitempty does). */
static json_t *healthcheck_cfg(json_t *hc)
{
    json_t *o = json_pack("{s:O?, s:O?}", "Test", json_object_get(hc, "Test"),
                          "Interval", json_object_get(hc, "Interval"));

    if (o && js_int(hc, "StartPeriod", 0) > 0)
        (void) json_object_set(o, "StartPeriod", json_object_get(hc, "StartPeriod"));
    if (o)
        (void) json_object_set(o, "Timeout", json_object_get(hc, "Timeout"));
    if (o)
        (void) json_object_set(o, "Retries", json_object_get(hc, "Retries"));
    return o;
}

/* .State.Health: the results kept (runtime/health.c), or podman's empty
 * one for a container without a check or not checked yet. */
static json_t *health_obj(struct insp *in)
{
    json_t *h = in->c->st.health, *log, *e, *out;
    size_t i;

    if (ctr_health_config(&in->c->cfg) && json_is_object(h)) {
        /* records are written with sorted keys: podman's order again */
        log = json_array();
        json_array_foreach(json_object_get(h, "Log"), i, e)
            if (log)
                (void) json_array_append_new(log, json_pack("{s:O?, s:O?, s:O?, s:O?}",
                    "Start", json_object_get(e, "Start"), "End", json_object_get(e, "End"),
                    "ExitCode", json_object_get(e, "ExitCode"), "Output", json_object_get(e, "Output")));
        out = json_pack("{s:s, s:I, s:o?}", "Status", js_str(h, "Status", ""),
                        "FailingStreak", (json_int_t) js_int(h, "FailingStreak", 0), "Log", log);
        return out;
    }
    return json_pack("{s:s, s:i, s:n}", "Status", ctr_health_status(&in->c->cfg, &in->c->st),
                     "FailingStreak", 0, "Log");
}

static json_t *state_obj(struct insp *in)
{
    const struct ctr_runstate *st = &in->c->st;
    json_t *o = json_object();
    bool running = in->state == CS_RUNNING || in->state == CS_PAUSED;
    bool exited = in->state == CS_STOPPED || in->state == CS_EXITED;
    /* a stopping container's process is still there (until it is not) */
    bool has_pid = running || in->state == CS_STOPPING;
    long long pid = has_pid ? st->pid : 0, cpid = st->conmon_pid;

    put(in, o, "OciVersion", json_string("1.0.2-dev"));
    put(in, o, "Status", json_string(ctr_state_shown(in->state)));
    put(in, o, "Running", json_boolean(in->state == CS_RUNNING));
    put(in, o, "Paused", json_boolean(in->state == CS_PAUSED));
    put(in, o, "Restarting", json_false());
    put(in, o, "OOMKilled", json_boolean(st->oom_killed));
    put(in, o, "Dead", json_false());
    put(in, o, "Pid", json_integer(pid));
    if (has_pid && cpid > 0)
        put(in, o, "ConmonPid", json_integer(cpid));
    put(in, o, "ExitCode", json_integer(exited ? in->code : st->exit_code));
    put(in, o, "Error", json_string(in->c->damage ? in->c->damage : ""));
    put(in, o, "StartedAt", rfc3339(st->started_ns));
    put(in, o, "FinishedAt", rfc3339(exited ? in->finished_ns : st->finished_ns));
    put(in, o, "Health", health_obj(in));
    /* berth's own: the health check process (runtime/health_proc.c) */
    put(in, o, "HealthcheckPid", json_integer(has_pid ? st->health_pid : 0));
    if (running) {
        const char *cp = js_str(json_object_get(in->oci, "linux"), "cgroupsPath", NULL);
        if (cp)
            put(in, o, "CgroupPath", json_string(cp));
    }
    put(in, o, "CheckpointedAt", json_string(GO_ZERO_TIME));
    put(in, o, "RestoredAt", json_string(GO_ZERO_TIME));
    return o;
}

/* A list of capability names as podman shows one: sorted, null when
 * empty (takes arr). */
static json_t *caps_shown(struct insp *in, json_t *arr)
{
    _cleanup_strv_ strv v = NULL;
    json_t *out, *x;
    size_t i;

    json_array_foreach(arr, i, x)
        if (json_is_string(x) && !strv_contains(v, json_string_value(x)) &&
            strv_push(&v, json_string_value(x)) < 0)
            in->oom = true;
    json_decref(arr);
    if (!v)
        return json_null();
    strv_sort(v);
    out = json_array();
    for (i = 0; v[i]; i++)
        add(in, out, json_string(v[i]));
    return out;
}

/* The user the process will be, before init resolves it: root unless a
 * user other than root (or 0) is named, by the container or its image. */
static bool runs_as_root(struct insp *in)
{
    const char *u = js_str(in->spec, "user", NULL);
    size_t n;

    if (!u || !*u)
        u = js_str(in->img, "User", "");
    n = strcspn(u, ":");
    return n == 0 || (n == 1 && u[0] == '0') || (n == 4 && !strncmp(u, "root", 4));
}

static json_t *caps_raw(struct insp *in, const char *which)
{
    json_t *c = json_object_get(json_object_get(json_object_get(in->oci, "process"),
                                                "capabilities"), which);
    json_t *out;
    char **def = in->rt->cfg->default_capabilities;

    if (json_is_array(c))
        return json_incref(c);
    if (!in->oci && json_is_true(json_object_get(in->spec, "privileged")))
        return json_array();    /* unknown until init computes the full set */
    /* before init: the defaults with --cap-add/--cap-drop applied; podman's
     * user other than root has only the added ones effective */
    if (!in->oci && !strcmp(which, "effective") && !runs_as_root(in))
        def = NULL;
    out = json_array();
    for (size_t i = 0; def && def[i]; i++) {
        bool dropped = false;
        json_t *d;
        size_t k;
        json_array_foreach(json_object_get(in->spec, "capDrop"), k, d)
            dropped = dropped || str_eq(json_string_value(d), def[i]) ||
                      str_eq(json_string_value(d), "ALL");
        if (!dropped)
            add(in, out, json_string(def[i]));
    }
    {
        json_t *a;
        size_t k;
        json_array_foreach(json_object_get(in->spec, "capAdd"), k, a)
            if (json_is_string(a) && !str_eq(json_string_value(a), "ALL"))
                add(in, out, json_incref(a));
    }
    return out;
}

static json_t *caps(struct insp *in, const char *which)
{
    return caps_shown(in, caps_raw(in, which));
}

/* The sessions recorded on the container (ctr_exec.c). */
static json_t *exec_ids(struct ctr *c)
{
    json_t *a = json_array(), *v;
    const char *k;

    json_object_foreach(c->st.exec_sessions, k, v)
        if (json_array_append_new(a, json_string(k)) < 0)
            break;
    return a;
}

static json_t *graph_driver(struct insp *in)
{
    struct runtime *rt = in->rt;
    const char *drv = rt->cfg->graph_driver && *rt->cfg->graph_driver ? rt->cfg->graph_driver : "overlay";
    _cleanup_free_ char *dir = str_fmt("%s/containers/%s", rt->cfg->graph_root, in->c->id);
    json_t *data = json_object();
    struct store *s = NULL;
    struct berr *e = NULL;

    if (rt_store(rt, &s, &e) == 0)
        drv = store_driver(s);
    berr_free(e);
    if (!in->c->cfg.image_id || !dir)
        return json_pack("{s:s, s:o}", "Name", drv, "Data", data);
    /* podman's: the image's layers under the container's, top first */
    if (s && in->si && str_eq(drv, "overlay")) {
        _cleanup_free_ char *lower = store_image_lowerdir(s, in->si, true);
        if (lower && *lower)
            put(in, data, "LowerDir", json_string(lower));
    }
    if (in->c->st.mounted && str_eq(drv, "overlay"))
        put(in, data, "MergedDir",
                            json_string(in->c->st.mount_point ? in->c->st.mount_point : ""));
    put(in, data, "UpperDir", json_sprintf("%s/diff", dir));
    if (str_eq(drv, "overlay"))
        put(in, data, "WorkDir", json_sprintf("%s/work", dir));
    return json_pack("{s:s, s:o}", "Name", drv, "Data", data);
}

/* podman's parseMountOptionsForInspect: rw/ro into RW, a propagation
 * into Propagation, z/Z into Mode, the rest into Options. */
static void mount_options(struct insp *in, json_t *o, json_t *opts)
{
    json_t *rest = json_array(), *v;
    const char *prop = "", *mode = "";
    bool rw = true;
    size_t i;

    json_array_foreach(opts, i, v) {
        const char *s = json_string_value(v);
        if (!s)
            continue;
        if (str_eq(s, "ro"))
            rw = false;
        else if (str_eq(s, "rw"))
            continue;
        else if (str_eq(s, "shared") || str_eq(s, "slave") || str_eq(s, "private") ||
                 str_eq(s, "rshared") || str_eq(s, "rslave") || str_eq(s, "rprivate") ||
                 str_eq(s, "unbindable") || str_eq(s, "runbindable"))
            prop = s;
        else if (str_eq(s, "z") || str_eq(s, "Z"))
            mode = s;
        else
            add(in, rest, json_incref(v));
    }
    put(in, o, "Mode", json_string(mode));
    put(in, o, "Options", rest ? rest : json_array());
    put(in, o, "RW", json_boolean(rw));
    put(in, o, "Propagation", json_string(prop));
}

/* A volume's mount: its source and driver from its record. */
static json_t *volume_mount(struct insp *in, json_t *m)
{
    const char *name = js_str(m, "name", "");
    json_t *o = json_object();
    struct vol_config vc;
    struct berr *e = NULL;
    bool known = vol_read(in->rt, name, &vc, NULL, &e) == 0;

    berr_free(e);
    put(in, o, "Type", json_string("volume"));
    put(in, o, "Name", json_string(name));
    put(in, o, "Source", json_string(known && vc.mount_point ? vc.mount_point : ""));
    put(in, o, "Destination", json_string(js_str(m, "destination", "")));
    put(in, o, "Driver", json_string(known ? vc.driver : "local"));
    mount_options(in, o, json_object_get(m, "options"));
    if (known)
        vol_config_free(&vc);
    return o;
}

/* podman's order: named volumes, image mounts, then the other mounts
 * (every one a "bind" to inspect), never tmpfs (HostConfig.Tmpfs). */
static json_t *mounts(struct insp *in)
{
    json_t *out = json_array(), *list = json_object_get(in->spec, "mounts"), *m;
    size_t i;

    json_array_foreach(list, i, m)
        if (str_eq(js_str(m, "type", ""), "volume"))
            add(in, out, volume_mount(in, m));
    json_array_foreach(list, i, m) {
        _cleanup_strv_ char **ro_opts = NULL;
        json_t *o;
        if (!str_eq(js_str(m, "type", ""), "image"))
            continue;
        ro_opts = js_to_strv(json_object_get(m, "options"));
        o = json_object();
        put(in, o, "Type", json_string("image"));
        put(in, o, "Source", json_string(js_str(m, "source", "")));
        put(in, o, "Destination", json_string(js_str(m, "destination", "")));
        put(in, o, "Driver", json_string(""));
        put(in, o, "Mode", json_string(""));
        put(in, o, "Options", json_null());
        put(in, o, "RW", json_boolean(!strv_contains(ro_opts, "ro")));
        put(in, o, "Propagation", json_string(""));
        add(in, out, o);
    }
    json_array_foreach(list, i, m) {
        const char *t = js_str(m, "type", "bind");
        json_t *o;
        if (str_eq(t, "tmpfs") || str_eq(t, "volume") || str_eq(t, "image"))
            continue;
        o = json_object();
        put(in, o, "Type", json_string("bind"));
        put(in, o, "Source", json_string(js_str(m, "source", "")));
        put(in, o, "Destination", json_string(js_str(m, "destination", "")));
        put(in, o, "Driver", json_string(""));
        mount_options(in, o, json_object_get(m, "options"));
        add(in, out, o);
    }
    return out;
}

/* {"networks": {name: {aliases, static_ips}}} of the config, the short
 * id added to the aliases as a start adds it; NULL out of memory. */
static json_t *planned_networks(const struct ctr *c)
{
    _cleanup_json_ json_t *nets = json_object();
    char shortid[13];
    const char *name;
    json_t *opts;

    snprintf(shortid, sizeof(shortid), "%.12s", c->id);
    json_object_foreach(c->cfg.networks, name, opts) {
        json_t *aliases = json_array(), *a;
        bool have = false;
        size_t i;
        json_array_foreach(json_object_get(opts, "aliases"), i, a) {
            have |= str_eq(json_string_value(a), shortid);
            json_array_append(aliases, a);
        }
        if (!have)
            json_array_append_new(aliases, json_string(shortid));
        json_t *o = json_pack("{s:o}", "aliases", aliases);
        if (!o || (json_object_get(opts, "static_ips") &&
                   json_object_set(o, "static_ips", json_object_get(opts, "static_ips")) < 0) ||
            json_object_set_new(nets, name, o) < 0)
            return NULL;
    }
    return json_pack("{s:O}", "networks", nets);
}

/* NetworkSettings: podman's empty shape without a bridge network; in
 * bridge mode the network layer renders the stored status. */
static json_t *network_settings(struct insp *in)
{
    struct ctr *c = in->c;
    _cleanup_free_ struct net_port *v = NULL;
    _cleanup_strv_ char **exposed = NULL;
    size_t n = 0;
    struct berr *e = NULL;
    const char *k;
    json_t *x;

    if (str_eq(ctr_ns_mode(c, SPEC_NS_NET), "bridge")) {
        _cleanup_json_ json_t *planned = NULL;
        json_t *status = c->st.network_status;
        if (ports_from_json(c->cfg.port_mappings, &v, &n, &e) < 0)
            berr_freep(&e);
        json_object_foreach(json_object_get(in->img, "ExposedPorts"), k, x)
            if (strv_push(&exposed, k) < 0)
                in->oom = true;
        /* not set up (created, exited): podman shows each network the
         * container is to join, with no addresses, and the aliases a
         * start gives it (the short id among them) */
        if (!json_object_get(status, "networks") && json_object_size(c->cfg.networks)) {
            planned = planned_networks(c);
            if (!planned)
                in->oom = true;
            status = planned;
        }
        return net_inspect_settings(status, v, n, exposed, c->st.net_ns);
    }
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:s, s:b, s:s, s:i, s:o, s:s}",
                     "EndpointID", "", "Gateway", "", "IPAddress", "", "IPPrefixLen", 0,
                     "IPv6Gateway", "", "GlobalIPv6Address", "", "GlobalIPv6PrefixLen", 0,
                     "MacAddress", "", "Bridge", "", "SandboxID", "", "HairpinMode", 0,
                     "LinkLocalIPv6Address", "", "LinkLocalIPv6PrefixLen", 0, "Ports",
                     json_object(), "SandboxKey", "");
}

static json_t *annotations(struct insp *in)
{
    json_t *a = json_object_get(in->oci, "annotations"), *o;
    const char *k;
    json_t *v;

    /* berth's own precompiled seccomp filter (seccache.h) is no annotation
     * of the user's */
    if (json_is_object(a) && json_object_get(a, SECCACHE_ANNOTATION) &&
        !json_object_get(json_object_get(in->spec, "annotations"), SECCACHE_ANNOTATION)) {
        o = json_deep_copy(a);
        json_object_del(o, SECCACHE_ANNOTATION);
        return o;
    }
    if (json_is_object(a))
        return json_incref(a);
    o = json_object();
    put(in, o, "io.kubernetes.cri-o.TTY",
                        json_string(in->c->cfg.terminal ? "true" : "false"));
    put(in, o, "io.podman.annotations.autoremove",
                        json_string(in->c->cfg.auto_remove ? "TRUE" : "FALSE"));
    put(in, o, "io.podman.annotations.init",
                        json_string(js_bool(in->spec, "init", false) ? "TRUE" : "FALSE"));
    put(in, o, "io.podman.annotations.privileged",
                        json_string(js_bool(in->spec, "privileged", false) ? "TRUE" : "FALSE"));
    put(in, o, "io.podman.annotations.publish-all",
                        json_string(js_bool(in->spec, "publishAll", false) ? "TRUE" : "FALSE"));
    json_object_foreach(json_object_get(in->spec, "annotations"), k, v)
        put(in, o, k, json_incref(v));
    return o;
}

static json_t *env_list(struct insp *in)
{
    json_t *e = json_object_get(json_object_get(in->oci, "process"), "env");
    json_t *out;

    if (json_is_array(e)) {
        /* an env secret's value is never shown */
        size_t i;
        json_t *v;

        out = json_array();
        json_array_foreach(e, i, v)
            if (!ctr_secrets_env_var(in->spec, json_string_value(v)))
                add(in, out, json_incref(v));
        return out;
    }
    out = json_array();
    if (json_is_array(json_object_get(in->img, "Env")))
        extend(in, out, json_object_get(in->img, "Env"));
    add(in, out, json_string("TERM=xterm"));
    add(in, out, json_string("container=podman"));
    if (json_is_array(json_object_get(in->spec, "env")))
        extend(in, out, json_object_get(in->spec, "env"));
    return out;
}

static long long stop_signal(struct insp *in)
{
    long long s = js_int(in->spec, "stopSignal", 0);
    const char *is = js_str(in->img, "StopSignal", NULL);

    if (s > 0)
        return s;
    if (is && spec_signal_parse(is) > 0)
        return spec_signal_parse(is);
    return 15;
}

static json_t *config_obj(struct insp *in)
{
    const struct ctr_config *cfg = &in->c->cfg;
    json_t *o = json_object(), *ep, *cmd;
    const char *hn = cfg->hostname;
    const char *user = js_str(in->spec, "user", NULL);
    const char *wd = js_str(in->spec, "workdir", NULL);
    _cleanup_strv_ char **epv = NULL;
    _cleanup_free_ char *eps = NULL;

    resolve_command(in, &ep, &cmd);
    epv = js_to_strv(ep);
    eps = epv ? strv_join(epv, " ") : NULL;
    put(in, o, "Hostname", hn && *hn ? json_string(hn) : json_stringn(in->c->id, 12));
    put(in, o, "Domainname", json_string(""));
    put(in, o, "User", json_string(user ? user : js_str(in->img, "User", "")));
    put(in, o, "AttachStdin", json_false());
    put(in, o, "AttachStdout", json_false());
    put(in, o, "AttachStderr", json_false());
    put(in, o, "Tty", json_boolean(cfg->terminal));
    put(in, o, "OpenStdin", json_boolean(cfg->stdin_open));
    put(in, o, "StdinOnce", json_false());
    put(in, o, "Env", env_list(in));
    put(in, o, "Cmd", json_array_size(cmd) ? json_incref(cmd) : json_null());
    put(in, o, "Image", json_string(ctr_image_name(in->c)));
    put(in, o, "Volumes", json_null());
    put(in, o, "WorkingDir", json_string(wd && *wd ? wd : js_str(in->img, "WorkingDir", "/")[0]
                                                                     ? js_str(in->img, "WorkingDir", "/") : "/"));
    put(in, o, "Entrypoint", json_string(eps ? eps : ""));
    put(in, o, "OnBuild", json_null());
    put(in, o, "Labels", obj_or_null(cfg->labels));
    put(in, o, "Annotations", annotations(in));
    put(in, o, "StopSignal", json_integer(stop_signal(in)));
    if (ctr_health_config(cfg))
        put(in, o, "Healthcheck", healthcheck_cfg(ctr_health_config(cfg)));
    else if (json_is_object(json_object_get(in->spec, "healthcheck")))
        put(in, o, "Healthcheck", healthcheck_cfg(json_object_get(in->spec, "healthcheck")));
    else if (js_bool(in->spec, "noHealthcheck", false))
        put(in, o, "Healthcheck", json_pack("{s:[s]}", "Test", "NONE"));    /* podman's */
    if (ctr_health_config(cfg) && json_is_object(json_object_get(in->spec, "startupHealthcheck")))
        put(in, o, "StartupHealthCheck", json_deep_copy(json_object_get(in->spec, "startupHealthcheck")));
    put(in, o, "HealthcheckOnFailureAction", json_string(js_str(in->spec, "healthOnFailure", "none")));
    if (cfg->create_command)
        put(in, o, "CreateCommand", json_incref(cfg->create_command));
    if (js_bool(in->spec, "systemdMode", false))
        put(in, o, "SystemdMode", json_true());
    if (js_str(in->spec, "timezone", NULL))
        put(in, o, "Timezone", json_string(js_str(in->spec, "timezone", "")));
    {
        /* podman's: four octal digits, whatever was typed */
        const char *um = js_str(in->spec, "umask", in->rt->cfg->umask ? in->rt->cfg->umask : "0022");
        char *end = NULL, buf[16];
        unsigned long v = strtoul(um, &end, 8);
        if (end && !*end && *um && v <= 07777)
            snprintf(buf, sizeof(buf), "%04lo", v);
        else
            snprintf(buf, sizeof(buf), "%s", um);
        put(in, o, "Umask", json_string(buf));
    }
    {
        json_t *secrets = ctr_secrets_inspect(in->spec);
        if (secrets)
            put(in, o, "Secrets", secrets);
    }
    put(in, o, "Timeout", json_integer(js_int(in->spec, "timeout", 0)));
    put(in, o, "StopTimeout", json_integer(cfg->stop_timeout));
    put(in, o, "Passwd", json_boolean(js_bool(in->spec, "passwd", true)));
    if (json_array_size(json_object_get(in->spec, "chrootDirs")))
        put(in, o, "ChrootDirs", json_incref(json_object_get(in->spec, "chrootDirs")));
    put(in, o, "sdNotifyMode", json_string(js_str(in->spec, "sdNotifyMode", "container")));
    json_decref(ep);
    json_decref(cmd);
    return o;
}

/* A tmpfs's options as podman keeps them: notmpcopyup is only a flag
 * (no tmpcopyup is added), never listed. */
static json_t *tmpfs_options(char **opts)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    for (size_t i = 0; opts && opts[i]; i++)
        if (!str_eq(opts[i], "notmpcopyup") &&
            sbuf_addf(&b, "%s%s", b.len ? "," : "", opts[i]) < 0)
            return NULL;        /* put() counts it as out of memory */
    return json_string(sbuf_str(&b));
}

/* HostConfig.Binds ("NAME:/dst:opts" for volumes first, "/src:/dst:opts"
 * for the other mounts) and HostConfig.Tmpfs, as podman lists them. */
static json_t *binds(struct insp *in, json_t **tmpfs)
{
    json_t *out = json_array(), *list = json_object_get(in->spec, "mounts"), *m;
    size_t i;

    *tmpfs = json_object();
    for (int pass = 0; pass < 2; pass++)
        json_array_foreach(list, i, m) {
            _cleanup_strv_ char **opts = js_to_strv(json_object_get(m, "options"));
            _cleanup_free_ char *o = opts ? strv_join(opts, ",") : str_dup("");
            const char *t = js_str(m, "type", "bind");
            bool vol = str_eq(t, "volume");
            if ((pass == 0) != vol || str_eq(t, "image"))
                continue;
            if (str_eq(t, "tmpfs"))
                put(in, *tmpfs, js_str(m, "destination", ""), tmpfs_options(opts));
            else
                add(in, out, json_sprintf("%s:%s%s%s", js_str(m, vol ? "name" : "source", ""),
                                          js_str(m, "destination", ""), o && *o ? ":" : "",
                                          o ? o : ""));
        }
    return out;
}

static json_t *port_bindings(struct insp *in)
{
    _cleanup_free_ struct net_port *v = NULL;
    size_t n = 0;
    struct berr *e = NULL;

    if (ports_from_json(in->c->cfg.port_mappings, &v, &n, &e) < 0) {
        berr_free(e);
        return json_object();
    }
    return ports_inspect(v, n, NULL);
}

static json_t *dns_list(struct insp *in, const char *key)
{
    return arr_or_empty(json_object_get(in->c->cfg.dns, key));
}

static json_t *log_config(struct insp *in)
{
    long long max = in->c->cfg.log_size_max;
    _cleanup_free_ char *path = ctr_log_path(in->rt, in->c), *size = NULL;

    if (max > 0)
        size = hum_size_prec((double) max, 4, "");
    return json_pack("{s:s, s:n, s:s, s:s, s:s}", "Type", in->c->cfg.log_driver, "Config",
                     "Path", path ? path : "", "Tag", in->c->cfg.log_tag ? in->c->cfg.log_tag : "",
                     "Size", size ? size : "0B");
}

/* --blkio-weight-device and the throttles: [{Path, Weight|Rate}], null
 * when there are none as podman's (a nil slice; templates see []) */
static json_t *blkio_devices(json_t *r, const char *key, const char *val, const char *name)
{
    json_t *in = json_object_get(r, key), *out, *e;
    size_t i;

    if (!json_array_size(in))
        return json_null();
    out = json_array();
    json_array_foreach(in, i, e)
        json_array_append_new(out, json_pack("{s:s, s:I}", "Path", js_str(e, "path", ""), name,
                                             (json_int_t) js_int(e, val, 0)));
    return out;
}

static void set_resources(struct insp *in, json_t *o)
{
    json_t *r = json_object_get(in->spec, "resources");
    double cpus = json_number_value(json_object_get(r, "cpus"));
    long long pids = js_int(r, "pidsLimit", 0);

    put(in, o, "CpuShares", json_integer(js_int(r, "cpuShares", 0)));
    put(in, o, "Memory", json_integer(js_int(r, "memory", 0)));
    put(in, o, "NanoCpus", json_integer((long long) (cpus * 1e9)));
    put(in, o, "CgroupParent", json_string(in->c->cfg.cgroup_parent ? in->c->cfg.cgroup_parent : ""));
    put(in, o, "BlkioWeight", json_integer(js_int(r, "blkioWeight", 0)));
    put(in, o, "BlkioWeightDevice", blkio_devices(r, "blkioWeightDevice", "weight", "Weight"));
    put(in, o, "BlkioDeviceReadBps", blkio_devices(r, "blkioReadBps", "rate", "Rate"));
    put(in, o, "BlkioDeviceWriteBps", blkio_devices(r, "blkioWriteBps", "rate", "Rate"));
    put(in, o, "BlkioDeviceReadIOps", blkio_devices(r, "blkioReadIops", "rate", "Rate"));
    put(in, o, "BlkioDeviceWriteIOps", blkio_devices(r, "blkioWriteIops", "rate", "Rate"));
    put(in, o, "CpuPeriod", json_integer(cpus > 0 ? 100000 : js_int(r, "cpuPeriod", 0)));
    put(in, o, "CpuQuota", json_integer(cpus > 0 ? (long long) (cpus * 100000) : js_int(r, "cpuQuota", 0)));
    put(in, o, "CpuRealtimePeriod", json_integer(js_int(r, "cpuRtPeriod", 0)));
    put(in, o, "CpuRealtimeRuntime", json_integer(js_int(r, "cpuRtRuntime", 0)));
    put(in, o, "CpusetCpus", json_string(js_str(r, "cpusetCpus", "")));
    put(in, o, "CpusetMems", json_string(js_str(r, "cpusetMems", "")));
    put(in, o, "Devices", arr_or_empty(NULL));
    put(in, o, "DiskQuota", json_integer(0));
    put(in, o, "KernelMemory", json_integer(0));
    put(in, o, "MemoryReservation", json_integer(js_int(r, "memoryReservation", 0)));
    /* podman's from the OCI memory block: swap twice the memory unless
     * given, swappiness -1 unless given once there is a block at all */
    long long mem = js_int(r, "memory", 0);
    bool mem_block = mem > 0 || json_object_get(r, "memorySwap") ||
                     json_object_get(r, "memoryReservation") ||
                     json_object_get(r, "memorySwappiness") || js_bool(r, "oomKillDisable", false);
    put(in, o, "MemorySwap", json_integer(json_object_get(r, "memorySwap") ? js_int(r, "memorySwap", 0)
                                          : mem > 0 ? 2 * mem : 0));
    put(in, o, "MemorySwappiness", json_integer(json_object_get(r, "memorySwappiness")
                                                ? js_int(r, "memorySwappiness", 0)
                                                : mem_block ? -1 : 0));
    put(in, o, "OomKillDisable", json_boolean(js_bool(r, "oomKillDisable", false)));
    if (js_bool(in->spec, "init", false))
        put(in, o, "Init", json_true());     /* podman's omitempty */
    put(in, o, "PidsLimit", json_integer(pids > 0 ? pids : r && json_object_get(r, "pidsLimit")
                                                                  ? 0 : in->rt->cfg->pids_limit));
    put(in, o, "Ulimits", arr_or_empty(NULL));
    put(in, o, "CpuCount", json_integer(0));
    put(in, o, "CpuPercent", json_integer(0));
    put(in, o, "IOMaximumIOps", json_integer(0));
    put(in, o, "IOMaximumBandwidth", json_integer(0));
    put(in, o, "CgroupConf", json_object_size(json_object_get(r, "unified"))
                                 ? json_incref(json_object_get(r, "unified")) : json_null());
}

static const char *ns_mode_name(struct insp *in, enum spec_ns which, const char *priv)
{
    const char *m = ctr_ns_mode(in->c, which);
    return str_eq(m, "private") ? priv : m;
}

/* --device: podman's {PathOnHost, PathInContainer, CgroupPermissions} */
static json_t *devices(struct insp *in)
{
    json_t *dev = json_array(), *d;
    size_t i;

    json_array_foreach(json_object_get(in->spec, "devices"), i, d) {
        _cleanup_strv_ char **p = strv_split(json_string_value(d) ? json_string_value(d) : "", ":");
        size_t n = p ? strv_len(p) : 0;
        if (!p)
            in->oom = true;
        if (!n)
            continue;
        add(in, dev, json_pack("{s:s, s:s, s:s}", "PathOnHost", p[0], "PathInContainer",
                               n > 1 ? p[1] : p[0], "CgroupPermissions", n > 2 ? p[2] : ""));
    }
    return dev;
}

/* --ulimit name=soft[:hard] as {Name, Soft, Hard} */
static json_t *ulimits(struct insp *in)
{
    json_t *ul = spec_rlimits_inspect(in->rt->cfg, in->spec);

    if (!ul)
        in->oom = true;
    return ul ? ul : json_array();
}

static json_t *hostconfig_obj(struct insp *in)
{
    const struct ctr_config *cfg = &in->c->cfg;
    json_t *o = json_object(), *tmpfs = NULL, *sec;
    const char *pol = cfg->restart_policy;

    put(in, o, "Binds", binds(in, &tmpfs));
    put(in, o, "CgroupManager", json_string(in->rt->cfg->cgroup_manager ? in->rt->cfg->cgroup_manager : "cgroupfs"));
    put(in, o, "CgroupMode", json_string(*ctr_ns_mode(in->c, SPEC_NS_CGROUP)
                                         ? ns_mode_name(in, SPEC_NS_CGROUP, "private")
                                         : spec_cgroup2_unified() ? "private" : "host"));
    put(in, o, "ContainerIDFile", json_string(cfg->cid_file ? cfg->cid_file : ""));
    put(in, o, "LogConfig", log_config(in));
    put(in, o, "NetworkMode", json_string(ctr_ns_mode(in->c, SPEC_NS_NET)));
    put(in, o, "PortBindings", port_bindings(in));
    put(in, o, "RestartPolicy", json_pack("{s:s, s:I}", "Name", pol ? pol : "",
                                                      "MaximumRetryCount",
                                                      (json_int_t) cfg->restart_retries));
    put(in, o, "AutoRemove", json_boolean(cfg->auto_remove));
    put(in, o, "VolumeDriver", json_string(""));
    put(in, o, "VolumesFrom", json_array_size(json_object_get(in->spec, "volumesFrom"))
                                  ? json_deep_copy(json_object_get(in->spec, "volumesFrom"))
                                  : json_null());
    put(in, o, "CapAdd", arr_or_empty(json_object_get(in->spec, "capAdd")));
    {
        /* podman's: --cap-drop all is the default set, dropped */
        json_t *drop = json_object_get(in->spec, "capDrop"), *d;
        size_t k;
        bool all = false;
        json_array_foreach(drop, k, d)
            all |= str_eq(json_string_value(d), "ALL");
        if (all) {
            json_t *l = json_array();
            for (char **def = in->rt->cfg->default_capabilities; def && *def; def++)
                add(in, l, json_string(*def));
            put(in, o, "CapDrop", caps_shown(in, l));
        } else {
            put(in, o, "CapDrop", arr_or_empty(drop));
        }
    }
    put(in, o, "Dns", dns_list(in, "servers"));
    put(in, o, "DnsOptions", dns_list(in, "options"));
    put(in, o, "DnsSearch", dns_list(in, "search"));
    put(in, o, "ExtraHosts", arr_or_empty(cfg->add_hosts));
    put(in, o, "GroupAdd", arr_or_empty(json_object_get(in->spec, "groups")));
    put(in, o, "IpcMode", json_string(ns_mode_name(in, SPEC_NS_IPC, "shareable")));
    put(in, o, "Cgroup", json_string(""));
    put(in, o, "Cgroups", json_string("default"));
    put(in, o, "Links", json_null());
    put(in, o, "OomScoreAdj", json_integer(js_int(in->spec, "oomScoreAdj", 0)));
    put(in, o, "PidMode", json_string(ns_mode_name(in, SPEC_NS_PID, "private")));
    put(in, o, "Privileged", json_boolean(js_bool(in->spec, "privileged", false)));
    put(in, o, "PublishAllPorts", json_boolean(js_bool(in->spec, "publishAll", false)));
    put(in, o, "ReadonlyRootfs", json_boolean(js_bool(in->spec, "readOnly", false)));
    /* podman's from what it applies: no-new-privileges bare, and not at
     * all when false */
    sec = json_array();
    {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(in->spec, "securityOpts"), i, v) {
            const char *t = json_string_value(v);
            if (str_eq(t, "no-new-privileges=false"))
                continue;
            add(in, sec, json_string(str_eq(t, "no-new-privileges=true") ? "no-new-privileges" : t));
        }
    }
    put(in, o, "SecurityOpt", sec);
    put(in, o, "Tmpfs", tmpfs);
    put(in, o, "UTSMode", json_string(ns_mode_name(in, SPEC_NS_UTS, "private")));
    {
        /* podman: "" for the host's; the maps of a namespace of its own */
        const char *um = ctr_ns_mode(in->c, SPEC_NS_USER);
        put(in, o, "UsernsMode", json_string(str_eq(um, "host") ? "" : um));
        if (str_eq(um, "private"))
            put(in, o, "IDMappings", json_pack("{s:O, s:O}", "UidMap", json_object_get(in->spec, "uidMap"),
                                               "GidMap", json_object_get(in->spec, "gidMap")));
    }
    put(in, o, "ShmSize", json_integer(ctr_shm_size(in->rt, in->c)));
    put(in, o, "Runtime", json_string("oci"));
    put(in, o, "ConsoleSize", json_pack("[i, i]", 0, 0));
    put(in, o, "Isolation", json_string(""));
    set_resources(in, o);
    put(in, o, "Devices", devices(in));
    put(in, o, "Ulimits", ulimits(in));
    return o;
}

static int load(struct insp *in, struct berr **err)
{
    struct runtime *rt = in->rt;
    const char *img = in->c->cfg.image_id;
    _cleanup_free_ char *ocip = NULL;
    struct store *s;
    struct berr *e = NULL;

    in->spec = in->c->cfg.spec;
    in->bundle = ctr_bundle_dir(rt, in->c->id);
    in->rundir = ctr_run_dir(rt, in->c->id);
    if (!in->bundle || !in->rundir || !(ocip = str_fmt("%s/config.json", in->bundle)))
        return berr_oom(err);
    if (access(ocip, F_OK) == 0 && js_read_file(ocip, &in->oci, &e) < 0)
        berr_freep(&e);     /* a broken bundle file: fall back to the records */
    if (ctr_view_state(rt, in->c->id, &in->c->st, &in->state, &in->code, &in->finished_ns) < 0)
        in->state = ctr_state(in->c);
    /* The image's config fills what create left to the image. A removed
     * image is no error for inspect. */
    if (img && rt_store(rt, &s, &e) == 0 &&
        store_image_lookup(s, img, &in->si, &e) == 0) {
        _cleanup_json_ json_t *full = NULL;
        if (store_image_config_json(s, in->si, &full, &e) == 0)
            in->img = json_incref(json_object_get(full, "config"));
    }
    berr_free(e);
    return 0;
}

static void insp_free(struct insp *in)
{
    json_decref(in->oci);
    json_decref(in->img);
    store_image_free(in->si);
    free(in->bundle);
    free(in->rundir);
}

int ctr_inspect_json(struct runtime *rt, struct ctr *c, bool size, json_t **out, struct berr **err)
{
    _cleanup_(insp_free) struct insp in = { .rt = rt, .c = c };
    _cleanup_json_ json_t *o = json_object();
    _cleanup_free_ char *rc = NULL, *hn = NULL, *hs = NULL, *ocip = NULL;
    _cleanup_free_ char *cpid = NULL, *pidf = NULL;
    json_t *args;
    const char *img = c->cfg.image_id, *rtname = c->cfg.runtime;

    if (!o || load(&in, err) < 0)
        return o ? -1 : berr_oom(err);
    rc = path_if_exists(in.rundir, "resolv.conf");
    hn = path_if_exists(in.rundir, "hostname");
    hs = path_if_exists(in.rundir, "hosts");
    ocip = path_if_exists(in.bundle, "config.json");
    cpid = ctr_conmon_pid_file(rt, c);
    pidf = ctr_pid_file(rt, c);
    args = process_args(&in);

    put(&in, o, "Id", json_string(c->id));
    put(&in, o, "Created", rfc3339(c->cfg.created_ns));
    put(&in, o, "Path", json_string(json_array_size(args) ? json_string_value(json_array_get(args, 0)) : ""));
    {
        /* podman's: the arguments after the path, or the path alone */
        json_t *rest = json_array();
        for (size_t i = json_array_size(args) > 1 ? 1 : 0; i < json_array_size(args); i++)
            add(&in, rest, json_incref(json_array_get(args, i)));
        put(&in, o, "Args", rest);
    }
    json_decref(args);
    put(&in, o, "State", state_obj(&in));
    put(&in, o, "Image", json_string(img ? img : ""));
    put(&in, o, "ImageDigest", json_string(in.si && in.si->digest ? in.si->digest : ""));
    put(&in, o, "ImageName", json_string(ctr_image_name(c)));
    put(&in, o, "Rootfs", json_string(c->cfg.rootfs ? c->cfg.rootfs : ""));
    put(&in, o, "Pod", json_string(js_str(c->cfg.rec, "pod", "")));
    put(&in, o, "ResolvConfPath", json_string(rc ? rc : ""));
    put(&in, o, "HostnamePath", json_string(hn ? hn : ""));
    put(&in, o, "HostsPath", json_string(hs ? hs : ""));
    put(&in, o, "StaticDir", json_string(in.bundle));
    if (ocip && *ocip)
        put(&in, o, "OCIConfigPath", json_string(ocip));
    put(&in, o, "OCIRuntime", json_string(*rtname ? rtname : oci_runtime_default_name(rt->cfg)));
    put(&in, o, "ConmonPidFile", json_string(cpid ? cpid : ""));
    put(&in, o, "PidFile", json_string(pidf ? pidf : ""));
    put(&in, o, "Name", json_string(ctr_name(c)));
    put(&in, o, "RestartCount", json_integer(c->st.restart_count));
    {
        json_t *gd = graph_driver(&in);
        put(&in, o, "Driver", json_incref(json_object_get(gd, "Name")));
        put(&in, o, "MountLabel", json_string(""));
        put(&in, o, "ProcessLabel", json_string(""));
        put(&in, o, "AppArmorProfile", json_string(""));
        put(&in, o, "EffectiveCaps", caps(&in, "effective"));
        put(&in, o, "BoundingCaps", caps(&in, "bounding"));
        put(&in, o, "ExecIDs", exec_ids(c));
        put(&in, o, "GraphDriver", gd);
    }
    if (size) {
        struct store *s;
        int64_t rw = 0;
        struct berr *e = NULL;
        if (img && (rt_store(rt, &s, &e) < 0 || store_ctr_size(s, c->id, &rw, &e) < 0))
            berr_freep(&e);
        put(&in, o, "SizeRw", json_integer(rw));
        put(&in, o, "SizeRootFs", json_integer(rw + (in.si ? in.si->size : 0)));
    }
    put(&in, o, "Mounts", mounts(&in));
    put(&in, o, "Dependencies", ctr_requires_ids(&c->cfg));
    put(&in, o, "NetworkSettings", network_settings(&in));
    put(&in, o, "Namespace", json_string(c->cfg.ns));
    put(&in, o, "IsInfra", json_boolean(js_bool(c->cfg.rec, "isInfra", false)));
    put(&in, o, "IsService", json_false());
    put(&in, o, "Config", config_obj(&in));
    put(&in, o, "HostConfig", hostconfig_obj(&in));
    if (in.oom)
        return berr_oom(err);
    *out = STEAL_PTR(o);
    return 0;
}

void ctr_inspect_template_times(json_t *obj)
{
    json_t *st = json_object_get(obj, "State");

    tmpl_go_time(obj, "Created");
    tmpl_go_time(st, "StartedAt");
    tmpl_go_time(st, "FinishedAt");
    tmpl_go_time(st, "CheckpointedAt");
    tmpl_go_time(st, "RestoredAt");
}
