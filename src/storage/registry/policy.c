/*
 * storage/registry/policy.c: containers-policy.json(5), for the one
 * question a pull asks: may an image from this transport and scope be
 * used at all? The requirements of the most specific scope apply (docker:
 * "host/ns/repo:tag", then "host/ns/repo", "host/ns", "host", then
 * "*.domain" wildcards, then the transport's "" entry, then "default").
 * All of them must accept: insecureAcceptAnything does, reject does not,
 * and a signature requirement (signedBy, sigstoreSigned,
 * signedBaseLayer) is refused with a clear "not supported": berth does
 * not verify signatures, and must never accept silently what the
 * administrator asked to verify.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/registry/internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

struct policy {
    json_t *doc;
    char *path;
};

void policy_free(struct policy *p)
{
    if (!p)
        return;
    json_decref(p->doc);
    free(p->path);
    free(p);
}

static const char *const known[] = {
    "insecureAcceptAnything", "reject", "signedBy", "sigstoreSigned", "signedBaseLayer", NULL,
};

static int check_reqs(const char *path, json_t *reqs, const char *where, struct berr **err)
{
    size_t i;
    json_t *r;

    if (!json_is_array(reqs) || json_array_size(reqs) == 0)
        return berr_msg(err, "invalid policy in \"%s\": %s: no policy requirements", path, where);
    json_array_foreach(reqs, i, r) {
        const char *t = js_str(r, "type", NULL);
        bool ok = false;
        for (size_t k = 0; t && known[k]; k++)
            ok |= !strcmp(t, known[k]);
        if (!ok)
            return berr_msg(err, "invalid policy in \"%s\": unknown policy requirement type "
                            "\"%s\"", path, t ? t : "");
    }
    return 0;
}

int policy_load(const char *path, struct policy **out, struct berr **err)
{
    _cleanup_free_ char *user = str_fmt("%s/.config/containers/policy.json", reg_home());
    _cleanup_free_ char *sys = reg_sys_path("/etc/containers/policy.json");
    _cleanup_free_ char *text = NULL;
    _cleanup_json_ json_t *doc = NULL;
    json_error_t je;
    size_t len;
    const char *p = path;

    if (!user || !sys)
        return berr_oom(err);
    if (!p)
        p = fs_exists(user) ? user : sys;
    if (fs_read_file(p, &text, &len, err) < 0)
        return -1;
    if (!(doc = json_loadb(text, len, 0, &je)) || !json_is_object(doc))
        return berr_msg(err, "invalid policy in \"%s\": %s", p, doc ? "not an object" : je.text);
    if (!json_object_get(doc, "default"))
        return berr_msg(err, "invalid policy in \"%s\": Default policy is missing", p);
    if (check_reqs(p, json_object_get(doc, "default"), "default", err) < 0)
        return -1;
    const char *tn, *sc;
    json_t *t, *reqs;
    json_object_foreach(json_object_get(doc, "transports"), tn, t)
        json_object_foreach(t, sc, reqs)
            if (check_reqs(p, reqs, tn, err) < 0)
                return -1;
    struct policy *pol = calloc(1, sizeof(*pol));
    if (!pol || !(pol->path = str_dup(p))) {
        free(pol);
        return berr_oom(err);
    }
    pol->doc = STEAL_PTR(doc);
    *out = pol;
    return 0;
}

/* The docker transport's scopes of "host/ns/repo:tag", most specific first. */
static int docker_scopes(const char *ref, char ***out)
{
    _cleanup_free_ char *repo = str_dup(ref);
    char *at, *slash, *colon;

    if (!repo || strv_push(out, ref) < 0)
        return -1;
    if ((at = strchr(repo, '@')))
        *at = '\0';
    slash = strrchr(repo, '/');
    colon = strrchr(repo, ':');
    if (colon && slash && colon > slash)
        *colon = '\0';
    while (1) {
        if (!str_eq(repo, ref) && strv_push(out, repo) < 0)
            return -1;
        if (!(slash = strrchr(repo, '/')))
            break;
        *slash = '\0';
    }
    /* repo is now the host: without its port, "*.example.com", "*.com" */
    if ((colon = strchr(repo, ':')))
        *colon = '\0';
    for (char *dot = strchr(repo, '.'); dot; dot = strchr(dot + 1, '.'))
        if (strv_pushf(out, "*%s", dot) < 0)
            return -1;
    return 0;
}

int policy_allows(const struct policy *p, const char *transport, const char *scope,
                  struct berr **err)
{
    json_t *t = json_object_get(json_object_get(p->doc, "transports"), transport);
    json_t *reqs = NULL, *r;
    _cleanup_strv_ char **scopes = NULL;
    size_t i;

    if (t && !strcmp(transport, "docker")) {
        if (docker_scopes(scope, &scopes) < 0)
            return berr_oom(err);
    } else if (t && strv_push(&scopes, scope) < 0) {
        return berr_oom(err);
    }
    for (char **s = scopes; s && *s && !reqs; s++)
        reqs = json_object_get(t, *s);
    if (!reqs && t)
        reqs = json_object_get(t, "");
    if (!reqs)
        reqs = json_object_get(p->doc, "default");
    json_array_foreach(reqs, i, r) {
        const char *type = js_str(r, "type", "");
        if (!strcmp(type, "insecureAcceptAnything"))
            continue;
        if (!strcmp(type, "reject"))
            return berr_msg(err, "Source image rejected: Running image %s:%s%s is rejected "
                            "by policy.", transport, !strcmp(transport, "docker") ? "//" : "",
                            scope);
        return berr_msg(err, "Source image rejected: the policy (%s) for %s:%s%s requires "
                        "\"%s\", and berth cannot verify signatures: not supported", p->path,
                        transport, !strcmp(transport, "docker") ? "//" : "", scope, type);
    }
    return 0;
}
