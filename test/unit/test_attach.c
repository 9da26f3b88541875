/*
 * test_attach.c: detach keys, the stream demux, resize messages, and
 * attach_stream() against a fake conmon attach socket.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/attach.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "unit.h"

static void t_detach_keys(void)
{
    static const struct { const char *spec; const char *want; size_t n; } ok[] = {
        { "ctrl-p,ctrl-q", "\x10\x11", 2 }, { "ctrl-a", "\x01", 1 }, { "a,b", "ab", 2 },
        { "ctrl-[", "\x1b", 1 }, { "ctrl-@,ctrl-_", "\x00\x1f", 2 }, { "ctrl-\\,ctrl-]", "\x1c\x1d", 2 },
        { "ctrl-^,DEL", "\x1e\x7f", 2 }, { ",", NULL, 0 }, { "", "", 0 },
    };
    static const char *bad[] = { "ctrl-", "ctrl-1", "ctrlp", "ab", "ctrl-p,", "ctrl-P" };
    unsigned char keys[16];
    size_t n;

    for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
        struct berr *err = NULL;
        int r = attach_parse_detach_keys(ok[i].spec, keys, &n, &err);
        if (!ok[i].want) {
            /* "," is two empty keys: refused like docker */
            CHECK(r < 0);
        } else {
            CHECK(r == 0);
            CHECK_INT(n, ok[i].n);
            CHECK(memcmp(keys, ok[i].want, n) == 0);
        }
        berr_free(err);
    }
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct berr *err = NULL;
        CHECK(attach_parse_detach_keys(bad[i], keys, &n, &err) < 0);
        CHECK(err && str_has_prefix(err->msg, "invalid detach keys: Unknown character: '"));
        berr_free(err);
    }
}

static void t_detach_filter(void)
{
    struct detach_filter f = { .keys = { 0x10, 0x11 }, .n = 2 };
    unsigned char out[64];
    bool det;
    size_t n;

    n = detach_filter_feed(&f, (const unsigned char *) "ab\x10", 3, out, &det);
    CHECK_INT(n, 2);
    CHECK(!det);
    CHECK_INT(f.matched, 1);            /* ctrl-p held back */
    n = detach_filter_feed(&f, (const unsigned char *) "c", 1, out, &det);
    CHECK_INT(n, 2);                    /* released: ctrl-p then c */
    CHECK(memcmp(out, "\x10" "c", 2) == 0);
    n = detach_filter_feed(&f, (const unsigned char *) "x\x10\x10\x11zz", 6, out, &det);
    CHECK(det);
    CHECK_INT(n, 2);                    /* x, the first ctrl-p; the rest is dropped */
    CHECK(memcmp(out, "x\x10", 2) == 0);
    f.n = 0;
    n = detach_filter_feed(&f, (const unsigned char *) "\x10\x11", 2, out, &det);
    CHECK_INT(n, 2);
    CHECK(!det);
    f = (struct detach_filter){ .keys = { 1 }, .n = 1 };
    n = detach_filter_feed(&f, (const unsigned char *) "q\x01w", 3, out, &det);
    CHECK(det);
    CHECK_INT(n, 1);
}

static void t_demux_resize(void)
{
    const unsigned char *d;
    size_t len;
    int s;
    char buf[32];

    CHECK(attach_demux((const unsigned char *) "\x02hi", 3, &s, &d, &len) == 0);
    CHECK_INT(s, ATTACH_STDOUT);
    CHECK_INT(len, 2);
    CHECK(memcmp(d, "hi", 2) == 0);
    CHECK(attach_demux((const unsigned char *) "\x03", 1, &s, &d, &len) == 0);
    CHECK_INT(s, ATTACH_STDERR);
    CHECK_INT(len, 0);
    CHECK(attach_demux((const unsigned char *) "\x07x", 2, &s, &d, &len) < 0);
    CHECK(attach_demux((const unsigned char *) "", 0, &s, &d, &len) < 0);
    CHECK_INT(attach_resize_msg(buf, sizeof(buf), 24, 80), 8);
    CHECK_STR(buf, "1 24 80\n");
}

