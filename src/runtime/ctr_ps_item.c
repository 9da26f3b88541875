/*
 * runtime/ctr_ps_item.c: the item of one `ps` row. podman 4.3.1 formats
 * its JSON over one struct (ListContainer) and its templates over another
 * (psReporter), with different names and value forms ({{.Names}} is a
 * joined string, {{.State}} the status text, {{.Created}} a Go time);
 * both shapes are built here from the row.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "runtime/ctr_ps_int.h"
#include "runtime/health.h"
#include "runtime/net/ports.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

/* Go's time.Time{}.Unix(): what podman prints for "never". */
#define GO_ZERO_UNIX (-62135596800LL)

/* How much of an id (a container's, its image's, its pod's) podman shows:
 * the first 12 bytes, or all of it with --no-trunc. */
static size_t id_shown(const char *id, const struct ps_query *q)
{
    return q->no_trunc ? strlen(id) : strnlen(id, 12);
}

/* podman's psReporter.State(): "Up 3 minutes ago", "Exited (0) 2 seconds
 * ago", else the state with a capital; appended to b. */
static void status_add(struct sbuf *b, const struct ps_row *r, double now)
{
    const char *s = ps_row_state_name(r);
    char d[HUM_AGO_BUF];

    if (r->error) {
        sbuf_addf(b, "Error: %s", r->error);
    } else if (r->state == CS_RUNNING) {
        const char *h = ctr_health_status(r->cfg, r->st);
        hum_ago_buf(d, (double) r->started_ns / 1e9, now);
        if (*h)
            sbuf_addf(b, "Up %s (%s)", d, h);
        else
            sbuf_addf(b, "Up %s", d);
    } else if (r->state == CS_EXITED || r->state == CS_STOPPED) {
        hum_ago_buf(d, (double) r->finished_ns / 1e9, now);
        sbuf_addf(b, "Exited (%d) %s", r->exit_code, d);
    } else if (*s) {
        sbuf_addc(b, *s >= 'a' && *s <= 'z' ? (char) (*s - ('a' - 'A')) : *s);
        sbuf_add(b, s + 1);
    }
}

static char *row_status(const struct ps_row *r, double now)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    status_add(&b, r, now);
    return sbuf_steal(&b);
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

/* The items' helpers below return NULL when out of memory. */

static json_t *row_mounts(const struct ps_row *r)
{
    _cleanup_json_ json_t *out = json_array();
    json_t *m;
    size_t i;

    if (!out)
        return NULL;
    /* the spec's mounts (runtime/spec.h), as the view keeps them */
    json_array_foreach(json_object_get(r->cfg->spec, "mounts"), i, m) {
        const char *t = js_str(m, "type", "");
        if ((str_eq(t, "bind") || str_eq(t, "volume")) &&
            json_array_append_new(out, json_string(js_str(m, "destination", ""))) < 0)
            return NULL;
    }
    return STEAL_PTR(out);
}

static json_t *row_networks(struct runtime *rt, const struct ps_row *r)
{
    const char *def = rt->cfg->default_network ? rt->cfg->default_network : "berth";
    _cleanup_json_ json_t *out = json_array();
    const char *name;
    json_t *v;

    if (!out)
        return NULL;
    if (!r->rec || !str_eq(r->cfg->ns_mode[SPEC_NS_NET], "bridge"))
        return STEAL_PTR(out);
    /* {name: {aliases, ...}} (runtime/net/net.h) */
    json_object_foreach(r->cfg->networks, name, v)
        if (json_array_append_new(out, json_string(name)) < 0)
            return NULL;
    if (!json_array_size(out) && json_array_append_new(out, json_string(def)) < 0)
        return NULL;
    return STEAL_PTR(out);
}

static json_t *row_ports(const struct ps_row *r)
{
    _cleanup_free_ struct net_port *v = NULL;
    _cleanup_json_ json_t *out = NULL;
    size_t n = 0;
    struct berr *e = NULL;

    if (ports_from_json(r->cfg->port_mappings, &v, &n, &e) < 0) {
        berr_free(e);
        n = 0;
    }
    if (!n)
        return json_null();
    /* netavark's port_mappings objects, in podman's key order */
    if (!(out = json_array()))
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:I, s:s}", "host_ip",
                                                 v[i].host_ip, "container_port",
                                                 (json_int_t) v[i].ctr_port, "host_port",
                                                 (json_int_t) v[i].host_port, "range",
                                                 (json_int_t) v[i].range, "protocol",
                                                 v[i].proto)) < 0)
            return NULL;
    return STEAL_PTR(out);
}

