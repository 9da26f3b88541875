/*
 * cmd/system_prune.c: system prune, podman 4.3.1's: stopped containers,
 * then images (dangling, or with -a every unused one) and with --volumes
 * unused volumes, again while a round removes something (a removed
 * container frees an image, a volume), then unused networks. Prints what
 * went under podman's headings and the space reclaimed, as measured by
 * `system df` (runtime/sysdf.c) before the removals.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/prune.h"
#include "runtime/image.h"
#include "runtime/sysdf.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/timefmt.h"

enum { O_FILTER = 256, O_VOLUMES };

static const struct cmd_opt prune_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Remove all unused data", 0 },
    { "filter", O_FILTER, OPT_ARG, "stringArray", "Provide filter values (e.g. 'label=<key>=<value>', "
      "'until=10m')", 0 },
    { "force", 'f', OPT_FLAG, NULL, "Do not prompt for confirmation.  The default is false", 0 },
    { "volumes", O_VOLUMES, OPT_FLAG, NULL, "Prune volumes", 0 },
    { 0 }
};

struct sys_prune {
    bool all, volumes;
    strv filters;
    strv ctrs, pods, nets, vols, imgs;
};

/* podman's question, on stdout as podman prints it. */
static int confirm(const struct sys_prune *p, struct berr **err)
{
    printf("WARNING! This command removes:\n"
           "\t- all stopped containers\n"
           "\t- all networks not used by at least one container\n"
           "%s%s\n"
           "Are you sure you want to continue? [y/N] ",
           p->volumes ? "\t- all volumes not used by at least one container\n" : "",
           p->all ? "\t- all images without at least one container associated with them\n"
                    "\t- all build cache\n"
                  : "\t- all dangling images\n\t- all dangling build cache\n");
    return cmd_answer(err);
}

/* One round of containers, images and (--volumes) volumes; *found when
 * it removed anything. Failures are passed to cmd_err_next. */
static void prune_round(struct runtime *rt, struct sys_prune *p, bool *found, struct berr **last)
{
    struct img_rm_report rep = { 0 };
    size_t before = strv_len(p->ctrs) + strv_len(p->imgs) + strv_len(p->vols);
    struct berr *e = NULL;

    if (prune_containers(rt, p->filters, &p->ctrs, &e) < 0)
        cmd_err_next(last, STEAL_PTR(e));
    if (img_prune(rt, p->all, false, p->filters, &rep, &e) < 0)
        cmd_err_next(last, STEAL_PTR(e));
    for (size_t i = 0; i < rep.nerrs; i++)
        cmd_err_next(last, STEAL_PTR(rep.errs[i].err));
    for (char **d = rep.deleted; d && *d; d++)
        if (strv_push(&p->imgs, *d) < 0) {
            berr_oom(&e);
            cmd_err_next(last, STEAL_PTR(e));
        }
    img_rm_report_free(&rep);
    if (p->volumes) {
        _cleanup_strv_ strv names = NULL;
        if (prune_volume_candidates(rt, p->filters, &names, &e) < 0 ||
            prune_volumes(rt, names, &p->vols, &e) < 0)
            cmd_err_next(last, STEAL_PTR(e));
    }
    *found = strv_len(p->ctrs) + strv_len(p->imgs) + strv_len(p->vols) > before;
}

/* The bytes the df rows (taken before the prune) give the removed
 * objects; an image has a row per name, its bytes count once. */
static long long reclaimed(json_t *rows, const char *key, char *const *removed)
{
    long long sum = 0;
    json_t *r;
    size_t i;

    for (size_t k = 0; removed && removed[k]; k++)
        json_array_foreach(rows, i, r)
            if (str_eq(js_str(r, key, ""), removed[k])) {
                sum += js_int(r, "Size", 0);
                break;
            }
    return sum;
}

static void print_list(const char *heading, char *const *v)
{
    if (!v || !v[0])
        return;
    printf("%s\n", heading);
    for (size_t i = 0; v[i]; i++)
        printf("%s\n", v[i]);
}

/* podman checks the filters before it prunes anything: their form, then
 * container prune's keys (label, label!, until) and until's value. */
