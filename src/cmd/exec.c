/*
 * cmd/exec.c: exec, a process in a running container (the runtime's side
 * is runtime/ctr_exec.c).
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/ctropts_int.h"
#include "runtime/container.h"
#include "util/cleanup.h"
#include "util/js.h"

enum { X_DETACH = 'd', X_ENV = 'e', X_INTERACTIVE = 'i', X_LATEST = 'l', X_TTY = 't',
       X_USER = 'u', X_WORKDIR = 'w', X_DETACH_KEYS = 256, X_ENV_FILE, X_PRESERVE_FDS,
       X_PRIVILEGED };

static const struct cmd_opt exec_opts[] = {
    { "detach", X_DETACH, OPT_FLAG, NULL, "Run the exec session in detached mode (backgrounded); prints the session ID", 0 },
    { "detach-keys", X_DETACH_KEYS, OPT_ARG, "string", "Select the key sequence for detaching a container. Format is a single character [a-Z] or ctrl-<value> where <value> is one of: a-z, @, ^, [, , or _ (default \"ctrl-p,ctrl-q\")", 0 },
    { "env", X_ENV, OPT_ARG, "stringArray", "Set environment variables", 0 },
    { "env-file", X_ENV_FILE, OPT_ARG, "strings", "Read in a file of environment variables", 0 },
    { "interactive", X_INTERACTIVE, OPT_FLAG, NULL, "Keep STDIN open even if not attached", 0 },
    { "latest", X_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "preserve-fds", X_PRESERVE_FDS, OPT_ARG, "uint", "Pass N additional file descriptors to the container", 0 },
    { "privileged", X_PRIVILEGED, OPT_FLAG, NULL, "Give the process extended Linux capabilities inside the container.  The default is false", 0 },
    { "tty", X_TTY, OPT_FLAG, NULL, "Allocate a pseudo-TTY. The default is false", 0 },
    { "user", X_USER, OPT_ARG, "string", "Sets the username or UID used and optionally the groupname or GID for the specified command", 0 },
    { "workdir", X_WORKDIR, OPT_ARG, "string", "Working directory inside the container", 0 },
    { 0 }
};

struct exec_args {
    struct ctr_exec_opts o;
    bool latest;
    json_t *env, *fenv;         /* -e, then --env-file (-e wins) */
};

static int parse(struct cmd_ctx *cx, int argc, char **argv, struct opt_it *it,
                 struct exec_args *a, struct berr **err)
{
    unsigned long long n;
    int c;

    cmd_opt_init(it, cx);
    while ((c = opt_next(it, argc, argv, err)) > 0) {
        switch (c) {
        case X_DETACH: a->o.detach = it->bval; break;
        case X_DETACH_KEYS:
            if (cp_detach_keys_check(it->arg, err) < 0)
                return -1;
            a->o.detach_keys = it->arg;
            break;
        case X_ENV:
            if (cp_env_add(a->env, it->arg, err) < 0)
                return -1;
            break;
        case X_ENV_FILE: {
            _cleanup_strv_ strv files = NULL;
            if (cp_split_csv(it->arg, &files, err) < 0)
                return -1;
            for (size_t i = 0; files[i]; i++)
                if (cp_env_file(a->fenv, files[i], err) < 0)
                    return -1;
            break;
        }
        case X_INTERACTIVE: a->o.interactive = it->bval; break;
        case X_LATEST: a->latest = it->bval; break;
        case X_PRESERVE_FDS:
            if (opt_uint(it, &n, err) < 0)
                return -1;
            a->o.preserve_fds = (unsigned) n;
            break;
        case X_PRIVILEGED: a->o.privileged = it->bval; break;
        case X_TTY: a->o.tty = it->bval; break;
        case X_USER: a->o.user = it->arg; break;
        case X_WORKDIR: a->o.workdir = it->arg; break;
        }
    }
    if (c < 0 || it->help)
        return c;
    if (!a->latest && it->nargs < 1)
        return berr_msg(err, "exec requires the name or ID of a container or the --latest flag");
    /* the fds to pass must be ours to pass */
    for (unsigned fd = 3; fd < 3 + a->o.preserve_fds; fd++)
        if (fcntl((int) fd, F_GETFD) < 0)
            return berr_msg(err, "file descriptor %u is not available - the preserve-fds option requires that file descriptors must be passed",
                            fd);
    return 0;
}

/* -e over --env-file, as "K=V" strings. */
static strv env_list(struct exec_args *a)
{
    strv v = calloc(1, sizeof(char *));
    const char *k;
    json_t *val;

    if (!v || json_object_update(a->fenv, a->env) < 0) {
        strv_free(v);
        return NULL;
    }
    json_object_foreach(a->fenv, k, val)
        if (strv_pushf(&v, "%s=%s", k, json_string_value(val)) < 0) {
            strv_free(v);
            return NULL;
        }
    return v;
}

static int exec_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct exec_args a = { .env = json_object(), .fenv = json_object() };
    _cleanup_json_ json_t *env = a.env, *fenv = a.fenv;
    _cleanup_strv_ strv envv = NULL;
    _cleanup_ctr_ struct ctr *c = NULL;
    struct runtime *rt;
    char id[STATE_ID_LEN + 1], sid[STATE_ID_LEN + 1];
    int r, code = 0;

    if (!env || !fenv)
        return berr_oom(err);
    r = parse(cx, argc, argv, &it, &a, err);
    if (r < 0 || it.help) {
        opt_free(&it);
        return r < 0 ? -1 : 0;
    }
    a.o.cmd = it.args + (a.latest ? 0 : 1);
    if (!(envv = env_list(&a))) {
        opt_free(&it);
        return berr_oom(err);
    }
    a.o.env = envv;
    r = cx_runtime(cx, RT_FULL, &rt, err) < 0 ||
        (a.latest ? ctr_latest(rt, id, err) < 0 || ctr_get_id(rt, id, &c, err) < 0
                  : ctr_get(rt, it.args[0], &c, err) < 0) ||
        ctr_exec(rt, c, &a.o, &code, sid, err) < 0 ? -1 : 0;
    opt_free(&it);
    if (r < 0)
        return -1;
    if (a.o.detach)
        printf("%s\n", sid);
    return code;
}

#define EXEC_DESC "Runs a command in a running container, in its namespaces and cgroup, with\n" \
    "its capabilities, seccomp profile, user, environment and working directory\n" \
    "unless a flag says otherwise. With -i, -t or -d the command runs under\n" \
    "conmon, like the container: -it gives it a real terminal (window size\n" \
    "changes follow), the detach keys leave it running, and -d returns at once,\n" \
    "printing the session ID. Without them berth runs the OCI runtime's exec\n" \
    "itself and waits for the command (its output comes on pipes, as through\n" \
    "conmon; ^C ends berth, not the command). Either way the session is\n" \
    "recorded (inspect's ExecIDs) and exec and exec_died events are written.\n" \
    "Exit status: the command's own; 126 when it cannot be invoked, 127 when it\n" \
    "is not found, 255 when the session could not start (the container is not\n" \
    "running), 125 when berth fails otherwise."
#define EXEC_EXAMPLES "berth exec -it web sh\nberth exec -w /tmp web pwd\nberth exec --user nobody web id"

const struct cmd cmd_exec = { .name = "exec", .summary = "Run a process in a running container",
    .usage = "[options] CONTAINER [COMMAND [ARG...]]", .description = EXEC_DESC,
    .examples = EXEC_EXAMPLES, .opts = exec_opts, .fn = exec_fn, .need = RT_FULL,
    .flags = CMD_STOP_AT_OPERAND };
