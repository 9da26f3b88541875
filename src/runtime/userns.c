/*
 * runtime/userns.c: a container's user namespace and id mappings,
 * settled at create (userns.h): --uidmap/--gidmap as given,
 * --subuidname/--subgidname from the subordinate id files, --userns auto
 * allocated from the "containers" user's ranges without overlapping any
 * other auto container's, container:X with X's maps.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/net/net.h"
#include "runtime/userns.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/idmap.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

#define AUTO_USER "containers"
#define AUTO_DEFAULT_SIZE 1024  /* podman's auto_userns_min_size */

struct idv {
    struct idmap *v;
    size_t n;
};

static void idv_free(struct idv *x) { free(x->v); }

static int idv_add(struct idv *x, uint32_t ctr, uint32_t host, uint32_t size, struct berr **err)
{
    struct idmap *v = realloc(x->v, (x->n + 1) * sizeof(*v));

    if (!v)
        return berr_oom(err);
    x->v = v;
    x->v[x->n++] = (struct idmap) { ctr, host, size };
    return 0;
}

static const char *subid_file(bool gid)
{
    const char *e = getenv(gid ? "BERTH_SUBGID_FILE" : "BERTH_SUBUID_FILE");
    return e && *e ? e : gid ? "/etc/subgid" : "/etc/subuid";
}

/* The ranges of name in the subuid (or subgid) file, as host/size. */
static int subid_ranges(const char *name, bool gid, struct idv *out, struct berr **err)
{
    const char *path = subid_file(gid);
    _cleanup_fclose_ FILE *f = fopen(path, "re");
    _cleanup_free_ char *line = NULL;
    size_t cap = 0, n = strlen(name);

    if (!f && errno != ENOENT)
        return berr_sys(err, "open %s", path);
    while (f && getline(&line, &cap, f) >= 0) {
        struct idmap m;
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, name, n) != 0 || line[n] != ':')
            continue;
        /* "start:count" read as a mapping with container id 0 */
        _cleanup_free_ char *s = str_fmt("0:%s", line + n + 1);
        if (!s)
            return berr_oom(err);
        if (idmap_parse(s, &m) == 0 && idv_add(out, 0, m.host, m.size, err) < 0)
            return -1;
    }
    if (!out->n)
        return berr_msg(err, "no sub%cid ranges found for user \"%s\" in %s",
                         gid ? 'g' : 'u', name, path);
    return 0;
}

static int strings_of(json_t *spec, const char *key, const struct idv *x, struct berr **err)
{
    json_t *a = json_array();

    if (!a || json_object_set_new(spec, key, a) < 0)
        return berr_oom(err);
    for (size_t i = 0; i < x->n; i++)
        if (json_array_append_new(a, json_sprintf("%u:%u:%u", x->v[i].ctr, x->v[i].host,
                                                  x->v[i].size)) < 0)
            return berr_oom(err);
    return 0;
}

/* --subuidname/--subgidname: the named ranges, one after another from
 * container id 0. Either name stands for both when the other is missing. */
static int from_subids(json_t *spec, struct berr **err)
{
    const char *un = js_str(spec, "subuidName", NULL), *gn = js_str(spec, "subgidName", NULL);
    _cleanup_(idv_free) struct idv ur = { 0 }, gr = { 0 };

    if (!un && !gn)
        return 0;
    if (subid_ranges(un ? un : gn, false, &ur, err) < 0 ||
        subid_ranges(gn ? gn : un, true, &gr, err) < 0)
        return -1;
    for (size_t i = 0, c = 0; i < ur.n; c += ur.v[i++].size)
        ur.v[i].ctr = (uint32_t) c;
    for (size_t i = 0, c = 0; i < gr.n; c += gr.v[i++].size)
        gr.v[i].ctr = (uint32_t) c;
    return strings_of(spec, "uidMap", &ur, err) < 0 ? -1 : strings_of(spec, "gidMap", &gr, err);
}

