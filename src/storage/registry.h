/*
 * storage/registry.h: the registry client (Docker Registry HTTP API v2,
 * OCI distribution) and the configuration files it shares with podman,
 * skopeo and buildah. The image runtime (runtime/image_pull.c) drives it:
 * it decides which names to try, in which order, and which pull policy
 * applies; everything here works on fully-qualified references.
 *
 *   registry/regconf.c   registries.conf(5) and registries.conf.d: files,
 *                        merging, prefixes, mirrors, pull sources
 *   registry/aliases.c   short-name aliases and their cache file
 *   registry/authfile.c  auth.json(5) and docker's config.json
 *   registry/certs.c     certs.d(5): CAs, client certificates
 *   registry/policy.c    policy.json(5)
 *   registry/platform.c  the entry of a manifest list a platform picks
 *   registry/http.c      transfers on libcurl (multi), retries
 *   registry/auth.c      WWW-Authenticate challenges, registry errors
 *   registry/client.c    hosts: ping, Basic and Bearer auth, requests
 *   registry/lists.c     tags, catalog, a tag's manifest digest
 *   registry/pull.c      registry -> store: manifest, config, record
 *   registry/pull_layers.c  the layers: parallel, verified, streamed into
 *                        layers, committed so a crash leaves none of the
 *                        image visible and the whole layers reusable
 *   registry/push.c      store -> registry: HEAD, mount, PATCH/PUT uploads
 *   registry/compress.c  layers recompressed for push (gzip, zstd)
 *
 * Secrets never appear in an error, a log line or an event: credentials
 * and tokens live in the client and in request headers only.
 */
#ifndef BERTH_STORAGE_REGISTRY_H
#define BERTH_STORAGE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/progress.h"

struct store;

/* ---- registries.conf ------------------------------------------------- */

enum short_name_mode { SNM_PERMISSIVE, SNM_ENFORCING, SNM_DISABLED };

struct regconf;

/* Reads the registries configuration: path (CONTAINERS_REGISTRIES_CONF),
 * else $HOME/.config/containers/registries.conf if it exists, else
 * /etc/containers/registries.conf; then the *.conf drop-ins of
 * /etc/containers/registries.conf.d and $HOME/.config/containers/
 * registries.conf.d, in name order (containers-registries.conf(5)). A
 * missing default file is an empty configuration; a missing explicit one
 * is an error. */
int regconf_load(const char *path, struct regconf **out, struct berr **err);
void regconf_free(struct regconf *c);
/* "path, dir, dir": where the configuration came from, for messages. */
const char *regconf_sources(const struct regconf *c);

/* Where to pull a normalized reference ("host/path:tag[@digest]") from:
 * the mirrors that apply, then the registry itself, each with the
 * reference rewritten to its location. A blocked registry is an error. */
struct reg_source {
    char *ref;                  /* rewritten: "mirror:5000/path:tag" */
    bool insecure;              /* no TLS verification, HTTP allowed */
    bool mirror;
};
int regconf_pull_sources(const struct regconf *c, const char *ref, struct reg_source **out,
                         size_t *n, struct berr **err);
void reg_sources_free(struct reg_source *v, size_t n);
/* Whether a registry host (or "host/path" reference) is marked insecure;
 * an error when it is blocked and blocked_err is set. */
int regconf_host(const struct regconf *c, const char *ref, bool *insecure, bool *blocked,
                 struct berr **err);

enum short_name_mode regconf_short_name_mode(const struct regconf *c);
/* unqualified-search-registries (may be empty) and the file that set it. */
char *const *regconf_search_registries(const struct regconf *c);
const char *regconf_search_origin(const struct regconf *c);

/* The short-name alias cache file podman writes after a prompt:
 * /var/cache/containers/short-name-aliases.conf for root, else
 * $XDG_CACHE_HOME (or ~/.cache)/containers/short-name-aliases.conf.
 * malloc'd. */
char *regconf_alias_cache_path(void);
/* The alias of a short repository name ("busybox"): from the cache file
 * first, then the configuration. *value is "host/path" (NULL when none,
 * or when the alias is "" which disables it); *origin the file. */
int regconf_alias(const struct regconf *c, const char *cache, const char *name, char **value,
                  char **origin, struct berr **err);
/* Records name = value in the cache file (locked, written atomically). */
int regconf_alias_record(const char *cache, const char *name, const char *value,
                         struct berr **err);

/* ---- auth files ------------------------------------------------------ */

/* The file login writes: override (--authfile / REGISTRY_AUTH_FILE), else
 * ${XDG_RUNTIME_DIR}/containers/auth.json, else
 * /run/containers/<uid>/auth.json. malloc'd. */
char *authfile_primary(const char *override);
/* Credentials for a registry key ("host", or "host/ns/repo" which is
 * looked up from the most specific entry to the host): the primary file,
 * then $XDG_CONFIG_HOME/containers/auth.json, $HOME/.docker/config.json
 * and $HOME/.dockercfg. Returns 1 and fills user/pass when found, 0 when
 * not; *from names the file. */