static int check_filters(char *const *f, struct berr **err)
{
    for (size_t i = 0; f && f[i]; i++) {
        const char *eq = strchr(f[i], '=');
        size_t kl = eq ? (size_t) (eq - f[i]) : 0;
        struct timespec now, t;

        if (!eq)
            return berr_msg(err, "filter input must be in the form of filter=value: %s is invalid",
                            f[i]);
        if (kl == 5 && !strncmp(f[i], "until", 5)) {
            clock_gettime(CLOCK_REALTIME, &now);
            if (time_parse_filter(eq + 1, now, &t, err) < 0)
                return -1;
        } else if (!(kl == 5 && !strncmp(f[i], "label", 5)) &&
                   !(kl == 6 && !strncmp(f[i], "label!", 6))) {
            return berr_msg(err, "%.*s is an invalid filter", (int) kl, f[i]);
        }
    }
    return 0;
}

static int prune_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    struct sys_prune p = { 0 };
    struct df_report df = { 0 };
    struct berr *last = NULL;
    _cleanup_free_ char *total = NULL;
    bool force = false, found = true;
    long long bytes;
    int c, rc = 0;

    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': p.all = it.bval; break;
        case 'f': force = it.bval; break;
        case O_VOLUMES: p.volumes = it.bval; break;
        case O_FILTER: rc = strv_push(&p.filters, it.arg) < 0 ? berr_oom(err) : 0; break;
        }
    }
    if (rc < 0)
        c = -1;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        goto out;
    if ((c = check_filters(p.filters, err)) < 0)
        goto out;
    if (!force && (c = confirm(&p, err)) <= 0)
        goto out;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || rt_df(rt, &df, err) < 0) {
        c = -1;
        goto out;
    }
    /* podman: the exited pods first (with their containers), then the rest */
    if (prune_pods(rt, &p.pods, err) < 0)
        cmd_err_next(&last, STEAL_PTR(*err));
    for (found = true; found;)
        prune_round(rt, &p, &found, &last);
    if (prune_networks(rt, p.filters, &p.nets, err) < 0)
        cmd_err_next(&last, STEAL_PTR(*err));
    print_list("Deleted Containers", p.ctrs);
    print_list("Deleted Pods", p.pods);
    print_list("Deleted Networks", p.nets);
    print_list("Deleted Volumes", p.vols);
    print_list("Deleted Images", p.imgs);
    bytes = reclaimed(df.containers, "ContainerID", p.ctrs) + reclaimed(df.volumes, "VolumeName", p.vols) +
            reclaimed(df.images, "ImageID", p.imgs);
    total = hum_size_prec((double) bytes, 4, "");
    printf("Total reclaimed space: %s\n", total ? total : "?");
    c = 0;
    if (last) {
        *err = last;
        c = -1;
    }
out:
    rt_df_free(&df);
    strv_free(p.filters);
    strv_free(p.ctrs);
    strv_free(p.pods);
    strv_free(p.nets);
    strv_free(p.vols);
    strv_free(p.imgs);
    return c < 0 ? -1 : 0;
}

const struct cmd cmd_system_prune = {
    .name = "prune",
    .summary = "Remove unused data",
    .usage = "[options]",
    .description =
        "Removes the pods whose containers all exited (with those containers), then every\n"
        "container that is not running and in no pod, the dangling images (with --all every\n"
        "image no container uses), with --volumes every volume no container uses, repeating\n"
        "while a round frees more, and then every network no container uses (never the\n"
        "default one). Prints what went under \"Deleted Containers\", \"Deleted Pods\",\n"
        "\"Deleted Networks\", \"Deleted Volumes\" and \"Deleted Images\", then the space\n"
        "reclaimed (as system df measured it before). Asks first unless --force; without an\n"
        "answer on stdin it removes nothing. --filter label=KEY[=VALUE], label!=... and\n"
        "until=TIME|DURATION apply to each kind but pods (as podman's), as in their own prune\n"
        "commands; they are checked before anything is removed.",
    .examples = "berth system prune -f\nberth system prune -a -f --volumes\n"
                "berth system prune -f --filter until=24h --filter label=tmp",
    .opts = prune_opts, .fn = prune_fn, .need = RT_FULL,
};
