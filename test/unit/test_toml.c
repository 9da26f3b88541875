/*
 * test/unit/test_toml.c: the TOML parser, table-driven. Valid documents are
 * compared with their JSON (sorted keys, compact); invalid ones with the
 * LINE:COL of the error and a fragment of its message.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/toml.h"

static const struct { const char *doc, *json; } valid[] = {
    /* structure */
    { "", "{}" },
    { "# only a comment\n\n   \t\n", "{}" },
    { "a = 1", "{\"a\":1}" },
    { "a = 1 # trailing comment\nb = 2\n", "{\"a\":1,\"b\":2}" },
    { "a=1\r\nb=2\r\n", "{\"a\":1,\"b\":2}" },
    { "\xEF\xBB\xBF" "a = 1\n", "{\"a\":1}" },
    { "  \ta = 1  \n", "{\"a\":1}" },
    /* keys */
    { "bare_key-1 = 1\n1234 = 2", "{\"1234\":2,\"bare_key-1\":1}" },
    { "\"quoted key\" = 1\n'lit.key' = 2", "{\"lit.key\":2,\"quoted key\":1}" },
    { "\"\" = 1", "{\"\":1}" },
    { "a.b.c = 1\na.b.d = 2", "{\"a\":{\"b\":{\"c\":1,\"d\":2}}}" },
    { "a . b = 1", "{\"a\":{\"b\":1}}" },
    { "a.\"b.c\".'d' = 1", "{\"a\":{\"b.c\":{\"d\":1}}}" },
    { "3.14 = 1", "{\"3\":{\"14\":1}}" },
    { "\"\\u00e9\" = 1", "{\"\xC3\xA9\":1}" },
    /* tables */
    { "[t]\na = 1\n[u]\nb = 2", "{\"t\":{\"a\":1},\"u\":{\"b\":2}}" },
    { "[a.b.c]\nx = 1", "{\"a\":{\"b\":{\"c\":{\"x\":1}}}}" },
    { "[ a . b ]\nx = 1", "{\"a\":{\"b\":{\"x\":1}}}" },
    { "[a.b]\n[a]\nx = 1", "{\"a\":{\"b\":{},\"x\":1}}" },
    { "[x.y.z.w]\n[x]", "{\"x\":{\"y\":{\"z\":{\"w\":{}}}}}" },
    { "[\"q t\".'l']\n", "{\"q t\":{\"l\":{}}}" },
    { "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
      "{\"fruit\":{\"apple\":{\"color\":\"red\",\"taste\":{\"sweet\":true},"
      "\"texture\":{\"smooth\":true}}}}" },
    { "[t] # comment\n", "{\"t\":{}}" },
    /* arrays of tables */
    { "[[p]]\nn = 1\n[[p]]\n[[p]]\nn = 3", "{\"p\":[{\"n\":1},{},{\"n\":3}]}" },
    { "[[f]]\nn = 1\n[f.d]\nx = 1\n[[f.v]]\nc = 1\n[[f.v]]\nc = 2\n[[f]]\nn = 2",
      "{\"f\":[{\"d\":{\"x\":1},\"n\":1,\"v\":[{\"c\":1},{\"c\":2}]},{\"n\":2}]}" },
    { "[[a.b]]\n[[a.b]]\n[a]\nc = 1", "{\"a\":{\"b\":[{},{}],\"c\":1}}" },
    /* inline tables */
    { "t = {}", "{\"t\":{}}" },
    { "t = { a = 1, b = \"x\" }", "{\"t\":{\"a\":1,\"b\":\"x\"}}" },
    { "t = { a.b = 1, a.c = 2 }", "{\"t\":{\"a\":{\"b\":1,\"c\":2}}}" },
    { "t = { n = { m = [1, {x = 2}] } }", "{\"t\":{\"n\":{\"m\":[1,{\"x\":2}]}}}" },
    /* arrays */
    { "a = []", "{\"a\":[]}" },
    { "a = [1, 2, 3]", "{\"a\":[1,2,3]}" },
    { "a = [1, \"two\", 3.5, true, [4], {x = 5}]", "{\"a\":[1,\"two\",3.5,true,[4],{\"x\":5}]}" },
    { "a = [\n  1, # one\n  2,\n  # nothing\n]\n", "{\"a\":[1,2]}" },
    { "a = [ [ ], [[]] ]", "{\"a\":[[],[[]]]}" },
    { "a = [\r\n1,\r\n2\r\n]", "{\"a\":[1,2]}" },
    /* basic strings */
    { "s = \"hello\"", "{\"s\":\"hello\"}" },
    { "s = \"\"", "{\"s\":\"\"}" },
    { "s = \"\\b\\t\\n\\f\\r\\\"\\\\\"", "{\"s\":\"\\b\\t\\n\\f\\r\\\"\\\\\"}" },
    { "s = \"\\u00E9\\U0001F600\"", "{\"s\":\"\xC3\xA9\xF0\x9F\x98\x80\"}" },
    { "s = \"\\u0000\"", "{\"s\":\"\\u0000\"}" },
    { "s = \"tab\there\"", "{\"s\":\"tab\\there\"}" },
    { "s = \"caf\xC3\xA9 # not a comment\"", "{\"s\":\"caf\xC3\xA9 # not a comment\"}" },
    /* literal strings */
    { "s = 'C:\\Users\\x'", "{\"s\":\"C:\\\\Users\\\\x\"}" },
    { "s = '<\\i\\c*\\s*>'", "{\"s\":\"<\\\\i\\\\c*\\\\s*>\"}" },
    { "s = 'say \"hi\"'", "{\"s\":\"say \\\"hi\\\"\"}" },
    /* multi-line basic */
    { "s = \"\"\"\nRoses\nViolets\"\"\"", "{\"s\":\"Roses\\nViolets\"}" },
    { "s = \"\"\"\r\nA\r\nB\"\"\"", "{\"s\":\"A\\nB\"}" },
    { "s = \"\"\"The quick \\\n\n   brown \\\n   fox\"\"\"", "{\"s\":\"The quick brown fox\"}" },
    { "s = \"\"\"a \\   \n  b\"\"\"", "{\"s\":\"a b\"}" },
    { "s = \"\"\"two \"\" quotes\"\"\"", "{\"s\":\"two \\\"\\\" quotes\"}" },
    { "s = \"\"\"ends with \"\"\"\"\"", "{\"s\":\"ends with \\\"\\\"\"}" },
    { "s = \"\"\"\"one\"\"\"\"", "{\"s\":\"\\\"one\\\"\"}" },
    { "s = \"\"\"\\u0041\\t\"\"\"", "{\"s\":\"A\\t\"}" },
    { "s = \"\"\"\"\"\"", "{\"s\":\"\"}" },
    /* multi-line literal */
    { "s = '''\nfirst\n  second\\n'''", "{\"s\":\"first\\n  second\\\\n\"}" },
    { "s = '''I [dw]on't need \\d{2} apples'''", "{\"s\":\"I [dw]on't need \\\\d{2} apples\"}" },
    { "s = ''''That,' she said'''", "{\"s\":\"'That,' she said\"}" },
    { "s = '''x'''''", "{\"s\":\"x''\"}" },
    /* integers */
    { "i = [+99, 42, 0, -17, +0, -0]", "{\"i\":[99,42,0,-17,0,0]}" },
    { "i = [1_000, 5_349_221, 1_2_3]", "{\"i\":[1000,5349221,123]}" },
    { "h = [0xDEADBEEF, 0xdead_beef, 0x0, 0x00ff]", "{\"h\":[3735928559,3735928559,0,255]}" },
    { "o = [0o01234567, 0o755, 0o0]", "{\"o\":[342391,493,0]}" },
    { "b = [0b11010110, 0b1_0]", "{\"b\":[214,2]}" },
    { "i = 9223372036854775807", "{\"i\":9223372036854775807}" },
    { "i = -9223372036854775808", "{\"i\":-9223372036854775808}" },
    { "h = 0x7FFFFFFFFFFFFFFF", "{\"h\":9223372036854775807}" },
    /* floats */
    { "f = [1.0, 3.1415, -0.01, 0.5]", "{\"f\":[1.0,3.1415,-0.01,0.5]}" },
    { "f = [5e+22, 1e06, -2E-2, 6.626e-34]", "{\"f\":[5e22,1000000.0,-0.02,6.626e-34]}" },
    { "f = 224_617.445_991_228", "{\"f\":224617.445991228}" },
    { "f = [inf, +inf, -inf, nan, +nan, -nan]",
      "{\"f\":[\"inf\",\"+inf\",\"-inf\",\"nan\",\"+nan\",\"-nan\"]}" },
    { "f = [0e0, -0.0, +0.0]", "{\"f\":[0.0,-0.0,0.0]}" },
    /* booleans */
    { "t = true\nf = false", "{\"f\":false,\"t\":true}" },
    /* dates and times, kept verbatim */
    { "d = 1979-05-27T07:32:00Z", "{\"d\":\"1979-05-27T07:32:00Z\"}" },
    { "d = 1979-05-27T00:32:00-07:00", "{\"d\":\"1979-05-27T00:32:00-07:00\"}" },
    { "d = 1979-05-27T00:32:00.999999+07:00", "{\"d\":\"1979-05-27T00:32:00.999999+07:00\"}" },
    { "d = 1979-05-27 07:32:00Z", "{\"d\":\"1979-05-27 07:32:00Z\"}" },
    { "d = 1979-05-27t07:32:00z", "{\"d\":\"1979-05-27t07:32:00z\"}" },
    { "d = 1979-05-27T07:32:00", "{\"d\":\"1979-05-27T07:32:00\"}" },
    { "d = 1979-05-27", "{\"d\":\"1979-05-27\"}" },
    { "d = 2024-02-29", "{\"d\":\"2024-02-29\"}" },
    { "t = 07:32:00", "{\"t\":\"07:32:00\"}" },
    { "t = 00:32:00.999999", "{\"t\":\"00:32:00.999999\"}" },
    { "d = [1979-05-27, 07:32:00] # c", "{\"d\":[\"1979-05-27\",\"07:32:00\"]}" },
    { "d = 1979-05-27 # date then comment", "{\"d\":\"1979-05-27\"}" },
    /* a containers.conf-like document */
    { "[containers]\ndefault_capabilities = [\n  \"CHOWN\",\n  \"KILL\",\n]\n"
      "[engine]\nconmon_path = [\"/usr/bin/conmon\"]\n[engine.runtimes]\n"
      "runc = [\"/usr/bin/runc\"]\n",
      "{\"containers\":{\"default_capabilities\":[\"CHOWN\",\"KILL\"]},"
      "\"engine\":{\"conmon_path\":[\"/usr/bin/conmon\"],\"runtimes\":{\"runc\":[\"/usr/bin/runc\"]}}}" },
};

