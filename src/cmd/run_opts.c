/*
 * cmd/run_opts.c: create/run flags -> the container's configuration.
 * Flag names, letters and value syntax are podman 4.3.1's. Values are
 * checked here where podman checks them at parse time; the rest (ulimits,
 * capabilities, security options, devices) are checked by spec_build()
 * at create, before anything is written.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/run_opts.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

enum {
    O_ADD_HOST = 256, O_ANNOTATION, O_CAP_ADD, O_CAP_DROP, O_CGROUP_PARENT, O_CIDFILE, O_CPUS,
    O_CPUSET_CPUS, O_DETACH_KEYS, O_DEVICE, O_DNS, O_DNS_OPTION, O_DNS_SEARCH, O_ENTRYPOINT,
    O_ENV_FILE, O_ENV_HOST, O_EXPOSE, O_GROUP_ADD, O_INIT, O_INIT_PATH, O_IP, O_LABEL_FILE,
    O_LOG_DRIVER, O_LOG_OPT, O_MAC, O_MEMORY_SWAP, O_MOUNT, O_NAME, O_NETWORK, O_NETWORK_ALIAS,
    O_NO_HOSTS, O_OOM_SCORE_ADJ, O_PIDS_LIMIT, O_PRIVILEGED, O_PULL, O_READ_ONLY,
    O_READ_ONLY_TMPFS, O_REPLACE, O_RESTART, O_RM, O_ROOTFS, O_SECURITY_OPT, O_SHM_SIZE,
    O_SIG_PROXY, O_STOP_SIGNAL, O_STOP_TIMEOUT, O_SYSCTL, O_TIMEOUT, O_TMPFS, O_TZ, O_ULIMIT,
    O_UMASK, O_PID, O_IPC, O_UTS, O_NET_ALIAS,
};

const struct cmd_opt run_opts[] = {
    { "add-host", O_ADD_HOST, OPT_ARG, "strings", "Add a custom host-to-IP mapping (host:ip)", 0 },
    { "annotation", O_ANNOTATION, OPT_ARG, "strings", "Add annotations to container (key=value)", 0 },
    { "attach", 'a', OPT_ARG, "strings", "Attach to STDIN, STDOUT or STDERR", 0 },
    { "cap-add", O_CAP_ADD, OPT_ARG, "strings", "Add capabilities to the container", 0 },
    { "cap-drop", O_CAP_DROP, OPT_ARG, "strings", "Drop capabilities from the container", 0 },
    { "cgroup-parent", O_CGROUP_PARENT, OPT_ARG, "string", "Optional parent cgroup for the container", 0 },
    { "cidfile", O_CIDFILE, OPT_ARG, "string", "Write the container ID to the file", 0 },
    { "cpu-shares", 'c', OPT_ARG, "uint", "CPU shares (relative weight)", 0 },
    { "cpus", O_CPUS, OPT_ARG, "float", "Number of CPUs. The default is 0.000 which means no limit", 0 },
    { "cpuset-cpus", O_CPUSET_CPUS, OPT_ARG, "string", "CPUs in which to allow execution (0-3, 0,1)", 0 },
    { "detach", 'd', OPT_FLAG, NULL, "Run container in background and print container ID", 0 },
    { "detach-keys", O_DETACH_KEYS, OPT_ARG, "[a-Z]", "Override the key sequence for detaching a container (default \"ctrl-p,ctrl-q\")", 0 },
    { "device", O_DEVICE, OPT_ARG, "strings", "Add a host device to the container", 0 },
    { "dns", O_DNS, OPT_ARG, "strings", "Set custom DNS servers", 0 },
    { "dns-option", O_DNS_OPTION, OPT_ARG, "strings", "Set custom DNS options", 0 },
    { "dns-search", O_DNS_SEARCH, OPT_ARG, "strings", "Set custom DNS search domains", 0 },
    { "entrypoint", O_ENTRYPOINT, OPT_ARG, "string", "Overwrite the default ENTRYPOINT of the image", 0 },
    { "env", 'e', OPT_ARG, "stringArray", "Set environment variables in container", 0 },
    { "env-file", O_ENV_FILE, OPT_ARG, "strings", "Read in a file of environment variables", 0 },
    { "env-host", O_ENV_HOST, OPT_FLAG, NULL, "Use all current host environment variables in container", 0 },
    { "expose", O_EXPOSE, OPT_ARG, "strings", "Expose a port or a range of ports", 0 },
    { "group-add", O_GROUP_ADD, OPT_ARG, "strings", "Add additional groups to the primary container process", 0 },
    { "hostname", 'h', OPT_ARG, "string", "Set container hostname", 0 },
    { "init", O_INIT, OPT_FLAG, NULL, "Run an init binary inside the container that forwards signals and reaps processes", 0 },
    { "init-path", O_INIT_PATH, OPT_ARG, "string", "Path to the container-init binary", 0 },
    { "interactive", 'i', OPT_FLAG, NULL, "Keep STDIN open even if not attached", 0 },
    { "ip", O_IP, OPT_ARG, "string", "Specify a static IPv4 address for the container", 0 },
    { "ipc", O_IPC, OPT_ARG, "string", "IPC namespace to use (host, private, container:ID, ns:PATH)", 0 },
    { "label", 'l', OPT_ARG, "stringArray", "Set metadata on container", 0 },
    { "label-file", O_LABEL_FILE, OPT_ARG, "strings", "Read in a line delimited file of labels", 0 },
    { "log-driver", O_LOG_DRIVER, OPT_ARG, "string", "Logging driver for the container: k8s-file, none or passthrough (default \"k8s-file\")", 0 },
    { "log-opt", O_LOG_OPT, OPT_ARG, "strings", "Logging driver options: max-size=SIZE, path=FILE, tag=TAG", 0 },
    { "mac-address", O_MAC, OPT_ARG, "string", "Container MAC address (e.g. 92:d0:c6:0a:29:33)", 0 },
    { "memory", 'm', OPT_ARG, "<number>[<unit>]", "Memory limit (format: <number>[<unit>], where unit = b (bytes), k (kibibytes), m (mebibytes), or g (gibibytes))", 0 },
    { "memory-swap", O_MEMORY_SWAP, OPT_ARG, "string", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", 0 },
    { "mount", O_MOUNT, OPT_ARG, "stringArray", "Attach a filesystem mount to the container (type=bind|tmpfs,...)", 0 },
    { "name", O_NAME, OPT_ARG, "string", "Assign a name to the container", 0 },
    { "net", O_NETWORK, OPT_ARG, "stringArray", "Connect a container to a network", OPT_HIDDEN },
    { "network", O_NETWORK, OPT_ARG, "stringArray", "Connect a container to a network: bridge, none, host, container:ID, ns:PATH or network names", 0 },
    { "network-alias", O_NETWORK_ALIAS, OPT_ARG, "strings", "Add network-scoped alias for the container", 0 },
    { "no-hosts", O_NO_HOSTS, OPT_FLAG, NULL, "Do not create /etc/hosts within the container, instead use the version from the image", 0 },
    { "oom-score-adj", O_OOM_SCORE_ADJ, OPT_ARG, "int", "Tune the host's OOM preferences (-1000 to 1000)", 0 },
    { "pid", O_PID, OPT_ARG, "string", "PID namespace to use (host, private, container:ID, ns:PATH)", 0 },
    { "pids-limit", O_PIDS_LIMIT, OPT_ARG, "int", "Tune container pids limit (set -1 for unlimited) (default 2048)", 0 },
    { "privileged", O_PRIVILEGED, OPT_FLAG, NULL, "Give extended privileges to container", 0 },
    { "publish", 'p', OPT_ARG, "strings", "Publish a container's port, or a range of ports, to the host", 0 },
    { "publish-all", 'P', OPT_FLAG, NULL, "Publish all exposed ports to random ports on the host interface", 0 },
    { "pull", O_PULL, OPT_ARG, "string", "Pull image policy: never or missing (berth has no registry access yet) (default \"missing\")", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Suppress output information when pulling images", 0 },
    { "read-only", O_READ_ONLY, OPT_FLAG, NULL, "Make containers root filesystem read-only", 0 },
    { "read-only-tmpfs", O_READ_ONLY_TMPFS, OPT_FLAG, NULL, "When running containers in read-only mode mount a read-write tmpfs on /run, /tmp and /var/tmp (default true)", 0 },
    { "replace", O_REPLACE, OPT_FLAG, NULL, "If a container with the same name exists, replace it", 0 },
    { "restart", O_RESTART, OPT_ARG, "string", "Restart policy to apply when a container exits (\"always\"|\"no\"|\"on-failure[:N]\"|\"unless-stopped\")", 0 },
    { "rm", O_RM, OPT_FLAG, NULL, "Remove container after exit", 0 },
    { "rootfs", O_ROOTFS, OPT_FLAG, NULL, "The first argument is not an image but the rootfs to the exploded container", 0 },
    { "security-opt", O_SECURITY_OPT, OPT_ARG, "stringArray", "Security Options (seccomp=unconfined|FILE, no-new-privileges, mask=PATHS, unmask=PATHS)", 0 },
    { "shm-size", O_SHM_SIZE, OPT_ARG, "<number>[<unit>]", "Size of /dev/shm (format: <number>[<unit>], where unit = b (bytes), k (kibibytes), m (mebibytes), or g (gibibytes)) (default \"65536k\")", 0 },
    { "sig-proxy", O_SIG_PROXY, OPT_FLAG, NULL, "Proxy received signals to the process (default true)", 0 },
    { "stop-signal", O_STOP_SIGNAL, OPT_ARG, "string", "Signal to stop a container. Default is SIGTERM", 0 },
    { "stop-timeout", O_STOP_TIMEOUT, OPT_ARG, "uint", "Timeout (in seconds) that containers stopped by user command have to exit. If exceeded, the container will be forcibly stopped via SIGKILL. (default 10)", 0 },
    { "sysctl", O_SYSCTL, OPT_ARG, "strings", "Sysctl options", 0 },
    { "timeout", O_TIMEOUT, OPT_ARG, "uint", "Maximum length of time a container is allowed to run. The container will be killed automatically after the time expires.", 0 },
    { "tmpfs", O_TMPFS, OPT_ARG, "tmpfs", "Mount a temporary filesystem (tmpfs) into a container", 0 },
    { "tty", 't', OPT_FLAG, NULL, "Allocate a pseudo-TTY for container", 0 },
    { "tz", O_TZ, OPT_ARG, "string", "Set timezone in container", 0 },
    { "ulimit", O_ULIMIT, OPT_ARG, "strings", "Ulimit options", 0 },
    { "umask", O_UMASK, OPT_ARG, "string", "Set umask in container (default \"0022\")", 0 },
    { "user", 'u', OPT_ARG, "string", "Username or UID (format: <name|uid>[:<group|gid>])", 0 },
    { "uts", O_UTS, OPT_ARG, "string", "UTS namespace to use (host, private, container:ID, ns:PATH)", 0 },
    { "volume", 'v', OPT_ARG, "stringArray", "Bind mount a volume into the container (SRC:DST[:OPTIONS])", 0 },
    { "workdir", 'w', OPT_ARG, "string", "Working directory inside the container", 0 },
    { 0 }
};

int run_parse_size(const char *s, long long *out)
{
    char *end;
    double v;
    long long mult = 1;

    errno = 0;
    if (!s || !*s || !(isdigit((unsigned char) *s) || *s == '.'))
        return -1;
    v = strtod(s, &end);
    if (errno || v < 0)
        return -1;
    if (*end == ' ')
        end++;
    switch (tolower((unsigned char) *end)) {
    case 'k': mult = 1LL << 10; end++; break;
    case 'm': mult = 1LL << 20; end++; break;
    case 'g': mult = 1LL << 30; end++; break;
    case 't': mult = 1LL << 40; end++; break;
    case 'p': mult = 1LL << 50; end++; break;
    case 'b': break;
    case '\0': break;
    default: return -1;
    }
    if (mult > 1 && tolower((unsigned char) *end) == 'i')
        end++;
    if (tolower((unsigned char) *end) == 'b')
        end++;
    if (*end)
        return -1;
    if (v * (double) mult > (double) LLONG_MAX)
        return -1;
    *out = (long long) (v * (double) mult);
    return 0;
}

/* StringSlice flags split on commas, as pflag's do. */
static int push_csv(json_t *arr, const char *v, struct berr **err)
{
    _cleanup_strv_ char **parts = strv_split(v, ",");
    if (!parts)
        return berr_oom(err);
    for (size_t i = 0; parts[i]; i++)
        if (json_array_append_new(arr, json_string(parts[i])) < 0)
            return berr_oom(err);
    return 0;
}

