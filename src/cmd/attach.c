/*
 * cmd/attach.c: berth attach, to a running container's stdio through
 * conmon's attach socket (runtime/ctr_attach.c).
 */
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/ctr_each.h"
#include "runtime/container.h"
#include "util/cleanup.h"
#include "util/js.h"

enum { O_NO_STDIN = 256, O_DETACH_KEYS, O_SIG_PROXY, O_LATEST = 'l' };

static const struct cmd_opt attach_opts[] = {
    { "detach-keys", O_DETACH_KEYS, OPT_ARG, "string", "Select the key sequence for detaching a container. Format is a single character [a-Z] or a comma separated sequence of ctrl-<value> (default \"ctrl-p,ctrl-q\")", 0 },
    { "latest", O_LATEST, OPT_FLAG, NULL, "Act on the latest container berth is aware of", 0 },
    { "no-stdin", O_NO_STDIN, OPT_FLAG, NULL, "Do not attach STDIN. The default is false", 0 },
    { "sig-proxy", O_SIG_PROXY, OPT_FLAG, NULL, "Proxy received signals to the process (default true)", 0 },
    { 0 }
};

static int attach_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    _cleanup_ctr_ struct ctr *c = NULL;
    struct ctr_attach_opts o = { .out = true, .err = true, .sig_proxy = true };
    bool no_stdin = false, latest = false, detached;
    char id[STATE_ID_LEN + 1];
    int r;

    cmd_opt_init(&it, cx);
    while ((r = opt_next(&it, argc, argv, err)) > 0) {
        switch (r) {
        case O_NO_STDIN: no_stdin = it.bval; break;
        case O_DETACH_KEYS: o.detach_keys = it.arg; break;
        case O_SIG_PROXY: o.sig_proxy = it.bval; break;
        case O_LATEST: latest = it.bval; break;
        }
    }
    if (r == 0 && !it.help && it.nargs != (latest ? 0 : 1))
        r = berr_msg(err, "attach requires the name or id of one running container or the latest flag");
    if (r < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return r < 0 || !it.help ? -1 : 0;
    }
    r = latest ? ctr_latest(rt, id, err) == 0 ? ctr_get_id(rt, id, &c, err) : -1
               : ctr_get(rt, it.args[0], &c, err);
    opt_free(&it);
    if (r < 0)
        return -1;
    o.in = !no_stdin && c->cfg.stdin_open;
    if (ctr_attach(rt, c, &o, &detached, err) < 0)
        return -1;
    /* podman ends an attach with a newline */
    if (!detached)
        putchar('\n');
    return 0;
}

#define ATTACH_DESC "Connects the terminal to a running container's standard input, output\n" \
    "and error. The detach keys (ctrl-p,ctrl-q unless --detach-keys says otherwise)\n" \
    "leave it running."
const struct cmd cmd_attach = { .name = "attach", .summary = "Attach to a running container",
    .usage = "[options] CONTAINER", .description = ATTACH_DESC,
    .examples = "berth attach web\nberth attach --no-stdin web", .opts = attach_opts,
    .fn = attach_fn, .need = RT_FULL };
