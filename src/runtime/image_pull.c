/*
 * runtime/image_pull.c: pull, as podman's libimage does it.
 *
 * A fully-qualified reference is pulled from its registry (through the
 * mirrors registries.conf gives it, in order). A short name resolves
 * through the alias cache and the configured aliases, else through the
 * unqualified-search registries: every one of them is tried in turn
 * unless the short-name mode asks for a choice, which only a terminal
 * can give (choose); without one, enforcing mode fails naming the
 * fully-qualified names to use, and a name chosen is recorded as an
 * alias once it has been pulled. policy.json decides first whether a
 * candidate may be used at all.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/image_int.h"
#include "runtime/image_pull.h"
#include "runtime/image_reg_int.h"
#include "runtime/runtime.h"
#include "storage/reference.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/str.h"

/* The fully-qualified names a reference may mean, in the order to try. */
struct cands {
    char **names;               /* "host/path:tag" or "host/path@digest" */
    char *short_repo;           /* the short name typed, when it was one */
    bool record;                /* a prompt chose: record the alias */
};

static void cands_clear(struct cands *c)
{
    strv_free(c->names);
    free(c->short_repo);
    memset(c, 0, sizeof(*c));
}

static void say(const struct img_pull_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(const struct img_pull_opts *o, const char *fmt, ...)
{
    va_list ap;
    _cleanup_free_ char *m = NULL;

    if (!o->progress)
        return;
    va_start(ap, fmt);
    m = str_vfmt(fmt, ap);
    va_end(ap);
    if (m)
        progress_emit(o->progress, PROG_MSG, m, 0, 0);
}

/* "reg/name" plus the typed tag or digest, normalized. */
static int qualify(const char *repo, const struct ref *typed, char **out, struct berr **err)
{
    _cleanup_free_ char *s = str_fmt("%s%s%s%s%s", repo, typed->tag ? ":" : "",
                                     typed->tag ? typed->tag : "", typed->digest ? "@" : "",
                                     typed->digest ? typed->digest : "");
    return s ? ref_normalize_str(s, "docker.io", out, err) : berr_oom(err);
}

static int resolve_short(const struct regconf *conf, const char *name, const struct ref *r,
                         const struct img_pull_opts *o, struct cands *c, struct berr **err)
{
    _cleanup_free_ char *cache = regconf_alias_cache_path(), *value = NULL, *origin = NULL;
    char *const *regs = regconf_search_registries(conf);
    enum short_name_mode mode = regconf_short_name_mode(conf);
    char *q = NULL;

    if (!cache || !(c->short_repo = str_dup(r->path)))
        return berr_oom(err);
    if (regconf_alias(conf, cache, r->path, &value, &origin, err) < 0)
        return -1;
    if (value) {
        if (qualify(value, r, &q, err) < 0 || strv_push_take(&c->names, q) < 0)
            return *err ? -1 : berr_oom(err);
        say(o, "Resolved \"%s\" as an alias (%s)", r->path, origin);
        return 0;
    }
    if (!regs[0]) {
        if (*regconf_search_origin(conf))
            return berr_msg(err, "short-name \"%s\" did not resolve to an alias and no "
                            "unqualified-search registries are defined in \"%s\"", name,
                            regconf_search_origin(conf));
        return berr_msg(err, "short-name \"%s\" did not resolve to an alias and no "
                        "containers-registries.conf(5) was found", name);
    }
    for (char *const *reg = regs; *reg; reg++) {
        _cleanup_free_ char *full = str_fmt("%s/%s", *reg, r->path);
        if (!full || qualify(full, r, &q, err) < 0 || strv_push_take(&c->names, q) < 0)
            return *err ? -1 : berr_oom(err);
    }
    if (mode == SNM_DISABLED || strv_len(c->names) == 1)
        goto usr;
    if (!o->choose) {
        if (mode == SNM_PERMISSIVE)
            goto usr;
        _cleanup_free_ char *list = strv_join(c->names, ", ");
        return berr_msg(err, "short-name resolution enforced but cannot prompt without a TTY: "
                        "\"%s\" could be any of %s; use one of these fully-qualified names",
                        name, list ? list : "");
    }
    int i = o->choose(o->choose_ctx, c->names, strv_len(c->names), err);
    if (i < 0)
        return -1;
    if ((size_t) i >= strv_len(c->names))
        return berr_msg(err, "no image chosen");
    char *pick = str_dup(c->names[i]);
    strv_free(c->names);
    c->names = NULL;
    if (!pick || strv_push_take(&c->names, pick) < 0)
        return berr_oom(err);
    c->record = true;
    return 0;
usr:
    say(o, "Resolving \"%s\" using unqualified-search registries (%s)", r->path,
        regconf_search_origin(conf));
    return 0;
}

static int resolve(const struct regconf *conf, const char *name, const struct img_pull_opts *o,
                   struct cands *c, struct berr **err)
{
    _cleanup_ref_ struct ref r = { 0 };
    char *full = NULL;

    memset(c, 0, sizeof(*c));
    if (ref_is_full_id(name))
        return berr_kind(err, BK_INVALID, "invalid reference format: cannot specify 64-byte "
                         "hexadecimal strings");
    if (ref_parse(name, &r, err) < 0)
        return -1;
    if (!r.domain) {
        if (resolve_short(conf, name, &r, o, c, err) < 0) {
            cands_clear(c);
            return -1;
        }
        return 0;
    }
    if (ref_normalize_str(name, "docker.io", &full, err) < 0)
        return -1;
    return strv_push_take(&c->names, full) < 0 ? berr_oom(err) : 0;
}

/* One fully-qualified name, from the first of its sources that has it. */
static int pull_one(struct runtime *rt, struct img_reg *reg, struct policy *pol,
                    const char *name, const struct img_pull_opts *o, char id[65],
                    struct berr **err)
{
    struct reg_source *src = NULL;
    struct store *s;
    size_t n = 0;
    char *const names[] = { (char *) name, NULL };
    struct store_pull_opts po = { .os = o->os, .arch = o->arch, .variant = o->variant,
                                  .names = names, .progress = o->progress };
    int rc = -1;

    if (policy_allows(pol, "docker", name, err) < 0 || rt_store(rt, &s, err) < 0)
        return -1;
    if (regconf_pull_sources(reg->conf, name, &src, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n && rc < 0; i++) {
        _cleanup_free_ char *host = NULL, *repo = NULL, *tag = NULL, *digest = NULL;
        if (i > 0) {
            log_debug("pulling %s: %s", src[i - 1].ref, (*err)->msg);
            berr_free(*err);
            *err = NULL;
        }
        if (src[i].insecure &&
            (reg_ref_host(src[i].ref, &host, err) < 0 ||
             reg_client_insecure(reg->client, host, err) < 0))
            break;
        rc = store_pull(s, reg->client, src[i].ref, &po, id, err);
    }
    reg_sources_free(src, n);
    return rc;
}

static int pull_candidates(struct runtime *rt, struct img_reg *reg, struct policy *pol,
                           const char *typed, struct cands *c, const struct img_pull_opts *o,
                           char id[65], struct berr **err)
{
    _cleanup_strv_ char **errs = NULL;

    for (char **n = c->names; *n; n++) {
        struct berr *e = NULL;
        say(o, "Trying to pull %s...", *n);
        if (pull_one(rt, reg, pol, *n, o, id, &e) == 0) {
            if (c->record) {
                _cleanup_free_ char *cache = regconf_alias_cache_path();
                _cleanup_ref_ struct ref r = { 0 };
                struct berr *ae = NULL;
                _cleanup_free_ char *repo = NULL;
                if (cache && ref_parse(*n, &r, &ae) == 0 && (repo = ref_repo(&r)) &&
                    regconf_alias_record(cache, c->short_repo, repo, &ae) < 0)
                    log_warn("%s", ae->msg);
                berr_free(ae);
            }
            img_event(rt, "pull", id, typed);
            return 0;
        }
        if (strv_push(&errs, e->msg) < 0) {
            berr_free(e);
            return berr_oom(err);
        }
        if (!n[1] && !errs[1]) {
            *err = e;           /* one candidate: its own error, as it was */
            return -1;
        }
        berr_free(e);
    }
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    sbuf_addf(&b, "%zu errors occurred while pulling:", strv_len(errs));
    for (char **e = errs; *e; e++)
        sbuf_addf(&b, "\n * %s", *e);
    return b.oom ? berr_oom(err) : berr_msg(err, "%s", b.buf);
}

static const char *docker_name(const char *ref)
{
    return str_has_prefix(ref, "docker://") ? ref + 9 : ref;
}

int img_pull(struct runtime *rt, const char *ref, const struct img_pull_opts *o, char ***ids,
             struct berr **err)
{
    struct img_reg reg;
    struct policy *pol = NULL;
    struct cands c = { 0 };
    _cleanup_strv_ char **out = NULL, **tags = NULL;
    const char *name = docker_name(ref);
    char id[65];
    int rc = -1;

    *ids = NULL;
    /* the user's character set, for libarchive's path names: create
     * leaves it unloaded until it must pull (cmd/run.c) */
    str_locale_load();
    if (img_transport_of(ref))
        return img_pull_transport(rt, ref, o, ids, err);
    if (policy_load(o->signature_policy, &pol, err) < 0)
        return -1;
    if (img_reg_open(&o->reg, &reg, err) < 0) {
        policy_free(pol);
        return -1;
    }
    if (resolve(reg.conf, name, o, &c, err) < 0)
        goto out;
    if (o->all_tags) {
        _cleanup_ref_ struct ref r = { 0 };
        if (ref_parse(name, &r, err) < 0)
            goto out;
        if (r.tag || r.digest) {
            berr_kind(err, BK_INVALID, "tag can't be used with --all-tags/-a");
            goto out;
        }
        if (store_pull_tags(reg.client, c.names[0], &tags, err) < 0)
            goto out;
        _cleanup_ref_ struct ref q = { 0 };
        if (ref_parse(c.names[0], &q, err) < 0)
            goto out;
        for (char **t = tags; t && *t; t++) {
            _cleanup_free_ char *one = str_fmt("%s/%s:%s", q.domain, q.path, *t);
            struct cands tc = { 0 };
            if (!one || strv_push(&tc.names, one) < 0) {
                berr_oom(err);
                goto out;
            }
            int r1 = pull_candidates(rt, &reg, pol, one, &tc, o, id, err);
            cands_clear(&tc);
            if (r1 < 0 || strv_push(&out, id) < 0)
                goto out;
        }
    } else {
        if (pull_candidates(rt, &reg, pol, ref, &c, o, id, err) < 0 || strv_push(&out, id) < 0)
            goto out;
    }
    if (!out && !(out = calloc(1, sizeof(char *)))) {
        berr_oom(err);
        goto out;
    }
    *ids = STEAL_PTR(out);
    rc = 0;
out:
    if (rc < 0 && !*err)
        berr_oom(err);
    cands_clear(&c);
    policy_free(pol);
    img_reg_clear(&reg);
    return rc;
}

/* ---- pull policies ---- */

/* Does the registry have another manifest than the local image? */
static bool remote_differs(struct runtime *rt, const struct img *img, const char *ref,
                           const struct img_pull_opts *o)
{
    struct img_reg reg;
    struct cands c = { 0 };
    struct berr *e = NULL;
    char digest[72] = "";
    bool differs = false;

    if (img_reg_open(&o->reg, &reg, &e) < 0) {
        log_warn("checking %s for a newer image: %s", ref, e->msg);
        berr_free(e);
        return false;
    }
    struct img_pull_opts quiet = *o;
    quiet.progress = NULL;
    quiet.choose = NULL;
    if (resolve(reg.conf, docker_name(ref), &quiet, &c, &e) == 0 &&
        reg_manifest_digest(reg.client, c.names[0], digest, &e) == 0) {
        differs = !strv_contains(img->digests, digest) && !str_eq(img->digest, digest);
    } else {
        log_warn("checking %s for a newer image: %s", ref, e ? e->msg : "");
    }
    (void) rt;
    berr_free(e);
    cands_clear(&c);
    img_reg_clear(&reg);
    return differs;
}

int img_pull_policy(struct runtime *rt, const char *ref, enum img_pull_policy policy,
                    const struct img_pull_opts *o, char id[65], bool *pulled,
                    struct img **found, struct berr **err)
{
    _cleanup_img_ struct img *img = NULL;
    _cleanup_strv_ char **ids = NULL;
    struct berr *e = NULL;
    int local;

    *pulled = false;
    if (found)
        *found = NULL;
    local = img_lookup(rt, docker_name(ref), &img, &e) == 0;
    if (!local && e && e->kind != BK_NO_SUCH) {
        *err = e;
        return -1;
    }
    if (policy == IMG_PULL_NEVER && !local) {
        *err = e;
        return -1;
    }
    berr_free(e);
    if (local && (policy == IMG_PULL_MISSING || policy == IMG_PULL_NEVER ||
                  (policy == IMG_PULL_NEWER && !remote_differs(rt, img, ref, o)))) {
        snprintf(id, 65, "%s", img->id);
        /* create looks ref up as typed: docker://NAME means the image it
         * names only here */
        if (found && docker_name(ref) == ref)
            *found = STEAL_PTR(img);
        return 0;
    }
    struct img_pull_opts one = *o;
    one.all_tags = false;
    if (img_pull(rt, ref, &one, &ids, err) < 0)
        return -1;
    snprintf(id, 65, "%s", ids[0]);
    *pulled = true;
    return 0;
}
