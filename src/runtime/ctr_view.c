/*
 * runtime/ctr_view.c: `ps` items (ctr_view.h). podman 4.3.1 formats its
 * JSON over one struct (ListContainer) and its templates over another
 * (psReporter), with different names and value forms ({{.Names}} is a
 * joined string, {{.State}} the status text, {{.Created}} a Go time);
 * both shapes are built here from one row per container.
 */
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "runtime/ctr_view.h"
#include "runtime/net/ports.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/timefmt.h"

/* Go's time.Time{}.Unix(): what podman prints for "never". */
#define GO_ZERO_UNIX (-62135596800LL)

struct ps_row {
    char *id;
    json_t *cfg, *st;           /* NULL when the record is broken */
    char *error;                /* why it is broken */
    int state;                  /* as ps believes it */
    int exit_code;
    bool exited;
    long long created_ns, started_ns, finished_ns;
    bool has_size;
    long long rw_size, rootfs_size;
    json_t *command;            /* array of strings */
    size_t seq;                 /* list order, for a stable sort */
    json_t *item;               /* built early; then cfg, st, command are gone */
    char *sort_text;            /* the sort key of image/names/command, kept */
};

/* What a row read from the records; its item no longer needs them. */
static void row_drop_records(struct ps_row *r)
{
    json_decref(r->cfg);
    json_decref(r->st);
    json_decref(r->command);
    r->cfg = r->st = r->command = NULL;
}

static void row_free(struct ps_row *r)
{
    free(r->id);
    free(r->error);
    row_drop_records(r);
    json_decref(r->item);
    free(r->sort_text);
}

/* ---- liveness without a lock ---- */

static bool live_state(int s)
{
    return s == CS_CREATED || s == CS_RUNNING || s == CS_PAUSED || s == CS_STOPPING;
}

static long long clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int ctr_view_state(struct runtime *rt, const char *id, json_t *st, int *state, int *code,
                   long long *finished_ns)
{
    _cleanup_free_ char *exits = NULL;
    struct timespec when = { 0, 0 };
    struct berr *e = NULL;
    int s = (int) js_int(st, "state", CS_UNKNOWN), c = 0, r;

    *state = s;
    *code = (int) js_int(st, "exitCode", 0);
    *finished_ns = js_int(st, "finishedNs", 0);
    if (!live_state(s))
        return 0;
    exits = str_fmt("%s/exits", rt->cfg->tmp_dir);
    if (!exits)
        return -1;
    r = conmon_read_exit_file(exits, id, &c, &when, &e);
    berr_free(e);
    if (r == 1) {
        *state = CS_EXITED;
        *code = c;
        *finished_ns = (long long) when.tv_sec * 1000000000LL + when.tv_nsec;
        return 0;
    }
    {
        pid_t cpid = (pid_t) js_int(st, "conmonPid", 0), pid = (pid_t) js_int(st, "pid", 0);
        unsigned long long cs = (unsigned long long) js_int(st, "conmonStart", 0);
        unsigned long long ps = (unsigned long long) js_int(st, "pidStart", 0);

        if ((cpid <= 0 && pid <= 0) || (cpid > 0 && proc_alive(cpid, cs)) ||
            (pid > 0 && proc_alive(pid, ps)))
            return 0;
    }
    /* Nobody is left to write an exit file: the exit is unknown. */
    *state = CS_EXITED;
    *code = -1;
    *finished_ns = clock_ns();
    return 0;
}

/* ---- the command ---- */

static json_t *str_array(json_t *v)
{
    return json_is_array(v) ? json_incref(v) : NULL;
}

/* The command the container runs: the OCI config's args once it was
 * initialised, else what create recorded (entrypoint + command). */
static json_t *row_command(struct runtime *rt, struct ps_row *r)
{
    json_t *spec = json_object_get(r->cfg, "spec");
    json_t *ep = json_object_get(spec, "entrypoint"), *cmd = json_object_get(spec, "command");
    json_t *eff = json_object_get(r->cfg, "command");
    json_t *out;

    if ((out = str_array(eff)))
        return out;
    if (js_int(r->st, "state", 0) != CS_CONFIGURED || !json_is_array(cmd)) {
        _cleanup_free_ char *b = ctr_bundle_dir(rt, r->id);
        _cleanup_free_ char *p = b ? str_fmt("%s/config.json", b) : NULL;
        _cleanup_json_ json_t *oci = NULL;
        struct berr *e = NULL;
        struct stat sb;

        if (p && stat(p, &sb) == 0 && js_read_file(p, &oci, &e) == 0 &&
            (out = str_array(json_object_get(json_object_get(oci, "process"), "args"))))
            return out;
        berr_free(e);
    }
    out = json_array();
    if (json_is_array(ep) && json_array_size(ep) && !(json_array_size(ep) == 1 &&
        !*json_string_value(json_array_get(ep, 0))))
        json_array_extend(out, ep);
    if (json_is_array(cmd))
        json_array_extend(out, cmd);
    return out;
}

