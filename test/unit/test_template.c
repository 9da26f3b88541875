/*
 * test/unit/test_template.c: the Go-template engine, table-driven:
 * template + JSON data -> output, or the error message (prefixed "ERR:").
 */
#include <stdlib.h>

#include "unit.h"
#include "util/template.h"

static const struct tmpl_alias aliases[] = { { "Names", "Name" }, { 0 } };

/* src over data d: the output, or the error message (prefixed "ERR:") */
static char *render_j(const char *src, json_t *d)
{
    struct tmpl *t = NULL;
    struct berr *err = NULL;
    struct sbuf out = SBUF_INIT;
    char *r;

    if (tmpl_parse(src, aliases, &t, &err) < 0 || tmpl_exec(t, d, &out, &err) < 0) {
        r = str_fmt("ERR:%s", err->msg);
        berr_free(err);
        sbuf_free(&out);
    } else {
        r = sbuf_steal(&out);
    }
    tmpl_free(t);
    return r;
}

/* the same over data given as JSON text */
static char *render(const char *src, const char *data)
{
    json_error_t je;
    json_t *d = json_loads(data, JSON_DECODE_ANY, &je);
    char *r;

    if (!d)
        return str_fmt("BADJSON: %s", je.text);
    r = render_j(src, d);
    json_decref(d);
    return r;
}

#define D "{\"ID\":\"abc123\",\"Name\":\"web\",\"Size\":1997895,\"Ratio\":0.5," \
          "\"Up\":true,\"Down\":false,\"None\":null,\"Empty\":\"\"," \
          "\"List\":[\"a\",\"b\",\"c\"],\"Nums\":[3,1,2],\"Labels\":{\"app\":\"x\",\"tier\":\"db\"}," \
          "\"Client\":{\"Version\":\"1.0\",\"Os\":\"linux\"},\"CSV\":\"a,b,,c\",\"Zero\":0}"

