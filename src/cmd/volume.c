/*
 * cmd/volume.c: berth volume create|ls|inspect|rm|prune|exists|export|
 * import|mount|unmount|reload. The work is runtime/volume.h's (volume.c,
 * volume_mount.c, volume_io.c, volume_view.c); this file parses flags
 * and prints, with podman 4.3.1's words and exit codes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/ctropts_int.h"
#include "cmd/inspect.h"
#include "cmd/prune.h"
#include "runtime/runtime.h"
#include "runtime/volume.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/out.h"
#include "util/str.h"

enum { O_DRIVER = 256, O_FORMAT, O_NOHEADING, O_IGNORE, O_FILTER };


/* ---- create ---- */

static const struct cmd_opt create_opts[] = {
    { "driver", O_DRIVER, OPT_ARG, "string", "Volume driver: only \"local\" (default \"local\")", 0 },
    { "ignore", O_IGNORE, OPT_FLAG, NULL, "Do not fail if the volume already exists (print its name)", 0 },
    { "label", 'l', OPT_ARG, "strings", "Set metadata on the volume (key=value; repeatable, comma lists)", 0 },
    { "opt", 'o', OPT_ARG, "stringArray", "Driver options: type=, device=, o= (mount options; uid=, gid= set the owner), copy, nocopy", 0 },
    { 0 }
};

/* pflag's stringArray of key[=value] into an object (podman's GetAllLabels). */
static int kv_add(json_t *obj, const char *kv, const char *what, struct berr **err)
{
    const char *eq = strchr(kv, '=');
    _cleanup_free_ char *k = str_ndup(kv, eq ? (size_t) (eq - kv) : strlen(kv));

    if (!k)
        return berr_oom(err);
    if (!*k)
        return berr_plain(err, BK_INVALID, "unable to process %s: invalid label format: \"%s\"", what, kv);
    return json_object_set_new(obj, k, json_string(eq ? eq + 1 : "")) < 0 ? berr_oom(err) : 0;
}

static int create_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_json_ json_t *labels = json_object(), *opts = json_object();
    struct vol_create_opts o = { .cli_options = true };
    _cleanup_vol_ struct vol *v = NULL;
    int c, rc = 0;

    if (!labels || !opts)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case O_DRIVER: o.driver = it.arg; break;
        case O_IGNORE: o.ignore_existing = it.bval; break;
        case 'l': {
            _cleanup_strv_ strv l = NULL;
            rc = cp_split_csv(it.arg, &l, err);
            for (size_t i = 0; rc == 0 && l && l[i]; i++)
                rc = cp_label_add(labels, l[i], err);
            break;
        }
        case 'o': rc = kv_add(opts, it.arg, "options", err); break;
        }
    }
    if (rc < 0)
        c = -1;
    if ((c = cmd_begin(cx, &it, c, 0, 1, &rt, err)) <= 0)
        return c;
    o.name = it.nargs ? it.args[0] : NULL;
    o.labels = labels;
    o.options = opts;
    rc = vol_create(rt, &o, &v, err);
    if (rc == 0)
        printf("%s\n", v->name);
    opt_free(&it);
    return rc;
}

const struct cmd cmd_volume_create = {
    .name = "create",
    .summary = "Create a new volume",
    .usage = "[options] [NAME]",
    .description =
        "Creates a volume with the local driver: a directory under the volume path\n"
        "(<graph root>/volumes/NAME/_data, --volumepath moves it). Without a name a random\n"
        "64-hex one is chosen. -o type=tmpfs -o device=tmpfs -o o=size=64m makes a tmpfs\n"
        "volume, -o type=bind -o device=/path a bind of a host directory, -o device=/dev/sdb1\n"
        "a block device; such a volume is mounted (by mount(8)) while a container uses it.\n"
        "o=uid=N,gid=N sets the owner of the data. size= and inodes= need project quotas,\n"
        "which berth does not set up: they are refused, as podman refuses them on file\n"
        "systems without quota support. --ignore (docker's, not in podman 4.3.1) makes an\n"
        "existing volume of that name no error.",
    .examples = "berth volume create data\n"
                "berth volume create --label app=web -o type=tmpfs -o device=tmpfs -o o=size=64m cache\n"
                "berth volume create -o type=bind -o device=/srv/data srvdata",
    .opts = create_opts, .fn = create_fn, .need = RT_FULL,
};

