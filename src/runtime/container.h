/*
 * runtime/container.h: containers (podman's libpod Container): records,
 * the state machine, and the flow through conmon and the OCI runtime.
 *
 * Records (state/state.h), container kind, as C types below:
 *   config.json  what `create` decided; changed only by rename, renumber,
 *                network connect/disconnect and system migrate. The
 *                runtime reads it through struct ctr_config, a typed view
 *                parsed once (ctr_config_parse) over the record it keeps.
 *   state.json   the runtime state: struct ctr_runstate, read by one
 *                reader (ctr_runstate_parse) and written by one writer
 *                (ctr_runstate_json, through ctr_save). Keys it does not
 *                know survive its writes, so a newer berth's fields live
 *                through an older one's.
 *
 * Files of a container:
 *   <static>/userdata/<id>/   the bundle: config.json (OCI), ctr.log,
 *                             attach socket, ctl/winsz FIFOs, shm/
 *   <tmp>/containers/<id>/    per boot: pidfile, conmon.pid, oci-log,
 *                             hosts, hostname, resolv.conf, .containerenv;
 *                             also conmon's persist dir (exit, oom)
 *   <tmp>/exits/<id>          conmon's exit file
 *   <tmp>/persist/<id>/       an older berth's persist dir (read, removed)
 *
 * Locking: ctr_get() returns the container locked and synced; ctr_put()
 * unlocks. Nothing waits for a process while holding the lock (stop
 * saves "stopping", unlocks, waits, relocks).
 */
#ifndef BERTH_CONTAINER_H
#define BERTH_CONTAINER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "runtime/ctrstate.h"
#include "runtime/runtime.h"
#include "runtime/spec.h"

struct img;

/*
 * config.json, the fields the runtime reads, under their JSON keys. A
 * view: strings and JSON values are borrowed from rec and live as long
 * as it does unchanged. A top-level key is changed with ctr_config_set
 * (which parses again); ctr_save_config parses again after a change
 * inside one of its objects (a network joined). An absent key (or null)
 * reads as the default given; a present key of the wrong type makes the
 * record corrupt. The same parser reads the view of the config kept in
 * state.json (ctr_view.h), which carries a subset: id and lock_id are
 * then absent. To add a field: a member here and a line in config_fields
 * of ctr_records.c (kept sorted by key).
 */
struct ctr_config {
    json_t *rec;                /* the whole record (owned): the spec builder and
                                   inspect read what is not typed here */
    const char *id;             /* "id" */
    const char *name;           /* "name"; NULL: none recorded (ctr_name() -> id) */
    const char *ns;             /* "namespace": libpod namespace, "" none */
    long long lock_id;          /* "lockID": lock number; -1 absent */
    long long created_ns;       /* "createdNs": unix ns */
    const char *image_id;       /* "image": {"id", "name"}; both NULL with --rootfs */
    const char *image_name;     /*   the name the reference matched */
    const char *rootfs;         /* "rootfs": --rootfs directory; NULL from an image */
    json_t *spec;               /* "spec": the create-time configuration
                                   (runtime/spec.h); NULL: none */
    json_t *command;            /* "command": argv resolved at create (array of
                                   strings); NULL in records before it */
    long long command_start;    /* "commandStart": where command's Cmd part
                                   begins (its entrypoint before); -1 absent */
    json_t *labels;             /* "labels": {k: v}; NULL: none */
    const char *log_driver;     /* "logDriver": "k8s-file" default */
    const char *log_path;       /* "logPath": NULL -> <bundle>/ctr.log */
    const char *log_tag;        /* "logTag" */
    long long log_size_max;     /* "logSizeMax": bytes, -1 unlimited */
    const char *restart_policy; /* "restartPolicy": "no" default */
    long long restart_retries;  /* "restartRetries" */
    long long stop_timeout;     /* "stopTimeout": seconds, 10 default */
    long long timeout;          /* "timeout": --timeout seconds, 0 none */
    bool stdin_open;            /* "stdin": -i */
    bool terminal;              /* "terminal": -t */
    bool auto_remove;           /* "autoRemove": --rm */
    json_t *networks;           /* "networks": {name: {aliases, static_ips,
                                   static_mac, interface_name}} (net/net.h) */
    json_t *port_mappings;      /* "portMappings": ports_to_json() */
    json_t *dns;                /* "dns": {servers, search, options} */
    json_t *add_hosts;          /* "addHosts": ["name:ip"] */
    const char *runtime;        /* "runtime": OCI runtime name or path, "" default */
    const char *cgroup_parent;  /* "cgroupParent" */
    const char *cid_file;       /* "cidFile" */
    json_t *create_command;     /* "createCommand": array */
    /* from "spec": */
    const char *ns_mode[SPEC_NS__COUNT]; /* "namespaces": {network, pid, ipc,
                                   uts, cgroup, user}: "bridge" (network),
                                   "host" (user), "" (cgroup: the host's
                                   default) / "private" when absent */
    int stop_signal;            /* "stopSignal": SIGTERM default */
    const char *hostname;       /* "hostname": NULL -> the short id */
    long long shm_size;         /* "shmSize": bytes, 0 -> the config's */
    /* in the view of the config kept in state.json only: */
    long long view_version;     /* "v": the view's format (ctr_view.h), 0 absent */
    char *scanned;              /* a view read by ctr_runstate_scan: the block
                                   its strings are in; its JSON members are
                                   then its own, rec NULL */
};