/* ---- the view: what ps needs of the config, kept in the state ---- */

#define VIEW_VERSION 1

static void view_copy(json_t *to, json_t *from, const char *key)
{
    json_t *v = json_object_get(from, key);
    if (v)
        json_object_set_new(to, key, json_deep_copy(v));
}

json_t *ctr_view_record(json_t *cfg)
{
    json_t *v = json_object(), *spec = json_object_get(cfg, "spec"), *vs = json_object();
    json_t *ns = json_object_get(spec, "namespaces"), *mounts = json_object_get(spec, "mounts");
    static const char *const keys[] = {
        "name", "image", "command", "createdNs", "labels", "portMappings", "networks",
        "autoRemove", "namespace",
    };

    if (!v || !vs)
        return json_decref(v), json_decref(vs), NULL;
    json_object_set_new(v, "v", json_integer(VIEW_VERSION));
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        view_copy(v, cfg, keys[i]);
    view_copy(vs, spec, "entrypoint");
    view_copy(vs, spec, "command");
    if (json_object_get(ns, "network"))
        json_object_set_new(vs, "namespaces", json_pack("{s:O}", "network",
                                                        json_object_get(ns, "network")));
    if (json_is_array(mounts)) {
        json_t *ms = json_array(), *m;
        size_t i;
        json_array_foreach(mounts, i, m)
            json_array_append_new(ms, json_pack("{s:s, s:s}", "type", js_str(m, "type", ""),
                                                "destination", js_str(m, "destination", "")));
        json_object_set_new(vs, "mounts", ms);
    }
    json_object_set_new(v, "spec", vs);
    return v;
}

int ctr_view_sync(json_t *cfg, json_t *st)
{
    json_t *v = ctr_view_record(cfg);

    if (!v)
        return -1;
    if (json_equal(v, json_object_get(st, "view"))) {
        json_decref(v);
        return 0;
    }
    json_object_set_new(st, "view", v);
    return 1;
}

/* ---- reading rows ---- */

static void row_load(struct runtime *rt, struct ps_row *r)
{
    struct berr *e = NULL;
    json_t *view;
    int rr;

    /* One file per container: the state carries the config's view; a
     * record written before views existed is read whole. */
    rr = state_read(rt->st, OBJ_CONTAINER, r->id, NULL, &r->st, &e);
    if (rr == 0 && json_is_object(view = json_object_get(r->st, "view")) &&
        js_int(view, "v", 0) == VIEW_VERSION)
        r->cfg = json_incref(view);
    else if (rr == 0)
        rr = state_read(rt->st, OBJ_CONTAINER, r->id, &r->cfg, NULL, &e);
    if (rr < 0) {
        r->error = str_dup(e && e->msg ? e->msg : "unreadable record");
        berr_free(e);
        json_decref(r->cfg);
        json_decref(r->st);
        r->cfg = r->st = NULL;
        r->state = CS_UNKNOWN;
        return;
    }
    r->created_ns = js_int(r->cfg, "createdNs", 0);
    r->started_ns = js_int(r->st, "startedNs", 0);
    if (ctr_view_state(rt, r->id, r->st, &r->state, &r->exit_code, &r->finished_ns) < 0)
        r->state = (int) js_int(r->st, "state", CS_UNKNOWN);
    r->exited = r->state == CS_EXITED || r->state == CS_STOPPED ||
                (js_bool(r->st, "exited", false) && r->state != CS_RUNNING &&
                 r->state != CS_PAUSED);
    if (!r->exited && r->state != CS_STOPPED && r->state != CS_EXITED)
        r->exit_code = (int) js_int(r->st, "exitCode", 0);
    r->command = row_command(rt, r);
}

static const char *row_name(const struct ps_row *r)
{
    return r->cfg ? js_str(r->cfg, "name", "") : "";
}

static const char *row_image(const struct ps_row *r)
{
    return js_str(json_object_get(r->cfg, "image"), "name", "");
}

