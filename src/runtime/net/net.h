/*
 * runtime/net/net.h: berth's networking layer (DESIGN.md "Networking").
 *
 * Three parts:
 *   - network definitions: one JSON file per network, <config_dir>/<name>.json,
 *     in podman's (netavark's) format; the default network ("berth",
 *     10.87.0.0/16, bridge berth0, no DNS) exists implicitly and is written
 *     on first use. Used by the `network` commands.
 *   - the container-facing API: a persistent network namespace per
 *     container, address allocation (our own IPAM), the backend (netavark,
 *     or the CNI plugins) run against the namespace, and the status it
 *     returns, which the container stores in state.json "networkStatus".
 *   - renderings of that status: inspect's NetworkSettings, the input of
 *     /etc/resolv.conf and /etc/hosts.
 *
 * On disk:
 *   <config_dir>/<name>.json                 definitions (cfg->network_config_dir)
 *   <config_dir>/.lock                       lock around definition changes
 *   <static_dir>/networks/ipam/<name>.json   {"version":1,"allocations":{ctr id: [ip...]}}
 *                                            one address per subnet; survives
 *                                            restarts, dropped by net_refresh()
 *   <static_dir>/networks/ipam/<name>.lock   exclusive lock around allocation
 *   <tmp_dir>/netns/netns-<uuid>             container namespaces (bind mounts)
 *   <tmp_dir>/networks/                      netavark's --config (aardvark-dns)
 *   <tmp_dir>/networks/status/<ctr id>.json  the setup in progress / in force,
 *                                            written BEFORE the backend runs, so
 *                                            a teardown after a crash (kill -9
 *                                            mid-init) still knows what to undo
 *   <tmp_dir>/networks/cni/<name>.conflist   generated CNI configs (cni backend)
 *
 * The container config (containers/<id>/config.json) records the networks
 * a container joins under the key "networks": an object keyed by network
 * name, each value {"aliases": [..], "static_ips": [..], "static_mac": "..",
 * "interface_name": "eth0"} (all optional). `network rm` finds a network's
 * users by scanning that key (net_users()).
 */
#ifndef BERTH_NET_H
#define BERTH_NET_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "runtime/net/ports.h"
#include "util/err.h"

struct runtime;
struct state;

/* Where things live and which backend runs; borrowed strings. Built from
 * the runtime by net_env_from_rt(), or by hand in tests. */
struct net_env {
    struct state *state;            /* the container records (net_users) */
    const char *config_dir;         /* network definitions */
    const char *static_dir;         /* IPAM under <static_dir>/networks/ipam */
    const char *tmp_dir;            /* netns, netavark config, status files */
    const char *backend;            /* "netavark" (default) or "cni" */
    const char *default_network;    /* "berth" */
    const char *default_subnet;     /* "10.87.0.0/16" */
    char *const *helper_dirs;       /* where netavark / aardvark-dns are looked for */
    char *const *cni_dirs;          /* CNI plugin dirs */
};

void net_env_from_rt(struct runtime *rt, struct net_env *e);

/* ---- network definitions -------------------------------------------- */

/* Every network, sorted by name (the default one included: written to
 * disk here on first use). *out: a new JSON array of definitions. */
int net_list(const struct net_env *e, json_t **out, struct berr **err);
/* One network by name (as net_name_resolve), full id or unique id prefix. Missing:
 * "unable to find network with name or ID X: network not found"
 * (BK_NO_SUCH). *out: a new reference. */
/* A filter's network (podman's NetworkInspect of the value): its name in
 * *out (malloc'd), or NULL when there is no such network; -1 on any other
 * failure. */
int net_filter_name(const struct net_env *e, const char *value, char **out, struct berr **err);
int net_lookup(const struct net_env *e, const char *name_or_id, json_t **out,
               struct berr **err);
/* The network NAME means: the default network for "podman" (podman's
 * default network's name, which scripts pass) unless a network of that
 * name exists; NAME itself otherwise. */
