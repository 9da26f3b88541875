/*
 * util/template.h: Go text/template style formatting over JSON data, as
 * podman's --format. Every command turns its items into JSON objects
 * with podman's field names; templates read fields from them.
 *
 * Supported: text and {{actions}}; fields and nested fields (.A.B), "."
 * itself; pipelines with "|"; functions json, upper, lower, title, join,
 * split, truncate, index, len, printf (subset), contains, replace, println,
 * and the comparison eq/ne/lt/le/gt/ge, and/or/not; {{if}}/{{else}}/{{end}},
 * {{range}}/{{end}} over arrays and objects, {{with}}; "\t" and "\n" in
 * the template text are the escapes users type in shells; a leading
 * "table " is for out.h and is not part of a template.
 */
#ifndef BERTH_TEMPLATE_H
#define BERTH_TEMPLATE_H

#include <jansson.h>

#include "util/err.h"
#include "util/str.h"

/* A field name another tool uses, and the one our JSON carries:
 * { "Names", "Names" } style pairs; "from" is matched case-sensitively. */
struct tmpl_alias {
    const char *from;
    const char *to;
};

struct tmpl;

/* Parses src. A syntax error is "template: LINE:COL: what" (exit 125). */
int tmpl_parse(const char *src, const struct tmpl_alias *aliases, struct tmpl **out,
               struct berr **err);
/* Renders against data, appending to out. A missing field is an error
 * ("template: executing at <.Foo>: can't evaluate field Foo"), as Go's. */
int tmpl_exec(const struct tmpl *t, json_t *data, struct sbuf *out, struct berr **err);
void tmpl_free(struct tmpl *t);
/* The top-level fields the template names, in order ("{{.ID}}\t{{.Names}}"
 * -> ID, Names), for table headers. NULL-terminated, malloc'd. */
char **tmpl_fields(const struct tmpl *t);

#endif