/*
 * state.json, the container's runtime state, podman's field names. Owned
 * values. To add a field: a member here and a line in state_fields of
 * ctr_records.c (key, kind, member; the table is kept sorted by key); the
 * reader and the writer both follow the table, the writer writes every
 * scalar and each string or object that is not NULL. Exec sessions,
 * health status, a pod id go the same way; an object-valued member
 * (FK_OBJ, like networkStatus) suits a structured one until it deserves
 * a struct of its own.
 */
struct ctr_runstate {
    enum ctr_state state;       /* "state" (ctrstate.h) */
    pid_t pid;                  /* "pid": the container's process, 0 none */
    unsigned long long pid_start;   /* "pidStart": its start time (clock ticks
                                   since boot): guards against pid reuse */
    pid_t conmon_pid;           /* "conmonPid": its conmon, 0 none */
    unsigned long long conmon_start;/* "conmonStart" */
    json_t *exec_sessions;      /* "execSessions": {session id: session}, the
                                   exec sessions not yet reaped (ctr_exec.c) */
    long long started_ns;       /* "startedNs": last start, unix ns; 0 never */
    long long finished_ns;      /* "finishedNs": last exit, unix ns */
    int exit_code;              /* "exitCode": of the last exit, -1 unknown */
    bool exited;                /* "exited": has exited since it was last initialised */
    bool oom_killed;            /* "oomKilled": the last exit was the OOM killer's */
    bool mounted;               /* "mounted": the root file system is mounted */
    char *mount_point;          /* "mountPoint": where; NULL when not (read from
                                   and written as "") */
    bool shm_mounted;           /* "shmMounted": <bundle>/shm is a tmpfs of ours */
    bool stopped_by_user;       /* "stoppedByUser": stop/kill, not an exit of its own */
    bool restart_policy_match;  /* "restartPolicyMatch": cleanup restarts it */
    long long restart_count;    /* "restartCount": restarts by the policy */
    long long restart_delay_ms; /* "restartDelayMs": the last back-off before a
                                   restart by the policy (ctr_cleanup) */
    char *net_ns;               /* "netNS": its network namespace (bridge), NULL none */
    json_t *network_status;     /* "networkStatus": the backend's status
                                   (runtime/net), NULL none */
    json_t *slirp;              /* "slirp4netns": the running slirp4netns
                                   (net/slirp.h), NULL none */
    json_t *view;               /* "view": the config's view for ps (ctr_view.h) */
    char *intent;               /* "intent": the transition a command is working
                                   on ("create", "init", "start", "stop"), NULL
                                   none; see ctr_intent_begin */
    pid_t intent_pid;           /* "intentPid": the process doing it */
    unsigned long long intent_start;/* "intentStart": its start time */
    json_t *volumes_mounted;    /* "volumesMounted": names of the volumes this
                                   run counted itself a user of (ctr_mounts.h) */
    json_t *images_mounted;     /* "imagesMounted": ids of the images mounted for
                                   --mount type=image */
    json_t *health;             /* "health": {Status, FailingStreak, Log} as
                                   inspect shows it (runtime/health.c); NULL
                                   none */
    pid_t health_pid;           /* "healthPid": the health check process, 0 none */
    unsigned long long health_start;/* "healthPidStart": its start time */
    bool health_restart;        /* "healthRestart": --health-on-failure restart
                                   killed it: cleanup starts it again */
    json_t *rec;                /* the record as read (NULL: new): its keys
                                   not above are written back unchanged */
};

/* Parses config.json rec (a reference of its own is taken) into *out.
 * id names the container in errors. BK_CORRUPT, naming the container and
 * the field, for a mistyped field; *out is then empty. */
