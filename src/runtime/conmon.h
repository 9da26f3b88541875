/*
 * runtime/conmon.h: starting containers through conmon (conmon.c),
 * calling the OCI runtime (runc/crun) directly and reading conmon's exit
 * records (conmon_oci.c; SPEC-podman.md §2). Whether a container process
 * is still alive is util/proc.h's proc_alive().
 *
 * Create (conmon_create):
 *   1. argv = conmon_argv() (SPEC §2.1 order, plus berth's
 *      --persist-dir after --exit-dir), env = the caller's (conmon_env());
 *   2. two SOCK_SEQPACKET socketpairs: sync on fd 3, start on fd 4, then
 *      the extra fds (reserved ports) on 5, 6, ... (all N higher with
 *      --preserve-fds N: fds 3..3+N-1 are the caller's, inherited as they
 *      are, and _OCI_SYNCPIPE/_OCI_STARTPIPE say where the pipes went); conmon runs in its own
 *      process group, with the bundle as its cwd (so its relative `oom`
 *      file lands in the bundle), an empty signal mask and default signal
 *      dispositions; stdio is ours;
 *      conmon_create_spawn() stops here: conmon has parsed its options,
 *      opened the k8s-file log and checked the runtime's path, and waits
 *      for the start byte; it dies with the calling thread until then
 *      (PR_SET_PDEATHSIG SIGKILL: EOF on the start pipe would start it),
 *      and conmon_create_abort() kills it before closing the pipe;
 *   3. conmon_create_go(): write one 0 byte to the start pipe, wait for the first conmon
 *      process, read one JSON line from the sync pipe ({"data": pid} or
 *      {"data": -1, "message": ...}) within the timeout, then read
 *      <rundir>/conmon.pid;
 *   4. on failure: the runtime's message (the last error record of the
 *      oci-log file, else the sync message) is classified as podman does
 *      (conmon_classify_error) and `<runtime> delete --force <id>` runs.
 *   conmon is not moved into a cgroup of its own (podman's
 *   <parent>/conmon): on this cgroup v1 host that is a warning-only
 *   nicety; conmon stays in the caller's cgroup.
 *
 * Exit codes in errors: 126 (permission denied / operation not permitted
 * and any other OCI runtime error), 127 (executable file not found / no
 * such file or directory), as `podman run` reports them; `start` should
 * turn them into 125 (SPEC §3.6). Everything else is 125.
 */
#ifndef BERTH_CONMON_H
#define BERTH_CONMON_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "util/err.h"
#include "util/proc.h"
#include "util/str.h"

struct conmon_opts {
    const char *conmon_path;        /* absolute */
    const char *runtime_path;       /* absolute path of runc/crun (-r) */
    const char *runtime_name;       /* "runc", for error messages */
    char **runtime_flags;           /* each already "--flag[=v]" */
    bool runtime_supports_json;     /* --log-format=json --log <rundir>/oci-log */
    const char *id, *name;
    const char *bundle;             /* -b and conmon's cwd; holds config.json */
    const char *rundir;             /* pidfile, conmon.pid, oci-log */
    const char *pidfile;            /* NULL: <rundir>/pidfile */
    const char *conmon_pidfile;     /* NULL: <rundir>/conmon.pid */
    const char *exit_dir;           /* <tmp>/exits */
    const char *persist_dir;        /* <tmp>/persist/<id>; created 0750 */
    bool systemd_cgroup;            /* -s */
    bool cgroups_disabled;          /* --runtime-arg --cgroup-manager disabled */
    const char *log_driver;         /* k8s-file (NULL) | none | passthrough | journald */
    const char *log_path;           /* NULL: <bundle>/ctr.log */
    const char *log_tag;
    long long log_size_max;         /* > 0: --log-size-max */
    const char *sdnotify_socket;    /* --sdnotify-socket: READY=1 relayed there */
    const char *log_level;          /* berth's level name; NULL: "warning" */
    bool syslog;
    bool terminal, stdin;           /* -t, else -i when stdin is kept open */
    long long timeout;              /* --timeout=N when > 0 */
    bool no_pivot, no_new_keyring;
    bool no_sync_log;               /* --no-sync-log: the log goes with the container
                                       (--rm), conmon need not fsync it at exit */
    char **exit_command;            /* conmon_exit_command(): [0] the program */
    unsigned preserve_fds;          /* N: our fds 3..3+N-1 stay there for the container
                                       (runtime --preserve-fds N); the pipes and
                                       extra fds move up by N */
    const int *extra_fds;           /* passed on as fds 5+N.. */
    size_t n_extra_fds;
    char **env;                     /* conmon's whole environment */
    int sync_timeout;               /* seconds; 0: 240 */
    /* an exec session (SPEC §2.4; conmon_exec.c): -e --exec-attach */
    const char *exec_spec;          /* --exec-process-spec; NULL: a create */
    const char *cuuid;              /* -u: the session id; NULL: id */
    bool die_with_parent;           /* conmon_spawn: SIGKILL when our thread dies
                                       (cleared in conmon's own children) */
};

