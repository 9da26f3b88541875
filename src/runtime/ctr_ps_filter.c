/*
 * runtime/ctr_ps_filter.c: `ps --filter` (podman 4.3.1's keys and
 * errors) and the check of --sort and the filters before runtime init.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/ctr_ps_int.h"
#include "runtime/health.h"
#include "runtime/net/net.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

/* ---- filters ---- */

static const char *const fkey_names[F__N] = {
    "id", "name", "status", "label", "ancestor", "exited", "before", "since", "volume", "pod",
    "health", "restart-policy", "network", "until",
};

void ps_filters_free(struct filters *fs)
{
    for (int k = 0; k < F__N; k++) {
        for (size_t i = 0; i < fs->f[k].n; i++)
            if (fs->f[k].re_ok && fs->f[k].re_ok[i])
                regfree(&fs->f[k].re[i]);
        free(fs->f[k].re);
        free(fs->f[k].re_ok);
        strv_free(fs->f[k].v);
    }
}

/* podman's define.StringToContainerStatus: not "configured" (nor "stopping") */
static const char *const state_names[] = {
    "created", "running", "paused", "stopped", "exited", "unknown", "removing",
    "initialized", NULL,
};

static int filter_key(const char *s, size_t len)
{
    for (int k = 0; k < F__N; k++)
        if (strlen(fkey_names[k]) == len && strncmp(fkey_names[k], s, len) == 0)
            return k;
    return -1;
}

int ps_filters_parse(char **in, struct filters *fs, struct berr **err)
{
    memset(fs, 0, sizeof(*fs));
    for (size_t i = 0; in && in[i]; i++) {
        const char *eq = strchr(in[i], '=');
        int k;

        if (!eq)
            return berr_msg(err, "invalid filter \"%s\"", in[i]);
        k = filter_key(in[i], (size_t) (eq - in[i]));
        if (k < 0)
            return berr_msg(err, "%.*s is an invalid filter", (int) (eq - in[i]), in[i]);
        if (k == F_STATUS) {
            bool ok = false;
            for (size_t j = 0; state_names[j]; j++)
                ok = ok || str_eq(state_names[j], eq + 1);
            if (!ok)
                return berr_kind(err, BK_INVALID, "unknown container state: %s", eq + 1);
        }
        if (k == F_RESTART_POLICY) {
            static const char *const pols[] = { "no", "none", "on-failure", "always", "unless-stopped" };
            bool ok = false;
            for (size_t j = 0; j < ARRAY_SIZE(pols); j++)
                ok = ok || str_eq(pols[j], eq + 1);
            if (!ok)
                return berr_msg(err, "%s invalid restart policy", eq + 1);
        }
        if (k == F_EXITED) {
            long long v;
            if (str_to_ll(eq + 1, &v) < 0 || v < -2147483648LL || v > 2147483647LL)
                return berr_msg(err, "exited code out of range \"%s\"", eq + 1);
        }
        if (strv_push(&fs->f[k].v, eq + 1) < 0)
            return berr_oom(err);
        fs->f[k].n++;
        fs->any = true;
    }
    /* until=TIMESTAMP|DURATION (a duration back from now): created before
     * it; podman's util.ComputeUntilTimestamp takes exactly one */
    if (fs->f[F_UNTIL].n) {
        struct timespec now, until;
        if (fs->f[F_UNTIL].n != 1)
            return berr_msg(err, "specify exactly one timestamp for until");
        clock_gettime(CLOCK_REALTIME, &now);
        if (time_parse_filter(fs->f[F_UNTIL].v[0], now, &until, err) < 0)
            return -1;
        fs->f[F_UNTIL].when_ns = (long long) until.tv_sec * 1000000000LL + until.tv_nsec;
    }
    /* id and name are regular expressions, matched anywhere (podman's
     * StringMatchRegexSlice); a bad one matches nothing. */
    for (int k = F_ID; k <= F_NAME; k++) {
        struct fvals *f = &fs->f[k];
        if (!f->n)
            continue;
        f->re = calloc(f->n, sizeof(*f->re));
        f->re_ok = calloc(f->n, sizeof(*f->re_ok));
        if (!f->re || !f->re_ok)
            return berr_oom(err);
        for (size_t i = 0; i < f->n; i++)
            f->re_ok[i] = regcomp(&f->re[i], f->v[i], REG_EXTENDED | REG_NOSUB) == 0;
    }
    return 0;
}

int ctr_ps_check(const struct ps_query *q, struct berr **err)
{
    static const char *const sorts[] = {
        "command", "created", "id", "image", "names", "runningfor", "size", "status", NULL,
    };
    struct filters fs;
    bool ok = !q->sort;
    int r;

    for (size_t i = 0; !ok && sorts[i]; i++)
        ok = str_eq(sorts[i], q->sort);
    if (!ok)
        return berr_msg(err, "invalid argument \"%s\" for \"--sort\" flag: \"%s\" is not a valid value.  "
                        "Choose from: \"command, created, id, image, names, runningfor, size, status\"",
                        q->sort, q->sort);
    r = ps_filters_parse(q->filters, &fs, err);
    ps_filters_free(&fs);
    return r;
}

