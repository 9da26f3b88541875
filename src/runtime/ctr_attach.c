/*
 * runtime/ctr_attach.c: attaching to a container's stdio through conmon's
 * socket, for run (attached), start --attach and attach.
 *
 * The socket is connected before `runtime start` (conmon replays nothing).
 * The container lock is released before streaming: stop, inspect and ps
 * must work while someone is attached. Signals: a thread waits for them
 * with sigwait(); SIGWINCH sends the new window size to conmon's ctl
 * FIFO, and with sig_proxy the terminating signals go to the container
 * through the OCI runtime. The main thread only copies bytes.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "runtime/attach.h"
#include "runtime/conmon.h"
#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/ociruntime.h"
#include "runtime/rtexec.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static void proxy_signal(struct ctr_sigfwd *s, int sig)
{
    struct oci_runtime *r = NULL;
    struct berr *e = NULL;
    struct oci_invoke inv = { 0 };
    _cleanup_free_ char *path = NULL;

    if (oci_runtime_resolve(s->rt->cfg, NULL, &r, &e) == 0 &&
        rtexec_path(s->rt->cfg->tmp_dir, r->path, &path, &e) == 0) {
        inv.path = path;
        inv.name = r->name;
        inv.xdg_runtime_dir = "";
        if (oci_kill(&inv, s->id, sig, false, &e) < 0)
            log_debug("forwarding signal %d to %s: %s", sig, s->id, e->msg);
    }
    berr_free(e);
    oci_runtime_free(r);
}

static void *sig_thread(void *arg)
{
    struct ctr_sigfwd *s = arg;

    for (;;) {
        int sig;
        if (sigwait(&s->set, &sig) != 0)
            continue;
        if (sig == SIGUSR2 && !s->running)
            break;      /* our own wake-up to finish */
        if (sig == SIGWINCH) {
            unsigned rows, cols;
            struct berr *e = NULL;
            if (s->tty && term_size(STDIN_FILENO, &rows, &cols) == 0 &&
                attach_resize(s->ctl_dir, rows, cols, &e) < 0)
                berr_free(e);
            continue;
        }
        if (s->proxy && sig != SIGUSR2)
            proxy_signal(s, sig);
    }
    return NULL;
}

int ctr_sigfwd_start(struct ctr_sigfwd *s, struct berr **err)
{
    static const int sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

    sigemptyset(&s->set);
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
        sigaddset(&s->set, sigs[i]);
    if (pthread_sigmask(SIG_BLOCK, &s->set, NULL) != 0)
        return berr_msg(err, "block signals");
    s->running = true;
    if (pthread_create(&s->thread, NULL, sig_thread, s) != 0) {
        s->running = false;
        pthread_sigmask(SIG_UNBLOCK, &s->set, NULL);
        return berr_msg(err, "start the signal thread");
    }
    return 0;
}

void ctr_sigfwd_stop(struct ctr_sigfwd *s)
{
    if (!s->running)
        return;
    s->running = false;
    pthread_kill(s->thread, SIGUSR2);
    pthread_join(s->thread, NULL);
    pthread_sigmask(SIG_UNBLOCK, &s->set, NULL);
}

int ctr_attach(struct runtime *rt, struct ctr *c, const struct ctr_attach_opts *o,
               bool *detached, struct berr **err)
{
    _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id);
    _cleanup_close_ int sock = -1;
    struct ctr_sigfwd s = { .rt = rt, .id = c->id, .tty = c->cfg.terminal,
                        .proxy = o->sig_proxy };
    struct attach_io io = {
        .in_fd = o->in ? STDIN_FILENO : -1,
        .out_fd = o->out ? STDOUT_FILENO : -1,
        .err_fd = o->err ? STDERR_FILENO : -1,
        .detach_keys = o->detach_keys,
    };
    struct termios saved;
    bool raw = false;
    int r;

    *detached = false;
    if (!bundle)
        return berr_oom(err);
    if (o->start && ctr_state(c) != CS_CREATED && ctr_init_to_start(rt, c, err) < 0)
        return -1;
    if (!o->start && ctr_state(c) != CS_RUNNING)
        return berr_kind(err, BK_STATE, "you can only attach to running containers");
    /* passthrough: conmon gave the container our own stdio and serves no
     * attach socket; the output is already ours, there is nothing to copy */
    if (str_eq(c->cfg.log_driver, "passthrough")) {
        if (!o->start)
            return berr_msg(err, "container %s uses the passthrough log driver: it cannot be attached to",
                            c->id);
        if (ctr_start(rt, c, err) < 0)
            return -1;
        lock_release(&c->lock);
        return 0;
    }
    if (attach_connect(bundle, &sock, err) < 0)
        return -1;
    /* The terminal's size before the process starts: the pty exists
     * since the runtime's create, and a shell reads its size at once. */
    if (s.tty && o->in && isatty(STDIN_FILENO)) {
        unsigned rows, cols;
        struct berr *e = NULL;
        if (term_size(STDIN_FILENO, &rows, &cols) == 0 && attach_resize(bundle, rows, cols, &e) < 0)
            berr_free(e);
    }
    if (o->start && ctr_start(rt, c, err) < 0)
        return -1;
    ctr_emit(rt, c, "attach");
    /* Never hold the container's lock while streaming. */
    lock_release(&c->lock);
    s.ctl_dir = bundle;
    if (s.tty && o->in && isatty(STDIN_FILENO)) {
        if (term_make_raw(STDIN_FILENO, &saved, err) < 0)
            return -1;
        raw = true;
        if (!o->start)
            proxy_signal(&s, SIGWINCH);   /* an attach makes the program redraw */
    }
    if (ctr_sigfwd_start(&s, err) < 0) {
        if (raw)
            term_restore(STDIN_FILENO, &saved);
        return -1;
    }
    r = attach_stream(sock, &io, detached, err);
    ctr_sigfwd_stop(&s);
    if (raw)
        term_restore(STDIN_FILENO, &saved);
    return r;
}