static const char *row_image_id(const struct ps_row *r)
{
    return js_str(json_object_get(r->cfg, "image"), "id", "");
}

static const char *row_state_name(const struct ps_row *r)
{
    if (r->error)
        return "error";
    return ctr_state_shown(r->state);
}

/* podman's psReporter.State(): "Up 3 minutes ago", "Exited (0) 2 seconds
 * ago", else the state with a capital. */
static char *row_status(const struct ps_row *r, double now)
{
    const char *s = row_state_name(r);

    if (r->error)
        return str_fmt("Error: %s", r->error);
    if (r->state == CS_RUNNING) {
        _cleanup_free_ char *d = hum_ago_at((double) r->started_ns / 1e9, now);
        return d ? str_fmt("Up %s", d) : NULL;
    }
    if (r->state == CS_EXITED || r->state == CS_STOPPED) {
        _cleanup_free_ char *d = hum_ago_at((double) r->finished_ns / 1e9, now);
        return d ? str_fmt("Exited (%d) %s", r->exit_code, d) : NULL;
    }
    {
        char *t = str_dup(s);
        if (t && *t >= 'a' && *t <= 'z')
            *t -= 'a' - 'A';
        return t;
    }
}

/* ---- filters ---- */

enum fkey { F_ID, F_NAME, F_STATUS, F_LABEL, F_ANCESTOR, F_EXITED, F_BEFORE, F_SINCE, F__N };
static const char *const fkey_names[F__N] = {
    "id", "name", "status", "label", "ancestor", "exited", "before", "since",
};

struct fvals {
    char **v;                   /* values */
    regex_t *re;                /* id/name: compiled values (NULL where invalid) */
    bool *re_ok;
    size_t n;
    long long when_ns;          /* before/since: the reference's creation */
};

struct filters {
    struct fvals f[F__N];
    bool any;
};

static void filters_free(struct filters *fs)
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

static const char *const state_names[] = {
    "created", "running", "paused", "stopped", "exited", "unknown", "removing",
    "initialized", "configured", NULL,
};

static int filter_key(const char *s, size_t len)
{
    for (int k = 0; k < F__N; k++)
        if (strlen(fkey_names[k]) == len && strncmp(fkey_names[k], s, len) == 0)
            return k;
    return -1;
}

static int filters_parse(char **in, struct filters *fs, struct berr **err)
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
    r = filters_parse(q->filters, &fs, err);
    filters_free(&fs);
    return r;
}

/* before=/since= name a container: its creation time is the boundary. */
static int filters_resolve(struct runtime *rt, struct filters *fs, struct berr **err)
{
    const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;

    for (int k = F_BEFORE; k <= F_SINCE; k++) {
        struct fvals *f = &fs->f[k];
        /* podman keeps the last value of these */
        for (size_t i = 0; i < f->n; i++) {
            char id[STATE_ID_LEN + 1];
            _cleanup_json_ json_t *cfg = NULL;
            if (state_lookup(rt->st, OBJ_CONTAINER, f->v[i], ns, id, err) < 0 ||
                state_read(rt->st, OBJ_CONTAINER, id, &cfg, NULL, err) < 0)
                return -1;
            f->when_ns = js_int(cfg, "createdNs", 0);
        }
    }
    return 0;
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
    const char *name = row_image(r), *colon = strrchr(name, ':');
    const char *slash = strrchr(name, '/');

    for (size_t i = 0; i < f->n; i++) {
        const char *v = f->v[i];
        if (str_eq(v, row_image_id(r)) || str_eq(v, name))
            return true;
        if (colon && (!slash || colon > slash) && str_eq(colon + 1, "latest") &&
            strlen(v) == (size_t) (colon - name) && strncmp(v, name, strlen(v)) == 0)
            return true;
    }
    return false;
}

