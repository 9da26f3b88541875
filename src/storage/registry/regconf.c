/*
 * storage/registry/regconf.c: registries.conf(5) and its drop-ins, as
 * containers/image reads them: the main file, then every *.conf of the
 * system and user registries.conf.d in name order, each overriding what
 * came before ([[registry]] entries by prefix, unqualified-search-
 * registries and short-name-mode when set, aliases by name). Prefixes
 * match at a path-component boundary, longest wins; "*.example.com"
 * matches subdomains. The v1 format ([registries.search] ...) is read
 * and converted, as c/image does.
 *
 * The aliases, and their cache file, are aliases.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/reference.h"
#include "storage/registry/internal.h"
#include "storage/registry/regconf_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/toml.h"

char *reg_sys_path(const char *path)
{
    const char *root = getenv("BERTH_CONFIG_ROOT");
    return str_fmt("%s%s", root ? root : "", path);
}

const char *reg_home(void)
{
    const char *h = getenv("HOME");
    struct passwd *pw;

    if (h && *h)
        return h;
    pw = getpwuid(geteuid());
    return pw && pw->pw_dir ? pw->pw_dir : "";
}

static void endpoint_clear(struct rc_endpoint *e)
{
    free(e->location);
    free(e->pull_from_mirror);
    memset(e, 0, sizeof(*e));
}

static void registry_clear(struct rc_registry *r)
{
    free(r->prefix);
    endpoint_clear(&r->ep);
    for (size_t i = 0; i < r->nmirrors; i++)
        endpoint_clear(&r->mirrors[i]);
    free(r->mirrors);
    memset(r, 0, sizeof(*r));
}

void regconf_clear(struct regconf *c)
{
    for (size_t i = 0; i < c->nregs; i++)
        registry_clear(&c->regs[i]);
    free(c->regs);
    strv_free(c->search);
    free(c->search_origin);
    for (size_t i = 0; i < c->naliases; i++) {
        free(c->aliases[i].name);
        free(c->aliases[i].value);
        free(c->aliases[i].origin);
    }
    free(c->aliases);
    free(c->sources);
    memset(c, 0, sizeof(*c));
}

void regconf_free(struct regconf *c)
{
    if (!c)
        return;
    regconf_clear(c);
    free(c);
}

const char *regconf_sources(const struct regconf *c)
{
    return c->sources ? c->sources : "";
}

/* ---- parsing one file ---- */

int regconf_bad(struct berr **err, const char *path, const char *fmt, const char *arg)
{
    _cleanup_free_ char *m = str_fmt(fmt, arg ? arg : "");
    return berr_msg(err, "loading registries configuration \"%s\": %s", path, m ? m : fmt);
}

/* Trailing slashes off; URI schemes refused. */
static int location(const char *path, const char *in, char **out, struct berr **err)
{
    size_t n = strlen(in);

    while (n > 0 && in[n - 1] == '/')
        n--;
    if (str_has_prefix(in, "http://") || str_has_prefix(in, "https://"))
        return regconf_bad(err, path, "invalid location '%s': URI schemes are not supported", in);
    return (*out = str_ndup(in, n)) ? 0 : berr_oom(err);
}

static int str_field(const char *path, json_t *o, const char *key, const char **out,
                     struct berr **err)
{
    json_t *v = json_object_get(o, key);

    *out = NULL;
    if (!v)
        return 0;
    if (!json_is_string(v))
        return regconf_bad(err, path, "%s must be a string", key);
    *out = json_string_value(v);
    return 0;
}

static int bool_field(const char *path, json_t *o, const char *key, bool *out,
                      struct berr **err)
{
    json_t *v = json_object_get(o, key);

    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return regconf_bad(err, path, "%s must be a boolean", key);
    *out = json_is_true(v);
    return 0;
}

