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
 * pulled (*pulled set). id gets its full id. */
int img_pull_policy(struct runtime *rt, const char *ref, enum img_pull_policy policy,
                    const struct img_pull_opts *o, char id[65], bool *pulled,
                    struct berr **err);

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

/* "os/arch[/variant]" into its parts (pointers into a copy in *buf). */
int img_platform_parse(const char *platform, char **buf, const char **os, const char **arch,
                       const char **variant, struct berr **err);

#endif
