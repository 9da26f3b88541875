/*
 * runtime/ctr_records.c: a container's records as C types: the reader and
 * the one writer of state.json (struct ctr_runstate) and the typed view of
 * config.json (struct ctr_config), both driven by a field table (key,
 * kind, member; runtime/records.h). Types are checked as records are
 * read; a mistyped field is an error naming the container, the file and
 * the field, or, read leniently (the *_salvage readers, for commands that
 * must work whatever a record says), reads as absent and is reported.
 * Keys the state table does not know are written back as they were read.
 *
 * state.json has a second reader, ps's (ctr_runstate_scan): the same
 * tables, straight from the text, for the records it is sure of; it
 * declines the rest (-1), which the first reader then judges.
 */
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/container.h"
#include "runtime/records.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/str.h"

_Static_assert(sizeof(pid_t) == sizeof(int), "pid_t fields are read as int");
_Static_assert(sizeof(enum ctr_state) == sizeof(int), "the state is read as int");

#define SF(key, kind, member) { key, kind, offsetof(struct ctr_runstate, member) }
/* state.json: the one description its reader and writer share. The
 * tables are sorted by key, as records are written (fields_get). */
static const struct rec_field state_fields[] = {
    SF("conmonPid", FK_INT, conmon_pid),
    SF("conmonStart", FK_ULL, conmon_start),
    SF("execSessions", FK_OBJ, exec_sessions),
    SF("exitCode", FK_INT, exit_code),
    SF("exited", FK_BOOL, exited),
    SF("finishedNs", FK_LL, finished_ns),
    SF("health", FK_OBJ, health),
    SF("healthPid", FK_INT, health_pid),
    SF("healthPidStart", FK_ULL, health_start),
    SF("healthRestart", FK_BOOL, health_restart),
    SF("imagesMounted", FK_ARR, images_mounted),
    SF("intent", FK_STR, intent),
    SF("intentPid", FK_INT, intent_pid),
    SF("intentStart", FK_ULL, intent_start),
    SF("mountPoint", FK_STR0, mount_point),
    SF("mounted", FK_BOOL, mounted),
    SF("netNS", FK_STR, net_ns),
    SF("networkStatus", FK_OBJ, network_status),
    SF("oomKilled", FK_BOOL, oom_killed),
    SF("pid", FK_INT, pid),
    SF("pidStart", FK_ULL, pid_start),
    SF("restartCount", FK_LL, restart_count),
    SF("restartDelayMs", FK_LL, restart_delay_ms),
    SF("restartPolicyMatch", FK_BOOL, restart_policy_match),
    SF("shmMounted", FK_BOOL, shm_mounted),
    SF("slirp4netns", FK_OBJ, slirp),
    SF("startedNs", FK_LL, started_ns),
    SF("state", FK_INT, state),
    SF("stoppedByUser", FK_BOOL, stopped_by_user),
    SF("view", FK_OBJ, view),
    SF("volumesMounted", FK_ARR, volumes_mounted),
};

