/*
 * runtime/config.c: berth.conf files (containers.conf schema) layered onto
 * the built-in defaults, then the environment, then the global flags.
 *
 * Files, in order, each only if it exists:
 *   $ROOT/usr/share/berth/berth.conf        vendor file (make install)
 *   $ROOT/etc/berth/berth.conf              the administrator's
 *   $ROOT/etc/berth/berth.conf.d/ *.conf    drop-ins, sorted by name
 *   rootless: $XDG_CONFIG_HOME/berth/berth.conf and its berth.conf.d/
 * $ROOT is $BERTH_CONFIG_ROOT, a sysroot prefix (default empty) that lets
 * tests exercise the layering without touching /etc. --config, else
 * $BERTH_CONFIG, else podman's $CONTAINERS_CONF names the one file to read
 * instead; it must exist. $CONTAINERS_CONF_OVERRIDE, when set, is read
 * last on top of the others (as podman 4.4 does).
 *
 * Each file is decoded onto the same struct: a key present overrides the
 * value before it and sets its field's bit, arrays replace, and
 * [engine.runtimes] merges per runtime name. Unknown keys are ignored with
 * a debug line, a value of the wrong type is an error naming file and key.
 *
 * Environment: [engine] env = ["K=V"] entries are exported into berth's
 * own environment with setenv() unless K is already set, as podman does
 * (so helpers such as netavark inherit them).
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/config_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/toml.h"

enum ftype { F_STR, F_STRV, F_BOOL, F_INT, F_SIZE, F_RUNTIMES };

struct field {
    const char *table, *key;
    enum ftype type;
    size_t off;
    int bit;            /* enum cfg_field, or -1 */
};

#define S(t, k, m, b)  { t, k, F_STR, offsetof(struct config, m), b }
#define V(t, k, m, b)  { t, k, F_STRV, offsetof(struct config, m), b }
#define B(t, k, m)     { t, k, F_BOOL, offsetof(struct config, m), -1 }
#define I(t, k, m)     { t, k, F_INT, offsetof(struct config, m), -1 }

static const struct field fields[] = {
    V("containers", "default_capabilities", default_capabilities, -1),
    V("containers", "env", env, -1),
    V("containers", "default_ulimits", default_ulimits, -1),
    V("containers", "default_sysctls", default_sysctls, -1),
    V("containers", "devices", devices, -1),
    V("containers", "dns_servers", dns_servers, -1),
    V("containers", "dns_searches", dns_searches, -1),
    V("containers", "dns_options", dns_options, -1),
    V("containers", "annotations", annotations, -1),
    B("containers", "http_proxy", http_proxy),
    B("containers", "init", init),
    S("containers", "init_path", init_path, -1),
    S("containers", "log_driver", log_driver, -1),
    I("containers", "log_size_max", log_size_max),
    I("containers", "pids_limit", pids_limit),
    S("containers", "shm_size", shm_size, -1),
    S("containers", "umask", umask, -1),
    S("containers", "seccomp_profile", seccomp_profile, -1),
    S("containers", "base_hosts_file", base_hosts_file, -1),
    S("containers", "host_containers_internal_ip", host_containers_internal_ip, -1),
    B("containers", "no_hosts", no_hosts),
    S("containers", "tz", tz, -1),
    S("containers", "cgroupns", cgroupns, -1),
    S("containers", "ipcns", ipcns, -1),
    S("containers", "pidns", pidns, -1),
    S("containers", "utsns", utsns, -1),
    S("containers", "netns", netns, -1),
    S("containers", "userns", userns, -1),
    S("containers", "cgroups", cgroups, -1),

    S("engine", "cgroup_manager", cgroup_manager, CF_CGROUP_MANAGER),
    V("engine", "conmon_path", conmon_path, CF_CONMON_PATH),
    V("engine", "conmon_env_vars", conmon_env_vars, -1),
    S("engine", "events_logger", events_logger, CF_EVENTS_LOGGER),
    S("engine", "events_logfile_path", events_logfile_path, CF_EVENTS_LOGFILE_PATH),
    { "engine", "events_logfile_max_size", F_SIZE,
      offsetof(struct config, events_logfile_max_size), -1 },
    S("engine", "runtime", runtime, CF_RUNTIME),
    { "engine", "runtimes", F_RUNTIMES, 0, -1 },
    V("engine", "runtime_supports_json", runtime_supports_json, -1),
    V("engine", "runtime_supports_nocgroups", runtime_supports_nocgroups, -1),
    S("engine", "static_dir", static_dir, CF_STATIC_DIR),
    S("engine", "tmp_dir", tmp_dir, CF_TMP_DIR),
    S("engine", "volume_path", volume_path, CF_VOLUME_PATH),
    S("engine", "namespace", namespace, -1),
    I("engine", "stop_timeout", stop_timeout),
    S("engine", "detach_keys", detach_keys, -1),
    B("engine", "no_pivot_root", no_pivot_root),
    B("engine", "enable_port_reservation", enable_port_reservation),
    V("engine", "hooks_dir", hooks_dir, -1),
    I("engine", "num_locks", num_locks),
    V("engine", "env", engine_env, -1),
    S("engine", "infra_image", infra_image, -1),
    S("engine", "image_volume_mode", image_volume_mode, -1),

    S("network", "network_backend", network_backend, CF_NETWORK_BACKEND),
    V("network", "cni_plugin_dirs", cni_plugin_dirs, -1),
    V("network", "netavark_plugin_dirs", netavark_plugin_dirs, -1),
    S("network", "default_network", default_network, -1),
    S("network", "default_subnet", default_subnet, -1),
    S("network", "network_config_dir", network_config_dir, CF_NETWORK_CONFIG_DIR),
    S("network", "network_cmd_path", network_cmd_path, -1),

    S("storage", "driver", graph_driver, CF_GRAPH_DRIVER),
    S("storage", "graphroot", graph_root, CF_GRAPH_ROOT),
    S("storage", "runroot", run_root, CF_RUN_ROOT),
    V("storage", "options", graph_driver_options, -1),
};