int ctr_config_parse(json_t *rec, const char *id, struct ctr_config *out, struct berr **err);
void ctr_config_free(struct ctr_config *c);
/* The same for state.json. */
int ctr_runstate_parse(json_t *rec, const char *id, struct ctr_runstate *out,
                       struct berr **err);
/* ps's reader of state.json's text: 0 for a record it is sure of (only
 * known fields, each of its type, a version this berth reads), its rec
 * NULL (no unknown keys to keep: not for a record to be written back);
 * -1 for any other, *out zeroed and *view too: ctr_runstate_parse judges
 * it. But out of memory for the view's strings, -1 leaves *view holding
 * a config's defaults (nothing allocated: ctr_config_free is safe on it
 * either way). view not NULL: the view is read into *view as
 * ctr_config_parse reads it (absent or null: view_version 0), not into
 * out->view; free it with ctr_config_free. */
int ctr_runstate_scan(const char *buf, size_t len, struct ctr_runstate *out,
                      struct ctr_config *view);
/* The field tables (runtime/records.h) of config.json's top level and of
 * the view's (view true), which must be the config's entries for the
 * view's keys; *n their length. Exposed for the unit test that keeps them
 * in step with each other and with ctr_view_record(). */
struct rec_field;
const struct rec_field *ctr_config_fields(bool view, size_t *n);
/* Lenient readers, for what must work whatever a record says
 * (ctr_repair.c): a mistyped field reads as absent, and the first such
 * problem is kept in *problem (malloc'd; left alone when set already).
 * They fail only for a record that is not an object, or out of memory. */
int ctr_config_parse_salvage(json_t *rec, const char *id, struct ctr_config *out,
                             char **problem, struct berr **err);
int ctr_runstate_parse_salvage(json_t *rec, const char *id, struct ctr_runstate *out,
                               char **problem, struct berr **err);
void ctr_runstate_free(struct ctr_runstate *s);
/* The record of s: its fields, then rec's keys it does not know. NULL
 * when out of memory. */
json_t *ctr_runstate_json(const struct ctr_runstate *s);
/* Sets *p to a copy of v (NULL clears it): 0, or -1 out of memory. */
int ctr_set_str(char **p, const char *v);
/* Reads container id's records without its lock (either may be NULL):
 * ps, logs --follow and info see the records as they are. */
int ctr_read(struct runtime *rt, const char *id, struct ctr_config *cfg,
             struct ctr_runstate *st, struct berr **err);
/* ctr_read of the state through ctr_runstate_scan (view: as there): 0,
 * or -1 (st zeroed, view as ctr_runstate_scan leaves it) where ctr_read
 * must read it. */
int ctr_read_state_quick(struct runtime *rt, const char *id, struct ctr_runstate *st,
                         struct ctr_config *view);

struct ctr {
    char id[STATE_ID_LEN + 1];
    struct ctr_config cfg;      /* config.json */
    struct ctr_runstate st;     /* state.json */
    struct lock lock;           /* held between ctr_get and ctr_put */
    char *damage;               /* ctr_get_any: what is wrong with its records
                                   (cfg and st then hold what could be read,
                                   st.state what the evidence says); NULL: sound */
    bool repair_lock;           /* lock is the repair lock: the record names no
                                   lock of its own that is allocated */
    struct ctr_rtdelete *rt_delete; /* ctr_remove: the runtime's delete, still
                                   running while the storage goes (ctr_lifecycle.c) */
    bool rt_delete_handoff;     /* ctr_remove: the runtime's delete may go to a
                                   detached child (runtime/rtdelete.h) */
    char *seccache_miss;        /* init: crun's filter to keep once it has made
                                   it (runtime/seccache.h) */
    uint64_t saved_hash;        /* ctr_save: hash of what this struct last wrote
                                   (0: nothing since it was read) */
    bool saves_held;            /* ctr_remove: "removing" is on disk, so the
                                   cleanup's own writes are skipped (ctr_save) */
    bool in_removal;            /* ctr_remove: its stop and cleanup emit no
                                   events (podman's rm: died, remove) */
    bool exit_unsaved;          /* mark_exited under rt->removal_next: the exit
                                   is written by the removal's first write, or by
                                   ctr_remove_flags if the removal is refused */
};

