/*
 * cmd/ctropts_parse.c: value parsers for create/run options: sizes,
 * signals, env and label files, ulimits, security options, restart
 * policies, capabilities, devices, ports, addresses, namespaces.
 * Error texts are podman 4.3.1's (checked against the installed podman)
 * where it has one; berth's own where podman accepts a value that can
 * only fail later (an oom-score-adj of 5000, a relative mask path).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/ctropts_int.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/humanize.h"

extern char **environ;

int cp_inval(struct berr **err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    berr_vplain(err, BK_INVALID, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- lists ---- */

int cp_split_csv(const char *s, strv *out, struct berr **err)
{
    _cleanup_sbuf_ struct sbuf f = SBUF_INIT;
    const char *p = s;

    if (!*s)
        return 0;
    for (;;) {
        sbuf_reset(&f);
        if (*p == '"') {
            /* a quoted field: "" is a literal quote, as encoding/csv reads it */
            for (p++;; p++) {
                if (!*p)
                    return cp_inval(err, "parse error on %s: extraneous or missing \" in quoted-field", s);
                if (*p == '"' && p[1] == '"') {
                    sbuf_addc(&f, '"');
                    p++;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    sbuf_addc(&f, *p);
                }
            }
            if (*p && *p != ',')
                return cp_inval(err, "parse error on %s: extraneous or missing \" in quoted-field", s);
        } else {
            size_t n = strcspn(p, ",");
            sbuf_addn(&f, p, n);
            p += n;
        }
        if (f.oom || strv_push(out, sbuf_str(&f)) < 0)
            return berr_oom(err);
        if (!*p)
            return 0;
        p++;    /* the comma */
    }
}

char *cp_abs_path(const char *s)
{
    _cleanup_free_ char *cwd = NULL, *j = NULL;

    if (s[0] == '/')
        return fs_clean(s);
    cwd = getcwd(NULL, 0);
    if (!cwd || !(j = fs_join(cwd, s)))
        return NULL;
    return fs_clean(j);
}

/* ---- sizes and signals ---- */

int ctropts_parse_size(const char *s, long long *out, struct berr **err)
{
    if (hum_parse_size(s, out) < 0)
        return cp_inval(err, "invalid size: '%s'", s);
    return 0;
}


int ctropts_parse_signal(const char *s)
{
    return spec_signal_parse(s);
}

/* ---- env and labels ---- */

static int env_glob(json_t *env, const char *prefix, size_t n, struct berr **err)
{
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        _cleanup_free_ char *k = NULL;
        if (!eq || strncmp(*e, prefix, n) != 0)
            continue;
        if (!(k = str_ndup(*e, (size_t) (eq - *e))))
            return berr_oom(err);
        if (json_object_set_new(env, k, json_string(eq + 1)) < 0)
            return berr_oom(err);
    }
    return 0;
}

/* podman's parseEnv: "K=V"; "K" takes our value if set; "K*" every variable
 * starting with K. An empty name is refused. */
int cp_env_add(json_t *env, const char *kv, struct berr **err)
{
    const char *eq = strchr(kv, '=');
    _cleanup_free_ char *k = str_ndup(kv, eq ? (size_t) (eq - kv) : strlen(kv));
    const char *v;

    if (!k)
        return berr_oom(err);
    if (!*k)
        return cp_inval(err, "invalid environment variable: \"%s\"", kv);
    if (eq)
        return json_object_set_new(env, k, json_string(eq + 1)) < 0 ? berr_oom(err) : 0;
    if (str_has_suffix(k, "*"))
        return env_glob(env, k, strlen(k) - 1, err);
    v = getenv(k);
    if (v && json_object_set_new(env, k, json_string(v)) < 0)
        return berr_oom(err);
    return 0;
}

/* Env and label files, as podman reads them: leading white space dropped,
 * blank lines and "#" comments skipped, every other line one variable. */
typedef int (*line_fn)(json_t *into, const char *line, struct berr **err);

static int read_kv_file(json_t *into, const char *path, line_fn fn, struct berr **err)
{
    _cleanup_free_ char *buf = NULL;
    char *line, *save = NULL;
    size_t len;

    if (fs_read_file(path, &buf, &len, err) < 0)
        return -1;
    for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t l;
        while (*line == ' ' || *line == '\t' || *line == '\r' || *line == '\v' || *line == '\f')
            line++;
        l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[l - 1] = '\0';
        if (!*line || *line == '#')
            continue;
        if (fn(into, line, err) < 0)
            return -1;
    }
    return 0;
}

