/*
 * storage/registry/authfile.c: credentials in containers-auth.json(5)
 * files and docker's config.json, read and written as c/image does.
 *
 * {"auths": {"host[:port][/ns/repo]": {"auth": base64("user:password")}}}
 *
 * Lookups go from the most specific key to the host ("r.io/a/b/c",
 * "r.io/a/b", "r.io/a", "r.io") in each file in turn; docker's keys
 * ("https://index.docker.io/v1/") are normalized to a host first. Writes
 * go to one file, replaced atomically (temp file, fsync, rename) with
 * mode 0600 in a 0700 directory, and keep every other key of the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/registry/internal.h"
#include "util/base64.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

char *authfile_primary(const char *override)
{
    const char *x = getenv("XDG_RUNTIME_DIR");

    if (override && *override)
        return str_dup(override);
    if (x && *x)
        return str_fmt("%s/containers/auth.json", x);
    return str_fmt("/run/containers/%u/auth.json", (unsigned) geteuid());
}

/* "https://index.docker.io/v1/" -> "docker.io"; "http://h:5000/x" -> "h:5000". */
static char *normalize_key(const char *k)
{
    bool scheme = false;

    if (str_has_prefix(k, "https://")) {
        k += 8;
        scheme = true;
    } else if (str_has_prefix(k, "http://")) {
        k += 7;
        scheme = true;
    }
    size_t n = scheme && strchr(k, '/') ? (size_t) (strchr(k, '/') - k) : strlen(k);
    char *out = str_ndup(k, n);
    if (out && (!strcmp(out, "index.docker.io") || !strcmp(out, "registry-1.docker.io"))) {
        free(out);
        out = str_dup("docker.io");
    }
    return out;
}

/* Reads path; a missing file is an empty one (*doc = {}). */
static int read_doc(const char *path, json_t **doc, bool *exists, struct berr **err)
{
    _cleanup_free_ char *text = NULL;
    json_error_t je;
    size_t len;

    *exists = false;
    if (fs_read_file(path, &text, &len, err) < 0) {
        if ((*err)->errnum != ENOENT)
            return berr_wrap(err, "reading JSON file \"%s\"", path);
        berr_free(*err);
        *err = NULL;
        return (*doc = json_object()) ? 0 : berr_oom(err);
    }
    *exists = true;
    if (len == 0)
        return (*doc = json_object()) ? 0 : berr_oom(err);
    if (!(*doc = json_loadb(text, len, 0, &je)) || !json_is_object(*doc)) {
        json_decref(*doc);
        *doc = NULL;
        return berr_msg(err, "unmarshaling JSON at \"%s\": %s", path, je.text);
    }
    return 0;
}

/* Decodes an "auth" value into user and password. */
static int decode_auth(const char *path, const char *key, const char *auth, char **user,
                       char **pass, struct berr **err)
{
    _cleanup_free_ char *plain = NULL;
    size_t len;
    char *colon;

    if (b64_decode(auth, &plain, &len) < 0 || !(colon = memchr(plain, ':', len)))
        return berr_msg(err, "%s: the credentials of \"%s\" are not valid base64 of "
                        "user:password", path, key);
    *colon = '\0';
    if (!(*user = str_dup(plain)) || !(*pass = str_dup(colon + 1))) {
        free(*user);
        *user = NULL;
        explicit_bzero(plain, len);
        return berr_oom(err);
    }
    explicit_bzero(plain, len);
    return 0;
}

/* Looks key (and its parents) up in one file: 1 found, 0 not. */
static int lookup_file(const char *path, bool legacy, const char *key, char **user, char **pass,
                       struct berr **err)
{
    _cleanup_json_ json_t *doc = NULL;
    _cleanup_free_ char *k = str_dup(key);
    bool exists;

    if (!k)
        return berr_oom(err);
    if (read_doc(path, &doc, &exists, err) < 0)
        return -1;
    if (!exists)
        return 0;
    json_t *auths = legacy ? doc : json_object_get(doc, "auths");
    json_t *helpers = json_object_get(doc, "credHelpers");
    for (;;) {
        const char *fk;
        json_t *ent;
        json_object_foreach(auths, fk, ent) {
            _cleanup_free_ char *nk = normalize_key(fk);
            const char *a = js_str(ent, "auth", NULL);
            if (!nk)
                return berr_oom(err);
            if (strcmp(nk, k) || !a || !*a)
                continue;
            return decode_auth(path, fk, a, user, pass, err) < 0 ? -1 : 1;
        }
        if (json_object_get(helpers, k))
            log_warn("%s: credential helper \"%s\" for %s is not supported; ignoring it",
                     path, js_str(helpers, k, ""), k);
        char *slash = strrchr(k, '/');
        if (!slash)
            return 0;
        *slash = '\0';
    }
}