static const struct { const char *doc, *pos, *msg; } invalid[] = {
    /* keys and key/values */
    { "a = 1\na = 2", "2:1", "duplicate key a" },
    { "a = 1\n\"a\" = 2", "2:1", "duplicate key a" },
    { "a.b = 1\na.b = 2", "2:1", "duplicate key a.b" },
    { "a = 1\na.b = 2", "2:1", "a is already defined as integer" },
    { "= 1", "1:1", "expected a key" },
    { "a = ", "1:5", "missing value for key a" },
    { "a = # c", "1:5", "missing value for key a" },
    { "a\n= 1", "1:2", "expected '=' after key a" },
    { "a b = 1", "1:3", "expected '=' after key a" },
    { "a. = 1", "1:4", "expected a key" },
    { "a = 1 b = 2", "1:7", "expected a newline after a value" },
    { "\"\"\"k\"\"\" = 1", "1:1", "a key cannot be a multi-line string" },
    { "a = 1\n\"b\n\" = 2", "2:1", "unterminated string" },
    { "k\xC3\xA9y = 1", "1:2", "expected '=' after key k" },
    /* tables */
    { "[a]\n[a]", "2:2", "table a is already defined" },
    { "[a]\nb = 1\n[a.b]", "3:2", "cannot define table a.b: the key is already defined as integer" },
    { "[a.b]\n[a]\n[a]", "3:2", "table a is already defined" },
    { "a.b = 1\n[a]", "2:2", "table a is already defined" },
    { "[fruit]\napple.color = 1\n[fruit.apple]", "3:2", "table fruit.apple is already defined" },
    { "[a.b.c]\nz = 1\n[a]\nb.c.t = 2", "4:1", "a table elsewhere" },
    { "[a.b]\n[a]\nb.x = 1", "3:1", "b is already defined as a table elsewhere" },
    { "[a", "1:3", "expected ']' to end the table header" },
    { "[a]]", "1:4", "expected a newline after the table header" },
    { "[]", "1:2", "expected a key" },
    { "[a] b = 1", "1:5", "expected a newline after the table header" },
    { "[a.]", "1:4", "expected a key" },
    /* arrays of tables */
    { "a = [1]\n[[a]]", "2:3", "cannot append to a: it is a static array" },
    { "[a]\n[[a]]", "2:3", "cannot append to a: it is a table" },
    { "[[a]]\n[a]", "2:2", "table a: the key is already defined as an array of tables" },
    { "[[a]", "1:4", "expected ']]' to end the table header" },
    { "[[a] ]", "1:4", "expected ']]' to end the table header" },
    { "a = [{ b = 1 }]\n[a.c]", "2:2", "a is a static array" },
    /* inline tables */
    { "t = { a = 1 }\nt.b = 2", "2:1", "t is already defined as an inline table" },
    { "t = { a = 1 }\n[t]", "2:2", "table t is already defined" },
    { "t = { a = 1 }\n[t.b]", "2:2", "t is an inline table" },
    { "t = { a = { b = 1 } }\n[t.a.c]", "2:2", "t is an inline table" },
    { "t = { a = 1, }", "1:14", "trailing comma not allowed" },
    { "t = { a = 1,\n b = 2 }", "1:13", "newlines are not allowed in inline tables" },
    { "t = {\n}", "1:6", "newlines are not allowed" },
    { "t = { a = 1 b = 2 }", "1:13", "expected ',' or '}'" },
    { "t = { a = 1, a = 2 }", "1:14", "duplicate key a" },
    { "t = { a.b = 1, a = 2 }", "1:16", "duplicate key a" },
    { "t = { a = 1", "1:12", "unterminated inline table" },
    { "t = {,}", "1:6", "expected a key" },
    /* arrays */
    { "a = [1, 2", "1:10", "unterminated array" },
    { "a = [1 2]", "1:8", "expected ',' or ']'" },
    { "a = [,]", "1:6", "expected a value in the array, found ','" },
    { "a = [1,,2]", "1:8", "found ','" },
    { "a = [1, # c\n", "2:1", "unterminated array" },
    /* strings */
    { "s = \"abc", "1:5", "unterminated string" },
    { "s = \"abc\nx\"", "1:5", "unterminated string" },
    { "s = 'abc", "1:5", "unterminated string" },
    { "s = \"\"\"abc", "1:5", "unterminated multi-line string" },
    { "s = '''abc\n", "1:5", "unterminated multi-line string" },
    { "s = \"\\q\"", "1:6", "invalid escape sequence \\q" },
    { "s = \"\\e\"", "1:6", "invalid escape sequence \\e" },
    { "s = \"\\x41\"", "1:6", "invalid escape sequence \\x" },
    { "s = \"\\u12\"", "1:6", "needs 4 hex digits" },
    { "s = \"\\U0000004\"", "1:6", "needs 8 hex digits" },
    { "s = \"\\uD800\"", "1:6", "not a Unicode scalar value" },
    { "s = \"\\U00110000\"", "1:6", "not a Unicode scalar value" },
    { "s = \"a\x01\"", "1:7", "control character U+0001 is not allowed in a string" },
    { "s = 'a\x7f'", "1:7", "control character U+007F" },
    { "s = \"\"\"a\x1f\"\"\"", "1:9", "control character U+001F" },
    { "s = \"\"\"a\rb\"\"\"", "1:9", "bare carriage return" },
    { "s = \"\"\"a \\ b\"\"\"", "1:10", "invalid escape sequence" },
    { "s = \"\"\"a\"\"\"\"\"\"", "1:14", "too many quotes" },
    { "s = \"a\" \"b\"", "1:9", "expected a newline after a value" },
    /* numbers */
    { "i = 012", "1:5", "leading zeros are not allowed" },
    { "i = -012", "1:5", "leading zeros are not allowed" },
    { "f = 00.5", "1:5", "leading zeros are not allowed" },
    { "i = 1__2", "1:5", "an underscore must sit between two digits" },
    { "i = 1_", "1:5", "an underscore must sit between two digits" },
    { "i = _1", "1:5", "invalid value _1" },
    { "h = 0x_1", "1:5", "underscore" },
    { "h = 0xG", "1:5", "invalid value 0xG" },
    { "h = 0X1F", "1:5", "invalid value 0X1F" },
    { "h = +0x1", "1:5", "invalid value +0x1" },
    { "o = 0o8", "1:5", "invalid value 0o8" },
    { "b = 0b102", "1:5", "invalid value 0b102" },
    { "i = 9223372036854775808", "1:5", "out of range" },
    { "h = 0x8000000000000000", "1:5", "out of range" },
    { "f = 1.", "1:5", "invalid value 1." },
    { "f = .5", "1:5", "invalid value .5" },
    { "f = 1.e5", "1:5", "invalid value 1.e5" },
    { "f = 1e", "1:5", "invalid value 1e" },
    { "f = 1e_5", "1:5", "underscore" },
    { "f = 1.5_", "1:5", "underscore" },
    { "f = 1e400", "1:5", "out of range" },
    { "f = Inf", "1:5", "strings need quotes" },
    { "x = bare", "1:5", "strings need quotes" },
    { "b = True", "1:5", "strings need quotes" },
    { "b = truex", "1:5", "strings need quotes" },
    /* dates */
    { "d = 1979-13-27", "1:5", "invalid date or time" },
    { "d = 2023-02-29", "1:5", "invalid date or time" },
    { "d = 1979-05-27T25:00:00", "1:5", "invalid date or time" },
    { "d = 1979-05-27T07:32", "1:5", "invalid date or time" },
    { "d = 1979-05-27T07:32:00+7:00", "1:5", "invalid date or time" },
    { "t = 07:32:00Z", "1:5", "invalid date or time" },
    { "t = 07:60:00", "1:5", "invalid date or time" },
    { "d = 1979-05-27T07:32:00.", "1:5", "invalid date or time" },
    /* newlines, comments, encoding */
    { "a = 1\rb = 2", "1:6", "bare carriage return" },
    { "\r", "1:1", "bare carriage return" },
    { "a = 1 # bad \x01 char", "1:13", "control character U+0001 is not allowed in a comment" },
    { "# \x7f", "1:3", "not allowed in a comment" },
    { "a = \"\xC3\x28\"", "1:6", "invalid UTF-8" },
    { "a = \"\xED\xA0\x80\"", "1:6", "invalid UTF-8" },
    { "a = \"\xC0\xAF\"", "1:6", "invalid UTF-8" },
    { "x = 1\ny = 2\n\xC3\xA9\xC3\xA9 = \"\xFF\"", "3:7", "invalid UTF-8" },
    { "a = \n", "1:5", "missing value" },
    { "a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "1:133", "nested too deeply" },
};

static void t_valid(void)
{
    for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
        json_t *j = NULL;
        struct berr *e = NULL;
        char *got;

        if (toml_parse(valid[i].doc, strlen(valid[i].doc), "t.toml", &j, &e) < 0) {
            printf("#   valid[%zu]: unexpected error: %s\n", i, e->msg);
            berr_free(e);
            unit_cur_failed = 1;
            continue;
        }
        got = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(15));
        if (!got || strcmp(got, valid[i].json)) {
            printf("#   valid[%zu]: %s\n#     got:  %s\n#     want: %s\n", i, valid[i].doc,
                   got ? got : "(null)", valid[i].json);
            unit_cur_failed = 1;
        }
        free(got);
        json_decref(j);
    }
}

