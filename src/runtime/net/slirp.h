/*
 * runtime/net/slirp.h: --network slirp4netns[:OPTIONS], as podman 4.3.1
 * runs it: slirp4netns on a persistent network namespace (tap0,
 * 10.0.2.100/24 by default), published ports forwarded through its API
 * socket (add_hostfwd), stopped with the container.
 */
#ifndef BERTH_NET_SLIRP_H
#define BERTH_NET_SLIRP_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/net/ports.h"
#include "util/err.h"

struct slirp_opts {
    bool allow_host_loopback;   /* false: --disable-host-loopback */
    bool enable_ipv6;           /* true */
    int mtu;                    /* 65520 */
    char cidr[64];              /* "" : slirp4netns's 10.0.2.0/24 */
    char outbound_addr[64], outbound_addr6[64];
    bool port_slirp;            /* port_handler=slirp4netns (rootlesskit: same here) */
};

/* OPTIONS as given after "slirp4netns:" (NULL: none), with podman's
 * checks and messages (BK_INVALID). */
int slirp_opts_parse(const char *s, struct slirp_opts *o, struct berr **err);

struct slirp_start {
    const char *binary;         /* network_cmd_path; NULL/"": slirp4netns on $PATH */
    const char *netns;          /* the namespace's bind mount */
    const char *api_socket;     /* used when there are ports */
    const char *log_path;       /* slirp4netns's stdout and stderr */
    const struct slirp_opts *opts;
    const struct net_port *ports;
    size_t n_ports;
};

/* Starts slirp4netns (its own session; it outlives us) and waits until
 * tap0 is configured, then forwards the ports. *state: {"pid", "pidStart",
 * "apiSocket"} for slirp_stop(). On failure nothing is left running. */
int slirp_start(const struct slirp_start *a, json_t **state, struct berr **err);
/* Ends the slirp4netns of state, if it still runs (same start time). */
void slirp_stop(json_t *state);
/* The container's address (.100) and slirp's DNS forwarder (.3) in
 * cidr ("" : 10.0.2.0/24), malloc'd. */
int slirp_addrs(const char *cidr, char **ip, char **dns, struct berr **err);

#endif
