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

/* Parses src. A syntax error is "template: output:LINE: what" (exit 125),
 * as Go's; an unknown function fails here, an unknown field at exec. */
int tmpl_parse(const char *src, const struct tmpl_alias *aliases, struct tmpl **out,
               struct berr **err);
/* Renders against data, appending to out. A missing field is an error
 * ("template: output:1:2: executing "output" at <.Foo>: can't evaluate
 * field Foo in type object"), as Go's. */
int tmpl_exec(const struct tmpl *t, json_t *data, struct sbuf *out, struct berr **err);
/* Renders the header line of a table: every field chain reads as
 * headers[its first field] (a string), whatever follows it, so
 * "{{.Labels.app}}" heads its column with the header of Labels and
 * functions apply to headers as podman applies them ({{upper .X}}). */
int tmpl_exec_header(const struct tmpl *t, json_t *headers, struct sbuf *out,
                     struct berr **err);
void tmpl_free(struct tmpl *t);

/* Go's typed nils, for data standing in for Go structs whose JSON says
 * null (or leaves the field out): a nil map or slice is an empty map or
 * slice to a template everywhere but in json, which writes null; a nil
 * pointer prints "<nil>" where a JSON null prints "<no value>". Each kind
 * is one shared value, never to be changed. */
enum tmpl_nil { TMPL_NIL_MAP, TMPL_NIL_SLICE, TMPL_NIL_PTR,
                TMPL_EMPTY_STRUCT,      /* struct{}{}: prints {}, not map[] */
                TMPL_NIL__N,
                /* for tmpl_field only: the object there is a Go struct whose
                 * JSON has every field in order ({ 0}, not map[...]) */
                TMPL_STRUCT };
json_t *tmpl_nil(enum tmpl_nil kind);      /* borrowed; NULL out of memory */
bool tmpl_is_typed_nil(const json_t *v);
/* A field a template sees in podman's struct: its dotted path from the
 * top ("*" matches every key of an object, as each network under
 * NetworkSettings.Networks, or every element of a list, as each of
 * Mounts) and what it is when the JSON has null or
 * nothing there: a typed nil, or (zero not NULL) a zero value, set only
 * where the field is missing; TMPL_EMPTY_STRUCT replaces an empty object
 * (Volumes' and ExposedPorts' values). A field the JSON did not have is
 * left out again by the json function (podman's omitempty). */
struct tmpl_field {
    const char *path;
    enum tmpl_nil nil;
    json_t *(*zero)(void);
};
/* Zero values for tmpl_field.zero (and json_false, json_object). */
json_t *tmpl_zero_str(void);
json_t *tmpl_zero_int(void);
/* Fills o's fields for templates; -1 out of memory. */
int tmpl_fill_fields(json_t *o, const struct tmpl_field *fs);
/* The json function writes as (taken) instead of value: a time whose
 * JSON is RFC 3339 and whose template value Go's String. */
int tmpl_json_as(const json_t *value, json_t *as);
/* obj[key], a time in RFC 3339, as a template sees a Go time (its
 * String: "2006-01-02 15:04:05.999999999 -0700 MST"), the json function
 * still writing the RFC 3339 text; left alone if it does not parse. */
void tmpl_go_time(json_t *obj, const char *key);
/* Forgets the fields filled and the json_as values (call once their
 * objects are rendered). */
void tmpl_fill_done(void);
/* v as the json function writes it: typed nils null, the filled fields
 * the JSON had not left out; a new reference, NULL out of memory. */
json_t *tmpl_plain_json(json_t *v);
/* The top-level fields the template names, in order ("{{.ID}}\t{{.Names}}"
 * -> ID, Names), for table headers. NULL-terminated, malloc'd. */
char **tmpl_fields(const struct tmpl *t);

#endif
