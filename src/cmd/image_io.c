/*
 * cmd/image_io.c: berth load (docker-archive / oci-archive in).
 * save and import are not built yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "runtime/runtime.h"
#include "storage/store.h"
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
    bool quiet = false;
    struct runtime *rt;
    struct store *s;
    struct store_loaded *v = NULL;
    size_t n = 0;
    _cleanup_close_ int fd = -1;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == O_INPUT)
            input = it.arg;
        else if (c == O_QUIET)
            quiet = true;
    }
    int nargs = it.nargs;
    opt_free(&it);
    if (c < 0 || it.help)
        return c;
    if (nargs > 0)
        return cmd_usage_err(cx, err, "accepts no arguments (use --input)");
    if (!input || !strcmp(input, "-")) {
        if (isatty(STDIN_FILENO))
            return berr_msg(err, "cannot read from terminal, use command-line redirection "
                            "or the --input flag");
        fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
    } else {
        fd = open(input, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0)
        return berr_sys(err, "open %s", input ? input : "stdin");
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || rt_store(rt, &s, err) < 0)
        return -1;
    if (store_load(s, fd, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct event e = { .type = "image", .status = "loadfromarchive", .id = v[i].id,
                           .name = input ? input : "" };
        rt_event(rt, &e);
        if (quiet)
            continue;
        if (!v[i].names || !v[i].names[0])
            printf("Loaded image: sha256:%s\n", v[i].id);
        for (char **nm = v[i].names; nm && *nm; nm++)
            printf("Loaded image: %s\n", *nm);
    }
    store_loaded_free(v, n);
    return 0;
}

#define LOAD_CMD(var, nm)                                                              \
    const struct cmd var = {                                                           \
        .name = nm,                                                                    \
        .summary = "Load image(s) from a tar archive",                                 \
        .usage = "[options]",                                                          \
        .description =                                                                 \
            "Loads every image of a docker-archive or oci-archive (told apart by\n"    \
            "content; the archive may be compressed) from --input or stdin. Every\n"   \
            "blob is checked against its digest and each layer against the config's\n" \
            "diff ids; a bad archive leaves the store as it was.",                     \
        .examples = "berth load -i busybox.tar\nberth load < busybox.tar",             \
        .opts = load_opts, .fn = load_fn, .need = RT_FULL,                             \
    }
LOAD_CMD(cmd_load, "load");
LOAD_CMD(cmd_image_load, "load");
