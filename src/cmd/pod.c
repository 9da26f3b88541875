/*
 * cmd/pod.c: berth pod create|inspect|exists|prune. The work is
 * runtime/pod.h's (pod_create.c, pod_view.c, pod_ops.c); the flags pod
 * create shares with create are parsed by cmd/ctropts.c
 * (ctropts_parse_pod). pod ps is cmd/pod_ps.c; the lifecycle commands
 * are cmd/pod_lifecycle.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/ctropts.h"
#include "cmd/ctropts_int.h"
#include "cmd/inspect.h"
#include "cmd/prune.h"
#include "cmd/resopts.h"
#include "runtime/container.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/out.h"
#include "util/str.h"

/* pod create's own flags (ids above ctropts' and resopts') */
enum {
    P_EXIT_POLICY = 2048, P_INFRA, P_INFRA_COMMAND, P_INFRA_CONMON_PIDFILE, P_INFRA_IMAGE,
    P_INFRA_NAME, P_POD_ID_FILE, P_SHARE, P_SHARE_PARENT,
};

/* podman 4.3.1's pod create flags, alphabetical; the ones it shares with
 * create carry create's ids and are parsed as create parses them */
static const struct cmd_opt create_opts[] = {
    { "add-host", O_ADD_HOST, OPT_ARG, "strings", "Add a line to the pod's /etc/hosts (host:ip)", 0 },
    RESOPTS_BLKIO
    { "cgroup-parent", O_CGROUP_PARENT, OPT_ARG, "string", "Parent cgroup of the pod's containers", 0 },
    RESOPTS_CPU
    { "device", O_DEVICE, OPT_ARG, "strings", "A host device (/dev/x[:/dev/y][:rwm]) every container of the pod gets", 0 },
    RESOPTS_DEVICE_IO
    { "dns", O_DNS, OPT_ARG, "strings", "DNS servers for the pod's /etc/resolv.conf", 0 },
    { "dns-option", O_DNS_OPTION, OPT_ARG, "strings", "Options for the pod's /etc/resolv.conf", 0 },
    { "dns-search", O_DNS_SEARCH, OPT_ARG, "strings", "Search domains for the pod's /etc/resolv.conf", 0 },
    { "exit-policy", P_EXIT_POLICY, OPT_ARG, "string", "What the pod does when its last container exits: continue (default) or stop", 0 },
    { "gidmap", O_GIDMAP, OPT_ARG, "strings", "GID map of the pod's user namespace: CONTAINER:HOST:SIZE (default: the --uidmap)", 0 },
    { "hostname", 'h', OPT_ARG, "string", "The pod's host name (default: its name), with a shared UTS namespace", 0 },
    { "infra", P_INFRA, OPT_FLAG, NULL, "Create an infra container holding the shared namespaces (default true)", 0 },
    { "infra-command", P_INFRA_COMMAND, OPT_ARG, "string", "The infra container's command (default: /catatonit -P)", 0 },
    { "infra-conmon-pidfile", P_INFRA_CONMON_PIDFILE, OPT_ARG, "string", "Where the infra container's conmon writes its PID", 0 },
    { "infra-image", P_INFRA_IMAGE, OPT_ARG, "string", "The infra container's image (default: localhost/berth-pause, built locally)", 0 },
    { "infra-name", P_INFRA_NAME, OPT_ARG, "string", "The infra container's name (default: <pod id>-infra)", 0 },
    { "ip", O_IP, OPT_ARG, "string", "A fixed IPv4 address of the pod on its network", 0 },
    { "ip6", O_IP6, OPT_ARG, "string", "A fixed IPv6 address of the pod on its network", 0 },
    { "label", 'l', OPT_ARG, "stringArray", "Attach a label (key=value) to the pod", 0 },
    { "label-file", O_LABEL_FILE, OPT_ARG, "strings", "Read labels from a file, one key=value per line", 0 },
    { "mac-address", O_MAC, OPT_ARG, "string", "A fixed MAC address of the pod", 0 },
    RESOPTS_MEMORY
    { "name", 'n', OPT_ARG, "string", "Name the pod", 0 },
    { "network", O_NETWORK, OPT_ARG, "stringArray", "The pod's network: bridge, none, host, ns:PATH, slirp4netns[:OPTIONS], or network names", 0 },
    { "network-alias", O_NETWORK_ALIAS, OPT_ARG, "strings", "Another DNS name of the pod on its network", 0 },
    { "no-hosts", O_NO_HOSTS, OPT_FLAG, NULL, "Keep the image's /etc/hosts instead of writing one", 0 },
    { "pid", O_PID, OPT_ARG, "string", "The infra container's PID namespace (private, host, ns:PATH), which --share pid gives the members", 0 },
    { "pod-id-file", P_POD_ID_FILE, OPT_ARG, "string", "Write the pod's id to this file", 0 },
    { "publish", 'p', OPT_ARG, "strings", "Publish a port of the pod: [[ip:][hostPort]:]containerPort[/proto]", 0 },
    { "replace", O_REPLACE, OPT_FLAG, NULL, "Remove an existing pod of the same name first", 0 },
    { "security-opt", O_SECURITY_OPT, OPT_ARG, "stringArray", "Security options of the infra container (as run's)", 0 },
    { "shm-size", O_SHM_SIZE, OPT_ARG, "<number>[<unit>]", "Size of the pod's /dev/shm, which members sharing its IPC namespace use (default 64m)", 0 },
    { "share", P_SHARE, OPT_ARG, "string", "Namespaces the members share: cgroup, ipc, net, pid, uts, or none (then no infra container) (default ipc,net,uts)", 0 },
    { "share-parent", P_SHARE_PARENT, OPT_FLAG, NULL, "Members use the pod's --cgroup-parent (default true)", 0 },
    { "subgidname", O_SUBGIDNAME, OPT_ARG, "string", "Map the pod's user namespace's GIDs to this name's ranges in /etc/subgid", 0 },
    { "subuidname", O_SUBUIDNAME, OPT_ARG, "string", "Map the pod's user namespace's UIDs to this name's ranges in /etc/subuid", 0 },
    { "sysctl", O_SYSCTL, OPT_ARG, "strings", "Namespaced kernel parameters of the pod's network and IPC namespaces (key=value)", 0 },
    { "uidmap", O_UIDMAP, OPT_ARG, "strings", "UID map of the pod's user namespace: CONTAINER:HOST:SIZE (default: the --gidmap)", 0 },
    { "userns", O_USERNS, OPT_ARG, "string", "The infra's user namespace (as run's --userns), which every member joins", 0 },
    { "uts", O_UTS, OPT_ARG, "string", "The infra container's UTS namespace (private, host, ns:PATH)", 0 },
    { "volume", 'v', OPT_ARG, "stringArray", "A bind mount or volume (as run -v) of the infra container, which every member mounts too", 0 },
    { "volumes-from", O_VOLUMES_FROM, OPT_ARG, "stringArray", "Mount every volume of another container (CTR[:ro|rw]) in the pod's containers", 0 },
    { 0 }
};

