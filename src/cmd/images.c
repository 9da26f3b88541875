/*
 * cmd/images.c: berth images / image ls / image list, as podman 4.3.1.
 *
 * One row per tagged name (an image without names is one "<none>" row),
 * sorted newest first by default (stable, so ties keep store order).
 * Template fields are podman's imageReporter's: ID (12 characters unless
 * --no-trunc, then "sha256:..."), Repository, Tag, Digest, Created and
 * CreatedSince ("3 years ago"), CreatedAt and CreatedTime (Go's time
 * string), Size (humanized), VirtualSize, SharedSize, Labels, Names,
 * History (the names history, joined), Containers, Dangling, ReadOnly,
 * RepoTags, RepoDigests, ParentId. --format json prints podman's
 * ImageSummary objects, one per row. The images and their derived facts
 * and filters are runtime/image_view.c's; this file makes the rows.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/image.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/out.h"
#include "util/timefmt.h"

enum { O_DIGESTS = 256, O_FORMAT, O_NOTRUNC, O_SORT, O_HISTORY };

static const struct cmd_opt images_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Show all images (default hides intermediate images)", 0 },
    { "digests", O_DIGESTS, OPT_FLAG, NULL, "Show digests", 0 },
    { "filter", 'f', OPT_ARG, "stringSlice", "Filter output based on conditions provided "
      "(reference, dangling, label, before, since, until, id, digest, containers, "
      "intermediate; key!=value negates)", 0 },
    { "format", O_FORMAT, OPT_ARG, "string", "Change the output format to JSON or a Go template", 0 },
    { "history", O_HISTORY, OPT_FLAG, NULL, "Display the image name history", 0 },
    { "noheading", 'n', OPT_FLAG, NULL, "Do not print column headings", 0 },
    { "no-trunc", O_NOTRUNC, OPT_FLAG, NULL, "Do not truncate output", 0 },
    { "notruncate", O_NOTRUNC, OPT_FLAG, NULL, "Do not truncate output", OPT_HIDDEN },
    { "quiet", 'q', OPT_FLAG, NULL, "Display only image IDs", 0 },
    { "sort", O_SORT, OPT_ARG, "string", "Sort by repository, size, tag, created, id "
      "(default \"created\")", 0 },
    { 0 }
};

static const struct out_header images_headers[] = {
    { "ID", "IMAGE ID" }, { "ReadOnly", "R/O" }, { 0 }
};

struct images_args {
    bool all, digests, history, noheading, notrunc, quiet;
    const char *format, *sort;
    char **filters;
};

struct row {
    struct img_view *v;
    char *repo, *tag;           /* owned */
    size_t seq;                 /* for a stable sort */
};

/* podman's tokenRepoTag: "domain/path:tag" -> repository and tag. */
static int split_name(const char *name, char **repo, char **tag)
{
    const char *at = strchr(name, '@');
    size_t len = at ? (size_t) (at - name) : strlen(name);
    const char *slash = memrchr(name, '/', len);
    const char *start = slash ? slash : name;
    const char *colon = memrchr(start, ':', len - (size_t) (start - name));

    *repo = str_ndup(name, colon ? (size_t) (colon - name) : len);
    *tag = colon ? str_ndup(colon + 1, len - (size_t) (colon + 1 - name)) : str_dup("<none>");
    return *repo && *tag ? 0 : -1;
}

static const char *sort_key;

static int row_cmp(const void *pa, const void *pb)
{
    const struct row *a = pa, *b = pb;
    int r = 0;

    if (!strcmp(sort_key, "id"))
        r = strcmp(a->v->img->id, b->v->img->id);
    else if (!strcmp(sort_key, "repository"))
        r = strcmp(a->repo, b->repo);
    else if (!strcmp(sort_key, "tag"))
        r = strcmp(a->tag, b->tag);
    else if (!strcmp(sort_key, "size"))
        r = (a->v->img->size > b->v->img->size) - (a->v->img->size < b->v->img->size);
    else        /* created: newest first */
        r = (b->v->img->created_unix > a->v->img->created_unix) -
            (b->v->img->created_unix < a->v->img->created_unix);
    return r ? r : (a->seq > b->seq) - (a->seq < b->seq);
}

