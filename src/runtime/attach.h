/*
 * runtime/attach.h: the client side of conmon's attach socket
 * (SPEC-podman.md §2.7, §2.8).
 *
 * The socket is <bundle>/attach, SOCK_SEQPACKET; berth connects through
 * /proc/self/fd/<dirfd>/attach so long bundle paths do not hit the
 * 108-byte sun_path limit. conmon sends packets of one prefix byte
 * (2 stdout, 3 stderr; 1 stdin is defined but unused) plus up to 8192
 * bytes; it replays nothing, so connect before `runtime start`. Bytes
 * written to the socket go to the container's stdin (only when conmon
 * has -i or -t); shutdown(SHUT_WR) makes conmon close that stdin.
 * Window sizes go to <bundle>/ctl as "1 <rows> <cols>\n".
 */
#ifndef BERTH_ATTACH_H
#define BERTH_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#include "util/err.h"

enum { ATTACH_STDIN = 1, ATTACH_STDOUT = 2, ATTACH_STDERR = 3 };
#define ATTACH_PACKET_MAX 8193      /* prefix + conmon's STDIO_BUF_SIZE */
#define DETACH_KEYS_DEFAULT "ctrl-p,ctrl-q"

/* Connects to <dir>/attach (dir = the bundle, or an exec session dir). */
int attach_connect(const char *dir, int *fd, struct berr **err);

/* Splits one packet: *stream is its prefix (ATTACH_*), data/len the rest.
 * -1 for an empty packet or an unknown prefix. */
int attach_demux(const unsigned char *pkt, size_t n, int *stream, const unsigned char **data,
                 size_t *len);

/* Docker's key spec: comma-separated keys, each a single character
 * ("a", "1", "@"), "ctrl-<x>" for x in a-z, @, [, \, ], ^, _ (case as
 * given for the letter), or "DEL". "" means: no detach sequence.
 * At most 16 keys. Error: "invalid detach keys: Unknown character: 'x'". */
int attach_parse_detach_keys(const char *spec, unsigned char *keys, size_t *n,
                             struct berr **err);

/* The detach-key filter over a stdin stream. Bytes that may start the
 * sequence are held back; when the sequence breaks they are released in
 * order; when it completes, *detached is set and the rest of the input
 * is dropped. */
struct detach_filter {
    unsigned char keys[16];
    size_t n;                   /* 0: never detaches */
    size_t matched;             /* bytes of keys[] seen so far (held back) */
};
/* out must hold len + 16 bytes; returns how many bytes to forward. */
size_t detach_filter_feed(struct detach_filter *f, const unsigned char *in, size_t len,
                          unsigned char *out, bool *detached);

struct attach_io {
    int in_fd;                  /* -1: no stdin (--no-stdin / not -i) */
    int out_fd, err_fd;         /* where stdout / stderr packets go */
    const char *detach_keys;    /* NULL: ctrl-p,ctrl-q; "": none */
};
/* Copies until the socket reaches EOF (the container's stdio closed) or
 * the detach keys are typed (*detached = true; the socket is half-closed).
 * stdin EOF half-closes the socket and keeps reading output. */
int attach_stream(int sock, const struct attach_io *io, bool *detached, struct berr **err);

/* "1 <rows> <cols>\n" into buf (>= 32 bytes); returns its length. */
int attach_resize_msg(char *buf, size_t size, unsigned rows, unsigned cols);
/* Writes a resize message to <dir>/ctl (a FIFO conmon reads). */
int attach_resize(const char *dir, unsigned rows, unsigned cols, struct berr **err);

/* Terminal helpers for -t: raw mode on fd (the old settings in *saved),
 * restore, and the current window size (-1 when fd is no terminal). */
int term_make_raw(int fd, struct termios *saved, struct berr **err);
int term_restore(int fd, const struct termios *saved);
int term_size(int fd, unsigned *rows, unsigned *cols);

#endif
