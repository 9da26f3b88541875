/*
 * runtime/spec.c: spec_build(), the process object (args, env, user,
 * capabilities, rlimits), root, hostname and annotations. Mounts and the
 * linux object are in spec_linux.c. Rules: spec.h and SPEC-podman.md §4.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/seccomp.h"
#include "runtime/spec_int.h"
#include "runtime/user.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* ---- args ---- */

static bool cleared(json_t *ep)
{
    return json_is_array(ep) &&
           (json_array_size(ep) == 0 ||
            (json_array_size(ep) == 1 && str_eq(json_string_value(json_array_get(ep, 0)), "")));
}

static int push_all(strv *v, json_t *arr)
{
    size_t i;
    json_t *s;

    json_array_foreach(arr, i, s)
        if (json_is_string(s) && strv_push(v, json_string_value(s)) < 0)
            return -1;
    return 0;
}

/* podman's makeCommand: entrypoint (the user's, else the image's, unless
 * cleared) + command (the user's, else the image's only when the user did
 * not set an entrypoint); --init prefixes /run/podman-init --. */
static int build_args(struct spec_ctx *c, json_t *proc, struct berr **err)
{
    json_t *ep = json_object_get(c->ctr, "entrypoint"), *cmd = json_object_get(c->ctr, "command");
    _cleanup_strv_ strv args = calloc(1, sizeof(char *));
    bool user_ep = json_is_array(ep);

    if (!args)
        return berr_oom(err);
    if (c->init_path && (strv_push(&args, "/run/podman-init") < 0 || strv_push(&args, "--") < 0))
        return berr_oom(err);
    if (!user_ep)
        ep = json_object_get(c->image, "Entrypoint");
    if (!cleared(ep) && push_all(&args, ep) < 0)
        return berr_oom(err);
    if (!json_array_size(cmd) && !user_ep)
        cmd = json_object_get(c->image, "Cmd");
    if (push_all(&args, cmd) < 0)
        return berr_oom(err);
    if (strv_len(args) == (c->init_path ? 2u : 0u))
        return berr_msg(err, "no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
    if (json_object_set_new(proc, "args", js_strv(args)) < 0)
        return berr_oom(err);
    return 0;
}

/* ---- env: an ordered list where a later KEY= replaces an earlier one ---- */

static const char *env_get(char *const *env, const char *key)
{
    size_t kl = strlen(key);

    for (size_t i = 0; env && env[i]; i++)
        if (strncmp(env[i], key, kl) == 0 && env[i][kl] == '=')
            return env[i] + kl + 1;
    return NULL;
}

static int env_set(strv *env, const char *kv)
{
    const char *eq = strchr(kv, '=');
    size_t kl = eq ? (size_t) (eq - kv) : strlen(kv);

    if (!eq || !kl)
        return 0;
    for (size_t i = 0; *env && (*env)[i]; i++)
        if (strncmp((*env)[i], kv, kl) == 0 && (*env)[i][kl] == '=') {
            char *n = strdup(kv);
            if (!n)
                return -1;
            free((*env)[i]);
            (*env)[i] = n;
            return 0;
        }
    return strv_push(env, kv);
}

static int env_set_kv(strv *env, const char *k, const char *v)
{
    _cleanup_free_ char *kv = str_fmt("%s=%s", k, v);
    return kv ? env_set(env, kv) : -1;
}

/* Dockerfile-style ${NAME}, $NAME and ${NAME:-word} against env (what
 * podman's --env-merge runs through imagebuilder's ProcessWord). */
static char *expand_word(const char *w, char *const *env)
{
    struct sbuf b = SBUF_INIT;

    for (const char *p = w; *p; p++) {
        const char *name, *end, *dflt = NULL;
        size_t nl, dl = 0;
        if (*p == '\\' && p[1] == '$') {
            sbuf_addc(&b, '$');
            p++;
            continue;
        }
        if (*p != '$' || !(p[1] == '{' || p[1] == '_' || isalpha((unsigned char) p[1]))) {
            sbuf_addc(&b, *p);
            continue;
        }
        if (p[1] == '{') {
            name = p + 2;
            if (!(end = strchr(name, '}')))
                break;              /* unterminated: the rest as it is */
            nl = strcspn(name, ":}");
            if (name[nl] == ':' && name[nl + 1] == '-') {
                dflt = name + nl + 2;
                dl = (size_t) (end - dflt);
            }
            p = end;
        } else {
            name = p + 1;
            for (nl = 0; name[nl] == '_' || isalnum((unsigned char) name[nl]); nl++)
                ;
            p = name + nl - 1;
        }
        {
            _cleanup_free_ char *k = str_ndup(name, nl);
            const char *v = k ? env_get(env, k) : NULL;
            if (v && *v)
                sbuf_add(&b, v);
            else if (dflt)
                sbuf_addn(&b, dflt, dl);
        }
    }
    return b.oom ? (sbuf_free(&b), NULL) : sbuf_steal(&b);
}

static void env_unset(strv env, const char *key)
{
    size_t kl = strlen(key), n = strv_len(env);

    for (size_t i = 0; i < n; i++)
        if (strncmp(env[i], key, kl) == 0 && env[i][kl] == '=') {
            free(env[i]);
            memmove(&env[i], &env[i + 1], (n - i) * sizeof(char *));
            return;
        }
}

/* podman's defaults (PATH, TERM, container; the config's env; the image's
 * Env), then --env-merge (a variable of the defaults rewritten),
 * --unsetenv, --unsetenv-all. */
static int default_env(struct spec_ctx *c, strv *env, struct berr **err)
{
    json_t *v;
    size_t i;

    if (env_set(env, DEFAULT_PATH) < 0 || env_set(env, "TERM=xterm") < 0 ||
        env_set(env, "container=podman") < 0)
        return berr_oom(err);
    for (i = 0; c->cfg->env && c->cfg->env[i]; i++)
        if (env_set(env, c->cfg->env[i]) < 0)
            return berr_oom(err);
    json_array_foreach(json_object_get(c->image, "Env"), i, v)
        if (json_is_string(v) && env_set(env, json_string_value(v)) < 0)
            return berr_oom(err);
    json_array_foreach(json_object_get(c->ctr, "envMerge"), i, v) {
        _cleanup_free_ char *w = expand_word(json_string_value(v) ? json_string_value(v) : "", *env);
        char *eq = w ? strchr(w, '=') : NULL;
        if (!w)
            return berr_oom(err);
        if (eq)
            *eq = '\0';
        /* podman: only a variable the defaults have (without a value
         * podman 4.3.1 panics; an error here) */
        if (!env_get(*env, w))
            continue;
        if (!eq)
            return berr_kind(err, BK_INVALID, "unable to process variables for --env-merge %s: "
                             "no value", json_string_value(v));
        if (env_set_kv(env, w, eq + 1) < 0)
            return berr_oom(err);
    }
    json_array_foreach(json_object_get(c->ctr, "unsetEnv"), i, v)
        if (json_is_string(v))
            env_unset(*env, json_string_value(v));
    if (js_bool(c->ctr, "unsetEnvAll", false))
        for (i = strv_len(*env); i > 0; i--) {
            free((*env)[i - 1]);
            (*env)[i - 1] = NULL;
        }
    return 0;
}

/* podman's order: the defaults, then the host's environment (--env-host)
 * or its proxy variables, then -e; HOME and HOSTNAME last when absent. */
static int build_env(struct spec_ctx *c, const struct ctr_user *u, bool host_uts, strv *out,
                     struct berr **err)
{
    static const char *const proxies[] = { "http_proxy", "https_proxy", "ftp_proxy", "no_proxy",
                                           "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY" };
    char *const *host = c->h->environ;
    _cleanup_strv_ strv env = calloc(1, sizeof(char *));
    json_t *v;
    size_t i;

    if (!env)
        return berr_oom(err);
    if (default_env(c, &env, err) < 0)
        return -1;
    if (js_bool(c->ctr, "envHost", false)) {
        for (i = 0; host && host[i]; i++)
            if (env_set(&env, host[i]) < 0)
                return berr_oom(err);
    } else if (c->cfg->http_proxy && js_bool(c->ctr, "httpProxy", true)) {
        for (i = 0; i < ARRAY_SIZE(proxies); i++) {
            const char *hv = env_get(host, proxies[i]);
            if (hv && env_set_kv(&env, proxies[i], hv) < 0)
                return berr_oom(err);
        }
    }
    if (c->systemd && !env_get(env, "container_uuid")) {
        _cleanup_free_ char *uuid = str_ndup(c->id, 32);
        if (!uuid || env_set_kv(&env, "container_uuid", uuid) < 0)
            return berr_oom(err);
    }
    json_array_foreach(json_object_get(c->ctr, "env"), i, v) {
        const char *s = json_string_value(v);
        if (!s)
            continue;
        if (!strchr(s, '=')) {          /* -e NAME: the host's value, if any */
            const char *hv = env_get(host, s);
            if (hv && env_set_kv(&env, s, hv) < 0)
                return berr_oom(err);
            continue;
        }
        if (env_set(&env, s) < 0)
            return berr_oom(err);
    }
    if (!env_get(env, "HOME") && u->home && env_set_kv(&env, "HOME", u->home) < 0)
        return berr_oom(err);
    if (!env_get(env, "HOSTNAME")) {
        const char *hn = host_uts ? c->h->hostname : js_str(c->ctr, "hostname", "");
        _cleanup_free_ char *shortid = str_ndup(c->id, 12);
        if (!shortid)
            return berr_oom(err);
        if (!host_uts && !*hn)
            hn = shortid;
        if (*hn && env_set_kv(&env, "HOSTNAME", hn) < 0)
            return berr_oom(err);
    }
    *out = STEAL_PTR(env);
    return 0;
}

/* ---- capabilities ---- */

static int caps_list(json_t *arr, strv *out, bool *all, struct berr **err)
{
    size_t i;
    json_t *v;

    *all = false;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v), *n;
        if (!s)
            continue;
        if (strcasecmp(s, "ALL") == 0) {
            *all = true;
            continue;
        }
        n = spec_cap_name(s);
        if (!n)
            return berr_msg(err, "unknown capability \"%s\"", s);
        if (!strv_contains(*out, n) && strv_push(out, n) < 0)
            return berr_oom(err);
    }
    return 0;
}