/* The host ranges auto containers hold (their records' maps). */
static int used_ranges(struct runtime *rt, const char *key, struct idv *used, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;

    if (state_list(rt->st, OBJ_CONTAINER, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids && ids[i]; i++) {
        _cleanup_json_ json_t *cfg = NULL;
        struct berr *e = NULL;
        json_t *spec, *s;
        size_t k;
        if (state_read(rt->st, OBJ_CONTAINER, ids[i], &cfg, NULL, &e) < 0) {
            berr_free(e);       /* a record being removed or broken */
            continue;
        }
        spec = json_object_get(cfg, "spec");
        if (!json_is_true(json_object_get(spec, "usernsAuto")))
            continue;
        json_array_foreach(json_object_get(spec, key), k, s) {
            struct idmap m;
            if (json_is_string(s) && idmap_parse(json_string_value(s), &m) == 0 &&
                idv_add(used, m.ctr, m.host, m.size, err) < 0)
                return -1;
        }
    }
    return 0;
}

/* The lowest host start of len ids inside pool that overlaps nothing in used. */
static int pick(const struct idv *pool, const struct idv *used, uint32_t len, uint32_t *out)
{
    for (size_t i = 0; i < pool->n; i++) {
        uint64_t c = pool->v[i].host, end = (uint64_t) pool->v[i].host + pool->v[i].size;
        bool moved = true;
        while (moved && c + len <= end) {
            moved = false;
            for (size_t k = 0; k < used->n; k++) {
                uint64_t us = used->v[k].host, ue = us + used->v[k].size;
                if (c < ue && us < c + len) {
                    c = ue;
                    moved = true;
                }
            }
        }
        if (!moved && c + len <= end) {
            *out = (uint32_t) c;
            return 0;
        }
    }
    return -1;
}

static int by_ctr(const void *a, const void *b)
{
    const struct idmap *x = a, *y = b;
    return x->ctr < y->ctr ? -1 : x->ctr > y->ctr;
}

/* One kind (uid or gid) of --userns auto: the given mappings, then the
 * container ids of [0, size) they leave free, each gap from the pool. */
static int auto_kind(struct runtime *rt, json_t *spec, json_t *opts, bool gid, uint32_t size,
                     struct berr **err)
{
    _cleanup_(idv_free) struct idv pool = { 0 }, used = { 0 }, out = { 0 };
    json_t *given = json_object_get(opts, gid ? "gidmapping" : "uidmapping"), *e;
    size_t i;

    json_array_foreach(given, i, e) {
        struct idmap m;
        if (idmap_parse(json_string_value(e), &m) < 0)
            return berr_kind(err, BK_INVALID, "invalid mapping \"%s\"", json_string_value(e));
        if (idv_add(&out, m.ctr, m.host, m.size, err) < 0)
            return -1;
    }
    if (used_ranges(rt, gid ? "gidMap" : "uidMap", &used, err) < 0)
        return -1;
    for (uint64_t c = 0; c < size;) {
        uint64_t gap = 0;
        uint32_t host;
        bool covered = false;
        for (i = 0; i < out.n && !covered; i++)
            if (c >= out.v[i].ctr && c < (uint64_t) out.v[i].ctr + out.v[i].size) {
                c = (uint64_t) out.v[i].ctr + out.v[i].size;
                covered = true;
            }
        if (covered)
            continue;
        /* the gap runs to size or the next given mapping */
        gap = size - c;
        for (i = 0; i < out.n; i++)
            if (out.v[i].ctr > c && out.v[i].ctr - c < gap)
                gap = out.v[i].ctr - c;
        if (!pool.n) {
            struct berr *e2 = NULL;
            if (subid_ranges(AUTO_USER, gid, &pool, &e2) < 0) {
                log_error("Cannot find mappings for user \"%s\": %s", AUTO_USER, e2->msg);
                berr_free(e2);
                return berr_msg(err, "creating container storage: could not find enough available IDs");
            }
        }
        if (pick(&pool, &used, (uint32_t) gap, &host) < 0)
            return berr_msg(err, "creating container storage: could not find enough available IDs");
        if (idv_add(&out, (uint32_t) c, host, (uint32_t) gap, err) < 0 ||
            idv_add(&used, (uint32_t) c, host, (uint32_t) gap, err) < 0)
            return -1;
        c += gap;
    }
    /* the kernel lists a map in the order written: by container id */
    qsort(out.v, out.n, sizeof(*out.v), by_ctr);
    return strings_of(spec, gid ? "gidMap" : "uidMap", &out, err);
}

static int settle_auto(struct runtime *rt, json_t *spec, struct lock *held, struct berr **err)
{
    json_t *opts = json_object_get(spec, "usernsAuto");
    json_int_t size = js_int(opts, "size", AUTO_DEFAULT_SIZE);
    _cleanup_free_ char *lck = str_fmt("%s/userns.lck", state_dir(rt->st));

    if (!lck)
        return berr_oom(err);
    if (size <= 0 || size > UINT32_MAX)
        return berr_kind(err, BK_INVALID, "invalid size %lld for --userns auto", (long long) size);
    if (lock_path(lck, true, held, err) < 0)
        return -1;
    if (auto_kind(rt, spec, opts, false, (uint32_t) size, err) < 0 ||
        auto_kind(rt, spec, opts, true, (uint32_t) size, err) < 0)
        return -1;
    if (json_object_set_new(spec, "usernsAuto", json_true()) < 0 ||
        js_set_str(json_object_get(spec, "namespaces"), "user", "private") < 0)
        return berr_oom(err);
    return 0;
}

/* container:X: X's maps, so that this container's root file system is
 * owned as X's user namespace sees it. */
static int settle_container(struct runtime *rt, json_t *spec, const char *ref, struct berr **err)
{
    const char *lns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;
    char id[STATE_ID_LEN + 1];
    _cleanup_json_ json_t *cfg = NULL;
    json_t *os;

    if (state_lookup(rt->st, OBJ_CONTAINER, ref, lns, id, err) < 0)
        return berr_wrap(err, "looking up container to share user namespace with");
    if (state_read(rt->st, OBJ_CONTAINER, id, &cfg, NULL, err) < 0)
        return -1;
    os = json_object_get(cfg, "spec");
    if (json_object_get(os, "uidMap") &&
        (json_object_set(spec, "uidMap", json_object_get(os, "uidMap")) < 0 ||
         json_object_set(spec, "gidMap", json_object_get(os, "gidMap")) < 0))
        return berr_oom(err);
    return 0;
}

/* In a child that joins the user namespace at path: its uid_map and
 * gid_map (the OCI runtime wants them even to join it, and the root file
 * system is mapped with them). */
static int maps_of_ns(json_t *spec, const char *path, struct berr **err)
{
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
    _cleanup_free_ char *text = NULL;
    int p[2], st;
    pid_t pid;
    size_t len = 0;

    if (fd < 0)
        return berr_sys(err, "open user namespace %s", path);
    if (pipe2(p, O_CLOEXEC) < 0)
        return berr_sys(err, "pipe");
    pid = fork();
    if (pid == 0) {
        static const char *const files[] = { "/proc/self/uid_map", "/proc/self/gid_map" };
        char buf[4096];
        close(p[0]);
        if (setns(fd, CLONE_NEWUSER) < 0)
            _exit(1);
        for (int i = 0; i < 2; i++) {
            int f = open(files[i], O_RDONLY | O_CLOEXEC);
            ssize_t n = f < 0 ? -1 : read(f, buf, sizeof(buf));
            if (n < 0 || write(p[1], buf, (size_t) n) != n || write(p[1], "-\n", 2) != 2)
                _exit(1);
        }
        _exit(0);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        return berr_sys(err, "fork");
    }
    int r = fs_read_fd(p[0], &text, &len);
    close(p[0]);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (r < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return berr_msg(err, "read the id maps of user namespace %s", path);
    /* "C H S" lines, "-" between the uid and the gid map */
    _cleanup_(idv_free) struct idv u = { 0 }, g = { 0 };
    struct idv *cur = &u;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long c, h, n;
        if (!strcmp(line, "-")) {
            cur = &g;
            continue;
        }
        if (sscanf(line, "%lu %lu %lu", &c, &h, &n) == 3 &&
            idv_add(cur, (uint32_t) c, (uint32_t) h, (uint32_t) n, err) < 0)
            return -1;
    }
    return strings_of(spec, "uidMap", &u, err) < 0 ? -1 : strings_of(spec, "gidMap", &g, err);
}

int userns_settle(struct runtime *rt, json_t *spec, struct lock *held, struct berr **err)
{
    json_t *ns = json_object_get(spec, "namespaces");
    const char *mode = js_str(ns, "user", "host");
    struct stat st;

    if (str_eq(mode, "auto"))
        return settle_auto(rt, spec, held, err);
    if (str_has_prefix(mode, "container:"))
        return settle_container(rt, spec, mode + 10, err);
    if (str_has_prefix(mode, "ns:")) {
        if (stat(mode + 3, &st) < 0)
            return berr_sys(err, "cannot find specified user namespace path: stat %s", mode + 3);
        return maps_of_ns(spec, mode + 3, err);
    }
    if (!str_eq(mode, "private"))
        return 0;
    if (from_subids(spec, err) < 0)
        return -1;
    /* one of the two maps stands for both, as in podman */
    if (!json_object_get(spec, "gidMap") && json_object_get(spec, "uidMap") &&
        json_object_set(spec, "gidMap", json_object_get(spec, "uidMap")) < 0)
        return berr_oom(err);
    if (!json_object_get(spec, "uidMap") && json_object_get(spec, "gidMap") &&
        json_object_set(spec, "uidMap", json_object_get(spec, "gidMap")) < 0)
        return berr_oom(err);
    if (!json_array_size(json_object_get(spec, "uidMap")))
        return berr_msg(err, "must provide at least one UID or GID mapping to configure a user namespace");
    return 0;
}

/* ---- a bridge network namespace for a container with a user namespace ----
 *
 * The OCI runtime joins the container's network namespace before it
 * makes the user namespace; exec joins the user namespace first, and then
 * may not enter a network namespace the host's user namespace owns. So,
 * as podman ends up with (it lets the runtime make the network namespace
 * and configures it afterwards), the network namespace is owned by the
 * container's user namespace: we make that user namespace here, keep it
 * at <tmp>/netns/userns-<id> (bind mount of its ns file) and the
 * container joins it instead of making one.
 */

char *userns_path(struct runtime *rt, const char *ctr_id)
{
    return str_fmt("%s/netns/userns-%s", rt->cfg->tmp_dir, ctr_id);
}

static int ctr_maps(json_t *spec, struct idv *u, struct idv *g, struct berr **err)
{
    static const char *const keys[] = { "uidMap", "gidMap" };
    struct idv *out[] = { u, g };

    for (size_t k = 0; k < 2; k++) {
        json_t *e;
        size_t i;
        json_array_foreach(json_object_get(spec, keys[k]), i, e) {
            struct idmap m;
            if (idmap_parse(json_string_value(e), &m) < 0)
                return berr_msg(err, "invalid id mapping %s", json_string_value(e));
            if (idv_add(out[k], m.ctr, m.host, m.size, err) < 0)
                return -1;
        }
    }
    return 0;
}

static int bind_ns(const char *src, const char *path, struct berr **err)
{
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0);

    if (fd < 0)
        return berr_sys(err, "create %s", path);
    if (mount(src, path, NULL, MS_BIND, NULL) < 0) {
        berr_sys(err, "bind mount %s", path);
        (void) unlink(path);
        return -1;
    }
    return 0;
}

