/*
 * util/proc.h: running helper programs. posix_spawn with an explicit argv
 * and envp, default signal dispositions and an empty mask, every fd of
 * ours close-on-exec.
 */
#ifndef BERTH_PROC_H
#define BERTH_PROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "util/err.h"

/* Runs argv to completion. *out / *errout (either may be NULL to discard)
 * receive its stdout / stderr; *status its exit status (128+N if killed
 * by signal N). envp NULL means a minimal PATH-only environment. */
/* proc_capture() in two halves, so the caller can work while the child
 * runs: proc_spawn starts it with stdout and stderr on pipes, proc_finish
 * collects them and its status. Output beyond a pipe's buffer (64 KiB)
 * waits for proc_finish. */
struct proc_job { pid_t pid; int out_fd, err_fd; };
int proc_spawn(char *const argv[], char *const envp[], struct proc_job *job, struct berr **err);
int proc_finish(struct proc_job *job, char **out, char **errout, int *status, struct berr **err);
int proc_capture(char *const argv[], char *const envp[], char **out, char **errout,
                 int *status, struct berr **err);
/* Is another process running whose argv[0] contains prog and one of
 * whose arguments equals arg? (A scan of /proc: not for hot paths.) */
bool proc_running_with_arg(const char *prog, const char *arg);
/* Waits for pid, retrying on EINTR; status as above. */
int proc_wait(pid_t pid, int *status, struct berr **err);

#endif