static const struct { const char *tmpl, *data, *want; } cases[] = {
    /* text, fields, dot */
    { "plain text", D, "plain text" },
    { "", D, "" },
    { "{{.ID}}", D, "abc123" },
    { "{{ .ID }}-{{.Name}}", D, "abc123-web" },
    { "{{.Client.Version}}", D, "1.0" },
    { "{{.}}", "\"s\"", "s" },
    { "{{.}}", "42", "42" },
    { "{{.Size}}", D, "1997895" },
    { "{{.Ratio}}", D, "0.5" },
    { "{{.Up}} {{.Down}}", D, "true false" },
    { "{{.None}}", D, "<no value>" },
    { "{{.List}}", D, "[a b c]" },
    { "{{.Labels}}", D, "map[app:x tier:db]" },
    { "{{.Labels.app}}", D, "x" },
    { "{{.Labels.missing}}", D, "<no value>" },
    { "{{.None.Deeper}}", D, "<no value>" },
    { "{{.}}", "[1,\"x\",null,{\"b\":1,\"a\":[]}]", "[1 x <nil> map[a:[] b:1]]" },
    { "{{.}}", "1000000.0", "1e+06" },
    { "{{.}}", "123456.0", "123456" },
    { "{{.}}", "0.00001", "1e-05" },
    { "{{.}}", "2.0", "2" },
    /* aliases: docker's .Names reads our "Name" */
    { "{{.Names}}", D, "web" },
    /* escapes in text, and not in strings */
    { "{{.ID}}\\t{{.Name}}\\n", D, "abc123\tweb\n" },
    { "a\\tb", D, "a\tb" },
    { "a\\xb", D, "a\\xb" },
    /* functions */
    { "{{json .Labels}}", D, "{\"app\":\"x\",\"tier\":\"db\"}" },
    { "{{json .List}}", D, "[\"a\",\"b\",\"c\"]" },
    { "{{json .ID}}", D, "\"abc123\"" },
    { "{{json .None}}", D, "null" },
    { "{{json .}}", "{\"b\":\"<x>&/\",\"a\":1}", "{\"b\":\"<x>&/\",\"a\":1}" },
    { "{{upper .Name}} {{lower \"ABC\"}}", D, "WEB abc" },
    { "{{title \"hello big-world\"}}", D, "Hello Big-World" },
    { "{{join .List \",\"}}", D, "a,b,c" },
    { "{{join .None \",\"}}", D, "" },
    { "{{split .CSV \",\"}}", D, "[a b  c]" },
    { "{{len (split .CSV \",\")}}", D, "4" },
    { "{{truncate .ID 3}}", D, "abc" },
    { "{{truncate .ID 30}}", D, "abc123" },
    { "{{index .Labels \"tier\"}}", D, "db" },
    { "{{index .Labels \"nope\"}}", D, "" },
    { "{{index .List 1}}", D, "b" },
    { "{{index .None \"k\"}}", D, "" },
    { "{{len .List}} {{len .Name}} {{len .Labels}}", D, "3 3 2" },
    { "{{printf \"%s-%d\" .Name .Size}}", D, "web-1997895" },
    { "{{printf \"%v|%q|%%|%5s|%-5s|%05d|%x\" .List .Name .Name .Name 42 255}}", D,
      "[a b c]|\"web\"|%|  web|web  |00042|ff" },
    { "{{printf \"%.2f %t %v\" .Ratio .Up .Ratio}}", D, "0.50 true 0.5" },
    { "{{printf \"%d\" .Name}}", D, "%!d(string=web)" },
    { "{{printf \"%s %s\" .Name}}", D, "web %!s(MISSING)" },
    { "{{printf \"%s\" .Name .ID}}", D, "web%!(EXTRA string=abc123)" },
    { "{{printf \"%q\" \"a\\\"b\\n\"}}", D, "\"a\\\"b\\n\"" },
    { "{{println .Name 1}}", D, "web 1\n" },
    { "{{print 1 2 \"x\" 3}}", D, "1 2x3" },
    { "{{contains .Name \"e\"}} {{contains .Name \"z\"}}", D, "true false" },
    { "{{replace .CSV \",\" \";\"}}", D, "a;b;;c" },
    { "[{{pad .Name 1 2}}]", D, "[ web  ]" },
    /* comparison and logic */
    { "{{eq .Name \"web\"}} {{ne .Name \"web\"}}", D, "true false" },
    { "{{eq .Size 1997895}} {{eq 1 2 3 1}}", D, "true true" },
    { "{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge \"b\" \"a\"}} {{lt 1 1.5}}", D,
      "true true false true true" },
    { "{{and .Up .Name}} {{and .Down .Name}} {{or .Empty .Name}} {{or .Empty .Zero}}", D,
      "web false web 0" },
    { "{{not .Up}} {{not .Empty}}", D, "false true" },
    { "{{if and .Up (eq .Name \"web\")}}yes{{end}}", D, "yes" },
    /* pipelines */
    { "{{.Name | upper}}", D, "WEB" },
    { "{{.Name | printf \"<%s>\" | upper}}", D, "<WEB>" },
    { "{{.Name | printf \"%s-%s\" .ID}}", D, "abc123-web" },
    /* control */
    { "{{if .Up}}up{{end}}", D, "up" },
    { "{{if .Down}}a{{else}}b{{end}}", D, "b" },
    { "{{if .Down}}a{{else if .Empty}}b{{else if .Up}}c{{else}}d{{end}}", D, "c" },
    { "{{if .None}}x{{else}}y{{end}}", D, "y" },
    { "{{if .List}}L{{end}}{{if .Labels}}M{{end}}{{if .Zero}}Z{{end}}", D, "LM" },
    { "{{range .List}}[{{.}}]{{end}}", D, "[a][b][c]" },
    { "{{range $i, $e := .List}}{{$i}}={{$e}} {{end}}", D, "0=a 1=b 2=c " },
    { "{{range $k, $v := .Labels}}{{$k}}:{{$v}};{{end}}", D, "app:x;tier:db;" },
    { "{{range .Labels}}{{.}},{{end}}", D, "x,db," },
    { "{{range .None}}x{{else}}empty{{end}}", D, "empty" },
    { "{{range .List}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}", D, "a" },
    { "{{range .List}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}", D, "ac" },
    { "{{range .List}}{{$.Name}}{{end}}", D, "webwebweb" },
    { "{{with .Client}}{{.Os}}{{end}}", D, "linux" },
    { "{{with .Empty}}x{{else}}none{{end}}", D, "none" },
    { "{{$x := .Name}}{{$x}}{{$x = \"y\"}}{{$x}}", D, "weby" },
    { "{{$n := len .List}}{{if gt $n 2}}many{{end}}", D, "many" },
    { "{{(index .List 0) | upper}}", D, "A" },
    { "{{(.Client).Os}}", D, "linux" },
    /* trim markers and comments */
    { "a  {{- .Name -}}  b", D, "awebb" },
    { "a\\n  {{- .Name}}", D, "aweb" },
    { "{{/* note */}}x{{- /* c */ -}} y", D, "xy" },
    { "{{-3}}", D, "-3" },
    /* literals */
    { "{{\"q\\tx\"}} {{`raw\\t`}} {{'a'}} {{0x10}} {{1.5}} {{true}}", D, "q\tx raw\\t 97 16 1.5 true" },
    /* syntax errors */
    { "{{.ID", D, "ERR:template: output:1: unclosed action" },
    { "{{if .ID}}", D, "ERR:template: output:1: unexpected EOF" },
    { "{{end}}", D, "ERR:template: output:1: unexpected {{end}}" },
    { "{{else}}", D, "ERR:template: output:1: unexpected {{else}}" },
    { "{{nosuch .ID}}", D, "ERR:template: output:1: function \"nosuch\" not defined" },
    { "{{$y}}", D, "ERR:template: output:1: undefined variable \"$y\"" },
    { "{{}}", D, "ERR:template: output:1: missing value for command" },
    { "{{\"abc}}", D, "ERR:template: output:1: unterminated quoted string" },
    { "line1\n{{.ID)}}", D, "ERR:template: output:2: unexpected right paren" },
    { "{{if}}x{{end}}", D, "ERR:template: output:1: missing value for if" },
    { "{{break}}", D, "ERR:template: output:1: {{break}} outside {{range}}" },
    { "{{.ID | \"x\"}}", D, "ERR:template: output:1: non executable command in pipeline stage 2" },
    { "{{.ID #}}", D, "ERR:template: output:1: bad character U+0023 '#'" },
    /* issue 20: the keyword was printed after its token was freed (ASan:
     * heap-use-after-free); the token of a failed lex leaked */
    { "{{template \"x\"}}", D, "ERR:template: output:1: {{template}} is not supported here" },
    { "{{define \"x\"}}{{end}}", D, "ERR:template: output:1: {{define}} is not supported here" },
    { "a\n{{block \"x\" .}}{{end}}", D, "ERR:template: output:2: {{block}} is not supported here" },
    { "{{len call.Names}}", D, "ERR:template: output:1: unexpected . after term \"call\"" },
    { "{{$x := call.Y}}", D, "ERR:template: output:1: unexpected . after term \"call\"" },
    { "{{if (call.X)}}{{end}}", D, "ERR:template: output:1: unexpected . after term \"call\"" },
    { "{{range .List}}{{break 1}}{{end}}", D, "ERR:template: output:1: unexpected token in {{break}}" },
    { "{{(.ID", D, "ERR:template: output:1: unclosed action" },
    /* printf widths and precisions as Go's fmt: past a million, or a bad
     * '*' argument, they are refused (the digits overflowed an int) */
    { "{{printf \"%.2f %18446744073709751616v|\" 1.5 2}}", D, "1.50 %!(NOVERB)%!(EXTRA int=2)" },
    { "{{printf \"%*d|\" -5 1}}", D, "1    |" },
    { "{{printf \"%*d|\" 2000000 1}}", D, "%!(BADWIDTH)1|" },
    { "{{printf \"%*d|\" \"x\" 1}}", D, "%!(BADWIDTH)1|" },
    { "{{printf \"%.*f|\" -1 1.5}}", D, "%!(BADPREC)1.500000|" },
    { "{{printf \"%.*f|%5.1f|\" 2 1.5 1.25}}", D, "1.50|  1.2|" },
    /* pad: Go panics on a negative count; a huge one is refused */
    { "{{pad .Name 2 3}}|", D, "  web   |" },
    { "{{pad .Name -1 2}}", D,
      "ERR:template: output:1:2: executing \"output\" at <pad>: error calling pad: strings: negative Repeat count" },
    { "{{pad .Name 12147483647 2}}", D,
      "ERR:template: output:1:2: executing \"output\" at <pad>: error calling pad: strings: Repeat count larger than 1000000" },
    /* execution errors */
    { "{{.Foo}}", D,
      "ERR:template: output:1:2: executing \"output\" at <.Foo>: can't evaluate field Foo in type object" },
    { "x\n {{.Client.Nope}}", D,
      "ERR:template: output:2:3: executing \"output\" at <.Client.Nope>: can't evaluate field Nope in type object" },
    { "{{.Name.X}}", D,
      "ERR:template: output:1:2: executing \"output\" at <.Name.X>: can't evaluate field X in type string" },
    { "{{upper .ID .ID}}", D,
      "ERR:template: output:1:2: executing \"output\" at <upper>: wrong number of args for upper: want 1 got 2" },
    { "{{index .List 7}}", D,
      "ERR:template: output:1:2: executing \"output\" at <index>: error calling index: index out of range: 7" },
    { "{{len .Size}}", D,
      "ERR:template: output:1:2: executing \"output\" at <len>: len of type int" },
    { "{{lt .List 1}}", D,
      "ERR:template: output:1:2: executing \"output\" at <lt>: invalid type for comparison" },
    { "{{range .Name}}{{end}}", D,
      "ERR:template: output:1:0: executing \"output\" at <{{>: range can't iterate over web" },
    { "{{.ID 1}}", D,
      "ERR:template: output:1:2: executing \"output\" at <.ID>: can't give argument to non-function .ID" },
    { "{{truncate .ID \"x\"}}", D,
      "ERR:template: output:1:2: executing \"output\" at <truncate>: wrong type for value; expected int; got string" },
};

