/*
 * util/toml.h: a TOML 1.0 parser producing a jansson tree.
 *
 * Mapping: tables and inline tables -> objects, arrays -> arrays, strings
 * -> strings, integers (decimal, 0x, 0o, 0b, underscores) -> integers,
 * floats -> reals, booleans -> true/false. Offset and local date-times,
 * local dates and local times are kept as strings, verbatim as written.
 * jansson cannot hold non-finite reals, so inf and nan become the strings
 * "inf", "+inf", "-inf", "nan", "+nan", "-nan" (as written). Nothing in
 * berth's config schema is a float.
 *
 * Errors read `FNAME:LINE:COL: what is wrong`, LINE and COL 1-based (COL
 * counts characters, not bytes), pointing at the offending character.
 */
#ifndef BERTH_TOML_H
#define BERTH_TOML_H

#include <jansson.h>
#include <stddef.h>

#include "util/err.h"

/* Parses len bytes of text (need not be NUL-terminated). fname only names
 * the document in errors. On success *out is a new reference (an object). */
int toml_parse(const char *text, size_t len, const char *fname, json_t **out,
               struct berr **err);

#endif
