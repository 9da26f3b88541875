/*
 * runtime/ctr_int.h: shared between the runtime/ctr_*.c files only.
 */
#ifndef BERTH_CTR_INT_H
#define BERTH_CTR_INT_H

#include "runtime/container.h"

/* ctr_get.c: reads c's records again (after a wait without the lock). */
int ctr_reload(struct runtime *rt, struct ctr *c, struct berr **err);
/* Writes c->cfg.rec (atomically), and nothing else. */
int ctr_config_write(struct runtime *rt, struct ctr *c, struct berr **err);

/* ctr_prepare.c: mount rootfs and shm, set up networking, write the /etc
 * files and the OCI config.json. ctr_unprepare() undoes it, idempotently. */
int ctr_prepare(struct runtime *rt, struct ctr *c, struct berr **err);
void ctr_unprepare(struct runtime *rt, struct ctr *c);
/* The size of the container's /dev/shm in bytes: --shm-size, else the
 * config's shm_size, else 64 MiB. */
long long ctr_shm_size(struct runtime *rt, const struct ctr *c);

/* ctr_net.c: networking of a container (bridge mode through the network
 * backend; none/host/container:/ns: need nothing here). */
int ctr_net_setup(struct runtime *rt, struct ctr *c, struct berr **err);
void ctr_net_teardown(struct runtime *rt, struct ctr *c);
/* What the /etc files need from the network: the container's addresses,
 * its aliases, the networks' DNS servers, host.containers.internal's
 * address. All empty/NULL without bridge networking. */
struct ctr_net_info {
    char **ips, **aliases, **dns_servers;
    char *host_ip;
};
int ctr_net_etc_info(struct runtime *rt, struct ctr *c, struct ctr_net_info *out,
                     struct berr **err);
void ctr_net_info_free(struct ctr_net_info *i);
/* Host port sockets reserved for the container (conmon holds them). */
int ctr_net_reserve_ports(struct runtime *rt, struct ctr *c, int **fds, size_t *n,
                          struct berr **err);

/* ctr_lifecycle.c */
/* Writes a container event (type "container") about c. */
void ctr_emit(struct runtime *rt, struct ctr *c, const char *status);
void ctr_remove_conmon_files(struct runtime *rt, const char *id);
/* runtime delete --force, conmon's files removed, pids cleared. */
void ctr_teardown_runtime(struct runtime *rt, struct ctr *c);

#endif