/* conmon's argv (SPEC §2.1); *out is a new strv. */
int conmon_argv(const struct conmon_opts *o, strv *out, struct berr **err);

struct exitcmd_opts {
    const char *berth;              /* absolute path of the berth binary */
    const char *config;             /* --config FILE when one was given */
    const char *root, *runroot, *tmpdir, *volumepath;
    const char *log_level;          /* NULL: "warning" */
    const char *cgroup_manager;
    const char *network_config_dir; /* passed even when "" */
    const char *network_backend;
    const char *runtime, *storage_driver, *events_backend;  /* skipped if NULL/"" */
    char **storage_opts;
    bool syslog;
    bool rm;                        /* container cleanup --rm */
    const char *exec_session;       /* --exec SID */
    const char *id;
};

/* `berth <global paths> container cleanup [--rm] [--exec SID] <id>`
 * (SPEC §2.3, berth's shape): *out[0] is the berth path. */
int conmon_exit_command(const struct exitcmd_opts *o, strv *out, struct berr **err);

/* conmon's environment (SPEC §2.1): conmon_env_vars first, then
 * _OCI_SYNCPIPE=3, _OCI_STARTPIPE=4, PATH, CONTAINERS_CONF,
 * CONTAINERS_CONF_OVERRIDE and BERTH_CONFIG (only if set), XDG_RUNTIME_DIR (empty for root),
 * _CONTAINERS_USERNS_CONFIGURED, _CONTAINERS_ROOTLESS_UID, HOME and every
 * LC_* of envp; a later KEY replaces an earlier one. */
int conmon_env(char *const *conmon_env_vars, char *const *envp, strv *out, struct berr **err);

struct conmon_result {
    pid_t pid;                      /* the container's pid */
    pid_t conmon_pid;               /* the monitor (from conmon.pid); 0 if unread */
    unsigned long long start_time;  /* /proc/<pid>/stat field 22 of pid */
};

/* Starts conmon and runs the runtime's create; see the top of this file. */
int conmon_create(const struct conmon_opts *o, struct conmon_result *res, struct berr **err);

/* conmon_create in two halves, so that conmon's own start-up (~6 ms of
 * dynamic loading and option parsing) overlaps the caller's preparation:
 * everything o names must be known at spawn (the bundle dir must exist:
 * it is conmon's cwd; its log file is opened then). Until go, conmon
 * waits and dies with us. After spawn, exactly one of go (always
 * consumes h) and abort (SIGKILL, reap, close; a no-op on a consumed h
 * or on { .pid = 0, .sync_fd = -1, .start_fd = -1 }) is due. */
struct conmon_early {
    pid_t pid;                      /* conmon's first process; 0: none */
    int sync_fd, start_fd;          /* our ends; -1 when closed */
};
int conmon_create_spawn(const struct conmon_opts *o, struct conmon_early *h, struct berr **err);
int conmon_create_go(const struct conmon_opts *o, struct conmon_early *h,
                     struct conmon_result *res, struct berr **err);
void conmon_create_abort(struct conmon_early *h);

/* One message from conmon's sync or attach socket: {"data": N,
 * "message": "..."} (*message NULL when absent), within timeout_ms (< 0:
 * forever). EOF and a bad message are errors. */
int conmon_read_sync(int fd, int timeout_ms, long long *data, char **message,
                     struct berr **err);

/* The runtime's failure message after a negative sync answer: the last
 * error record of <rundir>/oci-log, else message, else a generic one. */
char *conmon_failure_message(const struct conmon_opts *o, const char *message);

/* Sets KEY=VALUE in a conmon environment (replacing KEY). */
int conmon_env_set(strv *env, const char *kv);

/* Starts conmon with the given fds: fds[i] becomes fd base + i in conmon
 * (fds 3..base-1 are inherited as they are: --preserve-fds). *pid is
 * conmon's first process. o->die_with_parent: PR_SET_PDEATHSIG SIGKILL. */
int conmon_spawn(const struct conmon_opts *o, char *const *argv, const int *fds, size_t nfds,
                 int base, pid_t *pid, struct berr **err);

/* ---- exec sessions (conmon_exec.c) ---- */

/* The exit status of an exec whose runtime failed for a reason other
 * than permission or a missing command (podman: the session's -1). */
#define CONMON_EXEC_FAILED 255

struct conmon_exec {
    int sync_fd, start_fd, attach_fd;   /* our ends; -1 when closed */
};
/* o->exec_spec set; o->env as conmon_env() made it (the pipe numbers are
 * set here, after the preserved fds). See conmon_exec.c for the steps. */
int conmon_exec_start(const struct conmon_opts *o, struct conmon_exec *h, struct berr **err);
int conmon_exec_go(struct conmon_exec *h, struct berr **err);
/* The process's pid; a runtime failure classified as podman's exec does:
 * 126, 127, else CONMON_EXEC_FAILED with "OCI runtime error: <rt>: <msg>". */
