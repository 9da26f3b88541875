/*
 * cmd/pod_stats.c: berth pod stats: the resource use of every container
 * of the chosen pods (the infra among them), one row each, as podman
 * 4.3.1 prints it. Each container is sampled through cmd/stats.h (the
 * same sample and CPU % as `stats`, runtime/ctr_stats.c); the members
 * come from runtime/pod.c.
 *
 * podman's quirks kept: no operand and no flag means every pod; a
 * container not running shows "--" everywhere; a pair of zeros shows
 * "-- / --"; the default table with nothing to show prints a row of
 * "--"; a user template prints a header line even without "table" (and
 * nothing at all when there is no row); reports come every second.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/stats.h"
#include "runtime/container.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/out.h"
#include "util/str.h"

enum { PS_FORMAT = 256, PS_NO_RESET, PS_NO_STREAM };

static const struct cmd_opt pod_stats_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Show every pod (the default when no pod is named)", 0 },
    { "format", PS_FORMAT, OPT_ARG, "string", "'json' or a Go template, e.g. '{{.Pod}} {{.Name}} {{.CPU}}'", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest pod berth is aware of", 0 },
    { "no-reset", PS_NO_RESET, OPT_FLAG, NULL, "Do not clear the screen between reports", 0 },
    { "no-stream", PS_NO_STREAM, OPT_FLAG, NULL, "Print one report and exit", 0 },
    { 0 }
};

/* A user template's headers: these, and the others made from the field
 * names ("NetIO" -> "NET IO", "Mem" -> "MEM") as podman makes them. */
static const struct out_header pod_stats_headers[] = {
    { "CPU", "CPU %" }, { "MemUsage", "MEM USAGE/ LIMIT" },
    { "MemUsageBytes", "MEM USAGE/ LIMIT" },
    { 0 }
};

static char *header_of(const char *field)
{
    for (const struct out_header *x = pod_stats_headers; x->field; x++)
        if (!strcmp(x->field, field))
            return str_dup(x->header);
    return out_header_name(field);
}

#define POD_STATS_TABLE "table {{.Pod}}\t{{.CID}}\t{{.Name}}\t{{.CPU}}\t{{.MemUsage}}\t{{.Mem}}\t" \
    "{{.NetIO}}\t{{.BlockIO}}\t{{.PIDS}}"

/* The default table's header: its MEM % is not the template's MEM. */
static const struct out_header pod_table_headers[] = {
    { "CPU", "CPU %" }, { "MemUsage", "MEM USAGE/ LIMIT" }, { "Mem", "MEM %" },
    { 0 }
};

struct pod_stats_args {
    bool all, latest, no_reset, no_stream;
    const char *format;
    char **names;
};

/* "a / b", or podman's "-- / --" for two zeros */
static char *pair(unsigned long long a, unsigned long long b, bool bin)
{
    return a || b ? stats_two_sizes(a, b, bin) : str_dup("-- / --");
}

/* One row, podman's PodStatsReport (its field order is its JSON's). */
static json_t *pod_stats_item(const char *pod_id, const struct ctr_stats *s, double cpu)
{
    char cpup[32] = "--", memp[32] = "--", pids[32] = "--";
    _cleanup_free_ char *mem = NULL, *memb = NULL, *net = NULL, *blk = NULL;
    bool on = s->running;

    if (on) {
        snprintf(cpup, sizeof(cpup), "%.2f%%", cpu);
        snprintf(memp, sizeof(memp), "%.2f%%",
                 s->mem_limit ? 100.0 * (double) s->mem_usage / (double) s->mem_limit : 0);
        if (s->pids)
            snprintf(pids, sizeof(pids), "%llu", s->pids);
    }
    mem = on ? pair(s->mem_usage, s->mem_limit, false) : str_dup("-- / --");
    memb = on ? pair(s->mem_usage, s->mem_limit, true) : str_dup("-- / --");
    net = on ? pair(s->net_in, s->net_out, false) : str_dup("-- / --");
    blk = on ? pair(s->blk_in, s->blk_out, false) : str_dup("-- / --");
    if (!mem || !memb || !net || !blk)
        return NULL;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s#, s:s#, s:s}",
                     "CPU", cpup, "MemUsage", mem, "MemUsageBytes", memb, "Mem", memp,
                     "NetIO", net, "BlockIO", blk, "PIDS", pids,
                     "Pod", pod_id, (int) strnlen(pod_id, 12), "CID", s->id,
                     (int) strnlen(s->id, 12), "Name", s->name ? s->name : "");
}