/* In the child: join the user namespace, a network namespace of its
 * own, lo up. */
static bool netns_prep(int userns)
{
    struct ifreq ifr;
    int s;

    if (setns(userns, CLONE_NEWUSER) < 0 || unshare(CLONE_NEWNET) < 0 ||
        (s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
        return false;
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, "lo", 3);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
        return false;
    ifr.ifr_flags |= IFF_UP;
    return ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
}

/* The parent binds the child's network namespace at path: the host's
 * mount namespace is not the child's to change. */
static int netns_in(int userns, const char *path, struct berr **err)
{
    _cleanup_free_ char *src = NULL;
    struct ns_child ch;
    int rc;

    if (ns_child_start(netns_prep, userns, &ch, err) < 0)
        return berr_wrap(err, "create a network namespace in the user namespace");
    src = str_fmt("/proc/%d/ns/net", (int) ch.pid);
    rc = src ? bind_ns(src, path, err) : berr_oom(err);
    ns_child_end(&ch);
    return rc;
}

int userns_netns_create(struct runtime *rt, struct ctr *c, const char *name, char **out,
                        struct berr **err)
{
    _cleanup_free_ char *up = userns_path(rt, c->id);
    _cleanup_free_ char *np = str_fmt("%s/netns/%s", rt->cfg->tmp_dir, name);
    _cleanup_free_ char *fdp = NULL;
    _cleanup_(idv_free) struct idv u = { 0 }, g = { 0 };
    _cleanup_close_ int fd = -1;
    struct berr *e = NULL;

    if (!up || !np)
        return berr_oom(err);
    /* the netns dir and its shared mount come from net_ns_create's first
     * use; a leftover of a killed start is replaced */
    if (net_ns_remove(up, &e) < 0 || net_ns_remove(np, &e) < 0) {
        berr_free(e);
    }
    if (ctr_maps(c->cfg.spec, &u, &g, err) < 0 ||
        idmap_userns_fd(u.v, u.n, g.v, g.n, &fd, err) < 0)
        return -1;
    if (!(fdp = str_fmt("/proc/self/fd/%d", fd)))
        return berr_oom(err);
    if (net_ns_dir(rt->cfg->tmp_dir, err) < 0)
        return -1;
    if (bind_ns(fdp, up, err) < 0)
        return -1;
    if (netns_in(fd, np, err) < 0) {
        (void) net_ns_remove(up, &e);
        berr_free(e);
        return -1;
    }
    *out = STEAL_PTR(np);
    return 0;
}

void userns_netns_remove(struct runtime *rt, const char *ctr_id)
{
    _cleanup_free_ char *up = userns_path(rt, ctr_id);
    struct berr *e = NULL;

    if (up && net_ns_remove(up, &e) < 0) {
        log_warn("%s", e->msg);
        berr_free(e);
    }
}
