/*
 * cmd/pod_ps.c: berth pod ps (pod ls, pod list), podman 4.3.1's columns,
 * filters and sort keys, over runtime/pod.c's records and members, read
 * without locks.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/ctropts_int.h"
#include "runtime/container.h"
#include "runtime/net/net.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/out.h"
#include "util/str.h"
#include "util/timefmt.h"

enum { O_CTR_IDS = 256, O_CTR_NAMES, O_CTR_STATUS, O_FORMAT, O_NOHEADING, O_NO_TRUNC, O_NS, O_SORT };

static const struct cmd_opt ps_opts[] = {
    { "ctr-ids", O_CTR_IDS, OPT_FLAG, NULL, "Show the ids of the containers in each pod", 0 },
    { "ctr-names", O_CTR_NAMES, OPT_FLAG, NULL, "Show the names of the containers in each pod", 0 },
    { "ctr-status", O_CTR_STATUS, OPT_FLAG, NULL, "Show the states of the containers in each pod", 0 },
    { "filter", 'f', OPT_ARG, "strings", "Filter: id=, name=, label=, status=, ctr-names=, ctr-ids=, ctr-status=, ctr-number=, network=, until=", 0 },
    { "format", O_FORMAT, OPT_ARG, "string", "'json' or a Go template, e.g. '{{.ID}} {{.Name}}'", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Show only the latest pod", 0 },
    { "noheading", O_NOHEADING, OPT_FLAG, NULL, "Do not print headers", 0 },
    { "no-trunc", O_NO_TRUNC, OPT_FLAG, NULL, "Do not truncate ids", 0 },
    { "ns", O_NS, OPT_FLAG, NULL, "Show the pod's cgroup and libpod namespace", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Print pod ids only", 0 },
    { "sort", O_SORT, OPT_ARG, "string", "Sort by created (default, newest first), id, name, number or status", 0 },
    { 0 }
};

static const struct out_header ps_headers[] = {
    { "ID", "POD ID" }, { "InfraID", "INFRA ID" }, { "NumberOfContainers", "# OF CONTAINERS" },
    { "ContainerIds", "IDS" }, { "ContainerNames", "NAMES" }, { "ContainerStatuses", "STATUS" },
    { "Namespace", "NAMESPACES" }, { 0 }
};

struct ps_opts {
    bool ids, names, status, no_trunc, ns, quiet, latest, noheading;
    const char *format, *sort;
    strv filters;
};

/* One pod as listings see it. */
struct row {
    struct pod_config cfg;
    struct pod_member *m;
    size_t n;
    const char *status;
    char *broken;               /* "Error: <why its record does not read>" */
};

static void rows_free(struct row *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].broken);
        pod_config_free(&r[i].cfg);
        pod_members_free(r[i].m, r[i].n);
    }
    free(r);
}

static bool pod_re_match(const char *re, const char *s)
{
    regex_t rx;
    bool ok;

    if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    ok = regexec(&rx, s, 0, NULL, 0) == 0;
    regfree(&rx);
    return ok;
}

static const char *const filter_keys[] = {
    "id", "name", "label", "status", "ctr-names", "ctr-ids", "ctr-status", "ctr-number", "until",
    "network", NULL,
};

static bool in_list(const char *v, const char *const *list)
{
    for (size_t j = 0; list[j]; j++)
        if (str_eq(v, list[j]))
            return true;
    return false;
}

/* podman's checks and words: the form, the key, the status values */
static int check_filters(char *const *f, struct berr **err)
{
    static const char *const pod_states[] = { "stopped", "running", "paused", "exited", "dead",
                                              "created", "degraded", NULL };
    static const char *const ctr_states[] = { "created", "running", "paused", "stopped",
                                              "exited", "unknown", NULL };

    for (size_t i = 0; f && f[i]; i++) {
        const char *eq = strchr(f[i], '=');
        size_t k = eq ? (size_t) (eq - f[i]) : strlen(f[i]);
        bool known = false;
        if (!eq)
            return berr_msg(err, "filter input must be in the form of filter=value: %s is invalid",
                            f[i]);
        for (size_t j = 0; filter_keys[j]; j++)
            known |= strlen(filter_keys[j]) == k && strncmp(filter_keys[j], f[i], k) == 0;
        if (!known)
            return berr_msg(err, "%.*s is an invalid filter", (int) k, f[i]);
        if (k == 6 && !strncmp(f[i], "status", 6) && !in_list(eq + 1, pod_states))
            return berr_msg(err, "%s is not a valid pod status", eq + 1);
        if (k == 10 && !strncmp(f[i], "ctr-status", 10) && !in_list(eq + 1, ctr_states))
            return berr_msg(err, "%s is not a valid status", eq + 1);
    }
    return 0;
}