static json_t *arr_of(json_t *o, const char *key)
{
    json_t *a = json_object_get(o, key);
    if (!a) {
        a = json_array();
        json_object_set_new(o, key, a);
    }
    return a;
}

static json_t *obj_of(json_t *o, const char *key)
{
    json_t *a = json_object_get(o, key);
    if (!a) {
        a = json_object();
        json_object_set_new(o, key, a);
    }
    return a;
}

/* "k=v" (or "k" -> "") into an object. */
static int put_kv(json_t *obj, const char *kv)
{
    const char *eq = strchr(kv, '=');
    _cleanup_free_ char *k = eq ? str_ndup(kv, (size_t) (eq - kv)) : str_dup(kv);
    return k ? json_object_set_new(obj, k, json_string(eq ? eq + 1 : "")) : -1;
}

/* Lines of K=V (or K: the host's value) into env; # starts a comment. */
static int read_kv_file(const char *path, json_t *arr, bool env, json_t *obj, struct berr **err)
{
    _cleanup_free_ char *text = NULL;

    if (fs_read_file(path, &text, NULL, err) < 0)
        return -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *l = str_trim(line);
        if (!*l || *l == '#')
            continue;
        if (env) {
            if (json_array_append_new(arr, json_string(l)) < 0)
                return berr_oom(err);
        } else if (put_kv(obj, l) < 0) {
            return berr_oom(err);
        }
    }
    return 0;
}

