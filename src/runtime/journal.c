/*
 * runtime/journal.c: the systemd journal, written through its native
 * socket and read with libsystemd (util/lazysd.h, loaded on first use).
 *
 * Writing needs no library: an entry is one datagram of "KEY=value\n"
 * fields (a value holding a newline goes as "KEY\n", its length as a
 * little-endian 64-bit number, the bytes, "\n"), sent to
 * /run/systemd/journal/socket. conmon writes the containers' output
 * itself (-l journald); berth writes events (events_journal.c).
 *
 * journald takes datagrams from its socket asynchronously: an entry
 * sent just before a reader opens the journal may not be in the files
 * yet. Readers first ask journald to Synchronize over its varlink
 * socket (what `journalctl --sync` does), so `run` then `logs` or an
 * event then `events --stream=false` see what was written. When that
 * socket is not there (no journald, or not root), reading goes on
 * without it.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "runtime/journal.h"
#include "util/cleanup.h"
#include "util/lazysd.h"
#include "util/str.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define JOURNAL_VARLINK "/run/systemd/journal/io.systemd.journal"

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

/* A datagram socket connected to the journal, or -1 with podman's error
 * ("failed to initialize journal: write unixgram @ADDR->SOCKET: sendmsg: ..."). */
static int journal_connect(struct berr **err)
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
    if (connect(fd, (struct sockaddr *) &to, sizeof(to)) < 0)
        return berr_sys(err, "failed to initialize journal: write unixgram %s->%s: sendmsg", me,
                        JOURNAL_SOCKET);
    return STEAL_FD(fd);
}

int journal_check_log_driver(struct berr **err)
{
    /* connect, not send: nothing is written to a journal that listens */
    int fd = journal_connect(err);

    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

bool journal_listening(void)
{
    struct berr *e = NULL;
    int fd = journal_connect(&e);

    berr_free(e);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

static void add_field(struct sbuf *b, const char *key, const char *val)
{
    size_t len = strlen(val);

    if (!memchr(val, '\n', len)) {
        sbuf_addf(b, "%s=%s\n", key, val);
        return;
    }
    sbuf_addf(b, "%s\n", key);
    for (int i = 0; i < 8; i++)
        sbuf_addc(b, (char) (((uint64_t) len >> (8 * i)) & 0xff));
    sbuf_addn(b, val, len);
    sbuf_addc(b, '\n');
}

int journal_send(const struct journal_field *f, size_t n, struct berr **err)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    _cleanup_close_ int fd = journal_connect(err);

    if (fd < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (f[i].val)
            add_field(&b, f[i].key, f[i].val);
    if (b.oom)
        return berr_oom(err);
    if (send(fd, b.buf, b.len, MSG_NOSIGNAL) < 0)
        return berr_sys(err, "write to the journal (%s)", JOURNAL_SOCKET);
    return 0;
}

void journal_sync(void)
{
    static const char req[] = "{\"method\":\"io.systemd.Journal.Synchronize\",\"parameters\":{}}";
    struct sockaddr_un to = { .sun_family = AF_UNIX, .sun_path = JOURNAL_VARLINK };
    _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    char buf[256];

    /* the request and its NUL terminator, as varlink frames messages */
    if (fd < 0 || connect(fd, (struct sockaddr *) &to, sizeof(to)) < 0 ||
        send(fd, req, sizeof(req), MSG_NOSIGNAL) != (ssize_t) sizeof(req))
        return;
    /* The reply ends with a NUL; 5 s at most, then read what is there. */
    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ssize_t r;

        if (poll(&p, 1, 5000) <= 0)
            return;
        r = recv(fd, buf, sizeof(buf), 0);
        if (r <= 0 || memchr(buf, '\0', (size_t) r))
            return;
    }
}

int journal_open_read(sd_journal **out, struct berr **err)
{
    sd_journal *j = NULL;
    int r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);

    if (r < 0)
        return berr_new(err, BERR_ENGINE, -r, "open the journal");
    /* 0: whole fields, however long (a log line may be long) */
    (void) sd_journal_set_data_threshold(j, 0);
    *out = j;
    return 0;
}

void journal_closep(sd_journal **j)
{
    if (*j)
        sd_journal_close(*j);
}

bool journal_field(sd_journal *j, const char *key, const char **val, size_t *len)
{
    const void *d;
    size_t l, kl = strlen(key);

    if (sd_journal_get_data(j, key, &d, &l) < 0 || l <= kl || ((const char *) d)[kl] != '=')
        return false;
    *val = (const char *) d + kl + 1;
    *len = l - kl - 1;
    return true;
}

bool journal_field_is(sd_journal *j, const char *key, const char *want)
{
    const char *v;
    size_t l;

    return journal_field(j, key, &v, &l) && l == strlen(want) && memcmp(v, want, l) == 0;
}

char *journal_field_dup(sd_journal *j, const char *key)
{
    const char *v;
    size_t l;

    if (!journal_field(j, key, &v, &l))
        return NULL;
    return str_ndup(v, l);
}
