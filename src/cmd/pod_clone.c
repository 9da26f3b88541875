/*
 * cmd/pod_clone.c: berth pod clone POD [NAME]: a new pod configured as
 * POD, with its infra container and members cloned
 * (runtime/pod_clone.c). The flags it shares with pod create are parsed
 * as pod create parses them (cmd/ctropts.c, ctropts_parse_pod_clone).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "cmd/ctropts.h"
#include "cmd/ctropts_int.h"
#include "cmd/resopts.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

enum {
    PC_DESTROY = 2048, PC_INFRA_COMMAND, PC_INFRA_CONMON_PIDFILE, PC_INFRA_NAME, PC_START,
};

/* podman 4.3.1's pod clone flags, alphabetical */
static const struct cmd_opt clone_opts[] = {
    RESOPTS_BLKIO
    { "cgroup-parent", O_CGROUP_PARENT, OPT_ARG, "string", "Parent cgroup of the clone's containers", 0 },
    RESOPTS_CPU
    { "destroy", PC_DESTROY, OPT_FLAG, NULL, "Remove the original pod (its containers too) once cloned", 0 },
    { "device", O_DEVICE, OPT_ARG, "strings", "A host device (/dev/x[:/dev/y][:rwm]) of the clone's infra container", 0 },
    RESOPTS_DEVICE_IO
    { "gidmap", O_GIDMAP, OPT_ARG, "strings", "GID map of the clone's infra user namespace: CONTAINER:HOST:SIZE", 0 },
    { "hostname", 'h', OPT_ARG, "string", "The clone's host name (default: the original's, or the clone's name)", 0 },
    { "infra-command", PC_INFRA_COMMAND, OPT_ARG, "string", "The clone's infra container's command", 0 },
    { "infra-conmon-pidfile", PC_INFRA_CONMON_PIDFILE, OPT_ARG, "string", "Where the clone's infra conmon writes its PID", 0 },
    { "infra-name", PC_INFRA_NAME, OPT_ARG, "string", "The clone's infra container's name (default: <infra name>-clone)", 0 },
    { "label", 'l', OPT_ARG, "stringArray", "A label (key=value) of the clone, over the original's", 0 },
    { "label-file", O_LABEL_FILE, OPT_ARG, "strings", "Read labels from a file, one key=value per line", 0 },
    RESOPTS_MEMORY
    { "name", 'n', OPT_ARG, "string", "Name the clone (default: POD-clone, POD-clone1...)", 0 },
    { "pid", O_PID, OPT_ARG, "string", "The clone's infra PID namespace (private, host, ns:PATH)", 0 },
    { "security-opt", O_SECURITY_OPT, OPT_ARG, "stringArray", "Security options of the clone's infra container", 0 },
    { "shm-size", O_SHM_SIZE, OPT_ARG, "<number>[<unit>]", "Size of the clone's infra /dev/shm", 0 },
    { "start", PC_START, OPT_FLAG, NULL, "Start the clone", 0 },
    { "subgidname", O_SUBGIDNAME, OPT_ARG, "string", "Map the clone's infra GIDs to this name's ranges in /etc/subgid", 0 },
    { "subuidname", O_SUBUIDNAME, OPT_ARG, "string", "Map the clone's infra UIDs to this name's ranges in /etc/subuid", 0 },
    { "sysctl", O_SYSCTL, OPT_ARG, "strings", "Namespaced kernel parameters of the clone (key=value)", 0 },
    { "uidmap", O_UIDMAP, OPT_ARG, "strings", "UID map of the clone's infra user namespace: CONTAINER:HOST:SIZE", 0 },
    { "userns", O_USERNS, OPT_ARG, "string", "The clone's infra user namespace (as run's --userns)", 0 },
    { "uts", O_UTS, OPT_ARG, "string", "The clone's infra UTS namespace (private, host, ns:PATH)", 0 },
    { "volume", 'v', OPT_ARG, "stringArray", "A bind mount or volume of the clone's infra container", 0 },
    { "volumes-from", O_VOLUMES_FROM, OPT_ARG, "stringArray", "Mount every volume of another container in the clone's infra", 0 },
    { 0 }
};

struct clone_args {
    struct pod_clone_opts o;
    struct ctropts *co;
    json_t *infra;              /* the infra's own flags, spec.h fields */
};

