/*
 * storage/registry/lists.c: what the registry lists and tells about a
 * tag: the tags of a repository and the catalog (both paged through
 * Link: <...>; rel="next"), and a tag's current manifest digest (HEAD,
 * else GET), for pull --all-tags, search and run --pull newer.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/internal.h"
#include "storage/registry/internal.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

/* The path of a Link header's rel="next" target: "</v2/x?last=a&n=2>;
 * rel=\"next\"" -> "x?last=a&n=2" (relative to /v2/). */
static char *next_link(const char *link)
{
    const char *lt = link ? strchr(link, '<') : NULL, *gt = lt ? strchr(lt, '>') : NULL;

    if (!lt || !gt || !strstr(gt, "next"))
        return NULL;
    const char *p = lt + 1;
    const char *v2 = strstr(p, "/v2/");
    if (v2 && v2 < gt)
        p = v2 + 4;
    return str_ndup(p, (size_t) (gt - p));
}

/* GET path and every next page; each page's JSON array key goes into out. */
static int paged(struct reg_client *c, const char *host, const char *scope, const char *path,
                 const char *key, size_t limit, const char *what, char ***out, struct berr **err)
{
    _cleanup_free_ char *next = str_dup(path);
    _cleanup_strv_ char **acc = calloc(1, sizeof(char *));

    if (!next || !acc)
        return berr_oom(err);
    while (next && (!limit || strv_len(acc) < limit)) {
        struct http_xfer x;
        _cleanup_json_ json_t *doc = NULL;
        size_t i;
        json_t *v;

        if (reg_xfer(c, host, &x, "GET", next, err) < 0)
            return -1;
        if (reg_do(c, host, scope, &x, err) < 0) {
            http_xfer_clear(&x);
            return -1;
        }
        if (!http_ok(&x)) {
            _cleanup_free_ char *why = reg_why(&x);
            berr_msg(err, "%s: %s", what, why ? why : "failed");
            http_xfer_clear(&x);
            return -1;
        }
        doc = json_loadb(sbuf_str(&x.resp_body), x.resp_body.len, 0, NULL);
        json_array_foreach(json_object_get(doc, key), i, v)
            if (json_is_string(v) && (!limit || strv_len(acc) < limit) &&
                strv_push(&acc, json_string_value(v)) < 0) {
                http_xfer_clear(&x);
                return berr_oom(err);
            }
        free(next);
        next = next_link(x.link);
        http_xfer_clear(&x);
    }
    *out = STEAL_PTR(acc);
    return 0;
}

int reg_list_tags(struct reg_client *c, const char *host, const char *repo, char ***out,
                  struct berr **err)
{
    _cleanup_free_ char *path = str_fmt("%s/tags/list", repo);
    _cleanup_free_ char *scope = str_fmt("repository:%s:pull", repo);
    _cleanup_free_ char *what = str_fmt("fetching tags list of %s/%s", host, repo);

    if (!path || !scope || !what)
        return berr_oom(err);
    return paged(c, host, scope, path, "tags", 0, what, out, err);
}

int reg_catalog(struct reg_client *c, const char *host, size_t limit, char ***out,
                struct berr **err)
{
    _cleanup_free_ char *what = str_fmt("couldn't search registry \"%s\"", host);

    if (!what)
        return berr_oom(err);
    return paged(c, host, "registry:catalog:*", "_catalog", "repositories", limit, what, out,
                 err);
}

int reg_manifest_digest(struct reg_client *c, const char *ref, char digest[72],
                        struct berr **err)
{
    _cleanup_free_ char *host = NULL, *repo = NULL, *tag = NULL, *dg = NULL;
    _cleanup_free_ char *path = NULL, *scope = NULL;
    struct http_xfer x;
    int rc = -1;

    if (reg_split_ref(ref, &host, &repo, &tag, &dg, err) < 0)
        return -1;
    if (dg) {
        snprintf(digest, 72, "%s", dg);
        return 0;
    }
    if (!(path = str_fmt("%s/manifests/%s", repo, tag ? tag : "latest")) ||
        !(scope = str_fmt("repository:%s:pull", repo)))
        return berr_oom(err);
    for (int get = 0; get < 2 && rc < 0; get++) {
        if (reg_xfer(c, host, &x, get ? "GET" : "HEAD", path, err) < 0)
            return -1;
        x.max_body = REG_DOC_MAX;
        if (http_xfer_header(&x, "Accept: %s, %s, %s, %s", MT_OCI_MANIFEST, MT_DOCKER_V2S2,
                             MT_OCI_INDEX, MT_DOCKER_LIST) < 0) {
            http_xfer_clear(&x);
            return berr_oom(err);
        }
        if (reg_do(c, host, scope, &x, err) < 0) {
            http_xfer_clear(&x);
            return -1;
        }
        if (!http_ok(&x)) {
            _cleanup_free_ char *why = reg_why(&x);
            http_xfer_clear(&x);
            return berr_msg(err, "reading manifest %s in %s/%s: %s", tag ? tag : "latest",
                            host, repo, why ? why : "failed");
        }
        if (x.digest && str_has_prefix(str_trim(x.digest), "sha256:")) {
            snprintf(digest, 72, "%s", str_trim(x.digest));
            rc = 0;
        } else if (get) {
            char hex[65];
            /* No header: the digest of the bytes themselves. */
            if (sha256_buf(sbuf_str(&x.resp_body), x.resp_body.len, hex, err) == 0) {
                snprintf(digest, 72, "sha256:%s", hex);
                rc = 0;
            } else {
                http_xfer_clear(&x);
                return -1;
            }
        }
        http_xfer_clear(&x);
    }
    return rc;
}
