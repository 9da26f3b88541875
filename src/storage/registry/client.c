/*
 * storage/registry/client.c: talking to a registry, with its auth.
 *
 * The first request to a host pings GET /v2/ (HTTPS; plain HTTP too for
 * an insecure registry whose HTTPS fails) to learn its challenge: none,
 * Basic (credentials on every request) or Bearer (a token per scope from
 * the realm, fetched with the credentials when there are any, reused for
 * the rest of the command). A 401 with a token drops it and fetches one
 * more (an expired token, or a scope the registry wants widened) before
 * giving up. Credentials come from --creds, else the auth files, looked
 * up by "host/repository" then its parents.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/internal.h"
#include "storage/reference.h"
#include "storage/registry/internal.h"
#include "util/base64.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

struct reg_token {
    char *scope;                /* "repository:a/b:pull repository:c:pull" */
    char *value;
};

struct reg_creds {
    char *repo;                 /* "" for the host itself */
    char *user, *pass;          /* NULL: anonymous */
};

struct reg_host {
    char *name;                 /* as in references: "docker.io", "h:5000" */
    bool pinged, insecure, plain_http;
    struct http_tls tls;
    struct reg_challenge ch;    /* scheme NULL: the registry asked for nothing */
    struct reg_token *tokens;
    size_t ntokens;
    struct reg_creds *creds;
    size_t ncreds;
};

struct reg_client {
    struct http *http;
    char *authfile, *cert_dir, *user, *pass;
    int tls_verify;
    const struct regconf *conf;
    struct reg_host **hosts;
    size_t nhosts;
    char **insecure;            /* hosts a pull source marked insecure */
};

static void secret_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

static void host_free(struct reg_host *h)
{
    free(h->name);
    http_tls_clear(&h->tls);
    reg_challenge_clear(&h->ch);
    for (size_t i = 0; i < h->ntokens; i++) {
        free(h->tokens[i].scope);
        secret_free(h->tokens[i].value);
    }
    free(h->tokens);
    for (size_t i = 0; i < h->ncreds; i++) {
        free(h->creds[i].repo);
        secret_free(h->creds[i].user);
        secret_free(h->creds[i].pass);
    }
    free(h->creds);
    free(h);
}

void reg_client_free(struct reg_client *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nhosts; i++)
        host_free(c->hosts[i]);
    free(c->hosts);
    http_free(c->http);
    free(c->authfile);
    free(c->cert_dir);
    secret_free(c->user);
    secret_free(c->pass);
    strv_free(c->insecure);
    free(c);
}