static const char *const volume_opts[] = {
    "ro", "rw", "z", "Z", "U", "O", "shared", "slave", "private", "rshared", "rslave",
    "rprivate", "nosuid", "nodev", "noexec", "suid", "dev", "exec", "bind", "rbind",
    "nocopy", "copy", "idmap", NULL,
};

/* -v SRC:DST[:OPTS] for host paths. */
static int parse_volume(json_t *mounts, const char *v, struct berr **err)
{
    _cleanup_strv_ char **parts = strv_split(v, ":");
    _cleanup_free_ char *src = NULL;
    json_t *opts;
    size_t n = parts ? strv_len(parts) : 0;
    struct stat st;

    if (!parts)
        return berr_oom(err);
    if (n < 2 || n > 3)
        return berr_msg(err, "incorrect volume format %s, should be [host-dir:]ctr-dir[:option]", v);
    if (parts[0][0] != '/' && parts[0][0] != '.')
        return berr_msg(err, "named volumes are not supported by berth yet: %s", parts[0]);
    if (parts[1][0] != '/')
        return berr_msg(err, "invalid container path \"%s\", must be an absolute path", parts[1]);
    if (parts[0][0] == '.') {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof(cwd)))
            return berr_sys(err, "getcwd");
        src = str_fmt("%s/%s", cwd, parts[0]);
    } else {
        src = str_dup(parts[0]);
    }
    if (!src)
        return berr_oom(err);
    {
        _cleanup_free_ char *clean = fs_clean(src);
        free(src);
        src = STEAL_PTR(clean);
    }
    if (stat(src, &st) < 0)
        return berr_sys(err, "statfs %s", src);
    opts = json_array();
    if (n == 3) {
        _cleanup_strv_ char **o = strv_split(parts[2], ",");
        for (size_t i = 0; o && o[i]; i++) {
            bool ok = false;
            for (size_t k = 0; volume_opts[k]; k++)
                ok |= strcmp(o[i], volume_opts[k]) == 0;
            if (!ok) {
                json_decref(opts);
                return berr_msg(err, "invalid option type: \"%s\"", o[i]);
            }
            /* SELinux relabel and idmap/overlay options: accepted, nothing to do */
            if (strcmp(o[i], "z") && strcmp(o[i], "Z") && strcmp(o[i], "U") &&
                strcmp(o[i], "O") && strcmp(o[i], "copy") && strcmp(o[i], "nocopy"))
                json_array_append_new(opts, json_string(o[i]));
        }
    }
    return json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:o}", "type", "bind",
                                                   "source", src, "destination", parts[1],
                                                   "options", opts));
}

