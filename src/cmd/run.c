/*
 * cmd/run.c: create and run. The options are parsed by cmd/ctropts*.c;
 * the container is made by runtime/ctr_create.c (ctr_create), started
 * by runtime/ctr_lifecycle.c and attached to by runtime/ctr_attach.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/ctropts.h"
#include "cmd/progress.h"
#include "runtime/cgprime.h"
#include "runtime/container.h"
#include "runtime/ctr_mounts.h"
#include "runtime/image.h"
#include "runtime/image_pull.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"

/* --cidfile: refuses an existing file, as podman does. */
static int write_cidfile(const char *path, const char *id, struct berr **err)
{
    _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

    if (fd < 0) {
        if (errno == EEXIST)
            return berr_msg(err, "container id file exists. Ensure another container is not using it or delete %s", path);
        return berr_sys(err, "opening cidfile %s", path);
    }
    if (fs_write_all(fd, id, strlen(id)) < 0)
        return berr_sys(err, "writing cidfile %s", path);
    return 0;
}

/* --replace: a container holding the name goes first. */
static int replace_existing(struct runtime *rt, const char *name, struct berr **err)
{
    struct ctr *c = NULL;
    struct berr *e = NULL;
    int r;

    if (!name)
        return 0;
    if (ctr_get(rt, name, &c, &e) < 0) {
        berr_free(e);
        return 0;
    }
    r = ctr_remove(rt, c, true, -1, err);
    ctr_put(c);
    return r;
}

/* Removes a container after a failed start of run --rm; errors only logged. */
static void remove_quietly(struct runtime *rt, const char *id)
{
    struct ctr *c = NULL;
    struct berr *e = NULL;

    if (ctr_get_id_removing(rt, id, &c, &e) == 0 &&
        ctr_remove_flags(rt, c, true, 0, CTR_RM_VOLUMES, &e) < 0)
        log_debug("removing container %s: %s", id, e->msg);
    berr_free(e);
    ctr_put(c);
}

/* The image under the pull policy: the local one, else pulled (with
 * pull's progress on stderr unless -q). A pulled image is then named by
 * its id, so the container records the name the pull gave it. *found:
 * the local image as looked up (img_pull_policy), for create to use. */
static int image_for(struct runtime *rt, struct ctropts *a, struct img **found,
                     struct berr **err)
{
    static const enum img_pull_policy policies[] = {
        [CTR_PULL_MISSING] = IMG_PULL_MISSING, [CTR_PULL_NEVER] = IMG_PULL_NEVER,
        [CTR_PULL_ALWAYS] = IMG_PULL_ALWAYS, [CTR_PULL_NEWER] = IMG_PULL_NEWER,
    };
    struct img_pull_opts o = { .reg = a->reg, .os = a->os, .arch = a->arch,
                               .variant = a->variant };
    _cleanup_free_ char *pbuf = NULL;
    struct progress prog;
    struct prog_view *view;
    char id[65];
    bool pulled = false;
    int rc;

    if (a->rootfs)
        return 0;
    if (a->platform) {
        if (a->arch || a->os)
            return berr_kind(err, BK_INVALID, "--platform option can not be specified with "
                             "--arch or --os");
        if (img_platform_parse(a->platform, &pbuf, &o.os, &o.arch, &o.variant, err) < 0)
            return -1;
    }
    view = prog_view_stderr(a->quiet, &prog, &o.progress);
    if (prog_can_prompt())
        o.choose = prog_choose;
    rc = img_pull_policy(rt, a->image, policies[a->pull], &o, id, &pulled, found, err);
    prog_view_free(view);
    if (rc < 0)
        return -1;
    if (pulled) {
        free(a->image);
        if (!(a->image = str_dup(id)))
            return berr_oom(err);
    }
    return 0;
}

/* --pod new:NAME: a pod of that name is made first, with the container's
 * network settings (mode, networks, published ports, DNS, hosts) and host
 * name: podman moves them to the pod's infra container and clears them
 * from the container, which joins the pod's network namespace. */
