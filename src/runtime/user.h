/*
 * runtime/user.h: `--user` and `--group-add` resolved against the image's
 * /etc/passwd and /etc/group (SPEC-podman.md §4.1), like runc's and
 * podman's lookup:
 *   ""          uid 0, gid 0 (the passwd entry of uid 0 supplies HOME)
 *   NAME        the passwd entry by name (error when absent); its gid
 *   UID         that uid; gid and HOME from its passwd entry when there is
 *               one, else gid 0 and no HOME
 *   X:GROUP     as above, then gid = GROUP (a number, or a name looked up
 *               in /etc/group, error when absent)
 * Supplementary groups: every /etc/group entry listing the user's name
 * (when the user has a passwd entry), then each --group-add entry (a number
 * or a group name; "keep-groups" is ignored here), without duplicates and
 * without the primary gid. A missing passwd or group file reads as empty.
 * Errors use podman's words: "unable to find user NAME: no matching
 * entries in passwd file" (exit 125).
 */
#ifndef BERTH_USER_H
#define BERTH_USER_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

struct ctr_user {
    uid_t uid;
    gid_t gid;
    gid_t *groups;          /* additional gids, ngroups of them (malloc'd) */
    size_t ngroups;
    char *home;             /* NULL when the lookup gives none */
};

/* Pure form: passwd and group are the files' contents (NULL = absent). */
int user_resolve_text(const char *passwd, const char *group, const char *user,
                      char *const *group_add, struct ctr_user *out, struct berr **err);
/* Reads <rootfs>/etc/passwd and <rootfs>/etc/group without following a
 * symlink out of rootfs (openat2 RESOLVE_IN_ROOT), then resolves. */
int user_resolve(const char *rootfs, const char *user, char *const *group_add,
                 struct ctr_user *out, struct berr **err);
void user_free(struct ctr_user *u);

/* A decimal id up to 4294967294; -1 otherwise. */
int user_parse_id(const char *s, unsigned long *out);
/* A group, a number or a name in the group file text (NULL: empty):
 * "unable to find group G: no matching entries in group file". */
int user_group_id(const char *group_text, const char *g, gid_t *out, struct berr **err);

/* Reads a file inside a root directory, resolving symlinks as if root were
 * "/" (openat2 RESOLVE_IN_ROOT). *out NULL and 0 returned when it does not
 * exist. Shared with genfiles (the image's /etc/hosts). */
int user_read_in_root(const char *root, const char *path, char **out, struct berr **err);
/* Is path a directory inside root, resolved as user_read_in_root does? */
bool user_dir_in_root(const char *root, const char *path);

#endif