/* --mount type=bind|tmpfs,source=,destination=,ro,... */
static int parse_mount(json_t *mounts, const char *v, struct berr **err)
{
    _cleanup_strv_ char **kv = strv_split(v, ",");
    const char *type = "volume", *src = NULL, *dst = NULL;
    json_t *opts = json_array();
    struct stat st;

    for (size_t i = 0; kv && kv[i]; i++) {
        char *eq = strchr(kv[i], '=');
        const char *val = eq ? eq + 1 : "";
        if (eq)
            *eq = '\0';
        if (!strcmp(kv[i], "type")) type = val;
        else if (!strcmp(kv[i], "source") || !strcmp(kv[i], "src")) src = val;
        else if (!strcmp(kv[i], "destination") || !strcmp(kv[i], "dst") || !strcmp(kv[i], "target")) dst = val;
        else if (!strcmp(kv[i], "ro") || !strcmp(kv[i], "readonly"))
            json_array_append_new(opts, json_string(!eq || !strcmp(val, "true") ? "ro" : "rw"));
        else if (!strcmp(kv[i], "bind-propagation"))
            json_array_append_new(opts, json_string(val));
        else if (!strcmp(kv[i], "tmpfs-size")) {
            _cleanup_free_ char *o = str_fmt("size=%s", val);
            json_array_append_new(opts, json_string(o));
        } else if (!strcmp(kv[i], "tmpfs-mode")) {
            _cleanup_free_ char *o = str_fmt("mode=%s", val);
            json_array_append_new(opts, json_string(o));
        } else if (!strcmp(kv[i], "relabel") || !strcmp(kv[i], "consistency")) {
            continue;
        } else if (!strcmp(kv[i], "nosuid") || !strcmp(kv[i], "nodev") || !strcmp(kv[i], "noexec") ||
                   !strcmp(kv[i], "rw")) {
            json_array_append_new(opts, json_string(kv[i]));
        } else {
            json_decref(opts);
            return berr_msg(err, "%s: invalid mount option", kv[i]);
        }
    }
    if (!dst || dst[0] != '/') {
        json_decref(opts);
        return berr_msg(err, "must set a destination for the mount: %s", v);
    }
    if (!strcmp(type, "bind")) {
        if (!src || stat(src, &st) < 0) {
            json_decref(opts);
            return src ? berr_sys(err, "statfs %s", src)
                       : berr_msg(err, "must set a source for a bind mount: %s", v);
        }
    } else if (!strcmp(type, "tmpfs")) {
        src = "tmpfs";
    } else {
        json_decref(opts);
        return berr_msg(err, "mount type %s is not supported by berth yet", type);
    }
    return json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:o}", "type", type,
                                                   "source", src, "destination", dst,
                                                   "options", opts));
}

