/*
 * runtime/net/ports.h: published ports (-p/--publish, -P/--publish-all).
 *
 * A mapping is netavark's port_mappings entry, and this is also how the
 * container config stores them (JSON array "portMappings" of objects
 * {host_ip, container_port, host_port, range, protocol}):
 *
 *   -p 8080:80            host_ip "",  8080 -> 80,   range 1, tcp
 *   -p 127.0.0.1:9000:90/udp
 *   -p 127.0.0.1::80      host port 0: picked at reservation time
 *   -p 80                 host port 0 (random), container port 80
 *   -p 8000-8010:80-90    one mapping with range 11
 *   -p 80-90              random consecutive host ports, range 11
 *
 * Port reservation: berth binds every published host port (TCP: bind +
 * listen; UDP: bind) and hands the sockets to conmon, which keeps them
 * open while the container runs, so no other program can take the port
 * meanwhile (podman does the same). Random ports (host_port 0) are
 * chosen here by binding port 0 and reading the kernel's choice.
 */
#ifndef BERTH_NET_PORTS_H
#define BERTH_NET_PORTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct net_port {
    char host_ip[46];       /* "" = every address */
    uint16_t host_port;     /* 0 = pick a free one */
    uint16_t ctr_port;
    uint16_t range;         /* >= 1 */
    char proto[5];          /* "tcp", "udp" or "sctp" */
};

/* Parses one -p value and appends its mappings (one per protocol) to
 * *v / *n (realloc'd). Errors are podman's texts, BK_INVALID, exit 125. */
int ports_parse(const char *spec, struct net_port **v, size_t *n, struct berr **err);
/* Replaces host_port 0 by free ports now (podman picks them at create,
 * so they stay the same across restarts); a range gets consecutive ones. */
int ports_pick_random(struct net_port *v, size_t n, struct berr **err);
/* -P: appends a mapping with a random host port (0) for every exposed
 * port ("80/tcp", "53/udp", "8080" = tcp) that no -p already maps. */
int ports_publish_all(char *const *exposed, struct net_port **v, size_t *n,
                      struct berr **err);
/* Binds every host port (each port of a range), choosing the free port
 * for host_port 0 (written back into v). *fds (malloc'd, *nfds entries)
 * are O_CLOEXEC sockets to pass to conmon; close them to release. A port
 * in use fails: "cannot listen on the TCP port: listen tcp4 :8080: bind:
 * address already in use" (podman's words), nothing left bound. */
int ports_reserve(struct net_port *v, size_t n, int **fds, size_t *nfds, struct berr **err);
void ports_close(int *fds, size_t nfds);

/* JSON: array of netavark port_mappings objects, and back. */
json_t *ports_to_json(const struct net_port *v, size_t n);
int ports_from_json(json_t *arr, struct net_port **v, size_t *n, struct berr **err);
/* ps's PORTS column: "0.0.0.0:8080->80/tcp, 127.0.0.1:9000->90/udp",
 * ranges as "0.0.0.0:8000-8010->80-90/tcp". malloc'd ("" for none). */
char *ports_fmt(const struct net_port *v, size_t n);
/* inspect's Ports map {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}
 * (every port of a range listed); exposed ports without a mapping get
 * null as podman shows them. New reference. */
json_t *ports_inspect(const struct net_port *v, size_t n, char *const *exposed);

#endif
