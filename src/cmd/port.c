/*
 * cmd/port.c: berth port CONTAINER [PRIVATE_PORT[/PROTO]] -- the published
 * ports of a container, one "80/tcp -> 0.0.0.0:8080" line each, as podman.
 * The ports are parsed by runtime/net/ports.c.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "runtime/container.h"
#include "runtime/net/ports.h"
#include "util/cleanup.h"
#include "util/js.h"

enum { O_ALL = 'a', O_LATEST = 'l' };

static const struct cmd_opt port_opts[] = {
    { "all", O_ALL, OPT_FLAG, NULL, "Display port information for all containers", 0 },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { 0 }
};

struct port_arg {
    bool want;              /* a port was asked for */
    unsigned port;          /* its number */
    const char *proto;      /* and protocol ("tcp" unless given) */
    bool prefix_id;         /* --all: each line starts with the short id */
    bool reported;          /* a running container with published ports */
    bool found;
};

/* podman: only running containers with published ports are reported */
static int port_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct port_arg *pa = e->arg;
    _cleanup_free_ struct net_port *v = NULL;
    char prefix[STATE_ID_LEN + 2] = "";
    size_t n = 0;

    (void) input;
    if (ctr_state(c) != CS_RUNNING)
        return 0;
    if (ports_from_json(c->cfg.port_mappings, &v, &n, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    pa->reported = true;
    if (pa->prefix_id)
        snprintf(prefix, sizeof(prefix), "%.12s\t", c->id);
    for (size_t i = 0; i < n; i++) {
        const char *ip = v[i].host_ip[0] ? v[i].host_ip : "0.0.0.0";
        if (!pa->want) {
            for (unsigned k = 0; k < v[i].range; k++)
                printf("%s%u/%s -> %s:%u\n", prefix, v[i].ctr_port + k, v[i].proto, ip,
                       v[i].host_port + k);
            continue;
        }
        /* a single port prints only the host side */
        if (strcmp(v[i].proto, pa->proto) == 0 && v[i].ctr_port <= pa->port &&
            pa->port < (unsigned) v[i].ctr_port + v[i].range) {
            printf("%s%s:%u\n", prefix, ip, v[i].host_port + pa->port - v[i].ctr_port);
            pa->found = true;
        }
    }
    return 0;
}

/* PORT[/PROTO] as podman parses it (strconv.ParseUint(s, 10, 16)) */
static int port_parse(const char *s, struct port_arg *pa, struct berr **err)
{
    const char *slash = strchr(s, '/');
    size_t len = slash ? (size_t) (slash - s) : strlen(s);
    unsigned long v = 0;
    bool range = false;

    if (slash && strchr(slash + 1, '/'))
        return berr_msg(err, "port formats are port/protocol. '%s' is invalid", s);
    pa->proto = slash ? slash + 1 : "tcp";
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return berr_msg(err, "strconv.ParseUint: parsing \"%.*s\": invalid syntax", (int) len, s);
        v = v * 10 + (unsigned long) (s[i] - '0');
        if (v > 65535) {
            range = true;
            v = 65535;
        }
    }
    if (len == 0)
        return berr_msg(err, "strconv.ParseUint: parsing \"\": invalid syntax");
    if (range)
        return berr_msg(err, "strconv.ParseUint: parsing \"%.*s\": value out of range", (int) len, s);
    pa->want = true;
    pa->port = (unsigned) v;
    return 0;
}

static int port_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct port_arg pa = { 0 };
    bool all = false, latest = false;
    const char *want = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == O_ALL)
            all = it.bval;
        else if (c == O_LATEST)
            latest = it.bval;
    }
    /* podman's checks, in its order and words */
    if (c == 0 && !it.help) {
        if (all && latest)
            c = berr_msg(err, "--all and --latest cannot be used together");
        else if (all && it.nargs > 0)
            c = berr_msg(err, "no arguments are needed with --all");
        else if (it.nargs == 0 && !all && !latest)
            c = berr_msg(err, "you must supply a running container name or id");
        else if (it.nargs > 2)
            c = berr_msg(err, "`port` accepts at most 2 arguments");
    }
    if (c == 0 && !it.help) {
        /* --latest takes one argument as the port, and ignores two */
        want = !latest && it.nargs > 1 ? it.args[1] : latest && it.nargs == 1 ? it.args[0] : NULL;
        if (want && port_parse(want, &pa, err) < 0)
            c = -1;
    }
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    {
        struct ctr_each e = { .rt = rt, .all = all, .latest = latest, .fn = port_one, .arg = &pa };
        pa.prefix_id = all;
        c = ctr_each_run(&e, it.args, all || latest ? 0 : 1, err);
    }
    if (c == 0 && pa.want && pa.reported && !pa.found)
        c = berr_msg(err, "failed to find published port \"%s\"", want);
    opt_free(&it);
    return c;
}

#define PORT_DESC "Lists the published ports of a running container: one\n" \
    "\"PORT/PROTO -> HOST_IP:HOST_PORT\" line each, or only the host side of the one\n" \
    "private port asked for. With --all each line starts with the container's short ID\n" \
    "and a tab. A container that is not running prints nothing."
const struct cmd cmd_port = { .name = "port", .summary = "List port mappings or a specific mapping for the container",
    .usage = "[options] CONTAINER [PRIVATE_PORT[/PROTO]]", .description = PORT_DESC,
    .examples = "berth port web\nberth port web 80\nberth port --all", .opts = port_opts,
    .fn = port_fn, .need = RT_FULL };