/* The ImageSummary podman prints with --format json (RepoTags null). */
static json_t *summary_json(const struct img_view *v)
{
    const struct img *img = v->img;
    char at[TIME_BUF];
    struct timespec ts = { .tv_sec = img->created_unix };
    json_t *hist = img->names_history;
    json_t *o = json_pack("{s:s, s:s, s:n, s:o, s:I, s:i, s:I, s:O?, s:i}",
                          "Id", img->id, "ParentId", v->parent ? v->parent : "",
                          "RepoTags", "RepoDigests", img_repo_digests(img),
                          "Size", (json_int_t) img->size, "SharedSize", 0,
                          "VirtualSize", (json_int_t) img->size, "Labels", v->labels,
                          "Containers", (int) v->ncontainers);
    if (!o)
        return NULL;
    if (!v->labels)
        json_object_set_new(o, "Labels", json_null());
    if (v->dangling)
        json_object_set_new(o, "Dangling", json_true());
    if (img->names[0])
        json_object_set_new(o, "Names", js_strv(img->names));
    if (img->digest && img->digest[0])
        json_object_set_new(o, "Digest", json_string(img->digest));
    if (json_array_size(hist))
        json_object_set(o, "History", hist);
    json_object_set_new(o, "Created", json_integer(img->created_unix));
    json_object_set_new(o, "CreatedAt", json_string(time_rfc3339nano(ts, at, sizeof(at))));
    return o;
}

/* The fields templates see (podman's imageReporter). */
static json_t *reporter_json(const struct row *r, bool notrunc, double now)
{
    const struct img *img = r->v->img;
    struct timespec ts = { .tv_sec = img->created_unix };
    char at[TIME_BUF];
    _cleanup_free_ char *ago = hum_ago_at((double) img->created_unix, now);
    _cleanup_free_ char *size = hum_size((double) img->size);
    _cleanup_free_ char *id = notrunc ? str_fmt("sha256:%s", img->id) : str_ndup(img->id, 12);
    _cleanup_strv_ char **hist = js_to_strv(img->names_history);
    _cleanup_free_ char *hists = strv_join(hist, ", ");
    json_t *o = summary_json(r->v);

    if (!o || !ago || !size || !id)
        return json_decref(o), NULL;
    time_go_string(ts, at, sizeof(at));
    json_object_set_new(o, "ID", json_string(id));
    json_object_set_new(o, "Repository", json_string(r->repo));
    json_object_set_new(o, "Tag", json_string(r->tag));
    json_object_set_new(o, "Digest", json_string(img->digest ? img->digest : ""));
    json_object_set_new(o, "Created", json_string(ago));
    json_object_set_new(o, "CreatedSince", json_string(ago));
    json_object_set_new(o, "CreatedAt", json_string(at));
    json_object_set_new(o, "CreatedTime", json_string(at));
    json_object_set_new(o, "Size", json_string(size));
    json_object_set_new(o, "History", json_string(hists ? hists : ""));
    json_object_set_new(o, "Names", js_strv(img->names));
    json_object_set_new(o, "RepoTags", js_strv(img->names));
    json_object_set_new(o, "Labels", r->v->labels ? json_incref(r->v->labels) : json_object());
    json_object_set_new(o, "Dangling", json_boolean(r->v->dangling));
    json_object_set_new(o, "ReadOnly", json_false());
    json_object_set_new(o, "IsReadOnly", json_false());
    return o;
}

static char *default_table(const struct images_args *a)
{
    return str_fmt("table {{.Repository}}\t{{.Tag}}\t%s{{.ID}}\t{{.Created}}\t{{.Size}}%s",
                   a->digests ? "{{.Digest}}\t" : "",
                   a->history ? "\t{{if .History}}{{.History}}{{else}}<none>{{end}}" : "");
}

