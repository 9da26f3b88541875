/*
 * runtime/ctr_int.h: shared between the runtime/ctr_*.c files only.
 */
#ifndef BERTH_CTR_INT_H
#define BERTH_CTR_INT_H

#include <pthread.h>
#include <signal.h>

#include "runtime/conmon.h"
#include "runtime/container.h"
#include "runtime/ociruntime.h"

/* ctr_get.c: reads c's records again (after a wait without the lock). */
int ctr_reload(struct runtime *rt, struct ctr *c, struct berr **err);
/* The OCI runtime of a container, and the handle to call it directly.
 * ctr_rtcall_free is due whether or not ctr_rtcall_get succeeded. */
struct ctr_rtcall {
    struct oci_runtime *r;
    struct oci_invoke cli;
    strv flags;
    char *exec_path;                /* cli.path: r->path, or crun's read-only mount (rtexec.h) */
};
int ctr_rtcall_get(struct runtime *rt, const struct ctr_config *cfg, struct ctr_rtcall *x,
                   struct berr **err);
void ctr_rtcall_free(struct ctr_rtcall *x);
/* Waits for a runtime delete ctr_remove left running (c->rt_delete), if
 * any; ctr_put does it too. */
void ctr_rt_delete_finish(struct ctr *c);
/* Re-takes c's lock after a wait without it, re-reads and syncs. */
int ctr_relock(struct runtime *rt, struct ctr *c, struct berr **err);
/* Writes c->cfg.rec (atomically), and nothing else. */
int ctr_config_write(struct runtime *rt, struct ctr *c, struct berr **err);

/* ctr_create.c: a container name podman's rule allows that berth can
 * keep (at most 255 characters: it names a file); BK_INVALID, saying
 * which it breaks, otherwise. */
int ctr_name_check(const char *name, struct berr **err);

/* ctr_net.c: the network mode of a container that names none, from the
 * config's [containers] netns as podman reads it: NULL for "private" (or
 * unset), berth's default (bridge); else the configured mode ("none",
 * "host", "bridge", "ns:PATH", ...). */
const char *ctr_default_netmode(struct runtime *rt);

/* ctr_prepare.c: mount rootfs and shm, set up networking, write the /etc
 * files and the OCI config.json for the OCI runtime r the caller resolved
 * (crun gets its cached seccomp filter). ctr_unprepare() undoes it,
 * idempotently, also a failed ctr_prepare()'s part (the caller's duty). */
/* The host id of container id id under the create-time spec's uidMap or
 * gidMap (key; its own user namespace); as it is without one. -1: not
 * mapped. (ctr_secrets.c) */
long long ctr_host_id(json_t *spec, const char *key, long long id);
int ctr_prepare(struct runtime *rt, struct ctr *c, const struct oci_runtime *r,
                struct berr **err);
void ctr_unprepare(struct runtime *rt, struct ctr *c);
/* Unmounts the bundle's shm tmpfs of container id if it is mounted,
 * whatever its record says. */
void ctr_unmount_shm(struct runtime *rt, const char *id);
/* The size of the container's /dev/shm in bytes: --shm-size, else the
 * config's shm_size, else 64 MiB. */
long long ctr_shm_size(struct runtime *rt, const struct ctr *c);

/* ctr_net.c: networking of a container (bridge mode through the network
 * backend; none/host/container:/ns: need nothing here). */
int ctr_net_setup(struct runtime *rt, struct ctr *c, struct berr **err);
void ctr_net_teardown(struct runtime *rt, struct ctr *c);
/* What the /etc files need from the network: the container's addresses,
 * its aliases, the networks' DNS servers, host.containers.internal's
 * address. All empty/NULL without bridge networking. */
struct ctr_net_info {
    char **ips, **aliases, **dns_servers;
    char *host_ip;
};
int ctr_net_etc_info(struct runtime *rt, struct ctr *c, struct ctr_net_info *out,
                     struct berr **err);
void ctr_net_info_free(struct ctr_net_info *i);
/* Host port sockets reserved for the container (conmon holds them). */
int ctr_net_reserve_ports(struct runtime *rt, struct ctr *c, int **fds, size_t *n,
                          struct berr **err);

/* ctr_lifecycle.c */
/* conmon's exit command: `berth <paths> container cleanup [--rm]
 * [--exec SESSION] <id>`. */
int ctr_exit_command(struct runtime *rt, struct ctr *c, const char *exec_session, strv *out,
                     struct berr **err);
/* Writes a container event (type "container") about c. */
void ctr_emit(struct runtime *rt, struct ctr *c, const char *status);
/* Resources (spec.h "resources") old updated by add, as update and
 * clone change them: a limit given replaces what it conflicts with
 * (--cpus and a CFS period/quota; a memory limit drops the old swap). */
int ctr_resources_merge(json_t *old, json_t *add);
/* --sdnotify (sdnotify.c): tells $NOTIFY_SOCKET, if set, MAINPID (and
 * READY=1 in conmon mode) once c has started; a failure is a warning. */
void ctr_sdnotify_started(struct ctr *c);
/* In "container" mode with $NOTIFY_SOCKET set: that socket (conmon's
 * --sdnotify-socket), else NULL. */
