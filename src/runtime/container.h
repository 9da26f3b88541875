/*
 * runtime/container.h: containers (podman's libpod Container): records,
 * the state machine, and the flow through conmon and the OCI runtime.
 *
 * Records (state/state.h), container kind:
 *   config.json  what `create` decided; changed only by rename/renumber:
 *     id, name, namespace, lockID, createdNs (unix ns),
 *     image {id, name} (absent with --rootfs), rootfs (--rootfs path),
 *     spec: the create-time configuration of runtime/spec.h,
 *     logDriver, logPath, logSizeMax, logTag, restartPolicy,
 *     restartRetries, stopTimeout, timeout, stdin, terminal, autoRemove,
 *     networks {name: {aliases, static_ips, static_mac}} (runtime/net/net.h;
 *     empty unless bridge mode), portMappings (ports_to_json(), host
 *     ports chosen at create),
 *     dns {servers, search, options}, addHosts, runtime (name or path,
 *     "" = default), cgroupParent, labels {}
 *   state.json   the runtime state, podman's field names:
 *     state (ctrstate.h), pid, pidStart (the pid's start time, clock
 *     ticks, guards against pid reuse), conmonPid, conmonStart,
 *     startedNs, finishedNs, exitCode, exited, oomKilled, mounted,
 *     mountPoint, shmMounted, stoppedByUser, restartPolicyMatch,
 *     restartCount, netNS, networkStatus
 *
 * Files of a container:
 *   <static>/userdata/<id>/   the bundle: config.json (OCI), ctr.log,
 *                             attach socket, ctl/winsz FIFOs, shm/
 *   <tmp>/containers/<id>/    per boot: pidfile, conmon.pid, oci-log,
 *                             hosts, hostname, resolv.conf, .containerenv
 *   <tmp>/exits/<id>          conmon's exit file
 *   <tmp>/persist/<id>/       conmon's persist dir (exit, oom)
 *
 * Locking: ctr_get() returns the container locked and synced; ctr_put()
 * unlocks. Nothing waits for a process while holding the lock (stop
 * saves "stopping", unlocks, waits, relocks).
 */
#ifndef BERTH_CONTAINER_H
#define BERTH_CONTAINER_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/ctrstate.h"
#include "runtime/runtime.h"

struct ctr {
    char id[STATE_ID_LEN + 1];
    json_t *cfg;                /* config.json, owned */
    json_t *st;                 /* state.json, owned */
    struct lock lock;           /* held between ctr_get and ctr_put */
};

/* What `create` needs beyond the spec JSON (which it takes over). */
struct ctr_create_params {
    json_t *spec;               /* runtime/spec.h create-time config (borrowed) */
    const char *name;           /* NULL: generated */
    const char *image;          /* image reference, or NULL with rootfs */
    const char *rootfs;         /* --rootfs directory, or NULL */
    const char *log_driver;     /* NULL: config's */
    const char *log_path;       /* NULL: <bundle>/ctr.log */
    long long log_size_max;     /* <= 0: config's */
    const char *log_tag;
    const char *restart_policy; /* "no", "on-failure", "always", "unless-stopped" */
    long long restart_retries;
    long long stop_timeout;     /* < 0: config's */
    long long timeout;          /* --timeout seconds (conmon kills then); 0: none */
    bool stdin, terminal, auto_remove;
    json_t *networks;           /* [{name, aliases, ip, mac}] or NULL: the default */
    json_t *port_mappings;      /* ["8080:80/tcp", ...] (-p as given) or NULL */
    json_t *dns;                /* {servers, search, options} or NULL */
    json_t *add_hosts;          /* ["name:ip"] or NULL */
    const char *cgroup_parent;
};

/* Creates the records (state configured), reserves the name, allocates
 * the lock, creates the root file system; writes a create event. On any
 * failure nothing is left behind. Returns the container locked. */
int ctr_create(struct runtime *rt, const struct ctr_create_params *p, struct ctr **out,
               struct berr **err);
/* Looks up (id, name, prefix), locks, reads and syncs a container. */
int ctr_get(struct runtime *rt, const char *name_or_id, struct ctr **out, struct berr **err);
/* The same by full id, for callers that already resolved it. */
int ctr_get_id(struct runtime *rt, const char *id, struct ctr **out, struct berr **err);
void ctr_put(struct ctr *c);
static inline void ctr_putp(struct ctr **c) { ctr_put(*c); }
#define _cleanup_ctr_ __attribute__((cleanup(ctr_putp)))
int ctr_save(struct runtime *rt, struct ctr *c, struct berr **err);
/* Writes c->cfg, then the state if the config's view in it changed. */
int ctr_save_config(struct runtime *rt, struct ctr *c, struct berr **err);
/* Brings the view in c->st in line with c->cfg and saves it if it was
 * not; a failure to save is only logged (the next locked command retries). */