/* One filter key=v against the pod (podman: values of one key OR'ed,
 * keys AND'ed; the caller does the grouping). */
static bool filter_one(const struct row *r, const char *key, const char *v)
{
    if (str_eq(key, "id"))
        return pod_re_match(v, r->cfg.id);
    if (str_eq(key, "name"))
        return pod_re_match(v, r->cfg.name);
    if (str_eq(key, "status"))
        return strcasecmp(v, r->status) == 0;
    if (str_eq(key, "label")) {
        const char *eq = strchr(v, '=');
        _cleanup_free_ char *k = str_ndup(v, eq ? (size_t) (eq - v) : strlen(v));
        json_t *have = k ? json_object_get(r->cfg.labels, k) : NULL;
        return have && (!eq || str_eq(json_string_value(have), eq + 1));
    }
    /* network=: resolved to the network's name first (resolve_networks);
     * the networks the pod's infra container joins */
    if (str_eq(key, "network")) {
        size_t i;
        json_t *n;
        json_array_foreach(json_object_get(r->cfg.infra_config, "Networks"), i, n)
            if (*v && str_eq(json_string_value(n), v))
                return true;
        return false;
    }
    if (str_eq(key, "ctr-number")) {
        long long want;
        return str_to_ll(v, &want) == 0 && want == (long long) r->n;
    }
    if (str_eq(key, "until")) {
        /* podman: pods created before; a value that does not parse
         * matches none (no error) */
        struct timespec now, t;
        struct berr *e = NULL;
        clock_gettime(CLOCK_REALTIME, &now);
        if (time_parse_filter(v, now, &t, &e) < 0) {
            berr_free(e);
            return false;
        }
        return r->cfg.created_ns < (long long) t.tv_sec * 1000000000LL + t.tv_nsec;
    }
    for (size_t i = 0; i < r->n; i++) {
        if ((str_eq(key, "ctr-names") && pod_re_match(v, r->m[i].name)) ||
            (str_eq(key, "ctr-ids") && pod_re_match(v, r->m[i].id)) ||
            (str_eq(key, "ctr-status") && str_eq(v, ctr_state_shown(r->m[i].state))))
            return true;
    }
    return false;
}

/* network=NAME|ID: the network's name, "" (matches nothing) for none
 * (podman's pod filter skips a network that does not exist) */
static int resolve_networks(struct runtime *rt, char **f, struct berr **err)
{
    struct net_env env;
    bool have = false;

    for (size_t i = 0; f && f[i]; i++) {
        char *name = NULL;
        if (!str_has_prefix(f[i], "network="))
            continue;
        if (!have)
            net_env_from_rt(rt, &env);
        have = true;
        if (net_filter_name(&env, f[i] + 8, &name, err) < 0)
            return -1;
        free(f[i]);
        f[i] = str_fmt("network=%s", name ? name : "");
        free(name);
        if (!f[i])
            return berr_oom(err);
    }
    return 0;
}

static bool filters_match(const struct row *r, char *const *f)
{
    for (size_t i = 0; f && f[i]; i++) {
        size_t k = strcspn(f[i], "=");
        bool any = false;
        /* the first filter of its key decides for every filter of that key */
        bool first = true;
        for (size_t j = 0; j < i; j++)
            if (strncmp(f[j], f[i], k + 1) == 0)
                first = false;
        if (!first)
            continue;
        for (size_t j = i; f[j]; j++)
            if (strncmp(f[j], f[i], k + 1) == 0) {
                _cleanup_free_ char *key = str_ndup(f[j], k);
                any |= key && filter_one(r, key, f[j] + k + 1);
            }
        if (!any)
            return false;
    }
    return true;
}

static const char *sort_key;

static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;

    if (str_eq(sort_key, "id"))
        return strcmp(x->cfg.id, y->cfg.id);
    if (str_eq(sort_key, "name"))
        return strcmp(x->cfg.name, y->cfg.name);
    if (str_eq(sort_key, "status"))
        return strcmp(x->status, y->status);
    if (str_eq(sort_key, "number"))
        return x->n < y->n ? -1 : x->n > y->n;
    /* created: newest first */
    return x->cfg.created_ns > y->cfg.created_ns ? -1 : x->cfg.created_ns < y->cfg.created_ns;
}

/* A pod whose record does not read is listed on a row of its own, as
 * ps -a lists a damaged container: its id, "<broken>" for its name and
 * the reason as its status; *e (its read error) is replaced. */