static void t_invalid(void)
{
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        json_t *j = NULL;
        struct berr *e = NULL;
        char prefix[64];

        snprintf(prefix, sizeof(prefix), "t.toml:%s: ", invalid[i].pos);
        if (toml_parse(invalid[i].doc, strlen(invalid[i].doc), "t.toml", &j, &e) == 0) {
            char *got = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
            printf("#   invalid[%zu] parsed: %s -> %s\n", i, invalid[i].doc, got);
            free(got);
            json_decref(j);
            unit_cur_failed = 1;
            continue;
        }
        if (strncmp(e->msg, prefix, strlen(prefix)) || !strstr(e->msg, invalid[i].msg)) {
            printf("#   invalid[%zu]: %s\n#     got:  %s\n#     want: %s...%s\n", i,
                   invalid[i].doc, e->msg, prefix, invalid[i].msg);
            unit_cur_failed = 1;
        }
        CHECK(j == NULL);
        berr_free(e);
    }
}

/* A document with an embedded NUL byte, and one not NUL-terminated. */
static void t_lengths(void)
{
    static const char nul[] = "a = 1\n\0b = 2";
    static const char notterm[] = { 'a', ' ', '=', ' ', '1', '2', '3' };
    json_t *j = NULL;
    struct berr *e = NULL;

    CHECK(toml_parse(nul, sizeof(nul) - 1, "n.toml", &j, &e) < 0);
    if (e)
        CHECK_STR(e->msg, "n.toml:2:1: expected a key, found U+0000");
    berr_free(e);
    e = NULL;
    CHECK(toml_parse(notterm, 5, "x.toml", &j, &e) == 0);
    CHECK_INT(json_integer_value(json_object_get(j, "a")), 1);
    json_decref(j);
}

static void t_counts(void)
{
    size_t n = sizeof(valid) / sizeof(valid[0]) + sizeof(invalid) / sizeof(invalid[0]);

    printf("# %zu valid + %zu invalid documents\n", sizeof(valid) / sizeof(valid[0]),
           sizeof(invalid) / sizeof(invalid[0]));
    CHECK(n >= 80);
}

int main(void)
{
    UNIT_RUN(t_valid);
    UNIT_RUN(t_invalid);
    UNIT_RUN(t_lengths);
    UNIT_RUN(t_counts);
    return unit_done();
}
