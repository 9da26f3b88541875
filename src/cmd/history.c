/*
 * cmd/history.c: berth history / image history, as podman 4.3.1.
 *
 * One row per entry of the config's history, newest first. As libimage
 * does, an entry gets the id of the first image (store order) whose top
 * layer is the layer the entry made, each id used once, the image's own
 * id on the newest entry, "<missing>" otherwise; an empty_layer entry
 * has size 0 and does not step down the layer chain. The rows are
 * runtime/image_inspect.c's; this file formats them.
 */
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "runtime/image.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/out.h"
#include "util/timefmt.h"

enum { O_FORMAT = 256, O_NOTRUNC, O_HUMAN };

static const struct cmd_opt history_opts[] = {
    { "format", O_FORMAT, OPT_ARG, "string", "Change the output to JSON or a Go template", 0 },
    { "human", 'H', OPT_FLAG, NULL, "Display sizes and dates in human readable format "
      "(default true)", 0 },
    { "no-trunc", O_NOTRUNC, OPT_FLAG, NULL, "Do not truncate the output", 0 },
    { "notruncate", O_NOTRUNC, OPT_FLAG, NULL, "Do not truncate the output", OPT_HIDDEN },
    { "quiet", 'q', OPT_FLAG, NULL, "Display the numeric IDs only", 0 },
    { 0 }
};

static const struct out_spec history_spec = {
    .table = "table {{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
};

struct hist_args {
    const char *format;
    bool human, notrunc, quiet;
};

/* Go's json.Marshal escapes <, > and & in strings. */
static void print_go_json(json_t *v)
{
    _cleanup_free_ char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);

    for (const char *p = s; p && *p; p++) {
        if (*p == '<')
            fputs("\\u003c", stdout);
        else if (*p == '>')
            fputs("\\u003e", stdout);
        else if (*p == '&')
            fputs("\\u0026", stdout);
        else
            putchar(*p);
    }
    putchar('\n');
}

/* The rows a template sees (podman's history reporter) into rows, and
 * podman's --format json objects into jrows. */
static int history_json(const struct img_history *h, const struct hist_args *a, json_t *rows,
                        json_t *jrows, struct berr **err)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    for (size_t i = 0; i < h->n; i++) {
        const struct img_history_row *row = &h->rows[i];
        const char *id = row->id, *by = row->created_by;
        struct timespec ts = { 0 };
        char at[TIME_BUF];

        time_parse_rfc3339(row->created, &ts, NULL, NULL);
        time_go_string(ts, at, sizeof(at));
        _cleanup_free_ char *ago = hum_ago_at((double) ts.tv_sec, (double) now.tv_sec);
        _cleanup_free_ char *hsize = hum_size((double) row->size);
        _cleanup_free_ char *sid = !a->notrunc && strlen(id) == 64 ? str_ndup(id, 12) : str_dup(id);
        _cleanup_free_ char *sby = !a->notrunc && strlen(by) > 45 ? str_fmt("%.42s...", by)
                                                                  : str_dup(by);
        if (!ago || !hsize || !sid || !sby)
            return berr_oom(err);
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}",
                              "ID", sid, "Created", a->human ? ago : row->created,
                              "CreatedBy", sby, "Size", hsize, "Comment", row->comment,
                              "Tags", json_array(), "CreatedAt", at, "CreatedSince", ago);
        json_t *j = json_pack("{s:s, s:s, s:s?, s:I, s:s*, s:s}", "id", id,
                              "created", row->created, "CreatedBy", *by ? by : NULL,
                              "size", (json_int_t) row->size,
                              "comment", *row->comment ? row->comment : NULL,
                              "Created", row->created);
        if (!o || !j) {
            json_decref(o);
            json_decref(j);
            return berr_oom(err);
        }
        if (json_array_append_new(rows, o) < 0 || json_array_append_new(jrows, j) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int history_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct hist_args a = { .human = true };
    struct runtime *rt;
    struct img_history h = { 0 };
    _cleanup_json_ json_t *rows = json_array(), *jrows = json_array();
    int c, r;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case O_FORMAT: a.format = it.arg; break;
        case 'H': a.human = it.bval; break;
        case O_NOTRUNC: a.notrunc = it.bval; break;
        case 'q': a.quiet = it.bval; break;
        }
    }
    if ((c = cmd_begin(cx, &it, c, 1, 1, &rt, err)) <= 0)
        return c;
    r = rows && jrows ? img_history_load(rt, it.args[0], &h, err) : berr_oom(err);
    opt_free(&it);
    if (r < 0)
        return -1;
    r = history_json(&h, &a, rows, jrows, err);
    img_history_free(&h);
    if (r < 0)
        return -1;
    if (out_is_json(a.format)) {
        print_go_json(jrows);
        return 0;
    }
    if (a.quiet) {
        size_t i;
        json_t *o;
        json_array_foreach(rows, i, o)
            printf("%s\n", js_str(o, "ID", ""));
        return 0;
    }
    return out_list(stdout, a.format, rows, &history_spec,
                    false, err);
}

const struct cmd cmd_history = {
    .name = "history", .summary = "Show history of a specified image",
    .usage = "[options] IMAGE",
    .description =
        "Shows the history entries of an image's config, newest first: the id of\n"
        "the image each layer tops (or <missing>), when and by what it was made,\n"
        "the layer's size and its comment. --human=false prints the creation\n"
        "times as RFC 3339; --no-trunc prints full ids and CREATED BY; --format json\n"
        "prints podman's JSON.",
    .examples = "berth history busybox\n"
                "berth history --no-trunc --format '{{.ID}} {{.Size}}' localhost/layered\n"
                "berth history -q busybox",
    .opts = history_opts, .fn = history_fn, .need = RT_FULL,
};
