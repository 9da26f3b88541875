/*
 * state/lookup.c: finding a container, pod or volume from what a user
 * typed, in podman's order and with podman's words (SPEC-podman.md 3.7):
 * full id, then exact name, then unique id prefix. Volumes: exact name,
 * then unique name prefix.
 *
 * The prefix step asks the id prefix index (idindex.c) first: one small
 * bucket, each id it proposes checked against its record. When the index
 * finds nothing (or cannot answer: a one-digit prefix, a volume), the
 * kind's directory is listed and its names compared, and what the index
 * missed is added to it. Neither reads a record, except the configs of
 * the candidates when a libpod namespace filters them. An object outside the namespace is simply not found
 * (podman 4.3.1 says "does not match our namespace" for a full id or name
 * in another namespace; to a user scoped to a namespace, not found is the
 * honest answer, and it keeps lookups cheap).
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "state/internal.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

static bool in_ns(struct state *st, enum obj_kind kind, const char *key, const char *ns)
{
    _cleanup_json_ json_t *cfg = NULL;
    _cleanup_berr_ struct berr *e = NULL;

    if (!ns || !*ns)
        return true;
    if (state_read(st, kind, key, &cfg, NULL, &e) < 0)
        return false;   /* unreadable: it cannot prove it is ours */
    return str_eq(js_str(cfg, "namespace", ""), ns);
}

static bool found(struct state *st, enum obj_kind kind, const char *key, const char *ns)
{
    return state_exists(st, kind, key) && in_ns(st, kind, key, ns);
}

static bool could_prefix(enum obj_kind kind, const char *s)
{
    size_t n = 0;

    if (kind == OBJ_VOLUME)
        return true;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n <= STATE_ID_LEN;
}

/* Counts the keys starting with prefix (in ns); *match gets the first.
 * fix: the index could have answered and found nothing, so every key
 * with the prefix (in any namespace) is added to it, and the scan does
 * not stop at the second match: a key left out would make a prefix
 * shared by two look unique. */
static int prefix_scan(struct state *st, enum obj_kind kind, const char *prefix,
                       const char *ns, bool fix, char *match, size_t match_len, int *count,
                       struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(st->kind_dir[kind]);
    size_t plen = strlen(prefix);
    struct dirent *de;
    bool seen = false;

    *count = 0;
    if (!d)
        return berr_sys(err, "open %s", st->kind_dir[kind]);
    while ((errno = 0, de = readdir(d))) {
        const char *n = de->d_name;

        if (n[0] == '.' || strncmp(n, prefix, plen) != 0)
            continue;
        if (kind == OBJ_VOLUME ? !state_name_valid(n) : !state_id_valid(n))
            continue;
        if (fix) {
            state_idx_add(st, kind, n);
            seen = true;
        }
        if (!in_ns(st, kind, n, ns) || *count > 1)
            continue;
        if (++*count == 1) {
            if (strlen(n) >= match_len)
                return berr_msg(err, "%s/%s: name too long", st->kind_dir[kind], n);
            strcpy(match, n);
        }
        if (*count > 1 && !fix)
            return 0;   /* ambiguous; no need to read further */
    }
    if (errno)
        return berr_sys(err, "read %s", st->kind_dir[kind]);
    if (seen)
        state_idx_ensure(st, kind);     /* a store from before the index */
    return 0;
}

static int not_found(struct berr **err, enum obj_kind kind, const char *in, bool other_kind)
{
    if (kind == OBJ_POD) {
        if (other_kind)
            return state_err(err, BK_NO_SUCH, "%s is a container, not a pod: no such pod", in);
        return state_err(err, BK_NO_SUCH, "no pod with name or ID %s found: no such pod", in);
    }
    if (kind == OBJ_VOLUME)
        return state_err(err, BK_NO_SUCH, "no volume with name \"%s\" found: no such volume", in);
    if (other_kind)
        return state_err(err, BK_NO_SUCH, "\"%s\" is a pod, not a container: no such container",
                         in);
    return state_err(err, BK_NO_SUCH, "no container with name or ID \"%s\" found: no such container",
                     in);
}

static int ambiguous(struct berr **err, enum obj_kind kind, const char *in)
{
    if (kind == OBJ_POD)
        return state_err(err, BK_EXISTS, "more than one result for ID or name %s: pod already exists",
                         in);
    if (kind == OBJ_VOLUME)
        return state_err(err, BK_EXISTS,
                         "more than one result for volume name \"%s\": volume already exists", in);
    return state_err(err, BK_EXISTS,
                     "more than one result for container ID %s: container already exists", in);
}

int state_lookup(struct state *st, enum obj_kind kind, const char *input, const char *ns,
                 char *id_out, struct berr **err)
{
    char match[256];
    bool other_kind = false;
    int count = 0;

    if (!input || !*input)
        return state_err(err, BK_INVALID, "name or ID cannot be empty");
    /* 1. the full key (a full id, or a volume's exact name) */
    if (found(st, kind, input, ns)) {
        strcpy(id_out, input);
        return 0;
    }
    /* 2. a name from the index: ours, or the other kind's (for the error) */
    if (kind != OBJ_VOLUME) {
        _cleanup_berr_ struct berr *e = NULL;
        enum obj_kind hk;
        char hid[STATE_ID_LEN + 1];

        if (state_name_resolve(st, input, &hk, hid, &e) == 0) {
            if (hk == kind && found(st, kind, hid, ns)) {
                strcpy(id_out, hid);
                return 0;
            }
            other_kind = hk != kind && state_exists(st, hk, hid);
        }
    }
    /* 3. a unique prefix: the index, then the listing when it finds none */
    if (could_prefix(kind, input)) {
        int r = state_idx_find(st, kind, input, ns, in_ns, match, &count);

        if ((r < 0 || count == 0) &&
            prefix_scan(st, kind, input, ns, r == 0, match, sizeof(match), &count, err) < 0)
            return -1;
    }
    if (count > 1)
        return ambiguous(err, kind, input);
    if (count == 0)
        return not_found(err, kind, input, other_kind);
    strcpy(id_out, match);
    return 0;
}
