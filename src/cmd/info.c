/*
 * cmd/info.c: berth info (also system info). The facts are
 * runtime/sysinfo.c's; this file prints them as podman's YAML or JSON.
 */
#include "cmd/cmd.h"
#include "runtime/runtime.h"
#include "runtime/sysinfo.h"
#include "util/cleanup.h"
#include "util/out.h"
#include "util/yaml.h"

static const struct cmd_opt info_opts[] = {
    { "format", 'f', OPT_ARG, "string", "Change the output format to JSON or a Go template", 0 },
    { 0 }
};

/* Go field names whose JSON key is spelled otherwise */
static const struct tmpl_alias info_aliases[] = {
    { "CgroupsVersion", "cgroupVersion" },
    { 0 }
};

/* go-yaml's key order (keyList.Less), which podman's YAML has: by
 * character, a letter after anything that is not one; a prefix first. */
static int yaml_key_cmp(const void *pa, const void *pb)
{
    const unsigned char *a = *(const unsigned char *const *) pa,
                        *b = *(const unsigned char *const *) pb;

    for (; *a && *b; a++, b++) {
        bool al, bl;
        if (*a == *b)
            continue;
        al = (*a >= 'a' && *a <= 'z') || (*a >= 'A' && *a <= 'Z');
        bl = (*b >= 'a' && *b <= 'z') || (*b >= 'A' && *b <= 'Z');
        if (al == bl)
            return *a < *b ? -1 : 1;
        return al ? 1 : -1;
    }
    return *a ? 1 : *b ? -1 : 0;
}

/* A copy of v whose objects have their keys in that order, at every
 * depth: podman's info YAML is a map, marshalled sorted. */
static json_t *yaml_sorted(json_t *v)
{
    if (json_is_array(v)) {
        json_t *a = json_array(), *x;
        size_t i;
        json_array_foreach(v, i, x)
            if (!a || json_array_append_new(a, yaml_sorted(x)) < 0) {
                json_decref(a);
                return NULL;
            }
        return a;
    }
    if (!json_is_object(v))
        return json_incref(v);
    size_t n = json_object_size(v), k = 0;
    _cleanup_free_ const char **keys = n ? calloc(n, sizeof(*keys)) : NULL;
    json_t *o = json_object(), *x;
    const char *key;

    if (!o || (n && !keys)) {
        json_decref(o);
        return NULL;
    }
    json_object_foreach(v, key, x)
        keys[k++] = key;
    if (n)
        qsort(keys, n, sizeof(*keys), yaml_key_cmp);
    for (size_t i = 0; i < n; i++) {
        json_t *c = yaml_sorted(json_object_get(v, keys[i]));
        if (!c || json_object_set_new(o, keys[i], c) < 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static int info_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct opt_it it;
    const char *format = NULL;
    struct runtime *rt;
    _cleanup_json_ json_t *info = NULL;
    _cleanup_sbuf_ struct sbuf y = SBUF_INIT;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == 'f')
            format = it.arg;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (cx_runtime(cx, RT_FULL, &rt, err) < 0)
        return -1;
    if (rt_info(rt, &info, err) < 0)
        return -1;
    if (format)
        return out_is_json(format) ? out_json_indent(stdout, info, 2, err)   /* podman's */
                                   : out_one(stdout, format, info, info_aliases, err);
    _cleanup_json_ json_t *sorted = yaml_sorted(info);
    if (!sorted || yaml_render(sorted, &y) < 0)
        return berr_oom(err);
    fputs(sbuf_str(&y), stdout);
    putchar('\n');     /* podman's Println after the YAML: a blank last line */
    return 0;
}

const struct cmd cmd_info = {
    .name = "info",
    .summary = "Display berth system information",
    .usage = "[options]",
    .description =
        "Shows the host (kernel, cgroups, conmon and OCI runtime with their\n"
        "versions and the packages they came from, events backend, log driver),\n"
        "the store (graph root, run root, driver with its status and options,\n"
        "container and image counts, the config file that set it) and the config\n"
        "files that were read, in order. The keys are podman's; templates name\n"
        "them as podman's do ('{{.Store.GraphOptions}}', '{{.Host.Conmon.Package}}').",
    .examples = "berth info\nberth info --format json\n"
                "berth info --format '{{.Host.Kernel}}'",
    .opts = info_opts, .fn = info_fn, .need = RT_FULL,
};