/* --tmpfs /path[:opts] with podman's defaults */
static int parse_tmpfs(json_t *mounts, const char *v, struct berr **err)
{
    const char *colon = strchr(v, ':');
    _cleanup_free_ char *dst = colon ? str_ndup(v, (size_t) (colon - v)) : str_dup(v);
    json_t *opts;

    if (!dst || dst[0] != '/')
        return berr_msg(err, "invalid tmpfs %s: the container path must be absolute", v);
    opts = json_array();
    if (colon) {
        push_csv(opts, colon + 1, err);
    } else {
        json_array_append_new(opts, json_string("rw"));
        json_array_append_new(opts, json_string("noexec"));
        json_array_append_new(opts, json_string("nosuid"));
        json_array_append_new(opts, json_string("nodev"));
    }
    return json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:o}", "type", "tmpfs",
                                                   "source", "tmpfs", "destination", dst,
                                                   "options", opts));
}

static int parse_restart(struct run_args *a, const char *v, struct berr **err)
{
    const char *colon = strchr(v, ':');
    size_t n = colon ? (size_t) (colon - v) : strlen(v);
    static const char *const ok[] = { "no", "on-failure", "always", "unless-stopped" };
    bool known = false;

    for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
        known |= strlen(ok[i]) == n && strncmp(ok[i], v, n) == 0;
    if (!known)
        return berr_msg(err, "invalid restart policy \"%s\": must be no, on-failure[:N], always or unless-stopped", v);
    free(a->restart);
    a->restart = str_ndup(v, n);
    if (colon) {
        long long r;
        if (strncmp(v, "on-failure", n) != 0)
            return berr_msg(err, "restart policy %.*s does not take a retry count", (int) n, v);
        if (str_to_ll(colon + 1, &r) < 0 || r < 0)
            return berr_msg(err, "invalid restart retry count \"%s\"", colon + 1);
        a->p.restart_retries = r;
    }
    return 0;
}

static int parse_log_opt(struct run_args *a, const char *v, struct berr **err)
{
    const char *eq = strchr(v, '=');
    if (!eq)
        return berr_msg(err, "invalid log option %s: must be key=value", v);
    if (str_has_prefix(v, "max-size=")) {
        if (run_parse_size(eq + 1, &a->log_size_max) < 0)
            return berr_msg(err, "invalid log max-size %s", eq + 1);
    } else if (str_has_prefix(v, "path=")) {
        free(a->log_path);
        a->log_path = str_dup(eq + 1);
    } else if (str_has_prefix(v, "tag=")) {
        free(a->log_tag);
        a->log_tag = str_dup(eq + 1);
    } else {
        return berr_msg(err, "unknown log option %.*s", (int) (eq - v), v);
    }
    return 0;
}

/* --network values: a mode, or network names (comma-separated). */
static int parse_network(struct run_args *a, const char *v, struct berr **err)
{
    json_t *ns = obj_of(a->spec, "namespaces");
    static const char *const modes[] = { "none", "host", "bridge", "private", "slirp4netns", "pasta" };

    for (size_t i = 0; i < ARRAY_SIZE(modes); i++)
        if (!strcmp(v, modes[i])) {
            if (i >= 4)
                return berr_msg(err, "network mode %s is not supported by berth", v);
            return json_object_set_new(ns, "network", json_string(i == 3 ? "bridge" : v));
        }
    if (str_has_prefix(v, "container:") || str_has_prefix(v, "ns:"))
        return json_object_set_new(ns, "network", json_string(v));
    json_object_set_new(ns, "network", json_string("bridge"));
    {
        _cleanup_strv_ char **names = strv_split(v, ",");
        for (size_t i = 0; names && names[i]; i++)
            json_array_append_new(a->networks, json_pack("{s:s}", "name", names[i]));
    }
    return 0;
}

