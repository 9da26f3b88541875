/*
 * runtime/genfiles.c: /etc/hosts, /etc/resolv.conf, /etc/hostname and
 * /run/.containerenv of a container (rules in genfiles.h).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/genfiles.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

#ifndef BERTH_VERSION
#define BERTH_VERSION "0"
#endif

/* Splits a text into lines of whitespace-separated fields, comments gone. */
static strv line_fields(const char *line)
{
    _cleanup_free_ char *l = str_dup(line);
    char *hash;

    if (!l)
        return NULL;
    if ((hash = strchr(l, '#')))
        *hash = '\0';
    return strv_split(l, " \t\r");
}

struct hostline { char *ip; strv names; };

static void hostlines_free(struct hostline *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].ip);
        strv_free(v[i].names);
    }
    free(v);
}

static int hl_push(struct hostline **v, size_t *n, const char *ip, strv names)
{
    struct hostline *nv = realloc(*v, (*n + 1) * sizeof(**v));

    if (!nv) {
        strv_free(names);
        return -1;
    }
    *v = nv;
    nv[*n].ip = str_dup(ip);
    nv[*n].names = names;
    (*n)++;
    return nv[*n - 1].ip ? 0 : -1;
}

static bool name_taken(struct hostline *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strv_contains(v[i].names, name))
            return true;
    return false;
}

static void emit(struct sbuf *b, const char *ip, char *const *names)
{
    sbuf_addf(b, "%s\t", ip);
    for (size_t i = 0; names[i]; i++)
        sbuf_addf(b, "%s%s", i ? " " : "", names[i]);
    sbuf_addc(b, '\n');
}

/* Appends "<ip> <names not yet taken>" when any name is left. */
static int emit_new(struct sbuf *b, struct hostline *v, size_t n, const char *ip,
                    char *const *names)
{
    _cleanup_strv_ strv keep = calloc(1, sizeof(char *));

    if (!keep)
        return -1;
    for (size_t i = 0; names[i]; i++)
        if (*names[i] && !name_taken(v, n, names[i]) && !strv_contains(keep, names[i]) &&
            strv_push(&keep, names[i]) < 0)
            return -1;
    if (keep[0])
        emit(b, ip, keep);
    return 0;
}

char *genfiles_hosts(const struct hosts_opts *o)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    struct hostline *v = NULL;
    size_t n = 0, i;
    int bad = 0;

    for (i = 0; o->add_hosts && o->add_hosts[i] && !bad; i++) {
        const char *colon = strchr(o->add_hosts[i], ':');
        _cleanup_free_ char *name = colon ? str_ndup(o->add_hosts[i], (size_t) (colon - o->add_hosts[i])) : NULL;
        const char *ip = colon ? colon + 1 : "";
        if (!name)
            continue;
        if (strcmp(ip, "host-gateway") == 0)
            ip = o->host_ip && *o->host_ip ? o->host_ip : NULL;
        if (ip && hl_push(&v, &n, ip, strv_split(name, ";")) < 0)
            bad = 1;
    }
    for (const char *p = o->base; p && *p && !bad;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        _cleanup_free_ char *line = str_ndup(p, len);
        strv f = line ? line_fields(line) : NULL;
        p += len + (nl ? 1 : 0);
        if (!f) {
            bad = 1;
            break;
        }
        if (strv_len(f) < 2) {
            strv_free(f);
            continue;
        }
        if (hl_push(&v, &n, f[0], strv_copy(f + 1)) < 0)
            bad = 1;
        strv_free(f);
    }
    for (i = 0; i < n && !bad; i++)
        if (v[i].names && v[i].names[0])
            emit(&b, v[i].ip, v[i].names);
        else
            bad = !v[i].names;
    if (!bad) {
        char *lh[] = { "localhost", NULL }, *hci[] = { "host.containers.internal", NULL };
        bad |= emit_new(&b, v, n, "127.0.0.1", lh) < 0;
        bad |= emit_new(&b, v, n, "::1", lh) < 0;
        if (o->host_ip && *o->host_ip)
            bad |= emit_new(&b, v, n, o->host_ip, hci) < 0;
    }
    if (!bad) {
        _cleanup_strv_ strv names = calloc(1, sizeof(char *));
        char *lo[] = { "127.0.0.1", NULL };
        char *const *ips = o->ips && o->ips[0] ? o->ips : lo;
        bad = !names || (o->hostname && strv_push(&names, o->hostname) < 0) ||
              (o->name && strv_push(&names, o->name) < 0);
        for (i = 0; !bad && o->aliases && o->aliases[i]; i++)
            bad = strv_push(&names, o->aliases[i]) < 0;
        for (i = 0; !bad && ips[i]; i++)
            bad = emit_new(&b, v, n, ips[i], names) < 0;
    }
    hostlines_free(v, n);
    if (bad)
        return NULL;
    return sbuf_steal(&b);
}

