/*
 * runtime/sdnotify.c: --sdnotify, for a berth started by systemd with
 * Type=notify ($NOTIFY_SOCKET set). As podman: "conmon" tells systemd
 * MAINPID=<conmon> and READY=1 once the container has started;
 * "container" (the default) tells MAINPID=<conmon> and leaves READY to
 * the container; "ignore" tells nothing. berth never hands the socket to
 * conmon or the OCI runtime, so in "container" mode the container itself
 * cannot reach it (podman has runc proxy it in): documented, not done.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "util/cleanup.h"
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
