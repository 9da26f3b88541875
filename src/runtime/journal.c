/*
 * runtime/journal.c: the systemd journal's native socket, as far as
 * berth goes with it. podman 4.3.1 opens the journal when a container is
 * created with --log-driver journald and fails there when nothing
 * listens ("failed to initialize journal: write unixgram @ADDR->
 * /run/systemd/journal/socket: sendmsg: ..."). berth gives the same
 * error; where a journal does listen, it says that it cannot log there
 * (conmon would write, but `logs` has no reader of the journal yet).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "runtime/journal.h"
#include "util/cleanup.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

/* The autobound abstract address of fd, as Go prints it: "@" and the
 * name (five hex digits from the kernel). */
static void local_name(int fd, char *buf, size_t len)
{
    struct sockaddr_un sa;
    socklen_t sl = sizeof(sa);
    size_t n;

    buf[0] = '\0';
    if (getsockname(fd, (struct sockaddr *) &sa, &sl) < 0 || sl <= sizeof(sa_family_t))
        return;
    n = sl - sizeof(sa_family_t);
    if (sa.sun_path[0] != '\0' || n < 2)
        return;
    snprintf(buf, len, "@%.*s", (int) (n - 1), sa.sun_path + 1);
}

int journal_check_log_driver(struct berr **err)
{
    struct sockaddr_un to = { .sun_family = AF_UNIX, .sun_path = JOURNAL_SOCKET };
    sa_family_t fam = AF_UNIX;
    _cleanup_close_ int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    char me[32];

    if (fd < 0)
        return berr_sys(err, "failed to initialize journal: socket");
    /* autobind, so that the error names our end as podman's does */
    (void) bind(fd, (struct sockaddr *) &fam, sizeof(fam));
    local_name(fd, me, sizeof(me));
    /* connect, not send: where a journal listens nothing is written */
    if (connect(fd, (struct sockaddr *) &to, sizeof(to)) < 0) {
        return berr_sys(err, "failed to initialize journal: write unixgram %s->%s: sendmsg", me,
                        JOURNAL_SOCKET);
    }
    return berr_msg(err, "log driver journald is not supported by berth");
}