/* A fake conmon: sends stdout and stderr packets, echoes what arrives on
 * stdin until the client half-closes, then says goodbye and closes. */
static void fake_conmon(int lfd)
{
    int c = accept(lfd, NULL, NULL);
    char in[256], reply[300];
    size_t got = 0;
    ssize_t n;

    if (c < 0)
        _exit(1);
    send(c, "\x02hello\n", 7, 0);
    send(c, "\x03oops\n", 6, 0);
    while ((n = recv(c, in + got, sizeof(in) - got - 1, 0)) > 0)
        got += (size_t) n;
    in[got] = '\0';
    n = snprintf(reply, sizeof(reply), "\x02got:%s", in);
    send(c, reply, (size_t) n, 0);
    close(c);
    _exit(0);
}

static int listen_at(const char *dir)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/attach", dir);
    if (fd < 0 || bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(fd, 10) < 0)
        return -1;
    return fd;
}

static char *read_all(int fd)
{
    char *s = NULL;
    return fs_read_fd(fd, &s, NULL) == 0 ? s : NULL;
}

static void run_stream(const char *input, size_t inlen, const char *keys, const char *want_out,
                       bool want_detached)
{
    char dir[] = "/tmp/berth-attach-XXXXXX";
    int lfd, sock = -1, in[2], out[2], errp[2], st;
    struct berr *err = NULL;
    bool detached = false;
    pid_t pid;

    CHECK(mkdtemp(dir) != NULL);
    lfd = listen_at(dir);
    CHECK(lfd >= 0);
    pid = fork();
    if (pid == 0)
        fake_conmon(lfd);
    close(lfd);
    CHECK(pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0 && pipe2(errp, O_CLOEXEC) == 0);
    CHECK(write(in[1], input, inlen) == (ssize_t) inlen);
    close(in[1]);
    CHECK(attach_connect(dir, &sock, &err) == 0);
    {
        struct attach_io io = { .in_fd = in[0], .out_fd = out[1], .err_fd = errp[1], .detach_keys = keys };
        CHECK(attach_stream(sock, &io, &detached, &err) == 0);
    }
    if (detached) {
        /* the fake keeps going until EOF on its side: close ours */
        close(sock);
        sock = -1;
    }
    waitpid(pid, &st, 0);
    close(out[1]);
    close(errp[1]);
    {
        _cleanup_free_ char *o = read_all(out[0]), *e = read_all(errp[0]);
        /* detaching may win the race against the first output packets */
        if (!want_detached) {
            CHECK_STR(o, want_out);
            CHECK_STR(e, "oops\n");
        }
    }
    CHECK(detached == want_detached);
    if (sock >= 0)
        close(sock);
    close(in[0]);
    close(out[0]);
    close(errp[0]);
    fs_rm_rf(dir, &err);
    berr_free(err);
}

static void t_stream(void)
{
    run_stream("abc", 3, NULL, "hello\ngot:abc", false);
    run_stream("x\x10y", 3, NULL, "hello\ngot:x\x10y", false);
    run_stream("ab\x10\x11zz", 6, NULL, NULL, true);
    run_stream("ab\x01", 3, "ctrl-a", NULL, true);
}

static void t_connect_missing(void)
{
    struct berr *err = NULL;
    int fd = -1;

    CHECK(attach_connect("/nonexistent-dir", &fd, &err) < 0);
    CHECK(err && strstr(err->msg, "no such file or directory"));
    berr_free(err);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    UNIT_RUN(t_detach_keys);
    UNIT_RUN(t_detach_filter);
    UNIT_RUN(t_demux_resize);
    UNIT_RUN(t_stream);
    UNIT_RUN(t_connect_missing);
    return unit_done();
}
