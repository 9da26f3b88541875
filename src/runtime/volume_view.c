/*
 * runtime/volume_view.c: how volumes look from outside: podman's inspect
 * document (InspectVolumeData, its keys in its order) and the filters of
 * volume ls and volume prune.
 */
#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/volume.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

json_t *vol_inspect_json(struct runtime *rt, const struct vol_config *c,
                         const struct vol_state *s, bool go_times)
{
    struct timespec ts = { (time_t) (c->created_ns / 1000000000LL),
                           (long) (c->created_ns % 1000000000LL) };
    char when[TIME_BUF];
    int uid = s->uid_chowned > 0 ? s->uid_chowned : c->uid;
    int gid = s->gid_chowned > 0 ? s->gid_chowned : c->gid;
    _cleanup_json_ json_t *o = json_object();
    int bad = 0;

    (void) rt;
    if (!o)
        return NULL;
    if (go_times)
        time_go_string(ts, when, sizeof(when));
    else
        time_rfc3339nano(ts, when, sizeof(when));
    /* podman's order; in JSON its omitempty fields only when set, in
     * templates every field of its Go struct */
#define PUT(k, v) (bad |= json_object_set_new(o, k, v))
    PUT("Name", json_string(c->name));
    PUT("Driver", json_string(c->driver));
    PUT("Mountpoint", json_string(s->mount_point ? s->mount_point
                                  : c->mount_point ? c->mount_point : ""));
    PUT("CreatedAt", json_string(when));
    if (go_times)
        PUT("Status", json_object());
    PUT("Labels", json_deep_copy(c->labels));
    PUT("Scope", json_string("local"));
    PUT("Options", json_deep_copy(c->options));
    if (uid || go_times)
        PUT("UID", json_integer(uid));
    if (gid || go_times)
        PUT("GID", json_integer(gid));
    if (c->anonymous || go_times)
        PUT("Anonymous", json_boolean(c->anonymous));
    PUT("MountCount", json_integer(s->mount_count));
    if (s->needs_copy_up || go_times)
        PUT("NeedsCopyUp", json_boolean(s->needs_copy_up));
    if (s->needs_chown || go_times)
        PUT("NeedsChown", json_boolean(s->needs_chown));
    if (go_times) {
        PUT("Timeout", json_integer(0));
        PUT("StorageID", json_string(""));
    }
#undef PUT
    return bad ? NULL : STEAL_PTR(o);
}

/* ---- filters ---- */

enum vf_key { VF_NAME, VF_LABEL, VF_LABEL_NOT, VF_DRIVER, VF_SCOPE, VF_OPT, VF_UNTIL,
              VF_DANGLING, VF__N };

static const char *const vf_names[VF__N] = {
    "name", "label", "label!", "driver", "scope", "opt", "until", "dangling",
};

struct vol_filter {
    strv v[VF__N];              /* the values of each key, as given */
    regex_t *re;                /* name: compiled */
    size_t nre;
    long long until_ns;         /* the earliest until (all must hold) */
    bool has_until;
    int dangling;               /* -1 any, 0 in use, 1 dangling */
    bool labels_any;            /* label=: one must hold, else all */
};

void vol_filter_labels_any(struct vol_filter *f)
{
    if (f)
        f->labels_any = true;
}

void vol_filter_free(struct vol_filter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nre; i++)
        regfree(&f->re[i]);
    free(f->re);
    for (int k = 0; k < VF__N; k++)
        strv_free(f->v[k]);
    free(f);
}

static int parse_one(struct vol_filter *f, int k, const char *val, struct berr **err)
{
    if (k == VF_NAME) {
        regex_t *nr = realloc(f->re, (f->nre + 1) * sizeof(*nr));
        if (!nr)
            return berr_oom(err);
        f->re = nr;
        if (regcomp(&f->re[f->nre], val, REG_EXTENDED | REG_NOSUB) != 0)
            return berr_plain(err, BK_INVALID, "error parsing regexp: invalid name filter `%s`", val);
        f->nre++;
    } else if (k == VF_UNTIL) {
        struct timespec now, t;
        clock_gettime(CLOCK_REALTIME, &now);
        /* podman's filter timestamps: a duration reaches back from now */
        if (time_parse_filter(val, now, &t, err) < 0)
            return -1;
        long long ns = (long long) t.tv_sec * 1000000000LL + t.tv_nsec;
        if (!f->has_until || ns < f->until_ns)
            f->until_ns = ns;
        f->has_until = true;
    } else if (k == VF_DANGLING) {
        _cleanup_free_ char *l = str_dup(val);
        if (!l)
            return berr_oom(err);
        str_lower(l);
        int d = str_eq(l, "true") || str_eq(l, "1") ? 1 : str_eq(l, "false") || str_eq(l, "0") ? 0 : -1;
        if (d < 0)
            return berr_plain(err, BK_INVALID,
                             "\"%s\" is not a valid value for the \"dangling\" filter - must be true or false",
                             val);
        /* dangling=true and dangling=false together: nothing is both */
        f->dangling = f->dangling >= 0 && f->dangling != d ? 2 : d;
    }
    return strv_push(&f->v[k], val) < 0 ? berr_oom(err) : 0;
}

