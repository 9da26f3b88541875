/*
 * test/unit/test_out.c: out_list/out_one/out_json/tbl_* against output
 * captured from podman 4.3.1 (ps -a, images) on this host.
 */
#include <stdlib.h>

#include "unit.h"
#include "util/out.h"

static const struct out_header ps_headers[] = {
    { "ID", "CONTAINER ID" }, { "Names", "NAMES" }, { 0 }
};
static const struct tmpl_alias ps_aliases[] = { { "Name", "Names" }, { 0 } };
static const struct out_spec ps_spec = {
    .table = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t"
             "{{.Ports}}\t{{.Names}}",
    .aliases = ps_aliases,
    .headers = (const struct out_header[]) {
        { "ID", "CONTAINER ID" }, { "CreatedHuman", "CREATED" }, { 0 } },
};

static json_t *ps_items(void)
{
    return json_pack("[{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{}, s:[]},"
                     " {s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{}, s:[]}]",
                     "ID", "283cd9235e17", "Image", "localhost/bb:latest", "Command", "sleep 100",
                     "CreatedHuman", "Less than a second ago", "Status", "Created", "Ports", "",
                     "Names", "web", "CreatedAt", "2026-11-23 20:31:01.352267991 +0000 UTC",
                     "Labels", "Mounts",
                     "ID", "845ec418ae28", "Image", "localhost/bb:latest", "Command", "true",
                     "CreatedHuman", "Less than a second ago", "Status", "Created", "Ports", "",
                     "Names", "a_much_longer_container_name",
                     "CreatedAt", "2026-11-23 20:31:01.425854253 +0000 UTC", "Labels", "Mounts");
}

/* Runs out_list into a string; "ERR:msg" on failure (and checks that
 * nothing was printed then). */
static char *list(const char *format, json_t *items, const struct out_spec *spec, bool nohead)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct berr *err = NULL;
    int r = out_list(f, format, items, spec, nohead, &err);

    fclose(f);
    if (r < 0) {
        CHECK_INT(len, 0);
        free(buf);
        buf = str_fmt("ERR:%s", err->msg);
        berr_free(err);
    }
    return buf;
}

static void t_default_table(void)
{
    json_t *items = ps_items();
    char *s = list(NULL, items, &ps_spec, false);
    CHECK_STR(s,
        "CONTAINER ID  IMAGE                COMMAND     CREATED                 STATUS      PORTS       NAMES\n"
        "283cd9235e17  localhost/bb:latest  sleep 100   Less than a second ago  Created                 web\n"
        "845ec418ae28  localhost/bb:latest  true        Less than a second ago  Created                 a_much_longer_container_name\n");
    free(s);
    s = list("table", items, &ps_spec, true);
    CHECK_STR(s,
        "283cd9235e17  localhost/bb:latest  sleep 100   Less than a second ago  Created                 web\n"
        "845ec418ae28  localhost/bb:latest  true        Less than a second ago  Created                 a_much_longer_container_name\n");
    free(s);
    json_decref(items);
}

static void t_custom_table(void)
{
    json_t *items = ps_items();
    char *s = list("table {{.ID}}\\t{{.CreatedAt}}\\t{{.Names}}", items, &ps_spec, false);
    CHECK_STR(s,
        "CONTAINER ID  CREATED AT                               NAMES\n"
        "283cd9235e17  2026-11-23 20:31:01.352267991 +0000 UTC  web\n"
        "845ec418ae28  2026-11-23 20:31:01.425854253 +0000 UTC  a_much_longer_container_name\n");
    free(s);
    /* spaces between actions are columns; headers through functions */
    s = list("table {{.ID}} {{.Names}} {{.Labels}} {{.Mounts}}", items, &ps_spec, false);
    CHECK_STR(s,
        "CONTAINER ID  NAMES                         LABELS      MOUNTS\n"
        "283cd9235e17  web                           map[]       []\n"
        "845ec418ae28  a_much_longer_container_name  map[]       []\n");
    free(s);
    s = list("table {{.ID}}  {{.Names}}", items, &ps_spec, false);
    CHECK_STR(s,
        "CONTAINER ID              NAMES\n"
        "283cd9235e17              web\n"
        "845ec418ae28              a_much_longer_container_name\n");
    free(s);
    s = list("table {{upper .Names}}\\t{{json .ID}}\\t{{.Status}}:{{.Status}}", items, &ps_spec,
             false);
    CHECK_STR(s,
        "NAMES                         \"CONTAINER ID\"  STATUS:STATUS\n"
        "WEB                           \"283cd9235e17\"  Created:Created\n"
        "A_MUCH_LONGER_CONTAINER_NAME  \"845ec418ae28\"  Created:Created\n");
    free(s);
    /* an alias finds its header through the field it stands for */
    s = list("table {{.Name}}", items, &ps_spec, false);
    CHECK_STR(s, "NAMES\nweb\na_much_longer_container_name\n");
    free(s);
    json_decref(items);
}

