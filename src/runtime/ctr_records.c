/*
 * runtime/ctr_records.c: container records: create, get/put (lock and
 * sync), save, and the paths of a container's files.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "runtime/container.h"
#include "runtime/ctr_view.h"
#include "runtime/net/ports.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/timefmt.h"

char *ctr_bundle_dir(struct runtime *rt, const char *id)
{
    return str_fmt("%s/userdata/%s", rt->cfg->static_dir, id);
}

char *ctr_run_dir(struct runtime *rt, const char *id)
{
    return str_fmt("%s/containers/%s", rt->cfg->tmp_dir, id);
}

char *ctr_exit_file(struct runtime *rt, const char *id)
{
    return str_fmt("%s/exits/%s", rt->cfg->tmp_dir, id);
}

char *ctr_persist_dir(struct runtime *rt, const char *id)
{
    return str_fmt("%s/persist/%s", rt->cfg->tmp_dir, id);
}

char *ctr_log_path(struct runtime *rt, const struct ctr *c)
{
    const char *p = js_str(c->cfg, "logPath", NULL);
    _cleanup_free_ char *b = NULL;

    if (p && *p)
        return str_dup(p);
    b = ctr_bundle_dir(rt, c->id);
    return b ? str_fmt("%s/ctr.log", b) : NULL;
}

const char *ctr_name(const struct ctr *c)
{
    return js_str(c->cfg, "name", c->id);
}

/* The image's full id, the name the container records for it, and the
 * parts of its config create needs (the command, EXPOSE for -P): read once
 * here. *ic must be freed with store_image_cfg_free(). */
static int resolve_image(struct runtime *rt, const char *ref, char *id, char **name,
                         struct store_image_cfg *ic, struct berr **err)
{
    struct store *s;
    _cleanup_image_ struct store_image *img = NULL;

    if (rt_store(rt, &s, err) < 0 || store_image_lookup(s, ref, &img, err) < 0 ||
        store_image_cfg(s, img, ic, err) < 0)
        return -1;
    memcpy(id, img->id, sizeof(img->id));
    /* The name that the reference matched, as podman records it. */
    *name = NULL;
    for (size_t i = 0; img->names && img->names[i]; i++) {
        const char *n = img->names[i];
        size_t nl = strlen(n), rl = strlen(ref);
        if (str_eq(n, ref) || (nl > rl && n[nl - rl - 1] == '/' && strcmp(n + nl - rl, ref) == 0) ||
            (str_has_prefix(n, ref) && n[rl] == ':')) {
            *name = str_dup(n);
            break;
        }
    }
    if (!*name)
        *name = str_dup(img->names && img->names[0] ? img->names[0] : img->id);
    return *name ? 0 : berr_oom(err);
}

/* The bridge-mode part of the config: networks keyed by name as
 * runtime/net/net.h wants them (the default network when none is named)
 * and the published ports with their host ports chosen now, as podman
 * does at create. Other modes get none of either. */
static int ctr_net_config(struct runtime *rt, const struct ctr_create_params *p,
                          const struct store_image_cfg *ic, json_t **nets_out,
                          json_t **ports_out, struct berr **err)
{
    json_t *nsj = json_object_get(json_object_get(p->spec, "namespaces"), "network");
    const char *mode = json_is_string(nsj) ? json_string_value(nsj) : "bridge";
    _cleanup_json_ json_t *nets = json_object();
    _cleanup_free_ struct net_port *v = NULL;
    size_t n = 0, i;
    json_t *e;

    if (!nets)
        return berr_oom(err);
    if (strcmp(mode, "bridge") != 0) {
        *nets_out = STEAL_PTR(nets);
        *ports_out = json_array();
        return 0;
    }
    json_array_foreach(p->networks, i, e) {
        json_t *o = json_object();
        const char *ip = js_str(e, "ip", NULL), *mac = js_str(e, "mac", NULL);
        json_t *al = json_object_get(e, "aliases");
        json_object_set_new(o, "aliases", json_is_array(al) ? json_incref(al) : json_array());
        if (ip)
            json_object_set_new(o, "static_ips", json_pack("[s]", ip));
        if (mac)
            js_set_str(o, "static_mac", mac);
        json_object_set_new(nets, js_str(e, "name", rt->cfg->default_network), o);
    }
    if (json_object_size(nets) == 0)
        json_object_set_new(nets, rt->cfg->default_network, json_pack("{s:[]}", "aliases"));
    json_array_foreach(p->port_mappings, i, e)
        if (ports_parse(json_string_value(e), &v, &n, err) < 0)
            return -1;
    if (js_bool(p->spec, "publishAll", false) && ic &&
        ports_publish_all(ic->exposed_ports, &v, &n, err) < 0)
        return -1;
    if (ports_pick_random(v, n, err) < 0)
        return -1;
    *ports_out = ports_to_json(v, n);
    if (!*ports_out)
        return berr_oom(err);
    *nets_out = STEAL_PTR(nets);
    return 0;
}

