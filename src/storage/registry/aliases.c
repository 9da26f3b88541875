/*
 * storage/registry/aliases.c: short-name aliases ([aliases] tables of
 * registries.conf files) and the alias cache file podman writes after a
 * prompt (short-name-aliases.conf), read before the configured aliases.
 * A short name is a repository without registry, tag or digest; an alias
 * names a registry and repository, no tag or digest; "" disables one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "storage/reference.h"
#include "storage/registry/internal.h"
#include "storage/registry/regconf_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "util/toml.h"

/* A short name: a repository without registry, tag or digest. */
static int valid_short(const char *name, struct berr **err)
{
    _cleanup_ref_ struct ref r = { 0 };

    if (ref_parse(name, &r, err) < 0)
        return berr_wrap(err, "cannot parse short name: \"%s\"", name);
    if (r.digest)
        return berr_msg(err, "invalid short name \"%s\": must not contain digest", name);
    if (r.tag)
        return berr_msg(err, "invalid short name \"%s\": must not contain tag", name);
    if (r.domain)
        return berr_msg(err, "invalid short name \"%s\": must not contain registry", name);
    return 0;
}

/* An alias value: "host/path", normalized (docker.io/x -> .../library/x). */
static int alias_value(const char *v, char **out, struct berr **err)
{
    _cleanup_ref_ struct ref r = { 0 };

    if (ref_parse(v, &r, err) < 0)
        return berr_wrap(err, "parsing alias \"%s\"", v);
    if (r.digest)
        return berr_msg(err, "invalid alias \"%s\": must not contain digest", v);
    if (r.tag)
        return berr_msg(err, "invalid alias \"%s\": must not contain tag", v);
    if (!r.domain)
        return berr_msg(err, "invalid alias \"%s\": must contain registry and repository", v);
    if (ref_normalize(&r, "docker.io", err) < 0)
        return -1;
    free(r.tag);
    r.tag = NULL;
    return (*out = ref_string(&r)) ? 0 : berr_oom(err);
}

int regconf_add_alias(struct regconf *c, const char *name, const char *value, const char *origin,
                     struct berr **err)
{
    _cleanup_free_ char *v = NULL;
    struct rc_alias *a = NULL;

    if (valid_short(name, err) < 0 || (*value && alias_value(value, &v, err) < 0))
        return -1;
    for (size_t i = 0; i < c->naliases; i++)
        if (str_eq(c->aliases[i].name, name))
            a = &c->aliases[i];
    if (!a) {
        struct rc_alias *nv = realloc(c->aliases, (c->naliases + 1) * sizeof(*nv));
        if (!nv)
            return berr_oom(err);
        c->aliases = nv;
        a = &nv[c->naliases++];
        memset(a, 0, sizeof(*a));
        if (!(a->name = str_dup(name)))
            return berr_oom(err);
    }
    free(a->value);
    free(a->origin);
    a->value = STEAL_PTR(v);
    if (!(a->origin = str_dup(origin)))
        return berr_oom(err);
    return 0;
}

int regconf_parse_aliases(const char *path, json_t *tbl, struct regconf *c, struct berr **err)
{
    const char *k;
    json_t *v;

    if (!tbl)
        return 0;
    if (!json_is_object(tbl))
        return regconf_bad(err, path, "aliases must be a table", NULL);
    json_object_foreach(tbl, k, v) {
        if (!json_is_string(v))
            return regconf_bad(err, path, "alias \"%s\" must be a string", k);
        if (regconf_add_alias(c, k, json_string_value(v), path, err) < 0)
            return berr_wrap(err, "validating short-name aliases");
    }
    return 0;
}

char *regconf_alias_cache_path(void)
{
    const char *x = getenv("XDG_CACHE_HOME");

    if (geteuid() == 0)
        return reg_sys_path("/var/cache/containers/short-name-aliases.conf");
    if (x && *x == '/')
        return str_fmt("%s/containers/short-name-aliases.conf", x);
    return str_fmt("%s/.cache/containers/short-name-aliases.conf", reg_home());
}

