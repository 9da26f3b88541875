/*
 * util/lazylib.h: libarchive and libcrypto, loaded on first use.
 *
 * Linked normally they cost every berth process ~3 ms of loader time
 * (libarchive drags in libxml2, ICU and libstdc++; libcrypto runs its
 * constructors), and only the image commands use them. Files that call
 * them include this header instead of <archive.h>/<openssl/evp.h>: each
 * call goes through a table filled by dlopen(3) the first time. If the
 * library cannot be loaded, berth stops with an Error naming it (exit 125).
 */
#ifndef BERTH_LAZYLIB_H
#define BERTH_LAZYLIB_H

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#ifndef BERTH_LIBARCHIVE_SONAME
#define BERTH_LIBARCHIVE_SONAME "libarchive.so.13"
#endif
#ifndef BERTH_LIBCRYPTO_SONAME
#define BERTH_LIBCRYPTO_SONAME "libcrypto.so.3"
#endif

#define LAZY_ARCHIVE_FUNCS(X) \
    X(archive_error_string) X(archive_read_free) X(archive_read_new) \
    X(archive_read_next_header) X(archive_read_data_block) X(archive_read_open_filename) \
    X(archive_read_open_fd) X(archive_read_open) X(archive_read_support_format_empty) \
    X(archive_read_support_filter_all) X(archive_read_support_format_raw) \
    X(archive_read_support_format_tar) X(archive_read_support_format_gnutar) \
    X(archive_write_set_format_pax_restricted) X(archive_write_set_bytes_in_last_block) \
    X(archive_write_open_fd) X(archive_write_new) X(archive_write_header) \
    X(archive_write_free) X(archive_write_data) X(archive_write_close) \
    X(archive_entry_perm) X(archive_entry_mtime_nsec) X(archive_entry_mtime) \
    X(archive_entry_uid) X(archive_entry_gid) X(archive_entry_xattr_reset) \
    X(archive_entry_xattr_next) X(archive_entry_symlink) X(archive_entry_size) \
    X(archive_entry_set_size) X(archive_entry_set_perm) X(archive_entry_set_pathname) \
    X(archive_entry_set_filetype) X(archive_entry_rdevminor) X(archive_entry_rdevmajor) \
    X(archive_entry_pathname) X(archive_entry_new) X(archive_entry_hardlink) \
    X(archive_entry_free) X(archive_entry_filetype) X(archive_entry_copy_stat) \
    X(archive_entry_set_uid) X(archive_entry_set_gid) X(archive_entry_set_mtime) \
    X(archive_entry_set_symlink) X(archive_entry_set_hardlink) X(archive_entry_set_rdevmajor) \
    X(archive_entry_set_rdevminor) X(archive_entry_xattr_add_entry) X(archive_entry_clear) \
    X(archive_entry_set_uname) X(archive_entry_set_gname)

#define LAZY_CRYPTO_FUNCS(X) \
    X(EVP_MD_CTX_new) X(EVP_MD_CTX_free) X(EVP_DigestInit_ex) X(EVP_DigestUpdate) \
    X(EVP_DigestFinal_ex) X(EVP_sha256)

#define LAZY_FIELD(f) __typeof__(f) *f;
struct lazy_archive { LAZY_ARCHIVE_FUNCS(LAZY_FIELD) };
struct lazy_crypto { LAZY_CRYPTO_FUNCS(LAZY_FIELD) };
#undef LAZY_FIELD

/* The loaded tables; they never return NULL (failure exits 125). */
const struct lazy_archive *lazy_archive(void);
const struct lazy_crypto *lazy_crypto(void);

