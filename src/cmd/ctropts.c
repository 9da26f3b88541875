/*
 * cmd/ctropts.c: the option tables of `create` and `run` and the loop that
 * turns argv into struct ctropts (see ctropts.h). Single values are
 * checked as they come (ctropts_parse.c, ctropts_mounts.c); what depends
 * on several flags (networks, memory vs swap, --rm vs --restart, attach
 * streams) is settled once all flags are in, in finish().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/ctropts_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/log.h"



void ctropts_free(struct ctropts *o)
{
    json_decref(o->ctr);
    free(o->image);
    free(o->name);
    free(o->detach_keys);
    free(o->cidfile);
    free(o->log_driver);
    free(o->log_path);
    free(o->log_tag);
    free(o->cgroup_parent);
    free(o->pod);
    for (size_t i = 0; i < o->nnetworks; i++) {
        free(o->networks[i].name);
        strv_free(o->networks[i].aliases);
        free(o->networks[i].ip);
        free(o->networks[i].ip6);
        free(o->networks[i].mac);
        free(o->networks[i].interface_name);
    }
    free(o->networks);
    strv_free(o->ports);
    strv_free(o->expose);
    strv_free(o->dns);
    strv_free(o->dns_search);
    strv_free(o->dns_options);
    strv_free(o->add_hosts);
    json_decref(o->params_json);
    memset(o, 0, sizeof(*o));
}

static void pstate_free(struct pstate *p)
{
    json_decref(p->fenv);
    json_decref(p->env);
    json_decref(p->flabels);
    json_decref(p->labels);
    json_decref(p->annotations);
    json_decref(p->mounts);
    json_decref(p->volumes_from);
    json_decref(p->sysctls);
    resopts_free(&p->res);
    json_decref(p->ns);
    json_decref(p->health);
    strv_free(p->networks);
    strv_free(p->aliases);
}

static int set_new(json_t *obj, const char *key, json_t *v, struct berr **err)
{
    return !v || json_object_set_new(obj, key, v) < 0 ? berr_oom(err) : 0;
}

static int append_str(json_t *ctr, const char *key, const char *s, struct berr **err)
{
    json_t *a = json_object_get(ctr, key);

    if (!a && set_new(ctr, key, a = json_array(), err) < 0)
        return -1;
    return json_array_append_new(a, json_string(s)) < 0 ? berr_oom(err) : 0;
}

/* A size flag; ctx prefixes the error, as podman words it. */
static int parse_size(const char *v, const char *ctx, long long *out, struct berr **err)
{
    if (ctropts_parse_size(v, out, err) < 0)
        return berr_wrap(err, "%s", ctx);
    return 0;
}

static int entrypoint(json_t *ctr, const char *v, struct berr **err)
{
    json_t *ep = NULL;

    if (v[0] == '[') {
        ep = json_loads(v, 0, NULL);
        size_t i;
        json_t *e;
        bool ok = json_is_array(ep);
        json_array_foreach(ep, i, e)
            ok &= json_is_string(e);
        if (!ok) {
            json_decref(ep);
            ep = NULL;
        }
    }
    if (!ep)
        ep = *v ? json_pack("[s]", v) : json_array();
    return set_new(ctr, "entrypoint", ep, err);
}

static int attach_stream(struct ctropts *o, const char *s, struct berr **err)
{
    o->attach_given = true;
    if (strcasecmp(s, "stdin") == 0)
        o->attach_stdin = true;
    else if (strcasecmp(s, "stdout") == 0)
        o->attach_stdout = true;
    else if (strcasecmp(s, "stderr") == 0)
        o->attach_stderr = true;
    else
        return cp_inval(err, "invalid stream \"%s\" for --attach - must be one of stdin, stdout, or stderr: invalid argument", s);
    return 0;
}

static int log_opt(struct ctropts *o, const char *kv, struct berr **err)
{
    const char *eq = strchr(kv, '=');

    if (!eq)
        return cp_inval(err, "invalid log option \"%s\"", kv);
    if (str_has_prefix(kv, "max-size=")) {
        if (hum_parse_size_si(eq + 1, &o->log_max_size) < 0)
            return cp_inval(err, "invalid size: '%s'", eq + 1);
    } else if (str_has_prefix(kv, "path=")) {
        free(o->log_path);
        if (!(o->log_path = cp_abs_path(eq + 1)))
            return berr_oom(err);
    } else if (str_has_prefix(kv, "tag=")) {
        free(o->log_tag);
        if (!(o->log_tag = str_dup(eq + 1)))
            return berr_oom(err);
    } else {
        log_warn("log option %.*s is not supported by berth and is ignored", (int) (eq - kv), kv);
    }
    return 0;
}

static int log_driver(struct ctropts *o, const char *v, struct berr **err)
{
    /* json-file: podman's alias, recorded as given (inspect's LogConfig.Type);
     * the log is k8s-file's format all the same (conmon.c) */
    if (strcmp(v, "json-file") != 0 && strcmp(v, "k8s-file") != 0 && strcmp(v, "none") != 0 &&
        strcmp(v, "passthrough") != 0 &&
        strcmp(v, "journald") != 0)     /* journald: checked at create, as podman's */
        return cp_inval(err, "running container create option: invalid log driver: invalid argument");
    free(o->log_driver);
    o->log_driver = str_dup(v);
    return o->log_driver ? 0 : berr_oom(err);
}