/* network=NAME|ID|container:NAME_OR_ID, as podman's: a network (its
 * name, by name, id or id prefix), or the container whose network
 * namespace a container joins ("container:" and its full id). An unknown
 * one matches nothing (""); a lookup that fails otherwise is an error. */
static int resolve_networks(struct runtime *rt, struct fvals *f, const char *ns,
                            struct berr **err)
{
    struct net_env env;

    if (f->n)
        net_env_from_rt(rt, &env);
    for (size_t i = 0; i < f->n; i++) {
        char **v = &f->v[i], id[STATE_ID_LEN + 1];
        struct berr *e = NULL;
        char *to = NULL;

        if (str_has_prefix(*v, "container:")) {
            to = state_lookup(rt->st, OBJ_CONTAINER, *v + 10, ns, id, &e) == 0
                     ? str_fmt("container:%s", id) : str_dup("");
            berr_free(e);
        } else if (net_filter_name(&env, *v, &to, err) < 0) {
            return -1;
        } else if (!to) {
            to = str_dup("");
        }
        if (!to)
            return berr_oom(err);
        free(*v);
        *v = to;
    }
    return 0;
}

/* before=/since= name a container: its creation time is the boundary. */
int ps_filters_resolve(struct runtime *rt, struct filters *fs, struct berr **err)
{
    const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;

    for (int k = F_BEFORE; k <= F_SINCE; k++) {
        struct fvals *f = &fs->f[k];
        /* podman keeps the last value of these */
        for (size_t i = 0; i < f->n; i++) {
            char id[STATE_ID_LEN + 1];
            struct ctr_config cfg;
            if (state_lookup(rt->st, OBJ_CONTAINER, f->v[i], ns, id, err) < 0 ||
                ctr_read(rt, id, &cfg, NULL, err) < 0)
                return -1;
            f->when_ns = cfg.created_ns;
            ctr_config_free(&cfg);
        }
    }
    if (resolve_networks(rt, &fs->f[F_NETWORK], ns, err) < 0)
        return -1;
    /* pod=NAME|ID|PREFIX: the pod's full id; an unknown pod matches nothing */
    for (size_t i = 0; i < fs->f[F_POD].n; i++) {
        char id[STATE_ID_LEN + 1];
        struct berr *e = NULL;
        char **v = &fs->f[F_POD].v[i];
        if (state_lookup(rt->st, OBJ_POD, *v, ns, id, &e) < 0) {
            berr_free(e);
            id[0] = '\0';
        }
        free(*v);
        if (!(*v = str_dup(id)))
            return berr_oom(err);
    }
    return 0;
}

/* A container that joins another's network namespace matches only
 * container: values; any other, the networks it is connected to. */
static bool match_network(const struct fvals *f, const struct ps_row *r)
{
    const char *mode = r->cfg->ns_mode[SPEC_NS_NET], *name;
    json_t *v;

    for (size_t i = 0; i < f->n; i++) {
        if (!*f->v[i])
            continue;
        if (mode && str_has_prefix(mode, "container:")) {
            if (str_eq(f->v[i], mode))
                return true;
            continue;
        }
        json_object_foreach(r->cfg->networks, name, v)
            if (str_eq(f->v[i], name))
                return true;
    }
    return false;
}

static bool match_pod(const struct fvals *f, const struct ps_row *r)
{
    const char *pod = js_str(r->cfg->rec, "pod", "");

    for (size_t i = 0; *pod && i < f->n; i++)
        if (str_eq(f->v[i], pod))
            return true;
    return false;
}

static bool match_re(const struct fvals *f, const char *s)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->re_ok[i] && regexec(&f->re[i], s, 0, NULL, 0) == 0)
            return true;
    return false;
}

/* Every label filter must hold: "key" (present) or "key=value". */
static bool match_labels(const struct fvals *f, json_t *labels)
{
    for (size_t i = 0; i < f->n; i++) {
        const char *eq = strchr(f->v[i], '=');
        _cleanup_free_ char *key = eq ? str_ndup(f->v[i], (size_t) (eq - f->v[i])) : str_dup(f->v[i]);
        json_t *v = key ? json_object_get(labels, key) : NULL;
        if (!v || (eq && !str_eq(json_string_value(v), eq + 1)))
            return false;
    }
    return true;
}

/* podman 4.3.1: the image id, the image name as recorded, or that name
 * without a ":latest" tag. */
