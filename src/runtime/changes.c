/*
 * runtime/changes.c: --change Dockerfile instructions -> image config.
 *
 * Docker's reading of each instruction, not podman 4.3.1's: podman
 * splits "ENV A=1 B=2" into the single variable "A=1 B=2", "ENV K V"
 * into "K V=", "LABEL a=b c=d" into a="b c=d" and refuses "EXPOSE 80 90";
 * those are its bugs, and a Dockerfile means what docker says. podman's
 * error wording is kept (`invalid change "X" - why`). STOPSIGNAL is
 * stored as a number, as podman does; ONBUILD is accepted and dropped,
 * as podman does (an OCI config has no place for it).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/changes.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

/* Shell-like words: blanks separate, '...' and "..." quote, backslash
 * escapes (outside quotes and inside "..."). -1 on an open quote. */
static int words(const char *s, char ***out)
{
    _cleanup_strv_ char **v = NULL;
    _cleanup_sbuf_ struct sbuf w = SBUF_INIT;
    bool in_word = false;
    char q = 0;

    for (const char *p = s;; p++) {
        char c = *p;
        if (!c) {
            if (q)
                return -1;
            break;
        }
        if (q == '\'') {
            if (c == '\'')
                q = 0;
            else
                sbuf_addc(&w, c);
            continue;
        }
        if (c == '\\' && p[1] && (!q || p[1] == '"' || p[1] == '\\')) {
            sbuf_addc(&w, *++p);
            in_word = true;
            continue;
        }
        if (q == '"') {
            if (c == '"')
                q = 0;
            else
                sbuf_addc(&w, c);
            continue;
        }
        if (c == '\'' || c == '"') {
            q = c;
            in_word = true;
            continue;
        }
        if (isspace((unsigned char) c)) {
            if (in_word && strv_push(&v, sbuf_str(&w)) < 0)
                return -1;
            sbuf_reset(&w);
            in_word = false;
            continue;
        }
        sbuf_addc(&w, c);
        in_word = true;
    }
    if (in_word && strv_push(&v, sbuf_str(&w)) < 0)
        return -1;
    if (!v && !(v = calloc(1, sizeof(char *))))
        return -1;
    *out = STEAL_PTR(v);
    return 0;
}

/* A JSON array of strings ("exec form"), or NULL. */
static json_t *json_form(const char *arg)
{
    json_t *j = arg[0] == '[' ? json_loads(arg, 0, NULL) : NULL;
    size_t i;
    json_t *x;

    if (!json_is_array(j)) {
        json_decref(j);
        return NULL;
    }
    json_array_foreach(j, i, x)
        if (!json_is_string(x)) {
            json_decref(j);
            return NULL;
        }
    return j;
}

static json_t *cmd_form(const char *arg)
{
    json_t *j = json_form(arg);
    return j ? j : json_pack("[s, s, s]", "/bin/sh", "-c", arg);
}

static json_t *obj_child(json_t *cfg, const char *key)
{
    json_t *o = json_object_get(cfg, key);

    if (json_is_object(o))
        return o;
    o = json_object();
    return o && json_object_set_new(cfg, key, o) == 0 ? o : NULL;
}

static int env_set(json_t *cfg, const char *k, const char *v)
{
    json_t *env = json_object_get(cfg, "Env"), *x;
    _cleanup_free_ char *kv = str_fmt("%s=%s", k, v);
    size_t klen = strlen(k), i;

    if (!kv)
        return -1;
    if (!json_is_array(env)) {
        if (!(env = json_array()) || json_object_set_new(cfg, "Env", env) < 0)
            return -1;
    }
    json_array_foreach(env, i, x) {
        const char *e = json_string_value(x);
        if (e && !strncmp(e, k, klen) && (e[klen] == '=' || !e[klen]))
            return json_array_set_new(env, i, json_string(kv));
    }
    return json_array_append_new(env, json_string(kv));
}