static int broken_row(struct runtime *rt, const char *id, struct row *r, struct berr **e)
{
    _cleanup_free_ char *why = NULL;

    if ((*e)->kind != BK_CORRUPT)
        return -1;
    berr_freep(e);
    if (pod_damage(rt, id, &why, e) < 0)
        return -1;
    if (!why)           /* it reads now: mended meanwhile */
        return pod_read(rt, id, &r->cfg, e);
    if (!(r->cfg.id = str_dup(id)) || !(r->cfg.name = str_dup("<broken>")) ||
        !(r->cfg.ns = str_dup("")) || !(r->cfg.labels = json_object()) ||
        !(r->broken = str_fmt("Error: %s", why)))
        return berr_oom(e);
    return 0;
}

static int load(struct runtime *rt, const struct ps_opts *o, struct row **out, size_t *nout,
                struct berr **err)
{
    _cleanup_strv_ strv ids = NULL;
    struct row *r;
    size_t k = 0;

    if (pod_list_ids(rt, &ids, err) < 0)
        return -1;
    if (!(r = calloc(strv_len(ids) + 1, sizeof(*r))))
        return berr_oom(err);
    for (size_t i = 0; ids[i]; i++) {
        struct berr *e = NULL;
        if (pod_read(rt, ids[i], &r[k].cfg, &e) < 0 && broken_row(rt, ids[i], &r[k], &e) < 0) {
            bool gone = e->kind == BK_NO_SUCH;
            if (!gone) {
                rows_free(r, k + 1);
                berr_free(*err);
                *err = e;
                return -1;
            }
            berr_free(e);       /* removed meanwhile: not listed */
            continue;
        }
        berr_freep(&e);
        if (pod_members(rt, ids[i], &r[k].m, &r[k].n, err) < 0) {
            rows_free(r, k + 1);
            return -1;
        }
        r[k].status = r[k].broken ? r[k].broken : pod_status(r[k].m, r[k].n);
        if (filters_match(&r[k], o->filters))
            k++;
        else {
            free(r[k].broken);
            pod_config_free(&r[k].cfg);
            pod_members_free(r[k].m, r[k].n);
            memset(&r[k], 0, sizeof(r[k]));
        }
    }
    sort_key = o->latest ? NULL : o->sort;
    qsort(r, k, sizeof(*r), row_cmp);
    if (o->latest && k > 1) {
        for (size_t i = 1; i < k; i++) {
            free(r[i].broken);
            pod_config_free(&r[i].cfg);
            pod_members_free(r[i].m, r[i].n);
        }
        k = 1;
    }
    *out = r;
    *nout = k;
    return 0;
}

static json_t *row_json(const struct row *r)
{
    json_t *ctrs = json_array(), *nets = json_object_get(r->cfg.infra_config, "Networks");
    struct timespec ts = { (time_t) (r->cfg.created_ns / 1000000000LL),
                           (long) (r->cfg.created_ns % 1000000000LL) };
    char created[TIME_BUF];

    time_rfc3339nano(ts, created, sizeof(created));
    for (size_t i = 0; ctrs && i < r->n; i++)
        json_array_append_new(ctrs, json_pack("{s:s, s:s, s:s}", "Id", r->m[i].id, "Names",
                                              r->m[i].name, "Status",
                                              ctr_state_shown(r->m[i].state)));
    return json_pack("{s:s, s:o*, s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:O}",
                     "Cgroup", r->cfg.cgroup_parent ? r->cfg.cgroup_parent : "/berth_parent",
                     "Containers", ctrs, "Created", created, "Id", r->cfg.id,
                     "InfraId", r->cfg.infra_id ? r->cfg.infra_id : "", "Name", r->cfg.name,
                     "Namespace", r->cfg.ns, "Networks", nets ? nets : json_array(),
                     "Status", r->status, "Labels", r->cfg.labels);
}

/* The fields templates and the table see (podman's ListPodReporter). */
static json_t *row_tmpl(const struct row *r, bool no_trunc)
{
    int w = no_trunc ? 64 : 12;
    _cleanup_free_ char *ago = r->broken ? str_dup("") : hum_ago((double) r->cfg.created_ns / 1e9);
    _cleanup_strv_ strv ids = NULL, names = NULL, sts = NULL;
    _cleanup_free_ char *jid = NULL, *jn = NULL, *js = NULL, *jnet = NULL;
    _cleanup_strv_ strv nets = js_to_strv(json_object_get(r->cfg.infra_config, "Networks"));
    json_t *o;

    for (size_t i = 0; i < r->n; i++)
        if (strv_pushf(&ids, "%.*s", w, r->m[i].id) < 0 || strv_push(&names, r->m[i].name) < 0 ||
            strv_push(&sts, ctr_state_shown(r->m[i].state)) < 0)
            return NULL;
    jid = strv_join(ids, ",");
    jn = strv_join(names, ",");
    js = strv_join(sts, ",");
    jnet = strv_join(nets, ",");
    if (!ago || !jid || !jn || !js || !jnet)
        return NULL;
    o = json_pack("{s:s%, s:s, s:s, s:s, s:s%, s:I, s:s, s:s, s:s, s:s, s:s, s:O, s:s}",
                  "ID", r->cfg.id, (size_t) w, "Name", r->cfg.name, "Status", r->status,
                  "Created", ago, "InfraID", r->cfg.infra_id ? r->cfg.infra_id : "",
                  (size_t) (r->cfg.infra_id ? w : 0), "NumberOfContainers", (json_int_t) r->n,
                  "ContainerIds", jid, "ContainerNames", jn, "ContainerStatuses", js,
                  "Cgroup", r->cfg.cgroup_parent ? r->cfg.cgroup_parent : "/berth_parent",
                  "Namespace", r->cfg.ns, "Labels", r->cfg.labels, "Networks", jnet);
    return o;
}

