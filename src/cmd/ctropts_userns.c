/*
 * cmd/ctropts_userns.c: --userns, --uidmap, --gidmap, --subuidname and
 * --subgidname of create and run, checked in podman's words. The values
 * go into the spec as runtime/userns.h describes; the runtime settles
 * them (subordinate id files, auto allocation) at create.
 */
#include <string.h>
#include <unistd.h>

#include "cmd/ctropts_int.h"
#include "util/cleanup.h"
#include "util/idmap.h"
#include "util/js.h"

static int append(json_t *obj, const char *key, const char *s, struct berr **err)
{
    json_t *a = json_object_get(obj, key);

    if (!a && (!(a = json_array()) || json_object_set_new(obj, key, a) < 0))
        return berr_oom(err);
    return json_array_append_new(a, json_string(s)) < 0 ? berr_oom(err) : 0;
}

static int mapping(json_t *obj, const char *key, const char *what, const char *s, struct berr **err)
{
    struct idmap m;

    if (idmap_parse(s, &m) < 0)
        return cp_inval(err, "initializing ID mappings: %s setting is malformed expected [\"uint32:uint32:uint32\"]: [\"%s\"]",
                        what, s);
    return append(obj, key, s, err);
}

int cp_idmap(json_t *ctr, bool gid, const char *v, struct berr **err)
{
    _cleanup_strv_ strv l = NULL;

    if (cp_split_csv(v, &l, err) < 0)
        return -1;
    for (size_t i = 0; l && l[i]; i++)
        if (mapping(ctr, gid ? "gidMap" : "uidMap", gid ? "GID" : "UID", l[i], err) < 0)
            return -1;
    return 0;
}

/* auto[:size=N,uidmapping=C:H:S,gidmapping=C:H:S] */
static int auto_opts(json_t *ctr, const char *opts, struct berr **err)
{
    _cleanup_strv_ strv l = NULL;
    json_t *o = json_object();

    if (!o || json_object_set_new(ctr, "usernsAuto", o) < 0)
        return berr_oom(err);
    if (!opts)
        return 0;
    if (cp_split_csv(opts, &l, err) < 0)
        return -1;
    for (size_t i = 0; l && l[i]; i++) {
        const char *s = l[i];
        long long n;
        if (str_has_prefix(s, "size=")) {
            if (str_to_ll(s + 5, &n) < 0 || n < 0 || n > UINT32_MAX)
                return cp_inval(err, "strconv.ParseUint: parsing \"%s\": invalid syntax", s + 5);
            if (n > 0 && json_object_set_new(o, "size", json_integer(n)) < 0)
                return berr_oom(err);
        } else if (str_has_prefix(s, "uidmapping=") || str_has_prefix(s, "gidmapping=")) {
            bool gid = s[0] == 'g';
            if (mapping(o, gid ? "gidmapping" : "uidmapping", gid ? "GID" : "UID", s + 11, err) < 0)
                return berr_wrap(err, "failed to create ParseUIDMap %s=[%s]", gid ? "GID" : "UID", s + 11);
        } else {
            return cp_inval(err, "unknown option specified: \"%.*s\"", (int) strcspn(s, "="), s);
        }
    }
    return 0;
}

int cp_userns(json_t *ns, json_t *ctr, const char *v, struct berr **err)
{
    const char *colon = strchr(v, ':');
    size_t n = colon ? (size_t) (colon - v) : strlen(v);
    const char *mode = v;

    if (!*v || !strcmp(v, "host")) {
        mode = "host";
    } else if (!strncmp(v, "auto", n) && n == 4) {
        if (auto_opts(ctr, colon ? colon + 1 : NULL, err) < 0)
            return -1;
        mode = "auto";
    } else if ((n == 7 && !strncmp(v, "keep-id", 7)) || !strcmp(v, "nomap")) {
        /* berth runs as root; both map the invoking user into a rootless
         * user namespace */
        if (geteuid() == 0)
            return cp_inval(err, "%.*s is only supported in rootless mode", (int) n, v);
        return cp_inval(err, "rootless mode is not supported by berth: --userns %s", v);
    } else if (!strcmp(v, "private")) {
        mode = "private";
    } else if (n == 2 && !strncmp(v, "ns", 2) && colon) {
        if (!colon[1])
            return cp_inval(err, "invalid config provided: namespace mode path requires a value");
    } else if (n == 9 && !strncmp(v, "container", 9) && colon) {
        if (!colon[1])
            return cp_inval(err, "invalid config provided: namespace mode container requires a value");
    } else {
        return cp_inval(err, "unrecognized namespace mode %s passed", v);
    }
    return js_set_str(ns, "user", mode) < 0 ? berr_oom(err) : 0;
}

int cp_finish_userns(json_t *ns, json_t *ctr, bool userns_given, struct berr **err)
{
    bool maps = json_object_get(ctr, "uidMap") || json_object_get(ctr, "gidMap") ||
                json_object_get(ctr, "subuidName") || json_object_get(ctr, "subgidName");

    if (!maps)
        return 0;
    if (userns_given)
        return cp_inval(err, "--userns and --uidmap/--gidmap/--subuidname/--subgidname are mutually exclusive");
    return js_set_str(ns, "user", "private") < 0 ? berr_oom(err) : 0;
}