int cp_env_file(json_t *env, const char *path, struct berr **err)
{
    struct berr *e = NULL;

    if (read_kv_file(env, path, cp_env_add, &e) < 0) {
        if (e && e->errnum == ENOENT) {
            /* fs_read_file words it "read X"; podman says "open X" */
            char eb[128];
            berr_new(err, BERR_ENGINE, 0, "parsing env file \"%s\": open %s: %s", path, path,
                     berr_strerror(e->errnum, eb, sizeof(eb)));
            berr_free(e);
            return -1;
        }
        *err = e;
        return berr_wrap(err, "parsing env file \"%s\"", path);
    }
    return 0;
}

int cp_label_add(json_t *labels, const char *kv, struct berr **err)
{
    const char *eq = strchr(kv, '=');
    _cleanup_free_ char *k = str_ndup(kv, eq ? (size_t) (eq - kv) : strlen(kv));

    if (!k)
        return berr_oom(err);
    if (!*k)
        return cp_inval(err, "unable to process labels: invalid label format: \"%s\"", kv);
    if (json_object_set_new(labels, k, json_string(eq ? eq + 1 : "")) < 0)
        return berr_oom(err);
    return 0;
}

/* In a label file podman 4.3.1 treats a bare "k" like an env file does (our
 * environment's value, dropped when unset); we do the same. */
static int label_line(json_t *labels, const char *line, struct berr **err)
{
    const char *v;

    if (strchr(line, '='))
        return cp_label_add(labels, line, err);
    if (!(v = getenv(line)))
        return 0;
    return json_object_set_new(labels, line, json_string(v)) < 0 ? berr_oom(err) : 0;
}

int cp_label_file(json_t *labels, const char *path, struct berr **err)
{
    struct berr *e = NULL;

    if (read_kv_file(labels, path, label_line, &e) < 0) {
        if (e && e->errnum) {
            char eb[128];
            berr_new(err, BERR_ENGINE, 0, "unable to process labels: open %s: %s", path,
                     berr_strerror(e->errnum, eb, sizeof(eb)));
            berr_free(e);
            return -1;
        }
        *err = e;
        return -1;
    }
    return 0;
}

/* ---- resources and limits ---- */

static const char *const ulimit_names[] = {
    "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile",
    "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
};

/* One ulimit value: an int64, -1 (and berth's "unlimited") = no limit. */
static int ulimit_value(const char *s, long long *v, const char **why, char *buf, size_t bl)
{
    if (strcmp(s, "unlimited") == 0) {
        *v = -1;
        return 0;
    }
    if (str_to_ll(s, v) == 0)
        return 0;
    snprintf(buf, bl, "strconv.ParseInt: parsing \"%s\": invalid syntax", s);
    *why = buf;
    return -1;
}

/* Why s is not a valid ulimit (into buf), or NULL when it is. */
static const char *ulimit_why(const char *s, char *buf, size_t bl)
{
    const char *eq = strchr(s, '='), *why = NULL, *colon;
    char sv[64];
    long long soft, hard;
    bool known = false;

    if (!eq) {
        snprintf(buf, bl, "invalid ulimit argument: %s", s);
        return buf;
    }
    for (size_t i = 0; i < ARRAY_SIZE(ulimit_names); i++)
        known |= strlen(ulimit_names[i]) == (size_t) (eq - s) &&
                 strncmp(s, ulimit_names[i], (size_t) (eq - s)) == 0;
    if (!known) {
        snprintf(buf, bl, "invalid ulimit type: %.*s", (int) (eq - s), s);
        return buf;
    }
    colon = strchr(eq + 1, ':');
    if (colon && strchr(colon + 1, ':')) {
        snprintf(buf, bl, "too many limit value arguments - %s, can only have up to two, `soft[:hard]`",
                 eq + 1);
        return buf;
    }
    snprintf(sv, sizeof(sv), "%.*s", (int) (colon ? colon - eq - 1 : (long) strlen(eq + 1)), eq + 1);
    if (ulimit_value(sv, &soft, &why, buf, bl) < 0)
        return why;
    hard = soft;
    if (colon && ulimit_value(colon + 1, &hard, &why, buf, bl) < 0)
        return why;
    if (hard != -1 && (soft == -1 || soft > hard)) {
        snprintf(buf, bl, "ulimit soft limit must be less than or equal to hard limit: %lld > %lld",
                 soft, hard);
        return buf;
    }
    return NULL;
}