/* The pods of this report, by id: named (each must exist), the latest,
 * or all. */
static int pod_targets(struct runtime *rt, const struct pod_stats_args *a, char ***ids,
                       struct berr **err)
{
    char id[STATE_ID_LEN + 1];

    if (!a->names && !a->latest)
        return pod_list_ids(rt, ids, err);
    if (!(*ids = calloc(1, sizeof(char *))))
        return berr_oom(err);
    if (a->latest)
        return pod_latest(rt, id, err) < 0 || strv_push(ids, id) < 0 ? -1 : 0;
    for (size_t i = 0; a->names[i]; i++) {
        _cleanup_pod_ struct pod *p = NULL;
        if (pod_get(rt, a->names[i], &p, err) < 0)
            return -1;
        if (strv_push(ids, p->id) < 0)
            return berr_oom(err);
    }
    return 0;
}

/* Rows of every member of pod pod_id; a member removed meanwhile is
 * skipped, so is a pod removed meanwhile. */
static int sample_pod(struct runtime *rt, const char *pod_id, struct stats_history *h,
                      json_t *items, struct berr **err)
{
    struct pod_member *m = NULL;
    size_t n = 0;
    int r = 0;

    if (pod_members(rt, pod_id, &m, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n && r == 0; i++) {
        _cleanup_ctr_ struct ctr *c = NULL;
        struct ctr_stats s;
        double cpu, avg;
        json_t *item;

        if (ctr_get_id(rt, m[i].id, &c, err) < 0) {
            if ((*err)->kind != BK_NO_SUCH)
                r = -1;
            else
                berr_freep(err);
            continue;
        }
        if (stats_take(rt, c, h, &s, &cpu, &avg, err) < 0) {
            r = -1;
            break;
        }
        item = pod_stats_item(pod_id, &s, cpu);
        ctr_stats_clear(&s);
        if (!item || json_array_append_new(items, item) < 0)
            r = berr_oom(err);
    }
    pod_members_free(m, n);
    return r;
}

static int print_report(const struct pod_stats_args *a, json_t *items, struct berr **err)
{
    static const struct out_spec table = { .table = POD_STATS_TABLE, .headers = pod_table_headers };

    if (out_is_json(a->format)) {
        _cleanup_free_ char *text = json_dumps(items, JSON_INDENT(5) | JSON_PRESERVE_ORDER);
        if (!text)
            return berr_oom(err);
        printf("%s\n", text);
        return 0;
    }
    if (!a->format || out_default_table(a->format)) {
        if (json_array_size(items) == 0) {
            _cleanup_json_ json_t *dash = json_pack("[{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}]",
                "Pod", "--", "CID", "--", "Name", "--", "CPU", "--", "MemUsage", "--",
                "Mem", "--", "NetIO", "--", "BlockIO", "--", "PIDS", "--");
            return dash ? out_list(stdout, NULL, dash, &table, false, err) : berr_oom(err);
        }
        return out_list(stdout, NULL, items, &table, false, err);
    }
    if (json_array_size(items) == 0)
        return 0;
    /* podman 4.3.1 heads a user template with its fields' names, "table"
     * or not: without it, a first line rendered over the names */
    static const struct out_spec user = { .headers = pod_stats_headers };
    if (!strncmp(a->format, "table ", 6))
        return out_list(stdout, a->format, items, &user, false, err);
    _cleanup_json_ json_t *rows = json_array(), *head = json_object();
    json_t *v;
    const char *k;
    if (!rows || !head)
        return berr_oom(err);
    json_object_foreach(json_array_get(items, 0), k, v) {
        _cleanup_free_ char *h = header_of(k);
        if (!h || json_object_set_new(head, k, json_string(h)) < 0)
            return berr_oom(err);
    }
    if (json_array_append(rows, head) < 0 || json_array_extend(rows, items) < 0)
        return berr_oom(err);
    return out_list(stdout, a->format, rows, NULL, false, err);
}

static int pod_stats_loop(struct runtime *rt, const struct pod_stats_args *a, struct berr **err)
{
    struct stats_history h = { 0 };
    int r = 0;

    for (;;) {
        _cleanup_json_ json_t *items = json_array();
        _cleanup_strv_ char **ids = NULL;
        if (!items) {
            r = berr_oom(err);
            break;
        }
        if (pod_targets(rt, a, &ids, err) < 0) {
            r = berr_wrap(err, "unable to get list of pods");
            break;
        }
        for (size_t i = 0; ids[i] && r == 0; i++)
            r = sample_pod(rt, ids[i], &h, items, err);
        if (r < 0)
            break;
        /* podman clears a terminal only */
        if (!a->no_reset && !out_is_json(a->format) && isatty(STDOUT_FILENO))
            fputs("\033[2J\033[1;1H", stdout);
        if ((r = print_report(a, items, err)) < 0 || a->no_stream)
            break;
        if (fflush(stdout) != 0) {
            r = berr_sys(err, "write output");
            break;
        }
        sleep(1);
    }
    stats_history_free(&h);
    return r;
}

/* A bad template fails before any report: rendered once over a row. */
static int check_format(const char *format, struct berr **err)
{
    struct ctr_stats zero = { .name = (char *) "" };
    _cleanup_json_ json_t *item = pod_stats_item("", &zero, 0);

    return stats_check_format(format, item, err);
}

static int pod_stats_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct pod_stats_args a = { 0 };
    struct runtime *rt;
    int c, r;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': a.all = it.bval; break;
        case 'l': a.latest = it.bval; break;
        case PS_FORMAT: a.format = it.arg; break;
        case PS_NO_RESET: a.no_reset = it.bval; break;
        case PS_NO_STREAM: a.no_stream = it.bval; break;
        }
    }
    if (c == 0 && !it.help && a.all + a.latest + (it.nargs > 0) > 1)
        c = berr_msg(err, "--all, --latest and arguments cannot be used together");
    if (c == 0 && !it.help && check_format(a.format, err) < 0)
        c = -1;
    if ((c = cmd_begin(cx, &it, c, 0, -1, &rt, err)) <= 0)
        return c;
    a.names = it.nargs ? it.args : NULL;
    r = pod_stats_loop(rt, &a, err);
    opt_free(&it);
    return r;
}

const struct cmd cmd_pod_stats = {
    .name = "stats",
    .summary = "Display a live stream of resource usage statistics for the containers in one or more pods",
    .usage = "[options] [POD...]",
    .description =
        "Shows CPU %, memory use and limit, network and block I/O and PIDs of every\n"
        "container of the named pods (--latest: the newest pod; none named or --all:\n"
        "every pod), the infra container included, again every second until\n"
        "interrupted, the screen cleared between reports unless --no-reset;\n"
        "--no-stream prints one report. The numbers are `berth stats`' (CPU %: the\n"
        "CPU time between two reports over the time between them, the first one\n"
        "since the container started); a container that is not running shows \"--\".\n"
        "--format json prints podman's keys; templates see podman's fields: Pod, CID,\n"
        "Name, CPU, MemUsage, MemUsageBytes, Mem, NetIO, BlockIO, PIDS. As podman\n"
        "4.3.1 does, a template prints a header line even without \"table\".",
    .examples = "berth pod stats --no-stream\n"
                "berth pod stats --no-stream web\n"
                "berth pod stats --no-stream --format json --latest",
    .opts = pod_stats_opts, .fn = pod_stats_fn, .need = RT_FULL,
};
