/*
 * runtime/attach.c: attach socket client, stream demux, detach keys,
 * resize messages and raw terminal mode (protocol notes in attach.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "runtime/attach.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"

int attach_connect(const char *dir, int *fd, struct berr **err)
{
    _cleanup_close_ int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC), s = -1;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    if (dfd < 0)
        return berr_sys(err, "open %s", dir);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/attach", dfd);
    s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (s < 0)
        return berr_sys(err, "create attach socket");
    if (connect(s, (struct sockaddr *) &sa, sizeof(sa)) < 0)
        return berr_sys(err, "failed to connect to container's attach socket: %s/attach", dir);
    *fd = STEAL_FD(s);
    return 0;
}

int attach_demux(const unsigned char *pkt, size_t n, int *stream, const unsigned char **data,
                 size_t *len)
{
    if (n < 1 || pkt[0] < ATTACH_STDIN || pkt[0] > ATTACH_STDERR)
        return -1;
    *stream = pkt[0];
    *data = pkt + 1;
    *len = n - 1;
    return 0;
}

static int key_code(const char *k, unsigned char *out)
{
    static const char ctrl_tail[] = "[\\]^_";

    if (strlen(k) == 1) {
        *out = (unsigned char) k[0];
        return 0;
    }
    if (strcmp(k, "DEL") == 0) {
        *out = 127;
        return 0;
    }
    if (strncmp(k, "ctrl-", 5) != 0 || strlen(k) != 6)
        return -1;
    if (k[5] >= 'a' && k[5] <= 'z')
        *out = (unsigned char) (k[5] - 'a' + 1);
    else if (k[5] == '@')
        *out = 0;
    else if (strchr(ctrl_tail, k[5]))
        *out = (unsigned char) (27 + (strchr(ctrl_tail, k[5]) - ctrl_tail));
    else
        return -1;
    return 0;
}

int attach_parse_detach_keys(const char *spec, unsigned char *keys, size_t *n,
                             struct berr **err)
{
    const char *p = spec;

    *n = 0;
    if (!spec || !*spec)
        return 0;
    for (;;) {
        size_t len = strcspn(p, ",");
        _cleanup_free_ char *k = str_ndup(p, len);
        if (!k)
            return berr_oom(err);
        if (*n == 16 || key_code(k, &keys[*n]) < 0)
            return berr_kind(err, BK_INVALID, "invalid detach keys: Unknown character: '%s'", k);
        (*n)++;
        if (!p[len])
            break;
        p += len + 1;
    }
    return 0;
}

size_t detach_filter_feed(struct detach_filter *f, const unsigned char *in, size_t len,
                          unsigned char *out, bool *detached)
{
    size_t o = 0;

    *detached = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = in[i];
        if (!f->n) {
            out[o++] = c;
            continue;
        }
        if (c == f->keys[f->matched]) {
            if (++f->matched == f->n) {
                f->matched = 0;
                *detached = true;
                return o;
            }
            continue;
        }
        /* the sequence broke: release what was held, then retry c */
        memcpy(out + o, f->keys, f->matched);
        o += f->matched;
        f->matched = 0;
        if (c == f->keys[0]) {
            f->matched = 1;
            if (f->n == 1) {
                f->matched = 0;
                *detached = true;
                return o;
            }
        } else {
            out[o++] = c;
        }
    }
    return o;
}

static int send_all(int sock, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = send(sock, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

int attach_stream(int sock, const struct attach_io *io, bool *detached, struct berr **err)
{
    struct detach_filter f = { 0 };
    unsigned char pkt[ATTACH_PACKET_MAX], in[8192], fwd[8192 + 16];
    struct pollfd p[2] = { { .fd = sock, .events = POLLIN }, { .fd = io->in_fd, .events = POLLIN } };

    *detached = false;
    if (attach_parse_detach_keys(io->detach_keys ? io->detach_keys : DETACH_KEYS_DEFAULT, f.keys,
                                 &f.n, err) < 0)
        return -1;
    for (;;) {
        if (poll(p, p[1].fd >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            return berr_sys(err, "poll attach socket");
        }
        if (p[0].revents) {
            ssize_t n = recv(sock, pkt, sizeof(pkt), 0);
            const unsigned char *data;
            size_t len;
            int stream;
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n < 0 && errno != ECONNRESET)
                return berr_sys(err, "read from attach socket");
            if (n <= 0)
                return 0;               /* conmon shut the socket: the container is done */
            if (attach_demux(pkt, (size_t) n, &stream, &data, &len) == 0 && len) {
                int fd = stream == ATTACH_STDERR ? io->err_fd : io->out_fd;
                /* a stream not attached (--attach stderr) is dropped */
                if (fd >= 0 && fs_write_all(fd, data, len) < 0 && errno != EPIPE)
                    return berr_sys(err, "write container output");
            }
        }
        if (p[1].fd >= 0 && p[1].revents) {
            ssize_t n = read(p[1].fd, in, sizeof(in));
            size_t fl;
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0) {
                /* stdin ended: conmon closes the container's stdin on our half-close */
                shutdown(sock, SHUT_WR);
                p[1].fd = -1;
                continue;
            }
            fl = detach_filter_feed(&f, in, (size_t) n, fwd, detached);
            if (fl && send_all(sock, fwd, fl) < 0 && errno != EPIPE)
                return berr_sys(err, "write to attach socket");
            if (*detached) {
                shutdown(sock, SHUT_WR);
                return 0;
            }
        }
    }
}

int attach_resize_msg(char *buf, size_t size, unsigned rows, unsigned cols)
{
    return snprintf(buf, size, "1 %u %u\n", rows, cols);
}

int attach_resize(const char *dir, unsigned rows, unsigned cols, struct berr **err)
{
    _cleanup_free_ char *path = fs_join(dir, "ctl");
    _cleanup_close_ int fd = -1;
    char msg[64];
    int n = attach_resize_msg(msg, sizeof(msg), rows, cols);

    if (!path)
        return berr_oom(err);
    fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return berr_sys(err, "open %s", path);
    if (fs_write_all(fd, msg, (size_t) n) < 0)
        return berr_sys(err, "write %s", path);
    return 0;
}

int term_make_raw(int fd, struct termios *saved, struct berr **err)
{
    struct termios t;

    if (tcgetattr(fd, saved) < 0)
        return berr_sys(err, "get terminal attributes");
    t = *saved;
    cfmakeraw(&t);
    /* keep output post-processing off too, as Go's term.MakeRaw does */
    if (tcsetattr(fd, TCSANOW, &t) < 0)
        return berr_sys(err, "set terminal raw mode");
    return 0;
}

int term_restore(int fd, const struct termios *saved)
{
    return tcsetattr(fd, TCSANOW, saved);
}

int term_size(int fd, unsigned *rows, unsigned *cols)
{
    struct winsize ws;

    if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
        return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}