/* The argv the container will run (entrypoint + command, podman's rule:
 * a user entrypoint drops the image's Cmd), recorded so that ps can show
 * it without opening the image store. */
static json_t *resolve_command(const struct ctr_create_params *p,
                               const struct store_image_cfg *ic)
{
    json_t *ep = json_object_get(p->spec, "entrypoint");
    json_t *cmd = json_object_get(p->spec, "command");
    json_t *out = json_array();

    if (!out)
        return NULL;
    if (json_is_array(ep)) {
        json_array_extend(out, ep);
    } else if (ic) {
        for (size_t i = 0; ic->entrypoint && ic->entrypoint[i]; i++)
            json_array_append_new(out, json_string(ic->entrypoint[i]));
    }
    if (json_is_array(cmd)) {
        json_array_extend(out, cmd);
    } else if (!json_is_array(ep) && ic) {
        for (size_t i = 0; ic->cmd && ic->cmd[i]; i++)
            json_array_append_new(out, json_string(ic->cmd[i]));
    }
    return out;
}

static json_t *new_config(struct runtime *rt, const struct ctr_create_params *p, const char *id,
                          const char *name, unsigned lock, const char *img_id,
                          const char *img_name, const struct store_image_cfg *ic,
                          json_t *net_obj, json_t *ports)
{
    struct config *cf = rt->cfg;
    json_t *c = json_object();
    json_t *labels = json_object_get(p->spec, "labels");

    if (!c)
        return NULL;
    js_set_str(c, "id", id);
    js_set_str(c, "name", name);
    js_set_str(c, "namespace", cf->namespace ? cf->namespace : "");
    js_set_int(c, "lockID", lock);
    js_set_int(c, "createdNs", time_now_ns());
    if (img_id)
        json_object_set_new(c, "image", json_pack("{s:s, s:s}", "id", img_id, "name", img_name));
    if (p->rootfs)
        js_set_str(c, "rootfs", p->rootfs);
    json_object_set(c, "spec", p->spec);
    json_object_set_new(c, "command", resolve_command(p, ic));
    json_object_set_new(c, "labels", json_is_object(labels) ? json_incref(labels) : json_object());
    js_set_str(c, "logDriver", p->log_driver ? p->log_driver : cf->log_driver);
    if (p->log_path)
        js_set_str(c, "logPath", p->log_path);
    js_set_int(c, "logSizeMax", p->log_size_max > 0 ? p->log_size_max : cf->log_size_max);
    if (p->log_tag)
        js_set_str(c, "logTag", p->log_tag);
    js_set_str(c, "restartPolicy", p->restart_policy ? p->restart_policy : "no");
    js_set_int(c, "restartRetries", p->restart_retries);
    js_set_int(c, "stopTimeout", p->stop_timeout >= 0 ? p->stop_timeout : cf->stop_timeout);
    js_set_int(c, "timeout", p->timeout);
    js_set_bool(c, "stdin", p->stdin);
    js_set_bool(c, "terminal", p->terminal);
    js_set_bool(c, "autoRemove", p->auto_remove);
    json_object_set_new(c, "networks", net_obj);
    json_object_set_new(c, "portMappings", ports);
    if (p->dns)
        json_object_set(c, "dns", p->dns);
    json_object_set_new(c, "addHosts", p->add_hosts ? json_incref(p->add_hosts) : json_array());
    js_set_str(c, "runtime", rt->g->runtime ? rt->g->runtime : "");
    if (p->cgroup_parent)
        js_set_str(c, "cgroupParent", p->cgroup_parent);
    return c;
}