int vol_filter_parse(char *const *filters, struct vol_filter **out, struct berr **err)
{
    struct vol_filter *f = calloc(1, sizeof(*f));

    if (!f)
        return berr_oom(err);
    f->dangling = -1;
    for (size_t i = 0; filters && filters[i]; i++) {
        const char *eq = strchr(filters[i], '=');
        size_t klen = eq ? (size_t) (eq - filters[i]) : strlen(filters[i]);
        int k = -1;

        for (int j = 0; j < VF__N && k < 0; j++)
            if (strlen(vf_names[j]) == klen && strncmp(vf_names[j], filters[i], klen) == 0)
                k = j;
        if (!eq) {
            vol_filter_free(f);
            return berr_plain(err, BK_INVALID,
                             "filter input must be in the form of filter=value: %s is invalid",
                             filters[i]);
        }
        if (k < 0) {
            vol_filter_free(f);
            return berr_plain(err, BK_INVALID, "\"%.*s\" is an invalid volume filter", (int) klen,
                             filters[i]);
        }
        if (parse_one(f, k, eq + 1, err) < 0) {
            vol_filter_free(f);
            return -1;
        }
    }
    *out = f;
    return 0;
}

bool vol_filter_needs_users(const struct vol_filter *f)
{
    return f && f->dangling >= 0;
}

/* podman's MatchLabelFilters: every "key" (a glob) or "key=value" holds. */
static bool label_holds(const char *spec, json_t *labels)
{
    const char *eq = strchr(spec, '=');
    _cleanup_free_ char *key = eq ? str_ndup(spec, (size_t) (eq - spec)) : str_dup(spec);
    const char *val = eq ? eq + 1 : "", *k;
    json_t *v;

    if (!key)
        return false;
    json_object_foreach(labels, k, v)
        if ((!*val || str_eq(json_string_value(v), val)) &&
            (str_eq(k, key) || fnmatch(key, k, 0) == 0))
            return true;
    return false;
}

static bool opt_holds(const char *spec, json_t *opts)
{
    const char *eq = strchr(spec, '=');
    size_t klen = eq ? (size_t) (eq - spec) : strlen(spec);
    const char *k;
    json_t *v;

    json_object_foreach(opts, k, v)
        if (strlen(k) == klen && strncmp(k, spec, klen) == 0 &&
            (!eq || !eq[1] || str_eq(json_string_value(v), eq + 1)))
            return true;
    return false;
}

bool vol_filter_match(const struct vol_filter *f, const struct vol_info *vi, json_t *users)
{
    const struct vol_config *c = &vi->cfg;
    bool any;

    if (!f)
        return true;
    if (f->nre) {
        any = false;
        for (size_t i = 0; i < f->nre && !any; i++)
            any = regexec(&f->re[i], c->name, 0, NULL, 0) == 0;
        if (!any)
            return false;
    }
    if (f->labels_any && f->v[VF_LABEL]) {
        any = false;
        for (size_t i = 0; f->v[VF_LABEL][i] && !any; i++)
            any = label_holds(f->v[VF_LABEL][i], c->labels);
        if (!any)
            return false;
    }
    for (size_t i = 0; !f->labels_any && f->v[VF_LABEL] && f->v[VF_LABEL][i]; i++)
        if (!label_holds(f->v[VF_LABEL][i], c->labels))
            return false;
    for (size_t i = 0; f->v[VF_LABEL_NOT] && f->v[VF_LABEL_NOT][i]; i++)
        if (label_holds(f->v[VF_LABEL_NOT][i], c->labels))
            return false;
    if (f->v[VF_DRIVER] && !strv_contains(f->v[VF_DRIVER], c->driver))
        return false;
    if (f->v[VF_SCOPE] && !strv_contains(f->v[VF_SCOPE], "local"))
        return false;
    if (f->v[VF_OPT]) {
        any = false;
        for (size_t i = 0; f->v[VF_OPT][i] && !any; i++)
            any = opt_holds(f->v[VF_OPT][i], c->options);
        if (!any)
            return false;
    }
    if (f->has_until && c->created_ns >= f->until_ns)
        return false;
    if (f->dangling >= 0) {
        bool dangling = json_array_size(json_object_get(users, c->name)) == 0;
        if (f->dangling == 2 || dangling != (f->dangling == 1))
            return false;
    }
    return true;
}