static int make_rows(struct img_views *vs, const struct img_filters *fs,
                     struct row **out, size_t *nout, struct berr **err)
{
    struct row *rows = NULL;
    size_t n = 0;

    for (size_t i = 0; i < vs->n; i++) {
        struct img_view *v = &vs->v[i];
        if (!img_filters_match(fs, v))
            continue;
        size_t names = strv_len(v->img->names);
        struct row *nr = realloc(rows, (n + (names ? names : 1)) * sizeof(*rows));
        if (!nr)
            goto oom;
        rows = nr;
        if (!names) {
            rows[n] = (struct row) { v, str_dup("<none>"), str_dup("<none>"), n };
            if (!rows[n++].tag)
                goto oom;
        }
        for (size_t k = 0; k < names; k++) {
            rows[n] = (struct row) { .v = v, .seq = n };
            if (split_name(v->img->names[k], &rows[n].repo, &rows[n].tag) < 0) {
                n++;
                goto oom;
            }
            n++;
        }
    }
    *out = rows;
    *nout = n;
    return 0;
oom:
    for (size_t i = 0; i < n; i++) {
        free(rows[i].repo);
        free(rows[i].tag);
    }
    free(rows);
    return berr_oom(err);
}

/* An image record that does not read is its own row of the default table
 * and of -q (its reason went to stderr as a warning); templates and json
 * cannot show what is not there. */
static int broken_rows(const struct images_args *a, json_t *broken, json_t *items)
{
    const char *id;
    json_t *why;

    json_object_foreach(broken, id, why) {
        _cleanup_free_ char *sid = a->notrunc ? str_fmt("sha256:%s", id) : str_ndup(id, 12);
        if (!sid)
            return -1;
        if (a->quiet) {
            printf("%s\n", sid);
            continue;
        }
        if (json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                "Repository", "<broken>", "Tag", "<broken>", "ID", sid, "Digest", "",
                "Created", "broken record", "Size", "", "History", "")) < 0)
            return -1;
    }
    return 0;
}

static int print_rows(const struct images_args *a, struct row *rows, size_t n,
                      json_t *broken, struct berr **err)
{
    _cleanup_json_ json_t *items = json_array();
    bool json = out_is_json(a->format);
    struct timespec now;

    if (!items)
        return berr_oom(err);
    if (a->quiet && !json) {
        for (size_t i = 0; i < n; i++) {
            bool seen = false;
            for (size_t j = 0; j < i; j++)
                seen |= rows[j].v == rows[i].v;
            if (!seen)
                printf(a->notrunc ? "sha256:%s\n" : "%.12s\n", rows[i].v->img->id);
        }
        return broken_rows(a, broken, items) < 0 ? berr_oom(err) : 0;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json ? summary_json(rows[i].v)
                         : reporter_json(&rows[i], a->notrunc, (double) now.tv_sec);
        if (!o || json_array_append_new(items, o) < 0)
            return berr_oom(err);
    }
    if (json)
        return out_json(stdout, items, err);
    if (out_default_table(a->format) && broken_rows(a, broken, items) < 0)
        return berr_oom(err);
    _cleanup_free_ char *table = default_table(a);
    if (!table)
        return berr_oom(err);
    struct out_spec spec = { .table = table, .headers = images_headers };
    return out_list(stdout, a->format, items, &spec,
                    a->noheading, err);
}