static void t_plain_and_json(void)
{
    json_t *items = ps_items();
    json_t *none = json_array();
    char *s = list("{{.ID}}\\t{{.Names}}", items, &ps_spec, false);
    CHECK_STR(s, "283cd9235e17\tweb\n845ec418ae28\ta_much_longer_container_name\n");
    free(s);
    s = list("{{.ID}}\\n", items, &ps_spec, false);
    CHECK_STR(s, "283cd9235e17\n845ec418ae28\n");
    free(s);
    s = list("{{range .}}{{.Names}},{{end}}", items, &ps_spec, false);
    CHECK_STR(s, "web,a_much_longer_container_name,\n");
    free(s);
    s = list("json", none, &ps_spec, false);
    CHECK_STR(s, "[]\n");
    free(s);
    s = list("{{.Nope}}", none, &ps_spec, false);      /* no items, nothing runs */
    CHECK_STR(s, "");
    free(s);
    s = list(NULL, none, &ps_spec, false);
    CHECK_STR(s, "CONTAINER ID  IMAGE       COMMAND     CREATED     STATUS      PORTS       NAMES\n");
    free(s);
    s = list("{{.ID}} {{.Nope}}", items, &ps_spec, false);
    CHECK_STR(s, "ERR:template: output:1:10: executing \"output\" at <.Nope>: "
                 "can't evaluate field Nope in type object");
    free(s);
    s = list("table {{.ID", items, &ps_spec, false);
    CHECK_STR(s, "ERR:template: output:1: unclosed action");
    free(s);
    json_decref(none);
    json_decref(items);
}

static void t_json(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct berr *err = NULL;
    json_t *v = json_pack("{s:s, s:[i], s:{}, s:s}", "Z", "a/b<c>", "A", 1, "M", "E", "\xc3\xa9");

    CHECK(out_json(f, v, &err) == 0);
    CHECK(out_one(f, "{{.Z}}", v, NULL, &err) == 0);
    CHECK(out_one(f, "json", v, NULL, &err) == 0);
    fclose(f);
    CHECK_STR(buf, "{\n    \"Z\": \"a/b<c>\",\n    \"A\": [\n        1\n    ],\n    \"M\": {},\n"
                   "    \"E\": \"\xc3\xa9\"\n}\n"
                   "a/b<c>\n"
                   "{\n    \"Z\": \"a/b<c>\",\n    \"A\": [\n        1\n    ],\n    \"M\": {},\n"
                   "    \"E\": \"\xc3\xa9\"\n}\n");
    free(buf);
    json_decref(v);
}

static void t_header_names(void)
{
    static const struct { const char *in, *want; } c[] = {
        { "ID", "ID" }, { "CreatedAt", "CREATED AT" }, { "ImageID", "IMAGE ID" },
        { "RunningFor", "RUNNING FOR" }, { "Names", "NAMES" }, { "PIDs", "PI DS" },
        { "PDFLoader", "PDF LOADER" }, { "Size2", "SIZE 2" }, { "lower", "LOWER" },
        { "IPv4Address", "I PV 4 ADDRESS" },
    };
    (void) ps_headers;
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        char *h = out_header_name(c[i].in);
        CHECK_STR(h, c[i].want);
        free(h);
    }
}

static void t_tbl(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct tbl *t = tbl_new();

    tbl_add_row(t, (char *[]) { "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", NULL });
    tbl_add_row(t, (char *[]) { "localhost/bb", "latest", "3a921669a8e1", "Less than a second ago",
                                "2 MB", NULL });
    tbl_add_row(t, (char *[]) { "x\ty", "\xc3\xa9t\xc3\xa9", "", "", "", NULL });
    CHECK(tbl_print(t, f) == 0);
    tbl_free(t);
    fclose(f);
    CHECK_STR(buf, "REPOSITORY    TAG         IMAGE ID      CREATED                 SIZE\n"
                   "localhost/bb  latest      3a921669a8e1  Less than a second ago  2 MB\n"
                   "x y           \xc3\xa9t\xc3\xa9" "         " /* to 12 */
                   "              " /* 14 */ "                        " /* 24 */ "\n");
    free(buf);
}