static int new_pod(struct runtime *rt, struct ctr_create_params *p, char *id,
                   struct berr **err)
{
    json_t *ns = json_object_get(p->spec, "namespaces");
    struct pod_create_opts o = { .name = p->pod + 4, .infra = true, .share_parent = true,
                                 .port_mappings = p->port_mappings, .networks = p->networks,
                                 .dns = p->dns, .add_hosts = p->add_hosts,
                                 .net_mode = js_str(ns, "network", NULL),
                                 .no_hosts = js_bool(p->spec, "noHosts", false),
                                 .hostname = js_str(p->spec, "hostname", NULL) };
    const char *slirp = js_str(p->spec, "slirp4netnsOptions", NULL);
    _cleanup_json_ json_t *extra = slirp ? json_pack("{s:s}", "slirp4netnsOptions", slirp) : NULL;

    if (slirp && !extra)
        return berr_oom(err);
    o.infra_extra = extra;
    if (pod_create(rt, &o, id, err) < 0)
        return -1;
    p->port_mappings = p->networks = p->add_hosts = p->dns = NULL;
    if (ns)
        json_object_del(ns, "network");
    json_object_del(p->spec, "slirp4netnsOptions");
    json_object_del(p->spec, "hostname");
    p->pod = id;
    return 0;
}

static int create_common(struct cmd_ctx *cx, struct ctropts *a, struct runtime **rt,
                         struct ctr **c, struct berr **err)
{
    struct ctr_create_params p;
    char pod_id[STATE_ID_LEN + 1];
    _cleanup_img_ struct img *found = NULL;

    if (cx_runtime(cx, RT_FULL, rt, err) < 0 || image_for(*rt, a, &found, err) < 0)
        return -1;
    if (a->replace && replace_existing(*rt, a->name, err) < 0)
        return -1;
    if (ctropts_create_params(a, &p, err) < 0)
        return -1;
    p.image_found = found;
    p.create_command = cx->all_argv;
    if (p.pod && str_has_prefix(p.pod, "new:") && new_pod(*rt, &p, pod_id, err) < 0)
        return -1;
    if (ctr_create(*rt, &p, c, err) < 0)
        return -1;
    if (a->cidfile && write_cidfile(a->cidfile, (*c)->id, err) < 0) {
        struct berr *e = NULL;
        if (ctr_remove_flags(*rt, *c, true, 0, CTR_RM_VOLUMES, &e) < 0)
            berr_free(e);
        return -1;
    }
    return 0;
}

static int create_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct ctropts a;
    struct runtime *rt;
    _cleanup_ctr_ struct ctr *c = NULL;
    int r = ctropts_parse(cx, argc, argv, false, &a, err);

    /* create reads no user regex, glob or table width: the locale is
     * loaded only by a pull (img_pull) */
    cx->no_locale = true;
    if (r == 0 && !a.help && (r = create_common(cx, &a, &rt, &c, err)) == 0)
        printf("%s\n", c->id);
    ctropts_free(&a);
    return r;
}

/* podman's run gives a start that fails its define.ExitCode: 127 when
 * the message says something is not found, else 126 ("cannot invoke"):
 * an unknown --user or --hostuser, a published port another process
 * holds, a refused U chown... (start, init and restart keep 125). */
static void start_failed(struct berr *err)
{
    if (!err || err->exit_code != BERR_ENGINE)
        return;
    err->exit_code = strcasestr(err->msg, "not found") || strcasestr(err->msg, "no such file")
                         ? BERR_NOT_FOUND : BERR_CANNOT_INVOKE;
}

/* Both take the container and may hand it back early (*cp = NULL). */
static void put_and_remove(struct runtime *rt, struct ctr **cp)
{
    char id[STATE_ID_LEN + 1];

    memcpy(id, (*cp)->id, sizeof(id));
    ctr_put(*cp);
    *cp = NULL;
    remove_quietly(rt, id);
}

static int run_detached(struct runtime *rt, struct ctr **cp, struct ctropts *a, struct berr **err)
{
    char id[STATE_ID_LEN + 1];

    memcpy(id, (*cp)->id, sizeof(id));
    if (ctr_start(rt, *cp, err) < 0) {
        start_failed(*err);
        if (a->rm)
            put_and_remove(rt, cp);
        return -1;
    }
    printf("%s\n", id);
    return 0;
}