static bool is_loopback(const char *ip)
{
    return str_has_prefix(ip, "127.") || strcmp(ip, "::1") == 0;
}

static int push_unique(strv *v, const char *s)
{
    return strv_contains(*v, s) ? 0 : strv_push(v, s);
}

/* What the host's resolv.conf says: its usable servers (loopback ones
 * dropped in a private netns, IPv6 ones without ipv6), its search
 * domains (the last line wins, as in libc), its options. -1 out of
 * memory. */
struct host_resolv { strv ns, search, opts; };

static void host_resolv_free(struct host_resolv *h)
{
    strv_free(h->ns);
    strv_free(h->search);
    strv_free(h->opts);
}

static int host_resolv_parse(const struct resolv_opts *o, struct host_resolv *h)
{
    if (!(h->ns = calloc(1, sizeof(char *))) || !(h->search = calloc(1, sizeof(char *))) ||
        !(h->opts = calloc(1, sizeof(char *))))
        return -1;
    for (const char *p = o->host; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        _cleanup_free_ char *line = str_ndup(p, len);
        _cleanup_strv_ strv f = line ? line_fields(line) : NULL;
        p += len + (nl ? 1 : 0);
        if (!f)
            return -1;
        if (!f[0] || !f[1])
            continue;
        if (strcmp(f[0], "nameserver") == 0) {
            if (o->private_netns && is_loopback(f[1]))
                continue;
            if (!o->ipv6 && strchr(f[1], ':'))
                continue;
            if (push_unique(&h->ns, f[1]) < 0)
                return -1;
        } else if (strcmp(f[0], "search") == 0 || strcmp(f[0], "domain") == 0) {
            strv_free(h->search);
            if (!(h->search = strv_copy(f + 1)))
                return -1;
        } else if (strcmp(f[0], "options") == 0) {
            for (size_t i = 1; f[i]; i++)
                if (push_unique(&h->opts, f[i]) < 0)
                    return -1;
        }
    }
    return 0;
}