#ifndef BERTH_LAZYLIB_IMPL
#define archive_error_string (lazy_archive()->archive_error_string)
#define archive_read_free (lazy_archive()->archive_read_free)
#define archive_read_new (lazy_archive()->archive_read_new)
#define archive_read_next_header (lazy_archive()->archive_read_next_header)
#define archive_read_data_block (lazy_archive()->archive_read_data_block)
#define archive_read_open_filename (lazy_archive()->archive_read_open_filename)
#define archive_read_open_fd (lazy_archive()->archive_read_open_fd)
#define archive_read_open (lazy_archive()->archive_read_open)
#define archive_read_support_format_empty (lazy_archive()->archive_read_support_format_empty)
#define archive_read_support_filter_all (lazy_archive()->archive_read_support_filter_all)
#define archive_read_support_format_raw (lazy_archive()->archive_read_support_format_raw)
#define archive_read_support_format_tar (lazy_archive()->archive_read_support_format_tar)
#define archive_read_support_format_gnutar (lazy_archive()->archive_read_support_format_gnutar)
#define archive_write_set_format_pax_restricted (lazy_archive()->archive_write_set_format_pax_restricted)
#define archive_write_set_bytes_in_last_block (lazy_archive()->archive_write_set_bytes_in_last_block)
#define archive_write_open_fd (lazy_archive()->archive_write_open_fd)
#define archive_write_new (lazy_archive()->archive_write_new)
#define archive_write_header (lazy_archive()->archive_write_header)
#define archive_write_free (lazy_archive()->archive_write_free)
#define archive_write_data (lazy_archive()->archive_write_data)
#define archive_write_close (lazy_archive()->archive_write_close)
#define archive_entry_perm (lazy_archive()->archive_entry_perm)
#define archive_entry_mtime_nsec (lazy_archive()->archive_entry_mtime_nsec)
#define archive_entry_mtime (lazy_archive()->archive_entry_mtime)
#define archive_entry_uid (lazy_archive()->archive_entry_uid)
#define archive_entry_gid (lazy_archive()->archive_entry_gid)
#define archive_entry_xattr_reset (lazy_archive()->archive_entry_xattr_reset)
#define archive_entry_xattr_next (lazy_archive()->archive_entry_xattr_next)
#define archive_entry_symlink (lazy_archive()->archive_entry_symlink)
#define archive_entry_size (lazy_archive()->archive_entry_size)
#define archive_entry_set_size (lazy_archive()->archive_entry_set_size)
#define archive_entry_set_perm (lazy_archive()->archive_entry_set_perm)
#define archive_entry_set_pathname (lazy_archive()->archive_entry_set_pathname)
#define archive_entry_set_filetype (lazy_archive()->archive_entry_set_filetype)
#define archive_entry_rdevminor (lazy_archive()->archive_entry_rdevminor)
#define archive_entry_rdevmajor (lazy_archive()->archive_entry_rdevmajor)
#define archive_entry_pathname (lazy_archive()->archive_entry_pathname)
#define archive_entry_new (lazy_archive()->archive_entry_new)
#define archive_entry_hardlink (lazy_archive()->archive_entry_hardlink)
#define archive_entry_free (lazy_archive()->archive_entry_free)
#define archive_entry_filetype (lazy_archive()->archive_entry_filetype)
#define archive_entry_copy_stat (lazy_archive()->archive_entry_copy_stat)
#define archive_entry_set_uid (lazy_archive()->archive_entry_set_uid)
#define archive_entry_set_gid (lazy_archive()->archive_entry_set_gid)
#define archive_entry_set_mtime (lazy_archive()->archive_entry_set_mtime)
#define archive_entry_set_symlink (lazy_archive()->archive_entry_set_symlink)
#define archive_entry_set_hardlink (lazy_archive()->archive_entry_set_hardlink)
#define archive_entry_set_rdevmajor (lazy_archive()->archive_entry_set_rdevmajor)
#define archive_entry_set_rdevminor (lazy_archive()->archive_entry_set_rdevminor)
#define archive_entry_set_uname (lazy_archive()->archive_entry_set_uname)
#define archive_entry_set_gname (lazy_archive()->archive_entry_set_gname)
#define archive_entry_xattr_add_entry (lazy_archive()->archive_entry_xattr_add_entry)
#define archive_entry_clear (lazy_archive()->archive_entry_clear)
#define EVP_MD_CTX_new (lazy_crypto()->EVP_MD_CTX_new)
#define EVP_MD_CTX_free (lazy_crypto()->EVP_MD_CTX_free)
#define EVP_DigestInit_ex (lazy_crypto()->EVP_DigestInit_ex)
#define EVP_DigestUpdate (lazy_crypto()->EVP_DigestUpdate)
#define EVP_DigestFinal_ex (lazy_crypto()->EVP_DigestFinal_ex)
#define EVP_sha256 (lazy_crypto()->EVP_sha256)
#endif

#endif
