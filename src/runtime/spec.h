/*
 * runtime/spec.h: the OCI runtime spec (the bundle's config.json) of a
 * container, built from three inputs (SPEC-podman.md §4):
 *
 *  (a) the container's create-time configuration, a JSON object with the
 *      fields below (podman's names where podman has one; every field is
 *      optional unless marked). The CLI fills it at `create`, the state
 *      stores it, spec_build() reads it at every `init`:
 *
 *   id             string, required (64 hex); hostname default = id[:12]
 *   name           string
 *   createdTime    string, RFC 3339 (annotation io.kubernetes.cri-o.Created;
 *                  "now" when absent)
 *   command        [string]  null/absent: the image's Cmd
 *   entrypoint     [string]  null/absent: the image's Entrypoint; [] or [""]
 *                  (`--entrypoint ""`) clears it. When an entrypoint is
 *                  given the image's Cmd is NOT used (podman's rule).
 *   env            ["K=V" | "K"]  "K" alone takes the host's value, if any
 *   envHost        bool    the whole host environment first (--env-host)
 *   httpProxy      bool    default true: the host's *_proxy variables
 *                  (and the config's http_proxy must be true too)
 *   workdir        string  else the image's WorkingDir, else "/"
 *   user           string  "", NAME, UID, NAME:GROUP, UID:GID (user.h)
 *   groups         [string]  --group-add
 *   hostname       string
 *   capAdd, capDrop  [string] "NET_ADMIN", "cap_net_admin", "ALL"
 *   privileged     bool
 *   readOnly       bool    root.readonly
 *   readOnlyTmpfs  bool    default true: with readOnly, tmpfs on /run,
 *                  /tmp and /var/tmp (podman's --read-only-tmpfs)
 *   securityOpts   [string] "no-new-privileges", "seccomp=unconfined",
 *                  "seccomp=/path.json", "mask=/a:/b", "unmask=ALL|/a:/b",
 *                  "label=..." and "apparmor=..." (accepted, ignored)
 *   ulimits        [string] "nofile=1024:2048", "nproc=-1", "host"
 *   resources      { memory (bytes), memorySwap (bytes, -1 = unlimited),
 *                    memoryReservation (bytes), memorySwappiness (0-100),
 *                    oomKillDisable (bool), cpus (number), cpuShares,
 *                    cpuPeriod, cpuQuota, cpuRtPeriod, cpuRtRuntime (us),
 *                    cpusetCpus, cpusetMems (strings), pidsLimit (<= 0:
 *                    unlimited), blkioWeight (10-1000), blkioWeightDevice
 *                    [{path, major, minor, weight}], blkioReadBps,
 *                    blkioWriteBps, blkioReadIops, blkioWriteIops [{path,
 *                    major, minor, rate}], unified {file: value} (v2) }
 *   deviceCgroupRules [string] "c 1:3 rwm", "b *:* r" (--device-cgroup-rule)
 *   cgroupsMode    string  "enabled" (default) | "disabled" (no cgroupsPath;
 *                  crun only) | "no-conmon" | "split" (under the caller's
 *                  cgroup: <own>/berth-payload-<id>)
 *   shmSize        bytes (the shm tmpfs is the caller's; only informs)
 *   annotations    {k: v}  added last, after berth's own
 *   labels         {k: v}  (not part of the spec; kept in the record)
 *   mounts         [{type, source, destination, options: [...]}]. What the
 *                  builder takes: bind, tmpfs, volume (source: its host
 *                  dir), and overlay/devpts as given. Options are kept;
 *                  bind gets "rbind" unless "bind" or "rbind" is given,
 *                  every mount but overlay/devpts gets "rprivate" unless a
 *                  propagation option is given, tmpfs gets "tmpcopyup".
 *                  What the CLI asks for and the config keeps is wider
 *                  (runtime/ctr_mounts.h makes it this): volume {name
 *                  (absent: a new anonymous one), destination, options},
 *                  image {source: an image, options ["ro"|"rw"]}, devpts,
 *                  and "O" (overlay), "U" (chown), nocopy in options.
 *   volumesFrom    ["CTR[:ro|rw|z]"]  --volumes-from (resolved at create;
 *                  kept for inspect and the volumes-from annotation)
 *   imageVolume    "bind"|"tmpfs"|"ignore": the image's VOLUMEs
 *   devices        ["/dev/fuse", "/dev/sda:/dev/xvda", "/dev/x:/dev/y:rw"]
 *   init           bool    catatonit as PID 1 (§4.8)
 *   initPath       string  else the config's init_path
 *   stopSignal     int     else the image's StopSignal, else 15
 *   terminal       bool    process.terminal (-t)
 *   stdin          bool    (-i; for conmon, not the spec)
 *   rm             bool    annotation io.podman.annotations.autoremove
 *   publishAll     bool    annotation io.podman.annotations.publish-all
 *   namespaces     { network: "bridge"|"none"|"host"|"container:ID"|
 *                    "ns:PATH", pid, ipc, uts, cgroup: "private"|"host"|
 *                    "container:ID"|"ns:PATH" } (absent = private/bridge;
 *                    cgroup: host on cgroup v1, private on v2)
 *   noHosts        bool    no /etc/hosts bind (--no-hosts)
 *   sysctls        {k: v}
 *   oomScoreAdj    int
 *   umask          string  octal, else the config's umask
 *   timezone       string  "local" or a zone name (/usr/share/zoneinfo)
 *
 *  (b) the image's config: the OCI image config's "config" object (Env,
 *      Entrypoint, Cmd, WorkingDir, User, StopSignal...); NULL = none.
 *  (c) host facts: struct spec_host (spec_host_probe() fills the parts
 *      that come from the machine; the caller sets the paths).
 *
 * The config (struct config) supplies default_capabilities, env,
 * http_proxy, default_ulimits, default_sysctls, pids_limit, umask,
 * seccomp_profile, init_path; only those fields are read, so a test may
 * pass a zeroed struct with a few of them set.
 *
 * Decisions (berth):
 *  - cgroupsPath with cgroupfs: "<parent>/berth-<id>", default parent
 *    "/berth_parent" (podman: /libpod_parent/libpod-<id>), so berth's and
 *    podman's containers never share a parent; systemd:
 *    "<parent slice>:berth:<id>", default slice machine.slice.
 *  - rlimits: default_ulimits + ulimits, then NOFILE/NPROC 1048576 when
 *    not given (only if the list is non-empty); every value is clamped to
 *    the current hard limit unless CAP_SYS_RESOURCE is effective, so the
 *    container starts where podman's defaults fail (a user-given value
 *    that is lowered gets a warning).
 *  - annotations and env keep podman's names and values
 *    (io.container.manager=libpod, io.podman.annotations.*, container=podman)
 *    so that tools that look for them keep working.
 *  - seccomp: seccomp=unconfined -> none; seccomp=FILE -> that file (and
 *    the annotation io.podman.annotations.seccomp=FILE); else the config's
 *    seccomp_profile; else host->seccomp_default; privileged with a
 *    default profile -> none.
 *  - rlimit values of "unlimited" are stored as -1 in the JSON object
 *    (jansson has no uint64); spec_dump() writes them as
 *    18446744073709551615, so always serialize with spec_dump().
 */
