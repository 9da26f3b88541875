/*
 * runtime/pod.h: pods (podman's libpod Pod): a group of containers that
 * share namespaces held by an infra container.
 *
 * Records (state/state.h, pod kind, keyed by id):
 *   pods/<id>/config.json  struct pod_config: what `pod create` decided
 *   pods/<id>/state.json   struct pod_state: nothing the members do not
 *                          say already (a pod's status is derived from its
 *                          containers' states, as podman derives it)
 * One reader and one writer each (pod_records.c, field tables of
 * runtime/records.h); keys they do not know survive their writes.
 *
 * Names: pods and containers share the names/ index (podman's do too:
 * `create --name P` of a pod's name is "name "P" is in use: pod already
 * exists").
 *
 * Members: a container's config says "pod": <pod id> (and "isInfra" for
 * the infra); the pod keeps no list, so a member half-created by a killed
 * command is still found (and removed by pod rm -f). A member joins the
 * infra's shared namespaces as container:<infra id> (ctr_create), and
 * starting a member starts the infra first (ctr_lifecycle.c).
 *
 * Locks: one lock file per pod, <tmp_dir>/locks/pods/<id>, created when
 * first taken and unlinked when the pod is removed (volume.h's scheme).
 * Order: pod before container.
 *
 * The infra image (pod_infra.c): localhost/berth-pause:<version>, built
 * locally from the host's catatonit (no registry), running `/catatonit -P`.
 */
#ifndef BERTH_POD_H
#define BERTH_POD_H

#include <jansson.h>
#include <stdbool.h>

#include "runtime/runtime.h"
#include "util/err.h"
#include "util/flock.h"

#define POD_INFRA_IMAGE_REPO "localhost/berth-pause"

/* config.json. Owned values. To add a field: a member here and a line in
 * config_fields of pod_records.c (sorted by key). */
struct pod_config {
    char *id;                   /* "id" */
    char *name;                 /* "name" */
    char *ns;                   /* "namespace": libpod namespace, "" none */
    long long created_ns;       /* "createdNs" */
    json_t *labels;             /* "labels": {k: v}, never NULL once read */
    bool create_infra;          /* "createInfra" */
    char *infra_id;             /* "infraId": NULL without infra */
    json_t *share;              /* "share": ["ipc", "net", "uts"] sorted */
    bool share_parent;          /* "shareParent": members under the pod's cgroup */
    char *exit_policy;          /* "exitPolicy": "continue" | "stop" */
    char *hostname;             /* "hostname": NULL: the pod's name */
    char *cgroup_parent;        /* "cgroupParent" */
    json_t *create_command;     /* "createCommand": argv */
    json_t *infra_config;       /* "infraConfig": what inspect's InfraConfig shows */
    bool infra_volumes;         /* "infraVolumes": pod create -v/--volumes-from
                                   gave the infra mounts every member gets
                                   (as --volumes-from <infra>) */
    json_t *resources;          /* "resources": spec.h resources every member
                                   without its own gets (berth limits each
                                   container, not the pod as a whole) */
    json_t *rec;
};

struct pod_state {
    json_t *rec;                /* kept as read */
};

int pod_config_parse(json_t *rec, const char *id, struct pod_config *out, struct berr **err);
json_t *pod_config_json(const struct pod_config *c);
void pod_config_free(struct pod_config *c);

struct pod {
    char id[STATE_ID_LEN + 1];
    struct pod_config cfg;
    struct lock lock;           /* held between pod_get and pod_put */
};

/* ---- pod.c: create, find, remove, members ---- */

/* What `pod create` asks for. The infra's network settings go into its
 * container as a container's would (ctr_create_params). */
