/*
 * cmd/ps.c: berth ps / container ls|list|ps. The items come from
 * runtime/ctr_ps.c (and ctr_ps_*.c) in one of podman's two shapes: --format
 * json prints podman's JSON (ListContainer), tables and templates see
 * podman's template fields ({{.Names}} a string, {{.State}} the status
 * text).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "runtime/ctr_ps.h"
#include "util/cleanup.h"
#include "util/out.h"
#include "util/str.h"

enum { O_FORMAT = 256, O_NOTRUNC, O_NOHEADING, O_SORT, O_SYNC, O_EXTERNAL, O_NS, O_POD = 'p' };

static const struct cmd_opt ps_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Show all the containers, default is only running containers", 0 },
    { "external", O_EXTERNAL, OPT_FLAG, NULL, "Show containers in storage not controlled by berth (state \"storage\")", 0 },
    { "filter", 'f', OPT_ARG, "strings", "Filter output based on conditions given: id, name, status, label, ancestor, exited, before, since, volume, pod, health, restart-policy, network, until (KEY=VALUE, repeatable)", 0 },
    { "format", O_FORMAT, OPT_ARG, "string", "Pretty-print containers to JSON or using a Go template", 0 },
    { "last", 'n', OPT_ARG, "int", "Print the n last created containers (all states) (default -1)", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "no-trunc", O_NOTRUNC, OPT_FLAG, NULL, "Display the extended information", 0 },
    { "noheading", O_NOHEADING, OPT_FLAG, NULL, "Do not print headers", 0 },
    { "ns", O_NS, OPT_FLAG, NULL, "Display namespace information", 0 },
    { "pod", O_POD, OPT_FLAG, NULL, "Show the pod id and name of each container", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Print the numeric IDs of the containers only", 0 },
    { "size", 's', OPT_FLAG, NULL, "Display the total file sizes", 0 },
    { "sort", O_SORT, OPT_ARG, "choice", "Sort output by: command, created, id, image, names, runningfor, size, status", 0 },
    { "sync", O_SYNC, OPT_FLAG, NULL, "Sync container state with OCI runtime (berth always reads exit files; accepted for compatibility)", 0 },
    { "watch", 'w', OPT_ARG, "uint", "Watch the ps output on an interval in seconds", 0 },
    { 0 }
};

static const struct out_header ps_headers[] = {
    { "ID", "CONTAINER ID" }, { "ImageID", "IMAGE ID" }, { "CreatedHuman", "CREATED" },
    { "Created", "CREATED" }, { "CreatedAt", "CREATED AT" }, { "RunningFor", "RUNNING FOR" },
    { "Pod", "POD ID" }, { "PodName", "PODNAME" }, { "Cgroup", "CGROUPNS" },
    { "User", "USERNS" }, { "PIDNS", "PIDNS" }, { "IPC", "IPC" }, { "MNT", "MNT" },
    { "NET", "NET" }, { "UTS", "UTS" }, { "ExitCode", "EXIT CODE" },
    { 0 }
};

#define PS_TABLE "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"
#define PS_NS_TABLE "table {{.ID}}\t{{.Names}}\t{{.Pid}}\t{{.Cgroup}}\t{{.IPC}}\t{{.MNT}}\t{{.NET}}\t{{.PIDNS}}\t{{.User}}\t{{.UTS}}"

static int ps_render(void *ctx, json_t *item, char **text, struct berr **err)
{
    return out_rows_render(ctx, item, text, err);
}

/* One listing: the items, then printed as format says. */
static int ps_once(struct runtime *rt, struct ps_query *q, const char *format, bool quiet,
                   bool noheading, struct berr **err)
{
    _cleanup_json_ json_t *items = NULL;
    struct out_spec spec = { .json_indent = 2,     /* podman's ps: MarshalIndent "  " */
                             .table = q->ns ? PS_NS_TABLE : q->size ? PS_TABLE "\t{{.Size}}" : PS_TABLE,
                             .headers = ps_headers };
    _cleanup_free_ char *with_pod = NULL;
    struct out_rows *rows = NULL;
    char **texts = NULL;
    size_t n = 0;
    int r;

    /* --pod: the pod's columns last, as podman's */
    if (q->pod && !q->ns) {
        if (!(with_pod = str_fmt("%s\t{{.Pod}}\t{{.PodName}}", spec.table)))
            return berr_oom(err);
        spec.table = with_pod;
    }

    q->tmpl = quiet ? "{{.ID}}" : out_default_table(format) ? spec.table : format;
    /* a row at a time: each rendered as it is read (the items of 1000
     * rows were 1.4 MB of heap, their texts are 0.1 MB) */
    if (out_rows_new(quiet ? "{{.ID}}" : format, quiet ? NULL : &spec, quiet || noheading,
                     &rows, err) < 0)
        return -1;
    if (rows) {
        /* -q and the default table (not --ns nor -s) are made by the
         * runtime straight from each row: ps.bats checks they match their
         * templates */
        q->direct = quiet ? PS_ROWS_IDS
                  : out_default_table(format) && !q->ns && !q->size ? PS_ROWS_TABLE
                  : PS_ROWS_TEMPLATE;
        q->render = ps_render;
        q->render_ctx = rows;
        r = ctr_ps_texts(rt, q, &texts, &n, err);
        if (r == 0)
            r = out_rows_print(rows, stdout, texts, n, err);
        q->render = NULL;
        q->render_ctx = NULL;
        q->direct = PS_ROWS_TEMPLATE;
        out_rows_free(rows);
        strv_free(texts);
        return r;
    }
    if (ctr_ps_items(rt, q, &items, err) < 0)
        return -1;
    if (quiet)
        return out_list(stdout, "{{.ID}}", items, NULL, true, err);
    return out_list(stdout, format, items, &spec, noheading, err);
}

