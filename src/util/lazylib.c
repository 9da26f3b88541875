/*
 * util/lazylib.c: the dlopen(3) side of lazylib.h.
 */
#define BERTH_LAZYLIB_IMPL
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/lazycurl.h"
#include "util/lazylib.h"
#include "util/lazysd.h"
#include "util/lazyzip.h"

/* Loads soname and fills n function pointers named by names; exits 125
 * with an Error when the library or a symbol is missing. */
static void load(const char *soname, const char *const *names, void **slots, size_t n)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

    if (!h) {
        fprintf(stderr, "Error: cannot load %s (is it installed?): %s\n", soname, dlerror());
        exit(125);
    }
    for (size_t i = 0; i < n; i++) {
        slots[i] = dlsym(h, names[i]);
        if (!slots[i]) {
            fprintf(stderr, "Error: %s has no symbol %s\n", soname, names[i]);
            exit(125);
        }
    }
}

#define LAZY_NAME(f) #f,
#define LAZY_COUNT(f) +1

/* The tables are structs of function pointers in declaration order; we
 * fill them through a pointer array of the same length (static assert). */
#define DEFINE_LAZY(fn, type, funcs, soname)                                   \
    const struct type *fn(void)                                                \
    {                                                                          \
        static struct type api;                                                \
        static int loaded;                                                     \
        static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;                 \
        static const char *const names[] = { funcs(LAZY_NAME) };               \
        _Static_assert(sizeof(struct type) == (0 funcs(LAZY_COUNT)) * sizeof(void *), \
                       "table and name list differ");                          \
        if (!__atomic_load_n(&loaded, __ATOMIC_ACQUIRE)) {                     \
            pthread_mutex_lock(&mu);                                           \
            if (!loaded) {                                                     \
                void *slots[sizeof(names) / sizeof(names[0])];                 \
                load(soname, names, slots, sizeof(names) / sizeof(names[0]));  \
                memcpy(&api, slots, sizeof(api));                              \
                __atomic_store_n(&loaded, 1, __ATOMIC_RELEASE);                \
            }                                                                  \
            pthread_mutex_unlock(&mu);                                         \
        }                                                                      \
        return &api;                                                           \
    }

DEFINE_LAZY(lazy_archive, lazy_archive, LAZY_ARCHIVE_FUNCS, BERTH_LIBARCHIVE_SONAME)
DEFINE_LAZY(lazy_crypto, lazy_crypto, LAZY_CRYPTO_FUNCS, BERTH_LIBCRYPTO_SONAME)
DEFINE_LAZY(lazy_zlib, lazy_zlib, LAZY_ZLIB_FUNCS, BERTH_LIBZ_SONAME)
DEFINE_LAZY(lazy_zstd, lazy_zstd, LAZY_ZSTD_FUNCS, BERTH_LIBZSTD_SONAME)
DEFINE_LAZY(lazy_sd, lazy_sd, LAZY_SD_FUNCS, BERTH_LIBSYSTEMD_SONAME)
const struct lazy_curl *lazy_curl_table(void);
DEFINE_LAZY(lazy_curl_table, lazy_curl, LAZY_CURL_FUNCS, BERTH_LIBCURL_SONAME)

static void curl_init_once(void)
{
    lazy_curl_table()->curl_global_init(CURL_GLOBAL_DEFAULT);
}

const struct lazy_curl *lazy_curl(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    /* curl_global_init is not thread-safe itself: once, before any
     * transfer, and before any thread of ours could race it. */
    pthread_once(&once, curl_init_once);
    return lazy_curl_table();
}
