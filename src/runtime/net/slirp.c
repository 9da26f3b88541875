/*
 * runtime/net/slirp.c: slirp4netns for --network slirp4netns (slirp.h).
 * The command line is podman 4.3.1's (--disable-host-loopback unless
 * allow_host_loopback=true, --mtu=65520, --enable-sandbox,
 * --enable-seccomp, -c, --netns-type=path NS tap0), with -r for the ready
 * signal. podman also passes -e (an exit pipe conmon holds); berth records
 * slirp4netns's pid and start time instead and ends it at cleanup, so a
 * reused pid is never signalled.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/net/slirp.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/proc.h"
#include "util/str.h"

#define SLIRP_READY_MS 30000

static int parse_bool(const char *v, bool *out)
{
    /* Go's strconv.ParseBool */
    static const char *const t[] = { "1", "t", "T", "TRUE", "true", "True" };
    static const char *const f[] = { "0", "f", "F", "FALSE", "false", "False" };

    for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
        if (!strcmp(v, t[i]))
            return *out = true, 0;
        if (!strcmp(v, f[i]))
            return *out = false, 0;
    }
    return -1;
}

static bool cidr_ok(const char *v)
{
    char ip[64];
    const char *slash = strchr(v, '/');
    char *end;
    long bits;
    struct in_addr a;

    if (!slash || (size_t) (slash - v) >= sizeof(ip))
        return false;
    memcpy(ip, v, (size_t) (slash - v));
    ip[slash - v] = '\0';
    errno = 0;
    bits = strtol(slash + 1, &end, 10);
    return inet_pton(AF_INET, ip, &a) == 1 && slash[1] && !*end && !errno && bits >= 0 && bits <= 32;
}

/* an address of the family, or an interface's name (podman's check) */
static bool outbound_ok(const char *v, int af)
{
    unsigned char buf[16];

    return inet_pton(af, v, buf) == 1 || (*v && if_nametoindex(v) > 0);
}

static int copy_opt(char *dst, size_t n, const char *v)
{
    if (strlen(v) >= n)
        return -1;
    strcpy(dst, v);
    return 0;
}

static int one_opt(struct slirp_opts *o, const char *kv, struct berr **err)
{
    const char *eq = strchr(kv, '=');
    _cleanup_free_ char *k = str_ndup(kv, eq ? (size_t) (eq - kv) : strlen(kv));
    const char *v = eq ? eq + 1 : "";

    if (!k)
        return berr_oom(err);
    if (!strcmp(k, "allow_host_loopback") || !strcmp(k, "enable_ipv6")) {
        if (parse_bool(v, k[0] == 'a' ? &o->allow_host_loopback : &o->enable_ipv6) < 0)
            return berr_msg(err, "invalid value of %s for slirp4netns: \"%s\"", k, v);
    } else if (!strcmp(k, "cidr")) {
        if (!cidr_ok(v) || copy_opt(o->cidr, sizeof(o->cidr), v) < 0)
            return berr_msg(err, "invalid cidr \"%s\"", v);
    } else if (!strcmp(k, "mtu")) {
        char *end;
        long m;
        errno = 0;
        m = strtol(v, &end, 10);
        if (!*v || *end || errno || m < 0 || m > 65521)
            return berr_msg(err, "invalid mtu \"%s\"", v);
        o->mtu = (int) m;
    } else if (!strcmp(k, "outbound_addr") || !strcmp(k, "outbound_addr6")) {
        bool six = k[13] == '6';
        if (!outbound_ok(v, six ? AF_INET6 : AF_INET) ||
            copy_opt(six ? o->outbound_addr6 : o->outbound_addr, sizeof(o->cidr), v) < 0)
            return berr_msg(err, "invalid %s \"%s\"", k, v);
    } else if (!strcmp(k, "port_handler")) {
        if (strcmp(v, "slirp4netns") != 0 && strcmp(v, "rootlesskit") != 0)
            return berr_msg(err, "unknown port_handler for slirp4netns: \"%s\"", v);
        o->port_slirp = !strcmp(v, "slirp4netns");
    } else {
        return berr_msg(err, "unknown option for slirp4netns: \"%s\"", kv);
    }
    return 0;
}

int slirp_opts_parse(const char *s, struct slirp_opts *o, struct berr **err)
{
    _cleanup_free_ char *dup = str_dup(s ? s : "");
    char *save = NULL;

    memset(o, 0, sizeof(*o));
    o->mtu = 65520;
    o->enable_ipv6 = true;      /* podman 4.3.1's default */
    if (!dup)
        return berr_oom(err);
    for (char *kv = strtok_r(dup, ",", &save); kv; kv = strtok_r(NULL, ",", &save))
        if (one_opt(o, kv, err) < 0)
            return -1;
    return 0;
}