static int parse_endpoint(const char *path, json_t *o, struct rc_endpoint *e, struct berr **err)
{
    const char *loc, *pfm;

    if (str_field(path, o, "location", &loc, err) < 0 || bool_field(path, o, "insecure", &e->insecure, err) < 0 ||
        str_field(path, o, "pull-from-mirror", &pfm, err) < 0)
        return -1;
    if (location(path, loc ? loc : "", &e->location, err) < 0)
        return -1;
    if (pfm && *pfm && !(e->pull_from_mirror = str_dup(pfm)))
        return berr_oom(err);
    return 0;
}

static int parse_registry(const char *path, json_t *o, struct rc_registry *r, struct berr **err)
{
    const char *prefix;
    json_t *mirrors = json_object_get(o, "mirror"), *m;
    size_t i;

    if (!json_is_object(o))
        return regconf_bad(err, path, "[[registry]] entries must be tables", NULL);
    if (parse_endpoint(path, o, &r->ep, err) < 0 || str_field(path, o, "prefix", &prefix, err) < 0 ||
        bool_field(path, o, "blocked", &r->blocked, err) < 0 ||
        bool_field(path, o, "mirror-by-digest-only", &r->by_digest_only, err) < 0)
        return -1;
    if (!prefix || !*prefix) {
        if (!*r->ep.location)
            return regconf_bad(err, path, "invalid condition: both location and prefix are unset", NULL);
        if (!(r->prefix = str_dup(r->ep.location)))
            return berr_oom(err);
    } else {
        if (location(path, prefix, &r->prefix, err) < 0)
            return -1;
        if (!str_has_prefix(r->prefix, "*.") && !*r->ep.location)
            return regconf_bad(err, path, "invalid condition: location is unset and prefix is not in "
                       "the format: *.example.com", NULL);
        if (str_has_prefix(r->prefix, "*.") && strpbrk(r->prefix, "/@:"))
            return regconf_bad(err, path, "Wildcarded prefix should be in the format: *.example.com. "
                       "Current prefix \"%s\" is incorrectly formatted", r->prefix);
    }
    if (r->ep.pull_from_mirror)
        return regconf_bad(err, path, "pull-from-mirror must not be set for a non-mirror registry \"%s\"",
                   r->prefix);
    if (mirrors && !json_is_array(mirrors))
        return regconf_bad(err, path, "mirror must be an array of tables", NULL);
    if (!(r->mirrors = calloc(json_array_size(mirrors) + 1, sizeof(*r->mirrors))))
        return berr_oom(err);
    json_array_foreach(mirrors, i, m) {
        struct rc_endpoint *e = &r->mirrors[r->nmirrors++];
        if (!json_is_object(m))
            return regconf_bad(err, path, "mirror must be an array of tables", NULL);
        if (parse_endpoint(path, m, e, err) < 0)
            return -1;
        if (!*e->location)
            return regconf_bad(err, path, "invalid condition: mirror location is unset", NULL);
        if (e->pull_from_mirror && r->by_digest_only)
            return regconf_bad(err, path, "cannot set mirror usage mirror-by-digest-only for the "
                       "registry (\"%s\") and pull-from-mirror for per-mirror at the same time",
                       r->prefix);
        if (e->pull_from_mirror && !str_eq(e->pull_from_mirror, "all") &&
            !str_eq(e->pull_from_mirror, "digest-only") && !str_eq(e->pull_from_mirror, "tag-only"))
            return regconf_bad(err, path, "unsupported pull-from-mirror value \"%s\"", e->pull_from_mirror);
    }
    return 0;
}

/* A bare domain, as unqualified-search-registries entries must be. */
static bool domain_only(const char *s)
{
    _cleanup_free_ char *probe = str_fmt("%s/x", s);
    _cleanup_ref_ struct ref r = { 0 };
    struct berr *e = NULL;
    bool ok = probe && ref_parse(probe, &r, &e) == 0 && r.domain && str_eq(r.domain, s);

    berr_free(e);
    return ok;
}

static int parse_strings(const char *path, json_t *arr, const char *what, char ***out,
                         struct berr **err)
{
    size_t i;
    json_t *v;

