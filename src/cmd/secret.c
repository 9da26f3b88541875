/*
 * cmd/secret.c: berth secret create|ls|inspect|rm, podman 4.3.1's
 * words and exit codes. The work is runtime/secret.h's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/ctropts_int.h"
#include "cmd/inspect.h"
#include "runtime/runtime.h"
#include "runtime/secret.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/humanize.h"
#include "util/js.h"
#include "util/out.h"
#include "util/str.h"
#include "util/timefmt.h"

enum { O_DRIVER_OPTS = 256, O_ENV, O_FORMAT, O_NOHEADING, O_PRETTY };

/* ---- create ---- */

static const struct cmd_opt create_opts[] = {
    { "driver", 'd', OPT_ARG, "string", "Specify secret driver: only \"file\" (default \"file\")", 0 },
    { "driver-opts", O_DRIVER_OPTS, OPT_ARG, "stringToString", "Specify driver specific options (key=value, comma lists)", 0 },
    { "env", O_ENV, OPT_FLAG, NULL, "Read secret data from environment variable", 0 },
    { "label", 'l', OPT_ARG, "stringArray", "Specify labels on the secret (key=value)", 0 },
    { 0 }
};

/* The data from FILE, - (a pipe on stdin, as podman requires) or the
 * environment variable named by it (--env). */
static int read_data(const char *src, bool env, char **data, size_t *len, struct berr **err)
{
    struct stat sb;

    if (env) {
        const char *v = getenv(src);
        if (!v)
            return berr_msg(err, "cannot create store secret data: environment variable %s is not set", src);
        *len = strlen(v);
        *data = strdup(v);
        return *data ? 0 : berr_oom(err);
    }
    if (str_eq(src, "-") || str_eq(src, "/dev/stdin")) {
        if (fstat(0, &sb) < 0 || !S_ISFIFO(sb.st_mode))
            return berr_msg(err, "if `-` is used, data must be passed into stdin");
        if (fs_read_fd_max(0, SECRET_MAX_SIZE, data, len) < 0)
            return errno == EFBIG ? berr_msg(err, "secret data must be larger than 0 and less than 512000 bytes")
                                  : berr_sys(err, "reading from stdin");
        return 0;
    }
    char eb[128];
    _cleanup_close_ int fd = open(src, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return berr_msg(err, "open %s: %s", src, berr_strerror(errno, eb, sizeof(eb)));
    if (fs_read_fd_max(fd, SECRET_MAX_SIZE, data, len) < 0)
        return errno == EFBIG ? berr_msg(err, "secret data must be larger than 0 and less than 512000 bytes")
                              : berr_msg(err, "read %s: %s", src, berr_strerror(errno, eb, sizeof(eb)));
    return 0;
}

static int create_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_json_ json_t *labels = json_object(), *dopts = json_object();
    struct secret_create_opts o = { 0 };
    _cleanup_free_ char *data = NULL;
    char id[SECRET_ID_LEN + 1];
    bool env = false;
    int c, rc = 0;

    if (!labels || !dopts)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'd': o.driver = it.arg; break;
        case O_ENV: env = it.bval; break;
        case 'l': rc = cp_label_add(labels, it.arg, err); break;
        case O_DRIVER_OPTS: {
            _cleanup_strv_ strv l = NULL;
            rc = cp_split_csv(it.arg, &l, err);
            for (size_t i = 0; rc == 0 && l && l[i]; i++) {
                const char *eq = strchr(l[i], '=');
                if (!eq) {
                    rc = berr_msg(err, "invalid argument \"%s\" for \"--driver-opts\" flag: %s must be formatted as key=value",
                                  it.arg, l[i]);
                    break;
                }
                _cleanup_free_ char *k = str_ndup(l[i], (size_t) (eq - l[i]));
                if (!k || json_object_set_new(dopts, k, json_string(eq + 1)) < 0)
                    rc = berr_oom(err);
            }
            break;
        }
        }
    }
    if (rc < 0)
        c = -1;
    if ((c = cmd_begin(cx, &it, c, 2, 2, &rt, err)) <= 0)
        return c;
    o.name = it.args[0];
    o.labels = labels;
    o.driver_opts = dopts;
    rc = read_data(it.args[1], env, &data, &o.len, err);
    o.data = data;
    if (rc == 0 && (rc = secret_create(rt, &o, id, err)) == 0)
        printf("%s\n", id);
    opt_free(&it);
    return rc;
}

