/*
 * cmd/logs.c: berth logs / container logs, and pod logs (the same over a
 * pod's containers); the k8s-file log is read by runtime/ctrlog.c.
 *
 * As podman: several containers print one after the other, each line
 * prefixed with the short id (or with -n the name); stdout records go to
 * stdout and stderr records to stderr. With --follow every container is
 * followed at once (a thread each) until it stops; whole messages are
 * written under one lock so lines of two containers never interleave.
 * A journald container's entries are read from the journal
 * (runtime/ctrlog_journal.c) with the same options.
 * Unlike podman 4.3.1, a partial (P) record is joined with the rest of
 * its line before the prefix and timestamp are added, so a line split
 * by conmon reads as one line.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "runtime/container.h"
#include "runtime/ctr_view.h"
#include "runtime/ctrlog.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

enum { O_SINCE = 256, O_UNTIL, O_TAIL, O_COLOR };

static const struct cmd_opt logs_opts[] = {
    { "color", O_COLOR, OPT_FLAG, NULL, "Output the containers with different colors in the log (accepted; berth prints without color)", 0 },
    { "follow", 'f', OPT_FLAG, NULL, "Follow log output until the container stops.  The default is false", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "names", 'n', OPT_FLAG, NULL, "Output the container name in the log", 0 },
    { "since", O_SINCE, OPT_ARG, "string", "Show logs since TIMESTAMP (RFC3339, Unix seconds, or a duration like 10m)", 0 },
    { "tail", O_TAIL, OPT_ARG, "int", "Output the specified number of LINES at the end of the logs.  Defaults to -1, which prints all lines (default -1)", 0 },
    { "timestamps", 't', OPT_FLAG, NULL, "Output the timestamps in the log", 0 },
    { "until", O_UNTIL, OPT_ARG, "string", "Show logs until TIMESTAMP (RFC3339, Unix seconds, or a duration like 10m)", 0 },
    { 0 }
};

/* Messages are written whole under out_lock, through stdio's buffers:
 * one write(2) per line made `logs` of 10,000 lines spend most of its
 * time in the kernel. A buffer is flushed when the other stream is
 * written next (stdout and stderr often share a terminal or file, and
 * must keep the log's order there), when a follower waits for more, and
 * at exit. */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *out_last;

struct log_job {
    struct runtime *rt;
    char id[STATE_ID_LEN + 1];
    char *path;                 /* the log file */
    char *prefix;               /* "name " / "shortid " or NULL */
    bool timestamps;
    bool journald;              /* log driver journald: read the journal */
    struct ctrlog_opts o;
    struct berr *err;
    int rc;
};

static int emit(void *arg, const struct log_msg *m)
{
    struct log_job *j = arg;
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    FILE *f = m->is_stderr ? stderr : stdout;
    /* the message as it is (no prefix, no time): no buffer of its own */
    bool bare = !j->timestamps && !j->prefix;

    if (!bare) {
        ctrlog_format(&b, m, j->timestamps, j->prefix);
        if (b.oom)
            return -1;
    }
    pthread_mutex_lock(&out_lock);
    if (out_last && out_last != f)
        fflush(out_last);
    out_last = f;
    if (!bare) {
        fwrite(sbuf_str(&b), 1, b.len, f);
    } else {
        fwrite(m->text, 1, m->len, f);
        if (m->newline)
            putc('\n', f);
    }
    pthread_mutex_unlock(&out_lock);
    return 0;
}

static void flush_out(void *arg)
{
    (void) arg;
    pthread_mutex_lock(&out_lock);
    fflush(stdout);
    fflush(stderr);
    pthread_mutex_unlock(&out_lock);
}

/* follow: is the container still there to write? Read without the lock,
 * as ps does, so a follower never holds up stop or rm. */
