/*
 * runtime/sdnotify.c: --sdnotify, for a berth started by systemd with
 * Type=notify ($NOTIFY_SOCKET set). As podman: "conmon" tells systemd
 * MAINPID=<conmon> and READY=1 once the container has started;
 * "container" (the default) tells MAINPID=<conmon> and leaves READY to
 * the container; "ignore" tells nothing. In "container" mode the socket
 * reaches the container as podman 4.3.1 hands it on: the bundle's notify/
 * directory is bound at /run/notify, the container's NOTIFY_SOCKET is
 * /run/notify/notify.sock, and conmon (--sdnotify-socket) binds that
 * socket and relays READY=1 and WATCHDOG=1 to ours. conmon's own
 * environment never has NOTIFY_SOCKET, so the OCI runtime does not proxy
 * it a second time.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static int notify(const char *sock, const char *msg)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    size_t n = strlen(sock);
    socklen_t len;
    _cleanup_close_ int fd = -1;

    if (n == 0 || n >= sizeof(a.sun_path) || (sock[0] != '/' && sock[0] != '@'))
        return -(errno = EINVAL);
    memcpy(a.sun_path, sock, n);
    if (sock[0] == '@')
        a.sun_path[0] = '\0';      /* an abstract socket */
    len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + n + (sock[0] == '/'));
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *) &a, len) < 0)
        return -1;
    return 0;
}

void ctr_sdnotify_started(struct ctr *c)
{
    const char *sock = getenv("NOTIFY_SOCKET");
    const char *mode = js_str(c->cfg.spec, "sdNotifyMode", "container");
    _cleanup_free_ char *msg = NULL;

    if (!sock || !*sock || str_eq(mode, "ignore") || c->st.conmon_pid <= 0)
        return;
    msg = str_fmt("MAINPID=%d\n%s", (int) c->st.conmon_pid, str_eq(mode, "conmon") ? "READY=1\n" : "");
    if (!msg || notify(sock, msg) < 0)
        log_warn("notify %s: %s", sock, strerror(msg ? errno : ENOMEM));
}

const char *ctr_sdnotify_socket(const struct ctr *c)
{
    const char *sock = getenv("NOTIFY_SOCKET");

    if (!sock || !*sock || !str_eq(js_str(c->cfg.spec, "sdNotifyMode", "container"), "container"))
        return NULL;
    return sock;
}

int ctr_sdnotify_spec(const struct ctr *c, const char *bundle, json_t *in, struct berr **err)
{
    json_t *mounts = json_object_get(in, "mounts"), *env = json_object_get(in, "env");
    _cleanup_free_ char *dir = NULL;

    if (!ctr_sdnotify_socket(c))
        return 0;
    if (!(dir = fs_join(bundle, "notify")))
        return berr_oom(err);
    /* 0755 as podman's: a container user other than root reaches the
     * socket (conmon makes it 0777) */
    if (fs_mkdir_p(dir, 0755, err) < 0)
        return -1;
    if (chmod(dir, 0755) < 0)
        return berr_sys(err, "chmod %s", dir);
    /* a copy: the caller's list stays as it was */
    mounts = json_is_array(mounts) ? json_copy(mounts) : json_array();
    if (!mounts || json_object_set_new(in, "mounts", mounts) < 0)
        return berr_oom(err);
    env = json_is_array(env) ? json_copy(env) : json_array();
    if (!env || json_object_set_new(in, "env", env) < 0)
        return berr_oom(err);
    if (json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:[s,s]}", "destination",
                                                "/run/notify", "type", "bind", "source", dir,
                                                "options", "bind", "rprivate")) < 0 ||
        json_array_append_new(env, json_string("NOTIFY_SOCKET=/run/notify/notify.sock")) < 0)
        return berr_oom(err);
    return 0;
}
