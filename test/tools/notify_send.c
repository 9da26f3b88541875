/*
 * test/tools/notify_send.c: "notify_send MSG" sends MSG as one datagram to
 * $NOTIFY_SOCKET, as sd_notify(3) does; exit 1 when it cannot. Built
 * static at test time (sdnotify.bats) to run inside the busybox image,
 * whose nc has no unix datagram mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
    const char *path = getenv("NOTIFY_SOCKET");
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int fd;

    if (argc != 2 || !path || !*path || strlen(path) >= sizeof(a.sun_path)) {
        fprintf(stderr, "usage: NOTIFY_SOCKET=PATH notify_send MSG\n");
        return 1;
    }
    strcpy(a.sun_path, path);
    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0 || sendto(fd, argv[1], strlen(argv[1]), 0, (struct sockaddr *) &a, sizeof(a)) < 0) {
        perror(path);
        return 1;
    }
    return 0;
}
