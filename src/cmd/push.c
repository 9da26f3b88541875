/*
 * cmd/push.c: berth push / image push (runtime/image_push.c does it).
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/progress.h"
#include "cmd/regopts.h"
#include "runtime/image_pull.h"

enum { O_COMPRESS = 256, O_COMPRESSION, O_DIGESTFILE, O_DCT, O_REMOVE_SIGS, O_SIGN_BY,
       O_SIGN_SIGSTORE, O_SIGN_PASS };

static const struct cmd_opt push_opts[] = {
    REGOPT_AUTHFILE, REGOPT_CERT_DIR,
    { "compress", O_COMPRESS, OPT_FLAG, NULL, "Compress tarball image layers when pushing to "
      "a directory using the 'dir' transport (accepted; layers go as stored)", 0 },
    { "compression-format", O_COMPRESSION, OPT_ARG, "string", "compression format to use "
      "(gzip or zstd; default: as stored, uncompressed layers gzipped)", 0 },
    REGOPT_CREDS,
    { "digestfile", O_DIGESTFILE, OPT_ARG, "string", "Write the digest of the pushed image to "
      "the specified file", 0 },
    { "disable-content-trust", O_DCT, OPT_FLAG, NULL, "This is a Docker specific option and "
      "is a NOOP", 0 },
    { "format", 'f', OPT_ARG, "string", "Manifest type (oci or v2s2) to use in the destination "
      "(default is manifest type of source)", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Suppress output information when pushing images", 0 },
    { "remove-signatures", O_REMOVE_SIGS, OPT_FLAG, NULL, "Discard any pre-existing "
      "signatures in the image (berth stores none)", 0 },
    { "sign-by", O_SIGN_BY, OPT_ARG, "string", "Add a signature at the destination using the "
      "specified key (not supported: refused)", 0 },
    { "sign-by-sigstore-private-key", O_SIGN_SIGSTORE, OPT_ARG, "PATH", "Sign the image using "
      "a sigstore private key at PATH (not supported: refused)", 0 },
    { "sign-passphrase-file", O_SIGN_PASS, OPT_ARG, "PATH", "Read a passphrase for signing an "
      "image from PATH (not supported: refused)", 0 },
    REGOPT_TLS_VERIFY,
    { 0 }
};

static int push_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct img_push_opts o = { .reg.tls_verify = -1 };
    const char *sign = NULL;
    bool quiet = false;
    struct progress prog;
    struct prog_view *view;
    struct runtime *rt;
    __attribute__((cleanup(prog_secret_free))) char *creds = NULL;
    int c, rc;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (regopt_apply(&it, c, &o.reg))
            continue;
        switch (c) {
        case O_COMPRESS: o.compress = it.bval; break;
        case O_COMPRESSION: o.compression = it.arg; break;
        case O_DIGESTFILE: o.digestfile = it.arg; break;
        case 'f': o.format = it.arg; break;
        case 'q': quiet = it.bval; break;
        case O_SIGN_BY: case O_SIGN_SIGSTORE: case O_SIGN_PASS: sign = it.opt->name; break;
        }
    }
    char *src = it.nargs > 0 ? it.args[0] : NULL, *dest = it.nargs > 1 ? it.args[1] : NULL;
    int nargs = it.nargs;
    opt_free(&it);
    if (c < 0 || it.help)
        return c;
    if (nargs < 1 || nargs > 2)
        return cmd_usage_err(cx, err, "requires at least 1 and at most 2 arg(s), only received %d",
                             nargs);
    if (sign)
        return berr_kind(err, BK_INVALID, "--%s: berth cannot sign images", sign);
    if (prog_creds_complete(&o.reg.creds, &creds, err) < 0 ||
        cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    view = prog_view_stderr(quiet, &prog, &o.progress);
    rc = img_push(rt, src, dest, &o, err);
    prog_view_free(view);
    return rc;
}

const struct cmd cmd_push = {
    .name = "push",
    .summary = "Push an image to a specified destination",
    .usage = "[options] IMAGE [DESTINATION]",
    .description =
        "Pushes a local image to a registry (docker://, the default), or to\n"
        "docker-archive:PATH[:NAME], oci-archive:PATH[:NAME], oci:DIR[:NAME] or\n"
        "dir:DIR. Blobs the registry has are not sent again; a blob of another\n"
        "repository of the same registry is mounted instead of uploaded. Layers\n"
        "go as stored (a pulled image keeps its digest); uncompressed ones are\n"
        "gzipped, and --compression-format converts.",
    .examples = "berth push localhost:5000/app:1\n"
                "berth push --creds user:pass app quay.io/me/app:1\n"
                "berth push app oci-archive:/tmp/app.tar",
    .opts = push_opts, .fn = push_fn, .need = RT_FULL,
};