struct pod_create_opts {
    const char *name;           /* NULL: generated */
    json_t *labels;             /* {k: v} or NULL */
    bool infra;                 /* --infra (default true) */
    const char *infra_image;    /* NULL: the local pause image */
    json_t *infra_command;      /* [argv] or NULL: the image's */
    const char *infra_name;     /* NULL: <id[:12]>-infra */
    const char *infra_conmon_pidfile;
    char **share;               /* NULL: ipc, net, uts; {"none"} or {}: none */
    bool share_parent;          /* default true */
    const char *exit_policy;    /* NULL: continue */
    const char *hostname;
    const char *cgroup_parent;
    json_t *create_command;     /* argv */
    /* the infra container's */
    json_t *networks;           /* [{name, aliases, ip, mac}] or NULL */
    const char *net_mode;       /* "bridge" (NULL), "none", "host", "ns:PATH" */
    json_t *port_mappings;      /* ["8080:80/tcp"] or NULL */
    json_t *dns;                /* {servers, search, options} or NULL */
    json_t *add_hosts;          /* ["name:ip"] or NULL */
    bool no_hosts;
    json_t *resources;          /* spec.h "resources" or NULL */
    json_t *mounts;             /* spec.h "mounts" of the infra (--volume) */
    json_t *volumes_from;       /* spec.h "volumesFrom" of the infra */
    json_t *sysctls;            /* spec.h "sysctls" of the infra (its network
                                   and IPC namespaces are the members') */
    json_t *security_opts;      /* spec.h "securityOpts" of the infra */
    const char *pid_mode;       /* the infra's pid namespace: NULL private, "host" */
    const char *uts_mode;       /* the infra's UTS namespace: NULL private, "host" */
    const char *userns_mode;    /* the infra's user namespace (spec.h namespaces.user),
                                   which every member joins; NULL: the host's */
    json_t *infra_extra;        /* more spec.h fields of the infra (uidMap, gidMap,
                                   subuidName, subgidName, usernsAuto, shmSize,
                                   devices), or NULL */
    json_t *devices;            /* spec.h "devices" every member gets too */
};

/* Creates the pod (and its infra container, created not started); *id
 * gets its id. Errors as podman's: "invalid kernel namespace to share:
 * X. Options are: cgroup, ipc, net, pid, uts or none", "cannot set
 * share(net) namespaces without an infra container", a taken name. */
int pod_create(struct runtime *rt, const struct pod_create_opts *o, char id[STATE_ID_LEN + 1],
               struct berr **err);
/* Finds (id, name, unique prefix), locks and reads a pod. BK_NO_SUCH:
 * "no pod with name or ID X found: no such pod". */
int pod_get(struct runtime *rt, const char *name_or_id, struct pod **out, struct berr **err);
int pod_get_id(struct runtime *rt, const char *id, struct pod **out, struct berr **err);
void pod_put(struct pod *p);
static inline void pod_putp(struct pod **p) { pod_put(*p); }
#define _cleanup_pod_ __attribute__((cleanup(pod_putp)))
/* Reads a pod's config without its lock (ps). */
int pod_read(struct runtime *rt, const char *id, struct pod_config *cfg, struct berr **err);
bool pod_exists(struct runtime *rt, const char *name_or_id);
/* pod_why.c: *damage is why pod id's record does not read (malloc'd), or
 * NULL when it reads; -1 for any other failure (gone meanwhile). */
int pod_damage(struct runtime *rt, const char *id, char **damage, struct berr **err);
/* pod inspect --why: {"Id", "Kind": "pod", "Name", "Record" {Path,
 * Damage}, "Members" [{Id, Name, State, Infra}]}, read without its lock. */
int pod_why(struct runtime *rt, const char *input, json_t **out, struct berr **err);
/* The name of pod id (malloc'd), "" when it cannot be read; NULL: out of
 * memory. */
char *pod_name(struct runtime *rt, const char *id);
/* All pod ids of this libpod namespace, sorted. */
int pod_list_ids(struct runtime *rt, char ***ids, struct berr **err);
/* The most recently created pod (--latest). */
int pod_latest(struct runtime *rt, char id[STATE_ID_LEN + 1], struct berr **err);

/* A member as pod listings show it (read without locks). */
struct pod_member {
    char id[STATE_ID_LEN + 1];
    char *name;
    int state;                  /* enum ctr_state, as a lock-free reader sees it */
    bool infra;
    long long created_ns;
};
/* The members of pod id, oldest first; the infra among them. */
int pod_members(struct runtime *rt, const char *id, struct pod_member **out, size_t *n,
                struct berr **err);
void pod_members_free(struct pod_member *m, size_t n);
/* podman's pod status from its members: Created, Running, Degraded,
 * Paused, Exited, Stopped, Error. */
const char *pod_status(const struct pod_member *m, size_t n);

/* ---- pod_ops.c: the lifecycle over the members ---- */

/* start: infra first, then the others (those that join another member's
 * namespaces after it). A pod with no container at all is podman's
 * error; a member that fails is reported and the others still start. */
int pod_start(struct runtime *rt, struct pod *p, struct berr **err);
/* stop (timeout < 0: each one's own), kill, pause, unpause: the members
 * first, the infra last. */
