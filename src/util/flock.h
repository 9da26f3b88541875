/*
 * util/flock.h: the file-lock primitive: an OFD lock (fcntl
 * F_OFD_SETLK[W]) on a whole file. It belongs to the open file
 * description, so closing the fd or the holder dying releases it, and
 * closing some other fd on the same file does not (unlike classic POSIX
 * record locks). Every fd is O_CLOEXEC, so conmon never inherits one.
 * Named lock files (alive.lck, the storage lock, network locks) use
 * lock_path(); the numbered locks of containers are runtime/lock.h's.
 */
#ifndef BERTH_FLOCK_H
#define BERTH_FLOCK_H

#include <stdbool.h>

#include "util/err.h"

/* A held lock; fd < 0 when not held. num: the lock manager's number
 * (runtime/lock.h), 0 for a named file. */
struct lock {
    int fd;
    unsigned num;
};
#define LOCK_INIT { -1, 0 }

/* Takes the OFD lock on all of fd, shared or exclusive, waiting or not.
 * -1 with errno set (EAGAIN/EACCES: busy, when not waiting). */
int lock_ofd(int fd, bool exclusive, bool wait);
/* Opens (creating, 0644) the lock file path and takes its lock, blocking. */
int lock_path(const char *path, bool exclusive, struct lock *l, struct berr **err);
/* lock_path() for a lock file its owner unlinks when the object it
 * guards goes away (a volume's): once the lock is ours, the path must
 * still name the file we locked, else we locked a dead file and take the
 * live one instead. A missing parent directory is created (0700). */
int lock_path_live(const char *path, bool exclusive, struct lock *l, struct berr **err);
/* Unlinks the lock file of a held lock_path_live() lock: waiters wake up
 * on a dead file and take a new one. Then releases it. */
void lock_path_unlink(const char *path, struct lock *l);
/* Drops a held lock (closing its fd); a lock not held is fine. */
void lock_release(struct lock *l);
static inline void lock_releasep(struct lock *l) { lock_release(l); }
#define _cleanup_lock_ __attribute__((cleanup(lock_releasep)))

#endif