static bool still_running(void *arg)
{
    struct log_job *j = arg;
    struct berr *e = NULL;
    int state;

    if (ctr_view_state_of(j->rt, j->id, &state, &e) < 0) {
        berr_free(e);
        return false;       /* removed */
    }
    return state == CS_RUNNING || state == CS_CREATED || state == CS_PAUSED ||
           state == CS_STOPPING;
}

static void *run_job(void *arg)
{
    struct log_job *j = arg;

    if (j->journald) {
        j->rc = ctrlog_journal_read(j->id, &j->o, emit, j, &j->err);
        return NULL;
    }
    if (access(j->path, F_OK) < 0) {    /* never started: nothing logged yet */
        j->rc = 0;
        return NULL;
    }
    j->rc = ctrlog_read(j->path, &j->o, emit, j, &j->err);
    return NULL;
}

/* Resolves a container and checks that its log can be read. */
static int job_prepare(struct runtime *rt, const char *input, bool by_id, struct log_job *j,
                       struct berr **err)
{
    _cleanup_ctr_ struct ctr *c = NULL;
    const char *drv;

    if ((by_id ? ctr_get_id(rt, input, &c, err) : ctr_get(rt, input, &c, err)) < 0)
        return -1;
    drv = c->cfg.log_driver;
    if (str_eq(drv, "none") || str_eq(drv, "passthrough"))
        return berr_msg(err, "this container is using the '%s' log driver, cannot read logs: "
                        "this container is not logging output", drv);
    j->journald = str_eq(drv, "journald");
    snprintf(j->id, sizeof(j->id), "%s", c->id);
    j->rt = rt;
    j->path = ctr_log_path(rt, c);
    j->prefix = str_dup(ctr_name(c));
    if (!j->path || !j->prefix)
        return berr_oom(err);
    return 0;
}

static void jobs_free(struct log_job *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        free(jobs[i].path);
        free(jobs[i].prefix);
        berr_free(jobs[i].err);
    }
    free(jobs);
}

struct logs_args {
    struct ctrlog_opts o;
    bool timestamps, names, latest;
    const char *since, *until;
    const char *container;      /* pod logs -c */
};

static int run_jobs(struct log_job *jobs, int n, bool follow, struct berr **err)
{
    pthread_t *th = NULL;
    int rc = 0;

    if (follow && n > 1 && !(th = calloc((size_t) n, sizeof(*th))))
        return berr_oom(err);
    for (int i = 0; i < n; i++) {
        if (th && pthread_create(&th[i], NULL, run_job, &jobs[i]) == 0)
            continue;
        if (th)
            th[i] = 0;
        run_job(&jobs[i]);
    }
    for (int i = 0; th && i < n; i++)
        if (th[i])
            pthread_join(th[i], NULL);
    free(th);
    for (int i = 0; i < n; i++) {
        struct berr *e = NULL;
        if (jobs[i].rc >= 0 && !jobs[i].err)
            continue;
        if (jobs[i].err)
            e = STEAL_PTR(jobs[i].err);
        else
            berr_oom(&e);       /* a job that failed without an error ran out of memory */
        cmd_err_next(err, e);
        rc = -1;
    }
    return rc;
}

/* Parses the flags of logs and pod logs (-c: pod logs' --container) and
 * the times; 0, 1 for --help, or -1. */
static int logs_parse(struct cmd_ctx *cx, int argc, char **argv, struct opt_it *it,
                      struct logs_args *a, struct berr **err)
{
    int c;

