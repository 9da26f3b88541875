/*
 * cmd/system_df.c: system df, podman 4.3.1's summary and -v tables over
 * runtime/sysdf.c's rows.
 *
 * Two choices where podman 4.3.1 is broken: `--format json` prints the
 * word "json" once per row there; here it prints a JSON array of the
 * summary rows, with sizes in bytes (the objects podman's `{{json .}}`
 * prints, one a line, as here). With -v podman ignores --format; here `-v --format json`
 * prints one object {"Images", "Containers", "Volumes"} of the rows,
 * and any other --format with -v is refused.
 */
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "runtime/sysdf.h"
#include "util/cleanup.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/out.h"

enum { O_FORMAT = 256 };

static const struct cmd_opt df_opts[] = {
    { "format", O_FORMAT, OPT_ARG, "string", "Pretty-print images using a Go template or JSON", 0 },
    { "verbose", 'v', OPT_FLAG, NULL, "Show detailed information on space usage", 0 },
    { 0 }
};

static const struct out_header df_headers[] = {
    { "Type", "TYPE" }, { "Total", "TOTAL" }, { "Active", "ACTIVE" }, { "Size", "SIZE" },
    { "Reclaimable", "RECLAIMABLE" }, { "RawSize", "RAW SIZE" },
    { "RawReclaimable", "RAW RECLAIMABLE" }, { 0 }
};

static const struct out_spec df_spec = {
    .table = "table {{.Type}}\t{{.Total}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}",
    .headers = df_headers,
};

/* go-units HumanSize: 4 significant digits, no space ("2.131MB"). */
static char *hsize(long long n)
{
    return hum_size_prec((double) n, 4, "");
}

struct df_sum {
    const char *type;
    long long total, active, size, reclaimable;
};

/* A row counts as active when its key (Containers, Running, Links) is
 * non-zero; the inactive ones' sizes are reclaimable. */
static void sum_rows(json_t *rows, const char *key, struct df_sum *s)
{
    json_t *r, *v;
    size_t i;

    json_array_foreach(rows, i, r) {
        long long size = js_int(r, "Size", 0);
        bool active = (v = json_object_get(r, key)) &&
                      (json_is_true(v) || (json_is_integer(v) && json_integer_value(v) > 0));

        s->total++;
        s->size += size;
        if (active)
            s->active++;
        else
            s->reclaimable += size;
    }
}

static json_t *sum_item(const struct df_sum *s, bool raw)
{
    _cleanup_free_ char *size = hsize(s->size), *recl = hsize(s->reclaimable), *rtext = NULL;
    double pct = s->size > 0 ? (double) s->reclaimable * 100.0 / (double) s->size : 0;

    if (raw)
        return json_pack("{s:s, s:I, s:I, s:I, s:I}", "Type", s->type, "Total",
                         (json_int_t) s->total, "Active", (json_int_t) s->active,
                         "Size", (json_int_t) s->size, "Reclaimable", (json_int_t) s->reclaimable);
    if (!size || !recl || !(rtext = str_fmt("%s (%d%%)", recl, (int) (pct + 0.5))))
        return NULL;
    return json_pack("{s:s, s:I, s:I, s:s, s:s, s:I, s:I}", "Type", s->type,
                     "Total", (json_int_t) s->total, "Active", (json_int_t) s->active,
                     "Size", size, "Reclaimable", rtext, "RawSize", (json_int_t) s->size,
                     "RawReclaimable", (json_int_t) s->reclaimable);
}

static int print_summary(struct df_report *r, const char *format, struct berr **err)
{
    struct df_sum s[3] = { { .type = "Images" }, { .type = "Containers" },
                           { .type = "Local Volumes" } };
    bool raw = out_is_json(format);
    _cleanup_json_ json_t *items = json_array();
    size_t i;
    json_t *it;

    sum_rows(r->images, "Containers", &s[0]);
    sum_rows(r->containers, "Running", &s[1]);
    sum_rows(r->volumes, "Links", &s[2]);
    for (size_t i = 0; items && i < 3; i++)
        if (json_array_append_new(items, sum_item(&s[i], raw)) < 0)
            return berr_oom(err);
    if (!items)
        return berr_oom(err);
    if (raw && strcmp(format, "json")) {
        /* podman runs "{{json .}}" as a template: each row's object on a
         * line ("Size" and "Reclaimable" in bytes); " json " it prints */
        const char *p = format + strspn(format, " \t\n\f\r");

        json_array_foreach(items, i, it) {
            _cleanup_free_ char *js = p[0] == '{' ? json_dumps(it, JSON_COMPACT) : NULL;
            if (p[0] == '{' && !js)
                return berr_oom(err);
            printf("%s\n", js ? js : format);
        }
        return 0;
    }
    return out_list(stdout, format, items, &df_spec, false, err);
}

/* ---- -v ---- */

static int add_row(struct tbl *t, char **cells, size_t n)
{
    int rc = 0;

    for (size_t i = 0; i < n; i++)
        if (!cells[i])
            rc = -1;
    if (rc == 0)
        rc = tbl_add_row(t, cells);
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    return rc;
}

