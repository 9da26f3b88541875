/*
 * util/out.c: --format for every command, as podman 4.3.1 prints it.
 *
 * podman's rules (containers/common report + podman's commands):
 *   - "table TEMPLATE": the template's spaces between actions become tabs,
 *     the header row is the same template run over a field->header map,
 *     and everything goes through Go's tabwriter (min width 12, padding 2,
 *     padded with spaces; the last cell of a line unpadded).
 *   - A header is the spec's name for the field, else the field name
 *     split at camel-case humps, upper-cased: CreatedAt -> CREATED AT,
 *     ID -> ID, ImageID -> IMAGE ID.
 *   - A plain template is one line per item (a newline added when the
 *     template does not end with one), no header, no tabwriter; one that
 *     ranges over "." itself runs once over the whole list.
 *   - "json" (or "{{json .}}", report.IsJSON): the items as an indented
 *     JSON array ("[]" for none).
 * Everything is rendered into memory first, so a failing template prints
 * nothing.
 */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/out.h"

#define TW_MINWIDTH 12
#define TW_PADDING 2
#define TW_BLOCK 16384
/* podman's JSON: indent 4 unless the command says otherwise */
#define OUT_JSON_FLAGS_AT(n) (JSON_INDENT(n) | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17))
#define SPEC_INDENT(spec) ((spec)->json_indent ? (spec)->json_indent : 4)

/* ---- Go's text/tabwriter, flags 0, padchar ' ' ---- */

struct tw_cell {
    uint32_t len, width;        /* bytes, runes; its text follows the cell before it */
};

struct tw_line {
    const char *s;              /* its first cell */
    size_t first, n;            /* its cells: cells[first..first+n) */
};

struct tw {
    struct tw_line *lines;
    size_t nlines;
    struct tw_cell *cells;      /* every line's, one block */
    size_t *widths;
    size_t nwidths;
    struct sbuf *out;           /* the aligned text goes here, */
    FILE *f;                    /* and from there to f a block at a time */
};

/* A piece of the text: every piece but the last ends with a newline. */
struct tw_piece {
    const char *s;
    size_t len;
};

static void tw_put(struct tw *w, const char *s, size_t n)
{
    sbuf_addn(w->out, s, n);
}

static void tw_pad(struct tw *w, size_t n)
{
    sbuf_addpad(w->out, ' ', n);
}

static const struct tw_cell *tw_cell(const struct tw *w, size_t line, size_t col)
{
    return &w->cells[w->lines[line].first + col];
}

static void tw_write_lines(struct tw *w, size_t line0, size_t line1)
{
    for (size_t i = line0; i < line1; i++) {
        struct tw_line *l = &w->lines[i];
        const char *s = l->s;
        for (size_t j = 0; j < l->n; j++) {
            const struct tw_cell *c = tw_cell(w, i, j);
            tw_put(w, s, c->len);
            s += c->len + 1;
            if (j < w->nwidths && c->width < w->widths[j])
                tw_pad(w, w->widths[j] - c->width);
        }
        /* the last line is a partial one: no newline was typed after it */
        if (i + 1 < w->nlines)
            tw_put(w, "\n", 1);
        /* a buffer of a few pages, reused: the whole table (150 KB for
         * 1000 rows of ps) would be as many fresh pages, each a fault */
        if (w->f && w->out->len >= TW_BLOCK && !w->out->oom) {
            fwrite(w->out->buf, 1, w->out->len, w->f);
            sbuf_reset(w->out);
        }
    }
}

/* Go's tabwriter format(): a column block is a run of consecutive lines
 * that have a tab-terminated cell in this column; its width is the widest
 * cell plus padding, at least the minimum; columns to the right are
 * formatted recursively within the block. */
static void tw_format(struct tw *w, size_t line0, size_t line1)
{
    size_t column = w->nwidths;

    for (size_t this = line0; this < line1; this++) {
        size_t width = TW_MINWIDTH;

        if (column + 1 >= w->lines[this].n)
            continue;
        tw_write_lines(w, line0, this);
        line0 = this;
        for (; this < line1 && column + 1 < w->lines[this].n; this++)
            if (tw_cell(w, this, column)->width + TW_PADDING > width)
                width = tw_cell(w, this, column)->width + TW_PADDING;
        w->widths[w->nwidths++] = width;
        tw_format(w, line0, this);
        w->nwidths--;
        line0 = this;
        if (this >= line1)
            break;
    }
    tw_write_lines(w, line0, line1);
}

