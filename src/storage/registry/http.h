/*
 * storage/registry/http.h: HTTP for the registry client, on libcurl's
 * multi interface (util/lazycurl.h): one connection cache for the whole
 * command, any number of transfers in flight at once, and the retry
 * policy in one place.
 *
 * A transfer is retried (3 tries in all, backoff 0.25 s then 1 s, or the
 * server's Retry-After up to 5 s) when the connection fails or resets,
 * or the answer is a 5xx or 429. A body already partly delivered to a
 * sink resumes with a Range request; a server that answers 200 instead of
 * 206 makes the sink start over (sink_reset).
 */
#ifndef BERTH_REGISTRY_HTTP_H
#define BERTH_REGISTRY_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"
#include "util/str.h"

struct http;
struct curl_slist;
typedef void CURL;

/* TLS towards one registry host. */
struct http_tls {
    bool verify;                /* verify the server's certificate and name */
    char *ca_pem;               /* extra CAs (certs.d *.crt), PEM, or NULL */
    size_t ca_len;
    char *cert, *key;           /* client certificate and key files, or NULL */
};
void http_tls_clear(struct http_tls *t);

/* A response body sink: returns 0, or -1 to abort the transfer (the sink
 * keeps its own error). reset: the body starts again from byte 0. */
struct http_sink {
    int (*write)(void *ctx, const void *buf, size_t len);
    int (*reset)(void *ctx);
    void *ctx;
};

struct http_xfer {
    /* request (caller) */
    const char *method;         /* "GET" (default), "HEAD", "PUT", "POST", "PATCH", "DELETE" */
    char *url;                  /* owned */
    char **headers;             /* "Name: value" lines (owned strv) */
    char *auth;                 /* the Authorization line (owned; never logged) */
    const void *body;           /* request body in memory, or */
    int body_fd;                /* a file region (>= 0): body_off, body_len */
    off_t body_off;
    size_t body_len;
    bool follow;                /* follow redirects (blobs: storage backends) */
    const struct http_tls *tls;
    const struct http_sink *sink;   /* a 2xx body goes here; NULL: into resp_body */
    size_t max_body;            /* resp_body limit (0: 4 MiB); more fails */
    /* response */
    long status;                /* 0 when no answer came */
    struct sbuf resp_body;      /* the body, or an error body */
    int64_t delivered;          /* bytes given to the sink */
    char *www_auth, *location, *content_type, *digest, *link, *range;
    char *effective_url;
    int64_t content_length;     /* -1 unknown */
    char errbuf[256];           /* libcurl's words when status is 0 */
    bool sink_failed;           /* the sink said -1 */
    bool too_big;
    /* engine */
    CURL *easy;
    struct curl_slist *slist;
    int tries;
    size_t up_pos;              /* bytes of the request body sent */
    int64_t range_from;         /* this attempt asked for the body from here */
    int64_t retry_at;           /* monotonic ms; 0: now */
    bool done;
};

int http_new(struct http **out, struct berr **err);
void http_free(struct http *h);
/* Prepares a transfer (zeroes it; url copied). */
int http_xfer_init(struct http_xfer *x, const char *method, const char *url, struct berr **err);
int http_xfer_header(struct http_xfer *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees what the transfer owns; it may be initialised again. */
void http_xfer_clear(struct http_xfer *x);
/* Runs the transfers until each has finished (retries included); each
 * then has its status or its error. -1 only when libcurl itself failed. */
int http_run(struct http *h, struct http_xfer *const *xs, size_t n, struct berr **err);
static inline int http_run1(struct http *h, struct http_xfer *x, struct berr **err)
{
    return http_run(h, &x, 1, err);
}
/* http_run with a callback after every round of the transfer loop (it
 * sees x->done for the finished ones); tick returning -1 stops every
 * transfer still running and makes http_run_tick return -1 (tick set
 * *err). http_wakeup, from any thread, makes the loop go round now. */
int http_run_tick(struct http *h, struct http_xfer *const *xs, size_t n,
                  int (*tick)(void *ctx, struct berr **err), void *ctx, struct berr **err);
void http_wakeup(struct http *h);
/* "connection refused"-style text for a transfer without an answer. */
const char *http_xfer_error(const struct http_xfer *x);
/* Whether status is 2xx. */
static inline bool http_ok(const struct http_xfer *x) { return x->status >= 200 && x->status < 300; }

/* Seconds of a Retry-After value (delta-seconds only); -1 if none. */
long http_retry_after(const char *v);

#endif
