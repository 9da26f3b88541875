/*
 * cmd/pull.c: berth pull / image pull (runtime/image_pull.c does it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/progress.h"
#include "cmd/regopts.h"
#include "runtime/image_pull.h"
#include "util/cleanup.h"

enum { O_ARCH = 256, O_OS, O_VARIANT, O_PLATFORM, O_DCT, O_SIGPOL };

static const struct cmd_opt pull_opts[] = {
    { "all-tags", 'a', OPT_FLAG, NULL, "All tagged images in the repository will be pulled", 0 },
    { "arch", O_ARCH, OPT_ARG, "ARCH", "Use ARCH instead of the architecture of the machine "
      "for choosing images", 0 },
    REGOPT_AUTHFILE, REGOPT_CERT_DIR, REGOPT_CREDS,
    { "disable-content-trust", O_DCT, OPT_FLAG, NULL, "This is a Docker specific option and "
      "is a NOOP", 0 },
    { "os", O_OS, OPT_ARG, "OS", "Use OS instead of the running OS for choosing images", 0 },
    { "platform", O_PLATFORM, OPT_ARG, "string", "Specify the platform for selecting the "
      "image.  (Conflicts with arch and os)", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Suppress output information when pulling images", 0 },
    { "signature-policy", O_SIGPOL, OPT_ARG, "string", "Path to a signature-policy file",
      OPT_HIDDEN },
    REGOPT_TLS_VERIFY,
    { "variant", O_VARIANT, OPT_ARG, "string", "Use VARIANT instead of the running "
      "architecture variant for choosing images", 0 },
    { 0 }
};

static int pull_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct img_pull_opts o = { .reg.tls_verify = -1 };
    const char *platform = NULL;
    _cleanup_free_ char *pbuf = NULL;
    struct berr *last = NULL;
    bool quiet = false;
    struct progress prog;
    struct prog_view *view;
    struct runtime *rt;
    __attribute__((cleanup(prog_secret_free))) char *creds = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (regopt_apply(&it, c, &o.reg))
            continue;
        switch (c) {
        case 'a': o.all_tags = it.bval; break;
        case O_ARCH: o.arch = it.arg; break;
        case O_OS: o.os = it.arg; break;
        case O_VARIANT: o.variant = it.arg; break;
        case O_PLATFORM: platform = it.arg; break;
        case 'q': quiet = it.bval; break;
        case O_SIGPOL: o.signature_policy = it.arg; break;
        }
    }
    if (c < 0 || it.help) {
        opt_free(&it);
        return c;
    }
    if (it.nargs == 0) {
        opt_free(&it);
        return cmd_usage_err(cx, err, "requires at least 1 arg(s), only received 0");
    }
    if (platform) {
        if (o.arch || o.os)
            c = berr_kind(err, BK_INVALID, "--platform option can not be specified with "
                          "--arch or --os");
        else
            c = img_platform_parse(platform, &pbuf, &o.os, &o.arch, &o.variant, err);
    }
    if (c < 0 || prog_creds_complete(&o.reg.creds, &creds, err) < 0 ||
        cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return -1;
    }
    view = prog_view_stderr(quiet, &prog, &o.progress);
    if (prog_can_prompt()) {
        o.choose = prog_choose;
    }
    /* podman 4.3.1: each image in turn, its ids as it is pulled; a failure
     * does not stop the others; every error but the last is printed, the
     * last is the command's */
    for (int i = 0; i < it.nargs; i++) {
        struct berr *e = NULL;
        _cleanup_strv_ char **ids = NULL;
        if (img_pull(rt, it.args[i], &o, &ids, &e) < 0) {
            cmd_err_next(&last, e);
            continue;
        }
        for (char **id = ids; *id; id++)
            printf("%s\n", *id);
        fflush(stdout);
    }
    prog_view_free(view);
    opt_free(&it);
    if (last) {
        *err = last;
        return -1;
    }
    return 0;
}

const struct cmd cmd_pull = {
    .name = "pull",
    .summary = "Pull an image from a registry",
    .usage = "[options] IMAGE [IMAGE...]",
    .description =
        "Pulls each image from a registry (docker://, the default) into local\n"
        "storage and prints its id; a failure does not stop the others, and the\n"
        "last one is the command's error. A short name resolves through the aliases\n"
        "and unqualified-search-registries of registries.conf(5); credentials\n"
        "come from --creds or the auth file (containers-auth.json(5)), TLS\n"
        "certificates from certs.d or --cert-dir. Every blob is verified while\n"
        "it downloads; an interrupted pull leaves no image behind, and the next\n"
        "pull reuses the layers already complete.",
    .examples = "berth pull docker.io/library/busybox\n"
                "berth pull --tls-verify=false localhost:5000/app:1\n"
                "berth pull --platform linux/arm64 quay.io/org/app",
    .opts = pull_opts, .fn = pull_fn, .need = RT_FULL,
};