#define CHECK_RENDER_J(src, d, want) do { \
        char *got_ = render_j(src, d); \
        CHECK_STR(got_, want); \
        free(got_); \
    } while (0)

/* Template strings are bytes, as Go's: a string cut inside a character
 * (ps's COMMAND) prints its bytes, printf keeps them, upper and title
 * (Go's strings.Map) write each bad byte as U+FFFD, and json as \ufffd,
 * as Go's json.Marshal does (podman 4.3.1 checked beside). */
static void t_not_utf8(void)
{
    json_t *d = json_object();

    json_object_set_new(d, "Cmd", json_stringn_nocheck("echo 12345\xc3...", 14));
    json_object_set_new(d, "Own", json_stringn_nocheck("\xef\xbf\xbd \xff", 5));
    CHECK_RENDER_J("{{.Cmd}}", d, "echo 12345\xc3...");
    /* strings.Map (ToUpper, Title) writes a bad byte as U+FFFD */
    CHECK_RENDER_J("{{upper .Cmd}}", d, "ECHO 12345\xef\xbf\xbd...");
    CHECK_RENDER_J("{{title .Cmd}}", d, "Echo 12345\xef\xbf\xbd...");
    CHECK_RENDER_J("{{printf \"%s!\" .Cmd}}", d, "echo 12345\xc3...!");
    CHECK_RENDER_J("{{json .Cmd}}", d, "\"echo 12345\\ufffd...\"");
    /* with a U+FFFD of its own in the value, every one stays raw (Go
     * would escape the bad byte's alone) */
    CHECK_RENDER_J("{{json .}}", d, "{\"Cmd\":\"echo 12345\xef\xbf\xbd...\",\"Own\":\"\xef\xbf\xbd \xef\xbf\xbd\"}");
    CHECK_RENDER_J("{{\"a\xff" "b\"}}", d, "a\xff" "b");
    json_decref(d);
}

