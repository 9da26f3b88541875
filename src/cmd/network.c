/*
 * cmd/network.c: berth network create|ls|inspect|rm|prune|exists|reload.
 * The definitions are runtime/net/netconf.c's; reload and rm (with the
 * containers on a network) are runtime/ctr_net.c's. This file parses
 * flags and prints. connect and disconnect are cmd/network_connect.c.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "cmd/prune.h"
#include "runtime/container.h"
#include "runtime/ctrstate.h"
#include "runtime/net/net.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/out.h"
#include "util/str.h"
#include "util/timefmt.h"

static int get_env(struct cmd_ctx *cx, struct runtime **rt, struct net_env *e, struct berr **err)
{
    if (cx_runtime(cx, RT_FULL, rt, err) < 0)
        return -1;
    net_env_from_rt(*rt, e);
    return 0;
}

/* After a subcommand's option loop (c as opt_next left it): at least
 * `need` names (podman's message), --help, then the runtime. 1: go on,
 * `it` still holding the names; else what the subcommand returns, with
 * `it` freed. */
static int begin_names(struct cmd_ctx *cx, struct opt_it *it, int c, int need,
                       struct runtime **rt, struct net_env *e, struct berr **err)
{
    if (c == 0 && !it->help && it->nargs < need)
        c = berr_msg(err, "requires at least %d arg(s), only received %d", need, it->nargs);
    if (c == 0 && !it->help && get_env(cx, rt, e, err) < 0)
        c = -1;
    if (c < 0 || it->help) {
        opt_free(it);
        return c;
    }
    return 1;
}

/* ---- create ---- */

enum { O_SUBNET = 256, O_GATEWAY, O_IPRANGE, O_INTERNAL, O_DISABLE_DNS, O_LABEL, O_IPV6,
       O_IGNORE, O_IFNAME, O_FORMAT, O_NOTRUNC, O_NOHEADING, O_ALL, O_IPAM };

static const struct cmd_opt create_opts[] = {
    { "driver", 'd', OPT_ARG, "string", "driver to manage the network (only \"bridge\")", 0 },
    { "disable-dns", O_DISABLE_DNS, OPT_FLAG, NULL, "disable dns plugin (aardvark-dns)", 0 },
    { "gateway", O_GATEWAY, OPT_ARG, "ip", "IPv4 or IPv6 gateway for the subnet (repeatable, one per --subnet)", 0 },
    { "ignore", O_IGNORE, OPT_FLAG, NULL, "don't fail if the network already exists", 0 },
    { "interface-name", O_IFNAME, OPT_ARG, "string", "name of the bridge interface (default berthN)", 0 },
    { "internal", O_INTERNAL, OPT_FLAG, NULL, "restrict external access from this network", 0 },
    { "ip-range", O_IPRANGE, OPT_ARG, "CIDR", "allocate container IPs from this range (repeatable, one per --subnet)", 0 },
    { "ipam-driver", O_IPAM, OPT_ARG, "string", "IP Address Management Driver: host-local (default) or none (no addresses)", 0 },
    { "ipv6", O_IPV6, OPT_FLAG, NULL, "enable IPv6 networking (a random ULA /64 unless --subnet gives one)", 0 },
    { "label", O_LABEL, OPT_ARG, "KEY=VALUE", "set metadata on a network (repeatable)", 0 },
    { "opt", 'o', OPT_ARG, "KEY=VALUE", "set driver specific options: mtu, vlan, isolate, metric (repeatable)", 0 },
    { "subnet", O_SUBNET, OPT_ARG, "CIDR", "subnet in CIDR format (repeatable); default: the first free 10.89.N.0/24", 0 },
    { 0 }
};

