/*
 * runtime/net/ports.c: -p/-P parsing, host port reservation, and the
 * PORTS / inspect renderings of published ports (see ports.h).
 * Error texts follow podman 4.3.1's (observed), since scripts grep them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/net/ipnet.h"
#include "runtime/net/ports.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

/* An invalid-argument error without berr_kind's ": invalid argument"
 * suffix, which podman's port errors do not carry. */
#define PERR(err, ...) \
    ({ berr_msg(err, __VA_ARGS__); if ((*(err))->errnum != ENOMEM) (*(err))->kind = BK_INVALID; -1; })

/* Go's strconv.Atoi wording, then podman's range check. */
static int parse_num(const char *s, const char *what, unsigned *out, struct berr **err)
{
    unsigned long long v = 0;
    bool ok = *s != '\0';

    for (const char *p = s; *p && ok; p++) {
        if (!isdigit((unsigned char) *p))
            ok = false;
        else if ((v = v * 10 + (unsigned) (*p - '0')) > 0x7fffffffffffffffULL)
            return PERR(err, "parsing %s: invalid port number: "
                             "strconv.Atoi: parsing \"%s\": value out of range", what, s);
    }
    if (!ok)
        return PERR(err, "parsing %s: invalid port number: "
                         "strconv.Atoi: parsing \"%s\": invalid syntax", what, s);
    if (v < 1 || v > 65535)
        return PERR(err, "parsing %s: port numbers must be between 1 and "
                         "65535 (inclusive), got %llu", what, v);
    *out = (unsigned) v;
    return 0;
}

/* "80" or "80-90" into start and length. */
static int parse_range(const char *s, const char *what, unsigned *start, unsigned *len,
                       struct berr **err)
{
    const char *dash = strchr(s, '-');
    _cleanup_free_ char *a = NULL;
    unsigned end;

    if (!dash) {
        *len = 1;
        return parse_num(s, what, start, err);
    }
    if (!(a = str_ndup(s, (size_t) (dash - s))))
        return berr_oom(err);
    if (!dash[1])
        return PERR(err, "parsing %s: must provide ending number for "
                         "port range", what);
    if (parse_num(a, what, start, err) < 0 || parse_num(dash + 1, what, &end, err) < 0)
        return -1;
    if (end <= *start)
        return PERR(err, "parsing %s: the end port of a range must be "
                         "higher than the start port - %u is not higher than %u", what, end,
                         *start);
    *len = end - *start + 1;
    return 0;
}

static int push_port(struct net_port **v, size_t *n, const struct net_port *p,
                     struct berr **err)
{
    struct net_port *nv = realloc(*v, (*n + 1) * sizeof(**v));

    if (!nv)
        return berr_oom(err);
    nv[(*n)++] = *p;
    *v = nv;
    return 0;
}

/* Splits "[ip]:host:ctr" / "ip:host:ctr" / "host:ctr" / "ctr" into parts;
 * returns the part count or -1. Bracketed IPv6 keeps its colons. */
static int split_spec(char *s, char *parts[3], struct berr **err)
{
    int k = 0;

    if (*s == '[') {
        char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return PERR(err, "invalid port format - format is "
                             "[[hostIP:]hostPort:]containerPort");
        *close = '\0';
        parts[k++] = s + 1;
        s = close + 2;
    }
    for (char *p = s;; p++) {
        if (*p == ':' || *p == '\0') {
            bool end = *p == '\0';
            if (k == 3)
                return PERR(err, "invalid port format - format is "
                                 "[[hostIP:]hostPort:]containerPort");
            *p = '\0';
            parts[k++] = s;
            s = p + 1;
            if (end)
                break;
        }
    }
    return k;
}

int ports_parse(const char *spec, struct net_port **v, size_t *n, struct berr **err)
{
    _cleanup_free_ char *s = str_dup(spec);
    char *parts[3] = { NULL, NULL, NULL }, *proto = "tcp", *slash;
    const char *ip = "", *host = "", *ctr;
    struct net_port p;
    unsigned cstart, clen, hstart = 0, hlen;
    struct ipaddr addr;
    int k;

    if (!s)
        return berr_oom(err);
    if ((slash = strchr(s, '/'))) {
        *slash = '\0';
        proto = slash + 1;
        if (strchr(proto, '/'))
            return PERR(err, "invalid port format - protocol can only be "
                             "specified once");
        if (strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "sctp"))
            return PERR(err, "unrecognized protocol \"%s\" in port mapping",
                             proto);
    }
    if ((k = split_spec(s, parts, err)) < 0)
        return -1;
    ctr = parts[k - 1];
    if (k >= 2)
        host = parts[k - 2];
    if (k == 3) {
        ip = parts[0];
        if (!*ip)
            return PERR(err, "must provide a non-empty container host IP "
                             "to publish");
        if (ip_parse(ip, &addr) < 0)
            return PERR(err, "cannot parse \"%s\" as an IP address", ip);
    }
    if (!*ctr)
        return PERR(err, "must provide a non-empty container port to publish");
    if (parse_range(ctr, "container port", &cstart, &clen, err) < 0)
        return -1;
    hlen = clen;
    if (*host) {
        if (parse_range(host, "host port", &hstart, &hlen, err) < 0)
            return -1;
        if (hlen != clen)
            return PERR(err, "host and container port ranges have different "
                             "lengths: %u vs %u", hlen, clen);
        if (hstart + hlen - 1 > 65535)
            return PERR(err, "host port range exceeds 65535");
    }
    if (cstart + clen - 1 > 65535)
        return PERR(err, "container port range exceeds 65535");
    memset(&p, 0, sizeof(p));
    snprintf(p.host_ip, sizeof(p.host_ip), "%s", ip);
    p.host_port = (uint16_t) hstart;
    p.ctr_port = (uint16_t) cstart;
    p.range = (uint16_t) clen;
    snprintf(p.proto, sizeof(p.proto), "%s", proto);
    return push_port(v, n, &p, err);
}