/* What `create` needs beyond the spec JSON (which it takes over). */
struct ctr_create_params {
    json_t *spec;               /* runtime/spec.h create-time config (borrowed) */
    const char *name;           /* NULL: generated */
    const char *image;          /* image reference, or NULL with rootfs */
    const struct img *image_found; /* the image that reference means, when the
                                   caller has looked it up (img_pull_policy):
                                   create then reads neither the image's
                                   name index nor its record again; NULL:
                                   looked up here */
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
    const char *pod;            /* --pod: a pod's name or id, NULL none; members
                                   join the infra's shared namespaces */
    bool is_infra;              /* the infra container of pod (pod_create) */
    char *const *create_command; /* the command line that made it, as podman's
                                   Config.CreateCommand; NULL: none */
    const char *id;             /* the id, chosen by the caller (pod_create's
                                   infra, named in the pod's record first);
                                   NULL: a new one */
    /* called once when image does not resolve, to make it (the pod
     * infra's local pause image); the lookup is then done again */
    int (*image_missing)(struct runtime *rt, const char *ref, struct berr **err);
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
/* ctr_get_id of a container about to be removed if it is --rm: an exit
 * its sync finds is written with the removal (rt->removal_next). */
int ctr_get_id_removing(struct runtime *rt, const char *id, struct ctr **out, struct berr **err);
/* ctr_get and ctr_get_id for rm and inspect, which must work whatever the
 * records say (runtime/ctr_repair.c): a container whose record is empty,
 * truncated, garbage, of a future version, mistyped or without a usable
 * lock is returned too, with c->damage set; ctr_remove removes it, and
 * nothing else may be done with it. */
int ctr_get_any(struct runtime *rt, const char *name_or_id, struct ctr **out,
                struct berr **err);
int ctr_get_id_any(struct runtime *rt, const char *id, struct ctr **out, struct berr **err);
/* rm --force of a name no record has (podman's RemoveStorageContainer):
 * the root file system in the store whose id is id_or_prefix, or starts
 * with it uniquely, and that no container record names, is unmounted
 * and deleted. 1 when one was, 0 when there is none such (the caller's
 * "no such container" stands), -1 on error. Such an orphan is left by
 * an older berth's killed create; create now writes the record first. */
int ctr_remove_external(struct runtime *rt, const char *id_or_prefix, struct berr **err);
/* ctr_read for what must read a record whatever it says (ps, refresh,
 * ctr_get_any): both records read leniently, *damage (malloc'd) saying
 * what is wrong (NULL: nothing), without the "container <id>: " prefix.
 * -1 only when the record is gone (BK_NO_SUCH) or out of memory. */
int ctr_read_salvage(struct runtime *rt, const char *id, struct ctr_config *cfg,
                     struct ctr_runstate *st, char **damage, struct berr **err);
void ctr_put(struct ctr *c);
static inline void ctr_putp(struct ctr **c) { ctr_put(*c); }
#define _cleanup_ctr_ __attribute__((cleanup(ctr_putp)))
/* A hash of what ctr_save would write of st (0: out of memory). */
uint64_t ctr_runstate_hash(const struct ctr_runstate *st);
/* Writes c->st (ctr_runstate_json) atomically, without fsync (state.h:
 * a power loss may cost the last transitions, which the next boot's
 * refresh resets or rebuilds); nothing is written when the record cannot
 * be built. */
int ctr_save(struct runtime *rt, struct ctr *c, struct berr **err);
/* Sets config.json's key to v (taken over) in c->cfg.rec and parses the
 * record again into c->cfg; on failure both stay as they were. Replacing
 * a value through jansson directly would leave c->cfg pointing at the
 * freed one. Nothing is written: ctr_save_config does that. */
int ctr_config_set(struct ctr *c, const char *key, json_t *v, struct berr **err);
/* Writes c->cfg.rec after a change, parses it again into c->cfg, then
 * saves the state if the config's view in it changed. */
int ctr_save_config(struct runtime *rt, struct ctr *c, struct berr **err);
/* Brings the view in c->st in line with c->cfg and saves it if it was
 * not; a failure to save is only logged (the next locked command retries). */
void ctr_view_repair(struct runtime *rt, struct ctr *c);
/* Moves a running/created/stopping/paused container to stopped when its
 * exit file exists, or when conmon and the process are both gone. */
int ctr_sync(struct runtime *rt, struct ctr *c, struct berr **err);

static inline int ctr_state(const struct ctr *c)
{
    return (int) c->st.state;
}
static inline const char *ctr_name(const struct ctr *c)
{
    return c->cfg.name ? c->cfg.name : c->id;
}
static inline const char *ctr_image_name(const struct ctr *c)
{
    return c->cfg.image_name ? c->cfg.image_name : "";
}
/* The namespace mode of the spec ("bridge" for the network, "host" for
 * the user namespace, "" for the cgroup namespace (v1: host, v2:
 * private), "private" for the others when not given; "host", "none",
 * "container:<id>", "ns:<path>"; the user namespace also "auto"
 * and "keep-id"). */
static inline const char *ctr_ns_mode(const struct ctr *c, enum spec_ns which)
{
    return c->cfg.ns_mode[which];
}

/* Paths (malloc'd). */
char *ctr_bundle_dir(struct runtime *rt, const char *id);
char *ctr_run_dir(struct runtime *rt, const char *id);
char *ctr_exit_file(struct runtime *rt, const char *id);
/* conmon's --persist-dir: the run dir (a dir of its own, as podman's,
 * cost an inode per start); the legacy one is where older berths put it,
 * for a container started by one of them this boot. */
char *ctr_persist_dir(struct runtime *rt, const char *id);
char *ctr_persist_dir_legacy(struct runtime *rt, const char *id);
/* Removes conmon's files in id's persist dir (exit, oom; the run dir's
 * other files stay; none when run_dir_goes: the whole dir is about to
 * go) and its legacy persist dir. */
void ctr_persist_clear(struct runtime *rt, const char *id, bool run_dir_goes);
char *ctr_log_path(struct runtime *rt, const struct ctr *c);
/* The runtime's pid file and conmon's: --pidfile and --conmon-pidfile, else
 * <run dir>/pidfile and <run dir>/conmon.pid. */
char *ctr_pid_file(struct runtime *rt, const struct ctr *c);
char *ctr_conmon_pid_file(struct runtime *rt, const struct ctr *c);

/* All container ids of this libpod namespace, sorted. */
int ctr_list_ids(struct runtime *rt, char ***ids, struct berr **err);
/* The id of the container created last (--latest); BK_NO_SUCH when there
 * is none. id holds STATE_ID_LEN + 1 bytes. */
int ctr_latest(struct runtime *rt, char *id, struct berr **err);
/* Container root file systems in storage that no berth record knows
 * (podman's "external" containers: made by another tool, or left by a
 * create that was killed), sorted. */
int ctr_external_ids(struct runtime *rt, char ***out, struct berr **err);
/* container exists: a record by name, id or prefix; with external also a
 * root file system in storage by its id or a prefix of it. */
int ctr_exists(struct runtime *rt, const char *name_or_id, bool external, bool *exists,
               struct berr **err);
/* The containers that join one of container id's namespaces
 * (--network/--pid/--ipc/--uts/--cgroupns/--userns container:ID), sorted:
 * the reverse index of runtime/ctr_deps.c, not a scan of every record. */
int ctr_dependents(struct runtime *rt, const char *id, char ***out, struct berr **err);
/* podman's refusal to remove c while containers depend on it (BK_EXISTS,
 * "... has dependent containers which must be removed before it: ..."). */
int ctr_deps_refuse(struct runtime *rt, const struct ctr *c, struct berr **err);

/* The lifecycle (runtime/ctr_lifecycle.c). Each takes a locked container. */
int ctr_init(struct runtime *rt, struct ctr *c, struct berr **err);
/* ctr_init for a ctr_start that follows (an attach in between): the
 * container is recorded created with the start's intent already, one
 * write fewer (a kill before the start leaves it created, as without),
 * unless the start waits for containers it requires. */
int ctr_init_to_start(struct runtime *rt, struct ctr *c, struct berr **err);
int ctr_start(struct runtime *rt, struct ctr *c, struct berr **err);
int ctr_stop(struct runtime *rt, struct ctr *c, long long timeout, struct berr **err);
int ctr_kill(struct runtime *rt, struct ctr *c, int sig, struct berr **err);
/* What conmon's exit command runs; also stop/rm. rm: remove afterwards. */
int ctr_cleanup(struct runtime *rt, struct ctr *c, struct berr **err);
/* Will c's cleanup start it again (its restart policy, a health check's
 * restart)? */
bool ctr_restart_due(struct ctr *c);
/* Removes the container (stopping it first with force). After success
 * the container is gone: the caller must still ctr_put() it. */
int ctr_remove(struct runtime *rt, struct ctr *c, bool force, long long timeout,
               struct berr **err);
/* ctr_get_id + ctr_remove + ctr_put, for a container known by its full id
 * (network rm -f removes the containers that use the network). */
int ctr_remove_id(struct runtime *rt, const char *id, bool force, long long timeout,
                  struct berr **err);
/* rm --depend: the containers that depend on c (ctr_dependents), theirs
 * first, then c; the id of each one removed is appended to *removed.
 * flags: ctr_remove_flags' (runtime/ctr_mounts.h: CTR_RM_VOLUMES). */
int ctr_remove_depend(struct runtime *rt, struct ctr *c, bool force, long long timeout,
                      unsigned flags, char ***removed, struct berr **err);
int ctr_restart(struct runtime *rt, struct ctr *c, long long timeout, struct berr **err);
/* system boot: whether c is one to start after a reboot: restart policy
 * always, or unless-stopped and not stopped by the user (stop, kill),
 * and not running. */
bool ctr_boot_wanted(const struct ctr *c);
int ctr_rename(struct runtime *rt, struct ctr *c, const char *name, struct berr **err);
/* pause / unpause (runtime/ctr_pause.c): the OCI runtime's pause and
 * resume; podman's errors ("... is already paused", "\"<state>\" is not
 * running, can't pause", "... is not paused, can't unpause"). */
int ctr_pause(struct runtime *rt, struct ctr *c, struct berr **err);
int ctr_unpause(struct runtime *rt, struct ctr *c, struct berr **err);
/* update (runtime/ctr_update.c): merges res (a spec.h "resources"
 * object, borrowed) into the container's and applies it to a created,
 * running or paused container through the OCI runtime's update. */
int ctr_update(struct runtime *rt, struct ctr *c, json_t *res, struct berr **err);

/* stats (runtime/ctr_stats.c): one sample of a container's resource use
 * from its cgroup (v1 or v2) and network namespace; a container without
 * a live process samples as zeros (running false). */
struct ctr_stats {
    char id[STATE_ID_LEN + 1];
    char *name;
    bool running;
    long long started_ns;           /* its last start, unix ns */
    long long sampled_ns;           /* when this sample was taken, unix ns */
    unsigned long long cpu_ns, cpu_system_ns;
    unsigned long long mem_usage, mem_limit;    /* limit: at most the host's */
    unsigned long long net_in, net_out;         /* bytes the container sent, got */
    unsigned long long blk_in, blk_out;
    unsigned long long pids;
};
int ctr_stats_sample(struct runtime *rt, struct ctr *c, struct ctr_stats *s, struct berr **err);
void ctr_stats_clear(struct ctr_stats *s);

/* container clone (runtime/ctr_clone.c): a new container with src's
 * create-time configuration (locked src), its id in id. */
struct ctr_clone_opts {
    const char *name;           /* NULL: "<src>-clone", "-clone1"... */
    const char *image;          /* NULL: src's */
    json_t *resources;          /* limits merged over src's, or NULL */
    bool run;                   /* start it */
    bool destroy, force;        /* remove src after (force: even running) */
    const char *pod;            /* the pod (name or id) the clone joins; NULL:
                                   src's own, if any */
    bool infra;                 /* the clone is the infra of pod (pod clone) */
    json_t *spec;               /* spec.h fields set over src's, or NULL */
};
int ctr_clone(struct runtime *rt, struct ctr *src, const struct ctr_clone_opts *o,
              char id[STATE_ID_LEN + 1], struct berr **err);
/* A clone's default name: "BASE-clone", else "BASE-clone1"... the first
 * that no container or pod has. */
int ctr_clone_name(struct runtime *rt, const char *base, char **out, struct berr **err);

/* network connect / disconnect (runtime/ctr_net.c): a running container
 * joins or leaves a network at once; a stopped one when it next starts. */
int ctr_net_connect(struct runtime *rt, struct ctr *c, const char *name, char **aliases,
                    const char *ip, const char *ip6, const char *mac, struct berr **err);
int ctr_net_disconnect(struct runtime *rt, struct ctr *c, const char *name, struct berr **err);
/* network reload: re-applies the firewall rules and port forwarding of a
 * running container with bridge networking (its addresses stay) and
 * saves the new network status. Any other container is BK_STATE, or with
 * skip_idle returns 1 (reload --all passes over it). */
int ctr_net_reload(struct runtime *rt, struct ctr *c, bool skip_idle, struct berr **err);
/* network rm KEY (a name, id or id prefix), podman's policy: a network
 * containers use is refused (exit 2) unless force, which removes them
 * first (timeout: seconds to stop each, -1 its own stop timeout); an
 * unknown network is exit 1, or with force no failure (*removed false). */
int ctr_net_remove(struct runtime *rt, const char *key, bool force, long long timeout,
                   bool *removed, struct berr **err);

/* `runtime delete --force` for a container known only by its config
 * (refresh: the runtime may remember a container from before a reboot). */
void ctr_forget_runtime(struct runtime *rt, const struct ctr_config *cfg);

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

/* Exec sessions (runtime/ctr_exec.c; SPEC-podman.md §2.4): a process
 * started in a running container through conmon's exec mode, joining its
 * namespaces, cgroup, capabilities, seccomp profile, user, environment
 * and working directory unless an option says otherwise. A session is
 * recorded in state.json ("execSessions", inspect's ExecIDs) from its
 * start until it is reaped: by the attached exec when the process ends,
 * else by conmon's exit command (container cleanup --exec), else when the
 * container is cleaned up or started again. Whoever reaps it writes the
 * exec_died event (with the code and Attributes.execID). */
struct ctr_exec_opts {
    char *const *cmd;           /* argv, at least one element */
    char *const *env;           /* "K=V" set over the container's */
    const char *user;           /* NULL/"": the container's user */
    const char *workdir;        /* NULL/"": the container's */
    bool privileged;            /* the host's whole bounding set */
    bool tty, interactive;      /* -t, -i */
    bool detach;                /* -d: leave it under conmon */
    const char *detach_keys;    /* NULL: ctrl-p,ctrl-q */
    unsigned preserve_fds;      /* our fds 3.. passed on */
    int out_fd;                 /* > 0: stdout and stderr go there, not to ours */
    long long timeout_ms;       /* > 0: the process is killed after this long */
    bool *timed_out;            /* with timeout_ms: set when it was */
};
/* Runs an exec session in locked, running container c. Attached: *code
 * is the process's exit status (the lock is released while it runs and
 * retaken after). Detached: session (65 bytes) gets the session id and
 * returns once the process has started. Errors: not running, exit 255
 * ("can only create exec sessions on running containers"); the runtime's
 * failure as podman's exec reports it (126, 127, else 255). */
int ctr_exec(struct runtime *rt, struct ctr *c, const struct ctr_exec_opts *o, int *code,
             char *session, struct berr **err);
/* `container cleanup --exec SESSION`: reaps a session whose process has
 * ended; one already reaped is fine. */
int ctr_exec_cleanup(struct runtime *rt, struct ctr *c, const char *session, struct berr **err);

/* cp (runtime/ctr_cp.c). A container's root for a copy: opened from the
 * locked container, used after its lock is released (a copy may take
 * long), closed after (a root mounted for it is unmounted then). */
struct ctr_root {
    char id[STATE_ID_LEN + 1];
    char *name;
    char *path;                 /* /proc/<pid>/root (running) or the mount */
    int fd;                     /* O_PATH of path */
    bool mounted;               /* mounted for the copy: unmount at close */
    uid_t uid;                  /* the container's user (cp --archive) */
    gid_t gid;
};
int ctr_root_open(struct runtime *rt, struct ctr *c, struct ctr_root *r, struct berr **err);
void ctr_root_close(struct runtime *rt, struct ctr_root *r);

struct cp_side {
    struct ctr_root *root;      /* NULL: the host */
    const char *path;           /* "-": a tar stream on stdin / stdout */
};
struct ctr_cp_opts {
    bool archive;               /* into a container: its user owns the copy
                                   (else the archive's owners); the host's
                                   copies are always ours */
    bool overwrite;             /* a directory and a non-directory may
                                   replace each other */
    int in_fd, out_fd;          /* the streams of "-" */
};
/* Copies src to dst with docker's rules: a file onto a file replaces it,
 * into a directory keeps its name; a directory onto a missing name
 * becomes that name, into a directory goes under its own name, or with
 * "/." its contents go there; a tar stream goes into a directory.
 * podman's errors ("\"X\" could not be found on container C", "destination
 * must be a directory when copying a directory", ...). */
int ctr_cp(const struct cp_side *src, const struct cp_side *dst, const struct ctr_cp_opts *o,
           struct berr **err);

/* diff: what the container changed in its root file system against its
 * image, sorted by path ('A', 'C', 'D'; storage/store.h), without the
 * files and mount points every container has (/etc/hosts, /proc, ...).
 * The rootfs and the image are mounted for it and unmounted after. */
struct ctr_change {
    char *path;
    char kind;
};
int ctr_diff(struct runtime *rt, struct ctr *c, struct ctr_change **out, size_t *n,
             struct berr **err);
void ctr_changes_free(struct ctr_change *v, size_t n);

/* commit (runtime/ctr_commit.c): the container's changes (or, squash,
 * its whole tree) as a layer on its image, a new image (id: 64 hex). */
struct ctr_commit_opts {
    const char *name;           /* normalized (img_import_name), or NULL */
    const char *author;         /* -a */
    const char *message;        /* -m: the docker config's "comment" */
    char *const *changes;       /* -c, Dockerfile instructions (changes.h) */
    bool docker;                /* -f docker (else oci) */
    bool pause;                 /* freeze a running container meanwhile */
    bool squash;                /* one layer: the whole root file system */
    bool include_volumes;       /* its volumes' destinations as VOLUMEs */
    const struct progress *progress;    /* podman's copy lines, or NULL */
};
int ctr_commit(struct runtime *rt, struct ctr *c, const struct ctr_commit_opts *o,
               char id[65], struct berr **err);

/* mount / unmount by the user (runtime/ctr_mount.c): counted mounts of
 * the rootfs (a --rootfs container's is its directory, never mounted).
 * ctr_unmount drops one of the user's mounts (all of them with force);
 * *done: one was dropped (false when none was mounted). A running or
 * paused container's own mount stays: with nothing else mounted it is
 * BK_STATE "cannot unmount storage for container ID as it is running or
 * paused". ctr_mounted: the mountpoint while mounted, else NULL. */
int ctr_mount(struct runtime *rt, struct ctr *c, char **mountpoint, struct berr **err);
int ctr_unmount(struct runtime *rt, struct ctr *c, bool force, bool *done, struct berr **err);
int ctr_mounted(struct runtime *rt, struct ctr *c, char **mountpoint, struct berr **err);

/* top (runtime/ctr_top.c): the processes of a running container, one
 * row of cells per process after a header row, for podman's (psgo's)
 * descriptors ("user", "pid", "capeff", ...; NULL: podman's default
 * set), read from /proc. rows: NULL-terminated, each a strv.
 * ctr_top_known: whether every descriptor is psgo's; when one is not,
 * podman runs ps(1) inside the container with the arguments as given:
 * ctr_top_ps does (an exec session), *out its output without ps's own
 * line. Not running: BK_STATE "top can only be used on running
 * containers". */
int ctr_top(struct runtime *rt, struct ctr *c, char *const *descriptors, char ****rows,
            struct berr **err);
bool ctr_top_known(char *const *descriptors);
const char *const *ctr_top_descriptors(void);
int ctr_top_ps(struct runtime *rt, struct ctr *c, char *const *args, char **out,
               struct berr **err);

/* container prune (runtime/ctr_prune.c): the full ids of the containers
 * prune removes, oldest id order: not running, paused, stopping or being
 * removed, and passing the filters ("label=K[=V]", "label!=K[=V]",
 * "until=TIME|DURATION"; another key: "K is an invalid filter"). */
int ctr_prune_ids(struct runtime *rt, char *const *filters, char ***out, struct berr **err);

/* inspect --why (runtime/ctr_why.c): the evidence behind the state of
 * the container named input, read without its lock: {"Id", "Name",
 * "Record" {Path, State, Damage, Intent, IntentPid}, "Exit" {ExitFile,
 * ExitFilePresent, ExitFileCode, ExitCodeRecorded, ExitCodeRecord},
 * "Conmon" and "Process" {Pid, RecordedStart, Alive, SameStart}, "RootFS"
 * {RecordedMounted, MountPoint, MountedNow}, "NetNS" {Path, Exists,
 * MountedNow}, "Lock" {Number, Held, HolderPid} or {Number, Problem}}. */
int ctr_why(struct runtime *rt, const char *input, json_t **out, struct berr **err);

/* export: the container's root file system (not its volumes) as a tar
 * stream on out_fd, names relative to the root ("bin/", "etc/passwd");
 * mounted for it (a "mount" event, as podman) and unmounted after. */
int ctr_export(struct runtime *rt, struct ctr *c, int out_fd, struct berr **err);

/* Waits (without holding the lock) until the container with this id
 * reaches one of the states in mask (1 << CS_*); "exited" means stopped
 * or exited. The exit code comes from the exit-code table, so a removed
 * --rm container still answers; another state reached answers -1, as
 * podman. timeout_ms < 0: forever. */
int ctr_wait(struct runtime *rt, const char *id, unsigned mask, long long timeout_ms,
             unsigned flags, int *code, struct berr **err);
/* ctr_wait flags. AUTOREMOVE, for the process attached to a --rm
 * container (run, start -a): once it has exited, it is removed under the
 * same hold of its lock. The exit command conmon runs would remove it
 * too, but only after starting a berth process and waiting for the lock
 * this process takes first anyway; whichever comes second finds it gone. */
#define CTR_WAIT_AUTOREMOVE 1u

#endif
