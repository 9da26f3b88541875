/*
 * runtime/journal.h: the systemd journal (runtime/journal.c).
 */
#ifndef BERTH_JOURNAL_H
#define BERTH_JOURNAL_H

#include "util/err.h"

/* --log-driver journald at create: always fails. podman's error when no
 * journal listens on its native socket, else that berth cannot log
 * there. */
int journal_check_log_driver(struct berr **err);

#endif
