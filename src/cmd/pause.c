/*
 * cmd/pause.c: pause and unpause (runtime/ctr_pause.c does the work).
 */
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "runtime/container.h"
#include "runtime/ctr_ps.h"
#include "util/cleanup.h"
#include "util/fs.h"

enum { P_ALL = 'a', P_FILTER = 'f', P_LATEST = 'l', P_CIDFILE = 256 };

static const struct cmd_opt pause_opts[] = {
    { "all", P_ALL, OPT_FLAG, NULL, "Pause all running containers", 0 },
    { "cidfile", P_CIDFILE, OPT_ARG, "stringArray", "Read the container ID from the file", 0 },
    { "filter", P_FILTER, OPT_ARG, "strings", "Filter output based on conditions given", 0 },
    { "latest", P_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { 0 }
};

static const struct cmd_opt unpause_opts[] = {
    { "all", P_ALL, OPT_FLAG, NULL, "Unpause all paused containers", 0 },
    { "cidfile", P_CIDFILE, OPT_ARG, "stringArray", "Read the container ID from the file", 0 },
    { "filter", P_FILTER, OPT_ARG, "strings", "Filter output based on conditions given", 0 },
    { "latest", P_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { 0 }
};

struct pause_args {
    bool unpause, all, latest;
    strv names;                 /* operands and --cidfile contents */
    strv filters;
};

static int one(struct ctr_each *e, struct ctr *c, const char *input, struct berr **err)
{
    struct pause_args *a = e->arg;
    struct berr *e1 = NULL;

    if ((a->unpause ? ctr_unpause(e->rt, c, &e1) : ctr_pause(e->rt, c, &e1)) < 0) {
        /* --all passes over the containers in another state */
        if (a->all && e1->kind == BK_STATE) {
            berr_free(e1);
            return 0;
        }
        *err = e1;
        return -1;
    }
    printf("%s\n", input);
    return 0;
}

static int read_cidfile(const char *path, strv *names, struct berr **err)
{
    _cleanup_free_ char *text = NULL;

    if (fs_read_file(path, &text, NULL, err) < 0)
        return berr_wrap(err, "reading CIDFile");
    if (strv_push(names, str_trim(text)) < 0)
        return berr_oom(err);
    return 0;
}

static int parse(struct cmd_ctx *cx, int argc, char **argv, struct opt_it *it,
                 struct pause_args *a, struct berr **err)
{
    int c;

    cmd_opt_init(it, cx);
    while ((c = opt_next(it, argc, argv, err)) > 0) {
        switch (c) {
        case P_ALL: a->all = it->bval; break;
        case P_LATEST: a->latest = it->bval; break;
        case P_CIDFILE:
            if (read_cidfile(it->arg, &a->names, err) < 0)
                return -1;
            break;
        case P_FILTER: {
            _cleanup_strv_ strv f = strv_split(it->arg, ",");
            for (size_t i = 0; f && f[i]; i++)
                if (strv_push(&a->filters, f[i]) < 0)
                    return berr_oom(err);
            break;
        }
        }
    }
    if (c < 0 || it->help)
        return c;
    for (int i = 0; i < it->nargs; i++)
        if (strv_push(&a->names, it->args[i]) < 0)
            return berr_oom(err);
    /* podman's checks, in podman's order and words */
    if (a->filters && it->nargs)
        return berr_msg(err, "--filter takes no arguments");
    if (a->all && a->latest)
        return berr_msg(err, "--all and --latest cannot be used together");
    if (a->all && a->names)
        return berr_msg(err, "no arguments are needed with --all");
    if (a->latest && a->names)
        return berr_msg(err, "--latest and containers cannot be used together");
    if (!a->all && !a->latest && !a->filters && !a->names)
        return berr_msg(err, "you must provide at least one name or id");
    return 0;
}

static int pause_run(struct cmd_ctx *cx, int argc, char **argv, bool unpause, struct berr **err)
{
    struct opt_it it;
    struct pause_args a = { .unpause = unpause };
    _cleanup_strv_ strv ids = NULL;
    struct runtime *rt;
    int r = parse(cx, argc, argv, &it, &a, err);

    if (r == 0 && !it.help && cx_runtime(cx, RT_FULL, &rt, err) == 0) {
        struct ctr_each e = { .rt = rt, .all = a.all && !a.filters, .latest = a.latest,
                              .fn = one, .arg = &a };
        if (a.filters) {
            /* the matching containers, by full id, as podman prints them */
            r = ctr_ps_select(rt, a.filters, &ids, NULL, err);
            if (r == 0)
                r = ctr_each_run(&e, ids, (int) strv_len(ids), err);
        } else {
            r = ctr_each_run(&e, a.names, (int) strv_len(a.names), err);
        }
    } else if (r == 0 && !it.help) {
        r = -1;
    }
    strv_free(a.names);
    strv_free(a.filters);
    opt_free(&it);
    return r < 0 ? -1 : 0;
}

static int pause_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return pause_run(cx, argc, argv, false, err);
}

static int unpause_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return pause_run(cx, argc, argv, true, err);
}

#define PAUSE_DESC "Freezes every process of each running container (the OCI runtime's pause:\n" \
    "the freezer cgroup). A paused container shows \"paused\" in ps -a and inspect;\n" \
    "exec and start refuse it, rm needs --force, kill works, and stop thaws it and\n" \
    "stops it (podman 4.3.1's stop fails on it and leaves it paused).\n" \
    "Filters are ps's (--filter name=web, label=k=v, status=running, ...)."
#define UNPAUSE_DESC "Thaws paused containers: their processes run again where they were."

const struct cmd cmd_pause = { .name = "pause", .summary = "Pause all the processes in one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = PAUSE_DESC,
    .examples = "berth pause web\nberth pause --all", .opts = pause_opts, .fn = pause_fn,
    .need = RT_FULL };
const struct cmd cmd_unpause = { .name = "unpause", .summary = "Unpause the processes in one or more containers",
    .usage = "[options] CONTAINER [CONTAINER...]", .description = UNPAUSE_DESC,
    .examples = "berth unpause web\nberth unpause --all", .opts = unpause_opts, .fn = unpause_fn,
    .need = RT_FULL };
