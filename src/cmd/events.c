/*
 * cmd/events.c: berth events / berth system events (SPEC-podman.md 5.2).
 * Filters, --since/--until and --format are checked before runtime init
 * and before any output; the reading (and following) is
 * runtime/events_read.c's.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/template.h"
#include "util/timefmt.h"

enum { O_FORMAT = 256, O_SINCE, O_UNTIL, O_STREAM, O_NO_TRUNC };

static const struct cmd_opt events_opts[] = {
    { "filter", 'f', OPT_ARG, "stringArray",
      "Show only matching events: container=, event=, image=, label=KEY[=VALUE], network=, "
      "pod=, status=, type=, volume= (the same key OR'ed, different keys AND'ed)", 0 },
    { "format", O_FORMAT, OPT_ARG, "string",
      "'json' for one JSON object per line, or a Go template, e.g. '{{.Status}} {{.Name}}'", 0 },
    { "no-trunc", O_NO_TRUNC, OPT_FLAG, NULL,
      "Do not truncate IDs (default true; --no-trunc=false shows 12 characters)", 0 },
    { "since", O_SINCE, OPT_ARG, "string",
      "Show events after this time: RFC3339, 2006-01-02, Unix seconds, or a duration like 10m "
      "meaning that long ago", 0 },
    { "stream", O_STREAM, OPT_FLAG, NULL,
      "Keep waiting for new events after the last one (default true)", OPT_HIDDEN },
    { "until", O_UNTIL, OPT_ARG, "string",
      "Show events before this time (same forms as --since; a duration means from now); "
      "a stream ends when it passes", 0 },
    { 0 }
};

/* podman's template data is its events.Event: these are its field names.
 * docker's names for two of them work too. */
static const struct tmpl_alias events_aliases[] = {
    { "From", "Image" },
    { "Action", "Status" },
    { 0 }
};

struct events_args {
    strv filters;
    const char *format, *since, *until;
    bool stream, no_trunc, json;
    struct tmpl *tmpl;
};

struct print_ctx {
    const struct events_args *a;
    struct berr *err;       /* a template failing on an event */
};

/* Go's time.Time.String() of the event's time, as podman prints it. */
static const char *event_time(json_t *ev, char *buf, size_t n)
{
    const char *t = js_str(ev, "Time", "");
    const char *s = time_go_string_rfc3339(t, buf, n);

    return s ? s : t;
}

static void add_attrs(struct sbuf *b, json_t *attrs)
{
    const char *k;
    json_t *v;

    json_object_foreach(attrs, k, v) {
        if (json_is_string(v)) {
            sbuf_addf(b, ", %s=%s", k, json_string_value(v));
        } else {
            _cleanup_free_ char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            sbuf_addf(b, ", %s=%s", k, d ? d : "");
        }
    }
}

/* podman's ToHumanReadable. */
static int human_line(json_t *ev, bool trunc, struct sbuf *b)
{
    char tbuf[TIME_BUF];
    const char *type = js_str(ev, "Type", ""), *status = js_str(ev, "Status", "");
    const char *id = js_str(ev, "ID", ""), *name = js_str(ev, "Name", "");
    char sid[13];

    if (trunc && strlen(id) > 12) {
        memcpy(sid, id, 12);
        sid[12] = '\0';
        id = sid;
    }
    sbuf_addf(b, "%s %s %s", event_time(ev, tbuf, sizeof(tbuf)), type, status);
    if (!strcmp(type, "container") || !strcmp(type, "pod")) {
        sbuf_addf(b, " %s (image=%s, name=%s", id, js_str(ev, "Image", ""), name);
        if (*js_str(ev, "PodID", ""))
            sbuf_addf(b, ", pod_id=%s", js_str(ev, "PodID", ""));
        if (!strcmp(status, "health_status"))
            sbuf_addf(b, ", health_status=%s", js_str(ev, "health_status", ""));
        add_attrs(b, json_object_get(ev, "Attributes"));
        sbuf_addc(b, ')');
    } else if (!strcmp(type, "network")) {
        sbuf_addf(b, " %s (container=%s, name=%s)", id, id, js_str(ev, "network", ""));
    } else if (!strcmp(type, "image")) {
        sbuf_addf(b, " %s %s", id, name);
    } else if (!strcmp(type, "volume") || *name) {
        sbuf_addf(b, " %s", name);
    }
    sbuf_addc(b, '\n');
    return b->oom ? -1 : 0;
}

