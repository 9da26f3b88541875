/*
 * util/str.h: strings, a growable buffer (sbuf) and NULL-terminated string
 * vectors (strv). All allocation failures are reported by return value.
 */
#ifndef BERTH_STR_H
#define BERTH_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* A malloc'd formatted string, or NULL on failure. Never asprintf(). */
char *str_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *str_vfmt(const char *fmt, va_list ap);
char *str_dup(const char *s);                   /* NULL-safe */
char *str_ndup(const char *s, size_t n);
bool str_eq(const char *a, const char *b);      /* NULL-safe */
bool str_has_prefix(const char *s, const char *prefix);
bool str_has_suffix(const char *s, const char *suffix);
/* FNV-1a, 64 bits, of a string: a short stable name, not a digest */
uint64_t str_fnv1a(const char *s);
char *str_trim(char *s);                        /* in place, returns s+k */
char *str_lower(char *s);                       /* in place */
/* Runes in the n bytes at s (UTF-8 lead bytes counted), for column widths. */
size_t str_rune_count(const char *s, size_t n);
/* The length of the valid UTF-8 sequence at s (its lead byte >= 0x80,
 * left bytes from it), 0 if it is not one: what jansson refuses. */
size_t str_utf8_len(const unsigned char *s, size_t left);
/* Loads the user's character set (LC_CTYPE from the environment), once:
 * what regcomp, fnmatch, the multibyte functions and libarchive's path
 * names use. Mapping the locale files costs ~0.1 ms, so a command calls
 * this where it needs them, not at its start. */
void str_locale_load(void);
/* A copy safe to print inside quotes on a terminal, as Go's %q writes it:
 * control characters (C0, DEL, C1), bytes that are not UTF-8, '"' and
 * '\\' escaped (\n, \x1b, \u009b, \\); NULL on OOM. For names that come
 * from untrusted input (an archive's RepoTags) before they reach stderr. */
char *str_escape(const char *s);
/* The same for a whole message: only what a terminal would act on is
 * escaped (newlines and tabs kept, quotes and backslashes as they are).
 * Every error and log line goes through it on its way to stderr. */
char *str_escape_ctl(const char *s);
/* Parse a base-10 integer; the whole string must match. */
int str_to_ll(const char *s, long long *out);
int str_to_ull(const char *s, unsigned long long *out);
/* true for "true"/"1"/"t"/"TRUE"... as Go's strconv.ParseBool; -1 if neither */
int str_to_bool(const char *s);

struct sbuf {
    char *buf;
    size_t len, cap;
    bool oom;       /* sticky: set when a growth failed */
};
#define SBUF_INIT { NULL, 0, 0, false }
int sbuf_add(struct sbuf *b, const char *s);
int sbuf_addn(struct sbuf *b, const char *s, size_t n);
/* Makes room for more bytes after len (to read(2) into); -1 on OOM. */
int sbuf_reserve(struct sbuf *b, size_t more);
int sbuf_addc(struct sbuf *b, char c);
/* n copies of c */
int sbuf_addpad(struct sbuf *b, char c, size_t n);
int sbuf_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sbuf_vaddf(struct sbuf *b, const char *fmt, va_list ap);
void sbuf_reset(struct sbuf *b);
/* Hands the buffer to the caller ("" when empty); NULL if any growth failed. */
char *sbuf_steal(struct sbuf *b);
void sbuf_free(struct sbuf *b);
static inline const char *sbuf_str(const struct sbuf *b) { return b->buf ? b->buf : ""; }
static inline void sbuf_freep(struct sbuf *b) { sbuf_free(b); }
#define _cleanup_sbuf_ __attribute__((cleanup(sbuf_freep)))

/* strv: char ** ending in NULL. */
typedef char **strv;
size_t strv_len(char *const *v);
/* Sorts the first n strings of v (strv_sort: all of them) by strcmp. */
void strv_sort_n(char **v, size_t n);
void strv_sort(char **v);
int strv_push(strv *v, const char *s);          /* copies s */
int strv_push_take(strv *v, char *s);           /* takes s (freed on failure) */
int strv_pushf(strv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool strv_contains(char *const *v, const char *s);
/* Is s one of set (NULL-terminated; a constant table)? */
bool str_one_of(const char *s, const char *const *set);
char *strv_join(char *const *v, const char *sep);
strv strv_split(const char *s, const char *seps);  /* empty fields dropped */
strv strv_copy(char *const *v);
void strv_free(strv v);
static inline void strv_freep(strv *v) { strv_free(*v); }
#define _cleanup_strv_ __attribute__((cleanup(strv_freep)))

#endif
