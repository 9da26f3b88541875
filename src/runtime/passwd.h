/*
 * runtime/passwd.h: entries berth adds to a container's /etc/passwd and
 * /etc/group at init, as podman does (--passwd, the default, true):
 *
 *   - each --hostuser (a host name or uid) the image lacks, from the
 *     host's account: "name:*:uid:gid:gecos:HOME:/bin/sh", HOME the
 *     host's home when it is a mount destination, else the working dir;
 *   - a numeric --user the image lacks: "UID:*:UID:GID:container
 *     user:WORKDIR:/bin/sh" (GID: the --user group, a number or a name of
 *     the image's /etc/group, else 0);
 *   - its numeric group the image lacks: "GID:x:GID:UID".
 * --passwd-entry replaces the passwd line by its template ($USERNAME,
 * $UID, $GID, $NAME, $HOME).
 */
#ifndef BERTH_PASSWD_H
#define BERTH_PASSWD_H

#include <jansson.h>

#include "util/err.h"

struct passwd_opts {
    const char *passwd, *group;     /* the image's files (NULL: absent) */
    const char *user;               /* --user as given; NULL or "": none */
    char **host_users;              /* --hostuser */
    const char *entry_template;     /* --passwd-entry; NULL: podman's line */
    const char *workdir;            /* the process's working dir */
    char **mount_dests;             /* destinations mounted into the container */
};

/* The lines to append (malloc'd, NULL when none). An unknown host user is
 * podman's "user: unknown user NAME". */
int passwd_additions(const struct passwd_opts *o, char **passwd_add, char **group_add,
                     struct berr **err);

/* At each start, before the spec is built: what the container's spec
 * (--user, --hostuser, --passwd, --passwd-entry, readOnly, mounts,
 * workdir) and image (WorkingDir) ask for, appended to the root's
 * /etc/passwd and /etc/group, or, with a read-only root, written with the
 * image's lines to rundir/passwd and rundir/group, whose paths come back in
 * *passwd_bind and *group_bind (NULL: nothing to bind) for the spec. A file
 * the image lacks or a mount covers is left alone, as podman does. */
struct passwd_gen {
    json_t *spec;               /* the container's create-time spec */
    json_t *image;              /* the image's config (NULL: none) */
    const char *rootfs, *rundir, *id;
};
int passwd_generate(const struct passwd_gen *g, char **passwd_bind, char **group_bind,
                    struct berr **err);

#endif
