/*
 * util/idmap.h: user namespace id mappings in podman's form
 * ("CONTAINER:HOST:SIZE", as --uidmap takes them and inspect's
 * HostConfig.IDMappings shows them) and a user namespace holding them
 * (for idmapped mounts).
 */
#ifndef BERTH_IDMAP_H
#define BERTH_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct idmap {
    uint32_t ctr, host, size;
};

/* "0:100000:65536" -> m; -1 when malformed (three uint32, size > 0). */
int idmap_parse(const char *s, struct idmap *m);
/* The host id of container id c under maps, or -1 when unmapped. */
long long idmap_to_host(const struct idmap *maps, size_t n, uint32_t c);
/* A user namespace with these mappings: *fd an O_CLOEXEC fd of its
 * /proc/PID/ns/user (the child that made it is gone on return). */
int idmap_userns_fd(const struct idmap *uid, size_t nuid, const struct idmap *gid, size_t ngid,
                    int *fd, struct berr **err);

#endif