static int create_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct net_env e;
    struct opt_it it;
    struct net_create_opts o = { 0 };
    _cleanup_strv_ strv subnets = NULL, gateways = NULL, ranges = NULL, labels = NULL,
                        opts = NULL;
    _cleanup_json_ json_t *def = NULL;
    int c, rc = 0;

    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'd': o.driver = it.arg; break;
        case O_DISABLE_DNS: o.disable_dns = it.bval; break;
        case O_GATEWAY: rc = strv_push(&gateways, it.arg); break;
        case O_IGNORE: o.ignore_existing = it.bval; break;
        case O_IFNAME: o.interface = it.arg; break;
        case O_INTERNAL: o.internal = it.bval; break;
        case O_IPRANGE: rc = strv_push(&ranges, it.arg); break;
        case O_IPAM: o.ipam_driver = it.arg; break;
        case O_IPV6: o.ipv6 = it.bval; break;
        case O_LABEL: rc = strv_push(&labels, it.arg); break;
        case 'o': rc = strv_push(&opts, it.arg); break;
        case O_SUBNET: rc = strv_push(&subnets, it.arg); break;
        }
    }
    if (rc < 0)
        c = berr_oom(err);
    if (c == 0 && !it.help && it.nargs > 1)
        c = berr_msg(err, "accepts at most 1 arg(s), received %d", it.nargs);
    if (c == 0 && it.nargs == 1)
        o.name = it.args[0];
    if (c < 0 || it.help) {
        opt_free(&it);
        return c;
    }
    o.subnets = subnets;
    o.gateways = gateways;
    o.ip_ranges = ranges;
    o.labels = labels;
    o.options = opts;
    rc = get_env(cx, &rt, &e, err) < 0 || net_create(&e, &o, &def, err) < 0 ? -1 : 0;
    opt_free(&it);
    if (rc < 0)
        return -1;
    printf("%s\n", js_str(def, "name", ""));
    return 0;
}

const struct cmd cmd_network_create = {
    .name = "create",
    .summary = "Create a network",
    .usage = "[options] [NAME]",
    .description =
        "Creates a bridge network: writes its definition (podman's format) into the network\n"
        "config dir. Without --subnet the first free 10.89.N.0/24 is used, skipping subnets of\n"
        "other networks and of the host's routes. Without a name, berthN is chosen.\n"
        "Containers on a network with DNS enabled resolve each other's names (aardvark-dns).\n"
        "With network_backend = \"cni\" there is no DNS between containers (aardvark-dns is\n"
        "netavark's, the dnsname plugin is not installed): a network with DNS enabled still\n"
        "works, and containers reach each other by IP address.",
    .examples = "berth network create mynet\n"
                "berth network create --subnet 192.168.55.0/24 --gateway 192.168.55.3 web\n"
                "berth network create --internal --disable-dns --label env=test backend",
    .opts = create_opts, .fn = create_fn, .need = RT_FULL,
};

/* ---- ls ---- */

static const struct cmd_opt ls_opts[] = {
    { "filter", 'f', OPT_ARG, "KEY=VALUE", "filter output: name, id, driver, label, until, dangling=true|false (repeatable)", 0 },
    { "format", O_FORMAT, OPT_ARG, "string", "pretty-print networks to JSON or using a Go template", 0 },
    { "no-trunc", O_NOTRUNC, OPT_FLAG, NULL, "do not truncate the network ID", 0 },
    { "noheading", O_NOHEADING, OPT_FLAG, NULL, "do not print headers", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "display only names", 0 },
    { 0 }
};

static const struct out_header ls_headers[] = {
    { "ID", "NETWORK ID" }, { "Name", "NAME" }, { "Driver", "DRIVER" }, { 0 }
};

static const struct out_spec ls_spec = {
    .table = "table {{.ID}}\t{{.Name}}\t{{.Driver}}",
    .headers = ls_headers,
};

/* "k=v,k2=v2", podman's ListPrintReports.Labels() (keys sorted here;
 * Go's map order is random). NULL: out of memory. */
static json_t *labels_text(json_t *labels)
{
    _cleanup_sbuf_ struct sbuf sb = SBUF_INIT;
    _cleanup_json_ json_t *sorted = js_sorted_copy(labels);
    const char *k;
    json_t *v;
    size_t i = 0;

    if (!sorted)
        return NULL;
    json_object_foreach(sorted, k, v)
        if (sbuf_addf(&sb, "%s%s=%s", i++ ? "," : "", k, json_is_string(v) ? json_string_value(v) : "") < 0)
            return NULL;
    return json_string(sbuf_str(&sb));
}

/* The template view of a definition: podman's Go field names; for ls
 * (podman's ListPrintReports) .Labels is "k=v,...", for inspect a map
 * (map[] when there is none, as .Options). .Created is Go's
 * time.Time.String(). */
