/*
 * cmd/ctropts_params.c: struct ctropts -> runtime/container.h's
 * struct ctr_create_params, so create/run can hand the parsed options
 * straight to ctr_create().
 */
#include <string.h>

#include "cmd/ctropts.h"
#include "runtime/container.h"
#include "util/js.h"

static const char *const restart_names[] = {
    [CTR_RESTART_NO] = "no", [CTR_RESTART_ON_FAILURE] = "on-failure",
    [CTR_RESTART_ALWAYS] = "always", [CTR_RESTART_UNLESS_STOPPED] = "unless-stopped",
};

static json_t *networks_json(const struct ctropts *o)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr && i < o->nnetworks; i++) {
        const struct ctr_network *n = &o->networks[i];
        json_t *e = json_pack("{s:o}", "aliases", js_strv(n->aliases));
        if (!e || json_array_append_new(arr, e) < 0 ||
            (n->name && js_set_str(e, "name", n->name) < 0) ||
            (n->ip && js_set_str(e, "ip", n->ip) < 0) ||
            (n->ip6 && js_set_str(e, "ip6", n->ip6) < 0) ||
            (n->mac && js_set_str(e, "mac", n->mac) < 0) ||
            (n->interface_name && js_set_str(e, "interface_name", n->interface_name) < 0)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

int ctropts_create_params(struct ctropts *o, struct ctr_create_params *p, struct berr **err)
{
    json_t *pj = json_object();

    memset(p, 0, sizeof(*p));
    json_decref(o->params_json);
    o->params_json = pj;
    if (!pj ||
        json_object_set_new(pj, "networks", networks_json(o)) < 0 ||
        json_object_set_new(pj, "ports", js_strv(o->ports)) < 0 ||
        json_object_set_new(pj, "add_hosts", js_strv(o->add_hosts)) < 0 ||
        json_object_set_new(pj, "dns", json_pack("{s:o, s:o, s:o}", "servers", js_strv(o->dns),
                                                 "search", js_strv(o->dns_search), "options",
                                                 js_strv(o->dns_options))) < 0)
        return berr_oom(err);
    p->spec = o->ctr;
    p->name = o->name;
    p->image = o->rootfs ? NULL : o->image;
    p->rootfs = o->rootfs ? o->image : NULL;
    p->log_driver = o->log_driver;
    p->log_path = o->log_path;
    p->log_size_max = o->log_max_size;
    p->log_tag = o->log_tag;
    p->restart_policy = o->restart == CTR_RESTART_NO && !o->restart_no ? "" : restart_names[o->restart];
    p->restart_retries = o->restart_retries;
    p->stop_timeout = o->stop_timeout_set ? (long long) o->stop_timeout : -1;
    p->timeout = (long long) o->timeout;
    p->stdin = o->interactive;
    p->terminal = o->tty;
    p->auto_remove = o->rm;
    p->networks = json_array_size(json_object_get(pj, "networks")) ? json_object_get(pj, "networks") : NULL;
    p->port_mappings = json_array_size(json_object_get(pj, "ports")) ? json_object_get(pj, "ports") : NULL;
    p->dns = json_object_get(pj, "dns");
    p->add_hosts = json_array_size(json_object_get(pj, "add_hosts")) ? json_object_get(pj, "add_hosts") : NULL;
    p->cgroup_parent = o->cgroup_parent;
    p->pod = o->pod;
    return 0;
}
