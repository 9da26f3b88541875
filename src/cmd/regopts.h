/*
 * cmd/regopts.h: the registry flags pull, push, login, logout, search and
 * run/create share, one definition each (help text and parsing).
 */
#ifndef BERTH_CMD_REGOPTS_H
#define BERTH_CMD_REGOPTS_H

#include <stdbool.h>

#include "runtime/image_pull.h"
#include "util/opt.h"

enum { REGOPT_ID_AUTHFILE = 900, REGOPT_ID_CERT_DIR, REGOPT_ID_CREDS, REGOPT_ID_TLS_VERIFY };

#define REGOPT_AUTHFILE                                                                  \
    { "authfile", REGOPT_ID_AUTHFILE, OPT_ARG, "string", "Path of the authentication "    \
      "file. Use REGISTRY_AUTH_FILE environment variable to override", 0 }
#define REGOPT_CERT_DIR                                                                  \
    { "cert-dir", REGOPT_ID_CERT_DIR, OPT_ARG, "Pathname", "Pathname of a directory "     \
      "containing TLS certificates and keys", 0 }
#define REGOPT_CREDS                                                                     \
    { "creds", REGOPT_ID_CREDS, OPT_ARG, "Credentials", "Credentials (USERNAME:PASSWORD) " \
      "to use for authenticating to a registry", 0 }
#define REGOPT_TLS_VERIFY                                                                \
    { "tls-verify", REGOPT_ID_TLS_VERIFY, OPT_FLAG, NULL, "Require HTTPS and verify "     \
      "certificates when contacting registries (default true)", 0 }

/* Takes c when it is one of the shared flags (true). */
static inline bool regopt_apply(const struct opt_it *it, int c, struct img_reg_opts *o)
{
    switch (c) {
    case REGOPT_ID_AUTHFILE: o->authfile = it->arg; return true;
    case REGOPT_ID_CERT_DIR: o->cert_dir = it->arg; return true;
    case REGOPT_ID_CREDS: o->creds = it->arg; return true;
    case REGOPT_ID_TLS_VERIFY: o->tls_verify = it->bval ? 1 : 0; return true;
    default: return false;
    }
}

#endif