static bool match_status(const struct fvals *f, const struct ps_row *r)
{
    const char *s = row_state_name(r);

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

static bool row_matches(const struct filters *fs, const struct ps_row *r)
{
    const struct fvals *f = fs->f;

    if (r->error)   /* a broken record shows only unfiltered */
        return !fs->any;
    return (!f[F_ID].n || match_re(&f[F_ID], r->id)) &&
           (!f[F_NAME].n || match_re(&f[F_NAME], row_name(r))) &&
           (!f[F_STATUS].n || match_status(&f[F_STATUS], r)) &&
           (!f[F_LABEL].n || match_labels(&f[F_LABEL], json_object_get(r->cfg, "labels"))) &&
           (!f[F_ANCESTOR].n || match_ancestor(&f[F_ANCESTOR], r)) &&
           (!f[F_EXITED].n || match_exited(&f[F_EXITED], r)) &&
           (!f[F_BEFORE].n || r->created_ns < f[F_BEFORE].when_ns) &&
           (!f[F_SINCE].n || r->created_ns > f[F_SINCE].when_ns);
}

/* ---- sorting ---- */

enum sort_by { S_CREATED, S_ID, S_IMAGE, S_NAMES, S_COMMAND, S_RUNNINGFOR, S_STATUS, S_SIZE };
static enum sort_by sort_by;

static enum sort_by sort_key(const char *k)
{
    static const char *const keys[] = {
        [S_CREATED] = "created", [S_ID] = "id", [S_IMAGE] = "image", [S_NAMES] = "names",
        [S_COMMAND] = "command", [S_RUNNINGFOR] = "runningfor", [S_STATUS] = "status",
        [S_SIZE] = "size",
    };
    for (size_t i = 0; k && i < sizeof(keys) / sizeof(keys[0]); i++)
        if (str_eq(keys[i], k))
            return (enum sort_by) i;
    return S_CREATED;
}

static int cmp_ll(long long a, long long b) { return a < b ? -1 : a > b; }

static char *cmd_text(const struct ps_row *r)
{
    _cleanup_strv_ char **v = js_to_strv(r->command);
    return v ? strv_join(v, " ") : str_dup("");
}

static char *row_sort_text(const struct ps_row *r)
{
    switch (sort_by) {
    case S_IMAGE: return str_dup(row_image(r));
    case S_NAMES: return str_dup(row_name(r));
    case S_COMMAND: return cmd_text(r);
    default: return NULL;
    }
}

static int row_cmp(const void *pa, const void *pb)
{
    const struct ps_row *a = pa, *b = pb;
    int c = 0;

    switch (sort_by) {
    case S_ID: c = strcmp(a->id, b->id); break;
    case S_IMAGE:
    case S_NAMES:
    case S_COMMAND:
        c = strcmp(a->sort_text ? a->sort_text : "", b->sort_text ? b->sort_text : "");
        break;
    case S_RUNNINGFOR: c = cmp_ll(a->started_ns, b->started_ns); break;
    case S_STATUS: c = strcmp(row_state_name(a), row_state_name(b)); break;
    case S_SIZE: c = a->has_size && b->has_size ? cmp_ll(a->rw_size, b->rw_size) : 0; break;
    case S_CREATED: c = cmp_ll(a->created_ns, b->created_ns); break;
    }
    return c ? c : cmp_ll((long long) a->seq, (long long) b->seq);
}

/* ---- item shapes ---- */

static json_t *go_time_string(long long ns)
{
    char buf[TIME_BUF];
    struct timespec ts = { (time_t) (ns / 1000000000LL), (long) (ns % 1000000000LL) };

    if (ns <= 0)
        return json_string("0001-01-01 00:00:00 +0000 UTC");
    return json_string(time_go_string(ts, buf, sizeof(buf)));
}

static long long unix_or_zero(long long ns)
{
    return ns > 0 ? ns / 1000000000LL : GO_ZERO_UNIX;
}

static json_t *row_mounts(const struct ps_row *r)
{
    json_t *out = json_array(), *m;
    size_t i;

    json_array_foreach(json_object_get(json_object_get(r->cfg, "spec"), "mounts"), i, m) {
        const char *t = js_str(m, "type", "");
        if (str_eq(t, "bind") || str_eq(t, "volume"))
            json_array_append_new(out, json_string(js_str(m, "destination", "")));
    }
    return out;
}

static json_t *row_networks(struct runtime *rt, const struct ps_row *r)
{
    json_t *ns = json_object_get(json_object_get(r->cfg, "spec"), "namespaces");
    const char *mode = js_str(ns, "network", "bridge");
    const char *def = rt->cfg->default_network ? rt->cfg->default_network : "berth";
    json_t *out = json_array(), *nets = json_object_get(r->cfg, "networks"), *v;
    const char *name;

    if (!str_eq(mode, "bridge") && *mode)
        return out;
    /* {name: {aliases, ...}} (runtime/net/net.h) */
    json_object_foreach(nets, name, v)
        json_array_append_new(out, json_string(name));
    if (!json_array_size(out))
        json_array_append_new(out, json_string(def));
    return out;
}

static json_t *row_ports(const struct ps_row *r)
{
    json_t *pm = json_object_get(r->cfg, "portMappings"), *out, *p;
    size_t i;

    if (!json_array_size(pm))
        return json_null();
    /* netavark's port_mappings objects, in podman's key order */
    out = json_array();
    json_array_foreach(pm, i, p)
        json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:I, s:s}", "host_ip",
                                             js_str(p, "host_ip", ""), "container_port",
                                             (json_int_t) js_int(p, "container_port", 0),
                                             "host_port", (json_int_t) js_int(p, "host_port", 0),
                                             "range", (json_int_t) js_int(p, "range", 1),
                                             "protocol", js_str(p, "protocol", "tcp")));
    return out;
}