/* ---- ls ---- */

static const struct cmd_opt ls_opts[] = {
    { "filter", 'f', OPT_ARG, "strings", "Filter: name, label, label!, driver, scope, opt, until, dangling=true|false (repeatable)", 0 },
    { "format", O_FORMAT, OPT_ARG, "string", "Pretty-print volumes to JSON or using a Go template", 0 },
    { "noheading", O_NOHEADING, OPT_FLAG, NULL, "Do not print headers", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Print volume names only", 0 },
    { 0 }
};

static const struct out_header ls_headers[] = {
    { "Driver", "DRIVER" }, { "Name", "VOLUME NAME" }, { 0 }
};

static const struct out_spec ls_spec = {
    .table = "table {{.Driver}}\t{{.Name}}",
    .headers = ls_headers,
};

/* The volumes the filters let through, read without locks. */
static int ls_load(struct runtime *rt, char *const *filters, bool want_state, bool labels_any,
                   struct vol_info **vs, size_t *n, bool **keep, struct berr **err)
{
    _cleanup_(vol_filter_freep) struct vol_filter *f = NULL;
    _cleanup_json_ json_t *users = NULL;

    if (vol_filter_parse(filters, &f, err) < 0)
        return -1;
    if (labels_any)
        vol_filter_labels_any(f);
    /* broken records are rows of a listing no filter narrows */
    if (vol_read_all_ex(rt, want_state, !filters || !filters[0], vs, n, err) < 0)
        return -1;
    if (vol_filter_needs_users(f) && vol_users_all(rt, &users, err) < 0)
        return -1;
    *keep = calloc(*n + 1, sizeof(bool));
    if (!*keep)
        return berr_oom(err);
    for (size_t i = 0; i < *n; i++)
        (*keep)[i] = vol_filter_match(f, &(*vs)[i], users);
    return 0;
}

static int ls_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_strv_ strv filters = NULL;
    _cleanup_json_ json_t *items = json_array();
    _cleanup_free_ bool *keep = NULL;
    struct vol_info *vs = NULL;
    size_t n = 0;
    const char *format = NULL;
    bool quiet = false, noheading = false, json, plain;
    int c, rc = 0;

    if (!items)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'f': rc = cp_split_csv(it.arg, &filters, err); break;
        case O_FORMAT: format = it.arg; break;
        case O_NOHEADING: noheading = it.bval; break;
        case 'q': quiet = it.bval; break;
        }
    }
    if (rc < 0)
        c = -1;
    if (c == 0 && !it.help && quiet && format)
        c = berr_msg(err, "quiet and format flags cannot be used together");
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    json = out_is_json(format);
    /* the default table and -q need the configs only */
    plain = quiet || out_default_table(format);
    rc = ls_load(rt, filters, !plain, true, &vs, &n, &keep, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!keep[i])
            continue;
        if (quiet) {
            printf("%s\n", vs[i].name);
            continue;
        }
        /* a broken record is its own row, and the listing goes on */
        json_t *o = vs[i].broken ? json_pack("{s:s, s:s, s:s}", "Name", vs[i].name, "Driver",
                                             "(broken)", "Broken", vs[i].broken)
                  : plain ? json_pack("{s:s, s:s}", "Name", vs[i].cfg.name, "Driver",
                                      vs[i].cfg.driver)
                          : vol_inspect_json(rt, &vs[i].cfg, &vs[i].st, !json);
        if (json_array_append_new(items, o) < 0)
            rc = berr_oom(err);
    }
    vol_info_free(vs, n);
    if (rc < 0 || quiet)
        return rc;
    if (json) {
        _cleanup_free_ char *s = json_dumps(items, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!s)
            return berr_oom(err);
        printf("%s\n", s);
        return 0;
    }
    /* podman prints nothing at all, not even headers, for no volumes */
    if (!json_array_size(items))
        return 0;
    return out_list(stdout, format, items, &ls_spec, noheading, err);
}