static char *age(json_t *row, time_t now)
{
    return hum_duration((double) (now - js_int(row, "Created", 0)));
}

static int image_table(struct tbl *t, json_t *rows, time_t now)
{
    char *head[] = { "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE",
                     "UNIQUE SIZE", "CONTAINERS", NULL };
    json_t *r;
    size_t i;

    if (tbl_add_row(t, head) < 0)
        return -1;
    json_array_foreach(rows, i, r) {
        char *c[9] = { str_dup(js_str(r, "Repository", "")), str_dup(js_str(r, "Tag", "")),
                       str_fmt("%.12s", js_str(r, "ImageID", "")), age(r, now),
                       hsize(js_int(r, "Size", 0)), hsize(js_int(r, "SharedSize", 0)),
                       hsize(js_int(r, "UniqueSize", 0)),
                       str_fmt("%lld", js_int(r, "Containers", 0)), NULL };
        if (add_row(t, c, 8) < 0)
            return -1;
    }
    return 0;
}

static int container_table(struct tbl *t, json_t *rows, time_t now)
{
    char *head[] = { "CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED",
                     "STATUS", "NAMES", NULL };
    json_t *r;
    size_t i;

    if (tbl_add_row(t, head) < 0)
        return -1;
    json_array_foreach(rows, i, r) {
        char *c[9] = { str_fmt("%.12s", js_str(r, "ContainerID", "")),
                       str_fmt("%.12s", js_str(r, "Image", "")), str_dup(js_str(r, "Command", "")),
                       str_fmt("%lld", js_int(r, "LocalVolumes", 0)), hsize(js_int(r, "Size", 0)),
                       age(r, now), str_dup(js_str(r, "Status", "")),
                       str_dup(js_str(r, "Names", "")), NULL };
        if (add_row(t, c, 8) < 0)
            return -1;
    }
    return 0;
}

static int volume_table(struct tbl *t, json_t *rows)
{
    char *head[] = { "VOLUME NAME", "LINKS", "SIZE", NULL };
    json_t *r;
    size_t i;

    if (tbl_add_row(t, head) < 0)
        return -1;
    json_array_foreach(rows, i, r) {
        char *c[4] = { str_dup(js_str(r, "VolumeName", "")),
                       str_fmt("%lld", js_int(r, "Links", 0)), hsize(js_int(r, "Size", 0)), NULL };
        if (add_row(t, c, 3) < 0)
            return -1;
    }
    return 0;
}

static int print_section(const char *title, int (*fill)(struct tbl *, json_t *, time_t),
                         json_t *rows, time_t now, bool last, struct berr **err)
{
    struct tbl *t = tbl_new();
    int rc = t && fill(t, rows, now) == 0 ? 0 : -1;

    if (rc == 0) {
        printf("%s space usage:\n\n", title);
        tbl_print(t, stdout);
        if (!last)
            printf("\n");
    }
    tbl_free(t);
    return rc < 0 ? berr_oom(err) : 0;
}

static int volume_fill(struct tbl *t, json_t *rows, time_t now)
{
    (void) now;
    return volume_table(t, rows);
}

static int print_verbose(struct df_report *r, const char *format, struct berr **err)
{
    time_t now = time(NULL);

    if (format && !strcmp(format, "json")) {
        _cleanup_json_ json_t *o = json_pack("{s:O, s:O, s:O}", "Images", r->images,
                                             "Containers", r->containers, "Volumes", r->volumes);
        return o ? out_json(stdout, o, err) : berr_oom(err);
    }
    if (format && *format)
        return berr_new(err, BERR_ENGINE, 0, "cannot combine --format %s with --verbose: "
                        "only --format json can", format);
    if (print_section("Images", image_table, r->images, now, false, err) < 0 ||
        print_section("Containers", container_table, r->containers, now, false, err) < 0)
        return -1;
    return print_section("Local Volumes", volume_fill, r->volumes, now, true, err);
}

static int df_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    struct df_report r = { 0 };
    const char *format = NULL;
    bool verbose = false;
    int c, rc;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == O_FORMAT)
            format = it.arg;
        else if (c == 'v')
            verbose = it.bval;
    }
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || rt_df(rt, &r, err) < 0)
        return -1;
    rc = verbose ? print_verbose(&r, format, err) : print_summary(&r, format, err);
    rt_df_free(&r);
    return rc;
}

const struct cmd cmd_system_df = {
    .name = "df",
    .summary = "Show berth disk usage",
    .usage = "[options]",
    .description =
        "Shows the space images, containers and local volumes take, and how much of it a prune\n"
        "could reclaim, as podman counts it: an image row per name (an image with two names\n"
        "counts twice), active when a container uses it; a container's size is what it wrote\n"
        "into its own layer, reclaimable unless it runs; a volume's size is its files', active\n"
        "when a container names it. Sizes are in 1000 units.\n"
        "\n"
        "--format json prints the summary rows with sizes in bytes; with --verbose it prints\n"
        "every row of the three tables as one object.",
    .examples = "berth system df\nberth system df -v\nberth system df --format json\n"
                "berth system df --format '{{.Type}} {{.RawSize}}'",
    .opts = df_opts, .fn = df_fn, .need = RT_FULL,
};
