/*
 * cmd/ctr_each.c: one operation over several containers (see ctr_each.h),
 * for the commands of cmd/lifecycle.c, cmd/ctr_misc.c and cmd/port.c.
 * The containers are found and locked by runtime/ctr_get.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/ctr_each.h"
#include "util/cleanup.h"

static int set_code(struct ctr_each *e, struct berr *err)
{
    if (err->kind == BK_NO_SUCH && e->code_no_such)
        err->exit_code = e->code_no_such;
    else if (err->kind == BK_STATE && e->code_state)
        err->exit_code = e->code_state;
    return -1;
}

static int one(struct ctr_each *e, const char *input, bool by_id, struct berr **err)
{
    _cleanup_ctr_ struct ctr *c = NULL;
    int r = e->any ? (by_id ? ctr_get_id_any(e->rt, input, &c, err) : ctr_get_any(e->rt, input, &c, err))
                   : (by_id ? ctr_get_id(e->rt, input, &c, err) : ctr_get(e->rt, input, &c, err));

    if (r < 0 && e->external && *err && (*err)->kind == BK_NO_SUCH) {
        struct berr *e1 = NULL;
        int gone = ctr_remove_external(e->rt, input, &e1);

        if (gone != 0) {
            berr_freep(err);
            if (gone < 0)
                return set_code(e, *err = e1);
            if (!e->quiet)
                printf("%s\n", input);
            return 0;
        }
    }
    if (r < 0) {
        if (e->ignore && *err && (*err)->kind == BK_NO_SUCH) {
            berr_freep(err);
            return 0;
        }
        return set_code(e, *err);
    }
    if (e->fn(e, c, input, err) < 0)
        return set_code(e, *err);
    return 0;
}

int ctr_each_run(struct ctr_each *e, char **names, int n, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    char latest[STATE_ID_LEN + 1];
    int failed = 0;

    if (e->latest) {
        if (ctr_latest(e->rt, latest, err) < 0)
            return -1;
        return one(e, latest, true, err);
    }
    if (e->all) {
        if (ctr_list_ids(e->rt, &ids, err) < 0)
            return -1;
        names = ids;
        n = (int) strv_len(ids);
    }
    /* podman looks every name up before it acts on any: a missing one
     * fails the command with nothing done (--ignore and rm -f aside) */
    if (!e->all && !e->listed && !e->ignore && !e->external && n > 1) {
        const char *ns = e->rt->cfg->namespace && *e->rt->cfg->namespace ? e->rt->cfg->namespace : NULL;
        for (int i = 0; i < n; i++) {
            char id[STATE_ID_LEN + 1];
            if (state_lookup(e->rt->st, OBJ_CONTAINER, names[i], ns, id, err) < 0) {
                if ((*err)->kind == BK_NO_SUCH)
                    return set_code(e, *err);
                berr_freep(err);
            }
        }
    }
    for (int i = 0; i < n; i++) {
        struct berr *e1 = NULL;
        if (one(e, names[i], e->all || e->listed, &e1) < 0) {
            /* a container removed meanwhile is no failure of "all" */
            if ((e->all || e->listed) && e1->kind == BK_NO_SUCH) {
                berr_free(e1);
                continue;
            }
            cmd_err_next(err, e1);
            failed = 1;
        }
    }
    return failed ? -1 : 0;
}

int ctr_each_check(bool all, bool latest, int n, bool has_cidfile, bool cidfile, bool filter,
                   struct berr **err)
{
    if (filter)
        return n > 0 ? berr_msg(err, "--filter takes no arguments") : 0;
    if (cidfile && (all || latest))
        return berr_msg(err, "--all, --latest, and --cidfile cannot be used together");
    if (all && latest)
        return berr_msg(err, "--all and --latest cannot be used together");
    if (n > 0 && all)
        return berr_msg(err, "no arguments are needed with --all");
    if (n > 0 && latest)
        return berr_msg(err, "--latest and containers cannot be used together");
    if (n > 0 && has_cidfile && cidfile)
        return berr_msg(err, "no arguments are needed with --latest or --cidfile");
    if (n == 0 && !all && !latest && !cidfile)
        return berr_msg(err, "you must provide at least one name or id");
    return 0;
}