static bool match_ancestor(const struct fvals *f, const struct ps_row *r)
{
    const char *name = ps_row_image(r), *colon = strrchr(name, ':');
    const char *slash = strrchr(name, '/');

    for (size_t i = 0; i < f->n; i++) {
        const char *v = f->v[i];
        if (str_eq(v, ps_row_image_id(r)) || str_eq(v, name))
            return true;
        if (colon && (!slash || colon > slash) && str_eq(colon + 1, "latest") &&
            strlen(v) == (size_t) (colon - name) && strncmp(v, name, strlen(v)) == 0)
            return true;
    }
    return false;
}

static bool match_status(const struct fvals *f, const struct ps_row *r)
{
    const char *s = ps_row_state_name(r);

    for (size_t i = 0; i < f->n; i++) {
        const char *v = f->v[i];
        if (str_eq(v, "stopped"))
            v = "exited";
        else if (str_eq(v, "configured"))
            v = "created";
        if (str_eq(v, s))
            return true;
    }
    return false;
}

static bool match_exited(const struct fvals *f, const struct ps_row *r)
{
    if (!r->exited)
        return false;
    for (size_t i = 0; i < f->n; i++) {
        long long v;
        if (str_to_ll(f->v[i], &v) == 0 && v == r->exit_code)
            return true;
    }
    return false;
}

/* volume=SOURCE[:DEST]: a bind's source or a volume's name (podman's) */
static bool match_volume(const struct fvals *f, const struct ps_row *r)
{
    json_t *m;
    size_t i;

    for (size_t k = 0; k < f->n; k++) {
        const char *colon = strchr(f->v[k], ':');
        size_t slen = colon ? (size_t) (colon - f->v[k]) : strlen(f->v[k]);
        json_array_foreach(json_object_get(r->cfg->spec, "mounts"), i, m) {
            const char *t = js_str(m, "type", "");
            const char *src = js_str(m, str_eq(t, "volume") ? "name" : "source", "");
            if (strlen(src) == slen && strncmp(src, f->v[k], slen) == 0 &&
                (!colon || str_eq(js_str(m, "destination", ""), colon + 1)))
                return true;
        }
    }
    return false;
}

/* restart-policy=always|...; "none" is podman's name for no policy
 * given (recorded ""; --restart no records "no"). */
static bool match_restart_policy(const struct fvals *f, const struct ps_row *r)
{
    /* podman compares the policy recorded: "" when none was given */
    const char *p = r->cfg->restart_policy ? r->cfg->restart_policy : "";

    for (size_t i = 0; i < f->n; i++)
        if (str_eq(f->v[i], p) || (str_eq(f->v[i], "none") && !*p))
            return true;
    return false;
}

/* health=starting|healthy|unhealthy: as podman, a container without a
 * check matches none of them. */
static bool match_health(const struct fvals *f, const struct ps_row *r)
{
    const char *h = ctr_health_status(r->cfg, r->st);

    for (size_t i = 0; *h && i < f->n; i++)
        if (str_eq(f->v[i], h))
            return true;
    return false;
}

bool ps_row_matches(const struct filters *fs, const struct ps_row *r)
{
    const struct fvals *f = fs->f;

    /* a damaged record: only its id and name can be trusted */
    if (r->error && (f[F_STATUS].n || f[F_HEALTH].n || f[F_RESTART_POLICY].n || f[F_LABEL].n || f[F_ANCESTOR].n || f[F_EXITED].n ||
                     f[F_BEFORE].n || f[F_SINCE].n || f[F_NETWORK].n || f[F_UNTIL].n))
        return false;
    return (!f[F_ID].n || match_re(&f[F_ID], r->id)) &&
           (!f[F_NAME].n || match_re(&f[F_NAME], ps_row_name(r))) &&
           (!f[F_STATUS].n || match_status(&f[F_STATUS], r)) &&
           (!f[F_LABEL].n || match_labels(&f[F_LABEL], r->cfg->labels)) &&
           (!f[F_ANCESTOR].n || match_ancestor(&f[F_ANCESTOR], r)) &&
           (!f[F_EXITED].n || match_exited(&f[F_EXITED], r)) &&
           (!f[F_BEFORE].n || r->created_ns < f[F_BEFORE].when_ns) &&
           (!f[F_SINCE].n || r->created_ns > f[F_SINCE].when_ns) &&
           (!f[F_VOLUME].n || match_volume(&f[F_VOLUME], r)) &&
           (!f[F_POD].n || match_pod(&f[F_POD], r)) &&
           (!f[F_HEALTH].n || match_health(&f[F_HEALTH], r)) &&
           (!f[F_RESTART_POLICY].n || match_restart_policy(&f[F_RESTART_POLICY], r)) &&
           (!f[F_NETWORK].n || match_network(&f[F_NETWORK], r)) &&
           (!f[F_UNTIL].n || r->created_ns < f[F_UNTIL].when_ns);
}
