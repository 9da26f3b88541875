/*
 * util/yaml.c: JSON -> YAML for display.
 */
#include <ctype.h>
#include <string.h>

#include "util/yaml.h"

/* Would the string read back as something else (empty, null, a bool, a
 * number)? go-yaml double-quotes those ("", "true"). */
static bool reads_as_other(const char *s)
{
    static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "null",
                                          "~", "y", "n", "True", "False", "Null", "NULL" };
    char *end;

    if (!*s)
        return true;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    strtod(s, &end);
    return *end == '\0';
}

/* Would a plain scalar read back as this string? If not, quote it. */
static bool needs_quotes(const char *s)
{
    static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "null",
                                          "~", "y", "n", "True", "False", "Null", "NULL" };
    char *end;

    if (!*s || isspace((unsigned char) s[0]) || isspace((unsigned char) s[strlen(s) - 1]))
        return true;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    strtod(s, &end);
    if (*end == '\0')
        return true;
    if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
        return true;
    return strstr(s, ": ") || strstr(s, " #");
}

static void indent(struct sbuf *o, int n)
{
    for (int i = 0; i < n; i++)
        sbuf_addc(o, ' ');
}

static void scalar(json_t *v, int ind, struct sbuf *o)
{
    char buf[64];

    switch (json_typeof(v)) {
    case JSON_STRING: {
        const char *s = json_string_value(v);
        if (strchr(s, '\n')) {
            sbuf_add(o, "|-\n");
            for (const char *p = s; *p;) {
                size_t l = strcspn(p, "\n");
                indent(o, ind + 2);
                sbuf_addn(o, p, l);
                sbuf_addc(o, '\n');
                p += l;
                if (*p)
                    p++;
            }
            return;
        }
        if (needs_quotes(s)) {
            bool dq = strchr(s, '\'') != NULL || reads_as_other(s);
            sbuf_addc(o, dq ? '"' : '\'');
            for (const char *p = s; *p; p++) {
                if (dq && (*p == '"' || *p == '\\'))
                    sbuf_addc(o, '\\');
                sbuf_addc(o, *p);
            }
            sbuf_addc(o, dq ? '"' : '\'');
        } else {
            sbuf_add(o, s);
        }
        break;
    }
    case JSON_INTEGER:
        sbuf_addf(o, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        snprintf(buf, sizeof(buf), "%.15g", json_real_value(v));
        sbuf_add(o, buf);
        break;
    case JSON_TRUE: sbuf_add(o, "true"); break;
    case JSON_FALSE: sbuf_add(o, "false"); break;
    default: sbuf_add(o, "null"); break;
    }
    sbuf_addc(o, '\n');
}

static void node(json_t *v, int ind, struct sbuf *o);

static bool is_empty_container(json_t *v)
{
    return (json_is_object(v) && json_object_size(v) == 0) ||
           (json_is_array(v) && json_array_size(v) == 0);
}

static void value_after_key(json_t *v, int ind, struct sbuf *o)
{
    if (is_empty_container(v)) {
        sbuf_add(o, json_is_object(v) ? " {}\n" : " []\n");
    } else if (json_is_object(v) || json_is_array(v)) {
        sbuf_addc(o, '\n');
        node(v, json_is_array(v) ? ind : ind + 2, o);
    } else {
        sbuf_addc(o, ' ');
        scalar(v, ind, o);
    }
}

static void node(json_t *v, int ind, struct sbuf *o)
{
    const char *k;
    json_t *e;
    size_t i;

    if (json_is_object(v)) {
        json_object_foreach(v, k, e) {
            indent(o, ind);
            sbuf_addf(o, "%s:", k);
            value_after_key(e, ind, o);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            indent(o, ind);
            sbuf_add(o, "-");
            if (json_is_object(e) && json_object_size(e)) {
                /* "- key: v" then the rest of the map under it */
                struct sbuf sub = SBUF_INIT;
                node(e, ind + 2, &sub);
                sbuf_addc(o, ' ');
                sbuf_add(o, sbuf_str(&sub) + ind + 2);
                sbuf_free(&sub);
            } else {
                value_after_key(e, ind, o);
            }
        }
    } else {
        indent(o, ind);
        scalar(v, ind, o);
    }
}

int yaml_render(json_t *v, struct sbuf *out)
{
    node(v, 0, out);
    return out->oom ? -1 : 0;
}