/* out_rows: rendered one item at a time, the texts printed in the order
 * given, byte for byte what out_list prints for those items in that order
 * (json too); a template that ranges over the whole list has no out_rows. */
static char *rows_print(const char *format, json_t *items, const struct out_spec *spec,
                        bool nohead)
{
    char *buf = NULL, *texts[8] = { 0 };
    size_t len = 0, n = json_array_size(items);
    FILE *f = open_memstream(&buf, &len);
    struct out_rows *rows = NULL;
    struct berr *err = NULL;
    int r = out_rows_new(format, spec, nohead, &rows, &err);

    CHECK(n <= 8);
    /* rendered last first, printed first first */
    for (size_t i = n; r == 0 && rows && i-- > 0;)
        r = out_rows_render(rows, json_array_get(items, i), &texts[i], &err);
    if (r == 0 && rows)
        r = out_rows_print(rows, f, texts, n, &err);
    fclose(f);
    if (r == 0 && !rows)
        fprintf(stderr, "# no out_rows for %s\n", format ? format : "(null)");
    if (r < 0) {
        CHECK_INT(len, 0);
        free(buf);
        buf = str_fmt("ERR:%s", err->msg);
        berr_free(err);
    }
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    out_rows_free(rows);
    return buf;
}

static void t_rows(void)
{
    json_t *items = ps_items();
    const char *formats[] = { NULL, "table", "table {{.ID}} {{.Names}}", "{{.ID}}",
                              "{{.Names}}\t{{.Status}}\n", "{{.Nope}}", "{{.Name}}", "",
                              /* rows that end no line, or are empty */
                              "table {{.ID}} {{.Names -}}",
                              "table {{if eq .Names \"web\"}}{{.ID}} {{.Names}}\n{{end -}}" };
    struct out_rows *rows = (struct out_rows *) 1;
    struct berr *err = NULL;

    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        for (int nohead = 0; nohead < 2; nohead++) {
            char *want = list(formats[i], items, &ps_spec, nohead);
            char *got = rows_print(formats[i], items, &ps_spec, nohead);
            CHECK_STR(got, want);
            free(want);
            free(got);
        }
    }
    /* no items: the header alone */
    {
        json_t *none = json_array();
        char *want = list(NULL, none, &ps_spec, false), *got = rows_print(NULL, none, &ps_spec, false);
        CHECK_STR(got, want);
        CHECK(strstr(got, "CONTAINER ID") != NULL);
        free(want);
        free(got);
        json_decref(none);
    }
    /* json: out_json's array element by element, nested values, escapes
     * and the empty list included */
    {
        json_t *nested = json_loads("[{\"a\":{\"b\":[1,{\"c\":[]}],\"d\":{}},"
                                    "\"s\":\"x\\ny\\t\\\"<>\\u00e9\",\"r\":0.1,\"n\":null},"
                                    "[],{},\"str\",[[1,2],[3]]]", 0, NULL);
        json_t *lists[] = { items, nested, json_array() };
        for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
            char *want = list("json", lists[i], &ps_spec, false);
            char *got = rows_print("json", lists[i], &ps_spec, false);
            CHECK(nested != NULL);
            CHECK_STR(got, want);
            free(want);
            free(got);
        }
        json_decref(nested);
        json_decref(lists[2]);
    }
    rows = (struct out_rows *) 1;
    CHECK(out_rows_new("{{range .}}{{.ID}}{{end}}", &ps_spec, false, &rows, &err) == 0 &&
          rows == NULL);
    CHECK(out_rows_new("{{.ID", &ps_spec, false, &rows, &err) < 0 && err);
    berr_free(err);
    json_decref(items);
}

int main(void)
{
    UNIT_RUN(t_default_table);
    UNIT_RUN(t_custom_table);
    UNIT_RUN(t_plain_and_json);
    UNIT_RUN(t_json);
    UNIT_RUN(t_header_names);
    UNIT_RUN(t_tbl);
    UNIT_RUN(t_rows);
    return unit_done();
}
