/*
 * util/str.c: small string helpers, sbuf and strv.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

char *str_vfmt(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        return NULL;
    return s;
}

char *str_fmt(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = str_vfmt(fmt, ap);
    va_end(ap);
    return s;
}

char *str_dup(const char *s) { return s ? strdup(s) : NULL; }
char *str_ndup(const char *s, size_t n) { return s ? strndup(s, n) : NULL; }

bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

bool str_has_prefix(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

uint64_t str_fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char) *s) * 0x100000001b3ULL;
    return h;
}

bool str_has_suffix(const char *s, const char *suffix)
{
    size_t a, b;
    if (!s)
        return false;
    a = strlen(s);
    b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

char *str_trim(char *s)
{
    char *e;
    while (isspace((unsigned char) *s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char) e[-1]))
        *--e = '\0';
    return s;
}

char *str_lower(char *s)
{
    for (char *p = s; *p; p++)
        *p = (char) tolower((unsigned char) *p);
    return s;
}

int str_to_ll(const char *s, long long *out)
{
    char *end;
    long long v;

    if (!s || !*s || isspace((unsigned char) *s))
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int str_to_ull(const char *s, unsigned long long *out)
{
    char *end;
    unsigned long long v;

    if (!s || !*s || !isdigit((unsigned char) *s))
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

size_t str_rune_count(const char *s, size_t n)
{
    size_t r = n, i = 0;

    /* every byte but a continuation byte (10xxxxxx) starts a rune; eight
     * at a time: a byte's bit 7 set and bit 6 (shifted onto it) clear */
    for (; i + 8 <= n; i += 8) {
        unsigned long long x;
        memcpy(&x, s + i, 8);
        r -= (size_t) __builtin_popcountll(x & ~(x << 1) & 0x8080808080808080ULL);
    }
    for (; i < n; i++)
        if (((unsigned char) s[i] & 0xc0) == 0x80)
            r--;
    return r;
}

/* quotes: str_escape's %q style; else only what a terminal would act on,
 * newlines and tabs kept (str_escape_ctl). */
static char *escape(const char *s, bool quotes)
{
    struct sbuf b = SBUF_INIT;
    const unsigned char *p = (const unsigned char *) (s ? s : "");

    while (*p) {
        /* (a NUL ends a sequence: no length needed) */
        size_t n = *p >= 0x80 ? str_utf8_len(p, (size_t) -1) : 1;
        if (quotes && (*p == '\\' || *p == '"'))
            sbuf_addf(&b, "\\%c", *p);
        else if (!quotes && (*p == '\n' || *p == '\t'))
            sbuf_addc(&b, (char) *p);
        else if (*p == '\n' || *p == '\t' || *p == '\r')
            sbuf_addf(&b, "\\%c", *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r');
        else if (*p < 0x20 || *p == 0x7f || n == 0)
            sbuf_addf(&b, "\\x%02x", *p);
        else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)      /* C1: U+0080..U+009F */
            sbuf_addf(&b, "\\u%04x", p[1]);
        else
            sbuf_addn(&b, (const char *) p, n);
        p += n ? n : 1;
    }
    if (b.oom) {
        sbuf_free(&b);
        return NULL;
    }
    return sbuf_steal(&b);
}

char *str_escape(const char *s) { return escape(s, true); }
char *str_escape_ctl(const char *s) { return escape(s, false); }

