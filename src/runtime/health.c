/*
 * runtime/health.c: a container's health check: settled at create,
 * run once (healthcheck run, and the health process of health_proc.c)
 * through the exec path, its results kept in state.json and acted on
 * (--health-on-failure). See health.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "runtime/ctr_int.h"
#include "runtime/ctr_view.h"
#include "runtime/events.h"
#include "runtime/health.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

/* ---- the check's configuration ---- */

static bool test_none(json_t *test)
{
    const char *t0 = json_string_value(json_array_get(test, 0));
    return !t0 || !strcmp(t0, "NONE");
}

int health_settle(json_t *spec, json_t *image_hc, struct berr **err)
{
    json_t *flags = json_object_get(spec, "healthcheck");
    _cleanup_json_ json_t *hc = json_object();
    const char *k;
    json_t *v;

    if (!hc)
        return berr_oom(err);
    if (js_bool(spec, "noHealthcheck", false)) {
        (void) json_object_del(spec, "healthcheck");
        if (json_object_get(spec, "startupHealthcheck"))
            return berr_kind(err, BK_INVALID, "startup healthchecks require a healthcheck (--health-cmd or the image's)");
        return 0;
    }
    /* docker's image defaults: a zero means the default */
    if (json_is_object(image_hc) && json_object_update(hc, image_hc) < 0)
        return berr_oom(err);
    if (js_int(hc, "Interval", 0) <= 0 && js_set_int(hc, "Interval", HEALTH_DEFAULT_NS) < 0)
        return berr_oom(err);
    if (js_int(hc, "Timeout", 0) <= 0 && js_set_int(hc, "Timeout", HEALTH_DEFAULT_NS) < 0)
        return berr_oom(err);
    if (js_int(hc, "Retries", 0) <= 0 && js_set_int(hc, "Retries", HEALTH_DEFAULT_RETRIES) < 0)
        return berr_oom(err);
    /* the flags win, each on its own (docker merges them so; podman 4.3
     * reads them only beside --health-cmd) */
    json_object_foreach(flags, k, v)
        if (json_object_set(hc, k, v) < 0)
            return berr_oom(err);
    if (test_none(json_object_get(hc, "Test"))) {
        if (json_object_get(spec, "startupHealthcheck"))
            return berr_kind(err, BK_INVALID, "startup healthchecks require a healthcheck (--health-cmd or the image's)");
        /* no check; kept as podman keeps it ({"Test":["NONE"], ...} in
         * inspect), which ctr_health_config reads as none */
        if (!json_object_get(hc, "Test")) {
            (void) json_object_del(spec, "healthcheck");
            return 0;
        }
        if (json_object_set_new(hc, "Test", json_pack("[s]", "NONE")) < 0)
            return berr_oom(err);
    }
    return json_object_set(spec, "healthcheck", hc) < 0 ? berr_oom(err) : 0;
}

json_t *ctr_health_config(const struct ctr_config *cfg)
{
    json_t *hc = json_object_get(cfg->spec, "healthcheck");
    return json_is_object(hc) && !test_none(json_object_get(hc, "Test")) ? hc : NULL;
}

const char *ctr_health_status(const struct ctr_config *cfg, const struct ctr_runstate *st)
{
    if (!ctr_health_config(cfg))
        return "";
    return js_str(st->health, "Status", "");
}

/* ---- one check ---- */

/* The argv of the check: CMD's words, or CMD-SHELL's line for /bin/sh. */
static strv check_argv(json_t *test)
{
    const char *t0 = json_string_value(json_array_get(test, 0));
    strv out = NULL;
    bool ok = true;

    if (str_eq(t0, "CMD-SHELL")) {
        const char *line = json_string_value(json_array_get(test, 1));
        ok = strv_push(&out, "/bin/sh") == 0 && strv_push(&out, "-c") == 0 &&
             strv_push(&out, line ? line : "") == 0;
    } else {
        for (size_t i = 1; ok && i < json_array_size(test); i++) {
            const char *w = json_string_value(json_array_get(test, i));
            ok = strv_push(&out, w ? w : "") == 0;
        }
    }
    if (!ok) {
        strv_free(out);
        return NULL;
    }
    return out;
}

/* What the check printed, as podman keeps it: trailing newlines off, at
 * most HEALTH_OUTPUT_MAX bytes. */
static char *read_output(int fd)
{
    char *text = NULL;
    size_t len = 0;

    if (lseek(fd, 0, SEEK_SET) < 0 || fs_read_fd(fd, &text, &len) < 0)
        return str_dup("");
    if (len > HEALTH_OUTPUT_MAX)
        text[len = HEALTH_OUTPUT_MAX] = '\0';
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = '\0';
    return text;
}

struct check_result {
    long long start_ns, end_ns;
    int code;                   /* 0 passed, 1 failed, -1 timed out (podman's) */
    char *output;
};

/* Runs the check in c; the lock is released while it runs and held
 * again after (or the error says why not). */