struct pod_args {
    struct pod_create_opts o;
    strv share;
    bool share_given;
    const char *pod_id_file;
    struct ctropts *co;         /* the shared flags' (--name, -n) */
    json_t *infra_command;
};

static int create_own(void *arg, struct opt_it *it, struct berr **err)
{
    struct pod_args *a = arg;

    switch (it->opt->id) {
    case P_EXIT_POLICY: a->o.exit_policy = it->arg; return 0;
    case P_INFRA: a->o.infra = it->bval; return 0;
    case P_INFRA_COMMAND: {
        /* podman splits it at spaces */
        _cleanup_strv_ strv words = strv_split(it->arg, " ");
        json_decref(a->infra_command);
        a->infra_command = words ? js_strv(words) : NULL;
        return a->infra_command ? 0 : berr_oom(err);
    }
    case P_INFRA_CONMON_PIDFILE: a->o.infra_conmon_pidfile = it->arg; return 0;
    case P_INFRA_IMAGE: a->o.infra_image = it->arg; return 0;
    case P_INFRA_NAME: a->o.infra_name = it->arg; return 0;
    case P_POD_ID_FILE: a->pod_id_file = it->arg; return 0;
    case P_SHARE:
        strv_free(a->share);
        a->share = NULL;
        a->share_given = true;
        return cp_split_csv(it->arg, &a->share, err) < 0 ? -1 : 0;
    case P_SHARE_PARENT: a->o.share_parent = it->bval; return 0;
    case 'n':
        /* pod create's --name has a letter; create's has none */
        if (cp_name_check(it->arg, err) < 0)
            return -1;
        free(a->co->name);
        return (a->co->name = str_dup(it->arg)) ? 0 : berr_oom(err);
    }
    return berr_msg(err, "option --%s is not handled", it->opt->name);
}