#ifndef BERTH_SPEC_H
#define BERTH_SPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

#include "runtime/config.h"
#include "util/err.h"

/* The namespaces a container may share or join. cgroup and user have
 * their own defaults (spec.h above): host cgroup namespace on cgroup v1,
 * private on v2; the host's user namespace. */
/* The cgroupfs parent of containers without --cgroup-parent. */
#define SPEC_CGROUPFS_PARENT "/berth_parent"

enum spec_ns {
    SPEC_NS_NET, SPEC_NS_PID, SPEC_NS_IPC, SPEC_NS_UTS, SPEC_NS_CGROUP, SPEC_NS_USER,
    SPEC_NS__COUNT
};

struct spec_host {
    /* from the machine (spec_host_probe) */
    char **bounding;            /* host bounding set (CapBnd), "CAP_..." names */
    bool cap_sys_resource;      /* CAP_SYS_RESOURCE in our effective set */
    struct rlimit rlimits[RLIM_NLIMITS];     /* current limits */
    bool cgroup_v2;             /* unified hierarchy: cgroup ns, rw cgroup */
    bool swap_accounting;       /* memory.memsw (v1) or v2: default swap */
    char hostname[256];         /* for HOSTNAME with a host UTS namespace */
    char **environ;             /* borrowed: --env-host and *_proxy source */

