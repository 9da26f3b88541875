/*
 * util/lazycurl.h: libcurl, loaded on first use like lazylib.h's
 * libraries (only pull, push, login and search talk HTTP; the quick
 * commands never pay for libcurl and the TLS stack it drags in). Files
 * that call libcurl include this header instead of <curl/curl.h>.
 * lazy_curl() also runs curl_global_init() once, before any thread
 * could race it.
 */
#ifndef BERTH_LAZYCURL_H
#define BERTH_LAZYCURL_H

/* curl.h's gcc type-checking macros would shadow ours */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#ifndef BERTH_LIBCURL_SONAME
#define BERTH_LIBCURL_SONAME "libcurl.so.4"
#endif

#define LAZY_CURL_FUNCS(X) \
    X(curl_global_init) X(curl_easy_init) X(curl_easy_cleanup) X(curl_easy_setopt) \
    X(curl_easy_getinfo) X(curl_easy_strerror) X(curl_easy_header) \
    X(curl_multi_init) X(curl_multi_cleanup) X(curl_multi_add_handle) \
    X(curl_multi_remove_handle) X(curl_multi_perform) X(curl_multi_poll) \
    X(curl_multi_info_read) X(curl_multi_strerror) X(curl_multi_setopt) \
    X(curl_slist_append) X(curl_slist_free_all) X(curl_version) X(curl_multi_wakeup)

#define LAZY_FIELD(f) __typeof__(f) *f;
struct lazy_curl { LAZY_CURL_FUNCS(LAZY_FIELD) };
#undef LAZY_FIELD

/* The loaded table; never NULL (a missing library exits 125). */
const struct lazy_curl *lazy_curl(void);

/* curl.h's own function-like macros for these (three-argument checks). */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#undef curl_share_setopt

#ifndef BERTH_LAZYLIB_IMPL
#define curl_global_init (lazy_curl()->curl_global_init)
#define curl_easy_init (lazy_curl()->curl_easy_init)
#define curl_easy_cleanup (lazy_curl()->curl_easy_cleanup)
#define curl_easy_setopt (lazy_curl()->curl_easy_setopt)
#define curl_easy_getinfo (lazy_curl()->curl_easy_getinfo)
#define curl_easy_strerror (lazy_curl()->curl_easy_strerror)
#define curl_easy_header (lazy_curl()->curl_easy_header)
#define curl_multi_init (lazy_curl()->curl_multi_init)
#define curl_multi_cleanup (lazy_curl()->curl_multi_cleanup)
#define curl_multi_add_handle (lazy_curl()->curl_multi_add_handle)
#define curl_multi_remove_handle (lazy_curl()->curl_multi_remove_handle)
#define curl_multi_perform (lazy_curl()->curl_multi_perform)
#define curl_multi_poll (lazy_curl()->curl_multi_poll)
#define curl_multi_info_read (lazy_curl()->curl_multi_info_read)
#define curl_multi_strerror (lazy_curl()->curl_multi_strerror)
#define curl_multi_setopt (lazy_curl()->curl_multi_setopt)
#define curl_slist_append (lazy_curl()->curl_slist_append)
#define curl_slist_free_all (lazy_curl()->curl_slist_free_all)
#define curl_version (lazy_curl()->curl_version)
#define curl_multi_wakeup (lazy_curl()->curl_multi_wakeup)
#endif

#endif