    cmd_opt_init(it, cx);
    while ((c = opt_next(it, argc, argv, err)) > 0) {
        long long v;
        switch (c) {
        case 'c': a->container = it->arg; break;
        case 'f': a->o.follow = it->bval; break;
        case 'l': a->latest = it->bval; break;
        case 'n': a->names = it->bval; break;
        case 't': a->timestamps = it->bval; break;
        case O_SINCE: a->since = it->arg; break;
        case O_UNTIL: a->until = it->arg; break;
        case O_TAIL:
            if (opt_int(it, &v, err) < 0)
                c = -1;
            a->o.tail = v < 0 ? -1 : (long) v;
            break;
        }
        if (c < 0)
            break;
    }
    if (c == 0 && !it->help) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        /* podman's words: parsing --since "X": unable to interpret time value */
        if (a->since && time_parse_input(a->since, false, now, &a->o.since, err) < 0)
            c = berr_wrap(err, "parsing --since \"%s\"", a->since);
        else if (a->until && time_parse_input(a->until, true, now, &a->o.until, err) < 0)
            c = berr_wrap(err, "parsing --until \"%s\"", a->until);
        a->o.has_since = a->since != NULL;
        a->o.has_until = a->until != NULL;
    }
    return c < 0 ? -1 : it->help ? 1 : 0;
}

/* The logs of n containers (names as typed, or full ids when by_id),
 * one after the other, or all at once with --follow. */
static int logs_run(struct runtime *rt, const struct logs_args *a, char *const *inputs, int n,
                    bool by_id, struct berr **err)
{
    struct log_job *jobs = calloc((size_t) n + 1, sizeof(*jobs));
    int rc = 0;

    if (!jobs)
        return berr_oom(err);
    for (int i = 0; i < n && rc == 0; i++) {
        struct log_job *j = &jobs[i];
        if ((rc = job_prepare(rt, inputs[i], by_id, j, err)) < 0)
            break;
        /* one container: no prefix; several: the short id, or with -n the name */
        if (!a->names && n == 1) {
            free(j->prefix);
            j->prefix = NULL;
        } else {
            char *p = a->names ? str_fmt("%s ", j->prefix) : str_fmt("%.12s ", j->id);
            free(j->prefix);
            j->prefix = p;
            if (!p)
                rc = berr_oom(err);
        }
        j->timestamps = a->timestamps;
        j->o = a->o;
        j->o.running = still_running;
        j->o.waiting = flush_out;
        j->o.arg = j;
    }
    if (rc == 0)
        rc = run_jobs(jobs, n, a->o.follow, err);
    jobs_free(jobs, n);
    return rc;
}

static int logs_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct logs_args a = { .o = { .tail = -1 } };
    char latest_id[STATE_ID_LEN + 1];
    char *latest_v[] = { latest_id, NULL };
    int c = logs_parse(cx, argc, argv, &it, &a, err), rc;

    if (c == 0 && !a.latest && it.nargs == 0)
        c = berr_msg(err, "specify at least one container name or ID to log");
    if (c == 0 && a.latest && it.nargs > 0)
        c = berr_msg(err, "--latest and containers cannot be used together");
    if (c != 0 || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c == 1 ? 0 : -1;
    }
    /* podman: one container's lines have no prefix, even with --names */
    if (a.latest || it.nargs == 1)
        a.names = false;
    if (a.latest)
        rc = ctr_latest(rt, latest_id, err) < 0 ? -1 : logs_run(rt, &a, latest_v, 1, true, err);
    else
        rc = logs_run(rt, &a, it.args, it.nargs, false, err);
    opt_free(&it);
    return rc;
}

#define LOGS_DESC "Retrieves logs for one or more containers (log driver k8s-file, or\n" \
    "journald: read from the local journal). With\n" \
    "several containers each line starts with the container's short ID, or with\n" \
    "--names its name. --follow keeps reading until the container stops. --since\n" \
    "and --until take RFC3339 times, Unix seconds or Go durations (10m = ten\n" \
    "minutes ago). Lines the container wrote to stderr go to stderr."
#define LOGS_EXAMPLES "berth logs ctrID\n" \
    "berth logs --names ctrID1 ctrID2\n" \
    "berth logs --tail 2 mywebserver\n" \
    "berth logs --follow=true --since 10m ctrID\n" \
    "berth logs -t --until 2024-01-01T00:00:00Z mydb"

const struct cmd cmd_logs = {
    .name = "logs", .summary = "Fetch the logs of one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = LOGS_DESC,
    .examples = LOGS_EXAMPLES, .opts = logs_opts, .fn = logs_fn, .need = RT_FULL,
};