const struct cmd cmd_volume_list = {
    .name = "ls",
    .aliases = "list",
    .summary = "List volumes",
    .usage = "[options]",
    .description =
        "Lists volumes. Filters of one key match when any of their values does; different\n"
        "keys must all match (podman 4.3.1 let a volume through when any filter matched, a\n"
        "bug later podman fixed). label=KEY[=VALUE] (KEY may be a glob), label!=..., name=REGEX,\n"
        "driver=, scope=local, opt=KEY[=VALUE] (driver options), until=TIME (created before),\n"
        "dangling=true|false (no container uses it).",
    .examples = "berth volume ls\nberth volume ls --filter dangling=true -q\n"
                "berth volume ls --format '{{.Name}} {{.Mountpoint}}'",
    .opts = ls_opts, .fn = ls_fn, .need = RT_FULL,
};

/* ---- inspect ---- */

static const struct cmd_opt inspect_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Inspect all volumes", 0 },
    { "format", 'f', OPT_ARG, "string", "Format volume output using JSON or a Go template (default \"json\")", 0 },
    { 0 }
};

static int inspect_one(struct runtime *rt, const char *name, bool go_times, json_t **out,
                       struct berr **err)
{
    _cleanup_vol_ struct vol *v = NULL;

    if (vol_get(rt, name, &v, err) < 0)
        return -1;
    *out = vol_inspect_json(rt, &v->cfg, &v->st, go_times);
    return *out ? 0 : berr_oom(err);
}

int inspect_volumes(struct runtime *rt, char **names, int n, const char *format,
                    bool quiet_missing, json_t *arr, struct berr **err)
{
    bool go_times = format && *format && !out_is_json(format);
    struct berr *missing = NULL;

    for (int i = 0; i < n; i++) {
        struct berr *e = NULL;
        json_t *o = NULL;

        if (quiet_missing && !json_is_null(json_array_get(arr, (size_t) i)))
            continue;
        if (inspect_one(rt, names[i], go_times, &o, &e) < 0) {
            if (e->kind != BK_NO_SUCH) {
                berr_free(missing);
                *err = e;
                return -1;
            }
            berr_free(e);
            if (quiet_missing)
                continue;
            e = NULL;
            berr_kind(&e, BK_NO_SUCH, "inspecting object: no such volume %s", names[i]);
            cmd_err_next(&missing, e);
            continue;
        }
        if ((quiet_missing ? json_array_set_new(arr, (size_t) i, o)
                           : json_array_append_new(arr, o)) < 0) {
            berr_free(missing);
            return berr_oom(err);
        }
    }
    if (missing) {
        *err = missing;
        return -1;
    }
    return 0;
}

static int inspect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_json_ json_t *arr = json_array();
    _cleanup_strv_ strv all_names = NULL;
    const char *format = NULL;
    bool all = false;
    char **names;
    int c, n, rc = 0;

    if (!arr)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == 'a')
            all = it.bval;
        else if (c == 'f')
            format = it.arg;
    }
    if (c == 0 && !it.help && (all ? it.nargs > 0 : it.nargs < 1))
        c = berr_msg(err, "provide one or more volume names or use --all");
    if ((c = cmd_begin(cx, &it, c, 0, -1, &rt, err)) <= 0)
        return c;
    names = it.args;
    n = it.nargs;
    if (all) {
        if (state_list(rt->st, OBJ_VOLUME, &all_names, err) < 0) {
            opt_free(&it);
            return -1;
        }
        names = all_names;
        n = (int) strv_len(all_names);
        /* --all: what is gone since the listing is simply not there */
        for (int i = 0; i < n; i++)
            if (json_array_append_new(arr, json_null()) < 0) {
                opt_free(&it);
                return berr_oom(err);
            }
    }
    rc = inspect_volumes(rt, names, n, format, all, arr, err);
    opt_free(&it);
    for (size_t i = json_array_size(arr); i-- > 0;)
        if (json_is_null(json_array_get(arr, i)))
            json_array_remove(arr, i);
    /* podman prints what it found, then fails for what it did not */
    return inspect_print_then_fail(format, arr, rc, err);
}

const struct cmd cmd_volume_inspect = {
    .name = "inspect",
    .summary = "Display detailed information on one or more volumes",
    .usage = "[options] VOLUME [VOLUME...]",
    .description =
        "Prints volumes (name or unique name prefix) in podman's JSON shape: Name, Driver,\n"
        "Mountpoint, CreatedAt, Labels, Scope, Options, MountCount, and when set UID, GID,\n"
        "Anonymous, NeedsCopyUp, NeedsChown. --format takes a Go template over the same\n"
        "fields; CreatedAt then reads as Go prints a time.",
    .examples = "berth volume inspect data\nberth volume inspect --all\n"
                "berth volume inspect --format '{{.Driver}} {{.Scope}}' data",
    .opts = inspect_opts, .fn = inspect_fn, .need = RT_FULL,
};

