/*
 * runtime/net/netint.h: the networking layer's internal interfaces
 * (between netconf, ipam, the backends and setup). Not for other modules:
 * they use net.h.
 */
#ifndef BERTH_NET_INT_H
#define BERTH_NET_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/lock.h"
#include "runtime/net/net.h"
#include "util/err.h"

bool net_name_valid(const char *name);
char *net_now_rfc3339(void);
int net_write_def(const struct net_env *e, json_t *def, struct berr **err);
int net_conf_lock(const struct net_env *e, struct lock *l, struct berr **err);

/* ---- ipam.c: <static_dir>/networks/ipam/<net>.json ---- */

/* One address per subnet of def for ctr_id; static_ip and static_ip6
 * (either may be NULL: --ip, --ip6) are taken in the subnet that contains
 * them. An existing allocation of ctr_id is returned as is (idempotent).
 * *ips: malloc'd strv of addresses. */
int ipam_alloc(const struct net_env *e, json_t *def, const char *ctr_id, const char *static_ip,
               const char *static_ip6, char ***ips, struct berr **err);
/* Drops ctr_id's addresses on that network; absent is fine. */
int ipam_release(const struct net_env *e, const char *net_name, const char *ctr_id,
                 struct berr **err);
/* Drops ctr_id's addresses on every network. */
int ipam_release_all(const struct net_env *e, const char *ctr_id, struct berr **err);
/* The addresses held by ctr_id on the network (empty strv if none). */
int ipam_get(const struct net_env *e, const char *net_name, const char *ctr_id, char ***ips,
             struct berr **err);
/* Removes a network's allocation file (network rm). */
int ipam_forget_network(const struct net_env *e, const char *net_name, struct berr **err);
/* Removes every allocation (refresh). */
int ipam_drop_all(const struct net_env *e, struct berr **err);

/* ---- backends: input is netavark's setup JSON (container_id,
 * container_name, port_mappings, networks, network_info) ---- */

/* Runs setup; *result: {net: {interfaces, dns_server_ips, dns_search_domains}}. */
int netavark_setup(const struct net_env *e, const char *netns, json_t *input, json_t **result,
                   struct berr **err);
int netavark_teardown(const struct net_env *e, const char *netns, json_t *input,
                      struct berr **err);
int cni_setup(const struct net_env *e, const char *netns, json_t *input, json_t **result,
              struct berr **err);
int cni_teardown(const struct net_env *e, const char *netns, json_t *input, struct berr **err);

/* ---- cniconf.c: the CNI backend's pure conversions ---- */

/* The conflist (CNI 1.0.0) for the container on network name: def its
 * definition, per its "networks" entry (static_ips, static_mac,
 * interface_name), ports netavark's port_mappings. New reference. */
int cni_conflist(const char *name, json_t *def, json_t *per, json_t *ports, json_t **out,
                 struct berr **err);
/* One plugin's stdin: the plugin object plus the list's cniVersion and
 * name, and prev (may be NULL) as prevResult. New reference, NULL = OOM. */
json_t *cni_plugin_conf(json_t *conflist, json_t *plugin, json_t *prev);
/* The prevResult a DEL gets, rebuilt from our own records (the
 * container's interface in netns and its addresses): it survives a crash
 * that lost the ADD's real result. New reference. */
int cni_prev_result(json_t *def, json_t *per, const char *netns, json_t **out,
                    struct berr **err);
/* A CNI result -> one network's entry of netavark's result: {"interfaces":
 * {ifname: {"mac_address", "subnets": [{"ipnet", "gateway"}]}},
 * "dns_server_ips": [], "dns_search_domains": []}. New reference. */
int cni_result_convert(json_t *res, const char *ifname, json_t **out, struct berr **err);

/* Runs argv[0] (absolute path) with in (may be NULL) on stdin; *out and
 * *errout (either may be NULL) get its output, *status its exit status. */
int net_exec(char *const argv[], char *const envp[], const char *in, char **out,
             char **errout, int *status, struct berr **err);

/* Finds a helper binary (netavark, aardvark-dns) in the helper dirs and
 * podman's usual places; malloc'd path or NULL. */
char *net_find_helper(const struct net_env *e, const char *name);

#endif
