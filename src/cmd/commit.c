/*
 * cmd/commit.c: commit / container commit, a container's changes as a
 * new image (runtime/ctr_commit.c; storage/commit.c stores it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/progress.h"
#include "runtime/changes.h"
#include "runtime/container.h"
#include "runtime/image.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

enum { O_IIDFILE = 256, O_INCLUDE_VOLUMES };

static const struct cmd_opt commit_opts[] = {
    { "author", 'a', OPT_ARG, "string", "Set the author for the image committed", 0 },
    { "change", 'c', OPT_ARG, "stringArray", "Apply the following possible instructions to the "
      "created image (repeatable): CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | "
      "STOPSIGNAL | USER | VOLUME | WORKDIR", 0 },
    { "format", 'f', OPT_ARG, "Format", "Format of the image manifest and metadata: oci or "
      "docker (default \"oci\")", 0 },
    { "iidfile", O_IIDFILE, OPT_ARG, "file", "Write the image ID to the file", 0 },
    { "include-volumes", O_INCLUDE_VOLUMES, OPT_FLAG, NULL,
      "Include container volumes as image volumes", 0 },
    { "message", 'm', OPT_ARG, "string", "Set commit message for imported image (docker format "
      "only)", 0 },
    { "pause", 'p', OPT_FLAG, NULL, "Pause the container during commit (default true)", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Suppress output", 0 },
    { "squash", 's', OPT_FLAG, NULL, "Squash the image into one layer: the whole root file "
      "system", 0 },
    { 0 }
};

struct commit_args {
    struct ctr_commit_opts o;
    strv changes;
    const char *format, *iidfile;
    bool quiet;
};

/* Everything the user typed, checked before any container is looked at. */
static int check_args(struct cmd_ctx *cx, struct opt_it *it, struct commit_args *a,
                      char **name, struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL;

    if (it->nargs < 1 || it->nargs > 2)
        return cmd_usage_err(cx, err, "accepts between 1 and 2 arg(s), received %d", it->nargs);
    if (a->format && strcmp(a->format, "oci") && strcmp(a->format, "docker"))
        return berr_msg(err, "unrecognized image format \"%s\"", a->format);
    a->o.docker = a->format && !strcmp(a->format, "docker");
    if (a->o.message && *a->o.message && !a->o.docker)
        return berr_msg(err, "messages are only compatible with the docker image format "
                             "(-f docker)");
    if (changes_apply(NULL, a->changes, &cfg, err) < 0)
        return -1;
    if (it->nargs == 2 && img_import_name(it->args[1], name, err) < 0)
        return -1;
    return 0;
}

static int write_iidfile(const char *path, const char *id, struct berr **err)
{
    _cleanup_free_ char *dir = str_dup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;

    if (!dir)
        return berr_oom(err);
    if (slash)
        *slash = '\0';
    return fs_write_atomic(slash ? (*dir ? dir : "/") : ".", slash ? slash + 1 : path, id,
                           strlen(id), 0644, err);
}

static int commit_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct commit_args a = { .o = { .pause = true } };
    _cleanup_free_ char *name = NULL;
    _cleanup_ctr_ struct ctr *c = NULL;
    struct prog_view *view = NULL;
    struct progress prog;
    struct runtime *rt;
    char id[65];
    int ch, r = -1;

    cmd_opt_init(&it, cx);
    while ((ch = opt_next(&it, argc, argv, err)) > 0) {
        switch (ch) {
        case 'a': a.o.author = it.arg; break;
        case 'c':
            if (strv_push(&a.changes, it.arg) < 0)
                ch = berr_oom(err);
            break;
        case 'f': a.format = it.arg; break;
        case 'm': a.o.message = it.arg; break;
        case 'p': a.o.pause = it.bval; break;
        case 'q': a.quiet = it.bval; break;
        case 's': a.o.squash = it.bval; break;
        case O_IIDFILE: a.iidfile = it.arg; break;
        case O_INCLUDE_VOLUMES: a.o.include_volumes = it.bval; break;
        }
        if (ch < 0)
            break;
    }
    if (ch == 0 && !it.help && check_args(cx, &it, &a, &name, err) < 0)
        ch = -1;
    if (ch < 0 || it.help) {
        strv_free(a.changes);
        opt_free(&it);
        return ch < 0 ? -1 : 0;
    }
    a.o.changes = a.changes;
    a.o.name = name;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || ctr_get(rt, it.args[0], &c, err) < 0)
        goto out;
    view = prog_view_stderr(a.quiet, &prog, &a.o.progress);
    r = ctr_commit(rt, c, &a.o, id, err);
    prog_view_free(view);
    if (r < 0)
        goto out;
    r = -1;
    if (a.iidfile && write_iidfile(a.iidfile, id, err) < 0) {
        berr_wrap(err, "failed to write image ID to file %s", a.iidfile);
        goto out;
    }
    printf("%s\n", id);
    r = 0;
out:
    strv_free(a.changes);
    opt_free(&it);
    return r;
}

const struct cmd cmd_commit = {
    .name = "commit",
    .summary = "Create new image based on the changed container",
    .usage = "[options] CONTAINER [IMAGE]",
    .description =
        "Makes an image of a container: its image's layers plus one layer of what\n"
        "the container changed (`berth diff` lists it; the files every container\n"
        "gets, /etc/hosts, /etc/resolv.conf, /run/.containerenv, are left out), or\n"
        "with --squash one layer of the whole root file system. The image's config\n"
        "is the container's: its image's, then its environment, command,\n"
        "entrypoint, working directory, user and labels, then each --change. The\n"
        "history gets an entry (author, \"FROM image\"). A running container is\n"
        "frozen while its files are read unless --pause=false. Without IMAGE the\n"
        "image has no name; a short IMAGE gets localhost/. --message needs\n"
        "--format docker, as in podman. Prints the image ID; podman's copy lines\n"
        "(a blob per layer of the image, the config, the manifest; bars on a\n"
        "terminal) go to stderr unless --quiet. Writes a commit event.",
    .examples = "berth commit -q web localhost/web:v2\n"
                "berth commit -a 'Jo' -c 'CMD [\"/bin/app\"]' -c 'ENV MODE=prod' web app\n"
                "berth commit -f docker -m 'fixed config' web app:fixed",
    .opts = commit_opts, .fn = commit_fn, .need = RT_FULL,
};
