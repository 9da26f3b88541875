/*
 * util/lazyzip.h: zlib and libzstd, loaded on first use (lazylib.h's way),
 * for the layers push must compress. Files that compress include this
 * header instead of <zlib.h>/<zstd.h>.
 */
#ifndef BERTH_LAZYZIP_H
#define BERTH_LAZYZIP_H

#include <zlib.h>
#include <zstd.h>

#ifndef BERTH_LIBZ_SONAME
#define BERTH_LIBZ_SONAME "libz.so.1"
#endif
#ifndef BERTH_LIBZSTD_SONAME
#define BERTH_LIBZSTD_SONAME "libzstd.so.1"
#endif

#define LAZY_ZLIB_FUNCS(X) X(deflateInit2_) X(deflate) X(deflateEnd)
#define LAZY_ZSTD_FUNCS(X) \
    X(ZSTD_createCCtx) X(ZSTD_freeCCtx) X(ZSTD_CCtx_setParameter) X(ZSTD_compressStream2) \
    X(ZSTD_isError) X(ZSTD_getErrorName) X(ZSTD_CStreamOutSize)

#define LAZY_FIELD(f) __typeof__(f) *f;
struct lazy_zlib { LAZY_ZLIB_FUNCS(LAZY_FIELD) };
struct lazy_zstd { LAZY_ZSTD_FUNCS(LAZY_FIELD) };
#undef LAZY_FIELD

const struct lazy_zlib *lazy_zlib(void);
const struct lazy_zstd *lazy_zstd(void);

#ifndef BERTH_LAZYLIB_IMPL
#define deflateInit2_ (lazy_zlib()->deflateInit2_)
#define deflate (lazy_zlib()->deflate)
#define deflateEnd (lazy_zlib()->deflateEnd)
#define ZSTD_createCCtx (lazy_zstd()->ZSTD_createCCtx)
#define ZSTD_freeCCtx (lazy_zstd()->ZSTD_freeCCtx)
#define ZSTD_CCtx_setParameter (lazy_zstd()->ZSTD_CCtx_setParameter)
#define ZSTD_compressStream2 (lazy_zstd()->ZSTD_compressStream2)
#define ZSTD_isError (lazy_zstd()->ZSTD_isError)
#define ZSTD_getErrorName (lazy_zstd()->ZSTD_getErrorName)
#define ZSTD_CStreamOutSize (lazy_zstd()->ZSTD_CStreamOutSize)
#endif

#endif
