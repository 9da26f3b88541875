/*
 * test/unit/test_ports.c: -p parsing (podman 4.3.1's accepted forms and
 * error texts, observed), PORTS formatting, reservation of a taken port.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/net/ports.h"
#include "unit.h"

static const struct {
    const char *in;
    const char *want;       /* "ip host ctr range proto" or NULL */
    const char *err;        /* expected error text when want is NULL */
} cases[] = {
    { "8080:80", "- 8080 80 1 tcp", NULL },
    { "80", "- 0 80 1 tcp", NULL },
    { ":80", "- 0 80 1 tcp", NULL },
    { "127.0.0.1:9000:90/udp", "127.0.0.1 9000 90 1 udp", NULL },
    { "1.2.3.4::80", "1.2.3.4 0 80 1 tcp", NULL },
    { "[::1]:80:80", "::1 80 80 1 tcp", NULL },
    { "8000-8010:80-90", "- 8000 80 11 tcp", NULL },
    { "80-90", "- 0 80 11 tcp", NULL },
    { "5000:5000/sctp", "- 5000 5000 1 sctp", NULL },
    { "1a:80", NULL, "parsing host port: invalid port number: strconv.Atoi: parsing \"1a\": invalid syntax" },
    { "80:1a", NULL, "parsing container port: invalid port number: strconv.Atoi: parsing \"1a\": invalid syntax" },
    { "8000-8010:80-85", NULL, "host and container port ranges have different lengths: 11 vs 6" },
    { "8000-8010:80", NULL, "host and container port ranges have different lengths: 11 vs 1" },
    { "99999:80", NULL, "parsing host port: port numbers must be between 1 and 65535 (inclusive), got 99999" },
    { "0:80", NULL, "parsing host port: port numbers must be between 1 and 65535 (inclusive), got 0" },
    { "::80", NULL, "must provide a non-empty container host IP to publish" },
    { "a.b.c:80:80", NULL, "cannot parse \"a.b.c\" as an IP address" },
    { "80/xyz", NULL, "unrecognized protocol \"xyz\" in port mapping" },
    { "1:2:3:4", NULL, "invalid port format - format is [[hostIP:]hostPort:]containerPort" },
    { "8080-8070:80", NULL, "parsing host port: the end port of a range must be higher than the start port - 8070 is not higher than 8080" },
    { "80-", NULL, "parsing container port: must provide ending number for port range" },
    { "8080:", NULL, "must provide a non-empty container port to publish" },
    { "80/tcp/udp", NULL, "invalid port format - protocol can only be specified once" },
};

static void t_parse(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct net_port *v = NULL;
        size_t n = 0;
        struct berr *err = NULL;
        int rc = ports_parse(cases[i].in, &v, &n, &err);

        if (cases[i].want) {
            char got[128];
            CHECK_INT(rc, 0);
            if (rc == 0 && n == 1) {
                snprintf(got, sizeof(got), "%s %u %u %u %s", v[0].host_ip[0] ? v[0].host_ip : "-",
                         v[0].host_port, v[0].ctr_port, v[0].range, v[0].proto);
                CHECK_STR(got, cases[i].want);
            } else {
                printf("#   case %s: rc %d n %zu %s\n", cases[i].in, rc, n, err ? err->msg : "");
                unit_cur_failed = 1;
            }
        } else {
            CHECK_INT(rc, -1);
            CHECK_STR(err ? err->msg : NULL, cases[i].err);
            CHECK(err && err->kind == BK_INVALID && err->exit_code == 125);
        }
        berr_free(err);
        free(v);
    }
}

