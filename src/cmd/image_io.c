/*
 * cmd/image_io.c: berth load (docker-archive / oci-archive in) and save.
 * The archives, the names recorded and the events are runtime/image_io.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "runtime/image.h"
#include "util/cleanup.h"

enum { O_INPUT = 'i', O_QUIET = 'q' };

static const struct cmd_opt load_opts[] = {
    { "input", 'i', OPT_ARG, "string", "Read from the archive FILE instead of stdin", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Suppress the output", 0 },
    { 0 }
};

static int load_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    const char *input = NULL;
    struct runtime *rt;
    struct img_loaded *v = NULL;
    size_t n = 0;
    _cleanup_close_ int fd = -1;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        /* -q: berth prints no progress; "Loaded image:" stays, as podman's */
        if (c == O_INPUT)
            input = it.arg;
    }
    int nargs = it.nargs;
    opt_free(&it);
    if (c < 0 || it.help)
        return c;
    if (nargs > 0)
        return cmd_usage_err(cx, err, "`%s` takes no arguments", cx->path);
    if (!input || !strcmp(input, "-")) {
        if (isatty(STDIN_FILENO))
            return berr_msg(err, "cannot read from terminal, use command-line redirection "
                            "or the --input flag");
        fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
    } else {
        fd = open(input, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0)
        /* podman stats the file first */
        return berr_sys(err, "%s %s", input ? "stat" : "open", input ? input : "stdin");
    struct stat st;
    bool dir = input && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 ||
        (dir ? img_load_dir(rt, input, &v, &n, err)
             : img_load(rt, fd, input ? input : "", &v, &n, err)) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].names || !v[i].names[0])
            printf("Loaded image: sha256:%s\n", v[i].id);
        for (char **nm = v[i].names; nm && *nm; nm++)
            printf("Loaded image: %s\n", *nm);
    }
    img_loaded_free(v, n);
    return 0;
}

const struct cmd cmd_load = {
    .name = "load",
    .summary = "Load image(s) from a tar archive",
    .usage = "[options]",
    .description =
        "Loads every image of a docker-archive or oci-archive (told apart by\n"
        "content; the archive may be compressed) from --input or stdin, or of an\n"
        "oci-dir or docker-dir directory given as --input. Every\n"
        "blob is checked against its digest and each layer against the config's\n"
        "diff ids; a bad archive leaves the store as it was.",
    .examples = "berth load -i busybox.tar\nberth load < busybox.tar",
    .opts = load_opts, .fn = load_fn, .need = RT_FULL,
};

/* ---- save ------------------------------------------------------------------ */

enum { O_FORMAT = 256, O_COMPRESS, O_UNCOMPRESSED };

static const struct cmd_opt save_opts[] = {
    { "compress", O_COMPRESS, OPT_FLAG, NULL, "Compress tarball image layers when saving to "
      "a directory using the 'dir' transport (docker-dir only; layers are saved as stored)", 0 },
    { "format", O_FORMAT, OPT_ARG, "string", "Save image to oci-archive, oci-dir (directory "
      "with oci manifest type), docker-archive, docker-dir (directory with v2s2 manifest "
      "type) (default \"docker-archive\")", 0 },
    { "multi-image-archive", 'm', OPT_FLAG, NULL, "Interpret additional arguments as images "
      "not tags and create a multi-image-archive (only for docker-archive)", 0 },
    { "output", 'o', OPT_ARG, "string", "Write to a specified file (default: stdout, which "
      "must be redirected)", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Suppress the output", 0 },
    { "uncompressed", O_UNCOMPRESSED, OPT_FLAG, NULL, "Accept uncompressed layers when "
      "copying OCI images (accepted; layers are saved as stored)", 0 },
    { 0 }
};

static int save_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    const char *output = NULL, *format = "docker-archive";
    bool multi = false, compress = false;
    struct runtime *rt;
    int c, r;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'o': output = it.arg; break;
        case O_FORMAT: format = it.arg; break;
        case 'm': multi = it.bval; break;
        case O_COMPRESS: compress = it.bval; break;
        }
    }
    if (c == 0 && !it.help && it.nargs == 0)
        c = cmd_usage_err(cx, err, "need at least 1 argument");
    if (c == 0 && !it.help && compress && !str_eq(format, "docker-dir"))
        c = berr_msg(err, "--compress can only be set when --format is 'docker-dir'");
    if (c == 0 && !it.help && img_save_check(format, (size_t) it.nargs, output, multi, err) < 0)
        c = -1;
    if (c == 0 && !it.help && !output && isatty(STDOUT_FILENO))
        c = berr_msg(err, "refusing to save to terminal. Use -o flag or redirect");
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    r = img_save(rt, it.args, (size_t) it.nargs, format, output, STDOUT_FILENO, multi, err);
    opt_free(&it);
    return r;
}

const struct cmd cmd_save = {
    .name = "save", .summary = "Save image(s) to an archive",
    .usage = "[options] IMAGE [IMAGE...]",
    .description =
        "Writes images to a docker-archive (default) or oci-archive file, or to an\n"
        "oci-dir or docker-dir directory, with -o or to stdout when it is not a\n"
        "terminal. The config and the layer blobs are the ones the image came with,\n"
        "so loading the archive (in berth or podman) gives the same image id and\n"
        "layer digests. The name given is recorded as RepoTags /\n"
        "org.opencontainers.image.ref.name; an id records none. As podman's, the\n"
        "names after the first are more names of the first image in a docker-archive\n"
        "(ignored in the other formats); with -m they are images, one manifest.json\n"
        "entry each (docker-archive only). A docker-archive is never written over a\n"
        "file that has data.",
    .examples = "berth save -o busybox.tar busybox\n"
                "berth save -m -o imgs.tar busybox localhost/confd\n"
                "berth save -o bb.tar busybox localhost/busybox:v1\n"
                "berth save busybox | gzip > busybox.tar.gz",
    .opts = save_opts, .fn = save_fn, .need = RT_FULL,
};