static json_t *def_view(json_t *def, bool notrunc, bool ls)
{
    char id[65], created[TIME_BUF];
    json_t *labels = json_object_get(def, "labels"), *opts = json_object_get(def, "options");
    const char *cr = js_str(def, "created", "");

    snprintf(id, notrunc ? sizeof(id) : 13, "%s", js_str(def, "id", ""));
    if (!time_go_string_rfc3339(cr, created, sizeof(created)))
        snprintf(created, sizeof(created), "%s", cr);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:b, s:b, s:b, s:o, s:o, s:O}",
                     "ID", id, "Name", js_str(def, "name", ""),
                     "Driver", js_str(def, "driver", ""),
                     "NetworkInterface", js_str(def, "network_interface", ""),
                     "Created", created,
                     "Subnets", json_object_get(def, "subnets") ? json_object_get(def, "subnets")
                                                               : json_null(),
                     "IPv6Enabled", js_bool(def, "ipv6_enabled", false),
                     "Internal", js_bool(def, "internal", false),
                     "DNSEnabled", js_bool(def, "dns_enabled", false),
                     "Labels", ls ? labels_text(labels)
                                  : labels ? json_incref(labels) : json_object(),
                     "Options", opts ? json_incref(opts) : json_object(),
                     "IPAMOptions", json_object_get(def, "ipam_options")
                                        ? json_object_get(def, "ipam_options") : json_null());
}

/* podman's network filters; several values of one key OR, keys AND. */
static int filter_match(json_t *def, char *const *filters, const struct net_env *e, bool *ok,
                        struct berr **err)
{
    *ok = true;
    for (size_t i = 0; filters && filters[i] && *ok; i++) {
        const char *f = filters[i], *eq = strchr(f, '=');
        _cleanup_free_ char *key = eq ? str_ndup(f, (size_t) (eq - f)) : NULL;
        const char *val = eq ? eq + 1 : NULL;
        bool m = false;

        if (!eq)
            return berr_plain(err, BK_INVALID, "filter input must be in the form of filter=value: "
                              "%s is invalid", f);
        if (!key)
            return berr_oom(err);
        if (!strcmp(key, "name")) {
            regex_t re;
            if (regcomp(&re, val, REG_EXTENDED | REG_NOSUB) != 0)
                return berr_kind(err, BK_INVALID, "invalid name filter regex \"%s\"", val);
            m = regexec(&re, js_str(def, "name", ""), 0, NULL, 0) == 0;
            regfree(&re);
        } else if (!strcmp(key, "id")) {
            m = str_has_prefix(js_str(def, "id", ""), val);
        } else if (!strcmp(key, "driver")) {
            m = str_eq(js_str(def, "driver", ""), val);
        } else if (!strcmp(key, "label") || !strcmp(key, "label!")) {
            const char *veq = strchr(val, '=');
            _cleanup_free_ char *lk = veq ? str_ndup(val, (size_t) (veq - val)) : str_dup(val);
            json_t *lv = lk ? json_object_get(json_object_get(def, "labels"), lk) : NULL;
            m = lv && (!veq || str_eq(json_string_value(lv), veq + 1));
            if (key[5] == '!')
                m = !m;
        } else if (!strcmp(key, "until")) {
            struct timespec now, until, created;
            clock_gettime(CLOCK_REALTIME, &now);
            /* a duration counts back from now, as podman's prune */
            if (time_parse_filter(val, now, &until, err) < 0)
                return -1;
            m = time_parse_rfc3339(js_str(def, "created", ""), &created, NULL, NULL) == 0 &&
                time_cmp(created, until) < 0;
        } else if (!strcmp(key, "dangling")) {
            _cleanup_strv_ strv users = NULL;
            int want = str_to_bool(val);
            if (want < 0)
                return berr_plain(err, BK_INVALID, "invalid dangling filter value \"%s\"", val);
            if (net_users(e, js_str(def, "name", ""), &users, err) < 0)
                return -1;
            m = (strv_len(users) == 0) == (want == 1);
        } else {
            return berr_plain(err, BK_INVALID, "invalid filter \"%s\"", key);
        }
        /* Another value for the same key may still match (OR); labels
         * must all match, as podman's MatchLabelFilters. */
        if (!m && strncmp(key, "label", 5)) {
            for (size_t j = 0; filters[j]; j++)
                if (j != i && str_has_prefix(filters[j], key) && filters[j][strlen(key)] == '=') {
                    const char *one[] = { filters[j], NULL };
                    bool m2;
                    if (strcmp(filters[j], f) && filter_match(def, (char *const *) one,
                                                              e, &m2, err) == 0 && m2) {
                        m = true;
                        break;
                    }
                }
        }
        *ok = m;
    }
    return 0;
}