/* The template's data: podman's events.Event field names. */
static json_t *template_data(json_t *ev)
{
    char tbuf[TIME_BUF];
    json_t *attrs = json_object_get(ev, "Attributes");
    struct timespec ts = { 0, 0 };

    (void) time_parse_rfc3339(js_str(ev, "Time", ""), &ts, NULL, NULL);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:O, s:{s:s, s:O}}",
                     "ContainerExitCode", (json_int_t) js_int(ev, "ContainerExitCode", 0),
                     "ID", js_str(ev, "ID", ""), "Image", js_str(ev, "Image", ""),
                     "Name", js_str(ev, "Name", ""), "Network", js_str(ev, "network", ""),
                     "Status", js_str(ev, "Status", ""),
                     "Time", event_time(ev, tbuf, sizeof(tbuf)),
                     "TimeNano", (json_int_t) ts.tv_sec * 1000000000 + ts.tv_nsec,
                     "Type", js_str(ev, "Type", ""),
                     "HealthStatus", js_str(ev, "health_status", ""),
                     "PodID", js_str(ev, "PodID", ""),
                     "Attributes", json_is_object(attrs) ? attrs : json_null(),
                     "Details", "PodID", js_str(ev, "PodID", ""),
                     "Attributes", json_is_object(attrs) ? attrs : json_null());
}

static int print_event(json_t *ev, void *ctx)
{
    struct print_ctx *p = ctx;
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    if (p->a->json) {
        _cleanup_free_ char *line = NULL;

        if (events_to_json(ev, &line, &p->err) < 0)
            return -1;
        sbuf_add(&b, line);
        sbuf_addc(&b, '\n');
    } else if (p->a->tmpl) {
        _cleanup_json_ json_t *data = template_data(ev);

        if (!data)
            return berr_oom(&p->err);
        if (tmpl_exec(p->a->tmpl, data, &b, &p->err) < 0)
            return -1;
        if (b.len == 0 || b.buf[b.len - 1] != '\n')
            sbuf_addc(&b, '\n');
    } else if (human_line(ev, !p->a->no_trunc, &b) < 0) {
        return berr_oom(&p->err);
    }
    if (b.oom)
        return berr_oom(&p->err);
    fwrite(b.buf, 1, b.len, stdout);
    /* A stream is read as it happens: no event may wait in a buffer. */
    if (fflush(stdout) != 0)
        return berr_sys(&p->err, "write events");
    return 0;
}

static bool is_json_format(const char *f)
{
    _cleanup_free_ char *s = str_dup(f);
    char *t = s ? str_trim(s) : NULL;

    if (!t)
        return false;
    if (!strcmp(t, "json"))
        return true;
    /* {{json .}} prints the same line */
    if (strncmp(t, "{{", 2) == 0 && str_has_suffix(t, "}}")) {
        char inner[64];
        size_t n = strlen(t) - 4;
        if (n < sizeof(inner)) {
            memcpy(inner, t + 2, n);
            inner[n] = '\0';
            return !strcmp(str_trim(inner), "json .");
        }
    }
    return false;
}

