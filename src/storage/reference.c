/*
 * storage/reference.c: parsing and normalizing image references, with
 * docker/distribution's grammar (see reference.h). Pure string code.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/str.h"

#define NAME_MAX_TOTAL 255
#define TAG_MAX 128

/* podman's words, without berr_kind's ": invalid argument" suffix. */
static int bad(struct berr **err, const char *why)
{
    if (why)
        berr_msg(err, "invalid reference format: %s", why);
    else
        berr_msg(err, "invalid reference format");
    if (*err && (*err)->errnum != ENOMEM)    /* not the static OOM error */
        (*err)->kind = BK_INVALID;
    return -1;
}

static bool is_lalnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static bool is_word(char c) { return isalnum((unsigned char) c) || c == '_'; }

/* [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)* over s[0..n) */
static bool path_component_ok(const char *s, size_t n)
{
    size_t i = 0;

    if (n == 0 || !is_lalnum(s[0]))
        return false;
    while (i < n) {
        while (i < n && is_lalnum(s[i]))
            i++;
        if (i == n)
            return true;
        size_t sep = i;
        if (s[i] == '.')
            i++;
        else if (s[i] == '_')
            i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
        else if (s[i] == '-')
            while (i < n && s[i] == '-')
                i++;
        else
            return false;
        if (i == sep || i == n || !is_lalnum(s[i]))
            return false;
    }
    return true;
}

/* host components [a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])? joined by '.',
 * optional :port; or a bracketed IPv6 address with optional port. */
static bool domain_ok(const char *s, size_t n)
{
    size_t i = 0, end = n;
    const char *colon = NULL;

    if (n && s[0] == '[') {
        const char *rb = memchr(s, ']', n);
        if (!rb)
            return false;
        for (const char *p = s + 1; p < rb; p++)
            if (!isxdigit((unsigned char) *p) && *p != ':')
                return false;
        i = (size_t) (rb - s) + 1;
        if (i == n)
            return true;
        colon = s + i;
        if (*colon != ':')
            return false;
    } else {
        for (size_t k = 0; k < n; k++)
            if (s[k] == ':') {
                colon = s + k;
                break;
            }
        if (colon)
            end = (size_t) (colon - s);
        while (i < end) {
            size_t st = i;
            while (i < end && (isalnum((unsigned char) s[i]) || s[i] == '-'))
                i++;
            if (i == st || s[st] == '-' || s[i - 1] == '-')
                return false;
            if (i < end) {
                if (s[i] != '.')
                    return false;
                i++;
                if (i == end)
                    return false;
            }
        }
        if (end == 0)
            return false;
    }
    if (colon) {
        const char *p = colon + 1;
        if (p == s + n)
            return false;
        for (; p < s + n; p++)
            if (!isdigit((unsigned char) *p))
                return false;
    }
    return true;
}

static bool digest_ok(const char *d)
{
    const char *c = strchr(d, ':');

    if (!c || c == d)
        return false;
    for (const char *p = d; p < c; p++)
        if (!isalnum((unsigned char) *p) && !strchr("-_+.", *p))
            return false;
    if (!isalpha((unsigned char) d[0]))
        return false;
    if (strncmp(d, "sha256:", 7) == 0)
        return ref_is_full_id(c + 1);
    size_t n = strlen(c + 1);
    if (n < 32)
        return false;
    for (const char *p = c + 1; *p; p++)
        if (!isxdigit((unsigned char) *p))
            return false;
    return true;
}