int cp_ulimit_check(const char *s, struct berr **err)
{
    char buf[256];
    const char *why;

    if (strcmp(s, "host") == 0 || !(why = ulimit_why(s, buf, sizeof(buf))))
        return 0;
    return cp_inval(err, "ulimit option \"%s\" requires name=SOFT:HARD, failed to be parsed: %s", s,
                    why);
}

/* podman's parseLinuxResourcesDeviceAccess: "TYPE MAJOR:MINOR ACCESS",
 * TYPE a|b|c, MAJOR and MINOR numbers or "*", ACCESS of r, w, m. */
int cp_device_cgroup_rule(const char *s, struct berr **err)
{
    _cleanup_strv_ strv w = strv_split(s, " ");
    const char *colon;
    unsigned long long n;
    size_t spaces = 0;

    if (!w)
        return berr_oom(err);
    for (const char *c = s; *c; c++)
        spaces += *c == ' ';
    /* Go's strings.Split on " ": exactly three fields, none empty */
    if (strv_len(w) != 3 || spaces != 2)
        return cp_inval(err, "invalid device cgroup rule requires type, major:Minor, and access rules: \"%s\"", s);
    if (strcmp(w[0], "a") && strcmp(w[0], "b") && strcmp(w[0], "c"))
        return cp_inval(err, "invalid device type in device-access-add: %s", w[0]);
    colon = strchr(w[1], ':');
    for (int i = 0; i < 2; i++) {
        _cleanup_free_ char *num = i == 0 ? str_ndup(w[1], colon ? (size_t) (colon - w[1]) : strlen(w[1]))
                                          : str_dup(colon ? colon + 1 : "*");
        if (!num)
            return berr_oom(err);
        if (strcmp(num, "*") != 0 && str_to_ull(num, &n) < 0)
            return cp_inval(err, "strconv.ParseUint: parsing \"%s\": invalid syntax", num);
    }
    for (const char *a = w[2]; *a; a++)
        if (!strchr("rwm", *a))
            return cp_inval(err, "invalid device access in device-access-add: %c", *a);
    return 0;
}

/* podman's sysctl allow list: IPC sysctls and anything under net. */
int cp_sysctl_add(json_t *sysctls, const char *kv, struct berr **err)
{
    static const char *const ipc[] = { "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
                                       "kernel.sem", "kernel.shmall", "kernel.shmmax",
                                       "kernel.shmmni", "kernel.shm_rmid_forced" };
    const char *eq = strchr(kv, '=');
    _cleanup_free_ char *k = NULL;
    bool ok = false;

    if (!eq || eq == kv)
        return cp_inval(err, "%s is invalid, sysctl values must be in the form of KEY=VALUE", kv);
    if (!(k = str_ndup(kv, (size_t) (eq - kv))))
        return berr_oom(err);
    for (size_t i = 0; i < ARRAY_SIZE(ipc); i++)
        ok |= strcmp(k, ipc[i]) == 0;
    ok |= str_has_prefix(k, "fs.mqueue.") || str_has_prefix(k, "net.");
    if (!ok)
        return cp_inval(err, "sysctl '%s' is not allowed", k);
    if (json_object_set_new(sysctls, k, json_string(eq + 1)) < 0)
        return berr_oom(err);
    return 0;
}

/* ---- security ---- */


int cp_cap(const char *s, const char **out, struct berr **err)
{
    char up[64];
    size_t i, off = 0;

    if (strcasecmp(s, "all") == 0) {
        *out = "ALL";
        return 0;
    }
    if (strncasecmp(s, "CAP_", 4) != 0) {
        memcpy(up, "CAP_", 4);
        off = 4;
    }
    for (i = 0; s[i] && off + i < sizeof(up) - 1; i++)
        up[off + i] = (char) toupper((unsigned char) s[i]);
    up[off + i] = '\0';
    if ((*out = spec_cap_name(up)))
        return 0;
    return cp_inval(err, "\"%s\": unknown capability", up);
}

