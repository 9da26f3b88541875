/*
 * cmd/inspect.c: berth inspect, which finds containers, images and volumes
 * (--type container|image|volume|all), and the printing all four inspect
 * commands share (cmd/inspect.h). The objects are runtime/ctr_inspect.c's
 * and runtime/image_inspect.c's, collected by cmd/inspect_ctr.c and
 * cmd/image_inspect.c. JSON prints as a five-space indented array, as
 * podman's.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/inspect.h"
#include "runtime/container.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/out.h"

bool inspect_is_json(const char *format)
{
    return !format || !*format || out_is_json(format);
}

/* podman's inspect templates see Go structs whose field is ID where the
 * JSON says "Id", and podman reads docker's older names as its own
 * (inspectNormalize): both spellings work. */
static const struct tmpl_alias inspect_aliases[] = {
    { "ID", "Id" },
    { "ImageID", "Image" },
    { "Src", "Source" },
    { "Dst", "Destination" },
    { 0 }
};

/* What a template sees of a container that its JSON says null or leaves
 * out (omitempty), as podman 4.3.1's InspectContainerData shows it:
 * nil maps and slices print map[] and [], nil pointers <nil>, the rest
 * their zero values. */
static const struct tmpl_field ctr_fields[] = {
    { "State.Health.Log", TMPL_NIL_SLICE, NULL },
    /* Go structs a template prints whole, their JSON complete and in order */
    { "State.Health", TMPL_STRUCT, NULL },
    { "HostConfig.RestartPolicy", TMPL_STRUCT, NULL },
    { "HostConfig.LogConfig", TMPL_STRUCT, NULL },
    { "GraphDriver", TMPL_STRUCT, NULL },
    { "State.ConmonPid", 0, tmpl_zero_int },
    { "State.CgroupPath", 0, tmpl_zero_str },
    { "State.Checkpointed", 0, json_false },
    { "State.Restored", 0, json_false },
    { "State.CheckpointPath", 0, tmpl_zero_str },
    { "State.CheckpointLog", 0, tmpl_zero_str },
    { "State.RestoreLog", 0, tmpl_zero_str },
    { "SizeRw", TMPL_NIL_PTR, NULL },
    { "SizeRootFs", 0, tmpl_zero_int },
    { "Config.Labels", TMPL_NIL_MAP, NULL },
    { "Config.Volumes", TMPL_NIL_MAP, NULL },
    { "Config.OnBuild", TMPL_NIL_PTR, NULL },
    { "Config.Healthcheck", TMPL_NIL_PTR, NULL },
    { "Config.Secrets", TMPL_NIL_SLICE, NULL },
    { "Config.ChrootDirs", TMPL_NIL_SLICE, NULL },
    { "Config.SdNotifySocket", 0, tmpl_zero_str },
    { "Config.Timezone", 0, tmpl_zero_str },
    { "Mounts.*.Name", 0, tmpl_zero_str },      /* a bind's: omitempty */
    { "Config.SystemdMode", 0, json_false },
    { "HostConfig.LogConfig.Config", TMPL_NIL_MAP, NULL },
    { "HostConfig.VolumesFrom", TMPL_NIL_SLICE, NULL },
    { "HostConfig.Links", TMPL_NIL_SLICE, NULL },
    { "HostConfig.CgroupConf", TMPL_NIL_MAP, NULL },
    { "HostConfig.BlkioWeightDevice", TMPL_NIL_SLICE, NULL },
    { "HostConfig.BlkioDeviceReadBps", TMPL_NIL_SLICE, NULL },
    { "HostConfig.BlkioDeviceWriteBps", TMPL_NIL_SLICE, NULL },
    { "HostConfig.BlkioDeviceReadIOps", TMPL_NIL_SLICE, NULL },
    { "HostConfig.BlkioDeviceWriteIOps", TMPL_NIL_SLICE, NULL },
    { "HostConfig.IDMappings", TMPL_NIL_PTR, NULL },
    { "HostConfig.Init", 0, json_false },
    /* a container on no network: omitted, a nil map */
    { "NetworkSettings.Networks", TMPL_NIL_MAP, NULL },
    { "NetworkSettings.Networks.*.DriverOpts", TMPL_NIL_MAP, NULL },
    { "NetworkSettings.Networks.*.IPAMConfig", TMPL_NIL_MAP, NULL },
    { "NetworkSettings.Networks.*.Links", TMPL_NIL_SLICE, NULL },
    { NULL, 0, NULL }
};