int reg_client_new(const struct reg_client_opts *o, struct reg_client **out, struct berr **err)
{
    struct reg_client *c = calloc(1, sizeof(*c));

    if (!c)
        return berr_oom(err);
    c->tls_verify = o->tls_verify;
    c->conf = o->conf;
    if ((o->authfile && !(c->authfile = str_dup(o->authfile))) ||
        (o->cert_dir && !(c->cert_dir = str_dup(o->cert_dir))) ||
        (o->username && !(c->user = str_dup(o->username))) ||
        (o->password && !(c->pass = str_dup(o->password)))) {
        reg_client_free(c);
        return berr_oom(err);
    }
    if (http_new(&c->http, err) < 0) {
        reg_client_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

int reg_client_insecure(struct reg_client *c, const char *host, struct berr **err)
{
    return strv_contains(c->insecure, host) || strv_push(&c->insecure, host) == 0 ? 0 : berr_oom(err);
}

struct http *reg_http(struct reg_client *c)
{
    return c->http;
}

const char *reg_api_host(const char *host)
{
    return !strcmp(host, "docker.io") ? "registry-1.docker.io" : host;
}

static struct reg_host *host_get(struct reg_client *c, const char *name, struct berr **err)
{
    for (size_t i = 0; i < c->nhosts; i++)
        if (!strcmp(c->hosts[i]->name, name))
            return c->hosts[i];
    struct reg_host **nv = realloc(c->hosts, (c->nhosts + 1) * sizeof(*nv));
    struct reg_host *h = calloc(1, sizeof(*h));
    if (nv)
        c->hosts = nv;
    if (!nv || !h || !(h->name = str_dup(name))) {
        free(h);
        berr_oom(err);
        return NULL;
    }
    bool conf_insecure = false, blocked = false;
    if (c->conf && regconf_host(c->conf, name, &conf_insecure, &blocked, err) < 0) {
        host_free(h);
        return NULL;
    }
    h->insecure = c->tls_verify == 0 ||
                  (c->tls_verify < 0 && (conf_insecure || strv_contains(c->insecure, name)));
    if (certs_load(c->cert_dir, name, !h->insecure, &h->tls, err) < 0) {
        host_free(h);
        return NULL;
    }
    c->hosts[c->nhosts++] = h;
    return h;
}

/* ---- references ---- */

int reg_split_ref(const char *ref, char **host, char **repo, char **tag, char **digest,
                  struct berr **err)
{
    _cleanup_ref_ struct ref r = { 0 };

    if (ref_parse(ref, &r, err) < 0)
        return -1;
    if (!r.domain)
        return berr_msg(err, "internal error: \"%s\" is not fully qualified", ref);
    *host = STEAL_PTR(r.domain);
    *repo = STEAL_PTR(r.path);
    *tag = STEAL_PTR(r.tag);
    *digest = STEAL_PTR(r.digest);
    return 0;
}

int reg_ref_host(const char *ref, char **host, struct berr **err)
{
    _cleanup_free_ char *repo = NULL, *tag = NULL, *digest = NULL;

    return reg_split_ref(ref, host, &repo, &tag, &digest, err);
}

/* ---- errors ---- */

char *reg_why(const struct http_xfer *x)
{
    _cleanup_free_ char *reg = reg_error_text(sbuf_str(&x->resp_body), x->resp_body.len);

    if (x->status == 0) {
        const char *e = http_xfer_error(x);
        const char *verb = !strcmp(x->method, "GET") ? "Get" : !strcmp(x->method, "HEAD") ? "Head"
                           : !strcmp(x->method, "PUT") ? "Put" : !strcmp(x->method, "POST")
                           ? "Post" : !strcmp(x->method, "PATCH") ? "Patch" : "Delete";
        /* c/image's words for what scripts grep, libcurl's for the rest. */
        if (strstr(e, "unable to get local issuer") || strstr(e, "self-signed certificate") ||
            strstr(e, "self signed certificate"))
            return str_fmt("%s \"%s\": x509: certificate signed by unknown authority (%s)", verb,
                           x->url, e);
        if (strstr(e, "Couldn't connect") || strstr(e, "Failed to connect"))
            return str_fmt("%s \"%s\": connect: connection refused (%s)", verb, x->url, e);
        return str_fmt("%s \"%s\": %s", verb, x->url, e);
    }
    if (reg)
        return STEAL_PTR(reg);
    if (x->status == 401)
        return str_dup("unauthorized: authentication required");
    if (x->status == 404)
        return str_dup("not found");
    return str_fmt("invalid status code from registry %ld", x->status);
}

/* ---- ping ---- */

static int xfer_for(struct reg_host *h, struct http_xfer *x, const char *method,
                    const char *path, struct berr **err)
{
    _cleanup_free_ char *url = str_fmt("%s://%s/v2/%s", h->plain_http ? "http" : "https",
                                       reg_api_host(h->name), path);

    if (!url || http_xfer_init(x, method, url, err) < 0)
        return url ? -1 : berr_oom(err);
    x->tls = &h->tls;
    return 0;
}

static int ping(struct reg_client *c, struct reg_host *h, struct berr **err)
{
    struct http_xfer x;
    int rc = -1;

    if (h->pinged)
        return 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (xfer_for(h, &x, "GET", "", err) < 0)
            return -1;
        if (http_run1(c->http, &x, err) < 0) {
            http_xfer_clear(&x);
            return -1;
        }
        /* An insecure registry may speak plain HTTP only. */
        if (x.status == 0 && h->insecure && !h->plain_http) {
            log_debug("ping %s over https failed (%s), trying http", h->name, http_xfer_error(&x));
            http_xfer_clear(&x);
            h->plain_http = true;
            continue;
        }
        break;
    }
    if (x.status == 200) {
        rc = 0;
    } else if (x.status == 401) {
        reg_challenge_clear(&h->ch);
        rc = reg_challenge_parse(x.www_auth, &h->ch) < 0
             ? berr_msg(err, "pinging container registry %s: unknown WWW-Authenticate "
                        "challenge", h->name) : 0;
    } else {
        _cleanup_free_ char *why = reg_why(&x);
        if (x.status == 0 && h->plain_http)
            h->plain_http = false;
        rc = why ? berr_msg(err, "pinging container registry %s: %s", h->name, why)
                 : berr_oom(err);
    }
    http_xfer_clear(&x);
    if (rc == 0)
        h->pinged = true;
    return rc;
}

/* The scheme is known only after the ping (an insecure registry may
 * speak plain HTTP): ping first, then build the URL. */
int reg_xfer(struct reg_client *c, const char *host, struct http_xfer *x, const char *method,
             const char *path, struct berr **err)
{
    struct reg_host *h = host_get(c, host, err);

    memset(x, 0, sizeof(*x));
    x->body_fd = -1;
    if (!h || ping(c, h, err) < 0)
        return -1;
    return xfer_for(h, x, method, path, err);
}

/* ---- credentials and tokens ---- */

static int creds_for(struct reg_client *c, struct reg_host *h, const char *repo,
                     const char **user, const char **pass, struct berr **err)
{
    _cleanup_free_ char *key = NULL, *from = NULL;
    char *u = NULL, *p = NULL;

    if (c->user) {
        *user = c->user;
        *pass = c->pass ? c->pass : "";
        return 0;
    }
    for (size_t i = 0; i < h->ncreds; i++)
        if (!strcmp(h->creds[i].repo, repo)) {
            *user = h->creds[i].user;
            *pass = h->creds[i].pass;
            return 0;
        }
    key = *repo ? str_fmt("%s/%s", h->name, repo) : str_dup(h->name);
    if (!key)
        return berr_oom(err);
    if (authfile_get(c->authfile, key, &u, &p, &from, err) < 0)
        return -1;
    if (from)
        log_debug("found credentials for %s in %s", key, from);
    struct reg_creds *nv = realloc(h->creds, (h->ncreds + 1) * sizeof(*nv));
    if (!nv) {
        secret_free(u);
        secret_free(p);
        return berr_oom(err);
    }
    h->creds = nv;
    nv[h->ncreds] = (struct reg_creds) { .repo = str_dup(repo), .user = u, .pass = p };
    if (!nv[h->ncreds].repo)
        return berr_oom(err);
    *user = u;
    *pass = p;
    h->ncreds++;
    return 0;
}

/* "repository:a/b:pull" -> "a/b" (the first repository a scope names). */
static char *scope_repo(const char *scope)
{
    const char *s = str_has_prefix(scope, "repository:") ? scope + 11 : NULL;
    const char *e = s ? strchr(s, ':') : NULL;

    return s && e ? str_ndup(s, (size_t) (e - s)) : str_dup("");
}

static char *basic_value(const char *user, const char *pass)
{
    _cleanup_free_ char *plain = str_fmt("%s:%s", user, pass);
    char *enc = plain ? b64_encode(plain, strlen(plain)) : NULL;

    if (plain)
        explicit_bzero(plain, strlen(plain));
    return enc;
}

static int url_add_param(struct sbuf *b, const char *k, const char *v)
{
    sbuf_addf(b, "%c%s=", strchr(sbuf_str(b), '?') ? '&' : '?', k);
    for (const unsigned char *p = (const unsigned char *) v; *p; p++) {
        if (((*p | 32) >= 'a' && (*p | 32) <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-_.~", *p))
            sbuf_addc(b, (char) *p);
        else
            sbuf_addf(b, "%%%02X", *p);
    }
    return b->oom ? -1 : 0;
}

static int fetch_token(struct reg_client *c, struct reg_host *h, const char *scope,
                       char **out, struct berr **err)
{
    _cleanup_sbuf_ struct sbuf url = SBUF_INIT;
    _cleanup_free_ char *repo = scope_repo(scope);
    _cleanup_json_ json_t *doc = NULL;
    const char *user = NULL, *pass = NULL;
    struct http_xfer x;
    int rc = -1;

    if (!repo)
        return berr_oom(err);
    if (!h->ch.realm)
        return berr_msg(err, "%s: the Bearer challenge names no realm", h->name);
    if (creds_for(c, h, repo, &user, &pass, err) < 0)
        return -1;
    sbuf_add(&url, h->ch.realm);
    if (user)
        url_add_param(&url, "account", user);
    if (h->ch.service)
        url_add_param(&url, "service", h->ch.service);
    _cleanup_strv_ char **scopes = strv_split(scope, " ");
    for (char **s = scopes; s && *s; s++)
        url_add_param(&url, "scope", *s);
    if (url.oom || http_xfer_init(&x, "GET", url.buf, err) < 0)
        return url.oom ? berr_oom(err) : -1;
    x.tls = &h->tls;
    /* The realm may be another host; its TLS is the registry's here,
     * as it is in c/image (the same transport). */
    if (user) {
        _cleanup_free_ char *b = basic_value(user, pass);
        if (!b || !(x.auth = str_fmt("Authorization: Basic %s", b))) {
            http_xfer_clear(&x);
            return berr_oom(err);
        }
        explicit_bzero(b, strlen(b));
    }
    if (http_run1(c->http, &x, err) < 0)
        goto out;
    if (x.status == 401) {
        _cleanup_free_ char *why = reg_why(&x);
        rc = berr_msg(err, "unable to retrieve auth token: invalid username/password: %s",
                      why ? why : "unauthorized");
        goto out;
    }
    if (!http_ok(&x)) {
        _cleanup_free_ char *why = reg_why(&x);
        rc = berr_msg(err, "unable to retrieve auth token: %s", why ? why : "");
        goto out;
    }
    doc = json_loadb(sbuf_str(&x.resp_body), x.resp_body.len, 0, NULL);
    const char *tok = js_str(doc, "token", NULL);
    if (!tok || !*tok)
        tok = js_str(doc, "access_token", NULL);
    if (!tok || !*tok) {
        rc = berr_msg(err, "unable to retrieve auth token: the token server's answer holds "
                      "no token");
        goto out;
    }
    rc = (*out = str_dup(tok)) ? 0 : berr_oom(err);
out:
    if (x.resp_body.buf)
        explicit_bzero(x.resp_body.buf, x.resp_body.len);
    http_xfer_clear(&x);
    return rc;
}

int reg_auth_header(struct reg_client *c, const char *host, const char *scope, char **out,
                    struct berr **err)
{
    struct reg_host *h = host_get(c, host, err);
    const char *user = NULL, *pass = NULL;

    *out = NULL;
    if (!h || ping(c, h, err) < 0)
        return -1;
    if (!h->ch.scheme)
        return 0;
    if (!strcmp(h->ch.scheme, "basic")) {
        _cleanup_free_ char *repo = scope_repo(scope);
        if (!repo || creds_for(c, h, repo, &user, &pass, err) < 0)
            return repo ? -1 : berr_oom(err);
        if (!user)
            return 0;
        _cleanup_free_ char *b = basic_value(user, pass);
        if (!b || !(*out = str_fmt("Authorization: Basic %s", b)))
            return berr_oom(err);
        explicit_bzero(b, strlen(b));
        return 0;
    }
    for (size_t i = 0; i < h->ntokens; i++)
        if (!strcmp(h->tokens[i].scope, scope))
            return (*out = str_fmt("Authorization: Bearer %s", h->tokens[i].value)) ? 0
                   : berr_oom(err);
    char *tok = NULL;
    if (fetch_token(c, h, scope, &tok, err) < 0)
        return -1;
    struct reg_token *nv = realloc(h->tokens, (h->ntokens + 1) * sizeof(*nv));
    if (!nv) {
        secret_free(tok);
        return berr_oom(err);
    }
    h->tokens = nv;
    nv[h->ntokens].scope = str_dup(scope);
    nv[h->ntokens].value = tok;
    if (!nv[h->ntokens].scope) {
        secret_free(tok);
        return berr_oom(err);
    }
    h->ntokens++;
    return (*out = str_fmt("Authorization: Bearer %s", tok)) ? 0 : berr_oom(err);
}

void reg_auth_forget(struct reg_client *c, const char *host, const char *scope)
{
    for (size_t i = 0; i < c->nhosts; i++) {
        struct reg_host *h = c->hosts[i];
        if (strcmp(h->name, host))
            continue;
        for (size_t k = 0; k < h->ntokens; k++)
            if (!strcmp(h->tokens[k].scope, scope)) {
                free(h->tokens[k].scope);
                secret_free(h->tokens[k].value);
                h->tokens[k] = h->tokens[--h->ntokens];
                return;
            }
    }
}

int reg_do(struct reg_client *c, const char *host, const char *scope, struct http_xfer *x,
           struct berr **err)
{
    for (int attempt = 0;; attempt++) {
        char *auth = NULL;
        if (reg_auth_header(c, host, scope, &auth, err) < 0)
            return -1;
        if (x->auth)
            secret_free(x->auth);
        x->auth = auth;
        if (http_run1(c->http, x, err) < 0)
            return -1;
        if (x->status != 401 || attempt > 0)
            return 0;
        /* Once more with a fresh token: it may have expired, or the
         * registry wants a wider scope; a host that answered the ping
         * without a challenge may still guard this resource. */
        struct reg_host *h = host_get(c, host, err);
        if (!h)
            return -1;
        struct reg_challenge ch;
        if (reg_challenge_parse(x->www_auth, &ch) < 0)
            return 0;
        bool had = h->ch.scheme != NULL;
        reg_auth_forget(c, host, scope);
        reg_challenge_clear(&h->ch);
        h->ch = ch;
        if (had && !strcmp(ch.scheme, "basic"))
            return 0;           /* the credentials were refused: no use */
        log_debug("%s %s: 401, asking for new credentials", x->method, x->url);
    }
}

/* ---- login ---- */

int reg_check_login(struct reg_client *c, const char *host, struct berr **err)
{
    struct reg_host *h = host_get(c, host, err);
    struct http_xfer x;
    int rc;

    if (!h || ping(c, h, err) < 0)
        return -1;
    if (h->ch.scheme && !strcmp(h->ch.scheme, "bearer")) {
        char *tok = NULL;
        /* A token for no particular scope proves the credentials. */
        rc = fetch_token(c, h, "", &tok, err);
        if (rc < 0 && *err && strstr((*err)->msg, "invalid username/password")) {
            berr_free(*err);
            *err = NULL;
            return berr_msg(err, "invalid username/password");
        }
        secret_free(tok);
        return rc;
    }
    if (reg_xfer(c, host, &x, "GET", "", err) < 0 || reg_do(c, host, "", &x, err) < 0) {
        http_xfer_clear(&x);
        return -1;
    }
    if (x.status == 401)
        rc = berr_msg(err, "invalid username/password");
    else if (!http_ok(&x)) {
        _cleanup_free_ char *why = reg_why(&x);
        rc = berr_msg(err, "%s", why ? why : "login failed");
    } else
        rc = 0;
    http_xfer_clear(&x);
    return rc;
}
