/*
 * cmd/stats.c: stats / container stats, containers' resource use
 * (runtime/ctr_stats.c samples a container), as podman 4.3.1 prints it:
 * its columns, units (sizes in 1000 units, MemUsageBytes in 1024
 * units), its JSON and its Go template fields.
 *
 * CPU % is the CPU time used between two samples over the wall time
 * between them; the first sample's is since the container started.
 * AVG CPU % is the mean of a container's samples so far.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/stats.h"
#include "runtime/container.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/out.h"
#include "util/str.h"
#include "util/timefmt.h"

enum { S_FORMAT = 256, S_NO_RESET, S_NO_STREAM, S_NO_TRUNC };

static const struct cmd_opt stats_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Show all containers (only running ones by default)", 0 },
    { "format", S_FORMAT, OPT_ARG, "string", "'json' or a Go template, e.g. '{{.Name}} {{.CPUPerc}}'", 0 },
    { "interval", 'i', OPT_ARG, "int", "Seconds between reports (default 5)", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "no-reset", S_NO_RESET, OPT_FLAG, NULL, "Do not clear the screen between reports", 0 },
    { "no-stream", S_NO_STREAM, OPT_FLAG, NULL, "Print one report and exit", 0 },
    { "no-trunc", S_NO_TRUNC, OPT_FLAG, NULL, "Do not truncate output", 0 },
    { 0 }
};

static const struct out_header stats_headers[] = {
    { "ID", "ID" }, { "ContainerID", "CONTAINER ID" }, { "Name", "NAME" },
    { "CPUPerc", "CPU %" }, { "MemUsage", "MEM USAGE / LIMIT" },
    { "MemUsageBytes", "MEM USAGE / LIMIT" }, { "MemPerc", "MEM %" }, { "NetIO", "NET IO" },
    { "BlockIO", "BLOCK IO" }, { "PIDS", "PIDS" }, { "UpTime", "CPU TIME" },
    { "AVGCPU", "AVG CPU %" }, { "AvgCPU", "AVG CPU" }, { "CPU", "CPU" },
    { 0 }
};

#define STATS_TABLE "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t" \
    "{{.NetIO}}\t{{.BlockIO}}\t{{.PIDS}}\t{{.UpTime}}\t{{.AVGCPU}}"

struct stats_args {
    bool all, latest, no_reset, no_stream, no_trunc;
    const char *format;
    long long interval;
    char **names;
};

/* What a container's earlier samples leave for the next. */
struct stats_prev {
    char id[STATE_ID_LEN + 1];
    unsigned long long cpu_ns;
    long long sampled_ns;
    double sum;
    long n;
};

void stats_history_free(struct stats_history *h)
{
    free(h->v);
    h->v = NULL;
    h->n = 0;
}

static struct stats_prev *prev_of(struct stats_history *h, const char *id)
{
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(h->v[i].id, id))
            return &h->v[i];
    struct stats_prev *v = realloc(h->v, (h->n + 1) * sizeof(*v));
    if (!v)
        return NULL;
    h->v = v;
    memset(&v[h->n], 0, sizeof(*v));
    snprintf(v[h->n].id, sizeof(v[h->n].id), "%s", id);
    return &v[h->n++];
}

int stats_take(struct runtime *rt, struct ctr *c, struct stats_history *h, struct ctr_stats *s,
               double *cpu, double *avg, struct berr **err)
{
    struct stats_prev *p;

    if (ctr_stats_sample(rt, c, s, err) < 0)
        return -1;
    if (!(p = prev_of(h, s->id))) {
        ctr_stats_clear(s);
        return berr_oom(err);
    }
    *cpu = 0;
    if (s->running && p->n && s->sampled_ns > p->sampled_ns)
        *cpu = 100.0 * (double) (s->cpu_ns - p->cpu_ns) / (double) (s->sampled_ns - p->sampled_ns);
    else if (s->running && s->started_ns > 0 && s->sampled_ns > s->started_ns)
        *cpu = 100.0 * (double) s->cpu_ns / (double) (s->sampled_ns - s->started_ns);
    p->cpu_ns = s->cpu_ns;
    p->sampled_ns = s->sampled_ns;
    p->sum += *cpu;
    p->n++;
    *avg = p->sum / (double) p->n;
    return 0;
}

char *stats_two_sizes(unsigned long long a, unsigned long long b, bool bin)
{
    _cleanup_free_ char *x = bin ? hum_size_bin((double) a) : hum_size_prec((double) a, 4, "");
    _cleanup_free_ char *y = bin ? hum_size_bin((double) b) : hum_size_prec((double) b, 4, "");

    return x && y ? str_fmt("%s / %s", x, y) : NULL;
}