/* default_capabilities + capAdd - capDrop ("ALL" on either side as
 * podman), intersected with the host bounding set; privileged = host set. */
static int compute_caps(struct spec_ctx *c, strv *bounding, strv *added, struct berr **err)
{
    _cleanup_strv_ strv add = calloc(1, sizeof(char *)), drop = calloc(1, sizeof(char *));
    _cleanup_strv_ strv res = calloc(1, sizeof(char *)), adds_ok = calloc(1, sizeof(char *));
    char *const *hostb = c->h->bounding;
    bool add_all, drop_all;
    size_t i;

    if (!add || !drop || !res || !adds_ok)
        return berr_oom(err);
    if (caps_list(json_object_get(c->ctr, "capAdd"), &add, &add_all, err) < 0 ||
        caps_list(json_object_get(c->ctr, "capDrop"), &drop, &drop_all, err) < 0)
        return -1;
    for (i = 0; hostb && hostb[i]; i++) {
        const char *cap = hostb[i];
        bool in;
        if (c->privileged || add_all)
            in = !strv_contains(drop, cap);
        else if (drop_all)
            in = strv_contains(add, cap);
        else
            in = (strv_contains(c->cfg->default_capabilities, cap) || strv_contains(add, cap)) &&
                 !strv_contains(drop, cap);
        if (c->privileged)
            in = true;
        if (in && strv_push(&res, cap) < 0)
            return berr_oom(err);
        if ((add_all || strv_contains(add, cap)) && strv_push(&adds_ok, cap) < 0)
            return berr_oom(err);
    }
    strv_sort(res);
    strv_sort(adds_ok);
    *bounding = STEAL_PTR(res);
    *added = STEAL_PTR(adds_ok);
    return 0;
}

