/*
 * runtime/ctr_records.c: a container's records as C types: the one
 * reader and the one writer of state.json (struct ctr_runstate) and the
 * typed view of config.json (struct ctr_config), both driven by a field
 * table (key, kind, member). Types are checked as records are read; a
 * mistyped field is an error naming the container, the file and the
 * field. Keys the state table does not know are written back as they
 * were read.
 */
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/container.h"
#include "util/cleanup.h"
#include "util/str.h"

/* How a field is stored: the C type of its member and the JSON type of
 * its value. */
enum fkind {
    FK_BOOL,        /* bool, true/false */
    FK_INT,         /* int (and pid_t, enum ctr_state), an integer in int's range */
    FK_LL,          /* long long, an integer */
    FK_ULL,         /* unsigned long long, an integer >= 0 */
    FK_STR,         /* state: char *, owned; config: const char *, borrowed */
    FK_STR0,        /* state: char *, owned, where "" and absent mean the same:
                       read as NULL, written as "" (no copy of an empty string) */
    FK_OBJ,         /* json_t *, an object (state: owned; config: borrowed) */
    FK_ARR,         /* json_t *, an array (likewise) */
};

struct field {
    const char *key;
    enum fkind kind;
    size_t off;
};

_Static_assert(sizeof(pid_t) == sizeof(int), "pid_t fields are read as int");
_Static_assert(sizeof(enum ctr_state) == sizeof(int), "the state is read as int");

#define SF(key, kind, member) { key, kind, offsetof(struct ctr_runstate, member) }
/* state.json: the one description its reader and writer share. The
 * tables are sorted by key, as records are written (fields_get). */
static const struct field state_fields[] = {
    SF("conmonPid", FK_INT, conmon_pid),
    SF("conmonStart", FK_ULL, conmon_start),
    SF("exitCode", FK_INT, exit_code),
    SF("exited", FK_BOOL, exited),
    SF("finishedNs", FK_LL, finished_ns),
    SF("mountPoint", FK_STR0, mount_point),
    SF("mounted", FK_BOOL, mounted),
    SF("netNS", FK_STR, net_ns),
    SF("networkStatus", FK_OBJ, network_status),
    SF("oomKilled", FK_BOOL, oom_killed),
    SF("pid", FK_INT, pid),
    SF("pidStart", FK_ULL, pid_start),
    SF("restartCount", FK_LL, restart_count),
    SF("restartPolicyMatch", FK_BOOL, restart_policy_match),
    SF("shmMounted", FK_BOOL, shm_mounted),
    SF("startedNs", FK_LL, started_ns),
    SF("state", FK_INT, state),
    SF("stoppedByUser", FK_BOOL, stopped_by_user),
    SF("view", FK_OBJ, view),
};

#define CF(key, kind, member) { key, kind, offsetof(struct ctr_config, member) }
/* config.json: its top-level fields (image and spec are read apart) */
static const struct field config_fields[] = {
    CF("addHosts", FK_ARR, add_hosts),
    CF("autoRemove", FK_BOOL, auto_remove),
    CF("cgroupParent", FK_STR, cgroup_parent),
    CF("cidFile", FK_STR, cid_file),
    CF("command", FK_ARR, command),
    CF("createCommand", FK_ARR, create_command),
    CF("createdNs", FK_LL, created_ns),
    CF("dns", FK_OBJ, dns),
    CF("id", FK_STR, id),
    CF("labels", FK_OBJ, labels),
    CF("lockID", FK_LL, lock_id),
    CF("logDriver", FK_STR, log_driver),
    CF("logPath", FK_STR, log_path),
    CF("logSizeMax", FK_LL, log_size_max),
    CF("logTag", FK_STR, log_tag),
    CF("name", FK_STR, name),
    CF("namespace", FK_STR, ns),
    CF("networks", FK_OBJ, networks),
    CF("portMappings", FK_ARR, port_mappings),
    CF("restartPolicy", FK_STR, restart_policy),
    CF("restartRetries", FK_LL, restart_retries),
    CF("rootfs", FK_STR, rootfs),
    CF("runtime", FK_STR, runtime),
    CF("spec", FK_OBJ, spec),
    CF("stdin", FK_BOOL, stdin_open),
    CF("stopTimeout", FK_LL, stop_timeout),
    CF("terminal", FK_BOOL, terminal),
    CF("timeout", FK_LL, timeout),
    CF("v", FK_LL, view_version),
};

