/*
 * storage/registry/auth.c: the parsing side of registry auth: the
 * WWW-Authenticate challenge (RFC 7235: a scheme, then auth-params
 * name=token or name="quoted string") and the registries' JSON error
 * bodies. Pure string code, unit-tested.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "storage/registry/internal.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

void reg_challenge_clear(struct reg_challenge *c)
{
    free(c->scheme);
    free(c->realm);
    free(c->service);
    free(c->scope);
    memset(c, 0, sizeof(*c));
}

static bool tchar(char c)
{
    return isalnum((unsigned char) c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* One auth-param at p: name and value malloc'd; p advanced past it and
 * a following comma. 0 ok, 1 not a param (the next challenge), -1 bad. */
static int param(const char **pp, char **name, char **value)
{
    const char *p = skip_ws(*pp), *s = p;
    struct sbuf v = SBUF_INIT;

    while (tchar(*p))
        p++;
    if (p == s)
        return -1;
    const char *q = skip_ws(p);
    if (*q != '=')
        return 1;       /* a new scheme begins here */
    *name = str_ndup(s, (size_t) (p - s));
    q = skip_ws(q + 1);
    if (*q == '"') {
        for (q++; *q && *q != '"'; q++) {
            if (*q == '\\' && q[1])
                q++;
            sbuf_addc(&v, *q);
        }
        if (*q != '"') {
            sbuf_free(&v);
            free(*name);
            return -1;
        }
        q++;
    } else {
        const char *vs = q;
        while (tchar(*q) || *q == '/' || *q == ':')
            q++;
        sbuf_addn(&v, vs, (size_t) (q - vs));
    }
    *value = sbuf_steal(&v);
    q = skip_ws(q);
    if (*q == ',')
        q++;
    *pp = q;
    if (!*name || !*value) {
        free(*name);
        free(*value);
        return -1;
    }
    return 0;
}

int reg_challenge_parse(const char *hdr, struct reg_challenge *out)
{
    const char *p = hdr ? skip_ws(hdr) : "";

    memset(out, 0, sizeof(*out));
    while (*p) {
        struct reg_challenge c = { 0 };
        const char *s = p;
        while (tchar(*p))
            p++;
        if (p == s)
            return -1;
        if (!(c.scheme = str_ndup(s, (size_t) (p - s))))
            return -1;
        str_lower(c.scheme);
        for (;;) {
            char *n = NULL, *v = NULL;
            int r = param(&p, &n, &v);
            if (r != 0) {
                if (r < 0 && *skip_ws(p)) {
                    reg_challenge_clear(&c);
                    reg_challenge_clear(out);
                    return -1;
                }
                break;
            }
            str_lower(n);
            char **slot = !strcmp(n, "realm") ? &c.realm : !strcmp(n, "service") ? &c.service
                        : !strcmp(n, "scope") ? &c.scope : NULL;
            if (slot) {
                free(*slot);
                *slot = v;
                v = NULL;
            }
            free(n);
            free(v);
        }
        /* Bearer wins over Basic when a registry offers both. */
        if (!out->scheme || (!strcmp(c.scheme, "bearer") && strcmp(out->scheme, "bearer"))) {
            reg_challenge_clear(out);
            *out = c;
        } else {
            reg_challenge_clear(&c);
        }
        p = skip_ws(p);
    }
    if (!out->scheme || (strcmp(out->scheme, "basic") && strcmp(out->scheme, "bearer"))) {
        reg_challenge_clear(out);
        return -1;
    }
    return 0;
}

char *reg_error_text(const char *body, size_t len)
{
    _cleanup_json_ json_t *doc = body && len ? json_loadb(body, len, 0, NULL) : NULL;
    json_t *errs = json_object_get(doc, "errors"), *e;
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    size_t i, n = json_array_size(errs);

    if (n == 0)
        return NULL;
    if (n > 1)
        sbuf_add(&b, "errors:\n");
    json_array_foreach(errs, i, e) {
        _cleanup_free_ char *code = str_dup(js_str(e, "code", "unknown"));
        if (!code)
            return NULL;
        str_lower(code);
        for (char *c = code; *c; c++)
            if (*c == '_')
                *c = ' ';
        sbuf_addf(&b, "%s: %s%s", code, js_str(e, "message", ""), n > 1 ? "\n" : "");
    }
    return sbuf_steal(&b);
}
