/*
 * cmd/ctropts_secret.c: run/create --secret, parsed and checked with
 * podman 4.3.1's words (specgenutil's ParseSecrets); the create looks the
 * secret up (runtime/ctr_secrets.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/ctropts_int.h"
#include "util/cleanup.h"
#include "util/js.h"

static int num(const char *what, const char *v, int base, long long *out, struct berr **err)
{
    char *end;

    errno = 0;
    unsigned long long n = strtoull(v, &end, base);
    if (!*v || *end || errno || *v == '-' || n > 0xffffffffULL)
        return cp_inval(err, "%s %s invalid: parsing secret", what, v);
    *out = (long long) n;
    return 0;
}

int cp_secret(json_t *ctr, const char *s, struct berr **err)
{
    _cleanup_free_ char *copy = strdup(s);
    const char *source = NULL, *type = "mount", *target = "";
    long long uid = 0, gid = 0, mode = 0444;
    bool ids_set = false;
    json_t *list, *o;
    char *save = NULL;
    int first = 1;

    if (!copy)
        return berr_oom(err);
    for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save), first = 0) {
        char *eq = strchr(f, '=');

        if (!eq) {
            if (!first)
                return cp_inval(err, "option %s invalid: parsing secret", f);
            source = f;
            continue;
        }
        *eq = '\0';
        const char *k = f, *v = eq + 1;
        if (!strcmp(k, "type")) {
            if (strcmp(v, "mount") && strcmp(v, "env"))
                return cp_inval(err, "type %s is invalid: parsing secret", v);
            type = v;
        } else if (!strcmp(k, "target")) {
            target = v;
        } else if (!strcmp(k, "uid")) {
            if (num("UID", v, 10, &uid, err) < 0)
                return -1;
            ids_set = true;
        } else if (!strcmp(k, "gid")) {
            if (num("GID", v, 10, &gid, err) < 0)
                return -1;
            ids_set = true;
        } else if (!strcmp(k, "mode")) {
            if (num("mode", v, 8, &mode, err) < 0)
                return -1;
            ids_set = true;
        } else {
            *eq = '=';
            return cp_inval(err, "option %s invalid: parsing secret", f);
        }
    }
    if (!source || !*source)
        return cp_inval(err, "no source found %s: parsing secret", s);
    if (!strcmp(type, "env") && ids_set)
        return cp_inval(err, "UID, GID, Mode options cannot be set with secret type env: parsing secret");
    if (!json_is_array(list = json_object_get(ctr, "secrets")) &&
        json_object_set_new(ctr, "secrets", list = json_array()) < 0)
        return berr_oom(err);
    o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "name", source, "type", type, "target", target,
                  "uid", uid, "gid", gid, "mode", mode);
    return !o || json_array_append_new(list, o) < 0 ? berr_oom(err) : 0;
}