static int run_check(struct runtime *rt, struct ctr *c, json_t *hc, struct check_result *res,
                     struct berr **err)
{
    _cleanup_strv_ strv argv = check_argv(json_object_get(hc, "Test"));
    _cleanup_close_ int mfd = memfd_create("berth-health", MFD_CLOEXEC);
    struct berr *e = NULL;
    bool timed_out = false;
    int code = 0;
    struct ctr_exec_opts o = {
        .cmd = argv, .out_fd = mfd, .timeout_ms = js_int(hc, "Timeout", HEALTH_DEFAULT_NS) / 1000000,
        .timed_out = &timed_out,
    };

    if (!argv || !argv[0])
        return berr_msg(err, "container %s: the health check has no command", c->id);
    if (mfd < 0)
        return berr_sys(err, "capture the output of the health check");
    res->start_ns = time_now_ns();
    if (ctr_exec(rt, c, &o, &code, NULL, &e) < 0) {
        /* not invocable, not found, the container gone: a failed check */
        res->output = str_dup(e->msg);
        code = 1;
        berr_free(e);
    } else {
        res->output = read_output(mfd);
    }
    res->end_ns = time_now_ns();
    /* podman's: a check past its timeout is exit code -1 in the log, with
     * what it printed (berth kills it there, podman lets it finish) */
    res->code = timed_out ? -1 : code ? 1 : 0;
    if (!res->output)
        return berr_oom(err);
    if (c->lock.fd < 0 && ctr_relock(rt, c, err) < 0)
        return -1;
    return 0;
}

static json_t *rfc3339_ns(long long ns)
{
    char buf[TIME_BUF];
    struct timespec ts = { (time_t) (ns / 1000000000LL), (long) (ns % 1000000000LL) };
    return json_string(time_rfc3339nano(ts, buf, sizeof(buf)));
}

/* Adds the result to c->st.health; the new status. */
static const char *record(struct ctr *c, json_t *hc, const struct check_result *res, bool counts)
{
    json_t *h = c->st.health, *log;
    long long streak, retries = js_int(hc, "Retries", HEALTH_DEFAULT_RETRIES);
    long long start_period = js_int(hc, "StartPeriod", 0);
    bool in_start = res->start_ns - c->st.started_ns < start_period;
    const char *status;

    if (!json_is_object(h)) {
        json_decref(c->st.health);
        h = c->st.health = json_pack("{s:s, s:i, s:[]}", "Status", "starting", "FailingStreak", 0, "Log");
        if (!h)
            return NULL;
    }
    status = js_str(h, "Status", "starting");
    streak = js_int(h, "FailingStreak", 0);
    if (!counts) {
        /* a startup check: logged, the status stays */
    } else if (res->code == 0) {
        status = "healthy";
        streak = 0;
    } else if (!in_start) {
        /* failures in the start period do not count (docker's rule) */
        if (++streak >= retries)
            status = "unhealthy";
    }
    log = json_object_get(h, "Log");
    if (!json_is_array(log)) {
        log = json_array();
        if (!log || json_object_set_new(h, "Log", log) < 0)
            return NULL;
    }
    if (json_array_append_new(log, json_pack("{s:o, s:o, s:i, s:s}", "Start", rfc3339_ns(res->start_ns),
                                             "End", rfc3339_ns(res->end_ns), "ExitCode", res->code,
                                             "Output", res->output)) < 0)
        return NULL;
    while (json_array_size(log) > HEALTH_LOG_MAX)
        json_array_remove(log, 0);
    if (js_set_str(h, "Status", status) < 0 || js_set_int(h, "FailingStreak", streak) < 0)
        return NULL;
    return js_str(h, "Status", "");
}

static void emit_health(struct runtime *rt, struct ctr *c, const char *status)
{
    struct event ev = {
        .type = "container", .status = "health_status", .id = c->id, .name = ctr_name(c),
        .image = ctr_image_name(c), .health_status = status, .attributes = c->cfg.labels,
    };
    rt_event(rt, &ev);
}

/* --health-on-failure for an unhealthy container (podman's actions). */
static int on_failure(struct runtime *rt, struct ctr *c, struct berr **err)
{
    const char *act = js_str(c->cfg.spec, "healthOnFailure", "none");

    if (ctr_state(c) != CS_RUNNING)
        return 0;
    if (!strcmp(act, "kill"))
        return ctr_kill(rt, c, SIGKILL, err);
    if (!strcmp(act, "stop"))
        return ctr_stop(rt, c, -1, err);
    if (!strcmp(act, "restart")) {
        /* through the exit path: cleanup (conmon's exit command) sees
         * healthRestart and starts it again, as a restart policy would */
        c->st.health_restart = true;
        if (ctr_save(rt, c, err) < 0)
            return -1;
        return ctr_kill(rt, c, SIGKILL, err);
    }
    return 0;
}