static void t_cases(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = render(cases[i].tmpl, cases[i].data);
        if (!got || strcmp(got, cases[i].want) != 0)
            printf("#   case %zu: %s\n", i, cases[i].tmpl);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
}

static void t_fields(void)
{
    static const struct { const char *tmpl, *want; } fc[] = {
        { "{{.ID}}\\t{{.Names}}", "ID,Names" },
        { "{{.ID}} {{.ID}} {{json .Labels.app}} {{if .Up}}{{.Down}}{{end}}", "ID,Labels,Up,Down" },
        { "{{range .Mounts}}{{.Src}}{{end}}{{$.Top}}", "Mounts,Top" },
        { "text only", "" },
    };
    for (size_t i = 0; i < sizeof(fc) / sizeof(fc[0]); i++) {
        struct tmpl *t = NULL;
        struct berr *err = NULL;
        char **f, *j;
        CHECK(tmpl_parse(fc[i].tmpl, NULL, &t, &err) == 0);
        if (!t)
            continue;
        f = tmpl_fields(t);
        j = strv_join(f, ",");
        CHECK_STR(j, fc[i].want);
        free(j);
        strv_free(f);
        tmpl_free(t);
    }
}

static void t_header(void)
{
    struct tmpl *t = NULL;
    struct berr *err = NULL;
    struct sbuf out = SBUF_INIT;
    json_t *h = json_pack("{s:s, s:s, s:s}", "ID", "CONTAINER ID", "Labels", "LABELS",
                          "Name", "NAMES");

    CHECK(tmpl_parse("{{.ID}}\\t{{json .ID}}\\t{{.Labels.app}}\\t{{upper .Names}}", aliases,
                     &t, &err) == 0);
    CHECK(tmpl_exec_header(t, h, &out, &err) == 0);
    CHECK_STR(sbuf_str(&out), "CONTAINER ID\t\"CONTAINER ID\"\tLABELS\tNAMES");
    sbuf_free(&out);
    tmpl_free(t);
    json_decref(h);
}