static int build_caps(struct spec_ctx *c, const struct ctr_user *u, json_t *proc,
                      struct berr **err)
{
    _cleanup_strv_ strv bnd = NULL, added = NULL;
    json_t *caps;

    if (compute_caps(c, &bnd, &added, err) < 0)
        return -1;
    caps = json_object();
    if (!caps || json_object_set_new(proc, "capabilities", caps) < 0)
        return berr_oom(err);
    if (json_object_set_new(caps, "bounding", js_strv(bnd)) < 0)
        return berr_oom(err);
    if (u->uid == 0) {
        if (json_object_set_new(caps, "effective", js_strv(bnd)) < 0 ||
            json_object_set_new(caps, "permitted", js_strv(bnd)) < 0)
            return berr_oom(err);
    } else {
        /* podman: a non-root user gets only what --cap-add asked for, and
         * in every set, so that it survives the execve of a non-root
         * process (ambient). */
        if (json_object_set_new(caps, "effective", js_strv(added)) < 0 ||
            json_object_set_new(caps, "permitted", js_strv(added)) < 0 ||
            json_object_set_new(caps, "inheritable", js_strv(added)) < 0 ||
            json_object_set_new(caps, "ambient", js_strv(added)) < 0)
            return berr_oom(err);
    }
    c->bounding = STEAL_PTR(bnd);
    return 0;
}

/* ---- rlimits ---- */

struct rl { int res; uint64_t soft, hard; bool user; };

