/*
 * util/out.h: the one formatter every command prints through.
 *
 *   format NULL         the spec's default table
 *   ""                  (given) a template: an empty line per item
 *   "table"             the default table
 *   "table TEMPLATE"    a table with headers made from the fields
 *   "json"              a JSON array (out_list) or object (out_one)
 *   "TEMPLATE"          one rendered line per item, no header
 *
 * Everything is rendered into memory first: a bad template or a missing
 * field fails with 125 before a byte is printed.
 */
#ifndef BERTH_OUT_H
#define BERTH_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/err.h"
#include "util/template.h"

struct out_header {
    const char *field;      /* "ID" */
    const char *header;     /* "CONTAINER ID" */
};

struct out_spec {
    const char *table;                  /* default: "table {{.ID}}\t{{.Image}}..." */
    const struct tmpl_alias *aliases;   /* NULL-terminated ({0}) or NULL */
    const struct out_header *headers;   /* NULL-terminated ({0}) or NULL */
    int json_indent;                    /* --format json's indent; 0: 4 */
    bool no_json;                       /* the command knows no "json" format
                                           (podman's secret ls): "json" and
                                           "{{json .}}" are templates, once
                                           per item */
};

/* Whether format asks for JSON as podman's report.IsJSON sees it:
 * ^\s*(json|{{\s*json\s*(\.)?\s*}})\s*$, so "{{json .}}" and " json " too. */
bool out_is_json(const char *format);
/* Whether format asks for the spec's own table (none, "", "table"). */
bool out_default_table(const char *format);
/* items is a JSON array of objects. */
int out_list(FILE *f, const char *format, json_t *items, const struct out_spec *spec,
             bool noheading, struct berr **err);
/* One object: "json" (or NULL) prints it indented (4 spaces, like
 * podman); a template (or "") is rendered once, with a newline added if
 * it lacks one. */
int out_one(FILE *f, const char *format, json_t *obj, const struct tmpl_alias *aliases,
            struct berr **err);
/* Prints a JSON value the way podman does (indent 4, "<" kept). */
int out_json(FILE *f, json_t *v, struct berr **err);
/* The same with another indent: podman's commands differ (ps, network
 * ls, pod ps and info 2, pod inspect 5). */
int out_json_indent(FILE *f, json_t *v, int indent, struct berr **err);

/* A list rendered item by item as the items are made, then printed in
 * the order the caller gives: the same bytes out_list prints for the same
 * items, without keeping every item in memory. Rendering only reads the
 * prepared template, so several threads may render at once. */
struct out_rows;
/* *rows NULL (and 0) when format needs the whole list at once (a
 * template that ranges over "."): use out_list then. "json" is out_json's
 * array, element by element. A bad template fails here (125), before
 * anything is printed. */
int out_rows_new(const char *format, const struct out_spec *spec, bool noheading,
                 struct out_rows **rows, struct berr **err);
/* One item's text, malloc'd in *text. */
int out_rows_render(const struct out_rows *rows, json_t *item, char **text, struct berr **err);
/* The header (tables) and texts[0..n), aligned as out_list aligns them. */
int out_rows_print(const struct out_rows *rows, FILE *f, char *const *texts, size_t n,
                   struct berr **err);
void out_rows_free(struct out_rows *rows);

/* A column header made from a field name as podman makes it: split at
 * camel-case humps, upper-cased ("CreatedAt" -> "CREATED AT"). malloc'd. */
char *out_header_name(const char *field);

/* Aligned table cells (podman's tabwriter: min width 12, padding 2,
 * the last column unpadded), for commands that build rows directly. */
struct tbl;
struct tbl *tbl_new(void);
int tbl_add_row(struct tbl *t, char **cells);       /* copies the cells */
int tbl_print(struct tbl *t, FILE *f);
void tbl_free(struct tbl *t);

#endif
