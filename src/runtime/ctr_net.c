/*
 * runtime/ctr_net.c: a container's networking. Modes none, host,
 * container:<id> and ns:<path> need nothing here (the spec joins or
 * creates the namespace); bridge mode goes through the network backend.
 */
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "util/js.h"
#include "util/str.h"

static bool is_bridge(struct ctr *c)
{
    return strcmp(ctr_ns_mode(c, "network"), "bridge") == 0;
}

int ctr_net_setup(struct runtime *rt, struct ctr *c, struct berr **err)
{
    (void) rt;
    if (!is_bridge(c))
        return 0;
    return berr_msg(err, "container %s: bridge networking is not available in this build; use --network none|host|container:ID|ns:PATH",
                    ctr_name(c));
}

void ctr_net_teardown(struct runtime *rt, struct ctr *c)
{
    (void) rt;
    (void) c;
}

int ctr_net_etc_info(struct runtime *rt, struct ctr *c, char ***ips, char ***aliases,
                     char ***dns_servers, struct berr **err)
{
    (void) rt;
    (void) c;
    (void) err;
    *ips = NULL;
    *aliases = NULL;
    *dns_servers = NULL;
    return 0;
}

const char *ctr_net_host_ip(struct ctr *c)
{
    (void) c;
    return NULL;
}

int ctr_net_reserve_ports(struct runtime *rt, struct ctr *c, int **fds, size_t *n,
                          struct berr **err)
{
    (void) rt;
    (void) c;
    (void) err;
    *fds = NULL;
    *n = 0;
    return 0;
}