int conmon_exec_pid(const struct conmon_opts *o, struct conmon_exec *h, pid_t *pid,
                    struct berr **err);
/* The runtime's exec failure msg (its oci-log message) as podman's exec
 * reports it: 126, 127, else CONMON_EXEC_FAILED, "OCI runtime error: ...". */
int conmon_exec_failure(const char *runtime_name, const char *msg, struct berr **err);
/* The process's exit status (128+N for signal N, -1 unknown). */
int conmon_exec_wait(struct conmon_exec *h, int timeout_ms, int *code, struct berr **err);
void conmon_exec_close(struct conmon_exec *h);

/* Turns a runtime failure text into a berr (podman's getOCIRuntimeError):
 *   permission denied|operation not permitted (any case) ->
 *       "<rt>: <line>: OCI permission denied", exit 126
 *   executable file not found in|no such file or directory ->
 *       "<rt>: <line>: OCI runtime attempted to invoke a command that was not found", 127
 *   else "<rt>: <msg>: OCI runtime error", 126.
 * <line> is the line of msg that matched; with full, the whole msg. */
int conmon_classify_error(const char *runtime_name, const char *msg, bool full,
                          struct berr **err);

/* The message of an oci-log file (runc/crun --log-format=json: one JSON
 * object per line): the msg of the last "error"/"fatal" record, else of
 * the last record; NULL when there is none. */
char *conmon_oci_log_message(const char *text);

/* ---- direct runtime calls (SPEC §2.5) ---- */

struct oci_invoke {
    const char *path;               /* absolute */
    const char *name;               /* for messages */
    char **flags;                   /* go before the verb */
    const char *xdg_runtime_dir;    /* the only env var, "" for root */
    const char *path_env;           /* PATH, passed to start only */
};

enum oci_status { OCI_GONE, OCI_CREATED, OCI_RUNNING, OCI_PAUSED, OCI_STOPPED };

int oci_start(const struct oci_invoke *rt, const char *id, struct berr **err);
/* The start of crun and runc without an exec of them: after the create
 * their container's init waits on <state dir>/<id>/exec.fifo, and their
 * `start` does nothing but open it, pass a byte and remove it (and, for
 * crun, run the spec's poststart hooks: the caller checks there are
 * none). Done here it saves the runtime's exec on the path of every
 * start (crun ~1.5 ms, runc's Go start-up ~6 ms). pid, pid_start: the
 * container's init (runc's wait checks it lives). 1: started; 0: not
 * crun or runc, or no FIFO (the caller runs `<runtime> start`, which
 * says why); -1: error. */
int oci_start_fifo(const struct oci_invoke *rt, const char *id, pid_t pid,
                   unsigned long long pid_start, struct berr **err);
/* runc kill [--all] <id> <signum> */
int oci_kill(const struct oci_invoke *rt, const char *id, int sig, bool all, struct berr **err);
int oci_delete(const struct oci_invoke *rt, const char *id, bool force, struct berr **err);
/* `delete --force` in two halves: begin starts it, end waits and judges. */
int oci_delete_begin(const struct oci_invoke *rt, const char *id, struct proc_job *job,
                     struct berr **err);
int oci_delete_end(const struct oci_invoke *rt, const char *id, struct proc_job *job,
                   struct berr **err);
/* The argv and envp of that `delete --force`, for a caller that runs it
 * itself (runtime/rtdelete.c). */
int oci_delete_call(const struct oci_invoke *rt, const char *id, strv *argv, strv *envp,
                    struct berr **err);
int oci_pause(const struct oci_invoke *rt, const char *id, struct berr **err);
int oci_resume(const struct oci_invoke *rt, const char *id, struct berr **err);
/* runc|crun update --resources FILE <id>: FILE holds linux.resources. */
int oci_update(const struct oci_invoke *rt, const char *id, const char *resources,
               struct berr **err);
/* runc state <id>: the status and pid. A non-zero exit whose stderr says
 * "does not exist" is OCI_GONE (berth's rule), not an error; an unknown
 * status is "unrecognized status returned by runtime for container <id>: <s>". */
int oci_state(const struct oci_invoke *rt, const char *id, enum oci_status *st, pid_t *pid,
              struct berr **err);
/* OCI status name -> enum; -1 if unknown. Exposed for tests. */
int oci_status_parse(const char *s);

/* ---- exit records ---- */

/* <exit_dir>/<id>: 1 and the code (and the file's mtime) when present,
 * 0 when absent, -1 on another error (also a malformed file). */
int conmon_read_exit_file(const char *exit_dir, const char *id, int *code,
                          struct timespec *when, struct berr **err);
/* <persist_dir>/exit and <persist_dir>/oom: returns 1 when exit exists
 * (code set), 0 when not; *oom tells whether oom exists. */
int conmon_read_persist(const char *persist_dir, int *code, bool *oom, struct berr **err);

#endif