/* How many bytes c s[0..len) holds. */
static size_t mem_count(const char *s, size_t len, char c)
{
    const char *end = s + len;
    size_t k = 0;

    while (s < end && (s = memchr(s, c, (size_t) (end - s)))) {
        k++;
        s++;
    }
    return k;
}

/* Aligns the text made of pieces[0..n) (cells split by tabs, lines by
 * newlines) into out; with f, out is written to f whenever it holds a
 * block (the rest is left in out). */
static int tw_render(const struct tw_piece *pieces, size_t n, struct sbuf *out, FILE *f)
{
    struct tw w = { .out = out, .f = f };
    size_t maxcells = 1, nl = 1, ncells = 0, c = 0;
    int r = 0;

    /* memchr, not a test per byte: the text of 1000 rows is 150 KB */
    for (size_t k = 0; k < n; k++) {
        nl += mem_count(pieces[k].s, pieces[k].len, '\n');
        ncells += mem_count(pieces[k].s, pieces[k].len, '\t');
    }
    ncells += nl;
    w.lines = calloc(nl, sizeof(*w.lines));
    w.cells = calloc(ncells, sizeof(*w.cells));
    if (!w.lines || !w.cells)
        r = -1;
    for (size_t k = 0; r == 0 && k < n; k++) {
        const char *p = pieces[k].s, *end = p + pieces[k].len;
        bool last = k + 1 == n;

        /* a piece's lines end within it; only the last piece's final
         * (partial) line is a line when nothing follows its newline */
        while (r == 0 && p <= end && (p < end || (last && w.nlines < nl))) {
            const char *e = memchr(p, '\n', (size_t) (end - p));
            struct tw_line *l;

            if (w.nlines >= nl) {       /* a piece that does not end a line */
                r = -1;
                break;
            }
            l = &w.lines[w.nlines++];

            if (!e)
                e = end;
            l->s = p;
            l->first = c;
            for (;;) {
                const char *q = memchr(p, '\t', (size_t) (e - p));
                if (!q)
                    q = e;
                if ((size_t) (q - p) > UINT32_MAX) {
                    r = -1;
                    break;
                }
                w.cells[c].len = (uint32_t) (q - p);
                w.cells[c].width = (uint32_t) str_rune_count(p, (size_t) (q - p));
                c++;
                l->n++;
                p = q + 1;
                if (q == e)
                    break;
            }
            if (l->n > maxcells)
                maxcells = l->n;
            p = e + 1;
        }
    }
    if (r == 0 && !(w.widths = calloc(maxcells, sizeof(*w.widths))))
        r = -1;
    if (r == 0)
        tw_format(&w, 0, w.nlines);
    free(w.lines);
    free(w.cells);
    free(w.widths);
    return r < 0 || out->oom ? -1 : 0;
}

/* One piece of text into out. */
static int tw_render_text(const char *text, size_t len, struct sbuf *out)
{
    struct tw_piece p = { text, len };

    return tw_render(&p, 1, out, NULL);
}

/* ---- headers ---- */

enum cc { CC_LOWER = 1, CC_UPPER, CC_DIGIT, CC_OTHER };

static enum cc cc_class(char c)
{
    if (islower((unsigned char) c))
        return CC_LOWER;
    if (isupper((unsigned char) c))
        return CC_UPPER;
    if (isdigit((unsigned char) c))
        return CC_DIGIT;
    return CC_OTHER;
}

/* fatih/camelcase.Split as podman uses it: runs of one character class,
 * then an upper-case run followed by a lower-case run gives its last
 * letter to the lower-case run ("PDFLoader" -> PDF Loader). The words are
 * joined with spaces and upper-cased. */