    if (!json_is_array(arr))
        return regconf_bad(err, path, "%s must be an array of strings", what);
    if (!(*out = calloc(1, sizeof(char *))))
        return berr_oom(err);
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v))
            return regconf_bad(err, path, "%s must be an array of strings", what);
        if (strv_push(out, json_string_value(v)) < 0)
            return berr_oom(err);
    }
    return 0;
}

/* The v1 format: [registries.search|insecure|block] registries = [...]. */
static int convert_v1(const char *path, json_t *v1, struct regconf *c, struct berr **err)
{
    static const char *const kinds[] = { "block", "insecure" };

    for (size_t k = 0; k < 2; k++) {
        json_t *arr = json_object_get(json_object_get(v1, kinds[k]), "registries"), *x;
        size_t i;
        if (arr && !json_is_array(arr))
            return regconf_bad(err, path, "registries must be an array of strings", NULL);
        json_array_foreach(arr, i, x) {
            _cleanup_free_ char *loc = NULL;
            struct rc_registry *r = NULL;
            if (!json_is_string(x))
                return regconf_bad(err, path, "registries must be an array of strings", NULL);
            if (location(path, json_string_value(x), &loc, err) < 0)
                return -1;
            for (size_t j = 0; j < c->nregs; j++)
                if (str_eq(c->regs[j].prefix, loc))
                    r = &c->regs[j];
            if (!r) {
                struct rc_registry *nv = realloc(c->regs, (c->nregs + 1) * sizeof(*nv));
                if (!nv)
                    return berr_oom(err);
                c->regs = nv;
                r = &nv[c->nregs++];
                memset(r, 0, sizeof(*r));
                if (!(r->prefix = str_dup(loc)) || !(r->ep.location = str_dup(loc)))
                    return berr_oom(err);
            }
            if (k == 0)
                r->blocked = true;
            else
                r->ep.insecure = true;
        }
    }
    json_t *search = json_object_get(json_object_get(v1, "search"), "registries");
    if (search) {
        if (parse_strings(path, search, "registries", &c->search, err) < 0)
            return -1;
        c->search_set = true;
    }
    return 0;
}

static int parse_doc(const char *path, json_t *doc, bool force_v2, struct regconf *c,
                     struct berr **err)
{
    json_t *v1 = json_object_get(doc, "registries");
    json_t *regs = json_object_get(doc, "registry"), *r;
    const char *mode;
    size_t i;

    if (v1) {
        if (force_v2)
            return regconf_bad(err, path, "registry must be in v2 format but is in v1", NULL);
        if (regs || json_object_get(doc, "unqualified-search-registries") ||
            json_object_get(doc, "short-name-mode") || json_object_get(doc, "aliases"))
            return regconf_bad(err, path, "mixing sysregistry v1/v2 is not supported", NULL);
        return convert_v1(path, v1, c, err);
    }
    if (regs && !json_is_array(regs))
        return regconf_bad(err, path, "registry must be an array of tables", NULL);
    if (!(c->regs = calloc(json_array_size(regs) + 1, sizeof(*c->regs))))
        return berr_oom(err);
    json_array_foreach(regs, i, r)
        if (parse_registry(path, r, &c->regs[c->nregs++], err) < 0)
            return -1;
    json_t *usr = json_object_get(doc, "unqualified-search-registries");
    if (usr) {
        if (parse_strings(path, usr, "unqualified-search-registries", &c->search, err) < 0)
            return -1;
        c->search_set = true;
    }
    for (char **s = c->search; s && *s; s++) {
        size_t n = strlen(*s);
        while (n > 0 && (*s)[n - 1] == '/')
            (*s)[--n] = '\0';
        if (!domain_only(*s))
            return regconf_bad(err, path, "Invalid unqualified-search-registries entry \"%s\"", *s);
    }
    if (str_field(path, doc, "short-name-mode", &mode, err) < 0)
        return -1;
    if (mode && *mode) {
        if (!strcmp(mode, "permissive"))
            c->mode = SNM_PERMISSIVE;
        else if (!strcmp(mode, "enforcing"))
            c->mode = SNM_ENFORCING;
        else if (!strcmp(mode, "disabled"))
            c->mode = SNM_DISABLED;
        else
            return regconf_bad(err, path, "invalid short-name mode: \"%s\"", mode);
        c->mode_set = true;
    }
    return regconf_parse_aliases(path, json_object_get(doc, "aliases"), c, err);
}