static int check_paths(const char *what, const char *v, struct berr **err)
{
    _cleanup_strv_ strv parts = strv_split(v, ":");

    if (!parts)
        return berr_oom(err);
    if (!parts[0])
        return cp_inval(err, "invalid --security-opt %s: no path given", what);
    for (size_t i = 0; parts[i]; i++)
        if (parts[i][0] != '/' && strcmp(parts[i], "ALL") != 0)
            return cp_inval(err, "invalid --security-opt %s: path \"%s\" is not absolute", what,
                            parts[i]);
    return 0;
}

int cp_security_opt(const char *s, char **out, struct berr **err)
{
    /* KEY=VALUE, or docker's older KEY:VALUE, which podman takes too */
    const char *eq = strchr(s, '=') ? strchr(s, '=') : strchr(s, ':');
    const char *v = eq ? eq + 1 : NULL;
    size_t kl = eq ? (size_t) (eq - s) : strlen(s);

#define KEY(k) (kl == strlen(k) && strncmp(s, k, kl) == 0)
    if (KEY("no-new-privileges")) {
        int on = v ? str_to_bool(v) : 1;
        if (on < 0)
            return cp_inval(err, "invalid --security-opt 2: \"%s\"", s);
        *out = str_dup(on ? "no-new-privileges=true" : "no-new-privileges=false");
        return *out ? 0 : berr_oom(err);
    } else if (KEY("seccomp") && v) {
        if (strcmp(v, "unconfined") != 0) {
            _cleanup_free_ char *abs = cp_abs_path(v);
            struct stat st;
            if (!abs)
                return berr_oom(err);
            if (stat(abs, &st) < 0)
                return berr_new(err, BERR_ENGINE, errno,
                                "opening seccomp profile failed: open %s", v);
            *out = str_fmt("seccomp=%s", abs);
            return *out ? 0 : berr_oom(err);
        }
    } else if ((KEY("mask") || KEY("unmask")) && v) {
        if (check_paths(KEY("mask") ? "mask" : "unmask", v, err) < 0)
            return -1;
    } else if (!((KEY("label") || KEY("apparmor") || KEY("proc-opts")) && v)) {
        return cp_inval(err, "invalid --security-opt %d: \"%s\"", eq ? 2 : 1, s);
    }
#undef KEY
    *out = eq && *eq == ':' ? str_fmt("%.*s=%s", (int) kl, s, v) : str_dup(s);
    return *out ? 0 : berr_oom(err);
}

/* ---- lifecycle values ---- */

int cp_restart(const char *s, struct ctropts *o, struct berr **err)
{
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t) (colon - s) : strlen(s);
    static const struct { const char *name; enum ctr_restart p; } pol[] = {
        { "", CTR_RESTART_NO }, { "no", CTR_RESTART_NO },
        { "on-failure", CTR_RESTART_ON_FAILURE }, { "always", CTR_RESTART_ALWAYS },
        { "unless-stopped", CTR_RESTART_UNLESS_STOPPED },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(pol); i++)
        if (strlen(pol[i].name) == n && strncmp(s, pol[i].name, n) == 0)
            break;
    if (i == ARRAY_SIZE(pol)) {
        if (colon)
            return cp_inval(err, "restart policy retries can only be specified with on-failure restart policy");
        return cp_inval(err, "running container create option: \"%s\" is not a valid restart policy: invalid argument", s);
    }
    o->restart = pol[i].p;
    o->restart_no = !strcmp(pol[i].name, "no");
    o->restart_retries = 0;
    if (colon) {
        long long r;
        if (o->restart != CTR_RESTART_ON_FAILURE)
            return cp_inval(err, "restart policy retries can only be specified with on-failure restart policy");
        if (str_to_ll(colon + 1, &r) < 0)
            return cp_inval(err, "parsing restart policy retry count: strconv.Atoi: parsing \"%s\": invalid syntax",
                            colon + 1);
        if (r <= 0 || r > 1000000)
            return cp_inval(err, "must specify restart policy retry count as a number greater than 0");
        o->restart_retries = (unsigned) r;
    }
    return 0;
}