/* The item templates and JSON read: podman's field names. */
static json_t *stats_item(const struct ctr_stats *s, double cpu, double avg, bool no_trunc)
{
    char dur[64], cpup[32], avgp[32], memp[32], pids[32];
    double memperc = s->mem_limit ? 100.0 * (double) s->mem_usage / (double) s->mem_limit : 0;
    _cleanup_free_ char *mem = stats_two_sizes(s->mem_usage, s->mem_limit, false);
    _cleanup_free_ char *memb = stats_two_sizes(s->mem_usage, s->mem_limit, true);
    _cleanup_free_ char *net = stats_two_sizes(s->net_in, s->net_out, false);
    _cleanup_free_ char *blk = stats_two_sizes(s->blk_in, s->blk_out, false);

    if (!mem || !memb || !net || !blk)
        return NULL;
    time_go_duration((long long) s->cpu_ns, dur, sizeof(dur));
    snprintf(cpup, sizeof(cpup), "%.2f%%", cpu);
    snprintf(avgp, sizeof(avgp), "%.2f%%", avg);
    snprintf(memp, sizeof(memp), "%.2f%%", memperc);
    snprintf(pids, sizeof(pids), "%llu", s->pids);
    return json_pack("{s:s#, s:s, s:s, s:s, s:s, s:f, s:f, s:I, s:I, s:I, s:I, s:s, s:s,"
                     " s:s, s:s, s:I, s:s, s:s, s:I, s:I, s:s, s:I, s:I, s:s, s:I}",
                     "ID", s->id, no_trunc ? (int) strlen(s->id) : 12, "ContainerID", s->id,
                     "Name", s->name, "CPUPerc", cpup, "AVGCPU", avgp, "CPU", cpu,
                     "AvgCPU", avg, "CPUNano", (json_int_t) s->cpu_ns,
                     "CPUSystemNano", (json_int_t) s->cpu_system_ns,
                     "SystemNano", (json_int_t) s->sampled_ns,
                     "Duration", (json_int_t) s->cpu_ns, "UpTime", dur, "Up", dur,
                     "MemUsage", mem, "MemUsageBytes", memb,
                     "MemLimit", (json_int_t) s->mem_limit, "MemPerc", memp, "NetIO", net,
                     "NetInput", (json_int_t) s->net_in, "NetOutput", (json_int_t) s->net_out,
                     "BlockIO", blk, "BlockInput", (json_int_t) s->blk_in,
                     "BlockOutput", (json_int_t) s->blk_out, "PIDS",
                     pids, "PIDs", (json_int_t) s->pids);
}

