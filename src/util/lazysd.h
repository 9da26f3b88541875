/*
 * util/lazysd.h: libsystemd's sd-journal reader, loaded on first use
 * (lazylib.h's way). Only `logs` of a journald container and `events`
 * with the journald backend read the journal; every other berth process
 * must not pay for loading libsystemd. Writing needs no library: the
 * journal's native protocol is a datagram (runtime/journal.c).
 */
#ifndef BERTH_LAZYSD_H
#define BERTH_LAZYSD_H

#include <systemd/sd-journal.h>

#ifndef BERTH_LIBSYSTEMD_SONAME
#define BERTH_LIBSYSTEMD_SONAME "libsystemd.so.0"
#endif

#define LAZY_SD_FUNCS(X) \
    X(sd_journal_open) X(sd_journal_close) X(sd_journal_add_match) \
    X(sd_journal_add_disjunction) X(sd_journal_flush_matches) X(sd_journal_seek_head) \
    X(sd_journal_seek_tail) X(sd_journal_seek_realtime_usec) X(sd_journal_next) \
    X(sd_journal_previous) X(sd_journal_get_data) X(sd_journal_get_realtime_usec) \
    X(sd_journal_wait) X(sd_journal_set_data_threshold)

#define LAZY_FIELD(f) __typeof__(f) *f;
struct lazy_sd { LAZY_SD_FUNCS(LAZY_FIELD) };
#undef LAZY_FIELD

const struct lazy_sd *lazy_sd(void);

#ifndef BERTH_LAZYLIB_IMPL
#define sd_journal_open (lazy_sd()->sd_journal_open)
#define sd_journal_close (lazy_sd()->sd_journal_close)
#define sd_journal_add_match (lazy_sd()->sd_journal_add_match)
#define sd_journal_add_disjunction (lazy_sd()->sd_journal_add_disjunction)
#define sd_journal_flush_matches (lazy_sd()->sd_journal_flush_matches)
#define sd_journal_seek_head (lazy_sd()->sd_journal_seek_head)
#define sd_journal_seek_tail (lazy_sd()->sd_journal_seek_tail)
#define sd_journal_seek_realtime_usec (lazy_sd()->sd_journal_seek_realtime_usec)
#define sd_journal_next (lazy_sd()->sd_journal_next)
#define sd_journal_previous (lazy_sd()->sd_journal_previous)
#define sd_journal_get_data (lazy_sd()->sd_journal_get_data)
#define sd_journal_get_realtime_usec (lazy_sd()->sd_journal_get_realtime_usec)
#define sd_journal_wait (lazy_sd()->sd_journal_wait)
#define sd_journal_set_data_threshold (lazy_sd()->sd_journal_set_data_threshold)
#endif

#endif