/* Two entries for one location must agree on insecure and blocked. */
static int check_conflicts(const char *path, const struct regconf *c, struct berr **err)
{
    for (size_t i = 0; i < c->nregs; i++)
        for (size_t j = i + 1; j < c->nregs; j++) {
            const struct rc_registry *a = &c->regs[i], *b = &c->regs[j];
            const char *ka = *a->ep.location ? a->ep.location : a->prefix;
            const char *kb = *b->ep.location ? b->ep.location : b->prefix;
            if (!str_eq(ka, kb))
                continue;
            if (a->ep.insecure != b->ep.insecure)
                return regconf_bad(err, path, "registry '%s' is defined multiple times with "
                           "conflicting 'insecure' setting", a->ep.location);
            if (a->blocked != b->blocked)
                return regconf_bad(err, path, "registry '%s' is defined multiple times with "
                           "conflicting 'blocked' setting", a->ep.location);
        }
    return 0;
}

static int load_file(const char *path, bool force_v2, bool must_exist, struct regconf *c,
                     struct berr **err)
{
    _cleanup_free_ char *text = NULL;
    _cleanup_json_ json_t *doc = NULL;
    size_t len;

    log_debug("Loading registries configuration \"%s\"", path);
    if (fs_read_file(path, &text, &len, err) < 0) {
        if (!must_exist && (*err)->errnum == ENOENT) {
            berr_free(*err);
            *err = NULL;
            return 1;
        }
        return berr_wrap(err, "loading registries configuration \"%s\"", path);
    }
    if (toml_parse(text, len, path, &doc, err) < 0)
        return berr_wrap(err, "loading registries configuration \"%s\"", path);
    if (parse_doc(path, doc, force_v2, c, err) < 0 || check_conflicts(path, c, err) < 0)
        return -1;
    /* as c/image: the file, whether or not it sets the list (a drop-in
     * takes over only when it does, see merge()) */
    free(c->search_origin);
    if (!(c->search_origin = str_dup(path)))
        return berr_oom(err);
    return 0;
}

/* ---- merging ---- */

static int cmp_prefix(const void *a, const void *b)
{
    return strcmp(((const struct rc_registry *) a)->prefix, ((const struct rc_registry *) b)->prefix);
}

/* The first entry of a prefix wins within one file (c/image ignores the
 * rest); entries are kept sorted by prefix. */
static void dedup_sort(struct regconf *c)
{
    size_t k = 0;

    for (size_t i = 0; i < c->nregs; i++) {
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup |= str_eq(c->regs[j].prefix, c->regs[i].prefix);
        if (dup)
            registry_clear(&c->regs[i]);
        else
            c->regs[k++] = c->regs[i];
    }
    c->nregs = k;
    if (k > 1)
        qsort(c->regs, k, sizeof(*c->regs), cmp_prefix);
}