/* podman's ports column: "0.0.0.0:8080->80/tcp, ..." */
static char *ports_text(const struct ps_row *r)
{
    _cleanup_free_ struct net_port *v = NULL;
    size_t n = 0;
    struct berr *e = NULL;

    if (ports_from_json(r->cfg->port_mappings, &v, &n, &e) < 0) {
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
    return r->state == CS_RUNNING || r->state == CS_PAUSED ? r->st->pid : 0;
}

/* --ns: a namespace of the running container as podman shows it, the
 * inode number of /proc/PID/ns/NAME ("4026531835"); "" when not running. */
static char *ns_inode(const struct ps_row *r, const char *name)
{
    long long pid = row_pid(r);
    char p[64];
    struct stat st;

    snprintf(p, sizeof(p), "/proc/%lld/ns/%s", pid, name);
    if (pid <= 0 || stat(p, &st) < 0)
        return str_dup("");
    return str_fmt("%llu", (unsigned long long) st.st_ino);
}

/* podman's Namespaces, in its field order: Mnt Cgroup Ipc Net Pidns Uts User */
static const struct { const char *field, *ns; } ns_fields[] = {
    { "Mnt", "mnt" }, { "Cgroup", "cgroup" }, { "Ipc", "ipc" }, { "Net", "net" },
    { "Pidns", "pid" }, { "Uts", "uts" }, { "User", "user" },
};

/* The JSON shape: {} unless --ns and running. */
static json_t *ns_object(const struct ps_row *r, const struct ps_query *q)
{
    _cleanup_json_ json_t *o = json_object();

    if (!o || !q->ns || row_pid(r) <= 0)
        return STEAL_PTR(o);
    for (size_t i = 0; i < ARRAY_SIZE(ns_fields); i++) {
        _cleanup_free_ char *v = ns_inode(r, ns_fields[i].ns);
        if (!v || json_object_set_new(o, ns_fields[i].field, json_string(v)) < 0)
            return NULL;
    }
    return STEAL_PTR(o);
}

/* The template shape of Namespaces: Go prints the struct as its fields
 * between braces, so the empty one is "{      }". */
static char *ns_text(const struct ps_row *r, const struct ps_query *q)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    sbuf_addc(&b, '{');
    for (size_t i = 0; i < ARRAY_SIZE(ns_fields); i++) {
        _cleanup_free_ char *v = q->ns ? ns_inode(r, ns_fields[i].ns) : NULL;
        if (i)
            sbuf_addc(&b, ' ');
        sbuf_add(&b, v ? v : "");
    }
    sbuf_addc(&b, '}');
    return sbuf_steal(&b);
}

static json_t *json_item(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                         double now)
{
    _cleanup_json_ json_t *o = json_object();
    _cleanup_free_ char *ago = hum_ago_at((double) r->created_ns / 1e9, now);
    _cleanup_free_ char *status = row_status(r, now);
    json_t *names = json_array(), *labels = r->cfg->labels;
    const char *pod = js_str(r->cfg->rec, "pod", "");
    _cleanup_free_ char *pod_nm = *pod ? pod_name(rt, pod) : str_dup("");
    int bad = 0;

    if (!o || !ago || !status || !names ||
        (r->rec && json_array_append_new(names, json_string(ps_row_name(r))) < 0)) {
        json_decref(names);
        return NULL;
    }
    /* a failure, a NULL value included, makes the item NULL (out of memory) */
#define PUT(key, v) (bad |= json_object_set_new(o, key, v))
    PUT("AutoRemove", json_boolean(r->cfg->auto_remove));
    PUT("Command", r->command ? json_incref(r->command) : json_array());
    PUT("CreatedAt", json_string(ago));
    PUT("Exited", json_boolean(r->exited));
    PUT("ExitedAt", json_integer(row_exited_at(r)));
    PUT("ExitCode", json_integer(r->exit_code));
    PUT("Id", json_string(r->id));
    PUT("Image", json_string(ps_row_image(r)));
    PUT("ImageID", json_string(ps_row_image_id(r)));
    PUT("IsInfra", json_boolean(js_bool(r->cfg->rec, "isInfra", false)));
    PUT("Labels", json_object_size(labels) ? json_incref(labels) : json_null());
    PUT("Mounts", row_mounts(r));
    PUT("Names", names);
    PUT("Namespaces", ns_object(r, q));
    PUT("Networks", row_networks(rt, r));
    PUT("Pid", json_integer(row_pid(r)));
    PUT("Pod", json_string(pod));
    PUT("PodName", pod_nm ? json_string(pod_nm) : NULL);
    PUT("Ports", row_ports(r));
    PUT("Size", r->has_size ? json_pack("{s:I, s:I}", "rootFsSize", (json_int_t) r->rootfs_size,
                                        "rwSize", (json_int_t) r->rw_size)
                            : json_null());
    PUT("StartedAt", json_integer(unix_or_zero(r->started_ns)));
    PUT("State", json_string(ps_row_state_name(r)));
    PUT("Status", json_string(status));
    PUT("Created", json_integer(r->created_ns / 1000000000LL));
#undef PUT
    return bad ? NULL : STEAL_PTR(o);
}

