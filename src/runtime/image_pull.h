/*
 * runtime/image_pull.h: images from and to registries, the engine's side
 * (podman's libimage pull/push, plus login, logout and search): which
 * names a reference means (short names through aliases and the search
 * registries, prompting only through the caller), which registries to
 * try (mirrors from registries.conf), the policy (policy.json), the pull
 * policies of run/create, and the events. The registry client and the
 * store do the transfers (storage/registry.h).
 *
 *   image_pull.c      pull, pull policies
 *   image_push.c      push
 *   image_registry.c  login, logout, search, and what the three share
 *                     with pull and push (client options, registries.conf)
 */
#ifndef BERTH_RUNTIME_IMAGE_PULL_H
#define BERTH_RUNTIME_IMAGE_PULL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/progress.h"

struct img;

struct runtime;

/* The registry flags pull, push, login and search share. */
struct img_reg_opts {
    const char *authfile;       /* --authfile; NULL: $REGISTRY_AUTH_FILE, else the default */
    const char *cert_dir;       /* --cert-dir */
    const char *creds;          /* --creds "user[:password]" */
    int tls_verify;             /* --tls-verify: -1 not given, 0, 1 */
};

/* Asks the user to pick one of n names (a terminal prompt): the index,
 * or -1 with *err set. */
typedef int (*img_choose_fn)(void *ctx, char *const *names, size_t n, struct berr **err);

struct img_pull_opts {
    struct img_reg_opts reg;
    const char *os, *arch, *variant;    /* NULL: the host's */
    const char *signature_policy;       /* --signature-policy (hidden), or NULL */
    bool all_tags;
    const struct progress *progress;    /* lines and bars; NULL: quiet */
    img_choose_fn choose;               /* NULL: never prompt */
    void *choose_ctx;
};

/* Pulls ref ("[transport:]name"; a bare name is docker://). ids gets the
 * id of every image pulled (one, or one per tag with all_tags), as a
 * NULL-terminated strv. */
int img_pull(struct runtime *rt, const char *ref, const struct img_pull_opts *o, char ***ids,
             struct berr **err);

enum img_pull_policy { IMG_PULL_MISSING, IMG_PULL_ALWAYS, IMG_PULL_NEVER, IMG_PULL_NEWER };
/* The image run/create use for ref under the pull policy: the local one
 * (missing, never, or newer when the registry has nothing newer), else
 * pulled (*pulled set). id gets its full id. found (may be NULL): the
 * local image as looked up, for ctr_create_params.image_found, when ref
 * names it as it is (no transport) and nothing was pulled; else NULL. */
int img_pull_policy(struct runtime *rt, const char *ref, enum img_pull_policy policy,
                    const struct img_pull_opts *o, char id[65], bool *pulled,
                    struct img **found, struct berr **err);

/* ---- image_push.c ---- */

struct img_push_opts {
    struct img_reg_opts reg;
    const char *format;                 /* --format oci|v2s2, or NULL: the image's own */
    const char *compression;            /* --compression-format gzip|zstd, or NULL */
    const char *digestfile;             /* --digestfile: the manifest digest goes there */
    bool compress;                      /* --compress (dir: only) */
    const struct progress *progress;    /* NULL: quiet */
};
/* Pushes the local image src to dest ("[transport:]name"; NULL: src's
 * own name; a bare name is docker://). A push event. */
int img_push(struct runtime *rt, const char *src, const char *dest,
             const struct img_push_opts *o, struct berr **err);

/* ---- image_registry.c: login, logout, search (no runtime needed) ---- */

/* The auth file key for what login/logout were given: "registry[:port]
 * [/namespace...]", a scheme and trailing slashes dropped, docker.io's
 * aliases folded. With none given, the first unqualified-search registry. */
int img_auth_key(const char *arg, char **key, struct berr **err);
/* The auth file login writes and logout edits (malloc'd). */
char *img_auth_path(const struct img_reg_opts *o);
/* Checks user/password against the registry, then stores them. */
int img_login(const char *key, const struct img_reg_opts *o, const char *user,
              const char *password, struct berr **err);
/* The user stored for key (--get-login); BK_NO_SUCH "not logged into". */
int img_login_user(const char *key, const struct img_reg_opts *o, char **user,
                   struct berr **err);
/* Removes key's credentials (all: every one). */
int img_logout(const char *key, const struct img_reg_opts *o, bool all, struct berr **err);

struct img_search_result {
    char *index, *name, *description, *tag;
    int stars;
    bool official, automated;
};
struct img_search_opts {
    struct img_reg_opts reg;
    size_t limit;                       /* per registry; 0: 25 */
    bool list_tags;
    char *const *filters;               /* stars=N, is-official=BOOL, is-automated=BOOL */
};
/* Searches the registries' catalogs (term "registry/" lists one; a term
 * without a registry searches the unqualified-search registries), or
 * lists the tags of one repository. */
int img_search(const char *term, const struct img_search_opts *o,
               struct img_search_result **out, size_t *n, struct berr **err);
void img_search_free(struct img_search_result *v, size_t n);

/* "os/arch[/variant]" into its parts (pointers into a copy in *buf). */
int img_platform_parse(const char *platform, char **buf, const char **os, const char **arch,
                       const char **variant, struct berr **err);

#endif