/* --replace: a pod holding the name goes first, members and all */
static int replace_pod(struct runtime *rt, const char *name, struct berr **err)
{
    _cleanup_pod_ struct pod *p = NULL;
    struct berr *e = NULL;

    if (!name || pod_get(rt, name, &p, &e) < 0) {
        berr_free(e);
        return 0;
    }
    return pod_remove(rt, p, true, -1, err);
}

static int write_id_file(const char *path, const char *id, struct berr **err)
{
    _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0 || fs_write_all(fd, id, strlen(id)) < 0)
        return berr_sys(err, "failed to write pod ID to file %s", path);
    return 0;
}

/* The infra's fields of the user namespace, /dev/shm and devices */
static json_t *infra_extra(json_t *ctr)
{
    static const char *const keys[] = {
        "uidMap", "gidMap", "subuidName", "subgidName", "usernsAuto", "shmSize", "devices",
        "slirp4netnsOptions",
    };
    json_t *x = json_object();

    for (size_t i = 0; x && i < ARRAY_SIZE(keys); i++)
        if (json_object_get(ctr, keys[i]) &&
            json_object_set(x, keys[i], json_object_get(ctr, keys[i])) < 0)
            json_decref(STEAL_PTR(x));
    return x;
}

/* podman's: --share none (or "") makes no infra container; without one
 * no network mode, and no ports; ports only on a bridge or slirp4netns */
static int pod_create_check(struct pod_args *a, struct berr **err)
{
    const char *net = a->o.net_mode;
    strv sh = a->o.share;

    if (sh && (!sh[0] || (str_eq(sh[0], "none") && !sh[1])))
        a->o.infra = false;
    if (!a->o.infra && net)
        return berr_msg(err, "NoInfra and network modes cannot be used together");
    if (!json_array_size(a->o.port_mappings))
        return 0;
    if (!a->o.infra)
        return berr_msg(err, "you must have an infra container to publish port bindings to the host");
    if (net && !str_eq(net, "bridge") && !str_eq(net, "slirp4netns") && !str_eq(net, "private"))
        return berr_msg(err, "PortMappings can only be used with Bridge or slirp4netns networking");
    return 0;
}

