/*
 * storage/registry/http.c: transfers on one libcurl multi handle.
 * See http.h for the retry policy. Every transfer of a command shares the
 * multi handle's connection cache, so the token, the manifest and the
 * blobs of a pull ride the same TLS connections.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storage/registry/http.h"
#include "util/cleanup.h"
#include "util/lazycurl.h"
#include "util/log.h"
#include "util/str.h"

#define HTTP_TRIES 3
#define HTTP_MAX_BODY (4u << 20)

struct http {
    CURLM *multi;
    char *noproxy;
};

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void http_tls_clear(struct http_tls *t)
{
    free(t->ca_pem);
    free(t->cert);
    free(t->key);
    memset(t, 0, sizeof(*t));
}

int http_new(struct http **out, struct berr **err)
{
    struct http *h = calloc(1, sizeof(*h));
    const char *np = getenv("NO_PROXY");

    if (!h)
        return berr_oom(err);
    if (!np)
        np = getenv("no_proxy");
    /* Go's ProxyFromEnvironment never proxies loopback; curl would. */
    h->noproxy = str_fmt("%s%slocalhost,127.0.0.1,::1", np ? np : "", np && *np ? "," : "");
    h->multi = curl_multi_init();
    if (!h->multi || !h->noproxy) {
        http_free(h);
        return berr_msg(err, "cannot initialise libcurl");
    }
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
    /* A connection per transfer rather than HTTP/2 streams on one: the
     * registry then serves the blobs of a pull on as many connections
     * (and cores) as there are layers. */
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_NOTHING);
    *out = h;
    return 0;
}

void http_free(struct http *h)
{
    if (!h)
        return;
    if (h->multi)
        curl_multi_cleanup(h->multi);
    free(h->noproxy);
    free(h);
}

int http_xfer_init(struct http_xfer *x, const char *method, const char *url, struct berr **err)
{
    memset(x, 0, sizeof(*x));
    x->method = method ? method : "GET";
    x->body_fd = -1;
    x->content_length = -1;
    if (!(x->url = str_dup(url)))
        return berr_oom(err);
    return 0;
}

int http_xfer_header(struct http_xfer *x, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = str_vfmt(fmt, ap);
    va_end(ap);
    return s ? strv_push_take(&x->headers, s) : -1;
}

static void free_headers(struct http_xfer *x)
{
    free(x->www_auth);
    free(x->location);
    free(x->content_type);
    free(x->digest);
    free(x->link);
    free(x->range);
    x->www_auth = x->location = x->content_type = x->digest = x->link = x->range = NULL;
}

static void xfer_reset_response(struct http_xfer *x)
{
    free_headers(x);
    free(x->effective_url);
    x->effective_url = NULL;
    x->content_length = -1;
    x->status = 0;
    x->errbuf[0] = '\0';
    x->too_big = false;
    sbuf_reset(&x->resp_body);
}

void http_xfer_clear(struct http_xfer *x)
{
    xfer_reset_response(x);
    sbuf_free(&x->resp_body);
    if (x->easy)
        curl_easy_cleanup(x->easy);
    if (x->slist)
        curl_slist_free_all(x->slist);
    free(x->url);
    strv_free(x->headers);
    if (x->auth)
        explicit_bzero(x->auth, strlen(x->auth));
    free(x->auth);
    memset(x, 0, sizeof(*x));
    x->body_fd = -1;
}

const char *http_xfer_error(const struct http_xfer *x)
{
    return x->errbuf[0] ? x->errbuf : "no response";
}

long http_retry_after(const char *v)
{
    long long n;

    if (!v)
        return -1;
    _cleanup_free_ char *t = str_dup(v);
    if (!t || str_to_ll(str_trim(t), &n) < 0 || n < 0)
        return -1;
    return (long) n;
}

/* ---- callbacks ---- */

static size_t write_cb(char *p, size_t size, size_t nmemb, void *ud)
{
    struct http_xfer *x = ud;
    size_t len = size * nmemb;
    long st = 0;

    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &st);
    if (x->sink && st >= 200 && st < 300) {
        /* A resumed transfer the server answered whole: start over. */
        if (st == 200 && x->range_from > 0) {
            x->range_from = 0;
            if (x->sink->reset && x->sink->reset(x->sink->ctx) < 0) {
                x->sink_failed = true;
                return 0;
            }
            x->delivered = 0;
        }
        if (x->sink->write(x->sink->ctx, p, len) < 0) {
            x->sink_failed = true;
            return 0;
        }
        x->delivered += (int64_t) len;
        return len;
    }
    if (x->resp_body.len + len > (x->max_body ? x->max_body : HTTP_MAX_BODY)) {
        x->too_big = true;
        return 0;
    }
    return sbuf_addn(&x->resp_body, p, len) < 0 ? 0 : len;
}

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
    struct http_xfer *x = ud;
    size_t want = size * nmemb, left = x->body_len - x->up_pos;

    if (want > left)
        want = left;
    if (want == 0)
        return 0;
    if (x->body_fd < 0) {
        memcpy(buf, (const char *) x->body + x->up_pos, want);
    } else {
        ssize_t r;
        do
            r = pread(x->body_fd, buf, want, x->body_off + (off_t) x->up_pos);
        while (r < 0 && errno == EINTR);
        if (r <= 0)
            return CURL_READFUNC_ABORT;
        want = (size_t) r;
    }
    x->up_pos += want;
    return want;
}