static bool tag_ok(const char *t)
{
    size_t n = strlen(t);

    if (n == 0 || n > TAG_MAX || !is_word(t[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!is_word(t[i]) && t[i] != '.' && t[i] != '-')
            return false;
    return true;
}

void ref_free(struct ref *r)
{
    free(r->domain);
    free(r->path);
    free(r->tag);
    free(r->digest);
    memset(r, 0, sizeof(*r));
}

int ref_parse(const char *s, struct ref *out, struct berr **err)
{
    _cleanup_free_ char *name = NULL;
    _cleanup_ref_ struct ref r = { 0 };
    const char *at, *slash, *colon, *rest;

    memset(out, 0, sizeof(*out));
    if (!s || !*s)
        return bad(err, NULL);
    at = strchr(s, '@');
    if (at) {
        if (!digest_ok(at + 1))
            return bad(err, NULL);
        if (!(r.digest = str_dup(at + 1)))
            return berr_oom(err);
        name = str_ndup(s, (size_t) (at - s));
    } else {
        name = str_dup(s);
    }
    if (!name)
        return berr_oom(err);
    slash = strrchr(name, '/');
    colon = strrchr(name, ':');
    if (colon && (!slash || colon > slash)) {
        if (!tag_ok(colon + 1))
            return bad(err, NULL);
        if (!(r.tag = str_dup(colon + 1)))
            return berr_oom(err);
        name[colon - name] = '\0';
    }
    if (!*name || strlen(name) > NAME_MAX_TOTAL)
        return bad(err, *name ? "repository name must not be more than 255 characters" : NULL);

    /* The first component is a domain when it looks like one. */
    slash = strchr(name, '/');
    rest = name;
    if (slash) {
        size_t n = (size_t) (slash - name);
        bool upper = false;
        for (size_t i = 0; i < n; i++)
            upper |= isupper((unsigned char) name[i]) != 0;
        if (memchr(name, '.', n) || memchr(name, ':', n) || upper ||
            (n == 9 && strncmp(name, "localhost", 9) == 0)) {
            if (!domain_ok(name, n))
                return bad(err, NULL);
            if (!(r.domain = str_ndup(name, n)))
                return berr_oom(err);
            rest = slash + 1;
        }
    }
    for (const char *p = rest; *p; p++)
        if (isupper((unsigned char) *p))
            return bad(err, "repository name must be lowercase");
    for (const char *p = rest;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t) (e - p) : strlen(p);
        if (!path_component_ok(p, n))
            return bad(err, NULL);
        if (!e)
            break;
        p = e + 1;
    }
    if (!(r.path = str_dup(rest)))
        return berr_oom(err);
    *out = r;
    memset(&r, 0, sizeof(r));
    return 0;
}

int ref_normalize(struct ref *r, const char *default_domain, struct berr **err)
{
    if (!r->domain && !(r->domain = str_dup(default_domain)))
        return berr_oom(err);
    if (str_eq(r->domain, "index.docker.io")) {
        free(r->domain);
        if (!(r->domain = str_dup("docker.io")))
            return berr_oom(err);
    }
    if (str_eq(r->domain, "docker.io") && !strchr(r->path, '/')) {
        char *p = str_fmt("library/%s", r->path);
        if (!p)
            return berr_oom(err);
        free(r->path);
        r->path = p;
    }
    if (!r->tag && !r->digest && !(r->tag = str_dup("latest")))
        return berr_oom(err);
    /* As docker/distribution's ParseNormalizedNamed: the limit is on the
     * name with its domain, so a 250-character short name is refused
     * here, not later when the stored name is read back. */
    if (strlen(r->domain) + 1 + strlen(r->path) > NAME_MAX_TOTAL)
        return bad(err, "repository name must not be more than 255 characters");
    return 0;
}

char *ref_repo(const struct ref *r)
{
    return r->domain ? str_fmt("%s/%s", r->domain, r->path) : str_dup(r->path);
}

char *ref_string(const struct ref *r)
{
    _cleanup_free_ char *repo = ref_repo(r);

    if (!repo)
        return NULL;
    return str_fmt("%s%s%s%s%s", repo, r->tag ? ":" : "", r->tag ? r->tag : "",
                   r->digest ? "@" : "", r->digest ? r->digest : "");
}

int ref_normalize_str(const char *s, const char *default_domain, char **out,
                      struct berr **err)
{
    _cleanup_ref_ struct ref r = { 0 };

    if (ref_is_full_id(s))
        return bad(err, "cannot specify 64-byte hexadecimal strings");
    if (ref_parse(s, &r, err) < 0 || ref_normalize(&r, default_domain, err) < 0)
        return -1;
    if (!(*out = ref_string(&r)))
        return berr_oom(err);
    return 0;
}

bool ref_is_hex(const char *s)
{
    size_t n = 0;

    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n >= 1 && n <= 64;
}

bool ref_is_full_id(const char *s)
{
    return strlen(s) == 64 && ref_is_hex(s);
}

bool ref_short_matches(const struct ref *sr, const char *fullname)
{
    _cleanup_ref_ struct ref f = { 0 };
    struct berr *e = NULL;
    size_t np, sp;

    if (ref_parse(fullname, &f, &e) < 0) {
        berr_free(e);
        return false;
    }
    /* A digest reference matches on the repository; the caller compares
     * the digest with the image's digests. */
    if (!sr->digest && !str_eq(sr->tag ? sr->tag : "latest", f.tag))
        return false;
    np = strlen(f.path);
    sp = strlen(sr->path);
    if (np == sp)
        return strcmp(f.path, sr->path) == 0;
    return np > sp && f.path[np - sp - 1] == '/' && strcmp(f.path + np - sp, sr->path) == 0;
}