int authfile_get(const char *override, const char *key, char **user, char **pass, char **from,
                 struct berr **err)
{
    _cleanup_free_ char *primary = authfile_primary(override);
    const char *xdg = getenv("XDG_CONFIG_HOME");
    _cleanup_free_ char *cfg = xdg && *xdg ? str_fmt("%s/containers/auth.json", xdg)
                                           : str_fmt("%s/.config/containers/auth.json", reg_home());
    _cleanup_free_ char *docker = str_fmt("%s/.docker/config.json", reg_home());
    _cleanup_free_ char *legacy = str_fmt("%s/.dockercfg", reg_home());
    const char *paths[] = { primary, cfg, docker, legacy };

    *user = *pass = NULL;
    if (from)
        *from = NULL;
    if (!primary || !cfg || !docker || !legacy)
        return berr_oom(err);
    for (size_t i = 0; i < 4; i++) {
        int r = lookup_file(paths[i], i == 3, key, user, pass, err);
        if (r < 0)
            return -1;
        if (r > 0) {
            if (from && !(*from = str_dup(paths[i])))
                return berr_oom(err);
            return 1;
        }
    }
    return 0;
}

/* Writes doc as Go's json.MarshalIndent(v, "", "\t") lays it out. */
static int write_doc(const char *path, json_t *doc, struct berr **err)
{
    _cleanup_free_ char *dir = fs_dirname(path);
    _cleanup_free_ char *text = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS);
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

    if (!dir || !text)
        return berr_oom(err);
    /* JSON strings hold no raw newline: a line's leading spaces are
     * its indentation, one per level. */
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t) (e - p) : strlen(p);
        size_t sp = 0;
        while (sp < n && p[sp] == ' ')
            sp++;
        sbuf_addpad(&b, '\t', sp);
        sbuf_addn(&b, p + sp, n - sp);
        if (!e)
            break;
        sbuf_addc(&b, '\n');
        p = e + 1;
    }
    if (b.oom)
        return berr_oom(err);
    if (fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    return fs_write_atomic(dir, base, b.buf, b.len, 0600, err);
}

int authfile_set(const char *path, const char *key, const char *user, const char *pass,
                 struct berr **err)
{
    _cleanup_json_ json_t *doc = NULL;
    _cleanup_free_ char *plain = str_fmt("%s:%s", user, pass);
    _cleanup_free_ char *enc = plain ? b64_encode(plain, strlen(plain)) : NULL;
    bool exists;
    json_t *auths;

    if (!plain || !enc)
        return berr_oom(err);
    explicit_bzero(plain, strlen(plain));
    if (read_doc(path, &doc, &exists, err) < 0)
        return -1;
    auths = json_object_get(doc, "auths");
    if (!json_is_object(auths)) {
        if (!(auths = json_object()) || json_object_set_new(doc, "auths", auths) < 0)
            return berr_oom(err);
    }
    if (json_object_set_new(auths, key, json_pack("{s:s}", "auth", enc)) < 0)
        return berr_oom(err);
    int rc = write_doc(path, doc, err);
    explicit_bzero(enc, strlen(enc));
    return rc;
}

int authfile_remove(const char *path, const char *key, struct berr **err)
{
    _cleanup_json_ json_t *doc = NULL;
    bool exists, found = false;
    const char *k;
    json_t *v, *auths;
    void *tmp;

    if (read_doc(path, &doc, &exists, err) < 0)
        return -1;
    auths = json_object_get(doc, "auths");
    json_object_foreach_safe(auths, tmp, k, v) {
        _cleanup_free_ char *nk = normalize_key(k);
        if (nk && !strcmp(nk, key)) {
            json_object_del(auths, k);
            found = true;
        }
    }
    if (!found)
        return berr_kind(err, BK_NO_SUCH, "not logged into %s", key);
    return write_doc(path, doc, err);
}

int authfile_remove_all(const char *path, struct berr **err)
{
    _cleanup_json_ json_t *doc = NULL;
    bool exists;

    if (read_doc(path, &doc, &exists, err) < 0)
        return -1;
    if (json_object_set_new(doc, "auths", json_object()) < 0)
        return berr_oom(err);
    return write_doc(path, doc, err);
}