static const char *json_kind_name(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static int field_err(const char *id, const char *file, const char *key, const char *want,
                     json_t *v, struct berr **err)
{
    return berr_kind(err, BK_CORRUPT, "container %s: %s: field \"%s\" must be %s, not %s",
                     id ? id : "?", file, key, want, json_kind_name(v));
}

/* Reads v into the member at base + f->off. own: copy strings and take
 * references (the state) rather than borrow them (the config). A null
 * value reads as absent. */
static int field_get(const struct field *f, json_t *v, char *base, bool own, const char *id,
                     const char *file, struct berr **err)
{
    void *m = base + f->off;
    json_int_t i;

    if (json_is_null(v))
        return 0;
    switch (f->kind) {
    case FK_BOOL:
        if (!json_is_boolean(v))
            return field_err(id, file, f->key, "a boolean", v, err);
        *(bool *) m = json_is_true(v);
        return 0;
    case FK_INT:
    case FK_LL:
    case FK_ULL:
        if (!json_is_integer(v))
            return field_err(id, file, f->key, "an integer", v, err);
        i = json_integer_value(v);
        if (f->kind == FK_INT && (i < INT_MIN || i > INT_MAX))
            return field_err(id, file, f->key, "an integer of int's range", v, err);
        if (f->kind == FK_ULL && i < 0)
            return field_err(id, file, f->key, "an integer >= 0", v, err);
        if (f->kind == FK_INT)
            *(int *) m = (int) i;
        else if (f->kind == FK_LL)
            *(long long *) m = i;
        else
            *(unsigned long long *) m = (unsigned long long) i;
        return 0;
    case FK_STR:
    case FK_STR0:
        if (!json_is_string(v))
            return field_err(id, file, f->key, "a string", v, err);
        if (f->kind == FK_STR0 && !*json_string_value(v))
            return 0;
        if (!own)
            *(const char **) m = json_string_value(v);
        else if (!(*(char **) m = str_dup(json_string_value(v))))
            return berr_oom(err);
        return 0;
    case FK_OBJ:
    case FK_ARR:
        if (f->kind == FK_OBJ && !json_is_object(v))
            return field_err(id, file, f->key, "an object", v, err);
        if (f->kind == FK_ARR && !json_is_array(v))
            return field_err(id, file, f->key, "an array", v, err);
        *(json_t **) m = own ? json_incref(v) : v;
        return 0;
    }
    return 0;
}

static const struct field *field_find(const struct field *fs, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (fs[i].key[0] == key[0] && strcmp(fs[i].key, key) == 0)
            return &fs[i];
    return NULL;
}

/* strcmp's order; most keys differ in their first character */
static inline int key_cmp(const char *a, const char *b)
{
    return a[0] != b[0] ? (unsigned char) a[0] - (unsigned char) b[0] : strcmp(a, b);
}

/* Each field of the table from rec. ps reads a thousand records in a few
 * milliseconds, so this is a merge: records are written with their keys
 * sorted (js_write_atomic) and read back in that order, and the tables
 * MUST be sorted too (strcmp order; test_ctrrec reads every field of a
 * sorted record), so one walk over both finds every field. A key out of
 * step (a record edited by hand) is looked for from the start. A record
 * with many more keys than the table (the whole spec) is asked for the
 * table's keys instead. */
static int fields_get(const struct field *fs, size_t n, json_t *rec, void *base, bool own,
                      const char *id, const char *file, struct berr **err)
{
    size_t cur = 0;

    if (json_object_size(rec) > 2 * n) {
        json_t *v;
        for (size_t i = 0; i < n; i++)
            if ((v = json_object_get(rec, fs[i].key)) &&
                field_get(&fs[i], v, base, own, id, file, err) < 0)
                return -1;
        return 0;
    }
    /* the iterator itself: json_object_foreach makes five calls a key */
    for (void *it = json_object_iter(rec); it; it = json_object_iter_next(rec, it)) {
        const char *k = json_object_iter_key(it);
        json_t *v = json_object_iter_value(it);
        const struct field *f;
        int c = 1;

        while (cur < n && (c = key_cmp(fs[cur].key, k)) < 0)
            cur++;
        if (cur < n && c == 0)
            f = &fs[cur++];
        else if (cur > 0 && key_cmp(fs[cur - 1].key, k) > 0)
            f = field_find(fs, n, k);   /* out of step: not sorted */
        else
            continue;                   /* between two of the table's keys: not one */
        if (f && field_get(f, v, base, own, id, file, err) < 0)
            return -1;
    }
    return 0;
}

void ctr_runstate_free(struct ctr_runstate *s)
{
    free(s->mount_point);
    free(s->net_ns);
    json_decref(s->network_status);
    json_decref(s->view);
    json_decref(s->rec);
    memset(s, 0, sizeof(*s));
}

int ctr_runstate_parse(json_t *rec, const char *id, struct ctr_runstate *out,
                       struct berr **err)
{
    memset(out, 0, sizeof(*out));
    if (!json_is_object(rec))
        return berr_kind(err, BK_CORRUPT, "container %s: state.json: not a JSON object", id);
    if (fields_get(state_fields, ARRAY_SIZE(state_fields), rec, out, true, id, "state.json",
                   err) < 0) {
        ctr_runstate_free(out);
        return -1;
    }
    out->rec = json_incref(rec);
    return 0;
}


/* The JSON value of a state member; NULL: leave the key out. */
static json_t *field_json(const struct field *f, const struct ctr_runstate *s)
{
    const char *m = (const char *) s + f->off;

    switch (f->kind) {
    case FK_BOOL: return json_boolean(*(const bool *) m);
    case FK_INT: return json_integer(*(const int *) m);
    case FK_LL: return json_integer(*(const long long *) m);
    case FK_ULL: return json_integer((json_int_t) *(const unsigned long long *) m);
    case FK_STR: return *(char *const *) m ? json_string(*(char *const *) m) : NULL;
    case FK_STR0: return json_string(*(char *const *) m ? *(char *const *) m : "");
    default: return *(json_t *const *) m ? json_incref(*(json_t *const *) m) : NULL;
    }
}

json_t *ctr_runstate_json(const struct ctr_runstate *s)
{
    _cleanup_json_ json_t *o = json_object();
    const char *k;
    json_t *v;

    if (!o)
        return NULL;
    for (size_t i = 0; i < ARRAY_SIZE(state_fields); i++) {
        const struct field *f = &state_fields[i];
        bool absent = (f->kind == FK_STR || f->kind == FK_OBJ || f->kind == FK_ARR) &&
                      !*(void *const *) ((const char *) s + f->off);
        /* our own ASCII keys: no UTF-8 check */
        if (!absent && json_object_set_new_nocheck(o, f->key, field_json(f, s)) < 0)
            return NULL;
    }
    /* forward compatibility: what a newer berth wrote stays */
    json_object_foreach(s->rec, k, v)
        if (!field_find(state_fields, ARRAY_SIZE(state_fields), k) && json_object_set(o, k, v) < 0)
            return NULL;
    return STEAL_PTR(o);
}

int ctr_set_str(char **p, const char *v)
{
    char *n = NULL;

    if (v && !(n = str_dup(v)))
        return -1;
    free(*p);
    *p = n;
    return 0;
}

void ctr_config_free(struct ctr_config *c)
{
    json_decref(c->rec);
    memset(c, 0, sizeof(*c));
}

/* What config.json's "spec" says that the runtime reads on hot paths. */
static int config_spec(struct ctr_config *c, const char *id, struct berr **err)
{
    static const struct field ns_fields[SPEC_NS__COUNT] = {
        { "cgroup", FK_STR, sizeof(char *) * SPEC_NS_CGROUP },
        { "ipc", FK_STR, sizeof(char *) * SPEC_NS_IPC },
        { "network", FK_STR, sizeof(char *) * SPEC_NS_NET },
        { "pid", FK_STR, sizeof(char *) * SPEC_NS_PID },
        { "user", FK_STR, sizeof(char *) * SPEC_NS_USER },
        { "uts", FK_STR, sizeof(char *) * SPEC_NS_UTS },
    };
    static const struct field spec_fields[] = {
        CF("hostname", FK_STR, hostname),
        CF("shmSize", FK_LL, shm_size),
        CF("stopSignal", FK_INT, stop_signal),
    };
    json_t *ns = json_object_get(c->spec, "namespaces");

    if (fields_get(spec_fields, ARRAY_SIZE(spec_fields), c->spec, c, false, id,
                   "config.json: spec", err) < 0)
        return -1;
    if (ns && !json_is_object(ns))
        return field_err(id, "config.json: spec", "namespaces", "an object", ns, err);
    if (fields_get(ns_fields, SPEC_NS__COUNT, ns, (char *) c->ns_mode, false, id,
                   "config.json: spec.namespaces", err) < 0)
        return -1;
    /* absent: bridge networking, the host's user namespace, the cgroup
     * namespace of the host's default ("": spec.h decides), else private */
    for (int i = 0; i < SPEC_NS__COUNT; i++)
        if (!c->ns_mode[i] || (!*c->ns_mode[i] && i != SPEC_NS_CGROUP))
            c->ns_mode[i] = i == SPEC_NS_NET ? "bridge" : i == SPEC_NS_USER ? "host"
                            : i == SPEC_NS_CGROUP ? "" : "private";
    return 0;
}

int ctr_config_parse(json_t *rec, const char *id, struct ctr_config *out, struct berr **err)
{
    static const struct field image_fields[] = {
        CF("id", FK_STR, image_id),
        CF("name", FK_STR, image_name),
    };
    json_t *img = json_object_get(rec, "image");

    *out = (struct ctr_config) {
        .ns = "", .lock_id = -1, .log_driver = "k8s-file", .log_size_max = -1,
        .restart_policy = "no", .stop_timeout = 10, .runtime = "", .stop_signal = SIGTERM,
    };
    if (!json_is_object(rec))
        return berr_kind(err, BK_CORRUPT, "container %s: config.json: not a JSON object", id);
    if (fields_get(config_fields, ARRAY_SIZE(config_fields), rec, out, false, id,
                   "config.json", err) < 0)
        goto fail;
    if (img && !json_is_null(img) && !json_is_object(img)) {
        field_err(id, "config.json", "image", "an object", img, err);
        goto fail;
    }
    if (fields_get(image_fields, ARRAY_SIZE(image_fields), img, out, false, id,
                   "config.json: image", err) < 0 || config_spec(out, id, err) < 0)
        goto fail;
    out->rec = json_incref(rec);
    return 0;
fail:
    memset(out, 0, sizeof(*out));
    return -1;
}
