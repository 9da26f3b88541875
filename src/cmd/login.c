/*
 * cmd/login.c: berth login and logout (runtime/image_registry.c does the
 * work: the credentials are checked against the registry, then stored in
 * the auth file, mode 0600, written atomically).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/progress.h"
#include "cmd/regopts.h"
#include "runtime/image_pull.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

enum { O_GET_LOGIN = 256, O_PASSWORD_STDIN };

static const struct cmd_opt login_opts[] = {
    { "authfile", REGOPT_ID_AUTHFILE, OPT_ARG, "string", "path of the authentication file. Use "
      "REGISTRY_AUTH_FILE environment variable to override", 0 },
    { "cert-dir", REGOPT_ID_CERT_DIR, OPT_ARG, "string", "use certificates at the specified "
      "path to access the registry", 0 },
    { "get-login", O_GET_LOGIN, OPT_FLAG, NULL, "Return the current login user for the "
      "registry", 0 },
    { "password", 'p', OPT_ARG, "string", "Password for registry", 0 },
    { "password-stdin", O_PASSWORD_STDIN, OPT_FLAG, NULL, "Take the password from stdin", 0 },
    { "tls-verify", REGOPT_ID_TLS_VERIFY, OPT_FLAG, NULL, "Require HTTPS and verify "
      "certificates when contacting registries", 0 },
    { "username", 'u', OPT_ARG, "string", "Username for registry", 0 },
    { "verbose", 'v', OPT_FLAG, NULL, "Write more detailed information to stdout", 0 },
    { 0 }
};

static int read_stdin_password(char **out, struct berr **err)
{
    char *buf = NULL;
    size_t len = 0;

    if (fs_read_fd(STDIN_FILENO, &buf, &len) < 0)
        return berr_sys(err, "reading password from stdin");
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    *out = buf;
    return 0;
}

static int login_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct img_reg_opts o = { .tls_verify = -1 };
    const char *user_arg = NULL, *pass_arg = NULL;
    bool get_login = false, pass_stdin = false, verbose = false;
    _cleanup_free_ char *key = NULL, *user = NULL, *path = NULL;
    __attribute__((cleanup(prog_secret_free))) char *pass = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (regopt_apply(&it, c, &o))
            continue;
        switch (c) {
        case O_GET_LOGIN: get_login = it.bval; break;
        case 'p': pass_arg = it.arg; break;
        case O_PASSWORD_STDIN: pass_stdin = it.bval; break;
        case 'u': user_arg = it.arg; break;
        case 'v': verbose = it.bval; break;
        }
    }
    const char *reg = it.nargs > 0 ? it.args[0] : NULL;
    int nargs = it.nargs;
    opt_free(&it);
    if (c < 0 || it.help)
        return c;
    if (nargs > 1)
        return cmd_usage_err(cx, err, "accepts at most 1 arg(s), received %d", nargs);
    if (img_auth_key(reg, &key, err) < 0)
        return -1;
    if (get_login) {
        if (img_login_user(key, &o, &user, err) < 0)
            return -1;
        printf("%s\n", user);
        return 0;
    }
    if (pass_arg && pass_stdin)
        return berr_kind(err, BK_INVALID, "can't specify both --password-stdin and --password");
    if (pass_stdin && !user_arg)
        return berr_kind(err, BK_INVALID, "must provide --username with --password-stdin");
    if (!(path = img_auth_path(&o)))
        return berr_oom(err);
    if (verbose)
        printf("Used:  %s\n", path);
    if (user_arg && !(user = str_dup(user_arg)))
        return berr_oom(err);
    if (pass_arg && !(pass = str_dup(pass_arg)))
        return berr_oom(err);
    if (pass_stdin && read_stdin_password(&pass, err) < 0)
        return -1;
    if (!user && prog_prompt("username", false, &user, err) < 0)
        return -1;
    if (!pass && prog_prompt("password", true, &pass, err) < 0)
        return -1;
    if (img_login(key, &o, user, pass, err) < 0)
        return -1;
    printf("Login Succeeded!\n");
    return 0;
}

const struct cmd cmd_login = {
    .name = "login",
    .summary = "Login to a container registry",
    .usage = "[options] [REGISTRY]",
    .description =
        "Checks the credentials against the registry (Basic, or a Bearer token from its\n"
        "realm) and stores them in the auth file: --authfile, $REGISTRY_AUTH_FILE, or\n"
        "${XDG_RUNTIME_DIR}/containers/auth.json (containers-auth.json(5)), written\n"
        "atomically with mode 0600. REGISTRY may name a namespace (quay.io/team): those\n"
        "credentials are used for its repositories only. Without REGISTRY, the first\n"
        "unqualified-search registry of registries.conf.",
    .examples = "berth login quay.io\n"
                "berth login -u alice --password-stdin localhost:5000 < pw.txt\n"
                "berth login --get-login quay.io",
    .opts = login_opts, .fn = login_fn, .need = RT_NONE,
};

/* ---- logout ---- */

static const struct cmd_opt logout_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Remove the cached credentials for all registries in the "
      "auth file", 0 },
    { "authfile", REGOPT_ID_AUTHFILE, OPT_ARG, "string", "path of the authentication file. Use "
      "REGISTRY_AUTH_FILE environment variable to override", 0 },
    { 0 }
};

static int logout_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct img_reg_opts o = { .tls_verify = -1 };
    _cleanup_free_ char *key = NULL;
    bool all = false;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (regopt_apply(&it, c, &o))
            continue;
        if (c == 'a')
            all = it.bval;
    }
    const char *reg = it.nargs > 0 ? it.args[0] : NULL;
    int nargs = it.nargs;
    opt_free(&it);
    if (c < 0 || it.help)
        return c;
    if (nargs > 1)
        return cmd_usage_err(cx, err, "accepts at most 1 arg(s), received %d", nargs);
    if (all) {
        if (img_logout(NULL, &o, true, err) < 0)
            return -1;
        printf("Removed login credentials for all registries\n");
        return 0;
    }
    if (img_auth_key(reg, &key, err) < 0 || img_logout(key, &o, false, err) < 0)
        return -1;
    printf("Removed login credentials for %s\n", key);
    return 0;
}

const struct cmd cmd_logout = {
    .name = "logout",
    .summary = "Logout of a container registry",
    .usage = "[options] [REGISTRY]",
    .description =
        "Removes the credentials of REGISTRY (or, with --all, of every registry) from\n"
        "the auth file login writes; the other entries of the file stay.",
    .examples = "berth logout quay.io\nberth logout --all",
    .opts = logout_opts, .fn = logout_fn, .need = RT_NONE,
};