/* ---- pod logs ---- */

static const struct cmd_opt pod_logs_opts[] = {
    { "color", O_COLOR, OPT_FLAG, NULL, "Output the containers with different colors in the log (accepted; berth prints without color)", 0 },
    { "container", 'c', OPT_ARG, "string", "Only this container of the pod (name or id)", 0 },
    { "follow", 'f', OPT_FLAG, NULL, "Follow log output until the containers stop", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest pod", 0 },
    { "names", 'n', OPT_FLAG, NULL, "Output the container name in the log", 0 },
    { "since", O_SINCE, OPT_ARG, "string", "Show logs since TIMESTAMP (RFC3339, Unix seconds, or a duration like 10m)", 0 },
    { "tail", O_TAIL, OPT_ARG, "int", "Output the specified number of LINES at the end of each log (default -1: all)", 0 },
    { "timestamps", 't', OPT_FLAG, NULL, "Output the timestamps in the log", 0 },
    { "until", O_UNTIL, OPT_ARG, "string", "Show logs until TIMESTAMP (RFC3339, Unix seconds, or a duration like 10m)", 0 },
    { 0 }
};

/* The pod's containers other than the infra, oldest first; with -c the
 * one named, which must be the pod's. */
static int pod_targets(struct runtime *rt, const char *pod, const char *only, strv *out,
                       struct berr **err)
{
    _cleanup_pod_ struct pod *p = NULL;
    struct pod_member *m = NULL;
    size_t n = 0;
    int rc = 0;

    if (pod_get(rt, pod, &p, err) < 0 || pod_members(rt, p->id, &m, &n, err) < 0)
        return -1;
    if (!(*out = calloc(1, sizeof(char *))))
        rc = berr_oom(err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (m[i].infra || (only && !str_eq(only, m[i].name) && !str_has_prefix(m[i].id, only)))
            continue;
        if (strv_push(out, m[i].id) < 0)
            rc = berr_oom(err);
    }
    if (rc == 0 && only && !(*out)[0])
        rc = berr_kind(err, BK_NO_SUCH, "container %s is not in pod %s: no such container", only,
                       pod);
    pod_members_free(m, n);
    return rc;
}

static int pod_logs_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    struct logs_args a = { .o = { .tail = -1 } };
    _cleanup_strv_ strv ids = NULL;
    char latest_id[STATE_ID_LEN + 1];
    int c = logs_parse(cx, argc, argv, &it, &a, err), rc;

    /* podman's words */
    if (c == 0 && a.latest && it.nargs > 0)
        c = berr_msg(err, "--latest and pods cannot be used together");
    else if (c == 0 && !a.latest && it.nargs == 0)
        c = berr_msg(err, "specify at least one pod name or ID to log");
    else if (c == 0 && !a.latest && it.nargs > 1)
        c = berr_msg(err, "requires exactly 1 arg");
    if (c != 0 || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c == 1 ? 0 : -1;
    }
    rc = (a.latest && pod_latest(rt, latest_id, err) < 0) ||
         pod_targets(rt, a.latest ? latest_id : it.args[0], a.container, &ids, err) < 0 ? -1 : 0;
    opt_free(&it);
    if (rc == 0 && ids[0])
        rc = logs_run(rt, &a, ids, (int) strv_len(ids), true, err);
    return rc;
}

const struct cmd cmd_pod_logs = {
    .name = "logs", .summary = "Fetch logs for pod with one or more containers",
    .usage = "[options] POD",
    .description =
        "The logs of the pod's containers (not the infra's), one after the other, each line\n"
        "starting with the container's short id (with --names its name) when there are\n"
        "several; --follow follows them all at once. -c picks one container of the pod.",
    .examples = "berth pod logs web\nberth pod logs -c srv --tail 10 web",
    .opts = pod_logs_opts, .fn = pod_logs_fn, .need = RT_FULL,
};
