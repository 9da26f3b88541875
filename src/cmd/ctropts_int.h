/*
 * cmd/ctropts_int.h: the value parsers behind ctropts_parse(), shared by
 * ctropts.c (the option loop), ctropts_parse.c (values), ctropts_net.c
 * (networking) and
 * ctropts_mounts.c (-v, --mount, --tmpfs). Each returns 0, or -1 with
 * *err set to podman's wording (exit 125, kind BK_INVALID).
 */
#ifndef BERTH_CTROPTS_INT_H
#define BERTH_CTROPTS_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "cmd/ctropts.h"
#include "cmd/resopts.h"
#include "util/err.h"
#include "util/str.h"

/* Option ids of the create/run tables (ctropts_table.c). */
enum {
    O_ADD_HOST = 256, O_ANNOTATION, O_CAP_ADD, O_CAP_DROP, O_CGROUP_CONF, O_CGROUP_PARENT,
    O_CGROUPNS, O_CGROUPS, O_CHROOTDIRS, O_CIDFILE, O_CONMON_PIDFILE, O_DETACH_KEYS, O_DEVICE, O_DEVICE_CGROUP_RULE, O_DNS, O_DNS_OPTION, O_DNS_SEARCH, O_ENTRYPOINT,
    O_ENV_FILE, O_ENV_HOST, O_ENV_MERGE, O_HOSTUSER, O_EXPOSE, O_GROUP_ADD, O_HTTP_PROXY, O_INIT, O_INIT_PATH, O_IP,
    O_IP6, O_IPC, O_LABEL_FILE, O_LOG_DRIVER, O_LOG_OPT, O_MAC, O_MOUNT, O_NAME,
    O_NETWORK, O_NETWORK_ALIAS, O_NO_HOSTS, O_OOM_SCORE_ADJ, O_PASSWD, O_PASSWD_ENTRY, O_PERSONALITY, O_PID, O_PIDFILE, O_PRESERVE_FDS, O_PRIVILEGED,
    O_PULL, O_READ_ONLY, O_READ_ONLY_TMPFS, O_REPLACE, O_RESTART, O_RM, O_RMI, O_ROOTFS,
    O_SECCOMP_POLICY, O_SECURITY_OPT, O_SHM_SIZE, O_SIG_PROXY, O_STOP_SIGNAL, O_STOP_TIMEOUT, O_SYSCTL, O_SYSTEMD,
    O_TIMEOUT, O_TMPFS, O_TZ, O_ULIMIT, O_UMASK, O_UNSETENV, O_UNSETENV_ALL, O_UTS,
    O_KERNEL_MEMORY, O_IMAGE_VOLUME, O_VOLUMES_FROM,
    O_ARCH, O_AUTHFILE, O_DCT, O_OS, O_PLATFORM, O_TLS_VERIFY, O_VARIANT,
    O_POD, O_POD_ID_FILE,
    O_USERNS, O_UIDMAP, O_GIDMAP, O_SUBUIDNAME, O_SUBGIDNAME, O_SDNOTIFY,
    O_HEALTH_CMD, O_HEALTH_INTERVAL, O_HEALTH_ON_FAILURE, O_HEALTH_RETRIES,
    O_HEALTH_START_PERIOD, O_HEALTH_TIMEOUT, O_NO_HEALTHCHECK, O_REQUIRES,
    O_HEALTH_STARTUP_CMD, O_HEALTH_STARTUP_INTERVAL, O_HEALTH_STARTUP_RETRIES,
    O_HEALTH_STARTUP_SUCCESS, O_HEALTH_STARTUP_TIMEOUT,
    O_SECRET,
};

/* Values gathered while parsing, settled in finish(). */
struct pstate {
    struct ctropts *o;
    json_t *ctr;
    json_t *fenv, *env;         /* env files, then -e (which wins) */
    json_t *flabels, *labels;   /* label files, then -l */
    json_t *annotations, *mounts, *sysctls, *ns, *volumes_from;
    struct resopts res;         /* the resource flags (shared with update) */
    strv networks, aliases;
    const char *ip, *ip6, *mac, *init_path, *hostname;
    bool init, no_hosts;
    const char *systemd;        /* --systemd, checked against --init in finish */
    bool is_run;
    /* pod create (ctropts_parse_pod): its own flags, and no operands */
    int (*own)(void *arg, struct opt_it *it, struct berr **err);
    void *own_arg;
    bool pod_clone;             /* pod clone POD [NAME]: POD in o->image */
    bool userns;                /* --userns given */
    json_t *health;             /* the --health-* flags as given (ctropts_health.c) */
};
/* --network & co. into o->networks; *mode the spec's namespaces.network. */
int cp_finish_network(struct pstate *p, const char **mode, struct berr **err);