static int merge(struct regconf *dst, struct regconf *src, struct berr **err)
{
    for (size_t i = 0; i < src->nregs; i++) {
        struct rc_registry *slot = NULL;
        for (size_t j = 0; j < dst->nregs; j++)
            if (str_eq(dst->regs[j].prefix, src->regs[i].prefix))
                slot = &dst->regs[j];
        if (!slot) {
            struct rc_registry *nv = realloc(dst->regs, (dst->nregs + 1) * sizeof(*nv));
            if (!nv)
                return berr_oom(err);
            dst->regs = nv;
            slot = &nv[dst->nregs++];
        } else {
            registry_clear(slot);
        }
        *slot = src->regs[i];
        memset(&src->regs[i], 0, sizeof(src->regs[i]));
    }
    src->nregs = 0;
    dedup_sort(dst);
    if (src->search_set) {
        strv_free(dst->search);
        free(dst->search_origin);
        dst->search = STEAL_PTR(src->search);
        dst->search_origin = STEAL_PTR(src->search_origin);
        dst->search_set = true;
    }
    if (src->mode_set) {
        dst->mode = src->mode;
        dst->mode_set = true;
    }
    for (size_t i = 0; i < src->naliases; i++) {
        struct rc_alias *a = &src->aliases[i];
        if (regconf_add_alias(dst, a->name, a->value ? a->value : "", a->origin, err) < 0)
            return -1;
    }
    return 0;
}

static int dropins(const char *dir, char ***out, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(dir);
    struct dirent *de;

    if (!d)
        return errno == ENOENT || errno == ENOTDIR ? 0
               : berr_sys(err, "reading registries.conf.d: open %s", dir);
    while ((de = readdir(d))) {
        struct stat st;
        if (!str_has_suffix(de->d_name, ".conf") ||
            fstatat(dirfd(d), de->d_name, &st, 0) < 0 || S_ISDIR(st.st_mode))
            continue;
        if (strv_pushf(out, "%s/%s", dir, de->d_name) < 0)
            return berr_oom(err);
    }
    return 0;
}

int regconf_load(const char *path, struct regconf **out, struct berr **err)
{
    struct regconf *c = calloc(1, sizeof(*c));
    _cleanup_free_ char *user = str_fmt("%s/.config/containers/registries.conf", reg_home());
    _cleanup_free_ char *userd = str_fmt("%s/.config/containers/registries.conf.d", reg_home());
    _cleanup_free_ char *sys = reg_sys_path("/etc/containers/registries.conf");
    _cleanup_free_ char *sysd = reg_sys_path("/etc/containers/registries.conf.d");
    _cleanup_strv_ char **files = NULL;
    const char *main_file = path, *sysdir = sysd, *userdir = userd;
    int rc = -1;

    if (!c || !user || !userd || !sys || !sysd) {
        free(c);
        return berr_oom(err);
    }
    if (!main_file && fs_exists(user)) {
        main_file = user;
        sysdir = NULL;          /* a user file replaces the system dir too */
    } else if (!main_file) {
        main_file = sys;
    }
    if (load_file(main_file, false, path != NULL, c, err) < 0)
        goto out;
    dedup_sort(c);
    if ((sysdir && dropins(sysdir, &files, err) < 0) || dropins(userdir, &files, err) < 0)
        goto out;
    /* Each dir in name order, the system dir first. */
    size_t nsys = 0;
    for (char **f = files; f && *f; f++)
        nsys += sysdir && str_has_prefix(*f, sysdir);
    if (nsys > 1)
        strv_sort_n(files, nsys);
    if (files && strv_len(files) - nsys > 1)
        strv_sort_n(files + nsys, strv_len(files) - nsys);
    for (char **f = files; f && *f; f++) {
        struct regconf part = { 0 };
        int r = load_file(*f, true, true, &part, err);
        if (r == 0) {
            dedup_sort(&part);
            r = merge(c, &part, err);
        }
        regconf_clear(&part);
        if (r < 0) {
            berr_wrap(err, "loading drop-in registries configuration \"%s\"", *f);
            goto out;
        }
    }
    c->sources = str_fmt("%s%s%s%s%s", main_file, sysdir ? ", " : "", sysdir ? sysdir : "",
                         ", ", userdir);
    if (!c->sources) {
        berr_oom(err);
        goto out;
    }
    *out = c;
    c = NULL;
    rc = 0;
out:
    regconf_free(c);
    return rc;
}

/* ---- queries ---- */

