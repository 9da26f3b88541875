/*
 * util/toml_scalar.c: TOML's unquoted values: booleans, integers (decimal,
 * 0x, 0o, 0b; underscores between digits), floats (fraction, exponent,
 * inf, nan), and RFC 3339 dates and times (validated, kept as strings).
 *
 * The value is first cut out as a token (the characters a number or date
 * can hold; a date followed by a space and a time is one token), then
 * classified. Errors point at the token's first character.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/toml_int.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_tok(char c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           c == '+' || c == '-' || c == '.' || c == ':';
}

static bool digits_at(const char *t, size_t n, size_t at, size_t k)
{
    if (at + k > n)
        return false;
    for (size_t i = 0; i < k; i++)
        if (!is_digit(t[at + i]))
            return false;
    return true;
}

static int num2(const char *t) { return (t[0] - '0') * 10 + (t[1] - '0'); }

static bool looks_like_date(const char *t, size_t n)
{
    return digits_at(t, n, 0, 4) && n >= 10 && t[4] == '-' && digits_at(t, n, 5, 2) &&
           t[7] == '-' && digits_at(t, n, 8, 2);
}

/* ---- dates and times ------------------------------------------------------ */

static int days_in(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : d[m - 1];
}

/* HH:MM:SS[.frac] at t[*j]; advances *j. */
static bool parse_time(const char *t, size_t n, size_t *j)
{
    size_t i = *j;

    if (!digits_at(t, n, i, 2) || i + 8 > n || t[i + 2] != ':' || !digits_at(t, n, i + 3, 2) ||
        t[i + 5] != ':' || !digits_at(t, n, i + 6, 2))
        return false;
    if (num2(t + i) > 23 || num2(t + i + 3) > 59 || num2(t + i + 6) > 60)
        return false;
    i += 8;
    if (i < n && t[i] == '.') {
        size_t s = ++i;

        while (i < n && is_digit(t[i]))
            i++;
        if (i == s)
            return false;
    }
    *j = i;
    return true;
}

/* Z, or +HH:MM / -HH:MM. */
static bool parse_offset(const char *t, size_t n, size_t *j)
{
    size_t i = *j;

    if (i < n && (t[i] == 'Z' || t[i] == 'z')) {
        *j = i + 1;
        return true;
    }
    if (i + 6 > n || (t[i] != '+' && t[i] != '-') || !digits_at(t, n, i + 1, 2) ||
        t[i + 3] != ':' || !digits_at(t, n, i + 4, 2))
        return false;
    if (num2(t + i + 1) > 23 || num2(t + i + 4) > 59)
        return false;
    *j = i + 6;
    return true;
}

static bool valid_datetime(const char *t, size_t n)
{
    int y = atoi(t), m = num2(t + 5), d = num2(t + 8);
    size_t j = 10;

    (void) y;
    if (m < 1 || m > 12 || d < 1 || d > days_in(y, m))
        return false;
    if (n == 10)
        return true;                        /* local date */
    if (t[10] != 'T' && t[10] != 't' && t[10] != ' ')
        return false;
    j = 11;
    if (!parse_time(t, n, &j))
        return false;
    if (j == n)
        return true;                        /* local date-time */
    return parse_offset(t, n, &j) && j == n;   /* offset date-time */
}

/* ---- numbers -------------------------------------------------------------- */

static int digit_val(char c, int base)
{
    int v = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
    return v < base ? v : -1;
}

/* One or more digits of base, single underscores only between digits.
 * Appends the digits to buf. 0 ok, -1 no digits, -2 bad underscore. */
static int scan_digits(const char *t, size_t n, size_t *j, int base, char *buf, size_t *bl)
{
    size_t s = *j;

    while (*j < n) {
        char c = t[*j];

        if (digit_val(c, base) >= 0) {
            buf[(*bl)++] = c;
            (*j)++;
        } else if (c == '_') {
            if (*j == s || digit_val(t[*j - 1], base) < 0 || *j + 1 >= n ||
                digit_val(t[*j + 1], base) < 0)
                return -2;
            (*j)++;
        } else {
            break;
        }
    }
    return *j > s ? 0 : -1;
}

static int number_err(struct tp *p, size_t at, int r, const char *t, size_t n)
{
    if (r == -2)
        return toml_err(p, at, "invalid number %.*s: an underscore must sit between two digits",
                        (int) n, t);
    return toml_err(p, at, "invalid value %.*s", (int) n, t);
}