static const char *const tables[] = { "containers", "engine", "network", "storage" };

/* ---- decoding one file ---------------------------------------------------- */

static const char *type_name(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "a table";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a float";
    default: return "a boolean";
    }
}

static int bad_type(const char *path, const struct field *f, const char *want, json_t *v,
                    struct berr **err)
{
    return berr_msg(err, "%s: %s.%s: expected %s, got %s", path, f->table, f->key, want,
                    type_name(v));
}

/* An array of strings as a new strv; NULL (and *ok false) if v is not one. */
static char **to_strv(json_t *v, bool *ok)
{
    size_t i;
    json_t *e;

    *ok = json_is_array(v);
    if (!*ok)
        return NULL;
    json_array_foreach(v, i, e)
        if (!json_is_string(e))
            return (*ok = false), NULL;
    return js_to_strv(v);
}

/* "1000000", 1000000, "10k", "1m", "1MB": a size in bytes. */
static int size_value(json_t *v, long long *out)
{
    const char *s;
    char *end;
    long long n, mult = 1;

    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v))
        return -1;
    s = json_string_value(v);
    errno = 0;
    n = strtoll(s, &end, 10);
    if (end == s || errno || n < 0)
        return -1;
    switch (*end) {
    case 'k': case 'K': mult = 1LL << 10; end++; break;
    case 'm': case 'M': mult = 1LL << 20; end++; break;
    case 'g': case 'G': mult = 1LL << 30; end++; break;
    }
    if (*end == 'b' || *end == 'B')
        end++;
    if (*end)
        return -1;
    *out = n * mult;
    return 0;
}

static int decode_runtimes(struct config *c, const char *path, const struct field *f,
                           json_t *v, struct berr **err)
{
    const char *name;
    json_t *paths;

    if (!json_is_object(v))
        return bad_type(path, f, "a table", v, err);
    json_object_foreach(v, name, paths) {
        bool ok;
        _cleanup_strv_ char **pv = to_strv(paths, &ok);

        if (!ok)
            return berr_msg(err, "%s: engine.runtimes.%s: expected an array of strings, got %s",
                            path, name, type_name(paths));
        if (!pv)
            return berr_oom(err);
        if (cfg_set_runtime(c, name, pv, err) < 0)
            return -1;
    }
    return 0;
}

static int decode_field(struct config *c, const char *path, const struct field *f, json_t *v,
                        struct berr **err)
{
    void *dst = (char *) c + f->off;
    bool ok;

    switch (f->type) {
    case F_STR:
        if (!json_is_string(v))
            return bad_type(path, f, "a string", v, err);
        if (cfg_set_str(dst, json_string_value(v), err) < 0)
            return -1;
        break;
    case F_STRV: {
        char **pv = to_strv(v, &ok);

        if (!ok)
            return bad_type(path, f, "an array of strings", v, err);
        if (!pv)
            return berr_oom(err);
        strv_free(*(char ***) dst);
        *(char ***) dst = pv;
        break;
    }
    case F_BOOL:
        if (!json_is_boolean(v))
            return bad_type(path, f, "a boolean", v, err);
        *(bool *) dst = json_is_true(v);
        break;
    case F_INT:
        if (!json_is_integer(v))
            return bad_type(path, f, "an integer", v, err);
        *(long long *) dst = json_integer_value(v);
        break;
    case F_SIZE:
        if (size_value(v, dst) < 0)
            return bad_type(path, f, "a size (bytes, or a string like \"1m\")", v, err);
        break;
    case F_RUNTIMES:
        return decode_runtimes(c, path, f, v, err);
    }
    if (f->bit >= 0)
        cfg_mark(c, (enum cfg_field) f->bit);
    return 0;
}

