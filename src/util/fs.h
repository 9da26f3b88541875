/*
 * util/fs.h: file system helpers. Every state write goes through
 * fs_write_atomic(): temp file in the same dir, fsync, rename, fsync dir.
 */
#ifndef BERTH_FS_H
#define BERTH_FS_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util/err.h"

int fs_write_all(int fd, const void *buf, size_t len);
/* Reads a whole file into a NUL-terminated malloc'd buffer. ENOENT is an
 * error like any other; callers that expect absence check errno==ENOENT
 * via (*err)->errnum. */
int fs_read_file(const char *path, char **out, size_t *len, struct berr **err);
/* Same, for an fd already open (reads from the current offset). */
int fs_read_fd(int fd, char **out, size_t *len);
/* Same, failing with EFBIG once more than max bytes came (what is read
 * from an untrusted file: memory stays bounded whatever its size). */
int fs_read_fd_max(int fd, size_t max, char **out, size_t *len);
/* One read(2) of path into buf, at most size - 1 bytes, NUL-terminated,
 * allocating nothing (a small file such as one of /proc's; callable from
 * a thread that must not allocate): the bytes read, or -1 with errno. */
ssize_t fs_read_small(const char *path, char *buf, size_t size);
int fs_write_atomic(const char *dir, const char *name, const void *buf, size_t len,
                    mode_t mode, struct berr **err);
/* Atomic for readers (temp file, rename) but not synced: only for files
 * rebuilt from the state at every use, which a power loss may cost
 * nothing but the rebuild: a container's /etc/hosts and friends and its
 * OCI config.json (written at every init), the mount counts of the run
 * root (per boot), a container's state.json (state.h: the next boot's
 * refresh resets or rebuilds it). */
int fs_write_replace(const char *dir, const char *name, const void *buf, size_t len,
                     mode_t mode, struct berr **err);
/* Creates name in dir (O_EXCL) and writes it in place; sync fsyncs the
 * file. Only for a dir that no reader looks into until it is renamed into
 * place (a record's .new- dir, storage's tmp/): there a temp file and a
 * rename buy nothing, and the rename's own journal commit at the dir's
 * fsync costs a create several milliseconds on this disk. The caller
 * fsyncs the dir once, after its last file. */
int fs_write_new(const char *dir, const char *name, const void *buf, size_t len, mode_t mode,
                 bool sync, struct berr **err);
/* mkdir -p; existing dirs are left with their mode. */
int fs_mkdir_p(const char *path, mode_t mode, struct berr **err);
/* Asks the file system to spread dir's future subdirectories over its
 * disk: ext2/3/4's "top of directory hierarchies" flag (chattr +T), by
 * which the Orlov allocator places each new subdirectory, and so the
 * files made in it, in a block group of its own choosing instead of its
 * parent's. For a dir of unrelated per-object dirs (one per container):
 * on a journal-less ext4 an inode allocation passes over every inode of
 * its group freed in the last minute or more (find_inode_bit,
 * recently_deleted), 0.1-0.3 ms each once one group takes all of berth's
 * churn. Best effort: other file systems refuse, nothing changes. */
void fs_spread_subdirs(const char *dir);
/* fs_mkdir_p, and fs_spread_subdirs on path when this made it. */
int fs_mkdir_spread(const char *path, mode_t mode, struct berr **err);
/* rm -rf that never crosses into another mount below path: not into
 * another file system, nor into a bind mount of this one (removing
 * through it would remove its source); one makes it fail with EBUSY
 * (mounts_rm_rf detaches them first). ENOENT is success. */
int fs_rm_rf(const char *path, struct berr **err);
/* Is the dir open at fd the root of a mount, or (dev not 0) on another
 * device? statx's STATX_ATTR_MOUNT_ROOT (Linux 5.8): where the kernel
 * does not say, only the device tells; true when fd cannot be examined. */
bool fs_fd_other_mount(int fd, dev_t dev);
/* Is path (not followed) the root of a mount? false where unknown. */
bool fs_is_mount_root(const char *path);
/* st is of type (S_IFREG, S_IFDIR...), this user's, with no bit of deny
 * in its mode (022: nobody else may write it): a file to trust. */
bool fs_stat_ours(const struct stat *st, mode_t type, mode_t deny);
/* The whole of path (fs_read_fd's buffer) when it is a regular file of
 * this user's that nobody else may write (a cache berth trusts), opened
 * without following a last symlink: 1 with *out and *len; 0 when there
 * is no such path or it cannot be read; -1 when it is some other file. */
int fs_read_trusted(const char *path, char **out, size_t *len);
bool fs_exists(const char *path);
bool fs_is_dir(const char *path);
int fs_fsync_dir(const char *dir);
/* Directory of path (malloc'd), like dirname(1). */
char *fs_dirname(const char *path);
/* Joins a and b with one '/'. */
char *fs_join(const char *a, const char *b);
/* Cleans a path lexically like Go's filepath.Clean. */
char *fs_clean(const char *path);
/* Opens path inside the directory rootfd as if rootfd were "/": no
 * symlink and no ".." ever leads out of it (openat2 RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS); the last component is followed (inside) unless
 * flags has O_NOFOLLOW. Kernels without openat2 (before 5.6): a walk that
 * refuses every symlink, failing with EXDEV. -1 with errno. */
int fs_open_in_root(int rootfd, const char *path, int flags);
/* Searches $PATH for an executable; malloc'd absolute path or NULL. */
char *fs_which(const char *name);
/* A DIR stream over directory fd dfd, from its first entry, on a
 * duplicate of dfd (closedir() leaves dfd open). NULL with errno set. */
DIR *fs_opendir_fd(int dfd);

#endif