const char *net_name_resolve(const struct net_env *e, const char *name);
/* Writes the default network's file when missing (idempotent). */
int net_default_ensure(const struct net_env *e, struct berr **err);

struct net_create_opts {
    const char *name;               /* NULL: "berthN", first free N */
    const char *driver;             /* NULL or "bridge" */
    char **subnets, **gateways, **ip_ranges;   /* parallel, by index */
    char **labels;                  /* "k=v" */
    char **options;                 /* "k=v": mtu, vlan, isolate, metric */
    const char *interface;          /* bridge name (-o/--interface-name), NULL = next berthN */
    bool internal, disable_dns, ipv6;
    bool ignore_existing;           /* --ignore: an existing one is returned */
    const char *ipam_driver;        /* NULL or "host-local"; "none": no subnets,
                                       no addresses (containers get a link only) */
};
/* Validates (podman's texts: subnet overlap, names, gateway outside the
 * subnet, ...), picks a free subnet when none is given (10.89.N.0/24
 * upward, skipping subnets of other networks and of host routes; with
 * --ipv6 also a random fdXX:XXXX:XXXX:XXXX::/64), picks the bridge name
 * and writes the file atomically under the config lock. */
int net_create(const struct net_env *e, const struct net_create_opts *o, json_t **out,
               struct berr **err);
/* Removes the definition (and its IPAM file). The default network cannot
 * be removed ("default network berth cannot be removed"). Does not look
 * for users: the caller checks net_users() first. */
int net_remove(const struct net_env *e, const char *name, struct berr **err);

/* Container ids (malloc'd strv, sorted) whose config "networks" names the
 * network, read through the state layer (e->state). A record that does
 * not read is skipped (ps reports it). */
int net_users(const struct net_env *e, const char *net_name, char ***ids, struct berr **err);

/* Free-subnet selection, exposed for tests: the first 10.89.N.0/24
 * (N = 0..255, then 10.90.0.0/24 ... up to 10.255.255.0/24) that
 * overlaps no subnet in used[] (n entries). */
struct ipnet;
int net_pick_subnet(const struct ipnet *used, size_t n, struct ipnet *out, struct berr **err);
/* The subnets of the host's IPv4 routes (/proc/net/route), malloc'd. */
int net_host_routes(struct ipnet **out, size_t *n, struct berr **err);

/* ---- network namespaces ---------------------------------------------- */

/* Creates <tmp_dir>/netns/netns-<uuid> (the dir is made a shared bind
 * mount of itself, as `ip netns` does, so the namespace mount propagates),
 * a new network namespace bound onto it with lo up. *path malloc'd.
 * name: the file's name ("netns-<container id>", so that it can be found
 * and removed even when the caller died before recording it; an existing
 * one is replaced), or NULL for a random netns-<uuid>. */
/* <tmp_dir>/netns made (a shared mount point) for namespaces bound there. */
int net_ns_dir(const char *tmp_dir, struct berr **err);
int net_ns_create(const char *tmp_dir, const char *name, char **path, struct berr **err);
/* Unmounts and unlinks; a missing file or an unmounted one is fine. */
int net_ns_remove(const char *path, struct berr **err);

/* ---- the container-facing API ---------------------------------------- */

/* One network a container joins. */
struct net_attach {
    const char *name;               /* network name or id */
    char **aliases;                 /* --network-alias (the short id is added) */
    const char *static_ip;          /* --ip, NULL = allocate */
    const char *static_ip6;         /* --ip6, NULL = allocate */
    const char *static_mac;         /* --mac-address, NULL = random */
    const char *ifname;             /* NULL = eth<index> */
};

struct net_ctr_opts {
    const char *id;                 /* container id (64 hex) */
    const char *name;               /* container name */
    const char *netns;              /* from net_ns_create() */
    const struct net_attach *nets;  /* n_nets >= 1; bridge mode */
    size_t n_nets;
    const struct net_port *ports;   /* host ports already chosen (no 0) */
    size_t n_ports;
};