static int pull_policy(struct ctropts *o, const char *v, struct berr **err)
{
    static const char *const names[] = { "missing", "never", "always", "newer" };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (strcmp(v, names[i]) == 0) {
            o->pull = (enum ctr_pull) i;
            return 0;
        }
    }
    return cp_inval(err, "unsupported pull policy \"%s\"", v);
}

static int stop_signal(json_t *ctr, const char *v, struct berr **err)
{
    int s = ctropts_parse_signal(v);
    long long n;

    if (s < 0) {
        if (str_to_ll(v, &n) == 0 && n > 0)
            return cp_inval(err, "valid signals are 1 through 64");
        return cp_inval(err, "invalid signal: %s", v);
    }
    return set_new(ctr, "stopSignal", json_integer(s), err);
}

static int cidfile(struct ctropts *o, const char *v, struct berr **err)
{
    _cleanup_free_ char *dir = fs_dirname(v);
    struct stat st;

    if (!dir)
        return berr_oom(err);
    if (lstat(v, &st) == 0)
        return cp_inval(err, "container id file exists. Ensure another container is not using it or delete %s", v);
    if (!fs_is_dir(dir))
        return cp_inval(err, "opening cidfile %s", v);
    free(o->cidfile);
    o->cidfile = str_dup(v);
    return o->cidfile ? 0 : berr_oom(err);
}

/* key = the entry of words that v spells in any case; else msg (with v). */
static int one_of_nocase(json_t *ctr, const char *key, const char *v, const char *const *words,
                         const char *msg, struct berr **err)
{
    for (size_t i = 0; words[i]; i++)
        if (strcasecmp(v, words[i]) == 0)
            return js_set_str(ctr, key, words[i]) < 0 ? berr_oom(err) : 0;
    return cp_inval(err, msg, v);
}

/* --preserve-fds N: fds 3..3+N-1 must be open now, as podman checks */
static int preserve_fds(struct ctropts *o, struct opt_it *it, struct berr **err)
{
    unsigned long long n;

    if (opt_uint(it, &n, err) < 0)
        return -1;
    if (n > 1000)
        return cp_inval(err, "--preserve-fds %llu: too many file descriptors", n);
    for (int fd = 3; fd < 3 + (int) n; fd++)
        if (fcntl(fd, F_GETFD) < 0)
            return cp_inval(err, "file descriptor %d is not available - the preserve-fds option requires that file descriptors must be passed", fd);
    o->preserve_fds = (unsigned) n;
    return 0;
}

/* --pidfile, --conmon-pidfile: absolute from our working directory
 * (conmon runs in the bundle, where podman lets a relative one land), in
 * a directory that exists (podman finds out at start, if at all). */
static int abs_path(json_t *ctr, const char *key, const char *v, struct berr **err)
{
    _cleanup_free_ char *cwd = NULL, *joined = NULL, *dir = NULL;

    if (!*v)
        return 0;
    if (v[0] != '/') {
        if (!(cwd = getcwd(NULL, 0)))
            return berr_sys(err, "getcwd");
        if (!(joined = fs_join(cwd, v)))
            return berr_oom(err);
    }
    if (!(dir = fs_dirname(joined ? joined : v)))
        return berr_oom(err);
    if (!fs_is_dir(dir))
        return cp_inval(err, "invalid --%s %s: %s is not a directory",
                        strcmp(key, "pidFile") ? "conmon-pidfile" : "pidfile", v, dir);
    return js_set_str(ctr, key, joined ? joined : v) < 0 ? berr_oom(err) : 0;
}

/* Applies fn to every field of a pflag "strings" value. */
#define EACH_CSV(val, var, body)                                                          \
    do {                                                                                  \
        _cleanup_strv_ strv l_ = NULL;                                                    \
        if (cp_split_csv((val), &l_, err) < 0)                                            \
            return -1;                                                                    \
        for (size_t i_ = 0; l_ && l_[i_]; i_++) {                                         \
            const char *var = l_[i_];                                                     \
            body                                                                          \
        }                                                                                 \
    } while (0)

/* A group of options below returns this for an option of another group. */
#define NOT_MINE 1

/* How berth runs the container: the fields of struct ctropts (attach,
 * detach, naming, logging, removal, restart, timeouts). */
/* --pod NAME|new:NAME, --pod-id-file FILE (the pod's id, read now, as
 * podman reads it) */
static int pod_ref(struct ctropts *o, bool file, const char *v, struct berr **err)
{
    _cleanup_free_ char *text = NULL;

    if (file) {
        if (fs_read_file(v, &text, NULL, err) < 0)
            return berr_wrap(err, "reading pod ID file");
        text[strcspn(text, "\r\n")] = '\0';
        v = text;
    }
    free(o->pod);
    return (o->pod = str_dup(v)) ? 0 : berr_oom(err);
}