/* ---- rm ---- */

static const struct cmd_opt rm_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Remove all volumes", 0 },
    { "force", 'f', OPT_FLAG, NULL, "Remove a volume by force, with the containers that use it", 0 },
    { "time", 't', OPT_ARG, "uint", "Seconds to wait for running containers to stop before killing them (default 10)", 0 },
    { 0 }
};

/* podman: no such volume -> 1, in use -> 2 */
static void set_exit(struct berr *e)
{
    if (e->kind == BK_NO_SUCH)
        e->exit_code = 1;
    else if (e->kind == BK_STATE)
        e->exit_code = 2;
}

static int rm_one(struct runtime *rt, const char *name, bool exact, bool force, long long t,
                  struct berr **err)
{
    _cleanup_vol_ struct vol *v = NULL;

    if ((exact ? vol_get_exact : vol_get)(rt, name, &v, err) < 0 ||
        vol_remove(rt, v, force, t, "remove", err) < 0)
        return -1;
    printf("%s\n", v->name);
    return 0;
}

static int rm_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_strv_ strv all_names = NULL;
    bool all = false, force = false, time_set = false;
    unsigned long long t = 0;
    char **names;
    int c, n, rc = 0;

    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': all = it.bval; break;
        case 'f': force = it.bval; break;
        case 't': rc = opt_uint(&it, &t, err); time_set = true; break;
        }
    }
    if (rc < 0)
        c = -1;
    if (c == 0 && !it.help && (all ? it.nargs > 0 : it.nargs < 1))
        c = berr_msg(err, "choose either one or more volumes or all");
    if (c == 0 && !it.help && time_set && !force)
        c = berr_msg(err, "--force option must be specified to use the --time option");
    if ((c = cmd_begin(cx, &it, c, 0, -1, &rt, err)) <= 0)
        return c;
    names = it.args;
    n = it.nargs;
    if (all) {
        if (state_list(rt->st, OBJ_VOLUME, &all_names, err) < 0) {
            opt_free(&it);
            return -1;
        }
        names = all_names;
        n = (int) strv_len(all_names);
    }
    /* Like podman: go on with the others, print every error but the
     * last, which main prints; --force hides missing volumes. */
    for (int i = 0; i < n; i++) {
        struct berr *e = NULL;
        if (rm_one(rt, names[i], all, force, time_set ? (long long) t : -1, &e) == 0)
            continue;
        if (e->kind == BK_NO_SUCH && (force || all)) {
            berr_free(e);
            continue;
        }
        set_exit(e);
        cmd_err_next(err, e);
    }
    opt_free(&it);
    return *err ? -1 : 0;
}

const struct cmd cmd_volume_rm = {
    .name = "rm",
    .aliases = "remove",
    .summary = "Remove one or more volumes",
    .usage = "[options] VOLUME [VOLUME...]",
    .description =
        "Removes volumes and their data. A volume that containers use is refused (exit 2)\n"
        "unless --force is given, which removes those containers first (stopping them,\n"
        "--time seconds before killing). A missing volume exits 1 (not with --force).",
    .examples = "berth volume rm data\nberth volume rm --all\nberth volume rm -f -t 0 data",
    .opts = rm_opts, .fn = rm_fn, .need = RT_FULL,
};

/* ---- prune ---- */

static const struct cmd_opt prune_opts[] = {
    { "filter", O_FILTER, OPT_ARG, "stringArray", "Only prune volumes matching (label=, until=, ... as volume ls)", 0 },
    { "force", 'f', OPT_FLAG, NULL, "Do not prompt for confirmation", 0 },
    { 0 }
};

/* The dangling volumes the filters let through, by name. */
int prune_volume_candidates(struct runtime *rt, char *const *filters, strv *out,
                            struct berr **err)
{
    _cleanup_strv_ strv f = strv_copy(filters);
    _cleanup_free_ bool *keep = NULL;
    struct vol_info *vs = NULL;
    size_t n = 0;
    int rc;