int pod_stop(struct runtime *rt, struct pod *p, long long timeout, struct berr **err);
int pod_kill(struct runtime *rt, struct pod *p, int sig, struct berr **err);
int pod_pause(struct runtime *rt, struct pod *p, bool unpause, struct berr **err);
int pod_restart(struct runtime *rt, struct pod *p, struct berr **err);
/* rm: refused while a member runs unless force (which stops them);
 * members (whatever state their records are in), then the infra, then
 * the pod. After success the caller still pod_put()s it. */
int pod_remove(struct runtime *rt, struct pod *p, bool force, long long timeout,
               struct berr **err);
/* rm --all: every pod goes with its containers (podman's rm -a removes a
 * pod with its infra); the full id of each container removed is appended
 * to *removed. A failure is kept; the other pods still go. */
int pod_remove_all(struct runtime *rt, bool force, long long timeout, char ***removed,
                   struct berr **err);
/* --exit-policy stop: called by a member's cleanup (lock of the member
 * released): when no member other than the infra is running any more,
 * the infra is stopped. */
void pod_exit_policy(struct runtime *rt, const char *pod_id);
/* Starts the infra of pod_id unless it runs (a member's start). */
int pod_start_infra(struct runtime *rt, const char *pod_id, struct berr **err);
/* For ctr_create: the infra's id of pod (empty when none), its shared
 * namespaces, its hostname; BK_NO_SUCH for an unknown pod. */
struct pod_join {
    char pod_id[STATE_ID_LEN + 1];
    char infra_id[STATE_ID_LEN + 1];
    bool share[6];              /* by enum spec_ns */
    char *hostname;
    char *cgroup_parent;        /* with shareParent: the pod's cgroup parent */
    json_t *resources;          /* the pod's resource limits, or NULL */
    bool volumes;               /* the infra has volumes every member mounts */
    bool userns;                /* members join the infra's user namespace */
    json_t *devices;            /* pod create --device: every member's too */
};
int pod_join_info(struct runtime *rt, const char *name_or_id, struct pod_join *out,
                  struct berr **err);
void pod_join_free(struct pod_join *j);
/* podman's `pod inspect` object. */
int pod_inspect_json(struct runtime *rt, struct pod *p, json_t **out, struct berr **err);

/* ---- pod_clone.c ---- */

/* pod clone: what differs from the original. */
struct pod_clone_opts {
    const char *name;           /* NULL: "<src>-clone", "-clone1"... */
    json_t *labels;             /* {k: v} set over src's, or NULL */
    const char *hostname;       /* NULL: src's (its name: the clone's) */
    const char *cgroup_parent;  /* NULL: src's */
    json_t *resources;          /* limits merged over the pod's and its infra's */
    const char *infra_name;     /* NULL: "<src infra>-clone" */
    json_t *infra_spec;         /* spec.h fields set over the infra's, or NULL */
    json_t *create_command;     /* argv, or NULL: src's */
    bool start;                 /* start the clone */
    bool destroy;               /* then remove src (locked), members and all */
};
/* Clones locked pod src, its infra and members; *id the new pod's. */
int pod_clone(struct runtime *rt, struct pod *src, const struct pod_clone_opts *o,
              char id[STATE_ID_LEN + 1], struct berr **err);

/* ---- pod_infra.c ---- */

/* The local pause image's name (NULL: out of memory). */
char *pod_infra_image_name(void);
/* Builds the pause image named ref (pod_infra_image_name) from
 * catatonit: ctr_create calls it when the infra's image is missing
 * (ctr_create_params.image_missing), so a pod create looks it up once. */
int pod_infra_image_build(struct runtime *rt, const char *ref, struct berr **err);

/* ---- pod_cgroup.c: the pod's own cgroup (cgroup v1, cgroupfs) ---- */

/* The cgroup path pod create records for pod id under parent (NULL: the
 * default): "<parent>/<id>"; "" where berth makes no pod cgroup (systemd
 * manager, cgroup v2, cgroups disabled); NULL: out of memory. */
char *pod_cgroup_path_new(struct runtime *rt, const char *parent, const char *id);
/* Before a member whose cgroup parent is ctr_parent starts: when that is
 * the pod's cgroup, makes it and writes the pod's limits into it. */
int pod_cgroup_ensure(struct runtime *rt, const char *pod_id, const char *ctr_parent,
                      struct berr **err);
/* With the pod: its cgroup out of every hierarchy (a warning if busy). */
void pod_cgroup_remove(const struct pod_config *cfg);

#endif