static int create_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct ctropts co;
    struct pod_args a = { .o = { .infra = true, .share_parent = true }, .co = &co };
    struct ctr_create_params p;
    struct runtime *rt;
    char id[STATE_ID_LEN + 1];
    json_t *ns;
    int rc = ctropts_parse_pod(cx, argc, argv, &co, create_own, &a, err);

    if (rc == 0 && !co.help) {
        rc = -1;
        ns = json_object_get(co.ctr, "namespaces");
        a.o.name = co.name;
        a.o.share = a.share_given ? (a.share ? a.share : (strv) (char *[]) { NULL }) : NULL;
        a.o.infra_command = a.infra_command;
        a.o.hostname = js_str(co.ctr, "hostname", NULL);
        a.o.labels = json_object_get(co.ctr, "labels");
        a.o.net_mode = js_str(ns, "network", NULL);
        a.o.no_hosts = js_bool(co.ctr, "noHosts", false);
        a.o.resources = json_object_get(co.ctr, "resources");
        a.o.mounts = json_object_get(co.ctr, "mounts");
        a.o.sysctls = json_object_get(co.ctr, "sysctls");
        a.o.security_opts = json_object_get(co.ctr, "securityOpts");
        a.o.pid_mode = js_str(ns, "pid", NULL);
        a.o.uts_mode = js_str(ns, "uts", NULL);
        a.o.volumes_from = json_object_get(co.ctr, "volumesFrom");
        a.o.cgroup_parent = co.cgroup_parent;
        a.o.userns_mode = js_str(ns, "user", NULL);
        a.o.devices = json_object_get(co.ctr, "devices");
        if (!(a.o.infra_extra = infra_extra(co.ctr)) || !(a.o.create_command = js_strv(cx->all_argv ? cx->all_argv : argv)))
            berr_oom(err);
        else if (ctropts_create_params(&co, &p, err) == 0 &&
                 cx_runtime(cx, RT_FULL, &rt, err) == 0 &&
                 (!co.replace || replace_pod(rt, co.name, err) == 0)) {
            a.o.networks = p.networks;
            a.o.port_mappings = p.port_mappings;
            a.o.dns = p.dns;
            a.o.add_hosts = p.add_hosts;
            if (pod_create_check(&a, err) == 0 && pod_create(rt, &a.o, id, err) == 0 &&
                (!a.pod_id_file || write_id_file(a.pod_id_file, id, err) == 0)) {
                printf("%s\n", id);
                rc = 0;
            }
        }
    }
    json_decref(a.o.create_command);
    json_decref(a.o.infra_extra);
    json_decref(a.infra_command);
    strv_free(a.share);
    ctropts_free(&co);
    return rc;
}

const struct cmd cmd_pod_create = {
    .name = "create",
    .summary = "Create a new empty pod",
    .usage = "[options] [NAME]",
    .description =
        "Creates a pod: a group of containers that share namespaces (by default the network,\n"
        "IPC and UTS namespaces), held by an infra container that runs `/catatonit -P` from\n"
        "localhost/berth-pause:<version>, an image berth builds from the host's catatonit the\n"
        "first time (no registry). Containers join with `run --pod NAME`. Ports are published\n"
        "on the pod. The pod gets a cgroup of its own, <cgroup parent>/<pod id> (default parent\n"
        "/berth_parent), made when a container of the pod first starts and removed with the pod:\n"
        "its containers run under it, and the resource limits given here (--cpus, --memory, ...)\n"
        "are written to it once, for the pod as a whole: on cgroup v1 as each hierarchy's files\n"
        "(memory.limit_in_bytes, cpu.cfs_quota_us, ...), on cgroup v2 as the unified files runc\n"
        "writes (memory.max, cpu.max, cpu.weight, pids.max, io.max, ...) with the controllers\n"
        "enabled in the parents' cgroup.subtree_control. Where berth makes no pod cgroup (the\n"
        "systemd cgroup manager, which podman makes a machine-libpod_pod_<id>.slice for, or\n"
        "--share-parent=false) each container that sets none of its own gets the pod's limits.\n"
        "The systemd manager needs systemd as PID 1: without it berth refuses to run.",
    .examples = "berth pod create --name web -p 8080:80\nberth run -d --pod web busybox httpd -f\n"
                "berth pod create --share ipc,uts --infra-name web-infra web2",
    .opts = create_opts, .fn = create_fn, .need = RT_FULL,
    .flags = CMD_H_NOT_HELP,
};

/* ---- inspect ---- */

enum { O_WHY = 256 };