#define CF(key, kind, member) { key, kind, offsetof(struct ctr_config, member) }
/* config.json: its top-level fields (image and spec are read apart) */
static const struct rec_field config_fields[] = {
    CF("addHosts", FK_ARR, add_hosts),
    CF("autoRemove", FK_BOOL, auto_remove),
    CF("cgroupParent", FK_STR, cgroup_parent),
    CF("cidFile", FK_STR, cid_file),
    CF("command", FK_ARR, command),
    CF("commandStart", FK_LL, command_start),
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

/* The view's keys (ctr_view_record), the config's fields they hold. pod
 * and isInfra, read from the record, are not among them: a view that has
 * them is read whole. */
static const struct rec_field view_fields[] = {
    CF("autoRemove", FK_BOOL, auto_remove),
    CF("command", FK_ARR, command),
    CF("commandStart", FK_LL, command_start),
    CF("createdNs", FK_LL, created_ns),
    CF("labels", FK_OBJ, labels),
    CF("name", FK_STR, name),
    CF("namespace", FK_STR, ns),
    CF("networks", FK_OBJ, networks),
    CF("portMappings", FK_ARR, port_mappings),
    CF("restartPolicy", FK_STR, restart_policy),
    CF("spec", FK_OBJ, spec),
    CF("v", FK_LL, view_version),
};

const struct rec_field *ctr_config_fields(bool view, size_t *n)
{
    *n = view ? ARRAY_SIZE(view_fields) : ARRAY_SIZE(config_fields);
    return view ? view_fields : config_fields;
}

static const struct rec_field image_fields[] = {
    CF("id", FK_STR, image_id),
    CF("name", FK_STR, image_name),
};

/* Errors name the container and the file. */
static int fields_get(const struct rec_field *fs, size_t n, json_t *rec, void *base, bool own,
                      const char *id, const char *file, char **problem, struct berr **err)
{
    struct rec_who who = { "container", id, file };

    return rec_fields_get(fs, n, rec, base, own, &who, problem, err);
}

static int field_err(const char *id, const char *file, const char *key, const char *want,
                     json_t *v, struct berr **err)
{
    struct rec_who who = { "container", id, file };

    return rec_field_err(&who, key, want, v, err);
}

/* A value of the wrong type: an error, or (read leniently: problem not
 * NULL) noted in *problem if it is the first, and skipped. */
static int mistyped(const char *id, const char *file, const char *key, const char *want,
                    json_t *v, char **problem, struct berr **err)
{
    struct berr *e = NULL;

    if (!problem)
        return field_err(id, file, key, want, v, err);
    if (*problem)
        return 0;
    field_err(id, file, key, want, v, &e);
    *problem = str_dup(e->msg);
    berr_free(e);
    return *problem ? 0 : berr_oom(err);
}

void ctr_runstate_free(struct ctr_runstate *s)
{
    rec_fields_free(state_fields, ARRAY_SIZE(state_fields), s);
    json_decref(s->rec);
    memset(s, 0, sizeof(*s));
}

static int runstate_parse(json_t *rec, const char *id, struct ctr_runstate *out,
                          char **problem, struct berr **err)
{
    memset(out, 0, sizeof(*out));
    if (!json_is_object(rec))
        return berr_kind(err, BK_CORRUPT, "container %s: state.json: not a JSON object", id);
    if (fields_get(state_fields, ARRAY_SIZE(state_fields), rec, out, true, id, "state.json",
                   problem, err) < 0) {
        ctr_runstate_free(out);
        return -1;
    }
    out->rec = json_incref(rec);
    return 0;
}

int ctr_runstate_parse(json_t *rec, const char *id, struct ctr_runstate *out,
                       struct berr **err)
{
    return runstate_parse(rec, id, out, NULL, err);
}

int ctr_runstate_parse_salvage(json_t *rec, const char *id, struct ctr_runstate *out,
                               char **problem, struct berr **err)
{
    return runstate_parse(rec, id, out, problem, err);
}


json_t *ctr_runstate_json(const struct ctr_runstate *s)
{
    return rec_fields_json(state_fields, ARRAY_SIZE(state_fields), s, s->rec);
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
    if (c->scanned) {
        rec_fields_drop_trees(view_fields, ARRAY_SIZE(view_fields), c);
        free(c->scanned);
    }
    json_decref(c->rec);
    memset(c, 0, sizeof(*c));
}

/* What a config without the field reads as. */
static void config_defaults(struct ctr_config *c)
{
    *c = (struct ctr_config) {
        .ns = "", .lock_id = -1, .command_start = -1, .log_driver = "k8s-file", .log_size_max = -1,
        .restart_policy = "no", .stop_timeout = 10, .runtime = "", .stop_signal = SIGTERM,
    };
}

/* What config.json's "spec" says that the runtime reads on hot paths. */
static int config_spec(struct ctr_config *c, const char *id, char **problem, struct berr **err)
{
    static const struct rec_field ns_fields[SPEC_NS__COUNT] = {
        { "cgroup", FK_STR, sizeof(char *) * SPEC_NS_CGROUP },
        { "ipc", FK_STR, sizeof(char *) * SPEC_NS_IPC },
        { "network", FK_STR, sizeof(char *) * SPEC_NS_NET },
        { "pid", FK_STR, sizeof(char *) * SPEC_NS_PID },
        { "user", FK_STR, sizeof(char *) * SPEC_NS_USER },
        { "uts", FK_STR, sizeof(char *) * SPEC_NS_UTS },
    };
    static const struct rec_field spec_fields[] = {
        CF("hostname", FK_STR, hostname),
        CF("shmSize", FK_LL, shm_size),
        CF("stopSignal", FK_INT, stop_signal),
    };
    json_t *ns = json_object_get(c->spec, "namespaces");

    if (fields_get(spec_fields, ARRAY_SIZE(spec_fields), c->spec, c, false, id,
                   "config.json: spec", problem, err) < 0)
        return -1;
    if (ns && !json_is_null(ns) && !json_is_object(ns)) {
        if (mistyped(id, "config.json: spec", "namespaces", "an object", ns, problem, err) < 0)
            return -1;
        ns = NULL;
    }
    if (fields_get(ns_fields, SPEC_NS__COUNT, ns, (char *) c->ns_mode, false, id,
                   "config.json: spec.namespaces", problem, err) < 0)
        return -1;
    /* absent: bridge networking, the host's user namespace, the cgroup
     * namespace of the host's default ("": spec.h decides), else private */
    for (int i = 0; i < SPEC_NS__COUNT; i++)
        if (!c->ns_mode[i] || (!*c->ns_mode[i] && i != SPEC_NS_CGROUP))
            c->ns_mode[i] = i == SPEC_NS_NET ? "bridge" : i == SPEC_NS_USER ? "host"
                            : i == SPEC_NS_CGROUP ? "" : "private";
    return 0;
}

static int config_parse(json_t *rec, const char *id, struct ctr_config *out, char **problem,
                        struct berr **err)
{
    json_t *img = json_object_get(rec, "image");

    config_defaults(out);
    if (!json_is_object(rec))
        return berr_kind(err, BK_CORRUPT, "container %s: config.json: not a JSON object", id);
    if (fields_get(config_fields, ARRAY_SIZE(config_fields), rec, out, false, id,
                   "config.json", problem, err) < 0)
        goto fail;
    if (img && !json_is_null(img) && !json_is_object(img)) {
        if (mistyped(id, "config.json", "image", "an object", img, problem, err) < 0)
            goto fail;
        img = NULL;
    }
    if (fields_get(image_fields, ARRAY_SIZE(image_fields), img, out, false, id,
                   "config.json: image", problem, err) < 0 ||
        config_spec(out, id, problem, err) < 0)
        goto fail;
    out->rec = json_incref(rec);
    return 0;
fail:
    memset(out, 0, sizeof(*out));
    return -1;
}

int ctr_config_parse(json_t *rec, const char *id, struct ctr_config *out, struct berr **err)
{
    return config_parse(rec, id, out, NULL, err);
}

int ctr_config_parse_salvage(json_t *rec, const char *id, struct ctr_config *out,
                             char **problem, struct berr **err)
{
    return config_parse(rec, id, out, problem, err);
}

/* ---- ps: state.json and its view straight from the text ---- */

/* A value that must be of kind k: 0 and *v, or -1 (what was built dropped). */
static int pull_kind(struct js_pull *j, enum js_vkind k, struct js_val *v)
{
    if (js_pull_value(j, v) == 0 && v->kind == k)
        return 0;
    json_decref(v->tree);
    return -1;
}

/* "version": an integer, no newer than this berth reads */
static int version_hook(struct js_pull *j, void *ctx)
{
    struct js_val v;

    (void) ctx;
    return pull_kind(j, JSV_INT, &v) == 0 && v.i <= STATE_FORMAT_VERSION ? 0 : -1;
}

struct view_scan {
    struct ctr_config *cfg;
    struct rec_strs strs;
};

/* "image": {"id", "name"}, or null */
static int image_hook(struct js_pull *j, void *ctx)
{
    struct view_scan *vs = ctx;
    struct js_val v;

    if (js_pull_peek(j) != '{')
        return pull_kind(j, JSV_NULL, &v);
    return js_pull_enter(j) < 0 ? -1 : rec_fields_pull(image_fields, ARRAY_SIZE(image_fields), j,
                                                       vs->cfg, &vs->strs, NULL, 0);
}

/* "view": into vs->cfg as config_parse reads it (a null view: none) */
static int view_hook(struct js_pull *j, void *ctx)
{
    struct view_scan *vs = ctx;
    struct rec_scan_hook image = { "image", image_hook, vs };
    struct berr *e = NULL;
    struct js_val v;

    if (js_pull_peek(j) != '{')
        return pull_kind(j, JSV_NULL, &v);
    if (js_pull_enter(j) < 0 ||
        rec_fields_pull(view_fields, ARRAY_SIZE(view_fields), j, vs->cfg, &vs->strs, &image,
                        1) < 0)
        return -1;
    if (config_spec(vs->cfg, "", NULL, &e) < 0) {
        berr_free(e);
        return -1;
    }
    return 0;
}

int ctr_runstate_scan(const char *buf, size_t len, struct ctr_runstate *out,
                      struct ctr_config *view)
{
    struct view_scan vs = { .cfg = view };
    struct rec_scan_hook hooks[] = { { "version", version_hook, NULL },
                                     { "view", view_hook, &vs } };

    memset(out, 0, sizeof(*out));
    if (view) {
        config_defaults(view);
        /* the strings are fewer bytes than the text */
        if (!(vs.strs.buf = view->scanned = malloc(len + 1)))
            return -1;
        vs.strs.cap = len + 1;
    }
    if (rec_fields_scan(state_fields, ARRAY_SIZE(state_fields), buf, len, out, hooks,
                        view ? 2 : 1) == 0)
        return 0;
    ctr_runstate_free(out);
    if (view)
        ctr_config_free(view);
    return -1;
}