/* Go's term.ToBytes, the detach key syntax: "x" or "ctrl-x", comma separated. */
int cp_detach_keys_check(const char *s, struct berr **err)
{
    _cleanup_strv_ strv keys = NULL;

    if (!*s)
        return 0;       /* "": detaching disabled */
    if (cp_split_csv(s, &keys, err) < 0)
        return -1;
    for (size_t i = 0; keys[i]; i++) {
        const char *k = keys[i];
        if (strlen(k) == 1)
            continue;
        if (strncasecmp(k, "ctrl-", 5) == 0 && strlen(k) == 6 &&
            (isalpha((unsigned char) k[5]) || strchr("@[\\]^_", k[5])))
            continue;
        return cp_inval(err, "invalid detach keys: Unknown character: '%s'", k);
    }
    return 0;
}

int cp_name_check(const char *s, struct berr **err)
{
    if (!isalnum((unsigned char) s[0]))
        goto bad;
    for (const char *p = s + 1; *p; p++)
        if (!isalnum((unsigned char) *p) && !strchr("_.-", *p))
            goto bad;
    return 0;
bad:
    return cp_inval(err, "running container create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");
}

int cp_umask_check(const char *s, struct berr **err)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 8);
    if (!*s || errno || *end || v > 0777 || !isdigit((unsigned char) *s))
        return cp_inval(err, "running container create option: invalid umask string %s: invalid argument", s);
    return 0;
}

int cp_tz_check(const char *s, struct berr **err)
{
    _cleanup_free_ char *p = NULL;

    if (strcmp(s, "local") == 0)
        return 0;
    if (s[0] == '/' || strstr(s, ".."))
        return cp_inval(err, "running container create option: invalid timezone %s", s);
    if (!(p = str_fmt("/usr/share/zoneinfo/%s", s)))
        return berr_oom(err);
    if (access(p, R_OK) < 0)
        return berr_new(err, BERR_ENGINE, errno, "running container create option: stat %s", p);
    return 0;
}

/* ---- devices, namespaces ---- */

static bool dev_mode_ok(const char *m)
{
    return *m && strspn(m, "rwm") == strlen(m);
}

/* "/dev/x", "/dev/x:/dev/y", "/dev/x:rw", "/dev/x:/dev/y:rwm" */
int cp_device_check(const char *s, struct berr **err)
{
    _cleanup_strv_ strv p = strv_split(s, ":");
    size_t n;
    struct stat st;

    if (!p)
        return berr_oom(err);
    n = strv_len(p);
    if (n < 1 || n > 3 || p[0][0] != '/')
        return cp_inval(err, "invalid device specification: %s", s);
    if (n == 2 && p[1][0] != '/' && !dev_mode_ok(p[1]))
        return cp_inval(err, "invalid device mode: %s", p[1]);
    if (n == 3 && p[1][0] != '/')
        return cp_inval(err, "invalid device specification: %s", s);
    if (n == 3 && !dev_mode_ok(p[2]))
        return cp_inval(err, "invalid device mode: %s", p[2]);
    if (stat(p[0], &st) < 0)
        return berr_sys(err, "stat %s", p[0]);
    if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode) && !S_ISDIR(st.st_mode))
        return cp_inval(err, "%s is not a device", p[0]);
    return 0;
}

int cp_ns_mode(const char *what, const char *s, char **out, struct berr **err)
{
    struct stat st;

    if (strcmp(s, "host") == 0 || strcmp(s, "private") == 0 || strcmp(s, "") == 0)
        *out = str_dup(*s ? s : "private");
    else if (strcmp(what, "IPC") == 0 && strcmp(s, "shareable") == 0)
        *out = str_dup(s);      /* private, but others may join it */
    else if (str_has_prefix(s, "container:") && s[10])
        *out = str_dup(s);
    else if (str_has_prefix(s, "ns:") && s[3]) {
        if (s[3] != '/')
            return cp_inval(err, "invalid %s namespace path %s: must be absolute", what, s + 3);
        if (stat(s + 3, &st) < 0)
            return berr_sys(err, "cannot find specified %s namespace path: stat %s", what, s + 3);
        *out = str_dup(s);
    } else if (strcmp(what, "IPC") == 0 && strcmp(s, "none") == 0) {
        *out = str_dup(s);      /* a private namespace without /dev/shm */
    } else {
        return cp_inval(err, "unrecognized namespace mode %s passed", s);
    }
    return *out ? 0 : berr_oom(err);
}