static const struct cmd_opt inspect_opts[] = {
    { "format", 'f', OPT_ARG, "string", "Format the output as JSON (default) or a Go template", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest pod", 0 },
    { "why", O_WHY, OPT_FLAG, NULL, "Show the evidence behind the pod instead: its record and "
      "why it does not read, its containers", 0 },
    { 0 }
};

/* What podman's pod inspect template sees where its JSON has null or
 * nothing (omitempty fields are still fields of its Go struct): Labels an
 * empty map (its json too), the strings empty, the lists and option maps
 * Go's nil ones (json null). */
static const struct tmpl_field pod_fields[] = {
    { "Labels", 0, json_object },
    { "cpu_period", 0, tmpl_zero_int },
    { "cpu_quota", 0, tmpl_zero_int },
    { "cpu_shares", 0, tmpl_zero_int },
    { "cpuset_cpus", 0, tmpl_zero_str },
    { "cpuset_mems", 0, tmpl_zero_str },
    { "mounts", TMPL_NIL_SLICE, NULL },
    { "devices", TMPL_NIL_SLICE, NULL },
    { "device_read_bps", TMPL_NIL_SLICE, NULL },
    { "volumes_from", TMPL_NIL_SLICE, NULL },
    { "security_opt", TMPL_NIL_SLICE, NULL },
    { "memory_limit", 0, tmpl_zero_int },
    { "memory_swap", 0, tmpl_zero_int },
    { "blkio_weight", 0, tmpl_zero_int },
    { "blkio_weight_device", TMPL_NIL_SLICE, NULL },
    { "InfraConfig.cpu_period", 0, tmpl_zero_int },
    { "InfraConfig.cpu_quota", 0, tmpl_zero_int },
    { "InfraConfig.cpuset_cpus", 0, tmpl_zero_str },
    { "InfraConfig.pid_ns", 0, tmpl_zero_str },
    { "InfraConfig.userns", 0, tmpl_zero_str },
    { "InfraConfig.uts_ns", 0, tmpl_zero_str },
    { "Namespace", 0, tmpl_zero_str },
    { "ExitPolicy", 0, tmpl_zero_str },
    { "CgroupParent", 0, tmpl_zero_str },
    { "CgroupPath", 0, tmpl_zero_str },
    { "InfraContainerID", 0, tmpl_zero_str },
    { "CreateCommand", TMPL_NIL_SLICE, NULL },
    { "SharedNamespaces", TMPL_NIL_SLICE, NULL },
    { "Containers", TMPL_NIL_SLICE, NULL },
    { "InfraConfig.DNSServer", TMPL_NIL_SLICE, NULL },
    { "InfraConfig.DNSSearch", TMPL_NIL_SLICE, NULL },
    { "InfraConfig.DNSOption", TMPL_NIL_SLICE, NULL },
    { "InfraConfig.HostAdd", TMPL_NIL_SLICE, NULL },
    { "InfraConfig.Networks", TMPL_NIL_SLICE, NULL },
    { "InfraConfig.NetworkOptions", TMPL_NIL_MAP, NULL },
    { NULL, 0, NULL }
};

/* The Go names of podman's InspectPodData and InspectPodInfraConfig
 * fields whose JSON names differ (the ID of Containers' entries too). */
static const struct tmpl_alias pod_aliases[] = {
    { "ID", "Id" },
    { "CPUPeriod", "cpu_period" },
    { "CPUQuota", "cpu_quota" },
    { "CPUShares", "cpu_shares" },
    { "CPUSetCPUs", "cpuset_cpus" },
    { "CPUSetMems", "cpuset_mems" },
    { "Mounts", "mounts" },
    { "Devices", "devices" },
    { "BlkioDeviceReadBps", "device_read_bps" },
    { "VolumesFrom", "volumes_from" },
    { "SecurityOpts", "security_opt" },
    { "MemoryLimit", "memory_limit" },
    { "MemorySwap", "memory_swap" },
    { "BlkioWeight", "blkio_weight" },
    { "BlkioWeightDevice", "blkio_weight_device" },
    { "PidNS", "pid_ns" },
    { "UserNS", "userns" },
    { "UtsNS", "uts_ns" },
    { 0 }
};

/* One pod's inspect object through a format: JSON as it is, a template
 * on what podman's template sees. */
static int print_pod(const char *format, json_t *o, struct berr **err)
{
    if (!format || !*format || out_is_json(format))
        return out_json_indent(stdout, o, 5, err);      /* podman's pod inspect */
    /* a null Labels in the JSON is an empty map to the template */
    if (json_is_null(json_object_get(o, "Labels")))
        json_object_del(o, "Labels");
    tmpl_go_time(o, "Created");
    int r = tmpl_fill_fields(o, pod_fields) < 0 ? berr_oom(err)
                                                : out_one(stdout, format, o, pod_aliases, err);
    tmpl_fill_done();
    return r;
}

/* podman 4.3.1's pod inspect of names: the pods found, one as an object,
 * several as an array ("[]" for none; a template once per pod); then the
 * first missing one is the error, the others "error ..." lines before it. */
static int inspect_names(struct runtime *rt, char **names, int n, const char *format,
                         struct opt_it *it, struct berr **err)
{
    _cleanup_json_ json_t *arr = json_array();
    int rc = 0;
    size_t i;
    json_t *o;

    if (!arr)
        rc = berr_oom(err);
    for (int k = 0; rc == 0 && k < n; k++) {
        _cleanup_pod_ struct pod *p = NULL;
        struct berr *e1 = NULL;

        if (pod_get(rt, names[k], &p, &e1) < 0) {
            if (e1 && e1->kind != BK_NO_SUCH) {
                berr_free(*err);
                *err = e1;
                rc = -1;
            } else {
                berr_freep(&e1);
                berr_plain(&e1, BK_NO_SUCH, "inspecting object: no such pod %s", names[k]);
                cmd_err_first(err, e1);
            }
            continue;
        }
        o = NULL;
        if (pod_inspect_json(rt, p, &o, err) < 0 || json_array_append_new(arr, o) < 0)
            rc = -1;
    }
    opt_free(it);
    if (rc < 0)
        return -1;
    if (!format || !*format || out_is_json(format)) {
        struct berr *pe = NULL;
        if (json_array_size(arr) == 0)
            printf("[]\n");
        else if (out_json_indent(stdout, json_array_size(arr) == 1 ? json_array_get(arr, 0) : arr,
                                 5, &pe) < 0) {
            berr_free(*err);
            *err = pe;
            return -1;
        }
        return *err ? -1 : 0;
    }
    json_array_foreach(arr, i, o) {
        struct berr *pe = NULL;
        if (print_pod(format, o, &pe) < 0) {
            berr_free(*err);
            *err = pe;
            return -1;
        }
    }
    return *err ? -1 : 0;
}

static int inspect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_pod_ struct pod *p = NULL;
    _cleanup_json_ json_t *o = NULL;
    const char *format = NULL;
    bool latest = false, why = false;
    char id[STATE_ID_LEN + 1];
    int c, rc;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == 'f')
            format = it.arg;
        else if (c == 'l')
            latest = it.bval;
        else if (c == O_WHY)
            why = it.bval;
    }
    if (c == 0 && !it.help && !latest && it.nargs < 1)
        c = berr_msg(err, "no names or ids specified");
    if (c == 0 && !it.help && latest && it.nargs > 0)
        c = berr_msg(err, "--latest and containers cannot be used together");
    if ((c = cmd_begin(cx, &it, c, 0, why ? 1 : -1, &rt, err)) <= 0)
        return c;
    rc = latest ? pod_latest(rt, id, err) : 0;
    if (rc == 0 && why) {
        rc = pod_why(rt, latest ? id : it.args[0], &o, err);
        opt_free(&it);
        return rc < 0 ? -1 : out_one(stdout, format && *format ? format : "json", o, NULL, err);
    }
    if (rc == 0 && latest) {
        rc = pod_get_id(rt, id, &p, err);
        opt_free(&it);
        if (rc < 0 || pod_inspect_json(rt, p, &o, err) < 0)
            return -1;
        return print_pod(format, o, err);
    }
    if (rc < 0) {
        opt_free(&it);
        return -1;
    }
    return inspect_names(rt, it.args, it.nargs, format, &it, err);
}

