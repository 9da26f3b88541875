/*
 * runtime/journal.h: the systemd journal (runtime/journal.c): its native
 * socket for writing, libsystemd's sd-journal for reading.
 */
#ifndef BERTH_JOURNAL_H
#define BERTH_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* sd-journal.h's handle; that header (through syslog.h) clashes with
 * util/log.h, so only files that read the journal include it. */
typedef struct sd_journal sd_journal;

/* --log-driver journald at create: podman's error when no journal
 * listens on its native socket ("failed to initialize journal: ..."). */
int journal_check_log_driver(struct berr **err);
/* Whether a journal listens on its native socket. */
bool journal_listening(void);

/* One field of an entry; a NULL val is left out. */
struct journal_field {
    const char *key;
    const char *val;
};
/* Sends one entry. Fails (podman's error) when no journal listens. */
int journal_send(const struct journal_field *f, size_t n, struct berr **err);

/* Asks journald to write out what it has received (journalctl --sync);
 * quietly does nothing when it cannot. */
void journal_sync(void);
/* Opens the local journal for reading (loads libsystemd). */
int journal_open_read(sd_journal **out, struct berr **err);
/* For _cleanup_journal_: closes *j unless NULL. */
void journal_closep(sd_journal **j);
#define _cleanup_journal_ __attribute__((cleanup(journal_closep)))
/* The current entry's field key: its value, not NUL-terminated. */
bool journal_field(sd_journal *j, const char *key, const char **val, size_t *len);
bool journal_field_is(sd_journal *j, const char *key, const char *want);
/* The value as a new string, NULL when absent (or out of memory). */
char *journal_field_dup(sd_journal *j, const char *key);

#endif