static int parse_attach(struct run_args *a, const char *v, struct berr **err)
{
    _cleanup_strv_ char **s = strv_split(v, ",");
    for (size_t i = 0; s && s[i]; i++) {
        str_lower(s[i]);
        if (!strcmp(s[i], "stdin")) a->attach_in = true;
        else if (!strcmp(s[i], "stdout")) a->attach_out = true;
        else if (!strcmp(s[i], "stderr")) a->attach_err = true;
        else return berr_msg(err, "invalid stream \"%s\" for --attach - must be one of stdin, stdout, or stderr", s[i]);
    }
    a->attach_given = true;
    return 0;
}

static int bad_value(struct opt_it *it, const char *what, struct berr **err)
{
    return berr_msg(err, "invalid value for %s: %s", what, it->arg);
}

/* One flag; returns 0 or -1. */
static int apply(struct run_args *a, struct opt_it *it, int c, json_t *env_files,
                 json_t *label_files, json_t *aliases, const char **ip, const char **mac,
                 struct berr **err)
{
    json_t *s = a->spec, *res = obj_of(s, "resources");
    const char *v = it->arg;
    long long n;
    unsigned long long u;

    switch (c) {
    case O_ADD_HOST:
        if (!strchr(v, ':'))
            return berr_msg(err, "invalid add-host: %s: must be host:ip", v);
        return push_csv(a->add_hosts, v, err);
    case O_ANNOTATION: return put_kv(obj_of(s, "annotations"), v);
    case 'a': return parse_attach(a, v, err);
    case O_CAP_ADD: return push_csv(arr_of(s, "capAdd"), v, err);
    case O_CAP_DROP: return push_csv(arr_of(s, "capDrop"), v, err);
    case O_CGROUP_PARENT: free(a->cgroup_parent); a->cgroup_parent = str_dup(v); return 0;
    case O_CIDFILE: a->cidfile = v; return 0;
    case 'c':
        if (opt_uint(it, &u, err) < 0)
            return -1;
        return js_set_int(res, "cpuShares", (long long) u);
    case O_CPUS: {
        char *end;
        double d = strtod(v, &end);
        if (*end || d <= 0 || !isfinite(d))
            return bad_value(it, "cpus", err);
        return json_object_set_new(res, "cpus", json_real(d));
    }
    case O_CPUSET_CPUS:
        for (const char *p = v; *p; p++)
            if (!isdigit((unsigned char) *p) && *p != ',' && *p != '-')
                return bad_value(it, "cpuset-cpus", err);
        return js_set_str(res, "cpusetCpus", v);
    case 'd': a->detach = it->bval; return 0;
    case O_DETACH_KEYS: a->detach_keys = v; return 0;
    case O_DEVICE: return push_csv(arr_of(s, "devices"), v, err);
    case O_DNS: return push_csv(arr_of(a->dns, "servers"), v, err);
    case O_DNS_OPTION: return push_csv(arr_of(a->dns, "options"), v, err);
    case O_DNS_SEARCH: return push_csv(arr_of(a->dns, "search"), v, err);
    case O_ENTRYPOINT: {
        json_t *j;
        if (!*v)
            return json_object_set_new(s, "entrypoint", json_array());
        j = v[0] == '[' ? json_loads(v, 0, NULL) : NULL;
        if (j && json_is_array(j))
            return json_object_set_new(s, "entrypoint", j);
        json_decref(j);
        return json_object_set_new(s, "entrypoint", json_pack("[s]", v));
    }
    case 'e': return json_array_append_new(arr_of(s, "env"), json_string(v));
    case O_ENV_FILE: return push_csv(env_files, v, err);
    case O_ENV_HOST: return js_set_bool(s, "envHost", it->bval);
    case O_EXPOSE: return 0;    /* only informs -P, which reads the image's EXPOSE */
    case O_GROUP_ADD: return push_csv(arr_of(s, "groups"), v, err);
    case 'h': return js_set_str(s, "hostname", v);
    case O_INIT: return js_set_bool(s, "init", it->bval);
    case O_INIT_PATH: return js_set_str(s, "initPath", v);
    case 'i': a->interactive = it->bval; return 0;
    case O_IP: *ip = v; return 0;
    case O_IPC: return json_object_set_new(obj_of(s, "namespaces"), "ipc", json_string(v));
    case O_PID: return json_object_set_new(obj_of(s, "namespaces"), "pid", json_string(v));
    case O_UTS: return json_object_set_new(obj_of(s, "namespaces"), "uts", json_string(v));
    case 'l': return put_kv(obj_of(s, "labels"), v);
    case O_LABEL_FILE: return push_csv(label_files, v, err);
    case O_LOG_DRIVER:
        if (!strcmp(v, "json-file"))
            v = "k8s-file";
        if (strcmp(v, "k8s-file") && strcmp(v, "none") && strcmp(v, "passthrough"))
            return berr_msg(err, "unsupported log driver: %s (berth supports k8s-file, none and passthrough)", v);
        free(a->log_driver);
        a->log_driver = str_dup(v);
        return 0;
    case O_LOG_OPT: return parse_log_opt(a, v, err);
    case O_MAC: *mac = v; return 0;
    case 'm':
        if (run_parse_size(v, &n) < 0)
            return berr_msg(err, "invalid value for memory: invalid size: '%s'", v);
        return js_set_int(res, "memory", n);
    case O_MEMORY_SWAP:
        if (!strcmp(v, "-1"))
            return js_set_int(res, "memorySwap", -1);
        if (run_parse_size(v, &n) < 0)
            return berr_msg(err, "invalid value for memory-swap: invalid size: '%s'", v);
        return js_set_int(res, "memorySwap", n);
    case O_MOUNT: return parse_mount(arr_of(s, "mounts"), v, err);
    case O_NAME: free(a->name); a->name = str_dup(v); return 0;
    case O_NETWORK: return parse_network(a, v, err);
    case O_NETWORK_ALIAS: return push_csv(aliases, v, err);
    case O_NO_HOSTS: return js_set_bool(s, "noHosts", it->bval);
    case O_OOM_SCORE_ADJ:
        if (opt_int(it, &n, err) < 0)
            return -1;
        if (n < -1000 || n > 1000)
            return berr_msg(err, "oom-score-adj must be between -1000 and 1000: %lld", n);
        return js_set_int(s, "oomScoreAdj", n);
    case O_PIDS_LIMIT:
        if (opt_int(it, &n, err) < 0)
            return -1;
        return js_set_int(res, "pidsLimit", n);
    case O_PRIVILEGED: return js_set_bool(s, "privileged", it->bval);
    case 'p': return push_csv(a->ports, v, err);
    case 'P': return js_set_bool(s, "publishAll", it->bval);
    case O_PULL:
        if (strcmp(v, "never") && strcmp(v, "missing") && strcmp(v, "always") && strcmp(v, "newer"))
            return berr_msg(err, "invalid pull policy \"%s\"", v);
        a->pull = v;
        return 0;
    case 'q': a->quiet = it->bval; return 0;
    case O_READ_ONLY: return js_set_bool(s, "readOnly", it->bval);
    case O_READ_ONLY_TMPFS: return js_set_bool(s, "readOnlyTmpfs", it->bval);
    case O_REPLACE: a->replace = it->bval; return 0;
    case O_RESTART: return parse_restart(a, v, err);
    case O_RM: a->rm = it->bval; return 0;
    case O_ROOTFS: a->rootfs = it->bval; return 0;
    case O_SECURITY_OPT: return json_array_append_new(arr_of(s, "securityOpts"), json_string(v));
    case O_SHM_SIZE:
        if (run_parse_size(v, &n) < 0)
            return berr_msg(err, "invalid value for shm-size: invalid size: '%s'", v);
        return js_set_int(s, "shmSize", n);
    case O_SIG_PROXY: a->sig_proxy = it->bval; return 0;
    case O_STOP_SIGNAL: {
        int sig = spec_signal_parse(v);
        if (sig <= 0 || sig >= 65)
            return berr_msg(err, "invalid signal: %s", v);
        return js_set_int(s, "stopSignal", sig);
    }
    case O_STOP_TIMEOUT:
        if (opt_uint(it, &u, err) < 0)
            return -1;
        a->p.stop_timeout = (long long) u;
        return 0;
    case O_SYSCTL: return put_kv(obj_of(s, "sysctls"), v);
    case O_TIMEOUT:
        if (opt_uint(it, &u, err) < 0)
            return -1;
        return js_set_int(s, "timeout", (long long) u);
    case O_TMPFS: return parse_tmpfs(arr_of(s, "mounts"), v, err);
    case 't': a->tty = it->bval; return js_set_bool(s, "terminal", it->bval);
    case O_TZ: return js_set_str(s, "timezone", v);
    case O_ULIMIT: return json_array_append_new(arr_of(s, "ulimits"), json_string(v));
    case O_UMASK:
        for (const char *p = v; *p; p++)
            if (*p < '0' || *p > '7')
                return berr_msg(err, "invalid umask string %s", v);
        return js_set_str(s, "umask", v);
    case 'u': return js_set_str(s, "user", v);
    case 'v': return parse_volume(arr_of(s, "mounts"), v, err);
    case 'w': return js_set_str(s, "workdir", v);
    }
    return 0;
}