/* The cache file's aliases; a missing file is none. */
static int read_cache(const char *cache, struct regconf *c, struct berr **err)
{
    _cleanup_free_ char *text = NULL;
    _cleanup_json_ json_t *doc = NULL;
    size_t len;

    if (fs_read_file(cache, &text, &len, err) < 0) {
        if ((*err)->errnum != ENOENT)
            return berr_wrap(err, "loading short-name aliases config file \"%s\"", cache);
        berr_free(*err);
        *err = NULL;
        return 0;
    }
    if (toml_parse(text, len, cache, &doc, err) < 0 ||
        regconf_parse_aliases(cache, json_object_get(doc, "aliases"), c, err) < 0)
        return berr_wrap(err, "loading short-name aliases config file \"%s\"", cache);
    return 0;
}

static int alias_in(const struct regconf *c, const char *name, char **value, char **origin,
                    struct berr **err)
{
    for (size_t i = 0; c && i < c->naliases; i++)
        if (str_eq(c->aliases[i].name, name)) {
            if (c->aliases[i].value && !(*value = str_dup(c->aliases[i].value)))
                return berr_oom(err);
            if (!(*origin = str_dup(c->aliases[i].origin)))
                return berr_oom(err);
            return 1;
        }
    return 0;
}

int regconf_alias(const struct regconf *c, const char *cache, const char *name, char **value,
                  char **origin, struct berr **err)
{
    struct regconf cached = { 0 };
    int r;

    *value = *origin = NULL;
    if (valid_short(name, err) < 0)
        return -1;
    r = cache ? read_cache(cache, &cached, err) : 0;
    if (r == 0)
        r = alias_in(&cached, name, value, origin, err);
    regconf_clear(&cached);
    if (r == 0)
        r = alias_in(c, name, value, origin, err);
    return r < 0 ? -1 : 0;
}

/* TOML basic string with the escapes it needs. */
static void toml_quote(struct sbuf *b, const char *s)
{
    sbuf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sbuf_addc(b, '\\');
        sbuf_addc(b, *s);
    }
    sbuf_addc(b, '"');
}

int regconf_alias_record(const char *cache, const char *name, const char *value,
                         struct berr **err)
{
    _cleanup_free_ char *dir = fs_dirname(cache), *lockp = str_fmt("%s.lock", cache);
    _cleanup_free_ char *base = NULL, *v = NULL;
    _cleanup_close_ int lfd = -1;
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    struct regconf cached = { 0 };
    int rc = -1;

    if (!dir || !lockp || !(base = str_dup(strrchr(cache, '/') ? strrchr(cache, '/') + 1 : cache)))
        return berr_oom(err);
    if (valid_short(name, err) < 0 || alias_value(value, &v, err) < 0)
        return -1;
    if (fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    lfd = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lfd < 0 || flock(lfd, LOCK_EX) < 0)
        return berr_sys(err, "lock %s", lockp);
    if (read_cache(cache, &cached, err) < 0 || regconf_add_alias(&cached, name, v, cache, err) < 0)
        goto out;
    sbuf_add(&b, "[aliases]\n");
    for (size_t i = 0; i < cached.naliases; i++) {
        sbuf_add(&b, "  ");
        toml_quote(&b, cached.aliases[i].name);
        sbuf_add(&b, " = ");
        toml_quote(&b, cached.aliases[i].value ? cached.aliases[i].value : "");
        sbuf_addc(&b, '\n');
    }
    if (b.oom) {
        berr_oom(err);
        goto out;
    }
    rc = fs_write_atomic(dir, base, b.buf, b.len, 0600, err);
out:
    regconf_clear(&cached);
    if (rc < 0)
        berr_wrap(err, "recording short-name alias (\"%s\"=\"%s\")", name, value);
    return rc;
}