/* --watch N: the listing again every N seconds until interrupted, the
 * screen cleared first on a terminal, as podman's. JSON and -q print once
 * (podman's too). */
static int ps_watch(struct runtime *rt, struct ps_query *q, const char *format, bool noheading,
                    unsigned long long every, struct berr **err)
{
    for (;;) {
        if (isatty(STDOUT_FILENO))
            fputs("\033[2J\033[1;1H", stdout);
        if (ps_once(rt, q, format, false, noheading, err) < 0)
            return -1;
        if (fflush(stdout) != 0)
            return berr_sys(err, "write output");
        sleep((unsigned) every);
    }
}

static int ps_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct ps_query q = { .last = -1 };
    _cleanup_strv_ char **filters = NULL;
    _cleanup_json_ json_t *items = NULL;
    const char *format = NULL;
    bool quiet = false, noheading = false;
    unsigned long long watch = 0;
    int c, rc = 0;

    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': q.all = it.bval; break;
        case 'f': {
            /* podman's StringSlice: "a=1,b=2" is two filters */
            _cleanup_strv_ strv f = strv_split(it.arg, ",");
            rc = f ? 0 : -1;
            for (size_t i = 0; f && f[i] && rc == 0; i++)
                rc = strv_push(&filters, f[i]);
            break;
        }
        case O_FORMAT: format = it.arg; break;
        case 'n': rc = opt_int(&it, &q.last, err); break;
        case 'l': q.latest = it.bval; break;
        case O_NOTRUNC: q.no_trunc = it.bval; break;
        case O_NOHEADING: noheading = it.bval; break;
        case 'q': quiet = it.bval; break;
        case 's': q.size = it.bval; break;
        case O_SORT: q.sort = it.arg; break;
        case O_SYNC: break;
        case O_EXTERNAL: q.external = it.bval; break;
        case O_NS: q.ns = it.bval; break;
        case O_POD: q.pod = it.bval; break;
        case 'w': rc = opt_uint(&it, &watch, err); break;
        }
        if (rc < 0 && !*err)
            berr_oom(err);
        if (rc < 0)
            c = -1;
    }
    q.filters = filters;
    if (c == 0 && !it.help && it.nargs > 0)
        c = berr_msg(err, "`%s` takes no arguments", cx->path);
    if (c == 0 && !it.help && q.latest && q.last > 0)
        c = berr_msg(err, "--last and --latest are mutually exclusive");
    if (c == 0 && !it.help && ctr_ps_check(&q, err) < 0)
        c = -1;
    if (c < 0 || it.help) {
        opt_free(&it);
        return c;
    }
    opt_free(&it);
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;

    /* podman: a --format wins over -q, and {{json .}} is json (report.IsJSON) */
    if (format) {
        quiet = false;
        if (out_is_json(format))
            format = "json";
    }
    q.shape = format && strcmp(format, "json") == 0 ? PS_JSON : PS_TEMPLATE;
    /* docker's rule: a template that shows the size computes it */
    if (format && strstr(format, ".Size"))
        q.size = true;
    if (watch > 0 && !quiet && q.shape == PS_TEMPLATE)
        return ps_watch(rt, &q, format, noheading, watch, err);
    return ps_once(rt, &q, format, quiet, noheading, err);
}

#define PS_DESC "Prints out information about the containers: by default the running ones,\n" \
    "with -a all of them. STATUS reads \"Up 3 minutes ago\", \"Exited (0) 2 seconds ago\",\n" \
    "\"Created\" and so on. ps takes no locks and writes nothing: a container whose\n" \
    "process is gone is shown exited even before its cleanup ran.\n\n" \
    "--format json prints podman's JSON objects (Id, Names, State, Status, ...);\n" \
    "templates see podman's template fields: .ID .Image .ImageID .Command .CreatedHuman\n" \
    ".RunningFor .Created .CreatedAt .Status .State .Ports .Names .Labels .Mounts .Size\n" \
    ".Networks .Pid .ExitCode .Exited .ExitedAt .StartedAt .AutoRemove .Pod .PodName.\n\n" \
    "Filters: id=REGEX, name=REGEX, status=created|running|paused|exited|..., label=KEY[=VALUE],\n" \
    "ancestor=IMAGE, exited=CODE, before=CONTAINER, since=CONTAINER, volume=NAME|SOURCE[:DEST],\n" \
    "pod=POD, health=starting|healthy|unhealthy, restart-policy=POLICY,\n" \
    "network=NETWORK|container:CONTAINER (a network by name or id; or the container whose\n" \
    "network namespace a container joins), until=TIMESTAMP|DURATION (created before it; a\n" \
    "duration counts back from now). Several values of one key match any of them (labels:\n" \
    "all of them); different keys must all match."
#define PS_EXAMPLES "berth ps -a\n" \
    "berth ps -a --format \"{{.ID}}  {{.Image}}  {{.Labels}}  {{.Mounts}}\"\n" \
    "berth ps --size --sort names\n" \
    "berth ps -a --filter status=exited --filter label=app=web -q"

const struct cmd cmd_ps = {
    .name = "ps", .summary = "List containers", .usage = "[options]",
    .description = PS_DESC, .examples = PS_EXAMPLES, .opts = ps_opts, .fn = ps_fn,
    .need = RT_FULL,
};
