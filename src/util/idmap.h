/*
 * util/idmap.h: user namespace id mappings in podman's form
 * ("CONTAINER:HOST:SIZE", as --uidmap takes them and inspect's
 * HostConfig.IDMappings shows them) and a user namespace holding them
 * (for idmapped mounts).
 */
#ifndef BERTH_IDMAP_H
#define BERTH_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
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

/* A child that prepares namespaces of its own (prep(arg), in the child:
 * async-signal-safe calls only) and waits until ns_child_end(), so that
 * its /proc/PID/ns files can be opened or bound meanwhile. */
struct ns_child {
    pid_t pid;
    int go;
};
int ns_child_start(bool (*prep)(int), int arg, struct ns_child *ch, struct berr **err);
void ns_child_end(struct ns_child *ch);

#endif
