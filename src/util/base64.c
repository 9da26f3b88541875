/*
 * util/base64.c: see base64.h.
 */
#include <stdlib.h>
#include <string.h>

#include "util/base64.h"

static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *b64_encode(const void *buf, size_t len)
{
    const unsigned char *p = buf;
    char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;

    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned) p[i] << 16;
        if (i + 1 < len)
            v |= (unsigned) p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        *o++ = tbl[(v >> 18) & 63];
        *o++ = tbl[(v >> 12) & 63];
        *o++ = i + 1 < len ? tbl[(v >> 6) & 63] : '=';
        *o++ = i + 2 < len ? tbl[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

static int val(char c)
{
    const char *p = c ? strchr(tbl, c) : NULL;
    return p ? (int) (p - tbl) : -1;
}

int b64_decode(const char *s, char **out, size_t *len)
{
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return -1;
    char *buf = malloc(n / 4 * 3 + 3), *o = buf;
    unsigned acc = 0;
    int bits = 0;

    if (!buf)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int v = val(s[i]);
        if (v < 0) {
            free(buf);
            return -1;
        }
        acc = (acc << 6) | (unsigned) v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = (char) ((acc >> bits) & 0xff);
        }
    }
    *o = '\0';
    *out = buf;
    *len = (size_t) (o - buf);
    return 0;
}
