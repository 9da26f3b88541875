/*
 * cmd/system_check.c: system check, podman 5.2's flags over
 * runtime/syscheck.c, which lists what it checks and repairs.
 *
 * Output: one line per problem, "<what> <object>: <problem>", with
 * " (repaired)" when --repair fixed it, then a summary line. Exit codes
 * (ours; podman 5.2 fails when damage remains): 0 nothing wrong or all
 * of it repaired, 1 problems remain, 125 the check itself failed.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/syscheck.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/timefmt.h"

enum { O_MAX = 256, O_REPAIR, O_QUICK };

static const struct cmd_opt check_opts[] = {
    { "force", 'f', OPT_FLAG, NULL, "Repair (as --repair), also removing containers whose root "
      "file system or image is damaged", 0 },
    { "max", 'm', OPT_ARG, "duration", "Maximum allowed age of unreferenced layers, and of the exit "
      "codes of removed containers (default 24h)", 0 },
    { "quick", 'q', OPT_FLAG, NULL, "Skip hashing the stored layer blobs and unpacked files", 0 },
    { "repair", 'r', OPT_FLAG, NULL, "Fix what can be fixed without losing anything "
      "(unreadable records are moved aside, not deleted)", 0 },
    { 0 }
};

static int check_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    struct check_opts o = { .max_age_sec = 24 * 3600 };
    _cleanup_json_ json_t *items = NULL;
    const char *max = NULL;
    size_t i, left = 0, fixed = 0;
    json_t *x;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'f': o.force = it.bval; break;
        case 'm': max = it.arg; break;
        case 'q': o.quick = it.bval; break;
        case 'r': o.repair = it.bval; break;
        }
    }
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (max) {
        long long ns;
        if (go_duration_parse(max, &ns) < 0 || ns < 0)
            return berr_new(err, BERR_ENGINE, 0, "invalid --max %s: want a duration such as 24h",
                            max);
        o.max_age_sec = ns / 1000000000LL;
    }
    /* podman 5.2: --force (its lossy repair) repairs without --repair */
    if (o.force)
        o.repair = true;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || rt_check(rt, &o, &items, err) < 0)
        return -1;
    json_array_foreach(items, i, x) {
        bool rep = json_is_true(json_object_get(x, "Repaired"));
        printf("%s %s: %s%s\n", js_str(x, "What", ""), js_str(x, "Object", ""),
               js_str(x, "Problem", ""), rep ? " (repaired)" : "");
        rep ? fixed++ : left++;
    }
    if (!left && !fixed)
        printf("No problems found\n");
    else
        printf("%zu problem%s found, %zu repaired, %zu left%s\n", left + fixed,
               left + fixed == 1 ? "" : "s", fixed, left,
               left && !o.repair ? "; berth system check --repair fixes what it can" : "");
    return left ? 1 : 0;
}

const struct cmd cmd_system_check = {
    .name = "check",
    .summary = "Check storage consistency",
    .usage = "[options]",
    .description =
        "Verifies everything berth keeps and, with --repair, fixes what it can without losing\n"
        "anything: container and volume records that do not read are moved aside to\n"
        "<static dir>/quarantine/ with a WHY note (never deleted); name links to nothing are\n"
        "removed and missing ones made again; exit codes that do not parse, or of containers\n"
        "removed longer ago than --max, are removed; a layer no image or container uses is\n"
        "removed when it is --max old or older (a younger one may be a writer's); a root\n"
        "file system no record names is removed; an image whose layer directory is missing\n"
        "or (unless --quick) whose stored\n"
        "layer blob is missing or does not hash to its digest is removed when no container\n"
        "uses it; a volume's missing data directory is made again; mounts under the store's\n"
        "directories that belong to nothing berth knows, and network namespaces no container\n"
        "names, are detached. A container's missing lock file is made again, and a lock\n"
        "file no record names (held by nobody, older than a minute) is freed. The cgroups\n"
        "and the network set-up (firewall rules, addresses, network namespace) that\n"
        "containers no longer running left behind\n"
        "(neither the container's process nor its conmon runs: killed, crashed) are\n"
        "removed, and so are the cgroups this store made (it keeps a list of them in\n"
        "<tmp dir>/cgroups) for containers and pods whose record is gone; other stores'\n"
        "cgroups under the same parent are never touched. A cgroup that still holds a\n"
        "process is reported with its pids and left, with its container's root file\n"
        "system and mounts. Containers whose root file system or image is damaged are\n"
        "removed only with --force (which repairs with or without --repair, as podman's).\n"
        "\n"
        "Unless --quick, the unpacked files of every layer are compared with the manifest\n"
        "written when it was unpacked (path, type, mode, owner, size, sha256 of the content):\n"
        "a layer whose files differ is unpacked again from its blob when the blob is intact;\n"
        "otherwise its images are removed as for a missing blob. A layer unpacked before\n"
        "manifests existed gets one made from its files as they are at its first check.\n"
        "\n"
        "Prints one line per problem and a summary. Exit status: 0 when nothing is wrong or\n"
        "everything found was repaired, 1 when problems remain, 125 when the check failed.",
    .examples = "berth system check\nberth system check --quick\nberth system check --repair\n"
                "berth system check --repair --force --max 1h",
    .opts = check_opts, .fn = check_fn, .need = RT_FULL,
};