static int images_run(struct cmd_ctx *cx, struct images_args *a, struct berr **err)
{
    struct runtime *rt;
    struct img_views vs = { 0 };
    struct img_filters *fs = NULL;
    struct row *rows = NULL;
    json_t *broken = NULL;
    size_t n = 0;
    int r = -1;

    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 ||
        img_views_load(rt, IMG_VIEW_CONFIG | IMG_VIEW_CONTAINERS, &vs, err) < 0)
        return -1;
    if (img_filters_parse(rt, a->filters, &fs, err) < 0)
        goto out;
    if (make_rows(&vs, fs, &rows, &n, err) < 0)
        goto out;
    /* without -a, intermediate images (unnamed parents of others) hide */
    if (!a->all) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (rows[i].v->intermediate) {
                free(rows[i].repo);
                free(rows[i].tag);
            } else {
                rows[k++] = rows[i];
            }
        }
        n = k;
    }
    sort_key = a->sort;
    if (n > 1)
        qsort(rows, n, sizeof(*rows), row_cmp);
    /* a listing no filter narrows shows the broken records too */
    if ((!a->filters || !a->filters[0]) && img_broken(rt, &broken, err) < 0)
        goto out;
    r = print_rows(a, rows, n, broken, err);
out:
    json_decref(broken);
    for (size_t i = 0; i < n; i++) {
        free(rows[i].repo);
        free(rows[i].tag);
    }
    free(rows);
    img_filters_free(fs);
    img_views_free(&vs);
    return r;
}

static int images_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct images_args a = { .sort = "created" };
    _cleanup_strv_ char **filters = NULL;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'a': a.all = it.bval; break;
        case O_DIGESTS: a.digests = it.bval; break;
        case 'f':
            if (strv_push(&filters, it.arg) < 0)
                c = berr_oom(err);
            break;
        case O_FORMAT: a.format = it.arg; break;
        case O_HISTORY: a.history = it.bval; break;
        case 'n': a.noheading = it.bval; break;
        case O_NOTRUNC: a.notrunc = it.bval; break;
        case 'q': a.quiet = it.bval; break;
        case O_SORT: a.sort = it.arg; break;
        }
        if (c < 0)
            break;
    }
    if (c == 0 && !it.help) {
        if (it.nargs > 1)
            c = cmd_usage_err(cx, err, "accepts at most 1 arg(s), received %d", it.nargs);
        else if (it.nargs == 1 && filters)
            c = berr_msg(err, "cannot specify an image and a filter(s)");
        else if (it.nargs == 1 && strv_pushf(&filters, "reference=%s", it.args[0]) < 0)
            c = berr_oom(err);
        else if (strcmp(a.sort, "created") && strcmp(a.sort, "id") &&
                 strcmp(a.sort, "repository") && strcmp(a.sort, "size") &&
                 strcmp(a.sort, "tag"))
            c = berr_msg(err, "\"%s\" is not a valid field for sorting. Choose from: "
                         "repository, size, tag, created, id", a.sort);
    }
    opt_free(&it);
    if (c < 0 || it.help)
        return c;
    a.filters = filters;
    return images_run(cx, &a, err);
}

const struct cmd cmd_images = {
    .name = "images",
    .summary = "List images in local storage",
    .usage = "[options] [IMAGE]",
    .description =
        "Lists the images in local storage: one row per name (REPOSITORY and TAG),\n"
        "its IMAGE ID, when it was CREATED and its SIZE (the unpacked layers plus\n"
        "config and manifest). An image without names shows as <none>; one that\n"
        "is only the parent of other images is hidden unless --all. IMAGE is a\n"
        "reference filter. Filters: reference=PATTERN (glob over the name with and\n"
        "without domain and tag), dangling=true|false, label=KEY[=VALUE],\n"
        "before=IMAGE, since=IMAGE, until=TIME, id=PREFIX, digest=PREFIX,\n"
        "containers=true|false, intermediate=true|false; KEY!=VALUE negates, and\n"
        "every filter must match.",
    .examples = "berth images\n"
                "berth images --sort repository --format 'table {{.ID}} {{.Repository}} {{.Tag}}'\n"
                "berth images --filter dangling=true -q\n"
                "berth images --format json",
    .opts = images_opts, .fn = images_fn, .need = RT_FULL,
};