static int opt_run(struct pstate *p, struct opt_it *it, struct berr **err)
{
    struct ctropts *o = p->o;
    json_t *ctr = p->ctr;
    const char *v = it->arg;

    switch (it->opt->id) {
    case 'a':
        EACH_CSV(v, s, if (attach_stream(o, s, err) < 0) return -1;);
        return 0;
    case 'd': o->detach = it->bval; return 0;
    case 'i': o->interactive = it->bval; return 0;
    case 'q': o->quiet = it->bval; return 0;
    case 't': o->tty = it->bval; return 0;
    case O_CGROUP_PARENT:
        free(o->cgroup_parent);
        return (o->cgroup_parent = str_dup(v)) ? 0 : berr_oom(err);
    case O_CIDFILE: return cidfile(o, v, err);
    case O_POD: case O_POD_ID_FILE: return pod_ref(o, it->opt->id == O_POD_ID_FILE, v, err);
    case O_PIDFILE: return abs_path(ctr, "pidFile", v, err);
    case O_CONMON_PIDFILE: return abs_path(ctr, "conmonPidFile", v, err);
    case O_DETACH_KEYS:
        if (cp_detach_keys_check(v, err) < 0)
            return -1;
        free(o->detach_keys);
        return (o->detach_keys = str_dup(v)) ? 0 : berr_oom(err);
    case O_LOG_DRIVER: return log_driver(o, v, err);
    case O_LOG_OPT:
        EACH_CSV(v, s, if (log_opt(o, s, err) < 0) return -1;);
        return 0;
    case O_NAME:
        free(o->name);
        o->name = NULL;
        if (!*v) {      /* podman: --name "" is no name */
            json_object_del(ctr, "name");
            return 0;
        }
        if (cp_name_check(v, err) < 0)
            return -1;
        if (!(o->name = str_dup(v)))
            return berr_oom(err);
        return js_set_str(ctr, "name", v) < 0 ? berr_oom(err) : 0;
    case O_PULL: return pull_policy(o, v, err);
    case O_ARCH: o->arch = v; return 0;
    case O_OS: o->os = v; return 0;
    case O_VARIANT: o->variant = v; return 0;
    case O_PLATFORM: o->platform = v; return 0;
    case O_AUTHFILE: o->reg.authfile = v; return 0;
    case O_TLS_VERIFY: o->reg.tls_verify = it->bval ? 1 : 0; return 0;
    case O_DCT: return 0;
    case O_REPLACE: o->replace = it->bval; return 0;
    case O_REQUIRES:
        EACH_CSV(v, s, if (append_str(ctr, "requires", s, err) < 0) return -1;);
        return 0;
    case O_RESTART: return cp_restart(v, o, err);
    case O_RM: o->rm = it->bval; return 0;
    case O_RMI: o->rmi = it->bval; return 0;
    case O_ROOTFS: o->rootfs = it->bval; return 0;
    case O_SIG_PROXY: o->sig_proxy = it->bval; return 0;
    case O_PRESERVE_FDS: return preserve_fds(o, it, err);
    case O_STOP_TIMEOUT:
        if (opt_uint(it, &o->stop_timeout, err) < 0)
            return -1;
        o->stop_timeout_set = true;
        return 0;
    case O_TIMEOUT: return opt_uint(it, &o->timeout, err);
    }
    return NOT_MINE;
}

/* Resource limits: the cgroup flags shared with update (resopts.c),
 * --cgroup-conf, /dev/shm, ulimits, the OOM score. */
static int opt_resources(struct pstate *p, struct opt_it *it, struct berr **err)
{
    json_t *ctr = p->ctr;
    const char *v = it->arg;
    long long n;
    int r = resopts_opt(&p->res, it, err);

    if (r != RESOPTS_NOT_MINE)
        return r;
    switch (it->opt->id) {
    case O_CGROUP_CONF:
        EACH_CSV(v, s, {
            const char *eq = strchr(s, '=');
            _cleanup_free_ char *k = eq ? str_ndup(s, (size_t) (eq - s)) : NULL;
            json_t *u = json_object_get(p->res.res, "unified");
            if (!eq)
                return cp_inval(err, "--cgroup-conf must be formatted KEY=VALUE");
            if (!k || (!u && set_new(p->res.res, "unified", u = json_object(), err) < 0) ||
                json_object_set_new(u, k, json_string(eq + 1)) < 0)
                return berr_oom(err);
        });
        return 0;
    case O_OOM_SCORE_ADJ:
        if (opt_int(it, &n, err) < 0)
            return -1;
        if (n < -1000 || n > 1000)
            return cp_inval(err, "invalid --oom-score-adj %lld: must be between -1000 and 1000", n);
        return set_new(ctr, "oomScoreAdj", json_integer(n), err);
    case O_SHM_SIZE:
        if (parse_size(v, "unable to translate --shm-size", &n, err) < 0)
            return -1;
        if (n > 0)
            return set_new(ctr, "shmSize", json_integer(n), err);
        json_object_del(ctr, "shmSize");
        return 0;
    case O_ULIMIT:
        EACH_CSV(v, s, if (cp_ulimit_check(s, err) < 0 || append_str(ctr, "ulimits", s, err) < 0) return -1;);
        return 0;
    }
    return NOT_MINE;
}

