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
    const char *want;       /* "80" or "80/udp", or NULL */
    bool prefix_id;         /* --all: each block headed by the id */
    bool found;
};

static int port_one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct port_arg *pa = e->arg;
    _cleanup_free_ struct net_port *v = NULL;
    size_t n = 0;

    (void) input;
    if (ports_from_json(c->cfg.port_mappings, &v, &n, err) < 0)
        return -1;
    if (pa->prefix_id && n)
        printf("%s\n", c->id);
    for (size_t i = 0; i < n; i++) {
        for (unsigned k = 0; k < v[i].range; k++) {
            char key[32];
            snprintf(key, sizeof(key), "%u/%s", v[i].ctr_port + k, v[i].proto);
            if (pa->want) {
                char want[32];
                snprintf(want, sizeof(want), "%s%s", pa->want, strchr(pa->want, '/') ? "" : "/tcp");
                if (strcmp(want, key) != 0)
                    continue;
                /* a single port prints only the host side */
                printf("%s:%u\n", v[i].host_ip[0] ? v[i].host_ip : "0.0.0.0", v[i].host_port + k);
            } else {
                printf("%s -> %s:%u\n", key, v[i].host_ip[0] ? v[i].host_ip : "0.0.0.0",
                       v[i].host_port + k);
            }
            pa->found = true;
        }
    }
    return 0;
}

static int port_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct port_arg pa = { 0 };
    bool all = false, latest = false;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == O_ALL)
            all = it.bval;
        else if (c == O_LATEST)
            latest = it.bval;
    }
    if (c == 0 && !it.help) {
        int need = all || latest ? 0 : 1;
        if (it.nargs < need || it.nargs > need + 1)
            c = berr_msg(err, "`%s` requires a container (or --all/--latest) and at most one port", cx->path);
    }
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    {
        int need = all || latest ? 0 : 1;
        struct ctr_each e = { .rt = rt, .all = all, .latest = latest, .fn = port_one, .arg = &pa };
        pa.want = it.nargs > need ? it.args[need] : NULL;
        pa.prefix_id = all;
        c = ctr_each_run(&e, it.args, need, err);
    }
    if (c == 0 && pa.want && !pa.found)
        c = berr_msg(err, "failed to find published port \"%s\"", pa.want);
    opt_free(&it);
    return c;
}

#define PORT_DESC "Lists the published ports of a container: one \"PORT/PROTO -> HOST_IP:HOST_PORT\"\n" \
    "line each, or only the host side of the one private port asked for."
const struct cmd cmd_port = { .name = "port", .summary = "List port mappings or a specific mapping for the container",
    .usage = "[options] CONTAINER [PRIVATE_PORT[/PROTO]]", .description = PORT_DESC,
    .examples = "berth port web\nberth port web 80\nberth port --all", .opts = port_opts,
    .fn = port_fn, .need = RT_FULL };