static int clone_own(void *arg, struct opt_it *it, struct berr **err)
{
    struct clone_args *a = arg;

    switch (it->opt->id) {
    case PC_DESTROY: a->o.destroy = it->bval; return 0;
    case PC_START: a->o.start = it->bval; return 0;
    case PC_INFRA_NAME: a->o.infra_name = it->arg; return 0;
    case PC_INFRA_CONMON_PIDFILE:
        return js_set_str(a->infra, "conmonPidFile", it->arg) < 0 ? berr_oom(err) : 0;
    case PC_INFRA_COMMAND: {
        /* podman splits it at spaces */
        _cleanup_strv_ strv words = strv_split(it->arg, " ");
        json_t *cmd = words ? js_strv(words) : NULL;
        return !cmd || json_object_set_new(a->infra, "entrypoint", cmd) < 0 ? berr_oom(err) : 0;
    }
    case 'n':
        if (cp_name_check(it->arg, err) < 0)
            return -1;
        free(a->co->name);
        return (a->co->name = str_dup(it->arg)) ? 0 : berr_oom(err);
    }
    return berr_msg(err, "option --%s is not handled", it->opt->name);
}

/* The spec fields the flags set that the infra takes: all but the pod's
 * own (labels, host name, limits, which the pod record keeps). */
static int infra_fields(struct clone_args *a, struct berr **err)
{
    const char *k;
    json_t *v;

    json_object_foreach(a->co->ctr, k, v) {
        if (str_eq(k, "labels") || str_eq(k, "hostname") || str_eq(k, "resources") ||
            (json_is_object(v) && json_object_size(v) == 0) ||
            (json_is_array(v) && json_array_size(v) == 0))
            continue;
        if (json_object_set(a->infra, k, v) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int clone_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct ctropts co;
    struct clone_args a = { .co = &co, .infra = json_object() };
    _cleanup_pod_ struct pod *p = NULL;
    struct runtime *rt;
    char id[STATE_ID_LEN + 1];
    json_t *labels, *res;
    int rc;

    if (!a.infra)
        return berr_oom(err);
    rc = ctropts_parse_pod_clone(cx, argc, argv, &co, clone_own, &a, err);
    if (rc == 0 && !co.help) {
        rc = -1;
        labels = json_object_get(co.ctr, "labels");
        res = json_object_get(co.ctr, "resources");
        a.o.name = co.name;
        a.o.labels = json_object_size(labels) ? labels : NULL;
        a.o.hostname = js_str(co.ctr, "hostname", NULL);
        a.o.cgroup_parent = co.cgroup_parent;
        a.o.resources = json_object_size(res) ? res : NULL;
        a.o.infra_spec = a.infra;
        if (!(a.o.create_command = js_strv(argv)))
            berr_oom(err);
        else if (infra_fields(&a, err) == 0 && cx_runtime(cx, RT_FULL, &rt, err) == 0 &&
                 pod_get(rt, co.image, &p, err) == 0 && pod_clone(rt, p, &a.o, id, err) == 0) {
            printf("%s\n", id);
            rc = 0;
        }
    }
    json_decref(a.o.create_command);
    json_decref(a.infra);
    ctropts_free(&co);
    return rc;
}

const struct cmd cmd_pod_clone = {
    .name = "clone",
    .summary = "Clone an existing pod",
    .usage = "[options] POD [NAME]",
    .description =
        "Creates a new pod configured as POD: its shared namespaces, network settings,\n"
        "labels, limits and exit policy, a clone of its infra container as its infra,\n"
        "and a clone of each of its other containers (named as `container clone` names\n"
        "them: NAME-clone, NAME-clone1...). The clone is named NAME or --name, else\n"
        "POD-clone (then -clone1...). Labels given are set over the original's, limits\n"
        "merged over its; the infra flags (--infra-*, --pid, --uts, --sysctl,\n"
        "--security-opt, --shm-size, --device, -v, --volumes-from, the user namespace\n"
        "flags) apply to the clone's infra container. --start starts the clone;\n"
        "--destroy then removes the original pod and its containers, running or not.\n"
        "Prints the clone's ID.",
    .examples = "berth pod clone web\n"
                "berth pod clone --start --destroy web web2\n"
                "berth pod clone -l tier=test -m 256m web",
    .opts = clone_opts, .fn = clone_fn, .need = RT_FULL,
    .flags = CMD_H_NOT_HELP,
};
