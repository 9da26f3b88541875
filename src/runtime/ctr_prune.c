/*
 * runtime/ctr_prune.c: which containers `container prune` removes: the
 * ones not running, paused or being stopped or removed, that pass
 * podman's prune filters (label=KEY[=VALUE], label!=KEY[=VALUE],
 * until=TIMESTAMP|DURATION; different keys all apply, several labels all
 * must match).
 */
#include <string.h>
#include <time.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

/* label=KEY (any value) or label=KEY=VALUE */
static bool has_label(json_t *labels, const char *want)
{
    const char *eq = strchr(want, '=');
    _cleanup_free_ char *key = eq ? str_ndup(want, (size_t) (eq - want)) : str_dup(want);
    json_t *v = key ? json_object_get(labels, key) : NULL;

    if (!v)
        return false;
    return !eq || (json_is_string(v) && !strcmp(json_string_value(v), eq + 1));
}

int ctr_prune_ids(struct runtime *rt, char *const *filters, char ***out, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL, **labels = NULL, **nolabels = NULL, **keep = NULL;
    bool have_until = false;
    struct timespec until = { 0 };

    *out = NULL;
    for (size_t i = 0; filters && filters[i]; i++) {
        const char *f = filters[i], *eq = strchr(f, '=');
        size_t kl = eq ? (size_t) (eq - f) : strlen(f);
        if (kl == 5 && !strncmp(f, "label", 5) && eq) {
            if (strv_push(&labels, eq + 1) < 0)
                return berr_oom(err);
        } else if (kl == 6 && !strncmp(f, "label!", 6) && eq) {
            if (strv_push(&nolabels, eq + 1) < 0)
                return berr_oom(err);
        } else if (kl == 5 && !strncmp(f, "until", 5) && eq) {
            struct timespec now;
            clock_gettime(CLOCK_REALTIME, &now);
            /* a duration counts back from now, as podman's prune */
            if (time_parse_filter(eq + 1, now, &until, err) < 0)
                return -1;
            have_until = true;
        } else {
            return berr_msg(err, "%.*s is an invalid filter", (int) kl, f);
        }
    }
    if (ctr_list_ids(rt, &ids, err) < 0)
        return -1;
    if (!(keep = calloc(1, sizeof(char *))))
        return berr_oom(err);
    for (size_t i = 0; ids[i]; i++) {
        _cleanup_ctr_ struct ctr *c = NULL;
        struct berr *e = NULL;
        bool ok;
        int st;

        if (ctr_get_id(rt, ids[i], &c, &e) < 0) {
            berr_free(e);       /* removed meanwhile */
            continue;
        }
        st = ctr_state(c);
        ok = st == CS_CONFIGURED || st == CS_CREATED || st == CS_STOPPED || st == CS_EXITED;
        /* podman's container prune leaves a pod's containers (its infra
         * too) to pod prune */
        if (*js_str(c->cfg.rec, "pod", ""))
            ok = false;
        for (size_t k = 0; ok && labels && labels[k]; k++)
            ok = has_label(c->cfg.labels, labels[k]);
        for (size_t k = 0; ok && nolabels && nolabels[k]; k++)
            ok = !has_label(c->cfg.labels, nolabels[k]);
        if (ok && have_until)
            ok = c->cfg.created_ns < (long long) until.tv_sec * 1000000000LL + until.tv_nsec;
        if (ok && strv_push(&keep, ids[i]) < 0)
            return berr_oom(err);
    }
    *out = STEAL_PTR(keep);
    return 0;
}
