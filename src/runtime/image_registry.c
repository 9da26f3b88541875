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
#include "storage/reference.h"
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

/* ---- login and logout ---- */

int img_auth_key(const char *arg, char **key, struct berr **err)
{
    const char *s = arg;

    if (!s || !*s) {
        struct regconf *conf = NULL;
        if (img_regconf(&conf, err) < 0)
            return -1;
        char *const *regs = regconf_search_registries(conf);
        *key = regs[0] ? str_dup(regs[0]) : NULL;
        regconf_free(conf);
        if (!regs || !*key)
            return berr_kind(err, BK_INVALID, "no registries found in registries.conf, a "
                             "registry must be provided");
        return 0;
    }
    if (str_has_prefix(s, "https://"))
        s += 8;
    else if (str_has_prefix(s, "http://"))
        s += 7;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        n--;
    if (n == 0)
        return berr_kind(err, BK_INVALID, "invalid registry \"%s\"", arg);
    if (!(*key = str_ndup(s, n)))
        return berr_oom(err);
    /* docker.io's other names, as the auth files know it */
    const char *rest = strchr(*key, '/');
    size_t hl = rest ? (size_t) (rest - *key) : strlen(*key);
    if ((hl == 15 && !strncmp(*key, "index.docker.io", 15)) ||
        (hl == 20 && !strncmp(*key, "registry-1.docker.io", 20))) {
        char *k = str_fmt("docker.io%s", rest ? rest : "");
        free(*key);
        if (!(*key = k))
            return berr_oom(err);
    }
    return 0;
}

char *img_auth_path(const struct img_reg_opts *o)
{
    return authfile_primary(img_authfile(o));
}

int img_login(const char *key, const struct img_reg_opts *o, const char *user,
              const char *password, struct berr **err)
{
    struct img_reg_opts ro = *o;
    _cleanup_free_ char *host = NULL, *path = img_auth_path(o);
    _cleanup_free_ char *creds = str_fmt("%s:%s", user, password);
    struct img_reg reg;
    int rc;

    if (!path || !creds || !(host = str_ndup(key, strcspn(key, "/"))))
        return berr_oom(err);
    ro.creds = creds;
    rc = img_reg_open(&ro, &reg, err);
    explicit_bzero(creds, strlen(creds));
    if (rc < 0)
        return -1;
    rc = reg_check_login(reg.client, host, err);
    img_reg_clear(&reg);
    if (rc < 0)
        return berr_wrap(err, "logging into \"%s\"", key);
    return authfile_set(path, key, user, password, err);
}

int img_login_user(const char *key, const struct img_reg_opts *o, char **user,
                   struct berr **err)
{
    char *pass = NULL;
    int r = authfile_get(img_authfile(o), key, user, &pass, NULL, err);

    if (pass)
        explicit_bzero(pass, strlen(pass));
    free(pass);
    if (r < 0)
        return -1;
    if (r == 0)
        return berr_kind(err, BK_NO_SUCH, "not logged into %s", key);
    return 0;
}

int img_logout(const char *key, const struct img_reg_opts *o, bool all, struct berr **err)
{
    _cleanup_free_ char *path = img_auth_path(o);

    if (!path)
        return berr_oom(err);
    if (all)
        return authfile_remove_all(path, err);
    if (authfile_remove(path, key, err) == 0)
        return 0;
    if ((*err)->kind != BK_NO_SUCH)
        return -1;
    /* Only docker's files have it: podman's words. */
    char *u = NULL, *p = NULL, *from = NULL;
    struct berr *e = NULL;
    if (authfile_get(img_authfile(o), key, &u, &p, &from, &e) > 0) {
        berr_free(*err);
        *err = NULL;
        berr_kind(err, BK_NO_SUCH, "Not logged into %s with podman. Existing credentials "
                  "were established via docker login. Please use docker logout instead.", key);
    }
    if (p)
        explicit_bzero(p, strlen(p));
    free(u);
    free(p);
    free(from);
    berr_free(e);
    return -1;
}

/* ---- search ---- */

void img_search_free(struct img_search_result *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].index);
        free(v[i].name);
        free(v[i].description);
        free(v[i].tag);
    }
    free(v);
}

struct search_filter {
    int stars;                  /* -1: none */
    int official, automated;    /* -1: none, 0 false, 1 true */
};

static int parse_filters(char *const *fs, struct search_filter *f, struct berr **err)
{
    f->stars = f->official = f->automated = -1;
    for (; fs && *fs; fs++) {
        const char *eq = strchr(*fs, '=');
        long long n;
        int b;
        if (!eq)
            return berr_kind(err, BK_INVALID, "invalid filter \"%s\", should be in the format "
                             "KEY=VALUE", *fs);
        if (!strncmp(*fs, "stars=", 6)) {
            if (str_to_ll(eq + 1, &n) < 0 || n < 0)
                return berr_kind(err, BK_INVALID, "incorrect value type for stars filter");
            f->stars = (int) n;
        } else if (!strncmp(*fs, "is-official=", 12) || !strncmp(*fs, "is-automated=", 13)) {
            if ((b = str_to_bool(eq + 1)) < 0)
                return berr_kind(err, BK_INVALID, "invalid filter \"%s\": not a boolean", *fs);
            if ((*fs)[3] == 'o')
                f->official = b;
            else
                f->automated = b;
        } else {
            return berr_kind(err, BK_INVALID, "invalid filter type \"%.*s\"",
                             (int) (eq - *fs), *fs);
        }
    }
    return 0;
}