/* ENV and LABEL: "K=V K2=V2 ..." or the old "K V with spaces". */
static const char *key_values(json_t *cfg, const char *arg, bool env)
{
    _cleanup_strv_ char **w = NULL;

    if (words(arg, &w) < 0)
        return "unterminated quote";
    if (!w[0])
        return "must be formatted as KEY VALUE";
    if (!strchr(w[0], '=')) {
        /* old form: the rest of the line is the value */
        const char *rest = arg + strcspn(arg, " \t");
        rest += strspn(rest, " \t");
        if (!*rest)
            return env ? "ENV must have two arguments" : "LABEL must have two arguments";
        _cleanup_free_ char *val = NULL;
        _cleanup_strv_ char **vw = NULL;
        /* quotes around the value go, inner blanks stay */
        if ((*rest == '"' || *rest == '\'') && words(rest, &vw) == 0 && vw[0] && !vw[1])
            val = str_dup(vw[0]);
        else
            val = str_dup(rest);
        if (!val)
            return "out of memory";
        str_trim(val);
        if (env)
            return env_set(cfg, w[0], val) < 0 ? "out of memory" : NULL;
        json_t *l = obj_child(cfg, "Labels");
        return l && json_object_set_new(l, w[0], json_string(val)) == 0 ? NULL : "out of memory";
    }
    for (char **p = w; *p; p++) {
        char *eq = strchr(*p, '=');
        if (!eq)
            return env ? "ENV: every word must be KEY=VALUE" : "LABEL: every word must be KEY=VALUE";
        *eq = '\0';
        if (!**p)
            return env ? "ENV names can not be blank" : "LABEL names can not be blank";
        if (env ? env_set(cfg, *p, eq + 1) < 0
                : !obj_child(cfg, "Labels") ||
                      json_object_set_new(obj_child(cfg, "Labels"), *p, json_string(eq + 1)) < 0)
            return "out of memory";
    }
    return NULL;
}

static const char *port_num(const char *s, long long *out)
{
    if (str_to_ll(s, out) < 0 || *out < 1 || *out > 65535)
        return "EXPOSE port must be an integer between 1 and 65535";
    return NULL;
}

static const char *expose(json_t *cfg, const char *arg)
{
    _cleanup_strv_ char **w = NULL;
    json_t *ports;

    if (words(arg, &w) < 0 || !w[0])
        return "must be formatted as KEY VALUE";
    if (!(ports = obj_child(cfg, "ExposedPorts")))
        return "out of memory";
    for (char **p = w; *p; p++) {
        char *proto = strchr(*p, '/'), *dash;
        long long lo, hi;
        const char *why;
        if (proto)
            *proto++ = '\0';
        proto = proto ? str_lower(proto) : "tcp";
        if (strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "sctp"))
            return "EXPOSE protocol must be tcp, udp or sctp";
        if ((dash = strchr(*p, '-')))
            *dash++ = '\0';
        if ((why = port_num(*p, &lo)) || (why = port_num(dash ? dash : *p, &hi)))
            return why;
        if (hi < lo)
            return "EXPOSE port range must be ascending";
        for (long long n = lo; n <= hi; n++) {
            char key[32];
            snprintf(key, sizeof(key), "%lld/%s", n, proto);
            if (json_object_set_new(ports, key, json_object()) < 0)
                return "out of memory";
        }
    }
    return NULL;
}

static const char *volume(json_t *cfg, const char *arg)
{
    _cleanup_json_ json_t *j = json_form(arg);
    _cleanup_strv_ char **w = NULL;
    json_t *vols = obj_child(cfg, "Volumes"), *x;
    size_t i;

    if (!vols)
        return "out of memory";
    if (!j) {
        if (words(arg, &w) < 0 || !w[0] || !(j = js_strv(w)))
            return "VOLUME must be a path or a JSON list of paths";
    }
    if (json_array_size(j) == 0)
        return "VOLUME must name at least one path";
    json_array_foreach(j, i, x) {
        if (!*json_string_value(x))
            return "VOLUME specified can not be an empty string";
        if (json_object_set_new(vols, json_string_value(x), json_object()) < 0)
            return "out of memory";
    }
    return NULL;
}

static const char *set_str(json_t *cfg, const char *key, const char *arg)
{
    return json_object_set_new(cfg, key, json_string(arg)) < 0 ? "out of memory" : NULL;
}

/* One change applied to cfg: NULL, or why it is bad (static text, or
 * written into buf). */