/* The COMMAND cell, appended to b: podman's psReporter.Command, a command
 * longer than 20 bytes cut to its first 17 and "...". Bytes, as Go slices
 * a string: the cut may split a UTF-8 character, and podman prints the
 * broken bytes as they are; so do the table and the templates. */
static void command_add(struct sbuf *b, const struct ps_row *r, bool no_trunc)
{
    size_t start = b->len;

    ps_row_cmd_add(b, r);
    if (!no_trunc && b->len - start > 20) {
        b->len = start + 17;
        sbuf_add(b, "...");
    }
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

/* podman shows some values under two names: v goes under the wanted ones.
 * 0, or -1 out of memory (v NULL included). */
static int set_twins(json_t *o, const bool want[T__N], enum tfield a, enum tfield b, json_t *v)
{
    int r = v ? 0 : -1;

    if (v && want[a])
        r |= json_object_set_nocheck(o, tfield_names[a], v);
    if (v && want[b])
        r |= json_object_set_nocheck(o, tfield_names[b], v);
    json_decref(v);
    return r;
}

/* Size: "<rw> (virtual <all>)" with -s, else "". */
static char *size_text(const struct ps_row *r)
{
    _cleanup_free_ char *rw = NULL, *all = NULL;

    if (!r->has_size)
        return str_dup("");
    rw = size_nospace(r->rw_size);
    all = size_nospace(r->rootfs_size);
    return rw && all ? str_fmt("%s (virtual %s)", rw, all) : NULL;
}

static char *networks_text(struct runtime *rt, const struct ps_row *r)
{
    _cleanup_json_ json_t *nv = row_networks(rt, r);
    _cleanup_strv_ char **nets = nv ? js_to_strv(nv) : NULL;

    return nets ? strv_join(nets, ",") : NULL;
}

static json_t *template_item(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                             const bool want[T__N], double now)
{
    _cleanup_json_ json_t *o = json_object();
    int bad = 0;
#define W(f) want[T_##f]
    /* our own ASCII keys: no UTF-8 check; a NULL value (out of memory)
     * fails the set and so the item */
#define SET(f, v) (bad |= json_object_set_new_nocheck(o, tfield_names[T_##f], (v)))
#define SET_TEXT(f, expr) do { _cleanup_free_ char *t_ = (expr); SET(f, json_string(t_)); } while (0)

    if (!o)
        return NULL;
    /* always: an item with no keys would not read as a struct, and an
     * unknown field must still be an error */
    SET(ID, json_stringn(r->id, id_shown(r->id, q)));
    if (W(IMAGE))
        SET(IMAGE, json_string(ps_row_image(r)));
    if (W(COMMAND)) {
        _cleanup_sbuf_ struct sbuf cmd = SBUF_INIT;
        /* not checked as UTF-8: a cut may split a character (command_add) */
        command_add(&cmd, r, q->no_trunc);
        SET(COMMAND, cmd.oom ? NULL : json_stringn_nocheck(sbuf_str(&cmd), cmd.len));
    }
    if (W(CREATEDHUMAN) || W(RUNNINGFOR)) {
        _cleanup_free_ char *ago = hum_ago_at((double) r->created_ns / 1e9, now);
        bad |= set_twins(o, want, T_CREATEDHUMAN, T_RUNNINGFOR, json_string(ago));
    }
    if (W(CREATED) || W(CREATEDAT))
        bad |= set_twins(o, want, T_CREATED, T_CREATEDAT, go_time_string(r->created_ns));
    if (W(STATUS) || W(STATE)) {
        _cleanup_free_ char *status = row_status(r, now);
        bad |= set_twins(o, want, T_STATUS, T_STATE, json_string(status));
    }
    if (W(PORTS))
        SET_TEXT(PORTS, ports_text(r));
    if (W(NAMES))
        SET(NAMES, json_string(ps_row_name(r)));
    if (W(SIZE))
        SET_TEXT(SIZE, size_text(r));
    if (W(LABELS))
        SET(LABELS, r->cfg->labels ? json_incref(r->cfg->labels) : json_object());
    if (W(MOUNTS))
        SET(MOUNTS, row_mounts(r));
    if (W(NETWORKS))
        SET_TEXT(NETWORKS, networks_text(rt, r));
    if (W(PID))
        SET(PID, json_integer(row_pid(r)));
    if (W(IMAGEID)) {
        const char *iid = ps_row_image_id(r);
        SET(IMAGEID, json_stringn(iid, id_shown(iid, q)));
    }
    if (W(POD)) {
        const char *pod = js_str(r->cfg->rec, "pod", "");
        SET(POD, json_stringn(pod, id_shown(pod, q)));
    }
    if (W(PODNAME)) {
        const char *pod = js_str(r->cfg->rec, "pod", "");
        SET_TEXT(PODNAME, *pod ? pod_name(rt, pod) : str_dup(""));
    }
    if (W(EXITCODE))
        SET(EXITCODE, json_integer(r->exit_code));
    if (W(EXITED))
        SET(EXITED, json_boolean(r->exited));
    if (W(EXITEDAT))
        SET(EXITEDAT, json_integer(row_exited_at(r)));
    if (W(STARTEDAT))
        SET(STARTEDAT, json_integer(unix_or_zero(r->started_ns)));
    if (W(AUTOREMOVE))
        SET(AUTOREMOVE, json_boolean(r->cfg->auto_remove));
    if (W(ISINFRA))
        SET(ISINFRA, json_boolean(js_bool(r->cfg->rec, "isInfra", false)));
    /* without --ns podman prints its empty Namespaces struct as seven
     * empty fields */
    if (W(NAMESPACES))
        SET_TEXT(NAMESPACES, ns_text(r, q));
    for (int i = T_CGROUP; i <= T_UTS; i++) {
        static const char *const names[] = { "cgroup", "ipc", "mnt", "net", "pid", "user", "uts" };
        if (want[i]) {
            _cleanup_free_ char *v = q->ns ? ns_inode(r, names[i - T_CGROUP]) : str_dup("");
            bad |= json_object_set_new_nocheck(o, tfield_names[i], json_string(v));
        }
    }
#undef W
#undef SET
#undef SET_TEXT
    return bad ? NULL : STEAL_PTR(o);
}

/* A cell of the default table: s, then a tab (or the newline ending the
 * row); at most max bytes of s. */
static void table_cell(struct sbuf *b, const char *s, size_t max, char end)
{
    size_t n = strlen(s);

    sbuf_addn(b, s, n < max ? n : max);
    sbuf_addc(b, end);
}

/* The default table's row of r (cmd/ps.c's PS_TABLE, with q->pod the pod
 * columns): the cells template_item would make for it, as the template
 * engine prints strings (as they are), joined by tabs. A row with an
 * error is not one of these (its text is the template's to check).
 * NULL when out of memory. */
static char *table_text(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                        double now)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    char ago[HUM_AGO_BUF];

    /* one buffer, written in place: a row was nine mallocs. 128 bytes
     * hold a usual row (~80); more would be fresh heap for every row
     * kept until the table is printed (256: a hundred page faults more
     * over 1000 rows) */
    sbuf_reserve(&b, 127);
    table_cell(&b, r->id, id_shown(r->id, q), '\t');
    table_cell(&b, ps_row_image(r), SIZE_MAX, '\t');
    command_add(&b, r, q->no_trunc);
    sbuf_addc(&b, '\t');
    table_cell(&b, hum_ago_buf(ago, (double) r->created_ns / 1e9, now), SIZE_MAX, '\t');
    status_add(&b, r, now);
    sbuf_addc(&b, '\t');
    if (json_array_size(r->cfg->port_mappings)) {       /* else ports_text is "" */
        _cleanup_free_ char *ports = ports_text(r);
        if (!ports)
            return NULL;
        sbuf_add(&b, ports);
    }
    sbuf_addc(&b, '\t');
    table_cell(&b, ps_row_name(r), SIZE_MAX, q->pod ? '\t' : '\n');
    if (q->pod) {
        const char *pod = js_str(r->cfg->rec, "pod", "");
        _cleanup_free_ char *pod_nm = *pod ? pod_name(rt, pod) : str_dup("");
        if (!pod_nm)
            return NULL;
        table_cell(&b, pod, id_shown(pod, q), '\t');
        table_cell(&b, pod_nm, SIZE_MAX, '\n');
    }
    return sbuf_steal(&b);
}

char *ps_row_direct_text(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                         double now)
{
    if (q->direct == PS_ROWS_TABLE)
        return table_text(rt, r, q, now);
    /* -q: "{{.ID}}" and the newline a plain template gets */
    return str_fmt("%.*s\n", (int) id_shown(r->id, q), r->id);
}

/* The row's item in the shape q asks for. */
json_t *ps_row_item(struct runtime *rt, const struct ps_row *r, const struct ps_query *q,
                        const bool want[T__N], double now)
{
    return q->shape == PS_TEMPLATE ? template_item(rt, r, q, want, now) : json_item(rt, r, q, now);
}
