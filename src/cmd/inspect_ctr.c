/*
 * cmd/inspect_ctr.c: containers for `inspect` and `container inspect`
 * (inspect_ctr.h).
 */
#include <string.h>

#include "cmd/inspect_ctr.h"
#include "runtime/container.h"
#include "runtime/ctr_view.h"
#include "util/cleanup.h"
#include "util/out.h"
#include "util/str.h"

static bool is_json(const char *format)
{
    return !format || !*format || strcmp(format, "json") == 0;
}

int inspect_containers(struct cmd_ctx *cx, struct runtime *rt, char **names, int n,
                       const char *format, bool size, bool quiet_missing, json_t *out_array,
                       struct berr **err)
{
    struct berr *missing = NULL;

    (void) cx;
    for (int i = 0; i < n; i++) {
        _cleanup_ctr_ struct ctr *c = NULL;
        json_t *obj = NULL;
        struct berr *e = NULL;

        if (ctr_get(rt, names[i], &c, &e) < 0) {
            if (e->kind != BK_NO_SUCH) {
                berr_free(missing);
                *err = e;
                return -1;
            }
            berr_free(e);
            if (quiet_missing) {
                if (json_array_append_new(out_array, json_null()) < 0) {
                    berr_free(missing);
                    return berr_oom(err);
                }
            } else {
                e = NULL;
                berr_kind(&e, BK_NO_SUCH, "inspecting object: no such container %s", names[i]);
                cmd_err_next(&missing, e);
            }
            continue;
        }
        if (ctr_inspect_json(rt, c, size, &obj, err) < 0) {
            berr_free(missing);
            return -1;
        }
        if (!is_json(format))
            ctr_inspect_template_times(obj);
        if (json_array_append_new(out_array, obj) < 0) {
            berr_free(missing);
            return berr_oom(err);
        }
    }
    if (missing) {
        *err = missing;
        return -1;
    }
    return 0;
}

int inspect_print(FILE *f, const char *format, json_t *arr, struct berr **err)
{
    if (is_json(format)) {
        _cleanup_free_ char *s = json_dumps(arr, JSON_INDENT(5) | JSON_ENCODE_ANY |
                                                     JSON_REAL_PRECISION(17));
        if (!s)
            return berr_oom(err);
        fprintf(f, "%s\n", s);
        return 0;
    }
    {
        /* render everything first: a bad template prints nothing */
        _cleanup_json_ json_t *items = json_array();
        json_t *v;
        size_t i;

        if (!items)
            return berr_oom(err);
        json_array_foreach(arr, i, v)
            if (!json_is_null(v))
                json_array_append(items, v);
        return out_list(f, format, items, NULL, true, err);
    }
}
