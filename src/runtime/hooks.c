/*
 * runtime/hooks.c: OCI hook files into config.json (hooks.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runtime/hooks.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

struct hook_file {
    char *name, *lower, *path;
};

static void files_free(struct hook_file *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].name);
        free(f[i].lower);
        free(f[i].path);
    }
    free(f);
}

static int by_lower(const void *a, const void *b)
{
    return strcmp(((const struct hook_file *) a)->lower, ((const struct hook_file *) b)->lower);
}

/* Adds dir's *.json files, a name already present replaced by this one. */
static int scan_dir(const char *dir, struct hook_file **f, size_t *n, struct berr **err)
{
    DIR *d = opendir(dir);
    struct dirent *de;

    if (!d)
        return errno == ENOENT ? 0 : berr_sys(err, "reading hooks directory %s", dir);
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name), i;
        struct hook_file *slot = NULL, *grown;
        if (len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        for (i = 0; i < *n && !slot; i++)
            if (strcmp((*f)[i].name, de->d_name) == 0)
                slot = &(*f)[i];
        if (slot) {
            free(slot->path);
        } else {
            if (!(grown = realloc(*f, (*n + 1) * sizeof(**f))))
                goto oom;
            *f = grown;
            slot = &(*f)[(*n)++];
            memset(slot, 0, sizeof(*slot));
            slot->name = str_dup(de->d_name);
            slot->lower = str_dup(de->d_name);
            if (!slot->name || !slot->lower)
                goto oom;
            for (char *p = slot->lower; *p; p++)
                *p = (char) tolower((unsigned char) *p);
        }
        if (!(slot->path = fs_join(dir, de->d_name)))
            goto oom;
    }
    closedir(d);
    return 0;
oom:
    closedir(d);
    return berr_oom(err);
}

/* Does the POSIX extended regex re match s (anywhere, as Go's MatchString)? */
static int hook_re_match(const char *re, const char *s, bool *out, const char *file, struct berr **err)
{
    regex_t r;
    int rc;

    str_locale_load();      /* run leaves it unloaded until here */
    rc = regcomp(&r, re, REG_EXTENDED | REG_NOSUB);

    if (rc != 0)
        return berr_msg(err, "%s: invalid regular expression %s", file, re);
    *out = regexec(&r, s, 0, NULL, 0) == 0;
    regfree(&r);
    return 0;
}

static bool valid_stage(const char *s)
{
    static const char *const stages[] = { "prestart", "createRuntime", "createContainer",
                                          "startContainer", "poststart", "poststop" };
    for (size_t i = 0; i < ARRAY_SIZE(stages); i++)
        if (strcmp(s, stages[i]) == 0)
            return true;
    return false;
}

/* The file's hook checked (schema 1.0.0): 0 good, 1 to be passed over
 * (its program does not exist), -1 an error. */
static int check_hook(json_t *h, const char *file, struct berr **err)
{
    json_t *hook = json_object_get(h, "hook"), *when = json_object_get(h, "when");
    json_t *stages = json_object_get(h, "stages"), *v;
    const char *path = js_str(hook, "path", NULL);
    struct stat st;
    size_t i;

    if (!str_eq(js_str(h, "version", NULL), "1.0.0"))
        return berr_msg(err, "parsing hook \"%s\": unrecognized hook version: \"%s\"", file,
                        js_str(h, "version", ""));
    if (!json_is_object(hook) || !path || !*path)
        return berr_msg(err, "%s: missing required property: hook.path", file);
    if (path[0] == '/' && stat(path, &st) < 0 && errno == ENOENT) {
        /* podman passes over a hook whose program is not there */
        log_debug("hook %s: %s does not exist, skipped", file, path);
        return 1;
    }
    if (path[0] != '/' || stat(path, &st) < 0)
        return berr_msg(err, "%s: stat %s: %s", file, path,
                        path[0] != '/' ? "not an absolute path" : strerror(errno));
    if (!json_is_object(when))
        return berr_msg(err, "%s: missing required property: when", file);
    if (!json_is_array(stages) || !json_array_size(stages))
        return berr_msg(err, "%s: missing required property: stages", file);
    json_array_foreach(stages, i, v)
        if (!json_is_string(v) || !valid_stage(json_string_value(v)))
            return berr_msg(err, "%s: unknown stage \"%s\"", file,
                            json_is_string(v) ? json_string_value(v) : "");
    return 0;
}