char *out_header_name(const char *field)
{
    size_t n = strlen(field);
    _cleanup_free_ size_t *start = calloc(n + 2, sizeof(*start));
    struct sbuf b = SBUF_INIT;
    size_t runs = 0;

    if (!start)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || cc_class(field[i]) != cc_class(field[i - 1]))
            start[runs++] = i;
    start[runs] = n;
    for (size_t r = 0; r + 1 < runs; r++)
        if (cc_class(field[start[r]]) == CC_UPPER && cc_class(field[start[r + 1]]) == CC_LOWER)
            start[r + 1]--;
    for (size_t r = 0; r < runs; r++) {
        if (start[r + 1] == start[r])
            continue;
        if (b.len)
            sbuf_addc(&b, ' ');
        for (size_t i = start[r]; i < start[r + 1]; i++)
            sbuf_addc(&b, (char) toupper((unsigned char) field[i]));
    }
    return sbuf_steal(&b);
}

static const char *alias_of(const struct out_spec *spec, const char *field)
{
    for (const struct tmpl_alias *a = spec->aliases; a && a->from; a++)
        if (strcmp(a->from, field) == 0)
            return a->to;
    return NULL;
}

static const char *spec_header(const struct out_spec *spec, const char *field)
{
    for (const struct out_header *h = spec->headers; h && h->field; h++)
        if (strcmp(h->field, field) == 0)
            return h->header;
    return NULL;
}

/* The field -> header map the header row is rendered from. */
static json_t *header_map(const struct out_spec *spec, char **fields)
{
    _cleanup_json_ json_t *m = json_object();

    if (!m)
        return NULL;
    for (char **f = fields; f && *f; f++) {
        const char *to = alias_of(spec, *f);
        const char *h = spec_header(spec, *f);
        _cleanup_free_ char *d = NULL;

        if (!h && to)
            h = spec_header(spec, to);
        if (!h && !(h = d = out_header_name(to ? to : *f)))
            return NULL;
        if (json_object_set_new(m, *f, json_string(h)) < 0 ||
            (to && json_object_set_new(m, to, json_string(h)) < 0))
            return NULL;
    }
    return STEAL_PTR(m);
}

/* ---- template sources ---- */

static bool ends_with_newline(const char *s)
{
    size_t n = strlen(s);
    return (n >= 1 && s[n - 1] == '\n') || (n >= 2 && s[n - 2] == '\\' && s[n - 1] == 'n');
}

/* podman's NormalizeFormat for "table ...": trimmed, and every space in
 * the text between actions made a tab (so "table {{.ID}} {{.Names}}" has
 * two columns). Spaces inside actions stay: they may be in strings. */
static char *table_source(const char *t)
{
    struct sbuf b = SBUF_INIT;
    _cleanup_free_ char *dup = str_dup(t);
    char *s = dup ? str_trim(dup) : NULL;
    bool in_action = false;
    char quote = 0;

    if (!s)
        return NULL;
    for (const char *p = s; *p; p++) {
        if (!in_action) {
            if (p[0] == '{' && p[1] == '{') {
                in_action = true;
                sbuf_addn(&b, p, 2);
                p++;
                continue;
            }
            sbuf_addc(&b, *p == ' ' ? '\t' : *p);
            continue;
        }
        if (quote) {
            if (*p == '\\' && quote != '`' && p[1]) {
                sbuf_addn(&b, p, 2);
                p++;
                continue;
            }
            if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '`' || *p == '\'') {
            quote = *p;
        } else if (p[0] == '}' && p[1] == '}') {
            in_action = false;
            sbuf_addn(&b, p, 2);
            p++;
            continue;
        }
        sbuf_addc(&b, *p);
    }
    if (!ends_with_newline(sbuf_str(&b)))
        sbuf_addc(&b, '\n');
    return sbuf_steal(&b);
}

static char *plain_source(const char *t)
{
    return ends_with_newline(t) ? str_dup(t) : str_fmt("%s\n", t);
}

/* podman's EnforceRange: a template that ranges over "." itself gets the
 * whole list, once. */