static int ls_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct net_env e;
    struct opt_it it;
    _cleanup_strv_ strv filters = NULL;
    _cleanup_json_ json_t *all = NULL, *items = json_array(), *defs = json_array();
    const char *format = NULL;
    bool quiet = false, notrunc = false, noheading = false;
    size_t i;
    json_t *def;
    int c, rc = 0;

    if (!items || !defs)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'f': rc = strv_push(&filters, it.arg); break;
        case O_FORMAT: format = it.arg; break;
        case O_NOTRUNC: notrunc = it.bval; break;
        case O_NOHEADING: noheading = it.bval; break;
        case 'q': quiet = it.bval; break;
        }
    }
    if (rc < 0)
        c = berr_oom(err);
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (get_env(cx, &rt, &e, err) < 0 || net_list(&e, &all, err) < 0)
        return -1;
    json_array_foreach(all, i, def) {
        bool ok;
        if (filter_match(def, filters, &e, &ok, err) < 0)
            return -1;
        if (!ok)
            continue;
        if (json_array_append(defs, def) < 0 ||
            json_array_append_new(items, def_view(def, notrunc, true)) < 0)
            return berr_oom(err);
    }
    if (quiet) {
        json_array_foreach(defs, i, def)
            printf("%s\n", js_str(def, "name", ""));
        return 0;
    }
    if (out_is_json(format))
        return out_json_indent(stdout, defs, 2, err);       /* podman's indent here */
    return out_list(stdout, format, items, &ls_spec, noheading, err);
}

const struct cmd cmd_network_list = {
    .name = "ls",
    .aliases = "list",
    .summary = "List networks",
    .usage = "[options]",
    .description = "Lists the networks: the default one and those made with `network create`.",
    .examples = "berth network ls\nberth network ls --filter driver=bridge -q\n"
                "berth network ls --format '{{.Name}} {{.ID}}'",
    .opts = ls_opts, .fn = ls_fn, .need = RT_FULL,
};

/* ---- inspect ---- */

static const struct cmd_opt inspect_opts[] = {
    { "format", 'f', OPT_ARG, "string", "pretty-print network to JSON or using a Go template", 0 },
    { 0 }
};

static int inspect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct net_env e;
    struct opt_it it;
    _cleanup_json_ json_t *defs = json_array(), *items = json_array();
    const char *format = NULL;
    int c, rc = 0;

    if (!defs || !items)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == 'f')
            format = it.arg;
    if ((c = begin_names(cx, &it, c, 1, &rt, &e, err)) <= 0)
        return c;
    /* As podman: the networks found are printed ("[]" for none), then
     * the first missing one is the error; the others are reported before
     * it as "error ..." lines. */
    for (int i = 0; i < it.nargs && rc == 0; i++) {
        json_t *def = NULL;
        struct berr *e1 = NULL;
        if (net_lookup(&e, it.args[i], &def, &e1) < 0) {
            berr_wrap(&e1, "inspecting object: network %s", it.args[i]);
            if (e1 && e1->kind != BK_NO_SUCH) {
                berr_free(*err);
                *err = e1;
                rc = -1;
            } else {
                cmd_err_first(err, e1);
            }
            continue;
        }
        json_array_append_new(defs, def);
        json_array_append_new(items, def_view(def, true, false));
    }
    opt_free(&it);
    if (rc < 0)
        return -1;
    if (*err)
        rc = -1;
    if (!format || !*format || out_is_json(format)) {
        /* podman prints network definitions with a 5-space indent. */
        _cleanup_free_ char *s = json_dumps(defs, JSON_INDENT(5) | JSON_PRESERVE_ORDER);
        if (!s)
            return berr_oom(err);
        printf("%s\n", s);
        return rc;
    }
    /* Templates see podman's Go names and the file's names alike. */
    {
        size_t i;
        json_t *v;
        json_array_foreach(items, i, v)
            json_object_update_missing(v, json_array_get(defs, i));
    }
    if (rc < 0) {
        struct berr *pe = NULL;
        if (out_list(stdout, format, items, NULL, true, &pe) < 0) {
            berr_free(*err);
            *err = pe;
        }
        return -1;
    }
    return out_list(stdout, format, items, NULL, true, err);
}