json_t *ctr_health_startup(const struct ctr_config *cfg, const struct ctr_runstate *st)
{
    json_t *sc = json_object_get(cfg->spec, "startupHealthcheck");

    if (!ctr_health_config(cfg) || !json_is_object(sc) || js_bool(st->health, "StartupPassed", false))
        return NULL;
    return sc;
}

/* One startup check (podman 4.4's): Successes passes in a row (at least
 * one) end the phase; Retries failures in a row (0: never) restart the
 * container through the exit path, as --health-on-failure restart. The
 * status stays "starting" meanwhile. */
static int startup_run(struct runtime *rt, struct ctr *c, json_t *sc, struct berr **err)
{
    _cleanup_json_ json_t *hold = json_incref(sc);
    struct check_result res = { 0 };
    long long ok, bad, need = js_int(sc, "Successes", 0), retries = js_int(sc, "Retries", 0);
    json_t *h;
    int r = -1;

    if (run_check(rt, c, hold, &res, err) < 0)
        goto out;
    r = 0;
    if (ctr_state(c) != CS_RUNNING || !record(c, hold, &res, false))
        goto out;
    h = c->st.health;
    ok = res.code == 0 ? js_int(h, "StartupSuccesses", 0) + 1 : 0;
    bad = res.code == 0 ? 0 : js_int(h, "StartupFailures", 0) + 1;
    if (js_set_int(h, "StartupSuccesses", ok) < 0 || js_set_int(h, "StartupFailures", bad) < 0 ||
        (ok >= (need > 0 ? need : 1) && js_set_bool(h, "StartupPassed", true) < 0)) {
        r = berr_oom(err);
        goto out;
    }
    if (retries > 0 && bad >= retries)
        c->st.health_restart = true;
    r = ctr_save(rt, c, err);
    if (r == 0)
        emit_health(rt, c, js_str(h, "Status", "starting"));
    if (r == 0 && c->st.health_restart)
        r = ctr_kill(rt, c, SIGKILL, err);
out:
    free(res.output);
    return r;
}

int ctr_health_tick(struct runtime *rt, struct ctr *c, struct berr **err)
{
    json_t *sc = ctr_health_startup(&c->cfg, &c->st);
    bool healthy;

    if (ctr_state(c) != CS_RUNNING || !ctr_health_config(&c->cfg))
        return 0;
    return sc ? startup_run(rt, c, sc, err) : ctr_health_run(rt, c, &healthy, NULL, err);
}

int ctr_health_run(struct runtime *rt, struct ctr *c, bool *healthy, long long *timeout,
                   struct berr **err)
{
    json_t *hc = ctr_health_config(&c->cfg);
    _cleanup_json_ json_t *hold = json_incref(hc);     /* c->cfg is re-read by relock */
    struct check_result res = { 0 };
    const char *status;
    int r = -1;

    *healthy = false;
    if (!hc)
        return berr_msg(err, "container %s has no defined healthcheck", c->id);
    if (ctr_state(c) != CS_RUNNING)
        return berr_msg(err, "container %s is not running", c->id);
    if (run_check(rt, c, hold, &res, err) < 0)
        goto out;
    *healthy = res.code == 0;
    if (timeout)
        *timeout = res.code == -1 ? js_int(hold, "Timeout", HEALTH_DEFAULT_NS) : 0;
    /* stopped meanwhile: the result says nothing any more */
    if (ctr_state(c) != CS_RUNNING) {
        r = 0;
        goto out;
    }
    if (!(status = record(c, hold, &res, true))) {
        r = berr_oom(err);
        goto out;
    }
    if (ctr_save(rt, c, err) < 0)
        goto out;
    emit_health(rt, c, status);
    r = !strcmp(status, "unhealthy") ? on_failure(rt, c, err) : 0;
out:
    free(res.output);
    return r;
}

int ctr_health_wait(struct runtime *rt, const char *id, const char *want, bool running,
                    struct berr **err)
{
    for (long long ms = 10;; ms = ms < 200 ? ms * 2 : 200) {
        struct ctr_config cfg;
        struct ctr_runstate st;
        struct timespec ts = { 0, ms * 1000000L };
        bool match, none, gone;
        int state, code;
        long long fin;

        if (ctr_read(rt, id, &cfg, &st, err) < 0)
            return -1;
        none = !ctr_health_config(&cfg);
        match = str_eq(ctr_health_status(&cfg, &st), want);
        gone = running && !match && (ctr_view_state(rt, id, &st, &state, &code, &fin) < 0 ||
                                     state != CS_RUNNING ||
                                     str_eq(ctr_health_status(&cfg, &st), "unhealthy"));
        ctr_config_free(&cfg);
        ctr_runstate_free(&st);
        if (none)
            return berr_msg(err, "container %s has no defined healthcheck", id);
        if (match)
            return 0;
        if (gone)
            return berr_msg(err, "container %s is not running or unhealthy", id);
        nanosleep(&ts, NULL);
    }
}