static bool ranges_over_dot(const char *t)
{
    regex_t re;
    bool m;

    if (regcomp(&re, "\\{\\{-?[[:space:]]*range[[:space:]]*\\.[[:space:]]*-?\\}\\}.*"
                     "\\{\\{-?[[:space:]]*end[[:space:]]*-?\\}\\}", REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    m = regexec(&re, t, 0, NULL, 0) == 0;
    regfree(&re);
    return m;
}

static int parse(const char *src, const struct tmpl_alias *aliases, struct tmpl **t,
                 struct berr **err)
{
    if (!src)
        return berr_oom(err);
    return tmpl_parse(src, aliases, t, err);
}

static int emit(FILE *f, const struct sbuf *b, struct berr **err)
{
    (void) err;
    if (b->len)
        fwrite(b->buf, 1, b->len, f);
    return 0;
}

/* The header line of table t into text (empty before). */
static int table_header(const struct tmpl *t, const struct out_spec *spec, struct sbuf *text,
                        struct berr **err)
{
    char **fields = tmpl_fields(t);
    json_t *h = fields ? header_map(spec, fields) : NULL;
    int r = 0;

    if (!h) {
        r = berr_oom(err);
    } else {
        struct berr *herr = NULL;
        /* A template the header map cannot run (a range over a field,
         * say) still gets its column names. */
        if (tmpl_exec_header(t, h, text, &herr) < 0) {
            berr_free(herr);
            sbuf_reset(text);
            for (char **fl = fields; *fl; fl++)
                sbuf_addf(text, "%s%s", fl == fields ? "" : "\t",
                          json_string_value(json_object_get(h, *fl)));
            sbuf_addc(text, '\n');
        }
    }
    json_decref(h);
    strv_free(fields);
    return r;
}

static int render_table(const char *src, json_t *items, const struct out_spec *spec,
                        bool noheading, struct sbuf *out, struct berr **err)
{
    _cleanup_free_ char *s = table_source(src);
    _cleanup_sbuf_ struct sbuf text = SBUF_INIT;
    struct tmpl *t = NULL;
    size_t i;
    json_t *it;
    int r = 0;

    if (parse(s, spec->aliases, &t, err) < 0)
        return -1;
    if (!noheading)
        r = table_header(t, spec, &text, err);
    json_array_foreach(items, i, it) {
        if (r < 0 || (r = tmpl_exec(t, it, &text, err)) < 0)
            break;
    }
    tmpl_free(t);
    if (r < 0)
        return -1;
    if (text.oom || tw_render_text(sbuf_str(&text), text.len, out) < 0)
        return berr_oom(err);
    return 0;
}

/* Go's \s: [\t\n\f\r ] */
static const char *skip_gospace(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\f' || *s == '\r')
        s++;
    return s;
}

bool out_is_json(const char *format)
{
    const char *s;

    if (!format)
        return false;
    s = skip_gospace(format);
    if (str_has_prefix(s, "json")) {
        s += 4;
    } else if (str_has_prefix(s, "{{")) {
        s = skip_gospace(s + 2);
        if (!str_has_prefix(s, "json"))
            return false;
        s = skip_gospace(s + 4);
        if (*s == '.')
            s = skip_gospace(s + 1);
        if (!str_has_prefix(s, "}}"))
            return false;
        s += 2;
    } else {
        return false;
    }
    return !*skip_gospace(s);
}

bool out_default_table(const char *format)
{
    /* an empty --format given is a template, as podman's: an empty line
     * per item */
    return !format || strcmp(format, "table") == 0;
}

int out_list(FILE *f, const char *format, json_t *items, const struct out_spec *spec,
             bool noheading, struct berr **err)
{
    _cleanup_sbuf_ struct sbuf out = SBUF_INIT;
    static const struct out_spec none = { 0 };

    if (!spec)
        spec = &none;
    if (out_default_table(format)) {
        if (spec->table && render_table(spec->table + (str_has_prefix(spec->table, "table") ? 5 : 0),
                                        items, spec, noheading, &out, err) < 0)
            return -1;
    } else if (!spec->no_json && out_is_json(format)) {
        return out_json_indent(f, items, SPEC_INDENT(spec), err);
    } else if (str_has_prefix(format, "table")) {
        if (render_table(format + 5, items, spec, noheading, &out, err) < 0)
            return -1;
    } else {
        _cleanup_free_ char *src = plain_source(format);
        struct tmpl *t = NULL;
        size_t i;
        json_t *it;
        int r = 0;

        if (parse(src, spec->aliases, &t, err) < 0)
            return -1;
        if (ranges_over_dot(format)) {
            r = tmpl_exec(t, items, &out, err);
        } else {
            json_array_foreach(items, i, it)
                if ((r = tmpl_exec(t, it, &out, err)) < 0)
                    break;
        }
        tmpl_free(t);
        if (r < 0)
            return -1;
    }
    if (out.oom)
        return berr_oom(err);
    return emit(f, &out, err);
}

int out_one(FILE *f, const char *format, json_t *obj, const struct tmpl_alias *aliases,
            struct berr **err)
{
    _cleanup_sbuf_ struct sbuf out = SBUF_INIT;
    _cleanup_free_ char *src = NULL;
    struct tmpl *t = NULL;
    int r;

    if (!format || out_is_json(format))
        return out_json(f, obj, err);
    /* "table" means nothing for one object; podman drops it too */
    if (str_has_prefix(format, "table "))
        format += 6;
    src = plain_source(format);
    if (parse(src, aliases, &t, err) < 0)
        return -1;
    r = tmpl_exec(t, obj, &out, err);
    tmpl_free(t);
    if (r < 0)
        return -1;
    return emit(f, &out, err);
}

int out_json_indent(FILE *f, json_t *v, int indent, struct berr **err)
{
    _cleanup_free_ char *s = json_dumps(v, OUT_JSON_FLAGS_AT(indent));
    if (!s)
        return berr_oom(err);
    fprintf(f, "%s\n", s);
    return 0;
}

int out_json(FILE *f, json_t *v, struct berr **err)
{
    return out_json_indent(f, v, 4, err);
}

/* ---- lists rendered item by item ---- */

struct out_rows {
    struct tmpl *t;
    bool table;                 /* aligned, through the tabwriter */
    bool json;                  /* elements of out_json's array */
    int indent;                 /* json: its indent */
    struct sbuf header;         /* tables without --noheading */
};

int out_rows_new(const char *format, const struct out_spec *spec, bool noheading,
                 struct out_rows **rows, struct berr **err)
{
    static const struct out_spec none = { 0 };
    _cleanup_free_ char *src = NULL;
    struct out_rows *o;

    *rows = NULL;
    if (!spec)
        spec = &none;
    if (out_default_table(format)) {
        if (!spec->table)
            return 0;
        src = table_source(spec->table + (str_has_prefix(spec->table, "table") ? 5 : 0));
    } else if (!spec->no_json && out_is_json(format)) {
        if (!(*rows = calloc(1, sizeof(**rows))))
            return berr_oom(err);
        (*rows)->json = true;
        (*rows)->indent = SPEC_INDENT(spec);
        return 0;
    } else if (ranges_over_dot(format)) {
        return 0;
    } else if (str_has_prefix(format, "table")) {
        src = table_source(format + 5);
    } else {
        src = plain_source(format);
    }
    if (!(o = calloc(1, sizeof(*o))))
        return berr_oom(err);
    o->table = out_default_table(format) || str_has_prefix(format, "table");
    if (parse(src, spec->aliases, &o->t, err) < 0 ||
        (o->table && !noheading && table_header(o->t, spec, &o->header, err) < 0)) {
        out_rows_free(o);
        return -1;
    }
    *rows = o;
    return 0;
}

/* An element of the array out_json prints, as it prints it: dumped
 * alone, each line after the first indented once more (a dumped string
 * has no newline of its own: jansson escapes it). */
static int json_element(json_t *item, int indent, char **text, struct berr **err)
{
    _cleanup_free_ char *d = json_dumps(item, OUT_JSON_FLAGS_AT(indent));
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;
    const char *p, *nl;

    if (!d)
        return berr_oom(err);
    for (p = d; (nl = strchr(p, '\n')); p = nl + 1) {
        sbuf_addn(&b, p, (size_t) (nl + 1 - p));
        sbuf_addpad(&b, ' ', (size_t) indent);
    }
    sbuf_add(&b, p);
    if (b.oom || !(*text = sbuf_steal(&b)))
        return berr_oom(err);
    return 0;
}

int out_rows_render(const struct out_rows *rows, json_t *item, char **text, struct berr **err)
{
    _cleanup_sbuf_ struct sbuf b = SBUF_INIT;

    if (rows->json)
        return json_element(item, rows->indent, text, err);

    if (tmpl_exec(rows->t, item, &b, err) < 0)
        return -1;
    if (!(*text = sbuf_steal(&b)))
        return berr_oom(err);
    return 0;
}

int out_rows_print(const struct out_rows *rows, FILE *f, char *const *texts, size_t n,
                   struct berr **err)
{
    _cleanup_sbuf_ struct sbuf text = SBUF_INIT, out = SBUF_INIT;
    _cleanup_free_ struct tw_piece *pieces = NULL;
    size_t np = 0;
    bool whole = true;

    if (rows->json) {
        /* out_json's array: "[]", or its elements a line each, indented */
        fputs(n ? "[\n" : "[]\n", f);
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "%*s", rows->indent, "");
            fputs(texts[i], f);
            fputs(i + 1 < n ? ",\n" : "\n]\n", f);
        }
        return 0;
    }
    if (!rows->table) {
        for (size_t i = 0; i < n; i++)
            fputs(texts[i], f);
        return 0;
    }
    /* the header and each text are pieces of the text to align, aligned
     * where they lie: no copy of either */
    if (!(pieces = calloc(n + 1, sizeof(*pieces))))
        return berr_oom(err);
    if (rows->header.len)
        pieces[np++] = (struct tw_piece) { sbuf_str(&rows->header), rows->header.len };
    for (size_t i = 0; i < n; i++)
        if (*texts[i])
            pieces[np++] = (struct tw_piece) { texts[i], strlen(texts[i]) };
    for (size_t i = 0; i + 1 < np; i++)
        whole &= pieces[i].s[pieces[i].len - 1] == '\n';
    if (!whole) {
        /* a line made of several texts: aligned as one text */
        for (size_t i = 0; i < np; i++)
            sbuf_addn(&text, pieces[i].s, pieces[i].len);
        if (text.oom)
            return berr_oom(err);
        pieces[0] = (struct tw_piece) { sbuf_str(&text), text.len };
        np = 1;
    }
    /* aligned into a buffer, written a block at a time: through stdio a
     * cell and each pad space were a call of their own (a third of the
     * main thread's time over 1000 rows) */
    if (tw_render(pieces, np, &out, f) < 0)
        return berr_oom(err);
    if (out.len)
        fwrite(out.buf, 1, out.len, f);
    return 0;
}

