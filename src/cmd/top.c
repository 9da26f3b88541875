/*
 * cmd/top.c: top, the processes of a running container
 * (runtime/ctr_top.c).
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/container.h"
#include "util/cleanup.h"
#include "util/out.h"

enum { T_LATEST = 'l', T_LIST = 256 };

static const struct cmd_opt top_opts[] = {
    { "latest", T_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "list-descriptors", T_LIST, OPT_FLAG, NULL, "List the supported descriptors", OPT_HIDDEN },
    { 0 }
};

static int print_rows(char ***rows, struct berr **err)
{
    struct tbl *t = tbl_new();
    int r = 0;

    if (!t)
        return berr_oom(err);
    for (size_t i = 0; rows[i] && r == 0; i++)
        r = tbl_add_row(t, rows[i]);
    if (r == 0)
        r = tbl_print(t, stdout);
    tbl_free(t);
    return r < 0 ? berr_oom(err) : 0;
}

static int top_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    _cleanup_ctr_ struct ctr *c = NULL;
    _cleanup_strv_ char **descs = NULL;
    char ***rows = NULL;
    bool latest = false, list = false;
    char id[STATE_ID_LEN + 1];
    int ch, r = -1, first;

    cmd_opt_init(&it, cx);
    while ((ch = opt_next(&it, argc, argv, err)) > 0) {
        if (ch == T_LATEST)
            latest = it.bval;
        else if (ch == T_LIST)
            list = it.bval;
    }
    if (ch == 0 && !it.help && list) {
        for (const char *const *d = ctr_top_descriptors(); *d; d++)
            printf("%s\n", *d);
        opt_free(&it);
        return 0;
    }
    if (ch == 0 && !it.help && !latest && it.nargs == 0)
        ch = berr_msg(err, "you must provide the name or id of a running container");
    if (ch < 0 || it.help) {
        opt_free(&it);
        return ch < 0 ? -1 : 0;
    }
    first = latest ? 0 : 1;
    /* podman takes "pid,user" as well as "pid user" */
    descs = calloc(1, sizeof(char *));
    for (int i = first; descs && i < it.nargs; i++) {
        _cleanup_strv_ char **parts = strv_split(it.args[i], ",");
        for (size_t k = 0; parts && parts[k]; k++)
            if (*parts[k] && strv_push(&descs, parts[k]) < 0)
                goto oom;
        if (!parts)
            goto oom;
    }
    if (!descs)
        goto oom;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || (latest && ctr_latest(rt, id, err) < 0))
        goto out;
    if (ctr_get(rt, latest ? id : it.args[0], &c, err) < 0) {
        berr_wrap(err, "unable to look up requested container");     /* podman's words */
        goto out;
    }
    if (ctr_top_known(descs)) {
        if (ctr_top(rt, c, descs, &rows, err) == 0)
            r = print_rows(rows, err);
        for (size_t i = 0; rows && rows[i]; i++)
            strv_free(rows[i]);
        free(rows);
    } else {
        /* ps(1) in the container, with the arguments as given */
        _cleanup_free_ char *text = NULL;
        if (ctr_top_ps(rt, c, it.args + first, &text, err) == 0) {
            fputs(text, stdout);
            r = 0;
        }
    }
    goto out;
oom:
    r = berr_oom(err);
out:
    opt_free(&it);
    return r;
}

#define TOP_DESC "Lists the processes of a running container. The columns are podman's (psgo's)\n" \
    "AIX-format descriptors, given as arguments or comma-separated: args, comm, user,\n" \
    "ruser, group, rgroup, groups, pid, ppid, pgid, pcpu, etime, time, tty, nice, vsz,\n" \
    "rss, state, stime, seccomp, label, capamb, capbnd, capeff, capinh, capprm, and\n" \
    "the host's view hpid, huser, hgroup, hgroups; without any, user pid ppid pcpu\n" \
    "etime tty time args. They are read from /proc: pids and names (from the\n" \
    "container's /etc/passwd and /etc/group) as the container sees them. Any other\n" \
    "argument (\"-ef\", \"aux\") runs ps(1) inside the container with the arguments\n" \
    "as given, as podman does, and prints what it prints without its own line."

const struct cmd cmd_top = { .name = "top", .summary = "Display the running processes of a container",
    .usage = "[options] CONTAINER [FORMAT-DESCRIPTORS|ARGS...]", .description = TOP_DESC,
    .examples = "berth top ctrID\nberth top --latest\nberth top ctrID pid seccomp args\nberth top ctrID -eo user,pid,comm",
    .opts = top_opts, .fn = top_fn, .need = RT_FULL, .flags = CMD_STOP_AT_OPERAND };