static const char *apply_one(json_t *cfg, const char *change, char *buf, size_t bufsz)
{
    size_t klen = strcspn(change, " \t=");
    char key[16];

    if (klen == 0 || klen >= sizeof(key) || !change[klen])
        return "must be formatted as KEY VALUE";
    /* "KEY VALUE", or "KEY=VALUE" as podman also takes it */
    _cleanup_free_ char *val = str_dup(change + klen + (change[klen] == '=' ? 1 : 0));
    if (!val)
        return "out of memory";
    const char *arg = str_trim(val);
    if (!*arg)
        return "must be formatted as KEY VALUE";
    memcpy(key, change, klen);
    key[klen] = '\0';
    str_lower(key);

    if (!strcmp(key, "cmd") || !strcmp(key, "entrypoint")) {
        json_t *j = cmd_form(arg);
        return j && json_object_set_new(cfg, key[0] == 'c' ? "Cmd" : "Entrypoint", j) == 0
                   ? NULL : "out of memory";
    }
    if (!strcmp(key, "env"))
        return key_values(cfg, arg, true);
    if (!strcmp(key, "label"))
        return key_values(cfg, arg, false);
    if (!strcmp(key, "expose"))
        return expose(cfg, arg);
    if (!strcmp(key, "volume"))
        return volume(cfg, arg);
    if (!strcmp(key, "user"))
        return set_str(cfg, "User", arg);
    if (!strcmp(key, "workdir"))
        return set_str(cfg, "WorkingDir", arg);
    if (!strcmp(key, "stopsignal")) {
        int sig = spec_signal_parse(arg);
        char num[16];
        if (sig <= 0) {
            snprintf(buf, bufsz, "STOPSIGNAL must be given a valid signal: invalid signal: %s",
                     arg);
            return buf;
        }
        snprintf(num, sizeof(num), "%d", sig);
        return set_str(cfg, "StopSignal", num);
    }
    if (!strcmp(key, "onbuild"))
        return NULL;            /* as podman: accepted, an OCI config cannot hold it */
    for (char *p = key; *p; p++)
        *p = (char) toupper((unsigned char) *p);
    snprintf(buf, bufsz, "invalid instruction %s", key);
    return buf;
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* A copy of a map object with its keys sorted, as Go marshals maps. */
static json_t *sorted_map(json_t *m)
{
    size_t n = json_object_size(m), i = 0;
    _cleanup_free_ const char **keys = calloc(n + 1, sizeof(char *));
    json_t *o = json_object(), *v;
    const char *k;

    if (!keys || !o) {
        json_decref(o);
        return NULL;
    }
    json_object_foreach(m, k, v)
        keys[i++] = k;
    qsort(keys, n, sizeof(char *), cmp_key);
    for (i = 0; i < n; i++)
        if (json_object_set(o, keys[i], json_object_get(m, keys[i])) < 0) {
            json_decref(o);
            return NULL;
        }
    return o;
}

/* The keys in the order of Go's ImageConfig struct, the rest after; the
 * maps (ExposedPorts, Volumes, Labels) sorted. */
static json_t *ordered(json_t *cfg)
{
    static const char *const order[] = {
        "User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes",
        "WorkingDir", "Labels", "StopSignal",
    };
    json_t *o = json_object(), *v;
    const char *k;

    if (!o)
        return NULL;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        if ((v = json_object_get(cfg, order[i])) &&
            (json_is_object(v) ? json_object_set_new(o, order[i], sorted_map(v))
                               : json_object_set(o, order[i], v)) < 0)
            goto oom;
    json_object_foreach(cfg, k, v)
        if (!json_object_get(o, k) && json_object_set(o, k, v) < 0)
            goto oom;
    return o;
oom:
    json_decref(o);
    return NULL;
}

int changes_apply(json_t *base, char *const *changes, json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *cfg = base ? json_deep_copy(base) : json_object();
    char buf[256];

    if (!json_is_object(cfg))
        return cfg ? berr_msg(err, "image config is not an object") : berr_oom(err);
    for (char *const *c = changes; c && *c; c++) {
        const char *why = apply_one(cfg, *c, buf, sizeof(buf));
        if (why && !strcmp(why, "out of memory"))
            return berr_oom(err);
        if (why)
            return berr_msg(err, "invalid change \"%s\" - %s", *c, why);
    }
    if (!(*out = ordered(cfg)))
        return berr_oom(err);
    return 0;
}
