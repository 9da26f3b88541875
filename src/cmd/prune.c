/*
 * cmd/prune.c: container prune, removing every container that is not
 * running (runtime/ctr_prune.c picks them).
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/prune.h"
#include "runtime/container.h"
#include "util/cleanup.h"

enum { P_FORCE = 'f', P_FILTER = 256 };

static const struct cmd_opt prune_opts[] = {
    { "filter", P_FILTER, OPT_ARG, "stringArray", "Provide filter values (e.g. 'label=<key>=<value>')", 0 },
    { "force", P_FORCE, OPT_FLAG, NULL, "Do not prompt for confirmation.  The default is false", 0 },
    { 0 }
};

static int prune_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    _cleanup_strv_ char **filters = NULL, **ids = NULL;
    bool force = false;
    int c, rc = 0;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == P_FORCE)
            force = it.bval;
        else if (c == P_FILTER && strv_push(&filters, it.arg) < 0)
            rc = -1;
    }
    if (rc < 0)
        c = berr_oom(err);
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (!force && (c = cmd_confirm("This will remove all non running containers.", err)) <= 0)
        return c;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    rc = prune_containers(rt, filters, &ids, err);
    for (size_t i = 0; ids && ids[i]; i++)
        printf("%s\n", ids[i]);
    return rc;
}

int prune_containers(struct runtime *rt, char *const *filters, strv *removed,
                     struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    struct berr *last = NULL;

    if (ctr_prune_ids(rt, filters, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        struct berr *e = NULL;
        if (ctr_remove_id(rt, ids[i], false, 0, &e) < 0) {
            cmd_err_next(&last, e);
            continue;
        }
        if (strv_push(removed, ids[i]) < 0) {
            berr_oom(&e);
            cmd_err_next(&last, e);
        }
    }
    if (last) {
        *err = last;
        return -1;
    }
    return 0;
}

#define PRUNE_DESC "Removes every container that is not running or paused (created, stopped and\n" \
    "exited ones) and is in no pod (pod prune removes those), printing the id of each,\n" \
    "after a question unless --force.\n" \
    "Filters narrow it: label=KEY or label=KEY=VALUE (all must match), label!=...\n" \
    "(none may match), until=TIMESTAMP or until=DURATION (created before then,\n" \
    "a duration counting back from now)."

const struct cmd cmd_container_prune = { .name = "prune", .summary = "Remove all non running containers",
    .usage = "[options]", .description = PRUNE_DESC,
    .examples = "berth container prune\nberth container prune -f --filter until=10m\nberth container prune -f --filter label=tmp",
    .opts = prune_opts, .fn = prune_fn, .need = RT_FULL };