/* Length of prefix when it matches ref at a boundary, else -1. */
static long prefix_match(const char *ref, const char *prefix)
{
    size_t lr = strlen(ref), lp = strlen(prefix);

    if (str_has_prefix(prefix, "*.")) {
        const char *hit = strstr(ref, prefix + 1);
        if (!hit || memchr(ref, '/', (size_t) (hit - ref)))
            return -1;
        size_t end = (size_t) (hit - ref) + strlen(prefix + 1);
        if (end == lr || ref[end] == ':' || ref[end] == '/' || ref[end] == '@')
            return (long) end;
        return -1;
    }
    if (lr < lp || strncmp(ref, prefix, lp))
        return -1;
    if (lr == lp || ref[lp] == ':' || ref[lp] == '/' || ref[lp] == '@')
        return (long) lp;
    return -1;
}

static const struct rc_registry *find(const struct regconf *c, const char *ref)
{
    const struct rc_registry *best = NULL;
    size_t best_len = 0;

    for (size_t i = 0; c && i < c->nregs; i++)
        if (prefix_match(ref, c->regs[i].prefix) >= 0 && strlen(c->regs[i].prefix) > best_len) {
            best = &c->regs[i];
            best_len = strlen(best->prefix);
        }
    return best;
}

void reg_sources_free(struct reg_source *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].ref);
    free(v);
}

static int add_source(struct reg_source *v, size_t *n, const struct rc_registry *r,
                      const struct rc_endpoint *e, const char *ref, bool mirror, struct berr **err)
{
    long pl = prefix_match(ref, r->prefix);

    if (pl < 0)
        return berr_msg(err, "invalid prefix '%s' for reference '%s'", r->prefix, ref);
    v[*n].ref = *e->location ? str_fmt("%s%s", e->location, ref + pl) : str_dup(ref);
    if (!v[*n].ref)
        return berr_oom(err);
    v[*n].insecure = e->insecure;
    v[*n].mirror = mirror;
    (*n)++;
    return 0;
}

int regconf_pull_sources(const struct regconf *c, const char *ref, struct reg_source **out,
                         size_t *n, struct berr **err)
{
    const struct rc_registry *r = find(c, ref);
    struct reg_source *v;
    bool digested = strchr(ref, '@') != NULL;

    *out = NULL;
    *n = 0;
    if (!(v = calloc((r ? r->nmirrors : 0) + 1, sizeof(*v))))
        return berr_oom(err);
    if (!r) {
        if (!(v[0].ref = str_dup(ref))) {
            free(v);
            return berr_oom(err);
        }
        *out = v;
        *n = 1;
        return 0;
    }
    if (r->blocked) {
        free(v);
        return berr_msg(err, "registry %s is blocked in %s", r->prefix, regconf_sources(c));
    }
    for (size_t i = 0; i < r->nmirrors; i++) {
        const struct rc_endpoint *m = &r->mirrors[i];
        if (r->by_digest_only && !digested)
            continue;
        if (str_eq(m->pull_from_mirror, "digest-only") && !digested)
            continue;
        if (str_eq(m->pull_from_mirror, "tag-only") && digested)
            continue;
        if (add_source(v, n, r, m, ref, true, err) < 0)
            goto fail;
    }
    if (add_source(v, n, r, &r->ep, ref, false, err) < 0)
        goto fail;
    *out = v;
    return 0;
fail:
    reg_sources_free(v, *n);
    *n = 0;
    return -1;
}

int regconf_host(const struct regconf *c, const char *ref, bool *insecure, bool *blocked,
                 struct berr **err)
{
    const struct rc_registry *r = find(c, ref);

    (void) err;
    *insecure = r && r->ep.insecure;
    *blocked = r && r->blocked;
    return 0;
}

enum short_name_mode regconf_short_name_mode(const struct regconf *c)
{
    return c && c->mode_set ? c->mode : SNM_PERMISSIVE;
}

char *const *regconf_search_registries(const struct regconf *c)
{
    static char *const none[] = { NULL };
    return c && c->search ? c->search : none;
}

const char *regconf_search_origin(const struct regconf *c)
{
    return c && c->search_origin ? c->search_origin : "";
}
