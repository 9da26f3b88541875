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

/* ---- liveness ---- */

/* Field 22 (starttime, clock ticks since boot) of /proc/<pid>/stat; -1 if
 * the process is gone. Parses after the last ')' so a comm with spaces or
 * parentheses cannot shift the fields. */
int proc_start_time(pid_t pid, unsigned long long *out);
/* The process exists and (when start_time != 0) started at start_time:
 * a recycled pid is not mistaken for the container. */
bool proc_alive(pid_t pid, unsigned long long start_time);
/* A pidfd (poll()able: readable once the process has exited) for pid,
 * only while pid is still the process that started at start_time (0:
 * any); -1 otherwise, or where the kernel has no pidfd_open (< 5.3). */
int proc_pidfd(pid_t pid, unsigned long long start_time);
/* Waits up to ms (< 0: forever) for the process behind pidfd to exit:
 * 1 when it has, 0 when the time ran out. */
int proc_pidfd_wait(int pidfd, long long ms);
/* Parses a /proc/<pid>/stat text (for tests). */
int proc_parse_start_time(const char *stat, unsigned long long *out);

#endif