    if (strv_push(&f, "dangling=true") < 0)
        return berr_oom(err);
    rc = ls_load(rt, f, false, false, &vs, &n, &keep, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (keep[i] && strv_push(out, vs[i].name) < 0)
            rc = berr_oom(err);
    vol_info_free(vs, n);
    return rc;
}

static int confirm(char *const *names, struct berr **err)
{
    printf("WARNING! This will remove all volumes not used by at least one container. "
           "The following volumes will be removed:\n");
    if (!names || !names[0]) {
        printf("No dangling volumes found\n");
        return false;
    }
    for (size_t i = 0; names[i]; i++)
        printf("%s\n", names[i]);
    printf("Are you sure you want to continue? [y/N] ");
    return cmd_answer(err);
}

static int prune_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_strv_ strv filters = NULL, names = NULL, removed = NULL;
    bool force = false;
    int c, rc = 0;

    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == 'f')
            force = it.bval;
        else if (c == O_FILTER)
            rc = strv_push(&filters, it.arg) < 0 ? berr_oom(err) : 0;
    }
    if (rc < 0)
        c = -1;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || prune_volume_candidates(rt, filters, &names, err) < 0)
        return -1;
    if (!force && (rc = confirm(names, err)) <= 0)
        return rc;
    rc = prune_volumes(rt, names, &removed, err);
    for (size_t i = 0; removed && removed[i]; i++)
        printf("%s\n", removed[i]);
    return rc;
}

int prune_volumes(struct runtime *rt, char *const *names, strv *removed, struct berr **err)
{
    for (size_t i = 0; names && names[i]; i++) {
        _cleanup_vol_ struct vol *v = NULL;
        struct berr *e = NULL;

        /* in use by now (a container was created meanwhile), or gone:
         * not pruned, and no error, as podman's */
        if (vol_get_exact(rt, names[i], &v, &e) < 0 ||
            vol_remove(rt, v, false, -1, "prune", &e) < 0) {
            if (e->kind == BK_NO_SUCH || e->kind == BK_STATE)
                berr_free(e);
            else
                cmd_err_next(err, e);
            continue;
        }
        if (strv_push(removed, names[i]) < 0) {
            berr_oom(&e);
            cmd_err_next(err, e);
        }
    }
    return *err ? -1 : 0;
}

const struct cmd cmd_volume_prune = {
    .name = "prune",
    .summary = "Remove all unused volumes",
    .usage = "[options]",
    .description =
        "Removes every volume no container uses (and that the filters let through), after\n"
        "asking unless --force is given. Prints the names of the removed volumes.",
    .examples = "berth volume prune -f\nberth volume prune -f --filter label=tmp\n"
                "berth volume prune -f --filter until=24h",
    .opts = prune_opts, .fn = prune_fn, .need = RT_FULL,
};

/* ---- exists ---- */

/* the exact name, as podman's HasVolume */
static int exists_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return cmd_exists_run(cx, argc, argv, vol_exists, err);
}

const struct cmd cmd_volume_exists = {
    .name = "exists",
    .summary = "Check if a volume exists",
    .usage = "VOLUME",
    .description = "Exits 0 if a volume of exactly that name exists, 1 if not, 125 on other errors.",
    .examples = "berth volume exists data",
    .fn = exists_fn, .need = RT_FULL,
};

/* ---- export / import ---- */

static const struct cmd_opt export_opts[] = {
    { "output", 'o', OPT_ARG, "string", "Write to this file (default: stdout, which must be redirected)", 0 },
    { 0 }
};

/* podman's words for a volume export/import cannot find */
static int get_for_io(struct runtime *rt, const char *name, struct vol **v, struct berr **err)
{
    struct berr *e = NULL;

    if (vol_get(rt, name, v, &e) == 0)
        return 0;
    if (e->kind != BK_NO_SUCH) {
        *err = e;
        return -1;
    }
    berr_free(e);
    return berr_kind(err, BK_NO_SUCH, "no such volume %s", name);
}