const struct cmd cmd_secret_create = {
    .name = "create",
    .summary = "Create a new secret",
    .usage = "[options] NAME FILE|-",
    .description =
        "Creates a secret from the contents of FILE, of stdin (-, which must be a pipe), or with\n"
        "--env of the environment variable FILE names. Only the file driver: the data is kept\n"
        "mode 0600 under the static dir. Secrets have their own names: a secret may be named as\n"
        "a container or volume is. Data must be 1 to 511999 bytes.",
    .examples = "berth secret create mysecret ./secret.txt\n"
                "printf hunter2 | berth secret create --label app=web pw -\n"
                "TOKEN=abc berth secret create --env token TOKEN",
    .opts = create_opts, .fn = create_fn, .need = RT_FULL,
};

/* ---- ls ---- */

static const struct cmd_opt ls_opts[] = {
    { "filter", 'f', OPT_ARG, "strings", "Filter secret output: name=, id= (repeatable)", 0 },
    { "format", O_FORMAT, OPT_ARG, "string", "Format secret output using a Go template or json", 0 },
    { "noheading", O_NOHEADING, OPT_FLAG, NULL, "Do not print headers", 0 },
    { "quiet", 'q', OPT_FLAG, NULL, "Print secret IDs only", 0 },
    { 0 }
};

static const struct out_header ls_headers[] = {
    { "ID", "ID" }, { "Name", "NAME" }, { "Driver", "DRIVER" },
    { "CreatedAt", "CREATED" }, { "UpdatedAt", "UPDATED" }, { 0 }
};

static const struct out_spec ls_spec = {
    .table = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}",
    .headers = ls_headers,
    .no_json = true,    /* podman 4.3.1's secret ls: "json" is a template too */
};

/* podman 4.3.1's secret filters: name and id, each a substring; any
 * value of a key matches, every key must. */
static int filter_check(char *const *filters, struct berr **err)
{
    for (size_t i = 0; filters && filters[i]; i++) {
        const char *eq = strchr(filters[i], '=');
        size_t kl = eq ? (size_t) (eq - filters[i]) : strlen(filters[i]);
        if (!eq || !((kl == 4 && !strncmp(filters[i], "name", 4)) || (kl == 2 && !strncmp(filters[i], "id", 2))))
            return berr_msg(err, "invalid filter \"%.*s\"", (int) kl, filters[i]);
    }
    return 0;
}

static bool filter_match(char *const *filters, const struct secret_config *c)
{
    bool any_name = false, name_ok = false, any_id = false, id_ok = false;

    for (size_t i = 0; filters && filters[i]; i++) {
        const char *v = strchr(filters[i], '=') + 1;
        if (!strncmp(filters[i], "name=", 5)) {
            any_name = true;
            name_ok |= strstr(c->name, v) != NULL;
        } else {
            any_id = true;
            id_ok |= strstr(c->id, v) != NULL;
        }
    }
    return (!any_name || name_ok) && (!any_id || id_ok);
}