/* --health-* and --no-healthcheck: 0, -1, or 1 for another flag; then
 * settled into ctr's "healthcheck", "healthOnFailure", "noHealthcheck". */
int cp_health_opt(struct pstate *p, struct opt_it *it, struct berr **err);
int cp_finish_health(struct pstate *p, json_t *ctr, struct berr **err);

/* An invalid-input error: exit 125, kind BK_INVALID, message as given. */
int cp_inval(struct berr **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* pflag's "strings" flags: a comma-separated CSV record ("a,b", "\"a,b\",c");
 * "" gives nothing. Appends to *out. */
int cp_split_csv(const char *s, strv *out, struct berr **err);

/* env: env is a JSON object name -> value (insertion order kept). */
int cp_env_add(json_t *env, const char *kv, struct berr **err);
int cp_env_file(json_t *env, const char *path, struct berr **err);
/* labels: "k=v", "k" -> "" ; label files as podman (see ctropts_parse.c) */
int cp_label_add(json_t *labels, const char *kv, struct berr **err);
int cp_label_file(json_t *labels, const char *path, struct berr **err);

int cp_ulimit_check(const char *s, struct berr **err);
/* --secret NAME[,type=,target=,uid=,gid=,mode=]: checked as podman's
 * ParseSecrets and appended to ctr's "secrets" (ctropts_secret.c). */
int cp_secret(json_t *ctr, const char *s, struct berr **err);
/* Checks a --security-opt value; *out a malloc'd canonical form. */
int cp_security_opt(const char *s, char **out, struct berr **err);
int cp_restart(const char *s, struct ctropts *o, struct berr **err);
/* --device-cgroup-rule "c 1:3 rwm", as podman checks it. */
int cp_device_cgroup_rule(const char *s, struct berr **err);
int cp_sysctl_add(json_t *sysctls, const char *kv, struct berr **err);
/* "net_admin", "CAP_NET_ADMIN", "all" -> "CAP_NET_ADMIN" / "ALL" (static). */
int cp_cap(const char *s, const char **out, struct berr **err);
int cp_device_check(const char *s, struct berr **err);
/* "80", "80/udp", "90-95" -> *out "80/tcp", ... (malloc'd) */
int cp_expose(const char *s, char **out, struct berr **err);
int cp_port_check(const char *s, struct berr **err);
bool cp_is_ip(const char *s, int family);   /* AF_INET, AF_INET6 or 0: either */
int cp_mac_check(const char *s, struct berr **err);
int cp_add_host_check(const char *s, struct berr **err);
int cp_detach_keys_check(const char *s, struct berr **err);
/* --pid/--ipc/--uts: *out malloc'd mode for spec.h. what: "PID", "IPC", "UTS" */
int cp_ns_mode(const char *what, const char *s, char **out, struct berr **err);
int cp_name_check(const char *s, struct berr **err);
int cp_umask_check(const char *s, struct berr **err);
int cp_tz_check(const char *s, struct berr **err);
/* s made absolute against the cwd and cleaned (malloc'd). */
char *cp_abs_path(const char *s);

/* User namespaces (ctropts_userns.c): --userns into ns.user (and
 * ctr.usernsAuto), --uidmap/--gidmap (gid true) into ctr.uidMap/gidMap;
 * finish: the maps make the namespace "private", never with --userns. */
int cp_userns(json_t *ns, json_t *ctr, const char *v, struct berr **err);
int cp_idmap(json_t *ctr, bool gid, const char *v, struct berr **err);
int cp_finish_userns(json_t *ns, json_t *ctr, bool userns_given, struct berr **err);

/* Mounts: each appends one spec.h mount object to mounts. */
int cp_volume(json_t *mounts, const char *spec, struct berr **err);
int cp_mount(json_t *mounts, const char *spec, struct berr **err);
int cp_tmpfs(json_t *mounts, const char *spec, struct berr **err);
/* --volumes-from CTR[:z,ro|rw]: checked; appended to vf as given. */
int cp_volumes_from(json_t *vf, const char *spec, struct berr **err);
/* --image-volume bind|tmpfs|ignore */
int cp_image_volume(const char *mode, struct berr **err);
/* Duplicate destinations: identical mounts collapse, others are refused. */
int cp_mounts_dedup(json_t *mounts, struct berr **err);

#endif
