/*
 * cmd/pod_lifecycle.c: berth pod start|stop|kill|restart|pause|unpause|rm,
 * over runtime/pod_ops.c. As podman: each pod done prints its full id;
 * every failure but the last is printed at once, the last is returned.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctropts.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

enum { O_POD_ID_FILE = 256, O_SIGNAL_LONG };

enum pod_verb { V_START, V_STOP, V_KILL, V_RESTART, V_PAUSE, V_UNPAUSE, V_RM };

struct pod_run {
    enum pod_verb verb;
    bool all, latest, ignore, force;
    long long timeout;          /* -t; -1: each container's own */
    int sig;
    strv id_files;
};

static int one(struct runtime *rt, const struct pod_run *r, struct pod *p, struct berr **err)
{
    switch (r->verb) {
    case V_START:   return pod_start(rt, p, err);
    case V_STOP:    return pod_stop(rt, p, r->timeout, err);
    case V_KILL:    return pod_kill(rt, p, r->sig, err);
    case V_RESTART: return pod_restart(rt, p, err);
    case V_PAUSE:   return pod_pause(rt, p, false, err);
    case V_UNPAUSE: return pod_pause(rt, p, true, err);
    case V_RM:      return pod_remove(rt, p, r->force, r->timeout, err);
    }
    return 0;
}

/* The pods named: operands, --pod-id-file's, every pod (--all), or the
 * latest. */
static int targets(struct runtime *rt, const struct pod_run *r, struct opt_it *it, strv *out,
                   struct berr **err)
{
    char id[STATE_ID_LEN + 1];

