/*
 * runtime/lock.h: the file lock manager (DESIGN.md "Locks"); named lock
 * files and the lock primitive are util/flock.h's.
 * Lock N is the file <tmp_dir>/locks/N. Allocation takes the lowest free
 * number with O_CREAT|O_EXCL; freeing unlinks it. Locking is an OFD lock
 * (fcntl F_OFD_SETLKW) on the whole file: it dies with the holder's file
 * description, so a killed process never leaves it held, and every fd is
 * O_CLOEXEC so conmon never inherits one.
 */
#ifndef BERTH_LOCK_H
#define BERTH_LOCK_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/err.h"
#include "util/flock.h"

struct lockmgr;

int lock_open(const char *tmp_dir, struct lockmgr **out, struct berr **err);
void lock_close(struct lockmgr *lm);
int lock_alloc(struct lockmgr *lm, unsigned *num, struct berr **err);
/* Re-allocates a given number (refresh); an existing file is fine. */
int lock_alloc_num(struct lockmgr *lm, unsigned num, struct berr **err);
int lock_free(struct lockmgr *lm, unsigned num, struct berr **err);
int lock_free_all(struct lockmgr *lm, struct berr **err);
/* Blocks until lock num is held exclusively. */
int lock_acquire(struct lockmgr *lm, unsigned num, struct lock *l, struct berr **err);
/* Non-blocking: 0 held, 1 busy, -1 error. */
int lock_try(struct lockmgr *lm, unsigned num, struct lock *l, struct berr **err);
/* lock_release() (util/flock.h) drops it. */

/* Every allocated number, sorted; held and pid say whether some process
 * holds it now and which (pid 0 when the kernel does not say). */
struct lock_info {
    unsigned num;
    bool held;
    pid_t pid;
};
int lock_list(struct lockmgr *lm, struct lock_info **out, size_t *n, struct berr **err);

#endif