static int export_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_vol_ struct vol *v = NULL;
    _cleanup_close_ int fd = -1;
    const char *out = NULL;
    int c, rc;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == 'o')
            out = it.arg;
    if (c == 0 && !it.help && out && !*out)
        c = berr_msg(err, "expects output path, use --output=[path]");
    if ((c = cmd_begin(cx, &it, c, 1, 1, &rt, err)) <= 0)
        return c;
    rc = get_for_io(rt, it.args[0], &v, err);
    opt_free(&it);
    if (rc < 0)
        return -1;
    if (out && (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
        return berr_sys(err, "open %s", out);
    fflush(stdout);
    return vol_export(rt, v, fd >= 0 ? fd : STDOUT_FILENO, err);
}

const struct cmd cmd_volume_export = {
    .name = "export",
    .summary = "Export volumes",
    .usage = "[options] VOLUME",
    .description =
        "Writes the volume's data as a tar archive (names relative to the volume) to stdout\n"
        "or --output. A volume mounted from a device (-o type=...) other than tmpfs must be\n"
        "in use (a container, `volume mount`) for its data to be there.",
    .examples = "berth volume export data > data.tar\nberth volume export -o data.tar data",
    .opts = export_opts, .fn = export_fn, .need = RT_FULL,
};

static int import_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_vol_ struct vol *v = NULL;
    _cleanup_free_ char *src = NULL;
    int c, rc;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        ;
    if ((c = cmd_begin(cx, &it, c, 2, 2, &rt, err)) <= 0)
        return c;
    src = str_dup(str_eq(it.args[1], "-") ? "/dev/stdin" : it.args[1]);
    if (!src) {
        opt_free(&it);
        return berr_oom(err);
    }
    if (!str_eq(it.args[1], "-") && access(src, R_OK) < 0) {
        opt_free(&it);
        return berr_sys(err, "open %s", src);
    }
    rc = get_for_io(rt, it.args[0], &v, err);
    opt_free(&it);
    if (rc < 0)
        return -1;
    return vol_import(rt, v, src, err);
}

const struct cmd cmd_volume_import = {
    .name = "import",
    .summary = "Import a tarball contents into a volume",
    .usage = "VOLUME [SOURCE]",
    .description =
        "Unpacks a tar archive (plain, gzip, bzip2, xz or zstd; - reads stdin) into the\n"
        "volume's data. Nothing in the archive is ever written outside the volume.",
    .examples = "berth volume import data data.tar\ncat data.tar | berth volume import data -",
    .fn = import_fn, .need = RT_FULL,
};

/* ---- mount / unmount ---- */

/* volume mount prints the mount point, volume unmount the name given */
static int mount_unmount(struct cmd_ctx *cx, int argc, char **argv, bool mount,
                         struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_vol_ struct vol *v = NULL;
    _cleanup_free_ char *path = NULL;
    int c, rc;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        ;
    if ((c = cmd_begin(cx, &it, c, 1, 1, &rt, err)) <= 0)
        return c;
    rc = vol_get(rt, it.args[0], &v, err) < 0 ||
         (mount ? vol_mount(rt, v, &path, err) : vol_unmount(rt, v, false, err)) < 0 ? -1 : 0;
    if (rc == 0)
        printf("%s\n", mount ? path : it.args[0]);
    opt_free(&it);
    return rc;
}

static int mount_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return mount_unmount(cx, argc, argv, true, err);
}

const struct cmd cmd_volume_mount = {
    .name = "mount",
    .summary = "Mount volume",
    .usage = "VOLUME",
    .description =
        "Mounts the volume on its mount point if its options ask for a mount (counted:\n"
        "each mount wants an unmount) and prints the mount point.",
    .examples = "berth volume mount data",
    .fn = mount_fn, .need = RT_FULL,
};

static int unmount_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return mount_unmount(cx, argc, argv, false, err);
}

const struct cmd cmd_volume_unmount = {
    .name = "unmount",
    .aliases = "umount",
    .summary = "Unmount volume",
    .usage = "VOLUME",
    .description = "Drops one mount of the volume; the last one unmounts it from the host.",
    .examples = "berth volume unmount data",
    .fn = unmount_fn, .need = RT_FULL,
};

/* ---- reload ---- */

static int reload_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        ;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    /* podman prints nothing when no plugin is configured */
    fprintf(stderr, "berth has no volume plugins: there is nothing to reload\n");
    return 0;
}

const struct cmd cmd_volume_reload = {
    .name = "reload",
    .summary = "Reload all volumes from volume plugins",
    .usage = "",
    .description =
        "podman re-reads the volumes of its volume plugins. berth has no volume plugins (only\n"
        "the local driver), so there is nothing to reload: it says so on stderr and exits 0.",
    .examples = "berth volume reload",
    .fn = reload_fn, .need = RT_CONFIG,
};