static bool maps_ctr_port(const struct net_port *v, size_t n, unsigned port, const char *proto)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].proto, proto) && port >= v[i].ctr_port &&
            port < (unsigned) v[i].ctr_port + v[i].range)
            return true;
    return false;
}

int ports_publish_all(char *const *exposed, struct net_port **v, size_t *n, struct berr **err)
{
    for (size_t i = 0; exposed && exposed[i]; i++) {
        _cleanup_free_ char *spec = str_dup(exposed[i]);
        struct net_port *tmp = NULL;
        size_t nt = 0;
        int rc;

        if (!spec)
            return berr_oom(err);
        /* "80/tcp" -> container port only: host port random. */
        rc = ports_parse(spec, &tmp, &nt, err);
        if (rc == 0 && nt == 1 && tmp[0].host_ip[0] == '\0' && tmp[0].host_port == 0 &&
            !maps_ctr_port(*v, *n, tmp[0].ctr_port, tmp[0].proto))
            rc = push_port(v, n, &tmp[0], err);
        free(tmp);
        if (rc < 0)
            return berr_wrap(err, "exposed port \"%s\"", exposed[i]);
    }
    return 0;
}

/* One socket bound to ip:port (port 0: the kernel picks); *bound gets the
 * port. TCP also listens, as podman's reservation does. */
static int bind_one(const char *ip, unsigned port, const char *proto, uint16_t *bound,
                    int *fd_out, struct berr **err)
{
    struct ipaddr a;
    struct sockaddr_storage ss;
    socklen_t sl;
    bool udp = !strcmp(proto, "udp");
    int type = udp ? SOCK_DGRAM : SOCK_STREAM, family = AF_INET, one = 1;
    _cleanup_close_ int fd = -1;

    memset(&ss, 0, sizeof(ss));
    if (*ip && ip_parse(ip, &a) == 0)
        family = a.family;
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t) port);
        if (*ip)
            memcpy(&sin->sin_addr, a.a, 4);
        sl = sizeof(*sin);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t) port);
        memcpy(&sin6->sin6_addr, a.a, 16);
        sl = sizeof(*sin6);
    }
    if (!strcmp(proto, "sctp")) {
        /* podman does not reserve SCTP ports either. */
        *fd_out = -1;
        *bound = (uint16_t) port;
        return 0;
    }
    fd = socket(family, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return berr_sys(err, "create socket");
    (void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *) &ss, sl) < 0 || (!udp && listen(fd, 1) < 0))
        return berr_sys(err, "cannot listen on the %s port: listen %s%s %s:%u: bind",
                        udp ? "UDP" : "TCP", udp ? "udp" : "tcp",
                        family == AF_INET ? "4" : "6", ip, port);
    if (getsockname(fd, (struct sockaddr *) &ss, &sl) < 0)
        return berr_sys(err, "getsockname");
    *bound = ntohs(family == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                                     : ((struct sockaddr_in6 *) &ss)->sin6_port);
    *fd_out = STEAL_FD(fd);
    return 0;
}

void ports_close(int *fds, size_t nfds)
{
    for (size_t i = 0; fds && i < nfds; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(fds);
}

/* Binds ports [start, start+range) of p; appends fds. */
static int bind_range(const struct net_port *p, unsigned start, int **fds, size_t *nfds,
                      struct berr **err)
{
    for (unsigned i = 0; i < p->range; i++) {
        uint16_t got;
        int fd, *nf;

        if (bind_one(p->host_ip, start + i, p->proto, &got, &fd, err) < 0)
            return -1;
        if (fd < 0)
            continue;
        if (!(nf = realloc(*fds, (*nfds + 1) * sizeof(int)))) {
            close(fd);
            return berr_oom(err);
        }
        *fds = nf;
        nf[(*nfds)++] = fd;
    }
    return 0;
}

/* A free run of p->range ports: ask the kernel for one, then try to hold
 * the ones after it; a few attempts, as ports are taken concurrently. */
static int pick_free(struct net_port *p, int **fds, size_t *nfds, struct berr **err)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        uint16_t base;
        int fd;
        size_t mark = *nfds;

        if (bind_one(p->host_ip, 0, p->proto, &base, &fd, err) < 0)
            return -1;
        if (fd >= 0)
            close(fd);
        if ((unsigned) base + p->range - 1 > 65535)
            continue;
        if (bind_range(p, base, fds, nfds, err) == 0) {
            p->host_port = base;
            return 0;
        }
        berr_free(*err);
        *err = NULL;
        while (*nfds > mark)
            close((*fds)[--*nfds]);
    }
    return berr_msg(err, "cannot find %u free consecutive %s ports", p->range, p->proto);
}

