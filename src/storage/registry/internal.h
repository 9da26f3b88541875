/*
 * storage/registry/internal.h: what the registry client's files share.
 */
#ifndef BERTH_REGISTRY_INTERNAL_H
#define BERTH_REGISTRY_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "storage/registry.h"
#include "storage/registry/http.h"
#include "util/err.h"

#define MT_DOCKER_V2S2 "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_CFG "application/vnd.docker.container.image.v1+json"
#define MT_DOCKER_LAYER "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define MT_DOCKER_LAYER_ZSTD "application/vnd.docker.image.rootfs.diff.tar.zstd"
#define MT_DOCKER_FOREIGN "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
#define MT_DOCKER_V2S1 "application/vnd.docker.distribution.manifest.v1+json"
#define MT_DOCKER_V2S1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_CFG "application/vnd.oci.image.config.v1+json"
#define MT_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"
#define MT_OCI_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_OCI_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"

/* A manifest or config as the registry sent it: at most c/image's limit. */
#define REG_DOC_MAX (4u << 20)

/* A system path, under $BERTH_CONFIG_ROOT when that is set (tests point
 * /etc/containers, /etc/docker and /var/cache at a directory of their
 * own, as runtime/config.c does for /etc/berth). malloc'd. */
char *reg_sys_path(const char *path);
/* $HOME, or the passwd entry's home; "" when neither. Not malloc'd. */
const char *reg_home(void);

/* ---- auth.c: challenges and tokens ---- */
struct reg_challenge {
    char *scheme;               /* "basic", "bearer" (lower case) */
    char *realm, *service, *scope;
};
void reg_challenge_clear(struct reg_challenge *c);
/* Parses a WWW-Authenticate value; the first challenge wins (Bearer is
 * preferred when both are offered). -1: not a challenge we know. */
int reg_challenge_parse(const char *hdr, struct reg_challenge *out);
/* A registry's JSON error body ("errors": [{"code", "message"}]) as
 * distribution's errcode prints it: "manifest unknown: manifest unknown";
 * NULL when the body is not one. malloc'd. */
char *reg_error_text(const char *body, size_t len);

/* ---- client.c ---- */
/* One request to host with the credentials scope needs ("repository:
 * a/b:pull", "" for none). The transfer is prepared by the caller (the
 * URL path relative to "/v2/": "a/b/manifests/latest"); a 401 gets new
 * credentials once. */
int reg_do(struct reg_client *c, const char *host, const char *scope, struct http_xfer *x,
           struct berr **err);
/* Prepares x for host: "<scheme>://<host>/v2/<path>". */
int reg_xfer(struct reg_client *c, const char *host, struct http_xfer *x, const char *method,
             const char *path, struct berr **err);
/* The Authorization header line for host and scope (NULL: none needed);
 * for transfers run outside reg_do (parallel blob downloads). */
int reg_auth_header(struct reg_client *c, const char *host, const char *scope, char **out,
                    struct berr **err);
/* Forgets the token of scope (a 401 mid-way: expired). */
void reg_auth_forget(struct reg_client *c, const char *host, const char *scope);
struct http *reg_http(struct reg_client *c);
/* "reading manifest X in host/repo: <why>" style text for a failed
 * transfer: the registry's error, or the status, or libcurl's words. */
char *reg_why(const struct http_xfer *x);
/* The API host for a registry name (docker.io -> registry-1.docker.io). */
const char *reg_api_host(const char *host);


/* ---- compress.c ---- */
/* Compresses the plain tar of the blob file in (any compression) into
 * the new file out with target ("gzip" or "zstd"); its digest and size. */
int blob_compress(const char *in, const char *out, const char *target, char digest[72],
                  int64_t *size, struct berr **err);

/* ---- certs.c ---- */
/* TLS for host: verify as asked, CAs and client certificate from
 * cert_dir (NULL: certs.d under /etc/containers, /etc/docker, and for
 * rootless ~/.config/containers). */
int certs_load(const char *cert_dir, const char *host, bool verify, struct http_tls *out,
               struct berr **err);

/* ---- platform.c: manifest lists ---- */
struct platform {
    const char *os, *arch, *variant;    /* variant may be NULL */
};
/* The host's platform (GOOS/GOARCH names: linux, amd64, arm64/v8...). */
void platform_host(struct platform *p);
/* Normalizes arch/variant as c/image does (x86_64 -> amd64, aarch64 ->
 * arm64, arm64 default variant v8, arm default v7). Strings are static
 * or borrowed from the input. */
void platform_normalize(struct platform *p);
/* Picks the entry of a manifest list or OCI index for want: the index of
 * the best match in "manifests", or -1 with an error naming the platform. */
int platform_pick(json_t *list, const struct platform *want, struct berr **err);

#endif