/* podman's ports column: "0.0.0.0:8080->80/tcp, ..." */
static char *ports_text(const struct ps_row *r)
{
    _cleanup_free_ struct net_port *v = NULL;
    size_t n = 0;
    struct berr *e = NULL;

    if (ports_from_json(json_object_get(r->cfg, "portMappings"), &v, &n, &e) < 0) {
        berr_free(e);
        return str_dup("");
    }
    return ports_fmt(v, n);
}

/* go-units HumanSizeWithPrecision(n, 3) without podman's images space. */
static char *size_nospace(long long n)
{
    char *s = hum_size((double) n), *sp = s ? strchr(s, ' ') : NULL;
    if (sp)
        memmove(sp, sp + 1, strlen(sp));
    return s;
}

static long long row_exited_at(const struct ps_row *r)
{
    return r->exited ? unix_or_zero(r->finished_ns) : GO_ZERO_UNIX;
}

static long long row_pid(const struct ps_row *r)
{
    return r->state == CS_RUNNING || r->state == CS_PAUSED ? js_int(r->st, "pid", 0) : 0;
}

static json_t *json_item(struct runtime *rt, const struct ps_row *r, double now)
{
    json_t *o = json_object(), *labels = json_object_get(r->cfg, "labels");
    _cleanup_free_ char *ago = hum_ago_at((double) r->created_ns / 1e9, now);
    _cleanup_free_ char *status = row_status(r, now);
    json_t *names = json_array();

    if (!o || !names)
        return json_decref(o), json_decref(names), NULL;
    if (r->cfg)
        json_array_append_new(names, json_string(row_name(r)));
    json_object_set_new(o, "AutoRemove", json_boolean(js_bool(r->cfg, "autoRemove", false)));
    json_object_set_new(o, "Command", r->command ? json_incref(r->command) : json_array());
    json_object_set_new(o, "CreatedAt", json_string(ago ? ago : ""));
    json_object_set_new(o, "Exited", json_boolean(r->exited));
    json_object_set_new(o, "ExitedAt", json_integer(row_exited_at(r)));
    json_object_set_new(o, "ExitCode", json_integer(r->exit_code));
    json_object_set_new(o, "Id", json_string(r->id));
    json_object_set_new(o, "Image", json_string(row_image(r)));
    json_object_set_new(o, "ImageID", json_string(row_image_id(r)));
    json_object_set_new(o, "IsInfra", json_false());
    json_object_set_new(o, "Labels", json_object_size(labels) ? json_incref(labels) : json_null());
    json_object_set_new(o, "Mounts", row_mounts(r));
    json_object_set_new(o, "Names", names);
    json_object_set_new(o, "Namespaces", json_object());
    json_object_set_new(o, "Networks", r->cfg ? row_networks(rt, r) : json_array());
    json_object_set_new(o, "Pid", json_integer(row_pid(r)));
    json_object_set_new(o, "Pod", json_string(""));
    json_object_set_new(o, "PodName", json_string(""));
    json_object_set_new(o, "Ports", row_ports(r));
    json_object_set_new(o, "Size", r->has_size ? json_pack("{s:I, s:I}", "rootFsSize",
                                                           (json_int_t) r->rootfs_size, "rwSize",
                                                           (json_int_t) r->rw_size)
                                               : json_null());
    json_object_set_new(o, "StartedAt", json_integer(unix_or_zero(r->started_ns)));
    json_object_set_new(o, "State", json_string(row_state_name(r)));
    json_object_set_new(o, "Status", json_string(status ? status : ""));
    json_object_set_new(o, "Created", json_integer(r->created_ns / 1000000000LL));
    return o;
}

static char *trunc_command(const char *s, bool no_trunc)
{
    /* podman: longer than 20 -> the first 17 and "..." */
    if (no_trunc || strlen(s) <= 20)
        return str_dup(s);
    return str_fmt("%.17s...", s);
}

