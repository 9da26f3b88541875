/*
 * cmd/import.c: berth import / image import (a rootfs tarball in). The
 * image, its name and the event are runtime/image_io.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "runtime/changes.h"
#include "runtime/image.h"
#include "util/cleanup.h"
#include "util/str.h"

enum { O_ARCH = 256, O_OS, O_VARIANT };

static const struct cmd_opt import_opts[] = {
    { "arch", O_ARCH, OPT_ARG, "string", "Set the architecture of the imported image", 0 },
    { "change", 'c', OPT_ARG, "stringArray", "Apply a Dockerfile instruction to the image's "
      "config (repeatable): CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | "
      "USER | VOLUME | WORKDIR", 0 },
    { "message", 'm', OPT_ARG, "string", "Set the history comment of the imported image", 0 },
    { "os", O_OS, OPT_ARG, "string", "Set the OS of the imported image", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Suppress output (the image ID is still printed)", 0 },
    { "variant", O_VARIANT, OPT_ARG, "string", "Set the variant of the imported image", 0 },
    { 0 }
};

static int open_input(const char *path, int *fd, struct berr **err)
{
    if (!strcmp(path, "-")) {
        if (isatty(STDIN_FILENO))
            return berr_msg(err, "cannot read from terminal, use command-line redirection");
        *fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
    } else {
        *fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    return *fd < 0 ? berr_sys(err, "open %s", path) : 0;
}

static int import_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct img_import_opts o = { 0 };
    _cleanup_strv_ char **changes = NULL;
    _cleanup_json_ json_t *config = NULL;
    _cleanup_free_ char *name = NULL;
    _cleanup_close_ int fd = -1;
    struct runtime *rt;
    char id[65];
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'c':
            if (strv_push(&changes, it.arg) < 0)
                c = berr_oom(err);
            break;
        case 'm': o.comment = it.arg; break;
        case O_ARCH: o.arch = it.arg; break;
        case O_OS: o.os = it.arg; break;
        case O_VARIANT: o.variant = it.arg; break;
        }
        if (c < 0)
            break;
    }
    if (c == 0 && !it.help && (it.nargs < 1 || it.nargs > 2))
        c = cmd_usage_err(cx, err, "accepts between 1 and 2 arg(s), received %d", it.nargs);
    /* Everything the user typed is checked before the store is touched. */
    if (c == 0 && !it.help && changes_apply(NULL, changes, &config, err) < 0)
        c = -1;
    if (c == 0 && !it.help && it.nargs == 2 && img_import_name(it.args[1], &name, err) < 0)
        c = -1;
    if (c == 0 && !it.help && open_input(it.args[0], &fd, err) < 0)
        c = -1;
    if (c < 0 || it.help) {
        opt_free(&it);
        return c;
    }
    o.config = config;
    o.name = name;
    o.name_typed = name ? it.args[1] : NULL;
    int r = cx_runtime(cx, RT_FULL, &rt, err) < 0 || img_import(rt, fd, &o, id, err) < 0 ? -1 : 0;
    if (r == 0)
        printf("sha256:%s\n", id);
    opt_free(&it);
    return r;
}

const struct cmd cmd_import = {
    .name = "import",
    .summary = "Import a tarball to create a filesystem image",
    .usage = "[options] PATH|- [REFERENCE]",
    .description =
        "Makes a one-layer image from a root file system tarball (plain, gzip,\n"
        "zstd, xz or bzip2; - reads stdin). The layer is stored as a plain tar, so\n"
        "its digest is its diff id; it is unpacked once, never writing outside its\n"
        "directory. The config gets the host's architecture and OS (or --arch,\n"
        "--os, --variant), a history entry with --message, and the Dockerfile\n"
        "instructions of --change, read as docker reads them (ENV A=1 B=2 sets two\n"
        "variables; podman 4.3.1 would set one). Without REFERENCE the image has no\n"
        "name; a short REFERENCE gets localhost/. Prints the image ID.",
    .examples = "berth import rootfs.tar\n"
                "cat rootfs.tar.gz | berth import -m 'from ctr' - localhost/myimg\n"
                "berth import -c 'CMD [\"/bin/sh\"]' -c 'ENV PATH=/bin' rootfs.tar box",
    .opts = import_opts, .fn = import_fn, .need = RT_FULL,
};