static int rl_add(struct rl *v, size_t *n, const char *s, bool user, struct berr **err)
{
    struct rl r = { .user = user };

    if (spec_ulimit_parse(s, &r.res, &r.soft, &r.hard, err) < 0)
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (v[i].res == r.res) {
            v[i] = r;
            return 0;
        }
    if (*n < RLIM_NLIMITS)
        v[(*n)++] = r;
    return 0;
}

static json_t *rl_num(uint64_t v)
{
    return json_integer(v == RLIM_INFINITY ? -1 : (json_int_t) v);
}

static bool rl_has(const struct rl *v, size_t n, int res)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].res == res)
            return true;
    return false;
}

/* DESIGN: never ask for more than the current hard limit unless
 * CAP_SYS_RESOURCE is effective (runc's setrlimit would fail with EPERM). */
static void rl_clamp(const struct spec_host *h, struct rl *r)
{
    uint64_t max = h->rlimits[r->res].rlim_max;

    if (h->cap_sys_resource || max == RLIM_INFINITY)
        return;
    if (r->hard > max) {
        if (r->user)
            log_warn("ulimit %s hard limit lowered from %llu to the current hard limit %llu",
                     spec_rlimit_type(r->res), (unsigned long long) r->hard,
                     (unsigned long long) max);
        r->hard = max;
    }
    if (r->soft > r->hard)
        r->soft = r->hard;
}

/* The container's rlimits before clamping (podman's addRlimits): the
 * config's default_ulimits, then --ulimit; with any at all, nofile and
 * nproc at 1048576 unless set. *n 0: none (or --ulimit host). */
static int rl_collect(const struct config *cfg, json_t *ctr, struct rl *v, size_t *n,
                      struct berr **err)
{
    size_t i;
    json_t *s;

    *n = 0;
    json_array_foreach(json_object_get(ctr, "ulimits"), i, s)
        if (str_eq(json_string_value(s), "host"))
            return 0;           /* --ulimit host: inherit conmon's */
    for (i = 0; cfg->default_ulimits && cfg->default_ulimits[i]; i++)
        if (rl_add(v, n, cfg->default_ulimits[i], false, err) < 0)
            return berr_wrap(err, "default_ulimits");
    json_array_foreach(json_object_get(ctr, "ulimits"), i, s)
        if (json_is_string(s) && rl_add(v, n, json_string_value(s), true, err) < 0)
            return -1;
    if (!*n)
        return 0;               /* no list: no rlimits at all (SPEC §4.6) */
    if (!rl_has(v, *n, RLIMIT_NOFILE) && rl_add(v, n, "nofile=1048576:1048576", false, err) < 0)
        return -1;
    if (!rl_has(v, *n, RLIMIT_NPROC) && rl_add(v, n, "nproc=1048576:1048576", false, err) < 0)
        return -1;
    return 0;
}

json_t *spec_rlimits_inspect(const struct config *cfg, json_t *ctr)
{
    struct rl v[RLIM_NLIMITS];
    struct berr *e = NULL;
    size_t n = 0;
    json_t *arr = json_array();

    if (rl_collect(cfg, ctr, v, &n, &e) < 0)
        berr_free(e);           /* create checked them: none shown */
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, json_pack("{s:s, s:o, s:o}", "Name", spec_rlimit_type(v[i].res),
                                                 "Soft", rl_num(v[i].soft), "Hard", rl_num(v[i].hard))) < 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

static int build_rlimits(struct spec_ctx *c, json_t *proc, struct berr **err)
{
    struct rl v[RLIM_NLIMITS];
    size_t n = 0, i;
    json_t *arr;

    if (rl_collect(c->cfg, c->ctr, v, &n, err) < 0)
        return -1;
    if (!n)
        return 0;
    arr = json_array();
    if (!arr || json_object_set_new(proc, "rlimits", arr) < 0)
        return berr_oom(err);
    for (i = 0; i < n; i++) {
        json_t *o;
        rl_clamp(c->h, &v[i]);
        o = json_pack("{s:s, s:o, s:o}", "type", spec_rlimit_type(v[i].res),
                      "soft", rl_num(v[i].soft), "hard", rl_num(v[i].hard));
        if (!o || json_array_append_new(arr, o) < 0)
            return berr_oom(err);
    }
    return 0;
}

/* ---- user ---- */

static int build_user(struct spec_ctx *c, const struct ctr_user *u, json_t *proc,
                      struct berr **err)
{
    const char *um = js_str(c->ctr, "umask", NULL);
    unsigned long mask = 022;
    json_t *o = json_object(), *gids;
    char *end;