int str_to_bool(const char *s)
{
    static const char *const yes[] = { "1", "t", "T", "true", "TRUE", "True" };
    static const char *const no[] = { "0", "f", "F", "false", "FALSE", "False" };
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcmp(s, yes[i]) == 0)
            return 1;
        if (strcmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

static int sbuf_grow(struct sbuf *b, size_t more)
{
    size_t need, cap;
    char *n;

    if (b->oom)
        return -1;
    need = b->len + more + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    n = realloc(b->buf, cap);
    if (!n) {
        b->oom = true;
        return -1;
    }
    b->buf = n;
    b->cap = cap;
    return 0;
}

int sbuf_reserve(struct sbuf *b, size_t more)
{
    return sbuf_grow(b, more);
}

int sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
    if (sbuf_grow(b, n) < 0)
        return -1;
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

int sbuf_add(struct sbuf *b, const char *s) { return sbuf_addn(b, s, strlen(s)); }
int sbuf_addc(struct sbuf *b, char c) { return sbuf_addn(b, &c, 1); }

int sbuf_vaddf(struct sbuf *b, const char *fmt, va_list ap)
{
    va_list aq;
    int n;

    /* one pass when it fits in the room left, a second after growing */
    if (sbuf_grow(b, 32) < 0)
        return -1;
    va_copy(aq, ap);
    n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, aq);
    va_end(aq);
    if (n < 0) {
        b->buf[b->len] = '\0';
        return -1;
    }
    if ((size_t) n >= b->cap - b->len) {
        if (sbuf_grow(b, (size_t) n) < 0) {
            b->buf[b->len] = '\0';
            return -1;
        }
        vsnprintf(b->buf + b->len, (size_t) n + 1, fmt, ap);
    }
    b->len += (size_t) n;
    return 0;
}

int sbuf_addpad(struct sbuf *b, char c, size_t n)
{
    if (sbuf_grow(b, n) < 0)
        return -1;
    memset(b->buf + b->len, c, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

int sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = sbuf_vaddf(b, fmt, ap);
    va_end(ap);
    return r;
}

void sbuf_reset(struct sbuf *b)
{
    b->len = 0;
    if (b->buf)
        b->buf[0] = '\0';
}

char *sbuf_steal(struct sbuf *b)
{
    char *s;

    if (b->oom) {
        sbuf_free(b);
        return NULL;
    }
    s = b->buf ? b->buf : strdup("");
    b->buf = NULL;
    b->len = b->cap = 0;
    return s;
}

void sbuf_free(struct sbuf *b)
{
    free(b->buf);
    b->buf = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

size_t strv_len(char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

static int strp_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

void strv_sort_n(char **v, size_t n)
{
    if (v && n > 1)
        qsort(v, n, sizeof(*v), strp_cmp);
}

void strv_sort(char **v)
{
    strv_sort_n(v, strv_len(v));
}

int strv_push_take(strv *v, char *s)
{
    size_t n = strv_len(*v);
    char **nv;

    if (!s)
        return -1;
    nv = realloc(*v, (n + 2) * sizeof(char *));
    if (!nv) {
        free(s);
        return -1;
    }
    nv[n] = s;
    nv[n + 1] = NULL;
    *v = nv;
    return 0;
}

int strv_push(strv *v, const char *s) { return strv_push_take(v, str_dup(s)); }

int strv_pushf(strv *v, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = str_vfmt(fmt, ap);
    va_end(ap);
    return strv_push_take(v, s);
}

bool strv_contains(char *const *v, const char *s)
{
    for (size_t i = 0; v && v[i]; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

bool str_one_of(const char *s, const char *const *set)
{
    for (; set && *set; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

char *strv_join(char *const *v, const char *sep)
{
    struct sbuf b = SBUF_INIT;
    for (size_t i = 0; v && v[i]; i++) {
        if (i)
            sbuf_add(&b, sep);
        sbuf_add(&b, v[i]);
    }
    return sbuf_steal(&b);
}

strv strv_split(const char *s, const char *seps)
{
    strv v = calloc(1, sizeof(char *));
    const char *p = s;

    if (!v)
        return NULL;
    while (p && *p) {
        size_t n = strcspn(p, seps);
        if (n && strv_push_take(&v, strndup(p, n)) < 0) {
            strv_free(v);
            return NULL;
        }
        p += n;
        if (*p)
            p++;
    }
    return v;
}

strv strv_copy(char *const *v)
{
    strv n = calloc(1, sizeof(char *));
    if (!n)
        return NULL;
    for (size_t i = 0; v && v[i]; i++)
        if (strv_push(&n, v[i]) < 0) {
            strv_free(n);
            return NULL;
        }
    return n;
}

void strv_free(strv v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

void str_locale_load(void)
{
    static bool loaded;

    if (!loaded) {
        loaded = true;
        setlocale(LC_CTYPE, "");
    }
}

size_t str_utf8_len(const unsigned char *s, size_t left)
{
    size_t n;
    unsigned cp;

    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* overlong forms, surrogates, past U+10FFFF */
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}