/* What a template sees of an image where its JSON leaves a field out:
 * podman's Config is the OCI image config, whole, and HealthCheck a
 * pointer beside it. */
static const struct tmpl_field img_fields[] = {
    { "Config.User", 0, tmpl_zero_str },
    { "Config.ExposedPorts", TMPL_NIL_MAP, NULL },
    { "Config.ExposedPorts.*", TMPL_EMPTY_STRUCT, NULL },
    { "Config.Volumes.*", TMPL_EMPTY_STRUCT, NULL },
    { "Config.Env", TMPL_NIL_SLICE, NULL },
    { "Config.Entrypoint", TMPL_NIL_SLICE, NULL },
    { "Config.Cmd", TMPL_NIL_SLICE, NULL },
    { "Config.Volumes", TMPL_NIL_MAP, NULL },
    { "Config.WorkingDir", 0, tmpl_zero_str },
    { "Config.Labels", TMPL_NIL_MAP, NULL },
    { "Config.StopSignal", 0, tmpl_zero_str },
    { "Config.ArgsEscaped", 0, json_false },
    { "Config.Healthcheck", TMPL_NIL_PTR, NULL },
    { "HealthCheck", TMPL_NIL_PTR, NULL },
    { NULL, 0, NULL }
};

/* "json": one JSON array indented by five spaces; a template: once per
 * element (nulls skipped). A bad template fails before anything is
 * printed. */
static int inspect_print(FILE *f, const char *format, json_t *arr, struct berr **err)
{
    static const struct out_spec spec = { .aliases = inspect_aliases };
    _cleanup_json_ json_t *items = NULL;
    json_t *v;
    size_t i;
    int r;

    if (inspect_is_json(format)) {
        /* straight to f through one small buffer: no copy of the whole
         * text (its growing buffer was a fifth of inspect's heap), and not
         * jansson's fwrite per token; only running out of memory fails */
        if (js_dump_pretty(f, arr, 5) < 0)
            return berr_oom(err);
        fputc('\n', f);
        return 0;
    }
    /* render everything first: a bad template prints nothing */
    if (!(items = json_array()))
        return berr_oom(err);
    json_array_foreach(arr, i, v) {
        if (json_is_null(v))
            continue;
        /* a container (of inspect's kinds only it has both) */
        if (json_object_get(v, "HostConfig") && json_object_get(v, "State") &&
            tmpl_fill_fields(v, ctr_fields) < 0)
            return berr_oom(err);
        /* an image (of inspect's kinds only it has both) */
        if (json_object_get(v, "RootFS") && json_object_get(v, "RepoTags") &&
            tmpl_fill_fields(v, img_fields) < 0)
            return berr_oom(err);
        if (json_array_append(items, v) < 0)
            return berr_oom(err);
    }
    r = out_list(f, format, items, &spec, true, err);
    tmpl_fill_done();
    return r;
}

int inspect_print_then_fail(const char *format, json_t *arr, int r, struct berr **err)
{
    struct berr *pe = NULL;

    if (r < 0 && (!*err || (*err)->kind != BK_NO_SUCH))
        return -1;
    if (inspect_print(stdout, format, arr, &pe) < 0) {
        berr_free(*err);
        *err = pe;
        return -1;
    }
    return r;
}

enum { O_WHY = 256 };

static const struct cmd_opt inspect_opts[] = {
    { "format", 'f', OPT_ARG, "string", "Format the output to a Go template or json (default \"json\")", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "size", 's', OPT_FLAG, NULL, "Display total file size (containers)", 0 },
    { "type", 't', OPT_ARG, "string", "Specify inspect-object type: image, container, volume or all "
      "(default \"all\")", 0 },
    { "why", O_WHY, OPT_FLAG, NULL, "Show the evidence behind each container's state (records, "
      "exit file, conmon and process, mounts, network namespace, lock), or a pod's", 0 },
    { 0 }
};

/* --why: the evidence of each container (runtime/ctr_why.c). */
static int inspect_why(struct runtime *rt, char **names, int n, json_t *arr, struct berr **err)
{
    struct berr *last = NULL;

    for (int i = 0; i < n; i++) {
        json_t *o = NULL;
        struct berr *e = NULL, *pe = NULL;
        /* not a container: perhaps a pod (runtime/pod_why.c) */
        if (ctr_why(rt, names[i], &o, &e) < 0 && e->kind == BK_NO_SUCH &&
            pod_why(rt, names[i], &o, &pe) == 0)
            berr_freep(&e);
        berr_free(pe);
        if (e)
            cmd_err_next(&last, e);
        else if (json_array_append_new(arr, o) < 0)
            return berr_oom(err);
    }
    if (last)
        *err = last;
    return last ? -1 : 0;
}

