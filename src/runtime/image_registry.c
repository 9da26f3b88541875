/*
 * runtime/image_registry.c: what pull, push, login, logout and search
 * share: the registries configuration ($CONTAINERS_REGISTRIES_CONF or the
 * default files), the client made from the command's flags
 * (--authfile or $REGISTRY_AUTH_FILE, --cert-dir, --creds, --tls-verify),
 * and --platform.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/image_pull.h"
#include "runtime/image_reg_int.h"
#include "util/cleanup.h"
#include "util/str.h"

const char *img_authfile(const struct img_reg_opts *o)
{
    const char *env = getenv("REGISTRY_AUTH_FILE");

    if (o && o->authfile && *o->authfile)
        return o->authfile;
    return env && *env ? env : NULL;
}

int img_regconf(struct regconf **out, struct berr **err)
{
    const char *path = getenv("CONTAINERS_REGISTRIES_CONF");

    return regconf_load(path && *path ? path : NULL, out, err);
}

void img_reg_clear(struct img_reg *r)
{
    reg_client_free(r->client);
    regconf_free(r->conf);
    memset(r, 0, sizeof(*r));
}

int img_reg_open(const struct img_reg_opts *o, struct img_reg *r, struct berr **err)
{
    struct reg_client_opts co = {
        .authfile = img_authfile(o), .cert_dir = o ? o->cert_dir : NULL,
        .tls_verify = o ? o->tls_verify : -1,
    };
    _cleanup_free_ char *user = NULL;
    const char *pass = NULL;

    memset(r, 0, sizeof(*r));
    if (o && o->creds) {
        const char *colon = strchr(o->creds, ':');
        if (!*o->creds || colon == o->creds)
            return berr_kind(err, BK_INVALID, "credentials must be USERNAME[:PASSWORD]");
        if (!colon)
            return berr_kind(err, BK_INVALID, "credentials \"%s\" have no password: give "
                             "USERNAME:PASSWORD", o->creds);
        if (!(user = str_ndup(o->creds, (size_t) (colon - o->creds))))
            return berr_oom(err);
        pass = colon + 1;
    }
    co.username = user;
    co.password = pass;
    if (img_regconf(&r->conf, err) < 0)
        return -1;
    co.conf = r->conf;
    if (reg_client_new(&co, &r->client, err) < 0) {
        img_reg_clear(r);
        return -1;
    }
    if (user)
        explicit_bzero(user, strlen(user));
    return 0;
}

int img_platform_parse(const char *platform, char **buf, const char **os, const char **arch,
                       const char **variant, struct berr **err)
{
    char *s = str_dup(platform), *a, *v;

    *buf = s;
    if (!s)
        return berr_oom(err);
    a = strchr(s, '/');
    if (!a || !a[1] || a == s)
        return berr_kind(err, BK_INVALID, "invalid platform syntax for --platform=\"%s\": "
                         "expected OS/ARCH[/VARIANT]", platform);
    *a++ = '\0';
    v = strchr(a, '/');
    if (v)
        *v++ = '\0';
    if (v && (!*v || strchr(v, '/')))
        return berr_kind(err, BK_INVALID, "invalid platform syntax for --platform=\"%s\": "
                         "expected OS/ARCH[/VARIANT]", platform);
    *os = s;
    *arch = a;
    *variant = v;
    return 0;
}
