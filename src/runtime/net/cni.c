/*
 * runtime/net/cni.c: the CNI backend (network_backend = "cni").
 *
 * NOT IMPLEMENTED YET: setup refuses with a clear error, teardown is a
 * no-op (nothing can have been set up). The plan: per network, generate
 * <tmp_dir>/networks/cni/<name>.conflist (bridge with our bridge name and
 * the "static" IPAM plugin fed with the addresses our own IPAM chose, so
 * both backends share one allocator; portmap with the port mappings as
 * runtimeConfig; firewall; tuning), run each plugin with CNI_COMMAND=ADD,
 * CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH and the plugin config
 * (with prevResult) on stdin via net_exec(), DEL in reverse order, and
 * convert the CNI result's interfaces/ips into netavark's result shape.
 */
#include "runtime/net/netint.h"

int cni_setup(const struct net_env *e, const char *netns, json_t *input, json_t **result,
              struct berr **err)
{
    (void) e, (void) netns, (void) input, (void) result;
    return berr_msg(err, "cni: the CNI network backend is not implemented yet; "
                    "use network_backend = \"netavark\"");
}

int cni_teardown(const struct net_env *e, const char *netns, json_t *input, struct berr **err)
{
    (void) e, (void) netns, (void) input, (void) err;
    return 0;
}