static int ls_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_strv_ strv filters = NULL;
    _cleanup_json_ json_t *items = json_array();
    struct secret_config *v = NULL;
    size_t n = 0;
    const char *format = NULL;
    bool quiet = false, noheading = false;
    int c, rc = 0;

    if (!items)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        switch (c) {
        case 'f': rc = cp_split_csv(it.arg, &filters, err); break;
        case O_FORMAT: format = it.arg; break;
        case O_NOHEADING: noheading = it.bval; break;
        case 'q': quiet = it.bval; break;
        }
    }
    if (rc < 0)
        c = -1;
    if ((c = cmd_opt_done_noargs(cx, &it, c, err)) != 0)
        return c < 0 ? -1 : 0;
    if (filter_check(filters, err) < 0 || cx_runtime(cx, RT_FULL, &rt, err) < 0 ||
        secret_read_all(rt, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!filter_match(filters, &v[i]))
            continue;
        if (quiet) {
            printf("%s\n", v[i].id);
            continue;
        }
        json_t *o = NULL;
        {
            _cleanup_free_ char *cr = hum_ago((double) v[i].created_ns / 1e9);
            _cleanup_free_ char *up = hum_ago((double) v[i].updated_ns / 1e9);
            if (cr && up)
                o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "ID", v[i].id, "Name", v[i].name,
                              "Driver", v[i].driver, "CreatedAt", cr, "UpdatedAt", up);
        }
        if (!o || json_array_append_new(items, o) < 0)
            rc = berr_oom(err);
    }
    secret_config_free_all(v, n);
    if (rc < 0 || quiet)
        return rc;
    return out_list(stdout, format, items, &ls_spec, noheading, err);
}

const struct cmd cmd_secret_list = {
    .name = "ls",
    .aliases = "list",
    .summary = "List secrets",
    .usage = "[options]",
    .description =
        "Lists secrets. --filter name=TEXT and id=TEXT keep the secrets whose name or id contains\n"
        "TEXT; values of one key OR, different keys AND.",
    .examples = "berth secret ls\nberth secret ls --filter name=db -q\n"
                "berth secret ls --format '{{.ID}} {{.Name}}'",
    .opts = ls_opts, .fn = ls_fn, .need = RT_FULL,
};

/* ---- inspect ---- */

static const struct cmd_opt inspect_opts[] = {
    { "format", 'f', OPT_ARG, "string", "Format inspect output using Go template", 0 },
    { "pretty", O_PRETTY, OPT_FLAG, NULL, "Print inspect output in human-readable format", 0 },
    { 0 }
};

static void print_pretty(const struct secret_config *c)
{
    char cr[96], up[96];
    struct timespec a = { c->created_ns / 1000000000LL, c->created_ns % 1000000000LL };
    struct timespec b = { c->updated_ns / 1000000000LL, c->updated_ns % 1000000000LL };

    printf("ID:              %s\nName:              %s\nDriver:            %s\n"
           "Created at:        %s\nUpdated at:        %s\n",
           c->id, c->name, c->driver, time_go_string(a, cr, sizeof(cr)),
           time_go_string(b, up, sizeof(up)));
}