int ports_reserve(struct net_port *v, size_t n, int **fds_out, size_t *nfds_out,
                  struct berr **err)
{
    int *fds = NULL;
    size_t nfds = 0;

    for (size_t i = 0; i < n; i++) {
        int rc = v[i].host_port ? bind_range(&v[i], v[i].host_port, &fds, &nfds, err)
                                : pick_free(&v[i], &fds, &nfds, err);
        if (rc < 0) {
            ports_close(fds, nfds);
            return -1;
        }
    }
    *fds_out = fds;
    *nfds_out = nfds;
    return 0;
}

int ports_pick_random(struct net_port *v, size_t n, struct berr **err)
{
    for (size_t i = 0; i < n; i++) {
        int *fds = NULL;
        size_t nfds = 0;

        if (v[i].host_port)
            continue;
        if (pick_free(&v[i], &fds, &nfds, err) < 0)
            return -1;
        ports_close(fds, nfds);
    }
    return 0;
}

json_t *ports_to_json(const struct net_port *v, size_t n)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, json_pack("{s:s, s:i, s:i, s:i, s:s}",
                                                 "host_ip", v[i].host_ip,
                                                 "container_port", (int) v[i].ctr_port,
                                                 "host_port", (int) v[i].host_port,
                                                 "range", (int) v[i].range,
                                                 "protocol", v[i].proto)) < 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

int ports_from_json(json_t *arr, struct net_port **v, size_t *n, struct berr **err)
{
    size_t i;
    json_t *o;

    *v = NULL;
    *n = 0;
    json_array_foreach(arr, i, o) {
        struct net_port p;
        long long range = js_int(o, "range", 1);

        memset(&p, 0, sizeof(p));
        snprintf(p.host_ip, sizeof(p.host_ip), "%s", js_str(o, "host_ip", ""));
        p.host_port = (uint16_t) js_int(o, "host_port", 0);
        p.ctr_port = (uint16_t) js_int(o, "container_port", 0);
        p.range = (uint16_t) (range < 1 ? 1 : range);
        snprintf(p.proto, sizeof(p.proto), "%s", js_str(o, "protocol", "tcp"));
        if (push_port(v, n, &p, err) < 0) {
            free(*v);
            *v = NULL;
            return -1;
        }
    }
    return 0;
}

char *ports_fmt(const struct net_port *v, size_t n)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    for (size_t i = 0; i < n; i++) {
        const struct net_port *p = &v[i];
        const char *ip = p->host_ip[0] ? p->host_ip : "0.0.0.0";
        bool v6 = strchr(ip, ':') != NULL;

        if (i)
            sbuf_add(&b, ", ");
        sbuf_addf(&b, v6 ? "[%s]:%u" : "%s:%u", ip, p->host_port);
        if (p->range > 1)
            sbuf_addf(&b, "-%u", p->host_port + p->range - 1);
        sbuf_addf(&b, "->%u", p->ctr_port);
        if (p->range > 1)
            sbuf_addf(&b, "-%u", p->ctr_port + p->range - 1);
        sbuf_addf(&b, "/%s", p->proto);
    }
    return sbuf_steal(&b);
}

json_t *ports_inspect(const struct net_port *v, size_t n, char *const *exposed)
{
    _cleanup_json_ json_t *m = json_object();

    if (!m)
        return NULL;
    for (size_t i = 0; i < n; i++)
        for (unsigned k = 0; k < v[i].range; k++) {
            char key[32], hp[8];
            json_t *arr;

            snprintf(key, sizeof(key), "%u/%s", v[i].ctr_port + k, v[i].proto);
            snprintf(hp, sizeof(hp), "%u", v[i].host_port + k);
            if (!(arr = json_object_get(m, key))) {
                if (json_object_set_new(m, key, json_array()) < 0)
                    return NULL;
                arr = json_object_get(m, key);
            }
            if (json_array_append_new(arr, json_pack("{s:s, s:s}", "HostIp", v[i].host_ip,
                                                     "HostPort", hp)) < 0)
                return NULL;
        }
    for (size_t i = 0; exposed && exposed[i]; i++) {
        char key[40];

        snprintf(key, sizeof(key), "%s%s", exposed[i], strchr(exposed[i], '/') ? "" : "/tcp");
        if (!json_object_get(m, key) && json_object_set_new(m, key, json_null()) < 0)
            return NULL;
    }
    return STEAL_PTR(m);
}