static int matches(json_t *when, json_t *spec, bool binds, const char *file, bool *out,
                   struct berr **err)
{
    json_t *ann = json_object_get(when, "annotations"), *cmds = json_object_get(when, "commands");
    json_t *sann = json_object_get(spec, "annotations"), *v, *sv;
    const char *k, *sk;
    size_t i;
    bool m;

    *out = false;
    if (json_object_get(when, "always") && !json_is_true(json_object_get(when, "always")))
        return 0;
    if (json_object_get(when, "hasBindMounts") &&
        !(json_is_true(json_object_get(when, "hasBindMounts")) && binds))
        return 0;
    json_object_foreach(ann, k, v) {
        bool any = false;
        json_object_foreach(sann, sk, sv) {
            bool mk, mv;
            if (hook_re_match(k, sk, &mk, file, err) < 0 ||
                (mk && hook_re_match(json_string_value(v) ? json_string_value(v) : "", json_string_value(sv) ? json_string_value(sv) : "", &mv, file, err) < 0))
                return -1;
            if (mk && mv)
                any = true;
        }
        if (!any)
            return 0;
    }
    if (cmds) {
        const char *arg0 = json_string_value(json_array_get(json_object_get(json_object_get(spec, "process"), "args"), 0));
        bool any = false;
        json_array_foreach(cmds, i, v) {
            if (hook_re_match(json_string_value(v) ? json_string_value(v) : "", arg0 ? arg0 : "", &m, file, err) < 0)
                return -1;
            any |= m;
        }
        if (!any)
            return 0;
    }
    /* podman: a "when" without conditions never matches */
    *out = json_object_size(when) > 0 && (json_object_get(when, "always") ||
                                          json_object_get(when, "hasBindMounts") ||
                                          json_object_size(ann) || json_array_size(cmds));
    return 0;
}

static int add_hook(json_t *spec, json_t *h, struct berr **err)
{
    json_t *hooks = json_object_get(spec, "hooks"), *v;
    size_t i;

    if (!hooks && (json_object_set_new(spec, "hooks", json_object()) < 0 ||
                   !(hooks = json_object_get(spec, "hooks"))))
        return berr_oom(err);
    json_array_foreach(json_object_get(h, "stages"), i, v) {
        const char *stage = json_string_value(v);
        json_t *list = json_object_get(hooks, stage);
        if (!list && (json_object_set_new(hooks, stage, json_array()) < 0 ||
                      !(list = json_object_get(hooks, stage))))
            return berr_oom(err);
        if (json_array_append(list, json_object_get(h, "hook")) < 0)
            return berr_oom(err);
    }
    return 0;
}

int hooks_apply(char *const *dirs, json_t *spec, bool has_bind_mounts, struct berr **err)
{
    struct hook_file *f = NULL;
    size_t n = 0;
    int r = 0;

    for (size_t i = 0; dirs && dirs[i] && r == 0; i++)
        r = scan_dir(dirs[i], &f, &n, err);
    if (r == 0 && n)
        qsort(f, n, sizeof(*f), by_lower);
    for (size_t i = 0; i < n && r == 0; i++) {
        json_error_t je;
        _cleanup_json_ json_t *h = json_load_file(f[i].path, 0, &je);
        bool m = false;
        if (!json_is_object(h)) {
            r = berr_msg(err, "parsing hook \"%s\": %s", f[i].path, je.text);
            break;
        }
        r = check_hook(h, f[i].path, err);
        if (r == 1) {
            r = 0;
            continue;
        }
        if (r == 0)
            r = matches(json_object_get(h, "when"), spec, has_bind_mounts, f[i].path, &m, err);
        if (r == 0 && m)
            r = add_hook(spec, h, err);
    }
    files_free(f, n);
    return r < 0 ? berr_wrap(err, "setting up OCI Hooks") : 0;
}