static json_t *new_state(void)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:b, s:b, s:s, s:i}", "state", CS_CONFIGURED, "pid",
                     0, "conmonPid", 0, "exitCode", 0, "exited", false, "mounted", false,
                     "mountPoint", "", "restartCount", 0);
}

/* Undoes a half-done create in reverse order; errors are only logged. */
struct create_undo {
    struct runtime *rt;
    const char *id, *name;
    bool name_reserved, lock_allocated, rootfs_created;
    unsigned lock;
};

static void undo_create(struct create_undo *u)
{
    struct berr *e = NULL;
    struct store *s;

    if (u->rootfs_created && (rt_store(u->rt, &s, &e) < 0 || store_ctr_delete(s, u->id, &e) < 0))
        log_warn("cleaning up container %s rootfs: %s", u->id, e->msg);
    berr_freep(&e);
    if (u->lock_allocated && lock_free(u->rt->locks, u->lock, &e) < 0)
        log_warn("cleaning up container %s lock: %s", u->id, e->msg);
    berr_freep(&e);
    if (u->name_reserved && state_name_release(u->rt->st, u->name, &e) < 0)
        log_warn("cleaning up container %s name: %s", u->id, e->msg);
    berr_freep(&e);
}

int ctr_create(struct runtime *rt, const struct ctr_create_params *p, struct ctr **out,
               struct berr **err)
{
    char id[STATE_ID_LEN + 1], img_id[STATE_ID_LEN + 1] = "";
    _cleanup_free_ char *name = NULL, *img_name = NULL;
    _cleanup_json_ json_t *cfg = NULL, *st = NULL, *net_obj = NULL, *ports = NULL;
    struct create_undo u = { .rt = rt, .id = id };
    struct lock held = LOCK_INIT;
    _cleanup_(store_image_cfg_free) struct store_image_cfg icfg = { 0 };
    struct store *s;
    struct event ev = { .type = "container", .status = "create" };

