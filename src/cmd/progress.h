/*
 * cmd/progress.h: drawing a pull or push as podman does, on stderr.
 * Not a terminal: one line per blob when it starts ("Copying blob
 * sha256:<digest>") and the messages. A terminal: a live bar per blob,
 * redrawn at most ten times a second, ending as "done" or "skipped:
 * already exists". Also the prompts: the short-name choice, passwords.
 */
#ifndef BERTH_CMD_PROGRESS_H
#define BERTH_CMD_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/err.h"
#include "util/progress.h"

struct prog_view;
/* A view drawing to f (bars when tty). p is filled to hand to the runtime. */
struct prog_view *prog_view_new(FILE *f, bool tty, struct progress *p);
/* The view of a pull or push on stderr (bars when it is a terminal), or
 * none when quiet; *out is what to hand the runtime (NULL: draw nothing). */
struct prog_view *prog_view_stderr(bool quiet, struct progress *p, const struct progress **out);
/* Draws what is still moving one last time and frees the view. */
void prog_view_free(struct prog_view *v);

/* The short-name prompt: lists names on stderr and reads a number from
 * stdin (an img_choose_fn). */
int prog_choose(void *ctx, char *const *names, size_t n, struct berr **err);
/* A line asked for on the terminal ("Username: "), echo off for a
 * secret; refused without a terminal. */
int prog_prompt(const char *what, bool secret, char **out, struct berr **err);
/* --creds USER with no password: asked for, as podman does; *creds then
 * points at *buf, "user:password" (the caller wipes and frees it). */
int prog_creds_complete(const char **creds, char **buf, struct berr **err);
/* Wipes and frees a secret string (a cleanup attribute's function). */
void prog_secret_free(char **p);
/* Whether a prompt can be shown: stdin and stdout are terminals. */
bool prog_can_prompt(void);

#endif