/* Networking: ports, networks, addresses, DNS, /etc/hosts and the
 * hostname. */
static int opt_network(struct pstate *p, struct opt_it *it, struct berr **err)
{
    struct ctropts *o = p->o;
    const char *v = it->arg;

    switch (it->opt->id) {
    case 'h': p->hostname = v; return 0;
    case 'p':
        EACH_CSV(v, s, if (cp_port_check(s, err) < 0) return -1;
                 if (strv_push(&o->ports, s) < 0) return berr_oom(err););
        return 0;
    case 'P': o->publish_all = it->bval; return 0;
    case O_ADD_HOST:
        EACH_CSV(v, s, if (cp_add_host_check(s, err) < 0) return -1;
                 if (strv_push(&o->add_hosts, s) < 0) return berr_oom(err););
        return 0;
    case O_DNS:
        EACH_CSV(v, s, {
            if (!cp_is_ip(s, 0))
                return cp_inval(err, "%s is not an ip address", s);
            if (strv_push(&o->dns, s) < 0)
                return berr_oom(err);
        });
        return 0;
    case O_KERNEL_MEMORY:
        log_warn("The --kernel-memory flag is no longer supported. This flag is a noop.");
        return 0;
    case O_DNS_OPTION:
        EACH_CSV(v, s, if (strv_push(&o->dns_options, s) < 0) return berr_oom(err););
        return 0;
    case O_DNS_SEARCH:
        EACH_CSV(v, s, if (strv_push(&o->dns_search, s) < 0) return berr_oom(err););
        return 0;
    case O_EXPOSE:
        EACH_CSV(v, s, {
            char *e = NULL;
            if (cp_expose(s, &e, err) < 0)
                return -1;
            if (strv_push_take(&o->expose, e) < 0)
                return berr_oom(err);
        });
        return 0;
    case O_IP:
    case O_IP6:
        if (!cp_is_ip(v, it->opt->id == O_IP ? AF_INET : AF_INET6))
            return cp_inval(err, "\"%s\" is not an ip address", v);
        *(it->opt->id == O_IP ? &p->ip : &p->ip6) = v;
        return 0;
    case O_MAC:
        if (cp_mac_check(v, err) < 0)
            return -1;
        p->mac = v;
        return 0;
    case O_NETWORK: return strv_push(&p->networks, v) < 0 ? berr_oom(err) : 0;
    case O_NETWORK_ALIAS:
        EACH_CSV(v, s, if (strv_push(&p->aliases, s) < 0) return berr_oom(err););
        return 0;
    case O_NO_HOSTS: p->no_hosts = it->bval; return 0;
    }
    return NOT_MINE;
}

/* The process: environment, user, working dir, entrypoint, labels and
 * annotations, init, signals, timezone, umask, groups. */