    if (!o || json_object_set_new(proc, "user", o) < 0)
        return berr_oom(err);
    if (!um || !*um)
        um = c->cfg->umask;
    if (um && *um) {
        errno = 0;
        mask = strtoul(um, &end, 8);
        if (errno || *end || mask > 0777)
            return berr_kind(err, BK_INVALID, "invalid umask string %s", um);
    }
    if (js_set_int(o, "uid", u->uid) < 0 || js_set_int(o, "gid", u->gid) < 0 ||
        js_set_int(o, "umask", (long long) mask) < 0)
        return berr_oom(err);
    /* podman's: the primary group first, then the others (id shows
     * groups=GID even for a user no group file names) */
    gids = json_array();
    if (!gids || json_object_set_new(o, "additionalGids", gids) < 0 ||
        json_array_append_new(gids, json_integer(u->gid)) < 0)
        return berr_oom(err);
    for (size_t i = 0; i < u->ngroups; i++)
        if (json_array_append_new(gids, json_integer(u->groups[i])) < 0)
            return berr_oom(err);
    return 0;
}

/* ---- security options ---- */

struct secopts {
    bool nnp;
    const char *seccomp;        /* NULL: default; "unconfined"; a path */
};

static int split_paths(const char *v, strv *into, struct berr **err)
{
    _cleanup_strv_ strv parts = strv_split(v, ":");

    if (!parts)
        return berr_oom(err);
    for (size_t i = 0; parts[i]; i++) {
        if (strcmp(parts[i], "ALL") != 0 && parts[i][0] != '/')
            return berr_kind(err, BK_INVALID, "%s is not an absolute path", parts[i]);
        if (strv_push(into, parts[i]) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int parse_secopts(struct spec_ctx *c, struct secopts *so, struct berr **err)
{
    json_t *v;
    size_t i;

    json_array_foreach(json_object_get(c->ctr, "securityOpts"), i, v) {
        const char *s = json_string_value(v);
        if (!s)
            continue;
        if (strcmp(s, "no-new-privileges") == 0 || strcmp(s, "no-new-privileges=true") == 0)
            so->nnp = true;
        else if (strcmp(s, "no-new-privileges=false") == 0)
            so->nnp = false;
        else if (str_has_prefix(s, "seccomp="))
            so->seccomp = s + 8;
        else if (str_has_prefix(s, "mask=")) {
            if (split_paths(s + 5, &c->masked, err) < 0)
                return -1;
        } else if (str_has_prefix(s, "unmask=")) {
            if (split_paths(s + 7, &c->unmasked, err) < 0)
                return -1;
        } else if (str_has_prefix(s, "label=") || str_has_prefix(s, "apparmor=") ||
                   str_has_prefix(s, "proc-opts=")) {
            log_debug("security option %s ignored: not supported by berth", s);
        } else {
            return berr_kind(err, BK_INVALID, "invalid --security-opt 1: \"%s\"", s);
        }
    }
    c->unmask_all = strv_contains(c->unmasked, "ALL");
    return 0;
}

/* ---- annotations ---- */

static char *now_rfc3339(void)
{
    struct timespec ts;
    struct tm tm;
    char buf[64];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    return str_fmt("%s.%09ldZ", buf, ts.tv_nsec);
}

static int build_annotations(struct spec_ctx *c, json_t *spec, int stopsig, const char *seccomp_file,
                             struct berr **err)
{
    _cleanup_free_ char *now = NULL;
    const char *created = c->h->created ? c->h->created : js_str(c->ctr, "createdTime", NULL);
    json_t *a = json_object(), *user = json_object_get(c->ctr, "annotations"), *v;
    const char *k;
    char sig[16];

    if (!a || json_object_set_new(spec, "annotations", a) < 0)
        return berr_oom(err);
    if (!created && !(created = now = now_rfc3339()))
        return berr_oom(err);
#define TF(b) ((b) ? "TRUE" : "FALSE")
    snprintf(sig, sizeof(sig), "%d", stopsig);
    if (js_set_str(a, "io.container.manager", "libpod") < 0 ||
        js_set_str(a, "io.kubernetes.cri-o.Created", created) < 0 ||
        js_set_str(a, "io.kubernetes.cri-o.TTY", js_bool(c->ctr, "terminal", false) ? "true" : "false") < 0 ||
        js_set_str(a, "io.podman.annotations.autoremove", TF(js_bool(c->ctr, "rm", false))) < 0 ||
        js_set_str(a, "io.podman.annotations.init", TF(c->init_path != NULL)) < 0 ||
        js_set_str(a, "io.podman.annotations.privileged", TF(c->privileged)) < 0 ||
        js_set_str(a, "io.podman.annotations.publish-all", TF(js_bool(c->ctr, "publishAll", false))) < 0 ||
        js_set_str(a, "org.opencontainers.image.stopSignal", sig) < 0)
        return berr_oom(err);
#undef TF
    if (seccomp_file && js_set_str(a, "io.podman.annotations.seccomp", seccomp_file) < 0)
        return berr_oom(err);
    if (json_array_size(json_object_get(c->ctr, "volumesFrom"))) {
        _cleanup_strv_ char **vf = js_to_strv(json_object_get(c->ctr, "volumesFrom"));
        _cleanup_free_ char *joined = vf ? strv_join(vf, ",") : NULL;
        if (!joined || js_set_str(a, "io.podman.annotations.volumes-from", joined) < 0)
            return berr_oom(err);
    }
    json_object_foreach(user, k, v)
        if (json_is_string(v) && json_object_set(a, k, v) < 0)
            return berr_oom(err);
    return 0;
}

/* ---- the whole spec ---- */

static int stop_signal(struct spec_ctx *c, struct berr **err)
{
    json_t *v = json_object_get(c->ctr, "stopSignal");
    const char *img = js_str(c->image, "StopSignal", NULL);
    int s;

    if (json_is_integer(v))
        return (int) json_integer_value(v);
    if (json_is_string(v) && (s = spec_signal_parse(json_string_value(v))) > 0)
        return s;
    if (img && *img) {
        s = spec_signal_parse(img);
        if (s > 0)
            return s;
        log_warn("image stop signal %s is unknown, using SIGTERM", img);
    }
    (void) err;
    return 15;
}

static const char *ns_mode(json_t *ctr, const char *key, const char *dflt)
{
    const char *m = js_str(json_object_get(ctr, "namespaces"), key, NULL);
    return m && *m ? m : dflt;
}

static int resolve_init(struct spec_ctx *c, struct berr **err)
{
    const char *p = js_str(c->ctr, "initPath", NULL);

    if (!js_bool(c->ctr, "init", false))
        return 0;
    if (!p || !*p)
        p = c->cfg->init_path;
    if (!p || !*p)
        p = "/usr/libexec/podman/catatonit";
    if (strcmp(c->ns[SPEC_NS_PID], "private") != 0)
        return berr_msg(err, "cannot add init binary as PID 1 (PID namespace isn't private)");
    if (access(p, X_OK) < 0)
        return berr_new(err, BERR_ENGINE, errno, "container-init binary not found on the host: %s", p);
    c->init_path = str_dup(p);
    return c->init_path ? 0 : berr_oom(err);
}

static int build_process(struct spec_ctx *c, json_t *spec, struct berr **err)
{
    _cleanup_(user_free) struct ctr_user u = { 0 };
    _cleanup_strv_ strv env = NULL;
    const char *user = js_str(c->ctr, "user", NULL), *cwd = js_str(c->ctr, "workdir", NULL);
    _cleanup_strv_ strv groups = js_to_strv(json_object_get(c->ctr, "groups"));
    json_t *proc = json_object();
    bool host_uts = strcmp(c->ns[SPEC_NS_UTS], "host") == 0;

    if (!proc || json_object_set_new(spec, "process", proc) < 0)
        return berr_oom(err);
    if (!user || !*user)
        user = js_str(c->image, "User", "");
    if (!c->h->rootfs)
        return berr_msg(err, "spec: no root file system path");
    if (user_resolve(c->h->rootfs, user, groups, &u, err) < 0)
        return -1;
    if (js_set_bool(proc, "terminal", js_bool(c->ctr, "terminal", false)) < 0)
        return berr_oom(err);
    if (build_user(c, &u, proc, err) < 0 || build_args(c, proc, err) < 0)
        return -1;
    if (build_env(c, &u, host_uts, &env, err) < 0)
        return -1;
    if (json_object_set_new(proc, "env", js_strv(env)) < 0)
        return berr_oom(err);
    if (!cwd || !*cwd)
        cwd = js_str(c->image, "WorkingDir", "");
    if (!*cwd)
        cwd = "/";
    if (cwd[0] != '/')
        return berr_kind(err, BK_INVALID, "workdir %s is not an absolute path", cwd);
    if (js_set_str(proc, "cwd", cwd) < 0)
        return berr_oom(err);
    if (build_caps(c, &u, proc, err) < 0 || build_rlimits(c, proc, err) < 0)
        return -1;
    if (json_object_get(c->ctr, "oomScoreAdj") &&
        js_set_int(proc, "oomScoreAdj", js_int(c->ctr, "oomScoreAdj", 0)) < 0)
        return berr_oom(err);
    return 0;
}

/* Runs after the capabilities: the profile's includes/excludes look at the
 * container's bounding set (SPEC §4.5). */
static int build_seccomp(struct spec_ctx *c, json_t *spec, const char *opt, const char **annot,
                         struct berr **err)
{
    _cleanup_json_ json_t *prof = NULL, *sc = NULL;
    const char *path;
    bool is_default = false;

    *annot = NULL;
    if (str_eq(js_str(c->ctr, "seccompPolicy", NULL), "image")) {
        /* podman: the image's profile wins over every other choice */
        json_t *labels = json_object_get(c->image, "Labels");
        const char *text = js_str(labels, "io.containers.seccomp.profile", NULL);
        json_error_t je;
        if (!text || !*text)
            return berr_msg(err, "no seccomp policy defined by image");
        prof = json_loads(text, 0, &je);
        if (!json_is_object(prof))
            return berr_msg(err, "loading seccomp profile failed: the image's "
                            "io.containers.seccomp.profile label is not a JSON object: %s", je.text);
        if (seccomp_to_oci(prof, c->bounding, c->h->goarch, &sc, err) < 0)
            return berr_wrap(err, "loading seccomp profile failed");
        if (json_object_set(json_object_get(spec, "linux"), "seccomp", sc) < 0)
            return berr_oom(err);
        return 0;
    }
    if (opt && strcmp(opt, "unconfined") == 0)
        return 0;
    if (opt && *opt) {
        path = opt;
        *annot = opt;
    } else {
        is_default = true;
        path = c->cfg->seccomp_profile && *c->cfg->seccomp_profile ? c->cfg->seccomp_profile
                                                                   : c->h->seccomp_default;
    }
    if (is_default && c->privileged)
        return 0;
    if (!path)
        return berr_msg(err, "no seccomp profile: berth's seccomp.json was not found "
                             "(install it with make install, or use --security-opt "
                             "seccomp=unconfined)");
    if (seccomp_file_to_oci(c->h->seccomp_cache, path, c->bounding, c->h->goarch, &sc,
                            c->h->seccomp_text, err) < 0)
        return -1;
    if (json_object_set(json_object_get(spec, "linux"), "seccomp", sc) < 0)
        return berr_oom(err);
    return 0;
}

static void ctx_free(struct spec_ctx *c)
{
    strv_free(c->bounding);
    strv_free(c->masked);
    strv_free(c->unmasked);
    free(c->init_path);
}

/* podman: a --workdir the user named must exist, in the root file system
 * or at or below a mount's destination; the image's WorkingDir is made
 * by the OCI runtime when missing. */
static int check_workdir(struct spec_ctx *c, json_t *spec, struct berr **err)
{
    const char *cwd = js_str(c->ctr, "workdir", "");
    json_t *m;
    size_t i;

    if (!*cwd || !c->h->rootfs || user_dir_in_root(c->h->rootfs, cwd))
        return 0;
    json_array_foreach(json_object_get(spec, "mounts"), i, m) {
        const char *d = js_str(m, "destination", "");
        size_t n = strlen(d);
        if (n > 1 && strncmp(cwd, d, n) == 0 && (cwd[n] == '\0' || cwd[n] == '/'))
            return 0;
    }
    return berr_new(err, 126, 0, "workdir \"%s\" does not exist on container %s", cwd, c->id);
}

int spec_build(const struct config *cfg, json_t *ctr, json_t *image, const struct spec_host *h,
               json_t **out, struct berr **err)
{
    _cleanup_(ctx_free) struct spec_ctx c = { .cfg = cfg, .ctr = ctr, .image = image, .h = h };
    _cleanup_json_ json_t *spec = json_object(), *root = json_object();
    struct secopts so = { 0 };
    _cleanup_free_ char *shortid = NULL;
    const char *hostname, *seccomp_file = NULL;

    if (!spec || !root)
        return berr_oom(err);
    c.id = js_str(ctr, "id", NULL);
    if (!c.id || strlen(c.id) < 12)
        return berr_msg(err, "spec: container id missing");
    c.privileged = js_bool(ctr, "privileged", false);
    c.ns[SPEC_NS_NET] = ns_mode(ctr, "network", "bridge");
    c.ns[SPEC_NS_PID] = ns_mode(ctr, "pid", "private");
    c.ns[SPEC_NS_IPC] = ns_mode(ctr, "ipc", "private");
    c.ns[SPEC_NS_UTS] = ns_mode(ctr, "uts", "private");
    c.ns[SPEC_NS_CGROUP] = ns_mode(ctr, "cgroup", h->cgroup_v2 ? "private" : "host");
    c.ns[SPEC_NS_USER] = ns_mode(ctr, "user", "host");
    c.userns = strcmp(c.ns[SPEC_NS_USER], "host") != 0;
    c.systemd = js_bool(ctr, "systemdMode", false);
    c.masked = calloc(1, sizeof(char *));
    c.unmasked = calloc(1, sizeof(char *));
    if (!c.masked || !c.unmasked)
        return berr_oom(err);
    if (parse_secopts(&c, &so, err) < 0 || resolve_init(&c, err) < 0)
        return -1;

    if (js_set_str(spec, "ociVersion", "1.0.2-dev") < 0)
        return berr_oom(err);
    if (build_process(&c, spec, err) < 0)
        return -1;
    if (so.nnp && js_set_bool(json_object_get(spec, "process"), "noNewPrivileges", true) < 0)
        return berr_oom(err);

    if (js_set_str(root, "path", h->rootfs) < 0 ||
        (js_bool(ctr, "readOnly", false) && js_set_bool(root, "readonly", true) < 0) ||
        json_object_set(spec, "root", root) < 0)
        return berr_oom(err);
    /* Only a UTS namespace of its own gets a host name: the runtime would
     * set it in a joined one (container:X, ns:PATH) too, renaming X (or,
     * through a pod whose infra is in the host's, the host). */
    if (strcmp(c.ns[SPEC_NS_UTS], "host") != 0 && !str_has_prefix(c.ns[SPEC_NS_UTS], "container:") &&
        !str_has_prefix(c.ns[SPEC_NS_UTS], "ns:")) {
        hostname = js_str(ctr, "hostname", "");
        if (!*hostname) {
            if (!(shortid = str_ndup(c.id, 12)))
                return berr_oom(err);
            hostname = shortid;
        }
        if (js_set_str(spec, "hostname", hostname) < 0)
            return berr_oom(err);
    }
    if (spec_add_mounts(&c, spec, err) < 0 || spec_add_linux(&c, spec, err) < 0 ||
        check_workdir(&c, spec, err) < 0)
        return -1;
    if (build_seccomp(&c, spec, so.seccomp, &seccomp_file, err) < 0 ||
        build_annotations(&c, spec, stop_signal(&c, err), seccomp_file, err) < 0)
        return -1;
    *out = STEAL_PTR(spec);
    return 0;
}

char *spec_dump(json_t *spec)
{
    _cleanup_free_ char *s = js_dumps_sorted(spec, 1);
    struct sbuf b = SBUF_INIT;
    const char *p = s, *hit;

    if (!s)
        return NULL;
    /* only rlimits have "soft"/"hard" members in an OCI spec */
    while ((hit = strstr(p, "\": -1"))) {
        bool rl = hit - s >= 5 && (strncmp(hit - 5, "\"soft", 5) == 0 || strncmp(hit - 5, "\"hard", 5) == 0);
        sbuf_addn(&b, p, (size_t) (hit - p) + 3);
        sbuf_add(&b, rl ? "18446744073709551615" : "-1");
        p = hit + 5;
    }
    sbuf_add(&b, p);
    return sbuf_steal(&b);
}

int spec_load(const char *path, json_t **out, struct berr **err)
{
    static const char big[] = ": 18446744073709551615";
    _cleanup_free_ char *text = NULL;
    _cleanup_(sbuf_freep) struct sbuf b = SBUF_INIT;
    const char *p, *hit;
    json_error_t je;
    json_t *j;

    if (fs_read_file(path, &text, NULL, err) < 0)
        return -1;
    /* jansson has no uint64: spec_dump's unlimited rlimits ("soft" and
     * "hard" only) read back as -1 */
    for (p = text; (hit = strstr(p, big)); p = hit + sizeof(big) - 1) {
        bool rl = hit - text >= 6 && (strncmp(hit - 6, "\"soft\"", 6) == 0 ||
                                      strncmp(hit - 6, "\"hard\"", 6) == 0);
        if (sbuf_addn(&b, p, (size_t) (hit - p)) < 0 ||
            sbuf_add(&b, rl ? ": -1" : big) < 0)
            return berr_oom(err);
    }
    if (sbuf_add(&b, p) < 0)
        return berr_oom(err);
    j = json_loads(sbuf_str(&b), 0, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return berr_msg(err, "%s: %s", path, j ? "not a JSON object" : je.text);
    }
    *out = j;
    return 0;
}
