/*
 * cmd/ctropts_health.c: the health check flags of create and run
 * (--health-*, --no-healthcheck), checked with podman's words and
 * settled into the create-time config's "healthcheck" object (spec.h)
 * and "noHealthcheck". The image's HEALTHCHECK is merged at create by
 * the runtime (runtime/health.c), which knows the image.
 */
#include <string.h>
#include <strings.h>

#include "cmd/ctropts_int.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/timefmt.h"

static int health_obj(struct pstate *p, struct berr **err)
{
    if (!p->health && !(p->health = json_object()))
        return berr_oom(err);
    return 0;
}

static int set_str(struct pstate *p, const char *key, const char *v, struct berr **err)
{
    if (health_obj(p, err) < 0)
        return -1;
    return js_set_str(p->health, key, v) < 0 ? berr_oom(err) : 0;
}

int cp_health_opt(struct pstate *p, struct opt_it *it, struct berr **err)
{
    unsigned long long n;

    switch (it->opt->id) {
    case O_HEALTH_CMD: return set_str(p, "cmd", it->arg, err);
    case O_HEALTH_INTERVAL: return set_str(p, "interval", it->arg, err);
    case O_HEALTH_TIMEOUT: return set_str(p, "timeout", it->arg, err);
    case O_HEALTH_START_PERIOD: return set_str(p, "startPeriod", it->arg, err);
    case O_HEALTH_ON_FAILURE: return set_str(p, "onFailure", it->arg, err);
    case O_HEALTH_RETRIES:
        if (opt_uint(it, &n, err) < 0 || health_obj(p, err) < 0)
            return -1;
        return js_set_int(p->health, "retries", (long long) n) < 0 ? berr_oom(err) : 0;
    case O_HEALTH_STARTUP_CMD: return set_str(p, "startupCmd", it->arg, err);
    case O_HEALTH_STARTUP_INTERVAL: return set_str(p, "startupInterval", it->arg, err);
    case O_HEALTH_STARTUP_TIMEOUT: return set_str(p, "startupTimeout", it->arg, err);
    case O_HEALTH_STARTUP_RETRIES:
    case O_HEALTH_STARTUP_SUCCESS:
        if (opt_uint(it, &n, err) < 0 || health_obj(p, err) < 0)
            return -1;
        return js_set_int(p->health, it->opt->id == O_HEALTH_STARTUP_RETRIES ? "startupRetries" : "startupSuccess",
                          (long long) n) < 0 ? berr_oom(err) : 0;
    case O_NO_HEALTHCHECK:
        if (health_obj(p, err) < 0)
            return -1;
        return js_set_bool(p->health, "none", it->bval) < 0 ? berr_oom(err) : 0;
    }
    return 1;   /* not a health flag */
}

/* --health-cmd as podman reads it: a JSON array (["CMD", ...],
 * ["CMD-SHELL", "..."], or a bare argv), else a shell command line;
 * "none" (or ["NONE"]) turns the check off. */
static json_t *health_test(const char *s)
{
    _cleanup_json_ json_t *arr = json_loads(s, JSON_DECODE_ANY, NULL);
    const char *first;

    if (!strcasecmp(s, "none"))
        return json_pack("[s]", "NONE");
    if (!json_is_array(arr) || !json_array_size(arr)) {
        if (!strncmp(s, "CMD ", 4) || !strncmp(s, "CMD-SHELL ", 10)) {
            bool shell = s[3] == '-';
            return json_pack("[s,s]", shell ? "CMD-SHELL" : "CMD", s + (shell ? 10 : 4));
        }
        return json_pack("[s,s]", "CMD-SHELL", s);
    }
    for (size_t i = 0; i < json_array_size(arr); i++)
        if (!json_is_string(json_array_get(arr, i)))
            return json_pack("[s,s]", "CMD-SHELL", s);
    first = json_string_value(json_array_get(arr, 0));
    if (!strcasecmp(first, "none"))
        return json_pack("[s]", "NONE");
    if (!strcmp(first, "CMD") || !strcmp(first, "CMD-SHELL"))
        return json_incref(arr);
    if (json_array_insert_new(arr, 0, json_string(json_array_size(arr) > 1 ? "CMD" : "CMD-SHELL")) < 0)
        return NULL;
    return json_incref(arr);
}