static int parse_args(struct cmd_ctx *cx, int argc, char **argv, struct events_args *a,
                      struct berr **err)
{
    struct opt_it it;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'f':
            if (strv_push(&a->filters, it.arg) < 0)
                c = berr_oom(err);
            break;
        case O_FORMAT: a->format = it.arg; break;
        case O_SINCE: a->since = it.arg; break;
        case O_UNTIL: a->until = it.arg; break;
        case O_STREAM: a->stream = it.bval; break;
        case O_NO_TRUNC: a->no_trunc = it.bval; break;
        }
        if (c < 0)
            break;
    }
    return cmd_opt_done_noargs(cx, &it, c, err);
}

/* Everything that can be wrong with the input, before init and output. */
static int check_args(struct events_args *a, struct events_query *q, struct berr **err)
{
    struct timespec now;

    if (events_check_filters(a->filters, err) < 0)
        return -1;
    clock_gettime(CLOCK_REALTIME, &now);
    if (a->since) {
        if (time_parse_input(a->since, false, now, &q->since, err) < 0)
            return berr_wrap(err, "unable to convert since time of %s", a->since);
        q->has_since = true;
    }
    if (a->until) {
        if (time_parse_input(a->until, true, now, &q->until, err) < 0)
            return berr_wrap(err, "unable to convert until time of %s", a->until);
        q->has_until = true;
    }
    if (a->format && *a->format) {
        a->json = is_json_format(a->format);
        if (!a->json && tmpl_parse(a->format, events_aliases, &a->tmpl, err) < 0)
            return -1;
    }
    q->filters = a->filters;
    q->stream = a->stream;
    return 0;
}

static int events_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct events_args a = { .stream = true, .no_trunc = true };
    struct events_query q = { 0 };
    struct print_ctx p = { .a = &a };
    struct runtime *rt;
    int r;

    r = parse_args(cx, argc, argv, &a, err);
    if (r == 0)
        r = check_args(&a, &q, err);
    if (r == 0)
        r = cx_runtime(cx, RT_FULL, &rt, err);
    if (r == 0) {
        r = events_read(rt->ev, &q, print_event, &p, err);
        if (r < 0 && p.err) {       /* the callback's own error */
            berr_free(*err);
            *err = STEAL_PTR(p.err);
        }
        r = r < 0 ? -1 : 0;
    }
    berr_free(p.err);
    strv_free(a.filters);
    tmpl_free(a.tmpl);
    return r < 0 ? -1 : 0;
}

#define EVENTS_DESCRIPTION                                                                  \
    "Prints what happened to containers, images, pods, volumes and networks, as read\n"    \
    "from the event log (<tmp dir>/events/events.log unless events_logfile_path says\n"  \
    "otherwise). By default it prints the events from now on and keeps waiting for new\n"   \
    "ones until interrupted; --since or --until replay the log from its start first, and\n" \
    "--stream=false stops at the end of the log. Each line reads\n"                          \
    "  TIME TYPE STATUS ID (image=IMAGE, name=NAME, LABEL=VALUE...)\n"                       \
    "for containers and pods; --format json prints each event as the log stores it.\n"      \
    "Template fields: .ID .Name .Image .Status .Type .Time .TimeNano .Network\n"            \
    ".HealthStatus .PodID .ContainerExitCode .Attributes.\n"                                 \
    "The log is rotated at events_logfile_max_size ([engine] in the config file), keeping\n" \
    "its newest half. With events_logger = \"journald\" (or --events-backend journald)\n"  \
    "events go to the systemd journal with podman's PODMAN_* fields and are read from it."

#define EVENTS_EXAMPLES                                                                     \
    "berth events\n"                                                                         \
    "berth events --filter event=create --filter type=container\n"                         \
    "berth events --stream=false --since 1h30s --format json\n"                             \
    "berth events --stream=false --format '{{.Time}} {{.Status}} {{.Name}}'"

const struct cmd cmd_events = {
    .name = "events",
    .summary = "Show berth events",
    .usage = "[options]",
    .description = EVENTS_DESCRIPTION,
    .examples = EVENTS_EXAMPLES,
    .opts = events_opts,
    .fn = events_fn,
    .need = RT_FULL,
};