/* The template fields, and which of them a template may read. */
enum tfield {
    T_ID, T_IMAGE, T_COMMAND, T_CREATEDHUMAN, T_RUNNINGFOR, T_CREATED, T_CREATEDAT, T_STATUS,
    T_STATE, T_PORTS, T_NAMES, T_SIZE, T_LABELS, T_MOUNTS, T_NETWORKS, T_PID, T_IMAGEID, T_POD,
    T_PODNAME, T_EXITCODE, T_EXITED, T_EXITEDAT, T_STARTEDAT, T_AUTOREMOVE, T_ISINFRA,
    T_NAMESPACES, T_CGROUP, T_IPC, T_MNT, T_NET, T_PIDNS, T_USER, T_UTS, T__N
};
static const char *const tfield_names[T__N] = {
    "ID", "Image", "Command", "CreatedHuman", "RunningFor", "Created", "CreatedAt", "Status",
    "State", "Ports", "Names", "Size", "Labels", "Mounts", "Networks", "Pid", "ImageID", "Pod",
    "PodName", "ExitCode", "Exited", "ExitedAt", "StartedAt", "AutoRemove", "IsInfra",
    "Namespaces", "Cgroup", "IPC", "MNT", "NET", "PIDNS", "User", "UTS",
};

static bool ident_char(char c)
{
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A superset of the fields template t can read: those named by one of its
 * words (any case: .Names, $c.Names, index . "Names"), or all of them when
 * it uses the bare dot ({{.}}, {{json .}}, {{range .}}) or t is NULL.
 * Building only these is much of what makes `ps` over many containers cheap. */
static void tfields_wanted(const char *t, bool want[T__N])
{
    bool all = !t;

    for (int i = 0; i < T__N; i++)
        want[i] = false;
    for (const char *p = t; p && *p && !all; p++) {
        const char *w = p;
        if (*p == '.' && !ident_char(p[1])) {
            all = true;
            break;
        }
        if (!ident_char(*p) || (p > t && ident_char(p[-1])))
            continue;
        while (ident_char(*p))
            p++;
        for (int i = 0; i < T__N; i++)
            if (strlen(tfield_names[i]) == (size_t) (p - w) &&
                strncasecmp(tfield_names[i], w, (size_t) (p - w)) == 0)
                want[i] = true;
        p--;
    }
    for (int i = 0; all && i < T__N; i++)
        want[i] = true;
}

/* podman shows some values under two names: v goes under the wanted ones. */
static void set_twins(json_t *o, const bool want[T__N], enum tfield a, enum tfield b, json_t *v)
{
    if (want[a])
        json_object_set_nocheck(o, tfield_names[a], v);
    if (want[b])
        json_object_set_nocheck(o, tfield_names[b], v);
    json_decref(v);
}

static json_t *template_item(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                             const bool want[T__N], double now)
{
    json_t *o = json_object();
    _cleanup_free_ char *status = NULL;
#define W(f) want[T_##f]
    /* our own ASCII keys: no UTF-8 check */
#define SET(f, v) json_object_set_new_nocheck(o, tfield_names[T_##f], (v))

    if (!o)
        return NULL;
    /* always: an item with no keys would not read as a struct, and an
     * unknown field must still be an error */
    SET(ID, json_stringn(r->id, q->no_trunc || strlen(r->id) < 12 ? strlen(r->id) : 12));
    if (W(IMAGE))
        SET(IMAGE, json_string(row_image(r)));
    if (W(COMMAND)) {
        _cleanup_free_ char *cmd = cmd_text(r);
        _cleanup_free_ char *cmdt = cmd ? trunc_command(cmd, q->no_trunc) : NULL;
        SET(COMMAND, json_string(cmdt ? cmdt : ""));
    }
    if (W(CREATEDHUMAN) || W(RUNNINGFOR)) {
        _cleanup_free_ char *ago = hum_ago_at((double) r->created_ns / 1e9, now);
        set_twins(o, want, T_CREATEDHUMAN, T_RUNNINGFOR, json_string(ago ? ago : ""));
    }
    if (W(CREATED) || W(CREATEDAT))
        set_twins(o, want, T_CREATED, T_CREATEDAT, go_time_string(r->created_ns));
    if (W(STATUS) || W(STATE)) {
        status = row_status(r, now);
        set_twins(o, want, T_STATUS, T_STATE, json_string(status ? status : ""));
    }
    if (W(PORTS)) {
        _cleanup_free_ char *ports = ports_text(r);
        SET(PORTS, json_string(ports ? ports : ""));
    }
    if (W(NAMES))
        SET(NAMES, json_string(row_name(r)));
    if (W(SIZE)) {
        _cleanup_free_ char *size = NULL;
        if (r->has_size) {
            _cleanup_free_ char *rw = size_nospace(r->rw_size), *all = size_nospace(r->rootfs_size);
            size = str_fmt("%s (virtual %s)", rw ? rw : "", all ? all : "");
        }
        SET(SIZE, json_string(size ? size : ""));
    }
    if (W(LABELS)) {
        json_t *labels = json_object_get(r->cfg, "labels");
        SET(LABELS, json_is_object(labels) ? json_incref(labels) : json_object());
    }
    if (W(MOUNTS))
        SET(MOUNTS, r->cfg ? row_mounts(r) : json_array());
    if (W(NETWORKS)) {
        _cleanup_json_ json_t *nv = r->cfg ? row_networks(rt, r) : json_array();
        _cleanup_strv_ char **nets = js_to_strv(nv);
        _cleanup_free_ char *nt = nets ? strv_join(nets, ",") : NULL;
        SET(NETWORKS, json_string(nt ? nt : ""));
    }
    if (W(PID))
        SET(PID, json_integer(row_pid(r)));
    if (W(IMAGEID)) {
        const char *iid = row_image_id(r);
        SET(IMAGEID, q->no_trunc ? json_string(iid) : json_stringn(iid, strlen(iid) < 12 ? strlen(iid) : 12));
    }
    if (W(POD))
        SET(POD, json_string(""));
    if (W(PODNAME))
        SET(PODNAME, json_string(""));
    if (W(EXITCODE))
        SET(EXITCODE, json_integer(r->exit_code));
    if (W(EXITED))
        SET(EXITED, json_boolean(r->exited));
    if (W(EXITEDAT))
        SET(EXITEDAT, json_integer(row_exited_at(r)));
    if (W(STARTEDAT))
        SET(STARTEDAT, json_integer(unix_or_zero(r->started_ns)));
    if (W(AUTOREMOVE))
        SET(AUTOREMOVE, json_boolean(js_bool(r->cfg, "autoRemove", false)));
    if (W(ISINFRA))
        SET(ISINFRA, json_false());
    /* podman prints its empty Namespaces struct as seven empty fields */
    if (W(NAMESPACES))
        SET(NAMESPACES, json_string("{      }"));
    for (int i = T_CGROUP; i <= T_UTS; i++)
        if (want[i])
            json_object_set_new(o, tfield_names[i], json_string(""));
#undef W
#undef SET
    return o;
}

/* The row's item in the shape q asks for. */
static json_t *row_item(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                        const bool want[T__N], double now)
{
    return q->shape == PS_TEMPLATE ? template_item(rt, r, q, want, now) : json_item(rt, r, now);
}

/* ---- the listing ---- */

static void rows_free(struct ps_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        row_free(&rows[i]);
    free(rows);
}

static void row_size(struct runtime *rt, struct ps_row *r)
{
    struct store *s;
    struct berr *e = NULL;
    int64_t rw = 0;
    _cleanup_image_ struct store_image *img = NULL;

    if (!r->cfg || rt_store(rt, &s, &e) < 0) {
        berr_free(e);
        return;
    }
    if (store_ctr_size(s, r->id, &rw, &e) < 0) {
        berr_freep(&e);
        rw = 0;
    }
    r->rw_size = rw;
    r->rootfs_size = rw;
    if (*row_image_id(r) && store_image_lookup(s, row_image_id(r), &img, &e) == 0)
        r->rootfs_size += img->size;
    berr_free(e);
    r->has_size = true;
}

/* Reading the rows: the state record of each container (with its view of
 * the config), parsed and turned into an item. With many containers this runs on every CPU (up to 8): each
 * worker takes the next chunk of ids and fills their rows (a row that
 * does not pass keeps no id). Nothing shared is written but the chunk
 * counter and the oom flag; the state handle opens its dir fd once. */
struct ps_load {
    struct runtime *rt;
    const struct ps_query *q;
    const struct filters *fs;
    const bool *want;
    double now;
    bool all, early;
    struct ps_row *rows;
    char **ids;
    size_t n;
    size_t next;                /* atomic: the next unclaimed id */
    int oom;                    /* atomic */
};

#define PS_CHUNK 32

static void ps_load_one(struct ps_load *L, size_t i)
{
    struct ps_row *row = &L->rows[i];

    row->id = STEAL_PTR(L->ids[i]);
    row->seq = i;
    row_load(L->rt, row);
    if ((!L->all && (row->error || row->state != CS_RUNNING)) || !row_matches(L->fs, row)) {
        row_free(row);
        memset(row, 0, sizeof(*row));
        return;
    }
    row->sort_text = row_sort_text(row);
    if (!L->early)
        return;
    row->item = row_item(L->rt, row, L->q, L->want, L->now);
    if (!row->item)
        __atomic_store_n(&L->oom, 1, __ATOMIC_RELAXED);
    row_drop_records(row);
}

static void *ps_load_worker(void *arg)
{
    struct ps_load *L = arg;

    for (;;) {
        size_t i = __atomic_fetch_add(&L->next, PS_CHUNK, __ATOMIC_RELAXED);
        if (i >= L->n)
            return NULL;
        for (size_t end = i + PS_CHUNK < L->n ? i + PS_CHUNK : L->n; i < end; i++)
            ps_load_one(L, i);
    }
}

static void ps_load_rows(struct ps_load *L)
{
    pthread_t th[7];
    size_t nth = 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    /* a thread costs ~50 us: worth it from a few hundred files on */
    if (L->n >= 128 && cpus > 1) {
        size_t want = (size_t) (cpus < 8 ? cpus : 8) - 1;
        while (nth < want && pthread_create(&th[nth], NULL, ps_load_worker, L) == 0)
            nth++;
    }
    ps_load_worker(L);
    for (size_t i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
}

int ctr_ps_items(struct runtime *rt, const struct ps_query *q, json_t **items, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    _cleanup_json_ json_t *out = NULL;
    struct ps_row *rows = NULL;
    struct filters fs;
    size_t n = 0, k = 0, first = 0;
    long long last = q->latest ? 1 : q->last;
    bool all = q->all || last > 0;
    bool want[T__N];
    double now = q->now;
    int r = -1;

    if (ctr_ps_check(q, err) < 0 || filters_parse(q->filters, &fs, err) < 0)
        return -1;
    if (now <= 0)
        now = (double) clock_ns() / 1e9;
    /* podman: a status filter shows every state */
    if (fs.f[F_STATUS].n)
        all = true;
    if (filters_resolve(rt, &fs, err) < 0 || ctr_list_ids(rt, &ids, err) < 0)
        goto out;
    n = strv_len(ids);
    rows = calloc(n ? n : 1, sizeof(*rows));
    out = json_array();
    if (!rows || !out) {
        berr_oom(err);
        goto out;
    }
    tfields_wanted(q->tmpl, want);
    sort_by = sort_key(q->sort);
    {
        struct ps_load L = {
            .rt = rt, .q = q, .fs = &fs, .want = want, .now = now, .all = all,
            /* Without -n/-l/-s every row that passes the filters is shown:
             * its item is built at once and its records dropped, so the
             * heap stays small (on a VM each new page is a costly fault:
             * 1000 containers of parsed records were 10 MB). */
            .early = last <= 0 && !q->size,
            .rows = rows, .ids = ids, .n = n,
        };
        ps_load_rows(&L);
        /* keep the rows that passed, in list order */
        for (size_t i = 0; i < n; i++) {
            if (!rows[i].id)
                continue;
            if (k != i) {
                rows[k] = rows[i];
                memset(&rows[i], 0, sizeof(rows[i]));
            }
            k++;
        }
        if (L.oom) {
            berr_oom(err);
            goto out;
        }
    }
    /* -n/-l: the last created, in creation order */
    sort_by = S_CREATED;
    qsort(rows, k, sizeof(*rows), row_cmp);
    for (size_t i = 0; i < k; i++)
        rows[i].seq = i;        /* ties keep creation order */
    if (last > 0 && (size_t) last < k)
        first = k - (size_t) last;
    for (size_t i = first; i < k && q->size; i++)
        row_size(rt, &rows[i]);
    sort_by = sort_key(q->sort);
    qsort(rows + first, k - first, sizeof(*rows), row_cmp);
    for (size_t i = first; i < k; i++) {
        json_t *it = rows[i].item ? STEAL_PTR(rows[i].item) : row_item(rt, &rows[i], q, want, now);
        if (!it || json_array_append_new(out, it) < 0) {
            berr_oom(err);
            goto out;
        }
    }
    *items = STEAL_PTR(out);
    r = 0;
out:
    rows_free(rows, k);
    filters_free(&fs);
    return r;
}