    if (p->image && resolve_image(rt, p->image, img_id, &img_name, &icfg, err) < 0)
        return -1;
    if (state_new_id(id, err) < 0)
        return -1;
    if (p->name) {
        if (!state_name_valid(p->name))
            return berr_kind(err, BK_INVALID,
                             "running container create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        name = str_dup(p->name);
    } else if (state_gen_name(rt->st, &name, err) < 0) {
        return -1;
    }
    if (!name)
        return berr_oom(err);
    u.name = name;
    if (state_name_reserve(rt->st, name, OBJ_CONTAINER, id, err) < 0) {
        char holder[STATE_ID_LEN + 1];
        struct berr *e = NULL;

        if (!*err || (*err)->kind != BK_EXISTS)
            return -1;
        /* podman's words, naming the full id of the container holding it;
         * a pod's name keeps the state layer's message */
        if (state_lookup(rt->st, OBJ_CONTAINER, name, NULL, holder, &e) < 0) {
            berr_free(e);
            return -1;
        }
        return berr_msg(err, "creating container storage: the container name \"%s\" is already in use by %s. "
                        "You have to remove that container to be able to reuse that name: that name is already in use",
                        name, holder);
    }
    u.name_reserved = true;
    if (lock_alloc(rt->locks, &u.lock, err) < 0)
        goto fail;
    u.lock_allocated = true;
    /* Held until the record exists: a lock nobody holds and no record
     * names is an orphan that rm --all may free (rt_lock_gc). */
    if (lock_acquire(rt->locks, u.lock, &held, err) < 0)
        goto fail;
    if (p->image) {
        struct store_rootfs r = { 0 };
        if (rt_store(rt, &s, err) < 0 || store_ctr_create(s, img_id, id, p->auto_remove, &r, err) < 0)
            goto fail;
        store_rootfs_free(&r);
        u.rootfs_created = true;
    }
    if (ctr_net_config(rt, p, p->image ? &icfg : NULL, &net_obj, &ports, err) < 0)
        goto fail;
    cfg = new_config(rt, p, id, name, u.lock, p->image ? img_id : NULL, img_name,
                     p->image ? &icfg : NULL, STEAL_PTR(net_obj), STEAL_PTR(ports));
    st = new_state();
    if (!cfg || !st || ctr_view_sync(cfg, st) < 0) {
        berr_oom(err);
        goto fail;
    }
    if (state_create(rt->st, OBJ_CONTAINER, id, cfg, st, err) < 0)
        goto fail;
    ev.id = id;
    ev.name = name;
    ev.image = img_name ? img_name : "";
    ev.attributes = json_object_get(cfg, "labels");
    rt_event(rt, &ev);
    lock_release(&held);
    return ctr_get_id(rt, id, out, err);

fail:
    lock_release(&held);
    undo_create(&u);
    return -1;
}

int ctr_get_id(struct runtime *rt, const char *id, struct ctr **out, struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL;
    struct ctr *c;
    long long lock;

    if (state_read(rt->st, OBJ_CONTAINER, id, &cfg, NULL, err) < 0)
        return -1;
    lock = js_int(cfg, "lockID", -1);
    if (lock < 0)
        return berr_kind(err, BK_CORRUPT, "container %s: config has no lockID", id);
    c = calloc(1, sizeof(*c));
    if (!c)
        return berr_oom(err);
    c->lock.fd = -1;
    snprintf(c->id, sizeof(c->id), "%s", id);
    if (lock_acquire(rt->locks, (unsigned) lock, &c->lock, err) < 0) {
        free(c);
        /* The lock file goes with the container: freed means removed. */
        if (!state_exists(rt->st, OBJ_CONTAINER, id))
            return berr_kind(err, BK_NO_SUCH, "no container with ID %s found: no such container", id);
        return -1;
    }
    /* Re-read under the lock: it may have changed or gone while we waited. */
    if (state_read(rt->st, OBJ_CONTAINER, id, &c->cfg, &c->st, err) < 0) {
        ctr_put(c);
        if (!state_exists(rt->st, OBJ_CONTAINER, id))
            return berr_kind(err, BK_NO_SUCH, "no container with ID %s found: no such container", id);
        return -1;
    }
    if (ctr_sync(rt, c, err) < 0) {
        ctr_put(c);
        return -1;
    }
    /* A crash between a config write and its view leaves the view stale:
     * the next command that takes the lock puts it right. */
    ctr_view_repair(rt, c);
    *out = c;
    return 0;
}

void ctr_view_repair(struct runtime *rt, struct ctr *c)
{
    struct berr *e = NULL;

    if (ctr_view_sync(c->cfg, c->st) > 0 && ctr_save(rt, c, &e) < 0) {
        log_warn("container %s: saving the view of its config: %s", c->id, e->msg);
        berr_free(e);
    }
}

int ctr_save_config(struct runtime *rt, struct ctr *c, struct berr **err)
{
    if (state_update_config(rt->st, OBJ_CONTAINER, c->id, c->cfg, err) < 0)
        return -1;
    if (ctr_view_sync(c->cfg, c->st) > 0 && ctr_save(rt, c, err) < 0)
        return -1;
    return 0;
}

int ctr_get(struct runtime *rt, const char *name_or_id, struct ctr **out, struct berr **err)
{
    char id[STATE_ID_LEN + 1];
    const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;

    if (state_lookup(rt->st, OBJ_CONTAINER, name_or_id, ns, id, err) < 0)
        return -1;
    return ctr_get_id(rt, id, out, err);
}

void ctr_put(struct ctr *c)
{
    if (!c)
        return;
    lock_release(&c->lock);
    json_decref(c->cfg);
    json_decref(c->st);
    free(c);
}

int ctr_save(struct runtime *rt, struct ctr *c, struct berr **err)
{
    return state_update(rt->st, OBJ_CONTAINER, c->id, c->st, err);
}

/* The container has exited with code (or -1 unknown) at time when. */
static int mark_exited(struct runtime *rt, struct ctr *c, int code, long long when_ns, bool oom,
                       struct berr **err)
{
    struct event ev = { .type = "container", .status = "died" };
    int st = ctr_state(c);