int slirp_addrs(const char *cidr, char **ip, char **dns, struct berr **err)
{
    char base[64] = "10.0.2.0";
    struct in_addr a;
    const char *slash = cidr ? strchr(cidr, '/') : NULL;
    long bits = slash ? strtol(slash + 1, NULL, 10) : 24;
    uint32_t net, mask = bits ? ~0u << (32 - bits) : 0;

    if (slash && (size_t) (slash - cidr) < sizeof(base)) {
        memcpy(base, cidr, (size_t) (slash - cidr));
        base[slash - cidr] = '\0';
    }
    if (inet_pton(AF_INET, base, &a) != 1)
        return berr_msg(err, "invalid cidr \"%s\"", cidr);
    net = ntohl(a.s_addr) & mask;
    *ip = str_fmt("%u.%u.%u.%u", (net >> 24) & 255, (net >> 16) & 255, (net >> 8) & 255, (net & 255) + 100);
    *dns = str_fmt("%u.%u.%u.%u", (net >> 24) & 255, (net >> 16) & 255, (net >> 8) & 255, (net & 255) + 3);
    return *ip && *dns ? 0 : berr_oom(err);
}

#define PUSH(...) do { if (strv_push(&v, __VA_ARGS__) < 0) return berr_oom(err); } while (0)
#define PUSHF(...) do { if (strv_pushf(&v, __VA_ARGS__) < 0) return berr_oom(err); } while (0)

/* --enable-sandbox pivots slirp4netns into an empty root in a mount
 * namespace of its own, whose unmounts would propagate back through our
 * shared <tmp>/netns and take the container's namespace with them: it
 * runs under `unshare --mount --propagation slave`, which stops that (and
 * without unshare(1), without the sandbox). */
static int slirp_argv(const struct slirp_start *a, const char *bin, strv *out, struct berr **err)
{
    _cleanup_strv_ strv v = calloc(1, sizeof(char *));
    _cleanup_free_ char *unshare = fs_which("unshare");
    const struct slirp_opts *o = a->opts;

    if (!v)
        return berr_oom(err);
    if (unshare) {
        PUSH(unshare);
        PUSH("--mount");
        PUSH("--propagation");
        PUSH("slave");
    }
    PUSH(bin);
    if (!o->allow_host_loopback)
        PUSH("--disable-host-loopback");
    PUSHF("--mtu=%d", o->mtu);
    if (unshare)
        PUSH("--enable-sandbox");
    PUSH("--enable-seccomp");
    if (*o->cidr)
        PUSHF("--cidr=%s", o->cidr);
    if (o->enable_ipv6)
        PUSH("--enable-ipv6");
    if (*o->outbound_addr)
        PUSHF("--outbound-addr=%s", o->outbound_addr);
    if (*o->outbound_addr6)
        PUSHF("--outbound-addr6=%s", o->outbound_addr6);
    if (a->n_ports) {
        PUSH("--api-socket");
        PUSH(a->api_socket);
    }
    PUSH("-c");
    PUSH("-r");
    PUSH("3");
    PUSH("--netns-type=path");
    PUSH(a->netns);
    PUSH("tap0");
    *out = STEAL_PTR(v);
    return 0;
}

/* slirp4netns in a session of its own, fd 3 the ready pipe, its output
 * in the log: it outlives this process. */
static int spawn(char *const *argv, int ready_w, const char *log, pid_t *pid, struct berr **err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, all;
    static char *const envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL };
    int r;

    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &all);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_adddup2(&fa, ready_w, 3);
    /* what our caller left open (a test's pipes) is not slirp4netns's to hold */
    posix_spawn_file_actions_addclosefrom_np(&fa, 4);
    r = posix_spawn(pid, argv[0], &fa, &at, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (r != 0) {
        errno = r;
        return berr_sys(err, "failed to start slirp4netns process: %s", argv[0]);
    }
    return 0;
}

/* The last line slirp4netns logged, for an error. */
static char *log_tail(const char *log)
{
    _cleanup_free_ char *buf = NULL;
    size_t len = 0;
    struct berr *e = NULL;
    char *nl;

    if (fs_read_file(log, &buf, &len, &e) < 0) {
        berr_free(e);
        return str_dup("");
    }
    while (len && buf[len - 1] == '\n')
        buf[--len] = '\0';
    nl = strrchr(buf, '\n');
    return str_dup(nl ? nl + 1 : buf);
}

