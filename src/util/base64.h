/*
 * util/base64.h: standard base64 (RFC 4648 section 4), for HTTP Basic
 * credentials and the "auth" fields of auth.json files.
 */
#ifndef BERTH_BASE64_H
#define BERTH_BASE64_H

#include <stddef.h>

/* A malloc'd NUL-terminated encoding, or NULL on OOM. */
char *b64_encode(const void *buf, size_t len);
/* Decodes s (padding optional, no whitespace); *out is malloc'd and
 * NUL-terminated, *len its length. -1 on a bad character or OOM. */
int b64_decode(const char *s, char **out, size_t *len);

#endif
