/*
 * util/cleanup.h: scope cleanup in the systemd/crun style.
 * A variable marked _cleanup_free_ is freed when it leaves scope; STEAL_PTR
 * hands ownership on and leaves NULL behind so the cleanup does nothing.
 */
#ifndef BERTH_CLEANUP_H
#define BERTH_CLEANUP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <dirent.h>
#include <jansson.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p) { free(*(void **) p); }
static inline void closep(int *fd) { if (*fd >= 0) close(*fd); }
static inline void fclosep(FILE **f) { if (*f) fclose(*f); }
static inline void closedirp(DIR **d) { if (*d) closedir(*d); }
static inline void js_decrefp(json_t **j) { json_decref(*j); }

#define _cleanup_free_  _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_closedir_ _cleanup_(closedirp)
#define _cleanup_json_  _cleanup_(js_decrefp)

#define STEAL_PTR(p) ({ __typeof__(p) p_ = (p); (p) = NULL; p_; })
#define STEAL_FD(fd) ({ int fd_ = (fd); (fd) = -1; fd_; })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