static int wait_ready(int fd, pid_t pid, const char *log, struct berr **err)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    char c;
    int r;

    while ((r = poll(&p, 1, SLIRP_READY_MS)) < 0 && errno == EINTR)
        ;
    if (r > 0 && read(fd, &c, 1) == 1)
        return 0;
    {
        _cleanup_free_ char *last = log_tail(log);
        int st;
        (void) kill(pid, SIGKILL);
        (void) waitpid(pid, &st, 0);
        return berr_msg(err, "failed to start slirp4netns: %s", r == 0 ? "timed out" : last && *last ? last : "it exited");
    }
}

static int api_call(const char *sock, const char *req, struct berr **err)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    _cleanup_free_ char *reply = NULL;
    size_t len = 0;

    if (strlen(sock) >= sizeof(a.sun_path))
        return berr_msg(err, "slirp4netns API socket path too long: %s", sock);
    strcpy(a.sun_path, sock);
    if (fd < 0 || connect(fd, (struct sockaddr *) &a, sizeof(a)) < 0)
        return berr_sys(err, "cannot connect to slirp4netns API socket %s", sock);
    if (fs_write_all(fd, req, strlen(req)) < 0 || shutdown(fd, SHUT_WR) < 0)
        return berr_sys(err, "cannot write to slirp4netns API socket %s", sock);
    if (fs_read_fd(fd, &reply, &len) < 0)
        return berr_sys(err, "cannot read from slirp4netns API socket %s", sock);
    if (strstr(reply ? reply : "", "\"error\""))
        return berr_msg(err, "slirp4netns failed: \"%s\"", reply);
    return 0;
}

static int forward_ports(const struct slirp_start *a, struct berr **err)
{
    for (size_t i = 0; i < a->n_ports; i++) {
        const struct net_port *p = &a->ports[i];
        for (unsigned k = 0; k < p->range; k++) {
            _cleanup_free_ char *req = NULL;
            if (strcmp(p->proto, "tcp") != 0 && strcmp(p->proto, "udp") != 0)
                return berr_kind(err, BK_INVALID, "unknown proto: \"%s\"", p->proto);
            req = str_fmt("{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"%s\", "
                          "\"host_addr\": \"%s\", \"host_port\": %u, \"guest_port\": %u}}",
                          p->proto, *p->host_ip ? p->host_ip : "0.0.0.0",
                          (unsigned) p->host_port + k, (unsigned) p->ctr_port + k);
            if (!req)
                return berr_oom(err);
            if (api_call(a->api_socket, req, err) < 0)
                return -1;
        }
    }
    return 0;
}

int slirp_start(const struct slirp_start *a, json_t **state, struct berr **err)
{
    _cleanup_free_ char *bin = NULL;
    _cleanup_strv_ strv argv = NULL;
    _cleanup_close_ int rd = -1, wr = -1;
    int p[2];
    pid_t pid;
    unsigned long long start = 0;

    bin = a->binary && *a->binary ? str_dup(a->binary) : fs_which("slirp4netns");
    if (!bin)
        return berr_new(err, BERR_ENGINE, ENOENT, "could not find slirp4netns, the network namespace can't be configured: exec: \"slirp4netns\": executable file not found in $PATH");
    if (slirp_argv(a, bin, &argv, err) < 0)
        return -1;
    if (a->n_ports)
        (void) unlink(a->api_socket);
    if (pipe2(p, O_CLOEXEC) < 0)
        return berr_sys(err, "slirp4netns: pipe");
    rd = p[0];
    wr = p[1];
    if (spawn(argv, wr, a->log_path, &pid, err) < 0)
        return -1;
    close(STEAL_FD(wr));     /* its EOF: slirp4netns died before ready */
    if (wait_ready(rd, pid, a->log_path, err) < 0)
        return -1;
    (void) proc_start_time(pid, &start);
    *state = json_pack("{s:i, s:I, s:s?}", "pid", (int) pid, "pidStart", (json_int_t) start,
                       "apiSocket", a->n_ports ? a->api_socket : NULL);
    if (!*state || forward_ports(a, err) < 0) {
        if (!*state)
            berr_oom(err);
        if (*state)
            slirp_stop(*state);
        else
            (void) kill(pid, SIGKILL);
        json_decref(*state);
        *state = NULL;
        return -1;
    }
    return 0;
}

void slirp_stop(json_t *state)
{
    pid_t pid = (pid_t) js_int(state, "pid", 0);
    unsigned long long start = (unsigned long long) js_int(state, "pidStart", 0);
    const char *api = js_str(state, "apiSocket", NULL);
    int pfd;

    if (pid > 0 && proc_alive(pid, start)) {
        pfd = proc_pidfd(pid, start);
        (void) kill(pid, SIGTERM);
        /* gone within a second, or killed */
        if (pfd >= 0 && proc_pidfd_wait(pfd, 1000) <= 0)
            (void) kill(pid, SIGKILL);
        if (pfd >= 0)
            close(pfd);
    }
    if (api)
        (void) unlink(api);
}
