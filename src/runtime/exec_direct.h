/*
 * runtime/exec_direct.h: an exec session's process started by berth
 * itself, without conmon, for the plain attached case (ctr_exec.c says
 * when): the runtime's exec as conmon runs it, berth in conmon's place.
 */
#ifndef BERTH_EXEC_DIRECT_H
#define BERTH_EXEC_DIRECT_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/err.h"

struct exec_direct_opts {
    const char *runtime_path, *runtime_name;
    char *const *runtime_flags;     /* go before the verb */
    char *const *env;               /* the runtime's environment (conmon's) */
    const char *id;                 /* the container */
    const char *spec;               /* the process spec file */
    const char *pidfile;            /* the runtime writes the process's pid there */
    const char *oci_log;            /* the runtime's --log (JSON lines) */
    unsigned preserve_fds;          /* our fds 3.. passed on */
};

/* A started process: its output comes on two pipes, as from conmon. */
struct exec_direct {
    pid_t pid;
    int out_fd, err_fd;             /* our read ends; -1 when closed */
};

/* Runs `<runtime> [flags] --log-format=json --log LOG exec --pid-file F
 * --process SPEC --detach [--preserve-fds N] ID` in a session of its own
 * (a ^C on the caller's terminal ends berth, not the process, as with
 * conmon), stdin /dev/null, stdout and stderr on pipes, and waits for
 * it: it returns once the process runs. berth becomes a child subreaper
 * first, so the process is berth's child then. A runtime failure is
 * classified as podman's exec does (126, 127, else 255); what the
 * runtime printed then is dropped, as conmon drops it. */
int exec_direct_start(const struct exec_direct_opts *o, struct exec_direct *h,
                      struct berr **err);
/* Copies the process's output to out and errfd until it has ended (and
 * what it left in the pipes), then reaps it: *code is its status, 128+N
 * when killed by signal N. */
int exec_direct_wait(struct exec_direct *h, int out, int errfd, int *code, struct berr **err);
void exec_direct_close(struct exec_direct *h);

#endif
