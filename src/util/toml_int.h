/*
 * util/toml_int.h: what toml.c, toml_string.c and toml_scalar.c share.
 */
#ifndef BERTH_TOML_INT_H
#define BERTH_TOML_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct tp {
    const char *s;          /* the document */
    size_t n, i;            /* its length; the position being read */
    const char *fname;
    json_t *root, *cur;     /* the document; the table a [header] opened */
    json_t *meta;           /* "%p" of a table or array -> its flags */
    int depth;              /* value nesting, bounded */
    char *ktext[2];         /* key_text() results */
    char cbuf[32];          /* toml_chr()'s buffer */
    struct berr **err;
};

static inline bool at_end(struct tp *p) { return p->i >= p->n; }
static inline char cur(struct tp *p) { return p->i < p->n ? p->s[p->i] : '\0'; }
static inline char ahead(struct tp *p, size_t k) { return p->i + k < p->n ? p->s[p->i + k] : '\0'; }

static inline void skip_ws(struct tp *p)
{
    while (!at_end(p) && (cur(p) == ' ' || cur(p) == '\t'))
        p->i++;
}

/* A newline here (LF or CRLF)? A CR alone is an error, reported by the
 * caller that expected something else. */
static inline bool at_newline(struct tp *p)
{
    return cur(p) == '\n' || (cur(p) == '\r' && ahead(p, 1) == '\n');
}

static inline void eat_newline(struct tp *p)
{
    p->i += cur(p) == '\r' ? 2 : 1;
}

/* Control characters other than tab are not allowed in comments and
 * strings; DEL neither. */
static inline bool is_ctl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

/* Fills *p->err with "FNAME:LINE:COL: msg" for position pos; returns -1. */
int toml_err(struct tp *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The character at pos for a message ('x', U+0001, newline, end of file). */
const char *toml_chr(struct tp *p, size_t pos);
/* A boolean, number, date or time at p->i. */
int toml_scalar(struct tp *p, json_t **out);
/* Any of the four string kinds at p->i (at the opening quote). */
int toml_string(struct tp *p, json_t **out);
/* A one-line basic or literal string (keys use these). */
int toml_line_string(struct tp *p, json_t **out);

#endif
