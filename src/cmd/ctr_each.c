/*
 * cmd/ctr_each.c: one operation over several containers (see ctr_each.h).
 */
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
    int r = by_id ? ctr_get_id(e->rt, input, &c, err) : ctr_get(e->rt, input, &c, err);

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
    for (int i = 0; i < n; i++) {
        struct berr *e1 = NULL;
        if (one(e, names[i], e->all, &e1) < 0) {
            /* a container removed meanwhile is no failure of "all" */
            if (e->all && e1->kind == BK_NO_SUCH) {
                berr_free(e1);
                continue;
            }
            if (*err) {
                fprintf(stderr, "Error: %s\n", (*err)->msg);
                berr_freep(err);
            }
            *err = e1;
            failed = 1;
        }
    }
    return failed ? -1 : 0;
}