/* Go's typed nils and fields filled in for templates (tmpl_fill_fields) */
static void t_typed_nils(void)
{
    static const struct tmpl_field fs[] = {
        { "A.Labels", TMPL_NIL_MAP, NULL },
        { "A.List", TMPL_NIL_SLICE, NULL },
        { "A.Ptr", TMPL_NIL_PTR, NULL },
        { "A.Flag", 0, json_false },
        { "A.Count", 0, tmpl_zero_int },
        { "Nets.*.Links", TMPL_NIL_SLICE, NULL },
        { "Missing.Deep", TMPL_NIL_MAP, NULL },
        { "S", TMPL_STRUCT, NULL },
        { NULL, 0, NULL }
    };
    json_t *d = json_loads("{\"A\":{\"Labels\":null,\"Count\":7,\"List\":[1]},"
                           "\"Nets\":{\"a\":{},\"b\":{\"Links\":[\"x\"]}},"
                           "\"S\":{\"Name\":\"\",\"N\":0,\"L\":[1,2]}}", 0, NULL);
    char *r;

    CHECK(d && tmpl_fill_fields(d, fs) == 0);
    /* a value the JSON has is kept; a zero fills only what is missing */
    r = render_j("{{.A.Labels}}|{{.A.List}}|{{.A.Ptr}}|{{.A.Flag}}|{{.A.Count}}", d);
    CHECK_STR(r, "map[]|[1]|<nil>|false|7");
    free(r);
    r = render_j("{{json .A.Labels}}|{{json .A.Ptr}}|{{len .A.Labels}}|{{if .A.Ptr}}y{{else}}n{{end}}", d);
    CHECK_STR(r, "null|null|0|n");
    free(r);
    /* json writes a typed nil the JSON had as null, and leaves out the
     * fields it did not have (omitempty) */
    r = render_j("{{json .A}}|{{json .Nets}}", d);
    CHECK_STR(r, "{\"Labels\":null,\"Count\":7,\"List\":[1]}|"
                 "{\"a\":{},\"b\":{\"Links\":[\"x\"]}}");
    free(r);
    r = render_j("{{range $k, $v := .Nets}}{{$k}}={{$v.Links}} {{end}}", d);
    CHECK_STR(r, "a=[] b=[x] ");
    free(r);
    /* a value the json function writes otherwise (a time's RFC 3339) */
    json_t *go = json_string("2026-12-07 12:40:43 +0000 UTC");
    CHECK(go && tmpl_json_as(go, json_string("2026-12-07T12:40:43Z")) == 0);
    json_object_set_new(json_object_get(d, "A"), "At", go);
    r = render_j("{{.A.At}}|{{json .A.At}}|{{json .A.Count}}", d);
    CHECK_STR(r, "2026-12-07 12:40:43 +0000 UTC|\"2026-12-07T12:40:43Z\"|7");
    free(r);
    /* a struct prints its values in order; json and fields as before */
    r = render_j("{{.S}}|{{json .S}}|{{.S.N}}", d);
    CHECK_STR(r, "{ 0 [1 2]}|{\"Name\":\"\",\"N\":0,\"L\":[1,2]}|0");
    free(r);
    /* a path whose parent is absent is left alone */
    CHECK(!json_object_get(d, "Missing"));
    CHECK(tmpl_is_typed_nil(tmpl_nil(TMPL_NIL_MAP)) && !tmpl_is_typed_nil(json_object_get(d, "A")));
    tmpl_fill_done();
    r = render_j("{{.S}}", d);
    CHECK_STR(r, "map[L:[1 2] N:0 Name:]");
    free(r);
    /* once done, nothing is left out */
    r = render_j("{{json .A.Flag}}", d);
    CHECK_STR(r, "false");
    free(r);
    json_decref(d);
}

int main(void)
{
    UNIT_RUN(t_typed_nils);
    UNIT_RUN(t_cases);
    UNIT_RUN(t_not_utf8);
    UNIT_RUN(t_fields);
    UNIT_RUN(t_header);
    return unit_done();
}