static int run_attached(struct runtime *rt, struct ctr **cp, struct ctropts *a, struct berr **err)
{
    struct ctr *c = *cp;
    struct ctr_attach_opts o = { .detach_keys = a->detach_keys, .sig_proxy = a->sig_proxy,
                                 .start = true };
    char id[STATE_ID_LEN + 1];
    bool detached = false;
    int code;

    memcpy(id, c->id, sizeof(id));
    o.in = a->attach_stdin;
    o.out = a->attach_stdout;
    o.err = a->attach_stderr;
    if (!o.out && !o.err)
        printf("%s\n", id);     /* podman: nothing to show, so the id */
    fflush(stdout);
    if (ctr_attach(rt, c, &o, &detached, err) < 0) {
        start_failed(*err);
        if (a->rm)
            put_and_remove(rt, cp);
        return -1;
    }
    if (detached)
        return 0;
    if (ctr_wait(rt, id, 1u << CS_EXITED, -1, CTR_WAIT_AUTOREMOVE, &code, err) < 0) {
        /* podman: a failed wait after an attached run is 127 */
        if (*err)
            (*err)->exit_code = BERR_NOT_FOUND;
        return -1;
    }
    /* --rm: the cleanup process may have removed it already; that is fine */
    if (a->rm)
        put_and_remove(rt, cp);
    /* an exit code of -1 (conmon's for a --timeout kill, or none known)
     * is 255 as an exit status, as podman's os.Exit(-1) */
    return code & 0xff;
}

static int run_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct ctropts a;
    struct runtime *rt;
    struct ctr *c = NULL;
    int r = ctropts_parse(cx, argc, argv, true, &a, err);

    if (r < 0 || a.help) {
        ctropts_free(&a);
        return r;
    }
    /* as create's; the start loads the locale for a hook's regexes
     * (runtime/hooks.c), a pull for its archives */
    cx->no_locale = true;
    if (a.tty && a.interactive && !isatty(STDIN_FILENO))
        log_warn("The input device is not a TTY. The --tty and --interactive flags might not work properly");
    /* the kernel's wait before the runtime's cgroup write, paid from
     * here on, beside the create (runtime/cgprime.h) */
    cgprime_begin();
    if (create_common(cx, &a, &rt, &c, err) < 0) {
        ctropts_free(&a);
        return -1;
    }
    fflush(stdout);
    rt->preserve_fds = a.preserve_fds;
    r = a.detach ? run_detached(rt, &c, &a, err) : run_attached(rt, &c, &a, err);
    ctr_put(c);
    ctropts_free(&a);
    return r;
}

#define CREATE_DESC "Creates a container from an image (or, with --rootfs, a directory) and\n" \
    "prints its ID. Nothing runs until `berth start`."
#define RUN_DESC "Creates a container and starts it. Attached (the default), berth copies\n" \
    "the container's output, forwards signals and exits with the container's exit\n" \
    "code; with -d it prints the container ID and leaves it running. Exit status:\n" \
    "125 when berth fails before the start, 126 when the start fails or the\n" \
    "command cannot be invoked, 127 when it (or what the start needs) is not\n" \
    "found, as podman's; else the container's own.\n" \
    "\n" \
    "Restart policies (--restart) need no daemon: when the container's process\n" \
    "exits, conmon runs `berth container cleanup`, which starts it again if the\n" \
    "policy says so (on-failure only after a non-zero exit, at most N times).\n" \
    "A container stopped by the user is not restarted; nothing restarts\n" \
    "containers after a reboot.\n" \
    "\n" \
    "--log-driver passthrough gives the container berth's own stdin, stdout and\n" \
    "stderr (not a terminal; no logs, no attach). Even with -d the container keeps\n" \
    "them: a pipe reading berth's output, such as $(berth run -d ...), sees the\n" \
    "container's output after the ID and ends only when the container exits."

const struct cmd cmd_create = { .name = "create", .summary = "Create but do not start a container",
    .usage = "[options] IMAGE [COMMAND [ARG...]]", .description = CREATE_DESC,
    .examples = "berth create --name web localhost/busybox httpd -f\nberth create -it localhost/busybox sh",
    .opts = ctr_create_opts, .fn = create_fn, .need = RT_FULL,
    .flags = CMD_STOP_AT_OPERAND | CMD_H_NOT_HELP };
const struct cmd cmd_run = { .name = "run", .summary = "Run a command in a new container",
    .usage = "[options] IMAGE [COMMAND [ARG...]]", .description = RUN_DESC,
    .examples = "berth run --rm localhost/busybox echo hello\n"
                "berth run -d --name web -p 8080:80 localhost/busybox httpd -f -p 80\n"
                "berth run -it localhost/busybox sh",
    .opts = ctr_run_opts, .fn = run_fn, .need = RT_FULL,
    .flags = CMD_STOP_AT_OPERAND | CMD_H_NOT_HELP };