static int inspect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_json_ json_t *arr = json_array();
    struct berr *missing = NULL;
    const char *format = NULL;
    bool pretty = false;
    int c, rc = 0;

    if (!arr)
        return berr_oom(err);
    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == 'f')
            format = it.arg;
        else if (c == O_PRETTY)
            pretty = it.bval;
    }
    if ((c = cmd_begin(cx, &it, c, 1, -1, &rt, err)) <= 0)
        return c;
    for (int i = 0; rc == 0 && i < it.nargs; i++) {
        char id[SECRET_ID_LEN + 1];
        struct secret_config sc;
        struct berr *e = NULL;

        if (secret_lookup(rt, it.args[i], id, &e) < 0 || secret_read(rt, id, &sc, &e) < 0) {
            if (e->kind != BK_NO_SUCH && e->errnum != ENOENT) {
                *err = e;
                rc = -1;
                break;
            }
            berr_free(e);
            e = NULL;
            berr_plain(&e, BK_NO_SUCH, "inspecting secret: no secret with name or id \"%s\": no such secret",
                       it.args[i]);
            cmd_err_next(&missing, e);
            continue;
        }
        if (pretty)
            print_pretty(&sc);
        else if (json_array_append_new(arr, secret_inspect_json(rt, &sc)) < 0)
            rc = berr_oom(err);
        secret_config_free(&sc);
    }
    opt_free(&it);
    if (rc < 0) {
        berr_free(missing);
        return rc;
    }
    if (missing) {
        *err = missing;
        rc = -1;
    }
    if (pretty)
        return rc;
    /* podman prints secrets indented by four spaces, not inspect's five */
    if (!inspect_is_json(format)) {
        /* its times are Go times to a template (json: RFC 3339) */
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v) {
            tmpl_go_time(v, "CreatedAt");
            tmpl_go_time(v, "UpdatedAt");
        }
        return inspect_print_then_fail(format, arr, rc, err);
    }
    struct berr *pe = NULL;
    if (out_json(stdout, arr, &pe) < 0) {
        berr_free(rc < 0 ? *err : NULL);
        *err = pe;
        return -1;
    }
    return rc;
}

const struct cmd cmd_secret_inspect = {
    .name = "inspect",
    .summary = "Inspect a secret",
    .usage = "[options] SECRET [SECRET...]",
    .description = "Shows secrets (by name, id or id prefix) as JSON, a Go template or, with --pretty,\n"
                   "as text. The data itself is never shown.",
    .examples = "berth secret inspect mysecret\nberth secret inspect --format '{{.Spec.Name}}' mysecret\n"
                "berth secret inspect --pretty mysecret",
    .opts = inspect_opts, .fn = inspect_fn, .need = RT_FULL,
};

/* ---- rm ---- */

static const struct cmd_opt rm_opts[] = {
    { "all", 'a', OPT_FLAG, NULL, "Remove all secrets", 0 },
    { 0 }
};

static int rm_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    struct berr *last = NULL;
    bool all = false;
    int c;

    cmd_opt_init(&it, cx);
    while ((c = opt_next(&it, argc, argv, err)) > 0)
        if (c == 'a')
            all = it.bval;
    if (c == 0 && !it.help && (all ? it.nargs > 0 : it.nargs < 1))
        c = berr_msg(err, "`berth secret rm` requires one argument, or the --all flag");
    if ((c = cmd_begin(cx, &it, c, 0, -1, &rt, err)) <= 0)
        return c;
    if (all) {
        struct secret_config *v = NULL;
        size_t n = 0;
        if (secret_read_all(rt, &v, &n, err) < 0) {
            opt_free(&it);
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            struct berr *e = NULL;
            if (secret_remove(rt, v[i].id, &e) < 0)
                cmd_err_next(&last, e);
            else
                printf("%s\n", v[i].id);
        }
        secret_config_free_all(v, n);
    }
    for (int i = 0; !all && i < it.nargs; i++) {
        char id[SECRET_ID_LEN + 1];
        struct berr *e = NULL;

        if (secret_lookup(rt, it.args[i], id, &e) < 0 || secret_remove(rt, id, &e) < 0)
            cmd_err_next(&last, e);
        else
            printf("%s\n", id);
    }
    opt_free(&it);
    if (last) {
        *err = last;
        return -1;
    }
    return 0;
}

const struct cmd cmd_secret_rm = {
    .name = "rm",
    .summary = "Remove one or more secrets",
    .usage = "[options] SECRET [SECRET...]",
    .description = "Removes secrets by name, id or id prefix, printing each id removed; --all removes\n"
                   "every secret. A secret that a container (in any state) uses is refused and kept,\n"
                   "with an error naming the containers: remove them first. A container's record\n"
                   "holds the secret's id only; its data is read from the secret at every start.",
    .examples = "berth secret rm mysecret\nberth secret rm --all",
    .opts = rm_opts, .fn = rm_fn, .need = RT_FULL,
};