const struct cmd cmd_pod_inspect = {
    .name = "inspect",
    .summary = "Displays a pod configuration",
    .usage = "[options] POD [POD...]",
    .description = "Prints the pod's configuration and its containers as JSON, or through a Go template.\n"
        "--why prints instead the evidence behind it: its record's path, why the record does\n"
        "not read (empty when it does) and its containers with their states.",
    .examples = "berth pod inspect web\nberth pod inspect --format '{{.InfraContainerID}}' web\n"
                "berth pod inspect --why --format '{{.Record.Damage}}' web",
    .opts = inspect_opts, .fn = inspect_fn, .need = RT_FULL,
};

/* ---- exists ---- */

static int exists_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return cmd_exists_run(cx, argc, argv, pod_exists, err);
}

const struct cmd cmd_pod_exists = {
    .name = "exists",
    .summary = "Check if a pod exists in local storage",
    .usage = "POD",
    .description = "Exits 0 if a pod of that name or id exists, 1 if not, 125 on other errors.",
    .examples = "berth pod exists web",
    .fn = exists_fn, .need = RT_FULL,
};

/* ---- prune ---- */

static const struct cmd_opt prune_opts[] = {
    { "force", 'f', OPT_FLAG, NULL, "Do not ask for confirmation", 0 },
    { 0 }
};