void run_args_free(struct run_args *a)
{
    json_decref(a->spec);
    json_decref(a->networks);
    json_decref(a->ports);
    json_decref(a->dns);
    json_decref(a->add_hosts);
    free(a->image);
    free(a->log_path);
    free(a->log_tag);
    free(a->restart);
    free(a->cgroup_parent);
    free(a->log_driver);
    free(a->name);
    memset(a, 0, sizeof(*a));
}

/* After all flags: files, aliases and static addresses, the command. */
static int finish(struct run_args *a, struct opt_it *it, json_t *env_files, json_t *label_files,
                  json_t *aliases, const char *ip, const char *mac, struct berr **err)
{
    size_t i;
    json_t *e;

    json_array_foreach(env_files, i, e) {
        json_t *env = arr_of(a->spec, "env"), *from_file = json_array();
        /* env files come before -e values, which win */
        if (read_kv_file(json_string_value(e), from_file, true, NULL, err) < 0) {
            json_decref(from_file);
            return -1;
        }
        json_array_extend(from_file, env);
        json_object_set_new(a->spec, "env", from_file);
    }
    json_array_foreach(label_files, i, e)
        if (read_kv_file(json_string_value(e), NULL, false, obj_of(a->spec, "labels"), err) < 0)
            return -1;
    if (json_array_size(aliases) || ip || mac) {
        if (json_array_size(a->networks) == 0)
            json_array_append_new(a->networks, json_object());
        json_array_foreach(a->networks, i, e) {
            json_object_set(e, "aliases", aliases);
            if (ip)
                js_set_str(e, "ip", ip);
            if (mac)
                js_set_str(e, "mac", mac);
        }
    }
    if (it->nargs < 1)
        return berr_msg(err, "%s requires at least 1 argument", it->cmdpath);
    a->image = str_dup(it->args[0]);
    if (it->nargs > 1) {
        json_t *cmd = json_array();
        for (int k = 1; k < it->nargs; k++)
            json_array_append_new(cmd, json_string(it->args[k]));
        json_object_set_new(a->spec, "command", cmd);
    }
    if (a->rm && a->restart && strcmp(a->restart, "no"))
        return berr_msg(err, "the --rm option conflicts with --restart, when the restartPolicy is not \"\" and \"no\"");
    if (!a->image)
        return berr_oom(err);
    return 0;
}