/* A duration flag into hc[key] (ns); min: the least allowed value. */
static int duration(json_t *h, json_t *hc, const char *flag, const char *key, long long min,
                    const char *too_small, struct berr **err)
{
    const char *s = js_str(h, flag, NULL);
    long long ns;

    if (!s)
        return 0;
    if (!strcmp(flag, "interval") && !strcmp(s, "disable"))
        s = "0";
    if (go_duration_parse(s, &ns) < 0)
        return cp_inval(err, "invalid healthcheck-%s: time: invalid duration \"%s\"",
                        !strcmp(flag, "startPeriod") ? "start-period" :
                        !strcmp(flag, "startupInterval") ? "startup-interval" :
                        !strcmp(flag, "startupTimeout") ? "startup-timeout" : flag, s);
    if (ns < min)
        return cp_inval(err, "%s", too_small);
    return js_set_int(hc, key, ns) < 0 ? berr_oom(err) : 0;
}

/* --health-startup-*: ctr's "startupHealthcheck" {Test, Interval,
 * Timeout, Retries, Successes}, podman 4.4's defaults. */
static int finish_startup(json_t *h, json_t *ctr, struct berr **err)
{
    static const char *const keys[] = { "startupInterval", "startupTimeout", "startupRetries", "startupSuccess" };
    const char *cmd = js_str(h, "startupCmd", NULL);
    _cleanup_json_ json_t *sc = NULL;

    if (!cmd) {
        for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
            if (json_object_get(h, keys[i]))
                return cp_inval(err, "--health-startup-* flags need --health-startup-cmd");
        return 0;
    }
    if (!*cmd)
        return cp_inval(err, "must define a healthcheck command for all healthchecks");
    sc = json_pack("{s:o, s:I, s:I, s:I, s:I}", "Test", health_test(cmd),
                   "Interval", (json_int_t) 30000000000LL, "Timeout", (json_int_t) 30000000000LL,
                   "Retries", (json_int_t) js_int(h, "startupRetries", 0),
                   "Successes", (json_int_t) js_int(h, "startupSuccess", 0));
    if (!sc)
        return berr_oom(err);
    if (duration(h, sc, "startupInterval", "Interval", 1, "healthcheck-startup-interval must be greater than 0", err) < 0 ||
        duration(h, sc, "startupTimeout", "Timeout", 1, "healthcheck-startup-timeout must be at least 1 second", err) < 0)
        return -1;
    return json_object_set(ctr, "startupHealthcheck", sc) < 0 ? berr_oom(err) : 0;
}

int cp_finish_health(struct pstate *p, json_t *ctr, struct berr **err)
{
    static const char *const actions[] = { "none", "kill", "restart", "stop" };
    _cleanup_json_ json_t *hc = json_object();
    json_t *h = p->health;
    const char *cmd = js_str(h, "cmd", NULL), *act = js_str(h, "onFailure", NULL);
    bool ok = false;

    if (!h)
        return 0;
    if (!hc)
        return berr_oom(err);
    if (act) {
        for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
            ok |= !strcmp(act, actions[i]);
        if (!ok)
            return cp_inval(err, "invalid on-failure action \"%s\" for health check: supported actions are none,kill,restart,stop", act);
        if (js_set_str(ctr, "healthOnFailure", act) < 0)
            return berr_oom(err);
    }
    if (json_is_true(json_object_get(h, "none"))) {
        if (cmd)
            return cp_inval(err, "cannot specify both --no-healthcheck and --health-cmd");
        return js_set_bool(ctr, "noHealthcheck", true) < 0 ? berr_oom(err) : 0;
    }
    if (cmd) {
        json_t *t = health_test(cmd);
        if (!*cmd)
            return cp_inval(err, "must define a healthcheck command for all healthchecks");
        if (!t || json_object_set_new(hc, "Test", t) < 0)
            return berr_oom(err);
    }
    if (json_object_get(h, "retries")) {
        long long r = json_integer_value(json_object_get(h, "retries"));
        if (r < 1)
            return cp_inval(err, "healthcheck-retries must be greater than 0");
        if (js_set_int(hc, "Retries", r) < 0)
            return berr_oom(err);
    }
    if (duration(h, hc, "interval", "Interval", 0, "healthcheck-interval must be 0 or greater", err) < 0 ||
        duration(h, hc, "timeout", "Timeout", 1, "healthcheck-timeout must be at least 1 second", err) < 0 ||
        duration(h, hc, "startPeriod", "StartPeriod", 0, "healthcheck-start-period must be 0 seconds or greater", err) < 0)
        return -1;
    if (json_object_size(hc) && json_object_set(ctr, "healthcheck", hc) < 0)
        return berr_oom(err);
    return finish_startup(h, ctr, err);
}