int authfile_get(const char *override, const char *key, char **user, char **pass, char **from,
                 struct berr **err);
/* Stores user:pass for key in path (created 0600 in a 0700 dir, written
 * atomically; other entries and keys kept). */
int authfile_set(const char *path, const char *key, const char *user, const char *pass,
                 struct berr **err);
/* Removes key from path: BK_NO_SUCH "not logged into KEY" when absent. */
int authfile_remove(const char *path, const char *key, struct berr **err);
/* Removes every entry of path ("auths": {}). */
int authfile_remove_all(const char *path, struct berr **err);

/* ---- policy.json ----------------------------------------------------- */

struct policy;
/* path NULL: $HOME/.config/containers/policy.json if it exists, else
 * /etc/containers/policy.json. */
int policy_load(const char *path, struct policy **out, struct berr **err);
void policy_free(struct policy *p);
/* May an image come from transport ("docker", "docker-archive", ...)
 * at scope (docker: "host/path:tag" or "host/path@digest"; archives:
 * the path)? 0 yes; -1 rejected, or a requirement berth cannot check
 * (signatures), with podman's words. */
int policy_allows(const struct policy *p, const char *transport, const char *scope,
                  struct berr **err);

/* ---- the client ------------------------------------------------------ */

struct reg_client_opts {
    const char *authfile;       /* --authfile or REGISTRY_AUTH_FILE, or NULL */
    const char *cert_dir;       /* --cert-dir, or NULL: certs.d */
    const char *username;       /* --creds / login: override the auth files */
    const char *password;
    int tls_verify;             /* -1: registries.conf decides; 0 or 1: the flag */
    const struct regconf *conf; /* insecure registries; may be NULL */
};
struct reg_client;
int reg_client_new(const struct reg_client_opts *o, struct reg_client **out, struct berr **err);
void reg_client_free(struct reg_client *c);
/* Marks a host insecure for this client (a pull source from
 * registries.conf that says so). */
int reg_client_insecure(struct reg_client *c, const char *host, struct berr **err);

/* Checks credentials against host the way login does: GET /v2/ with
 * Basic, or a token for no scope from the Bearer realm. A refusal is
 * "invalid username/password". */
int reg_check_login(struct reg_client *c, const char *host, struct berr **err);
/* Every tag of host/repo (all pages). */
int reg_list_tags(struct reg_client *c, const char *host, const char *repo, char ***out,
                  struct berr **err);
/* The manifest digest ref ("host/path:tag") has now (HEAD, else GET):
 * "sha256:...", what pull would fetch for a single-image tag or the list
 * for a multi-platform one. */
int reg_manifest_digest(struct reg_client *c, const char *ref, char digest[72],
                        struct berr **err);
/* Splits a fully-qualified "host/path:tag@digest" into its parts
 * (malloc'd); tag and digest may come back NULL. */
int reg_split_ref(const char *ref, char **host, char **repo, char **tag, char **digest,
                  struct berr **err);
/* The registry host of a fully-qualified reference, malloc'd. */
int reg_ref_host(const char *ref, char **host, struct berr **err);
/* The repositories of host's /v2/_catalog (all pages up to limit; 0: all). */
int reg_catalog(struct reg_client *c, const char *host, size_t limit, char ***out,
                struct berr **err);

/* ---- pull and push ----------------------------------------------------- */

struct store_pull_opts {
    const char *os, *arch, *variant;    /* platform for lists; NULL: the host's */
    char *const *names;         /* names the image gets (normalized) */
    const struct progress *progress;
};
/* Pulls ref ("host/path:tag" or "host/path@digest", already rewritten for
 * a mirror) into the store. Every blob is verified against its digest as
 * it arrives and every layer against the config's diff ids; layers
 * download in parallel and unpack as they stream. A layer is committed
 * as soon as it is whole, so a later pull reuses it; the image record
 * comes last, so an interrupted pull leaves no image. The manifest list's
 * digest, when there was one, becomes one of the image's digests. */
int store_pull(struct store *s, struct reg_client *c, const char *ref,
               const struct store_pull_opts *o, char id[65], struct berr **err);
/* Every tag of a repository, for pull --all-tags. */
int store_pull_tags(struct reg_client *c, const char *repo_ref, char ***tags, struct berr **err);

struct store_push_opts {
    const char *format;         /* "oci", "v2s2", or NULL: the image's own */
    const char *compression;    /* "gzip", "zstd", or NULL: as stored (plain
                                   layers are gzipped) */
    const struct progress *progress;
};
/* Pushes the image (full id) to ref ("host/path:tag"). Blobs the registry
 * has (HEAD) are not sent again; blobs of another repository of the same
 * registry the image came from are mounted. *digest: the manifest's. */
int store_push(struct store *s, struct reg_client *c, const char *id, const char *ref,
               const struct store_push_opts *o, char digest[72], struct berr **err);

#endif