int prune_pods(struct runtime *rt, strv *removed, struct berr **err)
{
    _cleanup_strv_ strv ids = NULL;
    struct berr *last = NULL;

    if (pod_list_ids(rt, &ids, err) < 0)
        return -1;
    /* podman prunes the pods whose containers have all exited */
    for (size_t i = 0; ids[i]; i++) {
        struct pod_member *m = NULL;
        struct pod *p = NULL;
        struct berr *e = NULL;
        size_t n = 0;
        bool exited;

        if (pod_get_id(rt, ids[i], &p, &e) < 0 || pod_members(rt, p->id, &m, &n, &e) < 0) {
            pod_put(p);
            if (e->kind != BK_NO_SUCH)
                cmd_err_next(&last, e);
            else
                berr_free(e);
            continue;
        }
        exited = str_eq(pod_status(m, n), "Exited");
        pod_members_free(m, n);
        if (exited && pod_remove(rt, p, false, -1, &e) == 0) {
            if (strv_push(removed, ids[i]) < 0)
                cmd_err_next(&last, (berr_oom(&e), e));
        } else if (exited) {
            cmd_err_next(&last, e);
        }
        pod_put(p);
    }
    if (last) {
        *err = last;
        return -1;
    }
    return 0;
}

static int prune_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_strv_ strv removed = NULL;
    bool force = false;
    int c, rc;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == 'f')
            force = it.bval;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (!force && (c = cmd_confirm("This will remove all stopped/exited pods..", err)) <= 0)
        return c;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    rc = prune_pods(rt, &removed, err);
    for (size_t i = 0; removed && removed[i]; i++)
        printf("%s\n", removed[i]);
    return rc;
}

const struct cmd cmd_pod_prune = {
    .name = "prune",
    .summary = "Remove all stopped pods and their containers",
    .usage = "[options]",
    .description = "Removes every pod whose containers have all exited, after asking unless --force is given.",
    .examples = "berth pod prune -f",
    .opts = prune_opts, .fn = prune_fn, .need = RT_FULL,
};