/* Allocates addresses, runs the backend's setup in o->netns and returns
 * the status to store in state.json "networkStatus" (a new reference):
 *
 *   {"version": 1, "backend": "netavark", "netns": "...",
 *    "container_id": "...", "container_name": "...",
 *    "port_mappings": [...],          as ports_to_json()
 *    "networks":     {name: {static_ips, aliases, interface_name, static_mac?}},
 *    "network_info": {name: <definition>},
 *    "results":      {name: {"interfaces": {"eth0": {"mac_address": "..",
 *                        "subnets": [{"ipnet": "10.87.0.2/16", "gateway": ".."}]}},
 *                        "dns_server_ips": [..], "dns_search_domains": [..]}}}
 *
 * On failure everything done here is undone (backend teardown, addresses
 * released) and the error reads "netavark: <its message>" (or "cni: ..").
 * A taken --ip: "IPAM error: requested ip address X is already allocated
 * to container ID Y". Unknown network: BK_NO_SUCH. */
int net_setup(struct runtime *rt, const struct net_ctr_opts *o, json_t **status,
              struct berr **err);
int net_setup_env(const struct net_env *e, const struct net_ctr_opts *o, json_t **status,
                  struct berr **err);

/* Undoes net_setup: backend teardown (in a scratch namespace when the
 * netns is gone, so firewall rules still go), addresses released, the
 * status file removed. status may be NULL (state lost, or setup killed
 * midway): the status file is used, and failing that every allocation of
 * ctr_id is released. Idempotent; "already gone" is never an error; other
 * backend failures are logged as warnings and teardown goes on. Does not
 * remove the namespace: call net_ns_remove() after it. */
int net_teardown(struct runtime *rt, const char *ctr_id, json_t *status, const char *netns,
                 struct berr **err);
int net_teardown_env(const struct net_env *e, const char *ctr_id, json_t *status,
                     const char *netns, struct berr **err);

/* `network reload`: re-applies one running container's networking
 * (backend teardown + setup with the same addresses and ports), which
 * restores flushed firewall rules. *new_status replaces the stored one. */
int net_reload(const struct net_env *e, json_t *status, json_t **new_status,
               struct berr **err);

/* `network connect` / `disconnect` on a running container: adds or drops
 * one network, returning the updated status. */
int net_connect(const struct net_env *e, json_t *status, const struct net_attach *a,
                json_t **new_status, struct berr **err);
int net_disconnect(const struct net_env *e, json_t *status, const char *net_name,
                   json_t **new_status, struct berr **err);

/* After a reboot (refresh): drops every IPAM allocation, the status
 * files and stale namespace files (the kernel state is gone anyway). */
int net_refresh(const struct net_env *e, struct berr **err);

/* ---- renderings of a status ------------------------------------------ */

/* inspect's NetworkSettings in podman's shape: EndpointID, Gateway,
 * IPAddress, IPPrefixLen, MacAddress, Bridge, SandboxID, Ports,
 * SandboxKey, Networks {name: {Gateway, IPAddress, IPPrefixLen,
 * MacAddress, NetworkID, Aliases, ...}}; the top-level address fields are
 * filled only with exactly one network (podman). status NULL: a stopped
 * container (empty fields, Ports from the config). exposed: the image's
 * EXPOSE list ("80/tcp"), may be NULL. New reference. */
json_t *net_inspect_settings(json_t *status, const struct net_port *ports, size_t n_ports,
                             char *const *exposed, const char *netns);

/* DNS for resolv.conf: the backend's servers (aardvark's gateway address
 * on dns_enabled networks) and search domains ("dns.podman"), in network
 * order, without duplicates. Both malloc'd strv (possibly empty). */
int net_dns(json_t *status, char ***servers, char ***searches, struct berr **err);
/* The container's addresses (for /etc/hosts, one per network subnet) and
 * the first IPv4 gateway (host.containers.internal), malloc'd. */
int net_addresses(json_t *status, char ***ips, char **gateway4, struct berr **err);

#endif