const struct cmd cmd_network_inspect = {
    .name = "inspect",
    .summary = "Display detailed information on one or more networks",
    .usage = "[options] NETWORK [NETWORK...]",
    .description = "Prints the definitions of the given networks (name, id or id prefix) as JSON.",
    .examples = "berth network inspect berth\nberth network inspect --format '{{.Name}}' mynet",
    .opts = inspect_opts, .fn = inspect_fn, .need = RT_FULL,
};

/* ---- rm ---- */

static const struct cmd_opt rm_opts[] = {
    { "force", 'f', OPT_FLAG, NULL, "remove any containers using the network", 0 },
    { "time", 't', OPT_ARG, "seconds", "seconds to wait for running containers to stop before killing them", 0 },
    { 0 }
};

static int rm_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct net_env e;
    struct opt_it it;
    bool force = false;
    unsigned long long t;
    long long timeout = -1;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == 'f')
            force = it.bval;
        else if (c == 't' && opt_uint(&it, &t, err) < 0)
            c = -1;
        else if (c == 't')
            timeout = (long long) t;
        if (c < 0)
            break;
    }
    if ((c = begin_names(cx, &it, c, 1, &rt, &e, err)) <= 0)
        return c;
    /* Like podman: go on with the others, print every error but the
     * last, which main prints. The policy is runtime/ctr_net.c's. */
    for (int i = 0; i < it.nargs; i++) {
        struct berr *e2 = NULL;
        bool removed;
        if (ctr_net_remove(rt, it.args[i], force, timeout, &removed, &e2) < 0)
            cmd_err_next(err, e2);
        else if (removed)
            printf("%s\n", it.args[i]);
    }
    opt_free(&it);
    return *err ? -1 : 0;
}

const struct cmd cmd_network_rm = {
    .name = "rm",
    .aliases = "remove",
    .summary = "Remove networks",
    .usage = "[options] NETWORK [NETWORK...]",
    .description =
        "Removes network definitions. A network that containers use is refused unless\n"
        "--force is given, which removes those containers first. The default network\n"
        "cannot be removed.",
    .examples = "berth network rm mynet\nberth network rm -f mynet",
    .opts = rm_opts, .fn = rm_fn, .need = RT_FULL,
};

/* ---- prune ---- */

static const struct cmd_opt prune_opts[] = {
    { "filter", O_LABEL, OPT_ARG, "KEY=VALUE", "only prune networks matching: label, label!, until (repeatable)", 0 },
    { "force", 'f', OPT_FLAG, NULL, "do not prompt for confirmation", 0 },
    { 0 }
};

static int prune_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_strv_ strv filters = NULL, removed = NULL;
    bool force = false;
    int c, rc = 0;

    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == 'f')
            force = it.bval;
        else if (c == O_LABEL)
            rc = strv_push(&filters, it.arg);
    }
    if (rc < 0)
        c = berr_oom(err);
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (!force && (c = cmd_confirm("This will remove all networks not used by at least one container.", err)) <= 0)
        return c;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    rc = prune_networks(rt, filters, &removed, err);
    for (size_t i = 0; removed && removed[i]; i++)
        printf("%s\n", removed[i]);
    return rc;
}

int prune_networks(struct runtime *rt, char *const *filters, strv *removed, struct berr **err)
{
    struct net_env e;
    _cleanup_json_ json_t *all = NULL;
    size_t i;
    json_t *def;

    _cleanup_json_ json_t *probe = json_object();
    bool ok;

    net_env_from_rt(rt, &e);
    /* a bad filter fails even when there is nothing to prune, as podman's */
    if (!probe)
        return berr_oom(err);
    if (filter_match(probe, filters, &e, &ok, err) < 0 || net_list(&e, &all, err) < 0)
        return -1;
    json_array_foreach(all, i, def) {
        _cleanup_strv_ strv users = NULL;
        const char *name = js_str(def, "name", "");
        bool ok;

        if (!strcmp(name, e.default_network))
            continue;
        if (filter_match(def, filters, &e, &ok, err) < 0)
            return -1;
        if (!ok)
            continue;
        if (net_users(&e, name, &users, err) < 0)
            return -1;
        if (strv_len(users))
            continue;
        if (net_remove(&e, name, err) < 0)
            return -1;
        if (strv_push(removed, name) < 0)
            return berr_oom(err);
    }
    return 0;
}