void ctr_view_repair(struct runtime *rt, struct ctr *c);
/* Moves a running/created/stopping/paused container to stopped when its
 * exit file exists, or when conmon and the process are both gone. */
int ctr_sync(struct runtime *rt, struct ctr *c, struct berr **err);

static inline int ctr_state(const struct ctr *c)
{
    return (int) json_integer_value(json_object_get(c->st, "state"));
}
const char *ctr_name(const struct ctr *c);

/* Paths (malloc'd). */
char *ctr_bundle_dir(struct runtime *rt, const char *id);
char *ctr_run_dir(struct runtime *rt, const char *id);
char *ctr_exit_file(struct runtime *rt, const char *id);
char *ctr_persist_dir(struct runtime *rt, const char *id);
char *ctr_log_path(struct runtime *rt, const struct ctr *c);

/* All container ids of this libpod namespace, sorted. */
int ctr_list_ids(struct runtime *rt, char ***ids, struct berr **err);

/* The lifecycle (runtime/ctr_lifecycle.c). Each takes a locked container. */
int ctr_init(struct runtime *rt, struct ctr *c, struct berr **err);
int ctr_start(struct runtime *rt, struct ctr *c, struct berr **err);
int ctr_stop(struct runtime *rt, struct ctr *c, long long timeout, struct berr **err);
int ctr_kill(struct runtime *rt, struct ctr *c, int sig, struct berr **err);
/* What conmon's exit command runs; also stop/rm. rm: remove afterwards. */
int ctr_cleanup(struct runtime *rt, struct ctr *c, struct berr **err);
/* Removes the container (stopping it first with force). After success
 * the container is gone: the caller must still ctr_put() it. */
int ctr_remove(struct runtime *rt, struct ctr *c, bool force, long long timeout,
               struct berr **err);
int ctr_restart(struct runtime *rt, struct ctr *c, long long timeout, struct berr **err);
int ctr_rename(struct runtime *rt, struct ctr *c, const char *name, struct berr **err);

/* network connect / disconnect (runtime/ctr_net.c): a running container
 * joins or leaves a network at once; a stopped one when it next starts. */
int ctr_net_connect(struct runtime *rt, struct ctr *c, const char *name, char **aliases,
                    const char *ip, const char *mac, struct berr **err);
int ctr_net_disconnect(struct runtime *rt, struct ctr *c, const char *name, struct berr **err);
/* network reload: re-applies the firewall rules and port forwarding of a
 * running container with bridge networking (its addresses stay) and
 * saves the new network status. Any other container is BK_STATE, or with
 * skip_idle returns 1 (reload --all passes over it). */
int ctr_net_reload(struct runtime *rt, struct ctr *c, bool skip_idle, struct berr **err);

/* `runtime delete --force` for a container known only by its config
 * (refresh: the runtime may remember a container from before a reboot). */
void ctr_forget_runtime(struct runtime *rt, json_t *cfg);

/* Attaching (runtime/ctr_attach.c). With start, the container is
 * initialised if needed, the socket connected, then started. The
 * container's lock is released before streaming; the caller still
 * ctr_put()s it. Returns when the container's output ends or the detach
 * keys were typed (*detached). */
struct ctr_attach_opts {
    bool in, out, err;          /* which streams */
    const char *detach_keys;    /* NULL: ctrl-p,ctrl-q; "": none */
    bool sig_proxy;             /* forward signals to the container */
    bool start;                 /* run / start -a: start after connecting */
};
int ctr_attach(struct runtime *rt, struct ctr *c, const struct ctr_attach_opts *o,
               bool *detached, struct berr **err);

/* Waits (without holding the lock) until the container with this id
 * reaches one of the states in mask (1 << CS_*); "exited" means stopped
 * or exited. The exit code comes from the exit-code table, so a removed
 * --rm container still answers. timeout_ms < 0: forever. */
int ctr_wait(struct runtime *rt, const char *id, unsigned mask, long long timeout_ms,
             unsigned flags, int *code, struct berr **err);
/* ctr_wait flags. AUTOREMOVE, for the process attached to a --rm
 * container (run, start -a): once it has exited, it is removed under the
 * same hold of its lock. The exit command conmon runs would remove it
 * too, but only after starting a berth process and waiting for the lock
 * this process takes first anyway; whichever comes second finds it gone. */
#define CTR_WAIT_AUTOREMOVE 1u

#endif