static void t_fmt_json(void)
{
    struct net_port *v = NULL, *back = NULL;
    size_t n = 0, nb = 0;
    struct berr *err = NULL;
    char *s;
    json_t *j, *ins;

    CHECK_INT(ports_parse("8080:80", &v, &n, &err), 0);
    CHECK_INT(ports_parse("127.0.0.1:9000:90/udp", &v, &n, &err), 0);
    CHECK_INT(ports_parse("8000-8001:70-71", &v, &n, &err), 0);
    CHECK_INT(ports_parse("[::1]:53:53/udp", &v, &n, &err), 0);
    s = ports_fmt(v, n);
    CHECK_STR(s, "0.0.0.0:8080->80/tcp, 127.0.0.1:9000->90/udp, 0.0.0.0:8000-8001->70-71/tcp, "
                 "[::1]:53->53/udp");
    free(s);
    j = ports_to_json(v, n);
    CHECK(j && json_array_size(j) == 4);
    CHECK_INT(ports_from_json(j, &back, &nb, &err), 0);
    CHECK_INT(nb, 4);
    CHECK(nb == 4 && memcmp(back, v, sizeof(*v) * 4) == 0);
    json_decref(j);
    {
        char *exposed[] = { "80/tcp", "443", NULL };
        ins = ports_inspect(v, 2, exposed);
        s = json_dumps(ins, JSON_SORT_KEYS | JSON_COMPACT);
        CHECK_STR(s, "{\"443/tcp\":null,\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}],"
                     "\"90/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"9000\"}]}");
        free(s);
        json_decref(ins);
    }
    s = ports_fmt(NULL, 0);
    CHECK_STR(s, "");
    free(s);
    free(v);
    free(back);
}

static void t_publish_all(void)
{
    struct net_port *v = NULL;
    size_t n = 0;
    struct berr *err = NULL;
    char *exposed[] = { "80/tcp", "53/udp", "8080", NULL };

    CHECK_INT(ports_parse("9000:80", &v, &n, &err), 0);
    CHECK_INT(ports_publish_all(exposed, &v, &n, &err), 0);
    CHECK_INT(n, 3);        /* 80/tcp already mapped */
    CHECK(n == 3 && v[1].ctr_port == 53 && !strcmp(v[1].proto, "udp") && v[1].host_port == 0);
    CHECK(n == 3 && v[2].ctr_port == 8080 && !strcmp(v[2].proto, "tcp"));
    free(v);
}

static void t_reserve(void)
{
    struct net_port *v = NULL;
    size_t n = 0, nfds = 0, nfds2 = 0;
    int *fds = NULL, *fds2 = NULL;
    struct berr *err = NULL;
    char spec[64];

    /* A random port, then the same port again must fail while held. */
    CHECK_INT(ports_parse("127.0.0.1::80", &v, &n, &err), 0);
    CHECK_INT(ports_reserve(v, n, &fds, &nfds, &err), 0);
    CHECK_INT(nfds, 1);
    CHECK(v[0].host_port != 0);
    snprintf(spec, sizeof(spec), "127.0.0.1:%u:80", v[0].host_port);
    free(v);
    v = NULL;
    n = 0;
    CHECK_INT(ports_parse(spec, &v, &n, &err), 0);
    CHECK_INT(ports_reserve(v, n, &fds2, &nfds2, &err), -1);
    CHECK(err && strstr(err->msg, "cannot listen on the TCP port: listen tcp4 127.0.0.1:") &&
          strstr(err->msg, ": bind: address already in use"));
    berr_free(err);
    err = NULL;
    ports_close(fds, nfds);
    /* Released: now it binds. */
    CHECK_INT(ports_reserve(v, n, &fds2, &nfds2, &err), 0);
    ports_close(fds2, nfds2);
    free(v);
    /* A random range gets consecutive ports. */
    v = NULL;
    n = 0;
    CHECK_INT(ports_parse("127.0.0.1::80-83/udp", &v, &n, &err), 0);
    CHECK_INT(ports_reserve(v, n, &fds, &nfds, &err), 0);
    CHECK_INT(nfds, 4);
    ports_close(fds, nfds);
    free(v);
}

int main(void)
{
    UNIT_RUN(t_parse);
    UNIT_RUN(t_fmt_json);
    UNIT_RUN(t_publish_all);
    UNIT_RUN(t_reserve);
    return unit_done();
}