/* podman's --format json: its own keys, all strings, one-space indent. */
static int print_json(json_t *items, struct berr **err)
{
    _cleanup_json_ json_t *arr = json_array();
    json_t *it;
    size_t i;

    if (!arr)
        return berr_oom(err);
    json_array_foreach(items, i, it) {
        char pids[32];
        snprintf(pids, sizeof(pids), "%lld", (long long) js_int(it, "PIDs", 0));
        if (json_array_append_new(arr, json_pack(
                "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                "id", js_str(it, "ID", ""), "name", js_str(it, "Name", ""),
                "cpu_time", js_str(it, "UpTime", ""), "cpu_percent", js_str(it, "CPUPerc", ""),
                "avg_cpu", js_str(it, "AVGCPU", ""), "mem_usage", js_str(it, "MemUsage", ""),
                "mem_percent", js_str(it, "MemPerc", ""), "net_io", js_str(it, "NetIO", ""),
                "block_io", js_str(it, "BlockIO", ""), "pids", pids)) < 0)
            return berr_oom(err);
    }
    _cleanup_free_ char *text = json_dumps(arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    if (!text)
        return berr_oom(err);
    printf("%s\n", text);
    return 0;
}

/* The containers of this report: the named ones, the latest, or every
 * (running) one. */
static int targets(struct runtime *rt, const struct stats_args *a, char ***ids,
                   struct berr **err)
{
    char id[STATE_ID_LEN + 1];

    if (a->names) {
        *ids = strv_copy(a->names);
        return *ids ? 0 : berr_oom(err);
    }
    if (a->latest) {
        if (ctr_latest(rt, id, err) < 0)
            return -1;
        *ids = calloc(2, sizeof(char *));
        if (!*ids || !((*ids)[0] = str_dup(id)))
            return berr_oom(err);
        return 0;
    }
    return ctr_list_ids(rt, ids, err);
}

/* One sample of every target, as items (a container gone meanwhile is
 * skipped unless it was named). */
static int sample_all(struct runtime *rt, const struct stats_args *a, struct stats_history *h,
                      json_t *items, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;

    if (targets(rt, a, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_ctr_ struct ctr *c = NULL;
        struct ctr_stats s;
        if (ctr_get(rt, ids[i], &c, err) < 0) {
            if (!a->names && (*err)->kind == BK_NO_SUCH) {
                berr_freep(err);
                continue;
            }
            berr_wrap(err, "unable to look up container %s", ids[i]);
            return berr_wrap(err, "unable to get list of containers");
        }
        int st = ctr_state(c);
        if (!a->names && !a->latest && !a->all && st != CS_RUNNING && st != CS_PAUSED)
            continue;
        double cpu, avg;
        if (stats_take(rt, c, h, &s, &cpu, &avg, err) < 0)
            return -1;
        json_t *item = stats_item(&s, cpu, avg, a->no_trunc);
        ctr_stats_clear(&s);
        if (!item || json_array_append_new(items, item) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int stats_loop(struct runtime *rt, const struct stats_args *a, struct berr **err)
{
    struct stats_history h = { 0 };
    struct out_spec spec = { .table = STATS_TABLE, .headers = stats_headers };
    int r = 0;

    for (;;) {
        _cleanup_json_ json_t *items = json_array();
        if (!items) {
            r = berr_oom(err);
            break;
        }
        if ((r = sample_all(rt, a, &h, items, err)) < 0)
            break;
        if (!a->no_stream && !a->no_reset)
            fputs("\033[2J\033[1;1H", stdout);
        r = out_is_json(a->format) ? print_json(items, err)
                                                    : out_list(stdout, a->format, items, &spec,
                                                               false, err);
        if (r < 0 || a->no_stream)
            break;
        if (fflush(stdout) != 0) {
            r = berr_sys(err, "write output");
            break;
        }
        sleep((unsigned) a->interval);
    }
    stats_history_free(&h);
    return r;
}

int stats_check_format(const char *format, json_t *item, struct berr **err)
{
    struct tmpl *t = NULL;
    struct sbuf sb = { 0 };
    int r;

    if (!format || out_default_table(format) || out_is_json(format))
        return 0;
    if (!strncmp(format, "table ", 6))
        format += 6;
    if (!item)
        return berr_oom(err);
    if (tmpl_parse(format, NULL, &t, err) < 0)
        return -1;
    r = tmpl_exec(t, item, &sb, err);
    tmpl_free(t);
    sbuf_free(&sb);
    return r;
}

/* A bad template fails before any report, even with no container to
 * show: it is rendered once over a zero sample. */
static int check_format(const char *format, struct berr **err)
{
    struct ctr_stats zero = { .name = (char *) "" };
    _cleanup_json_ json_t *item = stats_item(&zero, 0, 0, false);

    return stats_check_format(format, item, err);
}

static int stats_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct stats_args a = { .interval = 5 };
    struct runtime *rt;
    int c, r;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': a.all = it.bval; break;
        case 'i': c = opt_int(&it, &a.interval, err) < 0 ? -1 : c; break;
        case 'l': a.latest = it.bval; break;
        case S_FORMAT: a.format = it.arg; break;
        case S_NO_RESET: a.no_reset = it.bval; break;
        case S_NO_STREAM: a.no_stream = it.bval; break;
        case S_NO_TRUNC: a.no_trunc = it.bval; break;
        }
        if (c < 0)
            break;
    }
    if (c == 0 && !it.help && a.interval < 1)
        c = berr_msg(err, "invalid interval, must be a positive number greater zero");
    if (c == 0 && !it.help && (a.all || a.latest ? 1 : 0) + (it.nargs > 0) + (a.all && a.latest) > 1)
        c = berr_msg(err, "--all, --latest and containers cannot be used together");
    if (c == 0 && !it.help && check_format(a.format, err) < 0)
        c = -1;
    if (c < 0 || it.help) {
        opt_free(&it);
        return c < 0 ? -1 : 0;
    }
    a.names = it.nargs ? it.args : NULL;
    r = cx_runtime(cx, RT_FULL, &rt, err) < 0 ? -1 : stats_loop(rt, &a, err);
    opt_free(&it);
    return r;
}

const struct cmd cmd_stats = {
    .name = "stats",
    .summary = "Display a live stream of container resource usage statistics",
    .usage = "[options] [CONTAINER...]",
    .description =
        "Shows CPU, memory, network I/O, block I/O and PIDs of running containers\n"
        "(or -a all, zeros for those not running; or the ones named), read from\n"
        "their cgroups (v1 or v2) and network namespaces, again every --interval\n"
        "seconds until interrupted, the screen cleared between reports unless\n"
        "--no-reset; --no-stream prints one report. CPU % is the CPU time used\n"
        "between two reports over the time between them (the first: since the\n"
        "container started); AVG CPU % the mean of the reports so far. --format\n"
        "json prints podman's keys; templates see podman's fields: ID, Name,\n"
        "CPUPerc, AVGCPU, CPU, AvgCPU, CPUNano, CPUSystemNano, SystemNano, UpTime,\n"
        "MemUsage, MemUsageBytes, MemLimit, MemPerc, NetIO, NetInput, NetOutput,\n"
        "BlockIO, BlockInput, BlockOutput, PIDs, ContainerID.",
    .examples = "berth stats --all --no-stream\n"
                "berth stats web\n"
                "berth stats --no-stream --format \"table {{.ID}} {{.Name}} {{.MemUsage}}\" web",
    .opts = stats_opts, .fn = stats_fn, .need = RT_FULL,
};