static int parse_prefixed(struct tp *p, size_t at, const char *t, size_t n, json_t **out)
{
    int base = t[1] == 'x' ? 16 : t[1] == 'o' ? 8 : 2;
    _cleanup_free_ char *buf = malloc(n + 1);
    size_t j = 2, bl = 0;
    unsigned long long v;
    int r;

    if (!buf)
        return berr_oom(p->err);
    r = scan_digits(t, n, &j, base, buf, &bl);
    if (r < 0 || j != n)
        return number_err(p, at, r, t, n);
    buf[bl] = '\0';
    errno = 0;
    v = strtoull(buf, NULL, base);
    if (errno == ERANGE || v > INT64_MAX)
        return toml_err(p, at, "integer %.*s is out of range (64-bit signed)", (int) n, t);
    *out = json_integer((json_int_t) v);
    return *out ? 0 : berr_oom(p->err);
}

static int parse_number(struct tp *p, size_t at, const char *t, size_t n, json_t **out)
{
    _cleanup_free_ char *buf = malloc(n + 2);
    size_t j = 0, bl = 0, int_start;
    bool is_float = false;
    int r;

    if (!buf)
        return berr_oom(p->err);
    if (n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o' || t[1] == 'b'))
        return parse_prefixed(p, at, t, n, out);
    if (t[0] == '+' || t[0] == '-')
        buf[bl++] = t[j++];
    int_start = j;
    r = scan_digits(t, n, &j, 10, buf, &bl);
    if (r < 0)
        return number_err(p, at, r, t, n);
    if (t[int_start] == '0' && j - int_start > 1)
        return toml_err(p, at, "invalid number %.*s: leading zeros are not allowed", (int) n, t);
    if (j < n && t[j] == '.') {
        is_float = true;
        buf[bl++] = t[j++];
        if ((r = scan_digits(t, n, &j, 10, buf, &bl)) < 0)
            return number_err(p, at, r, t, n);
    }
    if (j < n && (t[j] == 'e' || t[j] == 'E')) {
        is_float = true;
        buf[bl++] = t[j++];
        if (j < n && (t[j] == '+' || t[j] == '-'))
            buf[bl++] = t[j++];
        if ((r = scan_digits(t, n, &j, 10, buf, &bl)) < 0)
            return number_err(p, at, r, t, n);
    }
    if (j != n)
        return number_err(p, at, -1, t, n);
    buf[bl] = '\0';
    errno = 0;
    if (is_float) {
        double d = strtod(buf, NULL);

        if (!isfinite(d))
            return toml_err(p, at, "float %.*s is out of range", (int) n, t);
        *out = json_real(d);
    } else {
        long long v = strtoll(buf, NULL, 10);

        if (errno == ERANGE)
            return toml_err(p, at, "integer %.*s is out of range (64-bit signed)", (int) n, t);
        *out = json_integer(v);
    }
    return *out ? 0 : berr_oom(p->err);
}

/* ---- the token ------------------------------------------------------------ */

int toml_scalar(struct tp *p, json_t **out)
{
    const char *t = p->s + p->i;
    size_t at = p->i, n = 0, rest = p->n - p->i;
    static const char *const special[] = { "inf", "+inf", "-inf", "nan", "+nan", "-nan" };

    while (n < rest && is_tok(t[n]))
        n++;
    /* "1979-05-27 07:32:00": the space separates date and time */
    if (n == 10 && looks_like_date(t, n) && n + 3 < rest && t[n] == ' ' &&
        digits_at(t, rest, n + 1, 2) && t[n + 3] == ':') {
        n++;
        while (n < rest && is_tok(t[n]))
            n++;
    }
    if (n == 0)
        return toml_err(p, at, "expected a value, found %s", toml_chr(p, at));
    p->i += n;
    if ((n == 4 && !memcmp(t, "true", 4)) || (n == 5 && !memcmp(t, "false", 5))) {
        *out = json_boolean(n == 4);
        return 0;
    }
    for (size_t k = 0; k < sizeof(special) / sizeof(special[0]); k++)
        if (strlen(special[k]) == n && !memcmp(t, special[k], n)) {
            *out = json_stringn(t, n);
            return *out ? 0 : berr_oom(p->err);
        }
    if (looks_like_date(t, n) || (n >= 3 && digits_at(t, n, 0, 2) && t[2] == ':')) {
        size_t j = 0;
        bool ok = t[2] == ':' ? parse_time(t, n, &j) && j == n : valid_datetime(t, n);

        if (!ok)
            return toml_err(p, at, "invalid date or time %.*s", (int) n, t);
        *out = json_stringn(t, n);
        return *out ? 0 : berr_oom(p->err);
    }
    if (!is_digit(t[0]) && !((t[0] == '+' || t[0] == '-') && n > 1 && is_digit(t[1])))
        return toml_err(p, at, "invalid value %.*s (strings need quotes)", (int) n, t);
    return parse_number(p, at, t, n, out);
}