static int inspect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    const char *format = NULL, *type = "all";
    bool size = false, latest = false, why = false;
    _cleanup_json_ json_t *arr = json_array();
    int c, r;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'f': format = it.arg; break;
        case 'l': latest = it.bval; break;
        case 's': size = it.bval; break;
        case 't': type = it.arg; break;
        case O_WHY: why = it.bval; break;
        }
    }
    if (c == 0 && !it.help) {
        if (strcmp(type, "image") && strcmp(type, "container") && strcmp(type, "volume") &&
            strcmp(type, "all"))
            c = berr_msg(err, "invalid type \"%s\": must be \"image\", \"container\", \"pod\", "
                         "\"network\", \"volume\", or \"all\"", type);
        else if (latest && it.nargs > 0)
            c = berr_msg(err, "--latest and containers cannot be used together");
        else if (latest && !strcmp(type, "image"))
            c = berr_msg(err, "latest is not supported for type \"image\"");
        else if (!latest && it.nargs == 0)
            c = berr_msg(err, "no names or ids specified");
    }
    cx->no_locale = true;      /* it prints records: no regex, glob or archive */
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    if (!arr) {
        opt_free(&it);
        return berr_oom(err);
    }
    if (latest) {
        /* --latest: the container side (cmd/inspect_ctr.c) owns it */
        opt_free(&it);
        return berr_msg(err, "use \"%s container inspect --latest\"", cx->prog);
    }
    if (why) {
        r = inspect_why(rt, it.args, it.nargs, arr, err);
    } else if (!strcmp(type, "image")) {
        r = inspect_images(rt, it.args, it.nargs, format, arr, false, err);
    } else if (!strcmp(type, "container")) {
        r = inspect_containers(rt, it.args, it.nargs, format, size, false, arr, err);
    } else if (!strcmp(type, "volume")) {
        r = inspect_volumes(rt, it.args, it.nargs, format, false, arr, err);
    } else {
        /* all: containers first (a null per miss), then images, then
         * volumes fill the nulls; what is none is podman's "no such
         * object" */
        r = inspect_containers(rt, it.args, it.nargs, format, size, true, arr, err);
        if (r == 0)
            r = inspect_images(rt, it.args, it.nargs, format, arr, true, err);
        if (r == 0)
            r = inspect_volumes(rt, it.args, it.nargs, format, true, arr, err);
        for (int i = 0; r == 0 && i < it.nargs; i++)
            if (json_is_null(json_array_get(arr, (size_t) i))) {
                r = berr_kind(err, BK_NO_SUCH, "no such object: \"%s\"", it.args[i]);
                berr_wrap(err, "inspecting object");
            }
        /* print only what was found */
        for (size_t i = json_array_size(arr); i-- > 0;)
            if (json_is_null(json_array_get(arr, i)))
                json_array_remove(arr, i);
    }
    opt_free(&it);
    return inspect_print_then_fail(format, arr, r, err);
}

const struct cmd cmd_inspect = {
    .name = "inspect", .summary = "Display the configuration of object denoted by ID",
    .usage = "[options] {CONTAINER|IMAGE|VOLUME} [...]",
    .description =
        "Displays the low-level information on containers, images and volumes\n"
        "identified by name or ID. With --type all (the default) each name is looked\n"
        "up as a container first, then as an image, then as a volume; a name that is\n"
        "none fails with \"no such object\" after the others were printed. --type\n"
        "image, container or volume restricts the lookup. The output is podman's\n"
        "JSON array, or a Go template with --format.\n"
        "\n"
        "--why shows instead the evidence behind each container's state (or a pod's, see\n"
        "pod inspect --why),\n"
        "read without its lock as ps reads it: the record (state, damage, an unfinished\n"
        "intent; a create whose root file system is made has finished), conmon's exit\n"
        "file and the exit-code record, whether conmon and the\n"
        "container's process live with the start time recorded (a reused pid does not\n"
        "count), whether its root file system and network namespace are mounted, and its\n"
        "lock: held or not, and by which process.",
    .examples = "berth inspect busybox\n"
                "berth inspect --type image --format '{{.Id}}' busybox\n"
                "berth inspect --format '{{.State.Status}}' web\n"
                "berth inspect --why web",
    .opts = inspect_opts, .fn = inspect_fn, .need = RT_FULL,
};