const char *ctr_sdnotify_socket(const struct ctr *c);
/* Adds to the spec input in the bind mount of bundle/notify (created) at
 * /run/notify and NOTIFY_SOCKET=/run/notify/notify.sock, where
 * ctr_sdnotify_socket() is set; nothing otherwise. */
int ctr_sdnotify_spec(const struct ctr *c, const char *bundle, json_t *in, struct berr **err);
void ctr_remove_conmon_files(struct runtime *rt, const char *id);
/* runtime delete --force, conmon's files removed, pids cleared. */
void ctr_teardown_runtime(struct runtime *rt, struct ctr *c);
/* The end of a removal, once nothing runs and nothing is mounted: the
 * root file system, the bundle and run dirs, the record (and its names),
 * lock number lock (-1: none to free), the event. */
int ctr_remove_records(struct runtime *rt, struct ctr *c, long long lock, struct berr **err);
/* The dependency index (runtime/ctr_deps.c). link: container id, whose
 * spec is spec, is recorded as a dependent of each container it joins,
 * under each one's lock, refusing one being removed; before id's record
 * is written. unlink: c's links go (after its record is deleted; errors
 * only logged). */
int ctr_deps_link(struct runtime *rt, const char *id, json_t *spec, struct berr **err);
void ctr_deps_unlink(struct runtime *rt, const struct ctr *c);

/* ctr_create.c: the first state record: configured, with the view of
 * cfg, the create under way (intent "create", this process its owner).
 * NULL when out of memory. */
json_t *ctr_state_first(json_t *cfg);

/* ctr_repair.c: intents, recovery, damaged records (see its top). */
/* Sets c's intent to op (NULL clears it) with this process as its owner,
 * in c->st only: -1 out of memory. */
int ctr_intent_set(struct ctr *c, const char *op);
/* The same, saved at once: the record says what is under way before
 * the work begins. */
int ctr_intent_begin(struct runtime *rt, struct ctr *c, const char *op, struct berr **err);
/* Clears it in c->st; the transition's last ctr_save writes that. */
void ctr_intent_end(struct ctr *c);
/* Did the create of container id (config cfg; NULL: not known) run to
 * its end? Its root file system in the store is the evidence; one with
 * none to make (--rootfs) has nothing left to do. */
bool ctr_create_finished(struct runtime *rt, const struct ctr_config *cfg, const char *id);
/* Was s's intent left by a process that is gone? locked: the caller
 * holds the container's lock. */
bool ctr_intent_abandoned(const struct ctr_runstate *s, bool locked);
/* Finishes or undoes c's abandoned intent and saves (ctr_sync calls it).
 * BK_NO_SUCH when that removed the container. */
int ctr_recover(struct runtime *rt, struct ctr *c, struct berr **err);
/* Refresh, after a power loss: when container id's state.json is missing
 * or torn (state_lost: its writes are not synced), writes it anew from
 * config.json and reads both into cfg and st: 0. 1: it is not such a
 * record (nothing done); -1 with *err. */
int ctr_state_rebuild(struct runtime *rt, const char *id, struct ctr_config *cfg,
                      struct ctr_runstate *st, struct berr **err);
/* Refresh, after a power loss: makes sure the root file system of c (one
 * from an image, not being removed) and its storage record are whole
 * (create does not sync them: store_ctr_repair); what was done or could
 * not be is logged as a warning. */
void ctr_rootfs_repair(struct runtime *rt, struct ctr *c);
/* Refresh, after a power loss: container id's config.json is missing or
 * torn and its state is lost or says "create": the create was cut off
 * between its record's rename and its sync (state/record.c) and never
 * returned; what it left is removed with a warning (1). 0: not such a
 * record; -1 with *err. */
int ctr_unfinished_create(struct runtime *rt, const char *id, struct berr **err);
/* The state a reader without the lock should show for a record with an
 * abandoned intent (asking the runtime when it must). */
int ctr_intent_view(struct runtime *rt, const char *id, const struct ctr_runstate *s);
/* Stops whatever conmon and the OCI runtime may still run for c, which
 * its record may not know of (a killed init's conmon and `runc init`):
 * waits for a runtime command at work on it, kills its conmon, then
 * `runtime kill` and `delete --force`; conmon's files go, pids clear. */
void ctr_reap(struct runtime *rt, struct ctr *c);
/* ctr_remove of a container with c->damage. */
int ctr_remove_damaged(struct runtime *rt, struct ctr *c, bool force, struct berr **err);

/* ctr_exec.c: reaps c's exec sessions whose conmon has gone (all: every
 * one), writing their exec_died events; c->st is the caller's to save.
 * Returns whether anything changed. */
bool ctr_exec_reap(struct runtime *rt, struct ctr *c, bool all);

/* ctr_attach.c: the signal thread of an attached client. SIGWINCH sends
 * the terminal's size (with tty) to <ctl_dir>/ctl; with proxy the
 * terminating signals go to the container through the OCI runtime. */
struct ctr_sigfwd {
    struct runtime *rt;
    const char *id;             /* the container */
    const char *ctl_dir;        /* the bundle, or an exec session's dir */
    bool tty, proxy;
    sigset_t set;
    pthread_t thread;
    bool running;
};
int ctr_sigfwd_start(struct ctr_sigfwd *s, struct berr **err);
void ctr_sigfwd_stop(struct ctr_sigfwd *s);

#endif