/* libcurl rewinds an upload it must send again (a redirect, a retried
 * request on a reused connection). */
static int seek_cb(void *ud, curl_off_t off, int origin)
{
    struct http_xfer *x = ud;

    if (origin != SEEK_SET || off < 0 || (size_t) off > x->body_len)
        return CURL_SEEKFUNC_CANTSEEK;
    x->up_pos = (size_t) off;
    return CURL_SEEKFUNC_OK;
}

/* ---- one transfer ---- */

static int xfer_setup(struct http *h, struct http_xfer *x, struct berr **err)
{
    CURL *e = x->easy;

    if (!e && !(e = x->easy = curl_easy_init()))
        return berr_msg(err, "cannot initialise libcurl");
    if (x->slist) {
        curl_slist_free_all(x->slist);
        x->slist = NULL;
    }
    for (char **hd = x->headers; hd && *hd; hd++)
        if (!(x->slist = curl_slist_append(x->slist, *hd)))
            return berr_oom(err);
    if (x->auth && !(x->slist = curl_slist_append(x->slist, x->auth)))
        return berr_oom(err);
    /* No "Expect: 100-continue" round trip before an upload. */
    if (!(x->slist = curl_slist_append(x->slist, "Expect:")))
        return berr_oom(err);
    x->range_from = x->sink ? x->delivered : 0;
    if (x->range_from > 0) {
        char r[64];
        snprintf(r, sizeof(r), "Range: bytes=%lld-", (long long) x->delivered);
        if (!(x->slist = curl_slist_append(x->slist, r)))
            return berr_oom(err);
    }
    curl_easy_setopt(e, CURLOPT_URL, x->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->slist);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "berth/" BERTH_VERSION);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    /* big reads: fewer system calls and callbacks per blob */
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 512L << 10);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, x->follow ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
    /* A redirect to another host (a blob store) must not carry our
     * Authorization: libcurl drops custom auth headers across hosts. */
    curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
    /* A transfer that stalls (a cut network) fails and is retried. */
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(e, CURLOPT_NOPROXY, h->noproxy);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    if (x->tls) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, x->tls->verify ? 1L : 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, x->tls->verify ? 2L : 0L);
        if (x->tls->ca_pem) {
            struct curl_blob b = { .data = x->tls->ca_pem, .len = x->tls->ca_len,
                                   .flags = CURL_BLOB_COPY };
            curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &b);
        }
        if (x->tls->cert)
            curl_easy_setopt(e, CURLOPT_SSLCERT, x->tls->cert);
        if (x->tls->key)
            curl_easy_setopt(e, CURLOPT_SSLKEY, x->tls->key);
    }
    x->up_pos = 0;
    bool has_body = x->body || x->body_fd >= 0;
    if (!strcmp(x->method, "HEAD")) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (!strcmp(x->method, "POST") && !has_body) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) 0);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
    } else if (strcmp(x->method, "GET") && strcmp(x->method, "DELETE")) {
        /* PUT, PATCH, POST with a body: an upload, its method named. */
        curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t) (has_body ? x->body_len : 0));
        curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(e, CURLOPT_READDATA, x);
        curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, seek_cb);
        curl_easy_setopt(e, CURLOPT_SEEKDATA, x);
        if (strcmp(x->method, "PUT"))
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, x->method);
    } else if (!strcmp(x->method, "DELETE")) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
    }
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK)
        return berr_msg(err, "libcurl: cannot start a transfer");
    return 0;
}

static char *header_of(CURL *e, const char *name)
{
    struct curl_header *hd = NULL;

    if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK || !hd)
        return NULL;
    return str_dup(hd->value);
}