char *genfiles_resolv(const struct resolv_opts *o)
{
    _cleanup_strv_ strv ns = calloc(1, sizeof(char *)), search = calloc(1, sizeof(char *));
    _cleanup_(host_resolv_free) struct host_resolv h = { 0 };
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    size_t i;

    if (!ns || !search || host_resolv_parse(o, &h) < 0)
        return NULL;
    if (o->servers && o->servers[0]) {
        for (i = 0; o->servers[i]; i++)
            if (push_unique(&ns, o->servers[i]) < 0)
                return NULL;
    } else {
        for (i = 0; o->net_servers && o->net_servers[i]; i++)
            if (push_unique(&ns, o->net_servers[i]) < 0)
                return NULL;
        for (i = 0; h.ns[i]; i++)
            if (push_unique(&ns, h.ns[i]) < 0)
                return NULL;
        if (!ns[0]) {
            if (strv_push(&ns, "8.8.8.8") < 0 || strv_push(&ns, "8.8.4.4") < 0)
                return NULL;
            if (o->ipv6 && (strv_push(&ns, "2001:4860:4860::8888") < 0 ||
                            strv_push(&ns, "2001:4860:4860::8844") < 0))
                return NULL;
        }
    }
    if (o->searches && o->searches[0]) {
        for (i = 0; o->searches[i]; i++)
            if (push_unique(&search, o->searches[i]) < 0)
                return NULL;
    } else {
        for (i = 0; o->net_searches && o->net_searches[i]; i++)
            if (push_unique(&search, o->net_searches[i]) < 0)
                return NULL;
        for (i = 0; h.search[i]; i++)
            if (push_unique(&search, h.search[i]) < 0)
                return NULL;
    }
    if (search[0] && !(strcmp(search[0], ".") == 0 && !search[1])) {
        sbuf_add(&b, "search");
        for (i = 0; search[i]; i++)
            if (strcmp(search[i], ".") != 0)
                sbuf_addf(&b, " %s", search[i]);
        sbuf_addc(&b, '\n');
    }
    for (i = 0; ns[i]; i++)
        sbuf_addf(&b, "nameserver %s\n", ns[i]);
    {
        char *const *op = o->options && o->options[0] ? o->options : h.opts;
        if (op[0]) {
            sbuf_add(&b, "options");
            for (i = 0; op[i]; i++)
                sbuf_addf(&b, " %s", op[i]);
            sbuf_addc(&b, '\n');
        }
    }
    return sbuf_steal(&b);
}

int genfiles_read_host_resolv(char **out, struct berr **err)
{
    _cleanup_free_ char *text = NULL;
    _cleanup_strv_ strv servers = calloc(1, sizeof(char *));
    struct berr *e = NULL;
    const char *alt = NULL;

    *out = NULL;
    if (!servers)
        return berr_oom(err);
    if (fs_read_file("/etc/resolv.conf", &text, NULL, &e) < 0) {
        berr_free(e);
        return 0;
    }
    for (const char *p = strstr(text, "nameserver"); p; p = strstr(p + 1, "nameserver")) {
        _cleanup_strv_ strv f = NULL;
        const char *nl = strchr(p, '\n');
        _cleanup_free_ char *line = str_ndup(p, nl ? (size_t) (nl - p) : strlen(p));
        if (!line || !(f = line_fields(line)))
            return berr_oom(err);
        if ((p == text || p[-1] == '\n') && f[0] && f[1] && strv_push(&servers, f[1]) < 0)
            return berr_oom(err);
    }
    if (strv_len(servers) == 1 && strcmp(servers[0], "127.0.0.53") == 0)
        alt = "/run/systemd/resolve/resolv.conf";
    else if (strv_len(servers) == 1 && strcmp(servers[0], "127.0.0.1") == 0)
        alt = "/run/NetworkManager/no-stub-resolv.conf";
    if (alt && fs_exists(alt)) {
        char *t = NULL;
        if (fs_read_file(alt, &t, NULL, &e) == 0) {
            *out = t;
            return 0;
        }
        berr_free(e);
    }
    *out = STEAL_PTR(text);
    return 0;
}

char *genfiles_hostname(const char *hostname)
{
    return str_dup(hostname ? hostname : "");
}

char *genfiles_containerenv(const struct containerenv *e)
{
    if (!e->privileged)
        return str_dup("");
    return str_fmt("engine=\"berth-%s\"\nname=\"%s\"\nid=\"%s\"\nimage=\"%s\"\nimageid=\"%s\"\n"
                   "rootless=%d\n%s",
                   BERTH_VERSION, e->name ? e->name : "", e->id ? e->id : "",
                   e->image ? e->image : "", e->image_id ? e->image_id : "", e->rootless ? 1 : 0,
                   e->graph_root_mounted ? "graphRootMounted=1\n" : "");
}

int genfiles_write(const char *dir, const char *name, const char *text, mode_t mode,
                   struct berr **err)
{
    if (!text)
        return berr_oom(err);
    return fs_write_replace(dir, name, text, strlen(text), mode, err);
}