int run_args_parse(struct cmd_ctx *cx, int argc, char **argv, bool is_run, struct run_args *a,
                   bool *help, struct berr **err)
{
    struct opt_it it;
    _cleanup_json_ json_t *env_files = json_array(), *label_files = json_array(),
                          *aliases = json_array();
    const char *ip = NULL, *mac = NULL;
    int c, r = 0;

    memset(a, 0, sizeof(*a));
    a->spec = json_object();
    a->networks = json_array();
    a->ports = json_array();
    a->dns = json_object();
    a->add_hosts = json_array();
    a->sig_proxy = true;
    a->p.stop_timeout = -1;
    a->log_size_max = -1;
    if (!a->spec || !a->networks || !a->ports || !a->dns || !a->add_hosts || !env_files ||
        !label_files || !aliases)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (!is_run && c == 'd')
            continue;   /* create accepts -d for compatibility and ignores it */
        if (apply(a, &it, c, env_files, label_files, aliases, &ip, &mac, err) < 0) {
            r = -1;
            break;
        }
    }
    *help = it.help;
    if (c < 0)
        r = -1;
    if (r == 0 && !it.help)
        r = finish(a, &it, env_files, label_files, aliases, ip, mac, err);
    opt_free(&it);
    if (r < 0)
        return -1;
    /* the create parameters, pointing into a */
    a->p.spec = a->spec;
    a->p.name = a->name;
    a->p.image = a->rootfs ? NULL : a->image;
    a->p.rootfs = a->rootfs ? a->image : NULL;
    a->p.log_driver = a->log_driver;
    a->p.log_path = a->log_path;
    a->p.log_size_max = a->log_size_max;
    a->p.log_tag = a->log_tag;
    a->p.restart_policy = a->restart;
    a->p.stdin = a->interactive;
    a->p.terminal = a->tty;
    a->p.auto_remove = a->rm;
    a->p.networks = a->networks;
    a->p.port_mappings = a->ports;
    a->p.dns = a->dns;
    a->p.add_hosts = a->add_hosts;
    a->p.cgroup_parent = a->cgroup_parent;
    if (a->rm)
        js_set_bool(a->spec, "rm", true);
    js_set_bool(a->spec, "stdin", a->interactive);
    return 0;
}