void out_rows_free(struct out_rows *rows)
{
    if (!rows)
        return;
    tmpl_free(rows->t);
    sbuf_free(&rows->header);
    free(rows);
}

/* ---- direct tables ---- */

struct tbl {
    struct sbuf text;
};

struct tbl *tbl_new(void)
{
    return calloc(1, sizeof(struct tbl));
}

int tbl_add_row(struct tbl *t, char **cells)
{
    for (char **c = cells; c && *c; c++) {
        if (c != cells)
            sbuf_addc(&t->text, '\t');
        /* a tab or newline inside a cell would split it */
        for (const char *p = *c; *p; p++)
            sbuf_addc(&t->text, *p == '\t' || *p == '\n' ? ' ' : *p);
    }
    sbuf_addc(&t->text, '\n');
    return t->text.oom ? -1 : 0;
}

int tbl_print(struct tbl *t, FILE *f)
{
    _cleanup_sbuf_ struct sbuf out = SBUF_INIT;

    if (t->text.oom || tw_render_text(sbuf_str(&t->text), t->text.len, &out) < 0)
        return -1;
    if (out.len)
        fwrite(out.buf, 1, out.len, f);
    return 0;
}

void tbl_free(struct tbl *t)
{
    if (!t)
        return;
    sbuf_free(&t->text);
    free(t);
}
