/*
 * cmd/search.c: berth search (runtime/image_registry.c searches the
 * registries' catalogs and tag lists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/regopts.h"
#include "runtime/image_pull.h"
#include "util/cleanup.h"
#include "util/out.h"

enum { O_COMPATIBLE = 256, O_FORMAT, O_LIMIT, O_LIST_TAGS, O_NO_TRUNC };

static const struct cmd_opt search_opts[] = {
    REGOPT_AUTHFILE,
    { "compatible", O_COMPATIBLE, OPT_FLAG, NULL, "List stars, official and automated columns "
      "(Docker compatibility)", 0 },
    { "filter", 'f', OPT_ARG, "strings", "Filter output based on conditions provided "
      "(stars=N, is-official=BOOL, is-automated=BOOL)", 0 },
    { "format", O_FORMAT, OPT_ARG, "string", "Change the output format to JSON or a Go "
      "template", 0 },
    { "limit", O_LIMIT, OPT_ARG, "int", "Limit the number of results (per registry; "
      "default 25)", 0 },
    { "list-tags", O_LIST_TAGS, OPT_FLAG, NULL, "List the tags of the input registry", 0 },
    { "no-trunc", O_NO_TRUNC, OPT_FLAG, NULL, "Do not truncate the output", 0 },
    REGOPT_TLS_VERIFY,
    { 0 }
};

static const struct out_header search_headers[] = {
    { "Name", "NAME" }, { "Description", "DESCRIPTION" }, { "Stars", "STARS" },
    { "Official", "OFFICIAL" }, { "Automated", "AUTOMATED" }, { "Tag", "TAG" }, { 0 }
};

/* podman shortens descriptions to 44 characters, ending in "..." */
static json_t *row(const struct img_search_result *r, bool notrunc)
{
    char desc[48];
    const char *d = r->description;

    if (!notrunc && strlen(d) > 44) {
        snprintf(desc, sizeof(desc), "%.41s...", d);
        d = desc;
    }
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "Index", r->index, "Name", r->name,
                     "Description", d, "Stars", r->stars, "Official", r->official ? "[OK]" : "",
                     "Automated", r->automated ? "[OK]" : "", "Tag", r->tag);
}

static int search_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    struct img_search_opts o = { .reg.tls_verify = -1 };
    _cleanup_strv_ char **filters = NULL;
    const char *format = NULL;
    bool compatible = false, notrunc = false;
    struct img_search_result *v = NULL;
    size_t n = 0;
    long long lim;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (regopt_apply(&it, c, &o.reg))
            continue;
        switch (c) {
        case O_COMPATIBLE: compatible = it.bval; break;
        case 'f':
            if (strv_push(&filters, it.arg) < 0)
                c = berr_oom(err);
            break;
        case O_FORMAT: format = it.arg; break;
        case O_LIMIT:
            if (opt_int(&it, &lim, err) < 0)
                c = -1;
            else
                o.limit = lim > 0 ? (size_t) lim : 0;
            break;
        case O_LIST_TAGS: o.list_tags = it.bval; break;
        case O_NO_TRUNC: notrunc = it.bval; break;
        }
        if (c < 0)
            break;
    }
    const char *term = it.nargs == 1 ? it.args[0] : NULL;
    int nargs = it.nargs;
    opt_free(&it);
    if (c < 0 || it.help)
        return c;
    if (nargs != 1)
        return cmd_usage_err(cx, err, "accepts 1 arg(s), received %d", nargs);
    if (o.list_tags && filters)
        return berr_kind(err, BK_INVALID, "filters are not applicable to list tags result");
    o.filters = filters;
    if (img_search(term, &o, &v, &n, err) < 0)
        return -1;
    _cleanup_json_ json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        if (json_array_append_new(items, row(&v[i], notrunc)) < 0) {
            json_decref(items);
            items = NULL;
        }
    img_search_free(v, n);
    if (!items)
        return berr_oom(err);
    /* nothing found: no table at all, as podman prints */
    if (n == 0 && out_default_table(format))
        return 0;
    const char *table = o.list_tags ? "table {{.Name}}\t{{.Tag}}"
                        : compatible ? "table {{.Name}}\t{{.Description}}\t{{.Stars}}\t"
                                       "{{.Official}}\t{{.Automated}}"
                        : "table {{.Name}}\t{{.Description}}";
    struct out_spec spec = { .table = table, .headers = search_headers };
    return out_list(stdout, format && *format ? format : NULL, items, &spec, false, err);
}

const struct cmd cmd_search = {
    .name = "search",
    .summary = "Search registry for image",
    .usage = "[options] TERM",
    .description =
        "Searches the catalogs (/v2/_catalog) of registries for repositories whose name\n"
        "contains TERM: \"registry/\" lists one registry's, \"registry/name\" searches one,\n"
        "a bare name searches the unqualified-search registries of registries.conf.\n"
        "--list-tags lists the tags of one repository instead.",
    .examples = "berth search localhost:5000/\n"
                "berth search --list-tags quay.io/podman/stable\n"
                "berth search --format json localhost:5000/app",
    .opts = search_opts, .fn = search_fn, .need = RT_NONE,
};