const struct cmd cmd_network_prune = {
    .name = "prune",
    .summary = "Prune unused networks",
    .usage = "[options]",
    .description = "Removes every network no container uses (never the default network).\n"
        "Filters narrow it: label=KEY[=VALUE], label!=..., until=TIMESTAMP or until=DURATION\n"
        "(created before then, a duration counting back from now).",
    .examples = "berth network prune -f\nberth network prune -f --filter label=env=test\n"
                "berth network prune -f --filter until=24h",
    .opts = prune_opts, .fn = prune_fn, .need = RT_FULL,
};

/* ---- exists ---- */

static int exists_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct net_env e;
    struct opt_it it;
    _cleanup_json_ json_t *def = NULL;
    struct berr *e2 = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        ;
    if (c == 0 && !it.help && it.nargs != 1)
        c = berr_msg(err, "accepts 1 arg(s), received %d", it.nargs);
    if (c < 0 || it.help) {
        opt_free(&it);
        return c;
    }
    c = get_env(cx, &rt, &e, err);
    if (c == 0 && net_lookup(&e, it.args[0], &def, &e2) < 0) {
        c = e2->kind == BK_NO_SUCH ? 1 : -1;
        if (c < 0)
            *err = e2;
        else
            berr_free(e2);
    }
    opt_free(&it);
    return c;
}

const struct cmd cmd_network_exists = {
    .name = "exists",
    .summary = "Check if a network exists",
    .usage = "NETWORK",
    .description = "Exits 0 if the network exists, 1 if it does not, 125 on other errors.",
    .examples = "berth network exists mynet",
    .fn = exists_fn, .need = RT_FULL,
};

/* ---- reload ---- */

static const struct cmd_opt reload_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "reload network configuration of all containers", 0 },
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { 0 }
};

/* Reloads one container (runtime/ctr_net.c), under its lock; prints its
 * id when it was reloaded. */
static int reload_one(struct runtime *rt, const char *name, bool is_id, struct berr **err)
{
    _cleanup_ctr_ struct ctr *c = NULL;
    struct berr *e = NULL;
    int r;

    if ((is_id ? ctr_get_id : ctr_get)(rt, name, &c, &e) < 0) {
        if (is_id && e->kind == BK_NO_SUCH) {   /* --all: gone meanwhile */
            berr_free(e);
            return 0;
        }
        *err = e;
        return -1;
    }
    if ((r = ctr_net_reload(rt, c, is_id, err)) == 0)
        printf("%s\n", c->id);
    return r < 0 ? -1 : 0;
}

static int reload_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct net_env e;
    struct opt_it it;
    bool all = false, latest = false;
    char id[STATE_ID_LEN + 1];
    int c, rc = 0;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == 'a')
            all = it.bval;
        else if (c == 'l')
            latest = it.bval;
    }
    if (c == 0 && !it.help && ctr_each_check(all, latest, it.nargs, false, false, false, err) < 0)
        c = -1;
    if ((c = begin_names(cx, &it, c, 0, &rt, &e, err)) <= 0)
        return c;
    if (latest)
        rc = ctr_latest(rt, id, err) < 0 ? -1 : reload_one(rt, id, false, err);
    if (all) {
        _cleanup_strv_ strv ids = NULL;
        if (ctr_list_ids(rt, &ids, err) < 0)
            rc = -1;
        for (size_t i = 0; rc == 0 && ids && ids[i]; i++)
            rc = reload_one(rt, ids[i], true, err);
    }
    for (int i = 0; rc == 0 && i < it.nargs; i++)
        rc = reload_one(rt, it.args[i], false, err);
    opt_free(&it);
    return rc;
}

const struct cmd cmd_network_reload = {
    .name = "reload",
    .summary = "Reload firewall rules for one or more containers",
    .usage = "[options] [CONTAINER...]",
    .description =
        "Re-applies the network configuration (firewall rules, port forwarding) of running\n"
        "containers, e.g. after the firewall was flushed. The containers keep their addresses.",
    .examples = "berth network reload web\nberth network reload --all",
    .opts = reload_opts, .fn = reload_fn, .need = RT_FULL,
};