static const struct field *field_find(const char *table, const char *key)
{
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
        if (!strcmp(fields[i].table, table) && !strcmp(fields[i].key, key))
            return &fields[i];
    return NULL;
}

static int decode_table(struct config *c, const char *path, const char *table, json_t *t,
                        strv *unknown, struct berr **err)
{
    const char *key;
    json_t *v;

    if (!json_is_object(t))
        return berr_msg(err, "%s: %s: expected a table, got %s", path, table, type_name(t));
    json_object_foreach(t, key, v) {
        const struct field *f = field_find(table, key);

        if (!f) {
            if (strv_pushf(unknown, "\"%s.%s\"", table, key) < 0)
                return berr_oom(err);
            continue;
        }
        if (decode_field(c, path, f, v, err) < 0)
            return -1;
    }
    return 0;
}

static bool known_table(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(tables); i++)
        if (!strcmp(tables[i], name))
            return true;
    return false;
}

static int read_file(struct config *c, const char *path, struct berr **err)
{
    _cleanup_free_ char *text = NULL;
    _cleanup_json_ json_t *doc = NULL;
    _cleanup_strv_ strv unknown = NULL;
    size_t len = 0;
    const char *name;
    json_t *t;

    if (fs_read_file(path, &text, &len, err) < 0)
        return berr_wrap(err, "reading config file %s", path);
    if (toml_parse(text, len, path, &doc, err) < 0)
        return -1;
    log_debug("Reading configuration file \"%s\"", path);
    json_object_foreach(doc, name, t) {
        if (!known_table(name)) {
            if (strv_pushf(&unknown, "\"%s\"", name) < 0)
                return berr_oom(err);
            continue;
        }
        if (decode_table(c, path, name, t, &unknown, err) < 0)
            return -1;
    }
    if (unknown) {
        _cleanup_free_ char *list = strv_join(unknown, " ");

        log_debug("Failed to decode the keys [%s] from \"%s\"", list ? list : "", path);
    }
    return strv_push(&c->files, path) < 0 ? berr_oom(err) : 0;
}

/* ---- which files ---------------------------------------------------------- */

/* Reads path if it exists; a stat error other than ENOENT is an error. */
static int read_if_exists(struct config *c, const char *path, struct berr **err)
{
    struct stat st;

    if (stat(path, &st) < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        return berr_sys(err, "reading config file %s: stat %s", path, path);
    }
    return S_ISDIR(st.st_mode) ? 0 : read_file(c, path, err);
}

/* Every *.conf directly in dir, sorted by name. */
static int read_dropins(struct config *c, const char *dir, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(dir);
    _cleanup_strv_ strv names = NULL;
    struct dirent *de;

    if (!d)
        return errno == ENOENT || errno == ENOTDIR ? 0
               : berr_sys(err, "reading config directory %s", dir);
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' && str_has_suffix(de->d_name, ".conf") &&
            strv_pushf(&names, "%s/%s", dir, de->d_name) < 0)
            return berr_oom(err);
    if (!names)
        return 0;
    strv_sort(names);
    for (size_t i = 0; names[i]; i++)
        if (read_if_exists(c, names[i], err) < 0)
            return -1;
    return 0;
}

static int read_system_files(struct config *c, struct berr **err)
{
    const char *root = getenv("BERTH_CONFIG_ROOT");
    _cleanup_free_ char *vendor = str_fmt("%s/usr/share/berth/berth.conf", root ? root : "");
    _cleanup_free_ char *etc = str_fmt("%s/etc/berth/berth.conf", root ? root : "");
    _cleanup_free_ char *dropins = str_fmt("%s/etc/berth/berth.conf.d", root ? root : "");

    if (!vendor || !etc || !dropins)
        return berr_oom(err);
    if (read_if_exists(c, vendor, err) < 0 || read_if_exists(c, etc, err) < 0 ||
        read_dropins(c, dropins, err) < 0)
        return -1;
    if (geteuid() != 0) {
        const char *x = getenv("XDG_CONFIG_HOME");
        const char *home = getenv("HOME");
        _cleanup_free_ char *base = x && x[0] == '/' ? str_fmt("%s/berth", x)
                                    : str_fmt("%s/.config/berth", home ? home : "");
        _cleanup_free_ char *user = base ? fs_join(base, "berth.conf") : NULL;
        _cleanup_free_ char *userd = base ? fs_join(base, "berth.conf.d") : NULL;

        if (!user || !userd)
            return berr_oom(err);
        if (read_if_exists(c, user, err) < 0 || read_dropins(c, userd, err) < 0)
            return -1;
    }
    return 0;
}