    if (r->all)
        return pod_list_ids(rt, out, err);
    if (!(*out = calloc(1, sizeof(char *))))
        return berr_oom(err);
    if (r->latest)
        return pod_latest(rt, id, err) < 0 || strv_push(out, id) < 0 ? -1 : 0;
    for (int i = 0; i < it->nargs; i++)
        if (strv_push(out, it->args[i]) < 0)
            return berr_oom(err);
    for (size_t i = 0; r->id_files && r->id_files[i]; i++) {
        _cleanup_free_ char *text = NULL;
        if (fs_read_file(r->id_files[i], &text, NULL, err) < 0) {
            if (r->ignore && (*err)->errnum == ENOENT) {
                berr_freep(err);
                continue;
            }
            return berr_wrap(err, "reading pod ID file");
        }
        text[strcspn(text, "\r\n")] = '\0';
        if (strv_push(out, text) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int run_verb(struct cmd_ctx *cx, struct pod_run *r, struct opt_it *it, int c,
                    struct berr **err)
{
    _cleanup_strv_ strv names = NULL;
    struct berr *last = NULL;
    struct runtime *rt;
    bool missing = false;
    int n = it->nargs + (int) strv_len(r->id_files);

    if (c == 0 && !it->help) {
        if (r->all && r->latest)
            c = berr_msg(err, "--all and --latest cannot be used together");
        else if ((r->all || r->latest) && n > 0)
            c = berr_msg(err, "no arguments are needed with --all or --latest");
        else if (!r->all && !r->latest && n == 0)
            c = berr_msg(err, "you must provide at least one name or id");
    }
    if (c == 0 && !it->help && cx_runtime(cx, RT_FULL, &rt, err) < 0)
        c = -1;
    if (c < 0 || it->help) {
        opt_free(it);
        return c;
    }
    c = targets(rt, r, it, &names, err);
    opt_free(it);
    if (c < 0)
        return -1;
    for (size_t i = 0; names[i]; i++) {
        _cleanup_pod_ struct pod *p = NULL;
        struct berr *e = NULL;

        if (pod_get(rt, names[i], &p, &e) < 0) {
            /* podman's pod rm -f: a missing pod is no error (exit 0) */
            if (e->kind == BK_NO_SUCH && (r->ignore || r->all || (r->verb == V_RM && r->force))) {
                berr_free(e);
                continue;
            }
            missing |= e->kind == BK_NO_SUCH;
            cmd_err_next(&last, e);
            continue;
        }
        if (one(rt, r, p, &e) < 0) {
            cmd_err_next(&last, e);
            continue;
        }
        printf("%s\n", p->id);
    }
    if (last) {
        /* podman's pod rm exits 1 when a pod it was given does not exist */
        if (r->verb == V_RM && missing)
            last->exit_code = 1;
        *err = last;
        return -1;
    }
    return 0;
}

/* The flags every one of these has, and -t, -s, --ignore, --pod-id-file
 * where podman has them. */
static int parse(struct cmd_ctx *cx, int argc, char **argv, struct pod_run *r,
                 struct opt_it *it, struct berr **err)
{
    int c;

    r->timeout = -1;
    r->sig = 9;
    cmd_opt_init(it, cx);
    while ((c = opt_next(it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': r->all = it->bval; break;
        case 'l': r->latest = it->bval; break;
        case 'i': r->ignore = it->bval; break;
        case 'f': r->force = it->bval; break;
        case 't':
            if (str_to_ll(it->arg, &r->timeout) < 0 || r->timeout < 0)
                return berr_msg(err, "invalid argument \"%s\" for \"-t, --time\" flag: "
                                "strconv.ParseUint: parsing \"%s\": invalid syntax", it->arg, it->arg);
            break;
        case 's':
            if ((r->sig = ctropts_parse_signal(it->arg)) < 0)
                return berr_msg(err, "invalid signal: %s", it->arg);
            break;
        case O_POD_ID_FILE:
            if (strv_push(&r->id_files, it->arg) < 0)
                return berr_oom(err);
            break;
        }
    }
    return c;
}

#define ALL(what) { "all", 'a', OPT_FLAG, NULL, what, 0 }
#define LATEST { "latest", 'l', OPT_FLAG, NULL, "Act on the latest pod", 0 }
#define IGNORE { "ignore", 'i', OPT_FLAG, NULL, "Ignore errors when a specified pod is missing", 0 }
#define IDFILE { "pod-id-file", O_POD_ID_FILE, OPT_ARG, "stringArray", "Read the pod id from this file", 0 }
#define TIME(what) { "time", 't', OPT_ARG, "uint", what, 0 }

static const struct cmd_opt start_opts[] = { ALL("Start all pods"), LATEST, IDFILE, { 0 } };
static const struct cmd_opt stop_opts[] = {
    ALL("Stop all running pods"), IGNORE, LATEST, IDFILE,
    TIME("Seconds to wait for each container to stop before killing it (default: its stop timeout)"),
    { 0 }
};
static const struct cmd_opt kill_opts[] = {
    ALL("Kill all containers in all pods"), LATEST,
    { "signal", 's', OPT_ARG, "string", "Signal to send to the containers of the pod (default \"KILL\")", 0 },
    { 0 }
};
static const struct cmd_opt restart_opts[] = { ALL("Restart all running pods"), LATEST, { 0 } };
static const struct cmd_opt pause_opts[] = { ALL("Pause all running pods"), LATEST, { 0 } };
static const struct cmd_opt unpause_opts[] = { ALL("Unpause all paused pods"), LATEST, { 0 } };
static const struct cmd_opt rm_opts[] = {
    ALL("Remove all pods"),
    { "force", 'f', OPT_FLAG, NULL, "Stop running containers and remove them with the pod", 0 },
    IGNORE, LATEST, IDFILE,
    TIME("Seconds to wait for each container to stop before killing it (with --force)"),
    { 0 }
};

#define VERB_FN(fname, v)                                                        \
    static int fname(struct cmd_ctx *cx, int argc, char **argv, struct berr **err) \
    {                                                                            \
        struct pod_run r = { .verb = v };                                        \
        struct opt_it it;                                                        \
        int c = parse(cx, argc, argv, &r, &it, err);                             \
        c = run_verb(cx, &r, &it, c < 0 ? -1 : c, err);                          \
        strv_free(r.id_files);                                                   \
        return c;                                                                \
    }
VERB_FN(start_fn, V_START)
VERB_FN(stop_fn, V_STOP)
VERB_FN(kill_fn, V_KILL)
VERB_FN(restart_fn, V_RESTART)
VERB_FN(pause_fn, V_PAUSE)
VERB_FN(unpause_fn, V_UNPAUSE)
VERB_FN(rm_fn, V_RM)

#define POD_CMD(var, nm, sum, desc, ex, o, f)                                    \
    const struct cmd var = {                                                     \
        .name = nm, .summary = sum, .usage = "[options] POD [POD...]",          \
        .description = desc, .examples = ex, .opts = o, .fn = f, .need = RT_FULL, \
    }

POD_CMD(cmd_pod_start, "start", "Start one or more pods",
        "Starts the infra container first, then the other containers of the pod in the order\n"
        "they were created. Prints the pod's id.",
        "berth pod start web\nberth pod start --all", start_opts, start_fn);
POD_CMD(cmd_pod_stop, "stop", "Stop one or more pods",
        "Stops the containers of the pod, newest first, the infra container last.",
        "berth pod stop web\nberth pod stop -t 0 --all", stop_opts, stop_fn);
POD_CMD(cmd_pod_kill, "kill", "Send the specified signal or SIGKILL to containers in pod",
        "Sends a signal (SIGKILL by default) to every running container of the pod.",
        "berth pod kill web\nberth pod kill -s TERM web", kill_opts, kill_fn);
POD_CMD(cmd_pod_restart, "restart", "Restart one or more pods",
        "Stops, then starts the pod's containers (infra first).",
        "berth pod restart web", restart_opts, restart_fn);
POD_CMD(cmd_pod_pause, "pause", "Pause one or more pods",
        "Pauses every running container of the pod.", "berth pod pause web", pause_opts, pause_fn);
POD_CMD(cmd_pod_unpause, "unpause", "Unpause one or more pods",
        "Unpauses every paused container of the pod.", "berth pod unpause web", unpause_opts,
        unpause_fn);

const struct cmd cmd_pod_rm = {
    .name = "rm", .aliases = "remove", .summary = "Remove one or more pods",
    .usage = "[options] POD [POD...]",
    .description =
        "Removes the pod with its containers (the infra container last). A pod with running or\n"
        "paused containers is refused unless --force, which stops them first; --force also\n"
        "removes containers whose records a killed command left half-written. A pod that does\n"
        "not exist exits 1, or is no error with --force or --ignore, as podman's.",
    .examples = "berth pod rm web\nberth pod rm -f -a", .opts = rm_opts, .fn = rm_fn,
    .need = RT_FULL,
};