static int opt_process(struct pstate *p, struct opt_it *it, struct berr **err)
{
    json_t *ctr = p->ctr;
    const char *v = it->arg;

    switch (it->opt->id) {
    case 'e':
        return *v ? cp_env_add(p->env, v, err) : 0;
    case 'l': return cp_label_add(p->labels, v, err);
    case 'u': return *v ? js_set_str(ctr, "user", v) < 0 ? berr_oom(err) : 0 : 0;
    case 'w': return *v ? js_set_str(ctr, "workdir", v) < 0 ? berr_oom(err) : 0 : 0;
    case O_ANNOTATION:
        EACH_CSV(v, s, {
            const char *eq = strchr(s, '=');
            _cleanup_free_ char *k = eq ? str_ndup(s, (size_t) (eq - s)) : NULL;
            if (!eq)
                return cp_inval(err, "annotations must be formatted KEY=VALUE");
            if (!k || json_object_set_new(p->annotations, k, json_string(eq + 1)) < 0)
                return berr_oom(err);
        });
        return 0;
    case O_ENTRYPOINT: return entrypoint(ctr, v, err);
    case O_ENV_FILE:
        EACH_CSV(v, s, if (cp_env_file(p->fenv, s, err) < 0) return -1;);
        return 0;
    case O_ENV_HOST: return js_set_bool(ctr, "envHost", it->bval) < 0 ? berr_oom(err) : 0;
    case O_GROUP_ADD:
        EACH_CSV(v, s, if (*s && append_str(ctr, "groups", s, err) < 0) return -1;);
        return 0;
    case O_HTTP_PROXY: return js_set_bool(ctr, "httpProxy", it->bval) < 0 ? berr_oom(err) : 0;
    case O_INIT: p->init = it->bval; return 0;
    case O_INIT_PATH: p->init_path = v; return 0;
    case O_LABEL_FILE:
        EACH_CSV(v, s, if (cp_label_file(p->flabels, s, err) < 0) return -1;);
        return 0;
    case O_STOP_SIGNAL: return stop_signal(ctr, v, err);
    case O_ENV_MERGE: return append_str(ctr, "envMerge", v, err);  /* checked at init */
    case O_UNSETENV: return *v ? append_str(ctr, "unsetEnv", v, err) : 0;
    case O_UNSETENV_ALL: return js_set_bool(ctr, "unsetEnvAll", it->bval) < 0 ? berr_oom(err) : 0;
    case O_PASSWD: return js_set_bool(ctr, "passwd", it->bval) < 0 ? berr_oom(err) : 0;
    case O_PASSWD_ENTRY: return js_set_str(ctr, "passwdEntry", v) < 0 ? berr_oom(err) : 0;
    case O_HOSTUSER:
        EACH_CSV(v, s, if (*s && append_str(ctr, "hostUsers", s, err) < 0) return -1;);
        return 0;
    case O_PERSONALITY: return one_of_nocase(ctr, "personality", v, (const char *[]) { "LINUX", "LINUX32", NULL },
                                             "invalid personality domain \"%s\": LINUX or LINUX32", err);
    case O_SECRET: return cp_secret(ctr, v, err);
    case O_SDNOTIFY:
        if (strcmp(v, "container") && strcmp(v, "conmon") && strcmp(v, "ignore"))
            return cp_inval(err, "invalid config provided: invalid argument: invalid sdnotify value \"%s\": must be container, conmon or ignore", v);
        return js_set_str(ctr, "sdNotifyMode", v) < 0 ? berr_oom(err) : 0;
    case O_SYSTEMD:
        if (one_of_nocase(ctr, "systemd", v, (const char *[]) { "true", "false", "always", NULL },
                          "invalid config provided: --systemd values must be one of \"true, false, always\": invalid configuration%.0s",
                          err) < 0)
            return -1;
        p->systemd = js_str(ctr, "systemd", NULL);
        return 0;
    case O_TZ:
        if (cp_tz_check(v, err) < 0)
            return -1;
        return js_set_str(ctr, "timezone", v) < 0 ? berr_oom(err) : 0;
    case O_UMASK:
        if (cp_umask_check(v, err) < 0)
            return -1;
        return js_set_str(ctr, "umask", v) < 0 ? berr_oom(err) : 0;
    }
    return NOT_MINE;
}

/* Isolation: mounts and volumes, capabilities, devices, namespaces,
 * privileges, read-only root, security options, sysctls. */
static int opt_isolation(struct pstate *p, struct opt_it *it, struct berr **err)
{
    json_t *ctr = p->ctr;
    const char *v = it->arg;

    switch (it->opt->id) {
    case 'v': return cp_volume(p->mounts, v, err);
    case O_CAP_ADD:
    case O_CAP_DROP:
        EACH_CSV(v, s, {
            const char *c;
            if (cp_cap(s, &c, err) < 0 ||
                append_str(ctr, it->opt->id == O_CAP_ADD ? "capAdd" : "capDrop", c, err) < 0)
                return -1;
        });
        return 0;
    case O_DEVICE:
        EACH_CSV(v, s, if (cp_device_check(s, err) < 0 || append_str(ctr, "devices", s, err) < 0) return -1;);
        return 0;
    case O_DEVICE_CGROUP_RULE:
        EACH_CSV(v, s, if (cp_device_cgroup_rule(s, err) < 0 || append_str(ctr, "deviceCgroupRules", s, err) < 0) return -1;);
        return 0;
    case O_CGROUPNS: {
        _cleanup_free_ char *m = NULL;
        if (cp_ns_mode("cgroup", v, &m, err) < 0)
            return -1;
        return set_new(p->ns, "cgroup", json_string(m), err);
    }
    case O_CGROUPS:
        if (strcmp(v, "enabled") && strcmp(v, "disabled") && strcmp(v, "no-conmon") && strcmp(v, "split"))
            return cp_inval(err, "running container create option: invalid cgroup mode \"%s\": invalid argument", v);
        return js_set_str(ctr, "cgroupsMode", v) < 0 ? berr_oom(err) : 0;
    case O_IPC:
    case O_PID:
    case O_UTS: {
        const char *what = it->opt->id == O_IPC ? "IPC" : it->opt->id == O_PID ? "PID" : "UTS";
        _cleanup_free_ char *m = NULL;
        if (cp_ns_mode(what, v, &m, err) < 0)
            return -1;
        return set_new(p->ns, it->opt->name, json_string(m), err);
    }
    case O_MOUNT: return cp_mount(p->mounts, v, err);
    case O_PRIVILEGED: return js_set_bool(ctr, "privileged", it->bval) < 0 ? berr_oom(err) : 0;
    case O_READ_ONLY: return js_set_bool(ctr, "readOnly", it->bval) < 0 ? berr_oom(err) : 0;
    case O_READ_ONLY_TMPFS: return js_set_bool(ctr, "readOnlyTmpfs", it->bval) < 0 ? berr_oom(err) : 0;
    case O_SECURITY_OPT: {
        _cleanup_free_ char *s = NULL;
        if (cp_security_opt(v, &s, err) < 0)
            return -1;
        return append_str(ctr, "securityOpts", s, err);
    }
    case O_SYSCTL:
        EACH_CSV(v, s, if (cp_sysctl_add(p->sysctls, s, err) < 0) return -1;);
        return 0;
    case O_TMPFS: return cp_tmpfs(p->mounts, v, err);
    case O_VOLUMES_FROM: return cp_volumes_from(p->volumes_from, v, err);
    case O_IMAGE_VOLUME:
        if (cp_image_volume(v, err) < 0)
            return -1;
        return js_set_str(ctr, "imageVolume", v) < 0 ? berr_oom(err) : 0;
    case O_CHROOTDIRS:
        EACH_CSV(v, s, {
            /* inside the container: relative to its root */
            _cleanup_free_ char *rel = s[0] == '/' ? NULL : str_fmt("/%s", s);
            _cleanup_free_ char *d = fs_clean(rel ? rel : s);
            if (!d)
                return berr_oom(err);
            if (*s && append_str(ctr, "chrootDirs", d, err) < 0)
                return -1;
        });
        return 0;
    case O_USERNS:
        p->userns = true;
        return cp_userns(p->ns, ctr, v, err);
    case O_UIDMAP:
    case O_GIDMAP: return cp_idmap(ctr, it->opt->id == O_GIDMAP, v, err);
    case O_SUBUIDNAME: return js_set_str(ctr, "subuidName", v) < 0 ? berr_oom(err) : 0;
    case O_SUBGIDNAME: return js_set_str(ctr, "subgidName", v) < 0 ? berr_oom(err) : 0;
    case O_SECCOMP_POLICY:
        if (strcmp(v, "default") && strcmp(v, "image"))
            return cp_inval(err, "invalid seccomp policy \"%s\": valid policies are [\"default\" \"image\"]", v);
        return js_set_str(ctr, "seccompPolicy", v) < 0 ? berr_oom(err) : 0;
    }
    return NOT_MINE;
}