/* One file named by the user (flag or environment): it must exist. */
static int read_named(struct config *c, const char *what, const char *path, struct berr **err)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return berr_sys(err, "reading %s %s: stat %s", what, path, path);
    return read_file(c, path, err);
}

/* --config, else $BERTH_CONFIG, else podman's $CONTAINERS_CONF names the
 * one file to read instead of the system files; $CONTAINERS_CONF_OVERRIDE
 * (podman 4.4's) is read last, on top of whichever was read. */
static int read_files(struct config *c, const struct gopts *g, struct berr **err)
{
    const char *one = g->config ? g->config : getenv("BERTH_CONFIG");
    const char *what = "config file", *over = getenv("CONTAINERS_CONF_OVERRIDE");
    int r;

    if (!one || !*one) {
        one = getenv("CONTAINERS_CONF");
        what = "CONTAINERS_CONF file";
    }
    r = one && *one ? read_named(c, what, one, err) : read_system_files(c, err);
    if (r == 0 && over && *over)
        r = read_named(c, "CONTAINERS_CONF_OVERRIDE file", over, err);
    return r;
}

/* ---- environment ---------------------------------------------------------- */

static int export_engine_env(struct config *c, struct berr **err)
{
    for (size_t i = 0; c->engine_env[i]; i++) {
        const char *kv = c->engine_env[i], *eq = strchr(kv, '=');
        _cleanup_free_ char *k = NULL;

        if (!eq || eq == kv)
            return berr_msg(err, "invalid [engine] env entry \"%s\": want KEY=VALUE", kv);
        k = str_ndup(kv, (size_t) (eq - kv));
        if (!k)
            return berr_oom(err);
        if (!getenv(k) && setenv(k, eq + 1, 0) < 0)
            return berr_sys(err, "setenv %s", k);
    }
    return 0;
}

/* ---- entry points --------------------------------------------------------- */

int config_load(const struct gopts *g, struct config **out, struct berr **err)
{
    struct config *c = calloc(1, sizeof(*c));

    if (!c)
        return berr_oom(err);
    if (cfg_defaults(c, err) < 0 || read_files(c, g, err) < 0 || cfg_derive(c, err) < 0 ||
        export_engine_env(c, err) < 0 || cfg_apply_flags(c, g, err) < 0 ||
        cfg_validate(c, err) < 0) {
        config_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

void config_free(struct config *c)
{
    if (!c)
        return;

    char **strs[] = {
        &c->init_path, &c->log_driver, &c->shm_size, &c->umask, &c->seccomp_profile,
        &c->base_hosts_file, &c->host_containers_internal_ip, &c->tz, &c->cgroupns,
        &c->ipcns, &c->pidns, &c->utsns, &c->netns, &c->userns, &c->cgroups,
        &c->cgroup_manager, &c->events_logger, &c->events_logfile_path, &c->runtime,
        &c->static_dir, &c->tmp_dir, &c->volume_path, &c->namespace, &c->detach_keys,
        &c->infra_image, &c->image_volume_mode, &c->network_backend, &c->default_network, &c->default_subnet,
        &c->network_config_dir, &c->network_cmd_path, &c->graph_driver, &c->graph_root,
        &c->run_root, &c->log_level,
    };
    char ***vecs[] = {
        &c->default_capabilities, &c->env, &c->default_ulimits, &c->default_sysctls,
        &c->devices, &c->dns_servers, &c->dns_searches, &c->dns_options, &c->annotations,
        &c->conmon_path, &c->conmon_env_vars, &c->runtime_supports_json,
        &c->runtime_supports_nocgroups, &c->runtime_flags, &c->hooks_dir, &c->engine_env,
        &c->cni_plugin_dirs, &c->netavark_plugin_dirs, &c->graph_driver_options, &c->files,
    };

    for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
        free(*strs[i]);
    for (size_t i = 0; i < ARRAY_SIZE(vecs); i++)
        strv_free(*vecs[i]);
    for (int i = 0; i < c->n_runtimes; i++) {
        free(c->runtimes[i].name);
        strv_free(c->runtimes[i].paths);
    }
    free(c->runtimes);
    free(c);
}