    /* set by the caller */
    const char *cgroup_manager; /* "cgroupfs" (NULL) | "systemd" */
    const char *cgroup_parent;  /* NULL: the default of the manager */
    const char *own_cgroup;     /* --cgroups split: the caller's cgroup (v2 path) */
    const char *rootfs;         /* root.path; its /etc/passwd is read */
    const char *rundir;         /* holds hosts, hostname, resolv.conf, .containerenv */
    const char *hosts_file;     /* NULL: <rundir>/hosts (container: network: the other's) */
    const char *resolv_file;    /* NULL: <rundir>/resolv.conf */
    const char *passwd_file;    /* bound at /etc/passwd (read-only root + --user); NULL: none */
    const char *group_file;     /* bound at /etc/group; NULL: none */
    const char *shm_dir;        /* the tmpfs bound at /dev/shm; NULL with ipc=host */
    const char *ns_path[SPEC_NS__COUNT];    /* paths for container:ID / bridge netns */
    const char *seccomp_default;            /* seccomp_default_path(); NULL: error if needed */
    const char *seccomp_cache;  /* profiles' OCI forms kept here (seccomp_file_to_oci); NULL: none */
    char **seccomp_text;        /* NULL, or set to the compact text of a profile file's
                                 * linux.seccomp (seccomp_file_to_oci's; NULL for others) */
    const char *goarch;         /* NULL: native (tests) */
    const char *created;        /* NULL: now; fixed in tests */
};

/* Fills the machine facts of h (bounding, cap_sys_resource, rlimits,
 * cgroup_v2, swap_accounting, hostname, environ = envp). Zeroes h first;
 * free with spec_host_free(). */
int spec_host_probe(struct spec_host *h, char **envp, struct berr **err);
void spec_host_free(struct spec_host *h);

/* Builds the spec. On success *out is a new reference. Errors are 125,
 * with podman's words where scripts may look for them ("no command or
 * entrypoint provided, and no CMD or ENTRYPOINT from image", "unable to
 * find user x: ...", "unknown capability ..."). */
int spec_build(const struct config *cfg, json_t *ctr, json_t *image, const struct spec_host *h,
               json_t **out, struct berr **err);

/* The values of a create-time configuration that no start could use,
 * refused when the container is created (125, BK_INVALID) rather than at
 * every start (125): a memory limit under 4 MiB, a negative CPU count or
 * one under the kernel's 1 ms quota, a relative workdir, a hostname
 * longer than the kernel takes (64). */
int spec_check(json_t *ctr, struct berr **err);
/* A resources object (the spec.h "resources" above) into OCI
 * linux.resources members (memory, cpu, blockIO, unified) of res, which
 * may hold others already (devices, pids). For `update` as for create. */
int spec_resources_oci(json_t *r, bool swap_accounting, json_t *res, struct berr **err);
/* podman's verifyContainerResources for this host's cgroups, at create
 * (and update): what the host cannot do is removed from r with podman's
 * warning; memory below the reservation, --cgroup-conf on cgroup v1, CPUs
 * or memory nodes the host does not have are refused. */
int spec_resources_check(json_t *r, struct berr **err);
/* podman's rule for a swap limit (not -1): a memory limit beside it
 * (memory > 0), and not above the swap. BK_INVALID in podman's words. */
int spec_memory_swap_check(long long memory, long long swap, struct berr **err);
/* /sys/fs/cgroup is the unified (v2) hierarchy. */
bool spec_cgroup2_unified(void);

/* Serializes a spec (indented, keys sorted) with rlimit -1 as 2^64-1. */
char *spec_dump(json_t *spec);
/* Reads a file spec_dump() wrote, 2^64-1 read back as -1 (exec copies
 * the process of the container's config.json). *out is a new reference. */
int spec_load(const char *path, json_t **out, struct berr **err);

/* Capability helpers. "net_admin", "NET_ADMIN", "CAP_NET_ADMIN" -> the
 * canonical "CAP_NET_ADMIN" (static string), NULL if unknown. */
const char *spec_cap_name(const char *s);
/* The names of the bits set in mask (a CapBnd/CapEff value), sorted. */
char **spec_caps_from_mask(uint64_t mask);

/* "SIGTERM", "TERM", "term", "15" -> 15; -1 if unknown. */
int spec_signal_parse(const char *s);

/* inspect's HostConfig.Ulimits, podman's: [{Name: "RLIMIT_NOFILE", Soft,
 * Hard}] as the spec asks for them (before clamping to the host's hard
 * limits); a new array, NULL out of memory. */
struct config;
json_t *spec_rlimits_inspect(const struct config *cfg, json_t *ctr);
/* Parses "name=soft[:hard]" (-1 or "unlimited" = infinity) into the
 * RLIMIT_ resource number and values (RLIM_INFINITY for infinity). */
int spec_ulimit_parse(const char *s, int *resource, uint64_t *soft, uint64_t *hard,
                      struct berr **err);

#endif