/* One option of the table; it->opt/arg/bval describe it. */
static int one_opt(struct pstate *p, struct opt_it *it, struct berr **err)
{
    static int (*const groups[])(struct pstate *, struct opt_it *, struct berr **) = {
        opt_run, opt_resources, opt_network, opt_process, opt_isolation, cp_health_opt,
    };

    for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
        int r = groups[i](p, it, err);
        if (r != NOT_MINE)
            return r;
    }
    if (p->own)
        return p->own(p->own_arg, it, err);
    return berr_msg(err, "option --%s is not handled", it->opt->name);
}

/* ---- settling ---- */

static int finish_env(struct pstate *p, struct berr **err)
{
    json_t *arr, *v;
    const char *k;

    /* -e wins over --env-file, whatever the order on the command line */
    if (json_object_update(p->fenv, p->env) < 0)
        return berr_oom(err);
    if (!json_object_size(p->fenv))
        return 0;
    if (set_new(p->ctr, "env", arr = json_array(), err) < 0)
        return -1;
    json_object_foreach(p->fenv, k, v) {
        json_t *s = json_sprintf("%s=%s", k, json_string_value(v));
        if (!s || json_array_append_new(arr, s) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int set_if_any(json_t *ctr, const char *key, json_t *v, struct berr **err)
{
    bool any = json_is_object(v) ? json_object_size(v) > 0 : json_array_size(v) > 0;
    return any && json_object_set(ctr, key, v) < 0 ? berr_oom(err) : 0;
}

static int finish_resources(struct pstate *p, struct berr **err)
{
    if (resopts_finish(&p->res, err) < 0)
        return -1;
    return set_if_any(p->ctr, "resources", p->res.res, err);
}

static int finish_operands(struct pstate *p, struct opt_it *it, struct cmd_ctx *cx,
                           struct berr **err)
{
    struct ctropts *o = p->o;
    json_t *cmd;

    if (it->nargs < 1)
        return cmd_usage_err(cx, err, "requires at least 1 arg(s), only received 0");
    if (o->rootfs) {
        struct stat st;
        if (str_has_suffix(it->args[0], ":O"))
            return cp_inval(err, "overlay root file systems (--rootfs PATH:O) are not supported by berth");
        if (stat(it->args[0], &st) < 0)
            return berr_sys(err, "running container create option: stat %s", it->args[0]);
        if (!S_ISDIR(st.st_mode))
            return cp_inval(err, "running container create option: %s is not a directory", it->args[0]);
        o->image = cp_abs_path(it->args[0]);
    } else {
        o->image = str_dup(it->args[0]);
    }
    if (!o->image)
        return berr_oom(err);
    if (it->nargs < 2)
        return 0;
    if (set_new(p->ctr, "command", cmd = json_array(), err) < 0)
        return -1;
    for (int i = 1; i < it->nargs; i++)
        if (json_array_append_new(cmd, json_string(it->args[i])) < 0)
            return berr_oom(err);
    return 0;
}

/* pod create [NAME]: the operand names the pod unless --name does */
static int finish_pod_operand(struct pstate *p, struct opt_it *it, struct berr **err)
{
    /* pod clone POD [NAME]: the pod to clone, the clone's name */
    if (p->pod_clone && (it->nargs < 1 || it->nargs > 2))
        return berr_msg(err, "accepts between 1 and 2 arg(s), received %d", it->nargs);
    if (p->pod_clone) {
        if (!(p->o->image = str_dup(it->args[0])))
            return berr_oom(err);
        if (it->nargs == 2 && !p->o->name && !(p->o->name = str_dup(it->args[1])))
            return berr_oom(err);
        return 0;
    }
    if (it->nargs > 1)
        return berr_msg(err, "accepts at most 1 arg(s), received %d", it->nargs);
    if (it->nargs == 1 && !p->o->name && !(p->o->name = str_dup(it->args[0])))
        return berr_oom(err);
    return 0;
}

/* Checks across flags, in podman's order of complaint where it matters. */
static int finish_checks(struct pstate *p, const char *netmode, struct berr **err)
{
    struct ctropts *o = p->o;
    const char *k;
    json_t *v;

    if (o->rm && o->restart != CTR_RESTART_NO)
        return cp_inval(err, "the --rm option conflicts with --restart, when the restartPolicy is not \"\" and \"no\"");
    if (o->replace && !o->name)
        return cp_inval(err, "cannot replace container without --name being set");
    if (p->no_hosts && o->add_hosts)
        return cp_inval(err, "--no-hosts and --add-host cannot be set together");
    if (o->dns && (!strcmp(netmode, "none") || str_has_prefix(netmode, "container:")))
        return cp_inval(err, "conflicting options: dns and the network mode: %s", netmode);
    if (p->hostname && str_eq(js_str(p->ns, "uts", NULL), "host"))
        return cp_inval(err, "invalid config provided: cannot set hostname when running in the host UTS namespace: invalid configuration");
    if (!strcmp(netmode, "host"))
        json_object_foreach(p->sysctls, k, v)
            if (str_has_prefix(k, "net."))
                return cp_inval(err, "sysctl %s=%s can't be set since Network Namespace set to host: invalid argument",
                                k, json_string_value(v));
    if (p->init && str_eq(p->systemd, "always"))
        return cp_inval(err, "cannot use container-init binary with systemd=always");
    if (p->init && p->init_path) {
        if (access(p->init_path, X_OK) < 0)
            return berr_sys(err, "container-init binary not found on the host: stat %s", p->init_path);
    }
    return 0;
}

static int finish(struct pstate *p, struct opt_it *it, struct cmd_ctx *cx, struct berr **err)
{
    struct ctropts *o = p->o;
    json_t *ctr = p->ctr;
    const char *netmode;

    if ((p->own ? finish_pod_operand(p, it, err) : finish_operands(p, it, cx, err)) < 0 ||
        finish_env(p, err) < 0)
        return -1;
    if (json_object_update(p->flabels, p->labels) < 0)
        return berr_oom(err);
    if (set_if_any(ctr, "labels", p->flabels, err) < 0 ||
        set_if_any(ctr, "annotations", p->annotations, err) < 0 ||
        set_if_any(ctr, "sysctls", p->sysctls, err) < 0)
        return -1;
    if (cp_mounts_dedup(p->mounts, err) < 0 || set_if_any(ctr, "mounts", p->mounts, err) < 0 ||
        set_if_any(ctr, "volumesFrom", p->volumes_from, err) < 0)
        return -1;
    if (finish_resources(p, err) < 0 || cp_finish_network(p, &netmode, err) < 0)
        return -1;
    if (p->networks && js_set_str(p->ns, "network", netmode) < 0)
        return berr_oom(err);
    if (cp_finish_userns(p->ns, ctr, p->userns, err) < 0)
        return -1;
    if (set_if_any(ctr, "namespaces", p->ns, err) < 0 || finish_checks(p, netmode, err) < 0 ||
        cp_finish_health(p, ctr, err) < 0)
        return -1;
    if (p->hostname && *p->hostname && js_set_str(ctr, "hostname", p->hostname) < 0)
        return berr_oom(err);
    if (p->init_path) {
        _cleanup_free_ char *abs = cp_abs_path(p->init_path);
        if (!abs || js_set_str(ctr, "initPath", abs) < 0)
            return berr_oom(err);
    }
    if ((p->init && js_set_bool(ctr, "init", true) < 0) ||
        (p->no_hosts && js_set_bool(ctr, "noHosts", true) < 0) ||
        (o->rm && js_set_bool(ctr, "rm", true) < 0) ||
        (o->tty && js_set_bool(ctr, "terminal", true) < 0) ||
        (o->interactive && js_set_bool(ctr, "stdin", true) < 0) ||
        (o->publish_all && js_set_bool(ctr, "publishAll", true) < 0))
        return berr_oom(err);
    if (!o->attach_given && p->is_run && !o->detach) {
        o->attach_stdout = o->attach_stderr = true;
        o->attach_stdin = o->interactive;
    }
    return 0;
}

static int parse(struct cmd_ctx *cx, int argc, char **argv, struct pstate p, struct berr **err);

int ctropts_parse(struct cmd_ctx *cx, int argc, char **argv, bool is_run, struct ctropts *o,
                  struct berr **err)
{
    return parse(cx, argc, argv, (struct pstate) { .o = o, .is_run = is_run }, err);
}

int ctropts_parse_pod(struct cmd_ctx *cx, int argc, char **argv, struct ctropts *o,
                      int (*own)(void *arg, struct opt_it *it, struct berr **err), void *arg,
                      struct berr **err)
{
    return parse(cx, argc, argv, (struct pstate) { .o = o, .own = own, .own_arg = arg }, err);
}

/* Which of two bad flags podman names (issues 18, 19): pflag's own type
 * errors (a number that is not one) come first, wherever they are, as
 * pflag parses the whole line before anything else looks at a value;
 * then podman's checks in the order its CreateInit, FillOutSpecGen and
 * spec validation make them (--cpus against --cpu-period/--cpu-quota,
 * then the stages below); within a stage the first flag given wins. Worked out against podman 4.3.1 flag pair by flag pair
 * (create_checks.bats). */
static int check_stage(int id, const struct berr *e)
{
    static const struct { int id, stage; } stages[] = {
        { O_SHM_SIZE, 2 },
        { 'm', 3 }, { R_MEMORY_RESERVATION, 3 }, { R_MEMORY_SWAP, 3 },
        { R_BLKIO_WEIGHT, 4 }, { R_BLKIO_WEIGHT_DEVICE, 4 }, { R_DEVICE_READ_BPS, 4 },
        { R_DEVICE_READ_IOPS, 4 }, { R_DEVICE_WRITE_BPS, 4 }, { R_DEVICE_WRITE_IOPS, 4 },
        { R_MEMORY_SWAPPINESS, 5 },
        { O_ULIMIT, 6 }, { O_LOG_OPT, 7 },
        { R_CPU_PERIOD, 8 }, { R_CPU_QUOTA, 8 }, { R_CPUSET_CPUS, 8 }, { R_CPUSET_MEMS, 8 },
        { O_RESTART, 9 }, { O_NAME, 10 },
        { O_OOM_SCORE_ADJ, 11 },
    };

    if (e && e->msg && strstr(e->msg, "\" flag: strconv."))
        return 0;
    /* the weight's range is the spec's check, after everything else
     * (on cgroup v1 podman drops the weight with a warning instead) */
    if (id == R_BLKIO_WEIGHT && e && e->msg && str_has_prefix(e->msg, "range of blkio weight"))
        return 12;
    for (size_t i = 0; i < ARRAY_SIZE(stages); i++)
        if (stages[i].id == id)
            return stages[i].stage;
    return 1;           /* the rest, --stop-signal among them */
}

int ctropts_parse_pod_clone(struct cmd_ctx *cx, int argc, char **argv, struct ctropts *o,
                            int (*own)(void *arg, struct opt_it *it, struct berr **err), void *arg,
                            struct berr **err)
{
    return parse(cx, argc, argv,
                 (struct pstate) { .o = o, .own = own, .own_arg = arg, .pod_clone = true }, err);
}

static int parse(struct cmd_ctx *cx, int argc, char **argv, struct pstate p, struct berr **err)
{
    struct ctropts *o = p.o;
    struct opt_it it;
    int c, r = -1, late_stage = 0;
    _cleanup_berr_ struct berr *late = NULL;   /* the bad value podman would name */

    memset(o, 0, sizeof(*o));
    o->sig_proxy = true;
    o->log_max_size = -1;
    o->reg.tls_verify = -1;
    o->ctr = p.ctr = json_object();
    p.fenv = json_object();
    p.env = json_object();
    p.flabels = json_object();
    p.labels = json_object();
    p.annotations = json_object();
    p.mounts = json_array();
    p.volumes_from = json_array();
    p.sysctls = json_object();
    p.ns = json_object();
    if (resopts_init(&p.res, err) < 0 || !p.ctr || !p.fenv || !p.env || !p.flabels || !p.labels ||
        !p.annotations || !p.mounts || !p.sysctls || !p.ns || !p.volumes_from) {
        pstate_free(&p);
        return berr_oom(err);
    }
    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (one_opt(&p, &it, err) < 0) {
            int st = check_stage(it.opt ? it.opt->id : 0, *err);
            if (st == 0)
                goto out;
            if (!late || st < late_stage) {
                berr_free(late);
                late = STEAL_PTR(*err);
                late_stage = st;
            } else {
                berr_freep(err);
            }
        }
    if (c < 0)
        goto out;
    if (it.help) {
        o->help = true;
        r = 0;
        goto out;
    }
    if (late) {
        if (resopts_conflicts(&p.res, err) == 0)
            *err = STEAL_PTR(late);
        goto out;
    }
    r = finish(&p, &it, cx, err);
out:
    opt_free(&it);
    pstate_free(&p);
    return r;
}