    js_set_int(c->st, "state", CS_STOPPED);
    js_set_int(c->st, "pid", 0);
    js_set_int(c->st, "conmonPid", 0);
    js_set_int(c->st, "exitCode", code);
    js_set_bool(c->st, "exited", true);
    js_set_bool(c->st, "oomKilled", oom);
    js_set_int(c->st, "finishedNs", when_ns);
    /* A restart policy applies only to exits the user did not ask for. */
    if ((st == CS_RUNNING || st == CS_PAUSED) && !js_bool(c->st, "stoppedByUser", false) &&
        !str_eq(js_str(c->cfg, "restartPolicy", "no"), "no"))
        js_set_bool(c->st, "restartPolicyMatch", true);
    if (ctr_save(rt, c, err) < 0)
        return -1;
    if (state_exit_code_set(rt->st, c->id, code, err) < 0)
        return -1;
    ev.id = c->id;
    ev.name = ctr_name(c);
    ev.image = js_str(json_object_get(c->cfg, "image"), "name", "");
    ev.exit_code = code;
    ev.attributes = json_object_get(c->cfg, "labels");
    rt_event(rt, &ev);
    return 0;
}

int ctr_sync(struct runtime *rt, struct ctr *c, struct berr **err)
{
    int st = ctr_state(c), code = 0;
    _cleanup_free_ char *exits = str_fmt("%s/exits", rt->cfg->tmp_dir);
    _cleanup_free_ char *persist = ctr_persist_dir(rt, c->id);
    struct timespec when = { 0, 0 };
    bool oom = false;
    int r;

    if (st != CS_CREATED && st != CS_RUNNING && st != CS_PAUSED && st != CS_STOPPING)
        return 0;
    if (!exits || !persist)
        return berr_oom(err);
    r = conmon_read_exit_file(exits, c->id, &code, &when, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        int pcode;
        bool poom = false;
        if (conmon_read_persist(persist, &pcode, &poom, err) < 0)
            return -1;
        oom = poom;
        return mark_exited(rt, c, code,
                           (long long) when.tv_sec * 1000000000LL + when.tv_nsec, oom, err);
    }
    /* No exit file. If conmon is gone and so is the process, nobody will
     * ever write one: the exit is unknown, and the container must not stay
     * "running" forever (stop, rm -f and ps would hang on it). */
    {
        pid_t cpid = (pid_t) js_int(c->st, "conmonPid", 0);
        pid_t pid = (pid_t) js_int(c->st, "pid", 0);
        unsigned long long cstart = (unsigned long long) js_int(c->st, "conmonStart", 0);
        unsigned long long pstart = (unsigned long long) js_int(c->st, "pidStart", 0);

        if (cpid > 0 && proc_alive(cpid, cstart))
            return 0;
        if (pid > 0 && proc_alive(pid, pstart))
            return 0;
        if (cpid <= 0 && pid <= 0)
            return 0;   /* never started a monitor: nothing to learn */
        log_warn("container %s: conmon and the container process are gone without an exit file; exit code unknown",
                 c->id);
        return mark_exited(rt, c, -1, time_now_ns(), false, err);
    }
}

int ctr_list_ids(struct runtime *rt, char ***ids, struct berr **err)
{
    const char *ns = rt->cfg->namespace;
    char **all = NULL;

    if (state_list(rt->st, OBJ_CONTAINER, &all, err) < 0)
        return -1;
    if (!ns || !*ns) {
        *ids = all;
        return 0;
    }
    /* --namespace: keep only that libpod namespace's containers. */
    {
        size_t k = 0;
        for (size_t i = 0; all[i]; i++) {
            _cleanup_json_ json_t *cfg = NULL;
            struct berr *e = NULL;
            if (state_read(rt->st, OBJ_CONTAINER, all[i], &cfg, NULL, &e) == 0 &&
                str_eq(js_str(cfg, "namespace", ""), ns)) {
                all[k++] = all[i];
            } else {
                free(all[i]);
            }
            berr_free(e);
        }
        all[k] = NULL;
    }
    *ids = all;
    return 0;
}