static bool filter_ok(const struct search_filter *f, const struct img_search_result *r)
{
    return (f->stars < 0 || r->stars >= f->stars) &&
           (f->official < 0 || r->official == (f->official == 1)) &&
           (f->automated < 0 || r->automated == (f->automated == 1));
}

static int add_result(struct img_search_result **v, size_t *n, const char *index,
                      const char *name, const char *tag, struct berr **err)
{
    struct img_search_result *nv = realloc(*v, (*n + 1) * sizeof(*nv));

    if (!nv)
        return berr_oom(err);
    *v = nv;
    nv = &nv[*n];
    memset(nv, 0, sizeof(*nv));
    nv->index = str_dup(index);
    nv->name = str_dup(name);
    nv->description = str_dup("");
    nv->tag = str_dup(tag ? tag : "");
    (*n)++;
    if (!nv->index || !nv->name || !nv->description || !nv->tag)
        return berr_oom(err);
    return 0;
}

/* "reg/path" -> registry and the rest; a term without one: NULL. */
static int split_term(const char *term, char **reg, char **rest, struct berr **err)
{
    const char *slash = strchr(term, '/');
    *reg = *rest = NULL;
    if (slash) {
        size_t hl = (size_t) (slash - term);
        bool domain = memchr(term, '.', hl) || memchr(term, ':', hl) ||
                      (hl == 9 && !strncmp(term, "localhost", 9));
        if (domain) {
            if (!(*reg = str_ndup(term, hl)) || !(*rest = str_dup(slash + 1)))
                return berr_oom(err);
            return 0;
        }
    }
    return (*rest = str_dup(term)) ? 0 : berr_oom(err);
}

static int search_tags(struct img_reg *reg, const char *term, size_t limit,
                       struct img_search_result **out, size_t *n, struct berr **err)
{
    _cleanup_free_ char *full = NULL, *host = NULL, *repo = NULL, *tag = NULL, *dg = NULL;
    _cleanup_strv_ char **tags = NULL;

    _cleanup_ref_ struct ref r = { 0 };

    if (ref_parse(term, &r, err) < 0)
        return -1;
    if (r.tag || r.digest)
        return berr_kind(err, BK_INVALID, "reference \"%s\" must not have a tag or digest for "
                         "--list-tags", term);
    if (ref_normalize_str(term, "docker.io", &full, err) < 0 ||
        reg_split_ref(full, &host, &repo, &tag, &dg, err) < 0)
        return -1;
    if (reg_list_tags(reg->client, host, repo, &tags, err) < 0)
        return berr_wrap(err, "getting repository tags");
    _cleanup_free_ char *name = str_fmt("%s/%s", host, repo);
    if (!name)
        return berr_oom(err);
    for (char **t = tags; t && *t && (!limit || *n < limit); t++)
        if (add_result(out, n, host, name, *t, err) < 0)
            return -1;
    return 0;
}

int img_search(const char *term, const struct img_search_opts *o,
               struct img_search_result **out, size_t *n, struct berr **err)
{
    _cleanup_free_ char *reg_name = NULL, *what = NULL;
    _cleanup_strv_ char **regs = NULL;
    _cleanup_sbuf_ struct sbuf errs = SBUF_INIT;
    struct search_filter f;
    struct img_reg reg;
    size_t limit = o->limit ? o->limit : 25, nerrs = 0;
    int rc = -1;

    *out = NULL;
    *n = 0;
    if (parse_filters(o->filters, &f, err) < 0 || img_reg_open(&o->reg, &reg, err) < 0)
        return -1;
    if (o->list_tags) {
        rc = search_tags(&reg, term, o->limit, out, n, err);
        goto done;
    }
    if (split_term(term, &reg_name, &what, err) < 0)
        goto done;
    if (reg_name) {
        if (strv_push(&regs, reg_name) < 0)
            goto oom;
    } else {
        regs = strv_copy(regconf_search_registries(reg.conf));
        if (!regs)
            goto oom;
        if (!regs[0]) {
            berr_kind(err, BK_INVALID, "no registries found in registries.conf, a registry "
                      "must be provided");
            goto done;
        }
    }
    for (char **r = regs; *r; r++) {
        _cleanup_strv_ char **repos = NULL;
        struct berr *e = NULL;
        size_t added = 0;
        if (reg_catalog(reg.client, *r, 0, &repos, &e) < 0) {
            sbuf_addf(&errs, "\n\t* %s", e->msg);
            nerrs++;
            berr_free(e);
            continue;
        }
        /* a catalog knows no stars, official or automated images */
        static const struct img_search_result plain = { 0 };
        if (!filter_ok(&f, &plain))
            continue;
        for (char **x = repos; x && *x && added < limit; x++) {
            if (!strstr(*x, what))
                continue;
            _cleanup_free_ char *name = str_fmt("%s/%s", *r, *x);
            if (!name || add_result(out, n, *r, name, NULL, err) < 0)
                goto done;
            added++;
        }
    }
    if (nerrs == strv_len(regs) && nerrs) {
        berr_msg(err, "%zu error%s occurred:%s", nerrs, nerrs > 1 ? "s" : "", sbuf_str(&errs));
        goto done;
    }
    rc = 0;
    goto done;
oom:
    berr_oom(err);
done:
    if (rc < 0) {
        img_search_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    img_reg_clear(&reg);
    return rc;
}
