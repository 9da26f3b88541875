/*
 * runtime/ctr_ps_item.c: the item of one `ps` row. podman 4.3.1 formats
 * its JSON over one struct (ListContainer) and its templates over another
 * (psReporter), with different names and value forms ({{.Names}} is a
 * joined string, {{.State}} the status text, {{.Created}} a Go time);
 * both shapes are built here from the row.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "runtime/ctr_ps_int.h"
#include "runtime/net/ports.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

/* Go's time.Time{}.Unix(): what podman prints for "never". */
#define GO_ZERO_UNIX (-62135596800LL)

/* podman's psReporter.State(): "Up 3 minutes ago", "Exited (0) 2 seconds
 * ago", else the state with a capital. */
static char *row_status(const struct ps_row *r, double now)
{
    const char *s = ps_row_state_name(r);

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
        json_array_append_new(names, json_string(ps_row_name(r)));
    json_object_set_new(o, "AutoRemove", json_boolean(js_bool(r->cfg, "autoRemove", false)));
    json_object_set_new(o, "Command", r->command ? json_incref(r->command) : json_array());
    json_object_set_new(o, "CreatedAt", json_string(ago ? ago : ""));
    json_object_set_new(o, "Exited", json_boolean(r->exited));
    json_object_set_new(o, "ExitedAt", json_integer(row_exited_at(r)));
    json_object_set_new(o, "ExitCode", json_integer(r->exit_code));
    json_object_set_new(o, "Id", json_string(r->id));
    json_object_set_new(o, "Image", json_string(ps_row_image(r)));
    json_object_set_new(o, "ImageID", json_string(ps_row_image_id(r)));
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
    json_object_set_new(o, "State", json_string(ps_row_state_name(r)));
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
void ps_tfields_wanted(const char *t, bool want[T__N])
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
        SET(IMAGE, json_string(ps_row_image(r)));
    if (W(COMMAND)) {
        _cleanup_free_ char *cmd = ps_row_cmd_text(r);
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
        SET(NAMES, json_string(ps_row_name(r)));
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
        const char *iid = ps_row_image_id(r);
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
json_t *ps_row_item(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                        const bool want[T__N], double now)
{
    return q->shape == PS_TEMPLATE ? template_item(rt, r, q, want, now) : json_item(rt, r, now);
}