static char *default_table(const struct ps_opts *o)
{
    return str_fmt("table {{.ID}}\t{{.Name}}\t{{.Status}}\t{{.Created}}\t{{.InfraID}}%s%s%s%s%s",
                   o->ns ? "\t{{.Cgroup}}\t{{.Namespace}}" : "",
                   o->ids ? "\t{{.ContainerIds}}" : "", o->names ? "\t{{.ContainerNames}}" : "",
                   o->status ? "\t{{.ContainerStatuses}}" : "",
                   o->ids || o->names || o->status ? "" : "\t{{.NumberOfContainers}}");
}

static int ps_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct ps_opts o = { 0 };
    struct runtime *rt;
    struct opt_it it;
    struct row *rows = NULL;
    size_t n = 0;
    _cleanup_json_ json_t *items = json_array();
    _cleanup_free_ char *table = NULL;
    int c, rc = 0;

    if (!items)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case O_CTR_IDS: o.ids = it.bval; break;
        case O_CTR_NAMES: o.names = it.bval; break;
        case O_CTR_STATUS: o.status = it.bval; break;
        case 'f': rc = cp_split_csv(it.arg, &o.filters, err); break;
        case O_FORMAT: o.format = it.arg; break;
        case 'l': o.latest = it.bval; break;
        case O_NOHEADING: o.noheading = it.bval; break;
        case O_NO_TRUNC: o.no_trunc = it.bval; break;
        case O_NS: o.ns = it.bval; break;
        case 'q': o.quiet = it.bval; break;
        case O_SORT: o.sort = it.arg; break;
        }
    }
    if (rc < 0)
        c = -1;
    if (c == 0 && !it.help && o.quiet && o.format && *o.format)
        c = berr_msg(err, "quiet and format cannot be used together");
    if (c == 0 && !it.help && o.sort && !str_eq(o.sort, "created") && !str_eq(o.sort, "id") &&
        !str_eq(o.sort, "name") && !str_eq(o.sort, "number") && !str_eq(o.sort, "status"))
        c = berr_msg(err, "invalid option for --sort, options are: id, names, or number");
    if (c == 0 && !it.help)
        c = check_filters(o.filters, err);
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0) {
        strv_free(o.filters);
        return c < 0 ? -1 : 0;
    }
    rc = cx_runtime(cx, RT_FULL, &rt, err) < 0 || resolve_networks(rt, o.filters, err) < 0
             ? -1 : load(rt, &o, &rows, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *j;
        if (o.quiet) {
            /* podman 4.3.1 prints the full id, --no-trunc or not */
            printf("%s\n", rows[i].cfg.id);
            continue;
        }
        j = out_is_json(o.format) ? row_json(&rows[i]) : row_tmpl(&rows[i], o.no_trunc);
        if (!j || json_array_append_new(items, j) < 0)
            rc = berr_oom(err);
    }
    rows_free(rows, n);
    strv_free(o.filters);
    if (rc < 0 || o.quiet)
        return rc;
    if (out_is_json(o.format))
        return out_json_indent(stdout, items, 2, err);      /* podman's indent here */
    if (out_default_table(o.format) && !(table = default_table(&o)))
        return berr_oom(err);
    {
        struct out_spec spec = { .table = table, .headers = ps_headers };
        return out_list(stdout, table ? table : o.format, items, &spec, o.noheading, err);
    }
}

const struct cmd cmd_pod_ps = {
    .name = "ps",
    .aliases = "ls list",
    .summary = "List pods",
    .usage = "[options]",
    .description =
        "Lists pods, newest first, with the status podman derives from their containers:\n"
        "Created, Running (all running), Degraded (some running), Paused, Exited (all exited),\n"
        "Stopped (some exited), Error. Filters of one key match when any value does; different\n"
        "keys must all match.",
    .examples = "berth pod ps\nberth pod ps --ctr-names --ctr-status\n"
                "berth pod ps --filter name=web --format '{{.ID}} {{.Status}}'",
    .opts = ps_opts, .fn = ps_fn, .need = RT_FULL,
};
