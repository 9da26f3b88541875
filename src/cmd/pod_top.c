/*
 * cmd/pod_top.c: berth pod top: the processes of every running container
 * of a pod in one table (runtime/ctr_top.c's rows for each, one header),
 * the other containers first, the infra last, as podman lists them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "runtime/container.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/out.h"
#include "util/str.h"

static const struct cmd_opt top_opts[] = {
    { "latest", 'l', OPT_FLAG, NULL, "Act on the latest pod", 0 },
    { 0 }
};

static void rows_free(char ***rows)
{
    for (size_t i = 0; rows && rows[i]; i++)
        strv_free(rows[i]);
    free(rows);
}

/* Adds the process rows of member m (a header too when *header is
 * false) to t; a member not running adds nothing. */
static int add_member(struct runtime *rt, const struct pod_member *m, char *const *descs,
                      struct tbl *t, bool *header, struct berr **err)
{
    _cleanup_ctr_ struct ctr *c = NULL;
    char ***rows = NULL;
    int r = 0;

    if (m->state != CS_RUNNING)
        return 0;
    if (ctr_get_id(rt, m->id, &c, err) < 0 || ctr_top(rt, c, descs, &rows, err) < 0)
        return (*err)->kind == BK_NO_SUCH || (*err)->kind == BK_STATE ? (berr_freep(err), 0) : -1;
    for (size_t i = *header ? 1 : 0; rows[i] && r == 0; i++)
        r = tbl_add_row(t, rows[i]);
    *header = true;
    rows_free(rows);
    return r < 0 ? berr_oom(err) : 0;
}

static int top_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    _cleanup_pod_ struct pod *p = NULL;
    _cleanup_strv_ strv descs = NULL;
    struct pod_member *m = NULL;
    struct tbl *t = NULL;
    bool latest = false, header = false;
    char id[STATE_ID_LEN + 1];
    size_t n = 0;
    int c, r = -1, first;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == 'l')
            latest = it.bval;
    if (c == 0 && !it.help && !latest && it.nargs == 0)
        c = berr_msg(err, "you must provide the name or id of a running pod");
    if ((c = cmd_begin(cx, &it, c, 0, -1, &rt, err)) <= 0)
        return c;
    first = latest ? 0 : 1;
    /* podman takes "pid,user" as well as "pid user" */
    descs = calloc(1, sizeof(char *));
    for (int i = first; descs && i < it.nargs; i++) {
        _cleanup_strv_ strv parts = strv_split(it.args[i], ",");
        bool ok = parts != NULL;
        for (size_t k = 0; ok && parts[k]; k++)
            ok = !*parts[k] || strv_push(&descs, parts[k]) == 0;
        if (!ok)
            strv_free(STEAL_PTR(descs));
    }
    if (!descs)
        r = berr_oom(err);
    else if (!ctr_top_known(descs))
        r = berr_msg(err, "pod top takes psgo's descriptors only (see berth top --help)");
    else if ((latest && pod_latest(rt, id, err) < 0) ||
             pod_get(rt, latest ? id : it.args[0], &p, err) < 0 ||
             pod_members(rt, p->id, &m, &n, err) < 0)
        r = -1;
    else if (!(t = tbl_new()))
        r = berr_oom(err);
    else {
        r = 0;
        for (size_t k = 0; r == 0 && k < 2 * n; k++)
            if (m[k % n].infra == (k >= n))
                r = add_member(rt, &m[k % n], descs[0] ? descs : NULL, t, &header, err);
        /* podman: a pod with nothing running prints nothing, not even a header */
        if (r == 0 && header && tbl_print(t, stdout) < 0)
            r = berr_oom(err);
    }
    tbl_free(t);
    pod_members_free(m, n);
    opt_free(&it);
    return r;
}

const struct cmd cmd_pod_top = {
    .name = "top", .summary = "Display the running processes of containers in a pod",
    .usage = "[options] POD [FORMAT-DESCRIPTORS...]",
    .description =
        "Lists the processes of every running container of the pod in one table, with the\n"
        "descriptors of `berth top` (user pid ppid pcpu etime tty time args by default).",
    .examples = "berth pod top web\nberth pod top web pid args",
    .opts = top_opts, .fn = top_fn, .need = RT_FULL,
};