/* Collects the answer; true when the transfer should be tried again. */
static bool xfer_finish(struct http *h, struct http_xfer *x, CURLcode cc)
{
    CURL *e = x->easy;
    char *eff = NULL;
    curl_off_t cl = -1;

    curl_multi_remove_handle(h->multi, e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &x->status);
    curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &eff);
    curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
    free(x->effective_url);
    x->effective_url = str_dup(eff);
    x->content_length = cl;
    if (x->status) {
        free_headers(x);
        x->www_auth = header_of(e, "WWW-Authenticate");
        x->location = header_of(e, "Location");
        x->content_type = header_of(e, "Content-Type");
        x->digest = header_of(e, "Docker-Content-Digest");
        x->link = header_of(e, "Link");
        x->range = header_of(e, "Range");
    }
    if (cc != CURLE_OK && !x->errbuf[0])
        snprintf(x->errbuf, sizeof(x->errbuf), "%s", curl_easy_strerror(cc));
    if (cc == CURLE_OK)
        x->errbuf[0] = '\0';
    if (x->sink_failed || x->too_big || ++x->tries >= HTTP_TRIES)
        return false;

    long wait_s = -1;
    bool again = false;
    switch (cc) {
    case CURLE_OK:
        if (x->status >= 500 || x->status == 429) {
            _cleanup_free_ char *ra = header_of(e, "Retry-After");
            wait_s = http_retry_after(ra);
            again = true;
        }
        break;
    case CURLE_COULDNT_CONNECT: case CURLE_RECV_ERROR: case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING: case CURLE_PARTIAL_FILE: case CURLE_OPERATION_TIMEDOUT:
    case CURLE_HTTP2: case CURLE_HTTP2_STREAM:
        again = true;
        break;
    default:
        break;
    }
    if (!again)
        return false;
    int64_t delay = x->tries == 1 ? 250 : 1000;
    if (wait_s >= 0)
        delay = (wait_s > 5 ? 5 : wait_s) * 1000;
    log_debug("%s %s: %s%s, trying again in %lld ms", x->method, x->url,
              cc == CURLE_OK ? "status " : "", cc == CURLE_OK ? "" : http_xfer_error(x),
              (long long) delay);
    if (cc == CURLE_OK)
        log_debug("  (status %ld)", x->status);
    /* An error body is not the resource: drop it before trying again. */
    if (x->delivered == 0 || cc == CURLE_OK)
        sbuf_reset(&x->resp_body);
    x->retry_at = now_ms() + delay;
    return true;
}

void http_wakeup(struct http *h)
{
    curl_multi_wakeup(h->multi);
}

static void stop_all(struct http *h, struct http_xfer *const *xs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!xs[i]->done) {
            if (!xs[i]->retry_at)
                curl_multi_remove_handle(h->multi, xs[i]->easy);
            xs[i]->done = true;
            if (!xs[i]->errbuf[0])
                snprintf(xs[i]->errbuf, sizeof(xs[i]->errbuf), "stopped");
        }
}

int http_run(struct http *h, struct http_xfer *const *xs, size_t n, struct berr **err)
{
    return http_run_tick(h, xs, n, NULL, NULL, err);
}

int http_run_tick(struct http *h, struct http_xfer *const *xs, size_t n,
                  int (*tick)(void *ctx, struct berr **err), void *ctx, struct berr **err)
{
    size_t pending = 0;

    for (size_t i = 0; i < n; i++) {
        xs[i]->done = false;
        xs[i]->tries = 0;
        xs[i]->retry_at = 0;
        xs[i]->sink_failed = false;
        xfer_reset_response(xs[i]);
        if (xfer_setup(h, xs[i], err) < 0) {
            stop_all(h, xs, i);
            return -1;
        }
        pending++;
    }
    while (pending > 0) {
        int running = 0, q;
        CURLMsg *m;

        if (curl_multi_perform(h->multi, &running) != CURLM_OK) {
            stop_all(h, xs, n);
            return berr_msg(err, "libcurl: transfer engine failed");
        }
        while ((m = curl_multi_info_read(h->multi, &q))) {
            struct http_xfer *x = NULL;
            if (m->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **) &x);
            if (!xfer_finish(h, x, m->data.result)) {
                x->done = true;
                x->retry_at = 0;
                pending--;
            }
        }
        /* Restart the retries that are due; sleep no longer than the
         * next one needs. */
        int64_t now = now_ms(), next = -1;
        for (size_t i = 0; i < n; i++) {
            struct http_xfer *x = xs[i];
            if (x->done || !x->retry_at)
                continue;
            if (x->retry_at <= now) {
                x->retry_at = 0;
                xfer_reset_response(x);
                if (xfer_setup(h, x, err) < 0) {
                    x->retry_at = 0;
                    x->done = true;
                    pending--;
                    stop_all(h, xs, n);
                    return -1;
                }
            } else if (next < 0 || x->retry_at < next) {
                next = x->retry_at;
            }
        }
        if (tick && tick(ctx, err) < 0) {
            stop_all(h, xs, n);
            return -1;
        }
        if (pending == 0)
            break;
        int timeout = next < 0 ? 1000 : (int) (next - now);
        if (curl_multi_poll(h->multi, NULL, 0, timeout, NULL) != CURLM_OK) {
            stop_all(h, xs, n);
            return berr_msg(err, "libcurl: poll failed");
        }
    }
    return 0;
}
